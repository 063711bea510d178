/*
 * fuzz_util.h: what the libFuzzer targets share. CHECK aborts (libFuzzer
 * reports the input) when an invariant fails; fuzz_schema_or_die builds the
 * schema a target runs against, once, in LLVMFuzzerInitialize.
 */
#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H
#include <stdlib.h>
#include "gql.h"

#define CHECK(c)           \
    do {                   \
        if (!(c)) abort(); \
    } while (0)

static inline gql_schema *fuzz_schema_or_die(const char *sdl, size_t len) {
    gql_arena a;
    gql_arena_init(&a, 0);
    gql_errors errs;
    gql_errors_init(&errs, &a);
    gql_schema *s = gql_schema_build(sdl, len, &errs);
    CHECK(s != NULL);
    gql_arena_free(&a);
    return s;
}
#endif
