/*
 * type_info.c: graphql-js's TypeInfo, node kind by node kind (see type_info.h).
 */
#include "type_info.h"
#include <string.h>

void gql_type_info_init(gql_type_info *ti, gql_schema *s, gql_arena *a)
{
    memset(ti, 0, sizeof *ti);
    ti->schema = s;
    ti->arena = a;
}

static void *top(const gql_ptrvec *v, uint32_t back)
{
    return v->count > back ? v->items[v->count - 1 - back] : NULL;
}

static void pop(gql_ptrvec *v)
{
    if (v->count > 0)
        v->count--;
}

static void push(gql_type_info *ti, gql_ptrvec *v, const void *p)
{
    gql_ptrvec_push(ti->arena, v, (void *)p);
}

gql_type *gql_ti_type(const gql_type_info *ti) { return top(&ti->types, 0); }
gql_type *gql_ti_parent_type(const gql_type_info *ti) { return top(&ti->parents, 0); }
gql_type *gql_ti_input_type(const gql_type_info *ti) { return top(&ti->inputs, 0); }
gql_type *gql_ti_parent_input_type(const gql_type_info *ti) { return top(&ti->inputs, 1); }
gql_field *gql_ti_field_def(const gql_type_info *ti) { return top(&ti->fields, 0); }
const gql_input_value *gql_ti_default_holder(const gql_type_info *ti) { return top(&ti->defaults, 0); }

gql_type *gql_ti_schema_type(gql_schema *s, const char *name, size_t len)
{
    gql_type *t = gql_schema_type_n(s, name, len);
    /* graphql-js's type map holds only the types the schema references: a
     * built-in scalar nobody uses is unknown. */
    if (t && (t->index >= s->type_count || s->types[t->index] != t))
        return NULL;
    return t;
}

/* A wrapper of `of`: the schema's interned one when it exists, else one of
 * our own, so that validation never writes to the (shared) schema. Nothing
 * here compares wrappers by address. */
static gql_type *wrapper(gql_arena *a, gql_type *of, gql_type_kind kind)
{
    gql_type *interned = kind == GQL_T_LIST ? of->list_of : of->non_null_of;
    if (interned)
        return interned;
    gql_type *t = gql_arena_calloc(a, sizeof *t);
    t->kind = kind;
    t->of_type = of;
    return t;
}

gql_type *gql_ti_type_from_ast(gql_schema *s, gql_arena *a, const gql_type_node *t)
{
    if (!t)
        return NULL;
    /* find the named type at the bottom, then wrap it from the inside out */
    uint32_t depth = 0;
    const gql_type_node *n = t;
    while (n->kind != GQL_NAMED_TYPE) {
        n = n->of;
        depth++;
    }
    gql_type *r = gql_ti_schema_type(s, n->name.value, n->name.len);
    while (r && depth > 0) {
        n = t;
        for (uint32_t i = 1; i < depth; i++)
            n = n->of;
        r = wrapper(a, r, n->kind == GQL_LIST_TYPE ? GQL_T_LIST : GQL_T_NON_NULL);
        depth--;
    }
    return r;
}

static bool name_is(const char *name, size_t len, const char *lit)
{
    return len == strlen(lit) && memcmp(name, lit, len) == 0;
}

gql_field *gql_ti_lookup_field(gql_schema *s, const gql_type *parent, const char *name, size_t len)
{
    if (name_is(name, len, "__schema") && s->query == parent)
        return &s->f_schema;
    if (name_is(name, len, "__type") && s->query == parent)
        return &s->f_type;
    if (name_is(name, len, "__typename") && gql_is_composite_type(parent))
        return &s->f_typename;
    if (parent->kind == GQL_T_OBJECT || parent->kind == GQL_T_INTERFACE)
        return gql_type_field(parent, name, len);
    return NULL;
}

void gql_ti_enter_selection_set(gql_type_info *ti)
{
    gql_type *named = gql_ti_type(ti) ? gql_named_type(gql_ti_type(ti)) : NULL;
    push(ti, &ti->parents, named && gql_is_composite_type(named) ? named : NULL);
}

void gql_ti_leave_selection_set(gql_type_info *ti) { pop(&ti->parents); }

void gql_ti_enter_field(gql_type_info *ti, const gql_selection *field)
{
    gql_type *parent = gql_ti_parent_type(ti);
    gql_field *def = NULL;
    gql_type *type = NULL;
    if (parent) {
        def = gql_ti_lookup_field(ti->schema, parent, field->name.value, field->name.len);
        if (def)
            type = def->type;
    }
    push(ti, &ti->fields, def);
    push(ti, &ti->types, type && gql_is_output_type(type) ? type : NULL);
}

void gql_ti_leave_field(gql_type_info *ti)
{
    pop(&ti->fields);
    pop(&ti->types);
}

void gql_ti_enter_directive(gql_type_info *ti, const gql_directive_node *d)
{
    ti->directive = gql_schema_directive(ti->schema, d->name.value, d->name.len);
}

void gql_ti_leave_directive(gql_type_info *ti) { ti->directive = NULL; }

void gql_ti_enter_operation(gql_type_info *ti, const gql_definition *op)
{
    gql_type *root = op->operation == GQL_OP_QUERY ? ti->schema->query
                   : op->operation == GQL_OP_MUTATION ? ti->schema->mutation
                   : ti->schema->subscription;
    push(ti, &ti->types, root && root->kind == GQL_T_OBJECT ? root : NULL);
}

void gql_ti_enter_fragment(gql_type_info *ti, const gql_type_node *type_condition)
{
    gql_type *t;
    if (type_condition)
        t = gql_ti_type_from_ast(ti->schema, ti->arena, type_condition);
    else
        t = gql_ti_type(ti) ? gql_named_type(gql_ti_type(ti)) : NULL;
    push(ti, &ti->types, t && gql_is_output_type(t) ? t : NULL);
}

void gql_ti_leave_typed(gql_type_info *ti) { pop(&ti->types); }

void gql_ti_enter_variable_definition(gql_type_info *ti, const gql_variable_definition *vd)
{
    gql_type *t = gql_ti_type_from_ast(ti->schema, ti->arena, vd->type);
    push(ti, &ti->inputs, t && gql_is_input_type(t) ? t : NULL);
}

void gql_ti_leave_variable_definition(gql_type_info *ti) { pop(&ti->inputs); }

void gql_ti_enter_argument(gql_type_info *ti, const gql_argument *arg)
{
    const gql_input_value *def = NULL;
    const gql_input_value *defs = NULL;
    uint32_t n = 0;
    if (ti->directive) {
        defs = ti->directive->args;
        n = ti->directive->arg_count;
    } else if (gql_ti_field_def(ti)) {
        defs = gql_ti_field_def(ti)->args;
        n = gql_ti_field_def(ti)->arg_count;
    }
    for (uint32_t i = 0; i < n; i++) {
        if (name_is(arg->name.value, arg->name.len, defs[i].name)) {
            def = &defs[i];
            break;
        }
    }
    ti->argument = def;
    push(ti, &ti->defaults, def);
    push(ti, &ti->inputs, def && gql_is_input_type(def->type) ? def->type : NULL);
}

void gql_ti_leave_argument(gql_type_info *ti)
{
    ti->argument = NULL;
    pop(&ti->defaults);
    pop(&ti->inputs);
}

void gql_ti_enter_list(gql_type_info *ti)
{
    gql_type *t = gql_ti_input_type(ti);
    gql_type *list = t ? gql_nullable_type(t) : NULL;
    gql_type *item = list && list->kind == GQL_T_LIST ? list->of_type : list;
    push(ti, &ti->defaults, NULL);   /* list positions never have a default value */
    push(ti, &ti->inputs, item && gql_is_input_type(item) ? item : NULL);
}

void gql_ti_enter_object_field(gql_type_info *ti, const gql_object_field *f)
{
    gql_type *t = gql_ti_input_type(ti);
    gql_type *obj = t ? gql_named_type(t) : NULL;
    const gql_input_value *field = NULL;
    if (obj && obj->kind == GQL_T_INPUT_OBJECT)
        field = gql_type_input_field(obj, f->name.value, f->name.len);
    push(ti, &ti->defaults, field);
    push(ti, &ti->inputs, field && gql_is_input_type(field->type) ? field->type : NULL);
}

void gql_ti_leave_input(gql_type_info *ti)
{
    pop(&ti->defaults);
    pop(&ti->inputs);
}

void gql_ti_enter_enum(gql_type_info *ti, const gql_value_node *v)
{
    gql_type *t = gql_ti_input_type(ti);
    gql_type *e = t ? gql_named_type(t) : NULL;
    ti->enum_value = e && e->kind == GQL_T_ENUM ? gql_type_enum_value(e, v->name.value, v->name.len) : NULL;
}

void gql_ti_leave_enum(gql_type_info *ti) { ti->enum_value = NULL; }
