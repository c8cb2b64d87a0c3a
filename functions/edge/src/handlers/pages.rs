//! Pages the edge renders on demand, with the same templates as the static build: an element,
//! a search (which works without JavaScript), a zone, the agenda.

use crate::respond::{self, Outcome};
use crate::{repo, request};
use askama::Template;
use domain::error::{ApiError, ErrorCode};
use domain::search::Plan;
use domain::zone::{ZoneId, ZoneQuery, ZoneView};
use site::directory::{
    AgendaPage, ElementPage, LivePage, ResultItem, SearchPage, ZonePage, summary,
};
use site::pages::{Layout, NotFound};
use worker::{Env, Request, Response, Result, RouteContext, Router};

/// The directory's pages, which both workers render: an element, a search, a zone, the agenda,
/// the embeddable map and the live feed.
pub fn routes(router: Router<'static, ()>) -> Router<'static, ()> {
    router
        .get_async("/e/:slug", element)
        .get_async("/e/:slug/", element)
        .get_async("/e/:slug/actuel/", current_element)
        .get_async("/recherche", search)
        .get_async("/recherche/", search)
        .get_async("/communes/:code/", commune)
        .get_async("/departements/:code/", departement)
        .get_async("/regions/:code/", region)
        .get_async("/agenda", agenda)
        .get_async("/agenda/", agenda)
        .get_async("/carte/integree/", map_embed)
        .get_async("/live", live)
        .get_async("/live/", live)
}

pub fn render(page: &impl Template, status: u16) -> Outcome {
    let body = page.render().map_err(|e| {
        worker::console_error!("template: {e}");
        ApiError::new(ErrorCode::Internal)
    })?;
    respond::html(body, status)
}

fn not_found() -> Outcome {
    render(
        &NotFound {
            layout: Layout::at(""),
        },
        404,
    )
}

/// The French 404 page, for a path nothing answers.
pub fn missing() -> Result<Response> {
    respond::outcome(not_found())
}

/// A page's outcome: an API error becomes the French 404 page or a plain error page.
pub fn page(result: Outcome) -> Result<Response> {
    match result {
        Err(e) if e.code == ErrorCode::NotFound => respond::outcome(not_found()),
        other => respond::outcome(other),
    }
}

pub async fn element(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    let slug = ctx.param("slug").cloned().unwrap_or_default();
    let site = request::site_origin(&req);
    let key = crate::page_cache::key(&site, &slug);
    if let Some(html) = crate::page_cache::get(&key).await {
        return respond::outcome(
            respond::html(html, 200)
                .and_then(|r| respond::with_header(r, "Cache-Control", crate::page_cache::MAX_AGE)),
        );
    }
    let mut response = page(
        element_page(&ctx, &slug, &site)
            .await
            .and_then(|r| respond::with_header(r, "Cache-Control", crate::page_cache::MAX_AGE)),
    )?;
    if response.status_code() == 200 {
        crate::page_cache::put(&key, &mut response).await;
    }
    Ok(response)
}

/// `/e/{slug}/actuel/`: the element as it is now, never cached, for a page published before its
/// last change (the element island swaps it in). Search engines keep the canonical page.
pub async fn current_element(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    let slug = ctx.param("slug").cloned().unwrap_or_default();
    let site = request::site_origin(&req);
    page(
        element_page(&ctx, &slug, &site)
            .await
            .and_then(|r| respond::with_header(r, "Cache-Control", "no-store"))
            .and_then(|r| respond::with_header(r, "X-Robots-Tag", "noindex")),
    )
}

async fn element_page(ctx: &RouteContext<()>, slug: &str, site: &str) -> Outcome {
    let row = repo::elements::find(&ctx.env, slug)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
    render(&ElementPage::new(row.view(), site), 200)
}

/// The zone a person typed ("Saint-Paul", "97434", "974"): the best match, if any.
async fn place(env: &Env, typed: &str) -> std::result::Result<Option<ZoneView>, ApiError> {
    let Ok(query) = ZoneQuery::plan(Some(domain::zone::typed_place(typed)), None) else {
        return Ok(None);
    };
    let rows = repo::zones::search(env, &query, 1).await?;
    Ok(rows.into_iter().next().map(ZoneView::from))
}

/// The query's pairs, with `ou` (a typed place) turned into a `scope`. Returns the place's
/// label, or an error message when it matched nothing.
async fn with_place(
    env: &Env,
    mut pairs: Vec<(String, String)>,
) -> std::result::Result<(Vec<(String, String)>, Option<String>, Option<String>), ApiError> {
    let typed = pairs
        .iter()
        .find(|(k, _)| k == "ou")
        .map(|(_, v)| v.trim().to_string());
    pairs.retain(|(k, _)| k != "ou");
    let Some(typed) = typed.filter(|t| !t.is_empty()) else {
        let label = match pairs
            .iter()
            .find(|(k, _)| k == "scope")
            .and_then(|(_, v)| ZoneId::parse(v))
        {
            Some(zone) => repo::zones::by_id(env, &zone.as_string())
                .await?
                .map(|z| z.name),
            None => None,
        };
        return Ok((pairs, label, None));
    };
    match place(env, &typed).await? {
        Some(zone) => {
            pairs.push(("scope".into(), zone.id.clone()));
            Ok((pairs, Some(zone.name), None))
        }
        None => Ok((
            pairs,
            None,
            Some(format!(
                "Lieu introuvable : « {typed} ». Essayez un nom de commune, un code postal ou un numéro de département."
            )),
        )),
    }
}

pub async fn search(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    page(
        async {
            let original = request::query_pairs(&req);
            let typed_place = original
                .iter()
                .find(|(k, _)| k == "ou")
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            let (pairs, label, place_error) = with_place(&ctx.env, original.clone()).await?;
            let checked: Vec<String> = pairs
                .iter()
                .filter(|(k, _)| k == "kind")
                .map(|(_, v)| v.clone())
                .collect();
            let mut page = SearchPage {
                layout: Layout::at("/recherche"),
                q: pairs
                    .iter()
                    .find(|(k, _)| k == "q")
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default(),
                place: typed_place,
                scope: pairs
                    .iter()
                    .find(|(k, _)| k == "scope")
                    .map(|(_, v)| v.clone()),
                kinds: SearchPage::kinds(&checked),
                items: Vec::new(),
                summary: String::new(),
                hint: None,
                next_href: None,
                error: place_error,
            };
            if page.error.is_some() {
                // A place typed that names nothing: said, rather than France-wide results.
                page.summary = summary(0, false, None);
                return render(&page, 400);
            }
            let found = match Plan::from_query(&pairs) {
                Ok(plan) => repo::search::find(&ctx.env, &plan).await.map(|r| r.0),
                Err(error) => Err(error),
            };
            match found {
                Ok(result) => {
                    page.summary = summary(
                        result.items.len(),
                        result.next_cursor.is_some(),
                        label.as_deref(),
                    );
                    page.hint = SearchPage::hint(&page.q, result.items.len());
                    page.next_href = result.next_cursor.map(|cursor| {
                        let mut query = form_urlencoded::Serializer::new(String::new());
                        for (k, v) in original.iter().filter(|(k, _)| k != "cursor") {
                            query.append_pair(k, v);
                        }
                        query.append_pair("cursor", &cursor);
                        format!("/recherche?{}", query.finish())
                    });
                    page.items = result.items.into_iter().map(ResultItem::from).collect();
                    render(&page, 200)
                }
                Err(error) if error.status() < 500 => {
                    page.summary = summary(0, false, None);
                    page.error = Some(refusal(&error));
                    render(&page, error.status())
                }
                Err(error) => Err(error),
            }
        }
        .await,
    )
}

/// What a page says of a refused query: the French message, and the field at fault when the
/// message does not name it.
fn refusal(error: &ApiError) -> String {
    match (&error.field, error.code) {
        (Some(field), code) if code != ErrorCode::UnknownZone => {
            format!("{} ({field})", code.message())
        }
        _ => error.code.message().to_string(),
    }
}

pub async fn zone(ctx: RouteContext<()>, kind: &str) -> Result<Response> {
    page(
        async {
            let code = ctx.param("code").cloned().unwrap_or_default();
            let zone = ZoneId::parse(&format!("{kind}:{code}"))
                .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
            let row = repo::zones::by_id(&ctx.env, &zone.as_string())
                .await?
                .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
            let plan = ZonePage::plan(&row)?;
            let result = repo::search::find(&ctx.env, &plan).await?.0;
            let related = repo::zones::related(&ctx.env, &row).await?;
            render(&ZonePage::new(row, result.items, related), 200)
        }
        .await,
    )
}

pub async fn commune(_req: Request, ctx: RouteContext<()>) -> Result<Response> {
    zone(ctx, "commune").await
}

pub async fn departement(_req: Request, ctx: RouteContext<()>) -> Result<Response> {
    zone(ctx, "departement").await
}

pub async fn region(_req: Request, ctx: RouteContext<()>) -> Result<Response> {
    zone(ctx, "region").await
}

pub async fn agenda(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    page(
        async {
            let (mut pairs, label, error) =
                with_place(&ctx.env, request::query_pairs(&req)).await?;
            pairs.retain(|(k, _)| k == "scope" || k == "from" || k == "to" || k == "cursor");
            pairs.push(("kind".into(), "event".into()));
            pairs.push(("sort".into(), "date".into()));
            if !pairs.iter().any(|(k, _)| k == "from") {
                let now = crate::platform::now();
                pairs.push((
                    "from".into(),
                    domain::time::rfc3339(now - now.rem_euclid(86_400)),
                ));
            }
            let found = match (&error, Plan::from_query(&pairs)) {
                // A place typed that names nothing: said, rather than France-wide results.
                (Some(_), _) => Ok(None),
                (None, Ok(plan)) => repo::search::find(&ctx.env, &plan).await.map(|r| Some(r.0)),
                (None, Err(refused)) => Err(refused),
            };
            let (result, error, status) = match found {
                Ok(Some(result)) => (Some(result), None, 200),
                Ok(None) => (None, error, 400),
                Err(refused) if refused.status() < 500 => {
                    (None, Some(refusal(&refused)), refused.status())
                }
                Err(failed) => return Err(failed),
            };
            let (items, more) = result
                .map(|r| (r.items, r.next_cursor.is_some()))
                .unwrap_or_default();
            render(
                &AgendaPage {
                    layout: Layout::at("/agenda/"),
                    summary: summary(items.len(), more, label.as_deref()),
                    place: label,
                    items: items.into_iter().map(ResultItem::from).collect(),
                    error,
                },
                status,
            )
        }
        .await,
    )
}

pub async fn live(req: Request, ctx: RouteContext<()>) -> Result<Response> {
    page(
        async {
            let (pairs, label, error) = with_place(&ctx.env, request::query_pairs(&req)).await?;
            let scope = pairs
                .iter()
                .find(|(k, _)| k == "scope")
                .map(|(_, v)| v.clone());
            let mut page = LivePage {
                layout: Layout::at("/live/"),
                place: label,
                scope: None,
                items: Vec::new(),
                error,
            };
            let mut status = if page.error.is_some() { 400 } else { 200 };
            if let Some(scope) = scope {
                let read =
                    match domain::live::LivePlan::from_query(&[("scope".into(), scope.clone())]) {
                        Ok(mut plan) => repo::live::feed(&ctx.env, &mut plan)
                            .await
                            .map(|rows| plan.page(rows)),
                        Err(refused) => Err(refused),
                    };
                match read {
                    Ok(feed) => {
                        page.items = feed.items.into_iter().map(Into::into).collect();
                        page.scope = Some(scope);
                    }
                    Err(refused) if refused.status() < 500 => {
                        page.error = Some(refusal(&refused));
                        status = refused.status();
                    }
                    Err(failed) => return Err(failed),
                }
            }
            render(&page, status)
        }
        .await,
    )
}

/// `/carte/integree/`: the map made for an iframe. Unlike every other page, any site may frame
/// it (its own Content-Security-Policy); it shows only public data and holds no form.
pub async fn map_embed(req: Request, _ctx: RouteContext<()>) -> Result<Response> {
    let title = request::query(&req, "titre");
    page(
        render(&site::pages::MapEmbedPage::new(title.as_deref()), 200).and_then(|response| {
            let policy = domain::security::EMBED_CONTENT_SECURITY_POLICY;
            crate::respond::with_header(response, "Content-Security-Policy", policy)
        }),
    )
}
