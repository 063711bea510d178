/* test_store_savepoint.c: savepoints inside one job (store_tx_savepoint,
 * release, rollback): a rolled-back write leaves no row and no event, the
 * stream heads the listener hears skip it, the writes around it commit, and
 * savepoints nest. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "test_store_util.h"

typedef struct three_writes {
    store_process_in a, b, c;
    int rc[4];
} three_writes;

/* a kept; b rolled back (with a nested savepoint inside it released); c kept */
static int run_three(store_tx *tx, void *arg, store_err *err) {
    three_writes *w = arg;
    store_deploy_result r;
    store_savepoint sp, inner;
    w->rc[0] = store_tx_savepoint(tx, &sp, err);
    store_tx_deploy_process(tx, &w->a, &r, err);
    w->rc[0] |= store_tx_release(tx, err);
    w->rc[1] = store_tx_savepoint(tx, &sp, err);
    store_tx_deploy_process(tx, &w->b, &r, err);
    w->rc[1] |= store_tx_savepoint(tx, &inner, err);
    w->b.name = "B changed";
    store_tx_deploy_process(tx, &w->b, &r, err);
    w->rc[1] |= store_tx_release(tx, err);
    w->rc[2] = store_tx_rollback(tx, &sp, err);
    w->rc[3] = store_tx_savepoint(tx, &sp, err);
    store_tx_deploy_process(tx, &w->c, &r, err);
    w->rc[3] |= store_tx_release(tx, err);
    return STORE_OK;
}

/* d kept, e rolled back last: the heads must forget e's event */
static int run_two(store_tx *tx, void *arg, store_err *err) {
    three_writes *w = arg;
    store_deploy_result r;
    store_savepoint sp;
    if (store_tx_deploy_process(tx, &w->a, &r, err) || store_tx_savepoint(tx, &sp, err) ||
        store_tx_deploy_process(tx, &w->b, &r, err))
        return err->code;
    return store_tx_rollback(tx, &sp, err);
}

static int64_t heard;
static void on_heads(void *ctx, const int64_t head[STORE_STREAM_COUNT]) { heard = head[STORE_STREAM_OPERATIONS]; }
static int done_calls;
static void on_done(void *arg, const store_err *err) {
    assert_int_equal(err->code, STORE_OK);
    done_calls++;
}

static void rollback_one_write(void **state) {
    (void)state;
    test_db t;
    test_db_make(&t);
    uv_loop_t loop;
    uv_loop_init(&loop);
    store *s = test_open(&t, &loop);
    store_set_listener(s, on_heads, NULL);
    store_attr_in attr = {"sn", "Serial", "PN"};
    three_writes w = {
        .a = {"p_a", "A", NULL, NULL, NULL, false, &attr, 1, NULL, 0},
        .b = {"p_b", "B", NULL, NULL, NULL, false, &attr, 1, NULL, 0},
        .c = {"p_c", "C", NULL, NULL, NULL, false, &attr, 1, NULL, 0},
    };
    assert_int_equal(store_submit(s, run_three, on_done, &w), STORE_OK);
    while (!done_calls) uv_run(&loop, UV_RUN_ONCE);
    for (int i = 0; i < 4; i++) assert_int_equal(w.rc[i], STORE_OK);
    assert_int_equal(test_sql_int(&t, "SELECT count(*) FROM operations WHERE id IN ('p_a', 'p_c')"), 2);
    assert_int_equal(test_sql_int(&t, "SELECT count(*) FROM operations WHERE id = 'p_b'"), 0);
    /* p_a's event is 1 and p_c's 2: the rolled-back seqs were given back */
    assert_int_equal(test_sql_int(&t, "SELECT count(*) FROM operation_events"), 2);
    assert_int_equal(test_sql_int(&t, "SELECT max(seq) FROM operation_events"), 2);
    assert_int_equal(heard, 2);
    three_writes w2 = {
        .a = {"p_d", "D", NULL, NULL, NULL, false, &attr, 1, NULL, 0},
        .b = {"p_e", "E", NULL, NULL, NULL, false, &attr, 1, NULL, 0},
    };
    assert_int_equal(store_submit(s, run_two, on_done, &w2), STORE_OK);
    while (done_calls < 2) uv_run(&loop, UV_RUN_ONCE);
    assert_int_equal(heard, 3);
    assert_int_equal(test_sql_int(&t, "SELECT max(seq) FROM operation_events"), 3);
    store_close(s);
    uv_run(&loop, UV_RUN_DEFAULT);
    assert_int_equal(uv_loop_close(&loop), 0);
    test_db_remove(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(rollback_one_write)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
