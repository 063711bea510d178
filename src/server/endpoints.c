/*
 * endpoints.c: the operational endpoints on mesd's listener: /healthz (the
 * process answers), /readyz (the database answers a read), /metrics
 * (Prometheus text format 0.0.4). None needs a token (api.md): bind to loopback or put them behind a
 * proxy.
 *
 * Must never: write to the store, or take long: /metrics reads counters only
 * (one store read for /readyz).
 */
#include <stdlib.h>
#include <string.h>
#include "server_internal.h"

static const char text_plain[] = "text/plain; charset=utf-8";

/* ---- /metrics ---- */

static void help(gql_buf *b, const char *name, const char *type, const char *text) {
    gql_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, text, name, type);
}

static void counter(gql_buf *b, const char *name, const char *text, uint64_t v) {
    help(b, name, "counter", text);
    gql_buf_printf(b, "%s %llu\n", name, (unsigned long long)v);
}

static void gauge(gql_buf *b, const char *name, const char *text, uint64_t v) {
    help(b, name, "gauge", text);
    gql_buf_printf(b, "%s %llu\n", name, (unsigned long long)v);
}

static void server_part(gql_buf *b, const server *s) {
    static const char *const classes[6] = {"0xx", "1xx", "2xx", "3xx", "4xx", "5xx"};
    static const char *const le[SRV_LATENCY_BUCKETS] = {"0.0001", "0.00025", "0.0005", "0.001",
                                                        "0.0025", "0.005",   "0.01",   "0.025",
                                                        "0.05",   "0.1",     "0.25",   "+Inf"};
    const server_metrics *m = &s->metrics;
    help(b, "mesd_requests_total", "counter",
         "Answered HTTP requests, and operations of the streaming transports, by transport and status class.");
    for (int t = 0; t < SRV_T_COUNT; t++)
        for (int c = 0; c < 6; c++)
            if (m->requests[t][c] || c == 2)
                gql_buf_printf(b, "mesd_requests_total{transport=\"%s\",status=\"%s\"} %llu\n",
                               server_transport_name((server_transport)t), classes[c],
                               (unsigned long long)m->requests[t][c]);
    help(b, "mesd_request_duration_seconds", "histogram",
         "Time from a request's arrival to its answer (HTTP), or an operation's (streaming transports).");
    for (int t = 0; t < SRV_T_COUNT; t++) {
        const char *tn = server_transport_name((server_transport)t);
        uint64_t cum = 0;
        for (int k = 0; k < SRV_LATENCY_BUCKETS; k++) {
            cum += m->latency[t][k];
            gql_buf_printf(b, "mesd_request_duration_seconds_bucket{transport=\"%s\",le=\"%s\"} %llu\n", tn, le[k],
                           (unsigned long long)cum);
        }
        gql_buf_printf(b, "mesd_request_duration_seconds_sum{transport=\"%s\"} %.6f\n", tn, m->latency_sum[t]);
        gql_buf_printf(b, "mesd_request_duration_seconds_count{transport=\"%s\"} %llu\n", tn, (unsigned long long)cum);
    }
    help(b, "mesd_transport_subscriptions", "gauge", "Subscriptions open now, by transport.");
    for (int t = 0; t < SRV_T_COUNT; t++)
        if (t != SRV_T_HTTP)
            gql_buf_printf(b, "mesd_transport_subscriptions{transport=\"%s\"} %llu\n",
                           server_transport_name((server_transport)t),
                           (unsigned long long)m->subscriptions_open[t]);
}

static void net_part(gql_buf *b, const net_metrics *n) {
    help(b, "mesd_connections_open", "gauge", "Open client connections, by kind.");
    gql_buf_printf(b, "mesd_connections_open{kind=\"http\"} %llu\nmesd_connections_open{kind=\"websocket\"} %llu\n",
                   (unsigned long long)n->conns_http, (unsigned long long)n->conns_ws);
    gauge(b, "mesd_sse_streams_open", "Server-sent event streams in progress.", n->streams_open);
    counter(b, "mesd_connections_accepted_total", "Connections accepted.", n->conns_accepted);
    counter(b, "mesd_connections_refused_total", "Connections refused over the connection limit (503).",
            n->conns_refused);
    counter(b, "mesd_connections_closed_slow_reader_total",
            "Connections closed because their unsent output passed the cap.", n->closed_output_cap);
    counter(b, "mesd_connections_closed_timeout_total", "Connections closed by a header, idle or close timeout.",
            n->closed_timeout);
    help(b, "mesd_websocket_messages_total", "counter", "WebSocket messages, by direction.");
    gql_buf_printf(b, "mesd_websocket_messages_total{direction=\"in\"} %llu\n"
                      "mesd_websocket_messages_total{direction=\"out\"} %llu\n",
                   (unsigned long long)n->ws_messages_in, (unsigned long long)n->ws_messages_out);
    help(b, "mesd_network_bytes_total", "counter", "Bytes read and written on client connections.");
    gql_buf_printf(b, "mesd_network_bytes_total{direction=\"in\"} %llu\nmesd_network_bytes_total{direction=\"out\"} %llu\n",
                   (unsigned long long)n->bytes_in, (unsigned long long)n->bytes_out);
}

static void mes_part(gql_buf *b, mes *m) {
    mes_metrics mm;
    mes_get_metrics(m, &mm);
    gauge(b, "mesd_subscriptions_open", "Subscriptions open now, all transports.", mm.subscriptions);
    gauge(b, "mesd_subscription_groups_open",
          "Distinct (document, operation, variables) groups among the open subscriptions.", mm.subscription_groups);
    help(b, "mesd_events_published_total", "counter", "Events delivered to the subscription bus, by stream.");
    for (int st = 0; st < STORE_STREAM_COUNT; st++)
        gql_buf_printf(b, "mesd_events_published_total{stream=\"%s\"} %llu\n", mes_stream_name((store_stream)st),
                       (unsigned long long)mm.events_published[st]);
    counter(b, "mesd_subscribers_dropped_slow_total", "Subscriptions ended because their client read too slowly.",
            mm.subscribers_dropped_slow);
    counter(b, "mesd_doc_cache_hits_total", "Documents found prepared in the cache.", mm.doc_cache_hits);
    counter(b, "mesd_doc_cache_misses_total", "Documents parsed and validated.", mm.doc_cache_misses);
    counter(b, "mesd_event_executions_total", "Selection sets executed on events (one per subscription group and event).",
            mm.event_executions);
    counter(b, "mesd_read_passes_total", "Executions of queries and mutation answers (several when reads pend).",
            mm.read_passes);
    counter(b, "mesd_query_cache_hits_total", "Queries answered from the response cache.", mm.query_cache_hits);
    counter(b, "mesd_query_cache_misses_total", "Queries executed (not in the response cache).", mm.query_cache_misses);
    gauge(b, "mesd_query_cache_entries", "Answers held in the response cache now.", mm.query_cache_entries);
    gauge(b, "mesd_query_cache_bytes", "Bytes of answers held in the response cache now.", mm.query_cache_bytes);
    counter(b, "mesd_query_cache_flushes_total", "Times a commit emptied the response cache.", mm.query_cache_flushes);
    counter(b, "mesd_mutations_total", "Mutations run.", mm.mutations);
    counter(b, "mesd_mutation_errors_total", "Mutations whose answer held an error.", mm.mutation_errors);
    counter(b, "mesd_webhook_deliveries_ok_total", "Webhook deliveries answered with a 2xx.", mm.webhook_delivered);
    counter(b, "mesd_webhook_deliveries_failed_total", "Webhook delivery attempts that failed.", mm.webhook_failed);
    gauge(b, "mesd_webhook_pending", "Webhook deliveries waiting in the outboxes.", mm.webhook_pending);
    gauge(b, "mesd_webhook_subscriptions_failing", "Webhook subscriptions failing for over an hour.",
          mm.webhook_failing);

    store_metrics sm;
    store_get_metrics(mes_store(m), &sm);
    gauge(b, "mesd_store_queue_depth", "Write jobs waiting for the writer thread.", sm.queue_depth);
    counter(b, "mesd_store_commits_total", "Transactions committed by the writer.", sm.commits);
    counter(b, "mesd_store_jobs_total", "Write jobs run.", sm.jobs);
    counter(b, "mesd_store_job_errors_total", "Write jobs that failed (rolled back alone).", sm.job_errors);
    counter(b, "mesd_store_commit_errors_total", "Commits that failed.", sm.commit_errors);
    counter(b, "mesd_store_read_statements_total", "Statements run on the read connection.", sm.read_statements);
    /* Batch sizes come bucketed by powers of two (1, 2-3, 4-7, …, >=128):
       the upper bounds are 1, 3, 7, …; there is no sum of sizes to give. */
    help(b, "mesd_store_commit_batch_size", "histogram", "Write jobs per committed transaction (group commit).");
    static const char *const le[STORE_BATCH_BUCKETS] = {"1", "3", "7", "15", "31", "63", "127", "+Inf"};
    uint64_t cum = 0;
    for (int k = 0; k < STORE_BATCH_BUCKETS; k++) {
        cum += sm.batch_hist[k];
        gql_buf_printf(b, "mesd_store_commit_batch_size_bucket{le=\"%s\"} %llu\n", le[k], (unsigned long long)cum);
    }
    gql_buf_printf(b, "mesd_store_commit_batch_size_count %llu\n", (unsigned long long)cum);
}

typedef struct metrics_req {
    server *s;
    net_req *r;
    uint64_t t0;
} metrics_req;

static void metrics_ready(void *arg) {
    metrics_req *x = arg;
    server *s = x->s;
    static const char ctype[] = "text/plain; version=0.0.4; charset=utf-8";
    if (s->free_deferred) {
        net_resp_send(x->r, 503, text_plain, "", 0);   /* shutting down: a no-op that frees it */
    } else {
        gql_buf b;
        gql_buf_init(&b);
        server_part(&b, s);
        net_part(&b, net_server_metrics(s->net));
        mes_part(&b, s->m);
        server_answer(s, x->r, SRV_T_HTTP, x->t0, 200, ctype, b.data, b.len);
        gql_buf_free(&b);
    }
    server_exec_end(s);
    free(x);
}

/* The database's part (the webhook outbox's counts) is read first: on
 * PostgreSQL that is a read on the loop's connection, answered later. */
static void metrics(server *s, net_req *r, uint64_t t0) {
    metrics_req *x = malloc(sizeof *x);
    if (!x) abort();
    *x = (metrics_req){s, r, t0};
    server_exec_begin(s);
    mes_metrics_refresh(s->m, metrics_ready, x);
}

/* ---- /readyz ---- */

static void ready(server *s, net_req *r, uint64_t t0) {
    int64_t head[STORE_STREAM_COUNT];
    store_err err = {0};
    if (store_stream_heads(mes_store(s->m), head, &err) == STORE_OK) {
        server_answer(s, r, SRV_T_HTTP, t0, 200, text_plain, "ready\n", 6);
        return;
    }
    gql_buf b;
    gql_buf_init(&b);
    gql_buf_printf(&b, "not ready: %s\n", err.message);
    server_answer(s, r, SRV_T_HTTP, t0, 503, text_plain, b.data, b.len);
    gql_buf_free(&b);
}

bool server_is_endpoint_path(const char *path) {
    return strcmp(path, "/healthz") == 0 || strcmp(path, "/readyz") == 0 || strcmp(path, "/metrics") == 0;
}

void server_endpoint(server *s, net_req *r, const char *path) {
    uint64_t t0 = server_now_us();
    if (strcmp(net_req_method(r), "GET") != 0) {
        net_resp_header(r, "Allow", "GET");
        server_answer(s, r, SRV_T_HTTP, t0, 405, text_plain, "method not allowed\n", 19);
        return;
    }
    if (strcmp(path, "/healthz") == 0) server_answer(s, r, SRV_T_HTTP, t0, 200, text_plain, "ok\n", 3);
    else if (strcmp(path, "/readyz") == 0) ready(s, r, t0);
    else metrics(s, r, t0);
}
