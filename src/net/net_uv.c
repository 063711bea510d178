/*
 * net_uv.c: the libuv glue under the connection core: the listener, reads
 * into one shared buffer (the core copies what it keeps), writes (tried at
 * once; what the socket does not take is copied and queued, and reported
 * back to the core when done so its output cap sees what the peer has not
 * taken), one timer ticking every connection, the connection
 * limit and graceful shutdown. Holds no protocol logic: every decision about
 * bytes is the core's.
 */
#include <stdlib.h>
#include <string.h>
#include <uv.h>
#include "net_internal.h"

typedef struct uvconn {
    uv_tcp_t tcp;
    uv_shutdown_t sd;
    net_conn *core; /* NULL once the core has closed it */
    uint64_t closing_since; /* when the core closed it: a peer that never reads cannot hold it open */
    net_listener *l;
    struct uvconn *prev, *next;
} uvconn;

typedef struct wreq {
    uv_write_t w;
    uvconn *uc;
    size_t len;
    char data[];
} wreq;

struct net_listener {
    uv_loop_t *loop;
    net_server *srv;
    uv_tcp_t tcp;
    uv_timer_t timer;
    uvconn *conns;
    size_t nconns;
    bool shutting, listener_closed, timer_closed;
    uint64_t deadline;
    void (*done)(void *);
    void *done_user;
    int port;
    char readbuf[65536];
};

static void conn_closed_cb(uv_handle_t *h);
static void maybe_finish(net_listener *l);
static void write_cb(uv_write_t *req, int status);
static void free_listener_cb(uv_handle_t *h) { free(h->data); }

static void io_write(void *io, const void *data, size_t len) {
    uvconn *uc = io;
    /* usually the socket takes it all at once: no copy, no request, and the
     * core hears it is written before this returns (it allows the call) */
    uv_buf_t first = uv_buf_init((char *)data, (unsigned)len);
    int done = uv_try_write((uv_stream_t *)&uc->tcp, &first, 1);
    if (done >= 0 && (size_t)done == len) {
        if (uc->core) net_conn_written(uc->core, len);
        return;
    }
    if (done < 0 && done != UV_EAGAIN) {
        if (uc->core) net_conn_abort(uc->core, uv_strerror(done));
        return;
    }
    size_t off = done > 0 ? (size_t)done : 0;
    /* the rest is copied and queued; reported written (all of it) when done */
    wreq *w = net_xmalloc(sizeof *w + (len - off));
    w->uc = uc;
    w->len = len;
    memcpy(w->data, (const char *)data + off, len - off);
    uv_buf_t b = uv_buf_init(w->data, (unsigned)(len - off));
    int rc = uv_write(&w->w, (uv_stream_t *)&uc->tcp, &b, 1, write_cb);
    if (rc < 0) {
        free(w);
        if (uc->core) net_conn_abort(uc->core, uv_strerror(rc));
    }
}

static void write_cb(uv_write_t *req, int status) {
    wreq *w = (wreq *)req;
    uvconn *uc = w->uc;
    size_t len = w->len;
    free(w);
    if (!uc->core) return;
    if (status < 0) net_conn_abort(uc->core, uv_strerror(status));
    else net_conn_written(uc->core, len);
}

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
    (void)suggested;
    uvconn *uc = h->data;
    /* one buffer for every connection: a read is consumed before the next starts */
    *buf = uv_buf_init(uc->l->readbuf, sizeof uc->l->readbuf);
}

static void read_cb(uv_stream_t *s, ssize_t n, const uv_buf_t *buf) {
    uvconn *uc = s->data;
    if (!uc->core) return;
    if (n > 0) net_conn_feed(uc->core, buf->base, (size_t)n);
    else if (n == UV_EOF) {
        uv_read_stop(s);
        net_conn_eof(uc->core);
    } else if (n < 0) net_conn_abort(uc->core, uv_strerror((int)n));
}

static void io_pause_read(void *io, bool paused) {
    uvconn *uc = io;
    if (paused) uv_read_stop((uv_stream_t *)&uc->tcp);
    else uv_read_start((uv_stream_t *)&uc->tcp, alloc_cb, read_cb);
}

static void shutdown_cb(uv_shutdown_t *req, int status) {
    (void)status;
    uvconn *uc = req->data;
    if (!uv_is_closing((uv_handle_t *)&uc->tcp)) uv_close((uv_handle_t *)&uc->tcp, conn_closed_cb);
}

static void io_close(void *io, bool graceful) {
    uvconn *uc = io;
    uc->core = NULL;
    uc->closing_since = uv_now(uc->l->loop);
    uv_read_stop((uv_stream_t *)&uc->tcp);
    if (graceful) {
        /* uv_shutdown waits for the writes already queued, then sends FIN */
        uc->sd.data = uc;
        if (uv_shutdown(&uc->sd, (uv_stream_t *)&uc->tcp, shutdown_cb) == 0) return;
    }
    uv_close((uv_handle_t *)&uc->tcp, conn_closed_cb);
}

static const net_io uv_io = {io_write, io_pause_read, io_close};

static void conn_closed_cb(uv_handle_t *h) {
    uvconn *uc = h->data;
    net_listener *l = uc->l;
    if (uc->prev) uc->prev->next = uc->next;
    else l->conns = uc->next;
    if (uc->next) uc->next->prev = uc->prev;
    l->nconns--;
    free(uc);
    maybe_finish(l);
}

static void on_connection(uv_stream_t *server, int status) {
    net_listener *l = server->data;
    if (status < 0 || l->shutting) return;
    uvconn *uc = net_xcalloc(1, sizeof *uc);
    uc->l = l;
    uv_tcp_init(l->loop, &uc->tcp);
    uc->tcp.data = uc;
    if (uv_accept(server, (uv_stream_t *)&uc->tcp) < 0) {
        uv_close((uv_handle_t *)&uc->tcp, (uv_close_cb)free);
        return;
    }
    uc->next = l->conns;
    if (l->conns) l->conns->prev = uc;
    l->conns = uc;
    l->nconns++;
    uv_tcp_nodelay(&uc->tcp, 1);
    char peer[64] = "";
    struct sockaddr_storage sa;
    int salen = sizeof sa;
    if (uv_tcp_getpeername(&uc->tcp, (struct sockaddr *)&sa, &salen) == 0) {
        char ip[48] = "";
        int port = 0;
        if (sa.ss_family == AF_INET) {
            uv_ip4_name((struct sockaddr_in *)&sa, ip, sizeof ip);
            port = ntohs(((struct sockaddr_in *)&sa)->sin_port);
        } else if (sa.ss_family == AF_INET6) {
            uv_ip6_name((struct sockaddr_in6 *)&sa, ip, sizeof ip);
            port = ntohs(((struct sockaddr_in6 *)&sa)->sin6_port);
        }
        snprintf(peer, sizeof peer, "%s:%d", ip, port);
    }
    uc->core = net_conn_new(l->srv, &uv_io, uc, peer);
    if (l->nconns > l->srv->cfg.max_connections) {
        net_log(l->srv, "warn", "conn_refused", "peer=%s open=%zu limit=%u", peer, l->nconns - 1,
                l->srv->cfg.max_connections);
        net_conn_refuse(uc->core); /* closes it */
        return;
    }
    uv_read_start((uv_stream_t *)&uc->tcp, alloc_cb, read_cb);
}

static void timer_cb(uv_timer_t *t) {
    net_listener *l = t->data;
    bool late = l->shutting && uv_now(l->loop) >= l->deadline;
    for (uvconn *uc = l->conns, *next; uc; uc = next) {
        next = uc->next; /* a closed connection stays listed until its close callback */
        if (!uc->core) {
            /* a graceful close waits for the peer to take our last bytes, but not forever */
            uint64_t linger = l->srv->cfg.idle_timeout_ms ? l->srv->cfg.idle_timeout_ms : 60000;
            if (!uv_is_closing((uv_handle_t *)&uc->tcp) && (late || uv_now(l->loop) - uc->closing_since >= linger))
                uv_close((uv_handle_t *)&uc->tcp, conn_closed_cb);
            continue;
        }
        if (late) net_conn_abort(uc->core, "shutdown deadline");
        else net_conn_tick(uc->core);
    }
}

net_listener *net_listen(uv_loop_t *loop, net_server *srv, const char *host, int port, int *err) {
    net_listener *l = net_xcalloc(1, sizeof *l);
    l->loop = loop;
    l->srv = srv;
    struct sockaddr_storage sa;
    int rc = strchr(host, ':') ? uv_ip6_addr(host, port, (struct sockaddr_in6 *)&sa)
                               : uv_ip4_addr(host, port, (struct sockaddr_in *)&sa);
    if (rc == 0) rc = uv_tcp_init(loop, &l->tcp);
    if (rc < 0) {
        free(l);
        *err = rc;
        return NULL;
    }
    l->tcp.data = l;
    rc = uv_tcp_bind(&l->tcp, (struct sockaddr *)&sa, 0);
    if (rc == 0) rc = uv_listen((uv_stream_t *)&l->tcp, 511, on_connection);
    if (rc < 0) {
        *err = rc;
        uv_close((uv_handle_t *)&l->tcp, free_listener_cb); /* the handle lives inside l */
        return NULL;
    }
    struct sockaddr_storage bound;
    int blen = sizeof bound;
    uv_tcp_getsockname(&l->tcp, (struct sockaddr *)&bound, &blen);
    l->port = bound.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&bound)->sin6_port)
                                          : ntohs(((struct sockaddr_in *)&bound)->sin_port);
    uv_timer_init(loop, &l->timer);
    l->timer.data = l;
    uv_timer_start(&l->timer, timer_cb, srv->cfg.tick_ms, srv->cfg.tick_ms);
    net_log(srv, "info", "listening", "address=%s port=%d", host, l->port);
    return l;
}

int net_listener_port(const net_listener *l) { return l->port; }

static void timer_closed_cb(uv_handle_t *h) {
    net_listener *l = h->data;
    void (*done)(void *) = l->done;
    void *user = l->done_user;
    uv_loop_t *loop = l->loop;
    net_log(l->srv, "info", "shutdown_done", NULL);
    free(l);
    if (done) done(user);
    else uv_stop(loop);
}

static void maybe_finish(net_listener *l) {
    if (!l->shutting || !l->listener_closed || l->nconns || l->timer_closed) return;
    l->timer_closed = true;
    uv_close((uv_handle_t *)&l->timer, timer_closed_cb);
}

static void listener_closed_cb(uv_handle_t *h) {
    net_listener *l = h->data;
    l->listener_closed = true;
    maybe_finish(l);
}

void net_listener_shutdown(net_listener *l, void (*done)(void *), void *user) {
    if (l->shutting) return;
    l->shutting = true;
    l->done = done;
    l->done_user = user;
    l->deadline = uv_now(l->loop) + l->srv->cfg.shutdown_timeout_ms;
    net_log(l->srv, "info", "shutdown", "connections=%zu", l->nconns);
    uv_close((uv_handle_t *)&l->tcp, listener_closed_cb);
    for (uvconn *uc = l->conns, *next; uc; uc = next) {
        next = uc->next;
        if (uc->core) net_conn_shutdown(uc->core);
    }
}
