// `mesd serve --demo`: a newcomer walks the whole flow on the demo factory
// with nothing but the API: find PROD-101, order it, build every work order
// at the demo's stations (reading what to capture from the work order
// itself), and see the completion arrive; then the cradle with its optional
// packing selected; and the README's "Connect your ERP", run as printed
// against a fresh demo.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startServer } from './lib/server.mjs';
import { createToken, wsClient, wsRequest, wsSubscription } from './lib/ws.mjs';
import { TIME, ok, stationToken, START, COMPLETE } from './lib/mes.mjs';

let srv;
before(async () => {
  srv = await startServer({ demo: true });
});
after(async () => { await srv?.stop(); });

const WORK = `query ($s: ID) { workOrders(stationId: $s) { id externalOrderId orderIndex status
  operation { id name producesSerial consumedSerials { id name externalId } steps { name actions { description } } } } }`;

// What an operator at a station does: take the queue, start each work order
// of this external order, capture what it asks for, complete it.
async function buildAt(stationId, externalOrderId, operatorName, producedSerial) {
  const token = await stationToken(srv, stationId);
  const { workOrders } = await ok(srv, WORK, { s: stationId }, token);
  const mine = workOrders.filter((w) => w.externalOrderId === externalOrderId);
  const captured = [];
  for (const w of mine) {
    assert.ok(w.operation.steps.length > 0, 'the work order carries its instructions');
    await ok(srv, START, { input: { operationOrderId: w.id, stationId, operatorName } }, token);
    const consumedSerials = w.operation.consumedSerials
      .map((a) => ({ attributeId: a.id, value: `${a.externalId}-${externalOrderId}` }));
    captured.push(...consumedSerials);
    const input = { operationOrderId: w.id, consumedSerials };
    if (w.operation.producesSerial) input.producedSerial = producedSerial;
    const { workOrderComplete } = await ok(srv, COMPLETE, { input }, token);
    assert.equal(workOrderComplete.status, 'COMPLETED');
    assert.equal(workOrderComplete.station.id, stationId);
    assert.equal(workOrderComplete.operator.name, operatorName);
  }
  return { ops: mine.map((w) => w.operation.id), captured };
}

const SUMMARY = `order: externalOrderId wip operation { id partNo: externalId name }
  operationSummary { cycleTime endState { producedSerial at station { name } operator { name } }
    consumedSerials { id partNo: externalId serial: value } }`;

test('order PROD-101 on the demo, build it at bench 1 and bench 2, receive the completion', async () => {
  const erp = await createToken(srv, 'erp');
  const client = wsClient(srv, { token: erp });
  try {
    const done = wsSubscription(client, {
      query: `subscription { operationOrderCompletesStream(where: { wip: { _eq: false } }) { ${SUMMARY} } }` });
    await wsRequest(client, '{ __typename }');
    const { operations } = await ok(srv, '{ operations(where: { externalId: { _eq: "PROD-101" } }) { id name } }', undefined, erp);
    assert.deepEqual(operations, [{ id: 'prod_101', name: 'Handheld scanner' }]);
    const saved = await ok(srv, `mutation { operationOrderSave(input: { operationId: "prod_101", externalOrderId: "DEMO-1" }) {
      message operationOrder { id status } } }`, undefined, erp);
    assert.equal(saved.operationOrderSave.message, 'created');

    const b1 = await buildAt('bench_1', 'DEMO-1', 'Ada');
    assert.deepEqual(b1.ops.sort(), ['battery_pack_install', 'scanner_board_assembly']);
    const b2 = await buildAt('bench_2', 'DEMO-1', 'Grace', 'SCN-DEMO-0001');
    assert.deepEqual(b2.ops, ['scanner_final_assembly']);

    const c = (await done.next()).data.operationOrderCompletesStream;
    assert.equal(c.order, 'DEMO-1');
    assert.equal(c.wip, false);
    assert.deepEqual(c.operation, { id: 'prod_101', partNo: 'PROD-101', name: 'Handheld scanner' });
    assert.equal(c.operationSummary.endState.producedSerial, 'SCN-DEMO-0001');
    assert.match(c.operationSummary.endState.at, TIME);
    assert.equal(c.operationSummary.endState.station.name, 'Bench 2: final assembly and test');
    assert.equal(c.operationSummary.endState.operator.name, 'Grace');
    assert.ok(Number.isInteger(c.operationSummary.cycleTime));
    const serials = c.operationSummary.consumedSerials.map((s) => [s.id, s.partNo, s.serial]).sort();
    const captured = [...b1.captured, ...b2.captured];
    assert.deepEqual(serials, captured.map((s) => [s.attributeId, s.value.replace(/-DEMO-1$/, ''), s.value]).sort());
    assert.deepEqual(serials.map((s) => s[0]), ['battery_pack_sn', 'main_board_sn', 'scan_engine_sn', 'trigger_board_sn']);
    const { operationOrders } = await ok(srv, '{ operationOrders(where: { externalOrderId: { _eq: "DEMO-1" } }) { status } }');
    assert.deepEqual(operationOrders.map((o) => o.status), Array(5).fill('COMPLETED'));
    done.dispose();
  } finally {
    await client.dispose();
  }
});

test('order the cradle with its optional retail packing: bench 2, then packing', async () => {
  const saved = await ok(srv, `mutation { operationOrderSave(input: { operationId: "prod_205", externalOrderId: "DEMO-2",
    selectOptionalOperationIds: ["label_and_pack"], reservedSerialNumber: "CRD-0001" }) { message } }`);
  assert.equal(saved.operationOrderSave.message, 'created');
  const cradle = await buildAt('bench_2', 'DEMO-2', 'Grace');   // produces the reserved serial
  assert.deepEqual(cradle.ops, ['cradle_assembly']);
  const pack = await buildAt('packing', 'DEMO-2', 'Lin');
  assert.deepEqual(pack.ops, ['label_and_pack']);
  const { operationOrderCompletes: cs } = await ok(srv, `{ operationOrderCompletes(where: { externalOrderId: { _eq: "DEMO-2" } }) {
    ${SUMMARY} reservedSerialNumber } }`);
  assert.deepEqual(cs.map((c) => [c.operation.id, c.wip]), [['cradle_assembly', true], ['label_and_pack', true], ['prod_205', false]]);
  assert.equal(cs[0].operationSummary.endState.producedSerial, 'CRD-0001', 'the reservation is the produced serial');
  const root = cs[2];
  assert.equal(root.reservedSerialNumber, 'CRD-0001');
  // endState is the state of the last completed process: the packing
  assert.equal(root.operationSummary.endState.station.name, 'Packing');
  assert.deepEqual(root.operationSummary.consumedSerials.map((s) => s.id).sort(), ['carton_sscc', 'psu_sn']);
});

// The README's "Connect your ERP" section: its sh blocks (curl) and its js
// blocks (the graphql-ws client), with only the address and the token
// filled in.
function readmeBlocks() {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const from = readme.indexOf('## Connect your ERP');
  assert.ok(from >= 0, 'the README has "Connect your ERP"');
  const section = readme.slice(from, readme.indexOf('\n## ', from + 1));
  const blocks = [...section.matchAll(/```(sh|js)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], text: m[2] }));
  return { sh: blocks.filter((b) => b.lang === 'sh'), js: blocks.filter((b) => b.lang === 'js') };
}

function sh(script, env) {
  return new Promise((resolve) => {
    execFile('bash', ['-c', script], { env: { ...process.env, ...env }, timeout: 10000 },
      (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }));
  });
}

test('the README`s "Connect your ERP" runs as printed against a fresh demo', async () => {
  const demo = await startServer({ demo: true });
  const child = { proc: null };
  try {
    const { sh: shBlocks, js } = readmeBlocks();
    const local = (text) => text.replaceAll('http://127.0.0.1:4000', demo.url)
      .replaceAll('ws://127.0.0.1:4000', `ws://127.0.0.1:${demo.port}`);
    const env = { TOKEN: demo.adminToken };
    // the subscriber: the js blocks in one module (the second uses the first's client)
    const lines = [];
    child.proc = spawn(process.execPath, ['--input-type=module', '-e', local(js.map((b) => b.text).join('\n'))],
      { cwd: new URL('.', import.meta.url).pathname, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.proc.stdout.setEncoding('utf8').on('data', (c) => {
      out += c;
      let i;
      while ((i = out.indexOf('\n')) >= 0) {
        lines.push(JSON.parse(out.slice(0, i)));
        out = out.slice(i + 1);
      }
    });
    let errText = '';
    child.proc.stderr.setEncoding('utf8').on('data', (c) => { errText += c; });
    // its subscriptions are open
    for (let t0 = Date.now(); ; await new Promise((r) => setTimeout(r, 50))) {
      const m = await (await fetch(`${demo.url}/metrics`)).text();
      if (/^mesd_subscriptions_open [2-9]/m.test(m)) break;
      assert.ok(Date.now() - t0 < 5000, `the README's subscriber did not subscribe: ${errText}`);
    }
    // the curl blocks in order (the token placeholder line is the reader's to fill in)
    const outputs = [];
    for (const b of shBlocks) {
      if (/^TOKEN=/m.test(b.text)) continue;
      // a stream never ends by itself: read it for a moment
      const script = local(b.text).replaceAll('curl -N ', 'curl -N --max-time 1 ');
      const r = await sh(script, env);
      assert.ok(r.code === 0 || (script.includes('--max-time') && r.code === 28), `exit ${r.code}: ${r.stderr}\n${script}`);
      assert.ok(!/"errors"/.test(r.stdout), `an error answered:\n${r.stdout}\n${script}`);
      outputs.push(r.stdout);
    }
    const all = outputs.join('\n');
    assert.match(all, /"externalId":"PROD-101"/);
    assert.match(all, /event: next/);
    assert.match(all, /"message":"created"/);
    assert.equal((all.match(/"status":"COMPLETED"/g) ?? []).length, 3, all);
    // the subscriber printed the five completions, PROD-101's last
    for (let t0 = Date.now(); lines.filter((l) => l.operationOrderCompletesStream).length < 5;
      await new Promise((r) => setTimeout(r, 50))) {
      assert.ok(Date.now() - t0 < 5000, `completions printed: ${JSON.stringify(lines)} ${errText}`);
    }
    const completions = lines.filter((l) => l.operationOrderCompletesStream).map((l) => l.operationOrderCompletesStream);
    assert.deepEqual(completions.map((c) => c.operation.id),
      ['scanner_board_assembly', 'battery_pack_install', 'sub_scanner_core', 'scanner_final_assembly', 'prod_101']);
    const root = completions[4];
    assert.equal(root.order, 'SALES-123');
    assert.equal(root.operation.partNo, 'PROD-101');
    assert.equal(root.operationSummary.endState.producedSerial, 'SCN-0001');
    assert.deepEqual(root.operationSummary.consumedSerials.map((c) => c.serial).sort(),
      ['BAT-0001', 'MB-0001', 'SE-0001', 'TRG-0001']);
  } finally {
    child.proc?.kill();
    assert.deepEqual(await demo.stop(), { code: 0, signal: null });
  }
});

test('the server stops cleanly', async () => {
  assert.deepEqual(await srv.stop(), { code: 0, signal: null });
});
