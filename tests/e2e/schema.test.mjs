// The API's SDL: valid for graphql-js, kept in printSchema form (a fixed
// point), and `mesd schema` prints exactly it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { buildSchema, printSchema, validateSchema } from 'graphql';

const root = new URL('../../', import.meta.url).pathname;
const mesd = process.env.MESD_BIN ?? `${root}build/mesd`;
const sdl = readFileSync(`${root}src/mes/schema.graphql`, 'utf8');

test('schema.graphql is a valid schema for graphql-js', () => {
  assert.deepEqual(validateSchema(buildSchema(sdl)).map((e) => e.message), []);
});

test('schema.graphql is in printSchema form', () => {
  assert.equal(printSchema(buildSchema(sdl)) + '\n', sdl);
});

test('mesd schema prints schema.graphql', () => {
  assert.equal(execFileSync(mesd, ['schema'], { encoding: 'utf8' }), sdl);
});

test('mesd check loads it', () => {
  const out = execFileSync(mesd, ['check', '--schema', `${root}src/mes/schema.graphql`], { encoding: 'utf8' });
  assert.equal(out.trim(), '{"valid":true}');
});
