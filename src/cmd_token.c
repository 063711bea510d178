/*
 * cmd_token.c: `mesd token create|list|revoke` (cli.md), and the token
 * creation `mesd serve` shares for its first admin token.
 *
 * Output is for scripts: `create` prints the token alone as the last line
 * of stdout; `list` prints `id role name created revoked` tab-separated,
 * times in RFC 3339 (UTC, ms) or "-". Never prints a secret but at creation.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "store.h"

typedef struct token_job {
    const char *role, *name, *station;
    char *token, *id;
    const char *revoke_id;
} token_job;

static int create_job(store_tx *tx, void *arg, store_err *err) {
    token_job *j = arg;
    return store_tx_token_create(tx, j->role, j->name, j->station, j->token, j->id, err);
}

static int revoke_job(store_tx *tx, void *arg, store_err *err) {
    token_job *j = arg;
    return store_tx_token_revoke(tx, j->revoke_id, err);
}

int cli_token_create(store *st, const char *role, const char *name, const char *station, char *token, char *id,
                     store_err *err) {
    token_job j = {.role = role, .name = name, .station = station, .token = token, .id = id};
    return store_exec_sync(st, create_job, &j, err);
}

void cli_time_rfc3339(long long ms, char out[32]) {
    if (ms <= 0) {
        strcpy(out, "-");
        return;
    }
    time_t sec = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&sec, &tm);
    size_t n = strftime(out, 24, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%03dZ", (int)(ms % 1000));
}

static void usage(FILE *out) {
    fputs("usage: mesd token create --role admin|erp|operator [--name NAME] [--station ID] [--db URL]\n"
          "       mesd token list [--db URL]\n"
          "       mesd token revoke ID [--db URL]\n",
          out);
}

/* Tabs and newlines inside a name would break the tab-separated lines. */
static void print_field(const char *s) {
    if (!s || !*s) {
        fputs("-", stdout);
        return;
    }
    for (; *s; s++) putchar(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

static int list(store *st) {
    gql_arena a;
    gql_arena_init(&a, 4096);
    store_token *toks = NULL;
    size_t n = 0;
    store_err err = {0};
    int rc = 0;
    if (store_tokens_list(st, &a, &toks, &n, &err) != STORE_OK) {
        fprintf(stderr, "mesd token list: %s\n", err.message);
        rc = 1;
    } else {
        for (size_t i = 0; i < n; i++) {
            char created[32], revoked[32];
            cli_time_rfc3339(toks[i].created_at, created);
            cli_time_rfc3339(toks[i].revoked_at, revoked);
            printf("%s\t%s\t", toks[i].id, toks[i].role);
            print_field(toks[i].name);
            printf("\t%s\t%s\n", created, revoked);
        }
    }
    gql_arena_free(&a);
    return rc;
}

int cmd_token(int argc, char **argv) {
    cli_flag flags[] = {
        {.name = "role", .takes_value = true},
        {.name = "name", .takes_value = true},
        {.name = "station", .takes_value = true},
        {.name = "db", .takes_value = true},
        {.name = "help"},
    };
    const size_t nflags = sizeof flags / sizeof flags[0];
    const char *pos[2];
    int npos = cli_parse_flags(argc, argv, 2, flags, nflags, pos, 2);
    if (npos < 0) {
        usage(stderr);
        return 2;
    }
    if (flags[4].present) {
        usage(stdout);
        return 0;
    }
    if (npos < 1) {
        usage(stderr);
        return 2;
    }
    const char *sub = pos[0];
    bool create = strcmp(sub, "create") == 0, lst = strcmp(sub, "list") == 0, revoke = strcmp(sub, "revoke") == 0;
    if (!create && !lst && !revoke) {
        fprintf(stderr, "mesd token: unknown subcommand '%s'\n", sub);
        usage(stderr);
        return 2;
    }
    if ((revoke && npos != 2) || (!revoke && npos != 1)) {
        usage(stderr);
        return 2;
    }
    if (create && !cli_flag_value(flags, nflags, "role")) {
        fprintf(stderr, "mesd token create: --role is required (admin, erp or operator)\n");
        return 2;
    }
    store_err err = {0};
    store *st = store_open(cli_flag_value(flags, nflags, "db"), NULL, &err);
    if (!st) {
        fprintf(stderr, "mesd token: %s\n", err.message);
        return 1;
    }
    int rc = 0;
    if (lst) {
        rc = list(st);
    } else if (create) {
        char token[STORE_TOKEN_MAX], id[STORE_TOKEN_ID_LEN + 1];
        if (cli_token_create(st, cli_flag_value(flags, nflags, "role"), cli_flag_value(flags, nflags, "name"),
                             cli_flag_value(flags, nflags, "station"), token, id, &err) != STORE_OK) {
            fprintf(stderr, "mesd token create: %s\n", err.message);
            rc = 1;
        } else {
            printf("created %s token %s (shown once; store it now):\n%s\n", cli_flag_value(flags, nflags, "role"),
                   id, token);
        }
    } else {
        token_job j = {.revoke_id = pos[1]};
        if (store_exec_sync(st, revoke_job, &j, &err) != STORE_OK) {
            fprintf(stderr, "mesd token revoke: %s\n", err.message);
            rc = 1;
        } else {
            printf("revoked %s\n", pos[1]);
        }
    }
    store_close(st);
    return rc;
}
