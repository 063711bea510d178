// Helpers for the e2e tests of orders, the shop floor and completions
// (issue 4): deploy a small test factory under unique ids, save orders, read
// them back, and walk an order's waterfall through the API the way
// operators would (workOrders, workOrderStart, workOrderComplete).
//
// Everything goes through the public API over HTTP with a real token; these
// helpers never read the database. They throw on an unexpected GraphQL
// error so that a test reads as the flow it checks.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { uid } from './ws.mjs';
import { mesdBin } from './server.mjs';

export const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

// The data of a request that must succeed.
export async function ok(srv, query, variables, token = srv.adminToken) {
  const body = await srv.gql(query, variables, token);
  if (body.errors) throw new Error(`unexpected errors: ${JSON.stringify(body.errors)}\nfor ${query}`);
  return body.data;
}

// The body of a request that must fail with one error of this code at this
// root field; returns the body for further checks.
export async function refused(srv, code, query, variables, token = srv.adminToken) {
  const body = await srv.gql(query, variables, token);
  assert.ok(body.errors?.length, `expected ${code}, got ${JSON.stringify(body)}`);
  assert.equal(body.errors[0].extensions?.code, code, JSON.stringify(body.errors));
  assert.equal(typeof body.errors[0].message, 'string');
  return body;
}

export const ORDER = `id externalOrderId secondaryExternalOrderId orderIndex status reservedSerialNumber
  operation { id kind } parent { id } station { id } operator { name }
  createdAt updatedAt startedAt completedAt`;

export const SAVE = `mutation ($input: OperationOrderSaveInput!) {
  operationOrderSave(input: $input) { message operationOrder { ${ORDER} } } }`;
export const CANCEL = `mutation ($input: OperationOrderCancelInput!) {
  operationOrderCancel(input: $input) { message canceledCount } }`;
export const START = `mutation ($input: WorkOrderStartInput!) { workOrderStart(input: $input) { ${ORDER} } }`;
export const COMPLETE = `mutation ($input: WorkOrderCompleteInput!) { workOrderComplete(input: $input) { ${ORDER} } }`;
export const COMPLETION = `seq externalOrderId secondaryExternalOrderId orderIndex wip at reservedSerialNumber
  operation { id externalId }
  operationSummary { startedAt cycleTime consumedSerials { id name externalId value }
    endState { producedSerial at station { id name } operator { name } } }
  endState { producedSerial at station { id name } operator { name } }`;

// A test factory under a fresh prefix (ids match ^[a-z0-9_]{3,50}$):
//   board   consumes a board and an engine serial         at st1
//   battery consumes a battery serial                      at st1
//   final   consumes a trigger serial, produces a serial   at st2
//   pack    consumes a carton serial                       at st3
//   solo    no serial at all                               at st3 and stx
//   core    subassembly: board and battery, one group ("core")
//   prod    product: core, final, then pack (optional)
//   kit     product: pack (optional), then solo
export async function deployFactory(srv, { productPartNumber, productRevision = 'A', bigName } = {}) {
  const p = uid('f').replace(/[^a-z0-9_]/g, '');
  const P = p.toUpperCase();
  const f = {
    p,
    board: `${p}_board`, battery: `${p}_battery`, final: `${p}_final`, pack: `${p}_pack`, solo: `${p}_solo`,
    core: `${p}_core`, prod: `${p}_prod`, kit: `${p}_kit`,
    st1: `${p}_st1`, st2: `${p}_st2`, st3: `${p}_st3`, stx: `${p}_stx`,
  };
  // attribute id -> its component part number, per process
  f.attrs = {
    [f.board]: [[`${p}_board_sn`, `PCB-${P}`], [`${p}_engine_sn`, `SE-${P}`]],
    [f.battery]: [[`${p}_battery_sn`, `BAT-${P}`]],
    [f.final]: [[`${p}_trigger_sn`, `TRG-${P}`]],
    [f.pack]: [[`${p}_carton_sn`, `CTN-${P}`]],
    [f.solo]: [],
  };
  f.partNumbers = {
    [f.board]: `PRC-${P}-1`, [f.battery]: `PRC-${P}-2`, [f.final]: `PRC-${P}-3`, [f.pack]: `PRC-${P}-9`,
    [f.solo]: `PRC-${P}-S`, [f.core]: `SUB-${P}`, [f.prod]: productPartNumber ?? `PROD-${P}`, [f.kit]: `KIT-${P}`,
  };
  f.names = {
    [f.board]: 'Main board assembly', [f.battery]: 'Battery install', [f.final]: 'Final assembly and test',
    [f.pack]: 'Pack', [f.solo]: bigName ?? 'Solo process', [f.core]: 'Core module', [f.prod]: 'Test scanner',
    [f.kit]: 'Kit',
  };
  f.produces = { [f.final]: true };
  f.stationOf = { [f.board]: f.st1, [f.battery]: f.st1, [f.final]: f.st2, [f.pack]: f.st3, [f.solo]: f.st3 };
  // the five processes in one mutation (aliased root fields)
  const vars = {};
  [f.board, f.battery, f.final, f.pack, f.solo].forEach((id, i) => {
    vars[`p${i}`] = {
      process: {
        id, name: f.names[id], partNumber: f.partNumbers[id], revision: 'A', producesSerial: !!f.produces[id],
        consumedSerials: f.attrs[id].map(([aid, part]) => ({ id: aid, name: `${aid} name`, partNumber: part })),
        steps: [{ id: `${id}_step`, name: 'Do it', instructionText: { text: 'Carefully.' },
          actions: [{ id: `${id}_act`, description: { text: 'Scan.' } }] }],
      },
    };
  });
  const decl = Object.keys(vars).map((k) => `$${k}: ProcessCreateInput!`).join(', ');
  const fields = Object.keys(vars).map((k) => `${k}: processCreate(input: $${k})`).join(' ');
  await ok(srv, `mutation (${decl}) { ${fields} }`, vars);
  const product = (id, kind, components, revision = 'A') => ok(srv,
    'mutation ($input: ProductCreateInput!) { productCreate(input: $input) }',
    { input: { product: { id, name: f.names[id], partNumber: f.partNumbers[id], revision, kind, components } } });
  await product(f.core, 'SUBASSEMBLY', [{ operationId: f.board, group: 'core' }, { operationId: f.battery, group: 'core' }]);
  await product(f.prod, 'PRODUCT',
    [{ operationId: f.core }, { operationId: f.final }, { operationId: f.pack, optional: true }], productRevision);
  await product(f.kit, 'PRODUCT', [{ operationId: f.pack, optional: true }, { operationId: f.solo }]);
  const station = (id, processIds) => ok(srv,
    'mutation ($input: StationCreateInput!) { stationCreate(input: $input) }',
    { input: { station: { id, name: `Station ${id}`, processIds } } });
  await station(f.st1, [f.board, f.battery]);
  await station(f.st2, [f.final]);
  await station(f.st3, [f.pack, f.solo]);
  await station(f.stx, [f.solo]);
  return f;
}

let serialCounter = 0;
// Fresh values for every consumed-serial attribute of a process: the
// SerialInput list, each value unique across the run.
export function serialsFor(f, processId) {
  return f.attrs[processId].map(([attributeId, part]) => {
    serialCounter += 1;
    return { attributeId, value: `${part}-${process.pid}-${serialCounter}` };
  });
}

export async function save(srv, input, token = srv.adminToken) {
  return (await ok(srv, SAVE, { input }, token)).operationOrderSave;
}

// `count` orders of one operation under one external order id, indexes
// 0..count-1: aliased saves, `batch` a request, `parallel` requests at once
// (mutation fields run one after the other; parallel requests share commits).
// Returns the order ids by index.
export async function saveMany(srv, operationId, externalOrderId, count, { batch = 50, parallel = 16 } = {}) {
  const ids = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const from = next;
      next = Math.min(count, next + batch);
      const fields = [];
      for (let i = from; i < next; i++) {
        fields.push(`s${i}: operationOrderSave(input: { operationId: "${operationId}", externalOrderId: "${externalOrderId}", `
          + `orderIndex: ${i} }) { operationOrder { id orderIndex } }`);
      }
      const d = await ok(srv, `mutation { ${fields.join(' ')} }`);
      for (const r of Object.values(d)) ids[r.operationOrder.orderIndex] = r.operationOrder.id;
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return ids;
}

export async function cancel(srv, input, token = srv.adminToken) {
  return (await ok(srv, CANCEL, { input }, token)).operationOrderCancel;
}

// One order with its children three levels down.
export async function readOrder(srv, id) {
  const d = await ok(srv, `query ($id: ID!) { operationOrders(where: { id: { _eq: $id } }) {
    ${ORDER} children { ${ORDER} children { ${ORDER} children { ${ORDER} } } } } }`, { id });
  assert.equal(d.operationOrders.length, 1, `order ${id} found once`);
  return d.operationOrders[0];
}

// Every order (roots and children) of an external order id, by creation.
export async function ordersOf(srv, externalOrderId, extra = {}) {
  const d = await ok(srv, `query ($w: OperationOrder_bool_exp) { operationOrders(where: $w) { ${ORDER} } }`,
    { w: { externalOrderId: { _eq: externalOrderId }, ...extra } });
  return d.operationOrders;
}

// The READY process orders of an external order id.
export function readyWork(srv, externalOrderId) {
  return ordersOf(srv, externalOrderId, { status: { _eq: 'READY' }, operation: { kind: { _eq: 'PROCESS' } } });
}

export async function completions(srv, where, afterSeq, token = srv.adminToken) {
  const d = await ok(srv, `query ($w: OperationOrderComplete_bool_exp, $a: Int) {
    operationOrderCompletes(where: $w, afterSeq: $a) { ${COMPLETION} } }`, { w: where, a: afterSeq }, token);
  return d.operationOrderCompletes;
}

// Completes one work order at its station: starts it first unless
// `direct`, then completes it with fresh serials, and `produced` if given
// (a fresh one when the process produces a serial and the order reserves
// none).
export async function work(srv, f, order, { token = srv.adminToken, operator = 'Ada', produced, direct = false } = {}) {
  const processId = order.operation.id;
  if (produced === undefined && f.produces[processId] && !order.reservedSerialNumber) {
    serialCounter += 1;
    produced = `SN-${process.pid}-${serialCounter}`;
  }
  const stationId = f.stationOf[processId];
  if (!direct) await ok(srv, START, { input: { operationOrderId: order.id, stationId, operatorName: operator } }, token);
  const consumedSerials = serialsFor(f, processId);
  const input = { operationOrderId: order.id, consumedSerials };
  if (direct) Object.assign(input, { stationId, operatorName: operator });
  if (produced !== undefined) input.producedSerial = produced;
  const done = (await ok(srv, COMPLETE, { input }, token)).workOrderComplete;
  assert.equal(done.status, 'COMPLETED');
  return { order: done, consumedSerials };
}

// Walks an external order id's waterfall: completes READY work orders
// (oldest first, or the one `pick` chooses; none stops) until none is left. Returns what was
// completed, in order, with the serials captured.
export async function walk(srv, f, externalOrderId, opts = {}) {
  const done = [];
  for (let guard = 0; guard < 50; guard++) {
    const ready = await readyWork(srv, externalOrderId);
    if (!ready.length) return done;
    const order = opts.pick ? opts.pick(ready) : ready[0];
    if (!order) return done;   // pick chose to stop here
    done.push(await work(srv, f, order, opts.options?.(order) ?? opts));
  }
  throw new Error('the waterfall did not end within 50 work orders');
}

// An operator token bound to one station (`mesd token create --role
// operator --station ID` on the running server's database).
export async function stationToken(srv, stationId) {
  const out = execFileSync(mesdBin, ['token', 'create', '--role', 'operator', '--name', `tablet ${stationId}`,
    '--station', stationId, '--db', srv.dbUrl], { encoding: 'utf8' });
  const token = out.trim().split('\n').pop().trim();
  await srv.tokenKnown(token);
  return token;
}
