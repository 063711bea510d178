// Read passes (docs/postgres.md): with --debug-read-passes every read
// of a request pends once, as a read sent to PostgreSQL does, so a request
// runs again after each level's reads are fetched. A query of depth d then
// takes d + 1 passes (resolvers load a whole level in one read), answers
// exactly what a server without the flag answers, and a cached answer takes
// none. mesd_read_passes_total counts the passes. On PostgreSQL (e2e-pg)
// the passes are real: both servers take them, and the flag changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { onPostgres, startServer } from './lib/server.mjs';

let passes, plain;
before(async () => {
  [passes, plain] = await Promise.all([
    startServer({ demo: true, args: ['--debug-read-passes'], extra: [] }),
    startServer({ demo: true, extra: [] }),   // without passes, whatever MESD_E2E_ARGS says
  ]);
});
after(async () => { await Promise.all([passes?.stop(), plain?.stop()]); });

async function passCount(srv) {
  const res = await fetch(`${srv.url}/metrics`, { headers: { authorization: `Bearer ${srv.adminToken}` } });
  const m = /^mesd_read_passes_total (\d+)$/m.exec(await res.text());
  assert.ok(m, 'mesd_read_passes_total is in /metrics');
  return Number(m[1]);
}

// The answer of query on srv, and how many passes it took.
async function run(srv, query) {
  const before = await passCount(srv);
  const r = await srv.gql(query);
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return { data: r.data, passes: (await passCount(srv)) - before };
}

const byDepth = [
  [0, '{ __typename }'],
  [1, '{ operations { id name } }'],
  [2, '{ operations { id steps { id name } } }'],
  [3, '{ operations { id steps { id actions { id description } } } }'],
  [3, '{ stations { id processes { id steps { id } } } }'],
];

test('a query of depth d takes d + 1 passes and answers as without passes', async () => {
  for (const [depth, query] of byDepth) {
    const got = await run(passes, query);
    const want = await run(plain, query);
    assert.equal(got.passes, depth + 1, query);
    assert.equal(want.passes, onPostgres ? depth + 1 : 1, `${query} without the flag`);
    assert.deepEqual(got.data, want.data, query);
  }
  // the demo has actions under steps: the deepest level really was read
  const deep = await run(plain, byDepth[3][1]);
  assert.ok(deep.data.operations.some((o) => o.steps.some((s) => s.actions.length > 0)));
});

test('a cached answer takes no pass; a deploy makes the query run in passes again', async () => {
  const query = '{ operations(limit: 3) { id steps { id } } }';
  const first = await run(passes, query);
  assert.equal(first.passes, 3);
  const again = await run(passes, query);
  assert.equal(again.passes, 0);
  assert.deepEqual(again.data, first.data);
  const m = await passes.gql('mutation { processCreate(input: { process: { id: "aaa_passes", name: "P" } }) }');
  assert.equal(m.errors, undefined, JSON.stringify(m.errors));
  const after = await run(passes, query);
  assert.equal(after.passes, 3);
  assert.equal(after.data.operations[0].id, 'aaa_passes');
});

test('a mutation\'s answer is executed in passes too', async () => {
  const before = await passCount(passes);
  const m = await passes.gql(`mutation { stationCreate(input: { station: { id: "st_passes", name: "S",
    processIds: [] } }) }`);
  assert.equal(m.errors, undefined, JSON.stringify(m.errors));
  assert.ok((await passCount(passes)) - before >= 1);
  const s = await run(passes, '{ stations(where: { id: { _eq: "st_passes" } }) { id name } }');
  assert.deepEqual(s.data.stations, [{ id: 'st_passes', name: 'S' }]);
  assert.equal(s.passes, 2);
});
