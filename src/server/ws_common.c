/*
 * ws_common.c: the half of mesd's two GraphQL WebSocket protocols that does
 * not depend on the protocol: the connection's life (socket, timer,
 * executions in flight), its token, its operation table, JSON in and out,
 * and starting an operation through mes (see ws_common.h).
 *
 * Must never: send a message whose wording belongs to one protocol (that is
 * ws_transport.c's and ws_legacy.c's, through ws_proto), block the loop, or
 * let a client's message crash or leak: every failure is a protocol answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ws_common.h"

static void *xmalloc(size_t n) {
    void *p = malloc(n);
    if (!p) abort(); /* out of memory is not a client error we can answer */
    return p;
}

static char *xmemdup(const char *s, size_t n) {
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

/* The loop is single-threaded and a message is handled before the next one
 * is read, so one scratch arena for parsing and one output buffer serve every
 * connection: an idle connection holds neither. */
static gql_arena scratch;
static bool scratch_ready;
static gql_buf out;

/* ---- the connection's life ------------------------------------------------ */

static void conn_unref(ws_conn *c) {
    if (--c->refs) return;
    free(c->token);
    free(c);
}

static void op_unlink(ws_conn *c, ws_op *op) {
    for (ws_op **pp = &c->ops; *pp; pp = &(*pp)->next)
        if (*pp == op) {
            *pp = op->next;
            op->next = NULL;
            op->linked = false;
            c->nops--;
            return;
        }
}

static void sub_closed(ws_conn *c) {
    if (c->s->metrics.subscriptions_open[c->proto->transport]) c->s->metrics.subscriptions_open[c->proto->transport]--;
}

static void timer_closed(uv_handle_t *h) { conn_unref(h->data); }

static void on_timer(uv_timer_t *t) {
    ws_conn *c = t->data;
    if (c->ws) c->proto->on_timer(c);
}

static void on_message(net_ws *ws, net_ws_kind kind, const char *data, size_t len, void *user) {
    (void)ws, (void)kind; /* binary frames are read as text, as graphql-ws's own server does */
    ws_conn *c = user;
    c->proto->on_message(c, data, len);
}

static void on_close(net_ws *ws, int code, const char *reason, void *user) {
    (void)ws, (void)code, (void)reason;
    ws_conn *c = user;
    c->ws = NULL;
    /* Subscriptions end with the socket; a query or mutation in flight keeps
       the connection (not the socket) until mes answers it, unsent. */
    while (c->ops) {
        ws_op *op = c->ops;
        op_unlink(c, op);
        if (op->sub) {
            mes_unsubscribe(op->sub);
            sub_closed(c);
            free(op);
        }
    }
    uv_timer_stop(&c->timer);
    uv_close((uv_handle_t *)&c->timer, timer_closed);
    conn_unref(c);
}

ws_conn *ws_conn_accept(server *s, net_req *r, const char *protocol, const ws_proto *p) {
    uint64_t t0 = server_now_us();
    ws_conn *c = xmalloc(sizeof *c);
    memset(c, 0, sizeof *c);
    c->s = s;
    c->proto = p;
    size_t tl = 0;
    const char *t = server_req_token(r, &tl); /* lives with r: copied before the accept ends it */
    if (t) {
        c->token = xmemdup(t, tl);
        c->token_len = tl;
    }
    static const net_ws_handlers h = {.on_message = on_message, .on_close = on_close};
    c->ws = net_ws_accept(r, protocol, &h, c);
    if (!c->ws) {
        free(c->token);
        free(c);
        return NULL;
    }
    uv_timer_init(s->loop, &c->timer);
    c->timer.data = c;
    c->refs = 2; /* the socket and the timer handle */
    server_metric_done(s, p->transport, 101, t0);
    return c;
}

void ws_conn_close(ws_conn *c, int code, const char *reason) {
    if (c->ws) net_ws_close(c->ws, code, reason);
}

void ws_timer_start(ws_conn *c, uint64_t timeout_ms, uint64_t repeat_ms) {
    uv_timer_start(&c->timer, on_timer, timeout_ms, repeat_ms);
}

void ws_timer_stop(ws_conn *c) { uv_timer_stop(&c->timer); }

/* ---- authentication --------------------------------------------------------- */

bool ws_authenticate(ws_conn *c, const gql_val *init_payload) {
    size_t len = 0;
    const char *t = server_payload_token(init_payload, &len);
    if (t) { /* connection_init's token wins over the upgrade request's */
        free(c->token);
        c->token = xmemdup(t, len);
        c->token_len = len;
    }
    c->authed = c->token && mes_authenticate(c->s->m, c->token, c->token_len, &c->who);
    return c->authed;
}

bool ws_still_authenticated(ws_conn *c) {
    mes_principal who; /* c->who stays intact for executions in flight that point to it */
    if (!c->authed || !mes_authenticate(c->s->m, c->token, c->token_len, &who)) return false;
    c->who = who;
    return true;
}

/* ---- JSON in ------------------------------------------------------------------ */

gql_val *ws_parse(const char *data, size_t len, const char **err) {
    if (!scratch_ready) {
        gql_arena_init(&scratch, 4096);
        scratch_ready = true;
    } else {
        gql_arena_reset(&scratch);
    }
    return gql_json_parse(&scratch, data, len, 0, err);
}

const char *ws_typeof(const gql_val *v) {
    if (!v) return "undefined";
    switch (v->kind) {
    case GQL_V_NULL: return "null";
    case GQL_V_BOOL: return "boolean";
    case GQL_V_INT:
    case GQL_V_FLOAT: return "number";
    case GQL_V_LIST: return "array";
    case GQL_V_OBJECT: return "object";
    default: return "string";
    }
}

const gql_val *ws_member(const gql_val *obj, const char *key) {
    const gql_val *v = gql_val_get(obj, key, strlen(key));
    return v && v->kind != GQL_V_NULL ? v : NULL;
}

bool ws_payload_params(const gql_val *payload, const char *type, server_params *p, gql_buf *why) {
    memset(p, 0, sizeof *p);
    if (!payload || payload->kind != GQL_V_OBJECT) {
        gql_buf_printf(why, "\"%s\" message expects the 'payload' property to be an object, but got %s", type,
                       ws_typeof(payload));
        return false;
    }
    const gql_val *q = gql_val_get(payload, "query", 5);
    if (!q || q->kind != GQL_V_STRING) {
        gql_buf_printf(why, "\"%s\" message payload expects the 'query' property to be a string, but got %s", type,
                       ws_typeof(q));
        return false;
    }
    static const struct {
        const char *key;
        gql_vkind kind;
        const char *want;
    } opt[] = {{"variables", GQL_V_OBJECT, "an object"},
               {"operationName", GQL_V_STRING, "a string"},
               {"extensions", GQL_V_OBJECT, "an object"}};
    const gql_val *v[3];
    for (int i = 0; i < 3; i++) {
        v[i] = ws_member(payload, opt[i].key);
        if (v[i] && v[i]->kind != opt[i].kind) {
            gql_buf_printf(why, "\"%s\" message payload expects the '%s' property to be %s or nullish or missing, but got %s",
                           type, opt[i].key, opt[i].want, ws_typeof(v[i]));
            return false;
        }
    }
    p->query = q->u.str.s;
    p->query_len = q->u.str.len;
    p->variables = v[0];
    p->operation_name = v[1] ? v[1]->u.str.s : NULL;
    p->extensions = v[2];
    return true;
}

void ws_id_json(gql_buf *b, const gql_val *id) {
    if (id->kind == GQL_V_STRING) gql_json_write_string(b, id->u.str.s, id->u.str.len);
    else gql_json_write_val(b, id);
}

/* ---- JSON out ------------------------------------------------------------------ */

void ws_send(ws_conn *c, const char *id, size_t id_len, const char *type, const char *payload, size_t plen) {
    if (!c->ws) return;
    gql_buf_truncate(&out, 0);
    gql_buf_putc(&out, '{');
    if (id) {
        gql_buf_append(&out, "\"id\":", 5);
        gql_buf_append(&out, id, id_len);
        gql_buf_putc(&out, ',');
    }
    gql_buf_append(&out, "\"type\":\"", 8);
    gql_buf_puts(&out, type);
    gql_buf_putc(&out, '"');
    if (payload) {
        gql_buf_append(&out, ",\"payload\":", 11);
        gql_buf_append(&out, payload, plen);
    }
    gql_buf_putc(&out, '}');
    net_ws_send(c->ws, NET_WS_TEXT, out.data, out.len);
    if (out.cap > 65536) gql_buf_free(&out); /* one big answer does not stay resident */
}

/* The errors member of an error body. Parsed rather than sliced: error
 * answers are rare, and a slice would trust the body's exact shape. */
static const gql_val *errors_member(gql_arena *a, const char *obj, size_t len) {
    const char *err;
    gql_val *v = gql_json_parse(a, obj, len, 0, &err);
    const gql_val *e = v ? gql_val_get(v, "errors", 6) : NULL;
    return e && e->kind == GQL_V_LIST ? e : NULL;
}

void ws_errors_array(gql_buf *b, const char *obj, size_t len) {
    gql_arena a;
    gql_arena_init(&a, 1024);
    const gql_val *e = errors_member(&a, obj, len);
    if (e) gql_json_write_val(b, e);
    else gql_buf_append(b, "[]", 2);
    gql_arena_free(&a);
}

void ws_first_error(gql_buf *b, const char *obj, size_t len) {
    gql_arena a;
    gql_arena_init(&a, 1024);
    const gql_val *e = errors_member(&a, obj, len);
    if (e && e->u.list.count) gql_json_write_val(b, e->u.list.items[0]);
    else gql_buf_puts(b, "{\"message\":\"Unknown error\"}");
    gql_arena_free(&a);
}

/* ---- operations ------------------------------------------------------------------ */

ws_op *ws_op_find(ws_conn *c, const char *id, size_t id_len) {
    for (ws_op *op = c->ops; op; op = op->next)
        if (op->id_len == id_len && memcmp(op->id, id, id_len) == 0) return op;
    return NULL;
}

static ws_op *op_new(ws_conn *c, const char *id, size_t id_len) {
    ws_op *op = xmalloc(sizeof *op + id_len + 1);
    memset(op, 0, sizeof *op);
    op->c = c;
    op->id_len = (uint32_t)id_len;
    memcpy(op->id, id, id_len);
    op->id[id_len] = 0;
    op->linked = true;
    op->next = c->ops;
    c->ops = op;
    c->nops++;
    return op;
}

void ws_op_stop(ws_conn *c, ws_op *op) {
    op_unlink(c, op);
    if (op->sub) {
        mes_unsubscribe(op->sub);
        sub_closed(c);
        free(op);
    }
    /* else: a query or mutation in flight; exec_done frees it, unsent */
}

static void complete(ws_conn *c, const ws_op *op) { ws_send(c, op->id, op->id_len, "complete", NULL, 0); }

static void sub_next(void *user, const char *json, size_t len) {
    ws_op *op = user;
    ws_send(op->c, op->id, op->id_len, op->c->proto->next_type, json, len);
}

static void sub_end(void *user, const char *reason) {
    ws_op *op = user;
    ws_conn *c = op->c;
    if (reason) c->proto->ended(c, op->id, op->id_len, reason);
    else complete(c, op);
    op_unlink(c, op);
    sub_closed(c);
    free(op);
}

static size_t sub_pending(void *user) {
    ws_op *op = user;
    return op->c->ws ? net_ws_pending(op->c->ws) : 0;
}

static void exec_done(void *user, const mes_result *r) {
    ws_op *op = user;
    ws_conn *c = op->c;
    if (op->linked && c->ws) {
        int status = 200;
        if (r->status == GQL_EXEC_REQUEST_ERROR) {
            c->proto->request_error(c, op->id, op->id_len, r->json, r->len, false);
            status = 400;
        } else {
            ws_send(c, op->id, op->id_len, c->proto->next_type, r->json, r->len);
            complete(c, op);
        }
        server_metric_done(c->s, c->proto->transport, status, op->started_us);
    }
    if (op->linked) op_unlink(c, op);
    free(op);
    conn_unref(c);
}

void ws_start(ws_conn *c, const char *id, size_t id_len, const server_params *p) {
    server *s = c->s;
    server_transport t = c->proto->transport;
    uint64_t t0 = server_now_us();
    gql_buf errs;
    gql_buf_init(&errs);
    mes_doc *doc = NULL;
    bool syntax = false;
    if (c->nops >= s->cfg.max_subs_per_conn) {
        char msg[96];
        snprintf(msg, sizeof msg, "Too many operations on this connection: at most %u at a time.",
                 (unsigned)s->cfg.max_subs_per_conn);
        server_error_body(&errs, msg, "LIMIT_EXCEEDED");
        goto fail;
    }
    mes_doc_error why;
    doc = mes_doc_get(s->m, p->query, p->query_len, &errs, &why);
    if (!doc) {
        syntax = why == MES_DOC_SYNTAX;
        goto fail;
    }
    int kind = mes_doc_operation_kind(doc, p->operation_name, &errs);
    if (kind < 0) goto fail;
    ws_op *op = op_new(c, id, id_len);
    op->started_us = t0;
    if (kind == MES_OP_SUBSCRIPTION) {
        static const mes_sink sink = {.next = sub_next, .end = sub_end, .pending = sub_pending};
        op->sub = mes_subscribe(s->m, &c->who, doc, p->operation_name, p->variables, &sink, op, &errs);
        if (!op->sub) {
            op_unlink(c, op);
            free(op);
            goto fail;
        }
        s->metrics.subscriptions_open[t]++;
        server_metric_done(s, t, 200, t0);
    } else {
        c->refs++; /* the answer may come after the socket is gone (a mutation waits for its commit) */
        mes_execute(s->m, &c->who, doc, p->operation_name, p->variables, exec_done, op);
    }
    mes_doc_release(doc);
    gql_buf_free(&errs);
    return;
fail:
    if (doc) mes_doc_release(doc);
    if (errs.len) {
        c->proto->request_error(c, id, id_len, errs.data, errs.len, syntax);
        server_metric_done(s, t, 400, t0);
    } else {
        c->proto->internal_error(c);
        server_metric_done(s, t, 500, t0);
    }
    gql_buf_free(&errs);
}
