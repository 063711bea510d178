/*
 * validate_overlap.c: OverlappingFieldsCanBeMerged, ported from graphql-js
 * 16.15 step by step (the comparisons "within" a selection set, between
 * fields and fragments, between fragments, and between sub-selections), with
 * its memoization (collected fields per parent type and selection set,
 * compared fragments, the fragment PairSet, overlapping response names, the
 * reasons per pair of fields, stringified arguments) and its complexity
 * budget, spent at the same points, so that a pathological document aborts
 * with "Validation aborted." exactly where graphql-js does.
 *
 * Type identity follows JavaScript's: a named type is one object, but each
 * field definition has its own list / non-null wrapper objects, while the
 * schema here interns wrappers; doTypesConflict compares accordingly.
 */
#include <string.h>
#include "validate_internal.h"

#define MAX_CONFLICT_DETAIL_LENGTH 1000
#define MAX_CONFLICT_NODES 20
#define MAX_COMPLEXITY_BUDGET 500000
/* Our own bound on the recursion (graphql-js would overflow its stack). */
#define MAX_RECURSION 3000

typedef struct ofinfo {
    const gql_type *named_type;
    bool indexed;            /* arguments indexed in arg_index (many of them) */
} ofinfo;

typedef struct ofield {
    const gql_type *parent_type;
    const gql_selection *node;
    const gql_field *def;
    bool simple_leaf;
    ofinfo *info;
} ofield;

typedef struct ogroup {
    const char *name;        /* the response name */
    uint32_t key;            /* interned */
    ofield **items;
    uint32_t count, cap;
} ogroup;

typedef struct ocfr {        /* a collectFields result */
    ogroup **groups;
    uint32_t group_count, group_cap;
    uint32_t *frags;         /* fragment names (interned), unique, in order */
    uint32_t frag_count, frag_cap;
} ocfr;

typedef struct ooverlap {
    const ogroup *g1, *g2;
} ooverlap;

typedef struct ooverlaps {
    ooverlap *items;
    uint32_t count;
} ooverlaps;

/* A conflict; the "different fields" reason is formatted only when needed
 * (most conflicts of a pathological document are never reported). */
typedef struct oconflict {
    const char *name;
    const char *reason;              /* NULL: "different fields" of diff1 and diff2 */
    const gql_name *diff1, *diff2;
    const gql_selection *node1, *node2;  /* the fields, when n1 == n2 == 1 */
    const gql_selection **f1, **f2;  /* otherwise */
    uint32_t n1, n2;
} oconflict;

typedef struct oconflicts {
    oconflict *items;
    uint32_t count, cap;
} oconflicts;

struct voverlap {
    int64_t budget;
    uint32_t depth;
    vmap cfr_cache;       /* (parent type, selection set) -> ocfr */
    vmap group_index;     /* (cfr, response name) -> ogroup */
    vmap frag_seen;       /* (cfr, fragment name) -> 1 */
    vmap compared_frags;  /* (cfr, fragment name) -> 1: false, 2: true */
    vmap pairs;           /* PairSet: (name, name) -> 1: false, 2: true */
    vmap overlapping;     /* (cfr1, cfr2) -> ooverlaps */
    vmap comparisons;     /* (info1, info2) -> reason, or NO_CONFLICT, for fields with arguments */
    vmap stringified;     /* value node -> canonical string */
    vmap arg_index;       /* (info, argument name) -> value node (the last of that name) */
};

static const char NO_CONFLICT[] = "";

static voverlap *ov(vctx *v)
{
    if (!v->overlap) {
        v->overlap = gql_arena_calloc(&v->arena, sizeof *v->overlap);
        v->overlap->budget = MAX_COMPLEXITY_BUDGET;
    }
    return v->overlap;
}

static void spend(vctx *v, int64_t cost)
{
    voverlap *o = ov(v);
    o->budget -= cost;
    if (o->budget < 0)
        v_abort(v);
}

static void enter_recursion(vctx *v)
{
    if (++ov(v)->depth > MAX_RECURSION)
        v_abort(v);
}

static void leave_recursion(vctx *v) { ov(v)->depth--; }

/* ---- collecting fields ------------------------------------------------------- */

static void add_field(vctx *v, ocfr *r, const gql_type *parent, const gql_selection *s)
{
    voverlap *o = ov(v);
    ofield *f = gql_arena_calloc(&v->arena, sizeof *f);
    f->parent_type = parent;
    f->node = s;
    if (parent && (parent->kind == GQL_T_OBJECT || parent->kind == GQL_T_INTERFACE))
        f->def = gql_type_field(parent, s->name.value, s->name.len);
    f->simple_leaf = s->arg_count == 0 && !s->selection_set;
    uint32_t key = v_intern_name(v, &s->alias);
    bool existed;
    void **slot = vmap_slot(v, &o->group_index, VKEY(r), key, &existed);
    if (!existed) {
        ogroup *g = gql_arena_calloc(&v->arena, sizeof *g);
        g->name = s->alias.value;
        g->key = key;
        *slot = g;
        if (r->group_count == r->group_cap) {
            uint32_t ncap = r->group_cap ? r->group_cap * 2 : 8;
            r->groups = gql_arena_grow(&v->arena, r->groups, r->group_cap, ncap, sizeof *r->groups);
            r->group_cap = ncap;
        }
        r->groups[r->group_count++] = g;
    }
    ogroup *g = *slot;
    if (g->count == g->cap) {
        uint32_t ncap = g->cap ? g->cap * 2 : 2;
        g->items = gql_arena_grow(&v->arena, g->items, g->cap, ncap, sizeof *g->items);
        g->cap = ncap;
    }
    g->items[g->count++] = f;
}

static void add_fragment_name(vctx *v, ocfr *r, const gql_name *name)
{
    uint32_t id = v_intern_name(v, name);
    bool existed;
    vmap_slot(v, &ov(v)->frag_seen, VKEY(r), id, &existed);
    if (existed)
        return;
    if (r->frag_count == r->frag_cap) {
        uint32_t ncap = r->frag_cap ? r->frag_cap * 2 : 4;
        r->frags = gql_arena_grow(&v->arena, r->frags, r->frag_cap, ncap, sizeof *r->frags);
        r->frag_cap = ncap;
    }
    r->frags[r->frag_count++] = id;
}

/* Inline fragments nest no deeper than the document (which the parser bounds). */
static void collect_fields_impl(vctx *v, ocfr *r, const gql_type *parent, const gql_selection_set *ss)
{
    for (uint32_t i = 0; i < ss->count; i++) {
        const gql_selection *s = &ss->items[i];
        if (s->kind == GQL_FIELD) {
            add_field(v, r, parent, s);
        } else if (s->kind == GQL_FRAGMENT_SPREAD) {
            add_fragment_name(v, r, &s->name);
        } else {
            const gql_type *t = s->type_condition ? gql_ti_type_from_ast(v->schema, &v->arena, s->type_condition) : parent;
            collect_fields_impl(v, r, t, s->selection_set);
        }
    }
}

static ocfr *collect_fields(vctx *v, const gql_type *parent, const gql_selection_set *ss)
{
    bool existed;
    void **slot = vmap_slot(v, &ov(v)->cfr_cache, VKEY(parent), VKEY(ss), &existed);
    if (existed)
        return *slot;
    ocfr *r = gql_arena_calloc(&v->arena, sizeof *r);
    *slot = r;   /* collect_fields_impl does not look the cache up again */
    collect_fields_impl(v, r, parent, ss);
    return r;
}

static ocfr *collect_fragment_fields(vctx *v, const gql_definition *frag)
{
    return collect_fields(v, gql_ti_type_from_ast(v->schema, &v->arena, frag->type_condition), frag->selection_set);
}

static const gql_definition *fragment_by_id(vctx *v, uint32_t id)
{
    return vmap_get(&v->fragments, id, 0);
}

/* ---- conflicts ------------------------------------------------------------- */

static void push_conflict(vctx *v, oconflicts *c, const oconflict *x)
{
    if (c->count == c->cap) {
        uint32_t ncap = c->cap ? c->cap * 2 : 4;
        c->items = gql_arena_grow(&v->arena, c->items, c->cap, ncap, sizeof *c->items);
        c->cap = ncap;
    }
    c->items[c->count++] = *x;
}

static const char *abbreviate(vctx *v, const char *text)
{
    size_t len = strlen(text);
    if (len <= MAX_CONFLICT_DETAIL_LENGTH)
        return text;
    return gql_arena_printf(&v->arena, "%.*s...", MAX_CONFLICT_DETAIL_LENGTH, text);
}

static bool simple_conflict(oconflict *c, const char *name, const char *reason, const gql_selection *n1,
                            const gql_selection *n2)
{
    memset(c, 0, sizeof *c);
    c->name = name;
    c->reason = reason;
    c->node1 = n1;
    c->node2 = n2;
    c->n1 = c->n2 = 1;
    return true;
}

static const gql_selection *conflict_node(const oconflict *c, bool first, uint32_t k)
{
    if (first)
        return c->n1 == 1 && !c->f1 ? c->node1 : c->f1[k];
    return c->n2 == 1 && !c->f2 ? c->node2 : c->f2[k];
}

static const char *conflict_reason(vctx *v, const oconflict *c)
{
    if (c->reason)
        return c->reason;
    return gql_arena_printf(&v->arena, "\"%s\" and \"%s\" are different fields", abbreviate(v, c->diff1->value),
                            abbreviate(v, c->diff2->value));
}

/* ---- arguments ------------------------------------------------------------------ */

static void stringify(vctx *v, gql_buf *b, const gql_value_node *n);

static int field_name_cmp(const gql_object_field *a, const gql_object_field *b)
{
    uint32_t m = a->name.len < b->name.len ? a->name.len : b->name.len;
    int c = memcmp(a->name.value, b->name.value, m);
    if (c)
        return c;
    return a->name.len < b->name.len ? -1 : a->name.len > b->name.len;
}

static void sort_fields(const gql_object_field **a, const gql_object_field **tmp, uint32_t n)
{
    if (n < 2)
        return;
    uint32_t h = n / 2, i = 0, j = h, k = 0;
    sort_fields(a, tmp, h);
    sort_fields(a + h, tmp, n - h);
    while (i < h && j < n)
        tmp[k++] = field_name_cmp(a[j], a[i]) < 0 ? a[j++] : a[i++];
    while (i < h)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof *a);
}

static void put_sized(gql_buf *b, char tag, const char *s, uint32_t len)
{
    gql_buf_printf(b, "%c%u:", tag, len);
    gql_buf_append(b, s, len);
}

/* An unambiguous encoding with the equality of graphql-js's stringifyValue
 * (JSON of the value with object fields sorted by name). */
static void stringify(vctx *v, gql_buf *b, const gql_value_node *n)
{
    switch (n->kind) {
    case GQL_VARIABLE: put_sized(b, '$', n->name.value, n->name.len); break;
    case GQL_INT_VALUE: put_sized(b, 'i', n->name.value, n->name.len); break;
    case GQL_FLOAT_VALUE: put_sized(b, 'f', n->name.value, n->name.len); break;
    case GQL_STRING_VALUE: put_sized(b, n->block ? 'S' : 's', n->name.value, n->name.len); break;
    case GQL_ENUM_VALUE: put_sized(b, 'e', n->name.value, n->name.len); break;
    case GQL_BOOLEAN_VALUE: gql_buf_puts(b, n->boolean ? "T" : "F"); break;
    case GQL_NULL_VALUE: gql_buf_puts(b, "N"); break;
    case GQL_LIST_VALUE:
        gql_buf_putc(b, '[');
        for (uint32_t i = 0; i < n->item_count; i++)
            stringify(v, b, n->items[i]);
        gql_buf_putc(b, ']');
        break;
    case GQL_OBJECT_VALUE: {
        uint32_t c = n->field_count;
        const gql_object_field **f = gql_arena_alloc(&v->arena, (c ? c : 1) * sizeof *f);
        const gql_object_field **tmp = gql_arena_alloc(&v->arena, (c ? c : 1) * sizeof *tmp);
        for (uint32_t i = 0; i < c; i++)
            f[i] = &n->fields[i];
        sort_fields(f, tmp, c);
        gql_buf_putc(b, '{');
        for (uint32_t i = 0; i < c; i++) {
            put_sized(b, 'k', f[i]->name.value, f[i]->name.len);
            stringify(v, b, f[i]->value);
        }
        gql_buf_putc(b, '}');
        break;
    }
    default:
        gql_buf_putc(b, '?');
        break;
    }
}

typedef struct ostr {
    const char *s;
    size_t len;
} ostr;

static const ostr *stringify_value(vctx *v, const gql_value_node *n)
{
    voverlap *o = ov(v);
    const ostr *cached = vmap_get(&o->stringified, VKEY(n), 0);
    if (cached)
        return cached;
    gql_buf b;
    gql_buf_init(&b);
    stringify(v, &b, n);
    ostr *s = gql_arena_alloc(&v->arena, sizeof *s);
    s->len = b.len;
    s->s = gql_arena_strndup(&v->arena, b.data ? b.data : "", b.len);
    gql_buf_free(&b);
    vmap_set(v, &o->stringified, VKEY(n), 0, s);
    return s;
}

static ofinfo *field_info(vctx *v, ofield *f)
{
    if (f->info)
        return f->info;
    ofinfo *i = gql_arena_calloc(&v->arena, sizeof *i);
    i->named_type = f->def ? gql_named_type(f->def->type) : NULL;
    if (f->node->arg_count > 8) {
        i->indexed = true;
        for (uint32_t k = 0; k < f->node->arg_count; k++)   /* Map.set: the last wins */
            vmap_set(v, &ov(v)->arg_index, VKEY(i), v_intern_name(v, &f->node->args[k].name),
                     f->node->args[k].value);
    }
    f->info = i;
    return i;
}

static const gql_value_node *arg_value(vctx *v, const ofield *f, const gql_name *name)
{
    if (f->info->indexed)
        return vmap_get(&ov(v)->arg_index, VKEY(f->info), v_intern_name(v, name));
    for (uint32_t k = f->node->arg_count; k-- > 0;)
        if (f->node->args[k].name.len == name->len &&
            memcmp(f->node->args[k].name.value, name->value, name->len) == 0)
            return f->node->args[k].value;
    return NULL;
}

static bool same_arguments(vctx *v, const ofield *f1, const ofield *f2)
{
    uint32_t n1 = f1->node->arg_count, n2 = f2->node->arg_count;
    if (n1 == 0)
        return n2 == 0;
    if (n1 != n2)
        return false;
    for (uint32_t k = 0; k < n1; k++) {
        spend(v, 1);
        const gql_argument *a1 = &f1->node->args[k];
        const gql_value_node *v2 = arg_value(v, f2, &a1->name);
        if (!v2)
            return false;
        const ostr *s1 = stringify_value(v, a1->value), *s2 = stringify_value(v, v2);
        if (s1->len != s2->len || memcmp(s1->s, s2->s, s1->len) != 0)
            return false;
    }
    return true;
}

/* JavaScript identity of two types reached from field definitions: the same
 * named type, or the same wrapper of the same field definition. */
static bool js_same_type(const gql_type *t1, const gql_type *t2, bool same_field)
{
    return t1 == t2 && (t1->name != NULL || same_field);
}

static bool do_types_conflict(vctx *v, const gql_type *t1, const gql_type *t2, bool same_field)
{
    for (;;) {
        if (js_same_type(t1, t2, same_field))
            return false;
        spend(v, 1);
        if (t1->kind == GQL_T_LIST || t2->kind == GQL_T_LIST) {
            if (t1->kind != t2->kind)
                return true;
        } else if (t1->kind == GQL_T_NON_NULL || t2->kind == GQL_T_NON_NULL) {
            if (t1->kind != t2->kind)
                return true;
        } else {
            if (gql_is_leaf_type(t1) || gql_is_leaf_type(t2))
                return t1 != t2;
            return false;
        }
        t1 = t1->of_type;
        t2 = t2->of_type;
    }
}

/* ---- the comparisons -------------------------------------------------------- */

static bool find_conflict(vctx *v, oconflict *c, bool parent_exclusive, const char *name, ofield *a, ofield *b);
static void between_fields_and_fragment(vctx *v, oconflicts *c, bool exclusive, ocfr *r, uint32_t frag);
static void between_fragments(vctx *v, oconflicts *c, bool exclusive, uint32_t f1, uint32_t f2);

static const ooverlaps *overlapping_fields(vctx *v, ocfr *r1, ocfr *r2)
{
    voverlap *o = ov(v);
    bool existed;
    void **slot = vmap_slot(v, &o->overlapping, VKEY(r1), VKEY(r2), &existed);
    if (existed)
        return *slot;
    ooverlaps *res = gql_arena_calloc(&v->arena, sizeof *res);
    *slot = res;
    uint32_t cap = 0;
    for (uint32_t i = 0; i < r1->group_count; i++) {
        spend(v, 1);
        const ogroup *g2 = vmap_get(&o->group_index, VKEY(r2), r1->groups[i]->key);
        if (!g2)
            continue;
        if (res->count == cap) {
            uint32_t ncap = cap ? cap * 2 : 4;
            res->items = gql_arena_grow(&v->arena, res->items, cap, ncap, sizeof *res->items);
            cap = ncap;
        }
        res->items[res->count].g1 = r1->groups[i];
        res->items[res->count].g2 = g2;
        res->count++;
    }
    return res;
}

static void collect_conflicts_within(vctx *v, oconflicts *c, ocfr *r)
{
    for (uint32_t g = 0; g < r->group_count; g++) {
        const ogroup *grp = r->groups[g];
        for (uint32_t i = 0; i < grp->count; i++)
            for (uint32_t j = i + 1; j < grp->count; j++) {
                oconflict x;
                if (find_conflict(v, &x, false, grp->name, grp->items[i], grp->items[j]))
                    push_conflict(v, c, &x);
            }
    }
}

static void collect_conflicts_between(vctx *v, oconflicts *c, bool exclusive, ocfr *r1, ocfr *r2)
{
    if (r1->group_count == 0 || r2->group_count == 0)
        return;
    const ooverlaps *ol = overlapping_fields(v, r1, r2);
    for (uint32_t k = 0; k < ol->count; k++) {
        const ogroup *g1 = ol->items[k].g1, *g2 = ol->items[k].g2;
        for (uint32_t i = 0; i < g1->count; i++)
            for (uint32_t j = 0; j < g2->count; j++) {
                oconflict x;
                if (find_conflict(v, &x, exclusive, g1->name, g1->items[i], g2->items[j]))
                    push_conflict(v, c, &x);
            }
    }
}

static void between_fields_and_fragment(vctx *v, oconflicts *c, bool exclusive, ocfr *r, uint32_t frag)
{
    spend(v, 1);
    if (r->group_count == 0)
        return;
    voverlap *o = ov(v);
    void **slot = vmap_slot(v, &o->compared_frags, VKEY(r), frag, NULL);
    uintptr_t compared = (uintptr_t)*slot;   /* 0: not yet, 1: non-exclusive, 2: exclusive */
    /* only a non-exclusive comparison can be reused for overlapping parents */
    if (compared == 1 || (exclusive && compared == 2))
        return;
    *slot = (void *)(uintptr_t)(exclusive ? 2 : 1);
    const gql_definition *fragment = fragment_by_id(v, frag);
    if (!fragment)
        return;
    ocfr *r2 = collect_fragment_fields(v, fragment);
    if (r == r2)
        return;
    enter_recursion(v);
    collect_conflicts_between(v, c, exclusive, r, r2);
    for (uint32_t i = 0; i < r2->frag_count; i++)
        between_fields_and_fragment(v, c, exclusive, r, r2->frags[i]);
    leave_recursion(v);
}

static bool pairs_has1(const voverlap *o, uint32_t a, uint32_t b, bool exclusive)
{
    uintptr_t r = (uintptr_t)vmap_get(&o->pairs, a, b);
    if (r == 0)
        return false;
    return exclusive ? true : r == 1;
}

static void between_fragments(vctx *v, oconflicts *c, bool exclusive, uint32_t f1, uint32_t f2)
{
    spend(v, 2);
    if (f1 == f2)
        return;
    voverlap *o = ov(v);
    if (pairs_has1(o, f1, f2, exclusive) || pairs_has1(o, f2, f1, exclusive))
        return;
    vmap_set(v, &o->pairs, f1, f2, (void *)(uintptr_t)(exclusive ? 2 : 1));
    const gql_definition *frag1 = fragment_by_id(v, f1), *frag2 = fragment_by_id(v, f2);
    if (!frag1 || !frag2)
        return;
    ocfr *r1 = collect_fragment_fields(v, frag1);
    ocfr *r2 = collect_fragment_fields(v, frag2);
    enter_recursion(v);
    collect_conflicts_between(v, c, exclusive, r1, r2);
    for (uint32_t i = 0; i < r2->frag_count; i++)
        between_fragments(v, c, exclusive, f1, r2->frags[i]);
    for (uint32_t i = 0; i < r1->frag_count; i++)
        between_fragments(v, c, exclusive, r1->frags[i], f2);
    leave_recursion(v);
}

static void between_sub_selection_sets(vctx *v, oconflicts *c, bool exclusive, const gql_type *p1,
                                       const gql_selection_set *ss1, const gql_type *p2,
                                       const gql_selection_set *ss2)
{
    ocfr *r1 = collect_fields(v, p1, ss1);
    ocfr *r2 = collect_fields(v, p2, ss2);
    collect_conflicts_between(v, c, exclusive, r1, r2);
    for (uint32_t i = 0; i < r2->frag_count; i++)
        between_fields_and_fragment(v, c, exclusive, r1, r2->frags[i]);
    for (uint32_t i = 0; i < r1->frag_count; i++)
        between_fields_and_fragment(v, c, exclusive, r2, r1->frags[i]);
    for (uint32_t i = 0; i < r1->frag_count; i++)
        for (uint32_t j = 0; j < r2->frag_count; j++)
            between_fragments(v, c, exclusive, r1->frags[i], r2->frags[j]);
}

static void conflict_nodes(vctx *v, const gql_selection *node, const oconflicts *sub, bool first,
                           const gql_selection ***out, uint32_t *n)
{
    const gql_selection **nodes = gql_arena_alloc(&v->arena, MAX_CONFLICT_NODES * sizeof *nodes);
    uint32_t count = 0;
    nodes[count++] = node;
    for (uint32_t i = 0; i < sub->count; i++) {
        const oconflict *x = &sub->items[i];
        uint32_t len = first ? x->n1 : x->n2;
        uint32_t remaining = MAX_CONFLICT_NODES - count;   /* >= 1 here */
        uint32_t from = len > remaining ? len - remaining : 0;   /* slice(-remaining) */
        for (uint32_t k = from; k < len; k++)
            nodes[count++] = conflict_node(x, first, k);
        if (count == MAX_CONFLICT_NODES)
            break;
    }
    *out = nodes;
    *n = count;
}

static bool subfield_conflicts(vctx *v, oconflict *c, const oconflicts *sub, const char *name,
                               const gql_selection *n1, const gql_selection *n2)
{
    if (sub->count == 0)
        return false;
    gql_buf b;
    gql_buf_init(&b);
    for (uint32_t i = 0; i < sub->count; i++) {
        if (i > 0)
            gql_buf_puts(&b, " and ");
        gql_buf_printf(&b, "subfields \"%s\" conflict because %s", abbreviate(v, sub->items[i].name),
                       conflict_reason(v, &sub->items[i]));
        if (b.len > MAX_CONFLICT_DETAIL_LENGTH)
            break;
    }
    const char *msg = gql_arena_strndup(&v->arena, b.data, b.len);
    gql_buf_free(&b);
    memset(c, 0, sizeof *c);
    c->name = name;
    c->reason = abbreviate(v, msg);
    conflict_nodes(v, n1, sub, true, &c->f1, &c->n1);
    conflict_nodes(v, n2, sub, false, &c->f2, &c->n2);
    return true;
}

static bool same_name(const gql_name *a, const gql_name *b)
{
    return a->len == b->len && memcmp(a->value, b->value, a->len) == 0;
}

/* findConflict: true with *c filled when the two fields conflict. */
static bool find_conflict(vctx *v, oconflict *c, bool parent_exclusive, const char *name, ofield *a, ofield *b)
{
    const gql_type *p1 = a->parent_type, *p2 = b->parent_type;
    bool exclusive = parent_exclusive || (p1 != p2 && p1 && p2 && p1->kind == GQL_T_OBJECT &&
                                          p2->kind == GQL_T_OBJECT);
    spend(v, 2);   /* every attempted pair, even those skipped by exclusivity */
    const gql_type *t1 = a->def ? a->def->type : NULL, *t2 = b->def ? b->def->type : NULL;
    bool same_field = a->def == b->def;
    bool same_type = (!t1 && !t2) || (t1 && t2 && js_same_type(t1, t2, same_field));
    const gql_name *n1 = &a->node->name, *n2 = &b->node->name;
    if (a->simple_leaf && b->simple_leaf && same_type && same_name(n1, n2))
        return false;
    if (!exclusive) {
        if (!same_name(n1, n2)) {
            /* what graphql-js memoizes here costs nothing to recompute */
            simple_conflict(c, name, NULL, a->node, b->node);
            c->diff1 = n1;
            c->diff2 = n2;
            return true;
        }
        if (a->node->arg_count > 0 || b->node->arg_count > 0) {
            /* sameArguments spends budget: memoize per pair as graphql-js does */
            voverlap *o = ov(v);
            ofinfo *i1 = field_info(v, a), *i2 = field_info(v, b);
            const char *reason = vmap_get(&o->comparisons, VKEY(i1), VKEY(i2));
            if (!reason) {
                reason = same_arguments(v, a, b) ? NO_CONFLICT : "they have differing arguments";
                vmap_set(v, &o->comparisons, VKEY(i1), VKEY(i2), (void *)reason);
            }
            if (reason != NO_CONFLICT)
                return simple_conflict(c, name, reason, a->node, b->node);
        }
    }
    if (t1 && t2 && do_types_conflict(v, t1, t2, same_field)) {
        const char *reason = gql_arena_printf(&v->arena, "they return conflicting types \"%s\" and \"%s\"",
                                              v_type_str(v, t1), v_type_str(v, t2));
        return simple_conflict(c, name, reason, a->node, b->node);
    }
    const gql_selection_set *ss1 = a->node->selection_set, *ss2 = b->node->selection_set;
    if (!ss1 || !ss2)
        return false;
    enter_recursion(v);
    oconflicts sub = {0};
    between_sub_selection_sets(v, &sub, exclusive, field_info(v, a)->named_type, ss1, field_info(v, b)->named_type,
                               ss2);
    leave_recursion(v);
    return subfield_conflicts(v, c, &sub, name, a->node, b->node);
}

/* ---- the rule --------------------------------------------------------------- */

void r_overlapping_fields(vctx *v, const gql_selection_set *ss, gql_kind parent_kind)
{
    if (parent_kind == GQL_INLINE_FRAGMENT)
        return;
    if (ss->count <= 1 && (ss->count == 0 || ss->items[0].kind != GQL_INLINE_FRAGMENT))
        return;
    oconflicts c = {0};
    ocfr *r = collect_fields(v, gql_ti_parent_type(&v->ti), ss);
    collect_conflicts_within(v, &c, r);
    if (r->frag_count != 0 && (r->group_count != 0 || r->frag_count > 1)) {
        for (uint32_t i = 0; i < r->frag_count; i++) {
            between_fields_and_fragment(v, &c, false, r, r->frags[i]);
            for (uint32_t j = i + 1; j < r->frag_count; j++)
                between_fragments(v, &c, false, r->frags[i], r->frags[j]);
        }
    }
    for (uint32_t i = 0; i < c.count; i++) {
        const oconflict *x = &c.items[i];
        gql_error *e = v_errorf(v,
                                "Fields \"%s\" conflict because %s. Use different aliases on the fields to fetch both "
                                "if this was intentional.",
                                abbreviate(v, x->name), conflict_reason(v, x));
        for (uint32_t k = 0; k < x->n1; k++)
            v_loc(v, e, conflict_node(x, true, k)->loc);
        for (uint32_t k = 0; k < x->n2; k++)
            v_loc(v, e, conflict_node(x, false, k)->loc);
    }
}
