// The integration guide (work-order-integration.txt) played end to end with
// the real graphql-ws client, as an ERP would run it against a real
// `mesd serve`:
//   1. an admin deploys PROD-101 revision A (a subassembly and processes);
//      the ERP's `ops` (without the guide's stray colon) and `subOps`
//      subscriptions receive them;
//   2. the guide's `saveOperation` mutation, verbatim, with
//      {"opId": <the product id>, "order": "SALES-123"}: "created", then
//      "updated";
//   3. the guide's `NewOpCompletions` subscription, verbatim: operators build
//      every work order through the API (workOrders, workOrderStart,
//      workOrderComplete with station-bound operator tokens) and the ERP
//      receives each child's completion, then the root's, with the produced
//      serial, the consumed serials and the guide's aliased names.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { createClient as sseClient } from 'graphql-sse';
import {
  createToken, wsClient, wsRequest, wsSubscription, graphqlJsErrors, legacyClient, legacySubscription, within,
} from './lib/ws.mjs';
import { TIME, ok, stationToken, START, COMPLETE } from './lib/mes.mjs';

// The guide's texts, verbatim (the ops one without its stray colon).
const OPS = `subscription ops {
operationsStream {
partNo: externalId
name
consumedSerials {
id
name
partNo: externalId
}
updatedAt
}
}`;
const SUB_OPS = `subscription subOps {
subOperationsStream {
parentId
subId
updatedAt
}
}`;
const SAVE_OPERATION = `mutation saveOperation($opId: String!, $order: String!) {
operationOrderSave(input: {operationId: $opId, externalOrderId: $order}) {
message
}
}`;
const NEW_OP_COMPLETIONS = `subscription NewOpCompletions {
operationOrderCompletesStream {
order: externalOrderId
operation {
id
partNo: externalId
name
}
operationSummary {
endState {
producedSerial
at
}
consumedSerials {
id
partNo: externalId
serial: value
}
}
}
}`;

// The factory of the guide's example: PROD-101 rev A = the scanner core
// subassembly (board and battery, one group) then the final assembly, which
// produces the scanner's serial.
const PROCESSES = [
  { id: 'board_assembly', name: 'Main board assembly', partNumber: 'PRC-110-1',
    consumedSerials: [{ id: 'main_board_sn', name: 'Main board serial', partNumber: 'PCB-4410' },
      { id: 'scan_engine_sn', name: 'Scan engine serial', partNumber: 'SE-4710' }] },
  { id: 'battery_install', name: 'Battery pack install', partNumber: 'PRC-110-2',
    consumedSerials: [{ id: 'battery_pack_sn', name: 'Battery pack serial', partNumber: 'BAT-3400' }] },
  { id: 'final_assembly', name: 'Final assembly and test', partNumber: 'PRC-101-3', producesSerial: true,
    consumedSerials: [{ id: 'trigger_board_sn', name: 'Trigger board serial', partNumber: 'TRG-120' }] },
];
const SUB = { id: 'scanner_core', name: 'Scanner core module', partNumber: 'SUB-110', revision: 'A', kind: 'SUBASSEMBLY',
  components: [{ operationId: 'board_assembly', group: 'core' }, { operationId: 'battery_install', group: 'core' }] };
const PRODUCT = { id: 'prod_101', name: 'Handheld scanner', partNumber: 'PROD-101', revision: 'A', kind: 'PRODUCT',
  components: [{ operationId: 'scanner_core' }, { operationId: 'final_assembly' }] };
const serialsOf = (ids) => PROCESSES.flatMap((p) => p.consumedSerials).filter((s) => ids.includes(s.id))
  .map((s) => ({ id: s.id, name: s.name, partNo: s.partNumber }));

let srv;
let erp;
before(async () => {
  srv = await startServer();
  erp = await createToken(srv, 'erp');
});
after(async () => { await srv?.stop(); });

test('the guide`s texts are valid against the API`s schema', () => {
  for (const q of [OPS, SUB_OPS, SAVE_OPERATION, NEW_OP_COMPLETIONS]) assert.deepEqual(graphqlJsErrors(q), []);
});

test('the guide, end to end: deploy, sync, order SALES-123, build it, receive the completions', async () => {
  const client = wsClient(srv, { token: erp });
  try {
    // ---- step 1: the ERP follows operations and their structure
    const ops = wsSubscription(client, { query: OPS });
    const subOps = wsSubscription(client, { query: SUB_OPS });
    // ---- step 3's subscription is opened before anything is ordered
    const completions = wsSubscription(client, { query: NEW_OP_COMPLETIONS });
    await wsRequest(client, '{ __typename }'); // all three are live once this is answered

    for (const process of PROCESSES) {
      await ok(srv, 'mutation ($input: ProcessCreateInput!) { processCreate(input: $input) }',
        { input: { process: { revision: 'A', ...process } } });
    }
    for (const product of [SUB, PRODUCT]) {
      await ok(srv, 'mutation ($input: ProductCreateInput!) { productCreate(input: $input) }', { input: { product } });
    }
    await ok(srv, `mutation {
      a: stationCreate(input: { station: { id: "bench_1", name: "Bench 1", processIds: ["board_assembly", "battery_install"] } })
      b: stationCreate(input: { station: { id: "bench_2", name: "Bench 2", processIds: ["final_assembly"] } }) }`);

    const expectOps = [
      ['PRC-110-1', 'Main board assembly', ['main_board_sn', 'scan_engine_sn']],
      ['PRC-110-2', 'Battery pack install', ['battery_pack_sn']],
      ['PRC-101-3', 'Final assembly and test', ['trigger_board_sn']],
      ['SUB-110', 'Scanner core module', ['main_board_sn', 'scan_engine_sn', 'battery_pack_sn']],
      ['PROD-101', 'Handheld scanner', ['main_board_sn', 'scan_engine_sn', 'battery_pack_sn', 'trigger_board_sn']],
    ];
    for (const [partNo, name, serials] of expectOps) {
      const o = (await ops.next()).data.operationsStream;
      assert.deepEqual(Object.keys(o), ['partNo', 'name', 'consumedSerials', 'updatedAt']);
      assert.deepEqual({ ...o, updatedAt: null }, { partNo, name, consumedSerials: serialsOf(serials), updatedAt: null });
      assert.match(o.updatedAt, TIME);
    }
    assert.deepEqual(await ops.drain(100), [], 'one event per deployed operation');
    const links = [];
    for (let i = 0; i < 4; i++) {
      const l = (await subOps.next()).data.subOperationsStream;
      assert.deepEqual(Object.keys(l), ['parentId', 'subId', 'updatedAt']);
      assert.match(l.updatedAt, TIME);
      links.push([l.parentId, l.subId]);
    }
    assert.deepEqual(links, [['scanner_core', 'board_assembly'], ['scanner_core', 'battery_install'],
      ['prod_101', 'scanner_core'], ['prod_101', 'final_assembly']]);

    // ---- step 2: the guide's mutation, with the product's id
    const { operations: [product] } = await ok(srv,
      '{ operations(where: { externalId: { _eq: "PROD-101" } }) { id externalRevision } }', undefined, erp);
    assert.deepEqual(product, { id: 'prod_101', externalRevision: 'A' });
    const variables = { opId: product.id, order: 'SALES-123' };
    assert.deepEqual(await wsRequest(client, SAVE_OPERATION, variables), { data: { operationOrderSave: { message: 'created' } } });
    assert.deepEqual(await wsRequest(client, SAVE_OPERATION, variables), { data: { operationOrderSave: { message: 'updated' } } });

    // ---- the shop floor: operators at their benches, with station-bound tokens
    const bench = { bench_1: await stationToken(srv, 'bench_1'), bench_2: await stationToken(srv, 'bench_2') };
    const values = {
      main_board_sn: 'PCB-0001', scan_engine_sn: 'SE-0001', battery_pack_sn: 'BAT-0001', trigger_board_sn: 'TRG-0001',
    };
    const build = async (stationId, operatorName, producedSerial) => {
      const token = bench[stationId];
      const { workOrders } = await ok(srv, `query ($s: ID) { workOrders(stationId: $s) { id externalOrderId status
        operation { id consumedSerials { id } producesSerial } } }`, { s: stationId }, token);
      const mine = workOrders.filter((w) => w.externalOrderId === 'SALES-123');
      for (const w of mine) {
        assert.equal(w.status, 'READY');
        await ok(srv, START, { input: { operationOrderId: w.id, stationId, operatorName } }, token);
        const consumedSerials = w.operation.consumedSerials.map((a) => ({ attributeId: a.id, value: values[a.id] }));
        const input = { operationOrderId: w.id, consumedSerials };
        if (w.operation.producesSerial) input.producedSerial = producedSerial;
        const { workOrderComplete } = await ok(srv, COMPLETE, { input }, token);
        assert.equal(workOrderComplete.status, 'COMPLETED');
      }
      return mine.map((w) => w.operation.id);
    };
    assert.deepEqual(await build('bench_1', 'Ada Lovelace'), ['board_assembly', 'battery_install']);
    assert.deepEqual(await build('bench_2', 'Grace Hopper', 'SCN-000123'), ['final_assembly']);

    // ---- step 3: each child's completion, then the root's, as the guide's query names them
    const consumed = (ids) => serialsOf(ids).map((s) => ({ id: s.id, partNo: s.partNo, serial: values[s.id] }));
    const expected = [
      ['board_assembly', 'PRC-110-1', 'Main board assembly', null, ['main_board_sn', 'scan_engine_sn']],
      ['battery_install', 'PRC-110-2', 'Battery pack install', null, ['battery_pack_sn']],
      ['scanner_core', 'SUB-110', 'Scanner core module', null, ['main_board_sn', 'scan_engine_sn', 'battery_pack_sn']],
      ['final_assembly', 'PRC-101-3', 'Final assembly and test', 'SCN-000123', ['trigger_board_sn']],
      ['prod_101', 'PROD-101', 'Handheld scanner', 'SCN-000123',
        ['main_board_sn', 'scan_engine_sn', 'battery_pack_sn', 'trigger_board_sn']],
    ];
    const byId = (a, b) => (a.id < b.id ? -1 : 1);
    for (const [id, partNo, name, producedSerial, serials] of expected) {
      const c = (await completions.next()).data.operationOrderCompletesStream;
      assert.deepEqual(Object.keys(c), ['order', 'operation', 'operationSummary']);
      assert.deepEqual(Object.keys(c.operationSummary), ['endState', 'consumedSerials']);
      assert.deepEqual(Object.keys(c.operationSummary.endState), ['producedSerial', 'at']);
      assert.match(c.operationSummary.endState.at, TIME);
      for (const s of c.operationSummary.consumedSerials) assert.deepEqual(Object.keys(s), ['id', 'partNo', 'serial']);
      assert.deepEqual({
        ...c,
        operationSummary: { endState: { ...c.operationSummary.endState, at: null },
          consumedSerials: [...c.operationSummary.consumedSerials].sort(byId) },
      }, {
        order: 'SALES-123',
        operation: { id, partNo, name },
        operationSummary: { endState: { producedSerial, at: null }, consumedSerials: consumed(serials).sort(byId) },
      }, `the completion of ${id}`);
    }
    assert.deepEqual(await completions.drain(200), [], 'one completion per order');
    // the children were the wip ones
    const { operationOrderCompletes } = await ok(srv,
      '{ operationOrderCompletes(where: { externalOrderId: { _eq: "SALES-123" } }) { wip operation { id } } }', undefined, erp);
    assert.deepEqual(operationOrderCompletes.map((c) => [c.operation.id, c.wip]), expected.map(([id], i) => [id, i < 4]));
    const { operationOrders } = await ok(srv, '{ operationOrders(where: { externalOrderId: { _eq: "SALES-123" } }) { status } }',
      undefined, erp);
    assert.deepEqual(operationOrders.map((o) => o.status), Array(5).fill('COMPLETED'));
    ops.dispose();
    subOps.dispose();
    completions.dispose();
  } finally {
    await client.dispose();
  }
});

test('NewOpCompletions also over server-sent events (graphql-sse) and the legacy protocol', async () => {
  // The guide's subscription, verbatim, on the two other ways Pico documents
  // real time: each receives the completion the query then reads.
  const sse = sseClient({ url: `${srv.url}/graphql`, headers: { 'x-pico-api-org': erp }, retryAttempts: 0 });
  const legacy = legacyClient(srv, { token: erp });
  try {
    const sseEvent = new Promise((resolve, reject) => {
      sse.subscribe({ query: NEW_OP_COMPLETIONS }, { next: resolve, error: reject, complete: () => {} });
    });
    const old = legacySubscription(legacy, { query: NEW_OP_COMPLETIONS });
    const sync = legacySubscription(legacy, { query: '{ __typename }' });
    assert.deepEqual((await sync.take()).value, { data: { __typename: 'Query' } });
    await new Promise((r) => setTimeout(r, 300)); // the SSE request is in
    const saved = await ok(srv, 'mutation { operationOrderSave(input: { operationId: "final_assembly", externalOrderId: "SALES-124", '
      + 'reservedSerialNumber: "SCN-000124" }) { operationOrder { id } } }', undefined, erp);
    const id = saved.operationOrderSave.operationOrder.id;
    await ok(srv, COMPLETE, { input: { operationOrderId: id, stationId: 'bench_2', operatorName: 'Grace Hopper',
      consumedSerials: [{ attributeId: 'trigger_board_sn', value: 'TRG-0124' }] } }, await stationToken(srv, 'bench_2'));
    // the query with the subscription's own selection set (its text between
    // the stream field and the operation's closing brace)
    const body = NEW_OP_COMPLETIONS.slice(NEW_OP_COMPLETIONS.indexOf('{', NEW_OP_COMPLETIONS.indexOf('operationOrderCompletesStream')));
    const selection = body.slice(0, body.lastIndexOf('}'));
    const { operationOrderCompletes: [read] } = await ok(srv,
      `{ operationOrderCompletes(where: { externalOrderId: { _eq: "SALES-124" } }) ${selection} }`, undefined, erp);
    assert.equal(read.operationSummary.endState.producedSerial, 'SCN-000124');
    assert.deepEqual(read.operationSummary.consumedSerials, [{ id: 'trigger_board_sn', partNo: 'TRG-120', serial: 'TRG-0124' }]);
    const viaSse = await within(sseEvent, 5000, 'the SSE event');
    assert.deepEqual(viaSse, { data: { operationOrderCompletesStream: read } });
    assert.deepEqual((await old.take()).value, { data: { operationOrderCompletesStream: read } });
    old.unsubscribe();
  } finally {
    sse.dispose();
    legacy.close();
  }
});

test('the server stops cleanly', async () => {
  assert.deepEqual(await srv.stop(), { code: 0, signal: null });
});
