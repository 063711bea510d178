/*
 * test_sse.c: the server-sent events helpers: field syntax (multi-line data
 * as several data: lines, whatever the line breaks), ids, comments, and
 * keep-alive comments sent by the connection's tick only when quiet.
 */
#include "test_http_harness.h"

static void check_format(const char *event, const char *id, const char *data, const char *want) {
    char buf[256];
    size_t n = net_sse_format(buf, sizeof buf, event, id, data, strlen(data));
    assert_int_equal(n, strlen(want));
    assert_memory_equal(buf, want, n);
}

static void test_format(void **state) {
    check_format("next", NULL, "{\"data\":{}}", "event: next\ndata: {\"data\":{}}\n\n");
    check_format(NULL, NULL, "", "data: \n\n");
    check_format("complete", NULL, "", "event: complete\ndata: \n\n");
    check_format("next", "7", "a\nb", "event: next\nid: 7\ndata: a\ndata: b\n\n");
    check_format(NULL, NULL, "a\r\nb\rc\n", "data: a\ndata: b\ndata: c\ndata: \n\n");
    check_format("x\ninjected", "1\r2", "d", "event: x\nid: 1\ndata: d\n\n");
    /* too small a buffer: nothing past cap is written, the size is still told */
    char small[4];
    assert_int_equal(net_sse_format(small, sizeof small, "next", NULL, "abc", 3), 23);
}

static void test_stream_and_keepalive(void **state) {
    th t;
    th_init(&t);
    t.mode = TH_HOLD;
    th_feed(&t, "GET /graphql/stream HTTP/1.1\r\nAccept: text/event-stream\r\n\r\n");
    net_req *r = t.held[0];
    net_sse_start(r, 12000);
    assert_out_has(&t, "HTTP/1.1 200 OK\r\n" TH_DATE "Content-Type: text/event-stream; charset=utf-8\r\n");
    assert_out_has(&t, "Cache-Control: no-cache\r\n");
    assert_out_has(&t, "Transfer-Encoding: chunked\r\n\r\n");
    t.out_len = 0;
    net_sse_event(r, "next", NULL, "{\"x\":1}\n", 8);
    assert_string_equal(t.out, "22\r\nevent: next\ndata: {\"x\":1}\ndata: \n\n\r\n");
    t.out_len = 0;
    t.now += 11999;
    net_conn_tick(t.c);
    assert_int_equal(t.out_len, 0);
    t.now += 1;
    net_conn_tick(t.c);
    assert_string_equal(t.out, "3\r\n:\n\n\r\n");
    t.out_len = 0;
    t.now += 120000; /* a stream has no idle timeout */
    net_conn_tick(t.c);
    assert_false(t.closed);
    net_sse_comment(r, "hello");
    assert_out_has(&t, ":hello\n\n");
    net_resp_stream_end(r);
    assert_false(t.closed);
    th_done(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_stream_and_keepalive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
