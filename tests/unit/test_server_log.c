/*
 * test_server_log.c: mesd's JSON log lines (src/server/log.c): one object
 * per line with time, level and event first, strings escaped, '#' keys as
 * numbers only when the value is one, the level filter, net's lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "server_internal.h"

/* Runs fn with stderr redirected to a temporary file; returns what it wrote. */
static char captured[4096];
static const char *capture(void (*fn)(void)) {
    fflush(stderr);
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    int saved = dup(STDERR_FILENO);
    dup2(fileno(tmp), STDERR_FILENO);
    fn();
    dup2(saved, STDERR_FILENO);
    close(saved);
    rewind(tmp);
    size_t n = fread(captured, 1, sizeof captured - 1, tmp);
    captured[n] = 0;
    fclose(tmp);
    return captured;
}

/* The line without its "time" value, which changes. */
static const char *untimed(const char *line) {
    static char out[4096];
    const char *t = strstr(line, "\"time\":\"");
    assert_non_null(t);
    assert_ptr_equal(t, line + 1);
    const char *end = strchr(t + 8, '"');
    assert_int_equal(end - (t + 8), 24);   /* 2026-11-27T03:13:06.795Z */
    assert_int_equal(t[8 + 23], 'Z');
    snprintf(out, sizeof out, "{%s", end + 2);
    return out;
}

static void emit_fields(void) {
    log_set_level(LOG_INFO);
    log_event(LOG_INFO, "listening", "host", "127.0.0.1", "#port", "4000", NULL);
}

static void test_fields(void **state) {
    (void)state;
    assert_string_equal(untimed(capture(emit_fields)),
                        "{\"level\":\"info\",\"event\":\"listening\",\"host\":\"127.0.0.1\",\"port\":4000}\n");
}

static void emit_escapes(void) {
    log_set_level(LOG_INFO);
    log_event(LOG_WARN, "odd", "detail", "a \"quote\"\nnew line\\", "#n", "12abc", "#f", "-1.5e3", "none", NULL,
              NULL);
}

static void test_escapes_and_numbers(void **state) {
    (void)state;
    assert_string_equal(untimed(capture(emit_escapes)),
                        "{\"level\":\"warn\",\"event\":\"odd\",\"detail\":\"a \\\"quote\\\"\\nnew line\\\\\","
                        "\"n\":\"12abc\",\"f\":-1.5e3,\"none\":null}\n");
}

static void emit_levels(void) {
    log_set_level(LOG_WARN);
    log_event(LOG_DEBUG, "d", NULL);
    log_event(LOG_INFO, "i", NULL);
    log_event(LOG_WARN, "w", NULL);
    log_event(LOG_ERROR, "e", NULL);
    log_set_level(LOG_INFO);
}

static void test_levels(void **state) {
    (void)state;
    const char *out = capture(emit_levels);
    assert_null(strstr(out, "\"event\":\"d\""));
    assert_null(strstr(out, "\"event\":\"i\""));
    assert_non_null(strstr(out, "\"level\":\"warn\",\"event\":\"w\""));
    assert_non_null(strstr(out, "\"level\":\"error\",\"event\":\"e\""));
    int lines = 0;
    for (const char *p = out; *p; p++) lines += *p == '\n';
    assert_int_equal(lines, 2);

    log_level l;
    assert_true(log_level_parse("debug", &l) && l == LOG_DEBUG);
    assert_true(log_level_parse("warning", &l) && l == LOG_WARN);
    assert_false(log_level_parse("loud", &l));
    log_set_level(LOG_ERROR);
    assert_false(log_enabled(LOG_WARN));
    assert_true(log_enabled(LOG_ERROR));
    log_set_level(LOG_INFO);
}

static void emit_net(void) {
    log_set_level(LOG_INFO);
    log_net(NULL, "warn", "output_cap", "peer=x pending=9");
    log_net(NULL, "info", "listening", "address=127.0.0.1 port=1");   /* serve logs its own */
    log_net(NULL, "info", "shutdown_done", NULL);
}

static void test_net_lines(void **state) {
    (void)state;
    const char *out = capture(emit_net);
    const char *nl = strchr(out, '\n');
    assert_non_null(nl);
    char first[512];
    snprintf(first, sizeof first, "%.*s", (int)(nl - out + 1), out);
    assert_string_equal(untimed(first), "{\"level\":\"warn\",\"event\":\"output_cap\",\"detail\":\"peer=x pending=9\"}\n");
    assert_string_equal(untimed(nl + 1), "{\"level\":\"info\",\"event\":\"shutdown_done\"}\n");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_escapes_and_numbers),
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_net_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
