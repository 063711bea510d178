/*
 * pg_events.c: taking a stream's next seq under its stream_heads row lock,
 * and appending completion and note events (see pg_events.h).
 *
 * Must never: read a head and write head + 1 in two statements (two
 * transactions could read the same head): the UPDATE … RETURNING is the
 * read and the lock at once.
 */
#include "pg_events.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *pg_stream_key(store_stream stream) {
    static const char *const keys[STORE_STREAM_COUNT] = {
        [STORE_STREAM_OPERATIONS] = "operations", [STORE_STREAM_SUB_OPERATIONS] = "sub_operations",
        [STORE_STREAM_COMPLETES] = "completes",   [STORE_STREAM_NOTES] = "notes",
        [STORE_STREAM_WORK_ORDERS] = "work_orders",
    };
    return (unsigned)stream < STORE_STREAM_COUNT ? keys[stream] : NULL;
}

void pg_heads_parse(const PGresult *r, int64_t head[STORE_STREAM_COUNT]) {
    memset(head, 0, STORE_STREAM_COUNT * sizeof *head);
    for (int i = 0; i < PQntuples(r); i++)
        for (int k = 0; k < STORE_STREAM_COUNT; k++)
            if (strcmp(PQgetvalue(r, i, 0), pg_stream_key((store_stream)k)) == 0)
                head[k] = strtoll(PQgetvalue(r, i, 1), NULL, 10);
}

static int one_seq(PGresult *r, store_stream stream, int64_t *seq_out, store_err *err) {
    if (!r) return err->code;
    int rc = STORE_OK;
    if (PQntuples(r) != 1)
        rc = store_set_err(err, STORE_EIO, "stream %s has no row in stream_heads", pg_stream_key(stream));
    else if (seq_out)
        *seq_out = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return rc;
}

int pg_tx_next_seq(pg_tx *tx, store_stream stream, int64_t *seq_out, store_err *err) {
    if ((unsigned)stream >= STORE_STREAM_COUNT) return store_set_err(err, STORE_EINPUT, "no such stream");
    const char *params[] = {pg_stream_key(stream)};
    PGresult *r = pg_tx_query(tx, "next_seq", "UPDATE stream_heads SET head = head + 1 WHERE stream = $1 RETURNING head",
                              1, params, err);
    return one_seq(r, stream, seq_out, err);
}

/* The outbox rows of one event: a row for every subscription of the stream
 * ($1, by name), due at once. SEQ and AT are SQL expressions. */
#define OUTBOX_FILL(SEQ, AT)                                                                  \
    "INSERT INTO webhook_outbox (subscription_id, seq, next_attempt_at, created_at)"          \
    " SELECT w.id, " SEQ ", " AT ", " AT " FROM webhook_subscriptions w WHERE w.stream = $1"

int pg_tx_outbox_fill(pg_tx *tx, store_stream stream, int64_t seq, store_err *err) {
    const char *name = store_stream_name(stream);
    if (!name) return STORE_OK;   /* the work-order stream: no webhook can name it */
    char sbuf[24], at[24];
    snprintf(sbuf, sizeof sbuf, "%" PRId64, seq);
    snprintf(at, sizeof at, "%" PRId64, pg_tx_now(tx));
    const char *params[] = {name, sbuf, at};
    PGresult *r = pg_tx_query(tx, "outbox_fill", OUTBOX_FILL("$2::bigint", "$3::bigint"), 3, params, err);
    if (!r) return err->code;
    PQclear(r);
    return STORE_OK;
}

int pg_tx_append_event(pg_tx *tx, store_stream stream, const char *ref, const char *payload_json,
                       int64_t *seq_out, store_err *err) {
    /* the seq, the event and its outbox rows in one statement (one round
       trip per completion or note) */
#define APPEND(table)                                                                          \
    "WITH h AS (UPDATE stream_heads SET head = head + 1 WHERE stream = $1 RETURNING head),"    \
    " e AS (INSERT INTO " table " (seq, ref, payload, at) SELECT head, $2, $3::jsonb, $4::bigint FROM h" \
    " RETURNING seq),"                                                                         \
    " o AS (" OUTBOX_FILL("(SELECT seq FROM e)", "$4::bigint") " AND EXISTS (SELECT 1 FROM e))" \
    " SELECT seq FROM e"
    static const char *const sql[STORE_STREAM_COUNT] = {
        [STORE_STREAM_COMPLETES] = APPEND("operation_order_complete_events"),
        [STORE_STREAM_NOTES] = APPEND("note_events"),
    };
    static const char *const names[STORE_STREAM_COUNT] = {
        [STORE_STREAM_COMPLETES] = "append_completes",
        [STORE_STREAM_NOTES] = "append_notes",
    };
#undef APPEND
    if ((unsigned)stream >= STORE_STREAM_COUNT || !sql[stream] || !ref || !payload_json)
        return store_set_err(err, STORE_EINPUT, "pg_tx_append_event: completions and notes only, with a payload");
    char at[24];
    snprintf(at, sizeof at, "%" PRId64, pg_tx_now(tx));
    const char *params[] = {pg_stream_key(stream), ref, payload_json, at};
    return one_seq(pg_tx_query(tx, names[stream], sql[stream], 4, params, err), stream, seq_out, err);
}
