/*
 * net_resp.c: HTTP answers: a whole one (status, headers, body) or a
 * streaming one (chunked, or ended by closing on HTTP/1.0). Bytes go through
 * the request's slot, so answers leave in request order. Never decides when
 * a connection closes beyond marking the answer "close after".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "net_internal.h"

const char *net_status_reason(int status) {
    switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Content";
    case 426: return "Upgrade Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}

void net_http_date(int64_t t, char out[30]) {
    static const char days[7][4] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"}; /* 1970-01-01: Thursday */
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (t < 0) t = 0;
    int64_t days_since = t / 86400, secs = t % 86400;
    /* civil date from days since the epoch (H. Hinnant's algorithm): no
     * gmtime, no locale, no time zone */
    int64_t z = days_since + 719468, era = z / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    char tmp[64]; /* roomy: the compiler cannot see that every field fits its width */
    snprintf(tmp, sizeof tmp, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[days_since % 7], (int)d, months[m - 1],
             (int)(y % 10000), (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
    memcpy(out, tmp, 29);
    out[29] = 0;
}

const char *net_server_date(net_server *srv) {
    int64_t now = srv->wall_s ? srv->wall_s(srv->wall_user) : (int64_t)time(NULL);
    if (now != srv->date_sec || !srv->date[0]) {
        srv->date_sec = now;
        net_http_date(now, srv->date);
    }
    return srv->date;
}

void net_resp_header(net_req *r, const char *name, const char *value) {
    if (r->state != NET_R_WAITING) return;
    /* a CR or LF would let a value start a header of its own: cut there */
    net_buf_append(&r->extra, name, strcspn(name, "\r\n:"));
    net_buf_append(&r->extra, ": ", 2);
    net_buf_append(&r->extra, value, strcspn(value, "\r\n"));
    net_buf_append(&r->extra, "\r\n", 2);
}

void net_resp_close_after(net_req *r) { r->close_after = true; }

/* Whether the connection closes after this answer. */
static bool closes(const net_req *r) {
    return r->close_after || !r->keep_alive || !r->conn || (r->conn->draining && r == r->conn->tail);
}

/* An answer's head: in a stack buffer, moved to the heap only if it
 * outgrows it (big extra headers). */
typedef struct head {
    char *p;
    size_t len, cap;
    char stack[512];
} head;

static void head_append(head *h, const char *s, size_t n) {
    if (!n) return; /* s may be NULL then (no extra headers) */
    if (h->len + n > h->cap) {
        size_t cap = (h->len + n) * 2;
        char *p = net_xmalloc(cap);
        memcpy(p, h->p, h->len);
        if (h->p != h->stack) free(h->p);
        h->p = p;
        h->cap = cap;
    }
    memcpy(h->p + h->len, s, n);
    h->len += n;
}
static void buf_str(head *h, const char *s) { head_append(h, s, strlen(s)); }

/* Decimal digits of v in num (24 bytes); returns where they start. */
static const char *fmt_uint(char num[24], unsigned long long v) {
    char *p = num + 23;
    *p = 0;
    do *--p = (char)('0' + v % 10); while (v /= 10);
    return p;
}

/* Status line and headers. length < 0: a stream (chunked when possible). */
static void write_head(net_req *r, int status, const char *content_type, long long length) {
    net_conn *c = r->conn;
    if (c) {
        c->srv->m.requests++;
        if (status >= 100 && status < 600) c->srv->m.responses[status / 100]++;
    }
    if (length < 0 && r->minor == 0) r->close_after = true; /* HTTP/1.0: the end is the close */
    bool close = closes(r);
    /* plain appends, no printf: this runs once per answer */
    head h;
    h.p = h.stack, h.len = 0, h.cap = sizeof h.stack;
    char num[24];
    buf_str(&h, "HTTP/1.1 ");
    buf_str(&h, fmt_uint(num, status >= 100 && status <= 999 ? (unsigned long long)status : 500));
    buf_str(&h, " ");
    buf_str(&h, net_status_reason(status));
    /* RFC 9110 6.6.1: an origin server with a clock sends Date */
    if (c) {
        buf_str(&h, "\r\nDate: ");
        buf_str(&h, net_server_date(c->srv));
    }
    if (content_type) {
        buf_str(&h, "\r\nContent-Type: ");
        buf_str(&h, content_type);
    }
    buf_str(&h, "\r\n");
    head_append(&h, r->extra.p, r->extra.len);
    net_buf_free(&r->extra); /* sent: a stream's request lives on without it */
    if (length >= 0) {
        if (status != 204 && status != 304 && status >= 200) {
            buf_str(&h, "Content-Length: ");
            buf_str(&h, fmt_uint(num, (unsigned long long)length));
            buf_str(&h, "\r\n");
        }
    } else if (r->minor >= 1) {
        buf_str(&h, "Transfer-Encoding: chunked\r\n");
        r->chunked = true;
    }
    if (close) buf_str(&h, "Connection: close\r\n");
    else if (r->minor == 0) buf_str(&h, "Connection: keep-alive\r\n");
    buf_str(&h, "\r\n");
    if (close) r->close_after = true;
    net_req_emit(r, h.p, h.len);
    if (h.p != h.stack) free(h.p);
}

void net_req_release(net_req *r) {
    r->app_holds = false;
    r->state = NET_R_DONE;
    if (!r->in_queue) net_req_free(r);
}

/* Run f's effects as one turn of the request's connection (or none when gone). */
#define WITH_CONN(r, body)                 \
    do {                                   \
        net_conn *c_ = (r)->conn;          \
        if (c_) net_conn_enter(c_);        \
        body;                              \
        if (c_) net_conn_leave(c_);        \
    } while (0)

void net_resp_send(net_req *r, int status, const char *content_type, const void *body, size_t len) {
    if (r->state != NET_R_WAITING) return;
    WITH_CONN(r, {
        if (r->is_ws) r->close_after = true; /* a refused handshake ends the connection */
        write_head(r, status, content_type, (long long)len);
        if (!r->is_head) net_req_emit(r, body, len);
        net_req_release(r);
    });
}

void net_resp_error(net_req *r, int status, const char *text) {
    r->state = NET_R_WAITING;
    r->close_after = true;
    write_head(r, status, "text/plain; charset=utf-8", (long long)strlen(text));
    net_req_emit(r, text, strlen(text));
    r->app_holds = false;
    r->state = NET_R_DONE;
}

void net_resp_stream_start(net_req *r, int status, const char *content_type) {
    if (r->state != NET_R_WAITING) return;
    WITH_CONN(r, {
        write_head(r, status, content_type, -1);
        r->state = NET_R_STREAMING;
        if (r->conn) r->conn->srv->m.streams_open++;
    });
}

void net_resp_stream_write(net_req *r, const void *data, size_t len) {
    if (r->state != NET_R_STREAMING || !len || r->is_head) return;
    WITH_CONN(r, {
        if (r->chunked) {
            char size[24];
            int n = snprintf(size, sizeof size, "%zx\r\n", len);
            net_req_emit(r, size, (size_t)n);
            net_req_emit(r, data, len);
            net_req_emit(r, "\r\n", 2);
        } else {
            net_req_emit(r, data, len);
        }
    });
}

void net_resp_stream_end(net_req *r) {
    if (r->state != NET_R_STREAMING) return;
    WITH_CONN(r, {
        if (r->chunked && !r->is_head) net_req_emit(r, "0\r\n\r\n", 5);
        if (r->conn) r->conn->srv->m.streams_open--;
        net_req_release(r);
    });
}

void net_req_drop(net_req *r) {
    if (r->state == NET_R_WAITING) {
        WITH_CONN(r, {
            if (r->conn) net_log(r->conn->srv, "error", "request_dropped", "peer=%s", r->conn->peer);
            static const char msg[] = "internal server error\n";
            r->close_after = true;
            write_head(r, 500, "text/plain; charset=utf-8", (long long)sizeof msg - 1);
            net_req_emit(r, msg, sizeof msg - 1);
            net_req_release(r);
        });
    } else if (r->state == NET_R_STREAMING) {
        WITH_CONN(r, {
            /* a cut stream cannot be ended cleanly: the close tells the client */
            if (r->conn) {
                r->conn->srv->m.streams_open--;
                net_conn_close(r->conn, false, "stream dropped");
            }
            net_req_release(r);
        });
    }
}

size_t net_req_pending(const net_req *r) { return r->conn ? net_conn_out_total(r->conn) : 0; }
