/*
 * corpus.mjs: loads the differential corpus into case objects (README.md
 * describes the formats):
 *   cases/<group>/<file>.graphql  hand-written cases, one or several per file
 *   gen/<group>.mjs               cases generated from compact tables
 *
 * A case object: { id, sdl, schemaPath?, query?, variables?, operation?,
 * root?, rootPath?, exit?, contains[] }. Texts are what both implementations
 * read; *Path point at the committed file when there is one (so mesd reads
 * it directly); exit and contains are the author's intent, checked against
 * graphql-js so that a case cannot silently test something else.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const DIFF_DIR = dirname(fileURLToPath(import.meta.url));
const SCHEMAS = join(DIFF_DIR, 'schemas');
const ROOTS = join(DIFF_DIR, 'roots');

const schemaCache = new Map();
export function schemaFile(name) {
  const path = join(SCHEMAS, `${name}.graphql`);
  if (!schemaCache.has(path)) {
    if (!existsSync(path)) throw new Error(`unknown schema "${name}" (no ${path})`);
    schemaCache.set(path, readFileSync(path, 'utf8'));
  }
  return { sdl: schemaCache.get(path), schemaPath: path };
}

export function rootFile(name) {
  const path = join(ROOTS, `${name}.json`);
  if (!existsSync(path)) throw new Error(`unknown root "${name}" (no ${path})`);
  return { root: readFileSync(path, 'utf8'), rootPath: path };
}

/* A root given inline is JSON (an object, array, null, number…); otherwise it names roots/<name>.json. */
function resolveRoot(value) {
  if (/^[[{"\d-]|^(null|true|false)$/.test(value)) {
    JSON.parse(value); // fail early on a typo
    return { root: value };
  }
  return rootFile(value);
}

const HEADER = /^#\s*([a-z]+):\s?(.*)$/;
const KEYS = new Set(['schema', 'variables', 'operation', 'root', 'exit', 'contains', 'lacks', 'errors', 'note']);

/* Reads the "# key: value" lines at the top of a block of lines. */
function readHeaders(lines, into, where) {
  for (const line of lines) {
    if (line.trim() === '') continue;
    const m = HEADER.exec(line);
    if (!m) break;
    if (!KEYS.has(m[1])) throw new Error(`${where}: unknown header "${m[1]}"`);
    if (m[1] === 'contains' || m[1] === 'lacks') into[m[1]] = [...(into[m[1]] || []), m[2]];
    else into[m[1]] = m[2];
  }
  return into;
}

/* Turns headers and a text into a case object. */
export function makeCase(id, h, text) {
  const c = { id, contains: h.contains || [], lacks: h.lacks || [] };
  if (!h.schema) throw new Error(`${id}: no schema`);
  if (h.schema === 'self') {
    c.sdl = text;
  } else {
    Object.assign(c, schemaFile(h.schema));
    c.query = text;
  }
  if (h.variables !== undefined) {
    JSON.parse(h.variables);
    c.variables = h.variables;
  }
  if (h.operation !== undefined) c.operation = h.operation;
  if (h.root !== undefined) Object.assign(c, resolveRoot(h.root));
  if (h.exit !== undefined) c.exit = Number(h.exit);
  if (h.errors !== undefined) c.errors = Number(h.errors);
  return c;
}

/*
 * One file: headers before the first "#### name" line apply to every case in
 * it; each "#### name" starts a case whose text runs to the next one. A file
 * without "####" lines is one case.
 */
function loadFile(group, path) {
  const lines = readFileSync(path, 'utf8').split('\n');
  const file = basename(path, '.graphql');
  const starts = [];
  lines.forEach((l, i) => {
    if (l.startsWith('#### ')) starts.push(i);
  });
  if (starts.length === 0) {
    const h = readHeaders(lines, {}, path);
    return [makeCase(`${group}/${file}`, h, lines.join('\n'))];
  }
  const defaults = readHeaders(lines.slice(0, starts[0]), {}, path);
  const seen = new Set();
  return starts.map((s, k) => {
    const name = lines[s].slice(5).trim();
    if (seen.has(name)) throw new Error(`${path}: duplicate case "${name}"`);
    seen.add(name);
    const body = lines.slice(s + 1, k + 1 < starts.length ? starts[k + 1] : lines.length);
    while (body.length && body[body.length - 1].trim() === '') body.pop();
    const h = readHeaders(body, { ...defaults, contains: [...(defaults.contains || [])] }, `${path}#${name}`);
    return makeCase(`${group}/${file}#${name}`, h, body.join('\n') + '\n');
  });
}

/* Every case, hand-written then generated, in a stable order. */
export async function loadCorpus() {
  const cases = [];
  const casesDir = join(DIFF_DIR, 'cases');
  for (const group of readdirSync(casesDir).sort()) {
    for (const f of readdirSync(join(casesDir, group)).sort()) {
      if (f.endsWith('.graphql')) cases.push(...loadFile(group, join(casesDir, group, f)));
    }
  }
  const genDir = join(DIFF_DIR, 'gen');
  for (const f of readdirSync(genDir).sort()) {
    if (!f.endsWith('.mjs')) continue;
    const group = `gen-${basename(f, '.mjs')}`;
    const mod = await import(pathToFileURL(join(genDir, f)).href);
    for (const g of mod.default()) {
      // g: { name, schema (a name, or sdl text via `sdl`), query, variables, operation, root, exit, contains }
      const h = { ...g, contains: g.contains || [], lacks: g.lacks || [] };
      if (g.variables !== undefined && typeof g.variables !== 'string') h.variables = JSON.stringify(g.variables);
      if (g.root !== undefined && typeof g.root !== 'string') h.root = JSON.stringify(g.root);
      let c;
      if (g.sdl !== undefined) {
        c = makeCase(`${group}/${g.name}`, { ...h, schema: 'self' }, g.sdl);
        if (g.query !== undefined) c.query = g.query;
      } else {
        c = makeCase(`${group}/${g.name}`, h, g.query);
      }
      cases.push(c);
    }
  }
  const ids = new Set();
  for (const c of cases) {
    // Both sides read UTF-8: a lone surrogate cannot be written, so it cannot be tested.
    for (const t of [c.sdl, c.query, c.root, c.variables]) {
      if (t !== undefined && !t.isWellFormed()) throw new Error(`${c.id}: text is not well-formed Unicode`);
    }
    if (ids.has(c.id)) throw new Error(`duplicate case id ${c.id}`);
    ids.add(c.id);
  }
  return cases;
}
