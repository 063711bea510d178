// graphql-sse against a real `mesd serve`: graphql-sse's own client in both
// modes receives operationsStream events when a product is deployed; raw
// requests check the protocol's answers (201 token, 202, 404, 409, DELETE),
// keep-alive comments, errors as `next` events, and the end of streams at
// shutdown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from 'graphql-sse';
import { startServer } from './lib/server.mjs';

let srv;
before(async () => { srv = await startServer({ args: ['--sse-keepalive-ms', '200'] }); });
after(async () => { await srv?.stop(); });

const auth = () => ({ 'x-pico-api-org': srv.adminToken });

// Subscribes with the client; returns { events, next(n), dispose }.
function subscribe(client, query, variables) {
  const events = [];
  let waiters = [];
  let done = false;
  let error = null;
  const wake = () => { waiters.forEach((w) => w()); waiters = []; };
  const dispose = client.subscribe({ query, variables }, {
    next: (v) => { events.push(v); wake(); },
    error: (e) => { error = e; done = true; wake(); },
    complete: () => { done = true; wake(); },
  });
  return {
    events,
    get done() { return done; },
    get error() { return error; },
    async waitFor(n, timeoutMs = 5000) {
      const t0 = Date.now();
      while (events.length < n) {
        if (error) throw error;
        if (done) throw new Error(`completed after ${events.length} events`);
        if (Date.now() - t0 > timeoutMs) throw new Error(`only ${events.length} events after ${timeoutMs} ms`);
        await new Promise((r) => { waiters.push(r); setTimeout(r, 100); });
      }
      return events;
    },
    async waitDone(timeoutMs = 5000) {
      const t0 = Date.now();
      while (!done) {
        if (Date.now() - t0 > timeoutMs) throw new Error('not completed');
        await new Promise((r) => { waiters.push(r); setTimeout(r, 100); });
      }
    },
    dispose,
  };
}

async function deployProduct(id) {
  const r = await srv.gql(`mutation {
    p: processCreate(input: { process: { id: "${id}_proc", name: "Proc ${id}" } })
    q: productCreate(input: { product: { id: "${id}", name: "Product ${id}", partNumber: "PN-${id}",
       components: [{ operationId: "${id}_proc" }] } })
  }`);
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
}

for (const singleConnection of [false, true]) {
  test(`graphql-sse client (singleConnection: ${singleConnection}): operationsStream gets deployed products`, async () => {
    const client = createClient({ url: `${srv.url}/graphql`, headers: auth(), singleConnection, retryAttempts: 0 });
    try {
      const id = singleConnection ? 'sse_single' : 'sse_distinct';
      const sub = subscribe(client, `subscription ($id: ID!) {
        operationsStream(where: { id: { _eq: $id } }) { id name kind externalId } }`, { id });
      // let the subscription start before the deploy
      await new Promise((r) => setTimeout(r, 300));
      await deployProduct(id);
      const [ev] = await sub.waitFor(1);
      assert.deepEqual(ev, { data: { operationsStream: { id, name: `Product ${id}`, kind: 'PRODUCT', externalId: `PN-${id}` } } });
      // a query on the same client: one result, then complete
      const q = subscribe(client, '{ operation(id: "' + id + '") { id } }');
      await q.waitDone();
      assert.deepEqual(q.events, [{ data: { operation: { id } } }]);
      sub.dispose();
    } finally {
      client.dispose();
    }
  });
}

test('afterSeq replays over SSE', async () => {
  await deployProduct('sse_replay');
  const client = createClient({ url: `${srv.url}/graphql`, headers: auth(), retryAttempts: 0 });
  try {
    const sub = subscribe(client, 'subscription { operationsStream(afterSeq: 0) { id seq } }');
    const evs = await sub.waitFor(2);
    assert.ok(evs.every((e) => typeof e.data.operationsStream.seq === 'number'));
    assert.ok(evs[0].data.operationsStream.seq < evs[1].data.operationsStream.seq);
    sub.dispose();
  } finally {
    client.dispose();
  }
});

// Reads an SSE response's text until pred(text) holds or timeoutMs.
async function readUntil(res, pred, timeoutMs = 3000) {
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let text = '';
  const deadline = Date.now() + timeoutMs;
  while (!pred(text) && Date.now() < deadline) {
    const r = await Promise.race([reader.read(), new Promise((res2) => setTimeout(() => res2({ timeout: true }), deadline - Date.now()))]);
    if (r.timeout || r.done) break;
    text += dec.decode(r.value, { stream: true });
  }
  return { text, reader };
}

test('distinct mode, raw: a query is next then complete; errors come as next', async () => {
  let res = await fetch(`${srv.url}/graphql`, {
    method: 'POST',
    headers: { ...auth(), 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/event-stream/);
  let { text } = await readUntil(res, (t) => t.includes('event: complete'));
  assert.equal(text, ':\n\nevent: next\ndata: {"data":{"__typename":"Query"}}\n\nevent: complete\ndata: \n\n');

  res = await fetch(`${srv.url}/graphql?query=${encodeURIComponent('{ nope }')}`, { headers: { ...auth(), accept: 'text/event-stream' } });
  assert.equal(res.status, 200);
  ({ text } = await readUntil(res, (t) => t.includes('event: complete')));
  assert.match(text, /^:\n\nevent: next\ndata: \{"errors":\[\{"message":"Cannot query field \\"nope\\" on type \\"Query\\"\.",/);
  assert.ok(text.endsWith('event: complete\ndata: \n\n'));
});

test('keep-alive comments on a quiet stream', async () => {
  const res = await fetch(`${srv.url}/graphql`, {
    method: 'POST',
    headers: { ...auth(), 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query: 'subscription { noteEventsStream { seq } }' }),
  });
  assert.equal(res.status, 200);
  const { text, reader } = await readUntil(res, (t) => (t.match(/^:/gm) ?? []).length >= 2, 3000);
  assert.ok((text.match(/^:/gm) ?? []).length >= 2, `keep-alives: ${JSON.stringify(text)}`);
  await reader.cancel();
});

test('single connection mode, raw: PUT 201, stream, 202, DELETE, 404 and 409', async () => {
  const url = `${srv.url}/graphql`;
  const put = await fetch(url, { method: 'PUT', headers: auth() });
  assert.equal(put.status, 201);
  const token = await put.text();
  assert.match(token, /^[0-9a-f]{32}$/);
  const tok = { 'x-graphql-event-stream-token': token };

  // an operation before the stream connects waits for it
  let r = await fetch(url, {
    method: 'POST', headers: { ...auth(), ...tok, 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }', extensions: { operationId: 'early' } }),
  });
  assert.equal(r.status, 202);

  const ctl = new AbortController();
  const stream = await fetch(`${url}?token=${token}`, { headers: { accept: 'text/event-stream' }, signal: ctl.signal });
  assert.equal(stream.status, 200);
  const again = await fetch(url, { headers: { ...tok, accept: 'text/event-stream' } });
  assert.equal(again.status, 409);
  await again.text();

  r = await fetch(url, {
    method: 'POST', headers: { ...auth(), ...tok, 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'subscription { operationsStream { id } }', extensions: { operationId: 'sub1' } }),
  });
  assert.equal(r.status, 202);
  r = await fetch(url, {
    method: 'POST', headers: { ...auth(), ...tok, 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'subscription { operationsStream { id } }', extensions: { operationId: 'sub1' } }),
  });
  assert.equal(r.status, 409, 'same operationId twice');
  r = await fetch(url, {
    method: 'POST', headers: { ...auth(), ...tok, 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  assert.equal(r.status, 400, 'no operationId');
  r = await fetch(url, {
    method: 'POST', headers: { ...auth(), ...tok, 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ nope }', extensions: { operationId: 'bad' } }),
  });
  assert.equal(r.status, 400, 'validation error');
  assert.match((await r.json()).errors[0].message, /Cannot query field "nope"/);

  await deployProduct('sse_raw');
  r = await fetch(`${url}?operationId=sub1`, { method: 'DELETE', headers: tok });
  assert.equal(r.status, 200);
  const { text, reader } = await readUntil(stream, (t) => t.includes('"complete"') && t.includes('{"id":"sub1"}\n'), 3000);
  assert.ok(text.includes('event: next\ndata: {"id":"early","payload":{"data":{"__typename":"Query"}}}\n\n'), text);
  assert.ok(text.includes('event: complete\ndata: {"id":"early"}\n\n'), text);
  assert.ok(text.includes('event: next\ndata: {"id":"sub1","payload":{"data":{"operationsStream":{"id":"sse_raw_proc"}}}}'), text);
  assert.ok(text.includes('event: complete\ndata: {"id":"sub1"}\n\n'), text);

  r = await fetch(`${url}?operationId=sub1`, { method: 'DELETE', headers: { 'x-graphql-event-stream-token': 'f'.repeat(32) } });
  assert.equal(r.status, 404, 'unknown reservation');
  r = await fetch(url, { method: 'DELETE', headers: tok });
  assert.equal(r.status, 400, 'DELETE without operationId');
  await reader.cancel();
  ctl.abort();
  // the reservation ends with its stream (the server notices the client
  // gone at the latest when a keep-alive cannot be written)
  const gone = Date.now();
  for (;;) {
    r = await fetch(url, { headers: { ...tok, accept: 'text/event-stream' } });
    if (r.status === 404) break;
    assert.equal(r.status, 409);
    assert.ok(Date.now() - gone < 3000, 'the reservation outlived its stream');
    await r.text();
    await new Promise((res) => setTimeout(res, 100));
  }
  await r.text();
});

test('SSE subscriptions count in /metrics and end cleanly at shutdown', async () => {
  const own = await startServer({ args: ['--sse-keepalive-ms', '200'] });
  try {
    const client = createClient({ url: `${own.url}/graphql`, headers: { 'x-pico-api-org': own.adminToken }, retryAttempts: 0 });
    const sub = subscribe(client, 'subscription { operationsStream { id } }');
    await new Promise((r) => setTimeout(r, 300));
    const m = await (await fetch(`${own.url}/metrics`)).text();
    assert.match(m, /^mesd_transport_subscriptions\{transport="sse"\} 1$/m);
    const stopped = own.stop();
    await sub.waitDone(5000);
    assert.equal(sub.error, null);
    assert.equal((await stopped).code, 0);
    client.dispose();
  } finally {
    await own.stop();
  }
});
