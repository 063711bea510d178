/*
 * execute.h: prepared documents and execution (queries, mutations serially,
 * subscriptions through two entry points), with introspection built in.
 *
 * The response is streamed as JSON into a gql_buf; null propagation truncates
 * the buffer back to the nearest nullable parent. A prepared document holds a
 * parsed and validated document and is executed any number of times with
 * different variables; execution never parses or validates.
 */
#ifndef GQL_EXECUTE_H
#define GQL_EXECUTE_H
#include "ast.h"
#include "error.h"
#include "schema.h"
#include "value.h"

typedef struct gql_prepared_impl gql_prepared_impl;   /* execute_internal.h */

/*
 * A prepared document caches execution plans (the collected fields of each
 * selection set per runtime type) in its document's arena when they do not
 * depend on variables: executing it mutates that cache, so one gql_prepared
 * must not be executed from two threads at the same time.
 */
typedef struct gql_prepared {
    gql_schema *schema;
    gql_document *doc;         /* owned; the prepared document itself lives in doc's arena */
    /* operations and fragments indexed once at prepare time */
    const gql_definition **operations;
    uint32_t operation_count;
    const gql_definition **fragments;
    uint32_t fragment_count;
    gql_prepared_impl *impl;   /* fragment index and plan cache */
} gql_prepared;

typedef struct gql_prepare_options {
    gql_parse_options parse;
    uint32_t max_validation_errors;   /* 0: 100 */
} gql_prepare_options;

/* Parse and validate. NULL with errs filled (a syntax error, or validation
 * errors) on failure; *syntax_error is set true when it was a syntax error. */
gql_prepared *gql_prepare(gql_schema *s, const char *src, size_t len, const gql_prepare_options *opts,
                          gql_errors *errs, bool *syntax_error);
void gql_prepared_free(gql_prepared *p);
/* The operation by name (NULL: the only one). NULL with a message in *err if none or ambiguous:
 * "Must provide operation name if query contains multiple operations." /
 * "Unknown operation named \"x\"." / "Must provide an operation."
 * The unknown-name message is allocated in the document's arena, so this is
 * for one-shot use (mesd check); gql_execute and gql_subscribe pick the
 * operation themselves with the message in the request's arena. */
const gql_definition *gql_prepared_operation(const gql_prepared *p, const char *name, const char **err);

typedef struct gql_path {       /* response path as a linked list on the stack */
    const struct gql_path *prev;
    const char *key;            /* NULL for a list index */
    uint32_t index;
} gql_path;

/*
 * What a resolver gets. Its `source` argument is the parent value's obj for a
 * GQL_RV_OBJECT parent, the gql_val for a GQL_RV_JSON parent and NULL for other
 * parents (the root value included, by the same rule); info->source is the
 * whole parent value.
 */
struct gql_resolve_info {
    const gql_field *field;
    const gql_rv *source;
    const gql_type *parent_type;
    const gql_type *return_type;
    const gql_selection *field_node;      /* the first field node of this response key */
    const gql_selection **field_nodes;    /* every field node merged into it */
    uint32_t field_node_count;
    const gql_path *path;
    const gql_prepared *doc;
    const gql_definition *operation;
    const gql_val *variables;
    gql_schema *schema;
    void *context;                         /* the request's context */
    gql_arena *arena;                      /* the request arena: resolvers allocate results here */
};

typedef struct gql_exec_request {
    const gql_prepared *doc;
    const char *operation_name;      /* NULL: the only operation */
    const gql_val *variables;        /* a GQL_V_OBJECT or NULL */
    gql_rv root;                     /* the root value (GQL_RV_JSON for `mesd check --root`) */
    void *context;
    gql_arena *arena;                /* request arena, owned by the caller */
    uint32_t max_variable_errors;    /* 0: 50 */
} gql_exec_request;

typedef enum gql_exec_status {
    GQL_EXEC_OK,             /* {"data":…} */
    GQL_EXEC_FIELD_ERRORS,   /* {"errors":[…],"data":…} */
    GQL_EXEC_REQUEST_ERROR   /* {"errors":[…]}: no operation, variables that do not coerce, … */
} gql_exec_status;

/* Execute the operation and write the whole response object into out. */
gql_exec_status gql_execute(const gql_exec_request *req, gql_buf *out);

/* Subscriptions, for the event bus. */
typedef struct gql_subscription {
    const gql_definition *operation;
    const gql_field *field;           /* the root subscription field */
    const gql_selection *field_node;
    const char *response_key;
    const gql_val *args;              /* its coerced arguments */
    const gql_val *variables;         /* the coerced variables */
    const void *root;                 /* internal: the root field's plan entry */
} gql_subscription;

/* createSourceEventStream's part that is not I/O: pick the operation, coerce
 * variables and the root field's arguments. On a request error returns
 * GQL_EXEC_REQUEST_ERROR and writes {"errors":[…]} into err_out.
 * Like graphql-js's subscribe(), the operation's type is not checked (a query
 * is collected against the subscription type): transports that run other
 * operations with gql_execute look at the operation's type first.
 * `sub` points into req->arena, which must live as long as the subscription. */
gql_exec_status gql_subscribe(const gql_exec_request *req, gql_subscription *sub, gql_buf *err_out);
/* Execute the subscription's selection set on one event: `event` is the value of
 * the root field; writes the whole response object ({"data":{"<key>":…}}).
 * req must name the same document and operation as for gql_subscribe; its arena
 * may be a fresh one per event. */
gql_exec_status gql_execute_event(const gql_exec_request *req, const gql_subscription *sub,
                                  const gql_rv *event, gql_buf *out);

/* The root fields of the operation a request selects, for any operation type,
 * in the order execution meets them (collectFields with fragments, @skip and
 * @include, keys merged): the service plans a mutation's writes from them
 * before executing it. Fields the root type does not define are left out, as
 * execution leaves them out; __typename is there (its field is the schema's
 * meta field). */
typedef struct gql_root_field {
    const gql_field *field;
    const char *response_key;
    const gql_selection *field_node;   /* the first node of the key */
    const gql_val *args;               /* coerced arguments; NULL when they do not coerce
                                          (execution reports that error itself) */
} gql_root_field;
typedef struct gql_root_field_list {
    const gql_definition *operation;
    const gql_val *variables;          /* the coerced variables */
    gql_root_field *fields;
    uint32_t count;
} gql_root_field_list;
/* On a request error (no such operation, variables that do not coerce, no
 * root type, an @skip/@include that fails) returns GQL_EXEC_REQUEST_ERROR and
 * writes {"errors":[…]} into err_out when it is not NULL. Everything lives in
 * req->arena. */
gql_exec_status gql_root_fields(const gql_exec_request *req, gql_root_field_list *out, gql_buf *err_out);

/* The operation by name (NULL: the only one), as execution picks it; NULL
 * with the message in *err (allocated in `a` when it names the operation). */
const gql_definition *gql_select_operation(const gql_prepared *p, const char *name, gql_arena *a,
                                           const char **err);

/* The index in p->fragments of the fragment a spread names (the last of that
 * name, as execution uses); -1 if none. */
int gql_prepared_fragment_index(const gql_prepared *p, const char *name, uint32_t len);

/* Helpers for resolvers. */
static inline gql_rv gql_rv_null(void) { gql_rv r = {.kind = GQL_RV_NULL}; return r; }
static inline gql_rv gql_rv_str(const char *s, uint32_t len) { gql_rv r = {.kind = GQL_RV_STRING}; r.u.str.s = s; r.u.str.len = len; return r; }
static inline gql_rv gql_rv_int(int64_t i) { gql_rv r = {.kind = GQL_RV_INT}; r.u.i = i; return r; }
static inline gql_rv gql_rv_bool(bool b) { gql_rv r = {.kind = GQL_RV_BOOL}; r.u.b = b; return r; }
static inline gql_rv gql_rv_obj(const void *o, const gql_type *t) { gql_rv r = {.kind = GQL_RV_OBJECT}; r.u.object.obj = o; r.u.object.type = t; return r; }
static inline gql_rv gql_rv_json(const gql_val *v) { gql_rv r = {.kind = GQL_RV_JSON}; r.u.json = v; return r; }
static inline gql_rv gql_rv_error(const char *msg, const char *code) { gql_rv r = {.kind = GQL_RV_ERROR}; r.u.error.message = msg; r.u.error.code = code; return r; }
/* A field error whose extensions hold, after code, the members of ext (a GQL_V_OBJECT). */
static inline gql_rv gql_rv_error_ext(const char *msg, const char *code, const gql_val *ext) { gql_rv r = gql_rv_error(msg, code); r.u.error.ext = ext; return r; }

#endif
