// graphql-transport-ws with the real graphql-ws client (createClient, the ws
// module): queries and mutations over the socket, subscriptions with where
// and afterSeq (replay, then live, no gap, no duplicate), authentication on
// the upgrade request or in connection_init, and how errors reach the client.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import {
  wsClient, wsRequest, wsSubscription, deployProcess, deployProduct, uid, within, graphqlJsErrors, createToken,
} from './lib/ws.mjs';

let srv;
before(async () => {
  srv = await startServer({ demo: true });
});
after(async () => {
  await srv?.stop();
});

// Messages on one socket are handled in order: once a query sent after a
// subscribe is answered, the subscription is live.
const sync = (client) => wsRequest(client, '{ __typename }');

test('a query over the socket', async () => {
  const client = wsClient(srv);
  try {
    const r = await wsRequest(client, '{ operations { id externalId name } stations { id name } }');
    assert.equal(r.errors, undefined);
    assert.ok(r.data.operations.length >= 5, 'the demo factory has operations');
    assert.ok(r.data.stations.length >= 3, 'the demo factory has stations');
  } finally {
    await client.dispose();
  }
});

test('a mutation over the socket is answered after its commit', async () => {
  const client = wsClient(srv);
  try {
    const id = uid('wsmut');
    const r = await wsRequest(
      client,
      'mutation ($input: ProcessCreateInput!) { processCreate(input: $input) }',
      { input: { process: { id, name: 'Over the socket', partNumber: 'WS-1' } } },
    );
    assert.deepEqual(r, { data: { processCreate: id } });
    const read = await wsRequest(client, 'query ($id: ID!) { operation(id: $id) { id externalId name kind } }', { id });
    assert.deepEqual(read.data.operation, { id, externalId: 'WS-1', name: 'Over the socket', kind: 'PROCESS' });
  } finally {
    await client.dispose();
  }
});

test('a mutation with a bad input answers a field error, the socket serves on', async () => {
  const client = wsClient(srv);
  try {
    const r = await wsRequest(client, 'mutation ($input: ProcessCreateInput!) { processCreate(input: $input) }', {
      input: { process: { id: 'BAD ID!', name: 'x' } },
    });
    assert.equal(r.data.processCreate, null);
    assert.equal(r.errors[0].extensions.code, 'BAD_INPUT');
    assert.deepEqual(r.errors[0].path, ['processCreate']);
    assert.equal((await sync(client)).data.__typename, 'Query');
  } finally {
    await client.dispose();
  }
});

test('operationsStream delivers a deployed process, with where filtering others out', async () => {
  const client = wsClient(srv);
  try {
    const wanted = uid('wanted');
    const other = uid('other');
    const sub = wsSubscription(client, {
      query: 'subscription ($id: ID!) { operationsStream(where: { id: { _eq: $id } }) { id name externalId kind } }',
      variables: { id: wanted },
    });
    const all = wsSubscription(client, { query: 'subscription { operationsStream { id } }' });
    await sync(client);
    await deployProcess(srv, other);
    await deployProcess(srv, wanted, { name: 'Wanted' });
    const r = await sub.next();
    assert.deepEqual(r, { data: { operationsStream: { id: wanted, name: 'Wanted', externalId: wanted.toUpperCase(), kind: 'PROCESS' } } });
    assert.deepEqual(await sub.drain(200), [], 'the other process does not pass the filter');
    // the unfiltered subscription saw both, in commit order
    assert.equal((await all.next()).data.operationsStream.id, other);
    assert.equal((await all.next()).data.operationsStream.id, wanted);
    sub.dispose();
    all.dispose();
  } finally {
    await client.dispose();
  }
});

test('where with _and, _or, _not and a nested object (subOperationsStream)', async () => {
  const client = wsClient(srv);
  try {
    const p1 = uid('p1');
    const p2 = uid('p2');
    const prod = uid('prod');
    await deployProcess(srv, p1);
    await deployProcess(srv, p2);
    const sub = wsSubscription(client, {
      query: `subscription ($prod: ID!, $p2: ID!) {
        subOperationsStream(where: { _and: [ { parent: { id: { _eq: $prod } } }, { _not: { subId: { _eq: $p2 } } } ],
                                     _or: [ { position: { _gte: 0 } }, { optional: { _eq: true } } ] }) {
          parentId subId position parent { externalId } sub { id }
        }
      }`,
      variables: { prod, p2 },
    });
    await sync(client);
    await deployProduct(srv, prod, [p1, p2]);
    const r = await sub.next();
    assert.deepEqual(r.data.subOperationsStream, {
      parentId: prod,
      subId: p1,
      position: 0,
      parent: { externalId: prod.toUpperCase() },
      sub: { id: p1 },
    });
    assert.deepEqual(await sub.drain(200), [], 'the link to p2 is filtered out');
    sub.dispose();
  } finally {
    await client.dispose();
  }
});

test('afterSeq replays the log, then continues live with no gap and no duplicate', async () => {
  const client = wsClient(srv);
  try {
    const before1 = uid('replay');
    const before2 = uid('replay');
    await deployProcess(srv, before1);
    await deployProcess(srv, before2);
    const head = await wsRequest(client, 'query ($id: ID!) { operation(id: $id) { seq } }', { id: before1 });
    const from = head.data.operation.seq - 1; // replay starts with before1
    const sub = wsSubscription(client, {
      query: 'subscription ($n: Int) { operationsStream(afterSeq: $n) { id seq } }',
      variables: { n: from },
    });
    const seen = [];
    const first = await sub.next();
    seen.push(first.data.operationsStream);
    const live = uid('live');
    // a deploy while the replay is being read: it must come exactly once, after the replay
    const deployed = deployProcess(srv, live);
    for (;;) {
      const r = await sub.next();
      seen.push(r.data.operationsStream);
      if (r.data.operationsStream.id === live) break;
    }
    await deployed;
    const seqs = seen.map((e) => e.seq);
    assert.equal(seqs[0], from + 1, 'the replay starts right after afterSeq');
    for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1] + 1, `no gap, no duplicate: ${seqs}`);
    assert.equal(seen[0].id, before1);
    assert.equal(seen[1].id, before2);
    assert.deepEqual(await sub.drain(200), [], 'nothing after the live event');
    sub.dispose();
  } finally {
    await client.dispose();
  }
});

test('afterSeq: 0 replays the whole stream from seq 1', async () => {
  const client = wsClient(srv);
  try {
    const sub = wsSubscription(client, { query: 'subscription { operationsStream(afterSeq: 0) { seq } }' });
    const r = await sub.next();
    assert.equal(r.data.operationsStream.seq, 1);
    sub.dispose();
  } finally {
    await client.dispose();
  }
});

test('validation and syntax errors reach the sink as graphql-js words them', async () => {
  const client = wsClient(srv);
  try {
    for (const query of [
      'subscription { operationsStream { nope } }',
      'subscription { operationsStream { id } subOperationsStream { subId } }',
      'subscription { operationsStream(where: { nope: 1 }) { id } }',
      'subscription {\n  operationsStream {\n    id\n',
    ]) {
      const sub = wsSubscription(client, { query });
      await assert.rejects(sub.next(), (errors) => {
        assert.ok(Array.isArray(errors), 'an array of GraphQL errors');
        assert.deepEqual(errors, graphqlJsErrors(query));
        return true;
      });
    }
  } finally {
    await client.dispose();
  }
});

test('the token on the upgrade request (x-pico-api-org or Authorization)', async () => {
  for (const headers of [{ 'x-pico-api-org': srv.adminToken }, { Authorization: `Bearer ${srv.adminToken}` }]) {
    const client = wsClient(srv, { token: null, headers });
    try {
      assert.equal((await sync(client)).data.__typename, 'Query');
    } finally {
      await client.dispose();
    }
  }
});

test('no token, or an unknown one: the client sees close 4403 Forbidden', async () => {
  for (const opts of [{ token: null }, { token: 'mesd_abc_def' }, { token: null, headers: { 'x-pico-api-org': 'mesd_x_y' } }]) {
    const client = wsClient(srv, opts);
    try {
      await assert.rejects(within(sync(client), 5000, 'the refusal'), (e) => {
        assert.equal(e.code, 4403);
        assert.equal(e.reason, 'Forbidden');
        return true;
      });
    } finally {
      await client.dispose();
    }
  }
});

test('an erp token may subscribe and query, not deploy', async () => {
  const client = wsClient(srv, { token: await createToken(srv, 'erp') });
  try {
    const sub = wsSubscription(client, { query: 'subscription { operationsStream { id } }' });
    await sync(client);
    const id = uid('erpsees');
    await deployProcess(srv, id);
    assert.equal((await sub.next()).data.operationsStream.id, id);
    const denied = await wsRequest(client, 'mutation ($input: ProcessCreateInput!) { processCreate(input: $input) }', {
      input: { process: { id: uid('erpdeny'), name: 'no' } },
    });
    assert.equal(denied.errors[0].extensions.code, 'FORBIDDEN');
    sub.dispose();
  } finally {
    await client.dispose();
  }
});

test('many subscribers on one socket all get the event', async () => {
  const client = wsClient(srv);
  try {
    const subs = Array.from({ length: 20 }, (_, i) =>
      wsSubscription(client, { query: `subscription S${i} { operationsStream { id name } }` }),
    );
    await sync(client);
    const id = uid('fan');
    await deployProcess(srv, id);
    for (const s of subs) assert.equal((await s.next()).data.operationsStream.id, id);
    subs.forEach((s) => s.dispose());
  } finally {
    await client.dispose();
  }
});

test('the client`s keepAlive pings are answered with pongs', async () => {
  let pongs = 0;
  let gotTwo;
  const two = new Promise((r) => (gotTwo = r));
  const client = wsClient(srv, {
    keepAlive: 50,
    on: {
      pong: (received) => {
        if (received && ++pongs === 2) gotTwo();
      },
    },
  });
  try {
    const sub = wsSubscription(client, { query: 'subscription { operationsStream { id } }' });
    await within(two, 5000, 'two pongs');
    assert.equal(sub.error, undefined, 'the subscription lives on');
    sub.dispose();
  } finally {
    await client.dispose();
  }
});
