// drive.mjs: bench/orders' driver against one configuration (one or more
// mesd servers on one database). Deploys a process and a station and saves
// `orders` + `subOrders` process orders under one externalOrderId (aliased,
// `batch` a request). Then two phases, each with `clients` concurrent HTTP
// clients POSTing workOrderComplete one at a time (client k to server
// k % servers) until their orders run out or their time is up:
//   1. throughput: no subscriber, `orders` orders, `seconds` seconds;
//   2. latency: `procs` workers (subscribers.mjs) hold `subs`
//      graphql-transport-ws subscribers to operationOrderCompletesStream
//      filtered by the externalOrderId (subscribed after phase 1, so they
//      get phase 2's completions only); `subOrders` orders, `subSeconds`,
//      as fast as the clients go or paced at `subRate` completions/s.
// The phases are apart because fanning every completion out to 1,000
// sockets costs the server far more than the completion itself: one phase
// would measure the fanout twice and the completions never. A completion is
// answered only once it is durable (the server's contract), so the rate of
// answers is the rate of durable completions.
//
// Latency: for each completion and each subscriber, the time from the
// answer's arrival at its HTTP client to the event's arrival at the
// subscriber (one monotonic clock for all processes on this machine); the
// answer times stream to the workers every 20 ms and each worker fills a
// histogram. Correctness: every subscriber must get every acknowledged
// completion once, in seq order.
// Prints one line "ORDERS_RESULT {json}".
// Usage: node drive.mjs '{"label":…,"servers":[{"http":…,"ws":…}],"token":…,
//   "orders":N,"subOrders":M,"clients":32,"subs":1000,"procs":2,"seconds":D,"subSeconds":E,"batch":50}'
import { fork } from 'node:child_process';
import { cpus } from 'node:os';
import { readFileSync, readdirSync } from 'node:fs';
import { Hist } from './hist.mjs';
import { RawConn } from './rawhttp.mjs';

const cfg = JSON.parse(process.argv[2]);
const { servers, token, orders, subOrders, clients = 32, subs = 1000, procs = 2, seconds = 10, subSeconds = 15,
        subRate = 0, batch = 50, drainS = 60 } = cfg;
const total = orders + subOrders;
const now = () => Number(process.hrtime.bigint()) / 1e6;
const round = (x) => (x == null || !Number.isFinite(x) ? null : Math.round(x * 100) / 100);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error(`[orders ${cfg.label}]`, ...a);
const EXTERNAL = 'bench-orders';

// CPU seconds used so far by the mesd servers (cfg.mesdPids), by the
// PostgreSQL cluster (cfg.postmasterPid and its children: the backends live
// as long as mesd's connections) and by this process: a phase's difference
// says which process ate the two cores.
const TICK = 100; // USER_HZ on Linux
function cpuOf(pid) { // [user + system, system] seconds
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return [(Number(f[11]) + Number(f[12])) / TICK, Number(f[12]) / TICK]; // utime, stime
  } catch { return [0, 0]; } // gone: counted up to its last snapshot
}
function childrenOf(ppid) {
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try { if (readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ')[1] === String(ppid)) out.push(Number(d)); } catch {}
  }
  return out;
}
function machineBusy() { // seconds of CPU time all processes have used
  const t = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  return (t.reduce((a, x) => a + x, 0) - t[3] - t[4]) / TICK; // less idle and iowait
}
function cpuNow() {
  const own = process.cpuUsage();
  const pg = cfg.postmasterPid ? [cfg.postmasterPid, ...childrenOf(cfg.postmasterPid)] : [];
  const mesd = (cfg.mesdPids || []).map(cpuOf);
  return { at: now(), busy: machineBusy(), mesd: mesd.reduce((a, c) => a + c[0], 0), mesdKernel: mesd.reduce((a, c) => a + c[1], 0),
           postgres: pg.reduce((a, p) => a + cpuOf(p)[0], 0), driver: (own.user + own.system) / 1e6 };
}
// CPU seconds per process kind between two snapshots, the machine's
// capacity, and what every other process used (the machine is shared)
function cpuSince(a, b, extra = {}) {
  const c = { mesd: b.mesd - a.mesd, postgres: b.postgres - a.postgres, driver: b.driver - a.driver, ...extra };
  const others = b.busy - a.busy - Object.values(c).reduce((x, y) => x + y, 0);
  for (const k of Object.keys(c)) c[k] = round(c[k]);
  return { wallS: round((b.at - a.at) / 1000), machineS: round(((b.at - a.at) / 1000) * cpus().length),
           mesdKernel: round(b.mesdKernel - a.mesdKernel), others: round(Math.max(0, others)), ...c };
}
const PROCESS = 'bench_orders_proc';
const STATION = 'bench_orders_st';

// one connection per server for the setup; each HTTP client has its own
const headers = { 'Content-Type': 'application/json', 'x-pico-api-org': token };
const connect = (s) => new RawConn(servers[s].http, headers);
const setup = servers.map((_, s) => connect(s));
// POST a GraphQL request on conn; resolves to the parsed body
async function post(conn, query, variables) {
  const r = await conn.post(JSON.stringify({ query, variables }));
  try { return JSON.parse(r.body); } catch { throw new Error(`HTTP ${r.status}: ${r.body.slice(0, 200)}`); }
}
async function gql(s, query, variables) {
  const r = await post(setup[s], query, variables);
  if (r.errors) throw new Error(JSON.stringify(r.errors).slice(0, 500));
  return r.data;
}

// wait for a message of a type from every worker (or fail after ms)
function fromAll(workers, type, ms) {
  return Promise.all(workers.map((w) => new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timeout waiting for ${type}`)), ms);
    const on = (m) => { if (m.type === type) { clearTimeout(t); w.off('message', on); resolve(m); } };
    w.on('message', on);
  })));
}

// 1. deploy and order
await gql(0, 'mutation ($input: ProcessCreateInput!) { processCreate(input: $input) }',
  { input: { process: { id: PROCESS, name: 'Bench orders', partNumber: 'BO-1', revision: 'A' } } });
await gql(0, 'mutation ($input: StationCreateInput!) { stationCreate(input: $input) }',
  { input: { station: { id: STATION, name: 'Bench station', processIds: [PROCESS] } } });
const ids = new Array(total);
let t = now();
// SAVERS requests at a time (own connections): one at a time, saving took
// longer than the measurement on PostgreSQL
const SAVERS = 4;
let nextBatch = 0;
async function saver() {
  const conn = connect(0);
  for (let from; (from = nextBatch * batch) < total;) {
    nextBatch++;
    const fields = [];
    for (let i = from; i < Math.min(total, from + batch); i++) {
      fields.push(`o${i}: operationOrderSave(input: { externalOrderId: "${EXTERNAL}", operationId: "${PROCESS}", orderIndex: ${i} }) { message operationOrder { id } }`);
    }
    const r = await post(conn, `mutation { ${fields.join(' ')} }`);
    if (r.errors) throw new Error(JSON.stringify(r.errors).slice(0, 500));
    for (const [k, v] of Object.entries(r.data)) {
      if (v.message !== 'created') throw new Error(`order ${k}: ${v.message}`);
      ids[Number(k.slice(1))] = v.operationOrder.id;
    }
  }
  conn.close();
}
await Promise.all(Array.from({ length: SAVERS }, saver));
log(`${total} orders saved in ${((now() - t) / 1000).toFixed(1)} s`);

// Runs the clients over orders [from, to) for at most `secs` seconds, at
// most `rate` requests a second when rate > 0; each answer goes to
// onAnswer(orderIndex, answered, sent).
const completeQuery = `mutation C($id: ID!) { workOrderComplete(input: { operationOrderId: $id, stationId: "${STATION}", operatorName: "bench" }) { id status } }`;
async function phase(from, to, secs, onAnswer, rate = 0) {
  const response = new Hist();
  const errors = {};
  let next = from, acked = 0, last = 0;
  const start = now();
  const end = start + secs * 1000;
  async function client(k) {
    const conn = connect(k % servers.length);
    while (next < to && now() < end) {
      const i = next++;
      // paced (rate > 0): the n-th request of the phase waits for its turn
      const due = rate ? start + ((i - from) * 1000) / rate : 0;
      if (due >= end) break;
      if (due > now()) await sleep(due - now());
      const sent = now();
      let r;
      try { r = await post(conn, completeQuery, { id: ids[i] }); } catch (e) { r = { errors: [{ message: e.message }] }; }
      const at = now();
      if (r.errors || r.data?.workOrderComplete?.status !== 'COMPLETED') {
        const why = r.errors?.[0]?.extensions?.code || r.errors?.[0]?.message || `status ${r.data?.workOrderComplete?.status}`;
        errors[why] = (errors[why] || 0) + 1;
        continue;
      }
      acked++;
      last = at;
      response.add(at - sent);
      onAnswer(i, at, sent);
    }
    conn.close();
  }
  await Promise.all(Array.from({ length: clients }, (_, k) => client(k)));
  const elapsed = (last || now()) - start;
  return { acked, errors, elapsedS: round(elapsed / 1000), perSecond: Math.round(acked / (elapsed / 1000)),
           responseP50Ms: round(response.percentile(50)), responseP99Ms: round(response.percentile(99)) };
}

// 2. phase 1: throughput
let cpu0 = cpuNow();
const load = await phase(0, orders, seconds, () => {});
load.cpu = cpuSince(cpu0, cpuNow());
log(`phase 1: ${load.acked} completions in ${load.elapsedS} s (${load.perSecond}/s)`);

// 3. subscribers
const query = `subscription ($e: String!) { operationOrderCompletesStream(where: { externalOrderId: { _eq: $e } }) {
  seq externalOrderId orderIndex at operation { id name } } }`;
const urls = servers.map((s) => s.ws);
const workers = [];
t = now();
const nprocs = Math.min(procs, subs); // no subscriber: no worker
for (let k = 0, first = 0; k < nprocs; k++) {
  const count = Math.floor(subs / nprocs) + (k < subs % nprocs ? 1 : 0);
  workers.push(fork(new URL('./subscribers.mjs', import.meta.url),
    [JSON.stringify({ urls, token, first, count, query, variables: { e: EXTERNAL }, orders: total })], { stdio: 'inherit' }));
  first += count;
}
const readies = workers.length ? await fromAll(workers, 'ready', 180000) : [];
const subscribed = readies.reduce((a, m) => a + m.ready, 0);
log(`${subscribed}/${subs} subscribed in ${((now() - t) / 1000).toFixed(1)} s`);
await sleep(500); // let the connections' setup garbage settle before the clock starts

// 4. phase 2: latency; the answer times go to the workers in batches
let outIdx = [], outAt = [], outSent = [];
const flush = () => {
  if (!outIdx.length) return;
  for (const w of workers) w.send({ type: 'answered', idx: outIdx, at: outAt, sent: outSent });
  outIdx = []; outAt = []; outSent = [];
};
const flusher = setInterval(flush, 20);
cpu0 = cpuNow();
const tSubs = now();
const fan = await phase(orders, total, subSeconds, (i, at, sent) => { outIdx.push(i); outAt.push(at); outSent.push(sent); },
  subRate);
clearInterval(flusher);
flush();
log(`phase 2: ${fan.acked} completions in ${fan.elapsedS} s (${fan.perSecond}/s)`);

// 5. drain: until every subscriber has every acknowledged completion, or no
// progress for 10 s, or drainS
const want = fan.acked * subscribed;
let have = 0, lastHave = -1, stuckSince = now();
const drainEnd = now() + drainS * 1000;
while (workers.length && now() < drainEnd && now() - stuckSince < 10000) {
  const p = fromAll(workers, 'progress', 30000);
  for (const w of workers) w.send({ type: 'progress' });
  have = (await p).reduce((a, m) => a + m.events, 0);
  if (have >= want) break;
  if (have !== lastHave) { lastHave = have; stuckSince = now(); }
  await sleep(200);
}
const drainedMs = now() - tSubs;
const cpu1 = cpuNow();
// the log itself (each server's query): phase 2's completions it holds, and
// holes in their seqs; tells "not committed" from "committed, not delivered"
async function logged(s) {
  const rows = [];
  for (let after = 0; ;) {
    const page = (await gql(s, `query ($e: String!, $from: Int!, $after: Int!) { operationOrderCompletes(
      where: { externalOrderId: { _eq: $e }, orderIndex: { _gte: $from } }, afterSeq: $after, limit: 10000) { seq } }`,
    { e: EXTERNAL, from: orders, after })).operationOrderCompletes;
    rows.push(...page.map((r) => r.seq));
    if (page.length < 10000) break;
    after = page[page.length - 1];
  }
  let holes = 0;
  for (let k = 1; k < rows.length; k++) if (rows[k] !== rows[k - 1] + 1) holes++;
  return { count: rows.length, holes };
}
const log2 = await Promise.all(servers.map((_, s) => logged(s)));
const reportsP = fromAll(workers, 'report', 60000);
for (const w of workers) w.send({ type: 'report', acked: fan.acked });
const reports = workers.length ? await reportsP : [];
const cpuOfWorkers = (ms) => ms.reduce((a, m) => a + m.cpuS, 0);
fan.cpu = cpuSince(cpu0, cpu1, { subscribers: round(cpuOfWorkers(reports) - cpuOfWorkers(readies)) });
for (const w of workers) w.send({ type: 'exit' });

const lat = new Hist(), fromSend = new Hist();
const sum = (k) => reports.reduce((a, r) => a + r[k], 0);
const subErrors = {};
for (const r of reports) {
  lat.merge(r.hist);
  fromSend.merge(r.fromSend);
  for (const [k, v] of Object.entries(r.errors)) subErrors[k] = (subErrors[k] || 0) + v;
}
const result = {
  label: cfg.label, servers: servers.length, clients, load, fan, subs, subscribed,
  delivered: lat.count, want, drainedS: round(drainedMs / 1000),
  p50Ms: round(lat.percentile(50)), p99Ms: round(lat.percentile(99)), maxMs: round(lat.max),
  beforeAnswer: lat.negatives(),
  sendP50Ms: round(fromSend.percentile(50)), sendP99Ms: round(fromSend.percentile(99)),
  logged: log2.map((l) => l.count), logHoles: log2.map((l) => l.holes),
  outOfOrder: sum('outOfOrder'), gaps: sum('gaps'), missing: sum('missing'), unanswered: sum('unanswered'),
  failed: sum('failed'), closedEarly: sum('closedEarly'), subErrors,
};
console.log(`ORDERS_RESULT ${JSON.stringify(result)}`);
process.exit(0);
