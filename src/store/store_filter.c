/*
 * store_filter.c: compiles a store_filter (the backend-neutral `where`
 * tree) into a SQLite boolean expression with `?` placeholders and the
 * values to bind, in order. Field names are the API's; each entity's table
 * below maps them to columns, and object fields to EXISTS subqueries. The
 * entities stored as an event's payload (completions, notes) have their
 * tables in store_filter_orders.c; an object inside a payload is the same
 * row, not a subquery.
 *
 * Two dialects, one compiler: SQLite's and PostgreSQL's (store_sql_filter's
 * dialect) differ only in placeholders (`?` / `$n`), in the expressions of
 * the fields whose SQL differs (field_def.pg: the payload's JSON operators,
 * the tree walk of producesSerial), and where PostgreSQL must be told to
 * answer as SQLite does (byte order of text, LIKE without an escape
 * character, integer ids compared with a string that is not one).
 *
 * Semantics are SQL's (as Hasura on PostgreSQL): a comparison with a null
 * column is not true, so `_neq` and `_not` do not select rows whose field is
 * null. `_in: []` selects nothing, `_nin: []` everything.
 *
 * Must never: put a value into SQL text (every value is a bound parameter;
 * column and table names come only from the tables below), or recurse
 * without bound.
 */
#include <stdlib.h>
#include <string.h>
#include "store_internal.h"

/* ftype, field_def and entity_def are in store_internal.h (the payload
 * entities of store_filter_orders.c use them too). */

/* A product's producesSerial is its last process's (api.md); the column
 * holds a process's own flag. Same walk as store_tree_produces_serial_of. */
#define PRODUCES_SERIAL_EXPR                                                                        \
    "(CASE WHEN $.kind = 'PROCESS' THEN $.produces_serial ELSE coalesce(("                         \
    "WITH RECURSIVE tree(k, op, path) AS (SELECT 0, $.id, '' UNION ALL" STORE_TREE_STEP ")"       \
    " SELECT o.produces_serial FROM tree t JOIN operations o ON o.id = t.op AND o.kind = 'PROCESS'" \
    " ORDER BY t.path DESC LIMIT 1), 0) END)"
#define PRODUCES_SERIAL_EXPR_PG                                                                     \
    "(CASE WHEN $.kind = 'PROCESS' THEN $.produces_serial ELSE coalesce(("                         \
    "WITH RECURSIVE tree(k, op, path) AS (SELECT 0, $.id, ''::text UNION ALL" STORE_TREE_STEP_PG ")" \
    " SELECT o.produces_serial FROM tree t JOIN operations o ON o.id = t.op AND o.kind = 'PROCESS'" \
    " ORDER BY t.path COLLATE \"C\" DESC LIMIT 1), 0) END)"

static const field_def operation_fields[] = {
    {"id", "id", FT_ID, 0, NULL},
    {"externalId", "external_id", FT_STRING, 0, NULL},
    {"externalRevision", "revision", FT_STRING, 0, NULL},
    {"name", "name", FT_STRING, 0, NULL},
    {"templateID", "template_id", FT_ID, 0, NULL},
    {"variantName", "variant_name", FT_STRING, 0, NULL},
    {"kind", "kind", FT_ENUM, 0, NULL},
    {"producesSerial", PRODUCES_SERIAL_EXPR, FT_BOOL, 0, PRODUCES_SERIAL_EXPR_PG},
    {"seq", "seq", FT_INT, 0, NULL},
    {"updatedAt", "updated_at", FT_TIME, 0, NULL},
    {"archivedAt", "archived_at", FT_TIME, 0, NULL},
    {NULL, NULL, 0, 0, NULL}};
static const field_def sub_operation_fields[] = {
    {"parentId", "parent_id", FT_ID, 0, NULL},
    {"subId", "sub_id", FT_ID, 0, NULL},
    {"subGroup", "sub_group", FT_STRING, 0, NULL},
    {"position", "position", FT_INT, 0, NULL},
    {"optional", "optional", FT_BOOL, 0, NULL},
    {"parent", "parent_id", FT_OBJECT, STORE_E_OPERATION, NULL},
    {"sub", "sub_id", FT_OBJECT, STORE_E_OPERATION, NULL},
    {"seq", "seq", FT_INT, 0, NULL},
    {"updatedAt", "updated_at", FT_TIME, 0, NULL},
    {"archivedAt", "archived_at", FT_TIME, 0, NULL},
    {NULL, NULL, 0, 0, NULL}};
static const field_def station_fields[] = {
    {"id", "id", FT_ID, 0, NULL}, {"name", "name", FT_STRING, 0, NULL}, {NULL, NULL, 0, 0, NULL}};
static const field_def operator_fields[] = {
    {"id", "id", FT_INT_ID, 0, NULL}, {"name", "name", FT_STRING, 0, NULL}, {NULL, NULL, 0, 0, NULL}};
static const field_def order_fields[] = {
    {"id", "id", FT_INT_ID, 0, NULL},
    {"externalOrderId", "external_order_id", FT_STRING, 0, NULL},
    {"secondaryExternalOrderId", "secondary_external_order_id", FT_STRING, 0, NULL},
    {"orderIndex", "order_index", FT_INT, 0, NULL},
    {"operation", "operation_id", FT_OBJECT, STORE_E_OPERATION, NULL},
    {"status", "status", FT_ENUM, 0, NULL},
    {"reservedSerialNumber", "reserved_serial_number", FT_STRING, 0, NULL},
    {"parent", "parent_id", FT_OBJECT, STORE_E_OPERATION_ORDER, NULL},
    {"station", "station_id", FT_OBJECT, STORE_E_STATION, NULL},
    {"operator", "operator_id", FT_OBJECT, STORE_E_OPERATOR, NULL},
    {"createdAt", "created_at", FT_TIME, 0, NULL},
    {"updatedAt", "updated_at", FT_TIME, 0, NULL},
    {"startedAt", "started_at", FT_TIME, 0, NULL},
    {"completedAt", "completed_at", FT_TIME, 0, NULL},
    {NULL, NULL, 0, 0, NULL}};

/* A work-order event (work_order_events): no GraphQL `where` names these
 * fields; workOrderEvents(stationId) and its stream compile to
 * `stations: { stationId: { _eq } }`, the station_processes rule of
 * workOrders(stationId), on the process the event's order is for. */
static const field_def work_order_event_fields[] = {
    {"seq", "seq", FT_INT, 0, NULL},
    {"status", "status", FT_ENUM, 0, NULL},
    {"stations", "operation_id", FT_OBJECT, STORE_E_STATION_PROCESS, NULL},
    {NULL, NULL, 0, 0, NULL}};
static const field_def station_process_fields[] = {{"stationId", "station_id", FT_ID, 0, NULL}, {NULL, NULL, 0, 0, NULL}};

static const entity_def entities[STORE_E_COUNT] = {
    [STORE_E_OPERATION] = {"operations", "id", operation_fields},
    [STORE_E_SUB_OPERATION] = {"sub_operations", NULL, sub_operation_fields},
    [STORE_E_STATION] = {"stations", "id", station_fields},
    [STORE_E_OPERATOR] = {"operators", "id", operator_fields},
    [STORE_E_OPERATION_ORDER] = {"operation_orders", "id", order_fields},
    [STORE_E_WORK_ORDER_EVENT] = {"work_order_events", "seq", work_order_event_fields},
    [STORE_E_STATION_PROCESS] = {"station_processes", "operation_id", station_process_fields},
};

#define FILTER_DEPTH_MAX 64

typedef struct compiler {
    store_sql_filter *out;
    int next_alias;
    store_err *err;
} compiler;

/* The tables above, or a payload entity's (store_filter_orders.c). */
static const entity_def *entity(store_entity e) {
    return entities[e].fields ? &entities[e] : store_filter_payload_entity(e);
}

static const field_def *find_field(store_entity e, const char *name) {
    const entity_def *d = entity(e);
    for (const field_def *f = d ? d->fields : NULL; f && name && f->name; f++)
        if (strcmp(f->name, name) == 0) return f;
    return NULL;
}

/* Appends v's placeholder (with a PostgreSQL cast when given) and keeps v
 * to be bound there. */
static void add_param(store_sql_filter *out, store_value v, const char *pg_cast) {
    if (out->dialect == STORE_DIALECT_PG)
        sbuf_addf(&out->sql, "$%d%s", out->first_param + (int)out->nparams, pg_cast ? pg_cast : "");
    else
        sbuf_add(&out->sql, "?");
    if (out->nparams == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 8;
        out->params = realloc(out->params, out->cap * sizeof *out->params);
        if (!out->params) abort();
    }
    out->params[out->nparams++] = v;
}

/* The field's SQL for the row aliased `alias`: its column, or its expression
 * (in the dialect's form). */
static void field_sql(const store_sql_filter *out, sbuf *b, const char *alias, const field_def *fd) {
    const char *expr = out->dialect == STORE_DIALECT_PG && fd->pg ? fd->pg : fd->column;
    if (expr[0] != '(') {
        sbuf_addf(b, "%s.%s", alias, expr);
        return;
    }
    for (const char *p = expr; *p; p++) {
        const char *q = strchr(p, '$');
        if (!q) { sbuf_add(b, p); return; }
        sbuf_addf(b, "%.*s%s", (int)(q - p), p, alias);
        p = q;
    }
}

static bool kind_fits(ftype t, store_value_kind k) {
    switch (t) {
    case FT_STRING: case FT_ID: case FT_INT_ID: case FT_ENUM: return k == STORE_V_STRING;
    case FT_INT: return k == STORE_V_INT;
    case FT_BOOL: return k == STORE_V_BOOL;
    case FT_TIME: return k == STORE_V_TIME;
    default: return false;
    }
}

/* Integer-keyed ids (orders, operators) are strings in the API: an id that
 * is a decimal integer is bound as one; anything else can match no row. */
static store_value param_for(ftype t, store_value v) {
    if (t == FT_INT_ID && v.s && *v.s) {
        char *end = NULL;
        long long n = strtoll(v.s, &end, 10);
        if (end && *end == 0) return (store_value){.kind = STORE_V_INT, .i = n};
    }
    return v;
}

/* Whether s is a number SQLite's NUMERIC affinity converts text to (a
 * decimal literal, spaces around it allowed): an integer column compared
 * with it compares numbers; with any other text, the integer is less. */
static bool sqlite_numeric_text(const char *s) {
    while (*s == ' ' || (*s >= '\t' && *s <= '\r')) s++;
    if (*s == '+' || *s == '-') s++;
    size_t digits = 0;
    while (*s >= '0' && *s <= '9') s++, digits++;
    if (*s == '.') for (s++; *s >= '0' && *s <= '9'; s++) digits++;
    if (!digits) return false;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-') s++;
        if (!(*s >= '0' && *s <= '9')) return false;
        while (*s >= '0' && *s <= '9') s++;
    }
    while (*s == ' ' || (*s >= '\t' && *s <= '\r')) s++;
    return *s == 0;
}

/* PostgreSQL: an integer id (a primary key: never null) compared with v,
 * a string that is not an integer (param_for left it text). SQLite
 * converts a decimal one ("7.0") and compares numbers (*cast says how
 * PostgreSQL is told to); any other text is greater than every integer:
 * true then, the comparison being a constant. */
static bool pg_text_never_id(const store_sql_filter *out, const field_def *fd, store_value v, const char **cast) {
    *cast = NULL;
    if (out->dialect != STORE_DIALECT_PG || fd->type != FT_INT_ID || v.kind != STORE_V_STRING) return false;
    if (!sqlite_numeric_text(v.s)) return true;
    *cast = "::numeric";
    return false;
}

static bool op_allowed(ftype t, store_cmp op) {
    switch (op) {
    case STORE_EQ: case STORE_NEQ: case STORE_IN: case STORE_NIN: case STORE_IS_NULL: return true;
    case STORE_GT: case STORE_GTE: case STORE_LT: case STORE_LTE:
        return t == FT_STRING || t == FT_ID || t == FT_INT_ID || t == FT_INT || t == FT_TIME;
    case STORE_LIKE: return t == FT_STRING;
    }
    return false;
}

static int compile(compiler *c, store_entity e, const store_filter *f, const char *alias, int depth);

static int compile_cmp(compiler *c, store_entity e, const store_filter *f, const char *alias) {
    static const char *const sym[] = {[STORE_EQ] = "=", [STORE_NEQ] = "<>", [STORE_GT] = ">", [STORE_GTE] = ">=",
                                      [STORE_LT] = "<", [STORE_LTE] = "<=", [STORE_LIKE] = "LIKE"};
    const field_def *fd = find_field(e, f->field);
    if (!fd || fd->type == FT_OBJECT)
        return store_set_err(c->err, STORE_EINPUT, "\"%s\" is not a comparable field", f->field ? f->field : "");
    if ((unsigned)f->op > STORE_LIKE || !op_allowed(fd->type, f->op))
        return store_set_err(c->err, STORE_EINPUT, "this comparison does not apply to field \"%s\"", fd->name);
    sbuf *b = &c->out->sql;
    if (f->op == STORE_IS_NULL) {
        if (f->nvalues != 1 || !f->values || f->values[0].kind != STORE_V_BOOL)
            return store_set_err(c->err, STORE_EINPUT, "_is_null on \"%s\" takes one Boolean", fd->name);
        field_sql(c->out, b, alias, fd);
        sbuf_addf(b, " IS %sNULL", f->values[0].i ? "" : "NOT ");
        return STORE_OK;
    }
    bool list = f->op == STORE_IN || f->op == STORE_NIN;
    if ((!list && f->nvalues != 1) || (f->nvalues && !f->values))
        return store_set_err(c->err, STORE_EINPUT, "a comparison on \"%s\" takes one value", fd->name);
    for (size_t i = 0; i < f->nvalues; i++) {
        if (!kind_fits(fd->type, f->values[i].kind) || (f->values[i].kind == STORE_V_STRING && !f->values[i].s))
            return store_set_err(c->err, STORE_EINPUT, "a value of the wrong type for field \"%s\"", fd->name);
    }
    bool pg = c->out->dialect == STORE_DIALECT_PG;
    if (list) {
        /* PostgreSQL: a text that can equal no integer id is left out (SQLite compares and finds it unequal) */
        const char *cast;
        size_t kept = 0;
        for (size_t i = 0; i < f->nvalues; i++)
            kept += !pg_text_never_id(c->out, fd, param_for(fd->type, f->values[i]), &cast);
        if (kept == 0) { sbuf_add(b, f->op == STORE_IN ? "1 = 0" : "1 = 1"); return STORE_OK; }
        field_sql(c->out, b, alias, fd);
        sbuf_addf(b, " %sIN (", f->op == STORE_NIN ? "NOT " : "");
        for (size_t i = 0, k = 0; i < f->nvalues; i++) {
            store_value v = param_for(fd->type, f->values[i]);
            if (pg_text_never_id(c->out, fd, v, &cast)) continue;
            if (k++) sbuf_add(b, ", ");
            add_param(c->out, v, cast);
        }
        sbuf_add(b, ")");
        return STORE_OK;
    }
    store_value v = param_for(fd->type, f->values[0]);
    const char *cast;
    if (pg_text_never_id(c->out, fd, v, &cast)) {   /* the integer is less than the text */
        sbuf_add(b, f->op == STORE_NEQ || f->op == STORE_LT || f->op == STORE_LTE ? "1 = 1" : "1 = 0");
        return STORE_OK;
    }
    field_sql(c->out, b, alias, fd);
    /* PostgreSQL orders text by its collation: SQLite's is byte order */
    bool text = fd->type == FT_STRING || fd->type == FT_ID || fd->type == FT_ENUM;
    if (pg && text && f->op != STORE_EQ && f->op != STORE_NEQ && f->op != STORE_LIKE) sbuf_add(b, " COLLATE \"C\"");
    sbuf_addf(b, " %s ", sym[f->op]);
    add_param(c->out, v, cast);
    /* SQLite's LIKE has no escape character; PostgreSQL's is \ unless told */
    if (pg && f->op == STORE_LIKE) sbuf_add(b, " ESCAPE ''");
    return STORE_OK;
}

static int compile_object(compiler *c, store_entity e, const store_filter *f, const char *alias, int depth) {
    const field_def *fd = find_field(e, f->field);
    if (!fd || fd->type != FT_OBJECT)
        return store_set_err(c->err, STORE_EINPUT, "\"%s\" is not an object field", f->field ? f->field : "");
    if (f->nchildren != 1 || !f->children || !f->children[0])
        return store_set_err(c->err, STORE_EINPUT, "an object filter on \"%s\" takes one filter", fd->name);
    const entity_def *target = entity(fd->object);
    if (!target->table) {   /* a part of the same row (a payload's object) */
        sbuf_add(&c->out->sql, "(");
        if (compile(c, fd->object, f->children[0], alias, depth + 1)) return c->err->code;
        sbuf_add(&c->out->sql, ")");
        return STORE_OK;
    }
    char sub[16];
    snprintf(sub, sizeof sub, "f%d", c->next_alias++);
    sbuf_addf(&c->out->sql, "EXISTS (SELECT 1 FROM %s %s WHERE %s.%s = ", target->table, sub, sub, target->key);
    field_sql(c->out, &c->out->sql, alias, fd);
    sbuf_add(&c->out->sql, " AND (");
    if (compile(c, fd->object, f->children[0], sub, depth + 1)) return c->err->code;
    sbuf_add(&c->out->sql, "))");
    return STORE_OK;
}

static int compile(compiler *c, store_entity e, const store_filter *f, const char *alias, int depth) {
    if (depth > FILTER_DEPTH_MAX) return store_set_err(c->err, STORE_EINPUT, "the filter is nested too deeply");
    if (!f) return store_set_err(c->err, STORE_EINPUT, "an empty filter node");
    sbuf *b = &c->out->sql;
    switch (f->kind) {
    case STORE_F_AND:
    case STORE_F_OR:
        if (f->nchildren == 0) { sbuf_add(b, f->kind == STORE_F_AND ? "1 = 1" : "1 = 0"); return STORE_OK; }
        if (!f->children) return store_set_err(c->err, STORE_EINPUT, "an empty filter node");
        sbuf_add(b, "(");
        for (size_t i = 0; i < f->nchildren; i++) {
            if (i) sbuf_add(b, f->kind == STORE_F_AND ? " AND " : " OR ");
            sbuf_add(b, "(");
            if (compile(c, e, f->children[i], alias, depth + 1)) return c->err->code;
            sbuf_add(b, ")");
        }
        sbuf_add(b, ")");
        return STORE_OK;
    case STORE_F_NOT:
        if (f->nchildren != 1 || !f->children) return store_set_err(c->err, STORE_EINPUT, "_not takes one filter");
        sbuf_add(b, "NOT (");
        if (compile(c, e, f->children[0], alias, depth + 1)) return c->err->code;
        sbuf_add(b, ")");
        return STORE_OK;
    case STORE_F_CMP: return compile_cmp(c, e, f, alias);
    case STORE_F_OBJECT: return compile_object(c, e, f, alias, depth);
    }
    return store_set_err(c->err, STORE_EINPUT, "an unknown filter node");
}

int store_filter_compile(store_entity e, const store_filter *f, const char *alias, store_sql_filter *out,
                         store_err *err) {
    if ((unsigned)e >= STORE_E_COUNT) return store_set_err(err, STORE_EINPUT, "an unknown entity");
    compiler c = {.out = out, .next_alias = 1, .err = err};
    err->code = STORE_OK;
    return compile(&c, e, f, alias, 0);
}

void store_sql_filter_free(store_sql_filter *f) {
    sbuf_free(&f->sql);
    free(f->params);
    f->params = NULL;
    f->nparams = f->cap = 0;
}

int store_sql_filter_bind(sqlite3_stmt *st, const store_sql_filter *f, int first) {
    for (size_t i = 0; i < f->nparams; i++, first++) {
        const store_value *v = &f->params[i];
        if (v->kind == STORE_V_STRING) bind_text(st, first, v->s);
        else sqlite3_bind_int64(st, first, v->i);
    }
    return first;
}

bool store_filter_field_info(store_entity e, const char *name, store_filter_field *out) {
    if ((unsigned)e >= STORE_E_COUNT) return false;
    const field_def *fd = find_field(e, name);
    if (!fd) return false;
    static const store_value_kind kinds[] = {[FT_STRING] = STORE_V_STRING, [FT_ID] = STORE_V_STRING,
                                             [FT_INT_ID] = STORE_V_STRING, [FT_INT] = STORE_V_INT,
                                             [FT_BOOL] = STORE_V_BOOL,     [FT_TIME] = STORE_V_TIME,
                                             [FT_ENUM] = STORE_V_STRING,   [FT_OBJECT] = STORE_V_STRING};
    *out = (store_filter_field){.object = fd->type == FT_OBJECT, .nested = fd->object, .kind = kinds[fd->type],
                                .id = fd->type == FT_ID};
    return true;
}

/* Checks in SQLite's dialect: both dialects refuse the same filters with
 * the same messages (one compiler). */
int store_filter_check(store_entity e, const store_filter *f, store_err *err) {
    store_sql_filter out = {0};
    int rc = store_filter_compile(e, f, "t0", &out, err);
    store_sql_filter_free(&out);
    return rc;
}
