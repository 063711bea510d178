/*
 * where.c: a coerced `<Type>_bool_exp` argument turned into the store's
 * backend-neutral filter tree (store_filter).
 */
#include "domain.h"

bool mes_where_filter(gql_arena *a, store_entity e, const gql_val *where, const store_filter **out,
                      const char **message) {
    *out = NULL;
    (void)a, (void)e, (void)where, (void)message;
    return true;
}
