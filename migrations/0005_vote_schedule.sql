-- The contract's schedule and receipts (../shared/api-contract.md, "Cooperative space and
-- votes"): a vote opens at `vote_from`, which may come after the amendments' deadline, and
-- every ballot, open ones too, comes with a receipt the voter can check.

-- Proposals of schema 4 opened their vote when amendments closed, or at once.
ALTER TABLE proposal ADD COLUMN vote_from INTEGER;
UPDATE proposal SET vote_from = coalesce(amend_until, created_at) WHERE vote_from IS NULL;

-- The hash of an open ballot's receipt (the receipt itself is shown once, never kept).
ALTER TABLE ballot ADD COLUMN receipt_hash TEXT;
CREATE INDEX ballot_receipt ON ballot (receipt_hash) WHERE receipt_hash IS NOT NULL;

UPDATE schema_meta SET version = 5, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = 1;
