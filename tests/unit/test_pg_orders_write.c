/* test_pg_orders_write.c: the order and shop-floor writes on PostgreSQL
 * against SQLite's, differentially. One SQLite store and one PostgreSQL
 * store (command-line mode: writes through store_exec_sync) get the same
 * factory and then the same life cycle of calls, each call a write job on
 * both; every answer (fields, error codes, messages) is written to a
 * transcript per backend and the transcripts must be equal after every
 * step. At the end the tables the writes touch, the work-order stream
 * (gap-free seqs) and its head are compared row by row. A few absolute
 * checks make sure the shared answers are the intended ones, not two
 * equal failures.
 *
 * The factory is inserted with plain SQL on both sides: deploy on
 * PostgreSQL is ported elsewhere, and equal rows (seq, updated_at) make
 * tx_operation_get's answers comparable. The clock of every job is set by
 * the test (tx->now), so the times written are the same on both. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <sqlite3.h>
#include "gql.h"
#include "store.h"
#include "store_internal.h"
#include "test_pg_util.h"
#include "test_store_util.h"

/* ---- the two sides ---- */

typedef struct side {
    const char *name;
    store *s;
    gql_buf log;            /* this step's transcript */
    int64_t id[16];         /* ids an earlier step kept (same on both sides, checked by the transcripts) */
} side;

typedef struct fix {
    test_db db;             /* SQLite */
    char conninfo[512];     /* PostgreSQL */
    side sq, pg;
    int64_t clock;          /* the jobs' time */
} fix;

typedef int (*step_fn)(store_tx *tx, side *d, gql_arena *a, store_err *err);

typedef struct job {
    step_fn fn;
    side *d;
    gql_arena *a;
    int64_t now;
} job;

static int run_job(store_tx *tx, void *arg, store_err *err) {
    job *j = arg;
    tx->now = j->now;   /* the same time on both backends, so the rows compare */
    return j->fn(tx, j->d, j->a, err);
}

#define LOG(d, ...) gql_buf_printf(&(d)->log, __VA_ARGS__)
#define S(x) ((x) ? (x) : "NULL")

/* Runs fn as one job on each side, asserts both transcripts (fn's lines and
 * the job's outcome) are equal, and returns SQLite's (valid until the next
 * step). */
static const char *both(fix *f, step_fn fn) {
    static char out[65536];
    f->clock += 1000;
    side *sides[] = {&f->sq, &f->pg};
    for (int i = 0; i < 2; i++) {
        side *d = sides[i];
        gql_buf_truncate(&d->log, 0);
        gql_arena a;
        gql_arena_init(&a, 0);
        job j = {fn, d, &a, f->clock};
        store_err err = {0};
        int rc = store_exec_sync(d->s, run_job, &j, &err);
        LOG(d, "job: %d %s\n", rc, rc ? err.message : "");
        gql_buf_putc(&d->log, 0);
        gql_arena_free(&a);
    }
    if (strcmp(f->sq.log.data, f->pg.log.data) != 0)
        fail_msg("the backends differ:\n--- SQLite\n%s--- PostgreSQL\n%s", f->sq.log.data, f->pg.log.data);
    snprintf(out, sizeof out, "%s", f->sq.log.data);
    return out;
}

/* ---- the factory (test_orders_util.h's, and two optional components
 * whose names sort differently in byte order and in a locale) ---- */

static const char *const FACTORY[] = {
    "INSERT INTO operations (id, kind, external_id, revision, name, description, produces_serial, template_id,"
    " variant_name, digest, seq, updated_at, archived_at) VALUES"
    " ('weld', 'PROCESS', 'PN-WELD', 'A', 'Weld', 'welds', 0, NULL, NULL, DIGEST, 1, 100, NULL),"
    " ('paint', 'PROCESS', 'PN-PAINT', 'A', 'Paint', NULL, 0, NULL, NULL, DIGEST, 2, 100, NULL),"
    " ('fit_battery', 'PROCESS', 'PN-FIT', 'A', 'Fit battery', NULL, 0, NULL, NULL, DIGEST, 3, 100, NULL),"
    " ('fit_light', 'PROCESS', 'PN-LIGHT', 'A', 'Fit light', NULL, 0, NULL, NULL, DIGEST, 4, 100, NULL),"
    " ('Zed_lamp', 'PROCESS', NULL, 'A', 'Lamp', NULL, 0, 'tpl', 'v1', DIGEST, 5, 100, NULL),"
    " ('final_test', 'PROCESS', 'PN-101', 'A', 'Final test', NULL, 1, NULL, NULL, DIGEST, 6, 100, NULL),"
    " ('old_step', 'PROCESS', NULL, 'A', 'Old', NULL, 0, NULL, NULL, DIGEST, 7, 100, 150),"
    " ('frame_sub', 'SUBASSEMBLY', 'FRAME-SUB', 'A', 'Frame', NULL, 0, NULL, NULL, DIGEST, 8, 100, NULL),"
    " ('prod_101', 'PRODUCT', 'PROD-101', 'A', 'Scooter', NULL, 0, NULL, NULL, DIGEST, 9, 100, NULL)",
    "INSERT INTO sub_operations (parent_id, sub_id, sub_group, position, optional, seq, updated_at, archived_at)"
    " VALUES ('frame_sub', 'weld', NULL, 0, 0, 1, 100, NULL), ('frame_sub', 'paint', NULL, 1, 0, 2, 100, NULL),"
    " ('prod_101', 'frame_sub', NULL, 0, 0, 3, 100, NULL), ('prod_101', 'fit_battery', 'fit', 1, 0, 4, 100, NULL),"
    " ('prod_101', 'fit_light', 'fit', 2, 1, 5, 100, NULL), ('prod_101', 'Zed_lamp', 'fit', 3, 1, 6, 100, NULL),"
    " ('prod_101', 'old_step', NULL, 4, 1, 7, 100, 150), ('prod_101', 'final_test', NULL, 5, 0, 8, 100, NULL),"
    " ('frame_sub', 'fit_light', NULL, 2, 1, 9, 100, NULL)",
    "INSERT INTO consumed_serial_attrs (operation_id, id, position, name, part_number) VALUES"
    " ('weld', 'frame_sn', 0, 'Frame serial', 'FRAME-1'), ('weld', 'tube_sn', 1, NULL, NULL),"
    " ('fit_battery', 'battery_sn', 0, 'Battery serial', 'BAT-3400')",
    "INSERT INTO stations (id, name, digest, updated_at) VALUES ('st_all', 'Station all', DIGEST, 100),"
    " ('st_paint', 'Paint booth', DIGEST, 100)",
    "INSERT INTO station_processes (station_id, operation_id, position) VALUES ('st_all', 'weld', 0),"
    " ('st_all', 'paint', 1), ('st_all', 'fit_battery', 2), ('st_all', 'final_test', 3), ('st_paint', 'paint', 0)",
};

/* sql with every `token` replaced by the backend's `repl` (a bytea
 * literal, a byte-order collation) */
static char *with(const char *sql, const char *token, const char *repl) {
    static char out[4096];
    size_t o = 0, len = strlen(token);
    for (const char *p = sql; *p && o + 16 < sizeof out;)
        if (strncmp(p, token, len) == 0) o += (size_t)snprintf(out + o, sizeof out - o, "%s", repl), p += len;
        else out[o++] = *p++;
    out[o] = 0;
    return out;
}

static void sqlite_exec(fix *f, const char *sql) {
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->db.path, &db), SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) fail_msg("%s: %s", sql, msg);
    sqlite3_close(db);
}

static int setup(void **state) {
    fix *f = calloc(1, sizeof *f);
    f->sq.name = "SQLite";
    f->pg.name = "PostgreSQL";
    gql_buf_init(&f->sq.log);
    gql_buf_init(&f->pg.log);
    test_db_make(&f->db);
    f->sq.s = test_open(&f->db, NULL);
    char url[1024];
    pg_test_fresh_url_with("t_orders_write", PG_TEST_ICU, f->conninfo, sizeof f->conninfo, url, sizeof url);
    store_err err = {0};
    if (!(f->pg.s = store_open(url, NULL, &err))) fail_msg("%s", err.message);
    PGconn *c = pg_test_connect(f->conninfo);
    for (size_t i = 0; i < sizeof FACTORY / sizeof FACTORY[0]; i++) {
        sqlite_exec(f, with(FACTORY[i], "DIGEST", "x'00'"));
        pg_test_exec(c, with(FACTORY[i], "DIGEST", "'\\x00'::bytea"), NULL);
    }
    PQfinish(c);
    f->clock = 1700000000000;
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fix *f = *state;
    store_close(f->sq.s);
    store_close(f->pg.s);
    test_db_remove(&f->db);
    gql_buf_free(&f->sq.log);
    gql_buf_free(&f->pg.log);
    free(f);
    return 0;
}

/* ---- transcripts of answers ---- */

static void log_order(side *d, const store_order *o) {
    if (!o) {
        LOG(d, "order: none\n");
        return;
    }
    LOG(d, "order %lld parent %lld ext %s sec %s op %s res %s ix %lld %s st %s opr %lld t %lld/%lld/%lld/%lld\n",
        (long long)o->id, (long long)o->parent_id, S(o->external_order_id), S(o->secondary_external_order_id),
        S(o->operation_id), S(o->reserved_serial_number), (long long)o->order_index,
        store_order_status_name(o->status), S(o->station_id), (long long)o->operator_id, (long long)o->created_at,
        (long long)o->updated_at, (long long)o->started_at, (long long)o->completed_at);
}

static int log_get(store_tx *tx, side *d, gql_arena *a, int64_t id, store_err *err) {
    store_order *o;
    if (store_tx_order_get(tx, id, a, &o, err)) return err->code;
    log_order(d, o);
    return STORE_OK;
}

static void log_texts(side *d, const char *what, const char **v, size_t n) {
    LOG(d, "%s:", what);
    for (size_t i = 0; i < n; i++) LOG(d, " %s", S(v[i]));
    LOG(d, "\n");
}

/* ---- the steps ---- */

static int s_operations(store_tx *tx, side *d, gql_arena *a, store_err *err) {
    const char *ids[] = {"prod_101", "frame_sub", "Zed_lamp", "final_test", "old_step", "nope", NULL};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        store_operation *o;
        if (store_tx_operation_get(tx, ids[i], a, &o, err)) return err->code;
        if (!o) LOG(d, "operation %s: none\n", S(ids[i]));
        else
            LOG(d, "operation %s %s %s %s %s %s %d %s %s %lld %lld %lld\n", o->id, store_kind_name(o->kind),
                S(o->external_id), S(o->revision), o->name, S(o->description), o->produces_serial, S(o->template_id),
                S(o->variant_name), (long long)o->seq, (long long)o->updated_at, (long long)o->archived_at);
        store_attribute *at;
        size_t n;
        if (store_tx_process_attrs(tx, ids[i] ? ids[i] : "weld", a, &at, &n, err)) return err->code;
        for (size_t k = 0; k < n; k++)
            LOG(d, "  attr %s %s %s %s\n", at[k].operation_id, at[k].id, S(at[k].name), S(at[k].part_number));
        store_component *c;
        if (store_tx_components(tx, ids[i], a, &c, &n, err)) return err->code;
        for (size_t k = 0; k < n; k++)
            LOG(d, "  component %s %s %d %s\n", c[k].operation_id, S(c[k].group), c[k].optional,
                store_kind_name(c[k].kind));
        const char **opt;
        if (store_tx_tree_optionals(tx, ids[i], a, &opt, &n, err)) return err->code;
        log_texts(d, "  tree optionals", opt, n);
    }
    const char *st[] = {"st_all", "st_paint", "nope", NULL};
    for (size_t i = 0; i < sizeof st / sizeof st[0]; i++) {
        bool found = true, can = true;
        if (store_tx_station_can(tx, st[i], "weld", &found, &can, err)) return err->code;
        LOG(d, "station %s weld: %d %d\n", S(st[i]), found, can);
    }
    return STORE_OK;
}

/* operationOrderSave of prod_101 (SALES-1) as orders.c and waterfall.c
 * make it: the root, its selection, the first step down the tree */
static int s_save_product(store_tx *tx, side *d, gql_arena *a, store_err *err) {
    store_order *o;
    if (store_tx_order_find_root(tx, "SALES-1", "prod_101", 0, a, &o, err)) return err->code;
    log_order(d, o);
    store_order in = {.external_order_id = "SALES-1", .operation_id = "prod_101", .status = STORE_ORDER_CREATED,
                      .reserved_serial_number = "SN-1"};
    if (store_tx_order_insert(tx, &in, &d->id[0], err)) return err->code;
    const char *sel[] = {"fit_light", "Zed_lamp", "fit_light"};   /* a repeat is ignored */
    if (store_tx_order_set_optionals(tx, d->id[0], sel, 3, err)) return err->code;
    store_order sub = {.external_order_id = "SALES-1", .operation_id = "frame_sub", .status = STORE_ORDER_CREATED,
                       .reserved_serial_number = "SN-1", .parent_id = d->id[0]};
    if (store_tx_order_insert(tx, &sub, &d->id[1], err)) return err->code;
    store_order weld = sub;
    weld.operation_id = "weld", weld.status = STORE_ORDER_READY, weld.parent_id = d->id[1];
    if (store_tx_order_insert(tx, &weld, &d->id[2], err)) return err->code;
    store_order fin = sub;
    fin.operation_id = "final_test", fin.status = STORE_ORDER_READY;
    if (store_tx_order_insert(tx, &fin, &d->id[3], err)) return err->code;
    /* no externalOrderId: NULL and "" are one key */
    store_order paint = {.operation_id = "paint", .status = STORE_ORDER_READY, .order_index = 2};
    if (store_tx_order_insert(tx, &paint, &d->id[4], err)) return err->code;
    if (store_tx_order_find_root(tx, "", "paint", 2, a, &o, err)) return err->code;
    log_order(d, o);
    if (store_tx_order_find_root(tx, "SALES-1", "prod_101", 0, a, &o, err)) return err->code;
    log_order(d, o);
    if (store_tx_order_find_root(tx, "SALES-1", "frame_sub", 0, a, &o, err)) return err->code;   /* not a root */
    log_order(d, o);
    for (int i = 0; i < 2; i++) {
        store_order *kids;
        size_t n;
        if (store_tx_order_children(tx, d->id[i], a, &kids, &n, err)) return err->code;
        for (size_t k = 0; k < n; k++) log_order(d, &kids[k]);
    }
    const char **opt;
    size_t n;
    for (int i = 0; i < 3; i++) {   /* the selection applies to any order of the tree */
        if (store_tx_order_optionals(tx, d->id[i], a, &opt, &n, err)) return err->code;
        log_texts(d, "selected", opt, n);
    }
    return STORE_OK;
}

static int s_resave(store_tx *tx, side *d, gql_arena *a, store_err *err) {
    if (store_tx_order_tree_save(tx, d->id[0], "PO-7", NULL, err)) return err->code;
    if (store_tx_order_set_optionals(tx, d->id[0], NULL, 0, err)) return err->code;
    const char **opt;
    size_t n;
    if (store_tx_order_optionals(tx, d->id[2], a, &opt, &n, err)) return err->code;
    log_texts(d, "selected", opt, n);
    for (int i = 0; i < 5; i++)
        if (log_get(tx, d, a, d->id[i], err)) return err->code;
    return STORE_OK;
}

static int s_cancel(store_tx *tx, side *d, gql_arena *a, store_err *err) {
    int64_t n;
    if (store_tx_orders_cancel(tx, "SALES-1", "prod_101", 0, &n, err)) return err->code;
    LOG(d, "canceled %lld\n", (long long)n);
    if (store_tx_orders_cancel(tx, "SALES-1", "prod_101", 0, &n, err)) return err->code;
    LOG(d, "canceled again %lld\n", (long long)n);
    if (store_tx_orders_cancel(tx, NULL, "paint", -1, &n, err)) return err->code;   /* cancelAll, no externalOrderId */
    LOG(d, "canceled paint %lld\n", (long long)n);
    if (store_tx_orders_cancel(tx, "NOPE", "weld", -1, &n, err)) return err->code;
    LOG(d, "canceled nothing %lld\n", (long long)n);
    for (int i = 0; i < 5; i++)
        if (log_get(tx, d, a, d->id[i], err)) return err->code;
    return STORE_OK;
}

/* saved again: the canceled tree is restored (READY for processes) */
static int s_restore(store_tx *tx, side *d, gql_arena *a, store_err *err) {
    if (store_tx_order_tree_save(tx, d->id[0], NULL, "SN-R", err)) return err->code;
    for (int i = 0; i < 4; i++)
        if (log_get(tx, d, a, d->id[i], err)) return err->code;
    return STORE_OK;
}

static int s_start(store_tx *tx, side *d, gql_arena *a, store_err *err) {
    const char *names[] = {"Ada", "Ada", "Bob", "Zoë"};
    for (int i = 0; i < 4; i++) {
        if (store_tx_operator_find_or_create(tx, names[i], &d->id[8 + i], err)) return err->code;
        LOG(d, "operator %s: %lld\n", names[i], (long long)d->id[8 + i]);
    }
    if (store_tx_order_start(tx, d->id[2], "st_all", d->id[8], true, err)) return err->code;
    if (store_tx_order_start(tx, d->id[3], "st_all", d->id[8], true, err)) return err->code;
    for (int i = 0; i < 4; i++)
        if (log_get(tx, d, a, d->id[i], err)) return err->code;
    return STORE_OK;
}

static int s_hand_over(store_tx *tx, side *d, gql_arena *a, store_err *err) {
    if (store_tx_order_start(tx, d->id[2], "st_paint", d->id[10], false, err)) return err->code;
    return log_get(tx, d, a, d->id[2], err);
}

static int s_serials(store_tx *tx, side *d, gql_arena *a, store_err *err) {
    (void)a;
    store_serial_in in[] = {
        {d->id[2], "frame_sn", "Frame serial", "FRAME-1", "FRAME-1", "F-1"},
        {d->id[2], "tube_sn", NULL, NULL, "tube_sn", "T-1"},
        {d->id[2], "frame_sn", "Frame serial", "FRAME-1", "FRAME-1", "F-1"},   /* taken */
        {d->id[3], "frame_sn", "Frame serial", "FRAME-1", "FRAME-2", "F-1"},   /* another part number: free */
    };
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        bool taken = true;
        if (store_tx_serial_consume(tx, &in[i], &taken, err)) return err->code;
        LOG(d, "consume %s %s: taken %d\n", in[i].key, in[i].value, taken);
    }
    const char *vals[] = {"SN-R", "SN-R", "SN-2"};
    for (int i = 0; i < 3; i++) {
        bool taken = true;
        if (store_tx_serial_produce(tx, d->id[3], "PN-101", vals[i], &taken, err)) return err->code;
        LOG(d, "produce %s: taken %d\n", vals[i], taken);
    }
    return STORE_OK;
}

static int log_summary(store_tx *tx, side *d, gql_arena *a, int64_t id, bool leaf, store_err *err) {
    store_order_summary s;
    if (store_tx_order_summary(tx, id, leaf, a, &s, err)) return err->code;
    LOG(d, "summary %lld%s: start %lld end %d %lld %s %s %s %lld %s\n", (long long)id, leaf ? " leaf" : "",
        (long long)s.started_at, s.has_end, (long long)s.end_at, S(s.end_produced_serial), S(s.end_station_id),
        S(s.end_station_name), (long long)s.end_operator_id, S(s.end_operator_name));
    for (size_t i = 0; i < s.nconsumed; i++)
        LOG(d, "  captured %s %s %s %s\n", S(s.consumed[i].attribute_id), S(s.consumed[i].name),
            S(s.consumed[i].external_id), S(s.consumed[i].value));
    return STORE_OK;
}

static int s_summaries(store_tx *tx, side *d, gql_arena *a, store_err *err) {
    if (log_summary(tx, d, a, d->id[2], true, err) || log_summary(tx, d, a, d->id[0], false, err) ||
        log_summary(tx, d, a, 999999, true, err) || log_summary(tx, d, a, 999999, false, err))
        return err->code;
    return STORE_OK;
}

static int s_complete(store_tx *tx, side *d, gql_arena *a, store_err *err) {
    /* weld keeps its station and operator; final_test is completed elsewhere by Bob */
    if (store_tx_order_complete(tx, d->id[2], NULL, 0, err)) return err->code;
    if (store_tx_order_complete(tx, d->id[3], "st_all", d->id[10], err)) return err->code;
    for (int i = 0; i < 4; i++)
        if (log_get(tx, d, a, d->id[i], err)) return err->code;
    return s_summaries(tx, d, a, err);
}

static int s_complete_parents(store_tx *tx, side *d, gql_arena *a, store_err *err) {
    if (store_tx_order_complete(tx, d->id[1], NULL, 0, err)) return err->code;
    if (log_summary(tx, d, a, d->id[1], false, err) || log_summary(tx, d, a, d->id[0], false, err)) return err->code;
    return log_get(tx, d, a, d->id[1], err);
}

static int s_names(store_tx *tx, side *d, gql_arena *a, store_err *err) {
    const char *st[] = {"st_all", NULL, "nope"};
    int64_t op[] = {d->id[8], 0, 999};
    for (int i = 0; i < 3; i++) {
        const char *sn = "x", *on = "x";
        if (store_tx_names(tx, st[i], op[i], a, &sn, &on, err)) return err->code;
        LOG(d, "names: %s %s\n", S(sn), S(on));
    }
    return STORE_OK;
}

static int s_notes(store_tx *tx, side *d, gql_arena *a, store_err *err) {
    (void)a;
    const char *types[] = {"defect", "other", "defect"};
    int64_t ids[3];
    for (int i = 0; i < 3; i++) {
        if (store_tx_note_type(tx, types[i], &ids[i], err)) return err->code;
        LOG(d, "note type %s: %lld\n", types[i], (long long)ids[i]);
    }
    store_note_in n1 = {.id = "n-1", .external_id = "ext-1", .text = "scratch", .metadata_json = "{\"a\":1}",
                        .images_json = "[\"x.png\"]", .order_id = d->id[2], .type_id = ids[0]};
    store_note_in n2 = {.id = "n-2", .external_id = "n-2"};
    if (store_tx_note_insert(tx, &n1, err) || store_tx_note_insert(tx, &n2, err)) return err->code;
    return STORE_OK;
}

/* ---- refusals: each its own job; the job fails and leaves nothing ---- */

static int r_note_again(store_tx *tx, side *d, gql_arena *a, store_err *err) {
    (void)a;
    int64_t type;
    if (store_tx_note_type(tx, "written then rolled back", &type, err)) return err->code;
    store_note_in n = {.id = "n-1", .external_id = "dup", .order_id = d->id[2]};
    return store_tx_note_insert(tx, &n, err);
}

static int r_root_again(store_tx *tx, side *d, gql_arena *a, store_err *err) {
    (void)a, (void)d;
    int64_t id;
    store_order in = {.external_order_id = "", .operation_id = "paint", .status = STORE_ORDER_READY, .order_index = 2};
    return store_tx_order_insert(tx, &in, &id, err);
}

static int r_serial_without_key(store_tx *tx, side *d, gql_arena *a, store_err *err) {
    (void)a;
    bool taken;
    store_serial_in in = {d->id[2], "frame_sn", NULL, NULL, NULL, "F-9"};
    return store_tx_serial_consume(tx, &in, &taken, err);
}

static int r_unknown_operation(store_tx *tx, side *d, gql_arena *a, store_err *err) {
    (void)a, (void)d;
    int64_t id;
    store_order in = {.external_order_id = "X", .operation_id = "no_such_op", .status = STORE_ORDER_CREATED};
    return store_tx_order_insert(tx, &in, &id, err);
}

/* ---- the tables underneath ---- */

static const char *const DUMPS[] = {
    ("SELECT id, parent_id, external_order_id, secondary_external_order_id, operation_id, reserved_serial_number,"
     " order_index, status, station_id, operator_id, created_at, updated_at, started_at, completed_at"
     " FROM operation_orders ORDER BY id"),
    "SELECT order_id, operation_id FROM order_selected_optionals ORDER BY order_id, operation_id BYTES",
    ("SELECT order_id, attribute_id, part_number, value, at, attribute_name, external_id FROM consumed_serials"
     " ORDER BY at, part_number BYTES, value BYTES"),
    "SELECT order_id, part_number, value, at FROM produced_serials ORDER BY part_number BYTES, value BYTES",
    "SELECT id, name, created_at FROM operators ORDER BY id",
    "SELECT id, name FROM note_types ORDER BY id",
    "SELECT id, external_id, order_id, type_id, text, metadata, images, created_at FROM notes ORDER BY id",
    "SELECT seq, order_id, operation_id, status, at FROM work_order_events ORDER BY seq",
    "SELECT count(*), coalesce(min(seq), 0), coalesce(max(seq), 0) FROM work_order_events",
};

static void dump_sqlite(fix *f, const char *sql, gql_buf *b) {
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(f->db.path, &db), SQLITE_OK);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(st); c++)
            gql_buf_printf(b, "%s|", S((const char *)sqlite3_column_text(st, c)));
        gql_buf_putc(b, '\n');
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void dump_pg(PGconn *c, const char *sql, gql_buf *b) {
    PGresult *r;
    pg_test_exec(c, sql, &r);
    for (int i = 0; i < PQntuples(r); i++) {
        for (int k = 0; k < PQnfields(r); k++)
            gql_buf_printf(b, "%s|", PQgetisnull(r, i, k) ? "NULL" : PQgetvalue(r, i, k));
        gql_buf_putc(b, '\n');
    }
    PQclear(r);
}

/* Asserts the tables are equal on both sides; returns SQLite's dump of
 * DUMPS[i] (static, valid until the next call). */
static const char *same_tables(fix *f, size_t which) {
    static char out[16384];
    PGconn *c = pg_test_connect(f->conninfo);
    for (size_t i = 0; i < sizeof DUMPS / sizeof DUMPS[0]; i++) {
        gql_buf a, b;
        gql_buf_init(&a);
        gql_buf_init(&b);
        dump_sqlite(f, with(DUMPS[i], "BYTES", "COLLATE BINARY"), &a);
        dump_pg(c, with(DUMPS[i], "BYTES", "COLLATE \"C\""), &b);
        gql_buf_putc(&a, 0);
        gql_buf_putc(&b, 0);
        if (strcmp(a.data, b.data) != 0) fail_msg("%s:\n--- SQLite\n%s--- PostgreSQL\n%s", DUMPS[i], a.data, b.data);
        if (i == which) snprintf(out, sizeof out, "%s", a.data);
        gql_buf_free(&a);
        gql_buf_free(&b);
    }
    PQfinish(c);
    return out;
}

/* ---- the tests ---- */

static void reads_of_the_factory_agree(void **state) {
    fix *f = *state;
    const char *t = both(f, s_operations);
    assert_non_null(strstr(t, "operation prod_101 PRODUCT PROD-101 A Scooter NULL 0 NULL NULL 9 100 0\n"));
    assert_non_null(strstr(t, "operation old_step PROCESS NULL A Old NULL 0 NULL NULL 7 100 150\n"));
    assert_non_null(strstr(t, "operation nope: none\n"));
    assert_non_null(strstr(t, "  component fit_light fit 1 PROCESS\n"));
    /* byte order: 'Z' before 'f'; the archived link is left out */
    assert_non_null(strstr(t, "  tree optionals: Zed_lamp fit_light\n"));
    assert_null(strstr(t, "component old_step"));
    assert_non_null(strstr(t, "station st_paint weld: 1 0\nstation nope weld: 0 0\nstation NULL weld: 0 0\n"));
    assert_non_null(strstr(t, "job: 0"));
}

static void an_order_life_cycle_agrees(void **state) {
    fix *f = *state;
    const char *t = both(f, s_save_product);
    assert_non_null(strstr(t, "order 5 parent 0 ext NULL sec NULL op paint"));   /* found by "" */
    assert_non_null(strstr(t, "selected: Zed_lamp fit_light\nselected: Zed_lamp fit_light\n"));
    t = both(f, s_resave);
    assert_non_null(strstr(t, "selected:\n"));
    assert_non_null(strstr(t, "order 3 parent 2 ext SALES-1 sec PO-7 op weld res NULL"));
    t = both(f, s_cancel);
    assert_non_null(strstr(t, "canceled 4\ncanceled again 0\ncanceled paint 1\ncanceled nothing 0\n"));
    t = both(f, s_restore);
    assert_non_null(strstr(t, "op weld res SN-R ix 0 READY"));
    assert_non_null(strstr(t, "op frame_sub res SN-R ix 0 CREATED"));
    t = both(f, s_start);
    assert_non_null(strstr(t, "operator Ada: 1\noperator Ada: 1\noperator Bob: 2\noperator Zoë: 3\n"));
    assert_non_null(strstr(t, "op prod_101 res SN-R ix 0 IN_PROGRESS"));
    t = both(f, s_hand_over);
    assert_non_null(strstr(t, "IN_PROGRESS st st_paint opr 2"));
    t = both(f, s_serials);
    assert_non_null(strstr(t, "consume FRAME-1 F-1: taken 0\nconsume tube_sn T-1: taken 0\n"
                              "consume FRAME-1 F-1: taken 1\nconsume FRAME-2 F-1: taken 0\n"));
    assert_non_null(strstr(t, "produce SN-R: taken 0\nproduce SN-R: taken 1\nproduce SN-2: taken 0\n"));
    t = both(f, s_complete);
    assert_non_null(strstr(t, "COMPLETED st st_paint opr 2"));
    assert_non_null(strstr(t, "end 1"));
    assert_non_null(strstr(t, "  captured frame_sn Frame serial FRAME-1 F-1\n"));
    t = both(f, s_complete_parents);
    assert_non_null(strstr(t, "job: 0"));
    t = both(f, s_names);
    assert_non_null(strstr(t, "names: Station all Ada\nnames: NULL NULL\nnames: NULL NULL\n"));
    t = both(f, s_notes);
    assert_non_null(strstr(t, "note type defect: 1\nnote type other: 2\nnote type defect: 1\n"));

    /* every status change of a work order is one event, seqs 1..n */
    const char *events = same_tables(f, 8);
    long long n = 0, lo = 0, hi = 0;
    assert_int_equal(sscanf(events, "%lld|%lld|%lld|", &n, &lo, &hi), 3);
    assert_true(n >= 10);
    assert_int_equal(lo, 1);
    assert_int_equal(hi, n);
    PGconn *c = pg_test_connect(f->conninfo);
    assert_int_equal(pg_test_int(c, "SELECT head FROM stream_heads WHERE stream = 'work_orders'"), n);
    PQfinish(c);
    const char *log = same_tables(f, 7);
    assert_non_null(strstr(log, "|3|weld|CANCELED|"));
    assert_non_null(strstr(log, "|3|weld|COMPLETED|"));
    assert_null(strstr(log, "prod_101"));   /* products get no event */
}

static void refusals_agree_and_change_nothing(void **state) {
    fix *f = *state;
    both(f, s_save_product);
    both(f, s_notes);
    both(f, s_start);
    const char *before = same_tables(f, 0);
    char kept[16384];
    snprintf(kept, sizeof kept, "%s", before);
    const char *t = both(f, r_note_again);
    char want[128];
    snprintf(want, sizeof want, "job: %d writing a note: UNIQUE constraint failed: notes.id\n", STORE_ECONFLICT);
    assert_non_null(strstr(t, want));
    t = both(f, r_root_again);
    assert_non_null(strstr(t, "writing an order: UNIQUE constraint failed: index 'operation_orders_key'\n"));
    t = both(f, r_serial_without_key);
    assert_non_null(strstr(t, "capturing a serial: NOT NULL constraint failed: consumed_serials.part_number\n"));
    t = both(f, r_unknown_operation);
    assert_non_null(strstr(t, "writing an order: FOREIGN KEY constraint failed\n"));
    assert_string_equal(same_tables(f, 0), kept);
}

/* ---- two instances appending work-order events at once ---- */

#define RACE_JOBS 40
typedef struct racer {
    const char *url;
    int n;
    int committed;
    char failure[256];
    pthread_t th;
} racer;

typedef struct race_job { int racer, i; } race_job;

/* an order READY (one event) and canceled (one more); every fourth job
 * fails after both, giving its seqs back */
static int race_run(store_tx *tx, void *arg, store_err *err) {
    race_job *j = arg;
    char ext[32];
    snprintf(ext, sizeof ext, "R%d-%d", j->racer, j->i);
    store_order in = {.external_order_id = ext, .operation_id = "weld", .status = STORE_ORDER_READY};
    int64_t id, n;
    if (store_tx_order_insert(tx, &in, &id, err) || store_tx_orders_cancel(tx, ext, "weld", 0, &n, err))
        return err->code;
    return j->i % 4 == 3 ? store_set_err(err, STORE_EUSER, "rolled back on purpose") : STORE_OK;
}

static void *race(void *arg) {
    racer *r = arg;
    store_err err = {0};
    store *s = store_open(r->url, NULL, &err);
    if (!s) {
        snprintf(r->failure, sizeof r->failure, "%s", err.message);
        return NULL;
    }
    for (int i = 0; i < RACE_JOBS; i++) {
        race_job j = {r->n, i};
        int rc = store_exec_sync(s, race_run, &j, &err);
        if (rc == STORE_OK) r->committed++;
        else if (rc != STORE_EUSER && !r->failure[0]) snprintf(r->failure, sizeof r->failure, "%s", err.message);
    }
    store_close(s);
    return NULL;
}

static void concurrent_appends_leave_no_hole(void **state) {
    fix *f = *state;
    /* the fixture's store is one instance; two more race it */
    char url[1024];
    PGconn *c = pg_test_connect(f->conninfo);
    snprintf(url, sizeof url, "postgresql:///%s?host=%s&port=%s&user=%s", PQdb(c), PQhost(c), PQport(c), PQuser(c));
    racer r[2] = {{.url = url, .n = 0}, {.url = url, .n = 1}};
    for (int i = 0; i < 2; i++) assert_int_equal(pthread_create(&r[i].th, NULL, race, &r[i]), 0);
    for (int i = 0; i < 2; i++) {
        pthread_join(r[i].th, NULL);
        if (r[i].failure[0]) fail_msg("racer %d: %s", i, r[i].failure);
        assert_int_equal(r[i].committed, RACE_JOBS - RACE_JOBS / 4);
    }
    long long events = 2LL * (r[0].committed + r[1].committed);
    assert_int_equal(pg_test_int(c, "SELECT count(*) FROM work_order_events"), events);
    assert_int_equal(pg_test_int(c, "SELECT max(seq) FROM work_order_events"), events);
    assert_int_equal(pg_test_int(c, "SELECT head FROM stream_heads WHERE stream = 'work_orders'"), events);
    /* each order's READY comes before its CANCELED */
    assert_int_equal(pg_test_int(c, "SELECT count(*) FROM work_order_events r JOIN work_order_events x"
                                    " ON x.order_id = r.order_id AND x.status = 'CANCELED'"
                                    " WHERE r.status = 'READY' AND r.seq < x.seq"), events / 2);
    PQfinish(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(reads_of_the_factory_agree, setup, teardown),
        cmocka_unit_test_setup_teardown(an_order_life_cycle_agrees, setup, teardown),
        cmocka_unit_test_setup_teardown(refusals_agree_and_change_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(concurrent_appends_leave_no_hole, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
