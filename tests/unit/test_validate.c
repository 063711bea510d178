/*
 * test_validate.c: gql_validate against graphql-js 16.15's validate(). The
 * table of data/validate_expected.json (inputs in data/validate_cases.cjs,
 * answers made by data/gen_validate_cases.cjs with graphql-js) covers every
 * rule with valid and invalid documents, error order across rules and the
 * maxErrors limit; the tests below it cover what is too big for the table
 * (budgets, pathological inputs) with graphql-js's answers written in.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "gql.h"
#include "test_util.h"

/* ---- helpers ------------------------------------------------------------------ */

static gql_schema *main_schema;

static int setup(void **state)
{
    (void)state;
    char *sdl = test_read_data("validate_schema.graphql", NULL);
    main_schema = test_build_schema(sdl, strlen(sdl));
    free(sdl);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    gql_schema_free(main_schema);
    return 0;
}

/*
 * Validate and render the errors one per line: "message @line:col,line:col".
 * Returns malloc'ed text; *count gets gql_validate's return value.
 */
static char *validate_text(gql_schema *s, const char *query, uint32_t max_errors, uint32_t *count)
{
    gql_syntax_error *serr = NULL;
    gql_document *doc = gql_parse(query, strlen(query), NULL, &serr);
    if (!doc)
        fail_msg("syntax error in %.80s: %s", query, serr->message);
    gql_arena a;
    gql_arena_init(&a, 0);
    gql_errors errs;
    gql_errors_init(&errs, &a);
    gql_validate_options opts = {.max_errors = max_errors};
    uint32_t n = gql_validate(s, doc, &opts, &errs);
    if (count)
        *count = n;
    assert_int_equal(n, errs.count);
    gql_buf b;
    gql_buf_init(&b);
    for (gql_error *e = errs.head; e; e = e->next) {
        gql_buf_printf(&b, "%s @", e->message);
        for (uint32_t i = 0; i < e->location_count; i++)
            gql_buf_printf(&b, "%s%u:%u", i ? "," : "", e->locations[i].line, e->locations[i].column);
        gql_buf_putc(&b, '\n');
    }
    char *out = strndup(b.data ? b.data : "", b.len);
    gql_buf_free(&b);
    gql_arena_free(&a);
    gql_document_free(doc);
    return out;
}

static void expected_text(gql_buf *b, const gql_val *errors)
{
    for (uint32_t i = 0; i < errors->u.list.count; i++) {
        const gql_val *e = errors->u.list.items[i];
        const gql_val *msg = gql_val_get(e, "message", 7);
        const gql_val *locs = gql_val_get(e, "locations", 9);
        gql_buf_printf(b, "%s @", msg->u.str.s);
        for (uint32_t k = 0; k < locs->u.list.count; k++) {
            const gql_val *l = locs->u.list.items[k];
            gql_buf_printf(b, "%s%lld:%lld", k ? "," : "", (long long)l->u.list.items[0]->u.i,
                           (long long)l->u.list.items[1]->u.i);
        }
        gql_buf_putc(b, '\n');
    }
}

/* ---- the table ------------------------------------------------------------------ */

static void test_graphql_js_cases(void **state)
{
    (void)state;
    char *text = test_read_data("validate_expected.json", NULL);
    gql_arena a;
    gql_arena_init(&a, 0);
    const char *err = NULL;
    gql_val *cases = gql_json_parse(&a, text, strlen(text), 0, &err);
    if (!cases)
        fail_msg("bad validate_expected.json: %s", err);
    int failures = 0;
    for (uint32_t i = 0; i < cases->u.list.count; i++) {
        const gql_val *c = cases->u.list.items[i];
        const char *name = gql_val_get(c, "name", 4)->u.str.s;
        const char *query = gql_val_get(c, "query", 5)->u.str.s;
        const gql_val *sdl = gql_val_get(c, "sdl", 3);
        const gql_val *max = gql_val_get(c, "max", 3);
        gql_schema *s = sdl ? test_build_schema(sdl->u.str.s, strlen(sdl->u.str.s)) : main_schema;
        char *got = validate_text(s, query, max ? (uint32_t)max->u.i : 0, NULL);
        gql_buf want;
        gql_buf_init(&want);
        expected_text(&want, gql_val_get(c, "errors", 6));
        gql_buf_putc(&want, 0);
        if (strcmp(got, want.data) != 0) {
            fprintf(stderr, "case \"%s\"\n  query: %s\n  want:\n%s  got:\n%s", name, query, want.data, got);
            failures++;
        }
        gql_buf_free(&want);
        free(got);
        if (sdl)
            gql_schema_free(s);
    }
    gql_arena_free(&a);
    free(text);
    assert_int_equal(failures, 0);
}

/* ---- beyond the table -------------------------------------------------------------- */

static char *repeat(const char *prefix, const char *unit, int n, const char *suffix)
{
    size_t pl = strlen(prefix), ul = strlen(unit), sl = strlen(suffix);
    char *s = malloc(pl + ul * (size_t)n + sl + 1);
    assert_non_null(s);
    memcpy(s, prefix, pl);
    for (int i = 0; i < n; i++)
        memcpy(s + pl + ul * (size_t)i, unit, ul);
    memcpy(s + pl + ul * (size_t)n, suffix, sl + 1);
    return s;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void expect_validation(const char *query, const char *want, double max_ms)
{
    double t = now_ms();
    char *got = validate_text(main_schema, query, 0, NULL);
    double ms = now_ms() - t;
    assert_string_equal(got, want);
    if (max_ms > 0 && ms > max_ms)
        fail_msg("validation took %.0f ms (limit %.0f)", ms, max_ms);
    free(got);
}

/* 10,000 aliases of one field: graphql-js spends its complexity budget
 * (500,000) on the pairs and aborts. */
static void test_overlap_budget_same_alias(void **state)
{
    (void)state;
    char *q = repeat("{ dog { ", "a: name ", 10000, "} }");
    expect_validation(q, "Validation aborted. @\n", 2000);
    free(q);
}

/* 700 copies: 244,650 pairs, within the budget, and valid. */
static void test_overlap_budget_within(void **state)
{
    (void)state;
    char *q = repeat("{ dog { ", "a: name ", 700, "} }");
    expect_validation(q, "", 2000);
    free(q);
}

/* Conflicting copies: the budget runs out before any conflict is reported. */
static void test_overlap_budget_conflicts(void **state)
{
    (void)state;
    char *q = repeat("{ dog { ", "a: name a: barks ", 1000, "} }");
    expect_validation(q, "Validation aborted. @\n", 2000);
    free(q);
}

/* 10,000 distinct aliases: no pairs to compare. */
static void test_overlap_distinct_aliases(void **state)
{
    (void)state;
    gql_buf b;
    gql_buf_init(&b);
    gql_buf_puts(&b, "{ dog { ");
    for (int i = 0; i < 10000; i++)
        gql_buf_printf(&b, "a%d: name ", i);
    gql_buf_puts(&b, "} }");
    gql_buf_putc(&b, 0);
    expect_validation(b.data, "", 2000);
    gql_buf_free(&b);
}

/* ValidationContext's fragment work budget (50,000). */
static void test_fragment_work_budget(void **state)
{
    (void)state;
    char *q = repeat("{ dog { ...F } } fragment F on Dog { ", "...G ", 50001, "} fragment G on Dog { name }");
    expect_validation(q, "Validation aborted. @\n", 2000);
    free(q);
    q = repeat("{ dog { ...F } } fragment F on Dog { ", "...G ", 49990, "} fragment G on Dog { name }");
    expect_validation(q, "", 2000);
    free(q);
}

/* graphql-js lets getArgumentValues' errors escape validate() when
 * SingleFieldSubscriptions evaluates @skip/@include; we report them and stop. */
static void test_subscription_directive_errors(void **state)
{
    (void)state;
    expect_validation("subscription { newDog @skip(if: $x) { name } }",
                      "Argument \"if\" of required type \"Boolean!\" was provided the variable \"$x\" which was not "
                      "provided a runtime value. @1:33\n",
                      0);
    expect_validation("subscription { newDog @skip(if: \"x\") { name } }",
                      "Argument \"if\" has invalid value \"x\". @1:33\n", 0);
}

/* A custom scalar's parse hook decides which literals are valid (graphql-js's
 * answers with parseValue throwing Error("not odd") and returning undefined). */
static gql_val *parse_odd(const gql_val *in, gql_arena *a, const char **err, void *ud)
{
    (void)a;
    (void)ud;
    if (in->kind != GQL_V_INT)
        return NULL;
    if (in->u.i % 2 == 0) {
        *err = "not odd";
        return NULL;
    }
    return (gql_val *)in;
}

static void test_custom_scalar_parse_hook(void **state)
{
    (void)state;
    static const char sdl[] = "scalar Odd type Query { f(x: Odd): Int g(x: [Odd]): Int }";
    gql_schema *s = test_build_schema(sdl, sizeof sdl - 1);
    assert_true(gql_schema_bind_scalar(s, "Odd", NULL, parse_odd, NULL));
    static const struct {
        const char *query, *want;
    } cases[] = {
        {"{ f(x: 2) }", "Expected value of type \"Odd\", found 2; not odd @1:8\n"},
        {"{ f(x: \"s\") }", "Expected value of type \"Odd\", found \"s\". @1:8\n"},
        {"{ f(x: 3) g(x: [1, 4]) }", "Expected value of type \"Odd\", found 4; not odd @1:20\n"},
        {"{ g(x: 5) }", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = validate_text(s, cases[i].query, 0, NULL);
        assert_string_equal(got, cases[i].want);
        free(got);
    }
    gql_schema_free(s);
}

/* Long fragment chains must not exhaust the C stack. */
static void test_long_fragment_chain(void **state)
{
    (void)state;
    gql_buf b;
    gql_buf_init(&b);
    gql_buf_puts(&b, "{ dog { ...F0 } }");
    for (int i = 0; i < 5000; i++)
        gql_buf_printf(&b, " fragment F%d on Dog { name ...F%d }", i, i + 1);
    gql_buf_puts(&b, " fragment F5000 on Dog { name }");
    gql_buf_putc(&b, 0);
    uint32_t n = 0;
    char *got = validate_text(main_schema, b.data, 0, &n);
    /* graphql-js: no error (its stack holds); we may stop with "Validation aborted." */
    assert_true(n == 0 || strcmp(got, "Validation aborted. @\n") == 0);
    free(got);
    gql_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_graphql_js_cases),
        cmocka_unit_test(test_overlap_budget_same_alias),
        cmocka_unit_test(test_overlap_budget_within),
        cmocka_unit_test(test_overlap_budget_conflicts),
        cmocka_unit_test(test_overlap_distinct_aliases),
        cmocka_unit_test(test_fragment_work_budget),
        cmocka_unit_test(test_subscription_directive_errors),
        cmocka_unit_test(test_long_fragment_chain),
        cmocka_unit_test(test_custom_scalar_parse_hook),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
