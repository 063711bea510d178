/*
 * lexer.c: graphql-js 16's lexer.js (and blockString.js's dedentBlockStringLines)
 * over UTF-8 bytes. One switch per token, no allocation for punctuators, names
 * and numbers; string values are decoded into the arena. The parser reads
 * tokens in batches (gql_lexer_next_batch), whose loop handles names,
 * punctuators and the spaces and line feeds around them, and leaves every
 * other case to gql_lexer_next.
 */
#include "lexer.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

enum { C_DIGIT = 1, C_NAME_START = 2, C_NAME_CONT = 4, C_HEX = 8, C_SKIP = 16, C_PUNCT = 32 };

static const uint8_t char_class[256] = {
    ['0' ... '9'] = C_DIGIT | C_NAME_CONT | C_HEX,
    ['A' ... 'F'] = C_NAME_START | C_NAME_CONT | C_HEX,
    ['G' ... 'Z'] = C_NAME_START | C_NAME_CONT,
    ['a' ... 'f'] = C_NAME_START | C_NAME_CONT | C_HEX,
    ['g' ... 'z'] = C_NAME_START | C_NAME_CONT,
    ['_'] = C_NAME_START | C_NAME_CONT,
    [' '] = C_SKIP, ['\t'] = C_SKIP, [','] = C_SKIP,
    ['!'] = C_PUNCT, ['$'] = C_PUNCT, ['&'] = C_PUNCT, ['('] = C_PUNCT, [')'] = C_PUNCT,
    [':'] = C_PUNCT, ['='] = C_PUNCT, ['@'] = C_PUNCT, ['['] = C_PUNCT, [']'] = C_PUNCT,
    ['{'] = C_PUNCT, ['|'] = C_PUNCT, ['}'] = C_PUNCT,
};

/* The token kind of each single-character punctuator (C_PUNCT). */
static const uint8_t punct_kind[256] = {
    ['!'] = GQL_TOK_BANG,      ['$'] = GQL_TOK_DOLLAR,    ['&'] = GQL_TOK_AMP,     ['('] = GQL_TOK_PAREN_L,
    [')'] = GQL_TOK_PAREN_R,   [':'] = GQL_TOK_COLON,     ['='] = GQL_TOK_EQUALS,  ['@'] = GQL_TOK_AT,
    ['['] = GQL_TOK_BRACKET_L, [']'] = GQL_TOK_BRACKET_R, ['{'] = GQL_TOK_BRACE_L, ['|'] = GQL_TOK_PIPE,
    ['}'] = GQL_TOK_BRACE_R,
};

/* The byte at i, or -1 past the end (JavaScript's charCodeAt gives NaN there,
 * which no character class matches). */
static inline int at(const gql_lexer *lx, uint32_t i) { return i < lx->len ? lx->src[i] : -1; }
static inline bool is_digit(int c) { return c >= 0 && (char_class[c] & C_DIGIT); }
static inline bool is_name_start(int c) { return c >= 0 && (char_class[c] & C_NAME_START); }

static int hex_value(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

static bool is_scalar_value(uint32_t cp) { return cp <= 0xD7FF || (cp >= 0xE000 && cp <= 0x10FFFF); }

uint32_t gql_utf8_decode(const unsigned char *s, uint32_t len, uint32_t at_, uint32_t *cp) {
    unsigned b = s[at_];
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    uint32_t need, c;
    unsigned lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
        need = 1;
        c = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
        need = 2;
        c = b & 0x0F;
        if (b == 0xE0) lo = 0xA0;
        else if (b == 0xED) hi = 0x9F;   /* no encoded surrogates */
    } else if (b >= 0xF0 && b <= 0xF4) {
        need = 3;
        c = b & 0x07;
        if (b == 0xF0) lo = 0x90;
        else if (b == 0xF4) hi = 0x8F;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    uint32_t i = 1;
    for (; i <= need; i++) {
        if (at_ + i >= len) break;
        unsigned x = s[at_ + i];
        if (x < lo || x > hi) break;
        lo = 0x80;
        hi = 0xBF;
        c = (c << 6) | (x & 0x3F);
    }
    if (i <= need) {   /* a maximal subpart of an ill-formed sequence */
        *cp = 0xFFFD;
        return i;
    }
    *cp = c;
    return need + 1;
}

/* True when the k bytes at p decoded to U+FFFD because they are ill-formed
 * (rather than being a well-formed U+FFFD, EF BF BD). */
static inline bool is_ill_formed(const unsigned char *p, uint32_t k, uint32_t cp) {
    return cp == 0xFFFD && !(k == 3 && p[0] == 0xEF);
}

/* UTF-8 encoding; surrogates (only ever half of a pair cut by a message slice)
 * are encoded as three bytes like any other BMP code point. */
static size_t put_utf8(char *d, uint32_t cp) {
    if (cp < 0x80) {
        d[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        d[0] = (char)(0xC0 | (cp >> 6));
        d[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        d[0] = (char)(0xE0 | (cp >> 12));
        d[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        d[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    d[0] = (char)(0xF0 | (cp >> 18));
    d[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    d[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    d[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

void gql_source_location(const char *src, uint32_t len, uint32_t pos, uint32_t *line, uint32_t *column) {
    const unsigned char *s = (const unsigned char *)src;
    uint32_t ln = 1, units = 0, i = 0;
    if (pos > len) pos = len;
    while (i < pos) {
        unsigned c = s[i];
        if (c == '\n' || c == '\r') {
            ln++;
            units = 0;
            i += (c == '\r' && i + 1 < len && s[i + 1] == '\n') ? 2 : 1;
            continue;
        }
        if (c < 0x80) {
            units++;
            i++;
            continue;
        }
        uint32_t cp;
        i += gql_utf8_decode(s, len, i, &cp);
        units += cp >= 0x10000 ? 2 : 1;
    }
    *line = ln;
    /* A position between \r and \n would be column 0 in graphql-js; no error
     * is ever reported there, so units + 1 is always what it computes. */
    *column = units + 1;
}

static const char *const tok_names[GQL_TOK_KIND_COUNT] = {
    [GQL_TOK_SOF] = "<SOF>",        [GQL_TOK_EOF] = "<EOF>",       [GQL_TOK_BANG] = "!",
    [GQL_TOK_DOLLAR] = "$",         [GQL_TOK_AMP] = "&",           [GQL_TOK_PAREN_L] = "(",
    [GQL_TOK_PAREN_R] = ")",        [GQL_TOK_SPREAD] = "...",      [GQL_TOK_COLON] = ":",
    [GQL_TOK_EQUALS] = "=",         [GQL_TOK_AT] = "@",            [GQL_TOK_BRACKET_L] = "[",
    [GQL_TOK_BRACKET_R] = "]",      [GQL_TOK_BRACE_L] = "{",       [GQL_TOK_PIPE] = "|",
    [GQL_TOK_BRACE_R] = "}",        [GQL_TOK_NAME] = "Name",       [GQL_TOK_INT] = "Int",
    [GQL_TOK_FLOAT] = "Float",      [GQL_TOK_STRING] = "String",   [GQL_TOK_BLOCK_STRING] = "BlockString",
};

const char *gql_tok_kind_name(gql_tok_kind k) { return (unsigned)k < GQL_TOK_KIND_COUNT ? tok_names[k] : "?"; }

bool gql_tok_is_punctuator(gql_tok_kind k) { return k >= GQL_TOK_BANG && k <= GQL_TOK_BRACE_R; }

void gql_lexer_init(gql_lexer *lx, const char *src, uint32_t len, gql_arena *arena) {
    memset(lx, 0, sizeof *lx);
    lx->src = (const unsigned char *)src;
    lx->len = len;
    lx->line = 1;
    lx->col_base = UINT32_MAX;   /* column = pos + 1 */
    lx->arena = arena;
}

void gql_lexer_free(gql_lexer *lx) {
    free(lx->scratch);
    free(lx->lines);
    lx->scratch = NULL;
    lx->lines = NULL;
}

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n);
    if (!q) {
        fputs("mesd: out of memory\n", stderr);
        abort();
    }
    return q;
}

static void scratch_put(gql_lexer *lx, const void *p, size_t n) {
    if (lx->scratch_len + n > lx->scratch_cap) {
        size_t cap = lx->scratch_cap ? lx->scratch_cap : 256;
        while (cap < lx->scratch_len + n) cap *= 2;
        lx->scratch = xrealloc(lx->scratch, cap);
        lx->scratch_cap = cap;
    }
    if (n) memcpy(lx->scratch + lx->scratch_len, p, n);
    lx->scratch_len += n;
}

static void scratch_put_cp(gql_lexer *lx, uint32_t cp) {
    char tmp[4];
    scratch_put(lx, tmp, put_utf8(tmp, cp));
}

static void line_push(gql_lexer *lx, uint32_t start) {
    if (lx->line_count == lx->line_cap) {
        lx->line_cap = lx->line_cap ? lx->line_cap * 2 : 32;
        lx->lines = xrealloc(lx->lines, lx->line_cap * sizeof *lx->lines);
    }
    lx->lines[lx->line_count++] = start;
}

static bool lex_error(gql_lexer *lx, uint32_t pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool lex_error(gql_lexer *lx, uint32_t pos, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(lx->err_msg, sizeof lx->err_msg, fmt, ap);
    va_end(ap);
    lx->err_pos = pos;
    return false;
}

/* printCodePointAt(): "<EOF>", "x" (printable ASCII, '"' for the quote) or U+XXXX. */
static const char *code_point_at(const gql_lexer *lx, uint32_t pos, char buf[16]) {
    if (pos >= lx->len) return "<EOF>";
    uint32_t cp;
    gql_utf8_decode(lx->src, lx->len, pos, &cp);
    if (cp == '"') return "'\"'";
    if (cp >= 0x20 && cp <= 0x7E) snprintf(buf, 16, "\"%c\"", (char)cp);
    else snprintf(buf, 16, "U+%04X", (unsigned)cp);
    return buf;
}

/* body.slice(pos, pos + units) as graphql-js cuts it, in UTF-8 (at most 12
 * units, so 48 bytes). A supplementary character cut in half leaves its
 * leading surrogate, encoded on its own. */
static const char *slice_units(const gql_lexer *lx, uint32_t pos, uint32_t units, char buf[64]) {
    size_t o = 0;
    while (units > 0 && pos < lx->len) {
        uint32_t cp, k = gql_utf8_decode(lx->src, lx->len, pos, &cp);
        if (cp >= 0x10000 && units == 1) cp = 0xD800 + ((cp - 0x10000) >> 10);
        o += put_utf8(buf + o, cp);
        units -= cp >= 0x10000 ? 2 : 1;
        pos += k;
    }
    buf[o] = 0;
    return buf;
}

/* ------------------------------------------------------------------------- */
/* The hot path: names, punctuators, spaces, line feeds. */

/* The first byte at or after pos (<= len) that is not a space. Indentation is
 * most of the bytes of a pretty-printed document: it is skipped 16 (or 8)
 * bytes at a time while they are before len, then byte by byte (up to
 * src[len], NUL). */
static inline uint32_t skip_spaces(const unsigned char *s, uint32_t pos, uint32_t len) {
#if defined(__SSE2__)
    while (len - pos >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(s + pos));
        unsigned other = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(' '))) ^ 0xFFFFu;
        if (other) return pos + (uint32_t)__builtin_ctz(other);
        pos += 16;
    }
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (len - pos >= 8) {
        uint64_t w;
        memcpy(&w, s + pos, 8);
        w ^= 0x2020202020202020ull;
        if (w) return pos + ((uint32_t)__builtin_ctzll(w) >> 3);
        pos += 8;
    }
#else
    (void)len;
#endif
    while (s[pos] == ' ') pos++;
    return pos;
}

/* The end of the name starting at pos (a name start character). Names are
 * short: four bytes per iteration, each one load and one test. Nothing after
 * the byte that ends the name is read, and src[len] (NUL) ends every name. */
static inline uint32_t name_end(const unsigned char *s, uint32_t pos) {
    const unsigned char *p = s + pos + 1;
    for (;; p += 4) {
        if (!(char_class[p[0]] & C_NAME_CONT)) return (uint32_t)(p - s);
        if (!(char_class[p[1]] & C_NAME_CONT)) return (uint32_t)(p + 1 - s);
        if (!(char_class[p[2]] & C_NAME_CONT)) return (uint32_t)(p + 2 - s);
        if (!(char_class[p[3]] & C_NAME_CONT)) return (uint32_t)(p + 3 - s);
    }
}

static inline void put_token(gql_token *t, gql_tok_kind kind, uint32_t start, uint32_t end, uint32_t line,
                             uint32_t column, const char *value, uint32_t len) {
    t->kind = kind;
    t->start = start;
    t->end = end;
    t->line = line;
    t->column = column;
    t->value = value;
    t->len = len;
}

/* ------------------------------------------------------------------------- */

static bool read_digits(gql_lexer *lx, uint32_t *pos, int first) {
    char b[16];
    if (!is_digit(first)) return lex_error(lx, *pos, "Invalid number, expected digit but got: %s.", code_point_at(lx, *pos, b));
    uint32_t p = *pos + 1;
    while (is_digit(at(lx, p))) p++;
    *pos = p;
    return true;
}

__attribute__((noinline)) static bool read_number(gql_lexer *lx, uint32_t start, gql_token *t) {
    char b[16];
    uint32_t pos = start;
    int code = lx->src[pos];
    bool is_float = false;
    if (code == '-') code = at(lx, ++pos);
    if (code == '0') {
        code = at(lx, ++pos);
        if (is_digit(code))
            return lex_error(lx, pos, "Invalid number, unexpected digit after 0: %s.", code_point_at(lx, pos, b));
    } else {
        if (!read_digits(lx, &pos, code)) return false;
        code = at(lx, pos);
    }
    if (code == '.') {
        is_float = true;
        code = at(lx, ++pos);
        if (!read_digits(lx, &pos, code)) return false;
        code = at(lx, pos);
    }
    if (code == 'E' || code == 'e') {
        is_float = true;
        code = at(lx, ++pos);
        if (code == '+' || code == '-') code = at(lx, ++pos);
        if (!read_digits(lx, &pos, code)) return false;
        code = at(lx, pos);
    }
    if (code == '.' || is_name_start(code))
        return lex_error(lx, pos, "Invalid number, expected digit but got: %s.", code_point_at(lx, pos, b));
    t->kind = is_float ? GQL_TOK_FLOAT : GQL_TOK_INT;
    t->end = pos;
    t->value = (const char *)lx->src + start;
    t->len = pos - start;
    return true;
}

/* Reads four hex digits; negative when one is not a hex digit (read16BitHexCode). */
static int32_t read_hex4(const gql_lexer *lx, uint32_t pos) {
    int a = hex_value(at(lx, pos)), b = hex_value(at(lx, pos + 1));
    int c = hex_value(at(lx, pos + 2)), d = hex_value(at(lx, pos + 3));
    if (a < 0 || b < 0 || c < 0 || d < 0) return -1;
    return (a << 12) | (b << 8) | (c << 4) | d;
}

/* One escape sequence starting at the backslash at pos: appends its value to
 * the scratch buffer and sets *size to its length in bytes (all ASCII). */
static bool read_escape(gql_lexer *lx, uint32_t pos, uint32_t *size) {
    char b[64];
    int c1 = at(lx, pos + 1);
    if (c1 == 'u' && at(lx, pos + 2) == '{') {
        /* readEscapedUnicodeVariableWidth: at most \u{XXXXXXXX}, with
         * JavaScript's 32-bit arithmetic deciding when a point overflows. */
        uint32_t point = 0, sz = 3;
        while (sz < 12) {
            int code = at(lx, pos + sz++);
            if (code == '}') {
                if (sz < 5 || !is_scalar_value(point)) break;
                scratch_put_cp(lx, point);
                *size = sz;
                return true;
            }
            int d = hex_value(code);
            if (d < 0) break;
            point = (point << 4) | (uint32_t)d;
            if (point & 0x80000000u) break;
        }
        return lex_error(lx, pos, "Invalid Unicode escape sequence: \"%s\".", slice_units(lx, pos, sz, b));
    }
    if (c1 == 'u') {
        int32_t code = read_hex4(lx, pos + 2);
        if (code >= 0 && is_scalar_value((uint32_t)code)) {
            scratch_put_cp(lx, (uint32_t)code);
            *size = 6;
            return true;
        }
        /* JSON-style surrogate pairs, only when they form a valid pair. */
        if (code >= 0xD800 && code <= 0xDBFF && at(lx, pos + 6) == '\\' && at(lx, pos + 7) == 'u') {
            int32_t trail = read_hex4(lx, pos + 8);
            if (trail >= 0xDC00 && trail <= 0xDFFF) {
                scratch_put_cp(lx, 0x10000 + (((uint32_t)code - 0xD800) << 10) + ((uint32_t)trail - 0xDC00));
                *size = 12;
                return true;
            }
        }
        return lex_error(lx, pos, "Invalid Unicode escape sequence: \"%s\".", slice_units(lx, pos, 6, b));
    }
    char v;
    switch (c1) {
    case '"': v = '"'; break;
    case '\\': v = '\\'; break;
    case '/': v = '/'; break;
    case 'b': v = '\b'; break;
    case 'f': v = '\f'; break;
    case 'n': v = '\n'; break;
    case 'r': v = '\r'; break;
    case 't': v = '\t'; break;
    default:
        return lex_error(lx, pos, "Invalid character escape sequence: \"%s\".", slice_units(lx, pos, 2, b));
    }
    scratch_put(lx, &v, 1);
    *size = 2;
    return true;
}

__attribute__((noinline)) static bool read_string(gql_lexer *lx, uint32_t start, gql_token *t) {
    const unsigned char *s = lx->src;
    uint32_t n = lx->len, pos = start + 1, chunk = pos, adj = 0;
    bool decoded = false;   /* value built in scratch (escapes or ill-formed bytes) */
    lx->scratch_len = 0;
    while (pos < n) {
        unsigned c = s[pos];
        if (c == '"') {
            if (decoded) {
                scratch_put(lx, s + chunk, pos - chunk);
                t->value = gql_arena_strndup(lx->arena, lx->scratch, lx->scratch_len);
                t->len = (uint32_t)lx->scratch_len;
            } else {
                t->value = gql_arena_strndup(lx->arena, (const char *)s + chunk, pos - chunk);
                t->len = pos - chunk;
            }
            t->kind = GQL_TOK_STRING;
            t->end = pos + 1;
            lx->col_base += adj;
            return true;
        }
        if (c == '\\') {
            uint32_t size = 0;
            scratch_put(lx, s + chunk, pos - chunk);
            decoded = true;
            if (!read_escape(lx, pos, &size)) return false;
            pos += size;
            chunk = pos;
            continue;
        }
        if (c == '\n' || c == '\r') break;
        if (c < 0x80) {
            pos++;
            continue;
        }
        uint32_t cp, k = gql_utf8_decode(s, n, pos, &cp);
        if (is_ill_formed(s + pos, k, cp)) {
            scratch_put(lx, s + chunk, pos - chunk);
            scratch_put(lx, "\xEF\xBF\xBD", 3);
            decoded = true;
            chunk = pos + k;
        }
        adj += k - (cp >= 0x10000 ? 2 : 1);
        pos += k;
    }
    return lex_error(lx, pos, "Unterminated string.");
}

/* dedentBlockStringLines() over the lines in the scratch buffer, joined with
 * "\n" into the arena. */
static void dedent_block_string(gql_lexer *lx, gql_token *t) {
    const char *sc = lx->scratch;
    size_t nlines = lx->line_count;
    size_t common = SIZE_MAX;
    size_t first = SIZE_MAX, last = 0;
    bool any = false;
    for (size_t i = 0; i < nlines; i++) {
        size_t b = lx->lines[i], e = i + 1 < nlines ? lx->lines[i + 1] : lx->scratch_len;
        size_t indent = 0;
        while (b + indent < e && (sc[b + indent] == ' ' || sc[b + indent] == '\t')) indent++;
        if (b + indent == e) continue;   /* blank line */
        if (!any) first = i;
        any = true;
        last = i;
        if (i != 0 && indent < common) common = indent;
    }
    if (!any) {
        t->value = gql_arena_strndup(lx->arena, "", 0);
        t->len = 0;
        return;
    }
    size_t total = 0;
    for (size_t i = first; i <= last; i++) {
        size_t b = lx->lines[i], e = i + 1 < nlines ? lx->lines[i + 1] : lx->scratch_len;
        size_t cut = i == 0 ? 0 : (common < e - b ? common : e - b);
        total += e - b - cut + (i != first);
    }
    char *out = gql_arena_alloc(lx->arena, total + 1), *o = out;
    for (size_t i = first; i <= last; i++) {
        size_t b = lx->lines[i], e = i + 1 < nlines ? lx->lines[i + 1] : lx->scratch_len;
        size_t cut = i == 0 ? 0 : (common < e - b ? common : e - b);
        if (i != first) *o++ = '\n';
        memcpy(o, sc + b + cut, e - b - cut);
        o += e - b - cut;
    }
    *o = 0;
    t->value = out;
    t->len = (uint32_t)total;
}

__attribute__((noinline)) static bool read_block_string(gql_lexer *lx, uint32_t start, gql_token *t) {
    const unsigned char *s = lx->src;
    uint32_t n = lx->len, pos = start + 3, chunk = pos;
    uint32_t line = lx->line, col_base = lx->col_base;
    lx->scratch_len = 0;
    lx->line_count = 0;
    line_push(lx, 0);
    while (pos < n) {
        unsigned c = s[pos];
        if (c == '"' && at(lx, pos + 1) == '"' && at(lx, pos + 2) == '"') {
            scratch_put(lx, s + chunk, pos - chunk);
            dedent_block_string(lx, t);
            t->kind = GQL_TOK_BLOCK_STRING;
            t->end = pos + 3;
            lx->line = line;
            lx->col_base = col_base;
            return true;
        }
        if (c == '\\' && at(lx, pos + 1) == '"' && at(lx, pos + 2) == '"' && at(lx, pos + 3) == '"') {
            scratch_put(lx, s + chunk, pos - chunk);
            chunk = pos + 1;   /* keep the quotes, drop the backslash */
            pos += 4;
            continue;
        }
        if (c == '\n' || c == '\r') {
            scratch_put(lx, s + chunk, pos - chunk);
            line_push(lx, (uint32_t)lx->scratch_len);
            pos += (c == '\r' && at(lx, pos + 1) == '\n') ? 2 : 1;
            chunk = pos;
            line++;
            col_base = pos - 1;
            continue;
        }
        if (c < 0x80) {
            pos++;
            continue;
        }
        uint32_t cp, k = gql_utf8_decode(s, n, pos, &cp);
        if (is_ill_formed(s + pos, k, cp)) {
            scratch_put(lx, s + chunk, pos - chunk);
            scratch_put(lx, "\xEF\xBF\xBD", 3);
            chunk = pos + k;
        }
        col_base += k - (cp >= 0x10000 ? 2 : 1);
        pos += k;
    }
    return lex_error(lx, pos, "Unterminated string.");
}

__attribute__((noinline)) static bool unexpected_character(gql_lexer *lx, uint32_t pos) {
    char b[16];
    if (lx->src[pos] == '\'')
        return lex_error(lx, pos, "Unexpected single quote character ('), did you mean to use a double quote (\")?");
    /* Decoded UTF-8 never holds a lone surrogate, so graphql-js's "Invalid
     * character" branch cannot be reached. */
    return lex_error(lx, pos, "Unexpected character: %s.", code_point_at(lx, pos, b));
}

bool gql_lexer_next(gql_lexer *lx, gql_token *t) {
    const unsigned char *s = lx->src;
    uint32_t n = lx->len, pos = lx->pos;
    gql_tok_kind kind;
    uint32_t size = 1;
    unsigned c;
    for (;;) {
        /* s[n] is NUL, whose class is 0: the end is checked in the switch. */
        c = s[pos];
        uint8_t cls = char_class[c];
        /* Ignored characters, names and punctuators first: they are most of a
         * typical document. */
        if (cls & C_SKIP) {
            pos++;
            continue;
        }
        if (cls & C_NAME_START) {
            uint32_t e = name_end(s, pos);
            put_token(t, GQL_TOK_NAME, pos, e, lx->line, pos - lx->col_base, (const char *)s + pos, e - pos);
            lx->pos = e;
            return true;
        }
        if (cls & C_PUNCT) {
            kind = (gql_tok_kind)punct_kind[c];
            goto punct;
        }
        switch (c) {
        case 0:
            if (pos < n) return unexpected_character(lx, pos);   /* a NUL in the source */
            kind = GQL_TOK_EOF;
            size = 0;
            goto punct;
        case '\n':
            pos++;
            lx->line++;
            lx->col_base = pos - 1;
            continue;
        case '\r':
            pos += at(lx, pos + 1) == '\n' ? 2 : 1;
            lx->line++;
            lx->col_base = pos - 1;
            continue;
        case '#':
            /* A comment runs to the end of the line; its characters cannot
             * shift a column on a later line, so no UTF-16 accounting. */
            pos++;
            while (pos < n && s[pos] != '\n' && s[pos] != '\r') pos++;
            continue;
        case 0xEF:
            if (at(lx, pos + 1) == 0xBB && at(lx, pos + 2) == 0xBF) {   /* BOM */
                pos += 3;
                lx->col_base += 2;
                continue;
            }
            return unexpected_character(lx, pos);
        case '.':
            if (at(lx, pos + 1) == '.' && at(lx, pos + 2) == '.') {
                kind = GQL_TOK_SPREAD;
                size = 3;
                goto punct;
            }
            return unexpected_character(lx, pos);
        default:
            break;
        }
        break;
    }

    /* Strings and numbers. */
    t->start = pos;
    t->line = lx->line;
    t->column = pos - lx->col_base;
    bool ok;
    if (c == '"') {
        ok = (at(lx, pos + 1) == '"' && at(lx, pos + 2) == '"') ? read_block_string(lx, pos, t) : read_string(lx, pos, t);
    } else if (is_digit((int)c) || c == '-') {
        ok = read_number(lx, pos, t);
    } else {
        ok = unexpected_character(lx, pos);
    }
    if (ok) lx->pos = t->end;
    return ok;

punct:
    put_token(t, kind, pos, pos + size, lx->line, pos - lx->col_base, NULL, 0);
    lx->pos = pos + size;
    return true;
}

/* The loop keeps pos, line and col_base in registers and writes them back
 * only around a call to gql_lexer_next (strings, numbers, comments, tabs, \r,
 * a BOM, errors, the end). */
uint32_t gql_lexer_next_batch(gql_lexer *lx, gql_token *out, uint32_t max, bool *failed) {
    const unsigned char *s = lx->src;
    const uint32_t len = lx->len;
    uint32_t pos = lx->pos, line = lx->line, col_base = lx->col_base;
    gql_token *t = out, *end = out + max;
    *failed = false;
    while (t < end) {
        /* The spaces or line feeds (and indentation) before most tokens. */
        unsigned c = s[pos];
        if (c == ' ') {
            c = s[++pos];
            if (c == ' ') {
                pos = skip_spaces(s, pos + 1, len);
                c = s[pos];
            }
        }
        while (c == '\n') {
            line++;
            col_base = pos;   /* the next line starts at pos + 1 */
            pos = skip_spaces(s, pos + 1, len);
            c = s[pos];
        }
        unsigned cls = char_class[c];
        if (cls & C_NAME_START) {
            uint32_t e = name_end(s, pos);
            put_token(t++, GQL_TOK_NAME, pos, e, line, pos - col_base, (const char *)s + pos, e - pos);
            pos = e;
            continue;
        }
        if (cls & C_PUNCT) {
            put_token(t++, (gql_tok_kind)punct_kind[c], pos, pos + 1, line, pos - col_base, NULL, 0);
            pos++;
            continue;
        }
        if (c == ',') {
            pos++;
            continue;
        }
        if (c == '.' && s[pos + 1] == '.' && s[pos + 2] == '.') {   /* s[len] is NUL: no read past it */
            put_token(t++, GQL_TOK_SPREAD, pos, pos + 3, line, pos - col_base, NULL, 0);
            pos += 3;
            continue;
        }
        /* Everything else through the complete lexer. */
        lx->pos = pos;
        lx->line = line;
        lx->col_base = col_base;
        if (!gql_lexer_next(lx, t)) {
            *failed = true;
            return (uint32_t)(t - out);
        }
        pos = lx->pos;
        line = lx->line;
        col_base = lx->col_base;
        if (t++->kind == GQL_TOK_EOF) break;
    }
    lx->pos = pos;
    lx->line = line;
    lx->col_base = col_base;
    return (uint32_t)(t - out);
}
