/*
 * store_reads.c: read sessions, the store's half of executing a request in
 * passes (store.h "read passes").
 *
 * A read is named by a key: a 64-bit hash of its function and parameters.
 * A session holds the keys whose results are available (fetched) and those
 * the current pass wanted. SQLite answers every read at once, so only the
 * simulation (store_set_read_passes) gives the gate anything to do: there a
 * read whose key was not fetched in this session pends, and a fetch marks
 * the wanted keys fetched from a timer callback, the shape of a real round
 * trip (done comes on a later loop turn, never inside the call). The
 * PostgreSQL backend keeps its wanted statements and their results in the
 * session's pg part (store_pg_reads.c).
 *
 * The loop is single-threaded and a pass is synchronous, so the store's
 * current session is one pointer, saved and restored if sessions nest.
 *
 * Must never: pend without a session, call done inside store_reads_fetch,
 * or touch a session after its done has run.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "store_internal.h"

/* PostgreSQL's reads pend for real: the simulation would only add passes. */
void store_set_read_passes(store *s, bool simulate) { s->simulate_passes = simulate && !s->pg; }

void store_reads_init(store_reads *r) { memset(r, 0, sizeof *r); }

void store_reads_free(store_reads *r) {
    pgs_session_free(r->pg);
    free(r->fetched);
    free(r->wanted);
    memset(r, 0, sizeof *r);
}

void store_reads_begin(store *s, store_reads *r) {
    r->passes++;
    r->outer = s->session;
    s->session = r;
    /* off the simulation nothing pends on SQLite: the gate stays a NULL test
     * (PostgreSQL's reads pend in pgs_read, by statement, not at the gate) */
    s->reads = s->simulate_passes ? r : NULL;
}

void store_reads_end(store *s, store_reads *r) {
    s->session = r->outer;
    s->reads = s->session && s->simulate_passes ? s->session : NULL;
    r->outer = NULL;
}

uint64_t store_reads_round(const store_reads *r) { return pgs_session_round(r->pg); }
void store_reads_set_floor(store_reads *r, uint64_t round) { pgs_session_set_floor(r->pg, round); }

size_t store_reads_misses(const store_reads *r) { return r->nwanted + pgs_session_misses(r->pg); }

bool store_reads_pending(const store_reads *r) { return r->nwanted > 0 || pgs_session_pending(r->pg); }

/* ---- keys ----------------------------------------------------------------- */

static uint64_t mix(uint64_t h, const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;   /* FNV-1a */
    return h;
}

static uint64_t mix_str(uint64_t h, const char *s) {
    if (!s) return mix(h, "\x01", 1);   /* NULL apart from "" */
    return mix(mix(h, s, strlen(s)), "\0", 1);
}

static uint64_t mix_i64(uint64_t h, int64_t v) { return mix(h, &v, sizeof v); }

static uint64_t mix_filter(uint64_t h, const store_filter *f) {
    if (!f) return mix(h, "\x02", 1);
    h = mix_i64(mix_i64(h, f->kind), f->op);
    h = mix_str(h, f->field);
    h = mix_i64(h, (int64_t)f->nvalues);
    for (size_t i = 0; i < f->nvalues; i++) h = mix_str(mix_i64(mix_i64(h, f->values[i].kind), f->values[i].i), f->values[i].s);
    h = mix_i64(h, (int64_t)f->nchildren);
    for (size_t i = 0; i < f->nchildren; i++) h = mix_filter(h, f->children[i]);
    return h;
}

static uint64_t key_of(const char *fn, const char *fmt, va_list ap) {
    uint64_t h = mix_str(1469598103934665603ull, fn);
    for (const char *c = fmt; *c; c++) {
        switch (*c) {
        case 's': h = mix_str(h, va_arg(ap, const char *)); break;
        case 'i': h = mix_i64(h, va_arg(ap, int64_t)); break;
        case 'b': h = mix_i64(h, va_arg(ap, int) != 0); break;
        case 'S': {
            const char *const *v = va_arg(ap, const char *const *);
            size_t n = va_arg(ap, size_t);
            h = mix_i64(h, (int64_t)n);
            for (size_t i = 0; i < n; i++) h = mix_str(h, v[i]);
            break;
        }
        case 'I': {
            const int64_t *v = va_arg(ap, const int64_t *);
            size_t n = va_arg(ap, size_t);
            h = mix(mix_i64(h, (int64_t)n), v, n * sizeof *v);
            break;
        }
        case 'B': {
            const void *v = va_arg(ap, const void *);
            size_t n = va_arg(ap, size_t);
            h = mix(mix_i64(h, v ? (int64_t)n : -1), v, v ? n : 0);
            break;
        }
        case 'f': h = mix_filter(h, va_arg(ap, const store_filter *)); break;
        default: abort();   /* a gate written wrong: caught by the first test that reads */
        }
    }
    return h ? h : 1;   /* 0 marks an empty slot */
}

/* ---- the fetched set ------------------------------------------------------ */

static bool set_has(const store_reads *r, uint64_t k) {
    if (!r->cap) return false;
    for (size_t i = k & (r->cap - 1); r->fetched[i]; i = (i + 1) & (r->cap - 1))
        if (r->fetched[i] == k) return true;
    return false;
}

static void set_add(store_reads *r, uint64_t k) {
    if (set_has(r, k)) return;
    if ((r->nfetched + 1) * 2 > r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        uint64_t *old = r->fetched, *t = calloc(cap, sizeof *t);
        if (!t) abort();
        for (size_t i = 0; i < r->cap; i++)
            if (old[i]) {
                size_t j = old[i] & (cap - 1);
                while (t[j]) j = (j + 1) & (cap - 1);
                t[j] = old[i];
            }
        free(old);
        r->fetched = t;
        r->cap = cap;
    }
    size_t i = k & (r->cap - 1);
    while (r->fetched[i]) i = (i + 1) & (r->cap - 1);
    r->fetched[i] = k;
    r->nfetched++;
}

bool store_reads_gate(store *s, store_err *err, const char *fn, const char *fmt, ...) {
    store_reads *r = s->reads;
    va_list ap;
    va_start(ap, fmt);
    uint64_t k = key_of(fn, fmt, ap);
    va_end(ap);
    if (set_has(r, k)) return false;
    if (r->nwanted == r->capw) {
        r->capw = r->capw ? r->capw * 2 : 16;
        r->wanted = realloc(r->wanted, r->capw * sizeof *r->wanted);
        if (!r->wanted) abort();
    }
    r->wanted[r->nwanted++] = k;
    store_set_err(err, STORE_PENDING, "%s: the read is pending", fn);
    return true;
}

/* ---- fetching --------------------------------------------------------------- */

typedef struct fetch {
    uv_timer_t timer;
    store_reads *r;
    store_done_fn done;
    void *arg;
    size_t n;   /* the wanted keys sent: those recorded after the call wait for the next fetch */
} fetch;

static void fetch_free(uv_handle_t *h) { free(h->data); }

static void fetch_arrived(uv_timer_t *t) {
    fetch *f = t->data;
    store_reads *r = f->r;
    for (size_t i = 0; i < f->n; i++) set_add(r, r->wanted[i]);
    if (r->nwanted > f->n) memmove(r->wanted, r->wanted + f->n, (r->nwanted - f->n) * sizeof *r->wanted);
    r->nwanted -= f->n;
    r->fetching = false;
    store_err ok = {0};
    store_done_fn done = f->done;
    void *arg = f->arg;
    uv_close((uv_handle_t *)t, fetch_free);
    done(arg, &ok);   /* last: it may free the session */
}

int store_reads_fetch(store *s, store_reads *r, store_done_fn done, void *arg) {
    if (r->fetching) return STORE_EINPUT;
    if (s->pg) return pgs_session_fetch(s, r, done, arg);
    fetch *f = malloc(sizeof *f);
    if (!f) abort();
    *f = (fetch){.r = r, .done = done, .arg = arg, .n = r->nwanted};
    uv_timer_init(s->loop, &f->timer);
    f->timer.data = f;
    r->fetching = true;
    uv_timer_start(&f->timer, fetch_arrived, 0, 0);
    return STORE_OK;
}
