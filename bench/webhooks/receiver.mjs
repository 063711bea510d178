// bench/webhooks/receiver.mjs PORT: the receiver of the webhook benchmark.
// Answers every POST with 200 at once and counts it per subscription: how
// many, how many came out of seq order, how many repeated a seq, the time of
// the first and the last. GET /stats gives the counts as JSON.
// It must never delay an answer: the benchmark measures mesd, not this.
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 4300);
const subs = new Map();
let total = 0;
let first = 0;
let last = 0;
const server = createServer((req, res) => {
  if (req.method === 'GET') {
    const perSub = Object.fromEntries([...subs].map(([k, v]) => [k, { ...v }]));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ total, firstMs: first, lastMs: last, subs: perSub }));
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
    res.end('ok');
    const now = performance.timeOrigin + performance.now();
    let body;
    try { body = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { return; }
    const s = subs.get(body.subscriptionID) ?? { n: 0, lastSeq: 0, outOfOrder: 0, repeated: 0 };
    subs.set(body.subscriptionID, s);
    if (body.seq === s.lastSeq) s.repeated += 1;
    else if (body.seq < s.lastSeq) s.outOfOrder += 1;
    else s.lastSeq = body.seq;
    s.n += 1;
    total += 1;
    if (!first) first = now;
    last = now;
  });
});
server.keepAliveTimeout = 60000;
server.listen(port, '127.0.0.1', () => console.log(`receiver listening on ${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
