/*
 * test_store_reads.c: read sessions (store_reads) and requests in read
 * passes. On SQLite a read never pends; in the simulation a read whose key
 * (function and parameters) was not fetched in the session pends and is
 * recorded, a fetch answers on a later loop turn (never inside the call),
 * and a query of depth d takes d + 1 passes, bounded by max_read_passes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "test_mes_util.h"

typedef struct fetch_probe {
    bool inside;   /* store_reads_fetch is running */
    int calls;
    int reentered;
    store_err err;
} fetch_probe;

static void probe_done(void *arg, const store_err *err) {
    fetch_probe *p = arg;
    if (p->inside) p->reentered++;
    p->calls++;
    p->err = *err;
}

static void fetch_and_wait(test_mes *t, store_reads *r) {
    fetch_probe p = {.inside = true};
    assert_int_equal(store_reads_fetch(t->st, r, probe_done, &p), STORE_OK);
    p.inside = false;
    assert_int_equal(p.calls, 0);   /* never from inside the call */
    TEST_RUN_UNTIL(t, p.calls == 1);
    assert_int_equal(p.reentered, 0);
    assert_int_equal(p.err.code, STORE_OK);
}

/* store_operation_get's answer in one pass of r. */
static int get_op(test_mes *t, store_reads *r, const char *id, gql_arena *a, store_operation **op) {
    store_err err = {0};
    store_reads_begin(t->st, r);
    int rc = store_operation_get(t->st, id, a, op, &err);
    store_reads_end(t->st, r);
    if (rc == STORE_PENDING) assert_int_equal(err.code, STORE_PENDING);
    return rc;
}

static void sqlite_never_pends(void **state) {
    (void)state;
    test_mes t;
    test_mes_open(&t, NULL);
    test_deploy_wait(&t, "p_one", "One");
    gql_arena a;
    gql_arena_init(&a, 0);
    store_reads r;
    store_reads_init(&r);
    store_operation *op = NULL;
    assert_int_equal(get_op(&t, &r, "p_one", &a, &op), STORE_OK);
    assert_non_null(op);
    assert_false(store_reads_pending(&r));
    assert_int_equal(r.passes, 1);
    store_reads_free(&r);
    gql_arena_free(&a);
    test_mes_close(&t);
}

static void simulation_pends_until_fetched(void **state) {
    (void)state;
    test_mes t;
    test_mes_open(&t, NULL);
    test_deploy_wait(&t, "p_one", "One");
    store_set_read_passes(t.st, true);
    gql_arena a;
    gql_arena_init(&a, 0);
    store_err err = {0};
    store_operation *op = NULL;
    /* no session: the read runs as always */
    assert_int_equal(store_operation_get(t.st, "p_one", &a, &op, &err), STORE_OK);
    assert_non_null(op);

    store_reads r;
    store_reads_init(&r);
    assert_int_equal(get_op(&t, &r, "p_one", &a, &op), STORE_PENDING);
    assert_true(store_reads_pending(&r));
    assert_int_equal(get_op(&t, &r, "p_none", &a, &op), STORE_PENDING);
    fetch_probe p = {0};
    assert_int_equal(store_reads_fetch(t.st, &r, probe_done, &p), STORE_OK);
    /* one fetch at a time: a second is refused and its done never called */
    fetch_probe q = {0};
    assert_int_equal(store_reads_fetch(t.st, &r, probe_done, &q), STORE_EINPUT);
    TEST_RUN_UNTIL(&t, p.calls == 1);
    assert_int_equal(q.calls, 0);
    assert_false(store_reads_pending(&r));

    /* what was fetched is answered, with the real rows */
    op = NULL;
    assert_int_equal(get_op(&t, &r, "p_one", &a, &op), STORE_OK);
    assert_non_null(op);
    assert_string_equal(op->name, "One");
    op = (store_operation *)&a;   /* not NULL: the read must set it */
    assert_int_equal(get_op(&t, &r, "p_none", &a, &op), STORE_OK);
    assert_null(op);
    /* other parameters are another read */
    assert_int_equal(get_op(&t, &r, "p_two", &a, &op), STORE_PENDING);
    store_operation *ops;
    size_t n;
    store_reads_begin(t.st, &r);
    assert_int_equal(store_operations_list(t.st, NULL, 1, 0, &a, &ops, &n, &err), STORE_PENDING);
    store_reads_end(t.st, &r);
    fetch_and_wait(&t, &r);
    store_reads_begin(t.st, &r);
    assert_int_equal(store_operations_list(t.st, NULL, 1, 0, &a, &ops, &n, &err), STORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_operations_list(t.st, NULL, 2, 0, &a, &ops, &n, &err), STORE_PENDING);
    assert_int_equal(store_operations_list(t.st, NULL, 1, 1, &a, &ops, &n, &err), STORE_PENDING);
    store_reads_end(t.st, &r);
    assert_int_equal(r.passes, 7);   /* every begin counts */
    store_reads_free(&r);
    gql_arena_free(&a);
    test_mes_close(&t);
}

/* A read wanted while a fetch is out is not part of it: it still pends
 * once that fetch is back, and the next fetch brings it. */
static void wanted_during_a_fetch_waits_for_the_next(void **state) {
    (void)state;
    test_mes t;
    test_mes_open(&t, NULL);
    test_deploy_wait(&t, "p_one", "One");
    test_deploy_wait(&t, "p_two", "Two");
    store_set_read_passes(t.st, true);
    gql_arena a;
    gql_arena_init(&a, 0);
    store_reads r;
    store_reads_init(&r);
    store_operation *op;
    assert_int_equal(get_op(&t, &r, "p_one", &a, &op), STORE_PENDING);
    fetch_probe p = {0};
    assert_int_equal(store_reads_fetch(t.st, &r, probe_done, &p), STORE_OK);
    assert_int_equal(get_op(&t, &r, "p_two", &a, &op), STORE_PENDING);
    TEST_RUN_UNTIL(&t, p.calls == 1);
    assert_true(store_reads_pending(&r));   /* p_two's */
    assert_int_equal(get_op(&t, &r, "p_one", &a, &op), STORE_OK);
    assert_int_equal(get_op(&t, &r, "p_two", &a, &op), STORE_PENDING);
    fetch_and_wait(&t, &r);
    assert_int_equal(get_op(&t, &r, "p_two", &a, &op), STORE_OK);
    assert_string_equal(op->name, "Two");
    store_reads_free(&r);
    gql_arena_free(&a);
    test_mes_close(&t);
}

static uint64_t passes_of(test_mes *t) {
    mes_metrics mm;
    mes_get_metrics(t->m, &mm);
    return mm.read_passes;
}

static const char *depth1 = "{ operations { id } }";
static const char *depth2 = "{ operations { id consumedSerials { id name } } }";

static void query_takes_depth_plus_one_passes(void **state) {
    (void)state;
    mes_config cfg;
    mes_config_defaults(&cfg);
    cfg.query_cache_entries = 0;   /* every query is executed */
    test_mes t;
    test_mes_open(&t, &cfg);
    test_deploy_wait(&t, "p_one", "One");
    char *plain = strdup(test_api(&t, &test_admin, depth2, NULL));
    uint64_t before = passes_of(&t);
    test_api(&t, &test_admin, depth2, NULL);
    assert_int_equal(passes_of(&t) - before, 1);   /* SQLite: one pass */
    assert_non_null(strstr(plain, "\"consumedSerials\":[{\"id\":\"sn\""));

    store_set_read_passes(t.st, true);
    before = passes_of(&t);
    assert_string_equal(test_api(&t, &test_admin, depth2, NULL), plain);
    assert_int_equal(passes_of(&t) - before, 3);
    before = passes_of(&t);
    test_api(&t, &test_admin, depth1, NULL);
    assert_int_equal(passes_of(&t) - before, 2);
    free(plain);
    test_mes_close(&t);
}

static void pass_limit_is_an_internal_error(void **state) {
    (void)state;
    mes_config cfg;
    mes_config_defaults(&cfg);
    cfg.max_read_passes = 2;
    test_mes t;
    test_mes_open(&t, &cfg);
    test_deploy_wait(&t, "p_one", "One");
    store_set_read_passes(t.st, true);
    assert_string_equal(test_api(&t, &test_admin, depth1, NULL), "{\"data\":{\"operations\":[{\"id\":\"p_one\"}]}}");
    const char *over = test_api(&t, &test_admin, depth2, NULL);
    assert_non_null(strstr(over, "needed more than 2 read passes"));
    assert_non_null(strstr(over, "\"code\":\"INTERNAL\""));
    assert_non_null(strstr(over, "\"data\":null"));
    test_mes_close(&t);
}

/* Every delivered message's seq is the one after the previous, from first. */
static void assert_seqs(const test_sink *s, long first, int count) {
    assert_int_equal(s->count, count);
    for (int i = 0; i < s->count; i++) {
        const char *p = strstr(s->msgs[i], "\"seq\":");
        assert_non_null(p);
        assert_int_equal(strtol(p + 6, NULL, 10), first + i);
        assert_non_null(strstr(s->msgs[i], "\"consumedSerials\":[{\"id\":\"sn\"}]"));
    }
}

/* The bus in passes: a live group and a replayer (whose executions read a
 * level below the event) wait in place while commits keep coming, and each
 * gets every event once, in seq order. */
static void bus_waits_in_place(void **state) {
    (void)state;
    test_mes t;
    test_mes_open(&t, NULL);
    char id[32];
    for (int i = 0; i < 10; i++) {
        snprintf(id, sizeof id, "p_%d", i);
        test_deploy_wait(&t, id, "Before");
    }
    store_set_read_passes(t.st, true);
    static test_sink live, replay;
    memset(&live, 0, sizeof live);
    memset(&replay, 0, sizeof replay);
    test_subscribe(&t, &live, "subscription { operationsStream { seq consumedSerials { id } } }", NULL);
    test_subscribe(&t, &replay,
                   "subscription { operationsStream(afterSeq: 0) { seq consumedSerials { id } } }", NULL);
    uint64_t before = passes_of(&t);
    for (int i = 0; i < 30; i++) {
        snprintf(id, sizeof id, "q_%d", i);
        test_deploy_submit(&t, id, "After");
    }
    TEST_RUN_UNTIL(&t, t.deploys_done == 40 && live.count == 30 && replay.count == 40);
    assert_int_equal(passes_of(&t), before);   /* the bus's passes are not requests' */
    assert_seqs(&live, 11, 30);
    assert_seqs(&replay, 1, 40);
    mes_unsubscribe(live.sub);
    mes_unsubscribe(replay.sub);
    test_sink_clear(&live);
    test_sink_clear(&replay);
    test_mes_close(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sqlite_never_pends),
        cmocka_unit_test(simulation_pends_until_fetched),
        cmocka_unit_test(wanted_during_a_fetch_waits_for_the_next),
        cmocka_unit_test(query_takes_depth_plus_one_passes),
        cmocka_unit_test(pass_limit_is_an_internal_error),
        cmocka_unit_test(bus_waits_in_place),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
