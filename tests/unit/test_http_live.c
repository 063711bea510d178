/*
 * test_http_live.c: the libuv glue for real: a listener on 127.0.0.1 with an
 * ephemeral port, and a plain blocking-socket client on a second thread: one
 * request, a pipelined pair, a 6 MiB answer read late (the socket takes part,
 * the rest is queued) with one pipelined behind it, a WebSocket echo, the connection limit (503),
 * then a graceful shutdown that closes the WebSocket with 1001.
 */
#define _GNU_SOURCE /* memmem */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>
#include "test_http_harness.h"

static int port;
static net_listener *listener;
static uv_async_t stop_async;

static void live_request(net_req *r, void *u) {
    if (net_req_is_websocket(r)) {
        static const char *const prefs[] = {"graphql-transport-ws", "graphql-ws", NULL};
        static const net_ws_handlers h = {NULL, th_ws_message, th_ws_close};
        static th ws_state;
        ws_state.echo_ws = true;
        net_ws_accept(r, net_req_ws_pick(r, prefs), &h, &ws_state);
        return;
    }
    if (!strcmp(net_req_path(r), "/big")) {
        /* more than a socket takes at once: part written now, the rest queued */
        size_t len = 6u << 20;
        char *big = malloc(len);
        for (size_t i = 0; i < len; i++) big[i] = (char)('a' + i % 23);
        net_resp_send(r, 200, "text/plain", big, len);
        free(big);
        return;
    }
    char buf[256];
    int n = snprintf(buf, sizeof buf, "path=%s", net_req_path(r));
    net_resp_send(r, 200, "text/plain", buf, (size_t)n);
}

static int dial(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) return -1;
    struct timeval tv = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

/* Read until needle has appeared count times (or the peer closes). */
static size_t read_until(int fd, char *buf, size_t cap, const char *needle, int count) {
    size_t len = 0;
    for (;;) {
        int seen = 0;
        buf[len] = 0;
        for (const char *p = buf; (p = memmem(p, len - (size_t)(p - buf), needle, strlen(needle))); p++) seen++;
        if (seen >= count || len + 1 >= cap) return len;
        ssize_t n = read(fd, buf + len, cap - 1 - len);
        if (n <= 0) return len;
        len += (size_t)n;
    }
}

static char client_error[256];
#define CHECK(c) do { if (!(c)) { snprintf(client_error, sizeof client_error, "line %d: %s", __LINE__, #c); goto out; } } while (0)

static void *client(void *arg) {
    char buf[8192];
    int fd = dial(), fd2 = -1, fd3 = -1;
    CHECK(fd >= 0);
    const char *one = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    CHECK(write(fd, one, strlen(one)) > 0);
    size_t n = read_until(fd, buf, sizeof buf, "path=/healthz", 1);
    CHECK(strstr(buf, "HTTP/1.1 200 OK\r\n") && n > 0);
    const char *two = "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n";
    CHECK(write(fd, two, strlen(two)) > 0);
    n = read_until(fd, buf, sizeof buf, "path=/", 2);
    CHECK(strstr(buf, "path=/a") && strstr(buf, "path=/b") && strstr(buf, "path=/a") < strstr(buf, "path=/b"));

    /* a big answer, read slowly after a pause, then the one pipelined behind it */
    const char *big = "GET /big HTTP/1.1\r\n\r\nGET /after HTTP/1.1\r\n\r\n";
    CHECK(write(fd, big, strlen(big)) > 0);
    usleep(200000);
    n = read_until(fd, buf, sizeof buf, "\r\n\r\n", 1);
    const char *cl = strstr(buf, "Content-Length: ");
    CHECK(strstr(buf, "HTTP/1.1 200 OK\r\n") && cl && strtoul(cl + 16, NULL, 10) == 6u << 20);
    size_t total = 6u << 20, got = 0, bad = 0, used = 0;
    char *rest = strstr(buf, "\r\n\r\n") + 4;
    size_t have = n - (size_t)(rest - buf);
    for (;;) {
        for (used = 0; used < have && got < total; used++, got++) bad += rest[used] != (char)('a' + got % 23);
        if (got == total) break;
        ssize_t r = read(fd, buf, sizeof buf - 1);
        CHECK(r > 0);
        rest = buf;
        have = (size_t)r;
    }
    CHECK(bad == 0);
    /* what followed the big body in the last read is the next answer's start */
    size_t len = have - used;
    memmove(buf, rest + used, len);
    buf[len] = 0;
    while (!strstr(buf, "path=/after") && len + 1 < sizeof buf) {
        ssize_t r = read(fd, buf + len, sizeof buf - 1 - len);
        CHECK(r > 0);
        len += (size_t)r;
        buf[len] = 0;
    }
    CHECK(!strncmp(buf, "HTTP/1.1 200 OK\r\n", 17));
    CHECK(strstr(buf, "path=/after"));

    /* the connection limit is 2: this one fills it, the next is refused */
    fd2 = dial();
    CHECK(fd2 >= 0);
    const char *up = "GET /graphql HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                     "Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n";
    CHECK(write(fd2, up, strlen(up)) > 0);
    n = read_until(fd2, buf, sizeof buf, "\r\n\r\n", 1);
    CHECK(strstr(buf, "101 Switching Protocols") && strstr(buf, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    const uint8_t frame[] = {0x81, 0x82, 1, 2, 3, 4, 'h' ^ 1, 'i' ^ 2};
    CHECK(write(fd2, frame, sizeof frame) == sizeof frame);
    n = read_until(fd2, buf, sizeof buf, "hi", 1);
    CHECK(n == 4 && !memcmp(buf, "\x81\x02hi", 4));

    fd3 = dial();
    CHECK(fd3 >= 0);
    n = read_until(fd3, buf, sizeof buf, "server busy", 1);
    CHECK(strstr(buf, "503 Service Unavailable"));

    close(fd);
    fd = -1;
    usleep(100000);
    /* shutdown: the WebSocket gets a 1001 close; answer it */
    uv_async_send(&stop_async);
    n = read_until(fd2, buf, sizeof buf, "shutting", 1);
    CHECK(n >= 4 && (uint8_t)buf[0] == 0x88 && ((uint8_t)buf[2] << 8 | (uint8_t)buf[3]) == 1001);
    const uint8_t closef[] = {0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe9};
    CHECK(write(fd2, closef, sizeof closef) == sizeof closef);
    n = read(fd2, buf, sizeof buf);
    CHECK(n == 0); /* the server closed the TCP connection */
out:
    if (fd >= 0) close(fd);
    if (fd2 >= 0) close(fd2);
    if (fd3 >= 0) close(fd3);
    if (client_error[0]) uv_async_send(&stop_async);
    return NULL;
}

static bool done_called;
static void on_done(void *u) {
    done_called = true;
    uv_close((uv_handle_t *)&stop_async, NULL);
}
static void on_stop(uv_async_t *a) {
    if (listener) net_listener_shutdown(listener, on_done, NULL);
    listener = NULL;
}

static void test_live(void **state) {
    uv_loop_t loop;
    uv_loop_init(&loop);
    net_config cfg;
    net_config_defaults(&cfg);
    cfg.max_connections = 2;
    cfg.shutdown_timeout_ms = 3000;
    net_handlers h = {.on_request = live_request, .on_log = th_log};
    net_server *srv = net_server_new(&cfg, &h);
    int err = 0;
    listener = net_listen(&loop, srv, "127.0.0.1", 0, &err);
    assert_non_null(listener);
    port = net_listener_port(listener);
    assert_true(port > 0);
    uv_async_init(&loop, &stop_async, on_stop);
    pthread_t th;
    pthread_create(&th, NULL, client, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    pthread_join(th, NULL);
    if (client_error[0]) fail_msg("client: %s", client_error);
    assert_true(done_called);
    const net_metrics *m = net_server_metrics(srv);
    assert_int_equal(m->conns_refused, 1);
    assert_int_equal(m->conns_accepted, 3);
    assert_int_equal(m->conns_http + m->conns_ws, 0);
    assert_int_equal(m->ws_messages_in, 1);
    assert_true(m->bytes_in > 0 && m->bytes_out > 0);
    assert_int_equal(uv_loop_close(&loop), 0);
    net_server_free(srv);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_live)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
