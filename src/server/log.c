/*
 * log.c: mesd's log lines: one JSON object per line on stderr,
 * {"time":"<RFC 3339 UTC, ms>","level":"info","event":"listening",<fields>}.
 *
 * Each line is built whole and written with one write(2), so lines from the
 * loop and from other threads (the store's writer logs through its caller)
 * never interleave. Values are strings unless the key starts with '#': then
 * the value is written as a JSON number (the key without the '#'), when it is
 * one.
 *
 * Must never: block the loop on anything but the write itself, or write a
 * line that is not valid JSON (every string goes through the JSON escaper).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "server_internal.h"

static log_level min_level = LOG_INFO;

static const char *const level_names[] = {"debug", "info", "warn", "error"};

void log_set_level(log_level min) { min_level = min; }

bool log_level_parse(const char *name, log_level *out) {
    for (int i = 0; i < 4; i++)
        if (strcmp(name, level_names[i]) == 0) {
            *out = (log_level)i;
            return true;
        }
    if (strcmp(name, "warning") == 0) {
        *out = LOG_WARN;
        return true;
    }
    return false;
}

bool log_enabled(log_level level) { return level >= min_level; }

/* A JSON number as JSON.parse takes it: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool is_json_number(const char *s) {
    const char *p = s;
    if (*p == '-') p++;
    if (*p == '0') p++;
    else if (*p >= '1' && *p <= '9') while (*p >= '0' && *p <= '9') p++;
    else return false;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9')) return false;
        while (*p >= '0' && *p <= '9') p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') p++;
        if (!(*p >= '0' && *p <= '9')) return false;
        while (*p >= '0' && *p <= '9') p++;
    }
    return *p == 0;
}

static void write_line(gql_buf *b) {
    gql_buf_putc(b, '\n');
    size_t off = 0;
    while (off < b->len) {
        ssize_t n = write(STDERR_FILENO, b->data + off, b->len - off);
        if (n <= 0) break;   /* stderr gone: nothing better to do with a log line */
        off += (size_t)n;
    }
}

static void line_start(gql_buf *b, log_level level, const char *event) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    gql_buf_printf(b, "{\"time\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ\",\"level\":\"%s\",\"event\":",
                   tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                   ts.tv_nsec / 1000000, level_names[level]);
    gql_json_write_string(b, event, strlen(event));
}

static void field(gql_buf *b, const char *key, const char *value) {
    bool number = key[0] == '#';
    if (number) key++;
    gql_buf_putc(b, ',');
    gql_json_write_string(b, key, strlen(key));
    gql_buf_putc(b, ':');
    if (!value) gql_buf_puts(b, "null");
    else if (number && is_json_number(value)) gql_buf_puts(b, value);
    else gql_json_write_string(b, value, strlen(value));
}

void log_event(log_level level, const char *event, ...) {
    if (level < min_level) return;
    gql_buf b;
    gql_buf_init(&b);
    line_start(&b, level, event);
    va_list ap;
    va_start(ap, event);
    for (;;) {
        const char *key = va_arg(ap, const char *);
        if (!key) break;
        field(&b, key, va_arg(ap, const char *));
    }
    va_end(ap);
    gql_buf_putc(&b, '}');
    write_line(&b);
    gql_buf_free(&b);
}

void log_net(void *user, const char *level, const char *event, const char *detail) {
    (void)user;
    /* serve logs "listening" itself, with host and port as fields that
       scripts read: net's free-text line would be a confusing twin. */
    if (strcmp(event, "listening") == 0) return;
    log_level l = LOG_INFO;
    log_level_parse(level, &l);
    if (detail) log_event(l, event, "detail", detail, NULL);
    else log_event(l, event, NULL);
}
