/*
 * validate_values.c: ValuesOfCorrectType (literals checked by the scalars'
 * and enums' parseLiteral, gql_leaf_parse_literal) and UniqueInputFieldNames.
 */
#include <string.h>
#include "coerce.h"
#include "validate_internal.h"

/* ---- ValuesOfCorrectType -------------------------------------------------- */

static void expected(vctx *v, const gql_type *loc_type, const gql_value_node *n, const char *detail)
{
    gql_error *e = detail ? v_errorf(v, "Expected value of type \"%s\", found %s; %s", v_type_str(v, loc_type),
                                     v_value_str(v, n), detail)
                          : v_errorf(v, "Expected value of type \"%s\", found %s.", v_type_str(v, loc_type),
                                     v_value_str(v, n));
    v_loc(v, e, n->loc);
}

static void is_valid_value_node(vctx *v, const gql_value_node *n)
{
    gql_type *loc_type = gql_ti_input_type(&v->ti);
    if (!loc_type)
        return;
    gql_type *type = gql_named_type(loc_type);
    if (!gql_is_leaf_type(type)) {
        expected(v, loc_type, n, NULL);
        return;
    }
    /* scalars and enums say whether a literal is valid through parseLiteral */
    const char *msg = NULL;
    gql_val *out = NULL;
    switch (gql_leaf_parse_literal(&v->arena, type, n, NULL, &out, &msg)) {
    case GQL_LEAF_OK:
        return;
    case GQL_LEAF_UNDEFINED:
        expected(v, loc_type, n, NULL);
        return;
    case GQL_LEAF_GRAPHQL_ERROR: {
        gql_error *e = v_error(v, msg);
        v_loc(v, e, n->loc);
        return;
    }
    default:
        expected(v, loc_type, n, msg);
        return;
    }
}

bool r_values_list(vctx *v, const gql_value_node *n)
{
    gql_type *parent = gql_ti_parent_input_type(&v->ti);
    gql_type *type = parent ? gql_nullable_type(parent) : NULL;
    if (type && type->kind == GQL_T_LIST)
        return false;
    is_valid_value_node(v, n);
    return true;   /* don't traverse further */
}

/* keyMap: the last field of a name wins. */
static const gql_object_field *object_field(const gql_value_node *n, const char *name)
{
    for (uint32_t i = n->field_count; i-- > 0;)
        if (v_name_eq(&n->fields[i].name, name))
            return &n->fields[i];
    return NULL;
}

static void validate_one_of(vctx *v, const gql_value_node *n, const gql_type *type)
{
    /* Object.keys(fieldNodeMap): distinct names */
    uint32_t distinct = 0;
    const gql_object_field *only = NULL;
    vmap seen = {0};
    for (uint32_t i = 0; i < n->field_count; i++) {
        bool existed;
        vmap_slot(v, &seen, v_intern_name(v, &n->fields[i].name), 0, &existed);
        if (!existed)
            distinct++;
        only = &n->fields[i];   /* with one distinct name, the last is the keyMap's */
    }
    if (distinct != 1) {
        gql_error *e = v_errorf(v, "OneOf Input Object \"%s\" must specify exactly one key.", type->name);
        v_loc(v, e, n->loc);
        return;
    }
    if (!only->value || only->value->kind == GQL_NULL_VALUE) {
        gql_error *e = v_errorf(v, "Field \"%s.%s\" must be non-null.", type->name, only->name.value);
        v_loc(v, e, n->loc);
    }
}

bool r_values_object(vctx *v, const gql_value_node *n)
{
    gql_type *in = gql_ti_input_type(&v->ti);
    gql_type *type = in ? gql_named_type(in) : NULL;
    if (!type || type->kind != GQL_T_INPUT_OBJECT) {
        is_valid_value_node(v, n);
        return true;
    }
    /* few fields: scan; many: index the names once */
    vmap present = {0};
    bool indexed = n->field_count > 8;
    if (indexed)
        for (uint32_t i = 0; i < n->field_count; i++)
            vmap_set(v, &present, v_intern_name(v, &n->fields[i].name), 0, (void *)1);
    for (uint32_t i = 0; i < type->input_field_count; i++) {
        const gql_input_value *f = &type->input_fields[i];
        bool given = indexed ? vmap_get(&present, v_intern(v, f->name, (uint32_t)strlen(f->name)), 0) != NULL
                             : object_field(n, f->name) != NULL;
        if (given || !gql_is_required_input(f))
            continue;
        gql_error *e = v_errorf(v, "Field \"%s.%s\" of required type \"%s\" was not provided.", type->name, f->name,
                                v_type_str(v, f->type));
        v_loc(v, e, n->loc);
    }
    if (type->one_of)
        validate_one_of(v, n, type);
    return false;
}

void r_values_object_field(vctx *v, const gql_object_field *f)
{
    gql_type *pin = gql_ti_parent_input_type(&v->ti);
    gql_type *parent = pin ? gql_named_type(pin) : NULL;
    if (gql_ti_input_type(&v->ti) || !parent || parent->kind != GQL_T_INPUT_OBJECT)
        return;
    const char **names = gql_arena_alloc(&v->arena, (parent->input_field_count ? parent->input_field_count : 1) *
                                                        sizeof *names);
    for (uint32_t i = 0; i < parent->input_field_count; i++)
        names[i] = parent->input_fields[i].name;
    const char **sugg;
    uint32_t ns = v_suggestion_list(v, f->name.value, f->name.len, names, parent->input_field_count, &sugg);
    v->buf.len = 0;
    gql_buf_printf(&v->buf, "Field \"%s\" is not defined by type \"%s\".", f->name.value, parent->name);
    v_did_you_mean(&v->buf, NULL, sugg, ns);
    gql_error *e = v_error(v, gql_arena_strndup(&v->arena, v->buf.data, v->buf.len));
    v_loc(v, e, f->loc);
}

void r_values_null(vctx *v, const gql_value_node *n)
{
    gql_type *t = gql_ti_input_type(&v->ti);
    if (t && t->kind == GQL_T_NON_NULL) {
        gql_error *e = v_errorf(v, "Expected value of type \"%s\", found %s.", v_type_str(v, t), v_value_str(v, n));
        v_loc(v, e, n->loc);
    }
}

void r_values_scalar(vctx *v, const gql_value_node *n)
{
    is_valid_value_node(v, n);
}

/* ---- UniqueInputFieldNames --------------------------------------------------- */

void r_unique_input_fields_enter(vctx *v, const gql_value_node *obj)
{
    gql_ptrvec_push(&v->arena, &v->input_objects, (void *)obj);
}

void r_unique_input_fields_leave(vctx *v)
{
    if (v->input_objects.count > 0)
        v->input_objects.count--;
}

void r_unique_input_fields_field(vctx *v, const gql_object_field *f)
{
    /* outside any object value (cannot happen in a parsed document) the
     * graphql-js rule uses its initial map: scope 0 */
    const void *scope = v->input_objects.count ? v->input_objects.items[v->input_objects.count - 1] : NULL;
    bool existed;
    void **slot = vmap_slot(v, &v->input_names, VKEY(scope), v_intern_name(v, &f->name), &existed);
    if (!existed) {
        *slot = (void *)&f->name;
        return;
    }
    const gql_name *first = *slot;
    gql_error *e = v_errorf(v, "There can be only one input field named \"%s\".", f->name.value);
    v_loc(v, e, first->loc);
    v_loc(v, e, f->name.loc);
}
