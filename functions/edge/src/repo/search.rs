//! The search statement on D1.

use super::Cost;
use domain::error::ApiError;
use domain::search::{Page, Plan, ResultRow};
use worker::Env;

async fn run(env: &Env, plan: &Plan) -> Result<(Vec<ResultRow>, Cost), ApiError> {
    let (sql, args) = store::search::query(plan);
    super::all_with_cost(env, &sql, &super::args(args), "search").await
}

/// A page of results and what D1 read for it. Nearest first, the circle widens as the domain
/// says (`Plan::next_window`), one statement a circle.
pub async fn find(env: &Env, plan: &Plan) -> Result<(Page, Cost), ApiError> {
    let Some(mut window) = plan.first_window() else {
        let (rows, cost) = run(env, plan).await?;
        return Ok((plan.page(rows), cost));
    };
    let mut total = Cost::default();
    loop {
        let (rows, cost) = run(env, &plan.within(window)).await?;
        total.rows_read += cost.rows_read;
        match plan.next_window(window, rows.len()) {
            Some(wider) => window = wider,
            None => {
                total.rows_returned = cost.rows_returned;
                return Ok((plan.page(rows), total));
            }
        }
    }
}
