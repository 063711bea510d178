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
