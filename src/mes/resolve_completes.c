/*
 * resolve_completes.c: OperationOrderComplete, OperationSummary and State,
 * rendered from the completion's stored payload (its format is fixed in
 * mes_internal.h), and Query.operationOrderCompletes.
 *
 * A completion never changes: every field comes from its payload, but
 * `operation`, which is the Operation as it is now (loaded for every
 * completion of a list with one statement), and the processes of the
 * State's station (a station batch). One source object serves the three
 * types: OperationSummary and State are views of the same completion (the
 * summary's endState and the top-level endState are one State).
 *
 * Must never: read the store per completion, or show anything the payload
 * does not hold as if it were recorded.
 */
#include <string.h>
#include "domain.h"

typedef struct complete_batch complete_batch;

typedef struct complete_row {
    int64_t seq, at;
    const char *operation_id, *external_order_id, *secondary_external_order_id, *reserved_serial_number;
    int64_t order_index, started_at, cycle_time;
    bool has_order_index, has_cycle_time, has_wip, wip;
    mes_attr_ref *serials;
    size_t nserials;
    /* endState */
    bool has_end;
    const char *produced_serial;
    int64_t end_at;
    size_t station;   /* in the batch's stations; SIZE_MAX: none */
    const char *operator_id, *operator_name;
} complete_row;

typedef struct complete_ref { const complete_row *row; complete_batch *batch; size_t index; } complete_ref;

struct complete_batch {
    mes_ctx *c;
    complete_ref *refs;
    size_t n;
    mes_station_batch *stations;   /* the end states' stations, from the payloads */
    mes_link op;
    mes_op_batch *ops;
};

/* The captured serials: Attributes with their values. */
static void read_serials(gql_arena *a, const gql_val *p, complete_row *r) {
    const gql_val *list = gql_val_get(p, "consumedSerials", 15);
    if (!list || list->kind != GQL_V_LIST) return;
    r->serials = gql_arena_alloc(a, (list->u.list.count ? list->u.list.count : 1) * sizeof *r->serials);
    for (uint32_t i = 0; i < list->u.list.count; i++) {
        const gql_val *s = list->u.list.items[i];
        store_attribute *at = gql_arena_calloc(a, sizeof *at);
        at->id = mes_payload_str(s, "id");
        if (!at->id) continue;   /* Attribute.id is non-null: a serial without one is not shown */
        at->name = mes_payload_str(s, "name");
        at->part_number = mes_payload_str(s, "externalId");
        r->serials[r->nserials++] = (mes_attr_ref){at, mes_payload_str(s, "value")};
    }
}

static void read_row(gql_arena *a, const store_event *ev, complete_row *r, store_station *station) {
    const gql_val *p = mes_payload(a, ev);
    r->seq = ev->seq;
    if (!mes_payload_int(p, "at", &r->at)) r->at = ev->at;
    r->operation_id = mes_payload_str(p, "operationId");
    /* externalOrderId is String! (Pico's type) but an order may be saved
     * without one: the empty string then, rather than an error */
    r->external_order_id = mes_payload_str(p, "externalOrderId");
    if (!r->external_order_id) r->external_order_id = "";
    r->secondary_external_order_id = mes_payload_str(p, "secondaryExternalOrderId");
    r->reserved_serial_number = mes_payload_str(p, "reservedSerialNumber");
    r->has_order_index = mes_payload_int(p, "orderIndex", &r->order_index);
    mes_payload_int(p, "startedAt", &r->started_at);
    r->has_cycle_time = mes_payload_int(p, "cycleTime", &r->cycle_time);
    const gql_val *wip = gql_val_get(p, "wip", 3);
    r->has_wip = wip && wip->kind == GQL_V_BOOL;
    r->wip = r->has_wip && wip->u.b;
    read_serials(a, p, r);
    r->station = SIZE_MAX;
    const gql_val *end = gql_val_get(p, "endState", 8);
    if (!end || end->kind != GQL_V_OBJECT) return;
    r->has_end = true;
    r->produced_serial = mes_payload_str(end, "producedSerial");
    if (!mes_payload_int(end, "at", &r->end_at)) r->end_at = r->at;
    const gql_val *st = gql_val_get(end, "station", 7);
    if ((station->id = mes_payload_str(st, "id"))) station->name = mes_payload_str(st, "name");
    const gql_val *op = gql_val_get(end, "operator", 8);
    r->operator_id = mes_payload_id(a, op, "id");
    r->operator_name = mes_payload_str(op, "name");
}

static complete_batch *batch_new(mes_ctx *c, const store_event *evs, size_t n) {
    gql_arena *a = c->arena;
    size_t n1 = n ? n : 1;
    complete_batch *b = gql_arena_calloc(a, sizeof *b);
    b->c = c;
    b->n = n;
    complete_row *rows = gql_arena_calloc(a, n1 * sizeof *rows);
    store_station *stations = gql_arena_calloc(a, n1 * sizeof *stations);
    size_t nstations = 0;
    b->refs = gql_arena_alloc(a, n1 * sizeof *b->refs);
    for (size_t i = 0; i < n; i++) {
        read_row(a, &evs[i], &rows[i], &stations[nstations]);
        if (stations[nstations].id) rows[i].station = nstations++;
        b->refs[i] = (complete_ref){&rows[i], b, i};
    }
    b->stations = mes_station_batch_new(c, stations, nstations);
    return b;
}

gql_rv mes_completes_list(mes_ctx *c, const store_event *evs, size_t n) {
    complete_batch *b = batch_new(c, evs, n);
    return mes_list_of(c->arena, b->refs, sizeof *b->refs, 0, n);
}

gql_rv mes_complete_value(mes_ctx *c, const store_event *ev) {
    return gql_rv_obj(&batch_new(c, ev, 1)->refs[0], NULL);
}

/* ---- OperationOrderComplete ---- */

#define ROW(src) (((const complete_ref *)(src))->row)

static gql_rv c_operation(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args, (void)info;
    const complete_ref *r = src;
    complete_batch *b = r->batch;
    return mes_link_operation_item(b->c, &b->op, &b->ops, b->refs, sizeof *b->refs, b->n,
                                   offsetof(complete_row, operation_id), r->index);
}

static gql_rv c_order_index(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args, (void)info;
    return ROW(src)->has_order_index ? gql_rv_int(ROW(src)->order_index) : gql_rv_null();
}

static gql_rv c_wip(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args, (void)info;
    return ROW(src)->has_wip ? gql_rv_bool(ROW(src)->wip) : gql_rv_null();
}

/* operationSummary: the same completion, seen as an OperationSummary */
static gql_rv c_summary(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args, (void)info;
    return gql_rv_obj(src, NULL);
}

/* endState (top level and in the summary): the same completion, seen as a State */
static gql_rv c_end_state(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args, (void)info;
    return ROW(src)->has_end ? gql_rv_obj(src, NULL) : gql_rv_null();
}

/* ---- OperationSummary ---- */

static gql_rv s_cycle_time(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args, (void)info;
    return ROW(src)->has_cycle_time ? gql_rv_int(ROW(src)->cycle_time) : gql_rv_null();
}

static gql_rv s_consumed_serials(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args;
    return mes_list_of(info->arena, ROW(src)->serials, sizeof *ROW(src)->serials, 0, ROW(src)->nserials);
}

/* ---- State ---- */

static gql_rv st_station(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args, (void)info;
    const complete_ref *r = src;
    return r->row->station == SIZE_MAX ? gql_rv_null() : mes_station_batch_item(r->batch->stations, r->row->station);
}

static gql_rv st_operator(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args;
    return mes_operator_value(info->arena, ROW(src)->operator_id, ROW(src)->operator_name);
}

/* ---- Query.operationOrderCompletes ---- */

static gql_rv q_completes(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src;
    store_event *evs;
    size_t n;
    gql_rv e;
    if (!mes_stream_query(info, args, STORE_STREAM_COMPLETES, &evs, &n, &e)) return e;
    return mes_completes_list(mes_ctx_of(info), evs, n);
}

#define AT(m) offsetof(complete_row, m)

bool mes_bind_completes(gql_schema *s, char *err, size_t errlen) {
    static const mes_binding complete[] = {
        {"seq", mes_field_int, AT(seq)},
        {"externalOrderId", mes_field_str, AT(external_order_id)},
        {"secondaryExternalOrderId", mes_field_str, AT(secondary_external_order_id)},
        {"operation", c_operation, 0},
        {"orderIndex", c_order_index, 0},
        {"wip", c_wip, 0},
        {"at", mes_field_time, AT(at)},
        {"operationSummary", c_summary, 0},
        {"endState", c_end_state, 0},
        {"reservedSerialNumber", mes_field_str, AT(reserved_serial_number)},
    };
    static const mes_binding summary[] = {
        {"startedAt", mes_field_time, AT(started_at)},
        {"cycleTime", s_cycle_time, 0},
        {"consumedSerials", s_consumed_serials, 0},
        {"endState", c_end_state, 0},
    };
    static const mes_binding state[] = {
        {"producedSerial", mes_field_str, AT(produced_serial)},
        {"at", mes_field_time, AT(end_at)},
        {"station", st_station, 0},
        {"operator", st_operator, 0},
    };
    static const mes_binding query[] = {{"operationOrderCompletes", q_completes, 0}};
#define BIND(type, arr) mes_bind_all(s, type, arr, sizeof arr / sizeof arr[0], err, errlen)
    return BIND("OperationOrderComplete", complete) && BIND("OperationSummary", summary) && BIND("State", state) &&
           BIND("Query", query);
#undef BIND
}
