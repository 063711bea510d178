/*
 * static.c: the operator station app on mesd's listener. Its files (web/,
 * embedded at build time: static_assets.h) are answered by path; `/` and the
 * app's pages (/signin, /stations, /station/<id>, /board) answer
 * index.html, since the app routes on the client. The app itself talks to
 * mesd only through the public GraphQL API, like any client.
 *
 * Every answer: Content-Type by extension, an ETag (FNV-1a 64 of the bytes,
 * made once per file) honoured by If-None-Match with a 304, Cache-Control:
 * no-cache (a tablet revalidates, so a new mesd build is picked up at once
 * and an unchanged file costs a 304), a strict Content-Security-Policy
 * (same-origin only; connect-src also names this host's ws:/wss:, which
 * older browsers do not count as 'self'), X-Content-Type-Options: nosniff.
 * GET and HEAD only (405 otherwise); a path that is neither a file nor a
 * page is 404.
 *
 * Must never: read the file system, or answer a path the GraphQL endpoint
 * or endpoints.c own (server.c routes those first).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "server_internal.h"
#include "static_assets.h"

static const char text_plain[] = "text/plain; charset=utf-8";

static const struct { const char *ext, *type; } types[] = {
    {".html", "text/html; charset=utf-8"},  {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"}, {".mjs", "text/javascript; charset=utf-8"},
    {".json", "application/json"},          {".svg", "image/svg+xml"},
    {".png", "image/png"},                  {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},               {".txt", "text/plain; charset=utf-8"},
};

static const char *content_type(const char *path) {
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
        if (strcasecmp(dot, types[i].ext) == 0) return types[i].type;
    return "application/octet-stream";
}

static long find_asset(const char *path) {
    for (unsigned long i = 0; i < web_assets_count; i++)
        if (strcmp(web_assets[i].path, path) == 0) return (long)i;
    return -1;
}

/* The client-side routes of the app (web/js/app.js knows the same list). */
static bool is_page(const char *path) {
    static const char *const pages[] = {"/", "/signin", "/stations", "/board"};
    for (size_t i = 0; i < sizeof pages / sizeof *pages; i++)
        if (strcmp(path, pages[i]) == 0) return true;
    if (strncmp(path, "/station/", 9) != 0) return false;
    size_t n = strspn(path + 9, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
    return n > 0 && n <= 50 && path[9 + n] == 0;   /* a station id (api.md's id rule) */
}

/* ETags, made on first use (the loop thread only). */
static char (*etags)[21];

static const char *etag_of(unsigned long i) {
    if (!etags) {
        static char none[] = "";
        etags = calloc(web_assets_count ? web_assets_count : 1, sizeof *etags);
        if (!etags) return none;
        for (unsigned long k = 0; k < web_assets_count; k++) {
            uint64_t h = 14695981039346656037ull;
            for (unsigned long b = 0; b < *web_assets[k].len; b++) h = (h ^ web_assets[k].data[b]) * 1099511628211ull;
            snprintf(etags[k], sizeof etags[k], "\"%016llx\"", (unsigned long long)h);
        }
    }
    return etags[i];
}

/* If-None-Match: "*" or a list naming the ETag (a weak W/ one compares equal: RFC 9110 13.1.2). */
static bool not_modified(const net_req *r, const char *etag) {
    const char *v = net_req_header(r, "if-none-match");
    if (!v || !etag[0]) return false;
    size_t elen = strlen(etag);
    while (*v) {
        while (*v == ' ' || *v == '\t' || *v == ',') v++;
        if (*v == '*') return true;
        if (strncmp(v, "W/", 2) == 0) v += 2;
        if (strncmp(v, etag, elen) == 0 && (v[elen] == 0 || v[elen] == ',' || v[elen] == ' ' || v[elen] == '\t'))
            return true;
        while (*v && *v != ',') v++;
    }
    return false;
}

/* Whether a Host header is a plain host[:port] that may go into the CSP. */
static bool host_ok(const char *h) {
    size_t n = h ? strlen(h) : 0;
    return n > 0 && n < 256 &&
           strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") == n;
}

static void security_headers(net_req *r) {
    const char *host = net_req_header(r, "host");
    char csp[768];
    snprintf(csp, sizeof csp,
             "default-src 'self'; connect-src 'self'%s%s%s%s; img-src 'self' data:; object-src 'none'; "
             "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
             host_ok(host) ? " ws://" : "", host_ok(host) ? host : "", host_ok(host) ? " wss://" : "",
             host_ok(host) ? host : "");
    net_resp_header(r, "Content-Security-Policy", csp);
    net_resp_header(r, "X-Content-Type-Options", "nosniff");
    net_resp_header(r, "Referrer-Policy", "no-referrer");
}

void server_static(server *s, net_req *r, const char *path) {
    uint64_t t0 = server_now_us();
    long i = is_page(path) ? find_asset("/index.html") : find_asset(path);
    if (i < 0) {
        server_answer(s, r, SRV_T_HTTP, t0, 404, text_plain, "not found\n", 10);
        return;
    }
    const char *m = net_req_method(r);
    if (strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0) {
        net_resp_header(r, "Allow", "GET, HEAD");
        server_answer(s, r, SRV_T_HTTP, t0, 405, text_plain, "method not allowed\n", 19);
        return;
    }
    const server_asset *a = &web_assets[i];
    const char *etag = etag_of((unsigned long)i);
    if (etag[0]) net_resp_header(r, "ETag", etag);
    net_resp_header(r, "Cache-Control", "no-cache");
    security_headers(r);
    if (not_modified(r, etag)) {
        server_answer(s, r, SRV_T_HTTP, t0, 304, NULL, NULL, 0);
        return;
    }
    server_answer(s, r, SRV_T_HTTP, t0, 200, content_type(a->path), (const char *)a->data, *a->len);
}
