/*
 * suggest.h: graphql-js's "Did you mean …?" machinery, ported exactly:
 * suggestionList (lexical distance with transpositions over UTF-16 code
 * units, threshold floor(len * 0.4) + 1, ordered by distance then
 * naturalCompare), didYouMean (at most 5, "a", "b", or "c") and naturalCompare.
 * Shared by the SDL rules, the validation rules and enum coercion.
 */
#ifndef GQL_SUGGEST_H
#define GQL_SUGGEST_H
#include <stddef.h>
#include <stdint.h>
#include "arena.h"
#include "value.h"

/* naturalCompare(a, b): digit runs compare by value. */
int gql_natural_compare(const char *a, const char *b);

/* suggestionList(input, options): the options close to input, best first,
 * each once. option_lens may be NULL (the options are NUL-terminated).
 * Returns the count; *out is an arena array of the chosen options. */
uint32_t gql_suggestion_list(gql_arena *a, const char *input, size_t input_len, const char *const *options,
                             const uint32_t *option_lens, uint32_t n, const char ***out);

/* didYouMean([sub,] suggestions) appended to b; nothing when n is 0. */
void gql_did_you_mean_append(gql_buf *b, const char *sub, const char *const *suggestions, uint32_t n);

/* Both in one: "" or " Did you mean \"a\" or \"b\"?" (arena-allocated). */
const char *gql_did_you_mean(gql_arena *a, const char *input, uint32_t input_len, const char *const *options,
                             const uint32_t *option_lens, uint32_t n);

#endif
