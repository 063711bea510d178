/*
 * store_pg_floor_write.c: the shop floor's writes on PostgreSQL, the
 * counterpart of the second half of store_orders_write.c: operators, the
 * names a completion reports, serials, a completion's summary of a
 * subtree, and notes.
 *
 * Ids: SQLite gives a new row max(id) + 1; an identity column gives the
 * next value of its sequence, which an INSERT … ON CONFLICT draws even when
 * the row exists. So a find-or-create looks the name up first and inserts
 * only when it is missing: the same ids as SQLite for the same calls (the
 * ON CONFLICT stays for another instance inserting the name meanwhile).
 *
 * Must never: turn "serial already taken" into an error (it is *taken), or
 * write outside the job's transaction.
 */
#include <string.h>
#include "pg_util.h"
#include "store_pg.h"

/* One statement answering one id in column 0 (name: its prepared name). */
static int one_id(store_tx *tx, const char *name, const char *sql, int nparams, const char *const *params,
                  int64_t *id, const char *what, store_err *err) {
    PGresult *r = pg_tx_query(tx->pg, name, sql, nparams, params, err);
    if (!r) return pgs_sqlite_err(err, what);
    *id = pg_i64(r, 0, 0);
    PQclear(r);
    return STORE_OK;
}

/* The row's id whose `name` is $1, inserted (the other columns: `cols`,
 * values `vals`) only when missing. */
#define FIND_OR_CREATE(table, cols, vals)                                                                    \
    "WITH f AS (SELECT id FROM " table " WHERE name = $1), i AS (INSERT INTO " table " (name" cols ")"    \
    " SELECT $1" vals " WHERE NOT EXISTS (SELECT 1 FROM f)"                                                 \
    " ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id)"                                  \
    " SELECT id FROM f UNION ALL SELECT id FROM i"

int pgs_tx_operator_find_or_create(store_tx *tx, const char *name, int64_t *id, store_err *err) {
    char now[PG_I64_LEN];
    const char *params[] = {name, pg_i64_param(now, tx->now)};
    return one_id(tx, "ow_operator", FIND_OR_CREATE("operators", ", created_at", ", $2::bigint"), 2, params, id,
                  "writing an operator", err);
}

int pgs_tx_names(store_tx *tx, const char *station_id, int64_t operator_id, gql_arena *a,
                 const char **station_name, const char **operator_name, store_err *err) {
    char op[PG_I64_LEN];
    const char *params[] = {station_id, pg_i64_param(op, operator_id)};
    PGresult *r = pg_tx_query(tx->pg, "ow_names",
                              "SELECT (SELECT name FROM stations WHERE id = $1::text),"
                              " (SELECT name FROM operators WHERE id = $2::bigint)",
                              2, params, err);
    if (!r) return pgs_sqlite_err(err, "reading names");
    *station_name = pg_text(r, 0, 0, a);
    *operator_name = pg_text(r, 0, 1, a);
    PQclear(r);
    return STORE_OK;
}

/* ---- serials ---- */

/* An INSERT … ON CONFLICT DO NOTHING: *taken when it wrote nothing. */
static int insert_unless_taken(store_tx *tx, const char *name, const char *sql, int nparams,
                               const char *const *params, bool *taken, const char *what, store_err *err) {
    PGresult *r = pg_tx_query(tx->pg, name, sql, nparams, params, err);
    if (!r) return pgs_sqlite_err(err, what);
    *taken = strcmp(PQcmdTuples(r), "0") == 0;
    PQclear(r);
    return STORE_OK;
}

int pgs_tx_serial_consume(store_tx *tx, const store_serial_in *in, bool *taken, store_err *err) {
    char order[PG_I64_LEN], now[PG_I64_LEN];
    const char *params[] = {pg_i64_param(order, in->order_id), in->attribute_id, in->key, in->value,
                            pg_i64_param(now, tx->now), in->attribute_name, in->external_id};
    return insert_unless_taken(tx, "ow_serial_consume",
                               "INSERT INTO consumed_serials (order_id, attribute_id, part_number, value, at,"
                               " attribute_name, external_id) VALUES ($1::bigint, $2, $3, $4, $5::bigint, $6, $7)"
                               " ON CONFLICT (part_number, value) DO NOTHING",
                               7, params, taken, "capturing a serial", err);
}

int pgs_tx_serial_produce(store_tx *tx, int64_t order_id, const char *key, const char *value, bool *taken,
                          store_err *err) {
    char order[PG_I64_LEN], now[PG_I64_LEN];
    const char *params[] = {pg_i64_param(order, order_id), key, value, pg_i64_param(now, tx->now)};
    return insert_unless_taken(tx, "ow_serial_produce",
                               "INSERT INTO produced_serials (order_id, part_number, value, at)"
                               " VALUES ($1::bigint, $2, $3, $4::bigint) ON CONFLICT (part_number, value) DO NOTHING",
                               4, params, taken, "recording a produced serial", err);
}

/* ---- a completion's summary of a subtree ---- */

static void row_captured(const PGresult *r, int i, gql_arena *a, void *item) {
    store_captured_serial *o = item;
    o->attribute_id = pg_text(r, i, 0, a);
    o->name = pg_text(r, i, 1, a);
    o->external_id = pg_text(r, i, 2, a);
    o->value = pg_text(r, i, 3, a);
}

/* The columns of the summary's first row, over the subtree's last completed
 * process `o` (NULL when none). An order produces at most one serial; the
 * LIMIT says so to PostgreSQL, which (unlike SQLite) refuses a scalar
 * subquery of two rows. */
#define SUMMARY_END_COLS                                                                                     \
    " o.completed_at, (SELECT value FROM produced_serials p WHERE p.order_id = o.id ORDER BY p.id LIMIT 1)," \
    " o.station_id, s.name, o.operator_id, op.name"
#define SUMMARY_END_JOINS                                                                                    \
    " LEFT JOIN stations s ON s.id = o.station_id LEFT JOIN operators op ON op.id = o.operator_id"

int pgs_tx_order_summary(store_tx *tx, int64_t order_id, bool leaf, gql_arena *a, store_order_summary *out,
                         store_err *err) {
    memset(out, 0, sizeof *out);
    char id[PG_I64_LEN];
    const char *params[] = {pg_i64_param(id, order_id)};
    /* the first start, and the last completed process (latest completion,
     * then latest id: NULLS LAST is SQLite's DESC) with its produced
     * serial, station and operator. A leaf is its own subtree: plain
     * lookups, no walk. */
    PGresult *r = leaf ? pg_tx_query(tx->pg, "ow_summary_leaf",
                                     "SELECT o.started_at," SUMMARY_END_COLS " FROM operation_orders o"
                                     SUMMARY_END_JOINS " WHERE o.id = $1::bigint AND o.status = 'COMPLETED'",
                                     1, params, err)
                       : pg_tx_query(tx->pg, "ow_summary_tree",
                                     PGS_TREE_OF("$1::bigint")
                                     " SELECT (SELECT min(started_at) FROM operation_orders"
                                     " WHERE id = ANY (ARRAY(SELECT id FROM tree)))," SUMMARY_END_COLS
                                     " FROM (SELECT 1) AS one LEFT JOIN operation_orders o ON o.id = ("
                                     "   SELECT x.id FROM operation_orders x JOIN operations k ON k.id = x.operation_id"
                                     "   WHERE x.id = ANY (ARRAY(SELECT id FROM tree)) AND x.status = 'COMPLETED'"
                                     "   AND k.kind = 'PROCESS'"
                                     "   ORDER BY x.completed_at DESC NULLS LAST, x.id DESC LIMIT 1)" SUMMARY_END_JOINS,
                                     1, params, err);
    if (!r) return pgs_sqlite_err(err, "summing up an order");
    if (PQntuples(r) == 1) {
        out->started_at = pg_i64(r, 0, 0);
        out->has_end = !PQgetisnull(r, 0, 1);
        out->end_at = pg_i64(r, 0, 1);
        out->end_produced_serial = pg_text(r, 0, 2, a);
        out->end_station_id = pg_text(r, 0, 3, a);
        out->end_station_name = pg_text(r, 0, 4, a);
        out->end_operator_id = pg_i64(r, 0, 5);
        out->end_operator_name = pg_text(r, 0, 6, a);
    }
    PQclear(r);
    if (leaf)
        return pgs_tx_rows(tx, "ow_captured_leaf",
                           "SELECT attribute_id, attribute_name, external_id, value FROM consumed_serials"
                           " WHERE order_id = $1::bigint ORDER BY at, id",
                           1, params, a, sizeof *out->consumed, row_captured, (void **)&out->consumed,
                           &out->nconsumed, "reading captured serials", err);
    return pgs_tx_rows(tx, "ow_captured_tree",
                       PGS_TREE_OF("$1::bigint")
                       " SELECT c.attribute_id, c.attribute_name, c.external_id, c.value FROM consumed_serials c"
                       " WHERE c.order_id = ANY (ARRAY(SELECT id FROM tree)) ORDER BY c.at, c.id",
                       1, params, a, sizeof *out->consumed, row_captured, (void **)&out->consumed, &out->nconsumed,
                       "reading captured serials", err);
}

/* ---- notes ---- */

int pgs_tx_note_type(store_tx *tx, const char *name, int64_t *id, store_err *err) {
    const char *params[] = {name};
    return one_id(tx, "ow_note_type", FIND_OR_CREATE("note_types", "", ""), 1, params, id, "writing a note type",
                  err);
}

int pgs_tx_note_insert(store_tx *tx, const store_note_in *in, store_err *err) {
    char order[PG_I64_LEN], type[PG_I64_LEN], now[PG_I64_LEN];
    const char *params[] = {in->id,
                            in->external_id,
                            in->order_id ? pg_i64_param(order, in->order_id) : NULL,
                            in->type_id ? pg_i64_param(type, in->type_id) : NULL,
                            in->text,
                            in->metadata_json,
                            in->images_json,
                            pg_i64_param(now, tx->now)};
    PGresult *r = pg_tx_query(tx->pg, "ow_note_insert",
                              "INSERT INTO notes (id, external_id, order_id, type_id, text, metadata, images,"
                              " created_at) VALUES ($1, $2, $3::bigint, $4::bigint, $5, $6, $7, $8::bigint)",
                              8, params, err);
    if (!r) return pgs_sqlite_err(err, "writing a note");
    PQclear(r);
    return STORE_OK;
}
