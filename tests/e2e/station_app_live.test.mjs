// The station app's one WebSocket when things go wrong, in Chromium
// (playwright-core), on the floor board:
// - a half-open connection (a TCP proxy between the browser and mesd stops
//   forwarding and keeps both sockets open) shows the connection banner
//   within two ping periods, not after Chromium's ~80 s close timeout, and
//   the app reconnects once bytes flow again;
// - after a reconnect the board resumes its completions after the last one
//   it shows (afterSeq), instead of replaying the day;
// - a subscription mesd ends with `error` ("subscriber too slow") shows a
//   banner until the app has subscribed it again, and the board (resuming
//   from afterSeq) and the station queue (refetching) catch up on what they
//   missed meanwhile.
// The ping period is 1 s here (localStorage mesd.pingMs), so this takes
// seconds. Subscription errors are made by a Playwright WebSocket route
// that ends the subscription at mesd (complete) and sends the page the
// error mesd sends for a slow subscriber; it can also hold what the page
// sends, so a completion is made for certain while the stream is down.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './lib/server.mjs';
import { ok } from './lib/mes.mjs';
import { launchChromium } from './lib/browser.mjs';

const PING_MS = 1000;
const SLOW = 'subscriber too slow; resume with afterSeq';

let srv;
let proxy;
let base;
let profile;
let browser;
let page;
let frozen = false;
const pairs = [];
const pageErrors = [];
let units = 0;

// A battery fitted at bench 1 for a new order of PROD-101: one completion.
async function completeOne() {
  const order = `LIVE-${++units}`;
  const saved = await ok(srv, `mutation ($o: String!) { operationOrderSave(input: { operationId: "prod_101", externalOrderId: $o }) {
    operationOrder { children { children { id operation { id } } } } } }`, { o: order });
  const battery = saved.operationOrderSave.operationOrder.children[0].children.find((o) => o.operation.id === 'battery_pack_install');
  await ok(srv, `mutation ($id: ID!, $sn: String!) { workOrderComplete(input: { operationOrderId: $id, stationId: "bench_1",
    operatorName: "Grace", consumedSerials: [{ attributeId: "battery_pack_sn", value: $sn }] }) { status } }`,
  { id: battery.id, sn: `BAT-${order}` });
  return order;
}

const feedSeqs = () => page.locator('.feed li').evaluateAll((lis) => lis.map((li) => Number(li.dataset.seq)));

// The page's WebSockets once routed: each is connected to mesd through
// Playwright; what the page sends is recorded, and held from the message
// holdFrom() waits for until release() (only from there: the app's pings
// must pass meanwhile, or it would give the connection up).
const routed = [];
const sentWaiters = new Set();
let hold = null;   // null, or { pred, resolve, messages: null until pred held }
function route(ws) {
  const server = ws.connectToServer();
  const r = { ws, server, sent: [], pong: null };
  // mesd echoes a ping's payload in its pong: the route's own are not forwarded
  server.onMessage((m) => {
    const msg = JSON.parse(m);
    if (msg.type === 'pong' && msg.payload?.route) r.pong?.();
    else ws.send(m);
  });
  ws.onMessage((m) => {
    const msg = JSON.parse(m);
    r.sent.push(msg);
    for (const w of [...sentWaiters]) w(msg);
    if (hold && !hold.messages && hold.pred(msg)) {
      hold.messages = [];
      hold.resolve(msg);
    }
    if (hold?.messages) hold.messages.push([server, m]);
    else server.send(m);
  });
  routed.push(r);
}
// Resolves with the first message the page sends that `pred` accepts; it
// and what follows are held.
function holdFrom(pred) {
  return new Promise((resolve) => { hold = { pred, resolve, messages: null }; });
}
function release() {
  const { messages } = hold;
  hold = null;
  for (const [server, m] of messages) server.send(m);
}
// Resolves with the next message the page sends that `pred` accepts.
function nextSent(pred) {
  return new Promise((resolve) => {
    const w = (m) => {
      if (!pred(m)) return;
      sentWaiters.delete(w);
      resolve(m);
    };
    sentWaiters.add(w);
  });
}
const subscribes = (r, field) => r.sent.filter((m) => m.type === 'subscribe' && m.payload.query.includes(field));

// mesd ends the subscription and says why, as it does for a slow
// subscriber: the page hears of it once mesd has ended it (a ping sent
// after the complete is answered), so no event of it can follow.
async function endWithError(r, id) {
  const ended = new Promise((resolve) => { r.pong = resolve; });
  r.server.send(JSON.stringify({ id, type: 'complete' }));
  r.server.send(JSON.stringify({ type: 'ping', payload: { route: true } }));
  await ended;
  r.ws.send(JSON.stringify({ id, type: 'error', payload: [{ message: SLOW }] }));
}

before(async () => {
  srv = await startServer({ demo: true });
  // Forwards bytes both ways until `frozen`; then drops them and keeps the
  // sockets open, as a dead network does.
  proxy = net.createServer((c) => {
    const u = net.connect(srv.port, '127.0.0.1');
    pairs.push(c, u);
    c.on('data', (d) => { if (!frozen) u.write(d); });
    u.on('data', (d) => { if (!frozen) c.write(d); });
    c.on('error', () => {});
    u.on('error', () => {});
    c.on('close', () => u.destroy());
    u.on('close', () => c.destroy());
  });
  await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${proxy.address().port}`;
  profile = mkdtempSync(join(tmpdir(), 'mesd-chromium-'));
  ({ browser, page } = await launchChromium(profile, { width: 1280, height: 800 }));
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${base}/signin`);
  await page.evaluate(({ token, ping }) => {
    localStorage.setItem('mesd.token', JSON.stringify(token));
    localStorage.setItem('mesd.pingMs', String(ping));
    localStorage.setItem('mesd.operator', JSON.stringify({ name: 'Ada', start: 0, end: Date.now() + 86400000 }));
  }, { token: srv.adminToken, ping: PING_MS });
});

after(async () => {
  await browser?.close();
  proxy?.close();
  for (const s of pairs) s.destroy();
  await srv?.stop();
  rmSync(profile, { recursive: true, force: true });
});

test('a half-open connection shows the banner within two ping periods; the app reconnects when bytes flow again', async () => {
  await completeOne();
  await page.goto(`${base}/board`);
  await page.locator('.feed li', { hasText: 'LIVE-1' }).waitFor();

  frozen = true;
  const t0 = Date.now();
  await page.locator('#conn').waitFor({ state: 'visible' });
  const took = Date.now() - t0;
  assert.ok(took < 3 * PING_MS + 1500, `the banner took ${took} ms`);

  // A completion while the board is cut off; the reconnect attempt made
  // meanwhile hangs in its handshake (its bytes were dropped) and is given
  // up after a ping period.
  await completeOne();
  frozen = false;
  await page.locator('#conn').waitFor({ state: 'hidden' });
  await page.locator('.feed li', { hasText: 'LIVE-2' }).waitFor();
  assert.equal(new Set(await feedSeqs()).size, 2, 'each completion once');
});

test('after a reconnect the board resumes after the last completion it shows', async () => {
  await page.routeWebSocket(/\/graphql$/, route);
  await page.reload();
  await page.locator('.feed li', { hasText: 'LIVE-2' }).waitFor();
  const shown = Math.max(...await feedSeqs());
  assert.deepEqual(subscribes(routed.at(-1), 'operationOrderCompletesStream').map((m) => m.payload.variables.after), [0],
    'a board just opened replays the day');

  const lost = routed.at(-1);
  const resubscribed = holdFrom((m) => m.type === 'subscribe' && m.payload.query.includes('operationOrderCompletesStream'));
  lost.ws.close({ code: 1011, reason: 'gone' });
  lost.server.close();
  const again = await resubscribed;
  assert.equal(again.payload.variables.after, shown, 'the new connection resumes after what the board shows');
  await completeOne();
  release();
  await page.locator('.feed li', { hasText: 'LIVE-3' }).waitFor();
  assert.equal(new Set(await feedSeqs()).size, 3, 'each completion once');
});

test('a subscription mesd ends with an error: a banner until it is subscribed again, then the board catches up', async () => {
  const r = routed.at(-1);
  const shown = Math.max(...await feedSeqs());
  const { id } = subscribes(r, 'operationOrderCompletesStream').at(-1);
  const resubscribed = holdFrom((m) => m.type === 'subscribe' && m.id === id);
  await endWithError(r, id);
  await page.locator('#live', { hasText: SLOW }).waitFor();
  await completeOne();   // missed by the ended subscription
  const again = await resubscribed;
  assert.equal(again.payload.variables.after, shown);
  // sent again but not yet accepted by mesd: still down
  assert.equal(await page.isVisible('#live'), true, 'the banner stays until mesd has accepted the subscription');
  release();
  await page.locator('#live').waitFor({ state: 'hidden' });
  await page.locator('.feed li', { hasText: 'LIVE-4' }).waitFor();
  assert.equal(new Set(await feedSeqs()).size, 4, 'each completion once');
});

test('the station queue, its stream ended by an error, is read again once subscribed again', async () => {
  const subscribed = nextSent((m) => m.type === 'subscribe' && m.payload.query.includes('workOrderEventsStream'));
  await page.goto(`${base}/station/bench_1`);
  await page.locator('.order-card', { hasText: 'LIVE-4' }).waitFor();
  const { id } = await subscribed;
  const r = routed.at(-1);
  const resubscribed = holdFrom((m) => m.type === 'subscribe' && m.id === id);
  await endWithError(r, id);
  await page.locator('#live', { hasText: SLOW }).waitFor();
  await completeOne();   // a new order whose work at bench 1 the queue does not hear of
  await resubscribed;
  assert.equal(await page.locator('.order-card', { hasText: 'LIVE-5' }).count(), 0);
  release();
  await page.locator('#live').waitFor({ state: 'hidden' });
  await page.locator('.order-card', { hasText: 'LIVE-5' }).waitFor();
  assert.deepEqual(pageErrors, [], 'no script error in the page');
});
