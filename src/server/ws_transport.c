/*
 * ws_transport.c: the WebSocket upgrade (which subprotocol speaks) and the
 * graphql-transport-ws protocol of the graphql-ws library (its PROTOCOL.md):
 * connection_init within ws_init_timeout_ms, connection_ack, ping/pong,
 * subscribe (queries, mutations and subscriptions alike), next, error,
 * complete, and the close codes 4400, 4401, 4403, 4408, 4409, 4429, 4500.
 *
 * Messages are checked as graphql-ws's own validateMessage checks them, and
 * the close reasons use its wording, so a client sees what it would see
 * against the reference server.
 *
 * Must never: answer an operation before connection_ack (4401), keep a
 * socket that broke the protocol (every violation closes it), or reach into
 * mes beyond ws_common's operation plumbing.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "ws_common.h"

static const char proto_transport[] = "graphql-transport-ws";
static const char proto_legacy[] = "graphql-ws";

static void close_fmt(ws_conn *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void close_fmt(ws_conn *c, int code, const char *fmt, ...) {
    char reason[128]; /* net cuts reasons to 123 bytes at a character boundary */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    ws_conn_close(c, code, reason);
}

/* JavaScript's truthiness, for graphql-ws's `if (!val.type)`. */
static bool falsy(const gql_val *v) {
    if (!v) return true;
    switch (v->kind) {
    case GQL_V_NULL: return true;
    case GQL_V_BOOL: return !v->u.b;
    case GQL_V_INT: return v->u.i == 0;
    case GQL_V_FLOAT: return !(v->u.f < 0 || v->u.f > 0);  /* 0, -0 and NaN */
    case GQL_V_STRING: return v->u.str.len == 0;
    default: return false;
    }
}

static bool is(const gql_val *type, const char *name) {
    return type->u.str.len == strlen(name) && memcmp(type->u.str.s, name, type->u.str.len) == 0;
}

/* connection_init, ping and pong carry an optional object. */
static bool payload_ok(ws_conn *c, const gql_val *msg, const gql_val *type, const gql_val **payload) {
    *payload = ws_member(msg, "payload");
    if (*payload && (*payload)->kind != GQL_V_OBJECT) {
        close_fmt(c, 4400, "\"%s\" message expects the 'payload' property to be an object or nullish or missing, but got %s",
                  type->u.str.s, ws_typeof(*payload));
        return false;
    }
    return true;
}

/* subscribe and complete name an operation with a non-empty string id. */
static bool id_ok(ws_conn *c, const gql_val *msg, const gql_val *type, const gql_val **id) {
    *id = gql_val_get(msg, "id", 2);
    if (!*id || (*id)->kind != GQL_V_STRING) {
        close_fmt(c, 4400, "\"%s\" message expects the 'id' property to be a string, but got %s", type->u.str.s,
                  ws_typeof(*id));
        return false;
    }
    if (!(*id)->u.str.len) {
        close_fmt(c, 4400, "\"%s\" message requires a non-empty 'id' property", type->u.str.s);
        return false;
    }
    return true;
}

static void on_connection_init(ws_conn *c, const gql_val *payload) {
    if (c->init_received) return ws_conn_close(c, 4429, "Too many initialisation requests");
    c->init_received = true;
    ws_timer_stop(c);
    if (!ws_authenticate(c, payload)) return ws_conn_close(c, 4403, "Forbidden");
    ws_send(c, NULL, 0, "connection_ack", NULL, 0);
}

static void on_ping(ws_conn *c, const gql_val *payload) {
    if (!payload) return ws_send(c, NULL, 0, "pong", NULL, 0);
    gql_buf b; /* the payload is echoed, as graphql-ws's server does */
    gql_buf_init(&b);
    gql_json_write_val(&b, payload);
    ws_send(c, NULL, 0, "pong", b.data, b.len);
    gql_buf_free(&b);
}

static void on_subscribe(ws_conn *c, const gql_val *msg, const gql_val *id) {
    server_params p;
    gql_buf why;
    gql_buf_init(&why);
    bool ok = ws_payload_params(gql_val_get(msg, "payload", 7), "subscribe", &p, &why);
    if (!ok) ws_conn_close(c, 4400, why.data);
    gql_buf_free(&why);
    if (!ok) return;
    if (!c->authed) return ws_conn_close(c, 4401, "Unauthorized");
    gql_buf idj;
    gql_buf_init(&idj);
    ws_id_json(&idj, id);
    if (ws_op_find(c, idj.data, idj.len)) {
        close_fmt(c, 4409, "Subscriber for %s already exists", id->u.str.s);
    } else if (!ws_still_authenticated(c)) {
        ws_conn_close(c, 4403, "Forbidden"); /* the token was revoked since connection_init */
    } else {
        ws_start(c, idj.data, idj.len, &p);
    }
    gql_buf_free(&idj);
}

static void on_complete(ws_conn *c, const gql_val *id) {
    gql_buf idj;
    gql_buf_init(&idj);
    ws_id_json(&idj, id);
    ws_op *op = ws_op_find(c, idj.data, idj.len);
    if (op) ws_op_stop(c, op); /* unknown ids are ignored: the operation may have just ended */
    gql_buf_free(&idj);
}

static void t_message(ws_conn *c, const char *data, size_t len) {
    const char *err;
    gql_val *msg = ws_parse(data, len, &err);
    if (!msg) return ws_conn_close(c, 4400, "Invalid message received");
    if (msg->kind != GQL_V_OBJECT)
        return close_fmt(c, 4400, "Message is expected to be an object, but got %s", ws_typeof(msg));
    const gql_val *type = gql_val_get(msg, "type", 4);
    if (falsy(type)) return ws_conn_close(c, 4400, "Message is missing the 'type' property");
    if (type->kind != GQL_V_STRING)
        return close_fmt(c, 4400, "Message expects the 'type' property to be a string, but got %s", ws_typeof(type));
    const gql_val *payload, *id;
    if (is(type, "connection_init")) {
        if (payload_ok(c, msg, type, &payload)) on_connection_init(c, payload);
    } else if (is(type, "ping")) {
        if (payload_ok(c, msg, type, &payload)) on_ping(c, payload);
    } else if (is(type, "pong")) {
        (void)payload_ok(c, msg, type, &payload); /* an unsolicited pong is a heartbeat: nothing to do */
    } else if (is(type, "subscribe")) {
        if (id_ok(c, msg, type, &id)) on_subscribe(c, msg, id);
    } else if (is(type, "complete")) {
        if (id_ok(c, msg, type, &id)) on_complete(c, id);
    } else if (is(type, "connection_ack") || is(type, "next") || is(type, "error")) {
        close_fmt(c, 4400, "Unexpected message of type %s received", type->u.str.s);
    } else {
        close_fmt(c, 4400, "Invalid message 'type' property \"%s\"", type->u.str.s);
    }
}

/* The client never sent connection_init. */
static void t_timer(ws_conn *c) {
    if (!c->init_received) ws_conn_close(c, 4408, "Connection initialisation timeout");
}

static void t_request_error(ws_conn *c, const char *id, size_t id_len, const char *errors, size_t len, bool syntax) {
    (void)syntax;
    gql_buf b;
    gql_buf_init(&b);
    ws_errors_array(&b, errors, len);
    ws_send(c, id, id_len, "error", b.data, b.len);
    gql_buf_free(&b);
}

static void t_ended(ws_conn *c, const char *id, size_t id_len, const char *reason) {
    gql_buf b;
    gql_buf_init(&b);
    gql_buf_puts(&b, "[{\"message\":");
    gql_json_write_string(&b, reason, strlen(reason));
    gql_buf_puts(&b, "}]");
    ws_send(c, id, id_len, "error", b.data, b.len);
    gql_buf_free(&b);
}

static void t_internal_error(ws_conn *c) { ws_conn_close(c, 4500, "Internal server error"); }

static const ws_proto transport = {
    .transport = SRV_T_WS,
    .next_type = "next",
    .on_message = t_message,
    .on_timer = t_timer,
    .request_error = t_request_error,
    .ended = t_ended,
    .internal_error = t_internal_error,
};

void server_ws_upgrade(server *s, net_req *r) {
    /* graphql-transport-ws wins when a client offers both */
    static const char *const prefs[] = {proto_transport, proto_legacy, NULL};
    const char *p = net_req_ws_pick(r, prefs);
    if (!p) {
        /* Refused before the upgrade: a 101 without the protocol the client
           asked for would make it fail the connection anyway (RFC 6455 4.1),
           and this answer says why. */
        uint64_t t0 = server_now_us();
        gql_buf b;
        gql_buf_init(&b);
        server_error_body(&b, "Unsupported WebSocket subprotocol: offer graphql-transport-ws or graphql-ws.",
                          "BAD_REQUEST");
        net_resp_send(r, 400, "application/json; charset=utf-8", b.data, b.len);
        gql_buf_free(&b);
        server_metric_done(s, SRV_T_WS, 400, t0);
        return;
    }
    if (strcmp(p, proto_legacy) == 0) return server_ws_legacy_accept(s, r);
    ws_conn *c = ws_conn_accept(s, r, proto_transport, &transport);
    if (c && s->cfg.ws_init_timeout_ms) ws_timer_start(c, s->cfg.ws_init_timeout_ms, 0);
}
