-- Pictures, comments and notifications (issue 22).
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
-- The logo's file that lists, search results and map popups show (its small variant), kept
-- with the picture so that a search reads no other table.
ALTER TABLE element ADD COLUMN logo TEXT;

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

-- The comment an automatic moderation motion is about (the post's is `about_post`).
ALTER TABLE proposal ADD COLUMN about_comment TEXT;
CREATE UNIQUE INDEX proposal_about_comment ON proposal (about_comment) WHERE about_comment IS NOT NULL;

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

-- A person's mail cadence per kind (JSON, domain::notification::Preferences: only what they
-- changed) and when their last digest left.
ALTER TABLE person ADD COLUMN notify TEXT NOT NULL DEFAULT '{}';
ALTER TABLE person ADD COLUMN digest_at INTEGER;
ALTER TABLE person ADD COLUMN weekly_digest_at INTEGER;
-- The key that signs a person's unsubscribe links (random, made with their first mail).
ALTER TABLE person ADD COLUMN unsubscribe_key TEXT;

-- When a proposal's opening vote was announced to its community (once).
ALTER TABLE proposal ADD COLUMN announced_at INTEGER;

-- Development outbox: the one-click unsubscribe address a mail carried (List-Unsubscribe).
ALTER TABLE outbox ADD COLUMN unsubscribe TEXT;

UPDATE schema_meta SET version = 18, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = 1;
