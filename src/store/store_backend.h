/*
 * store_backend.h: how store.h's functions reach a backend (issue 7). Every
 * public function that touches a database dispatches through the store's
 * table (store->be): SQLite's is store_sqlite_backend (the store_*.c files,
 * their functions named sq_*), PostgreSQL's is store_pg_backend (the
 * store_pg_*.c files, named pgs_*), one file per area and backend so a
 * function's two dialects can be read side by side. A member left NULL is a
 * function the backend does not have yet: store_dispatch.c answers
 * STORE_EIO "<function>: not supported on <backend> yet" instead of calling
 * it. Each member has exactly the public function's type (__typeof__), so
 * the compiler checks both tables against store.h.
 *
 * Functions that only touch what every store has (the listener, the commit
 * counter, the metrics, a job's clock) are not dispatched.
 */
#ifndef MESD_STORE_BACKEND_H
#define MESD_STORE_BACKEND_H
#include "store.h"

typedef struct store_backend {
    const char *name;   /* "SQLite", "PostgreSQL": for messages */
    __typeof__(store_close) *close;
    __typeof__(store_schema_version) *schema_version;
    __typeof__(store_submit) *submit;
    __typeof__(store_exec_sync) *exec_sync;
    __typeof__(store_stream_heads) *stream_heads;
    __typeof__(store_tx_append_event) *tx_append_event;
    __typeof__(store_tx_savepoint) *tx_savepoint;
    __typeof__(store_tx_release) *tx_release;
    __typeof__(store_tx_rollback) *tx_rollback;
    __typeof__(store_tx_token_create) *tx_token_create;
    __typeof__(store_tx_token_revoke) *tx_token_revoke;
    __typeof__(store_token_verify) *token_verify;
    __typeof__(store_tokens_list) *tokens_list;
    __typeof__(store_tokens_empty) *tokens_empty;
    __typeof__(store_operations_list) *operations_list;
    __typeof__(store_sub_operations_list) *sub_operations_list;
    __typeof__(store_stations_list) *stations_list;
    __typeof__(store_operation_get) *operation_get;
    __typeof__(store_station_get) *station_get;
    __typeof__(store_operations_by_ids) *operations_by_ids;
    __typeof__(store_consumed_attrs_of) *consumed_attrs_of;
    __typeof__(store_tree_attrs_of) *tree_attrs_of;
    __typeof__(store_tree_produces_serial_of) *tree_produces_serial_of;
    __typeof__(store_sub_operations_of) *sub_operations_of;
    __typeof__(store_steps_of) *steps_of;
    __typeof__(store_actions_of) *actions_of;
    __typeof__(store_station_processes_of) *station_processes_of;
    __typeof__(store_snapshot_begin) *snapshot_begin;
    __typeof__(store_snapshot_end) *snapshot_end;
    __typeof__(store_stream_read_upto) *stream_read;
    __typeof__(store_tx_deploy_process) *tx_deploy_process;
    __typeof__(store_tx_deploy_product) *tx_deploy_product;
    __typeof__(store_tx_deploy_station) *tx_deploy_station;
    __typeof__(store_tx_operation_get) *tx_operation_get;
    __typeof__(store_tx_process_attrs) *tx_process_attrs;
    __typeof__(store_tx_components) *tx_components;
    __typeof__(store_tx_station_can) *tx_station_can;
    __typeof__(store_tx_order_get) *tx_order_get;
    __typeof__(store_tx_order_find_root) *tx_order_find_root;
    __typeof__(store_tx_order_insert) *tx_order_insert;
    __typeof__(store_tx_order_children) *tx_order_children;
    __typeof__(store_tx_order_tree_save) *tx_order_tree_save;
    __typeof__(store_tx_order_set_optionals) *tx_order_set_optionals;
    __typeof__(store_tx_order_optionals) *tx_order_optionals;
    __typeof__(store_tx_tree_optionals) *tx_tree_optionals;
    __typeof__(store_tx_orders_cancel) *tx_orders_cancel;
    __typeof__(store_tx_order_start) *tx_order_start;
    __typeof__(store_tx_order_complete) *tx_order_complete;
    __typeof__(store_tx_operator_find_or_create) *tx_operator_find_or_create;
    __typeof__(store_tx_names) *tx_names;
    __typeof__(store_tx_serial_consume) *tx_serial_consume;
    __typeof__(store_tx_serial_produce) *tx_serial_produce;
    __typeof__(store_tx_order_summary) *tx_order_summary;
    __typeof__(store_tx_note_type) *tx_note_type;
    __typeof__(store_tx_note_insert) *tx_note_insert;
    __typeof__(store_orders_list) *orders_list;
    __typeof__(store_orders_by_ids) *orders_by_ids;
    __typeof__(store_orders_children_of) *orders_children_of;
    __typeof__(store_work_orders) *work_orders;
    __typeof__(store_operators_list) *operators_list;
    __typeof__(store_operators_by_ids) *operators_by_ids;
    __typeof__(store_stations_by_ids) *stations_by_ids;
    __typeof__(store_tx_webhook_outbox_fill) *tx_webhook_outbox_fill;
    __typeof__(store_tx_webhook_put) *tx_webhook_put;
    __typeof__(store_tx_webhook_delete) *tx_webhook_delete;
    __typeof__(store_webhooks_list) *webhooks_list;
    __typeof__(store_webhooks_due) *webhooks_due;
    __typeof__(store_webhook_head) *webhook_head;
    __typeof__(store_tx_webhook_delivered) *tx_webhook_delivered;
    __typeof__(store_tx_webhook_failed) *tx_webhook_failed;
    __typeof__(store_webhooks_counts) *webhooks_counts;
} store_backend;

extern const store_backend store_sqlite_backend, store_pg_backend;

/* STORE_EIO "<what>: not supported on <backend> yet". */
int store_unsupported(const store *s, const char *what, store_err *err);

/* PostgreSQL: store_open's part for a postgres:// URL (store_pg_open.c). */
store *store_pg_open(const char *url, uv_loop_t *loop, store_err *err);

/* The SQLite backend's functions (store_*.c). */
__typeof__(store_close) sq_close;
__typeof__(store_schema_version) sq_schema_version;
__typeof__(store_submit) sq_submit;
__typeof__(store_exec_sync) sq_exec_sync;
__typeof__(store_stream_heads) sq_stream_heads;
__typeof__(store_tx_append_event) sq_tx_append_event;
__typeof__(store_tx_savepoint) sq_tx_savepoint;
__typeof__(store_tx_release) sq_tx_release;
__typeof__(store_tx_rollback) sq_tx_rollback;
__typeof__(store_tx_token_create) sq_tx_token_create;
__typeof__(store_tx_token_revoke) sq_tx_token_revoke;
__typeof__(store_token_verify) sq_token_verify;
__typeof__(store_tokens_list) sq_tokens_list;
__typeof__(store_tokens_empty) sq_tokens_empty;
__typeof__(store_operations_list) sq_operations_list;
__typeof__(store_sub_operations_list) sq_sub_operations_list;
__typeof__(store_stations_list) sq_stations_list;
__typeof__(store_operation_get) sq_operation_get;
__typeof__(store_station_get) sq_station_get;
__typeof__(store_operations_by_ids) sq_operations_by_ids;
__typeof__(store_consumed_attrs_of) sq_consumed_attrs_of;
__typeof__(store_tree_attrs_of) sq_tree_attrs_of;
__typeof__(store_tree_produces_serial_of) sq_tree_produces_serial_of;
__typeof__(store_sub_operations_of) sq_sub_operations_of;
__typeof__(store_steps_of) sq_steps_of;
__typeof__(store_actions_of) sq_actions_of;
__typeof__(store_station_processes_of) sq_station_processes_of;
__typeof__(store_snapshot_begin) sq_snapshot_begin;
__typeof__(store_snapshot_end) sq_snapshot_end;
__typeof__(store_stream_read_upto) sq_stream_read;
__typeof__(store_tx_deploy_process) sq_tx_deploy_process;
__typeof__(store_tx_deploy_product) sq_tx_deploy_product;
__typeof__(store_tx_deploy_station) sq_tx_deploy_station;
__typeof__(store_tx_operation_get) sq_tx_operation_get;
__typeof__(store_tx_process_attrs) sq_tx_process_attrs;
__typeof__(store_tx_components) sq_tx_components;
__typeof__(store_tx_station_can) sq_tx_station_can;
__typeof__(store_tx_order_get) sq_tx_order_get;
__typeof__(store_tx_order_find_root) sq_tx_order_find_root;
__typeof__(store_tx_order_insert) sq_tx_order_insert;
__typeof__(store_tx_order_children) sq_tx_order_children;
__typeof__(store_tx_order_tree_save) sq_tx_order_tree_save;
__typeof__(store_tx_order_set_optionals) sq_tx_order_set_optionals;
__typeof__(store_tx_order_optionals) sq_tx_order_optionals;
__typeof__(store_tx_tree_optionals) sq_tx_tree_optionals;
__typeof__(store_tx_orders_cancel) sq_tx_orders_cancel;
__typeof__(store_tx_order_start) sq_tx_order_start;
__typeof__(store_tx_order_complete) sq_tx_order_complete;
__typeof__(store_tx_operator_find_or_create) sq_tx_operator_find_or_create;
__typeof__(store_tx_names) sq_tx_names;
__typeof__(store_tx_serial_consume) sq_tx_serial_consume;
__typeof__(store_tx_serial_produce) sq_tx_serial_produce;
__typeof__(store_tx_order_summary) sq_tx_order_summary;
__typeof__(store_tx_note_type) sq_tx_note_type;
__typeof__(store_tx_note_insert) sq_tx_note_insert;
__typeof__(store_orders_list) sq_orders_list;
__typeof__(store_orders_by_ids) sq_orders_by_ids;
__typeof__(store_orders_children_of) sq_orders_children_of;
__typeof__(store_work_orders) sq_work_orders;
__typeof__(store_operators_list) sq_operators_list;
__typeof__(store_operators_by_ids) sq_operators_by_ids;
__typeof__(store_stations_by_ids) sq_stations_by_ids;
__typeof__(store_tx_webhook_outbox_fill) sq_tx_webhook_outbox_fill;
__typeof__(store_tx_webhook_put) sq_tx_webhook_put;
__typeof__(store_tx_webhook_delete) sq_tx_webhook_delete;
__typeof__(store_webhooks_list) sq_webhooks_list;
__typeof__(store_webhooks_due) sq_webhooks_due;
__typeof__(store_webhook_head) sq_webhook_head;
__typeof__(store_tx_webhook_delivered) sq_tx_webhook_delivered;
__typeof__(store_tx_webhook_failed) sq_tx_webhook_failed;
__typeof__(store_webhooks_counts) sq_webhooks_counts;
#endif
