/*
 * arena.h: bump allocator for everything that lives as long as one parse,
 * one schema or one request. Free once, at the end; never free single objects.
 * Allocation failure aborts (out of memory is not a user error we can answer).
 */
#ifndef GQL_ARENA_H
#define GQL_ARENA_H
#include <stddef.h>
#include <stdint.h>

typedef struct gql_arena_block gql_arena_block;
typedef struct gql_arena {
    gql_arena_block *head;  /* current block */
    size_t block_size;      /* size of the next block to allocate */
    size_t total;           /* bytes handed out, for limits and metrics */
} gql_arena;

void gql_arena_init(gql_arena *a, size_t first_block);
void gql_arena_free(gql_arena *a);
/* Release everything but keep the first block for reuse. */
void gql_arena_reset(gql_arena *a);
void *gql_arena_alloc(gql_arena *a, size_t n);        /* 8-byte aligned, uninitialised */
void *gql_arena_calloc(gql_arena *a, size_t n);       /* zeroed */
char *gql_arena_strndup(gql_arena *a, const char *s, size_t n); /* NUL-terminated copy */
char *gql_arena_strdup(gql_arena *a, const char *s);
/* printf into the arena */
char *gql_arena_printf(gql_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Grow an array allocated in the arena (copies; the old block is not reused). */
void *gql_arena_grow(gql_arena *a, void *old, size_t old_n, size_t new_n, size_t elem);

/* A growable array of pointers backed by an arena. */
typedef struct gql_ptrvec {
    void **items;
    uint32_t count, cap;
} gql_ptrvec;
void gql_ptrvec_push(gql_arena *a, gql_ptrvec *v, void *item);

#endif
