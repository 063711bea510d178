// A graphql-transport-ws client (the graphql-ws library's protocol) in
// plain JavaScript: one socket for every live view of the app.
//
//   const ws = createWsClient({ url, token, onStatus, onAuthFailed });
//   const stop = ws.subscribe({ query, variables }, { next, error });
//   ws.onReconnect(() => refetch());   // after a lost connection came back
//
// connection_init carries the token (payload.authorization); subscriptions
// are sent after connection_ack and sent again on every new connection. A
// lost socket is reconnected with exponential backoff (0.25 s doubling to
// 5 s, with jitter, so a floor of tablets does not reconnect in step). The
// server's pings are answered; the client pings too, and a ping left
// unanswered for pingMs closes the socket (a half-open connection shows
// up as lost instead of silently delivering nothing). Close 4403 (token
// refused) stops reconnecting and calls onAuthFailed.
export function createWsClient({ url, token, onStatus = () => {}, onAuthFailed = () => {}, pingMs = 10000 }) {
  const subs = new Map();          // id -> { payload, sink }
  const reconnectListeners = new Set();
  let socket = null;
  let acked = false;
  let attempt = 0;
  let everConnected = false;
  let closedByUs = false;
  let retryTimer = null;
  let pingTimer = null;
  let awaitingPong = false;
  let nextId = 1;
  let status = 'connecting';

  const setStatus = (s) => {
    if (s === status) return;
    status = s;
    onStatus(s);
  };
  const send = (msg) => {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(msg));
  };

  function connect() {
    retryTimer = null;
    acked = false;
    setStatus(everConnected ? 'reconnecting' : 'connecting');
    let s;
    try {
      s = new WebSocket(url, 'graphql-transport-ws');
    } catch {
      scheduleRetry();
      return;
    }
    socket = s;
    s.onopen = () => send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
    s.onmessage = (ev) => {
      let msg;
      try { msg = JSON.parse(ev.data); } catch { return; }
      awaitingPong = false;   // any message shows the connection is alive
      switch (msg.type) {
        case 'connection_ack': {
          acked = true;
          attempt = 0;
          const again = everConnected;
          everConnected = true;
          for (const [id, sub] of subs) send({ id, type: 'subscribe', payload: sub.payload });
          startPings();
          setStatus('connected');
          if (again) for (const f of reconnectListeners) f();
          break;
        }
        case 'ping': send({ type: 'pong' }); break;
        case 'next': subs.get(msg.id)?.sink.next?.(msg.payload); break;
        case 'error': {
          const sub = subs.get(msg.id);
          subs.delete(msg.id);
          sub?.sink.error?.(msg.payload);
          break;
        }
        case 'complete': {
          const sub = subs.get(msg.id);
          subs.delete(msg.id);
          sub?.sink.complete?.();
          break;
        }
        default: break;
      }
    };
    s.onclose = (ev) => {
      if (socket !== s) return;
      socket = null;
      stopPings();
      if (closedByUs) return;
      if (ev.code === 4403 || ev.code === 4401) {
        setStatus('unauthorized');
        onAuthFailed();
        return;
      }
      scheduleRetry();
    };
  }

  function scheduleRetry() {
    setStatus(everConnected ? 'reconnecting' : 'connecting');
    const base = Math.min(5000, 250 * 2 ** attempt);
    attempt += 1;
    retryTimer = setTimeout(connect, base / 2 + Math.random() * base / 2);
  }

  function startPings() {
    stopPings();
    awaitingPong = false;
    pingTimer = setInterval(() => {
      if (awaitingPong) {
        socket?.close(4408, 'no pong');   // onclose reconnects
        return;
      }
      awaitingPong = true;
      send({ type: 'ping' });
    }, pingMs);
  }
  function stopPings() {
    if (pingTimer) clearInterval(pingTimer);
    pingTimer = null;
  }

  connect();

  return {
    status: () => status,
    subscribe(payload, sink) {
      const id = String(nextId++);
      subs.set(id, { payload, sink });
      if (acked) send({ id, type: 'subscribe', payload });
      return () => {
        if (subs.delete(id) && acked) send({ id, type: 'complete' });
      };
    },
    onReconnect(f) {
      reconnectListeners.add(f);
      return () => reconnectListeners.delete(f);
    },
    dispose() {
      closedByUs = true;
      if (retryTimer) clearTimeout(retryTimer);
      stopPings();
      subs.clear();
      socket?.close(1000, 'bye');
      socket = null;
    },
  };
}
