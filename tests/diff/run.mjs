#!/usr/bin/env node
/*
 * run.mjs: the differential suite. Every case of the corpus goes through
 * `mesd check` and through graphql-js 16 (reference.mjs, in process); the
 * exit status and the JSON printed must be the same: same keys in the same
 * order, same errors in the same order, messages to the letter.
 *
 *   node tests/diff/run.mjs [MESD_BIN] [--ref-only|--show] [--filter SUBSTR] [-j N] [--verbose]
 *                           [--wrap 'valgrind --error-exitcode=99 …'] [--every N]
 *
 * MESD_BIN defaults to $MESD_BIN, then build/mesd. --ref-only checks only the
 * corpus itself: each case's stated intent (# exit:, # errors:, # contains:,
 * # lacks:) against graphql-js; --show also prints what graphql-js answers.
 * --wrap runs mesd under another program (valgrind: any error it finds changes
 * the exit status, so the case fails); --every N runs only every Nth case.
 * The last line printed is "N passed, M failed".
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { check } from './reference.mjs';
import { loadCorpus, DIFF_DIR } from './corpus.mjs';

function parseArgs(argv) {
  const o = { bin: undefined, refOnly: false, show: false, filter: [], jobs: 2, verbose: false, wrap: [], every: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--ref-only') o.refOnly = true;
    else if (a === '--verbose' || a === '-v') o.verbose = true;
    else if (a === '--show') o.show = o.refOnly = true;
    else if (a === '--filter') o.filter.push(argv[++i]);
    else if (a === '-j') o.jobs = Math.max(1, Number(argv[++i]) || 1);
    else if (a === '--wrap') o.wrap = argv[++i].split(/\s+/).filter(Boolean);
    else if (a === '--every') o.every = Math.max(1, Number(argv[++i]) || 1);
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else o.bin = a;
  }
  o.bin = resolve(o.bin || process.env.MESD_BIN || join(DIFF_DIR, '..', '..', 'build', 'mesd'));
  return o;
}

/* What graphql-js answers, plus the ways the case fails to say what its author meant. */
function reference(c) {
  let r;
  try {
    r = check({ sdl: c.sdl, query: c.query, variables: c.variables, operation: c.operation, root: c.root });
  } catch (e) {
    return { problems: [`reference threw: ${e.stack}`] };
  }
  const text = JSON.stringify(r.out);
  const problems = [];
  if (c.exit !== undefined && r.code !== c.exit) problems.push(`intent: exit ${c.exit}, graphql-js exits ${r.code}`);
  const n = r.out.errors ? r.out.errors.length : 0;
  if (c.errors !== undefined && n !== c.errors) problems.push(`intent: ${c.errors} errors, graphql-js gives ${n}`);
  for (const s of c.contains) if (!text.includes(s)) problems.push(`intent: output should contain ${s}`);
  for (const s of c.lacks) if (text.includes(s)) problems.push(`intent: output should not contain ${s}`);
  return { ...r, text, problems };
}

/* Files mesd reads: the committed ones, or texts written once into a temporary directory. */
function makeFiles(tmp) {
  const written = new Map();
  return (text, ext) => {
    const name = createHash('sha1').update(text).digest('hex').slice(0, 16) + ext;
    if (!written.has(name)) {
      writeFileSync(join(tmp, name), text);
      written.set(name, true);
    }
    return join(tmp, name);
  };
}

const childEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MESD_')));

function runMesd(bin, c, file, wrap = []) {
  const args = ['check', '--schema', c.schemaPath || file(c.sdl, '.graphql')];
  if (c.query !== undefined) args.push('--query', '-');
  if (c.variables !== undefined) args.push('--variables', c.variables);
  if (c.operation !== undefined) args.push('--operation', c.operation);
  if (c.root !== undefined) args.push('--root', c.rootPath || file(c.root, '.json'));
  return new Promise((done) => {
    const [cmd, ...pre] = wrap.length ? [...wrap, bin] : [bin];
    const child = spawn(cmd, [...pre, ...args], { env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, wrap.length ? 120000 : 20000);
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', (e) => {
      clearTimeout(timer);
      done({ args, error: e.message });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({
        args,
        code,
        signal: timedOut ? 'timeout (20 s)' : signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    child.stdin.on('error', () => {}); // mesd may exit before reading its stdin
    child.stdin.end(c.query !== undefined ? c.query : '');
  });
}

/* A line diff of two pretty-printed JSON texts (LCS; both are small). */
function lineDiff(a, b) {
  const x = a.split('\n');
  const y = b.split('\n');
  if (x.length * y.length > 4e6) return `--- expected\n${a.slice(0, 4000)}\n+++ actual\n${b.slice(0, 4000)}`;
  const n = x.length;
  const m = y.length;
  const L = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) L[i][j] = x[i] === y[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
  const lines = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) lines.push(`  ${x[i++]}`), j++;
    else if (i < n && (j === m || L[i + 1][j] >= L[i][j + 1])) lines.push(`- ${x[i++]}`);
    else lines.push(`+ ${y[j++]}`);
  }
  // Keep the changed lines with 3 lines of context.
  const keep = lines.map((l) => !l.startsWith('  '));
  const shown = [];
  let skipped = false;
  lines.forEach((l, k) => {
    if (keep.slice(Math.max(0, k - 3), k + 4).some(Boolean)) {
      shown.push(l);
      skipped = false;
    } else if (!skipped) {
      shown.push('  …');
      skipped = true;
    }
  });
  return shown.join('\n');
}

function compare(c, ref, got) {
  const problems = [];
  if (got.error) return [`cannot run mesd: ${got.error}`];
  if (got.signal) problems.push(`mesd killed: ${got.signal}`);
  let parsed;
  try {
    parsed = JSON.parse(got.stdout);
  } catch {
    problems.push(`stdout is not one JSON value: ${JSON.stringify(got.stdout.slice(0, 600))}`);
  }
  if (got.code !== ref.code && !got.signal) problems.push(`exit status: graphql-js ${ref.code}, mesd ${got.code}`);
  if (parsed !== undefined && JSON.stringify(parsed) !== ref.text) {
    problems.push(`output differs (- graphql-js, + mesd):\n${lineDiff(JSON.stringify(ref.out, null, 1), JSON.stringify(parsed, null, 1))}`);
  }
  if (problems.length && got.stderr) problems.push(`stderr: ${got.stderr.slice(0, 600)}`);
  return problems;
}

function describe(c, got) {
  const q = (s) => (/^[\w@/.:=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return got && got.args ? `  $ mesd ${got.args.map(q).join(' ')}${c.query !== undefined ? ' < query' : ''}\n` : '';
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  let cases = await loadCorpus();
  if (o.filter.length) cases = cases.filter((c) => o.filter.some((f) => c.id.includes(f)));
  if (o.every > 1) cases = cases.filter((_, i) => i % o.every === 0);
  if (!o.refOnly && !existsSync(o.bin)) {
    console.error(`run.mjs: no mesd binary at ${o.bin} (pass its path, or set MESD_BIN)`);
    console.log(`0 passed, ${cases.length} failed`);
    process.exit(1);
  }
  const tmp = mkdtempSync(join(tmpdir(), 'mesd-diff-'));
  const file = makeFiles(tmp);
  let passed = 0;
  let failed = 0;
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const c = cases[next++];
      const ref = reference(c);
      let problems = ref.problems;
      let got;
      if (!problems.length && !o.refOnly) {
        got = await runMesd(o.bin, c, file, o.wrap);
        problems = compare(c, ref, got);
      }
      if (problems.length) {
        failed++;
        if (o.refOnly && ref.text) problems.push(`graphql-js exits ${ref.code}: ${ref.text}`);
        console.log(`FAIL ${c.id}\n${describe(c, got)}${problems.map((p) => p.replace(/^/gm, '  ')).join('\n')}\n`);
      } else {
        passed++;
        if (o.verbose) console.log(`ok   ${c.id}`);
        if (o.show) console.log(`${c.id}\n  exit ${ref.code}: ${ref.text}`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: o.jobs }, worker));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  console.error(`(${cases.length} cases in ${((Date.now() - started) / 1000).toFixed(1)} s${o.refOnly ? ', reference only' : ''})`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  console.error(e.stack);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
