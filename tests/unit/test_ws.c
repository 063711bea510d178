/*
 * test_ws.c: WebSocket (RFC 6455) through the connection core: the
 * handshake and subprotocol choice, masking, fragmentation with control
 * frames between fragments, UTF-8 checks (also across fragments), the
 * message size limit, close codes both ways, and the output cap.
 */
#include "test_http_harness.h"

#define KEY_REQ                                                                                   \
    "GET /graphql HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n" \
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"

/* A client frame: masked with a fixed key unless mask is false. Returns its size. */
static size_t frame(uint8_t *out, bool fin, int op, bool mask, const void *data, size_t len) {
    size_t o = 0;
    out[o++] = (uint8_t)((fin ? 0x80 : 0) | op);
    uint8_t m = mask ? 0x80 : 0;
    if (len < 126) out[o++] = (uint8_t)(m | len);
    else if (len <= 0xFFFF) {
        out[o++] = m | 126;
        out[o++] = (uint8_t)(len >> 8);
        out[o++] = (uint8_t)len;
    } else {
        out[o++] = m | 127;
        for (int i = 0; i < 8; i++) out[o++] = (uint8_t)((uint64_t)len >> (56 - 8 * i));
    }
    static const uint8_t key[4] = {0x37, 0xfa, 0x21, 0x3d};
    if (mask) memcpy(out + o, key, 4), o += 4;
    for (size_t i = 0; i < len; i++) out[o + i] = ((const uint8_t *)data)[i] ^ (mask ? key[i & 3] : 0);
    return o + len;
}

static void send_frame(th *t, bool fin, int op, const void *data, size_t len) {
    uint8_t *buf = malloc(len + 16);
    size_t n = frame(buf, fin, op, true, data, len);
    th_feedn(t, buf, n);
    free(buf);
}

/* A connection with an accepted WebSocket; output cleared. */
static void open_ws(th *t, const net_config *cfg) {
    th_init_cfg(t, cfg);
    th_feed(t, KEY_REQ "Sec-WebSocket-Protocol: graphql-ws, graphql-transport-ws\r\n\r\n");
    assert_out_has(t, "HTTP/1.1 101 Switching Protocols\r\n");
    assert_true(t->ws_opened);
    t->out_len = 0;
}

/* The server's close frame in the output: its code, or -1 when absent. */
static int out_close_code(const th *t) {
    for (size_t i = 0; i + 1 < t->out_len; i++) {
        const uint8_t *p = (const uint8_t *)t->out + i;
        if (p[0] == 0x88 && p[1] < 126 && i + 2 + p[1] == t->out_len)
            return p[1] >= 2 ? (p[2] << 8 | p[3]) : 0;
    }
    return -1;
}

static void test_accept_key(void **state) {
    char out[29];
    net_ws_accept_key("dGhlIHNhbXBsZSBub25jZQ==", 24, out);
    assert_string_equal(out, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

static void test_handshake(void **state) {
    th t;
    th_init(&t);
    th_feed(&t, KEY_REQ "Sec-WebSocket-Protocol: graphql-ws, graphql-transport-ws\r\n\r\n");
    assert_string_equal(t.out, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                               "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                               "Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n");
    assert_true(t.ws_opened);
    assert_string_equal(net_ws_protocol(t.ws), "graphql-transport-ws");
    assert_int_equal(net_server_metrics(t.srv)->conns_ws, 1);
    assert_int_equal(net_server_metrics(t.srv)->conns_http, 0);
    th_done(&t);
    assert_true(t.ws_closed);
    assert_int_equal(t.close_code, 1006);

    /* legacy only */
    th_init(&t);
    th_feed(&t, KEY_REQ "Sec-WebSocket-Protocol: graphql-ws\r\n\r\n");
    assert_out_has(&t, "Sec-WebSocket-Protocol: graphql-ws\r\n");
    th_done(&t);

    /* an unknown subprotocol is refused by the application with an HTTP status */
    th_init(&t);
    th_feed(&t, KEY_REQ "Sec-WebSocket-Protocol: mqtt\r\n\r\n");
    assert_out_has(&t, "HTTP/1.1 400 Bad Request\r\n");
    assert_out_has(&t, "Connection: close\r\n");
    assert_true(t.closed);
    assert_false(t.ws_opened);
    th_done(&t);

    /* wrong version: 426 with the version we speak */
    th_init(&t);
    th_feed(&t, "GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n");
    assert_out_has(&t, "HTTP/1.1 426 Upgrade Required\r\n");
    assert_out_has(&t, "Sec-WebSocket-Version: 13\r\n");
    th_done(&t);

    /* bad key, POST */
    th_init(&t);
    th_feed(&t, "GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13\r\n\r\n");
    assert_out_has(&t, "HTTP/1.1 400 Bad Request\r\n");
    th_done(&t);
    th_init(&t);
    th_feed(&t, "POST / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nContent-Length: 0\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    assert_out_has(&t, "HTTP/1.1 400 Bad Request\r\n");
    th_done(&t);
}

static void test_frames_in_handshake_packet(void **state) {
    /* frames right behind the handshake, in the same read, and after a pipelined request */
    th t;
    th_init(&t);
    uint8_t buf[600];
    const char *pre = "GET /first HTTP/1.1\r\n\r\n" KEY_REQ "\r\n";
    size_t n = strlen(pre);
    memcpy(buf, pre, n);
    n += frame(buf + n, true, 1, true, "hi", 2);
    t.echo_ws = true;
    th_feedn(&t, buf, n);
    assert_int_equal(t.nmsgs, 1);
    assert_string_equal(t.msgs[0], "t:hi");
    const char *first = strstr(t.out, "GET /first|"), *sw = strstr(t.out, "101 Switching");
    assert_true(first && sw && first < sw);
    assert_memory_equal(t.out + t.out_len - 4, "\x81\x02hi", 4);
    th_done(&t);
}

static void test_frames_wait_in_a_copy(void **state) {
    /* the handshake and a frame arrive behind a request the application
     * holds: they wait until its answer, in the core's own copy (the read
     * buffer they came in is reused by the transport at once) */
    th t;
    th_init(&t);
    t.mode = TH_HOLD;
    uint8_t buf[600];
    const char *pre = "GET /first HTTP/1.1\r\n\r\n" KEY_REQ "\r\n";
    size_t n = strlen(pre);
    memcpy(buf, pre, n);
    n += frame(buf + n, true, 1, true, "hi", 2);
    t.echo_ws = true;
    th_feedn(&t, buf, n);
    memset(buf, 'X', sizeof buf);
    assert_int_equal(t.nheld, 1);
    assert_int_equal(t.nmsgs, 0);
    net_resp_send(t.held[0], 200, NULL, "first", 5);
    assert_true(t.ws_opened);
    assert_int_equal(t.nmsgs, 1);
    assert_string_equal(t.msgs[0], "t:hi");
    assert_memory_equal(t.out + t.out_len - 4, "\x81\x02hi", 4);
    th_done(&t);
}

static void test_echo_and_sizes(void **state) {
    th t;
    open_ws(&t, NULL);
    t.echo_ws = true;
    send_frame(&t, true, 1, "hello", 5);
    assert_string_equal(t.msgs[0], "t:hello");
    assert_int_equal(t.out_len, 7);
    assert_memory_equal(t.out, "\x81\x05hello", 7);
    /* 16-bit and 64-bit lengths, fed one byte at a time */
    static char big[70000];
    memset(big, 'a', sizeof big);
    uint8_t *buf = malloc(sizeof big + 16);
    size_t n = frame(buf, true, 2, true, big, 300);
    for (size_t i = 0; i < n; i++) th_feedn(&t, buf + i, 1);
    assert_int_equal(t.nmsgs, 2);
    assert_int_equal(t.msgs[1][0], 'b');
    n = frame(buf, true, 2, true, big, sizeof big);
    th_feedn(&t, buf, n);
    assert_int_equal(t.nmsgs, 3);
    assert_int_equal((uint8_t)t.out[t.out_len - sizeof big - 9], 127);
    free(buf);
    assert_int_equal(net_server_metrics(t.srv)->ws_messages_in, 3);
    th_done(&t);
}

static void test_unmasked(void **state) {
    th t;
    open_ws(&t, NULL);
    uint8_t buf[32];
    size_t n = frame(buf, true, 1, false, "hi", 2);
    th_feedn(&t, buf, n);
    assert_int_equal(out_close_code(&t), 1002);
    assert_true(t.closed);
    assert_true(t.ws_closed);
    assert_int_equal(t.close_code, 1002);
    assert_int_equal(t.nmsgs, 0);
    th_done(&t);
}

static void test_protocol_errors(void **state) {
    struct {
        uint8_t b0, b1;
        const char *what;
    } cases[] = {
        {0xC1, 0x80, "rsv1"},  {0xA1, 0x80, "rsv2"},        {0x83, 0x80, "opcode 3"},
        {0x8B, 0x80, "op 11"}, {0x09, 0x80, "fragmented ping"}, {0x89, 0xFE, "ping 126"},
        {0x80, 0x80, "continuation without start"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        th t;
        open_ws(&t, NULL);
        uint8_t b[2] = {cases[i].b0, cases[i].b1};
        th_feedn(&t, b, 2);
        if (out_close_code(&t) != 1002) fail_msg("%s: no 1002", cases[i].what);
        assert_true(t.closed);
        th_done(&t);
    }
    /* a new data frame inside a fragmented message */
    th t;
    open_ws(&t, NULL);
    send_frame(&t, false, 1, "a", 1);
    send_frame(&t, true, 1, "b", 1);
    assert_int_equal(out_close_code(&t), 1002);
    th_done(&t);
    /* a 64-bit length with the top bit set */
    open_ws(&t, NULL);
    uint8_t b[14] = {0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4};
    th_feedn(&t, b, sizeof b);
    assert_int_equal(out_close_code(&t), 1002);
    th_done(&t);
}

static void test_fragmentation_with_ping(void **state) {
    th t;
    open_ws(&t, NULL);
    send_frame(&t, false, 1, "Hel", 3);
    send_frame(&t, true, 9, "p!", 2); /* a ping between fragments */
    assert_memory_equal(t.out, "\x8a\x02p!", 4);
    send_frame(&t, false, 0, "lo, ", 4);
    send_frame(&t, true, 10, "", 0); /* an unsolicited pong is ignored */
    send_frame(&t, true, 0, "world", 5);
    assert_int_equal(t.nmsgs, 1);
    assert_string_equal(t.msgs[0], "t:Hello, world");
    assert_false(t.closed);
    th_done(&t);
}

static void test_utf8(void **state) {
    th t;
    open_ws(&t, NULL);
    send_frame(&t, true, 1, "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5", 11);
    assert_int_equal(t.nmsgs, 1);
    /* a character split across fragments is fine */
    send_frame(&t, false, 1, "\xce", 1);
    send_frame(&t, false, 0, "\xba\xe1", 2);
    send_frame(&t, true, 0, "\xbd\xb9", 2);
    assert_int_equal(t.nmsgs, 2);
    assert_false(t.closed);
    /* binary is not checked */
    send_frame(&t, true, 2, "\xff\xfe", 2);
    assert_int_equal(t.nmsgs, 3);
    th_done(&t);

    const char *bad[] = {"\xff", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe0\x80\xaf"};
    for (size_t i = 0; i < 5; i++) {
        open_ws(&t, NULL);
        send_frame(&t, true, 1, bad[i], strlen(bad[i]));
        assert_int_equal(out_close_code(&t), 1007);
        assert_int_equal(t.nmsgs, 0);
        th_done(&t);
    }

    /* invalid across fragments: fails at the fragment that breaks it, before the end */
    open_ws(&t, NULL);
    send_frame(&t, false, 1, "ok\xce", 3);
    assert_false(t.closed);
    send_frame(&t, false, 0, "A", 1);
    assert_int_equal(out_close_code(&t), 1007);
    assert_true(t.closed);
    th_done(&t);

    /* a message ending inside a character */
    open_ws(&t, NULL);
    send_frame(&t, false, 1, "ok", 2);
    send_frame(&t, true, 0, "\xe1\xbd", 2);
    assert_int_equal(out_close_code(&t), 1007);
    th_done(&t);

    assert_true(net_utf8_valid("\xf0\x9f\x98\x80", 4));
    assert_false(net_utf8_valid("\xf0\x9f\x98", 3));
}

static void test_message_too_big(void **state) {
    net_config cfg;
    net_config_defaults(&cfg);
    cfg.max_ws_message = 10;
    th t;
    open_ws(&t, &cfg);
    send_frame(&t, true, 1, "0123456789", 10);
    assert_int_equal(t.nmsgs, 1);
    send_frame(&t, false, 1, "012345", 6);
    send_frame(&t, true, 0, "01234", 5);
    assert_int_equal(out_close_code(&t), 1009);
    assert_int_equal(t.close_code, 1009);
    th_done(&t);
    /* refused on the header, before the payload arrives */
    open_ws(&t, &cfg);
    uint8_t b[14] = {0x82, 0xFF, 0, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4};
    th_feedn(&t, b, sizeof b);
    assert_int_equal(out_close_code(&t), 1009);
    th_done(&t);
}

static void test_close_codes(void **state) {
    int valid[] = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4403, 4999};
    for (size_t i = 0; i < sizeof valid / sizeof *valid; i++) {
        th t;
        open_ws(&t, NULL);
        uint8_t p[4] = {(uint8_t)(valid[i] >> 8), (uint8_t)valid[i], 'o', 'k'};
        send_frame(&t, true, 8, p, 4);
        if (out_close_code(&t) != valid[i]) fail_msg("code %d not echoed", valid[i]);
        assert_true(t.closed && t.graceful);
        assert_int_equal(t.close_code, valid[i]);
        assert_string_equal(t.close_reason, "ok");
        th_done(&t);
    }
    int invalid[] = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535};
    for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++) {
        th t;
        open_ws(&t, NULL);
        uint8_t p[2] = {(uint8_t)(invalid[i] >> 8), (uint8_t)invalid[i]};
        send_frame(&t, true, 8, p, 2);
        if (out_close_code(&t) != 1002) fail_msg("code %d accepted", invalid[i]);
        th_done(&t);
    }
    th t;
    /* empty close: an empty close back, reported as 1005 */
    open_ws(&t, NULL);
    send_frame(&t, true, 8, "", 0);
    assert_int_equal(t.out_len, 2);
    assert_memory_equal(t.out, "\x88\x00", 2);
    assert_int_equal(t.close_code, 1005);
    th_done(&t);
    /* one-byte payload; reason not UTF-8 */
    open_ws(&t, NULL);
    send_frame(&t, true, 8, "\x03", 1);
    assert_int_equal(out_close_code(&t), 1002);
    th_done(&t);
    open_ws(&t, NULL);
    send_frame(&t, true, 8, "\x03\xe8\xff", 3);
    assert_int_equal(out_close_code(&t), 1007);
    th_done(&t);
    /* nothing after a close frame is delivered */
    open_ws(&t, NULL);
    uint8_t buf[64];
    size_t n = frame(buf, true, 8, true, "\x03\xe8", 2);
    n += frame(buf + n, true, 1, true, "late", 4);
    th_feedn(&t, buf, n);
    assert_int_equal(t.nmsgs, 0);
    th_done(&t);
}

static void test_app_close(void **state) {
    int codes[] = {4400, 4403, 4408, 4409, 4429, 4500, 1001, 1000};
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
        th t;
        open_ws(&t, NULL);
        net_ws_close(t.ws, codes[i], "Forbidden");
        assert_int_equal(t.out[0], (char)0x88);
        assert_int_equal((uint8_t)t.out[2] << 8 | (uint8_t)t.out[3], codes[i]);
        assert_memory_equal(t.out + 4, "Forbidden", 9);
        assert_false(t.closed); /* waits for the peer's close */
        send_frame(&t, true, 1, "ignored", 7);
        assert_int_equal(t.nmsgs, 0);
        uint8_t p[2] = {(uint8_t)(codes[i] >> 8), (uint8_t)codes[i]};
        send_frame(&t, true, 8, p, 2);
        assert_true(t.closed && t.graceful);
        assert_int_equal(t.close_code, codes[i]);
        assert_string_equal(t.close_reason, "Forbidden");
        th_done(&t);
    }
    /* the peer never answers: closed after ws_close_timeout_ms */
    th t;
    open_ws(&t, NULL);
    net_ws_close(t.ws, 4408, "Connection initialisation timeout");
    t.now += 5000;
    net_conn_tick(t.c);
    assert_true(t.closed);
    assert_false(t.graceful);
    th_done(&t);
    /* a long reason is cut at a character boundary within 123 bytes */
    open_ws(&t, NULL);
    char reason[200];
    memset(reason, 'a', sizeof reason);
    memcpy(reason + 122, "\xce\xba", 2); /* straddles byte 123 */
    reason[199] = 0;
    net_ws_close(t.ws, 4500, reason);
    assert_int_equal((uint8_t)t.out[1], 2 + 122);
    th_done(&t);
}

static void test_shutdown_1001(void **state) {
    th t;
    open_ws(&t, NULL);
    net_conn_shutdown(t.c);
    assert_int_equal(out_close_code(&t), 1001);
    send_frame(&t, true, 8, "\x03\xe9", 2);
    assert_true(t.closed);
    assert_int_equal(t.close_code, 1001);
    th_done(&t);
}

static void test_ws_output_cap(void **state) {
    net_config cfg;
    net_config_defaults(&cfg);
    cfg.max_output_bytes = 4096;
    th t;
    open_ws(&t, &cfg);
    char msg[1000];
    memset(msg, 'x', sizeof msg);
    net_ws *ws = t.ws;
    for (int i = 0; i < 3; i++) net_ws_send(ws, NET_WS_TEXT, msg, sizeof msg);
    assert_true(net_ws_pending(ws) > 3000);
    net_conn_written(t.c, t.unacked);
    assert_int_equal(net_ws_pending(ws), 0);
    for (int i = 0; i < 5 && t.ws; i++) net_ws_send(ws, NET_WS_TEXT, msg, sizeof msg);
    assert_true(t.closed);
    assert_true(t.ws_closed);
    assert_int_equal(t.close_code, 1006);
    assert_int_equal(net_server_metrics(t.srv)->closed_output_cap, 1);
    assert_int_equal(net_server_metrics(t.srv)->conns_ws, 0);
    th_done(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accept_key),
        cmocka_unit_test(test_handshake),
        cmocka_unit_test(test_frames_in_handshake_packet),
        cmocka_unit_test(test_frames_wait_in_a_copy),
        cmocka_unit_test(test_echo_and_sizes),
        cmocka_unit_test(test_unmasked),
        cmocka_unit_test(test_protocol_errors),
        cmocka_unit_test(test_fragmentation_with_ping),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_message_too_big),
        cmocka_unit_test(test_close_codes),
        cmocka_unit_test(test_app_close),
        cmocka_unit_test(test_shutdown_1001),
        cmocka_unit_test(test_ws_output_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
