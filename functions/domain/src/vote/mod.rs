//! Votes in a cooperative space: what a ballot holds, how ballots are tallied and what the
//! proposal resolves. Four methods, each a pure tally:
//!
//! - **Motion**: each ballot is *for*, *against* or *blank*. Blank ballots count for participation
//!   and the quorum, not in the share: the for-share is for ÷ (for + against). The motion is
//!   adopted when the for-share strictly exceeds the required majority (50 % for at a 50 %
//!   majority is refused; a 100 % majority, which nothing exceeds, means no against and at least
//!   one for) and the quorum is met.
//! - **Choice** (single choice): each ballot names one option; the option with the most votes wins
//!   (plurality: the majority percent applies to motions only). A tie at the top decides nothing.
//! - **Majority judgment** (Balinski–Laraki): each ballot grades every option from 0 « À rejeter »
//!   to 5 « Excellent ». An option's majority grade is its lower median: with its n grades sorted
//!   ascending, the grade at index (n − 1) / 2. The best majority grade wins; options sharing it
//!   are parted by removing one ballot at the majority grade from each and taking the median again,
//!   until they differ. Options with identical merit profiles stay tied, and a tie decides nothing.
//! - **Budget**: each ballot approves any options (possibly none) whose costs together fit the
//!   stated budget; a ballot over the budget is refused. Options are taken by approvals, most
//!   first (then the cheaper, then the earlier listed), and each one that still fits in what
//!   remains of the budget is kept; one that no longer fits is skipped and the next ones are
//!   tried. An option nobody approved is never kept. The budget is never overspent.
//!
//! For every method, participation is the number of ballots, and the quorum is met when
//! participation reaches the quorum percent of the eligible members (participation × 100 ≥
//! quorum × eligible, on integers, as is the majority). Without the quorum, nothing
//! is decided; with it, a motion is adopted or refused, and the other methods adopt their winners
//! (none, on a tie or when no option is kept, decides nothing).

pub mod amendment;
pub mod ballot;
pub mod budget;
pub mod casting;
pub mod choice;
pub mod detail;
pub mod form;
pub mod judgment;
pub mod method;
pub mod moderation;
pub mod motion;
pub mod phase;
pub mod proposal;
pub mod receipt;
pub mod resolution;
pub mod rules;
pub mod view;
pub mod wire;
