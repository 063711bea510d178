/*
 * ws_legacy.c: the legacy `graphql-ws` subprotocol of
 * subscriptions-transport-ws (its PROTOCOL.md; the message names are its
 * GQL_* constants): connection_init → connection_ack then `ka` at once and
 * every legacy_ka_ms, or connection_error and a close; start → data … then
 * complete, or error; stop; connection_terminate.
 *
 * Where PROTOCOL.md is vague, this follows what the library's own server
 * does: bad JSON gets connection_error and the socket stays open; an unknown
 * type gets error "Invalid message type!"; a start reusing a running id
 * replaces that operation; stop is answered with complete; a document that
 * does not parse gets error (one error object), while validation and
 * variable errors come as data {"errors":[…]} then complete. A refused
 * token (connection_init, api.md) gets connection_error, then close 4403
 * "Forbidden" (the library's server closes with 1011, which says "server
 * error"; 4403 is what graphql-transport-ws says for the same refusal).
 *
 * Must never: run an operation for a connection without a valid token, or
 * close the socket for a message it can answer (only a refused token, and
 * connection_terminate, close it).
 */
#include <string.h>
#include "ws_common.h"

static void send_message_payload(ws_conn *c, const char *id, size_t id_len, const char *type, const char *message,
                                 const char *code) {
    gql_buf b;
    gql_buf_init(&b);
    gql_buf_puts(&b, "{\"message\":");
    gql_json_write_string(&b, message, strlen(message));
    if (code) {
        gql_buf_puts(&b, ",\"extensions\":{\"code\":");
        gql_json_write_string(&b, code, strlen(code));
        gql_buf_putc(&b, '}');
    }
    gql_buf_putc(&b, '}');
    ws_send(c, id, id_len, type, b.data, b.len);
    gql_buf_free(&b);
}

static void start_ka(ws_conn *c) {
    ws_send(c, NULL, 0, "ka", NULL, 0);
    uint32_t ms = c->s->cfg.legacy_ka_ms;
    if (ms) ws_timer_start(c, ms, ms);
}

static void on_connection_init(ws_conn *c, const gql_val *payload) {
    c->init_received = true;
    if (!ws_authenticate(c, payload)) {
        send_message_payload(c, NULL, 0, "connection_error", server_msg_unauthenticated, "UNAUTHENTICATED");
        return ws_conn_close(c, 4403, "Forbidden");
    }
    ws_send(c, NULL, 0, "connection_ack", NULL, 0);
    start_ka(c);
}

static void on_start(ws_conn *c, const gql_val *msg, const char *id, size_t id_len) {
    server_params p;
    gql_buf why;
    gql_buf_init(&why);
    if (!ws_payload_params(gql_val_get(msg, "payload", 7), "start", &p, &why)) {
        send_message_payload(c, id, id_len, "error", why.data, NULL);
        gql_buf_free(&why);
        return;
    }
    gql_buf_free(&why);
    /* A client that starts without connection_init may still have sent its
       token on the upgrade request. */
    bool authed = c->authed ? ws_still_authenticated(c) : !c->init_received && ws_authenticate(c, NULL);
    if (!authed) return send_message_payload(c, id, id_len, "error", server_msg_unauthenticated, "UNAUTHENTICATED");
    ws_op *old = ws_op_find(c, id, id_len);
    if (old) ws_op_stop(c, old);
    ws_start(c, id, id_len, &p);
}

static void on_stop(ws_conn *c, const char *id, size_t id_len) {
    ws_op *op = ws_op_find(c, id, id_len);
    if (!op) return;
    ws_op_stop(c, op);
    ws_send(c, id, id_len, "complete", NULL, 0);
}

static bool is(const gql_val *type, const char *name) {
    return type && type->kind == GQL_V_STRING && type->u.str.len == strlen(name) &&
           memcmp(type->u.str.s, name, type->u.str.len) == 0;
}

static void l_message(ws_conn *c, const char *data, size_t len) {
    const char *err;
    gql_val *msg = ws_parse(data, len, &err);
    if (!msg) return send_message_payload(c, NULL, 0, "connection_error", err, NULL);
    const gql_val *type = msg->kind == GQL_V_OBJECT ? gql_val_get(msg, "type", 4) : NULL;
    const gql_val *idv = msg->kind == GQL_V_OBJECT ? ws_member(msg, "id") : NULL;
    gql_buf id;
    gql_buf_init(&id);
    if (idv && (idv->kind == GQL_V_STRING || idv->kind == GQL_V_INT || idv->kind == GQL_V_FLOAT)) ws_id_json(&id, idv);
    else idv = NULL;
    if (is(type, "connection_init")) {
        on_connection_init(c, ws_member(msg, "payload"));
    } else if (is(type, "connection_terminate")) {
        ws_conn_close(c, 1000, "");
    } else if (is(type, "start") || is(type, "stop")) {
        if (!idv)
            send_message_payload(c, NULL, 0, "error",
                                 is(type, "start") ? "\"start\" message expects the 'id' property to be a string"
                                                   : "\"stop\" message expects the 'id' property to be a string",
                                 NULL);
        else if (is(type, "start")) on_start(c, msg, id.data, id.len);
        else on_stop(c, id.data, id.len);
    } else {
        send_message_payload(c, idv ? id.data : NULL, id.len, "error", "Invalid message type!", NULL);
    }
    gql_buf_free(&id);
}

static void l_timer(ws_conn *c) { ws_send(c, NULL, 0, "ka", NULL, 0); }

static void l_request_error(ws_conn *c, const char *id, size_t id_len, const char *errors, size_t len, bool syntax) {
    if (syntax) {
        gql_buf b;
        gql_buf_init(&b);
        ws_first_error(&b, errors, len);
        ws_send(c, id, id_len, "error", b.data, b.len);
        gql_buf_free(&b);
        return;
    }
    ws_send(c, id, id_len, "data", errors, len);
    ws_send(c, id, id_len, "complete", NULL, 0);
}

static void l_ended(ws_conn *c, const char *id, size_t id_len, const char *reason) {
    send_message_payload(c, id, id_len, "error", reason, NULL);
}

static void l_internal_error(ws_conn *c) {
    send_message_payload(c, NULL, 0, "connection_error", "Internal server error", NULL);
    ws_conn_close(c, 1011, "Internal server error");
}

static const ws_proto legacy = {
    .transport = SRV_T_WS_LEGACY,
    .next_type = "data",
    .on_message = l_message,
    .on_timer = l_timer,
    .request_error = l_request_error,
    .ended = l_ended,
    .internal_error = l_internal_error,
};

void server_ws_legacy_accept(server *s, net_req *r) { ws_conn_accept(s, r, "graphql-ws", &legacy); }
