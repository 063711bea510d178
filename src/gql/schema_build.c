/*
 * schema_build.c: gql_schema_build, a port of graphql-js 16's buildASTSchema
 * (utilities/buildASTSchema.js, extendSchemaImpl in extendSchema.js) and of
 * the GraphQLSchema constructor's type collection (type/schema.js).
 *
 * graphql-js builds lazily (field maps are thunks evaluated by the schema
 * constructor) and some steps can throw (a bad @deprecated/@specifiedBy
 * argument, a default value of an output type, an input object whose default
 * values need its own fields: stack overflow). Only the first throw is
 * reported, so the steps here run in graphql-js's evaluation order:
 *   A. each type definition in document order: scalars' @specifiedBy, enum
 *      values (with @deprecated), input objects' @oneOf;
 *   B. each directive definition: its arguments;
 *   C. the constructor's walk: for each document type in order, its union
 *      members / interfaces / fields (arguments, then the field's
 *      @deprecated) / input fields; then the root types, the directives'
 *      arguments, and __Schema.
 * Input object fields are evaluated on first use (a default value literal
 * reaches them), as graphql-js's getFields() thunk is.
 *
 * The type order is the constructor's: a Set seeded with the document's
 * types, from which each type is removed and re-added as it is walked.
 */
#include <stdlib.h>
#include <string.h>
#include "print.h"
#include "schema.h"
#include "schema_internal.h"

enum { ST_NONE, ST_BUSY, ST_DONE };

/* How deep input object field evaluation may nest before we call it what it
 * would be in JavaScript: a stack overflow. */
#define MAX_INPUT_NESTING 1000

typedef struct builder {
    gql_schema *s;
    gql_arena *a;          /* the schema's arena */
    gql_arena *tmp;        /* scratch for the build */
    gql_errors *errs;
    bool failed;           /* graphql-js threw: one error was added */
    bool builtin;          /* building the built-in definitions */
    gql_smap names;        /* name -> gql_type*: stdTypeMap, then the document's types */
    gql_smap exts;         /* type name -> gql_ptrvec* of extension definitions */
    gql_ptrvec all;        /* every named type created, by temp id (type->index during the build) */
    gql_ptrvec defs;       /* by temp id: its definition (built-ins have no ast, but have one) */
    gql_ptrvec doc_types;  /* config.types: the document's type definitions, std names mapped to std types */
    uint8_t *iface_state, *field_state;   /* by temp id */
    uint32_t state_cap;
    uint32_t nesting;
    gql_directive *spec[5];    /* @include @skip @deprecated @specifiedBy @oneOf */
    /* the constructor's ordered Set */
    gql_type **oset;
    uint32_t oset_count, oset_cap;
    uint32_t *pos;         /* by temp id: index in oset, UINT32_MAX when absent */
} builder;

/* ---- errors ---------------------------------------------------------------------- */

static void throw_msg(builder *b, const char *msg, const gql_loc *loc) {
    if (b->failed) return;
    b->failed = true;
    gql_error *e = gql_errors_add_msg(b->errs, msg);
    if (loc) gql_error_add_loc(b->errs, e, *loc);
}

/* ---- types -------------------------------------------------------------------------- */

static const char *desc_of(const gql_value_node *d) { return d ? d->name.value : NULL; }

static void ensure_state(builder *b) {
    if (b->all.count <= b->state_cap) return;
    uint32_t cap = b->all.count * 2 + 16;
    b->iface_state = gql_arena_grow(b->tmp, b->iface_state, b->state_cap, cap, 1);
    b->field_state = gql_arena_grow(b->tmp, b->field_state, b->state_cap, cap, 1);
    b->pos = gql_arena_grow(b->tmp, b->pos, b->state_cap, cap, sizeof *b->pos);
    for (uint32_t i = b->state_cap; i < cap; i++) {
        b->iface_state[i] = b->field_state[i] = ST_NONE;
        b->pos[i] = UINT32_MAX;
    }
    b->state_cap = cap;
}

static gql_type *new_named(builder *b, const gql_definition *def) {
    static const gql_type_kind kinds[] = {
        [GQL_SCALAR_TYPE_DEFINITION] = GQL_T_SCALAR, [GQL_OBJECT_TYPE_DEFINITION] = GQL_T_OBJECT,
        [GQL_INTERFACE_TYPE_DEFINITION] = GQL_T_INTERFACE, [GQL_UNION_TYPE_DEFINITION] = GQL_T_UNION,
        [GQL_ENUM_TYPE_DEFINITION] = GQL_T_ENUM, [GQL_INPUT_OBJECT_TYPE_DEFINITION] = GQL_T_INPUT_OBJECT,
    };
    gql_type *t = gql_arena_calloc(b->a, sizeof *t);
    t->kind = kinds[def->kind];
    t->name = def->name.value;
    t->description = desc_of(def->description);
    t->builtin = b->builtin;
    t->ast = b->builtin ? NULL : def;
    gql_ptrvec *ev = b->builtin ? NULL : gql_smap_get(&b->exts, def->name.value, def->name.len);
    if (ev) {
        t->extension_asts = (const gql_definition **)ev->items;
        t->extension_count = ev->count;
    }
    t->index = b->all.count;
    gql_ptrvec_push(b->tmp, &b->all, t);
    gql_ptrvec_push(b->tmp, &b->defs, (void *)def);
    ensure_state(b);
    gql_smap_put(&b->names, def->name.value, def->name.len, NULL)->val = t;
    return t;
}

/* The definition and its extensions (graphql-js's allNodes). */
static const gql_definition **all_nodes(builder *b, const gql_type *t, uint32_t *n) {
    const gql_definition **nodes = gql_arena_alloc(b->tmp, (t->extension_count + 1) * sizeof *nodes);
    nodes[0] = b->defs.items[t->index];
    for (uint32_t i = 0; i < t->extension_count; i++) nodes[i + 1] = t->extension_asts[i];
    *n = t->extension_count + 1;
    return nodes;
}

static gql_type *named(builder *b, const gql_name *name) {
    gql_type *t = gql_smap_get(&b->names, name->value, name->len);
    if (!t) throw_msg(b, gql_arena_printf(b->tmp, "Unknown type: \"%s\".", name->value), NULL);
    return t;
}

/* getWrappedType; recursion bounded by the parser's nesting limit. */
static gql_type *wrapped(builder *b, const gql_type_node *n) {
    if (n->kind == GQL_NAMED_TYPE) return named(b, &n->name);
    gql_type *of = wrapped(b, n->of);
    if (!of) return NULL;
    return n->kind == GQL_LIST_TYPE ? gql_type_list(b->s, of) : gql_type_non_null(b->s, of);
}

/* ---- @deprecated and @specifiedBy: getDirectiveValues with the specified definitions ---- */

static const gql_directive_node *find_directive(const gql_directive_node *dirs, uint32_t n, const char *name) {
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(dirs[i].name.value, name) == 0) return &dirs[i];
    return NULL;
}

/* getArgumentValues for the one String argument of @deprecated (reason: String =
 * "No longer supported") or @specifiedBy (url: String!). False if it throws. */
static bool string_arg(builder *b, const gql_directive_node *d, const char *arg, bool non_null, const char *deflt,
                       const char **out) {
    const gql_argument *a = NULL;
    for (uint32_t i = 0; i < d->arg_count; i++)   /* keyMap: the last one of that name */
        if (strcmp(d->args[i].name.value, arg) == 0) a = &d->args[i];
    const char *type = non_null ? "String!" : "String";
    if (!a || a->value->kind == GQL_VARIABLE) {   /* no variables in SDL: a variable is never provided */
        *out = deflt;
        if (deflt || !non_null) return true;
        if (!a) {
            throw_msg(b, gql_arena_printf(b->tmp, "Argument \"%s\" of required type \"%s\" was not provided.", arg, type), &d->loc);
        } else {
            throw_msg(b, gql_arena_printf(b->tmp, "Argument \"%s\" of required type \"%s\" was provided the variable \"$%s\" which was not provided a runtime value.",
                                          arg, type, a->value->name.value),
                      &a->value->loc);
        }
        return false;
    }
    if (a->value->kind == GQL_NULL_VALUE) {
        *out = NULL;
        if (!non_null) return true;
        throw_msg(b, gql_arena_printf(b->tmp, "Argument \"%s\" of non-null type \"%s\" must not be null.", arg, type), &a->value->loc);
        return false;
    }
    if (a->value->kind != GQL_STRING_VALUE) {
        throw_msg(b, gql_arena_printf(b->tmp, "Argument \"%s\" has invalid value %s.", arg,
                                      gql_print_value_node_str(b->tmp, a->value)),
                  &a->value->loc);
        return false;
    }
    *out = a->value->name.value;
    return true;
}

static bool deprecation(builder *b, const gql_directive_node *dirs, uint32_t n, const char **out) {
    *out = NULL;
    const gql_directive_node *d = find_directive(dirs, n, "deprecated");
    return !d || string_arg(b, d, "reason", false, "No longer supported", out);
}

/* ---- default values: valueFromAST's validity, evaluating input fields on the way ---- */

static bool ensure_input_fields(builder *b, gql_type *t);

enum { DV_INVALID, DV_VALID, DV_THROWN };

static bool int_literal_fits(const gql_value_node *v) {
    double d = strtod(v->name.value, NULL);   /* parseInt(value, 10), then the 32-bit range check */
    return d <= 2147483647.0 && d >= -2147483648.0;
}

static int leaf_literal(builder *b, const gql_value_node *v, const gql_type *t) {
    gql_schema *s = b->s;
    gql_kind k = v->kind;
    if (t->kind == GQL_T_ENUM) return k == GQL_ENUM_VALUE && gql_type_enum_value(t, v->name.value, v->name.len);
    if (t == s->t_int) return k == GQL_INT_VALUE && int_literal_fits(v);
    if (t == s->t_float) return k == GQL_INT_VALUE || k == GQL_FLOAT_VALUE;
    if (t == s->t_string) return k == GQL_STRING_VALUE;
    if (t == s->t_boolean) return k == GQL_BOOLEAN_VALUE;
    if (t == s->t_id) return k == GQL_STRING_VALUE || k == GQL_INT_VALUE;
    return DV_VALID;   /* a custom scalar's default parseLiteral takes any constant */
}

/* valueFromAST(v, t) !== undefined. Recursion bounded by the literal's nesting. */
static int default_check(builder *b, const gql_value_node *v, gql_type *t) {
    if (v->kind == GQL_VARIABLE) return DV_INVALID;   /* no variables here */
    if (t->kind == GQL_T_NON_NULL) {
        if (v->kind == GQL_NULL_VALUE) return DV_INVALID;
        t = t->of_type;
    }
    if (v->kind == GQL_NULL_VALUE) return DV_VALID;
    if (t->kind == GQL_T_LIST) {
        if (v->kind != GQL_LIST_VALUE) return default_check(b, v, t->of_type);
        for (uint32_t i = 0; i < v->item_count; i++) {
            int r = default_check(b, v->items[i], t->of_type);
            if (r != DV_VALID) return r;
        }
        return DV_VALID;
    }
    if (t->kind == GQL_T_INPUT_OBJECT) {
        if (v->kind != GQL_OBJECT_VALUE) return DV_INVALID;
        if (!ensure_input_fields(b, t)) return DV_THROWN;
        uint32_t keys = 0;
        bool last_null = false;
        for (uint32_t i = 0; i < t->input_field_count; i++) {
            gql_input_value *f = &t->input_fields[i];
            const gql_object_field *fn = NULL;
            for (uint32_t k = 0; k < v->field_count; k++)   /* keyMap: the last of that name */
                if (strcmp(v->fields[k].name.value, f->name) == 0) fn = &v->fields[k];
            if (!fn) {
                if (f->default_value) {
                    keys++;
                    last_null = f->default_value->kind == GQL_NULL_VALUE;
                } else if (f->type->kind == GQL_T_NON_NULL) {
                    return DV_INVALID;
                }
                continue;
            }
            int r = default_check(b, fn->value, f->type);
            if (r != DV_VALID) return r;
            keys++;
            last_null = fn->value->kind == GQL_NULL_VALUE;
        }
        if (t->one_of && (keys != 1 || last_null)) return DV_INVALID;
        return DV_VALID;
    }
    if (t->kind == GQL_T_SCALAR || t->kind == GQL_T_ENUM) return leaf_literal(b, v, t) ? DV_VALID : DV_INVALID;
    throw_msg(b, gql_arena_printf(b->tmp, "Unexpected input type: %s", t->name), NULL);   /* graphql-js's invariant */
    return DV_THROWN;
}

/* buildArgumentMap / buildInputFieldMap for one input value definition. */
static bool build_input_value(builder *b, gql_input_value *iv, const gql_input_value_def *def) {
    iv->name = def->name.value;
    iv->description = desc_of(def->description);
    iv->ast = b->builtin ? NULL : def;
    if (!(iv->type = wrapped(b, def->type))) return false;
    if (def->default_value) {
        int r = default_check(b, def->default_value, iv->type);
        if (r == DV_THROWN) return false;
        iv->default_value = r == DV_VALID ? def->default_value : NULL;
    }
    return deprecation(b, def->directives, def->directive_count, &iv->deprecation_reason);
}

static bool build_args(builder *b, const gql_input_value_def *defs, uint32_t n, gql_input_value **out, uint32_t *count) {
    *out = n ? gql_arena_calloc(b->a, n * sizeof **out) : NULL;
    *count = n;
    for (uint32_t i = 0; i < n; i++)
        if (!build_input_value(b, &(*out)[i], &defs[i])) return false;
    return true;
}

/* An input object's getFields() thunk. Re-entering it while it runs is what
 * overflows graphql-js's stack (a default value that needs its own type's fields). */
static bool ensure_input_fields(builder *b, gql_type *t) {
    uint8_t *st = &b->field_state[t->index];
    if (*st == ST_DONE) return true;
    if (*st == ST_BUSY || b->nesting >= MAX_INPUT_NESTING) {
        throw_msg(b, "Maximum call stack size exceeded", NULL);
        return false;
    }
    *st = ST_BUSY;
    b->nesting++;
    uint32_t nn;
    const gql_definition **nodes = all_nodes(b, t, &nn);
    uint32_t n = 0;
    for (uint32_t i = 0; i < nn; i++) n += nodes[i]->input_field_count;
    t->input_fields = n ? gql_arena_calloc(b->a, n * sizeof *t->input_fields) : NULL;
    t->input_field_count = n;
    bool ok = true;
    for (uint32_t i = 0, k = 0; ok && i < nn; i++)
        for (uint32_t j = 0; ok && j < nodes[i]->input_field_count; j++)
            ok = build_input_value(b, &t->input_fields[k++], &nodes[i]->input_fields[j]);
    b->nesting--;
    b->field_state[t->index] = ST_DONE;
    return ok;
}

/* getInterfaces() of an object or interface, getTypes() of a union. */
static bool ensure_type_refs(builder *b, gql_type *t) {
    if (b->iface_state[t->index] == ST_DONE) return true;
    b->iface_state[t->index] = ST_DONE;
    uint32_t nn;
    const gql_definition **nodes = all_nodes(b, t, &nn);
    bool is_union = t->kind == GQL_T_UNION;
    uint32_t n = 0;
    for (uint32_t i = 0; i < nn; i++) n += is_union ? nodes[i]->type_count : nodes[i]->interface_count;
    gql_type **list = n ? gql_arena_alloc(b->a, n * sizeof *list) : NULL;
    for (uint32_t i = 0, k = 0; i < nn; i++) {
        gql_type_node **refs = is_union ? nodes[i]->types : nodes[i]->interfaces;
        uint32_t rc = is_union ? nodes[i]->type_count : nodes[i]->interface_count;
        for (uint32_t j = 0; j < rc; j++)
            if (!(list[k++] = named(b, &refs[j]->name))) return false;
    }
    if (is_union) {
        t->members = list;
        t->member_count = n;
    } else {
        t->interfaces = list;
        t->interface_count = n;
    }
    return true;
}

/* getFields() of an object or interface: buildFieldMap(allNodes). */
static bool ensure_fields(builder *b, gql_type *t) {
    if (b->field_state[t->index] == ST_DONE) return true;
    b->field_state[t->index] = ST_DONE;
    uint32_t nn;
    const gql_definition **nodes = all_nodes(b, t, &nn);
    uint32_t n = 0;
    for (uint32_t i = 0; i < nn; i++) n += nodes[i]->field_count;
    t->fields = n ? gql_arena_calloc(b->a, n * sizeof *t->fields) : NULL;
    t->field_count = n;
    for (uint32_t i = 0, k = 0; i < nn; i++)
        for (uint32_t j = 0; j < nodes[i]->field_count; j++, k++) {
            const gql_field_def *def = &nodes[i]->fields[j];
            gql_field *f = &t->fields[k];
            f->name = def->name.value;
            f->description = desc_of(def->description);
            f->ast = b->builtin ? NULL : def;
            f->parent = t;
            f->index = k;
            if (!(f->type = wrapped(b, def->type))) return false;
            if (!build_args(b, def->args, def->arg_count, &f->args, &f->arg_count)) return false;
            if (!deprecation(b, def->directives, def->directive_count, &f->deprecation_reason)) return false;
        }
    return true;
}

/* Step A: what buildType evaluates at once. */
static bool build_type_eager(builder *b, gql_type *t, const gql_definition *def) {
    if (t->kind == GQL_T_SCALAR) {
        const gql_directive_node *d = find_directive(def->directives, def->directive_count, "specifiedBy");
        return !d || string_arg(b, d, "url", true, NULL, &t->specified_by_url);
    }
    if (t->kind == GQL_T_INPUT_OBJECT) {
        t->one_of = find_directive(def->directives, def->directive_count, "oneOf") != NULL;
        return true;
    }
    if (t->kind != GQL_T_ENUM) return true;
    uint32_t nn;
    const gql_definition **nodes = all_nodes(b, t, &nn);
    uint32_t n = 0;
    for (uint32_t i = 0; i < nn; i++) n += nodes[i]->value_count;
    t->values = n ? gql_arena_calloc(b->a, n * sizeof *t->values) : NULL;
    t->value_count = n;
    for (uint32_t i = 0, k = 0; i < nn; i++)
        for (uint32_t j = 0; j < nodes[i]->value_count; j++, k++) {
            const gql_enum_value_def *vd = &nodes[i]->values[j];
            gql_enum_value *v = &t->values[k];
            v->name = vd->name.value;
            v->description = desc_of(vd->description);
            v->ast = b->builtin ? NULL : vd;
            if (!deprecation(b, vd->directives, vd->directive_count, &v->deprecation_reason)) return false;
        }
    return true;
}

static gql_directive *build_directive(builder *b, const gql_definition *def) {
    gql_directive *d = gql_arena_calloc(b->a, sizeof *d);
    d->name = def->name.value;
    d->description = desc_of(def->description);
    d->repeatable = def->repeatable;
    d->builtin = b->builtin;
    d->ast = b->builtin ? NULL : def;
    for (uint32_t i = 0; i < def->location_count; i++) {
        int l = gql_directive_location_from_name(def->locations[i].value);
        if (l >= 0) d->locations |= 1u << l;
    }
    return build_args(b, def->args, def->arg_count, &d->args, &d->arg_count) ? d : NULL;
}

/* ---- the constructor's Set --------------------------------------------------------------- */

static bool in_set(const builder *b, const gql_type *t) { return b->pos[t->index] != UINT32_MAX; }

static void set_add(builder *b, gql_type *t) {
    if (b->oset_count == b->oset_cap) {
        uint32_t cap = b->oset_cap ? b->oset_cap * 2 : 64;
        b->oset = gql_arena_grow(b->tmp, b->oset, b->oset_count, cap, sizeof *b->oset);
        b->oset_cap = cap;
    }
    b->pos[t->index] = b->oset_count;
    b->oset[b->oset_count++] = t;
}

static void set_delete(builder *b, gql_type *t) {
    if (!in_set(b, t)) return;
    b->oset[b->pos[t->index]] = NULL;
    b->pos[t->index] = UINT32_MAX;
}

/* collectReferencedTypes. It only descends into types not yet in the Set; all
 * of the document's types are in it from the start, so the recursion only
 * reaches built-in types and stays shallow. */
static bool collect(builder *b, gql_type *t) {
    t = gql_named_type(t);
    if (in_set(b, t)) return true;
    set_add(b, t);
    switch (t->kind) {
    case GQL_T_UNION:
        if (!ensure_type_refs(b, t)) return false;
        for (uint32_t i = 0; i < t->member_count; i++)
            if (!collect(b, t->members[i])) return false;
        break;
    case GQL_T_OBJECT:
    case GQL_T_INTERFACE:
        if (!ensure_type_refs(b, t)) return false;
        for (uint32_t i = 0; i < t->interface_count; i++)
            if (!collect(b, t->interfaces[i])) return false;
        if (!ensure_fields(b, t)) return false;
        for (uint32_t i = 0; i < t->field_count; i++) {
            if (!collect(b, t->fields[i].type)) return false;
            for (uint32_t k = 0; k < t->fields[i].arg_count; k++)
                if (!collect(b, t->fields[i].args[k].type)) return false;
        }
        break;
    case GQL_T_INPUT_OBJECT:
        if (!ensure_input_fields(b, t)) return false;
        for (uint32_t i = 0; i < t->input_field_count; i++)
            if (!collect(b, t->input_fields[i].type)) return false;
        break;
    default:
        break;
    }
    return true;
}

/* ---- built-ins ------------------------------------------------------------------------------ */

static bool build_builtins(builder *b) {
    gql_syntax_error *err = NULL;
    gql_document *doc = gql_parse(gql_builtin_sdl, strlen(gql_builtin_sdl), NULL, &err);
    if (!doc) {   /* cannot happen with a working parser; say so rather than crash */
        throw_msg(b, err ? err->message : "cannot parse the built-in definitions", NULL);
        gql_syntax_error_free(err);
        return false;
    }
    b->s->builtin_doc = doc;
    b->builtin = true;
    /* the types first: default values of the directives' and fields'
     * arguments are checked against the built-in scalars */
    for (uint32_t i = 0; i < doc->definition_count; i++) {
        const gql_definition *def = &doc->definitions[i];
        if (def->kind != GQL_DIRECTIVE_DEFINITION) build_type_eager(b, new_named(b, def), def);
    }
    gql_schema *s = b->s;
    s->t_int = gql_smap_get(&b->names, "Int", 3);
    s->t_float = gql_smap_get(&b->names, "Float", 5);
    s->t_string = gql_smap_get(&b->names, "String", 6);
    s->t_boolean = gql_smap_get(&b->names, "Boolean", 7);
    s->t_id = gql_smap_get(&b->names, "ID", 2);
    s->t_schema = gql_smap_get(&b->names, "__Schema", 8);
    s->t_type = gql_smap_get(&b->names, "__Type", 6);
    for (uint32_t i = 0; i < b->all.count; i++) {
        gql_type *t = b->all.items[i];
        if (t->kind == GQL_T_OBJECT && (!ensure_type_refs(b, t) || !ensure_fields(b, t))) break;
    }
    uint32_t ndir = 0;
    for (uint32_t i = 0; i < doc->definition_count && !b->failed; i++)
        if (doc->definitions[i].kind == GQL_DIRECTIVE_DEFINITION && ndir < 5)
            b->spec[ndir++] = build_directive(b, &doc->definitions[i]);
    b->builtin = false;
    if (ndir != 5 || !s->t_int || !s->t_float || !s->t_string || !s->t_boolean || !s->t_id || !s->t_schema || !s->t_type)
        throw_msg(b, "incomplete built-in definitions", NULL);
    return !b->failed;
}

static void init_meta_fields(gql_schema *s) {
    s->f_schema = (gql_field){.name = "__schema", .description = "Access the current type schema of this server.",
                              .type = gql_type_non_null(s, s->t_schema)};
    s->f_type = (gql_field){.name = "__type", .description = "Request the type information of a single type.",
                            .type = s->t_type};
    gql_input_value *arg = gql_arena_calloc(&s->arena, sizeof *arg);
    arg->name = "name";
    arg->type = gql_type_non_null(s, s->t_string);
    s->f_type.args = arg;
    s->f_type.arg_count = 1;
    s->f_typename = (gql_field){.name = "__typename", .description = "The name of the current Object type at runtime.",
                                .type = gql_type_non_null(s, s->t_string)};
}

/* ---- the document ------------------------------------------------------------------------------ */

static bool build_document(builder *b, const gql_document *doc) {
    gql_schema *s = b->s;
    gql_ptrvec dir_defs = {0}, schema_exts = {0};
    for (uint32_t i = 0; i < doc->definition_count; i++) {
        const gql_definition *def = &doc->definitions[i];
        if (def->kind == GQL_SCHEMA_DEFINITION) {
            s->schema_ast = def;   /* the last one, as graphql-js (LoneSchemaDefinition allows one) */
        } else if (def->kind == GQL_SCHEMA_EXTENSION) {
            gql_ptrvec_push(b->tmp, &schema_exts, (void *)def);
        } else if (def->kind == GQL_DIRECTIVE_DEFINITION) {
            gql_ptrvec_push(b->tmp, &dir_defs, (void *)def);
        } else if (gql_kind_is_type_extension(def->kind)) {
            gql_smap_ent *e = gql_smap_put(&b->exts, def->name.value, def->name.len, NULL);
            if (!e->val) e->val = gql_arena_calloc(b->a, sizeof(gql_ptrvec));
            gql_ptrvec_push(b->a, e->val, (void *)def);
        }
    }
    if (schema_exts.count) {
        s->schema_extension_asts = gql_arena_alloc(b->a, schema_exts.count * sizeof(void *));
        memcpy(s->schema_extension_asts, schema_exts.items, schema_exts.count * sizeof(void *));
        s->schema_extension_count = schema_exts.count;
    }
    s->description = s->schema_ast ? desc_of(s->schema_ast->description) : NULL;

    /* A: typeMap[name] = stdTypeMap[name] ?? buildType(typeNode) */
    for (uint32_t i = 0; i < doc->definition_count; i++) {
        const gql_definition *def = &doc->definitions[i];
        if (!gql_kind_is_type_definition(def->kind)) continue;
        gql_type *t = gql_smap_get(&b->names, def->name.value, def->name.len);
        if (!t || !t->builtin) {
            t = new_named(b, def);
            if (!build_type_eager(b, t, def)) return false;
        }
        gql_ptrvec_push(b->tmp, &b->doc_types, t);
    }

    /* B: the document's directives, then the specified ones it does not redefine */
    gql_ptrvec dirs = {0};
    for (uint32_t i = 0; i < dir_defs.count; i++) {
        gql_directive *d = build_directive(b, dir_defs.items[i]);
        if (!d) return false;
        gql_ptrvec_push(b->a, &dirs, d);
    }
    for (int i = 0; i < 5; i++) {
        bool redefined = false;
        for (uint32_t k = 0; k < dir_defs.count; k++)
            redefined |= strcmp(((gql_directive *)dirs.items[k])->name, b->spec[i]->name) == 0;
        if (!redefined) gql_ptrvec_push(b->a, &dirs, b->spec[i]);
    }
    s->directives = (gql_directive **)dirs.items;
    s->directive_count = dirs.count;

    /* root types: the schema definition, its extensions, else the default names */
    gql_type *roots[3] = {NULL, NULL, NULL};
    const gql_definition **with_ops = gql_arena_alloc(b->tmp, (1 + schema_exts.count) * sizeof *with_ops);
    uint32_t nops = 0;
    if (s->schema_ast) with_ops[nops++] = s->schema_ast;
    for (uint32_t i = 0; i < schema_exts.count; i++) with_ops[nops++] = schema_exts.items[i];
    for (uint32_t i = 0; i < nops; i++)
        for (uint32_t k = 0; k < with_ops[i]->operation_type_count; k++) {
            const gql_operation_type_def *o = &with_ops[i]->operation_types[k];
            if (!(roots[o->operation] = named(b, &o->type->name))) return false;
        }
    if (!s->schema_ast) {
        static const char *const defaults[3] = {"Query", "Mutation", "Subscription"};
        for (uint32_t i = 0; i < b->doc_types.count; i++) {
            gql_type *t = b->doc_types.items[i];
            for (int k = 0; k < 3; k++)
                if (strcmp(t->name, defaults[k]) == 0) roots[k] = t;
        }
    }
    s->query = roots[0];
    s->mutation = roots[1];
    s->subscription = roots[2];

    /* C: the GraphQLSchema constructor */
    for (uint32_t i = 0; i < b->doc_types.count; i++) set_add(b, b->doc_types.items[i]);
    for (uint32_t i = 0; i < b->doc_types.count; i++) {
        gql_type *t = b->doc_types.items[i];
        set_delete(b, t);
        if (!collect(b, t)) return false;
    }
    for (int k = 0; k < 3; k++)
        if (roots[k] && !collect(b, roots[k])) return false;
    for (uint32_t i = 0; i < s->directive_count; i++)
        for (uint32_t k = 0; k < s->directives[i]->arg_count; k++)
            if (!collect(b, s->directives[i]->args[k].type)) return false;
    return collect(b, s->t_schema);
}

/* The type map, its hash table, and the implementations of each interface. */
static void finish(builder *b) {
    gql_schema *s = b->s;
    uint32_t n = 0;
    for (uint32_t i = 0; i < b->oset_count; i++) n += b->oset[i] != NULL;
    s->types = gql_arena_alloc(b->a, (n + 1) * sizeof *s->types);
    s->type_count = 0;
    for (uint32_t i = 0; i < b->oset_count; i++)
        if (b->oset[i]) s->types[s->type_count++] = b->oset[i];
    for (uint32_t i = 0; i < b->all.count; i++) ((gql_type *)b->all.items[i])->index = UINT32_MAX;
    uint32_t size = 16;
    while (size < 2 * n) size *= 2;
    s->type_table = gql_arena_calloc(b->a, size * sizeof *s->type_table);
    s->type_table_size = size;
    for (uint32_t i = 0; i < n; i++) {
        gql_type *t = s->types[i];
        t->index = i;
        uint32_t mask = size - 1, h = gql_hash_name(t->name, (uint32_t)strlen(t->name)) & mask;
        while (s->type_table[h]) h = (h + 1) & mask;
        s->type_table[h] = t;
    }
    /* implementations.objects, in type map order */
    for (uint32_t i = 0; i < n; i++) {
        gql_type *t = s->types[i];
        if (t->kind == GQL_T_UNION) {
            t->possible_types = t->members;
            t->possible_count = t->member_count;
        }
        if (t->kind != GQL_T_OBJECT) continue;
        for (uint32_t k = 0; k < t->interface_count; k++)
            if (t->interfaces[k]->kind == GQL_T_INTERFACE) t->interfaces[k]->possible_count++;
    }
    for (uint32_t i = 0; i < n; i++) {
        gql_type *t = s->types[i];
        if (t->kind == GQL_T_INTERFACE && t->possible_count) {
            t->possible_types = gql_arena_alloc(b->a, t->possible_count * sizeof *t->possible_types);
            t->possible_count = 0;
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        gql_type *t = s->types[i];
        if (t->kind != GQL_T_OBJECT) continue;
        for (uint32_t k = 0; k < t->interface_count; k++) {
            gql_type *iface = t->interfaces[k];
            if (iface->kind == GQL_T_INTERFACE) iface->possible_types[iface->possible_count++] = t;
        }
    }
}

gql_schema *gql_schema_build_ast(const gql_document *doc, gql_errors *errs) {
    if (gql_schema_validate_sdl(doc, errs)) return NULL;
    gql_arena arena, tmp;
    gql_arena_init(&arena, 1 << 16);
    gql_arena_init(&tmp, 1 << 14);
    gql_schema *s = gql_arena_calloc(&arena, sizeof *s);
    s->arena = arena;   /* from here on, allocate from s->arena only */
    builder b = {.s = s, .a = &s->arena, .tmp = &tmp, .errs = errs};
    gql_smap_init(&b.names, &tmp);
    gql_smap_init(&b.exts, &tmp);
    bool ok = build_builtins(&b) && build_document(&b, doc);
    if (ok) {
        finish(&b);
        init_meta_fields(s);
    }
    gql_arena_free(&tmp);
    if (ok && gql_schema_validate(s, errs)) ok = false;
    if (!ok) {
        gql_schema_free(s);
        return NULL;
    }
    return s;
}

gql_schema *gql_schema_build(const char *sdl, size_t len, gql_errors *errs) {
    gql_syntax_error *err = NULL;
    gql_document *doc = gql_parse(sdl, len, NULL, &err);
    if (!doc) {
        gql_error *e = gql_errors_add_msg(errs, err->message);
        gql_error_add_srcloc(errs, e, err->line, err->column);
        gql_syntax_error_free(err);
        return NULL;
    }
    gql_schema *s = gql_schema_build_ast(doc, errs);
    if (!s) {
        gql_document_free(doc);
        return NULL;
    }
    s->owned_doc = doc;
    return s;
}
