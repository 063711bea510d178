// The engine benchmark's baseline: the same workloads in graphql-js 16,
// timed the same way (median of many runs of parse, validate, execute).
// usage: node graphql-js.mjs DIR [ITERATIONS]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(new URL('../../tests/package.json', import.meta.url));
const { buildSchema, parse, validate, execute } = require('graphql');

const dir = process.argv[2] ?? new URL('.', import.meta.url).pathname;
const iters = Number(process.argv[3] ?? 2000);
const read = (f) => readFileSync(`${dir}/${f}`, 'utf8');
const schema = buildSchema(read('schema.graphql'));
const median = (v) => v.sort((a, b) => a - b)[v.length >> 1];
const ns = () => process.hrtime.bigint();

const workloads = [
  { name: 'completion_event', query: 'completion.graphql', root: 'completion-event.json' },
  { name: 'introspection', query: 'introspection.graphql', root: 'empty.json' },
  { name: 'document60', query: 'document60.graphql', variables: 'document60-variables.json', root: 'document60-root.json' },
];

for (const w of workloads) {
  const text = read(w.query);
  const variableValues = w.variables ? JSON.parse(read(w.variables)) : undefined;
  // a subscription event is executed as graphql-js's mapSourceToResponse does: execute() with the event as root
  const rootValue = JSON.parse(read(w.root));
  const tp = [], tv = [], te = [];
  const doc = parse(text);
  for (let i = 0; i < iters; i++) {
    let t0 = ns(); const d = parse(text); let t1 = ns();
    const errors = validate(schema, d); let t2 = ns();
    if (errors.length) throw errors[0];
    tp.push(Number(t1 - t0)); tv.push(Number(t2 - t1));
  }
  let bytes = 0;
  for (let i = 0; i < iters; i++) {
    const t0 = ns();
    const result = execute({ schema, document: doc, rootValue, variableValues });
    const json = JSON.stringify(result);   // mesd's timing includes writing the JSON
    const t1 = ns();
    if (result.errors) throw result.errors[0];
    bytes = Buffer.byteLength(json);
    te.push(Number(t1 - t0));
  }
  console.log(JSON.stringify({ workload: w.name, iterations: iters,
    parse_us: median(tp) / 1e3, validate_us: median(tv) / 1e3, execute_us: median(te) / 1e3, response_bytes: bytes }));
}
