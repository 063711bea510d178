/*
 * resolve_work_order_events.c: WorkOrderEvent, Query.workOrderEvents and
 * the `stationId` filter of the work-order stream (workOrderEventsStream is
 * fed by the bus like the other four streams).
 *
 * An event holds only what the change decided (seq, time, the status it
 * gave); `workOrder` is the order as it is now, loaded for every event of a
 * list (or a replay page) with one statement, as an order batch whose own
 * links load the same way.
 *
 * stationId keeps the rule of workOrders(stationId): the events of orders
 * whose process the station can do (station_processes). Unlike the queue it
 * does not drop orders started elsewhere: a station must hear that an order
 * it listed was started at another one, to take it off its screen.
 *
 * Must never: read the store per event, or answer an unknown station with
 * an empty stream that would hide a typo (NOT_FOUND, as workOrders).
 */
#include <string.h>
#include "domain.h"

typedef struct wo_batch wo_batch;
typedef struct wo_ref { const store_event *row; wo_batch *batch; size_t index; } wo_ref;

struct wo_batch {
    mes_ctx *c;
    wo_ref *refs;
    size_t n;
    mes_link order;
    mes_order_batch *orders;
};

static wo_batch *batch_new(mes_ctx *c, const store_event *evs, size_t n) {
    wo_batch *b = gql_arena_calloc(c->arena, sizeof *b);
    b->c = c;
    b->n = n;
    b->refs = gql_arena_alloc(c->arena, (n ? n : 1) * sizeof *b->refs);
    for (size_t i = 0; i < n; i++) b->refs[i] = (wo_ref){&evs[i], b, i};
    return b;
}

gql_rv mes_work_order_event_value(mes_ctx *c, const store_event *ev) {
    return gql_rv_obj(&batch_new(c, ev, 1)->refs[0], NULL);
}

bool mes_work_order_filter(store *st, gql_arena *a, const gql_val *args, const store_filter **out, const char **code,
                           const char **message) {
    *out = NULL;
    const gql_val *sid = gql_val_get(args, "stationId", 9);
    if (!sid || sid->kind != GQL_V_STRING) return true;
    const char *station_id = mes_lower(a, sid->u.str.s, sid->u.str.len);
    store_station *row;
    store_err err = {0};
    if (store_station_get(st, station_id, a, &row, &err)) {
        *code = err.code == STORE_EINPUT || err.code == STORE_EUNAVAILABLE ? mes_store_code(err.code) : "INTERNAL";
        *message = gql_arena_strdup(a, err.message);
        return false;
    }
    if (!row) {
        *code = "NOT_FOUND";
        *message = gql_arena_printf(a, "Unknown station \"%s\".", station_id);
        return false;
    }
    /* stations: { stationId: { _eq: station_id } } (store_filter.c) */
    store_value *v = gql_arena_calloc(a, sizeof *v);
    *v = (store_value){.kind = STORE_V_STRING, .s = station_id};
    store_filter *cmp = gql_arena_calloc(a, sizeof *cmp);
    *cmp = (store_filter){.kind = STORE_F_CMP, .field = "stationId", .op = STORE_EQ, .values = v, .nvalues = 1};
    store_filter **kids = gql_arena_alloc(a, sizeof *kids);
    kids[0] = cmp;
    store_filter *f = gql_arena_calloc(a, sizeof *f);
    *f = (store_filter){.kind = STORE_F_OBJECT, .field = "stations", .children = kids, .nchildren = 1};
    *out = f;
    return true;
}

static gql_rv e_work_order(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args, (void)info;
    const wo_ref *r = src;
    wo_batch *b = r->batch;
    return mes_link_order_item(b->c, &b->order, &b->orders, b->refs, sizeof *b->refs, b->n,
                               offsetof(store_event, order_id), r->index);
}

static gql_rv q_work_order_events(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src;
    store_event *evs;
    size_t n;
    gql_rv e;
    if (!mes_stream_query(info, args, STORE_STREAM_WORK_ORDERS, &evs, &n, &e)) return e;
    wo_batch *b = batch_new(mes_ctx_of(info), evs, n);
    return mes_list_of(info->arena, b->refs, sizeof *b->refs, 0, n);
}

#define AT(m) offsetof(store_event, m)

bool mes_bind_work_order_events(gql_schema *s, char *err, size_t errlen) {
    static const mes_binding event[] = {
        {"seq", mes_field_int, AT(seq)},
        {"at", mes_field_time, AT(at)},
        {"status", mes_field_str, AT(status)},
        {"workOrder", e_work_order, 0},
    };
    static const mes_binding query[] = {{"workOrderEvents", q_work_order_events, 0}};
    return mes_bind_all(s, "WorkOrderEvent", event, sizeof event / sizeof event[0], err, errlen) &&
           mes_bind_all(s, "Query", query, sizeof query / sizeof query[0], err, errlen);
}
