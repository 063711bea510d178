/*
 * resolve_stations.c: the Station type and its batch: a list of stations
 * loads the processes of every station with one statement, and those
 * processes form one operation batch (so their own children cost one
 * statement per level too).
 *
 * Must never call the store per station.
 */
#include "domain.h"

typedef mes_station_batch station_batch;
typedef struct station_ref { const store_station *row; station_batch *batch; size_t index; } station_ref;
struct mes_station_batch {
    mes_ctx *c;
    station_ref *refs;
    size_t n;
    bool loaded;
    gql_rv error;
    size_t *first;            /* station i's processes: ops[first[i] .. first[i+1]) */
    mes_op_batch *ops;
};

mes_station_batch *mes_station_batch_new(mes_ctx *c, const store_station *rows, size_t n) {
    station_batch *b = gql_arena_calloc(c->arena, sizeof *b);
    b->c = c;
    b->n = n;
    b->refs = gql_arena_alloc(c->arena, (n ? n : 1) * sizeof *b->refs);
    for (size_t i = 0; i < n; i++) b->refs[i] = (station_ref){&rows[i], b, i};
    return b;
}

gql_rv mes_station_batch_item(mes_station_batch *b, size_t i) { return gql_rv_obj(&b->refs[i], NULL); }

gql_rv mes_station_list(mes_ctx *c, const store_station *rows, size_t n) {
    station_batch *b = mes_station_batch_new(c, rows, n);
    return mes_list_of(c->arena, b->refs, sizeof *b->refs, 0, n);
}

static void load_processes(station_batch *b) {
    gql_arena *a = b->c->arena;
    const char **ids = gql_arena_alloc(a, (b->n ? b->n : 1) * sizeof *ids);
    for (size_t i = 0; i < b->n; i++) ids[i] = b->refs[i].row->id;
    store_operations got = {0};
    store_err err = {0};
    b->loaded = true;
    if (store_station_processes_of(b->c->st, ids, b->n, a, &got, &err)) {
        b->error = mes_read_error(a, &err);
        return;
    }
    b->first = got.first;
    b->ops = mes_op_batch_new(b->c, got.items, got.count);
}

static gql_rv station_processes(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args, (void)info;
    const station_ref *r = src;
    station_batch *b = r->batch;
    if (!b->loaded) load_processes(b);
    if (b->error.kind == GQL_RV_ERROR) return b->error;
    return mes_op_batch_list(b->ops, b->first[r->index], b->first[r->index + 1] - b->first[r->index]);
}

bool mes_bind_stations(gql_schema *s, char *err, size_t errlen) {
    static const mes_binding station[] = {
        {"id", mes_field_str, offsetof(store_station, id)},
        {"name", mes_field_str, offsetof(store_station, name)},
        {"processes", station_processes, 0},
    };
    return mes_bind_all(s, "Station", station, sizeof station / sizeof station[0], err, errlen);
}
