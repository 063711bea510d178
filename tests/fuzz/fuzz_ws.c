/*
 * fuzz_ws.c: libFuzzer target for the WebSocket frame decoder, through the
 * connection core: a valid upgrade handshake is fed first, then the input in
 * pieces (a length byte, then that many bytes). The application echoes each
 * message and, on some, sends a close with an application code; the clock
 * moves so the close-handshake timeout fires. Checks: text messages handed
 * to the application are valid UTF-8 and within the size limit; on_close is
 * called exactly once. Each piece is fed from its own heap copy, freed
 * right after the feed, so ASan sees the core keep a pointer into input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "net.h"

#include "fuzz_util.h"

typedef struct fz {
    net_conn *c;
    net_ws *ws;
    size_t unacked;
    uint64_t now;
    int opened, closes, msgs;
} fz;

static void w(void *io, const void *d, size_t n) { ((fz *)io)->unacked += n; }
static void pause_read(void *io, bool p) {}
static void cl(void *io, bool g) { ((fz *)io)->c = NULL; }
static const net_io fio = {w, pause_read, cl};
static uint64_t clk(void *u) { return ((fz *)u)->now; }
static void quiet(void *u, const char *l, const char *e, const char *d) {}

enum { MAX_MSG = 4096 };

static void on_open(net_ws *ws, void *u) { ((fz *)u)->opened++; }
static void on_message(net_ws *ws, net_ws_kind k, const char *d, size_t n, void *u) {
    fz *f = u;
    f->msgs++;
    CHECK(n <= MAX_MSG);
    if (k == NET_WS_TEXT) CHECK(net_utf8_valid(d, n));
    net_ws_send(ws, k, d, n);
    if (n && d[0] == 'C') net_ws_close(ws, 4400 + (n % 100), d);
    if (n && d[0] == 'P') net_ws_ping(ws, d, n);
}
static void on_close(net_ws *ws, int code, const char *reason, void *u) {
    fz *f = u;
    f->closes++;
    f->ws = NULL;
    CHECK(code >= 1000 && code <= 4999);
}
static const net_ws_handlers wh = {on_open, on_message, on_close};

static void on_request(net_req *r, void *u) {
    fz *f = u;
    if (!net_req_is_websocket(r)) {
        net_resp_send(r, 404, NULL, NULL, 0);
        return;
    }
    static const char *const prefs[] = {"graphql-transport-ws", "graphql-ws", NULL};
    f->ws = net_ws_accept(r, net_req_ws_pick(r, prefs), &wh, f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    net_config cfg;
    net_config_defaults(&cfg);
    cfg.max_ws_message = MAX_MSG;
    cfg.max_output_bytes = 65536;
    fz f = {.now = 1};
    net_handlers h = {.on_request = on_request, .on_log = quiet, .user = &f};
    net_server *srv = net_server_new(&cfg, &h);
    net_server_set_clock(srv, clk, &f);
    f.c = net_conn_new(srv, &fio, &f, "fuzz");
    static const char hs[] = "GET /graphql HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                             "Sec-WebSocket-Protocol: graphql-ws, graphql-transport-ws\r\n\r\n";
    net_conn_feed(f.c, hs, sizeof hs - 1);
    CHECK(f.opened == 1 && f.ws);
    size_t i = 0;
    while (i < size && f.c) {
        uint8_t n = data[i++];
        if (n == 0) {
            uint8_t op = i < size ? data[i++] : 0;
            if (op & 1) {
                net_conn_written(f.c, f.unacked);
                f.unacked = 0;
            } else {
                f.now += 1000u * (op >> 1);
                net_conn_tick(f.c);
            }
            continue;
        }
        size_t len = n < size - i ? n : size - i;
        uint8_t *piece = malloc(len); /* freed at once: the core copies what it keeps */
        memcpy(piece, data + i, len);
        net_conn_feed(f.c, piece, len);
        free(piece);
        i += len;
    }
    if (f.c) net_conn_abort(f.c, "end");
    CHECK(f.closes == 1);
    const net_metrics *m = net_server_metrics(srv);
    CHECK(m->conns_http == 0 && m->conns_ws == 0);
    net_server_free(srv);
    return 0;
}
