/*
 * ast.h: the GraphQL document tree, for executable documents and the whole
 * type system language (October 2021 spec plus graphql-js 16: repeatable,
 * interfaces implementing interfaces, descriptions everywhere).
 *
 * Every node lives in the arena of the document that owns it. Strings are
 * NUL-terminated and also carry their length (a decoded string may contain
 * U+0000). Lists are arrays with a count. Every node has its source location:
 * byte offsets and the 1-based line and column of its first character, which is
 * what graphql-js reports in "locations".
 */
#ifndef GQL_AST_H
#define GQL_AST_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"

typedef struct gql_loc {
    uint32_t start, end;     /* byte offsets into the source, end exclusive */
    uint32_t line, column;   /* of start, 1-based; columns count UTF-16 code units, as graphql-js does */
} gql_loc;

typedef enum gql_kind {
    GQL_NAME,
    GQL_DOCUMENT,
    GQL_OPERATION_DEFINITION,
    GQL_VARIABLE_DEFINITION,
    GQL_SELECTION_SET,
    GQL_FIELD,
    GQL_ARGUMENT,
    GQL_FRAGMENT_SPREAD,
    GQL_INLINE_FRAGMENT,
    GQL_FRAGMENT_DEFINITION,
    GQL_VARIABLE,
    GQL_INT_VALUE,
    GQL_FLOAT_VALUE,
    GQL_STRING_VALUE,
    GQL_BOOLEAN_VALUE,
    GQL_NULL_VALUE,
    GQL_ENUM_VALUE,
    GQL_LIST_VALUE,
    GQL_OBJECT_VALUE,
    GQL_OBJECT_FIELD,
    GQL_DIRECTIVE,
    GQL_NAMED_TYPE,
    GQL_LIST_TYPE,
    GQL_NON_NULL_TYPE,
    GQL_SCHEMA_DEFINITION,
    GQL_OPERATION_TYPE_DEFINITION,
    GQL_SCALAR_TYPE_DEFINITION,
    GQL_OBJECT_TYPE_DEFINITION,
    GQL_FIELD_DEFINITION,
    GQL_INPUT_VALUE_DEFINITION,
    GQL_INTERFACE_TYPE_DEFINITION,
    GQL_UNION_TYPE_DEFINITION,
    GQL_ENUM_TYPE_DEFINITION,
    GQL_ENUM_VALUE_DEFINITION,
    GQL_INPUT_OBJECT_TYPE_DEFINITION,
    GQL_DIRECTIVE_DEFINITION,
    GQL_SCHEMA_EXTENSION,
    GQL_SCALAR_TYPE_EXTENSION,
    GQL_OBJECT_TYPE_EXTENSION,
    GQL_INTERFACE_TYPE_EXTENSION,
    GQL_UNION_TYPE_EXTENSION,
    GQL_ENUM_TYPE_EXTENSION,
    GQL_INPUT_OBJECT_TYPE_EXTENSION,
    GQL_KIND_COUNT
} gql_kind;

/* graphql-js's Kind string for a kind ("OperationDefinition", ...). */
const char *gql_kind_name(gql_kind k);

typedef struct gql_name {
    const char *value;  /* NUL-terminated */
    uint32_t len;
    gql_loc loc;
} gql_name;

typedef struct gql_value_node gql_value_node;
typedef struct gql_type_node gql_type_node;
typedef struct gql_directive_node gql_directive_node;
typedef struct gql_selection_set gql_selection_set;

typedef struct gql_object_field {
    gql_loc loc;
    gql_name name;
    gql_value_node *value;
} gql_object_field;

/* A literal value in a document: kind is one of GQL_VARIABLE .. GQL_OBJECT_VALUE. */
struct gql_value_node {
    gql_kind kind;
    gql_loc loc;
    /* INT/FLOAT: the literal's text; STRING: the decoded value; ENUM: the name;
     * VARIABLE: the variable's name without '$' (name.loc covers the name only). */
    gql_name name;
    bool boolean;      /* BOOLEAN_VALUE */
    bool block;        /* STRING_VALUE written as a block string */
    gql_value_node **items;   /* LIST_VALUE */
    uint32_t item_count;
    gql_object_field *fields; /* OBJECT_VALUE */
    uint32_t field_count;
};

/* Type references: NAMED_TYPE (name), LIST_TYPE and NON_NULL_TYPE (of). */
struct gql_type_node {
    gql_kind kind;
    gql_loc loc;
    gql_name name;
    gql_type_node *of;
};

typedef struct gql_argument {
    gql_loc loc;
    gql_name name;
    gql_value_node *value;
} gql_argument;

struct gql_directive_node {
    gql_loc loc;
    gql_name name;
    gql_argument *args;
    uint32_t arg_count;
};

/* A selection: kind is GQL_FIELD, GQL_FRAGMENT_SPREAD or GQL_INLINE_FRAGMENT. */
typedef struct gql_selection {
    gql_kind kind;
    gql_loc loc;
    bool has_alias;
    gql_name alias;           /* FIELD: the response key (the name when no alias) */
    gql_name name;            /* FIELD: field name; FRAGMENT_SPREAD: fragment name */
    gql_argument *args;       /* FIELD */
    uint32_t arg_count;
    gql_directive_node *directives;
    uint32_t directive_count;
    gql_type_node *type_condition;      /* INLINE_FRAGMENT, may be NULL */
    gql_selection_set *selection_set;   /* FIELD (may be NULL), INLINE_FRAGMENT */
    uint32_t id;              /* unique per document: index for per-node side tables */
} gql_selection;

struct gql_selection_set {
    gql_loc loc;
    gql_selection *items;
    uint32_t count;
};

typedef enum gql_op_type { GQL_OP_QUERY, GQL_OP_MUTATION, GQL_OP_SUBSCRIPTION } gql_op_type;

typedef struct gql_variable_definition {
    gql_loc loc;
    gql_value_node *variable;   /* kind GQL_VARIABLE */
    gql_type_node *type;
    gql_value_node *default_value;  /* NULL when absent */
    gql_directive_node *directives;
    uint32_t directive_count;
} gql_variable_definition;

typedef struct gql_input_value_def {  /* INPUT_VALUE_DEFINITION: arguments and input fields */
    gql_loc loc;
    gql_value_node *description;      /* STRING_VALUE or NULL */
    gql_name name;
    gql_type_node *type;
    gql_value_node *default_value;
    gql_directive_node *directives;
    uint32_t directive_count;
} gql_input_value_def;

typedef struct gql_field_def {
    gql_loc loc;
    gql_value_node *description;
    gql_name name;
    gql_input_value_def *args;
    uint32_t arg_count;
    gql_type_node *type;
    gql_directive_node *directives;
    uint32_t directive_count;
} gql_field_def;

typedef struct gql_enum_value_def {
    gql_loc loc;
    gql_value_node *description;
    gql_name name;
    gql_directive_node *directives;
    uint32_t directive_count;
} gql_enum_value_def;

typedef struct gql_operation_type_def {
    gql_loc loc;
    gql_op_type operation;
    gql_type_node *type;   /* NAMED_TYPE */
} gql_operation_type_def;

/*
 * A top-level definition. kind says which; the fields that kind does not use
 * are zero. One struct for all of them keeps the parser, the schema builder and
 * the visitors simple.
 */
typedef struct gql_definition {
    gql_kind kind;
    gql_loc loc;
    gql_value_node *description;          /* type system definitions */
    bool has_name;
    gql_name name;                        /* operation (if named), fragment, type, directive */
    /* OPERATION_DEFINITION */
    gql_op_type operation;
    gql_variable_definition *variables;   /* also FRAGMENT_DEFINITION (legacy syntax, unused) */
    uint32_t variable_count;
    /* OPERATION_DEFINITION, FRAGMENT_DEFINITION */
    gql_type_node *type_condition;        /* FRAGMENT_DEFINITION */
    gql_selection_set *selection_set;
    /* every definition that takes directives */
    gql_directive_node *directives;
    uint32_t directive_count;
    /* SCHEMA_DEFINITION / SCHEMA_EXTENSION */
    gql_operation_type_def *operation_types;
    uint32_t operation_type_count;
    /* OBJECT / INTERFACE (definition or extension) */
    gql_type_node **interfaces;           /* NAMED_TYPE nodes */
    uint32_t interface_count;
    gql_field_def *fields;
    uint32_t field_count;
    /* UNION */
    gql_type_node **types;                /* NAMED_TYPE nodes */
    uint32_t type_count;
    /* ENUM */
    gql_enum_value_def *values;
    uint32_t value_count;
    /* INPUT_OBJECT */
    gql_input_value_def *input_fields;
    uint32_t input_field_count;
    /* DIRECTIVE_DEFINITION */
    gql_input_value_def *args;
    uint32_t arg_count;
    bool repeatable;
    gql_name *locations;                  /* the location names as written */
    uint32_t location_count;
} gql_definition;

typedef struct gql_document {
    gql_arena arena;          /* owns every node and string of the document */
    const char *source;       /* the source text (a copy owned by the arena) */
    uint32_t source_len;
    gql_loc loc;
    gql_definition *definitions;
    uint32_t definition_count;
    uint32_t selection_count; /* number of gql_selection nodes (ids 0..count-1) */
} gql_document;

/* True for the type system kinds (definitions and extensions). */
bool gql_kind_is_type_system(gql_kind k);
bool gql_kind_is_type_extension(gql_kind k);  /* *_TYPE_EXTENSION and SCHEMA_EXTENSION */

/*
 * Parsing. On success returns a document (free with gql_document_free) and
 * leaves *err NULL. On a syntax error returns NULL and sets *err to a message
 * worded as graphql-js 16 words it ("Syntax Error: Expected Name, found \"{\".")
 * with its line and column; free *err with gql_syntax_error_free.
 * The source need not be NUL-terminated; it is copied.
 */
typedef struct gql_syntax_error {
    char *message;
    uint32_t line, column;
} gql_syntax_error;

typedef struct gql_parse_options {
    uint32_t max_tokens;       /* 0: unlimited; graphql-js's maxTokens */
    uint32_t max_depth;        /* 0: default of 1000 (nesting of selections, values, types) */
} gql_parse_options;

gql_document *gql_parse(const char *src, size_t len, const gql_parse_options *opts, gql_syntax_error **err);
void gql_document_free(gql_document *doc);
void gql_syntax_error_free(gql_syntax_error *e);

/* Parse one value literal / one type reference (graphql-js parseValue, parseType);
 * nodes go into the given arena. */
gql_value_node *gql_parse_value(gql_arena *a, const char *src, size_t len, gql_syntax_error **err);
gql_type_node *gql_parse_type(gql_arena *a, const char *src, size_t len, gql_syntax_error **err);

#endif
