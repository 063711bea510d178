/*
 * store_pg_deploy.c: deploying processes, products (and subassemblies) and
 * stations on PostgreSQL, the counterpart of store_deploy.c: PostgreSQL's
 * statements (its deploy_io) under the same rules (store_deploy_rules.c:
 * refusals, digests, link changes, order of the writes), so the same rows
 * and events. An event's seq comes from pg_tx_next_seq, taken at the first
 * event of the deploy (after every check and the operation's own row), and
 * its webhook outbox rows are written right after it, as SQLite's are.
 *
 * Must never: append an event for a deploy that changed nothing, accept a
 * product that contains itself, or leave children of an old version behind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pg_events.h"
#include "pg_util.h"
#include "store_deploy_rules.h"
#include "store_pg.h"

/* A digest as decode($n, 'hex') takes it. */
typedef char digest_hex[2 * DEPLOY_DIGEST_LEN + 1];
static const char *hex_of(deploy_digest dg, digest_hex out) {
    for (int i = 0; i < DEPLOY_DIGEST_LEN; i++) snprintf(out + 2 * i, 3, "%02x", dg[i]);
    return out;
}

/* Runs a statement whose rows are not needed. */
static int run(store_tx *tx, const char *name, const char *sql, int n, const char *const *params, store_err *err) {
    PGresult *r = pg_tx_query(tx->pg, name, sql, n, params, err);
    if (!r) return err->code;
    PQclear(r);
    return STORE_OK;
}

/* The stored row: kind ("" for a station), archived, whether its digest is
 * dg; sql's $1 is the id, $2 the digest in hex. */
static int load_existing(store_tx *tx, const char *name, const char *sql, const char *id, deploy_digest dg,
                         deploy_existing *ex, store_err *err) {
    memset(ex, 0, sizeof *ex);
    digest_hex hex;
    const char *params[] = {id, hex_of(dg, hex)};
    PGresult *r = pg_tx_query(tx->pg, name, sql, 2, params, err);
    if (!r) return err->code;
    if (PQntuples(r) == 1) {
        ex->found = true;
        snprintf(ex->kind, sizeof ex->kind, "%s", PQgetvalue(r, 0, 0));
        ex->same = pg_bool(r, 0, 1);
        ex->archived = pg_bool(r, 0, 2);
    }
    PQclear(r);
    return STORE_OK;
}

static int load_operation(store_tx *tx, const char *id, deploy_digest dg, deploy_existing *ex, store_err *err) {
    return load_existing(tx, "dep_operation_load",
                         "SELECT kind, digest = decode($2, 'hex'), archived_at IS NOT NULL FROM operations WHERE id = $1",
                         id, dg, ex, err);
}

static int load_station(store_tx *tx, const char *id, deploy_digest dg, deploy_existing *ex, store_err *err) {
    return load_existing(tx, "dep_station_load",
                         "SELECT '', digest = decode($2, 'hex'), false FROM stations WHERE id = $1", id, dg, ex, err);
}

/* Appends an event to stream: sql writes its row and stamps its object
 * ($1 the seq, $2… the rest of params, whose [0] is set here), then its
 * webhook outbox rows. */
static int append(store_tx *tx, store_stream stream, const char *name, const char *sql, int n, const char **params,
                  store_err *err) {
    int64_t seq;
    char sbuf[PG_I64_LEN];
    if (pg_tx_next_seq(tx->pg, stream, &seq, err)) return err->code;
    params[0] = pg_i64_param(sbuf, seq);
    if (run(tx, name, sql, n, params, err)) return err->code;
    return pg_tx_outbox_fill(tx->pg, stream, seq, err);
}

static int operation_event(store_tx *tx, const char *id, store_err *err) {
    char nbuf[PG_I64_LEN];
    const char *params[] = {NULL, id, pg_i64_param(nbuf, tx->now)};
    return append(tx, STORE_STREAM_OPERATIONS, "dep_operation_event",
                  "WITH e AS (INSERT INTO operation_events (seq, operation_id, at) VALUES ($1, $2, $3))"
                  " UPDATE operations SET seq = $1, updated_at = $3 WHERE id = $2",
                  3, params, err);
}

static int sub_operation_event(store_tx *tx, const char *parent, const char *sub, store_err *err) {
    char nbuf[PG_I64_LEN];
    const char *params[] = {NULL, parent, sub, pg_i64_param(nbuf, tx->now)};
    return append(tx, STORE_STREAM_SUB_OPERATIONS, "dep_sub_operation_event",
                  "WITH e AS (INSERT INTO sub_operation_events (seq, parent_id, sub_id, at) VALUES ($1, $2, $3, $4))"
                  " UPDATE sub_operations SET seq = $1, updated_at = $4 WHERE parent_id = $2 AND sub_id = $3",
                  4, params, err);
}

/* Writes the operation row (insert or update, un-archiving it). */
static int upsert_operation(store_tx *tx, const char *id, const char *kind, const char *name, const char *description,
                            const char *part_number, const char *revision, bool produces_serial, deploy_digest dg,
                            store_err *err) {
    char nbuf[PG_I64_LEN];
    digest_hex hex;
    const char *params[] = {id, kind, part_number, revision, name, description, produces_serial ? "1" : "0",
                            hex_of(dg, hex), pg_i64_param(nbuf, tx->now)};
    return run(tx, "dep_operation_upsert",
               "INSERT INTO operations (id, kind, external_id, revision, name, description, produces_serial, digest,"
               " seq, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, decode($8, 'hex'), 0, $9)"
               " ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, external_id = excluded.external_id,"
               " revision = excluded.revision, name = excluded.name, description = excluded.description,"
               " produces_serial = excluded.produces_serial, digest = excluded.digest,"
               " updated_at = excluded.updated_at, archived_at = NULL",
               9, params, err);
}

/* ---- processes ---- */

static int write_step(store_tx *tx, const char *op_id, const store_step_in *s, size_t position, store_err *err) {
    char pbuf[PG_I64_LEN], kbuf[PG_I64_LEN];
    const char *params[] = {op_id, s->id, pg_i64_param(pbuf, (int64_t)position), s->name, s->instruction_text};
    PGresult *r = pg_tx_query(tx->pg, "dep_step_insert",
                              "INSERT INTO steps (operation_id, id, position, name, instruction_text)"
                              " VALUES ($1, $2, $3, $4, $5) RETURNING key",
                              5, params, err);
    if (!r) return err->code;
    pg_i64_param(kbuf, pg_i64(r, 0, 0));
    PQclear(r);
    for (size_t k = 0; k < s->nactions; k++) {
        const char *ap[] = {kbuf, s->actions[k].id, pg_i64_param(pbuf, (int64_t)k), s->actions[k].description};
        if (run(tx, "dep_action_insert",
                "INSERT INTO actions (step_key, id, position, description) VALUES ($1, $2, $3, $4)", 4, ap, err))
            return err->code;
    }
    return STORE_OK;
}

/* Replaces the process's steps (their actions go with them: ON DELETE
 * CASCADE) and consumed-serial attributes. */
static int write_process_children(store_tx *tx, const store_process_in *in, store_err *err) {
    const char *id[] = {in->id};
    if (run(tx, "dep_steps_delete", "DELETE FROM steps WHERE operation_id = $1", 1, id, err) ||
        run(tx, "dep_attrs_delete", "DELETE FROM consumed_serial_attrs WHERE operation_id = $1", 1, id, err))
        return err->code;
    for (size_t i = 0; i < in->nattrs; i++) {
        char pbuf[PG_I64_LEN];
        const store_attr_in *at = &in->attrs[i];
        const char *params[] = {in->id, at->id, pg_i64_param(pbuf, (int64_t)i), at->name, at->part_number};
        if (run(tx, "dep_attr_insert",
                "INSERT INTO consumed_serial_attrs (operation_id, id, position, name, part_number)"
                " VALUES ($1, $2, $3, $4, $5)",
                5, params, err))
            return err->code;
    }
    for (size_t i = 0; i < in->nsteps; i++)
        if (write_step(tx, in->id, &in->steps[i], i, err)) return err->code;
    return STORE_OK;
}

/* ---- products and subassemblies ---- */

/* The first component that is not an operation, and whether the product
 * would be inside one of its components' trees (as they are linked now):
 * one statement. */
static int check_components(store_tx *tx, const store_product_in *in, store_err *err) {
    char *json = deploy_component_ids_json(in);
    const char *params[] = {json, in->id};
    PGresult *r = pg_tx_query(tx->pg, "dep_components_check",
                              "SELECT (SELECT p.v FROM jsonb_array_elements_text($1::jsonb) WITH ORDINALITY AS p(v, i)"
                              " LEFT JOIN operations o ON o.id = p.v WHERE o.id IS NULL ORDER BY p.i LIMIT 1),"
                              " EXISTS (WITH RECURSIVE r(id) AS (SELECT c.v FROM jsonb_array_elements_text($1::jsonb) AS c(v)"
                              " UNION SELECT so.sub_id FROM sub_operations so JOIN r ON so.parent_id = r.id"
                              " WHERE so.archived_at IS NULL) SELECT 1 FROM r WHERE id = $2)",
                              2, params, err);
    free(json);
    if (!r) return err->code;
    int rc = STORE_OK;
    if (!PQgetisnull(r, 0, 0))
        rc = store_set_err(err, STORE_ENOTFOUND, "component %s is not a known operation", PQgetvalue(r, 0, 0));
    else if (pg_bool(r, 0, 1))
        rc = store_set_err(err, STORE_EINPUT, "%s would contain itself through its components", in->id);
    PQclear(r);
    return rc;
}

/* In SQLite's order (its primary key's: by sub_id in bytes). */
static int load_links(store_tx *tx, const char *parent, deploy_links *out, store_err *err) {
    const char *params[] = {parent};
    PGresult *r = pg_tx_query(tx->pg, "dep_links_load",
                              "SELECT sub_id, sub_group, position, optional, archived_at IS NOT NULL"
                              " FROM sub_operations WHERE parent_id = $1 ORDER BY sub_id COLLATE \"C\"",
                              1, params, err);
    if (!r) return err->code;
    for (int i = 0; i < PQntuples(r); i++)
        deploy_links_push(out, PQgetvalue(r, i, 0), PQgetisnull(r, i, 1) ? NULL : PQgetvalue(r, i, 1),
                          pg_i64(r, i, 2), pg_bool(r, i, 3), pg_bool(r, i, 4));
    PQclear(r);
    return STORE_OK;
}

static int write_link(store_tx *tx, const char *parent, const store_component_in *c, int64_t position,
                      store_err *err) {
    char pbuf[PG_I64_LEN], nbuf[PG_I64_LEN];
    const char *params[] = {parent, c->operation_id, c->group, pg_i64_param(pbuf, position), c->optional ? "1" : "0",
                            pg_i64_param(nbuf, tx->now)};
    return run(tx, "dep_link_upsert",
               "INSERT INTO sub_operations (parent_id, sub_id, sub_group, position, optional, seq, updated_at)"
               " VALUES ($1, $2, $3, $4, $5, 0, $6) ON CONFLICT (parent_id, sub_id) DO UPDATE SET"
               " sub_group = excluded.sub_group, position = excluded.position, optional = excluded.optional,"
               " updated_at = excluded.updated_at, archived_at = NULL",
               6, params, err);
}

static int archive_link(store_tx *tx, const char *parent, const char *sub_id, store_err *err) {
    char nbuf[PG_I64_LEN];
    const char *params[] = {pg_i64_param(nbuf, tx->now), parent, sub_id};
    return run(tx, "dep_link_archive",
               "UPDATE sub_operations SET archived_at = $1 WHERE parent_id = $2 AND sub_id = $3", 3, params, err);
}

/* ---- stations ---- */

/* Every process exists and is a process: one statement. */
static int check_station_processes(store_tx *tx, const store_station_in *in, store_err *err) {
    char *json = json_string_array(in->process_ids, in->nprocesses);
    const char *params[] = {json};
    PGresult *r = pg_tx_query(tx->pg, "dep_station_processes_check",
                              "SELECT p.v, o.kind FROM jsonb_array_elements_text($1::jsonb) WITH ORDINALITY AS p(v, i)"
                              " LEFT JOIN operations o ON o.id = p.v WHERE o.kind IS DISTINCT FROM 'PROCESS'"
                              " ORDER BY p.i LIMIT 1",
                              1, params, err);
    free(json);
    if (!r) return err->code;
    int rc = STORE_OK;
    if (PQntuples(r) == 1) {
        bool missing = PQgetisnull(r, 0, 1);
        rc = store_set_err(err, missing ? STORE_ENOTFOUND : STORE_EINPUT,
                      missing ? "process %s is not a known operation" : "operation %s is not a process",
                      PQgetvalue(r, 0, 0));
    }
    PQclear(r);
    return rc;
}

static int write_station(store_tx *tx, const store_station_in *in, deploy_digest dg, store_err *err) {
    char nbuf[PG_I64_LEN];
    digest_hex hex;
    const char *params[] = {in->id, in->name, hex_of(dg, hex), pg_i64_param(nbuf, tx->now)};
    if (run(tx, "dep_station_upsert",
            "INSERT INTO stations (id, name, digest, updated_at) VALUES ($1, $2, decode($3, 'hex'), $4)"
            " ON CONFLICT (id) DO UPDATE SET name = excluded.name, digest = excluded.digest,"
            " updated_at = excluded.updated_at",
            4, params, err) ||
        run(tx, "dep_station_processes_delete", "DELETE FROM station_processes WHERE station_id = $1", 1, params,
            err))
        return err->code;
    for (size_t i = 0; i < in->nprocesses; i++) {
        char pbuf[PG_I64_LEN];
        const char *sp[] = {in->id, in->process_ids[i], pg_i64_param(pbuf, (int64_t)i)};
        if (run(tx, "dep_station_process_insert",
                "INSERT INTO station_processes (station_id, operation_id, position) VALUES ($1, $2, $3)", 3, sp, err))
            return err->code;
    }
    return STORE_OK;
}

/* ---- the deploys: store_deploy_rules.c on these statements ---- */

DEPLOY_BACKEND(pgs_)
