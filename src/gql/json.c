/*
 * json.c: the JSON writer (strings escaped as JSON.stringify escapes them,
 * numbers printed as JavaScript prints them) and UTF-8 decoding.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "value.h"

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

void gql_json_write_string(gql_buf *b, const char *s, size_t len) {
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    gql_buf_reserve(b, len + 2);
    gql_buf_putc(b, '"');
    size_t run = 0;   /* start of the bytes not yet copied */
    size_t i = 0;
    while (i < len) {
        unsigned c = u[i];
        if (!json_special[c]) {
            i++;
            continue;
        }
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

/* ---- numbers ------------------------------------------------------------------ */

void gql_json_write_int(gql_buf *b, int64_t i) {
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%lld", (long long)i);
    gql_buf_append(b, tmp, (size_t)n);
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
