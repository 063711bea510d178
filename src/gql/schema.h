/*
 * schema.h: a GraphQL schema built from SDL, validated as graphql-js's
 * buildASTSchema + validateSchema would, and the hooks the embedding program
 * binds to it (resolvers per Type.field, scalar serializers, type resolvers).
 *
 * A schema owns one arena; types, fields and strings live there. Types are
 * reached by pointer; wrapper types (list, non-null) are interned so that two
 * references to [Foo!] are the same pointer. The introspection types and the
 * specified directives (@include, @skip, @deprecated, @specifiedBy, @oneOf)
 * are always present; built-in scalars are in the type map when something
 * references them, as in graphql-js (String and Boolean always are).
 */
#ifndef GQL_SCHEMA_H
#define GQL_SCHEMA_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "ast.h"
#include "error.h"
#include "value.h"

typedef enum gql_type_kind {
    GQL_T_SCALAR,
    GQL_T_OBJECT,
    GQL_T_INTERFACE,
    GQL_T_UNION,
    GQL_T_ENUM,
    GQL_T_INPUT_OBJECT,
    GQL_T_LIST,
    GQL_T_NON_NULL
} gql_type_kind;

typedef struct gql_type gql_type;
typedef struct gql_schema gql_schema;
typedef struct gql_field gql_field;

typedef struct gql_input_value {       /* an argument or an input field */
    const char *name;
    const char *description;           /* NULL when none */
    gql_type *type;
    gql_value_node *default_value;     /* the literal as written in SDL; NULL when none, and also
                                          when the literal does not coerce to the type (graphql-js
                                          then has an undefined defaultValue: the input is required
                                          if non-null and introspection shows defaultValue null);
                                          ast->default_value still holds the literal */
    const char *deprecation_reason;    /* NULL when not deprecated */
    const gql_input_value_def *ast;
} gql_input_value;

/* ---- the embedding program's hooks ---------------------------------------- */

/*
 * What a resolver returns. The executor completes it against the field's type:
 * scalars and enums are serialized, objects are executed with `obj` as their
 * source, lists item by item, GQL_RV_JSON values (a gql_val tree) are walked by
 * the default resolver (property of the same name).
 */
typedef enum gql_rv_kind {
    GQL_RV_NULL,
    GQL_RV_BOOL,
    GQL_RV_INT,
    GQL_RV_FLOAT,
    GQL_RV_STRING,
    GQL_RV_OBJECT,   /* obj: an opaque source for the child fields; type: its concrete type when the field is abstract (or NULL: ask the abstract type's resolve_type) */
    GQL_RV_LIST,     /* items/count */
    GQL_RV_JSON,     /* json: a gql_val; objects in it are sources for the default resolver */
    GQL_RV_ERROR     /* error: message of a field error; code: extensions.code or NULL; ext: more extensions members (an object) or NULL */
} gql_rv_kind;

typedef struct gql_rv gql_rv;
struct gql_rv {
    gql_rv_kind kind;
    union {
        bool b;
        int64_t i;
        double f;
        struct { const char *s; uint32_t len; } str;
        struct { const void *obj; const gql_type *type; } object;
        struct { gql_rv *items; uint32_t count; } list;
        const gql_val *json;
        struct { const char *message; const char *code; const gql_val *ext; } error;
    } u;
};

typedef struct gql_resolve_info gql_resolve_info;   /* defined in execute.h */

/* Resolve one field. `source` is the parent's obj (or root value); `args` the
 * coerced arguments as a GQL_V_OBJECT (absent arguments are not members). */
typedef gql_rv (*gql_resolver_fn)(const void *source, const gql_val *args, gql_resolve_info *info);

/* Pick the concrete object type of a value of an abstract type; NULL if unknown. */
typedef const gql_type *(*gql_resolve_type_fn)(const gql_rv *value, const gql_type *abstract_type, gql_resolve_info *info);

/* Custom scalar hooks. serialize writes the result value as JSON into out, or
 * returns an error message (arena-allocated) for a field error.
 * parse turns an input (from variables, or from a literal converted to a
 * gql_val) into the internal value, or returns NULL with *err set. */
typedef const char *(*gql_scalar_serialize_fn)(const gql_rv *value, gql_buf *out, gql_arena *a, void *ud);
typedef gql_val *(*gql_scalar_parse_fn)(const gql_val *input, gql_arena *a, const char **err, void *ud);

/* ---- types --------------------------------------------------------------- */

struct gql_field {
    const char *name;
    const char *description;
    gql_type *type;
    gql_input_value *args;
    uint32_t arg_count;
    const char *deprecation_reason;
    const gql_field_def *ast;
    gql_type *parent;           /* the object or interface type that declares it */
    uint32_t index;             /* position in the parent's fields */
    gql_resolver_fn resolve;    /* bound by gql_schema_bind; NULL: default resolver */
    void *resolve_ud;           /* user data for the resolver, via info->field->resolve_ud */
};

typedef struct gql_enum_value {
    const char *name;
    const char *description;
    const char *deprecation_reason;
    const gql_enum_value_def *ast;
} gql_enum_value;

struct gql_type {
    gql_type_kind kind;
    const char *name;            /* NULL for LIST and NON_NULL */
    const char *description;
    gql_type *of_type;           /* LIST, NON_NULL */
    gql_type *list_of;           /* interned [this], created on demand */
    gql_type *non_null_of;       /* interned this!, created on demand */

    gql_field *fields;           /* OBJECT, INTERFACE */
    uint32_t field_count;
    gql_type **interfaces;       /* OBJECT, INTERFACE */
    uint32_t interface_count;
    gql_type **members;          /* UNION */
    uint32_t member_count;
    gql_type **possible_types;   /* INTERFACE: the objects implementing it, in schema type order; UNION: = members */
    uint32_t possible_count;
    gql_enum_value *values;      /* ENUM */
    uint32_t value_count;
    gql_input_value *input_fields; /* INPUT_OBJECT */
    uint32_t input_field_count;
    bool one_of;                 /* INPUT_OBJECT with @oneOf */
    const char *specified_by_url;  /* SCALAR with @specifiedBy */
    bool builtin;                /* built-in scalar or introspection type */

    const gql_definition *ast;   /* the definition (NULL for built-ins) */
    const gql_definition **extension_asts;
    uint32_t extension_count;
    uint32_t index;              /* position in schema->types (UINT32_MAX for wrappers and unreferenced built-in scalars) */

    /* hooks */
    gql_resolve_type_fn resolve_type;         /* INTERFACE, UNION */
    gql_scalar_serialize_fn serialize;        /* SCALAR (custom); NULL: pass-through */
    gql_scalar_parse_fn parse;                /* SCALAR (custom); NULL: pass-through */
    void *scalar_ud;
};

typedef enum gql_directive_location {
    /* executable */
    GQL_DL_QUERY, GQL_DL_MUTATION, GQL_DL_SUBSCRIPTION, GQL_DL_FIELD,
    GQL_DL_FRAGMENT_DEFINITION, GQL_DL_FRAGMENT_SPREAD, GQL_DL_INLINE_FRAGMENT,
    GQL_DL_VARIABLE_DEFINITION,
    /* type system */
    GQL_DL_SCHEMA, GQL_DL_SCALAR, GQL_DL_OBJECT, GQL_DL_FIELD_DEFINITION,
    GQL_DL_ARGUMENT_DEFINITION, GQL_DL_INTERFACE, GQL_DL_UNION, GQL_DL_ENUM,
    GQL_DL_ENUM_VALUE, GQL_DL_INPUT_OBJECT, GQL_DL_INPUT_FIELD_DEFINITION,
    GQL_DL_DIRECTIVE_DEFINITION,   /* graphql-js 16.15 (for @deprecated on directives) */
    GQL_DL_COUNT
} gql_directive_location;

const char *gql_directive_location_name(gql_directive_location l);     /* "FIELD_DEFINITION" */
int gql_directive_location_from_name(const char *name);               /* -1 if unknown */

typedef struct gql_directive {
    const char *name;
    const char *description;
    gql_input_value *args;
    uint32_t arg_count;
    uint32_t locations;          /* bit set of 1u << gql_directive_location */
    bool repeatable;
    bool builtin;
    const char *deprecation_reason;  /* always NULL from SDL (graphql-js only sets it with an experimental parser option) */
    const gql_definition *ast;
} gql_directive;

struct gql_schema {
    gql_arena arena;
    const char *description;
    gql_type *query, *mutation, *subscription;
    gql_type **types;            /* every named type, in the order of graphql-js's Object.values(schema.getTypeMap())
                                    (built-in scalars that nothing references are not in it, as in graphql-js) */
    uint32_t type_count;
    gql_directive **directives;  /* as graphql-js's getDirectives(): the document's, then the specified ones
                                    (@include @skip @deprecated @specifiedBy @oneOf) it does not redefine */
    uint32_t directive_count;
    /* name -> type hash (open addressing) */
    gql_type **type_table;
    uint32_t type_table_size;
    /* built-ins, for quick reference; always set, even when a scalar is not in
     * the type map (String and Boolean always are, via introspection) */
    gql_type *t_int, *t_float, *t_string, *t_boolean, *t_id;
    gql_type *t_schema, *t_type;   /* __Schema, __Type */
    /* meta fields: __schema, __type, __typename */
    gql_field f_schema, f_type, f_typename;
    const gql_definition *schema_ast;
    const gql_definition **schema_extension_asts;   /* `extend schema` definitions, in document order */
    uint32_t schema_extension_count;
    gql_document *owned_doc;     /* the parsed SDL when built by gql_schema_build (freed with the schema) */
    gql_document *builtin_doc;   /* the built-in definitions (descriptions and defaults point into it) */
};

/*
 * Build a schema from SDL source. On failure returns NULL and fills errs with
 * the errors graphql-js would raise (assertValidSDL's messages, then
 * validateSchema's), each with locations where graphql-js gives them.
 * `errs` must be initialised with an arena that outlives the call's use of them.
 */
gql_schema *gql_schema_build(const char *sdl, size_t len, gql_errors *errs);
/* Same from an already parsed document (which must outlive the schema). */
gql_schema *gql_schema_build_ast(const gql_document *doc, gql_errors *errs);
void gql_schema_free(gql_schema *s);

gql_type *gql_schema_type(const gql_schema *s, const char *name);
gql_type *gql_schema_type_n(const gql_schema *s, const char *name, size_t len);
gql_directive *gql_schema_directive(const gql_schema *s, const char *name, size_t len);
gql_type *gql_type_list(gql_schema *s, gql_type *of);
gql_type *gql_type_non_null(gql_schema *s, gql_type *of);
/* The field of an object or interface type by name, NULL if none (meta fields not included). */
gql_field *gql_type_field(const gql_type *t, const char *name, size_t len);
gql_input_value *gql_field_arg(const gql_field *f, const char *name, size_t len);
gql_input_value *gql_type_input_field(const gql_type *t, const char *name, size_t len);
gql_enum_value *gql_type_enum_value(const gql_type *t, const char *name, size_t len);
/* Resolve a type reference of a document against the schema (NULL if unknown).
 * Missing wrapper types are interned into the schema's arena: use it at load
 * time only. */
gql_type *gql_type_from_ast(gql_schema *s, const gql_type_node *t);
/* The same for request time: never modifies the schema; wrappers the schema
 * does not have yet are made in `a` (so they are not interned: compare types
 * with gql_types_equal, not by pointer). */
gql_type *gql_type_from_ast_in(gql_schema *s, gql_arena *a, const gql_type_node *t);

/* Type predicates, as graphql-js defines them. */
gql_type *gql_named_type(gql_type *t);      /* strip list and non-null */
gql_type *gql_nullable_type(gql_type *t);   /* strip one non-null */
bool gql_is_input_type(const gql_type *t);
bool gql_is_output_type(const gql_type *t);
bool gql_is_leaf_type(const gql_type *t);
bool gql_is_composite_type(const gql_type *t);
bool gql_is_abstract_type(const gql_type *t);
bool gql_is_required_input(const gql_input_value *v);   /* non-null type and no default */
bool gql_is_possible_type(const gql_type *abstract, const gql_type *object);
bool gql_is_sub_type(const gql_type *super, const gql_type *maybe_sub);  /* schema.isSubType */
bool gql_types_overlap(const gql_type *a, const gql_type *b);            /* doTypesOverlap */
bool gql_is_type_sub_type_of(const gql_type *maybe_sub, const gql_type *super);  /* isTypeSubTypeOf */
bool gql_types_equal(const gql_type *a, const gql_type *b);              /* isEqualType */
/* The type as graphql-js prints it: "[Foo!]!" (arena-allocated). */
const char *gql_type_str(gql_arena *a, const gql_type *t);

/* ---- binding -------------------------------------------------------------- */
/* Bind a resolver to "Type.field" once, at load time. Returns false if there is no such field. */
bool gql_schema_bind(gql_schema *s, const char *type_name, const char *field_name, gql_resolver_fn fn, void *ud);
bool gql_schema_bind_type_resolver(gql_schema *s, const char *type_name, gql_resolve_type_fn fn);
bool gql_schema_bind_scalar(gql_schema *s, const char *scalar_name, gql_scalar_serialize_fn ser, gql_scalar_parse_fn parse, void *ud);

#endif
