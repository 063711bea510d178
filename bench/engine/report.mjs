// Formats the engine benchmark (mesd vs graphql-js), prints it, and replaces
// the engine section of bench/RESULTS.md (between the ENGINE markers).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import { execSync } from 'node:child_process';

const parse = (s) => Object.fromEntries(s.trim().split('\n').map((l) => JSON.parse(l)).map((r) => [r.workload, r]));
const mesd = parse(process.env.MESD), js = parse(process.env.JS);
const f = (x) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
const rows = [];
let worst = Infinity;
for (const w of Object.keys(mesd)) {
  const m = mesd[w], j = js[w];
  const full = (r) => r.parse_us + r.validate_us + r.execute_us;
  const ratios = ['parse_us', 'validate_us', 'execute_us'].map((k) => j[k] / m[k]);
  const rFull = full(j) / full(m);
  worst = Math.min(worst, ...ratios, rFull);
  rows.push(`| ${w} | ${f(m.parse_us)} / ${f(j.parse_us)} (${ratios[0].toFixed(0)}×) | ${f(m.validate_us)} / ${f(j.validate_us)} (${ratios[1].toFixed(0)}×) | ${f(m.execute_us)} / ${f(j.execute_us)} (${ratios[2].toFixed(0)}×) | ${f(full(m))} / ${f(full(j))} (${rFull.toFixed(0)}×) | ${m.response_bytes} / ${j.response_bytes} |`);
}
let cpu = os.cpus()[0]?.model ?? 'unknown cpu';
let node = process.version;
const section = `<!-- ENGINE:BEGIN -->
## Engine (\`bench/engine/run.sh\`)

Median microseconds per run, mesd / graphql-js ${JSON.parse(readFileSync(new URL('../../tests/node_modules/graphql/package.json', import.meta.url))).version} (speed-up), ${process.env.ITERS} runs each.
"execute" includes writing the response JSON (JSON.stringify for graphql-js); the
prepared path of mesd (a cached query) costs only "execute". The completion
event is the guide's \`NewOpCompletions\` subscription run on one event.

| workload | parse | validate | execute | all three | response bytes |
|---|---|---|---|---|---|
${rows.join('\n')}

Smallest speed-up: ${worst.toFixed(1)}× (target: 20×). Measured ${new Date().toISOString().slice(0, 10)} on ${cpu}, ${os.cpus().length} cores, Node ${node}, gcc Release build.
<!-- ENGINE:END -->`;
console.log(section);
const path = process.argv[2];
let text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmark results\n\nEach section is rewritten by its script; rerun the script to refresh it.\n\n';
text = text.includes('<!-- ENGINE:BEGIN -->')
  ? text.replace(/<!-- ENGINE:BEGIN -->[\s\S]*<!-- ENGINE:END -->/, section)
  : text + '\n' + section + '\n';
writeFileSync(path, text);
