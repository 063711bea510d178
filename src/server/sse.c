/*
 * sse.c: graphql-sse on /graphql and /graph/v2. (Work in progress: SSE
 * requests are refused with 501 until both modes land.)
 */
#include <string.h>
#include "server_internal.h"

bool server_sse_wants(const net_req *r) {
    const char *acc = net_req_header(r, "accept");
    return acc && strstr(acc, "text/event-stream");
}

void server_sse(server *s, net_req *r) {
    uint64_t t0 = server_now_us();
    server_answer_error(s, r, SRV_T_SSE, t0, 501, SRV_MEDIA_JSON, "server-sent events: not built yet", NULL);
}

void server_sse_init(server *s) { (void)s; }
void server_sse_shutdown(server *s) { (void)s; }
void server_sse_free(server *s) { (void)s; }
