/*
 * store_pg_work_order_events.c: appends to the work-order stream on
 * PostgreSQL, the counterpart of store_work_order_events.c for the order
 * writes of store_pg_orders_write.c, which call these right where they
 * change a status, inside the same job.
 *
 * A statement built with PGS_WO_EVENTS (store_pg.h) selects the events'
 * orders (processes only: the kind test is in the macro; for a save or a
 * cancel, the rows its own UPDATE changed), then takes as many seqs as it
 * has rows from stream_heads in one UPDATE, under the stream's row lock
 * until the transaction ends (pg_events.h says why), and numbers the rows
 * in order id order: seq stays gap-free and in commit order, as
 * pg_tx_next_seq's does for one row, in one round trip however many
 * orders a cancel or a save touches. The writer reads the heads before
 * COMMIT, so nothing here moves tx->head.
 *
 * Must never: take a seq for a product or subassembly order, take the
 * stream's lock when there is no event to write, or leave a hole.
 */
#include "pg_util.h"
#include "store_pg.h"

int pgs_wo_event_of(store_tx *tx, int64_t order_id, store_err *err) {
    /* the row as the write just left it: its status is the one the change gave */
    char id[PG_I64_LEN], now[PG_I64_LEN];
    const char *params[] = {pg_i64_param(id, order_id), pg_i64_param(now, tx->now)};
    PGresult *r = pg_tx_query(tx->pg, "ow_wo_event_of",
                              "WITH" PGS_WO_EVENTS("operation_orders o", "o.status", "$2::bigint", "o.id = $1::bigint")
                              " SELECT count(*) FROM ins",
                              2, params, err);
    if (!r) return pgs_sqlite_err(err, "appending a work-order event");
    PQclear(r);
    return STORE_OK;
}
