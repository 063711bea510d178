/*
 * server.c: the listener of mesd's transports: configuration defaults,
 * start, routing of each request to its transport, graceful shutdown, the
 * request metrics, and reading the token a request or a WebSocket
 * connection_init carries.
 *
 * Routing: /graphql and /graph/v2 are one endpoint. On it a WebSocket
 * upgrade goes to the WebSocket transports, an SSE request (Accept:
 * text/event-stream, or graphql-sse's single-connection verbs) to sse.c, the
 * rest to GraphQL over HTTP. /healthz, /readyz and /metrics are
 * endpoints.c's; everything else is static.c's (the operator app: its
 * files and pages, 404 for the rest).
 *
 * Must never: look at GraphQL documents or the schema (that is mes), or
 * answer a request itself past routing (each target owns its answers).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "server_internal.h"

void server_config_defaults(server_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    cfg->host = "127.0.0.1";
    cfg->port = 4000;
    net_config_defaults(&cfg->net);
    cfg->ws_init_timeout_ms = 3000;
    cfg->legacy_ka_ms = 10000;
    cfg->sse_keepalive_ms = 12000;
    cfg->max_subs_per_conn = 100;
}

const char *server_transport_name(server_transport t) {
    static const char *const names[SRV_T_COUNT] = {"http", "sse", "graphql-transport-ws", "graphql-ws"};
    return (unsigned)t < SRV_T_COUNT ? names[t] : "?";
}

uint64_t server_now_us(void) { return uv_hrtime() / 1000; }

void server_metric_done(server *s, server_transport t, int status, uint64_t started_us) {
    static const uint64_t bounds[SRV_LATENCY_BUCKETS - 1] = {100,   250,   500,    1000,   2500,
                                                             5000,  10000, 25000,  50000,  100000, 250000};
    int cls = status / 100;
    if (cls < 0 || cls > 5) cls = 5;
    s->metrics.requests[t][cls]++;
    uint64_t us = server_now_us() - started_us;
    int b = 0;
    while (b < SRV_LATENCY_BUCKETS - 1 && us > bounds[b]) b++;
    s->metrics.latency[t][b]++;
    s->metrics.latency_sum[t] += (double)us / 1e6;
}

bool server_is_graphql_path(const char *path) {
    return strcmp(path, "/graphql") == 0 || strcmp(path, "/graph/v2") == 0;
}

static void on_request(net_req *r, void *user) {
    server *s = user;
    const char *path = net_req_path_decoded(r);   /* "/%67raphql" is "/graphql" */
    if (server_is_graphql_path(path)) {
        if (net_req_is_websocket(r)) server_ws_upgrade(s, r);
        else if (server_sse_wants(r)) server_sse(s, r);
        else server_http_graphql(s, r);
        return;
    }
    if (net_req_is_websocket(r)) {
        uint64_t t0 = server_now_us();
        net_resp_send(r, 404, "text/plain; charset=utf-8", "not found\n", 10);
        server_metric_done(s, SRV_T_HTTP, 404, t0);
        return;
    }
    if (server_is_endpoint_path(path)) server_endpoint(s, r, path);
    else server_static(s, r, path);
}

server *server_start(uv_loop_t *loop, mes *m, const server_config *cfg, int *err) {
    server *s = calloc(1, sizeof *s);
    if (!s) {
        *err = UV_ENOMEM;
        return NULL;
    }
    s->loop = loop;
    s->m = m;
    s->cfg = *cfg;
    net_handlers h = {.on_request = on_request, .on_log = log_net, .user = s};
    s->net = net_server_new(&s->cfg.net, &h);
    server_sse_init(s);
    s->listener = net_listen(loop, s->net, s->cfg.host, s->cfg.port, err);
    if (!s->listener) {
        server_sse_free(s);
        net_server_free(s->net);
        free(s);
        return NULL;
    }
    return s;
}

int server_port(const server *s) { return net_listener_port(s->listener); }

static void listener_done(void *user) {
    server *s = user;
    server_sse_free(s);
    net_server_free(s->net);
    s->net = NULL;
    void (*done)(void *) = s->shutdown_done;
    void *du = s->shutdown_user;
    if (s->execs_pending) s->free_deferred = true;
    else free(s);
    if (done) done(du);
}

void server_exec_begin(server *s) { s->execs_pending++; }

bool server_exec_end(server *s) {
    if (--s->execs_pending || !s->free_deferred) return false;
    free(s);
    return true;
}

void server_shutdown(server *s, void (*done)(void *user), void *user) {
    if (s->shutting_down) return;
    s->shutting_down = true;
    s->shutdown_done = done;
    s->shutdown_user = user;
    /* SSE streams never end on their own: end them first, so the listener's
       graceful shutdown only waits for real requests in flight. */
    server_sse_shutdown(s);
    net_listener_shutdown(s->listener, listener_done, s);
}

/* ---- tokens ---- */

static const char *bearer(const char *v, size_t vlen, size_t *len) {
    if (vlen < 7 || strncasecmp(v, "bearer", 6) != 0 || (v[6] != ' ' && v[6] != '\t')) return NULL;
    size_t i = 7;
    while (i < vlen && (v[i] == ' ' || v[i] == '\t')) i++;
    size_t end = vlen;
    while (end > i && (v[end - 1] == ' ' || v[end - 1] == '\t')) end--;
    if (end == i) return NULL;
    *len = end - i;
    return v + i;
}

const char *server_req_token(const net_req *r, size_t *len) {
    const char *v = net_req_header(r, "x-pico-api-org");
    if (v && *v) {
        *len = strlen(v);
        return v;
    }
    v = net_req_header(r, "authorization");
    return v ? bearer(v, strlen(v), len) : NULL;
}

const char *server_payload_token(const gql_val *payload, size_t *len) {
    if (!payload || payload->kind != GQL_V_OBJECT) return NULL;
    /* Clients spell the keys as they like (Authorization, authorization):
       match them case-insensitively, in api.md's order of preference. */
    static const char *const keys[] = {"x-pico-api-org", "authorization", "token"};
    for (int k = 0; k < 3; k++)
        for (uint32_t i = 0; i < payload->u.obj.count; i++) {
            const gql_member *mb = &payload->u.obj.members[i];
            if (strcasecmp(mb->key, keys[k]) != 0 || !mb->value || mb->value->kind != GQL_V_STRING) continue;
            const char *v = mb->value->u.str.s;
            size_t vlen = mb->value->u.str.len;
            if (k == 1) {
                const char *t = bearer(v, vlen, len);
                if (t) return t;
                continue;
            }
            if (vlen == 0) continue;
            *len = vlen;
            return v;
        }
    return NULL;
}

const char server_msg_unauthenticated[] =
    "Unauthenticated: send a valid API token in x-pico-api-org or Authorization: Bearer.";

bool server_authenticate(server *s, const net_req *r, mes_principal *who) {
    size_t len = 0;
    const char *t = server_req_token(r, &len);
    return t && mes_authenticate(s->m, t, len, who);
}
