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

/* True when the directive (@skip/@include) tells to skip; errors as gql_argument_values. */
bool gql_should_include(gql_arena *a, gql_schema *s, const gql_directive_node *dirs, uint32_t count,
                        const gql_val *variables);

/*
 * Result coercion of a leaf value: writes the serialized JSON into out and
 * returns NULL, or returns the field error message (graphql-js's, e.g.
 * "Int cannot represent non-integer value: 1.5") and writes nothing.
 */
const char *gql_serialize_leaf(gql_arena *a, const gql_type *leaf, const gql_rv *value, gql_buf *out);

/* Introspection's defaultValue: print(astFromValue(valueFromAST(default), type)), or NULL. */
const char *gql_default_value_str(gql_arena *a, const gql_input_value *iv);


#endif
