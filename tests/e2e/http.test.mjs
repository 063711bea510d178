// GraphQL over HTTP against a real `mesd serve`: the graphql-http audit
// (no MUST or SHOULD failure) and the spec's media types and status codes,
// case by case, on both paths.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverAudits } from 'graphql-http';
import { startServer } from './lib/server.mjs';

const GQLR = 'application/graphql-response+json';
let srv;

before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

function withToken(init = {}, token = srv.adminToken) {
  const h = new Headers(init.headers ?? {});
  h.set('x-pico-api-org', token);
  return { ...init, headers: h };
}

async function req(path, init = {}) {
  const res = await fetch(`${srv.url}${path}`, withToken(init));
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, ct: res.headers.get('content-type') ?? '', headers: res.headers, text, json };
}

const post = (body, accept, path = '/graphql') =>
  req(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

test('graphql-http audit: no MUST or SHOULD failure, on /graphql and /graph/v2', async () => {
  for (const path of ['/graphql', '/graph/v2']) {
    const audits = serverAudits({ url: `${srv.url}${path}`, fetchFn: (input, init) => fetch(input, withToken(init)) });
    assert.ok(audits.length > 40);
    const failures = [];
    for (const a of audits) {
      const r = await a.fn();
      if (r.status === 'error' || r.status === 'warn') failures.push(`${r.id} ${r.name}: ${r.reason}`);
    }
    assert.deepEqual(failures, [], `${path}:\n${failures.join('\n')}`);
  }
});

test('Accept negotiation', async () => {
  let r = await post({ query: '{ __typename }' }, GQLR);
  assert.equal(r.status, 200);
  assert.ok(r.ct.startsWith(GQLR), r.ct);
  assert.deepEqual(r.json, { data: { __typename: 'Query' } });
  // both offered: graphql-response+json preferred
  r = await post({ query: '{ __typename }' }, `application/json, ${GQLR}`);
  assert.ok(r.ct.startsWith(GQLR), r.ct);
  r = await post({ query: '{ __typename }' }, 'application/json');
  assert.ok(r.ct.startsWith('application/json'), r.ct);
  r = await post({ query: '{ __typename }' });
  assert.ok(r.ct.startsWith('application/json'), r.ct);
  r = await post({ query: '{ __typename }' }, '*/*');
  assert.ok(r.ct.startsWith('application/json'), r.ct);
  r = await post({ query: '{ __typename }' }, 'text/html');
  assert.equal(r.status, 406);
  r = await post({ query: '{ __typename }' }, `${GQLR};q=0, text/html`);
  assert.equal(r.status, 406);
});

test('status codes of request errors depend on the media type', async () => {
  const cases = [
    ['syntax', { query: '{' }, /^Syntax Error: Expected Name, found <EOF>\.$/],
    ['validation', { query: '{ nope }' }, /^Cannot query field "nope" on type "Query"\.$/],
    ['variables', { query: 'query ($n: Int) { operations(limit: $n) { id } }', variables: { n: 'x' } },
      /^Variable "\$n" got invalid value "x"; Int cannot represent non-integer value: "x"$/],
    ['operation name', { query: 'query a { __typename } query b { __typename }' },
      /^Must provide operation name if query contains multiple operations\.$/],
    ['unknown operation', { query: 'query a { __typename }', operationName: 'b' }, /^Unknown operation named "b"\.$/],
  ];
  for (const [what, body, msg] of cases) {
    const g = await post(body, GQLR);
    assert.equal(g.status, 400, `${what} with ${GQLR}: ${g.text}`);
    assert.ok(!('data' in g.json), `${what}: no data entry`);
    assert.match(g.json.errors[0].message, msg);
    const j = await post(body, 'application/json');
    assert.equal(j.status, 200, `${what} with application/json: ${j.text}`);
    assert.match(j.json.errors[0].message, msg);
  }
});

test('bad requests: 400 for unparsable JSON and wrong parameters, 415 for other content types', async () => {
  for (const accept of [GQLR, 'application/json']) {
    assert.equal((await post('{"query":', accept)).status, 400);
    assert.equal((await post('[1]', accept)).status, 400);
    assert.equal((await post({ variables: {} }, accept)).status, 400);
    assert.equal((await post({ query: 1 }, accept)).status, 400);
    assert.equal((await post({ query: '{ __typename }', variables: [] }, accept)).status, 400);
    assert.equal((await post({ query: '{ __typename }', operationName: 3 }, accept)).status, 400);
    assert.equal((await post({ query: '{ __typename }', extensions: 'x' }, accept)).status, 400);
  }
  const r = await post({ query: '{' }, GQLR);
  assert.ok(r.json.errors[0].locations, 'a syntax error has a location');
  const bad = await req('/graphql', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{ __typename }' });
  assert.equal(bad.status, 415);
  const none = await req('/graphql', { method: 'POST', body: JSON.stringify({ query: '{ __typename }' }) });
  assert.ok(none.status >= 400 && none.status < 500);
  const latin1 = await req('/graphql', {
    method: 'POST', headers: { 'content-type': 'application/json; charset=iso-8859-1' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  assert.equal(latin1.status, 415);
  const nullParams = await post({ query: '{ __typename }', variables: null, operationName: null, extensions: null });
  assert.equal(nullParams.status, 200);
});

test('GET: queries with variables; mutations refused with 405 and Allow: POST', async () => {
  const q = new URLSearchParams({ query: 'query ($l: Int) { operations(limit: $l) { id } }', variables: '{"l":1}' });
  let r = await req(`/graphql?${q}`, { headers: { accept: GQLR } });
  assert.equal(r.status, 200, r.text);
  assert.ok(Array.isArray(r.json.data.operations));
  r = await req(`/graph/v2?${new URLSearchParams({ query: '{ __typename }' })}`);
  assert.deepEqual(r.json, { data: { __typename: 'Query' } });
  const m = new URLSearchParams({ query: 'mutation { stationCreate(input: { station: { id: "get_st", name: "x" } }) }' });
  r = await req(`/graphql?${m}`, { headers: { accept: GQLR } });
  assert.equal(r.status, 405);
  assert.equal(r.headers.get('allow'), 'POST');
  // and nothing was written
  const st = await srv.gql('{ stations { id } }');
  assert.ok(!st.data.stations.some((s) => s.id === 'get_st'));
  r = await req('/graphql');
  assert.equal(r.status, 400, 'GET without query');
  r = await req(`/graphql?query=${encodeURIComponent('{ __typename }')}&variables=${encodeURIComponent('{bad')}`);
  assert.equal(r.status, 400);
});

test('other methods: 405 with Allow', async () => {
  const r = await req('/graphql', { method: 'PATCH', headers: { accept: 'application/json' } });
  assert.equal(r.status, 405);
  assert.match(r.headers.get('allow') ?? '', /GET/);
  assert.match(r.headers.get('allow') ?? '', /POST/);
});

test('a subscription over plain HTTP is a request error that points to SSE and WebSocket', async () => {
  const g = await post({ query: 'subscription { operationsStream { id } }' }, GQLR);
  assert.equal(g.status, 400);
  assert.match(g.json.errors[0].message, /event-stream|WebSocket/);
  const j = await post({ query: 'subscription { operationsStream { id } }' }, 'application/json');
  assert.equal(j.status, 200);
  assert.ok(j.json.errors.length === 1 && !('data' in j.json));
});

test('a mutation is answered after its commit, and the answer is durable', async () => {
  const r = await post({ query: 'mutation { processCreate(input: { process: { id: "http_p1", name: "Press" } }) }' }, GQLR);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { data: { processCreate: 'http_p1' } });
  const q = await srv.gql('{ operation(id: "http_p1") { id name kind } }');
  assert.deepEqual(q.data.operation, { id: 'http_p1', name: 'Press', kind: 'PROCESS' });
});

test('keep-alive: many requests on one connection, pipelined answers in order', async () => {
  const bodies = Array.from({ length: 20 }, (_, i) => post({ query: `{ a${i}: __typename }` }));
  const res = await Promise.all(bodies);
  res.forEach((r, i) => assert.deepEqual(r.json, { data: { [`a${i}`]: 'Query' } }));
});

test('unknown paths are 404; / answers the operator app', async () => {
  assert.equal((await req('/nope')).status, 404);
  // routing reads the percent-decoded path
  assert.equal((await req('/%67raphql?query=%7B__typename%7D')).status, 200);
  const root = await req('/');
  assert.equal(root.status, 200);
  assert.equal(root.ct, 'text/html; charset=utf-8');
});

test('/healthz, /readyz, and /metrics in Prometheus text format', async () => {
  let r = await req('/healthz');
  assert.equal(r.status, 200);
  assert.equal(r.text.trim(), 'ok');
  r = await req('/readyz');
  assert.equal(r.status, 200);
  assert.equal((await req('/healthz', { method: 'POST' })).status, 405);

  await post({ query: '{ __typename }' });
  await post({ query: '{ __typename }' });
  await post({ query: '{ nope }' }, GQLR);
  const deployed = await post({ query: 'mutation { processCreate(input: { process: { id: "metrics_p", name: "M" } }) }' });
  assert.deepEqual(deployed.json, { data: { processCreate: "metrics_p" } });
  await post({ query: '{ __typename }' });   // the first lookup after a commit empties the response cache
  r = await req('/metrics');
  assert.equal(r.status, 200);
  assert.match(r.ct, /^text\/plain; version=0\.0\.4/);
  const typed = new Set();
  const values = new Map();
  for (const line of r.text.trimEnd().split('\n')) {
    const t = /^# TYPE ([a-z_]+) (counter|gauge|histogram)$/.exec(line);
    if (t) { typed.add(t[1]); continue; }
    if (line.startsWith('# HELP ')) continue;
    const m = /^([a-z_]+)(\{[^}]*\})? (\d+(?:\.\d+)?)$/.exec(line);
    assert.ok(m, `not a sample line: ${line}`);
    const base = m[1].replace(/_(bucket|sum|count)$/, '');
    assert.ok(typed.has(m[1]) || typed.has(base), `no TYPE before ${m[1]}`);
    values.set(`${m[1]}${m[2] ?? ''}`, Number(m[3]));
  }
  const v = (k) => { assert.ok(values.has(k), `missing ${k}`); return values.get(k); };
  assert.ok(v('mesd_requests_total{transport="http",status="2xx"}') >= 3);
  assert.ok(v('mesd_requests_total{transport="http",status="4xx"}') >= 1);
  assert.ok(v('mesd_request_duration_seconds_count{transport="http"}') >= 4);
  assert.equal(v('mesd_request_duration_seconds_bucket{transport="http",le="+Inf"}'),
    v('mesd_request_duration_seconds_count{transport="http"}'));
  assert.ok(v('mesd_connections_open{kind="http"}') >= 1);
  assert.equal(v('mesd_transport_subscriptions{transport="sse"}'), 0);
  assert.ok(v('mesd_events_published_total{stream="operations"}') >= 1);
  assert.ok(v('mesd_doc_cache_hits_total') >= 1);
  assert.ok(v('mesd_doc_cache_misses_total') >= 1);
  assert.ok(v('mesd_mutations_total') >= 1);
  // the second identical query came from the response cache; the deploy emptied it
  assert.ok(v('mesd_query_cache_hits_total') >= 1);
  assert.ok(v('mesd_query_cache_misses_total') >= 1);
  assert.ok(v('mesd_query_cache_flushes_total') >= 1);
  assert.ok(v('mesd_query_cache_entries') >= 1);
  assert.ok(v('mesd_query_cache_bytes') > 0);
  assert.ok(v('mesd_event_executions_total') >= 0);
  assert.equal(v('mesd_store_queue_depth'), 0);
  assert.ok(v('mesd_store_commits_total') >= 1);
  assert.ok(v('mesd_store_commit_batch_size_count') >= 1);
  assert.equal(v('mesd_store_commit_batch_size_bucket{le="+Inf"}'), v('mesd_store_commit_batch_size_count'));
  for (const k of ['mesd_subscriptions_open', 'mesd_sse_streams_open', 'mesd_connections_accepted_total'])
    v(k);
});
