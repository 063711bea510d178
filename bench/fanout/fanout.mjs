// fanout.mjs: the fanout measurement against one server (mesd or the Node
// baseline), for bench/fanout/run.sh. Forks PROCS workers (clients.mjs) that
// open N graphql-transport-ws subscribers to operationsStream; once all are
// subscribed and the server's resident memory has settled, reads its VmRSS
// (before: with no subscriber) to get the memory per idle subscriber; then
// sends one processCreate over HTTP and measures, for every subscriber, the
// time from the mutation's send until its `next` arrived (one monotonic clock
// for all processes on this machine). Prints one line of JSON. With
// FANOUT_PERF=FILE, perf records the whole machine while the event goes out.
// Usage: node fanout.mjs '{"ws":…,"http":…,"token":…,"n":10000,"procs":4,"pid":PID,"label":"mesd"}'
import { fork, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { processInput, PROCESS_CREATE, gqlPost } from '../http/data.mjs';

const cfg = JSON.parse(process.argv[2]);
const { n, procs, pid } = cfg;
const query = 'subscription { operationsStream { id externalId name seq updatedAt } }';
const rssKiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error(`[fanout ${cfg.label}]`, ...a);
const now = () => Number(process.hrtime.bigint()) / 1e6;

// wait for a message of a type from every worker (or fail after ms)
function fromAll(workers, type, ms) {
  return Promise.all(workers.map((w) => new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timeout waiting for ${type}`)), ms);
    const on = (m) => { if (m.type === type) { clearTimeout(t); w.off('message', on); resolve(m); } };
    w.on('message', on);
  })));
}

// one mutation before anyone listens: both servers start the measurement warm
await gqlPost(cfg.http, cfg.token, PROCESS_CREATE, { input: { process: { ...processInput(901), id: 'fanout_warmup' } } });
await sleep(500);
const rssBefore = rssKiB();
const t0 = now();
const workers = [];
for (let k = 0; k < procs; k++) {
  const count = Math.floor(n / procs) + (k < n % procs ? 1 : 0);
  workers.push(fork(new URL('./clients.mjs', import.meta.url),
    [JSON.stringify({ url: cfg.ws, token: cfg.token, count, query })], { stdio: 'inherit' }));
}
const ready = await fromAll(workers, 'ready', 180000);
const subscribed = ready.reduce((s, m) => s + m.subscribed, 0);
log(`${subscribed}/${n} subscribed in ${((now() - t0) / 1000).toFixed(1)} s`);

// let the server take every subscribe, then wait for its memory to settle
let last = rssKiB(), stable = 0;
await sleep(2000);
for (let i = 0; i < 60 && stable < 4; i++) {
  await sleep(250);
  const r = rssKiB();
  stable = Math.abs(r - last) <= last / 500 ? stable + 1 : 0;
  last = r;
}
const rssAfter = rssKiB();
log(`server RSS ${rssBefore} KiB before, ${rssAfter} KiB with ${subscribed} idle subscribers`);

// one mutation; every subscriber's `next` is timed from its send
const all = fromAll(workers, 'all', 60000).catch((e) => log(e.message));
const input = { ...processInput(900), id: 'fanout_proc_900', name: 'Fanout probe' };
if (process.env.FANOUT_PERF) {
  // profile the whole machine over the event's delivery (perf cannot attach to a pid here)
  spawn('perf', ['record', '-e', 'cpu-clock', '-F', '1999', '-a', '-g', '-o', process.env.FANOUT_PERF, '--', 'sleep', '3'],
    { stdio: 'ignore' });
  await sleep(300);
}
const sent = now();
await gqlPost(cfg.http, cfg.token, PROCESS_CREATE, { input: { process: input } });
const answered = now();
await Promise.race([all, sleep(60000)]);
const reportsP = fromAll(workers, 'report', 60000);
for (const w of workers) w.send({ type: 'report' });
const reports = await reportsP;
for (const w of workers) w.send({ type: 'exit' });

const lat = [];
const errors = {};
let failed = 0, closedEarly = 0;
for (const r of reports) {
  for (const s of r.stamps) if (s >= 0) lat.push(s - sent);
  failed += r.failed;
  closedEarly += r.closedEarly;
  for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] || 0) + v;
}
lat.sort((a, b) => a - b);
const pct = (p) => (lat.length ? lat[Math.min(lat.length - 1, Math.ceil((p / 100) * lat.length) - 1)] : null);
const round = (x) => (x == null ? null : Math.round(x * 100) / 100);
const result = {
  label: cfg.label, n, subscribed, received: lat.length, failed, closedEarly, errors,
  rssBeforeKiB: rssBefore, rssAfterKiB: rssAfter,
  bytesPerSubscriber: subscribed ? Math.round(((rssAfter - rssBefore) * 1024) / subscribed) : null,
  mutationMs: round(answered - sent),
  p50Ms: round(pct(50)), p90Ms: round(pct(90)), p99Ms: round(pct(99)), maxMs: round(lat[lat.length - 1]),
  firstMs: round(lat[0]),
};
console.log(`FANOUT_RESULT ${JSON.stringify(result)}`);
