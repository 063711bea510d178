// The work-order stream against `mesd serve --demo` with the graphql-ws
// client: a station's subscriber (workOrderEventsStream(stationId)) sees its
// queue move, in order and once each (the ERP's READY, the operator's
// IN_PROGRESS and COMPLETED, the waterfall's next READY, CANCELED), a
// subscriber at another station only its own; afterSeq replays and joins the
// live feed with no gap and no duplicate while orders are being completed;
// the workOrderEvents query agrees with what the stream delivered; a refused
// completion appends nothing; an unknown station is NOT_FOUND.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { createToken, uid, wsClient, wsRequest, wsSubscription } from './lib/ws.mjs';
import { ok, refused, saveMany, stationToken, START, COMPLETE, SAVE, CANCEL } from './lib/mes.mjs';

let srv;
let erp;
const benchToken = {};
before(async () => {
  srv = await startServer({ demo: true });
  erp = await createToken(srv, 'erp');
  for (const s of ['bench_1', 'bench_2']) benchToken[s] = await stationToken(srv, s);
});
after(async () => { await srv?.stop(); });

const EVENT = 'seq at status workOrder { id externalOrderId status operation { id } }';
const STREAM = `subscription ($s: ID, $a: Int) { workOrderEventsStream(stationId: $s, afterSeq: $a) { ${EVENT} } }`;
const QUERY = `query ($s: ID, $a: Int) { workOrderEvents(stationId: $s, afterSeq: $a) { ${EVENT} } }`;

// An event as the tests compare it: what the change decided, and whose.
const brief = (e) => ({ seq: e.seq, status: e.status, order: e.workOrder.id, op: e.workOrder.operation.id });

// A subscription on client, in place once a later request on the same
// socket has been answered (the server handles a socket's messages in order).
async function subscribe(client, variables) {
  const sub = wsSubscription(client, { query: STREAM, variables });
  await wsRequest(client, '{ __typename }');
  return sub;
}

// The next `count` events of a subscription (all it delivered is kept in sub.seen).
async function take(sub, count) {
  const seen = [];
  while (seen.length < count) seen.push((await sub.next(10000)).data.workOrderEventsStream);
  sub.seen = [...(sub.seen ?? []), ...seen];
  return seen;
}

async function events(variables) {
  return (await ok(srv, QUERY, variables, erp)).workOrderEvents;
}

async function lastSeq() {
  const all = await events({});
  return all.length ? all.at(-1).seq : 0;
}

async function saveOrder(operationId, externalOrderId) {
  return (await ok(srv, SAVE, { input: { operationId, externalOrderId } }, erp)).operationOrderSave.operationOrder;
}

// What the operator captures for an order: a fresh value per consumed
// serial of its process, and a produced serial where it makes one.
async function captureFor(id) {
  const { operationOrders: [o] } = await ok(srv, `query ($id: ID) { operationOrders(where: { id: { _eq: $id } }) {
    operation { producesSerial consumedSerials { id externalId } } } }`, { id });
  const input = { consumedSerials: o.operation.consumedSerials.map((a) => ({ attributeId: a.id, value: uid(a.externalId) })) };
  if (o.operation.producesSerial) input.producedSerial = uid('SCN');
  return input;
}

const start = (id, stationId) => ok(srv, START, { input: { operationOrderId: id, stationId, operatorName: 'Ada' } },
  benchToken[stationId]);
// Completes an order at its station: started before, or in one step (`direct`).
async function complete(id, stationId, { direct = false } = {}) {
  const input = { operationOrderId: id, ...(await captureFor(id)) };
  if (direct) Object.assign(input, { stationId, operatorName: 'Grace' });
  const { workOrderComplete } = await ok(srv, COMPLETE, { input }, benchToken[stationId]);
  assert.equal(workOrderComplete.status, 'COMPLETED');
}

const increasing = (list) => list.every((e, i) => i === 0 || e.seq > list[i - 1].seq);

test('a station sees its queue move: READY, IN_PROGRESS, COMPLETED, the next READY, CANCELED, once each', async () => {
  const c1 = wsClient(srv, { token: benchToken.bench_1 });   // an operator bound to bench 1
  const c2 = wsClient(srv, { token: erp });
  try {
    const from = await lastSeq();
    const s1 = await subscribe(c1, { s: 'BENCH_1' });   // ids are lower-cased
    const s2 = await subscribe(c2, { s: 'bench_2' });
    const ext = uid('WOE').toUpperCase();
    const root = await saveOrder('prod_101', ext);
    assert.equal(root.status, 'CREATED');

    // the ERP's order: bench 1's two processes (the core's group) are READY;
    // the product and its subassembly are not work orders
    const ready = await take(s1, 2);
    assert.deepEqual(ready.map((e) => e.status), ['READY', 'READY']);
    assert.deepEqual(ready.map((e) => e.workOrder.operation.id).sort(), ['battery_pack_install', 'scanner_board_assembly']);
    assert.ok(ready.every((e) => e.workOrder.externalOrderId === ext));
    const board = ready.find((e) => e.workOrder.operation.id === 'scanner_board_assembly').workOrder.id;
    const battery = ready.find((e) => e.workOrder.operation.id === 'battery_pack_install').workOrder.id;

    // the operator works: started then completed, and completed in one step
    await start(board, 'bench_1');
    assert.deepEqual((await take(s1, 1)).map((e) => [e.status, e.workOrder.id, e.workOrder.status]),
      [['IN_PROGRESS', board, 'IN_PROGRESS']]);
    await complete(board, 'bench_1');
    await complete(battery, 'bench_1', { direct: true });
    assert.deepEqual((await take(s1, 3)).map((e) => [e.status, e.workOrder.id]),
      [['COMPLETED', board], ['IN_PROGRESS', battery], ['COMPLETED', battery]]);

    // the waterfall's next READY is bench 2's: the first event bench 2 sees
    const [next] = await take(s2, 1);
    assert.equal(next.status, 'READY');
    assert.equal(next.workOrder.operation.id, 'scanner_final_assembly');
    assert.equal(next.workOrder.externalOrderId, ext);
    await start(next.workOrder.id, 'bench_2');
    await complete(next.workOrder.id, 'bench_2');
    assert.deepEqual((await take(s2, 2)).map((e) => [e.status, e.workOrder.id]),
      [['IN_PROGRESS', next.workOrder.id], ['COMPLETED', next.workOrder.id]]);
    const { operationOrders } = await ok(srv, 'query ($id: ID) { operationOrders(where: { id: { _eq: $id } }) { status } }',
      { id: root.id });
    assert.equal(operationOrders[0].status, 'COMPLETED', 'the product completed: no event of its own');

    // an order canceled before anyone started it
    const ext2 = uid('WOE').toUpperCase();
    await saveOrder('prod_101', ext2);
    const ready2 = await take(s1, 2);
    const { operationOrderCancel } = await ok(srv, CANCEL, { input: { operationId: 'prod_101', externalOrderId: ext2 } }, erp);
    assert.equal(operationOrderCancel.canceledCount, 4);   // the product, the core, two work orders
    const canceled = await take(s1, 2);
    assert.deepEqual(canceled.map((e) => e.status), ['CANCELED', 'CANCELED']);
    assert.deepEqual(canceled.map((e) => e.workOrder.id).sort(), ready2.map((e) => e.workOrder.id).sort());

    // once each: a last order per station is the very next event each sees
    const ext3 = uid('WOE').toUpperCase();
    const last1 = await saveOrder('scanner_board_assembly', ext3);
    const last2 = await saveOrder('scanner_final_assembly', ext3);
    assert.deepEqual((await take(s1, 1)).map(brief).map((e) => [e.status, e.order]), [['READY', last1.id]]);
    assert.deepEqual((await take(s2, 1)).map(brief).map((e) => [e.status, e.order]), [['READY', last2.id]]);

    // the query reads the same log with the same filter: exactly what each stream delivered
    const q1 = await events({ s: 'bench_1', a: from });
    const q2 = await events({ s: 'bench_2', a: from });
    assert.deepEqual(s1.seen.map(brief), q1.map(brief));
    assert.deepEqual(s2.seen.map(brief), q2.map(brief));
    assert.ok(increasing(q1) && increasing(q2));
    assert.deepEqual(q1.map((e) => [e.status, e.workOrder.id]), [
      ...ready.map((e) => ['READY', e.workOrder.id]),
      ['IN_PROGRESS', board], ['COMPLETED', board], ['IN_PROGRESS', battery], ['COMPLETED', battery],
      ...ready2.map((e) => ['READY', e.workOrder.id]), ...canceled.map((e) => ['CANCELED', e.workOrder.id]),
      ['READY', last1.id]]);
    assert.deepEqual(q2.map((e) => [e.status, e.workOrder.id]), [
      ['READY', next.workOrder.id], ['IN_PROGRESS', next.workOrder.id], ['COMPLETED', next.workOrder.id],
      ['READY', last2.id]]);

    // /metrics counts the fifth stream under its own label
    const metrics = await (await fetch(`${srv.url}/metrics`)).text();
    const published = /^mesd_events_published_total\{stream="work_orders"\} (\d+)$/m.exec(metrics);
    assert.ok(published, 'the work_orders label in /metrics');
    assert.ok(Number(published[1]) >= q1.length + q2.length);
    s1.dispose();
    s2.dispose();
  } finally {
    await c1.dispose();
    await c2.dispose();
  }
});

test('afterSeq replays and joins the live feed with no gap and no duplicate while orders are completed', async () => {
  const client = wsClient(srv, { token: erp });
  try {
    const from = await lastSeq();
    const ext = uid('RPL').toUpperCase();
    const count = 30;
    const ids = await saveMany(srv, 'battery_pack_install', ext, count, { batch: 10, parallel: 3 });
    // completions commit (three at a time) while the replays are read
    let done = 0;
    let tenDone;
    const ten = new Promise((resolve) => { tenDone = resolve; });
    const worker = async (k) => {
      for (let i = k; i < count; i += 3) {
        await complete(ids[i], 'bench_1', { direct: true });
        if (++done === 10) tenDone();
      }
    };
    const working = Promise.all([0, 1, 2].map(worker));
    await ten;
    const atBench = wsSubscription(client, { query: STREAM, variables: { s: 'bench_1', a: from } });
    const everywhere = wsSubscription(client, { query: STREAM, variables: { a: from } });
    await working;
    const total = count * 3;   // READY, IN_PROGRESS, COMPLETED each
    const want = await events({ s: 'bench_1', a: from });
    assert.equal(want.length, total);
    assert.deepEqual((await events({ a: from })).map(brief), want.map(brief), 'only bench 1 has worked since');
    for (const sub of [atBench, everywhere]) {
      const got = await take(sub, total);
      assert.deepEqual(got.map(brief), want.map(brief), 'the log, in order, once each');
    }
    for (const id of ids) {
      assert.deepEqual(want.filter((e) => e.workOrder.id === id).map((e) => e.status),
        ['READY', 'IN_PROGRESS', 'COMPLETED'], `order ${id}: a direct completion starts it first`);
    }
    // and the next event is the one after: nothing delivered twice
    const sentinel = await saveOrder('battery_pack_install', `${ext}-LAST`);
    for (const sub of [atBench, everywhere]) {
      const [e] = await take(sub, 1);
      assert.deepEqual([e.status, e.workOrder.id], ['READY', sentinel.id]);
      assert.equal(e.seq, want.at(-1).seq + 1);
    }
    atBench.dispose();
    everywhere.dispose();
  } finally {
    await client.dispose();
  }
});

test('a live event never shows its order in an earlier state than the event itself', async () => {
  // objects in an event are read at delivery, so they are at least as far
  // along as the event; on PostgreSQL a read kept from an earlier event of
  // the same order must not stand in for a fresh one
  const client = wsClient(srv, { token: erp });
  try {
    const sub = wsSubscription(client, { query: 'subscription { workOrderEventsStream { seq status workOrder { id status } } }' });
    await wsRequest(client, '{ __typename }');
    const ext = uid('STALE').toUpperCase();
    const count = 120;
    // each worker saves, starts and completes its orders one after the other
    const worker = async (k) => {
      for (let i = k; i < count; i += 8) {
        const o = await saveOrder('battery_pack_install', `${ext}-${i}`);
        await start(o.id, 'bench_1');
        await complete(o.id, 'bench_1');
      }
    };
    await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(worker));
    const rank = { READY: 0, IN_PROGRESS: 1, COMPLETED: 2, CANCELED: 3 };
    const got = await take(sub, count * 3);
    assert.ok(increasing(got), 'in seq order');
    const behind = got.filter((e) => rank[e.workOrder.status] < rank[e.status]);
    assert.deepEqual(behind.map((e) => `${e.seq} ${e.status}: order ${e.workOrder.id} ${e.workOrder.status}`), []);
    sub.dispose();
  } finally {
    await client.dispose();
  }
});

test('a refused completion or start appends nothing', async () => {
  const client = wsClient(srv, { token: benchToken.bench_1 });
  try {
    const s1 = await subscribe(client, { s: 'bench_1' });
    const order = await saveOrder('scanner_board_assembly', uid('REF').toUpperCase());
    const [ready] = await take(s1, 1);
    assert.equal(ready.workOrder.id, order.id);
    // completing a READY order starts it too: the refusal takes the start back with it
    await refused(srv, 'MISSING_SERIAL', COMPLETE,
      { input: { operationOrderId: order.id, stationId: 'bench_1', operatorName: 'Ada' } }, benchToken.bench_1);
    await refused(srv, 'WRONG_STATION', START,
      { input: { operationOrderId: order.id, stationId: 'bench_2', operatorName: 'Ada' } });
    assert.deepEqual(await events({ a: ready.seq }), []);
    // the next event is the next real change
    await complete(order.id, 'bench_1', { direct: true });
    assert.deepEqual((await take(s1, 2)).map((e) => [e.seq, e.status]),
      [[ready.seq + 1, 'IN_PROGRESS'], [ready.seq + 2, 'COMPLETED']]);
    s1.dispose();
  } finally {
    await client.dispose();
  }
});

test('an unknown station is NOT_FOUND, on the query and on the stream; webhooks cannot name the stream', async () => {
  const body = await refused(srv, 'NOT_FOUND', QUERY, { s: 'no_such_bench' });
  assert.equal(body.errors[0].message, 'Unknown station "no_such_bench".');
  const client = wsClient(srv, { token: erp });
  try {
    const sub = wsSubscription(client, { query: STREAM, variables: { s: 'no_such_bench' } });
    await assert.rejects(sub.next(), (errors) => {
      assert.ok(Array.isArray(errors), 'an array of GraphQL errors');
      assert.equal(errors[0].extensions?.code, 'NOT_FOUND');
      assert.equal(errors[0].message, 'Unknown station "no_such_bench".');
      return true;
    });
  } finally {
    await client.dispose();
  }
  // a webhook's fragment is on one of Pico's four types: this stream has no outbox
  await refused(srv, 'BAD_INPUT', `mutation { webhookSubscribe(input: { subscriptionID: "wo",
    responseFragment: "fragment F on WorkOrderEvent { seq }", webhookUrl: "http://127.0.0.1:9/" }) { message } }`);
});
