/*
 * cli.h: small helpers shared by the subcommands of the mesd command line:
 * flag parsing with environment fallbacks (MESD_<FLAG>), file reading.
 */
#ifndef MESD_CLI_H
#define MESD_CLI_H
#include <stdbool.h>
#include <stddef.h>

typedef struct cli_flag {
    const char *name;      /* "schema" for --schema */
    bool takes_value;
    const char *value;     /* set by cli_parse_flags: argv, else MESD_<NAME>, else NULL */
    bool present;
} cli_flag;

/* Parses argv[first..] against flags. Returns the number of positional
 * arguments moved to the front of positional[] (at most max_pos), or -1 after
 * printing a usage error to stderr. Flags not given on the command line are
 * read from the environment (MESD_ + upper-case name, '-' as '_'). */
int cli_parse_flags(int argc, char **argv, int first, cli_flag *flags, size_t nflags,
                    const char **positional, int max_pos);
const char *cli_flag_value(const cli_flag *flags, size_t nflags, const char *name);

/* Reads a whole file ("-" is standard input) into a malloc'd NUL-terminated
 * buffer. NULL with errno set on failure. */
char *cli_read_file(const char *path, size_t *len);

int cmd_check(int argc, char **argv);
int cmd_schema(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_migrate(int argc, char **argv);

/* A new token in its own committed transaction (cmd_token.c; `serve` uses
 * it for the first admin token). Returns STORE_OK or the store's error. */
struct store;
struct store_err;
int cli_token_create(struct store *st, const char *role, const char *name, const char *station,
                     char *token_out, char *id_out, struct store_err *err);
/* ms since the epoch as RFC 3339 UTC with milliseconds; "-" for 0. */
void cli_time_rfc3339(long long ms, char out[32]);

#endif
