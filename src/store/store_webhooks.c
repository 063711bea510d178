/*
 * store_webhooks.c: webhook subscriptions and their outbox (api.md
 * "Webhooks"). The outbox row of an event is written in the event's own
 * transaction, so a committed event is never missed and a rolled-back one
 * is never delivered.
 *
 * Must never: keep the outbox of a replaced or removed subscription, or
 * write an outbox row outside the transaction of its event.
 */
#include <stdlib.h>
#include <string.h>
#include "store_internal.h"

static const char *const stream_names[STORE_STREAM_COUNT] = {"operations", "sub_operations", "completes", "notes"};

const char *store_stream_name(store_stream s) {
    return (unsigned)s < STORE_STREAM_COUNT ? stream_names[s] : NULL;
}

static bool stream_of_name(const char *name, store_stream *out) {
    for (int i = 0; name && i < STORE_STREAM_COUNT; i++)
        if (strcmp(name, stream_names[i]) == 0) {
            *out = (store_stream)i;
            return true;
        }
    return false;
}

/* Steps a statement that returns no row, then puts it back. */
static int step_done(store_tx *tx, sqlite3_stmt *st, const char *what, store_err *err) {
    int rc = sqlite3_step(st);
    stmt_put(tx->cache, st);
    return rc == SQLITE_DONE ? STORE_OK : store_sqlite_err(err, tx->db, rc, what);
}

int store_tx_webhook_outbox_fill(store_tx *tx, store_stream stream, int64_t seq, store_err *err) {
    /* one statement per event: no subscription costs one index probe */
    sqlite3_stmt *st = stmt_get(tx->cache,
                                "INSERT INTO webhook_outbox (subscription_id, seq, next_attempt_at, created_at)"
                                " SELECT id, ?1, ?2, ?2 FROM webhook_subscriptions WHERE stream = ?3",
                                err);
    if (!st) return err->code;
    sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_int64(st, 2, tx->now);
    bind_text(st, 3, store_stream_name(stream));
    return step_done(tx, st, "filling the webhook outbox", err);
}

int store_tx_webhook_delete(store_tx *tx, const char *id, bool *found, store_err *err) {
    /* the outbox goes with it: ON DELETE CASCADE (foreign_keys is on) */
    sqlite3_stmt *st = stmt_get(tx->cache, "DELETE FROM webhook_subscriptions WHERE id = ?", err);
    if (!st) return err->code;
    bind_text(st, 1, id);
    if (step_done(tx, st, "removing a webhook subscription", err)) return err->code;
    *found = sqlite3_changes(tx->db) > 0;
    return STORE_OK;
}

int store_tx_webhook_put(store_tx *tx, const store_webhook *w, bool *replaced, store_err *err) {
    if (!store_stream_name(w->stream)) return store_set_err(err, STORE_EINPUT, "no such stream");
    if (store_tx_webhook_delete(tx, w->id, replaced, err)) return err->code;
    sqlite3_stmt *st = stmt_get(tx->cache,
                                "INSERT INTO webhook_subscriptions (id, stream, response_fragment, url, headers,"
                                " secret, created_at, last_delivered_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                err);
    if (!st) return err->code;
    bind_text(st, 1, w->id);
    bind_text(st, 2, store_stream_name(w->stream));
    bind_text(st, 3, w->response_fragment);
    bind_text(st, 4, w->url);
    bind_text(st, 5, w->headers_json);
    bind_text(st, 6, w->secret);
    sqlite3_bind_int64(st, 7, tx->now);
    /* the stream's head as this transaction sees it: what is already written
       is not delivered, what commits after is */
    if (tx->head[w->stream] > 0) sqlite3_bind_int64(st, 8, tx->head[w->stream]);
    else sqlite3_bind_null(st, 8);
    return step_done(tx, st, "registering a webhook subscription", err);
}

int store_webhooks_list(store *s, gql_arena *a, store_webhook **out, size_t *n, store_err *err) {
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = stmt_get(&s->rcache,
                                "SELECT w.id, w.stream, w.response_fragment, w.url, w.headers, w.secret, w.created_at,"
                                " w.last_delivered_seq, w.failing,"
                                " (SELECT count(*) FROM webhook_outbox o WHERE o.subscription_id = w.id)"
                                " FROM webhook_subscriptions w ORDER BY w.id",
                                err);
    if (!st) return err->code;
    size_t cap = 0;
    store_webhook *rows = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            store_webhook *g = gql_arena_alloc(a, ncap * sizeof *g);
            if (*n) memcpy(g, rows, *n * sizeof *g);
            rows = g;
            cap = ncap;
        }
        store_webhook *w = &rows[(*n)++];
        memset(w, 0, sizeof *w);
        w->id = col_text(st, 0, a);
        const char *stream = (const char *)sqlite3_column_text(st, 1);
        if (!stream_of_name(stream, &w->stream)) w->stream = STORE_STREAM_OPERATIONS;   /* CHECK keeps it valid */
        w->response_fragment = col_text(st, 2, a);
        w->url = col_text(st, 3, a);
        w->headers_json = col_text(st, 4, a);
        w->secret = col_text(st, 5, a);
        w->created_at = col_i64(st, 6);
        w->last_delivered_seq = sqlite3_column_type(st, 7) == SQLITE_NULL ? -1 : col_i64(st, 7);
        w->failing = col_i64(st, 8) != 0;
        w->pending = col_i64(st, 9);
    }
    stmt_put(&s->rcache, st);
    if (rc != SQLITE_DONE) return store_sqlite_err(err, s->rdb, rc, "listing webhook subscriptions");
    *out = rows;
    return STORE_OK;
}
