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
    bool then_fail;   /* after creating, fail: the whole job must roll back */
    char token[STORE_TOKEN_MAX], id[STORE_TOKEN_ID_LEN + 1];
} token_job;

static int run_token(store_tx *tx, void *arg, store_err *err) {
    token_job *j = arg;
    if (j->revoke) return store_tx_token_revoke(tx, j->revoke, err);
    if (store_tx_token_create(tx, j->role, "t", NULL, j->token, j->id, err)) return err->code;
    if (!j->then_fail) return STORE_OK;
    return store_set_err(err, STORE_EINPUT, "failing on purpose");
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

static void a_failing_job_leaves_nothing(void **state) {
    (void)state;
    char url[1024];
    pg_test_fresh_url("t_store_failing_job", url, sizeof url);
    store_err err = {0};
    store *s = store_open(url, NULL, &err);
    if (!s) fail_msg("%s", err.message);
    /* the command line's store has no writer thread to submit to */
    assert_int_equal(store_submit(s, run_token, NULL, NULL), STORE_EIO);
    token_job j = {.role = "erp", .then_fail = true};
    assert_int_equal(store_exec_sync(s, run_token, &j, &err), STORE_EINPUT);
    assert_string_equal(err.message, "failing on purpose");
    assert_int_equal(count_tokens(s), 0);
    int64_t head[STORE_STREAM_COUNT];
    assert_int_equal(store_stream_heads(s, head, &err), STORE_OK);
    for (int k = 0; k < STORE_STREAM_COUNT; k++) assert_int_equal(head[k], 0);
    store_close(s);
}

/* The server's store (opened with a loop) keeps the tokens in memory and
 * reloads them on NOTIFY mesd_tokens: a token created or revoked by another
 * process (`mesd token`) is known, then refused, once the notification
 * arrives, with no read on the loop. */
static void the_server_learns_of_token_changes(void **state) {
    (void)state;
    char url[1024];
    pg_test_fresh_url("t_store_server_tokens", url, sizeof url);
    store_err err = {0};
    uv_loop_t loop;
    uv_loop_init(&loop);
    store *srv = store_open(url, &loop, &err);
    if (!srv) fail_msg("%s", err.message);
    store *cli = store_open(url, NULL, &err);
    if (!cli) fail_msg("%s", err.message);
    gql_arena a;
    gql_arena_init(&a, 1024);
    token_job j = {.role = "operator"};
    assert_int_equal(store_exec_sync(cli, run_token, &j, &err), STORE_OK);
    int turns = 0;
    while (!store_token_verify(srv, j.token, &a, NULL) && turns++ < 2000) uv_run(&loop, UV_RUN_ONCE);
    store_token t = {0};
    assert_true(store_token_verify(srv, j.token, &a, &t));
    assert_string_equal(t.role, "operator");
    token_job r = {.revoke = j.id};
    assert_int_equal(store_exec_sync(cli, run_token, &r, &err), STORE_OK);
    turns = 0;
    while (store_token_verify(srv, j.token, &a, NULL) && turns++ < 2000) uv_run(&loop, UV_RUN_ONCE);
    assert_false(store_token_verify(srv, j.token, &a, NULL));
    gql_arena_free(&a);
    store_close(cli);
    store_close(srv);
    uv_run(&loop, UV_RUN_DEFAULT);   /* the closed handles */
    assert_int_equal(uv_loop_close(&loop), 0);
}

static void bad_urls_are_refused(void **state) {
    (void)state;
    store_err err = {0};
    assert_null(store_open("postgresql://[::1/x", NULL, &err));
    assert_int_equal(err.code, STORE_EURL);
    /* the server is not reachable: nothing opens, and the password is not in the message */
    assert_null(store_open("postgres://u:pw-secret@127.0.0.1:1/x", NULL, &err));
    assert_int_equal(err.code, STORE_EIO);
    assert_non_null(strstr(err.message, "database unavailable"));
    assert_null(strstr(err.message, "pw-secret"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(opens_migrates_and_keeps_tokens),
        cmocka_unit_test(a_failing_job_leaves_nothing),
        cmocka_unit_test(the_server_learns_of_token_changes),
        cmocka_unit_test(bad_urls_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
