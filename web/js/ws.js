// A graphql-transport-ws client (the graphql-ws library's protocol) in
// plain JavaScript: one socket for every live view of the app.
//
//   const ws = createWsClient({ url, token, onStatus, onLive, onAuthFailed });
//   const stop = ws.subscribe({ query, variables }, { next, error, resumed });
//   ws.onReconnect(() => refetch());   // after a lost connection came back
//
// connection_init carries the token (payload.authorization); subscriptions
// are sent after connection_ack and sent again on every new connection. The
// payload may be a function, called at each (re)subscribe, so a view can
// resume a stream from the last seq it has seen. A lost socket is
// reconnected with exponential backoff (0.25 s doubling to 5 s, with
// jitter, so a floor of tablets does not reconnect in step).
//
// The server's pings are answered; the client pings too, and a ping left
// unanswered for pingMs drops the socket at once, as does a connection not
// acknowledged within pingMs: a half-open connection shows up as lost
// instead of silently delivering nothing (waiting for the socket's close
// event would take Chromium about 80 s on a dead TCP connection). Close
// 4403 (token refused) stops reconnecting and calls onAuthFailed.
//
// A subscription the server ends with `error` ("subscriber too slow; resume
// with afterSeq", a failed read) is kept and sent again after a backoff
// (1 s doubling to 30 s while no data comes). It counts as down from the
// error until mesd has accepted it again (a ping sent after the subscribe
// is answered: mesd refuses a subscribe before it reads the next message);
// then its sink's resumed() is called, so the view refetches what it missed.
// onLive(message) says whether any subscription is down (its error
// message) or none is (null).
export function createWsClient({ url, token, onStatus = () => {}, onLive = () => {}, onAuthFailed = () => {}, pingMs = 10000 }) {
  const subs = new Map();          // id -> { payload, sink, down, confirmAt, failures, retry }
  const reconnectListeners = new Set();
  let socket = null;
  let acked = false;
  let attempt = 0;
  let everConnected = false;
  let closedByUs = false;
  let retryTimer = null;
  let pingTimer = null;
  let ackTimer = null;
  let awaitingPong = false;
  let pingsSent = 0;               // on this connection; pongs answer them in order
  let pongsSeen = 0;
  let nextId = 1;
  let status = 'connecting';
  let live = null;

  const setStatus = (s) => {
    if (s === status) return;
    status = s;
    onStatus(s);
  };
  const setLive = () => {
    const down = [...subs.values()].find((sub) => sub.down !== null);
    const l = down ? down.down : null;
    if (l === live) return;
    live = l;
    onLive(l);
  };
  const send = (msg) => {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(msg));
  };
  const ping = () => {
    send({ type: 'ping' });
    return ++pingsSent;
  };
  function sendSubscribe(id, sub) {
    clearTimeout(sub.retry);
    sub.retry = null;
    const payload = typeof sub.payload === 'function' ? sub.payload() : sub.payload;
    send({ id, type: 'subscribe', payload });
    if (sub.down !== null) sub.confirmAt = ping();
  }

  function connect() {
    retryTimer = null;
    acked = false;
    pingsSent = 0;
    pongsSeen = 0;
    setStatus(everConnected ? 'reconnecting' : 'connecting');
    let s;
    try {
      s = new WebSocket(url, 'graphql-transport-ws');
    } catch {
      scheduleRetry();
      return;
    }
    socket = s;
    ackTimer = setTimeout(drop, pingMs);
    s.onopen = () => send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
    s.onmessage = (ev) => {
      let msg;
      try { msg = JSON.parse(ev.data); } catch { return; }
      awaitingPong = false;   // any message shows the connection is alive
      switch (msg.type) {
        case 'connection_ack': {
          clearTimeout(ackTimer);
          acked = true;
          attempt = 0;
          const again = everConnected;
          everConnected = true;
          for (const [id, sub] of subs) sendSubscribe(id, sub);
          startPings();
          setStatus('connected');
          if (again) for (const f of reconnectListeners) f();
          break;
        }
        case 'ping': send({ type: 'pong' }); break;
        case 'pong': confirm(++pongsSeen); break;
        case 'next': {
          const sub = subs.get(msg.id);
          if (sub) sub.failures = 0;   // data flows: a later error starts the backoff afresh
          sub?.sink.next?.(msg.payload);
          break;
        }
        case 'error': {
          const sub = subs.get(msg.id);
          if (!sub) break;
          sub.down = msg.payload?.[0]?.message ?? 'refused';
          sub.confirmAt = 0;
          const base = Math.min(30000, 1000 * 2 ** sub.failures);
          sub.failures += 1;
          clearTimeout(sub.retry);
          // without a connection, connection_ack subscribes it again
          sub.retry = setTimeout(() => { if (acked && subs.get(msg.id) === sub) sendSubscribe(msg.id, sub); },
            base / 2 + Math.random() * base / 2);
          setLive();
          sub.sink.error?.(msg.payload);
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
      clearTimeout(ackTimer);
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

  // The subscriptions sent again before pong number n was asked for are up.
  function confirm(n) {
    for (const sub of subs.values()) {
      if (sub.down === null || !sub.confirmAt || sub.confirmAt > n) continue;
      sub.down = null;
      sub.confirmAt = 0;
      sub.sink.resumed?.();
    }
    setLive();
  }

  // Gives up the socket now, without waiting for its close event (which a
  // dead TCP connection delays for a minute or more), and reconnects.
  function drop() {
    const s = socket;
    if (!s) return;
    s.onopen = s.onmessage = s.onclose = s.onerror = null;
    socket = null;
    acked = false;
    clearTimeout(ackTimer);
    stopPings();
    scheduleRetry();
    s.close(4408, 'no answer');
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
      if (awaitingPong) return drop();
      awaitingPong = true;
      ping();
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
      const sub = { payload, sink, down: null, confirmAt: 0, failures: 0, retry: null };
      subs.set(id, sub);
      if (acked) sendSubscribe(id, sub);
      return () => {
        clearTimeout(sub.retry);
        if (subs.delete(id) && acked) send({ id, type: 'complete' });
        setLive();
      };
    },
    onReconnect(f) {
      reconnectListeners.add(f);
      return () => reconnectListeners.delete(f);
    },
    dispose() {
      closedByUs = true;
      if (retryTimer) clearTimeout(retryTimer);
      clearTimeout(ackTimer);
      stopPings();
      for (const sub of subs.values()) clearTimeout(sub.retry);
      subs.clear();
      setLive();
      socket?.close(1000, 'bye');
      socket = null;
    },
  };
}
