/*
 * suggest.c: see suggest.h. Distances are measured on UTF-16 code units and
 * ASCII-lower-cased, as graphql-js's LexicalDistance does for the names GraphQL
 * allows (names are ASCII; enum input strings may not be, and only their
 * ASCII letters are folded).
 */
#include "suggest.h"
#include <string.h>

static bool is_digit(int c) { return c >= '0' && c <= '9'; }

int gql_natural_compare(const char *a, const char *b) {
    size_t al = strlen(a), bl = strlen(b), ai = 0, bi = 0;
    while (ai < al && bi < bl) {
        int ac = (unsigned char)a[ai], bc = (unsigned char)b[bi];
        if (is_digit(ac) && is_digit(bc)) {
            /* a leading zero is a number of its own, as in graphql-js */
            double an = 0, bn = 0;
            do {
                ++ai;
                an = an * 10 + (ac - '0');
                ac = ai < al ? (unsigned char)a[ai] : 0;
            } while (is_digit(ac) && an > 0);
            do {
                ++bi;
                bn = bn * 10 + (bc - '0');
                bc = bi < bl ? (unsigned char)b[bi] : 0;
            } while (is_digit(bc) && bn > 0);
            if (an < bn) return -1;
            if (an > bn) return 1;
        } else {
            if (ac < bc) return -1;
            if (ac > bc) return 1;
            ++ai;
            ++bi;
        }
    }
    return al < bl ? -1 : al > bl ? 1 : 0;
}

/* UTF-8 to UTF-16 code units (JavaScript's length and charCodeAt). */
static uint32_t to_utf16(gql_arena *a, const char *s, size_t len, uint16_t **out) {
    uint16_t *u = gql_arena_alloc(a, (len + 1) * sizeof *u);
    uint32_t n = 0;
    for (size_t i = 0; i < len;) {
        unsigned c = (unsigned char)s[i];
        uint32_t cp;
        size_t k;
        if (c < 0x80) {
            cp = c, k = 1;
        } else if ((c & 0xE0) == 0xC0 && i + 1 < len) {
            cp = ((c & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu), k = 2;
        } else if ((c & 0xF0) == 0xE0 && i + 2 < len) {
            cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu), k = 3;
        } else if ((c & 0xF8) == 0xF0 && i + 3 < len) {
            cp = ((c & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) | (s[i + 3] & 0x3Fu);
            k = 4;
        } else {
            cp = 0xFFFD, k = 1;
        }
        if (cp >= 0x10000) {
            cp -= 0x10000;
            u[n++] = (uint16_t)(0xD800 + (cp >> 10));
            u[n++] = (uint16_t)(0xDC00 + (cp & 0x3FF));
        } else {
            u[n++] = (uint16_t)cp;
        }
        i += k;
    }
    *out = u;
    return n;
}

static void lower16(uint16_t *s, uint32_t n) {
    for (uint32_t i = 0; i < n; i++)
        if (s[i] >= 'A' && s[i] <= 'Z') s[i] = (uint16_t)(s[i] + 32);
}

typedef struct lexdist {
    gql_arena *a;
    const uint16_t *input, *input_lower;
    uint32_t input_len;
    uint32_t *rows[3];
    uint32_t rows_cap;   /* cells per row: sized to the shorter string, on demand */
} lexdist;

static bool eq16(const uint16_t *a, uint32_t an, const uint16_t *b, uint32_t bn) {
    return an == bn && (an == 0 || memcmp(a, b, an * sizeof *a) == 0);
}

static uint32_t min3(uint32_t a, uint32_t b, uint32_t c) {
    uint32_t m = a < b ? a : b;
    return m < c ? m : c;
}

/* LexicalDistance.measure: -1 for "undefined" (farther than threshold). */
static int64_t lex_measure(lexdist *ld, const char *option, size_t option_len, uint32_t threshold) {
    uint16_t *opt;
    uint32_t on = to_utf16(ld->a, option, option_len, &opt);
    if (eq16(ld->input, ld->input_len, opt, on)) return 0;
    lower16(opt, on);
    if (eq16(ld->input_lower, ld->input_len, opt, on)) return 1;
    const uint16_t *a = opt, *b = ld->input_lower;
    uint32_t al = on, bl = ld->input_len;
    if (al < bl) {
        const uint16_t *t = a;
        a = b, b = t;
        uint32_t tl = al;
        al = bl, bl = tl;
    }
    if (al - bl > threshold) return -1;
    if (bl + 1 > ld->rows_cap) {
        ld->rows_cap = bl + 1;
        for (int r = 0; r < 3; r++) ld->rows[r] = gql_arena_alloc(ld->a, ld->rows_cap * sizeof(uint32_t));
    }
    uint32_t **rows = ld->rows;
    for (uint32_t j = 0; j <= bl; j++) rows[0][j] = j;
    for (uint32_t i = 1; i <= al; i++) {
        uint32_t *up = rows[(i - 1) % 3], *cur = rows[i % 3];
        uint32_t smallest = cur[0] = i;
        for (uint32_t j = 1; j <= bl; j++) {
            uint32_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            uint32_t cell = min3(up[j] + 1, cur[j - 1] + 1, up[j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                uint32_t dd = rows[(i - 2) % 3][j - 2] + 1;
                if (dd < cell) cell = dd;
            }
            if (cell < smallest) smallest = cell;
            cur[j] = cell;
        }
        if (smallest > threshold) return -1;
    }
    uint32_t d = rows[al % 3][bl];
    return d <= threshold ? (int64_t)d : -1;
}

typedef struct scored {
    const char *s;
    uint32_t d;
} scored;

static int scored_cmp(const scored *x, const scored *y) {
    if (x->d != y->d) return x->d < y->d ? -1 : 1;
    return gql_natural_compare(x->s, y->s);
}

/* Stable merge sort (Array.prototype.sort is stable). */
static void sort_scored(scored *a, scored *tmp, uint32_t n) {
    if (n < 2) return;
    uint32_t h = n / 2;
    sort_scored(a, tmp, h);
    sort_scored(a + h, tmp, n - h);
    uint32_t i = 0, j = h, k = 0;
    while (i < h && j < n) tmp[k++] = scored_cmp(&a[j], &a[i]) < 0 ? a[j++] : a[i++];
    while (i < h) tmp[k++] = a[i++];
    while (j < n) tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof *a);
}

uint32_t gql_suggestion_list(gql_arena *a, const char *input, size_t input_len, const char *const *options,
                             const uint32_t *option_lens, uint32_t n, const char ***out) {
    lexdist ld = {.a = a};
    uint16_t *in;
    ld.input_len = to_utf16(a, input, input_len, &in);
    ld.input = in;
    uint16_t *low = gql_arena_alloc(a, (ld.input_len + 1) * sizeof *low);
    if (ld.input_len) memcpy(low, in, ld.input_len * sizeof *low);
    lower16(low, ld.input_len);
    ld.input_lower = low;
    uint32_t threshold = (uint32_t)(ld.input_len * 0.4) + 1;

    scored *found = gql_arena_alloc(a, (n ? n : 1) * sizeof *found);
    uint32_t count = 0;
    for (uint32_t i = 0; i < n; i++) {
        size_t len = option_lens ? option_lens[i] : strlen(options[i]);
        int64_t d = lex_measure(&ld, options[i], len, threshold);
        if (d >= 0) found[count++] = (scored){options[i], (uint32_t)d};
    }
    scored *tmp = gql_arena_alloc(a, (count ? count : 1) * sizeof *tmp);
    sort_scored(found, tmp, count);
    /* graphql-js keys the distances by option: the same option twice counts
     * once. Equal options sort next to each other (same distance, compare 0). */
    const char **res = gql_arena_alloc(a, (count ? count : 1) * sizeof *res);
    uint32_t m = 0;
    for (uint32_t i = 0; i < count; i++)
        if (m == 0 || strcmp(res[m - 1], found[i].s) != 0) res[m++] = found[i].s;
    *out = res;
    return m;
}

void gql_did_you_mean_append(gql_buf *b, const char *sub, const char *const *s, uint32_t n) {
    if (n == 0) return;
    gql_buf_puts(b, " Did you mean ");
    if (sub) {
        gql_buf_puts(b, sub);
        gql_buf_putc(b, ' ');
    }
    if (n == 1) {
        gql_buf_printf(b, "\"%s\"?", s[0]);
    } else if (n == 2) {
        gql_buf_printf(b, "\"%s\" or \"%s\"?", s[0], s[1]);
    } else {
        uint32_t m = n < 5 ? n : 5;
        for (uint32_t i = 0; i + 1 < m; i++) gql_buf_printf(b, "\"%s\", ", s[i]);
        gql_buf_printf(b, "or \"%s\"?", s[m - 1]);
    }
}

const char *gql_did_you_mean(gql_arena *a, const char *input, uint32_t input_len, const char *const *options,
                             const uint32_t *option_lens, uint32_t n) {
    const char **sugg;
    uint32_t ns = gql_suggestion_list(a, input, input_len, options, option_lens, n, &sugg);
    if (!ns) return "";
    gql_buf b;
    gql_buf_init(&b);
    gql_did_you_mean_append(&b, NULL, sugg, ns);
    const char *r = gql_arena_strndup(a, b.data, b.len);
    gql_buf_free(&b);
    return r;
}
