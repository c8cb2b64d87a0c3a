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
  vote_until INTEGER NOT NULL,
  author_id TEXT REFERENCES person(id) ON DELETE SET NULL,
  -- The reported post an automatic moderation motion is about.
  about_post TEXT,
  created_at INTEGER NOT NULL,
  closed_at INTEGER,
  resolution TEXT
);
CREATE INDEX proposal_community ON proposal (community, vote_until);
CREATE INDEX proposal_to_close ON proposal (closed_at, vote_until);
-- One moderation motion per post, even when reports cross.
CREATE UNIQUE INDEX proposal_about_post ON proposal (about_post) WHERE about_post IS NOT NULL;

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
  PRIMARY KEY (proposal_id, person_id)
) WITHOUT ROWID;

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

-- A post hidden by an adopted moderation motion.
ALTER TABLE post ADD COLUMN hidden_at INTEGER;

UPDATE schema_meta SET version = 4, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = 1;
