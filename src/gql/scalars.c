/*
 * scalars.c: graphql-js's type/scalars.js (Int, Float, String, Boolean, ID) and
 * GraphQLEnumType's serialize / parseValue / parseLiteral, with their messages,
 * on gql_val values read as JavaScript values; custom scalars pass values
 * through unless the program bound serialize / parse hooks.
 *
 * Numbers: a JSON number is a double in graphql-js. An INT beyond 2^53 stands
 * for the double JSON.parse would make of its text, so it is printed (in
 * messages, IDs, strings) as that double; Int rejects it as out of range either
 * way. A custom scalar passes such an INT through exactly (graphql-js would
 * round it): the one difference left.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "coerce.h"
#include "coerce_internal.h"
#include "print.h"
#include "schema_internal.h"

typedef enum { SC_CUSTOM, SC_INT, SC_FLOAT, SC_STRING, SC_BOOLEAN, SC_ID } scalar_kind;

static scalar_kind scalar_of(const gql_type *t) {
    if (t->kind != GQL_T_SCALAR || !t->builtin || !t->name) return SC_CUSTOM;
    if (strcmp(t->name, "Int") == 0) return SC_INT;
    if (strcmp(t->name, "Float") == 0) return SC_FLOAT;
    if (strcmp(t->name, "String") == 0) return SC_STRING;
    if (strcmp(t->name, "Boolean") == 0) return SC_BOOLEAN;
    if (strcmp(t->name, "ID") == 0) return SC_ID;
    return SC_CUSTOM;
}

static bool is_str(const gql_val *v) { return v->kind == GQL_V_STRING || v->kind == GQL_V_ENUM; }
static bool is_num(const gql_val *v) { return v->kind == GQL_V_INT || v->kind == GQL_V_FLOAT; }

/* Number.isInteger */
static bool num_is_integer(const gql_val *v) {
    return v->kind == GQL_V_INT || (v->kind == GQL_V_FLOAT && isfinite(v->u.f) && v->u.f == trunc(v->u.f));
}

/* String(number) into the arena */
static gql_val *num_string(gql_arena *a, const gql_val *v) {
    char tmp[GQL_JS_NUMBER_MAX];
    size_t n = v->kind == GQL_V_INT ? gql_js_int_str(tmp, v->u.i) : gql_js_number_str(tmp, v->u.f);
    return gql_val_string(a, tmp, n);
}

static const char *msg_inspect(gql_arena *a, const char *prefix, const gql_val *v) {
    gql_buf b;
    gql_buf_init(&b);
    gql_buf_puts(&b, prefix);
    gql_inspect_buf(&b, v);
    const char *r = gql_arena_strndup(a, b.data, b.len);
    gql_buf_free(&b);
    return r;
}

static const char *msg_print(gql_arena *a, const char *prefix, const gql_value_node *n) {
    return gql_arena_printf(a, "%s%s", prefix, gql_print_value_node_str(a, n));
}

/* ---- JavaScript's Number(string) ---------------------------------------------- */

/* StrWhiteSpaceChar: WhiteSpace and LineTerminator. */
static bool js_space(int32_t c) {
    return c == 0x09 || c == 0x0A || c == 0x0B || c == 0x0C || c == 0x0D || c == 0x20 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
           c == 0x3000 || c == 0xFEFF;
}

static bool digit_in(char c, int radix, int *d) {
    int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10 : c >= 'A' && c <= 'Z' ? c - 'A' + 10 : 99;
    *d = v;
    return v < radix;
}

static double js_string_to_number(const char *s, size_t len) {
    size_t b = 0, e = len;
    while (b < e) {   /* trim */
        int32_t cp;
        size_t n = gql_utf8_next(s + b, e - b, &cp);
        if (!js_space(cp)) break;
        b += n;
    }
    while (e > b) {
        size_t k = e - 1;   /* start of the last character */
        while (k > b && ((unsigned char)s[k] & 0xC0) == 0x80 && e - k < 4) k--;
        int32_t cp;
        if (gql_utf8_next(s + k, e - k, &cp) != e - k || !js_space(cp)) break;
        e = k;
    }
    s += b;
    len = e - b;
    if (len == 0) return 0;
    /* 0x / 0o / 0b literals (no sign) */
    if (len > 2 && s[0] == '0' && strchr("xXoObB", s[1])) {
        int radix = (s[1] == 'x' || s[1] == 'X') ? 16 : (s[1] == 'o' || s[1] == 'O') ? 8 : 2;
        double v = 0;
        for (size_t i = 2; i < len; i++) {
            int d;
            if (!digit_in(s[i], radix, &d)) return NAN;
            v = v * radix + d;   /* exact below 2^53; beyond, rounding may differ in the last bit */
        }
        return v;
    }
    /* StrDecimalLiteral: [+-] (Infinity | digits [. digits] | . digits) [e [+-] digits] */
    size_t i = 0;
    bool neg = false;
    if (s[0] == '+' || s[0] == '-') neg = s[0] == '-', i++;
    if (len - i == 8 && memcmp(s + i, "Infinity", 8) == 0) return neg ? -INFINITY : INFINITY;
    size_t int_digits = 0, frac_digits = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9') i++, int_digits++;
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9') i++, frac_digits++;
    }
    if (int_digits + frac_digits == 0) return NAN;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-')) i++;
        size_t exp_digits = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9') i++, exp_digits++;
        if (!exp_digits) return NAN;
    }
    if (i != len) return NAN;
    char *tmp = malloc(len + 1);   /* strtod needs a terminated string; the syntax is checked */
    if (!tmp) abort();
    memcpy(tmp, s, len);
    tmp[len] = 0;
    double d = strtod(tmp, NULL);
    free(tmp);
    return d;
}

/* ---- suggestions -------------------------------------------------------------- */

/* didYouMean([sub,] suggestionList(input, names)). graphql-js measures UTF-16
 * code units and lower-cases all of Unicode; names are ASCII, so only a
 * non-ASCII input can be measured differently. */
const char *gql_coerce_did_you_mean(gql_arena *a, const char *sub, const char *input, size_t input_len,
                                    const char *const *names, uint32_t n) {
    size_t longest = 0;
    for (uint32_t i = 0; i < n; i++)
        if (strlen(names[i]) > longest) longest = strlen(names[i]);
    /* an option is within the threshold only if len - its len <= len * 0.4 + 1 */
    if (n == 0 || (double)input_len * 0.6 > (double)longest + 1) return "";
    uint32_t *lens = gql_arena_alloc(a, n * sizeof *lens);
    for (uint32_t i = 0; i < n; i++) lens[i] = (uint32_t)strlen(names[i]);
    const char *r = gql_did_you_mean(a, input, (uint32_t)input_len, names, lens, n);
    if (!sub || !*r) return r;
    static const char head[] = " Did you mean ";
    return gql_arena_printf(a, "%s%s %s", head, sub, r + sizeof head - 1);
}

static const char *enum_did_you_mean(gql_arena *a, const gql_type *t, const char *input, size_t len) {
    const char **names = gql_arena_alloc(a, (t->value_count + 1) * sizeof *names);
    for (uint32_t i = 0; i < t->value_count; i++) names[i] = t->values[i].name;
    return gql_coerce_did_you_mean(a, "the enum value", input, len, names, t->value_count);
}

/* ---- parseValue ----------------------------------------------------------------- */

static gql_leaf_result graphql_error(const char **msg, const char *m) {
    *msg = m;
    return GQL_LEAF_GRAPHQL_ERROR;
}

static gql_leaf_result enum_parse_value(gql_arena *a, const gql_type *t, const gql_val *in, gql_val **out,
                                        const char **msg) {
    if (!is_str(in)) {
        const char *str = gql_inspect(a, in);
        return graphql_error(msg, gql_arena_printf(a, "Enum \"%s\" cannot represent non-string value: %s.%s", t->name,
                                                   str, enum_did_you_mean(a, t, str, strlen(str))));
    }
    const gql_enum_value *ev = gql_type_enum_value(t, in->u.str.s, in->u.str.len);
    if (!ev || strlen(ev->name) != in->u.str.len)
        return graphql_error(msg, gql_arena_printf(a, "Value \"%s\" does not exist in \"%s\" enum.%s", in->u.str.s,
                                                   t->name, enum_did_you_mean(a, t, in->u.str.s, in->u.str.len)));
    *out = gql_val_string(a, ev->name, strlen(ev->name));
    return GQL_LEAF_OK;
}

static gql_leaf_result custom_parse(gql_arena *a, const gql_type *t, const gql_val *in, gql_val **out,
                                    const char **msg) {
    if (!t->parse) {
        *out = (gql_val *)in;   /* the identity; values are never modified once built */
        return GQL_LEAF_OK;
    }
    const char *err = NULL;
    *out = t->parse(in, a, &err, t->scalar_ud);
    if (*out) return GQL_LEAF_OK;
    *msg = err;
    return err ? GQL_LEAF_ERROR : GQL_LEAF_UNDEFINED;
}

gql_leaf_result gql_leaf_parse_value(gql_arena *a, const gql_type *t, const gql_val *in, gql_val **out,
                                     const char **msg) {
    *out = NULL;
    *msg = NULL;
    static const gql_val undefined_null = {.kind = GQL_V_NULL};
    if (!in) in = &undefined_null;   /* coerceInputValue never passes undefined; be safe */
    if (t->kind == GQL_T_ENUM) return enum_parse_value(a, t, in, out, msg);
    switch (scalar_of(t)) {
    case SC_INT:
        if (!num_is_integer(in)) return graphql_error(msg, msg_inspect(a, "Int cannot represent non-integer value: ", in));
        if (gql_val_number(in) > 2147483647.0 || gql_val_number(in) < -2147483648.0 ||
            (in->kind == GQL_V_INT && (in->u.i > 2147483647 || in->u.i < -2147483648LL)))
            return graphql_error(msg, msg_inspect(a, "Int cannot represent non 32-bit signed integer value: ", in));
        *out = in->kind == GQL_V_INT ? (gql_val *)in : gql_val_int(a, (int64_t)in->u.f);
        return GQL_LEAF_OK;
    case SC_FLOAT:
        if (!is_num(in) || !isfinite(gql_val_number(in)))
            return graphql_error(msg, msg_inspect(a, "Float cannot represent non numeric value: ", in));
        *out = in->kind == GQL_V_FLOAT ? (gql_val *)in : gql_val_float(a, (double)in->u.i);
        return GQL_LEAF_OK;
    case SC_STRING:
        if (!is_str(in)) return graphql_error(msg, msg_inspect(a, "String cannot represent a non string value: ", in));
        *out = in->kind == GQL_V_STRING ? (gql_val *)in : gql_val_string(a, in->u.str.s, in->u.str.len);
        return GQL_LEAF_OK;
    case SC_BOOLEAN:
        if (in->kind != GQL_V_BOOL)
            return graphql_error(msg, msg_inspect(a, "Boolean cannot represent a non boolean value: ", in));
        *out = (gql_val *)in;
        return GQL_LEAF_OK;
    case SC_ID:
        if (is_str(in)) *out = in->kind == GQL_V_STRING ? (gql_val *)in : gql_val_string(a, in->u.str.s, in->u.str.len);
        else if (num_is_integer(in)) *out = num_string(a, in);
        else return graphql_error(msg, msg_inspect(a, "ID cannot represent value: ", in));
        return GQL_LEAF_OK;
    case SC_CUSTOM: break;
    }
    return custom_parse(a, t, in, out, msg);
}

/* ---- parseLiteral ------------------------------------------------------------- */

/* valueFromASTUntyped; NULL for undefined (a variable that is not provided). */
gql_val *gql_value_from_ast_untyped(gql_arena *a, const gql_value_node *n, const gql_val *variables) {
    switch (n->kind) {
    case GQL_INT_VALUE: {   /* parseInt(text, 10): exact when it fits, else the double */
        errno = 0;
        long long i = strtoll(n->name.value, NULL, 10);
        if (errno == 0) return gql_val_int(a, i);
        return gql_val_float(a, strtod(n->name.value, NULL));
    }
    case GQL_FLOAT_VALUE: return gql_val_float(a, strtod(n->name.value, NULL));
    case GQL_STRING_VALUE: return gql_val_string(a, n->name.value, n->name.len);
    case GQL_ENUM_VALUE: {
        gql_val *v = gql_val_string(a, n->name.value, n->name.len);
        v->kind = GQL_V_ENUM;
        return v;
    }
    case GQL_BOOLEAN_VALUE: return gql_val_bool(a, n->boolean);
    case GQL_LIST_VALUE: {
        gql_val *l = gql_val_list(a, n->item_count);
        for (uint32_t i = 0; i < n->item_count; i++) {
            gql_val *item = gql_value_from_ast_untyped(a, n->items[i], variables);
            l->u.list.items[i] = item ? item : gql_val_null(a);   /* [undefined] is [null] in JSON */
        }
        return l;
    }
    case GQL_OBJECT_VALUE: {
        gql_val *o = gql_val_object(a, n->field_count);
        for (uint32_t i = 0; i < n->field_count; i++) {
            gql_val *fv = gql_value_from_ast_untyped(a, n->fields[i].value, variables);
            if (fv) gql_val_object_set(a, o, n->fields[i].name.value, n->fields[i].name.len, fv);
        }
        return o;
    }
    case GQL_VARIABLE: return gql_val_get(variables, n->name.value, n->name.len);
    default: return gql_val_null(a);
    }
}

static gql_leaf_result enum_parse_literal(gql_arena *a, const gql_type *t, const gql_value_node *n, gql_val **out,
                                          const char **msg) {
    if (n->kind != GQL_ENUM_VALUE) {
        const char *str = gql_print_value_node_str(a, n);
        return graphql_error(msg, gql_arena_printf(a, "Enum \"%s\" cannot represent non-enum value: %s.%s", t->name,
                                                   str, enum_did_you_mean(a, t, str, strlen(str))));
    }
    const gql_enum_value *ev = gql_type_enum_value(t, n->name.value, n->name.len);
    if (!ev)
        return graphql_error(msg, gql_arena_printf(a, "Value \"%s\" does not exist in \"%s\" enum.%s", n->name.value,
                                                   t->name, enum_did_you_mean(a, t, n->name.value, n->name.len)));
    *out = gql_val_string(a, ev->name, strlen(ev->name));
    return GQL_LEAF_OK;
}

gql_leaf_result gql_leaf_parse_literal(gql_arena *a, const gql_type *t, const gql_value_node *n,
                                       const gql_val *variables, gql_val **out, const char **msg) {
    *out = NULL;
    *msg = NULL;
    if (t->kind == GQL_T_ENUM) return enum_parse_literal(a, t, n, out, msg);
    switch (scalar_of(t)) {
    case SC_INT: {
        if (n->kind != GQL_INT_VALUE) return graphql_error(msg, msg_print(a, "Int cannot represent non-integer value: ", n));
        errno = 0;
        long long i = strtoll(n->name.value, NULL, 10);
        if (errno != 0 || i > 2147483647LL || i < -2147483648LL)
            return graphql_error(msg, gql_arena_printf(a, "Int cannot represent non 32-bit signed integer value: %s",
                                                       n->name.value));
        *out = gql_val_int(a, i);
        return GQL_LEAF_OK;
    }
    case SC_FLOAT:
        if (n->kind != GQL_INT_VALUE && n->kind != GQL_FLOAT_VALUE)
            return graphql_error(msg, msg_print(a, "Float cannot represent non numeric value: ", n));
        *out = gql_val_float(a, strtod(n->name.value, NULL));   /* parseFloat: 1e400 is Infinity */
        return GQL_LEAF_OK;
    case SC_STRING:
        if (n->kind != GQL_STRING_VALUE)
            return graphql_error(msg, msg_print(a, "String cannot represent a non string value: ", n));
        *out = gql_val_string(a, n->name.value, n->name.len);
        return GQL_LEAF_OK;
    case SC_BOOLEAN:
        if (n->kind != GQL_BOOLEAN_VALUE)
            return graphql_error(msg, msg_print(a, "Boolean cannot represent a non boolean value: ", n));
        *out = gql_val_bool(a, n->boolean);
        return GQL_LEAF_OK;
    case SC_ID:
        if (n->kind != GQL_STRING_VALUE && n->kind != GQL_INT_VALUE)
            return graphql_error(msg, msg_print(a, "ID cannot represent a non-string and non-integer value: ", n));
        *out = gql_val_string(a, n->name.value, n->name.len);
        return GQL_LEAF_OK;
    case SC_CUSTOM: break;
    }
    /* GraphQLScalarType's default parseLiteral: parseValue(valueFromASTUntyped(node, variables));
     * undefined (a bare variable not provided) is undefined for the identity */
    gql_val *in = gql_value_from_ast_untyped(a, n, variables);
    if (!in && !t->parse) return GQL_LEAF_UNDEFINED;
    return custom_parse(a, t, in ? in : gql_val_null(a), out, msg);
}

/* ---- serialize ------------------------------------------------------------------- */

/* The result of serialize as a JavaScript value in *out (the caller's storage
 * for scalars, the arena for strings it makes). */
static const char *serialize_builtin(gql_arena *a, scalar_kind k, const gql_val *v, gql_val *out) {
    /* serializeObject: valueOf() of a JSON object or array is itself, so it is kept */
    double num = 0;
    bool have_num = false;
    if (v->kind == GQL_V_INT || v->kind == GQL_V_FLOAT) {
        num = gql_val_number(v);
        have_num = true;
    }
    switch (k) {
    case SC_INT:
    case SC_FLOAT:
        if (v->kind == GQL_V_BOOL) {
            num = v->u.b ? 1 : 0;
            have_num = true;
        } else if (is_str(v) && v->u.str.len > 0) {
            num = js_string_to_number(v->u.str.s, v->u.str.len);
            have_num = true;
        }
        if (k == SC_INT) {
            if (!have_num || !isfinite(num) || num != trunc(num))
                return msg_inspect(a, "Int cannot represent non-integer value: ", v);
            bool out_of_range = v->kind == GQL_V_INT ? (v->u.i > 2147483647 || v->u.i < -2147483648LL)
                                                     : (num > 2147483647.0 || num < -2147483648.0);
            if (out_of_range) return msg_inspect(a, "Int cannot represent non 32-bit signed integer value: ", v);
            out->kind = GQL_V_INT;
            out->u.i = v->kind == GQL_V_INT ? v->u.i : (int64_t)num;
            return NULL;
        }
        if (!have_num || !isfinite(num)) return msg_inspect(a, "Float cannot represent non numeric value: ", v);
        out->kind = GQL_V_FLOAT;
        out->u.f = num;
        return NULL;
    case SC_STRING:
        if (is_str(v)) {
            *out = *v;
            out->kind = GQL_V_STRING;
        } else if (v->kind == GQL_V_BOOL) {
            *out = *gql_val_string(a, v->u.b ? "true" : "false", v->u.b ? 4 : 5);
        } else if (have_num && isfinite(num)) {
            *out = *num_string(a, v);
        } else {
            return msg_inspect(a, "String cannot represent value: ", v);
        }
        return NULL;
    case SC_BOOLEAN:
        if (v->kind == GQL_V_BOOL) *out = *v;
        else if (have_num && isfinite(num)) out->kind = GQL_V_BOOL, out->u.b = num != 0;
        else return msg_inspect(a, "Boolean cannot represent a non boolean value: ", v);
        return NULL;
    case SC_ID:
        if (is_str(v)) {
            *out = *v;
            out->kind = GQL_V_STRING;
        } else if (num_is_integer(v)) {
            *out = *num_string(a, v);
        } else {
            return msg_inspect(a, "ID cannot represent value: ", v);
        }
        return NULL;
    case SC_CUSTOM: break;
    }
    return NULL;
}

const char *gql_leaf_serialize(gql_arena *a, const gql_type *t, const gql_val *v, const gql_val **out) {
    static const gql_val null_val = {.kind = GQL_V_NULL};
    if (!v) v = &null_val;
    *out = NULL;
    if (t->kind == GQL_T_ENUM) {
        const gql_enum_value *ev = is_str(v) ? gql_type_enum_value(t, v->u.str.s, v->u.str.len) : NULL;
        if (!ev || strlen(ev->name) != v->u.str.len)
            return msg_inspect(a, gql_arena_printf(a, "Enum \"%s\" cannot represent value: ", t->name), v);
        *out = gql_val_string(a, ev->name, strlen(ev->name));
        return NULL;
    }
    scalar_kind k = scalar_of(t);
    if (k != SC_CUSTOM) {
        gql_val *res = gql_arena_calloc(a, sizeof *res);
        const char *msg = serialize_builtin(a, k, v, res);
        if (!msg) *out = res;
        return msg;
    }
    if (!t->serialize) {
        *out = v;
        return NULL;
    }
    /* a bound serializer writes JSON: read it back as the value it stands for */
    gql_rv rv = {.kind = GQL_RV_JSON};
    rv.u.json = v;
    gql_buf b;
    gql_buf_init(&b);
    const char *msg = t->serialize(&rv, &b, a, t->scalar_ud);
    if (!msg) {
        const char *err = NULL;
        *out = gql_json_parse(a, b.data, b.len, 0, &err);
        if (!*out) msg = gql_arena_printf(a, "Scalar \"%s\" serialized to invalid JSON: %s", t->name, err);
    }
    gql_buf_free(&b);
    return msg;
}

/* A resolver's value as the JavaScript value graphql-js would serialize. An
 * opaque object (GQL_RV_OBJECT) has no visible properties: {}. */
static const gql_val *rv_as_val(gql_arena *a, const gql_rv *rv, gql_val *tmp) {
    memset(tmp, 0, sizeof *tmp);
    switch (rv->kind) {
    case GQL_RV_NULL: tmp->kind = GQL_V_NULL; return tmp;
    case GQL_RV_BOOL: tmp->kind = GQL_V_BOOL, tmp->u.b = rv->u.b; return tmp;
    case GQL_RV_INT: tmp->kind = GQL_V_INT, tmp->u.i = rv->u.i; return tmp;
    case GQL_RV_FLOAT: tmp->kind = GQL_V_FLOAT, tmp->u.f = rv->u.f; return tmp;
    case GQL_RV_STRING:
        tmp->kind = GQL_V_STRING;
        tmp->u.str.s = rv->u.str.s ? rv->u.str.s : "";
        tmp->u.str.len = rv->u.str.s ? rv->u.str.len : 0;
        return tmp;
    case GQL_RV_JSON:
        if (rv->u.json) return rv->u.json;
        tmp->kind = GQL_V_NULL;
        return tmp;
    case GQL_RV_LIST: {
        gql_val *l = gql_val_list(a, rv->u.list.count);
        for (uint32_t i = 0; i < rv->u.list.count; i++) {
            gql_val *item = gql_arena_alloc(a, sizeof *item);
            const gql_val *iv = rv_as_val(a, &rv->u.list.items[i], item);
            l->u.list.items[i] = (gql_val *)iv;
        }
        return l;
    }
    case GQL_RV_OBJECT:
    case GQL_RV_ERROR:
    default: return gql_val_object(a, 0);
    }
}

const char *gql_serialize_leaf(gql_arena *a, const gql_type *leaf, const gql_rv *value, gql_buf *out) {
    if (value->kind == GQL_RV_ERROR) return value->u.error.message ? value->u.error.message : "";
    if (leaf->kind == GQL_T_SCALAR && leaf->serialize) return leaf->serialize(value, out, a, leaf->scalar_ud);
    gql_val tmp;
    const gql_val *v = rv_as_val(a, value, &tmp);
    const gql_val *res;
    const char *msg = gql_leaf_serialize(a, leaf, v, &res);
    if (msg) return msg;
    gql_json_write_val(out, res);
    return NULL;
}
