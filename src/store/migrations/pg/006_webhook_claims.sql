-- 006_webhook_claims: see migrations/006_webhook_claims.sql. claim_until is
-- taken from the database's clock, so instances whose clocks differ agree
-- on when a lease has run out.
ALTER TABLE webhook_subscriptions ADD COLUMN claimed_by text;
ALTER TABLE webhook_subscriptions ADD COLUMN claim_until bigint;
