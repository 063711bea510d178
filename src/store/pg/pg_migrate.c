/*
 * pg_migrate.c: applying the PostgreSQL migrations (see pg_migrate.h).
 *
 * Blocking libpq on purpose: this runs once at start-up, before the event
 * loop serves anything, like the SQLite migrations in store_open.c.
 * Several instances may start together on one database: each takes the
 * same session advisory lock first, so one applies what is missing and the
 * others then find the version current.
 *
 * Must never: run a migration outside its own transaction, or go on after a
 * failed one (the lock is released and the error returned).
 */
#include "pg_migrate.h"
#include <stdio.h>
#include <stdlib.h>
#include "pg_util.h"

/* the embedded files (CMakeLists.txt: mesd_embed) */
extern const unsigned char pg_migration_001[], pg_migration_002[], pg_migration_003[], pg_migration_004[],
    pg_migration_005[], pg_migration_006[];

const pg_migration pg_migrations[] = {
    {1, "001_init", pg_migration_001},
    {2, "002_read_indexes", pg_migration_002},
    {3, "003_serial_names", pg_migration_003},
    {4, "004_work_order_events", pg_migration_004},
    {5, "005_webhook_first_failure", pg_migration_005},
    {6, "006_webhook_claims", pg_migration_006},
};
const size_t pg_migrations_count = sizeof pg_migrations / sizeof pg_migrations[0];

int pg_schema_version_known(void) { return pg_migrations[pg_migrations_count - 1].version; }

/* Any bigint will do, as long as every mesd uses the same one. */
#define MIGRATION_LOCK "7306092345117229"

static int read_version(PGconn *db, int *version, store_err *err) {
    PGresult *r = pg_exec(db, "SELECT coalesce(max(version), 0) FROM schema_version", 0, NULL, err);
    if (!r) return err->code;
    *version = atoi(PQgetvalue(r, 0, 0));
    PQclear(r);
    return STORE_OK;
}

static int refuse_newer(int version, store_err *err) {
    return store_set_err(err, STORE_EVERSION, "database schema version %d is newer than this mesd (%d); upgrade mesd",
                         version, pg_schema_version_known());
}

/* One migration in one transaction. PQexec, not pg_exec: a migration file
 * holds several statements, which only the simple query protocol runs. */
static int apply(PGconn *db, const pg_migration *m, store_err *err) {
    if (pg_exec_cmd(db, "BEGIN", err)) return err->code;
    PGresult *r = PQexec(db, (const char *)m->sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
        pg_result_err(db, r, err);
        PQclear(r);
        char what[64 + sizeof err->message];
        snprintf(what, sizeof what, "migration %s: %s", m->name, err->message);
        store_set_err(err, STORE_EIO, "%s", what);
        goto rollback;
    }
    PQclear(r);
    char version[16];
    snprintf(version, sizeof version, "%d", m->version);
    const char *params[] = {version, m->name};
    r = pg_exec(db,
                "INSERT INTO schema_version (version, name, applied_at)"
                " VALUES ($1, $2, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)",
                2, params, err);
    if (!r) goto rollback;
    PQclear(r);
    if (pg_exec_cmd(db, "COMMIT", err)) goto rollback;
    return STORE_OK;
rollback:
    PQclear(PQexec(db, "ROLLBACK"));
    return err->code;
}

static int migrate_locked(PGconn *db, int *version_out, store_err *err) {
    if (pg_exec_cmd(db,
                    "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, name text NOT NULL,"
                    " applied_at bigint NOT NULL)",
                    err))
        return err->code;
    int version = 0;
    if (read_version(db, &version, err)) return err->code;
    if (version > pg_schema_version_known()) return refuse_newer(version, err);
    for (size_t i = 0; i < pg_migrations_count; i++) {
        const pg_migration *m = &pg_migrations[i];
        if (m->version <= version) continue;
        if (apply(db, m, err)) return err->code;
        version = m->version;
    }
    *version_out = version;
    return STORE_OK;
}

static void ignore_notice(void *arg, const char *message) { (void)arg, (void)message; }

int pg_migrate(PGconn *db, int *version_out, store_err *err) {
    /* CREATE … IF NOT EXISTS on an existing table says so in a NOTICE, which
     * libpq would print to stderr: nothing anyone needs to read */
    PQnoticeProcessor was = PQsetNoticeProcessor(db, ignore_notice, NULL);
    int rc = pg_exec_cmd(db, "SELECT pg_advisory_lock(" MIGRATION_LOCK ")", err);
    if (rc) {
        PQsetNoticeProcessor(db, was, NULL);
        return rc;
    }
    rc = migrate_locked(db, version_out, err);
    store_err unlock_err;
    if (pg_exec_cmd(db, "SELECT pg_advisory_unlock(" MIGRATION_LOCK ")", &unlock_err) && rc == STORE_OK) {
        *err = unlock_err;
        rc = err->code;
    }
    PQsetNoticeProcessor(db, was, NULL);
    return rc;
}
