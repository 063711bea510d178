/*
 * sse.c: GraphQL over server-sent events, both modes of graphql-sse's
 * PROTOCOL.md, on /graphql and /graph/v2.
 *
 * Distinct connections: a GET or POST with Accept: text/event-stream is one
 * operation on its own stream: `event: next` per result, then `event:
 * complete`, then the stream ends. Errors found before execution (syntax,
 * validation, variables) come as a `next` event too, since the client has
 * asked for an event stream; problems with the HTTP request itself (no
 * token, bad parameters) are plain HTTP answers.
 *
 * Single connection: PUT reserves a stream (201, the reservation token as
 * text/plain); a GET or POST with Accept: text/event-stream and the token
 * (X-GraphQL-Event-Stream-Token header or ?token=) connects it (once);
 * GraphQL requests carrying the token and extensions.operationId are
 * accepted with 202 and their results go to that stream as `next` {id,
 * payload} and `complete` {id}; DELETE ?operationId= stops one. Events for
 * a reservation not yet connected wait (bounded) until it connects. When the
 * stream goes away, every operation on it stops and the reservation ends.
 *
 * Must never: write to a stream after its final call, keep an operation
 * whose stream is gone (a query or mutation in flight is detached and freed
 * when mes answers), or buffer without bound for a stream nobody reads.
 */
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "server_internal.h"

#define SSE_TOKEN_LEN 32              /* hex of 16 random bytes */
#define SSE_MAX_RESERVATIONS 10000

typedef struct sse_op sse_op;
typedef struct sse_stream sse_stream;

struct sse_op {
    sse_stream *st;          /* NULL once detached (stream gone while mes works) */
    sse_op *prev, *next;
    char *id;                /* operationId (single-connection mode), else NULL */
    mes_sub *sub;            /* a subscription's, while it runs */
    bool exec_pending;       /* a query or mutation waiting for mes's done */
    uint64_t t0;
};

struct sse_stream {
    server *s;
    sse_stream *prev, *next;
    net_req *r;              /* the event stream; NULL while a reservation waits */
    bool single;
    bool connected_once;
    char token[SSE_TOKEN_LEN + 1];
    char api_token[STORE_TOKEN_MAX + 64];   /* the API token the reservation was made with */
    size_t api_token_len;
    gql_buf queued;          /* events for a reservation not yet connected */
    sse_op *ops;
    uint32_t nops;
    uint64_t created_ms;
    bool closing;            /* shutdown: ends once its last operation completes */
};

struct sse_hub {
    sse_stream *streams;
    uint32_t reservations;
};

/* ---- the hub ---- */

void server_sse_init(server *s) { s->sse = calloc(1, sizeof *s->sse); }

void server_sse_free(server *s) {
    free(s->sse);
    s->sse = NULL;
}

static uint64_t now_ms(void) { return uv_hrtime() / 1000000; }

static void stream_link(server *s, sse_stream *st) {
    st->next = s->sse->streams;
    if (st->next) st->next->prev = st;
    s->sse->streams = st;
    if (st->single) s->sse->reservations++;
}

static void stream_unlink(sse_stream *st) {
    struct sse_hub *h = st->s->sse;
    if (st->prev) st->prev->next = st->next;
    else h->streams = st->next;
    if (st->next) st->next->prev = st->prev;
    if (st->single) h->reservations--;
}

/* ---- writing events ---- */

static void stream_event(sse_stream *st, const char *event, const char *data, size_t len) {
    if (st->r) {
        net_sse_event(st->r, event, NULL, data, len);
        return;
    }
    size_t need = net_sse_format(NULL, 0, event, NULL, data, len);
    gql_buf_reserve(&st->queued, need + 1);
    net_sse_format(st->queued.data + st->queued.len, need, event, NULL, data, len);
    st->queued.len += need;
    st->queued.data[st->queued.len] = 0;
}

static void op_next(sse_op *op, const char *json, size_t len) {
    sse_stream *st = op->st;
    if (!st->single) {
        stream_event(st, "next", json, len);
        return;
    }
    gql_buf b;
    gql_buf_init(&b);
    gql_buf_puts(&b, "{\"id\":");
    gql_json_write_string(&b, op->id, strlen(op->id));
    gql_buf_puts(&b, ",\"payload\":");
    gql_buf_append(&b, json, len);
    gql_buf_putc(&b, '}');
    stream_event(st, "next", b.data, b.len);
    gql_buf_free(&b);
}

static void op_error_next(sse_op *op, const char *message) {
    gql_buf b;
    gql_buf_init(&b);
    server_error_body(&b, message, NULL);
    op_next(op, b.data, b.len);
    gql_buf_free(&b);
}

static void op_unlink(sse_op *op) {
    sse_stream *st = op->st;
    if (op->prev) op->prev->next = op->next;
    else st->ops = op->next;
    if (op->next) op->next->prev = op->prev;
    st->nops--;
    op->st = NULL;
}

static void op_free(sse_op *op) {
    free(op->id);
    free(op);
}

static void stream_end(sse_stream *st);

/* Stops whatever the operation still runs; frees it unless mes still owes
 * it an answer (then it is freed by that answer). */
static void op_stop(sse_op *op) {
    server *s = op->st->s;
    if (op->sub) {
        mes_unsubscribe(op->sub);
        op->sub = NULL;
        s->metrics.subscriptions_open[SRV_T_SSE]--;
    }
    op_unlink(op);
    if (!op->exec_pending) op_free(op);
}

/* `complete` for an operation, which then ends; a distinct stream ends with
 * its only operation, a closing one with its last. Returns whether the
 * stream ended. */
static bool op_complete(sse_op *op) {
    sse_stream *st = op->st;
    if (st->single) {
        gql_buf b;
        gql_buf_init(&b);
        gql_buf_puts(&b, "{\"id\":");
        gql_json_write_string(&b, op->id, strlen(op->id));
        gql_buf_putc(&b, '}');
        stream_event(st, "complete", b.data, b.len);
        gql_buf_free(&b);
    } else {
        stream_event(st, "complete", "", 0);
    }
    server_metric_done(st->s, SRV_T_SSE, 200, op->t0);
    op_stop(op);
    if (st->single && !(st->closing && st->nops == 0)) return false;
    stream_end(st);
    return true;
}

/* The end of a stream (or a reservation): its operations stop, its
 * request gets its final call. */
static void stream_end(sse_stream *st) {
    while (st->ops) op_stop(st->ops);
    stream_unlink(st);
    if (st->r) net_resp_stream_end(st->r);
    gql_buf_free(&st->queued);
    free(st);
}

static void on_stream_gone(net_req *r, void *user) {
    (void)r;
    stream_end(user);
}

/* Shutdown: subscriptions complete now; a query or mutation in flight
 * still gets its answer (net's graceful shutdown waits for its stream),
 * then its stream ends. Reservations never connected just end. */
void server_sse_shutdown(server *s) {
    for (sse_stream *st = s->sse->streams, *next; st; st = next) {
        next = st->next;
        st->closing = true;
        if (!st->r) {
            stream_end(st);
            continue;
        }
        bool ended = false;
        for (sse_op *op = st->ops, *on; op && !ended; op = on) {
            on = op->next;
            if (!op->exec_pending) ended = op_complete(op);
        }
        if (!ended && st->nops == 0) stream_end(st);
    }
}

/* ---- mes callbacks ---- */

static void sink_next(void *user, const char *json, size_t len) { op_next(user, json, len); }

static void sink_end(void *user, const char *reason) {
    sse_op *op = user;
    op->sub = NULL;   /* mes frees it after this returns */
    op->st->s->metrics.subscriptions_open[SRV_T_SSE]--;
    if (reason) op_error_next(op, reason);
    (void)op_complete(op);
}

static size_t sink_pending(void *user) {
    sse_stream *st = ((sse_op *)user)->st;
    return st->r ? net_req_pending(st->r) : st->queued.len;
}

static const mes_sink sse_sink = {sink_next, sink_end, sink_pending};

static void exec_done(void *user, const mes_result *res) {
    sse_op *op = user;
    op->exec_pending = false;
    if (!op->st) {   /* detached: the stream went away meanwhile */
        op_free(op);
        return;
    }
    op_next(op, res->json, res->len);
    (void)op_complete(op);
}

static sse_op *op_new(sse_stream *st, const char *id, uint64_t t0) {
    sse_op *op = calloc(1, sizeof *op);
    if (!op) return NULL;
    op->st = st;
    op->t0 = t0;
    if (id && !(op->id = strdup(id))) {
        free(op);
        return NULL;
    }
    op->next = st->ops;
    if (op->next) op->next->prev = op;
    st->ops = op;
    st->nops++;
    return op;
}

/* Runs a prepared operation of kind on op. false with errors_out set when a
 * subscription could not start. */
static bool op_run(server *s, sse_op *op, const mes_principal *who, mes_doc *doc, int kind, const server_params *p,
                   gql_buf *errors_out) {
    if (kind == MES_OP_SUBSCRIPTION) {
        op->sub = mes_subscribe(s->m, who, doc, p->operation_name, p->variables, &sse_sink, op, errors_out);
        if (!op->sub) return false;
        s->metrics.subscriptions_open[SRV_T_SSE]++;
        return true;
    }
    op->exec_pending = true;
    mes_execute(s->m, who, doc, p->operation_name, p->variables, exec_done, op);
    return true;
}

/* The answer's head and a first comment: some user agents (Firefox's and
 * Safari's EventSource) only open a stream once body bytes arrive. */
static void stream_open(server *s, sse_stream *st, net_req *r) {
    st->r = r;
    st->connected_once = true;
    net_sse_start(r, s->cfg.sse_keepalive_ms);
    net_sse_comment(r, NULL);
    net_req_set_on_gone(r, on_stream_gone, st);
}

static sse_stream *stream_new(server *s, bool single) {
    sse_stream *st = calloc(1, sizeof *st);
    if (!st) return NULL;
    st->s = s;
    st->single = single;
    st->created_ms = now_ms();
    gql_buf_init(&st->queued);
    stream_link(s, st);
    return st;
}

/* ---- requests ---- */

static const char *stream_token_of(const net_req *r) {
    const char *t = net_req_header(r, "x-graphql-event-stream-token");
    if (t && *t) return t;
    const net_kv *kv = net_req_param(r, "token");
    return kv && kv->value_len ? kv->value : NULL;
}

bool server_sse_wants(const net_req *r) {
    const char *m = net_req_method(r);
    if (strcmp(m, "PUT") == 0 || strcmp(m, "DELETE") == 0) return true;
    if (stream_token_of(r)) return true;
    const char *acc = net_req_header(r, "accept");
    return acc && strstr(acc, "text/event-stream") != NULL;
}

static bool accepts_event_stream(const net_req *r) {
    const char *acc = net_req_header(r, "accept");
    return acc && strstr(acc, "text/event-stream") != NULL;
}

static sse_stream *find_reservation(server *s, const char *token) {
    size_t len = strlen(token);
    if (len != SSE_TOKEN_LEN) return NULL;
    for (sse_stream *st = s->sse->streams; st; st = st->next)
        if (st->single && CRYPTO_memcmp(st->token, token, SSE_TOKEN_LEN) == 0) return st;
    return NULL;
}

/* Reservations never connected within the idle timeout are given up. */
static void sweep_reservations(server *s) {
    uint64_t now = now_ms();
    uint64_t ttl = s->cfg.net.idle_timeout_ms ? s->cfg.net.idle_timeout_ms : 60000;
    for (sse_stream *st = s->sse->streams, *next; st; st = next) {
        next = st->next;
        if (st->single && !st->r && !st->connected_once && now - st->created_ms > ttl) stream_end(st);
    }
}

static void reserve(server *s, net_req *r, uint64_t t0) {
    mes_principal who;
    if (!server_authenticate(s, r, &who)) {
        server_answer_error(s, r, SRV_T_SSE, t0, 401, SRV_MEDIA_JSON, server_msg_unauthenticated, "UNAUTHENTICATED");
        return;
    }
    const char *acc = net_req_header(r, "accept");
    if (acc && *acc && !strstr(acc, "*/*") && !strstr(acc, "text/plain") && !strstr(acc, "text/*")) {
        server_answer_error(s, r, SRV_T_SSE, t0, 406, SRV_MEDIA_JSON, "Not Acceptable: the token comes as text/plain",
                            NULL);
        return;
    }
    sweep_reservations(s);
    unsigned char raw[SSE_TOKEN_LEN / 2];
    sse_stream *st = NULL;
    if (s->sse->reservations >= SSE_MAX_RESERVATIONS || RAND_bytes(raw, sizeof raw) != 1 ||
        !(st = stream_new(s, true))) {
        server_answer_error(s, r, SRV_T_SSE, t0, 503, SRV_MEDIA_JSON, "Service Unavailable: no stream to reserve",
                            NULL);
        return;
    }
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof raw; i++) {
        st->token[2 * i] = hex[raw[i] >> 4];
        st->token[2 * i + 1] = hex[raw[i] & 15];
    }
    size_t tl = 0;
    const char *t = server_req_token(r, &tl);
    if (t && tl < sizeof st->api_token) {
        memcpy(st->api_token, t, tl);
        st->api_token_len = tl;
    }
    server_answer(s, r, SRV_T_SSE, t0, 201, "text/plain; charset=utf-8", st->token, SSE_TOKEN_LEN);
}

static void connect_stream(server *s, net_req *r, sse_stream *st, uint64_t t0) {
    if (st->r) {
        server_answer_error(s, r, SRV_T_SSE, t0, 409, SRV_MEDIA_JSON, "Stream already open", NULL);
        return;
    }
    stream_open(s, st, r);
    if (st->queued.len) net_resp_stream_write(r, st->queued.data, st->queued.len);
    gql_buf_free(&st->queued);
    gql_buf_init(&st->queued);
}

static void stop_operation(server *s, net_req *r, sse_stream *st, uint64_t t0) {
    const net_kv *id = net_req_param(r, "operationId");
    if (!id || !id->value_len) {
        server_answer_error(s, r, SRV_T_SSE, t0, 400, SRV_MEDIA_JSON, "Operation ID is missing", NULL);
        return;
    }
    for (sse_op *op = st->ops; op; op = op->next)
        if (strcmp(op->id, id->value) == 0) {
            (void)op_complete(op);
            break;
        }
    server_answer(s, r, SRV_T_SSE, t0, 200, NULL, "", 0);
}

/* The operationId of a single-connection request (a string, or a number
 * as JavaScript's String() would write it). */
static const char *operation_id(gql_arena *a, const server_params *p) {
    const gql_val *v = p->extensions ? gql_val_get(p->extensions, "operationId", 11) : NULL;
    if (!v) return NULL;
    if (v->kind == GQL_V_STRING && v->u.str.len) return v->u.str.s;
    if (v->kind == GQL_V_INT) return gql_arena_printf(a, "%lld", (long long)v->u.i);
    return NULL;
}

/* A GraphQL request on a reservation: 202, results on the stream. */
static void stream_operation(server *s, net_req *r, sse_stream *st, uint64_t t0) {
    server_media media;
    if (!server_accept_media(r, &media)) {
        server_answer_error(s, r, SRV_T_SSE, t0, 406, SRV_MEDIA_JSON,
                            "Not Acceptable: accept application/graphql-response+json or application/json", NULL);
        return;
    }
    /* The request's own token when it carries one, else the reservation's
       (checked again, so a revoked token stops working here too). */
    mes_principal who;
    size_t tl;
    bool ok = server_req_token(r, &tl) ? server_authenticate(s, r, &who)
                                       : st->api_token_len && mes_authenticate(s->m, st->api_token,
                                                                               st->api_token_len, &who);
    if (!ok) {
        server_answer_error(s, r, SRV_T_SSE, t0, 401, media, server_msg_unauthenticated, "UNAUTHENTICATED");
        return;
    }
    server_request q;
    if (!server_request_begin(s, r, SRV_T_SSE, t0, media, &q)) return;
    const char *id = operation_id(&q.a, &q.p);
    if (!id) {
        server_answer_error(s, r, SRV_T_SSE, t0, 400, media, "Operation ID is missing", NULL);
        goto out;
    }
    for (sse_op *op = st->ops; op; op = op->next)
        if (strcmp(op->id, id) == 0) {
            server_answer_error(s, r, SRV_T_SSE, t0, 409, media, "Operation with ID already exists", NULL);
            goto out;
        }
    if (st->nops >= s->cfg.max_subs_per_conn) {
        server_answer_error(s, r, SRV_T_SSE, t0, 429, media, "Too many operations on this stream", NULL);
        goto out;
    }
    server_request_prepare(s, &q);
    int kind = q.kind;
    if (kind < 0) {
        server_answer(s, r, SRV_T_SSE, t0, 400, server_media_name(media), q.errs.data, q.errs.len);
        goto out;
    }
    if (server_refuse_get_mutation(s, r, SRV_T_SSE, t0, media, kind)) goto out;
    sse_op *op = op_new(st, id, t0);
    if (!op) {
        server_answer_error(s, r, SRV_T_SSE, t0, 503, media, "Service Unavailable: out of memory", NULL);
        goto out;
    }
    if (kind == MES_OP_SUBSCRIPTION) {
        if (!op_run(s, op, &who, q.doc, kind, &q.p, &q.errs)) {
            op_stop(op);
            server_answer(s, r, SRV_T_SSE, t0, 400, server_media_name(media), q.errs.data, q.errs.len);
            goto out;
        }
        server_answer(s, r, SRV_T_SSE, t0, 202, NULL, "", 0);
    } else {
        /* Accepted first: the answer may come inside mes_execute. */
        server_answer(s, r, SRV_T_SSE, t0, 202, NULL, "", 0);
        op_run(s, op, &who, q.doc, kind, &q.p, &q.errs);
    }
out:
    server_request_end(&q);
}

/* Distinct connections: this request is the operation and its stream. */
static void distinct(server *s, net_req *r, uint64_t t0) {
    mes_principal who;
    if (!server_authenticate(s, r, &who)) {
        server_answer_error(s, r, SRV_T_SSE, t0, 401, SRV_MEDIA_JSON, server_msg_unauthenticated, "UNAUTHENTICATED");
        return;
    }
    server_request q;
    if (!server_request_begin(s, r, SRV_T_SSE, t0, SRV_MEDIA_JSON, &q)) return;
    server_request_prepare(s, &q);
    int kind = q.kind;
    if (server_refuse_get_mutation(s, r, SRV_T_SSE, t0, SRV_MEDIA_JSON, kind)) goto out;
    sse_stream *st = stream_new(s, false);
    sse_op *op = st ? op_new(st, NULL, t0) : NULL;
    if (!op) {
        if (st) stream_end(st);
        server_answer_error(s, r, SRV_T_SSE, t0, 503, SRV_MEDIA_JSON, "Service Unavailable: out of memory", NULL);
        goto out;
    }
    stream_open(s, st, r);
    /* Errors before execution are results on the stream (PROTOCOL.md). */
    if (kind < 0 || !op_run(s, op, &who, q.doc, kind, &q.p, &q.errs)) {
        op_next(op, q.errs.data, q.errs.len);
        (void)op_complete(op);
    }
out:
    server_request_end(&q);
}

void server_sse(server *s, net_req *r) {
    uint64_t t0 = server_now_us();
    const char *method = net_req_method(r);
    if (strcmp(method, "PUT") == 0) {
        reserve(s, r, t0);
        return;
    }
    const char *token = stream_token_of(r);
    if (!token) {
        if (strcmp(method, "DELETE") == 0) {
            server_answer_error(s, r, SRV_T_SSE, t0, 404, SRV_MEDIA_JSON, "Stream not found", NULL);
            return;
        }
        if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0) {
            net_resp_header(r, "Allow", "GET, POST, PUT, DELETE");
            server_answer_error(s, r, SRV_T_SSE, t0, 405, SRV_MEDIA_JSON, "Method Not Allowed", NULL);
            return;
        }
        distinct(s, r, t0);
        return;
    }
    sse_stream *st = find_reservation(s, token);
    if (!st) {
        server_answer_error(s, r, SRV_T_SSE, t0, 404, SRV_MEDIA_JSON, "Stream not found", NULL);
        return;
    }
    if (strcmp(method, "DELETE") == 0) {
        stop_operation(s, r, st, t0);
        return;
    }
    if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0) {
        net_resp_header(r, "Allow", "GET, POST, PUT, DELETE");
        server_answer_error(s, r, SRV_T_SSE, t0, 405, SRV_MEDIA_JSON, "Method Not Allowed", NULL);
        return;
    }
    if (accepts_event_stream(r)) connect_stream(s, r, st, t0);
    else stream_operation(s, r, st, t0);
}
