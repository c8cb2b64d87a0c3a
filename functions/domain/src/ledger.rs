//! The public ledger: every gift, charge, refund, release and expense is an append-only entry
//! whose hash is SHA-256 over the previous entry's hash and this entry's canonical form, so that
//! any edit, deletion or reordering breaks the chain from that entry on. The head hash is
//! published; a removal of the last entries shows against a head noted earlier.

use crate::secret::hex;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash that comes before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// A donation received.
    Gift,
    /// A pledge charged once its feature was funded.
    Charge,
    /// Money given back.
    Refund,
    /// A pledge let go without charge (feature expired or declined, pledge withdrawn).
    Release,
    /// Money spent (hosting, development).
    Expense,
    /// General funds assigned to a feature by a vote.
    Allocation,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Gift => "gift",
            EntryKind::Charge => "charge",
            EntryKind::Refund => "refund",
            EntryKind::Release => "release",
            EntryKind::Expense => "expense",
            EntryKind::Allocation => "allocation",
        }
    }
}

/// `POST /api/ledger/expenses` (the treasurer): money spent, with what it paid for.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpenseInput {
    pub amount_cents: i64,
    pub currency: Option<String>,
    /// What was paid for, published as the entry's reference ("hébergement novembre").
    pub label: String,
}

impl ExpenseInput {
    /// The amount, currency and published reference of an expense.
    pub fn check(self) -> Result<(i64, String, String), crate::error::ApiError> {
        use crate::error::{ApiError, ErrorCode};
        if !(1..=100_000_000).contains(&self.amount_cents) {
            return Err(ApiError::on_field(ErrorCode::InvalidField, "amount_cents"));
        }
        let label = self.label.trim();
        if !(3..=120).contains(&label.chars().count()) {
            return Err(ApiError::on_field(ErrorCode::InvalidField, "label"));
        }
        let currency = crate::donation::currency(self.currency)?;
        Ok((self.amount_cents, currency, format!("expense:{label}")))
    }
}

/// An entry as stored and published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub seq: i64,
    /// RFC 3339 UTC.
    pub at: String,
    pub kind: String,
    pub amount_cents: i64,
    pub currency: String,
    /// What the entry is about (a donation, pledge or feature id), never a person.
    #[serde(rename = "ref")]
    pub reference: String,
    pub prev_hash: String,
    pub hash: String,
}

/// An entry as the transparency page lists it, with the feature it concerns, if any.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Line {
    pub seq: i64,
    pub at: String,
    pub kind: String,
    pub amount_cents: i64,
    pub currency: String,
    #[serde(rename = "ref")]
    pub reference: String,
    pub hash: String,
    pub feature_id: Option<String>,
    pub feature_title: Option<String>,
}

impl Line {
    /// What the entry is about, in words, and where to read more: a feature by its title, an
    /// expense by its label; a gift stays anonymous.
    pub fn object(&self) -> (String, Option<String>) {
        if let (Some(id), Some(title)) = (&self.feature_id, &self.feature_title) {
            return (format!("« {title} »"), Some(format!("/financer/{id}/")));
        }
        match self.reference.split_once(':') {
            Some(("donation", _)) => ("Un don".to_string(), None),
            Some(("expense", label)) => (label.to_string(), None),
            _ => (self.reference.clone(), None),
        }
    }
}

/// The text that is hashed: fields in a fixed order, separated by `|`, in which `|` and `\` of
/// the reference are escaped so that no two entries share a canonical form.
pub fn canonical(
    seq: i64,
    at: &str,
    kind: &str,
    amount_cents: i64,
    currency: &str,
    reference: &str,
) -> String {
    let reference = reference.replace('\\', "\\\\").replace('|', "\\|");
    format!("{seq}|{at}|{kind}|{amount_cents}|{currency}|{reference}")
}

pub fn chain_hash(prev_hash: &str, canonical: &str) -> String {
    let mut digest = Sha256::new();
    digest.update(prev_hash.as_bytes());
    digest.update(b"\n");
    digest.update(canonical.as_bytes());
    hex(&digest.finalize())
}

/// An entry as appended: SQLite gave it the next `seq` (its single writer never hands one out
/// twice, so concurrent appends cannot conflict), and its hashes are set afterwards, when it is
/// sealed (`seal`). Until then `prev_hash` and `hash` are None.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Appended {
    pub seq: i64,
    pub at: String,
    pub kind: String,
    pub amount_cents: i64,
    pub currency: String,
    #[serde(rename = "ref")]
    pub reference: String,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

impl Appended {
    /// This entry chained to `prev_hash`.
    fn chained(&self, prev_hash: &str) -> Entry {
        let form = canonical(
            self.seq,
            &self.at,
            &self.kind,
            self.amount_cents,
            &self.currency,
            &self.reference,
        );
        Entry {
            seq: self.seq,
            at: self.at.clone(),
            kind: self.kind.clone(),
            amount_cents: self.amount_cents,
            currency: self.currency.clone(),
            reference: self.reference.clone(),
            prev_hash: prev_hash.to_string(),
            hash: chain_hash(prev_hash, &form),
        }
    }
}

/// The hashes of the entries not yet sealed. `rows` are in `seq` order: the last sealed entry
/// (absent when the chain starts here), then those after it. The result is a pure function of
/// the stored entries, so two runs sealing at once compute the same hashes and either may
/// write them. Stops at a gap in `seq`, which `verify` then names.
pub fn seal(rows: &[Appended]) -> Vec<Entry> {
    let mut sealed = Vec::new();
    let (mut prev_seq, mut prev_hash) = (0, GENESIS.to_string());
    for row in rows {
        if let Some(hash) = &row.hash {
            (prev_seq, prev_hash) = (row.seq, hash.clone());
            continue;
        }
        if row.seq != prev_seq + 1 {
            break;
        }
        let entry = row.chained(&prev_hash);
        (prev_seq, prev_hash) = (entry.seq, entry.hash.clone());
        sealed.push(entry);
    }
    sealed
}

/// The chain of `rows` (every entry, in `seq` order) verified without writing anything: entries
/// not sealed yet are chained as the next read would seal them (`seal`). Also says how many
/// were not sealed yet. What `communs doctor` reports on a database it only reads.
pub fn verify_appended(rows: &[Appended]) -> (Result<Verified, Broken>, usize) {
    let sealed_now = seal(rows);
    let mut entries = Vec::with_capacity(rows.len());
    let mut unsealed = 0;
    for row in rows {
        let entry = match (&row.prev_hash, &row.hash) {
            (Some(prev_hash), Some(hash)) => Entry {
                seq: row.seq,
                at: row.at.clone(),
                kind: row.kind.clone(),
                amount_cents: row.amount_cents,
                currency: row.currency.clone(),
                reference: row.reference.clone(),
                prev_hash: prev_hash.clone(),
                hash: hash.clone(),
            },
            _ => {
                unsealed += 1;
                match sealed_now.iter().find(|e| e.seq == row.seq) {
                    Some(entry) => entry.clone(),
                    None => {
                        let broken = Broken {
                            ok: false,
                            seq: row.seq,
                            reason: "sequence_gap",
                        };
                        return (Err(broken), unsealed);
                    }
                }
            }
        };
        entries.push(entry);
    }
    (verify(&entries), unsealed)
}

/// A verified chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verified {
    pub ok: bool,
    pub count: i64,
    pub head: String,
}

/// Where a chain breaks: the first entry that does not follow from the one before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Broken {
    pub ok: bool,
    pub seq: i64,
    pub reason: &'static str,
}

/// Recomputes the chain over entries in `seq` order.
pub fn verify(entries: &[Entry]) -> Result<Verified, Broken> {
    let mut prev_hash = GENESIS.to_string();
    for (expected_seq, entry) in (1..).zip(entries) {
        let broken = |reason| Broken {
            ok: false,
            seq: entry.seq,
            reason,
        };
        if entry.seq != expected_seq {
            return Err(broken("sequence_gap"));
        }
        if entry.prev_hash != prev_hash {
            return Err(broken("previous_hash_mismatch"));
        }
        let form = canonical(
            entry.seq,
            &entry.at,
            &entry.kind,
            entry.amount_cents,
            &entry.currency,
            &entry.reference,
        );
        if chain_hash(&prev_hash, &form) != entry.hash {
            return Err(broken("hash_mismatch"));
        }
        prev_hash = entry.hash.clone();
    }
    Ok(Verified {
        ok: true,
        count: entries.len() as i64,
        head: prev_hash,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn appended(seq: i64) -> Appended {
        let kind = match seq % 2 {
            1 => EntryKind::Gift,
            _ => EntryKind::Charge,
        };
        Appended {
            seq,
            at: format!("2026-11-2{}T10:00:00Z", seq % 10),
            kind: kind.as_str().into(),
            amount_cents: 500 + seq,
            currency: "EUR".into(),
            reference: format!("don_{seq}"),
            prev_hash: None,
            hash: None,
        }
    }

    fn chain(n: i64) -> Vec<Entry> {
        seal(&(1..=n).map(appended).collect::<Vec<_>>())
    }

    fn stored(entry: &Entry) -> Appended {
        Appended {
            prev_hash: Some(entry.prev_hash.clone()),
            hash: Some(entry.hash.clone()),
            ..appended(entry.seq)
        }
    }

    #[test]
    fn sealing_in_steps_or_twice_gives_the_same_chain() {
        let whole = chain(6);
        // Sealed up to 3, then 4 to 6 after the last sealed entry: the same hashes.
        let first = seal(&(1..=3).map(appended).collect::<Vec<_>>());
        let mut rest = vec![stored(&first[2])];
        rest.extend((4..=6).map(appended));
        let second = seal(&rest);
        assert_eq!([first, second.clone()].concat(), whole);
        // A run that finds them sealed already has nothing to do.
        let mut again: Vec<Appended> = whole.iter().map(stored).collect();
        assert_eq!(seal(&again), vec![]);
        // An entry after a gap is left unsealed (verify names the gap).
        again.push(appended(8));
        assert_eq!(seal(&again), vec![]);
        assert_eq!(verify(&whole).unwrap().count, 6);
    }

    #[test]
    fn an_expense_says_what_it_paid_for() {
        let input = |amount_cents, label: &str| ExpenseInput {
            amount_cents,
            currency: None,
            label: label.into(),
        };
        assert_eq!(
            input(4_200, " hébergement novembre ").check().unwrap(),
            (4_200, "EUR".into(), "expense:hébergement novembre".into())
        );
        assert!(input(0, "hébergement").check().is_err());
        assert!(input(100, "").check().is_err());
    }

    #[test]
    fn a_chain_verifies_and_names_its_head() {
        let entries = chain(5);
        assert_eq!(entries[0].prev_hash, GENESIS);
        assert_eq!(entries[1].prev_hash, entries[0].hash);
        let verified = verify(&entries).unwrap();
        assert_eq!(
            (verified.count, verified.head.as_str()),
            (5, entries[4].hash.as_str())
        );
        assert_eq!(verify(&[]).unwrap().head, GENESIS);
    }

    #[test]
    fn any_edit_breaks_the_chain_at_that_entry() {
        let edits: [fn(&mut Entry); 5] = [
            |e| e.amount_cents += 1,
            |e| e.at = "2026-01-01T00:00:00Z".into(),
            |e| e.kind = "refund".into(),
            |e| e.reference = "don_x".into(),
            |e| e.currency = "USD".into(),
        ];
        for edit in edits {
            let mut entries = chain(5);
            edit(&mut entries[2]);
            assert_eq!(verify(&entries).unwrap_err().seq, 3);
        }
    }

    #[test]
    fn a_recomputed_hash_still_breaks_the_next_link() {
        let mut entries = chain(5);
        entries[2].amount_cents = 1;
        let form = canonical(
            3,
            &entries[2].at,
            &entries[2].kind,
            1,
            "EUR",
            &entries[2].reference,
        );
        entries[2].hash = chain_hash(&entries[2].prev_hash, &form);
        let broken = verify(&entries).unwrap_err();
        assert_eq!((broken.seq, broken.reason), (4, "previous_hash_mismatch"));
    }

    #[test]
    fn deletion_and_reordering_are_detected() {
        let mut deleted = chain(5);
        deleted.remove(1);
        assert_eq!(verify(&deleted).unwrap_err().seq, 3);
        let mut swapped = chain(5);
        swapped.swap(1, 2);
        assert_eq!(verify(&swapped).unwrap_err().seq, 3);
        let mut truncated = chain(5);
        let head = truncated[4].hash.clone();
        truncated.pop();
        assert_ne!(
            verify(&truncated).unwrap().head,
            head,
            "a removed tail shows against the published head"
        );
    }

    #[test]
    fn references_cannot_collide_through_separators() {
        assert_ne!(
            canonical(1, "t", "gift", 1, "EUR", "a|b"),
            canonical(1, "t", "gift", 1, "EUR|a", "b")
        );
    }

    #[test]
    fn the_chain_is_checked_with_its_unsealed_tail_and_a_forgery_shows() {
        let mut rows: Vec<Appended> = (1..=5).map(appended).collect();
        for entry in seal(&rows[..3]) {
            let row = &mut rows[entry.seq as usize - 1];
            row.prev_hash = Some(entry.prev_hash);
            row.hash = Some(entry.hash);
        }
        let (verdict, unsealed) = verify_appended(&rows);
        assert_eq!(unsealed, 2);
        assert_eq!(verdict.map(|v| v.count), Ok(5));

        rows[1].amount_cents += 1;
        let (verdict, _) = verify_appended(&rows);
        assert_eq!(verdict.unwrap_err().seq, 2);

        let gap: Vec<Appended> = [1, 2, 4].into_iter().map(appended).collect();
        let (verdict, _) = verify_appended(&gap);
        assert_eq!(verdict.unwrap_err().seq, 4);
    }
}
