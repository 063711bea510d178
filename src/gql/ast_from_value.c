/*
 * ast_from_value.c: graphql-js's utilities/astFromValue.js, and introspection's
 * defaultValue: print(astFromValue(valueFromAST(default literal, type), type)).
 */
#include <math.h>
#include <string.h>
#include "coerce.h"
#include "coerce_internal.h"
#include "print.h"

static gql_value_node *node_new(gql_arena *a, gql_kind kind) {
    gql_value_node *n = gql_arena_calloc(a, sizeof *n);
    n->kind = kind;
    return n;
}

static gql_value_node *text_node(gql_arena *a, gql_kind kind, const char *s, size_t len) {
    gql_value_node *n = node_new(a, kind);
    n->name.value = gql_arena_strndup(a, s, len);
    n->name.len = (uint32_t)len;
    return n;
}

/* /^-?(?:0|[1-9][0-9]*)$/ */
static bool integer_string(const char *s, size_t len) {
    size_t i = 0;
    if (i < len && s[i] == '-') i++;
    if (i >= len) return false;
    if (s[i] == '0') return i + 1 == len;
    for (; i < len; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

static bool is_builtin_id(const gql_type *t) {
    return t->kind == GQL_T_SCALAR && t->builtin && t->name && strcmp(t->name, "ID") == 0;
}

static gql_value_node *leaf_ast(gql_arena *a, const gql_val *value, const gql_type *type, const char **err) {
    const gql_val *s;
    const char *msg = gql_leaf_serialize(a, type, value, &s);
    if (msg) {
        *err = msg;
        return NULL;
    }
    if (!s || s->kind == GQL_V_NULL) return NULL;
    switch (s->kind) {
    case GQL_V_BOOL: {
        gql_value_node *n = node_new(a, GQL_BOOLEAN_VALUE);
        n->boolean = s->u.b;
        return n;
    }
    case GQL_V_INT:
    case GQL_V_FLOAT: {
        if (s->kind == GQL_V_FLOAT && !isfinite(s->u.f)) break;   /* falls to the TypeError */
        char num[GQL_JS_NUMBER_MAX];
        size_t len = s->kind == GQL_V_INT ? gql_js_int_str(num, s->u.i) : gql_js_number_str(num, s->u.f);
        return text_node(a, integer_string(num, len) ? GQL_INT_VALUE : GQL_FLOAT_VALUE, num, len);
    }
    case GQL_V_STRING:
    case GQL_V_ENUM:
        if (type->kind == GQL_T_ENUM) return text_node(a, GQL_ENUM_VALUE, s->u.str.s, s->u.str.len);
        if (is_builtin_id(type) && integer_string(s->u.str.s, s->u.str.len))
            return text_node(a, GQL_INT_VALUE, s->u.str.s, s->u.str.len);
        return text_node(a, GQL_STRING_VALUE, s->u.str.s, s->u.str.len);
    default: break;
    }
    gql_buf b;
    gql_buf_init(&b);
    gql_buf_puts(&b, "Cannot convert value to AST: ");
    gql_inspect_buf(&b, s);
    gql_buf_putc(&b, '.');
    *err = gql_arena_strndup(a, b.data, b.len);
    gql_buf_free(&b);
    return NULL;
}

/* Recursion follows the value and the type together; the value is an internal
 * value coerced from a literal or from JSON, whose nesting is bounded. */
static gql_value_node *ast_from_value(gql_arena *a, const gql_val *value, const gql_type *type, const char **err) {
    if (type->kind == GQL_T_NON_NULL) {
        gql_value_node *n = ast_from_value(a, value, type->of_type, err);
        return n && n->kind == GQL_NULL_VALUE ? NULL : n;
    }
    if (!value) return NULL;   /* undefined */
    if (value->kind == GQL_V_NULL) return node_new(a, GQL_NULL_VALUE);
    if (type->kind == GQL_T_LIST) {
        if (value->kind != GQL_V_LIST) return ast_from_value(a, value, type->of_type, err);
        gql_value_node *n = node_new(a, GQL_LIST_VALUE);
        n->items = gql_arena_alloc(a, (value->u.list.count + 1) * sizeof *n->items);
        for (uint32_t i = 0; i < value->u.list.count; i++) {
            gql_value_node *item = ast_from_value(a, value->u.list.items[i], type->of_type, err);
            if (*err) return NULL;
            if (item) n->items[n->item_count++] = item;
        }
        return n;
    }
    if (type->kind == GQL_T_INPUT_OBJECT) {
        /* isObjectLike: a list is one too, with none of the fields */
        if (value->kind != GQL_V_OBJECT && value->kind != GQL_V_LIST) return NULL;
        gql_value_node *n = node_new(a, GQL_OBJECT_VALUE);
        n->fields = gql_arena_alloc(a, (type->input_field_count + 1) * sizeof *n->fields);
        for (uint32_t i = 0; i < type->input_field_count; i++) {
            const gql_input_value *f = &type->input_fields[i];
            size_t len = strlen(f->name);
            gql_value_node *fv = ast_from_value(a, gql_val_get(value, f->name, len), f->type, err);
            if (*err) return NULL;
            if (!fv) continue;
            gql_object_field *of = &n->fields[n->field_count++];
            memset(of, 0, sizeof *of);
            of->name.value = f->name;
            of->name.len = (uint32_t)len;
            of->value = fv;
        }
        return n;
    }
    if (type->kind == GQL_T_SCALAR || type->kind == GQL_T_ENUM) return leaf_ast(a, value, type, err);
    return NULL;
}

gql_value_node *gql_ast_from_value(gql_arena *a, const gql_val *value, const gql_type *type, const char **err) {
    const char *dummy = NULL;
    if (!err) err = &dummy;
    *err = NULL;
    gql_value_node *n = ast_from_value(a, value, type, err);
    return *err ? NULL : n;
}

const char *gql_default_value(gql_arena *a, const gql_input_value *iv, const char **err) {
    *err = NULL;
    gql_val *v = gql_input_default(a, iv);
    if (!v) return NULL;
    gql_value_node *n = gql_ast_from_value(a, v, iv->type, err);
    return n ? gql_print_value_node_str(a, n) : NULL;
}

const char *gql_default_value_str(gql_arena *a, const gql_input_value *iv) {
    const char *err;
    return gql_default_value(a, iv, &err);
}
