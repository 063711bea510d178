/*
 * net_ws.c: WebSocket (RFC 6455) on a connection whose upgrade was accepted:
 * the handshake's checks and answer, the frame decoder (incremental: payload
 * is unmasked and UTF-8-checked as it arrives, so a connection holds at most
 * one message of max_ws_message bytes), the encoder (server frames are never
 * masked or fragmented), ping/pong and the close handshake. Any protocol
 * error fails the connection with the RFC's close code; nothing a peer sends
 * can abort the process.
 */
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "net_internal.h"

enum { OP_CONT = 0, OP_TEXT = 1, OP_BINARY = 2, OP_CLOSE = 8, OP_PING = 9, OP_PONG = 10 };

/* ---- UTF-8 ----------------------------------------------------------------- */

/* One step of a validator that can stop anywhere (a fragment may end inside a
 * character). Rejects overlongs, surrogates and code points past U+10FFFF. */
bool net_utf8_step(net_utf8 *s, const void *data, size_t len) {
    const uint8_t *p = data, *e = p + len;
    while (p < e) {
        uint8_t b = *p++;
        if (s->need) {
            if (b < s->lo || b > s->hi) return false;
            s->need--;
            s->lo = 0x80;
            s->hi = 0xBF;
            continue;
        }
        if (b < 0x80) continue;
        s->lo = 0x80;
        s->hi = 0xBF;
        if (b >= 0xC2 && b <= 0xDF) s->need = 1;
        else if (b == 0xE0) s->need = 2, s->lo = 0xA0;
        else if (b == 0xED) s->need = 2, s->hi = 0x9F;
        else if (b >= 0xE1 && b <= 0xEF) s->need = 2;
        else if (b == 0xF0) s->need = 3, s->lo = 0x90;
        else if (b >= 0xF1 && b <= 0xF3) s->need = 3;
        else if (b == 0xF4) s->need = 3, s->hi = 0x8F;
        else return false;
    }
    return true;
}

bool net_utf8_valid(const void *data, size_t len) {
    net_utf8 s = {0};
    return net_utf8_step(&s, data, len) && !s.need;
}

/* ---- handshake --------------------------------------------------------------- */

static bool header_is(const net_req *r, const char *name, const char *value) {
    const char *v = net_req_header(r, name);
    return v && !strcasecmp(v, value);
}

static bool connection_has_upgrade(const net_req *r) {
    for (size_t i = 0; i < r->nheaders; i++) {
        if (strcasecmp(r->headers[i].name, "Connection")) continue;
        for (const char *s = r->headers[i].value; *s;) {
            while (*s == ' ' || *s == ',' || *s == '\t') s++;
            size_t n = strcspn(s, ", \t");
            if (n == 7 && !strncasecmp(s, "upgrade", 7)) return true;
            s += n;
        }
    }
    return false;
}

/* The key must be base64 of 16 bytes: 22 alphabet characters and "==". */
static bool key_valid(const char *k) {
    if (!k || strlen(k) != 24 || strcmp(k + 22, "==")) return false;
    for (int i = 0; i < 22; i++) {
        char ch = k[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '+' ||
              ch == '/'))
            return false;
    }
    return true;
}

bool net_ws_handshake_check(net_req *r, int *status, const char **text) {
    *status = 400;
    if (strcmp(r->method, "GET") || r->minor < 1) {
        *text = "WebSocket handshake must be GET over HTTP/1.1\n";
        return false;
    }
    if (!connection_has_upgrade(r)) {
        *text = "WebSocket handshake needs Connection: Upgrade\n";
        return false;
    }
    if (!header_is(r, "Sec-WebSocket-Version", "13")) {
        *status = 426;
        net_buf_printf(&r->extra, "Sec-WebSocket-Version: 13\r\n");
        *text = "WebSocket version 13 required\n";
        return false;
    }
    if (!key_valid(net_req_header(r, "Sec-WebSocket-Key"))) {
        *text = "bad Sec-WebSocket-Key\n";
        return false;
    }
    return true;
}

void net_ws_accept_key(const char *key, size_t len, char out[29]) {
    static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    unsigned char md[SHA_DIGEST_LENGTH];
    SHA_CTX ctx;
    /* SHA1_* is deprecated in OpenSSL 3 but is the exact, allocation-free primitive needed */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    SHA1_Init(&ctx);
    SHA1_Update(&ctx, key, len);
    SHA1_Update(&ctx, guid, sizeof guid - 1);
    SHA1_Final(md, &ctx);
#pragma GCC diagnostic pop
    EVP_EncodeBlock((unsigned char *)out, md, SHA_DIGEST_LENGTH);
    out[28] = 0;
}

bool net_ws_close_code_valid(int code) {
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

/* ---- output ------------------------------------------------------------------ */

/* Before its 101 has gone out, a WebSocket's frames wait in the request's slot. */
static net_req *pending_req(net_ws *ws);

static void ws_emit(net_ws *ws, const void *data, size_t len) {
    net_req *r = pending_req(ws);
    if (r) net_req_emit(r, data, len);
    else if (ws->conn) net_conn_emit(ws->conn, data, len);
}

static void send_frame(net_ws *ws, int opcode, const void *data, size_t len) {
    uint8_t h[10];
    size_t n;
    h[0] = (uint8_t)(0x80 | opcode);
    if (len < 126) {
        h[1] = (uint8_t)len;
        n = 2;
    } else if (len <= 0xFFFF) {
        h[1] = 126;
        h[2] = (uint8_t)(len >> 8);
        h[3] = (uint8_t)len;
        n = 4;
    } else {
        h[1] = 127;
        for (int i = 0; i < 8; i++) h[2 + i] = (uint8_t)((uint64_t)len >> (56 - 8 * i));
        n = 10;
    }
    ws_emit(ws, h, n);
    ws_emit(ws, data, len);
}

static void send_close(net_ws *ws, int code, const char *reason) {
    if (ws->close_sent) return;
    ws->close_sent = true;
    ws->close_sent_at = ws->conn ? net_server_now(ws->conn->srv) : 0;
    uint8_t p[125];
    size_t n = 0;
    if (code) {
        size_t rl = reason ? strlen(reason) : 0;
        if (rl > 123) {
            rl = 123;
            while (rl && ((uint8_t)reason[rl] & 0xC0) == 0x80) rl--; /* cut before a character, not inside */
        }
        p[0] = (uint8_t)(code >> 8);
        p[1] = (uint8_t)code;
        memcpy(p + 2, reason, rl);
        n = rl + 2;
    }
    send_frame(ws, OP_CLOSE, p, n);
}

static void set_close(net_ws *ws, int code, const char *reason, size_t len) {
    ws->close_code = code;
    if (len > sizeof ws->close_reason - 1) len = sizeof ws->close_reason - 1;
    memcpy(ws->close_reason, reason, len);
    ws->close_reason[len] = 0;
}

/* Fail the WebSocket connection (RFC 6455 7.1.7): close frame, then TCP. */
static void ws_fail(net_ws *ws, int code, const char *why) {
    net_conn *c = ws->conn;
    net_log(c->srv, "info", "ws_protocol_error", "peer=%s code=%d reason=%s", c->peer, code, why);
    send_close(ws, code, why);
    set_close(ws, code, why, strlen(why));
    ws->failed = true;
    net_conn_close(c, true, NULL);
}

/* ---- the application's calls -------------------------------------------------- */

net_ws *net_ws_accept(net_req *r, const char *protocol, const net_ws_handlers *h, void *user) {
    if (r->state != NET_R_WAITING) return NULL;
    if (!r->is_ws) {
        net_resp_send(r, 400, "text/plain; charset=utf-8", "not a WebSocket handshake\n", 26);
        return NULL;
    }
    net_conn *c = r->conn;
    if (!c) {
        net_req_release(r);
        return NULL;
    }
    net_conn_enter(c);
    net_ws *ws = net_xcalloc(1, sizeof *ws);
    ws->conn = c;
    if (h) ws->h = *h;
    ws->user = user;
    ws->protocol = protocol ? net_xstrdup(protocol) : NULL;
    ws->close_code = 1006;
    const char *key = net_req_header(r, "Sec-WebSocket-Key");
    char accept[29];
    net_ws_accept_key(key, strlen(key), accept);
    net_buf b = {0};
    net_buf_printf(&b, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                       "Sec-WebSocket-Accept: %s\r\n", accept);
    if (protocol) net_buf_printf(&b, "Sec-WebSocket-Protocol: %.*s\r\n", (int)strcspn(protocol, "\r\n"), protocol);
    net_buf_append(&b, r->extra.p, r->extra.len);
    net_buf_append(&b, "\r\n", 2);
    net_req_emit(r, b.p, b.len);
    net_buf_free(&b);
    c->srv->m.requests++;
    c->srv->m.responses[1]++;
    r->close_after = false;
    r->ws = ws;
    net_req_release(r);
    net_conn_leave(c);
    return ws;
}

static net_req *pending_req(net_ws *ws) {
    if (ws->opened || !ws->conn) return NULL;
    for (net_req *r = ws->conn->head; r; r = r->next)
        if (r->ws == ws) return r;
    return NULL;
}

void net_ws_send(net_ws *ws, net_ws_kind kind, const void *data, size_t len) {
    net_conn *c = ws->conn;
    if (!c || ws->close_sent || c->closing) return;
    net_conn_enter(c);
    send_frame(ws, kind == NET_WS_BINARY ? OP_BINARY : OP_TEXT, data, len);
    c->srv->m.ws_messages_out++;
    net_conn_leave(c);
}

void net_ws_send_text(net_ws *ws, const char *text) { net_ws_send(ws, NET_WS_TEXT, text, strlen(text)); }

void net_ws_ping(net_ws *ws, const void *data, size_t len) {
    net_conn *c = ws->conn;
    if (!c || ws->close_sent || c->closing) return;
    net_conn_enter(c);
    send_frame(ws, OP_PING, data, len > 125 ? 125 : len);
    net_conn_leave(c);
}

void net_ws_close(net_ws *ws, int code, const char *reason) {
    net_conn *c = ws->conn;
    if (!c || ws->close_sent) return;
    net_conn_enter(c);
    if (!net_ws_close_code_valid(code)) code = 1000;
    send_close(ws, code, reason ? reason : "");
    set_close(ws, code, reason ? reason : "", reason ? strlen(reason) : 0);
    if (ws->close_received) net_conn_close(c, true, NULL);
    net_conn_leave(c);
}

size_t net_ws_pending(const net_ws *ws) { return ws->conn ? net_conn_out_total(ws->conn) : 0; }
const char *net_ws_protocol(const net_ws *ws) { return ws->protocol; }
net_conn *net_ws_conn(const net_ws *ws) { return ws->conn; }
void *net_ws_user(const net_ws *ws) { return ws->user; }
void net_ws_set_user(net_ws *ws, void *user) { ws->user = user; }

/* ---- the connection's side ---------------------------------------------------- */

void net_ws_open(net_conn *c) {
    net_ws *ws = c->ws;
    ws->opened = true;
    if (ws->h.on_open) ws->h.on_open(ws, ws->user);
    if (c->draining) net_ws_close(ws, 1001, "server shutting down");
    if (c->eof) net_conn_close(c, false, "peer closed");
}

void net_ws_shutdown(net_conn *c) {
    if (c->ws) net_ws_close(c->ws, 1001, "server shutting down");
}

void net_ws_gone(net_conn *c) {
    net_ws *ws = c->ws;
    if (!ws) return;
    c->ws = NULL;
    ws->conn = NULL;
    if (ws->h.on_close) ws->h.on_close(ws, ws->close_code, ws->close_reason, ws->user);
    net_buf_free(&ws->msg);
    free(ws->protocol);
    free(ws);
}

void net_ws_tick(net_conn *c, uint64_t now) {
    net_ws *ws = c->ws;
    if (ws && ws->close_sent && !ws->close_received && now - ws->close_sent_at >= c->srv->cfg.ws_close_timeout_ms) {
        c->srv->m.closed_timeout++;
        net_conn_close(c, false, "no close frame from the peer");
    }
}

static void on_close_frame(net_ws *ws) {
    net_conn *c = ws->conn;
    int code = 1005; /* "no status received" (RFC 6455 7.4.1): reported, never sent */
    const char *reason = "";
    size_t rl = 0;
    if (ws->ctrl_len == 1) return ws_fail(ws, 1002, "close frame with a 1-byte payload");
    if (ws->ctrl_len >= 2) {
        code = ws->ctrl[0] << 8 | ws->ctrl[1];
        if (!net_ws_close_code_valid(code)) return ws_fail(ws, 1002, "invalid close code");
        reason = (const char *)ws->ctrl + 2;
        rl = ws->ctrl_len - 2;
        if (!net_utf8_valid(reason, rl)) return ws_fail(ws, 1007, "close reason is not UTF-8");
    }
    ws->close_received = true;
    if (!ws->close_sent) {
        /* the peer started the close: echo its code, and report it */
        if (code == 1005) {
            ws->close_sent = true;
            send_frame(ws, OP_CLOSE, NULL, 0);
        } else {
            send_close(ws, code, "");
        }
        set_close(ws, code, reason, rl);
    }
    net_conn_close(c, true, NULL);
}

static void frame_done(net_ws *ws) {
    net_conn *c = ws->conn;
    uint8_t op = ws->opcode;
    ws->state = NET_WS_HDR;
    ws->hdr_len = 0;
    if (op == OP_PING) {
        if (!ws->close_sent) send_frame(ws, OP_PONG, ws->ctrl, ws->ctrl_len);
        return;
    }
    if (op == OP_PONG) return;
    if (op == OP_CLOSE) return on_close_frame(ws);
    if (!ws->fin) return;
    bool text = ws->msg_opcode == OP_TEXT;
    ws->msg_opcode = 0;
    if (text && ws->utf8.need) return ws_fail(ws, 1007, "text message is not UTF-8");
    if (!ws->close_sent) {
        c->srv->m.ws_messages_in++;
        net_buf_append(&ws->msg, "", 1); /* a NUL after the data, for convenience */
        ws->msg.len--;
        if (ws->h.on_message)
            ws->h.on_message(ws, text ? NET_WS_TEXT : NET_WS_BINARY, ws->msg.p ? ws->msg.p : "", ws->msg.len, ws->user);
    }
    net_buf_free(&ws->msg); /* an idle connection keeps no message buffer */
}

/* The first two bytes of a frame: everything that can be refused early. */
static bool check_first(net_ws *ws) {
    uint8_t b0 = ws->hdr[0], b1 = ws->hdr[1];
    uint8_t op = b0 & 0x0F;
    if (b0 & 0x70) return ws_fail(ws, 1002, "reserved bits set"), false;
    if (!(b1 & 0x80)) return ws_fail(ws, 1002, "client frame not masked"), false;
    if (op >= 8) {
        if (op > OP_PONG) return ws_fail(ws, 1002, "unknown opcode"), false;
        if (!(b0 & 0x80)) return ws_fail(ws, 1002, "fragmented control frame"), false;
        if ((b1 & 0x7F) > 125) return ws_fail(ws, 1002, "control frame over 125 bytes"), false;
    } else if (op == OP_CONT) {
        if (!ws->msg_opcode) return ws_fail(ws, 1002, "continuation without a message"), false;
    } else if (op == OP_TEXT || op == OP_BINARY) {
        if (ws->msg_opcode) return ws_fail(ws, 1002, "new message inside a fragmented one"), false;
    } else {
        return ws_fail(ws, 1002, "unknown opcode"), false;
    }
    return true;
}

static size_t header_size(const net_ws *ws) {
    uint8_t l = ws->hdr[1] & 0x7F;
    return 2 + (l == 126 ? 2 : l == 127 ? 8 : 0) + 4;
}

/* A complete frame header: its length and mask; false when refused. */
static bool parse_header(net_ws *ws) {
    net_conn *c = ws->conn;
    uint8_t l = ws->hdr[1] & 0x7F;
    uint64_t len = l;
    size_t o = 2;
    if (l == 126) {
        len = (uint64_t)ws->hdr[2] << 8 | ws->hdr[3];
        o = 4;
    } else if (l == 127) {
        len = 0;
        for (int i = 0; i < 8; i++) len = len << 8 | ws->hdr[2 + i];
        o = 10;
        if (len >> 63) return ws_fail(ws, 1002, "frame length with the top bit set"), false;
    }
    memcpy(ws->mask, ws->hdr + o, 4);
    ws->opcode = ws->hdr[0] & 0x0F;
    ws->fin = ws->hdr[0] & 0x80;
    ws->remaining = len;
    ws->mask_pos = 0;
    ws->ctrl_len = 0;
    if (ws->opcode < 8) {
        if (ws->opcode != OP_CONT) {
            ws->msg_opcode = ws->opcode;
            ws->utf8 = (net_utf8){0};
            ws->msg.len = 0;
        }
        if (len > c->srv->cfg.max_ws_message - ws->msg.len || ws->msg.len > c->srv->cfg.max_ws_message)
            return ws_fail(ws, 1009, "message too big"), false;
    }
    return true;
}

static void unmask(net_ws *ws, uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) p[i] ^= ws->mask[(ws->mask_pos + i) & 3];
    ws->mask_pos = (ws->mask_pos + n) & 3;
}

void net_ws_process(net_conn *c) {
    net_ws *ws = c->ws;
    if (!ws) return;
    const uint8_t *p = (const uint8_t *)c->in.p;
    size_t n = c->in.len, i = 0;
    while (i < n && !c->closing && !ws->close_received && !ws->failed) {
        if (ws->state == NET_WS_HDR) {
            size_t need = ws->hdr_len < 2 ? 2 : header_size(ws);
            size_t take = need - ws->hdr_len < n - i ? need - ws->hdr_len : n - i;
            memcpy(ws->hdr + ws->hdr_len, p + i, take);
            ws->hdr_len += take;
            i += take;
            if (ws->hdr_len < need) continue;
            if (need == 2) {
                if (!check_first(ws)) break;
                continue; /* now the full header size is known */
            }
            if (!parse_header(ws)) break;
            ws->state = NET_WS_PAYLOAD;
            if (ws->remaining == 0) frame_done(ws);
            continue;
        }
        size_t take = ws->remaining < n - i ? (size_t)ws->remaining : n - i;
        if (ws->opcode >= 8) {
            uint8_t *d = ws->ctrl + ws->ctrl_len;
            memcpy(d, p + i, take);
            unmask(ws, d, take);
            ws->ctrl_len += take;
        } else {
            size_t at = ws->msg.len;
            net_buf_append(&ws->msg, p + i, take);
            uint8_t *d = (uint8_t *)ws->msg.p + at;
            unmask(ws, d, take);
            /* checked as it arrives: a bad byte fails the connection at once (fail fast) */
            if (ws->msg_opcode == OP_TEXT && !net_utf8_step(&ws->utf8, d, take)) {
                ws_fail(ws, 1007, "text message is not UTF-8");
                break;
            }
        }
        i += take;
        ws->remaining -= take;
        if (ws->remaining == 0) frame_done(ws);
    }
    c->in.len = 0; /* all consumed, or ignored after the close */
}
