// graphql-transport-ws on raw sockets: subprotocol choice and refusal, and
// every close code the protocol defines (4400, 4401, 4403, 4408, 4409,
// 4429), ping/pong, per-connection operation cap, complete, and the server
// staying healthy after each violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from './lib/server.mjs';
import {
  rawSocket, ackedSocket, deployProcess, uid, within, delay, graphqlJsErrors, createToken, revokeToken, bigFeed,
} from './lib/ws.mjs';

let srv;
before(async () => {
  srv = await startServer({ demo: true, args: ['--ws-init-timeout-ms', '400', '--max-subs-per-conn', '3', '--token-cache-ms', '100'] });
});
after(async () => {
  await srv?.stop();
});

async function healthy() {
  const s = await ackedSocket(srv);
  s.send({ id: 'h', type: 'subscribe', payload: { query: '{ __typename }' } });
  assert.deepEqual(await s.next(), { id: 'h', type: 'next', payload: { data: { __typename: 'Query' } } });
  assert.deepEqual(await s.next(), { id: 'h', type: 'complete' });
  s.close();
  await s.closed;
}

async function expectClose(s, code, reason) {
  const c = await within(s.closed, 5000, `close ${code}`);
  assert.equal(c.code, code, `close code (reason: ${c.reason})`);
  if (reason instanceof RegExp) assert.match(c.reason, reason);
  else if (reason !== undefined) assert.equal(c.reason, reason);
}

// ---- the upgrade ----

test('graphql-transport-ws is chosen when both are offered, whatever their order', async () => {
  for (const offer of [['graphql-ws', 'graphql-transport-ws'], ['graphql-transport-ws', 'graphql-ws']]) {
    const s = rawSocket(srv.wsUrl, offer);
    await s.opened;
    assert.equal(s.ws.protocol, 'graphql-transport-ws');
    s.close();
    await s.closed;
  }
});

test('the legacy graphql-ws alone is accepted', async () => {
  const s = rawSocket(srv.wsUrl, ['graphql-ws']);
  await s.opened;
  assert.equal(s.ws.protocol, 'graphql-ws');
  s.close();
  await s.closed;
});

test('another subprotocol, or none, is refused with 400 and a reason', async () => {
  for (const offer of [['graphql-subscriptions'], ['chat', 'superchat'], []]) {
    const s = rawSocket(srv.wsUrl, offer);
    const err = await s.opened.then(
      () => null,
      (e) => e,
    );
    assert.ok(err?.res, `offer ${JSON.stringify(offer)} must be refused`);
    assert.equal(err.res.statusCode, 400);
    const body = await new Promise((resolve) => {
      let text = '';
      err.res.on('data', (d) => (text += d));
      err.res.on('end', () => resolve(JSON.parse(text)));
    });
    assert.match(body.errors[0].message, /graphql-transport-ws or graphql-ws/);
  }
  await healthy();
});

test('the /graph/v2 path upgrades too', async () => {
  const s = rawSocket(srv.wsUrl.replace(/\/graphql$/, '/graph/v2'));
  await s.opened;
  s.send({ type: 'connection_init', payload: { 'x-pico-api-org': srv.adminToken } });
  assert.deepEqual(await s.next(), { type: 'connection_ack' });
  s.close();
});

// ---- connection_init and authentication ----

test('4408 when connection_init never comes', async () => {
  const s = rawSocket(srv.wsUrl);
  await s.opened;
  const t0 = Date.now();
  await expectClose(s, 4408, 'Connection initialisation timeout');
  const waited = Date.now() - t0;
  assert.ok(waited >= 300 && waited < 3000, `closed after ${waited} ms, the timeout is 400 ms`);
});

test('a plain TCP client that upgrades and then says nothing is closed by the init timeout', async () => {
  const sock = net.connect(srv.port, '127.0.0.1');
  await new Promise((r) => sock.once('connect', r));
  sock.write(
    'GET /graphql HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n' +
      'Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n',
  );
  const data = await within(
    new Promise((resolve) => {
      let buf = Buffer.alloc(0);
      sock.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        const head = buf.indexOf('\r\n\r\n');
        if (head >= 0 && buf.length >= head + 4 + 2) {
          const frame = buf.subarray(head + 4);
          const len = frame[1] & 0x7f;
          if (frame.length >= 2 + len) resolve({ head: buf.subarray(0, head).toString(), frame });
        }
      });
    }),
    5000,
    'the 101 and a close frame',
  );
  assert.match(data.head, /^HTTP\/1\.1 101/);
  assert.match(data.head, /Sec-WebSocket-Protocol: graphql-transport-ws/i);
  assert.equal(data.frame[0], 0x88, 'a close frame');
  assert.equal(data.frame.readUInt16BE(2), 4408);
  sock.destroy();
});

test('4403 after connection_init without a token', async () => {
  const s = rawSocket(srv.wsUrl);
  await s.opened;
  s.send({ type: 'connection_init' });
  await expectClose(s, 4403, 'Forbidden');
});

test('4403 after connection_init with an unknown token', async () => {
  for (const payload of [
    { 'x-pico-api-org': 'mesd_nope_nope' },
    { authorization: 'Bearer mesd_nope_nope' },
    { token: 'mesd_nope_nope' },
  ]) {
    const s = rawSocket(srv.wsUrl);
    await s.opened;
    s.send({ type: 'connection_init', payload });
    await expectClose(s, 4403, 'Forbidden');
  }
});

test('the token may come in any of the three connection_init keys', async () => {
  for (const payload of [
    { 'x-pico-api-org': srv.adminToken },
    { authorization: `Bearer ${srv.adminToken}` },
    { token: srv.adminToken },
  ]) {
    const s = rawSocket(srv.wsUrl);
    await s.opened;
    s.send({ type: 'connection_init', payload });
    assert.deepEqual(await s.next(), { type: 'connection_ack' }, JSON.stringify(Object.keys(payload)));
    s.close();
  }
});

test('the token may come on the upgrade request', async () => {
  for (const headers of [{ 'x-pico-api-org': srv.adminToken }, { Authorization: `Bearer ${srv.adminToken}` }]) {
    const s = rawSocket(srv.wsUrl, ['graphql-transport-ws'], { headers });
    await s.opened;
    s.send({ type: 'connection_init' });
    assert.deepEqual(await s.next(), { type: 'connection_ack' });
    s.close();
  }
});

test('4429 on a second connection_init', async () => {
  const s = await ackedSocket(srv);
  s.send({ type: 'connection_init', payload: { token: srv.adminToken } });
  await expectClose(s, 4429, 'Too many initialisation requests');
});

test('4401 on subscribe before connection_ack', async () => {
  const s = rawSocket(srv.wsUrl);
  await s.opened;
  s.send({ id: '1', type: 'subscribe', payload: { query: '{ __typename }' } });
  await expectClose(s, 4401, 'Unauthorized');
});

// ---- invalid messages ----

test('4400 for every kind of invalid message', async () => {
  const cases = [
    ['{not json', /^Invalid message received$/],
    ['42', /expected to be an object, but got number/],
    ['[]', /expected to be an object, but got array/],
    [{ payload: {} }, /missing the 'type' property/],
    [{ type: '' }, /missing the 'type' property/],
    [{ type: 7 }, /'type' property to be a string, but got number/],
    [{ type: 'start', id: '1' }, /Invalid message 'type' property "start"/],
    [{ type: 'next', id: '1', payload: {} }, /Unexpected message of type next received/],
    [{ type: 'connection_init', payload: 'x' }, /"connection_init" message expects the 'payload' property to be an object/],
    [{ type: 'ping', payload: [1] }, /"ping" message expects the 'payload' property to be an object/],
  ];
  for (const [msg, reason] of cases) {
    const s = rawSocket(srv.wsUrl);
    await s.opened;
    s.send(msg);
    await expectClose(s, 4400, reason);
  }
  const acked = [
    [{ type: 'subscribe', payload: { query: '{ __typename }' } }, /'id' property to be a string, but got undefined/],
    [{ type: 'subscribe', id: 5, payload: { query: '{ __typename }' } }, /'id' property to be a string, but got number/],
    [{ type: 'subscribe', id: '', payload: { query: '{ __typename }' } }, /requires a non-empty 'id'/],
    [{ type: 'subscribe', id: '1' }, /'payload' property to be an object, but got undefined/],
    [{ type: 'subscribe', id: '1', payload: {} }, /'query' property to be a string, but got undefined/],
    [{ type: 'subscribe', id: '1', payload: { query: '{ a }', variables: [] } }, /'variables' property/],
    [{ type: 'subscribe', id: '1', payload: { query: '{ a }', operationName: 3 } }, /'operationName' property/],
    [{ type: 'complete' }, /"complete" message expects the 'id' property/],
  ];
  for (const [msg, reason] of acked) {
    const s = await ackedSocket(srv);
    s.send(msg);
    await expectClose(s, 4400, reason);
  }
  await healthy();
});

test('nullish optional members are accepted', async () => {
  const s = await ackedSocket(srv);
  s.send({ id: 'n', type: 'subscribe', payload: { query: '{ __typename }', variables: null, operationName: null, extensions: null } });
  assert.equal((await s.next()).type, 'next');
  assert.equal((await s.next()).type, 'complete');
  s.close();
});

// ---- ping / pong ----

test('ping gets pong, with the payload echoed; pong is ignored', async () => {
  const s = rawSocket(srv.wsUrl);
  await s.opened;
  s.send({ type: 'ping' }); // allowed before connection_init
  assert.deepEqual(await s.next(), { type: 'pong' });
  s.send({ type: 'ping', payload: { n: 1, s: 'é', deep: { a: [1, 2] } } });
  assert.deepEqual(await s.next(), { type: 'pong', payload: { n: 1, s: 'é', deep: { a: [1, 2] } } });
  s.send({ type: 'ping', payload: null });
  assert.deepEqual(await s.next(), { type: 'pong' });
  s.send({ type: 'pong', payload: { x: 1 } });
  s.send({ type: 'pong' });
  assert.deepEqual(await s.drain(150), [], 'nothing answers a pong');
  s.send({ type: 'connection_init', payload: { token: srv.adminToken } });
  assert.deepEqual(await s.next(), { type: 'connection_ack' });
  s.close();
});

// ---- operations ----

test('4409 when an id is reused while its subscription runs; reusable once completed', async () => {
  const s = await ackedSocket(srv);
  const sub = { id: 'dup', type: 'subscribe', payload: { query: 'subscription { operationsStream { id } }' } };
  s.send(sub);
  s.send({ id: 'q', type: 'subscribe', payload: { query: '{ __typename }' } });
  assert.equal((await s.next()).id, 'q'); // the subscription is running now
  assert.equal((await s.next()).type, 'complete');
  s.send({ id: 'dup', type: 'complete' });
  s.send(sub); // completed by the client: the id is free again
  s.send({ id: 'q', type: 'subscribe', payload: { query: '{ __typename }' } });
  assert.equal((await s.next()).id, 'q');
  assert.equal((await s.next()).type, 'complete');
  s.send(sub);
  await expectClose(s, 4409, 'Subscriber for dup already exists');
  await healthy();
});

test('queries and mutations answer with next then complete', async () => {
  const s = await ackedSocket(srv);
  s.send({ id: 'a', type: 'subscribe', payload: { query: 'query Q($id: ID!) { operation(id: $id) { id } }', variables: { id: 'nope_nope' } } });
  assert.deepEqual(await s.next(), { id: 'a', type: 'next', payload: { data: { operation: null } } });
  assert.deepEqual(await s.next(), { id: 'a', type: 'complete' });
  const id = uid('rawmut');
  s.send({
    id: 'm',
    type: 'subscribe',
    payload: {
      query: 'mutation ($input: ProcessCreateInput!) { processCreate(input: $input) }',
      variables: { input: { process: { id, name: 'Raw mutation' } } },
    },
  });
  assert.deepEqual(await s.next(), { id: 'm', type: 'next', payload: { data: { processCreate: id } } });
  assert.deepEqual(await s.next(), { id: 'm', type: 'complete' });
  const check = await srv.gql('query ($id: ID!) { operation(id: $id) { name } }', { id }, srv.adminToken);
  assert.equal((check.body ?? check).data.operation.name, 'Raw mutation', 'the mutation was committed');
  s.close();
});

test('request errors come as an error message with GraphQL errors, and the socket stays usable', async () => {
  const s = await ackedSocket(srv);
  s.send({ id: 'v', type: 'subscribe', payload: { query: '{ nope }' } });
  assert.deepEqual(await s.next(), { id: 'v', type: 'error', payload: graphqlJsErrors('{ nope }') });
  s.send({ id: 's', type: 'subscribe', payload: { query: '{' } });
  assert.deepEqual(await s.next(), { id: 's', type: 'error', payload: graphqlJsErrors('{') });
  s.send({ id: 'o', type: 'subscribe', payload: { query: 'query A { __typename } query B { __typename }' } });
  const multi = await s.next();
  assert.equal(multi.type, 'error');
  assert.equal(multi.payload[0].message, 'Must provide operation name if query contains multiple operations.');
  s.send({ id: 'x', type: 'subscribe', payload: { query: 'query ($n: Int!) { operations(limit: $n) { id } }', variables: { n: 'ten' } } });
  const vars = await s.next();
  assert.equal(vars.type, 'error');
  assert.match(vars.payload[0].message, /^Variable "\$n" got invalid value "ten"; Int cannot represent non-integer value: "ten"$/);
  // no complete follows an error; the same ids are free again
  s.send({ id: 'v', type: 'subscribe', payload: { query: '{ __typename }' } });
  assert.deepEqual(await s.next(), { id: 'v', type: 'next', payload: { data: { __typename: 'Query' } } });
  assert.deepEqual(await s.next(), { id: 'v', type: 'complete' });
  s.close();
});

test('operations per connection are capped (--max-subs-per-conn)', async () => {
  const s = await ackedSocket(srv);
  for (const id of ['1', '2', '3'])
    s.send({ id, type: 'subscribe', payload: { query: 'subscription { operationsStream { id } }' } });
  s.send({ id: '4', type: 'subscribe', payload: { query: 'subscription { operationsStream { id } }' } });
  const over = await s.next();
  assert.equal(over.id, '4');
  assert.equal(over.type, 'error');
  assert.equal(over.payload[0].extensions.code, 'LIMIT_EXCEEDED');
  s.send({ id: '2', type: 'complete' });
  s.send({ id: '4', type: 'subscribe', payload: { query: '{ __typename }' } });
  assert.equal((await s.next()).type, 'next', 'room again once one completed');
  s.close();
});

test('a subscription streams next messages until the client completes it', async () => {
  const s = await ackedSocket(srv);
  const id = uid('rawsub');
  s.send({
    id: 'sub',
    type: 'subscribe',
    payload: { query: 'subscription ($id: ID!) { operationsStream(where: { id: { _eq: $id } }) { id name } }', variables: { id } },
  });
  s.send({ id: 'sync', type: 'subscribe', payload: { query: '{ __typename }' } });
  assert.equal((await s.next()).id, 'sync');
  assert.equal((await s.next()).id, 'sync');
  await deployProcess(srv, id, { name: 'first' });
  assert.deepEqual(await s.next(), { id: 'sub', type: 'next', payload: { data: { operationsStream: { id, name: 'first' } } } });
  s.send({ id: 'sub', type: 'complete' });
  s.send({ id: 'sync', type: 'subscribe', payload: { query: '{ __typename }' } });
  assert.equal((await s.next()).id, 'sync');
  assert.equal((await s.next()).id, 'sync');
  await deployProcess(srv, id, { name: 'second' });
  assert.deepEqual(await s.drain(300), [], 'nothing after complete');
  s.send({ id: 'unknown', type: 'complete' }); // an unknown id is ignored
  s.send({ id: 'sync', type: 'subscribe', payload: { query: '{ __typename }' } });
  assert.equal((await s.next()).id, 'sync');
  s.close();
});

async function openSubscriptions() {
  const text = await fetch(`${srv.url}/metrics`).then((r) => r.text());
  const m = /^mesd_transport_subscriptions\{transport="graphql-transport-ws"\} (\d+)$/m.exec(text);
  assert.ok(m, 'the metric is exported');
  return Number(m[1]);
}

test('closing the socket ends its subscriptions (metrics follow; the server keeps serving)', async () => {
  const base = await openSubscriptions();
  const sockets = [];
  for (let i = 0; i < 5; i++) {
    const s = await ackedSocket(srv);
    s.send({ id: 'a', type: 'subscribe', payload: { query: 'subscription { operationsStream { id } }' } });
    s.send({ id: 'b', type: 'subscribe', payload: { query: 'subscription { subOperationsStream { subId } }' } });
    s.send({ id: 'q', type: 'subscribe', payload: { query: '{ __typename }' } });
    assert.equal((await s.next()).id, 'q');
    sockets.push(s);
  }
  assert.equal(await openSubscriptions(), base + 10);
  sockets[0].send({ id: 'a', type: 'complete' });
  sockets[0].send({ id: 'q', type: 'subscribe', payload: { query: '{ __typename }' } });
  await sockets[0].next();
  await sockets[0].next();
  assert.equal(await openSubscriptions(), base + 9, 'complete ends one');
  for (const s of sockets) s.ws.terminate();
  await Promise.all(sockets.map((s) => s.closed));
  await deployProcess(srv, uid('afterclose'));
  let open;
  for (let i = 0; i < 50 && (open = await openSubscriptions()) !== base; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(open, base, 'every subscription of the closed sockets ended');
  await healthy();
});

async function metric(name, labels) {
  const text = await fetch(`${srv.url}/metrics`).then((r) => r.text());
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line ? Number(line.split(' ').pop()) : 0;
}

test('operations of both protocols are counted by transport and status class', async () => {
  const ok = 'transport="graphql-transport-ws",status="2xx"';
  const bad = 'transport="graphql-transport-ws",status="4xx"';
  const legacyOk = 'transport="graphql-ws",status="2xx"';
  const [ok0, bad0, legacy0] = [await metric('mesd_requests_total', ok), await metric('mesd_requests_total', bad),
    await metric('mesd_requests_total', legacyOk)];
  const s = await ackedSocket(srv);
  s.send({ id: '1', type: 'subscribe', payload: { query: '{ __typename }' } });
  s.send({ id: '2', type: 'subscribe', payload: { query: '{ nope }' } });
  s.send({ id: '3', type: 'subscribe', payload: { query: 'subscription { operationsStream { id } }' } });
  s.send({ id: '4', type: 'subscribe', payload: { query: '{ __typename }' } });
  while ((await s.next()).id !== '4');
  assert.equal(await metric('mesd_requests_total', ok), ok0 + 3, 'a query, a subscription started, another query');
  assert.equal(await metric('mesd_requests_total', bad), bad0 + 1, 'the validation error');
  s.close();
  const l = rawSocket(srv.wsUrl, ['graphql-ws']);
  await l.opened;
  l.send({ type: 'connection_init', payload: { token: srv.adminToken } });
  l.send({ id: 'a', type: 'start', payload: { query: '{ __typename }' } });
  while ((await l.next()).type !== 'complete');
  assert.equal(await metric('mesd_requests_total', legacyOk), legacy0 + 1);
  l.close();
});

test('a token revoked while its socket is open: the next subscribe closes 4403 (legacy: an error)', async () => {
  const token = await createToken(srv, 'erp');
  const s = await ackedSocket(srv, token);
  const l = rawSocket(srv.wsUrl, ['graphql-ws']);
  await l.opened;
  l.send({ type: 'connection_init', payload: { token } });
  assert.equal((await l.next()).type, 'connection_ack');
  s.send({ id: '1', type: 'subscribe', payload: { query: '{ __typename }' } });
  assert.equal((await s.next()).type, 'next');
  await revokeToken(srv, token);
  await delay(300); // the server trusts a verified token for --token-cache-ms (100)
  s.send({ id: '2', type: 'subscribe', payload: { query: '{ __typename }' } });
  assert.equal((await s.next()).type, 'complete', 'the answer to 1');
  await expectClose(s, 4403, 'Forbidden');
  l.send({ id: 'x', type: 'start', payload: { query: '{ __typename }' } });
  let m;
  while ((m = await l.next()).type === 'ka');
  assert.equal(m.type, 'error');
  assert.equal(m.id, 'x');
  assert.equal(m.payload.extensions.code, 'UNAUTHENTICATED');
  l.close();
});

test('a subscriber that does not read is ended with an error message, and its socket serves on', async () => {
  const feed = await bigFeed(srv);
  const s = await ackedSocket(srv);
  s.ws._socket.pause(); // stop reading: what the server sends piles up
  s.send({ id: 'big', type: 'subscribe', payload: feed });
  await delay(1000);
  s.ws._socket.resume();
  let nexts = 0;
  let m;
  while ((m = await s.next(10000)).type === 'next') nexts++;
  assert.deepEqual(m, { id: 'big', type: 'error', payload: [{ message: 'subscriber too slow; resume with afterSeq' }] });
  assert.ok(nexts < 20, `ended before the end of the replay (${nexts} events sent)`);
  s.send({ id: 'big', type: 'subscribe', payload: { query: '{ __typename }' } }); // the id is free again
  assert.equal((await s.next()).type, 'next');
  assert.equal((await s.next()).type, 'complete');
  s.close();
});

// A small deterministic generator of hostile messages: every protocol's
// types with members of every JSON kind, for both subprotocols.
function* hostileMessages(seed) {
  let x = seed;
  const rnd = (n) => ((x = (x * 1103515245 + 12345) & 0x7fffffff) % n);
  const values = [null, true, 0, -1, 1.5, '', 'x', '1', [], [1, 'a'], {}, { query: '{ __typename }' }, 'é\u0000'];
  const types = ['connection_init', 'ping', 'pong', 'subscribe', 'complete', 'start', 'stop', 'connection_terminate',
    'next', 'error', 'data', 'ka', 'connection_ack', '', 'nope'];
  const queries = ['{ __typename }', '{', 'subscription { operationsStream { id } }', 'mutation { nope }',
    'query ($a: Int!) { operations(limit: $a) { id } }', '{ operations { id } } query B { __typename }'];
  for (;;) {
    const m = {};
    if (rnd(8)) m.type = types[rnd(types.length)];
    else m.type = values[rnd(values.length)];
    if (rnd(3)) m.id = rnd(4) ? String(rnd(3)) : values[rnd(values.length)];
    const r = rnd(5);
    if (r === 0) m.payload = values[rnd(values.length)];
    else if (r < 4) {
      m.payload = { query: rnd(6) ? queries[rnd(queries.length)] : values[rnd(values.length)] };
      if (rnd(2)) m.payload.variables = rnd(2) ? { a: values[rnd(values.length)] } : values[rnd(values.length)];
      if (rnd(3) === 0) m.payload.operationName = values[rnd(values.length)];
      if (rnd(3) === 0) m.payload.token = srv.adminToken;
    }
    yield rnd(20) ? JSON.stringify(m) : JSON.stringify(m).slice(0, rnd(10) + 1);
  }
}

test('hostile message sequences on both subprotocols never hurt the server', async () => {
  const gen = hostileMessages(20261127);
  for (let round = 0; round < 30; round++) {
    const protocol = round % 2 ? 'graphql-ws' : 'graphql-transport-ws';
    const s = rawSocket(srv.wsUrl, [protocol]);
    await s.opened;
    if (round % 3) s.send({ type: 'connection_init', payload: { token: srv.adminToken } });
    for (let i = 0; i < 25; i++) s.send(gen.next().value);
    const end = await Promise.race([s.closed, delay(150).then(() => null)]);
    if (!end) {
      s.close();
      await s.closed;
    } else {
      assert.ok(end.code === 1000 || (end.code >= 4400 && end.code < 4500), `close ${end.code} ${end.reason}`);
    }
  }
  await healthy();
});

const MUTATION = 'mutation ($input: ProcessCreateInput!) { processCreate(input: $input) }';

test('a socket gone while its mutations wait for the commit: they commit, nothing breaks', async () => {
  const ids = [];
  for (let round = 0; round < 3; round++) {
    const s = await ackedSocket(srv);
    for (let i = 0; i < 3; i++) { // the cap of this server: 3 operations in flight
      const id = uid('gone');
      ids.push(id);
      s.send({ id: String(i), type: 'subscribe', payload: { query: MUTATION, variables: { input: { process: { id, name: 'gone' } } } } });
    }
    s.send({ id: '2', type: 'complete' }); // one of them completed by the client first
    s.close(); // the close handshake ends before the commit
    await s.closed;
  }
  await delay(200);
  const r = await srv.gql('query ($ids: [ID!]) { operations(where: { id: { _in: $ids } }) { id } }', { ids });
  assert.equal(r.data.operations.length, ids.length, 'every mutation was committed');
  await healthy();
});

test('SIGTERM with mutations in flight over a socket: mesd exits cleanly', async () => {
  const own = await startServer({ demo: true });
  const s = await ackedSocket(own);
  for (let i = 0; i < 20; i++)
    s.send({ id: String(i), type: 'subscribe', payload: { query: MUTATION, variables: { input: { process: { id: uid('term'), name: 'x' } } } } });
  assert.deepEqual(await own.stop(), { code: 0, signal: null });
});

test('on SIGTERM every socket, subscribed or not, of either protocol closes with 1001 and mesd exits cleanly', async () => {
  const own = await startServer({ demo: true });
  const a = await ackedSocket(own);
  a.send({ id: 'a', type: 'subscribe', payload: { query: 'subscription { operationsStream { id } }' } });
  a.send({ id: 'q', type: 'subscribe', payload: { query: '{ __typename }' } });
  await a.next();
  const idle = rawSocket(own.wsUrl);
  await idle.opened;
  const legacy = rawSocket(own.wsUrl, ['graphql-ws']);
  await legacy.opened;
  legacy.send({ type: 'connection_init', payload: { token: own.adminToken } });
  legacy.send({ id: '1', type: 'start', payload: { query: 'subscription { subOperationsStream { subId } }' } });
  assert.equal((await legacy.next()).type, 'connection_ack');
  const exit = own.stop();
  for (const s of [a, idle, legacy]) assert.equal((await within(s.closed, 5000, 'the 1001 close')).code, 1001);
  assert.deepEqual(await exit, { code: 0, signal: null });
});
