/* test_pg_read.c: the read side on PostgreSQL against SQLite's, as a
 * differential test. One data set (operations in trees with archived links,
 * steps, actions, attributes, stations, operators, orders in a waterfall,
 * every stream's events with payloads as mes_internal.h writes them) goes
 * into a SQLite store and a PostgreSQL store with plain SQL; then every
 * read function of store_read.c and store_orders_read.c is called on both
 * with the same arguments, filters with every operator, nested objects,
 * payload fields, refusals, limits, offsets and afterSeq, and the answers
 * must be equal field by field (error codes and messages included). The
 * payloads are compared as JSON values (PostgreSQL keeps jsonb in its
 * normal form). Each answer is written out as text, so a difference shows
 * as the two texts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include "store.h"
#include "test_pg_util.h"
#include "test_store_util.h"

/* ---- the data (data/pg_read_data.sql), run on both ---- */
static char *read_data(void) {
    const char *self = __FILE__, *slash = strrchr(self, '/');
    char path[512];
    snprintf(path, sizeof path, "%.*s/data/pg_read_data.sql", (int)(slash - self), self);
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s", path);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return buf;
}

/* sql with each %D replaced by digest (the SQL's own % are in literals, never before a D) */
static char *with_digest(const char *sql, const char *digest) {
    size_t cap = strlen(sql) * 2 + 64, n = 0;
    char *out = malloc(cap);
    for (const char *p = sql; *p; p++) {
        if (p[0] == '%' && p[1] == 'D') {
            n += (size_t)sprintf(out + n, "%s", digest);
            p++;
        } else {
            out[n++] = *p;
        }
    }
    out[n] = 0;
    return out;
}

typedef struct pair {
    test_db tdb;
    store *sq, *pg;
    PGconn *raw;      /* the PostgreSQL database, for comparing JSON */
    gql_arena a;
} pair;

static int setup(void **state) {
    pair *p = calloc(1, sizeof *p);
    test_db_make(&p->tdb);
    p->sq = test_open(&p->tdb, NULL);
    char url[1024], conninfo[512];
    pg_test_fresh_url_with("t_pg_read", PG_TEST_ICU, conninfo, sizeof conninfo, url, sizeof url);
    store_err err = {0};
    p->pg = store_open(url, NULL, &err);
    if (!p->pg) fail_msg("%s", err.message);
    p->raw = pg_test_connect(conninfo);
    assert_int_equal(pg_test_int(p->raw, "SELECT ('a' < 'B')::int"), 1);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(p->tdb.path, &db), SQLITE_OK);
    const char *data = read_data();
    char *sq = with_digest(data, "x'00'"), *pg = with_digest(data, "'\\x00'");
    char *msg = NULL;
    if (sqlite3_exec(db, sq, NULL, NULL, &msg) != SQLITE_OK) fail_msg("SQLite: %s", msg);
    pg_test_exec(p->raw, pg, NULL);
    free(sq);
    free(pg);
    sqlite3_close(db);
    gql_arena_init(&p->a, 1 << 16);
    *state = p;
    return 0;
}

static int teardown(void **state) {
    pair *p = *state;
    store_close(p->sq);
    store_close(p->pg);
    PQfinish(p->raw);
    test_db_remove(&p->tdb);
    gql_arena_free(&p->a);
    free(p);
    return 0;
}

/* ---- answers as text ---- */
typedef struct out {
    char *s;
    size_t len, cap;
    size_t rows;   /* items written: a comparison of two empty answers proves little */
} out;

static void put(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(out *o, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (o->len + (size_t)n + 1 > o->cap) {
        o->cap = (o->len + (size_t)n + 1) * 2;
        o->s = realloc(o->s, o->cap);
    }
    va_start(ap, fmt);
    vsnprintf(o->s + o->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    o->len += (size_t)n;
}
#define S(x) ((x) ? (x) : "<null>")

static void put_err(out *o, int rc, const store_err *err) {
    if (rc) put(o, "error %d: %s\n", rc, err->message);
}
static void put_op(out *o, const store_operation *x) {
    put(o, "op %s %s %s %s %s %s %d %s %s %s %lld %lld %lld\n", S(x->id), store_kind_name(x->kind),
        S(x->external_id), S(x->revision), S(x->name), S(x->description), x->produces_serial, S(x->template_id),
        S(x->variant_name), "", (long long)x->seq, (long long)x->updated_at, (long long)x->archived_at);
    o->rows++;
}
static void put_sub(out *o, const store_sub_operation *x) {
    put(o, "sub %s %s %s %lld %d %lld %lld %lld\n", S(x->parent_id), S(x->sub_id), S(x->sub_group),
        (long long)x->position, x->optional, (long long)x->seq, (long long)x->updated_at,
        (long long)x->archived_at);
    o->rows++;
}
static void put_station(out *o, const store_station *x) {
    put(o, "station %s %s %lld\n", S(x->id), S(x->name), (long long)x->updated_at);
    o->rows++;
}
static void put_order(out *o, const store_order *x) {
    put(o, "order %lld %lld %s %s %s %s %lld %s %s %lld %lld %lld %lld %lld\n", (long long)x->id,
        (long long)x->parent_id, S(x->external_order_id), S(x->secondary_external_order_id), S(x->operation_id),
        S(x->reserved_serial_number), (long long)x->order_index, store_order_status_name(x->status),
        S(x->station_id), (long long)x->operator_id, (long long)x->created_at, (long long)x->updated_at,
        (long long)x->started_at, (long long)x->completed_at);
    o->rows++;
}
static void put_operator(out *o, const store_operator *x) {
    put(o, "operator %lld %s\n", (long long)x->id, S(x->name));
    o->rows++;
}
static void put_attr(out *o, const store_attribute *x) {
    put(o, "attr %s %s %s %s\n", S(x->operation_id), S(x->id), S(x->name), S(x->part_number));
    o->rows++;
}
static void put_step(out *o, const store_step *x) {
    put(o, "step %lld %s %s %s %s\n", (long long)x->key, S(x->operation_id), S(x->id), S(x->name),
        S(x->instruction_text));
    o->rows++;
}
static void put_action(out *o, const store_action *x) {
    put(o, "action %lld %s %s\n", (long long)x->step_key, S(x->id), S(x->description));
    o->rows++;
}
/* payloads: not in the text (PostgreSQL normalizes jsonb); compared as JSON by the caller */
static void put_event(out *o, const store_event *e) {
    put(o, "event %lld %lld %s %lld %s\n", (long long)e->seq, (long long)e->at, S(e->ref), (long long)e->order_id,
        S(e->status));
    if (e->operation) put_op(o, e->operation);
    if (e->sub_operation) put_sub(o, e->sub_operation);
    put(o, "payload %s\n", e->payload ? "yes" : "no");
    o->rows++;
}
/* children: each parent's slice on its own line */
#define PUT_CHILDREN(o, ch, n, fn)                                                                   \
    do {                                                                                             \
        for (size_t i_ = 0; i_ < (n); i_++) {                                                        \
            put((o), "parent %zu:\n", i_);                                                           \
            for (size_t j_ = (ch).first[i_]; j_ < (ch).first[i_ + 1]; j_++) fn((o), &(ch).items[j_]); \
        }                                                                                            \
    } while (0)

/* Both texts equal; returns the rows written (of one). */
static size_t same(out *sq, out *pg, const char *what) {
    const char *a = sq->s ? sq->s : "", *b = pg->s ? pg->s : "";
    if (strcmp(a, b) != 0) fail_msg("%s differs\n--- SQLite:\n%s--- PostgreSQL:\n%s", what, a, b);
    size_t rows = sq->rows;
    free(sq->s);
    free(pg->s);
    *sq = (out){0};
    *pg = (out){0};
    return rows;
}

static bool json_same(PGconn *c, const char *x, const char *y) {
    const char *params[] = {x, y};
    PGresult *r = PQexecParams(c, "SELECT $1::jsonb = $2::jsonb", 2, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) fail_msg("%s", PQerrorMessage(c));
    bool eq = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    PQclear(r);
    return eq;
}

/* ---- filters ---- */
static gql_arena *FA;   /* the filters' arena (the pair's) */
static store_filter *node(store_filter_kind k, const char *field, size_t nchildren, ...) {
    store_filter *f = gql_arena_calloc(FA, sizeof *f);
    f->kind = k;
    f->field = field;
    store_filter **ch = gql_arena_calloc(FA, (nchildren ? nchildren : 1) * sizeof *ch);
    va_list ap;
    va_start(ap, nchildren);
    for (size_t i = 0; i < nchildren; i++) ch[i] = va_arg(ap, store_filter *);
    va_end(ap);
    f->children = ch;
    f->nchildren = nchildren;
    return f;
}
static store_filter *cmpv(const char *field, store_cmp op, size_t n, const store_value *v) {
    store_filter *f = node(STORE_F_CMP, field, 0);
    f->op = op;
    store_value *vals = gql_arena_calloc(FA, (n ? n : 1) * sizeof *vals);
    if (n) memcpy(vals, v, n * sizeof *v);
    f->values = vals;
    f->nvalues = n;
    return f;
}
static store_filter *str(const char *field, store_cmp op, const char *s) {
    return cmpv(field, op, 1, &(store_value){.kind = STORE_V_STRING, .s = s});
}
static store_filter *num(const char *field, store_cmp op, int64_t i) {
    return cmpv(field, op, 1, &(store_value){.kind = STORE_V_INT, .i = i});
}
static store_filter *tim(const char *field, store_cmp op, int64_t i) {
    return cmpv(field, op, 1, &(store_value){.kind = STORE_V_TIME, .i = i});
}
static store_filter *boo(const char *field, store_cmp op, bool b) {
    return cmpv(field, op, 1, &(store_value){.kind = STORE_V_BOOL, .i = b});
}
static store_filter *null(const char *field, bool is) { return boo(field, STORE_IS_NULL, is); }
/* a list of strings: n of them */
static store_filter *strs(const char *field, store_cmp op, size_t n, ...) {
    store_value v[8];
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) v[i] = (store_value){.kind = STORE_V_STRING, .s = va_arg(ap, const char *)};
    va_end(ap);
    return cmpv(field, op, n, v);
}
static store_filter *obj(const char *field, store_filter *f) { return node(STORE_F_OBJECT, field, 1, f); }
#define AND(...) node(STORE_F_AND, NULL, sizeof((store_filter *[]){__VA_ARGS__}) / sizeof(store_filter *), __VA_ARGS__)
#define OR(...) node(STORE_F_OR, NULL, sizeof((store_filter *[]){__VA_ARGS__}) / sizeof(store_filter *), __VA_ARGS__)
static store_filter *not(store_filter *f) { return node(STORE_F_NOT, NULL, 1, f); }
static store_filter *none(store_filter_kind k) { return node(k, NULL, 0); }

/* ---- the calls, on both stores ---- */
typedef struct list_case { const char *name; store_filter *where; int64_t limit, offset; } list_case;

static size_t run_lists(pair *p, const list_case *cases, size_t n,
                        void (*call)(store *s, gql_arena *a, const list_case *c, out *o)) {
    size_t rows = 0;
    for (size_t i = 0; i < n; i++) {
        out x = {0}, y = {0};
        call(p->sq, &p->a, &cases[i], &x);
        call(p->pg, &p->a, &cases[i], &y);
        rows += same(&x, &y, cases[i].name);
    }
    return rows;
}

static void call_operations(store *s, gql_arena *a, const list_case *c, out *o) {
    store_operation *v = NULL;
    size_t n = 0;
    store_err err = {0};
    int rc = store_operations_list(s, c->where, c->limit, c->offset, a, &v, &n, &err);
    put_err(o, rc, &err);
    for (size_t i = 0; !rc && i < n; i++) put_op(o, &v[i]);
}

static void operations_lists(void **state) {
    pair *p = *state;
    FA = &p->a;
    const list_case cases[] = {
        {"all", NULL, -1, 0},
        {"page", NULL, 3, 2},
        {"page past the end", NULL, 5, 100},
        {"negative offset", NULL, 2, -4},
        {"id _eq", str("id", STORE_EQ, "p1"), -1, 0},
        {"id _neq", str("id", STORE_NEQ, "p1"), -1, 0},
        {"id _in", strs("id", STORE_IN, 3, "p1", "s1", "nope"), -1, 0},
        {"id _nin", strs("id", STORE_NIN, 2, "p1", "prod"), -1, 0},
        {"id _in []", strs("id", STORE_IN, 0), -1, 0},
        {"id _nin []", strs("id", STORE_NIN, 0), -1, 0},
        {"id _gt (byte order)", str("id", STORE_GT, "Zz"), -1, 0},
        {"id _gte", str("id", STORE_GTE, "p2"), -1, 0},
        {"id _lt", str("id", STORE_LT, "a"), -1, 0},
        {"id _lte", str("id", STORE_LTE, "p1"), -1, 0},
        {"name _gt (case)", str("name", STORE_GT, "Beta"), -1, 0},
        {"name _lt (case)", str("name", STORE_LT, "a"), -1, 0},
        {"name _like", str("name", STORE_LIKE, "B%"), -1, 0},
        {"name _like (case-sensitive)", str("name", STORE_LIKE, "%eta"), -1, 0},
        {"name _like (no escape)", str("name", STORE_LIKE, "a\\%"), -1, 0},
        {"name _like _", str("name", STORE_LIKE, "gadget_2"), -1, 0},
        {"externalId _is_null", null("externalId", true), -1, 0},
        {"externalId not null", null("externalId", false), -1, 0},
        {"externalRevision _neq (nulls left out)", str("externalRevision", STORE_NEQ, "A"), -1, 0},
        {"templateID _eq", str("templateID", STORE_EQ, "t1"), -1, 0},
        {"variantName _in", strs("variantName", STORE_IN, 1, "v"), -1, 0},
        {"kind _eq", str("kind", STORE_EQ, "PRODUCT"), -1, 0},
        {"kind _in", strs("kind", STORE_IN, 2, "SUBASSEMBLY", "PRODUCT"), -1, 0},
        {"producesSerial true (trees)", boo("producesSerial", STORE_EQ, true), -1, 0},
        {"producesSerial false", boo("producesSerial", STORE_EQ, false), -1, 0},
        {"producesSerial _neq", boo("producesSerial", STORE_NEQ, true), -1, 0},
        {"seq _gt", num("seq", STORE_GT, 4), -1, 0},
        {"seq _lte", num("seq", STORE_LTE, 2), -1, 0},
        {"seq _in", cmpv("seq", STORE_IN, 2, (store_value[]){{.kind = STORE_V_INT, .i = 1}, {.kind = STORE_V_INT, .i = 8}}), -1, 0},
        {"updatedAt _gte", tim("updatedAt", STORE_GTE, 500), -1, 0},
        {"updatedAt _lt", tim("updatedAt", STORE_LT, 300), -1, 0},
        {"archivedAt _is_null", null("archivedAt", true), -1, 0},
        {"archivedAt _gt", tim("archivedAt", STORE_GT, 0), -1, 0},
        {"_and", AND(str("kind", STORE_EQ, "PROCESS"), num("seq", STORE_GTE, 2)), -1, 0},
        {"_or", OR(str("id", STORE_EQ, "p1"), str("name", STORE_EQ, "Gadget")), -1, 0},
        {"_not", not(str("kind", STORE_EQ, "PROCESS")), -1, 0},
        {"_not of a null field", not(str("externalId", STORE_EQ, "PN-1")), -1, 0},
        {"nested", AND(OR(str("kind", STORE_EQ, "PRODUCT"), not(null("archivedAt", true))),
                       not(AND(str("name", STORE_LIKE, "%2"), num("seq", STORE_GT, 0)))), 2, 1},
        {"_and []", none(STORE_F_AND), -1, 0},
        {"_or []", none(STORE_F_OR), -1, 0},
        {"refused: unknown field", str("colour", STORE_EQ, "red"), -1, 0},
        {"refused: wrong type", num("name", STORE_EQ, 3), -1, 0},
        {"refused: _like on an id", str("id", STORE_LIKE, "p%"), -1, 0},
        {"refused: _gt on a bool", boo("producesSerial", STORE_GT, true), -1, 0},
        {"refused: _is_null without a bool", str("externalId", STORE_IS_NULL, "x"), -1, 0},
        {"refused: not an object", obj("name", str("id", STORE_EQ, "x")), -1, 0},
        {"refused: two values", cmpv("name", STORE_EQ, 0, NULL), -1, 0},
        {"refused: _not of two", node(STORE_F_NOT, NULL, 2, null("id", true), null("id", true)), -1, 0},
    };
    size_t rows = run_lists(p, cases, sizeof cases / sizeof cases[0], call_operations);
    assert_true(rows > 60);
}

static void call_subs(store *s, gql_arena *a, const list_case *c, out *o) {
    store_sub_operation *v = NULL;
    size_t n = 0;
    store_err err = {0};
    int rc = store_sub_operations_list(s, c->where, c->limit, c->offset, a, &v, &n, &err);
    put_err(o, rc, &err);
    for (size_t i = 0; !rc && i < n; i++) put_sub(o, &v[i]);
}

static void call_stations(store *s, gql_arena *a, const list_case *c, out *o) {
    store_station *v = NULL;
    size_t n = 0;
    store_err err = {0};
    int rc = store_stations_list(s, c->where, c->limit, c->offset, a, &v, &n, &err);
    put_err(o, rc, &err);
    for (size_t i = 0; !rc && i < n; i++) put_station(o, &v[i]);
}

static void sub_operations_and_stations_lists(void **state) {
    pair *p = *state;
    FA = &p->a;
    const list_case subs[] = {
        {"all", NULL, -1, 0},
        {"page", NULL, 2, 3},
        {"parent object", obj("parent", str("name", STORE_EQ, "Gadget")), -1, 0},
        {"sub object", obj("sub", AND(str("kind", STORE_EQ, "PROCESS"), boo("producesSerial", STORE_EQ, true))), -1, 0},
        {"sub of a sub", obj("parent", obj("sub", str("id", STORE_EQ, "nope"))), -1, 0},
        {"optional", boo("optional", STORE_EQ, true), -1, 0},
        {"position _gt", num("position", STORE_GT, 0), -1, 0},
        {"subGroup _is_null", null("subGroup", true), -1, 0},
        {"subGroup _neq", str("subGroup", STORE_NEQ, "x"), -1, 0},
        {"archived", not(null("archivedAt", true)), -1, 0},
        {"parentId _lt", str("parentId", STORE_LT, "prod2"), -1, 0},
        {"subId _gte (byte order)", str("subId", STORE_GTE, "Zp"), -1, 0},
        {"refused: a field of another type", str("kind", STORE_EQ, "PROCESS"), -1, 0},
    };
    assert_true(run_lists(p, subs, sizeof subs / sizeof subs[0], call_subs) > 15);
    const list_case stations[] = {
        {"all", NULL, -1, 0},
        {"name _gt (case)", str("name", STORE_GT, "S"), -1, 0},
        {"name _like", str("name", STORE_LIKE, "%tation%"), -1, 0},
        {"id _in", strs("id", STORE_IN, 2, "st2", "St3"), -1, 0},
        {"id _lt", str("id", STORE_LT, "st1"), 1, 0},
        {"refused: updatedAt is not filterable", tim("updatedAt", STORE_GT, 0), -1, 0},
    };
    assert_true(run_lists(p, stations, sizeof stations / sizeof stations[0], call_stations) > 6);
}

static void call_orders(store *s, gql_arena *a, const list_case *c, out *o) {
    store_order *v = NULL;
    size_t n = 0;
    store_err err = {0};
    int rc = store_orders_list(s, c->where, c->limit, c->offset, a, &v, &n, &err);
    put_err(o, rc, &err);
    for (size_t i = 0; !rc && i < n; i++) put_order(o, &v[i]);
}

static void orders_lists(void **state) {
    pair *p = *state;
    FA = &p->a;
    const list_case cases[] = {
        {"all", NULL, -1, 0},
        {"page", NULL, 3, 3},
        {"id _eq", str("id", STORE_EQ, "4"), -1, 0},
        {"id _eq text", str("id", STORE_EQ, "abc"), -1, 0},
        {"id _neq text", str("id", STORE_NEQ, "abc"), -1, 0},
        {"id _lt text", str("id", STORE_LT, "abc"), -1, 0},
        {"id _gte text", str("id", STORE_GTE, "abc"), -1, 0},
        {"id _eq decimal", str("id", STORE_EQ, "4.0"), -1, 0},
        {"id _gt spaced", str("id", STORE_GT, " 6 "), -1, 0},
        {"id _lte exponent", str("id", STORE_LTE, "3e0"), -1, 0},
        {"id _lt fraction", str("id", STORE_LT, "2.5"), -1, 0},
        {"id _eq empty", str("id", STORE_EQ, ""), -1, 0},
        {"id _in mixed", strs("id", STORE_IN, 4, "1", "abc", "7.0", "2.5"), -1, 0},
        {"id _in text only", strs("id", STORE_IN, 1, "abc"), -1, 0},
        {"id _nin mixed", strs("id", STORE_NIN, 3, "abc", "2", " 3"), -1, 0},
        {"id _nin text only", strs("id", STORE_NIN, 1, "x"), -1, 0},
        {"externalOrderId _eq", str("externalOrderId", STORE_EQ, "SO-1"), -1, 0},
        {"externalOrderId _is_null", null("externalOrderId", true), -1, 0},
        {"externalOrderId _gt", str("externalOrderId", STORE_GT, "SO-2"), -1, 0},
        {"secondaryExternalOrderId _neq", str("secondaryExternalOrderId", STORE_NEQ, "x"), -1, 0},
        {"orderIndex _gte", num("orderIndex", STORE_GTE, 1), -1, 0},
        {"status _in", strs("status", STORE_IN, 2, "READY", "COMPLETED"), -1, 0},
        {"status _nin", strs("status", STORE_NIN, 1, "IN_PROGRESS"), -1, 0},
        {"reservedSerialNumber _like", str("reservedSerialNumber", STORE_LIKE, "R-%"), -1, 0},
        {"operation", obj("operation", str("kind", STORE_EQ, "PROCESS")), -1, 0},
        {"operation producesSerial", obj("operation", boo("producesSerial", STORE_EQ, true)), -1, 0},
        {"parent", obj("parent", str("externalOrderId", STORE_EQ, "SO-1")), -1, 0},
        {"parent's parent", obj("parent", obj("parent", str("id", STORE_EQ, "1"))), -1, 0},
        {"station", obj("station", str("name", STORE_LIKE, "Station%")), -1, 0},
        {"station id", obj("station", str("id", STORE_GT, "Z")), -1, 0},
        {"operator id", obj("operator", str("id", STORE_EQ, "1")), -1, 0},
        {"operator id text", obj("operator", str("id", STORE_NEQ, "one")), -1, 0},
        {"operator name", obj("operator", str("name", STORE_GT, "B")), -1, 0},
        {"no operator", not(obj("operator", null("id", false))), -1, 0},
        {"startedAt _is_null", null("startedAt", true), -1, 0},
        {"completedAt _gt", tim("completedAt", STORE_GT, 0), -1, 0},
        {"createdAt _lt", tim("createdAt", STORE_LT, 1000), -1, 0},
        {"updatedAt _gte, paged", tim("updatedAt", STORE_GTE, 1000), 2, 1},
        {"_or", OR(str("status", STORE_EQ, "CANCELED"), obj("station", str("id", STORE_EQ, "st2"))), -1, 0},
        {"refused: _like on status", str("status", STORE_LIKE, "R%"), -1, 0},
        {"refused: time as int", num("createdAt", STORE_GT, 1), -1, 0},
        {"refused: id as int", num("id", STORE_EQ, 1), -1, 0},
    };
    size_t rows = run_lists(p, cases, sizeof cases / sizeof cases[0], call_orders);
    assert_true(rows > 60);
}

static void by_ids_and_children(void **state) {
    pair *p = *state;
    gql_arena *a = &p->a;
    store *st[2] = {p->sq, p->pg};
    out o[2] = {{0}, {0}};
    store_err err = {0};
    int rc;
    size_t rows = 0;

    const char *op_ids[] = {"prod", "nope", "p1", "s1", "p1", "Zp", "prod2", "prod3", "p3", "p2"};
    const size_t nop = sizeof op_ids / sizeof op_ids[0];
    for (int k = 0; k < 2; k++) {
        store_operations v = {0};
        rc = store_operations_by_ids(st[k], op_ids, nop, a, &v, &err);
        put_err(&o[k], rc, &err);
        if (!rc) PUT_CHILDREN(&o[k], v, nop, put_op);
    }
    rows += same(&o[0], &o[1], "operations_by_ids");
    for (int k = 0; k < 2; k++) {
        store_attributes v = {0};
        rc = store_consumed_attrs_of(st[k], op_ids, nop, a, &v, &err);
        put_err(&o[k], rc, &err);
        if (!rc) PUT_CHILDREN(&o[k], v, nop, put_attr);
        rc = store_tree_attrs_of(st[k], op_ids, nop, a, &v, &err);
        put_err(&o[k], rc, &err);
        if (!rc) PUT_CHILDREN(&o[k], v, nop, put_attr);
    }
    rows += same(&o[0], &o[1], "consumed_attrs_of, tree_attrs_of");
    for (int k = 0; k < 2; k++) {
        bool flags[sizeof op_ids / sizeof op_ids[0]];
        rc = store_tree_produces_serial_of(st[k], op_ids, nop, flags, &err);
        put_err(&o[k], rc, &err);
        for (size_t i = 0; !rc && i < nop; i++) put(&o[k], "%s %d\n", op_ids[i], flags[i]), o[k].rows += flags[i];
    }
    rows += same(&o[0], &o[1], "tree_produces_serial_of");
    for (int k = 0; k < 2; k++) {
        for (int archived = 0; archived < 2; archived++) {
            store_sub_operations v = {0};
            rc = store_sub_operations_of(st[k], op_ids, nop, archived, a, &v, &err);
            put_err(&o[k], rc, &err);
            if (!rc) PUT_CHILDREN(&o[k], v, nop, put_sub);
        }
        store_steps steps = {0};
        rc = store_steps_of(st[k], op_ids, nop, a, &steps, &err);
        put_err(&o[k], rc, &err);
        if (!rc) PUT_CHILDREN(&o[k], steps, nop, put_step);
    }
    rows += same(&o[0], &o[1], "sub_operations_of, steps_of");

    const int64_t keys[] = {3, 1, 99, 2, 1};
    for (int k = 0; k < 2; k++) {
        store_actions v = {0};
        rc = store_actions_of(st[k], keys, 5, a, &v, &err);
        put_err(&o[k], rc, &err);
        if (!rc) PUT_CHILDREN(&o[k], v, 5, put_action);
    }
    rows += same(&o[0], &o[1], "actions_of");

    const char *station_ids[] = {"st1", "nope", "St3", "st2", "st1"};
    for (int k = 0; k < 2; k++) {
        store_operations v = {0};
        rc = store_station_processes_of(st[k], station_ids, 5, a, &v, &err);
        put_err(&o[k], rc, &err);
        if (!rc) PUT_CHILDREN(&o[k], v, 5, put_op);
        store_stations sv = {0};
        rc = store_stations_by_ids(st[k], station_ids, 5, a, &sv, &err);
        put_err(&o[k], rc, &err);
        if (!rc) PUT_CHILDREN(&o[k], sv, 5, put_station);
    }
    rows += same(&o[0], &o[1], "station_processes_of, stations_by_ids");

    const int64_t order_ids[] = {4, 99, 1, 2, 4, 6, -1};
    for (int k = 0; k < 2; k++) {
        store_orders v = {0};
        rc = store_orders_by_ids(st[k], order_ids, 7, a, &v, &err);
        put_err(&o[k], rc, &err);
        if (!rc) PUT_CHILDREN(&o[k], v, 7, put_order);
        rc = store_orders_children_of(st[k], order_ids, 7, a, &v, &err);
        put_err(&o[k], rc, &err);
        if (!rc) PUT_CHILDREN(&o[k], v, 7, put_order);
    }
    rows += same(&o[0], &o[1], "orders_by_ids, orders_children_of");

    const int64_t operator_ids[] = {2, 7, 1, 2};
    for (int k = 0; k < 2; k++) {
        store_operators v = {0};
        rc = store_operators_by_ids(st[k], operator_ids, 4, a, &v, &err);
        put_err(&o[k], rc, &err);
        if (!rc) PUT_CHILDREN(&o[k], v, 4, put_operator);
        store_operator *all = NULL;
        size_t n = 0;
        rc = store_operators_list(st[k], a, &all, &n, &err);
        put_err(&o[k], rc, &err);
        for (size_t i = 0; !rc && i < n; i++) put_operator(&o[k], &all[i]);
    }
    rows += same(&o[0], &o[1], "operators_by_ids, operators_list");

    /* none at all: one statement still, every parent empty */
    for (int k = 0; k < 2; k++) {
        store_operations v = {0};
        rc = store_operations_by_ids(st[k], NULL, 0, a, &v, &err);
        put(&o[k], "%d %zu %zu\n", rc, v.count, v.first ? v.first[0] : 99);
    }
    same(&o[0], &o[1], "no parents");

    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < 3; i++) {
            const char *id = (const char *[]){"prod", "nope", "P1"}[i];
            store_operation *op = NULL;
            rc = store_operation_get(st[k], id, a, &op, &err);
            put_err(&o[k], rc, &err);
            if (op) put_op(&o[k], op);
            else put(&o[k], "no operation %s\n", id);
            store_station *sta = NULL;
            rc = store_station_get(st[k], (const char *[]){"St3", "nope", "st1"}[i], a, &sta, &err);
            put_err(&o[k], rc, &err);
            if (sta) put_station(&o[k], sta);
            else put(&o[k], "no station\n");
        }
    }
    rows += same(&o[0], &o[1], "operation_get, station_get");
    assert_true(rows > 70);
}

static void work_orders(void **state) {
    pair *p = *state;
    store *st[2] = {p->sq, p->pg};
    out o[2] = {{0}, {0}};
    store_err err = {0};
    const store_order_status done[] = {STORE_ORDER_COMPLETED, STORE_ORDER_CANCELED, STORE_ORDER_COMPLETED};
    const store_order_status all[] = {STORE_ORDER_CREATED, STORE_ORDER_READY, STORE_ORDER_IN_PROGRESS,
                                      STORE_ORDER_COMPLETED, STORE_ORDER_CANCELED, STORE_ORDER_READY};
    const char *stations[] = {NULL, "st1", "st2", "St3", "nope"};
    size_t rows = 0;
    for (size_t i = 0; i < 5; i++) {
        for (int k = 0; k < 2; k++) {
            store_order *v = NULL;
            size_t n = 0;
            int rc = store_work_orders(st[k], stations[i], NULL, 0, &p->a, &v, &n, &err);
            put_err(&o[k], rc, &err);
            for (size_t j = 0; !rc && j < n; j++) put_order(&o[k], &v[j]);
            rc = store_work_orders(st[k], stations[i], done, 3, &p->a, &v, &n, &err);
            put_err(&o[k], rc, &err);
            for (size_t j = 0; !rc && j < n; j++) put_order(&o[k], &v[j]);
            rc = store_work_orders(st[k], stations[i], all, 6, &p->a, &v, &n, &err);
            put_err(&o[k], rc, &err);
            for (size_t j = 0; !rc && j < n; j++) put_order(&o[k], &v[j]);
            rc = store_work_orders(st[k], stations[i], all, 0, &p->a, &v, &n, &err);   /* none */
            put(&o[k], "none: %d %zu\n", rc, n);
        }
        rows += same(&o[0], &o[1], stations[i] ? stations[i] : "every station");
    }
    assert_true(rows > 15);
}

/* ---- streams ---- */
typedef struct stream_case {
    const char *name;
    store_stream stream;
    int64_t after, limit;
    store_filter *where;
} stream_case;

static void streams(void **state) {
    pair *p = *state;
    FA = &p->a;
    const stream_case cases[] = {
        {"operations", STORE_STREAM_OPERATIONS, 0, -1, NULL},
        {"operations after 2, 2", STORE_STREAM_OPERATIONS, 2, 2, NULL},
        {"operations past the head", STORE_STREAM_OPERATIONS, 6, -1, NULL},
        {"operations kind", STORE_STREAM_OPERATIONS, 0, -1, str("kind", STORE_EQ, "PROCESS")},
        {"operations producesSerial", STORE_STREAM_OPERATIONS, 1, -1, boo("producesSerial", STORE_EQ, true)},
        {"sub_operations", STORE_STREAM_SUB_OPERATIONS, 0, -1, NULL},
        {"sub_operations optional", STORE_STREAM_SUB_OPERATIONS, 0, -1, boo("optional", STORE_EQ, true)},
        {"sub_operations parent", STORE_STREAM_SUB_OPERATIONS, 1, 5, obj("parent", str("kind", STORE_NEQ, "PRODUCT"))},
        {"completes", STORE_STREAM_COMPLETES, 0, -1, NULL},
        {"completes after 1", STORE_STREAM_COMPLETES, 1, 1, NULL},
        {"completes seq", STORE_STREAM_COMPLETES, 0, -1, num("seq", STORE_GTE, 2)},
        {"completes externalOrderId", STORE_STREAM_COMPLETES, 0, -1, str("externalOrderId", STORE_EQ, "SO-1")},
        {"completes externalOrderId _gt", STORE_STREAM_COMPLETES, 0, -1, str("externalOrderId", STORE_GT, "SO-1")},
        {"completes secondary null", STORE_STREAM_COMPLETES, 0, -1, null("secondaryExternalOrderId", true)},
        {"completes orderIndex", STORE_STREAM_COMPLETES, 0, -1, num("orderIndex", STORE_GT, 0)},
        {"completes orderIndex _in", STORE_STREAM_COMPLETES, 0, -1,
         cmpv("orderIndex", STORE_IN, 2, (store_value[]){{.kind = STORE_V_INT, .i = 0}, {.kind = STORE_V_INT, .i = 5}})},
        {"completes wip", STORE_STREAM_COMPLETES, 0, -1, boo("wip", STORE_EQ, true)},
        {"completes not wip", STORE_STREAM_COMPLETES, 0, -1, boo("wip", STORE_NEQ, true)},
        {"completes at", STORE_STREAM_COMPLETES, 0, -1, tim("at", STORE_LTE, 2100)},
        {"completes reserved", STORE_STREAM_COMPLETES, 0, -1, str("reservedSerialNumber", STORE_LIKE, "R%")},
        {"completes operation", STORE_STREAM_COMPLETES, 0, -1, obj("operation", str("name", STORE_EQ, "Alpha"))},
        {"completes operation kind", STORE_STREAM_COMPLETES, 0, -1, obj("operation", str("kind", STORE_NEQ, "PROCESS"))},
        {"completes summary cycleTime", STORE_STREAM_COMPLETES, 0, -1,
         obj("operationSummary", num("cycleTime", STORE_GT, 750))},
        {"completes summary startedAt null", STORE_STREAM_COMPLETES, 0, -1,
         obj("operationSummary", null("startedAt", true))},
        {"completes summary endState", STORE_STREAM_COMPLETES, 0, -1,
         obj("operationSummary", obj("endState", tim("at", STORE_GT, 2000)))},
        {"completes endState producedSerial", STORE_STREAM_COMPLETES, 0, -1,
         obj("endState", str("producedSerial", STORE_GT, "SN"))},
        {"completes endState producedSerial null", STORE_STREAM_COMPLETES, 0, -1,
         obj("endState", null("producedSerial", true))},
        {"completes endState station", STORE_STREAM_COMPLETES, 0, -1,
         obj("endState", obj("station", str("id", STORE_EQ, "st1")))},
        {"completes endState station name", STORE_STREAM_COMPLETES, 0, -1,
         obj("endState", obj("station", str("name", STORE_LT, "a")))},
        {"completes endState operator", STORE_STREAM_COMPLETES, 0, -1,
         obj("endState", obj("operator", strs("id", STORE_IN, 2, "3", "2")))},
        {"completes endState operator name", STORE_STREAM_COMPLETES, 0, -1,
         obj("endState", obj("operator", str("name", STORE_NEQ, "Ada")))},
        {"completes _or _not", STORE_STREAM_COMPLETES, 0, -1,
         OR(not(boo("wip", STORE_EQ, false)), obj("endState", obj("station", str("id", STORE_EQ, "st2"))))},
        {"completes refused", STORE_STREAM_COMPLETES, 0, -1, str("orderId", STORE_EQ, "4")},
        {"notes", STORE_STREAM_NOTES, 0, -1, NULL},
        {"notes text _like", STORE_STREAM_NOTES, 0, -1, str("text", STORE_LIKE, "%100\\%")},
        {"notes text _like %", STORE_STREAM_NOTES, 0, -1, str("text", STORE_LIKE, "%\\%%")},
        {"notes text null", STORE_STREAM_NOTES, 0, -1, null("text", true)},
        {"notes id", STORE_STREAM_NOTES, 0, -1, strs("id", STORE_NIN, 1, "n1")},
        {"notes externalId", STORE_STREAM_NOTES, 0, -1, str("externalId", STORE_GTE, "E2")},
        {"notes eventType", STORE_STREAM_NOTES, 0, -1, str("eventType", STORE_EQ, "created")},
        {"notes at", STORE_STREAM_NOTES, 1, -1, tim("at", STORE_GT, 3000)},
        {"notes type name", STORE_STREAM_NOTES, 0, -1, obj("type", str("name", STORE_EQ, "Defect"))},
        {"notes type id", STORE_STREAM_NOTES, 0, -1, obj("type", str("id", STORE_EQ, "2"))},
        {"notes no type", STORE_STREAM_NOTES, 0, -1, obj("type", null("id", true))},
        {"notes state order", STORE_STREAM_NOTES, 0, -1,
         obj("state", obj("operationOrder", str("status", STORE_EQ, "COMPLETED")))},
        {"notes state order id", STORE_STREAM_NOTES, 0, -1,
         obj("state", obj("operationOrder", obj("operator", str("name", STORE_EQ, "Ada"))))},
        {"notes state operation", STORE_STREAM_NOTES, 0, -1,
         obj("state", obj("operation", boo("producesSerial", STORE_EQ, true)))},
        {"notes state station", STORE_STREAM_NOTES, 0, -1, obj("state", obj("station", str("name", STORE_GT, "S")))},
        {"notes state station id", STORE_STREAM_NOTES, 0, -1, obj("state", obj("station", null("id", false)))},
        {"notes state operator", STORE_STREAM_NOTES, 0, -1, obj("state", obj("operator", str("id", STORE_EQ, "2")))},
        {"notes state operator name", STORE_STREAM_NOTES, 0, 1, obj("state", obj("operator", str("name", STORE_LIKE, "%")))},
        {"notes refused", STORE_STREAM_NOTES, 0, -1, obj("state", str("station", STORE_EQ, "x"))},
        {"work orders", STORE_STREAM_WORK_ORDERS, 0, -1, NULL},
        {"work orders after 3, 2", STORE_STREAM_WORK_ORDERS, 3, 2, NULL},
        {"work orders status", STORE_STREAM_WORK_ORDERS, 0, -1, strs("status", STORE_IN, 2, "READY", "CANCELED")},
        {"work orders station", STORE_STREAM_WORK_ORDERS, 0, -1, obj("stations", str("stationId", STORE_EQ, "st1"))},
        {"work orders station St3", STORE_STREAM_WORK_ORDERS, 1, -1, obj("stations", str("stationId", STORE_EQ, "St3"))},
        {"work orders seq", STORE_STREAM_WORK_ORDERS, 0, -1, num("seq", STORE_LT, 3)},
        {"work orders refused", STORE_STREAM_WORK_ORDERS, 0, -1, str("orderId", STORE_EQ, "1")},
        {"no such stream", STORE_STREAM_COUNT, 0, -1, NULL},
    };
    size_t rows = 0, payloads = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const stream_case *c = &cases[i];
        out o[2] = {{0}, {0}};
        store_event *v[2] = {NULL, NULL};
        size_t n[2] = {0, 0};
        store *st[2] = {p->sq, p->pg};
        for (int k = 0; k < 2; k++) {
            store_err err = {0};
            int rc = store_stream_read(st[k], c->stream, c->after, c->limit, c->where, &p->a, &v[k], &n[k], &err);
            put_err(&o[k], rc, &err);
            for (size_t j = 0; !rc && j < n[k]; j++) put_event(&o[k], &v[k][j]);
            if (rc) n[k] = 0;
        }
        rows += same(&o[0], &o[1], c->name);
        for (size_t j = 0; j < n[0]; j++) {
            if (!v[0][j].payload) continue;
            if (!json_same(p->raw, v[0][j].payload, v[1][j].payload))
                fail_msg("%s: payload %zu differs:\n%s\n%s", c->name, j, v[0][j].payload, v[1][j].payload);
            payloads++;
        }
    }
    assert_true(rows > 100);
    assert_true(payloads > 30);
}

/* snapshot_begin/end: nothing to do on PostgreSQL, and reads go on as before */
static void snapshots(void **state) {
    pair *p = *state;
    store_err err = {0};
    assert_int_equal(store_snapshot_begin(p->pg, &err), STORE_OK);
    store_operation *op = NULL;
    assert_int_equal(store_operation_get(p->pg, "p1", &p->a, &op, &err), STORE_OK);
    assert_non_null(op);
    assert_string_equal(op->name, "Alpha");
    store_snapshot_end(p->pg);
    store_snapshot_end(p->pg);   /* an end without a begin is harmless too */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(operations_lists),
        cmocka_unit_test(sub_operations_and_stations_lists),
        cmocka_unit_test(orders_lists),
        cmocka_unit_test(by_ids_and_children),
        cmocka_unit_test(work_orders),
        cmocka_unit_test(streams),
        cmocka_unit_test(snapshots),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
