// The station app's shell: sign-in state, the one WebSocket, the top bar,
// the connection banner and the client-side routes. mesd answers
// index.html for each of these paths (src/server/static.c keeps the same
// list), so a page can be reloaded or bookmarked:
//   /signin  /stations  /station/<id>  /board      (/ picks one of them)
// Everything goes through mesd's public GraphQL API; nothing else.
import { session } from './session.js';
import { request, query, AuthError, NetworkError, GqlError } from './gql.js';
import { createWsClient } from './ws.js';
import { signinView } from './view_signin.js';
import { stationsView } from './view_stations.js';
import { stationView } from './view_station.js';
import { boardView } from './view_board.js';
import { fill, h } from './dom.js';

const $ = (id) => document.getElementById(id);
const main = $('view');
let app = null;          // { token, viewer, ws } once signed in
let unmount = null;
let toastTimer = null;

const VIEWER = '{ viewer { role station { id name } } }';

export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  render();
}

function toast(text) {
  const t = $('toast');
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, 5000);
}

function setPlace(text) { $('place').textContent = text ?? ''; }

function showOperator(name) {
  $('operator').hidden = !name;
  $('operator-name').textContent = name ? `Operator: ${name}` : '';
}

function chrome() {
  const signedIn = !!app;
  $('sign-out').hidden = !signedIn;
  $('nav-board').hidden = !signedIn;
  // a token bound to one station has no station to choose
  $('nav-stations').hidden = !signedIn || !!app.viewer.station || app.viewer.role === 'erp';
}

// A subscription mesd ended with an error is down until ws.js has it
// accepted again: the screen may be out of date meanwhile, so this stays
// up for as long as that lasts.
function setLive(message) {
  $('live').hidden = !message;
  $('live-why').textContent = message ? `(mesd: ${message})` : '';
}

// The ping period of the WebSocket, 10 s unless localStorage's
// mesd.pingMs says otherwise (100 to 60000): the browser test sets it to
// see a half-open connection found in seconds.
function pingMs() {
  const ms = Number(localStorage.getItem('mesd.pingMs'));
  return ms >= 100 && ms <= 60000 ? ms : undefined;
}

function setConnection(status) {
  // shown only once a connection was had and lost: the first connect is quiet
  $('conn').hidden = status !== 'reconnecting';
  document.body.classList.toggle('offline', status === 'reconnecting');
}

async function signIn(token) {
  const data = await query(token, VIEWER);   // throws AuthError, NetworkError
  session.setToken(token);
  startApp(token, data.viewer);
  return data.viewer;
}

function startApp(token, viewer) {
  app?.ws.dispose();
  setConnection('connecting');
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const ws = createWsClient({
    url: `${scheme}://${location.host}/graphql`,
    token,
    onStatus: setConnection,
    onLive: setLive,
    pingMs: pingMs(),
    onAuthFailed: () => signOut('This token is no longer accepted. Sign in again.'),
  });
  app = { token, viewer, ws };
  chrome();
}

function signOut(message) {
  app?.ws.dispose();
  app = null;
  session.signOut();
  setConnection('connected');
  showOperator(null);
  chrome();
  navigate('/signin', { replace: true });
  if (message) toast(message);
}

function home() {
  const v = app.viewer;
  if (v.station) return `/station/${v.station.id}`;
  return v.role === 'erp' ? '/board' : '/stations';
}

function context() {
  return {
    ...app,
    request: (q, vars) => request(app.token, q, vars),
    query: (q, vars) => query(app.token, q, vars),
    navigate,
    toast,
    setPlace,
    showOperator,
    rerender: render,
  };
}

function render() {
  unmount?.();
  unmount = null;
  setPlace('');
  showOperator(null);
  fill(main);
  const path = location.pathname;
  if (!app) {
    if (path !== '/signin') { history.replaceState(null, '', '/signin'); }
    unmount = signinView(main, { signIn, navigate: (p) => navigate(p, { replace: true }), home: () => home() });
    return;
  }
  const station = /^\/station\/([A-Za-z0-9_]{1,50})$/.exec(path);
  if (path === '/' || path === '/signin') return navigate(home(), { replace: true });
  if (path === '/stations') unmount = stationsView(main, context());
  else if (station) unmount = stationView(main, station[1].toLowerCase(), context());
  else if (path === '/board') unmount = boardView(main, context());
  else fill(main, h('section', { class: 'panel' }, h('h1', { text: 'Page not found' }),
    h('a', { href: '/', 'data-link': true, class: 'button primary' }, 'Go to the start')));
  // a view that focused a field of its own (the operator's name) keeps it
  if (!main.contains(document.activeElement)) main.focus({ preventScroll: true });
}

async function boot() {
  document.addEventListener('click', (e) => {
    const a = e.target.closest?.('a[data-link]');
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault();
    navigate(a.getAttribute('href'));
  });
  window.addEventListener('popstate', render);
  $('sign-out').addEventListener('click', () => signOut());
  $('change-operator').addEventListener('click', () => {
    session.clearOperator();
    render();
  });
  const token = session.token();
  if (!token) return render();
  // A stored token: check it (and learn its station) before showing anything.
  for (let wait = 500; ; wait = Math.min(wait * 2, 5000)) {
    try {
      const data = await query(token, VIEWER);
      startApp(token, data.viewer);
      return render();
    } catch (e) {
      if (e instanceof AuthError) return signOut('This token is no longer accepted. Sign in again.');
      if (!(e instanceof NetworkError || e instanceof GqlError)) throw e;
      // mesd unreachable, or answering with an error (a 5xx's GraphQL body): say so and try again
      if (e instanceof NetworkError) setConnection('reconnecting');
      else fill(main, h('section', { class: 'panel' }, h('h1', { text: 'mesd cannot answer yet' }),
        h('p', { id: 'boot-error', class: 'field-error', text: `mesd answered: ${e.message}. Trying again…` })));
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

boot();
