/* coerce_internal.h: what the coercion files share. */
#ifndef GQL_COERCE_INTERNAL_H
#define GQL_COERCE_INTERNAL_H
#include "coerce.h"

/* didYouMean([sub,] suggestionList(input, names)): "" or " Did you mean …?". */
const char *gql_coerce_did_you_mean(gql_arena *a, const char *sub, const char *input, size_t input_len,
                                    const char *const *names, uint32_t n);

/* An input value's internal default: valueFromAST(default literal, type), NULL
 * when it has none (graphql-js's undefined defaultValue). */
gql_val *gql_input_default(gql_arena *a, const gql_input_value *iv);

#endif
