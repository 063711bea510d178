/*
 * net_conn.c: one connection's life, independent of sockets. Bytes in
 * (net_conn_feed), bytes out (net_io.write), time in (net_conn_tick).
 *
 * Every public call enters the connection; the outermost one, on leaving,
 * does the deferred work in a loop until nothing moves: hand finished answers
 * out in request order, parse buffered input, then give the turn's output to
 * the transport in one write, enforce the output cap, and close or free. So a
 * callback never sees the connection change under it, and the connection is
 * freed only by the outermost call. This file must never call an application
 * callback while a parser is in the middle of a buffer it does not own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "net_internal.h"

net_conn *net_conn_new(net_server *srv, const net_io *io, void *io_user, const char *peer) {
    net_conn *c = net_xcalloc(1, sizeof *c);
    c->srv = srv;
    c->io = *io;
    c->io_user = io_user;
    snprintf(c->peer, sizeof c->peer, "%s", peer ? peer : "");
    c->last_activity = net_server_now(srv);
    net_http_init(c);
    srv->m.conns_http++;
    srv->m.conns_accepted++;
    return c;
}

const char *net_conn_peer(const net_conn *c) { return c->peer; }

size_t net_conn_out_total(const net_conn *c) { return c->io_pending + c->out.len + c->slot_bytes; }
size_t net_conn_pending(const net_conn *c) { return net_conn_out_total(c); }

/* Drop the first n input bytes: a borrowed view just moves on (the caller's
 * bytes are const), an owned buffer shifts. */
void net_conn_in_consume(net_conn *c, size_t n) {
    if (!c->in_borrowed) {
        net_buf_consume(&c->in, n);
        return;
    }
    if (n > c->in.len) n = c->in.len;
    c->in.p += n;
    c->in.len -= n;
}

/* Make the input ours: copy a borrowed view's remaining bytes (exactly, an
 * idle connection should not keep a big buffer for a few bytes). */
static void in_own(net_conn *c) {
    if (!c->in_borrowed) return;
    const char *rest = c->in.p;
    size_t n = c->in.len;
    c->in = (net_buf){0};
    c->in_borrowed = false;
    if (n) {
        c->in.p = net_xmalloc(n);
        c->in.cap = n;
        memcpy(c->in.p, rest, n);
        c->in.len = n;
    }
}

void net_conn_emit(net_conn *c, const void *data, size_t len) {
    if (c->closing) return;
    net_buf_append(&c->out, data, len);
}

void net_req_emit(net_req *r, const void *data, size_t len) {
    net_conn *c = r->conn;
    if (!c || c->closing || !len) return;
    if (c->head == r) {
        net_buf_append(&c->out, data, len);
    } else {
        net_buf_append(&r->slot, data, len);
        c->slot_bytes += len;
    }
    r->last_write = net_server_now(c->srv);
}

void net_conn_close(net_conn *c, bool graceful, const char *reason) {
    if (c->closing) return;
    c->closing = true;
    c->close_graceful = graceful;
    c->close_reason = reason;
}

void net_conn_enter(net_conn *c) { c->depth++; }

static void queue_pop(net_conn *c) {
    net_req *r = c->head;
    c->head = r->next;
    if (!c->head) c->tail = NULL;
    c->nqueue--;
    r->in_queue = false;
    r->next = NULL;
    if (r->ws) { /* the 101 is out: the connection now speaks WebSocket */
        c->ws = r->ws;
        r->ws = NULL;
        c->ws_mode = true;
        c->srv->m.conns_http--;
        c->srv->m.conns_ws++;
    }
    if (!r->app_holds) net_req_free(r);
    else r->conn = NULL; /* cannot happen: an answered request is released */
}

/* Move finished answers out in request order; true if anything moved. */
static bool advance_queue(net_conn *c) {
    bool moved = false;
    while (c->head && !c->closing) {
        net_req *r = c->head;
        if (r->slot.len) { /* its turn came: what it wrote while waiting goes out now */
            net_buf_append(&c->out, r->slot.p, r->slot.len);
            c->slot_bytes -= r->slot.len;
            r->slot.len = 0;
            moved = true;
        }
        if (r->state != NET_R_DONE) break;
        bool close = r->close_after;
        bool ws = r->ws != NULL;
        queue_pop(c);
        moved = true;
        if (ws) {
            net_ws_open(c);
            break;
        }
        if (close) net_conn_close(c, true, NULL);
    }
    if (!c->closing && !c->head && !c->ws_mode && (c->draining || (c->eof && c->stop_parsing)))
        net_conn_close(c, true, NULL);
    if (!c->closing && c->parse_paused && c->nqueue < c->srv->cfg.max_pipeline) net_http_resume(c), moved = true;
    return moved;
}

static void eof_check(net_conn *c);

static void set_read_paused(net_conn *c, bool paused) {
    if (c->read_paused == paused) return;
    c->read_paused = paused;
    if (c->io.pause_read) c->io.pause_read(c->io_user, paused);
}

/* The end: tell whoever still holds a request or the WebSocket, then free. */
static void conn_finish(net_conn *c) {
    net_server *srv = c->srv;
    if (c->close_reason) net_log(srv, "info", "conn_closed", "peer=%s reason=%s", c->peer, c->close_reason);
    c->io.close(c->io_user, c->close_graceful);
    if (c->ws_mode) srv->m.conns_ws--;
    else srv->m.conns_http--;
    net_req *r = c->head;
    c->head = c->tail = NULL;
    while (r) {
        net_req *next = r->next;
        r->in_queue = false;
        r->conn = NULL;
        c->slot_bytes -= r->slot.len;
        if (r->state == NET_R_STREAMING) srv->m.streams_open--;
        if (!r->app_holds) {
            net_req_free(r);
        } else if (r->on_gone && !r->gone_told) {
            r->gone_told = true;
            r->on_gone(r, r->gone_user); /* may make the final call: r is then freed */
        }
        r = next;
    }
    net_ws_gone(c);
    llhttp_reset(&c->parser);
    if (!c->in_borrowed) net_buf_free(&c->in);
    net_buf_free(&c->out);
    free(c);
}

void net_conn_leave(net_conn *c) {
    if (c->depth > 1) {
        c->depth--;
        return;
    }
    for (int guard = 0; guard < 1000000; guard++) {
        bool moved = advance_queue(c);
        if (c->closing) break;
        if (c->ws_mode) net_ws_process(c);
        else moved |= net_http_process(c);
        if (!moved) {
            if (c->eof && !c->stop_parsing && !c->ws_mode && !c->parse_paused && !c->upgraded) {
                eof_check(c);
                continue;
            }
            break;
        }
    }
    if (c->out.len && !(c->closing && !c->close_graceful)) {
        size_t n = c->out.len;
        c->srv->m.bytes_out += n;
        c->io_pending += n;
        c->out.len = 0;
        c->io.write(c->io_user, c->out.p, n);
    }
    /* the transport copied the output, and what is left of a borrowed input
     * is copied now: between calls a connection keeps only what it must */
    net_buf_free(&c->out);
    if (c->in_borrowed) in_own(c);
    else if (!c->in.len) net_buf_free(&c->in);
    if (!c->closing && net_conn_out_total(c) > c->srv->cfg.max_output_bytes) {
        c->srv->m.closed_output_cap++;
        net_log(c->srv, "warn", "output_cap", "peer=%s pending=%zu cap=%zu: slow reader, connection closed",
                c->peer, net_conn_out_total(c), c->srv->cfg.max_output_bytes);
        net_conn_close(c, false, NULL);
    }
    if (!c->closing) {
        /* input waiting (a full pipeline, a handshake not yet answered) is capped too */
        size_t cap = c->srv->cfg.max_header_bytes + 65536;
        set_read_paused(c, c->in.len >= cap);
    }
    c->depth--;
    if (c->closing) {
        c->depth++; /* nothing below may re-enter the settle loop */
        conn_finish(c);
    }
}

void net_conn_feed(net_conn *c, const void *data, size_t len) {
    net_conn_enter(c);
    c->srv->m.bytes_in += len;
    c->last_activity = net_server_now(c->srv);
    if (!c->closing && !(c->stop_parsing && !c->ws_mode) && len) {
        if (!c->in.len && !c->in_borrowed && c->depth == 1) {
            /* nothing waiting: parse the caller's bytes where they are */
            if (c->in.p) net_buf_free(&c->in);
            c->in = (net_buf){.p = (char *)data, .len = len};
            c->in_borrowed = true;
        } else {
            /* input already waiting (a full pipeline, a cut request): the new
             * bytes go after it, in our own copy */
            in_own(c);
            net_buf_append(&c->in, data, len);
        }
    }
    net_conn_leave(c);
}

void net_conn_eof(net_conn *c) {
    net_conn_enter(c);
    c->eof = true;
    if (c->ws_mode) {
        net_conn_close(c, false, "peer closed");
    } else if (c->head && c->head->state == NET_R_STREAMING) {
        /* a stream (SSE) has nothing left to read: its client is gone */
        net_conn_close(c, false, "peer closed");
    } else {
        /* requests already buffered are still parsed and answered (see eof_check) */
    }
    net_conn_leave(c);
}

/* After EOF, once every buffered request is parsed: a request cut short is
 * dropped unanswered and nothing more is parsed. */
static void eof_check(net_conn *c) {
    if (!c->eof || c->ws_mode || c->parse_paused || c->stop_parsing || c->upgraded) return;
    if (c->cur && c->cur->state == NET_R_PARSING) {
        net_req *r = c->cur;
        c->cur = NULL;
        r->state = NET_R_DONE;
        r->app_holds = false;
    }
    c->stop_parsing = true;
    c->in.len = 0;
}

void net_conn_written(net_conn *c, size_t len) {
    net_conn_enter(c);
    c->io_pending = len > c->io_pending ? 0 : c->io_pending - len;
    net_conn_leave(c);
}

void net_conn_abort(net_conn *c, const char *reason) {
    net_conn_enter(c);
    net_conn_close(c, false, reason ? reason : "aborted");
    net_conn_leave(c);
}

void net_conn_refuse(net_conn *c) {
    net_conn_enter(c);
    static const char msg[] = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
                              "Content-Length: 12\r\nConnection: close\r\n\r\nserver busy\n";
    c->srv->m.conns_refused++;
    c->srv->m.requests++;
    c->srv->m.responses[5]++;
    net_conn_emit(c, msg, sizeof msg - 1);
    c->stop_parsing = true;
    net_conn_close(c, true, NULL);
    net_conn_leave(c);
}

void net_conn_shutdown(net_conn *c) {
    net_conn_enter(c);
    c->draining = true;
    if (c->ws_mode) {
        net_ws_shutdown(c);
    } else {
        if (c->cur && c->cur->state == NET_R_PARSING) {
            net_req *r = c->cur; /* half a request: dropped, never answered */
            c->cur = NULL;
            r->state = NET_R_DONE;
            r->app_holds = false;
        }
        c->stop_parsing = true;
        c->in.len = 0;
        if (c->tail) c->tail->close_after = true;
        /* a WebSocket accepted but not yet opened is closed as soon as it opens */
    }
    net_conn_leave(c);
}

void net_conn_tick(net_conn *c) {
    net_conn_enter(c);
    uint64_t now = net_server_now(c->srv);
    if (c->ws_mode) net_ws_tick(c, now);
    else net_http_tick(c, now);
    net_conn_leave(c);
}
