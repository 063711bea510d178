/*
 * test_http_harness.h: drives the connection core (src/net) with byte
 * strings and a fake clock, for the test_http*, test_ws* and test_sse*
 * programs. The transport is a buffer: what the core writes is appended to
 * out; close is recorded (the core frees the connection itself).
 */
#ifndef MESD_TEST_HTTP_HARNESS_H
#define MESD_TEST_HTTP_HARNESS_H
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "net.h"

typedef struct th {
    net_server *srv;
    net_conn *c;
    char *out;
    size_t out_len, out_cap, unacked;
    bool closed, graceful, paused;
    uint64_t now;
    /* requests the handler kept (mode HOLD) */
    net_req *held[64];
    size_t nheld;
    int mode; /* TH_ECHO: answer at once with "METHOD PATH|body"; TH_HOLD: keep */
    /* WebSocket events */
    net_ws *ws;
    char msgs[16][256];
    size_t nmsgs;
    int close_code;
    char close_reason[128];
    bool ws_opened, ws_closed, echo_ws;
} th;

enum { TH_ECHO, TH_HOLD };

static inline void th_write(void *io, const void *d, size_t n) {
    th *t = io;
    if (t->out_len + n + 1 > t->out_cap) {
        t->out_cap = (t->out_len + n + 1) * 2;
        t->out = realloc(t->out, t->out_cap);
    }
    memcpy(t->out + t->out_len, d, n);
    t->out_len += n;
    t->out[t->out_len] = 0;
    t->unacked += n;
}
static inline void th_pause(void *io, bool p) { ((th *)io)->paused = p; }
static inline void th_close(void *io, bool graceful) {
    th *t = io;
    t->closed = true;
    t->graceful = graceful;
    t->c = NULL;
}
static const net_io th_io = {th_write, th_pause, th_close};
static inline uint64_t th_clock(void *u) { return ((th *)u)->now; }
/* The Date header's clock, fixed: RFC 9110's example date. */
#define TH_DATE "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
static inline int64_t th_wall(void *u) { return 784111777; }

static inline void th_ws_open(net_ws *ws, void *u) { ((th *)u)->ws_opened = true; }
static inline void th_ws_message(net_ws *ws, net_ws_kind k, const char *d, size_t n, void *u) {
    th *t = u;
    if (t->nmsgs < 16) snprintf(t->msgs[t->nmsgs++], 256, "%c:%.*s", k == NET_WS_TEXT ? 't' : 'b', (int)n, d);
    if (t->echo_ws) net_ws_send(ws, k, d, n);
}
static inline void th_ws_close(net_ws *ws, int code, const char *reason, void *u) {
    th *t = u;
    t->ws_closed = true;
    t->close_code = code;
    snprintf(t->close_reason, sizeof t->close_reason, "%s", reason);
    t->ws = NULL;
}
static const net_ws_handlers th_ws_handlers = {th_ws_open, th_ws_message, th_ws_close};

static inline void th_on_request(net_req *r, void *u) {
    th *t = u;
    if (net_req_is_websocket(r)) {
        static const char *const prefs[] = {"graphql-transport-ws", "graphql-ws", NULL};
        const char *p = net_req_ws_pick(r, prefs);
        if (!p && net_req_ws_protocol_count(r)) {
            net_resp_send(r, 400, "text/plain", "unsupported subprotocol\n", 24);
            return;
        }
        t->ws = net_ws_accept(r, p, &th_ws_handlers, t);
        return;
    }
    if (t->mode == TH_HOLD) {
        t->held[t->nheld++] = r;
        return;
    }
    char buf[512];
    size_t bl;
    const char *b = net_req_body(r, &bl);
    int n = snprintf(buf, sizeof buf, "%s %s|%.*s", net_req_method(r), net_req_path(r), (int)bl, b);
    net_resp_send(r, 200, "text/plain", buf, (size_t)n);
}

/* Log lines are kept, not printed: the last one, for tests that check it. */
static char th_last_log[600];
static inline void th_log(void *u, const char *level, const char *event, const char *detail) {
    snprintf(th_last_log, sizeof th_last_log, "%s %s %s", level, event, detail ? detail : "");
}

static inline void th_init_cfg(th *t, const net_config *cfg) {
    memset(t, 0, sizeof *t);
    net_handlers h = {.on_request = th_on_request, .on_log = th_log, .user = t};
    t->srv = net_server_new(cfg, &h);
    net_server_set_clock(t->srv, th_clock, t);
    net_server_set_wall_clock(t->srv, th_wall, t);
    t->now = 1000;
    t->c = net_conn_new(t->srv, &th_io, t, "test");
}
static inline void th_init(th *t) { th_init_cfg(t, NULL); }

static inline void th_feedn(th *t, const void *d, size_t n) {
    if (t->c) net_conn_feed(t->c, d, n);
}
static inline void th_feed(th *t, const char *s) { th_feedn(t, s, strlen(s)); }

static inline void th_clear(th *t) {
    t->out_len = 0;
    if (t->out) t->out[0] = 0;
}

static inline void th_done(th *t) {
    if (t->c) net_conn_abort(t->c, NULL);
    net_server_free(t->srv);
    free(t->out);
}

/* How many times needle occurs in the output. */
static inline int th_count(const th *t, const char *needle) {
    int n = 0;
    for (const char *p = t->out; p && (p = strstr(p, needle)); p++) n++;
    return n;
}

#define assert_out_has(t, s) \
    do { if (!(t)->out || !strstr((t)->out, (s))) fail_msg("output lacks [%s]; output:\n%s", (s), (t)->out ? (t)->out : ""); } while (0)
#define assert_out_lacks(t, s) \
    do { if ((t)->out && strstr((t)->out, (s))) fail_msg("output has [%s]; output:\n%s", (s), (t)->out); } while (0)

#endif
