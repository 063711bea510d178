/* test_arena.c: the bump allocator. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "arena.h"

static void alloc_is_aligned_and_distinct(void **state) {
    (void)state;
    gql_arena a;
    gql_arena_init(&a, 64);
    char *p = gql_arena_alloc(&a, 3);
    char *q = gql_arena_alloc(&a, 5);
    assert_int_equal((uintptr_t)p % 8, 0);
    assert_int_equal((uintptr_t)q % 8, 0);
    assert_true(q >= p + 3);
    /* larger than a block: gets its own */
    char *big = gql_arena_alloc(&a, 10000);
    memset(big, 'x', 10000);
    assert_int_equal(big[9999], 'x');
    assert_true(a.total >= 10000 + 16);
    gql_arena_free(&a);
}

static void calloc_zeroes(void **state) {
    (void)state;
    gql_arena a;
    gql_arena_init(&a, 0);
    unsigned char *p = gql_arena_calloc(&a, 100);
    for (int i = 0; i < 100; i++) assert_int_equal(p[i], 0);
    gql_arena_free(&a);
}

static void strings_and_printf(void **state) {
    (void)state;
    gql_arena a;
    gql_arena_init(&a, 16);
    char *s = gql_arena_strndup(&a, "hello world", 5);
    assert_string_equal(s, "hello");
    assert_string_equal(gql_arena_strdup(&a, "x"), "x");
    assert_string_equal(gql_arena_printf(&a, "%s=%d", "n", 42), "n=42");
    char *empty = gql_arena_strndup(&a, NULL, 0);
    assert_string_equal(empty, "");
    gql_arena_free(&a);
}

static void reset_keeps_working(void **state) {
    (void)state;
    gql_arena a;
    gql_arena_init(&a, 32);
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 1000; i++) {
            int *p = gql_arena_alloc(&a, sizeof(int));
            *p = i;
        }
        gql_arena_reset(&a);
        assert_int_equal(a.total, 0);
    }
    gql_arena_free(&a);
}

static void ptrvec_grows(void **state) {
    (void)state;
    gql_arena a;
    gql_arena_init(&a, 32);
    gql_ptrvec v = {0};
    static int xs[100];
    for (int i = 0; i < 100; i++) gql_ptrvec_push(&a, &v, &xs[i]);
    assert_int_equal(v.count, 100);
    for (int i = 0; i < 100; i++) assert_ptr_equal(v.items[i], &xs[i]);
    gql_arena_free(&a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(alloc_is_aligned_and_distinct), cmocka_unit_test(calloc_zeroes),
        cmocka_unit_test(strings_and_printf), cmocka_unit_test(reset_keeps_working),
        cmocka_unit_test(ptrvec_grows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
