/*
 * ws_common.h: what the two GraphQL WebSocket protocols share (private to
 * ws_transport.c, ws_legacy.c and ws_common.c).
 *
 * A ws_conn is one accepted WebSocket speaking either protocol: its token and
 * principal, its table of operations (by client id), a timer (the
 * connection_init wait of graphql-transport-ws, the `ka` period of the legacy
 * protocol), and the plumbing to mes: an operation is started here the same
 * way for both protocols (document, kind, subscribe or execute), and its
 * outcomes are worded by the protocol's ws_proto.
 *
 * Lifetime: a ws_conn lives while anything refers to it: the socket (until
 * net's on_close), the timer handle (until uv_close's callback), and every
 * query or mutation in flight in mes (a mutation answers after its commit,
 * possibly after the socket is gone). Subscriptions never outlive the socket:
 * on_close unsubscribes them all.
 *
 * Must never: know a protocol's message names (the ws_proto callbacks and
 * the protocol files do), or touch the server (metrics) once the socket is
 * gone (a mutation's answer may come after the server was shut down).
 */
#ifndef MESD_WS_COMMON_H
#define MESD_WS_COMMON_H
#include "server_internal.h"

typedef struct ws_conn ws_conn;
typedef struct ws_op ws_op;

/* How one protocol speaks. */
typedef struct ws_proto {
    server_transport transport;     /* SRV_T_WS or SRV_T_WS_LEGACY (metrics) */
    const char *next_type;          /* the type of a result message: "next" or "data" */
    /* A whole message from the client (text, or binary treated as text). */
    void (*on_message)(ws_conn *c, const char *data, size_t len);
    /* The timer fired (see ws_timer_start). */
    void (*on_timer)(ws_conn *c);
    /* An operation failed before or instead of running: errors is the whole
     * {"errors":[…]} object; syntax tells a document that did not parse. */
    void (*request_error)(ws_conn *c, const char *id, size_t id_len, const char *errors, size_t len, bool syntax);
    /* The server ended a subscription for a reason (too slow, shutting down). */
    void (*ended)(ws_conn *c, const char *id, size_t id_len, const char *reason);
    /* mes failed without saying why (cannot happen; answered anyway). */
    void (*internal_error)(ws_conn *c);
} ws_proto;

struct ws_op {
    ws_conn *c;
    ws_op *next;             /* in c->ops while linked */
    mes_sub *sub;            /* a subscription; NULL: a query or mutation in flight */
    uint64_t started_us;
    bool linked;             /* in c->ops: its id is taken and its outcome goes to the client */
    uint32_t id_len;
    char id[];               /* the client's id as JSON ("\"1\"", or 1 for a legacy number) */
};

struct ws_conn {
    server *s;
    net_ws *ws;              /* NULL once the socket is gone */
    const ws_proto *proto;
    uv_timer_t timer;
    uint32_t refs;           /* the socket, the timer handle, executions in flight */
    uint32_t nops;           /* linked operations */
    ws_op *ops;
    bool init_received;      /* a connection_init came */
    bool authed;             /* who holds a verified principal (acknowledged) */
    char *token;             /* the token presented (upgrade request or connection_init) */
    size_t token_len;
    mes_principal who;
};

/* Accepts the upgrade with the protocol (the final call on r), keeping the
 * upgrade request's token. NULL when the client has gone. */
ws_conn *ws_conn_accept(server *s, net_req *r, const char *protocol, const ws_proto *p);
/* Starts the close handshake (the socket's on_close does the cleanup). */
void ws_conn_close(ws_conn *c, int code, const char *reason);
/* One-shot (repeat 0) or periodic timer calling proto->on_timer; restarting
 * replaces the previous schedule. */
void ws_timer_start(ws_conn *c, uint64_t timeout_ms, uint64_t repeat_ms);
void ws_timer_stop(ws_conn *c);

/* The token of a connection_init payload, else the upgrade request's,
 * checked with mes. false (and not authed) when there is none or it is
 * unknown or revoked. */
bool ws_authenticate(ws_conn *c, const gql_val *init_payload);
/* The connection's token checked again (cached by mes for token_cache_ms),
 * so that a token revoked while a socket stays open stops working. */
bool ws_still_authenticated(ws_conn *c);

/* A client message parsed as JSON into a scratch arena that lives until the
 * next call. NULL with a message on invalid JSON. */
gql_val *ws_parse(const char *data, size_t len, const char **err);
/* JavaScript's typeof for messages about a value: "undefined" (absent),
 * "null", "array", "object", "string", "number", "boolean". */
const char *ws_typeof(const gql_val *v);
/* A member that is absent or JSON null reads as absent (the protocols accept
 * nullish for optional members). */
const gql_val *ws_member(const gql_val *obj, const char *key);
/* The operation parameters of a subscribe/start payload, graphql-ws's rules:
 * query a string; variables, extensions objects or nullish; operationName
 * a string or nullish. false with a message naming what is wrong. */
bool ws_payload_params(const gql_val *payload, const char *type, server_params *out, gql_buf *why);
/* An id value as the JSON that is echoed back (a string, or a number). */
void ws_id_json(gql_buf *b, const gql_val *id);

/* ---- operations ---- */
ws_op *ws_op_find(ws_conn *c, const char *id, size_t id_len);
/* The client stopped it: a subscription is ended in mes, a query or mutation
 * in flight is forgotten (its answer will not be sent). */
void ws_op_stop(ws_conn *c, ws_op *op);
/* Runs one operation for the client id: checks the per-connection cap,
 * prepares the document, then subscribes or executes. Outcomes reach the
 * client through proto: next_type messages, then "complete" (queries,
 * mutations, subscriptions the server ended normally), or request_error. */
void ws_start(ws_conn *c, const char *id, size_t id_len, const server_params *p);

/* ---- sending ---- */
/* {"id":ID,"type":TYPE,"payload":PAYLOAD}; id and payload are JSON and
 * optional (NULL: the member is left out). */
void ws_send(ws_conn *c, const char *id, size_t id_len, const char *type, const char *payload, size_t plen);
/* Appends the [ … ] array of a {"errors":[ … ]} object (mes's error bodies)
 * to b; [] when obj holds no errors array. */
void ws_errors_array(gql_buf *b, const char *obj, size_t len);
/* Appends the first error object of a {"errors":[ … ]} object to b. */
void ws_first_error(gql_buf *b, const char *obj, size_t len);

#endif
