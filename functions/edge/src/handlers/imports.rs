//! `POST /api/imports?format=csv|geojson|communecter&source=&into=&dry_run=true`: a file of
//! elements checked row by row; a dry run answers the report (accepted, rejected with the
//! reason per row, duplicates, how many would be created or updated), the import writes the
//! accepted rows in one batch and answers the same report. Instance admins import into the
//! instance; an element's admins import into its network (`into`: its id).

use crate::repo::imports as repo;
use crate::respond;
use crate::{platform, request, session};
use domain::access::{self, Action, Relation, Target};
use domain::error::{ApiError, ErrorCode};
use domain::import::{self, Format, Report, rows::rows};
use std::collections::HashSet;
use worker::{Request, Response, Result, RouteContext};

pub async fn create(mut req: Request, ctx: RouteContext<()>) -> Result<Response> {
    respond::outcome(
        async {
            request::check_write(&req)?;
            let env = &ctx.env;
            let invalid = |field: &str| ApiError::on_field(ErrorCode::InvalidField, field);
            let format = request::query(&req, "format")
                .and_then(|f| Format::parse(&f))
                .ok_or_else(|| invalid("format"))?;
            let dry_run = request::query(&req, "dry_run").is_some_and(|v| v == "true" || v == "1");
            let name = request::query(&req, "source")
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| format!("{format:?}").to_lowercase());
            if name.chars().count() > 80 {
                return Err(invalid("source"));
            }
            // Who may import, and where the source ids live.
            let (actor, person) = session::actor(&req, env).await?;
            let source = match request::query(&req, "into") {
                None => {
                    access::decide(
                        actor,
                        Action::ImportIntoInstance,
                        Relation::default(),
                        Target::default(),
                    )?;
                    name
                }
                Some(element) => {
                    let found = crate::repo::elements::find(env, &element)
                        .await?
                        .ok_or_else(|| invalid("into"))?;
                    let relation = match &person {
                        Some(p) => crate::repo::elements::relation(env, &found.id, &p.id).await?,
                        None => Default::default(),
                    };
                    let links = Relation {
                        element_admin: relation.admin != 0,
                        member: relation.member != 0,
                    };
                    access::decide(actor, Action::ImportIntoElement, links, Target::default())?;
                    format!("{}:{name}", found.id)
                }
            };
            let person = person.ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
            let text = request::file(&mut req, import::MAX_BYTES).await?;
            let mut records = import::read(format, &text)?;
            let needs = import::placing::needs(&records);
            if !needs.is_empty() {
                let (served, candidates) = repo::placing(env, &needs).await?;
                import::placing::place(&mut records, &served, candidates);
            }
            let total = records.len();
            let mut plan = import::plan(records);
            let codes = plan.communes();
            let places = repo::places(env, &codes).await?;
            let known: HashSet<String> = places.keys().cloned().collect();
            plan.keep_known_places(&known, &repo::postal_codes(env, &codes).await?);
            let ids: Vec<&str> = plan.accepted.iter().map(|a| a.source_id.as_str()).collect();
            let (existing, edited) = repo::existing(env, &source, &ids).await?;
            plan.keep_edited(&edited);
            let found: HashSet<String> = existing.keys().cloned().collect();
            let report = Report::new(&plan, total, &found, dry_run);
            if dry_run || plan.accepted.is_empty() {
                return respond::json(&report);
            }
            let bases: Vec<String> = plan
                .accepted
                .iter()
                .map(|a| domain::element::slug::base(&a.data.name))
                .collect();
            let taken = repo::taken_slugs(env, &bases).await?;
            let (created, updated) = rows(&plan, &places, &existing, &taken, None, |_| {
                format!("e_{}", &platform::token()[..22])
            });
            repo::write(
                env,
                &source,
                &created,
                &updated,
                &person.id,
                platform::now(),
            )
            .await?;
            respond::json(&report)
        }
        .await,
    )
}
