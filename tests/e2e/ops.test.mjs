// Step 1 of the integration guide over HTTP: deploying processes, products
// and stations, then `operations`, `subOperations` and `stations` with
// where, limit and offset; the guide's `ops` subscription text sent verbatim
// (with its stray colon) gets graphql-js's syntax error at the same line and
// column; the demo factory is there with --demo.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { startServer } from './lib/server.mjs';

// The guide's text, verbatim (../shared/seed/work-order-integration.txt,
// "Subscribe to changes to deployed operations and suboperations").
const OPS = `subscription ops {
operationsStream {
partNo: externalId
name
consumedSerials: {
id
name
partNo: externalId
}
updatedAt
}
}`;
const guidePath = new URL('../../../shared/seed/work-order-integration.txt', import.meta.url);

let srv;
before(async () => {
  srv = await startServer();
  const q = async (query) => {
    const r = await srv.gql(query);
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    return r.data;
  };
  await q(`mutation {
    a: processCreate(input: { process: { id: "weld", name: "Weld", partNumber: "P-WELD", revision: "A",
         consumedSerials: [{ id: "frame_sn", name: "Frame", partNumber: "FRAME-1" }],
         steps: [{ id: "s1", name: "Clamp", instructionText: { text: "Clamp it" }, actions: [{ id: "a1", description: { text: "press" } }] }] } })
    b: processCreate(input: { process: { id: "paint", name: "Paint", partNumber: "P-PAINT" } })
    c: processCreate(input: { process: { id: "test_run", name: "Test", partNumber: "P-TEST", producesSerial: true } })
  }`);
  await q(`mutation {
    productCreate(input: { product: { id: "prod_101", name: "Cart", partNumber: "PROD-101", revision: "B",
      components: [{ operationId: "weld" }, { operationId: "paint", group: "g" }, { operationId: "test_run", group: "g", optional: true }] } })
  }`);
  await q(`mutation {
    s1: stationCreate(input: { station: { id: "st_a", name: "Station A", processIds: ["weld", "paint"] } })
    s2: stationCreate(input: { station: { id: "st_b", name: "Station B", processIds: ["test_run"] } })
  }`);
});
after(async () => { await srv?.stop(); });

async function data(query, variables) {
  const r = await srv.gql(query, variables);
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data;
}

test('operations: all, where, limit, offset, ordered by id', async () => {
  let d = await data('{ operations { id kind externalId } }');
  assert.deepEqual(d.operations.map((o) => o.id), ['paint', 'prod_101', 'test_run', 'weld']);
  d = await data('{ operations(where: { kind: { _eq: PRODUCT } }) { id externalId externalRevision } }');
  assert.deepEqual(d.operations, [{ id: 'prod_101', externalId: 'PROD-101', externalRevision: 'B' }]);
  d = await data('{ operations(where: { externalId: { _like: "P-%" } }, limit: 2, offset: 1) { id } }');
  assert.deepEqual(d.operations.map((o) => o.id), ['test_run', 'weld']);
  d = await data('{ operations(where: { _or: [{ id: { _eq: "weld" } }, { id: { _eq: "paint" } }] }) { id } }');
  assert.deepEqual(d.operations.map((o) => o.id), ['paint', 'weld']);
  d = await data('{ operations(where: { _not: { kind: { _eq: PROCESS } } }) { id } }');
  assert.deepEqual(d.operations.map((o) => o.id), ['prod_101']);
  d = await data('query ($ids: [ID!]) { operations(where: { id: { _in: $ids } }) { id } }', { ids: ['weld', 'nope'] });
  assert.deepEqual(d.operations.map((o) => o.id), ['weld']);
});

test('a product: consumedSerials of its tree, subOperations in routing order, steps', async () => {
  const d = await data(`{ operation(id: "PROD_101") { id name kind producesSerial
      consumedSerials { id name externalId }
      subOperations { subId subGroup position optional sub { id name } } } }`);
  assert.equal(d.operation.id, 'prod_101');
  assert.equal(d.operation.kind, 'PRODUCT');
  assert.deepEqual(d.operation.consumedSerials, [{ id: 'frame_sn', name: 'Frame', externalId: 'FRAME-1' }]);
  assert.deepEqual(d.operation.subOperations.map((s) => [s.subId, s.subGroup, s.position, s.optional]),
    [['weld', null, 0, false], ['paint', 'g', 1, false], ['test_run', 'g', 2, true]]);
  const w = await data('{ operation(id: "weld") { steps { id name instructionText actions { id description } } } }');
  assert.deepEqual(w.operation.steps, [{ id: 's1', name: 'Clamp', instructionText: 'Clamp it', actions: [{ id: 'a1', description: 'press' }] }]);
});

test('subOperations and stations with where, limit, offset', async () => {
  let d = await data('{ subOperations(where: { parentId: { _eq: "prod_101" }, optional: { _eq: true } }) { subId } }');
  assert.deepEqual(d.subOperations, [{ subId: 'test_run' }]);
  d = await data('{ subOperations(limit: 1, offset: 1) { subId position } }');
  assert.deepEqual(d.subOperations, [{ subId: 'paint', position: 1 }]);
  d = await data('{ stations { id name processes { id } } }');
  assert.deepEqual(d.stations.map((s) => [s.id, s.name, s.processes.map((p) => p.id).sort()]),
    [['st_a', 'Station A', ['paint', 'weld']], ['st_b', 'Station B', ['test_run']]]);
});

test('a comparison with null (not _is_null) is an input error', async () => {
  const r = await srv.gql('{ operations(where: { id: { _eq: null } }) { id } }');
  assert.ok(r.errors?.length >= 1);
});

test("the guide's ops subscription, verbatim, gets graphql-js's syntax error", async () => {
  const text = OPS;
  if (existsSync(guidePath)) assert.ok(readFileSync(guidePath, 'utf8').includes(`${OPS}\nsubscription subOps {`));
  let expected;
  try { parse(text); } catch (e) { expected = e; }
  assert.ok(expected, 'graphql-js refuses the text');
  const r = await srv.post({ query: text }, { headers: { accept: 'application/graphql-response+json' } });
  assert.equal(r.status, 400);
  assert.deepEqual(r.json.errors, [{ message: expected.message, locations: expected.locations }]);
  assert.match(r.json.errors[0].message, /^Syntax Error: Expected Name, found "\{"\.$/);
  // without the stray colon it is a valid subscription (not for plain HTTP)
  const fixed = text.replace('consumedSerials: {', 'consumedSerials {');
  parse(fixed);
  const ok = await srv.post({ query: fixed }, { headers: { accept: 'application/graphql-response+json' } });
  assert.match(ok.json.errors[0].message, /event-stream|WebSocket/);
});

test('--demo loads a believable factory once', async () => {
  const demo = await startServer({ demo: true });
  try {
    const d = (await demo.gql(`{ operations { id kind subOperations { subId } steps { id actions { id } } consumedSerials { id } }
      stations { id processes { id } } }`)).data;
    const products = d.operations.filter((o) => o.kind === 'PRODUCT');
    const subs = d.operations.filter((o) => o.kind === 'SUBASSEMBLY');
    const procs = d.operations.filter((o) => o.kind === 'PROCESS');
    assert.ok(products.length >= 2, 'two products');
    assert.ok(subs.length >= 1, 'a subassembly');
    assert.ok(products.some((p) => p.subOperations.some((s) => subs.some((x) => x.id === s.subId))), 'a product with a subassembly');
    assert.ok(procs.length >= 5, 'five processes');
    assert.ok(procs.every((p) => p.steps.length > 0), 'processes have steps');
    assert.ok(procs.some((p) => p.steps.some((s) => s.actions.length > 0)), 'steps have actions');
    assert.ok(procs.some((p) => p.consumedSerials.length > 0), 'consumed-serial attributes');
    assert.ok(d.stations.length >= 3, 'three stations');
  } finally {
    await demo.stop();
  }
});
