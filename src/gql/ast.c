/* ast.c: kind names and predicates, freeing documents and syntax errors. */
#include "ast.h"
#include <stdlib.h>

static const char *const kind_names[GQL_KIND_COUNT] = {
    [GQL_NAME] = "Name",
    [GQL_DOCUMENT] = "Document",
    [GQL_OPERATION_DEFINITION] = "OperationDefinition",
    [GQL_VARIABLE_DEFINITION] = "VariableDefinition",
    [GQL_SELECTION_SET] = "SelectionSet",
    [GQL_FIELD] = "Field",
    [GQL_ARGUMENT] = "Argument",
    [GQL_FRAGMENT_SPREAD] = "FragmentSpread",
    [GQL_INLINE_FRAGMENT] = "InlineFragment",
    [GQL_FRAGMENT_DEFINITION] = "FragmentDefinition",
    [GQL_VARIABLE] = "Variable",
    [GQL_INT_VALUE] = "IntValue",
    [GQL_FLOAT_VALUE] = "FloatValue",
    [GQL_STRING_VALUE] = "StringValue",
    [GQL_BOOLEAN_VALUE] = "BooleanValue",
    [GQL_NULL_VALUE] = "NullValue",
    [GQL_ENUM_VALUE] = "EnumValue",
    [GQL_LIST_VALUE] = "ListValue",
    [GQL_OBJECT_VALUE] = "ObjectValue",
    [GQL_OBJECT_FIELD] = "ObjectField",
    [GQL_DIRECTIVE] = "Directive",
    [GQL_NAMED_TYPE] = "NamedType",
    [GQL_LIST_TYPE] = "ListType",
    [GQL_NON_NULL_TYPE] = "NonNullType",
    [GQL_SCHEMA_DEFINITION] = "SchemaDefinition",
    [GQL_OPERATION_TYPE_DEFINITION] = "OperationTypeDefinition",
    [GQL_SCALAR_TYPE_DEFINITION] = "ScalarTypeDefinition",
    [GQL_OBJECT_TYPE_DEFINITION] = "ObjectTypeDefinition",
    [GQL_FIELD_DEFINITION] = "FieldDefinition",
    [GQL_INPUT_VALUE_DEFINITION] = "InputValueDefinition",
    [GQL_INTERFACE_TYPE_DEFINITION] = "InterfaceTypeDefinition",
    [GQL_UNION_TYPE_DEFINITION] = "UnionTypeDefinition",
    [GQL_ENUM_TYPE_DEFINITION] = "EnumTypeDefinition",
    [GQL_ENUM_VALUE_DEFINITION] = "EnumValueDefinition",
    [GQL_INPUT_OBJECT_TYPE_DEFINITION] = "InputObjectTypeDefinition",
    [GQL_DIRECTIVE_DEFINITION] = "DirectiveDefinition",
    [GQL_SCHEMA_EXTENSION] = "SchemaExtension",
    [GQL_SCALAR_TYPE_EXTENSION] = "ScalarTypeExtension",
    [GQL_OBJECT_TYPE_EXTENSION] = "ObjectTypeExtension",
    [GQL_INTERFACE_TYPE_EXTENSION] = "InterfaceTypeExtension",
    [GQL_UNION_TYPE_EXTENSION] = "UnionTypeExtension",
    [GQL_ENUM_TYPE_EXTENSION] = "EnumTypeExtension",
    [GQL_INPUT_OBJECT_TYPE_EXTENSION] = "InputObjectTypeExtension",
};

const char *gql_kind_name(gql_kind k) { return (unsigned)k < GQL_KIND_COUNT ? kind_names[k] : "Unknown"; }

/* The top-level type system definitions and extensions (graphql-js's
 * isTypeSystemDefinitionNode || isTypeSystemExtensionNode); the nodes nested in
 * them (FieldDefinition, InputValueDefinition, ...) are not definitions. */
bool gql_kind_is_type_system(gql_kind k) {
    switch (k) {
    case GQL_SCHEMA_DEFINITION:
    case GQL_SCALAR_TYPE_DEFINITION:
    case GQL_OBJECT_TYPE_DEFINITION:
    case GQL_INTERFACE_TYPE_DEFINITION:
    case GQL_UNION_TYPE_DEFINITION:
    case GQL_ENUM_TYPE_DEFINITION:
    case GQL_INPUT_OBJECT_TYPE_DEFINITION:
    case GQL_DIRECTIVE_DEFINITION:
        return true;
    default:
        return gql_kind_is_type_extension(k);
    }
}

bool gql_kind_is_type_extension(gql_kind k) {
    switch (k) {
    case GQL_SCHEMA_EXTENSION:
    case GQL_SCALAR_TYPE_EXTENSION:
    case GQL_OBJECT_TYPE_EXTENSION:
    case GQL_INTERFACE_TYPE_EXTENSION:
    case GQL_UNION_TYPE_EXTENSION:
    case GQL_ENUM_TYPE_EXTENSION:
    case GQL_INPUT_OBJECT_TYPE_EXTENSION:
        return true;
    default:
        return false;
    }
}

void gql_document_free(gql_document *doc) {
    if (!doc) return;
    /* The document lives in its own arena: copy the arena out before freeing. */
    gql_arena a = doc->arena;
    gql_arena_free(&a);
}

void gql_syntax_error_free(gql_syntax_error *e) {
    if (!e) return;
    free(e->message);
    free(e);
}
