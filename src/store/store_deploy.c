/*
 * store_deploy.c: deploying processes, products (and subassemblies) and
 * stations: upserts that append events only for what changed.
 *
 * "Changed?" is one comparison: each operation and station row keeps the
 * SHA-256 of what was deployed (every field, steps, actions, attributes,
 * components, length-prefixed), so an identical deploy reads one row and
 * writes nothing. A product's links are compared one by one, since each
 * SubOperation is its own stream entry: new or changed links are streamed,
 * a removed link is archived and streamed once. What is refused, what
 * changed and in which order it is written are store_deploy_rules.c's,
 * shared with PostgreSQL's store_pg_deploy.c: this file is SQLite's
 * statements (its deploy_io).
 *
 * Must never: append an event for a deploy that changed nothing, accept a
 * product that contains itself, or leave children of an old version behind.
 */
#include <stdlib.h>
#include <string.h>
#include "store_deploy_rules.h"
#include "store_internal.h"

/* ---- small statement helpers ---- */
static sqlite3_stmt *prep(store_tx *tx, const char *sql, store_err *err) { return stmt_get(tx->cache, sql, err); }

/* Steps a statement that returns no row, then puts it back. */
static int done(store_tx *tx, sqlite3_stmt *st, const char *what, store_err *err) {
    int rc = sqlite3_step(st);
    stmt_put(tx->cache, st);
    return rc == SQLITE_DONE ? STORE_OK : store_sqlite_err(err, tx->db, rc, what);
}

/* The stored row's kind, archived state, and whether its digest is dg. */
static int load_existing(store_tx *tx, const char *sql, const char *id, deploy_digest dg, deploy_existing *ex,
                         store_err *err) {
    memset(ex, 0, sizeof *ex);
    sqlite3_stmt *st = prep(tx, sql, err);
    if (!st) return err->code;
    bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        ex->found = true;
        const char *k = (const char *)sqlite3_column_text(st, 0);
        snprintf(ex->kind, sizeof ex->kind, "%s", k ? k : "");
        ex->same = sqlite3_column_bytes(st, 1) == DEPLOY_DIGEST_LEN &&
                   memcmp(sqlite3_column_blob(st, 1), dg, DEPLOY_DIGEST_LEN) == 0;
        ex->archived = sqlite3_column_type(st, 2) != SQLITE_NULL;
        rc = SQLITE_DONE;
    }
    stmt_put(tx->cache, st);
    return rc == SQLITE_DONE ? STORE_OK : store_sqlite_err(err, tx->db, rc, "reading an operation");
}

static int load_operation(store_tx *tx, const char *id, deploy_digest dg, deploy_existing *ex, store_err *err) {
    return load_existing(tx, "SELECT kind, digest, archived_at FROM operations WHERE id = ?", id, dg, ex, err);
}

static int load_station(store_tx *tx, const char *id, deploy_digest dg, deploy_existing *ex, store_err *err) {
    return load_existing(tx, "SELECT '', digest, NULL FROM stations WHERE id = ?", id, dg, ex, err);
}

/* Appends an operations event and stamps the operation with its seq. */
static int operation_event(store_tx *tx, const char *id, store_err *err) {
    sqlite3_stmt *st = prep(tx, "INSERT INTO operation_events (operation_id, at) VALUES (?, ?) RETURNING seq", err);
    if (!st) return err->code;
    bind_text(st, 1, id);
    sqlite3_bind_int64(st, 2, tx->now);
    int rc = sqlite3_step(st);
    int64_t seq = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    stmt_put(tx->cache, st);
    if (rc != SQLITE_ROW) return store_sqlite_err(err, tx->db, rc, "appending an operation event");
    if (store_tx_webhook_outbox_fill(tx, STORE_STREAM_OPERATIONS, seq, err)) return err->code;
    st = prep(tx, "UPDATE operations SET seq = ?, updated_at = ? WHERE id = ?", err);
    if (!st) return err->code;
    sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_int64(st, 2, tx->now);
    bind_text(st, 3, id);
    if (done(tx, st, "stamping an operation", err)) return err->code;
    tx->head[STORE_STREAM_OPERATIONS] = seq;
    tx->appended = true;
    return STORE_OK;
}

static int sub_operation_event(store_tx *tx, const char *parent, const char *sub, store_err *err) {
    sqlite3_stmt *st =
        prep(tx, "INSERT INTO sub_operation_events (parent_id, sub_id, at) VALUES (?, ?, ?) RETURNING seq", err);
    if (!st) return err->code;
    bind_text(st, 1, parent);
    bind_text(st, 2, sub);
    sqlite3_bind_int64(st, 3, tx->now);
    int rc = sqlite3_step(st);
    int64_t seq = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    stmt_put(tx->cache, st);
    if (rc != SQLITE_ROW) return store_sqlite_err(err, tx->db, rc, "appending a sub-operation event");
    if (store_tx_webhook_outbox_fill(tx, STORE_STREAM_SUB_OPERATIONS, seq, err)) return err->code;
    st = prep(tx, "UPDATE sub_operations SET seq = ?, updated_at = ? WHERE parent_id = ? AND sub_id = ?", err);
    if (!st) return err->code;
    sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_int64(st, 2, tx->now);
    bind_text(st, 3, parent);
    bind_text(st, 4, sub);
    if (done(tx, st, "stamping a sub-operation", err)) return err->code;
    tx->head[STORE_STREAM_SUB_OPERATIONS] = seq;
    tx->appended = true;
    return STORE_OK;
}

/* Writes the operation row (insert or update, un-archiving it). */
static int upsert_operation(store_tx *tx, const char *id, const char *kind, const char *name, const char *description,
                            const char *part_number, const char *revision, bool produces_serial,
                            deploy_digest dg, store_err *err) {
    sqlite3_stmt *st = prep(tx,
                            "INSERT INTO operations (id, kind, external_id, revision, name, description,"
                            " produces_serial, digest, seq, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)"
                            " ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, external_id = excluded.external_id,"
                            " revision = excluded.revision, name = excluded.name, description = excluded.description,"
                            " produces_serial = excluded.produces_serial, digest = excluded.digest,"
                            " updated_at = excluded.updated_at, archived_at = NULL",
                            err);
    if (!st) return err->code;
    bind_text(st, 1, id);
    bind_text(st, 2, kind);
    bind_text(st, 3, part_number);
    bind_text(st, 4, revision);
    bind_text(st, 5, name);
    bind_text(st, 6, description);
    sqlite3_bind_int(st, 7, produces_serial);
    sqlite3_bind_blob(st, 8, dg, DEPLOY_DIGEST_LEN, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 9, tx->now);
    return done(tx, st, "writing an operation", err);
}

/* ---- processes ---- */

/* Replaces the process's steps, actions and consumed-serial attributes. */
static int write_process_children(store_tx *tx, const store_process_in *in, store_err *err) {
    sqlite3_stmt *st = prep(tx, "DELETE FROM steps WHERE operation_id = ?", err);
    if (!st) return err->code;
    bind_text(st, 1, in->id);
    if (done(tx, st, "replacing steps", err)) return err->code;
    if (!(st = prep(tx, "DELETE FROM consumed_serial_attrs WHERE operation_id = ?", err))) return err->code;
    bind_text(st, 1, in->id);
    if (done(tx, st, "replacing consumed serials", err)) return err->code;
    for (size_t i = 0; i < in->nattrs; i++) {
        st = prep(tx, "INSERT INTO consumed_serial_attrs (operation_id, id, position, name, part_number)"
                      " VALUES (?, ?, ?, ?, ?)", err);
        if (!st) return err->code;
        bind_text(st, 1, in->id);
        bind_text(st, 2, in->attrs[i].id);
        sqlite3_bind_int64(st, 3, (int64_t)i);
        bind_text(st, 4, in->attrs[i].name);
        bind_text(st, 5, in->attrs[i].part_number);
        if (done(tx, st, "writing a consumed serial", err)) return err->code;
    }
    for (size_t i = 0; i < in->nsteps; i++) {
        const store_step_in *s = &in->steps[i];
        st = prep(tx, "INSERT INTO steps (operation_id, id, position, name, instruction_text) VALUES (?, ?, ?, ?, ?)"
                      " RETURNING key", err);
        if (!st) return err->code;
        bind_text(st, 1, in->id);
        bind_text(st, 2, s->id);
        sqlite3_bind_int64(st, 3, (int64_t)i);
        bind_text(st, 4, s->name);
        bind_text(st, 5, s->instruction_text);
        int rc = sqlite3_step(st);
        int64_t key = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        stmt_put(tx->cache, st);
        if (rc != SQLITE_ROW) return store_sqlite_err(err, tx->db, rc, "writing a step");
        for (size_t k = 0; k < s->nactions; k++) {
            st = prep(tx, "INSERT INTO actions (step_key, id, position, description) VALUES (?, ?, ?, ?)", err);
            if (!st) return err->code;
            sqlite3_bind_int64(st, 1, key);
            bind_text(st, 2, s->actions[k].id);
            sqlite3_bind_int64(st, 3, (int64_t)k);
            bind_text(st, 4, s->actions[k].description);
            if (done(tx, st, "writing an action", err)) return err->code;
        }
    }
    return STORE_OK;
}

/* ---- products and subassemblies ---- */

/* The first component id that is not an operation, via one statement. */
static int check_components_exist(store_tx *tx, const store_product_in *in, store_err *err) {
    char *json = deploy_component_ids_json(in);
    sqlite3_stmt *st = prep(tx,
                            "SELECT j.value FROM json_each(?1) j LEFT JOIN operations o ON o.id = j.value"
                            " WHERE o.id IS NULL ORDER BY j.key LIMIT 1",
                            err);
    if (!st) { free(json); return err->code; }
    sqlite3_bind_text(st, 1, json, -1, free);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        store_set_err(err, STORE_ENOTFOUND, "component %s is not a known operation",
                      (const char *)sqlite3_column_text(st, 0));
        stmt_put(tx->cache, st);
        return err->code;
    }
    stmt_put(tx->cache, st);
    if (rc != SQLITE_DONE) return store_sqlite_err(err, tx->db, rc, "checking components");
    return STORE_OK;
}

/* Would the product be inside one of its components' trees (as they are
 * linked now)? One recursive statement. */
static int check_no_cycle(store_tx *tx, const store_product_in *in, store_err *err) {
    char *json = deploy_component_ids_json(in);
    sqlite3_stmt *st = prep(tx,
                            "WITH RECURSIVE r(id) AS (SELECT value FROM json_each(?1) UNION"
                            " SELECT so.sub_id FROM sub_operations so JOIN r ON so.parent_id = r.id"
                            " WHERE so.archived_at IS NULL)"
                            " SELECT EXISTS (SELECT 1 FROM r WHERE id = ?2)",
                            err);
    if (!st) { free(json); return err->code; }
    sqlite3_bind_text(st, 1, json, -1, free);
    bind_text(st, 2, in->id);
    int rc = sqlite3_step(st);
    bool cycle = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
    stmt_put(tx->cache, st);
    if (rc != SQLITE_ROW) return store_sqlite_err(err, tx->db, rc, "checking for cycles");
    if (cycle) return store_set_err(err, STORE_EINPUT, "%s would contain itself through its components", in->id);
    return STORE_OK;
}

static int check_components(store_tx *tx, const store_product_in *in, store_err *err) {
    return check_components_exist(tx, in, err) || check_no_cycle(tx, in, err) ? err->code : STORE_OK;
}

/* By sub_id (the primary key's order, so no sort). */
static int load_links(store_tx *tx, const char *parent, deploy_links *out, store_err *err) {
    sqlite3_stmt *st = prep(tx,
                            "SELECT sub_id, sub_group, position, optional, archived_at FROM sub_operations"
                            " WHERE parent_id = ? ORDER BY sub_id",
                            err);
    if (!st) return err->code;
    bind_text(st, 1, parent);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        deploy_links_push(out, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
                          sqlite3_column_int64(st, 2), sqlite3_column_int(st, 3) != 0,
                          sqlite3_column_type(st, 4) != SQLITE_NULL);
    stmt_put(tx->cache, st);
    return rc == SQLITE_DONE ? STORE_OK : store_sqlite_err(err, tx->db, rc, "reading components");
}

static int write_link(store_tx *tx, const char *parent, const store_component_in *c, int64_t position,
                      store_err *err) {
    sqlite3_stmt *st = prep(tx,
                            "INSERT INTO sub_operations (parent_id, sub_id, sub_group, position, optional, seq,"
                            " updated_at) VALUES (?, ?, ?, ?, ?, 0, ?) ON CONFLICT (parent_id, sub_id) DO UPDATE SET"
                            " sub_group = excluded.sub_group, position = excluded.position,"
                            " optional = excluded.optional, updated_at = excluded.updated_at, archived_at = NULL",
                            err);
    if (!st) return err->code;
    bind_text(st, 1, parent);
    bind_text(st, 2, c->operation_id);
    bind_text(st, 3, c->group);
    sqlite3_bind_int64(st, 4, position);
    sqlite3_bind_int(st, 5, c->optional);
    sqlite3_bind_int64(st, 6, tx->now);
    return done(tx, st, "writing a component", err);
}

static int archive_link(store_tx *tx, const char *parent, const char *sub, store_err *err) {
    sqlite3_stmt *st = prep(tx, "UPDATE sub_operations SET archived_at = ? WHERE parent_id = ? AND sub_id = ?", err);
    if (!st) return err->code;
    sqlite3_bind_int64(st, 1, tx->now);
    bind_text(st, 2, parent);
    bind_text(st, 3, sub);
    return done(tx, st, "archiving a component", err);
}

/* ---- stations ---- */

/* Every process exists and is a process: one statement. */
static int check_station_processes(store_tx *tx, const store_station_in *in, store_err *err) {
    sqlite3_stmt *st = prep(tx,
                            "SELECT j.value, o.kind FROM json_each(?) j LEFT JOIN operations o ON o.id = j.value"
                            " WHERE o.kind IS NOT 'PROCESS' ORDER BY j.key LIMIT 1",
                            err);
    if (!st) return err->code;
    sqlite3_bind_text(st, 1, json_string_array(in->process_ids, in->nprocesses), -1, free);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        bool missing = sqlite3_column_type(st, 1) == SQLITE_NULL;
        store_set_err(err, missing ? STORE_ENOTFOUND : STORE_EINPUT,
                      missing ? "process %s is not a known operation" : "operation %s is not a process",
                      (const char *)sqlite3_column_text(st, 0));
        stmt_put(tx->cache, st);
        return err->code;
    }
    stmt_put(tx->cache, st);
    return rc == SQLITE_DONE ? STORE_OK : store_sqlite_err(err, tx->db, rc, "checking station processes");
}

static int write_station(store_tx *tx, const store_station_in *in, deploy_digest dg, store_err *err) {
    sqlite3_stmt *st = prep(tx,
                            "INSERT INTO stations (id, name, digest, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (id)"
                            " DO UPDATE SET name = excluded.name, digest = excluded.digest,"
                            " updated_at = excluded.updated_at",
                            err);
    if (!st) return err->code;
    bind_text(st, 1, in->id);
    bind_text(st, 2, in->name);
    sqlite3_bind_blob(st, 3, dg, DEPLOY_DIGEST_LEN, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, tx->now);
    if (done(tx, st, "writing a station", err)) return err->code;
    if (!(st = prep(tx, "DELETE FROM station_processes WHERE station_id = ?", err))) return err->code;
    bind_text(st, 1, in->id);
    if (done(tx, st, "replacing station processes", err)) return err->code;
    for (size_t i = 0; i < in->nprocesses; i++) {
        if (!(st = prep(tx, "INSERT INTO station_processes (station_id, operation_id, position) VALUES (?, ?, ?)",
                        err)))
            return err->code;
        bind_text(st, 1, in->id);
        bind_text(st, 2, in->process_ids[i]);
        sqlite3_bind_int64(st, 3, (int64_t)i);
        if (done(tx, st, "writing a station process", err)) return err->code;
    }
    return STORE_OK;
}

/* ---- the deploys: store_deploy_rules.c on these statements ---- */

DEPLOY_BACKEND(sq_)
