/*
 * store_pg_read.c: the read side on PostgreSQL, the counterpart of
 * store_read.c: filtered lists, reads by id, children of many parents in
 * ONE statement per level (the parents travel as one JSON array, unnested
 * WITH ORDINALITY: the parent's index is the ordinal - 1), and stream
 * replay. Every statement goes through pgs_read, so on the server a read
 * may answer STORE_PENDING (returned at once: the pass runs again).
 *
 * Same rows in the same order as SQLite: text is ordered COLLATE "C"
 * (SQLite's byte order), children in positions are ordered by the
 * statement (SQLite orders them in C; ties by the key SQLite's index walk
 * gives), and the filters come from the one compiler in its PostgreSQL
 * dialect (store_filter.c).
 *
 * Must never: write, issue one statement per parent, touch the connection
 * but through pgs_read, or return more than STORE_PAGE_MAX rows.
 */
#include <stdlib.h>
#include <string.h>
#include "pg_util.h"
#include "store_pg.h"

/* ---- rows ---- */

static store_kind kind_of(const char *k) {
    if (k && strcmp(k, "PRODUCT") == 0) return STORE_KIND_PRODUCT;
    if (k && strcmp(k, "SUBASSEMBLY") == 0) return STORE_KIND_SUBASSEMBLY;
    return STORE_KIND_PROCESS;
}

void pgs_read_operation(const PGresult *r, int row, int f, gql_arena *a, void *item) {
    store_operation *o = item;
    o->id = pg_text(r, row, f, a);
    o->kind = kind_of(PQgetvalue(r, row, f + 1));
    o->external_id = pg_text(r, row, f + 2, a);
    o->revision = pg_text(r, row, f + 3, a);
    o->name = pg_text(r, row, f + 4, a);
    o->description = pg_text(r, row, f + 5, a);
    o->produces_serial = pg_bool(r, row, f + 6);
    o->template_id = pg_text(r, row, f + 7, a);
    o->variant_name = pg_text(r, row, f + 8, a);
    o->seq = pg_i64(r, row, f + 9);
    o->updated_at = pg_i64(r, row, f + 10);
    o->archived_at = pg_i64(r, row, f + 11);
}

static void row_sub_operation(const PGresult *r, int row, int f, gql_arena *a, void *item) {
    store_sub_operation *o = item;
    o->parent_id = pg_text(r, row, f, a);
    o->sub_id = pg_text(r, row, f + 1, a);
    o->sub_group = pg_text(r, row, f + 2, a);
    o->position = pg_i64(r, row, f + 3);
    o->optional = pg_bool(r, row, f + 4);
    o->seq = pg_i64(r, row, f + 5);
    o->updated_at = pg_i64(r, row, f + 6);
    o->archived_at = pg_i64(r, row, f + 7);
}

void pgs_read_station(const PGresult *r, int row, int f, gql_arena *a, void *item) {
    store_station *o = item;
    o->id = pg_text(r, row, f, a);
    o->name = pg_text(r, row, f + 1, a);
    o->updated_at = pg_i64(r, row, f + 2);
}

static void row_attribute(const PGresult *r, int row, int f, gql_arena *a, void *item) {
    store_attribute *o = item;
    o->operation_id = pg_text(r, row, f, a);
    o->id = pg_text(r, row, f + 1, a);
    o->name = pg_text(r, row, f + 2, a);
    o->part_number = pg_text(r, row, f + 3, a);
}

static void row_step(const PGresult *r, int row, int f, gql_arena *a, void *item) {
    store_step *o = item;
    o->key = pg_i64(r, row, f);
    o->operation_id = pg_text(r, row, f + 1, a);
    o->id = pg_text(r, row, f + 2, a);
    o->name = pg_text(r, row, f + 3, a);
    o->instruction_text = pg_text(r, row, f + 4, a);
}

static void row_action(const PGresult *r, int row, int f, gql_arena *a, void *item) {
    store_action *o = item;
    o->step_key = pg_i64(r, row, f);
    o->id = pg_text(r, row, f + 1, a);
    o->description = pg_text(r, row, f + 2, a);
}

/* ---- the shapes of a read ---- */

int pgs_read_rows(store *s, const char *sql, int nparams, const char *const *params, gql_arena *a, size_t size,
                  pgs_read_fn fn, void **out, size_t *n, store_err *err) {
    const PGresult *r;
    if (pgs_read(s, sql, nparams, params, &r, err)) return err->code;
    size_t count = (size_t)PQntuples(r);
    char *v = gql_arena_calloc(a, (count ? count : 1) * size);
    for (size_t i = 0; i < count; i++) fn(r, (int)i, 0, a, v + i * size);
    pgs_read_release(s, r);
    *out = v;
    *n = count;
    return STORE_OK;
}

int pgs_read_children(store *s, const char *sql, char *json, size_t nparents, gql_arena *a, size_t size,
                      pgs_read_fn fn, void **items, size_t *count, size_t **first_out, store_err *err) {
    const char *params[] = {json};
    const PGresult *r;
    int rc = pgs_read(s, sql, 1, params, &r, err);
    free(json);
    if (rc) return err->code;
    int rows = PQntuples(r);
    char *v = gql_arena_calloc(a, (rows ? (size_t)rows : 1) * size);
    size_t *first = gql_arena_calloc(a, (nparents + 1) * sizeof *first);
    size_t n = 0, next_parent = 0;
    for (int i = 0; i < rows; i++) {
        int64_t k = pg_i64(r, i, 0);
        if (k < 0 || (size_t)k >= nparents) continue;
        while (next_parent <= (size_t)k) first[next_parent++] = n;
        fn(r, i, 1, a, v + n * size);
        n++;
    }
    pgs_read_release(s, r);
    while (next_parent <= nparents) first[next_parent++] = n;
    *items = v;
    *count = n;
    *first_out = first;
    return STORE_OK;
}

static int64_t page(int64_t limit) { return limit < 0 || limit > STORE_PAGE_MAX ? STORE_PAGE_MAX : limit; }

/* head [AND|WHERE (filter over alias)] tail, the filter's placeholders
 * numbered after the nbefore parameters before it, then nafter more: the
 * statement and its parameters (text; numbers written into nums). */
typedef struct filtered {
    sbuf sql;
    store_sql_filter f;
    const char **params;
    char (*nums)[PG_I64_LEN];
    int nparams;
} filtered;

static void filtered_free(filtered *q) {
    sbuf_free(&q->sql);
    store_sql_filter_free(&q->f);
    free(q->params);
    free(q->nums);
}

static int filtered_build(filtered *q, const char *head, const char *joiner, store_entity e,
                          const store_filter *where, const char *alias, int nbefore, int nafter, store_err *err) {
    q->f = (store_sql_filter){.dialect = STORE_DIALECT_PG, .first_param = nbefore + 1};
    sbuf_add(&q->sql, head);
    if (where) {
        if (store_filter_compile(e, where, alias, &q->f, err)) return err->code;
        sbuf_addf(&q->sql, " %s (%s)", joiner, q->f.sql.p);
    }
    q->nparams = nbefore + (int)q->f.nparams + nafter;
    q->params = calloc((size_t)q->nparams, sizeof *q->params);
    q->nums = calloc((size_t)q->nparams, sizeof *q->nums);
    if (!q->params || !q->nums) abort();
    for (size_t i = 0; i < q->f.nparams; i++) {
        const store_value *v = &q->f.params[i];
        int at = nbefore + (int)i;
        q->params[at] = v->kind == STORE_V_STRING ? v->s : pg_i64_param(q->nums[at], v->i);
    }
    return STORE_OK;
}

/* A number parameter of a filtered statement. */
static void filtered_num(filtered *q, int at, int64_t v) { q->params[at] = pg_i64_param(q->nums[at], v); }

int pgs_read_list(store *s, const char *select_from, store_entity e, const store_filter *where, const char *order,
                  int64_t limit, int64_t offset, gql_arena *a, size_t size, pgs_read_fn fn, void **out, size_t *n,
                  store_err *err) {
    filtered q = {0};
    int rc = filtered_build(&q, select_from, "WHERE", e, where, "t0", 0, 2, err);
    if (rc == STORE_OK) {
        sbuf_addf(&q.sql, " ORDER BY %s LIMIT $%d OFFSET $%d", order, q.nparams - 1, q.nparams);
        filtered_num(&q, q.nparams - 2, page(limit));
        filtered_num(&q, q.nparams - 1, offset < 0 ? 0 : offset);
        rc = pgs_read_rows(s, q.sql.p, q.nparams, q.params, a, size, fn, out, n, err);
    }
    filtered_free(&q);
    return rc;
}

/* ---- lists and reads by id ---- */

#define C_ORDER(col) col " COLLATE \"C\""

int pgs_operations_list(store *s, const store_filter *where, int64_t limit, int64_t offset, gql_arena *a,
                        store_operation **out, size_t *n, store_err *err) {
    return pgs_read_list(s, "SELECT " STORE_OP_COLS("t0") " FROM operations t0", STORE_E_OPERATION, where,
                         C_ORDER("t0.id"), limit, offset, a, sizeof **out, pgs_read_operation, (void **)out, n,
                         err);
}

int pgs_sub_operations_list(store *s, const store_filter *where, int64_t limit, int64_t offset, gql_arena *a,
                            store_sub_operation **out, size_t *n, store_err *err) {
    return pgs_read_list(s, "SELECT " STORE_SUB_COLS("t0") " FROM sub_operations t0", STORE_E_SUB_OPERATION, where,
                         C_ORDER("t0.parent_id") ", t0.position, " C_ORDER("t0.sub_id"), limit, offset, a,
                         sizeof **out, row_sub_operation, (void **)out, n, err);
}

int pgs_stations_list(store *s, const store_filter *where, int64_t limit, int64_t offset, gql_arena *a,
                      store_station **out, size_t *n, store_err *err) {
    return pgs_read_list(s, "SELECT t0.id, t0.name, t0.updated_at FROM stations t0", STORE_E_STATION, where,
                         C_ORDER("t0.id"), limit, offset, a, sizeof **out, pgs_read_station, (void **)out, n, err);
}

static int get_one(store *s, const char *sql, const char *id, gql_arena *a, size_t size, pgs_read_fn fn,
                   void **out, store_err *err) {
    const char *params[] = {id};
    void *items = NULL;
    size_t n = 0;
    if (pgs_read_rows(s, sql, 1, params, a, size, fn, &items, &n, err)) return err->code;
    *out = n ? items : NULL;
    return STORE_OK;
}

int pgs_operation_get(store *s, const char *id, gql_arena *a, store_operation **out, store_err *err) {
    return get_one(s, "SELECT " STORE_OP_COLS("t") " FROM operations t WHERE t.id = $1", id, a, sizeof **out,
                   pgs_read_operation, (void **)out, err);
}

int pgs_station_get(store *s, const char *id, gql_arena *a, store_station **out, store_err *err) {
    return get_one(s, "SELECT id, name, updated_at FROM stations WHERE id = $1", id, a, sizeof **out,
                   pgs_read_station, (void **)out, err);
}

/* ---- children of many parents ---- */

int pgs_operations_by_ids(store *s, const char *const *ids, size_t n, gql_arena *a, store_operations *out,
                          store_err *err) {
    return pgs_read_children(s,
                             "SELECT p.i - 1, " STORE_OP_COLS("t") " FROM " PGS_PARENTS
                             PGS_PROBE("SELECT * FROM operations t WHERE t.id = p.v", "t") " ORDER BY p.i",
                             json_string_array(ids, n), n, a, sizeof *out->items, pgs_read_operation,
                             (void **)&out->items, &out->count, &out->first, err);
}

int pgs_consumed_attrs_of(store *s, const char *const *op_ids, size_t n, gql_arena *a, store_attributes *out,
                          store_err *err) {
    return pgs_read_children(s,
                             "SELECT p.i - 1, c.operation_id, c.id, c.name, c.part_number FROM " PGS_PARENTS
                             PGS_PROBE("SELECT * FROM consumed_serial_attrs c WHERE c.operation_id = p.v", "c")
                             " ORDER BY p.i, c.position, " C_ORDER("c.id"),
                             json_string_array(op_ids, n), n, a, sizeof *out->items, row_attribute,
                             (void **)&out->items, &out->count, &out->first, err);
}

/* The tree of each parent (STORE_TREE_STEP_PG), k its index. */
#define TREE_OF_PARENTS                                                                                  \
    "WITH RECURSIVE tree(k, op, path) AS (SELECT p.i - 1, p.v, ''::text FROM " PGS_PARENTS " UNION ALL" \
    STORE_TREE_STEP_PG ")"

/* An attribute reached twice counts once, at its first place (as on SQLite). */
int pgs_tree_attrs_of(store *s, const char *const *op_ids, size_t n, gql_arena *a, store_attributes *out,
                      store_err *err) {
    return pgs_read_children(s,
                             TREE_OF_PARENTS " SELECT t.k, c.operation_id, c.id, c.name, c.part_number,"
                             " min((t.path || " STORE_PG_PAD8("c.position") ") COLLATE \"C\") AS ord"
                             " FROM tree t JOIN consumed_serial_attrs c ON c.operation_id = t.op"
                             " GROUP BY t.k, c.operation_id, c.id"
                             " ORDER BY t.k, ord, " C_ORDER("c.operation_id") ", " C_ORDER("c.id"),
                             json_string_array(op_ids, n), n, a, sizeof *out->items, row_attribute,
                             (void **)&out->items, &out->count, &out->first, err);
}

/* The process with the greatest path is the last in routing order: SQLite's
 * max(path) with a bare column is DISTINCT ON here. */
int pgs_tree_produces_serial_of(store *s, const char *const *op_ids, size_t n, bool *out, store_err *err) {
    memset(out, 0, n * sizeof *out);
    char *json = json_string_array(op_ids, n);
    const char *params[] = {json};
    const PGresult *r;
    int rc = pgs_read(s,
                      TREE_OF_PARENTS " SELECT DISTINCT ON (t.k) t.k, o.produces_serial FROM tree t"
                      " JOIN operations o ON o.id = t.op AND o.kind = 'PROCESS'"
                      " ORDER BY t.k, " C_ORDER("t.path") " DESC",
                      1, params, &r, err);
    free(json);
    if (rc) return err->code;
    for (int i = 0; i < PQntuples(r); i++) {
        int64_t k = pg_i64(r, i, 0);
        if (k >= 0 && (size_t)k < n) out[k] = pg_bool(r, i, 1);
    }
    pgs_read_release(s, r);
    return STORE_OK;
}

int pgs_sub_operations_of(store *s, const char *const *parent_ids, size_t n, bool with_archived, gql_arena *a,
                          store_sub_operations *out, store_err *err) {
#define SUBS_OF(cond)                                                                                  \
    "SELECT p.i - 1, " STORE_SUB_COLS("t") " FROM " PGS_PARENTS                                        \
    PGS_PROBE("SELECT * FROM sub_operations t WHERE t.parent_id = p.v" cond, "t")                       \
    " ORDER BY p.i, t.position, " C_ORDER("t.sub_id")
    const char *sql = with_archived ? SUBS_OF("") : SUBS_OF(" AND t.archived_at IS NULL");
#undef SUBS_OF
    return pgs_read_children(s, sql, json_string_array(parent_ids, n), n, a, sizeof *out->items,
                             row_sub_operation, (void **)&out->items, &out->count, &out->first, err);
}

int pgs_steps_of(store *s, const char *const *op_ids, size_t n, gql_arena *a, store_steps *out, store_err *err) {
    return pgs_read_children(s,
                             "SELECT p.i - 1, t.key, t.operation_id, t.id, t.name, t.instruction_text FROM "
                             PGS_PARENTS PGS_PROBE("SELECT * FROM steps t WHERE t.operation_id = p.v", "t")
                             " ORDER BY p.i, t.position, "
                             C_ORDER("t.id"),
                             json_string_array(op_ids, n), n, a, sizeof *out->items, row_step,
                             (void **)&out->items, &out->count, &out->first, err);
}

int pgs_actions_of(store *s, const int64_t *step_keys, size_t n, gql_arena *a, store_actions *out,
                   store_err *err) {
    return pgs_read_children(s,
                             "SELECT p.i - 1, t.step_key, t.id, t.description FROM " PGS_PARENTS
                             PGS_PROBE("SELECT * FROM actions t WHERE t.step_key = p.v::bigint", "t")
                             " ORDER BY p.i, t.position, "
                             C_ORDER("t.id"),
                             json_int_array(step_keys, n), n, a, sizeof *out->items, row_action,
                             (void **)&out->items, &out->count, &out->first, err);
}

int pgs_station_processes_of(store *s, const char *const *station_ids, size_t n, gql_arena *a,
                             store_operations *out, store_err *err) {
    return pgs_read_children(s,
                             "SELECT p.i - 1, " STORE_OP_COLS("t") " FROM " PGS_PARENTS
                             PGS_PROBE("SELECT sp.position AS sp_position, t.* FROM station_processes sp"
                                       " JOIN operations t ON t.id = sp.operation_id WHERE sp.station_id = p.v",
                                       "t")
                             " ORDER BY p.i, t.sp_position, " C_ORDER("t.id"),
                             json_string_array(station_ids, n), n, a, sizeof *out->items, pgs_read_operation,
                             (void **)&out->items, &out->count, &out->first, err);
}

/* ---- snapshots ----
 * Nothing to do on PostgreSQL. SQLite's snapshot is a read transaction held
 * on the read connection; here a read goes out in a pass, pipelined with
 * the pass's other statements on the loop's shared connection, each in its
 * own implicit transaction, and a BEGIN kept open from one pass to the
 * next would leave that connection idle in a transaction for as long as a
 * request lasts (and every other request's reads inside it). Replay does
 * not need one: a stream's seq is taken under its stream_heads row lock,
 * so a statement that sees seq S + 1 sees S (pg_events.h). */
int pgs_snapshot_begin(store *s, store_err *err) {
    (void)s;
    (void)err;
    return STORE_OK;
}
void pgs_snapshot_end(store *s) { (void)s; }

/* ---- streams ---- */

/* Every stream's rows start with seq and at. */
static store_event *event_at(const PGresult *r, int row, int f, void *item) {
    store_event *e = item;
    e->seq = pg_i64(r, row, f);
    e->at = pg_i64(r, row, f + 1);
    return e;
}

static void row_op_event(const PGresult *r, int row, int f, gql_arena *a, void *item) {
    store_event *e = event_at(r, row, f, item);
    e->operation = gql_arena_calloc(a, sizeof *e->operation);
    pgs_read_operation(r, row, f + 2, a, e->operation);
}

static void row_sub_event(const PGresult *r, int row, int f, gql_arena *a, void *item) {
    store_event *e = event_at(r, row, f, item);
    e->sub_operation = gql_arena_calloc(a, sizeof *e->sub_operation);
    row_sub_operation(r, row, f + 2, a, e->sub_operation);
}

static void row_payload_event(const PGresult *r, int row, int f, gql_arena *a, void *item) {
    store_event *e = event_at(r, row, f, item);
    e->ref = pg_text(r, row, f + 2, a);
    e->payload = pg_text(r, row, f + 3, a);
}

static void row_work_order_event(const PGresult *r, int row, int f, gql_arena *a, void *item) {
    store_event *e = event_at(r, row, f, item);
    e->order_id = pg_i64(r, row, f + 2);
    e->status = pg_text(r, row, f + 3, a);
}

/* The payload (jsonb) comes back as PostgreSQL writes jsonb: the same
 * JSON value as was stored, in its normal form (the readers parse it). */
int pgs_stream_read(store *s, store_stream stream, int64_t after_seq, int64_t upto_seq, int64_t limit,
                    const store_filter *where, gql_arena *a, store_event **out, size_t *n, store_err *err) {
    static const char *const head[STORE_STREAM_COUNT] = {
        "SELECT e.seq, e.at, " STORE_OP_COLS("t0") " FROM operation_events e"
        " JOIN operations t0 ON t0.id = e.operation_id WHERE e.seq > $1 AND e.seq <= $2",
        "SELECT e.seq, e.at, " STORE_SUB_COLS("t0") " FROM sub_operation_events e"
        " JOIN sub_operations t0 ON t0.parent_id = e.parent_id AND t0.sub_id = e.sub_id WHERE e.seq > $1 AND e.seq <= $2",
        "SELECT e.seq, e.at, e.ref, e.payload FROM operation_order_complete_events e WHERE e.seq > $1 AND e.seq <= $2",
        "SELECT e.seq, e.at, e.ref, e.payload FROM note_events e WHERE e.seq > $1 AND e.seq <= $2",
        "SELECT e.seq, e.at, e.order_id, e.status FROM work_order_events e WHERE e.seq > $1 AND e.seq <= $2"};
    static const store_entity entity[STORE_STREAM_COUNT] = {STORE_E_OPERATION, STORE_E_SUB_OPERATION,
                                                            STORE_E_OPERATION_ORDER_COMPLETE, STORE_E_NOTE_EVENT,
                                                            STORE_E_WORK_ORDER_EVENT};
    static const char *const alias[STORE_STREAM_COUNT] = {"t0", "t0", "e", "e", "e"};
    static const pgs_read_fn rows[STORE_STREAM_COUNT] = {row_op_event, row_sub_event, row_payload_event,
                                                         row_payload_event, row_work_order_event};
    if ((unsigned)stream >= STORE_STREAM_COUNT) return store_set_err(err, STORE_EINPUT, "no such stream");
    filtered q = {0};
    int rc = filtered_build(&q, head[stream], "AND", entity[stream], where, alias[stream], 2, 1, err);
    if (rc == STORE_OK) {
        sbuf_addf(&q.sql, " ORDER BY e.seq LIMIT $%d", q.nparams);
        filtered_num(&q, 0, after_seq);
        filtered_num(&q, 1, upto_seq);
        filtered_num(&q, q.nparams - 1, page(limit));
        rc = pgs_read_rows(s, q.sql.p, q.nparams, q.params, a, sizeof **out, rows[stream], (void **)out, n, err);
    }
    filtered_free(&q);
    return rc;
}
