/*
 * params.c: the GraphQL request parameters (query, operationName,
 * variables, extensions) read from a JSON object, as the GraphQL-over-HTTP
 * spec defines them, and the standard error body for requests that never
 * reach GraphQL. Shared by GraphQL over HTTP, SSE and the WebSocket
 * transports, so every transport refuses the same inputs with the same words
 * (graphql-http's: "Missing query", "Invalid variables", …).
 *
 * Must never: parse or validate the query (that is mes), or accept a member
 * of the wrong JSON type silently (null counts as absent, as the spec says).
 */
#include <string.h>
#include <strings.h>
#include "server_internal.h"

static const gql_val *member(const gql_val *obj, const char *key) {
    const gql_val *v = gql_val_get(obj, key, strlen(key));
    return v && v->kind != GQL_V_NULL ? v : NULL;
}

bool server_params_from_json(const gql_val *obj, server_params *out, const char **err) {
    memset(out, 0, sizeof *out);
    if (!obj || obj->kind != GQL_V_OBJECT) {
        *err = "JSON body must be an object";
        return false;
    }
    const gql_val *q = member(obj, "query");
    const gql_val *op = member(obj, "operationName");
    const gql_val *vars = member(obj, "variables");
    const gql_val *ext = member(obj, "extensions");
    if (!q) {
        *err = "Missing query";
        return false;
    }
    if (q->kind != GQL_V_STRING) {
        *err = "Invalid query";
        return false;
    }
    if (vars && vars->kind != GQL_V_OBJECT) {
        *err = "Invalid variables";
        return false;
    }
    if (op && op->kind != GQL_V_STRING) {
        *err = "Invalid operationName";
        return false;
    }
    if (ext && ext->kind != GQL_V_OBJECT) {
        *err = "Invalid extensions";
        return false;
    }
    out->query = q->u.str.s;
    out->query_len = q->u.str.len;
    out->operation_name = op ? op->u.str.s : NULL;
    out->variables = vars;
    out->extensions = ext;
    return true;
}

void server_error_body(gql_buf *b, const char *message, const char *code) {
    gql_buf_puts(b, "{\"errors\":[{\"message\":");
    gql_json_write_string(b, message, strlen(message));
    if (code) {
        gql_buf_puts(b, ",\"extensions\":{\"code\":");
        gql_json_write_string(b, code, strlen(code));
        gql_buf_putc(b, '}');
    }
    gql_buf_puts(b, "}]}");
}

/* The media type of a Content-Type value, lower-cased, without parameters;
 * *utf8 false when a charset other than UTF-8 is named. */
static size_t media_type(const char *v, char *out, size_t cap, bool *utf8) {
    size_t n = 0;
    const char *p = v;
    while (*p && *p != ';') {
        char c = *p++;
        if (c == ' ' || c == '\t') continue;
        if (n + 1 < cap) out[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    out[n] = 0;
    *utf8 = true;
    while (*p == ';') {
        p++;
        while (*p == ' ' || *p == '\t') p++;
        const char *end = p;
        while (*end && *end != ';') end++;
        if ((size_t)(end - p) > 8 && strncasecmp(p, "charset=", 8) == 0) {
            const char *cs = p + 8;
            size_t cl = (size_t)(end - cs);
            while (cl && (cs[cl - 1] == ' ' || cs[cl - 1] == '\t')) cl--;
            if (cl && cs[0] == '"') cs++, cl -= cl >= 2 ? 2 : 1;
            if (!((cl == 5 && strncasecmp(cs, "utf-8", 5) == 0) || (cl == 4 && strncasecmp(cs, "utf8", 4) == 0)))
                *utf8 = false;
        }
        p = end;
    }
    return n;
}

/* A JSON object from a query parameter (variables, extensions). */
static bool param_object(const net_req *r, gql_arena *a, const char *name, const gql_val **out) {
    const net_kv *kv = net_req_param(r, name);
    *out = NULL;
    if (!kv || kv->value_len == 0) return true;
    const char *err = NULL;
    const gql_val *v = gql_json_parse(a, kv->value, kv->value_len, 0, &err);
    if (!v) return false;
    if (v->kind == GQL_V_NULL) return true;
    *out = v;
    return v->kind == GQL_V_OBJECT;
}

bool server_read_params(const net_req *r, gql_arena *a, server_params *out, int *status, const char **msg) {
    memset(out, 0, sizeof *out);
    *status = 400;
    if (strcmp(net_req_method(r), "GET") == 0) {
        const net_kv *q = net_req_param(r, "query");
        const net_kv *op = net_req_param(r, "operationName");
        if (!param_object(r, a, "variables", &out->variables)) {
            *msg = "Invalid variables";
            return false;
        }
        if (!param_object(r, a, "extensions", &out->extensions)) {
            *msg = "Invalid extensions";
            return false;
        }
        if (!q || q->value_len == 0) {
            *msg = "Missing query";
            return false;
        }
        /* Decoded parameters may hold any bytes: the query must be UTF-8
           like every other GraphQL text. */
        if (!net_utf8_valid(q->value, q->value_len) || (op && !net_utf8_valid(op->value, op->value_len))) {
            *msg = "Invalid query: not UTF-8";
            return false;
        }
        out->query = q->value;
        out->query_len = q->value_len;
        out->operation_name = op && op->value_len ? op->value : NULL;
        return true;
    }
    const char *ct = net_req_header(r, "content-type");
    char mt[64];
    bool utf8;
    if (!ct || !media_type(ct, mt, sizeof mt, &utf8) || strcmp(mt, "application/json") != 0 || !utf8) {
        *status = 415;
        *msg = "Unsupported Media Type: send application/json (UTF-8)";
        return false;
    }
    size_t len;
    const char *body = net_req_body(r, &len);
    if (len == 0) {
        *msg = "Missing body";
        return false;
    }
    const char *err = NULL;
    const gql_val *v = gql_json_parse(a, body, len, 0, &err);
    if (!v) {
        *msg = gql_arena_printf(a, "Unparsable JSON body: %s", err ? err : "invalid JSON");
        return false;
    }
    return server_params_from_json(v, out, msg);
}

/* ---- one request's parameters and document ---- */

bool server_request_begin(server *s, net_req *r, server_transport t, uint64_t t0, server_media media,
                          server_request *q) {
    memset(q, 0, sizeof *q);
    q->kind = -1;
    gql_arena_init(&q->a, 1024);
    gql_buf_init(&q->errs);
    int status;
    const char *msg;
    if (server_read_params(r, &q->a, &q->p, &status, &msg)) return true;
    server_answer_error(s, r, t, t0, status, media, msg, NULL);
    server_request_end(q);
    return false;
}

void server_request_prepare(server *s, server_request *q) {
    mes_doc_error why;
    q->doc = mes_doc_get(s->m, q->p.query, q->p.query_len, &q->errs, &why);
    q->kind = q->doc ? mes_doc_operation_kind(q->doc, q->p.operation_name, &q->errs) : -1;
}

bool server_refuse_get_mutation(server *s, net_req *r, server_transport t, uint64_t t0, server_media media,
                                int kind) {
    if (kind != MES_OP_MUTATION || strcmp(net_req_method(r), "GET") != 0) return false;
    net_resp_header(r, "Allow", "POST");
    server_answer_error(s, r, t, t0, 405, media, "Cannot perform mutations over GET", NULL);
    return true;
}

void server_request_end(server_request *q) {
    if (q->doc) mes_doc_release(q->doc);
    q->doc = NULL;
    gql_buf_free(&q->errs);
    gql_arena_free(&q->a);
}
