/* test_pg_store.c: store.h on a PostgreSQL database (issue 7, first
 * wiring): store_open with a postgres:// URL and no loop migrates; tokens
 * through store_exec_sync are created, verified, listed and revoked as on
 * SQLite; a job runs in one transaction (a failing job leaves nothing); and
 * every function the backend does not have yet answers STORE_EIO instead of
 * crashing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "pg_migrate.h"
#include "store.h"
#include "test_pg_util.h"

typedef struct token_job {
    const char *role, *revoke;
    bool then_refused;       /* after creating, deploy a station the store refuses */
    char token[STORE_TOKEN_MAX], id[STORE_TOKEN_ID_LEN + 1];
} token_job;

static int run_token(store_tx *tx, void *arg, store_err *err) {
    token_job *j = arg;
    if (j->revoke) return store_tx_token_revoke(tx, j->revoke, err);
    if (store_tx_token_create(tx, j->role, "t", NULL, j->token, j->id, err)) return err->code;
    if (!j->then_refused) return STORE_OK;
    store_deploy_result res;
    static const char *const nope[] = {"nope"};
    store_station_in in = {.id = "s1", .name = "S1", .process_ids = nope, .nprocesses = 1};
    return store_tx_deploy_station(tx, &in, &res, err);
}

static size_t count_tokens(store *s) {
    gql_arena a;
    gql_arena_init(&a, 1024);
    store_token *v = NULL;
    size_t n = 0;
    store_err err = {0};
    assert_int_equal(store_tokens_list(s, &a, &v, &n, &err), STORE_OK);
    gql_arena_free(&a);
    return n;
}

static void opens_migrates_and_keeps_tokens(void **state) {
    (void)state;
    char url[1024];
    pg_test_fresh_url("t_store_tokens", url, sizeof url);
    store_err err = {0};
    store *s = store_open(url, NULL, &err);
    if (!s) fail_msg("%s", err.message);
    assert_int_equal(store_schema_version(s), pg_schema_version_known());
    bool empty = false;
    assert_int_equal(store_tokens_empty(s, &empty, &err), STORE_OK);
    assert_true(empty);

    token_job j = {.role = "operator"};
    uint64_t commits = store_commit_count(s);
    assert_int_equal(store_exec_sync(s, run_token, &j, &err), STORE_OK);
    assert_int_equal(store_commit_count(s), commits + 1);
    assert_int_equal(strlen(j.token), STORE_TOKEN_MAX - 1);
    gql_arena a;
    gql_arena_init(&a, 1024);
    store_token t = {0};
    assert_true(store_token_verify(s, j.token, &a, &t));
    assert_string_equal(t.id, j.id);
    assert_string_equal(t.role, "operator");
    assert_string_equal(t.name, "t");
    assert_null(t.station_id);
    assert_true(t.created_at > 0);
    /* one character of the secret changed: same id, another hash */
    char wrong[STORE_TOKEN_MAX];
    memcpy(wrong, j.token, sizeof wrong);
    wrong[STORE_TOKEN_MAX - 2] = wrong[STORE_TOKEN_MAX - 2] == 'A' ? 'B' : 'A';
    assert_false(store_token_verify(s, wrong, &a, NULL));
    assert_false(store_token_verify(s, "mesd_short_x", &a, NULL));
    assert_int_equal(store_tokens_empty(s, &empty, &err), STORE_OK);
    assert_false(empty);

    token_job r = {.revoke = j.id};
    assert_int_equal(store_exec_sync(s, run_token, &r, &err), STORE_OK);
    assert_false(store_token_verify(s, j.token, &a, NULL));
    token_job unknown = {.revoke = "nosuchtoken1"};
    assert_int_equal(store_exec_sync(s, run_token, &unknown, &err), STORE_ENOTFOUND);
    token_job bad = {.role = "boss"};
    assert_int_equal(store_exec_sync(s, run_token, &bad, &err), STORE_EINPUT);
    assert_int_equal(count_tokens(s), 1);
    gql_arena_free(&a);
    store_close(s);

    /* opened again: nothing to migrate, the token still there */
    s = store_open(url, NULL, &err);
    assert_non_null(s);
    assert_int_equal(count_tokens(s), 1);
    store_close(s);
}

static void unsupported_functions_are_errors(void **state) {
    (void)state;
    char url[1024];
    pg_test_fresh_url("t_store_unsupported", url, sizeof url);
    store_err err = {0};
    store *s = store_open(url, NULL, &err);
    if (!s) fail_msg("%s", err.message);
    gql_arena a;
    gql_arena_init(&a, 1024);
    store_operation *ops = NULL;
    size_t n = 0;
    assert_int_equal(store_operations_list(s, NULL, -1, 0, &a, &ops, &n, &err), STORE_EIO);
    assert_string_equal(err.message, "operations_list: not supported on PostgreSQL yet");
    int64_t head[STORE_STREAM_COUNT];
    assert_int_equal(store_stream_heads(s, head, &err), STORE_EIO);
    assert_int_equal(store_snapshot_begin(s, &err), STORE_EIO);
    store_snapshot_end(s);   /* nothing to end: no crash */
    assert_int_equal(store_submit(s, run_token, NULL, NULL), STORE_EIO);

    /* a job that created a token and then failed fails as a whole: the
     * token is not there */
    token_job j = {.role = "erp", .then_refused = true};
    assert_int_equal(store_exec_sync(s, run_token, &j, &err), STORE_ENOTFOUND);
    assert_string_equal(err.message, "process nope is not a known operation");
    assert_int_equal(count_tokens(s), 0);
    gql_arena_free(&a);
    store_close(s);
}

static void bad_urls_and_loops_are_refused(void **state) {
    (void)state;
    store_err err = {0};
    assert_null(store_open("postgresql://[::1/x", NULL, &err));
    assert_int_equal(err.code, STORE_EURL);
    /* the server is not reachable: nothing opens, and the password is not in the message */
    assert_null(store_open("postgres://u:pw-secret@127.0.0.1:1/x", NULL, &err));
    assert_int_equal(err.code, STORE_EIO);
    assert_non_null(strstr(err.message, "database unavailable"));
    assert_null(strstr(err.message, "pw-secret"));
    uv_loop_t loop;
    uv_loop_init(&loop);
    assert_null(store_open(pg_test_url(), &loop, &err));
    assert_int_equal(err.code, STORE_EURL);
    uv_loop_close(&loop);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(opens_migrates_and_keeps_tokens),
        cmocka_unit_test(unsupported_functions_are_errors),
        cmocka_unit_test(bad_urls_and_loops_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
