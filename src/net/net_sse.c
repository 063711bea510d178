/*
 * net_sse.c: server-sent events on a streaming answer: the event-stream
 * field syntax (one "data:" line per line of data, since a raw newline would
 * end the field) and keep-alive comments, sent by the connection's tick when
 * a stream was quiet. Knows nothing of what the events mean.
 */
#include <stdlib.h>
#include <string.h>
#include "net_internal.h"

void net_sse_start(net_req *r, uint32_t keepalive_ms) {
    net_resp_header(r, "Cache-Control", "no-cache");
    net_resp_header(r, "X-Accel-Buffering", "no"); /* proxies must not hold events back */
    net_resp_stream_start(r, 200, "text/event-stream; charset=utf-8");
    r->sse_keepalive_ms = keepalive_ms;
}

/* Append n bytes at *o when they fit; count them either way. */
static void put(char *buf, size_t cap, size_t *o, const char *s, size_t n) {
    if (*o < cap) memcpy(buf + *o, s, *o + n <= cap ? n : cap - *o);
    *o += n;
}

size_t net_sse_format(char *buf, size_t cap, const char *event, const char *id, const char *data, size_t len) {
    size_t o = 0;
    if (event) {
        put(buf, cap, &o, "event: ", 7);
        put(buf, cap, &o, event, strcspn(event, "\r\n"));
        put(buf, cap, &o, "\n", 1);
    }
    if (id) {
        put(buf, cap, &o, "id: ", 4);
        put(buf, cap, &o, id, strcspn(id, "\r\n"));
        put(buf, cap, &o, "\n", 1);
    }
    size_t i = 0;
    do {
        size_t s = i;
        while (i < len && data[i] != '\n' && data[i] != '\r') i++;
        put(buf, cap, &o, "data: ", 6);
        put(buf, cap, &o, data + s, i - s);
        put(buf, cap, &o, "\n", 1);
        if (i < len && data[i] == '\r' && i + 1 < len && data[i + 1] == '\n') i++;
        if (i < len) i++; /* past the line break; a final break leaves an empty last line */
        else break;
    } while (1);
    put(buf, cap, &o, "\n", 1);
    return o;
}

void net_sse_event(net_req *r, const char *event, const char *id, const char *data, size_t len) {
    char small[1024];
    size_t n = net_sse_format(small, sizeof small, event, id, data, len);
    if (n <= sizeof small) {
        net_resp_stream_write(r, small, n);
        return;
    }
    char *big = net_xmalloc(n);
    net_sse_format(big, n, event, id, data, len);
    net_resp_stream_write(r, big, n);
    free(big);
}

void net_sse_comment(net_req *r, const char *text) {
    if (!text) {
        net_resp_stream_write(r, ":\n\n", 3);
        return;
    }
    net_buf b = {0};
    net_buf_append(&b, ":", 1);
    net_buf_append(&b, text, strcspn(text, "\r\n"));
    net_buf_append(&b, "\n\n", 2);
    net_resp_stream_write(r, b.p, b.len);
    net_buf_free(&b);
}
