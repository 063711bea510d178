/*
 * execute_internal.h: what the executor's files share (not part of the public
 * surface): execution plans (collected fields per selection set and runtime
 * type), the execution context, and the introspection resolvers.
 *
 * A plan is graphql-js's collectFields result made once: each response key
 * with its field definition, its resolver and its field nodes, plus caches for
 * the coerced arguments and the sub-plans of its value per runtime type.
 */
#ifndef GQL_EXECUTE_INTERNAL_H
#define GQL_EXECUTE_INTERNAL_H
#include "execute.h"

typedef struct exec_plan exec_plan;

typedef struct exec_subplan {      /* a field's sub-selection collected for one runtime type */
    const gql_type *type;
    exec_plan *plan;
    struct exec_subplan *next;
} exec_subplan;

/* How a field's value may be written without the general completion, when
 * the value is of the expected kind (anything else takes the general path). */
typedef enum exec_leaf {
    EXEC_LEAF_NONE,                /* not a leaf, or a scalar with a serializer */
    EXEC_LEAF_STRING,              /* String or ID: a string */
    EXEC_LEAF_INT,                 /* Int: an integer that fits 32 bits */
    EXEC_LEAF_BOOLEAN,             /* Boolean: a boolean */
    EXEC_LEAF_ENUM,                /* an enum: the name of one of its values */
    EXEC_LEAF_CUSTOM               /* a custom scalar, passed through when it has no serializer: a string */
} exec_leaf;

/* The JSON bits a plan writes for every value (keys, type names) are followed
 * by EXEC_PAD zero bytes, so that short ones are written in whole 16-byte
 * moves, their terminating NUL included. */
#define EXEC_PAD 32
static inline void exec_append_padded(gql_buf *b, const char *p, size_t n) {
    if (n >= EXEC_PAD) {
        gql_buf_append(b, p, n);
        return;
    }
    if (b->cap - b->len <= EXEC_PAD) gql_buf_reserve(b, EXEC_PAD);
    char *d = b->data + b->len;
    __builtin_memcpy(d, p, 16);
    if (n >= 16) __builtin_memcpy(d + 16, p + 16, 16);
    b->len += n;
}

typedef struct exec_field {        /* one response key of a collected selection set */
    const char *key;
    uint32_t key_len;
    const char *key_json;          /* ",\"key\":" ready to write (without the comma for the first member), padded */
    uint32_t key_json_len;
    const gql_field *def;          /* NULL: no such field on the type (the key is left out) */
    uint32_t name_len;             /* of the field's name, for the default resolver */
    uint32_t member_hint;          /* default resolver: where the name was in the last JSON object */
    uint32_t enum_hint;            /* an enum field: the index of its last value */
    const gql_type *object_type;   /* the field's type when it is an object type T or T! */
    uint8_t leaf;                  /* exec_leaf of the field's type */
    bool leaf_non_null;            /* the field's type is non-null */
    gql_resolver_fn resolve;       /* NULL: the default resolver */
    bool light;                    /* resolve reads only the request's members of the info (introspection) */
    bool is_typename;              /* __typename: written without a resolver */
    bool per_request;              /* in a plan made for one request (a dynamic one) */
    const char *typename_json;     /* for __typename: "\"Type\"", padded */
    uint32_t typename_json_len;
    bool args_cacheable;           /* the arguments do not change while this entry lives */
    const gql_selection **nodes;   /* every field node merged into this key */
    uint32_t node_count;
    const gql_val *args;           /* cached coerced arguments (when args_cacheable) */
    exec_subplan *subs;            /* sub-plans that live as long as this entry */
} exec_field;

/* A @skip or @include whose `if` took a variable, and what it gave when a
 * plan was collected: the plan holds for any request where each gives the same
 * again (collection only depends on the variables through these, in order). */
typedef struct exec_cond {
    const gql_directive *def;
    const gql_directive_node *node;
    int result;                    /* 1 true, 0 false, -1 absent */
} exec_cond;

struct exec_plan {
    const gql_type *type;          /* the runtime object type */
    exec_field *fields;
    uint32_t count;
    bool dynamic;                  /* made for one request (too many variants to keep) */
    exec_cond *conds;              /* kept in the document under these conditions (none: static) */
    uint32_t cond_count;
    exec_plan *next_variant;       /* root plans: the other variants of the operation's */
};

/* Plans of a sub-selection by its field nodes and runtime type: in the
 * prepared document for kept plans, static or conditional (so plans made for
 * one request still find them), in the request for the ones it chose or made. */
typedef struct exec_plan_entry {
    const gql_type *type;
    const gql_selection **nodes;
    uint32_t node_count;
    exec_plan *plan;
    struct exec_plan_entry *next;
} exec_plan_entry;

struct gql_prepared_impl {
    exec_plan **root_plans;        /* per operation, the kept variants */
    exec_plan_entry **plans;       /* kept plans, by the id of their first field node */
    uint32_t *frag_table;          /* fragment index + 1, hashed by name (0: empty) */
    uint32_t frag_table_size;      /* a power of two */
};

typedef struct exec_ctx {
    const gql_prepared *doc;
    gql_schema *schema;
    const gql_definition *op;
    const gql_val *vars;
    const gql_rv *root;
    void *context;
    gql_arena *arena;              /* the request's */
    gql_arena *doc_arena;          /* the prepared document's: static plans go there */
    exec_plan_entry **req_plans;   /* conditional and dynamic plans of this request, by first field node id (lazy) */
    gql_errors errs;
    gql_buf *out;
    const gql_directive *skip, *include;
    gql_resolve_info request_info; /* doc, schema, context and arena only: for light resolvers */
} exec_ctx;

/* prepare.c */
bool gql_exec_value_has_variable(const gql_value_node *v);   /* the parser bounds its depth */
int gql_exec_fragment_index(const gql_prepared *p, const char *name, uint32_t len);  /* -1 if none */
/* buildExecutionContext's choice of the operation; messages go in `a`. */
const gql_definition *gql_exec_operation(const gql_prepared *p, const char *name, gql_arena *a, const char **err);
void gql_exec_ctx_init(exec_ctx *c, const gql_exec_request *req, gql_buf *out);
/* Pick the operation and coerce the variables (buildExecutionContext); false
 * with a request error in c->errs. */
bool gql_exec_select(exec_ctx *c, const gql_exec_request *req);

/* execute_collect.c: collectFields / collectSubfields as plans, cached. NULL
 * when evaluating @skip/@include failed (the error is in c->errs, without a
 * path). */
exec_plan *gql_exec_root_plan(exec_ctx *c, const gql_type *root_type);
/* The plan of a field entry's sub-selection for one runtime type. */
exec_plan *gql_exec_sub_plan(exec_ctx *c, exec_field *f, const gql_type *type);

/* execute.c */
/* The root type of c->op's operation; NULL with graphql-js's error ("Schema is
 * not configured to execute … operation.") added to c->errs. */
const gql_type *gql_exec_root_type(exec_ctx *c);
typedef enum exec_result { EXEC_VALUE, EXEC_NULL, EXEC_THROW } exec_result;
/* Complete the value of one field entry of a plan on parent_type, given the
 * resolved value (NULL: call the resolver). Writes the value JSON. */
exec_result gql_exec_field(exec_ctx *c, const gql_type *parent_type, const gql_rv *source, exec_field *f,
                           const gql_path *path, const gql_rv *value);
exec_result gql_exec_fields(exec_ctx *c, exec_plan *plan, const gql_rv *source, const gql_path *path);
/* The response was written as {"data":…} from response_start: put the errors
 * in front of the data when there are any. */
gql_exec_status gql_exec_finish(exec_ctx *c, size_t response_start);
/* Add an error located at the given field nodes with the given path. */
gql_error *gql_exec_error(exec_ctx *c, const exec_field *f, const gql_path *path, const char *msg);
void gql_exec_set_path(exec_ctx *c, gql_error *e, const gql_path *path);
/* Write {"errors":[…]} for request errors. */
void gql_exec_write_request_errors(const gql_errors *errs, gql_buf *out);

/* introspection.c: the resolver of a field of an introspection type, or of
 * the __schema / __type meta fields; NULL for any other field. Of the info it
 * reads only schema and arena (exec_ctx's request_info is enough). */
gql_resolver_fn gql_introspection_resolver(const gql_schema *s, const gql_type *parent, const gql_field *f);

#endif
