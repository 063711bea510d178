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
    /* deploys and webhooks */
    .tx_deploy_process = pgs_tx_deploy_process,
    .tx_deploy_product = pgs_tx_deploy_product,
    .tx_deploy_station = pgs_tx_deploy_station,
    .tx_webhook_outbox_fill = pgs_tx_webhook_outbox_fill,
    .tx_webhook_put = pgs_tx_webhook_put,
    .tx_webhook_delete = pgs_tx_webhook_delete,
    .webhooks_list = pgs_webhooks_list,
    .webhooks_due = pgs_webhooks_due,
    .webhook_head = pgs_webhook_head,
    .tx_webhook_delivered = pgs_tx_webhook_delivered,
    .tx_webhook_failed = pgs_tx_webhook_failed,
    .webhooks_counts = pgs_webhooks_counts,
};
