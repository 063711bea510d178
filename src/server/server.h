/*
 * server.h: mesd's GraphQL transports on one listener: GraphQL over HTTP
 * (/graphql and /graph/v2), graphql-transport-ws and the legacy graphql-ws
 * WebSocket protocols, graphql-sse in both modes, and /healthz, /readyz,
 * /metrics. Bytes come from src/net; every GraphQL question goes to src/mes
 * (mes.h). This layer knows framing, media types, status codes and which
 * transport says what; it never knows the schema or the store.
 */
#ifndef MESD_SERVER_H
#define MESD_SERVER_H
#include <stdint.h>
#include <uv.h>
#include "mes.h"
#include "net.h"

typedef struct server server;

typedef struct server_config {
    const char *host;                 /* default "127.0.0.1" */
    int port;                         /* default 4000; 0: ephemeral */
    net_config net;                   /* limits and timeouts of the transport */
    uint32_t ws_init_timeout_ms;      /* graphql-transport-ws: connection_init wait. Default 3000 */
    uint32_t legacy_ka_ms;            /* legacy graphql-ws: "ka" period. Default 10000 */
    uint32_t sse_keepalive_ms;        /* SSE keep-alive comments. Default 12000 */
    uint32_t max_subs_per_conn;       /* operations per connection. Default 100 */
} server_config;
void server_config_defaults(server_config *cfg);

/* Starts listening. NULL with a libuv error code in *err. */
server *server_start(uv_loop_t *loop, mes *m, const server_config *cfg, int *err);
int server_port(const server *s);
/* Graceful shutdown (stop accepting, finish requests, close WebSockets with
 * 1001, end SSE streams); done runs once everything is closed, then the
 * server is freed. */
void server_shutdown(server *s, void (*done)(void *user), void *user);

#endif
