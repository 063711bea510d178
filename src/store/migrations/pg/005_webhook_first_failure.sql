-- 005_webhook_first_failure: see migrations/005_webhook_first_failure.sql.
ALTER TABLE webhook_outbox ADD COLUMN first_failed_at bigint;
