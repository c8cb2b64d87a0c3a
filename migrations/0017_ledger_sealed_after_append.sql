-- Appends to the ledger no longer read its head first: an entry takes the next `seq` from SQLite
-- as it is inserted and is sealed (its hashes set) just after, so its hashes may be NULL for a
-- moment. SQLite cannot drop a NOT NULL constraint: the table is copied whole, then renamed.
CREATE TABLE ledger_entry_sealed_later (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  amount_cents INTEGER NOT NULL,
  currency TEXT NOT NULL,
  ref TEXT NOT NULL,
  prev_hash TEXT,
  hash TEXT,
  source TEXT UNIQUE
);
INSERT INTO ledger_entry_sealed_later (seq, at, kind, amount_cents, currency, ref, prev_hash, hash, source)
  SELECT seq, at, kind, amount_cents, currency, ref, prev_hash, hash, source FROM ledger_entry ORDER BY seq;
DROP TABLE ledger_entry;
ALTER TABLE ledger_entry_sealed_later RENAME TO ledger_entry;
CREATE INDEX IF NOT EXISTS ledger_unsealed ON ledger_entry (seq) WHERE hash IS NULL;

UPDATE schema_meta SET version = 17, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = 1;
