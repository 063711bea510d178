// Introspection round trip: graphql-js builds a client schema from mesd's
// introspection answer, the schema is valid, and printing it gives exactly
// what `mesd schema` prints (so tools see the schema mesd documents).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildClientSchema, getIntrospectionQuery, printSchema, validateSchema } from 'graphql';
import { startServer, runMesd } from './lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

for (const [what, opts] of [
  ['default options', {}],
  ['every option', { descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true,
    inputValueDeprecation: true, oneOf: true }],
]) {
  test(`buildClientSchema(introspection) is valid and prints as mesd schema (${what})`, async () => {
    const res = await srv.gql(getIntrospectionQuery(opts));
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const schema = buildClientSchema(res.data);
    assert.deepEqual(validateSchema(schema).map((e) => e.message), []);
    const sdl = (await runMesd(['schema'])).stdout;
    if (opts.specifiedByUrl) {
      assert.equal(printSchema(schema) + '\n', sdl);
    } else {
      // without specifiedByUrl the introspection cannot carry @specifiedBy
      const strip = (s) => s.replace(/ @specifiedBy\(url: "[^"]*"\)/g, '');
      assert.equal(printSchema(schema) + '\n', strip(sdl));
    }
  });
}
