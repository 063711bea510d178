/*
 * store_pg_backend.c: the PostgreSQL backend's table (store_backend.h). What
 * is not listed answers "not supported on PostgreSQL yet" (store_dispatch.c);
 * docs/postgres-plan.md says what is still to port.
 */
#include "store_pg.h"

const store_backend store_pg_backend = {
    .name = "PostgreSQL",
    .close = pgs_close,
    .schema_version = pgs_schema_version,
    .exec_sync = pgs_exec_sync,
    .submit = pgs_submit,
    .stream_heads = pgs_stream_heads,
    .tx_token_create = pgs_tx_token_create,
    .tx_token_revoke = pgs_tx_token_revoke,
    .token_verify = pgs_token_verify,
    .tokens_list = pgs_tokens_list,
    .tokens_empty = pgs_tokens_empty,
};
