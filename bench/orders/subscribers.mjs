// subscribers.mjs: one worker of bench/orders (forked by drive.mjs): COUNT
// raw graphql-transport-ws clients (the `ws` package: no client library's
// cost in the measurement) subscribed to the bench's completions. Client k
// of the whole run connects to urls[k % urls.length], so with two servers
// half of the subscribers hear of the other server's completions.
//
// Each client subscribes with afterSeq 0 (the database is fresh: nothing to
// replay, but a completion committed before the server took the subscribe
// is still delivered), then pings; the pong says the subscribe was taken
// (the server reads a connection's messages in order), and the worker reports
// "ready" when every client has had it.
//
// Per event: the arrival time on the monotonic clock (process.hrtime: the
// same clock in every process on this machine). The parent streams the
// times at which completions' answers reached its HTTP clients ("answered");
// an event's latency is its arrival minus its answer (and, beside, minus
// its request's send), put in a histogram as soon as both are known. Per client: the last seq seen, events received,
// events not after the last seq (out of order or repeated) and seq gaps.
import { require } from '../http/data.mjs';
import { Hist } from './hist.mjs';

const WebSocket = require('ws');
const { urls, token, first, count, query, variables, orders, opening = 100 } = JSON.parse(process.argv[2]);

const answered = new Float64Array(orders).fill(NaN); // ms, by orderIndex
const sent = new Float64Array(orders); // when its request left the client
const pending = []; // [orderIndex, arrival] of events whose answer is not known yet
const hist = new Hist(); // arrival - answer
const fromSend = new Hist(); // arrival - the request's send
const record = (idx, at) => { hist.add(at - answered[idx]); fromSend.add(at - sent[idx]); };
const lastSeq = new Int32Array(count);
const received = new Uint32Array(count);
let outOfOrder = 0, gaps = 0, ready = 0, failed = 0, started = 0, closedEarly = 0, readySent = false;
const errors = new Map();
const note = (what) => errors.set(what, (errors.get(what) || 0) + 1);
const sockets = [];
const cpuS = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

function checkReady() {
  if (readySent || ready + failed < count) return;
  readySent = true;
  process.send({ type: 'ready', ready, cpuS: cpuS() });
}

function onEvent(i, at, ev) {
  if (ev.seq <= lastSeq[i]) outOfOrder++;
  else {
    if (lastSeq[i] && ev.seq !== lastSeq[i] + 1) gaps++;
    lastSeq[i] = ev.seq;
    received[i]++;
  }
  if (Number.isNaN(answered[ev.orderIndex])) pending.push([ev.orderIndex, at]);
  else record(ev.orderIndex, at);
}

function open(i) {
  const ws = new WebSocket(urls[(first + i) % urls.length], 'graphql-transport-ws', { perMessageDeflate: false });
  sockets.push(ws);
  let pong = false;
  ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { 'x-pico-api-org': token } })));
  ws.on('message', (data) => {
    const at = Number(process.hrtime.bigint()) / 1e6; // before parsing: the arrival, not our JSON speed
    const msg = JSON.parse(data);
    if (msg.type === 'next') {
      const ev = msg.payload?.data?.operationOrderCompletesStream;
      if (ev) onEvent(i, at, ev);
      else note(`next without data: ${JSON.stringify(msg.payload).slice(0, 200)}`);
    } else if (msg.type === 'connection_ack') {
      ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
      ws.send('{"type":"ping"}');
    } else if (msg.type === 'pong' && !pong) {
      pong = true;
      ready++;
      next();
      checkReady();
    } else if (msg.type === 'ping') {
      ws.send('{"type":"pong"}');
    } else if (msg.type === 'error' || msg.type === 'complete') {
      note(`${msg.type}: ${JSON.stringify(msg.payload ?? null).slice(0, 200)}`);
    }
  });
  ws.on('error', (e) => note(`socket: ${e.message}`));
  ws.on('close', (code, reason) => {
    if (!pong) { failed++; note(`closed before subscribed: ${code} ${reason}`); next(); checkReady(); }
    else closedEarly++;
  });
}

function next() {
  if (started < count) open(started++);
}

process.on('message', (m) => {
  if (m.type === 'answered') {
    for (let k = 0; k < m.idx.length; k++) { answered[m.idx[k]] = m.at[k]; sent[m.idx[k]] = m.sent[k]; }
    // resolve the events that arrived before their answer was known here
    let keep = 0;
    for (const p of pending) {
      if (Number.isNaN(answered[p[0]])) pending[keep++] = p;
      else record(p[0], p[1]);
    }
    pending.length = keep;
  } else if (m.type === 'progress') {
    process.send({ type: 'progress', events: received.reduce((a, c) => a + c, 0) });
  } else if (m.type === 'report') {
    // every acknowledged completion should have reached every client once
    const acked = m.acked;
    let missing = 0;
    for (let i = 0; i < count; i++) missing += Math.max(0, acked - received[i]);
    process.send({ type: 'report', cpuS: cpuS(), ready, failed, closedEarly, outOfOrder, gaps, missing,
                   unanswered: pending.length, hist: hist.toJSON(), fromSend: fromSend.toJSON(), errors: Object.fromEntries(errors) });
  } else if (m.type === 'exit') {
    for (const ws of sockets) ws.terminate();
    process.exit(0);
  }
});

for (let k = 0; k < Math.min(opening, count); k++) next();
