/*
 * validate.h: validation of an executable document against a schema: every
 * rule of graphql-js 16's specifiedRules, in that order, run in one traversal
 * exactly as graphql-js's parallel visitor runs them, so errors come out in
 * graphql-js's order with graphql-js's wording and locations.
 */
#ifndef GQL_VALIDATE_H
#define GQL_VALIDATE_H
#include "ast.h"
#include "error.h"
#include "schema.h"

typedef struct gql_validate_options {
    uint32_t max_errors;   /* 0: graphql-js's default of 100; past it: "Too many validation errors, error limit reached. Validation aborted." */
} gql_validate_options;

/* Appends the errors to errs; returns the number of errors added. */
uint32_t gql_validate(gql_schema *schema, const gql_document *doc, const gql_validate_options *opts, gql_errors *errs);

#endif
