/*
 * introspection.c: the resolvers of graphql-js's type/introspection.js over the
 * schema structs. The schema declares the introspection types; their values
 * are GQL_RV_OBJECTs whose obj is the schema struct they describe:
 * __Schema: gql_schema, __Type: gql_type (wrappers included), __Field:
 * gql_field, __InputValue: gql_input_value, __EnumValue: gql_enum_value,
 * __Directive: gql_directive. The planner looks a resolver up once per field.
 * Of the resolve info they read only the schema and the arena: the executor
 * passes them a request-wide info without the field's members.
 */
#include <string.h>
#include "coerce.h"
#include "execute_internal.h"

#define UNUSED_RESOLVER_ARGS (void)args; (void)info

static gql_rv str_or_null(const char *s) { return s ? gql_rv_str(s, (uint32_t)strlen(s)) : gql_rv_null(); }
static gql_rv obj_or_null(const void *o) { return o ? gql_rv_obj(o, NULL) : gql_rv_null(); }

static gql_rv type_list(gql_resolve_info *info, gql_type *const *types, uint32_t n) {
    gql_rv r = {.kind = GQL_RV_LIST};
    r.u.list.items = gql_arena_alloc(info->arena, (n ? n : 1) * sizeof(gql_rv));
    for (uint32_t i = 0; i < n; i++) r.u.list.items[i] = gql_rv_obj(types[i], NULL);
    r.u.list.count = n;
    return r;
}

/* A list of the elements of an array of structs, without the deprecated ones
 * unless includeDeprecated is true. */
static gql_rv filtered_list(gql_resolve_info *info, const gql_val *args, const void *base, size_t size, uint32_t n,
                            size_t reason_offset) {
    const gql_val *inc = gql_val_get(args, "includeDeprecated", 17);
    bool include_deprecated = inc && inc->kind == GQL_V_BOOL && inc->u.b;
    gql_rv r = {.kind = GQL_RV_LIST};
    r.u.list.items = gql_arena_alloc(info->arena, (n ? n : 1) * sizeof(gql_rv));
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        const char *elem = (const char *)base + i * size;
        const char *reason;
        memcpy(&reason, elem + reason_offset, sizeof reason);
        if (include_deprecated || !reason) r.u.list.items[k++] = gql_rv_obj(elem, NULL);
    }
    r.u.list.count = k;
    return r;
}

/* ---- meta fields ----------------------------------------------------------- */

static gql_rv meta_schema(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src;
    UNUSED_RESOLVER_ARGS;
    return gql_rv_obj(info->schema, NULL);
}

static gql_rv meta_type(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src;
    const gql_val *name = gql_val_get(args, "name", 4);
    if (!name || name->kind != GQL_V_STRING) return gql_rv_null();
    return obj_or_null(gql_schema_type_n(info->schema, name->u.str.s, name->u.str.len));
}

/* ---- __Schema ------------------------------------------------------------- */

static gql_rv schema_description(const void *src, const gql_val *args, gql_resolve_info *info) {
    UNUSED_RESOLVER_ARGS;
    return str_or_null(((const gql_schema *)src)->description);
}
static gql_rv schema_types(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args;
    const gql_schema *s = src;
    return type_list(info, s->types, s->type_count);
}
static gql_rv schema_query_type(const void *src, const gql_val *args, gql_resolve_info *info) {
    UNUSED_RESOLVER_ARGS;
    return obj_or_null(((const gql_schema *)src)->query);
}
static gql_rv schema_mutation_type(const void *src, const gql_val *args, gql_resolve_info *info) {
    UNUSED_RESOLVER_ARGS;
    return obj_or_null(((const gql_schema *)src)->mutation);
}
static gql_rv schema_subscription_type(const void *src, const gql_val *args, gql_resolve_info *info) {
    UNUSED_RESOLVER_ARGS;
    return obj_or_null(((const gql_schema *)src)->subscription);
}

static const char *directive_deprecation(const gql_directive *d) { return d->deprecation_reason; }

static gql_rv schema_directives(const void *src, const gql_val *args, gql_resolve_info *info) {
    const gql_schema *s = src;
    const gql_val *inc = gql_val_get(args, "includeDeprecated", 17);
    bool include_deprecated = inc && inc->kind == GQL_V_BOOL && inc->u.b;
    gql_rv r = {.kind = GQL_RV_LIST};
    r.u.list.items = gql_arena_alloc(info->arena, (s->directive_count + 1) * sizeof(gql_rv));
    uint32_t k = 0;
    for (uint32_t i = 0; i < s->directive_count; i++)
        if (include_deprecated || !directive_deprecation(s->directives[i]))
            r.u.list.items[k++] = gql_rv_obj(s->directives[i], NULL);
    r.u.list.count = k;
    return r;
}

/* ---- __Type ----------------------------------------------------------------- */

static const char *const kind_names[] = {"SCALAR", "OBJECT", "INTERFACE", "UNION",
                                         "ENUM", "INPUT_OBJECT", "LIST", "NON_NULL"};

static const uint8_t kind_name_lens[] = {6, 6, 9, 5, 4, 12, 4, 8};

/* The name of the __TypeKind value: the schema's own string when it has the
 * built-in __Type (its first field is kind: __TypeKind!, whose values are in
 * the order of gql_type_kind), which the executor recognises without comparing
 * strings. */
static gql_rv type_kind(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args;
    gql_type_kind k = ((const gql_type *)src)->kind;
    const gql_type *t = info->schema->t_type;
    if (t && t->field_count && t->fields[0].type->kind == GQL_T_NON_NULL) {
        const gql_type *e = t->fields[0].type->of_type;
        if (e->kind == GQL_T_ENUM && e->value_count == 8 && e->values[k].name[0] == kind_names[k][0])
            return gql_rv_str(e->values[k].name, kind_name_lens[k]);
    }
    return gql_rv_str(kind_names[k], kind_name_lens[k]);
}
static gql_rv type_name(const void *src, const gql_val *args, gql_resolve_info *info) {
    UNUSED_RESOLVER_ARGS;
    return str_or_null(((const gql_type *)src)->name);
}
static gql_rv type_description(const void *src, const gql_val *args, gql_resolve_info *info) {
    UNUSED_RESOLVER_ARGS;
    const gql_type *t = src;
    return t->name ? str_or_null(t->description) : gql_rv_null();
}
static gql_rv type_specified_by_url(const void *src, const gql_val *args, gql_resolve_info *info) {
    UNUSED_RESOLVER_ARGS;
    const gql_type *t = src;
    return t->kind == GQL_T_SCALAR ? str_or_null(t->specified_by_url) : gql_rv_null();
}
static gql_rv type_fields(const void *src, const gql_val *args, gql_resolve_info *info) {
    const gql_type *t = src;
    if (t->kind != GQL_T_OBJECT && t->kind != GQL_T_INTERFACE) return gql_rv_null();
    return filtered_list(info, args, t->fields, sizeof *t->fields, t->field_count,
                         offsetof(gql_field, deprecation_reason));
}
static gql_rv type_interfaces(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args;
    const gql_type *t = src;
    if (t->kind != GQL_T_OBJECT && t->kind != GQL_T_INTERFACE) return gql_rv_null();
    return type_list(info, t->interfaces, t->interface_count);
}
static gql_rv type_possible_types(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args;
    const gql_type *t = src;
    if (t->kind != GQL_T_INTERFACE && t->kind != GQL_T_UNION) return gql_rv_null();
    return type_list(info, t->possible_types, t->possible_count);
}
static gql_rv type_enum_values(const void *src, const gql_val *args, gql_resolve_info *info) {
    const gql_type *t = src;
    if (t->kind != GQL_T_ENUM) return gql_rv_null();
    return filtered_list(info, args, t->values, sizeof *t->values, t->value_count,
                         offsetof(gql_enum_value, deprecation_reason));
}
static gql_rv type_input_fields(const void *src, const gql_val *args, gql_resolve_info *info) {
    const gql_type *t = src;
    if (t->kind != GQL_T_INPUT_OBJECT) return gql_rv_null();
    return filtered_list(info, args, t->input_fields, sizeof *t->input_fields, t->input_field_count,
                         offsetof(gql_input_value, deprecation_reason));
}
static gql_rv type_of_type(const void *src, const gql_val *args, gql_resolve_info *info) {
    UNUSED_RESOLVER_ARGS;
    return obj_or_null(((const gql_type *)src)->of_type);
}
static gql_rv type_is_one_of(const void *src, const gql_val *args, gql_resolve_info *info) {
    UNUSED_RESOLVER_ARGS;
    const gql_type *t = src;
    return t->kind == GQL_T_INPUT_OBJECT ? gql_rv_bool(t->one_of) : gql_rv_null();
}

/* ---- __Field -------------------------------------------------------------------- */

static gql_rv field_name(const void *src, const gql_val *args, gql_resolve_info *info) {
    UNUSED_RESOLVER_ARGS;
    return str_or_null(((const gql_field *)src)->name);
}
static gql_rv field_description(const void *src, const gql_val *args, gql_resolve_info *info) {
    UNUSED_RESOLVER_ARGS;
    return str_or_null(((const gql_field *)src)->description);
}
static gql_rv field_args(const void *src, const gql_val *args, gql_resolve_info *info) {
    const gql_field *f = src;
    return filtered_list(info, args, f->args, sizeof *f->args, f->arg_count,
                         offsetof(gql_input_value, deprecation_reason));
}
static gql_rv field_type(const void *src, const gql_val *args, gql_resolve_info *info) {
    UNUSED_RESOLVER_ARGS;
    return obj_or_null(((const gql_field *)src)->type);
}
static gql_rv field_is_deprecated(const void *src, const gql_val *args, gql_resolve_info *info) {
    UNUSED_RESOLVER_ARGS;
    return gql_rv_bool(((const gql_field *)src)->deprecation_reason != NULL);
}
static gql_rv field_deprecation_reason(const void *src, const gql_val *args, gql_resolve_info *info) {
    UNUSED_RESOLVER_ARGS;
    return str_or_null(((const gql_field *)src)->deprecation_reason);
}

/* ---- __InputValue ------------------------------------------------------------ */

static gql_rv input_name(const void *src, const gql_val *args, gql_resolve_info *info) {
    UNUSED_RESOLVER_ARGS;
    return str_or_null(((const gql_input_value *)src)->name);
}
static gql_rv input_description(const void *src, const gql_val *args, gql_resolve_info *info) {
    UNUSED_RESOLVER_ARGS;
    return str_or_null(((const gql_input_value *)src)->description);
}
static gql_rv input_type(const void *src, const gql_val *args, gql_resolve_info *info) {
    UNUSED_RESOLVER_ARGS;
    return obj_or_null(((const gql_input_value *)src)->type);
}
static gql_rv input_default_value(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args;
    const gql_input_value *iv = src;
    if (!iv->default_value) return gql_rv_null();
    const char *err = NULL;
    const char *printed = gql_default_value(info->arena, iv, &err);
    if (err) return gql_rv_error(err, NULL);   /* astFromValue threw */
    return str_or_null(printed);
}
static gql_rv input_is_deprecated(const void *src, const gql_val *args, gql_resolve_info *info) {
    UNUSED_RESOLVER_ARGS;
    return gql_rv_bool(((const gql_input_value *)src)->deprecation_reason != NULL);
}
static gql_rv input_deprecation_reason(const void *src, const gql_val *args, gql_resolve_info *info) {
    UNUSED_RESOLVER_ARGS;
    return str_or_null(((const gql_input_value *)src)->deprecation_reason);
}

/* ---- __EnumValue ------------------------------------------------------------- */

static gql_rv enum_name(const void *src, const gql_val *args, gql_resolve_info *info) {
    UNUSED_RESOLVER_ARGS;
    return str_or_null(((const gql_enum_value *)src)->name);
}
static gql_rv enum_description(const void *src, const gql_val *args, gql_resolve_info *info) {
    UNUSED_RESOLVER_ARGS;
    return str_or_null(((const gql_enum_value *)src)->description);
}
static gql_rv enum_is_deprecated(const void *src, const gql_val *args, gql_resolve_info *info) {
    UNUSED_RESOLVER_ARGS;
    return gql_rv_bool(((const gql_enum_value *)src)->deprecation_reason != NULL);
}
static gql_rv enum_deprecation_reason(const void *src, const gql_val *args, gql_resolve_info *info) {
    UNUSED_RESOLVER_ARGS;
    return str_or_null(((const gql_enum_value *)src)->deprecation_reason);
}

/* ---- __Directive ----------------------------------------------------------- */

static gql_rv directive_name(const void *src, const gql_val *args, gql_resolve_info *info) {
    UNUSED_RESOLVER_ARGS;
    return str_or_null(((const gql_directive *)src)->name);
}
static gql_rv directive_description(const void *src, const gql_val *args, gql_resolve_info *info) {
    UNUSED_RESOLVER_ARGS;
    return str_or_null(((const gql_directive *)src)->description);
}
static gql_rv directive_is_repeatable(const void *src, const gql_val *args, gql_resolve_info *info) {
    UNUSED_RESOLVER_ARGS;
    return gql_rv_bool(((const gql_directive *)src)->repeatable);
}

/* The specified directives' locations in graphql-js's order (which is not the
 * enum's); a document's directives list theirs as written. */
static const struct {
    const char *directive;
    const char *locations[6];
} builtin_locations[] = {
    {"include", {"FIELD", "FRAGMENT_SPREAD", "INLINE_FRAGMENT"}},
    {"skip", {"FIELD", "FRAGMENT_SPREAD", "INLINE_FRAGMENT"}},
    {"deprecated",
     {"FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INPUT_FIELD_DEFINITION", "ENUM_VALUE", "DIRECTIVE_DEFINITION"}},
    {"specifiedBy", {"SCALAR"}},
    {"oneOf", {"INPUT_OBJECT"}},
};

static gql_rv directive_locations(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args;
    const gql_directive *d = src;
    gql_rv r = {.kind = GQL_RV_LIST};
    if (d->ast) {
        r.u.list.items = gql_arena_alloc(info->arena, (d->ast->location_count + 1) * sizeof(gql_rv));
        for (uint32_t i = 0; i < d->ast->location_count; i++)
            r.u.list.items[i] = gql_rv_str(d->ast->locations[i].value, d->ast->locations[i].len);
        r.u.list.count = d->ast->location_count;
        return r;
    }
    for (size_t b = 0; b < sizeof builtin_locations / sizeof *builtin_locations; b++) {
        if (strcmp(builtin_locations[b].directive, d->name) != 0) continue;
        r.u.list.items = gql_arena_alloc(info->arena, 6 * sizeof(gql_rv));
        for (const char *const *l = builtin_locations[b].locations; *l && r.u.list.count < 6; l++)
            r.u.list.items[r.u.list.count++] = str_or_null(*l);
        return r;
    }
    /* neither: the location set in the enum's order */
    r.u.list.items = gql_arena_alloc(info->arena, GQL_DL_COUNT * sizeof(gql_rv));
    for (int l = 0; l < GQL_DL_COUNT; l++)
        if (d->locations & (1u << l))
            r.u.list.items[r.u.list.count++] = str_or_null(gql_directive_location_name((gql_directive_location)l));
    return r;
}
static gql_rv directive_args(const void *src, const gql_val *args, gql_resolve_info *info) {
    const gql_directive *d = src;
    return filtered_list(info, args, d->args, sizeof *d->args, d->arg_count,
                         offsetof(gql_input_value, deprecation_reason));
}
static gql_rv directive_is_deprecated(const void *src, const gql_val *args, gql_resolve_info *info) {
    UNUSED_RESOLVER_ARGS;
    return gql_rv_bool(directive_deprecation(src) != NULL);
}
static gql_rv directive_deprecation_reason(const void *src, const gql_val *args, gql_resolve_info *info) {
    UNUSED_RESOLVER_ARGS;
    return str_or_null(directive_deprecation(src));
}

/* ---- lookup ------------------------------------------------------------------ */

static const struct {
    const char *type, *field;
    gql_resolver_fn fn;
} resolvers[] = {
    {"__Schema", "description", schema_description},
    {"__Schema", "types", schema_types},
    {"__Schema", "queryType", schema_query_type},
    {"__Schema", "mutationType", schema_mutation_type},
    {"__Schema", "subscriptionType", schema_subscription_type},
    {"__Schema", "directives", schema_directives},
    {"__Type", "kind", type_kind},
    {"__Type", "name", type_name},
    {"__Type", "description", type_description},
    {"__Type", "specifiedByURL", type_specified_by_url},
    {"__Type", "fields", type_fields},
    {"__Type", "interfaces", type_interfaces},
    {"__Type", "possibleTypes", type_possible_types},
    {"__Type", "enumValues", type_enum_values},
    {"__Type", "inputFields", type_input_fields},
    {"__Type", "ofType", type_of_type},
    {"__Type", "isOneOf", type_is_one_of},
    {"__Field", "name", field_name},
    {"__Field", "description", field_description},
    {"__Field", "args", field_args},
    {"__Field", "type", field_type},
    {"__Field", "isDeprecated", field_is_deprecated},
    {"__Field", "deprecationReason", field_deprecation_reason},
    {"__InputValue", "name", input_name},
    {"__InputValue", "description", input_description},
    {"__InputValue", "type", input_type},
    {"__InputValue", "defaultValue", input_default_value},
    {"__InputValue", "isDeprecated", input_is_deprecated},
    {"__InputValue", "deprecationReason", input_deprecation_reason},
    {"__EnumValue", "name", enum_name},
    {"__EnumValue", "description", enum_description},
    {"__EnumValue", "isDeprecated", enum_is_deprecated},
    {"__EnumValue", "deprecationReason", enum_deprecation_reason},
    {"__Directive", "name", directive_name},
    {"__Directive", "description", directive_description},
    {"__Directive", "isRepeatable", directive_is_repeatable},
    {"__Directive", "locations", directive_locations},
    {"__Directive", "args", directive_args},
    {"__Directive", "isDeprecated", directive_is_deprecated},
    {"__Directive", "deprecationReason", directive_deprecation_reason},
};

gql_resolver_fn gql_introspection_resolver(const gql_schema *s, const gql_type *parent, const gql_field *f) {
    if (f == &s->f_schema) return meta_schema;
    if (f == &s->f_type) return meta_type;
    if (!parent->builtin || !parent->name || strncmp(parent->name, "__", 2) != 0) return NULL;
    for (size_t i = 0; i < sizeof resolvers / sizeof *resolvers; i++)
        if (strcmp(resolvers[i].type, parent->name) == 0 && strcmp(resolvers[i].field, f->name) == 0)
            return resolvers[i].fn;
    return NULL;
}
