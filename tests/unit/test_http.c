/*
 * test_http.c: the HTTP/1.1 connection core driven with byte strings:
 * parsing, keep-alive, pipelining answered out of order, chunked bodies,
 * 100-continue, every limit, timeouts through the core's tick, streaming
 * answers, the output cap and requests outliving their connection.
 */
#define _GNU_SOURCE /* strptime, timegm */
#include <time.h>
#include "test_http_harness.h"

static void test_simple_get(void **state) {
    th t;
    th_init(&t);
    t.mode = TH_HOLD;
    th_feed(&t, "GET /graphql?query=%7B%20a%20%7D&x=1+2&flag&e= HTTP/1.1\r\nHost: h\r\nX-Pico-Api-Org:  tok  \r\n\r\n");
    assert_int_equal(t.nheld, 1);
    net_req *r = t.held[0];
    assert_string_equal(net_req_method(r), "GET");
    assert_string_equal(net_req_path(r), "/graphql");
    assert_string_equal(net_req_target(r), "/graphql?query=%7B%20a%20%7D&x=1+2&flag&e=");
    assert_string_equal(net_req_query_string(r), "query=%7B%20a%20%7D&x=1+2&flag&e=");
    assert_int_equal(net_req_param_count(r), 4);
    assert_string_equal(net_req_param(r, "query")->value, "{ a }");
    assert_string_equal(net_req_param(r, "x")->value, "1 2");
    assert_string_equal(net_req_param(r, "flag")->value, "");
    assert_string_equal(net_req_param(r, "e")->value, "");
    assert_null(net_req_param(r, "nope"));
    assert_string_equal(net_req_header(r, "x-pico-api-org"), "tok");
    assert_string_equal(net_req_header(r, "HOST"), "h");
    assert_int_equal(net_req_header_count(r), 2);
    assert_true(net_req_keep_alive(r));
    assert_int_equal(net_req_http_minor(r), 1);
    size_t bl;
    assert_string_equal(net_req_body(r, &bl), "");
    assert_int_equal(bl, 0);
    net_resp_header(r, "X-Test", "yes\r\nInjected: no");
    net_resp_send(r, 200, "application/json", "{}", 2);
    assert_string_equal(t.out, "HTTP/1.1 200 OK\r\n" TH_DATE "Content-Type: application/json\r\nX-Test: yes\r\n"
                               "Content-Length: 2\r\n\r\n{}");
    assert_false(t.closed);
    assert_int_equal(net_server_metrics(t.srv)->responses[2], 1);
    assert_int_equal(net_server_metrics(t.srv)->conns_http, 1);
    th_done(&t);
}

static void test_post_body_split_bytes(void **state) {
    th t;
    th_init(&t);
    const char *req = "POST /graphql HTTP/1.1\r\nContent-Length: 11\r\nContent-Type: application/json\r\n\r\n{\"query\":1}";
    for (const char *p = req; *p; p++) th_feedn(&t, p, 1); /* one byte at a time */
    assert_string_equal(t.out, "HTTP/1.1 200 OK\r\n" TH_DATE "Content-Type: text/plain\r\nContent-Length: 25\r\n\r\n"
                               "POST /graphql|{\"query\":1}");
    th_done(&t);
}

static void test_pipelined_out_of_order(void **state) {
    th t;
    th_init(&t);
    t.mode = TH_HOLD;
    th_feed(&t, "GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nPOST /3 HTTP/1.1\r\nContent-Length: 1\r\n\r\nx");
    assert_int_equal(t.nheld, 3);
    net_resp_send(t.held[2], 200, NULL, "three", 5);
    net_resp_send(t.held[1], 200, NULL, "two", 3);
    assert_int_equal(t.out_len, 0); /* the first is not answered yet: nothing may go out */
    assert_true(net_conn_pending(t.c) > 0);
    net_resp_send(t.held[0], 200, NULL, "one", 3);
    const char *one = strstr(t.out, "one"), *two = strstr(t.out, "two"), *three = strstr(t.out, "three");
    assert_non_null(one);
    assert_true(one < two && two < three);
    assert_int_equal(th_count(&t, "HTTP/1.1 200 OK"), 3);
    assert_false(t.closed);
    th_done(&t);
}

static void test_stream_waits_its_turn(void **state) {
    th t;
    th_init(&t);
    t.mode = TH_HOLD;
    th_feed(&t, "GET /a HTTP/1.1\r\n\r\nGET /events HTTP/1.1\r\n\r\n");
    net_sse_start(t.held[1], 0);
    net_sse_event(t.held[1], "next", NULL, "{\"a\":1}", 7);
    assert_int_equal(t.out_len, 0);
    net_resp_send(t.held[0], 200, NULL, "first", 5);
    assert_out_has(&t, "first");
    assert_out_has(&t, "Transfer-Encoding: chunked\r\n");
    assert_out_has(&t, "event: next\ndata: {\"a\":1}\n\n");
    assert_true(strstr(t.out, "first") < strstr(t.out, "event: next"));
    assert_int_equal(net_server_metrics(t.srv)->streams_open, 1);
    net_resp_stream_end(t.held[1]);
    assert_true(t.out_len >= 5 && !memcmp(t.out + t.out_len - 5, "0\r\n\r\n", 5));
    assert_int_equal(net_server_metrics(t.srv)->streams_open, 0);
    assert_false(t.closed);
    th_done(&t);
}

static void test_connection_close(void **state) {
    th t;
    th_init(&t);
    th_feed(&t, "GET /a HTTP/1.1\r\nConnection: close\r\n\r\nGET /b HTTP/1.1\r\n\r\n");
    assert_out_has(&t, "Connection: close\r\n");
    assert_out_has(&t, "GET /a|");
    assert_out_lacks(&t, "GET /b"); /* nothing after a close is read */
    assert_true(t.closed);
    assert_true(t.graceful);
    th_done(&t);
}

static void test_http10(void **state) {
    th t;
    th_init(&t);
    th_feed(&t, "GET /a HTTP/1.0\r\n\r\n");
    assert_out_has(&t, "Connection: close\r\n");
    assert_true(t.closed);
    th_done(&t);

    th_init(&t);
    th_feed(&t, "GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    assert_out_has(&t, "Connection: keep-alive\r\n");
    assert_false(t.closed);
    th_feed(&t, "GET /b HTTP/1.0\r\n\r\n");
    assert_out_has(&t, "GET /b|");
    assert_true(t.closed);
    th_done(&t);
}

static void test_http10_stream(void **state) {
    th t;
    th_init(&t);
    t.mode = TH_HOLD;
    th_feed(&t, "GET /s HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    net_resp_stream_start(t.held[0], 200, "text/event-stream");
    net_resp_stream_write(t.held[0], "data: x\n\n", 9);
    assert_out_lacks(&t, "chunked");
    assert_out_has(&t, "Connection: close\r\n");
    assert_out_has(&t, "\r\n\r\ndata: x\n\n");
    net_resp_stream_end(t.held[0]);
    assert_true(t.closed);
    th_done(&t);
}

static void test_chunked_body(void **state) {
    th t;
    th_init(&t);
    th_feed(&t, "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n");
    assert_out_has(&t, "POST /c|hello world");
    assert_false(t.closed);
    th_done(&t);

    th_init(&t);
    th_feed(&t, "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
    assert_out_has(&t, "HTTP/1.1 400 Bad Request\r\n");
    assert_out_has(&t, "Connection: close\r\n");
    assert_true(t.closed);
    th_done(&t);

    th_init(&t);
    th_feed(&t, "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhelloX\r\n0\r\n\r\n");
    assert_out_has(&t, "HTTP/1.1 400 Bad Request\r\n");
    assert_true(t.closed);
    th_done(&t);
}

static void test_expect_continue(void **state) {
    th t;
    th_init(&t);
    th_feed(&t, "POST /e HTTP/1.1\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
    assert_string_equal(t.out, "HTTP/1.1 100 Continue\r\n\r\n");
    th_feed(&t, "abc");
    assert_out_has(&t, "HTTP/1.1 200 OK\r\n");
    assert_out_has(&t, "POST /e|abc");
    th_done(&t);

    /* too big: 413 at once, no 100 */
    th_init(&t);
    th_feed(&t, "POST /e HTTP/1.1\r\nContent-Length: 2000000\r\nExpect: 100-continue\r\n\r\n");
    assert_out_lacks(&t, "100 Continue");
    assert_out_has(&t, "HTTP/1.1 413 Content Too Large\r\n");
    assert_true(t.closed);
    th_done(&t);

    th_init(&t);
    th_feed(&t, "POST /e HTTP/1.1\r\nContent-Length: 3\r\nExpect: teapot\r\n\r\nabc");
    assert_out_has(&t, "HTTP/1.1 417 Expectation Failed\r\n");
    th_done(&t);

    /* 100 Continue for a pipelined request waits for the answers before it */
    th_init(&t);
    t.mode = TH_HOLD;
    th_feed(&t, "GET /a HTTP/1.1\r\n\r\nPOST /e HTTP/1.1\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
    assert_int_equal(t.out_len, 0);
    net_resp_send(t.held[0], 204, NULL, NULL, 0);
    assert_out_has(&t, "HTTP/1.1 204 No Content\r\n" TH_DATE "\r\nHTTP/1.1 100 Continue\r\n\r\n");
    th_done(&t);
}

static void test_limits(void **state) {
    th t;
    /* 431: headers over 16 KiB */
    th_init(&t);
    char big[20000];
    memset(big, 'a', sizeof big);
    big[sizeof big - 1] = 0;
    th_feed(&t, "GET / HTTP/1.1\r\nX-Big: ");
    th_feed(&t, big);
    assert_out_has(&t, "HTTP/1.1 431 Request Header Fields Too Large\r\n");
    assert_out_has(&t, "Connection: close\r\n");
    assert_true(t.closed);
    th_done(&t);

    /* many small headers count too */
    th_init(&t);
    th_feed(&t, "GET / HTTP/1.1\r\n");
    for (int i = 0; i < 2000 && !t.closed; i++) th_feed(&t, "X-A: bbbbbbbb\r\n");
    assert_out_has(&t, " 431 ");
    th_done(&t);

    /* 413: Content-Length over the limit */
    th_init(&t);
    th_feed(&t, "POST / HTTP/1.1\r\nContent-Length: 1048577\r\n\r\n");
    assert_out_has(&t, "HTTP/1.1 413 ");
    assert_true(t.closed);
    th_done(&t);

    /* exactly the limit is fine */
    net_config cfg;
    net_config_defaults(&cfg);
    cfg.max_body_bytes = 10;
    th_init_cfg(&t, &cfg);
    th_feed(&t, "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789");
    assert_out_has(&t, "POST /|0123456789");
    th_done(&t);

    /* 413: chunked body growing past the limit */
    th_init_cfg(&t, &cfg);
    th_feed(&t, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n01234567\r\n8\r\n01234567\r\n0\r\n\r\n");
    assert_out_has(&t, "HTTP/1.1 413 ");
    assert_true(t.closed);
    th_done(&t);

    /* 400: garbage */
    th_init(&t);
    th_feed(&t, "HELLO\r\n\r\n");
    assert_out_has(&t, "HTTP/1.1 400 Bad Request\r\n");
    assert_out_has(&t, "Connection: close\r\n");
    assert_true(t.closed);
    th_done(&t);

    /* 400 after a good request: the good one's answer comes first */
    th_init(&t);
    th_feed(&t, "GET /ok HTTP/1.1\r\n\r\nGET /bad HTTP/1.1\r\nBad Header\r\n\r\n");
    assert_out_has(&t, "GET /ok|");
    assert_out_has(&t, "400 Bad Request");
    assert_true(strstr(t.out, "GET /ok|") < strstr(t.out, "400 Bad"));
    th_done(&t);

    /* conflicting Content-Length and Transfer-Encoding */
    th_init(&t);
    th_feed(&t, "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    assert_out_has(&t, "400 Bad Request");
    th_done(&t);
}

static void test_header_timeout(void **state) {
    th t;
    th_init(&t);
    th_feed(&t, "GET / HTTP/1.1\r\nHost:");
    t.now += 5000;
    net_conn_tick(t.c);
    assert_false(t.closed);
    th_feed(&t, " x"); /* trickling bytes does not reset the header timeout */
    t.now += 5001;
    net_conn_tick(t.c);
    assert_out_has(&t, "HTTP/1.1 408 Request Timeout\r\n");
    assert_true(t.closed);
    assert_int_equal(net_server_metrics(t.srv)->closed_timeout, 1);
    th_done(&t);
}

static void test_idle_timeout(void **state) {
    th t;
    th_init(&t);
    th_feed(&t, "GET / HTTP/1.1\r\n\r\n");
    t.now += 59000;
    net_conn_tick(t.c);
    assert_false(t.closed);
    t.now += 1000;
    net_conn_tick(t.c);
    assert_true(t.closed);
    assert_true(t.graceful);
    th_done(&t);

    /* no idle timeout while an answer is pending */
    th_init(&t);
    t.mode = TH_HOLD;
    th_feed(&t, "GET / HTTP/1.1\r\n\r\n");
    t.now += 120000;
    net_conn_tick(t.c);
    assert_false(t.closed);
    net_resp_send(t.held[0], 200, NULL, "", 0);
    t.now += 60000;
    net_conn_tick(t.c);
    assert_true(t.closed);
    th_done(&t);

    /* a stalled body */
    th_init(&t);
    th_feed(&t, "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n12");
    t.now += 60000;
    net_conn_tick(t.c);
    assert_out_has(&t, " 408 ");
    th_done(&t);
}

static void test_output_cap(void **state) {
    net_config cfg;
    net_config_defaults(&cfg);
    cfg.max_output_bytes = 1000;
    th t;
    th_init_cfg(&t, &cfg);
    t.mode = TH_HOLD;
    th_feed(&t, "GET /events HTTP/1.1\r\n\r\n");
    net_req *r = t.held[0];
    net_sse_start(r, 0);
    char data[100];
    memset(data, 'x', sizeof data);
    int i;
    for (i = 0; i < 100 && !net_req_client_gone(r); i++) {
        net_sse_event(r, "next", NULL, data, sizeof data);
        if (i < 3) net_conn_written(t.c, t.unacked), t.unacked = 0; /* the peer reads a little, then stops */
    }
    assert_true(net_req_client_gone(r));
    assert_true(i > 5 && i < 20);
    assert_true(t.closed);
    assert_false(t.graceful);
    assert_int_equal(net_server_metrics(t.srv)->closed_output_cap, 1);
    assert_non_null(strstr(th_last_log, "slow reader"));
    assert_int_equal(net_server_metrics(t.srv)->streams_open, 0);
    net_resp_stream_end(r); /* the final call on a gone request frees it */
    th_done(&t);
}

static int gone_calls;
static void on_gone(net_req *r, void *u) { gone_calls++; }

static void test_request_outlives_connection(void **state) {
    th t;
    th_init(&t);
    t.mode = TH_HOLD;
    th_feed(&t, "POST /m HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}");
    net_req *r = t.held[0];
    net_req_set_on_gone(r, on_gone, NULL);
    gone_calls = 0;
    net_conn_abort(t.c, "test");
    assert_true(t.closed);
    assert_int_equal(gone_calls, 1);
    assert_true(net_req_client_gone(r));
    assert_int_equal(net_req_pending(r), 0);
    size_t bl;
    assert_string_equal(net_req_body(r, &bl), "{}"); /* the request is still readable */
    net_resp_send(r, 200, NULL, "late", 4);        /* a no-op that frees it */
    th_done(&t);
}

static void test_eof_with_pending_answer(void **state) {
    th t;
    th_init(&t);
    t.mode = TH_HOLD;
    th_feed(&t, "GET /a HTTP/1.1\r\n\r\nGET /b HTT");
    net_conn_eof(t.c);
    assert_false(t.closed); /* half-closed: the answer still goes out */
    net_resp_send(t.held[0], 200, NULL, "a", 1);
    assert_out_has(&t, "\r\n\r\na");
    assert_true(t.closed);
    assert_int_equal(t.nheld, 1);
    th_done(&t);
}

static void test_eof_answers_buffered_requests(void **state) {
    net_config cfg;
    net_config_defaults(&cfg);
    cfg.max_pipeline = 1;
    th t;
    th_init_cfg(&t, &cfg);
    t.mode = TH_HOLD;
    th_feed(&t, "GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nGET /3 HT");
    net_conn_eof(t.c); /* the client wrote everything and shut its side */
    assert_int_equal(t.nheld, 1);
    net_resp_send(t.held[0], 200, NULL, "1", 1);
    assert_int_equal(t.nheld, 2); /* the buffered second request is still read */
    assert_false(t.closed);
    net_resp_send(t.held[1], 200, NULL, "2", 1);
    assert_int_equal(t.nheld, 2); /* the cut third one is not */
    assert_int_equal(th_count(&t, "200 OK"), 2);
    assert_true(t.closed && t.graceful);
    th_done(&t);
}

static void test_pipeline_cap(void **state) {
    net_config cfg;
    net_config_defaults(&cfg);
    cfg.max_pipeline = 2;
    th t;
    th_init_cfg(&t, &cfg);
    t.mode = TH_HOLD;
    th_feed(&t, "GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nGET /3 HTTP/1.1\r\n\r\nGET /4 HTTP/1.1\r\n\r\n");
    assert_int_equal(t.nheld, 2);
    net_resp_send(t.held[0], 200, NULL, "1", 1);
    assert_int_equal(t.nheld, 3);
    net_resp_send(t.held[1], 200, NULL, "2", 1);
    assert_int_equal(t.nheld, 4);
    net_resp_send(t.held[3], 200, NULL, "4", 1);
    net_resp_send(t.held[2], 200, NULL, "3", 1);
    assert_int_equal(th_count(&t, "200 OK"), 4);
    th_done(&t);
}

static void test_head_and_drop(void **state) {
    th t;
    th_init(&t);
    t.mode = TH_HOLD;
    th_feed(&t, "HEAD /h HTTP/1.1\r\n\r\nGET /x HTTP/1.1\r\n\r\n");
    net_resp_send(t.held[0], 200, "text/plain", "body", 4);
    assert_out_has(&t, "Content-Length: 4\r\n\r\n");
    assert_out_lacks(&t, "body");
    net_req_drop(t.held[1]);
    assert_out_has(&t, "HTTP/1.1 500 Internal Server Error\r\n");
    assert_true(t.closed);
    assert_int_equal(net_server_metrics(t.srv)->responses[5], 1);
    th_done(&t);
}

static void test_shutdown(void **state) {
    th t;
    th_init(&t);
    t.mode = TH_HOLD;
    th_feed(&t, "GET /a HTTP/1.1\r\n\r\n");
    net_conn_shutdown(t.c);
    assert_false(t.closed);
    th_feed(&t, "GET /b HTTP/1.1\r\n\r\n"); /* not read any more */
    assert_int_equal(t.nheld, 1);
    net_resp_send(t.held[0], 200, NULL, "a", 1);
    assert_out_has(&t, "Connection: close\r\n");
    assert_true(t.closed);
    th_done(&t);

    th_init(&t);
    net_conn_shutdown(t.c); /* idle: closes at once */
    assert_true(t.closed);
    th_done(&t);
}

static void test_refuse(void **state) {
    th t;
    th_init(&t);
    net_conn_refuse(t.c);
    assert_out_has(&t, "HTTP/1.1 503 Service Unavailable\r\n");
    assert_true(t.closed && t.graceful);
    assert_int_equal(net_server_metrics(t.srv)->conns_refused, 1);
    assert_int_equal(net_server_metrics(t.srv)->conns_http, 0);
    th_done(&t);
}

static void test_non_websocket_upgrade_ignored(void **state) {
    th t;
    th_init(&t);
    th_feed(&t, "GET /a HTTP/1.1\r\nConnection: upgrade\r\nUpgrade: h2c\r\n\r\nGET /b HTTP/1.1\r\n\r\n");
    assert_out_has(&t, "GET /a|");
    assert_out_has(&t, "GET /b|");
    th_done(&t);
}

static void test_input_is_copied_when_kept(void **state) {
    /* the core parses the caller's bytes in place and copies only what it
     * keeps: a full pipeline's rest, a request cut in the middle. The
     * caller's buffer is scribbled over after every feed. */
    net_config cfg;
    net_config_defaults(&cfg);
    cfg.max_pipeline = 1;
    th t;
    th_init_cfg(&t, &cfg);
    t.mode = TH_HOLD;
    char buf[256];
    const char *reqs[] = {"GET /one HTTP/1.1\r\n\r\nPOST /two HTTP/1.1\r\nContent-Length: 5\r\n\r\nab",
                          "cde", "GET /thr", "ee?x=1 HTTP/1.1\r\nX-A", ": b\r\n\r\n"};
    for (size_t i = 0; i < sizeof reqs / sizeof *reqs; i++) {
        size_t n = strlen(reqs[i]);
        memcpy(buf, reqs[i], n);
        th_feedn(&t, buf, n);
        memset(buf, 'X', sizeof buf);
    }
    assert_int_equal(t.nheld, 1); /* the pipeline holds one: the rest waits */
    assert_string_equal(net_req_path(t.held[0]), "/one");
    net_resp_send(t.held[0], 200, NULL, "1", 1);
    assert_int_equal(t.nheld, 2);
    size_t bl;
    assert_string_equal(net_req_path(t.held[1]), "/two");
    assert_string_equal(net_req_body(t.held[1], &bl), "abcde");
    net_resp_send(t.held[1], 200, NULL, "2", 1);
    assert_int_equal(t.nheld, 3);
    assert_string_equal(net_req_target(t.held[2]), "/three?x=1");
    assert_string_equal(net_req_header(t.held[2], "x-a"), "b");
    net_resp_send(t.held[2], 200, NULL, "3", 1);
    assert_int_equal(th_count(&t, "200 OK"), 3);
    th_done(&t);
}

static void test_date_header(void **state) {
    char d[30];
    net_http_date(784111777, d);
    assert_string_equal(d, "Sun, 06 Nov 1994 08:49:37 GMT");
    net_http_date(0, d);
    assert_string_equal(d, "Thu, 01 Jan 1970 00:00:00 GMT");
    net_http_date(951782400, d); /* a leap day */
    assert_string_equal(d, "Tue, 29 Feb 2000 00:00:00 GMT");
    net_http_date(4107542399, d);
    assert_string_equal(d, "Sun, 28 Feb 2100 23:59:59 GMT");
    net_http_date(4107542400, d); /* 2100 is not a leap year */
    assert_string_equal(d, "Mon, 01 Mar 2100 00:00:00 GMT");

    /* every answer carries the date, and it follows the clock */
    th t;
    th_init(&t);
    t.mode = TH_HOLD;
    th_feed(&t, "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n");
    net_resp_send(t.held[0], 200, NULL, "a", 1);
    assert_out_has(&t, "HTTP/1.1 200 OK\r\n" TH_DATE);
    net_server_set_wall_clock(t.srv, NULL, NULL); /* the real clock */
    time_t before = time(NULL);
    th_clear(&t);
    net_resp_send(t.held[1], 204, NULL, NULL, 0);
    const char *date = strstr(t.out, "\r\nDate: ");
    assert_non_null(date);
    struct tm tm = {0};
    const char *end = strptime(date + 8, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    assert_non_null(end);
    assert_string_equal(end, "\r\n\r\n");
    time_t sent = timegm(&tm);
    assert_true(sent >= before && sent <= time(NULL));
    th_clear(&t);
    th_feed(&t, "BAD\r\n\r\n"); /* the core's own error answers too */
    assert_out_has(&t, "HTTP/1.1 400 Bad Request\r\nDate: ");
    th_done(&t);
}

static void test_chunked_trailers(void **state) {
    /* trailers are dropped (the headers stay as they were) but count
     * against the header limit */
    th t;
    th_init(&t);
    t.mode = TH_HOLD;
    char req[2048], pad[700];
    memset(pad, 't', sizeof pad - 1);
    pad[sizeof pad - 1] = 0;
    snprintf(req, sizeof req, "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
             "3\r\nabc\r\n0\r\nX-Trailer: %s\r\nX-Two: 2\r\n\r\n", pad);
    th_feed(&t, req);
    assert_int_equal(t.nheld, 1);
    net_req *r = t.held[0];
    assert_string_equal(net_req_header(r, "Host"), "h");
    assert_string_equal(net_req_header(r, "transfer-encoding"), "chunked");
    assert_null(net_req_header(r, "X-Trailer"));
    assert_int_equal(net_req_header_count(r), 2);
    size_t bl;
    assert_string_equal(net_req_body(r, &bl), "abc");
    net_resp_send(r, 200, NULL, NULL, 0);
    th_done(&t);

    net_config cfg;
    net_config_defaults(&cfg);
    cfg.max_header_bytes = 512;
    th_init_cfg(&t, &cfg);
    th_feed(&t, req);
    assert_out_has(&t, "HTTP/1.1 431 ");
    th_done(&t);
}

static void test_big_extra_headers(void **state) {
    /* a head bigger than the core's stack buffer for it */
    th t;
    th_init(&t);
    t.mode = TH_HOLD;
    th_feed(&t, "GET /a HTTP/1.1\r\n\r\n");
    char v[1500];
    memset(v, 'v', sizeof v - 1);
    v[sizeof v - 1] = 0;
    net_resp_header(t.held[0], "X-One", v);
    net_resp_header(t.held[0], "X-Two", v);
    net_resp_send(t.held[0], 299, "text/plain", "ok", 2);
    char want[3200];
    snprintf(want, sizeof want, "HTTP/1.1 299 Unknown\r\n" TH_DATE "Content-Type: text/plain\r\nX-One: %s\r\nX-Two: %s\r\n"
             "Content-Length: 2\r\n\r\nok", v, v);
    assert_string_equal(t.out, want);
    th_done(&t);
}

static void test_path_decoded(void **state) {
    static const char *const cases[][3] = {
        /* target, path as sent, decoded */
        {"/graph%71l?x=%41", "/graph%71l", "/graphql"},
        {"/a+b%2", "/a+b%2", "/a+b%2"},      /* '+' is not a space in a path; a cut escape stays */
        {"/x%00y%zz", "/x%00y%zz", "/x%00y%zz"}, /* never a NUL: the string stays whole */
        {"/%E2%9c%93%2F", "/%E2%9c%93%2F", "/\xe2\x9c\x93/"},
        {"/healthz", "/healthz", "/healthz"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        th t;
        th_init(&t);
        t.mode = TH_HOLD;
        char req[128];
        snprintf(req, sizeof req, "GET %s HTTP/1.1\r\n\r\n", cases[i][0]);
        th_feed(&t, req);
        assert_int_equal(t.nheld, 1);
        assert_string_equal(net_req_target(t.held[0]), cases[i][0]);
        assert_string_equal(net_req_path(t.held[0]), cases[i][1]);
        assert_string_equal(net_req_path_decoded(t.held[0]), cases[i][2]);
        net_resp_send(t.held[0], 200, NULL, NULL, 0);
        th_done(&t);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_get),
        cmocka_unit_test(test_post_body_split_bytes),
        cmocka_unit_test(test_pipelined_out_of_order),
        cmocka_unit_test(test_stream_waits_its_turn),
        cmocka_unit_test(test_connection_close),
        cmocka_unit_test(test_http10),
        cmocka_unit_test(test_http10_stream),
        cmocka_unit_test(test_chunked_body),
        cmocka_unit_test(test_expect_continue),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_header_timeout),
        cmocka_unit_test(test_idle_timeout),
        cmocka_unit_test(test_output_cap),
        cmocka_unit_test(test_request_outlives_connection),
        cmocka_unit_test(test_eof_with_pending_answer),
        cmocka_unit_test(test_eof_answers_buffered_requests),
        cmocka_unit_test(test_pipeline_cap),
        cmocka_unit_test(test_head_and_drop),
        cmocka_unit_test(test_shutdown),
        cmocka_unit_test(test_refuse),
        cmocka_unit_test(test_non_websocket_upgrade_ignored),
        cmocka_unit_test(test_input_is_copied_when_kept),
        cmocka_unit_test(test_date_header),
        cmocka_unit_test(test_path_decoded),
        cmocka_unit_test(test_big_extra_headers),
        cmocka_unit_test(test_chunked_trailers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
