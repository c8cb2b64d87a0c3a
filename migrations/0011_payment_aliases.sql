-- Migration 0011: a monthly gift's refund finds its invoice through the payment's other names
-- (Stripe's API of 2025-03-31 no longer names the invoice on the charge; see schema.sql).
-- The provider's other names for a payment the ledger entered under `source` (a monthly gift's
-- invoice: its payment intent and charge), so that a refund, which names only those, finds it.
CREATE TABLE payment_alias (
  alias TEXT PRIMARY KEY,
  source TEXT NOT NULL
) WITHOUT ROWID;

UPDATE schema_meta SET version = 11, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = 1;
