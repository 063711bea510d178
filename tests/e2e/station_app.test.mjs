// The operator station app (web/, served by mesd) driven in Debian's
// Chromium by playwright-core, against a demo factory, as the issue asks:
// an operator signs in, picks a station and types the shift's name; the
// queue updates live when the ERP saves an order; PROD-101 is built through
// the waterfall at bench_1 and bench_2 with serials typed as a scanner does
// (ending with Enter); a serial already consumed is refused beside its
// field and the typed value stays (across a reload too); a restart of mesd
// shows the connection banner and the build form keeps its input; the
// ERP's graphql-ws subscriber receives the completions the operator made;
// the floor board shows progress and a completion arriving live; a token
// bound to a station goes straight there; tablet and desktop sizes have no
// horizontal scroll and touch targets of at least 44px. The focus stays
// where a keyboard or scanner user expects it (the operator's name field, a
// queue button across the queue's rebuilds); a refused Start keeps its
// message; an error answered at boot is shown and retried.
// station_app_live.test.mjs covers the WebSocket's failures.
//
// Screenshots of each screen go to docs/screenshots/ (MESD_SCREENSHOTS
// names another folder) at a 10-inch tablet's 1280x800.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startServer, runMesd } from './lib/server.mjs';
import { ok, stationToken } from './lib/mes.mjs';
import { wsRequest } from './lib/ws.mjs';
import { launchChromium } from './lib/browser.mjs';

const SHOTS = process.env.MESD_SCREENSHOTS ?? new URL('../../docs/screenshots/', import.meta.url).pathname;
const TABLET = { width: 1280, height: 800 };
const ORDER = 'SALES-2001';
const RESERVED = 'SCN-2001';

let dir;
let profile;
let srv;
let port;
let browser;
let page;
let operatorToken;
let adminToken;
let erp;
const erpConnected = [];
const completions = [];
let completionArrived = () => {};
const pageErrors = [];

async function token(role) {
  const r = await runMesd(['token', 'create', '--role', role, '--db', srv.dbUrl]);
  assert.equal(r.code, 0, r.stderr);
  const t = r.stdout.trim().split('\n').pop().trim();
  await srv.tokenKnown(t);
  return t;
}

// Resolves once `pred()` holds, re-checked on every completion the ERP receives.
function erpReceived(pred, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the ERP did not receive ${what}: ${JSON.stringify(completions)}`)), 15000);
    const check = () => {
      if (!pred()) return;
      clearTimeout(timer);
      resolve();
    };
    const prev = completionArrived;
    completionArrived = () => { prev(); check(); };
    check();
  });
}

function erpReconnected(before) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the ERP did not reconnect')), 15000);
    const t = setInterval(() => {
      if (erpConnected.length <= before) return;
      clearInterval(t);
      clearTimeout(timer);
      resolve();
    }, 20);
  });
}

// a screenshot of the screen itself: a passing toast would hide part of it
async function shot(name) {
  await page.evaluate(() => { document.getElementById('toast').hidden = true; });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}
const card = (process, order = ORDER) => page.locator('.order-card', { hasText: process }).filter({ hasText: order });
const focusedId = () => page.evaluate(() => document.activeElement?.id ?? null);

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'mesd-app-'));
  profile = mkdtempSync(join(tmpdir(), 'mesd-chromium-'));
  srv = await startServer({ demo: true, dir });
  port = srv.port;
  adminToken = srv.adminToken;
  operatorToken = await token('operator');
  const erpToken = await token('erp');

  // Another unit's battery already used BAT-0001: the operator's scan of it is refused.
  const other = await ok(srv, `mutation { operationOrderSave(input: { operationId: "prod_101", externalOrderId: "SALES-2000" }) {
    operationOrder { children { children { id operation { id } } } } } }`);
  const battery = other.operationOrderSave.operationOrder.children[0].children.find((o) => o.operation.id === 'battery_pack_install');
  await ok(srv, `mutation ($id: ID!) { workOrderComplete(input: { operationOrderId: $id, stationId: "bench_1", operatorName: "Grace",
    consumedSerials: [{ attributeId: "battery_pack_sn", value: "BAT-0001" }] }) { status } }`, { id: battery.id });

  // The ERP: graphql-ws, following this order's completions; it reconnects
  // on its own after the restart below.
  erp = createClient({
    url: `ws://127.0.0.1:${port}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { 'x-pico-api-org': erpToken },
    retryAttempts: 1000,
    retryWait: () => new Promise((r) => setTimeout(r, 200)),
    shouldRetry: () => true,
    on: { connected: () => erpConnected.push(Date.now()) },
  });
  erp.erpToken = erpToken;
  erp.subscribe({
    query: `subscription ($o: String) { operationOrderCompletesStream(where: { externalOrderId: { _eq: $o } }) {
      seq wip operation { id externalId }
      operationSummary { consumedSerials { id value } }
      endState { producedSerial station { id } operator { name } } } }`,
    variables: { o: ORDER },
  }, {
    next: (msg) => { completions.push(msg.data.operationOrderCompletesStream); completionArrived(); },
    error: (e) => { throw new Error(`ERP subscription: ${JSON.stringify(e)}`); },
    complete: () => {},
  });
  await erpReconnected(0);

  ({ browser, page } = await launchChromium(profile, TABLET));
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

after(async () => {
  await browser?.close();
  await erp?.dispose();
  await srv?.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
});

test('sign in with an operator token, choose a station, type the shift\'s operator', async () => {
  await page.goto(`${srv.url}/`);
  await page.waitForURL('**/signin');
  await shot('signin');
  await page.fill('#token', 'mesd_not_a_token');
  await page.press('#token', 'Enter');
  await page.locator('#token-error', { hasText: 'not accepted' }).waitFor();
  assert.equal(await page.inputValue('#token'), 'mesd_not_a_token', 'the typed token stays');

  await page.fill('#token', operatorToken);
  await page.press('#token', 'Enter');
  await page.waitForURL('**/stations');
  await page.locator('.station-choice').nth(2).waitFor();
  assert.deepEqual(await page.locator('.station-choice .station-name').allTextContents(),
    ['Bench 1: electronics', 'Bench 2: final assembly and test', 'Packing']);
  await shot('stations');
  assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('mesd.token'))), operatorToken);

  await page.click('[data-station-id="bench_1"]');
  await page.waitForURL('**/station/bench_1');
  await page.locator('#operator-input').waitFor();
  assert.equal(await focusedId(), 'operator-input', 'the name is typed without a tap first');
  await page.keyboard.type('Ada');
  await page.keyboard.press('Enter');
  await page.locator('#queue-title').waitFor();
  assert.equal(await page.textContent('#operator-name'), 'Operator: Ada');
  assert.equal(await page.textContent('#place'), 'Bench 1: electronics');
  // SALES-2000's main board is the only work here yet
  await card('Main board assembly', 'SALES-2000').waitFor();
  assert.equal(await page.locator('.order-card').count(), 1);
});

test('the queue updates live when the ERP saves an order; a focused button keeps the focus', async () => {
  const focused = card('Main board assembly', 'SALES-2000');
  const focusedOrder = await focused.getAttribute('data-order-id');
  await focused.locator('button').focus();
  await ok(srv, `mutation { operationOrderSave(input: { operationId: "prod_101", externalOrderId: "${ORDER}",
    reservedSerialNumber: "${RESERVED}" }) { message } }`, undefined, erp.erpToken);
  await card('Main board assembly').waitFor();
  await card('Battery pack install').waitFor();
  assert.equal(await page.locator('.order-card').count(), 3);
  assert.deepEqual(await page.evaluate(() => [document.activeElement.tagName, document.activeElement.closest('.order-card')?.dataset.orderId]),
    ['BUTTON', focusedOrder], 'the rebuilt queue gives the focus back to the same order\'s button');
  assert.match(await card('Main board assembly').textContent(), /for PROD-101 Handheld scanner/);
  await page.evaluate(() => document.activeElement.blur());   // the screenshot shows the queue as a tablet first shows it
  await shot('queue');
});

test('bench 1: the checklist, serials scanned with Enter, a refused serial shown beside its field and kept', async () => {
  await card('Main board assembly').locator('button[data-action="start"]').click();
  await page.locator('.build h1', { hasText: 'Main board assembly' }).waitFor();
  assert.deepEqual(await page.locator('.step h3').allTextContents(), ['Prepare the workstation', 'Fit the scan engine']);
  assert.equal(await page.locator('.actions input[type="checkbox"]').count(), 6);
  await page.locator('.check', { hasText: 'wrist strap' }).click();
  assert.equal(await page.locator('.check', { hasText: 'wrist strap' }).locator('input').isChecked(), true);
  // the scanner types (into the first serial field, though the tick left
  // the focus on a checkbox) and ends with Enter
  await page.keyboard.type('PCB-2001-A');
  assert.equal(await page.inputValue('#serial-main_board_sn'), 'PCB-2001-A');
  await page.keyboard.press('Enter');
  assert.equal(await focusedId(), 'serial-scan_engine_sn', 'Enter moves to the next field');
  await page.keyboard.type('SE-2001-A');
  await shot('build');
  await page.keyboard.press('Enter');   // the last field submits
  await page.locator('#toast', { hasText: 'Done: Main board assembly' }).waitFor();
  await page.locator('#queue-title').waitFor();
  await card('Main board assembly').waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement === document.querySelector('.order-card button')), true,
    'back at the queue, the focus is on its first button');

  await card('Battery pack install').locator('button[data-action="start"]').click();
  await page.locator('.build h1', { hasText: 'Battery pack install' }).waitFor();
  await page.keyboard.type('BAT-0001');
  await page.keyboard.press('Enter');
  const error = page.locator('#serial-battery_pack_sn-error');
  await error.filter({ hasText: 'already built into another unit' }).waitFor();
  assert.match(await error.textContent(), /^BAT-0001 is already built into another unit/);
  assert.equal(await page.inputValue('#serial-battery_pack_sn'), 'BAT-0001', 'the refused value stays');
  assert.equal(await page.getAttribute('#serial-battery_pack_sn', 'aria-invalid'), 'true');
  assert.equal(await page.textContent('.form-error'), '', 'the message is beside the field, not at the form');
  await shot('refusal');

  // a reload comes back to the open order with what was typed
  await page.reload();
  await page.locator('.build h1', { hasText: 'Battery pack install' }).waitFor();
  assert.equal(await page.inputValue('#serial-battery_pack_sn'), 'BAT-0001');
  await page.focus('#serial-battery_pack_sn');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('BAT-2001-A');
  await page.keyboard.press('Enter');
  await page.locator('#toast', { hasText: 'Done: Battery pack install' }).waitFor();
  await card('Battery pack install').waitFor({ state: 'detached' });
  await erpReceived(() => completions.some((c) => c.operation.id === 'sub_scanner_core'), 'the scanner core');
});

test('bench 2: a restart of mesd shows the banner, the typed serials survive, PROD-101 completes', async () => {
  await page.click('#nav-stations');
  await page.click('[data-station-id="bench_2"]');
  await card('Final assembly and test').locator('button[data-action="start"]').click();
  await page.locator('.build h1', { hasText: 'Final assembly and test' }).waitFor();
  assert.equal(await page.inputValue('#serial-__produced'), RESERVED, 'the produced serial is the reservation');
  await page.keyboard.type('TRG-2001-A');

  await srv.stop();
  await page.locator('#conn').waitFor({ state: 'visible' });
  assert.match(await page.textContent('#conn'), /Connection to mesd lost/);
  // a scan while mesd is away: Enter to the produced serial, Enter to submit
  await page.keyboard.press('Enter');
  assert.equal(await focusedId(), 'serial-__produced');
  await page.keyboard.press('Enter');
  await page.locator('.form-error', { hasText: 'Not sent' }).waitFor();
  assert.equal(await page.inputValue('#serial-trigger_board_sn'), 'TRG-2001-A');
  assert.equal(await page.inputValue('#serial-__produced'), RESERVED);

  const connectedBefore = erpConnected.length;
  srv = await startServer({ dir, args: ['--listen', `127.0.0.1:${port}`] });
  srv.adminToken = adminToken;   // printed by the first start only
  await page.locator('#conn').waitFor({ state: 'hidden' });
  await page.locator('.form-error', { hasText: 'connection is back' }).waitFor();
  assert.equal(await page.inputValue('#serial-trigger_board_sn'), 'TRG-2001-A', 'the input survived the lost connection');
  // the ERP is subscribed again before the last completion: it reconnected,
  // and a request on its socket is answered after the subscribe sent before it
  await erpReconnected(connectedBefore);
  assert.deepEqual((await wsRequest(erp, '{ __typename }')).data, { __typename: 'Query' });

  await page.click('#complete');
  await page.locator('#toast', { hasText: 'Done: Final assembly and test' }).waitFor();
  await erpReceived(() => completions.some((c) => !c.wip), 'PROD-101');
});

test('the ERP received every completion the operator produced, with the serials', () => {
  assert.deepEqual(completions.map((c) => c.operation.id).sort(),
    ['battery_pack_install', 'prod_101', 'scanner_board_assembly', 'scanner_final_assembly', 'sub_scanner_core']);
  const unit = completions.find((c) => !c.wip);
  assert.equal(unit.operation.externalId, 'PROD-101');
  assert.equal(unit.endState.producedSerial, RESERVED);
  assert.equal(unit.endState.station.id, 'bench_2');
  assert.equal(unit.endState.operator.name, 'Ada');
  assert.deepEqual(unit.operationSummary.consumedSerials.map((s) => `${s.id}=${s.value}`).sort(),
    ['battery_pack_sn=BAT-2001-A', 'main_board_sn=PCB-2001-A', 'scan_engine_sn=SE-2001-A', 'trigger_board_sn=TRG-2001-A']);
});

test('the floor board: open orders with waterfall progress, a completion arriving live', async () => {
  await ok(srv, 'mutation { operationOrderSave(input: { operationId: "prod_101", externalOrderId: "SALES-2002" }) { message } }',
    undefined, erp.erpToken);
  await page.click('#nav-board');
  await page.waitForURL('**/board');
  const row = page.locator('.board-order', { hasText: 'SALES-2002' });
  await row.locator('.progress-text', { hasText: '0 of 3 steps done' }).waitFor();
  // SALES-2000 is open too: its battery is done
  await page.locator('.board-order', { hasText: 'SALES-2000' }).locator('.progress-text', { hasText: '1 of 3 steps done' }).waitFor();
  assert.equal(await page.locator('.board-order', { hasText: ORDER }).count(), 0, 'a completed order is not open');
  // the feed opens with today's completions (the unit built above), newest first
  await page.locator('.feed li.unit', { hasText: 'Unit finished: PROD-101' }).waitFor();
  const today = (await ok(srv, '{ operationOrderCompletes { seq } }')).operationOrderCompletes;
  assert.ok(today.length >= 5, 'PROD-101 built above: its steps and the unit');
  const before = await page.locator('.feed li').count();
  assert.equal(before, today.length, 'every completion of today, once');
  assert.match(await page.locator('.feed li').first().textContent(), /Unit finished: PROD-101/);

  const ready = await ok(srv, `{ workOrders(stationId: "bench_1") { id externalOrderId operation { id } } }`);
  const board = ready.workOrders.find((o) => o.externalOrderId === 'SALES-2002' && o.operation.id === 'scanner_board_assembly');
  await ok(srv, `mutation ($id: ID!) { workOrderComplete(input: { operationOrderId: $id, stationId: "bench_1", operatorName: "Grace",
    consumedSerials: [{ attributeId: "main_board_sn", value: "PCB-2002" }, { attributeId: "scan_engine_sn", value: "SE-2002" }] }) { status } }`,
  { id: board.id }, operatorToken);
  await page.locator('.feed li', { hasText: 'SALES-2002' }).waitFor();
  assert.match(await page.locator('.feed li').first().textContent(), /Step done: PRC-110-1 Main board assembly.*SALES-2002, unit 1.*Grace/);
  assert.equal(await page.locator('.feed li').count(), before + 1, 'the live completion once, nothing replayed twice');
  await row.locator('.progress-text', { hasText: '1 of 3 steps done' }).waitFor();
  assert.equal(await row.locator('progress').getAttribute('value'), '1');
  await shot('board');
});

test('tablet and desktop: no horizontal scroll, touch targets of at least 44px', async () => {
  const check = async (what) => {
    const r = await page.evaluate(() => {
      const small = [];
      for (const el of document.querySelectorAll('button, a.button, a.station-choice, input, textarea, .check')) {
        const b = el.getBoundingClientRect();
        if (b.width === 0 && b.height === 0) continue;   // not shown
        if (el.type === 'checkbox') continue;           // its label (.check) is the target
        if (b.height < 44 || b.width < 44) small.push(`${el.tagName}#${el.id}.${el.className} ${b.width}x${b.height}`);
      }
      return { scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth, small };
    });
    assert.ok(r.scroll <= r.width, `${what}: horizontal scroll (${r.scroll} > ${r.width})`);
    assert.deepEqual(r.small, [], `${what}: small touch targets`);
  };
  for (const size of [{ width: 800, height: 1280 }, TABLET, { width: 1920, height: 1080 }]) {
    await page.setViewportSize(size);
    const at = `${size.width}x${size.height}`;
    await page.goto(`${srv.url}/board`);
    await page.locator('.board-order').first().waitFor();
    await check(`board ${at}`);
    await page.goto(`${srv.url}/stations`);
    await page.locator('.station-choice').first().waitFor();
    await check(`stations ${at}`);
    await page.goto(`${srv.url}/station/bench_1`);
    await card('Main board assembly', 'SALES-2000').waitFor();
    await check(`queue ${at}`);
    await card('Main board assembly', 'SALES-2000').locator('button').click();
    await page.locator('#complete').waitFor();
    await check(`build form ${at}`);
    await page.click('text=Back to queue');
  }
  await page.setViewportSize(TABLET);
});

test('an error answered at boot is shown and retried; a refused Start keeps its message as the queue is rebuilt', async () => {
  // an ERP token may watch a station but not start its work
  await page.evaluate((t) => {
    localStorage.setItem('mesd.token', JSON.stringify(t));
    localStorage.setItem('mesd.operator', JSON.stringify({ name: 'Ada', start: 0, end: Date.now() + 86400000 }));
  }, erp.erpToken);
  // the boot's first two viewer queries fail as a 5xx with a GraphQL body does
  let failed = 0;
  await page.route('**/graphql', (route) => {
    if (failed < 2 && route.request().postData()?.includes('viewer')) {
      failed += 1;
      return route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ errors: [{ message: 'internal error' }] }) });
    }
    return route.continue();
  });
  await page.goto(`${srv.url}/station/bench_1`);
  await page.locator('#boot-error', { hasText: 'mesd answered: internal error' }).waitFor();
  await page.locator('#queue-title').waitFor();
  await page.unroute('**/graphql');
  assert.equal(failed, 2);

  const target = page.locator('.order-card', { has: page.locator('button[data-action="start"]') }).first();
  const orderId = await target.getAttribute('data-order-id');
  const first = await target.elementHandle();
  await target.locator('button').click();
  const error = page.locator(`.order-card[data-order-id="${orderId}"] .field-error`);
  await error.filter({ hasText: 'Your token may not do this here' }).waitFor();
  // the refusal refetches the queue: the card is made again, with its message
  await page.waitForFunction((el) => !el.isConnected, first);
  assert.match(await error.textContent(), /^Your token may not do this here/);
});

test('a token bound to a station goes straight there; sign-out forgets the token', async () => {
  await page.click('#sign-out');
  await page.waitForURL('**/signin');
  assert.equal(await page.evaluate(() => localStorage.getItem('mesd.token')), null);
  await page.fill('#token', await stationToken(srv, 'bench_2'));
  await page.press('#token', 'Enter');
  await page.waitForURL('**/station/bench_2');
  assert.equal(await page.isVisible('#nav-stations'), false, 'no station to choose');
  await page.fill('#operator-input', 'Grace');
  await page.press('#operator-input', 'Enter');
  await page.locator('#queue-title').waitFor();
  // another station's page leads back to its own
  await page.goto(`${srv.url}/station/bench_1`);
  await page.waitForURL('**/station/bench_2');
  assert.deepEqual(pageErrors, [], 'no script error in the page');
});
