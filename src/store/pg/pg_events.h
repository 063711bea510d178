/*
 * pg_events.h: appending to a stream's event log on PostgreSQL, with seq
 * gap-free and in commit order across transactions and instances.
 *
 * A seq is stream_heads.head + 1, taken with
 *   UPDATE stream_heads SET head = head + 1 WHERE stream = $1 RETURNING head
 * inside the writing transaction. The row lock it takes is held until commit
 * or rollback: a second transaction appending to the stream waits there,
 * takes the next seq only once the first has committed (and is visible) or
 * rolled back (giving its seq back). So a snapshot that holds seq S + 1
 * holds S, and a subscriber replaying "seq > N" can never pass over an event
 * that commits late with a smaller seq. Why not a sequence, and the test
 * that shows both: docs/decisions.md, tests/unit/test_pg_seq.c.
 *
 * Must never: take a seq outside the transaction that writes the event.
 */
#ifndef MESD_PG_EVENTS_H
#define MESD_PG_EVENTS_H
#include "pg_writer.h"

/* The stream's next seq, locked for this transaction until it ends (for the
 * streams whose event rows the caller inserts itself). */
/* A stream's row in stream_heads (every stream, the work-order one included). */
const char *pg_stream_key(store_stream stream);

/* Every stream's head: PG_HEADS_SQL's rows, parsed by pg_heads_parse (a
 * stream without a row is 0). */
#define PG_HEADS_SQL "SELECT stream, head FROM stream_heads"
void pg_heads_parse(const PGresult *r, int64_t head[STORE_STREAM_COUNT]);

int pg_tx_next_seq(pg_tx *tx, store_stream stream, int64_t *seq_out, store_err *err);

/* Appends a completion or note event (payload: JSON, stored as jsonb) in one
 * statement: the seq, the row and its webhook outbox rows (as
 * pg_tx_outbox_fill's) together. ref: the order or note id. */
int pg_tx_append_event(pg_tx *tx, store_stream stream, const char *ref, const char *payload_json,
                       int64_t *seq_out, store_err *err);

/* The webhook outbox rows of event seq of stream: one per subscription of
 * the stream, due now (store_tx_webhook_outbox_fill). In the event's own
 * transaction, after the event's row: a committed event is delivered, a
 * rolled-back one is not. Nothing for the work-order stream. */
int pg_tx_outbox_fill(pg_tx *tx, store_stream stream, int64_t seq, store_err *err);

#endif
