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
    /* order and shop-floor writes (store_pg_orders_write.c) */
    .tx_operation_get = pgs_tx_operation_get,
    .tx_process_attrs = pgs_tx_process_attrs,
    .tx_components = pgs_tx_components,
    .tx_station_can = pgs_tx_station_can,
    .tx_order_get = pgs_tx_order_get,
    .tx_order_find_root = pgs_tx_order_find_root,
    .tx_order_insert = pgs_tx_order_insert,
    .tx_order_children = pgs_tx_order_children,
    .tx_order_tree_save = pgs_tx_order_tree_save,
    .tx_order_set_optionals = pgs_tx_order_set_optionals,
    .tx_order_optionals = pgs_tx_order_optionals,
    .tx_tree_optionals = pgs_tx_tree_optionals,
    .tx_orders_cancel = pgs_tx_orders_cancel,
    .tx_order_start = pgs_tx_order_start,
    .tx_order_complete = pgs_tx_order_complete,
    .tx_operator_find_or_create = pgs_tx_operator_find_or_create,
    .tx_names = pgs_tx_names,
    .tx_serial_consume = pgs_tx_serial_consume,
    .tx_serial_produce = pgs_tx_serial_produce,
    .tx_order_summary = pgs_tx_order_summary,
    .tx_note_type = pgs_tx_note_type,
    .tx_note_insert = pgs_tx_note_insert,
};
