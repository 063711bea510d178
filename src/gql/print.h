/*
 * print.h: GraphQL source printing as graphql-js's print() does it, for the
 * pieces error messages and introspection need: value literals, type
 * references, and strings (block strings included).
 */
#ifndef GQL_PRINT_H
#define GQL_PRINT_H
#include "ast.h"
#include "value.h"

void gql_print_value_node(gql_buf *b, const gql_value_node *v);
const char *gql_print_value_node_str(gql_arena *a, const gql_value_node *v);
void gql_print_type_node(gql_buf *b, const gql_type_node *t);
/* A string as a GraphQL string literal ("..." with graphql-js's escapes). */
void gql_print_string(gql_buf *b, const char *s, size_t len);

#endif
