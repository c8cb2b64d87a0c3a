//! The statements a search runs, in order: the zones it names, looked up (what they stand for,
//! or a 400 for one that does not exist); then one statement for most searches; for a search
//! nearest first, a count of the elements around the centre, then one circle sized for a page
//! (and a wider one only when it fell short). The edge (on D1) and the store's native runner
//! (on SQLite) both drive this, so that the order is decided once.

use super::{Plan, ResultRow, Window};
use crate::error::ApiError;
use crate::geo::density;
use crate::zone::{ScopeRow, ZoneId, areas};
use serde::Deserialize;

/// What the count statement answers: the elements placed in the block's cells and, for a
/// search of some kinds, how many placed elements France holds of those kinds and in all
/// (their share scales the block's count).
#[derive(Debug, Clone, Copy, Default, Deserialize)]
pub struct Counted {
    pub elements: i64,
    #[serde(default)]
    pub of_kinds: Option<i64>,
    #[serde(default)]
    pub placed: Option<i64>,
}

impl Counted {
    /// The block's elements of the searched kinds, estimated from their national share.
    pub fn of_search(&self) -> i64 {
        match (self.of_kinds, self.placed) {
            (Some(of_kinds), Some(placed)) if placed > 0 => {
                (self.elements as f64 * of_kinds.clamp(0, placed) as f64 / placed as f64).round()
                    as i64
            }
            _ => self.elements,
        }
    }
}

/// What to run next.
#[derive(Debug)]
pub enum Step {
    /// Look these zones up (`store::zones::scopes`), then call `resolved`.
    Zones(Vec<ZoneId>),
    /// Count the elements in these cells (`store::search::density`), then call `counted`.
    Count([String; 4]),
    /// Run this plan's statement (`store::search::query`), then call `found`.
    Read(Box<Plan>),
    /// The rows of the answer, in order: a page, and the row that says there is more.
    Done(Vec<ResultRow>),
}

pub struct Reads {
    plan: Plan,
    block: Option<density::Block>,
    window: Option<Window>,
}

impl Plan {
    /// The reads of this search, and the first step.
    pub fn reads(&self) -> (Reads, Step) {
        let reads = Reads {
            plan: self.clone(),
            block: self.nearest_first().map(|near| density::block(&near)),
            window: None,
        };
        // Zones the caller already resolved (a zone's own page) need no lookup.
        let first = match self.scopes.is_empty() || !self.areas.is_empty() {
            true => reads.after_zones(),
            false => Step::Zones(self.scopes.clone()),
        };
        (reads, first)
    }
}

impl Reads {
    /// The named zones' rows are in: what they stand for, then the search's own statements.
    pub fn resolved(&mut self, rows: &[ScopeRow]) -> Result<Step, ApiError> {
        self.plan.areas = areas(&self.plan.scopes, rows, "scope")?;
        Ok(self.after_zones())
    }

    fn after_zones(&self) -> Step {
        match &self.block {
            Some(block) => Step::Count(block.cells.clone()),
            None => Step::Read(Box::new(self.plan.clone())),
        }
    }

    /// The block's count is in: the first circle.
    pub fn counted(&mut self, counted: Counted) -> Step {
        let elements = counted.of_search();
        let window = self
            .block
            .as_ref()
            .and_then(|block| self.plan.first_window(elements, block));
        self.window = window;
        match window {
            Some(window) => Step::Read(Box::new(self.plan.within(window))),
            None => Step::Read(Box::new(self.plan.clone())),
        }
    }

    /// A statement's rows are in: the answer, or the next statement.
    pub fn found(&mut self, rows: Vec<ResultRow>) -> Step {
        let Some(mut window) = self.window else {
            return Step::Done(rows);
        };
        if !window.sorted && rows.len() as i64 >= self.plan.window_rows() {
            // More rows in the circle than worth gathering: SQLite sorts them and cuts the page.
            window.sorted = true;
            self.window = Some(window);
            return Step::Read(Box::new(self.plan.within(window)));
        }
        match self.plan.next_window(window, rows.len()) {
            Some(wider) => {
                self.window = Some(wider);
                Step::Read(Box::new(self.plan.within(wider)))
            }
            None => Step::Done(self.plan.nearest(rows)),
        }
    }
}
