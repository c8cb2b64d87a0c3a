//! The funding pages rendered on demand (their sums move with every pledge), with the same
//! templates and view models as everything else: the features, one feature, the finances.

use crate::App;
use crate::handlers::features::named;
use crate::handlers::pages::{page, render};
use crate::repo::features as repo;
use crate::repo::{funding, ledger};
use crate::request::Req;
use crate::respond::{self, Outcome};
use axum::extract::State;
use domain::funding::FeatureStatus;
use site::funding::{FeaturePage, FeaturesPage, LINES_PER_PAGE, TransparencyPage};

/// Fresh for a minute at most: sums change with every pledge.
fn short_lived(result: Outcome) -> Outcome {
    result.and_then(|r| respond::with_header(r, "Cache-Control", "public, max-age=60"))
}

/// `/financer/?etat=`: an unknown filter shows everything.
pub async fn features(State(app): State<App>, req: Req) -> Outcome {
    let filter = req.query("etat").and_then(|s| FeatureStatus::parse(&s));
    let now = app.now();
    let result = async {
        let rows = repo::features(&app, filter, now).await?;
        let views: Vec<_> = rows.iter().map(|f| f.view(now)).collect();
        render(&FeaturesPage::new(&views, filter), 200)
    }
    .await;
    page(short_lived(result))
}

/// `/financer/<id>/`.
pub async fn feature(State(app): State<App>, req: Req) -> Outcome {
    let result = async {
        let row = named(&app, &req).await?;
        let history: Vec<_> = repo::history(&app, &row.id)
            .await?
            .into_iter()
            .map(|r| (r.status, domain::time::rfc3339(r.at)))
            .collect();
        render(&FeaturePage::new(&row.view(app.now()), &history), 200)
    }
    .await;
    page(short_lived(result))
}

/// `/transparence/?avant=`: counters, a page of entries older than `avant`, the head hash.
pub async fn transparency(State(app): State<App>, req: Req) -> Outcome {
    let before = req.query("avant").and_then(|v| v.parse::<i64>().ok());
    let result = async {
        let year_ago = domain::donation::donors_since(app.now());
        let summary = funding::summary(&app, year_ago).await?;
        let head = ledger::ledger_latest(&app, 1).await?;
        let lines =
            ledger::ledger_lines(&app, before.unwrap_or(i64::MAX), LINES_PER_PAGE + 1).await?;
        render(
            &TransparencyPage::new(&summary, &lines, head.first(), before),
            200,
        )
    }
    .await;
    page(short_lived(result))
}
