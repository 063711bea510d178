/* test_value.c: gql_val construction, JavaScript property order, equality,
 * gql_buf and inspect (expected strings from graphql-js's inspect on JSON.parse
 * of the same text, see the table). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "value.h"

static gql_arena A;
static int setup(void **state) { (void)state; gql_arena_init(&A, 0); return 0; }
static int teardown(void **state) { (void)state; gql_arena_free(&A); return 0; }

static gql_val *J(const char *text) {
    const char *err = NULL;
    gql_val *v = gql_json_parse(&A, text, strlen(text), 0, &err);
    if (!v) fail_msg("parse %s: %s", text, err);
    return v;
}

static void constructors(void **state) {
    (void)state;
    assert_int_equal(gql_val_null(&A)->kind, GQL_V_NULL);
    assert_true(gql_val_bool(&A, true)->u.b);
    assert_true(gql_val_int(&A, INT64_MIN)->u.i == INT64_MIN);
    assert_true(gql_val_float(&A, 0.5)->u.f == 0.5);
    gql_val *s = gql_val_string(&A, "ab\0c", 4);
    assert_int_equal(s->u.str.len, 4);
    assert_memory_equal(s->u.str.s, "ab\0c", 5);   /* copied and NUL-terminated */
    gql_val *l = gql_val_list(&A, 3);
    assert_int_equal(l->u.list.count, 3);
    assert_null(l->u.list.items[2]);
}

static void object_members(void **state) {
    (void)state;
    gql_val *o = gql_val_object(&A, 1);   /* grows past its initial room */
    for (int i = 0; i < 20; i++) {
        char k[8];
        snprintf(k, sizeof k, "k%d", i);
        gql_val_object_set(&A, o, k, strlen(k), gql_val_int(&A, i));
    }
    assert_int_equal(o->u.obj.count, 20);
    assert_int_equal(gql_val_get(o, "k13", 3)->u.i, 13);
    assert_null(gql_val_get(o, "k20", 3));
    assert_null(gql_val_get(gql_val_int(&A, 1), "k1", 2));
    /* replacing keeps the position */
    gql_val_object_set(&A, o, "k0", 2, gql_val_bool(&A, false));
    assert_string_equal(o->u.obj.members[0].key, "k0");
    assert_int_equal(o->u.obj.members[0].value->kind, GQL_V_BOOL);
    assert_int_equal(o->u.obj.count, 20);
    /* a hand-built object without room */
    gql_val h = {.kind = GQL_V_OBJECT};
    gql_val_object_set(&A, &h, "x", 1, gql_val_null(&A));
    assert_int_equal(h.u.obj.count, 1);
}

/* JavaScript puts array-index keys first, in ascending order. */
static void property_order(void **state) {
    (void)state;
    gql_val *o = gql_val_object(&A, 0);
    const char *keys[] = {"b", "10", "2", "a", "01", "4294967295", "4294967294", "0"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        gql_val_object_set(&A, o, keys[i], strlen(keys[i]), gql_val_int(&A, (int64_t)i));
    const char *want[] = {"0", "2", "10", "4294967294", "b", "a", "01", "4294967295"};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) assert_string_equal(o->u.obj.members[i].key, want[i]);
    /* the same from the parser, with a duplicate (last value, first position) */
    gql_val *p = J("{\"b\":1,\"2\":2,\"1\":3,\"a\":4,\"b\":5}");
    const char *want2[] = {"1", "2", "b", "a"};
    for (int i = 0; i < 4; i++) assert_string_equal(p->u.obj.members[i].key, want2[i]);
    assert_int_equal(gql_val_get(p, "b", 1)->u.i, 5);
}

static void equality(void **state) {
    (void)state;
    assert_true(gql_val_equal(J("{\"a\":[1,2.5,\"x\",null,true],\"b\":{}}"), J("{\"b\":{},\"a\":[1,2.5,\"x\",null,true]}")));
    assert_true(gql_val_equal(J("1"), J("1.0")));   /* numbers as numbers */
    assert_false(gql_val_equal(J("1"), J("\"1\"")));
    assert_false(gql_val_equal(J("[1,2]"), J("[2,1]")));
    assert_false(gql_val_equal(J("{\"a\":1}"), J("{\"a\":1,\"b\":2}")));
    assert_false(gql_val_equal(J("{\"a\":1}"), J("{\"b\":1}")));
    assert_false(gql_val_equal(J("null"), NULL));
    assert_true(gql_val_equal(NULL, NULL));
    gql_val *e = gql_val_string(&A, "X", 1);
    e->kind = GQL_V_ENUM;
    assert_true(gql_val_equal(e, J("\"X\"")));
    assert_true(gql_val_number(J("7")) == 7.0);
    assert_true(gql_val_number(J("\"7\"")) == 0.0);
}

static void buffer(void **state) {
    (void)state;
    gql_buf b;
    gql_buf_init(&b);
    for (int i = 0; i < 1000; i++) gql_buf_putc(&b, 'x');
    char big[600];
    memset(big, 'y', sizeof big - 1);
    big[sizeof big - 1] = 0;
    gql_buf_printf(&b, "%s-%d", big, 42);   /* longer than the printf fast path */
    assert_int_equal(b.len, 1000 + 599 + 3);
    assert_string_equal(b.data + b.len - 4, "y-42");
    gql_buf_truncate(&b, 2);
    gql_buf_puts(&b, "yz");
    assert_string_equal(b.data, "xxyz");
    gql_buf_free(&b);
    assert_null(b.data);
}

/* [JSON text, graphql-js inspect(JSON.parse(text))] */
static const char *const inspect_cases[][2] = {
    {"null", "null"},
    {"true", "true"},
    {"1", "1"},
    {"-0", "0"},
    {"1.5", "1.5"},
    {"1e21", "1e+21"},
    {"9007199254740993", "9007199254740992"},
    {"\"a\\\"b\\n\\u0001\"", "\"a\\\"b\\n\\u0001\""},
    {"[]", "[]"},
    {"{}", "{}"},
    {"[1,2,3,4,5,6,7,8,9,10,11]", "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... 1 more item]"},
    {"[1,2,3,4,5,6,7,8,9,10,11,12]", "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... 2 more items]"},
    {"[1,2,3,4,5,6,7,8,9,10]", "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]"},
    {"{\"a\":{\"b\":{\"c\":1}}}", "{ a: { b: [Object] } }"},
    {"[[[1]]]", "[[[Array]]]"},
    {"[[[]]]", "[[[]]]"},
    {"[[{}]]", "[[{}]]"},
    {"{\"a\":[{\"b\":1}]}", "{ a: [[Object]] }"},
    {"{\"b\":1,\"2\":2,\"1\":3,\"a\":4}", "{ 1: 3, 2: 2, b: 1, a: 4 }"},
    {"{\"a b\":\"x\",\"\":null}", "{ a b: \"x\", : null }"},
    {"[{\"a\":[1,[2]]}]", "[{ a: [Array] }]"},
    {"1e400", "Infinity"},
    {"\"\\u2028\"", "\"\342\200\250\""},
    {"{\"x\":[1,2,3,4,5,6,7,8,9,10,11,12,13]}", "{ x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... 3 more items] }"},
};

static void inspect_matches_graphql_js(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof inspect_cases / sizeof *inspect_cases; i++)
        assert_string_equal(gql_inspect(&A, J(inspect_cases[i][0])), inspect_cases[i][1]);
    assert_string_equal(gql_inspect(&A, NULL), "undefined");
    gql_val *e = gql_val_string(&A, "RED", 3);
    e->kind = GQL_V_ENUM;
    assert_string_equal(gql_inspect(&A, e), "\"RED\"");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(constructors, setup, teardown),
        cmocka_unit_test_setup_teardown(object_members, setup, teardown),
        cmocka_unit_test_setup_teardown(property_order, setup, teardown),
        cmocka_unit_test_setup_teardown(equality, setup, teardown),
        cmocka_unit_test_setup_teardown(buffer, setup, teardown),
        cmocka_unit_test_setup_teardown(inspect_matches_graphql_js, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
