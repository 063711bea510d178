/*
 * fuzz_schema.c: libFuzzer target for the schema builder: parse the input as
 * SDL, run the SDL rules, build, validate, then walk what was built (lookups,
 * type printing, the comparators) and free it. Seeds: tests/fuzz/corpus/schema/.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "schema.h"

static void walk(gql_schema *s) {
    gql_arena a;
    gql_arena_init(&a, 0);
    for (uint32_t i = 0; i < s->type_count; i++) {
        gql_type *t = s->types[i];
        if (gql_schema_type(s, t->name) != t) __builtin_trap();
        for (uint32_t k = 0; k < t->field_count; k++) {
            gql_field *f = &t->fields[k];
            if (gql_type_field(t, f->name, strlen(f->name)) == NULL) __builtin_trap();
            gql_type_str(&a, f->type);
            for (uint32_t j = 0; j < f->arg_count; j++) gql_is_required_input(&f->args[j]);
        }
        for (uint32_t k = 0; k < s->type_count; k++) {
            gql_type *u = s->types[k];
            gql_types_overlap(t, u);
            gql_is_type_sub_type_of(t, u);
            if (gql_is_abstract_type(t) && u->kind == GQL_T_OBJECT) gql_is_possible_type(t, u);
        }
    }
    gql_arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    gql_arena a;
    gql_arena_init(&a, 0);
    gql_errors errs;
    gql_errors_init(&errs, &a);
    gql_schema *s = gql_schema_build((const char *)data, size, &errs);
    if (s) {
        if (errs.count) __builtin_trap();
        if (s->type_count < 100) walk(s);
        gql_schema_free(s);
    } else if (!errs.count) {
        __builtin_trap();   /* a failure always says why */
    }
    gql_arena_free(&a);
    return 0;
}
