// Durability of completions: clients flood workOrderComplete (many small
// process orders, concurrent requests) for a few seconds, the server is
// killed with SIGKILL in the middle, and a new server on the same database
// must hold every completion a client saw acknowledged: in
// operationOrderCompletes, in the orders' status, and in the stream a
// subscriber resumes with afterSeq (in order, once each).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './lib/server.mjs';
import { delay, wsClient, wsRequest, wsSubscription } from './lib/ws.mjs';
import { ok, deployFactory, saveMany } from './lib/mes.mjs';

const dir = mkdtempSync(join(tmpdir(), 'mesd-crash-'));
let srv;
after(async () => {
  await srv?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const EXT = 'FLOOD';
const ORDERS = 5000;
const CLIENTS = 32;
const FLOOD_MS = 3000;

test('SIGKILL during a flood of completions loses no acknowledged completion', async (t) => {
  srv = await startServer({ dir });
  const token = srv.adminToken;
  const f = await deployFactory(srv);
  // the work: one small process order per unit (orderIndex)
  const byIndex = await saveMany(srv, f.solo, EXT, ORDERS);
  const ids = new Map(byIndex.map((id, i) => [id, i])); // order id -> orderIndex
  assert.equal(ids.size, ORDERS);
  const queue = [...ids.keys()];

  // the flood: CLIENTS concurrent operators, each completion in its own request
  const acked = new Set();
  let refusedOtherwise = null;
  let stop = false;
  const query = `mutation ($input: WorkOrderCompleteInput!) { workOrderComplete(input: $input) { id status } }`;
  const operatorLoop = async () => {
    while (!stop && queue.length) {
      const id = queue.shift();
      let body;
      try {
        const res = await fetch(`${srv.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-pico-api-org': token },
          body: JSON.stringify({ query, variables: { input: { operationOrderId: id, stationId: f.stx, operatorName: 'Flood' } } }),
        });
        body = JSON.parse(await res.text());
      } catch {
        continue; // the server died with this request in flight: not acknowledged
      }
      if (body.data?.workOrderComplete?.status === 'COMPLETED' && !body.errors) acked.add(id);
      else refusedOtherwise ??= body;
    }
  };
  // an ERP subscribed live during the flood: what it sees before the kill
  const erpClient = wsClient(srv);
  erpClient.on('error', () => {}); // the connection dies with the server
  const seenLive = [];
  const live = wsSubscription(erpClient, { query: 'subscription { operationOrderCompletesStream { seq orderIndex } }' });
  await wsRequest(erpClient, '{ __typename }'); // the subscription is live once this is answered
  const pump = (async () => {
    for (;;) {
      try {
        seenLive.push((await live.next(60000)).data.operationOrderCompletesStream);
      } catch {
        return; // the socket closed with the server
      }
    }
  })();
  const loops = Array.from({ length: CLIENTS }, operatorLoop);
  // a few seconds, or less on a machine fast enough to run out of orders
  const t0 = Date.now();
  while (Date.now() - t0 < FLOOD_MS && queue.length > ORDERS / 5) await delay(20);
  assert.ok(acked.size > 0, 'completions were acknowledged before the kill');
  assert.ok(queue.length > 0, 'the flood was still running when killed');
  const killed = await srv.kill('SIGKILL');
  assert.deepEqual(killed, { code: null, signal: 'SIGKILL' });
  stop = true;
  await Promise.all(loops);
  await pump;
  await erpClient.dispose();
  assert.ok(seenLive.length > 0, 'the live subscriber saw completions before the kill');
  seenLive.forEach((e, i) => assert.equal(e.seq, i + 1, 'live: in order, no gap'));
  assert.equal(refusedOtherwise, null, `every answered completion succeeded: ${JSON.stringify(refusedOtherwise)}`);
  const ackedIndexes = new Set([...acked].map((id) => ids.get(id)));

  // a new server on the same database
  srv = await startServer({ dir });
  srv.adminToken = token; // not a fresh database: no new token is printed
  const { operationOrderCompletes: log } = await ok(srv, `{ operationOrderCompletes(where: { externalOrderId: { _eq: "${EXT}" } }) {
    seq orderIndex wip operation { id } } }`);
  const logged = new Set(log.map((c) => c.orderIndex));
  t.diagnostic(`${acked.size} completions acknowledged and ${seenLive.length} seen live before the kill, ${log.length} in the log after the restart`);
  const lost = [...ackedIndexes].filter((i) => !logged.has(i));
  assert.deepEqual(lost, [], `acknowledged but not in operationOrderCompletes (${acked.size} acknowledged)`);
  assert.equal(logged.size, log.length, 'each order completed once');
  assert.ok(log.every((c) => c.wip === false && c.operation.id === f.solo));
  // the orders agree with the log: completed exactly when logged
  const { operationOrders } = await ok(srv,
    `{ operationOrders(where: { externalOrderId: { _eq: "${EXT}" } }) { orderIndex status } }`);
  assert.equal(operationOrders.length, ORDERS);
  for (const o of operationOrders) {
    assert.equal(o.status, logged.has(o.orderIndex) ? 'COMPLETED' : 'READY', `order ${o.orderIndex}`);
  }
  // the stream is whole: seqs 1.. with no gap (every completion in this
  // database is the flood's)
  const all = (await ok(srv, '{ operationOrderCompletes { seq } }')).operationOrderCompletes.map((c) => c.seq);
  assert.deepEqual(all, Array.from({ length: all.length }, (_, i) => i + 1));

  // a subscriber that resumes with afterSeq gets them in order, once each,
  // then the live ones
  const client = wsClient(srv);
  try {
    // every event the ERP saw was committed: it is in the log, the same
    const bySeq = new Map(log.map((c) => [c.seq, c.orderIndex]));
    for (const e of seenLive) assert.equal(bySeq.get(e.seq), e.orderIndex, `the event ${e.seq} seen live survived`);
    // and it resumes after the last one it saw
    const resumeAt = seenLive.at(-1).seq;
    const sub = wsSubscription(client, {
      query: 'subscription ($a: Int) { operationOrderCompletesStream(afterSeq: $a) { seq orderIndex } }',
      variables: { a: resumeAt },
    });
    const expect = log.filter((c) => c.seq > resumeAt);
    for (const c of expect) {
      assert.deepEqual((await sub.next(10000)).data.operationOrderCompletesStream, { seq: c.seq, orderIndex: c.orderIndex });
    }
    // the server works on after the restart: one more completion, live
    const [nextId] = [...ids.keys()].filter((id) => !logged.has(ids.get(id)));
    await ok(srv, query, { input: { operationOrderId: nextId, stationId: f.stx, operatorName: 'After' } });
    assert.deepEqual((await sub.next()).data.operationOrderCompletesStream,
      { seq: log.at(-1).seq + 1, orderIndex: ids.get(nextId) });
    assert.deepEqual(await sub.drain(150), []);
    sub.dispose();
  } finally {
    await client.dispose();
  }
  assert.deepEqual(await srv.stop(), { code: 0, signal: null });
});
