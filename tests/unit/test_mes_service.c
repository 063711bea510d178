/* test_mes_service.c: the domain through the real service (mes_open,
 * mes_execute, mes_subscribe) on a libuv loop with a real SQLite store:
 * deploy mutations answered after their commit, roles, input errors, and a
 * deploy reaching an operationsStream subscriber with nested fields. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mes.h"
#include "test_store_util.h"

typedef struct svc {
    test_db db;
    uv_loop_t loop;
    store *st;
    mes *m;
} svc;

static svc *svc_open(bool demo) {
    svc *s = calloc(1, sizeof *s);
    test_db_make(&s->db);
    if (demo) {   /* the demo is loaded as `mesd serve --demo` does: before the loop's store opens */
        store *st = test_open(&s->db, NULL);
        bool loaded = false;
        store_err err = {0};
        assert_int_equal(mes_demo_load(st, &loaded, &err), 0);
        assert_true(loaded);
        store_close(st);
    }
    assert_int_equal(uv_loop_init(&s->loop), 0);
    s->st = test_open(&s->db, &s->loop);
    char err[256];
    s->m = mes_open(&s->loop, s->st, NULL, err, sizeof err);
    if (!s->m) fail_msg("mes_open: %s", err);
    return s;
}

static void svc_close(svc *s) {
    store_close(s->st);
    mes_close(s->m);
    uv_run(&s->loop, UV_RUN_DEFAULT);
    assert_int_equal(uv_loop_close(&s->loop), 0);
    test_db_remove(&s->db);
    free(s);
}

typedef struct answer { bool done; char *json; } answer;
static void on_done(void *user, const mes_result *r) {
    answer *a = user;
    a->done = true;
    a->json = strndup(r->json, r->len);
}

/* Executes a document as `role`, running the loop until it is answered. */
static char *exec(svc *s, mes_role role, const char *text, const char *vars) {
    gql_buf errs;
    gql_buf_init(&errs);
    mes_doc_error why;
    mes_doc *d = mes_doc_get(s->m, text, strlen(text), &errs, &why);
    if (!d) fail_msg("%s: %s", text, errs.data);
    gql_buf_free(&errs);
    gql_arena a;
    gql_arena_init(&a, 0);
    const gql_val *v = NULL;
    if (vars) {
        const char *jerr;
        v = gql_json_parse(&a, vars, strlen(vars), 0, &jerr);
        assert_non_null(v);
    }
    mes_principal who = {.role = role};
    answer ans = {0};
    mes_execute(s->m, &who, d, NULL, v, on_done, &ans);
    while (!ans.done) uv_run(&s->loop, UV_RUN_ONCE);
    mes_doc_release(d);
    gql_arena_free(&a);
    return ans.json;
}

static void expect(svc *s, mes_role role, const char *text, const char *vars, const char *want) {
    char *got = exec(s, role, text, vars);
    if (strcmp(got, want) != 0) fail_msg("%s\n  got:  %s\n  want: %s", text, got, want);
    free(got);
}

static const char *const process_doc =
    "mutation($p: ProcessInput!) { processCreate(input: { process: $p }) }";

static void deploys_answered_after_commit(void **state) {
    (void)state;
    svc *s = svc_open(false);
    expect(s, MES_ROLE_ADMIN, process_doc,
           "{\"p\": {\"id\": \"Glue_Lens\", \"name\": \"Glue the lens\", \"partNumber\": \"PRC-7\","
           " \"producesSerial\": true, \"consumedSerials\": [{\"id\": \"lens_sn\", \"partNumber\": \"LNS-1\"}],"
           " \"steps\": [{\"id\": \"dispense\", \"name\": \"Dispense\", \"instructionText\": {\"text\": \"One dot.\"},"
           " \"actions\": [{\"id\": \"dot\", \"description\": {\"text\": \"Dot placed\"}}]}]}}",
           "{\"data\":{\"processCreate\":\"glue_lens\"}}");
    /* several deploys in one document, in order; the product refers to the process by another case */
    expect(s, MES_ROLE_ADMIN,
           "mutation { a: productCreate(input: { product: { id: \"lens_kit\", name: \"Lens kit\", kind: SUBASSEMBLY,"
           " components: [{ operationId: \"GLUE_LENS\" }] } })"
           " b: productCreate(input: { product: { id: \"camera\", name: \"Camera\", partNumber: \"CAM-1\","
           " components: [{ operationId: \"lens_kit\", group: \"optics\" }] } })"
           " c: stationCreate(input: { station: { id: \"bench_9\", name: \"Bench 9\", processIds: [\"glue_lens\"] } }) }",
           NULL, "{\"data\":{\"a\":\"lens_kit\",\"b\":\"camera\",\"c\":\"bench_9\"}}");
    expect(s, MES_ROLE_OPERATOR,
           "{ operation(id: \"camera\") { kind consumedSerials { id externalId } producesSerial"
           " subOperations { subGroup sub { kind subOperations { sub { id steps { actions { description } } } } } } } }",
           NULL,
           "{\"data\":{\"operation\":{\"kind\":\"PRODUCT\",\"consumedSerials\":[{\"id\":\"lens_sn\",\"externalId\":"
           "\"LNS-1\"}],\"producesSerial\":true,\"subOperations\":[{\"subGroup\":\"optics\",\"sub\":{\"kind\":"
           "\"SUBASSEMBLY\",\"subOperations\":[{\"sub\":{\"id\":\"glue_lens\",\"steps\":[{\"actions\":[{\"description\":"
           "\"Dot placed\"}]}]}}]}}]}}}");
    svc_close(s);
}

static void deploy_refusals(void **state) {
    (void)state;
    svc *s = svc_open(true);
    /* only admin deploys; the rest of the response is served */
    expect(s, MES_ROLE_ERP,
           "mutation { stationCreate(input: { station: { id: \"bench_x\", name: \"X\" } }) }", NULL,
           "{\"errors\":[{\"message\":\"Forbidden: the erp role may not use Mutation.stationCreate.\",\"locations\":"
           "[{\"line\":1,\"column\":12}],\"path\":[\"stationCreate\"],\"extensions\":{\"code\":\"FORBIDDEN\"}}],"
           "\"data\":{\"stationCreate\":null}}");
    expect(s, MES_ROLE_OPERATOR, process_doc, "{\"p\": {\"id\": \"abc\", \"name\": \"x\"}}",
           "{\"errors\":[{\"message\":\"Forbidden: the operator role may not use Mutation.processCreate.\","
           "\"locations\":[{\"line\":1,\"column\":31}],\"path\":[\"processCreate\"],\"extensions\":{\"code\":"
           "\"FORBIDDEN\"}}],\"data\":{\"processCreate\":null}}");
    /* a bad id, a PROCESS kind, a self-containing product: BAD_INPUT; an unknown component: NOT_FOUND */
    expect(s, MES_ROLE_ADMIN, process_doc, "{\"p\": {\"id\": \"no\", \"name\": \"x\"}}",
           "{\"errors\":[{\"message\":\"Invalid process id \\\"no\\\": an id is 3 to 50 characters, each a letter, a "
           "digit or an underscore.\",\"locations\":[{\"line\":1,\"column\":31}],\"path\":[\"processCreate\"],"
           "\"extensions\":{\"code\":\"BAD_INPUT\"}}],\"data\":{\"processCreate\":null}}");
    char *r = exec(s, MES_ROLE_ADMIN,
                   "mutation { productCreate(input: { product: { id: \"sub_scanner_core\", name: \"Loop\","
                   " kind: SUBASSEMBLY, components: [{ operationId: \"prod_101\" }] } }) }",
                   NULL);
    assert_non_null(strstr(r, "would contain itself"));
    assert_non_null(strstr(r, "\"code\":\"BAD_INPUT\""));
    free(r);
    r = exec(s, MES_ROLE_ADMIN,
             "mutation { productCreate(input: { product: { id: \"kit\", name: \"K\", kind: PROCESS, components: [] } }) }",
             NULL);
    assert_non_null(strstr(r, "A product's kind is PRODUCT or SUBASSEMBLY, not PROCESS"));
    free(r);
    r = exec(s, MES_ROLE_ADMIN,
             "mutation { productCreate(input: { product: { id: \"kit\", name: \"K\", components: [{ operationId: "
             "\"ghost_op\" }] } }) }",
             NULL);
    assert_non_null(strstr(r, "\"code\":\"NOT_FOUND\""));
    free(r);
    /* nothing of the refused deploys was written */
    expect(s, MES_ROLE_ERP, "{ operation(id: \"kit\") { id } sub: operation(id: \"sub_scanner_core\") { name } }", NULL,
           "{\"data\":{\"operation\":null,\"sub\":{\"name\":\"Scanner core module\"}}}");
    svc_close(s);
}

/* ---- a deploy reaches a subscriber, with nested fields ---- */
typedef struct events { int n; char *last; bool ended; } events;
static void ev_next(void *user, const char *json, size_t len) {
    events *e = user;
    e->n++;
    free(e->last);
    e->last = strndup(json, len);
}
static void ev_end(void *user, const char *reason) { ((events *)user)->ended = true; (void)reason; }
static size_t ev_pending(void *user) { (void)user; return 0; }

static void deploy_streams_to_subscriber(void **state) {
    (void)state;
    svc *s = svc_open(true);
    const char *doc = "subscription { operationsStream(where: { kind: { _eq: PROCESS } }) { id seq updatedAt "
                      "consumedSerials { id } steps { actions { id } } } }";
    gql_buf errs;
    gql_buf_init(&errs);
    mes_doc_error why;
    mes_doc *d = mes_doc_get(s->m, doc, strlen(doc), &errs, &why);
    assert_non_null(d);
    mes_principal who = {.role = MES_ROLE_ERP};
    events ev = {0};
    mes_sink sink = {ev_next, ev_end, ev_pending};
    mes_sub *sub = mes_subscribe(s->m, &who, d, NULL, NULL, &sink, &ev, &errs);
    if (!sub) fail_msg("subscribe: %s", errs.data);
    gql_buf_free(&errs);
    for (int i = 0; i < 5; i++) uv_run(&s->loop, UV_RUN_NOWAIT);
    assert_int_equal(ev.n, 0);   /* no afterSeq: only what comes after */
    char *r = exec(s, MES_ROLE_ADMIN, process_doc,
                   "{\"p\": {\"id\": \"new_proc\", \"name\": \"New\", \"consumedSerials\": [{\"id\": \"x_sn\"}],"
                   " \"steps\": [{\"id\": \"s\", \"name\": \"S\", \"actions\": [{\"id\": \"go\"}]}]}}");
    assert_string_equal(r, "{\"data\":{\"processCreate\":\"new_proc\"}}");
    free(r);
    for (int i = 0; i < 100 && ev.n == 0; i++) uv_run(&s->loop, UV_RUN_ONCE);
    assert_int_equal(ev.n, 1);
    assert_non_null(strstr(ev.last, "{\"data\":{\"operationsStream\":{\"id\":\"new_proc\",\"seq\":"));
    assert_non_null(strstr(ev.last, "\"consumedSerials\":[{\"id\":\"x_sn\"}],\"steps\":[{\"actions\":[{\"id\":\"go\"}]}]"));
    /* a product deploy does not pass the filter */
    r = exec(s, MES_ROLE_ADMIN,
             "mutation { productCreate(input: { product: { id: \"p_new\", name: \"P\", components: [{ operationId: "
             "\"new_proc\" }] } }) }",
             NULL);
    free(r);
    for (int i = 0; i < 5; i++) uv_run(&s->loop, UV_RUN_NOWAIT);
    assert_int_equal(ev.n, 1);
    mes_unsubscribe(sub);
    mes_doc_release(d);
    free(ev.last);
    svc_close(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(deploys_answered_after_commit),
        cmocka_unit_test(deploy_refusals),
        cmocka_unit_test(deploy_streams_to_subscriber),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
