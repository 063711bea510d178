/*
 * resolve_operations.c: the resolvers of Operation, SubOperation, Step,
 * Action and Attribute, and the batches that load their children one
 * statement per level (see domain.h).
 *
 * A batch computes its rows' distinct ids once, loads each child list for
 * all of them with one store call (*_of), and keeps every child in ONE
 * batch of its own, so a level below costs one more statement, never one
 * per row: `operations { steps { actions } subOperations { sub { steps } } }`
 * is a fixed number of statements for any number of operations.
 *
 * Must never: call the store per row, or keep anything beyond the request
 * arena (batches live and die with the request).
 */
#include <string.h>
#include "domain.h"

typedef struct op_ref { const store_operation *row; mes_op_batch *batch; size_t index; } op_ref;
typedef struct sub_ref { const store_sub_operation *row; mes_sub_batch *batch; size_t index; } sub_ref;
typedef struct step_batch step_batch;
typedef struct step_ref { const store_step *row; step_batch *batch; size_t index; } step_ref;
typedef mes_attr_ref attr_ref;   /* domain.h: completions' captured serials are Attributes too */
typedef struct action_ref { const store_action *row; } action_ref;

/* A child list loaded for every parent of a batch at once: parent p's
 * children are refs[first[p] .. first[p+1]). */
typedef struct loaded {
    bool done;
    gql_rv error;     /* GQL_RV_ERROR when the load failed */
    size_t *first;
} loaded;

struct mes_op_batch {
    mes_ctx *c;
    op_ref *refs;
    size_t n;
    /* distinct operation ids (children are loaded per distinct id) */
    const char **ids;
    size_t nids, *map;
    loaded attrs, steps, subs, serial;
    bool *produces;              /* per distinct id, once `serial` is loaded */
    attr_ref *attr_refs;
    step_batch *step_batch;
    mes_sub_batch *sub_batch;
};

struct step_batch {
    mes_ctx *c;
    step_ref *refs;
    size_t n;
    loaded actions;
    action_ref *action_refs;
};

/* SubOperation.parent and .sub: the operations of the distinct parent (or
 * sub) ids, each op_of[i] an index into batch or SIZE_MAX for none. */
typedef struct link_ops {
    loaded l;
    mes_op_batch *batch;
    size_t *op_of;
} link_ops;

struct mes_sub_batch {
    mes_ctx *c;
    sub_ref *refs;
    size_t n;
    link_ops parent, sub;
};

/* ---- batches ---- */

mes_op_batch *mes_op_batch_new(mes_ctx *c, const store_operation *rows, size_t n) {
    mes_op_batch *b = gql_arena_calloc(c->arena, sizeof *b);
    b->c = c;
    b->n = n;
    b->refs = gql_arena_alloc(c->arena, (n ? n : 1) * sizeof *b->refs);
    for (size_t i = 0; i < n; i++) b->refs[i] = (op_ref){&rows[i], b, i};
    return b;
}

gql_rv mes_op_batch_list(mes_op_batch *b, size_t first, size_t count) {
    return mes_list_of(b->c->arena, b->refs, sizeof *b->refs, first, count);
}

gql_rv mes_op_batch_item(mes_op_batch *b, size_t i) { return gql_rv_obj(&b->refs[i], NULL); }

mes_sub_batch *mes_sub_batch_new(mes_ctx *c, const store_sub_operation *rows, size_t n) {
    mes_sub_batch *b = gql_arena_calloc(c->arena, sizeof *b);
    b->c = c;
    b->n = n;
    b->refs = gql_arena_alloc(c->arena, (n ? n : 1) * sizeof *b->refs);
    for (size_t i = 0; i < n; i++) b->refs[i] = (sub_ref){&rows[i], b, i};
    return b;
}

gql_rv mes_sub_batch_list(mes_sub_batch *b, size_t first, size_t count) {
    return mes_list_of(b->c->arena, b->refs, sizeof *b->refs, first, count);
}

static step_batch *step_batch_new(mes_ctx *c, const store_step *rows, size_t n) {
    step_batch *b = gql_arena_calloc(c->arena, sizeof *b);
    b->c = c;
    b->n = n;
    b->refs = gql_arena_alloc(c->arena, (n ? n : 1) * sizeof *b->refs);
    for (size_t i = 0; i < n; i++) b->refs[i] = (step_ref){&rows[i], b, i};
    return b;
}

gql_rv mes_domain_operations_one(mes_ctx *c, const store_operation *op) {
    return mes_op_batch_item(mes_op_batch_new(c, op, 1), 0);
}

gql_rv mes_domain_sub_operations_one(mes_ctx *c, const store_sub_operation *so) {
    mes_sub_batch *b = mes_sub_batch_new(c, so, 1);
    return gql_rv_obj(&b->refs[0], NULL);
}

/* The distinct ids of an operation batch, computed once. */
static void op_ids(mes_op_batch *b) {
    if (b->ids) return;
    gql_arena *a = b->c->arena;
    const char **all = gql_arena_alloc(a, (b->n ? b->n : 1) * sizeof *all);
    for (size_t i = 0; i < b->n; i++) all[i] = b->refs[i].row->id;
    b->map = gql_arena_alloc(a, (b->n ? b->n : 1) * sizeof *b->map);
    b->nids = mes_distinct(a, all, b->n, &b->ids, b->map);
}

/* The slice of ref i's children as a list value (or the load's error). */
static gql_rv slice(const loaded *l, gql_arena *a, const void *refs, size_t size, size_t parent) {
    if (l->error.kind == GQL_RV_ERROR) return l->error;
    return mes_list_of(a, refs, size, l->first[parent], l->first[parent + 1] - l->first[parent]);
}

static bool load_failed(loaded *l, gql_arena *a, const store_err *err) {
    l->done = true;
    l->error = mes_read_error(a, err);
    return false;
}

/* consumedSerials: a process's own attributes, a product's (or
 * subassembly's) every attribute of every process in its tree. At most two
 * statements: one for the processes of the batch, one for the rest. */
static bool load_attrs(mes_op_batch *b) {
    gql_arena *a = b->c->arena;
    op_ids(b);
    bool *is_process = gql_arena_calloc(a, (b->nids ? b->nids : 1) * sizeof *is_process);
    for (size_t i = 0; i < b->n; i++) is_process[b->map[i]] = b->refs[i].row->kind == STORE_KIND_PROCESS;
    const char **group[2];
    size_t ngroup[2] = {0, 0}, *pos = gql_arena_alloc(a, (b->nids ? b->nids : 1) * sizeof *pos);
    for (int g = 0; g < 2; g++) group[g] = gql_arena_alloc(a, (b->nids ? b->nids : 1) * sizeof *group[g]);
    for (size_t u = 0; u < b->nids; u++) {
        int g = is_process[u] ? 0 : 1;
        pos[u] = ngroup[g];
        group[g][ngroup[g]++] = b->ids[u];
    }
    store_attributes got[2] = {{0}, {0}};
    store_err err = {0};
    if (ngroup[0] && store_consumed_attrs_of(b->c->st, group[0], ngroup[0], a, &got[0], &err))
        return load_failed(&b->attrs, a, &err);
    if (ngroup[1] && store_tree_attrs_of(b->c->st, group[1], ngroup[1], a, &got[1], &err))
        return load_failed(&b->attrs, a, &err);
    /* one list of refs in distinct-id order */
    size_t total = got[0].count + got[1].count;
    b->attr_refs = gql_arena_alloc(a, (total ? total : 1) * sizeof *b->attr_refs);
    b->attrs.first = gql_arena_alloc(a, (b->nids + 1) * sizeof *b->attrs.first);
    size_t k = 0;
    for (size_t u = 0; u < b->nids; u++) {
        const store_attributes *g = &got[is_process[u] ? 0 : 1];
        b->attrs.first[u] = k;
        for (size_t j = g->first[pos[u]]; j < g->first[pos[u] + 1]; j++) b->attr_refs[k++] = (attr_ref){&g->items[j], NULL};
    }
    b->attrs.first[b->nids] = k;
    b->attrs.done = true;
    return true;
}

/* producesSerial of the batch's products and subassemblies (a process's is
 * its own row's): one statement, none when the batch has only processes. */
static bool load_serial(mes_op_batch *b) {
    gql_arena *a = b->c->arena;
    op_ids(b);
    size_t n1 = b->nids ? b->nids : 1, m = 0;
    bool *is_product = gql_arena_calloc(a, n1 * sizeof *is_product);
    for (size_t i = 0; i < b->n; i++) is_product[b->map[i]] = b->refs[i].row->kind != STORE_KIND_PROCESS;
    const char **ids = gql_arena_alloc(a, n1 * sizeof *ids);
    size_t *pos = gql_arena_alloc(a, n1 * sizeof *pos);
    for (size_t u = 0; u < b->nids; u++)
        if (is_product[u]) pos[u] = m, ids[m++] = b->ids[u];
    bool *got = gql_arena_calloc(a, (m ? m : 1) * sizeof *got);
    store_err err = {0};
    if (m && store_tree_produces_serial_of(b->c->st, ids, m, got, &err)) return load_failed(&b->serial, a, &err);
    b->produces = gql_arena_calloc(a, n1 * sizeof *b->produces);
    for (size_t u = 0; u < b->nids; u++)
        if (is_product[u]) b->produces[u] = got[pos[u]];
    b->serial.done = true;
    return true;
}

static bool load_steps(mes_op_batch *b) {
    gql_arena *a = b->c->arena;
    op_ids(b);
    store_steps got = {0};
    store_err err = {0};
    if (store_steps_of(b->c->st, b->ids, b->nids, a, &got, &err)) return load_failed(&b->steps, a, &err);
    b->step_batch = step_batch_new(b->c, got.items, got.count);
    b->steps.first = got.first;
    b->steps.done = true;
    return true;
}

static bool load_subs(mes_op_batch *b) {
    gql_arena *a = b->c->arena;
    op_ids(b);
    store_sub_operations got = {0};
    store_err err = {0};
    if (store_sub_operations_of(b->c->st, b->ids, b->nids, false, a, &got, &err))
        return load_failed(&b->subs, a, &err);
    b->sub_batch = mes_sub_batch_new(b->c, got.items, got.count);
    b->subs.first = got.first;
    b->subs.done = true;
    return true;
}

static bool load_actions(step_batch *b) {
    gql_arena *a = b->c->arena;
    int64_t *keys = gql_arena_alloc(a, (b->n ? b->n : 1) * sizeof *keys);
    for (size_t i = 0; i < b->n; i++) keys[i] = b->refs[i].row->key;
    store_actions got = {0};
    store_err err = {0};
    if (store_actions_of(b->c->st, keys, b->n, a, &got, &err)) return load_failed(&b->actions, a, &err);
    b->action_refs = gql_arena_alloc(a, (got.count ? got.count : 1) * sizeof *b->action_refs);
    for (size_t i = 0; i < got.count; i++) b->action_refs[i] = (action_ref){&got.items[i]};
    b->actions.first = got.first;
    b->actions.done = true;
    return true;
}

/* parent (want_parent) or sub operations of every link of the batch, one statement */
static bool load_link(mes_sub_batch *b, link_ops *lo, bool want_parent) {
    gql_arena *a = b->c->arena;
    size_t n1 = b->n ? b->n : 1;
    const char **all = gql_arena_alloc(a, n1 * sizeof *all);
    for (size_t i = 0; i < b->n; i++) all[i] = want_parent ? b->refs[i].row->parent_id : b->refs[i].row->sub_id;
    size_t *map = gql_arena_alloc(a, n1 * sizeof *map);
    const char **ids;
    size_t nids = mes_distinct(a, all, b->n, &ids, map);
    store_operations got = {0};
    store_err err = {0};
    if (store_operations_by_ids(b->c->st, ids, nids, a, &got, &err)) return load_failed(&lo->l, a, &err);
    lo->batch = mes_op_batch_new(b->c, got.items, got.count);
    lo->op_of = gql_arena_alloc(a, n1 * sizeof *lo->op_of);
    for (size_t i = 0; i < b->n; i++)
        lo->op_of[i] = got.first[map[i] + 1] > got.first[map[i]] ? got.first[map[i]] : SIZE_MAX;
    lo->l.done = true;
    return true;
}

/* ---- Operation ---- */

static gql_rv op_external_codes(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args;
    const char *ext = ((const op_ref *)src)->row->external_id;
    if (!ext) return gql_rv_null();
    uint32_t n = 1;
    for (const char *p = ext; *p; p++) n += *p == '|';
    gql_rv r = {.kind = GQL_RV_LIST};
    r.u.list.items = gql_arena_alloc(info->arena, n * sizeof *r.u.list.items);
    r.u.list.count = n;
    const char *start = ext;
    for (uint32_t i = 0; i < n; i++) {
        const char *end = strchr(start, '|');
        if (!end) end = start + strlen(start);
        r.u.list.items[i] = gql_rv_str(start, (uint32_t)(end - start));
        start = end + 1;
    }
    return r;
}

static gql_rv op_kind(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args, (void)info;
    const char *k = store_kind_name(((const op_ref *)src)->row->kind);
    return gql_rv_str(k, (uint32_t)strlen(k));
}

static gql_rv op_consumed_serials(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args;
    const op_ref *r = src;
    mes_op_batch *b = r->batch;
    if (!b->attrs.done) load_attrs(b);
    return slice(&b->attrs, info->arena, b->attr_refs, sizeof *b->attr_refs, b->map[r->index]);
}

/* api.md: a product's producesSerial is true when its last process produces one */
static gql_rv op_produces_serial(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args, (void)info;
    const op_ref *r = src;
    if (r->row->kind == STORE_KIND_PROCESS) return gql_rv_bool(r->row->produces_serial);
    mes_op_batch *b = r->batch;
    if (!b->serial.done) load_serial(b);
    if (b->serial.error.kind == GQL_RV_ERROR) return b->serial.error;
    return gql_rv_bool(b->produces[b->map[r->index]]);
}

static gql_rv op_steps(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args;
    const op_ref *r = src;
    mes_op_batch *b = r->batch;
    if (!b->steps.done) load_steps(b);
    if (b->steps.error.kind == GQL_RV_ERROR) return b->steps.error;
    return slice(&b->steps, info->arena, b->step_batch->refs, sizeof *b->step_batch->refs, b->map[r->index]);
}

static gql_rv op_sub_operations(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args;
    const op_ref *r = src;
    mes_op_batch *b = r->batch;
    if (!b->subs.done) load_subs(b);
    if (b->subs.error.kind == GQL_RV_ERROR) return b->subs.error;
    return slice(&b->subs, info->arena, b->sub_batch->refs, sizeof *b->sub_batch->refs, b->map[r->index]);
}

/* ---- SubOperation ---- */

static gql_rv sub_link(const void *src, gql_resolve_info *info, bool want_parent) {
    const sub_ref *r = src;
    mes_sub_batch *b = r->batch;
    link_ops *lo = want_parent ? &b->parent : &b->sub;
    if (!lo->l.done) load_link(b, lo, want_parent);
    if (lo->l.error.kind == GQL_RV_ERROR) return lo->l.error;
    size_t k = lo->op_of[r->index];
    return k == SIZE_MAX ? gql_rv_null() : mes_op_batch_item(lo->batch, k);
}
static gql_rv sub_parent(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args;
    return sub_link(src, info, true);
}
static gql_rv sub_sub(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args;
    return sub_link(src, info, false);
}

/* ---- Step, Action, Attribute ---- */

static gql_rv step_actions(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args;
    const step_ref *r = src;
    step_batch *b = r->batch;
    if (!b->actions.done) load_actions(b);
    return slice(&b->actions, info->arena, b->action_refs, sizeof *b->action_refs, r->index);
}

static gql_rv attr_value(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args, (void)info;
    const char *v = ((const attr_ref *)src)->value;
    return v ? gql_rv_str(v, (uint32_t)strlen(v)) : gql_rv_null();
}

#define AT(T, m) offsetof(T, m)

bool mes_bind_operations(gql_schema *s, char *err, size_t errlen) {
    static const mes_binding operation[] = {
        {"id", mes_field_str, AT(store_operation, id)},
        {"externalId", mes_field_str, AT(store_operation, external_id)},
        {"externalRevision", mes_field_str, AT(store_operation, revision)},
        {"externalCodes", op_external_codes, 0},
        {"name", mes_field_str, AT(store_operation, name)},
        {"templateID", mes_field_str, AT(store_operation, template_id)},
        {"variantName", mes_field_str, AT(store_operation, variant_name)},
        {"kind", op_kind, 0},
        {"consumedSerials", op_consumed_serials, 0},
        {"producesSerial", op_produces_serial, 0},
        {"subOperations", op_sub_operations, 0},
        {"steps", op_steps, 0},
        {"seq", mes_field_int, AT(store_operation, seq)},
        {"updatedAt", mes_field_time, AT(store_operation, updated_at)},
        {"archivedAt", mes_field_time, AT(store_operation, archived_at)},
    };
    static const mes_binding sub_operation[] = {
        {"parentId", mes_field_str, AT(store_sub_operation, parent_id)},
        {"subId", mes_field_str, AT(store_sub_operation, sub_id)},
        {"subGroup", mes_field_str, AT(store_sub_operation, sub_group)},
        {"position", mes_field_int, AT(store_sub_operation, position)},
        {"optional", mes_field_bool, AT(store_sub_operation, optional)},
        {"parent", sub_parent, 0},
        {"sub", sub_sub, 0},
        {"seq", mes_field_int, AT(store_sub_operation, seq)},
        {"updatedAt", mes_field_time, AT(store_sub_operation, updated_at)},
        {"archivedAt", mes_field_time, AT(store_sub_operation, archived_at)},
    };
    static const mes_binding step[] = {
        {"id", mes_field_str, AT(store_step, id)},
        {"name", mes_field_str, AT(store_step, name)},
        {"instructionText", mes_field_str, AT(store_step, instruction_text)},
        {"actions", step_actions, 0},
    };
    static const mes_binding action[] = {
        {"id", mes_field_str, AT(store_action, id)},
        {"description", mes_field_str, AT(store_action, description)},
    };
    static const mes_binding attribute[] = {
        {"id", mes_field_str, AT(store_attribute, id)},
        {"name", mes_field_str, AT(store_attribute, name)},
        {"externalId", mes_field_str, AT(store_attribute, part_number)},
        {"value", attr_value, 0},
    };
#define BIND(type, arr) mes_bind_all(s, type, arr, sizeof arr / sizeof arr[0], err, errlen)
    return BIND("Operation", operation) && BIND("SubOperation", sub_operation) && BIND("Step", step) &&
           BIND("Action", action) && BIND("Attribute", attribute);
#undef BIND
}
