// e2e: webhooks (issue 5) against a real `mesd serve` and a real local
// receiver (lib/receiver.mjs). What api.md "Webhooks" promises: each event
// of the fragment's stream POSTed as {"subscriptionID","seq","data"} with
// exactly the fragment's fields, signed (X-Mesd-Signature over
// "<timestamp>.<body>"), at least once, in seq order per subscription, kept
// until a 2xx and retried across restarts (SIGKILL included); fragments
// validated at subscribe time with the engine's messages.
//
// The events come from processCreate: on a fresh database without --demo
// every create or rename of a process appends exactly one Operation event,
// so the n-th event we cause is the n-th one delivered.
//
// Timing: if `mesd serve --help` lists --webhook-timeout-ms and
// --webhook-backoff-ms the tests shorten the 10 s timeout and the 1 s first
// backoff; otherwise they run with the defaults (the hang test then takes
// ~12 s and the file stays under ~60 s).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { startServer, mesdBin } from './lib/server.mjs';
import { startReceiver, freePort, sign } from './lib/receiver.mjs';

const help = (() => { try { return execFileSync(mesdBin, ['serve', '--help'], { encoding: 'utf8' }); } catch (e) { return `${e.stdout ?? ''}`; } })();
const HAS_TIMEOUT_FLAG = help.includes('--webhook-timeout-ms');
const HAS_BACKOFF_FLAG = help.includes('--webhook-backoff-ms');
const TIMEOUT_MS = HAS_TIMEOUT_FLAG ? 1500 : 10000;
const BACKOFF_MS = HAS_BACKOFF_FLAG ? 200 : 1000;
const ARGS = [
  ...(HAS_TIMEOUT_FLAG ? ['--webhook-timeout-ms', String(TIMEOUT_MS)] : []),
  ...(HAS_BACKOFF_FLAG ? ['--webhook-backoff-ms', String(BACKOFF_MS)] : []),
];

const SUBSCRIBE = `mutation ($input: SubscribeRequestInput!) {
  webhookSubscribe(input: $input) { subscriptionID message secret } }`;
const UNSUBSCRIBE = `mutation ($id: String!) { webhookUnsubscribe(subscriptionID: $id) { subscriptionID message secret } }`;
const LIST = `{ webhookSubscriptions { subscriptionID streamField webhookUrl createdAt
  lastDeliveredSeq pendingDeliveries failing } }`;
const FRAGMENT = 'fragment Hook on Operation { id name externalId kind }';

// The README's verification snippets (docs/webhook-signature.md), run as
// printed against real deliveries: verifyWithDocs(secret, headers, raw) →
// { node, python } booleans.
const docText = readFileSync(new URL('../../docs/webhook-signature.md', import.meta.url), 'utf8');
const block = (lang) => {
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(docText);
  assert.ok(m, `docs/webhook-signature.md has a ${lang} block`);
  return m[1];
};
const nodeVerify = (await import(`data:text/javascript,${encodeURIComponent(block('js'))}`)).verify;
function verifyWithDocs(secret, headers, raw) {
  const py = `${block('python')}
import sys, json
h = json.loads(sys.argv[2])
print(json.dumps(verify(sys.argv[1], {"X-Mesd-Timestamp": h["x-mesd-timestamp"], "X-Mesd-Signature": h["x-mesd-signature"]}, bytes.fromhex(sys.argv[3]))))`;
  const python = JSON.parse(execFileSync('python3', ['-c', py, secret, JSON.stringify(headers), raw.toString('hex')], { encoding: 'utf8' }));
  return { node: nodeVerify(secret, headers, raw), python };
}

// graphql-js's own first message for a fragment used as the selection of a
// stream's subscription field: the oracle for "the engine's message".
const sdl = buildSchema(readFileSync(new URL('../../src/mes/schema.graphql', import.meta.url), 'utf8'));
function graphqlJsMessage(fragment, field = 'operationsStream') {
  let doc;
  try { doc = parse(fragment); } catch (e) { return e.message; }
  const name = doc.definitions[0].name.value;
  const errs = validate(sdl, parse(`${fragment}\nsubscription { ${field} { ...${name} } }`));
  return errs[0]?.message ?? null;
}

const servers = [];
async function server(opts = {}) {
  const srv = await startServer({ args: ARGS, ...opts });
  servers.push(srv);
  return srv;
}
after(async () => { for (const s of servers) if (!s.exitInfo()) await s.stop().catch(() => {}); });

async function ok(srv, query, variables, token) {
  const body = await srv.gql(query, variables, token ?? srv.adminToken);
  if (body.errors) throw new Error(`unexpected errors: ${JSON.stringify(body.errors)}\nfor ${query}`);
  return body.data;
}

async function subscribe(srv, input, token) {
  const r = (await ok(srv, SUBSCRIBE, { input: { responseFragment: FRAGMENT, ...input } }, token)).webhookSubscribe;
  assert.equal(r.subscriptionID, input.subscriptionID);
  assert.equal(typeof r.message, 'string');
  assert.match(r.secret, /^\S{16,}$/, 'the signing secret is shown at subscribe');
  return r;
}

let counter = 0;
// One Operation event per call: a new process (or a rename of `id`).
async function emit(srv, { id, name, token } = {}) {
  counter += 1;
  id = id ?? `hook_p${process.pid}_${counter}`;
  name = name ?? `event ${counter}`;
  await ok(srv, 'mutation ($input: ProcessCreateInput!) { processCreate(input: $input) }',
    { input: { process: { id, name, partNumber: `PN-${counter}`, revision: 'A' } } }, token);
  return { id, name, externalId: `PN-${counter}` };
}

// The webhook series of /metrics (no token needed), by name.
async function metrics(srv) {
  const text = await (await fetch(`${srv.url}/metrics`)).text();
  const m = {};
  for (const line of text.split('\n')) {
    const r = /^(mesd_webhook_\w+) (\d+(?:\.\d+)?)$/.exec(line);
    if (r) m[r[1]] = Number(r[2]);
  }
  return m;
}

// Every acknowledgement recorded: a 2xx is committed by a write job after the
// receiver answered, so progress read right after the receiver saw the request
// may lag by one commit.
async function drained(srv) {
  const t0 = Date.now();
  while ((await metrics(srv)).mesd_webhook_pending !== 0) {
    if (Date.now() - t0 > 10000) throw new Error('deliveries still pending after 10 s');
    await sleep(20);
  }
}

async function subscriptions(srv, token) {
  return (await ok(srv, LIST, undefined, token)).webhookSubscriptions;
}

// The requests of one subscription, in arrival order.
const of = (rx, sid) => rx.requests.filter((r) => r.json?.subscriptionID === sid);
const acked = (reqs) => reqs.filter((r) => typeof r.answered === 'number' && r.answered < 300);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Every seq delivered in order: the seqs of all attempts never go down, each
// seq is acknowledged by a 2xx exactly once (`dupOk`: seqs that may be acked
// twice, the attempt in flight at a kill), and the acked seqs are `expected`.
function assertInOrder(reqs, expected, { dupOk = [] } = {}) {
  const seqs = reqs.map((r) => r.json.seq);
  for (let i = 1; i < seqs.length; i++) {
    if (seqs[i] < seqs[i - 1] && !dupOk.includes(seqs[i])) {
      assert.fail(`seq ${seqs[i]} sent after seq ${seqs[i - 1]}: ${JSON.stringify(seqs)}`);
    }
  }
  const ackedSeqs = acked(reqs).map((r) => r.json.seq);
  const uniq = ackedSeqs.filter((s, i) => i === 0 || s !== ackedSeqs[i - 1] || !dupOk.includes(s));
  assert.deepEqual(uniq, expected, `acknowledged seqs ${JSON.stringify(ackedSeqs)}`);
}

test('the README\'s snippets verify a signature made as api.md says, and refuse a forgery or a stale one', () => {
  const raw = Buffer.from(JSON.stringify({ subscriptionID: 'x', seq: 7, data: { name: 'Prüfstand' } }));
  const ts = String(Math.floor(Date.now() / 1000));
  const headers = { 'x-mesd-timestamp': ts, 'x-mesd-signature': sign('k3y', ts, raw) };
  assert.deepEqual(verifyWithDocs('k3y', headers, raw), { node: true, python: true });
  assert.deepEqual(verifyWithDocs('k3z', headers, raw), { node: false, python: false });
  const old = String(Number(ts) - 3600);
  assert.deepEqual(verifyWithDocs('k3y', { 'x-mesd-timestamp': old, 'x-mesd-signature': sign('k3y', old, raw) }, raw),
    { node: false, python: false });
});

test('signature, headers and body: exactly the fragment, signed under the secret', async () => {
  const srv = await server();
  const rx = await startReceiver();
  const sub = await subscribe(srv, {
    subscriptionID: 'sig-1', webhookUrl: rx.url,
    webhookHeaders: { Authorization: 'Bearer erp-secret', 'X-Erp-Tenant': 'plant-7' },
  });
  const events = [await emit(srv), await emit(srv), await emit(srv)];
  await rx.waitFor((r) => acked(of(rx, 'sig-1')).length >= 3, { what: 'three deliveries' });
  await sleep(300);
  const reqs = of(rx, 'sig-1');
  assert.equal(reqs.length, 3, 'one attempt per event when the receiver answers at once');
  const deliveryIds = new Set();
  reqs.forEach((r, i) => {
    assert.equal(r.method, 'POST');
    assert.equal(r.url, '/hook');
    const h = r.headers;
    assert.match(h['content-type'], /^application\/json\b/);
    assert.equal(h.authorization, 'Bearer erp-secret');
    assert.equal(h['x-erp-tenant'], 'plant-7');
    assert.ok(h['x-mesd-delivery'], 'X-Mesd-Delivery present');
    deliveryIds.add(h['x-mesd-delivery']);
    const ts = h['x-mesd-timestamp'];
    // Unix time in seconds (as docs/webhook-signature.md says): now
    assert.match(ts, /^\d{10}$/);
    assert.ok(Math.abs(Number(ts) - Date.now() / 1000) < 60, `timestamp ${ts} is now`);
    assert.equal(h['x-mesd-signature'], sign(sub.secret, ts, r.raw), 'HMAC-SHA256 of "<timestamp>.<body>"');
    assert.notEqual(h['x-mesd-signature'], sign('not the secret', ts, r.raw));
    // the README's snippets accept it, and refuse another secret or a changed body
    assert.deepEqual(verifyWithDocs(sub.secret, h, r.raw), { node: true, python: true });
    assert.deepEqual(verifyWithDocs(`${sub.secret}x`, h, r.raw), { node: false, python: false });
    assert.deepEqual(verifyWithDocs(sub.secret, h, Buffer.concat([r.raw, Buffer.from(' ')])), { node: false, python: false });
    // the body: exactly these three keys; data exactly the fragment's fields
    assert.deepEqual(Object.keys(r.json).sort(), ['data', 'seq', 'subscriptionID']);
    assert.equal(r.json.subscriptionID, 'sig-1');
    assert.equal(typeof r.json.seq, 'number');
    assert.deepEqual(r.json.data, { ...events[i], kind: 'PROCESS' });
    assert.deepEqual(Object.keys(r.json.data), ['id', 'name', 'externalId', 'kind'], 'in the fragment\'s order');
  });
  assert.equal(deliveryIds.size, 3, 'X-Mesd-Delivery differs per delivery');
  assert.deepEqual(reqs.map((r) => r.json.seq), [reqs[0].json.seq, reqs[0].json.seq + 1, reqs[0].json.seq + 2]);
  // progress, and the secret is never shown again
  await drained(srv);
  const [s] = (await subscriptions(srv)).filter((x) => x.subscriptionID === 'sig-1');
  assert.equal(s.streamField, 'operationsStream');
  assert.equal(s.webhookUrl, rx.url);
  assert.match(s.createdAt, /^\d{4}-\d\d-\d\dT/);
  assert.equal(s.lastDeliveredSeq, reqs[2].json.seq);
  assert.equal(s.pendingDeliveries, 0);
  assert.equal(s.failing, false);
  await rx.close();
  assert.deepEqual(await srv.stop(), { code: 0, signal: null });
});

test('fragments on the other streams pick them; nested fields come as selected', async () => {
  const srv = await server();
  const rx = await startReceiver();
  await subscribe(srv, { subscriptionID: 'sub-ops', webhookUrl: rx.url,
    responseFragment: 'fragment S on SubOperation { parentId subId position sub { id } parent { id } }' });
  await subscribe(srv, { subscriptionID: 'done', webhookUrl: rx.url,
    responseFragment: 'fragment C on OperationOrderComplete { seq externalOrderId }' });
  await subscribe(srv, { subscriptionID: 'notes', webhookUrl: rx.url,
    responseFragment: 'fragment N on NoteEvent { text }' });
  const list = await subscriptions(srv);
  const field = Object.fromEntries(list.map((s) => [s.subscriptionID, s.streamField]));
  assert.deepEqual(field, { 'sub-ops': 'subOperationsStream', done: 'operationOrderCompletesStream', notes: 'noteEventsStream' });
  // a product with one component: one SubOperation event, no completion
  const p = await emit(srv);
  await ok(srv, 'mutation ($input: ProductCreateInput!) { productCreate(input: $input) }',
    { input: { product: { id: `hook_prod_${process.pid}`, name: 'P', components: [{ operationId: p.id }] } } });
  await rx.waitFor((r) => of(rx, 'sub-ops').length >= 1, { what: 'the SubOperation delivery' });
  await sleep(300);
  const [d] = of(rx, 'sub-ops');
  assert.deepEqual(Object.keys(d.json.data), ['parentId', 'subId', 'position', 'sub', 'parent']);
  assert.equal(d.json.data.subId, p.id);
  assert.equal(d.json.data.parentId, `hook_prod_${process.pid}`);
  assert.deepEqual(d.json.data.sub, { id: p.id });
  assert.deepEqual(d.json.data.parent, { id: `hook_prod_${process.pid}` });
  assert.equal(d.json.data.position, 0);
  assert.equal(of(rx, 'done').length, 0, 'nothing completed, nothing sent');
  assert.equal(of(rx, 'notes').length, 0);
  await rx.close();
  assert.deepEqual(await srv.stop(), { code: 0, signal: null });
});

test('invalid subscriptions are refused with the engine\'s messages and nothing is registered', async () => {
  const srv = await server();
  const url = 'http://127.0.0.1:9/hook';
  const refused = async (input, message) => {
    const body = await srv.gql(SUBSCRIBE, { input: { subscriptionID: 'bad', webhookUrl: url, ...input } });
    assert.ok(body.errors?.length, `refused: ${JSON.stringify(input)} → ${JSON.stringify(body)}`);
    if (message instanceof RegExp) assert.match(body.errors[0].message, message);
    else if (message) assert.equal(body.errors[0].message, message);
    return body;
  };
  const engine = async (responseFragment, expected) => {
    assert.equal(graphqlJsMessage(responseFragment), expected, 'the oracle agrees with the expectation');
    await refused({ responseFragment }, expected);
  };
  await engine('fragment F on Operation { id ', 'Syntax Error: Expected Name, found <EOF>.');
  await engine('fragment F on Operation { nope }', 'Cannot query field "nope" on type "Operation". Did you mean "name"?');
  await engine('fragment F on Operation { id subOperations }',
    'Field "subOperations" of type "[SubOperation!]!" must have a selection of subfields. Did you mean "subOperations { ... }"?');
  await engine('fragment F on Operation { id(x: 1) }', 'Unknown argument "x" on field "Operation.id".');
  await refused({ responseFragment: 'fragment F on Nope { id }' }, /Nope/);
  await refused({ responseFragment: 'fragment A on Operation { id } fragment B on Operation { name }' }, /fragment/i);
  await refused({ responseFragment: 'fragment F on Station { id }' }, /Station/);
  await refused({ responseFragment: '{ operations { id } }' }, /fragment/i);
  await refused({ responseFragment: FRAGMENT, subscriptionID: 'not url-safe!' });
  await refused({ responseFragment: FRAGMENT, subscriptionID: 'x'.repeat(65) });
  assert.deepEqual(await subscriptions(srv), []);
  assert.deepEqual(await srv.stop(), { code: 0, signal: null });
});

test('order kept while the receiver answers 500 for a while; progress shows it', async () => {
  const srv = await server();
  const rx = await startReceiver({ mode: { status: 500 } });
  await subscribe(srv, { subscriptionID: 'ord', webhookUrl: rx.url });
  const events = [];
  for (let i = 0; i < 5; i++) events.push(await emit(srv));
  // the first event fails at least twice: nothing after it may be sent
  await rx.waitFor((r) => of(rx, 'ord').length >= 2, { what: 'two failed attempts', timeoutMs: 15000 + 4 * BACKOFF_MS });
  const failing = of(rx, 'ord');
  const first = failing[0].json.seq;
  assert.ok(failing.every((r) => r.json.seq === first), `only the first seq is retried: ${failing.map((r) => r.json.seq)}`);
  const [s] = await subscriptions(srv);
  assert.equal(s.lastDeliveredSeq, null);
  assert.equal(s.pendingDeliveries, 5);
  assert.equal(s.failing, false, 'failing only after an hour');
  const m1 = await metrics(srv);
  assert.equal(m1.mesd_webhook_pending, 5);
  assert.ok(m1.mesd_webhook_deliveries_failed_total >= 2, JSON.stringify(m1));
  assert.equal(m1.mesd_webhook_deliveries_ok_total, 0);
  assert.equal(m1.mesd_webhook_subscriptions_failing, 0);
  rx.mode = { status: 200 };
  const expected = [0, 1, 2, 3, 4].map((i) => first + i);
  await rx.waitFor((r) => acked(of(rx, 'ord')).length >= 5, { what: 'all five delivered', timeoutMs: 15000 + 8 * BACKOFF_MS });
  await sleep(300);
  const reqs = of(rx, 'ord');
  assertInOrder(reqs, expected);
  assert.deepEqual(acked(reqs).map((r) => r.json.data.name), events.map((e) => e.name));
  // the retries of one event keep its delivery id; the next event has another
  assert.equal(new Set(reqs.filter((r) => r.json.seq === first).map((r) => r.headers['x-mesd-delivery'])).size, 1);
  assert.equal(new Set(reqs.map((r) => r.headers['x-mesd-delivery'])).size, 5);
  await drained(srv);
  const [t] = await subscriptions(srv);
  assert.equal(t.lastDeliveredSeq, first + 4);
  assert.equal(t.pendingDeliveries, 0);
  const m2 = await metrics(srv);
  assert.equal(m2.mesd_webhook_pending, 0);
  assert.equal(m2.mesd_webhook_deliveries_ok_total, 5);
  assert.equal(m2.mesd_webhook_deliveries_failed_total, reqs.length - 5);
  await rx.close();
  assert.deepEqual(await srv.stop(), { code: 0, signal: null });
});

// Two deliveries acknowledged, then the third fails in `failure`'s way
// (answered 500 twice: mesd is between retries; or hung: the attempt is in
// flight); mesd is killed with SIGKILL, restarted on the same database, two
// more events follow, and the receiver now answers at once. Every event
// arrives, in order, none skipped; only the second (whose ack may not have
// been recorded) and the third (the attempt in flight or failed) may repeat.
async function killAndRestart(failure) {
  const dir = mkdtempSync(join(tmpdir(), 'mesd-hook-'));
  try {
    const srv1 = await startServer({ dir, args: ARGS });
    servers.push(srv1);
    const token = srv1.adminToken;
    const rx = await startReceiver({ mode: (body, record) => (acked(record).length >= 2 ? failure : { status: 200 }) });
    await subscribe(srv1, { subscriptionID: 'crash', webhookUrl: rx.url }, token);
    const events = [];
    for (let i = 0; i < 6; i++) events.push(await emit(srv1, { token }));
    const failed = failure.hang ? 1 : 2;
    await rx.waitFor((r) => of(rx, 'crash').filter((x) => typeof x.answered !== 'number' || x.answered >= 300).length >= failed,
      { what: `${failed} failed attempts of the third event`, timeoutMs: 15000 + 4 * BACKOFF_MS });
    assert.deepEqual(await srv1.kill('SIGKILL'), { code: null, signal: 'SIGKILL' });
    rx.mode = { status: 200 };
    const srv2 = await startServer({ dir, args: ARGS });
    servers.push(srv2);
    for (let i = 0; i < 2; i++) events.push(await emit(srv2, { token }));
    await rx.waitFor((r) => new Set(acked(of(rx, 'crash')).map((x) => x.json.seq)).size >= 8,
      { what: 'all eight delivered after the restart', timeoutMs: 20000 + 8 * BACKOFF_MS });
    await sleep(300);
    const reqs = of(rx, 'crash');
    const first = reqs[0].json.seq;
    assert.equal(reqs.filter((r) => r.json.seq === first + 2).at(-1).answered, 200, 'the failed event is delivered after the restart');
    assertInOrder(reqs, events.map((_, i) => first + i), { dupOk: [first + 1] });
    const names = [];
    for (const r of acked(reqs)) if (names.at(-1) !== r.json.data.name) names.push(r.json.data.name);
    assert.deepEqual(names, events.map((e) => e.name));
    await drained(srv2);
    const [s] = await subscriptions(srv2, token);
    assert.equal(s.lastDeliveredSeq, first + 7);
    assert.equal(s.pendingDeliveries, 0);
    await rx.close();
    assert.deepEqual(await srv2.stop(), { code: 0, signal: null });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('mesd killed with SIGKILL mid-retry and restarted: every event, in order, none skipped',
  () => killAndRestart({ status: 500 }));

test('mesd killed with SIGKILL with an attempt in flight and restarted: that one is sent again, nothing skipped',
  () => killAndRestart({ hang: true }));

test('a receiver that hangs: the attempt times out and is retried, the order holds', { timeout: 60000 }, async () => {
  const srv = await server();
  // the first request hangs; every later one is answered at once
  const rx = await startReceiver({ mode: (body, record) => (record.length === 0 ? { hang: true } : { status: 200 }) });
  await subscribe(srv, { subscriptionID: 'hang', webhookUrl: rx.url });
  const events = [await emit(srv), await emit(srv)];
  await rx.waitFor((r) => acked(of(rx, 'hang')).length >= 2,
    { what: 'delivery after the timeout', timeoutMs: TIMEOUT_MS + 10000 + 4 * BACKOFF_MS });
  await sleep(300);
  const reqs = of(rx, 'hang');
  assert.equal(reqs[0].answered, 'hang');
  assert.equal(reqs[1].json.seq, reqs[0].json.seq, 'the hung event is retried before the next');
  const gap = reqs[1].at - reqs[0].at;
  assert.ok(gap >= TIMEOUT_MS - 200, `retried after the ${TIMEOUT_MS} ms timeout, not before (${gap} ms)`);
  assert.ok(gap <= TIMEOUT_MS + 4 * BACKOFF_MS + 3000, `retried soon after the timeout (${gap} ms)`);
  assertInOrder(reqs, [reqs[0].json.seq, reqs[0].json.seq + 1]);
  assert.deepEqual(acked(reqs).map((r) => r.json.data.name), events.map((e) => e.name));
  await rx.close();
  assert.deepEqual(await srv.stop(), { code: 0, signal: null });
});

test('a receiver that is down at first gets everything once it is up', async () => {
  const srv = await server();
  const port = await freePort();
  await subscribe(srv, { subscriptionID: 'late', webhookUrl: `http://127.0.0.1:${port}/hook` });
  const events = [await emit(srv), await emit(srv), await emit(srv)];
  await sleep(Math.max(1200, 2 * BACKOFF_MS));
  const [s] = await subscriptions(srv);
  assert.equal(s.pendingDeliveries, 3);
  assert.equal(s.lastDeliveredSeq, null);
  const rx = await startReceiver({ port });
  await rx.waitFor((r) => acked(of(rx, 'late')).length >= 3, { what: 'three deliveries', timeoutMs: 15000 + 16 * BACKOFF_MS });
  await sleep(300);
  const reqs = of(rx, 'late');
  assertInOrder(reqs, [0, 1, 2].map((i) => reqs[0].json.seq + i));
  assert.deepEqual(reqs.map((r) => r.json.data.name), events.map((e) => e.name));
  await rx.close();
  assert.deepEqual(await srv.stop(), { code: 0, signal: null });
});

test('subscribing again replaces; unsubscribing stops deliveries', async () => {
  const srv = await server();
  const a = await startReceiver();
  const b = await startReceiver();
  const s1 = await subscribe(srv, { subscriptionID: 'swap', webhookUrl: a.url });
  await emit(srv);
  await a.waitFor((r) => acked(of(a, 'swap')).length >= 1, { what: 'the first delivery' });
  const s2 = await subscribe(srv, { subscriptionID: 'swap', webhookUrl: b.url,
    responseFragment: 'fragment Other on Operation { name }' });
  assert.notEqual(s2.secret, s1.secret, 'a new secret');
  const e2 = await emit(srv);
  await b.waitFor((r) => acked(of(b, 'swap')).length >= 1, { what: 'the delivery to the new url' });
  await sleep(300);
  assert.equal(of(a, 'swap').length, 1, 'the old url gets nothing more');
  const [r] = of(b, 'swap');
  assert.deepEqual(r.json.data, { name: e2.name }, 'the new fragment');
  assert.equal(r.headers['x-mesd-signature'], sign(s2.secret, r.headers['x-mesd-timestamp'], r.raw));
  const list = await subscriptions(srv);
  assert.equal(list.length, 1);
  assert.equal(list[0].webhookUrl, b.url);

  const u = (await ok(srv, UNSUBSCRIBE, { id: 'swap' })).webhookUnsubscribe;
  assert.equal(u.subscriptionID, 'swap');
  assert.equal(u.secret, null, 'no secret when unsubscribing');
  assert.deepEqual(await subscriptions(srv), []);
  await emit(srv);
  await sleep(Math.max(1000, 3 * BACKOFF_MS));
  assert.equal(of(b, 'swap').length, 1, 'nothing after unsubscribe');
  await a.close();
  await b.close();
  assert.deepEqual(await srv.stop(), { code: 0, signal: null });
});

test('roles: erp and admin manage webhooks, an operator may not; mesd\'s own headers cannot be overridden', async () => {
  const srv = await server();
  const rx = await startReceiver();
  const tokenOf = (role) => execFileSync(mesdBin, ['token', 'create', '--role', role, '--name', `hook ${role}`,
    '--db', srv.dbUrl], { encoding: 'utf8' }).trim().split('\n').at(-1);
  const erp = tokenOf('erp');
  const operator = tokenOf('operator');
  await srv.tokenKnown(erp);
  await srv.tokenKnown(operator);
  await subscribe(srv, { subscriptionID: 'by-erp', webhookUrl: rx.url }, erp);
  const body = await srv.gql(SUBSCRIBE, { input: { subscriptionID: 'by-op', webhookUrl: rx.url, responseFragment: FRAGMENT } }, operator);
  assert.equal(body.errors?.[0]?.extensions?.code, 'FORBIDDEN', JSON.stringify(body));
  const un = await srv.gql(UNSUBSCRIBE, { id: 'by-erp' }, operator);
  assert.equal(un.errors?.[0]?.extensions?.code, 'FORBIDDEN', JSON.stringify(un));
  // a header that would forge mesd's signature is refused, and nothing registered
  const forged = await srv.gql(SUBSCRIBE, { input: { subscriptionID: 'forge', webhookUrl: rx.url, responseFragment: FRAGMENT,
    webhookHeaders: { 'X-Mesd-Signature': 'sha256=00' } } });
  assert.ok(forged.errors?.length, JSON.stringify(forged));
  const split = await srv.gql(SUBSCRIBE, { input: { subscriptionID: 'split', webhookUrl: rx.url, responseFragment: FRAGMENT,
    webhookHeaders: { 'X-Ok': 'a\r\nX-Injected: b' } } });
  assert.ok(split.errors?.length, JSON.stringify(split));
  assert.deepEqual((await subscriptions(srv)).map((s) => s.subscriptionID), ['by-erp']);
  // the erp's subscription delivers
  await emit(srv);
  await rx.waitFor((r) => acked(of(rx, 'by-erp')).length >= 1, { what: 'a delivery to the erp subscription' });
  assert.equal(rx.requests.filter((r) => r.headers['x-injected']).length, 0);
  await rx.close();
  assert.deepEqual(await srv.stop(), { code: 0, signal: null });
});
