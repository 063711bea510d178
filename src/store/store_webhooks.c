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

bool store_stream_of_name(const char *name, store_stream *out) {
    for (int i = 0; name && i < STORE_STREAM_COUNT && stream_names[i]; i++)
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

int sq_tx_webhook_outbox_fill(store_tx *tx, store_stream stream, int64_t seq, store_err *err) {
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

int sq_tx_webhook_delete(store_tx *tx, const char *id, bool *found, store_err *err) {
    /* the outbox goes with it: ON DELETE CASCADE (foreign_keys is on) */
    sqlite3_stmt *st = stmt_get(tx->cache, "DELETE FROM webhook_subscriptions WHERE id = ?", err);
    if (!st) return err->code;
    bind_text(st, 1, id);
    if (step_done(tx, st, "removing a webhook subscription", err)) return err->code;
    *found = sqlite3_changes(tx->db) > 0;
    return STORE_OK;
}

int sq_tx_webhook_put(store_tx *tx, const store_webhook *w, bool *replaced, store_err *err) {
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

int sq_webhooks_list(store *s, gql_arena *a, store_webhook **out, size_t *n, store_err *err) {
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
        if (!store_stream_of_name(stream, &w->stream)) w->stream = STORE_STREAM_OPERATIONS;   /* CHECK keeps it valid */
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

/* ---- delivery ---- */

/* The head row of a subscription (the least seq in its outbox, found
   through UNIQUE (subscription_id, seq): one index probe, however long the
   backlog), with its subscription. */
#define DUE_COLUMNS                                                                                  \
    "SELECT o.id, o.seq, o.attempts, o.created_at, o.next_attempt_at, w.id, w.stream,"               \
    " w.response_fragment, w.url, w.headers, w.secret, w.failing"                                    \
    " FROM webhook_subscriptions w JOIN webhook_outbox o ON o.id ="                                  \
    " (SELECT h.id FROM webhook_outbox h WHERE h.subscription_id = w.id ORDER BY h.seq LIMIT 1)"

static void read_due_row(sqlite3_stmt *st, gql_arena *a, store_webhook_due *d) {
    memset(d, 0, sizeof *d);
    d->outbox_id = col_i64(st, 0);
    d->seq = col_i64(st, 1);
    d->attempts = col_i64(st, 2);
    d->created_at = col_i64(st, 3);
    d->next_attempt_at = col_i64(st, 4);
    d->w.id = col_text(st, 5, a);
    if (!store_stream_of_name((const char *)sqlite3_column_text(st, 6), &d->w.stream))
        d->w.stream = STORE_STREAM_OPERATIONS;
    d->w.response_fragment = col_text(st, 7, a);
    d->w.url = col_text(st, 8, a);
    d->w.headers_json = col_text(st, 9, a);
    d->w.secret = col_text(st, 10, a);
    d->w.failing = col_i64(st, 11) != 0;
}

int sq_webhooks_due(store *s, int64_t now, gql_arena *a, store_webhook_due_sub **out, size_t *n,
                    store_err *err) {
    *out = NULL;
    *n = 0;
    /* only the subscription's id and URL: every due subscription is listed
       (one index probe each), the scan skips those already in flight or
       whose host is full, and reads the whole row of those it starts; ties
       (one event's rows are due at once) by id, as on PostgreSQL */
    sqlite3_stmt *st = stmt_get(&s->rcache,
                                "SELECT w.id, w.url FROM webhook_subscriptions w WHERE"
                                " (SELECT h.next_attempt_at FROM webhook_outbox h WHERE h.subscription_id = w.id"
                                " ORDER BY h.seq LIMIT 1) <= ?1"
                                " ORDER BY (SELECT h.next_attempt_at FROM webhook_outbox h WHERE h.subscription_id = w.id"
                                " ORDER BY h.seq LIMIT 1), w.id",
                                err);
    if (!st) return err->code;
    sqlite3_bind_int64(st, 1, now);
    store_webhook_due_sub *rows = NULL;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            store_webhook_due_sub *g = gql_arena_alloc(a, ncap * sizeof *g);
            if (*n) memcpy(g, rows, *n * sizeof *g);
            rows = g;
            cap = ncap;
        }
        rows[*n].id = col_text(st, 0, a);
        rows[*n].url = col_text(st, 1, a);
        (*n)++;
    }
    stmt_put(&s->rcache, st);
    if (rc != SQLITE_DONE) return store_sqlite_err(err, s->rdb, rc, "reading due webhook deliveries");
    *out = rows;
    return STORE_OK;
}

int sq_webhook_head(store *s, const char *sub_id, gql_arena *a, store_webhook_due *out, bool *found,
                    store_err *err) {
    *found = false;
    sqlite3_stmt *st = stmt_get(&s->rcache, DUE_COLUMNS " WHERE w.id = ?1", err);
    if (!st) return err->code;
    bind_text(st, 1, sub_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_due_row(st, a, out);
        *found = true;
        rc = SQLITE_DONE;
    }
    stmt_put(&s->rcache, st);
    return rc == SQLITE_DONE ? STORE_OK : store_sqlite_err(err, s->rdb, rc, "reading a webhook's next delivery");
}

/* An outbox row is named by (id, subscription, seq), never by id alone: ids
   of deleted rows are reused, and a subscription replaced or removed while
   its delivery was out must not have that late answer land on another row.
   A new subscription of the same name starts after every seq its
   predecessor had, so the triple cannot name one of its rows. */
#define OUTBOX_ROW "id = ?1 AND subscription_id = ?2 AND seq = ?3"

static void bind_row(sqlite3_stmt *st, int64_t outbox_id, const char *sub_id, int64_t seq) {
    sqlite3_bind_int64(st, 1, outbox_id);
    bind_text(st, 2, sub_id);
    sqlite3_bind_int64(st, 3, seq);
}

int sq_tx_webhook_delivered(store_tx *tx, int64_t outbox_id, const char *sub_id, int64_t seq, store_err *err) {
    sqlite3_stmt *st = stmt_get(tx->cache, "DELETE FROM webhook_outbox WHERE " OUTBOX_ROW, err);
    if (!st) return err->code;
    bind_row(st, outbox_id, sub_id, seq);
    if (step_done(tx, st, "removing a delivered webhook row", err)) return err->code;
    if (sqlite3_changes(tx->db) == 0) return STORE_OK;   /* unsubscribed or replaced meanwhile */
    st = stmt_get(tx->cache,
                  "UPDATE webhook_subscriptions SET failing = 0,"
                  " last_delivered_seq = max(coalesce(last_delivered_seq, 0), ?) WHERE id = ?",
                  err);
    if (!st) return err->code;
    sqlite3_bind_int64(st, 1, seq);
    bind_text(st, 2, sub_id);
    return step_done(tx, st, "advancing a webhook subscription", err);
}

int sq_tx_webhook_failed(store_tx *tx, int64_t outbox_id, const char *sub_id, int64_t seq, int64_t next_at,
                         const char *error, int64_t failing_before, store_err *err) {
    /* the first failure starts the hour after which the subscription is failing */
    sqlite3_stmt *st = stmt_get(tx->cache,
                                "UPDATE webhook_outbox SET attempts = attempts + 1, next_attempt_at = ?4,"
                                " last_error = ?5, first_failed_at = coalesce(first_failed_at, ?6)"
                                " WHERE " OUTBOX_ROW " RETURNING first_failed_at",
                                err);
    if (!st) return err->code;
    bind_row(st, outbox_id, sub_id, seq);
    sqlite3_bind_int64(st, 4, next_at);
    bind_text(st, 5, error);
    sqlite3_bind_int64(st, 6, tx->now);
    int rc = sqlite3_step(st);
    bool row = rc == SQLITE_ROW;
    int64_t first_failed = row ? sqlite3_column_int64(st, 0) : 0;
    if (row) rc = sqlite3_step(st);
    stmt_put(tx->cache, st);
    if (rc != SQLITE_DONE) return store_sqlite_err(err, tx->db, rc, "recording a failed webhook delivery");
    if (!row || first_failed >= failing_before) return STORE_OK;   /* gone, or not failing for long */
    st = stmt_get(tx->cache, "UPDATE webhook_subscriptions SET failing = 1 WHERE id = ?", err);
    if (!st) return err->code;
    bind_text(st, 1, sub_id);
    return step_done(tx, st, "marking a webhook subscription failing", err);
}

int sq_webhooks_counts(store *s, int64_t *pending, int64_t *failing, store_err *err) {
    sqlite3_stmt *st = stmt_get(&s->rcache,
                                "SELECT (SELECT count(*) FROM webhook_outbox),"
                                " (SELECT count(*) FROM webhook_subscriptions WHERE failing = 1)",
                                err);
    if (!st) return err->code;
    int rc = sqlite3_step(st);
    *pending = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    *failing = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
    stmt_put(&s->rcache, st);
    return rc == SQLITE_ROW ? STORE_OK : store_sqlite_err(err, s->rdb, rc, "counting webhook deliveries");
}
