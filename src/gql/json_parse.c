/*
 * json_parse.c: a strict RFC 8259 JSON parser into gql_val trees. It accepts
 * exactly what JSON.parse accepts, except lone surrogate escapes (not UTF-8)
 * and invalid UTF-8 (JSON.parse never sees bytes), and builds the values
 * JSON.parse would: duplicate keys keep the last value, array-index keys come
 * first. Numbers differ only in representation (see value.h): an integer that
 * fits int64 stays exact.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "value.h"

/* Recursion is bounded by max_depth; this caps what a caller may ask for so the
 * C stack is never at risk. */
#define MAX_DEPTH_CAP 1000   /* sanitizer builds use several times the stack per level */

typedef struct parser {
    gql_arena *a;
    const char *s;
    size_t len, pos;
    uint32_t max_depth, depth;
    const char *err;
    /* scratch stacks for the items and members of the open lists and objects */
    gql_val **items;
    size_t n_items, cap_items;
    gql_member *members;
    size_t n_members, cap_members;
    gql_buf str;   /* decoded string with escapes */
} parser;

/* Error message with the line and column (in characters) where it happened. */
static void fail(parser *p, size_t at, const char *fmt, const char *detail) {
    if (p->err) return;
    uint32_t line = 1, col = 1;
    for (size_t i = 0; i < at && i < p->len;) {
        if (p->s[i] == '\n') {
            line++, col = 1, i++;
            continue;
        }
        int32_t cp;
        i += gql_utf8_next(p->s + i, p->len - i, &cp);
        col++;
    }
    char what[64];
    snprintf(what, sizeof what, fmt, detail);
    p->err = gql_arena_printf(p->a, "Invalid JSON at line %u, column %u: %s.", line, col, what);
}

/* What is at pos, for messages: a quoted character or "end of input". */
static const char *found(parser *p, size_t at, char tmp[16]) {
    if (at >= p->len) return "end of input";
    int32_t cp;
    size_t n = gql_utf8_next(p->s + at, p->len - at, &cp);
    unsigned char c = (unsigned char)p->s[at];
    if (cp < 0) snprintf(tmp, 16, "byte 0x%02X", c);
    else if (cp < 0x20 || cp == 0x7F) snprintf(tmp, 16, "U+%04X", (unsigned)cp);
    else snprintf(tmp, 16, "\"%.*s\"", (int)n, p->s + at);
    return tmp;
}

static void unexpected(parser *p, size_t at, const char *expected) {
    char tmp[16], what[64];
    snprintf(what, sizeof what, "expected %s, found %s", expected, found(p, at, tmp));
    fail(p, at, "%s", what);
}

static void skip_ws(parser *p) {
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
        p->pos++;
    }
}

static void *grow(void *arr, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return arr;
    size_t c = *cap ? *cap * 2 : 64;
    while (c < need) c *= 2;
    void *n = realloc(arr, c * elem);
    if (!n) {
        fputs("mesd: out of memory\n", stderr);
        abort();
    }
    *cap = c;
    return n;
}

static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Four hex digits at pos; -1 if malformed. */
static int32_t hex4(parser *p, size_t at) {
    if (p->len - at < 4) return -1;
    int32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int d = hex_digit(p->s[at + (size_t)i]);
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

static void put_utf8(gql_buf *b, int32_t cp) {
    char t[4];
    size_t n;
    if (cp < 0x80) t[0] = (char)cp, n = 1;
    else if (cp < 0x800) t[0] = (char)(0xC0 | (cp >> 6)), t[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
    else if (cp < 0x10000)
        t[0] = (char)(0xE0 | (cp >> 12)), t[1] = (char)(0x80 | ((cp >> 6) & 0x3F)), t[2] = (char)(0x80 | (cp & 0x3F)),
        n = 3;
    else
        t[0] = (char)(0xF0 | (cp >> 18)), t[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
        t[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), t[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
    gql_buf_append(b, t, n);
}

/* One escape after the backslash at pos; appends it to p->str. */
static bool parse_escape(parser *p) {
    size_t at = p->pos;   /* the backslash */
    if (at + 1 >= p->len) {
        unexpected(p, at + 1, "an escape character");
        return false;
    }
    char c = p->s[at + 1];
    const char *simple = strchr("\"\\/bfnrt", c);
    if (simple && c) {
        static const char out[] = "\"\\/\b\f\n\r\t";
        gql_buf_putc(&p->str, out[simple - "\"\\/bfnrt"]);
        p->pos = at + 2;
        return true;
    }
    if (c != 'u') {
        fail(p, at, "%s", "invalid escape sequence");
        return false;
    }
    int32_t cp = hex4(p, at + 2);
    if (cp < 0) {
        fail(p, at, "%s", "invalid \\u escape (four hex digits expected)");
        return false;
    }
    p->pos = at + 6;
    if (cp >= 0xDC00 && cp <= 0xDFFF) {
        fail(p, at, "%s", "lone low surrogate escape");
        return false;
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        int32_t lo = (p->pos + 1 < p->len && p->s[p->pos] == '\\' && p->s[p->pos + 1] == 'u') ? hex4(p, p->pos + 2) : -1;
        if (lo < 0xDC00 || lo > 0xDFFF) {
            fail(p, at, "%s", "lone high surrogate escape");
            return false;
        }
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        p->pos += 6;
    }
    put_utf8(&p->str, cp);
    return true;
}

/* A string at pos (the opening quote); its decoded text goes into the arena. */
static bool parse_string(parser *p, const char **out, uint32_t *out_len) {
    size_t start = ++p->pos;
    bool escaped = false;
    p->str.len = 0;
    size_t run = start;
    for (;;) {
        if (p->pos >= p->len) {
            fail(p, start - 1, "%s", "unterminated string");
            return false;
        }
        unsigned char c = (unsigned char)p->s[p->pos];
        if (c == '"') break;
        if (c == '\\') {
            gql_buf_append(&p->str, p->s + run, p->pos - run);
            if (!parse_escape(p)) return false;
            escaped = true;
            run = p->pos;
            continue;
        }
        if (c < 0x20) {
            fail(p, p->pos, "%s", "control character in string (must be escaped)");
            return false;
        }
        if (c < 0x80) {
            p->pos++;
            continue;
        }
        int32_t cp;
        size_t n = gql_utf8_next(p->s + p->pos, p->len - p->pos, &cp);
        if (cp < 0) {
            fail(p, p->pos, "%s", "invalid UTF-8 in string");
            return false;
        }
        p->pos += n;
    }
    if ((size_t)(p->pos - start) > UINT32_MAX) {
        fail(p, start, "%s", "string too long");
        return false;
    }
    if (escaped) {
        gql_buf_append(&p->str, p->s + run, p->pos - run);
        *out = gql_arena_strndup(p->a, p->str.data ? p->str.data : "", p->str.len);
        *out_len = (uint32_t)p->str.len;
    } else {
        *out = gql_arena_strndup(p->a, p->s + start, p->pos - start);
        *out_len = (uint32_t)(p->pos - start);
    }
    p->pos++;   /* closing quote */
    return true;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static gql_val *parse_number(parser *p) {
    size_t start = p->pos, i = p->pos;
    bool integer = true;
    if (i < p->len && p->s[i] == '-') i++;
    if (i >= p->len || !is_digit(p->s[i])) {
        unexpected(p, i, "a digit");
        return NULL;
    }
    if (p->s[i] == '0') i++;
    else
        while (i < p->len && is_digit(p->s[i])) i++;
    if (i < p->len && p->s[i] == '.') {
        integer = false;
        i++;
        if (i >= p->len || !is_digit(p->s[i])) {
            unexpected(p, i, "a digit after the decimal point");
            return NULL;
        }
        while (i < p->len && is_digit(p->s[i])) i++;
    }
    if (i < p->len && (p->s[i] == 'e' || p->s[i] == 'E')) {
        integer = false;
        i++;
        if (i < p->len && (p->s[i] == '+' || p->s[i] == '-')) i++;
        if (i >= p->len || !is_digit(p->s[i])) {
            unexpected(p, i, "a digit in the exponent");
            return NULL;
        }
        while (i < p->len && is_digit(p->s[i])) i++;
    }
    p->pos = i;
    if (integer) {   /* exact when it fits int64 */
        bool neg = p->s[start] == '-';
        uint64_t v = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
        bool fits = true;
        for (size_t k = start + neg; k < i && fits; k++) {
            uint64_t d = (uint64_t)(p->s[k] - '0');
            if (v > (limit - d) / 10) fits = false;
            else v = v * 10 + d;
        }
        if (fits) return gql_val_int(p->a, neg ? (int64_t)(0 - v) : (int64_t)v);
    }
    /* strtod needs a terminated copy; it rounds correctly, as JSON.parse does
     * (1e400 is Infinity there too) */
    char small[64];
    char *tmp = i - start < sizeof small ? small : malloc(i - start + 1);
    if (!tmp) abort();
    memcpy(tmp, p->s + start, i - start);
    tmp[i - start] = 0;
    double d = strtod(tmp, NULL);
    if (tmp != small) free(tmp);
    return gql_val_float(p->a, d);
}

static gql_val *parse_value(parser *p);

static bool enter(parser *p) {
    if (++p->depth > p->max_depth) {
        char what[64];
        snprintf(what, sizeof what, "nesting deeper than %u levels", p->max_depth);
        fail(p, p->pos, "%s", what);
        return false;
    }
    return true;
}

static gql_val *parse_list(parser *p) {
    if (!enter(p)) return NULL;
    p->pos++;
    size_t base = p->n_items;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == ']') {
        p->pos++;
    } else {
        for (;;) {
            gql_val *v = parse_value(p);
            if (!v) return NULL;
            p->items = grow(p->items, &p->cap_items, p->n_items + 1, sizeof *p->items);
            p->items[p->n_items++] = v;
            skip_ws(p);
            if (p->pos < p->len && p->s[p->pos] == ',') {
                p->pos++;
                continue;
            }
            if (p->pos < p->len && p->s[p->pos] == ']') {
                p->pos++;
                break;
            }
            unexpected(p, p->pos, "\",\" or \"]\"");
            return NULL;
        }
    }
    size_t n = p->n_items - base;
    if (n > UINT32_MAX) {
        fail(p, p->pos, "%s", "too many items");
        return NULL;
    }
    gql_val *l = gql_val_list(p->a, (uint32_t)n);
    if (n) memcpy(l->u.list.items, p->items + base, n * sizeof *p->items);
    p->n_items = base;
    p->depth--;
    return l;
}

static gql_val *parse_object(parser *p) {
    if (!enter(p)) return NULL;
    p->pos++;
    size_t base = p->n_members;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == '}') {
        p->pos++;
    } else {
        for (;;) {
            skip_ws(p);
            if (p->pos >= p->len || p->s[p->pos] != '"') {
                unexpected(p, p->pos, "a string key");
                return NULL;
            }
            gql_member m = {0};
            if (!parse_string(p, &m.key, &m.key_len)) return NULL;
            skip_ws(p);
            if (p->pos >= p->len || p->s[p->pos] != ':') {
                unexpected(p, p->pos, "\":\"");
                return NULL;
            }
            p->pos++;
            m.value = parse_value(p);
            if (!m.value) return NULL;
            p->members = grow(p->members, &p->cap_members, p->n_members + 1, sizeof *p->members);
            p->members[p->n_members++] = m;
            skip_ws(p);
            if (p->pos < p->len && p->s[p->pos] == ',') {
                p->pos++;
                continue;
            }
            if (p->pos < p->len && p->s[p->pos] == '}') {
                p->pos++;
                break;
            }
            unexpected(p, p->pos, "\",\" or \"}\"");
            return NULL;
        }
    }
    size_t n = p->n_members - base;
    if (n > UINT32_MAX / 2) {
        fail(p, p->pos, "%s", "too many members");
        return NULL;
    }
    gql_val *o = gql_val_object_from_members(p->a, n ? p->members + base : NULL, (uint32_t)n);
    p->n_members = base;
    p->depth--;
    return o;
}

static bool literal(parser *p, const char *word) {
    size_t n = strlen(word);
    if (p->len - p->pos >= n && memcmp(p->s + p->pos, word, n) == 0) {
        p->pos += n;
        return true;
    }
    unexpected(p, p->pos, "a value");
    return false;
}

static gql_val *parse_value(parser *p) {
    skip_ws(p);
    if (p->pos >= p->len) {
        unexpected(p, p->pos, "a value");
        return NULL;
    }
    switch (p->s[p->pos]) {
    case '{': return parse_object(p);
    case '[': return parse_list(p);
    case '"': {
        const char *s;
        uint32_t len;
        if (!parse_string(p, &s, &len)) return NULL;
        gql_val *v = gql_val_null(p->a);
        v->kind = GQL_V_STRING;
        v->u.str.s = s;
        v->u.str.len = len;
        return v;
    }
    case 't': return literal(p, "true") ? gql_val_bool(p->a, true) : NULL;
    case 'f': return literal(p, "false") ? gql_val_bool(p->a, false) : NULL;
    case 'n': return literal(p, "null") ? gql_val_null(p->a) : NULL;
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9': return parse_number(p);
    default: unexpected(p, p->pos, "a value"); return NULL;
    }
}

gql_val *gql_json_parse(gql_arena *a, const char *src, size_t len, uint32_t max_depth, const char **err) {
    parser p = {.a = a, .s = src ? src : "", .len = src ? len : 0};
    p.max_depth = max_depth == 0 ? 512 : max_depth > MAX_DEPTH_CAP ? MAX_DEPTH_CAP : max_depth;
    gql_buf_init(&p.str);
    gql_val *v = parse_value(&p);
    if (v) {
        skip_ws(&p);
        if (p.pos < p.len) {
            unexpected(&p, p.pos, "end of input");
            v = NULL;
        }
    }
    free(p.items);
    free(p.members);
    gql_buf_free(&p.str);
    if (err) *err = v ? NULL : p.err;
    return v;
}
