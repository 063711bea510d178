/*
 * store_dispatch.c: store.h's functions, each handed to the store's backend
 * (store_backend.h). A function the backend lacks answers STORE_EIO and
 * changes nothing, so a PostgreSQL store that only some commands can use
 * yet never crashes on the others.
 */
#include "store_backend.h"
#include "store_internal.h"

int store_unsupported(const store *s, const char *what, store_err *err) {
    return store_set_err(err, STORE_EIO, "%s: not supported on %s yet", what, s->be->name);
}

/* The backend's function, or the error when it has none. */
#define DISPATCH(st, fn, ...) return (st)->be->fn ? (st)->be->fn(__VA_ARGS__) : store_unsupported((st), #fn, err)

void store_close(store *s) {
    if (s) s->be->close(s);
}

int store_schema_version(store *s) { return s->be->schema_version(s); }

/* No err to fill: a backend without a writer thread refuses the job (done
 * is not called, as for a full queue). */
int store_submit(store *s, store_job_fn run, store_done_fn done, void *arg) {
    return s->be->submit ? s->be->submit(s, run, done, arg) : STORE_EIO;
}

/* An unknown token, as far as a backend without the lookup can tell. */
bool store_token_verify(store *s, const char *token, gql_arena *a, store_token *out) {
    return s->be->token_verify ? s->be->token_verify(s, token, a, out) : false;
}

void store_snapshot_end(store *s) {
    if (s->be->snapshot_end) s->be->snapshot_end(s);
}

int store_exec_sync(store *s, store_job_fn run, void *arg, store_err *err) {
    DISPATCH(s, exec_sync, s, run, arg, err);
}

int store_stream_heads(store *s, int64_t head[STORE_STREAM_COUNT], store_err *err) {
    STORE_READ_GATE(s, err, "");
    DISPATCH(s, stream_heads, s, head, err);
}

int store_tx_append_event(store_tx *tx, store_stream stream, const char *ref, const char *payload_json,
                          int64_t *seq_out, store_err *err) {
    DISPATCH(tx->s, tx_append_event, tx, stream, ref, payload_json, seq_out, err);
}

int store_tx_savepoint(store_tx *tx, store_savepoint *sp, store_err *err) {
    DISPATCH(tx->s, tx_savepoint, tx, sp, err);
}

int store_tx_release(store_tx *tx, store_err *err) {
    DISPATCH(tx->s, tx_release, tx, err);
}

int store_tx_rollback(store_tx *tx, const store_savepoint *sp, store_err *err) {
    DISPATCH(tx->s, tx_rollback, tx, sp, err);
}

int store_tx_token_create(store_tx *tx, const char *role, const char *name, const char *station_id,
                          char token_out[STORE_TOKEN_MAX], char id_out[STORE_TOKEN_ID_LEN + 1], store_err *err) {
    DISPATCH(tx->s, tx_token_create, tx, role, name, station_id, token_out, id_out, err);
}

int store_tx_token_revoke(store_tx *tx, const char *id, store_err *err) {
    DISPATCH(tx->s, tx_token_revoke, tx, id, err);
}

int store_tokens_list(store *s, gql_arena *a, store_token **out, size_t *n, store_err *err) {
    STORE_READ_GATE(s, err, "");
    DISPATCH(s, tokens_list, s, a, out, n, err);
}

int store_tokens_empty(store *s, bool *empty, store_err *err) {
    STORE_READ_GATE(s, err, "");
    DISPATCH(s, tokens_empty, s, empty, err);
}

int store_operations_list(store *s, const store_filter *where, int64_t limit, int64_t offset, gql_arena *a,
                          store_operation **out, size_t *n, store_err *err) {
    STORE_READ_GATE(s, err, "fii", where, limit, offset);
    DISPATCH(s, operations_list, s, where, limit, offset, a, out, n, err);
}

int store_sub_operations_list(store *s, const store_filter *where, int64_t limit, int64_t offset, gql_arena *a,
                              store_sub_operation **out, size_t *n, store_err *err) {
    STORE_READ_GATE(s, err, "fii", where, limit, offset);
    DISPATCH(s, sub_operations_list, s, where, limit, offset, a, out, n, err);
}

int store_stations_list(store *s, const store_filter *where, int64_t limit, int64_t offset, gql_arena *a,
                        store_station **out, size_t *n, store_err *err) {
    STORE_READ_GATE(s, err, "fii", where, limit, offset);
    DISPATCH(s, stations_list, s, where, limit, offset, a, out, n, err);
}

int store_operation_get(store *s, const char *id, gql_arena *a, store_operation **out, store_err *err) {
    STORE_READ_GATE(s, err, "s", id);
    DISPATCH(s, operation_get, s, id, a, out, err);
}

int store_station_get(store *s, const char *id, gql_arena *a, store_station **out, store_err *err) {
    STORE_READ_GATE(s, err, "s", id);
    DISPATCH(s, station_get, s, id, a, out, err);
}

int store_operations_by_ids(store *s, const char *const *ids, size_t n, gql_arena *a, store_operations *out,
                            store_err *err) {
    STORE_READ_GATE(s, err, "S", ids, n);
    DISPATCH(s, operations_by_ids, s, ids, n, a, out, err);
}

int store_consumed_attrs_of(store *s, const char *const *op_ids, size_t n, gql_arena *a, store_attributes *out,
                            store_err *err) {
    STORE_READ_GATE(s, err, "S", op_ids, n);
    DISPATCH(s, consumed_attrs_of, s, op_ids, n, a, out, err);
}

int store_tree_attrs_of(store *s, const char *const *op_ids, size_t n, gql_arena *a, store_attributes *out,
                        store_err *err) {
    STORE_READ_GATE(s, err, "S", op_ids, n);
    DISPATCH(s, tree_attrs_of, s, op_ids, n, a, out, err);
}

int store_tree_produces_serial_of(store *s, const char *const *op_ids, size_t n, bool *out, store_err *err) {
    STORE_READ_GATE(s, err, "S", op_ids, n);
    DISPATCH(s, tree_produces_serial_of, s, op_ids, n, out, err);
}

int store_sub_operations_of(store *s, const char *const *parent_ids, size_t n, bool with_archived, gql_arena *a,
                            store_sub_operations *out, store_err *err) {
    STORE_READ_GATE(s, err, "Sb", parent_ids, n, with_archived);
    DISPATCH(s, sub_operations_of, s, parent_ids, n, with_archived, a, out, err);
}

int store_steps_of(store *s, const char *const *op_ids, size_t n, gql_arena *a, store_steps *out, store_err *err) {
    STORE_READ_GATE(s, err, "S", op_ids, n);
    DISPATCH(s, steps_of, s, op_ids, n, a, out, err);
}

int store_actions_of(store *s, const int64_t *step_keys, size_t n, gql_arena *a, store_actions *out,
                     store_err *err) {
    STORE_READ_GATE(s, err, "I", step_keys, n);
    DISPATCH(s, actions_of, s, step_keys, n, a, out, err);
}

int store_station_processes_of(store *s, const char *const *station_ids, size_t n, gql_arena *a,
                               store_operations *out, store_err *err) {
    STORE_READ_GATE(s, err, "S", station_ids, n);
    DISPATCH(s, station_processes_of, s, station_ids, n, a, out, err);
}

int store_snapshot_begin(store *s, store_err *err) {
    DISPATCH(s, snapshot_begin, s, err);
}

int store_stream_read_upto(store *s, store_stream stream, int64_t after_seq, int64_t upto_seq, int64_t limit,
                           const store_filter *where, gql_arena *a, store_event **out, size_t *n, store_err *err) {
    STORE_READ_GATE(s, err, "iiiif", (int64_t)stream, after_seq, upto_seq, limit, where);
    DISPATCH(s, stream_read, s, stream, after_seq, upto_seq, limit, where, a, out, n, err);
}

int store_stream_read(store *s, store_stream stream, int64_t after_seq, int64_t limit, const store_filter *where,
                      gql_arena *a, store_event **out, size_t *n, store_err *err) {
    return store_stream_read_upto(s, stream, after_seq, INT64_MAX, limit, where, a, out, n, err);
}

int store_tx_deploy_process(store_tx *tx, const store_process_in *in, store_deploy_result *res, store_err *err) {
    DISPATCH(tx->s, tx_deploy_process, tx, in, res, err);
}

int store_tx_deploy_product(store_tx *tx, const store_product_in *in, store_deploy_result *res, store_err *err) {
    DISPATCH(tx->s, tx_deploy_product, tx, in, res, err);
}

int store_tx_deploy_station(store_tx *tx, const store_station_in *in, store_deploy_result *res, store_err *err) {
    DISPATCH(tx->s, tx_deploy_station, tx, in, res, err);
}

int store_tx_operation_get(store_tx *tx, const char *id, gql_arena *a, store_operation **out, store_err *err) {
    DISPATCH(tx->s, tx_operation_get, tx, id, a, out, err);
}

int store_tx_process_attrs(store_tx *tx, const char *op_id, gql_arena *a, store_attribute **out, size_t *n,
                           store_err *err) {
    DISPATCH(tx->s, tx_process_attrs, tx, op_id, a, out, n, err);
}

int store_tx_components(store_tx *tx, const char *op_id, gql_arena *a, store_component **out, size_t *n,
                        store_err *err) {
    DISPATCH(tx->s, tx_components, tx, op_id, a, out, n, err);
}

int store_tx_station_can(store_tx *tx, const char *station_id, const char *op_id, bool *station_found, bool *can,
                         store_err *err) {
    DISPATCH(tx->s, tx_station_can, tx, station_id, op_id, station_found, can, err);
}

int store_tx_order_get(store_tx *tx, int64_t id, gql_arena *a, store_order **out, store_err *err) {
    DISPATCH(tx->s, tx_order_get, tx, id, a, out, err);
}

int store_tx_order_find_root(store_tx *tx, const char *external_order_id, const char *operation_id,
                             int64_t order_index, gql_arena *a, store_order **out, store_err *err) {
    DISPATCH(tx->s, tx_order_find_root, tx, external_order_id, operation_id, order_index, a, out, err);
}

int store_tx_order_insert(store_tx *tx, const store_order *in, int64_t *id_out, store_err *err) {
    DISPATCH(tx->s, tx_order_insert, tx, in, id_out, err);
}

int store_tx_order_children(store_tx *tx, int64_t parent_id, gql_arena *a, store_order **out, size_t *n,
                            store_err *err) {
    DISPATCH(tx->s, tx_order_children, tx, parent_id, a, out, n, err);
}

int store_tx_order_tree_save(store_tx *tx, int64_t root_id, const char *secondary_external_order_id,
                             const char *reserved_serial_number, store_err *err) {
    DISPATCH(tx->s, tx_order_tree_save, tx, root_id, secondary_external_order_id, reserved_serial_number, err);
}

int store_tx_order_set_optionals(store_tx *tx, int64_t root_id, const char *const *op_ids, size_t n,
                                 store_err *err) {
    DISPATCH(tx->s, tx_order_set_optionals, tx, root_id, op_ids, n, err);
}

int store_tx_order_optionals(store_tx *tx, int64_t order_id, gql_arena *a, const char ***out, size_t *n,
                             store_err *err) {
    DISPATCH(tx->s, tx_order_optionals, tx, order_id, a, out, n, err);
}

int store_tx_tree_optionals(store_tx *tx, const char *op_id, gql_arena *a, const char ***out, size_t *n,
                            store_err *err) {
    DISPATCH(tx->s, tx_tree_optionals, tx, op_id, a, out, n, err);
}

int store_tx_orders_cancel(store_tx *tx, const char *external_order_id, const char *operation_id, int64_t index,
                           int64_t *count, store_err *err) {
    DISPATCH(tx->s, tx_orders_cancel, tx, external_order_id, operation_id, index, count, err);
}

int store_tx_order_start(store_tx *tx, int64_t id, const char *station_id, int64_t operator_id, bool with_ancestors,
                         store_err *err) {
    DISPATCH(tx->s, tx_order_start, tx, id, station_id, operator_id, with_ancestors, err);
}

int store_tx_order_complete(store_tx *tx, int64_t id, const char *station_id, int64_t operator_id, store_err *err) {
    DISPATCH(tx->s, tx_order_complete, tx, id, station_id, operator_id, err);
}

int store_tx_operator_find_or_create(store_tx *tx, const char *name, int64_t *id, store_err *err) {
    DISPATCH(tx->s, tx_operator_find_or_create, tx, name, id, err);
}

int store_tx_names(store_tx *tx, const char *station_id, int64_t operator_id, gql_arena *a,
                   const char **station_name, const char **operator_name, store_err *err) {
    DISPATCH(tx->s, tx_names, tx, station_id, operator_id, a, station_name, operator_name, err);
}

int store_tx_serial_consume(store_tx *tx, const store_serial_in *in, bool *taken, store_err *err) {
    DISPATCH(tx->s, tx_serial_consume, tx, in, taken, err);
}

int store_tx_serial_produce(store_tx *tx, int64_t order_id, const char *key, const char *value, bool *taken,
                            store_err *err) {
    DISPATCH(tx->s, tx_serial_produce, tx, order_id, key, value, taken, err);
}

int store_tx_order_summary(store_tx *tx, int64_t order_id, bool leaf, gql_arena *a, store_order_summary *out,
                           store_err *err) {
    DISPATCH(tx->s, tx_order_summary, tx, order_id, leaf, a, out, err);
}

int store_tx_note_type(store_tx *tx, const char *name, int64_t *id, store_err *err) {
    DISPATCH(tx->s, tx_note_type, tx, name, id, err);
}

int store_tx_note_insert(store_tx *tx, const store_note_in *in, store_err *err) {
    DISPATCH(tx->s, tx_note_insert, tx, in, err);
}

int store_orders_list(store *s, const store_filter *where, int64_t limit, int64_t offset, gql_arena *a,
                      store_order **out, size_t *n, store_err *err) {
    STORE_READ_GATE(s, err, "fii", where, limit, offset);
    DISPATCH(s, orders_list, s, where, limit, offset, a, out, n, err);
}

int store_orders_by_ids(store *s, const int64_t *ids, size_t n, gql_arena *a, store_orders *out, store_err *err) {
    STORE_READ_GATE(s, err, "I", ids, n);
    DISPATCH(s, orders_by_ids, s, ids, n, a, out, err);
}

int store_orders_children_of(store *s, const int64_t *parent_ids, size_t n, gql_arena *a, store_orders *out,
                             store_err *err) {
    STORE_READ_GATE(s, err, "I", parent_ids, n);
    DISPATCH(s, orders_children_of, s, parent_ids, n, a, out, err);
}

int store_work_orders(store *s, const char *station_id, const store_order_status *statuses, size_t nstatuses,
                      gql_arena *a, store_order **out, size_t *n, store_err *err) {
    STORE_READ_GATE(s, err, "sB", station_id, (const void *)statuses, nstatuses * sizeof *statuses);
    DISPATCH(s, work_orders, s, station_id, statuses, nstatuses, a, out, n, err);
}

int store_operators_list(store *s, gql_arena *a, store_operator **out, size_t *n, store_err *err) {
    STORE_READ_GATE(s, err, "");
    DISPATCH(s, operators_list, s, a, out, n, err);
}

int store_operators_by_ids(store *s, const int64_t *ids, size_t n, gql_arena *a, store_operators *out,
                           store_err *err) {
    STORE_READ_GATE(s, err, "I", ids, n);
    DISPATCH(s, operators_by_ids, s, ids, n, a, out, err);
}

int store_stations_by_ids(store *s, const char *const *ids, size_t n, gql_arena *a, store_stations *out,
                          store_err *err) {
    STORE_READ_GATE(s, err, "S", ids, n);
    DISPATCH(s, stations_by_ids, s, ids, n, a, out, err);
}

int store_tx_webhook_outbox_fill(store_tx *tx, store_stream stream, int64_t seq, store_err *err) {
    DISPATCH(tx->s, tx_webhook_outbox_fill, tx, stream, seq, err);
}

int store_tx_webhook_put(store_tx *tx, const store_webhook *w, bool *replaced, store_err *err) {
    DISPATCH(tx->s, tx_webhook_put, tx, w, replaced, err);
}

int store_tx_webhook_delete(store_tx *tx, const char *id, bool *found, store_err *err) {
    DISPATCH(tx->s, tx_webhook_delete, tx, id, found, err);
}

int store_webhooks_list(store *s, gql_arena *a, store_webhook **out, size_t *n, store_err *err) {
    STORE_READ_GATE(s, err, "");
    DISPATCH(s, webhooks_list, s, a, out, n, err);
}

int store_webhooks_due(store *s, int64_t now, gql_arena *a, store_webhook_due_sub **out, size_t *n,
                       store_err *err) {
    STORE_READ_GATE(s, err, "i", now);
    DISPATCH(s, webhooks_due, s, now, a, out, n, err);
}

int store_webhook_head(store *s, const char *sub_id, gql_arena *a, store_webhook_due *out, bool *found,
                       store_err *err) {
    STORE_READ_GATE(s, err, "s", sub_id);
    DISPATCH(s, webhook_head, s, sub_id, a, out, found, err);
}

int store_tx_webhook_delivered(store_tx *tx, int64_t outbox_id, const char *sub_id, int64_t seq, store_err *err) {
    DISPATCH(tx->s, tx_webhook_delivered, tx, outbox_id, sub_id, seq, err);
}

int store_tx_webhook_failed(store_tx *tx, int64_t outbox_id, const char *sub_id, int64_t seq, int64_t next_at,
                            const char *error, int64_t failing_before, store_err *err) {
    DISPATCH(tx->s, tx_webhook_failed, tx, outbox_id, sub_id, seq, next_at, error, failing_before, err);
}

int store_webhooks_counts(store *s, int64_t *pending, int64_t *failing, store_err *err) {
    STORE_READ_GATE(s, err, "");
    DISPATCH(s, webhooks_counts, s, pending, failing, err);
}
