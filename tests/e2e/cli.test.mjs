// The command line around the server: `mesd serve` starts, logs JSON lines,
// prints its first admin token once, stops cleanly on SIGTERM; `mesd token
// create|list|revoke` and `mesd migrate` as cli.md says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
