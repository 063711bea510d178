/*
 * net.h: mesd's transport layer: HTTP/1.1, WebSocket (RFC 6455) and
 * server-sent events, with no knowledge of GraphQL or MES.
 *
 * The contract
 * - Two halves. The CORE (net_http.c, net_conn.c, net_resp.c, net_ws.c,
 *   net_sse.c) is a state machine per connection: bytes go in with
 *   net_conn_feed, bytes come out through the net_io callbacks, time goes in
 *   with net_conn_tick. It never touches a socket or a loop, so unit tests and
 *   fuzzers drive it with byte strings. The GLUE (net_uv.c) connects it to
 *   libuv: listener, reads, writes, one timer, graceful shutdown.
 * - Threads. Everything here runs on the ONE loop thread: every callback is
 *   called there, and every function must be called there. Work finished on
 *   another thread (a committed mutation) comes back with uv_async_send
 *   before it answers a request.
 * - Requests. on_request is called once per request, after its whole body is
 *   in. The handler answers now or later (net_resp_send, or a stream:
 *   net_resp_stream_start, _write, _end), at most once; answers go out in
 *   request order whatever order they are given in (pipelining). A net_req
 *   stays valid until the handler's final call on it (net_resp_send,
 *   net_resp_stream_end, net_req_drop or net_ws_accept), even if the client
 *   has gone: the calls are then no-ops that free it. Everything a request
 *   points to (path, headers, body) lives as long as the net_req.
 * - WebSockets. A request with a valid upgrade handshake reaches on_request
 *   with net_req_is_websocket true; the handler picks a subprotocol from the
 *   offered list and calls net_ws_accept, or refuses with an HTTP answer (the
 *   connection then closes). A net_ws is valid from net_ws_accept until its
 *   on_close callback returns; on_close is called exactly once for every
 *   accepted WebSocket (code 1006 when the connection died without a close
 *   handshake), even if on_open never ran.
 * - Re-entrancy. Any function may be called from any callback: work it
 *   causes (writing, closing, parsing what was buffered) is done once the
 *   callback returns, never inside it. A connection is never freed under a
 *   callback.
 * - Memory is bounded: header bytes, body bytes, WebSocket messages, requests
 *   in flight per connection and pending output per connection are all
 *   capped (net_config). Past the output cap the connection is closed with a
 *   logged reason: a slow reader never makes the server grow.
 * - An idle connection holds no buffer: input is parsed where the transport
 *   read it (only an unparsed rest is copied), output is handed over at the
 *   end of each call, a WebSocket message buffer lives until its message is
 *   delivered. An idle WebSocket costs under 1 KiB in the core, about 1.3 KiB
 *   with the libuv glue (tests/unit/test_http_memory.c holds it to that).
 * - Answers carry a Date header (RFC 9110 IMF-fixdate, made once a second).
 * - Every error a client can cause is an answer (400, 408, 413, 417, 431,
 *   close 1002/1007/1009) or a closed connection, never an abort.
 */
#ifndef MESD_NET_H
#define MESD_NET_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct net_server net_server; /* config, handlers, metrics: one per listener */
typedef struct net_conn net_conn;     /* one client connection */
typedef struct net_req net_req;       /* one HTTP request and its answer slot */
typedef struct net_ws net_ws;         /* one accepted WebSocket */

/* ---- configuration ---------------------------------------------------- */

typedef struct net_config {
    size_t max_header_bytes;     /* request line + headers; over it: 431. Default 16 KiB */
    size_t max_body_bytes;       /* over it: 413. Default 1 MiB */
    size_t max_ws_message;       /* over it: close 1009. Default 1 MiB */
    size_t max_output_bytes;     /* pending output per connection; over it: closed. Default 8 MiB */
    uint32_t max_pipeline;       /* requests in flight per connection before reading pauses. Default 32 */
    uint32_t max_connections;    /* over it: accepted, answered 503, closed. Default 10000 */
    uint32_t header_timeout_ms;  /* from a request's first byte to its last header. Default 10 s */
    uint32_t idle_timeout_ms;    /* keep-alive idle, or a stalled body. Default 60 s */
    uint32_t ws_close_timeout_ms;/* wait for the peer's close frame. Default 5 s */
    uint32_t shutdown_timeout_ms;/* graceful shutdown deadline. Default 10 s */
    uint32_t tick_ms;            /* the glue's timer period. Default 250 ms */
} net_config;

/* The defaults above. */
void net_config_defaults(net_config *cfg);

/* ---- handlers --------------------------------------------------------- */

typedef struct net_handlers {
    /* A complete request (headers and body). See "Requests" above. */
    void (*on_request)(net_req *req, void *user);
    /* A log line: level is "info", "warn" or "error"; event a short
     * identifier ("conn_closed"); detail free text (may be NULL). NULL: one
     * JSON object per line on stderr. */
    void (*on_log)(void *user, const char *level, const char *event, const char *detail);
    void *user;
} net_handlers;

/* ---- metrics ----------------------------------------------------------- */

/* Plain counters, read at any time on the loop thread. */
typedef struct net_metrics {
    uint64_t conns_http;       /* open connections speaking HTTP */
    uint64_t conns_ws;         /* open WebSocket connections */
    uint64_t streams_open;     /* streaming (SSE) answers in progress */
    uint64_t conns_accepted;   /* total */
    uint64_t conns_refused;    /* over max_connections (503) */
    uint64_t closed_output_cap;/* closed for a slow reader */
    uint64_t closed_timeout;   /* header, idle or close-handshake timeouts */
    uint64_t requests;         /* total requests answered */
    uint64_t responses[6];     /* by status class: [1] 1xx … [5] 5xx (100 Continue not counted) */
    uint64_t ws_messages_in, ws_messages_out;
    uint64_t bytes_in, bytes_out;
} net_metrics;

/* ---- server (the core's shared state) --------------------------------- */

/* cfg NULL: defaults. The handlers are copied. */
net_server *net_server_new(const net_config *cfg, const net_handlers *h);
/* Every connection must be freed first. */
void net_server_free(net_server *srv);
const net_config *net_server_config(const net_server *srv);
const net_metrics *net_server_metrics(const net_server *srv);
/* The clock the core reads (milliseconds, monotonic). Default CLOCK_MONOTONIC;
 * tests set their own. */
void net_server_set_clock(net_server *srv, uint64_t (*now_ms)(void *user), void *user);
uint64_t net_server_now(const net_server *srv);
/* The wall clock for the Date header (seconds since the epoch). Default
 * time(); tests set their own. */
void net_server_set_wall_clock(net_server *srv, int64_t (*now_s)(void *user), void *user);

/* ---- connections (the glue's side) ------------------------------------ */

/* What the core needs from the transport under a connection. */
typedef struct net_io {
    /* Queue bytes for the peer; copy them before returning. Report them
     * written with net_conn_written once the peer has taken them (which may
     * be before write returns, from inside it): until then they count
     * against max_output_bytes. */
    void (*write)(void *io, const void *data, size_t len);
    /* Stop (true) or restart (false) reading: the core has enough input
     * buffered (pipeline full, WebSocket handshake not yet sent). */
    void (*pause_read)(void *io, bool paused);
    /* The core is done. graceful: send what was written, then close
     * (shutdown, close); otherwise close now. After this returns the
     * transport must forget the net_conn: the core frees it once the current
     * call returns, and no net_conn_* call may follow. */
    void (*close)(void *io, bool graceful);
} net_io;

/* A new connection. peer: the client's address for logs (copied, may be NULL). */
net_conn *net_conn_new(net_server *srv, const net_io *io, void *io_user, const char *peer);
/* Bytes from the peer. They are parsed where they are and whatever the core
 * keeps is copied before this returns, so the caller may reuse its buffer
 * (the glue reads every connection into one). The transport's read path
 * only: never from inside one of this connection's callbacks. */
void net_conn_feed(net_conn *c, const void *data, size_t len);
/* The peer shut its sending side: answer what is in flight, then close. */
void net_conn_eof(net_conn *c);
/* len bytes given to io->write have reached the peer (or the kernel). */
void net_conn_written(net_conn *c, size_t len);
/* Enforce timeouts and send SSE keep-alives; call every tick_ms. */
void net_conn_tick(net_conn *c);
/* The transport failed (reset, write error): close now; reason is logged. */
void net_conn_abort(net_conn *c, const char *reason);
/* Over max_connections: answer 503 and close. */
void net_conn_refuse(net_conn *c);
/* Graceful shutdown: stop reading new requests, finish those in flight,
 * close WebSockets with 1001; the connection closes itself when done. */
void net_conn_shutdown(net_conn *c);
/* Bytes written to io and not yet reported written, plus answers waiting for
 * their turn. */
size_t net_conn_pending(const net_conn *c);
/* For logs. */
const char *net_conn_peer(const net_conn *c);

/* ---- requests ----------------------------------------------------------- */

/* A name and a value, NUL-terminated; lengths given for values holding NUL. */
typedef struct net_kv {
    const char *name, *value;
    size_t name_len, value_len;
} net_kv;

const char *net_req_method(const net_req *r);      /* "GET", "POST", … */
const char *net_req_target(const net_req *r);      /* as sent: "/graphql?query=…" */
const char *net_req_path(const net_req *r);        /* the target before '?', not decoded */
/* The path percent-decoded, for routing ("/graph%71l" is "/graphql"). '+'
 * stays '+' (form decoding is for the query), a '%' without two hex digits
 * stays as sent, and so does "%00": the result is always a whole C string. */
const char *net_req_path_decoded(const net_req *r);
const char *net_req_query_string(const net_req *r);/* after '?', not decoded; "" when none */
/* Query parameters, percent- and '+'-decoded, in order. */
size_t net_req_param_count(const net_req *r);
const net_kv *net_req_param_at(const net_req *r, size_t i);
const net_kv *net_req_param(const net_req *r, const char *name); /* the first; NULL: none */
/* Headers in order; names as sent, values with surrounding blanks trimmed. */
size_t net_req_header_count(const net_req *r);
const net_kv *net_req_header_at(const net_req *r, size_t i);
/* The first header of that name (case-insensitive); NULL: none. */
const char *net_req_header(const net_req *r, const char *name);
/* The body (chunked bodies arrive de-chunked); NUL-terminated, "" when none. */
const char *net_req_body(const net_req *r, size_t *len);
int net_req_http_minor(const net_req *r);          /* 0 or 1 (HTTP/1.x) */
/* Whether the connection stays open after this answer. */
bool net_req_keep_alive(const net_req *r);
net_conn *net_req_conn(const net_req *r);          /* NULL once the client has gone */
bool net_req_client_gone(const net_req *r);
/* Told once if the connection closes before the answer is complete (the
 * handler still makes its final call). Useful to stop a stream early. */
void net_req_set_on_gone(net_req *r, void (*on_gone)(net_req *r, void *user), void *user);
/* Free for the application. */
void *net_req_user(const net_req *r);
void net_req_set_user(net_req *r, void *user);

/* ---- answers ------------------------------------------------------------ */

/* Extra header for the answer, before net_resp_send / _stream_start (copied).
 * Content-Length, Transfer-Encoding and Connection are the core's. */
void net_resp_header(net_req *r, const char *name, const char *value);
/* Close the connection after this answer. */
void net_resp_close_after(net_req *r);
/* A whole answer; the final call. content_type NULL: no Content-Type. */
void net_resp_send(net_req *r, int status, const char *content_type, const void *body, size_t len);
/* A streaming answer: chunked on HTTP/1.1, delimited by closing the
 * connection on HTTP/1.0. Then _write any number of times, then _end (the
 * final call). Writing after the client has gone does nothing. */
void net_resp_stream_start(net_req *r, int status, const char *content_type);
void net_resp_stream_write(net_req *r, const void *data, size_t len);
void net_resp_stream_end(net_req *r);
/* No answer will come (the application gave up): 500 if none started; a
 * stream in progress is cut and the connection closed. The final call. */
void net_req_drop(net_req *r);
/* Bytes of this connection not yet taken by the peer (0 when gone): a stream
 * falling behind can be dropped before the output cap closes it. */
size_t net_req_pending(const net_req *r);

/* ---- server-sent events ------------------------------------------------- */

/* Start an SSE stream (200, text/event-stream, no-cache). keepalive_ms > 0:
 * a ":" comment is sent whenever the stream was quiet that long. */
void net_sse_start(net_req *r, uint32_t keepalive_ms);
/* One event: "event: NAME" (when event is non-NULL), an "id:" when id is
 * non-NULL, one "data:" line per line of data (LF, CRLF or CR separated),
 * then an empty line. event and id must not hold CR or LF (they are cut there). */
void net_sse_event(net_req *r, const char *event, const char *id, const char *data, size_t len);
/* A comment line ":" TEXT; text NULL: the bare keep-alive ":\n\n". */
void net_sse_comment(net_req *r, const char *text);
/* Append one SSE event to buf (helpers for writers that build bytes first).
 * Returns the bytes it needs; writes at most cap. */
size_t net_sse_format(char *buf, size_t cap, const char *event, const char *id, const char *data,
                      size_t len);

/* ---- WebSocket ---------------------------------------------------------- */

bool net_req_is_websocket(const net_req *r);
/* The offered Sec-WebSocket-Protocol values, in the client's order. */
size_t net_req_ws_protocol_count(const net_req *r);
const char *net_req_ws_protocol(const net_req *r, size_t i);
/* The first of prefs (NULL-terminated, in the server's order of preference)
 * the client offered; NULL: none. */
const char *net_req_ws_pick(const net_req *r, const char *const *prefs);

typedef enum net_ws_kind { NET_WS_TEXT = 1, NET_WS_BINARY = 2 } net_ws_kind;

typedef struct net_ws_handlers {
    /* The 101 answer has gone out; messages may follow. May be NULL. */
    void (*on_open)(net_ws *ws, void *user);
    /* A whole message (text is valid UTF-8). data lives until return. */
    void (*on_message)(net_ws *ws, net_ws_kind kind, const char *data, size_t len, void *user);
    /* The end, exactly once: the close code received or sent (1006: no close
     * handshake), reason NUL-terminated. The net_ws is invalid after return. */
    void (*on_close)(net_ws *ws, int code, const char *reason, void *user);
} net_ws_handlers;

/* Accept the upgrade (the final call on req): 101 with the chosen protocol
 * (NULL: no Sec-WebSocket-Protocol header). h is copied. NULL if req is not a
 * WebSocket handshake (the request is then answered 400) or the client has
 * gone (on_close is then never called). */
net_ws *net_ws_accept(net_req *req, const char *protocol, const net_ws_handlers *h, void *user);
/* One unfragmented message. Ignored once closing. */
void net_ws_send(net_ws *ws, net_ws_kind kind, const void *data, size_t len);
void net_ws_send_text(net_ws *ws, const char *text); /* NUL-terminated */
void net_ws_ping(net_ws *ws, const void *data, size_t len); /* len <= 125 */
/* Start the close handshake: code 1000-1003, 1007-1014 or 3000-4999 (others
 * become 1000); reason cut to 123 bytes at a UTF-8 boundary. */
void net_ws_close(net_ws *ws, int code, const char *reason);
/* Bytes not yet taken by the peer. */
size_t net_ws_pending(const net_ws *ws);
const char *net_ws_protocol(const net_ws *ws);     /* the accepted one, or NULL */
net_conn *net_ws_conn(const net_ws *ws);
void *net_ws_user(const net_ws *ws);
void net_ws_set_user(net_ws *ws, void *user);

/* Helpers the core uses, public for tests: Sec-WebSocket-Accept for a key
 * (out holds 29 bytes: 28 and NUL); whether a close code may be received;
 * whether bytes are valid UTF-8. */
void net_ws_accept_key(const char *key, size_t len, char out[29]);
bool net_ws_close_code_valid(int code);
bool net_utf8_valid(const void *data, size_t len);

/* An HTTP date (RFC 9110 IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT") for
 * seconds since the epoch. Every answer with a status line carries one (the
 * server makes it at most once a second). */
void net_http_date(int64_t unix_seconds, char out[30]);

/* ---- the libuv glue (net_uv.c) ------------------------------------------ */

struct uv_loop_s;
typedef struct net_listener net_listener;

/* Listen on host:port (port 0: ephemeral; see net_listener_port). Returns
 * NULL and a libuv error code in *err on failure. srv must outlive it. */
net_listener *net_listen(struct uv_loop_s *loop, net_server *srv, const char *host, int port, int *err);
int net_listener_port(const net_listener *l);
/* Graceful shutdown: stop accepting, let requests in flight finish, close
 * WebSockets with 1001, and after shutdown_timeout_ms close whatever is
 * left. done runs once every handle is closed (the listener is then freed);
 * done NULL: uv_stop the loop instead. */
void net_listener_shutdown(net_listener *l, void (*done)(void *user), void *user);

#endif
