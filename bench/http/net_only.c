/*
 * net_only.c: the transport's ceiling, for bench/http/run.sh: mesd's HTTP
 * core and libuv glue (src/net) serving every request with the fixed answer
 * of `{ __typename }`, with no GraphQL, no auth, no database. What mesd
 * reaches above this is the rest of the server's cost. Never used by mesd.
 * Usage: net_only PORT
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <uv.h>
#include "net.h"

static void on_request(net_req *r, void *user) {
    static const char body[] = "{\"data\":{\"__typename\":\"Query\"}}";
    net_resp_send(r, 200, "application/json", body, sizeof body - 1);
}

static void on_log(void *user, const char *level, const char *event, const char *detail) {}

int main(int argc, char **argv) {
    signal(SIGPIPE, SIG_IGN);
    uv_loop_t *loop = uv_default_loop();
    net_handlers h = {.on_request = on_request, .on_log = on_log};
    net_server *srv = net_server_new(NULL, &h);
    int err = 0;
    if (!net_listen(loop, srv, "127.0.0.1", argc > 1 ? atoi(argv[1]) : 4102, &err)) {
        fprintf(stderr, "listen: %s\n", uv_strerror(err));
        return 1;
    }
    return uv_run(loop, UV_RUN_DEFAULT);
}
