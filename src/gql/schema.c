/*
 * schema.c: the schema's lookups (types by name, fields, arguments, enum
 * values), wrapper interning, the type predicates and comparators of
 * graphql-js (definition.js, typeComparators.js, schema.isSubType), type
 * printing, the resolver/scalar binding, and the insertion-ordered string map
 * the other schema files use. Building is in schema_build.c.
 */
#include <string.h>
#include "schema.h"
#include "schema_internal.h"

/* ---- insertion-ordered string map ---------------------------------------- */

uint32_t gql_hash_name(const char *s, uint32_t len) {
    uint32_t h = 2166136261u;   /* FNV-1a */
    for (uint32_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

void gql_smap_init(gql_smap *m, gql_arena *a) {
    memset(m, 0, sizeof *m);
    m->arena = a;
}

static uint32_t *smap_slot(const gql_smap *m, const char *key, uint32_t len) {
    uint32_t mask = m->slot_cap - 1;
    for (uint32_t i = gql_hash_name(key, len) & mask;; i = (i + 1) & mask) {
        uint32_t *slot = &m->slots[i];
        if (!*slot) return slot;
        const gql_smap_ent *e = &m->ents[*slot - 1];
        if (e->len == len && memcmp(e->key, key, len) == 0) return slot;
    }
}

gql_smap_ent *gql_smap_find(const gql_smap *m, const char *key, uint32_t len) {
    if (!m->count) return NULL;
    uint32_t *slot = smap_slot(m, key, len);
    return *slot ? &m->ents[*slot - 1] : NULL;
}

void *gql_smap_get(const gql_smap *m, const char *key, uint32_t len) {
    gql_smap_ent *e = gql_smap_find(m, key, len);
    return e ? e->val : NULL;
}

gql_smap_ent *gql_smap_put(gql_smap *m, const char *key, uint32_t len, bool *created) {
    if ((m->count + 1) * 2 > m->slot_cap) {
        uint32_t cap = m->slot_cap ? m->slot_cap * 2 : 16;
        m->slots = gql_arena_calloc(m->arena, cap * sizeof *m->slots);
        m->slot_cap = cap;
        for (uint32_t i = 0; i < m->count; i++)
            *smap_slot(m, m->ents[i].key, m->ents[i].len) = i + 1;
    }
    uint32_t *slot = smap_slot(m, key, len);
    if (*slot) {
        if (created) *created = false;
        return &m->ents[*slot - 1];
    }
    if (m->count == m->ents_cap) {
        uint32_t cap = m->ents_cap ? m->ents_cap * 2 : 8;
        m->ents = gql_arena_grow(m->arena, m->ents, m->count, cap, sizeof *m->ents);
        m->ents_cap = cap;
    }
    gql_smap_ent *e = &m->ents[m->count++];
    e->key = key;
    e->len = len;
    e->val = NULL;
    *slot = m->count;
    if (created) *created = true;
    return e;
}

/* ---- lookups --------------------------------------------------------------- */

/* a (NUL-terminated) is exactly the len bytes at b. Inline and byte by byte:
 * names are short and most candidates differ in their first byte; a NUL inside
 * b never matches, and a is never read past its end. */
static inline bool name_eq(const char *a, const char *b, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (a[i] != b[i] || !a[i]) return false;
    return a[len] == 0;
}

gql_type *gql_schema_type_n(const gql_schema *s, const char *name, size_t len) {
    if (!s->type_table_size) return NULL;
    uint32_t mask = s->type_table_size - 1;
    for (uint32_t i = gql_hash_name(name, (uint32_t)len) & mask;; i = (i + 1) & mask) {
        gql_type *t = s->type_table[i];
        if (!t) return NULL;
        if (name_eq(t->name, name, len)) return t;
    }
}

gql_type *gql_schema_type(const gql_schema *s, const char *name) {
    return gql_schema_type_n(s, name, strlen(name));
}

gql_directive *gql_schema_directive(const gql_schema *s, const char *name, size_t len) {
    for (uint32_t i = 0; i < s->directive_count; i++)
        if (name_eq(s->directives[i]->name, name, len)) return s->directives[i];
    return NULL;
}

gql_field *gql_type_field(const gql_type *t, const char *name, size_t len) {
    for (uint32_t i = 0; i < t->field_count; i++)
        if (name_eq(t->fields[i].name, name, len)) return &t->fields[i];
    return NULL;
}

gql_input_value *gql_field_arg(const gql_field *f, const char *name, size_t len) {
    for (uint32_t i = 0; i < f->arg_count; i++)
        if (name_eq(f->args[i].name, name, len)) return &f->args[i];
    return NULL;
}

gql_input_value *gql_type_input_field(const gql_type *t, const char *name, size_t len) {
    for (uint32_t i = 0; i < t->input_field_count; i++)
        if (name_eq(t->input_fields[i].name, name, len)) return &t->input_fields[i];
    return NULL;
}

gql_enum_value *gql_type_enum_value(const gql_type *t, const char *name, size_t len) {
    for (uint32_t i = 0; i < t->value_count; i++)
        if (name_eq(t->values[i].name, name, len)) return &t->values[i];
    return NULL;
}

/* ---- wrappers ---------------------------------------------------------------- */

static gql_type *wrap(gql_schema *s, gql_type *of, gql_type_kind kind) {
    gql_type *t = gql_arena_calloc(&s->arena, sizeof *t);
    t->kind = kind;
    t->of_type = of;
    t->index = UINT32_MAX;
    return t;
}

gql_type *gql_type_list(gql_schema *s, gql_type *of) {
    if (!of->list_of) of->list_of = wrap(s, of, GQL_T_LIST);
    return of->list_of;
}

gql_type *gql_type_non_null(gql_schema *s, gql_type *of) {
    if (!of->non_null_of) of->non_null_of = wrap(s, of, GQL_T_NON_NULL);
    return of->non_null_of;
}

/* A type reference resolved against the schema. Wrappers come from the
 * schema's interned ones; with an arena, missing ones are made there instead
 * of being added to the schema (which a request must not grow). */
static gql_type *from_ast(gql_schema *s, gql_arena *a, const gql_type_node *t) {
    /* Iterative: a reference nests as deep as the parser allowed. Find the
     * named type at the bottom, then wrap it back up from the inside out. */
    uint32_t depth = 0;
    const gql_type_node *n = t;
    while (n->kind != GQL_NAMED_TYPE) {
        n = n->of;
        depth++;
    }
    gql_type *r = gql_schema_type_n(s, n->name.value, n->name.len);
    if (!r) return NULL;
    while (depth--) {
        const gql_type_node *w = t;
        for (uint32_t i = 0; i < depth; i++) w = w->of;
        bool list = w->kind == GQL_LIST_TYPE;
        gql_type *interned = list ? r->list_of : r->non_null_of;
        if (interned || !a) {
            r = list ? gql_type_list(s, r) : gql_type_non_null(s, r);
        } else {
            gql_type *x = gql_arena_calloc(a, sizeof *x);
            x->kind = list ? GQL_T_LIST : GQL_T_NON_NULL;
            x->of_type = r;
            x->index = UINT32_MAX;
            r = x;
        }
    }
    return r;
}

gql_type *gql_type_from_ast(gql_schema *s, const gql_type_node *t) { return from_ast(s, NULL, t); }

gql_type *gql_type_from_ast_in(gql_schema *s, gql_arena *a, const gql_type_node *t) { return from_ast(s, a, t); }

/* ---- predicates ---------------------------------------------------------------- */

gql_type *gql_named_type(gql_type *t) {
    while (t && (t->kind == GQL_T_LIST || t->kind == GQL_T_NON_NULL)) t = t->of_type;
    return t;
}

gql_type *gql_nullable_type(gql_type *t) {
    return t && t->kind == GQL_T_NON_NULL ? t->of_type : t;
}

static const gql_type *named_c(const gql_type *t) {
    while (t->kind == GQL_T_LIST || t->kind == GQL_T_NON_NULL) t = t->of_type;
    return t;
}

bool gql_is_input_type(const gql_type *t) {
    gql_type_kind k = named_c(t)->kind;
    return k == GQL_T_SCALAR || k == GQL_T_ENUM || k == GQL_T_INPUT_OBJECT;
}

bool gql_is_output_type(const gql_type *t) {
    gql_type_kind k = named_c(t)->kind;
    return k != GQL_T_INPUT_OBJECT;
}

bool gql_is_leaf_type(const gql_type *t) {
    return t->kind == GQL_T_SCALAR || t->kind == GQL_T_ENUM;
}

bool gql_is_composite_type(const gql_type *t) {
    return t->kind == GQL_T_OBJECT || t->kind == GQL_T_INTERFACE || t->kind == GQL_T_UNION;
}

bool gql_is_abstract_type(const gql_type *t) {
    return t->kind == GQL_T_INTERFACE || t->kind == GQL_T_UNION;
}

bool gql_is_required_input(const gql_input_value *v) {
    return v->type->kind == GQL_T_NON_NULL && !v->default_value;
}

static bool contains(gql_type *const *list, uint32_t n, const gql_type *t) {
    for (uint32_t i = 0; i < n; i++)
        if (list[i] == t) return true;
    return false;
}

bool gql_is_possible_type(const gql_type *abstract, const gql_type *object) {
    if (abstract->kind == GQL_T_UNION) return contains(abstract->members, abstract->member_count, object);
    if (abstract->kind == GQL_T_INTERFACE) return contains(abstract->possible_types, abstract->possible_count, object);
    return false;
}

/* schema.isSubType: union members, or the objects and interfaces whose
 * interfaces list names the interface (graphql-js's implementations map is
 * built from exactly those lists). */
bool gql_is_sub_type(const gql_type *super, const gql_type *maybe_sub) {
    if (super->kind == GQL_T_UNION) return contains(super->members, super->member_count, maybe_sub);
    if (super->kind != GQL_T_INTERFACE) return false;
    if (maybe_sub->kind != GQL_T_OBJECT && maybe_sub->kind != GQL_T_INTERFACE) return false;
    return contains(maybe_sub->interfaces, maybe_sub->interface_count, super);
}

bool gql_types_overlap(const gql_type *a, const gql_type *b) {
    if (a == b) return true;
    if (gql_is_abstract_type(a)) {
        if (gql_is_abstract_type(b)) {
            gql_type *const *pt = a->kind == GQL_T_UNION ? a->members : a->possible_types;
            uint32_t n = a->kind == GQL_T_UNION ? a->member_count : a->possible_count;
            for (uint32_t i = 0; i < n; i++)
                if (gql_is_sub_type(b, pt[i])) return true;
            return false;
        }
        return gql_is_sub_type(a, b);
    }
    if (gql_is_abstract_type(b)) return gql_is_sub_type(b, a);
    return false;
}

bool gql_is_type_sub_type_of(const gql_type *sub, const gql_type *super) {
    for (;;) {   /* each step strips a wrapper: bounded by the type's depth */
        if (sub == super) return true;
        if (super->kind == GQL_T_NON_NULL) {
            if (sub->kind != GQL_T_NON_NULL) return false;
            sub = sub->of_type;
            super = super->of_type;
            continue;
        }
        if (sub->kind == GQL_T_NON_NULL) {
            sub = sub->of_type;
            continue;
        }
        if (super->kind == GQL_T_LIST) {
            if (sub->kind != GQL_T_LIST) return false;
            sub = sub->of_type;
            super = super->of_type;
            continue;
        }
        if (sub->kind == GQL_T_LIST) return false;
        return gql_is_abstract_type(super) &&
               (sub->kind == GQL_T_INTERFACE || sub->kind == GQL_T_OBJECT) && gql_is_sub_type(super, sub);
    }
}

bool gql_types_equal(const gql_type *a, const gql_type *b) {
    for (;;) {
        if (a == b) return true;
        if ((a->kind == GQL_T_NON_NULL && b->kind == GQL_T_NON_NULL) ||
            (a->kind == GQL_T_LIST && b->kind == GQL_T_LIST)) {
            a = a->of_type;
            b = b->of_type;
            continue;
        }
        return false;
    }
}

const char *gql_type_str(gql_arena *a, const gql_type *t) {
    size_t len = 0;
    const gql_type *n = t;
    for (; n->kind == GQL_T_LIST || n->kind == GQL_T_NON_NULL; n = n->of_type) len += n->kind == GQL_T_LIST ? 2 : 1;
    size_t nl = strlen(n->name);
    char *out = gql_arena_alloc(a, len + nl + 1);
    /* "[" for each list from the outside in, the name, then the closers from the inside out */
    size_t pos = 0;
    for (const gql_type *w = t; w != n; w = w->of_type)
        if (w->kind == GQL_T_LIST) out[pos++] = '[';
    memcpy(out + pos, n->name, nl);
    pos += nl;
    size_t end = len + nl;
    out[end] = 0;
    /* closers: written backwards from the end, outermost wrapper last */
    for (const gql_type *w = t; w != n; w = w->of_type) out[--end] = w->kind == GQL_T_LIST ? ']' : '!';
    return out;
}

/* ---- directive locations -------------------------------------------------------- */

static const char *const dl_names[GQL_DL_COUNT] = {
    "QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD",
    "INLINE_FRAGMENT", "VARIABLE_DEFINITION", "SCHEMA", "SCALAR", "OBJECT", "FIELD_DEFINITION",
    "ARGUMENT_DEFINITION", "INTERFACE", "UNION", "ENUM", "ENUM_VALUE", "INPUT_OBJECT",
    "INPUT_FIELD_DEFINITION", "DIRECTIVE_DEFINITION",
};

const char *gql_directive_location_name(gql_directive_location l) {
    return (unsigned)l < GQL_DL_COUNT ? dl_names[l] : "";
}

int gql_directive_location_from_name(const char *name) {
    for (int i = 0; i < GQL_DL_COUNT; i++)
        if (strcmp(dl_names[i], name) == 0) return i;
    return -1;
}

/* ---- binding ------------------------------------------------------------------------ */

bool gql_schema_bind(gql_schema *s, const char *type_name, const char *field_name, gql_resolver_fn fn, void *ud) {
    gql_type *t = gql_schema_type(s, type_name);
    if (!t || (t->kind != GQL_T_OBJECT && t->kind != GQL_T_INTERFACE)) return false;
    gql_field *f = gql_type_field(t, field_name, strlen(field_name));
    if (!f) return false;
    f->resolve = fn;
    f->resolve_ud = ud;
    return true;
}

bool gql_schema_bind_type_resolver(gql_schema *s, const char *type_name, gql_resolve_type_fn fn) {
    gql_type *t = gql_schema_type(s, type_name);
    if (!t || !gql_is_abstract_type(t)) return false;
    t->resolve_type = fn;
    return true;
}

bool gql_schema_bind_scalar(gql_schema *s, const char *scalar_name, gql_scalar_serialize_fn ser,
                            gql_scalar_parse_fn parse, void *ud) {
    gql_type *t = gql_schema_type(s, scalar_name);
    if (!t || t->kind != GQL_T_SCALAR) return false;
    t->serialize = ser;
    t->parse = parse;
    t->scalar_ud = ud;
    return true;
}

void gql_schema_free(gql_schema *s) {
    if (!s) return;
    if (s->owned_doc) gql_document_free(s->owned_doc);
    if (s->builtin_doc) gql_document_free(s->builtin_doc);
    gql_arena arena = s->arena;   /* the schema struct itself lives in its arena */
    gql_arena_free(&arena);
}
