/*
 * test_orders_util.h: what the order writer's cmocka programs share
 * (test_orders_write.c, test_waterfall.c): a store with a small factory
 * deployed, the order and shop-floor runs executed as real write jobs
 * (store_exec_sync), and looks underneath: rows, a fingerprint of every
 * table a refusal must leave alone, the completion events.
 *
 * The factory: processes weld (consumes FRAME-1 serial frame_sn), paint,
 * fit_battery (BAT-3400 battery_sn), fit_light (light_sn, no part number),
 * final_test (produces a serial, part number PN-101); subassembly frame_sub
 * = weld, paint; product prod_101 = frame_sub, then the group "fit"
 * (fit_battery and the optional fit_light), then final_test; product
 * only_opt = fit_light (optional). Stations st_all (every process) and
 * st_paint (paint only).
 */
#ifndef MESD_TEST_ORDERS_UTIL_H
#define MESD_TEST_ORDERS_UTIL_H
#include <stdarg.h>
#include "test_store_util.h"
#include "orders.h"

typedef struct ow_fix {
    test_db db;
    store *st;
    gql_arena a;
    char msg[256];          /* the last refusal's message */
} ow_fix;

static inline void ow_deploy_process(store *st, const char *id, const char *pn, bool produces, const char *attr,
                                     const char *attr_name, const char *attr_pn) {
    store_attr_in at = {attr, attr_name, attr_pn};
    store_process_in p = {id, id, NULL, pn, "A", produces, &at, attr ? 1 : 0, NULL, 0};
    store_err err = {0};
    if (deploy_process(st, &p, NULL, &err)) fail_msg("deploy %s: %s", id, err.message);
}

/* Deploys the factory (see the top of this file) through st's writer. */
static inline void ow_factory(store *st) {
    ow_deploy_process(st, "weld", "PN-WELD", false, "frame_sn", "Frame serial", "FRAME-1");
    ow_deploy_process(st, "paint", "PN-PAINT", false, NULL, NULL, NULL);
    ow_deploy_process(st, "fit_battery", "PN-FIT", false, "battery_sn", "Battery serial", "BAT-3400");
    ow_deploy_process(st, "fit_light", "PN-LIGHT", false, "light_sn", "Light serial", NULL);
    ow_deploy_process(st, "final_test", "PN-101", true, NULL, NULL, NULL);
    store_err err = {0};
    store_component_in sub[] = {{"weld", NULL, false}, {"paint", NULL, false}};
    store_product_in frame = {"frame_sub", "Frame", "FRAME-SUB", "A", STORE_KIND_SUBASSEMBLY, sub, 2};
    store_component_in comps[] = {{"frame_sub", NULL, false},
                                  {"fit_battery", "fit", false},
                                  {"fit_light", "fit", true},
                                  {"final_test", NULL, false}};
    store_product_in prod = {"prod_101", "Scooter", "PROD-101", "A", STORE_KIND_PRODUCT, comps, 4};
    store_component_in opt[] = {{"fit_light", NULL, true}};
    store_product_in only_opt = {"only_opt", "Only optional", "OPT-1", "A", STORE_KIND_PRODUCT, opt, 1};
    if (deploy_product(st, &frame, NULL, &err) || deploy_product(st, &prod, NULL, &err) ||
        deploy_product(st, &only_opt, NULL, &err))
        fail_msg("deploy: %s", err.message);
    const char *all[] = {"weld", "paint", "fit_battery", "fit_light", "final_test"};
    const char *paint[] = {"paint"};
    store_station_in st_all = {"st_all", "Station all", all, 5}, st_paint = {"st_paint", "Paint booth", paint, 1};
    if (deploy_station(st, &st_all, NULL, &err) || deploy_station(st, &st_paint, NULL, &err))
        fail_msg("deploy: %s", err.message);
}

static inline ow_fix *ow_open(void) {
    ow_fix *f = calloc(1, sizeof *f);
    test_db_make(&f->db);
    f->st = test_open(&f->db, NULL);
    gql_arena_init(&f->a, 0);
    ow_factory(f->st);
    return f;
}

static inline void ow_close(ow_fix *f) {
    store_close(f->st);
    test_db_remove(&f->db);
    gql_arena_free(&f->a);
    free(f);
}

/* cmocka's setup and teardown of a test on an ow_fix */
static inline int ow_setup(void **state) {
    *state = ow_open();
    return 0;
}
static inline int ow_teardown(void **state) {
    ow_close(*state);
    return 0;
}

/* Runs a job whose arg starts with a mes_order_job; the refusal's code
 * (NULL when it succeeded). A store error fails the test. */
static inline const char *ow_run(ow_fix *f, store_job_fn fn, mes_order_job *j) {
    mes_write *w = gql_arena_calloc(&f->a, sizeof *w);
    j->w = w;
    j->arena = &f->a;
    store_err err = {0};
    if (store_exec_sync(f->st, fn, j, &err)) fail_msg("store error: %s", err.message);
    snprintf(f->msg, sizeof f->msg, "%s", w->message);
    return w->code;
}

typedef struct ow_save_args {
    const char *ext, *op, *reserved, *secondary;
    int64_t index;
    const char *const *opts;
    size_t nopts;
    bool keep_reserved;    /* leave reservedSerialNumber out (else it is given, maybe null) */
} ow_save_args;

static inline const char *ow_save(ow_fix *f, ow_save_args in, int64_t *order_id, bool *created) {
    mes_save_job j = {.external_order_id = in.ext, .operation_id = in.op, .order_index = in.index,
                      .reserved_serial_number = in.reserved, .has_reserved = !in.keep_reserved,
                      .secondary_external_order_id = in.secondary, .has_secondary = true,
                      .optionals = in.opts, .noptionals = in.nopts, .has_optionals = in.opts != NULL};
    const char *code = ow_run(f, mes_order_save_run, &j.j);
    if (order_id) *order_id = j.j.order_id;
    if (created) *created = j.created;
    return code;
}

static inline const char *ow_cancel(ow_fix *f, const char *ext, const char *op, int64_t index, int64_t *count) {
    mes_cancel_job j = {.external_order_id = ext, .operation_id = op, .order_index = index};
    const char *code = ow_run(f, mes_order_cancel_run, &j.j);
    if (count) *count = j.canceled;
    return code;
}

static inline const char *ow_start(ow_fix *f, int64_t id, const char *station, const char *op_name) {
    mes_floor_job j = {.j.order_id = id, .station_id = station, .operator_name = op_name};
    return ow_run(f, mes_work_order_start_run, &j.j);
}

typedef struct ow_complete_args {
    const char *station, *op_name, *produced, *bound;
    const char *const *attrs, *const *values;
    size_t n;
} ow_complete_args;

static inline const char *ow_complete(ow_fix *f, int64_t id, ow_complete_args in) {
    mes_floor_job j = {.j.order_id = id, .station_id = in.station, .operator_name = in.op_name,
                       .produced_serial = in.produced, .bound_station = in.bound, .attr_ids = in.attrs,
                       .values = in.values, .nserials = in.n};
    return ow_run(f, mes_work_order_complete_run, &j.j);
}

/* ---- looking underneath ---- */

static inline long long ow_int(ow_fix *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline long long ow_int(ow_fix *f, const char *fmt, ...) {
    char sql[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    return test_sql_int(&f->db, sql);
}

/* One text value (NULL: "(null)"), in f's arena. */
static inline const char *ow_text(ow_fix *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline const char *ow_text(ow_fix *f, const char *fmt, ...) {
    char sql[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->db.path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const char *t = (const char *)sqlite3_column_text(st, 0);
    char *out = gql_arena_strdup(&f->a, t ? t : "(null)");
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

static inline const char *ow_status(ow_fix *f, int64_t id) {
    return ow_text(f, "SELECT status FROM operation_orders WHERE id = %lld", (long long)id);
}

/* The live child of parent for operation op (0 when none). */
static inline int64_t ow_child(ow_fix *f, int64_t parent, const char *op) {
    return ow_int(f,
                  "SELECT ifnull((SELECT id FROM operation_orders WHERE parent_id = %lld AND operation_id = '%s'"
                  " AND status <> 'CANCELED'), 0)",
                  (long long)parent, op);
}

/* Everything a refused request must leave as it was: every order row, the
 * serials, operators, notes, selections and the stream heads (the
 * work-order stream's included). */
static inline const char *ow_fingerprint(ow_fix *f) {
    return ow_text(f,
                   "SELECT (SELECT ifnull(group_concat(id || ':' || status || ':' || ifnull(station_id, '') || ':'"
                   " || ifnull(operator_id, '') || ':' || ifnull(reserved_serial_number, '') || ':' ||"
                   " ifnull(secondary_external_order_id, '') || ':' || updated_at, ','), '') FROM operation_orders)"
                   " || '|' || (SELECT count(*) FROM consumed_serials) || '|' || (SELECT count(*) FROM"
                   " produced_serials) || '|' || (SELECT count(*) FROM operators) || '|' || (SELECT count(*) FROM"
                   " notes) || '|' || (SELECT count(*) FROM order_selected_optionals) || '|' || (SELECT"
                   " ifnull(max(seq), 0) FROM operation_order_complete_events) || '|' || (SELECT ifnull(max(seq), 0)"
                   " FROM note_events) || '|' || (SELECT ifnull(max(seq), 0) FROM work_order_events)");
}

/* The completion events after seq `after`, parsed: payloads[i]. */
static inline size_t ow_completions(ow_fix *f, int64_t after, const gql_val **payloads, size_t max) {
    store_event *ev;
    size_t n;
    store_err err = {0};
    if (store_stream_read(f->st, STORE_STREAM_COMPLETES, after, -1, NULL, &f->a, &ev, &n, &err))
        fail_msg("stream read: %s", err.message);
    assert_true(n <= max);
    for (size_t i = 0; i < n; i++) {
        const char *perr = NULL;
        payloads[i] = gql_json_parse(&f->a, ev[i].payload, strlen(ev[i].payload), 0, &perr);
        if (!payloads[i]) fail_msg("payload %s: %s", ev[i].payload, perr);
    }
    return n;
}

/* A member of a parsed payload, by a dotted path ("endState.station.id"). */
static inline const gql_val *ow_get(const gql_val *v, const char *path) {
    char key[64];
    while (v && *path) {
        const char *dot = strchr(path, '.');
        size_t len = dot ? (size_t)(dot - path) : strlen(path);
        snprintf(key, sizeof key, "%.*s", (int)len, path);
        v = v->kind == GQL_V_OBJECT ? gql_val_get(v, key, len) : NULL;
        path += len + (dot ? 1 : 0);
    }
    return v;
}
static inline const char *ow_str(const gql_val *v, const char *path) {
    v = ow_get(v, path);
    return !v ? "(absent)" : v->kind == GQL_V_STRING ? v->u.str.s : v->kind == GQL_V_NULL ? "(null)" : "(other)";
}
static inline int64_t ow_num(const gql_val *v, const char *path) {
    v = ow_get(v, path);
    if (!v || v->kind != GQL_V_INT) fail_msg("%s is not an integer", path);
    return v->u.i;
}

#endif
