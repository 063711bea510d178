/*
 * test_store_util.h: what the store's cmocka programs share: a fresh
 * database in a temporary directory, write jobs wrapping the store's
 * transaction functions, and a raw SQLite handle for looking underneath.
 */
#ifndef MESD_TEST_STORE_UTIL_H
#define MESD_TEST_STORE_UTIL_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include "store.h"

typedef struct test_db {
    char dir[64];
    char path[128];
    char url[160];
} test_db;

static inline void test_db_make(test_db *t) {
    snprintf(t->dir, sizeof t->dir, "/tmp/mesd-store-XXXXXX");
    if (!mkdtemp(t->dir)) fail_msg("mkdtemp");
    snprintf(t->path, sizeof t->path, "%s/t.db", t->dir);
    snprintf(t->url, sizeof t->url, "sqlite:%s", t->path);
}

static inline void test_db_remove(test_db *t) {
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
    if (system(cmd) != 0) fail_msg("rm");
}

static inline store *test_open(test_db *t, uv_loop_t *loop) {
    store_err err = {0};
    store *s = store_open(t->url, loop, &err);
    if (!s) fail_msg("store_open: %s", err.message);
    return s;
}

/* One integer from SQL run on a separate raw connection. */
static inline long long test_sql_int(test_db *t, const char *sql) {
    sqlite3 *db;
    assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* ---- jobs ---- */
typedef struct deploy_job {
    const store_process_in *process;
    const store_product_in *product;
    const store_station_in *station;
    store_deploy_result res;
    int fail_after;   /* tests: return this error after writing */
} deploy_job;

static inline int run_deploy(store_tx *tx, void *arg, store_err *err) {
    deploy_job *j = arg;
    int rc = j->process   ? store_tx_deploy_process(tx, j->process, &j->res, err)
             : j->product ? store_tx_deploy_product(tx, j->product, &j->res, err)
                          : store_tx_deploy_station(tx, j->station, &j->res, err);
    if (rc == STORE_OK && j->fail_after) {
        err->code = j->fail_after;
        snprintf(err->message, sizeof err->message, "failing on purpose");
        return j->fail_after;
    }
    return rc;
}

static inline int deploy_process(store *s, const store_process_in *p, store_deploy_result *res, store_err *err) {
    deploy_job j = {.process = p};
    int rc = store_exec_sync(s, run_deploy, &j, err);
    if (res) *res = j.res;
    return rc;
}
static inline int deploy_product(store *s, const store_product_in *p, store_deploy_result *res, store_err *err) {
    deploy_job j = {.product = p};
    int rc = store_exec_sync(s, run_deploy, &j, err);
    if (res) *res = j.res;
    return rc;
}
static inline int deploy_station(store *s, const store_station_in *p, store_deploy_result *res, store_err *err) {
    deploy_job j = {.station = p};
    int rc = store_exec_sync(s, run_deploy, &j, err);
    if (res) *res = j.res;
    return rc;
}

/* A process with one attribute (part number pn) and one step with one action. */
#define TEST_PROCESS(var, ID, NAME, PN)                                                                        \
    store_attr_in var##_attrs[] = {{ID "_sn", "Serial of " ID, PN}};                                            \
    store_action_in var##_actions[] = {{"a1", "do it"}};                                                        \
    store_step_in var##_steps[] = {{"s1", "Step 1", "text", var##_actions, 1}};                                 \
    store_process_in var = {ID, NAME, NULL, "PN-" ID, "A", false, var##_attrs, 1, var##_steps, 1}

#endif
