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
    /* reads (store_pg_read.c, store_pg_orders_read.c) */
    .operations_list = pgs_operations_list,
    .sub_operations_list = pgs_sub_operations_list,
    .stations_list = pgs_stations_list,
    .operation_get = pgs_operation_get,
    .station_get = pgs_station_get,
    .operations_by_ids = pgs_operations_by_ids,
    .consumed_attrs_of = pgs_consumed_attrs_of,
    .tree_attrs_of = pgs_tree_attrs_of,
    .tree_produces_serial_of = pgs_tree_produces_serial_of,
    .sub_operations_of = pgs_sub_operations_of,
    .steps_of = pgs_steps_of,
    .actions_of = pgs_actions_of,
    .station_processes_of = pgs_station_processes_of,
    .snapshot_begin = pgs_snapshot_begin,
    .snapshot_end = pgs_snapshot_end,
    .stream_read = pgs_stream_read,
    .orders_list = pgs_orders_list,
    .orders_by_ids = pgs_orders_by_ids,
    .orders_children_of = pgs_orders_children_of,
    .work_orders = pgs_work_orders,
    .operators_list = pgs_operators_list,
    .operators_by_ids = pgs_operators_by_ids,
    .stations_by_ids = pgs_stations_by_ids,
};
