/*
 * store_work_order_events.c: appends to the work-order stream
 * (STORE_STREAM_WORK_ORDERS, table work_order_events of migration 004) for
 * the order writes of store_orders_write.c, which call these right where
 * they change a status, inside the same job: a committed status change has
 * its event and a rolled-back one has none.
 *
 * Only PROCESS orders (work orders) get events; the kind is checked in the
 * appending statement itself, so a caller cannot forget it. No webhook
 * outbox row is ever written for this stream: a webhook fragment can only
 * be on one of the four Pico types (store_stream_name is NULL for it).
 *
 * Must never: append outside the job's transaction, append for a product or
 * subassembly order, or leave tx->head behind the highest seq it wrote.
 */
#include "store_internal.h"

int store_wo_append(store_tx *tx, sqlite3_stmt *st, const char *what, store_err *err) {
    int64_t last = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(st, 0);
        if (seq > last) last = seq;
    }
    stmt_put(tx->cache, st);
    if (rc != SQLITE_DONE) return store_sqlite_err(err, tx->db, rc, what);
    if (last) {
        tx->head[STORE_STREAM_WORK_ORDERS] = last;
        tx->appended = true;
    }
    return STORE_OK;
}

int store_wo_event_of(store_tx *tx, int64_t order_id, store_err *err) {
    /* the row as the write just left it: its status is the one the change gave */
    sqlite3_stmt *st = stmt_get(tx->cache, STORE_WO_APPEND("o.status", "?2") " AND o.id = ?1 RETURNING seq", err);
    if (!st) return err->code;
    sqlite3_bind_int64(st, 1, order_id);
    sqlite3_bind_int64(st, 2, tx->now);
    return store_wo_append(tx, st, "appending a work-order event", err);
}
