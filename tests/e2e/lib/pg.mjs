// The throwaway PostgreSQL of the ctest fixture `pg` (CMakeLists.txt,
// tests/unit/pg_fixture.sh) for e2e tests: its URL, and fresh databases on it.
// A test that needs it fails when it is missing (make test always starts it).
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

// The fixture's URL: $MESD_TEST_PG names a server directly, else the file
// the fixture wrote ($MESD_TEST_PG_FILE), as the unit tests read it.
export function pgUrl() {
  if (process.env.MESD_TEST_PG) return process.env.MESD_TEST_PG;
  const file = process.env.MESD_TEST_PG_FILE;
  if (!file) throw new Error('no PostgreSQL: run under ctest (fixture pg) or set MESD_TEST_PG to a libpq URL');
  return readFileSync(file, 'utf8').trim();
}

// The URL with another database name (postgres://authority/NAME?params).
export function pgUrlOf(name) {
  const url = pgUrl();
  const m = /^(postgres(?:ql)?:\/\/[^/?]*)(?:\/[^?]*)?(\?.*)?$/.exec(url);
  if (!m) throw new Error(`cannot put a database name into ${url}`);
  return `${m[1]}/${name}${m[2] ?? ''}`;
}

// Runs sql with psql on url; the rows' fields, tab-separated, one row a line.
export function psql(url, sql) {
  return execFileSync('psql', ['-X', '-q', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql],
    { encoding: 'utf8' }).trim();
}

// An empty database `name` (dropped first if an earlier run left it); its URL.
export function freshPgDb(name) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  psql(pgUrl(), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  psql(pgUrl(), `CREATE DATABASE ${name}`);
  return pgUrlOf(name);
}
