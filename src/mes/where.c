/*
 * where.c: a coerced `<Type>_bool_exp` argument (Hasura style) turned into
 * the store's backend-neutral filter tree (store_filter).
 *
 * `_and` / `_or` take lists, `_not` one expression; every other key is a
 * field of the type: a comparison (`{ _eq: … }`, several operators in one
 * object are ANDed) or, for an object field, the nested type's expression.
 * Several keys in one object are ANDed. Which fields exist and what their
 * values are comes from the store's own table (store_filter_field_info),
 * so this file keeps no copy of it. Ids are lower-cased, as every id the
 * API receives.
 *
 * Must never: accept a null where a value is expected (`{ _eq: null }` is
 * an input error, not "match everything" as in some Hasura versions), or
 * recurse without bound.
 */
#include <ctype.h>
#include <string.h>
#include "domain.h"

#define WHERE_DEPTH_MAX 64

typedef struct conv {
    gql_arena *a;
    const char *message;   /* the first error */
} conv;

static bool fail(conv *c, const char *msg) {
    if (!c->message) c->message = msg;
    return false;
}

static store_filter *node(conv *c, store_filter_kind k, size_t nchildren) {
    store_filter *f = gql_arena_calloc(c->a, sizeof *f);
    f->kind = k;
    f->nchildren = nchildren;
    f->children = nchildren ? gql_arena_calloc(c->a, nchildren * sizeof *f->children) : NULL;
    return f;
}

static const struct { const char *name; store_cmp op; } ops[] = {
    {"_eq", STORE_EQ},   {"_neq", STORE_NEQ}, {"_in", STORE_IN},   {"_nin", STORE_NIN},
    {"_gt", STORE_GT},   {"_gte", STORE_GTE}, {"_lt", STORE_LT},   {"_lte", STORE_LTE},
    {"_is_null", STORE_IS_NULL}, {"_like", STORE_LIKE},
};

static bool null_given(conv *c, const char *opname, const char *field) {
    return fail(c, gql_arena_printf(c->a,
                                    "Invalid where: \"%s\" on field \"%s\" was given null; only _is_null "
                                    "tests for null.",
                                    opname, field));
}

/* One scalar of a comparison as the store's value. */
static bool value_of(conv *c, const store_filter_field *fi, const char *field, const char *opname,
                     const gql_val *v, store_value *out) {
    if (!v || v->kind == GQL_V_NULL) return null_given(c, opname, field);
    out->kind = fi->kind;
    switch (fi->kind) {
    case STORE_V_STRING:
        if (v->kind != GQL_V_STRING && v->kind != GQL_V_ENUM) break;
        if (fi->id) {
            char *s = gql_arena_strndup(c->a, v->u.str.s, v->u.str.len);
            for (char *p = s; *p; p++) *p = (char)tolower((unsigned char)*p);
            out->s = s;
        } else {
            out->s = v->u.str.s;
        }
        return true;
    case STORE_V_INT:
    case STORE_V_TIME:   /* the Time scalar's input is already milliseconds */
        if (v->kind != GQL_V_INT) break;
        out->i = v->u.i;
        return true;
    case STORE_V_BOOL:
        if (v->kind != GQL_V_BOOL) break;
        out->i = v->u.b;
        return true;
    }
    return fail(c, gql_arena_printf(c->a, "Invalid where: \"%s\" on field \"%s\" has a value of the wrong type.",
                                    opname, field));
}

/* `{ _eq: …, _in: […] }` on a comparable field: one node per operator, ANDed. */
static store_filter *comparison(conv *c, const store_filter_field *fi, const char *field, const gql_val *cmp) {
    if (cmp->kind != GQL_V_OBJECT) {
        fail(c, gql_arena_printf(c->a, "Invalid where: field \"%s\" takes a comparison object.", field));
        return NULL;
    }
    store_filter *all = node(c, STORE_F_AND, cmp->u.obj.count);
    for (uint32_t i = 0; i < cmp->u.obj.count; i++) {
        const gql_member *m = &cmp->u.obj.members[i];
        size_t k = 0;
        while (k < sizeof ops / sizeof ops[0] && strcmp(ops[k].name, m->key) != 0) k++;
        if (k == sizeof ops / sizeof ops[0]) {
            fail(c, gql_arena_printf(c->a, "Invalid where: \"%s\" is not a comparison operator.", m->key));
            return NULL;
        }
        store_filter *f = node(c, STORE_F_CMP, 0);
        f->field = field;
        f->op = ops[k].op;
        const gql_val *v = m->value;
        if (f->op == STORE_IS_NULL) {
            if (!v || v->kind != GQL_V_BOOL) {
                fail(c, gql_arena_printf(c->a, "Invalid where: \"_is_null\" on field \"%s\" takes true or false.",
                                         field));
                return NULL;
            }
            store_value *sv = gql_arena_calloc(c->a, sizeof *sv);
            *sv = (store_value){.kind = STORE_V_BOOL, .i = v->u.b};
            f->values = sv, f->nvalues = 1;
        } else if (f->op == STORE_IN || f->op == STORE_NIN) {
            if (!v || v->kind != GQL_V_LIST) {
                /* a single value given for a list is coerced to a list of one by the engine;
                 * what is left is null */
                null_given(c, m->key, field);
                return NULL;
            }
            store_value *vals = gql_arena_calloc(c->a, (v->u.list.count + 1) * sizeof *vals);
            for (uint32_t j = 0; j < v->u.list.count; j++)
                if (!value_of(c, fi, field, m->key, v->u.list.items[j], &vals[j])) return NULL;
            f->values = vals, f->nvalues = v->u.list.count;
        } else {
            store_value *sv = gql_arena_calloc(c->a, sizeof *sv);
            if (!value_of(c, fi, field, m->key, v, sv)) return NULL;
            f->values = sv, f->nvalues = 1;
        }
        ((store_filter **)all->children)[i] = f;
    }
    return all->nchildren == 1 ? (store_filter *)all->children[0] : all;
}

static store_filter *expression(conv *c, store_entity e, const gql_val *w, int depth);

/* `_and` / `_or`: a list of expressions (a single one was coerced into a list by the engine). */
static store_filter *junction(conv *c, store_filter_kind k, store_entity e, const char *key, const gql_val *v,
                              int depth) {
    if (!v || v->kind != GQL_V_LIST) {
        fail(c, gql_arena_printf(c->a, "Invalid where: \"%s\" takes a list of expressions, not null.", key));
        return NULL;
    }
    store_filter *f = node(c, k, v->u.list.count);
    for (uint32_t j = 0; j < v->u.list.count; j++) {
        store_filter *child = expression(c, e, v->u.list.items[j], depth + 1);
        if (!child) return NULL;
        ((store_filter **)f->children)[j] = child;
    }
    return f;
}

static store_filter *expression(conv *c, store_entity e, const gql_val *w, int depth) {
    if (depth > WHERE_DEPTH_MAX) {
        fail(c, "Invalid where: the expression is nested too deeply.");
        return NULL;
    }
    if (!w || w->kind != GQL_V_OBJECT) {
        fail(c, "Invalid where: an expression must be an object, not null.");
        return NULL;
    }
    store_filter *all = node(c, STORE_F_AND, w->u.obj.count);
    for (uint32_t i = 0; i < w->u.obj.count; i++) {
        const gql_member *m = &w->u.obj.members[i];
        store_filter *f = NULL;
        store_filter_field fi;
        if (strcmp(m->key, "_and") == 0) {
            f = junction(c, STORE_F_AND, e, m->key, m->value, depth);
        } else if (strcmp(m->key, "_or") == 0) {
            f = junction(c, STORE_F_OR, e, m->key, m->value, depth);
        } else if (strcmp(m->key, "_not") == 0) {
            store_filter *inner = expression(c, e, m->value, depth + 1);
            if (inner) {
                f = node(c, STORE_F_NOT, 1);
                ((store_filter **)f->children)[0] = inner;
            }
        } else if (!store_filter_field_info(e, m->key, &fi)) {
            fail(c, gql_arena_printf(c->a, "Invalid where: \"%s\" is not a filterable field.", m->key));
        } else if (!m->value || m->value->kind == GQL_V_NULL) {
            fail(c, gql_arena_printf(c->a, "Invalid where: field \"%s\" was given null.", m->key));
        } else if (fi.object) {
            store_filter *inner = expression(c, fi.nested, m->value, depth + 1);
            if (inner) {
                f = node(c, STORE_F_OBJECT, 1);
                f->field = m->key;
                ((store_filter **)f->children)[0] = inner;
            }
        } else {
            f = comparison(c, &fi, m->key, m->value);
        }
        if (!f) return NULL;
        ((store_filter **)all->children)[i] = f;
    }
    return all->nchildren == 1 ? (store_filter *)all->children[0] : all;
}

bool mes_where_filter(gql_arena *a, store_entity e, const gql_val *where, const store_filter **out,
                      const char **message) {
    *out = NULL;
    if (message) *message = NULL;
    if (!where || where->kind == GQL_V_NULL) return true;
    if ((unsigned)e >= STORE_E_COUNT) {   /* no such type: a caller's bug, refused rather than ignored */
        if (message) *message = "Invalid where: this type cannot be filtered.";
        return false;
    }
    conv c = {.a = a};
    const store_filter *f = expression(&c, e, where, 0);
    if (!f) {
        if (message) *message = c.message ? c.message : "Invalid where.";
        return false;
    }
    *out = f;
    return true;
}
