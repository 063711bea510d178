/*
 * test_http_memory.c: what an idle connection costs. The fanout target is
 * 8 KiB resident per idle WebSocket subscriber, all included; the transport's
 * share must stay a small part of it. Measured as live heap bytes (glibc's
 * mallinfo2, or ASan's allocator statistics under the sanitizers) before and
 * after N connections that have done a handshake, received a message and
 * sent an answer, and whose output the peer has taken:
 * - the core alone (net_conn, net_ws, no buffer kept between calls);
 * - the whole server side through libuv on a real loop (plus the uv handle
 *   and the listener's bookkeeping), with real sockets in this one thread.
 * The core's test also checks that a big message's buffers are given back.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>
#include "test_http_harness.h"

#if defined(__SANITIZE_ADDRESS__)
#define MEM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MEM_ASAN 1
#endif
#endif
#ifdef MEM_ASAN
#include <sanitizer/allocator_interface.h>
static size_t heap_bytes(void) { return __sanitizer_get_current_allocated_bytes(); }
#else
#include <malloc.h>
static size_t heap_bytes(void) { return mallinfo2().uordblks; }
#endif

/* The bounds, per idle WebSocket connection, malloc's own overhead included. */
enum { CORE_BOUND = 1024, LIVE_BOUND = 1536 };

#define HANDSHAKE                                                                               \
    "GET /graphql HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" \
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"          \
    "Sec-WebSocket-Protocol: graphql-transport-ws\r\nUser-Agent: a client with a long name\r\n\r\n"

/* A subscribe message like a graphql-transport-ws client's. */
static const char subscribe[] =
    "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription { operationsStream { seq "
    "operation { id externalId name updatedAt } } }\",\"variables\":{}}}";

static size_t masked_frame(uint8_t *out, const char *data, size_t len) {
    size_t o = 0;
    out[o++] = 0x81;
    if (len < 126) out[o++] = (uint8_t)(0x80 | len);
    else if (len <= 0xFFFF) out[o++] = 0x80 | 126, out[o++] = (uint8_t)(len >> 8), out[o++] = (uint8_t)len;
    else {
        out[o++] = 0x80 | 127;
        for (int i = 0; i < 8; i++) out[o++] = (uint8_t)((uint64_t)len >> (56 - 8 * i));
    }
    static const uint8_t key[4] = {9, 8, 7, 6};
    memcpy(out + o, key, 4);
    o += 4;
    for (size_t i = 0; i < len; i++) out[o + i] = (uint8_t)data[i] ^ key[i & 3];
    return o + len;
}

/* ---- the application: accept, answer each message with a short one ---- */

static size_t opened, messages, closed;

static void app_open(net_ws *ws, void *u) { opened++; }
static void app_message(net_ws *ws, net_ws_kind k, const char *d, size_t n, void *u) {
    messages++;
    net_ws_send_text(ws, "{\"id\":\"1\",\"type\":\"next\",\"payload\":{\"data\":{\"operationsStream\":null}}}");
}
static void app_close(net_ws *ws, int code, const char *reason, void *u) { closed++; }
static const net_ws_handlers app_ws = {app_open, app_message, app_close};

static void app_request(net_req *r, void *u) {
    static const char *const prefs[] = {"graphql-transport-ws", NULL};
    if (!net_req_is_websocket(r)) {
        net_resp_send(r, 404, NULL, NULL, 0);
        return;
    }
    assert_non_null(net_ws_accept(r, net_req_ws_pick(r, prefs), &app_ws, NULL));
}

static void quiet_log(void *u, const char *level, const char *event, const char *detail) {}

/* ---- the core alone ------------------------------------------------------- */

typedef struct fake {
    net_conn *c;
    size_t unacked;
} fake;

static void fake_write(void *io, const void *d, size_t n) { ((fake *)io)->unacked += n; }
static void fake_pause(void *io, bool p) {}
static void fake_close(void *io, bool graceful) { ((fake *)io)->c = NULL; }
static const net_io fake_io = {fake_write, fake_pause, fake_close};

static void feed_and_ack(fake *f, const void *d, size_t n) {
    net_conn_feed(f->c, d, n);
    net_conn_written(f->c, f->unacked); /* the peer took everything */
    f->unacked = 0;
}

static void test_core_idle_connection(void **state) {
    enum { N = 2000 };
    net_handlers h = {.on_request = app_request, .on_log = quiet_log};
    net_server *srv = net_server_new(NULL, &h);
    fake *fakes = calloc(N, sizeof *fakes);
    uint8_t frame[512], big_frame[8192 + 16];
    size_t flen = masked_frame(frame, subscribe, sizeof subscribe - 1);
    char *big = malloc(8192);
    memset(big, 'x', 8192);
    size_t blen = masked_frame(big_frame, big, 8192);
    opened = messages = closed = 0;

    size_t before = heap_bytes();
    for (size_t i = 0; i < N; i++) {
        fakes[i].c = net_conn_new(srv, &fake_io, &fakes[i], "127.0.0.1:40000");
        feed_and_ack(&fakes[i], HANDSHAKE, strlen(HANDSHAKE));
        feed_and_ack(&fakes[i], frame, flen);
    }
    size_t after = heap_bytes();
    assert_int_equal(opened, N);
    assert_int_equal(messages, N);
    size_t per = (after - before) / N;
    print_message("core: %zu bytes per idle WebSocket connection (bound %d)\n", per, CORE_BOUND);
    assert_true(per <= CORE_BOUND);

    /* an 8 KiB message on every connection, split over reads, leaves
     * nothing behind (malloc's caches make a single one too noisy to see) */
    for (size_t i = 0; i < N; i++)
        for (size_t o = 0; o < blen; o += 1000) feed_and_ack(&fakes[i], big_frame + o, blen - o < 1000 ? blen - o : 1000);
    assert_int_equal(messages, 2 * N);
    size_t again = heap_bytes();
    print_message("core: %zd bytes per connection more after an 8 KiB message\n", ((ssize_t)again - (ssize_t)after) / N);
    assert_true(again < after + N * 16);

    for (size_t i = 0; i < N; i++) net_conn_abort(fakes[i].c, NULL);
    assert_int_equal(closed, N);
    assert_true(heap_bytes() < before + N * 16);
    free(big);
    free(fakes);
    net_server_free(srv);
}

/* ---- the whole server side on a real loop ----------------------------------- */

/* Run the loop until *counter reaches want (or 10 s pass). */
static void run_until(uv_loop_t *loop, size_t *counter, size_t want) {
    uint64_t end = uv_hrtime() + 10000000000ull;
    while (*counter < want && uv_hrtime() < end) uv_run(loop, UV_RUN_NOWAIT);
}

static void run_a_while(uv_loop_t *loop) {
    for (int i = 0; i < 50; i++) uv_run(loop, UV_RUN_NOWAIT);
}

static bool shut;
static void on_shut(void *u) { shut = true; }

static void test_live_idle_connection(void **state) {
    enum { N = 400 };
    uv_loop_t loop;
    uv_loop_init(&loop);
    net_handlers h = {.on_request = app_request, .on_log = quiet_log};
    net_server *srv = net_server_new(NULL, &h);
    int err = 0;
    net_listener *l = net_listen(&loop, srv, "127.0.0.1", 0, &err);
    assert_non_null(l);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)net_listener_port(l))};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    static int fds[N];
    uint8_t frame[512];
    size_t flen = masked_frame(frame, subscribe, sizeof subscribe - 1);
    opened = messages = closed = 0;
    run_a_while(&loop);

    size_t before = heap_bytes();
    for (size_t i = 0; i < N; i++) {
        fds[i] = socket(AF_INET, SOCK_STREAM, 0);
        assert_true(fds[i] >= 0);
        assert_int_equal(connect(fds[i], (struct sockaddr *)&sa, sizeof sa), 0); /* the backlog takes it */
        assert_int_equal(write(fds[i], HANDSHAKE, strlen(HANDSHAKE)), (ssize_t)strlen(HANDSHAKE));
        if (i % 64 == 63) run_until(&loop, &opened, i + 1);
    }
    run_until(&loop, &opened, N);
    assert_int_equal(opened, N);
    char buf[4096];
    for (size_t i = 0; i < N; i++) {
        ssize_t n = read(fds[i], buf, sizeof buf - 1); /* the 101 */
        assert_true(n > 0);
        buf[n] = 0;
        assert_non_null(strstr(buf, "101 Switching Protocols"));
        assert_int_equal(write(fds[i], frame, flen), (ssize_t)flen);
    }
    run_until(&loop, &messages, N);
    assert_int_equal(messages, N);
    run_a_while(&loop); /* the answers' writes complete and are freed */
    size_t after = heap_bytes();
    size_t per = (after - before) / N;
    print_message("live: %zu bytes per idle WebSocket connection, libuv included (bound %d)\n", per, LIVE_BOUND);
    assert_true(per <= LIVE_BOUND);
    for (size_t i = 0; i < N; i++) assert_true(read(fds[i], buf, sizeof buf) > 0); /* each got its answer */

    for (size_t i = 0; i < N; i++) close(fds[i]);
    run_until(&loop, &closed, N);
    assert_int_equal(closed, N);
    net_listener_shutdown(l, on_shut, NULL);
    while (!shut) uv_run(&loop, UV_RUN_ONCE);
    assert_int_equal(uv_loop_close(&loop), 0);
    net_server_free(srv);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_core_idle_connection),
        cmocka_unit_test(test_live_idle_connection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
