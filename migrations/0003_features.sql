-- Feature co-funding: features, the statuses each reached, pledges, and saved payment methods.

-- A feature to co-fund. `deadline` and times are Unix seconds.
CREATE TABLE feature (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  goal_cents INTEGER NOT NULL CHECK (goal_cents > 0),
  currency TEXT NOT NULL,
  deadline INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN
    ('proposed', 'funding', 'funded', 'in_progress', 'delivered', 'expired', 'declined')),
  proposed_by TEXT REFERENCES person(id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX feature_status ON feature (status, deadline);

-- Each status a feature reached, at most once: the key makes a second funding transition fail.
CREATE TABLE feature_history (
  feature_id TEXT NOT NULL REFERENCES feature(id) ON DELETE CASCADE,
  status TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (feature_id, status)
);

-- A promise to pay toward a feature, charged only once the feature is funded. A charge is
-- claimed (`charging`) before the provider is asked, so that two runs never charge it twice;
-- `attempts` numbers the provider's idempotency key.
CREATE TABLE pledge (
  id TEXT PRIMARY KEY,
  feature_id TEXT NOT NULL REFERENCES feature(id),
  person_id TEXT REFERENCES person(id) ON DELETE SET NULL,
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  currency TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN
    ('pending', 'committed', 'charging', 'charged', 'charge_failed', 'refunded', 'withdrawn',
     'released')),
  idempotency_key TEXT,
  moved_from TEXT REFERENCES pledge(id),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  last_error TEXT,
  charge_ref TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (person_id, idempotency_key)
);
CREATE INDEX pledge_feature ON pledge (feature_id, status);
CREATE INDEX pledge_person ON pledge (person_id, created_at);
CREATE INDEX pledge_due ON pledge (status, next_attempt_at);

-- A person's saved means of payment at the provider, for charges made later without them.
CREATE TABLE payment_method (
  person_id TEXT PRIMARY KEY REFERENCES person(id) ON DELETE CASCADE,
  provider TEXT NOT NULL,
  customer_ref TEXT NOT NULL,
  method_ref TEXT,
  saved_at INTEGER NOT NULL
);

UPDATE schema_meta SET version = 3, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = 1;
