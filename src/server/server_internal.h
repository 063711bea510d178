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
};

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

/* ---- routing targets ---- */
void server_http_graphql(server *s, net_req *r);     /* http_graphql.c: GET/POST (not SSE) */
bool server_sse_wants(const net_req *r);             /* sse.c: Accept: text/event-stream, or single-conn mode */
void server_sse(server *s, net_req *r);              /* sse.c */
void server_ws_upgrade(server *s, net_req *r);       /* ws_transport.c: picks the subprotocol and hands over */
void server_ws_legacy_accept(server *s, net_req *r); /* ws_legacy.c */
void server_endpoint(server *s, net_req *r, const char *path);  /* endpoints.c: health, ready, metrics */

/* ---- logs: one JSON object per line on stderr ---- */
typedef enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR } log_level;
void log_set_level(log_level min);
bool log_level_parse(const char *name, log_level *out);
/* fields: zero or more "key", value-string pairs, NULL-terminated. */
void log_event(log_level level, const char *event, ...);

#endif
