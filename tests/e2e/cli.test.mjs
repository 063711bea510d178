// The command line around the server: `mesd serve` starts, logs JSON lines,
// prints its first admin token once, stops cleanly on SIGTERM; `mesd token
// create|list|revoke` and `mesd migrate` as cli.md says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { execFileSync } from 'node:child_process';
import { startServer, runMesd } from './lib/server.mjs';

const rfc3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function tempDb() {
  const dir = mkdtempSync(join(tmpdir(), 'mesd-cli-'));
  return { dir, url: `sqlite:${join(dir, 'mesd.db')}`, path: join(dir, 'mesd.db'), done: () => rmSync(dir, { recursive: true, force: true }) };
}

test('serve: JSON log lines, admin token printed once, healthz, clean stop', async () => {
  const srv = await startServer();
  try {
    assert.match(srv.adminToken ?? '', /^mesd_[A-Za-z0-9]+_[A-Za-z0-9]+$/);
    for (const line of srv.stderrLines()) {
      const o = JSON.parse(line);   // every line is one JSON object
      assert.match(o.time, rfc3339);
      assert.ok(['debug', 'info', 'warn', 'error'].includes(o.level), line);
      assert.equal(typeof o.event, 'string');
    }
    const listening = srv.stderrLines().map((l) => JSON.parse(l)).filter((o) => o.event === 'listening');
    assert.equal(listening.length, 1);
    assert.equal(listening[0].host, '127.0.0.1');
    assert.equal(listening[0].port, srv.port);
    const res = await fetch(`${srv.url}/healthz`);
    assert.equal(res.status, 200);
    assert.equal((await res.text()).trim(), 'ok');
  } finally {
    const { code } = await srv.stop();
    assert.equal(code, 0);
  }
});

test('serve: the admin token is printed only on an empty database', async () => {
  const db = tempDb();
  try {
    const first = await startServer({ dir: db.dir });
    assert.ok(first.adminToken);
    assert.equal((await first.stop()).code, 0);
    const second = await startServer({ dir: db.dir });
    assert.equal(second.adminToken, null);
    assert.ok(!second.stdoutLines().some((l) => l.includes('mesd_')));
    assert.equal((await second.stop()).code, 0);
  } finally {
    db.done();
  }
});

test('serve --help documents the tuning flags', async () => {
  const { code, stdout } = await runMesd(['serve', '--help']);
  assert.equal(code, 0);
  for (const flag of ['--listen', '--db', '--demo', '--log-level', '--max-body-bytes', '--ws-init-timeout-ms',
    '--legacy-ka-ms', '--sse-keepalive-ms'])
    assert.ok(stdout.includes(flag), flag);
});

test('serve refuses bad flags with exit 2', async () => {
  assert.equal((await runMesd(['serve', '--listen', 'nope'])).code, 2);
  assert.equal((await runMesd(['serve', '--max-body-bytes', '-1'])).code, 2);
  assert.equal((await runMesd(['serve', '--log-level', 'loud'])).code, 2);
  assert.equal((await runMesd(['serve', '--bogus'])).code, 2);
});

test('token create, list, revoke', async () => {
  const db = tempDb();
  try {
    const c = await runMesd(['token', 'create', '--role', 'erp', '--name', 'ERP one', '--db', db.url]);
    assert.equal(c.code, 0, c.stderr);
    const lines = c.stdout.trimEnd().split('\n');
    const token = lines[lines.length - 1];
    assert.match(token, /^mesd_([A-Za-z0-9]+)_[A-Za-z0-9]+$/);
    const id = /^mesd_([A-Za-z0-9]+)_/.exec(token)[1];

    const op = await runMesd(['token', 'create', '--role', 'operator', '--station', 'st_1', '--db', db.url]);
    assert.equal(op.code, 0, op.stderr);

    let l = await runMesd(['token', 'list', '--db', db.url]);
    assert.equal(l.code, 0, l.stderr);
    let rows = l.stdout.trimEnd().split('\n').map((r) => r.split('\t'));
    assert.equal(rows.length, 2);
    const row = rows.find((r) => r[0] === id);
    assert.deepEqual(row.length, 5);
    assert.equal(row[1], 'erp');
    assert.equal(row[2], 'ERP one');
    assert.match(row[3], rfc3339);
    assert.equal(row[4], '-');
    assert.ok(!l.stdout.includes(token.split('_')[2]), 'list never shows a secret');

    const r = await runMesd(['token', 'revoke', id, '--db', db.url]);
    assert.equal(r.code, 0, r.stderr);
    l = await runMesd(['token', 'list', '--db', db.url]);
    rows = l.stdout.trimEnd().split('\n').map((x) => x.split('\t'));
    assert.match(rows.find((x) => x[0] === id)[4], rfc3339);

    const unknown = await runMesd(['token', 'revoke', 'nosuchid', '--db', db.url]);
    assert.equal(unknown.code, 1);
    assert.ok(unknown.stderr.length > 0);
  } finally {
    db.done();
  }
});

test('token create refuses a bad role, needs --role', async () => {
  const db = tempDb();
  try {
    const bad = await runMesd(['token', 'create', '--role', 'king', '--db', db.url]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /role must be admin, erp or operator/);
    assert.equal(bad.stdout, '');
    assert.equal((await runMesd(['token', 'create', '--db', db.url])).code, 2);
    assert.equal((await runMesd(['token', 'frobnicate', '--db', db.url])).code, 2);
  } finally {
    db.done();
  }
});

test('MESD_DB is read when --db is absent', async () => {
  const db = tempDb();
  try {
    const c = await runMesd(['token', 'create', '--role', 'admin'], { env: { MESD_DB: db.url } });
    assert.equal(c.code, 0, c.stderr);
    const l = await runMesd(['token', 'list', '--db', db.url]);
    assert.equal(l.stdout.trimEnd().split('\n').length, 1);
  } finally {
    db.done();
  }
});

test('migrate brings a database up to date; a newer database is refused', async () => {
  const db = tempDb();
  try {
    const m = await runMesd(['migrate', '--db', db.url]);
    assert.equal(m.code, 0, m.stderr);
    // Pretend a newer mesd wrote this database.
    execFileSync('sqlite3', [db.path, "INSERT INTO schema_version (version, name, applied_at) VALUES (9999, 'future', 0)"]);
    const again = await runMesd(['migrate', '--db', db.url]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /database schema version 9999 is newer than this mesd \(\d+\); upgrade mesd/);
    const serve = await runMesd(['serve', '--listen', '127.0.0.1:0', '--db', db.url]);
    assert.equal(serve.code, 1);
    assert.match(serve.stderr, /newer than this mesd/);
  } finally {
    db.done();
  }
});

test('--log-level debug adds access lines; info has none', async () => {
  const dbg = await startServer({ args: ['--log-level', 'debug'] });
  const info = await startServer();
  try {
    for (const s of [dbg, info]) await s.gql('{ __typename }');
    await new Promise((r) => setTimeout(r, 100));
    const access = dbg.stderrLines().map((l) => JSON.parse(l)).filter((o) => o.event === 'access');
    assert.ok(access.some((o) => o.level === 'debug' && o.method === 'POST' && o.path === '/graphql' && o.status === 200 &&
      typeof o.us === 'number' && o.transport === 'http'), JSON.stringify(access));
    assert.ok(!info.stderrLines().some((l) => JSON.parse(l).event === 'access'));
  } finally {
    await dbg.stop();
    await info.stop();
  }
});

// Every pipelined request already read is answered at shutdown (net closes a
// draining connection only after its last queued answer).
test('SIGTERM: mutations in flight are answered, and exactly the answered ones are durable', async () => {
  const db = tempDb();
  try {
    const srv = await startServer({ dir: db.dir });
    const sock = net.connect(srv.port, '127.0.0.1');
    let got = '';
    sock.setEncoding('latin1').on('data', (d) => { got += d; });
    const closed = new Promise((r) => sock.on('close', r));
    sock.on('error', () => {});
    await new Promise((r) => sock.on('connect', r));
    const request = (body) => `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
      `x-pico-api-org: ${srv.adminToken}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    const ids = Array.from({ length: 30 }, (_, i) => `term_${i}`);
    sock.write(ids.map((id) => request(JSON.stringify({
      query: `mutation { processCreate(input: { process: { id: "${id}", name: "T" } }) }` }))).join(''));
    await new Promise((r) => setTimeout(r, 3));
    srv.proc.kill('SIGTERM');
    await closed;
    assert.equal((await srv.stop()).code, 0);
    const lines = srv.stderrLines().map((l) => JSON.parse(l));
    assert.ok(lines.some((o) => o.event === 'stopping' && o.signal === 'SIGTERM'));
    assert.equal(lines[lines.length - 1].event, 'stopped');
    // the answers that came are whole, in order, and say the write happened
    const answered = [...got.matchAll(/HTTP\/1\.1 (\d{3})[^]*?\r\n\r\n(\{"data":\{"processCreate":"(term_\d+)"\}\})/g)];
    answered.forEach((m, i) => { assert.equal(m[1], '200'); assert.equal(m[3], ids[i]); });
    assert.equal((got.match(/HTTP\/1\.1 /g) ?? []).length, answered.length, got.slice(0, 500));
    // what was answered is in the database, and nothing else is
    const again = await startServer({ dir: db.dir });
    const ops = (await again.gql('{ operations { id } }', undefined, (await runMesd(['token', 'create', '--role', 'admin',
      '--db', db.url])).stdout.trimEnd().split('\n').pop())).data.operations.map((o) => o.id);
    await again.stop();
    assert.deepEqual(ops, answered.map((m) => m[3]).sort());
  } finally {
    db.done();
  }
});

test('SIGINT stops the server too', async () => {
  const srv = await startServer();
  srv.proc.kill('SIGINT');
  assert.equal((await srv.exited).code, 0);
  await srv.stop();
});

test('serve on a port in use exits 1 with a listen_failed line', async () => {
  const srv = await startServer();
  const db = tempDb();
  try {
    const r = await runMesd(['serve', '--listen', `127.0.0.1:${srv.port}`, '--db', db.url]);
    assert.equal(r.code, 1);
    const failed = r.stderr.trim().split('\n').map((l) => JSON.parse(l)).find((o) => o.event === 'listen_failed');
    assert.ok(failed, r.stderr);
    assert.equal(failed.level, 'error');
    assert.match(failed.error, /address already in use/);
  } finally {
    db.done();
    await srv.stop();
  }
});

test('a shutdown deadline passed with mutations in flight: they finish after the listener, and the exit is clean', async () => {
  // --shutdown-timeout-ms 1: the listener gives up on its connections at
  // once, so mutations still with the writer are answered (to nobody) when
  // the store drains, after the server's listener is gone. Under ASan this
  // is where a use-after-free would show.
  const srv = await startServer({ args: ['--shutdown-timeout-ms', '1'] });
  const request = (body) => `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
    `x-pico-api-org: ${srv.adminToken}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  const socks = [];
  for (let c = 0; c < 20; c++) {
    const s = net.connect(srv.port, '127.0.0.1');
    s.on('error', () => {});
    s.on('data', () => {});
    await new Promise((r) => s.on('connect', r));
    socks.push(s);
  }
  let n = 0;
  for (const s of socks)
    s.write(Array.from({ length: 32 }, () => request(JSON.stringify({
      query: `mutation { processCreate(input: { process: { id: "late_${n++}", name: "T" } }) }` }))).join(''));
  await new Promise((r) => setTimeout(r, 5));
  srv.proc.kill('SIGTERM');
  const { code } = await srv.stop();
  assert.equal(code, 0);
  const lines = srv.stderrLines().map((l) => JSON.parse(l));
  assert.equal(lines[lines.length - 1].event, 'stopped');
  socks.forEach((s) => s.destroy());
});
