/*
 * cache.c: the query response cache. Whole answers ({"data":…}, bytes) of
 * queries that finished without errors, keyed by the prepared document, the
 * operation name, the variables (written canonically: object members sorted
 * by name) and the principal's role and station. A hit is answered with the
 * kept bytes, nothing executed.
 *
 * Freshness: every entry is dropped as soon as the store has committed ANY
 * transaction since the entries were made (store_commit_count grows before
 * a commit's callbacks run, so a mutation's answer, an event or a deploy's
 * reply always reaches a client after the cache forgot what that commit
 * changed). An answer whose execution saw a commit start is not kept.
 * Bounded: query_cache_entries, query_cache_bytes (keys and answers),
 * query_cache_max_answer per answer; least recently used first out.
 *
 * Must never: keep an answer with errors, a mutation's, or one older than a
 * commit; free an entry whose bytes a done callback is reading (entries are
 * pinned while they are handed out); hold a document (an entry names its
 * document by serial, so the document cache alone bounds documents).
 */
#include <stdlib.h>
#include <string.h>
#include "core.h"

struct mes_answer {
    mes_answer *chain;             /* next in the hash bucket */
    mes_answer *lru_prev, *lru_next;
    uint64_t hash;
    uint64_t doc;                  /* the document's serial (mes_doc_serial) */
    uint32_t refs;                 /* the cache's (while in it) and each pin */
    size_t key_len, len, size;     /* size: what counts against query_cache_bytes */
    char data[];                   /* key bytes, then the answer */
};

void mes_answers_init(mes_answers *c, size_t entries) {
    memset(c, 0, sizeof *c);
    gql_buf_init(&c->key);
    if (entries == 0) return;
    size_t size = 16;
    while (size < entries * 2 && size < ((size_t)1 << 24)) size *= 2;
    c->table_size = size;
    c->table = calloc(size, sizeof *c->table);
    if (!c->table) abort();
}

static void answer_release(mes_answer *e) {
    if (--e->refs == 0) free(e);
}

static void lru_unlink(mes_answers *c, mes_answer *e) {
    if (e->lru_prev) e->lru_prev->lru_next = e->lru_next;
    else c->lru_head = e->lru_next;
    if (e->lru_next) e->lru_next->lru_prev = e->lru_prev;
    else c->lru_tail = e->lru_prev;
    e->lru_prev = e->lru_next = NULL;
}

static void lru_push_front(mes_answers *c, mes_answer *e) {
    e->lru_prev = NULL;
    e->lru_next = c->lru_head;
    if (c->lru_head) c->lru_head->lru_prev = e;
    else c->lru_tail = e;
    c->lru_head = e;
}

/* Out of the table and the LRU list; freed once nobody has it pinned. */
static void evict(mes_answers *c, mes_answer *e) {
    mes_answer **pp = &c->table[e->hash & (c->table_size - 1)];
    while (*pp != e) pp = &(*pp)->chain;
    *pp = e->chain;
    lru_unlink(c, e);
    c->count--;
    c->bytes -= e->size;
    answer_release(e);
}

static void flush(mes_answers *c) {
    if (c->count) c->flushes++;
    while (c->lru_tail) evict(c, c->lru_tail);
}

void mes_answers_free(mes_answers *c) {
    if (c->table) flush(c);
    free(c->table);
    c->table = NULL;
    gql_buf_free(&c->key);
}

/* ---- the key ------------------------------------------------------------- */

static int member_order(const void *x, const void *y) {
    const gql_member *a = *(const gql_member *const *)x, *b = *(const gql_member *const *)y;
    size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
    int d = memcmp(a->key, b->key, n);
    if (d) return d;
    if (a->key_len != b->key_len) return a->key_len < b->key_len ? -1 : 1;
    return a < b ? -1 : a > b;   /* members are one array: equal names keep their order */
}

/* The variables as JSON with every object's members sorted by name, so two
 * requests that differ only in member order share an entry. */
static void write_canonical(gql_buf *b, const gql_val *v) {
    switch (v->kind) {
    case GQL_V_LIST:
        gql_buf_putc(b, '[');
        for (uint32_t i = 0; i < v->u.list.count; i++) {
            if (i) gql_buf_putc(b, ',');
            write_canonical(b, v->u.list.items[i]);
        }
        gql_buf_putc(b, ']');
        break;
    case GQL_V_OBJECT: {
        uint32_t n = v->u.obj.count;
        const gql_member **sorted = malloc((n ? n : 1) * sizeof *sorted);
        if (!sorted) abort();
        for (uint32_t i = 0; i < n; i++) sorted[i] = &v->u.obj.members[i];
        qsort(sorted, n, sizeof *sorted, member_order);
        gql_buf_putc(b, '{');
        for (uint32_t i = 0; i < n; i++) {
            if (i) gql_buf_putc(b, ',');
            gql_json_write_string(b, sorted[i]->key, sorted[i]->key_len);
            gql_buf_putc(b, ':');
            write_canonical(b, sorted[i]->value);
        }
        gql_buf_putc(b, '}');
        free(sorted);
        break;
    }
    case GQL_V_ENUM:   /* not from JSON; kept apart from a string of the same name */
        gql_buf_putc(b, '!');
        gql_json_write_string(b, v->u.str.s, v->u.str.len);
        break;
    default: gql_json_write_val(b, v); break;
    }
}

static void make_key(mes_answers *c, mes_doc *doc, const mes_principal *who, const char *op_name,
                     const gql_val *variables) {
    gql_buf *k = &c->key;
    k->len = 0;
    /* no principal (mes_may refuses it everything) is a key of its own */
    if (who) gql_buf_printf(k, "%d\x1f%s\x1f", (int)who->role, who->station_id);
    else gql_buf_puts(k, "-\x1f\x1f");
    if (op_name) gql_buf_puts(k, op_name);
    else gql_buf_putc(k, '\x1e');   /* no name apart from the name "" */
    gql_buf_putc(k, '\x1f');
    if (variables) write_canonical(k, variables);
    c->key_doc = mes_doc_serial(doc);
    c->key_hash = mes_hash(k->data, k->len, c->key_doc);
}

/* ---- lookups ------------------------------------------------------------- */

mes_answer *mes_answers_get(mes *m, mes_doc *doc, const mes_principal *who, const char *op_name,
                            const gql_val *variables) {
    mes_answers *c = &m->answers;
    if (!c->table) return NULL;
    uint64_t commits = store_commit_count(m->st);
    if (commits != c->commits) {
        flush(c);
        c->commits = commits;
    }
    c->key_commits = commits;
    make_key(c, doc, who, op_name, variables);
    for (mes_answer *e = c->table[c->key_hash & (c->table_size - 1)]; e; e = e->chain) {
        if (e->hash == c->key_hash && e->doc == c->key_doc && e->key_len == c->key.len &&
            memcmp(e->data, c->key.data, e->key_len) == 0) {
            c->hits++;
            lru_unlink(c, e);
            lru_push_front(c, e);
            e->refs++;
            return e;
        }
    }
    c->misses++;
    return NULL;
}

void mes_answers_rekey(mes *m, mes_doc *doc, const mes_principal *who, const char *op_name,
                       const gql_val *variables, uint64_t commits) {
    mes_answers *c = &m->answers;
    if (!c->table) return;
    make_key(c, doc, who, op_name, variables);
    c->key_commits = commits;
}

const char *mes_answer_json(const mes_answer *e, size_t *len) {
    *len = e->len;
    return e->data + e->key_len;
}

void mes_answer_unpin(mes *m, mes_answer *e) {
    (void)m;
    answer_release(e);
}

void mes_answers_put(mes *m, const char *json, size_t len) {
    mes_answers *c = &m->answers;
    if (!c->table) return;
    /* a commit during the execution (or since the lookup): the answer may
       mix both sides of it */
    if (store_commit_count(m->st) != c->key_commits || c->key_commits != c->commits) return;
    size_t size = sizeof(mes_answer) + c->key.len + len;
    if (len > m->cfg.query_cache_max_answer || size > m->cfg.query_cache_bytes) return;
    mes_answer *e = malloc(size);
    if (!e) abort();
    *e = (mes_answer){.hash = c->key_hash, .doc = c->key_doc, .refs = 1, .key_len = c->key.len,
                      .len = len, .size = size};
    memcpy(e->data, c->key.data, c->key.len);
    memcpy(e->data + c->key.len, json, len);
    mes_answer **bucket = &c->table[e->hash & (c->table_size - 1)];
    e->chain = *bucket;
    *bucket = e;
    lru_push_front(c, e);
    c->count++;
    c->bytes += size;
    while (c->count > m->cfg.query_cache_entries || c->bytes > m->cfg.query_cache_bytes) evict(c, c->lru_tail);
}
