/*
 * value.h: runtime values: a JSON-shaped tree used for variables, default
 * values, coerced arguments, the --root of `mesd check` and JSON input in
 * general. Lives in an arena.
 *
 * Numbers: a JSON number without fraction or exponent that fits int64 is
 * GQL_V_INT, any other is GQL_V_FLOAT (a double, as JavaScript would hold it).
 * "Absent" (JavaScript's undefined) is a NULL pointer, distinct from GQL_V_NULL.
 */
#ifndef GQL_VALUE_H
#define GQL_VALUE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "arena.h"

typedef enum gql_vkind {
    GQL_V_NULL,
    GQL_V_BOOL,
    GQL_V_INT,
    GQL_V_FLOAT,
    GQL_V_STRING,
    GQL_V_LIST,
    GQL_V_OBJECT,
    GQL_V_ENUM   /* an enum value's name, produced by literal coercion of custom scalars; prints as a string */
} gql_vkind;

typedef struct gql_val gql_val;
typedef struct gql_member {
    const char *key;   /* NUL-terminated */
    uint32_t key_len;
    gql_val *value;
} gql_member;

struct gql_val {
    gql_vkind kind;
    union {
        bool b;
        int64_t i;
        double f;
        struct { const char *s; uint32_t len; } str;       /* STRING, ENUM; NUL-terminated */
        struct { gql_val **items; uint32_t count; } list;
        /* in JavaScript's property order (insertion order, except that array-index
         * keys such as "0" or "42" come first in ascending order); keys unique.
         * cap: room for members (0 for a hand-built object: gql_val_object_set
         * then copies the members before appending). */
        struct { gql_member *members; uint32_t count, cap; } obj;
    } u;
};

gql_val *gql_val_null(gql_arena *a);
gql_val *gql_val_bool(gql_arena *a, bool b);
gql_val *gql_val_int(gql_arena *a, int64_t i);
gql_val *gql_val_float(gql_arena *a, double f);
gql_val *gql_val_string(gql_arena *a, const char *s, size_t len);   /* copies */
gql_val *gql_val_list(gql_arena *a, uint32_t count);                /* items zeroed, fill them */
gql_val *gql_val_object(gql_arena *a, uint32_t cap);                /* empty, room for cap members */
/* Append (or replace, keeping its position) a member, in JavaScript's property
 * order; grows the member array in the arena when it is full. */
void gql_val_object_set(gql_arena *a, gql_val *obj, const char *key, size_t key_len, gql_val *v);
/* An object from members given in order, as JavaScript builds one: a repeated
 * key keeps its first position and its last value, array-index keys first.
 * The member array is copied into the arena; keys and values are not. */
gql_val *gql_val_object_from_members(gql_arena *a, const gql_member *members, uint32_t count);
/* Member lookup; NULL when absent (or obj is not an object). */
gql_val *gql_val_get(const gql_val *obj, const char *key, size_t key_len);
/* Deep equality as JavaScript values: INT and FLOAT compare as numbers, STRING
 * and ENUM as strings, objects regardless of member order. NULL (absent) equals
 * only NULL. */
bool gql_val_equal(const gql_val *a, const gql_val *b);
/* The value as a JavaScript number (INT converted to double); 0 for non-numbers. */
double gql_val_number(const gql_val *v);

/*
 * Strict JSON parser (RFC 8259): UTF-8 checked (invalid sequences and lone
 * surrogate escapes are errors), no trailing commas, no comments, duplicate keys:
 * the last wins (as JSON.parse), nesting depth limited to max_depth (0: 512).
 * Returns NULL on error with *err set to a message in the arena.
 */
gql_val *gql_json_parse(gql_arena *a, const char *src, size_t len, uint32_t max_depth, const char **err);

/* One UTF-8 sequence at s (len > 0): returns the bytes it takes and sets *cp to
 * the code point, or to -1 when they are ill-formed (surrogates, overlong forms
 * and values above U+10FFFF included); an ill-formed sequence takes its maximal
 * subpart, which a decoder replaces with one U+FFFD as WHATWG's (and node's) do. */
size_t gql_utf8_next(const char *s, size_t len, int32_t *cp);

/* ------------------------------------------------------------------------- */
/* Growable output buffer and JSON writer. Every append keeps data
 * NUL-terminated (gql_buf_truncate does not). */
typedef struct gql_buf {
    char *data;
    size_t len, cap;
} gql_buf;

void gql_buf_init(gql_buf *b);
void gql_buf_free(gql_buf *b);
void gql_buf_reserve(gql_buf *b, size_t extra);
/* memcpy for the short copies a response is made of (keys, names, ids): two
 * overlapping moves instead of a call. */
static inline void gql_copy(char *d, const char *s, size_t n) {
    if (n >= 8 && n <= 16) {
        uint64_t x, y;
        __builtin_memcpy(&x, s, 8);
        __builtin_memcpy(&y, s + n - 8, 8);
        __builtin_memcpy(d, &x, 8);
        __builtin_memcpy(d + n - 8, &y, 8);
    } else if (n >= 4 && n < 8) {
        uint32_t x, y;
        __builtin_memcpy(&x, s, 4);
        __builtin_memcpy(&y, s + n - 4, 4);
        __builtin_memcpy(d, &x, 4);
        __builtin_memcpy(d + n - 4, &y, 4);
    } else if (n < 4) {
        if (!n) return;
        d[0] = s[0];
        d[n >> 1] = s[n >> 1];
        d[n - 1] = s[n - 1];
    } else {
        __builtin_memcpy(d, s, n);
    }
}
/* memcmp(a, b, n) == 0 for the short strings keys are: overlapping words, no call. */
static inline bool gql_same_bytes(const char *a, const char *b, size_t n) {
    if (n > 16) return __builtin_memcmp(a, b, n) == 0;
    if (n >= 8) {
        uint64_t a0, a1, b0, b1;
        __builtin_memcpy(&a0, a, 8), __builtin_memcpy(&a1, a + n - 8, 8);
        __builtin_memcpy(&b0, b, 8), __builtin_memcpy(&b1, b + n - 8, 8);
        return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
    if (n >= 4) {
        uint32_t a0, a1, b0, b1;
        __builtin_memcpy(&a0, a, 4), __builtin_memcpy(&a1, a + n - 4, 4);
        __builtin_memcpy(&b0, b, 4), __builtin_memcpy(&b1, b + n - 4, 4);
        return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i]) return false;
    return true;
}
/* The two hot calls of every response are inline; growing is not. */
static inline void gql_buf_append(gql_buf *b, const void *p, size_t n) {
    if (!n) return;
    if (b->cap - b->len <= n) gql_buf_reserve(b, n);
    gql_copy(b->data + b->len, (const char *)p, n);
    b->len += n;
    b->data[b->len] = 0;
}
static inline void gql_buf_putc(gql_buf *b, char c) {
    if (b->cap - b->len <= 1) gql_buf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = 0;
}
void gql_buf_puts(gql_buf *b, const char *s);
void gql_buf_printf(gql_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Drop everything after len (used by null propagation to discard a partial object). */
static inline void gql_buf_truncate(gql_buf *b, size_t len) { if (len < b->len) b->len = len; }

/* JSON string with quotes. Escapes ", \, control characters (\n \r \t \b \f
 * and \u00XX), and replaces invalid UTF-8 and encoded surrogates with U+FFFD so
 * the output is always valid UTF-8 JSON. */
void gql_json_write_string(gql_buf *b, const char *s, size_t len);
void gql_json_write_int(gql_buf *b, int64_t i);
/* Shortest representation that round-trips (as JavaScript prints it:
 * 1, 1.5, 1e+21, 1e-7); non-finite values are written as null. */
void gql_json_write_double(gql_buf *b, double d);
/* JavaScript's Number.prototype.toString() of d into out (NUL-terminated):
 * "1", "0.1", "1.5e+300", "-1e-7", "NaN", "Infinity"; returns the length. */
#define GQL_JS_NUMBER_MAX 32
size_t gql_js_number_str(char out[GQL_JS_NUMBER_MAX], double d);
/* An INT as JavaScript would print the number JSON.parse gives for it: exact up
 * to 2^53, beyond that the nearest double printed as JavaScript prints it. */
size_t gql_js_int_str(char out[GQL_JS_NUMBER_MAX], int64_t i);
void gql_json_write_val(gql_buf *b, const gql_val *v);

/*
 * graphql-js's inspect() of a value, as used in its error messages:
 * strings JSON-quoted, objects `{ a: 1, b: "x" }`, arrays `[1, 2]`, nesting
 * beyond 2 levels as [Array] / [Object], more than 10 items as "... N more items".
 */
char *gql_inspect(gql_arena *a, const gql_val *v);
void gql_inspect_buf(gql_buf *b, const gql_val *v);   /* the same, appended to b */

#endif
