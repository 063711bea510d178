/*
 * pg_migrate.h: the PostgreSQL schema migrations (src/store/migrations/pg/,
 * embedded at build time) and applying them.
 *
 * Must never: apply a migration twice (instances starting together wait on
 * one advisory lock), leave one half-applied (one transaction each), or
 * touch a database whose schema is newer than this binary.
 */
#ifndef MESD_PG_MIGRATE_H
#define MESD_PG_MIGRATE_H
#include <libpq-fe.h>
#include "store.h"

typedef struct pg_migration {
    int version;
    const char *name;
    const unsigned char *sql;   /* NUL-terminated */
} pg_migration;
extern const pg_migration pg_migrations[];
extern const size_t pg_migrations_count;

int pg_schema_version_known(void);   /* the highest version this binary has */

/* Applies every migration the database lacks, in order; *version_out is the
 * version afterwards. STORE_EVERSION when the database is newer ("database
 * schema version N is newer than this mesd (M); upgrade mesd"). Blocking:
 * runs at start, before the loop serves. */
int pg_migrate(PGconn *db, int *version_out, store_err *err);

#endif
