// Several mesd instances on one PostgreSQL database act as one server
// (issue 7): a subscriber on instance A receives the completions made
// through instance B, in order and once each; SIGKILL of one instance during
// a flood of completions on both loses nothing either acknowledged; losing
// the database connection fails requests with DATABASE_UNAVAILABLE and the
// subscriptions resume without loss once it is back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { freshPgDb, pgUrl, psql } from './lib/pg.mjs';
import { delay, wsClient, wsRequest, wsSubscription } from './lib/ws.mjs';
import { ok, deployFactory, saveMany, COMPLETE } from './lib/mes.mjs';

let db;
let a;
let b;
let f;

before(async () => {
  db = freshPgDb('e2e_multi_instance');
  a = await startServer({ db, fresh: true });
  b = await startServer({ db });
  b.adminToken = a.adminToken; // one database: the token A printed works on B
  f = await deployFactory(a);
});

after(async () => {
  for (const s of [a, b]) if (s && !s.exitInfo()) await s.stop();
});

const completeOn = (srv, id, operatorName = 'Multi') => ok(srv, COMPLETE,
  { input: { operationOrderId: id, stationId: f.stx, operatorName } });
const STREAM = `subscription ($after: Int, $ext: String) {
  operationOrderCompletesStream(afterSeq: $after, where: { externalOrderId: { _eq: $ext } }) { seq orderIndex } }`;

test('a subscriber on A receives the completions made through B, in order, once each', async () => {
  // the factory was deployed through A: B reads it from the shared database
  const { operation } = await ok(b, `{ operation(id: "${f.solo}") { id } }`);
  assert.equal(operation.id, f.solo);
  const ids = await saveMany(b, f.solo, 'MULTI-AB', 40);
  const client = wsClient(a);
  try {
    const sub = wsSubscription(client, { query: STREAM, variables: { ext: 'MULTI-AB' } });
    await wsRequest(client, '{ __typename }'); // the subscription is live once this is answered
    // one by one through B, and a burst of concurrent ones through B
    for (const id of ids.slice(0, 10)) await completeOn(b, id);
    await Promise.all(ids.slice(10).map((id) => completeOn(b, id)));
    const got = [];
    for (let i = 0; i < ids.length; i++) got.push((await sub.next(10000)).data.operationOrderCompletesStream);
    assert.deepEqual(await sub.drain(300), [], 'nothing twice');
    const seqs = got.map((e) => e.seq);
    assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y), 'in seq order');
    assert.equal(new Set(got.map((e) => e.orderIndex)).size, ids.length, 'every order once');
    // the same log on both instances
    const logOf = async (srv) => (await ok(srv, `{ operationOrderCompletes(where: { externalOrderId: { _eq: "MULTI-AB" } })
      { seq orderIndex } }`)).operationOrderCompletes;
    assert.deepEqual(await logOf(a), got);
    assert.deepEqual(await logOf(b), got);
    sub.dispose();
  } finally {
    await client.dispose();
  }
});

test('SIGKILL of one instance during a flood on both loses nothing acknowledged', async (t) => {
  const ORDERS = 3000;
  const ids = await saveMany(a, f.solo, 'MULTI-FLOOD', ORDERS);
  const indexOf = new Map(ids.map((id, i) => [id, i]));
  const queue = [...ids];
  const acked = new Set();
  let refused = null;
  let stop = false;
  // a subscriber on B, live from the start
  const client = wsClient(b);
  const live = wsSubscription(client, { query: STREAM, variables: { ext: 'MULTI-FLOOD' } });
  await wsRequest(client, '{ __typename }');
  const operator = (srv) => async () => {
    while (!stop && queue.length) {
      const id = queue.shift();
      let body;
      try {
        const res = await fetch(`${srv.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-pico-api-org': srv.adminToken },
          body: JSON.stringify({ query: COMPLETE, variables: { input: { operationOrderId: id, stationId: f.stx, operatorName: 'Flood' } } }),
        });
        body = JSON.parse(await res.text());
      } catch {
        if (srv === a) return; // A died with this request in flight: not acknowledged
        throw new Error('B failed a request');
      }
      if (body.data?.workOrderComplete?.status === 'COMPLETED' && !body.errors) acked.add(id);
      else refused ??= body;
    }
  };
  const loops = [...Array.from({ length: 12 }, operator(a)), ...Array.from({ length: 12 }, operator(b))];
  const t0 = Date.now();
  while (Date.now() - t0 < 2500 && queue.length > ORDERS / 3) await delay(20);
  assert.ok(acked.size > 0 && queue.length > 0, 'the flood was running');
  assert.deepEqual(await a.kill('SIGKILL'), { code: null, signal: 'SIGKILL' });
  // B goes on with the rest of the queue
  await Promise.all(loops);
  stop = true;
  assert.equal(refused, null, `every answered completion succeeded: ${JSON.stringify(refused)}`);
  const { operationOrderCompletes: log } = await ok(b, `{ operationOrderCompletes(where: { externalOrderId: { _eq: "MULTI-FLOOD" } })
    { seq orderIndex } }`);
  const logged = new Set(log.map((c) => c.orderIndex));
  t.diagnostic(`${acked.size} acknowledged by A and B, ${log.length} in the log`);
  const lost = [...acked].map((id) => indexOf.get(id)).filter((i) => !logged.has(i));
  assert.deepEqual(lost, [], 'acknowledged but not in the log');
  assert.equal(logged.size, log.length, 'each order completed once');
  // the subscriber on B saw every one, in order, once: through A's death
  const seen = [];
  while (seen.length < log.length) seen.push((await live.next(10000)).data.operationOrderCompletesStream);
  assert.deepEqual(seen, log);
  assert.deepEqual(await live.drain(200), []);
  live.dispose();
  await client.dispose();
  // every seq of the stream, whichever instance wrote it: 1, 2, 3, … with no hole
  const all = (await ok(b, '{ operationOrderCompletes { seq } }')).operationOrderCompletes.map((c) => c.seq);
  assert.deepEqual(all, Array.from({ length: all.length }, (_, i) => i + 1));
  // A comes back and agrees
  a = await startServer({ db });
  a.adminToken = b.adminToken;
  const again = (await ok(a, `{ operationOrderCompletes(where: { externalOrderId: { _eq: "MULTI-FLOOD" } })
    { seq orderIndex } }`)).operationOrderCompletes;
  assert.deepEqual(again, log);
});

test('losing the database: DATABASE_UNAVAILABLE, nothing changed, and the subscription resumes without loss', async () => {
  const ids = await saveMany(b, f.solo, 'MULTI-DOWN', 6);
  const client = wsClient(a);
  try {
    const sub = wsSubscription(client, { query: STREAM, variables: { ext: 'MULTI-DOWN' } });
    await wsRequest(client, '{ __typename }');
    await completeOn(b, ids[0]);
    assert.equal((await sub.next(10000)).data.operationOrderCompletesStream.orderIndex, 0);
    // the database refuses connections and drops every one it has
    const name = 'e2e_multi_instance';
    psql(pgUrl(), `ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    psql(pgUrl(), `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
    let r;
    for (const until = Date.now() + 5000; Date.now() < until; await delay(20)) {
      r = await a.gql(`{ operation(id: "${f.solo}") { id } }`);
      if (r.errors) break;
    }
    assert.equal(r.errors?.[0]?.extensions?.code, 'DATABASE_UNAVAILABLE', JSON.stringify(r));
    assert.match(r.errors[0].message, /database unavailable/);
    const w = await a.gql(COMPLETE, { input: { operationOrderId: ids[1], stationId: f.stx, operatorName: 'Down' } });
    assert.equal(w.errors?.[0]?.extensions?.code, 'DATABASE_UNAVAILABLE', JSON.stringify(w));
    assert.equal((await fetch(`${a.url}/readyz`)).status, 503);
    // back: each instance reconnects on its own (backoff up to 5 s)
    psql(pgUrl(), `ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    for (const srv of [a, b]) {
      for (const until = Date.now() + 15000; ; await delay(50)) {
        const q = await srv.gql(`{ operation(id: "${f.solo}") { id } }`);
        if (!q.errors) break;
        assert.ok(Date.now() < until, `reconnected: ${JSON.stringify(q.errors)}`);
      }
    }
    assert.equal((await fetch(`${a.url}/readyz`)).status, 200);
    // the refused completion changed nothing: the order is still READY
    const { operationOrders } = await ok(a, `{ operationOrders(where: { externalOrderId: { _eq: "MULTI-DOWN" } }) { orderIndex status } }`);
    assert.equal(operationOrders.find((o) => o.orderIndex === 1).status, 'READY');
    // the subscription lived through it and gets every later completion, once
    for (const id of ids.slice(1, 3)) await completeOn(b, id);
    for (const id of ids.slice(3)) await completeOn(a, id);
    const got = [];
    for (let i = 1; i < ids.length; i++) got.push((await sub.next(10000)).data.operationOrderCompletesStream.orderIndex);
    assert.deepEqual(got.sort(), [1, 2, 3, 4, 5]);
    assert.deepEqual(await sub.drain(200), []);
    sub.dispose();
  } finally {
    psql(pgUrl(), 'ALTER DATABASE e2e_multi_instance ALLOW_CONNECTIONS true');
    await client.dispose();
  }
});
