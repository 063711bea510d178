/*
 * pg_util.c: connection parameters, one-line messages and blocking
 * statements shared by the PostgreSQL files (see pg_util.h).
 */
#include "pg_util.h"
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

void pg_conn_params(const char *conninfo, const char *keys[PG_CONN_PARAMS + 1],
                    const char *values[PG_CONN_PARAMS + 1]) {
    /* the defaults first: a later keyword, the URL's own included, wins */
    keys[0] = "connect_timeout", values[0] = "5";
    keys[1] = "application_name", values[1] = "mesd";
    keys[2] = "dbname", values[2] = conninfo;
    keys[3] = NULL, values[3] = NULL;
}

void pg_one_line(char *dst, size_t size, const char *prefix, const char *msg) {
    snprintf(dst, size, "%s: %s", prefix, msg && *msg ? msg : "no message");
    char *w = dst;
    for (const char *r = dst; *r; r++) {
        bool space = *r == '\n' || *r == '\r' || *r == ' ' || *r == '\t';
        if (space && (w == dst || w[-1] == ' ')) continue;
        *w++ = space ? ' ' : *r;
    }
    while (w > dst && w[-1] == ' ') w--;
    *w = 0;
}

void pg_result_message(char *dst, size_t size, const PGresult *res) {
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    pg_one_line(dst, size, "database", primary ? primary : res ? PQresultErrorMessage(res) : "no result");
}

static int unavailable(PGconn *db, store_err *err) {
    char msg[sizeof err->message];
    pg_one_line(msg, sizeof msg, "database unavailable", db ? PQerrorMessage(db) : "out of memory");
    return store_set_err(err, STORE_EIO, "%s", msg);
}

PGconn *pg_connect(const char *conninfo, store_err *err) {
    const char *keys[PG_CONN_PARAMS + 1], *values[PG_CONN_PARAMS + 1];
    pg_conn_params(conninfo, keys, values);
    PGconn *db = PQconnectdbParams(keys, values, 1);
    if (db && PQstatus(db) == CONNECTION_OK) return db;
    unavailable(db, err);
    PQfinish(db);
    return NULL;
}

int pg_result_err(PGconn *db, const PGresult *res, store_err *err) {
    if (!res || PQstatus(db) != CONNECTION_OK) return unavailable(db, err);
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    int code = STORE_EIO;
    if (state && (strcmp(state, "23505") == 0 || strcmp(state, "23P01") == 0)) code = STORE_ECONFLICT;
    else if (state && strncmp(state, "23", 2) == 0) code = STORE_EINPUT;
    char msg[sizeof err->message];
    pg_result_message(msg, sizeof msg, res);
    return store_set_err(err, code, "%s", msg);
}

PGresult *pg_exec(PGconn *db, const char *sql, int nparams, const char *const *params, store_err *err) {
    PGresult *res = PQexecParams(db, sql, nparams, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);
    if (res && (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)) return res;
    pg_result_err(db, res, err);
    PQclear(res);
    return NULL;
}

int pg_exec_cmd(PGconn *db, const char *sql, store_err *err) {
    PGresult *res = pg_exec(db, sql, 0, NULL, err);
    if (!res) return err->code;
    PQclear(res);
    return STORE_OK;
}

/* ---- a result's values and parameters ---- */

const char *pg_text(const PGresult *r, int row, int col, gql_arena *a) {
    return PQgetisnull(r, row, col) ? NULL : gql_arena_strdup(a, PQgetvalue(r, row, col));
}

int64_t pg_i64(const PGresult *r, int row, int col) {
    return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

bool pg_bool(const PGresult *r, int row, int col) {
    if (PQgetisnull(r, row, col)) return false;
    const char *v = PQgetvalue(r, row, col);
    return v[0] == 't' || (v[0] >= '1' && v[0] <= '9');
}

const char *pg_i64_param(char buf[PG_I64_LEN], int64_t v) {
    snprintf(buf, PG_I64_LEN, "%" PRId64, v);
    return buf;
}
