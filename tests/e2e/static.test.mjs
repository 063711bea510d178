// The operator app's files on mesd's listener (src/server/static.c): every
// file of web/ by its path with its Content-Type, the app's pages answering
// index.html, ETag and If-None-Match (304), Cache-Control: no-cache, the
// Content-Security-Policy and nosniff, HEAD, 405 and 404; and the GraphQL
// paths and the operational endpoints answering exactly as before.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import WebSocket from 'ws';
import { startServer } from './lib/server.mjs';

const web = new URL('../../web/', import.meta.url).pathname;
let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const get = (path, init = {}) => fetch(`${srv.url}${path}`, init);

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [`/${relative(web, p)}`];
  });
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

test('every file of web/ is served as it is in the repository, with its type', async () => {
  const all = files(web);
  assert.ok(all.includes('/index.html') && all.includes('/app.css') && all.includes('/js/app.js'), all.join(' '));
  for (const path of all) {
    const res = await get(path);
    assert.equal(res.status, 200, path);
    assert.equal(res.headers.get('content-type'), TYPES[path.slice(path.lastIndexOf('.'))], path);
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(readFileSync(join(web, path))), `${path}: the embedded bytes`);
  }
});

test('/ and the app pages answer index.html; other paths are 404', async () => {
  const index = readFileSync(join(web, 'index.html'), 'utf8');
  for (const page of ['/', '/signin', '/stations', '/station/bench_1', '/station/Bench_2', '/board']) {
    const res = await get(page);
    assert.equal(res.status, 200, page);
    assert.equal(await res.text(), index, page);
  }
  for (const path of ['/nope', '/js/nope.js', '/station/', '/station/a/b', '/station/x.js', '/index.html/x', '/web/index.html']) {
    const res = await get(path);
    assert.equal(res.status, 404, path);
    assert.equal(await res.text(), 'not found\n');
  }
});

test('headers: ETag, no-cache, a strict CSP allowing this host\'s WebSocket, nosniff', async () => {
  const res = await get('/js/app.js');
  const etag = res.headers.get('etag');
  assert.match(etag, /^"[0-9a-f]{16}"$/);
  assert.equal(res.headers.get('cache-control'), 'no-cache');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  const csp = res.headers.get('content-security-policy');
  assert.match(csp, /^default-src 'self';/);
  assert.ok(csp.includes(`connect-src 'self' ws://127.0.0.1:${srv.port} wss://127.0.0.1:${srv.port};`), csp);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe/);
  // another file has another ETag; the same file the same one
  assert.notEqual((await get('/app.css')).headers.get('etag'), etag);
  assert.equal((await get('/js/app.js')).headers.get('etag'), etag);
});

test('a Host header that is not a plain host:port stays out of the CSP', async () => {
  const http = await import('node:http');
  const csp = await new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: srv.port, path: '/', headers: { host: "evil; script-src 'unsafe-inline'" } }, (res) => {
      res.resume();
      resolve(res.headers['content-security-policy']);
    }).on('error', reject);
  });
  assert.match(csp, /^default-src 'self'; connect-src 'self'; /);
  assert.doesNotMatch(csp, /unsafe|evil/);
});

test('If-None-Match: 304 with no body for the same ETag (also weak, in a list, or *); 200 for another', async () => {
  const etag = (await get('/app.css')).headers.get('etag');
  for (const inm of [etag, `W/${etag}`, `"0000000000000000", ${etag}`, '*']) {
    const res = await get('/app.css', { headers: { 'if-none-match': inm } });
    assert.equal(res.status, 304, inm);
    assert.equal(res.headers.get('etag'), etag);
    assert.equal(await res.text(), '');
  }
  const other = await get('/app.css', { headers: { 'if-none-match': '"0000000000000000"' } });
  assert.equal(other.status, 200);
  // a page is index.html: its ETag
  const page = await get('/board', { headers: { 'if-none-match': (await get('/index.html')).headers.get('etag') } });
  assert.equal(page.status, 304);
});

test('HEAD has the headers and no body; other methods are 405 with Allow', async () => {
  const full = await get('/app.css');
  const head = await get('/app.css', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('content-length'), full.headers.get('content-length'));
  assert.equal(head.headers.get('etag'), full.headers.get('etag'));
  assert.equal(await head.text(), '');
  for (const method of ['POST', 'PUT', 'DELETE']) {
    const res = await get('/', { method, body: method === 'DELETE' ? undefined : 'x' });
    assert.equal(res.status, 405, method);
    assert.equal(res.headers.get('allow'), 'GET, HEAD');
  }
  assert.equal((await get('/nope', { method: 'POST', body: 'x' })).status, 404);
});

test('the GraphQL paths, /healthz, /readyz and /metrics answer as before', async () => {
  for (const path of ['/graphql', '/graph/v2']) {
    const res = await srv.post({ query: '{ __typename }' }, { path });
    assert.equal(res.status, 200, path);
    assert.deepEqual(res.json, { data: { __typename: 'Query' } });
    assert.equal((await get(`${path}?query=%7B__typename%7D`)).status, 401, 'GET without a token');
  }
  assert.equal(await (await get('/healthz')).text(), 'ok\n');
  assert.equal(await (await get('/readyz')).text(), 'ready\n');
  assert.match(await (await get('/metrics')).text(), /mesd_requests_total/);
  assert.equal((await get('/healthz', { method: 'POST' })).status, 405);
  // a WebSocket upgrade off the GraphQL paths is still refused with 404
  const status = await new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${srv.port}/board`, 'graphql-transport-ws');
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode));
    ws.on('open', () => { ws.close(); resolve(101); });
    ws.on('error', () => {});
  });
  assert.equal(status, 404);
});
