/*
 * test_util.h: helpers shared by the cmocka programs: reading a file of
 * tests/unit/data/ and building a schema that must be valid.
 */
#ifndef MESD_TEST_UTIL_H
#define MESD_TEST_UTIL_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gql.h"

/* The file tests/unit/data/NAME, NUL-terminated (malloc'd; len may be NULL). */
static inline char *test_read_data(const char *name, size_t *len) {
    const char *self = __FILE__, *slash = strrchr(self, '/');
    char path[4096];
    snprintf(path, sizeof path, "%.*s/data/%s", slash ? (int)(slash - self) : 1, slash ? self : ".", name);
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = 0;
    fclose(f);
    if (len) *len = (size_t)n;
    return buf;
}

/* A schema from SDL that must load; prints the errors and fails otherwise. */
static inline gql_schema *test_build_schema(const char *sdl, size_t len) {
    gql_arena a;
    gql_arena_init(&a, 0);
    gql_errors errs;
    gql_errors_init(&errs, &a);
    gql_schema *s = gql_schema_build(sdl, len, &errs);
    if (!s) {
        for (gql_error *e = errs.head; e; e = e->next) fprintf(stderr, "schema: %s\n", e->message);
        fail();
    }
    gql_arena_free(&a);
    return s;
}

#endif
