-- 002_read_indexes: a covering index for the consumed serials of many
-- operations at once (store_consumed_attrs_of, in every operations list
-- that selects consumedSerials): the rows come from the index alone, in
-- routing order, with no visit to the table.

CREATE INDEX consumed_serial_attrs_by_position
  ON consumed_serial_attrs (operation_id, position, id, name, part_number);
