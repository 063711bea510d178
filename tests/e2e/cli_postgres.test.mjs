// The first commands on PostgreSQL (issue 7): `mesd migrate` and `mesd token
// create|list|revoke` with --db postgres://…, against the throwaway server
// of the ctest fixture `pg`; bad and unreachable URLs; `mesd serve`'s log
// hiding the URL's password.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMesd, startServer } from './lib/server.mjs';
import { freshPgDb, psql } from './lib/pg.mjs';

const rfc3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const pgMigrations = readdirSync(join(dirname(fileURLToPath(import.meta.url)), '../../src/store/migrations/pg'))
  .filter((f) => f.endsWith('.sql')).sort().map((f) => f.replace(/\.sql$/, ''));

// mesd ARGS…, failing the test on a sanitizer report (ASan's exit status
// alone could pass for an expected failure).
async function mesd(args) {
  const r = await runMesd(args);
  assert.doesNotMatch(r.stderr, /Sanitizer|runtime error:/, r.stderr);
  return r;
}

let db;
before(() => { db = freshPgDb('e2e_cli_postgres'); });

const schemaRows = () => psql(db, 'SELECT version, name, applied_at FROM schema_version ORDER BY version');

test('migrate applies every PostgreSQL migration, and a second run changes nothing', async () => {
  const first = await mesd(['migrate', '--db', db]);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout.trim(), `database schema at version ${pgMigrations.length}`);
  const rows = schemaRows();
  assert.deepEqual(rows.split('\n').map((l) => l.split('\t').slice(0, 2).join(' ')),
    pgMigrations.map((m) => `${Number(m.slice(0, 3))} ${m}`));

  const second = await mesd(['migrate', '--db', db]);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(second.stdout, first.stdout);
  assert.equal(schemaRows(), rows);   // same rows, same applied_at: nothing applied again
});

test('token create, list and revoke on PostgreSQL: stored as a hash, listed without the secret', async () => {
  const created = await mesd(['token', 'create', '--role', 'erp', '--name', 'ERP line 1', '--db', db]);
  assert.equal(created.code, 0, created.stderr);
  const last = created.stdout.trim().split('\n').at(-1);
  const m = /^mesd_([A-Za-z0-9]{12})_([A-Za-z0-9]{43})$/.exec(last);
  assert.ok(m, `token line: ${last}`);
  const [, id, secret] = m;

  // the row: role, name, SHA-256 of the secret (as on SQLite), never the secret
  const row = psql(db, `SELECT role, name, encode(secret_hash, 'hex'), revoked_at IS NULL FROM tokens WHERE id = '${id}'`);
  assert.equal(row, ['erp', 'ERP line 1', createHash('sha256').update(secret).digest('hex'), 't'].join('\t'));
  assert.doesNotMatch(psql(db, 'SELECT t::text FROM tokens t'), new RegExp(secret));

  const listed = await mesd(['token', 'list', '--db', db]);
  assert.equal(listed.code, 0, listed.stderr);
  assert.ok(!listed.stdout.includes(secret), 'list never shows a secret');
  const lines = listed.stdout.trim().split('\n').map((l) => l.split('\t'));
  assert.equal(lines.length, 1);
  assert.deepEqual(lines[0].slice(0, 3), [id, 'erp', 'ERP line 1']);
  assert.match(lines[0][3], rfc3339);
  assert.equal(lines[0][4], '-');

  const revoked = await mesd(['token', 'revoke', id, '--db', db]);
  assert.equal(revoked.code, 0, revoked.stderr);
  assert.equal(revoked.stdout.trim(), `revoked ${id}`);
  const after = (await mesd(['token', 'list', '--db', db])).stdout.trim().split('\t');
  assert.equal(after[0], id);
  assert.match(after[4], rfc3339);
  assert.equal(psql(db, `SELECT revoked_at IS NOT NULL FROM tokens WHERE id = '${id}'`), 't');

  // revoking again is done already; an unknown id is an error
  assert.equal((await mesd(['token', 'revoke', id, '--db', db])).code, 0);
  const unknown = await mesd(['token', 'revoke', 'nosuchtoken1', '--db', db]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no token with id nosuchtoken1/);
});

test('a token that breaks a rule is refused and nothing is written', async () => {
  const before = psql(db, 'SELECT count(*) FROM tokens');
  const bad = await mesd(['token', 'create', '--role', 'boss', '--db', db]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /role must be admin, erp or operator/);
  assert.equal(bad.stdout, '');
  assert.equal(psql(db, 'SELECT count(*) FROM tokens'), before);
});

test('a URL libpq cannot read, and a server that is not there: a clear error, exit status 1', async () => {
  const bad = await mesd(['migrate', '--db', 'postgres://localhost/x?no_such_option=1']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^mesd migrate: --db: not a PostgreSQL URL: .*no_such_option/);

  // port 1 refuses at once; the password must not be echoed
  const down = await mesd(['token', 'list', '--db', 'postgres://mesd:s3cret-pw@127.0.0.1:1/x']);
  assert.equal(down.code, 1);
  assert.match(down.stderr, /^mesd token: database unavailable: .*127\.0\.0\.1/);
  assert.equal(down.stderr.trim().split('\n').length, 1, 'one line');
  assert.doesNotMatch(down.stderr, /s3cret-pw/);
});

test('serve on PostgreSQL: the log shows the URL without its password', async () => {
  const url = freshPgDb('e2e_cli_postgres_serve').replace('postgres@', 'postgres:pw-secret@');
  const srv = await startServer({ db: url, fresh: true });
  try {
    const listening = srv.stderrLines().map((l) => JSON.parse(l)).find((o) => o.event === 'listening');
    assert.equal(listening.db, url.replace('pw-secret', '***'));
    assert.doesNotMatch(srv.stderrLines().join('\n'), /pw-secret/);
    assert.equal((await srv.gql('{ __typename }')).data.__typename, 'Query');
  } finally {
    assert.deepEqual(await srv.stop(), { code: 0, signal: null });
  }
});
