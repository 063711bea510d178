/*
 * test_server_params.c: the request-reading helpers of src/server on real
 * net_req values (the connection core driven with byte strings): Accept
 * negotiation, GraphQL-over-HTTP parameters from GET and POST, the tokens a
 * request or a connection_init payload carries, the error body.
 */
#include "test_http_harness.h"
#include "server_internal.h"

/* Feeds one request and returns it held (answer it to finish). */
static net_req *hold(th *t, const char *bytes) {
    th_init(t);
    t->mode = TH_HOLD;
    th_feed(t, bytes);
    assert_int_equal(t->nheld, 1);
    return t->held[0];
}

static void finish(th *t, net_req *r) {
    net_resp_send(r, 204, NULL, "", 0);
    th_done(t);
}

static int accept_of(const char *accept, server_media *m) {
    th t;
    char req[512];
    snprintf(req, sizeof req, "POST /graphql HTTP/1.1\r\nHost: x\r\n%s%s%sContent-Length: 0\r\n\r\n",
             accept ? "Accept: " : "", accept ? accept : "", accept ? "\r\n" : "");
    net_req *r = hold(&t, req);
    bool ok = server_accept_media(r, m);
    finish(&t, r);
    return ok;
}

static void test_accept(void **state) {
    (void)state;
    server_media m;
    assert_true(accept_of(NULL, &m));
    assert_int_equal(m, SRV_MEDIA_JSON);
    assert_true(accept_of("application/graphql-response+json", &m));
    assert_int_equal(m, SRV_MEDIA_GRAPHQL_RESPONSE);
    assert_true(accept_of("application/json, application/graphql-response+json;charset=utf-8", &m));
    assert_int_equal(m, SRV_MEDIA_GRAPHQL_RESPONSE);
    assert_true(accept_of("application/json", &m));
    assert_int_equal(m, SRV_MEDIA_JSON);
    assert_true(accept_of("*/*", &m));
    assert_int_equal(m, SRV_MEDIA_JSON);
    assert_true(accept_of("text/html, Application/*;q=0.5", &m));
    assert_int_equal(m, SRV_MEDIA_JSON);
    assert_false(accept_of("text/html", &m));
    assert_false(accept_of("application/graphql-response+json;q=0, text/plain", &m));
    assert_false(accept_of("application/json; charset=iso-8859-1", &m));
}

typedef struct params_case {
    const char *request;
    bool ok;
    int status;
    const char *msg;   /* prefix of the message when !ok; the query when ok */
} params_case;

static void test_read_params(void **state) {
    (void)state;
    static const params_case cases[] = {
        {"GET /graphql?query=%7B%20__typename%20%7D&operationName=Q&variables=%7B%22a%22%3A1%7D HTTP/1.1\r\n\r\n",
         true, 0, "{ __typename }"},
        {"GET /graphql?query=%7Bx%7D&variables=null HTTP/1.1\r\n\r\n", true, 0, "{x}"},
        {"GET /graphql HTTP/1.1\r\n\r\n", false, 400, "Missing query"},
        {"GET /graphql?query=%7Bx%7D&variables=%5B%5D HTTP/1.1\r\n\r\n", false, 400, "Invalid variables"},
        {"GET /graphql?query=%7Bx%7D&variables=%7B HTTP/1.1\r\n\r\n", false, 400, "Invalid variables"},
        {"GET /graphql?query=%7Bx%7D&extensions=1 HTTP/1.1\r\n\r\n", false, 400, "Invalid extensions"},
        {"GET /graphql?query=%7Bx%FF%7D HTTP/1.1\r\n\r\n", false, 400, "Invalid query"},
        {"POST /graphql HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{\"query\":\"{x}\"}",
         true, 0, "{x}"},
        {"POST /graphql HTTP/1.1\r\nContent-Type: Application/JSON; charset=UTF-8\r\nContent-Length: 15\r\n\r\n"
         "{\"query\":\"{x}\"}",
         true, 0, "{x}"},
        {"POST /graphql HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\n{x}", false, 415, "Unsupported"},
        {"POST /graphql HTTP/1.1\r\nContent-Length: 3\r\n\r\n{x}", false, 415, "Unsupported"},
        {"POST /graphql HTTP/1.1\r\nContent-Type: application/json;charset=latin1\r\nContent-Length: 2\r\n\r\n{}",
         false, 415, "Unsupported"},
        {"POST /graphql HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 0\r\n\r\n", false, 400,
         "Missing body"},
        {"POST /graphql HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{\"query\":", false,
         400, "Unparsable JSON body"},
        {"POST /graphql HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 3\r\n\r\n[1]", false, 400,
         "JSON body must be an object"},
        {"POST /graphql HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"query\":1}", false,
         400, "Invalid query"},
        {"POST /graphql HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 33\r\n\r\n"
         "{\"query\":\"{x}\",\"operationName\":1}",
         false, 400, "Invalid operationName"},
        {"POST /graphql HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 22\r\n\r\n"
         "{\"query\":\"\\ud800 x\"}  ",
         false, 400, "Unparsable JSON body"},
        {"POST /graphql HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n{\"variables\":{}}",
         false, 400, "Missing query"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        th t;
        net_req *r = hold(&t, cases[i].request);
        gql_arena a;
        gql_arena_init(&a, 512);
        server_params p;
        int status = 0;
        const char *msg = NULL;
        bool ok = server_read_params(r, &a, &p, &status, &msg);
        if (ok != cases[i].ok) fail_msg("case %zu: ok=%d (%s)", i, ok, ok ? "" : msg);
        if (ok) {
            assert_int_equal(p.query_len, strlen(cases[i].msg));
            assert_memory_equal(p.query, cases[i].msg, p.query_len);
        } else {
            assert_int_equal(status, cases[i].status);
            if (strncmp(msg, cases[i].msg, strlen(cases[i].msg)) != 0) fail_msg("case %zu: message %s", i, msg);
        }
        if (i == 0) {
            assert_string_equal(p.operation_name, "Q");
            assert_non_null(p.variables);
            assert_int_equal(gql_val_get(p.variables, "a", 1)->u.i, 1);
        }
        if (i == 1) assert_null(p.variables);
        gql_arena_free(&a);
        finish(&t, r);
    }
}

static void test_req_token(void **state) {
    (void)state;
    static const struct { const char *headers, *token; } cases[] = {
        {"x-pico-api-org: abc\r\n", "abc"},
        {"Authorization: Bearer tok1\r\n", "tok1"},
        {"Authorization: bearer   tok2  \r\n", "tok2"},
        {"Authorization: Basic tok3\r\n", NULL},
        {"Authorization: Bearer\r\n", NULL},
        {"X-Pico-Api-Org: first\r\nAuthorization: Bearer second\r\n", "first"},
        {"", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        th t;
        char req[256];
        snprintf(req, sizeof req, "GET /graphql HTTP/1.1\r\n%s\r\n", cases[i].headers);
        net_req *r = hold(&t, req);
        size_t len = 0;
        const char *tok = server_req_token(r, &len);
        if (!cases[i].token) {
            assert_null(tok);
        } else {
            assert_non_null(tok);
            assert_int_equal(len, strlen(cases[i].token));
            assert_memory_equal(tok, cases[i].token, len);
        }
        finish(&t, r);
    }
}

static void test_payload_token(void **state) {
    (void)state;
    static const struct { const char *json, *token; } cases[] = {
        {"{\"x-pico-api-org\":\"a\"}", "a"},
        {"{\"authorization\":\"Bearer b\"}", "b"},
        {"{\"Authorization\":\"Bearer c\"}", "c"},
        {"{\"token\":\"d\"}", "d"},
        {"{\"token\":\"d\",\"x-pico-api-org\":\"e\"}", "e"},
        {"{\"authorization\":\"f\"}", NULL},
        {"{\"token\":1}", NULL},
        {"{\"token\":\"\"}", NULL},
        {"[]", NULL},
        {"null", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gql_arena a;
        gql_arena_init(&a, 256);
        const char *err = NULL;
        gql_val *v = gql_json_parse(&a, cases[i].json, strlen(cases[i].json), 0, &err);
        assert_non_null(v);
        size_t len = 0;
        const char *tok = server_payload_token(v, &len);
        if (!cases[i].token) {
            assert_null(tok);
        } else {
            assert_non_null(tok);
            assert_int_equal(len, strlen(cases[i].token));
            assert_memory_equal(tok, cases[i].token, len);
        }
        gql_arena_free(&a);
    }
    assert_null(server_payload_token(NULL, &(size_t){0}));
}

static void test_error_body(void **state) {
    (void)state;
    gql_buf b;
    gql_buf_init(&b);
    server_error_body(&b, "say \"no\"", NULL);
    assert_string_equal(b.data, "{\"errors\":[{\"message\":\"say \\\"no\\\"\"}]}");
    b.len = 0;
    server_error_body(&b, "who?", "UNAUTHENTICATED");
    assert_string_equal(b.data, "{\"errors\":[{\"message\":\"who?\",\"extensions\":{\"code\":\"UNAUTHENTICATED\"}}]}");
    gql_buf_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accept),
        cmocka_unit_test(test_read_params),
        cmocka_unit_test(test_req_token),
        cmocka_unit_test(test_payload_token),
        cmocka_unit_test(test_error_body),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
