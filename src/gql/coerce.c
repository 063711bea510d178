/*
 * coerce.c: graphql-js's utilities/coerceInputValue.js and execution/values.js
 * (coerceVariableValues with its error limit, getArgumentValues,
 * getDirectiveValues for @skip/@include), with their messages.
 *
 * JavaScript reads an input object's fields as inputValue[field.name], which
 * also finds Object.prototype's members (a field named "constructor" absent
 * from the input would see a function); here an absent field is absent.
 */
#include <string.h>
#include "coerce.h"
#include "coerce_internal.h"
#include "print.h"

/* ---- coerceInputValue ---------------------------------------------------------- */

typedef struct path_node {   /* graphql-js's Path, innermost last */
    const struct path_node *prev;
    const char *key;         /* NULL for a list index */
    uint32_t index;
} path_node;

typedef struct coerce_ctx coerce_ctx;
struct coerce_ctx {
    gql_arena *a;
    /* onError(path, invalidValue, message); sets stop to abandon the coercion */
    void (*on_error)(coerce_ctx *c, const path_node *path, const char *last_key, const gql_val *invalid,
                     const char *msg);
    bool stop;
    /* for variables */
    const char *var_name;
    const gql_variable_definition *var_def;
    gql_errors *errs;
    uint32_t n_errors, max_errors;
    /* for the default onError */
    const char *first_error;
};

/* printPathArray(pathToArray(path) [+ last_key]) appended to b */
static void print_path(gql_buf *b, const path_node *p, const char *last_key) {
    if (p) {
        print_path(b, p->prev, NULL);
        if (p->key) gql_buf_printf(b, ".%s", p->key);
        else gql_buf_printf(b, "[%u]", p->index);
    }
    if (last_key) gql_buf_printf(b, ".%s", last_key);
}

static void report(coerce_ctx *c, const path_node *path, const char *last_key, const gql_val *invalid,
                   const char *msg) {
    if (!c->stop) c->on_error(c, path, last_key, invalid, msg);
}

static gql_val *coerce_impl(coerce_ctx *c, const gql_val *v, const gql_type *t, const path_node *path);

static gql_val *coerce_list(coerce_ctx *c, const gql_val *v, const gql_type *t, const path_node *path) {
    const gql_type *item_type = t->of_type;
    if (v->kind != GQL_V_LIST) {   /* a non-list value is a list of one */
        gql_val *l = gql_val_list(c->a, 1);
        l->u.list.items[0] = coerce_impl(c, v, item_type, path);
        return l;
    }
    gql_val *l = gql_val_list(c->a, v->u.list.count);
    for (uint32_t i = 0; i < v->u.list.count && !c->stop; i++) {
        path_node item = {path, NULL, i};
        l->u.list.items[i] = coerce_impl(c, v->u.list.items[i], item_type, &item);
    }
    return l;
}

static gql_val *coerce_object(coerce_ctx *c, const gql_val *v, const gql_type *t, const path_node *path) {
    gql_arena *a = c->a;
    if (v->kind != GQL_V_OBJECT) {
        report(c, path, NULL, v, gql_arena_printf(a, "Expected type \"%s\" to be an object.", t->name));
        return NULL;
    }
    gql_val *out = gql_val_object(a, t->input_field_count);
    /* Object.keys(coercedValue) for @oneOf: fields that failed are keys too */
    uint32_t n_keys = 0;
    const char *first_key = NULL;
    gql_val *first_value = NULL;
    for (uint32_t i = 0; i < t->input_field_count && !c->stop; i++) {
        const gql_input_value *f = &t->input_fields[i];
        size_t name_len = strlen(f->name);
        const gql_val *fv = gql_val_get(v, f->name, name_len);
        gql_val *cv;
        if (!fv) {
            cv = gql_input_default(a, f);
            if (!cv) {
                if (f->type->kind == GQL_T_NON_NULL)
                    report(c, path, NULL, v,
                           gql_arena_printf(a, "Field \"%s\" of required type \"%s\" was not provided.", f->name,
                                            gql_type_str(a, f->type)));
                continue;
            }
        } else {
            path_node fp = {path, f->name, 0};
            cv = coerce_impl(c, fv, f->type, &fp);
        }
        if (n_keys++ == 0) first_key = f->name, first_value = cv;
        if (cv) gql_val_object_set(a, out, f->name, name_len, cv);
    }
    /* every provided field must be defined */
    for (uint32_t i = 0; i < v->u.obj.count && !c->stop; i++) {
        const gql_member *m = &v->u.obj.members[i];
        if (gql_type_input_field(t, m->key, m->key_len) && strlen(m->key) == m->key_len) continue;
        const char **names = gql_arena_alloc(a, (t->input_field_count + 1) * sizeof *names);
        for (uint32_t k = 0; k < t->input_field_count; k++) names[k] = t->input_fields[k].name;
        const char *dym = gql_coerce_did_you_mean(a, NULL, m->key, m->key_len, names, t->input_field_count);
        report(c, path, NULL, v,
               gql_arena_printf(a, "Field \"%s\" is not defined by type \"%s\".%s", m->key, t->name, dym));
    }
    if (t->one_of && !c->stop) {
        if (n_keys != 1)
            report(c, path, NULL, v,
                   gql_arena_printf(a, "Exactly one key must be specified for OneOf type \"%s\".", t->name));
        if (first_value && first_value->kind == GQL_V_NULL)
            report(c, path, first_key, first_value, gql_arena_printf(a, "Field \"%s\" must be non-null.", first_key));
    }
    return out;
}

static gql_val *coerce_leaf(coerce_ctx *c, const gql_val *v, const gql_type *t, const path_node *path) {
    gql_val *out;
    const char *msg;
    switch (gql_leaf_parse_value(c->a, t, v, &out, &msg)) {
    case GQL_LEAF_OK: return out;
    case GQL_LEAF_GRAPHQL_ERROR: report(c, path, NULL, v, msg); return NULL;
    case GQL_LEAF_ERROR:
        report(c, path, NULL, v, gql_arena_printf(c->a, "Expected type \"%s\". %s", t->name, msg));
        return NULL;
    case GQL_LEAF_UNDEFINED:
    default: report(c, path, NULL, v, gql_arena_printf(c->a, "Expected type \"%s\".", t->name)); return NULL;
    }
}

/* coerceInputValueImpl: NULL for undefined (after reporting an error). */
static gql_val *coerce_impl(coerce_ctx *c, const gql_val *v, const gql_type *t, const path_node *path) {
    if (c->stop) return NULL;
    bool is_null = !v || v->kind == GQL_V_NULL;
    if (t->kind == GQL_T_NON_NULL) {
        if (!is_null) return coerce_impl(c, v, t->of_type, path);
        static const gql_val null_val = {.kind = GQL_V_NULL};
        report(c, path, NULL, v ? v : &null_val,
               gql_arena_printf(c->a, "Expected non-nullable type \"%s\" not to be null.", gql_type_str(c->a, t)));
        return NULL;
    }
    if (is_null) return gql_val_null(c->a);
    switch (t->kind) {
    case GQL_T_LIST: return coerce_list(c, v, t, path);
    case GQL_T_INPUT_OBJECT: return coerce_object(c, v, t, path);
    case GQL_T_SCALAR:
    case GQL_T_ENUM: return coerce_leaf(c, v, t, path);
    default: return NULL;   /* not an input type: validation rules it out */
    }
}

/* graphql-js's defaultOnError: the first error, thrown. */
static void default_on_error(coerce_ctx *c, const path_node *path, const char *last_key, const gql_val *invalid,
                             const char *msg) {
    gql_buf b;
    gql_buf_init(&b);
    gql_buf_puts(&b, "Invalid value ");
    gql_inspect_buf(&b, invalid);
    if (path || last_key) {
        gql_buf_puts(&b, " at \"value");
        print_path(&b, path, last_key);
        gql_buf_putc(&b, '"');
    }
    gql_buf_printf(&b, ": %s", msg);
    c->first_error = gql_arena_strndup(c->a, b.data, b.len);
    gql_buf_free(&b);
    c->stop = true;
}

gql_val *gql_coerce_input_value(gql_arena *a, const gql_val *input, const gql_type *type, const char **err) {
    coerce_ctx c = {.a = a, .on_error = default_on_error};
    gql_val *v = coerce_impl(&c, input, type, NULL);
    if (err) *err = c.first_error;
    return c.first_error ? NULL : v;
}

/* ---- coerceVariableValues ------------------------------------------------------- */

static void add_var_error(coerce_ctx *c, const char *msg, gql_loc loc) {
    if (c->n_errors >= c->max_errors) {   /* getVariableValues's onError throws */
        gql_errors_add_msg(c->errs, "Too many errors processing variables, error limit reached. Execution aborted.");
        c->stop = true;
        return;
    }
    c->n_errors++;
    gql_error *e = gql_errors_add_msg(c->errs, msg);
    gql_error_add_loc(c->errs, e, loc);
}

static void variable_on_error(coerce_ctx *c, const path_node *path, const char *last_key, const gql_val *invalid,
                              const char *msg) {
    gql_buf b;
    gql_buf_init(&b);
    gql_buf_printf(&b, "Variable \"$%s\" got invalid value ", c->var_name);
    gql_inspect_buf(&b, invalid);
    if (path || last_key) {
        gql_buf_printf(&b, " at \"%s", c->var_name);
        print_path(&b, path, last_key);
        gql_buf_putc(&b, '"');
    }
    gql_buf_printf(&b, "; %s", msg);
    add_var_error(c, b.data, c->var_def->loc);
    gql_buf_free(&b);
}

gql_val *gql_coerce_variables(gql_arena *a, gql_schema *s, const gql_definition *op, const gql_val *inputs,
                              uint32_t max_errors, gql_errors *errs) {
    coerce_ctx c = {.a = a, .on_error = variable_on_error, .errs = errs, .max_errors = max_errors ? max_errors : 50};
    gql_val *out = gql_val_object(a, op->variable_count);
    if (inputs && inputs->kind != GQL_V_OBJECT) inputs = NULL;
    for (uint32_t i = 0; i < op->variable_count && !c.stop; i++) {
        const gql_variable_definition *vd = &op->variables[i];
        const gql_name *name = &vd->variable->name;
        c.var_name = name->value;
        c.var_def = vd;
        gql_type *type = gql_type_from_ast_in(s, a, vd->type);
        if (!type || !gql_is_input_type(type)) {
            gql_buf b;
            gql_buf_init(&b);
            gql_buf_printf(&b, "Variable \"$%s\" expected value of type \"", name->value);
            gql_print_type_node(&b, vd->type);
            gql_buf_puts(&b, "\" which cannot be used as an input type.");
            add_var_error(&c, b.data, vd->type->loc);
            gql_buf_free(&b);
            continue;
        }
        const gql_val *value = gql_val_get(inputs, name->value, name->len);
        if (!value) {
            if (vd->default_value) {
                /* an invalid default (which validation reports) stays absent */
                bool absent = false;
                gql_val *dv = gql_value_from_ast(a, vd->default_value, type, NULL, &absent);
                if (dv) gql_val_object_set(a, out, name->value, name->len, dv);
            } else if (type->kind == GQL_T_NON_NULL) {
                add_var_error(&c, gql_arena_printf(a, "Variable \"$%s\" of required type \"%s\" was not provided.",
                                                   name->value, gql_type_str(a, type)),
                              vd->loc);
            }
            continue;
        }
        if (value->kind == GQL_V_NULL && type->kind == GQL_T_NON_NULL) {
            add_var_error(&c, gql_arena_printf(a, "Variable \"$%s\" of non-null type \"%s\" must not be null.",
                                               name->value, gql_type_str(a, type)),
                          vd->loc);
            continue;
        }
        uint32_t before = c.n_errors;
        gql_val *cv = coerce_impl(&c, value, type, NULL);
        if (cv && c.n_errors == before) gql_val_object_set(a, out, name->value, name->len, cv);
    }
    return c.n_errors || c.stop ? NULL : out;
}

/* ---- getArgumentValues ------------------------------------------------------------ */

static gql_error *arg_error(gql_errors *errs, gql_loc loc, const char *msg) {
    gql_error *e = gql_errors_add_msg(errs, msg);
    gql_error_add_loc(errs, e, loc);
    return e;
}

gql_val *gql_argument_values(gql_arena *a, const gql_input_value *defs, uint32_t def_count,
                             const gql_argument *args, uint32_t arg_count, gql_loc node_loc,
                             const gql_val *variables, gql_errors *errs) {
    gql_val *out = gql_val_object(a, def_count);
    for (uint32_t i = 0; i < def_count; i++) {
        const gql_input_value *def = &defs[i];
        size_t name_len = strlen(def->name);
        const gql_argument *arg = NULL;
        for (uint32_t k = 0; k < arg_count; k++)   /* keyMap: the last of a name wins */
            if (args[k].name.len == name_len && memcmp(args[k].name.value, def->name, name_len) == 0) arg = &args[k];
        bool non_null = def->type->kind == GQL_T_NON_NULL;
        if (!arg) {
            gql_val *dv = gql_input_default(a, def);
            if (dv) gql_val_object_set(a, out, def->name, name_len, dv);
            else if (non_null) {
                arg_error(errs, node_loc,
                          gql_arena_printf(a, "Argument \"%s\" of required type \"%s\" was not provided.", def->name,
                                           gql_type_str(a, def->type)));
                return NULL;
            }
            continue;
        }
        const gql_value_node *vn = arg->value;
        bool is_null = vn->kind == GQL_NULL_VALUE;
        if (vn->kind == GQL_VARIABLE) {
            const gql_val *var = gql_val_get(variables, vn->name.value, vn->name.len);
            if (!var) {
                gql_val *dv = gql_input_default(a, def);
                if (dv) gql_val_object_set(a, out, def->name, name_len, dv);
                else if (non_null) {
                    arg_error(errs, vn->loc,
                              gql_arena_printf(a,
                                               "Argument \"%s\" of required type \"%s\" was provided the variable "
                                               "\"$%s\" which was not provided a runtime value.",
                                               def->name, gql_type_str(a, def->type), vn->name.value));
                    return NULL;
                }
                continue;
            }
            is_null = var->kind == GQL_V_NULL;
        }
        if (is_null && non_null) {
            arg_error(errs, vn->loc,
                      gql_arena_printf(a, "Argument \"%s\" of non-null type \"%s\" must not be null.", def->name,
                                       gql_type_str(a, def->type)));
            return NULL;
        }
        bool absent = false;
        gql_val *cv = gql_value_from_ast(a, vn, def->type, variables, &absent);
        if (!cv) {
            arg_error(errs, vn->loc,
                      gql_arena_printf(a, "Argument \"%s\" has invalid value %s.", def->name,
                                       gql_print_value_node_str(a, vn)));
            return NULL;
        }
        gql_val_object_set(a, out, def->name, name_len, cv);
    }
    return out;
}

/* ---- @skip / @include ------------------------------------------------------------- */

/* getDirectiveValues(def, node).if: 1 true, 0 false, -1 not there, -2 error */
static int directive_if(gql_arena *a, const gql_directive *def, const gql_directive_node *dirs, uint32_t count,
                        const gql_val *variables, gql_errors *errs) {
    if (!def) return -1;
    for (uint32_t i = 0; i < count; i++) {
        if (strcmp(dirs[i].name.value, def->name) != 0) continue;
        gql_errors scratch;
        gql_errors_init(&scratch, a);
        gql_val *args = gql_argument_values(a, def->args, def->arg_count, dirs[i].args, dirs[i].arg_count,
                                            dirs[i].loc, variables, errs ? errs : &scratch);
        if (!args) return -2;
        const gql_val *v = gql_val_get(args, "if", 2);
        return v && v->kind == GQL_V_BOOL ? v->u.b : -1;
    }
    return -1;
}

bool gql_should_include(gql_arena *a, gql_schema *s, const gql_directive_node *dirs, uint32_t count,
                        const gql_val *variables, gql_errors *errs) {
    if (count == 0) return true;
    int skip = directive_if(a, gql_schema_directive(s, "skip", 4), dirs, count, variables, errs);
    if (skip == -2 || skip == 1) return false;
    int include = directive_if(a, gql_schema_directive(s, "include", 7), dirs, count, variables, errs);
    return include != -2 && include != 0;
}
