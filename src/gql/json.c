/*
 * json.c: the JSON writer (strings escaped as JSON.stringify escapes them,
 * numbers printed as JavaScript prints them) and UTF-8 decoding.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "value.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* ---- UTF-8 ------------------------------------------------------------------- */

size_t gql_utf8_next(const char *str, size_t len, int32_t *cp) {
    const unsigned char *s = (const unsigned char *)str;
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = (int32_t)c;
        return 1;
    }
    /* WHATWG's decoder: the lead byte fixes the sequence length and the range of
     * the second byte (which excludes overlong forms, surrogates and values above
     * U+10FFFF); every other byte is 80..BF. */
    size_t need;
    unsigned lo = 0x80, hi = 0xBF;
    int32_t v;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = (int32_t)(c & 0x1F);
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = (int32_t)(c & 0x0F);
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = (int32_t)(c & 0x07);
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        *cp = -1;
        return 1;
    }
    size_t i = 1;
    for (; i <= need; i++) {
        if (i >= len || s[i] < lo || s[i] > hi) {
            *cp = -1;
            return i;
        }
        lo = 0x80, hi = 0xBF;
        v = (v << 6) | (int32_t)(s[i] & 0x3F);
    }
    *cp = v;
    return i;
}

/* ---- strings ---------------------------------------------------------------- */

/* Bytes that need more than a copy: control characters, '"', '\\' and every
 * non-ASCII byte (checked as UTF-8). */
static const unsigned char json_special[256] = {
    [0x00 ... 0x1F] = 1, ['"'] = 1, ['\\'] = 1, [0x80 ... 0xFF] = 1,
};

/* The index of the first special byte at or after i, or len: 16 bytes at a
 * time (or 8, or 4 for a short string); a short rest is one more load that
 * overlaps bytes already seen. With SSE2 a signed compare below 0x20 also
 * catches the bytes >= 0x80; else the test is done in a word. */
#if defined(__SSE2__) && defined(__x86_64__)
/* Bit k set when byte skip+k of the width bytes at p is special. */
static inline unsigned special_mask(const unsigned char *p, size_t width, size_t skip) {
    __m128i v;
    if (width == 16) {
        v = _mm_loadu_si128((const __m128i *)(const void *)p);
    } else if (width == 8) {
        long long x;
        memcpy(&x, p, 8);
        v = _mm_cvtsi64_si128(x);
    } else {
        int x;
        memcpy(&x, p, 4);
        v = _mm_cvtsi32_si128(x);
    }
    __m128i m = _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
                             _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
    return ((unsigned)_mm_movemask_epi8(m) & ((1u << width) - 1)) >> skip;   /* the zeros past width are not bytes */
}
#else
#define BYTES_ONES 0x0101010101010101ull
#define BYTES_HIGHS 0x8080808080808080ull

/* The same test on 8 bytes at once (most strings have no special byte at all):
 * the high bit of each byte that is >= 0x80, < 0x20, '"' or '\\'. A borrow can
 * also flag a byte after a special one, so only the lowest flag is exact. */
static inline uint64_t special_bytes(uint64_t w) {
    uint64_t q = w ^ (BYTES_ONES * '"'), bs = w ^ (BYTES_ONES * '\\');
    return (w | ((w - BYTES_ONES * 0x20) & ~w) | ((q - BYTES_ONES) & ~q) | ((bs - BYTES_ONES) & ~bs)) & BYTES_HIGHS;
}

/* Only the lowest special byte at or after skip is flagged (enough for the caller). */
static inline unsigned special_mask(const unsigned char *p, size_t width, size_t skip) {
    if (width == 16) {
        if (skip >= 8) return special_mask(p + 8, 8, skip - 8);
        unsigned lo = special_mask(p, 8, skip);
        return lo ? lo : special_mask(p + 8, 8, 0) << (8 - skip);
    }
    uint64_t w = BYTES_ONES * 'a';   /* bytes past width: plain */
    memcpy(&w, p, width);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);   /* the first byte in memory as the lowest */
#endif
    if (skip) {   /* bytes seen before may be special: make them plain so they flag (and borrow) nothing */
        uint64_t seen = ((uint64_t)1 << (8 * skip)) - 1;
        w = (w & ~seen) | (BYTES_ONES * 'a' & seen);
    }
    uint64_t m = special_bytes(w);   /* its lowest flag is exact */
    return m ? 1u << ((__builtin_ctzll(m) >> 3) - skip) : 0;
}
#endif

static inline size_t next_special(const unsigned char *u, size_t i, size_t len) {
    if (i >= len) return len;
    size_t width = len >= 16 ? 16 : len >= 8 ? 8 : len >= 4 ? 4 : 0;
    if (width) {
        for (;;) {
            size_t at = i + width <= len ? i : len - width;
            unsigned bits = special_mask(u + at, width, i - at);
            if (bits) return i + (size_t)__builtin_ctz(bits);
            if (at + width == len) return len;
            i += width;
        }
    }
    while (i < len && !json_special[u[i]]) i++;
    return i;
}

/* The string from its first special byte at i on (nothing of it written yet). */
static __attribute__((noinline)) void write_string_escaped(gql_buf *b, const char *s, size_t len, size_t i) {
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    if (b->cap - b->len <= len + 2) gql_buf_reserve(b, len + 2);
    b->data[b->len++] = '"';
    size_t run = 0;   /* start of the bytes not yet copied */
    for (; i < len; i = next_special(u, i, len)) {
        unsigned c = u[i];
        if (c >= 0x80) {
            int32_t cp;
            size_t n = gql_utf8_next(s + i, len - i, &cp);
            if (cp >= 0) {
                i += n;
                continue;
            }
            gql_buf_append(b, s + run, i - run);
            gql_buf_append(b, "\xEF\xBF\xBD", 3);   /* U+FFFD */
            i += n;
            run = i;
            continue;
        }
        gql_buf_append(b, s + run, i - run);
        char esc[7] = {'\\', 0};
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 0xF];
        }
        gql_buf_append(b, esc, esc[2] ? 6 : 2);
        i++;
        run = i;
    }
    gql_buf_append(b, s + run, len - run);
    gql_buf_putc(b, '"');
}

/* Whether any of the len bytes at u is special: for a short string (most are)
 * one test of its first and last 8 (or 4) bytes, overlapping. */
static inline bool has_special(const unsigned char *u, size_t len) {
    if (len >= 16) return next_special(u, 0, len) < len;
    if (len < 4) {
        if (!len) return false;
        return json_special[u[0]] | json_special[u[len >> 1]] | json_special[u[len - 1]];
    }
    uint64_t lo, hi;
    if (len >= 8) {
        memcpy(&lo, u, 8);
        memcpy(&hi, u + len - 8, 8);
    } else {
        uint32_t a, b;
        memcpy(&a, u, 4);
        memcpy(&b, u + len - 4, 4);
        lo = hi = a | (uint64_t)b << 32;   /* in memory order on either end */
    }
#if defined(__SSE2__) && defined(__x86_64__)
    __m128i v = _mm_set_epi64x((long long)hi, (long long)lo);
    __m128i m = _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
                             _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
    return _mm_movemask_epi8(m) != 0;
#else
    return (special_bytes(lo) | special_bytes(hi)) != 0;   /* byte order does not matter for "any" */
#endif
}

void gql_json_write_string(gql_buf *b, const char *s, size_t len) {
    if (has_special((const unsigned char *)s, len)) {
        write_string_escaped(b, s, len, next_special((const unsigned char *)s, 0, len));
        return;
    }
    /* nothing to escape: the bytes between quotes */
    if (b->cap - b->len <= len + 2) gql_buf_reserve(b, len + 2);
    char *d = b->data + b->len;
    d[0] = '"';
    gql_copy(d + 1, s, len);
    d[len + 1] = '"';
    d[len + 2] = 0;
    b->len += len + 2;
}

/* ---- numbers ------------------------------------------------------------------ */

void gql_json_write_int(gql_buf *b, int64_t i) {
    char tmp[24], *end = tmp + sizeof tmp, *p = end;
    uint64_t u = i < 0 ? 0 - (uint64_t)i : (uint64_t)i;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (i < 0) *--p = '-';
    gql_buf_append(b, p, (size_t)(end - p));
}

/*
 * The shortest decimal digits that read back as d (d > 0, finite), and the
 * decimal exponent n such that d = 0.DIGITS × 10^n: ECMAScript's
 * Number::toString's k digits and n. For a normal double, if any string of 15
 * digits or fewer reads back, the 15-digit correctly rounded one does, padded
 * with zeros (15 decimal digits are finer than 53 bits can tell apart), so 15,
 * then 16, then 17 digits are tried. A subnormal has fewer bits: all lengths are tried.
 */
static int shortest_digits(double d, char digits[18], int *n) {
    char tmp[40];
    int p = d < 2.2250738585072014e-308 ? 1 : 15;
    for (;; p++) {
        snprintf(tmp, sizeof tmp, "%.*e", p - 1, d);
        if (p >= 17 || strtod(tmp, NULL) == d) break;
    }
    /* tmp is "D.DDDDe[+-]XX" (or "De[+-]XX" when p is 1) */
    int k = 0;
    const char *c = tmp;
    for (; *c != 'e'; c++)
        if (*c != '.') digits[k++] = *c;
    int e10 = atoi(c + 1);
    while (k > 1 && digits[k - 1] == '0') k--;
    digits[k] = 0;
    *n = e10 + 1;
    return k;
}

size_t gql_js_number_str(char out[GQL_JS_NUMBER_MAX], double d) {
    if (isnan(d)) return (size_t)snprintf(out, GQL_JS_NUMBER_MAX, "NaN");
    if (isinf(d)) return (size_t)snprintf(out, GQL_JS_NUMBER_MAX, d < 0 ? "-Infinity" : "Infinity");
    if (d == 0) return (size_t)snprintf(out, GQL_JS_NUMBER_MAX, "0");   /* -0 prints as 0 */
    /* an integer below 2^53 is its own shortest form (doubles there are at most 1 apart) */
    if (fabs(d) < 9007199254740992.0 && d == trunc(d))
        return (size_t)snprintf(out, GQL_JS_NUMBER_MAX, "%lld", (long long)d);
    char *o = out;
    if (d < 0) {
        *o++ = '-';
        d = -d;
    }
    char digits[18];
    int n;
    int k = shortest_digits(d, digits, &n);
    if (k <= n && n <= 21) {   /* integer: digits then n-k zeros */
        memcpy(o, digits, (size_t)k);
        o += k;
        for (int i = k; i < n; i++) *o++ = '0';
    } else if (0 < n && n <= 21) {   /* point inside the digits */
        memcpy(o, digits, (size_t)n);
        o += n;
        *o++ = '.';
        memcpy(o, digits + n, (size_t)(k - n));
        o += k - n;
    } else if (-6 < n && n <= 0) {   /* 0.000ddd */
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -n; i++) *o++ = '0';
        memcpy(o, digits, (size_t)k);
        o += k;
    } else {   /* exponent form: d[.ddd]e±x */
        *o++ = digits[0];
        if (k > 1) {
            *o++ = '.';
            memcpy(o, digits + 1, (size_t)(k - 1));
            o += k - 1;
        }
        o += snprintf(o, 8, "e%c%d", n - 1 < 0 ? '-' : '+', abs(n - 1));
    }
    *o = 0;
    return (size_t)(o - out);
}

size_t gql_js_int_str(char out[GQL_JS_NUMBER_MAX], int64_t i) {
    const int64_t max_safe = (int64_t)1 << 53;
    if (i >= -max_safe && i <= max_safe) return (size_t)snprintf(out, GQL_JS_NUMBER_MAX, "%lld", (long long)i);
    return gql_js_number_str(out, (double)i);
}

void gql_json_write_double(gql_buf *b, double d) {
    if (!isfinite(d)) {   /* JSON.stringify(NaN) and (Infinity) are null */
        gql_buf_append(b, "null", 4);
        return;
    }
    char tmp[GQL_JS_NUMBER_MAX];
    size_t n = gql_js_number_str(tmp, d);
    gql_buf_append(b, tmp, n);
}

/* ---- values ----------------------------------------------------------------- */

void gql_json_write_val(gql_buf *b, const gql_val *v) {
    if (!v) {   /* absent: JSON.stringify writes null for undefined in arrays */
        gql_buf_append(b, "null", 4);
        return;
    }
    switch (v->kind) {
    case GQL_V_NULL: gql_buf_append(b, "null", 4); break;
    case GQL_V_BOOL:
        if (v->u.b) gql_buf_append(b, "true", 4);
        else gql_buf_append(b, "false", 5);
        break;
    case GQL_V_INT: gql_json_write_int(b, v->u.i); break;
    case GQL_V_FLOAT: gql_json_write_double(b, v->u.f); break;
    case GQL_V_STRING:
    case GQL_V_ENUM: gql_json_write_string(b, v->u.str.s, v->u.str.len); break;
    case GQL_V_LIST:
        gql_buf_putc(b, '[');
        for (uint32_t i = 0; i < v->u.list.count; i++) {
            if (i) gql_buf_putc(b, ',');
            gql_json_write_val(b, v->u.list.items[i]);
        }
        gql_buf_putc(b, ']');
        break;
    case GQL_V_OBJECT: {
        gql_buf_putc(b, '{');
        bool first = true;
        for (uint32_t i = 0; i < v->u.obj.count; i++) {
            const gql_member *m = &v->u.obj.members[i];
            if (!m->value) continue;   /* undefined members are left out, as JSON.stringify does */
            if (!first) gql_buf_putc(b, ',');
            first = false;
            gql_json_write_string(b, m->key, m->key_len);
            gql_buf_putc(b, ':');
            gql_json_write_val(b, m->value);
        }
        gql_buf_putc(b, '}');
        break;
    }
    }
}
