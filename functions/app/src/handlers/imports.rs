//! `POST /api/imports?format=csv|geojson|communecter&source=&into=&dry_run=true`: a file of
//! elements checked row by row; a dry run answers the report (accepted, rejected with the
//! reason per row, duplicates, how many would be created or updated), the import writes the
//! accepted rows in one batch and answers the same report. Instance admins import into the
//! instance; an element's admins import into its network (`into`: its id).

use crate::repo::imports as repo;
use crate::request::Req;
use crate::respond::{self, Outcome};
use crate::{App, session};
use axum::extract::State;
use domain::access::{self, Action, Relation, Target};
use domain::error::{ApiError, ErrorCode};
use domain::import::{self, Format, Report, rows::rows};
use std::collections::HashSet;

pub async fn create(State(app): State<App>, mut req: Req) -> Outcome {
    req.check_write()?;
    let invalid = |field: &str| ApiError::on_field(ErrorCode::InvalidField, field);
    let format = req
        .query("format")
        .and_then(|f| Format::parse(&f))
        .ok_or_else(|| invalid("format"))?;
    let dry_run = req
        .query("dry_run")
        .is_some_and(|v| v == "true" || v == "1");
    let name = req
        .query("source")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("{format:?}").to_lowercase());
    if name.chars().count() > 80 {
        return Err(invalid("source").into());
    }
    // Who may import, and where the source ids live.
    let (actor, person) = session::actor(&req, &app).await?;
    let source = match req.query("into") {
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
            let found = crate::repo::elements::find(&app, &element)
                .await?
                .ok_or_else(|| invalid("into"))?;
            let relation = match &person {
                Some(p) => crate::repo::elements::relation(&app, &found.id, &p.id).await?,
                None => Default::default(),
            };
            let links = relation.links();
            access::decide(actor, Action::ImportIntoElement, links, Target::default())?;
            format!("{}:{name}", found.id)
        }
    };
    let person = person.ok_or_else(|| ApiError::new(ErrorCode::NotSignedIn))?;
    let text = req.file(import::MAX_BYTES).await?;
    let mut records = import::read(format, &text)?;
    let needs = import::placing::needs(&records);
    if !needs.is_empty() {
        let (served, candidates) = repo::placing(&app, &needs).await?;
        import::placing::place(&mut records, &served, candidates);
    }
    let total = records.len();
    let mut plan = import::plan(records);
    let codes = plan.communes();
    let places = repo::places(&app, &codes).await?;
    let known: HashSet<String> = places.keys().cloned().collect();
    plan.keep_known_places(&known, &repo::postal_codes(&app, &codes).await?);
    let ids: Vec<&str> = plan.accepted.iter().map(|a| a.source_id.as_str()).collect();
    let (existing, edited) = repo::existing(&app, &source, &ids).await?;
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
    let taken = repo::taken_slugs(&app, &bases).await?;
    let (created, updated) = rows(&plan, &places, &existing, &taken, None, |_| {
        format!("e_{}", &app.token()[..22])
    });
    repo::write(&app, &source, &created, &updated, &person.id, app.now()).await?;
    respond::json(&report)
}
