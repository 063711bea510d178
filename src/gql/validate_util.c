/*
 * validate_util.c: the validation rules' plumbing: hash maps keyed by pairs of
 * words, name interning and printing for messages. ("Did you mean" lives in
 * suggest.c, shared with the SDL rules and enum coercion.)
 */
#include <stdlib.h>
#include <string.h>
#include "print.h"
#include "validate_internal.h"

/* ---- vmap ------------------------------------------------------------------ */

static uint64_t mix(uint64_t a, uint64_t b)
{
    uint64_t h = a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull + (a << 6) + (a >> 2));
    h ^= h >> 31;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 29;
    return h;
}

void *vmap_get(const vmap *m, uint64_t a, uint64_t b)
{
    if (m->cap == 0)
        return NULL;
    uint32_t mask = m->cap - 1;
    for (uint32_t i = (uint32_t)mix(a, b) & mask;; i = (i + 1) & mask) {
        const vmap_ent *e = &m->ents[i];
        if (!e->used)
            return NULL;
        if (e->a == a && e->b == b)
            return e->val;
    }
}

static void vmap_grow(vctx *v, vmap *m)
{
    uint32_t ncap = m->cap ? m->cap * 2 : 16;
    vmap_ent *old = m->ents;
    uint32_t ocap = m->cap;
    m->ents = gql_arena_calloc(&v->arena, (size_t)ncap * sizeof *m->ents);
    m->cap = ncap;
    uint32_t mask = ncap - 1;
    for (uint32_t j = 0; j < ocap; j++) {
        if (!old[j].used)
            continue;
        uint32_t i = (uint32_t)mix(old[j].a, old[j].b) & mask;
        while (m->ents[i].used)
            i = (i + 1) & mask;
        m->ents[i] = old[j];
    }
}

void **vmap_slot(vctx *v, vmap *m, uint64_t a, uint64_t b, bool *existed)
{
    if ((m->count + 1) * 2 > m->cap)
        vmap_grow(v, m);
    uint32_t mask = m->cap - 1;
    for (uint32_t i = (uint32_t)mix(a, b) & mask;; i = (i + 1) & mask) {
        vmap_ent *e = &m->ents[i];
        if (!e->used) {
            e->used = true;
            e->a = a;
            e->b = b;
            e->val = NULL;
            m->count++;
            if (existed)
                *existed = false;
            return &e->val;
        }
        if (e->a == a && e->b == b) {
            if (existed)
                *existed = true;
            return &e->val;
        }
    }
}

/* ---- names ----------------------------------------------------------------- */

static uint32_t str_hash(const char *s, uint32_t len)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

uint32_t v_intern(vctx *v, const char *s, uint32_t len)
{
    vstrtab *t = &v->names;
    if ((t->count + 1) * 2 > t->cap) {
        uint32_t ncap = t->cap ? t->cap * 2 : 64;
        uint32_t *slots = gql_arena_calloc(&v->arena, (size_t)ncap * sizeof *slots);
        for (uint32_t j = 0; j < t->cap; j++) {
            if (!t->slots[j])
                continue;
            uint32_t id = t->slots[j] - 1;
            uint32_t i = str_hash(t->strs[id], t->lens[id]) & (ncap - 1);
            while (slots[i])
                i = (i + 1) & (ncap - 1);
            slots[i] = id + 1;
        }
        t->slots = slots;
        t->cap = ncap;
    }
    uint32_t mask = t->cap - 1;
    uint32_t i = str_hash(s, len) & mask;
    for (; t->slots[i]; i = (i + 1) & mask) {
        uint32_t id = t->slots[i] - 1;
        if (t->lens[id] == len && memcmp(t->strs[id], s, len) == 0)
            return id;
    }
    if (t->count == t->strs_cap) {
        uint32_t ncap = t->strs_cap ? t->strs_cap * 2 : 64;
        t->strs = gql_arena_grow(&v->arena, t->strs, t->strs_cap, ncap, sizeof *t->strs);
        t->lens = gql_arena_grow(&v->arena, t->lens, t->strs_cap, ncap, sizeof *t->lens);
        t->strs_cap = ncap;
    }
    uint32_t id = t->count++;
    t->strs[id] = s;
    t->lens[id] = len;
    t->slots[i] = id + 1;
    return id;
}

/* ---- strings --------------------------------------------------------------- */

const char *v_type_str(vctx *v, const gql_type *t)
{
    return gql_type_str(&v->arena, t);
}

const char *v_value_str(vctx *v, const gql_value_node *n)
{
    return gql_print_value_node_str(&v->arena, n);
}

const char *v_type_node_str(vctx *v, const gql_type_node *t)
{
    gql_buf b;
    gql_buf_init(&b);
    gql_print_type_node(&b, t);
    const char *s = gql_arena_strndup(&v->arena, b.data ? b.data : "", b.len);
    gql_buf_free(&b);
    return s;
}

bool v_name_eq(const gql_name *n, const char *s)
{
    size_t len = strlen(s);
    return n->len == len && memcmp(n->value, s, len) == 0;
}

