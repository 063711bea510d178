/*
 * coerce.h: input coercion (variables, argument literals, defaults) and result
 * coercion of leaf values, with graphql-js 16's semantics and messages:
 * coerceVariableValues, coerceInputValue, valueFromAST, getArgumentValues,
 * astFromValue (for introspection's defaultValue), and the built-in scalars'
 * serialize / parseValue / parseLiteral.
 */
#ifndef GQL_COERCE_H
#define GQL_COERCE_H
#include "ast.h"
#include "error.h"
#include "schema.h"
#include "value.h"

/*
 * coerceVariableValues: the operation's variable definitions against the
 * provided inputs (a GQL_V_OBJECT or NULL). Returns the coerced variables as a
 * GQL_V_OBJECT (absent variables without default are not members) or NULL with
 * errors added (graphql-js's "Variable \"$x\" got invalid value …" messages and
 * the variable definition's location). At most max_errors (0: 50) errors, then
 * "Too many errors processing variables, error limit reached. Execution aborted."
 */
gql_val *gql_coerce_variables(gql_arena *a, gql_schema *s, const gql_definition *op,
                              const gql_val *inputs, uint32_t max_errors, gql_errors *errs);

/*
 * valueFromAST: a literal (which may reference variables) coerced to type.
 * Returns NULL when the literal is invalid for the type (graphql-js's
 * undefined); *absent is set when the result is "absent" (a variable not
 * provided), in which case NULL is returned too. A valid null returns GQL_V_NULL.
 */
gql_val *gql_value_from_ast(gql_arena *a, const gql_value_node *node, const gql_type *type,
                            const gql_val *variables, bool *absent);

/*
 * getArgumentValues: the arguments of a field or directive node. Returns a
 * GQL_V_OBJECT, or NULL with one error added (graphql-js's messages, e.g.
 * 'Argument "x" of required type "Int!" was not provided.').
 */
gql_val *gql_argument_values(gql_arena *a, const gql_input_value *defs, uint32_t def_count,
                             const gql_argument *args, uint32_t arg_count, gql_loc node_loc,
                             const gql_val *variables, gql_errors *errs);

/* shouldIncludeNode: false when @skip(if: true) or @include(if: false) is among
 * dirs. An argument error (a variable not provided for a required if: argument)
 * is added to errs (when not NULL) and returns false. */
bool gql_should_include(gql_arena *a, gql_schema *s, const gql_directive_node *dirs, uint32_t count,
                        const gql_val *variables, gql_errors *errs);

/*
 * Result coercion of a leaf value: writes the serialized JSON into out and
 * returns NULL, or returns the field error message (graphql-js's, e.g.
 * "Int cannot represent non-integer value: 1.5") and writes nothing.
 */
const char *gql_serialize_leaf(gql_arena *a, const gql_type *leaf, const gql_rv *value, gql_buf *out);

/* Introspection's defaultValue: print(astFromValue(valueFromAST(default), type)), or NULL. */
const char *gql_default_value_str(gql_arena *a, const gql_input_value *iv);
/* The same, but where graphql-js's astFromValue throws (a custom scalar's default
 * that is an object or a list: "Cannot convert value to AST: { a: 1 }.", or a
 * serializer's error) returns NULL with *err set: introspection's defaultValue
 * field then has that field error. */
const char *gql_default_value(gql_arena *a, const gql_input_value *iv, const char **err);

/*
 * astFromValue(value, type): the literal for an internal value, or NULL (graphql-js's
 * null: undefined, or null for a non-null type); NULL with *err set where
 * graphql-js throws. Nodes live in the arena and have no locations.
 */
gql_value_node *gql_ast_from_value(gql_arena *a, const gql_val *value, const gql_type *type, const char **err);

/* ---- leaf types: the scalars' and enums' own coercion --------------------- */

typedef enum gql_leaf_result {
    GQL_LEAF_OK,             /* *out is the value */
    GQL_LEAF_UNDEFINED,      /* it returned undefined (a parse hook returned NULL without an error) */
    GQL_LEAF_GRAPHQL_ERROR,  /* it threw a GraphQLError: *msg is the whole message */
    GQL_LEAF_ERROR           /* it threw another error (a parse hook's *err): *msg, which graphql-js
                                wraps ('Expected type "X". ' + msg, or ValuesOfCorrectType's "…; msg") */
} gql_leaf_result;

/* parseValue of a scalar or enum type for an input value (input not NULL). */
gql_leaf_result gql_leaf_parse_value(gql_arena *a, const gql_type *leaf, const gql_val *input, gql_val **out,
                                     const char **msg);
/* parseLiteral of a scalar or enum type (variables may be NULL: undefined). */
gql_leaf_result gql_leaf_parse_literal(gql_arena *a, const gql_type *leaf, const gql_value_node *node,
                                       const gql_val *variables, gql_val **out, const char **msg);
/* serialize of a scalar or enum type, as a value: NULL and *out set, or the
 * error message. Enum values and coerced enum inputs are their names (strings). */
const char *gql_leaf_serialize(gql_arena *a, const gql_type *leaf, const gql_val *value, const gql_val **out);
/* valueFromASTUntyped: NULL for undefined (a variable not in variables). Enum
 * literals become GQL_V_ENUM. */
gql_val *gql_value_from_ast_untyped(gql_arena *a, const gql_value_node *node, const gql_val *variables);

/*
 * coerceInputValue(input, type) with graphql-js's default onError: NULL with
 * *err set to 'Invalid value 1 at "value.a": Int cannot …' on the first error.
 * For programs that coerce a JSON value of their own against an input type.
 */
gql_val *gql_coerce_input_value(gql_arena *a, const gql_val *input, const gql_type *type, const char **err);


#endif
