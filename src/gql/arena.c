/* arena.c: see arena.h. Blocks double in size up to 1 MiB. */
#include "arena.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct gql_arena_block {
    gql_arena_block *prev;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

static gql_arena_block *block_new(size_t size, gql_arena_block *prev) {
    gql_arena_block *b = malloc(sizeof *b + size);
    if (!b) {
        fputs("mesd: out of memory\n", stderr);
        abort();
    }
    b->prev = prev;
    b->size = size;
    b->used = 0;
    return b;
}

void gql_arena_init(gql_arena *a, size_t first_block) {
    a->head = NULL;
    a->block_size = first_block ? first_block : 4096;
    a->total = 0;
}

void gql_arena_free(gql_arena *a) {
    gql_arena_block *b = a->head;
    while (b) {
        gql_arena_block *p = b->prev;
        free(b);
        b = p;
    }
    a->head = NULL;
    a->total = 0;
}

void gql_arena_reset(gql_arena *a) {
    gql_arena_block *b = a->head;
    if (!b) return;
    while (b->prev) {
        gql_arena_block *p = b->prev;
        free(b);
        b = p;
    }
    /* keep the oldest block, which is the smallest */
    b->used = 0;
    a->head = b;
    a->total = 0;
}

void *gql_arena_alloc(gql_arena *a, size_t n) {
    n = (n + 7) & ~(size_t)7;
    gql_arena_block *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t sz = a->block_size;
        if (sz < n) sz = n;
        b = block_new(sz, a->head);
        a->head = b;
        if (a->block_size < (1u << 20)) a->block_size *= 2;
    }
    void *p = b->data + b->used;
    b->used += n;
    a->total += n;
    return p;
}

void *gql_arena_calloc(gql_arena *a, size_t n) {
    void *p = gql_arena_alloc(a, n);
    memset(p, 0, n);
    return p;
}

char *gql_arena_strndup(gql_arena *a, const char *s, size_t n) {
    char *p = gql_arena_alloc(a, n + 1);
    if (n) memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *gql_arena_strdup(gql_arena *a, const char *s) { return gql_arena_strndup(a, s, strlen(s)); }

char *gql_arena_printf(gql_arena *a, const char *fmt, ...) {
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    char *p = gql_arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

void *gql_arena_grow(gql_arena *a, void *old, size_t old_n, size_t new_n, size_t elem) {
    void *p = gql_arena_alloc(a, new_n * elem);
    if (old && old_n) memcpy(p, old, old_n * elem);
    return p;
}

void gql_ptrvec_push(gql_arena *a, gql_ptrvec *v, void *item) {
    if (v->count == v->cap) {
        uint32_t nc = v->cap ? v->cap * 2 : 8;
        v->items = gql_arena_grow(a, v->items, v->count, nc, sizeof(void *));
        v->cap = nc;
    }
    v->items[v->count++] = item;
}
