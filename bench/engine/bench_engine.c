/*
 * bench_engine.c: in-process benchmark of the GraphQL engine. For each workload
 * it times parse, validate and execute separately (median of many runs), and
 * the prepared path (execute only: what the server does for a cached query).
 * Prints one JSON object per workload; bench/engine/run.sh compares them with
 * graphql-js (bench/engine/graphql-js.mjs) measured in the same run.
 *
 * usage: bench_engine DIR [ITERATIONS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "gql.h"

static char *slurp(const char *dir, const char *name, size_t *len) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) exit(2);
    buf[n] = 0;
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return v[n / 2];
}

typedef struct workload {
    const char *name, *query, *variables, *root;
    bool subscription_event;   /* execute the root field's selection on one event */
} workload;

static void run(gql_schema *schema, const char *dir, const workload *w, int iters) {
    size_t qlen, vlen = 0, rlen;
    char *query = slurp(dir, w->query, &qlen);
    char *vars_text = w->variables ? slurp(dir, w->variables, &vlen) : NULL;
    char *root_text = slurp(dir, w->root, &rlen);
    gql_arena keep;
    gql_arena_init(&keep, 1 << 16);
    const char *jerr = NULL;
    gql_val *vars = vars_text ? gql_json_parse(&keep, vars_text, vlen, 0, &jerr) : NULL;
    gql_val *root = gql_json_parse(&keep, root_text, rlen, 0, &jerr);
    if (!root || (vars_text && !vars)) {
        fprintf(stderr, "%s: bad JSON: %s\n", w->name, jerr);
        exit(2);
    }
    double *t_parse = malloc(sizeof(double) * (size_t)iters);
    double *t_validate = malloc(sizeof(double) * (size_t)iters);
    double *t_execute = malloc(sizeof(double) * (size_t)iters);
    size_t out_len = 0;

    for (int i = 0; i < iters; i++) {
        gql_syntax_error *se = NULL;
        double t0 = now_ns();
        gql_document *doc = gql_parse(query, qlen, NULL, &se);
        double t1 = now_ns();
        if (!doc) {
            fprintf(stderr, "%s: %s\n", w->name, se->message);
            exit(2);
        }
        gql_arena ea;
        gql_arena_init(&ea, 4096);
        gql_errors errs;
        gql_errors_init(&errs, &ea);
        double t2 = now_ns();
        uint32_t n = gql_validate(schema, doc, NULL, &errs);
        double t3 = now_ns();
        if (n) {
            fprintf(stderr, "%s: invalid: %s\n", w->name, errs.head->message);
            exit(2);
        }
        gql_arena_free(&ea);
        gql_document_free(doc);
        t_parse[i] = t1 - t0;
        t_validate[i] = t3 - t2;
    }

    gql_arena pa;
    gql_arena_init(&pa, 4096);
    gql_errors perrs;
    gql_errors_init(&perrs, &pa);
    bool syntax;
    gql_prepared *prep = gql_prepare(schema, query, qlen, NULL, &perrs, &syntax);
    if (!prep) {
        fprintf(stderr, "%s: prepare failed\n", w->name);
        exit(2);
    }
    gql_arena req_arena;
    gql_arena_init(&req_arena, 1 << 16);
    gql_buf out;
    gql_buf_init(&out);
    gql_subscription sub;
    gql_rv event = {0};
    gql_exec_request req = {.doc = prep, .variables = vars, .root = gql_rv_json(root), .arena = &req_arena};
    if (w->subscription_event) {
        /* subscribe once (what opening a stream does), then run per event */
        if (gql_subscribe(&req, &sub, &out) != GQL_EXEC_OK) {
            fprintf(stderr, "%s: subscribe failed: %.*s\n", w->name, (int)out.len, out.data);
            exit(2);
        }
        event = gql_rv_json(gql_val_get(root, sub.response_key, strlen(sub.response_key)));
    }
    for (int i = 0; i < iters; i++) {
        out.len = 0;
        double t0 = now_ns();
        gql_exec_status st = w->subscription_event ? gql_execute_event(&req, &sub, &event, &out) : gql_execute(&req, &out);
        double t1 = now_ns();
        if (st != GQL_EXEC_OK) {
            fprintf(stderr, "%s: execution errors: %.*s\n", w->name, (int)out.len, out.data);
            exit(2);
        }
        out_len = out.len;
        t_execute[i] = t1 - t0;
        if (!w->subscription_event) gql_arena_reset(&req_arena);
    }
    printf("{\"workload\":\"%s\",\"iterations\":%d,\"parse_us\":%.3f,\"validate_us\":%.3f,\"execute_us\":%.3f,\"response_bytes\":%zu}\n",
           w->name, iters, median(t_parse, iters) / 1e3, median(t_validate, iters) / 1e3,
           median(t_execute, iters) / 1e3, out_len);
    gql_buf_free(&out);
    gql_arena_free(&req_arena);
    gql_prepared_free(prep);
    gql_arena_free(&pa);
    gql_arena_free(&keep);
    free(t_parse);
    free(t_validate);
    free(t_execute);
    free(query);
    free(vars_text);
    free(root_text);
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "bench/engine";
    int iters = argc > 2 ? atoi(argv[2]) : 2000;
    size_t slen;
    char *sdl = slurp(dir, "schema.graphql", &slen);
    gql_arena ea;
    gql_arena_init(&ea, 4096);
    gql_errors errs;
    gql_errors_init(&errs, &ea);
    gql_schema *schema = gql_schema_build(sdl, slen, &errs);
    if (!schema) {
        fprintf(stderr, "schema: %s\n", errs.head ? errs.head->message : "?");
        return 2;
    }
    const workload ws[] = {
        {"completion_event", "completion.graphql", NULL, "completion-event.json", true},
        {"introspection", "introspection.graphql", NULL, "empty.json", false},
        {"document60", "document60.graphql", "document60-variables.json", "document60-root.json", false},
    };
    for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++) run(schema, dir, &ws[i], iters);
    gql_schema_free(schema);
    gql_arena_free(&ea);
    free(sdl);
    return 0;
}
