/*
 * test_mes_util.h: what the service core's cmocka programs share: a service
 * over a real SQLite store in a temporary directory with a real libuv loop,
 * running the loop until a condition holds, deploying processes through the
 * writer, and a subscription sink that records what it is given.
 */
#ifndef MESD_TEST_MES_UTIL_H
#define MESD_TEST_MES_UTIL_H
#include "test_store_util.h"
#include "mes_internal.h"

typedef struct test_mes {
    test_db db;
    uv_loop_t loop;
    store *st;
    mes *m;
    int deploys_done;
} test_mes;

static inline void test_mes_open(test_mes *t, const mes_config *cfg) {
    memset(t, 0, sizeof *t);
    test_db_make(&t->db);
    uv_loop_init(&t->loop);
    t->st = test_open(&t->db, &t->loop);
    char err[256] = "";
    t->m = mes_open(&t->loop, t->st, cfg, err, sizeof err);
    if (!t->m) fail_msg("mes_open: %s", err);
}

static inline void test_mes_close(test_mes *t) {
    store_close(t->st);   /* drains the writer first, as mes_close asks */
    mes_close(t->m);
    uv_run(&t->loop, UV_RUN_DEFAULT);   /* closes the handles */
    assert_int_equal(uv_loop_close(&t->loop), 0);
    test_db_remove(&t->db);
}

/* A service as test_mes_open makes, on a database first prepared by
 * `prepare` through a store without a loop (as `serve --demo` loads its
 * factory before serving). Freed by test_mes_close, then free(). */
static inline test_mes *test_mes_new_prepared(void (*prepare)(store *st)) {
    test_mes *t = calloc(1, sizeof *t);
    test_db_make(&t->db);
    store *st = test_open(&t->db, NULL);
    prepare(st);
    store_close(st);
    assert_int_equal(uv_loop_init(&t->loop), 0);
    t->st = test_open(&t->db, &t->loop);
    char err[256] = "";
    if (!(t->m = mes_open(&t->loop, t->st, NULL, err, sizeof err))) fail_msg("mes_open: %s", err);
    return t;
}

/* cmocka's teardown of a test whose state is a test_mes_new_prepared service. */
static inline int test_mes_teardown(void **state) {
    test_mes_close(*state);
    free(*state);
    return 0;
}

/* Runs loop turns until cond holds (fails after ~5 s). A while loop: cond
 * changes through callbacks, which a for loop's analysis cannot see. */
#define TEST_RUN_UNTIL(t, cond)                                                     \
    do {                                                                            \
        int turns_ = 0;                                                             \
        while (!(cond)) {                                                           \
            if (++turns_ > 50000) fail_msg("timed out waiting for %s", #cond);      \
            uv_run(&(t)->loop, UV_RUN_NOWAIT);                                      \
            if (!(cond)) usleep(100);                                               \
        }                                                                           \
    } while (0)

/* ---- deploying a process through the writer (as a mutation's job would) ---- */
typedef struct test_deploy {
    test_mes *t;
    char id[40];
    store_attr_in attr;
    store_process_in p;
} test_deploy;

static inline int test_deploy_run(store_tx *tx, void *arg, store_err *err) {
    test_deploy *d = arg;
    store_deploy_result r;
    return store_tx_deploy_process(tx, &d->p, &r, err);
}

static inline void test_deploy_done(void *arg, const store_err *err) {
    test_deploy *d = arg;
    assert_int_equal(err->code, STORE_OK);
    d->t->deploys_done++;
    free(d);
}

/* Queues a deploy of process `id` named `name` (a new name makes a new event). */
static inline void test_deploy_submit(test_mes *t, const char *id, const char *name) {
    test_deploy *d = calloc(1, sizeof *d);
    d->t = t;
    snprintf(d->id, sizeof d->id, "%s", id);
    d->attr = (store_attr_in){"sn", "Serial", "PN"};
    d->p = (store_process_in){d->id, name, NULL, NULL, NULL, false, &d->attr, 1, NULL, 0};
    assert_int_equal(store_submit(t->st, test_deploy_run, test_deploy_done, d), STORE_OK);
}

/* Deploys and waits for the commit (and so for the listener). */
static inline void test_deploy_wait(test_mes *t, const char *id, const char *name) {
    int want = t->deploys_done + 1;
    test_deploy_submit(t, id, name);
    TEST_RUN_UNTIL(t, t->deploys_done >= want);
}

/* ---- documents ---- */
static inline mes_doc *test_doc(mes *m, const char *text) {
    gql_buf err;
    gql_buf_init(&err);
    mes_doc_error why;
    mes_doc *d = mes_doc_get(m, text, strlen(text), &err, &why);
    if (!d) fail_msg("document refused: %.*s", (int)err.len, err.data);
    gql_buf_free(&err);
    return d;
}

static inline const gql_val *test_json(gql_arena *a, const char *text) {
    const char *err = NULL;
    const gql_val *v = gql_json_parse(a, text, strlen(text), 0, &err);
    if (!v) fail_msg("bad JSON %s: %s", text, err);
    return v;
}

static const mes_principal test_admin = {.role = MES_ROLE_ADMIN, .token_id = "test"};

/* ---- running a document ---- */
typedef struct test_api_answer { bool done; char *json; } test_api_answer;
static inline void test_api_done(void *user, const mes_result *r) {
    test_api_answer *a = user;
    a->json = strndup(r->json, r->len);
    a->done = true;
}

/* Runs a document as who; the response (kept until the test's end in a
 * small ring, so tests can compare without freeing). */
static inline const char *test_api(test_mes *t, const mes_principal *who, const char *text, const char *vars) {
    static char *ring[64];
    static unsigned next;
    mes_doc *d = test_doc(t->m, text);
    gql_arena a;
    gql_arena_init(&a, 0);
    test_api_answer ans = {0};
    mes_execute(t->m, who, d, NULL, vars ? test_json(&a, vars) : NULL, test_api_done, &ans);
    TEST_RUN_UNTIL(t, ans.done);
    mes_doc_release(d);
    gql_arena_free(&a);
    free(ring[next % 64]);
    ring[next++ % 64] = ans.json;
    return ans.json;
}

/* ---- a recording sink ---- */
#define TEST_SINK_MAX 4096
typedef struct test_sink {
    char *msgs[TEST_SINK_MAX];
    int count;
    int ends;
    char end_reason[128];
    size_t pending;              /* what pending() reports */
    void (*on_next)(struct test_sink *ts);   /* called after recording */
    mes_sub *sub;
    void *ctx;
} test_sink;

static inline void test_sink_next(void *user, const char *json, size_t len) {
    test_sink *s = user;
    assert_true(s->count < TEST_SINK_MAX);
    s->msgs[s->count++] = strndup(json, len);
    if (s->on_next) s->on_next(s);
}
static inline void test_sink_end(void *user, const char *reason) {
    test_sink *s = user;
    s->ends++;
    snprintf(s->end_reason, sizeof s->end_reason, "%s", reason ? reason : "(null)");
    s->sub = NULL;
}
static inline size_t test_sink_pending(void *user) { return ((test_sink *)user)->pending; }
static const mes_sink test_sink_fns = {test_sink_next, test_sink_end, test_sink_pending};

static inline void test_sink_clear(test_sink *s) {
    for (int i = 0; i < s->count; i++) free(s->msgs[i]);
    s->count = 0;
}

static inline mes_sub *test_subscribe(test_mes *t, test_sink *s, const char *text, const char *vars) {
    gql_arena a;
    gql_arena_init(&a, 0);
    mes_doc *d = test_doc(t->m, text);
    gql_buf err;
    gql_buf_init(&err);
    s->sub = mes_subscribe(t->m, &test_admin, d, NULL, vars ? test_json(&a, vars) : NULL, &test_sink_fns, s, &err);
    if (!s->sub) fail_msg("subscribe refused: %.*s", (int)err.len, err.data);
    mes_doc_release(d);   /* the subscription holds its own reference */
    gql_buf_free(&err);
    gql_arena_free(&a);
    return s->sub;
}

#endif
