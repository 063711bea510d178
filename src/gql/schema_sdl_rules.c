/*
 * schema_sdl_rules.c: graphql-js 16's validateSDL with specifiedSDLRules, for
 * a document built without an existing schema (so the "already exists in the
 * schema" branches of the rules never apply).
 *
 * graphql-js runs the 15 rules in parallel over one traversal of the document
 * (including any executable definitions in it); the order of errors is the
 * order of the visitor's enter/leave events, and at one node the order of the
 * rules. This file does one walk in the same key order (QueryDocumentKeys) and
 * calls, at each node, the checks of the rules that have a handler for that
 * node kind, in rule order:
 *    1 LoneSchemaDefinition         9 KnownDirectives
 *    2 UniqueOperationTypes        10 UniqueDirectivesPerLocation
 *    3 UniqueTypeNames             11 PossibleTypeExtensions
 *    4 UniqueEnumValueNames        12 KnownArgumentNamesOnDirectives
 *    5 UniqueFieldDefinitionNames  13 UniqueArgumentNames
 *    6 UniqueArgumentDefinitionNames 14 UniqueInputFieldNames
 *    7 UniqueDirectiveNames        15 ProvidedRequiredArgumentsOnDirectives (on leave)
 *    8 KnownTypeNames
 * Rules returning false from a handler (skipping the subtree) have no handler
 * below that node, so skipping changes nothing and is not modelled.
 *
 * KnownTypeNames, KnownDirectives, UniqueDirectivesPerLocation,
 * KnownArgumentNamesOnDirectives, UniqueArgumentNames, UniqueInputFieldNames
 * and ProvidedRequiredArgumentsOnDirectives are also executable rules; these
 * are their SDL-only versions (no schema: the specified directives plus the
 * document's directive definitions).
 *
 * Recursion follows the document's nesting, which the parser bounds.
 */
#include <string.h>
#include "print.h"
#include "schema_internal.h"

/* ---- context ------------------------------------------------------------------ */

typedef struct req_arg {
    const char *name;
    uint32_t len;
    const char *type_str;
} req_arg;

/* What the rules know of a directive: the specified ones, replaced by the
 * document's definition of the same name (the last one wins, as each rule's
 * map assignment does). */
typedef struct dinfo {
    uint32_t locations;   /* bit set of gql_directive_location */
    bool unique;          /* not repeatable */
    gql_smap args;        /* the Set of argument names, in order */
    req_arg *req;         /* required arguments, keyMap order */
    uint32_t req_count;
} dinfo;

typedef struct sdl_ctx {
    gql_arena *a;   /* scratch, freed at the end */
    gql_errors *errs;
    uint32_t nerr;
    bool is_sdl;    /* the current top-level definition is a type system one */
    uint32_t schema_def_count;                  /* 1 */
    const gql_operation_type_def *op_seen[3];   /* 2 */
    gql_smap type_names;       /* 3: name -> gql_name* */
    gql_smap enum_values;      /* 4: type name -> gql_smap* */
    gql_smap field_names;      /* 5: type name -> gql_smap* */
    gql_smap directive_names;  /* 7: name -> gql_name* */
    gql_smap defined_types;    /* 8, 11: name -> the last definition of that name */
    gql_smap directives;       /* 9, 10, 12, 15: name -> dinfo* */
    gql_smap schema_dirs;      /* 10: directives seen on schema definitions and extensions */
    gql_smap type_dirs;        /* 10: type name -> gql_smap* */
} sdl_ctx;

static const char *const standard_type_names[] = {
    "String", "Int", "Float", "Boolean", "ID", "__Schema", "__Directive", "__DirectiveLocation",
    "__Type", "__Field", "__InputValue", "__EnumValue", "__TypeKind",
};
#define STANDARD_TYPE_COUNT (sizeof standard_type_names / sizeof *standard_type_names)

static gql_error *report(sdl_ctx *c, const char *msg) {
    c->nerr++;
    return gql_errors_add_msg(c->errs, msg);
}

static gql_smap *new_map(sdl_ctx *c) {
    gql_smap *m = gql_arena_alloc(c->a, sizeof *m);
    gql_smap_init(m, c->a);
    return m;
}

/* The map stored under key in a map of maps, created on first use. */
static gql_smap *sub_map(sdl_ctx *c, gql_smap *outer, const gql_name *key) {
    gql_smap_ent *e = gql_smap_put(outer, key->value, key->len, NULL);
    if (!e->val) e->val = new_map(c);
    return e->val;
}

static const char *type_node_str(gql_arena *a, const gql_type_node *t) {
    gql_buf b;
    gql_buf_init(&b);
    gql_print_type_node(&b, t);
    const char *r = gql_arena_strndup(a, b.data, b.len);
    gql_buf_free(&b);
    return r;
}

static dinfo *new_dinfo(sdl_ctx *c, const char *name, uint32_t locations) {
    dinfo *d = gql_arena_calloc(c->a, sizeof *d);
    d->locations = locations;
    d->unique = true;
    gql_smap_init(&d->args, c->a);
    gql_smap_put(&c->directives, name, (uint32_t)strlen(name), NULL)->val = d;
    return d;
}

static void add_spec_arg(dinfo *d, const char *name, const char *required_type) {
    gql_smap_put(&d->args, name, (uint32_t)strlen(name), NULL);
    if (required_type) {
        d->req = gql_arena_alloc(d->args.arena, sizeof *d->req);
        d->req[0] = (req_arg){name, (uint32_t)strlen(name), required_type};
        d->req_count = 1;
    }
}

#define DL(x) (1u << GQL_DL_##x)

static void init_directives(sdl_ctx *c, const gql_document *doc) {
    /* specifiedDirectives */
    uint32_t exec = DL(FIELD) | DL(FRAGMENT_SPREAD) | DL(INLINE_FRAGMENT);
    add_spec_arg(new_dinfo(c, "include", exec), "if", "Boolean!");
    add_spec_arg(new_dinfo(c, "skip", exec), "if", "Boolean!");
    add_spec_arg(new_dinfo(c, "deprecated", DL(FIELD_DEFINITION) | DL(ARGUMENT_DEFINITION) |
                                                DL(INPUT_FIELD_DEFINITION) | DL(ENUM_VALUE) |
                                                DL(DIRECTIVE_DEFINITION)),
                 "reason", NULL);
    add_spec_arg(new_dinfo(c, "specifiedBy", DL(SCALAR)), "url", "String!");
    new_dinfo(c, "oneOf", DL(INPUT_OBJECT));
    /* the document's definitions */
    for (uint32_t i = 0; i < doc->definition_count; i++) {
        const gql_definition *def = &doc->definitions[i];
        if (def->kind != GQL_DIRECTIVE_DEFINITION) continue;
        uint32_t locs = 0;
        for (uint32_t k = 0; k < def->location_count; k++) {
            int l = gql_directive_location_from_name(def->locations[k].value);
            if (l >= 0) locs |= 1u << l;
        }
        dinfo *d = new_dinfo(c, def->name.value, locs);
        d->unique = !def->repeatable;
        /* keyMap(required args): one entry per name, the last definition's type, the first's position */
        gql_smap req;
        gql_smap_init(&req, c->a);
        for (uint32_t k = 0; k < def->arg_count; k++) {
            const gql_input_value_def *iv = &def->args[k];
            gql_smap_put(&d->args, iv->name.value, iv->name.len, NULL);
            if (iv->type->kind == GQL_NON_NULL_TYPE && !iv->default_value)
                gql_smap_put(&req, iv->name.value, iv->name.len, NULL)->val = (void *)iv;
        }
        d->req = gql_arena_alloc(c->a, (req.count + 1) * sizeof *d->req);
        for (uint32_t k = 0; k < req.count; k++) {
            const gql_input_value_def *iv = req.ents[k].val;
            d->req[k] = (req_arg){iv->name.value, iv->name.len, type_node_str(c->a, iv->type)};
        }
        d->req_count = req.count;
    }
}

/* ---- the checks ---------------------------------------------------------------------- */

/* groupBy(nodes, name) then one error per name given more than once (rules 6 and 13). */
static void check_duplicate_names(sdl_ctx *c, const gql_name *const *names, uint32_t n, const char *fmt_prefix,
                                  const char *fmt_suffix) {
    if (n < 2) return;
    gql_smap groups;
    gql_smap_init(&groups, c->a);
    for (uint32_t i = 0; i < n; i++) {
        gql_smap_ent *e = gql_smap_put(&groups, names[i]->value, names[i]->len, NULL);
        gql_ptrvec *v = e->val;
        if (!v) e->val = v = gql_arena_calloc(c->a, sizeof *v);
        gql_ptrvec_push(c->a, v, (void *)names[i]);
    }
    for (uint32_t g = 0; g < groups.count; g++) {
        gql_ptrvec *v = groups.ents[g].val;
        if (v->count < 2) continue;
        gql_error *err = report(c, gql_arena_printf(c->a, "%s%s%s", fmt_prefix, groups.ents[g].key, fmt_suffix));
        for (uint32_t i = 0; i < v->count; i++) gql_error_add_loc(c->errs, err, ((gql_name *)v->items[i])->loc);
    }
}

static void check_arg_def_names(sdl_ctx *c, const char *parent, const gql_input_value_def *args, uint32_t n) {
    if (n < 2) return;
    const gql_name **names = gql_arena_alloc(c->a, n * sizeof *names);
    for (uint32_t i = 0; i < n; i++) names[i] = &args[i].name;
    check_duplicate_names(c, names, n, gql_arena_printf(c->a, "Argument \"%s(", parent), ":)\" can only be defined once.");
}

/* 6: UniqueArgumentDefinitionNames on an object or interface definition or extension. */
static void unique_arg_defs_per_field(sdl_ctx *c, const gql_definition *d) {
    for (uint32_t i = 0; i < d->field_count; i++) {
        const gql_field_def *f = &d->fields[i];
        if (f->arg_count > 1)
            check_arg_def_names(c, gql_arena_printf(c->a, "%s.%s", d->name.value, f->name.value), f->args, f->arg_count);
    }
}

/* 13: UniqueArgumentNames on a field or directive. */
static void unique_arg_names(sdl_ctx *c, const gql_argument *args, uint32_t n) {
    if (n < 2) return;
    const gql_name **names = gql_arena_alloc(c->a, n * sizeof *names);
    for (uint32_t i = 0; i < n; i++) names[i] = &args[i].name;
    check_duplicate_names(c, names, n, "There can be only one argument named \"", "\".");
}

/* "first seen / duplicate" checks keyed by name (rules 3, 4, 5, 7, 14): the
 * name seen first, or NULL after recording this one as the first. */
static const gql_name *first_seen(gql_smap *seen, const gql_name *name) {
    bool created;
    gql_smap_ent *e = gql_smap_put(seen, name->value, name->len, &created);
    if (created) e->val = (void *)name;
    return created ? NULL : e->val;
}

static void report2(sdl_ctx *c, const char *msg, gql_loc first, gql_loc second) {
    gql_error *err = report(c, msg);
    gql_error_add_loc(c->errs, err, first);
    gql_error_add_loc(c->errs, err, second);
}

/* 10: UniqueDirectivesPerLocation; seen NULL for a node with its own map. */
static void unique_directives_per_location(sdl_ctx *c, const gql_directive_node *dirs, uint32_t n, gql_smap *seen) {
    if (!n) return;
    gql_smap fresh;
    if (!seen) {
        gql_smap_init(&fresh, c->a);
        seen = &fresh;
    }
    for (uint32_t i = 0; i < n; i++) {
        const gql_directive_node *d = &dirs[i];
        dinfo *di = gql_smap_get(&c->directives, d->name.value, d->name.len);
        if (!di || !di->unique) continue;
        bool created;
        gql_smap_ent *e = gql_smap_put(seen, d->name.value, d->name.len, &created);
        if (created) {
            e->val = (void *)d;
            continue;
        }
        report2(c, gql_arena_printf(c->a, "The directive \"@%s\" can only be used once at this location.", d->name.value),
                ((const gql_directive_node *)e->val)->loc, d->loc);
    }
}

static void type_directives_per_location(sdl_ctx *c, const gql_definition *d) {
    if (d->directive_count) unique_directives_per_location(c, d->directives, d->directive_count, sub_map(c, &c->type_dirs, &d->name));
}

static const char *ext_kind_name(gql_kind k) {
    switch (k) {
    case GQL_SCALAR_TYPE_EXTENSION: return "scalar";
    case GQL_OBJECT_TYPE_EXTENSION: return "object";
    case GQL_INTERFACE_TYPE_EXTENSION: return "interface";
    case GQL_UNION_TYPE_EXTENSION: return "union";
    case GQL_ENUM_TYPE_EXTENSION: return "enum";
    default: return "input object";
    }
}

static gql_kind def_kind_to_ext(gql_kind k) {
    switch (k) {
    case GQL_SCALAR_TYPE_DEFINITION: return GQL_SCALAR_TYPE_EXTENSION;
    case GQL_OBJECT_TYPE_DEFINITION: return GQL_OBJECT_TYPE_EXTENSION;
    case GQL_INTERFACE_TYPE_DEFINITION: return GQL_INTERFACE_TYPE_EXTENSION;
    case GQL_UNION_TYPE_DEFINITION: return GQL_UNION_TYPE_EXTENSION;
    case GQL_ENUM_TYPE_DEFINITION: return GQL_ENUM_TYPE_EXTENSION;
    default: return GQL_INPUT_OBJECT_TYPE_EXTENSION;
    }
}

static const char *did_you_mean_keys(sdl_ctx *c, const gql_name *input, const gql_smap *m, bool with_standard) {
    uint32_t n = m->count + (with_standard ? (uint32_t)STANDARD_TYPE_COUNT : 0), k = 0;
    const char **opts = gql_arena_alloc(c->a, (n + 1) * sizeof *opts);
    uint32_t *lens = gql_arena_alloc(c->a, (n + 1) * sizeof *lens);
    if (with_standard)
        for (size_t i = 0; i < STANDARD_TYPE_COUNT; i++, k++) {
            opts[k] = standard_type_names[i];
            lens[k] = (uint32_t)strlen(opts[k]);
        }
    for (uint32_t i = 0; i < m->count; i++, k++) {
        opts[k] = m->ents[i].key;
        lens[k] = m->ents[i].len;
    }
    return gql_did_you_mean(c->a, input->value, input->len, opts, lens, n);
}

/* 11: PossibleTypeExtensions. */
static void possible_type_extension(sdl_ctx *c, const gql_definition *ext) {
    const gql_definition *def = gql_smap_get(&c->defined_types, ext->name.value, ext->name.len);
    if (def) {
        if (def_kind_to_ext(def->kind) != ext->kind) {
            report2(c, gql_arena_printf(c->a, "Cannot extend non-%s type \"%s\".", ext_kind_name(ext->kind), ext->name.value),
                    def->loc, ext->loc);
        }
        return;
    }
    gql_error *err = report(c, gql_arena_printf(c->a, "Cannot extend type \"%s\" because it is not defined.%s", ext->name.value,
                                                did_you_mean_keys(c, &ext->name, &c->defined_types, false)));
    gql_error_add_loc(c->errs, err, ext->name.loc);
}

/* ---- the walk ------------------------------------------------------------------------ */

static void walk_value(sdl_ctx *c, const gql_value_node *v) {
    if (v->kind == GQL_LIST_VALUE) {
        for (uint32_t i = 0; i < v->item_count; i++) walk_value(c, v->items[i]);
    } else if (v->kind == GQL_OBJECT_VALUE) {
        gql_smap known;   /* 14: one scope per object value */
        gql_smap_init(&known, c->a);
        for (uint32_t i = 0; i < v->field_count; i++) {
            const gql_object_field *f = &v->fields[i];
            const gql_name *prev = first_seen(&known, &f->name);
            if (prev)
                report2(c, gql_arena_printf(c->a, "There can be only one input field named \"%s\".", f->name.value),
                        prev->loc, f->name.loc);
            walk_value(c, f->value);
        }
    }
}

static void walk_type_ref(sdl_ctx *c, const gql_type_node *t) {
    while (t->kind != GQL_NAMED_TYPE) t = t->of;
    /* 8: KnownTypeNames */
    if (gql_smap_find(&c->defined_types, t->name.value, t->name.len)) return;
    if (c->is_sdl)
        for (size_t i = 0; i < STANDARD_TYPE_COUNT; i++)
            if (strcmp(standard_type_names[i], t->name.value) == 0) return;
    gql_error *err = report(c, gql_arena_printf(c->a, "Unknown type \"%s\".%s", t->name.value,
                                                did_you_mean_keys(c, &t->name, &c->defined_types, c->is_sdl)));
    gql_error_add_loc(c->errs, err, t->loc);
}

static void walk_directive(sdl_ctx *c, const gql_directive_node *d, gql_directive_location loc) {
    dinfo *di = gql_smap_get(&c->directives, d->name.value, d->name.len);
    /* 9: KnownDirectives */
    if (!di) {
        gql_error *err = report(c, gql_arena_printf(c->a, "Unknown directive \"@%s\".", d->name.value));
        gql_error_add_loc(c->errs, err, d->loc);
    } else if (!(di->locations & (1u << loc))) {
        gql_error *err = report(c, gql_arena_printf(c->a, "Directive \"@%s\" may not be used on %s.", d->name.value,
                                                    gql_directive_location_name(loc)));
        gql_error_add_loc(c->errs, err, d->loc);
    }
    /* 12: KnownArgumentNamesOnDirectives */
    if (di) {
        for (uint32_t i = 0; i < d->arg_count; i++) {
            const gql_argument *arg = &d->args[i];
            if (gql_smap_find(&di->args, arg->name.value, arg->name.len)) continue;
            const char **opts = gql_arena_alloc(c->a, (di->args.count + 1) * sizeof *opts);
            uint32_t *lens = gql_arena_alloc(c->a, (di->args.count + 1) * sizeof *lens);
            for (uint32_t k = 0; k < di->args.count; k++) {
                opts[k] = di->args.ents[k].key;
                lens[k] = di->args.ents[k].len;
            }
            gql_error *err = report(c, gql_arena_printf(c->a, "Unknown argument \"%s\" on directive \"@%s\".%s",
                                                        arg->name.value, d->name.value,
                                                        gql_did_you_mean(c->a, arg->name.value, arg->name.len, opts,
                                                                         lens, di->args.count)));
            gql_error_add_loc(c->errs, err, arg->loc);
        }
    }
    /* 13: UniqueArgumentNames */
    unique_arg_names(c, d->args, d->arg_count);
    for (uint32_t i = 0; i < d->arg_count; i++) walk_value(c, d->args[i].value);
    /* 15 (leave): ProvidedRequiredArgumentsOnDirectives */
    if (di)
        for (uint32_t r = 0; r < di->req_count; r++) {
            bool provided = false;
            for (uint32_t i = 0; i < d->arg_count && !provided; i++)
                provided = d->args[i].name.len == di->req[r].len && memcmp(d->args[i].name.value, di->req[r].name, di->req[r].len) == 0;
            if (provided) continue;
            gql_error *err = report(c, gql_arena_printf(c->a,
                                                        "Directive \"@%s\" argument \"%s\" of type \"%s\" is required, but it was not provided.",
                                                        d->name.value, di->req[r].name, di->req[r].type_str));
            gql_error_add_loc(c->errs, err, d->loc);
        }
}

static void walk_directives(sdl_ctx *c, const gql_directive_node *dirs, uint32_t n, gql_directive_location loc) {
    for (uint32_t i = 0; i < n; i++) walk_directive(c, &dirs[i], loc);
}

static void walk_input_values(sdl_ctx *c, const gql_input_value_def *ivs, uint32_t n, gql_directive_location loc) {
    for (uint32_t i = 0; i < n; i++) {
        const gql_input_value_def *iv = &ivs[i];
        unique_directives_per_location(c, iv->directives, iv->directive_count, NULL);
        walk_type_ref(c, iv->type);
        if (iv->default_value) walk_value(c, iv->default_value);
        walk_directives(c, iv->directives, iv->directive_count, loc);
    }
}

static void walk_var_defs(sdl_ctx *c, const gql_variable_definition *vars, uint32_t n) {
    for (uint32_t i = 0; i < n; i++) {
        const gql_variable_definition *v = &vars[i];
        unique_directives_per_location(c, v->directives, v->directive_count, NULL);
        walk_type_ref(c, v->type);
        if (v->default_value) walk_value(c, v->default_value);
        walk_directives(c, v->directives, v->directive_count, GQL_DL_VARIABLE_DEFINITION);
    }
}

static void walk_selection_set(sdl_ctx *c, const gql_selection_set *ss) {
    for (uint32_t i = 0; i < ss->count; i++) {
        const gql_selection *s = &ss->items[i];
        unique_directives_per_location(c, s->directives, s->directive_count, NULL);
        if (s->kind == GQL_FIELD) {
            unique_arg_names(c, s->args, s->arg_count);
            for (uint32_t k = 0; k < s->arg_count; k++) walk_value(c, s->args[k].value);
            walk_directives(c, s->directives, s->directive_count, GQL_DL_FIELD);
        } else if (s->kind == GQL_FRAGMENT_SPREAD) {
            walk_directives(c, s->directives, s->directive_count, GQL_DL_FRAGMENT_SPREAD);
        } else {
            if (s->type_condition) walk_type_ref(c, s->type_condition);
            walk_directives(c, s->directives, s->directive_count, GQL_DL_INLINE_FRAGMENT);
        }
        if (s->selection_set) walk_selection_set(c, s->selection_set);
    }
}

static void walk_fields(sdl_ctx *c, const gql_definition *d) {
    for (uint32_t i = 0; i < d->field_count; i++) {
        const gql_field_def *f = &d->fields[i];
        unique_directives_per_location(c, f->directives, f->directive_count, NULL);
        walk_input_values(c, f->args, f->arg_count, GQL_DL_ARGUMENT_DEFINITION);
        walk_type_ref(c, f->type);
        walk_directives(c, f->directives, f->directive_count, GQL_DL_FIELD_DEFINITION);
    }
}

static void unique_field_names(sdl_ctx *c, const gql_definition *d) {
    gql_smap *seen = sub_map(c, &c->field_names, &d->name);
    bool input = d->kind == GQL_INPUT_OBJECT_TYPE_DEFINITION || d->kind == GQL_INPUT_OBJECT_TYPE_EXTENSION;
    uint32_t n = input ? d->input_field_count : d->field_count;
    for (uint32_t i = 0; i < n; i++) {
        const gql_name *name = input ? &d->input_fields[i].name : &d->fields[i].name;
        const gql_name *prev = first_seen(seen, name);
        if (prev)
            report2(c, gql_arena_printf(c->a, "Field \"%s.%s\" can only be defined once.", d->name.value, name->value),
                    prev->loc, name->loc);
    }
}

static void unique_enum_values(sdl_ctx *c, const gql_definition *d) {
    gql_smap *seen = sub_map(c, &c->enum_values, &d->name);
    for (uint32_t i = 0; i < d->value_count; i++) {
        const gql_name *prev = first_seen(seen, &d->values[i].name);
        if (prev)
            report2(c, gql_arena_printf(c->a, "Enum value \"%s.%s\" can only be defined once.", d->name.value,
                                        d->values[i].name.value),
                    prev->loc, d->values[i].name.loc);
    }
}

static void unique_type_name(sdl_ctx *c, const gql_definition *d) {
    const gql_name *prev = first_seen(&c->type_names, &d->name);
    if (prev) report2(c, gql_arena_printf(c->a, "There can be only one type named \"%s\".", d->name.value), prev->loc, d->name.loc);
}

static const char *const op_names[3] = {"query", "mutation", "subscription"};

static void schema_def_or_ext(sdl_ctx *c, const gql_definition *d) {
    if (d->kind == GQL_SCHEMA_DEFINITION) {   /* 1 */
        if (c->schema_def_count++ > 0) gql_error_add_loc(c->errs, report(c, "Must provide only one schema definition."), d->loc);
    }
    for (uint32_t i = 0; i < d->operation_type_count; i++) {   /* 2 */
        const gql_operation_type_def *o = &d->operation_types[i];
        if (c->op_seen[o->operation]) {
            report2(c, gql_arena_printf(c->a, "There can be only one %s type in schema.", op_names[o->operation]),
                    c->op_seen[o->operation]->loc, o->loc);
        } else {
            c->op_seen[o->operation] = o;
        }
    }
    unique_directives_per_location(c, d->directives, d->directive_count, &c->schema_dirs);   /* 10 */
    walk_directives(c, d->directives, d->directive_count, GQL_DL_SCHEMA);
    for (uint32_t i = 0; i < d->operation_type_count; i++) walk_type_ref(c, d->operation_types[i].type);
}

static void walk_interfaces(sdl_ctx *c, const gql_definition *d) {
    for (uint32_t i = 0; i < d->interface_count; i++) walk_type_ref(c, d->interfaces[i]);
}

static void walk_enum_values(sdl_ctx *c, const gql_definition *d) {
    for (uint32_t i = 0; i < d->value_count; i++) {
        const gql_enum_value_def *v = &d->values[i];
        unique_directives_per_location(c, v->directives, v->directive_count, NULL);
        walk_directives(c, v->directives, v->directive_count, GQL_DL_ENUM_VALUE);
    }
}

static void walk_definition(sdl_ctx *c, const gql_definition *d) {
    c->is_sdl = gql_kind_is_type_system(d->kind);
    switch (d->kind) {
    case GQL_OPERATION_DEFINITION: {
        static const gql_directive_location op_loc[3] = {GQL_DL_QUERY, GQL_DL_MUTATION, GQL_DL_SUBSCRIPTION};
        unique_directives_per_location(c, d->directives, d->directive_count, NULL);
        walk_var_defs(c, d->variables, d->variable_count);
        walk_directives(c, d->directives, d->directive_count, op_loc[d->operation]);
        walk_selection_set(c, d->selection_set);
        break;
    }
    case GQL_FRAGMENT_DEFINITION:
        unique_directives_per_location(c, d->directives, d->directive_count, NULL);
        walk_var_defs(c, d->variables, d->variable_count);
        walk_type_ref(c, d->type_condition);
        walk_directives(c, d->directives, d->directive_count, GQL_DL_FRAGMENT_DEFINITION);
        walk_selection_set(c, d->selection_set);
        break;
    case GQL_SCHEMA_DEFINITION:
    case GQL_SCHEMA_EXTENSION:
        schema_def_or_ext(c, d);
        break;
    case GQL_SCALAR_TYPE_DEFINITION:
    case GQL_SCALAR_TYPE_EXTENSION:
        if (d->kind == GQL_SCALAR_TYPE_DEFINITION) unique_type_name(c, d);
        type_directives_per_location(c, d);
        if (d->kind == GQL_SCALAR_TYPE_EXTENSION) possible_type_extension(c, d);
        walk_directives(c, d->directives, d->directive_count, GQL_DL_SCALAR);
        break;
    case GQL_OBJECT_TYPE_DEFINITION:
    case GQL_OBJECT_TYPE_EXTENSION:
    case GQL_INTERFACE_TYPE_DEFINITION:
    case GQL_INTERFACE_TYPE_EXTENSION: {
        bool def = d->kind == GQL_OBJECT_TYPE_DEFINITION || d->kind == GQL_INTERFACE_TYPE_DEFINITION;
        bool object = d->kind == GQL_OBJECT_TYPE_DEFINITION || d->kind == GQL_OBJECT_TYPE_EXTENSION;
        if (def) unique_type_name(c, d);
        unique_field_names(c, d);
        unique_arg_defs_per_field(c, d);
        type_directives_per_location(c, d);
        if (!def) possible_type_extension(c, d);
        walk_interfaces(c, d);
        walk_directives(c, d->directives, d->directive_count, object ? GQL_DL_OBJECT : GQL_DL_INTERFACE);
        walk_fields(c, d);
        break;
    }
    case GQL_UNION_TYPE_DEFINITION:
    case GQL_UNION_TYPE_EXTENSION:
        if (d->kind == GQL_UNION_TYPE_DEFINITION) unique_type_name(c, d);
        type_directives_per_location(c, d);
        if (d->kind == GQL_UNION_TYPE_EXTENSION) possible_type_extension(c, d);
        walk_directives(c, d->directives, d->directive_count, GQL_DL_UNION);
        for (uint32_t i = 0; i < d->type_count; i++) walk_type_ref(c, d->types[i]);
        break;
    case GQL_ENUM_TYPE_DEFINITION:
    case GQL_ENUM_TYPE_EXTENSION:
        if (d->kind == GQL_ENUM_TYPE_DEFINITION) unique_type_name(c, d);
        unique_enum_values(c, d);
        type_directives_per_location(c, d);
        if (d->kind == GQL_ENUM_TYPE_EXTENSION) possible_type_extension(c, d);
        walk_directives(c, d->directives, d->directive_count, GQL_DL_ENUM);
        walk_enum_values(c, d);
        break;
    case GQL_INPUT_OBJECT_TYPE_DEFINITION:
    case GQL_INPUT_OBJECT_TYPE_EXTENSION: {
        bool def = d->kind == GQL_INPUT_OBJECT_TYPE_DEFINITION;
        if (def) unique_type_name(c, d);
        unique_field_names(c, d);
        type_directives_per_location(c, d);
        if (!def) possible_type_extension(c, d);
        walk_directives(c, d->directives, d->directive_count, GQL_DL_INPUT_OBJECT);
        /* KnownDirectives names the location from the parent's kind and only
         * knows InputObjectTypeDefinition: in an extension it says ARGUMENT_DEFINITION. */
        walk_input_values(c, d->input_fields, d->input_field_count,
                          def ? GQL_DL_INPUT_FIELD_DEFINITION : GQL_DL_ARGUMENT_DEFINITION);
        break;
    }
    case GQL_DIRECTIVE_DEFINITION:
        check_arg_def_names(c, gql_arena_printf(c->a, "@%s", d->name.value), d->args, d->arg_count);   /* 6 */
        {   /* 7 */
            const gql_name *prev = first_seen(&c->directive_names, &d->name);
            if (prev)
                report2(c, gql_arena_printf(c->a, "There can be only one directive named \"@%s\".", d->name.value),
                        prev->loc, d->name.loc);
        }
        walk_input_values(c, d->args, d->arg_count, GQL_DL_ARGUMENT_DEFINITION);
        break;
    default:
        break;
    }
}

uint32_t gql_schema_validate_sdl(const gql_document *doc, gql_errors *errs) {
    gql_arena scratch;
    gql_arena_init(&scratch, 16384);
    sdl_ctx c = {.a = &scratch, .errs = errs};
    gql_smap_init(&c.type_names, c.a);
    gql_smap_init(&c.enum_values, c.a);
    gql_smap_init(&c.field_names, c.a);
    gql_smap_init(&c.directive_names, c.a);
    gql_smap_init(&c.defined_types, c.a);
    gql_smap_init(&c.directives, c.a);
    gql_smap_init(&c.schema_dirs, c.a);
    gql_smap_init(&c.type_dirs, c.a);
    for (uint32_t i = 0; i < doc->definition_count; i++) {
        const gql_definition *d = &doc->definitions[i];
        if (gql_kind_is_type_definition(d->kind))
            gql_smap_put(&c.defined_types, d->name.value, d->name.len, NULL)->val = (void *)d;
    }
    init_directives(&c, doc);
    for (uint32_t i = 0; i < doc->definition_count; i++) walk_definition(&c, &doc->definitions[i]);
    gql_arena_free(&scratch);
    return c.nerr;
}
