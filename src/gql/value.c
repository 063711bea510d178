/*
 * value.c: gql_val constructors, object members in JavaScript's property order,
 * deep equality, and the growable output buffer gql_buf.
 */
#include "value.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static gql_val *val_new(gql_arena *a, gql_vkind kind) {
    gql_val *v = gql_arena_calloc(a, sizeof *v);
    v->kind = kind;
    return v;
}

gql_val *gql_val_null(gql_arena *a) { return val_new(a, GQL_V_NULL); }

gql_val *gql_val_bool(gql_arena *a, bool b) {
    gql_val *v = val_new(a, GQL_V_BOOL);
    v->u.b = b;
    return v;
}

gql_val *gql_val_int(gql_arena *a, int64_t i) {
    gql_val *v = val_new(a, GQL_V_INT);
    v->u.i = i;
    return v;
}

gql_val *gql_val_float(gql_arena *a, double f) {
    gql_val *v = val_new(a, GQL_V_FLOAT);
    v->u.f = f;
    return v;
}

gql_val *gql_val_string(gql_arena *a, const char *s, size_t len) {
    gql_val *v = val_new(a, GQL_V_STRING);
    v->u.str.s = gql_arena_strndup(a, s ? s : "", s ? len : 0);
    v->u.str.len = s ? (uint32_t)len : 0;
    return v;
}

gql_val *gql_val_list(gql_arena *a, uint32_t count) {
    gql_val *v = val_new(a, GQL_V_LIST);
    v->u.list.items = gql_arena_calloc(a, (count ? count : 1) * sizeof(gql_val *));
    v->u.list.count = count;
    return v;
}

gql_val *gql_val_object(gql_arena *a, uint32_t cap) {
    gql_val *v = val_new(a, GQL_V_OBJECT);
    v->u.obj.members = cap ? gql_arena_alloc(a, cap * sizeof(gql_member)) : NULL;
    v->u.obj.cap = cap;
    return v;
}

/* An array index in JavaScript's sense ("0", "17"; not "01", "-1" or 2^32-1 and
 * above): such keys come first in a JavaScript object, in ascending order. */
static bool array_index_key(const char *k, size_t len, uint32_t *out) {
    if (len == 0 || len > 10 || (len > 1 && k[0] == '0')) return false;
    uint64_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (k[i] < '0' || k[i] > '9') return false;
        n = n * 10 + (uint64_t)(k[i] - '0');
    }
    if (n >= 0xFFFFFFFFull) return false;
    *out = (uint32_t)n;
    return true;
}

static gql_member *find_member(const gql_val *obj, const char *key, size_t key_len) {
    for (uint32_t i = 0; i < obj->u.obj.count; i++) {
        gql_member *m = &obj->u.obj.members[i];
        if (m->key_len == key_len && gql_same_bytes(m->key, key, key_len)) return m;
    }
    return NULL;
}

void gql_val_object_set(gql_arena *a, gql_val *obj, const char *key, size_t key_len, gql_val *v) {
    if (!obj || obj->kind != GQL_V_OBJECT) return;
    gql_member *m = find_member(obj, key, key_len);
    if (m) {
        m->value = v;
        return;
    }
    uint32_t n = obj->u.obj.count;
    if (n == obj->u.obj.cap) {
        uint32_t cap = n < 4 ? 4 : n * 2;
        gql_member *mem = gql_arena_alloc(a, cap * sizeof *mem);
        if (n) memcpy(mem, obj->u.obj.members, n * sizeof *mem);
        obj->u.obj.members = mem;
        obj->u.obj.cap = cap;
    }
    /* Where it goes: at the end, unless it is an array index, which goes after
     * the smaller indices at the front. */
    uint32_t pos = n, idx, other;
    if (array_index_key(key, key_len, &idx)) {
        pos = 0;
        while (pos < n && array_index_key(obj->u.obj.members[pos].key, obj->u.obj.members[pos].key_len, &other) &&
               other < idx)
            pos++;
    }
    gql_member *mem = obj->u.obj.members;
    memmove(mem + pos + 1, mem + pos, (n - pos) * sizeof *mem);
    mem[pos].key = gql_arena_strndup(a, key, key_len);
    mem[pos].key_len = (uint32_t)key_len;
    mem[pos].value = v;
    obj->u.obj.count = n + 1;
}

static int index_cmp(const void *x, const void *y) {
    const gql_member *a = x, *b = y;
    uint32_t ia = 0, ib = 0;
    array_index_key(a->key, a->key_len, &ia);
    array_index_key(b->key, b->key_len, &ib);
    return ia < ib ? -1 : ia > ib;
}

static uint32_t key_hash(const char *k, uint32_t len) {
    uint32_t h = 2166136261u;   /* FNV-1a */
    for (uint32_t i = 0; i < len; i++) h = (h ^ (unsigned char)k[i]) * 16777619u;
    return h;
}

gql_val *gql_val_object_from_members(gql_arena *a, const gql_member *members, uint32_t count) {
    gql_val *obj = gql_val_object(a, count);
    gql_member *out = obj->u.obj.members;
    uint32_t n = 0, n_index = 0, idx;
    /* duplicates: a hash of the keys seen, when there are enough to need one */
    uint32_t table_size = 0, *table = NULL;
    if (count > 16) {
        table_size = 32;
        while (table_size < count * 2) table_size *= 2;
        table = gql_arena_alloc(a, table_size * sizeof *table);
        memset(table, 0xFF, table_size * sizeof *table);
    }
    for (uint32_t i = 0; i < count; i++) {
        const gql_member *m = &members[i];
        gql_member *dup = NULL;
        uint32_t slot = 0;
        if (table) {
            slot = key_hash(m->key, m->key_len) & (table_size - 1);
            for (; table[slot] != UINT32_MAX; slot = (slot + 1) & (table_size - 1)) {
                gql_member *o = &out[table[slot]];
                if (o->key_len == m->key_len && memcmp(o->key, m->key, m->key_len) == 0) {
                    dup = o;
                    break;
                }
            }
        } else {
            dup = n ? find_member(obj, m->key, m->key_len) : NULL;
        }
        if (dup) {
            dup->value = m->value;
            continue;
        }
        if (table) table[slot] = n;
        out[n++] = *m;
        obj->u.obj.count = n;
        if (array_index_key(m->key, m->key_len, &idx)) n_index++;
    }
    if (n_index) {   /* array indices first, ascending; the other keys keep their order */
        gql_member *sorted = gql_arena_alloc(a, (n ? n : 1) * sizeof *sorted);
        uint32_t fi = 0, oi = n_index;
        for (uint32_t i = 0; i < n; i++)
            sorted[array_index_key(out[i].key, out[i].key_len, &idx) ? fi++ : oi++] = out[i];
        qsort(sorted, n_index, sizeof *sorted, index_cmp);
        obj->u.obj.members = sorted;
        obj->u.obj.cap = n;
    }
    return obj;
}

gql_val *gql_val_get(const gql_val *obj, const char *key, size_t key_len) {
    if (!obj || obj->kind != GQL_V_OBJECT) return NULL;
    gql_member *m = find_member(obj, key, key_len);
    return m ? m->value : NULL;
}

double gql_val_number(const gql_val *v) {
    if (!v) return 0;
    if (v->kind == GQL_V_INT) return (double)v->u.i;
    if (v->kind == GQL_V_FLOAT) return v->u.f;
    return 0;
}

static bool is_number(const gql_val *v) { return v->kind == GQL_V_INT || v->kind == GQL_V_FLOAT; }
static bool is_string(const gql_val *v) { return v->kind == GQL_V_STRING || v->kind == GQL_V_ENUM; }

bool gql_val_equal(const gql_val *a, const gql_val *b) {
    if (!a || !b) return a == b;
    if (is_number(a) && is_number(b)) {
        if (a->kind == GQL_V_INT && b->kind == GQL_V_INT) return a->u.i == b->u.i;
        return gql_val_number(a) == gql_val_number(b);
    }
    if (is_string(a) && is_string(b))
        return a->u.str.len == b->u.str.len && memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0;
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case GQL_V_NULL: return true;
    case GQL_V_BOOL: return a->u.b == b->u.b;
    case GQL_V_LIST:
        if (a->u.list.count != b->u.list.count) return false;
        for (uint32_t i = 0; i < a->u.list.count; i++)
            if (!gql_val_equal(a->u.list.items[i], b->u.list.items[i])) return false;
        return true;
    case GQL_V_OBJECT:
        if (a->u.obj.count != b->u.obj.count) return false;
        for (uint32_t i = 0; i < a->u.obj.count; i++) {
            const gql_member *m = &a->u.obj.members[i], *o = &b->u.obj.members[i];
            /* same position first: the common case costs no lookup */
            const gql_val *bv = (o->key_len == m->key_len && memcmp(o->key, m->key, m->key_len) == 0)
                                    ? o->value
                                    : gql_val_get(b, m->key, m->key_len);
            if (!bv || !gql_val_equal(m->value, bv)) return false;
        }
        return true;
    default: return false;
    }
}

/* ---- gql_buf ---------------------------------------------------------------- */

void gql_buf_init(gql_buf *b) {
    b->data = NULL;
    b->len = b->cap = 0;
}

void gql_buf_free(gql_buf *b) {
    free(b->data);
    gql_buf_init(b);
}

void gql_buf_reserve(gql_buf *b, size_t extra) {
    if (b->cap - b->len > extra) return;   /* keep one byte for a terminating NUL */
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len <= extra) cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        fputs("mesd: out of memory\n", stderr);
        abort();
    }
    b->data = p;
    b->cap = cap;
}

void gql_buf_puts(gql_buf *b, const char *s) { gql_buf_append(b, s, strlen(s)); }

void gql_buf_printf(gql_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof small) {
        gql_buf_append(b, small, (size_t)n);
        return;
    }
    gql_buf_reserve(b, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}
