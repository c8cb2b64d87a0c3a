//! Pages rendered on demand, with the same templates as the static build: an element, a search
//! (which works without JavaScript), a zone, the agenda, the embeddable map and the live feed.

use crate::request::Req;
use crate::respond::{self, Outcome};
use crate::{App, repo};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use domain::error::{ApiError, ErrorCode};
use domain::place::Choice;
use domain::search::Plan;
use domain::zone::ZoneRow;
use domain::zone::{ZoneId, ZoneQuery};
use site::directory::{AgendaPage, ElementPage, LivePage, ResultItem, SearchPage, ZonePage};
use site::pages::{Layout, NotFound, TerritoryPage};
use site::query::{Pager, PlaceBar, summary};

/// The directory's pages, which both Workers render: an element, a search, a zone, the agenda,
/// the embeddable map and the live feed.
/// An element's page, which the Workers front renders itself when the static build does not
/// hold it (a new element) and keeps in its cache.
pub fn elements(router: Router<App>) -> Router<App> {
    router
        .route("/e/{slug}", get(element))
        .route("/e/{slug}/", get(element))
        .route("/e/{slug}/actuel/", get(current_element))
}

/// The other pages rendered on demand: a zone's (the static build holds nearly all of them),
/// and the lists that answer a query (search without JavaScript, agenda, live feed, the
/// territory form, the embeddable map). The Workers back renders them, keeping the front small.
pub fn others(router: Router<App>) -> Router<App> {
    router
        .route("/communes/{code}/", get(commune))
        .route("/departements/{code}/", get(departement))
        .route("/regions/{code}/", get(region))
        .route("/recherche", get(search))
        .route("/recherche/", get(search))
        .route("/agenda", get(agenda))
        .route("/agenda/", get(agenda))
        .route("/carte/integree/", get(map_embed))
        .route("/live", get(live))
        .route("/live/", get(live))
        .route("/territoire", get(territory))
        .route("/territoire/", get(territory))
}

pub fn render(page: &impl Template, status: u16) -> Outcome {
    respond::html(html_of(page)?, status)
}

/// A template's HTML; a failure is logged and 500.
fn html_of(page: &impl Template) -> Result<String, ApiError> {
    page.render().map_err(|e| {
        crate::log::error(&format!("template: {e}"));
        ApiError::new(ErrorCode::Internal)
    })
}

/// The French 404 page, for a path nothing answers.
pub fn not_found() -> Outcome {
    render(
        &NotFound {
            layout: Layout::at(""),
        },
        404,
    )
}

/// A page that shows the visitor's territory (the `territoire` cookie) is theirs alone: never
/// kept for someone else, and asked again after they change it.
fn for_visitor(req: &Req, result: Outcome) -> Outcome {
    let personal = req
        .header("Cookie")
        .and_then(|c| domain::place::remembered(&c))
        .is_some();
    match personal {
        true => result.and_then(|r| respond::with_header(r, "Cache-Control", "private, no-cache")),
        false => result,
    }
}

/// A page's outcome: an API error becomes the French 404 page or a plain error page.
pub fn page(result: Outcome) -> Outcome {
    match result {
        Err(e) if e.0.code == ErrorCode::NotFound => not_found(),
        other => other,
    }
}

/// An element's page, rendered once and kept in the host's page cache until the element
/// changes (`crate::ports::PageCache`).
pub async fn element(State(app): State<App>, req: Req) -> Outcome {
    use crate::ports::page_cache::{MAX_AGE, key};
    let slug = req.param("slug");
    let site = req.site_origin();
    let key = key(&site, &slug);
    if let Some(html) = app.pages.get(&key).await {
        return respond::with_header(respond::html(html, 200)?, "Cache-Control", MAX_AGE);
    }
    let html = match element_html(&app, &slug, &site).await {
        Ok(html) => html,
        Err(error) => return page(Err(error.into())),
    };
    app.pages.put(&key, &html).await;
    respond::with_header(respond::html(html, 200)?, "Cache-Control", MAX_AGE)
}

/// `/e/{slug}/actuel/`: the element as it is now, never cached, for a page published before its
/// last change (the element island swaps it in). Search engines keep the canonical page.
pub async fn current_element(State(app): State<App>, req: Req) -> Outcome {
    let html = match element_html(&app, &req.param("slug"), &req.site_origin()).await {
        Ok(html) => html,
        Err(error) => return page(Err(error.into())),
    };
    let response = respond::with_header(respond::html(html, 200)?, "Cache-Control", "no-store")?;
    respond::with_header(response, "X-Robots-Tag", "noindex")
}

async fn element_html(app: &App, slug: &str, site: &str) -> Result<String, ApiError> {
    let row = repo::elements::find(app, slug)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
    html_of(&ElementPage::new(row.view(), site))
}

/// The zone a typed place means: its namesakes first (« Saint-Paul » names several communes),
/// else the best of a prefix or code search.
pub async fn resolve(app: &App, typed: &str) -> Result<Choice, ApiError> {
    let typed = domain::place::parse(typed);
    if let Some(key) = domain::place::exact_key(&typed) {
        let rows = repo::zones::named(app, &key, 30).await?;
        match domain::place::choose(&typed, rows, true) {
            Choice::Unknown => {}
            known => return Ok(known),
        }
    }
    let Ok(query) = ZoneQuery::plan(Some(&typed.lookup), None) else {
        return Ok(Choice::Unknown);
    };
    let rows = repo::zones::search(app, &query, 10).await?;
    Ok(domain::place::choose(&typed, rows, false))
}

/// Where a page's list is: the place typed (`ou`; empty for France), else the zone named
/// (`scope`), else the visitor's territory (« ma commune », from its cookie).
pub struct Where {
    pub place: Option<ZoneRow>,
    pub namesakes: Vec<ZoneRow>,
    pub mine: Option<ZoneRow>,
    /// The « Où ? » field.
    pub typed: String,
    pub error: Option<String>,
}

impl Where {
    pub async fn of(app: &App, req: &Req, pairs: &[(String, String)]) -> Result<Where, ApiError> {
        let one = |key: &str| {
            pairs
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.trim())
        };
        let mine_id = req
            .header("Cookie")
            .and_then(|c| domain::place::remembered(&c));
        let mut here = Where {
            place: None,
            namesakes: Vec::new(),
            mine: None,
            typed: String::new(),
            error: None,
        };
        match (one("ou"), one("scope")) {
            (Some(typed), _) if !typed.is_empty() => {
                here.typed = typed.to_string();
                match resolve(app, typed).await? {
                    Choice::One(row) => here.place = Some(*row),
                    Choice::Several(rows) => here.namesakes = rows,
                    Choice::Unknown => {
                        here.error = Some(format!(
                            "Lieu introuvable : « {typed} ». Essayez un nom de commune, un code postal ou un numéro de département."
                        ))
                    }
                }
            }
            // `ou=`: France, chosen.
            (Some(_), _) => {}
            (None, Some(scope)) if !scope.is_empty() => {
                // A bad or unknown zone is said on the page, as a place typed that names nothing.
                let found = match ZoneId::parse(scope) {
                    Some(zone) => repo::zones::by_id(app, &zone.as_string()).await?,
                    None => None,
                };
                match found {
                    Some(row) => here.place = Some(row),
                    None => here.error = Some(ErrorCode::UnknownZone.message().to_string()),
                }
            }
            _ => {
                if let Some(id) = &mine_id {
                    here.place = repo::zones::by_id(app, &id.as_string()).await?;
                }
            }
        }
        here.mine = match (&mine_id, &here.place) {
            (Some(id), Some(place)) if place.id == id.as_string() => Some(place.clone()),
            (Some(id), _) => repo::zones::by_id(app, &id.as_string()).await?,
            (None, _) => None,
        };
        if let Some(place) = &here.place {
            here.typed = domain::place::label(place);
        }
        Ok(here)
    }

    /// A page that says only where it is, without a list: 400 for a place that names nothing
    /// (said, rather than France-wide results), 200 for namesakes to choose between.
    pub fn without_list(&self) -> Option<u16> {
        match (&self.error, self.namesakes.is_empty()) {
            (Some(_), _) => Some(400),
            (None, false) => Some(200),
            (None, true) => None,
        }
    }

    pub fn bar(&self, path: &str, pairs: &[(String, String)]) -> PlaceBar {
        PlaceBar::new(
            path,
            pairs,
            self.place.as_ref(),
            &self.namesakes,
            self.mine.as_ref(),
        )
    }

    /// The API query's pairs for the page's own: its filters, and the place as a scope — or,
    /// with a radius (`rayon`, km) and a place that has a position, as a circle around it.
    pub fn api_pairs(&self, pairs: &[(String, String)], keep: &[&str]) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = pairs
            .iter()
            .filter(|(k, v)| keep.contains(&k.as_str()) && !v.trim().is_empty())
            .cloned()
            .collect();
        let radius = pairs
            .iter()
            .rev()
            .find(|(k, _)| k == "rayon")
            .map(|(_, v)| v.as_str())
            .filter(|v| site::directory::RADII.iter().any(|(r, _)| r == v));
        if let Some(place) = &self.place {
            match (radius, place.lat, place.lon) {
                (Some(km), Some(lat), Some(lon)) => {
                    out.push(("near".into(), format!("{lat},{lon},{km}")))
                }
                _ => out.push(("scope".into(), place.id.clone())),
            }
        }
        out
    }

    /// A plan for the page's query, its place already resolved: no lookup of it again.
    pub fn plan(&self, api: &[(String, String)]) -> Result<Plan, ApiError> {
        let mut plan = Plan::from_query(api)?;
        if let Some(place) = self.place.as_ref().filter(|_| !plan.scopes.is_empty()) {
            plan.areas = domain::zone::areas(&plan.scopes, &[place.into()], "scope")?;
        }
        Ok(plan)
    }
}

/// `&cursor=…` for the page shown, or nothing on the first.
fn cursor_param(pairs: &[(String, String)]) -> String {
    let cursor = pairs.iter().rev().find(|(k, _)| k == "cursor");
    cursor.map_or_else(String::new, |(k, v)| {
        format!("&{}", query_string(&[(k.clone(), v.clone())]))
    })
}

fn query_string(pairs: &[(String, String)]) -> String {
    site::query::href("", pairs)
        .trim_start_matches('?')
        .to_string()
}

/// The keys a search page passes on to the API.
const SEARCH_KEYS: [&str; 9] = [
    "q",
    "kind",
    "type",
    "tags",
    "tags_mode",
    "sort",
    "near",
    "bbox",
    "limit",
];

pub async fn search(State(app): State<App>, req: Req) -> Outcome {
    let result = async {
        let pairs = req.query_pairs();
        let here = Where::of(&app, &req, &pairs).await?;
        let one = |key: &str| {
            pairs
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        };
        let all = |key: &str| -> Vec<String> {
            pairs
                .iter()
                .filter(|(k, _)| k == key)
                .flat_map(|(_, v)| v.split(','))
                .map(|v| v.trim().to_string())
                .collect()
        };
        let api = here.api_pairs(&pairs, &SEARCH_KEYS);
        let mut page = SearchPage {
            layout: Layout::at("/recherche"),
            q: one("q").unwrap_or_default(),
            place: here.typed.clone(),
            kinds: SearchPage::kinds(&all("kind")),
            types: site::directory::type_groups(&domain::element::Kind::ALL, &all("type")),
            radius: SearchPage::radius(one("rayon").as_deref()),
            tags: SearchPage::tags("/recherche", &pairs),
            api_query: query_string(&api),
            cursor_param: cursor_param(&pairs),
            items: Vec::new(),
            summary: String::new(),
            hint: None,
            pager: Pager::default(),
            bar: here.bar("/recherche", &pairs),
            error: here.error.clone(),
        };
        if let Some(status) = here.without_list() {
            return render(&page, status);
        }
        let label = page.bar.label.clone();
        match listed(&app, &here, api, &pairs, "/recherche", label.as_deref()).await? {
            Listed::Found(found) => {
                page.hint = SearchPage::hint(&page.q, found.items.len());
                (page.items, page.pager, page.summary) = (found.items, found.pager, found.summary);
                render(&page, 200)
            }
            Listed::Refused(message, status) => {
                page.error = Some(message);
                render(&page, status)
            }
        }
    }
    .await;
    page(for_visitor(&req, result))
}

/// A list page's results, or the refusal it says (its message and status).
enum Listed {
    Found(Found),
    Refused(String, u16),
}

struct Found {
    items: Vec<ResultItem>,
    pager: Pager,
    summary: String,
}

/// Reads the results of a list page (search, agenda): `api` its query, its place resolved;
/// `path` where its pages are; `label` the place, for the heading.
async fn listed(
    app: &App,
    here: &Where,
    mut api: Vec<(String, String)>,
    pairs: &[(String, String)],
    path: &str,
    label: Option<&str>,
) -> Result<Listed, ApiError> {
    api.extend(pairs.iter().filter(|(k, _)| k == "cursor").cloned());
    let found = match here.plan(&api) {
        Ok(plan) => repo::search::find(app, &plan)
            .await
            .map(|r| (r.0, plan.limit)),
        Err(refused) => Err(refused),
    };
    match found {
        Ok((result, size)) => {
            let pager = Pager::new(path, pairs, result.next_cursor.as_deref());
            let more = result.next_cursor.is_some();
            let summary = summary(result.items.len(), more, label, pager.number, size as usize);
            let items = result.items.into_iter().map(ResultItem::from).collect();
            Ok(Listed::Found(Found {
                items,
                pager,
                summary,
            }))
        }
        Err(refused) if refused.status() < 500 => {
            Ok(Listed::Refused(refusal(&refused), refused.status()))
        }
        Err(failed) => Err(failed),
    }
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

pub async fn zone(app: &App, req: &Req, kind: &str) -> Outcome {
    page(
        async {
            let code = req.param("code");
            let zone = ZoneId::parse(&format!("{kind}:{code}"))
                .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
            let row = repo::zones::by_id(app, &zone.as_string())
                .await?
                .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
            let plan = ZonePage::plan(&row)?;
            let result = repo::search::find(app, &plan).await?.0;
            let related = repo::zones::related(app, &row).await?;
            render(&ZonePage::new(row, result.items, related), 200)
        }
        .await,
    )
}

pub async fn commune(State(app): State<App>, req: Req) -> Outcome {
    zone(&app, &req, "commune").await
}

pub async fn departement(State(app): State<App>, req: Req) -> Outcome {
    zone(&app, &req, "departement").await
}

pub async fn region(State(app): State<App>, req: Req) -> Outcome {
    zone(&app, &req, "region").await
}

/// The keys the agenda page passes on to the API.
const AGENDA_KEYS: [&str; 4] = ["from", "to", "type", "limit"];

pub async fn agenda(State(app): State<App>, req: Req) -> Outcome {
    let result = async {
        let pairs = req.query_pairs();
        let here = Where::of(&app, &req, &pairs).await?;
        let one = |key: &str| {
            pairs
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.trim().to_string())
                .unwrap_or_default()
        };
        let types: Vec<String> = pairs
            .iter()
            .filter(|(k, _)| k == "type")
            .map(|(_, v)| v.clone())
            .collect();
        // The API's agenda, for the links: a calendar feed starts from the day it is read.
        let api = here.api_pairs(&pairs, &AGENDA_KEYS);
        let mut page = AgendaPage {
            layout: Layout::at("/agenda/"),
            place: here.typed.clone(),
            from: one("from"),
            to: one("to"),
            types: site::directory::type_groups(&[domain::element::Kind::Event], &types),
            api_query: query_string(&api),
            cursor_param: cursor_param(&pairs),
            items: Vec::new(),
            summary: String::new(),
            pager: Pager::default(),
            bar: here.bar("/agenda/", &pairs),
            error: here.error.clone(),
        };
        if let Some(status) = here.without_list() {
            return render(&page, status);
        }
        let mut events = api.clone();
        events.push(("kind".into(), "event".into()));
        events.push(("sort".into(), "date".into()));
        if !api.iter().any(|(k, _)| k == "from") {
            let now = app.now();
            let today = domain::time::rfc3339(now - now.rem_euclid(86_400));
            events.push(("from".into(), today));
        }
        let label = page.bar.label.clone();
        match listed(&app, &here, events, &pairs, "/agenda/", label.as_deref()).await? {
            Listed::Found(found) => {
                (page.items, page.pager, page.summary) = (found.items, found.pager, found.summary);
                render(&page, 200)
            }
            Listed::Refused(message, status) => {
                page.error = Some(message);
                render(&page, status)
            }
        }
    }
    .await;
    page(for_visitor(&req, result))
}

pub async fn live(State(app): State<App>, req: Req) -> Outcome {
    let result = async {
        let pairs = req.query_pairs();
        let here = Where::of(&app, &req, &pairs).await?;
        // The live feed is by zone only: a radius does not apply.
        let api: Vec<(String, String)> = here
            .place
            .iter()
            .map(|p| ("scope".to_string(), p.id.clone()))
            .collect();
        let mut page = LivePage {
            layout: Layout::at("/live/"),
            place: here.typed.clone(),
            scope: here.place.as_ref().map(|p| p.id.clone()),
            items: Vec::new(),
            pager: Pager::default(),
            bar: here.bar("/live/", &pairs),
            api_query: query_string(&api),
            error: here.error.clone(),
        };
        if let Some(status) = here.without_list() {
            return render(&page, status);
        }
        let mut with_page = api.clone();
        with_page.extend(pairs.iter().filter(|(k, _)| k == "cursor").cloned());
        let read = match domain::live::LivePlan::from_query(&with_page) {
            Ok(mut plan) => {
                if let Some(place) = &here.place {
                    plan.resolve(&[place.into()])?;
                }
                repo::live::feed(&app, &mut plan)
                    .await
                    .map(|rows| plan.page(rows))
            }
            Err(refused) => Err(refused),
        };
        match read {
            Ok(feed) => {
                page.pager = Pager::new("/live/", &pairs, feed.next_cursor.as_deref());
                page.items = feed.items.into_iter().map(Into::into).collect();
                render(&page, 200)
            }
            Err(refused) if refused.status() < 500 => {
                page.error = Some(refusal(&refused));
                render(&page, refused.status())
            }
            Err(failed) => Err(failed.into()),
        }
    }
    .await;
    page(for_visitor(&req, result))
}

/// `/territoire?ou=…&retour=…`: « ma commune », chosen by name and remembered in a cookie
/// (an empty `ou` forgets it); then back to the page. Without `ou`, the form to choose.
pub async fn territory(State(app): State<App>, req: Req) -> Outcome {
    page(
        async {
            let back = domain::place::return_path(req.query("retour").as_deref());
            let mine_id = req
                .header("Cookie")
                .and_then(|c| domain::place::remembered(&c));
            let mine = match &mine_id {
                Some(id) => repo::zones::by_id(&app, &id.as_string()).await?,
                None => None,
            };
            let mut page = TerritoryPage::new(&back, mine.as_ref());
            // Here an empty `ou` says something: forget the territory (`request::query` would
            // read it as absent).
            let typed = req.query_pairs().into_iter().find(|(k, _)| k == "ou");
            let Some((_, typed)) = typed else {
                return render(&page, 200);
            };
            let chosen = match typed.trim() {
                "" => None,
                typed => match resolve(&app, typed).await? {
                    Choice::One(row) if matches!(row.kind.as_str(), "commune" | "postal") => Some(*row),
                Choice::One(row) => {
                    page.typed = typed.to_string();
                    page.error = Some(format!(
                        "« {} » est trop grand : choisissez une commune ou un code postal ; chaque page s’élargit ensuite d’un clic.",
                        domain::place::label(&row)
                    ));
                    return render(&page, 400);
                }
                    Choice::Several(rows) => {
                        page.offer(&back, &rows);
                        page.typed = typed.to_string();
                        return render(&page, 200);
                    }
                    Choice::Unknown => {
                        page.typed = typed.to_string();
                        page.error = Some(format!(
                            "Lieu introuvable : « {typed} ». Essayez un nom de commune ou un code postal."
                        ));
                        return render(&page, 400);
                    }
                },
            };
            let cookie = domain::place::remember(chosen.as_ref().map(|z| z.id.as_str()));
            let response = respond::redirect(&back)?;
            respond::with_header(response, "Set-Cookie", &cookie)
        }
        .await,
    )
}

/// `/carte/integree/`: the map made for an iframe. Unlike every other page, any site may frame
/// it (its own Content-Security-Policy); it shows only public data and holds no form.
pub async fn map_embed(req: Req) -> Outcome {
    let title = req.query("titre");
    let response = render(&site::pages::MapEmbedPage::new(title.as_deref()), 200)?;
    let policy = domain::security::EMBED_CONTENT_SECURITY_POLICY;
    respond::with_header(response, "Content-Security-Policy", policy)
}
