// The e2e harness: a real `mesd serve` process on a fresh SQLite file in a
// temporary directory, listening on an ephemeral port of 127.0.0.1.
//
//   const srv = await startServer({ demo: true, args: ['--sse-keepalive-ms', '200'] });
//   const res = await srv.gql('{ operations { id } }');   // POST, parsed body
//   await srv.stop();                                     // SIGTERM, wait for exit
//
// The port is read from the JSON log line {"event":"listening","port":N} on
// stderr, the admin token from stdout ("admin token (shown once): mesd_…",
// the token last on the line). MESD_BIN names the binary (ctest sets it).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { freshPgDb, psql, pgUrl } from './pg.mjs';

const root = new URL('../../../', import.meta.url).pathname;
export const mesdBin = process.env.MESD_BIN ?? `${root}build/mesd`;
// Whether mesd was built with AddressSanitizer: its allocator keeps freed
// memory in quarantine, so resident-memory bounds do not apply.
export const sanitized = (() => {
  try { return readFileSync(mesdBin).includes('__asan_init'); } catch { return false; }
})();

// MESD_E2E_ARGS (split on spaces) is appended to every `mesd serve`: the
// whole suite runs again with `--debug-read-passes` (ctest label e2e-passes).
export const extraArgs = (process.env.MESD_E2E_ARGS ?? '').split(' ').filter(Boolean);

// MESD_E2E_PG set: every server runs on PostgreSQL (ctest label e2e-pg), a
// fresh database on the fixture's server per server folder; a restart with
// the same folder finds the same database (its URL is kept in the folder).
export const onPostgres = !!process.env.MESD_E2E_PG;

function databaseOf(dir) {
  const urlFile = join(dir, 'pg-url');
  if (existsSync(urlFile)) return { dbUrl: readFileSync(urlFile, 'utf8'), fresh: false };
  const name = `e2e_${basename(dir).toLowerCase().replace(/[^a-z0-9]/g, '_')}_${randomBytes(3).toString('hex')}`;
  const dbUrl = freshPgDb(name);
  writeFileSync(urlFile, dbUrl);
  return { dbUrl, fresh: true };
}

// db: a --db URL of the caller's (several instances on one PostgreSQL
// database); fresh: whether it is new (the server then prints a token).
export async function startServer({ demo = false, args = [], env = {}, dir = null, startTimeoutMs = 10000,
  extra = extraArgs, db = null, fresh: freshDb = false } = {}) {
  const ownDir = !dir;
  dir = dir ?? mkdtempSync(join(tmpdir(), 'mesd-e2e-'));
  const dbPath = join(dir, 'mesd.db');
  // A fresh database prints an admin token on stdout; stdout and stderr are
  // separate pipes, so "listening" on stderr may be read before the token.
  const { dbUrl, fresh } = db ? { dbUrl: db, fresh: freshDb }
    : onPostgres ? databaseOf(dir) : { dbUrl: `sqlite:${dbPath}`, fresh: !existsSync(dbPath) };
  const expectToken = fresh;
  const argv = ['serve', '--listen', '127.0.0.1:0', '--db', dbUrl, ...(demo ? ['--demo'] : []), ...args,
    ...extra];
  const proc = spawn(mesdBin, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const errLines = [];
  const outLines = [];
  let adminToken = null;
  let port = null;
  let errBuf = '';
  let outBuf = '';
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  let exitInfo = null;
  exited.then((e) => { exitInfo = e; });

  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`mesd serve did not log "listening" within ${startTimeoutMs} ms:\n${errLines.join('\n')}`)),
      startTimeoutMs);
    const check = () => {
      if (port !== null && (adminToken !== null || !expectToken)) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (chunk) => {
      errBuf += chunk;
      let i;
      while ((i = errBuf.indexOf('\n')) >= 0) {
        const line = errBuf.slice(0, i);
        errBuf = errBuf.slice(i + 1);
        errLines.push(line);
        if (process.env.MESD_E2E_VERBOSE) process.stderr.write(`[mesd] ${line}\n`);
        try {
          const o = JSON.parse(line);
          if (o.event === 'listening' && typeof o.port === 'number') port = o.port;
        } catch { /* not a log line */ }
      }
      check();
    });
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk) => {
      outBuf += chunk;
      let i;
      while ((i = outBuf.indexOf('\n')) >= 0) {
        const line = outBuf.slice(0, i);
        outBuf = outBuf.slice(i + 1);
        outLines.push(line);
        const m = /^admin token \(shown once\): .*?(\S+)$/.exec(line);
        if (m) adminToken = m[1];
      }
      check();
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`mesd serve exited (code ${code}, signal ${signal}) before listening:\n${errLines.join('\n')}`));
    });
  });
  await ready;

  const url = `http://127.0.0.1:${port}`;
  let stopped = null;
  const cleanup = () => {
    if (!ownDir) return;
    rmSync(dir, { recursive: true, force: true });
    const name = onPostgres && !db && /\/([a-z0-9_]+)(\?|$)/.exec(dbUrl)?.[1];
    if (name) psql(pgUrl(), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
  const srv = {
    url,
    port,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    adminToken,
    dbPath,
    dbUrl,   // the --db argument: for `mesd token … --db` beside the server
    dir,
    proc,
    stderrLines: () => errLines.slice(),
    stdoutLines: () => outLines.slice(),
    exited,
    exitInfo: () => exitInfo,
    // POST /graphql with the token header (srv.adminToken unless given: a
    // test may set it, e.g. for a server restarted on a database whose
    // token an earlier one printed); returns the parsed JSON body.
    async gql(query, variables, token = srv.adminToken) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { 'x-pico-api-org': token } : {}) },
        body: JSON.stringify(variables === undefined ? { query } : { query, variables }),
      });
      const text = await res.text();
      try {
        return JSON.parse(text);
      } catch {
        throw new Error(`non-JSON answer (${res.status}): ${text}`);
      }
    },
    // The same, with the whole Response (status, headers) and the parsed body.
    async post(body, { token = srv.adminToken, headers = {}, path = '/graphql' } = {}) {
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { 'x-pico-api-org': token } : {}), ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let json = null;
      try { json = JSON.parse(text); } catch { /* not JSON */ }
      return { status: res.status, headers: res.headers, text, json };
    },
    // Resolves once the server accepts a token made beside it by `mesd token
    // create`: at once on SQLite (read on use); on PostgreSQL once its
    // NOTIFY mesd_tokens has reached the server (tokens are kept in memory).
    async tokenKnown(token, { timeoutMs = 5000 } = {}) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const r = await this.post({ query: '{ __typename }' }, { token });
        if (r.status !== 401) return;
        if (Date.now() > until) throw new Error(`the server did not learn of token ${token.slice(0, 18)}… in ${timeoutMs} ms`);
        await new Promise((res) => setTimeout(res, 10));
      }
    },
    // SIGTERM and wait for the exit; resolves to { code, signal }.
    async stop({ timeoutMs = 15000 } = {}) {
      if (!stopped) {
        stopped = (async () => {
          if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
          const t = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
          const e = await exited;
          clearTimeout(t);
          cleanup();
          // Under ASan/UBSan a report is a failure of whichever test ran it.
          const report = errLines.findIndex((l) => /ERROR: (Address|Leak)Sanitizer|runtime error:/.test(l));
          if (report >= 0) throw new Error(`sanitizer report from mesd:\n${errLines.slice(report, report + 40).join('\n')}`);
          return e;
        })();
      }
      return stopped;
    },
    kill(signal = 'SIGKILL') {
      proc.kill(signal);
      return exited;
    },
  };
  return srv;
}

// Runs `mesd ARGS…` to completion: { code, stdout, stderr }.
export function runMesd(args, { env = {}, input } = {}) {
  return new Promise((resolve) => {
    const p = spawn(mesdBin, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (c) => { stdout += c; });
    p.stderr.setEncoding('utf8').on('data', (c) => { stderr += c; });
    if (input !== undefined) p.stdin.end(input);
    else p.stdin.end();
    p.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
