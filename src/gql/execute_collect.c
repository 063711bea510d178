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
} collector;

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

/* getDirectiveValues(directive, node).if: 1 when given and true, 0 when given
 * and false, -1 when absent, -2 on an argument error (already recorded). */
static int directive_if(collector *k, const gql_directive *def, const gql_directive_node *dirs, uint32_t n) {
    exec_ctx *c = k->c;
    for (uint32_t i = 0; i < n; i++) {
        const gql_directive_node *d = &dirs[i];
        if (strcmp(d->name.value, def->name) != 0) continue;
        for (uint32_t j = 0; j < d->arg_count; j++)
            if (gql_exec_value_has_variable(d->args[j].value)) k->dynamic = true;
        gql_val *args = gql_argument_values(c->arena, def->args, def->arg_count, d->args, d->arg_count, d->loc,
                                            c->vars, &c->errs);
        if (!args) return -2;
        const gql_val *v = gql_val_get(args, "if", 2);
        if (v && v->kind == GQL_V_BOOL) return v->u.b ? 1 : 0;
        return -1;
    }
    return -1;
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
    f->resolve = f->def->resolve;
    if (!f->resolve) f->resolve = gql_introspection_resolver(s, type, f->def);
}

static bool args_have_variables(const gql_selection *sel) {
    for (uint32_t i = 0; i < sel->arg_count; i++)
        if (gql_exec_value_has_variable(sel->args[i].value)) return true;
    return false;
}

/* collectFields over the selection sets, made into a plan: in the document's
 * arena when it does not depend on the variables, else in the request's. */
static exec_plan *collect(exec_ctx *c, const gql_type *type, const gql_selection_set *const *sets,
                          uint32_t set_count) {
    gql_arena *a = c->arena;
    collector k = {.c = c, .type = type, .cap = 8, .table_size = 16};
    k.entries = gql_arena_alloc(a, k.cap * sizeof *k.entries);
    k.table = gql_arena_calloc(a, k.table_size * sizeof *k.table);
    k.visited = gql_arena_calloc(a, c->doc->fragment_count + 1);
    for (uint32_t i = 0; i < set_count; i++)
        if (sets[i] && !collect_impl(&k, sets[i])) return NULL;

    gql_arena *pa = k.dynamic ? c->arena : c->doc_arena;
    exec_plan *plan = gql_arena_calloc(pa, sizeof *plan);
    plan->type = type;
    plan->dynamic = k.dynamic;
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
        f->key_json = gql_arena_printf(pa, "\"%s\":", f->key);
        f->key_json_len = f->key_len + 3;
        resolve_def(c, type, f);
        if (f->is_typename) {
            f->typename_json = gql_arena_printf(pa, "\"%s\"", type->name);
            f->typename_json_len = (uint32_t)strlen(f->typename_json);
        }
        f->per_request = k.dynamic;
        /* getArgumentValues reads fieldNodes[0]: with the variables fixed, its
         * result is fixed for an entry that lives one request, and for any
         * entry when no variable is involved */
        f->args_cacheable = k.dynamic || !args_have_variables(e->first);
    }
    return plan;
}

exec_plan *gql_exec_root_plan(exec_ctx *c, const gql_type *root_type) {
    uint32_t op_index = 0;
    while (c->doc->operations[op_index] != c->op) op_index++;
    exec_plan **slot = &c->doc->impl->root_plans[op_index];
    if (*slot) return *slot;
    const gql_selection_set *set = c->op->selection_set;
    exec_plan *plan = collect(c, root_type, &set, 1);
    if (plan && !plan->dynamic) *slot = plan;
    return plan;
}

static exec_plan *find_plan(exec_plan_entry *e, const exec_field *f, const gql_type *type) {
    for (; e; e = e->next)
        if (e->type == type && e->node_count == f->node_count &&
            memcmp(e->nodes, f->nodes, f->node_count * sizeof *f->nodes) == 0)
            return e->plan;
    return NULL;
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
    exec_plan_entry **doc_plans = &c->doc->impl->plans[id];
    exec_plan *plan = find_plan(*doc_plans, f, type);
    if (!plan && c->req_plans) plan = find_plan(c->req_plans[id], f, type);
    if (!plan) {
        const gql_selection_set *few[4];
        const gql_selection_set **sets = few;
        if (f->node_count > 4) sets = gql_arena_alloc(c->arena, f->node_count * sizeof *sets);
        for (uint32_t i = 0; i < f->node_count; i++) sets[i] = f->nodes[i]->selection_set;
        plan = collect(c, type, sets, f->node_count);
        if (!plan) return NULL;
        if (!plan->dynamic) {
            add_plan(c->doc_arena, doc_plans, f, plan);
        } else {
            if (!c->req_plans)
                c->req_plans = gql_arena_calloc(c->arena, (c->doc->doc->selection_count + 1) * sizeof *c->req_plans);
            add_plan(c->arena, &c->req_plans[id], f, plan);
        }
    }
    /* remember it on the entry when it lives as long as the entry */
    if (!plan->dynamic || f->per_request) {
        exec_subplan *s = gql_arena_alloc(f->per_request ? c->arena : c->doc_arena, sizeof *s);
        *s = (exec_subplan){.type = type, .plan = plan, .next = f->subs};
        f->subs = s;
    }
    return plan;
}
