/*
 * store_pg.h: what the PostgreSQL backend's files (store_pg_*.c) share: its
 * part of the store and its functions (the table: store_pg_backend.c).
 *
 * So far the command line's backend (issue 7, first wiring): a store opened
 * without a loop, reads on one blocking connection, and writes through a
 * pg_writer on a loop of the store's own that store_exec_sync runs until its
 * job is done. A store with a loop (mesd serve) is refused until the read
 * passes of docs/postgres.md exist.
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
    bool heads_force;                    /* tell the listener at the next heads even if none moved */
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
__typeof__(store_tx_savepoint) pgs_tx_savepoint;
__typeof__(store_tx_release) pgs_tx_release;
__typeof__(store_tx_rollback) pgs_tx_rollback;
__typeof__(store_tx_append_event) pgs_tx_append_event;
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
/* Each parent's rows by its own index probe: "CROSS JOIN LATERAL (select
 * OFFSET 0) alias", select's WHERE naming p.v. The planner cannot count
 * PGS_PARENTS (a function: 100 rows, whatever the array) and, with a
 * plain join, hashes the parents against a full scan of the child table,
 * the whole table read for 2 parents; OFFSET 0 keeps it from flattening
 * the subquery into that join, so it runs once per parent (a nested loop
 * over an index scan), whatever it guesses. */
#define PGS_PROBE(select, alias) " CROSS JOIN LATERAL (" select " OFFSET 0) " alias
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
__typeof__(store_stream_read_upto) pgs_stream_read;
__typeof__(store_orders_list) pgs_orders_list;
__typeof__(store_orders_by_ids) pgs_orders_by_ids;
__typeof__(store_orders_children_of) pgs_orders_children_of;
__typeof__(store_work_orders) pgs_work_orders;
__typeof__(store_operators_list) pgs_operators_list;
__typeof__(store_operators_by_ids) pgs_operators_by_ids;
__typeof__(store_stations_by_ids) pgs_stations_by_ids;
/* ---- order and shop-floor writes (store_pg_orders_write.c,
 * store_pg_floor_write.c, store_pg_work_order_events.c,
 * store_pg_sqlite_err.c) ---- */
__typeof__(store_tx_operation_get) pgs_tx_operation_get;
__typeof__(store_tx_process_attrs) pgs_tx_process_attrs;
__typeof__(store_tx_components) pgs_tx_components;
__typeof__(store_tx_station_can) pgs_tx_station_can;
__typeof__(store_tx_order_get) pgs_tx_order_get;
__typeof__(store_tx_order_find_root) pgs_tx_order_find_root;
__typeof__(store_tx_order_insert) pgs_tx_order_insert;
__typeof__(store_tx_order_children) pgs_tx_order_children;
__typeof__(store_tx_order_tree_save) pgs_tx_order_tree_save;
__typeof__(store_tx_order_set_optionals) pgs_tx_order_set_optionals;
__typeof__(store_tx_order_optionals) pgs_tx_order_optionals;
__typeof__(store_tx_tree_optionals) pgs_tx_tree_optionals;
__typeof__(store_tx_orders_cancel) pgs_tx_orders_cancel;
__typeof__(store_tx_order_start) pgs_tx_order_start;
__typeof__(store_tx_order_complete) pgs_tx_order_complete;
__typeof__(store_tx_operator_find_or_create) pgs_tx_operator_find_or_create;
__typeof__(store_tx_names) pgs_tx_names;
__typeof__(store_tx_serial_consume) pgs_tx_serial_consume;
__typeof__(store_tx_serial_produce) pgs_tx_serial_produce;
__typeof__(store_tx_order_summary) pgs_tx_order_summary;
__typeof__(store_tx_note_type) pgs_tx_note_type;
__typeof__(store_tx_note_insert) pgs_tx_note_insert;
/* A constraint violation pg_tx_query reported, told as SQLite's
 * store_sqlite_err tells it: STORE_ECONFLICT, "<what>: UNIQUE constraint
 * failed: notes.id" and the like. Any other error is left as it is. */
int pgs_sqlite_err(store_err *err, const char *what);
/* Runs a write job's statement and reads every row into a new array (in
 * a) of `size`-byte zeroed items with read(); *n rows (the array is never
 * NULL). pgs_tx_row: at most one, *out NULL when none. */
typedef void (*pgs_row_fn)(const PGresult *r, int row, gql_arena *a, void *item);
int pgs_tx_rows(store_tx *tx, const char *name, const char *sql, int nparams, const char *const *params,
                gql_arena *a, size_t size, pgs_row_fn read, void **out, size_t *n, const char *what, store_err *err);
int pgs_tx_row(store_tx *tx, const char *name, const char *sql, int nparams, const char *const *params,
               gql_arena *a, size_t size, pgs_row_fn read, void **out, const char *what, store_err *err);
/* The ids of an order's tree (the order and its descendants), as a CTE
 * named `tree` opening a WITH list (a comma after it continues the list). */
#define PGS_TREE_OF(param)                                                                                   \
    "WITH RECURSIVE tree(id) AS (SELECT " param " UNION ALL"                                                 \
    " SELECT o.id FROM tree t" PGS_PROBE("SELECT o.id FROM operation_orders o WHERE o.parent_id = t.id", "o") ")"
/* The work-order stream: CTEs ev, h and ins continuing a WITH list (after
 * "WITH" or a CTE and a comma) that append one event per PROCESS order
 * `o` of `from` (operation_orders, or a CTE of the rows an UPDATE just
 * changed, with columns id and operation_id) that `where` selects; status
 * and at are SQL expressions over o. The seqs come from stream_heads in one
 * UPDATE (only when there is an event): gap-free, in order id order, under
 * the stream's row lock until commit. ins returns each seq. Because h
 * reads ev, an UPDATE that `from` names has locked its rows before h takes
 * the stream's lock: the lock is taken last, as docs/postgres.md
 * wants (fewer deadlocks with another instance's writes). */
#define PGS_WO_EVENTS(from, status, at, where)                                                               \
    " ev AS (SELECT o.id, o.operation_id, " status " AS status, row_number() OVER (ORDER BY o.id) AS n"     \
    " FROM " from " JOIN operations k ON k.id = o.operation_id WHERE k.kind = 'PROCESS' AND " where "),"    \
    " h AS (UPDATE stream_heads SET head = head + (SELECT count(*) FROM ev)"                                \
    " WHERE stream = 'work_orders' AND EXISTS (SELECT 1 FROM ev) RETURNING head),"                          \
    " ins AS (INSERT INTO work_order_events (seq, order_id, operation_id, status, at)"                      \
    " SELECT h.head - (SELECT count(*) FROM ev) + ev.n, ev.id, ev.operation_id, ev.status, " at             \
    " FROM ev CROSS JOIN h ORDER BY ev.n RETURNING seq)"
/* The event of one order whose status a write just set (none for a
 * product or subassembly order). */
int pgs_wo_event_of(store_tx *tx, int64_t order_id, store_err *err);
/* deploys (store_pg_deploy.c) and webhooks (store_pg_webhooks.c) */
__typeof__(store_tx_deploy_process) pgs_tx_deploy_process;
__typeof__(store_tx_deploy_product) pgs_tx_deploy_product;
__typeof__(store_tx_deploy_station) pgs_tx_deploy_station;
__typeof__(store_tx_webhook_outbox_fill) pgs_tx_webhook_outbox_fill;
__typeof__(store_tx_webhook_put) pgs_tx_webhook_put;
__typeof__(store_tx_webhook_delete) pgs_tx_webhook_delete;
__typeof__(store_webhooks_list) pgs_webhooks_list;
__typeof__(store_webhooks_due) pgs_webhooks_due;
__typeof__(store_webhook_head) pgs_webhook_head;
__typeof__(store_tx_webhook_delivered) pgs_tx_webhook_delivered;
__typeof__(store_tx_webhook_failed) pgs_tx_webhook_failed;
__typeof__(store_webhooks_counts) pgs_webhooks_counts;

#endif
