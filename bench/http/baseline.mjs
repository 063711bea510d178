// baseline.mjs PORT [N]: the HTTP benchmark's baseline: graphql-js 16 with
// graphql-http's handler on node:http, serving mesd's SDL with resolvers that
// return the same N operations from memory (no database), and the same token
// check (a header looked up in a set). Only for bench/http/run.sh.
import http from 'node:http';
import { require, sdl, processInputs, operationOf } from './data.mjs';

const { buildSchema } = require('graphql');
const { createHandler } = require('graphql-http/lib/use/http');

const port = Number(process.argv[2] || 4101);
const n = Number(process.argv[3] || 100);
const token = process.env.BENCH_TOKEN || 'bench';
const now = new Date().toISOString();
const operations = processInputs(n).map((p, i) => operationOf(p, i + 1, now));

const schema = buildSchema(sdl());
const rootValue = { operations: () => operations, operation: ({ id }) => operations.find((o) => o.id === id) };
const handler = createHandler({ schema, rootValue });
http.createServer((req, res) => {
  if (req.url === '/healthz') return res.end('ok\n');
  if (req.headers['x-pico-api-org'] !== token) {
    res.writeHead(401, { 'content-type': 'application/json' });
    return res.end('{"errors":[{"message":"unauthenticated","extensions":{"code":"UNAUTHENTICATED"}}]}');
  }
  handler(req, res);
}).listen(port, '127.0.0.1', () => console.log(`baseline listening on ${port}`));
