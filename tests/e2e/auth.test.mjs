// Authentication and roles over HTTP and SSE, every answer api.md gives:
// no token and unknown tokens are 401 UNAUTHENTICATED, a revoked token is
// refused within a second, a role using a field it may not gets a FORBIDDEN
// field error with the rest served, health endpoints need no token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, runMesd } from './lib/server.mjs';

let srv;
const tokens = {};

async function createToken(role, extra = []) {
  const r = await runMesd(['token', 'create', '--role', role, '--db', srv.dbUrl, ...extra]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  await srv.tokenKnown(lines[lines.length - 1]);
  return lines[lines.length - 1];
}

before(async () => {
  srv = await startServer();
  tokens.erp = await createToken('erp', ['--name', 'erp']);
  tokens.operator = await createToken('operator', ['--name', 'op']);
});
after(async () => { await srv?.stop(); });

async function call(query, headers = {}, path = '/graphql') {
  const res = await fetch(`${srv.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, headers: res.headers, json: await res.json().catch(() => null) };
}

function assertUnauthenticated(r, what) {
  assert.equal(r.status, 401, what);
  assert.equal(r.json.errors.length, 1, what);
  assert.equal(r.json.errors[0].extensions.code, 'UNAUTHENTICATED', what);
  assert.equal(typeof r.json.errors[0].message, 'string');
  assert.ok(!('data' in r.json), what);
}

test('no token, unknown tokens, malformed headers: 401 UNAUTHENTICATED', async () => {
  assertUnauthenticated(await call('{ __typename }'), 'no token');
  assertUnauthenticated(await call('{ __typename }', { 'x-pico-api-org': 'mesd_nope_nope' }), 'unknown token');
  assertUnauthenticated(await call('{ __typename }', { 'x-pico-api-org': srv.adminToken + 'x' }), 'altered secret');
  assertUnauthenticated(await call('{ __typename }', { authorization: `Basic ${srv.adminToken}` }), 'Basic scheme');
  assertUnauthenticated(await call('{ __typename }', { authorization: 'Bearer ' }), 'empty Bearer');
  assertUnauthenticated(await call('{ __typename }', {}, '/graph/v2'), '/graph/v2 without token');
  const get = await fetch(`${srv.url}/graphql?query=${encodeURIComponent('{ __typename }')}`);
  assert.equal(get.status, 401);
  assert.equal((await get.json()).errors[0].extensions.code, 'UNAUTHENTICATED');
});

test('x-pico-api-org and Authorization: Bearer both work', async () => {
  let r = await call('{ __typename }', { 'x-pico-api-org': srv.adminToken });
  assert.deepEqual(r.json, { data: { __typename: 'Query' } });
  r = await call('{ __typename }', { authorization: `Bearer ${srv.adminToken}` });
  assert.deepEqual(r.json, { data: { __typename: 'Query' } });
  r = await call('{ __typename }', { authorization: `bearer ${tokens.erp}` });
  assert.deepEqual(r.json, { data: { __typename: 'Query' } });
});

test('SSE without a token is 401 too', async () => {
  const res = await fetch(`${srv.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  assert.equal(res.status, 401);
  assert.equal((await res.json()).errors[0].extensions.code, 'UNAUTHENTICATED');
  const put = await fetch(`${srv.url}/graphql`, { method: 'PUT' });
  assert.equal(put.status, 401);
});

const deploy = (id) => `mutation { processCreate(input: { process: { id: "${id}", name: "P" } }) }`;

test('erp may read but not deploy: FORBIDDEN field error, the rest served', async () => {
  const r = await call(`mutation { processCreate(input: { process: { id: "erp_p", name: "P" } }) }`,
    { 'x-pico-api-org': tokens.erp });
  assert.equal(r.status, 200);
  assert.equal(r.json.data.processCreate, null);
  assert.equal(r.json.errors.length, 1);
  assert.equal(r.json.errors[0].extensions.code, 'FORBIDDEN');
  assert.deepEqual(r.json.errors[0].path, ['processCreate']);
  const q = await call('{ operation(id: "erp_p") { id } stations { id } }', { 'x-pico-api-org': tokens.erp });
  assert.equal(q.status, 200);
  assert.deepEqual(q.json, { data: { operation: null, stations: [] } });
});

test('operator may read, may not deploy; admin deploys', async () => {
  const r = await call(deploy('op_p'), { 'x-pico-api-org': tokens.operator });
  assert.equal(r.json.errors[0].extensions.code, 'FORBIDDEN');
  const q = await call('{ __typename operations { id } }', { 'x-pico-api-org': tokens.operator });
  assert.equal(q.status, 200);
  assert.equal(q.json.data.__typename, 'Query');
  const a = await call(deploy('admin_p'), { 'x-pico-api-org': srv.adminToken });
  assert.deepEqual(a.json, { data: { processCreate: 'admin_p' } });
});

test('a revoked token is refused within one second', async () => {
  const t = await createToken('erp', ['--name', 'to-revoke']);
  assert.equal((await call('{ __typename }', { 'x-pico-api-org': t })).status, 200);
  const id = /^mesd_([A-Za-z0-9]+)_/.exec(t)[1];
  const rv = await runMesd(['token', 'revoke', id, '--db', srv.dbUrl]);
  assert.equal(rv.code, 0, rv.stderr);
  const revokedAt = Date.now();
  for (;;) {
    const r = await call('{ __typename }', { 'x-pico-api-org': t });
    if (r.status === 401) {
      assertUnauthenticated(r, 'revoked');
      break;
    }
    assert.ok(Date.now() - revokedAt < 1000, 'still accepted a second after revocation');
    await new Promise((res) => setTimeout(res, 25));
  }
  assert.ok(Date.now() - revokedAt <= 1100);
});

test('/healthz, /readyz and /metrics need no token', async () => {
  for (const p of ['/healthz', '/readyz', '/metrics']) {
    const r = await fetch(`${srv.url}${p}`);
    assert.equal(r.status, 200, p);
    await r.text();
  }
});

test('viewer: the role of the token, and the station an operator token is bound to', async () => {
  const deployed = await srv.gql('mutation { stationCreate(input: { station: { id: "viewer_st", name: "Viewer station" } }) }');
  assert.equal(deployed.data.stationCreate, 'viewer_st');
  const bound = await createToken('operator', ['--station', 'VIEWER_ST']);
  const elsewhere = await createToken('operator', ['--station', 'not_deployed']);
  const q = '{ viewer { role station { id name } } }';
  const as = async (token) => (await call(q, { authorization: `Bearer ${token}` })).json;
  assert.deepEqual(await as(srv.adminToken), { data: { viewer: { role: 'admin', station: null } } });
  assert.deepEqual(await as(tokens.erp), { data: { viewer: { role: 'erp', station: null } } });
  assert.deepEqual(await as(tokens.operator), { data: { viewer: { role: 'operator', station: null } } });
  // the same document twice in a row: the response cache must not mix tokens up
  assert.deepEqual(await as(bound), { data: { viewer: { role: 'operator', station: { id: 'viewer_st', name: 'Viewer station' } } } });
  assert.deepEqual(await as(elsewhere), { data: { viewer: { role: 'operator', station: null } } });
  assert.deepEqual(await as(bound), { data: { viewer: { role: 'operator', station: { id: 'viewer_st', name: 'Viewer station' } } } });
});
