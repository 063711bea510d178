/*
 * store_pg_orders_read.c: the read side of orders on PostgreSQL, the
 * counterpart of store_orders_read.c: filtered pages of orders, orders by
 * ids, the waterfall children of many orders, the shop-floor queue,
 * operators, stations by ids. Lists of many parents go as one JSON array
 * (pgs_read_children), so each call is one statement whatever the count.
 *
 * Must never: write, issue one statement per parent, touch the connection
 * but through pgs_read, or return more than STORE_PAGE_MAX rows.
 */
#include <stdlib.h>
#include <string.h>
#include "pg_util.h"
#include "store_pg.h"

static store_order_status status_of(const char *name) {
    for (int k = STORE_ORDER_CREATED; k <= STORE_ORDER_CANCELED; k++)
        if (strcmp(name, store_order_status_name((store_order_status)k)) == 0) return (store_order_status)k;
    return STORE_ORDER_CREATED;
}

/* STORE_ORDER_COLS */
static void row_order(const PGresult *r, int row, int f, gql_arena *a, void *item) {
    store_order *o = item;
    o->id = pg_i64(r, row, f);
    o->parent_id = pg_i64(r, row, f + 1);
    o->external_order_id = pg_text(r, row, f + 2, a);
    o->secondary_external_order_id = pg_text(r, row, f + 3, a);
    o->operation_id = pg_text(r, row, f + 4, a);
    o->reserved_serial_number = pg_text(r, row, f + 5, a);
    o->order_index = pg_i64(r, row, f + 6);
    o->status = status_of(PQgetvalue(r, row, f + 7));
    o->station_id = pg_text(r, row, f + 8, a);
    o->operator_id = pg_i64(r, row, f + 9);
    o->created_at = pg_i64(r, row, f + 10);
    o->updated_at = pg_i64(r, row, f + 11);
    o->started_at = pg_i64(r, row, f + 12);
    o->completed_at = pg_i64(r, row, f + 13);
}

static void row_operator(const PGresult *r, int row, int f, gql_arena *a, void *item) {
    store_operator *o = item;
    o->id = pg_i64(r, row, f);
    o->name = pg_text(r, row, f + 1, a);
}

int pgs_orders_list(store *s, const store_filter *where, int64_t limit, int64_t offset, gql_arena *a,
                    store_order **out, size_t *n, store_err *err) {
    /* ids grow with creation: id order is creation order */
    return pgs_read_list(s, "SELECT " STORE_ORDER_COLS("t0") " FROM operation_orders t0", STORE_E_OPERATION_ORDER,
                         where, "t0.id", limit, offset, a, sizeof **out, row_order, (void **)out, n, err);
}

int pgs_orders_by_ids(store *s, const int64_t *ids, size_t n, gql_arena *a, store_orders *out, store_err *err) {
    return pgs_read_children(s,
                             "SELECT p.i - 1, " STORE_ORDER_COLS("t") " FROM " PGS_PARENTS
                             PGS_PROBE("SELECT * FROM operation_orders t WHERE t.id = p.v::bigint", "t") " ORDER BY p.i",
                             json_int_array(ids, n), n, a, sizeof *out->items, row_order, (void **)&out->items,
                             &out->count, &out->first, err);
}

int pgs_orders_children_of(store *s, const int64_t *parent_ids, size_t n, gql_arena *a, store_orders *out,
                           store_err *err) {
    return pgs_read_children(s,
                             "SELECT p.i - 1, " STORE_ORDER_COLS("t") " FROM " PGS_PARENTS
                             PGS_PROBE("SELECT * FROM operation_orders t WHERE t.parent_id = p.v::bigint", "t")
                             " ORDER BY p.i, t.id",
                             json_int_array(parent_ids, n), n, a, sizeof *out->items, row_order,
                             (void **)&out->items, &out->count, &out->first, err);
}

/* The statuses go as a JSON array of their names (a name twice is the same
 * set, as SQLite's IN has it), made an array once (an InitPlan): as
 * "IN (SELECT …)" PostgreSQL joined every order against the unnested
 * names, a semi-join per row (7 ms over 4,300 orders, 0.9 ms as = ANY). */
int pgs_work_orders(store *s, const char *station_id, const store_order_status *statuses, size_t nstatuses,
                    gql_arena *a, store_order **out, size_t *n, store_err *err) {
    static const store_order_status queue[] = {STORE_ORDER_READY, STORE_ORDER_IN_PROGRESS};
    if (!statuses) statuses = queue, nstatuses = 2;
    const char **names = gql_arena_alloc(a, (nstatuses ? nstatuses : 1) * sizeof *names);
    for (size_t i = 0; i < nstatuses; i++) names[i] = store_order_status_name(statuses[i]);
    char *json = json_string_array(names, nstatuses), max[PG_I64_LEN];
    const char *params[] = {json, station_id, pg_i64_param(max, STORE_PAGE_MAX)};
    /* an order started at a station is that station's; one not started is
     * at every station that can do its process */
    int rc = pgs_read_rows(s,
                           "SELECT " STORE_ORDER_COLS("t") " FROM operation_orders t"
                           " JOIN operations o ON o.id = t.operation_id AND o.kind = 'PROCESS'"
                           " WHERE t.status = ANY (ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))"
                           " AND ($2::text IS NULL OR t.station_id = $2 OR (t.station_id IS NULL AND EXISTS ("
                           "  SELECT 1 FROM station_processes sp"
                           "  WHERE sp.station_id = $2 AND sp.operation_id = t.operation_id)))"
                           " ORDER BY t.created_at, t.id LIMIT $3",
                           3, params, a, sizeof **out, row_order, (void **)out, n, err);
    free(json);
    return rc;
}

int pgs_operators_list(store *s, gql_arena *a, store_operator **out, size_t *n, store_err *err) {
    return pgs_read_list(s, "SELECT t0.id, t0.name FROM operators t0", STORE_E_OPERATOR, NULL, "t0.id", -1, 0, a,
                         sizeof **out, row_operator, (void **)out, n, err);
}

int pgs_operators_by_ids(store *s, const int64_t *ids, size_t n, gql_arena *a, store_operators *out,
                         store_err *err) {
    return pgs_read_children(s,
                             "SELECT p.i - 1, t.id, t.name FROM " PGS_PARENTS
                             PGS_PROBE("SELECT * FROM operators t WHERE t.id = p.v::bigint", "t") " ORDER BY p.i",
                             json_int_array(ids, n), n, a, sizeof *out->items, row_operator,
                             (void **)&out->items, &out->count, &out->first, err);
}

int pgs_stations_by_ids(store *s, const char *const *ids, size_t n, gql_arena *a, store_stations *out,
                        store_err *err) {
    return pgs_read_children(s,
                             "SELECT p.i - 1, t.id, t.name, t.updated_at FROM " PGS_PARENTS
                             PGS_PROBE("SELECT * FROM stations t WHERE t.id = p.v", "t") " ORDER BY p.i",
                             json_string_array(ids, n), n, a, sizeof *out->items, pgs_read_station,
                             (void **)&out->items, &out->count, &out->first, err);
}
