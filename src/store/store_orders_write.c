/*
 * store_orders_write.c: the SQL of the order mutations (operationOrderSave,
 * operationOrderCancel, workOrderStart, workOrderComplete, noteCreate): small
 * primitives named for the domain, run inside a write job. The rules that
 * combine them live in src/mes (orders.c, floor.c, waterfall.c,
 * completion.c), which never see SQL.
 *
 * Every statement comes from the transaction's statement cache; a "many
 * rows" need is one statement (recursive CTEs walk an order's tree up or
 * down), never one per row.
 *
 * Must never: decide a rule (that is the MES layer's), write outside the
 * job's transaction, or turn a uniqueness refusal the caller must report
 * (a serial already consumed or produced) into an I/O error.
 */
#include <stdlib.h>
#include <string.h>
#include "store_internal.h"

static store_kind kind_of(const char *s) {
    return !s ? STORE_KIND_PROCESS
           : strcmp(s, "PRODUCT") == 0     ? STORE_KIND_PRODUCT
           : strcmp(s, "SUBASSEMBLY") == 0 ? STORE_KIND_SUBASSEMBLY
                                           : STORE_KIND_PROCESS;
}

/* ---- statement helpers ---- */

static sqlite3_stmt *prep(store_tx *tx, const char *sql, store_err *err) { return stmt_get(tx->cache, sql, err); }

/* Steps a statement that returns no row, then puts it back. */
static int done(store_tx *tx, sqlite3_stmt *st, const char *what, store_err *err) {
    int rc = sqlite3_step(st);
    stmt_put(tx->cache, st);
    return rc == SQLITE_DONE ? STORE_OK : store_sqlite_err(err, tx->db, rc, what);
}

/* Reads every row of st into a growing array of `size`-byte items with
 * read(), then puts st back. */
typedef void (*row_fn)(sqlite3_stmt *st, gql_arena *a, void *item);
static int rows(store_tx *tx, sqlite3_stmt *st, gql_arena *a, size_t size, row_fn read, void **out, size_t *n,
                const char *what, store_err *err) {
    size_t cap = 8, count = 0;
    char *items = gql_arena_alloc(a, cap * size);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (count == cap) {
            char *more = gql_arena_alloc(a, 2 * cap * size);
            memcpy(more, items, cap * size);
            items = more;
            cap *= 2;
        }
        memset(items + count * size, 0, size);
        read(st, a, items + count * size);
        count++;
    }
    stmt_put(tx->cache, st);
    if (rc != SQLITE_DONE) return store_sqlite_err(err, tx->db, rc, what);
    *out = items;
    *n = count;
    return STORE_OK;
}

/* At most one row: *out NULL when none. */
static int one_row(store_tx *tx, sqlite3_stmt *st, gql_arena *a, size_t size, row_fn read, void **out,
                   const char *what, store_err *err) {
    void *items;
    size_t n;
    if (rows(tx, st, a, size, read, &items, &n, what, err)) return err->code;
    *out = n ? items : NULL;
    return STORE_OK;
}

/* ---- operations, as the transaction sees them ---- */

static void row_operation(sqlite3_stmt *st, gql_arena *a, void *item) { read_operation(st, 0, a, item); }

int sq_tx_operation_get(store_tx *tx, const char *id, gql_arena *a, store_operation **out, store_err *err) {
    sqlite3_stmt *st = prep(tx, "SELECT " STORE_OP_COLS("o") " FROM operations o WHERE o.id = ?", err);
    if (!st) return err->code;
    bind_text(st, 1, id);
    return one_row(tx, st, a, sizeof **out, row_operation, (void **)out, "reading an operation", err);
}

static void row_attr(sqlite3_stmt *st, gql_arena *a, void *item) {
    store_attribute *o = item;
    o->operation_id = col_text(st, 0, a);
    o->id = col_text(st, 1, a);
    o->name = col_text(st, 2, a);
    o->part_number = col_text(st, 3, a);
}

int sq_tx_process_attrs(store_tx *tx, const char *op_id, gql_arena *a, store_attribute **out, size_t *n,
                        store_err *err) {
    sqlite3_stmt *st = prep(tx,
                            "SELECT operation_id, id, name, part_number FROM consumed_serial_attrs"
                            " WHERE operation_id = ? ORDER BY position",
                            err);
    if (!st) return err->code;
    bind_text(st, 1, op_id);
    return rows(tx, st, a, sizeof **out, row_attr, (void **)out, n, "reading consumed serials", err);
}

static void row_component(sqlite3_stmt *st, gql_arena *a, void *item) {
    store_component *o = item;
    o->operation_id = col_text(st, 0, a);
    o->group = col_text(st, 1, a);
    o->optional = col_i64(st, 2) != 0;
    o->kind = kind_of((const char *)sqlite3_column_text(st, 3));
}

int sq_tx_components(store_tx *tx, const char *op_id, gql_arena *a, store_component **out, size_t *n,
                     store_err *err) {
    sqlite3_stmt *st = prep(tx,
                            "SELECT so.sub_id, so.sub_group, so.optional, o.kind FROM sub_operations so"
                            " JOIN operations o ON o.id = so.sub_id"
                            " WHERE so.parent_id = ? AND so.archived_at IS NULL ORDER BY so.position",
                            err);
    if (!st) return err->code;
    bind_text(st, 1, op_id);
    return rows(tx, st, a, sizeof **out, row_component, (void **)out, n, "reading components", err);
}

int sq_tx_station_can(store_tx *tx, const char *station_id, const char *op_id, bool *station_found, bool *can,
                      store_err *err) {
    sqlite3_stmt *st = prep(tx,
                            "SELECT EXISTS (SELECT 1 FROM stations WHERE id = ?1),"
                            " EXISTS (SELECT 1 FROM station_processes WHERE station_id = ?1 AND operation_id = ?2)",
                            err);
    if (!st) return err->code;
    bind_text(st, 1, station_id);
    bind_text(st, 2, op_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *station_found = sqlite3_column_int(st, 0) != 0;
        *can = sqlite3_column_int(st, 1) != 0;
    }
    stmt_put(tx->cache, st);
    return rc == SQLITE_ROW ? STORE_OK : store_sqlite_err(err, tx->db, rc, "reading a station");
}

/* ---- orders ---- */

#define ORDER_COLS STORE_ORDER_COLS("operation_orders")

static void row_order(sqlite3_stmt *st, gql_arena *a, void *item) { read_order(st, 0, a, item); }

int sq_tx_order_get(store_tx *tx, int64_t id, gql_arena *a, store_order **out, store_err *err) {
    sqlite3_stmt *st = prep(tx, "SELECT " ORDER_COLS " FROM operation_orders WHERE id = ?", err);
    if (!st) return err->code;
    sqlite3_bind_int64(st, 1, id);
    return one_row(tx, st, a, sizeof **out, row_order, (void **)out, "reading an order", err);
}

int sq_tx_order_find_root(store_tx *tx, const char *external_order_id, const char *operation_id,
                          int64_t order_index, gql_arena *a, store_order **out, store_err *err) {
    /* the expression of the unique index operation_orders_key, so it is used */
    sqlite3_stmt *st = prep(tx,
                            "SELECT " ORDER_COLS " FROM operation_orders WHERE parent_id IS NULL"
                            " AND ifnull(external_order_id, '') = ifnull(?, '') AND operation_id = ?"
                            " AND order_index = ?",
                            err);
    if (!st) return err->code;
    bind_text(st, 1, external_order_id);
    bind_text(st, 2, operation_id);
    sqlite3_bind_int64(st, 3, order_index);
    return one_row(tx, st, a, sizeof **out, row_order, (void **)out, "finding an order", err);
}

int sq_tx_order_insert(store_tx *tx, const store_order *in, int64_t *id_out, store_err *err) {
    sqlite3_stmt *st = prep(tx,
                            "INSERT INTO operation_orders (external_order_id, operation_id, order_index, status,"
                            " reserved_serial_number, secondary_external_order_id, parent_id, created_at,"
                            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            err);
    if (!st) return err->code;
    bind_text(st, 1, in->external_order_id);
    bind_text(st, 2, in->operation_id);
    sqlite3_bind_int64(st, 3, in->order_index);
    bind_text(st, 4, store_order_status_name(in->status));
    bind_text(st, 5, in->reserved_serial_number);
    bind_text(st, 6, in->secondary_external_order_id);
    if (in->parent_id) sqlite3_bind_int64(st, 7, in->parent_id);
    sqlite3_bind_int64(st, 8, tx->now);
    sqlite3_bind_int64(st, 9, tx->now);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *id_out = sqlite3_column_int64(st, 0);
    stmt_put(tx->cache, st);
    if (rc != SQLITE_ROW) return store_sqlite_err(err, tx->db, rc, "writing an order");
    /* a CREATED order is a product's or a subassembly's: never a work order */
    return in->status == STORE_ORDER_CREATED ? STORE_OK : store_wo_event_of(tx, *id_out, err);
}

int sq_tx_order_children(store_tx *tx, int64_t parent_id, gql_arena *a, store_order **out, size_t *n,
                         store_err *err) {
    sqlite3_stmt *st = prep(tx, "SELECT " ORDER_COLS " FROM operation_orders WHERE parent_id = ? ORDER BY id", err);
    if (!st) return err->code;
    sqlite3_bind_int64(st, 1, parent_id);
    return rows(tx, st, a, sizeof **out, row_order, (void **)out, n, "reading an order's children", err);
}

/* The ids of an order's tree (the order and its descendants), as a CTE named
 * `tree`. Statements over a tree write `+status` (no index on it): the
 * status index would otherwise lead SQLite to scan every READY or COMPLETED
 * order of the shop instead of the few rows of the tree. */
#define TREE_OF(param)                                                                                        \
    "WITH RECURSIVE tree(id) AS (SELECT " param " UNION ALL"                                                 \
    " SELECT o.id FROM operation_orders o JOIN tree t ON o.parent_id = t.id) "

int sq_tx_order_tree_save(store_tx *tx, int64_t root_id, const char *secondary_external_order_id,
                          const char *reserved_serial_number, store_err *err) {
    /* the restored work orders' events, read before the update changes
     * what "canceled" selects */
    sqlite3_stmt *st = prep(tx,
                            TREE_OF("?1") STORE_WO_APPEND("'READY'", "?2")
                            " AND o.id IN tree AND +o.status = 'CANCELED' ORDER BY o.id RETURNING seq",
                            err);
    if (!st) return err->code;
    sqlite3_bind_int64(st, 1, root_id);
    sqlite3_bind_int64(st, 2, tx->now);
    if (store_wo_append(tx, st, "appending work-order events", err)) return err->code;
    st = prep(tx,
              TREE_OF("?1")
              "UPDATE operation_orders SET secondary_external_order_id = ?2,"
              " reserved_serial_number = ?3, updated_at = ?4,"
              " status = CASE WHEN status <> 'CANCELED' THEN status"
              "   WHEN (SELECT kind FROM operations WHERE id = operation_id) = 'PROCESS' THEN 'READY'"
              "   ELSE 'CREATED' END"
              " WHERE id IN tree",
              err);
    if (!st) return err->code;
    sqlite3_bind_int64(st, 1, root_id);
    bind_text(st, 2, secondary_external_order_id);
    bind_text(st, 3, reserved_serial_number);
    sqlite3_bind_int64(st, 4, tx->now);
    return done(tx, st, "updating an order", err);
}

int sq_tx_order_set_optionals(store_tx *tx, int64_t root_id, const char *const *op_ids, size_t n,
                              store_err *err) {
    sqlite3_stmt *st = prep(tx, "DELETE FROM order_selected_optionals WHERE order_id = ?", err);
    if (!st) return err->code;
    sqlite3_bind_int64(st, 1, root_id);
    if (done(tx, st, "replacing selected optionals", err)) return err->code;
    if (n == 0) return STORE_OK;
    char *json = json_string_array(op_ids, n);
    st = prep(tx,
              "INSERT OR IGNORE INTO order_selected_optionals (order_id, operation_id)"
              " SELECT ?, value FROM json_each(?)",
              err);
    if (!st) {
        free(json);
        return err->code;
    }
    sqlite3_bind_int64(st, 1, root_id);
    sqlite3_bind_text(st, 2, json, -1, SQLITE_TRANSIENT);
    free(json);
    return done(tx, st, "writing selected optionals", err);
}

static void row_text(sqlite3_stmt *st, gql_arena *a, void *item) { *(const char **)item = col_text(st, 0, a); }

int sq_tx_order_optionals(store_tx *tx, int64_t order_id, gql_arena *a, const char ***out, size_t *n,
                          store_err *err) {
    sqlite3_stmt *st = prep(tx,
                            "WITH RECURSIVE up(id, parent) AS ("
                            " SELECT id, parent_id FROM operation_orders WHERE id = ? UNION ALL"
                            " SELECT o.id, o.parent_id FROM operation_orders o JOIN up ON o.id = up.parent)"
                            " SELECT s.operation_id FROM order_selected_optionals s"
                            " JOIN up ON up.id = s.order_id AND up.parent IS NULL ORDER BY s.operation_id",
                            err);
    if (!st) return err->code;
    sqlite3_bind_int64(st, 1, order_id);
    return rows(tx, st, a, sizeof **out, row_text, (void **)out, n, "reading selected optionals", err);
}

int sq_tx_tree_optionals(store_tx *tx, const char *op_id, gql_arena *a, const char ***out, size_t *n,
                         store_err *err) {
    sqlite3_stmt *st = prep(tx,
                            "WITH RECURSIVE tree(k, op, path) AS (SELECT 0, ?, ''" " UNION ALL" STORE_TREE_STEP ")"
                            " SELECT DISTINCT so.sub_id FROM tree t JOIN sub_operations so"
                            " ON so.parent_id = t.op AND so.archived_at IS NULL AND so.optional = 1"
                            " ORDER BY so.sub_id",
                            err);
    if (!st) return err->code;
    bind_text(st, 1, op_id);
    return rows(tx, st, a, sizeof **out, row_text, (void **)out, n, "reading optional components", err);
}

/* The trees of the unstarted roots of (?1 externalOrderId, ?2 operationId,
 * ?3 index or -1), as a CTE named `tree`. An unstarted root has no started
 * order in its tree (a start marks every ancestor), so the whole tree is
 * unstarted. */
#define CANCEL_TREE                                                                                      \
    "WITH RECURSIVE tree(id) AS ("                                                                      \
    " SELECT id FROM operation_orders WHERE parent_id IS NULL"                                          \
    " AND ifnull(external_order_id, '') = ifnull(?1, '') AND operation_id = ?2"                         \
    " AND (?3 < 0 OR order_index = ?3) AND status IN ('CREATED', 'READY')"                              \
    " UNION ALL SELECT o.id FROM operation_orders o JOIN tree t ON o.parent_id = t.id) "

static void bind_cancel(store_tx *tx, sqlite3_stmt *st, const char *external_order_id, const char *operation_id,
                        int64_t index) {
    bind_text(st, 1, external_order_id);
    bind_text(st, 2, operation_id);
    sqlite3_bind_int64(st, 3, index);
    sqlite3_bind_int64(st, 4, tx->now);
}

int sq_tx_orders_cancel(store_tx *tx, const char *external_order_id, const char *operation_id, int64_t index,
                        int64_t *count, store_err *err) {
    /* the canceled work orders' events first: after the update the roots
     * are no longer unstarted and the tree selects nothing */
    sqlite3_stmt *st = prep(tx,
                            CANCEL_TREE STORE_WO_APPEND("'CANCELED'", "?4")
                            " AND o.id IN tree AND +o.status IN ('CREATED', 'READY') ORDER BY o.id RETURNING seq",
                            err);
    if (!st) return err->code;
    bind_cancel(tx, st, external_order_id, operation_id, index);
    if (store_wo_append(tx, st, "appending work-order events", err)) return err->code;
    if (!(st = prep(tx,
                    CANCEL_TREE
                    "UPDATE operation_orders SET status = 'CANCELED', updated_at = ?4"
                    " WHERE id IN tree AND +status IN ('CREATED', 'READY')",
                    err)))
        return err->code;
    bind_cancel(tx, st, external_order_id, operation_id, index);
    if (done(tx, st, "canceling orders", err)) return err->code;
    *count = sqlite3_changes(tx->db);
    return STORE_OK;
}

int sq_tx_order_start(store_tx *tx, int64_t id, const char *station_id, int64_t operator_id, bool with_ancestors,
                      store_err *err) {
    sqlite3_stmt *st = prep(tx,
                            "UPDATE operation_orders SET status = 'IN_PROGRESS', station_id = ?2, operator_id = ?3,"
                            " started_at = ifnull(started_at, ?4), updated_at = ?4 WHERE id = ?1",
                            err);
    if (!st) return err->code;
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, station_id);
    sqlite3_bind_int64(st, 3, operator_id);
    sqlite3_bind_int64(st, 4, tx->now);
    if (done(tx, st, "starting an order", err)) return err->code;
    /* every start is an event, a hand-over too: the order leaves one
     * station's queue for another's (ancestors are products: none) */
    if (store_wo_event_of(tx, id, err)) return err->code;
    if (!with_ancestors) return STORE_OK;   /* a root: no walk up (it would cost a temporary table) */
    if (!(st = prep(tx,
                    "WITH RECURSIVE up(id) AS ("
                    " SELECT parent_id FROM operation_orders WHERE id = ?1 AND parent_id IS NOT NULL UNION ALL"
                    " SELECT o.parent_id FROM operation_orders o JOIN up ON o.id = up.id"
                    " WHERE o.parent_id IS NOT NULL)"
                    " UPDATE operation_orders SET status = 'IN_PROGRESS', started_at = ifnull(started_at, ?2),"
                    " updated_at = ?2 WHERE id IN up AND +status IN ('CREATED', 'READY')",
                    err)))
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, tx->now);
    return done(tx, st, "starting an order's ancestors", err);
}

int sq_tx_order_complete(store_tx *tx, int64_t id, const char *station_id, int64_t operator_id,
                         store_err *err) {
    sqlite3_stmt *st = prep(tx,
                            "UPDATE operation_orders SET status = 'COMPLETED', station_id = ifnull(?2, station_id),"
                            " operator_id = ifnull(?3, operator_id), started_at = ifnull(started_at, ?4),"
                            " completed_at = ?4, updated_at = ?4 WHERE id = ?1",
                            err);
    if (!st) return err->code;
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, station_id);
    if (operator_id) sqlite3_bind_int64(st, 3, operator_id);
    sqlite3_bind_int64(st, 4, tx->now);
    if (done(tx, st, "completing an order", err)) return err->code;
    return store_wo_event_of(tx, id, err);   /* none for a parent product or subassembly */
}

int sq_tx_operator_find_or_create(store_tx *tx, const char *name, int64_t *id, store_err *err) {
    /* DO UPDATE (a no-op) rather than DO NOTHING: RETURNING then gives the
     * existing row too, in one statement */
    sqlite3_stmt *st = prep(tx,
                            "INSERT INTO operators (name, created_at) VALUES (?, ?)"
                            " ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id",
                            err);
    if (!st) return err->code;
    bind_text(st, 1, name);
    sqlite3_bind_int64(st, 2, tx->now);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *id = sqlite3_column_int64(st, 0);
    stmt_put(tx->cache, st);
    return rc == SQLITE_ROW ? STORE_OK : store_sqlite_err(err, tx->db, rc, "writing an operator");
}

int sq_tx_names(store_tx *tx, const char *station_id, int64_t operator_id, gql_arena *a,
                const char **station_name, const char **operator_name, store_err *err) {
    sqlite3_stmt *st = prep(tx,
                            "SELECT (SELECT name FROM stations WHERE id = ?), (SELECT name FROM operators WHERE id = ?)",
                            err);
    if (!st) return err->code;
    bind_text(st, 1, station_id);
    sqlite3_bind_int64(st, 2, operator_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *station_name = col_text(st, 0, a);
        *operator_name = col_text(st, 1, a);
    }
    stmt_put(tx->cache, st);
    return rc == SQLITE_ROW ? STORE_OK : store_sqlite_err(err, tx->db, rc, "reading names");
}

/* ---- serials ---- */

/* An INSERT … ON CONFLICT DO NOTHING: *taken when it wrote nothing. */
static int insert_unless_taken(store_tx *tx, sqlite3_stmt *st, bool *taken, const char *what, store_err *err) {
    if (done(tx, st, what, err)) return err->code;
    *taken = sqlite3_changes(tx->db) == 0;
    return STORE_OK;
}

int sq_tx_serial_consume(store_tx *tx, const store_serial_in *in, bool *taken, store_err *err) {
    sqlite3_stmt *st = prep(tx,
                            "INSERT INTO consumed_serials (order_id, attribute_id, part_number, value, at,"
                            " attribute_name, external_id) VALUES (?, ?, ?, ?, ?, ?, ?)"
                            " ON CONFLICT (part_number, value) DO NOTHING",
                            err);
    if (!st) return err->code;
    sqlite3_bind_int64(st, 1, in->order_id);
    bind_text(st, 2, in->attribute_id);
    bind_text(st, 3, in->key);
    bind_text(st, 4, in->value);
    sqlite3_bind_int64(st, 5, tx->now);
    bind_text(st, 6, in->attribute_name);
    bind_text(st, 7, in->external_id);
    return insert_unless_taken(tx, st, taken, "capturing a serial", err);
}

int sq_tx_serial_produce(store_tx *tx, int64_t order_id, const char *key, const char *value, bool *taken,
                         store_err *err) {
    sqlite3_stmt *st = prep(tx,
                            "INSERT INTO produced_serials (order_id, part_number, value, at) VALUES (?, ?, ?, ?)"
                            " ON CONFLICT (part_number, value) DO NOTHING",
                            err);
    if (!st) return err->code;
    sqlite3_bind_int64(st, 1, order_id);
    bind_text(st, 2, key);
    bind_text(st, 3, value);
    sqlite3_bind_int64(st, 4, tx->now);
    return insert_unless_taken(tx, st, taken, "recording a produced serial", err);
}

/* ---- a completion's summary of a subtree ---- */

static void row_captured(sqlite3_stmt *st, gql_arena *a, void *item) {
    store_captured_serial *o = item;
    o->attribute_id = col_text(st, 0, a);
    o->name = col_text(st, 1, a);
    o->external_id = col_text(st, 2, a);
    o->value = col_text(st, 3, a);
}

/* The columns of the summary's first row, over the subtree's last completed
 * process `o` (NULL when none). */
#define SUMMARY_END_COLS                                                                                     \
    " o.completed_at, (SELECT value FROM produced_serials p WHERE p.order_id = o.id), o.station_id, s.name," \
    " o.operator_id, op.name"
#define SUMMARY_END_JOINS                                                                                    \
    " LEFT JOIN stations s ON s.id = o.station_id LEFT JOIN operators op ON op.id = o.operator_id"

int sq_tx_order_summary(store_tx *tx, int64_t order_id, bool leaf, gql_arena *a, store_order_summary *out,
                        store_err *err) {
    memset(out, 0, sizeof *out);
    /* the first start, and the last completed process (latest completion,
     * then latest id) with its produced serial, station and operator. A
     * leaf is its own subtree: plain lookups, no recursive walk (a walk
     * materializes a temporary table, which costs more than the rest of a
     * completion). */
    sqlite3_stmt *st = prep(tx,
                            leaf ? "SELECT o.started_at," SUMMARY_END_COLS " FROM operation_orders o" SUMMARY_END_JOINS
                                   " WHERE o.id = ?1 AND o.status = 'COMPLETED'"
                                 : TREE_OF("?1")
                                   "SELECT (SELECT min(started_at) FROM operation_orders WHERE id IN tree),"
                                   SUMMARY_END_COLS " FROM (SELECT 1) LEFT JOIN operation_orders o ON o.id = ("
                                   "   SELECT x.id FROM operation_orders x JOIN operations k ON k.id = x.operation_id"
                                   "   WHERE x.id IN tree AND +x.status = 'COMPLETED' AND k.kind = 'PROCESS'"
                                   "   ORDER BY x.completed_at DESC, x.id DESC LIMIT 1)" SUMMARY_END_JOINS,
                            err);
    if (!st) return err->code;
    sqlite3_bind_int64(st, 1, order_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->started_at = col_i64(st, 0);
        out->has_end = sqlite3_column_type(st, 1) != SQLITE_NULL;
        out->end_at = col_i64(st, 1);
        out->end_produced_serial = col_text(st, 2, a);
        out->end_station_id = col_text(st, 3, a);
        out->end_station_name = col_text(st, 4, a);
        out->end_operator_id = col_i64(st, 5);
        out->end_operator_name = col_text(st, 6, a);
        rc = SQLITE_DONE;
    }
    stmt_put(tx->cache, st);
    if (rc != SQLITE_DONE) return store_sqlite_err(err, tx->db, rc, "summing up an order");
    if (!(st = prep(tx,
                    leaf ? "SELECT attribute_id, attribute_name, external_id, value FROM consumed_serials"
                           " WHERE order_id = ?1 ORDER BY at, id"
                         : TREE_OF("?1")
                           "SELECT c.attribute_id, c.attribute_name, c.external_id, c.value FROM consumed_serials c"
                           " WHERE c.order_id IN tree ORDER BY c.at, c.id",
                    err)))
        return err->code;
    sqlite3_bind_int64(st, 1, order_id);
    return rows(tx, st, a, sizeof *out->consumed, row_captured, (void **)&out->consumed, &out->nconsumed,
                "reading captured serials", err);
}

/* ---- notes ---- */

int sq_tx_note_type(store_tx *tx, const char *name, int64_t *id, store_err *err) {
    sqlite3_stmt *st = prep(tx,
                            "INSERT INTO note_types (name) VALUES (?)"
                            " ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id",
                            err);
    if (!st) return err->code;
    bind_text(st, 1, name);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *id = sqlite3_column_int64(st, 0);
    stmt_put(tx->cache, st);
    return rc == SQLITE_ROW ? STORE_OK : store_sqlite_err(err, tx->db, rc, "writing a note type");
}

int sq_tx_note_insert(store_tx *tx, const store_note_in *in, store_err *err) {
    sqlite3_stmt *st = prep(tx,
                            "INSERT INTO notes (id, external_id, order_id, type_id, text, metadata, images,"
                            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            err);
    if (!st) return err->code;
    bind_text(st, 1, in->id);
    bind_text(st, 2, in->external_id);
    if (in->order_id) sqlite3_bind_int64(st, 3, in->order_id);
    if (in->type_id) sqlite3_bind_int64(st, 4, in->type_id);
    bind_text(st, 5, in->text);
    bind_text(st, 6, in->metadata_json);
    bind_text(st, 7, in->images_json);
    sqlite3_bind_int64(st, 8, tx->now);
    return done(tx, st, "writing a note", err);
}
