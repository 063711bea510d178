/*
 * net_http.c: HTTP/1.1 requests from bytes, with llhttp. Builds each request
 * (method, target split into path and decoded parameters, headers, de-chunked
 * body), enforces the header and body limits, Expect: 100-continue and the
 * header and idle timeouts, queues the request for its answer and hands it to
 * the application. Never writes an answer out of turn: every byte goes
 * through the request's slot (net_req_emit).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "net_internal.h"

#define CONN(p) ((net_conn *)(p)->data)

static net_req *req_new(net_conn *c) {
    net_req *r = net_xcalloc(1, sizeof *r);
    r->conn = c;
    r->in_queue = true;
    r->state = NET_R_PARSING;
    if (c->tail) c->tail->next = r;
    else c->head = r;
    c->tail = r;
    c->nqueue++;
    return r;
}

void net_req_free(net_req *r) {
    if (r->ws) {
        /* accepted, but the connection ended before its 101 went out */
        net_ws *ws = r->ws;
        r->ws = NULL;
        ws->conn = NULL;
        if (ws->h.on_close) ws->h.on_close(ws, 1006, "", ws->user);
        net_buf_free(&ws->msg);
        free(ws->protocol);
        free(ws);
    }
    net_buf_free(&r->raw);
    net_buf_free(&r->body);
    net_buf_free(&r->extra);
    net_buf_free(&r->slot);
    free(r->hpos);
    free(r->target);
    free(r->headers);
    free(r->params);
    free(r->protos);
    free(r);
}

/* Refuse the request being parsed (or a new one when none is) with an error
 * answer in its turn; nothing after it is parsed. */
void net_http_fail(net_conn *c, int status, const char *text) {
    net_req *r = c->cur;
    if (!r || r->state != NET_R_PARSING) r = req_new(c);
    c->cur = NULL;
    c->stop_parsing = true;
    c->in.len = 0;
    net_resp_error(r, status, text);
}

/* Parser callbacks set err_status and return -1 to refuse; process() answers. */
static int refuse(net_conn *c, int status, const char *text) {
    c->err_status = status;
    c->err_text = text;
    return -1;
}

static int add_header_bytes(net_conn *c, size_t n) {
    c->hdr_bytes += n;
    if (c->hdr_bytes > c->srv->cfg.max_header_bytes) return refuse(c, 431, "request header fields too large\n");
    return 0;
}

static int on_message_begin(llhttp_t *p) {
    net_conn *c = CONN(p);
    c->cur = req_new(c);
    c->hdr_bytes = 0;
    c->hdr_state = 0;
    c->cur_started = net_server_now(c->srv);
    return 0;
}

static int on_url(llhttp_t *p, const char *at, size_t len) {
    net_conn *c = CONN(p);
    net_buf_append(&c->cur->raw, at, len);
    return add_header_bytes(c, len);
}

static int on_url_complete(llhttp_t *p) {
    net_conn *c = CONN(p);
    net_buf_append(&c->cur->raw, "", 1);
    return 0;
}

/* Trailer fields (after a chunked body) reach the same callbacks once the
 * headers are done: they are counted against the header limit and dropped,
 * as the request's views already point into raw, which must not grow. */
static int on_header_field(llhttp_t *p, const char *at, size_t len) {
    net_conn *c = CONN(p);
    net_req *r = c->cur;
    if (r->headers_done) return add_header_bytes(c, len + 4);
    if (c->hdr_state != 1) {
        if (r->nhpos == r->hpos_cap) {
            r->hpos_cap = r->hpos_cap ? r->hpos_cap * 2 : 16;
            r->hpos = net_xrealloc(r->hpos, r->hpos_cap * sizeof *r->hpos);
        }
        r->hpos[r->nhpos++] = (net_hdr_pos){.name_off = r->raw.len};
        c->hdr_state = 1;
    }
    net_buf_append(&r->raw, at, len);
    return add_header_bytes(c, len + 4); /* ": " and CRLF count too */
}

static int on_header_field_complete(llhttp_t *p) {
    net_conn *c = CONN(p);
    net_req *r = c->cur;
    if (r->headers_done) return 0;
    net_hdr_pos *h = &r->hpos[r->nhpos - 1];
    h->name_len = r->raw.len - h->name_off;
    net_buf_append(&r->raw, "", 1);
    h->value_off = r->raw.len;
    c->hdr_state = 2;
    return 0;
}

static int on_header_value(llhttp_t *p, const char *at, size_t len) {
    net_conn *c = CONN(p);
    if (c->cur->headers_done) return add_header_bytes(c, len);
    net_buf_append(&c->cur->raw, at, len);
    return add_header_bytes(c, len);
}

static int on_header_value_complete(llhttp_t *p) {
    net_conn *c = CONN(p);
    net_req *r = c->cur;
    if (r->headers_done) return 0;
    net_hdr_pos *h = &r->hpos[r->nhpos - 1];
    size_t end = r->raw.len;
    while (end > h->value_off && (r->raw.p[end - 1] == ' ' || r->raw.p[end - 1] == '\t')) end--;
    h->value_len = end - h->value_off;
    r->raw.len = end;
    net_buf_append(&r->raw, "", 1);
    c->hdr_state = 0;
    return 0;
}

static int hexval(int ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* Percent-decode s[0..n) in place (the result is never longer); a '%' not
 * followed by two hex digits stays as it is. form: '+' is a space too (query
 * strings); otherwise "%00" stays as sent, so a path is never cut short.
 * Returns the new length. */
static size_t pct_decode(char *s, size_t n, bool form) {
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (form && s[i] == '+') s[o++] = ' ';
        else if (s[i] == '%' && i + 2 < n && (hi = hexval((unsigned char)s[i + 1])) >= 0 &&
                 (lo = hexval((unsigned char)s[i + 2])) >= 0 && (form || hi || lo)) {
            s[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else s[o++] = s[i];
    }
    s[o] = 0;
    return o;
}

/* target → path, decoded path, query string and decoded parameters. The
 * target copy holds them one after the other. */
static void split_target(net_req *r) {
    const char *t = r->raw.p + r->url_off;
    size_t tl = strlen(t);
    /* target NUL path NUL decoded path NUL query NUL pairs NUL: each at most tl */
    char *buf = net_xmalloc(5 * tl + 8);
    memcpy(buf, t, tl + 1);
    r->target = buf;
    const char *q = memchr(t, '?', tl);
    size_t pl = q ? (size_t)(q - t) : tl;
    char *path = buf + tl + 1;
    memcpy(path, t, pl);
    path[pl] = 0;
    r->path = path;
    char *decoded = path + pl + 1;
    memcpy(decoded, path, pl + 1);
    r->path_decoded = decoded;
    size_t dl = pct_decode(decoded, pl, false);
    char *query = decoded + dl + 1;
    size_t ql = q ? tl - pl - 1 : 0;
    memcpy(query, q ? q + 1 : "", ql);
    query[ql] = 0;
    r->query = query;
    /* pairs: a copy of the query string where '&' and '=' become NULs */
    char *pairs = query + ql + 1;
    memcpy(pairs, query, ql + 1);
    size_t n = 0;
    for (size_t i = 0; i < ql; i++)
        if (pairs[i] == '&') n++;
    r->params = net_xcalloc(n + 1, sizeof *r->params);
    char *s = pairs, *end = pairs + ql;
    while (s < end) {
        char *amp = memchr(s, '&', (size_t)(end - s));
        char *e = amp ? amp : end;
        if (e > s) {
            *e = 0;
            char *eq = memchr(s, '=', (size_t)(e - s));
            net_kv *kv = &r->params[r->nparams++];
            kv->name = s;
            if (eq) {
                *eq = 0;
                kv->value = eq + 1;
                kv->value_len = pct_decode(eq + 1, (size_t)(e - eq - 1), true);
            } else {
                kv->value = e; /* "" */
                kv->value_len = 0;
            }
            kv->name_len = pct_decode(s, strlen(s), true);
        }
        if (!amp) break;
        s = amp + 1;
    }
}

/* Whether any header named name lists token (comma-separated, case-insensitive). */
static bool header_has_token(const net_req *r, const char *name, const char *token) {
    size_t tl = strlen(token);
    for (size_t i = 0; i < r->nheaders; i++) {
        if (strcasecmp(r->headers[i].name, name)) continue;
        const char *s = r->headers[i].value;
        while (*s) {
            while (*s == ' ' || *s == '\t' || *s == ',') s++;
            const char *e = s;
            while (*e && *e != ',') e++;
            const char *te = e;
            while (te > s && (te[-1] == ' ' || te[-1] == '\t')) te--;
            if ((size_t)(te - s) == tl && !strncasecmp(s, token, tl)) return true;
            s = e;
        }
    }
    return false;
}

/* The offered subprotocols: every Sec-WebSocket-Protocol header split at
 * commas, copied (the header values stay as sent). One block: the pointer
 * array, then the strings. */
static void split_protocols(net_req *r) {
    size_t n = 0, bytes = 0;
    for (size_t i = 0; i < r->nheaders; i++)
        if (!strcasecmp(r->headers[i].name, "Sec-WebSocket-Protocol")) {
            n++;
            for (const char *s = r->headers[i].value; *s; s++) n += *s == ',';
            bytes += r->headers[i].value_len + 1;
        }
    if (!n) return;
    r->protos = net_xmalloc(n * sizeof *r->protos + bytes);
    char *out = (char *)(r->protos + n);
    for (size_t i = 0; i < r->nheaders; i++) {
        if (strcasecmp(r->headers[i].name, "Sec-WebSocket-Protocol")) continue;
        const char *s = r->headers[i].value;
        for (;;) {
            while (*s == ' ' || *s == '\t') s++;
            const char *e = s;
            while (*e && *e != ',') e++;
            const char *te = e;
            while (te > s && (te[-1] == ' ' || te[-1] == '\t')) te--;
            if (te > s && r->nprotos < n) {
                memcpy(out, s, (size_t)(te - s));
                out[te - s] = 0;
                r->protos[r->nprotos++] = out;
                out += te - s + 1;
            }
            if (!*e) break;
            s = e + 1;
        }
    }
}

static int on_headers_complete(llhttp_t *p) {
    net_conn *c = CONN(p);
    net_req *r = c->cur;
    r->headers_done = true;
    r->method = llhttp_method_name((llhttp_method_t)llhttp_get_method(p));
    r->minor = llhttp_get_http_minor(p);
    r->is_head = llhttp_get_method(p) == HTTP_HEAD;
    r->keep_alive = llhttp_should_keep_alive(p);
    r->headers = net_xcalloc(r->nhpos + 1, sizeof *r->headers);
    for (size_t i = 0; i < r->nhpos; i++) {
        net_hdr_pos *h = &r->hpos[i];
        r->headers[i] = (net_kv){r->raw.p + h->name_off, r->raw.p + h->value_off, h->name_len, h->value_len};
    }
    r->nheaders = r->nhpos;
    /* the positions were for building the views: a long request (a stream)
     * should not keep them */
    free(r->hpos);
    r->hpos = NULL;
    r->hpos_cap = 0;
    split_target(r);
    if (llhttp_get_http_major(p) != 1) return refuse(c, 505, "HTTP version not supported\n");
    const char *expect = net_req_header(r, "Expect");
    bool cont = false;
    if (expect) {
        if (strcasecmp(expect, "100-continue")) return refuse(c, 417, "expectation failed\n");
        cont = r->minor >= 1;
    }
    if ((p->flags & F_CONTENT_LENGTH) && p->content_length > c->srv->cfg.max_body_bytes)
        return refuse(c, 413, "request body too large\n");
    if (llhttp_get_upgrade(p) && header_has_token(r, "Upgrade", "websocket")) {
        int status;
        const char *text;
        if (!net_ws_handshake_check(r, &status, &text)) {
            r->keep_alive = false;
            return refuse(c, status, text);
        }
        r->is_ws = true;
        split_protocols(r);
    }
    /* the body will be accepted: ask for it (in this request's turn) */
    if (cont && ((p->flags & F_CHUNKED) || p->content_length > 0) && !r->is_ws) {
        static const char k100[] = "HTTP/1.1 100 Continue\r\n\r\n";
        net_req_emit(r, k100, sizeof k100 - 1);
    }
    return 0;
}

static int on_body(llhttp_t *p, const char *at, size_t len) {
    net_conn *c = CONN(p);
    net_req *r = c->cur;
    if (r->body.len + len > c->srv->cfg.max_body_bytes) return refuse(c, 413, "request body too large\n");
    net_buf_append(&r->body, at, len);
    return 0;
}

static int on_message_complete(llhttp_t *p) {
    net_conn *c = CONN(p);
    net_req *r = c->cur;
    c->cur = NULL;
    net_buf_append(&r->body, "", 1); /* NUL-terminated for the application's convenience */
    r->body.len--;
    r->keep_alive = llhttp_should_keep_alive(p);
    if (!r->keep_alive) r->close_after = true;
    r->state = NET_R_WAITING;
    r->app_holds = true;
    bool upgrade = r->is_ws;
    if (r->is_ws) r->close_after = true; /* unless accepted: a refused handshake closes */
    if (!r->keep_alive && !upgrade) c->stop_parsing = true;
    if (c->srv->h.on_request) c->srv->h.on_request(r, c->srv->h.user);
    else net_resp_send(r, 404, "text/plain", "not found\n", 10);
    if (upgrade) return 0; /* llhttp pauses for the upgrade by itself */
    if (c->stop_parsing || c->nqueue >= c->srv->cfg.max_pipeline) return HPE_PAUSED;
    return 0;
}

static const llhttp_settings_t settings = {
    .on_message_begin = on_message_begin,
    .on_url = on_url,
    .on_url_complete = on_url_complete,
    .on_header_field = on_header_field,
    .on_header_field_complete = on_header_field_complete,
    .on_header_value = on_header_value,
    .on_header_value_complete = on_header_value_complete,
    .on_headers_complete = on_headers_complete,
    .on_body = on_body,
    .on_message_complete = on_message_complete,
};

void net_http_init(net_conn *c) {
    llhttp_init(&c->parser, HTTP_REQUEST, &settings);
    c->parser.data = c;
}

void net_http_resume(net_conn *c) {
    if (!c->parse_paused) return;
    c->parse_paused = false;
    llhttp_resume(&c->parser);
}

bool net_http_process(net_conn *c) {
    if (c->stop_parsing || c->upgraded) {
        if (c->stop_parsing) c->in.len = 0;
        return false;
    }
    if (c->parse_paused || !c->in.len || c->closing) return false;
    llhttp_errno_t err = llhttp_execute(&c->parser, c->in.p, c->in.len);
    if (err == HPE_OK) {
        c->in.len = 0;
        return true;
    }
    const char *pos = llhttp_get_error_pos(&c->parser);
    size_t used = pos && pos >= c->in.p && pos <= c->in.p + c->in.len ? (size_t)(pos - c->in.p) : c->in.len;
    if (err == HPE_PAUSED) {
        net_conn_in_consume(c, used);
        if (c->stop_parsing) c->in.len = 0;
        else c->parse_paused = true;
        return true;
    }
    if (err == HPE_PAUSED_UPGRADE) {
        net_conn_in_consume(c, used);
        net_req *last = c->tail;
        if (last && last->is_ws) {
            c->upgraded = true; /* what follows is WebSocket frames, for after the 101 */
        } else {
            llhttp_resume_after_upgrade(&c->parser); /* an Upgrade we ignore: still HTTP */
        }
        return true;
    }
    if (c->err_status) {
        int st = c->err_status;
        c->err_status = 0;
        net_http_fail(c, st, c->err_text);
    } else {
        net_log(c->srv, "info", "bad_request", "peer=%s error=%s reason=%s", c->peer, llhttp_errno_name(err),
                llhttp_get_error_reason(&c->parser));
        net_http_fail(c, 400, "bad request\n");
    }
    return true;
}

void net_http_tick(net_conn *c, uint64_t now) {
    const net_config *cfg = &c->srv->cfg;
    net_req *cur = c->cur;
    if (!c->stop_parsing && cur && cur->state == NET_R_PARSING) {
        bool late = cur->headers_done ? cfg->idle_timeout_ms && now - c->last_activity >= cfg->idle_timeout_ms
                                      : cfg->header_timeout_ms && now - c->cur_started >= cfg->header_timeout_ms;
        if (late) {
            c->srv->m.closed_timeout++;
            net_log(c->srv, "info", "timeout", "peer=%s phase=%s", c->peer, cur->headers_done ? "body" : "headers");
            net_http_fail(c, 408, "request timeout\n");
        }
    } else if (!c->head && !c->in.len && cfg->idle_timeout_ms && now - c->last_activity >= cfg->idle_timeout_ms) {
        c->srv->m.closed_timeout++;
        net_conn_close(c, true, NULL);
    }
    for (net_req *r = c->head; r; r = r->next) {
        if (r->state == NET_R_STREAMING && r->sse_keepalive_ms && c->head == r &&
            now - r->last_write >= r->sse_keepalive_ms)
            net_sse_comment(r, NULL);
    }
}

/* ---- accessors ---------------------------------------------------------- */

const char *net_req_method(const net_req *r) { return r->method; }
const char *net_req_target(const net_req *r) { return r->target; }
const char *net_req_path(const net_req *r) { return r->path; }
const char *net_req_path_decoded(const net_req *r) { return r->path_decoded; }
const char *net_req_query_string(const net_req *r) { return r->query; }
size_t net_req_param_count(const net_req *r) { return r->nparams; }
const net_kv *net_req_param_at(const net_req *r, size_t i) { return i < r->nparams ? &r->params[i] : NULL; }

const net_kv *net_req_param(const net_req *r, const char *name) {
    for (size_t i = 0; i < r->nparams; i++)
        if (!strcmp(r->params[i].name, name)) return &r->params[i];
    return NULL;
}

size_t net_req_header_count(const net_req *r) { return r->nheaders; }
const net_kv *net_req_header_at(const net_req *r, size_t i) { return i < r->nheaders ? &r->headers[i] : NULL; }

const char *net_req_header(const net_req *r, const char *name) {
    for (size_t i = 0; i < r->nheaders; i++)
        if (!strcasecmp(r->headers[i].name, name)) return r->headers[i].value;
    return NULL;
}

const char *net_req_body(const net_req *r, size_t *len) {
    if (len) *len = r->body.len;
    return r->body.p ? r->body.p : "";
}

int net_req_http_minor(const net_req *r) { return r->minor; }
bool net_req_keep_alive(const net_req *r) { return !r->close_after && r->keep_alive; }
net_conn *net_req_conn(const net_req *r) { return r->conn; }
bool net_req_client_gone(const net_req *r) { return !r->conn; }
void *net_req_user(const net_req *r) { return r->user; }
void net_req_set_user(net_req *r, void *user) { r->user = user; }

void net_req_set_on_gone(net_req *r, void (*on_gone)(net_req *, void *), void *user) {
    r->on_gone = on_gone;
    r->gone_user = user;
}

bool net_req_is_websocket(const net_req *r) { return r->is_ws; }
size_t net_req_ws_protocol_count(const net_req *r) { return r->nprotos; }
const char *net_req_ws_protocol(const net_req *r, size_t i) { return i < r->nprotos ? r->protos[i] : NULL; }

const char *net_req_ws_pick(const net_req *r, const char *const *prefs) {
    for (; prefs && *prefs; prefs++)
        for (size_t i = 0; i < r->nprotos; i++)
            if (!strcmp(r->protos[i], *prefs)) return *prefs;
    return NULL;
}
