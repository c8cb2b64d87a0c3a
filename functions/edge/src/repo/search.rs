//! The search statements on D1, in the order the domain gives (`Plan::reads`).

use super::{Cost, text};
use domain::error::ApiError;
use domain::search::reads::Step;
use domain::search::{Page, Plan, ResultRow};
use serde::Deserialize;
use worker::Env;

#[derive(Deserialize)]
struct Counted {
    elements: i64,
}

/// A page of results and what D1 read for it.
pub async fn find(env: &Env, plan: &Plan) -> Result<(Page, Cost), ApiError> {
    let (mut reads, mut step) = plan.reads();
    let mut total = Cost::default();
    loop {
        step = match step {
            Step::Count(cells) => {
                let cells: Vec<_> = cells.iter().map(|c| text(c)).collect();
                let (rows, cost) =
                    super::all_with_cost::<Counted>(env, store::search::DENSITY, &cells, "density")
                        .await?;
                total.rows_read += cost.rows_read;
                reads.counted(rows.first().map_or(0, |c| c.elements))
            }
            Step::Read(statement) => {
                let (sql, args) = store::search::query(&statement);
                let (rows, cost) =
                    super::all_with_cost::<ResultRow>(env, &sql, &super::args(args), "search")
                        .await?;
                total.rows_read += cost.rows_read;
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
