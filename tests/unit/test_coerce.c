/*
 * test_coerce.c: input coercion (coerceVariableValues, getArgumentValues,
 * coerceInputValue, parseLiteral), result coercion (serialize) and astFromValue
 * against graphql-js: the cases and graphql-js's answers are in
 * data/coerce_expected.json (inputs in data/gen_coerce.cjs, schema in
 * data/coerce_schema.graphql; regenerate with node after changing them). Then
 * what the table cannot express: resolver value kinds, hooks, @skip/@include,
 * self-referencing defaults, suggestions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gql.h"
#include "test_util.h"

typedef struct fixture {
    gql_schema *schema;
    gql_arena arena;   /* per test */
} fixture;

static int setup(void **state) {
    static fixture f;
    size_t len;
    char *sdl = test_read_data("coerce_schema.graphql", &len);
    f.schema = test_build_schema(sdl, len);
    free(sdl);
    gql_arena_init(&f.arena, 0);
    *state = &f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    gql_schema_free(f->schema);
    gql_arena_free(&f->arena);
    return 0;
}

static gql_val *json(gql_arena *a, const char *text) {
    const char *err = NULL;
    gql_val *v = gql_json_parse(a, text, strlen(text), 0, &err);
    if (!v) fail_msg("bad JSON %s: %s", text, err);
    return v;
}

static const char *str_of(const gql_val *obj, const char *key) {
    const gql_val *v = gql_val_get(obj, key, strlen(key));
    return v && v->kind == GQL_V_STRING ? v->u.str.s : NULL;
}

static const char *buf_str(gql_arena *a, gql_buf *b) {
    const char *s = gql_arena_strndup(a, b->data ? b->data : "", b->len);
    gql_buf_free(b);
    return s;
}

static const char *val_json(gql_arena *a, const gql_val *v) {
    gql_buf b;
    gql_buf_init(&b);
    gql_json_write_val(&b, v);
    return buf_str(a, &b);
}

static const char *errors_json(gql_arena *a, const gql_errors *errs) {
    gql_buf b;
    gql_buf_init(&b);
    gql_errors_write_json(&b, errs);
    return buf_str(a, &b);
}

static const char *error_str(gql_arena *a, const char *msg) { return gql_arena_printf(a, "ERROR: %s", msg); }

static gql_type *type_named(gql_schema *s, gql_arena *a, const char *text) {
    gql_syntax_error *se = NULL;
    gql_type_node *tn = gql_parse_type(a, text, strlen(text), &se);
    if (!tn) fail_msg("bad type %s", text);
    gql_type *t = gql_type_from_ast(s, tn);
    if (!t) fail_msg("unknown type %s", text);
    return t;
}

/* ---- the table ---------------------------------------------------------------- */

static const char *run_vars(fixture *f, const gql_val *c) {
    gql_arena *a = &f->arena;
    const char *query = str_of(c, "query");
    gql_syntax_error *se = NULL;
    gql_document *doc = gql_parse(query, strlen(query), NULL, &se);
    if (!doc) fail_msg("bad query %s", query);
    const gql_val *max = gql_val_get(c, "maxErrors", 9);
    gql_errors errs;
    gql_errors_init(&errs, a);
    gql_val *out = gql_coerce_variables(a, f->schema, &doc->definitions[0], json(a, str_of(c, "variables")),
                                        max ? (uint32_t)max->u.i : 0, &errs);
    const char *r;
    if (out) {
        assert_int_equal(errs.count, 0);
        r = val_json(a, out);
    } else {
        assert_true(errs.count > 0);
        r = errors_json(a, &errs);
    }
    gql_document_free(doc);
    return r;
}

static const char *run_args(fixture *f, const gql_val *c) {
    gql_arena *a = &f->arena;
    const char *query = str_of(c, "query");
    gql_syntax_error *se = NULL;
    gql_document *doc = gql_parse(query, strlen(query), NULL, &se);
    if (!doc) fail_msg("bad query %s", query);
    const gql_selection *sel = &doc->definitions[0].selection_set->items[0];
    const gql_field *def = gql_type_field(f->schema->query, sel->name.value, sel->name.len);
    gql_errors errs;
    gql_errors_init(&errs, a);
    gql_val *out = gql_argument_values(a, def->args, def->arg_count, sel->args, sel->arg_count, sel->loc,
                                       json(a, str_of(c, "variables")), &errs);
    const char *r;
    if (out) {
        assert_int_equal(errs.count, 0);
        r = val_json(a, out);
    } else {
        assert_int_equal(errs.count, 1);
        r = errors_json(a, &errs);
    }
    gql_document_free(doc);
    return r;
}

static const char *run_serialize(fixture *f, const gql_val *c) {
    gql_arena *a = &f->arena;
    gql_rv rv = gql_rv_json(json(a, str_of(c, "value")));
    gql_buf b;
    gql_buf_init(&b);
    const char *msg = gql_serialize_leaf(a, gql_schema_type(f->schema, str_of(c, "type")), &rv, &b);
    if (msg) {
        assert_int_equal(b.len, 0);
        gql_buf_free(&b);
        return error_str(a, msg);
    }
    return buf_str(a, &b);
}

static const char *run_literal(fixture *f, const gql_val *c) {
    gql_arena *a = &f->arena;
    const char *lit = str_of(c, "literal");
    gql_syntax_error *se = NULL;
    gql_value_node *n = gql_parse_value(a, lit, strlen(lit), &se);
    if (!n) fail_msg("bad literal %s", lit);
    gql_val *out = NULL;
    const char *msg = NULL;
    switch (gql_leaf_parse_literal(a, gql_schema_type(f->schema, str_of(c, "type")), n, NULL, &out, &msg)) {
    case GQL_LEAF_OK: return val_json(a, out);
    case GQL_LEAF_UNDEFINED: return "UNDEFINED";
    default: return error_str(a, msg);
    }
}

static const char *run_value(fixture *f, const gql_val *c) {
    gql_arena *a = &f->arena;
    const char *err = NULL;
    gql_val *out =
        gql_coerce_input_value(a, json(a, str_of(c, "value")), type_named(f->schema, a, str_of(c, "type")), &err);
    return out ? val_json(a, out) : error_str(a, err);
}

static const char *run_default(fixture *f, const gql_val *c) {
    gql_arena *a = &f->arena;
    const char *name = str_of(c, "arg");
    const gql_field *def = gql_type_field(f->schema->query, "defaults", 8);
    const gql_input_value *iv = gql_field_arg(def, name, strlen(name));
    const char *err = NULL;
    const char *s = gql_default_value(a, iv, &err);
    if (err) return error_str(a, err);
    if (s) assert_string_equal(s, gql_default_value_str(a, iv));
    return s ? s : "NULL";
}

static const char *run_ast(fixture *f, const gql_val *c) {
    gql_arena *a = &f->arena;
    const char *err = NULL;
    gql_value_node *n =
        gql_ast_from_value(a, json(a, str_of(c, "value")), type_named(f->schema, a, str_of(c, "type")), &err);
    if (err) return error_str(a, err);
    return n ? gql_print_value_node_str(a, n) : "NULL";
}

static void matches_graphql_js(void **state) {
    fixture *f = *state;
    size_t len;
    char *text = test_read_data("coerce_expected.json", &len);
    gql_arena cases_arena;
    gql_arena_init(&cases_arena, 0);
    const char *err = NULL;
    gql_val *cases = gql_json_parse(&cases_arena, text, len, 0, &err);
    if (!cases) fail_msg("bad coerce_expected.json: %s", err);
    assert_true(cases->u.list.count > 300);
    unsigned failures = 0;
    for (uint32_t i = 0; i < cases->u.list.count; i++) {
        const gql_val *c = cases->u.list.items[i];
        const char *kind = str_of(c, "kind");
        const char *got = NULL;
        gql_arena_reset(&f->arena);
        if (strcmp(kind, "vars") == 0) got = run_vars(f, c);
        else if (strcmp(kind, "args") == 0) got = run_args(f, c);
        else if (strcmp(kind, "serialize") == 0) got = run_serialize(f, c);
        else if (strcmp(kind, "literal") == 0) got = run_literal(f, c);
        else if (strcmp(kind, "value") == 0) got = run_value(f, c);
        else if (strcmp(kind, "default") == 0) got = run_default(f, c);
        else if (strcmp(kind, "ast") == 0) got = run_ast(f, c);
        else fail_msg("unknown kind %s", kind);
        const char *want = str_of(c, "expected");
        if (strcmp(got, want) != 0) {
            gql_buf b;
            gql_buf_init(&b);
            gql_json_write_val(&b, c);
            print_message("case %u %s\n  got:  %s\n  want: %s\n", i, b.data, got, want);
            gql_buf_free(&b);
            failures++;
        }
    }
    gql_arena_free(&cases_arena);
    free(text);
    assert_int_equal(failures, 0);
}

/* ---- beyond the table ----------------------------------------------------------- */

static const char *serialize_rv(fixture *f, const char *type, gql_rv rv) {
    gql_buf b;
    gql_buf_init(&b);
    const char *msg = gql_serialize_leaf(&f->arena, gql_schema_type(f->schema, type), &rv, &b);
    if (msg) {
        gql_buf_free(&b);
        return error_str(&f->arena, msg);
    }
    return buf_str(&f->arena, &b);
}

/* Resolvers' C values follow the same rules as JSON values (graphql-js sees a
 * JavaScript value either way). */
static void serializes_resolver_values(void **state) {
    fixture *f = *state;
    gql_rv d = {.kind = GQL_RV_FLOAT};
    d.u.f = 2.0;
    assert_string_equal(serialize_rv(f, "Int", d), "2");
    assert_string_equal(serialize_rv(f, "String", d), "\"2\"");
    d.u.f = 0.1;
    assert_string_equal(serialize_rv(f, "Float", d), "0.1");
    assert_string_equal(serialize_rv(f, "Int", d), "ERROR: Int cannot represent non-integer value: 0.1");
    d.u.f = NAN;
    assert_string_equal(serialize_rv(f, "Float", d), "ERROR: Float cannot represent non numeric value: NaN");
    assert_string_equal(serialize_rv(f, "Int", gql_rv_int(3000000000LL)),
                        "ERROR: Int cannot represent non 32-bit signed integer value: 3000000000");
    assert_string_equal(serialize_rv(f, "Float", gql_rv_int(3000000000LL)), "3000000000");
    assert_string_equal(serialize_rv(f, "ID", gql_rv_int(-7)), "\"-7\"");
    assert_string_equal(serialize_rv(f, "Boolean", gql_rv_int(0)), "false");
    assert_string_equal(serialize_rv(f, "Int", gql_rv_bool(true)), "1");
    assert_string_equal(serialize_rv(f, "String", gql_rv_bool(false)), "\"false\"");
    assert_string_equal(serialize_rv(f, "Int", gql_rv_str(" 42\n", 4)), "42");
    assert_string_equal(serialize_rv(f, "Color", gql_rv_str("BLUE", 4)), "\"BLUE\"");
    assert_string_equal(serialize_rv(f, "Color", gql_rv_str("BLUEX", 4)), "\"BLUE\"");   /* the length counts */
    assert_string_equal(serialize_rv(f, "Color", gql_rv_int(1)), "ERROR: Enum \"Color\" cannot represent value: 1");
    assert_string_equal(serialize_rv(f, "JSON", gql_rv_str("a\"", 2)), "\"a\\\"\"");
    gql_rv items[2] = {gql_rv_int(1), gql_rv_str("x", 1)};
    gql_rv list = {.kind = GQL_RV_LIST};
    list.u.list.items = items;
    list.u.list.count = 2;
    assert_string_equal(serialize_rv(f, "Int", list), "ERROR: Int cannot represent non-integer value: [1, \"x\"]");
    assert_string_equal(serialize_rv(f, "JSON", list), "[1,\"x\"]");
    assert_string_equal(serialize_rv(f, "String", gql_rv_obj("opaque", NULL)), "ERROR: String cannot represent value: {}");
    assert_string_equal(serialize_rv(f, "String", gql_rv_error("boom", NULL)), "ERROR: boom");
}

/* custom scalar hooks: serialize and parse */
static const char *upper_serialize(const gql_rv *v, gql_buf *out, gql_arena *a, void *ud) {
    (void)ud;
    const gql_val *j = v->kind == GQL_RV_JSON ? v->u.json : NULL;
    if (v->kind == GQL_RV_STRING || (j && j->kind == GQL_V_STRING)) {
        const char *s = v->kind == GQL_RV_STRING ? v->u.str.s : j->u.str.s;
        size_t n = v->kind == GQL_RV_STRING ? v->u.str.len : j->u.str.len;
        char *u = gql_arena_strndup(a, s, n);
        for (size_t i = 0; i < n; i++)
            if (u[i] >= 'a' && u[i] <= 'z') u[i] -= 32;
        gql_json_write_string(out, u, n);
        return NULL;
    }
    return "Upper cannot represent a non string";
}

static gql_val *upper_parse(const gql_val *in, gql_arena *a, const char **err, void *ud) {
    (void)ud;
    if (in->kind == GQL_V_STRING) return gql_val_string(a, in->u.str.s, in->u.str.len);
    if (in->kind == GQL_V_BOOL) return NULL;   /* undefined, no error */
    *err = "not a string";
    return NULL;
}

static void custom_scalar_hooks(void **state) {
    (void)state;
    static const char sdl[] = "scalar Upper type Query { f(u: Upper = \"abc\", v: [Upper] = [\"x\", 1]): Upper }";
    gql_schema *s = test_build_schema(sdl, sizeof sdl - 1);
    assert_true(gql_schema_bind_scalar(s, "Upper", upper_serialize, upper_parse, NULL));
    gql_arena a;
    gql_arena_init(&a, 0);
    gql_type *up = gql_schema_type(s, "Upper");
    gql_buf b;
    gql_buf_init(&b);
    gql_rv rv = gql_rv_str("hi", 2);
    assert_null(gql_serialize_leaf(&a, up, &rv, &b));
    assert_string_equal(b.data, "\"HI\"");
    gql_buf_free(&b);
    rv = gql_rv_int(1);
    assert_string_equal(gql_serialize_leaf(&a, up, &rv, &b), "Upper cannot represent a non string");
    gql_buf_free(&b);
    /* parse: a value, undefined, an error, as coerceInputValue reports them */
    const char *err = NULL;
    assert_non_null(gql_coerce_input_value(&a, json(&a, "\"x\""), up, &err));
    assert_null(gql_coerce_input_value(&a, json(&a, "true"), up, &err));
    assert_string_equal(err, "Invalid value true: Expected type \"Upper\".");
    assert_null(gql_coerce_input_value(&a, json(&a, "[1]"), gql_type_list(s, up), &err));
    assert_string_equal(err, "Invalid value 1 at \"value[0]\": Expected type \"Upper\". not a string");
    /* defaults go through the hooks both ways: astFromValue serializes */
    const gql_field *f = gql_type_field(s->query, "f", 1);
    assert_string_equal(gql_default_value(&a, &f->args[0], &err), "\"ABC\"");
    assert_null(gql_default_value(&a, &f->args[1], &err));   /* parse refuses 1 */
    assert_null(err);
    gql_arena_free(&a);
    gql_schema_free(s);
}

static void skip_and_include(void **state) {
    fixture *f = *state;
    gql_arena *a = &f->arena;
    static const char q[] = "query ($t: Boolean!, $u: Boolean!) { a @skip(if: true) b @include(if: false) c @skip(if: $t) @include(if: $u) d e @include(if: $missing) }";
    gql_syntax_error *se = NULL;
    gql_document *doc = gql_parse(q, sizeof q - 1, NULL, &se);
    assert_non_null(doc);
    const gql_selection *sel = doc->definitions[0].selection_set->items;
    gql_val *vars = json(a, "{\"t\":false,\"u\":true}");
    gql_errors errs;
    gql_errors_init(&errs, a);
    bool want[] = {false, false, true, true, false};
    for (int i = 0; i < 5; i++)
        assert_int_equal(gql_should_include(a, f->schema, sel[i].directives, sel[i].directive_count, vars, &errs), want[i]);
    assert_int_equal(errs.count, 1);
    assert_string_equal(errs.head->message, "Argument \"if\" of required type \"Boolean!\" was provided the variable "
                                            "\"$missing\" which was not provided a runtime value.");
    vars = json(a, "{\"t\":true,\"u\":true}");
    assert_false(gql_should_include(a, f->schema, sel[2].directives, sel[2].directive_count, vars, NULL));
    gql_document_free(doc);
}

/* graphql-js overflows its stack building such a schema; here the default
 * that needs itself is invalid (so absent) instead. */
static void self_referencing_default(void **state) {
    (void)state;
    static const char sdl[] = "input C { next: C = {}, v: Int = 1 } type Query { f(c: C = {}): Int }";
    gql_arena a;
    gql_arena_init(&a, 0);
    gql_errors errs;
    gql_errors_init(&errs, &a);
    gql_schema *s = gql_schema_build(sdl, sizeof sdl - 1, &errs);
    if (s) {
        const gql_field *f = gql_type_field(s->query, "f", 1);
        const char *err = NULL;
        const char *dv = gql_default_value(&a, &f->args[0], &err);
        assert_null(err);
        if (dv) assert_string_equal(dv, "{v: 1}");
        gql_val *args = gql_argument_values(&a, f->args, f->arg_count, NULL, 0, (gql_loc){0}, NULL, &errs);
        assert_non_null(args);
        gql_schema_free(s);
    }
    gql_arena_free(&a);
}

/* a suggestion for a long input is not computed (none could match) */
static void long_inputs_and_suggestions(void **state) {
    fixture *f = *state;
    gql_arena *a = &f->arena;
    size_t n = 100000;
    char *big = malloc(n + 3);
    big[0] = '"';
    memset(big + 1, 'R', n);
    big[n + 1] = '"';
    big[n + 2] = 0;
    const char *err = NULL;
    assert_null(gql_coerce_input_value(a, json(a, big), gql_schema_type(f->schema, "Color"), &err));
    assert_true(strstr(err, "does not exist in \"Color\" enum.") != NULL);
    assert_null(strstr(err, "Did you mean"));
    free(big);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matches_graphql_js),
        cmocka_unit_test(serializes_resolver_values),
        cmocka_unit_test(custom_scalar_hooks),
        cmocka_unit_test(skip_and_include),
        cmocka_unit_test(self_referencing_default),
        cmocka_unit_test(long_inputs_and_suggestions),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
