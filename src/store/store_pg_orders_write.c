/*
 * store_pg_orders_write.c: the SQL of the order mutations on PostgreSQL,
 * the counterpart of store_orders_write.c's operations and orders (the
 * shop floor's operators, serials, summaries and notes:
 * store_pg_floor_write.c). Same primitives, same answers, same refusals;
 * the rules that combine them stay in src/mes.
 *
 * Where the dialects differ: SQLite's `+status` (an index hint) is left
 * out; ifnull is coalesce with the unique index's own expression; `IN
 * tree` is `= ANY (ARRAY(SELECT id FROM tree))` (one array, so the
 * planner probes the index with it: as `IN (SELECT …)` it may hash the
 * tree against a full scan of operation_orders), and a recursive step
 * probes an index per row (PGS_PROBE); parameters are text, cast where the
 * type is not inferable; text orders are COLLATE "C" (SQLite's byte order);
 * work-order events take their seq from stream_heads (PGS_WO_EVENTS).
 *
 * Must never: decide a rule, write outside the job's transaction, or turn
 * a uniqueness refusal the caller must report into an I/O error.
 */
#include <stdlib.h>
#include <string.h>
#include "pg_util.h"
#include "store_pg.h"

/* ---- reading rows ---- */

int pgs_tx_rows(store_tx *tx, const char *name, const char *sql, int nparams, const char *const *params,
                gql_arena *a, size_t size, pgs_row_fn read, void **out, size_t *n, const char *what, store_err *err) {
    PGresult *r = pg_tx_query(tx->pg, name, sql, nparams, params, err);
    if (!r) return pgs_sqlite_err(err, what);
    size_t count = (size_t)PQntuples(r);
    char *items = gql_arena_alloc(a, (count ? count : 1) * size);
    memset(items, 0, (count ? count : 1) * size);
    for (size_t i = 0; i < count; i++) read(r, (int)i, a, items + i * size);
    PQclear(r);
    *out = items;
    *n = count;
    return STORE_OK;
}

int pgs_tx_row(store_tx *tx, const char *name, const char *sql, int nparams, const char *const *params,
               gql_arena *a, size_t size, pgs_row_fn read, void **out, const char *what, store_err *err) {
    void *items = NULL;
    size_t n = 0;
    if (pgs_tx_rows(tx, name, sql, nparams, params, a, size, read, &items, &n, what, err)) return err->code;
    *out = n ? items : NULL;
    return STORE_OK;
}

static store_kind kind_of(const char *s) {
    for (int k = STORE_KIND_PRODUCT; s && k < STORE_KIND_PROCESS; k++)
        if (strcmp(s, store_kind_name((store_kind)k)) == 0) return (store_kind)k;
    return STORE_KIND_PROCESS;
}

static store_order_status status_of(const char *s) {
    for (int k = STORE_ORDER_CREATED; s && k <= STORE_ORDER_CANCELED; k++)
        if (strcmp(s, store_order_status_name((store_order_status)k)) == 0) return (store_order_status)k;
    return STORE_ORDER_CREATED;
}

/* ---- operations, as the transaction sees them ---- */

static void row_operation(const PGresult *r, int i, gql_arena *a, void *item) {
    store_operation *o = item;
    o->id = pg_text(r, i, 0, a);
    o->kind = kind_of(PQgetvalue(r, i, 1));
    o->external_id = pg_text(r, i, 2, a);
    o->revision = pg_text(r, i, 3, a);
    o->name = pg_text(r, i, 4, a);
    o->description = pg_text(r, i, 5, a);
    o->produces_serial = pg_bool(r, i, 6);
    o->template_id = pg_text(r, i, 7, a);
    o->variant_name = pg_text(r, i, 8, a);
    o->seq = pg_i64(r, i, 9);
    o->updated_at = pg_i64(r, i, 10);
    o->archived_at = pg_i64(r, i, 11);
}

int pgs_tx_operation_get(store_tx *tx, const char *id, gql_arena *a, store_operation **out, store_err *err) {
    const char *params[] = {id};
    return pgs_tx_row(tx, "ow_operation_get", "SELECT " STORE_OP_COLS("o") " FROM operations o WHERE o.id = $1", 1,
                      params, a, sizeof **out, row_operation, (void **)out, "reading an operation", err);
}

static void row_attr(const PGresult *r, int i, gql_arena *a, void *item) {
    store_attribute *o = item;
    o->operation_id = pg_text(r, i, 0, a);
    o->id = pg_text(r, i, 1, a);
    o->name = pg_text(r, i, 2, a);
    o->part_number = pg_text(r, i, 3, a);
}

int pgs_tx_process_attrs(store_tx *tx, const char *op_id, gql_arena *a, store_attribute **out, size_t *n,
                         store_err *err) {
    const char *params[] = {op_id};
    return pgs_tx_rows(tx, "ow_process_attrs",
                       "SELECT operation_id, id, name, part_number FROM consumed_serial_attrs"
                       " WHERE operation_id = $1 ORDER BY position",
                       1, params, a, sizeof **out, row_attr, (void **)out, n, "reading consumed serials", err);
}

static void row_component(const PGresult *r, int i, gql_arena *a, void *item) {
    store_component *o = item;
    o->operation_id = pg_text(r, i, 0, a);
    o->group = pg_text(r, i, 1, a);
    o->optional = pg_bool(r, i, 2);
    o->kind = kind_of(PQgetisnull(r, i, 3) ? NULL : PQgetvalue(r, i, 3));
}

int pgs_tx_components(store_tx *tx, const char *op_id, gql_arena *a, store_component **out, size_t *n,
                      store_err *err) {
    const char *params[] = {op_id};
    return pgs_tx_rows(tx, "ow_components",
                       "SELECT so.sub_id, so.sub_group, so.optional, o.kind FROM sub_operations so"
                       " JOIN operations o ON o.id = so.sub_id"
                       " WHERE so.parent_id = $1 AND so.archived_at IS NULL ORDER BY so.position",
                       1, params, a, sizeof **out, row_component, (void **)out, n, "reading components", err);
}

int pgs_tx_station_can(store_tx *tx, const char *station_id, const char *op_id, bool *station_found, bool *can,
                       store_err *err) {
    const char *params[] = {station_id, op_id};
    PGresult *r = pg_tx_query(tx->pg, "ow_station_can",
                              "SELECT EXISTS (SELECT 1 FROM stations WHERE id = $1),"
                              " EXISTS (SELECT 1 FROM station_processes WHERE station_id = $1 AND operation_id = $2)",
                              2, params, err);
    if (!r) return pgs_sqlite_err(err, "reading a station");
    *station_found = pg_bool(r, 0, 0);
    *can = pg_bool(r, 0, 1);
    PQclear(r);
    return STORE_OK;
}

/* ---- orders ---- */

#define ORDER_COLS STORE_ORDER_COLS("operation_orders")

static void row_order(const PGresult *r, int i, gql_arena *a, void *item) {
    store_order *o = item;
    o->id = pg_i64(r, i, 0);
    o->parent_id = pg_i64(r, i, 1);
    o->external_order_id = pg_text(r, i, 2, a);
    o->secondary_external_order_id = pg_text(r, i, 3, a);
    o->operation_id = pg_text(r, i, 4, a);
    o->reserved_serial_number = pg_text(r, i, 5, a);
    o->order_index = pg_i64(r, i, 6);
    o->status = status_of(PQgetvalue(r, i, 7));
    o->station_id = pg_text(r, i, 8, a);
    o->operator_id = pg_i64(r, i, 9);
    o->created_at = pg_i64(r, i, 10);
    o->updated_at = pg_i64(r, i, 11);
    o->started_at = pg_i64(r, i, 12);
    o->completed_at = pg_i64(r, i, 13);
}

int pgs_tx_order_get(store_tx *tx, int64_t id, gql_arena *a, store_order **out, store_err *err) {
    char b[PG_I64_LEN];
    const char *params[] = {pg_i64_param(b, id)};
    return pgs_tx_row(tx, "ow_order_get", "SELECT " ORDER_COLS " FROM operation_orders WHERE id = $1::bigint", 1,
                      params, a, sizeof **out, row_order, (void **)out, "reading an order", err);
}

int pgs_tx_order_find_root(store_tx *tx, const char *external_order_id, const char *operation_id,
                           int64_t order_index, gql_arena *a, store_order **out, store_err *err) {
    char b[PG_I64_LEN];
    const char *params[] = {external_order_id, operation_id, pg_i64_param(b, order_index)};
    /* the expression of the unique index operation_orders_key, so it is used */
    return pgs_tx_row(tx, "ow_order_find_root",
                      "SELECT " ORDER_COLS " FROM operation_orders WHERE parent_id IS NULL"
                      " AND coalesce(external_order_id, '') = coalesce($1::text, '') AND operation_id = $2"
                      " AND order_index = $3::bigint",
                      3, params, a, sizeof **out, row_order, (void **)out, "finding an order", err);
}

int pgs_tx_order_insert(store_tx *tx, const store_order *in, int64_t *id_out, store_err *err) {
    char index[PG_I64_LEN], parent[PG_I64_LEN], now[PG_I64_LEN];
    const char *params[] = {in->external_order_id,
                            in->operation_id,
                            pg_i64_param(index, in->order_index),
                            store_order_status_name(in->status),
                            in->reserved_serial_number,
                            in->secondary_external_order_id,
                            in->parent_id ? pg_i64_param(parent, in->parent_id) : NULL,
                            pg_i64_param(now, tx->now)};
    PGresult *r = pg_tx_query(tx->pg, "ow_order_insert",
                              "INSERT INTO operation_orders (external_order_id, operation_id, order_index, status,"
                              " reserved_serial_number, secondary_external_order_id, parent_id, created_at,"
                              " updated_at) VALUES ($1, $2, $3::bigint, $4, $5, $6, $7::bigint, $8::bigint,"
                              " $8::bigint) RETURNING id",
                              8, params, err);
    if (!r) return pgs_sqlite_err(err, "writing an order");
    *id_out = pg_i64(r, 0, 0);
    PQclear(r);
    /* a CREATED order is a product's or a subassembly's: never a work order */
    return in->status == STORE_ORDER_CREATED ? STORE_OK : pgs_wo_event_of(tx, *id_out, err);
}

int pgs_tx_order_children(store_tx *tx, int64_t parent_id, gql_arena *a, store_order **out, size_t *n,
                          store_err *err) {
    char b[PG_I64_LEN];
    const char *params[] = {pg_i64_param(b, parent_id)};
    return pgs_tx_rows(tx, "ow_order_children",
                       "SELECT " ORDER_COLS " FROM operation_orders WHERE parent_id = $1::bigint ORDER BY id", 1,
                       params, a, sizeof **out, row_order, (void **)out, n, "reading an order's children", err);
}

int pgs_tx_order_tree_save(store_tx *tx, int64_t root_id, const char *secondary_external_order_id,
                           const char *reserved_serial_number, store_err *err) {
    char root[PG_I64_LEN], now[PG_I64_LEN];
    const char *params[] = {pg_i64_param(root, root_id), pg_i64_param(now, tx->now), secondary_external_order_id,
                            reserved_serial_number};
    /* one statement: the update, then a READY event per restored work
     * order (`was`: the status before the update, from the join's row) */
    PGresult *r = pg_tx_query(tx->pg, "ow_tree_save",
                              PGS_TREE_OF("$1::bigint")
                              ", up AS (UPDATE operation_orders x SET secondary_external_order_id = $3,"
                              " reserved_serial_number = $4, updated_at = $2::bigint,"
                              " status = CASE WHEN x.status <> 'CANCELED' THEN x.status"
                              "   WHEN (SELECT kind FROM operations k WHERE k.id = x.operation_id) = 'PROCESS'"
                              "   THEN 'READY' ELSE 'CREATED' END"
                              " FROM operation_orders was WHERE was.id = x.id AND x.id = ANY (ARRAY(SELECT id FROM tree))"
                              " RETURNING x.id, x.operation_id, was.status AS was),"
                              PGS_WO_EVENTS("up o", "'READY'", "$2::bigint", "o.was = 'CANCELED'")
                              " SELECT count(*) FROM ins",
                              4, params, err);
    if (!r) return pgs_sqlite_err(err, "updating an order");
    PQclear(r);
    return STORE_OK;
}

int pgs_tx_order_set_optionals(store_tx *tx, int64_t root_id, const char *const *op_ids, size_t n,
                               store_err *err) {
    char root[PG_I64_LEN];
    const char *params[] = {pg_i64_param(root, root_id), NULL};
    PGresult *r = pg_tx_query(tx->pg, "ow_optionals_clear",
                              "DELETE FROM order_selected_optionals WHERE order_id = $1::bigint", 1, params, err);
    if (!r) return pgs_sqlite_err(err, "replacing selected optionals");
    PQclear(r);
    if (n == 0) return STORE_OK;
    char *json = json_string_array(op_ids, n);
    params[1] = json;
    /* SQLite's INSERT OR IGNORE: a repeated or null id is skipped */
    r = pg_tx_query(tx->pg, "ow_optionals_set",
                    "INSERT INTO order_selected_optionals (order_id, operation_id)"
                    " SELECT $1::bigint, p.v FROM jsonb_array_elements_text($2::jsonb) AS p(v)"
                    " WHERE p.v IS NOT NULL ON CONFLICT DO NOTHING",
                    2, params, err);
    free(json);
    if (!r) return pgs_sqlite_err(err, "writing selected optionals");
    PQclear(r);
    return STORE_OK;
}

static void row_text(const PGresult *r, int i, gql_arena *a, void *item) { *(const char **)item = pg_text(r, i, 0, a); }

int pgs_tx_order_optionals(store_tx *tx, int64_t order_id, gql_arena *a, const char ***out, size_t *n,
                           store_err *err) {
    char b[PG_I64_LEN];
    const char *params[] = {pg_i64_param(b, order_id)};
    return pgs_tx_rows(tx, "ow_order_optionals",
                       "WITH RECURSIVE up(id, parent) AS ("
                       " SELECT id, parent_id FROM operation_orders WHERE id = $1::bigint UNION ALL"
                       " SELECT o.id, o.parent_id FROM up"
                       PGS_PROBE("SELECT o.id, o.parent_id FROM operation_orders o WHERE o.id = up.parent", "o") ")"
                       " SELECT s.operation_id FROM order_selected_optionals s"
                       " JOIN up ON up.id = s.order_id AND up.parent IS NULL ORDER BY s.operation_id COLLATE \"C\"",
                       1, params, a, sizeof **out, row_text, (void **)out, n, "reading selected optionals", err);
}

int pgs_tx_tree_optionals(store_tx *tx, const char *op_id, gql_arena *a, const char ***out, size_t *n,
                          store_err *err) {
    const char *params[] = {op_id};
    /* STORE_TREE_STEP's walk; printf('%08d.') is the lpad (never shorter:
     * printf does not cut a longer number either) */
    return pgs_tx_rows(tx, "ow_tree_optionals",
                       "WITH RECURSIVE tree(k, op, path) AS (SELECT 0, $1::text, ''::text UNION ALL"
                       " SELECT t.k, so.sub_id, t.path || lpad(so.position::text,"
                       " greatest(8, length(so.position::text)), '0') || '.' FROM tree t"
                       " JOIN sub_operations so ON so.parent_id = t.op AND so.archived_at IS NULL"
                       " WHERE length(t.path) < 9 * 64)"
                       " SELECT DISTINCT so.sub_id COLLATE \"C\" FROM tree t JOIN sub_operations so"
                       " ON so.parent_id = t.op AND so.archived_at IS NULL AND so.optional = 1 ORDER BY 1",
                       1, params, a, sizeof **out, row_text, (void **)out, n, "reading optional components", err);
}

/* The trees of the unstarted roots of ($1 externalOrderId, $2 operationId,
 * $3 index or -1), as a CTE named `tree`. An unstarted root has no started
 * order in its tree (a start marks every ancestor), so the whole tree is
 * unstarted. */
#define CANCEL_TREE                                                                                      \
    "WITH RECURSIVE tree(id) AS ("                                                                      \
    " SELECT id FROM operation_orders WHERE parent_id IS NULL"                                          \
    " AND coalesce(external_order_id, '') = coalesce($1::text, '') AND operation_id = $2"              \
    " AND ($3::bigint < 0 OR order_index = $3::bigint) AND status IN ('CREATED', 'READY')"             \
    " UNION ALL SELECT o.id FROM tree t"                                                                \
    PGS_PROBE("SELECT o.id FROM operation_orders o WHERE o.parent_id = t.id", "o") ")"

int pgs_tx_orders_cancel(store_tx *tx, const char *external_order_id, const char *operation_id, int64_t index,
                         int64_t *count, store_err *err) {
    char ix[PG_I64_LEN], now[PG_I64_LEN];
    const char *params[] = {external_order_id, operation_id, pg_i64_param(ix, index), pg_i64_param(now, tx->now)};
    /* one statement: the update, then a CANCELED event per work order it
     * changed; the answer is every order it changed */
    PGresult *r = pg_tx_query(tx->pg, "ow_cancel",
                              CANCEL_TREE
                              ", up AS (UPDATE operation_orders SET status = 'CANCELED', updated_at = $4::bigint"
                              " WHERE id = ANY (ARRAY(SELECT id FROM tree)) AND status IN ('CREATED', 'READY')"
                              " RETURNING id, operation_id),"
                              PGS_WO_EVENTS("up o", "'CANCELED'", "$4::bigint", "true")
                              " SELECT count(*) FROM up",
                              4, params, err);
    if (!r) return pgs_sqlite_err(err, "canceling orders");
    *count = pg_i64(r, 0, 0);
    PQclear(r);
    return STORE_OK;
}

int pgs_tx_order_start(store_tx *tx, int64_t id, const char *station_id, int64_t operator_id, bool with_ancestors,
                       store_err *err) {
    char oid[PG_I64_LEN], op[PG_I64_LEN], now[PG_I64_LEN];
    const char *params[] = {pg_i64_param(oid, id), station_id, pg_i64_param(op, operator_id),
                            pg_i64_param(now, tx->now)};
    PGresult *r = pg_tx_query(tx->pg, "ow_order_start",
                              "UPDATE operation_orders SET status = 'IN_PROGRESS', station_id = $2,"
                              " operator_id = $3::bigint, started_at = coalesce(started_at, $4::bigint),"
                              " updated_at = $4::bigint WHERE id = $1::bigint",
                              4, params, err);
    if (!r) return pgs_sqlite_err(err, "starting an order");
    PQclear(r);
    /* every start is an event, a hand-over too: the order leaves one
     * station's queue for another's (ancestors are products: none) */
    if (pgs_wo_event_of(tx, id, err)) return err->code;
    if (!with_ancestors) return STORE_OK;   /* a root: no walk up */
    const char *up[] = {params[0], params[3]};
    r = pg_tx_query(tx->pg, "ow_order_start_up",
                    "WITH RECURSIVE up(id) AS ("
                    " SELECT parent_id FROM operation_orders WHERE id = $1::bigint AND parent_id IS NOT NULL UNION ALL"
                    " SELECT o.parent_id FROM up"
                    PGS_PROBE("SELECT o.parent_id FROM operation_orders o WHERE o.id = up.id"
                              " AND o.parent_id IS NOT NULL", "o") ")"
                    " UPDATE operation_orders SET status = 'IN_PROGRESS', started_at = coalesce(started_at, $2::bigint),"
                    " updated_at = $2::bigint WHERE id = ANY (ARRAY(SELECT id FROM up)) AND status IN ('CREATED', 'READY')",
                    2, up, err);
    if (!r) return pgs_sqlite_err(err, "starting an order's ancestors");
    PQclear(r);
    return STORE_OK;
}

int pgs_tx_order_complete(store_tx *tx, int64_t id, const char *station_id, int64_t operator_id,
                          store_err *err) {
    char oid[PG_I64_LEN], op[PG_I64_LEN], now[PG_I64_LEN];
    const char *params[] = {pg_i64_param(oid, id), station_id, operator_id ? pg_i64_param(op, operator_id) : NULL,
                            pg_i64_param(now, tx->now)};
    PGresult *r = pg_tx_query(tx->pg, "ow_order_complete",
                              "UPDATE operation_orders SET status = 'COMPLETED', station_id = coalesce($2::text, station_id),"
                              " operator_id = coalesce($3::bigint, operator_id),"
                              " started_at = coalesce(started_at, $4::bigint), completed_at = $4::bigint,"
                              " updated_at = $4::bigint WHERE id = $1::bigint",
                              4, params, err);
    if (!r) return pgs_sqlite_err(err, "completing an order");
    PQclear(r);
    return pgs_wo_event_of(tx, id, err);   /* none for a parent product or subassembly */
}
