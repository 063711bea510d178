/* test_store.c: the store against real SQLite files: migrations, tokens,
 * deploys and their events, filters, one statement per level of children. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "test_store_util.h"
#include "store_internal.h"

/* ---- migrations ---- */

static void migrates_from_empty(void **state) {
    (void)state;
    test_db t;
    test_db_make(&t);
    store *s = test_open(&t, NULL);
    assert_int_equal(store_schema_version(s), store_schema_version_known());
    store_close(s);
    assert_int_equal(test_sql_int(&t, "SELECT max(version) FROM schema_version"), store_schema_version_known());
    assert_int_equal(test_sql_int(&t, "SELECT count(*) FROM sqlite_schema WHERE name = 'operation_events'"), 1);
    assert_int_equal(test_sql_int(&t, "SELECT count(*) FROM pragma_journal_mode"), 1);
    test_db_remove(&t);
}

static void reopen_is_idempotent(void **state) {
    (void)state;
    test_db t;
    test_db_make(&t);
    store_close(test_open(&t, NULL));
    store *s = test_open(&t, NULL);
    assert_int_equal(store_schema_version(s), store_schema_version_known());
    store_close(s);
    assert_int_equal(test_sql_int(&t, "SELECT count(*) FROM schema_version"), (long long)store_migrations_count);
    test_db_remove(&t);
}

static void refuses_a_newer_database(void **state) {
    (void)state;
    test_db t;
    test_db_make(&t);
    store_close(test_open(&t, NULL));
    sqlite3 *db;
    assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "INSERT INTO schema_version VALUES (999, 'future', 0)", 0, 0, 0), SQLITE_OK);
    sqlite3_close(db);
    store_err err = {0};
    assert_null(store_open(t.url, NULL, &err));
    assert_int_equal(err.code, STORE_EVERSION);
    char want[200];
    snprintf(want, sizeof want, "database schema version 999 is newer than this mesd (%d); upgrade mesd",
             store_schema_version_known());
    assert_string_equal(err.message, want);
    test_db_remove(&t);
}

static void migrations_match_their_sql_files(void **state) {
    (void)state;
    const char *self = __FILE__, *slash = strrchr(self, '/');
    for (size_t i = 0; i < store_migrations_count; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%.*s/../../src/store/migrations/%s.sql", (int)(slash - self), self,
                 store_migrations[i].name);
        FILE *f = fopen(path, "rb");
        if (!f) fail_msg("cannot open %s", path);
        static char buf[1 << 20];
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = 0;
        assert_int_equal(store_migrations[i].version, (int)(i + 1));
        assert_string_equal(store_migrations[i].sql, buf);
    }
}

static void bad_urls_are_errors(void **state) {
    (void)state;
    store_err err = {0};
    /* a PostgreSQL URL libpq cannot read, for the command line and for the
     * server (with a loop); neither connects */
    assert_null(store_open("postgres://localhost/x?no_such_option=1", NULL, &err));
    assert_int_equal(err.code, STORE_EURL);
    uv_loop_t loop;
    uv_loop_init(&loop);
    assert_null(store_open("postgres://localhost/x?no_such_option=1", &loop, &err));
    assert_int_equal(err.code, STORE_EURL);
    uv_loop_close(&loop);
    assert_null(store_open("mysql://x", NULL, &err));
    assert_int_equal(err.code, STORE_EURL);
    assert_null(store_open("sqlite:", NULL, &err));
    assert_int_equal(err.code, STORE_EURL);
    assert_null(store_open("sqlite:/nonexistent-dir/x/y.db", NULL, &err));
    assert_int_equal(err.code, STORE_EIO);
}

/* ---- tokens ---- */
typedef struct token_job {
    const char *role, *name, *station, *revoke;
    char token[STORE_TOKEN_MAX], id[STORE_TOKEN_ID_LEN + 1];
} token_job;
static int run_token(store_tx *tx, void *arg, store_err *err) {
    token_job *j = arg;
    if (j->revoke) return store_tx_token_revoke(tx, j->revoke, err);
    return store_tx_token_create(tx, j->role, j->name, j->station, j->token, j->id, err);
}

static void tokens(void **state) {
    (void)state;
    test_db t;
    test_db_make(&t);
    store *s = test_open(&t, NULL);
    store_err err = {0};
    bool empty = false;
    assert_int_equal(store_tokens_empty(s, &empty, &err), 0);
    assert_true(empty);
    token_job a = {.role = "admin", .name = "first"}, o = {.role = "operator", .station = "st_1"};
    assert_int_equal(store_exec_sync(s, run_token, &a, &err), 0);
    assert_int_equal(store_exec_sync(s, run_token, &o, &err), 0);
    assert_int_equal(strlen(a.token), STORE_TOKEN_MAX - 1);
    assert_memory_equal(a.token, "mesd_", 5);
    assert_memory_equal(a.token + 5, a.id, STORE_TOKEN_ID_LEN);
    for (const char *p = a.token + 5; *p; p++) assert_true(*p == '_' || (*p >= '0' && *p <= '9') || ((*p | 32) >= 'a' && (*p | 32) <= 'z'));
    assert_string_not_equal(a.token, o.token);
    token_job bad = {.role = "root"};
    assert_int_equal(store_exec_sync(s, run_token, &bad, &err), STORE_EINPUT);

    gql_arena ar;
    gql_arena_init(&ar, 0);
    store_token tok;
    assert_true(store_token_verify(s, a.token, &ar, &tok));
    assert_string_equal(tok.role, "admin");
    assert_string_equal(tok.name, "first");
    assert_true(store_token_verify(s, o.token, &ar, &tok));
    assert_string_equal(tok.station_id, "st_1");
    char wrong[STORE_TOKEN_MAX];
    strcpy(wrong, a.token);
    wrong[STORE_TOKEN_MAX - 2] = wrong[STORE_TOKEN_MAX - 2] == 'A' ? 'B' : 'A';
    assert_false(store_token_verify(s, wrong, &ar, &tok));
    assert_false(store_token_verify(s, "mesd_x_y", &ar, &tok));
    assert_false(store_token_verify(s, "", &ar, &tok));
    wrong[STORE_TOKEN_MAX - 2] = 0;
    assert_false(store_token_verify(s, wrong, &ar, &tok));

    store_token *list;
    size_t n;
    assert_int_equal(store_tokens_list(s, &ar, &list, &n, &err), 0);
    assert_int_equal(n, 2);
    token_job rv = {.revoke = a.id};
    assert_int_equal(store_exec_sync(s, run_token, &rv, &err), 0);
    assert_false(store_token_verify(s, a.token, &ar, &tok));
    assert_true(store_token_verify(s, o.token, &ar, &tok));
    token_job unknown = {.revoke = "nope"};
    assert_int_equal(store_exec_sync(s, run_token, &unknown, &err), STORE_ENOTFOUND);
    assert_int_equal(store_tokens_list(s, &ar, &list, &n, &err), 0);
    int revoked = 0;
    for (size_t i = 0; i < n; i++) revoked += list[i].revoked_at != 0;
    assert_int_equal(revoked, 1);
    assert_int_equal(store_tokens_empty(s, &empty, &err), 0);
    assert_false(empty);
    /* the secret is not in the database */
    assert_int_equal(test_sql_int(&t, "SELECT count(*) FROM tokens WHERE length(secret_hash) = 32"), 2);
    gql_arena_free(&ar);
    store_close(s);
    test_db_remove(&t);
}

/* ---- deploys and events ---- */

static int64_t head(store *s, store_stream st) {
    int64_t h[STORE_STREAM_COUNT];
    store_err err;
    assert_int_equal(store_stream_heads(s, h, &err), 0);
    return h[st];
}

/* Every event seq 1..head, in order, no gap. */
static void assert_gap_free(store *s, store_stream stream) {
    gql_arena a;
    gql_arena_init(&a, 0);
    store_event *ev;
    size_t n;
    store_err err;
    assert_int_equal(store_stream_read(s, stream, 0, -1, NULL, &a, &ev, &n, &err), 0);
    assert_int_equal((int64_t)n, head(s, stream));
    for (size_t i = 0; i < n; i++) assert_int_equal(ev[i].seq, (int64_t)i + 1);
    gql_arena_free(&a);
}

static void deploys(void **state) {
    (void)state;
    test_db t;
    test_db_make(&t);
    store *s = test_open(&t, NULL);
    store_err err = {0};
    store_deploy_result r;
    TEST_PROCESS(p1, "p_one", "Press", "PN-X");
    TEST_PROCESS(p2, "p_two", "Weld", "PN-Y");
    assert_int_equal(deploy_process(s, &p1, &r, &err), 0);
    assert_true(r.created && r.changed);
    assert_int_equal(deploy_process(s, &p2, &r, &err), 0);
    assert_int_equal(head(s, STORE_STREAM_OPERATIONS), 2);
    /* the same again: nothing */
    assert_int_equal(deploy_process(s, &p1, &r, &err), 0);
    assert_false(r.changed);
    assert_int_equal(head(s, STORE_STREAM_OPERATIONS), 2);
    /* a change deep down (an action's text) is a change */
    p1_actions[0].description = "do it well";
    assert_int_equal(deploy_process(s, &p1, &r, &err), 0);
    assert_true(r.changed && !r.created);
    assert_int_equal(head(s, STORE_STREAM_OPERATIONS), 3);

    store_component_in comps[] = {{"p_one", NULL, false}, {"p_two", "g1", true}};
    store_product_in prod = {"prod_1", "Bike", "PROD-101", "A", STORE_KIND_PRODUCT, comps, 2};
    assert_int_equal(deploy_product(s, &prod, &r, &err), 0);
    assert_int_equal(r.events, 3);
    assert_int_equal(head(s, STORE_STREAM_OPERATIONS), 4);
    assert_int_equal(head(s, STORE_STREAM_SUB_OPERATIONS), 2);
    assert_int_equal(deploy_product(s, &prod, &r, &err), 0);
    assert_false(r.changed);
    assert_int_equal(head(s, STORE_STREAM_SUB_OPERATIONS), 2);
    /* remove a link: streamed once, archived */
    prod.ncomponents = 1;
    assert_int_equal(deploy_product(s, &prod, &r, &err), 0);
    assert_int_equal(head(s, STORE_STREAM_SUB_OPERATIONS), 3);
    assert_int_equal(test_sql_int(&t, "SELECT count(*) FROM sub_operations WHERE archived_at IS NOT NULL"), 1);
    assert_int_equal(deploy_product(s, &prod, &r, &err), 0);
    assert_false(r.changed);
    assert_int_equal(head(s, STORE_STREAM_SUB_OPERATIONS), 3);
    gql_arena a;
    gql_arena_init(&a, 0);
    store_event *ev;
    size_t n;
    assert_int_equal(store_stream_read(s, STORE_STREAM_SUB_OPERATIONS, 2, -1, NULL, &a, &ev, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(ev[0].sub_operation->sub_id, "p_two");
    assert_true(ev[0].sub_operation->archived_at != 0);
    assert_int_equal(ev[0].sub_operation->seq, 3);
    /* re-adding it un-archives it */
    prod.ncomponents = 2;
    assert_int_equal(deploy_product(s, &prod, &r, &err), 0);
    assert_int_equal(head(s, STORE_STREAM_SUB_OPERATIONS), 4);
    assert_int_equal(test_sql_int(&t, "SELECT count(*) FROM sub_operations WHERE archived_at IS NOT NULL"), 0);

    /* refusals change nothing */
    int64_t ops = head(s, STORE_STREAM_OPERATIONS), subs = head(s, STORE_STREAM_SUB_OPERATIONS);
    store_component_in self[] = {{"prod_1", NULL, false}};
    store_product_in selfp = {"prod_1", "Bike", NULL, NULL, STORE_KIND_PRODUCT, self, 1};
    assert_int_equal(deploy_product(s, &selfp, &r, &err), STORE_EINPUT);
    store_component_in via[] = {{"prod_1", NULL, false}};
    store_product_in sub = {"sub_1", "Frame", NULL, NULL, STORE_KIND_SUBASSEMBLY, via, 1};
    assert_int_equal(deploy_product(s, &sub, &r, &err), 0);   /* sub_1 contains prod_1 */
    ops++;
    subs++;
    store_component_in loop[] = {{"p_one", NULL, false}, {"sub_1", NULL, false}};
    store_product_in cyc = {"prod_1", "Bike", NULL, NULL, STORE_KIND_PRODUCT, loop, 2};
    assert_int_equal(deploy_product(s, &cyc, &r, &err), STORE_EINPUT);
    assert_non_null(strstr(err.message, "contain itself"));
    store_component_in missing[] = {{"p_nope", NULL, false}};
    store_product_in miss = {"prod_2", "X", NULL, NULL, STORE_KIND_PRODUCT, missing, 1};
    assert_int_equal(deploy_product(s, &miss, &r, &err), STORE_ENOTFOUND);
    store_component_in twice[] = {{"p_one", NULL, false}, {"p_one", NULL, false}};
    store_product_in dup = {"prod_2", "X", NULL, NULL, STORE_KIND_PRODUCT, twice, 2};
    assert_int_equal(deploy_product(s, &dup, &r, &err), STORE_EINPUT);
    store_product_in asproc = {"p_one", "X", NULL, NULL, STORE_KIND_PRODUCT, NULL, 0};
    assert_int_equal(deploy_product(s, &asproc, &r, &err), STORE_EINPUT);
    TEST_PROCESS(pp, "prod_1", "Not a process", "Z");
    assert_int_equal(deploy_process(s, &pp, &r, &err), STORE_EINPUT);
    assert_int_equal(head(s, STORE_STREAM_OPERATIONS), ops);
    assert_int_equal(head(s, STORE_STREAM_SUB_OPERATIONS), subs);
    assert_int_equal(test_sql_int(&t, "SELECT count(*) FROM operations"), 4);

    /* stations */
    const char *procs[] = {"p_one", "p_two"};
    store_station_in st = {"st_1", "Bench 1", procs, 2};
    assert_int_equal(deploy_station(s, &st, &r, &err), 0);
    assert_true(r.created);
    assert_int_equal(deploy_station(s, &st, &r, &err), 0);
    assert_false(r.changed);
    const char *bad[] = {"prod_1"};
    store_station_in st2 = {"st_2", "Bench 2", bad, 1};
    assert_int_equal(deploy_station(s, &st2, &r, &err), STORE_EINPUT);
    const char *none[] = {"p_zzz"};
    st2.process_ids = none;
    assert_int_equal(deploy_station(s, &st2, &r, &err), STORE_ENOTFOUND);

    assert_gap_free(s, STORE_STREAM_OPERATIONS);
    assert_gap_free(s, STORE_STREAM_SUB_OPERATIONS);
    /* an operation's seq is the seq of its latest event */
    store_operation *op;
    assert_int_equal(store_operation_get(s, "prod_1", &a, &op, &err), 0);
    assert_non_null(op);
    assert_int_equal(op->seq, 6);   /* created, a link removed, re-added: its component list is part of it */
    assert_int_equal(op->kind, STORE_KIND_PRODUCT);
    assert_string_equal(op->external_id, "PROD-101");
    assert_int_equal(store_operation_get(s, "nope", &a, &op, &err), 0);
    assert_null(op);
    gql_arena_free(&a);
    store_close(s);
    test_db_remove(&t);
}

static int append_then_fail(store_tx *tx, void *arg, store_err *err) {
    int64_t seq;
    if (store_tx_append_event(tx, STORE_STREAM_NOTES, "n1", "{\"text\":\"x\"}", &seq, err)) return err->code;
    return arg ? store_set_err(err, STORE_EUSER, "no") : STORE_OK;
}

static void rolled_back_events_leave_no_gap(void **state) {
    (void)state;
    test_db t;
    test_db_make(&t);
    store *s = test_open(&t, NULL);
    store_err err;
    assert_int_equal(store_exec_sync(s, append_then_fail, NULL, &err), 0);
    assert_int_equal(store_exec_sync(s, append_then_fail, (void *)1, &err), STORE_EUSER);
    assert_int_equal(store_exec_sync(s, append_then_fail, NULL, &err), 0);
    assert_int_equal(head(s, STORE_STREAM_NOTES), 2);
    assert_gap_free(s, STORE_STREAM_NOTES);
    gql_arena a;
    gql_arena_init(&a, 0);
    store_event *ev;
    size_t n;
    assert_int_equal(store_stream_read(s, STORE_STREAM_NOTES, 1, 10, NULL, &a, &ev, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(ev[0].payload, "{\"text\":\"x\"}");
    assert_string_equal(ev[0].ref, "n1");
    gql_arena_free(&a);
    store_close(s);
    test_db_remove(&t);
}

/* ---- filters ---- */

/* The field table, as the MES layer sees it through store_filter_field_info. */
static void filter_field_info(void **state) {
    (void)state;
    store_filter_field f;
    assert_true(store_filter_field_info(STORE_E_OPERATION, "id", &f));
    assert_false(f.object);
    assert_true(f.id);
    assert_int_equal(f.kind, STORE_V_STRING);
    assert_true(store_filter_field_info(STORE_E_OPERATION, "updatedAt", &f));
    assert_int_equal(f.kind, STORE_V_TIME);
    assert_false(f.id);
    assert_true(store_filter_field_info(STORE_E_OPERATION, "seq", &f));
    assert_int_equal(f.kind, STORE_V_INT);
    assert_true(store_filter_field_info(STORE_E_OPERATION, "producesSerial", &f));
    assert_int_equal(f.kind, STORE_V_BOOL);
    assert_true(store_filter_field_info(STORE_E_SUB_OPERATION, "sub", &f));
    assert_true(f.object);
    assert_int_equal(f.nested, STORE_E_OPERATION);
    /* order and operator ids are integers in the table, strings in the API: not lower-cased text ids */
    assert_true(store_filter_field_info(STORE_E_OPERATION_ORDER, "id", &f));
    assert_false(f.id);
    assert_int_equal(f.kind, STORE_V_STRING);
    assert_false(store_filter_field_info(STORE_E_STATION, "processes", &f));
    assert_false(store_filter_field_info(STORE_E_COUNT, "id", &f));
    assert_false(store_filter_field_info(STORE_E_OPERATION, NULL, &f));
}

static store *filter_fixture(test_db *t) {
    test_db_make(t);
    store *s = test_open(t, NULL);
    store_err err;
    TEST_PROCESS(p1, "p_one", "Press", "PN-X");
    TEST_PROCESS(p2, "p_two", "Weld", "PN-Y");
    TEST_PROCESS(p3, "p_three", "Paint", "PN-Z");
    p3.part_number = NULL;
    p2.produces_serial = true;
    assert_int_equal(deploy_process(s, &p1, NULL, &err), 0);
    assert_int_equal(deploy_process(s, &p2, NULL, &err), 0);
    assert_int_equal(deploy_process(s, &p3, NULL, &err), 0);
    store_component_in c1[] = {{"p_one", NULL, false}, {"p_two", "g", true}};
    store_product_in prod = {"prod_1", "Bike", "PROD-101", "A", STORE_KIND_PRODUCT, c1, 2};
    assert_int_equal(deploy_product(s, &prod, NULL, &err), 0);
    store_component_in c2[] = {{"p_three", NULL, false}, {"prod_1", NULL, false}};
    store_product_in sub = {"sub_1", "Frame", "SUB-1", "B", STORE_KIND_SUBASSEMBLY, c2, 2};
    assert_int_equal(deploy_product(s, &sub, NULL, &err), 0);
    return s;
}

#define STR(x) {STORE_V_STRING, x, 0}
#define CMP(name, f, o, ...)                                                                                     \
    store_value name##_v[] = {__VA_ARGS__};                                                                    \
    store_filter name = {STORE_F_CMP, f, o, name##_v, sizeof name##_v / sizeof name##_v[0], NULL, 0}

/* ids of the operations matching f, comma-separated */
static const char *op_ids(store *s, const store_filter *f, gql_arena *a) {
    store_operation *ops;
    size_t n;
    store_err err;
    if (store_operations_list(s, f, -1, 0, a, &ops, &n, &err)) fail_msg("list: %s", err.message);
    char *out = gql_arena_calloc(a, 512);
    for (size_t i = 0; i < n; i++) {
        if (i) strcat(out, ",");
        strcat(out, ops[i].id);
    }
    return out;
}

static void filters(void **state) {
    (void)state;
    test_db t;
    store *s = filter_fixture(&t);
    gql_arena a;
    gql_arena_init(&a, 0);
    assert_string_equal(op_ids(s, NULL, &a), "p_one,p_three,p_two,prod_1,sub_1");
    CMP(eq, "id", STORE_EQ, STR("prod_1"));
    assert_string_equal(op_ids(s, &eq, &a), "prod_1");
    CMP(kind_in, "kind", STORE_IN, STR("PRODUCT"), STR("SUBASSEMBLY"));
    assert_string_equal(op_ids(s, &kind_in, &a), "prod_1,sub_1");
    CMP(kind_nin, "kind", STORE_NIN, STR("PRODUCT"), STR("SUBASSEMBLY"));
    assert_string_equal(op_ids(s, &kind_nin, &a), "p_one,p_three,p_two");
    CMP(none, "kind", STORE_IN);
    assert_string_equal(op_ids(s, &none, &a), "");
    CMP(like, "externalId", STORE_LIKE, STR("PN-%"));
    assert_string_equal(op_ids(s, &like, &a), "p_one,p_two");
    CMP(like_case, "externalId", STORE_LIKE, STR("pn-%"));
    assert_string_equal(op_ids(s, &like_case, &a), "");   /* case-sensitive, as on PostgreSQL */
    CMP(isnull, "externalId", STORE_IS_NULL, {STORE_V_BOOL, NULL, 1});
    assert_string_equal(op_ids(s, &isnull, &a), "p_three");
    CMP(serial, "producesSerial", STORE_EQ, {STORE_V_BOOL, NULL, 1});
    /* api.md: a product's producesSerial is its last process's (p_two ends prod_1, and sub_1 through it) */
    assert_string_equal(op_ids(s, &serial, &a), "p_two,prod_1,sub_1");
    CMP(seq_gt, "seq", STORE_GT, {STORE_V_INT, NULL, 3});
    assert_string_equal(op_ids(s, &seq_gt, &a), "prod_1,sub_1");
    CMP(neq, "name", STORE_NEQ, STR("Bike"));
    assert_string_equal(op_ids(s, &neq, &a), "p_one,p_three,p_two,sub_1");

    /* _and / _or / _not */
    store_filter *both[] = {&kind_nin, &seq_gt};
    store_filter and = {STORE_F_AND, NULL, 0, NULL, 0, both, 2};
    assert_string_equal(op_ids(s, &and, &a), "");
    store_filter or = {STORE_F_OR, NULL, 0, NULL, 0, both, 2};
    assert_string_equal(op_ids(s, &or, &a), "p_one,p_three,p_two,prod_1,sub_1");
    store_filter *one[] = {&kind_in};
    store_filter not = {STORE_F_NOT, NULL, 0, NULL, 0, one, 1};
    assert_string_equal(op_ids(s, &not, &a), "p_one,p_three,p_two");
    store_filter *mix[] = {&not, &like};
    store_filter and2 = {STORE_F_AND, NULL, 0, NULL, 0, mix, 2};
    assert_string_equal(op_ids(s, &and2, &a), "p_one,p_two");
    store_filter empty_and = {STORE_F_AND, NULL, 0, NULL, 0, NULL, 0};
    assert_string_equal(op_ids(s, &empty_and, &a), "p_one,p_three,p_two,prod_1,sub_1");

    /* nested objects: sub-operations whose parent's externalId is PROD-101 */
    CMP(pext, "externalId", STORE_EQ, STR("PROD-101"));
    store_filter *pk[] = {&pext};
    store_filter parent = {STORE_F_OBJECT, "parent", 0, NULL, 0, pk, 1};
    store_sub_operation *subs;
    size_t n;
    store_err err;
    assert_int_equal(store_sub_operations_list(s, &parent, -1, 0, &a, &subs, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(subs[0].sub_id, "p_one");
    assert_string_equal(subs[1].sub_id, "p_two");
    assert_string_equal(subs[1].sub_group, "g");
    assert_true(subs[1].optional);
    /* and a nested _not inside the object, combined with a scalar */
    CMP(kproc, "kind", STORE_EQ, STR("PROCESS"));
    store_filter *kp[] = {&kproc};
    store_filter notproc = {STORE_F_NOT, NULL, 0, NULL, 0, kp, 1};
    store_filter *np[] = {&notproc};
    store_filter sub_not_process = {STORE_F_OBJECT, "sub", 0, NULL, 0, np, 1};
    assert_int_equal(store_sub_operations_list(s, &sub_not_process, -1, 0, &a, &subs, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(subs[0].sub_id, "prod_1");
    /* limit and offset */
    assert_int_equal(store_sub_operations_list(s, NULL, 2, 1, &a, &subs, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(subs[0].sub_id, "p_two");

    /* filters on streams: replay only prod_1's events */
    store_event *ev;
    assert_int_equal(store_stream_read(s, STORE_STREAM_OPERATIONS, 0, -1, &eq, &a, &ev, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(ev[0].operation->id, "prod_1");

    /* refusals */
    CMP(badfield, "nope", STORE_EQ, STR("x"));
    assert_int_equal(store_filter_check(STORE_E_OPERATION, &badfield, &err), STORE_EINPUT);
    CMP(badkind, "seq", STORE_EQ, STR("x"));
    assert_int_equal(store_filter_check(STORE_E_OPERATION, &badkind, &err), STORE_EINPUT);
    CMP(badop, "producesSerial", STORE_GT, {STORE_V_BOOL, NULL, 1});
    assert_int_equal(store_filter_check(STORE_E_OPERATION, &badop, &err), STORE_EINPUT);
    CMP(likeid, "id", STORE_LIKE, STR("x%"));
    assert_int_equal(store_filter_check(STORE_E_OPERATION, &likeid, &err), STORE_EINPUT);
    store_filter notobj = {STORE_F_OBJECT, "name", 0, NULL, 0, pk, 1};
    assert_int_equal(store_filter_check(STORE_E_OPERATION, &notobj, &err), STORE_EINPUT);
    /* an order's parent is an order: externalId is not one of its fields */
    assert_int_equal(store_filter_check(STORE_E_OPERATION_ORDER, &parent, &err), STORE_EINPUT);
    CMP(oext, "externalOrderId", STORE_EQ, STR("WO-1"));
    store_filter *ok[] = {&oext};
    store_filter oparent = {STORE_F_OBJECT, "parent", 0, NULL, 0, ok, 1};
    assert_int_equal(store_filter_check(STORE_E_OPERATION_ORDER, &oparent, &err), 0);
    assert_int_equal(store_filter_check(STORE_E_SUB_OPERATION, &parent, &err), 0);
    /* a value never reaches the SQL text */
    CMP(inject, "name", STORE_EQ, STR("x' OR 1=1 --"));
    assert_string_equal(op_ids(s, &inject, &a), "");
    /* order filters compile against their table */
    CMP(status, "status", STORE_IN, STR("READY"));
    store_filter *sk[] = {&status, &oparent};
    store_filter orders = {STORE_F_OR, NULL, 0, NULL, 0, sk, 2};
    assert_int_equal(store_filter_check(STORE_E_OPERATION_ORDER, &orders, &err), 0);

    gql_arena_free(&a);
    store_close(s);
    test_db_remove(&t);
}

/* ---- children: one statement per level ---- */

/* Children come in each parent's order of position (not of id, the order of
 * their keys), parents in the order asked, a parent asked twice twice. */
static void children_in_position_order(void **state) {
    (void)state;
    test_db t;
    test_db_make(&t);
    store *s = test_open(&t, NULL);
    store_err err;
    store_attr_in attrs[] = {{"z_sn", "Z", "PZ"}, {"a_sn", "A", "PA"}, {"m_sn", "M", "PM"}};
    store_action_in acts[] = {{"z", "last id, first"}, {"a", "first id, second"}};
    store_step_in steps[] = {{"z_step", "Z", NULL, acts, 2}, {"a_step", "A", NULL, acts, 2}};
    store_process_in p1 = {"p_1", "One", NULL, "PN-1", "A", false, attrs, 3, steps, 2};
    store_process_in p2 = {"p_2", "Two", NULL, "PN-2", "A", false, attrs + 1, 2, steps + 1, 1};
    assert_int_equal(deploy_process(s, &p1, NULL, &err), 0);
    assert_int_equal(deploy_process(s, &p2, NULL, &err), 0);
    const char *procs[] = {"p_2", "p_1"};
    store_station_in st = {"st_1", "Bench", procs, 2};
    assert_int_equal(deploy_station(s, &st, NULL, &err), 0);
    gql_arena a;
    gql_arena_init(&a, 0);
    const char *ids[] = {"p_2", "p_1", "nope", "p_2"};
    store_attributes at;
    assert_int_equal(store_consumed_attrs_of(s, ids, 4, &a, &at, &err), 0);
    const size_t first[] = {0, 2, 5, 5, 7};
    const char *want[] = {"a_sn", "m_sn", "z_sn", "a_sn", "m_sn", "a_sn", "m_sn"};
    assert_int_equal(at.count, 7);
    for (size_t i = 0; i < 5; i++) assert_int_equal(at.first[i], first[i]);
    for (size_t i = 0; i < 7; i++) assert_string_equal(at.items[i].id, want[i]);
    store_steps sts;
    assert_int_equal(store_steps_of(s, ids, 2, &a, &sts, &err), 0);
    assert_int_equal(sts.count, 3);
    assert_string_equal(sts.items[0].id, "a_step");
    assert_string_equal(sts.items[1].id, "z_step");
    assert_string_equal(sts.items[2].id, "a_step");
    assert_string_equal(sts.items[1].operation_id, "p_1");
    int64_t keys[] = {sts.items[1].key, sts.items[0].key};
    store_actions ac;
    assert_int_equal(store_actions_of(s, keys, 2, &a, &ac, &err), 0);
    assert_int_equal(ac.count, 4);
    assert_int_equal(ac.first[1], 2);
    for (size_t i = 0; i < 4; i++) assert_string_equal(ac.items[i].id, i % 2 ? "a" : "z");
    const char *stations[] = {"st_9", "st_1"};
    store_operations ops;
    assert_int_equal(store_station_processes_of(s, stations, 2, &a, &ops, &err), 0);
    assert_int_equal(ops.first[1], 0);
    assert_int_equal(ops.count, 2);
    assert_string_equal(ops.items[0].id, "p_2");
    assert_string_equal(ops.items[1].id, "p_1");
    gql_arena_free(&a);
    store_close(s);
    test_db_remove(&t);
}


static uint64_t statements(store *s) {
    store_metrics m;
    store_get_metrics(s, &m);
    return m.read_statements;
}

static void children_one_statement_per_level(void **state) {
    (void)state;
    test_db t;
    store *s = filter_fixture(&t);
    store_err err;
    const char *procs[] = {"p_one", "p_two"};
    store_station_in st = {"st_1", "Bench 1", procs, 2};
    assert_int_equal(deploy_station(s, &st, NULL, &err), 0);
    gql_arena a;
    gql_arena_init(&a, 0);
    const char *ids[] = {"p_one", "p_two", "p_three", "prod_1", "nope"};

    uint64_t before = statements(s);
    store_attributes attrs;
    assert_int_equal(store_consumed_attrs_of(s, ids, 5, &a, &attrs, &err), 0);
    assert_int_equal(statements(s) - before, 1);
    assert_int_equal(attrs.count, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(attrs.first[i + 1] - attrs.first[i], 1);
        assert_string_equal(attrs.items[attrs.first[i]].operation_id, ids[i]);
    }
    assert_int_equal(attrs.first[4], attrs.first[3]);   /* prod_1 has none of its own */
    assert_int_equal(attrs.first[5], 3);

    before = statements(s);
    store_steps steps;
    assert_int_equal(store_steps_of(s, ids, 5, &a, &steps, &err), 0);
    assert_int_equal(steps.count, 3);
    int64_t keys[3];
    for (size_t i = 0; i < 3; i++) keys[i] = steps.items[i].key;
    store_actions actions;
    assert_int_equal(store_actions_of(s, keys, 3, &a, &actions, &err), 0);
    assert_int_equal(statements(s) - before, 2);
    assert_int_equal(actions.count, 3);
    assert_string_equal(actions.items[actions.first[1]].description, "do it");

    before = statements(s);
    store_sub_operations subs;
    const char *parents[] = {"sub_1", "prod_1", "p_one"};
    assert_int_equal(store_sub_operations_of(s, parents, 3, false, &a, &subs, &err), 0);
    assert_int_equal(statements(s) - before, 1);
    assert_int_equal(subs.first[1], 2);
    assert_string_equal(subs.items[0].sub_id, "p_three");
    assert_string_equal(subs.items[1].sub_id, "prod_1");
    assert_string_equal(subs.items[2].sub_id, "p_one");
    assert_int_equal(subs.first[3] - subs.first[2], 0);

    /* a product's serial list: every process of its tree, in routing order */
    before = statements(s);
    assert_int_equal(store_tree_attrs_of(s, parents, 3, &a, &attrs, &err), 0);
    assert_int_equal(statements(s) - before, 1);
    assert_int_equal(attrs.first[1], 3);
    assert_string_equal(attrs.items[0].id, "p_three_sn");
    assert_string_equal(attrs.items[1].id, "p_one_sn");
    assert_string_equal(attrs.items[2].id, "p_two_sn");
    assert_int_equal(attrs.first[2] - attrs.first[1], 2);
    assert_int_equal(attrs.first[3] - attrs.first[2], 1);

    before = statements(s);
    const char *stations[] = {"st_1", "st_9"};
    store_operations ops;
    assert_int_equal(store_station_processes_of(s, stations, 2, &a, &ops, &err), 0);
    assert_int_equal(ops.count, 2);
    assert_int_equal(ops.first[2], 2);
    assert_int_equal(store_operations_by_ids(s, ids, 5, &a, &ops, &err), 0);
    assert_int_equal(statements(s) - before, 2);
    assert_int_equal(ops.count, 4);
    assert_string_equal(ops.items[ops.first[3]].name, "Bike");

    /* producesSerial: a process's own, a product's last process's (through subassemblies) */
    store_component_in rev[] = {{"p_two", NULL, false}, {"p_one", NULL, false}};
    store_product_in last_no = {"prod_rev", "Reversed", NULL, NULL, STORE_KIND_PRODUCT, rev, 2};
    assert_int_equal(deploy_product(s, &last_no, NULL, &err), 0);
    store_product_in empty = {"prod_empty", "Empty", NULL, NULL, STORE_KIND_PRODUCT, NULL, 0};
    assert_int_equal(deploy_product(s, &empty, NULL, &err), 0);
    const char *ps_ids[] = {"p_one", "p_two", "prod_1", "sub_1", "prod_rev", "prod_empty", "nope"};
    bool ps[7];
    before = statements(s);
    assert_int_equal(store_tree_produces_serial_of(s, ps_ids, 7, ps, &err), 0);
    assert_int_equal(statements(s) - before, 1);
    static const bool ps_want[7] = {false, true, true, true, false, false, false};
    for (size_t i = 0; i < 7; i++)
        if (ps[i] != ps_want[i]) fail_msg("producesSerial of %s", ps_ids[i]);
    /* the filter derives it the same way */
    store_value yes = {STORE_V_BOOL, NULL, 1};
    store_filter produces = {STORE_F_CMP, "producesSerial", STORE_EQ, &yes, 1, NULL, 0};
    assert_string_equal(op_ids(s, &produces, &a), "p_two,prod_1,sub_1");
    store_filter *pk2[] = {&produces};
    store_filter sub_produces = {STORE_F_OBJECT, "sub", 0, NULL, 0, pk2, 1};
    store_sub_operation *sl;
    size_t sn;
    assert_int_equal(store_sub_operations_list(s, &sub_produces, -1, 0, &a, &sl, &sn, &err), 0);
    assert_int_equal(sn, 3);   /* prod_1 -> p_two, sub_1 -> prod_1, prod_rev -> p_two */

    store_station *stl;
    size_t n;
    assert_int_equal(store_stations_list(s, NULL, -1, 0, &a, &stl, &n, &err), 0);
    assert_int_equal(n, 1);
    store_station *one;
    assert_int_equal(store_station_get(s, "st_1", &a, &one, &err), 0);
    assert_string_equal(one->name, "Bench 1");
    /* a snapshot brackets reads */
    assert_int_equal(store_snapshot_begin(s, &err), 0);
    assert_int_equal(store_stations_list(s, NULL, -1, 0, &a, &stl, &n, &err), 0);
    store_snapshot_end(s);
    gql_arena_free(&a);
    store_close(s);
    test_db_remove(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(migrates_from_empty),
        cmocka_unit_test(reopen_is_idempotent),
        cmocka_unit_test(refuses_a_newer_database),
        cmocka_unit_test(migrations_match_their_sql_files),
        cmocka_unit_test(bad_urls_are_errors),
        cmocka_unit_test(tokens),
        cmocka_unit_test(deploys),
        cmocka_unit_test(rolled_back_events_leave_no_gap),
        cmocka_unit_test(filters),
        cmocka_unit_test(filter_field_info),
        cmocka_unit_test(children_one_statement_per_level),
        cmocka_unit_test(children_in_position_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
