/*
 * test_mes_bus.c: the event bus over a real store and loop: live delivery
 * after a commit, `where`, groups (one execution per event for subscribers
 * sharing a document), replay with afterSeq joining the live feed with no gap
 * and no duplicate while writes land during the replay, a slow subscriber
 * ended, unsubscribing from inside a callback, shutdown.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "test_mes_util.h"

static const char *ops_doc = "subscription { operationsStream { id seq } }";

/* The seq of a delivered {"data":{"operationsStream":{"id":…,"seq":N}}}. */
static long seq_of(const char *json) {
    const char *p = strstr(json, "\"seq\":");
    if (!p) fail_msg("no seq in %s", json);
    return strtol(p + 6, NULL, 10);
}

static void live_after_commit(void **state) {
    (void)state;
    test_mes t;
    test_mes_open(&t, NULL);
    test_deploy_wait(&t, "before", "Before");   /* committed before: not delivered */
    static test_sink s;
    memset(&s, 0, sizeof s);
    test_subscribe(&t, &s, ops_doc, NULL);
    assert_int_equal(s.count, 0);
    mes_metrics mm;
    mes_get_metrics(t.m, &mm);
    assert_int_equal(mm.subscriptions, 1);
    assert_int_equal(mm.subscription_groups, 1);
    test_deploy_wait(&t, "p_one", "One");
    assert_int_equal(s.count, 1);
    assert_string_equal(s.msgs[0], "{\"data\":{\"operationsStream\":{\"id\":\"p_one\",\"seq\":2}}}");
    mes_get_metrics(t.m, &mm);
    assert_int_equal(mm.events_published[STORE_STREAM_OPERATIONS], 2);   /* "before" too */
    mes_unsubscribe(s.sub);
    test_deploy_wait(&t, "p_two", "Two");
    assert_int_equal(s.count, 1);
    mes_get_metrics(t.m, &mm);
    assert_int_equal(mm.subscriptions, 0);
    assert_int_equal(mm.subscription_groups, 0);
    test_sink_clear(&s);
    test_mes_close(&t);
}

static void where_filters(void **state) {
    (void)state;
    test_mes t;
    test_mes_open(&t, NULL);
    static test_sink s;
    memset(&s, 0, sizeof s);
    test_subscribe(&t, &s, "subscription($id: ID) { operationsStream(where: {id: {_eq: $id}}) { id } }",
                   "{\"id\": \"p_b\"}");
    test_deploy_submit(&t, "p_a", "A");
    test_deploy_submit(&t, "p_b", "B");
    test_deploy_submit(&t, "p_c", "C");
    TEST_RUN_UNTIL(&t, t.deploys_done == 3);
    assert_int_equal(s.count, 1);
    assert_string_equal(s.msgs[0], "{\"data\":{\"operationsStream\":{\"id\":\"p_b\"}}}");
    test_sink_clear(&s);
    mes_unsubscribe(s.sub);
    test_mes_close(&t);
}

static void groups_execute_once(void **state) {
    (void)state;
    test_mes t;
    test_mes_open(&t, NULL);
    static test_sink a, b, c;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    memset(&c, 0, sizeof c);
    test_subscribe(&t, &a, ops_doc, NULL);
    test_subscribe(&t, &b, ops_doc, NULL);
    /* other variables: another group */
    const char *vdoc = "subscription($id: ID) { operationsStream(where: {id: {_eq: $id}}) { id seq } }";
    test_subscribe(&t, &c, vdoc, "{\"id\": \"p_x\"}");
    mes_metrics mm;
    mes_get_metrics(t.m, &mm);
    assert_int_equal(mm.subscriptions, 3);
    assert_int_equal(mm.subscription_groups, 2);
    uint64_t before = mm.event_executions;
    test_deploy_wait(&t, "p_x", "X");
    test_deploy_wait(&t, "p_y", "Y");
    mes_get_metrics(t.m, &mm);
    /* p_x: once for a+b, once for c; p_y: once for a+b (c's where drops it unread) */
    assert_int_equal(mm.event_executions - before, 3);
    assert_int_equal(a.count, 2);
    assert_int_equal(b.count, 2);
    assert_int_equal(c.count, 1);
    assert_string_equal(a.msgs[1], b.msgs[1]);
    mes_unsubscribe(a.sub);
    mes_get_metrics(t.m, &mm);
    assert_int_equal(mm.subscription_groups, 2);   /* b still holds it */
    mes_unsubscribe(b.sub);
    mes_unsubscribe(c.sub);
    mes_get_metrics(t.m, &mm);
    assert_int_equal(mm.subscription_groups, 0);
    test_sink_clear(&a);
    test_sink_clear(&b);
    test_sink_clear(&c);
    test_mes_close(&t);
}

/* Groups without `where` share the page the first one read: three groups
 * cost the reads one does. */
static uint64_t reads_for_one_deploy(test_mes *t, const char *id) {
    store_metrics before, after;
    store_get_metrics(t->st, &before);
    test_deploy_wait(t, id, "N");
    store_get_metrics(t->st, &after);
    return after.read_statements - before.read_statements;
}

static void unfiltered_groups_share_reads(void **state) {
    (void)state;
    test_mes t;
    test_mes_open(&t, NULL);
    static test_sink a, b, c;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    memset(&c, 0, sizeof c);
    test_subscribe(&t, &a, "subscription { operationsStream { id } }", NULL);
    uint64_t one = reads_for_one_deploy(&t, "p_1");
    assert_true(one >= 1);
    test_subscribe(&t, &b, "subscription { operationsStream { name } }", NULL);
    test_subscribe(&t, &c, "subscription { operationsStream { id name } }", NULL);
    mes_metrics mm;
    mes_get_metrics(t.m, &mm);
    assert_int_equal(mm.subscription_groups, 3);
    assert_int_equal(reads_for_one_deploy(&t, "p_2"), one);
    assert_int_equal(a.count, 2);
    assert_int_equal(b.count, 1);
    assert_int_equal(c.count, 1);
    assert_string_equal(c.msgs[0], "{\"data\":{\"operationsStream\":{\"id\":\"p_2\",\"name\":\"N\"}}}");
    mes_unsubscribe(a.sub);
    mes_unsubscribe(b.sub);
    mes_unsubscribe(c.sub);
    test_sink_clear(&a);
    test_sink_clear(&b);
    test_sink_clear(&c);
    test_mes_close(&t);
}

/* Every seq from first to last exactly once, in order. */
static void assert_consecutive(const test_sink *s, long first, long last) {
    assert_int_equal(s->count, last - first + 1);
    for (int i = 0; i < s->count; i++) assert_int_equal(seq_of(s->msgs[i]), first + i);
}

static void replay_meets_live(void **state) {
    (void)state;
    test_mes t;
    test_mes_open(&t, NULL);
    /* 700 events in the log: three pages of replay */
    char id[32];
    for (int i = 0; i < 700; i++) {
        snprintf(id, sizeof id, "p_%04d", i);
        test_deploy_submit(&t, id, "first");
    }
    TEST_RUN_UNTIL(&t, t.deploys_done == 700);
    static test_sink s, late;
    memset(&s, 0, sizeof s);
    memset(&late, 0, sizeof late);
    test_subscribe(&t, &s, "subscription { operationsStream(afterSeq: 5) { id seq } }", NULL);
    assert_int_equal(s.count, 0);   /* nothing inside mes_subscribe */
    /* a live member of the same group, so the group reads on its own */
    test_subscribe(&t, &late, "subscription { operationsStream { id seq } }", NULL);
    /* writes land while the replay runs: one before each loop turn (new ids,
       so each event's operation shows its own seq) */
    int written = 0;
    for (int turn = 0; turn < 20; turn++) {
        snprintf(id, sizeof id, "q_%04d", turn);
        test_deploy_submit(&t, id, "second");
        written++;
        uv_run(&t.loop, UV_RUN_NOWAIT);
        usleep(200);
    }
    TEST_RUN_UNTIL(&t, t.deploys_done == 700 + written && s.count == 700 + written - 5);
    /* and a few more after it went live */
    for (int i = 0; i < 5; i++) {
        snprintf(id, sizeof id, "r_%04d", i);
        test_deploy_wait(&t, id, "third");
    }
    assert_consecutive(&s, 6, 700 + written + 5);
    assert_consecutive(&late, 701, 700 + written + 5);
    mes_unsubscribe(s.sub);
    mes_unsubscribe(late.sub);
    test_sink_clear(&s);
    test_sink_clear(&late);
    test_mes_close(&t);
}

static void replay_with_where_and_future_seq(void **state) {
    (void)state;
    test_mes t;
    test_mes_open(&t, NULL);
    test_deploy_wait(&t, "p_a", "A");   /* 1 */
    test_deploy_wait(&t, "p_b", "B");   /* 2 */
    test_deploy_wait(&t, "p_c", "C");   /* 3 */
    static test_sink s, future;
    memset(&s, 0, sizeof s);
    memset(&future, 0, sizeof future);
    test_subscribe(&t, &s, "subscription { operationsStream(afterSeq: 0, where: {id: {_eq: \"p_a\"}}) { id seq } }", NULL);
    /* afterSeq past the head: nothing until seq 6 */
    test_subscribe(&t, &future, "subscription { operationsStream(afterSeq: 5) { id seq } }", NULL);
    TEST_RUN_UNTIL(&t, s.count == 1);
    assert_string_equal(s.msgs[0], "{\"data\":{\"operationsStream\":{\"id\":\"p_a\",\"seq\":1}}}");
    test_deploy_wait(&t, "p_b", "B2");   /* 4 */
    test_deploy_wait(&t, "p_a", "A2");   /* 5 */
    assert_int_equal(future.count, 0);
    test_deploy_wait(&t, "p_d", "D");    /* 6 */
    assert_int_equal(s.count, 2);
    assert_string_equal(s.msgs[1], "{\"data\":{\"operationsStream\":{\"id\":\"p_a\",\"seq\":5}}}");
    assert_int_equal(future.count, 1);
    assert_int_equal(seq_of(future.msgs[0]), 6);
    mes_unsubscribe(s.sub);
    mes_unsubscribe(future.sub);
    test_sink_clear(&s);
    test_sink_clear(&future);
    test_mes_close(&t);
}

static void bad_after_seq(void **state) {
    (void)state;
    test_mes t;
    test_mes_open(&t, NULL);
    mes_doc *d = test_doc(t.m, "subscription { operationsStream(afterSeq: -1) { id } }");
    gql_buf err;
    gql_buf_init(&err);
    static test_sink s;
    memset(&s, 0, sizeof s);
    assert_null(mes_subscribe(t.m, &test_admin, d, NULL, NULL, &test_sink_fns, &s, &err));
    gql_buf_putc(&err, 0);
    assert_string_equal(err.data, "{\"errors\":[{\"message\":\"afterSeq must be 0 or more.\",\"locations\":[{\"line\":1,"
                                  "\"column\":16}],\"extensions\":{\"code\":\"BAD_INPUT\"}}]}");
    /* a variable that does not coerce: the engine's request error */
    err.len = 0;
    mes_doc *v = test_doc(t.m, "subscription($n: Int) { operationsStream(afterSeq: $n) { id } }");
    gql_arena a;
    gql_arena_init(&a, 0);
    assert_null(mes_subscribe(t.m, &test_admin, v, NULL, test_json(&a, "{\"n\": \"x\"}"), &test_sink_fns, &s, &err));
    gql_buf_putc(&err, 0);
    assert_non_null(strstr(err.data, "Variable \\\"$n\\\" got invalid value \\\"x\\\""));
    /* a where the domain refuses: a request error with BAD_INPUT */
    err.len = 0;
    mes_doc *w = test_doc(t.m, "subscription { operationsStream(where: {id: {_eq: null}}) { id } }");
    assert_null(mes_subscribe(t.m, &test_admin, w, NULL, NULL, &test_sink_fns, &s, &err));
    gql_buf_putc(&err, 0);
    assert_non_null(strstr(err.data, "\"extensions\":{\"code\":\"BAD_INPUT\"}"));
    mes_doc_release(w);
    mes_metrics mm;
    mes_get_metrics(t.m, &mm);
    assert_int_equal(mm.subscriptions, 0);
    assert_int_equal(mm.subscription_groups, 0);
    gql_arena_free(&a);
    gql_buf_free(&err);
    mes_doc_release(d);
    mes_doc_release(v);
    test_mes_close(&t);
}

static void slow_subscriber_ended(void **state) {
    (void)state;
    mes_config cfg;
    mes_config_defaults(&cfg);
    cfg.sub_max_pending = 1000;
    test_mes t;
    test_mes_open(&t, &cfg);
    static test_sink slow, fine;
    memset(&slow, 0, sizeof slow);
    memset(&fine, 0, sizeof fine);
    test_subscribe(&t, &slow, ops_doc, NULL);
    test_subscribe(&t, &fine, ops_doc, NULL);
    slow.pending = 5000;
    test_deploy_wait(&t, "p_1", "One");
    assert_int_equal(slow.count, 1);   /* delivered, then found too slow */
    assert_int_equal(slow.ends, 1);
    assert_string_equal(slow.end_reason, "subscriber too slow; resume with afterSeq");
    test_deploy_wait(&t, "p_2", "Two");
    assert_int_equal(slow.count, 1);
    assert_int_equal(fine.count, 2);
    mes_metrics mm;
    mes_get_metrics(t.m, &mm);
    assert_int_equal(mm.subscribers_dropped_slow, 1);
    assert_int_equal(mm.subscriptions, 1);
    mes_unsubscribe(fine.sub);
    test_sink_clear(&slow);
    test_sink_clear(&fine);
    test_mes_close(&t);
}

static void replay_pauses_for_a_full_connection(void **state) {
    (void)state;
    mes_config cfg;
    mes_config_defaults(&cfg);
    cfg.sub_max_pending = 4000;
    test_mes t;
    test_mes_open(&t, &cfg);
    test_deploy_wait(&t, "p_1", "One");
    static test_sink s;
    memset(&s, 0, sizeof s);
    s.pending = 2000;   /* over a quarter: replay waits */
    test_subscribe(&t, &s, "subscription { operationsStream(afterSeq: 0) { id seq } }", NULL);
    for (int i = 0; i < 30; i++) {
        uv_run(&t.loop, UV_RUN_NOWAIT);
        usleep(1000);
    }
    assert_int_equal(s.count, 0);
    assert_int_equal(s.ends, 0);
    s.pending = 0;   /* drained */
    TEST_RUN_UNTIL(&t, s.count == 1);
    mes_unsubscribe(s.sub);
    test_sink_clear(&s);
    test_mes_close(&t);
}

/* A callback that unsubscribes itself and its neighbour. */
static void unsubscribe_both(test_sink *ts) {
    test_sink *other = ts->ctx;
    if (ts->sub) mes_unsubscribe(ts->sub);
    ts->sub = NULL;
    if (other->sub) mes_unsubscribe(other->sub);
    other->sub = NULL;
}

static void unsubscribe_inside_callback(void **state) {
    (void)state;
    test_mes t;
    test_mes_open(&t, NULL);
    static test_sink a, b, r;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    memset(&r, 0, sizeof r);
    test_subscribe(&t, &a, ops_doc, NULL);
    test_subscribe(&t, &b, ops_doc, NULL);
    a.on_next = b.on_next = unsubscribe_both;
    a.ctx = &b;
    b.ctx = &a;
    test_deploy_wait(&t, "p_1", "One");
    /* whichever came first took both out: exactly one delivery */
    assert_int_equal(a.count + b.count, 1);
    /* a replaying subscriber that leaves during its replay */
    test_deploy_wait(&t, "p_2", "Two");
    test_subscribe(&t, &r, "subscription { operationsStream(afterSeq: 0) { id seq } }", NULL);
    r.on_next = unsubscribe_both;
    r.ctx = &r;
    for (int i = 0; i < 20; i++) uv_run(&t.loop, UV_RUN_NOWAIT);
    assert_int_equal(r.count, 1);
    mes_metrics mm;
    mes_get_metrics(t.m, &mm);
    assert_int_equal(mm.subscriptions, 0);
    assert_int_equal(mm.subscription_groups, 0);
    test_deploy_wait(&t, "p_3", "Three");
    assert_int_equal(a.count + b.count, 1);
    assert_int_equal(r.count, 1);
    test_sink_clear(&a);
    test_sink_clear(&b);
    test_sink_clear(&r);
    test_mes_close(&t);
}

static void shutdown_ends_all(void **state) {
    (void)state;
    test_mes t;
    test_mes_open(&t, NULL);
    test_deploy_wait(&t, "p_1", "One");
    static test_sink live, replaying;
    memset(&live, 0, sizeof live);
    memset(&replaying, 0, sizeof replaying);
    test_subscribe(&t, &live, ops_doc, NULL);
    test_subscribe(&t, &replaying, "subscription { operationsStream(afterSeq: 0) { id } }", NULL);
    store_close(t.st);
    mes_close(t.m);
    assert_int_equal(live.ends, 1);
    assert_string_equal(live.end_reason, "server shutting down");
    assert_int_equal(replaying.ends, 1);
    assert_string_equal(replaying.end_reason, "server shutting down");
    uv_run(&t.loop, UV_RUN_DEFAULT);
    assert_int_equal(uv_loop_close(&t.loop), 0);
    test_db_remove(&t.db);
}

/* The domain's real deploy mutation, end to end: its events reach the
 * subscribers of both streams before the mutation's own answer. */
typedef struct deploy_answer {
    int calls;
    char *json;
    test_sink *ops, *subs;
    int ops_seen, subs_seen;   /* what the subscribers had when done ran */
} deploy_answer;

static void on_deploy_done(void *user, const mes_result *r) {
    deploy_answer *a = user;
    a->calls++;
    a->json = strndup(r->json, r->len);
    a->ops_seen = a->ops->count;
    a->subs_seen = a->subs->count;
}

static void deploy_mutation_reaches_subscribers(void **state) {
    (void)state;
    test_mes t;
    test_mes_open(&t, NULL);
    static test_sink ops, subs;
    memset(&ops, 0, sizeof ops);
    memset(&subs, 0, sizeof subs);
    test_subscribe(&t, &ops, "subscription { operationsStream { id name kind } }", NULL);
    test_subscribe(&t, &subs, "subscription { subOperationsStream { parentId subId position } }", NULL);
    mes_doc *d = test_doc(t.m,
                          "mutation { a: processCreate(input: {process: {id: \"P_ONE\", name: \"One\"}})"
                          " b: processCreate(input: {process: {id: \"p_two\", name: \"Two\"}})"
                          " c: productCreate(input: {product: {id: \"prod_1\", name: \"Prod\","
                          " components: [{operationId: \"p_one\"}, {operationId: \"p_two\"}]}}) }");
    deploy_answer a = {.ops = &ops, .subs = &subs};
    mes_execute(t.m, &test_admin, d, NULL, NULL, on_deploy_done, &a);
    mes_doc_release(d);
    TEST_RUN_UNTIL(&t, a.calls == 1);
    assert_string_equal(a.json, "{\"data\":{\"a\":\"p_one\",\"b\":\"p_two\",\"c\":\"prod_1\"}}");
    assert_int_equal(a.ops_seen, 3);
    assert_int_equal(a.subs_seen, 2);
    assert_string_equal(ops.msgs[0], "{\"data\":{\"operationsStream\":{\"id\":\"p_one\",\"name\":\"One\",\"kind\":\"PROCESS\"}}}");
    assert_string_equal(ops.msgs[2], "{\"data\":{\"operationsStream\":{\"id\":\"prod_1\",\"name\":\"Prod\",\"kind\":\"PRODUCT\"}}}");
    assert_string_equal(subs.msgs[1], "{\"data\":{\"subOperationsStream\":{\"parentId\":\"prod_1\",\"subId\":\"p_two\",\"position\":1}}}");
    free(a.json);
    mes_unsubscribe(ops.sub);
    mes_unsubscribe(subs.sub);
    test_sink_clear(&ops);
    test_sink_clear(&subs);
    test_mes_close(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(live_after_commit),
        cmocka_unit_test(where_filters),
        cmocka_unit_test(groups_execute_once),
        cmocka_unit_test(unfiltered_groups_share_reads),
        cmocka_unit_test(replay_meets_live),
        cmocka_unit_test(replay_with_where_and_future_seq),
        cmocka_unit_test(bad_after_seq),
        cmocka_unit_test(slow_subscriber_ended),
        cmocka_unit_test(replay_pauses_for_a_full_connection),
        cmocka_unit_test(unsubscribe_inside_callback),
        cmocka_unit_test(shutdown_ends_all),
        cmocka_unit_test(deploy_mutation_reaches_subscribers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
