/*
 * cmd_serve.c: `mesd serve`: runs the server (cli.md).
 *
 * Start, in this order: open the store WITHOUT a loop (this migrates, and
 * refuses a newer database: exit 1), load the demo factory (--demo, on an
 * empty database), create and print the first admin token (on a database
 * with no token at all), close; then open the store with the loop,
 * mes_open, server_start, and log "listening" with the real port. SIGINT or
 * SIGTERM: server_shutdown (stop accepting, finish requests in flight, close
 * WebSockets with 1001, end SSE streams), then mes_close, store_close
 * (drains the writer), exit 0.
 *
 * Must never: print a token anywhere but stdout, or exit 0 after a failed
 * start.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "server_internal.h"

static void usage(FILE *out) {
    fputs("usage: mesd serve [--listen HOST:PORT] [--db URL] [--demo] [tuning flags]\n"
          "\n"
          "  --listen HOST:PORT        listen there (default 127.0.0.1:4000; port 0: any free port)\n"
          "  --db URL                  sqlite:PATH (default sqlite:./mesd.db)\n"
          "  --demo                    load a small demo factory when the database is empty\n"
          "  --log-level LEVEL         debug, info (default), warn, error; debug adds access lines\n"
          "\n"
          "limits and timeouts (defaults in parentheses):\n"
          "  --max-body-bytes N        request body (1048576); over it: 413\n"
          "  --max-header-bytes N      request line and headers (16384); over it: 431\n"
          "  --max-ws-message N        WebSocket message (1048576); over it: close 1009\n"
          "  --max-output-bytes N      unsent output per connection (8388608); over it: closed\n"
          "  --max-connections N       open connections (10000); over it: 503\n"
          "  --max-subs-per-conn N     operations per WebSocket or SSE connection (100)\n"
          "  --max-depth N             selection depth of an operation (20)\n"
          "  --max-aliases N           aliased fields in a document (100)\n"
          "  --header-timeout-ms N     from a request's first byte to its last header (10000)\n"
          "  --idle-timeout-ms N       keep-alive idle or stalled body (60000)\n"
          "  --shutdown-timeout-ms N   graceful shutdown deadline (10000)\n"
          "  --ws-init-timeout-ms N    graphql-transport-ws: wait for connection_init (3000)\n"
          "  --legacy-ka-ms N          legacy graphql-ws: keep-alive period (10000)\n"
          "  --sse-keepalive-ms N      SSE keep-alive comment period (12000)\n"
          "  --token-cache-ms N        how long a verified token is trusted (1000)\n"
          "  --query-cache-entries N   query answers kept until the next commit (4096; 0: no cache)\n"
          "  --query-cache-bytes N     bytes those answers may hold (67108864)\n"
          "  --webhook-max-per-host N  webhook deliveries in flight per receiver host (8)\n"
          "  --webhook-allow LIST      receivers allowed: host names, addresses, CIDR networks (any)\n"
          "  --webhook-scan-ms N       how often retries that became due are looked for (100)\n"
          "\n"
          "testing:\n"
          "  --debug-read-passes       run requests in read passes as PostgreSQL will: every read pends\n"
          "                            once per request (slower; for tests only)\n"
          "\n"
          "Every flag also reads MESD_<FLAG> from the environment (--max-body-bytes: MESD_MAX_BODY_BYTES).\n",
          out);
}

enum {
    F_LISTEN, F_DB, F_DEMO, F_LOG_LEVEL, F_MAX_BODY, F_MAX_HEADER, F_MAX_WS_MSG, F_MAX_OUTPUT, F_MAX_CONNS,
    F_MAX_SUBS, F_MAX_DEPTH, F_MAX_ALIASES, F_HEADER_TO, F_IDLE_TO, F_SHUTDOWN_TO, F_WS_INIT_TO, F_LEGACY_KA,
    F_SSE_KA, F_TOKEN_CACHE, F_QCACHE_ENTRIES, F_QCACHE_BYTES, F_HOOK_PER_HOST, F_HOOK_ALLOW, F_HOOK_SCAN, F_DEBUG_PASSES, F_HELP,
    F_COUNT
};

static bool parse_u64(const char *flag, const char *v, uint64_t max, uint64_t *out) {
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (errno || end == v || *end || v[0] == '-' || n > max) {
        fprintf(stderr, "mesd serve: --%s wants a whole number up to %llu, not '%s'\n", flag,
                (unsigned long long)max, v);
        return false;
    }
    *out = n;
    return true;
}

/* "HOST:PORT", "[v6]:PORT" or ":PORT". */
static bool parse_listen(const char *v, char *host, size_t cap, int *port) {
    const char *colon = strrchr(v, ':');
    if (!colon) return false;
    const char *h = v;
    size_t hl = (size_t)(colon - v);
    if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') h++, hl -= 2;
    if (hl == 0) h = "127.0.0.1", hl = strlen(h);
    if (hl >= cap) return false;
    memcpy(host, h, hl);
    host[hl] = 0;
    uint64_t p;
    char *end;
    errno = 0;
    p = strtoull(colon + 1, &end, 10);
    if (errno || end == colon + 1 || *end || p > 65535) return false;
    *port = (int)p;
    return true;
}

typedef struct serve_state {
    uv_loop_t loop;
    uv_signal_t sigint, sigterm;
    store *st;
    mes *m;
    mes_hooks *hooks;
    server *srv;
    bool stopping;
} serve_state;

static void shutdown_done(void *user) {
    serve_state *ss = user;
    ss->srv = NULL;
    mes_hooks_stop(ss->hooks);
    ss->hooks = NULL;
    if (ss->m) mes_close(ss->m);
    ss->m = NULL;
    store_close(ss->st);
    ss->st = NULL;
    uv_close((uv_handle_t *)&ss->sigint, NULL);
    uv_close((uv_handle_t *)&ss->sigterm, NULL);
    /* Closing the handles restores the default action: a second signal in
       the last moments would turn a clean exit into death by signal. */
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    log_event(LOG_INFO, "stopped", NULL);
}

static void on_signal(uv_signal_t *h, int signum) {
    serve_state *ss = h->data;
    if (ss->stopping) return;
    ss->stopping = true;
    log_event(LOG_INFO, "stopping", "signal", signum == SIGINT ? "SIGINT" : "SIGTERM", NULL);
    server_shutdown(ss->srv, shutdown_done, ss);
}

/* The first start on a database: demo data, the admin token. No loop. */
/* The URL for the log, its password (postgres://user:PASSWORD@host/…)
 * replaced by "***": logs are read by more people than the database's owner. */
#define SHOWN_URL_MAX 512
static const char *shown_url(const char *url, char buf[SHOWN_URL_MAX]) {
    snprintf(buf, SHOWN_URL_MAX, "%s", url);
    char *scheme = strstr(buf, "://");
    if (!scheme) return buf;
    char *user = scheme + 3, *at = strchr(user, '@'), *slash = strchr(user, '/');
    if (!at || (slash && slash < at)) return buf;
    char *colon = memchr(user, ':', (size_t)(at - user));
    if (!colon) return buf;
    char rest[SHOWN_URL_MAX];
    snprintf(rest, sizeof rest, "%s", at);
    snprintf(colon, SHOWN_URL_MAX - (size_t)(colon - buf), ":***%s", rest);
    return buf;
}

static int prepare_database(const char *url, bool demo) {
    char shown[SHOWN_URL_MAX];
    store_err err = {0};
    store *st = store_open(url, NULL, &err);
    if (!st) {
        log_event(LOG_ERROR, "store_open_failed", "db", shown_url(url, shown), "error", err.message, NULL);
        fprintf(stderr, "mesd serve: %s\n", err.message);
        return 1;
    }
    int rc = 0;
    if (demo) {
        bool loaded = false;
        if (mes_demo_load(st, &loaded, &err) != STORE_OK) {
            log_event(LOG_ERROR, "demo_failed", "error", err.message, NULL);
            rc = 1;
        } else {
            log_event(LOG_INFO, loaded ? "demo_loaded" : "demo_skipped", NULL);
        }
    }
    bool empty = false;
    if (rc == 0 && store_tokens_empty(st, &empty, &err) != STORE_OK) {
        log_event(LOG_ERROR, "token_read_failed", "error", err.message, NULL);
        rc = 1;
    }
    if (rc == 0 && empty) {
        char token[STORE_TOKEN_MAX], id[STORE_TOKEN_ID_LEN + 1];
        if (cli_token_create(st, "admin", "admin (first start)", NULL, token, id, &err) != STORE_OK) {
            log_event(LOG_ERROR, "token_create_failed", "error", err.message, NULL);
            rc = 1;
        } else {
            log_event(LOG_INFO, "admin_token_created", "id", id, NULL);
            printf("admin token (shown once): %s\n", token);
            fflush(stdout);
        }
    }
    store_close(st);
    return rc;
}

#define FLAG(n, v) {.name = (n), .takes_value = (v)}

int cmd_serve(int argc, char **argv) {
    char shown[SHOWN_URL_MAX];
    cli_flag f[F_COUNT] = {
        [F_LISTEN] = FLAG("listen", true),           [F_DB] = FLAG("db", true),
        [F_DEMO] = FLAG("demo", false),              [F_LOG_LEVEL] = FLAG("log-level", true),
        [F_MAX_BODY] = FLAG("max-body-bytes", true), [F_MAX_HEADER] = FLAG("max-header-bytes", true),
        [F_MAX_WS_MSG] = FLAG("max-ws-message", true), [F_MAX_OUTPUT] = FLAG("max-output-bytes", true),
        [F_MAX_CONNS] = FLAG("max-connections", true), [F_MAX_SUBS] = FLAG("max-subs-per-conn", true),
        [F_MAX_DEPTH] = FLAG("max-depth", true),     [F_MAX_ALIASES] = FLAG("max-aliases", true),
        [F_HEADER_TO] = FLAG("header-timeout-ms", true), [F_IDLE_TO] = FLAG("idle-timeout-ms", true),
        [F_SHUTDOWN_TO] = FLAG("shutdown-timeout-ms", true), [F_WS_INIT_TO] = FLAG("ws-init-timeout-ms", true),
        [F_LEGACY_KA] = FLAG("legacy-ka-ms", true),  [F_SSE_KA] = FLAG("sse-keepalive-ms", true),
        [F_TOKEN_CACHE] = FLAG("token-cache-ms", true), [F_HELP] = FLAG("help", false),
        [F_QCACHE_ENTRIES] = FLAG("query-cache-entries", true), [F_QCACHE_BYTES] = FLAG("query-cache-bytes", true),
        [F_HOOK_PER_HOST] = FLAG("webhook-max-per-host", true), [F_HOOK_ALLOW] = FLAG("webhook-allow", true),
        [F_HOOK_SCAN] = FLAG("webhook-scan-ms", true), [F_DEBUG_PASSES] = FLAG("debug-read-passes", false),
    };
    const char *pos[1];
    if (cli_parse_flags(argc, argv, 2, f, F_COUNT, pos, 0) < 0) {
        usage(stderr);
        return 2;
    }
    if (f[F_HELP].present) {
        usage(stdout);
        return 0;
    }
    server_config cfg;
    server_config_defaults(&cfg);
    mes_config mcfg;
    mes_config_defaults(&mcfg);
    mes_hooks_config hcfg = {0};
    hcfg.allow = f[F_HOOK_ALLOW].value;
    char host[256] = "127.0.0.1";
    if (f[F_LISTEN].value && !parse_listen(f[F_LISTEN].value, host, sizeof host, &cfg.port)) {
        fprintf(stderr, "mesd serve: --listen wants HOST:PORT, not '%s'\n", f[F_LISTEN].value);
        return 2;
    }
    cfg.host = host;
    if (f[F_LOG_LEVEL].value) {
        log_level lvl;
        if (!log_level_parse(f[F_LOG_LEVEL].value, &lvl)) {
            fprintf(stderr, "mesd serve: --log-level wants debug, info, warn or error, not '%s'\n",
                    f[F_LOG_LEVEL].value);
            return 2;
        }
        log_set_level(lvl);
    }
    /* Numeric flags: where each lands, and its cap. */
    struct { int flag; void *dst; size_t size; uint64_t max; } nums[] = {
        {F_MAX_BODY, &cfg.net.max_body_bytes, sizeof(size_t), 1ull << 30},
        {F_MAX_HEADER, &cfg.net.max_header_bytes, sizeof(size_t), 1ull << 24},
        {F_MAX_WS_MSG, &cfg.net.max_ws_message, sizeof(size_t), 1ull << 30},
        {F_MAX_OUTPUT, &cfg.net.max_output_bytes, sizeof(size_t), 1ull << 34},
        {F_MAX_CONNS, &cfg.net.max_connections, sizeof(uint32_t), 1000000},
        {F_MAX_SUBS, &cfg.max_subs_per_conn, sizeof(uint32_t), 1000000},
        {F_MAX_DEPTH, &mcfg.max_depth, sizeof(uint32_t), 10000},
        {F_MAX_ALIASES, &mcfg.max_aliases, sizeof(uint32_t), 1000000},
        {F_HEADER_TO, &cfg.net.header_timeout_ms, sizeof(uint32_t), UINT32_MAX},
        {F_IDLE_TO, &cfg.net.idle_timeout_ms, sizeof(uint32_t), UINT32_MAX},
        {F_SHUTDOWN_TO, &cfg.net.shutdown_timeout_ms, sizeof(uint32_t), UINT32_MAX},
        {F_WS_INIT_TO, &cfg.ws_init_timeout_ms, sizeof(uint32_t), UINT32_MAX},
        {F_LEGACY_KA, &cfg.legacy_ka_ms, sizeof(uint32_t), UINT32_MAX},
        {F_SSE_KA, &cfg.sse_keepalive_ms, sizeof(uint32_t), UINT32_MAX},
        {F_TOKEN_CACHE, &mcfg.token_cache_ms, sizeof(uint32_t), UINT32_MAX},
        {F_QCACHE_ENTRIES, &mcfg.query_cache_entries, sizeof mcfg.query_cache_entries, 1ull << 24},
        {F_QCACHE_BYTES, &mcfg.query_cache_bytes, sizeof mcfg.query_cache_bytes, 1ull << 34},
        {F_HOOK_PER_HOST, &hcfg.max_per_host, sizeof(uint32_t), 10000},
        {F_HOOK_SCAN, &hcfg.scan_ms, sizeof(uint32_t), 3600000},
    };
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        const cli_flag *fl = &f[nums[i].flag];
        if (!fl->value) continue;
        uint64_t v;
        if (!parse_u64(fl->name, fl->value, nums[i].max, &v)) return 2;
        if (nums[i].size == sizeof(size_t)) *(size_t *)nums[i].dst = (size_t)v;
        else *(uint32_t *)nums[i].dst = (uint32_t)v;
    }
    const char *url = f[F_DB].value ? f[F_DB].value : STORE_DEFAULT_URL;
    if (prepare_database(url, f[F_DEMO].present) != 0) return 1;

    serve_state ss;
    memset(&ss, 0, sizeof ss);
    uv_loop_init(&ss.loop);
    store_err err = {0};
    ss.st = store_open(url, &ss.loop, &err);
    int rc = 0;
    if (!ss.st) {
        log_event(LOG_ERROR, "store_open_failed", "db", shown_url(url, shown), "error", err.message, NULL);
        rc = 1;
        goto out;
    }
    store_set_read_passes(ss.st, f[F_DEBUG_PASSES].present);
    char msg[256] = "";
    ss.m = mes_open(&ss.loop, ss.st, &mcfg, msg, sizeof msg);
    if (!ss.m) {
        log_event(LOG_ERROR, "mes_open_failed", "error", msg, NULL);
        rc = 1;
        goto out;
    }
    if (!(ss.hooks = mes_hooks_start(ss.m, &ss.loop, &hcfg, msg, sizeof msg))) {
        log_event(LOG_ERROR, "webhooks_failed", "error", msg, NULL);
        rc = 1;
        goto out;
    }
    int uerr = 0;
    ss.srv = server_start(&ss.loop, ss.m, &cfg, &uerr);
    if (!ss.srv) {
        log_event(LOG_ERROR, "listen_failed", "host", cfg.host, "error", uv_strerror(uerr), NULL);
        rc = 1;
        goto out;
    }
    char port[16];
    snprintf(port, sizeof port, "%d", server_port(ss.srv));
    uv_signal_init(&ss.loop, &ss.sigint);
    uv_signal_init(&ss.loop, &ss.sigterm);
    ss.sigint.data = ss.sigterm.data = &ss;
    uv_signal_start(&ss.sigint, on_signal, SIGINT);
    uv_signal_start(&ss.sigterm, on_signal, SIGTERM);
    signal(SIGPIPE, SIG_IGN);
    log_event(LOG_INFO, "listening", "host", cfg.host, "#port", port, "db", shown_url(url, shown), NULL);
    uv_run(&ss.loop, UV_RUN_DEFAULT);
out:
    mes_hooks_stop(ss.hooks);
    if (ss.m) mes_close(ss.m);
    if (ss.st) store_close(ss.st);
    /* Let the handles closed above (the store's async) finish closing. */
    uv_run(&ss.loop, UV_RUN_DEFAULT);
    if (uv_loop_close(&ss.loop) != 0) log_event(LOG_WARN, "loop_not_empty", NULL);
    return rc;
}
