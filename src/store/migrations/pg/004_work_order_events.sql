-- 004_work_order_events: the fifth stream (see migrations/004_work_order_events.sql):
-- one event per status change of a process order. Its seq comes from
-- stream_heads like every stream's, so its head row is added here.
CREATE TABLE work_order_events (
  seq          bigint PRIMARY KEY,
  order_id     bigint NOT NULL REFERENCES operation_orders (id),
  operation_id text NOT NULL,
  status       text NOT NULL CHECK (status IN ('READY', 'IN_PROGRESS', 'COMPLETED', 'CANCELED')),
  at           bigint NOT NULL
);

ALTER TABLE stream_heads DROP CONSTRAINT stream_heads_stream_check;
ALTER TABLE stream_heads ADD CONSTRAINT stream_heads_stream_check
  CHECK (stream IN ('operations', 'sub_operations', 'completes', 'notes', 'work_orders'));
INSERT INTO stream_heads (stream, head) VALUES ('work_orders', 0);
