/*
 * validate_util.c: the validation rules' plumbing: hash maps keyed by pairs of
 * words, name interning, printing for messages, and graphql-js's suggestion
 * helpers ported exactly: suggestionList (lexical distance with transpositions,
 * threshold 40% of the input), didYouMean (at most 5, "a", "b", or "c") and
 * naturalCompare (digit runs compared as numbers).
 */
#include <stdlib.h>
#include <string.h>
#include "print.h"
#include "validate_internal.h"

/* ---- vmap ------------------------------------------------------------------ */

static uint64_t mix(uint64_t a, uint64_t b)
{
    uint64_t h = a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull + (a << 6) + (a >> 2));
    h ^= h >> 31;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 29;
    return h;
}

void *vmap_get(const vmap *m, uint64_t a, uint64_t b)
{
    if (m->cap == 0)
        return NULL;
    uint32_t mask = m->cap - 1;
    for (uint32_t i = (uint32_t)mix(a, b) & mask;; i = (i + 1) & mask) {
        const vmap_ent *e = &m->ents[i];
        if (!e->used)
            return NULL;
        if (e->a == a && e->b == b)
            return e->val;
    }
}

static void vmap_grow(vctx *v, vmap *m)
{
    uint32_t ncap = m->cap ? m->cap * 2 : 16;
    vmap_ent *old = m->ents;
    uint32_t ocap = m->cap;
    m->ents = gql_arena_calloc(&v->arena, (size_t)ncap * sizeof *m->ents);
    m->cap = ncap;
    uint32_t mask = ncap - 1;
    for (uint32_t j = 0; j < ocap; j++) {
        if (!old[j].used)
            continue;
        uint32_t i = (uint32_t)mix(old[j].a, old[j].b) & mask;
        while (m->ents[i].used)
            i = (i + 1) & mask;
        m->ents[i] = old[j];
    }
}

void **vmap_slot(vctx *v, vmap *m, uint64_t a, uint64_t b, bool *existed)
{
    if ((m->count + 1) * 2 > m->cap)
        vmap_grow(v, m);
    uint32_t mask = m->cap - 1;
    for (uint32_t i = (uint32_t)mix(a, b) & mask;; i = (i + 1) & mask) {
        vmap_ent *e = &m->ents[i];
        if (!e->used) {
            e->used = true;
            e->a = a;
            e->b = b;
            e->val = NULL;
            m->count++;
            if (existed)
                *existed = false;
            return &e->val;
        }
        if (e->a == a && e->b == b) {
            if (existed)
                *existed = true;
            return &e->val;
        }
    }
}

/* ---- names ----------------------------------------------------------------- */

static uint32_t str_hash(const char *s, uint32_t len)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

uint32_t v_intern(vctx *v, const char *s, uint32_t len)
{
    vstrtab *t = &v->names;
    if ((t->count + 1) * 2 > t->cap) {
        uint32_t ncap = t->cap ? t->cap * 2 : 64;
        uint32_t *slots = gql_arena_calloc(&v->arena, (size_t)ncap * sizeof *slots);
        for (uint32_t j = 0; j < t->cap; j++) {
            if (!t->slots[j])
                continue;
            uint32_t id = t->slots[j] - 1;
            uint32_t i = str_hash(t->strs[id], t->lens[id]) & (ncap - 1);
            while (slots[i])
                i = (i + 1) & (ncap - 1);
            slots[i] = id + 1;
        }
        t->slots = slots;
        t->cap = ncap;
    }
    uint32_t mask = t->cap - 1;
    uint32_t i = str_hash(s, len) & mask;
    for (; t->slots[i]; i = (i + 1) & mask) {
        uint32_t id = t->slots[i] - 1;
        if (t->lens[id] == len && memcmp(t->strs[id], s, len) == 0)
            return id;
    }
    if (t->count == t->strs_cap) {
        uint32_t ncap = t->strs_cap ? t->strs_cap * 2 : 64;
        t->strs = gql_arena_grow(&v->arena, t->strs, t->strs_cap, ncap, sizeof *t->strs);
        t->lens = gql_arena_grow(&v->arena, t->lens, t->strs_cap, ncap, sizeof *t->lens);
        t->strs_cap = ncap;
    }
    uint32_t id = t->count++;
    t->strs[id] = s;
    t->lens[id] = len;
    t->slots[i] = id + 1;
    return id;
}

/* ---- strings --------------------------------------------------------------- */

const char *v_type_str(vctx *v, const gql_type *t)
{
    return gql_type_str(&v->arena, t);
}

const char *v_value_str(vctx *v, const gql_value_node *n)
{
    return gql_print_value_node_str(&v->arena, n);
}

const char *v_type_node_str(vctx *v, const gql_type_node *t)
{
    gql_buf b;
    gql_buf_init(&b);
    gql_print_type_node(&b, t);
    const char *s = gql_arena_strndup(&v->arena, b.data ? b.data : "", b.len);
    gql_buf_free(&b);
    return s;
}

bool v_name_eq(const gql_name *n, const char *s)
{
    size_t len = strlen(s);
    return n->len == len && memcmp(n->value, s, len) == 0;
}

/* ---- naturalCompare -------------------------------------------------------- */

static bool is_digit(int c) { return c >= '0' && c <= '9'; }

int v_natural_compare(const char *a, const char *b)
{
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
            if (an < bn)
                return -1;
            if (an > bn)
                return 1;
        } else {
            if (ac < bc)
                return -1;
            if (ac > bc)
                return 1;
            ++ai;
            ++bi;
        }
    }
    return al < bl ? -1 : al > bl ? 1 : 0;
}

/* ---- suggestionList -------------------------------------------------------- */

/* UTF-8 to UTF-16 code units (JavaScript string length and charCodeAt). */
static uint32_t to_utf16(vctx *v, const char *s, size_t len, uint16_t **out)
{
    uint16_t *u = gql_arena_alloc(&v->arena, (len + 1) * sizeof *u);
    uint32_t n = 0;
    for (size_t i = 0; i < len;) {
        unsigned c = (unsigned char)s[i];
        uint32_t cp;
        size_t k;
        if (c < 0x80) { cp = c; k = 1; }
        else if ((c & 0xE0) == 0xC0 && i + 1 < len) { cp = ((c & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu); k = 2; }
        else if ((c & 0xF0) == 0xE0 && i + 2 < len) { cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu); k = 3; }
        else if ((c & 0xF8) == 0xF0 && i + 3 < len) {
            cp = ((c & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) | (s[i + 3] & 0x3Fu);
            k = 4;
        } else { cp = 0xFFFD; k = 1; }
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

static void lower16(uint16_t *s, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (s[i] >= 'A' && s[i] <= 'Z')
            s[i] = (uint16_t)(s[i] + 32);
}

typedef struct lexdist {
    const uint16_t *input;
    uint32_t input_len;
    const uint16_t *input_lower;
    uint32_t *rows[3];
    uint32_t rows_cap;   /* rows hold rows_cap cells: sized to the shorter string, on demand */
} lexdist;

static bool eq16(const uint16_t *a, uint32_t an, const uint16_t *b, uint32_t bn)
{
    return an == bn && (an == 0 || memcmp(a, b, an * sizeof *a) == 0);
}

static uint32_t min3(uint32_t a, uint32_t b, uint32_t c)
{
    uint32_t m = a < b ? a : b;
    return m < c ? m : c;
}

/* LexicalDistance.measure: -1 for "undefined" (farther than threshold). */
static int64_t lex_measure(vctx *v, lexdist *ld, const char *option, uint32_t threshold)
{
    uint16_t *opt;
    uint32_t on = to_utf16(v, option, strlen(option), &opt);
    if (eq16(ld->input, ld->input_len, opt, on))
        return 0;
    lower16(opt, on);
    if (eq16(ld->input_lower, ld->input_len, opt, on))
        return 1;
    const uint16_t *a = opt, *b = ld->input_lower;
    uint32_t al = on, bl = ld->input_len;
    if (al < bl) {
        const uint16_t *t = a; a = b; b = t;
        uint32_t tl = al; al = bl; bl = tl;
    }
    if (al - bl > threshold)
        return -1;
    if (bl + 1 > ld->rows_cap) {
        ld->rows_cap = bl + 1;
        for (int r = 0; r < 3; r++)
            ld->rows[r] = gql_arena_alloc(&v->arena, ld->rows_cap * sizeof(uint32_t));
    }
    uint32_t **rows = ld->rows;
    for (uint32_t j = 0; j <= bl; j++)
        rows[0][j] = j;
    for (uint32_t i = 1; i <= al; i++) {
        uint32_t *up = rows[(i - 1) % 3], *cur = rows[i % 3];
        uint32_t smallest = cur[0] = i;
        for (uint32_t j = 1; j <= bl; j++) {
            uint32_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            uint32_t cell = min3(up[j] + 1, cur[j - 1] + 1, up[j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                uint32_t dd = rows[(i - 2) % 3][j - 2] + 1;
                if (dd < cell)
                    cell = dd;
            }
            if (cell < smallest)
                smallest = cell;
            cur[j] = cell;
        }
        if (smallest > threshold)
            return -1;
    }
    uint32_t d = rows[al % 3][bl];
    return d <= threshold ? (int64_t)d : -1;
}

typedef struct scored {
    const char *s;
    uint32_t d;
} scored;

static int scored_cmp(const scored *x, const scored *y)
{
    if (x->d != y->d)
        return x->d < y->d ? -1 : 1;
    return v_natural_compare(x->s, y->s);
}

/* Stable merge sort (Array.prototype.sort is stable). */
static void sort_scored(scored *a, scored *tmp, uint32_t n)
{
    if (n < 2)
        return;
    uint32_t h = n / 2;
    sort_scored(a, tmp, h);
    sort_scored(a + h, tmp, n - h);
    uint32_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = scored_cmp(&a[j], &a[i]) < 0 ? a[j++] : a[i++];
    while (i < h)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof *a);
}

uint32_t v_suggestion_list(vctx *v, const char *input, size_t input_len, const char *const *options,
                           uint32_t n, const char ***out)
{
    lexdist ld;
    uint16_t *in;
    ld.input_len = to_utf16(v, input, input_len, &in);
    ld.input = in;
    uint16_t *low = gql_arena_alloc(&v->arena, (ld.input_len + 1) * sizeof *low);
    if (ld.input_len)
        memcpy(low, in, ld.input_len * sizeof *low);
    lower16(low, ld.input_len);
    ld.input_lower = low;
    ld.rows_cap = 0;
    uint32_t threshold = (uint32_t)(ld.input_len * 0.4) + 1;

    scored *found = gql_arena_alloc(&v->arena, (n ? n : 1) * sizeof *found);
    uint32_t count = 0;
    vmap seen = {0};
    for (uint32_t i = 0; i < n; i++) {
        int64_t d = lex_measure(v, &ld, options[i], threshold);
        if (d < 0)
            continue;
        bool existed;
        void **slot = vmap_slot(v, &seen, v_intern(v, options[i], (uint32_t)strlen(options[i])), 0, &existed);
        if (existed)
            continue;   /* the same distance again: an object key set twice */
        *slot = (void *)1;
        found[count].s = options[i];
        found[count].d = (uint32_t)d;
        count++;
    }
    scored *tmp = gql_arena_alloc(&v->arena, (count ? count : 1) * sizeof *tmp);
    sort_scored(found, tmp, count);
    const char **res = gql_arena_alloc(&v->arena, (count ? count : 1) * sizeof *res);
    for (uint32_t i = 0; i < count; i++)
        res[i] = found[i].s;
    *out = res;
    return count;
}

void v_did_you_mean(gql_buf *b, const char *sub, const char *const *s, uint32_t n)
{
    if (n == 0)
        return;
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
        for (uint32_t i = 0; i + 1 < m; i++)
            gql_buf_printf(b, "\"%s\", ", s[i]);
        gql_buf_printf(b, "or \"%s\"?", s[m - 1]);
    }
}
