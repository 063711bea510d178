/*
 * mes.h: the GraphQL service of mesd, as the transports see it.
 *
 * It owns the API schema with its resolvers bound, a cache of prepared
 * documents, authentication, execution and subscriptions. The transports
 * (src/server: GraphQL over HTTP, both WebSocket protocols, SSE) speak only
 * to this header: they know bytes and framing, never the schema or the store.
 *
 * The contract
 * - Threads: every function here runs on the loop thread; every callback is
 *   called there.
 * - Queries run at once (reads take microseconds), or are answered from the
 *   answer cache (whole answers without errors, dropped at every commit
 *   before that commit's callbacks run, so no client is answered from
 *   before a commit it has been told of). A mutation runs in two
 *   passes around ONE write job: its root fields are planned (arguments
 *   checked and turned into writes) on the loop, the writes run in order on
 *   the store's writer thread inside one transaction (group commit shares its
 *   fsync with other requests), and only after the commit is the mutation
 *   executed for its answer, each root field returning what its write did.
 *   So a mutation is answered only once it is durable.
 * - Subscriptions are fed by the event bus (bus.c): an event reaches a
 *   subscriber only after its transaction committed; `afterSeq` replays the
 *   log and joins the live feed with no gap and no duplicate; subscribers
 *   with the same document, operation and variables share one execution per
 *   event (the bytes are produced once).
 * - Every error a client can cause is a GraphQL error object in the answer.
 */
#ifndef MES_H
#define MES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>
#include "gql.h"
#include "store.h"

typedef struct mes mes;

/* ---- configuration ------------------------------------------------------ */

typedef struct mes_config {
    uint32_t max_depth;          /* selection depth of an operation; over it: LIMIT_EXCEEDED. Default 20 */
    uint32_t max_aliases;        /* aliased fields in a document. Default 100 */
    uint32_t max_root_fields;    /* root fields of an operation. Default 50 */
    uint32_t max_tokens;         /* lexer tokens of a document (gql_parse_options). Default 20000 */
    size_t doc_cache_entries;    /* prepared documents kept (LRU). Default 1024 */
    size_t sub_max_pending;      /* bytes a subscriber may leave unsent before the bus ends it
                                    ("subscriber too slow; resume with afterSeq"). Default 4 MiB */
    uint32_t token_cache_ms;     /* how long a verified token is trusted without a read. Default 1000
                                    (a revoked token is refused within a second, cli.md) */
    /* The query response cache (cache.c): whole answers of queries that
       finished without errors, by document, operation, variables, role and
       station, all dropped at every commit. 0 entries disables it. */
    size_t query_cache_entries;  /* Default 4096 */
    size_t query_cache_bytes;    /* keys and answers together. Default 64 MiB */
    size_t query_cache_max_answer; /* a larger answer is not kept. Default 1 MiB */
    uint32_t max_read_passes;    /* passes a request may take when reads pend (store_reads); more
                                    is an internal error. Default 32 (a query of depth d takes d + 1) */
} mes_config;
void mes_config_defaults(mes_config *cfg);

/* Builds the schema from the embedded SDL, binds every resolver and scalar,
 * and connects the event bus to the store (store_set_listener). The store
 * must have been opened with this loop. NULL with a message in err. */
mes *mes_open(uv_loop_t *loop, store *st, const mes_config *cfg, char *err, size_t errlen);
/* Ends every subscription (sink->end with reason "server shutting down"),
 * releases the document cache. A mutation still with the writer is answered
 * when store_close drains it (store_close may come before or after this;
 * the service is freed once the last such mutation is answered). */
void mes_close(mes *m);
store *mes_store(mes *m);
gql_schema *mes_schema(mes *m);

/* ---- authentication ----------------------------------------------------- */

typedef enum mes_role { MES_ROLE_ADMIN, MES_ROLE_ERP, MES_ROLE_OPERATOR } mes_role;
const char *mes_role_name(mes_role r);               /* "admin", "erp", "operator" */
bool mes_role_parse(const char *name, mes_role *out);

typedef struct mes_principal {
    mes_role role;
    char token_id[STORE_TOKEN_ID_LEN + 1];
    char station_id[64];     /* the station an operator token is bound to; "" when none */
} mes_principal;

/* A presented token (the header's value, "Bearer " already stripped) checked
 * against the store, with a cache of at most token_cache_ms. */
bool mes_authenticate(mes *m, const char *token, size_t len, mes_principal *out);

/* ---- documents ---------------------------------------------------------- */

typedef struct mes_doc mes_doc;   /* a parsed and validated document, shared and cached by its text */

typedef enum mes_op_kind { MES_OP_QUERY, MES_OP_MUTATION, MES_OP_SUBSCRIPTION } mes_op_kind;

typedef enum mes_doc_error {
    MES_DOC_OK,
    MES_DOC_SYNTAX,       /* a syntax error */
    MES_DOC_INVALID,      /* validation errors (graphql-js's order), or a limit (LIMIT_EXCEEDED) */
} mes_doc_error;

/* The prepared document for a query text: from the cache, or parsed,
 * validated and checked against the limits now. On failure NULL, *why set,
 * and {"errors":[…]} written to errors_out. The caller holds a reference. */
mes_doc *mes_doc_get(mes *m, const char *text, size_t len, gql_buf *errors_out, mes_doc_error *why);
void mes_doc_retain(mes_doc *d);
void mes_doc_release(mes_doc *d);
/* The kind of the operation op_name (NULL: the only one) selects. -1 when
 * none does, with {"errors":[…]} written to errors_out ("Must provide
 * operation name if query contains multiple operations.", "Unknown operation
 * named \"x\".", "Must provide an operation."). */
int mes_doc_operation_kind(mes_doc *d, const char *op_name, gql_buf *errors_out);

/* ---- queries and mutations ---------------------------------------------- */

typedef struct mes_result {
    gql_exec_status status;  /* OK, FIELD_ERRORS or REQUEST_ERROR (e.g. variables that do not coerce) */
    const char *json;        /* the whole response object */
    size_t len;
} mes_result;
typedef void (*mes_done_fn)(void *user, const mes_result *r);

/* Runs the query or mutation op_name selects. done is called exactly once:
 * before this returns for a query (and for a mutation that plans no write),
 * after the commit for a mutation. The result lives until done returns.
 * op_name and variables are copied; the document is retained as needed. */
void mes_execute(mes *m, const mes_principal *who, mes_doc *doc, const char *op_name, const gql_val *variables,
                 mes_done_fn done, void *user);

/* ---- subscriptions ------------------------------------------------------ */

typedef struct mes_sub mes_sub;

typedef struct mes_sink {
    /* One event's result ({"data":…}, or {"errors":[…],"data":…}); json
     * lives until return. */
    void (*next)(void *user, const char *json, size_t len);
    /* The server ended the subscription: reason "server shutting down",
     * "subscriber too slow; resume with afterSeq", or NULL for a stream
     * that simply ended. The mes_sub is freed after this returns: do not call
     * mes_unsubscribe on it. */
    void (*end)(void *user, const char *reason);
    /* Bytes this subscriber's connection has not yet sent: past
     * sub_max_pending the bus ends it rather than buffer without bound. */
    size_t (*pending)(void *user);
} mes_sink;

/* Starts the subscription op_name selects (the transport has checked that
 * it is one). NULL on a request error, with {"errors":[…]} in errors_out.
 * Events (a replay first, with afterSeq) are delivered later from the loop,
 * never inside this call. op_name and variables are copied. */
mes_sub *mes_subscribe(mes *m, const mes_principal *who, mes_doc *doc, const char *op_name,
                       const gql_val *variables, const mes_sink *sink, void *user, gql_buf *errors_out);
/* The client stopped (or went away): no callback follows. */
void mes_unsubscribe(mes_sub *s);

/* ---- readiness, metrics, demo ------------------------------------------- */

typedef struct mes_metrics {
    uint64_t subscriptions;                       /* open now */
    uint64_t subscription_groups;                 /* distinct (document, operation, variables) open now */
    uint64_t events_published[STORE_STREAM_COUNT];/* events delivered to at least the bus, by stream */
    uint64_t subscribers_dropped_slow;
    uint64_t event_executions;                    /* selection sets executed on events (one per group and event live) */
    uint64_t doc_cache_hits, doc_cache_misses;
    uint64_t query_cache_hits, query_cache_misses;   /* queries answered from the response cache, or not */
    uint64_t query_cache_entries, query_cache_bytes;  /* held now */
    uint64_t query_cache_flushes;                     /* times a commit emptied it */
    uint64_t mutations, mutation_errors;
    uint64_t read_passes;                         /* executions in read passes (query: depth + 1 when reads pend) */
    /* webhooks: answers since start (2xx, anything else), rows in the
       outboxes and subscriptions marked failing, now */
    uint64_t webhook_delivered, webhook_failed, webhook_pending, webhook_failing;
} mes_metrics;
void mes_get_metrics(mes *m, mes_metrics *out);
/* Reads what mes_get_metrics reports from the database (the webhook
 * outbox's counts), then calls done: at once on SQLite, once the database
 * has answered on PostgreSQL (no read blocks the loop). */
void mes_metrics_refresh(mes *m, void (*done)(void *arg), void *arg);
/* "operations", "sub_operations", "completes", "notes", "work_orders" (the /metrics label) */
const char *mes_stream_name(store_stream s);

/* The demo factory (products, processes, stations), loaded when the
 * database has no operation yet; store opened without a loop. Sets *loaded. */
int mes_demo_load(store *st, bool *loaded, store_err *err);

/* ---- webhook delivery (webhook_delivery.c) ----
   Runs on the loop: reads the due outbox rows, POSTs them with libcurl's
   multi interface driven by the loop, and records each answer through a
   store write job. Pending rows are picked up at start (restart safety). */
typedef struct mes_hooks mes_hooks;
typedef struct mes_hooks_config {
    uint32_t max_per_host;      /* deliveries in flight per receiver host (default 8) */
    uint32_t scan_ms;           /* how often due rows are looked for (default 100): new events are
                                   sent at their commit, so this bounds how late a retry goes */
    /* --webhook-allow: receivers allowed, comma-separated host names, IP
       addresses and CIDR networks (checked against the address connected
       to, so a name that resolves elsewhere is caught); NULL: any */
    const char *allow;
} mes_hooks_config;
mes_hooks *mes_hooks_start(mes *m, uv_loop_t *loop, const mes_hooks_config *cfg, char *err, size_t errlen);
/* Aborts what is in flight (it stays in the outbox) and frees the engine once
 * its handles are closed and its store jobs are back. Before store_close. */
void mes_hooks_stop(mes_hooks *h);

#endif
