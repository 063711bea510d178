// table.mjs: bench/orders' two tables (phase 1: throughput; phase 2:
// latency at the subscribers) and whether each configuration met the
// targets, from the drive.mjs results given as arguments (one JSON each; a
// configuration that did not run has `didNotRun`, its reason).
// Usage: node table.mjs SUBS RESULT_JSON...
const [subs, ...rows] = process.argv.slice(2);
const results = rows.map((r) => JSON.parse(r));
const f = (n) => n.toLocaleString('en-US');
const cell = (s) => String(s).replace(/\|/g, '\\|');
const errorsOf = (e) => Object.entries(e).map(([k, v]) => `${v}× ${cell(k)}`).join('; ');
const RATE = 3000, P99 = 20;
const out = [];

out.push('Phase 1: completions per second (no subscriber)', '',
  '| configuration | completions | seconds | completions/s | answer p50 ms | answer p99 ms | errors | CPU s: mesd (in the kernel) / postgres / driver / others, of machine |',
  '|---|---:|---:|---:|---:|---:|---|---|');
for (const r of results) {
  if (r.didNotRun !== undefined) { out.push(`| ${r.label} | did not run: ${cell(r.didNotRun)} |||||||`); continue; }
  const l = r.load, c = l.cpu;
  out.push(`| ${r.label} | ${f(l.acked)} | ${l.elapsedS} | **${f(l.perSecond)}** | ${l.responseP50Ms} | ${l.responseP99Ms} | ${errorsOf(l.errors) || 'none'} | ${c.mesd} (${c.mesdKernel}) / ${c.postgres} / ${c.driver} / ${c.others}, of ${c.machineS} |`);
}

out.push('', `Phase 2: ${subs} subscribers`, '',
  '| configuration | subscribed | completions/s | answer p50 ms | answer→event p50 ms | p99 ms | max ms | events before their answer | send→event p50 ms | p99 ms | delivered | out of order | missing | CPU s: mesd (in the kernel) / postgres / driver / subscribers / others, of machine |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|');
for (const r of results) {
  if (r.didNotRun !== undefined) { out.push(`| ${r.label} | did not run |||||||||||||`); continue; }
  const l = r.fan, c = l.cpu;
  const pct = r.delivered ? Math.round((100 * r.beforeAnswer) / r.delivered) : 0;
  const errs = errorsOf({ ...l.errors, ...r.subErrors });
  const inLog = r.logged.every((n) => n === l.acked) && r.logHoles.every((h) => h === 0) ? ''
    : ` (the log${r.logged.length > 1 ? 's' : ''} hold${r.logged.length > 1 ? '' : 's'} ${r.logged.join(' and ')} of ${l.acked}, seq holes ${r.logHoles.join(' and ')})`;
  const missing = f(r.missing) + inLog + (r.gaps ? ` (${f(r.gaps)} seq gaps)` : '') + (r.closedEarly ? ` (${r.closedEarly} closed early)` : '')
    + (r.unanswered ? ` (${r.unanswered} events of unanswered completions)` : '') + (errs ? ` (${errs})` : '');
  out.push(`| ${r.label} | ${f(r.subscribed)}/${f(r.subs)} | ${f(l.perSecond)} | ${l.responseP50Ms} | **${r.p50Ms}** | **${r.p99Ms}** | ${r.maxMs} | ${pct}% | ${r.sendP50Ms} | ${r.sendP99Ms} | ${f(r.delivered)}/${f(r.want)} | ${r.outOfOrder} | ${missing} | ${c.mesd} (${c.mesdKernel}) / ${c.postgres} / ${c.driver} / ${c.subscribers} / ${c.others}, of ${c.machineS} |`);
}

out.push('', `Targets: ${f(RATE)} completions/s; p99 under ${P99} ms from a completion's answer to its arrival at 1,000 subscribers.`);
for (const r of results) {
  if (r.didNotRun !== undefined) { out.push(`- ${r.label}: not measured`); continue; }
  const rate = r.load.perSecond >= RATE ? 'met' : 'not met';
  const lat = r.subs < 1000 ? `not measured (${r.subs} subscribers)` : r.p99Ms != null && r.p99Ms < P99 ? 'met' : 'not met';
  const right = r.outOfOrder === 0 && r.missing === 0 && r.gaps === 0 && !r.unanswered ? 'every subscriber had every completion once, in order'
    : 'SOME SUBSCRIBERS MISSED OR REORDERED COMPLETIONS';
  out.push(`- ${r.label}: rate ${rate} (${f(r.load.perSecond)}/s), p99 ${lat} (${r.p99Ms} ms); ${right}`);
}
console.log(out.join('\n'));
