/*
 * net_server.c: the core's shared state (configuration, handlers, metrics,
 * clock), its byte buffers and its log lines. No sockets, no loop.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "net_internal.h"

void *net_xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) abort(); /* out of memory is not a client's doing: every size is capped first */
    return p;
}

void *net_xcalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) abort();
    return p;
}

void *net_xrealloc(void *p, size_t n) {
    p = realloc(p, n ? n : 1);
    if (!p) abort();
    return p;
}

char *net_xstrdup(const char *s) {
    size_t n = strlen(s) + 1;
    return memcpy(net_xmalloc(n), s, n);
}

void net_buf_append(net_buf *b, const void *data, size_t len) {
    if (!len) return;
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + len) cap *= 2;
        b->p = net_xrealloc(b->p, cap);
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, len);
    b->len += len;
}

void net_buf_printf(net_buf *b, const char *fmt, ...) {
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof tmp) {
        net_buf_append(b, tmp, (size_t)n);
        return;
    }
    char *big = net_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    net_buf_append(b, big, (size_t)n);
    free(big);
}

void net_buf_consume(net_buf *b, size_t n) {
    if (n >= b->len) {
        b->len = 0;
        return;
    }
    memmove(b->p, b->p + n, b->len - n);
    b->len -= n;
}

void net_buf_free(net_buf *b) {
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

void net_config_defaults(net_config *cfg) {
    *cfg = (net_config){
        .max_header_bytes = 16 * 1024,
        .max_body_bytes = 1024 * 1024,
        .max_ws_message = 1024 * 1024,
        .max_output_bytes = 8 * 1024 * 1024,
        .max_pipeline = 32,
        .max_connections = 10000,
        .header_timeout_ms = 10000,
        .idle_timeout_ms = 60000,
        .ws_close_timeout_ms = 5000,
        .shutdown_timeout_ms = 10000,
        .tick_ms = 250,
    };
}

static uint64_t monotonic_ms(void *user) {
    (void)user;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

net_server *net_server_new(const net_config *cfg, const net_handlers *h) {
    net_server *s = net_xcalloc(1, sizeof *s);
    if (cfg) s->cfg = *cfg;
    else net_config_defaults(&s->cfg);
    /* a zero limit would refuse everything: treat it as "the default" */
    net_config d;
    net_config_defaults(&d);
    if (!s->cfg.max_header_bytes) s->cfg.max_header_bytes = d.max_header_bytes;
    if (!s->cfg.max_ws_message) s->cfg.max_ws_message = d.max_ws_message;
    if (!s->cfg.max_output_bytes) s->cfg.max_output_bytes = d.max_output_bytes;
    if (!s->cfg.max_pipeline) s->cfg.max_pipeline = d.max_pipeline;
    if (!s->cfg.max_connections) s->cfg.max_connections = d.max_connections;
    if (!s->cfg.tick_ms) s->cfg.tick_ms = d.tick_ms;
    if (h) s->h = *h;
    s->now_ms = monotonic_ms;
    return s;
}

void net_server_free(net_server *srv) { free(srv); }
const net_config *net_server_config(const net_server *srv) { return &srv->cfg; }
const net_metrics *net_server_metrics(const net_server *srv) { return &srv->m; }

void net_server_set_clock(net_server *srv, uint64_t (*now_ms)(void *user), void *user) {
    srv->now_ms = now_ms ? now_ms : monotonic_ms;
    srv->clock_user = user;
}

uint64_t net_server_now(const net_server *srv) { return srv->now_ms(srv->clock_user); }

void net_server_set_wall_clock(net_server *srv, int64_t (*now_s)(void *user), void *user) {
    srv->wall_s = now_s; /* NULL: time() */
    srv->wall_user = user;
    srv->date[0] = 0;
}

/* JSON string contents: quotes, backslashes and control characters escaped. */
static void json_escape(net_buf *b, const char *s) {
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') {
            char e[2] = {'\\', (char)ch};
            net_buf_append(b, e, 2);
        } else if (ch < 0x20) {
            net_buf_printf(b, "\\u%04x", ch);
        } else {
            net_buf_append(b, s, 1);
        }
    }
}

void net_log(net_server *srv, const char *level, const char *event, const char *fmt, ...) {
    char detail[512];
    detail[0] = 0;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(detail, sizeof detail, fmt, ap);
        va_end(ap);
    }
    if (srv->h.on_log) {
        srv->h.on_log(srv->h.user, level, event, fmt ? detail : NULL);
        return;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    net_buf b = {0};
    net_buf_printf(&b, "{\"time\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ\",\"level\":\"", tm.tm_year + 1900,
                   tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
    json_escape(&b, level);
    net_buf_append(&b, "\",\"event\":\"", 11);
    json_escape(&b, event);
    net_buf_append(&b, "\"", 1);
    if (fmt) {
        net_buf_append(&b, ",\"detail\":\"", 11);
        json_escape(&b, detail);
        net_buf_append(&b, "\"", 1);
    }
    net_buf_append(&b, "}\n", 2);
    fwrite(b.p, 1, b.len, stderr);
    net_buf_free(&b);
}
