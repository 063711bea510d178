/*
 * docs.c: prepared documents, cached by their text, and the limits a
 * document must keep (depth, aliases, root fields, tokens).
 *
 * A document is parsed and validated once; later requests with the same text
 * take it from the cache (a hash table plus an LRU list bounded by
 * doc_cache_entries). Documents are reference counted: the cache holds one
 * reference, every request, mutation in flight and subscription group holds
 * its own, so an evicted document lives on until its last user lets go.
 * A document that fails (syntax, validation, a limit) is not cached: its
 * errors are written again the next time, and a flood of distinct bad texts
 * cannot push good documents out.
 *
 * Must never: free a document someone still holds, report a limit before
 * validation (graphql-js's errors come first), or follow a fragment spread
 * more than once per fragment while measuring (fragments can fan out).
 */
#include <stdlib.h>
#include <string.h>
#include "core.h"

struct mes_doc {
    uint32_t refs;
    uint64_t hash;
    uint64_t serial;          /* never reused: names the document in the answer cache */
    gql_prepared *p;          /* its document holds the text (the cache key) */
    mes_doc *chain;           /* next in the hash bucket */
    mes_doc *lru_prev, *lru_next;
};

void mes_docs_init(mes_docs *d, size_t entries) {
    memset(d, 0, sizeof *d);
    size_t size = 16;
    while (size < entries * 2 && size < ((size_t)1 << 30)) size *= 2;
    d->table_size = size;
    d->table = calloc(size, sizeof *d->table);
    if (!d->table) abort();
}

gql_prepared *mes_doc_prepared(const mes_doc *d) { return d->p; }
uint64_t mes_doc_serial(const mes_doc *d) { return d->serial; }

void mes_doc_retain(mes_doc *d) { d->refs++; }

void mes_doc_release(mes_doc *d) {
    if (!d || --d->refs > 0) return;
    gql_prepared_free(d->p);
    free(d);
}

static void lru_unlink(mes_docs *c, mes_doc *d) {
    if (d->lru_prev) d->lru_prev->lru_next = d->lru_next;
    else c->lru_head = d->lru_next;
    if (d->lru_next) d->lru_next->lru_prev = d->lru_prev;
    else c->lru_tail = d->lru_prev;
    d->lru_prev = d->lru_next = NULL;
}

static void lru_push_front(mes_docs *c, mes_doc *d) {
    d->lru_prev = NULL;
    d->lru_next = c->lru_head;
    if (c->lru_head) c->lru_head->lru_prev = d;
    else c->lru_tail = d;
    c->lru_head = d;
}

/* Takes d out of the cache and drops the cache's reference. */
static void evict(mes_docs *c, mes_doc *d) {
    mes_doc **pp = &c->table[d->hash & (c->table_size - 1)];
    while (*pp != d) pp = &(*pp)->chain;
    *pp = d->chain;
    lru_unlink(c, d);
    c->count--;
    mes_doc_release(d);
}

void mes_docs_free(mes_docs *c) {
    while (c->lru_tail) evict(c, c->lru_tail);
    free(c->table);
    c->table = NULL;
}

/* ---- limits -------------------------------------------------------------- */

typedef struct measure {
    const gql_prepared *p;
    uint32_t *frag_depth;     /* per fragment: depth + 1 once known (0: not yet) */
    uint32_t *frag_fields;    /* per fragment: root-level field count + 1 once known */
} measure;

static uint32_t set_depth(measure *m, const gql_selection_set *set);

static uint32_t spread_depth(measure *m, const gql_selection *s) {
    int i = gql_prepared_fragment_index(m->p, s->name.value, s->name.len);
    if (i < 0) return 0;
    if (!m->frag_depth[i]) m->frag_depth[i] = set_depth(m, m->p->fragments[i]->selection_set) + 1;
    return m->frag_depth[i] - 1;
}

/* Fields nested in a selection set, through fragments (validation has ruled
 * out fragment cycles). */
static uint32_t set_depth(measure *m, const gql_selection_set *set) {
    uint32_t best = 0;
    for (uint32_t i = 0; set && i < set->count; i++) {
        const gql_selection *s = &set->items[i];
        uint32_t d = s->kind == GQL_FIELD            ? 1 + set_depth(m, s->selection_set)
                     : s->kind == GQL_FRAGMENT_SPREAD ? spread_depth(m, s)
                                                      : set_depth(m, s->selection_set);
        if (d > best) best = d;
    }
    return best;
}

static uint32_t sat_add(uint32_t a, uint32_t b) { return a > UINT32_MAX - b ? UINT32_MAX : a + b; }

/* Field nodes at the top level of a selection set, fragments expanded. */
static uint32_t set_fields(measure *m, const gql_selection_set *set) {
    uint32_t n = 0;
    for (uint32_t i = 0; set && i < set->count; i++) {
        const gql_selection *s = &set->items[i];
        if (s->kind == GQL_FIELD) {
            n = sat_add(n, 1);
        } else if (s->kind == GQL_INLINE_FRAGMENT) {
            n = sat_add(n, set_fields(m, s->selection_set));
        } else {
            int f = gql_prepared_fragment_index(m->p, s->name.value, s->name.len);
            if (f < 0) continue;
            if (!m->frag_fields[f])
                m->frag_fields[f] = sat_add(set_fields(m, m->p->fragments[f]->selection_set), 1);
            n = sat_add(n, m->frag_fields[f] - 1);
        }
    }
    return n;
}

/* Aliased fields written in the document (each node once, spreads not followed). */
static uint32_t set_aliases(const gql_selection_set *set) {
    uint32_t n = 0;
    for (uint32_t i = 0; set && i < set->count; i++) {
        const gql_selection *s = &set->items[i];
        if (s->kind == GQL_FIELD && s->has_alias) n++;
        if (s->kind != GQL_FRAGMENT_SPREAD) n = sat_add(n, set_aliases(s->selection_set));
    }
    return n;
}

static void limit_error(gql_errors *errs, const gql_definition *at, const char *fmt, uint32_t have, uint32_t max) {
    gql_error *e = gql_errors_add(errs, fmt, have, max);
    e->code = "LIMIT_EXCEEDED";
    if (at) gql_error_add_loc(errs, e, at->loc);
}

/* The first limit the document breaks, as an error in errs; false if none. */
static bool check_limits(const mes_config *cfg, const gql_prepared *p, gql_errors *errs) {
    measure m = {.p = p};
    m.frag_depth = gql_arena_calloc(errs->arena, (p->fragment_count + 1) * sizeof *m.frag_depth);
    m.frag_fields = gql_arena_calloc(errs->arena, (p->fragment_count + 1) * sizeof *m.frag_fields);
    uint32_t aliases = 0;
    for (uint32_t i = 0; i < p->operation_count; i++) aliases = sat_add(aliases, set_aliases(p->operations[i]->selection_set));
    for (uint32_t i = 0; i < p->fragment_count; i++) aliases = sat_add(aliases, set_aliases(p->fragments[i]->selection_set));
    if (cfg->max_aliases && aliases > cfg->max_aliases) {
        limit_error(errs, NULL, "The document has %u aliases, more than the limit of %u.", aliases, cfg->max_aliases);
        return true;
    }
    for (uint32_t i = 0; i < p->operation_count; i++) {
        const gql_definition *op = p->operations[i];
        uint32_t fields = set_fields(&m, op->selection_set);
        if (cfg->max_root_fields && fields > cfg->max_root_fields) {
            limit_error(errs, op, "The operation has %u root fields, more than the limit of %u.", fields,
                        cfg->max_root_fields);
            return true;
        }
        uint32_t depth = set_depth(&m, op->selection_set);
        if (cfg->max_depth && depth > cfg->max_depth) {
            limit_error(errs, op, "The operation's selections nest %u deep, more than the limit of %u.", depth,
                        cfg->max_depth);
            return true;
        }
    }
    return false;
}

/* ---- the cache ----------------------------------------------------------- */

void mes_write_errors(gql_buf *out, const gql_errors *errs) {
    if (!out) return;
    gql_buf_puts(out, "{\"errors\":");
    gql_errors_write_json(out, errs);
    gql_buf_putc(out, '}');
}

mes_doc *mes_doc_get(mes *m, const char *text, size_t len, gql_buf *errors_out, mes_doc_error *why) {
    mes_docs *c = &m->docs;
    uint64_t h = mes_hash(text, len, 0);
    for (mes_doc *d = c->table[h & (c->table_size - 1)]; d; d = d->chain) {
        const gql_document *doc = d->p->doc;
        if (d->hash == h && doc->source_len == len && memcmp(doc->source, text, len) == 0) {
            m->doc_hits++;
            lru_unlink(c, d);
            lru_push_front(c, d);
            d->refs++;
            if (why) *why = MES_DOC_OK;
            return d;
        }
    }
    m->doc_misses++;
    gql_arena a;
    gql_arena_init(&a, 0);
    gql_errors errs;
    gql_errors_init(&errs, &a);
    gql_prepare_options opts = {.parse = {.max_tokens = m->cfg.max_tokens}};
    bool syntax = false;
    gql_prepared *p = len > UINT32_MAX ? NULL : gql_prepare(m->schema, text, len, &opts, &errs, &syntax);
    if (!p && len > UINT32_MAX) {
        gql_errors_add_msg(&errs, "The document is too large.")->code = "LIMIT_EXCEEDED";
        syntax = true;
    }
    if (p && check_limits(&m->cfg, p, &errs)) {
        gql_prepared_free(p);
        p = NULL;
    }
    if (!p) {
        /* graphql-js's token limit is a syntax error; it is a limit all the same */
        if (syntax && errs.head && strstr(errs.head->message, "tokens. Parsing aborted.")) errs.head->code = "LIMIT_EXCEEDED";
        mes_write_errors(errors_out, &errs);
        if (why) *why = syntax ? MES_DOC_SYNTAX : MES_DOC_INVALID;
        gql_arena_free(&a);
        return NULL;
    }
    gql_arena_free(&a);
    mes_doc *d = calloc(1, sizeof *d);
    if (!d) abort();
    d->p = p;
    d->hash = h;
    d->serial = ++c->next_serial;
    d->refs = 1;
    if (why) *why = MES_DOC_OK;
    if (m->cfg.doc_cache_entries == 0) return d;
    d->refs++;   /* the cache's */
    mes_doc **bucket = &c->table[h & (c->table_size - 1)];
    d->chain = *bucket;
    *bucket = d;
    lru_push_front(c, d);
    if (++c->count > m->cfg.doc_cache_entries) evict(c, c->lru_tail);
    return d;
}

int mes_doc_operation_kind(mes_doc *d, const char *op_name, gql_buf *errors_out) {
    gql_arena a;
    gql_arena_init(&a, 256);
    const char *err = NULL;
    const gql_definition *op = gql_select_operation(d->p, op_name, &a, &err);
    int kind = -1;
    if (op) {
        kind = op->operation == GQL_OP_QUERY ? MES_OP_QUERY : op->operation == GQL_OP_MUTATION ? MES_OP_MUTATION
                                                                                             : MES_OP_SUBSCRIPTION;
    } else {
        gql_errors errs;
        gql_errors_init(&errs, &a);
        gql_errors_add_msg(&errs, err);
        mes_write_errors(errors_out, &errs);
    }
    gql_arena_free(&a);
    return kind;
}
