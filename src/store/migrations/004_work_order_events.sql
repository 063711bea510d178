-- 004_work_order_events: the fifth stream, one event per status change of a
-- process order (a work order), so a station's queue can be kept live and
-- resumed with afterSeq like the other streams. An event shows the order as
-- it is now; it keeps the status the change gave it, and the order's process
-- (an order's operation never changes) so a station's filter needs no join.
CREATE TABLE work_order_events (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  order_id     INTEGER NOT NULL REFERENCES operation_orders (id),
  operation_id TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('READY', 'IN_PROGRESS', 'COMPLETED', 'CANCELED')),
  at           INTEGER NOT NULL
) STRICT;
