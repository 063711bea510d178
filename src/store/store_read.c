/*
 * store_read.c: the read side (loop thread, read connection, cached
 * statements): filtered lists, reads by id, children of many parents in ONE
 * statement per level (the parents travel as one JSON array bound to
 * json_each, so the statement text, and its cached plan, do not depend on
 * how many there are; children in positions are ordered here rather than
 * by SQLite's sorter), and stream replay.
 *
 * Must never: write, issue one statement per parent, or return more than
 * STORE_PAGE_MAX rows from one call.
 */
#include <stdlib.h>
#include <string.h>
#include "store_internal.h"

typedef void (*row_fn)(sqlite3_stmt *st, int first_col, gql_arena *a, void *item);

/* Steps st to the end, one item per row (columns from first_col on). */
static int collect(store *s, sqlite3_stmt *st, int first_col, gql_arena *a, size_t size, row_fn fn, void **out,
                   size_t *n, store_err *err) {
    size_t cap = 16, count = 0;
    char *v = gql_arena_alloc(a, cap * size);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (count == cap) { v = gql_arena_grow(a, v, cap, cap * 2, size); cap *= 2; }
        memset(v + count * size, 0, size);
        fn(st, first_col, a, v + count * size);
        count++;
    }
    stmt_put(&s->rcache, st);
    if (rc != SQLITE_DONE) return store_sqlite_err(err, s->rdb, rc, "reading");
    *out = v;
    *n = count;
    return STORE_OK;
}

/* Children of nparents parents: column 0 is the parent's index (ordered),
 * the item's columns follow. first[i] .. first[i+1] are parent i's. */
static int collect_children(store *s, sqlite3_stmt *st, size_t nparents, gql_arena *a, size_t size, row_fn fn,
                            void **items, size_t *count, size_t **first_out, store_err *err) {
    size_t cap = 16, n = 0;
    char *v = gql_arena_alloc(a, cap * size);
    size_t *first = gql_arena_calloc(a, (nparents + 1) * sizeof *first);
    size_t next_parent = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t k = sqlite3_column_int64(st, 0);
        if (k < 0 || (size_t)k >= nparents) continue;
        while (next_parent <= (size_t)k) first[next_parent++] = n;
        if (n == cap) { v = gql_arena_grow(a, v, cap, cap * 2, size); cap *= 2; }
        memset(v + n * size, 0, size);
        fn(st, 1, a, v + n * size);
        n++;
    }
    stmt_put(&s->rcache, st);
    if (rc != SQLITE_DONE) return store_sqlite_err(err, s->rdb, rc, "reading children");
    while (next_parent <= nparents) first[next_parent++] = n;
    *items = v;
    *count = n;
    *first_out = first;
    return STORE_OK;
}

/* The same, for a statement with no ORDER BY whose column 0 is the parent's
 * index and column 1 the child's position: the rows are put in (parent,
 * position) order here, equal positions in the statement's order. A qsort
 * of (parent, position, row) triples costs far less than SQLite's sorter
 * (about a third of such a statement). */
typedef struct child_order { int64_t parent, pos; size_t row; } child_order;

static int child_order_cmp(const void *x, const void *y) {
    const child_order *a = x, *b = y;
    if (a->parent != b->parent) return a->parent < b->parent ? -1 : 1;
    if (a->pos != b->pos) return a->pos < b->pos ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

static int collect_children_by_position(store *s, sqlite3_stmt *st, size_t nparents, gql_arena *a, size_t size,
                                        row_fn fn, void **items, size_t *count, size_t **first_out,
                                        store_err *err) {
    size_t cap = 16, n = 0;
    char *v = gql_arena_alloc(a, cap * size);
    child_order *o = gql_arena_alloc(a, cap * sizeof *o);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t k = sqlite3_column_int64(st, 0);
        if (k < 0 || (size_t)k >= nparents) continue;
        if (n == cap) {
            v = gql_arena_grow(a, v, cap, cap * 2, size);
            o = gql_arena_grow(a, o, cap, cap * 2, sizeof *o);
            cap *= 2;
        }
        memset(v + n * size, 0, size);
        fn(st, 2, a, v + n * size);
        o[n] = (child_order){k, sqlite3_column_int64(st, 1), n};
        n++;
    }
    stmt_put(&s->rcache, st);
    if (rc != SQLITE_DONE) return store_sqlite_err(err, s->rdb, rc, "reading children");
    qsort(o, n, sizeof *o, child_order_cmp);
    char *out = gql_arena_alloc(a, (n ? n : 1) * size);
    size_t *first = gql_arena_alloc(a, (nparents + 1) * sizeof *first);
    size_t next_parent = 0;
    for (size_t j = 0; j < n; j++) {
        while (next_parent <= (size_t)o[j].parent) first[next_parent++] = j;
        memcpy(out + j * size, v + o[j].row * size, size);
    }
    while (next_parent <= nparents) first[next_parent++] = n;
    *items = out;
    *count = n;
    *first_out = first;
    return STORE_OK;
}

/* One statement: sql with its single `?` bound to the parents as a JSON array. */
static int children(store *s, const char *sql, char *json, size_t nparents, gql_arena *a, size_t size, row_fn fn,
                    void **items, size_t *count, size_t **first, store_err *err) {
    sqlite3_stmt *st = stmt_get(&s->rcache, sql, err);
    if (!st) { free(json); return err->code; }
    sqlite3_bind_text(st, 1, json, -1, free);
    return collect_children(s, st, nparents, a, size, fn, items, count, first, err);
}

/* As children, rows put in (parent, position) order by
 * collect_children_by_position. */
static int children_by_position(store *s, const char *sql, char *json, size_t nparents, gql_arena *a, size_t size,
                                row_fn fn, void **items, size_t *count, size_t **first, store_err *err) {
    sqlite3_stmt *st = stmt_get(&s->rcache, sql, err);
    if (!st) { free(json); return err->code; }
    sqlite3_bind_text(st, 1, json, -1, free);
    return collect_children_by_position(s, st, nparents, a, size, fn, items, count, first, err);
}

static void row_operation(sqlite3_stmt *st, int f, gql_arena *a, void *item) { read_operation(st, f, a, item); }
static void row_sub_operation(sqlite3_stmt *st, int f, gql_arena *a, void *item) {
    read_sub_operation(st, f, a, item);
}
static void row_station(sqlite3_stmt *st, int f, gql_arena *a, void *item) {
    store_station *o = item;
    o->id = col_text(st, f, a);
    o->name = col_text(st, f + 1, a);
    o->updated_at = col_i64(st, f + 2);
}
static void row_attribute(sqlite3_stmt *st, int f, gql_arena *a, void *item) {
    store_attribute *o = item;
    o->operation_id = col_text(st, f, a);
    o->id = col_text(st, f + 1, a);
    o->name = col_text(st, f + 2, a);
    o->part_number = col_text(st, f + 3, a);
}
static void row_step(sqlite3_stmt *st, int f, gql_arena *a, void *item) {
    store_step *o = item;
    o->key = col_i64(st, f);
    o->operation_id = col_text(st, f + 1, a);
    o->id = col_text(st, f + 2, a);
    o->name = col_text(st, f + 3, a);
    o->instruction_text = col_text(st, f + 4, a);
}
static void row_action(sqlite3_stmt *st, int f, gql_arena *a, void *item) {
    store_action *o = item;
    o->step_key = col_i64(st, f);
    o->id = col_text(st, f + 1, a);
    o->description = col_text(st, f + 2, a);
}

static int64_t page(int64_t limit) { return limit < 0 || limit > STORE_PAGE_MAX ? STORE_PAGE_MAX : limit; }

/* "select_from WHERE <where> ORDER BY order LIMIT ? OFFSET ?" */
static int list(store *s, const char *select_from, store_entity e, const store_filter *where, const char *order,
                int64_t limit, int64_t offset, gql_arena *a, size_t size, row_fn fn, void **out, size_t *n,
                store_err *err) {
    store_sql_filter f = {0};
    sbuf sql = {0};
    sbuf_add(&sql, select_from);
    if (where) {
        if (store_filter_compile(e, where, "t0", &f, err)) goto fail;
        sbuf_add(&sql, " WHERE ");
        sbuf_add(&sql, f.sql.p);
    }
    sbuf_addf(&sql, " ORDER BY %s LIMIT ? OFFSET ?", order);
    sqlite3_stmt *st = stmt_get(&s->rcache, sql.p, err);
    if (!st) goto fail;
    int i = store_sql_filter_bind(st, &f, 1);
    sqlite3_bind_int64(st, i, page(limit));
    sqlite3_bind_int64(st, i + 1, offset < 0 ? 0 : offset);
    sbuf_free(&sql);
    store_sql_filter_free(&f);
    return collect(s, st, 0, a, size, fn, out, n, err);
fail:
    sbuf_free(&sql);
    store_sql_filter_free(&f);
    return err->code;
}

int sq_operations_list(store *s, const store_filter *where, int64_t limit, int64_t offset, gql_arena *a,
                       store_operation **out, size_t *n, store_err *err) {
    return list(s, "SELECT " STORE_OP_COLS("t0") " FROM operations t0", STORE_E_OPERATION, where, "t0.id", limit,
                offset, a, sizeof **out, row_operation, (void **)out, n, err);
}

int sq_sub_operations_list(store *s, const store_filter *where, int64_t limit, int64_t offset, gql_arena *a,
                           store_sub_operation **out, size_t *n, store_err *err) {
    return list(s, "SELECT " STORE_SUB_COLS("t0") " FROM sub_operations t0", STORE_E_SUB_OPERATION, where,
                "t0.parent_id, t0.position, t0.sub_id", limit, offset, a, sizeof **out, row_sub_operation,
                (void **)out, n, err);
}

int sq_stations_list(store *s, const store_filter *where, int64_t limit, int64_t offset, gql_arena *a,
                     store_station **out, size_t *n, store_err *err) {
    return list(s, "SELECT t0.id, t0.name, t0.updated_at FROM stations t0", STORE_E_STATION, where, "t0.id",
                limit, offset, a, sizeof **out, row_station, (void **)out, n, err);
}

static int get_one(store *s, const char *sql, const char *id, gql_arena *a, size_t size, row_fn fn, void **out,
                   store_err *err) {
    sqlite3_stmt *st = stmt_get(&s->rcache, sql, err);
    if (!st) return err->code;
    bind_text(st, 1, id);
    void *items = NULL;
    size_t n = 0;
    if (collect(s, st, 0, a, size, fn, &items, &n, err)) return err->code;
    *out = n ? items : NULL;
    return STORE_OK;
}

int sq_operation_get(store *s, const char *id, gql_arena *a, store_operation **out, store_err *err) {
    return get_one(s, "SELECT " STORE_OP_COLS("t") " FROM operations t WHERE t.id = ?", id, a, sizeof **out,
                   row_operation, (void **)out, err);
}

int sq_station_get(store *s, const char *id, gql_arena *a, store_station **out, store_err *err) {
    return get_one(s, "SELECT id, name, updated_at FROM stations WHERE id = ?", id, a, sizeof **out, row_station,
                   (void **)out, err);
}

/* ---- children of many parents ---- */

int sq_operations_by_ids(store *s, const char *const *ids, size_t n, gql_arena *a, store_operations *out,
                         store_err *err) {
    return children(s,
                    "SELECT j.key, " STORE_OP_COLS("t") " FROM json_each(?) j JOIN operations t ON t.id = j.value"
                    " ORDER BY j.key",
                    json_string_array(ids, n), n, a, sizeof *out->items, row_operation, (void **)&out->items,
                    &out->count, &out->first, err);
}

int sq_consumed_attrs_of(store *s, const char *const *op_ids, size_t n, gql_arena *a, store_attributes *out,
                         store_err *err) {
    return children_by_position(s,
                                "SELECT j.key, c.position, c.operation_id, c.id, c.name, c.part_number"
                                " FROM json_each(?) j JOIN consumed_serial_attrs c ON c.operation_id = j.value",
                                json_string_array(op_ids, n), n, a, sizeof *out->items, row_attribute,
                                (void **)&out->items, &out->count, &out->first, err);
}

/* The tree walk (STORE_TREE_STEP): an attribute reached twice counts once,
 * at its first place. */
int sq_tree_attrs_of(store *s, const char *const *op_ids, size_t n, gql_arena *a, store_attributes *out,
                     store_err *err) {
    return children(s,
                    "WITH RECURSIVE tree(k, op, path) AS ("
                    " SELECT j.key, j.value, '' FROM json_each(?) j"
                    " UNION ALL" STORE_TREE_STEP ")"
                    " SELECT t.k, c.operation_id, c.id, c.name, c.part_number,"
                    " min(t.path || printf('%08d', c.position)) AS ord"
                    " FROM tree t JOIN consumed_serial_attrs c ON c.operation_id = t.op"
                    " GROUP BY t.k, c.operation_id, c.id ORDER BY t.k, ord",
                    json_string_array(op_ids, n), n, a, sizeof *out->items, row_attribute, (void **)&out->items,
                    &out->count, &out->first, err);
}

/* The same tree walk as store_tree_attrs_of: the process with the greatest
 * path is the last in routing order (a subtree's paths extend its root's). */
int sq_tree_produces_serial_of(store *s, const char *const *op_ids, size_t n, bool *out, store_err *err) {
    memset(out, 0, n * sizeof *out);
    sqlite3_stmt *st = stmt_get(&s->rcache,
                                "WITH RECURSIVE tree(k, op, path) AS ("
                                " SELECT j.key, j.value, '' FROM json_each(?) j"
                                " UNION ALL" STORE_TREE_STEP ")"
                                " SELECT t.k, o.produces_serial, max(t.path) FROM tree t"
                                " JOIN operations o ON o.id = t.op AND o.kind = 'PROCESS' GROUP BY t.k",
                                err);
    if (!st) return err->code;
    sqlite3_bind_text(st, 1, json_string_array(op_ids, n), -1, free);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t k = sqlite3_column_int64(st, 0);
        if (k >= 0 && (size_t)k < n) out[k] = sqlite3_column_int(st, 1) != 0;
    }
    stmt_put(&s->rcache, st);
    return rc == SQLITE_DONE ? STORE_OK : store_sqlite_err(err, s->rdb, rc, "reading produced serials");
}

int sq_sub_operations_of(store *s, const char *const *parent_ids, size_t n, bool with_archived, gql_arena *a,
                         store_sub_operations *out, store_err *err) {
    const char *sql = with_archived
                          ? "SELECT j.key, " STORE_SUB_COLS("t") " FROM json_each(?) j"
                            " JOIN sub_operations t ON t.parent_id = j.value ORDER BY j.key, t.position, t.sub_id"
                          : "SELECT j.key, " STORE_SUB_COLS("t") " FROM json_each(?) j"
                            " JOIN sub_operations t ON t.parent_id = j.value AND t.archived_at IS NULL"
                            " ORDER BY j.key, t.position, t.sub_id";
    return children(s, sql, json_string_array(parent_ids, n), n, a, sizeof *out->items, row_sub_operation,
                    (void **)&out->items, &out->count, &out->first, err);
}

int sq_steps_of(store *s, const char *const *op_ids, size_t n, gql_arena *a, store_steps *out, store_err *err) {
    return children_by_position(s,
                    "SELECT j.key, t.position, t.key, t.operation_id, t.id, t.name, t.instruction_text"
                    " FROM json_each(?) j JOIN steps t ON t.operation_id = j.value",
                    json_string_array(op_ids, n), n, a, sizeof *out->items, row_step, (void **)&out->items,
                    &out->count, &out->first, err);
}

int sq_actions_of(store *s, const int64_t *step_keys, size_t n, gql_arena *a, store_actions *out,
                  store_err *err) {
    return children_by_position(s,
                    "SELECT j.key, t.position, t.step_key, t.id, t.description FROM json_each(?) j"
                    " JOIN actions t ON t.step_key = j.value",
                    json_int_array(step_keys, n), n, a, sizeof *out->items, row_action, (void **)&out->items,
                    &out->count, &out->first, err);
}

int sq_station_processes_of(store *s, const char *const *station_ids, size_t n, gql_arena *a,
                            store_operations *out, store_err *err) {
    return children_by_position(s,
                    "SELECT j.key, sp.position, " STORE_OP_COLS("t") " FROM json_each(?) j"
                    " JOIN station_processes sp ON sp.station_id = j.value"
                    " JOIN operations t ON t.id = sp.operation_id",
                    json_string_array(station_ids, n), n, a, sizeof *out->items, row_operation,
                    (void **)&out->items, &out->count, &out->first, err);
}

/* ---- snapshots ---- */
int sq_snapshot_begin(store *s, store_err *err) { return store_exec(s->rdb, "BEGIN", err); }
void sq_snapshot_end(store *s) { store_exec(s->rdb, "COMMIT", NULL); }

/* ---- streams ---- */
static void row_op_event(sqlite3_stmt *st, int f, gql_arena *a, void *item) {
    store_event *e = item;
    e->seq = col_i64(st, f);
    e->at = col_i64(st, f + 1);
    e->operation = gql_arena_calloc(a, sizeof *e->operation);
    read_operation(st, f + 2, a, e->operation);
}
static void row_sub_event(sqlite3_stmt *st, int f, gql_arena *a, void *item) {
    store_event *e = item;
    e->seq = col_i64(st, f);
    e->at = col_i64(st, f + 1);
    e->sub_operation = gql_arena_calloc(a, sizeof *e->sub_operation);
    read_sub_operation(st, f + 2, a, e->sub_operation);
}
static void row_payload_event(sqlite3_stmt *st, int f, gql_arena *a, void *item) {
    store_event *e = item;
    e->seq = col_i64(st, f);
    e->at = col_i64(st, f + 1);
    e->ref = col_text(st, f + 2, a);
    e->payload = col_text(st, f + 3, a);
}

static void row_work_order_event(sqlite3_stmt *st, int f, gql_arena *a, void *item) {
    store_event *e = item;
    e->seq = col_i64(st, f);
    e->at = col_i64(st, f + 1);
    e->order_id = col_i64(st, f + 2);
    e->status = col_text(st, f + 3, a);
}

int sq_stream_read(store *s, store_stream stream, int64_t after_seq, int64_t upto_seq, int64_t limit,
                   const store_filter *where, gql_arena *a, store_event **out, size_t *n, store_err *err) {
    static const char *const head[STORE_STREAM_COUNT] = {
        "SELECT e.seq, e.at, " STORE_OP_COLS("t0") " FROM operation_events e"
        " JOIN operations t0 ON t0.id = e.operation_id WHERE e.seq > ? AND e.seq <= ?",
        "SELECT e.seq, e.at, " STORE_SUB_COLS("t0") " FROM sub_operation_events e"
        " JOIN sub_operations t0 ON t0.parent_id = e.parent_id AND t0.sub_id = e.sub_id WHERE e.seq > ? AND e.seq <= ?",
        "SELECT e.seq, e.at, e.ref, e.payload FROM operation_order_complete_events e WHERE e.seq > ? AND e.seq <= ?",
        "SELECT e.seq, e.at, e.ref, e.payload FROM note_events e WHERE e.seq > ? AND e.seq <= ?",
        "SELECT e.seq, e.at, e.order_id, e.status FROM work_order_events e WHERE e.seq > ? AND e.seq <= ?"};
    static const store_entity entity[STORE_STREAM_COUNT] = {STORE_E_OPERATION, STORE_E_SUB_OPERATION,
                                                            STORE_E_OPERATION_ORDER_COMPLETE, STORE_E_NOTE_EVENT,
                                                            STORE_E_WORK_ORDER_EVENT};
    static const char *const alias[STORE_STREAM_COUNT] = {"t0", "t0", "e", "e", "e"};
    static const row_fn rows[STORE_STREAM_COUNT] = {row_op_event, row_sub_event, row_payload_event,
                                                    row_payload_event, row_work_order_event};
    if ((unsigned)stream >= STORE_STREAM_COUNT) return store_set_err(err, STORE_EINPUT, "no such stream");
    store_sql_filter f = {0};
    sbuf sql = {0};
    sbuf_add(&sql, head[stream]);
    if (where) {
        if (store_filter_compile(entity[stream], where, alias[stream], &f, err)) goto fail;
        sbuf_add(&sql, " AND (");
        sbuf_add(&sql, f.sql.p);
        sbuf_add(&sql, ")");
    }
    sbuf_add(&sql, " ORDER BY e.seq LIMIT ?");
    sqlite3_stmt *st = stmt_get(&s->rcache, sql.p, err);
    if (!st) goto fail;
    sqlite3_bind_int64(st, 1, after_seq);
    sqlite3_bind_int64(st, 2, upto_seq);
    int i = store_sql_filter_bind(st, &f, 3);
    sqlite3_bind_int64(st, i, page(limit));
    sbuf_free(&sql);
    store_sql_filter_free(&f);
    return collect(s, st, 0, a, sizeof **out, rows[stream], (void **)out, n, err);
fail:
    sbuf_free(&sql);
    store_sql_filter_free(&f);
    return err->code;
}

/* ---- the helpers above, for the other read files (store_internal.h) ---- */
int store_read_rows(store *s, sqlite3_stmt *st, int first_col, gql_arena *a, size_t size, store_row_fn fn,
                    void **out, size_t *n, store_err *err) {
    return collect(s, st, first_col, a, size, fn, out, n, err);
}
int store_read_children(store *s, const char *sql, char *json, size_t nparents, gql_arena *a, size_t size,
                        store_row_fn fn, void **items, size_t *count, size_t **first, store_err *err) {
    return children(s, sql, json, nparents, a, size, fn, items, count, first, err);
}
int store_read_list(store *s, const char *select_from, store_entity e, const store_filter *where, const char *order,
                    int64_t limit, int64_t offset, gql_arena *a, size_t size, store_row_fn fn, void **out,
                    size_t *n, store_err *err) {
    return list(s, select_from, e, where, order, limit, offset, a, size, fn, out, n, err);
}
