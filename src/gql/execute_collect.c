/*
 * execute_collect.c: graphql-js's collectFields / collectSubfields, made into
 * plans: the response keys of a selection set (fragments and inline fragments
 * whose type condition applies to the runtime type, @skip/@include honoured,
 * each fragment spread visited once), each with its field definition and
 * resolver looked up once. Plans are cached by the caller (per field entry and
 * runtime type), so this runs once per selection set and type, not per value.
 */
#include <string.h>
#include "coerce.h"
#include "execute_internal.h"

typedef struct centry {
    const gql_selection *first;
    gql_ptrvec more;               /* further field nodes with the same response key */
} centry;

typedef struct collector {
    exec_ctx *c;
    const gql_type *type;
    uint8_t *visited;              /* per fragment index */
    centry *entries;
    uint32_t count, cap;
    uint32_t *table;               /* entry index + 1, hashed by response key */
    uint32_t table_size;
    bool dynamic;                  /* a @skip/@include took a variable */
    exec_cond *conds;              /* those evaluations, in order */
    uint32_t cond_count, cond_cap;
} collector;

/* Plans that depend on variables are kept in the document under conditions,
 * up to so many conditions per plan and variants per selection; beyond that
 * they are made per request. */
#define MAX_CONDS 16
#define MAX_VARIANTS 8

static uint32_t key_hash(const char *s, uint32_t len) {
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void table_insert(collector *k, uint32_t entry) {
    const gql_name *n = &k->entries[entry].first->alias;
    uint32_t mask = k->table_size - 1, h = key_hash(n->value, n->len) & mask;
    while (k->table[h]) h = (h + 1) & mask;
    k->table[h] = entry + 1;
}

static void add_field(collector *k, const gql_selection *sel) {
    gql_arena *a = k->c->arena;
    const gql_name *key = &sel->alias;
    uint32_t mask = k->table_size - 1;
    for (uint32_t h = key_hash(key->value, key->len) & mask; k->table[h]; h = (h + 1) & mask) {
        centry *e = &k->entries[k->table[h] - 1];
        if (e->first->alias.len == key->len && memcmp(e->first->alias.value, key->value, key->len) == 0) {
            gql_ptrvec_push(a, &e->more, (void *)sel);
            return;
        }
    }
    if (k->count == k->cap) {
        uint32_t nc = k->cap * 2;
        k->entries = gql_arena_grow(a, k->entries, k->count, nc, sizeof *k->entries);
        k->cap = nc;
    }
    k->entries[k->count] = (centry){.first = sel};
    k->count++;
    if (k->count * 2 > k->table_size) {   /* keep the load under one half */
        k->table_size *= 2;
        k->table = gql_arena_calloc(a, k->table_size * sizeof *k->table);
        for (uint32_t i = 0; i < k->count; i++) table_insert(k, i);
    } else {
        table_insert(k, k->count - 1);
    }
}

/* getDirectiveValues(def, d).if: 1 when true, 0 when false, -1 when absent,
 * -2 on an argument error (recorded in errs). `if: $var` with a boolean
 * variable is that boolean, without coercing the arguments again. */
static int directive_if_value(exec_ctx *c, const gql_directive *def, const gql_directive_node *d, gql_errors *errs) {
    if (d->arg_count == 1 && d->args[0].value->kind == GQL_VARIABLE && d->args[0].name.len == 2 &&
        memcmp(d->args[0].name.value, "if", 2) == 0) {
        const gql_name *var = &d->args[0].value->name;
        const gql_val *v = gql_val_get(c->vars, var->value, var->len);
        if (v && v->kind == GQL_V_BOOL) return v->u.b ? 1 : 0;
    }
    gql_val *args = gql_argument_values(c->arena, def->args, def->arg_count, d->args, d->arg_count, d->loc, c->vars,
                                        errs);
    if (!args) return -2;
    const gql_val *v = gql_val_get(args, "if", 2);
    if (v && v->kind == GQL_V_BOOL) return v->u.b ? 1 : 0;
    return -1;
}

/* The same for the directive named as def among a node's directives; an
 * evaluation that takes a variable is recorded as a condition of the plan. */
static int directive_if(collector *k, const gql_directive *def, const gql_directive_node *dirs, uint32_t n) {
    exec_ctx *c = k->c;
    for (uint32_t i = 0; i < n; i++) {
        const gql_directive_node *d = &dirs[i];
        if (strcmp(d->name.value, def->name) != 0) continue;
        bool variable = false;
        for (uint32_t j = 0; j < d->arg_count; j++)
            if (gql_exec_value_has_variable(d->args[j].value)) variable = true;
        int r = directive_if_value(c, def, d, &c->errs);
        if (variable && r != -2) {
            k->dynamic = true;
            if (k->cond_count == k->cond_cap) {
                uint32_t nc = k->cond_cap ? k->cond_cap * 2 : 4;
                k->conds = gql_arena_grow(c->arena, k->conds, k->cond_count, nc, sizeof *k->conds);
                k->cond_cap = nc;
            }
            k->conds[k->cond_count++] = (exec_cond){.def = def, .node = d, .result = r};
        }
        return r;
    }
    return -1;
}

/* Whether a kept plan holds for this request's variables. */
static bool conds_hold(exec_ctx *c, const exec_plan *p) {
    if (!p->cond_count) return true;
    gql_errors scratch;   /* an error means another plan: collecting again reports it */
    gql_errors_init(&scratch, c->arena);
    for (uint32_t i = 0; i < p->cond_count; i++)
        if (directive_if_value(c, p->conds[i].def, p->conds[i].node, &scratch) != p->conds[i].result) return false;
    return true;
}

/* shouldIncludeNode: 1 include, 0 skip, -1 error. */
static int should_include(collector *k, const gql_directive_node *dirs, uint32_t n) {
    exec_ctx *c = k->c;
    if (n == 0) return 1;
    if (!c->skip) {
        c->skip = gql_schema_directive(c->schema, "skip", 4);
        c->include = gql_schema_directive(c->schema, "include", 7);
    }
    int skip = directive_if(k, c->skip, dirs, n);
    if (skip == -2) return -1;
    if (skip == 1) return 0;
    int include = directive_if(k, c->include, dirs, n);
    if (include == -2) return -1;
    return include == 0 ? 0 : 1;
}

/* doesFragmentConditionMatch */
static bool condition_matches(exec_ctx *c, const gql_type_node *cond, const gql_type *type) {
    if (!cond) return true;
    const gql_type *t = gql_type_from_ast(c->schema, cond);
    if (!t) return false;
    if (t == type) return true;
    if (gql_is_abstract_type(t)) return gql_is_sub_type(t, type);
    return false;
}

/* collectFieldsImpl; the nesting of fragments is bounded by the parser's depth
 * limit and fragment cycles are rejected by validation (and cut by `visited`). */
static bool collect_impl(collector *k, const gql_selection_set *set) {
    exec_ctx *c = k->c;
    for (uint32_t i = 0; i < set->count; i++) {
        const gql_selection *sel = &set->items[i];
        int inc;
        switch (sel->kind) {
        case GQL_FIELD:
            inc = should_include(k, sel->directives, sel->directive_count);
            if (inc < 0) return false;
            if (inc) add_field(k, sel);
            break;
        case GQL_INLINE_FRAGMENT:
            inc = should_include(k, sel->directives, sel->directive_count);
            if (inc < 0) return false;
            if (!inc || !condition_matches(c, sel->type_condition, k->type)) break;
            if (!collect_impl(k, sel->selection_set)) return false;
            break;
        case GQL_FRAGMENT_SPREAD: {
            int fi = gql_exec_fragment_index(c->doc, sel->name.value, sel->name.len);
            if (fi >= 0 && k->visited[fi]) break;
            inc = should_include(k, sel->directives, sel->directive_count);
            if (inc < 0) return false;
            if (!inc) break;
            if (fi < 0) break;
            k->visited[fi] = 1;
            const gql_definition *frag = c->doc->fragments[fi];
            if (!condition_matches(c, frag->type_condition, k->type)) break;
            if (!collect_impl(k, frag->selection_set)) return false;
            break;
        }
        default:
            break;
        }
    }
    return true;
}

/* getFieldDef, and the resolver to call for it. */
static void resolve_def(exec_ctx *c, const gql_type *type, exec_field *f) {
    const gql_name *name = &f->nodes[0]->name;
    gql_schema *s = c->schema;
    if (name->len >= 2 && name->value[0] == '_' && name->value[1] == '_') {
        if (strcmp(name->value, "__typename") == 0) {
            f->def = &s->f_typename;
            f->is_typename = true;
            return;
        }
        if (type == s->query && strcmp(name->value, "__schema") == 0) f->def = &s->f_schema;
        else if (type == s->query && strcmp(name->value, "__type") == 0) f->def = &s->f_type;
    }
    if (!f->def) f->def = gql_type_field(type, name->value, name->len);
    if (!f->def) return;
    const gql_type *t = f->def->type;
    f->leaf_non_null = t->kind == GQL_T_NON_NULL;
    if (f->leaf_non_null) t = t->of_type;
    if (t == s->t_string || t == s->t_id) f->leaf = EXEC_LEAF_STRING;
    else if (t == s->t_int) f->leaf = EXEC_LEAF_INT;
    else if (t == s->t_boolean) f->leaf = EXEC_LEAF_BOOLEAN;
    else if (t->kind == GQL_T_ENUM) f->leaf = EXEC_LEAF_ENUM;
    else if (t->kind == GQL_T_SCALAR && t != s->t_float) f->leaf = EXEC_LEAF_CUSTOM;
    else if (t->kind == GQL_T_OBJECT) f->object_type = t;
    f->resolve = f->def->resolve;
    if (!f->resolve) {
        f->resolve = gql_introspection_resolver(s, type, f->def);
        f->light = f->resolve != NULL;
    }
}

static bool args_have_variables(const gql_selection *sel) {
    for (uint32_t i = 0; i < sel->arg_count; i++)
        if (gql_exec_value_has_variable(sel->args[i].value)) return true;
    return false;
}

/* collectFields over the selection sets, made into a plan: in the document's
 * arena when it does not depend on the variables or when it is kept under the
 * conditions it depends on (`keep`: not too many variants yet), else in the
 * request's. */
static exec_plan *collect(exec_ctx *c, const gql_type *type, const gql_selection_set *const *sets,
                          uint32_t set_count, bool keep) {
    gql_arena *a = c->arena;
    collector k = {.c = c, .type = type, .cap = 8, .table_size = 16};
    k.entries = gql_arena_alloc(a, k.cap * sizeof *k.entries);
    k.table = gql_arena_calloc(a, k.table_size * sizeof *k.table);
    k.visited = gql_arena_calloc(a, c->doc->fragment_count + 1);
    for (uint32_t i = 0; i < set_count; i++)
        if (sets[i] && !collect_impl(&k, sets[i])) return NULL;

    bool dynamic = k.dynamic && (!keep || k.cond_count > MAX_CONDS);
    gql_arena *pa = dynamic ? c->arena : c->doc_arena;
    exec_plan *plan = gql_arena_calloc(pa, sizeof *plan);
    plan->type = type;
    plan->dynamic = dynamic;
    if (k.dynamic && !dynamic) {
        plan->conds = gql_arena_alloc(pa, k.cond_count * sizeof *plan->conds);
        memcpy(plan->conds, k.conds, k.cond_count * sizeof *plan->conds);
        plan->cond_count = k.cond_count;
    }
    plan->fields = gql_arena_calloc(pa, (k.count + 1) * sizeof *plan->fields);
    for (uint32_t i = 0; i < k.count; i++) {
        const centry *e = &k.entries[i];
        exec_field *f = &plan->fields[plan->count++];
        f->node_count = 1 + e->more.count;
        f->nodes = gql_arena_alloc(pa, f->node_count * sizeof *f->nodes);
        f->nodes[0] = e->first;
        for (uint32_t j = 0; j < e->more.count; j++) f->nodes[j + 1] = e->more.items[j];
        f->key = e->first->alias.value;
        f->key_len = e->first->alias.len;
        f->name_len = e->first->name.len;
        char *kj = gql_arena_calloc(pa, f->key_len + 4 + EXEC_PAD);   /* zeros after: see exec_append_padded */
        kj[0] = ',';
        kj[1] = '"';
        memcpy(kj + 2, f->key, f->key_len);
        memcpy(kj + 2 + f->key_len, "\":", 3);
        f->key_json = kj;
        f->key_json_len = f->key_len + 4;
        resolve_def(c, type, f);
        if (f->is_typename) {
            size_t n = strlen(type->name);
            char *tj = gql_arena_calloc(pa, n + 2 + EXEC_PAD);
            tj[0] = '"';
            memcpy(tj + 1, type->name, n);
            tj[n + 1] = '"';
            f->typename_json = tj;
            f->typename_json_len = (uint32_t)n + 2;
        }
        f->per_request = dynamic;
        /* getArgumentValues reads fieldNodes[0]: with the variables fixed, its
         * result is fixed for an entry that lives one request, and for any
         * entry when no variable is involved */
        f->args_cacheable = dynamic || !args_have_variables(e->first);
    }
    return plan;
}

exec_plan *gql_exec_root_plan(exec_ctx *c, const gql_type *root_type) {
    uint32_t op_index = 0;
    while (c->doc->operations[op_index] != c->op) op_index++;
    exec_plan **slot = &c->doc->impl->root_plans[op_index];
    uint32_t variants = 0;
    for (exec_plan *p = *slot; p; p = p->next_variant, variants++)
        if (p->type == root_type && conds_hold(c, p)) return p;
    const gql_selection_set *set = c->op->selection_set;
    exec_plan *plan = collect(c, root_type, &set, 1, variants < MAX_VARIANTS);
    if (plan && !plan->dynamic) {
        plan->next_variant = *slot;
        *slot = plan;
    }
    return plan;
}

static bool same_key(const exec_plan_entry *e, const exec_field *f, const gql_type *type) {
    return e->type == type && e->node_count == f->node_count &&
           memcmp(e->nodes, f->nodes, f->node_count * sizeof *f->nodes) == 0;
}

static void add_plan(gql_arena *a, exec_plan_entry **head, const exec_field *f, exec_plan *plan) {
    exec_plan_entry *e = gql_arena_alloc(a, sizeof *e);
    e->type = plan->type;
    e->node_count = f->node_count;
    e->nodes = gql_arena_alloc(a, f->node_count * sizeof *e->nodes);
    memcpy(e->nodes, f->nodes, f->node_count * sizeof *e->nodes);
    e->plan = plan;
    e->next = *head;
    *head = e;
}

exec_plan *gql_exec_sub_plan(exec_ctx *c, exec_field *f, const gql_type *type) {
    for (exec_subplan *s = f->subs; s; s = s->next)
        if (s->type == type) return s->plan;
    uint32_t id = f->nodes[0]->id;
    exec_plan *plan = NULL;
    bool chosen = false;   /* already in this request's plans */
    if (c->req_plans)
        for (exec_plan_entry *e = c->req_plans[id]; e && !plan; e = e->next)
            if (same_key(e, f, type)) plan = e->plan, chosen = true;
    exec_plan_entry **doc_plans = &c->doc->impl->plans[id];
    uint32_t variants = 0;
    for (exec_plan_entry *e = *doc_plans; e && !plan; e = e->next)
        if (same_key(e, f, type) && (variants++, conds_hold(c, e->plan))) plan = e->plan;
    if (!plan) {
        const gql_selection_set *few[4];
        const gql_selection_set **sets = few;
        if (f->node_count > 4) sets = gql_arena_alloc(c->arena, f->node_count * sizeof *sets);
        for (uint32_t i = 0; i < f->node_count; i++) sets[i] = f->nodes[i]->selection_set;
        plan = collect(c, type, sets, f->node_count, variants < MAX_VARIANTS);
        if (!plan) return NULL;
        if (!plan->dynamic) add_plan(c->doc_arena, doc_plans, f, plan);
    }
    bool is_static = !plan->dynamic && !plan->cond_count;
    if (!is_static && !chosen) {   /* this request's choice, so the conditions are not evaluated again */
        if (!c->req_plans)
            c->req_plans = gql_arena_calloc(c->arena, (c->doc->doc->selection_count + 1) * sizeof *c->req_plans);
        add_plan(c->arena, &c->req_plans[id], f, plan);
    }
    /* remember it on the entry when it lives as long as the entry */
    if (is_static || f->per_request) {
        exec_subplan *s = gql_arena_alloc(f->per_request ? c->arena : c->doc_arena, sizeof *s);
        *s = (exec_subplan){.type = type, .plan = plan, .next = f->subs};
        f->subs = s;
    }
    return plan;
}
