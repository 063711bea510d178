/*
 * pg_conn.h: one PostgreSQL connection driven by a libuv loop (issue 7; the
 * loop side of docs/postgres.md: reads and LISTEN).
 *
 * Statements are queued and pipelined (libpq pipeline mode, one Sync after
 * each, so a statement that fails does not abort the ones behind it); each
 * accepted query completes exactly once, on the loop, with its result or an
 * error. Statements registered with pg_conn_prepare are prepared once per
 * connection, by name, and again after every reconnect, before any query
 * queued behind them. Losing the connection fails every query sent or queued
 * with "database unavailable: …", tells the owner (state callback: down), and
 * reconnects with backoff (100 ms doubling to 5 s); once connected again the
 * statements are prepared, the channels LISTENed to, and the owner told "up"
 * (so it can re-read from its last seq whatever a notification may have
 * missed while it was down).
 *
 * Must never: make a blocking libpq call on the loop (PQconnectStart and
 * PQconnectPoll only; a host NAME is resolved by libpq synchronously, so
 * mesd's --db should name an address or a socket directory), call a query's
 * callback twice or not at all, or trust a notification to carry data (it is
 * a wake-up; the payload is handed on as is).
 */
#ifndef MESD_PG_CONN_H
#define MESD_PG_CONN_H
#include <libpq-fe.h>
#include <stdbool.h>
#include <uv.h>

typedef struct pg_conn pg_conn;

/* What a query ended with. res is the statement's result when it ran (also a
 * failed one: PQresultErrorField gives its SQLSTATE) and is freed once the
 * callback returns; error is NULL on success. unavailable: the connection was
 * lost or closed before the statement's answer arrived (its effect unknown). */
typedef struct pg_reply {
    const PGresult *res;
    const char *error;
    bool unavailable;
    struct pg_item *item;   /* pg_conn's own */
} pg_reply;

/* Inside a reply callback: keeps res beyond the callback (the caller
 * PQclears it); r->res must not be used after. */
PGresult *pg_reply_take(const pg_reply *r);

typedef void (*pg_reply_fn)(void *arg, const pg_reply *r);
/* up: connected, statements prepared, channels listened to. !up: why it went
 * down. Called on transitions only (not for each failed reconnect). */
typedef void (*pg_state_fn)(void *ctx, bool up, const char *why);
typedef void (*pg_notify_fn)(void *ctx, const char *channel, const char *payload);

enum {
    PG_CONN_OK = 0,
    PG_CONN_EDOWN,    /* down between reconnects, or closed: fn will not be called (pg_conn_error says why) */
    PG_CONN_EINPUT    /* unknown statement name, bad channel name, too many parameters */
};

/* Starts connecting (conninfo: a libpq URL or key=value string). Queries may
 * be queued at once; they are sent when the connection is up. */
pg_conn *pg_conn_open(uv_loop_t *loop, const char *conninfo, pg_state_fn on_state, void *ctx);

/* Registers a statement (name unique; sql with $1, $2, … parameters, types
 * inferred by the server) and prepares it now if connected. */
int pg_conn_prepare(pg_conn *c, const char *name, const char *sql);

/* Runs a registered statement with text parameters (NULL entries: SQL NULL;
 * copied). fn runs once on the loop, never before this returns. */
int pg_conn_query(pg_conn *c, const char *name, int nparams, const char *const *params, pg_reply_fn fn,
                  void *arg);

/* Runs one unprepared statement (same contract as pg_conn_query). */
int pg_conn_exec(pg_conn *c, const char *sql, int nparams, const char *const *params, pg_reply_fn fn, void *arg);

/* LISTENs to channel (lower-case letters, digits, _) on this and every later
 * connection; fn is called for each notification. */
int pg_conn_listen(pg_conn *c, const char *channel, pg_notify_fn fn, void *ctx);

bool pg_conn_is_up(const pg_conn *c);
const char *pg_conn_error(const pg_conn *c);   /* why it is down ("" while up) */
int pg_conn_backend_pid(const pg_conn *c);     /* 0 when not connected */

/* Fails what is queued ("database unavailable: the connection is closed"),
 * disconnects; the memory goes once the loop has closed the handles. */
void pg_conn_close(pg_conn *c);

#endif
