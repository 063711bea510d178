/* test_pg_migrate.c: the PostgreSQL migrations: applied in order and once,
 * also by several instances starting together; a newer database refused
 * with SQLite's message and left as it was; and the same tables, columns
 * and named indexes as the SQLite migrations. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <sqlite3.h>
#include <unistd.h>
#include "pg_migrate.h"
#include "store.h"
#include "test_pg_util.h"

static void applies_in_order_once(void **state) {
    (void)state;
    char conninfo[512];
    pg_test_fresh_db("t_migrate_once", conninfo, sizeof conninfo);
    PGconn *db = pg_test_connect(conninfo);
    store_err err = {0};
    int version = -1;
    assert_int_equal(pg_migrate(db, &version, &err), STORE_OK);
    assert_int_equal(version, pg_schema_version_known());
    assert_int_equal(version, store_schema_version_known());   /* both backends have every migration */
    assert_int_equal(pg_test_int(db, "SELECT count(*) FROM schema_version"), pg_schema_version_known());
    assert_int_equal(pg_test_int(db, "SELECT (string_agg(name, ',' ORDER BY version)"
                                     " = '001_init,002_read_indexes,003_serial_names,004_work_order_events,"
                                     "005_webhook_first_failure,006_webhook_claims')::int FROM schema_version"),
                     1);
    /* every stream (the four of 001 and 004's work orders) starts empty */
    assert_int_equal(pg_test_int(db, "SELECT count(*) FROM stream_heads WHERE head = 0"), STORE_STREAM_COUNT);
    /* 003's columns are there */
    assert_int_equal(pg_test_int(db, "SELECT count(*) FROM information_schema.columns WHERE table_name ="
                                     " 'consumed_serials' AND column_name IN ('attribute_name', 'external_id')"),
                     2);
    version = -1;
    assert_int_equal(pg_migrate(db, &version, &err), STORE_OK);   /* nothing left to do */
    assert_int_equal(version, pg_schema_version_known());
    assert_int_equal(pg_test_int(db, "SELECT count(*) FROM schema_version"), pg_schema_version_known());
    PQfinish(db);
}

#define NSTARTS 4
typedef struct start_arg {
    const char *conninfo;
    pthread_barrier_t *go;
    int rc, version;
    store_err err;
} start_arg;

static void *start_instance(void *p) {
    start_arg *a = p;
    PGconn *db = pg_test_connect(a->conninfo);
    pthread_barrier_wait(a->go);
    a->rc = pg_migrate(db, &a->version, &a->err);
    PQfinish(db);
    return NULL;
}

/* Without the advisory lock the second CREATE TABLE operations fails
 * ("already exists") or waits and then fails on schema_version's key. */
static void concurrent_starts_apply_once(void **state) {
    (void)state;
    for (int round = 0; round < 3; round++) {
        char conninfo[512];
        pg_test_fresh_db("t_migrate_concurrent", conninfo, sizeof conninfo);
        pthread_barrier_t go;
        pthread_barrier_init(&go, NULL, NSTARTS);
        start_arg args[NSTARTS];
        pthread_t th[NSTARTS];
        for (int i = 0; i < NSTARTS; i++) {
            args[i] = (start_arg){.conninfo = conninfo, .go = &go, .rc = -1};
            pthread_create(&th[i], NULL, start_instance, &args[i]);
        }
        for (int i = 0; i < NSTARTS; i++) pthread_join(th[i], NULL);
        pthread_barrier_destroy(&go);
        for (int i = 0; i < NSTARTS; i++) {
            if (args[i].rc != STORE_OK) fail_msg("start %d: %s", i, args[i].err.message);
            assert_int_equal(args[i].version, pg_schema_version_known());
        }
        PGconn *db = pg_test_connect(conninfo);
        assert_int_equal(pg_test_int(db, "SELECT count(*) FROM schema_version"), pg_schema_version_known());
        assert_int_equal(pg_test_int(db, "SELECT count(*) FROM stream_heads"), STORE_STREAM_COUNT);
        PQfinish(db);
    }
}

static void newer_database_refused(void **state) {
    (void)state;
    char conninfo[512];
    PGconn *db = pg_test_migrated_db("t_migrate_newer", conninfo, sizeof conninfo);
    store_err err = {0};
    int version = 0;
    pg_test_exec(db, "INSERT INTO schema_version VALUES (99, '099_future', 0)", NULL);
    assert_int_equal(pg_migrate(db, &version, &err), STORE_EVERSION);
    char want[128];
    snprintf(want, sizeof want, "database schema version 99 is newer than this mesd (%d); upgrade mesd",
             pg_schema_version_known());
    assert_string_equal(err.message, want);
    /* nothing applied: what was there, and the future row */
    assert_int_equal(pg_test_int(db, "SELECT count(*) FROM schema_version"), pg_schema_version_known() + 1);
    /* the advisory lock was given back: another start is not stuck behind it */
    assert_int_equal(pg_test_int(db, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database ="
                                     " (SELECT oid FROM pg_database WHERE datname = current_database())"), 0);
    PQfinish(db);
}

/* ---- the same data model as SQLite's ---- */

typedef struct names { char **v; size_t n; } names;

static void add_name(names *ns, const char *a, const char *b) {
    ns->v = realloc(ns->v, (ns->n + 1) * sizeof *ns->v);
    size_t len = strlen(a) + strlen(b) + 2;
    ns->v[ns->n] = malloc(len);
    snprintf(ns->v[ns->n++], len, "%s.%s", a, b);
}

static bool has_name(const names *ns, const char *s) {
    for (size_t i = 0; i < ns->n; i++)
        if (strcmp(ns->v[i], s) == 0) return true;
    return false;
}

static void free_names(names *ns) {
    for (size_t i = 0; i < ns->n; i++) free(ns->v[i]);
    free(ns->v);
}

static void sqlite_names(const char *sql, names *out) {
    char path[] = "/tmp/mesd-test-pg-model-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    char url[64];
    snprintf(url, sizeof url, "sqlite:%s", path);
    store_err err = {0};
    store *s = store_open(url, NULL, &err);
    if (!s) fail_msg("%s", err.message);
    store_close(s);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW)
        add_name(out, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1));
    sqlite3_finalize(st);
    sqlite3_close(db);
    unlink(path);
    char side[64];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

static void pg_names(PGconn *db, const char *sql, names *out) {
    PGresult *r;
    pg_test_exec(db, sql, &r);
    for (int i = 0; i < PQntuples(r); i++) add_name(out, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1));
    PQclear(r);
}

static void same_model_as_sqlite(void **state) {
    (void)state;
    char conninfo[512];
    PGconn *db = pg_test_migrated_db("t_migrate_model", conninfo, sizeof conninfo);
    names lite = {0}, pg = {0};
    sqlite_names("SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p"
                 " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
                 &lite);
    pg_names(db, "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'",
             &pg);
    assert_true(lite.n > 50);
    for (size_t i = 0; i < lite.n; i++)
        if (!has_name(&pg, lite.v[i])) fail_msg("column %s of the SQLite schema is missing on PostgreSQL", lite.v[i]);
    for (size_t i = 0; i < pg.n; i++)
        if (!has_name(&lite, pg.v[i]) && strncmp(pg.v[i], "stream_heads.", 13) != 0)
            fail_msg("column %s of the PostgreSQL schema is not in SQLite's", pg.v[i]);
    free_names(&lite);
    free_names(&pg);
    /* every index SQLite's migrations name exists under the same name */
    names lite_ix = {0}, pg_ix = {0};
    sqlite_names("SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL", &lite_ix);
    pg_names(db, "SELECT tablename, indexname FROM pg_indexes WHERE schemaname = 'public'", &pg_ix);
    assert_true(lite_ix.n >= 10);
    for (size_t i = 0; i < lite_ix.n; i++)
        if (!has_name(&pg_ix, lite_ix.v[i])) fail_msg("index %s is missing on PostgreSQL", lite_ix.v[i]);
    free_names(&lite_ix);
    free_names(&pg_ix);
    PQfinish(db);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(applies_in_order_once),
        cmocka_unit_test(concurrent_starts_apply_once),
        cmocka_unit_test(newer_database_refused),
        cmocka_unit_test(same_model_as_sqlite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
