// A station's screen: the operator of the shift, the station's queue kept
// live by the work-order stream (workOrderEventsStream over the app's
// WebSocket; refetched after every event, after a reconnect and after the
// stream was subscribed again), and the build form of the order being
// worked on (view_build.js). The open order is kept in sessionStorage, so a
// reload comes back to it.
//
// Rebuilding the queue must not lose what the operator was looking at: a
// refused Start keeps its message on its card (until the order leaves the
// queue or changes status), and a focused card button is given back on the
// same order's new card (a keyboard or scanner user stays in place).
import { h, fill } from './dom.js';
import { session } from './session.js';
import { NetworkError } from './gql.js';
import { refusalText, statusText, NETWORK_TEXT } from './messages.js';
import { ANCESTORS, rootOperation, orderLabel, partLabel } from './orders.js';
import { buildForm } from './view_build.js';

const STATION = 'query Station($s: ID) { stations(where: { id: { _eq: $s } }) { id name } }';
const QUEUE = `query Queue($s: ID!) { workOrders(stationId: $s, status: [READY, IN_PROGRESS]) {
  id status externalOrderId orderIndex reservedSerialNumber createdAt
  operator { name } operation { id name externalId } ${ANCESTORS} } }`;
const EVENTS = 'subscription StationQueue($s: ID) { workOrderEventsStream(stationId: $s) { seq status workOrder { id } } }';
const START = 'mutation Start($input: WorkOrderStartInput!) { workOrderStart(input: $input) { id status } }';

const openKey = (stationId) => `mesd.open.${stationId}`;

export function stationView(main, stationId, ctx) {
  const own = ctx.viewer.station;
  if (own && own.id !== stationId) {
    ctx.navigate(`/station/${own.id}`, { replace: true });
    return () => {};
  }
  let alive = true;
  let station = null;
  let build = null;             // the open build form
  let refreshTimer = null;
  let focusQueue = false;       // a closed build form: the next queue takes the focus
  const refusals = new Map();   // order id -> { status, text } of its last refused Start
  const cleanups = [];

  const operator = session.operator();
  if (!operator) {
    askOperator();
    return () => { alive = false; };
  }
  ctx.showOperator(operator);

  const queueList = h('ul', { class: 'queue', 'aria-live': 'polite' });
  const queueNote = h('p', { class: 'help', text: 'Loading the queue…' });
  const queuePanel = h('section', { class: 'panel', 'aria-labelledby': 'queue-title' },
    h('h1', { id: 'queue-title' }, 'Queue'), queueNote, queueList);
  const buildPanel = h('section', { class: 'panel build', hidden: true });
  main.append(queuePanel, buildPanel);

  function askOperator() {
    ctx.setPlace('');
    const input = h('input', { id: 'operator-input', autocomplete: 'off', enterkeyhint: 'go', required: true });
    const err = h('p', { class: 'field-error', role: 'alert' });
    const form = h('form', { class: 'panel narrow', novalidate: true },
      h('h1', { text: 'Who is working here this shift?' }),
      h('label', { for: 'operator-input' }, 'Your name'),
      input,
      h('p', { class: 'help', text: 'Asked once per shift. Every order you start or complete is recorded under this name.' }),
      err,
      h('button', { type: 'submit', class: 'primary' }, 'Start the shift'));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const name = input.value.trim();
      if (!name) {
        err.textContent = 'Type your name.';
        input.focus();
        return;
      }
      session.setOperator(name);
      ctx.rerender();
    });
    main.append(form);
    input.focus();
  }

  async function loadStation() {
    try {
      const { stations } = await ctx.query(STATION, { s: stationId });
      if (!alive) return;
      station = stations[0] ?? null;
      if (!station) {
        fill(main, h('section', { class: 'panel' }, h('h1', { text: `There is no station ${stationId}` }),
          h('a', { href: '/stations', 'data-link': true, class: 'button primary' }, 'Choose a station')));
        return;
      }
      ctx.setPlace(station.name);
      await refresh();
      const open = sessionStorage.getItem(openKey(stationId));
      if (open) openBuild(open);
    } catch (e) {
      if (!alive) return;
      queueNote.textContent = e instanceof NetworkError ? 'mesd cannot be reached: retrying…' : e.message;
      if (e instanceof NetworkError) setTimeout(loadStation, 2000);
    }
  }

  async function refresh() {
    let orders;
    try {
      ({ workOrders: orders } = await ctx.query(QUEUE, { s: stationId }));
    } catch (e) {
      if (alive) queueNote.textContent = e instanceof NetworkError ? 'The queue could not be loaded: mesd cannot be reached.' : e.message;
      return;
    }
    if (!alive) return;
    for (const [id, r] of refusals) if (!orders.some((o) => o.id === id && o.status === r.status)) refusals.delete(id);
    queueNote.textContent = orders.length ? `${orders.length} order${orders.length > 1 ? 's' : ''} to do, oldest first.`
      : 'Nothing to do at this station right now. New work appears here by itself.';
    const had = focusedOrder();
    fill(queueList, orders.map(card));
    // An order that left the queue gives the focus to the view, not to
    // another order's button, where the next Enter would start that order.
    if (had) (buttonOf(had) ?? main).focus();
    else if (focusQueue && [main, document.body].includes(document.activeElement)) queueList.querySelector('button')?.focus();
    focusQueue = false;
  }
  // the order whose card's button has the focus, if one has
  function focusedOrder() {
    const a = document.activeElement;
    return a && queueList.contains(a) ? a.closest('[data-order-id]')?.dataset.orderId ?? null : null;
  }
  const buttonOf = (id) => [...queueList.children].find((li) => li.dataset.orderId === id)?.querySelector('button');
  function refreshSoon() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, 30);   // a waterfall step is several events in one commit: one refetch
  }

  function card(o) {
    const root = rootOperation(o);
    const err = h('p', { class: 'field-error', role: 'alert', text: refusals.get(o.id)?.text });
    const started = o.status === 'IN_PROGRESS';
    const button = h('button', { type: 'button', class: 'primary', dataset: { action: started ? 'continue' : 'start' } },
      started ? 'Continue' : 'Start');
    button.addEventListener('click', async () => {
      err.textContent = '';
      refusals.delete(o.id);
      if (started) return openBuild(o.id);
      button.disabled = true;
      try {
        const body = await ctx.request(START, { input: { operationOrderId: o.id, stationId, operatorName: session.operator() ?? operator } });
        if (body.errors?.length) {
          const e = body.errors[0];
          err.textContent = refusalText({ code: e.extensions?.code, message: e.message, extensions: e.extensions });
          refusals.set(o.id, { status: o.status, text: err.textContent });
          refreshSoon();
          return;
        }
        openBuild(o.id);
      } catch (e) {
        err.textContent = e instanceof NetworkError ? NETWORK_TEXT : e.message;
      } finally {
        button.disabled = false;
      }
    });
    return h('li', { class: `order-card ${started ? 'started' : ''}`, dataset: { orderId: o.id } },
      h('div', { class: 'order-main' },
        h('h2', { text: o.operation?.name ?? 'Work order' }),
        h('p', { class: 'order-line', text: [orderLabel(o), root ? `for ${partLabel(root)}` : null].filter(Boolean).join(' · ') }),
        o.reservedSerialNumber ? h('p', { class: 'order-line', text: `Serial ${o.reservedSerialNumber}` }) : null,
        err),
      h('span', { class: `badge ${o.status.toLowerCase()}` },
        statusText(o.status) + (started && o.operator ? `: ${o.operator.name}` : '')),
      button);
  }

  function openBuild(orderId) {
    build?.unmount();
    focusQueue = false;
    sessionStorage.setItem(openKey(stationId), orderId);
    queuePanel.hidden = true;
    buildPanel.hidden = false;
    build = buildForm(buildPanel, {
      orderId, stationId, ctx, operator: () => session.operator() ?? operator,
      onClose: (message) => closeBuild(message),
    });
  }
  function closeBuild(message) {
    build?.unmount();
    build = null;
    sessionStorage.removeItem(openKey(stationId));
    fill(buildPanel);
    buildPanel.hidden = true;
    queuePanel.hidden = false;
    if (message) ctx.toast(message);
    // the queue's buttons are about to be rebuilt: the first new one gets the focus
    focusQueue = true;
    main.focus({ preventScroll: true });
    refresh();
  }

  cleanups.push(ctx.ws.subscribe({ query: EVENTS, variables: { s: stationId } }, {
    next: (msg) => {
      if (msg.errors?.length) {
        queueNote.textContent = `Live updates failed: ${msg.errors[0].message}`;
        return;
      }
      const ev = msg.data?.workOrderEventsStream;
      if (ev && build) build.orderEvent(ev);
      refreshSoon();
    },
    resumed: refreshSoon,   // events were missed while it was down (the app shows that it was)
  }));
  cleanups.push(ctx.ws.onReconnect(() => {
    refresh();
    build?.reconnected();
  }));
  loadStation();

  return () => {
    alive = false;
    clearTimeout(refreshTimer);
    build?.unmount();
    for (const f of cleanups) f();
  };
}
