/*
 * gen/schemas.mjs: every shared schema loads on its own (no --query), and
 * what each answers to the smallest query (__typename, without and with a root).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DIFF_DIR } from '../corpus.mjs';

export default function () {
  const cases = [];
  for (const f of readdirSync(join(DIFF_DIR, 'schemas')).sort()) {
    if (!f.endsWith('.graphql')) continue;
    const schema = f.replace(/\.graphql$/, '');
    cases.push({ name: `${schema}/loads`, schema, exit: 0 });
    cases.push({ name: `${schema}/__typename validates`, schema, query: '{ __typename }', exit: 0 });
    cases.push({ name: `${schema}/__typename executes`, schema, query: '{ __typename }', root: '{}', exit: 0 });
  }
  return cases;
}
