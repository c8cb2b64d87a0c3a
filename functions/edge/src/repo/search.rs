//! The search statements on D1, in the order the domain gives (`Plan::reads`).

use super::Cost;
use domain::error::ApiError;
use domain::search::reads::{Counted, Step};
use domain::search::{Page, Plan, ResultRow};
use worker::Env;

/// A page of results and what D1 read for it.
pub async fn find(env: &Env, plan: &Plan) -> Result<(Page, Cost), ApiError> {
    let (mut reads, mut step) = plan.reads();
    let mut total = Cost::default();
    loop {
        step = match step {
            Step::Zones(zones) => {
                let ids: Vec<_> = zones.iter().map(|z| super::text(&z.as_string())).collect();
                let (rows, cost) = super::all_with_cost::<domain::zone::ScopeRow>(
                    env,
                    &store::zones::scopes(ids.len()),
                    &ids,
                    "scopes",
                )
                .await?;
                total.rows_read += cost.rows_read;
                total.sql_ms += cost.sql_ms;
                reads.resolved(&rows)?
            }
            Step::Count(cells) => {
                let (sql, args) = store::search::density(plan, cells);
                let (rows, cost) =
                    super::all_with_cost::<Counted>(env, &sql, &super::args(args), "density")
                        .await?;
                total.rows_read += cost.rows_read;
                total.sql_ms += cost.sql_ms;
                reads.counted(rows.first().copied().unwrap_or_default())
            }
            Step::Read(statement) => {
                let (sql, args) = store::search::query(&statement);
                let (rows, cost) =
                    super::all_with_cost::<ResultRow>(env, &sql, &super::args(args), "search")
                        .await?;
                total.rows_read += cost.rows_read;
                total.sql_ms += cost.sql_ms;
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
