/* cli.c: see cli.h. */
#include "cli.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *env_value(const char *name) {
    char key[96] = "MESD_";
    size_t n = 5;
    for (const char *p = name; *p && n + 1 < sizeof key; p++) key[n++] = *p == '-' ? '_' : (char)toupper((unsigned char)*p);
    key[n] = 0;
    return getenv(key);
}

int cli_parse_flags(int argc, char **argv, int first, cli_flag *flags, size_t nflags,
                    const char **positional, int max_pos) {
    int npos = 0;
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0 || a[2] == 0) {
            if (npos >= max_pos) {
                fprintf(stderr, "mesd: unexpected argument '%s'\n", a);
                return -1;
            }
            positional[npos++] = a;
            continue;
        }
        const char *name = a + 2;
        const char *eq = strchr(name, '=');
        size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
        cli_flag *f = NULL;
        for (size_t k = 0; k < nflags; k++)
            if (strlen(flags[k].name) == nlen && strncmp(flags[k].name, name, nlen) == 0) f = &flags[k];
        if (!f) {
            fprintf(stderr, "mesd: unknown flag '--%.*s'\n", (int)nlen, name);
            return -1;
        }
        f->present = true;
        if (!f->takes_value) {
            if (eq) {
                fprintf(stderr, "mesd: flag '--%s' takes no value\n", f->name);
                return -1;
            }
            f->value = "true";
        } else if (eq) {
            f->value = eq + 1;
        } else if (i + 1 < argc) {
            f->value = argv[++i];
        } else {
            fprintf(stderr, "mesd: flag '--%s' needs a value\n", f->name);
            return -1;
        }
    }
    for (size_t k = 0; k < nflags; k++)
        if (!flags[k].present) {
            const char *v = env_value(flags[k].name);
            if (v) {
                flags[k].value = flags[k].takes_value ? v : "true";
                flags[k].present = true;
            }
        }
    return npos;
}

const char *cli_flag_value(const cli_flag *flags, size_t nflags, const char *name) {
    for (size_t k = 0; k < nflags; k++)
        if (strcmp(flags[k].name, name) == 0) return flags[k].value;
    return NULL;
}

char *cli_read_file(const char *path, size_t *len) {
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            cap *= 2;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                if (f != stdin) fclose(f);
                errno = ENOMEM;
                return NULL;
            }
            buf = nb;
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0) break;
    }
    int err = ferror(f);
    if (f != stdin) fclose(f);
    if (err) {
        free(buf);
        errno = EIO;
        return NULL;
    }
    buf[n] = 0;
    if (len) *len = n;
    return buf;
}
