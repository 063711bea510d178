/*
 * core.h: what the service core's files (mes.c, docs.c, exec.c, auth.c,
 * bus.c) share, never included by the domain or outside src/mes: the mes
 * struct itself, the document cache, the token cache, and the bus's entry
 * points for mes.c.
 *
 * Must never: hold anything a thread other than the loop's touches (the
 * writer thread only ever sees a mutation's own job and its arena).
 */
#ifndef MES_CORE_H
#define MES_CORE_H
#include "mes_internal.h"

/* ---- documents (docs.c) ---- */
typedef struct mes_docs {
    mes_doc **table;          /* hash chains, by text hash */
    size_t table_size;        /* a power of two */
    size_t count;             /* documents in the cache */
    mes_doc *lru_head, *lru_tail;   /* most recently used first */
    uint64_t next_serial;
} mes_docs;
void mes_docs_init(mes_docs *d, size_t entries);
void mes_docs_free(mes_docs *d);   /* drops the cache's references */
/* {"errors":[…]} into out (nothing when out is NULL). */
void mes_write_errors(gql_buf *out, const gql_errors *errs);
/* The document's prepared form (execution needs it). */
gql_prepared *mes_doc_prepared(const mes_doc *d);
/* A number no other document of this service has had or will have (an
 * address can be reused once a document is freed). */
uint64_t mes_doc_serial(const mes_doc *d);

/* ---- query answers (cache.c) ---- */
typedef struct mes_answer mes_answer;   /* one cached answer */
typedef struct mes_answers {
    mes_answer **table;       /* hash chains, by key hash */
    size_t table_size;        /* a power of two; 0: the cache is off */
    size_t count, bytes;
    mes_answer *lru_head, *lru_tail;   /* most recently used first */
    uint64_t commits;         /* store_commit_count when the entries were made */
    gql_buf key;              /* the key being looked up (no callback runs between get and put) */
    uint64_t key_hash, key_doc, key_commits;
    uint64_t hits, misses, flushes;
} mes_answers;
void mes_answers_init(mes_answers *c, size_t entries);
void mes_answers_free(mes_answers *c);
/* The cached answer of this query, pinned until mes_answer_unpin, or NULL
 * (a miss: the key is kept for mes_answers_put). */
mes_answer *mes_answers_get(mes *m, mes_doc *doc, const mes_principal *who, const char *op_name,
                            const gql_val *variables);
const char *mes_answer_json(const mes_answer *e, size_t *len);
void mes_answer_unpin(mes *m, mes_answer *e);
/* Keeps the answer of the query the last mes_answers_get missed (unless a
 * commit came since, or it breaks a bound). */
void mes_answers_put(mes *m, const char *json, size_t len);
/* Makes the key again for a query answered over several passes (another
 * query may have taken the key since its lookup); commits: the key's commit
 * count at that lookup, so a commit since then keeps the answer out. */
void mes_answers_rekey(mes *m, mes_doc *doc, const mes_principal *who, const char *op_name,
                       const gql_val *variables, uint64_t commits);

/* ---- tokens (auth.c) ---- */
typedef struct mes_auth_entry mes_auth_entry;
typedef struct mes_auth {
    mes_auth_entry *slots;    /* open addressing on the token text hash */
    size_t size, count;
} mes_auth;
void mes_auth_init(mes_auth *a);
void mes_auth_free(mes_auth *a);

/* ---- the event bus (bus.c) ---- */
typedef struct mes_bus mes_bus;
mes_bus *mes_bus_open(mes *m, char *err, size_t errlen);
/* Ends every subscription ("server shutting down") and frees the bus. */
void mes_bus_close(mes_bus *b);
void mes_bus_metrics(mes_bus *b, mes_metrics *out);

struct mes {
    uv_loop_t *loop;
    store *st;
    mes_config cfg;
    gql_schema *schema;
    mes_plan_fn *planners;    /* by Mutation field index */
    mes_docs docs;
    mes_answers answers;
    mes_auth auth;
    mes_bus *bus;
    mes_hooks *hooks;          /* the webhook engine, when one runs (mes_hooks_start) */
    /* one arena and output buffer reused by queries (they finish inside
       mes_execute); a query whose done callback runs another query takes
       fresh ones */
    gql_arena query_arena;
    gql_buf query_out;
    bool query_arena_busy;
    uint64_t doc_hits, doc_misses, mutations, mutation_errors;
    uint64_t read_passes;     /* executions of a query or a mutation's answer (store_reads) */
    /* mutations whose job is with the writer; mes_close before store_close
       leaves the service to them, and the last one frees it */
    uint32_t in_flight;
    bool closed;
};

/* Frees the service (mes.c); the bus is already gone. */
void mes_free(mes *m);

/* The hash of the core's tables (documents by text, tokens, subscription
 * groups): FNV-1a, 8 bytes a round. Not for secrets: entries are compared
 * whole after it. */
static inline uint64_t mes_hash(const char *s, size_t n, uint64_t seed) {
    uint64_t h = 1469598103934665603ull ^ seed;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        __builtin_memcpy(&w, s + i, 8);
        h = (h ^ w) * 1099511628211ull;
        h ^= h >> 29;
    }
    for (; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h ^ (uint64_t)n;
}

/* A deep copy of a JSON value into a (variables that must outlive the
 * caller's buffer). NULL stays NULL. */
gql_val *mes_val_copy(gql_arena *a, const gql_val *v);

#endif
