/*
 * test_pg_diff.h: differential tests of the two backends. One SQLite store
 * (a temporary directory) and one PostgreSQL store (a fresh database on the
 * fixture's server), both opened without a loop; the same job runs on each
 * and must give the same code and message; the same query on each
 * database's raw connection must give the same rows, as text.
 */
#ifndef MESD_TEST_PG_DIFF_H
#define MESD_TEST_PG_DIFF_H
#include <libpq-fe.h>
#include <sqlite3.h>
#include "store.h"
#include "test_pg_util.h"
#include "test_store_util.h"

enum { DIFF_SQ, DIFF_PG, DIFF_N };

typedef struct diff_pair {
    test_db sq;
    store *s[DIFF_N];
    sqlite3 *sqdb;   /* raw connections, to look underneath */
    PGconn *pgdb;
    char pgurl[1024], conninfo[512];   /* the PostgreSQL database's */
} diff_pair;

static inline void diff_open(diff_pair *p, const char *dbname) {
    memset(p, 0, sizeof *p);
    test_db_make(&p->sq);
    p->s[DIFF_SQ] = test_open(&p->sq, NULL);
    pg_test_fresh_url(dbname, p->pgurl, sizeof p->pgurl);
    pg_test_conninfo(dbname, p->conninfo, sizeof p->conninfo);
    store_err err = {0};
    if (!(p->s[DIFF_PG] = store_open(p->pgurl, NULL, &err))) fail_msg("store_open: %s", err.message);
    assert_int_equal(sqlite3_open(p->sq.path, &p->sqdb), SQLITE_OK);
    p->pgdb = pg_test_connect(p->conninfo);
}

static inline void diff_close(diff_pair *p) {
    sqlite3_close(p->sqdb);
    PQfinish(p->pgdb);
    store_close(p->s[DIFF_SQ]);
    store_close(p->s[DIFF_PG]);
    test_db_remove(&p->sq);
}

/* Runs run(arg[i]) through store_exec_sync on each backend; both must give
 * the same code and message. Returns the code. */
static inline int diff_exec(diff_pair *p, store_job_fn run, void *arg[DIFF_N]) {
    store_err err[DIFF_N] = {{0}};
    int rc[DIFF_N];
    for (int i = 0; i < DIFF_N; i++) rc[i] = store_exec_sync(p->s[i], run, arg[i], &err[i]);
    if (rc[DIFF_SQ] != rc[DIFF_PG] || strcmp(err[DIFF_SQ].message, err[DIFF_PG].message) != 0)
        fail_msg("SQLite: %d \"%s\"; PostgreSQL: %d \"%s\"", rc[DIFF_SQ], err[DIFF_SQ].message, rc[DIFF_PG],
                 err[DIFF_PG].message);
    return rc[DIFF_SQ];
}

/* A process named by its id, deployed on both. */
static inline void diff_process(diff_pair *p, const char *id) {
    store_process_in pr = {.id = id, .name = id};
    deploy_job js[DIFF_N] = {{.process = &pr}, {.process = &pr}};
    void *args[DIFF_N] = {&js[DIFF_SQ], &js[DIFF_PG]};
    assert_int_equal(diff_exec(p, run_deploy, args), STORE_OK);
}

/* The rows of a query as text: one line a row, columns joined by '|',
 * SQL NULL as "NULL". *out is malloc'd. */
static inline void diff_add(char **buf, size_t *len, const char *s) {
    size_t n = strlen(s);
    if (!(*buf = realloc(*buf, *len + n + 1))) abort();
    memcpy(*buf + *len, s, n + 1);
    *len += n;
}

static inline char *diff_rows_sq(sqlite3 *db, const char *sql) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) fail_msg("SQLite: %s: %s", sql, sqlite3_errmsg(db));
    char *buf = NULL;
    size_t len = 0;
    diff_add(&buf, &len, "");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            const char *v = (const char *)sqlite3_column_text(st, c);
            diff_add(&buf, &len, c ? "|" : "");
            diff_add(&buf, &len, v ? v : "NULL");
        }
        diff_add(&buf, &len, "\n");
    }
    if (rc != SQLITE_DONE) fail_msg("SQLite: %s: %s", sql, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return buf;
}

static inline char *diff_rows_pg(PGconn *db, const char *sql) {
    PGresult *r;
    pg_test_exec(db, sql, &r);
    char *buf = NULL;
    size_t len = 0;
    diff_add(&buf, &len, "");
    for (int i = 0; i < PQntuples(r); i++) {
        for (int c = 0; c < PQnfields(r); c++) {
            diff_add(&buf, &len, c ? "|" : "");
            diff_add(&buf, &len, PQgetisnull(r, i, c) ? "NULL" : PQgetvalue(r, i, c));
        }
        diff_add(&buf, &len, "\n");
    }
    PQclear(r);
    return buf;
}

/* The same rows on both databases: sq_sql on SQLite, pg_sql (NULL: the
 * same text) on PostgreSQL. want_rows >= 0: that many rows, so a query
 * that finds nothing on both cannot pass for a comparison. */
static inline void diff_rows(diff_pair *p, const char *sq_sql, const char *pg_sql, int want_rows) {
    char *a = diff_rows_sq(p->sqdb, sq_sql), *b = diff_rows_pg(p->pgdb, pg_sql ? pg_sql : sq_sql);
    if (strcmp(a, b) != 0) fail_msg("%s\nSQLite:\n%sPostgreSQL:\n%s", sq_sql, a, b);
    if (want_rows >= 0) {
        int rows = 0;
        for (const char *c = a; *c; c++) rows += *c == '\n';
        if (rows != want_rows) fail_msg("%s: %d rows, not %d:\n%s", sq_sql, rows, want_rows, a);
    }
    free(a);
    free(b);
}

/* One integer from the same query on both; they must agree. */
static inline long long diff_int(diff_pair *p, const char *sql) {
    char *a = diff_rows_sq(p->sqdb, sql), *b = diff_rows_pg(p->pgdb, sql);
    if (strcmp(a, b) != 0) fail_msg("%s\nSQLite: %sPostgreSQL: %s", sql, a, b);
    long long v = strtoll(a, NULL, 10);
    free(a);
    free(b);
    return v;
}

/* Runs sql (no rows) on both raw connections: a state only a test makes. */
static inline void diff_sql(diff_pair *p, const char *sql) {
    char *msg = NULL;
    if (sqlite3_exec(p->sqdb, sql, NULL, NULL, &msg) != SQLITE_OK) fail_msg("SQLite: %s: %s", sql, msg);
    pg_test_exec(p->pgdb, sql, NULL);
}

#endif
