-- Funding the commons: donations, the provider events already processed, and the public ledger.

-- A gift, one-off or monthly. `person_id` is cleared when the person erases their account; the
-- donation and its ledger entries stay, without them.
CREATE TABLE donation (
  id TEXT PRIMARY KEY,
  person_id TEXT REFERENCES person(id) ON DELETE SET NULL,
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  currency TEXT NOT NULL,
  recurring TEXT NOT NULL CHECK (recurring IN ('none', 'monthly')),
  -- pending → confirmed (one-off paid) | active (monthly running) → canceled
  status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'active', 'canceled')),
  provider TEXT NOT NULL CHECK (provider IN ('stripe', 'development', 'manual')),
  -- The provider's checkout session, then its subscription for a monthly gift.
  checkout_ref TEXT,
  subscription_ref TEXT,
  created_at INTEGER NOT NULL,
  confirmed_at INTEGER,
  canceled_at INTEGER
);
CREATE INDEX donation_person ON donation (person_id, status);
CREATE INDEX donation_status ON donation (status, recurring);

-- Each provider event is acted on once: a replay finds its id here.
CREATE TABLE payment_event (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  received_at INTEGER NOT NULL
);

-- Append-only, hash-chained (domain::ledger). `ref` names a donation, pledge or feature, never a
-- person. `source` is what the money movement answers to (a provider invoice or payment), so that
-- the same movement is never entered twice.
CREATE TABLE ledger_entry (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  amount_cents INTEGER NOT NULL,
  currency TEXT NOT NULL,
  ref TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  source TEXT UNIQUE
);

UPDATE schema_meta SET version = 2, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = 1;
