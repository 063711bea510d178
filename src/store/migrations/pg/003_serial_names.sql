-- 003_serial_names (PostgreSQL): as ../003_serial_names.sql. A captured
-- serial keeps the attribute's name and part number as they were when it
-- was captured, so a completion reported later (a parent's) says what the
-- operator saw even if the process was redeployed in between.
-- consumed_serials.part_number stays the identity key (the attribute id when
-- the attribute has no part number).
ALTER TABLE consumed_serials ADD COLUMN attribute_name text;
ALTER TABLE consumed_serials ADD COLUMN external_id text;
