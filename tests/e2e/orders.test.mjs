// Step 2 of the integration, the ERP's side, against a real `mesd serve`:
// operationOrderSave (created / updated / idempotent, ORDER_LOCKED, restoring
// a canceled order, both names of the renamed fields, what children
// inherit), operationOrderCancel (unstarted orders with their children,
// orderIndex, cancelAll, index 0 by default, the two messages), the
// operationOrders query with where / limit / offset, and the roles.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { createToken, uid } from './lib/ws.mjs';
import {
  TIME, ok, refused, deployFactory, save, cancel, readOrder, ordersOf, readyWork, work, walk, SAVE, CANCEL, START, ORDER,
} from './lib/mes.mjs';

let srv;
let f;
let erp;
let operator;
before(async () => {
  srv = await startServer();
  f = await deployFactory(srv);
  erp = await createToken(srv, 'erp');
  operator = await createToken(srv, 'operator');
});
after(async () => { await srv?.stop(); });

const order = () => uid('SO').toUpperCase();
const statuses = (rows) => rows.map((r) => r.status);

test('save: "created", then "updated" for the same key, never two orders', async () => {
  const ext = order();
  const first = await save(srv, { operationId: f.prod, externalOrderId: ext }, erp);
  assert.equal(first.message, 'created');
  const o = first.operationOrder;
  assert.equal(o.externalOrderId, ext);
  assert.equal(o.orderIndex, 0, 'orderIndex defaults to 0');
  assert.equal(o.operation.id, f.prod);
  assert.equal(o.parent, null, 'the ordered operation is a root');
  assert.match(o.createdAt, TIME);
  assert.equal(o.startedAt, null);
  assert.equal(o.completedAt, null);
  assert.ok(!['IN_PROGRESS', 'COMPLETED', 'CANCELED'].includes(o.status), o.status);

  const again = await save(srv, { operationId: f.prod, externalOrderId: ext }, erp);
  assert.equal(again.message, 'updated');
  assert.equal(again.operationOrder.id, o.id, 'the same order');
  // and an explicit orderIndex 0 is the same key as none
  const third = await save(srv, { operationId: f.prod, externalOrderId: ext, orderIndex: 0 }, erp);
  assert.equal(third.message, 'updated');
  assert.equal(third.operationOrder.id, o.id);

  const roots = await ordersOf(srv, ext, { operation: { id: { _eq: f.prod } } });
  assert.deepEqual(roots.map((r) => r.id), [o.id], 'one root order for the key');
  // the waterfall's first children exist once, not once per save
  const all = await ordersOf(srv, ext);
  assert.deepEqual(all.map((r) => r.operation.id).sort(), [f.prod, f.core, f.board, f.battery].sort());
});

test('save: an update changes the order; the key is (externalOrderId, operationId, orderIndex)', async () => {
  const ext = order();
  const a = await save(srv, { operationId: f.solo, externalOrderId: ext, reservedSerialNumber: 'R-1' });
  const b = await save(srv, { operationId: f.solo, externalOrderId: ext, reservedSerialNumber: 'R-2',
    secondaryExternalOrderId: 'PO-2' });
  assert.equal(b.message, 'updated');
  assert.equal(b.operationOrder.id, a.operationOrder.id);
  assert.equal(b.operationOrder.reservedSerialNumber, 'R-2');
  assert.equal(b.operationOrder.secondaryExternalOrderId, 'PO-2');
  const read = await readOrder(srv, a.operationOrder.id);
  assert.equal(read.reservedSerialNumber, 'R-2');
  assert.equal(read.secondaryExternalOrderId, 'PO-2');
  // another index, another operation, another external id: three new orders
  const other = [
    await save(srv, { operationId: f.solo, externalOrderId: ext, orderIndex: 1 }),
    await save(srv, { operationId: f.pack, externalOrderId: ext }),
    await save(srv, { operationId: f.solo, externalOrderId: `${ext}-B` }),
  ];
  assert.deepEqual(other.map((r) => r.message), ['created', 'created', 'created']);
  assert.equal(new Set([a.operationOrder.id, ...other.map((r) => r.operationOrder.id)]).size, 4);
});

test('save: the same input sent concurrently still makes one order', async () => {
  const ext = order();
  const input = { operationId: f.solo, externalOrderId: ext, orderIndex: 3 };
  const res = await Promise.all(Array.from({ length: 8 }, () => save(srv, input)));
  assert.deepEqual(res.map((r) => r.message).sort(), ['created', ...Array(7).fill('updated')]);
  assert.equal(new Set(res.map((r) => r.operationOrder.id)).size, 1);
  assert.equal((await ordersOf(srv, ext)).length, 1);
});

test('save: operationIndex is the older name of orderIndex', async () => {
  const ext = order();
  const a = await save(srv, { operationId: f.solo, externalOrderId: ext, operationIndex: 2 });
  assert.equal(a.message, 'created');
  assert.equal(a.operationOrder.orderIndex, 2);
  const b = await save(srv, { operationId: f.solo, externalOrderId: ext, orderIndex: 2 });
  assert.equal(b.message, 'updated', 'orderIndex 2 names the order saved with operationIndex 2');
  assert.equal(b.operationOrder.id, a.operationOrder.id);
});

test('save: selectOptionalOperationIds and selectGroupOperations both build the optional component', async () => {
  // kit = pack (optional), then solo: the first child tells what was selected
  const firstChild = async (input) => {
    const r = await save(srv, { operationId: f.kit, externalOrderId: order(), ...input });
    assert.equal(r.message, 'created');
    const root = await readOrder(srv, r.operationOrder.id);
    return root.children.map((c) => c.operation.id);
  };
  assert.deepEqual(await firstChild({}), [f.solo], 'not selected: skipped');
  assert.deepEqual(await firstChild({ selectOptionalOperationIds: [f.pack] }), [f.pack]);
  assert.deepEqual(await firstChild({ selectGroupOperations: [f.pack] }), [f.pack]);
  // ids are lower-cased on input
  assert.deepEqual(await firstChild({ selectOptionalOperationIds: [f.pack.toUpperCase()] }), [f.pack]);
});

test('save: children inherit externalOrderId, secondaryExternalOrderId, orderIndex and reservedSerialNumber', async () => {
  const ext = order();
  const r = await save(srv, { operationId: f.prod, externalOrderId: ext, orderIndex: 4,
    secondaryExternalOrderId: 'MO-77', reservedSerialNumber: 'SN-RES-1' });
  const root = await readOrder(srv, r.operationOrder.id);
  assert.equal(root.children.length, 1, 'only the first component at first');
  const core = root.children[0];
  assert.equal(core.operation.id, f.core);
  assert.equal(core.parent.id, root.id);
  assert.deepEqual(core.children.map((c) => c.operation.id).sort(), [f.board, f.battery].sort());
  for (const o of [core, ...core.children]) {
    assert.equal(o.externalOrderId, ext);
    assert.equal(o.secondaryExternalOrderId, 'MO-77');
    assert.equal(o.orderIndex, 4);
    assert.equal(o.reservedSerialNumber, 'SN-RES-1');
  }
  // a child created later (the final assembly, after the core) inherits too
  await walk(srv, f, ext, { pick: (ready) => ready.find((o) => o.operation.id !== f.final) ?? null });
  const final = (await readyWork(srv, ext)).find((o) => o.operation.id === f.final);
  assert.ok(final, 'the final assembly is ready once the core is built');
  assert.equal(final.secondaryExternalOrderId, 'MO-77');
  assert.equal(final.orderIndex, 4);
  assert.equal(final.reservedSerialNumber, 'SN-RES-1');
});

test('save: an update before the start changes the selection of the children not yet created', async () => {
  const ext = order();
  const r = await save(srv, { operationId: f.prod, externalOrderId: ext });
  assert.equal((await save(srv, { operationId: f.prod, externalOrderId: ext, selectGroupOperations: [f.pack] })).message,
    'updated');
  const done = await walk(srv, f, ext);
  assert.deepEqual(done.map((d) => d.order.operation.id), [f.board, f.battery, f.final, f.pack]);
  assert.equal((await readOrder(srv, r.operationOrder.id)).status, 'COMPLETED');
});

test('save: ORDER_LOCKED once started or completed, and nothing changes', async () => {
  const ext = order();
  const r = await save(srv, { operationId: f.prod, externalOrderId: ext, reservedSerialNumber: 'L-1' });
  const [board] = (await readyWork(srv, ext)).filter((o) => o.operation.id === f.board);
  await ok(srv, START, { input: { operationOrderId: board.id, stationId: f.st1, operatorName: 'Ada' } });
  const body = await refused(srv, 'ORDER_LOCKED', SAVE,
    { input: { operationId: f.prod, externalOrderId: ext, reservedSerialNumber: 'L-2' } }, erp);
  assert.deepEqual(body.errors[0].path, ['operationOrderSave']);
  assert.equal(body.data, null, 'operationOrderSave is non-null: the error reaches data');
  const root = await readOrder(srv, r.operationOrder.id);
  assert.equal(root.status, 'IN_PROGRESS');
  assert.equal(root.reservedSerialNumber, 'L-1', 'the refused save changed nothing');

  // a completed process order is locked too
  const ext2 = order();
  const p = await save(srv, { operationId: f.solo, externalOrderId: ext2 });
  await work(srv, f, p.operationOrder);
  await refused(srv, 'ORDER_LOCKED', SAVE, { input: { operationId: f.solo, externalOrderId: ext2 } });
  assert.equal((await readOrder(srv, p.operationOrder.id)).status, 'COMPLETED');
  assert.equal((await ordersOf(srv, ext2)).length, 1);
});

test('save: a canceled order is restored ("updated") and can be built again', async () => {
  // ERP expectation where api.md is silent: a restored order goes back on
  // the shop floor as if it had just been saved.
  const ext = order();
  const p = await save(srv, { operationId: f.solo, externalOrderId: ext });
  assert.deepEqual(await cancel(srv, { operationId: f.solo, externalOrderId: ext }), { message: 'canceled', canceledCount: 1 });
  assert.equal((await readOrder(srv, p.operationOrder.id)).status, 'CANCELED');
  const back = await save(srv, { operationId: f.solo, externalOrderId: ext });
  assert.equal(back.message, 'updated');
  assert.equal(back.operationOrder.id, p.operationOrder.id);
  assert.equal(back.operationOrder.status, 'READY');
  const queue = await ok(srv, 'query ($s: ID) { workOrders(stationId: $s) { id } }', { s: f.st3 });
  assert.ok(queue.workOrders.some((o) => o.id === p.operationOrder.id), 'back in the station queue');

  const ext2 = order();
  const q = await save(srv, { operationId: f.prod, externalOrderId: ext2 });
  await cancel(srv, { operationId: f.prod, externalOrderId: ext2 });
  const restored = await save(srv, { operationId: f.prod, externalOrderId: ext2 });
  assert.equal(restored.message, 'updated');
  assert.notEqual((await readOrder(srv, q.operationOrder.id)).status, 'CANCELED');
  const done = await walk(srv, f, ext2);
  assert.deepEqual(done.map((d) => d.order.operation.id).sort(), [f.board, f.battery, f.final].sort());
  assert.equal((await readOrder(srv, q.operationOrder.id)).status, 'COMPLETED');
});

test('save: an unknown operation is NOT_FOUND; ids are lower-cased', async () => {
  await refused(srv, 'NOT_FOUND', SAVE, { input: { operationId: 'no_such_op', externalOrderId: order() } });
  const ext = order();
  const r = await save(srv, { operationId: f.solo.toUpperCase(), externalOrderId: ext });
  assert.equal(r.message, 'created');
  assert.equal(r.operationOrder.operation.id, f.solo);
  assert.equal((await save(srv, { operationId: f.solo, externalOrderId: ext })).message, 'updated');
});

test('save and cancel: inputs that break a rule are refused and create nothing', async () => {
  const ext = order();
  await refused(srv, 'NOT_FOUND', CANCEL, { input: { operationId: 'no_such_op', externalOrderId: ext } });
  // api.md: indexes are 0..N-1
  await refused(srv, 'BAD_INPUT', SAVE, { input: { operationId: f.solo, externalOrderId: ext, orderIndex: -1 } });
  // api.md is silent on both names at once: an integrator expects a
  // contradiction refused rather than one name silently winning
  await refused(srv, 'BAD_INPUT', SAVE, { input: { operationId: f.solo, externalOrderId: ext, orderIndex: 1, operationIndex: 2 } });
  assert.deepEqual(await ordersOf(srv, ext), []);
  const same = await save(srv, { operationId: f.solo, externalOrderId: ext, orderIndex: 1, operationIndex: 1 });
  assert.equal(same.message, 'created');
  assert.equal(same.operationOrder.orderIndex, 1);
});

test('cancel: an unstarted product order with all its children; canceledCount counts them', async () => {
  const ext = order();
  const r = await save(srv, { operationId: f.prod, externalOrderId: ext });
  const res = await cancel(srv, { operationId: f.prod, externalOrderId: ext }, erp);
  assert.deepEqual(res, { message: 'canceled', canceledCount: 4 }, 'root, core, board and battery');
  const all = await ordersOf(srv, ext);
  assert.deepEqual(statuses(all), Array(4).fill('CANCELED'));
  assert.equal((await readOrder(srv, r.operationOrder.id)).status, 'CANCELED');
  const queue = await ok(srv, 'query ($s: ID) { workOrders(stationId: $s) { externalOrderId } }', { s: f.st1 });
  assert.ok(!queue.workOrders.some((o) => o.externalOrderId === ext), 'gone from the station queue');
  assert.deepEqual(await cancel(srv, { operationId: f.prod, externalOrderId: ext }),
    { message: 'nothing to cancel', canceledCount: 0 }, 'twice: nothing left');
});

test('cancel: index 0 by default, orderIndex names one, cancelAll takes every unstarted index', async () => {
  const ext = order();
  const ids = [];
  for (let i = 0; i < 4; i++) {
    ids.push((await save(srv, { operationId: f.solo, externalOrderId: ext, orderIndex: i })).operationOrder.id);
  }
  const status = async () => Promise.all(ids.map(async (id) => (await readOrder(srv, id)).status));

  assert.deepEqual(await cancel(srv, { operationId: f.solo, externalOrderId: ext }), { message: 'canceled', canceledCount: 1 });
  assert.deepEqual(await status(), ['CANCELED', 'READY', 'READY', 'READY']);
  assert.deepEqual(await cancel(srv, { operationId: f.solo, externalOrderId: ext, orderIndex: 2 }),
    { message: 'canceled', canceledCount: 1 });
  assert.deepEqual(await status(), ['CANCELED', 'READY', 'CANCELED', 'READY']);
  // a started one is left alone by cancelAll
  await ok(srv, START, { input: { operationOrderId: ids[3], stationId: f.st3, operatorName: 'Ada' } });
  assert.deepEqual(await cancel(srv, { operationId: f.solo, externalOrderId: ext, cancelAll: true }),
    { message: 'canceled', canceledCount: 1 });
  assert.deepEqual(await status(), ['CANCELED', 'CANCELED', 'CANCELED', 'IN_PROGRESS']);
  assert.deepEqual(await cancel(srv, { operationId: f.solo, externalOrderId: ext, cancelAll: true }),
    { message: 'nothing to cancel', canceledCount: 0 });
});

test('cancel: started or completed orders are not canceled ("nothing to cancel")', async () => {
  const ext = order();
  const r = await save(srv, { operationId: f.prod, externalOrderId: ext });
  const [board] = (await readyWork(srv, ext)).filter((o) => o.operation.id === f.board);
  await ok(srv, START, { input: { operationOrderId: board.id, stationId: f.st1, operatorName: 'Ada' } });
  assert.deepEqual(await cancel(srv, { operationId: f.prod, externalOrderId: ext }),
    { message: 'nothing to cancel', canceledCount: 0 });
  const all = await ordersOf(srv, ext);
  assert.ok(!all.some((o) => o.status === 'CANCELED'), JSON.stringify(statuses(all)));
  assert.equal((await readOrder(srv, r.operationOrder.id)).status, 'IN_PROGRESS');

  const ext2 = order();
  const p = await save(srv, { operationId: f.solo, externalOrderId: ext2 });
  await work(srv, f, p.operationOrder);
  assert.deepEqual(await cancel(srv, { operationId: f.solo, externalOrderId: ext2 }),
    { message: 'nothing to cancel', canceledCount: 0 });
  assert.equal((await readOrder(srv, p.operationOrder.id)).status, 'COMPLETED');
  // an external order id never saved: nothing to cancel either
  assert.deepEqual(await cancel(srv, { operationId: f.solo, externalOrderId: order() }),
    { message: 'nothing to cancel', canceledCount: 0 });
});

test('operationOrders: where, limit, offset, ordered by creation', async () => {
  const ext = order();
  const ids = [];
  for (let i = 0; i < 5; i++) {
    ids.push((await save(srv, { operationId: f.solo, externalOrderId: ext, orderIndex: i,
      secondaryExternalOrderId: i % 2 ? 'ODD' : 'EVEN' })).operationOrder.id);
  }
  const q = async (where, limit, offset) => (await ok(srv,
    'query ($w: OperationOrder_bool_exp, $l: Int, $o: Int) { operationOrders(where: $w, limit: $l, offset: $o) { id orderIndex } }',
    { w: where, l: limit, o: offset })).operationOrders.map((r) => r.id);
  const mine = { externalOrderId: { _eq: ext } };
  assert.deepEqual(await q(mine), ids, 'by creation');
  assert.deepEqual(await q(mine, 2), ids.slice(0, 2));
  assert.deepEqual(await q(mine, 2, 2), ids.slice(2, 4));
  assert.deepEqual(await q(mine, 10, 4), ids.slice(4));
  assert.deepEqual(await q(mine, undefined, 5), []);
  assert.deepEqual(await q({ ...mine, orderIndex: { _gte: 3 } }), ids.slice(3));
  assert.deepEqual(await q({ ...mine, secondaryExternalOrderId: { _eq: 'ODD' } }), [ids[1], ids[3]]);
  assert.deepEqual(await q({ _and: [mine, { _or: [{ orderIndex: { _eq: 0 } }, { orderIndex: { _eq: 4 } }] }] }), [ids[0], ids[4]]);
  assert.deepEqual(await q({ ...mine, _not: { orderIndex: { _in: [0, 1, 2] } } }), ids.slice(3));
  await ok(srv, START, { input: { operationOrderId: ids[1], stationId: f.st3, operatorName: 'Grace' } });
  assert.deepEqual(await q({ ...mine, status: { _eq: 'IN_PROGRESS' } }), [ids[1]]);
  assert.deepEqual(await q({ ...mine, operator: { name: { _eq: 'Grace' } } }), [ids[1]]);
  assert.deepEqual(await q({ ...mine, station: { id: { _eq: f.st3 } }, startedAt: { _is_null: false } }), [ids[1]]);
  assert.deepEqual(await q({ ...mine, operation: { kind: { _eq: 'PRODUCT' } } }), []);
  assert.deepEqual(await q({ externalOrderId: { _like: `${ext.slice(0, 4)}%${ext.slice(4)}` }, orderIndex: { _eq: 2 } }), [ids[2]]);
  // children filter by their parent
  const ext2 = order();
  const root = (await save(srv, { operationId: f.prod, externalOrderId: ext2 })).operationOrder;
  const kids = await q({ parent: { id: { _eq: root.id } } });
  assert.equal(kids.length, 1, 'the core order');
  const grand = await ok(srv, 'query ($w: OperationOrder_bool_exp) { operationOrders(where: $w) { operation { id } } }',
    { w: { parent: { parent: { id: { _eq: root.id } } } } });
  assert.deepEqual(grand.operationOrders.map((o) => o.operation.id).sort(), [f.board, f.battery].sort());
});

test('roles: an operator may not save or cancel (FORBIDDEN); nothing is created', async () => {
  const ext = order();
  const body = await refused(srv, 'FORBIDDEN', SAVE, { input: { operationId: f.solo, externalOrderId: ext } }, operator);
  assert.deepEqual(body.errors[0].path, ['operationOrderSave']);
  assert.deepEqual(await ordersOf(srv, ext), []);
  await save(srv, { operationId: f.solo, externalOrderId: ext }, erp);
  await refused(srv, 'FORBIDDEN', CANCEL, { input: { operationId: f.solo, externalOrderId: ext } }, operator);
  assert.deepEqual(statuses(await ordersOf(srv, ext)), ['READY']);
  // every role may read orders
  const read = await srv.gql(`query ($e: String) { operationOrders(where: { externalOrderId: { _eq: $e } }) { ${ORDER} } }`,
    { e: ext }, operator);
  assert.equal(read.errors, undefined);
  assert.equal(read.data.operationOrders.length, 1);
});

test('the server stops cleanly', async () => {
  assert.deepEqual(await srv.stop(), { code: 0, signal: null });
});
