/*
 * store_pg.h: what the PostgreSQL backend's files (store_pg_*.c) share: its
 * part of the store and its functions (the table: store_pg_backend.c).
 *
 * So far the command line's backend (issue 7, first wiring): a store opened
 * without a loop, reads on one blocking connection, and writes through a
 * pg_writer on a loop of the store's own that store_exec_sync runs until its
 * job is done. A store with a loop (mesd serve) is refused until the read
 * passes of docs/postgres-plan.md exist.
 *
 * Must never: be reached from a loop that serves (every call here blocks).
 */
#ifndef MESD_STORE_PG_H
#define MESD_STORE_PG_H
#include <libpq-fe.h>
#include "pg_writer.h"
#include "store_internal.h"
#include "store_token_secret.h"

/* An SQL text prepared on the loop's connection, by name. */
typedef struct pgs_name {
    struct pgs_name *next;
    char *sql;
    char name[24];
} pgs_name;
#define PGS_NAME_BUCKETS 1024

/* A token as the server keeps it in memory (store_pg_server.c). */
typedef struct pgs_token {
    store_token t;                 /* strings malloc'd */
    unsigned char hash[STORE_TOKEN_HASH_LEN];
} pgs_token;

typedef struct store_pg {
    char *conninfo;
    PGconn *db;          /* migrations, the command line's reads, start-up (blocking) */
    int version;
    uv_loop_t loop;      /* the command line: the writer's results come back here */
    bool loop_ready;
    pg_writer *w;        /* the command line: started by the first store_exec_sync */

    /* the server (a store opened with a loop: store_pg_server.c) */
    uv_loop_t *server_loop;
    struct pg_conn *rc;  /* the passes' reads, and LISTEN */
    pgs_name *names[PGS_NAME_BUCKETS];
    size_t nnames;
    int64_t heads[STORE_STREAM_COUNT];   /* highest committed seq this instance knows of */
    bool rc_down;                        /* the loop's connection was lost and is not back */
    bool heads_reading, heads_again;     /* a read of stream_heads is out; another wanted after it */
    pgs_token *tokens;                   /* every token, revoked included */
    size_t ntokens;
    bool tokens_reading, tokens_again;
} store_pg;

/* ---- reads (store_pg_reads.c) ----
 * Every read function of the PostgreSQL backend gets its rows here:
 *
 *   const PGresult *r;
 *   if (pgs_read(s, "SELECT … WHERE id = $1", 1, params, &r, err)) return err->code;
 *   … PQntuples(r), pg_text(r, row, col, a) …
 *   pgs_read_release(s, r);
 *
 * Inside a read session (the server's loop: store_reads_begin) the result
 * is the one an earlier pass of the session fetched for the same (sql,
 * params); the first time, the statement is recorded as wanted and the
 * call answers STORE_PENDING (err says so): return it at once, the pass is
 * thrown away and run again once the statement's result is in. A function
 * that needs two statements, the second built from the first's rows, just
 * calls pgs_read twice: each pending costs one more pass. Outside a session
 * (the command line; start-up before the loop serves) the statement runs at
 * once on the store's blocking connection.
 *
 * sql uses $1, $2, … ; params are text (NULL entries: SQL NULL), copied if
 * kept. A statement that fails gives its error (STORE_EIO with the server's
 * message; a lost connection: "database unavailable: …"). Never PQclear
 * the result: pgs_read_release it (a session's results live as long as the
 * session). */
int pgs_read(store *s, const char *sql, int nparams, const char *const *params, const PGresult **out,
             store_err *err);
void pgs_read_release(store *s, const PGresult *r);

/* ---- the server (store_pg_server.c) ---- */
/* Opens the server's parts on loop: the writer, the loop's connection
 * (reads, LISTEN), the tokens and stream heads read once (blocking: before
 * the loop serves). */
int pgs_server_start(store *s, uv_loop_t *loop, store_err *err);
void pgs_server_stop(store *s);
/* store_token_verify on the server: the tokens in memory. */
bool pgs_server_token_verify(store *s, const char *token, gql_arena *a, store_token *out);
__typeof__(store_submit) pgs_submit;
__typeof__(store_stream_heads) pgs_stream_heads;

__typeof__(store_close) pgs_close;
__typeof__(store_schema_version) pgs_schema_version;
__typeof__(store_exec_sync) pgs_exec_sync;
__typeof__(store_tx_token_create) pgs_tx_token_create;
__typeof__(store_tx_token_revoke) pgs_tx_token_revoke;
__typeof__(store_token_verify) pgs_token_verify;
__typeof__(store_tokens_list) pgs_tokens_list;
__typeof__(store_tokens_empty) pgs_tokens_empty;

/* ---- reads (store_pg_read.c, store_pg_orders_read.c) ---- */
/* A row's columns from first_col on into item (one of store.h's row types). */
typedef void (*pgs_read_fn)(const PGresult *r, int row, int first_col, gql_arena *a, void *item);
void pgs_read_operation(const PGresult *r, int row, int first_col, gql_arena *a, void *item);  /* STORE_OP_COLS */
void pgs_read_station(const PGresult *r, int row, int first_col, gql_arena *a, void *item);    /* id, name, updated_at */
/* Every row of sql into a new array in a (never NULL) of `size`-byte zeroed items. */
int pgs_read_rows(store *s, const char *sql, int nparams, const char *const *params, gql_arena *a, size_t size,
                  pgs_read_fn fn, void **out, size_t *n, store_err *err);
/* Children of many parents in one statement: $1 is json (a JSON array of
 * the parents, freed here), column 0 the parent's index (ordered first);
 * parent i's items are items[first[i] .. first[i+1]). */
int pgs_read_children(store *s, const char *sql, char *json, size_t nparents, gql_arena *a, size_t size,
                      pgs_read_fn fn, void **items, size_t *count, size_t **first, store_err *err);
/* The parents of pgs_read_children's statement: p.v each (text), p.i its
 * place from 1. */
#define PGS_PARENTS "jsonb_array_elements_text($1::jsonb) WITH ORDINALITY AS p(v, i)"
/* "select_from [WHERE <where over t0>] ORDER BY order LIMIT … OFFSET …" */
int pgs_read_list(store *s, const char *select_from, store_entity e, const store_filter *where, const char *order,
                  int64_t limit, int64_t offset, gql_arena *a, size_t size, pgs_read_fn fn, void **out, size_t *n,
                  store_err *err);
__typeof__(store_operations_list) pgs_operations_list;
__typeof__(store_sub_operations_list) pgs_sub_operations_list;
__typeof__(store_stations_list) pgs_stations_list;
__typeof__(store_operation_get) pgs_operation_get;
__typeof__(store_station_get) pgs_station_get;
__typeof__(store_operations_by_ids) pgs_operations_by_ids;
__typeof__(store_consumed_attrs_of) pgs_consumed_attrs_of;
__typeof__(store_tree_attrs_of) pgs_tree_attrs_of;
__typeof__(store_tree_produces_serial_of) pgs_tree_produces_serial_of;
__typeof__(store_sub_operations_of) pgs_sub_operations_of;
__typeof__(store_steps_of) pgs_steps_of;
__typeof__(store_actions_of) pgs_actions_of;
__typeof__(store_station_processes_of) pgs_station_processes_of;
__typeof__(store_snapshot_begin) pgs_snapshot_begin;
__typeof__(store_snapshot_end) pgs_snapshot_end;
__typeof__(store_stream_read) pgs_stream_read;
__typeof__(store_orders_list) pgs_orders_list;
__typeof__(store_orders_by_ids) pgs_orders_by_ids;
__typeof__(store_orders_children_of) pgs_orders_children_of;
__typeof__(store_work_orders) pgs_work_orders;
__typeof__(store_operators_list) pgs_operators_list;
__typeof__(store_operators_by_ids) pgs_operators_by_ids;
__typeof__(store_stations_by_ids) pgs_stations_by_ids;

#endif
