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

#endif
