/*
 * test_mes_core.c: the service core over a real store and loop: the document
 * cache (hits, LRU, held documents outliving eviction, failures not cached),
 * each limit's LIMIT_EXCEEDED, operation kinds, queries, mutations answered
 * only after their commit, two mutations sharing one commit, a failing write
 * in the middle of a mutation, and the token cache (expiry, revocation).
 *
 * The mutation tests bind their own planners and resolvers (on processCreate,
 * a nullable field, and webhookUnsubscribe, a non-null one) so they test the
 * core's two passes, not the domain's writes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <semaphore.h>
#include "test_mes_util.h"

/* ---- documents ------------------------------------------------------------ */

static mes_doc *get(mes *m, const char *text, gql_buf *err, mes_doc_error *why) {
    err->len = 0;
    mes_doc *d = mes_doc_get(m, text, strlen(text), err, why);
    gql_buf_putc(err, 0);
    return d;
}

static void doc_cache(void **state) {
    (void)state;
    mes_config cfg;
    mes_config_defaults(&cfg);
    cfg.doc_cache_entries = 2;
    test_mes t;
    test_mes_open(&t, &cfg);
    gql_buf err;
    gql_buf_init(&err);
    mes_doc_error why;
    mes_doc *a = get(t.m, "{ __typename }", &err, &why);
    assert_non_null(a);
    assert_int_equal(why, MES_DOC_OK);
    mes_doc *a2 = get(t.m, "{ __typename }", &err, &why);
    assert_ptr_equal(a, a2);
    mes_metrics mm;
    mes_get_metrics(t.m, &mm);
    assert_int_equal(mm.doc_cache_hits, 1);
    assert_int_equal(mm.doc_cache_misses, 1);
    mes_doc_release(a2);
    /* b and c push a out (LRU of 2); the reference held keeps it usable */
    mes_doc *b = get(t.m, "{ b: __typename }", &err, &why);
    mes_doc *c = get(t.m, "{ c: __typename }", &err, &why);
    assert_int_equal(mes_doc_operation_kind(a, NULL, NULL), MES_OP_QUERY);
    mes_doc *a3 = get(t.m, "{ __typename }", &err, &why);
    assert_ptr_not_equal(a3, a);   /* parsed again: it had left the cache */
    mes_get_metrics(t.m, &mm);
    assert_int_equal(mm.doc_cache_misses, 4);
    /* b is the least recently used now: c stays */
    mes_doc *c2 = get(t.m, "{ c: __typename }", &err, &why);
    assert_ptr_equal(c2, c);
    mes_doc_release(a);
    mes_doc_release(a3);
    mes_doc_release(b);
    mes_doc_release(c);
    mes_doc_release(c2);

    /* failures: the engine's errors, not cached */
    assert_null(get(t.m, "{ __typename ", &err, &why));
    assert_int_equal(why, MES_DOC_SYNTAX);
    assert_string_equal(err.data, "{\"errors\":[{\"message\":\"Syntax Error: Expected Name, found <EOF>.\","
                                  "\"locations\":[{\"line\":1,\"column\":14}]}]}");
    assert_null(get(t.m, "{ nope }", &err, &why));
    assert_int_equal(why, MES_DOC_INVALID);
    assert_string_equal(err.data, "{\"errors\":[{\"message\":\"Cannot query field \\\"nope\\\" on type \\\"Query\\\".\","
                                  "\"locations\":[{\"line\":1,\"column\":3}]}]}");
    mes_get_metrics(t.m, &mm);
    uint64_t misses = mm.doc_cache_misses;
    assert_null(get(t.m, "{ nope }", &err, &why));
    mes_get_metrics(t.m, &mm);
    assert_int_equal(mm.doc_cache_misses, misses + 1);
    gql_buf_free(&err);
    test_mes_close(&t);
}

static void limits(void **state) {
    (void)state;
    mes_config cfg;
    mes_config_defaults(&cfg);
    cfg.max_depth = 3;
    cfg.max_aliases = 2;
    cfg.max_root_fields = 3;
    cfg.max_tokens = 40;
    test_mes t;
    test_mes_open(&t, &cfg);
    gql_buf err;
    gql_buf_init(&err);
    mes_doc_error why;
    static const struct { const char *text, *message; } cases[] = {
        /* depth 4: operations > subOperations > sub > id */
        {"{ operations { subOperations { sub { id } } } }",
         "The operation's selections nest 4 deep, more than the limit of 3."},
        /* the same depth reached through fragments */
        {"{ operations { ...A } } fragment A on Operation { subOperations { ...B } }"
         " fragment B on SubOperation { sub { id } }",
         "The operation's selections nest 4 deep, more than the limit of 3."},
        {"{ a: __typename b: __typename c: __typename }", "The document has 3 aliases, more than the limit of 2."},
        {"{ __typename ...F stations { id } } fragment F on Query { operators { id } operations { id } }",
         "The operation has 4 root fields, more than the limit of 3."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_null(get(t.m, cases[i].text, &err, &why));
        assert_int_equal(why, MES_DOC_INVALID);
        char want[512];
        snprintf(want, sizeof want, "\"message\":\"%s\"", cases[i].message);
        if (!strstr(err.data, want) || !strstr(err.data, "\"extensions\":{\"code\":\"LIMIT_EXCEEDED\"}"))
            fail_msg("case %zu: %s", i, err.data);
    }
    /* at the limits: fine */
    mes_doc *ok = get(t.m, "{ operations { subOperations { parentId } } a: __typename b: __typename }", &err, &why);
    if (!ok) fail_msg("%s", err.data);
    mes_doc_release(ok);
    /* the token limit is graphql-js's syntax error, with the code */
    char big[700] = "{";
    for (int i = 0; i < 50; i++) strcat(big, " __typename");
    strcat(big, " }");
    assert_null(get(t.m, big, &err, &why));
    assert_int_equal(why, MES_DOC_SYNTAX);
    assert_non_null(strstr(err.data, "Syntax Error: Document contains more that 40 tokens. Parsing aborted."));
    assert_non_null(strstr(err.data, "LIMIT_EXCEEDED"));
    gql_buf_free(&err);
    test_mes_close(&t);
}

static void operation_kinds(void **state) {
    (void)state;
    test_mes t;
    test_mes_open(&t, NULL);
    mes_doc *d = test_doc(t.m, "query Q { __typename } mutation M { __typename } subscription S { operationsStream { id } }");
    assert_int_equal(mes_doc_operation_kind(d, "Q", NULL), MES_OP_QUERY);
    assert_int_equal(mes_doc_operation_kind(d, "M", NULL), MES_OP_MUTATION);
    assert_int_equal(mes_doc_operation_kind(d, "S", NULL), MES_OP_SUBSCRIPTION);
    gql_buf err;
    gql_buf_init(&err);
    assert_int_equal(mes_doc_operation_kind(d, NULL, &err), -1);
    gql_buf_putc(&err, 0);
    assert_string_equal(err.data, "{\"errors\":[{\"message\":\"Must provide operation name if query contains multiple operations.\"}]}");
    err.len = 0;
    assert_int_equal(mes_doc_operation_kind(d, "X", &err), -1);
    gql_buf_putc(&err, 0);
    assert_string_equal(err.data, "{\"errors\":[{\"message\":\"Unknown operation named \\\"X\\\".\"}]}");
    gql_buf_free(&err);
    mes_doc_release(d);
    test_mes_close(&t);
}

/* ---- queries -------------------------------------------------------------- */

typedef struct answer {
    int calls;
    gql_exec_status status;
    char *json;
    bool (*check)(struct answer *a);   /* run inside done */
    bool checked;
    test_mes *t;
} answer;

static void on_done(void *user, const mes_result *r) {
    answer *a = user;
    a->calls++;
    a->status = r->status;
    free(a->json);
    a->json = strndup(r->json, r->len);
    if (a->check) a->checked = a->check(a);
}

static void run(test_mes *t, const char *text, const char *vars, answer *a) {
    gql_arena ar;
    gql_arena_init(&ar, 0);
    mes_doc *d = test_doc(t->m, text);
    mes_execute(t->m, &test_admin, d, NULL, vars ? test_json(&ar, vars) : NULL, on_done, a);
    mes_doc_release(d);     /* a mutation in flight holds its own */
    gql_arena_free(&ar);    /* and its own copy of the variables */
}

static void queries(void **state) {
    (void)state;
    test_mes t;
    test_mes_open(&t, NULL);
    answer a = {0};
    run(&t, "{ __typename }", NULL, &a);
    assert_int_equal(a.calls, 1);   /* before mes_execute returned */
    assert_int_equal(a.status, GQL_EXEC_OK);
    assert_string_equal(a.json, "{\"data\":{\"__typename\":\"Query\"}}");
    run(&t, "query($b: Boolean!) { __typename @include(if: $b) }", "{\"b\": \"x\"}", &a);
    assert_int_equal(a.calls, 2);
    assert_int_equal(a.status, GQL_EXEC_REQUEST_ERROR);
    assert_non_null(strstr(a.json, "Boolean cannot represent a non boolean value: \\\"x\\\""));
    free(a.json);
    test_mes_close(&t);
}

/* ---- mutations with the test's own planners -------------------------------- */

typedef struct test_write {
    store_attr_in attr;
    store_process_in p;
    bool fail;             /* write something, then fail */
} test_write;

static int run_test_write(store_tx *tx, void *arg, store_err *err) {
    test_write *w = arg;
    store_deploy_result r;
    if (store_tx_deploy_process(tx, &w->p, &r, err)) return err->code;
    if (w->fail) return store_set_err(err, STORE_EINPUT, "process %s refused on purpose", w->p.id);
    return STORE_OK;
}

static const char *str_arg(const gql_val *args, const char *name) {
    const gql_val *v = gql_val_get(args, name, strlen(name));
    return v && v->kind == GQL_V_STRING ? v->u.str.s : NULL;
}

/* processCreate(input: {process: {id, name}}): ID */
static void plan_process(mes_ctx *c, const gql_val *args, mes_write *w) {
    const gql_val *proc = gql_val_get(gql_val_get(args, "input", 5), "process", 7);
    test_write *tw = gql_arena_calloc(c->arena, sizeof *tw);
    tw->attr = (store_attr_in){"sn", "Serial", "PN"};
    tw->p = (store_process_in){.id = str_arg(proc, "id"), .name = str_arg(proc, "name"), .attrs = &tw->attr, .nattrs = 1};
    if (strcmp(tw->p.name, "refuse") == 0) return mes_write_fail(w, "BAD_INPUT", "refused by the planner");
    tw->fail = strcmp(tw->p.name, "fail") == 0;
    w->run = run_test_write;
    w->arg = tw;
}

static gql_rv resolve_process(const void *src, const gql_val *args, gql_resolve_info *info) {
    mes_ctx *c = info->context;
    mes_write *w = mes_ctx_write(c, info);
    if (!w || w->code || !w->ran) return mes_write_error(c, w);
    test_write *tw = w->arg;
    return gql_rv_str(tw->p.id, (uint32_t)strlen(tw->p.id));
}

/* webhookUnsubscribe(subscriptionID): WebhookSubscribeResponse!, as a
 * non-null write: the id names a process to deploy ("fail_…" fails). */
static void plan_nonnull(mes_ctx *c, const gql_val *args, mes_write *w) {
    test_write *tw = gql_arena_calloc(c->arena, sizeof *tw);
    tw->attr = (store_attr_in){"sn", "Serial", "PN"};
    const char *id = str_arg(args, "subscriptionID");
    tw->p = (store_process_in){.id = id, .name = "nn", .attrs = &tw->attr, .nattrs = 1};
    tw->fail = strncmp(id, "fail", 4) == 0;
    w->run = run_test_write;
    w->arg = tw;
}

static gql_rv resolve_nonnull(const void *src, const gql_val *args, gql_resolve_info *info) {
    mes_ctx *c = info->context;
    mes_write *w = mes_ctx_write(c, info);
    if (!w || w->code || !w->ran) return mes_write_error(c, w);
    test_write *tw = w->arg;
    gql_val *o = gql_val_object(c->arena, 2);
    gql_val_object_set(c->arena, o, "subscriptionID", 14, gql_val_string(c->arena, tw->p.id, strlen(tw->p.id)));
    gql_val_object_set(c->arena, o, "message", 7, gql_val_string(c->arena, "ok", 2));
    return gql_rv_json(o);
}

static void bind_test_mutations(test_mes *t) {
    gql_schema *s = mes_schema(t->m);
    assert_true(mes_bind_mutation(t->m, "processCreate", plan_process));
    assert_true(mes_bind_mutation(t->m, "webhookUnsubscribe", plan_nonnull));
    assert_false(mes_bind_mutation(t->m, "noSuchField", plan_nonnull));
    assert_true(gql_schema_bind(s, "Mutation", "processCreate", resolve_process, NULL));
    assert_true(gql_schema_bind(s, "Mutation", "webhookUnsubscribe", resolve_nonnull, NULL));
}

static bool exists(test_mes *t, const char *id) {
    gql_arena a;
    gql_arena_init(&a, 0);
    store_operation *op = NULL;
    store_err err;
    assert_int_equal(store_operation_get(t->st, id, &a, &op, &err), STORE_OK);
    gql_arena_free(&a);
    return op != NULL;
}

static bool check_p1_exists(answer *a) { return exists(a->t, "p_1"); }

static void mutation_after_commit(void **state) {
    (void)state;
    test_mes t;
    test_mes_open(&t, NULL);
    bind_test_mutations(&t);
    answer a = {.t = &t, .check = check_p1_exists};
    run(&t, "mutation($id: ID!) { processCreate(input: {process: {id: $id, name: \"P1\"}}) }", "{\"id\": \"p_1\"}",
        &a);
    assert_int_equal(a.calls, 0);   /* not before the commit */
    TEST_RUN_UNTIL(&t, a.calls == 1);
    assert_true(a.checked);         /* the row was readable when done ran */
    assert_string_equal(a.json, "{\"data\":{\"processCreate\":\"p_1\"}}");
    /* a mutation that plans nothing is answered at once */
    run(&t, "mutation { __typename }", NULL, &a);
    assert_int_equal(a.calls, 2);
    assert_string_equal(a.json, "{\"data\":{\"__typename\":\"Mutation\"}}");
    /* a planner's refusal: no write, answered at once */
    a.check = NULL;
    run(&t, "mutation { processCreate(input: {process: {id: \"p_2\", name: \"refuse\"}}) }", NULL, &a);
    assert_int_equal(a.calls, 3);
    assert_string_equal(a.json, "{\"errors\":[{\"message\":\"refused by the planner\",\"locations\":[{\"line\":1,"
                                "\"column\":12}],\"path\":[\"processCreate\"],\"extensions\":{\"code\":\"BAD_INPUT\"}}],"
                                "\"data\":{\"processCreate\":null}}");
    mes_metrics mm;
    mes_get_metrics(t.m, &mm);
    assert_int_equal(mm.mutations, 3);
    assert_int_equal(mm.mutation_errors, 1);
    free(a.json);
    test_mes_close(&t);
}

/* A job that holds the writer until the test lets it go. */
static int hold_writer(store_tx *tx, void *arg, store_err *err) {
    sem_wait(arg);
    return STORE_OK;
}
static void held_done(void *arg, const store_err *err) {}

static void mutations_share_a_commit(void **state) {
    (void)state;
    test_mes t;
    test_mes_open(&t, NULL);
    bind_test_mutations(&t);
    sem_t gate;
    sem_init(&gate, 0, 0);
    assert_int_equal(store_submit(t.st, hold_writer, held_done, &gate), STORE_OK);
    usleep(20000);   /* the writer takes the holding job alone */
    store_metrics before;
    store_get_metrics(t.st, &before);
    answer a = {0}, b = {0};
    run(&t, "mutation { processCreate(input: {process: {id: \"p_a\", name: \"A\"}}) }", NULL, &a);
    run(&t, "mutation { processCreate(input: {process: {id: \"p_b\", name: \"B\"}}) }", NULL, &b);
    sem_post(&gate);
    TEST_RUN_UNTIL(&t, a.calls == 1 && b.calls == 1);
    store_metrics after;
    store_get_metrics(t.st, &after);
    /* the holding job's commit, then one for both mutations */
    assert_int_equal(after.commits - before.commits, 2);
    assert_int_equal(after.batch_hist[1] - before.batch_hist[1], 1);   /* a batch of 2 */
    assert_string_equal(a.json, "{\"data\":{\"processCreate\":\"p_a\"}}");
    assert_string_equal(b.json, "{\"data\":{\"processCreate\":\"p_b\"}}");
    free(a.json);
    free(b.json);
    sem_destroy(&gate);
    test_mes_close(&t);
}

static void failing_write_in_the_middle(void **state) {
    (void)state;
    test_mes t;
    test_mes_open(&t, NULL);
    bind_test_mutations(&t);
    answer a = {0};
    /* nullable failure: the others still run */
    run(&t,
        "mutation { a: processCreate(input: {process: {id: \"p_a\", name: \"A\"}})"
        " b: processCreate(input: {process: {id: \"p_b\", name: \"fail\"}})"
        " c: processCreate(input: {process: {id: \"p_c\", name: \"C\"}}) }",
        NULL, &a);
    TEST_RUN_UNTIL(&t, a.calls == 1);
    assert_string_equal(a.json, "{\"errors\":[{\"message\":\"process p_b refused on purpose\",\"locations\":[{\"line\":1,"
                                "\"column\":71}],\"path\":[\"b\"],\"extensions\":{\"code\":\"BAD_INPUT\"}}],"
                                "\"data\":{\"a\":\"p_a\",\"b\":null,\"c\":\"p_c\"}}");
    assert_true(exists(&t, "p_a"));
    assert_false(exists(&t, "p_b"));   /* its own savepoint rolled back */
    assert_true(exists(&t, "p_c"));
    /* a non-null failure: graphql-js stops there, so the later write is skipped */
    run(&t,
        "mutation { x: processCreate(input: {process: {id: \"p_x\", name: \"X\"}})"
        " y: webhookUnsubscribe(subscriptionID: \"fail_y\") { message }"
        " z: processCreate(input: {process: {id: \"p_z\", name: \"Z\"}}) }",
        NULL, &a);
    TEST_RUN_UNTIL(&t, a.calls == 2);
    assert_non_null(strstr(a.json, "\"path\":[\"y\"]"));
    assert_non_null(strstr(a.json, "\"data\":null"));
    assert_true(exists(&t, "p_x"));       /* kept: it committed */
    assert_false(exists(&t, "fail_y"));
    assert_false(exists(&t, "p_z"));      /* skipped */
    /* its operation event is there and nothing of the failed one */
    assert_int_equal(test_sql_int(&t.db, "SELECT count(*) FROM operation_events"), 3);
    free(a.json);
    test_mes_close(&t);
}

/* A full write queue: every field that wanted to write fails with BUSY,
 * answered at once, and nothing is written. */
static int nothing(store_tx *tx, void *arg, store_err *err) { return STORE_OK; }
static void nothing_done(void *arg, const store_err *err) { (*(int *)arg)++; }

static void busy_queue(void **state) {
    (void)state;
    test_mes t;
    test_mes_open(&t, NULL);
    bind_test_mutations(&t);
    sem_t gate;
    sem_init(&gate, 0, 0);
    assert_int_equal(store_submit(t.st, hold_writer, held_done, &gate), STORE_OK);
    usleep(20000);
    int filled = 0, finished = 0;
    while (store_submit(t.st, nothing, nothing_done, &finished) == STORE_OK) filled++;
    answer a = {0};
    run(&t,
        "mutation { a: processCreate(input: {process: {id: \"p_a\", name: \"A\"}}) __typename"
        " b: processCreate(input: {process: {id: \"p_b\", name: \"B\"}}) }",
        NULL, &a);
    assert_int_equal(a.calls, 1);   /* at once */
    assert_string_equal(a.json,
                        "{\"errors\":[{\"message\":\"The server is busy: too many writes are waiting. Try again.\","
                        "\"locations\":[{\"line\":1,\"column\":12}],\"path\":[\"a\"],\"extensions\":{\"code\":\"BUSY\"}},"
                        "{\"message\":\"The server is busy: too many writes are waiting. Try again.\","
                        "\"locations\":[{\"line\":1,\"column\":82}],\"path\":[\"b\"],\"extensions\":{\"code\":\"BUSY\"}}],"
                        "\"data\":{\"a\":null,\"__typename\":\"Mutation\",\"b\":null}}");
    sem_post(&gate);
    TEST_RUN_UNTIL(&t, finished == filled);
    assert_false(exists(&t, "p_a"));
    free(a.json);
    sem_destroy(&gate);
    test_mes_close(&t);
}

/* A server that closes the service before the store: the mutation still
 * with the writer is answered when store_close drains it. */
static void close_with_mutation_in_flight(void **state) {
    (void)state;
    test_mes t;
    test_mes_open(&t, NULL);
    bind_test_mutations(&t);
    sem_t gate;
    sem_init(&gate, 0, 0);
    assert_int_equal(store_submit(t.st, hold_writer, held_done, &gate), STORE_OK);
    answer a = {0};
    run(&t, "mutation { processCreate(input: {process: {id: \"p_a\", name: \"A\"}}) }", NULL, &a);
    mes_close(t.m);
    assert_int_equal(a.calls, 0);
    sem_post(&gate);
    store_close(t.st);
    assert_int_equal(a.calls, 1);
    assert_string_equal(a.json, "{\"data\":{\"processCreate\":\"p_a\"}}");
    free(a.json);
    sem_destroy(&gate);
    uv_run(&t.loop, UV_RUN_DEFAULT);
    assert_int_equal(uv_loop_close(&t.loop), 0);
    test_db_remove(&t.db);
}

/* ---- the token cache ------------------------------------------------------ */

typedef struct token_job {
    const char *role, *station;
    char token[STORE_TOKEN_MAX];
    char id[STORE_TOKEN_ID_LEN + 1];
} token_job;

static int create_token(store_tx *tx, void *arg, store_err *err) {
    token_job *j = arg;
    return store_tx_token_create(tx, j->role, "t", j->station, j->token, j->id, err);
}
static int revoke_token(store_tx *tx, void *arg, store_err *err) {
    return store_tx_token_revoke(tx, ((token_job *)arg)->id, err);
}

static void auth_cache(void **state) {
    (void)state;
    mes_config cfg;
    mes_config_defaults(&cfg);
    cfg.token_cache_ms = 500;   /* room for a revocation under sanitizers */
    test_mes t;
    test_mes_open(&t, &cfg);
    token_job op = {.role = "operator", .station = "st_1"};
    store_err err;
    assert_int_equal(store_exec_sync(t.st, create_token, &op, &err), STORE_OK);
    mes_principal who;
    assert_true(mes_authenticate(t.m, op.token, strlen(op.token), &who));
    assert_int_equal(who.role, MES_ROLE_OPERATOR);
    assert_string_equal(who.token_id, op.id);
    assert_string_equal(who.station_id, "st_1");
    /* wrong secret, a prefix, too long, empty */
    char bad[STORE_TOKEN_MAX];
    snprintf(bad, sizeof bad, "%s", op.token);
    bad[strlen(bad) - 1] ^= 1;
    assert_false(mes_authenticate(t.m, bad, strlen(bad), &who));
    assert_false(mes_authenticate(t.m, op.token, strlen(op.token) - 1, &who));
    char longer[STORE_TOKEN_MAX + 8];
    snprintf(longer, sizeof longer, "%sxx", op.token);
    assert_false(mes_authenticate(t.m, longer, strlen(longer), &who));
    assert_false(mes_authenticate(t.m, "", 0, &who));
    /* revoked: trusted from the cache until it expires, then refused */
    assert_int_equal(store_exec_sync(t.st, revoke_token, &op, &err), STORE_OK);
    assert_true(mes_authenticate(t.m, op.token, strlen(op.token), &who));
    usleep(510000);
    assert_false(mes_authenticate(t.m, op.token, strlen(op.token), &who));
    /* roles by name */
    mes_role r;
    assert_true(mes_role_parse("erp", &r));
    assert_int_equal(r, MES_ROLE_ERP);
    assert_false(mes_role_parse("root", &r));
    assert_string_equal(mes_role_name(MES_ROLE_ADMIN), "admin");
    assert_string_equal(mes_stream_name(STORE_STREAM_SUB_OPERATIONS), "sub_operations");
    test_mes_close(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(doc_cache),
        cmocka_unit_test(limits),
        cmocka_unit_test(operation_kinds),
        cmocka_unit_test(queries),
        cmocka_unit_test(mutation_after_commit),
        cmocka_unit_test(mutations_share_a_commit),
        cmocka_unit_test(failing_write_in_the_middle),
        cmocka_unit_test(busy_queue),
        cmocka_unit_test(close_with_mutation_in_flight),
        cmocka_unit_test(auth_cache),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
