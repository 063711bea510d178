-- The rows test_pg_read.c and e2e/reads_postgres.test.mjs put into a SQLite
-- and a PostgreSQL database alike, to compare the reads of both: operations
-- in trees (an archived link, a product without processes, ids and names
-- whose byte order is not a collation's), steps, actions, attributes,
-- stations, operators, orders of a waterfall, and every stream's events,
-- payloads as mes_internal.h writes them. One statement a paragraph; %D
-- stands for a digest (x'00' on SQLite, '\x00' on PostgreSQL).

INSERT INTO operations (id, kind, external_id, revision, name, description, produces_serial, template_id, variant_name, digest, seq, updated_at, archived_at) VALUES
  ('p1', 'PROCESS', 'PN-1', 'A', 'Alpha', 'first', 1, NULL, NULL, %D, 1, 100, NULL),
  ('p2', 'PROCESS', 'PN-2', 'B', 'beta', NULL, 0, 't1', 'v', %D, 2, 200, NULL),
  ('p3', 'PROCESS', NULL, NULL, 'Beta', NULL, 1, NULL, NULL, %D, 3, 300, 350),
  ('Zp', 'PROCESS', 'PN-Z', NULL, 'a\bc', NULL, 0, NULL, NULL, %D, 4, 400, NULL),
  ('s1', 'SUBASSEMBLY', 'PN-S', NULL, 'Sub', NULL, 0, NULL, NULL, %D, 5, 500, NULL),
  ('prod', 'PRODUCT', 'PN-P', '1', 'Gadget', NULL, 0, NULL, NULL, %D, 6, 600, NULL),
  ('prod2', 'PRODUCT', NULL, NULL, 'gadget 2', NULL, 0, NULL, NULL, %D, 7, 700, NULL),
  ('prod3', 'PRODUCT', NULL, NULL, 'Empty', NULL, 0, NULL, NULL, %D, 8, 800, NULL);

INSERT INTO sub_operations (parent_id, sub_id, sub_group, position, optional, seq, updated_at, archived_at) VALUES
  ('s1', 'p2', NULL, 0, 0, 1, 10, NULL),
  ('s1', 'p1', 'g', 1, 1, 2, 20, NULL),
  ('prod', 's1', NULL, 0, 0, 3, 30, NULL),
  ('prod', 'Zp', 'g', 1, 0, 4, 40, NULL),
  ('prod', 'p3', NULL, 2, 0, 5, 50, 55),
  ('prod2', 'p1', NULL, 0, 1, 6, 60, NULL);

INSERT INTO steps (key, operation_id, id, position, name, instruction_text) VALUES
  (1, 'p1', 'st_b', 1, 'Second', 'do b'),
  (2, 'p1', 'st_a', 0, 'First', NULL),
  (3, 'p2', 'x', 0, 'X', 'x');

INSERT INTO actions (step_key, id, position, description) VALUES
  (1, 'b', 0, 'B'),
  (1, 'a', 1, NULL),
  (2, 'x', 0, 'X'),
  (3, 'y', 0, 'Y');

INSERT INTO consumed_serial_attrs (operation_id, id, position, name, part_number) VALUES
  ('p1', 'p1_b', 1, 'B serial', NULL),
  ('p1', 'p1_a', 0, 'A serial', 'X-1'),
  ('p2', 'p2_a', 0, NULL, 'X-2'),
  ('Zp', 'z_a', 0, 'Z', 'X-Z'),
  ('p3', 'p3_a', 0, 'P3', NULL);

INSERT INTO stations (id, name, digest, updated_at) VALUES
  ('st1', 'Station 1', %D, 11),
  ('st2', 'station 2', %D, 12),
  ('St3', 'Assembly', %D, 13);

INSERT INTO station_processes (station_id, operation_id, position) VALUES
  ('st1', 'p2', 1),
  ('st1', 'p1', 0),
  ('st2', 'p2', 0),
  ('St3', 'Zp', 0);

INSERT INTO operators (id, name, created_at) VALUES
  (1, 'Ada', 1),
  (2, 'bob', 2),
  (3, 'Cy', 3);

INSERT INTO operation_orders (id, external_order_id, operation_id, order_index, status, reserved_serial_number, secondary_external_order_id, parent_id, station_id, operator_id, created_at, updated_at, started_at, completed_at) VALUES
  (1, 'SO-1', 'prod', 0, 'IN_PROGRESS', 'R-1', 'sec', NULL, NULL, NULL, 1000, 1000, 1500, NULL),
  (2, 'SO-1', 's1', 0, 'IN_PROGRESS', 'R-1', 'sec', 1, NULL, NULL, 1000, 1000, 1500, NULL),
  (3, 'SO-1', 'p2', 0, 'READY', 'R-1', 'sec', 2, NULL, NULL, 1000, 1000, NULL, NULL),
  (4, 'SO-1', 'p1', 0, 'IN_PROGRESS', 'R-1', 'sec', 2, 'st1', 1, 1000, 1500, 1500, NULL),
  (5, NULL, 'p1', 0, 'READY', NULL, NULL, NULL, NULL, NULL, 900, 900, NULL, NULL),
  (6, 'SO-2', 'p2', 1, 'COMPLETED', NULL, NULL, NULL, 'st2', 2, 800, 2000, 1200, 2000),
  (7, 'SO-3', 'p1', 0, 'CANCELED', NULL, NULL, NULL, NULL, NULL, 1000, 1100, NULL, NULL),
  (8, 'SO-4', 'Zp', 2, 'IN_PROGRESS', NULL, NULL, NULL, 'St3', 3, 700, 700, 750, NULL),
  (9, 'SO-5', 'p2', 0, 'READY', NULL, NULL, NULL, NULL, NULL, 1000, 1000, NULL, NULL);

INSERT INTO operation_events (seq, operation_id, at) VALUES
  (1, 'p1', 101),
  (2, 'p2', 102),
  (3, 's1', 103),
  (4, 'prod', 104),
  (5, 'p1', 105),
  (6, 'p3', 106);

INSERT INTO sub_operation_events (seq, parent_id, sub_id, at) VALUES
  (1, 's1', 'p2', 201),
  (2, 's1', 'p1', 202),
  (3, 'prod', 'p3', 203),
  (4, 'prod2', 'p1', 204);

INSERT INTO operation_order_complete_events (seq, ref, payload, at) VALUES
  (1, '6', '{"orderId":"6","operationId":"p2","externalOrderId":"SO-2","secondaryExternalOrderId":null,"orderIndex":1,"wip":false,"reservedSerialNumber":null,"at":2000,"startedAt":1200,"cycleTime":800,"consumedSerials":[{"id":"p2_a","name":null,"externalId":"X-2","value":"V-1"}],"endState":{"producedSerial":"SN-1","at":2000,"station":{"id":"st2","name":"station 2"},"operator":{"id":"2","name":"bob"}}}', 2000),
  (2, '4', '{"orderId":"4","operationId":"p1","externalOrderId":"SO-1","secondaryExternalOrderId":"sec","orderIndex":0,"wip":true,"reservedSerialNumber":"R-1","at":2100,"startedAt":null,"cycleTime":null,"consumedSerials":[],"endState":{"producedSerial":null,"at":2100,"station":{"id":"st1","name":"Station 1"},"operator":{"id":"1","name":"Ada"}}}', 2100),
  (3, '1', '{"orderId":"1","operationId":"prod","externalOrderId":"SO-1","secondaryExternalOrderId":"sec","orderIndex":0,"wip":false,"reservedSerialNumber":"R-1","at":2200,"startedAt":1500,"cycleTime":700,"consumedSerials":[],"endState":{"producedSerial":"sn-2","at":2200,"station":{"id":"st1","name":"Station 1"},"operator":{"id":"3","name":"Cy"}}}', 2200);

INSERT INTO note_events (seq, ref, payload, at) VALUES
  (1, 'n1', '{"id":"n1","externalId":"E1","text":"Broken part","metadata":{"b":1,"a":[2]},"images":["i.png"],"eventType":"created","type":{"id":"1","name":"Defect"},"at":3000,"orderId":"4","operationId":"p1","stationId":"st1","stationName":"Station 1","operatorId":"1","operatorName":"Ada"}', 3000),
  (2, 'n2', '{"id":"n2","externalId":"E2","text":null,"metadata":null,"images":null,"eventType":"created","type":null,"at":3100,"orderId":null,"operationId":null,"stationId":null,"stationName":null,"operatorId":null,"operatorName":null}', 3100),
  (3, 'n3', '{"id":"n3","externalId":"E3","text":"ok 100%","metadata":{},"images":[],"eventType":"created","type":{"id":"2","name":"Info"},"at":3200,"orderId":"6","operationId":"p2","stationId":"st2","stationName":"station 2","operatorId":"2","operatorName":"bob"}', 3200);

INSERT INTO work_order_events (seq, order_id, operation_id, status, at) VALUES
  (1, 3, 'p2', 'READY', 1000),
  (2, 4, 'p1', 'READY', 1000),
  (3, 5, 'p1', 'READY', 1001),
  (4, 4, 'p1', 'IN_PROGRESS', 1500),
  (5, 6, 'p2', 'COMPLETED', 2000),
  (6, 7, 'p1', 'CANCELED', 2100),
  (7, 8, 'Zp', 'IN_PROGRESS', 2200);
