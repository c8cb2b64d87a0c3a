//! Tallying a single choice: one vote per ballot, and the option with the most votes wins.
//! Plurality, on purpose: with more than two options an absolute majority is often out of reach,
//! and the quorum already guards against a decision taken by too few.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceTally {
    /// Votes per option, in the options' order.
    pub counts: Vec<u64>,
    pub participation: u64,
    pub winner: Option<usize>,
    /// The options sharing the most votes when there are several; empty otherwise.
    pub tie: Vec<usize>,
}

/// `options` is how many there are; a vote for an option that does not exist is not counted.
pub fn tally(options: usize, votes: impl IntoIterator<Item = usize>) -> ChoiceTally {
    let mut counts = vec![0u64; options];
    for vote in votes {
        if let Some(count) = counts.get_mut(vote) {
            *count += 1;
        }
    }
    let participation = counts.iter().sum();
    let best = counts.iter().copied().max().unwrap_or(0);
    let top: Vec<usize> = (0..options).filter(|i| counts[*i] == best).collect();
    let (winner, tie) = match top.as_slice() {
        _ if participation == 0 => (None, Vec::new()),
        [one] => (Some(*one), Vec::new()),
        _ => (None, top),
    };
    ChoiceTally {
        counts,
        participation,
        winner,
        tie,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_votes_win() {
        let t = tally(3, [0, 2, 2, 1, 2, 0]);
        assert_eq!(t.counts, vec![2, 1, 3]);
        assert_eq!((t.participation, t.winner), (6, Some(2)));
        assert!(t.tie.is_empty());
    }

    #[test]
    fn a_tie_at_the_top_names_no_winner() {
        let t = tally(4, [0, 3, 3, 0, 1]);
        assert_eq!(t.winner, None);
        assert_eq!(t.tie, vec![0, 3]);
    }

    #[test]
    fn no_ballot_no_winner_and_no_tie() {
        let t = tally(3, []);
        assert_eq!((t.participation, t.winner), (0, None));
        assert!(t.tie.is_empty());
        assert_eq!(tally(2, [5, 1]).counts, vec![0, 1]);
    }
}
