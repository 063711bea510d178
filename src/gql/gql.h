/* gql.h: the GraphQL engine's public surface, for the layers above it. */
#ifndef GQL_H
#define GQL_H
#include "arena.h"
#include "ast.h"
#include "coerce.h"
#include "error.h"
#include "execute.h"
#include "print.h"
#include "schema.h"
#include "validate.h"
#include "value.h"
#endif
