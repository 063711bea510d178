// Step 1's domain against a real `mesd serve --demo` over GraphQL over HTTP:
// the demo factory, the queries with `where` (every operator, nesting, the
// null refusal), limit and offset, the Time scalar, the three deploy
// mutations with their id rules, and the roles that may use them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { createToken } from './lib/ws.mjs';

const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
let srv;
let erp;
let operator;

before(async () => {
  srv = await startServer({ demo: true });
  erp = await createToken(srv, 'erp');
  operator = await createToken(srv, 'operator');
});
after(async () => { await srv?.stop(); });

const ids = (rows) => rows.map((r) => r.id);

test('the demo factory: two products (one with a subassembly), five processes, three stations', async () => {
  const { data, errors } = await srv.gql(`{
    products: operations(where: { kind: { _eq: PRODUCT } }) {
      id externalId externalRevision name producesSerial updatedAt
      consumedSerials { id name externalId }
      subOperations { position sub { id kind } }
    }
    processes: operations(where: { kind: { _eq: PROCESS } }) { id steps { name actions { description } } consumedSerials { id } }
    stations { id name processes { id } }
  }`);
  assert.equal(errors, undefined);
  assert.deepEqual(ids(data.products), ['prod_101', 'prod_205']);
  const scanner = data.products[0];
  assert.equal(scanner.externalId, 'PROD-101');
  assert.equal(scanner.externalRevision, 'A');
  assert.equal(scanner.name, 'Handheld scanner');
  assert.equal(scanner.producesSerial, true);
  assert.match(scanner.updatedAt, TIME);
  assert.equal(scanner.subOperations[0].sub.kind, 'SUBASSEMBLY');
  assert.deepEqual(ids(scanner.consumedSerials),
    ['main_board_sn', 'scan_engine_sn', 'battery_pack_sn', 'trigger_board_sn']);
  assert.equal(data.processes.length, 5);
  for (const p of data.processes) {
    assert.ok(p.steps.length > 0 && p.steps.every((s) => s.actions.length > 0), p.id);
    assert.ok(p.consumedSerials.length > 0, p.id);
  }
  assert.equal(data.stations.length, 3);
});

test('where: comparisons, _and/_or/_not, nested objects, variables', async () => {
  const q = async (where, variables) => {
    const body = await srv.gql(`query($w: Operation_bool_exp) { operations(where: $w) { id } }`, { w: where, ...variables });
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    return ids(body.data.operations);
  };
  assert.deepEqual(await q({ id: { _eq: 'PROD_101' } }), ['prod_101']);   // ids are lower-cased
  assert.deepEqual(await q({ externalId: { _like: 'PROD-%' } }), ['prod_101', 'prod_205']);
  assert.deepEqual(await q({ kind: { _in: ['SUBASSEMBLY'] } }), ['sub_scanner_core']);
  assert.deepEqual(await q({ kind: { _eq: 'PROCESS' }, producesSerial: { _eq: true } }),
    ['cradle_assembly', 'scanner_final_assembly']);
  assert.deepEqual(await q({ _or: [{ externalRevision: { _eq: 'B' } }, { externalId: { _gte: 'PRC-900' }, kind: { _eq: 'PROCESS' } }] }),
    ['cradle_assembly', 'label_and_pack', 'prod_205']);
  assert.deepEqual(await q({ _not: { kind: { _nin: ['PRODUCT'] } } }), ['prod_101', 'prod_205']);
  assert.deepEqual(await q({ updatedAt: { _lt: '2000-01-01T00:00:00Z' } }), []);
  assert.deepEqual(await q({ archivedAt: { _is_null: true }, id: { _in: ['label_and_pack'] } }), ['label_and_pack']);
  const subs = await srv.gql(`{ subOperations(where: { parent: { externalId: { _eq: "PROD-205" } }, optional: { _eq: true } }) { subId position } }`);
  assert.deepEqual(subs.data.subOperations, [{ subId: 'label_and_pack', position: 1 }]);
  // Pico's example, as written
  const pico = await srv.gql('{ operations(where: { id: { _eq: "prod-123" } }) { id } }');
  assert.deepEqual(pico, { data: { operations: [] } });
});

test('where: a comparison with null is BAD_INPUT; a bad Time is a coercion error', async () => {
  const body = await srv.gql('{ operations(where: { name: { _eq: null } }) { id } }');
  assert.equal(body.data, null);
  assert.equal(body.errors[0].extensions.code, 'BAD_INPUT');
  assert.match(body.errors[0].message, /only _is_null tests for null/);
  const time = await srv.gql('{ operations(where: { updatedAt: { _gt: "last tuesday" } }) { id } }');
  assert.equal(time.data, undefined);
  assert.match(time.errors[0].message, /^Expected value of type "Time", found "last tuesday"; Time cannot represent value/);
});

test('limit and offset', async () => {
  const page = await srv.gql('{ operations(limit: 2, offset: 3) { id } }');
  assert.deepEqual(ids(page.data.operations), ['prod_101', 'prod_205']);
  const capped = await srv.gql('{ stations(limit: 1000000) { id } }');
  assert.equal(capped.data.stations.length, 3);
  const neg = await srv.gql('{ subOperations(offset: -1) { subId } }');
  assert.equal(neg.errors[0].extensions.code, 'BAD_INPUT');
  assert.equal(neg.errors[0].message, '"offset" must not be negative (got -1).');
});

test('deploys: create, update, ids lower-cased, answered with the id', async () => {
  const create = await srv.gql(`mutation($p: ProcessInput!) { processCreate(input: { process: $p }) }`, {
    p: {
      id: 'Screen_Protector', name: 'Screen protector', partNumber: 'PRC-300', producesSerial: false,
      consumedSerials: [{ id: 'film_lot', name: 'Film lot', partNumber: 'FLM-1' }],
      steps: [{ id: 'apply', name: 'Apply', instructionText: { text: 'Peel, align, press.' },
        actions: [{ id: 'no_bubbles', description: { text: 'No bubbles' } }] }],
    },
  });
  assert.deepEqual(create, { data: { processCreate: 'screen_protector' } });
  const both = await srv.gql(`mutation {
    kit: productCreate(input: { product: { id: "SCANNER_KIT", name: "Scanner kit", partNumber: "KIT-1", components: [
      { operationId: "prod_101" }, { operationId: "screen_protector", group: "extras", optional: true }] } })
    st: stationCreate(input: { station: { id: "Bench_3", name: "Bench 3", processIds: ["SCREEN_PROTECTOR"] } })
  }`);
  assert.deepEqual(both, { data: { kit: 'scanner_kit', st: 'bench_3' } });
  const read = await srv.gql(`{ operation(id: "scanner_kit") { kind seq consumedSerials { id }
    subOperations { subId subGroup optional sub { steps { instructionText actions { description } } } } }
    stations(where: { id: { _eq: "bench_3" } }) { processes { id } } }`);
  assert.equal(read.data.operation.kind, 'PRODUCT');
  assert.deepEqual(ids(read.data.operation.consumedSerials),
    ['main_board_sn', 'scan_engine_sn', 'battery_pack_sn', 'trigger_board_sn', 'film_lot']);
  assert.deepEqual(read.data.operation.subOperations[1],
    { subId: 'screen_protector', subGroup: 'extras', optional: true,
      sub: { steps: [{ instructionText: 'Peel, align, press.', actions: [{ description: 'No bubbles' }] }] } });
  assert.deepEqual(read.data.stations, [{ processes: [{ id: 'screen_protector' }] }]);
  // the same deploy again changes nothing: same seq
  const again = await srv.gql(`mutation { productCreate(input: { product: { id: "scanner_kit", name: "Scanner kit", partNumber: "KIT-1",
    components: [{ operationId: "prod_101" }, { operationId: "screen_protector", group: "extras", optional: true }] } }) }`);
  assert.deepEqual(again, { data: { productCreate: 'scanner_kit' } });
  const reread = await srv.gql('{ operation(id: "scanner_kit") { seq } }');
  assert.equal(reread.data.operation.seq, read.data.operation.seq);
});

test('deploys: bad ids, a PROCESS product, a self-containing product, an unknown component', async () => {
  const cases = [
    ['mutation { stationCreate(input: { station: { id: "b3", name: "x" } }) }', 'BAD_INPUT', /^Invalid station id "b3"/],
    ['mutation { processCreate(input: { process: { id: "with space", name: "x" } }) }', 'BAD_INPUT', /^Invalid process id/],
    ['mutation { productCreate(input: { product: { id: "kit_x", name: "x", kind: PROCESS, components: [] } }) }', 'BAD_INPUT',
      /kind is PRODUCT or SUBASSEMBLY/],
    ['mutation { productCreate(input: { product: { id: "sub_scanner_core", name: "x", kind: SUBASSEMBLY, components: [{ operationId: "prod_101" }] } }) }',
      'BAD_INPUT', /contain itself/],
    ['mutation { productCreate(input: { product: { id: "prod_101", name: "x", components: [{ operationId: "PROD_101" }] } }) }',
      'BAD_INPUT', /cannot contain itself/],
    ['mutation { productCreate(input: { product: { id: "kit_y", name: "x", components: [{ operationId: "ghost_part" }] } }) }',
      'NOT_FOUND', /ghost_part/],
  ];
  for (const [query, code, message] of cases) {
    const body = await srv.gql(query);
    assert.equal(body.errors?.[0]?.extensions?.code, code, query);
    assert.match(body.errors[0].message, message, query);
    assert.deepEqual(Object.values(body.data), [null]);
  }
  const untouched = await srv.gql('{ operation(id: "sub_scanner_core") { name subOperations { subId } } }');
  assert.deepEqual(untouched.data.operation,
    { name: 'Scanner core module', subOperations: [{ subId: 'scanner_board_assembly' }, { subId: 'battery_pack_install' }] });
});

test('roles: only admin deploys; every role reads', async () => {
  for (const [token, role] of [[erp, 'erp'], [operator, 'operator']]) {
    const body = await srv.gql('mutation { stationCreate(input: { station: { id: "bench_9", name: "x" } }) }', undefined, token);
    assert.deepEqual(body.errors.map((e) => [e.message, e.extensions.code]),
      [[`Forbidden: the ${role} role may not use Mutation.stationCreate.`, 'FORBIDDEN']]);
    assert.deepEqual(body.data, { stationCreate: null });
    const read = await srv.gql('{ stations(where: { id: { _eq: "bench_1" } }) { id } }', undefined, token);
    assert.deepEqual(read, { data: { stations: [{ id: 'bench_1' }] } });
  }
});
