/*
 * schema_suggest.c: graphql-js's "Did you mean" suggestions
 * (jsutils/suggestionList.js, didYouMean.js, naturalCompare.js) for the SDL
 * rules. The executable validation rules have their own copy in
 * validate_util.c (v_suggestion_list / v_did_you_mean); the two can merge.
 */
#include <stdlib.h>
#include <string.h>
#include "schema_internal.h"

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* LexicalDistance.measure: Damerau-Levenshtein on lower-cased strings, with
 * graphql-js's threshold and early exit; -1 for "undefined". Names are ASCII. */
static int lexical_distance(const char *in, uint32_t in_len, const char *opt, uint32_t opt_len, int threshold,
                            int *rows) {
    if (in_len == opt_len && memcmp(in, opt, in_len) == 0) return 0;
    bool same_lower = in_len == opt_len;
    for (uint32_t i = 0; same_lower && i < in_len; i++)
        if (lower((unsigned char)in[i]) != lower((unsigned char)opt[i])) same_lower = false;
    if (same_lower) return 1;
    const char *a = opt, *b = in;
    uint32_t al = opt_len, bl = in_len;
    if (al < bl) {
        a = in, al = in_len;
        b = opt, bl = opt_len;
    }
    if ((int64_t)al - (int64_t)bl > threshold) return -1;
    int *r[3] = {rows, rows + (bl + 1), rows + 2 * (bl + 1)};
    for (uint32_t j = 0; j <= bl; j++) r[0][j] = (int)j;
    for (uint32_t i = 1; i <= al; i++) {
        int *up = r[(i - 1) % 3], *cur = r[i % 3];
        int smallest = cur[0] = (int)i;
        for (uint32_t j = 1; j <= bl; j++) {
            int ca = lower((unsigned char)a[i - 1]), cb = lower((unsigned char)b[j - 1]);
            int cost = ca == cb ? 0 : 1;
            int cell = up[j] + 1;
            if (cur[j - 1] + 1 < cell) cell = cur[j - 1] + 1;
            if (up[j - 1] + cost < cell) cell = up[j - 1] + cost;
            if (i > 1 && j > 1 && ca == lower((unsigned char)b[j - 2]) && lower((unsigned char)a[i - 2]) == cb) {
                int dd = r[(i - 2) % 3][j - 2] + 1;
                if (dd < cell) cell = dd;
            }
            if (cell < smallest) smallest = cell;
            cur[j] = cell;
        }
        if (smallest > threshold) return -1;
    }
    int d = r[al % 3][bl];
    return d <= threshold ? d : -1;
}

static bool is_digit(int c) { return c >= '0' && c <= '9'; }

/* naturalCompare: digit runs compare by value (as doubles, like JavaScript). */
static int natural_compare(const char *a, uint32_t al, const char *b, uint32_t bl) {
    uint32_t ai = 0, bi = 0;
    while (ai < al && bi < bl) {
        int ac = (unsigned char)a[ai], bc = (unsigned char)b[bi];
        if (is_digit(ac) && is_digit(bc)) {
            double an = 0, bn = 0;
            do {
                ++ai;
                an = an * 10 + (ac - '0');
                ac = ai < al ? (unsigned char)a[ai] : -1;
            } while (is_digit(ac) && an > 0);
            do {
                ++bi;
                bn = bn * 10 + (bc - '0');
                bc = bi < bl ? (unsigned char)b[bi] : -1;
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
    return (int)al - (int)bl;
}

typedef struct sugg {
    const char *s;
    uint32_t len;
    int dist;
} sugg;

static int sugg_cmp(const void *x, const void *y) {
    const sugg *a = x, *b = y;
    if (a->dist != b->dist) return a->dist - b->dist;
    return natural_compare(a->s, a->len, b->s, b->len);
}

const char *gql_did_you_mean(gql_arena *a, const char *input, uint32_t input_len, const char *const *options,
                             const uint32_t *option_lens, uint32_t n) {
    if (!n) return "";
    int threshold = (int)(input_len * 4 / 10) + 1;   /* Math.floor(length * 0.4) + 1 */
    int *rows = gql_arena_alloc(a, 3 * (input_len + 1) * sizeof(int) + 3 * sizeof(int));
    sugg *found = gql_arena_alloc(a, n * sizeof *found);
    uint32_t nf = 0;
    for (uint32_t i = 0; i < n; i++) {
        /* rows are sized for the input: measure indexes them by the shorter string */
        int d = lexical_distance(input, input_len, options[i], option_lens[i], threshold, rows);
        if (d < 0) continue;
        bool dup = false;   /* optionsByDistance is keyed by option */
        for (uint32_t k = 0; k < nf && !dup; k++)
            dup = found[k].len == option_lens[i] && memcmp(found[k].s, options[i], option_lens[i]) == 0;
        if (!dup) found[nf++] = (sugg){options[i], option_lens[i], d};
    }
    if (!nf) return "";
    qsort(found, nf, sizeof *found, sugg_cmp);
    gql_buf b;
    gql_buf_init(&b);
    gql_buf_puts(&b, " Did you mean ");
    uint32_t shown = nf > 5 ? 5 : nf;
    for (uint32_t i = 0; i < shown; i++) {
        if (i > 0) gql_buf_puts(&b, nf == 2 ? " or " : (i == shown - 1 ? ", or " : ", "));
        gql_buf_putc(&b, '"');
        gql_buf_append(&b, found[i].s, found[i].len);
        gql_buf_putc(&b, '"');
    }
    gql_buf_putc(&b, '?');
    const char *r = gql_arena_strndup(a, b.data, b.len);
    gql_buf_free(&b);
    return r;
}
