/*
 * validate_variables.c: variable usages (ValidationContext.getVariableUsages
 * and getRecursiveVariableUsages, with their caches and fragment work) and
 * the rules about variables: VariablesAreInputTypes, UniqueVariableNames,
 * NoUndefinedVariables, NoUnusedVariables, VariablesInAllowedPosition.
 */
#include <string.h>
#include "coerce.h"
#include "validate_internal.h"

/* ---- usages: a walk of one definition with a fresh TypeInfo ------------------ */

typedef struct uwalk {
    vctx *v;
    gql_type_info ti;
    gql_ptrvec out;   /* vusage * */
} uwalk;

static void u_value(uwalk *w, const gql_value_node *n)
{
    switch (n->kind) {
    case GQL_VARIABLE: {
        vusage *u = gql_arena_alloc(&w->v->arena, sizeof *u);
        u->node = n;
        u->type = gql_ti_input_type(&w->ti);
        u->default_holder = gql_ti_default_holder(&w->ti);
        u->parent_type = gql_ti_parent_input_type(&w->ti);
        gql_ptrvec_push(&w->v->arena, &w->out, u);
        break;
    }
    case GQL_LIST_VALUE:
        gql_ti_enter_list(&w->ti);
        for (uint32_t i = 0; i < n->item_count; i++)
            u_value(w, n->items[i]);
        gql_ti_leave_input(&w->ti);
        break;
    case GQL_OBJECT_VALUE:
        for (uint32_t i = 0; i < n->field_count; i++) {
            gql_ti_enter_object_field(&w->ti, &n->fields[i]);
            u_value(w, n->fields[i].value);
            gql_ti_leave_input(&w->ti);
        }
        break;
    default:
        break;
    }
}

static void u_arguments(uwalk *w, const gql_argument *args, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        gql_ti_enter_argument(&w->ti, &args[i]);
        u_value(w, args[i].value);
        gql_ti_leave_argument(&w->ti);
    }
}

static void u_directives(uwalk *w, const gql_directive_node *d, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        gql_ti_enter_directive(&w->ti, &d[i]);
        u_arguments(w, d[i].args, d[i].arg_count);
        gql_ti_leave_directive(&w->ti);
    }
}

static void u_selection_set(uwalk *w, const gql_selection_set *ss)
{
    gql_ti_enter_selection_set(&w->ti);
    for (uint32_t i = 0; i < ss->count; i++) {
        const gql_selection *s = &ss->items[i];
        if (s->kind == GQL_FIELD) {
            gql_ti_enter_field(&w->ti, s);
            u_arguments(w, s->args, s->arg_count);
            u_directives(w, s->directives, s->directive_count);
            if (s->selection_set)
                u_selection_set(w, s->selection_set);
            gql_ti_leave_field(&w->ti);
        } else if (s->kind == GQL_INLINE_FRAGMENT) {
            gql_ti_enter_fragment(&w->ti, s->type_condition);
            u_directives(w, s->directives, s->directive_count);
            u_selection_set(w, s->selection_set);
            gql_ti_leave_typed(&w->ti);
        } else {
            u_directives(w, s->directives, s->directive_count);
        }
    }
    gql_ti_leave_selection_set(&w->ti);
}

const vusages *v_variable_usages(vctx *v, const gql_definition *def)
{
    bool existed;
    void **slot = vmap_slot(v, &v->usages, VKEY(def), 0, &existed);
    if (existed)
        return *slot;
    uwalk w = {.v = v};
    gql_type_info_init(&w.ti, v->schema, &v->arena);
    /* variable definitions are not visited (VariableDefinition: () => false) */
    if (def->kind == GQL_OPERATION_DEFINITION)
        gql_ti_enter_operation(&w.ti, def);
    else
        gql_ti_enter_fragment(&w.ti, def->type_condition);
    u_directives(&w, def->directives, def->directive_count);
    u_selection_set(&w, def->selection_set);
    vusages *r = gql_arena_alloc(&v->arena, sizeof *r);
    r->count = w.out.count;
    r->items = gql_arena_alloc(&v->arena, (r->count ? r->count : 1) * sizeof *r->items);
    for (uint32_t i = 0; i < r->count; i++)
        r->items[i] = *(vusage *)w.out.items[i];
    slot = vmap_slot(v, &v->usages, VKEY(def), 0, NULL);
    *slot = r;
    return r;
}

const vusages *v_recursive_variable_usages(vctx *v, const gql_definition *op)
{
    const vusages *cached = vmap_get(&v->rec_usages, VKEY(op), 0);
    if (cached)
        return cached;
    vfraglist *frags = (vfraglist *)v_referenced_fragments(v, &op, 1);
    if (!frags->usages) {
        v_spend_fragment_work(v, frags->count);
        gql_ptrvec all = {0};
        for (uint32_t i = 0; i < frags->count; i++) {
            const vusages *local = v_variable_usages(v, frags->items[i]);
            v_spend_fragment_work(v, local->count);
            for (uint32_t j = 0; j < local->count; j++)
                gql_ptrvec_push(&v->arena, &all, &local->items[j]);
        }
        vusages *fu = gql_arena_alloc(&v->arena, sizeof *fu);
        fu->count = all.count;
        fu->items = gql_arena_alloc(&v->arena, (all.count ? all.count : 1) * sizeof *fu->items);
        for (uint32_t i = 0; i < all.count; i++)
            fu->items[i] = *(vusage *)all.items[i];
        frags->usages = fu;
    }
    v_spend_fragment_work(v, frags->usages->count);
    const vusages *own = v_variable_usages(v, op);
    vusages *r = gql_arena_alloc(&v->arena, sizeof *r);
    r->count = own->count + frags->usages->count;
    r->items = gql_arena_alloc(&v->arena, (r->count ? r->count : 1) * sizeof *r->items);
    if (own->count)
        memcpy(r->items, own->items, own->count * sizeof *r->items);
    if (frags->usages->count)
        memcpy(r->items + own->count, frags->usages->items, frags->usages->count * sizeof *r->items);
    vmap_set(v, &v->rec_usages, VKEY(op), 0, r);
    return r;
}

/* ---- VariablesAreInputTypes ------------------------------------------------ */

void r_variables_are_input_types(vctx *v, const gql_variable_definition *vd)
{
    gql_type *t = gql_ti_type_from_ast(v->schema, &v->arena, vd->type);
    if (t && !gql_is_input_type(t)) {
        gql_error *e = v_errorf(v, "Variable \"$%s\" cannot be non-input type \"%s\".", vd->variable->name.value,
                                v_type_node_str(v, vd->type));
        v_loc(v, e, vd->type->loc);
    }
}

/* ---- UniqueVariableNames ------------------------------------------------------ */

void r_unique_variable_names(vctx *v, const gql_definition *op)
{
    /* groupBy: groups in order of first appearance */
    vmap groups = {0};
    gql_ptrvec order = {0};
    for (uint32_t i = 0; i < op->variable_count; i++) {
        const gql_name *n = &op->variables[i].variable->name;
        bool existed;
        void **slot = vmap_slot(v, &groups, v_intern_name(v, n), 0, &existed);
        if (!existed) {
            *slot = gql_arena_calloc(&v->arena, sizeof(gql_ptrvec));
            gql_ptrvec_push(&v->arena, &order, *slot);
        }
        gql_ptrvec_push(&v->arena, (gql_ptrvec *)*slot, (void *)n);
    }
    for (uint32_t i = 0; i < order.count; i++) {
        const gql_ptrvec *g = order.items[i];
        if (g->count < 2)
            continue;
        const gql_name *first = g->items[0];
        gql_error *e = v_errorf(v, "There can be only one variable named \"$%s\".", first->value);
        for (uint32_t j = 0; j < g->count; j++)
            v_loc(v, e, ((const gql_name *)g->items[j])->loc);
    }
}

/* ---- NoUndefinedVariables ----------------------------------------------------- */

void r_no_undefined_variables_def(vctx *v, const gql_variable_definition *vd)
{
    vmap_set(v, &v->var_defined, VKEY(v->cur_op), v_intern_name(v, &vd->variable->name), (void *)1);
}

void r_no_undefined_variables_leave(vctx *v, const gql_definition *op)
{
    const vusages *us = v_recursive_variable_usages(v, op);
    for (uint32_t i = 0; i < us->count; i++) {
        const gql_value_node *n = us->items[i].node;
        if (vmap_get(&v->var_defined, VKEY(op), v_intern_name(v, &n->name)))
            continue;
        gql_error *e = op->has_name
                           ? v_errorf(v, "Variable \"$%s\" is not defined by operation \"%s\".", n->name.value,
                                      op->name.value)
                           : v_errorf(v, "Variable \"$%s\" is not defined.", n->name.value);
        v_loc(v, e, n->loc);
        v_loc(v, e, op->loc);
    }
}

/* ---- NoUnusedVariables ------------------------------------------------------- */

void r_no_unused_variables_enter(vctx *v)
{
    v->var_defs.count = 0;
}

void r_no_unused_variables_def(vctx *v, const gql_variable_definition *vd)
{
    gql_ptrvec_push(&v->arena, &v->var_defs, (void *)vd);
}

void r_no_unused_variables_leave(vctx *v, const gql_definition *op)
{
    vmap used = {0};
    const vusages *us = v_recursive_variable_usages(v, op);
    for (uint32_t i = 0; i < us->count; i++)
        vmap_set(v, &used, v_intern_name(v, &us->items[i].node->name), 0, (void *)1);
    for (uint32_t i = 0; i < v->var_defs.count; i++) {
        const gql_variable_definition *vd = v->var_defs.items[i];
        const gql_name *n = &vd->variable->name;
        if (vmap_get(&used, v_intern_name(v, n), 0))
            continue;
        gql_error *e = op->has_name
                           ? v_errorf(v, "Variable \"$%s\" is never used in operation \"%s\".", n->value,
                                      op->name.value)
                           : v_errorf(v, "Variable \"$%s\" is never used.", n->value);
        v_loc(v, e, vd->loc);
    }
}

/* ---- VariablesInAllowedPosition ---------------------------------------------- */

void r_variables_in_allowed_position_def(vctx *v, const gql_variable_definition *vd)
{
    vmap_set(v, &v->var_def_map, VKEY(v->cur_op), v_intern_name(v, &vd->variable->name), (void *)vd);
}

/* `defaultValue !== undefined` for an argument or input field: graphql-js keeps
 * valueFromAST of the SDL default, which is undefined when it does not coerce. */
static bool has_default(vctx *v, const gql_input_value *holder)
{
    if (!holder || !holder->default_value)
        return false;
    bool absent = false;
    return gql_value_from_ast(&v->arena, holder->default_value, holder->type, NULL, &absent) != NULL;
}

static bool allowed_usage(vctx *v, gql_type *var_type, const gql_value_node *var_default, gql_type *loc_type,
                          const gql_input_value *loc_default)
{
    if (loc_type->kind == GQL_T_NON_NULL && var_type->kind != GQL_T_NON_NULL) {
        bool var_has_default = var_default && var_default->kind != GQL_NULL_VALUE;
        if (!var_has_default && !has_default(v, loc_default))
            return false;
        return gql_is_type_sub_type_of(var_type, loc_type->of_type);
    }
    return gql_is_type_sub_type_of(var_type, loc_type);
}

void r_variables_in_allowed_position_leave(vctx *v, const gql_definition *op)
{
    const vusages *us = v_recursive_variable_usages(v, op);
    for (uint32_t i = 0; i < us->count; i++) {
        const vusage *u = &us->items[i];
        const gql_variable_definition *vd =
            vmap_get(&v->var_def_map, VKEY(op), v_intern_name(v, &u->node->name));
        if (!vd || !u->type)
            continue;
        gql_type *var_type = gql_ti_type_from_ast(v->schema, &v->arena, vd->type);
        if (var_type && !allowed_usage(v, var_type, vd->default_value, u->type, u->default_holder)) {
            gql_error *e = v_errorf(v, "Variable \"$%s\" of type \"%s\" used in position expecting type \"%s\".",
                                    u->node->name.value, v_type_str(v, var_type), v_type_str(v, u->type));
            v_loc(v, e, vd->loc);
            v_loc(v, e, u->node->loc);
        }
        if (u->parent_type && u->parent_type->kind == GQL_T_INPUT_OBJECT && u->parent_type->one_of &&
            var_type && var_type->kind != GQL_T_NON_NULL) {
            gql_error *e = v_errorf(
                v, "Variable \"$%s\" is of type \"%s\" but must be non-nullable to be used for OneOf Input Object \"%s\".",
                u->node->name.value, v_type_str(v, var_type), v_type_str(v, u->parent_type));
            v_loc(v, e, vd->loc);
            v_loc(v, e, u->node->loc);
        }
    }
}
