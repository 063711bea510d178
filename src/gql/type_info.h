/*
 * type_info.h: graphql-js's TypeInfo (utilities/TypeInfo.js): the stacks of
 * output types, parent composite types, input types, field definitions and
 * default values, plus the current directive, argument and enum value, kept
 * up to date by enter/leave calls from a document walk. Validation runs every
 * rule against one TypeInfo, and a fresh one per definition when it collects
 * variable usages, exactly as graphql-js does.
 *
 * "undefined" in graphql-js is NULL here. Type names are resolved the way
 * graphql-js's schema.getType does: only types in the schema's type map.
 */
#ifndef GQL_TYPE_INFO_H
#define GQL_TYPE_INFO_H
#include "arena.h"
#include "ast.h"
#include "schema.h"

typedef struct gql_type_info {
    gql_schema *schema;
    gql_arena *arena;
    gql_ptrvec types;       /* gql_type * or NULL */
    gql_ptrvec parents;     /* composite gql_type * or NULL */
    gql_ptrvec inputs;      /* input gql_type * or NULL */
    gql_ptrvec fields;      /* gql_field * or NULL */
    gql_ptrvec defaults;    /* const gql_input_value * whose default applies here, or NULL */
    gql_directive *directive;
    const gql_input_value *argument;
    const gql_enum_value *enum_value;
} gql_type_info;

void gql_type_info_init(gql_type_info *ti, gql_schema *s, gql_arena *a);

gql_type *gql_ti_type(const gql_type_info *ti);
gql_type *gql_ti_parent_type(const gql_type_info *ti);
gql_type *gql_ti_input_type(const gql_type_info *ti);
gql_type *gql_ti_parent_input_type(const gql_type_info *ti);
gql_field *gql_ti_field_def(const gql_type_info *ti);
/* The argument or input field whose default value applies at this input position. */
const gql_input_value *gql_ti_default_holder(const gql_type_info *ti);

void gql_ti_enter_selection_set(gql_type_info *ti);
void gql_ti_leave_selection_set(gql_type_info *ti);
void gql_ti_enter_field(gql_type_info *ti, const gql_selection *field);
void gql_ti_leave_field(gql_type_info *ti);
void gql_ti_enter_directive(gql_type_info *ti, const gql_directive_node *d);
void gql_ti_leave_directive(gql_type_info *ti);
void gql_ti_enter_operation(gql_type_info *ti, const gql_definition *op);
/* Inline fragment (type_condition may be NULL) or fragment definition. */
void gql_ti_enter_fragment(gql_type_info *ti, const gql_type_node *type_condition);
/* Leaving an operation, an inline fragment or a fragment definition. */
void gql_ti_leave_typed(gql_type_info *ti);
void gql_ti_enter_variable_definition(gql_type_info *ti, const gql_variable_definition *vd);
void gql_ti_leave_variable_definition(gql_type_info *ti);
void gql_ti_enter_argument(gql_type_info *ti, const gql_argument *arg);
void gql_ti_leave_argument(gql_type_info *ti);
void gql_ti_enter_list(gql_type_info *ti);
void gql_ti_enter_object_field(gql_type_info *ti, const gql_object_field *f);
/* Leaving a list value or an object field. */
void gql_ti_leave_input(gql_type_info *ti);
void gql_ti_enter_enum(gql_type_info *ti, const gql_value_node *v);
void gql_ti_leave_enum(gql_type_info *ti);

/* graphql-js's getFieldDef: meta fields (__schema, __type on the query type,
 * __typename on composite types), then the type's own fields. */
gql_field *gql_ti_lookup_field(gql_schema *s, const gql_type *parent, const char *name, size_t len);

/* schema.getType with graphql-js's type map semantics (NULL if not in the map). */
gql_type *gql_ti_schema_type(gql_schema *s, const char *name, size_t len);
/* typeFromAST against the type map. Wrappers the schema has not interned yet
 * are made in `a`: validation never writes to the schema. */
gql_type *gql_ti_type_from_ast(gql_schema *s, gql_arena *a, const gql_type_node *t);

#endif
