/*
 * validate.c: gql_validate: one walk over the whole document (type system
 * definitions included, descriptions excluded, as graphql-js's validate()
 * visits it) with a TypeInfo, calling at each node every rule that handles
 * the node's kind in specifiedRules order, enter handlers top-down and leave
 * handlers bottom-up, with visitInParallel's per-rule subtree skipping.
 * Also the error limit and the ValidationContext helpers about fragments.
 */
#include "validate.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "validate_internal.h"

#define DEFAULT_MAX_ERRORS 100
#define FRAGMENT_WORK_BUDGET 50000

/* ---- errors ---------------------------------------------------------------- */

gql_error *v_error(vctx *v, const char *msg)
{
    if (v->added >= v->max_errors) {
        gql_errors_add_msg(v->errs, "Too many validation errors, error limit reached. Validation aborted.");
        longjmp(v->abort, 1);
    }
    v->added++;
    return gql_errors_add_msg(v->errs, msg);
}

gql_error *v_errorf(vctx *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    v->buf.len = 0;
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    gql_buf_reserve(&v->buf, (size_t)n + 1);
    vsnprintf(v->buf.data, (size_t)n + 1, fmt, ap);
    va_end(ap);
    v->buf.len = (size_t)n;
    char *msg = gql_arena_strndup(&v->arena, v->buf.data, v->buf.len);
    return v_error(v, msg);
}

void v_loc(vctx *v, gql_error *e, gql_loc loc)
{
    gql_error_add_loc(v->errs, e, loc);
}

_Noreturn void v_abort(vctx *v)
{
    gql_errors_add_msg(v->errs, "Validation aborted.");
    longjmp(v->abort, 1);
}

_Noreturn void v_throw(vctx *v)
{
    longjmp(v->abort, 1);
}

void v_spend_fragment_work(vctx *v, int64_t cost)
{
    v->fragment_work -= cost;
    if (v->fragment_work < 0)
        v_abort(v);
}

/* ---- ValidationContext: fragments ------------------------------------------ */

const gql_definition *v_fragment(vctx *v, const gql_name *name)
{
    return vmap_get(&v->fragments, v_intern_name(v, name), 0);
}

/* getFragmentSpreads: note the stack, which makes the order differ from the
 * document order when spreads sit in nested selection sets. */
const vspreads *v_fragment_spreads(vctx *v, const gql_selection_set *root)
{
    bool existed;
    void **slot = vmap_slot(v, &v->spreads, VKEY(root), 0, &existed);
    if (existed)
        return *slot;
    gql_ptrvec out = {0}, stack = {0};
    gql_ptrvec_push(&v->arena, &stack, (void *)root);
    while (stack.count > 0) {
        const gql_selection_set *ss = stack.items[--stack.count];
        for (uint32_t i = 0; i < ss->count; i++) {
            const gql_selection *s = &ss->items[i];
            if (s->kind == GQL_FRAGMENT_SPREAD)
                gql_ptrvec_push(&v->arena, &out, (void *)s);
            else if (s->selection_set)
                gql_ptrvec_push(&v->arena, &stack, s->selection_set);
        }
    }
    vspreads *r = gql_arena_alloc(&v->arena, sizeof *r);
    r->items = (const gql_selection **)out.items;
    r->count = out.count;
    slot = vmap_slot(v, &v->spreads, VKEY(root), 0, NULL);
    *slot = r;
    return r;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* getRecursivelyReferencedFragmentsForOperations, cached by the set of the
 * operations' spread names as graphql-js's SetMap does. */
const vfraglist *v_referenced_fragments(vctx *v, const gql_definition *const *ops, uint32_t n)
{
    /* the ordered set of spread names (ids) */
    vmap seen = {0};
    uint32_t *names = NULL;
    uint32_t count = 0, cap = 0;
    for (uint32_t i = 0; i < n; i++) {
        const vspreads *sp = v_fragment_spreads(v, ops[i]->selection_set);
        for (uint32_t j = 0; j < sp->count; j++) {
            uint32_t id = v_intern_name(v, &sp->items[j]->name);
            bool existed;
            vmap_slot(v, &seen, id, 0, &existed);
            if (existed)
                continue;
            if (count == cap) {
                uint32_t ncap = cap ? cap * 2 : 16;
                names = gql_arena_grow(&v->arena, names, cap, ncap, sizeof *names);
                cap = ncap;
            }
            names[count++] = id;
        }
    }
    /* the set's key: its sorted ids */
    uint32_t *sorted = gql_arena_alloc(&v->arena, (count ? count : 1) * sizeof *sorted);
    if (count)
        memcpy(sorted, names, count * sizeof *sorted);
    qsort(sorted, count, sizeof *sorted, cmp_u32);
    uint32_t key = v_intern(v, (const char *)sorted, count * (uint32_t)sizeof *sorted);
    bool existed;
    void **slot = vmap_slot(v, &v->ref_frags, key, 0, &existed);
    if (existed)
        return *slot;

    v_spend_fragment_work(v, count);
    gql_ptrvec frags = {0};
    for (uint32_t i = 0; i < count; i++) {   /* count grows while iterating */
        const gql_definition *f = vmap_get(&v->fragments, names[i], 0);
        if (!f)
            continue;
        gql_ptrvec_push(&v->arena, &frags, (void *)f);
        const vspreads *sp = v_fragment_spreads(v, f->selection_set);
        v_spend_fragment_work(v, sp->count);
        for (uint32_t j = 0; j < sp->count; j++) {
            uint32_t id = v_intern_name(v, &sp->items[j]->name);
            bool had;
            vmap_slot(v, &seen, id, 0, &had);
            if (had)
                continue;
            if (count == cap) {
                uint32_t ncap = cap ? cap * 2 : 16;
                names = gql_arena_grow(&v->arena, names, cap, ncap, sizeof *names);
                cap = ncap;
            }
            names[count++] = id;
        }
    }
    vfraglist *r = gql_arena_calloc(&v->arena, sizeof *r);
    r->items = (const gql_definition **)frags.items;
    r->count = frags.count;
    slot = vmap_slot(v, &v->ref_frags, key, 0, NULL);
    *slot = r;
    return r;
}

/* ---- the walk -------------------------------------------------------------- */

/* Call a rule's handler unless the rule skips this subtree. */
#define ON(r, call)              \
    do {                         \
        if (!v->skip[r])         \
            call;                \
    } while (0)
/* Same for a handler that may ask to skip the node's subtree (graphql-js's "return false"). */
#define ON_SKIP(r, call, node)        \
    do {                              \
        if (!v->skip[r] && (call))    \
            v->skip[r] = (node);      \
    } while (0)

/* Leaving a node: the rules that skipped its subtree resume. */
static void leave_node(vctx *v, const void *node)
{
    for (int r = 0; r < R_COUNT; r++)
        if (v->skip[r] == node)
            v->skip[r] = NULL;
}

static void walk_value(vctx *v, const gql_value_node *n);
static void walk_selection_set(vctx *v, const gql_selection_set *ss, gql_kind parent_kind);

static void walk_type(vctx *v, const gql_type_node *t)
{
    while (t && t->kind != GQL_NAMED_TYPE)
        t = t->of;
    if (t)
        ON(R_KNOWN_TYPE_NAMES, r_known_type_names(v, t));
}

static void walk_object_field(vctx *v, const gql_object_field *f)
{
    gql_ti_enter_object_field(&v->ti, f);
    ON(R_VALUES_OF_CORRECT_TYPE, r_values_object_field(v, f));
    ON(R_UNIQUE_INPUT_FIELD_NAMES, r_unique_input_fields_field(v, f));
    walk_value(v, f->value);
    gql_ti_leave_input(&v->ti);
}

static void walk_value(vctx *v, const gql_value_node *n)
{
    switch (n->kind) {
    case GQL_VARIABLE:
        break;   /* no rule visits variables: usages are collected per definition */
    case GQL_NULL_VALUE:
        ON(R_VALUES_OF_CORRECT_TYPE, r_values_null(v, n));
        break;
    case GQL_ENUM_VALUE:
        gql_ti_enter_enum(&v->ti, n);
        ON(R_VALUES_OF_CORRECT_TYPE, r_values_scalar(v, n));
        gql_ti_leave_enum(&v->ti);
        break;
    case GQL_LIST_VALUE:
        gql_ti_enter_list(&v->ti);
        ON_SKIP(R_VALUES_OF_CORRECT_TYPE, r_values_list(v, n), n);
        for (uint32_t i = 0; i < n->item_count; i++)
            walk_value(v, n->items[i]);
        leave_node(v, n);
        gql_ti_leave_input(&v->ti);
        break;
    case GQL_OBJECT_VALUE:
        ON_SKIP(R_VALUES_OF_CORRECT_TYPE, r_values_object(v, n), n);
        ON(R_UNIQUE_INPUT_FIELD_NAMES, r_unique_input_fields_enter(v, n));
        for (uint32_t i = 0; i < n->field_count; i++)
            walk_object_field(v, &n->fields[i]);
        ON(R_UNIQUE_INPUT_FIELD_NAMES, r_unique_input_fields_leave(v));
        leave_node(v, n);
        break;
    default:   /* INT, FLOAT, STRING, BOOLEAN */
        ON(R_VALUES_OF_CORRECT_TYPE, r_values_scalar(v, n));
        break;
    }
}

static void walk_argument(vctx *v, const gql_argument *a)
{
    gql_ti_enter_argument(&v->ti, a);
    ON(R_KNOWN_ARGUMENT_NAMES, r_known_argument_names_field(v, a));
    walk_value(v, a->value);
    gql_ti_leave_argument(&v->ti);
}

static void walk_directives(vctx *v, const gql_directive_node *dirs, uint32_t n, gql_directive_location loc)
{
    for (uint32_t i = 0; i < n; i++) {
        const gql_directive_node *d = &dirs[i];
        gql_ti_enter_directive(&v->ti, d);
        ON(R_KNOWN_DIRECTIVES, r_known_directives(v, d, loc));
        ON_SKIP(R_KNOWN_ARGUMENT_NAMES, (r_known_argument_names_directive(v, d), true), d);
        ON(R_UNIQUE_ARGUMENT_NAMES, r_unique_argument_names(v, d->args, d->arg_count));
        for (uint32_t j = 0; j < d->arg_count; j++)
            walk_argument(v, &d->args[j]);
        ON(R_PROVIDED_REQUIRED_ARGUMENTS, r_provided_required_arguments_directive(v, d));
        leave_node(v, d);
        gql_ti_leave_directive(&v->ti);
    }
}

static void walk_field(vctx *v, const gql_selection *f)
{
    gql_ti_enter_field(&v->ti, f);
    ON(R_SCALAR_LEAFS, r_scalar_leafs(v, f));
    ON(R_FIELDS_ON_CORRECT_TYPE, r_fields_on_correct_type(v, f));
    ON(R_UNIQUE_DIRECTIVES_PER_LOCATION, r_unique_directives(v, GQL_FIELD, NULL, f->directives, f->directive_count));
    ON(R_UNIQUE_ARGUMENT_NAMES, r_unique_argument_names(v, f->args, f->arg_count));
    ON_SKIP(R_MAX_INTROSPECTION_DEPTH, r_max_introspection_depth(v, f), f);
    for (uint32_t i = 0; i < f->arg_count; i++)
        walk_argument(v, &f->args[i]);
    walk_directives(v, f->directives, f->directive_count, GQL_DL_FIELD);
    if (f->selection_set)
        walk_selection_set(v, f->selection_set, GQL_FIELD);
    ON(R_PROVIDED_REQUIRED_ARGUMENTS, r_provided_required_arguments_field(v, f));
    leave_node(v, f);
    gql_ti_leave_field(&v->ti);
}

static void walk_inline_fragment(vctx *v, const gql_selection *f)
{
    gql_ti_enter_fragment(&v->ti, f->type_condition);
    ON(R_FRAGMENTS_ON_COMPOSITE_TYPES, r_fragments_on_composite_inline(v, f));
    ON(R_POSSIBLE_FRAGMENT_SPREADS, r_possible_fragment_spreads_inline(v, f));
    ON(R_UNIQUE_DIRECTIVES_PER_LOCATION,
       r_unique_directives(v, GQL_INLINE_FRAGMENT, NULL, f->directives, f->directive_count));
    if (f->type_condition)
        walk_type(v, f->type_condition);
    walk_directives(v, f->directives, f->directive_count, GQL_DL_INLINE_FRAGMENT);
    walk_selection_set(v, f->selection_set, GQL_INLINE_FRAGMENT);
    gql_ti_leave_typed(&v->ti);
}

static void walk_fragment_spread(vctx *v, const gql_selection *s)
{
    ON(R_KNOWN_FRAGMENT_NAMES, r_known_fragment_names(v, s));
    ON(R_POSSIBLE_FRAGMENT_SPREADS, r_possible_fragment_spreads_spread(v, s));
    ON(R_UNIQUE_DIRECTIVES_PER_LOCATION,
       r_unique_directives(v, GQL_FRAGMENT_SPREAD, NULL, s->directives, s->directive_count));
    walk_directives(v, s->directives, s->directive_count, GQL_DL_FRAGMENT_SPREAD);
}

static void walk_selection_set(vctx *v, const gql_selection_set *ss, gql_kind parent_kind)
{
    gql_ti_enter_selection_set(&v->ti);
    ON(R_OVERLAPPING_FIELDS_CAN_BE_MERGED, r_overlapping_fields(v, ss, parent_kind));
    for (uint32_t i = 0; i < ss->count; i++) {
        const gql_selection *s = &ss->items[i];
        if (s->kind == GQL_FIELD)
            walk_field(v, s);
        else if (s->kind == GQL_INLINE_FRAGMENT)
            walk_inline_fragment(v, s);
        else
            walk_fragment_spread(v, s);
    }
    gql_ti_leave_selection_set(&v->ti);
}

static void walk_variable_definition(vctx *v, const gql_variable_definition *vd)
{
    gql_ti_enter_variable_definition(&v->ti, vd);
    ON(R_VARIABLES_ARE_INPUT_TYPES, r_variables_are_input_types(v, vd));
    ON(R_NO_UNDEFINED_VARIABLES, r_no_undefined_variables_def(v, vd));
    ON(R_NO_UNUSED_VARIABLES, r_no_unused_variables_def(v, vd));
    ON(R_UNIQUE_DIRECTIVES_PER_LOCATION,
       r_unique_directives(v, GQL_VARIABLE_DEFINITION, NULL, vd->directives, vd->directive_count));
    ON(R_VARIABLES_IN_ALLOWED_POSITION, r_variables_in_allowed_position_def(v, vd));
    walk_type(v, vd->type);
    if (vd->default_value)
        walk_value(v, vd->default_value);
    walk_directives(v, vd->directives, vd->directive_count, GQL_DL_VARIABLE_DEFINITION);
    gql_ti_leave_variable_definition(&v->ti);
}

static void walk_operation(vctx *v, const gql_definition *op)
{
    v->cur_op = op;
    gql_ti_enter_operation(&v->ti, op);
    ON_SKIP(R_UNIQUE_OPERATION_NAMES, (r_unique_operation_names(v, op), true), op);
    ON(R_LONE_ANONYMOUS_OPERATION, r_lone_anonymous_operation(v, op));
    ON(R_SINGLE_FIELD_SUBSCRIPTIONS, r_single_field_subscriptions(v, op));
    ON_SKIP(R_UNIQUE_FRAGMENT_NAMES, true, op);
    ON_SKIP(R_NO_UNUSED_FRAGMENTS, (gql_ptrvec_push(&v->arena, &v->unused_ops, (void *)op), true), op);
    ON_SKIP(R_NO_FRAGMENT_CYCLES, true, op);
    ON(R_UNIQUE_VARIABLE_NAMES, r_unique_variable_names(v, op));
    ON(R_NO_UNUSED_VARIABLES, r_no_unused_variables_enter(v));
    ON(R_UNIQUE_DIRECTIVES_PER_LOCATION,
       r_unique_directives(v, GQL_OPERATION_DEFINITION, NULL, op->directives, op->directive_count));
    for (uint32_t i = 0; i < op->variable_count; i++)
        walk_variable_definition(v, &op->variables[i]);
    gql_directive_location loc = op->operation == GQL_OP_QUERY ? GQL_DL_QUERY
                               : op->operation == GQL_OP_MUTATION ? GQL_DL_MUTATION
                               : GQL_DL_SUBSCRIPTION;
    walk_directives(v, op->directives, op->directive_count, loc);
    walk_selection_set(v, op->selection_set, GQL_OPERATION_DEFINITION);
    ON(R_NO_UNDEFINED_VARIABLES, r_no_undefined_variables_leave(v, op));
    ON(R_NO_UNUSED_VARIABLES, r_no_unused_variables_leave(v, op));
    ON(R_VARIABLES_IN_ALLOWED_POSITION, r_variables_in_allowed_position_leave(v, op));
    leave_node(v, op);
    gql_ti_leave_typed(&v->ti);
}

static void walk_fragment_definition(vctx *v, const gql_definition *f)
{
    gql_ti_enter_fragment(&v->ti, f->type_condition);
    ON_SKIP(R_UNIQUE_OPERATION_NAMES, true, f);
    ON(R_FRAGMENTS_ON_COMPOSITE_TYPES, r_fragments_on_composite_definition(v, f));
    ON_SKIP(R_UNIQUE_FRAGMENT_NAMES, (r_unique_fragment_names(v, f), true), f);
    ON_SKIP(R_NO_UNUSED_FRAGMENTS, (gql_ptrvec_push(&v->arena, &v->unused_frags, (void *)f), true), f);
    ON_SKIP(R_NO_FRAGMENT_CYCLES, (r_no_fragment_cycles(v, f), true), f);
    ON(R_UNIQUE_DIRECTIVES_PER_LOCATION,
       r_unique_directives(v, GQL_FRAGMENT_DEFINITION, NULL, f->directives, f->directive_count));
    for (uint32_t i = 0; i < f->variable_count; i++)   /* legacy fragment variables */
        walk_variable_definition(v, &f->variables[i]);
    walk_type(v, f->type_condition);
    walk_directives(v, f->directives, f->directive_count, GQL_DL_FRAGMENT_DEFINITION);
    walk_selection_set(v, f->selection_set, GQL_FRAGMENT_DEFINITION);
    leave_node(v, f);
    gql_ti_leave_typed(&v->ti);
}

/* ---- type system definitions (not executable, but graphql-js visits them) -- */

static void walk_input_value_defs(vctx *v, const gql_input_value_def *ivs, uint32_t n, bool input_fields)
{
    for (uint32_t i = 0; i < n; i++) {
        const gql_input_value_def *iv = &ivs[i];
        ON(R_UNIQUE_DIRECTIVES_PER_LOCATION,
           r_unique_directives(v, GQL_INPUT_VALUE_DEFINITION, NULL, iv->directives, iv->directive_count));
        walk_type(v, iv->type);
        if (iv->default_value)
            walk_value(v, iv->default_value);
        walk_directives(v, iv->directives, iv->directive_count,
                        input_fields ? GQL_DL_INPUT_FIELD_DEFINITION : GQL_DL_ARGUMENT_DEFINITION);
    }
}

static gql_directive_location sdl_location(gql_kind k)
{
    switch (k) {
    case GQL_SCHEMA_DEFINITION: case GQL_SCHEMA_EXTENSION: return GQL_DL_SCHEMA;
    case GQL_SCALAR_TYPE_DEFINITION: case GQL_SCALAR_TYPE_EXTENSION: return GQL_DL_SCALAR;
    case GQL_OBJECT_TYPE_DEFINITION: case GQL_OBJECT_TYPE_EXTENSION: return GQL_DL_OBJECT;
    case GQL_INTERFACE_TYPE_DEFINITION: case GQL_INTERFACE_TYPE_EXTENSION: return GQL_DL_INTERFACE;
    case GQL_UNION_TYPE_DEFINITION: case GQL_UNION_TYPE_EXTENSION: return GQL_DL_UNION;
    case GQL_ENUM_TYPE_DEFINITION: case GQL_ENUM_TYPE_EXTENSION: return GQL_DL_ENUM;
    default: return GQL_DL_INPUT_OBJECT;
    }
}

static void walk_type_system(vctx *v, const gql_definition *d)
{
    if (d->kind == GQL_DIRECTIVE_DEFINITION) {
        /* description, name, arguments, locations: no directives of its own */
        walk_input_value_defs(v, d->args, d->arg_count, false);
        return;
    }
    bool schema = d->kind == GQL_SCHEMA_DEFINITION || d->kind == GQL_SCHEMA_EXTENSION;
    ON(R_UNIQUE_DIRECTIVES_PER_LOCATION,
       r_unique_directives(v, d->kind, schema ? NULL : &d->name, d->directives, d->directive_count));
    if (schema) {
        walk_directives(v, d->directives, d->directive_count, GQL_DL_SCHEMA);
        for (uint32_t i = 0; i < d->operation_type_count; i++)
            walk_type(v, d->operation_types[i].type);
        return;
    }
    /* interfaces come before directives; union members after them */
    for (uint32_t i = 0; i < d->interface_count; i++)
        walk_type(v, d->interfaces[i]);
    walk_directives(v, d->directives, d->directive_count, sdl_location(d->kind));
    for (uint32_t i = 0; i < d->type_count; i++)
        walk_type(v, d->types[i]);
    for (uint32_t i = 0; i < d->field_count; i++) {
        const gql_field_def *f = &d->fields[i];
        ON(R_UNIQUE_DIRECTIVES_PER_LOCATION,
           r_unique_directives(v, GQL_FIELD_DEFINITION, NULL, f->directives, f->directive_count));
        walk_input_value_defs(v, f->args, f->arg_count, false);
        walk_type(v, f->type);
        walk_directives(v, f->directives, f->directive_count, GQL_DL_FIELD_DEFINITION);
    }
    for (uint32_t i = 0; i < d->value_count; i++) {
        const gql_enum_value_def *ev = &d->values[i];
        ON(R_UNIQUE_DIRECTIVES_PER_LOCATION,
           r_unique_directives(v, GQL_ENUM_VALUE_DEFINITION, NULL, ev->directives, ev->directive_count));
        walk_directives(v, ev->directives, ev->directive_count, GQL_DL_ENUM_VALUE);
    }
    /* graphql-js calls input fields of an input object *extension* ARGUMENT_DEFINITION */
    walk_input_value_defs(v, d->input_fields, d->input_field_count,
                          d->kind == GQL_INPUT_OBJECT_TYPE_DEFINITION);
}

static void walk_document(vctx *v)
{
    const gql_document *doc = v->doc;
    ON_SKIP(R_EXECUTABLE_DEFINITIONS, (r_executable_definitions(v), true), doc);
    ON(R_LONE_ANONYMOUS_OPERATION, r_lone_anonymous_document(v));
    for (uint32_t i = 0; i < doc->definition_count; i++) {
        const gql_definition *d = &doc->definitions[i];
        v->cur_def = d;
        if (d->kind == GQL_OPERATION_DEFINITION)
            walk_operation(v, d);
        else if (d->kind == GQL_FRAGMENT_DEFINITION)
            walk_fragment_definition(v, d);
        else
            walk_type_system(v, d);
    }
    v->cur_def = NULL;
    ON(R_NO_UNUSED_FRAGMENTS, r_no_unused_fragments_leave(v));
    leave_node(v, doc);
}

/* ---- entry ----------------------------------------------------------------- */

static void index_document(vctx *v)
{
    for (uint32_t i = 0; i < v->doc->definition_count; i++) {
        const gql_definition *d = &v->doc->definitions[i];
        if (d->kind == GQL_FRAGMENT_DEFINITION)   /* the last of a name wins */
            vmap_set(v, &v->fragments, v_intern_name(v, &d->name), 0, (void *)d);
        else if (d->kind == GQL_DIRECTIVE_DEFINITION)
            vmap_set(v, &v->doc_directives, v_intern_name(v, &d->name), 0, (void *)d);
        else if (gql_kind_is_type_system(d->kind) && !gql_kind_is_type_extension(d->kind) &&
                 d->kind != GQL_SCHEMA_DEFINITION)   /* isTypeDefinitionNode */
            vmap_set(v, &v->defined_types, v_intern_name(v, &d->name), 0, (void *)d);
    }
}

uint32_t gql_validate(gql_schema *schema, const gql_document *doc, const gql_validate_options *opts,
                      gql_errors *errs)
{
    uint32_t before = errs->count;
    vctx *v = calloc(1, sizeof *v);
    if (!v)
        abort();   /* out of memory: not a user error */
    v->schema = schema;
    v->doc = doc;
    v->errs = errs;
    v->max_errors = opts && opts->max_errors ? opts->max_errors : DEFAULT_MAX_ERRORS;
    v->fragment_work = FRAGMENT_WORK_BUDGET;
    gql_arena_init(&v->arena, 64 * 1024);
    gql_buf_init(&v->buf);
    gql_type_info_init(&v->ti, schema, &v->arena);
    if (setjmp(v->abort) == 0) {
        index_document(v);
        walk_document(v);
    }
    gql_buf_free(&v->buf);
    gql_arena_free(&v->arena);
    free(v);
    return errs->count - before;
}
