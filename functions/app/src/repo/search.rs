//! The search statements, in the order the domain gives (`Plan::reads`).

use super::{Cost, Statement, all_with_cost};
use crate::App;
use domain::error::ApiError;
use domain::search::reads::{Counted, Step};
use domain::search::{Page, Plan, ResultRow};

/// A page of results and what the database read for it.
pub async fn find(app: &App, plan: &Plan) -> Result<(Page, Cost), ApiError> {
    let (mut reads, mut step) = plan.reads();
    let mut total = Cost::default();
    loop {
        step = match step {
            Step::Zones(zones) => {
                let ids: Vec<_> = zones.iter().map(|z| super::text(&z.as_string())).collect();
                let sql = store::zones::scopes(ids.len());
                let (rows, cost) = all_with_cost::<domain::zone::ScopeRow>(
                    app,
                    Statement::new(sql, ids),
                    "scopes",
                )
                .await?;
                add(&mut total, cost);
                reads.resolved(&rows)?
            }
            Step::Count(cells) => {
                let (sql, args) = store::search::density(plan, cells);
                let (rows, cost) =
                    all_with_cost::<Counted>(app, Statement::new(sql, args), "density").await?;
                add(&mut total, cost);
                reads.counted(rows.first().copied().unwrap_or_default())
            }
            Step::Read(statement) => {
                let (sql, args) = store::search::query(&statement);
                let (rows, cost) =
                    all_with_cost::<ResultRow>(app, Statement::new(sql, args), "search").await?;
                add(&mut total, cost);
                reads.found(rows)
            }
            Step::Done(rows) => {
                // A page and the row past it, whatever the last statement returned.
                total.rows_returned = rows.len();
                return Ok((plan.page(rows), total));
            }
        }
    }
}

fn add(total: &mut Cost, cost: Cost) {
    total.rows_read += cost.rows_read;
    total.sql_ms += cost.sql_ms;
}
