/*
 * migrations.c: the numbered schema migrations, compiled into the binary
 * from the files migrations/NNN_name.sql beside this one (mesd_embed;
 * test_store checks the names and order against the files). Never edit a
 * migration that has shipped: add the next one, in both dialects (pg/).
 */
#include "store_internal.h"

/* the embedded files (CMakeLists.txt: mesd_embed) */
extern const unsigned char sqlite_migration_001[], sqlite_migration_002[], sqlite_migration_003[],
    sqlite_migration_004[], sqlite_migration_005[], sqlite_migration_006[];
#define SQL(x) ((const char *)(x))

const store_migration store_migrations[] = {
    {1, "001_init", SQL(sqlite_migration_001)},
    {2, "002_read_indexes", SQL(sqlite_migration_002)},
    {3, "003_serial_names", SQL(sqlite_migration_003)},
    {4, "004_work_order_events", SQL(sqlite_migration_004)},
    {5, "005_webhook_first_failure", SQL(sqlite_migration_005)},
    {6, "006_webhook_claims", SQL(sqlite_migration_006)},
};
const size_t store_migrations_count = sizeof store_migrations / sizeof store_migrations[0];
