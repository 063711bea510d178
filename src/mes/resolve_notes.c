/*
 * resolve_notes.c: NoteEvent, NoteType and NoteState, rendered from the
 * note event's stored payload (its format is fixed in mes_internal.h), and
 * Query.noteEvents.
 *
 * A note event never changes: its fields, type, station and operator come
 * from the payload; NoteState's operationOrder and operation are those
 * objects as they are now, loaded for every note of a list with one
 * statement each. NoteState is a view of the same note (the payload is
 * flat).
 *
 * Must never read the store per note.
 */
#include <stdlib.h>
#include <string.h>
#include "domain.h"

typedef struct note_batch note_batch;

typedef struct note_type { const char *id, *name; } note_type;
typedef struct note_type_ref { const note_type *row; } note_type_ref;

typedef struct note_row {
    int64_t seq, at;
    const char *id, *external_id, *text, *event_type;
    const gql_val *metadata, *images;   /* NULL: null */
    note_type_ref type;                 /* type.row NULL: no type */
    int64_t order_id;                   /* 0: none */
    const char *operation_id;
    size_t station;                     /* in the batch's stations; SIZE_MAX: none */
    const char *operator_id, *operator_name;
} note_row;

typedef struct note_ref { const note_row *row; note_batch *batch; size_t index; } note_ref;

struct note_batch {
    mes_ctx *c;
    note_ref *refs;
    size_t n;
    mes_station_batch *stations;
    mes_link op, order;
    mes_op_batch *ops;
    mes_order_batch *orders;
};

static void read_row(gql_arena *a, const store_event *ev, note_row *r, store_station *station) {
    const gql_val *p = mes_payload(a, ev);
    r->seq = ev->seq;
    if (!mes_payload_int(p, "at", &r->at)) r->at = ev->at;
    /* id and externalId are String!: the event's ref, the empty string */
    r->id = mes_payload_str(p, "id");
    if (!r->id) r->id = ev->ref ? ev->ref : "";
    r->external_id = mes_payload_str(p, "externalId");
    if (!r->external_id) r->external_id = "";
    r->text = mes_payload_str(p, "text");
    r->event_type = mes_payload_str(p, "eventType");
    if (!r->event_type) r->event_type = "created";
    const gql_val *v = gql_val_get(p, "metadata", 8);
    r->metadata = v && v->kind != GQL_V_NULL ? v : NULL;
    v = gql_val_get(p, "images", 6);
    r->images = v && v->kind == GQL_V_LIST ? v : NULL;
    const gql_val *t = gql_val_get(p, "type", 4);
    const char *type_id = mes_payload_id(a, t, "id");
    if (type_id) {
        note_type *nt = gql_arena_alloc(a, sizeof *nt);
        const char *name = mes_payload_str(t, "name");
        *nt = (note_type){type_id, name ? name : ""};
        r->type.row = nt;
    }
    const char *order = mes_payload_id(a, p, "orderId");
    r->order_id = order ? strtoll(order, NULL, 10) : 0;
    r->operation_id = mes_payload_str(p, "operationId");
    r->station = SIZE_MAX;
    if ((station->id = mes_payload_str(p, "stationId"))) station->name = mes_payload_str(p, "stationName");
    r->operator_id = mes_payload_id(a, p, "operatorId");
    r->operator_name = mes_payload_str(p, "operatorName");
}

static note_batch *batch_new(mes_ctx *c, const store_event *evs, size_t n) {
    gql_arena *a = c->arena;
    size_t n1 = n ? n : 1;
    note_batch *b = gql_arena_calloc(a, sizeof *b);
    b->c = c;
    b->n = n;
    note_row *rows = gql_arena_calloc(a, n1 * sizeof *rows);
    store_station *stations = gql_arena_calloc(a, n1 * sizeof *stations);
    size_t nstations = 0;
    b->refs = gql_arena_alloc(a, n1 * sizeof *b->refs);
    for (size_t i = 0; i < n; i++) {
        read_row(a, &evs[i], &rows[i], &stations[nstations]);
        if (stations[nstations].id) rows[i].station = nstations++;
        b->refs[i] = (note_ref){&rows[i], b, i};
    }
    b->stations = mes_station_batch_new(c, stations, nstations);
    return b;
}

gql_rv mes_notes_list(mes_ctx *c, const store_event *evs, size_t n) {
    note_batch *b = batch_new(c, evs, n);
    return mes_list_of(c->arena, b->refs, sizeof *b->refs, 0, n);
}

gql_rv mes_note_value(mes_ctx *c, const store_event *ev) { return gql_rv_obj(&batch_new(c, ev, 1)->refs[0], NULL); }

#define ROW(src) (((const note_ref *)(src))->row)

/* ---- NoteEvent ---- */

static gql_rv n_json(const gql_val *v) { return v ? gql_rv_json(v) : gql_rv_null(); }

static gql_rv n_metadata(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args, (void)info;
    return n_json(ROW(src)->metadata);
}

static gql_rv n_images(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args, (void)info;
    return n_json(ROW(src)->images);
}

static gql_rv n_type(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args, (void)info;
    return ROW(src)->type.row ? gql_rv_obj(&ROW(src)->type, NULL) : gql_rv_null();
}

/* state: the same note, seen as a NoteState */
static gql_rv n_state(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args, (void)info;
    return gql_rv_obj(src, NULL);
}

/* ---- NoteState ---- */

static gql_rv ns_operation_order(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args, (void)info;
    const note_ref *r = src;
    note_batch *b = r->batch;
    return mes_link_order_item(b->c, &b->order, &b->orders, b->refs, sizeof *b->refs, b->n,
                               offsetof(note_row, order_id), r->index);
}

static gql_rv ns_operation(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args, (void)info;
    const note_ref *r = src;
    note_batch *b = r->batch;
    return mes_link_operation_item(b->c, &b->op, &b->ops, b->refs, sizeof *b->refs, b->n,
                                   offsetof(note_row, operation_id), r->index);
}

static gql_rv ns_station(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args, (void)info;
    const note_ref *r = src;
    return r->row->station == SIZE_MAX ? gql_rv_null() : mes_station_batch_item(r->batch->stations, r->row->station);
}

static gql_rv ns_operator(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args;
    return mes_operator_value(info->arena, ROW(src)->operator_id, ROW(src)->operator_name);
}

/* ---- Query.noteEvents ---- */

static gql_rv q_note_events(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src;
    store_event *evs;
    size_t n;
    gql_rv e;
    if (!mes_stream_query(info, args, STORE_STREAM_NOTES, &evs, &n, &e)) return e;
    return mes_notes_list(mes_ctx_of(info), evs, n);
}

#define AT(m) offsetof(note_row, m)

bool mes_bind_notes(gql_schema *s, char *err, size_t errlen) {
    static const mes_binding note[] = {
        {"seq", mes_field_int, AT(seq)},
        {"at", mes_field_time, AT(at)},
        {"id", mes_field_str, AT(id)},
        {"externalId", mes_field_str, AT(external_id)},
        {"text", mes_field_str, AT(text)},
        {"metadata", n_metadata, 0},
        {"images", n_images, 0},
        {"eventType", mes_field_str, AT(event_type)},
        {"type", n_type, 0},
        {"state", n_state, 0},
    };
    static const mes_binding type[] = {
        {"id", mes_field_str, offsetof(note_type, id)},
        {"name", mes_field_str, offsetof(note_type, name)},
    };
    static const mes_binding state[] = {
        {"operationOrder", ns_operation_order, 0},
        {"operation", ns_operation, 0},
        {"station", ns_station, 0},
        {"operator", ns_operator, 0},
    };
    static const mes_binding query[] = {{"noteEvents", q_note_events, 0}};
#define BIND(type_, arr) mes_bind_all(s, type_, arr, sizeof arr / sizeof arr[0], err, errlen)
    return BIND("NoteEvent", note) && BIND("NoteType", type) && BIND("NoteState", state) && BIND("Query", query);
#undef BIND
}
