/*
 * value_from_ast.c: graphql-js's utilities/valueFromAST.js: a literal (with
 * variables already coerced) to the internal value of an input type, or
 * undefined (NULL) when it is not valid for the type. Recursion follows the
 * literal, whose nesting the parser bounds.
 */
#include <string.h>
#include "coerce.h"
#include "coerce_internal.h"

/* Input fields' defaults expand inside one another: `nesting` is the chain of
 * defaults being expanded. A default that needs itself (input A { b: A = {} })
 * would expand forever (graphql-js overflows its stack building such a
 * schema): it counts as invalid here. */
typedef struct expanding {
    const struct expanding *prev;
    const gql_input_value *iv;
} expanding;
typedef const expanding *nesting_t;

static gql_val *default_at(gql_arena *a, const gql_input_value *iv, nesting_t nesting);

/* A variable that is not in variables (hasOwnProperty, or undefined). */
static bool is_missing_variable(const gql_value_node *n, const gql_val *variables) {
    return n->kind == GQL_VARIABLE && !gql_val_get(variables, n->name.value, n->name.len);
}

static gql_val *from_ast(gql_arena *a, const gql_value_node *n, const gql_type *t, const gql_val *variables,
                         bool *absent, nesting_t nesting);

static gql_val *list_from_ast(gql_arena *a, const gql_value_node *n, const gql_type *t, const gql_val *variables,
                              nesting_t nesting) {
    const gql_type *item_type = t->of_type;
    if (n->kind != GQL_LIST_VALUE) {   /* a single item is a list of one */
        gql_val *item = from_ast(a, n, item_type, variables, NULL, nesting);
        if (!item) return NULL;
        gql_val *l = gql_val_list(a, 1);
        l->u.list.items[0] = item;
        return l;
    }
    gql_val *l = gql_val_list(a, n->item_count);
    for (uint32_t i = 0; i < n->item_count; i++) {
        const gql_value_node *item = n->items[i];
        if (is_missing_variable(item, variables)) {
            /* a missing variable in a list is null, which a non-null item type refuses */
            if (item_type->kind == GQL_T_NON_NULL) return NULL;
            l->u.list.items[i] = gql_val_null(a);
            continue;
        }
        gql_val *v = from_ast(a, item, item_type, variables, NULL, nesting);
        if (!v) return NULL;
        l->u.list.items[i] = v;
    }
    return l;
}

static gql_val *object_from_ast(gql_arena *a, const gql_value_node *n, const gql_type *t, const gql_val *variables,
                                nesting_t nesting) {
    if (n->kind != GQL_OBJECT_VALUE) return NULL;
    gql_val *o = gql_val_object(a, t->input_field_count);
    for (uint32_t i = 0; i < t->input_field_count; i++) {
        const gql_input_value *f = &t->input_fields[i];
        size_t name_len = strlen(f->name);
        const gql_object_field *fn = NULL;
        for (uint32_t k = 0; k < n->field_count; k++)   /* keyMap: the last of a name wins */
            if (n->fields[k].name.len == name_len && memcmp(n->fields[k].name.value, f->name, name_len) == 0)
                fn = &n->fields[k];
        if (!fn || is_missing_variable(fn->value, variables)) {
            gql_val *dv = default_at(a, f, nesting);
            if (dv) gql_val_object_set(a, o, f->name, name_len, dv);
            else if (f->type->kind == GQL_T_NON_NULL) return NULL;
            continue;
        }
        gql_val *v = from_ast(a, fn->value, f->type, variables, NULL, nesting);
        if (!v) return NULL;
        gql_val_object_set(a, o, f->name, name_len, v);
    }
    if (t->one_of && (o->u.obj.count != 1 || o->u.obj.members[0].value->kind == GQL_V_NULL)) return NULL;
    return o;
}

static gql_val *from_ast(gql_arena *a, const gql_value_node *n, const gql_type *t, const gql_val *variables,
                         bool *absent, nesting_t nesting) {
    if (!n) return NULL;
    if (n->kind == GQL_VARIABLE) {
        gql_val *v = gql_val_get(variables, n->name.value, n->name.len);
        if (!v) {
            if (absent) *absent = true;
            return NULL;
        }
        /* no further checks: validation made sure the variable fits */
        if (v->kind == GQL_V_NULL && t->kind == GQL_T_NON_NULL) return NULL;
        return v;
    }
    if (t->kind == GQL_T_NON_NULL) {
        if (n->kind == GQL_NULL_VALUE) return NULL;
        return from_ast(a, n, t->of_type, variables, NULL, nesting);
    }
    if (n->kind == GQL_NULL_VALUE) return gql_val_null(a);
    switch (t->kind) {
    case GQL_T_LIST: return list_from_ast(a, n, t, variables, nesting);
    case GQL_T_INPUT_OBJECT: return object_from_ast(a, n, t, variables, nesting);
    case GQL_T_SCALAR:
    case GQL_T_ENUM: {
        gql_val *out;
        const char *msg;
        return gql_leaf_parse_literal(a, t, n, variables, &out, &msg) == GQL_LEAF_OK ? out : NULL;
    }
    default: return NULL;
    }
}

gql_val *gql_value_from_ast(gql_arena *a, const gql_value_node *node, const gql_type *type, const gql_val *variables,
                            bool *absent) {
    bool dummy = false;
    if (!absent) absent = &dummy;
    *absent = false;
    return from_ast(a, node, type, variables, absent, NULL);
}

static gql_val *default_at(gql_arena *a, const gql_input_value *iv, nesting_t nesting) {
    if (!iv->default_value) return NULL;
    for (const expanding *e = nesting; e; e = e->prev)
        if (e->iv == iv) return NULL;
    expanding self = {nesting, iv};
    return from_ast(a, iv->default_value, iv->type, NULL, NULL, &self);
}

gql_val *gql_input_default(gql_arena *a, const gql_input_value *iv) { return default_at(a, iv, NULL); }
