/*
 * test_pg_util.h: what the PostgreSQL tests share: the throwaway server's
 * URL (the ctest fixture writes it to $MESD_TEST_PG_FILE; $MESD_TEST_PG may
 * name a server directly), a fresh database per test, blocking helpers, and
 * running a libuv loop until a condition holds.
 */
#ifndef MESD_TEST_PG_UTIL_H
#define MESD_TEST_PG_UTIL_H
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>
#include "pg_migrate.h"

static inline const char *pg_test_url(void) {
    static char url[1024];
    if (url[0]) return url;
    const char *direct = getenv("MESD_TEST_PG");
    if (direct && *direct) {
        snprintf(url, sizeof url, "%s", direct);
        return url;
    }
    const char *file = getenv("MESD_TEST_PG_FILE");
    if (!file) fail_msg("no PostgreSQL: run under ctest (fixture pg) or set MESD_TEST_PG to a libpq URL");
    FILE *f = fopen(file, "r");
    if (!f || !fgets(url, sizeof url, f)) fail_msg("cannot read the PostgreSQL URL from %s", file);
    fclose(f);
    url[strcspn(url, "\n")] = 0;
    return url;
}

static inline PGconn *pg_test_connect(const char *conninfo) {
    PGconn *c = PQconnectdb(conninfo);
    if (PQstatus(c) != CONNECTION_OK) fail_msg("connect %s: %s", conninfo, PQerrorMessage(c));
    return c;
}

/* Runs sql (blocking) and fails the test if it fails; the result is PQclear'd
 * unless out is given. */
static inline void pg_test_exec(PGconn *c, const char *sql, PGresult **out) {
    PGresult *r = PQexec(c, sql);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) fail_msg("%s: %s", sql, PQerrorMessage(c));
    if (out) *out = r;
    else PQclear(r);
}

static inline long long pg_test_int(PGconn *c, const char *sql) {
    PGresult *r;
    pg_test_exec(c, sql, &r);
    if (PQntuples(r) != 1) fail_msg("%s: %d rows", sql, PQntuples(r));
    long long v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return v;
}

/* The key=value conninfo of database `name` on the test server. */
static inline void pg_test_conninfo(const char *name, char *out, size_t size) {
    PGconn *c = pg_test_connect(pg_test_url());
    snprintf(out, size, "host=%s port=%s user=%s dbname=%s", PQhost(c), PQport(c), PQuser(c), name);
    PQfinish(c);
}

/* CREATE DATABASE options for a database whose text order is not byte
 * order (ICU's en-US: 'a' < 'B', 'fit' before 'Zed'): the differential tests
 * use it so that an ORDER BY or comparison lacking SQLite's byte order
 * (COLLATE "C") fails. */
#define PG_TEST_ICU "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"

/* An empty database `name` (dropped first if an earlier run left it) on the
 * test server, created with `options` (SQL after CREATE DATABASE name, ""
 * for none); its conninfo in out. */
static inline void pg_test_fresh_db_with(const char *name, const char *options, char *out, size_t size) {
    PGconn *c = pg_test_connect(pg_test_url());
    pg_test_exec(c, "SET client_min_messages = warning", NULL);   /* no NOTICE when it does not exist */
    char sql[512];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    pg_test_exec(c, sql, NULL);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s %s", name, options);
    pg_test_exec(c, sql, NULL);
    PQfinish(c);
    pg_test_conninfo(name, out, size);
}

static inline void pg_test_fresh_db(const char *name, char *out, size_t size) {
    pg_test_fresh_db_with(name, "", out, size);
}

/* The fixture's URL with database `name` (postgresql://authority/NAME?…),
 * created empty first with `options` (as pg_test_fresh_db_with; its
 * conninfo in conninfo): what store_open takes. */
static inline void pg_test_fresh_url_with(const char *name, const char *options, char *conninfo, size_t csize,
                                          char *out, size_t size) {
    pg_test_fresh_db_with(name, options, conninfo, csize);
    const char *url = pg_test_url();
    const char *auth = strstr(url, "://");
    if (!auth) fail_msg("not a URL: %s", url);
    const char *path = auth + 3 + strcspn(auth + 3, "/?");
    const char *query = path + strcspn(path, "?");
    snprintf(out, size, "%.*s/%s%s", (int)(path - url), url, name, query);
}

static inline void pg_test_fresh_url(const char *name, char *out, size_t size) {
    char conninfo[512];
    pg_test_fresh_url_with(name, "", conninfo, sizeof conninfo, out, size);
}

/* A fresh database with every migration applied, and a connection to it. */
static inline PGconn *pg_test_migrated_db(const char *name, char *conninfo, size_t size) {
    pg_test_fresh_db(name, conninfo, size);
    PGconn *c = pg_test_connect(conninfo);
    store_err err = {0};
    int version = 0;
    if (pg_migrate(c, &version, &err)) fail_msg("%s", err.message);
    return c;
}

/* Ends another connection's session, as a server restart or a network cut
 * would: its client sees the connection lost. */
static inline void pg_test_terminate(const char *conninfo, int pid) {
    PGconn *c = pg_test_connect(conninfo);
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%d)", pid);
    PGresult *r;
    pg_test_exec(c, sql, &r);
    if (strcmp(PQgetvalue(r, 0, 0), "t") != 0) fail_msg("backend %d was not terminated", pid);
    PQclear(r);
    PQfinish(c);
}

/* Runs the loop until *flag is true, failing after `seconds` (a deadline,
 * not an assertion: the condition is an event the test awaits). */
static inline void pg_test_tick(uv_timer_t *t) { (void)t; }
static inline void pg_test_run_until(uv_loop_t *loop, const volatile int *flag, int seconds) {
    uv_timer_t tick;   /* wakes the loop to look at the clock when nothing else does */
    uv_timer_init(loop, &tick);
    uv_timer_start(&tick, pg_test_tick, 100, 100);
    time_t end = time(NULL) + seconds;
    while (!*flag) {
        if (time(NULL) > end) fail_msg("timed out after %d s", seconds);
        uv_run(loop, UV_RUN_ONCE);
    }
    uv_close((uv_handle_t *)&tick, NULL);
    uv_run(loop, UV_RUN_NOWAIT);
}

/* Runs the loop until every handle is closed, then closes it. */
static inline void pg_test_loop_done(uv_loop_t *loop) {
    uv_run(loop, UV_RUN_DEFAULT);
    assert_int_equal(uv_loop_close(loop), 0);
}

#endif
