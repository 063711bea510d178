/*
 * store_orders_read.c: the read side of orders (loop thread, read
 * connection, cached statements): filtered pages of orders, orders by ids,
 * the waterfall children of many orders, the shop-floor queue, operators,
 * stations by ids. Lists of many parents go as one JSON array to json_each
 * (store_read_children), so each call is one statement whatever the count.
 *
 * Must never: write, issue one statement per parent, or return more than
 * STORE_PAGE_MAX rows from one call.
 */
#include <stdlib.h>
#include <string.h>
#include "store_internal.h"

static void row_order(sqlite3_stmt *st, int f, gql_arena *a, void *item) { read_order(st, f, a, item); }

static void row_operator(sqlite3_stmt *st, int f, gql_arena *a, void *item) {
    store_operator *o = item;
    o->id = col_i64(st, f);
    o->name = col_text(st, f + 1, a);
}

static void row_station(sqlite3_stmt *st, int f, gql_arena *a, void *item) {
    store_station *o = item;
    o->id = col_text(st, f, a);
    o->name = col_text(st, f + 1, a);
    o->updated_at = col_i64(st, f + 2);
}

int sq_orders_list(store *s, const store_filter *where, int64_t limit, int64_t offset, gql_arena *a,
                   store_order **out, size_t *n, store_err *err) {
    /* ids grow with creation: id order is creation order, and the key's index */
    return store_read_list(s, "SELECT " STORE_ORDER_COLS("t0") " FROM operation_orders t0", STORE_E_OPERATION_ORDER,
                           where, "t0.id", limit, offset, a, sizeof **out, row_order, (void **)out, n, err);
}

int sq_orders_by_ids(store *s, const int64_t *ids, size_t n, gql_arena *a, store_orders *out, store_err *err) {
    return store_read_children(s,
                               "SELECT j.key, " STORE_ORDER_COLS("t") " FROM json_each(?) j"
                               " JOIN operation_orders t ON t.id = j.value ORDER BY j.key",
                               json_int_array(ids, n), n, a, sizeof *out->items, row_order, (void **)&out->items,
                               &out->count, &out->first, err);
}

int sq_orders_children_of(store *s, const int64_t *parent_ids, size_t n, gql_arena *a, store_orders *out,
                          store_err *err) {
    return store_read_children(s,
                               "SELECT j.key, " STORE_ORDER_COLS("t") " FROM json_each(?) j"
                               " JOIN operation_orders t ON t.parent_id = j.value ORDER BY j.key, t.id",
                               json_int_array(parent_ids, n), n, a, sizeof *out->items, row_order,
                               (void **)&out->items, &out->count, &out->first, err);
}

int sq_work_orders(store *s, const char *station_id, const store_order_status *statuses, size_t nstatuses,
                   gql_arena *a, store_order **out, size_t *n, store_err *err) {
    static const store_order_status queue[] = {STORE_ORDER_READY, STORE_ORDER_IN_PROGRESS};
    if (!statuses) statuses = queue, nstatuses = 2;
    const char *names[STORE_ORDER_CANCELED + 1];
    size_t k = 0;
    for (size_t i = 0; i < nstatuses && k < sizeof names / sizeof names[0]; i++) {
        const char *nm = store_order_status_name(statuses[i]);
        bool seen = false;
        for (size_t j = 0; j < k; j++) seen = seen || names[j] == nm;
        if (!seen) names[k++] = nm;
    }
    /* an order started at a station is that station's; one not started is
     * at every station that can do its process */
    sqlite3_stmt *st = stmt_get(&s->rcache,
                                "SELECT " STORE_ORDER_COLS("t") " FROM operation_orders t"
                                " JOIN operations o ON o.id = t.operation_id AND o.kind = 'PROCESS'"
                                " WHERE t.status IN (SELECT value FROM json_each(?1))"
                                " AND (?2 IS NULL OR t.station_id = ?2 OR (t.station_id IS NULL AND EXISTS ("
                                "  SELECT 1 FROM station_processes sp"
                                "  WHERE sp.station_id = ?2 AND sp.operation_id = t.operation_id)))"
                                " ORDER BY t.created_at, t.id LIMIT ?3",
                                err);
    if (!st) return err->code;
    sqlite3_bind_text(st, 1, json_string_array(names, k), -1, free);
    bind_text(st, 2, station_id);
    sqlite3_bind_int64(st, 3, STORE_PAGE_MAX);
    return store_read_rows(s, st, 0, a, sizeof **out, row_order, (void **)out, n, err);
}

int sq_operators_list(store *s, gql_arena *a, store_operator **out, size_t *n, store_err *err) {
    return store_read_list(s, "SELECT t0.id, t0.name FROM operators t0", STORE_E_OPERATOR, NULL, "t0.id", -1, 0, a,
                           sizeof **out, row_operator, (void **)out, n, err);
}

int sq_operators_by_ids(store *s, const int64_t *ids, size_t n, gql_arena *a, store_operators *out,
                        store_err *err) {
    return store_read_children(s,
                               "SELECT j.key, t.id, t.name FROM json_each(?) j"
                               " JOIN operators t ON t.id = j.value ORDER BY j.key",
                               json_int_array(ids, n), n, a, sizeof *out->items, row_operator,
                               (void **)&out->items, &out->count, &out->first, err);
}

int sq_stations_by_ids(store *s, const char *const *ids, size_t n, gql_arena *a, store_stations *out,
                       store_err *err) {
    return store_read_children(s,
                               "SELECT j.key, t.id, t.name, t.updated_at FROM json_each(?) j"
                               " JOIN stations t ON t.id = j.value ORDER BY j.key",
                               json_string_array(ids, n), n, a, sizeof *out->items, row_station,
                               (void **)&out->items, &out->count, &out->first, err);
}
