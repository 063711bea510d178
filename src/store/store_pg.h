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

typedef struct store_pg {
    char *conninfo;
    PGconn *db;          /* migrations and reads (blocking) */
    int version;
    uv_loop_t loop;      /* the writer's results come back here */
    bool loop_ready;
    pg_writer *w;        /* started by the first store_exec_sync */
} store_pg;

__typeof__(store_close) pgs_close;
__typeof__(store_schema_version) pgs_schema_version;
__typeof__(store_exec_sync) pgs_exec_sync;
__typeof__(store_tx_token_create) pgs_tx_token_create;
__typeof__(store_tx_token_revoke) pgs_tx_token_revoke;
__typeof__(store_token_verify) pgs_token_verify;
__typeof__(store_tokens_list) pgs_tokens_list;
__typeof__(store_tokens_empty) pgs_tokens_empty;

#endif
