/*
 * fuzz_http.c: libFuzzer target for the HTTP connection core (src/net):
 * bytes go into a connection in pieces; the handler answers every request,
 * one in three at once, the rest later and out of order (some streamed, some
 * dropped); the clock moves so timeouts fire; the peer acknowledges writes
 * only now and then, so the output cap is in play. Every other WebSocket
 * handshake is accepted (the rest refused), so the switch from pipelined
 * HTTP to frames is fuzzed too. Each piece is fed from its own heap copy,
 * freed at once: the core parses the caller's bytes in place and must copy
 * whatever it keeps (ASan sees any use after the feed). Input layout: a
 * byte of piece length (0: a control step), then that many bytes, repeated.
 * Sanitizers catch the rest: nothing may crash, leak or grow without bound.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "net.h"

#include "fuzz_util.h"

typedef struct fz {
    net_conn *c;
    bool closed;
    size_t unacked, out;
    uint64_t now;
    net_req *held[64];
    size_t nheld, nreq;
    int ws_accepted, ws_closes;
} fz;

static void w(void *io, const void *d, size_t n) {
    fz *f = io;
    f->unacked += n;
    f->out += n;
}
static void pause_read(void *io, bool p) {}
static void cl(void *io, bool g) {
    fz *f = io;
    f->closed = true;
    f->c = NULL;
}
static const net_io fio = {w, pause_read, cl};
static uint64_t clk(void *u) { return ((fz *)u)->now; }
static void quiet(void *u, const char *l, const char *e, const char *d) {}

static void ws_message(net_ws *ws, net_ws_kind k, const char *d, size_t n, void *u) {
    if (k == NET_WS_TEXT) CHECK(net_utf8_valid(d, n));
    net_ws_send(ws, k, d, n);
    if (n && d[0] == 'C') net_ws_close(ws, 4400, "bye");
}
static void ws_close(net_ws *ws, int code, const char *reason, void *u) { ((fz *)u)->ws_closes++; }
static const net_ws_handlers wsh = {NULL, ws_message, ws_close};

static void on_request(net_req *r, void *u) {
    fz *f = u;
    f->nreq++;
    /* touch everything the application may read */
    /* read the bytes, not just the pointers: ASan must see a view into freed memory */
    for (size_t i = 0; i < net_req_header_count(r); i++) {
        const net_kv *kv = net_req_header_at(r, i);
        CHECK(strlen(kv->name) == kv->name_len && strlen(kv->value) <= kv->value_len);
    }
    for (size_t i = 0; i < net_req_param_count(r); i++) {
        const net_kv *kv = net_req_param_at(r, i);
        CHECK(strlen(kv->name) <= kv->name_len && strlen(kv->value) <= kv->value_len);
    }
    (void)net_req_header(r, "Host");
    CHECK(strlen(net_req_target(r)) >= strlen(net_req_path(r)));
    size_t bl;
    const char *b = net_req_body(r, &bl);
    CHECK(b[bl] == 0);
    CHECK(net_req_path(r) && net_req_query_string(r) && net_req_method(r));
    CHECK(strlen(net_req_path_decoded(r)) <= strlen(net_req_path(r)));
    if (net_req_is_websocket(r)) {
        if (f->nreq % 2 == 0) {
            static const char *const prefs[] = {"graphql-transport-ws", NULL};
            if (net_ws_accept(r, net_req_ws_pick(r, prefs), &wsh, f)) f->ws_accepted++;
        } else {
            net_resp_send(r, 400, "text/plain", "no\n", 3);
        }
        return;
    }
    if (f->nreq % 3 == 0 || f->nheld == 64) {
        net_resp_send(r, 200, "text/plain", b, bl);
        return;
    }
    f->held[f->nheld++] = r;
}

/* Answer held requests from the newest: out of order on purpose. */
static void answer_some(fz *f, uint8_t how) {
    while (f->nheld) {
        net_req *r = f->held[--f->nheld];
        switch ((how + f->nheld) % 4) {
        case 0: net_resp_send(r, 201, "application/json", "{}", 2); break;
        case 1:
            net_sse_start(r, 1000);
            net_sse_event(r, "next", NULL, "a\nb", 3);
            net_resp_stream_end(r);
            break;
        case 2: net_req_drop(r); break;
        default: net_resp_send(r, 404, NULL, NULL, 0); break;
        }
        if (how & 1) break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    net_config cfg;
    net_config_defaults(&cfg);
    cfg.max_header_bytes = 2048;
    cfg.max_body_bytes = 4096;
    cfg.max_output_bytes = 32768;
    cfg.max_pipeline = 8;
    fz f = {.now = 1};
    net_handlers h = {.on_request = on_request, .on_log = quiet, .user = &f};
    net_server *srv = net_server_new(&cfg, &h);
    net_server_set_clock(srv, clk, &f);
    f.c = net_conn_new(srv, &fio, &f, "fuzz");
    size_t i = 0;
    while (i < size && f.c) {
        uint8_t n = data[i++];
        if (n == 0) { /* a control step */
            uint8_t op = i < size ? data[i++] : 0;
            switch (op & 7) {
            case 0: answer_some(&f, op); break;
            case 1: f.now += 1000u * (op >> 3); net_conn_tick(f.c); break;
            case 2: net_conn_written(f.c, f.unacked); f.unacked = 0; break;
            case 3: net_conn_eof(f.c); break;
            case 4: if (op & 0x80) net_conn_shutdown(f.c); break;
            default: answer_some(&f, op); break;
            }
            continue;
        }
        size_t len = n < size - i ? n : size - i;
        uint8_t *piece = malloc(len);
        memcpy(piece, data + i, len);
        net_conn_feed(f.c, piece, len);
        free(piece);
        i += len;
        if (f.c) CHECK(net_conn_pending(f.c) <= cfg.max_output_bytes + 1);
    }
    answer_some(&f, 0);
    if (f.c) net_conn_abort(f.c, "end");
    answer_some(&f, 0); /* final calls on requests whose connection is gone */
    const net_metrics *m = net_server_metrics(srv);
    CHECK(m->conns_http == 0 && m->conns_ws == 0 && m->streams_open == 0);
    CHECK(f.ws_closes == f.ws_accepted); /* on_close exactly once for each */
    net_server_free(srv);
    return 0;
}
