/*
 * test_mes_cache.c: the query response cache of the service core (cache.c)
 * over a real store, loop and domain: a hit gives the same bytes without
 * executing (no statement reaches the store), every commit empties it (one
 * that appends no event, a station deploy, included; a mutation's own answer
 * already sees its write), role, station, operation and variables keep
 * entries apart while member order of the variables does not, answers with
 * errors are not kept, the bounds (entries, bytes, answer size) hold, 0
 * entries turns it off, and an answer handed out stays valid while its done
 * callback empties the cache.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "test_mes_util.h"

typedef struct answer {
    int calls;
    gql_exec_status status;
    char *json;
    void (*then)(struct answer *a, const mes_result *r);   /* run inside done */
    test_mes *t;
    int checked;
} answer;

static void on_done(void *user, const mes_result *r) {
    answer *a = user;
    a->calls++;
    a->status = r->status;
    free(a->json);
    a->json = strndup(r->json, r->len);
    if (a->then) a->then(a, r);
}

static void run_as(test_mes *t, const mes_principal *who, const char *text, const char *op, const char *vars,
                   answer *a) {
    gql_arena ar;
    gql_arena_init(&ar, 0);
    mes_doc *d = test_doc(t->m, text);
    mes_execute(t->m, who, d, op, vars ? test_json(&ar, vars) : NULL, on_done, a);
    mes_doc_release(d);
    gql_arena_free(&ar);
}

static void run(test_mes *t, const char *text, answer *a) { run_as(t, &test_admin, text, NULL, NULL, a); }

static uint64_t reads(test_mes *t) {
    store_metrics sm;
    store_get_metrics(t->st, &sm);
    return sm.read_statements;
}

static mes_metrics metrics(test_mes *t) {
    mes_metrics mm;
    mes_get_metrics(t->m, &mm);
    return mm;
}

static const char *const Q_OPS = "{ operations { id name consumedSerials { id } } }";

static void hit_without_executing(void **state) {
    (void)state;
    test_mes t;
    test_mes_open(&t, NULL);
    test_deploy_wait(&t, "p_1", "One");
    answer a = {0}, b = {0};
    uint64_t r0 = reads(&t);
    run(&t, Q_OPS, &a);
    assert_int_equal(a.status, GQL_EXEC_OK);
    assert_non_null(strstr(a.json, "\"p_1\""));
    uint64_t r1 = reads(&t);
    assert_true(r1 > r0);   /* executed: the store was read */
    run(&t, Q_OPS, &b);
    assert_int_equal(b.calls, 1);   /* before mes_execute returned, as any query */
    assert_int_equal(b.status, GQL_EXEC_OK);
    assert_string_equal(b.json, a.json);
    assert_int_equal(reads(&t), r1);   /* not executed */
    mes_metrics mm = metrics(&t);
    assert_int_equal(mm.query_cache_hits, 1);
    assert_int_equal(mm.query_cache_misses, 1);
    assert_int_equal(mm.query_cache_entries, 1);
    assert_true(mm.query_cache_bytes > strlen(a.json));
    free(a.json);
    free(b.json);
    test_mes_close(&t);
}

/* ---- every commit empties it ---- */

typedef struct station_job { store_station_in in; int done; } station_job;
static int station_run(store_tx *tx, void *arg, store_err *err) {
    station_job *j = arg;
    store_deploy_result r;
    return store_tx_deploy_station(tx, &j->in, &r, err);
}
static void station_done(void *arg, const store_err *err) {
    assert_int_equal(err->code, STORE_OK);
    ((station_job *)arg)->done = 1;
}
static int nothing_run(store_tx *tx, void *arg, store_err *err) {
    (void)tx, (void)arg, (void)err;
    return STORE_OK;
}
static void nothing_done(void *arg, const store_err *err) {
    assert_int_equal(err->code, STORE_OK);
    *(int *)arg = 1;
}

/* Inside the mutation's done: the query already sees what it wrote. */
static void query_in_done(answer *a, const mes_result *r) {
    (void)r;
    answer q = {0};
    run(a->t, "{ operations { id } }", &q);
    a->checked = strstr(q.json, "\"p_new\"") != NULL ? 1 : -1;
    free(q.json);
}

static void commits_invalidate(void **state) {
    (void)state;
    test_mes t;
    test_mes_open(&t, NULL);
    test_deploy_wait(&t, "p_1", "One");
    answer a = {0};
    const char *q_st = "{ stations { id } }";
    run(&t, q_st, &a);
    assert_string_equal(a.json, "{\"data\":{\"stations\":[]}}");
    run(&t, q_st, &a);
    assert_int_equal(metrics(&t).query_cache_hits, 1);

    /* a station deploy appends no event: still a commit */
    const char *procs[] = {"p_1"};
    station_job sj = {.in = {"st_1", "Station 1", procs, 1}};
    assert_int_equal(store_submit(t.st, station_run, station_done, &sj), STORE_OK);
    TEST_RUN_UNTIL(&t, sj.done);
    run(&t, q_st, &a);
    assert_string_equal(a.json, "{\"data\":{\"stations\":[{\"id\":\"st_1\"}]}}");
    assert_int_equal(metrics(&t).query_cache_hits, 1);
    assert_int_equal(metrics(&t).query_cache_flushes, 1);

    /* a commit that changed nothing empties it all the same */
    run(&t, q_st, &a);
    assert_int_equal(metrics(&t).query_cache_hits, 2);
    int nothing = 0;
    assert_int_equal(store_submit(t.st, nothing_run, nothing_done, &nothing), STORE_OK);
    TEST_RUN_UNTIL(&t, nothing);
    uint64_t misses = metrics(&t).query_cache_misses;
    run(&t, q_st, &a);
    assert_int_equal(metrics(&t).query_cache_misses, misses + 1);

    /* a mutation's answer comes after the cache forgot the old list */
    answer q = {0};
    run(&t, "{ operations { id } }", &q);
    run(&t, "{ operations { id } }", &q);
    assert_null(strstr(q.json, "\"p_new\""));
    answer m = {.t = &t, .then = query_in_done};
    run(&t, "mutation { processCreate(input: {process: {id: \"p_new\", name: \"New\"}}) }", &m);
    TEST_RUN_UNTIL(&t, m.calls == 1);
    assert_string_equal(m.json, "{\"data\":{\"processCreate\":\"p_new\"}}");
    assert_int_equal(m.checked, 1);

    /* a commit of another thread (store_exec_sync) counts too */
    run(&t, q_st, &a);
    run(&t, q_st, &a);
    uint64_t hits = metrics(&t).query_cache_hits;
    int sync_done = 0;
    assert_int_equal(store_exec_sync(t.st, nothing_run, &sync_done, NULL), STORE_OK);
    run(&t, q_st, &a);
    assert_int_equal(metrics(&t).query_cache_hits, hits);
    free(a.json);
    free(q.json);
    free(m.json);
    test_mes_close(&t);
}

/* ---- what keeps entries apart ---- */

static void keys(void **state) {
    (void)state;
    test_mes t;
    test_mes_open(&t, NULL);
    test_deploy_wait(&t, "p_1", "One");
    test_deploy_wait(&t, "p_2", "Two");
    answer a = {0};
    const mes_principal op1 = {.role = MES_ROLE_OPERATOR, .token_id = "o1", .station_id = "st_1"};
    const mes_principal op2 = {.role = MES_ROLE_OPERATOR, .token_id = "o2", .station_id = "st_2"};
    const mes_principal op1b = {.role = MES_ROLE_OPERATOR, .token_id = "o3", .station_id = "st_1"};
    run_as(&t, &test_admin, Q_OPS, NULL, NULL, &a);
    run_as(&t, &op1, Q_OPS, NULL, NULL, &a);
    run_as(&t, &op2, Q_OPS, NULL, NULL, &a);
    assert_int_equal(metrics(&t).query_cache_misses, 3);   /* role, then station */
    run_as(&t, &op1b, Q_OPS, NULL, NULL, &a);   /* another token, same role and station */
    assert_int_equal(metrics(&t).query_cache_hits, 1);
    run_as(&t, NULL, Q_OPS, NULL, NULL, &a);    /* no principal: an entry of its own */
    assert_int_equal(metrics(&t).query_cache_misses, 4);
    run_as(&t, NULL, Q_OPS, NULL, NULL, &a);
    assert_int_equal(metrics(&t).query_cache_hits, 2);

    const char *q_var = "query Q($id: ID!) { operation(id: $id) { id name } } query R { __typename }";
    run_as(&t, &test_admin, q_var, "Q", "{\"id\": \"p_1\"}", &a);
    assert_string_equal(a.json, "{\"data\":{\"operation\":{\"id\":\"p_1\",\"name\":\"One\"}}}");
    run_as(&t, &test_admin, q_var, "Q", "{\"id\": \"p_2\"}", &a);
    assert_string_equal(a.json, "{\"data\":{\"operation\":{\"id\":\"p_2\",\"name\":\"Two\"}}}");
    run_as(&t, &test_admin, q_var, "R", NULL, &a);
    assert_string_equal(a.json, "{\"data\":{\"__typename\":\"Query\"}}");
    assert_int_equal(metrics(&t).query_cache_misses, 7);
    run_as(&t, &test_admin, q_var, "Q", "{\"id\": \"p_1\"}", &a);
    assert_string_equal(a.json, "{\"data\":{\"operation\":{\"id\":\"p_1\",\"name\":\"One\"}}}");
    assert_int_equal(metrics(&t).query_cache_hits, 3);

    /* the members' order does not matter; a member more does */
    const char *q_two = "query($a: ID!, $b: Int) { operation(id: $a) { id } operations(limit: $b) { id } }";
    run_as(&t, &test_admin, q_two, NULL, "{\"a\": \"p_1\", \"b\": 1}", &a);
    run_as(&t, &test_admin, q_two, NULL, "{\"b\": 1, \"a\": \"p_1\"}", &a);
    assert_int_equal(metrics(&t).query_cache_hits, 4);
    run_as(&t, &test_admin, q_two, NULL, "{\"b\": 1, \"a\": \"p_1\", \"c\": null}", &a);
    run_as(&t, &test_admin, q_two, NULL, "{\"b\": 2, \"a\": \"p_1\"}", &a);
    assert_string_equal(a.json, "{\"data\":{\"operation\":{\"id\":\"p_1\"},\"operations\":[{\"id\":\"p_1\"},{\"id\":\"p_2\"}]}}");
    assert_int_equal(metrics(&t).query_cache_hits, 4);
    free(a.json);
    test_mes_close(&t);
}

static void errors_not_kept(void **state) {
    (void)state;
    test_mes t;
    test_mes_open(&t, NULL);
    answer a = {0};
    /* a field error */
    for (int i = 0; i < 2; i++) run(&t, "{ operations(where: {id: {_eq: null}}) { id } }", &a);
    assert_int_equal(a.status, GQL_EXEC_FIELD_ERRORS);
    /* a request error (variables that do not coerce) */
    for (int i = 0; i < 2; i++)
        run_as(&t, &test_admin, "query($n: Int) { operations(limit: $n) { id } }", NULL, "{\"n\": \"x\"}", &a);
    assert_int_equal(a.status, GQL_EXEC_REQUEST_ERROR);
    mes_metrics mm = metrics(&t);
    assert_int_equal(mm.query_cache_hits, 0);
    assert_int_equal(mm.query_cache_misses, 4);
    assert_int_equal(mm.query_cache_entries, 0);
    /* mutations are neither looked up nor kept */
    run(&t, "mutation { processCreate(input: {process: {id: \"p_m\", name: \"M\"}}) }", &a);
    TEST_RUN_UNTIL(&t, a.calls == 5);
    assert_int_equal(metrics(&t).query_cache_misses, 4);
    assert_int_equal(metrics(&t).query_cache_entries, 0);
    free(a.json);
    test_mes_close(&t);
}

/* ---- bounds ---- */

static void bounds(void **state) {
    (void)state;
    mes_config cfg;
    mes_config_defaults(&cfg);
    cfg.query_cache_entries = 2;
    test_mes t;
    test_mes_open(&t, &cfg);
    answer a = {0};
    run(&t, "{ a: __typename }", &a);
    run(&t, "{ b: __typename }", &a);
    run(&t, "{ a: __typename }", &a);   /* a is now the most recent */
    run(&t, "{ c: __typename }", &a);   /* b goes */
    assert_int_equal(metrics(&t).query_cache_entries, 2);
    run(&t, "{ a: __typename }", &a);
    run(&t, "{ c: __typename }", &a);
    assert_int_equal(metrics(&t).query_cache_hits, 3);
    run(&t, "{ b: __typename }", &a);
    assert_int_equal(metrics(&t).query_cache_hits, 3);
    test_mes_close(&t);

    /* an answer over the size cap is not kept; one under it is */
    mes_config_defaults(&cfg);
    cfg.query_cache_max_answer = 40;
    test_mes_open(&t, &cfg);
    run(&t, "{ __typename }", &a);   /* 31 bytes */
    run(&t, "{ a_rather_longer_alias: __typename }", &a);
    assert_true(strlen(a.json) > 40);
    mes_metrics mm = metrics(&t);
    assert_int_equal(mm.query_cache_entries, 1);
    test_mes_close(&t);

    /* the bytes bound: room for two small entries, not three */
    mes_config_defaults(&cfg);
    test_mes_open(&t, &cfg);
    run(&t, "{ x: __typename }", &a);
    size_t one = metrics(&t).query_cache_bytes;
    test_mes_close(&t);
    cfg.query_cache_bytes = 2 * one + one / 2;
    test_mes_open(&t, &cfg);
    run(&t, "{ x: __typename }", &a);
    run(&t, "{ y: __typename }", &a);
    run(&t, "{ z: __typename }", &a);
    mm = metrics(&t);
    assert_int_equal(mm.query_cache_entries, 2);
    assert_true(mm.query_cache_bytes <= cfg.query_cache_bytes);
    run(&t, "{ x: __typename }", &a);   /* the oldest went */
    assert_int_equal(metrics(&t).query_cache_hits, 0);
    test_mes_close(&t);

    /* entries hold no document: one the document cache let go is parsed
       again, a new document, with answers of its own */
    mes_config_defaults(&cfg);
    cfg.doc_cache_entries = 1;
    test_mes_open(&t, &cfg);
    run(&t, "{ x: __typename }", &a);
    run(&t, "{ x: __typename }", &a);
    run(&t, "{ y: __typename }", &a);   /* x's document goes */
    run(&t, "{ x: __typename }", &a);
    mm = metrics(&t);
    assert_int_equal(mm.doc_cache_misses, 3);
    assert_int_equal(mm.query_cache_hits, 1);
    assert_int_equal(mm.query_cache_misses, 3);
    assert_string_equal(a.json, "{\"data\":{\"x\":\"Query\"}}");
    test_mes_close(&t);

    /* 0 entries: off */
    mes_config_defaults(&cfg);
    cfg.query_cache_entries = 0;
    test_mes_open(&t, &cfg);
    uint64_t r0 = reads(&t);
    run(&t, "{ stations { id } }", &a);
    run(&t, "{ stations { id } }", &a);
    assert_int_equal(reads(&t) - r0, 2);
    mm = metrics(&t);
    assert_int_equal(mm.query_cache_hits + mm.query_cache_misses + mm.query_cache_entries, 0);
    free(a.json);
    test_mes_close(&t);
}

/* ---- a hit's bytes outlive a flush inside its done ---- */

static void flush_in_done(answer *a, const mes_result *r) {
    if (a->checked++) return;   /* the outer call only */
    int done = 0;
    assert_int_equal(store_exec_sync(a->t->st, nothing_run, &done, NULL), STORE_OK);
    answer inner = {0};
    run(a->t, "{ stations { id } }", &inner);   /* sees the commit: empties the cache */
    assert_int_equal(metrics(a->t).query_cache_entries, 1);   /* the inner answer alone */
    assert_int_equal((int)r->len, (int)strlen(a->json));
    assert_memory_equal(r->json, a->json, r->len);   /* still readable (ASan would see a free) */
    free(inner.json);
}

static void pinned_while_done_runs(void **state) {
    (void)state;
    test_mes t;
    test_mes_open(&t, NULL);
    answer a = {0};
    run(&t, "{ stations { id } }", &a);
    a.t = &t;
    a.then = flush_in_done;
    run(&t, "{ stations { id } }", &a);
    assert_int_equal(metrics(&t).query_cache_hits, 1);
    assert_int_equal(metrics(&t).query_cache_flushes, 1);
    assert_int_equal(a.checked, 1);   /* the outer hit ran its check once */
    free(a.json);
    test_mes_close(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hit_without_executing),
        cmocka_unit_test(commits_invalidate),
        cmocka_unit_test(keys),
        cmocka_unit_test(errors_not_kept),
        cmocka_unit_test(bounds),
        cmocka_unit_test(pinned_while_done_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
