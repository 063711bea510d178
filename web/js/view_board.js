// The floor board for supervisors: every open order the ERP placed
// (root orders not completed or canceled), grouped by product, with its
// waterfall (the product's routing, each step with its order's status, or
// "not yet" where the waterfall has not released it) and progress counted
// in processes; and today's completions, then each as it arrives
// (operationOrderCompletesStream). Work-order events (starts, releases)
// and reconnects refetch the board.
import { h, fill, clock } from './dom.js';
import { NetworkError } from './gql.js';
import { statusText } from './messages.js';
import { orderLabel, partLabel } from './orders.js';

const NODE = 'id status operation { id }';
const ROUTING = (depth) => (depth ? `subOperations { position optional sub { id name kind ${ROUTING(depth - 1)} } }` : '');
// `_not: { parent: {} }`: orders without a parent (an empty filter on an
// object field holds when the object exists)
const BOARD = `query Board { operationOrders(where: { _not: { parent: {} }, status: { _in: [CREATED, READY, IN_PROGRESS] } }) {
  id externalOrderId orderIndex status reservedSerialNumber createdAt
  operation { id externalId name kind ${ROUTING(3)} }
  children { ${NODE} children { ${NODE} children { ${NODE} } } } } }`;
// Today's completions first (the stream replays them from afterSeq 0 under
// the `at` filter, then goes on live with no gap), so a board opened
// mid-shift is not empty; subscribed again (a reconnect, an error), it
// resumes after the last completion shown.
const COMPLETIONS = `subscription Board($since: Time!, $after: Int!) {
  operationOrderCompletesStream(where: { at: { _gte: $since } }, afterSeq: $after) {
  seq externalOrderId orderIndex wip at operation { externalId name }
  endState { producedSerial station { name } operator { name } } } }`;
const FEED_MAX = 30;
const EVENTS = 'subscription BoardEvents { workOrderEventsStream { seq } }';

// The waterfall of an order: its operation's routing, each component with
// the child order made for it (optional components only when ordered).
export function waterfall(op, node) {
  const status = node?.status ?? 'WAITING';
  if (op.kind === 'PROCESS' || !op.subOperations?.length) {
    return { name: op.name, status, leaves: 1, done: status === 'COMPLETED' ? 1 : 0, parts: [] };
  }
  const parts = [];
  for (const link of [...op.subOperations].sort((a, b) => a.position - b.position)) {
    const child = node?.children?.find((c) => c.operation?.id === link.sub.id) ?? null;
    if (link.optional && !child) continue;
    parts.push(waterfall(link.sub, child));
  }
  return {
    name: op.name, status, parts,
    leaves: parts.reduce((n, p) => n + p.leaves, 0), done: parts.reduce((n, p) => n + p.done, 0),
  };
}

function startOfToday() {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d.toISOString();
}

export function boardView(main, ctx) {
  ctx.setPlace('Floor board');
  let alive = true;
  let timer = null;
  const boardNote = h('p', { class: 'help', text: 'Loading…' });
  const products = h('div', { class: 'products' });
  const feed = h('ol', { class: 'feed', 'aria-live': 'polite' });
  const feedNote = h('p', { class: 'help', text: 'Completions appear here as operators finish them.' });
  main.append(h('div', { class: 'board' },
    h('section', { class: 'panel', 'aria-labelledby': 'open-title' }, h('h1', { id: 'open-title' }, 'Open orders'), boardNote, products),
    h('section', { class: 'panel', 'aria-labelledby': 'feed-title' }, h('h1', { id: 'feed-title' }, 'Completions'), feedNote, feed)));

  async function load() {
    let orders;
    try {
      ({ operationOrders: orders } = await ctx.query(BOARD));
    } catch (e) {
      if (alive) boardNote.textContent = e instanceof NetworkError ? 'mesd cannot be reached.' : e.message;
      return;
    }
    if (!alive) return;
    boardNote.textContent = orders.length ? '' : 'No open order.';
    const groups = new Map();
    for (const o of orders) {
      const key = o.operation?.id ?? '?';
      if (!groups.has(key)) groups.set(key, { op: o.operation, orders: [] });
      groups.get(key).orders.push(o);
    }
    fill(products, [...groups.values()].map(({ op, orders: list }) => h('section', { class: 'product', dataset: { product: op?.externalId ?? '' } },
      h('h2', { text: `${partLabel(op)} (${list.length} open)` }),
      h('ul', { class: 'board-orders' }, list.map(row)))));
  }
  function loadSoon() {
    clearTimeout(timer);
    timer = setTimeout(load, 30);
  }

  function row(o) {
    const w = waterfall(o.operation, o);
    return h('li', { class: 'board-order', dataset: { orderId: o.id } },
      h('div', { class: 'board-order-head' },
        h('span', { class: 'order-name', text: orderLabel(o) }),
        h('span', { class: `badge ${o.status.toLowerCase()}`, text: statusText(o.status) }),
        h('span', { class: 'progress-text', text: `${w.done} of ${w.leaves} steps done` })),
      h('progress', { max: w.leaves, value: w.done, 'aria-label': `${orderLabel(o)}: ${w.done} of ${w.leaves} steps done` }),
      h('ol', { class: 'waterfall' }, w.parts.map(chip)));
  }
  function chip(p) {
    return h('li', { class: `chip ${p.status.toLowerCase()}` },
      h('span', { class: 'chip-name', text: p.name }),
      h('span', { class: 'chip-status', text: p.parts.length ? `${statusText(p.status)}, ${p.done}/${p.leaves}` : statusText(p.status) }),
      p.parts.length ? h('ol', { class: 'waterfall sub' }, p.parts.map(chip)) : null);
  }

  // A resubscription resumes from lastSeq; a completion seen twice anyway
  // (one in flight as the stream was subscribed again) is skipped.
  let lastSeq = 0;
  function completed(c) {
    if (c.seq <= lastSeq) return;
    lastSeq = c.seq;
    feedNote.textContent = '';
    const end = c.endState ?? {};
    feed.prepend(h('li', { class: c.wip ? 'step' : 'unit', dataset: { seq: c.seq } },
      h('span', { class: 'feed-time', text: clock(c.at) }),
      h('span', { class: 'feed-what', text: `${c.wip ? 'Step done' : 'Unit finished'}: ${partLabel(c.operation)}` }),
      h('span', { class: 'feed-detail', text: [c.externalOrderId ? orderLabel(c) : null,
        end.producedSerial ? `serial ${end.producedSerial}` : null, end.station?.name, end.operator?.name].filter(Boolean).join(' · ') })));
    while (feed.children.length > FEED_MAX) feed.lastChild.remove();
  }

  const since = startOfToday();
  const cleanups = [
    ctx.ws.subscribe(() => ({ query: COMPLETIONS, variables: { since, after: lastSeq } }), {
      next: (msg) => {
        const c = msg.data?.operationOrderCompletesStream;
        if (c) completed(c);
        loadSoon();
      },
    }),
    ctx.ws.subscribe({ query: EVENTS }, { next: loadSoon, resumed: loadSoon }),
    ctx.ws.onReconnect(load),
  ];
  load();
  return () => {
    alive = false;
    clearTimeout(timer);
    for (const f of cleanups) f();
  };
}
