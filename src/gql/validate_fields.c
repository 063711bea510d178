/*
 * validate_fields.c: the rules about types and fields: KnownTypeNames,
 * ScalarLeafs, FieldsOnCorrectType (with graphql-js's ordering of suggested
 * types and fields) and MaxIntrospectionDepth.
 */
#include <string.h>
#include "validate_internal.h"

/* ---- KnownTypeNames ---------------------------------------------------------- */

static const char *const standard_type_names[] = {
    "String", "Int", "Float", "Boolean", "ID",
    "__Schema", "__Type", "__TypeKind", "__Field", "__InputValue", "__EnumValue", "__Directive",
    "__DirectiveLocation",
};
#define STANDARD_COUNT (sizeof standard_type_names / sizeof standard_type_names[0])

void r_known_type_names(vctx *v, const gql_type_node *named)
{
    const gql_name *name = &named->name;
    if (gql_ti_schema_type(v->schema, name->value, name->len) ||
        vmap_get(&v->defined_types, v_intern_name(v, name), 0))
        return;
    bool sdl = v->cur_def && gql_kind_is_type_system(v->cur_def->kind);
    if (sdl) {
        for (size_t i = 0; i < STANDARD_COUNT; i++)
            if (v_name_eq(name, standard_type_names[i]))
                return;
    }
    gql_ptrvec options = {0};
    if (sdl)
        for (size_t i = 0; i < STANDARD_COUNT; i++)
            gql_ptrvec_push(&v->arena, &options, (void *)standard_type_names[i]);
    for (uint32_t i = 0; i < v->schema->type_count; i++)
        gql_ptrvec_push(&v->arena, &options, (void *)v->schema->types[i]->name);
    for (uint32_t i = 0; i < v->doc->definition_count; i++) {
        const gql_definition *d = &v->doc->definitions[i];
        if (gql_kind_is_type_system(d->kind) && !gql_kind_is_type_extension(d->kind) &&
            d->kind != GQL_SCHEMA_DEFINITION && d->kind != GQL_DIRECTIVE_DEFINITION)
            gql_ptrvec_push(&v->arena, &options, (void *)d->name.value);
    }
    const char **sugg;
    uint32_t n = v_suggestion_list(v, name->value, name->len, (const char *const *)options.items,
                                   options.count, &sugg);
    v->buf.len = 0;
    gql_buf_printf(&v->buf, "Unknown type \"%s\".", name->value);
    v_did_you_mean(&v->buf, NULL, sugg, n);
    gql_error *e = v_error(v, gql_arena_strndup(&v->arena, v->buf.data, v->buf.len));
    v_loc(v, e, named->loc);
}

/* ---- ScalarLeafs ------------------------------------------------------------- */

void r_scalar_leafs(vctx *v, const gql_selection *field)
{
    gql_type *type = gql_ti_type(&v->ti);
    if (!type)
        return;
    const char *name = field->name.value;
    gql_error *e;
    if (gql_is_leaf_type(gql_named_type(type))) {
        if (!field->selection_set)
            return;
        e = v_errorf(v, "Field \"%s\" must not have a selection since type \"%s\" has no subfields.", name,
                     v_type_str(v, type));
        v_loc(v, e, field->selection_set->loc);
    } else if (!field->selection_set) {
        e = v_errorf(v, "Field \"%s\" of type \"%s\" must have a selection of subfields. Did you mean \"%s { ... }\"?",
                     name, v_type_str(v, type), name);
        v_loc(v, e, field->loc);
    } else if (field->selection_set->count == 0) {
        e = v_errorf(v, "Field \"%s\" of type \"%s\" must have at least one field selected.", name,
                     v_type_str(v, type));
        v_loc(v, e, field->loc);
    }
}

/* ---- FieldsOnCorrectType ----------------------------------------------------- */

typedef struct suggested {
    gql_type *type;
    uint32_t usage;
} suggested;

static int suggested_cmp(const suggested *a, const suggested *b)
{
    if (a->usage != b->usage)
        return a->usage > b->usage ? -1 : 1;
    /* super types first, then subtypes */
    if (a->type->kind == GQL_T_INTERFACE && gql_is_sub_type(a->type, b->type))
        return -1;
    if (b->type->kind == GQL_T_INTERFACE && gql_is_sub_type(b->type, a->type))
        return 1;
    return v_natural_compare(a->type->name, b->type->name);
}

static suggested *find_suggested(suggested *s, uint32_t n, const gql_type *t)
{
    for (uint32_t i = 0; i < n; i++)
        if (s[i].type == t)
            return &s[i];
    return NULL;
}

static uint32_t suggested_type_names(vctx *v, gql_type *type, const gql_name *field, const char ***out)
{
    if (!gql_is_abstract_type(type))
        return 0;
    uint32_t cap = 8, n = 0;
    suggested *s = gql_arena_alloc(&v->arena, cap * sizeof *s);
    for (uint32_t i = 0; i < type->possible_count; i++) {
        gql_type *pt = type->possible_types[i];
        if (!gql_type_field(pt, field->value, field->len))
            continue;
        for (uint32_t k = 0; k <= pt->interface_count; k++) {
            gql_type *t = k == 0 ? pt : pt->interfaces[k - 1];
            if (k > 0 && !gql_type_field(t, field->value, field->len))
                continue;
            suggested *found = find_suggested(s, n, t);
            if (found) {
                found->usage = k == 0 ? 1 : found->usage + 1;
                continue;
            }
            if (n == cap) {
                s = gql_arena_grow(&v->arena, s, cap, cap * 2, sizeof *s);
                cap *= 2;
            }
            s[n].type = t;
            s[n].usage = 1;
            n++;
        }
    }
    /* stable insertion sort, as Array.prototype.sort is stable */
    for (uint32_t i = 1; i < n; i++) {
        suggested x = s[i];
        uint32_t j = i;
        while (j > 0 && suggested_cmp(&x, &s[j - 1]) < 0) {
            s[j] = s[j - 1];
            j--;
        }
        s[j] = x;
    }
    const char **names = gql_arena_alloc(&v->arena, (n ? n : 1) * sizeof *names);
    for (uint32_t i = 0; i < n; i++)
        names[i] = s[i].type->name;
    *out = names;
    return n;
}

static uint32_t suggested_field_names(vctx *v, gql_type *type, const gql_name *field, const char ***out)
{
    if (type->kind != GQL_T_OBJECT && type->kind != GQL_T_INTERFACE)
        return 0;
    const char **names = gql_arena_alloc(&v->arena, (type->field_count ? type->field_count : 1) * sizeof *names);
    for (uint32_t i = 0; i < type->field_count; i++)
        names[i] = type->fields[i].name;
    return v_suggestion_list(v, field->value, field->len, names, type->field_count, out);
}

void r_fields_on_correct_type(vctx *v, const gql_selection *field)
{
    gql_type *type = gql_ti_parent_type(&v->ti);
    if (!type || gql_ti_field_def(&v->ti))
        return;
    const char **sugg = NULL;
    uint32_t n = suggested_type_names(v, type, &field->name, &sugg);
    v->buf.len = 0;
    gql_buf_printf(&v->buf, "Cannot query field \"%s\" on type \"%s\".", field->name.value, type->name);
    if (n > 0) {
        v_did_you_mean(&v->buf, "to use an inline fragment on", sugg, n);
    } else {
        n = suggested_field_names(v, type, &field->name, &sugg);
        v_did_you_mean(&v->buf, NULL, sugg, n);
    }
    gql_error *e = v_error(v, gql_arena_strndup(&v->arena, v->buf.data, v->buf.len));
    v_loc(v, e, field->loc);
}

/* ---- MaxIntrospectionDepth ------------------------------------------------- */

#define MAX_LISTS_DEPTH 3

static bool is_introspection_list(const gql_name *n)
{
    return v_name_eq(n, "fields") || v_name_eq(n, "interfaces") || v_name_eq(n, "possibleTypes") ||
           v_name_eq(n, "inputFields");
}

typedef struct dframe {
    const gql_selection_set *ss;
    uint32_t i;
    uint32_t depth;
    int64_t frag;    /* interned name of the fragment this frame explores, or -1 */
} dframe;

/* Depth-map values are stored as depth + 1 (0: undefined). */
static int64_t depth_get(const vmap *m, uint32_t id)
{
    return (int64_t)(uintptr_t)vmap_get(m, id, 0) - 1;
}

static void depth_set(vctx *v, vmap *m, uint32_t id, uint32_t depth)
{
    vmap_set(v, m, id, 0, (void *)(uintptr_t)(depth + 1));
}

static void push_dframe(vctx *v, gql_ptrvec *stack, const gql_selection_set *ss, uint32_t depth, int64_t frag)
{
    dframe *f = gql_arena_alloc(&v->arena, sizeof *f);
    f->ss = ss;
    f->i = 0;
    f->depth = depth;
    f->frag = frag;
    gql_ptrvec_push(&v->arena, stack, f);
}

/* checkDepth from the rule, depth first with an explicit stack; true when the
 * limit is reached (every fragment on the way is then marked exceeded). */
static bool check_depth(vctx *v, const gql_selection *root)
{
    vmap visited = {0};
    gql_ptrvec stack = {0};
    if (root->selection_set)
        push_dframe(v, &stack, root->selection_set, 0, -1);
    while (stack.count > 0) {
        dframe *f = stack.items[stack.count - 1];
        if (f->i >= f->ss->count) {
            if (f->frag >= 0)
                depth_set(v, &v->intro_checked, (uint32_t)f->frag, f->depth);
            stack.count--;
            continue;
        }
        const gql_selection *s = &f->ss->items[f->i++];
        uint32_t depth = f->depth;
        bool exceeded = false;
        if (s->kind == GQL_FRAGMENT_SPREAD) {
            uint32_t id = v_intern_name(v, &s->name);
            int64_t ex = depth_get(&v->intro_exceeded, id);
            if (ex >= 0 && ex <= depth) {
                exceeded = true;
            } else {
                int64_t vis = depth_get(&visited, id), chk = depth_get(&v->intro_checked, id);
                if ((vis >= 0 && vis >= depth) || (chk >= 0 && chk >= depth))
                    continue;
                const gql_definition *frag = v_fragment(v, &s->name);
                if (!frag)
                    continue;
                depth_set(v, &visited, id, depth);
                push_dframe(v, &stack, frag->selection_set, depth, id);
                continue;
            }
        } else {
            if (s->kind == GQL_FIELD && is_introspection_list(&s->name) && ++depth >= MAX_LISTS_DEPTH)
                exceeded = true;
            else if (s->selection_set)
                push_dframe(v, &stack, s->selection_set, depth, -1);
        }
        if (exceeded) {
            for (uint32_t k = stack.count; k-- > 0;) {
                const dframe *g = stack.items[k];
                if (g->frag >= 0)
                    depth_set(v, &v->intro_exceeded, (uint32_t)g->frag, g->depth);
            }
            return true;
        }
    }
    return false;
}

bool r_max_introspection_depth(vctx *v, const gql_selection *field)
{
    if (!v_name_eq(&field->name, "__schema") && !v_name_eq(&field->name, "__type"))
        return false;
    if (!check_depth(v, field))
        return false;
    gql_error *e = v_error(v, "Maximum introspection depth exceeded");
    v_loc(v, e, field->loc);
    return true;
}
