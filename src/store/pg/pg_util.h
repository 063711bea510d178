/*
 * pg_util.h: what the PostgreSQL files share: connection parameters, one-line
 * error messages, and blocking statements for the threads that may block
 * (the writer thread, and start-up before the loop serves).
 *
 * Must never: be called on the loop thread once it serves (pg_exec and
 * pg_connect block; pg_conn.c is the loop's connection).
 */
#ifndef MESD_PG_UTIL_H
#define MESD_PG_UTIL_H
#include <libpq-fe.h>
#include <stddef.h>
#include "store.h"

/* Every mesd connection's parameters: the URL (or key=value string) the
 * user gave, after defaults it may override (connect_timeout, so a
 * reconnect cannot hang for minutes; application_name, to be found in
 * pg_stat_activity). For PQconnect*Params with expand_dbname = 1. */
#define PG_CONN_PARAMS 3
void pg_conn_params(const char *conninfo, const char *keys[PG_CONN_PARAMS + 1],
                    const char *values[PG_CONN_PARAMS + 1]);

/* "PREFIX: MSG" on one line (libpq's messages span lines and end with one). */
void pg_one_line(char *dst, size_t size, const char *prefix, const char *msg);

/* "database: " and the server's message of a failed result, on one line. */
void pg_result_message(char *dst, size_t size, const PGresult *res);

/* Blocking connect; NULL with err set ("database unavailable: …"). */
PGconn *pg_connect(const char *conninfo, store_err *err);

/* Runs sql with text parameters (blocking). Returns the result (the caller
 * PQclears it) or NULL with err set: the server's message for a statement
 * that failed (STORE_ECONFLICT for a unique or exclusion violation,
 * STORE_EINPUT for another constraint, STORE_EIO otherwise), "database
 * unavailable: …" when the connection is gone. */
PGresult *pg_exec(PGconn *db, const char *sql, int nparams, const char *const *params, store_err *err);
/* The same, without a result to look at. */
int pg_exec_cmd(PGconn *db, const char *sql, store_err *err);
/* Sets err from a failed result (res may be NULL: the connection's error). */
int pg_result_err(PGconn *db, const PGresult *res, store_err *err);

/* ---- a result's values (text format) and parameters ---- */
/* A column as a string in arena a; NULL for SQL NULL. */
const char *pg_text(const PGresult *r, int row, int col, gql_arena *a);
/* A column as an integer; 0 for SQL NULL. */
int64_t pg_i64(const PGresult *r, int row, int col);
/* A boolean column (boolean 't'/'f', or the smallint 0/1 the migrations
 * keep SQLite's booleans as); false for SQL NULL. */
bool pg_bool(const PGresult *r, int row, int col);
/* v as a text parameter, in buf. */
#define PG_I64_LEN 24
const char *pg_i64_param(char buf[PG_I64_LEN], int64_t v);

#endif
