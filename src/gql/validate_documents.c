/*
 * validate_documents.c: the rules about definitions, operations and
 * fragments: ExecutableDefinitions, UniqueOperationNames,
 * LoneAnonymousOperation, SingleFieldSubscriptions, FragmentsOnCompositeTypes,
 * UniqueFragmentNames, KnownFragmentNames, NoUnusedFragments,
 * PossibleFragmentSpreads and NoFragmentCycles.
 */
#include <string.h>
#include "coerce.h"
#include "validate_internal.h"

void r_executable_definitions(vctx *v)
{
    for (uint32_t i = 0; i < v->doc->definition_count; i++) {
        const gql_definition *d = &v->doc->definitions[i];
        if (d->kind == GQL_OPERATION_DEFINITION || d->kind == GQL_FRAGMENT_DEFINITION)
            continue;
        gql_error *e;
        if (d->kind == GQL_SCHEMA_DEFINITION || d->kind == GQL_SCHEMA_EXTENSION)
            e = v_error(v, "The schema definition is not executable.");
        else
            e = v_errorf(v, "The \"%s\" definition is not executable.", d->name.value);
        v_loc(v, e, d->loc);
    }
}

void r_unique_operation_names(vctx *v, const gql_definition *op)
{
    if (!op->has_name)
        return;
    bool existed;
    void **slot = vmap_slot(v, &v->known_op_names, v_intern_name(v, &op->name), 0, &existed);
    if (existed) {
        const gql_name *first = *slot;
        gql_error *e = v_errorf(v, "There can be only one operation named \"%s\".", op->name.value);
        v_loc(v, e, first->loc);
        v_loc(v, e, op->name.loc);
    } else {
        *slot = (void *)&op->name;
    }
}

void r_lone_anonymous_document(vctx *v)
{
    v->operation_count = 0;
    for (uint32_t i = 0; i < v->doc->definition_count; i++)
        if (v->doc->definitions[i].kind == GQL_OPERATION_DEFINITION)
            v->operation_count++;
}

void r_lone_anonymous_operation(vctx *v, const gql_definition *op)
{
    if (!op->has_name && v->operation_count > 1) {
        gql_error *e = v_error(v, "This anonymous operation must be the only defined operation.");
        v_loc(v, e, op->loc);
    }
}

/* ---- SingleFieldSubscriptions ------------------------------------------------ */

/* One response key of execution's collectFields. */
typedef struct sgroup {
    uint32_t key;            /* interned response key */
    gql_ptrvec fields;       /* gql_selection * */
} sgroup;

/* execution's shouldIncludeNode with no variables. graphql-js lets the
 * errors of getArgumentValues escape validate(); we report them and stop. */
static bool should_include(vctx *v, const gql_directive_node *dirs, uint32_t n)
{
    static const char *const names[2] = {"skip", "include"};
    for (int k = 0; k < 2; k++) {
        const gql_directive_node *d = NULL;
        for (uint32_t i = 0; i < n && !d; i++)
            if (v_name_eq(&dirs[i].name, names[k]))
                d = &dirs[i];
        if (!d)
            continue;
        gql_directive *def = gql_schema_directive(v->schema, names[k], strlen(names[k]));
        if (!def)
            continue;
        gql_val *args = gql_argument_values(&v->arena, def->args, def->arg_count, d->args, d->arg_count,
                                            d->loc, gql_val_object(&v->arena, 0), v->errs);
        if (!args)
            v_throw(v);
        gql_val *cond = gql_val_get(args, "if", 2);
        if (cond && cond->kind == GQL_V_BOOL && cond->u.b == (k == 0))
            return false;
    }
    return true;
}

static bool fragment_condition_matches(vctx *v, const gql_type_node *cond, const gql_type *runtime)
{
    if (!cond)
        return true;
    gql_type *t = gql_ti_type_from_ast(v->schema, &v->arena, cond);
    if (t == runtime)
        return true;
    if (t && gql_is_abstract_type(t))
        return gql_is_sub_type(t, runtime);
    return false;
}

/* reserveSelectionSetWork */
static void reserve_selection_set_work(vctx *v, const gql_selection_set *ss)
{
    v_spend_fragment_work(v, ss->count);
    for (uint32_t i = 0; i < ss->count; i++) {
        const gql_selection *s = &ss->items[i];
        v_spend_fragment_work(v, s->directive_count);
        for (uint32_t j = 0; j < s->directive_count; j++) {
            const gql_directive_node *d = &s->directives[j];
            if (v_name_eq(&d->name, "skip") || v_name_eq(&d->name, "include"))
                v_spend_fragment_work(v, d->arg_count);
        }
    }
}

typedef struct sframe {
    const gql_selection_set *ss;
    uint32_t i;
} sframe;

/* execution's collectFields, depth first without recursion. */
static void collect_subscription_fields(vctx *v, const gql_type *runtime, const gql_selection_set *root,
                                        gql_ptrvec *groups)
{
    vmap by_key = {0}, visited = {0};
    gql_ptrvec stack = {0};
    sframe *f = gql_arena_alloc(&v->arena, sizeof *f);
    f->ss = root;
    f->i = 0;
    reserve_selection_set_work(v, root);
    gql_ptrvec_push(&v->arena, &stack, f);
    while (stack.count > 0) {
        sframe *top = stack.items[stack.count - 1];
        if (top->i >= top->ss->count) {
            stack.count--;
            continue;
        }
        const gql_selection *s = &top->ss->items[top->i++];
        const gql_selection_set *next = NULL;
        if (s->kind == GQL_FIELD) {
            if (!should_include(v, s->directives, s->directive_count))
                continue;
            uint32_t key = v_intern_name(v, &s->alias);
            bool existed;
            void **slot = vmap_slot(v, &by_key, key, 0, &existed);
            if (!existed) {
                sgroup *g = gql_arena_calloc(&v->arena, sizeof *g);
                g->key = key;
                *slot = g;
                gql_ptrvec_push(&v->arena, groups, g);
            }
            sgroup *g = *slot;
            gql_ptrvec_push(&v->arena, &g->fields, (void *)s);
        } else if (s->kind == GQL_INLINE_FRAGMENT) {
            if (!should_include(v, s->directives, s->directive_count) ||
                !fragment_condition_matches(v, s->type_condition, runtime))
                continue;
            next = s->selection_set;
        } else {
            uint32_t id = v_intern_name(v, &s->name);
            if (vmap_get(&visited, id, 0) || !should_include(v, s->directives, s->directive_count))
                continue;
            vmap_set(v, &visited, id, 0, (void *)1);
            const gql_definition *frag = v_fragment(v, &s->name);
            if (!frag || !fragment_condition_matches(v, frag->type_condition, runtime))
                continue;
            next = frag->selection_set;
        }
        if (next) {
            reserve_selection_set_work(v, next);
            sframe *nf = gql_arena_alloc(&v->arena, sizeof *nf);
            nf->ss = next;
            nf->i = 0;
            gql_ptrvec_push(&v->arena, &stack, nf);
        }
    }
}

void r_single_field_subscriptions(vctx *v, const gql_definition *op)
{
    if (op->operation != GQL_OP_SUBSCRIPTION || !v->schema->subscription)
        return;
    if (!v->sub_fragments_built) {
        v->sub_fragments_built = true;
        v_spend_fragment_work(v, v->doc->definition_count);
    }
    gql_ptrvec groups = {0};
    collect_subscription_fields(v, v->schema->subscription, op->selection_set, &groups);
    const char *name = op->has_name ? op->name.value : NULL;
    if (groups.count > 1) {
        gql_error *e = name ? v_errorf(v, "Subscription \"%s\" must select only one top level field.", name)
                            : v_error(v, "Anonymous Subscription must select only one top level field.");
        for (uint32_t i = 1; i < groups.count; i++) {
            const sgroup *g = groups.items[i];
            for (uint32_t j = 0; j < g->fields.count; j++)
                v_loc(v, e, ((const gql_selection *)g->fields.items[j])->loc);
        }
    }
    for (uint32_t i = 0; i < groups.count; i++) {
        const sgroup *g = groups.items[i];
        const gql_selection *first = g->fields.items[0];
        if (first->name.len < 2 || memcmp(first->name.value, "__", 2) != 0)
            continue;
        gql_error *e =
            name ? v_errorf(v, "Subscription \"%s\" must not select an introspection top level field.", name)
                 : v_error(v, "Anonymous Subscription must not select an introspection top level field.");
        for (uint32_t j = 0; j < g->fields.count; j++)
            v_loc(v, e, ((const gql_selection *)g->fields.items[j])->loc);
    }
}

/* ---- fragments --------------------------------------------------------------- */

void r_fragments_on_composite_inline(vctx *v, const gql_selection *frag)
{
    if (!frag->type_condition)
        return;
    gql_type *t = gql_ti_type_from_ast(v->schema, &v->arena, frag->type_condition);
    if (t && !gql_is_composite_type(t)) {
        gql_error *e = v_errorf(v, "Fragment cannot condition on non composite type \"%s\".",
                                v_type_node_str(v, frag->type_condition));
        v_loc(v, e, frag->type_condition->loc);
    }
}

void r_fragments_on_composite_definition(vctx *v, const gql_definition *frag)
{
    gql_type *t = gql_ti_type_from_ast(v->schema, &v->arena, frag->type_condition);
    if (t && !gql_is_composite_type(t)) {
        gql_error *e = v_errorf(v, "Fragment \"%s\" cannot condition on non composite type \"%s\".",
                                frag->name.value, v_type_node_str(v, frag->type_condition));
        v_loc(v, e, frag->type_condition->loc);
    }
}

void r_unique_fragment_names(vctx *v, const gql_definition *frag)
{
    bool existed;
    void **slot = vmap_slot(v, &v->known_frag_names, v_intern_name(v, &frag->name), 0, &existed);
    if (existed) {
        const gql_name *first = *slot;
        gql_error *e = v_errorf(v, "There can be only one fragment named \"%s\".", frag->name.value);
        v_loc(v, e, first->loc);
        v_loc(v, e, frag->name.loc);
    } else {
        *slot = (void *)&frag->name;
    }
}

void r_known_fragment_names(vctx *v, const gql_selection *spread)
{
    if (!v_fragment(v, &spread->name)) {
        gql_error *e = v_errorf(v, "Unknown fragment \"%s\".", spread->name.value);
        v_loc(v, e, spread->name.loc);
    }
}

void r_no_unused_fragments_leave(vctx *v)
{
    const vfraglist *used = v_referenced_fragments(v, (const gql_definition *const *)v->unused_ops.items,
                                                   v->unused_ops.count);
    vmap names = {0};
    for (uint32_t i = 0; i < used->count; i++)
        vmap_set(v, &names, v_intern_name(v, &used->items[i]->name), 0, (void *)1);
    for (uint32_t i = 0; i < v->unused_frags.count; i++) {
        const gql_definition *f = v->unused_frags.items[i];
        if (vmap_get(&names, v_intern_name(v, &f->name), 0))
            continue;
        gql_error *e = v_errorf(v, "Fragment \"%s\" is never used.", f->name.value);
        v_loc(v, e, f->loc);
    }
}

void r_possible_fragment_spreads_inline(vctx *v, const gql_selection *frag)
{
    gql_type *frag_type = gql_ti_type(&v->ti);
    gql_type *parent = gql_ti_parent_type(&v->ti);
    if (frag_type && gql_is_composite_type(frag_type) && parent && gql_is_composite_type(parent) &&
        !gql_types_overlap(frag_type, parent)) {
        gql_error *e = v_errorf(v,
                                "Fragment cannot be spread here as objects of type \"%s\" can never be of type \"%s\".",
                                v_type_str(v, parent), v_type_str(v, frag_type));
        v_loc(v, e, frag->loc);
    }
}

void r_possible_fragment_spreads_spread(vctx *v, const gql_selection *spread)
{
    const gql_definition *frag = v_fragment(v, &spread->name);
    if (!frag)
        return;
    gql_type *frag_type = gql_ti_type_from_ast(v->schema, &v->arena, frag->type_condition);
    if (!frag_type || !gql_is_composite_type(frag_type))
        return;
    gql_type *parent = gql_ti_parent_type(&v->ti);
    if (parent && !gql_types_overlap(frag_type, parent)) {
        gql_error *e = v_errorf(
            v, "Fragment \"%s\" cannot be spread here as objects of type \"%s\" can never be of type \"%s\".",
            spread->name.value, v_type_str(v, parent), v_type_str(v, frag_type));
        v_loc(v, e, spread->loc);
    }
}

/* ---- NoFragmentCycles: graphql-js's recursive DFS, with an explicit stack ---- */

typedef struct cframe {
    uint32_t name;           /* interned fragment name */
    const vspreads *spreads;
    uint32_t i;
} cframe;

#define NOT_ON_PATH ((void *)0)
/* spreadPathIndexByName values are stored as index + 1 */

static void report_cycle(vctx *v, const gql_selection *spread, gql_ptrvec *path, uint32_t from)
{
    v->buf.len = 0;
    gql_buf_printf(&v->buf, "Cannot spread fragment \"%s\" within itself", spread->name.value);
    if (path->count - 1 > from) {
        gql_buf_puts(&v->buf, " via ");
        for (uint32_t i = from; i + 1 < path->count; i++) {
            if (i > from)
                gql_buf_puts(&v->buf, ", ");
            gql_buf_printf(&v->buf, "\"%s\"", ((const gql_selection *)path->items[i])->name.value);
        }
    }
    gql_buf_putc(&v->buf, '.');
    gql_error *e = v_error(v, gql_arena_strndup(&v->arena, v->buf.data, v->buf.len));
    for (uint32_t i = from; i < path->count; i++)
        v_loc(v, e, ((const gql_selection *)path->items[i])->loc);
}

/* Start a fragment's frame if it needs one (not visited, has spreads). */
static bool cycle_enter(vctx *v, vmap *index_by_name, gql_ptrvec *stack, gql_ptrvec *path,
                        const gql_definition *frag)
{
    uint32_t id = v_intern_name(v, &frag->name);
    bool existed;
    vmap_slot(v, &v->cycle_visited, id, 0, &existed);
    if (existed)
        return false;
    const vspreads *sp = v_fragment_spreads(v, frag->selection_set);
    if (sp->count == 0)
        return false;
    vmap_set(v, index_by_name, id, 0, (void *)(uintptr_t)(path->count + 1));
    cframe *f = gql_arena_alloc(&v->arena, sizeof *f);
    f->name = id;
    f->spreads = sp;
    f->i = 0;
    gql_ptrvec_push(&v->arena, stack, f);
    return true;
}

void r_no_fragment_cycles(vctx *v, const gql_definition *frag)
{
    vmap index_by_name = {0};
    gql_ptrvec stack = {0}, path = {0};
    if (!cycle_enter(v, &index_by_name, &stack, &path, frag))
        return;
    while (stack.count > 0) {
        cframe *f = stack.items[stack.count - 1];
        if (f->i >= f->spreads->count) {
            vmap_set(v, &index_by_name, f->name, 0, NOT_ON_PATH);
            stack.count--;
            if (stack.count > 0)
                path.count--;   /* the spread that led to this fragment */
            continue;
        }
        const gql_selection *spread = f->spreads->items[f->i++];
        uintptr_t cycle = (uintptr_t)vmap_get(&index_by_name, v_intern_name(v, &spread->name), 0);
        gql_ptrvec_push(&v->arena, &path, (void *)spread);
        if (cycle == 0) {
            const gql_definition *next = v_fragment(v, &spread->name);
            if (next && cycle_enter(v, &index_by_name, &stack, &path, next))
                continue;   /* the spread stays on the path while the fragment is explored */
        } else {
            report_cycle(v, spread, &path, (uint32_t)(cycle - 1));
        }
        path.count--;
    }
}
