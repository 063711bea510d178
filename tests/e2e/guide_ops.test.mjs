// Step 1 of the integration guide (work-order-integration.txt): an ERP
// subscribes to `ops` and `subOps` and sees products and processes as they
// are deployed, over both WebSocket protocols. The guide's `ops` text has a
// stray colon (`consumedSerials: {`): sent verbatim it gets graphql-js's
// syntax error at line 5, column 18; without the colon it works.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import {
  wsClient, wsRequest, wsSubscription, legacyClient, legacySubscription, deployProcess, deployProduct, uid,
  graphqlJsErrors,
} from './lib/ws.mjs';

// Verbatim from the guide, line breaks and all.
const GUIDE_OPS = `subscription ops {
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
const OPS = GUIDE_OPS.replace('consumedSerials: {', 'consumedSerials {');
const SUB_OPS = `subscription subOps {
subOperationsStream {
parentId
subId
updatedAt
}
}`;
const COMPLETIONS = `subscription NewOpCompletions {
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

const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const SYNTAX = [{ message: 'Syntax Error: Expected Name, found "{".', locations: [{ line: 5, column: 18 }] }];

let srv;
before(async () => {
  srv = await startServer({ demo: true });
});
after(async () => {
  await srv?.stop();
});

test('the expected syntax error is what graphql-js says', () => {
  assert.deepEqual(graphqlJsErrors(GUIDE_OPS), SYNTAX);
  assert.deepEqual(graphqlJsErrors(OPS), []);
  assert.deepEqual(graphqlJsErrors(SUB_OPS), []);
  assert.deepEqual(graphqlJsErrors(COMPLETIONS), []);
});

test('graphql-ws: the guide`s ops text verbatim gets the syntax error at 5:18', async () => {
  const client = wsClient(srv);
  try {
    const sub = wsSubscription(client, { query: GUIDE_OPS });
    await assert.rejects(sub.next(), (errors) => {
      assert.deepEqual(errors, SYNTAX);
      return true;
    });
  } finally {
    await client.dispose();
  }
});

// A process with a serial, then a product built from it: ops sees both (the
// product lists its processes' serials), subOps sees the link.
async function deployPair() {
  const proc = uid('guide_proc');
  const prod = uid('guide_prod');
  await deployProcess(srv, proc, { name: 'Guide process', partNumber: `P-${proc}` });
  await deployProduct(srv, prod, [proc], { name: 'Guide product', partNumber: `PROD-${prod}` });
  return { proc, prod };
}

function checkOps(ev, { partNo, name, serials }) {
  const o = ev.data.operationsStream;
  assert.deepEqual(Object.keys(o), ['partNo', 'name', 'consumedSerials', 'updatedAt']);
  assert.equal(o.partNo, partNo);
  assert.equal(o.name, name);
  assert.deepEqual(o.consumedSerials, serials);
  assert.match(o.updatedAt, TIME);
}

test('graphql-ws: ops (without the colon) and subOps receive a deployed product', async () => {
  const client = wsClient(srv);
  try {
    const ops = wsSubscription(client, { query: OPS });
    const subOps = wsSubscription(client, { query: SUB_OPS });
    await wsRequest(client, '{ __typename }'); // both are live once this is answered
    const { proc, prod } = await deployPair();
    const serials = [{ id: `${proc}_serial`, name: 'Serial', partNo: `P-${proc}-S` }];
    checkOps(await ops.next(), { partNo: `P-${proc}`, name: 'Guide process', serials });
    checkOps(await ops.next(), { partNo: `PROD-${prod}`, name: 'Guide product', serials });
    const link = (await subOps.next()).data.subOperationsStream;
    assert.deepEqual(Object.keys(link), ['parentId', 'subId', 'updatedAt']);
    assert.equal(link.parentId, prod);
    assert.equal(link.subId, proc);
    assert.match(link.updatedAt, TIME);
    assert.deepEqual(await subOps.drain(200), [], 'one link, one event');
    ops.dispose();
    subOps.dispose();
  } finally {
    await client.dispose();
  }
});

test('graphql-ws: the guide`s subscriptions in one document, picked by operationName', async () => {
  const client = wsClient(srv);
  try {
    const doc = `${OPS}\n${SUB_OPS}\n${COMPLETIONS}`;
    const subOps = wsSubscription(client, { query: doc, operationName: 'subOps' });
    const completions = wsSubscription(client, { query: doc, operationName: 'NewOpCompletions' });
    const none = wsSubscription(client, { query: doc });
    await assert.rejects(none.next(), (errors) => {
      assert.equal(errors[0].message, 'Must provide operation name if query contains multiple operations.');
      return true;
    });
    await wsRequest(client, '{ __typename }');
    const { proc, prod } = await deployPair();
    const link = (await subOps.next()).data.subOperationsStream;
    assert.equal(link.parentId, prod);
    assert.equal(link.subId, proc);
    assert.deepEqual(await completions.drain(200), [], 'deploys complete no order');
    assert.equal(completions.error, undefined);
    subOps.dispose();
    completions.dispose();
  } finally {
    await client.dispose();
  }
});

test('subscriptions-transport-ws: ops and subOps receive a deployed product; the verbatim text errs', async () => {
  const client = legacyClient(srv);
  try {
    const bad = legacySubscription(client, { query: GUIDE_OPS });
    const err = await bad.take();
    assert.ok(err.error, `an error, got ${JSON.stringify(err)}`);
    // the server sends the error object; the client's observer gets it as is
    assert.deepEqual(err.error, SYNTAX[0]);

    const ops = legacySubscription(client, { query: OPS });
    const subOps = legacySubscription(client, { query: SUB_OPS });
    const sync = legacySubscription(client, { query: '{ __typename }' });
    assert.deepEqual((await sync.take()).value, { data: { __typename: 'Query' } });
    const { proc, prod } = await deployPair();
    const serials = [{ id: `${proc}_serial`, name: 'Serial', partNo: `P-${proc}-S` }];
    checkOps((await ops.take()).value, { partNo: `P-${proc}`, name: 'Guide process', serials });
    checkOps((await ops.take()).value, { partNo: `PROD-${prod}`, name: 'Guide product', serials });
    const link = (await subOps.take()).value.data.subOperationsStream;
    assert.equal(link.parentId, prod);
    assert.equal(link.subId, proc);
    ops.unsubscribe();
    subOps.unsubscribe();
  } finally {
    client.close();
  }
});
