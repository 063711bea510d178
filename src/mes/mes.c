/*
 * mes.c: the service's life (open, close), its configuration and metrics.
 *
 * mes_open builds the schema from the embedded SDL, lets the domain bind its
 * resolvers, scalars and mutation planners, and connects the event bus to
 * the store. Everything else lives in its own file: docs.c (documents),
 * exec.c (queries and mutations), cache.c (query answers), auth.c (tokens),
 * bus.c (subscriptions).
 *
 * Must never: free what a subscription or a mutation in flight still uses
 * (the bus ends subscriptions first; the store is closed before this).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core.h"
#include "mes_schema.h"

void mes_config_defaults(mes_config *cfg) {
    *cfg = (mes_config){
        .max_depth = 20,
        .max_aliases = 100,
        .max_root_fields = 50,
        .max_tokens = 20000,
        .doc_cache_entries = 1024,
        .sub_max_pending = 4u << 20,
        .token_cache_ms = 1000,
        .query_cache_entries = 4096,
        .query_cache_bytes = 64u << 20,
        .query_cache_max_answer = 1u << 20,
        .max_read_passes = 32,
    };
}

void mes_free(mes *m) {
    mes_answers_free(&m->answers);
    mes_docs_free(&m->docs);
    mes_auth_free(&m->auth);
    gql_arena_free(&m->query_arena);
    gql_buf_free(&m->query_out);
    gql_schema_free(m->schema);
    free(m->planners);
    free(m);
}

static void free_parts(mes *m) {
    if (m->bus) mes_bus_close(m->bus);
    m->bus = NULL;
    mes_free(m);
}

mes *mes_open(uv_loop_t *loop, store *st, const mes_config *cfg, char *err, size_t errlen) {
    mes *m = calloc(1, sizeof *m);
    if (!m) abort();
    m->loop = loop;
    m->st = st;
    if (cfg) m->cfg = *cfg;
    else mes_config_defaults(&m->cfg);
    mes_docs_init(&m->docs, m->cfg.doc_cache_entries);
    mes_answers_init(&m->answers, m->cfg.query_cache_entries);
    mes_auth_init(&m->auth);
    gql_arena_init(&m->query_arena, 16384);
    gql_buf_init(&m->query_out);

    gql_arena a;
    gql_arena_init(&a, 0);
    gql_errors errs;
    gql_errors_init(&errs, &a);
    m->schema = gql_schema_build((const char *)mes_schema_sdl, mes_schema_sdl_len, &errs);
    if (!m->schema) {
        snprintf(err, errlen, "the API schema does not build: %s", errs.head ? errs.head->message : "?");
        gql_arena_free(&a);
        free_parts(m);
        return NULL;
    }
    gql_arena_free(&a);
    uint32_t nmut = m->schema->mutation ? m->schema->mutation->field_count : 0;
    m->planners = calloc(nmut + 1, sizeof *m->planners);
    if (!m->planners) abort();
    if (!mes_bind_domain(m, m->schema, err, errlen) || !(m->bus = mes_bus_open(m, err, errlen))) {
        free_parts(m);
        return NULL;
    }
    return m;
}

/* Subscriptions end now. A mutation still with the writer (a server that
 * closes the service before the store) is answered when store_close drains
 * the writer: the schema and documents it needs stay until then. */
void mes_close(mes *m) {
    if (!m) return;
    if (m->bus) mes_bus_close(m->bus);
    m->bus = NULL;
    m->closed = true;
    if (m->in_flight == 0) mes_free(m);
}

store *mes_store(mes *m) { return m->st; }
gql_schema *mes_schema(mes *m) { return m->schema; }

void mes_get_metrics(mes *m, mes_metrics *out) {
    memset(out, 0, sizeof *out);
    mes_bus_metrics(m->bus, out);
    out->doc_cache_hits = m->doc_hits;
    out->doc_cache_misses = m->doc_misses;
    out->query_cache_hits = m->answers.hits;
    out->query_cache_misses = m->answers.misses;
    out->query_cache_entries = m->answers.count;
    out->query_cache_bytes = m->answers.bytes;
    out->query_cache_flushes = m->answers.flushes;
    out->mutations = m->mutations;
    out->mutation_errors = m->mutation_errors;
    out->read_passes = m->read_passes;
    mes_hooks_fill_metrics(m->hooks, m->st, out);
}

void mes_set_hooks(mes *m, mes_hooks *h) { m->hooks = h; }

void mes_metrics_refresh(mes *m, void (*done)(void *arg), void *arg) { mes_hooks_count(m->hooks, done, arg); }

const char *mes_stream_name(store_stream s) {
    static const char *const names[STORE_STREAM_COUNT] = {"operations", "sub_operations", "completes", "notes",
                                                            "work_orders"};
    return (unsigned)s < STORE_STREAM_COUNT ? names[s] : "unknown";
}
