/*
 * http_graphql.c: GraphQL over HTTP on /graphql and /graph/v2, as the
 * GraphQL-over-HTTP spec (and the graphql-http audit) says: GET for queries,
 * POST with application/json bodies, Accept negotiation between
 * application/graphql-response+json (preferred) and application/json, and
 * the spec's status codes for each: with graphql-response+json a request
 * error (syntax, validation, variables that do not coerce) is 400, with
 * application/json every GraphQL-level answer is 200. Mutations are answered
 * once mes says they are durable; a client gone by then is simply dropped.
 *
 * Must never: execute a mutation sent with GET, stream (subscriptions belong
 * to SSE and WebSocket), or answer before mes's done callback.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "server_internal.h"

static const char *const media_names[] = {
    "application/graphql-response+json; charset=utf-8",
    "application/json; charset=utf-8",
};

const char *server_media_name(server_media m) { return media_names[m]; }

/* One Accept item: the media type and whether its q is above 0 and its
 * charset (if any) UTF-8. */
static bool accept_item(const char *p, const char *end, char *mt, size_t cap) {
    size_t n = 0;
    while (p < end && *p != ';') {
        char c = *p++;
        if (c == ' ' || c == '\t') continue;
        if (n + 1 < cap) mt[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    mt[n] = 0;
    bool ok = n > 0;
    while (p < end && *p == ';') {
        p++;
        while (p < end && (*p == ' ' || *p == '\t')) p++;
        const char *pe = p;
        while (pe < end && *pe != ';') pe++;
        size_t len = (size_t)(pe - p);
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t')) len--;
        if (len >= 2 && strncasecmp(p, "q=", 2) == 0) {
            /* q=0, q=0.0, q=0.000: "not acceptable" */
            bool zero = true;
            for (size_t i = 2; i < len; i++)
                if (p[i] != '0' && p[i] != '.') zero = false;
            if (zero) ok = false;
        } else if (len >= 8 && strncasecmp(p, "charset=", 8) == 0) {
            if (!((len == 13 && strncasecmp(p + 8, "utf-8", 5) == 0) ||
                  (len == 12 && strncasecmp(p + 8, "utf8", 4) == 0)))
                ok = false;
        }
        p = pe;
    }
    return ok;
}

bool server_accept_media(const net_req *r, server_media *out) {
    const char *acc = net_req_header(r, "accept");
    /* No Accept: the spec says to assume application/json. */
    if (!acc || !*acc) {
        *out = SRV_MEDIA_JSON;
        return true;
    }
    bool json = false, gqlr = false;
    for (const char *p = acc; *p;) {
        const char *end = strchr(p, ',');
        if (!end) end = p + strlen(p);
        char mt[96];
        if (accept_item(p, end, mt, sizeof mt)) {
            if (strcmp(mt, "application/graphql-response+json") == 0) gqlr = true;
            else if (strcmp(mt, "application/json") == 0 || strcmp(mt, "application/*") == 0 || strcmp(mt, "*/*") == 0)
                json = true;
        }
        p = *end ? end + 1 : end;
    }
    if (gqlr) *out = SRV_MEDIA_GRAPHQL_RESPONSE;
    else if (json) *out = SRV_MEDIA_JSON;
    return gqlr || json;
}

void server_answer(server *s, net_req *r, server_transport t, uint64_t t0, int status, const char *ctype,
                   const char *body, size_t len) {
    if (log_enabled(LOG_DEBUG)) {   /* the access log: debug only, it is the hot path */
        char st[8], us[24];
        snprintf(st, sizeof st, "%d", status);
        snprintf(us, sizeof us, "%llu", (unsigned long long)(server_now_us() - t0));
        log_event(LOG_DEBUG, "access", "transport", server_transport_name(t), "method", net_req_method(r), "path",
                  net_req_path(r), "#status", st, "#us", us, NULL);
    }
    net_resp_send(r, status, ctype, body, len);
    server_metric_done(s, t, status, t0);
}

void server_answer_error(server *s, net_req *r, server_transport t, uint64_t t0, int status, server_media m,
                         const char *message, const char *code) {
    gql_buf b;
    gql_buf_init(&b);
    server_error_body(&b, message, code);
    if (status == 401) net_resp_header(r, "WWW-Authenticate", "Bearer");
    server_answer(s, r, t, t0, status, media_names[m], b.data, b.len);
    gql_buf_free(&b);
}

int server_request_error_status(server_media m) { return m == SRV_MEDIA_GRAPHQL_RESPONSE ? 400 : 200; }

/* ---- one request ---- */

typedef struct http_exec {
    server *s;
    net_req *r;
    uint64_t t0;
    server_media media;
} http_exec;

static void exec_done(void *user, const mes_result *res) {
    http_exec *x = user;
    int status = res->status == GQL_EXEC_REQUEST_ERROR ? server_request_error_status(x->media) : 200;
    if (x->s->free_deferred) net_resp_send(x->r, status, media_names[x->media], res->json, res->len);   /* a no-op that frees it */
    else server_answer(x->s, x->r, SRV_T_HTTP, x->t0, status, media_names[x->media], res->json, res->len);
    server_exec_end(x->s);
    free(x);
}

void server_http_graphql(server *s, net_req *r) {
    uint64_t t0 = server_now_us();
    const char *method = net_req_method(r);
    bool get = strcmp(method, "GET") == 0;
    server_media media = SRV_MEDIA_JSON;
    if (!get && strcmp(method, "POST") != 0) {
        net_resp_header(r, "Allow", "GET, POST");
        server_answer_error(s, r, SRV_T_HTTP, t0, 405, media, "Method Not Allowed: use GET or POST", NULL);
        return;
    }
    if (!server_accept_media(r, &media)) {
        net_resp_header(r, "Accept", "application/graphql-response+json; charset=utf-8, application/json; charset=utf-8");
        server_answer_error(s, r, SRV_T_HTTP, t0, 406, SRV_MEDIA_JSON,
                            "Not Acceptable: accept application/graphql-response+json or application/json", NULL);
        return;
    }
    mes_principal who;
    if (!server_authenticate(s, r, &who)) {
        server_answer_error(s, r, SRV_T_HTTP, t0, 401, media, server_msg_unauthenticated, "UNAUTHENTICATED");
        return;
    }
    server_request q;
    if (!server_request_begin(s, r, SRV_T_HTTP, t0, media, &q)) return;
    server_request_prepare(s, &q);
    int kind = q.kind;
    if (kind < 0) {
        server_answer(s, r, SRV_T_HTTP, t0, server_request_error_status(media), media_names[media], q.errs.data,
                      q.errs.len);
        goto out;
    }
    if (server_refuse_get_mutation(s, r, SRV_T_HTTP, t0, media, kind)) goto out;
    if (kind == MES_OP_SUBSCRIPTION) {
        server_answer_error(s, r, SRV_T_HTTP, t0, server_request_error_status(media), media,
                            "Subscriptions are not supported over plain HTTP: use Accept: text/event-stream "
                            "(graphql-sse) or a WebSocket",
                            NULL);
        goto out;
    }
    http_exec *x = malloc(sizeof *x);
    if (!x) {
        server_answer_error(s, r, SRV_T_HTTP, t0, 503, media, "Service Unavailable: out of memory", NULL);
        goto out;
    }
    *x = (http_exec){s, r, t0, media};
    server_exec_begin(s);
    mes_execute(s->m, &who, q.doc, q.p.operation_name, q.p.variables, exec_done, x);
out:
    server_request_end(&q);
}
