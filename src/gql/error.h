/*
 * error.h: GraphQL errors as values: message, locations, path and an optional
 * extensions.code. Collected in a list that lives in an arena, in the order
 * they were found (which is the order graphql-js reports them in).
 */
#ifndef GQL_ERROR_H
#define GQL_ERROR_H
#include <stdint.h>
#include "arena.h"
#include "ast.h"
#include "value.h"

typedef struct gql_srcloc { uint32_t line, column; } gql_srcloc;

typedef struct gql_path_seg {
    const char *key;   /* NULL for a list index */
    uint32_t index;
} gql_path_seg;

typedef struct gql_error gql_error;
struct gql_error {
    const char *message;
    gql_srcloc *locations;
    uint32_t location_count;
    gql_path_seg *path;
    uint32_t path_len;
    const char *code;       /* extensions.code, or NULL */
    const gql_val *ext;     /* more extensions members after code (a GQL_V_OBJECT), or NULL */
    gql_error *next;
};

typedef struct gql_errors {
    gql_arena *arena;
    gql_error *head, *tail;
    uint32_t count;
} gql_errors;

void gql_errors_init(gql_errors *e, gql_arena *a);
/* Append an error with a formatted message; returns it so locations can be added. */
gql_error *gql_errors_add(gql_errors *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
gql_error *gql_errors_add_msg(gql_errors *e, const char *message);  /* message copied */
void gql_error_add_loc(gql_errors *e, gql_error *err, gql_loc loc);
void gql_error_add_srcloc(gql_errors *e, gql_error *err, uint32_t line, uint32_t column);

/* Writes "[{"message":…,"locations":[…],"path":[…],"extensions":{"code":…}},…]". */
void gql_errors_write_json(gql_buf *b, const gql_errors *e);
void gql_error_write_json(gql_buf *b, const gql_error *err);

#endif
