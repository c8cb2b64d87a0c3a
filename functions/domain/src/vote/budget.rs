//! Tallying a participatory budget: approvals per option, then options kept in order of
//! approvals while they fit in what remains of the budget.

use serde::{Deserialize, Serialize};

/// What became of an option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Allotment {
    /// Kept: its cost is taken from the budget.
    Won,
    /// Approved, but no longer fitting in what remained when its turn came.
    OverBudget,
    /// Nobody approved it.
    Unapproved,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetLine {
    pub option: usize,
    pub cost_cents: i64,
    pub approvals: u64,
    pub allotment: Allotment,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetTally {
    pub budget_cents: i64,
    pub spent_cents: i64,
    pub remainder_cents: i64,
    pub participation: u64,
    /// The options kept, in the order they were taken.
    pub winners: Vec<usize>,
    /// Every option, in the order they were considered.
    pub lines: Vec<BudgetLine>,
}

/// `costs` gives each option's cost; an approval of an option that does not exist, or a second
/// approval of the same option on one ballot, is not counted. Ballots are counted whatever their
/// total: `check_ballot` refuses those over the budget.
///
/// Options are considered by approvals, most first, then the cheaper, then the earlier listed:
/// at equal support, the cheaper leaves more for the others. Each one kept must fit in what
/// remains, so the spending never exceeds the budget (a cost below zero is never kept).
pub fn tally<'a>(
    costs: &[i64],
    budget_cents: i64,
    ballots: impl IntoIterator<Item = &'a [usize]>,
) -> BudgetTally {
    let mut approvals = vec![0u64; costs.len()];
    let mut participation = 0;
    for approved in ballots {
        participation += 1;
        let mut seen = vec![false; costs.len()];
        for option in approved {
            if let Some(first) = seen.get_mut(*option).filter(|s| !**s) {
                *first = true;
                approvals[*option] += 1;
            }
        }
    }
    let mut order: Vec<usize> = (0..costs.len()).collect();
    order.sort_by(|a, b| {
        (approvals[*b].cmp(&approvals[*a]))
            .then(costs[*a].cmp(&costs[*b]))
            .then(a.cmp(b))
    });
    let mut remainder = budget_cents;
    let mut winners = Vec::new();
    let lines = order
        .into_iter()
        .map(|option| {
            let cost = costs[option];
            let allotment = if approvals[option] == 0 {
                Allotment::Unapproved
            } else if (0..=remainder).contains(&cost) {
                remainder -= cost;
                winners.push(option);
                Allotment::Won
            } else {
                Allotment::OverBudget
            };
            BudgetLine {
                option,
                cost_cents: cost,
                approvals: approvals[option],
                allotment,
            }
        })
        .collect();
    BudgetTally {
        budget_cents,
        spent_cents: budget_cents - remainder,
        remainder_cents: remainder,
        participation,
        winners,
        lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(costs: &[i64], budget: i64, ballots: &[Vec<usize>]) -> BudgetTally {
        tally(costs, budget, ballots.iter().map(Vec::as_slice))
    }

    fn outcome(t: &BudgetTally) -> Vec<(usize, u64, Allotment)> {
        t.lines
            .iter()
            .map(|l| (l.option, l.approvals, l.allotment))
            .collect()
    }

    #[test]
    fn options_are_kept_by_approvals_while_they_fit() {
        // Budget 1 000; A 700, B 500, C 200, D 100, E 300. A (4 approvals) is kept, leaving 300;
        // C goes before B at 3 approvals each, being cheaper, and is kept (100 left); B no longer
        // fits and is skipped; D still fits; E does not.
        let costs = [700, 500, 200, 100, 300];
        let ballots = vec![
            vec![0, 2, 3],
            vec![0, 2],
            vec![0, 3],
            vec![1, 2, 4],
            vec![1, 4],
            vec![1],
            vec![0],
        ];
        let t = run(&costs, 1_000, &ballots);
        assert_eq!(t.participation, 7);
        assert_eq!(t.winners, vec![0, 2, 3]);
        assert_eq!(
            outcome(&t),
            vec![
                (0, 4, Allotment::Won),
                (2, 3, Allotment::Won),
                (1, 3, Allotment::OverBudget),
                (3, 2, Allotment::Won),
                (4, 2, Allotment::OverBudget),
            ]
        );
        assert_eq!((t.spent_cents, t.remainder_cents), (1_000, 0));
        let json = serde_json::to_value(&t).unwrap();
        assert_eq!(json["lines"][2]["allotment"], "over_budget");
    }

    #[test]
    fn the_most_approved_option_may_not_fit_while_later_ones_do() {
        let t = run(
            &[1_200, 400, 500],
            1_000,
            &[vec![0], vec![0], vec![0, 1], vec![2]],
        );
        assert_eq!(
            outcome(&t),
            vec![
                (0, 3, Allotment::OverBudget),
                (1, 1, Allotment::Won),
                (2, 1, Allotment::Won),
            ]
        );
        assert_eq!((t.spent_cents, t.remainder_cents), (900, 100));
    }

    #[test]
    fn equal_support_and_cost_go_by_the_order_of_the_options() {
        let t = run(&[600, 600, 50], 1_000, &[vec![1], vec![0]]);
        assert_eq!(t.winners, vec![0]);
        assert_eq!(
            outcome(&t),
            vec![
                (0, 1, Allotment::Won),
                (1, 1, Allotment::OverBudget),
                (2, 0, Allotment::Unapproved),
            ]
        );
    }

    #[test]
    fn unknown_and_repeated_approvals_are_not_counted() {
        let t = run(&[100, 200], 1_000, &[vec![0, 0, 0, 7], vec![]]);
        assert_eq!(t.participation, 2);
        assert_eq!(outcome(&t)[0], (0, 1, Allotment::Won));
        assert_eq!(outcome(&t)[1], (1, 0, Allotment::Unapproved));
    }

    /// xorshift64: enough spread for generated cases, and the same cases on every run.
    struct Draw(u64);

    impl Draw {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
    }

    #[test]
    fn the_budget_is_never_overspent() {
        let mut draw = Draw(0x9e37_79b9_7f4a_7c15);
        for _ in 0..2_000 {
            let budget = draw.below(10_000) as i64;
            let options = 1 + draw.below(12) as usize;
            let costs: Vec<i64> = (0..options).map(|_| 1 + draw.below(6_000) as i64).collect();
            let ballots: Vec<Vec<usize>> = (0..draw.below(40))
                .map(|_| {
                    (0..draw.below(options as u64 + 1))
                        .map(|_| draw.below(options as u64) as usize)
                        .collect()
                })
                .collect();
            let t = run(&costs, budget, &ballots);
            let spent: i64 = t.winners.iter().map(|w| costs[*w]).sum();
            assert!(spent <= budget, "{costs:?} {budget} {ballots:?}");
            assert_eq!(t.spent_cents, spent);
            assert_eq!(t.remainder_cents, budget - spent);
            assert_eq!(t.lines.len(), options);
            for line in &t.lines {
                match line.allotment {
                    Allotment::Won => assert!(line.approvals > 0),
                    // Skipped only when it could not fit even in what is left at the end.
                    Allotment::OverBudget => assert!(line.cost_cents > t.remainder_cents),
                    Allotment::Unapproved => assert_eq!(line.approvals, 0),
                }
            }
            assert!(t.lines.windows(2).all(|w| w[0].approvals >= w[1].approvals));
        }
    }
}
