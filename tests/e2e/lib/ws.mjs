// Helpers for the WebSocket e2e tests: a raw socket that queues what the
// server says, the real clients (graphql-ws, subscriptions-transport-ws) set
// up against a running mesd, and deploys that make the streams move.
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { SubscriptionClient } from 'subscriptions-transport-ws';
import { buildSchema, parse, validate } from 'graphql';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

let counter = 0;
// Ids unique across a test run (deploy ids match ^[a-z0-9_]{3,50}$).
export function uid(prefix = 'op') {
  counter += 1;
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter}`;
}

export const delay = (ms) => new Promise((r) => setTimeout(r, ms));

// Rejects after ms with a message that says what did not happen.
export function within(promise, ms, what) {
  let t;
  return Promise.race([
    promise.finally(() => clearTimeout(t)),
    new Promise((_, reject) => {
      t = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]);
}

// A raw WebSocket: messages are queued (parsed as JSON), `next()` takes the
// following one, `closed` resolves with the close code and reason.
export function rawSocket(url, protocols = ['graphql-transport-ws'], options = {}) {
  const ws = new WebSocket(url, protocols, options);
  const queue = [];
  const waiters = [];
  const stamps = [];
  ws.on('message', (data) => {
    const text = data.toString();
    let msg;
    try {
      msg = JSON.parse(text);
    } catch {
      msg = { unparsed: text };
    }
    stamps.push(Date.now());
    if (waiters.length) waiters.shift()(msg);
    else queue.push(msg);
  });
  const closed = new Promise((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  const opened = new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('unexpected-response', (req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { res })));
    ws.once('error', reject);
  });
  opened.catch(() => {}); // a test that expects a refusal awaits it itself
  return {
    ws,
    opened,
    closed,
    stamps,
    send(msg) {
      ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
    },
    next(ms = 5000) {
      if (queue.length) return Promise.resolve(queue.shift());
      return within(new Promise((resolve) => waiters.push(resolve)), ms, 'a message');
    },
    // Everything that arrives within ms.
    async drain(ms) {
      await delay(ms);
      return queue.splice(0);
    },
    close() {
      ws.close();
    },
  };
}

// A graphql-transport-ws socket that has been acknowledged.
export async function ackedSocket(srv, token = srv.adminToken) {
  const s = rawSocket(srv.wsUrl);
  await s.opened;
  s.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
  const ack = await s.next();
  if (ack.type !== 'connection_ack') throw new Error(`expected connection_ack, got ${JSON.stringify(ack)}`);
  return s;
}

// The graphql-ws client with the ws module; no retries, so a refusal is
// reported at once.
export function wsClient(srv, { token = srv.adminToken, connectionParams, headers, ...rest } = {}) {
  class HeaderWebSocket extends WebSocket {
    constructor(address, protocols) {
      super(address, protocols, headers ? { headers } : undefined);
    }
  }
  return createClient({
    url: srv.wsUrl,
    webSocketImpl: headers ? HeaderWebSocket : WebSocket,
    retryAttempts: 0,
    connectionParams: connectionParams ?? (token ? { authorization: `Bearer ${token}` } : {}),
    ...rest,
  });
}

// One query or mutation through the graphql-ws client: its single result.
export function wsRequest(client, query, variables) {
  return new Promise((resolve, reject) => {
    let result;
    client.subscribe(
      { query, variables },
      { next: (r) => (result = r), error: reject, complete: () => resolve(result) },
    );
  });
}

// A subscription through the graphql-ws client whose results are queued.
export function wsSubscription(client, payload) {
  const queue = [];
  const waiters = [];
  let error;
  let completed = false;
  const push = (item) => (waiters.length ? waiters.shift()(item) : queue.push(item));
  const dispose = client.subscribe(payload, {
    next: (r) => push({ value: r }),
    error: (e) => {
      error = e;
      push({ error: e });
    },
    complete: () => {
      completed = true;
      push({ done: true });
    },
  });
  return {
    dispose,
    get error() {
      return error;
    },
    get completed() {
      return completed;
    },
    next(ms = 5000) {
      const p = queue.length ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiters.push(resolve));
      return within(p, ms, 'a subscription result').then((item) => {
        if (item.error) throw item.error;
        if (item.done) throw new Error('the subscription completed');
        return item.value;
      });
    },
    // Results that arrive within ms (no error expected).
    async drain(ms) {
      await delay(ms);
      return queue.splice(0).map((i) => i.value);
    },
  };
}

// The legacy client (subscriptions-transport-ws) with the ws module.
export function legacyClient(srv, { token = srv.adminToken, connectionParams, connectionCallback } = {}) {
  return new SubscriptionClient(
    srv.wsUrl,
    {
      reconnect: false,
      connectionParams: connectionParams ?? (token ? { 'x-pico-api-org': token } : {}),
      connectionCallback,
    },
    WebSocket,
  );
}

// The legacy client's observable, queued.
export function legacySubscription(client, request) {
  const queue = [];
  const waiters = [];
  const push = (item) => (waiters.length ? waiters.shift()(item) : queue.push(item));
  const sub = client.request(request).subscribe({
    next: (r) => push({ value: r }),
    error: (e) => push({ error: e }),
    complete: () => push({ done: true }),
  });
  return {
    unsubscribe: () => sub.unsubscribe(),
    // The next item as {value}, {error} or {done}.
    take(ms = 5000) {
      const p = queue.length ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiters.push(resolve));
      return within(p, ms, 'a legacy subscription item');
    },
    async drain(ms) {
      await delay(ms);
      return queue.splice(0);
    },
  };
}

const PROCESS_CREATE = `mutation ($input: ProcessCreateInput!) { processCreate(input: $input) }`;
const PRODUCT_CREATE = `mutation ($input: ProductCreateInput!) { productCreate(input: $input) }`;

async function mustDeploy(srv, query, input) {
  const res = await srv.gql(query, { input }, srv.adminToken);
  const body = res.body ?? res;
  if (body.errors) throw new Error(`deploy failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

// A process with one consumed serial, deployed over HTTP with the admin token.
export function deployProcess(srv, id, { name = `Process ${id}`, partNumber = id.toUpperCase() } = {}) {
  return mustDeploy(srv, PROCESS_CREATE, {
    process: {
      id,
      name,
      partNumber,
      revision: 'A',
      consumedSerials: [{ id: `${id}_serial`, name: 'Serial', partNumber: `${partNumber}-S` }],
    },
  });
}

// A product made of the given components (operation ids, in routing order).
export function deployProduct(srv, id, components, { name = `Product ${id}`, partNumber = id.toUpperCase() } = {}) {
  return mustDeploy(srv, PRODUCT_CREATE, {
    product: { id, name, partNumber, revision: 'A', components: components.map((operationId) => ({ operationId })) },
  });
}

// What graphql-js 16 says about a document against the API's SDL: the
// errors a request error must carry (syntax, or validation in its order).
const sdlSchema = buildSchema(readFileSync(new URL('../../../src/mes/schema.graphql', import.meta.url), 'utf8'));
export function graphqlJsErrors(query) {
  let doc;
  try {
    doc = parse(query);
  } catch (e) {
    return [e.toJSON()];
  }
  return validate(sdlSchema, doc).map((e) => e.toJSON());
}

const bin = process.env.MESD_BIN ?? new URL('../../../build/mesd', import.meta.url).pathname;

// A token of a role, made with `mesd token create` on the running server's
// database; resolves once the server accepts it (srv.tokenKnown).
export async function createToken(srv, role) {
  const out = execFileSync(bin, ['token', 'create', '--role', role, '--name', `e2e ${role}`, '--db', srv.dbUrl], {
    encoding: 'utf8',
  });
  const token = out.trim().split('\n').pop().trim();
  await srv.tokenKnown(token);
  return token;
}

// Revokes a token (`mesd token revoke <id>`, the id being the middle part of
// mesd_<id>_<secret>) on the running server's database.
export async function revokeToken(srv, token) {
  execFileSync(bin, ['token', 'revoke', token.split('_')[1], '--db', srv.dbUrl], { encoding: 'utf8' });
}

// Makes a feed too big for a client that does not read: `count` processes
// whose events weigh ~2 MB each under `query` (a 20 KB name under 99
// aliases), more than the kernel's socket buffers and the bus's 4 MiB of
// unsent bytes. Returns the subscription and the afterSeq that replays them.
export async function bigFeed(srv, count = 20) {
  const name = 'n'.repeat(20000);
  const first = uid('big');
  await deployProcess(srv, first, { name: `${name}0` });
  const r = await srv.gql('query ($id: ID!) { operation(id: $id) { seq } }', { id: first });
  for (let i = 1; i < count; i++) await deployProcess(srv, uid('big'), { name: `${name}${i}` });
  const aliases = Array.from({ length: 99 }, (_, i) => `a${i}: name`).join(' ');
  return {
    query: `subscription ($n: Int) { operationsStream(afterSeq: $n) { seq name ${aliases} } }`,
    variables: { n: r.data.operation.seq - 1 },
  };
}
