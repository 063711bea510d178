/*
 * webhooks.c: webhookSubscribe, webhookUnsubscribe and
 * Query.webhookSubscriptions (api.md "Webhooks"): the checks made at
 * subscribe time (id, fragment, headers), the secret, the writes and the
 * answers.
 *
 * Decisions where api.md leaves room:
 * - The fragment is validated as the selection of its stream's
 *   subscription field, so unknown fields and bad syntax are refused with
 *   the engine's own messages (BAD_INPUT).
 * - webhookHeaders is a JSON object of strings; a header name must be an
 *   HTTP token and a value must not hold CR, LF or NUL (no header
 *   injection), and the headers mesd sets itself may not be overridden.
 * - Unsubscribing an unknown id is NOT_FOUND.
 * - Listing subscriptions is managing webhooks: erp and admin only.
 *
 * Must never: show a secret anywhere but the answer of the subscribe that
 * made it, or accept a fragment the delivery could not execute.
 */
#include <ctype.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "webhooks.h"

static const mes_webhook_stream streams[] = {
    {"Operation", "operationsStream", STORE_STREAM_OPERATIONS},
    {"SubOperation", "subOperationsStream", STORE_STREAM_SUB_OPERATIONS},
    {"OperationOrderComplete", "operationOrderCompletesStream", STORE_STREAM_COMPLETES},
    {"NoteEvent", "noteEventsStream", STORE_STREAM_NOTES},
};
#define NSTREAMS (sizeof streams / sizeof streams[0])

const mes_webhook_stream *mes_webhook_stream_of_type(const char *type) {
    for (size_t i = 0; i < NSTREAMS; i++)
        if (strcmp(streams[i].type, type) == 0) return &streams[i];
    return NULL;
}

const mes_webhook_stream *mes_webhook_stream_of(store_stream s) {
    for (size_t i = 0; i < NSTREAMS; i++)
        if (streams[i].stream == s) return &streams[i];
    return NULL;
}

bool mes_webhook_id_valid(const char *id) {
    size_t n = id ? strlen(id) : 0;
    if (n < 1 || n > 64) return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)id[i]) && id[i] != '_' && id[i] != '-') return false;
    return true;
}

/* The fragment's only definition, or NULL with a message. */
static const gql_definition *only_fragment(const gql_document *doc, char *msg, size_t msglen) {
    if (doc->definition_count != 1 || doc->definitions[0].kind != GQL_FRAGMENT_DEFINITION) {
        snprintf(msg, msglen, "responseFragment must be exactly one fragment definition, and nothing else.");
        return NULL;
    }
    return &doc->definitions[0];
}

static gql_document *parse_fragment(const char *fragment, char *msg, size_t msglen) {
    gql_syntax_error *se = NULL;
    gql_parse_options po = {.max_tokens = 10000};
    gql_document *doc = gql_parse(fragment, strlen(fragment), &po, &se);
    if (!doc) {
        snprintf(msg, msglen, "%s", se && se->message ? se->message : "Syntax Error.");
        gql_syntax_error_free(se);
    }
    return doc;
}

static char *wrap(const gql_definition *f, const char *fragment, const mes_webhook_stream *ws) {
    /* the fragment first: its line and column numbers stay its own */
    size_t n = strlen(fragment) + strlen(ws->field) + f->name.len + 64;
    char *out = malloc(n);
    if (!out) abort();
    snprintf(out, n, "%s\nsubscription { %s { ...%s } }", fragment, ws->field, f->name.value);
    return out;
}

char *mes_webhook_document(const char *fragment, store_stream stream) {
    char msg[256];   /* the message is not used here: the fragment was checked at subscribe time */
    const mes_webhook_stream *ws = mes_webhook_stream_of(stream);
    gql_document *doc = ws ? parse_fragment(fragment, msg, sizeof msg) : NULL;
    if (!doc) return NULL;
    const gql_definition *f = only_fragment(doc, msg, sizeof msg);
    char *out = f ? wrap(f, fragment, ws) : NULL;
    gql_document_free(doc);
    return out;
}

bool mes_webhook_fragment_check(gql_schema *s, const char *fragment, store_stream *stream, char *msg,
                                size_t msglen) {
    gql_document *doc = parse_fragment(fragment, msg, msglen);
    if (!doc) return false;
    const gql_definition *f = only_fragment(doc, msg, msglen);
    const mes_webhook_stream *ws = NULL;
    if (f && !(ws = mes_webhook_stream_of_type(f->type_condition->name.value)))
        snprintf(msg, msglen,
                 "responseFragment must be on Operation, SubOperation, OperationOrderComplete or NoteEvent, "
                 "not \"%.100s\".",
                 f->type_condition->name.value);
    char *src = ws ? wrap(f, fragment, ws) : NULL;
    gql_document_free(doc);
    if (!src) return false;
    gql_arena a;
    gql_arena_init(&a, 0);
    gql_errors errs;
    gql_errors_init(&errs, &a);
    gql_prepare_options opts = {.parse = {.max_tokens = 10000}};
    bool syntax = false;
    gql_prepared *p = gql_prepare(s, src, strlen(src), &opts, &errs, &syntax);
    free(src);
    if (p) {
        gql_prepared_free(p);
        *stream = ws->stream;
    } else {
        snprintf(msg, msglen, "%s", errs.head ? errs.head->message : "responseFragment is not valid.");
    }
    gql_arena_free(&a);
    return p != NULL;
}

/* ---- webhookHeaders ---- */

static bool header_name_ok(const char *k, size_t n) {
    static const char *const own[] = {"content-type", "content-length", "host", "x-mesd-delivery",
                                      "x-mesd-timestamp", "x-mesd-signature", "transfer-encoding"};
    if (n == 0 || n > 256) return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)k[i];
        if (!isalnum(ch) && !strchr("!#$%&'*+-.^_`|~", ch)) return false;
    }
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
        if (strlen(own[i]) == n && strncasecmp(own[i], k, n) == 0) return false;
    return true;
}

/* headers as JSON (in a), NULL for none; false with a message. */
static bool headers_json(gql_arena *a, const gql_val *h, const char **out, mes_write *w) {
    *out = NULL;
    if (!h || h->kind == GQL_V_NULL) return true;
    if (h->kind != GQL_V_OBJECT) {
        mes_write_fail(w, "BAD_INPUT", "webhookHeaders must be an object of strings.");
        return false;
    }
    for (uint32_t i = 0; i < h->u.obj.count; i++) {
        const gql_member *m = &h->u.obj.members[i];
        if (!header_name_ok(m->key, m->key_len)) {
            mes_write_fail(w, "BAD_INPUT", "webhookHeaders: \"%.100s\" is not a header name mesd may send.", m->key);
            return false;
        }
        if (m->value->kind != GQL_V_STRING || strpbrk(m->value->u.str.s, "\r\n") ||
            strlen(m->value->u.str.s) != m->value->u.str.len) {
            mes_write_fail(w, "BAD_INPUT", "webhookHeaders: the value of \"%.100s\" must be a string on one line.",
                           m->key);
            return false;
        }
    }
    if (!h->u.obj.count) return true;
    gql_buf b;
    gql_buf_init(&b);
    gql_json_write_val(&b, h);
    *out = gql_arena_strndup(a, b.data, b.len);
    gql_buf_free(&b);
    return true;
}

/* ---- the mutations ---- */

typedef struct hook_job {
    store_webhook w;
    bool replaced, found;
    const char *message;
} hook_job;

static int subscribe_run(store_tx *tx, void *arg, store_err *err) {
    hook_job *j = arg;
    return store_tx_webhook_put(tx, &j->w, &j->replaced, err);
}

static int unsubscribe_run(store_tx *tx, void *arg, store_err *err) {
    hook_job *j = arg;
    return store_tx_webhook_delete(tx, j->w.id, &j->found, err);
}

static const gql_val *member(const gql_val *obj, const char *key) {
    return obj && obj->kind == GQL_V_OBJECT ? gql_val_get(obj, key, strlen(key)) : NULL;
}
static const char *str_or_null(const gql_val *v) { return v && v->kind == GQL_V_STRING ? v->u.str.s : NULL; }

static hook_job *plan_common(mes_ctx *c, mes_write *w, const char *id) {
    if (!mes_may(c->who, MES_PERM_ORDER)) {
        mes_write_fail(w, "FORBIDDEN", "%s", mes_forbidden_message(c->arena, c->who, "Mutation", w->field->name));
        return NULL;
    }
    if (!mes_webhook_id_valid(id)) {
        mes_write_fail(w, "BAD_INPUT",
                       "Invalid subscriptionID \"%.100s\": 1 to 64 characters, each a letter, a digit, - or _.",
                       id ? id : "");
        return NULL;
    }
    hook_job *j = gql_arena_calloc(c->arena, sizeof *j);
    j->w.id = id;
    return j;
}

static void plan_subscribe(mes_ctx *c, const gql_val *args, mes_write *w) {
    const gql_val *in = member(args, "input");
    hook_job *j = plan_common(c, w, str_or_null(member(in, "subscriptionID")));
    if (!j) return;
    const char *fragment = str_or_null(member(in, "responseFragment"));
    if (!fragment || !mes_webhook_fragment_check(mes_schema(c->m), fragment, &j->w.stream, w->message,
                                                 sizeof w->message)) {
        if (!fragment) snprintf(w->message, sizeof w->message, "responseFragment is required.");
        w->code = "BAD_INPUT";
        return;
    }
    j->w.response_fragment = fragment;
    j->w.url = str_or_null(member(in, "webhookUrl"));
    if (!mes_webhook_url_allowed(c->m, j->w.url, w->message, sizeof w->message)) {
        w->code = "BAD_INPUT";
        return;
    }
    if (!headers_json(c->arena, member(in, "webhookHeaders"), &j->w.headers_json, w)) return;
    unsigned char r[32];
    if (RAND_bytes(r, sizeof r) != 1) {
        mes_write_fail(w, "INTERNAL", "No randomness for a webhook secret.");
        return;
    }
    char *secret = gql_arena_alloc(c->arena, 2 * sizeof r + 1);
    for (size_t i = 0; i < sizeof r; i++) snprintf(secret + 2 * i, 3, "%02x", r[i]);
    j->w.secret = secret;
    w->run = subscribe_run;
    w->arg = j;
}

static void plan_unsubscribe(mes_ctx *c, const gql_val *args, mes_write *w) {
    hook_job *j = plan_common(c, w, str_or_null(member(args, "subscriptionID")));
    if (!j) return;
    w->run = unsubscribe_run;
    w->arg = j;
}

/* ---- the answers ---- */

typedef struct answer_src { mes_row r; hook_job *j; } answer_src;

static gql_rv answer(gql_resolve_info *info, bool subscribe) {
    mes_ctx *c = mes_ctx_of(info);
    mes_write *w = mes_ctx_write(c, info);
    if (!w) return gql_rv_error("This mutation was not planned.", "INTERNAL");
    if (w->code || !w->ran || w->skipped || !w->arg) return mes_write_error(c, w);
    hook_job *j = w->arg;
    if (!subscribe && !j->found) {
        mes_write_fail(w, "NOT_FOUND", "Webhook subscription %.100s not found.", j->w.id);
        return mes_write_error(c, w);
    }
    j->message = subscribe ? (j->replaced ? "replaced" : "subscribed") : "unsubscribed";
    if (!subscribe) j->w.secret = NULL;
    answer_src *s = gql_arena_alloc(info->arena, sizeof *s);
    s->j = j;
    s->r.row = j;
    return gql_rv_obj(s, NULL);
}

static gql_rv subscribe_answer(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src, (void)args;
    return answer(info, true);
}
static gql_rv unsubscribe_answer(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src, (void)args;
    return answer(info, false);
}

/* ---- Query.webhookSubscriptions ---- */

static gql_rv q_subscriptions(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src, (void)args;
    mes_ctx *c = mes_ctx_of(info);
    if (!mes_may(c->who, MES_PERM_ORDER)) return mes_forbidden(c, info);
    store_webhook *rows;
    size_t n;
    store_err err = {0};
    if (store_webhooks_list(c->st, info->arena, &rows, &n, &err)) return mes_read_error(info->arena, &err);
    mes_row *refs = gql_arena_alloc(info->arena, (n ? n : 1) * sizeof *refs);
    for (size_t i = 0; i < n; i++) refs[i].row = &rows[i];
    return mes_list_of(info->arena, refs, sizeof *refs, 0, n);
}

static const store_webhook *row_of(const void *src) { return ((const mes_row *)src)->row; }

static gql_rv f_stream_field(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args, (void)info;
    const char *f = mes_webhook_stream_of(row_of(src)->stream)->field;
    return gql_rv_str(f, (uint32_t)strlen(f));
}

static gql_rv f_last_seq(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args, (void)info;
    int64_t s = row_of(src)->last_delivered_seq;
    return s < 0 ? gql_rv_null() : gql_rv_int(s);
}

bool mes_bind_webhooks(mes *m, gql_schema *s, char *err, size_t errlen) {
    static const mes_binding response[] = {
        {"subscriptionID", mes_field_str, offsetof(hook_job, w.id)},
        {"message", mes_field_str, offsetof(hook_job, message)},
        {"secret", mes_field_str, offsetof(hook_job, w.secret)},
    };
    static const mes_binding sub[] = {
        {"subscriptionID", mes_field_str, offsetof(store_webhook, id)},
        {"streamField", f_stream_field, 0},
        {"webhookUrl", mes_field_str, offsetof(store_webhook, url)},
        {"createdAt", mes_field_time, offsetof(store_webhook, created_at)},
        {"lastDeliveredSeq", f_last_seq, 0},
        {"pendingDeliveries", mes_field_int, offsetof(store_webhook, pending)},
        {"failing", mes_field_bool, offsetof(store_webhook, failing)},
    };
    if (!mes_bind_all(s, "WebhookSubscribeResponse", response, 3, err, errlen) ||
        !mes_bind_all(s, "WebhookSubscription", sub, 7, err, errlen))
        return false;
    if (!gql_schema_bind(s, "Mutation", "webhookSubscribe", subscribe_answer, NULL) ||
        !mes_bind_mutation(m, "webhookSubscribe", plan_subscribe) ||
        !gql_schema_bind(s, "Mutation", "webhookUnsubscribe", unsubscribe_answer, NULL) ||
        !mes_bind_mutation(m, "webhookUnsubscribe", plan_unsubscribe) ||
        !gql_schema_bind(s, "Query", "webhookSubscriptions", q_subscriptions, NULL)) {
        snprintf(err, errlen, "cannot bind the webhook fields");
        return false;
    }
    return true;
}
