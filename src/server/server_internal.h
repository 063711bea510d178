/*
 * server_internal.h: what the transport files of src/server share. server.c
 * owns the listener and routes requests; http_graphql.c answers GraphQL over
 * HTTP; sse.c both graphql-sse modes; ws_transport.c graphql-transport-ws;
 * ws_legacy.c the legacy graphql-ws; endpoints.c /healthz, /readyz,
 * /metrics; params.c the request parameters; log.c the JSON log lines.
 */
#ifndef MESD_SERVER_INTERNAL_H
#define MESD_SERVER_INTERNAL_H
#include "server.h"

typedef enum server_transport {
    SRV_T_HTTP, SRV_T_SSE, SRV_T_WS, SRV_T_WS_LEGACY, SRV_T_COUNT
} server_transport;
const char *server_transport_name(server_transport t);   /* "http", "sse", "graphql-transport-ws", "graphql-ws" */

#define SRV_LATENCY_BUCKETS 12
typedef struct server_metrics {
    /* answers by transport and status class (index status/100) */
    uint64_t requests[SRV_T_COUNT][6];
    /* latency histogram of answered requests (HTTP) and operations (others), µs:
       le 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, +Inf */
    uint64_t latency[SRV_T_COUNT][SRV_LATENCY_BUCKETS];
    double latency_sum[SRV_T_COUNT];
    uint64_t subscriptions_open[SRV_T_COUNT];
} server_metrics;

struct sse_hub;   /* single-connection-mode reservations (sse.c) */

struct server {
    uv_loop_t *loop;
    mes *m;
    server_config cfg;
    net_server *net;
    net_listener *listener;
    server_metrics metrics;
    struct sse_hub *sse;
    bool shutting_down;
    void (*shutdown_done)(void *user);
    void *shutdown_user;
    /* GraphQL-over-HTTP executions mes has not answered yet. Past the
       shutdown deadline the listener may be gone before they are: the
       server is then freed by the last of them (server_exec_end). */
    uint32_t execs_pending;
    bool free_deferred;
};

/* An execution handed to mes (begin) and its answer (end). end returns
 * true when it freed the server (shut down meanwhile): touch it no more. */
void server_exec_begin(server *s);
bool server_exec_end(server *s);

/* Records one answered request or operation. */
void server_metric_done(server *s, server_transport t, int status, uint64_t started_us);
uint64_t server_now_us(void);

/* ---- authentication ---- */
/* The token a request carries: x-pico-api-org, or Authorization: Bearer.
 * NULL when none. */
const char *server_req_token(const net_req *r, size_t *len);
/* The token of a connection_init payload (x-pico-api-org, authorization
 * "Bearer …", token); NULL when none. */
const char *server_payload_token(const gql_val *payload, size_t *len);

/* ---- GraphQL request parameters (GraphQL over HTTP, WebSocket payloads) ---- */
typedef struct server_params {
    const char *query;              /* NULL: missing */
    size_t query_len;
    const char *operation_name;     /* NULL: none */
    const gql_val *variables;       /* NULL: none */
    const gql_val *extensions;      /* NULL: none */
} server_params;
/* From a JSON object's members; false with a message (for a 400) when a
 * member has the wrong type. */
bool server_params_from_json(const gql_val *obj, server_params *out, const char **err);
/* The standard errors body for a message: {"errors":[{"message":…}]} with
 * an optional extensions.code. */
void server_error_body(gql_buf *b, const char *message, const char *code);
/* The parameters of a GraphQL-over-HTTP request (GET: the query string;
 * POST: an application/json body), variables and extensions parsed into a.
 * false with the status (400, 415) and a message when the request is bad. */
bool server_read_params(const net_req *r, gql_arena *a, server_params *out, int *status, const char **msg);
/* The principal of a request's token; false when it has none or an unknown
 * one (the caller answers 401 with server_msg_unauthenticated). */
bool server_authenticate(server *s, const net_req *r, mes_principal *who);
extern const char server_msg_unauthenticated[];

/* ---- answers (http_graphql.c) ---- */
typedef enum server_media { SRV_MEDIA_GRAPHQL_RESPONSE, SRV_MEDIA_JSON } server_media;
const char *server_media_name(server_media m);   /* with "; charset=utf-8" */
/* Accept negotiation: graphql-response+json when accepted, else
 * application/json (also for no Accept, * / * and application/ *); false
 * when neither is acceptable (406). */
bool server_accept_media(const net_req *r, server_media *out);
/* The status of a request error (syntax, validation, variables): 400 with
 * graphql-response+json, 200 with application/json. */
int server_request_error_status(server_media m);
/* Sends an answer and records it in the metrics. */
void server_answer(server *s, net_req *r, server_transport t, uint64_t t0, int status, const char *ctype,
                   const char *body, size_t len);
/* The same with server_error_body(message, code) (401 adds WWW-Authenticate). */
void server_answer_error(server *s, net_req *r, server_transport t, uint64_t t0, int status, server_media m,
                         const char *message, const char *code);

/* ---- one GraphQL request over HTTP (http_graphql.c, both sse.c modes) ----
   Its parameters, prepared document and operation kind, and what they own. */
typedef struct server_request {
    gql_arena a;          /* the parameters' values */
    gql_buf errs;         /* the engine's errors body when doc or kind fails */
    server_params p;
    mes_doc *doc;         /* NULL: none (errs says why) */
    int kind;             /* MES_OP_*, or -1: no operation to run (errs says why) */
} server_request;
/* Reads r's parameters into q; false after answering the error (its status,
 * in media) with q already released. */
bool server_request_begin(server *s, net_req *r, server_transport t, uint64_t t0, server_media media,
                          server_request *q);
/* q->doc and q->kind for q's query and operation name. */
void server_request_prepare(server *s, server_request *q);
/* A mutation asked over GET: answered 405 (Allow: POST); true when it was. */
bool server_refuse_get_mutation(server *s, net_req *r, server_transport t, uint64_t t0, server_media media,
                                int kind);
void server_request_end(server_request *q);

/* ---- routing targets ---- */
void server_http_graphql(server *s, net_req *r);     /* http_graphql.c: GET/POST (not SSE) */
bool server_sse_wants(const net_req *r);             /* sse.c: Accept: text/event-stream, or single-conn mode */
void server_sse(server *s, net_req *r);              /* sse.c */
void server_ws_upgrade(server *s, net_req *r);       /* ws_transport.c: picks the subprotocol and hands over */
void server_ws_legacy_accept(server *s, net_req *r); /* ws_legacy.c */
void server_endpoint(server *s, net_req *r, const char *path);  /* endpoints.c: health, ready, metrics */
bool server_is_graphql_path(const char *path);       /* server.c: /graphql or /graph/v2 */
/* sse.c: the single-connection hub's life; shutdown ends every stream. */
void server_sse_init(server *s);
void server_sse_shutdown(server *s);
void server_sse_free(server *s);

/* ---- logs: one JSON object per line on stderr ---- */
typedef enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR } log_level;
void log_set_level(log_level min);
bool log_level_parse(const char *name, log_level *out);
/* fields: zero or more "key", value-string pairs, NULL-terminated. A key
 * starting with '#' writes its value as a JSON number (the key without the
 * '#'), e.g. "#port", "4000". */
void log_event(log_level level, const char *event, ...);
/* Whether a line of that level would be written (to skip building fields). */
bool log_enabled(log_level level);
/* net_handlers.on_log: net's lines go to the same stream. */
void log_net(void *user, const char *level, const char *event, const char *detail);

#endif
