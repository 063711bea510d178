// baseline.mjs PORT: the fanout benchmark's baseline: graphql-ws 5's
// useServer on `ws` (graphql-transport-ws) with graphql-js 16 and mesd's SDL,
// a token check in onConnect, operationsStream from an in-memory pub/sub, and
// processCreate over HTTP (graphql-http's handler) publishing one event per
// call. Only for bench/fanout/run.sh.
import http from 'node:http';
import { require, sdl, operationOf } from '../http/data.mjs';

const { buildSchema } = require('graphql');
const { createHandler } = require('graphql-http/lib/use/http');
const { useServer } = require('graphql-ws/lib/use/ws');
const { WebSocketServer } = require('ws');

const port = Number(process.argv[2] || 4201);
const token = process.env.BENCH_TOKEN || 'bench';
const schema = buildSchema(sdl());

// pub/sub: one queue per subscriber, woken by publish
const subscribers = new Set();
let seq = 0;
function operationsStream() {
  const queue = [];
  let wake = null, done = false;
  const push = (v) => { if (wake) { const w = wake; wake = null; w({ value: v, done: false }); } else queue.push(v); };
  subscribers.add(push);
  return {
    next() {
      if (queue.length) return Promise.resolve({ value: queue.shift(), done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((r) => { wake = r; });
    },
    return() {
      done = true;
      subscribers.delete(push);
      if (wake) { wake({ value: undefined, done: true }); wake = null; }
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() { return this; },
  };
}
const processCreate = ({ input }) => {
  const op = operationOf(input.process, ++seq, new Date().toISOString());
  for (const push of subscribers) push({ operationsStream: op });
  return input.process.id;
};

const handler = createHandler({ schema, rootValue: { processCreate, operations: () => [] } });
const server = http.createServer((req, res) => {
  if (req.url === '/healthz') return res.end('ok\n');
  if (req.headers['x-pico-api-org'] !== token) { res.writeHead(401); return res.end(); }
  handler(req, res);
});
const wss = new WebSocketServer({ server, path: '/graphql' });
useServer({
  schema,
  roots: { subscription: { operationsStream } },
  onConnect: (ctx) => ctx.connectionParams?.['x-pico-api-org'] === token,
}, wss);
server.listen(port, '127.0.0.1', () => console.log(`fanout baseline listening on ${port}`));
