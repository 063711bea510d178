/* test_webhooks.c: the webhook pieces below the transports: responseFragment
 * validation (with the engine's messages), subscription ids, the outbox
 * written in the same transaction as each event (and not at all when the
 * job fails), the signature format and the retry schedule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "test_mes_util.h"
#include "mes/webhooks.h"

/* ---- fragments ---- */

static void check_ok(gql_schema *s, const char *frag, store_stream want) {
    char msg[256] = "";
    store_stream got = STORE_STREAM_COUNT;
    if (!mes_webhook_fragment_check(s, frag, &got, msg, sizeof msg)) fail_msg("refused %s: %s", frag, msg);
    assert_int_equal(got, want);
}

static void check_refused(gql_schema *s, const char *frag, const char *want_msg) {
    char msg[256] = "";
    store_stream got;
    if (mes_webhook_fragment_check(s, frag, &got, msg, sizeof msg)) fail_msg("accepted %s", frag);
    assert_string_equal(msg, want_msg);
}

static void fragments(void **state) {
    (void)state;
    test_mes t;
    test_mes_open(&t, NULL);
    gql_schema *s = mes_schema(t.m);
    check_ok(s, "fragment F on Operation { id name }", STORE_STREAM_OPERATIONS);
    check_ok(s, "fragment S on SubOperation { __typename }", STORE_STREAM_SUB_OPERATIONS);
    check_ok(s, "fragment C on OperationOrderComplete { orderIndex }", STORE_STREAM_COMPLETES);
    check_ok(s, "fragment N on NoteEvent { id text }", STORE_STREAM_NOTES);
    check_refused(s, "fragment F on Operation { id nme }",
                  "Cannot query field \"nme\" on type \"Operation\". Did you mean \"name\"?");
    check_refused(s, "fragment F on Operation { id ", "Syntax Error: Expected Name, found <EOF>.");
    check_refused(s, "", "Syntax Error: Unexpected <EOF>.");
    check_refused(s, "fragment F on Station { id }",
                  "responseFragment must be on Operation, SubOperation, OperationOrderComplete or NoteEvent, "
                  "not \"Station\".");
    check_refused(s, "fragment F on Operation { id } fragment G on Operation { id }",
                  "responseFragment must be exactly one fragment definition, and nothing else.");
    check_refused(s, "{ operations { id } }",
                  "responseFragment must be exactly one fragment definition, and nothing else.");
    /* a variable has no definition in the wrapped subscription */
    check_refused(s, "fragment F on Operation { id @include(if: $w) }",
                  "Variable \"$w\" is not defined.");

    char *doc = mes_webhook_document("fragment N on NoteEvent { id }", STORE_STREAM_NOTES);
    assert_non_null(doc);
    assert_string_equal(doc, "fragment N on NoteEvent { id }\nsubscription { noteEventsStream { ...N } }");
    free(doc);
    assert_null(mes_webhook_document("fragment N on NoteEvent { id", STORE_STREAM_NOTES));
    test_mes_close(&t);
}

static void ids(void **state) {
    (void)state;
    assert_true(mes_webhook_id_valid("erp-1_A"));
    char max[66];
    memset(max, 'a', 64);
    max[64] = 0;
    assert_true(mes_webhook_id_valid(max));
    max[64] = 'a', max[65] = 0;
    assert_false(mes_webhook_id_valid(max));
    assert_false(mes_webhook_id_valid(""));
    assert_false(mes_webhook_id_valid(NULL));
    assert_false(mes_webhook_id_valid("a b"));
    assert_false(mes_webhook_id_valid("a/b"));
    assert_false(mes_webhook_id_valid("é"));
}

/* ---- the outbox ---- */

/* A store on a fresh database file, with a loop for its writer. */
static store *store_fixture(test_db *db, uv_loop_t *loop) {
    test_db_make(db);
    uv_loop_init(loop);
    return test_open(db, loop);
}
static void store_fixture_end(store *s, test_db *db, uv_loop_t *loop) {
    store_close(s);
    uv_run(loop, UV_RUN_DEFAULT);
    assert_int_equal(uv_loop_close(loop), 0);
    test_db_remove(db);
}

typedef struct put_job { store_webhook w; bool replaced; } put_job;
static int run_put(store_tx *tx, void *arg, store_err *err) {
    put_job *j = arg;
    return store_tx_webhook_put(tx, &j->w, &j->replaced, err);
}
static bool put(store *s, const char *id, store_stream stream) {
    put_job j = {.w = {.id = id, .stream = stream, .response_fragment = "fragment F on Operation { id }",
                       .url = "http://127.0.0.1:9/", .secret = "k"}};
    store_err err = {0};
    assert_int_equal(store_exec_sync(s, run_put, &j, &err), STORE_OK);
    return j.replaced;
}

static void outbox(void **state) {
    (void)state;
    test_db db;
    uv_loop_t loop;
    store *s = store_fixture(&db, &loop);
    store_err err = {0};
    TEST_PROCESS(p1, "p_one", "One", "PN1");
    assert_int_equal(deploy_process(s, &p1, NULL, &err), STORE_OK);   /* before any subscription */

    assert_false(put(s, "ops", STORE_STREAM_OPERATIONS));
    assert_false(put(s, "notes", STORE_STREAM_NOTES));
    assert_int_equal(test_sql_int(&db, "SELECT last_delivered_seq FROM webhook_subscriptions WHERE id = 'ops'"),
                     test_sql_int(&db, "SELECT max(seq) FROM operation_events"));
    assert_int_equal(test_sql_int(&db, "SELECT count(*) FROM webhook_outbox"), 0);

    TEST_PROCESS(p2, "p_two", "Two", "PN2");
    assert_int_equal(deploy_process(s, &p2, NULL, &err), STORE_OK);
    /* one row per operations event, for the operations subscription only */
    assert_int_equal(test_sql_int(&db, "SELECT count(*) FROM webhook_outbox WHERE subscription_id = 'ops'"),
                     test_sql_int(&db, "SELECT count(*) FROM operation_events e, webhook_subscriptions w"
                                       " WHERE w.id = 'ops' AND e.seq > w.last_delivered_seq"));
    assert_true(test_sql_int(&db, "SELECT count(*) FROM webhook_outbox") >= 1);
    assert_int_equal(test_sql_int(&db, "SELECT count(*) FROM webhook_outbox WHERE subscription_id = 'notes'"), 0);
    long long rows = test_sql_int(&db, "SELECT count(*) FROM webhook_outbox");

    /* a failing job leaves neither events nor outbox rows */
    long long head = test_sql_int(&db, "SELECT max(seq) FROM operation_events");
    TEST_PROCESS(p3, "p_three", "Three", "PN3");
    deploy_job j = {.process = &p3, .fail_after = STORE_EINPUT};
    assert_int_equal(store_exec_sync(s, run_deploy, &j, &err), STORE_EINPUT);
    assert_int_equal(test_sql_int(&db, "SELECT max(seq) FROM operation_events"), head);
    assert_int_equal(test_sql_int(&db, "SELECT count(*) FROM webhook_outbox"), rows);

    /* the list shows the pending count */
    gql_arena a;
    gql_arena_init(&a, 0);
    store_webhook *w;
    size_t n;
    assert_int_equal(store_webhooks_list(s, &a, &w, &n, &err), STORE_OK);
    assert_int_equal(n, 2);
    assert_string_equal(w[0].id, "notes");
    assert_int_equal(w[0].pending, 0);
    assert_int_equal(w[0].last_delivered_seq, -1);   /* no note event yet */
    assert_string_equal(w[1].id, "ops");
    assert_int_equal(w[1].pending, rows);
    assert_int_equal(w[1].stream, STORE_STREAM_OPERATIONS);
    gql_arena_free(&a);

    /* subscribing again replaces: its outbox is dropped, it starts at the head */
    assert_true(put(s, "ops", STORE_STREAM_OPERATIONS));
    assert_int_equal(test_sql_int(&db, "SELECT count(*) FROM webhook_outbox"), 0);
    assert_int_equal(test_sql_int(&db, "SELECT last_delivered_seq FROM webhook_subscriptions WHERE id = 'ops'"),
                     head);
    store_fixture_end(s, &db, &loop);
}

/* A late answer for a row of a subscription replaced while it was out. */
typedef struct answer_job {
    int64_t outbox_id, seq, failing_before;
    bool ok;
} answer_job;
static int run_answer(store_tx *tx, void *arg, store_err *err) {
    answer_job *j = arg;
    if (j->ok) return store_tx_webhook_delivered(tx, j->outbox_id, "ops", j->seq, err);
    return store_tx_webhook_failed(tx, j->outbox_id, "ops", j->seq, store_tx_now(tx) + 1000, "HTTP 500",
                                   j->failing_before, err);
}
static void answer(store *s, int64_t outbox_id, int64_t seq, bool ok, int64_t failing_before) {
    answer_job j = {outbox_id, seq, failing_before, ok};
    store_err err = {0};
    assert_int_equal(store_exec_sync(s, run_answer, &j, &err), STORE_OK);
}

static void stale_answers_and_failing(void **state) {
    (void)state;
    test_db db;
    uv_loop_t loop;
    store *s = store_fixture(&db, &loop);
    store_err err = {0};
    put(s, "ops", STORE_STREAM_OPERATIONS);
    TEST_PROCESS(p1, "p_one", "One", "PN1");
    assert_int_equal(deploy_process(s, &p1, NULL, &err), STORE_OK);
    long long old_id = test_sql_int(&db, "SELECT max(id) FROM webhook_outbox");
    long long old_seq = test_sql_int(&db, "SELECT seq FROM webhook_outbox WHERE id = (SELECT max(id) FROM webhook_outbox)");
    /* replaced while that row was out: the next event's row takes the freed id */
    assert_true(put(s, "ops", STORE_STREAM_OPERATIONS));
    TEST_PROCESS(p2, "p_two", "Two", "PN2");
    assert_int_equal(deploy_process(s, &p2, NULL, &err), STORE_OK);
    assert_int_equal(test_sql_int(&db, "SELECT id FROM webhook_outbox"), old_id);
    long long seq = test_sql_int(&db, "SELECT seq FROM webhook_outbox");
    assert_true(seq > old_seq);
    /* the old row's late 2xx and late failure touch neither the new row nor the new subscription */
    answer(s, old_id, old_seq, true, 0);
    answer(s, old_id, old_seq, false, INT64_MAX);
    assert_int_equal(test_sql_int(&db, "SELECT count(*) FROM webhook_outbox WHERE attempts = 0"), 1);
    assert_int_equal(test_sql_int(&db, "SELECT last_delivered_seq < (SELECT seq FROM webhook_outbox)"
                                       " FROM webhook_subscriptions WHERE id = 'ops'"),
                     1);
    assert_int_equal(test_sql_int(&db, "SELECT failing FROM webhook_subscriptions WHERE id = 'ops'"), 0);

    /* failing counts from the first failure, not from the event: a row that
       waited two hours behind a backlog is not failing on its first error */
    assert_int_equal(test_sql_int(&db, "UPDATE webhook_outbox SET created_at = created_at - 7200000 RETURNING 1"), 1);
    long long created = test_sql_int(&db, "SELECT created_at FROM webhook_outbox");
    answer(s, old_id, seq, false, created + 3600000);   /* "failing if it first failed over an hour ago" */
    assert_int_equal(test_sql_int(&db, "SELECT failing FROM webhook_subscriptions WHERE id = 'ops'"), 0);
    assert_int_equal(test_sql_int(&db, "SELECT attempts FROM webhook_outbox"), 1);
    long long first = test_sql_int(&db, "SELECT first_failed_at FROM webhook_outbox");
    assert_true(first > created + 3600000);
    answer(s, old_id, seq, false, first);   /* a second failure keeps the first one's time */
    assert_int_equal(test_sql_int(&db, "SELECT first_failed_at FROM webhook_outbox"), first);
    assert_int_equal(test_sql_int(&db, "SELECT failing FROM webhook_subscriptions WHERE id = 'ops'"), 0);
    answer(s, old_id, seq, false, first + 1);   /* an hour after the first failure */
    assert_int_equal(test_sql_int(&db, "SELECT failing FROM webhook_subscriptions WHERE id = 'ops'"), 1);
    /* and its 2xx delivers it and clears failing */
    answer(s, old_id, seq, true, 0);
    assert_int_equal(test_sql_int(&db, "SELECT count(*) FROM webhook_outbox"), 0);
    assert_int_equal(test_sql_int(&db, "SELECT failing FROM webhook_subscriptions WHERE id = 'ops'"), 0);
    assert_int_equal(test_sql_int(&db, "SELECT last_delivered_seq FROM webhook_subscriptions WHERE id = 'ops'"), seq);
    store_fixture_end(s, &db, &loop);
}

/* ---- signing and retries ---- */

static void signature(void **state) {
    (void)state;
    char sig[MES_WEBHOOK_SIG_LEN + 1];
    const char *body = "{\"subscriptionID\":\"a\",\"seq\":1,\"data\":{}}";
    assert_true(mes_webhook_sign("k3y", 1764180000, body, strlen(body), sig));
    /* python3: hmac.new(b"k3y", b"1764180000." + body, hashlib.sha256).hexdigest() */
    assert_string_equal(sig, "sha256=544e5fbf971dc5f06a82e97dde5328ea5327ec2e4d77f51af8d6d95eba9a29fb");
    char other[MES_WEBHOOK_SIG_LEN + 1];
    assert_true(mes_webhook_sign("k3y", 1764180001, body, strlen(body), other));
    assert_string_not_equal(sig, other);   /* the timestamp is signed */
}

static void backoff(void **state) {
    (void)state;
    /* without jitter's lower half: 1 s doubling */
    assert_int_equal(mes_webhook_backoff_ms(1, 0.999999), 999);
    assert_int_equal(mes_webhook_backoff_ms(1, 0), 500);
    assert_int_equal(mes_webhook_backoff_ms(2, 0), 1000);
    assert_int_equal(mes_webhook_backoff_ms(3, 0), 2000);
    assert_int_equal(mes_webhook_backoff_ms(10, 0), 256000);
    /* capped at 10 minutes, whatever the attempt */
    assert_int_equal(mes_webhook_backoff_ms(11, 0), 300000);
    assert_true(mes_webhook_backoff_ms(11, 0.999999) <= 600000);
    assert_int_equal(mes_webhook_backoff_ms(1000, 0), 300000);
    for (int i = 1; i < 40; i++) {
        int64_t d = mes_webhook_backoff_ms(i, 0.5);
        assert_true(d >= 500 && d <= 600000);
    }
}

static void allow_list(void **state) {
    (void)state;
    mes_webhook_allow *a;
    char err[200] = "";
    assert_true(mes_webhook_allow_parse(NULL, &a, err, sizeof err));
    assert_null(a);
    assert_true(mes_webhook_allowed(NULL, "anything", "203.0.113.9"));   /* off by default */
    assert_true(mes_webhook_allow_parse("erp.example.com,10.0.0.0/8,192.168.1.7,fd00::/8", &a, err, sizeof err));
    assert_true(mes_webhook_allowed(a, "ERP.example.com", "203.0.113.9"));   /* by name */
    assert_true(mes_webhook_allowed(a, "x", "10.200.3.4"));
    assert_false(mes_webhook_allowed(a, "x", "11.0.0.1"));
    assert_true(mes_webhook_allowed(a, "x", "192.168.1.7"));
    assert_false(mes_webhook_allowed(a, "x", "192.168.1.8"));   /* an address is a network of one */
    assert_true(mes_webhook_allowed(a, "x", "fd12::1"));
    assert_false(mes_webhook_allowed(a, "x", "fe80::1"));
    assert_false(mes_webhook_allowed(a, "x", NULL));
    /* a name that resolves into no allowed network is refused */
    assert_false(mes_webhook_allowed(a, "evil.example.com", "127.0.0.1"));
    /* an IPv4-mapped IPv6 address is its IPv4 address */
    assert_true(mes_webhook_allowed(a, "x", "::ffff:10.0.0.5"));
    assert_false(mes_webhook_allowed(a, "x", "::ffff:11.0.0.5"));
    mes_webhook_allow_free(a);
    /* names compare as hosts do: case and a trailing dot do not matter */
    assert_true(mes_webhook_allow_parse("ERP.Example.com.", &a, err, sizeof err));
    char host[64] = "erp.EXAMPLE.com..";
    mes_webhook_host_normalize(host);
    assert_string_equal(host, "erp.example.com");
    assert_true(mes_webhook_allowed(a, host, "203.0.113.9"));
    mes_webhook_allow_free(a);
    char v6[64] = "[FD00::1]";
    mes_webhook_host_normalize(v6);
    assert_string_equal(v6, "fd00::1");
    assert_true(mes_webhook_allow_parse("10.0.0.0/12", &a, err, sizeof err));
    assert_true(mes_webhook_allowed(a, "x", "10.15.255.255"));
    assert_false(mes_webhook_allowed(a, "x", "10.16.0.0"));
    mes_webhook_allow_free(a);
    assert_false(mes_webhook_allow_parse("10.0.0.0/33", &a, err, sizeof err));
    assert_string_equal(err, "--webhook-allow: '10.0.0.0/33' is not a network");
    assert_false(mes_webhook_allow_parse("host/8", &a, err, sizeof err));
    assert_false(mes_webhook_allow_parse("a,,b", &a, err, sizeof err));
    assert_string_equal(err, "--webhook-allow: an empty or too long entry");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fragments), cmocka_unit_test(ids),     cmocka_unit_test(outbox), cmocka_unit_test(stale_answers_and_failing),
        cmocka_unit_test(signature), cmocka_unit_test(backoff), cmocka_unit_test(allow_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
