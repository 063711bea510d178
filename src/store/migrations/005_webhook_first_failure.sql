-- 005_webhook_first_failure: when a delivery first failed, so a subscription
-- is marked failing after an hour of failures, not an hour after its event
-- (a row that waited behind a backlog is not failing on its first error).
ALTER TABLE webhook_outbox ADD COLUMN first_failed_at INTEGER;
