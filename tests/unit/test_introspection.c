/*
 * test_introspection.c: introspection against graphql-js's answers:
 * getIntrospectionQuery() (default and with every option) over a few schemas,
 * and targeted queries (includeDeprecated, defaults, ofType chains, wrapper
 * types, possible types, __typename, a default value graphql-js cannot
 * print, which is a field error). Cases and answers are in
 * data/introspection_expected.json, made by data/gen_introspection.cjs.
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

static const char *member_str(const gql_val *o, const char *key) {
    const gql_val *v = gql_val_get(o, key, strlen(key));
    return v && v->kind == GQL_V_STRING ? v->u.str.s : NULL;
}

typedef struct schema_cache {
    const char *file;
    gql_schema *schema;
} schema_cache;

static gql_schema *schema_for(schema_cache *cache, size_t n, const char *file) {
    for (size_t i = 0; i < n; i++) {
        if (!cache[i].file) {
            char *sdl = test_read_data(file, NULL);
            gql_arena a;
            gql_arena_init(&a, 0);
            gql_errors errs;
            gql_errors_init(&errs, &a);
            cache[i].schema = gql_schema_build(sdl, strlen(sdl), &errs);
            for (gql_error *e = errs.head; e; e = e->next) fprintf(stderr, "%s: %s\n", file, e->message);
            assert_non_null(cache[i].schema);
            gql_arena_free(&a);
            free(sdl);
            cache[i].file = file;
        }
        if (strcmp(cache[i].file, file) == 0) return cache[i].schema;
    }
    fail_msg("too many schemas");
    return NULL;
}

static char *execute(gql_schema *s, const char *query, const char *vars_text, gql_exec_status *st) {
    gql_arena a;
    gql_arena_init(&a, 0);
    gql_errors errs;
    gql_errors_init(&errs, &a);
    gql_prepared *p = gql_prepare(s, query, strlen(query), NULL, &errs, NULL);
    for (gql_error *e = errs.head; e; e = e->next) fprintf(stderr, "prepare: %s\n", e->message);
    assert_non_null(p);
    const char *err = NULL;
    const gql_val *vars = vars_text ? gql_json_parse(&a, vars_text, strlen(vars_text), 0, &err) : NULL;
    gql_exec_request req = {.doc = p, .variables = vars, .root = gql_rv_null(), .arena = &a};
    gql_buf out;
    gql_buf_init(&out);
    *st = gql_execute(&req, &out);
    char *r = strndup(out.data, out.len);
    gql_buf_free(&out);
    gql_prepared_free(p);
    gql_arena_free(&a);
    return r;
}

static void test_against_graphql_js(void **state) {
    (void)state;
    gql_arena a;
    gql_arena_init(&a, 0);
    char *text = test_read_data("introspection_expected.json", NULL);
    const char *err = NULL;
    const gql_val *cases = gql_json_parse(&a, text, strlen(text), 0, &err);
    assert_non_null(cases);
    assert_true(cases->u.list.count >= 10);
    schema_cache cache[8] = {{0}};
    int failures = 0;
    for (uint32_t i = 0; i < cases->u.list.count; i++) {
        const gql_val *c = cases->u.list.items[i];
        const char *name = member_str(c, "name"), *file = member_str(c, "schema");
        const char *expected = member_str(c, "expected");
        gql_exec_status st;
        char *got = execute(schema_for(cache, 8, file), member_str(c, "query"), member_str(c, "vars"), &st);
        gql_exec_status want = strncmp(expected, "{\"errors\"", 9) == 0 ? GQL_EXEC_FIELD_ERRORS : GQL_EXEC_OK;
        if (strcmp(got, expected) != 0 || st != want) {
            size_t k = 0;
            while (got[k] && got[k] == expected[k]) k++;
            size_t from = k > 200 ? k - 200 : 0;
            fprintf(stderr, "case \"%s\" on %s differs at byte %zu (status %d)\n  got:  …%.400s\n  want: …%.400s\n",
                    name, file, k, st, got + from, expected + from);
            failures++;
        }
        free(got);
    }
    assert_int_equal(failures, 0);
    for (size_t i = 0; i < 8; i++)
        if (cache[i].schema) gql_schema_free(cache[i].schema);
    free(text);
    gql_arena_free(&a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_graphql_js),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
