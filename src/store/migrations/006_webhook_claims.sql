-- 006_webhook_claims: a subscription's delivery is claimed by one instance
-- at a time, with a lease (PostgreSQL, several instances: see
-- docs/postgres.md "Webhooks across instances"). claimed_by names the
-- instance, claim_until (ms since the epoch, the database's clock) is when
-- the lease runs out; both NULL when nobody holds it. SQLite has one
-- instance, so it keeps the columns (one schema for both) and never sets them.
ALTER TABLE webhook_subscriptions ADD COLUMN claimed_by TEXT;
ALTER TABLE webhook_subscriptions ADD COLUMN claim_until INTEGER;
