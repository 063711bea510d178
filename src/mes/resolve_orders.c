/*
 * resolve_orders.c: the OperationOrder and Operator types, the order batch,
 * and the Query fields operationOrders, workOrders and operators, and
 * mes_order_value (what the shop-floor mutations answer).
 *
 * An order batch loads, for every order in it at once, each thing an order
 * points to: its operation, parent, children, station and operator, one
 * statement each (domain.h, "Batches"). What it loads forms a batch of its
 * own (operations, orders, stations), so a level below costs one statement
 * more, never one per order: `operationOrders { children { children {
 * operation { steps { id } } } } }` is a fixed number of statements for any
 * number of orders.
 *
 * Must never: call the store per order, or keep anything beyond the request
 * arena.
 */
#include <inttypes.h>
#include <string.h>
#include "domain.h"

typedef struct order_ref { const store_order *row; mes_order_batch *batch; size_t index; } order_ref;

struct mes_order_batch {
    mes_ctx *c;
    order_ref *refs;
    size_t n;
    mes_link op, parent, station, oper;
    mes_op_batch *ops;
    mes_order_batch *parents;
    mes_station_batch *stations;
    mes_operator_ref *operators;
    /* children: of the distinct orders; kids[first[u] .. first[u+1]) */
    bool children_done;
    gql_rv children_error;
    size_t *children_first, *children_map;
    mes_order_batch *kids;
};

/* ---- distinct integers ---- */

size_t mes_distinct_int(gql_arena *a, const int64_t *ids, size_t n, int64_t **uniq, size_t *map) {
    size_t cap = 16;
    while (cap < 2 * n) cap *= 2;
    size_t *slot = gql_arena_calloc(a, cap * sizeof *slot);   /* index into out + 1; 0: empty */
    int64_t *out = gql_arena_alloc(a, (n ? n : 1) * sizeof *out);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        size_t h = (size_t)(((uint64_t)ids[i] * 0x9e3779b97f4a7c15ull) >> 20) & (cap - 1);
        while (slot[h] && out[slot[h] - 1] != ids[i]) h = (h + 1) & (cap - 1);
        if (!slot[h]) out[m++] = ids[i], slot[h] = m;
        map[i] = slot[h] - 1;
    }
    *uniq = out;
    return m;
}

/* ---- the batch ---- */

mes_order_batch *mes_order_batch_new(mes_ctx *c, const store_order *rows, size_t n) {
    mes_order_batch *b = gql_arena_calloc(c->arena, sizeof *b);
    b->c = c;
    b->n = n;
    b->refs = gql_arena_alloc(c->arena, (n ? n : 1) * sizeof *b->refs);
    for (size_t i = 0; i < n; i++) b->refs[i] = (order_ref){&rows[i], b, i};
    return b;
}

gql_rv mes_order_batch_list(mes_order_batch *b, size_t first, size_t count) {
    return mes_list_of(b->c->arena, b->refs, sizeof *b->refs, first, count);
}

gql_rv mes_order_batch_item(mes_order_batch *b, size_t i) { return gql_rv_obj(&b->refs[i], NULL); }

gql_rv mes_order_value(mes_ctx *c, int64_t order_id) {
    store_orders got = {0};
    store_err err = {0};
    if (store_orders_by_ids(c->st, &order_id, 1, c->arena, &got, &err)) return mes_read_error(c->arena, &err);
    if (!got.count) return gql_rv_null();
    return mes_order_batch_item(mes_order_batch_new(c, got.items, got.count), 0);
}

gql_rv mes_operator_value(gql_arena *a, const char *id, const char *name) {
    if (!id) return gql_rv_null();
    mes_operator *op = gql_arena_alloc(a, sizeof *op);
    *op = (mes_operator){id, name ? name : ""};
    mes_operator_ref *r = gql_arena_alloc(a, sizeof *r);
    r->row = op;
    return gql_rv_obj(r, NULL);
}

/* of[i] from a page of the distinct keys' items: the key's one item, or none */
static size_t *link_of(gql_arena *a, size_t n, const size_t *map, const size_t *first) {
    size_t *of = gql_arena_alloc(a, (n ? n : 1) * sizeof *of);
    for (size_t i = 0; i < n; i++) of[i] = first[map[i] + 1] > first[map[i]] ? first[map[i]] : SIZE_MAX;
    return of;
}

static bool link_failed(mes_link *l, gql_arena *a, const store_err *err) {
    l->error = mes_read_error(a, err);
    return false;
}

bool mes_link_operations(mes_ctx *c, const char *const *ids, size_t n, mes_link *l, mes_op_batch **out) {
    gql_arena *a = c->arena;
    l->done = true;
    size_t *map = gql_arena_alloc(a, (n ? n : 1) * sizeof *map);
    const char **uniq;
    size_t nu = mes_distinct(a, ids, n, &uniq, map);
    store_operations got = {0};
    store_err err = {0};
    if (store_operations_by_ids(c->st, uniq, nu, a, &got, &err)) return link_failed(l, a, &err);
    *out = mes_op_batch_new(c, got.items, got.count);
    l->of = link_of(a, n, map, got.first);
    return true;
}

bool mes_link_orders(mes_ctx *c, const int64_t *ids, size_t n, mes_link *l, mes_order_batch **out) {
    gql_arena *a = c->arena;
    l->done = true;
    size_t *map = gql_arena_alloc(a, (n ? n : 1) * sizeof *map);
    int64_t *uniq;
    size_t nu = mes_distinct_int(a, ids, n, &uniq, map);
    store_orders got = {0};
    store_err err = {0};
    if (store_orders_by_ids(c->st, uniq, nu, a, &got, &err)) return link_failed(l, a, &err);
    *out = mes_order_batch_new(c, got.items, got.count);
    l->of = link_of(a, n, map, got.first);
    return true;
}

/* the row member at offset of ref i */
static const void *member(const void *refs, size_t ref_size, size_t i, size_t offset) {
    const mes_row *r = (const mes_row *)((const char *)refs + i * ref_size);
    return (const char *)r->row + offset;
}

gql_rv mes_link_operation_item(mes_ctx *c, mes_link *l, mes_op_batch **ops, const void *refs, size_t ref_size,
                               size_t n, size_t offset, size_t index) {
    if (!l->done) {
        const char **ids = gql_arena_alloc(c->arena, (n ? n : 1) * sizeof *ids);
        for (size_t i = 0; i < n; i++) ids[i] = *(const char *const *)member(refs, ref_size, i, offset);
        mes_link_operations(c, ids, n, l, ops);
    }
    if (l->error.kind == GQL_RV_ERROR) return l->error;
    return l->of[index] == SIZE_MAX ? gql_rv_null() : mes_op_batch_item(*ops, l->of[index]);
}

gql_rv mes_link_order_item(mes_ctx *c, mes_link *l, mes_order_batch **orders, const void *refs, size_t ref_size,
                           size_t n, size_t offset, size_t index) {
    if (!l->done) {
        int64_t *ids = gql_arena_alloc(c->arena, (n ? n : 1) * sizeof *ids);
        for (size_t i = 0; i < n; i++) ids[i] = *(const int64_t *)member(refs, ref_size, i, offset);
        mes_link_orders(c, ids, n, l, orders);
    }
    if (l->error.kind == GQL_RV_ERROR) return l->error;
    return l->of[index] == SIZE_MAX ? gql_rv_null() : mes_order_batch_item(*orders, l->of[index]);
}

static mes_operator *operator_of(gql_arena *a, const store_operator *o) {
    mes_operator *op = gql_arena_alloc(a, sizeof *op);
    *op = (mes_operator){gql_arena_printf(a, "%" PRId64, o->id), o->name};
    return op;
}

static bool load_stations(mes_order_batch *b) {
    gql_arena *a = b->c->arena;
    b->station.done = true;
    size_t *map = gql_arena_alloc(a, (b->n ? b->n : 1) * sizeof *map);
    const char **all = gql_arena_alloc(a, (b->n ? b->n : 1) * sizeof *all), **uniq;
    for (size_t i = 0; i < b->n; i++) all[i] = b->refs[i].row->station_id;
    size_t nu = mes_distinct(a, all, b->n, &uniq, map);
    store_stations got = {0};
    store_err err = {0};
    if (store_stations_by_ids(b->c->st, uniq, nu, a, &got, &err)) return link_failed(&b->station, a, &err);
    b->stations = mes_station_batch_new(b->c, got.items, got.count);
    b->station.of = link_of(a, b->n, map, got.first);
    return true;
}

static bool load_operators(mes_order_batch *b) {
    gql_arena *a = b->c->arena;
    b->oper.done = true;
    size_t *map = gql_arena_alloc(a, (b->n ? b->n : 1) * sizeof *map);
    int64_t *all = gql_arena_alloc(a, (b->n ? b->n : 1) * sizeof *all), *uniq;
    for (size_t i = 0; i < b->n; i++) all[i] = b->refs[i].row->operator_id;
    size_t nu = mes_distinct_int(a, all, b->n, &uniq, map);
    store_operators got = {0};
    store_err err = {0};
    if (store_operators_by_ids(b->c->st, uniq, nu, a, &got, &err)) return link_failed(&b->oper, a, &err);
    b->operators = gql_arena_alloc(a, (got.count ? got.count : 1) * sizeof *b->operators);
    for (size_t k = 0; k < got.count; k++) b->operators[k].row = operator_of(a, &got.items[k]);
    b->oper.of = link_of(a, b->n, map, got.first);
    return true;
}

static void load_children(mes_order_batch *b) {
    gql_arena *a = b->c->arena;
    b->children_done = true;
    size_t n1 = b->n ? b->n : 1;
    int64_t *all = gql_arena_alloc(a, n1 * sizeof *all);
    for (size_t i = 0; i < b->n; i++) all[i] = b->refs[i].row->id;
    b->children_map = gql_arena_alloc(a, n1 * sizeof *b->children_map);
    int64_t *ids;
    size_t nids = mes_distinct_int(a, all, b->n, &ids, b->children_map);
    store_orders got = {0};
    store_err err = {0};
    if (store_orders_children_of(b->c->st, ids, nids, a, &got, &err)) {
        b->children_error = mes_read_error(a, &err);
        return;
    }
    b->kids = mes_order_batch_new(b->c, got.items, got.count);
    b->children_first = got.first;
}

/* ---- OperationOrder ---- */

static gql_rv order_id(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args;
    const char *s = gql_arena_printf(info->arena, "%" PRId64, ((const order_ref *)src)->row->id);
    return gql_rv_str(s, (uint32_t)strlen(s));
}

static gql_rv order_status(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args, (void)info;
    const char *s = store_order_status_name(((const order_ref *)src)->row->status);
    return gql_rv_str(s, (uint32_t)strlen(s));
}

static gql_rv order_operation(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args, (void)info;
    const order_ref *r = src;
    mes_order_batch *b = r->batch;
    return mes_link_operation_item(b->c, &b->op, &b->ops, b->refs, sizeof *b->refs, b->n,
                                   offsetof(store_order, operation_id), r->index);
}
static gql_rv order_parent(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args, (void)info;
    const order_ref *r = src;
    mes_order_batch *b = r->batch;
    return mes_link_order_item(b->c, &b->parent, &b->parents, b->refs, sizeof *b->refs, b->n,
                               offsetof(store_order, parent_id), r->index);
}
static gql_rv order_station(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args, (void)info;
    const order_ref *r = src;
    mes_order_batch *b = r->batch;
    if (!b->station.done) load_stations(b);
    if (b->station.error.kind == GQL_RV_ERROR) return b->station.error;
    size_t k = b->station.of[r->index];
    return k == SIZE_MAX ? gql_rv_null() : mes_station_batch_item(b->stations, k);
}
static gql_rv order_operator(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args, (void)info;
    const order_ref *r = src;
    mes_order_batch *b = r->batch;
    if (!b->oper.done) load_operators(b);
    if (b->oper.error.kind == GQL_RV_ERROR) return b->oper.error;
    size_t k = b->oper.of[r->index];
    return k == SIZE_MAX ? gql_rv_null() : gql_rv_obj(&b->operators[k], NULL);
}

static gql_rv order_children(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args, (void)info;
    const order_ref *r = src;
    mes_order_batch *b = r->batch;
    if (!b->children_done) load_children(b);
    if (b->children_error.kind == GQL_RV_ERROR) return b->children_error;
    size_t u = b->children_map[r->index];
    return mes_order_batch_list(b->kids, b->children_first[u], b->children_first[u + 1] - b->children_first[u]);
}

/* ---- Query ---- */

static gql_rv q_operation_orders(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src;
    mes_ctx *c = mes_ctx_of(info);
    const store_filter *where;
    int64_t limit, offset;
    gql_rv e;
    if (!mes_list_args(info, args, STORE_E_OPERATION_ORDER, &where, &limit, &offset, &e)) return e;
    store_order *rows;
    size_t n;
    store_err err = {0};
    if (store_orders_list(c->st, where, limit, offset, info->arena, &rows, &n, &err))
        return mes_read_error(info->arena, &err);
    return mes_order_batch_list(mes_order_batch_new(c, rows, n), 0, n);
}

/* workOrders(stationId, status): an unknown station is NOT_FOUND (api.md's
 * codes), not an empty queue that would hide a typo. */
static gql_rv q_work_orders(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src;
    mes_ctx *c = mes_ctx_of(info);
    gql_arena *a = info->arena;
    store_err err = {0};
    const char *station_id = NULL;
    const gql_val *sid = gql_val_get(args, "stationId", 9);
    if (sid && sid->kind == GQL_V_STRING) {
        station_id = mes_lower(a, sid->u.str.s, sid->u.str.len);
        store_station *st;
        if (store_station_get(c->st, station_id, a, &st, &err)) return mes_read_error(a, &err);
        if (!st) return gql_rv_error(gql_arena_printf(a, "Unknown station \"%s\".", station_id), "NOT_FOUND");
    }
    const gql_val *sv = gql_val_get(args, "status", 6);
    store_order_status *statuses = NULL;
    size_t nstatuses = 0;
    if (sv && sv->kind == GQL_V_LIST) {
        statuses = gql_arena_alloc(a, (sv->u.list.count ? sv->u.list.count : 1) * sizeof *statuses);
        for (uint32_t i = 0; i < sv->u.list.count; i++) {
            const gql_val *v = sv->u.list.items[i];
            for (int k = STORE_ORDER_CREATED; k <= STORE_ORDER_CANCELED; k++)
                if ((v->kind == GQL_V_STRING || v->kind == GQL_V_ENUM) &&
                    strcmp(v->u.str.s, store_order_status_name((store_order_status)k)) == 0)
                    statuses[nstatuses++] = (store_order_status)k;
        }
    }
    store_order *rows;
    size_t n;
    if (store_work_orders(c->st, station_id, statuses, nstatuses, a, &rows, &n, &err)) return mes_read_error(a, &err);
    return mes_order_batch_list(mes_order_batch_new(c, rows, n), 0, n);
}

static gql_rv q_operators(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src, (void)args;
    mes_ctx *c = mes_ctx_of(info);
    gql_arena *a = info->arena;
    store_operator *rows;
    size_t n;
    store_err err = {0};
    if (store_operators_list(c->st, a, &rows, &n, &err)) return mes_read_error(a, &err);
    mes_operator_ref *refs = gql_arena_alloc(a, (n ? n : 1) * sizeof *refs);
    for (size_t i = 0; i < n; i++) refs[i].row = operator_of(a, &rows[i]);
    return mes_list_of(a, refs, sizeof *refs, 0, n);
}

#define AT(T, m) offsetof(T, m)

bool mes_bind_orders(gql_schema *s, char *err, size_t errlen) {
    static const mes_binding order[] = {
        {"id", order_id, 0},
        {"externalOrderId", mes_field_str, AT(store_order, external_order_id)},
        {"secondaryExternalOrderId", mes_field_str, AT(store_order, secondary_external_order_id)},
        {"orderIndex", mes_field_int, AT(store_order, order_index)},
        {"operation", order_operation, 0},
        {"status", order_status, 0},
        {"reservedSerialNumber", mes_field_str, AT(store_order, reserved_serial_number)},
        {"parent", order_parent, 0},
        {"children", order_children, 0},
        {"station", order_station, 0},
        {"operator", order_operator, 0},
        {"createdAt", mes_field_time, AT(store_order, created_at)},
        {"updatedAt", mes_field_time, AT(store_order, updated_at)},
        {"startedAt", mes_field_time, AT(store_order, started_at)},
        {"completedAt", mes_field_time, AT(store_order, completed_at)},
    };
    static const mes_binding operator_[] = {
        {"id", mes_field_str, AT(mes_operator, id)},
        {"name", mes_field_str, AT(mes_operator, name)},
    };
    static const mes_binding query[] = {
        {"operationOrders", q_operation_orders, 0},
        {"workOrders", q_work_orders, 0},
        {"operators", q_operators, 0},
    };
#define BIND(type, arr) mes_bind_all(s, type, arr, sizeof arr / sizeof arr[0], err, errlen)
    return BIND("OperationOrder", order) && BIND("Operator", operator_) && BIND("Query", query);
#undef BIND
}
