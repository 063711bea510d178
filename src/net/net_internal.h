/*
 * net_internal.h: the core's shared structures (connection, request,
 * WebSocket) and the functions its files call in one another. Only src/net
 * includes it; the rest of mesd sees net.h.
 */
#ifndef MESD_NET_INTERNAL_H
#define MESD_NET_INTERNAL_H
#include <llhttp.h>
#include "net.h"

/* A growable byte buffer. Appending never fails: out of memory aborts, as an
 * allocation failure is not an error a client can cause (every size is capped
 * before it is appended). */
typedef struct net_buf {
    char *p;
    size_t len, cap;
} net_buf;

void net_buf_append(net_buf *b, const void *data, size_t len);
void net_buf_printf(net_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void net_buf_consume(net_buf *b, size_t n); /* drop the first n bytes */
void net_buf_free(net_buf *b);
void *net_xmalloc(size_t n);
void *net_xcalloc(size_t n, size_t size);
void *net_xrealloc(void *p, size_t n);
char *net_xstrdup(const char *s);

struct net_server {
    net_config cfg;
    /* the Date header's value, made at most once a second */
    int64_t (*wall_s)(void *user);
    void *wall_user;
    int64_t date_sec;
    char date[32];
    net_handlers h;
    net_metrics m;
    uint64_t (*now_ms)(void *user);
    void *clock_user;
};

void net_log(net_server *srv, const char *level, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A request's place in its connection's answer queue. */
enum net_req_state {
    NET_R_PARSING,   /* headers or body still coming */
    NET_R_WAITING,   /* with the application, no answer yet */
    NET_R_STREAMING, /* head sent, body chunks going out */
    NET_R_DONE,      /* answer complete */
};

typedef struct net_hdr_pos {
    size_t name_off, name_len, value_off, value_len;
} net_hdr_pos;

struct net_req {
    net_conn *conn; /* NULL once the connection is gone */
    net_req *next;  /* answer queue */
    enum net_req_state state;
    bool app_holds; /* the application has yet to make its final call */
    bool in_queue;  /* still in the connection's queue */
    bool headers_done, close_after, keep_alive, is_head, is_ws, chunked, gone_told;
    int minor;
    /* the request: URL and header bytes NUL-separated in raw; after the
     * headers the views below point into it (raw then never grows) */
    net_buf raw;
    size_t url_off;
    net_hdr_pos *hpos;
    size_t nhpos, hpos_cap;
    const char *method;
    char *target, *path, *query;
    char *path_decoded; /* the path percent-decoded (see net_req_path_decoded) */
    net_kv *headers, *params;
    size_t nheaders, nparams;
    char **protos;
    size_t nprotos;
    net_buf body;
    /* the answer */
    net_buf extra;   /* extra header lines */
    net_buf slot;    /* answer bytes waiting for the requests before it */
    uint32_t sse_keepalive_ms;
    uint64_t last_write;
    void (*on_gone)(net_req *, void *);
    void *gone_user, *user;
    net_ws *ws; /* accepted: becomes the connection's on the 101's turn */
};

/* The WebSocket decoder's position within a frame. */
enum { NET_WS_HDR, NET_WS_PAYLOAD };

typedef struct net_utf8 {
    uint8_t need, lo, hi;
} net_utf8;
bool net_utf8_step(net_utf8 *s, const void *data, size_t len);

struct net_ws {
    net_conn *conn;
    net_ws_handlers h;
    void *user;
    char *protocol;
    bool opened, close_sent, close_received, failed;
    uint64_t close_sent_at;
    int close_code;      /* what on_close reports */
    char close_reason[124];
    /* decoder */
    int state;
    uint8_t hdr[14];
    size_t hdr_len;
    uint8_t opcode, mask[4];
    bool fin;
    uint64_t remaining;
    size_t mask_pos;
    uint8_t msg_opcode; /* 0: no message in progress */
    net_buf msg;
    net_utf8 utf8;
    uint8_t ctrl[125];
    size_t ctrl_len;
};

struct net_conn {
    net_server *srv;
    net_io io;
    void *io_user;
    char peer[64];
    bool ws_mode;
    llhttp_t parser;
    /* input not yet parsed. While in_borrowed it is a view of the caller's
     * bytes (net_conn_feed parses them where they are); whatever is left
     * when the call returns is copied, so the transport may reuse its read
     * buffer. An idle connection holds no input buffer at all. */
    net_buf in;
    bool in_borrowed;
    bool parse_paused;   /* llhttp paused: pipeline full */
    bool upgraded;       /* a WebSocket handshake was parsed: HTTP parsing is over */
    bool stop_parsing;   /* error, Connection: close, EOF or shutdown: ignore input */
    bool read_paused, eof, draining;
    int err_status;      /* set by a parser callback that refused the request */
    const char *err_text;
    net_req *cur;        /* the request being parsed */
    size_t hdr_bytes;
    uint8_t hdr_state;   /* 0: none, 1: in a field name, 2: in a value */
    uint64_t cur_started, last_activity;
    net_req *head, *tail;
    uint32_t nqueue;
    net_buf out;         /* written this turn, handed to io->write when it ends */
    size_t io_pending;   /* given to io->write, not yet reported written */
    size_t slot_bytes;   /* in the slots of requests waiting their turn */
    net_ws *ws;
    int depth;           /* public calls in progress (re-entrancy) */
    bool closing, close_graceful, closed;
    const char *close_reason;
};

/* net_conn.c */
void net_conn_enter(net_conn *c);
void net_conn_leave(net_conn *c); /* does the deferred work; may free c */
void net_conn_close(net_conn *c, bool graceful, const char *reason);
void net_conn_emit(net_conn *c, const void *data, size_t len); /* straight to the output */
void net_conn_in_consume(net_conn *c, size_t n);                /* drop the first n input bytes */
void net_req_emit(net_req *r, const void *data, size_t len);   /* in the request's turn */
void net_req_release(net_req *r);                               /* the final call was made */
size_t net_conn_out_total(const net_conn *c);

/* net_http.c */
void net_http_init(net_conn *c);
bool net_http_process(net_conn *c); /* parse buffered input; true: progress */
void net_http_resume(net_conn *c);  /* the pipeline has room again */
void net_http_fail(net_conn *c, int status, const char *text); /* answer an error in turn, then close */
void net_req_free(net_req *r);
void net_http_tick(net_conn *c, uint64_t now);

/* net_resp.c */
const char *net_status_reason(int status);
const char *net_server_date(net_server *srv); /* "Sun, 06 Nov 1994 08:49:37 GMT", now */
void net_resp_error(net_req *r, int status, const char *text); /* plain text, Connection: close */

/* net_ws.c */
bool net_ws_handshake_check(net_req *r, int *status, const char **text);
void net_ws_open(net_conn *c);              /* the 101 went out */
void net_ws_process(net_conn *c);           /* decode buffered input */
void net_ws_gone(net_conn *c);              /* the connection closed: on_close, free */
void net_ws_tick(net_conn *c, uint64_t now);
void net_ws_shutdown(net_conn *c);

#endif
