// clients.mjs: one worker of the fanout benchmark (forked by fanout.mjs):
// COUNT raw graphql-transport-ws clients (the `ws` package, no client
// library in the way), each: connection_init with the token, then one
// subscribe once acknowledged. Reports "ready" when every client is
// subscribed; stamps the arrival of each client's first `next` with
// process.hrtime (CLOCK_MONOTONIC: the same clock in every process on this
// machine, so the parent can compare with its send time); reports the stamps
// when asked. Bounded: opens at most OPENING connections at a time, keeps
// one stamp per client, never retries.
import { require } from '../http/data.mjs';

const WebSocket = require('ws');
const { url, token, count, query, opening = 200 } = JSON.parse(process.argv[2]);

const stamps = new Float64Array(count).fill(-1); // ms on the monotonic clock
let subscribed = 0, received = 0, failed = 0, started = 0, closedEarly = 0, readySent = false;
function checkReady() {
  if (readySent || subscribed + failed < count) return;
  readySent = true;
  process.send({ type: 'ready', subscribed });
}
const errors = new Map();
const note = (what) => errors.set(what, (errors.get(what) || 0) + 1);
const sockets = [];

function open(i) {
  const ws = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
  sockets.push(ws);
  let acked = false;
  ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { 'x-pico-api-org': token } })));
  ws.on('message', (data) => {
    const at = Number(process.hrtime.bigint()) / 1e6; // before parsing: the arrival, not our JSON speed
    const msg = JSON.parse(data);
    if (msg.type === 'next') {
      if (stamps[i] < 0) { stamps[i] = at; received++; if (received === subscribed) process.send({ type: 'all' }); }
    } else if (msg.type === 'connection_ack') {
      acked = true;
      ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
      subscribed++;
      next();
      checkReady();
    } else if (msg.type === 'ping') {
      ws.send('{"type":"pong"}');
    } else if (msg.type === 'error') {
      note(`error: ${JSON.stringify(msg.payload).slice(0, 200)}`);
    }
  });
  ws.on('error', (e) => note(`socket: ${e.message}`));
  ws.on('close', (code, reason) => {
    if (!acked) { failed++; note(`closed before ack: ${code} ${reason}`); next(); checkReady(); }
    else closedEarly++;
  });
}

function next() {
  if (started < count) open(started++);
}

process.on('message', (m) => {
  if (m.type === 'report') {
    process.send({ type: 'report', stamps: Array.from(stamps), subscribed, received, failed, closedEarly,
                   errors: Object.fromEntries(errors) });
  } else if (m.type === 'exit') {
    for (const ws of sockets) ws.terminate();
    process.exit(0);
  }
});

for (let k = 0; k < Math.min(opening, count); k++) next();
