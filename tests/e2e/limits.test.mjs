// Limits: every abuse ends in a clear error and a server that still answers
// others: an oversized body (413), a header flood (431), deep nesting, 10,000
// aliases (LIMIT_EXCEEDED), invalid UTF-8 (400), and a client that never
// reads what it asked for.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { startServer, sanitized } from './lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

async function healthy() {
  const r = await srv.gql('{ __typename }');
  assert.deepEqual(r, { data: { __typename: 'Query' } });
}

// Sends raw bytes on a fresh connection; resolves with what came back
// before the server closed (or timeoutMs passed).
function raw(bytes, { timeoutMs = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const s = net.connect(srv.port, '127.0.0.1');
    const chunks = [];
    const t = setTimeout(() => { s.destroy(); resolve(Buffer.concat(chunks).toString('latin1')); }, timeoutMs);
    s.on('data', (c) => chunks.push(c));
    s.on('error', () => {});
    s.on('close', () => { clearTimeout(t); resolve(Buffer.concat(chunks).toString('latin1')); });
    s.write(bytes, (err) => { if (err) reject(err); });
  });
}

function postRaw(body, headers = '') {
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return Buffer.concat([
    Buffer.from(`POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nx-pico-api-org: ${srv.adminToken}\r\n` +
      `Content-Length: ${b.length}\r\nConnection: close\r\n${headers}\r\n`),
    b,
  ]);
}

test('a body over 1 MiB is 413, and the server still answers', async () => {
  const big = JSON.stringify({ query: `{ __typename }${' '.repeat(1024 * 1024 + 10)}` });
  const res = await fetch(`${srv.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-pico-api-org': srv.adminToken },
    body: big,
  }).catch((e) => e);
  if (res instanceof Error) {
    // the server may close before the whole body is sent: read its answer raw
    const out = await raw(postRaw(big));
    assert.match(out, /^HTTP\/1\.1 413 /);
  } else {
    assert.equal(res.status, 413);
    await res.arrayBuffer();
  }
  await healthy();
});

test('a header flood is 431, and the server still answers', async () => {
  const flood = Array.from({ length: 400 }, (_, i) => `X-Flood-${i}: ${'y'.repeat(60)}\r\n`).join('');
  const out = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\n${flood}\r\n`);
  assert.match(out, /^HTTP\/1\.1 431 /);
  await healthy();
});

test('a query nested 1,000 deep gets a clear error', async () => {
  let q = 'id';
  for (let i = 0; i < 1000; i++) q = `subOperations { sub { ${q} } }`;
  const r = await srv.post({ query: `{ operations { ${q} } }` }, { headers: { accept: 'application/graphql-response+json' } });
  assert.equal(r.status, 400, r.text.slice(0, 300));
  assert.equal(r.json.errors.length >= 1, true);
  const e = r.json.errors[0];
  assert.ok(e.extensions?.code === 'LIMIT_EXCEEDED' || /^Syntax Error/.test(e.message), e.message);
  assert.ok(e.message.length > 10);
  await healthy();
});

test('depth over the limit (20) is LIMIT_EXCEEDED', async () => {
  let q = 'id';
  for (let i = 0; i < 15; i++) q = `subOperations { sub { ${q} } }`;
  const r = await srv.post({ query: `{ operations { ${q} } }` });
  assert.equal(r.json.errors[0].extensions.code, 'LIMIT_EXCEEDED', r.text.slice(0, 300));
  assert.ok(!('data' in r.json));
});

test('10,000 aliases are LIMIT_EXCEEDED', async () => {
  const fields = Array.from({ length: 10000 }, (_, i) => `a${i}: __typename`).join(' ');
  const r = await srv.post({ query: `{ ${fields} }` }, { headers: { accept: 'application/graphql-response+json' } });
  assert.equal(r.status, 400);
  assert.equal(r.json.errors[0].extensions.code, 'LIMIT_EXCEEDED', r.text.slice(0, 300));
  await healthy();
});

test('invalid UTF-8 in the body is 400', async () => {
  const body = Buffer.concat([Buffer.from('{"query":"{ __typename }","x":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
  const out = await raw(postRaw(body));
  assert.match(out, /^HTTP\/1\.1 400 /);
  const json = JSON.parse(out.slice(out.indexOf('\r\n\r\n') + 4));
  assert.ok(json.errors[0].message.length > 0);
  // in the query string of a GET too
  const get = await raw(`GET /graphql?query=%7B%20__typename%20%7D%FF HTTP/1.1\r\nHost: x\r\nx-pico-api-org: ${srv.adminToken}\r\nConnection: close\r\n\r\n`);
  assert.match(get, /^HTTP\/1\.1 400 /);
  await healthy();
});

function rssKiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m[1]);
}

test('a client that never reads a big answer: the server stays small and answers others', async () => {
  // Many pipelined requests for a sizeable answer (the introspection of the
  // whole schema), on one connection that never reads.
  const q = JSON.stringify({ query: '{ __schema { types { name fields { name args { name } type { name } } } } }' });
  const one = `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nx-pico-api-org: ${srv.adminToken}\r\n` +
    `Content-Length: ${Buffer.byteLength(q)}\r\n\r\n${q}`;
  const before = rssKiB(srv.proc.pid);
  const s = net.connect(srv.port, '127.0.0.1');
  s.on('error', () => {});
  s.pause(); // never read
  await new Promise((r) => s.on('connect', r));
  const burst = one.repeat(200);
  for (let i = 0; i < 10; i++) s.write(burst);
  await new Promise((r) => setTimeout(r, 1500));
  const t0 = Date.now();
  await healthy();
  assert.ok(Date.now() - t0 < (sanitized ? 3000 : 1000), 'others are answered promptly');
  const grown = rssKiB(srv.proc.pid) - before;
  if (!sanitized) assert.ok(grown < 32 * 1024, `resident memory grew by ${grown} KiB`);
  // the server gave up on that reader rather than buffer its answers
  const m = await (await fetch(`${srv.url}/metrics`)).text();
  assert.match(m, /^mesd_connections_closed_slow_reader_total [1-9]/m);
  assert.ok(srv.stderrLines().some((l) => JSON.parse(l).event === 'output_cap'), 'the close is logged');
  s.destroy();
  await healthy();
});
