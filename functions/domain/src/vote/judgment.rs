//! Tallying a majority judgment (Balinski–Laraki): each option's merit profile, its majority
//! grade, and the ranking, ties parted by the majority values.

use super::method::{MAX_GRADE, grade_label};
use serde::{Deserialize, Serialize};

/// How many ballots gave each grade, from 0 « À rejeter » to 5 « Excellent ».
pub type Profile = [u64; MAX_GRADE as usize + 1];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JudgedOption {
    pub option: usize,
    /// 1 for the best; tied options share a rank and the next ones skip it (1, 1, 3).
    pub rank: usize,
    pub profile: Profile,
    /// None without ballots.
    pub majority_grade: Option<u8>,
    pub majority_label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JudgmentTally {
    pub participation: u64,
    /// Every option, best first; tied ones in the options' order.
    pub ranking: Vec<JudgedOption>,
    pub winner: Option<usize>,
    /// The options sharing the first rank when there are several; empty otherwise.
    pub tie: Vec<usize>,
}

/// The lower median: with the n grades sorted ascending, the one at index (n − 1) / 2. Taking the
/// lower of the two middle grades means a majority gave at least this grade.
pub fn majority_grade(profile: &Profile) -> Option<u8> {
    let n: u64 = profile.iter().sum();
    let index = n.checked_sub(1)? / 2;
    let mut below = 0;
    (0..=MAX_GRADE).find(|grade| {
        below += profile[usize::from(*grade)];
        below > index
    })
}

/// The majority value: the majority grade, then the majority grade once one ballot at it is
/// removed, and so on until no ballot is left. Between options graded by the same ballots,
/// comparing these sequences from the start is exactly the tie-break of majority judgment, and
/// two sequences are equal only when the profiles are.
pub fn majority_value(profile: &Profile) -> Vec<u8> {
    let mut left = *profile;
    let mut value = Vec::new();
    while let Some(grade) = majority_grade(&left) {
        value.push(grade);
        left[usize::from(grade)] -= 1;
    }
    value
}

/// `options` is how many there are; a ballot that does not grade each of them with a grade that
/// exists is not counted (`check_ballot` lets none through).
pub fn tally<'a>(options: usize, ballots: impl IntoIterator<Item = &'a [u8]>) -> JudgmentTally {
    let mut profiles = vec![Profile::default(); options];
    let mut participation = 0;
    for grades in ballots {
        if grades.len() != options || grades.iter().any(|g| *g > MAX_GRADE) {
            continue;
        }
        participation += 1;
        for (profile, grade) in profiles.iter_mut().zip(grades) {
            profile[usize::from(*grade)] += 1;
        }
    }
    let values: Vec<Vec<u8>> = profiles.iter().map(majority_value).collect();
    let mut order: Vec<usize> = (0..options).collect();
    order.sort_by(|a, b| values[*b].cmp(&values[*a]).then(a.cmp(b)));
    let mut ranking: Vec<JudgedOption> = Vec::with_capacity(options);
    for (place, option) in order.into_iter().enumerate() {
        let rank = match ranking.last() {
            Some(last) if values[last.option] == values[option] => last.rank,
            _ => place + 1,
        };
        let majority_grade = majority_grade(&profiles[option]);
        ranking.push(JudgedOption {
            option,
            rank,
            profile: profiles[option],
            majority_grade,
            majority_label: majority_grade.map(|g| grade_label(g).to_string()),
        });
    }
    let first: Vec<usize> = ranking
        .iter()
        .take_while(|o| o.rank == 1)
        .map(|o| o.option)
        .collect();
    let (winner, tie) = match first.as_slice() {
        _ if participation == 0 => (None, Vec::new()),
        [one] => (Some(*one), Vec::new()),
        _ => (None, first),
    };
    JudgmentTally {
        participation,
        ranking,
        winner,
        tie,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ballots from each option's grades, given column by column (one list per option).
    fn by_option(columns: &[&[u8]]) -> Vec<Vec<u8>> {
        (0..columns[0].len())
            .map(|voter| columns.iter().map(|c| c[voter]).collect())
            .collect()
    }

    fn run(columns: &[&[u8]]) -> JudgmentTally {
        let ballots = by_option(columns);
        tally(columns.len(), ballots.iter().map(Vec::as_slice))
    }

    #[test]
    fn the_majority_grade_is_the_lower_median() {
        assert_eq!(majority_grade(&[0, 1, 1, 1, 0, 0]), Some(2)); // 1 2 3
        assert_eq!(majority_grade(&[0, 1, 1, 1, 1, 0]), Some(2)); // 1 2 3 4: index 1
        assert_eq!(majority_grade(&[3, 0, 0, 0, 0, 3]), Some(0)); // 0 0 0 5 5 5: index 2
        assert_eq!(majority_grade(&[0, 0, 0, 0, 0, 1]), Some(5));
        assert_eq!(majority_grade(&[0; 6]), None);
        assert_eq!(majority_value(&[0, 1, 3, 0, 1, 0]), vec![2, 2, 2, 1, 4]);
    }

    #[test]
    fn profiles_and_majority_grades_rank_the_options() {
        let t = run(&[&[5, 4, 4, 2, 1], &[3, 3, 2, 2, 0], &[0, 1, 0, 1, 5]]);
        assert_eq!(t.participation, 5);
        assert_eq!(t.winner, Some(0));
        let first = &t.ranking[0];
        assert_eq!(first.profile, [0, 1, 1, 0, 2, 1]);
        assert_eq!(
            (first.option, first.rank, first.majority_grade),
            (0, 1, Some(4))
        );
        assert_eq!(first.majority_label.as_deref(), Some("Bien"));
        assert_eq!(
            t.ranking
                .iter()
                .map(|o| (o.option, o.rank, o.majority_grade))
                .collect::<Vec<_>>(),
            vec![(0, 1, Some(4)), (1, 2, Some(2)), (2, 3, Some(1))]
        );
        let json = serde_json::to_value(&t).unwrap();
        assert_eq!(json["ranking"][0]["profile"][4], 2);
    }

    #[test]
    fn a_shared_majority_grade_is_parted_by_removing_it() {
        // A: 0 2 2 3 3, B: 1 1 2 5 5. Both « Passable »; B has the better mean, but without one
        // « Passable » each, A keeps 0 2 3 3 (median 2) and B falls to 1 1 5 5 (median 1).
        let t = run(&[&[0, 2, 2, 3, 3], &[1, 1, 2, 5, 5]]);
        assert_eq!(t.ranking[0].majority_grade, t.ranking[1].majority_grade);
        assert_eq!(t.winner, Some(0));
        assert_eq!((t.ranking[1].option, t.ranking[1].rank), (1, 2));
    }

    #[test]
    fn the_tie_break_goes_on_until_the_grades_differ() {
        // A: 1 2 2 2 4, B: 0 2 2 2 5. As many grades above and below the median each: three
        // removals keep both at 2, then A is left with 1 4 (median 1) and B with 0 5 (median 0).
        let a = [0, 1, 3, 0, 1, 0];
        let b = [1, 0, 3, 0, 0, 1];
        assert_eq!(majority_value(&a), vec![2, 2, 2, 1, 4]);
        assert_eq!(majority_value(&b), vec![2, 2, 2, 0, 5]);
        let t = run(&[&[0, 2, 2, 2, 5], &[1, 2, 2, 2, 4]]);
        assert_eq!(t.winner, Some(1));
        assert!(t.tie.is_empty());
    }

    #[test]
    fn identical_profiles_stay_tied() {
        // B holds A's grades in another order; C is worse.
        let t = run(&[&[4, 3, 1, 5], &[1, 5, 4, 3], &[0, 0, 1, 5]]);
        assert_eq!(t.winner, None);
        assert_eq!(t.tie, vec![0, 1]);
        assert_eq!(
            t.ranking.iter().map(|o| o.rank).collect::<Vec<_>>(),
            vec![1, 1, 3]
        );
    }

    #[test]
    fn malformed_ballots_and_empty_votes_count_for_nothing() {
        let ballots: Vec<Vec<u8>> = vec![vec![5, 0], vec![5], vec![6, 0], vec![1, 2, 3]];
        let t = tally(2, ballots.iter().map(Vec::as_slice));
        assert_eq!(t.participation, 1);
        assert_eq!(t.winner, Some(0));
        let empty = tally(2, std::iter::empty());
        assert_eq!((empty.winner, empty.tie.len()), (None, 0));
        assert_eq!(empty.ranking[0].majority_grade, None);
    }
}
