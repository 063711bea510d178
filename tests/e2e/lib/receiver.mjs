// A real local webhook receiver for the e2e tests (node:http on 127.0.0.1):
// it records every request (method, url, headers, raw body, time) and answers
// according to its current mode, which a test changes while mesd delivers:
//
//   const rx = await startReceiver();              // ephemeral port, answers 200 at once
//   rx.mode = { status: 500 };                     // answer 500 (until changed)
//   rx.mode = { hang: true };                      // never answer (mesd must time out)
//   rx.mode = (body, record) => ({ status: 200 });  // decided per request
//   await rx.waitFor((reqs) => reqs.length >= 3);  // poll the record
//   await rx.close();
//
// A receiver "down at first": pick a free port with freePort(), subscribe
// with that URL, later startReceiver({ port }).
//
// It must never answer anything the test did not ask for: a request it
// records is exactly what mesd sent, byte for byte (the body is a Buffer).
import { createServer } from 'node:http';
import { createHmac } from 'node:crypto';

export async function startReceiver({ port = 0, mode = { status: 200 } } = {}) {
  const requests = [];
  const hanging = new Set();
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      let json = null;
      try { json = JSON.parse(raw.toString('utf8')); } catch { /* recorded as is */ }
      // a mode may be a function of the parsed body and the record so far
      const m = typeof rx.mode === 'function' ? rx.mode(json, requests) : rx.mode;
      requests.push({ method: req.method, url: req.url, headers: req.headers, raw, json, at: Date.now(), answered: m.hang ? 'hang' : (m.status ?? 200) });
      if (m.hang) {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      res.writeHead(m.status ?? 200, { 'content-type': 'text/plain' });
      res.end(m.body ?? 'ok');
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  const rx = {
    mode,
    port: server.address().port,
    get url() { return `http://127.0.0.1:${this.port}/hook`; },
    requests,
    // The parsed bodies, in arrival order.
    bodies() { return requests.map((r) => r.json); },
    // Polls until pred(requests) holds; throws with the record after timeoutMs.
    async waitFor(pred, { timeoutMs = 15000, what = 'receiver condition' } = {}) {
      const end = Date.now() + timeoutMs;
      while (!pred(requests)) {
        if (Date.now() > end) {
          throw new Error(`timed out waiting for ${what}; got ${requests.length} requests: `
            + JSON.stringify(requests.map((r) => ({ seq: r.json?.seq, answered: r.answered }))));
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      return requests;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return rx;
}

// A port that was free a moment ago (for a receiver that starts later).
export async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

// The signature api.md describes: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">.
export function sign(secret, timestamp, rawBody) {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}
