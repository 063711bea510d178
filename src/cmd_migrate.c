/*
 * cmd_migrate.c: `mesd migrate [--db URL]`: brings the database schema up to
 * date (store_open applies every migration it lacks) and exits. A database
 * from a newer mesd is refused with the store's message and exit status 1.
 */
#include <stdio.h>
#include "cli.h"
#include "store.h"

int cmd_migrate(int argc, char **argv) {
    cli_flag flags[] = {{.name = "db", .takes_value = true}, {.name = "help"}};
    const size_t nflags = sizeof flags / sizeof flags[0];
    const char *pos[1];
    int npos = cli_parse_flags(argc, argv, 2, flags, nflags, pos, 0);
    if (npos < 0 || flags[1].present) {
        fputs("usage: mesd migrate [--db URL]\n", npos < 0 ? stderr : stdout);
        return npos < 0 ? 2 : 0;
    }
    store_err err = {0};
    store *st = store_open(cli_flag_value(flags, nflags, "db"), NULL, &err);
    if (!st) {
        fprintf(stderr, "mesd migrate: %s\n", err.message);
        return 1;
    }
    printf("database schema at version %d\n", store_schema_version(st));
    store_close(st);
    return 0;
}
