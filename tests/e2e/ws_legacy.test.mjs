// The legacy graphql-ws subprotocol (subscriptions-transport-ws): the real
// SubscriptionClient for the usual flow, raw sockets for the message-level
// rules (ka timing, start/data/error/complete/stop, connection_terminate,
// connection_error) as the library's own server behaves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import {
  rawSocket, legacyClient, legacySubscription, deployProcess, uid, within, delay, graphqlJsErrors, bigFeed,
} from './lib/ws.mjs';

const KA_MS = 200;
let srv;
before(async () => {
  srv = await startServer({ demo: true, args: ['--legacy-ka-ms', String(KA_MS)] });
});
after(async () => {
  await srv?.stop();
});

async function legacySocket(options) {
  const s = rawSocket(srv.wsUrl, ['graphql-ws'], options);
  await s.opened;
  return s;
}

// A legacy socket past connection_ack and its first ka.
async function initedSocket(payload = { 'x-pico-api-org': srv.adminToken }) {
  const s = await legacySocket();
  s.send({ type: 'connection_init', payload });
  assert.deepEqual(await s.next(), { type: 'connection_ack' });
  assert.deepEqual(await s.next(), { type: 'ka' });
  return s;
}

// Messages other than ka, within ms.
async function nonKa(s, ms) {
  return (await s.drain(ms)).filter((m) => m.type !== 'ka');
}

async function nextNonKa(s) {
  for (;;) {
    const m = await s.next();
    if (m.type !== 'ka') return m;
  }
}

// ---- the real client ----

test('SubscriptionClient: connects, queries, and gets data then complete', async () => {
  let connected;
  const ack = new Promise((r) => (connected = r));
  const client = legacyClient(srv, { connectionCallback: (err) => connected(err ?? null) });
  try {
    assert.equal(await within(ack, 5000, 'connection_ack'), null);
    const q = legacySubscription(client, { query: '{ operations(limit: 2) { id } }' });
    const first = await q.take();
    assert.equal(first.value.data.operations.length, 2);
    assert.deepEqual(await q.take(), { done: true });
  } finally {
    client.close();
  }
});

test('SubscriptionClient: a mutation, then a subscription that sees it', async () => {
  const client = legacyClient(srv);
  try {
    const sub = legacySubscription(client, { query: 'subscription { operationsStream { id name } }' });
    const id = uid('legacymut');
    const m = legacySubscription(client, {
      query: 'mutation ($input: ProcessCreateInput!) { processCreate(input: $input) }',
      variables: { input: { process: { id, name: 'Legacy' } } },
    });
    assert.deepEqual((await m.take()).value, { data: { processCreate: id } });
    assert.deepEqual(await m.take(), { done: true });
    assert.deepEqual((await sub.take()).value, { data: { operationsStream: { id, name: 'Legacy' } } });
    sub.unsubscribe();
  } finally {
    client.close();
  }
});

test('SubscriptionClient: validation errors come as data with errors, then complete', async () => {
  const client = legacyClient(srv);
  try {
    const query = 'subscription { operationsStream { nope } }';
    const sub = legacySubscription(client, { query });
    const item = await sub.take();
    assert.deepEqual(item.value, { errors: graphqlJsErrors(query) });
    assert.deepEqual(await sub.take(), { done: true });
  } finally {
    client.close();
  }
});

test('SubscriptionClient: an unknown token gets connection_error, then the socket closes', async () => {
  let got;
  const seen = new Promise((r) => (got = r));
  const client = legacyClient(srv, { token: 'mesd_not_a_token', connectionCallback: (err) => got(err) });
  try {
    const err = await within(seen, 5000, 'connection_error');
    assert.equal(err.extensions.code, 'UNAUTHENTICATED');
    assert.match(err.message, /token/i);
  } finally {
    client.close();
  }
});

// ---- raw sockets ----

test('ka right after connection_ack, then every --legacy-ka-ms', async () => {
  const s = await legacySocket();
  s.send({ type: 'connection_init', payload: { 'x-pico-api-org': srv.adminToken } });
  assert.deepEqual(await s.next(), { type: 'connection_ack' });
  assert.deepEqual(await s.next(), { type: 'ka' });
  const ackAt = s.stamps[0];
  assert.ok(s.stamps[1] - ackAt < 50, 'the first ka comes with the ack');
  const later = await s.drain(KA_MS * 3 + KA_MS / 2);
  assert.ok(later.length >= 3 && later.length <= 4, `3 more ka in 3.5 periods, got ${later.length}`);
  assert.ok(later.every((m) => m.type === 'ka'));
  const gaps = s.stamps.slice(2).map((t, i) => t - s.stamps[1 + i]);
  for (const g of gaps) assert.ok(g >= KA_MS * 0.7 && g <= KA_MS * 2, `ka gap ${g} ms for a ${KA_MS} ms period`);
  s.close();
});

test('no ka before connection_init', async () => {
  const s = await legacySocket();
  assert.deepEqual(await s.drain(KA_MS * 2), []);
  s.close();
});

test('start → data, complete for a query; ids may be numbers', async () => {
  const s = await initedSocket();
  s.send({ id: '1', type: 'start', payload: { query: '{ __typename }' } });
  assert.deepEqual(await nextNonKa(s), { id: '1', type: 'data', payload: { data: { __typename: 'Query' } } });
  assert.deepEqual(await nextNonKa(s), { id: '1', type: 'complete' });
  s.send({ id: 7, type: 'start', payload: { query: 'query Q { __typename }', operationName: 'Q' } });
  assert.deepEqual(await nextNonKa(s), { id: 7, type: 'data', payload: { data: { __typename: 'Query' } } });
  assert.deepEqual(await nextNonKa(s), { id: 7, type: 'complete' });
  s.close();
});

test('a syntax error is an error message with the error object; the socket serves on', async () => {
  const s = await initedSocket();
  s.send({ id: 'e', type: 'start', payload: { query: '{ operations { ' } });
  assert.deepEqual(await nextNonKa(s), { id: 'e', type: 'error', payload: graphqlJsErrors('{ operations { ')[0] });
  assert.deepEqual(await nonKa(s, 150), [], 'no complete after error');
  s.send({ id: 'x', type: 'start', payload: { query: 'query ($n: Int) { operations(limit: $n) { id } }', variables: { n: 'x' } } });
  const data = await nextNonKa(s);
  assert.equal(data.type, 'data');
  assert.match(data.payload.errors[0].message, /^Variable "\$n" got invalid value "x"/);
  assert.deepEqual(await nextNonKa(s), { id: 'x', type: 'complete' });
  s.close();
});

test('stop ends a subscription with complete; nothing follows', async () => {
  const s = await initedSocket();
  const id = uid('legstop');
  s.send({
    id: 's',
    type: 'start',
    payload: { query: 'subscription ($id: ID!) { operationsStream(where: { id: { _eq: $id } }) { name } }', variables: { id } },
  });
  s.send({ id: 'q', type: 'start', payload: { query: '{ __typename }' } });
  assert.equal((await nextNonKa(s)).id, 'q');
  assert.equal((await nextNonKa(s)).id, 'q');
  await deployProcess(srv, id, { name: 'one' });
  assert.deepEqual(await nextNonKa(s), { id: 's', type: 'data', payload: { data: { operationsStream: { name: 'one' } } } });
  s.send({ id: 's', type: 'stop' });
  assert.deepEqual(await nextNonKa(s), { id: 's', type: 'complete' });
  await deployProcess(srv, id, { name: 'two' });
  assert.deepEqual(await nonKa(s, 300), []);
  s.send({ id: 'never-started', type: 'stop' });
  assert.deepEqual(await nonKa(s, 100), [], 'stopping an unknown id says nothing');
  s.close();
});

test('start with a running id replaces that operation', async () => {
  const s = await initedSocket();
  const id = uid('legrepl');
  s.send({ id: 'r', type: 'start', payload: { query: 'subscription { operationsStream { id } }' } });
  s.send({
    id: 'r',
    type: 'start',
    payload: { query: 'subscription ($id: ID!) { operationsStream(where: { id: { _eq: $id } }) { name } }', variables: { id } },
  });
  s.send({ id: 'q', type: 'start', payload: { query: '{ __typename }' } });
  assert.equal((await nextNonKa(s)).id, 'q');
  assert.equal((await nextNonKa(s)).id, 'q');
  await deployProcess(srv, uid('legother'));
  await deployProcess(srv, id, { name: 'replaced' });
  const got = await nonKa(s, 300);
  assert.deepEqual(got, [{ id: 'r', type: 'data', payload: { data: { operationsStream: { name: 'replaced' } } } }]);
  s.close();
});

test('bad JSON gets connection_error and the socket stays open', async () => {
  const s = await initedSocket();
  s.send('{oops');
  const m = await nextNonKa(s);
  assert.equal(m.type, 'connection_error');
  assert.equal(typeof m.payload.message, 'string');
  s.send({ id: '1', type: 'start', payload: { query: '{ __typename }' } });
  assert.equal((await nextNonKa(s)).type, 'data');
  s.close();
});

test('an unknown type gets error "Invalid message type!"', async () => {
  const s = await initedSocket();
  s.send({ id: '9', type: 'subscribe', payload: { query: '{ __typename }' } });
  assert.deepEqual(await nextNonKa(s), { id: '9', type: 'error', payload: { message: 'Invalid message type!' } });
  s.send({ type: 'ping' });
  assert.deepEqual(await nextNonKa(s), { type: 'error', payload: { message: 'Invalid message type!' } });
  s.send({ type: 'start', payload: { query: '{ __typename }' } });
  assert.equal((await nextNonKa(s)).type, 'error', 'start without an id');
  s.send({ id: '2', type: 'start', payload: { nope: 1 } });
  const e = await nextNonKa(s);
  assert.equal(e.type, 'error');
  assert.match(e.payload.message, /'query' property to be a string/);
  s.close();
});

test('connection_terminate closes the socket normally', async () => {
  const s = await initedSocket();
  s.send({ type: 'connection_terminate' });
  const c = await within(s.closed, 5000, 'the close');
  assert.equal(c.code, 1000);
});

test('an unknown token: connection_error, then close', async () => {
  const s = await legacySocket();
  s.send({ type: 'connection_init', payload: { authorization: 'Bearer mesd_nope_nope' } });
  const m = await s.next();
  assert.equal(m.type, 'connection_error');
  assert.equal(m.payload.extensions.code, 'UNAUTHENTICATED');
  const c = await within(s.closed, 5000, 'the close');
  assert.equal(c.code, 4403);
});

test('no connection_init: the upgrade request`s token is enough, no token is an error', async () => {
  const withHeader = await legacySocket({ headers: { 'x-pico-api-org': srv.adminToken } });
  withHeader.send({ id: '1', type: 'start', payload: { query: '{ __typename }' } });
  assert.deepEqual(await withHeader.next(), { id: '1', type: 'data', payload: { data: { __typename: 'Query' } } });
  withHeader.close();
  const bare = await legacySocket();
  bare.send({ id: '1', type: 'start', payload: { query: '{ __typename }' } });
  const e = await bare.next();
  assert.equal(e.type, 'error');
  assert.equal(e.id, '1');
  assert.equal(e.payload.extensions.code, 'UNAUTHENTICATED');
  bare.close();
});

test('a second connection_init is acknowledged again', async () => {
  const s = await initedSocket();
  s.send({ type: 'connection_init', payload: { token: srv.adminToken } });
  assert.deepEqual(await nextNonKa(s), { type: 'connection_ack' });
  await delay(10);
  s.close();
});

test('a subscriber that does not read is ended with an error message; the socket serves on', async () => {
  const feed = await bigFeed(srv);
  const s = await initedSocket();
  s.ws._socket.pause();
  s.send({ id: 'big', type: 'start', payload: feed });
  await delay(1000);
  s.ws._socket.resume();
  let m;
  while ((m = await s.next(10000)).type === 'data' || m.type === 'ka');
  assert.deepEqual(m, { id: 'big', type: 'error', payload: { message: 'subscriber too slow; resume with afterSeq' } });
  s.send({ id: 'big', type: 'start', payload: { query: '{ __typename }' } });
  assert.equal((await nextNonKa(s)).type, 'data');
  s.close();
});
