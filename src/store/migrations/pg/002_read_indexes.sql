-- 002_read_indexes (PostgreSQL): as ../002_read_indexes.sql. A covering index
-- for the consumed serials of many operations at once (every operations
-- list that selects consumedSerials): the rows come from the index alone (an
-- index-only scan), in routing order.

CREATE INDEX consumed_serial_attrs_by_position
  ON consumed_serial_attrs (operation_id, position, id, name, part_number);
