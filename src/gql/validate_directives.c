/*
 * validate_directives.c: the rules about directives and arguments:
 * KnownDirectives, UniqueDirectivesPerLocation, KnownArgumentNames (fields
 * and directives), UniqueArgumentNames and ProvidedRequiredArguments (fields
 * and directives). Directive definitions in the document override the
 * schema's, as in graphql-js.
 */
#include <string.h>
#include "validate_internal.h"

static const gql_definition *doc_directive(vctx *v, const gql_name *name)
{
    return vmap_get(&v->doc_directives, v_intern_name(v, name), 0);
}

/* ---- KnownDirectives ---------------------------------------------------------- */

void r_known_directives(vctx *v, const gql_directive_node *d, gql_directive_location loc)
{
    const char *where = gql_directive_location_name(loc);
    const gql_definition *def = doc_directive(v, &d->name);
    bool allowed = false;
    if (def) {
        for (uint32_t i = 0; i < def->location_count && !allowed; i++)
            allowed = v_name_eq(&def->locations[i], where);
    } else {
        gql_directive *sd = gql_schema_directive(v->schema, d->name.value, d->name.len);
        if (!sd) {
            gql_error *e = v_errorf(v, "Unknown directive \"@%s\".", d->name.value);
            v_loc(v, e, d->loc);
            return;
        }
        allowed = (sd->locations & (1u << loc)) != 0;
    }
    if (!allowed) {
        gql_error *e = v_errorf(v, "Directive \"@%s\" may not be used on %s.", d->name.value, where);
        v_loc(v, e, d->loc);
    }
}

/* ---- UniqueDirectivesPerLocation ---------------------------------------------- */

static bool is_type_def_or_ext(gql_kind k)
{
    switch (k) {
    case GQL_SCALAR_TYPE_DEFINITION: case GQL_OBJECT_TYPE_DEFINITION: case GQL_INTERFACE_TYPE_DEFINITION:
    case GQL_UNION_TYPE_DEFINITION: case GQL_ENUM_TYPE_DEFINITION: case GQL_INPUT_OBJECT_TYPE_DEFINITION:
    case GQL_SCALAR_TYPE_EXTENSION: case GQL_OBJECT_TYPE_EXTENSION: case GQL_INTERFACE_TYPE_EXTENSION:
    case GQL_UNION_TYPE_EXTENSION: case GQL_ENUM_TYPE_EXTENSION: case GQL_INPUT_OBJECT_TYPE_EXTENSION:
        return true;
    default:
        return false;
    }
}

static bool directive_is_unique(vctx *v, const gql_name *name)
{
    const gql_definition *def = doc_directive(v, name);
    if (def)
        return !def->repeatable;
    gql_directive *sd = gql_schema_directive(v->schema, name->value, name->len);
    return sd && !sd->repeatable;
}

void r_unique_directives(vctx *v, gql_kind kind, const gql_name *name, const gql_directive_node *dirs, uint32_t n)
{
    if (n == 0)
        return;
    /* scopes: 1 the schema, then one per type name (definitions and extensions
     * share it), and a fresh one for any other node */
    uint64_t scope;
    if (kind == GQL_SCHEMA_DEFINITION || kind == GQL_SCHEMA_EXTENSION) {
        scope = 1;
    } else if (is_type_def_or_ext(kind) && name) {
        bool existed;
        void **slot = vmap_slot(v, &v->type_dir_scope, v_intern_name(v, name), 0, &existed);
        if (!existed)
            *slot = (void *)(uintptr_t)(2 + v->next_scope++);
        scope = (uintptr_t)*slot;
    } else {
        scope = 2 + v->next_scope++;
    }
    for (uint32_t i = 0; i < n; i++) {
        const gql_directive_node *d = &dirs[i];
        if (!directive_is_unique(v, &d->name))
            continue;
        bool existed;
        void **slot = vmap_slot(v, &v->dir_scopes, scope, v_intern_name(v, &d->name), &existed);
        if (!existed) {
            *slot = (void *)d;
            continue;
        }
        const gql_directive_node *first = *slot;
        gql_error *e = v_errorf(v, "The directive \"@%s\" can only be used once at this location.", d->name.value);
        v_loc(v, e, first->loc);
        v_loc(v, e, d->loc);
    }
}

/* ---- KnownArgumentNames ------------------------------------------------------ */

static void unknown_argument(vctx *v, const gql_argument *arg, const char *const *known, uint32_t n,
                             const char *fmt_owner)
{
    const char **sugg;
    uint32_t ns = v_suggestion_list(v, arg->name.value, arg->name.len, known, n, &sugg);
    v->buf.len = 0;
    gql_buf_printf(&v->buf, "Unknown argument \"%s\" on %s.", arg->name.value, fmt_owner);
    v_did_you_mean(&v->buf, NULL, sugg, ns);
    gql_error *e = v_error(v, gql_arena_strndup(&v->arena, v->buf.data, v->buf.len));
    v_loc(v, e, arg->loc);
}

void r_known_argument_names_field(vctx *v, const gql_argument *arg)
{
    gql_field *field = gql_ti_field_def(&v->ti);
    gql_type *parent = gql_ti_parent_type(&v->ti);
    if (v->ti.argument || !field || !parent)
        return;
    const char **names = gql_arena_alloc(&v->arena, (field->arg_count ? field->arg_count : 1) * sizeof *names);
    for (uint32_t i = 0; i < field->arg_count; i++)
        names[i] = field->args[i].name;
    const char *owner = gql_arena_printf(&v->arena, "field \"%s.%s\"", parent->name, field->name);
    unknown_argument(v, arg, names, field->arg_count, owner);
}

void r_known_argument_names_directive(vctx *v, const gql_directive_node *d)
{
    const char **known = NULL;
    uint32_t n = 0;
    const gql_definition *def = doc_directive(v, &d->name);
    if (def) {
        known = gql_arena_alloc(&v->arena, (def->arg_count ? def->arg_count : 1) * sizeof *known);
        for (uint32_t i = 0; i < def->arg_count; i++) {
            bool dup = false;   /* a Set of the names */
            for (uint32_t j = 0; j < n && !dup; j++)
                dup = strcmp(known[j], def->args[i].name.value) == 0;
            if (!dup)
                known[n++] = def->args[i].name.value;
        }
    } else {
        gql_directive *sd = gql_schema_directive(v->schema, d->name.value, d->name.len);
        if (!sd)
            return;
        known = gql_arena_alloc(&v->arena, (sd->arg_count ? sd->arg_count : 1) * sizeof *known);
        for (uint32_t i = 0; i < sd->arg_count; i++)
            known[n++] = sd->args[i].name;
    }
    const char *owner = NULL;
    for (uint32_t i = 0; i < d->arg_count; i++) {
        const gql_argument *arg = &d->args[i];
        bool found = false;
        for (uint32_t j = 0; j < n && !found; j++)
            found = v_name_eq(&arg->name, known[j]);
        if (found)
            continue;
        if (!owner)
            owner = gql_arena_printf(&v->arena, "directive \"@%s\"", d->name.value);
        unknown_argument(v, arg, known, n, owner);
    }
}

/* ---- UniqueArgumentNames ------------------------------------------------------- */

static bool same_name(const gql_name *a, const gql_name *b)
{
    return a->len == b->len && memcmp(a->value, b->value, a->len) == 0;
}

static void duplicate_argument(vctx *v, const gql_ptrvec *group)
{
    const gql_argument *first = group->items[0];
    gql_error *e = v_errorf(v, "There can be only one argument named \"%s\".", first->name.value);
    for (uint32_t j = 0; j < group->count; j++)
        v_loc(v, e, ((const gql_argument *)group->items[j])->name.loc);
}

/* groupBy(arguments, name): groups in order of first appearance. */
void r_unique_argument_names(vctx *v, const gql_argument *args, uint32_t n)
{
    if (n < 2)
        return;
    if (n <= 8) {   /* the common case: no map */
        for (uint32_t i = 0; i < n; i++) {
            bool seen = false;
            for (uint32_t j = 0; j < i && !seen; j++)
                seen = same_name(&args[j].name, &args[i].name);
            if (seen)
                continue;
            uint32_t count = 0;
            for (uint32_t k = i; k < n; k++)
                count += same_name(&args[k].name, &args[i].name);
            if (count < 2)
                continue;
            gql_ptrvec group = {0};
            for (uint32_t k = i; k < n; k++)
                if (same_name(&args[k].name, &args[i].name))
                    gql_ptrvec_push(&v->arena, &group, (void *)&args[k]);
            duplicate_argument(v, &group);
        }
        return;
    }
    vmap groups = {0};
    gql_ptrvec order = {0};
    for (uint32_t i = 0; i < n; i++) {
        bool existed;
        void **slot = vmap_slot(v, &groups, v_intern_name(v, &args[i].name), 0, &existed);
        if (!existed) {
            *slot = gql_arena_calloc(&v->arena, sizeof(gql_ptrvec));
            gql_ptrvec_push(&v->arena, &order, *slot);
        }
        gql_ptrvec_push(&v->arena, (gql_ptrvec *)*slot, (void *)&args[i]);
    }
    for (uint32_t i = 0; i < order.count; i++)
        if (((const gql_ptrvec *)order.items[i])->count > 1)
            duplicate_argument(v, order.items[i]);
}

/* ---- ProvidedRequiredArguments ------------------------------------------------- */

static bool arg_provided(const gql_argument *args, uint32_t n, const char *name)
{
    for (uint32_t i = 0; i < n; i++)
        if (v_name_eq(&args[i].name, name))
            return true;
    return false;
}

void r_provided_required_arguments_field(vctx *v, const gql_selection *field)
{
    gql_field *def = gql_ti_field_def(&v->ti);
    if (!def)
        return;
    for (uint32_t i = 0; i < def->arg_count; i++) {
        const gql_input_value *a = &def->args[i];
        if (arg_provided(field->args, field->arg_count, a->name) || !gql_is_required_input(a))
            continue;
        gql_error *e = v_errorf(v, "Field \"%s\" argument \"%s\" of type \"%s\" is required, but it was not provided.",
                                def->name, a->name, v_type_str(v, a->type));
        v_loc(v, e, field->loc);
    }
}

static void missing_directive_arg(vctx *v, const gql_directive_node *d, const char *arg, const char *type)
{
    gql_error *e = v_errorf(v, "Directive \"@%s\" argument \"%s\" of type \"%s\" is required, but it was not provided.",
                            d->name.value, arg, type);
    v_loc(v, e, d->loc);
}

void r_provided_required_arguments_directive(vctx *v, const gql_directive_node *d)
{
    const gql_definition *def = doc_directive(v, &d->name);
    if (def) {
        for (uint32_t i = 0; i < def->arg_count; i++) {
            const gql_input_value_def *a = &def->args[i];
            if (a->type->kind != GQL_NON_NULL_TYPE || a->default_value)
                continue;
            if (!arg_provided(d->args, d->arg_count, a->name.value))
                missing_directive_arg(v, d, a->name.value, v_type_node_str(v, a->type));
        }
        return;
    }
    gql_directive *sd = gql_schema_directive(v->schema, d->name.value, d->name.len);
    if (!sd)
        return;
    for (uint32_t i = 0; i < sd->arg_count; i++) {
        const gql_input_value *a = &sd->args[i];
        if (gql_is_required_input(a) && !arg_provided(d->args, d->arg_count, a->name))
            missing_directive_arg(v, d, a->name, v_type_str(v, a->type));
    }
}
