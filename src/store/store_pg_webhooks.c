/*
 * store_pg_webhooks.c: webhook subscriptions and their outbox on
 * PostgreSQL, the counterpart of store_webhooks.c: the same rows, the same
 * answers. The outbox rows of an event are written by the event's own
 * transaction (pg_tx_outbox_fill, pg_events.c).
 *
 * Several instances share the outbox: a subscription is delivered by the
 * instance that holds its claim (claimed_by, claim_until: migration 006), a
 * lease rather than a held transaction (an HTTP request must not keep one
 * open). store_webhooks_due claims what is due and free (or already this
 * instance's, which renews the lease: the scan runs every 100 ms, and the
 * row in flight stays due until its answer is recorded), skipping rows
 * another instance is claiming at that moment (SKIP LOCKED);
 * store_webhook_head answers only the holder; a 2xx that empties the
 * outbox gives the claim up. An instance that dies loses its claims when
 * their database sessions end (at once: the claim names the session), or
 * else (a hung instance, a cut network) when the leases run out, and
 * another goes on from the head row (the one in flight may be sent again,
 * as after a crash on SQLite). Lease times are the database's clock, so
 * instances need not agree on the time.
 *
 * Must never: keep the outbox of a replaced or removed subscription, start
 * a subscription at a head that a transaction appending to its stream has
 * not committed yet (that event's outbox fill would miss it), or let two
 * instances hold one subscription's claim at once.
 */
#include <inttypes.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pg_events.h"
#include "pg_util.h"
#include "store_pg.h"

/* A claim lasts this long past its last renewal. The holder renews it at
 * every scan that finds the subscription due (every --webhook-scan-ms,
 * 100 ms by default), a row in flight included, and it is three times
 * libcurl's 10 s timeout, so a live holder keeps it through a delivery even
 * when scans are slow. An instance that dies frees its claims at once
 * (GONE); the lease is for one that hangs or is cut off. */
#define LEASE_MS "30000"
/* The most subscriptions one scan claims or renews: instances share a
 * burst. New claims come first, so a subscription far down a long queue is
 * claimed within a few scans even while this instance holds this many; a
 * held one left out is renewed by a later scan (or claimed again once its
 * lease has run out). */
#define CLAIM_MAX "1024"
/* claimed_by is "<claimant>:<pid>", pid the database session that claimed
 * (the claimant's reading connection): MINE(col) whether it is this
 * claimant's through the session running the statement (the loop's
 * connection: after it reconnects, the old claims are not this instance's
 * any more, as they are free for every other: it claims them again like
 * anyone, and starts no row of one it has lost), GONE(col) whether that
 * session has ended (its instance died: the claim is free at once, not only
 * when its lease runs out). Never NULL: a free row is not mine. */
#define MINE(col) "coalesce(" col " = $2 || ':' || pg_backend_pid(), false)"
#define GONE(col)                                                                                 \
    "NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid::text = split_part(" col ", ':', 2))"
/* Now, in ms, on the database's clock. */
#define DB_NOW "(extract(epoch FROM clock_timestamp()) * 1000)::bigint"

/* This store's name in claimed_by: random per process (a restarted
 * instance is another claimant), and per store (a process may open two). */
static char process_tag[17];
static void make_process_tag(void) {
    unsigned char b[8];
    if (RAND_bytes(b, sizeof b) != 1) abort();
    for (int i = 0; i < 8; i++) snprintf(process_tag + 2 * i, 3, "%02x", b[i]);
}
static const char *claimant(const store *s, char buf[40]) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, make_process_tag);
    snprintf(buf, 40, "%s-%" PRIxPTR, process_tag, (uintptr_t)s);
    return buf;
}

int pgs_tx_webhook_outbox_fill(store_tx *tx, store_stream stream, int64_t seq, store_err *err) {
    return pg_tx_outbox_fill(tx->pg, stream, seq, err);
}

int pgs_tx_webhook_delete(store_tx *tx, const char *id, bool *found, store_err *err) {
    /* the outbox goes with it: ON DELETE CASCADE */
    const char *params[] = {id};
    PGresult *r = pg_tx_query(tx->pg, "hook_delete", "DELETE FROM webhook_subscriptions WHERE id = $1", 1, params, err);
    if (!r) return err->code;
    *found = strcmp(PQcmdTuples(r), "0") != 0;
    PQclear(r);
    return STORE_OK;
}

int pgs_tx_webhook_put(store_tx *tx, const store_webhook *w, bool *replaced, store_err *err) {
    const char *stream = store_stream_name(w->stream);
    if (!stream) return store_set_err(err, STORE_EINPUT, "no such stream");
    if (pgs_tx_webhook_delete(tx, w->id, replaced, err)) return err->code;
    /* The stream's head as this transaction sees it (its own appends
       included): what is already written is not delivered, what commits
       after is. FOR SHARE waits for a transaction that holds the head's lock
       (it is appending) and reads the head it commits; an appender coming
       later waits for this one, so its outbox fill sees the subscription. */
    char nbuf[PG_I64_LEN];
    const char *params[] = {w->id, stream, w->response_fragment, w->url, w->headers_json, w->secret,
                            pg_i64_param(nbuf, tx->now)};
    PGresult *r = pg_tx_query(tx->pg, "hook_put",
                              "INSERT INTO webhook_subscriptions (id, stream, response_fragment, url, headers, secret,"
                              " created_at, last_delivered_seq) SELECT $1, $2, $3, $4, $5, $6, $7::bigint,"
                              " nullif(h.head, 0) FROM (SELECT head FROM stream_heads WHERE stream = $2 FOR SHARE) h",
                              7, params, err);
    if (!r) return err->code;
    bool inserted = strcmp(PQcmdTuples(r), "1") == 0;
    PQclear(r);
    if (!inserted) return store_set_err(err, STORE_EIO, "stream %s has no row in stream_heads", stream);
    return STORE_OK;
}

/* ---- reads ---- */

/* A subscription's columns id, stream, response_fragment, url, headers,
 * secret, from column col on. */
static void read_subscription(const PGresult *r, int row, int col, gql_arena *a, store_webhook *w) {
    w->id = pg_text(r, row, col, a);
    if (!store_stream_of_name(PQgetvalue(r, row, col + 1), &w->stream))
        w->stream = STORE_STREAM_OPERATIONS;   /* the CHECK keeps it one of the four */
    w->response_fragment = pg_text(r, row, col + 2, a);
    w->url = pg_text(r, row, col + 3, a);
    w->headers_json = pg_text(r, row, col + 4, a);
    w->secret = pg_text(r, row, col + 5, a);
}

int pgs_webhooks_list(store *s, gql_arena *a, store_webhook **out, size_t *n, store_err *err) {
    *out = NULL;
    *n = 0;
    const PGresult *r;
    if (pgs_read(s,
                 "SELECT w.id, w.stream, w.response_fragment, w.url, w.headers, w.secret, w.created_at,"
                 " w.last_delivered_seq, w.failing,"
                 " (SELECT count(*) FROM webhook_outbox o WHERE o.subscription_id = w.id)"
                 " FROM webhook_subscriptions w ORDER BY w.id COLLATE \"C\"",
                 0, NULL, &r, err))
        return err->code;
    size_t count = (size_t)PQntuples(r);
    store_webhook *rows = gql_arena_alloc(a, (count ? count : 1) * sizeof *rows);
    for (size_t i = 0; i < count; i++) {
        int row = (int)i;
        rows[i] = (store_webhook){
            .created_at = pg_i64(r, row, 6),
            .last_delivered_seq = PQgetisnull(r, row, 7) ? -1 : pg_i64(r, row, 7),
            .failing = pg_bool(r, row, 8),
            .pending = pg_i64(r, row, 9),
        };
        read_subscription(r, row, 0, a, &rows[i]);
    }
    pgs_read_release(s, r);
    *out = count ? rows : NULL;
    *n = count;
    return STORE_OK;
}

/* ---- delivery ---- */

int pgs_webhooks_due(store *s, int64_t now, gql_arena *a, store_webhook_due_sub **out, size_t *n,
                     store_err *err) {
    *out = NULL;
    *n = 0;
    /* each subscription's head row (the least seq of its outbox: one probe
       of UNIQUE (subscription_id, seq)); ties by id, as on SQLite. Claimed
       for this instance: free, run out, or its own (renewed). */
    char nbuf[PG_I64_LEN], me[40];
    const char *params[] = {pg_i64_param(nbuf, now), claimant(s, me)};
    const PGresult *r;
    if (pgs_read(s,
                 "WITH due AS (SELECT w.id, head.next_attempt_at AS next FROM webhook_subscriptions w"
                 " CROSS JOIN LATERAL (SELECT h.next_attempt_at FROM webhook_outbox h WHERE h.subscription_id = w.id"
                 " ORDER BY h.seq LIMIT 1) head WHERE head.next_attempt_at <= $1::bigint"
                 " AND (w.claimed_by IS NULL OR " MINE("w.claimed_by") " OR w.claim_until < " DB_NOW
                 " OR " GONE("w.claimed_by") ")"
                 " ORDER BY " MINE("w.claimed_by") ", head.next_attempt_at, w.id COLLATE \"C\""
                 " LIMIT " CLAIM_MAX " FOR UPDATE OF w SKIP LOCKED),"
                 " c AS (UPDATE webhook_subscriptions w SET claimed_by = $2 || ':' || pg_backend_pid(),"
                 " claim_until = " DB_NOW " + " LEASE_MS
                 " FROM due WHERE w.id = due.id RETURNING w.id, w.url, due.next)"
                 " SELECT id, url FROM c ORDER BY next, id COLLATE \"C\"",
                 2, params, &r, err))
        return err->code;
    size_t count = (size_t)PQntuples(r);
    store_webhook_due_sub *rows = gql_arena_alloc(a, (count ? count : 1) * sizeof *rows);
    for (size_t i = 0; i < count; i++)
        rows[i] = (store_webhook_due_sub){.id = pg_text(r, (int)i, 0, a), .url = pg_text(r, (int)i, 1, a)};
    pgs_read_release(s, r);
    *out = count ? rows : NULL;
    *n = count;
    return STORE_OK;
}

int pgs_webhook_head(store *s, const char *sub_id, gql_arena *a, store_webhook_due *out, bool *found,
                     store_err *err) {
    *found = false;
    char me[40];
    const char *params[] = {sub_id, claimant(s, me)};
    const PGresult *r;
    if (pgs_read(s,
                 "SELECT o.id, o.seq, o.attempts, o.created_at, o.next_attempt_at, w.id, w.stream,"
                 " w.response_fragment, w.url, w.headers, w.secret, w.failing"
                 " FROM webhook_subscriptions w CROSS JOIN LATERAL (SELECT * FROM webhook_outbox h"
                 " WHERE h.subscription_id = w.id ORDER BY h.seq LIMIT 1) o WHERE w.id = $1"
                 " AND " MINE("w.claimed_by") " AND w.claim_until >= " DB_NOW,
                 2, params, &r, err))
        return err->code;
    if (PQntuples(r) == 1) {
        *out = (store_webhook_due){
            .outbox_id = pg_i64(r, 0, 0),
            .seq = pg_i64(r, 0, 1),
            .attempts = pg_i64(r, 0, 2),
            .created_at = pg_i64(r, 0, 3),
            .next_attempt_at = pg_i64(r, 0, 4),
            .w = {.failing = pg_bool(r, 0, 11)},
        };
        read_subscription(r, 0, 5, a, &out->w);
        *found = true;
    }
    pgs_read_release(s, r);
    return STORE_OK;
}

/* An outbox row is named by (id, subscription, seq), never by id alone, as
   on SQLite (store_webhooks.c says why): a late answer for a subscription
   replaced meanwhile must not land on a row of its successor. Both writes
   are one statement each: a delivery's record is one round trip. */
#define OUTBOX_ROW "id = $1::bigint AND subscription_id = $2 AND seq = $3::bigint"

int pgs_tx_webhook_delivered(store_tx *tx, int64_t outbox_id, const char *sub_id, int64_t seq, store_err *err) {
    char ibuf[PG_I64_LEN], sbuf[PG_I64_LEN], me[40];
    const char *params[] = {pg_i64_param(ibuf, outbox_id), sub_id, pg_i64_param(sbuf, seq), claimant(tx->s, me)};
    /* the subscription moves on only if the row was still there (not
       unsubscribed or replaced meanwhile); its holder renews the claim, or
       gives it up when this was the last row */
    PGresult *r = pg_tx_query(tx->pg, "hook_delivered",
                              "WITH d AS (DELETE FROM webhook_outbox WHERE " OUTBOX_ROW " RETURNING seq),"
                              " more AS (SELECT EXISTS (SELECT 1 FROM webhook_outbox o WHERE o.subscription_id = $2"
                              " AND o.id <> $1::bigint) AS rows)"
                              " UPDATE webhook_subscriptions SET failing = 0,"
                              " last_delivered_seq = greatest(coalesce(last_delivered_seq, 0), d.seq),"
                              " claimed_by = CASE WHEN split_part(claimed_by, ':', 1) = $4 AND NOT more.rows THEN NULL"
                              " ELSE claimed_by END,"
                              " claim_until = CASE WHEN split_part(claimed_by, ':', 1) IS DISTINCT FROM $4"
                              " THEN claim_until"
                              " WHEN more.rows THEN " DB_NOW " + " LEASE_MS " END"
                              " FROM d, more WHERE id = $2",
                              4, params, err);
    if (!r) return err->code;
    PQclear(r);
    return STORE_OK;
}

int pgs_tx_webhook_failed(store_tx *tx, int64_t outbox_id, const char *sub_id, int64_t seq, int64_t next_at,
                          const char *error, int64_t failing_before, store_err *err) {
    char ibuf[PG_I64_LEN], sbuf[PG_I64_LEN], nbuf[PG_I64_LEN], tbuf[PG_I64_LEN], fbuf[PG_I64_LEN];
    const char *params[] = {pg_i64_param(ibuf, outbox_id), sub_id,           pg_i64_param(sbuf, seq),
                            pg_i64_param(nbuf, next_at),   error,            pg_i64_param(tbuf, tx->now),
                            pg_i64_param(fbuf, failing_before)};
    /* the first failure starts the hour after which the subscription is
       failing; a row that is gone changes nothing */
    PGresult *r = pg_tx_query(tx->pg, "hook_failed",
                              "WITH f AS (UPDATE webhook_outbox SET attempts = attempts + 1,"
                              " next_attempt_at = $4::bigint, last_error = $5,"
                              " first_failed_at = coalesce(first_failed_at, $6::bigint)"
                              " WHERE " OUTBOX_ROW " RETURNING first_failed_at)"
                              " UPDATE webhook_subscriptions SET failing = 1"
                              " WHERE id = $2 AND EXISTS (SELECT 1 FROM f WHERE first_failed_at < $7::bigint)",
                              7, params, err);
    if (!r) return err->code;
    PQclear(r);
    return STORE_OK;
}

int pgs_webhooks_counts(store *s, int64_t *pending, int64_t *failing, store_err *err) {
    *pending = *failing = 0;
    const PGresult *r;
    if (pgs_read(s,
                 "SELECT (SELECT count(*) FROM webhook_outbox),"
                 " (SELECT count(*) FROM webhook_subscriptions WHERE failing = 1)",
                 0, NULL, &r, err))
        return err->code;
    *pending = pg_i64(r, 0, 0);
    *failing = pg_i64(r, 0, 1);
    pgs_read_release(s, r);
    return STORE_OK;
}
