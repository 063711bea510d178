// data.mjs: the benchmarks' factory, made the same way every time: N
// processes as processCreate inputs (what gets deployed into mesd), and the
// Operation objects a query returns for them (what the Node baselines serve
// from memory), plus the Node modules the scripts share (from tests/node_modules).
// Never random: mesd and the baselines must answer the same bytes' worth.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url);
export const require = createRequire(new URL('tests/package.json', root));
export const sdl = () => readFileSync(new URL('src/mes/schema.graphql', root), 'utf8');

const pad = (i) => String(i).padStart(3, '0');

export function processInput(i) {
  return {
    id: `bench_proc_${pad(i)}`,
    name: `Bench process ${i}`,
    partNumber: `BP-${pad(i)}`,
    revision: 'A',
    producesSerial: i % 2 === 0,
    consumedSerials: [
      { id: `bench_attr_${pad(i)}_a`, name: 'Housing serial', partNumber: `CMP-${pad(i)}-A` },
      { id: `bench_attr_${pad(i)}_b`, name: 'Board serial', partNumber: `CMP-${pad(i)}-B` },
    ],
    steps: [
      { id: `bench_step_${pad(i)}`, name: 'Assemble', instructionText: { text: 'Fit the board, close the housing.' },
        actions: [{ id: `bench_act_${pad(i)}`, description: { text: 'Scan both serials' } }] },
    ],
  };
}

export const processInputs = (n) => Array.from({ length: n }, (_, i) => processInput(i));

// The Operation a query returns for a deployed process (the fields the
// benchmark asks for, and what the fanout's subscribers select).
export function operationOf(p, seq, updatedAt) {
  return {
    id: p.id,
    externalId: p.partNumber,
    externalRevision: p.revision,
    externalCodes: [p.partNumber],
    name: p.name,
    kind: 'PROCESS',
    producesSerial: !!p.producesSerial,
    consumedSerials: (p.consumedSerials || []).map((a) => ({ id: a.id, name: a.name, externalId: a.partNumber })),
    subOperations: [],
    steps: [],
    seq,
    updatedAt,
    archivedAt: null,
  };
}

export const PROCESS_CREATE = 'mutation Deploy($input: ProcessCreateInput!) { processCreate(input: $input) }';

// POST one GraphQL request; resolves to the parsed body (throws on HTTP or GraphQL errors).
export async function gqlPost(url, token, query, variables) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'x-pico-api-org': token || '' },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  let body;
  try { body = JSON.parse(text); } catch { throw new Error(`${url}: HTTP ${res.status}: ${text.slice(0, 200)}`); }
  if (!res.ok || body.errors) throw new Error(`${url}: HTTP ${res.status}: ${text.slice(0, 300)}`);
  return body;
}
