/*
 * test_root_fields.c: gql_root_fields, the engine's look at an operation's
 * root fields before it executes (the service plans a mutation's writes from
 * it): execution order through fragments, @skip/@include with variables,
 * merged response keys, coerced arguments (NULL when they do not coerce),
 * and the request errors execution itself would give.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gql.h"
#include "test_util.h"

static const char *sdl =
    "type Query { a: Int  b(x: Int!): Int }\n"
    "input In { n: Int! }\n"
    "type Mutation { m1(x: Int!): Int  m2(in: In): Int  m3: Int }\n";

static gql_schema *schema;

static int setup(void **state) {
    (void)state;
    schema = test_build_schema(sdl, strlen(sdl));
    return 0;
}
static int teardown(void **state) {
    (void)state;
    gql_schema_free(schema);
    return 0;
}

typedef struct rf_run {
    gql_arena a;
    gql_prepared *p;
    gql_root_field_list list;
    gql_buf err;
    gql_exec_status st;
} rf_run;

static void rf_start(rf_run *r, const char *query, const char *op, const char *vars) {
    gql_arena_init(&r->a, 0);
    gql_errors errs;
    gql_errors_init(&errs, &r->a);
    r->p = gql_prepare(schema, query, strlen(query), NULL, &errs, NULL);
    if (!r->p) fail_msg("cannot prepare %s: %s", query, errs.head ? errs.head->message : "?");
    const gql_val *v = NULL;
    if (vars) {
        const char *e = NULL;
        v = gql_json_parse(&r->a, vars, strlen(vars), 0, &e);
        assert_non_null(v);
    }
    gql_exec_request req = {.doc = r->p, .operation_name = op, .variables = v, .arena = &r->a};
    gql_buf_init(&r->err);
    r->st = gql_root_fields(&req, &r->list, &r->err);
}

static void rf_end(rf_run *r) {
    gql_buf_free(&r->err);
    gql_prepared_free(r->p);
    gql_arena_free(&r->a);
}

/* "key:field(args)" for each root field, joined by spaces. */
static void rf_describe(rf_run *r, char *out, size_t cap) {
    size_t n = 0;
    out[0] = 0;
    for (uint32_t i = 0; i < r->list.count; i++) {
        const gql_root_field *f = &r->list.fields[i];
        char *args = f->args ? gql_inspect(&r->a, f->args) : "NULL";
        n += (size_t)snprintf(out + n, cap - n, "%s%s:%s%s", i ? " " : "", f->response_key, f->field->name, args);
    }
}

static void order_through_fragments(void **state) {
    (void)state;
    rf_run r;
    rf_start(&r,
             "mutation M($v: Int!) { z: m3 ...F ... on Mutation { m2(in: {n: 1}) } m1(x: $v) }"
             " fragment F on Mutation { first: m1(x: 1) z: m3 }",
             NULL, "{\"v\": 7}");
    assert_int_equal(r.st, GQL_EXEC_OK);
    char d[512];
    rf_describe(&r, d, sizeof d);
    /* z merges its two nodes and keeps its first place */
    assert_string_equal(d, "z:m3{} first:m1{ x: 1 } m2:m2{ in: { n: 1 } } m1:m1{ x: 7 }");
    assert_string_equal(r.list.operation->name.value, "M");
    assert_int_equal(r.list.fields[0].field_node->alias.len, 1);
    rf_end(&r);
}

static void skip_and_include(void **state) {
    (void)state;
    const char *q = "mutation($s: Boolean!) { m1(x: 1) @skip(if: $s) m3 @include(if: $s) __typename }";
    rf_run r;
    rf_start(&r, q, NULL, "{\"s\": true}");
    char d[256];
    rf_describe(&r, d, sizeof d);
    assert_string_equal(d, "m3:m3{} __typename:__typename{}");
    rf_end(&r);
    rf_start(&r, q, NULL, "{\"s\": false}");
    rf_describe(&r, d, sizeof d);
    assert_string_equal(d, "m1:m1{ x: 1 } __typename:__typename{}");
    rf_end(&r);
}

static void args_that_do_not_coerce(void **state) {
    (void)state;
    /* $v has a default, so validation lets it reach x: Int!; an explicit null
     * does not coerce there (m2's arguments are fine) */
    rf_run r;
    rf_start(&r, "mutation($v: Int = 1) { m1(x: $v) m2 }", NULL, "{\"v\": null}");
    assert_int_equal(r.st, GQL_EXEC_OK);
    assert_int_equal(r.list.count, 2);
    assert_null(r.list.fields[0].args);
    assert_non_null(r.list.fields[1].args);
    assert_int_equal(r.list.fields[1].args->u.obj.count, 0);
    assert_int_equal(r.err.len, 0);   /* execution reports it, not this */
    rf_end(&r);
}

static void queries_too(void **state) {
    (void)state;
    rf_run r;
    rf_start(&r, "query Q { b(x: 2) a } query R { a }", "Q", NULL);
    assert_int_equal(r.st, GQL_EXEC_OK);
    char d[256];
    rf_describe(&r, d, sizeof d);
    assert_string_equal(d, "b:b{ x: 2 } a:a{}");
    assert_int_equal(r.list.operation->operation, GQL_OP_QUERY);
    rf_end(&r);
}

static void request_errors(void **state) {
    (void)state;
    rf_run r;
    rf_start(&r, "query Q { a } query R { a }", NULL, NULL);
    assert_int_equal(r.st, GQL_EXEC_REQUEST_ERROR);
    gql_buf_putc(&r.err, 0);
    assert_string_equal(r.err.data,
                        "{\"errors\":[{\"message\":\"Must provide operation name if query contains multiple operations.\"}]}");
    rf_end(&r);
    rf_start(&r, "mutation($v: Int!) { m1(x: $v) }", NULL, "{\"v\": \"x\"}");
    assert_int_equal(r.st, GQL_EXEC_REQUEST_ERROR);
    gql_buf_putc(&r.err, 0);
    assert_non_null(strstr(r.err.data, "Variable \\\"$v\\\" got invalid value \\\"x\\\"; Int cannot represent non-integer value: \\\"x\\\""));
    rf_end(&r);
}

static void select_operation(void **state) {
    (void)state;
    gql_arena a;
    gql_arena_init(&a, 0);
    gql_errors errs;
    gql_errors_init(&errs, &a);
    const char *q = "query Q { a } mutation M { m3 }";
    gql_prepared *p = gql_prepare(schema, q, strlen(q), NULL, &errs, NULL);
    const char *err = NULL;
    const gql_definition *d = gql_select_operation(p, "M", &a, &err);
    assert_non_null(d);
    assert_int_equal(d->operation, GQL_OP_MUTATION);
    assert_null(gql_select_operation(p, "X", &a, &err));
    assert_string_equal(err, "Unknown operation named \"X\".");
    gql_prepared_free(p);
    gql_arena_free(&a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(order_through_fragments), cmocka_unit_test(skip_and_include),
        cmocka_unit_test(args_that_do_not_coerce), cmocka_unit_test(queries_too),
        cmocka_unit_test(request_errors),          cmocka_unit_test(select_operation),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
