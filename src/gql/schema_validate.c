/*
 * schema_validate.c: graphql-js 16's validateSchema (type/validate.js) on a
 * built schema: root types, directives, then every type in type map order.
 * Messages, locations (the AST nodes graphql-js names, those that exist) and
 * order are graphql-js's.
 */
#include <string.h>
#include "schema.h"
#include "schema_internal.h"

typedef struct vctx {
    gql_schema *s;
    gql_errors *errs;
    gql_arena *tmp;
    uint32_t count;
} vctx;

static gql_error *report(vctx *c, const char *msg) {
    c->count++;
    return gql_errors_add_msg(c->errs, msg);
}

/* Locations of the nodes given, skipping the absent ones (graphql-js filters them). */
static void loc(vctx *c, gql_error *e, const gql_loc *l) {
    if (l) gql_error_add_loc(c->errs, e, *l);
}

static const gql_loc *def_loc(const gql_definition *d) { return d ? &d->loc : NULL; }
static const gql_loc *field_loc(const gql_field *f) { return f->ast ? &f->ast->loc : NULL; }
static const gql_loc *field_type_loc(const gql_field *f) { return f->ast ? &f->ast->type->loc : NULL; }
static const gql_loc *iv_loc(const gql_input_value *v) { return v->ast ? &v->ast->loc : NULL; }
static const gql_loc *iv_type_loc(const gql_input_value *v) { return v->ast ? &v->ast->type->loc : NULL; }

/* [type.astNode, ...type.extensionASTNodes] */
static void type_locs(vctx *c, gql_error *e, const gql_type *t) {
    loc(c, e, def_loc(t->ast));
    for (uint32_t i = 0; i < t->extension_count; i++) loc(c, e, &t->extension_asts[i]->loc);
}

static const char *tstr(vctx *c, const gql_type *t) { return gql_type_str(c->tmp, t); }

static void validate_name(vctx *c, const char *name, const gql_loc *l) {
    if (name[0] == '_' && name[1] == '_')
        loc(c, report(c, gql_arena_printf(c->tmp, "Name \"%s\" must not begin with \"__\", which is reserved by GraphQL introspection.", name)), l);
}

/* getDeprecatedDirectiveNode(node) and node.type, for "cannot be deprecated". */
static void deprecated_locs(vctx *c, gql_error *e, const gql_input_value *v) {
    if (!v->ast) return;
    for (uint32_t i = 0; i < v->ast->directive_count; i++)
        if (strcmp(v->ast->directives[i].name.value, "deprecated") == 0) {
            loc(c, e, &v->ast->directives[i].loc);
            break;
        }
    loc(c, e, &v->ast->type->loc);
}

/* ---- root types ------------------------------------------------------------------ */

static const gql_loc *operation_type_loc(const gql_schema *s, gql_op_type op) {
    for (uint32_t n = 0; n <= s->schema_extension_count; n++) {
        const gql_definition *d = n == 0 ? s->schema_ast : s->schema_extension_asts[n - 1];
        if (!d) continue;
        for (uint32_t i = 0; i < d->operation_type_count; i++)
            if (d->operation_types[i].operation == op) return &d->operation_types[i].type->loc;
    }
    return NULL;
}

static void validate_root_types(vctx *c) {
    gql_schema *s = c->s;
    static const char *const fmt[3] = {
        "Query root type must be Object type, it cannot be %s.",
        "Mutation root type must be Object type if provided, it cannot be %s.",
        "Subscription root type must be Object type if provided, it cannot be %s.",
    };
    gql_type *roots[3] = {s->query, s->mutation, s->subscription};
    if (!s->query) loc(c, report(c, "Query root type must be provided."), def_loc(s->schema_ast));
    for (int i = 0; i < 3; i++) {
        if (!roots[i] || roots[i]->kind == GQL_T_OBJECT) continue;
        const gql_loc *l = operation_type_loc(s, (gql_op_type)i);
        loc(c, report(c, gql_arena_printf(c->tmp, fmt[i], roots[i]->name)), l ? l : def_loc(roots[i]->ast));
    }
}

/* ---- directives -------------------------------------------------------------------- */

static void validate_directives(vctx *c) {
    for (uint32_t i = 0; i < c->s->directive_count; i++) {
        const gql_directive *d = c->s->directives[i];
        validate_name(c, d->name, def_loc(d->ast));
        if (!d->locations)
            loc(c, report(c, gql_arena_printf(c->tmp, "Directive @%s must include 1 or more locations.", d->name)), def_loc(d->ast));
        for (uint32_t k = 0; k < d->arg_count; k++) {
            const gql_input_value *a = &d->args[k];
            validate_name(c, a->name, iv_loc(a));
            if (!gql_is_input_type(a->type))
                loc(c, report(c, gql_arena_printf(c->tmp, "The type of @%s(%s:) must be Input Type but got: %s.", d->name, a->name, tstr(c, a->type))),
                    iv_loc(a));   /* the argument node here, its type node for fields' arguments */
            if (gql_is_required_input(a) && a->deprecation_reason)
                deprecated_locs(c, report(c, gql_arena_printf(c->tmp, "Required argument @%s(%s:) cannot be deprecated.", d->name, a->name)), a);
        }
    }
}

/* ---- objects and interfaces ------------------------------------------------------------ */

static void validate_fields(vctx *c, const gql_type *t) {
    if (!t->field_count) type_locs(c, report(c, gql_arena_printf(c->tmp, "Type %s must define one or more fields.", t->name)), t);
    for (uint32_t i = 0; i < t->field_count; i++) {
        const gql_field *f = &t->fields[i];
        validate_name(c, f->name, field_loc(f));
        if (!gql_is_output_type(f->type))
            loc(c, report(c, gql_arena_printf(c->tmp, "The type of %s.%s must be Output Type but got: %s.", t->name, f->name, tstr(c, f->type))),
                field_type_loc(f));
        for (uint32_t k = 0; k < f->arg_count; k++) {
            const gql_input_value *a = &f->args[k];
            validate_name(c, a->name, iv_loc(a));
            if (!gql_is_input_type(a->type))
                loc(c, report(c, gql_arena_printf(c->tmp, "The type of %s.%s(%s:) must be Input Type but got: %s.", t->name, f->name, a->name,
                                                  tstr(c, a->type))),
                    iv_type_loc(a));
            if (gql_is_required_input(a) && a->deprecation_reason)
                deprecated_locs(c, report(c, gql_arena_printf(c->tmp, "Required argument %s.%s(%s:) cannot be deprecated.", t->name, f->name, a->name)), a);
        }
    }
}

/* getAllImplementsInterfaceNodes(type, iface) */
static void implements_locs(vctx *c, gql_error *e, const gql_type *t, const gql_type *iface) {
    for (uint32_t n = 0; n <= t->extension_count; n++) {
        const gql_definition *d = n == 0 ? t->ast : t->extension_asts[n - 1];
        if (!d) continue;
        for (uint32_t i = 0; i < d->interface_count; i++)
            if (strcmp(d->interfaces[i]->name.value, iface->name) == 0) loc(c, e, &d->interfaces[i]->loc);
    }
}

static const gql_input_value *find_arg(const gql_field *f, const char *name) {
    for (uint32_t i = 0; i < f->arg_count; i++)
        if (strcmp(f->args[i].name, name) == 0) return &f->args[i];
    return NULL;
}

static bool has_interface(const gql_type *t, const gql_type *iface) {
    for (uint32_t i = 0; i < t->interface_count; i++)
        if (t->interfaces[i] == iface) return true;
    return false;
}

static void validate_implements_ancestors(vctx *c, const gql_type *t, const gql_type *iface) {
    for (uint32_t i = 0; i < iface->interface_count; i++) {
        const gql_type *tr = iface->interfaces[i];
        if (has_interface(t, tr)) continue;
        const char *msg = tr == t ? gql_arena_printf(c->tmp, "Type %s cannot implement %s because it would create a circular reference.", t->name, iface->name)
                                  : gql_arena_printf(c->tmp, "Type %s must implement %s because it is implemented by %s.", t->name, tr->name, iface->name);
        gql_error *e = report(c, msg);
        implements_locs(c, e, iface, tr);
        implements_locs(c, e, t, iface);
    }
}

static void validate_implements_interface(vctx *c, const gql_type *t, const gql_type *iface) {
    for (uint32_t i = 0; i < iface->field_count; i++) {
        const gql_field *ifield = &iface->fields[i];
        const char *fname = ifield->name;
        const gql_field *tfield = gql_type_field(t, fname, strlen(fname));
        if (!tfield) {
            gql_error *e = report(c, gql_arena_printf(c->tmp, "Interface field %s.%s expected but %s does not provide it.", iface->name, fname, t->name));
            loc(c, e, field_loc(ifield));
            type_locs(c, e, t);
            continue;
        }
        if (!gql_is_type_sub_type_of(tfield->type, ifield->type)) {
            gql_error *e = report(c, gql_arena_printf(c->tmp, "Interface field %s.%s expects type %s but %s.%s is type %s.", iface->name, fname,
                                                      tstr(c, ifield->type), t->name, fname, tstr(c, tfield->type)));
            loc(c, e, field_type_loc(ifield));
            loc(c, e, field_type_loc(tfield));
        }
        for (uint32_t k = 0; k < ifield->arg_count; k++) {
            const gql_input_value *iarg = &ifield->args[k];
            const gql_input_value *targ = find_arg(tfield, iarg->name);
            if (!targ) {
                gql_error *e = report(c, gql_arena_printf(c->tmp, "Interface field argument %s.%s(%s:) expected but %s.%s does not provide it.",
                                                          iface->name, fname, iarg->name, t->name, fname));
                loc(c, e, iv_loc(iarg));
                loc(c, e, field_loc(tfield));
                continue;
            }
            if (!gql_types_equal(iarg->type, targ->type)) {
                gql_error *e = report(c, gql_arena_printf(c->tmp, "Interface field argument %s.%s(%s:) expects type %s but %s.%s(%s:) is type %s.",
                                                          iface->name, fname, iarg->name, tstr(c, iarg->type), t->name, fname,
                                                          iarg->name, tstr(c, targ->type)));
                loc(c, e, iv_type_loc(iarg));
                loc(c, e, iv_type_loc(targ));
            }
        }
        for (uint32_t k = 0; k < tfield->arg_count; k++) {
            const gql_input_value *targ = &tfield->args[k];
            if (find_arg(ifield, targ->name) || !gql_is_required_input(targ)) continue;
            gql_error *e = report(c, gql_arena_printf(c->tmp, "Object field %s.%s includes required argument %s that is missing from the Interface field %s.%s.",
                                                      t->name, fname, targ->name, iface->name, fname));
            loc(c, e, iv_loc(targ));
            loc(c, e, field_loc(ifield));
        }
    }
}

static void validate_interfaces(vctx *c, const gql_type *t) {
    gql_smap seen;
    gql_smap_init(&seen, c->tmp);
    for (uint32_t i = 0; i < t->interface_count; i++) {
        const gql_type *iface = t->interfaces[i];
        const char *msg = NULL;
        if (iface->kind != GQL_T_INTERFACE)
            msg = gql_arena_printf(c->tmp, "Type %s must only implement Interface types, it cannot implement %s.", t->name, iface->name);
        else if (iface == t)
            msg = gql_arena_printf(c->tmp, "Type %s cannot implement itself because it would create a circular reference.", t->name);
        else if (gql_smap_find(&seen, iface->name, (uint32_t)strlen(iface->name)))
            msg = gql_arena_printf(c->tmp, "Type %s can only implement %s once.", t->name, iface->name);
        if (msg) {
            implements_locs(c, report(c, msg), t, iface);
            continue;
        }
        gql_smap_put(&seen, iface->name, (uint32_t)strlen(iface->name), NULL);
        validate_implements_ancestors(c, t, iface);
        validate_implements_interface(c, t, iface);
    }
}

/* ---- unions, enums, input objects ----------------------------------------------------------- */

/* getUnionMemberTypeNodes(union, name) */
static void member_locs(vctx *c, gql_error *e, const gql_type *u, const char *name) {
    for (uint32_t n = 0; n <= u->extension_count; n++) {
        const gql_definition *d = n == 0 ? u->ast : u->extension_asts[n - 1];
        if (!d) continue;
        for (uint32_t i = 0; i < d->type_count; i++)
            if (strcmp(d->types[i]->name.value, name) == 0) loc(c, e, &d->types[i]->loc);
    }
}

static void validate_union(vctx *c, const gql_type *u) {
    if (!u->member_count)
        type_locs(c, report(c, gql_arena_printf(c->tmp, "Union type %s must define one or more member types.", u->name)), u);
    gql_smap seen;
    gql_smap_init(&seen, c->tmp);
    for (uint32_t i = 0; i < u->member_count; i++) {
        const gql_type *m = u->members[i];
        bool created;
        gql_smap_put(&seen, m->name, (uint32_t)strlen(m->name), &created);
        if (!created) {
            member_locs(c, report(c, gql_arena_printf(c->tmp, "Union type %s can only include type %s once.", u->name, m->name)), u, m->name);
            continue;
        }
        if (m->kind != GQL_T_OBJECT)
            member_locs(c, report(c, gql_arena_printf(c->tmp, "Union type %s can only include Object types, it cannot include %s.", u->name, m->name)),
                        u, m->name);
    }
}

static void validate_enum(vctx *c, const gql_type *t) {
    if (!t->value_count) type_locs(c, report(c, gql_arena_printf(c->tmp, "Enum type %s must define one or more values.", t->name)), t);
    for (uint32_t i = 0; i < t->value_count; i++)
        validate_name(c, t->values[i].name, t->values[i].ast ? &t->values[i].ast->loc : NULL);
}

static void validate_input_fields(vctx *c, const gql_type *t) {
    if (!t->input_field_count)
        type_locs(c, report(c, gql_arena_printf(c->tmp, "Input Object type %s must define one or more fields.", t->name)), t);
    for (uint32_t i = 0; i < t->input_field_count; i++) {
        const gql_input_value *f = &t->input_fields[i];
        validate_name(c, f->name, iv_loc(f));
        if (!gql_is_input_type(f->type))
            loc(c, report(c, gql_arena_printf(c->tmp, "The type of %s.%s must be Input Type but got: %s.", t->name, f->name, tstr(c, f->type))),
                iv_type_loc(f));
        if (gql_is_required_input(f) && f->deprecation_reason)
            deprecated_locs(c, report(c, gql_arena_printf(c->tmp, "Required input field %s.%s cannot be deprecated.", t->name, f->name)), f);
        if (t->one_of) {
            if (f->type->kind == GQL_T_NON_NULL)
                loc(c, report(c, gql_arena_printf(c->tmp, "OneOf input field %s.%s must be nullable.", t->name, f->name)), iv_type_loc(f));
            if (f->default_value)
                loc(c, report(c, gql_arena_printf(c->tmp, "OneOf input field %s.%s cannot have a default value.", t->name, f->name)), iv_loc(f));
        }
    }
}

/* createInputObjectCircularRefsValidator: graphql-js's depth-first search,
 * with an explicit stack (input objects can chain as deep as the schema is long). */
typedef struct cycle_ctx {
    bool *visited;            /* by type index, for the whole validation */
    int32_t *path_index;      /* by type index: position in field_path, -1 when not on it */
    const gql_input_value **field_path;
    uint32_t path_len;
    struct frame { const gql_type *t; uint32_t next; } *stack;
    uint32_t depth;
} cycle_ctx;

static void report_cycle(vctx *c, cycle_ctx *cc, const gql_type *target, uint32_t from) {
    gql_buf b;
    gql_buf_init(&b);
    for (uint32_t i = from; i < cc->path_len; i++) {
        if (i > from) gql_buf_putc(&b, '.');
        gql_buf_puts(&b, cc->field_path[i]->name);
    }
    gql_buf_putc(&b, 0);
    gql_error *e = report(c, gql_arena_printf(c->tmp, "Cannot reference Input Object \"%s\" within itself through a series of non-null fields: \"%s\".",
                                              target->name, b.data));
    gql_buf_free(&b);
    for (uint32_t i = from; i < cc->path_len; i++) loc(c, e, iv_loc(cc->field_path[i]));
}

static void detect_cycles(vctx *c, cycle_ctx *cc, const gql_type *start) {
    if (cc->visited[start->index]) return;
    cc->visited[start->index] = true;
    cc->path_index[start->index] = (int32_t)cc->path_len;
    cc->depth = 0;
    cc->stack[cc->depth++] = (struct frame){start, 0};
    while (cc->depth) {
        struct frame *fr = &cc->stack[cc->depth - 1];
        if (fr->next >= fr->t->input_field_count) {
            cc->path_index[fr->t->index] = -1;
            cc->depth--;
            if (cc->depth) cc->path_len--;   /* the field that led here */
            continue;
        }
        const gql_input_value *f = &fr->t->input_fields[fr->next++];
        if (f->type->kind != GQL_T_NON_NULL || f->type->of_type->kind != GQL_T_INPUT_OBJECT) continue;
        const gql_type *ft = f->type->of_type;
        int32_t cycle = cc->path_index[ft->index];
        cc->field_path[cc->path_len++] = f;
        if (cycle < 0) {
            if (cc->visited[ft->index]) {
                cc->path_len--;
                continue;
            }
            cc->visited[ft->index] = true;
            cc->path_index[ft->index] = (int32_t)cc->path_len;
            cc->stack[cc->depth++] = (struct frame){ft, 0};
        } else {
            report_cycle(c, cc, ft, (uint32_t)cycle);
            cc->path_len--;
        }
    }
}

/* ---- entry ------------------------------------------------------------------------------------ */

static bool is_introspection_type(const gql_type *t) { return t->builtin && t->name[0] == '_' && t->name[1] == '_'; }

uint32_t gql_schema_validate(gql_schema *s, gql_errors *errs) {
    gql_arena tmp;
    gql_arena_init(&tmp, 8192);
    vctx c = {.s = s, .errs = errs, .tmp = &tmp};
    validate_root_types(&c);
    validate_directives(&c);
    uint32_t n = s->type_count;
    cycle_ctx cc = {
        .visited = gql_arena_calloc(&tmp, n + 1),
        .path_index = gql_arena_alloc(&tmp, (n + 1) * sizeof(int32_t)),
        .field_path = gql_arena_alloc(&tmp, (n + 1) * sizeof(void *)),
        .stack = gql_arena_alloc(&tmp, (n + 1) * sizeof(struct frame)),
    };
    for (uint32_t i = 0; i < n; i++) cc.path_index[i] = -1;
    for (uint32_t i = 0; i < n; i++) {
        const gql_type *t = s->types[i];
        if (!is_introspection_type(t)) validate_name(&c, t->name, def_loc(t->ast));
        switch (t->kind) {
        case GQL_T_OBJECT:
        case GQL_T_INTERFACE:
            validate_fields(&c, t);
            validate_interfaces(&c, t);
            break;
        case GQL_T_UNION:
            validate_union(&c, t);
            break;
        case GQL_T_ENUM:
            validate_enum(&c, t);
            break;
        case GQL_T_INPUT_OBJECT:
            validate_input_fields(&c, t);
            detect_cycles(&c, &cc, t);
            break;
        default:
            break;
        }
    }
    gql_arena_free(&tmp);
    return c.count;
}
