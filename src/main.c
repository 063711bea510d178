/*
 * main.c: the mesd command line. Each subcommand lives in its own file
 * (cmd_*.c); this file only dispatches.
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"

static void usage(FILE *out) {
    fputs("usage: mesd <command> [flags]\n"
          "\n"
          "commands:\n"
          "  check --schema FILE [--query FILE] [--variables JSON|@FILE] [--operation NAME] [--root FILE]\n"
          "        the GraphQL engine on its own: load a schema, validate and run a document\n"
          "  schema\n"
          "        print the API's schema as SDL\n"
          "  serve [--listen HOST:PORT] [--db URL] [--demo] (mesd serve --help: every flag)\n"
          "        run the server\n"
          "  token create --role admin|erp|operator [--name NAME] [--station ID] [--db URL]\n"
          "  token list [--db URL]\n"
          "  token revoke ID [--db URL]\n"
          "        API tokens: create (printed once), list, revoke\n"
          "  migrate [--db URL]\n"
          "        bring the database schema up to date\n"
          "\n"
          "Every flag also reads MESD_<FLAG> from the environment.\n",
          out);
}

int main(int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "check") == 0) return cmd_check(argc, argv);
    if (strcmp(argv[1], "schema") == 0) return cmd_schema(argc, argv);
    if (strcmp(argv[1], "serve") == 0) return cmd_serve(argc, argv);
    if (strcmp(argv[1], "token") == 0) return cmd_token(argc, argv);
    if (strcmp(argv[1], "migrate") == 0) return cmd_migrate(argc, argv);
    fprintf(stderr, "mesd: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
