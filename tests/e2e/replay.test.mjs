// The event bus under load, against a real `mesd serve`: subscribers replay
// a log several pages long (afterSeq) while deploys keep committing, and each
// one sees every event exactly once and in order where replay meets live;
// subscribers with the same document share one group; limits on documents
// answer LIMIT_EXCEEDED.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { wsClient, wsSubscription, uid } from './lib/ws.mjs';

let srv;
before(async () => {
  srv = await startServer();
});
after(async () => {
  await srv?.stop();
});

// One mutation deploying n processes (aliased root fields), answered after its commit.
async function deployMany(prefix, n) {
  const fields = [];
  for (let i = 0; i < n; i++) {
    fields.push(`p${i}: processCreate(input: { process: { id: "${prefix}_${i}", name: "P ${i}" } })`);
  }
  const r = await srv.gql(`mutation { ${fields.join(' ')} }`);
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return Object.values(r.data);
}

async function metric(name) {
  const text = await (await fetch(`${srv.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  assert.ok(line, `${name} in /metrics`);
  return Number(line.split(' ')[1]);
}

// Takes results until `count` events have come; fails on a timeout.
async function take(sub, count) {
  const seen = [];
  while (seen.length < count) seen.push((await sub.next(10000)).data.operationsStream);
  return seen;
}

test('replays of several pages meet the live feed with no gap and no duplicate while deploys commit', async () => {
  // 600 events in the log: more than two pages of the bus's replay
  await Promise.all(Array.from({ length: 12 }, (_, k) => deployMany(`base${k}`, 50)));
  const client = wsClient(srv);
  try {
    const query = 'subscription ($n: Int) { operationsStream(afterSeq: $n) { id seq } }';
    const starts = [0, 250, 590];
    const subs = starts.map((n) => wsSubscription(client, { query, variables: { n } }));
    // a live subscriber of the same document, without afterSeq
    const live = wsSubscription(client, { query: 'subscription { operationsStream { id seq } }' });
    // deploys that commit while the replays are being read
    const during = Promise.all(Array.from({ length: 10 }, (_, k) => deployMany(`during${k}`, 5)));
    await during;
    const total = 600 + 50;
    const results = await Promise.all(subs.map((s, i) => take(s, total - starts[i])));
    for (let i = 0; i < starts.length; i++) {
      const seqs = results[i].map((e) => e.seq);
      assert.equal(seqs[0], starts[i] + 1, `subscriber after ${starts[i]} starts right after it`);
      for (let j = 1; j < seqs.length; j++) {
        assert.equal(seqs[j], seqs[j - 1] + 1, `after ${starts[i]}: no gap, no duplicate at ${j}`);
      }
      assert.equal(new Set(results[i].map((e) => e.id)).size, seqs.length, 'each operation once');
    }
    // one more event reaches everyone exactly once
    const [last] = await deployMany(uid('last'), 1);
    for (const s of subs) {
      const [e] = await take(s, 1);
      assert.equal(e.id, last);
      assert.equal(e.seq, total + 1);
      assert.deepEqual(await s.drain(100), []);
    }
    const liveSeen = await live.drain(100);
    assert.ok(liveSeen.length >= 1, 'the live subscriber has the last event');
    assert.equal(liveSeen.at(-1).data.operationsStream.id, last);
    const liveSeqs = liveSeen.map((r) => r.data.operationsStream.seq);
    for (let j = 1; j < liveSeqs.length; j++) assert.equal(liveSeqs[j], liveSeqs[j - 1] + 1);
    // groups: one per afterSeq (the variables differ) and the live subscriber's
    assert.equal(await metric('mesd_subscription_groups_open'), 4);
    for (const s of subs) s.dispose();
    live.dispose();
  } finally {
    await client.dispose();
  }
});

test('subscribers with the same document and variables share one group', async () => {
  const client = wsClient(srv);
  try {
    const before = await metric('mesd_subscription_groups_open');
    const query = 'subscription ($id: ID) { operationsStream(where: { id: { _eq: $id } }) { id name } }';
    const id = uid('shared');
    const subs = Array.from({ length: 5 }, () => wsSubscription(client, { query, variables: { id } }));
    const other = wsSubscription(client, { query, variables: { id: `${id}_x` } });
    // the subscribes are in once a later request on the same socket is answered
    await new Promise((resolve, reject) => {
      client.subscribe({ query: '{ __typename }' }, { next() {}, error: reject, complete: resolve });
    });
    assert.equal(await metric('mesd_subscription_groups_open'), before + 2);
    await srv.gql(`mutation { processCreate(input: { process: { id: "${id}", name: "Shared" } }) }`);
    const got = await Promise.all(subs.map((s) => s.next()));
    for (const r of got) assert.deepEqual(r, { data: { operationsStream: { id, name: 'Shared' } } });
    assert.deepEqual(await other.drain(100), []);
    for (const s of subs) s.dispose();
    other.dispose();
  } finally {
    await client.dispose();
  }
});

test('documents over a limit are refused with LIMIT_EXCEEDED', async () => {
  const deep = `{ operations { subOperations { sub { subOperations { sub { subOperations { sub { subOperations {
    sub { subOperations { sub { subOperations { sub { subOperations { sub { subOperations { sub { subOperations {
    sub { subOperations { sub { id } } } } } } } } } } } } } } } } } } } } } }`;
  const aliases = `{ ${Array.from({ length: 101 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
  for (const query of [deep, aliases]) {
    const r = await srv.post({ query });
    assert.equal(r.json.data, undefined);
    assert.equal(r.json.errors[0].extensions.code, 'LIMIT_EXCEEDED', JSON.stringify(r.json));
  }
  // and the server answers as before
  assert.deepEqual(await srv.gql('{ __typename }'), { data: { __typename: 'Query' } });
});
