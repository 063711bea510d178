/*
 * store_deploy.c: deploying processes, products (and subassemblies) and
 * stations: upserts that append events only for what changed.
 *
 * "Changed?" is one comparison: each operation and station row keeps the
 * SHA-256 of what was deployed (every field, steps, actions, attributes,
 * components, length-prefixed), so an identical deploy reads one row and
 * writes nothing. A product's links are compared one by one, since each
 * SubOperation is its own stream entry: new or changed links are streamed,
 * a removed link is archived and streamed once. The refusals, digests and
 * link changes are store_deploy_rules.c's, shared with PostgreSQL's
 * store_pg_deploy.c; this file is SQLite's statements.
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

/* The existing row's kind, digest and archived state; *found false if none. */
typedef struct existing {
    bool found, archived;
    char kind[16];
    unsigned char digest[32];
} existing;

static int load_existing(store_tx *tx, const char *sql, const char *id, existing *ex, store_err *err) {
    memset(ex, 0, sizeof *ex);
    sqlite3_stmt *st = prep(tx, sql, err);
    if (!st) return err->code;
    bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        ex->found = true;
        const char *k = (const char *)sqlite3_column_text(st, 0);
        snprintf(ex->kind, sizeof ex->kind, "%s", k ? k : "");
        if (sqlite3_column_bytes(st, 1) == 32) memcpy(ex->digest, sqlite3_column_blob(st, 1), 32);
        ex->archived = sqlite3_column_type(st, 2) != SQLITE_NULL;
        rc = SQLITE_DONE;
    }
    stmt_put(tx->cache, st);
    return rc == SQLITE_DONE ? STORE_OK : store_sqlite_err(err, tx->db, rc, "reading an operation");
}

static int load_operation(store_tx *tx, const char *id, existing *ex, store_err *err) {
    return load_existing(tx, "SELECT kind, digest, archived_at FROM operations WHERE id = ?", id, ex, err);
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
                            const unsigned char dg[32], store_err *err) {
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
    sqlite3_bind_blob(st, 8, dg, 32, SQLITE_TRANSIENT);
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

int sq_tx_deploy_process(store_tx *tx, const store_process_in *in, store_deploy_result *res, store_err *err) {
    store_deploy_result r = {0};
    if (deploy_check_process(in, err)) return err->code;
    unsigned char dg[32];
    deploy_process_digest(in, dg);
    existing ex;
    if (load_operation(tx, in->id, &ex, err) || deploy_check_kind(in->id, ex.found ? ex.kind : NULL, true, err))
        return err->code;
    if (!ex.found || ex.archived || memcmp(ex.digest, dg, 32) != 0) {
        if (upsert_operation(tx, in->id, "PROCESS", in->name, in->description, in->part_number, in->revision,
                             in->produces_serial, dg, err) ||
            write_process_children(tx, in, err) || operation_event(tx, in->id, err))
            return err->code;
        r.created = !ex.found;
        r.changed = true;
        r.events = 1;
    }
    if (res) *res = r;
    return STORE_OK;
}

/* ---- products and subassemblies ---- */

/* The components' operation ids as one JSON array (for json_each). */
static char *component_ids_json(const store_product_in *in) {
    const char **ids = malloc((in->ncomponents + 1) * sizeof *ids);
    if (!ids) abort();
    for (size_t i = 0; i < in->ncomponents; i++) ids[i] = in->components[i].operation_id;
    char *json = json_string_array(ids, in->ncomponents);
    free(ids);
    return json;
}

/* The first component id that is not an operation, via one statement. */
static int check_components_exist(store_tx *tx, const store_product_in *in, store_err *err) {
    char *json = component_ids_json(in);
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
    char *json = component_ids_json(in);
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

/* By sub_id (the primary key's order, so no sort): removed links are
 * archived, and streamed, in this order on both backends. */
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

/* deploy_links_sync's writes: ctx is the link's product */
typedef struct link_ctx { store_tx *tx; const char *parent; } link_ctx;

static int write_link(void *ctx, const store_component_in *c, int64_t position, store_err *err) {
    store_tx *tx = ((link_ctx *)ctx)->tx;
    const char *parent = ((link_ctx *)ctx)->parent;
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
    if (done(tx, st, "writing a component", err)) return err->code;
    return sub_operation_event(tx, parent, c->operation_id, err);
}

static int archive_link(void *ctx, const char *sub, store_err *err) {
    store_tx *tx = ((link_ctx *)ctx)->tx;
    const char *parent = ((link_ctx *)ctx)->parent;
    sqlite3_stmt *st = prep(tx, "UPDATE sub_operations SET archived_at = ? WHERE parent_id = ? AND sub_id = ?", err);
    if (!st) return err->code;
    sqlite3_bind_int64(st, 1, tx->now);
    bind_text(st, 2, parent);
    bind_text(st, 3, sub);
    if (done(tx, st, "archiving a component", err)) return err->code;
    return sub_operation_event(tx, parent, sub, err);
}

/* Streams each link that is new, changed, re-added or removed. */
static int sync_links(store_tx *tx, const store_product_in *in, int *events, store_err *err) {
    deploy_links old = {0};
    static const deploy_link_ops ops = {write_link, archive_link};
    link_ctx ctx = {tx, in->id};
    int rc = load_links(tx, in->id, &old, err);
    if (rc == STORE_OK) rc = deploy_links_sync(in, &old, &ops, &ctx, events, err);
    deploy_links_free(&old);
    return rc;
}

int sq_tx_deploy_product(store_tx *tx, const store_product_in *in, store_deploy_result *res, store_err *err) {
    store_deploy_result r = {0};
    if (deploy_check_product(in, err)) return err->code;
    existing ex;
    if (load_operation(tx, in->id, &ex, err) || deploy_check_kind(in->id, ex.found ? ex.kind : NULL, false, err))
        return err->code;
    if (check_components_exist(tx, in, err) || check_no_cycle(tx, in, err)) return err->code;
    unsigned char dg[32];
    deploy_product_digest(in, dg);
    if (ex.found && !ex.archived && memcmp(ex.digest, dg, 32) == 0) {
        if (res) *res = r;
        return STORE_OK;
    }
    /* the product's event first: its links' events follow it */
    if (upsert_operation(tx, in->id, store_kind_name(in->kind), in->name, NULL, in->part_number, in->revision, false,
                         dg, err) ||
        operation_event(tx, in->id, err))
        return err->code;
    r.events = 1;
    if (sync_links(tx, in, &r.events, err)) return err->code;
    r.created = !ex.found;
    r.changed = true;
    if (res) *res = r;
    return STORE_OK;
}

/* ---- stations ---- */

int sq_tx_deploy_station(store_tx *tx, const store_station_in *in, store_deploy_result *res, store_err *err) {
    store_deploy_result r = {0};
    if (deploy_check_station(in, err)) return err->code;
    /* every process exists and is a process: one statement */
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
    if (rc != SQLITE_DONE) return store_sqlite_err(err, tx->db, rc, "checking station processes");

    unsigned char dg[32];
    deploy_station_digest(in, dg);
    existing ex;
    if (load_existing(tx, "SELECT '', digest, NULL FROM stations WHERE id = ?", in->id, &ex, err)) return err->code;
    if (ex.found && memcmp(ex.digest, dg, 32) == 0) {
        if (res) *res = r;
        return STORE_OK;
    }
    if (!(st = prep(tx,
                    "INSERT INTO stations (id, name, digest, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (id)"
                    " DO UPDATE SET name = excluded.name, digest = excluded.digest, updated_at = excluded.updated_at",
                    err)))
        return err->code;
    bind_text(st, 1, in->id);
    bind_text(st, 2, in->name);
    sqlite3_bind_blob(st, 3, dg, 32, SQLITE_TRANSIENT);
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
    r.created = !ex.found;
    r.changed = true;
    if (res) *res = r;
    return STORE_OK;
}
