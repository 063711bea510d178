// The waterfall and the shop floor against a real `mesd serve`: children
// created as their dependencies complete (a group together, optional
// components only when selected, a nested subassembly), the station queues
// (workOrders, oldest first), workOrderStart / workOrderComplete with every
// refusal of api.md, each of which changes nothing (read back, then a
// correct second attempt succeeds), the reservation as the default produced
// serial, and notes (noteCreate, noteEvents, noteEventsStream).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { createToken, uid, wsClient, wsRequest, wsSubscription } from './lib/ws.mjs';
import {
  TIME, ok, refused, deployFactory, save, cancel, readOrder, ordersOf, readyWork, work, walk, completions, serialsFor,
  START, COMPLETE, stationToken,
} from './lib/mes.mjs';

let srv;
let f;
let operator;
let erp;
before(async () => {
  srv = await startServer();
  f = await deployFactory(srv);
  operator = await createToken(srv, 'operator');
  erp = await createToken(srv, 'erp');
});
after(async () => { await srv?.stop(); });

const order = () => uid('WO').toUpperCase();
const byOp = (rows, id) => rows.find((o) => o.operation.id === id);
const ops = (rows) => rows.map((o) => o.operation.id).sort();
const start = (id, stationId, operatorName = 'Ada', token = srv.adminToken) =>
  ok(srv, START, { input: { operationOrderId: id, stationId, operatorName } }, token).then((d) => d.workOrderStart);
const complete = (input, token = srv.adminToken) => ok(srv, COMPLETE, { input }, token).then((d) => d.workOrderComplete);

// A product order whose board is started at st1: the usual scene of a refusal.
async function startedBoard(extra = {}) {
  const ext = order();
  const root = (await save(srv, { operationId: f.prod, externalOrderId: ext, ...extra })).operationOrder;
  const board = byOp(await readyWork(srv, ext), f.board);
  await start(board.id, f.st1);
  return { ext, root, board };
}

// What a refusal must leave as it was: the order's row and the completions.
async function snapshot(ext, id) {
  const o = await readOrder(srv, id);
  delete o.children;
  return { order: o, completions: await completions(srv, { externalOrderId: { _eq: ext } }) };
}

test('waterfall: a group together, the subassembly before the next component, optional only when selected', async () => {
  const a = order();
  const b = order();
  const rootA = (await save(srv, { operationId: f.prod, externalOrderId: a, selectOptionalOperationIds: [f.pack] })).operationOrder;
  const rootB = (await save(srv, { operationId: f.prod, externalOrderId: b })).operationOrder;

  // the first component is the core subassembly: both its group members at once
  let ready = await readyWork(srv, a);
  assert.deepEqual(ops(ready), [f.board, f.battery].sort());
  const tree = await readOrder(srv, rootA.id);
  assert.deepEqual(tree.children.map((c) => c.operation.id), [f.core]);
  assert.deepEqual(ops(tree.children[0].children), [f.board, f.battery].sort());

  // a group's members in any order: the battery first
  await work(srv, f, byOp(ready, f.battery));
  ready = await readyWork(srv, a);
  assert.deepEqual(ops(ready), [f.board], 'the final assembly waits for the whole core');
  assert.equal(byOp(await ordersOf(srv, a), f.final), undefined, 'children are created lazily');
  assert.equal(byOp(await ordersOf(srv, a), f.core).status, 'IN_PROGRESS');

  await work(srv, f, byOp(ready, f.board));
  const afterCore = await ordersOf(srv, a);
  assert.equal(byOp(afterCore, f.core).status, 'COMPLETED', 'the subassembly completes with its last child');
  assert.match(byOp(afterCore, f.core).completedAt, TIME);
  assert.deepEqual(ops(await readyWork(srv, a)), [f.final]);
  assert.equal(byOp(afterCore, f.prod).status, 'IN_PROGRESS');

  await work(srv, f, byOp(await readyWork(srv, a), f.final), { produced: `SN-${a}` });
  assert.deepEqual(ops(await readyWork(srv, a)), [f.pack], 'selected: the optional pack follows');
  assert.equal((await readOrder(srv, rootA.id)).status, 'IN_PROGRESS');
  await work(srv, f, byOp(await readyWork(srv, a), f.pack));
  const doneA = await readOrder(srv, rootA.id);
  assert.equal(doneA.status, 'COMPLETED', 'the parent completes with its last child');
  assert.match(doneA.completedAt, TIME);
  assert.deepEqual(doneA.children.map((c) => c.operation.id), [f.core, f.final, f.pack], 'routing order');
  const allA = await ordersOf(srv, a);
  assert.deepEqual(allA.map((o) => o.status), Array(6).fill('COMPLETED'));

  // without the selection the product completes after the final assembly
  const done = await walk(srv, f, b, { options: (o) => (o.operation.id === f.final ? { produced: `SN-${b}` } : {}) });
  assert.deepEqual(done.map((d) => d.order.operation.id).slice(-1), [f.final]);
  assert.equal((await readOrder(srv, rootB.id)).status, 'COMPLETED');
  assert.equal(byOp(await ordersOf(srv, b), f.pack), undefined, 'no pack order when not selected');
});

test('a process order is a work order: READY at once, at every station that can do it', async () => {
  const ext = order();
  const r = await save(srv, { operationId: f.solo, externalOrderId: ext });
  assert.equal(r.operationOrder.status, 'READY');
  assert.equal(r.operationOrder.operation.kind, 'PROCESS');
  const at = async (stationId) => (await ok(srv, 'query ($s: ID) { workOrders(stationId: $s) { id } }', { s: stationId }))
    .workOrders.map((o) => o.id);
  assert.ok((await at(f.st3)).includes(r.operationOrder.id));
  assert.ok((await at(f.stx)).includes(r.operationOrder.id));
  assert.ok(!(await at(f.st1)).includes(r.operationOrder.id), 'not at a station that cannot do it');
  await work(srv, f, r.operationOrder);
  assert.ok(!(await at(f.st3)).includes(r.operationOrder.id), 'a completed order leaves the queue');
});

test('workOrders: the station queue oldest first; status filters; no argument is every open process order', async () => {
  const ext = order();
  const x = [];
  for (let i = 0; i < 3; i++) {
    x.push((await save(srv, { operationId: f.solo, externalOrderId: ext, orderIndex: i })).operationOrder.id);
  }
  const y = order();
  await save(srv, { operationId: f.prod, externalOrderId: y });
  const q = async (args) => (await ok(srv, `query ($s: ID, $st: [OperationOrderStatus!]) {
    workOrders(stationId: $s, status: $st) { id externalOrderId status createdAt operation { id kind } } }`, args)).workOrders;

  const st3 = await q({ s: f.st3 });
  assert.deepEqual(st3.filter((o) => o.externalOrderId === ext).map((o) => o.id), x, 'oldest first');
  for (let i = 1; i < st3.length; i++) assert.ok(st3[i - 1].createdAt <= st3[i].createdAt, 'the queue is by age');
  assert.ok(st3.every((o) => o.operation.kind === 'PROCESS' && [f.solo, f.pack].includes(o.operation.id)));
  const st1 = await q({ s: f.st1 });
  assert.deepEqual(ops(st1.filter((o) => o.externalOrderId === y)), [f.board, f.battery].sort());
  assert.ok(!st1.some((o) => o.externalOrderId === ext));
  assert.deepEqual((await q({ s: f.st2 })).filter((o) => [ext, y].includes(o.externalOrderId)), []);

  await start(x[1], f.st3);
  const inProgress = await q({ s: f.st3, st: ['IN_PROGRESS'] });
  assert.deepEqual(inProgress.filter((o) => o.externalOrderId === ext).map((o) => o.id), [x[1]]);
  const readyOnly = await q({ s: f.st3, st: ['READY'] });
  assert.deepEqual(readyOnly.filter((o) => o.externalOrderId === ext).map((o) => o.id), [x[0], x[2]]);
  const all = await q({});
  assert.deepEqual(all.filter((o) => o.externalOrderId === ext).map((o) => o.id), x, 'READY and IN_PROGRESS by default');
  assert.ok(all.every((o) => ['READY', 'IN_PROGRESS'].includes(o.status)));
  assert.ok(all.every((o) => o.operation.kind === 'PROCESS'), 'only process orders are work orders');
  assert.deepEqual(ops(all.filter((o) => o.externalOrderId === y)), [f.board, f.battery].sort());
  await cancel(srv, { operationId: f.solo, externalOrderId: ext, cancelAll: true });
  assert.deepEqual((await q({})).filter((o) => o.externalOrderId === ext).map((o) => o.id), [x[1]]);
});

test('workOrderStart: IN_PROGRESS at a station by an operator, ancestors too; operators found by name', async () => {
  const name = `Lin ${uid('op')}`;
  const { ext, root, board } = await startedBoard();
  const battery = byOp(await readyWork(srv, ext), f.battery);
  const s = await start(battery.id, f.st1, name, operator);
  assert.equal(s.id, battery.id);
  assert.equal(s.status, 'IN_PROGRESS');
  assert.equal(s.station.id, f.st1);
  assert.equal(s.operator.name, name);
  assert.match(s.startedAt, TIME);
  const tree = await readOrder(srv, root.id);
  assert.equal(tree.status, 'IN_PROGRESS', 'the root');
  assert.equal(tree.children[0].status, 'IN_PROGRESS', 'the subassembly');
  assert.equal(byOp(tree.children[0].children, f.board).id, board.id);
  // the same operator name again is the same operator
  const ext2 = order();
  const p = (await save(srv, { operationId: f.solo, externalOrderId: ext2 })).operationOrder;
  await start(p.id, f.stx, name);
  const { operators } = await ok(srv, '{ operators { id name } }');
  assert.equal(operators.filter((o) => o.name === name).length, 1);
  assert.equal((await readOrder(srv, p.id)).operator.name, name);
});

test('workOrderComplete on a READY order starts and completes it; stationId and operatorName are then required', async () => {
  const ext = order();
  const p = (await save(srv, { operationId: f.solo, externalOrderId: ext })).operationOrder;
  await refused(srv, 'BAD_INPUT', COMPLETE, { input: { operationOrderId: p.id } });
  await refused(srv, 'BAD_INPUT', COMPLETE, { input: { operationOrderId: p.id, stationId: f.st3 } });
  assert.equal((await readOrder(srv, p.id)).status, 'READY', 'refused: nothing changed');
  const done = await complete({ operationOrderId: p.id, stationId: f.stx, operatorName: 'Ada' }, operator);
  assert.equal(done.status, 'COMPLETED');
  assert.equal(done.station.id, f.stx);
  assert.equal(done.operator.name, 'Ada');
  assert.match(done.startedAt, TIME);
  assert.match(done.completedAt, TIME);
});

test('MISSING_SERIAL: every consumed serial is required, and the produced one; nothing changes', async () => {
  const { ext, board } = await startedBoard();
  const [boardSn, engineSn] = serialsFor(f, f.board);
  const before = await snapshot(ext, board.id);
  const body = await refused(srv, 'MISSING_SERIAL', COMPLETE,
    { input: { operationOrderId: board.id, consumedSerials: [boardSn] } });
  assert.deepEqual(body.errors[0].path, ['workOrderComplete']);
  // extensions say which input is missing (an addition: the station app shows it there)
  assert.deepEqual(body.errors[0].extensions,
    { code: 'MISSING_SERIAL', field: 'consumedSerials', attributeId: engineSn.attributeId });
  await refused(srv, 'MISSING_SERIAL', COMPLETE, { input: { operationOrderId: board.id } });
  assert.deepEqual(await snapshot(ext, board.id), before);
  // the serial of the refused attempt was not consumed: the same values now pass
  const done = await complete({ operationOrderId: board.id, consumedSerials: [boardSn, engineSn] });
  assert.equal(done.status, 'COMPLETED');

  // the final assembly produces a serial: with no reservation it must be given
  const ext2 = order();
  const p = (await save(srv, { operationId: f.final, externalOrderId: ext2 })).operationOrder;
  await start(p.id, f.st2);
  const serials = serialsFor(f, f.final);
  const noProduced = await refused(srv, 'MISSING_SERIAL', COMPLETE,
    { input: { operationOrderId: p.id, consumedSerials: serials } });
  assert.deepEqual(noProduced.errors[0].extensions, { code: 'MISSING_SERIAL', field: 'producedSerial' });
  assert.equal((await readOrder(srv, p.id)).status, 'IN_PROGRESS');
  assert.deepEqual(await completions(srv, { externalOrderId: { _eq: ext2 } }), []);
  const ok2 = await complete({ operationOrderId: p.id, consumedSerials: serials, producedSerial: `SN-${ext2}` });
  assert.equal(ok2.status, 'COMPLETED');
});

test('serials that break a rule: another process`s attribute or one twice (BAD_INPUT), an empty value (MISSING_SERIAL)', async () => {
  const { ext, board } = await startedBoard();
  const [boardSn, engineSn] = serialsFor(f, f.board);
  const before = await snapshot(ext, board.id);
  const attempt = async (code, consumedSerials, attributeId) => {
    const body = await refused(srv, code, COMPLETE, { input: { operationOrderId: board.id, consumedSerials } });
    assert.deepEqual(body.errors[0].extensions, { code, field: 'consumedSerials', attributeId });
  };
  const batterySn = f.attrs[f.battery][0][0];
  await attempt('BAD_INPUT', [boardSn, engineSn, { attributeId: batterySn, value: 'B-1' }], batterySn);
  await attempt('BAD_INPUT', [boardSn, engineSn, { ...engineSn, value: `${engineSn.value}-other` }], engineSn.attributeId);
  await attempt('MISSING_SERIAL', [boardSn, { ...engineSn, value: '' }], engineSn.attributeId);
  assert.deepEqual(await snapshot(ext, board.id), before);
  assert.equal((await complete({ operationOrderId: board.id, consumedSerials: [boardSn, engineSn] })).status, 'COMPLETED');
});

test('SERIAL_ALREADY_CONSUMED: a component serial is consumed once across orders; nothing changes', async () => {
  const first = await startedBoard();
  const serials = serialsFor(f, f.board);
  await complete({ operationOrderId: first.board.id, consumedSerials: serials });
  const second = await startedBoard();
  const before = await snapshot(second.ext, second.board.id);
  const fresh = serialsFor(f, f.board);
  const taken = await refused(srv, 'SERIAL_ALREADY_CONSUMED', COMPLETE,
    { input: { operationOrderId: second.board.id, consumedSerials: [serials[0], fresh[1]] } });
  assert.deepEqual(taken.errors[0].extensions, { code: 'SERIAL_ALREADY_CONSUMED', field: 'consumedSerials',
    attributeId: serials[0].attributeId, serial: serials[0].value });
  assert.deepEqual(await snapshot(second.ext, second.board.id), before);
  // the identity is (component part number, value): the board serial's value
  // as a battery serial (another part number) is a different serial
  const battery = byOp(await readyWork(srv, second.ext), f.battery);
  await start(battery.id, f.st1);
  const b = await complete({ operationOrderId: battery.id,
    consumedSerials: [{ attributeId: f.attrs[f.battery][0][0], value: serials[0].value }] });
  assert.equal(b.status, 'COMPLETED');
  // and the second attempt, with fresh values, succeeds
  assert.equal((await complete({ operationOrderId: second.board.id, consumedSerials: fresh })).status, 'COMPLETED');
});

test('a refused completion of the last child completes no parent, creates no next order, emits no event', async () => {
  const { ext, board } = await startedBoard();
  const client = wsClient(srv);
  try {
    const live = wsSubscription(client, {
      query: `subscription ($e: String) {
        operationOrderCompletesStream(where: { externalOrderId: { _eq: $e } }) { operation { id } } }`,
      variables: { e: ext } });
    await wsRequest(client, '{ __typename }');
    // a battery serial another order has consumed
    const other = await startedBoard();
    const taken = serialsFor(f, f.battery);
    await complete({ operationOrderId: byOp(await readyWork(srv, other.ext), f.battery).id, stationId: f.st1,
      operatorName: 'Ada', consumedSerials: taken });
    await complete({ operationOrderId: board.id, consumedSerials: serialsFor(f, f.board) });
    assert.deepEqual((await live.next()).data.operationOrderCompletesStream, { operation: { id: f.board } });
    const battery = byOp(await readyWork(srv, ext), f.battery);
    const before = await ordersOf(srv, ext);
    await refused(srv, 'SERIAL_ALREADY_CONSUMED', COMPLETE, { input: { operationOrderId: battery.id, stationId: f.st1,
      operatorName: 'Ada', consumedSerials: taken } });
    assert.deepEqual(await ordersOf(srv, ext), before, 'no order changed');
    assert.equal(byOp(before, f.core).status, 'IN_PROGRESS', 'the core is not completed');
    assert.equal(byOp(before, f.final), undefined, 'no final assembly order');
    assert.deepEqual(await live.drain(200), [], 'no event for a refused completion');
    assert.equal((await completions(srv, { externalOrderId: { _eq: ext } })).length, 1);
    // with a fresh serial: the battery, the core, and the final assembly's order, together
    await complete({ operationOrderId: battery.id, stationId: f.st1, operatorName: 'Ada',
      consumedSerials: serialsFor(f, f.battery) });
    assert.deepEqual((await live.next()).data.operationOrderCompletesStream, { operation: { id: f.battery } });
    assert.deepEqual((await live.next()).data.operationOrderCompletesStream, { operation: { id: f.core } });
    assert.deepEqual(ops(await readyWork(srv, ext)), [f.final]);
    live.dispose();
  } finally {
    await client.dispose();
  }
});

test('DUPLICATE_PRODUCED_SERIAL: a produced serial is unique per part number; nothing changes', async () => {
  const sn = `SN-${uid('dup')}`;
  const e1 = order();
  const p1 = (await save(srv, { operationId: f.final, externalOrderId: e1 })).operationOrder;
  await work(srv, f, p1, { produced: sn });
  const e2 = order();
  const p2 = (await save(srv, { operationId: f.final, externalOrderId: e2 })).operationOrder;
  await start(p2.id, f.st2);
  const serials = serialsFor(f, f.final);
  const before = await snapshot(e2, p2.id);
  const dup = await refused(srv, 'DUPLICATE_PRODUCED_SERIAL', COMPLETE,
    { input: { operationOrderId: p2.id, consumedSerials: serials, producedSerial: sn } });
  assert.deepEqual(dup.errors[0].extensions, { code: 'DUPLICATE_PRODUCED_SERIAL', field: 'producedSerial', serial: sn });
  assert.deepEqual(await snapshot(e2, p2.id), before);
  // the consumed serials of the refused attempt are still free
  const done = await complete({ operationOrderId: p2.id, consumedSerials: serials, producedSerial: `${sn}-2` });
  assert.equal(done.status, 'COMPLETED');
});

test('the reservation is the default produced serial, also for children created after an update', async () => {
  const ext = order();
  const res1 = `RES-${uid('r')}`;
  const res2 = `${res1}-B`;
  const root = (await save(srv, { operationId: f.prod, externalOrderId: ext, reservedSerialNumber: res1 })).operationOrder;
  // still unstarted: an update reaches the children not yet created
  assert.equal((await save(srv, { operationId: f.prod, externalOrderId: ext, reservedSerialNumber: res2 })).message, 'updated');
  await walk(srv, f, ext);
  const tree = await readOrder(srv, root.id);
  assert.equal(tree.status, 'COMPLETED');
  const [rootDone] = await completions(srv, { externalOrderId: { _eq: ext }, wip: { _eq: false } });
  assert.equal(rootDone.endState.producedSerial, res2);
  assert.equal(rootDone.reservedSerialNumber, res2);

  // the same reservation on another order: the produced serial would repeat
  const ext2 = order();
  const p = (await save(srv, { operationId: f.final, externalOrderId: ext2, reservedSerialNumber: res2 })).operationOrder;
  await start(p.id, f.st2);
  const serials = serialsFor(f, f.final);
  await refused(srv, 'DUPLICATE_PRODUCED_SERIAL', COMPLETE, { input: { operationOrderId: p.id, consumedSerials: serials } });
  assert.equal((await readOrder(srv, p.id)).status, 'IN_PROGRESS');
  // an explicit produced serial wins over the reservation
  await complete({ operationOrderId: p.id, consumedSerials: serials, producedSerial: `${res2}-X` });
  const [c] = await completions(srv, { externalOrderId: { _eq: ext2 } });
  assert.equal(c.endState.producedSerial, `${res2}-X`);
});

test('NOT_READY: completing or starting a completed or canceled order; nothing changes', async () => {
  const ext = order();
  const p = (await save(srv, { operationId: f.solo, externalOrderId: ext })).operationOrder;
  await work(srv, f, p);
  const before = await snapshot(ext, p.id);
  await refused(srv, 'NOT_READY', COMPLETE, { input: { operationOrderId: p.id, stationId: f.st3, operatorName: 'Ada' } });
  await refused(srv, 'NOT_READY', START, { input: { operationOrderId: p.id, stationId: f.st3, operatorName: 'Ada' } });
  assert.deepEqual(await snapshot(ext, p.id), before, 'one completion, unchanged');
  assert.equal(before.completions.length, 1);

  const ext2 = order();
  const c = (await save(srv, { operationId: f.solo, externalOrderId: ext2 })).operationOrder;
  await cancel(srv, { operationId: f.solo, externalOrderId: ext2 });
  await refused(srv, 'NOT_READY', START, { input: { operationOrderId: c.id, stationId: f.st3, operatorName: 'Ada' } });
  await refused(srv, 'NOT_READY', COMPLETE, { input: { operationOrderId: c.id, stationId: f.st3, operatorName: 'Ada' } });
  assert.equal((await readOrder(srv, c.id)).status, 'CANCELED');
  // restored, it can be worked
  await save(srv, { operationId: f.solo, externalOrderId: ext2 });
  assert.equal((await start(c.id, f.st3)).status, 'IN_PROGRESS');
});

test('WRONG_STATION: a station that cannot do the process, or an operator token bound to another station', async () => {
  const { ext, board } = await startedBoard();
  const battery = byOp(await readyWork(srv, ext), f.battery);
  const before = await snapshot(ext, battery.id);
  await refused(srv, 'WRONG_STATION', START, { input: { operationOrderId: battery.id, stationId: f.st2, operatorName: 'Ada' } });
  await refused(srv, 'WRONG_STATION', COMPLETE, { input: { operationOrderId: battery.id, stationId: f.st3, operatorName: 'Ada',
    consumedSerials: serialsFor(f, f.battery) } });
  assert.deepEqual(await snapshot(ext, battery.id), before);

  // `mesd token create --role operator --station st2`: bound to st2
  const bound = await stationToken(srv, f.st2);
  await refused(srv, 'WRONG_STATION', START,
    { input: { operationOrderId: battery.id, stationId: f.st1, operatorName: 'Ada' } }, bound);
  await refused(srv, 'WRONG_STATION', COMPLETE, { input: { operationOrderId: board.id, consumedSerials: serialsFor(f, f.board) } },
    bound);
  assert.deepEqual(await snapshot(ext, battery.id), before);
  assert.equal((await readOrder(srv, board.id)).status, 'IN_PROGRESS');
  // at its own station the bound token works
  const ext2 = order();
  const p = (await save(srv, { operationId: f.final, externalOrderId: ext2 })).operationOrder;
  assert.equal((await start(p.id, f.st2, 'Ada', bound)).status, 'IN_PROGRESS');
  // and the battery, at its right station with an unbound token, still starts
  assert.equal((await start(battery.id, f.st1)).status, 'IN_PROGRESS');
});

test('NOT_FOUND: an unknown order or station', async () => {
  const ext = order();
  const p = (await save(srv, { operationId: f.solo, externalOrderId: ext })).operationOrder;
  await refused(srv, 'NOT_FOUND', START, { input: { operationOrderId: '999999999', stationId: f.st3, operatorName: 'Ada' } });
  await refused(srv, 'NOT_FOUND', START, { input: { operationOrderId: p.id, stationId: 'no_such_station', operatorName: 'Ada' } });
  await refused(srv, 'NOT_FOUND', COMPLETE, { input: { operationOrderId: '999999999', stationId: f.st3, operatorName: 'Ada' } });
  await refused(srv, 'NOT_FOUND', COMPLETE, { input: { operationOrderId: p.id, stationId: 'no_such_station', operatorName: 'Ada' } });
  assert.equal((await readOrder(srv, p.id)).status, 'READY');
});

test('roles: an erp token may not work on the shop floor (FORBIDDEN)', async () => {
  const ext = order();
  const p = (await save(srv, { operationId: f.solo, externalOrderId: ext }, erp)).operationOrder;
  await refused(srv, 'FORBIDDEN', START, { input: { operationOrderId: p.id, stationId: f.st3, operatorName: 'Ada' } }, erp);
  await refused(srv, 'FORBIDDEN', COMPLETE, { input: { operationOrderId: p.id, stationId: f.st3, operatorName: 'Ada' } }, erp);
  assert.equal((await readOrder(srv, p.id)).status, 'READY');
});

const NOTE = `seq at id externalId text metadata images eventType type { id name }
  state { operationOrder { id } operation { id } station { id } operator { name } }`;

test('notes: noteCreate answers the event; noteEvents and noteEventsStream carry it', async () => {
  const { ext, board } = await startedBoard();
  const client = wsClient(srv);
  try {
    const live = wsSubscription(client, { query: `subscription { noteEventsStream { ${NOTE} } }` });
    await wsRequest(client, '{ __typename }'); // the subscription is live once this is answered
    const xid = uid('note');
    const input = { operationOrderId: board.id, text: 'Scratch on the housing', externalId: xid, typeName: 'quality',
      metadata: { severity: 2, tags: ['cosmetic'] }, images: ['https://example.com/scratch.jpg'] };
    const { noteCreate: note } = await ok(srv, `mutation ($input: NoteCreateInput!) { noteCreate(input: $input) { ${NOTE} } }`,
      { input }, operator);
    assert.ok(Number.isInteger(note.seq) && note.seq >= 1);
    assert.match(note.at, TIME);
    assert.equal(typeof note.id, 'string');
    assert.equal(note.externalId, xid);
    assert.equal(note.text, input.text);
    assert.deepEqual(note.metadata, input.metadata);
    assert.deepEqual(note.images, input.images);
    assert.equal(typeof note.eventType, 'string');
    assert.equal(note.type.name, 'quality');
    assert.equal(note.state.operationOrder.id, board.id);
    assert.equal(note.state.operation.id, f.board);

    assert.deepEqual((await live.next()).data.noteEventsStream, note, 'the stream carries what noteCreate answered');
    const q = async (where, afterSeq) => (await ok(srv, `query ($w: NoteEvent_bool_exp, $a: Int) {
      noteEvents(where: $w, afterSeq: $a) { ${NOTE} } }`, { w: where, a: afterSeq })).noteEvents;
    assert.deepEqual(await q({ externalId: { _eq: xid } }), [note]);
    assert.deepEqual(await q(undefined, note.seq - 1), [note]);
    assert.deepEqual(await q({ state: { operationOrder: { externalOrderId: { _eq: ext } } } }), [note]);
    assert.deepEqual(await q({ type: { name: { _eq: 'no such type' } } }), []);

    // a second note of the same type; a replay from before the first sees both, in order
    const { noteCreate: n2 } = await ok(srv, `mutation ($input: NoteCreateInput!) { noteCreate(input: $input) { ${NOTE} } }`,
      { input: { operationOrderId: board.id, text: 'Fixed', typeName: 'quality' } });
    assert.equal(n2.seq, note.seq + 1);
    assert.equal(n2.type.id, note.type.id, 'note types are found by name');
    assert.deepEqual((await live.next()).data.noteEventsStream.seq, n2.seq);
    const replay = wsSubscription(client, { query: `subscription ($a: Int) { noteEventsStream(afterSeq: $a) { seq text } }`,
      variables: { a: note.seq - 1 } });
    assert.deepEqual((await replay.next()).data.noteEventsStream, { seq: note.seq, text: note.text });
    assert.deepEqual((await replay.next()).data.noteEventsStream, { seq: n2.seq, text: 'Fixed' });
    live.dispose();
    replay.dispose();
    await refused(srv, 'NOT_FOUND', 'mutation { noteCreate(input: { operationOrderId: "999999999", text: "x" }) { seq } }');
  } finally {
    await client.dispose();
  }
});

test('the server stops cleanly', async () => {
  assert.deepEqual(await srv.stop(), { code: 0, signal: null });
});
