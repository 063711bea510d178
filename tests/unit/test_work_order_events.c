/* test_work_order_events.c: the work-order stream (STORE_STREAM_WORK_ORDERS)
 * written by the order and shop-floor runs as real write jobs, and read
 * back: one event per status change of a process order, in causal order,
 * none for products, none for a refusal; the station filter of
 * mes_work_order_filter; no webhook outbox for this stream; then through
 * the API: WorkOrderEvent, workOrderEvents and workOrderEventsStream. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "test_orders_util.h"
#include "test_mes_util.h"

/* A run that must succeed: code is what it answered (NULL: done). */
static void ok_run(ow_fix *f, const char *code) {
    if (code) fail_msg("refused %s: %s", code, f->msg);
}

/* The events after seq `after` (through `where`, may be NULL) as
 * "operation:STATUS,…", each checked to follow the one before by one seq
 * when unfiltered; *last gets the last seq (after when none). */
static const char *events(ow_fix *f, int64_t after, const store_filter *where, int64_t *last) {
    store_event *ev;
    size_t n;
    store_err err = {0};
    if (store_stream_read(f->st, STORE_STREAM_WORK_ORDERS, after, -1, where, &f->a, &ev, &n, &err))
        fail_msg("stream read: %s", err.message);
    gql_buf b;
    gql_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        if (!where) assert_int_equal(ev[i].seq, after + (int64_t)i + 1);
        const char *op = ow_text(f, "SELECT operation_id FROM operation_orders WHERE id = %lld",
                                 (long long)ev[i].order_id);
        gql_buf_printf(&b, "%s%s:%s", i ? "," : "", op, ev[i].status);
    }
    if (last) *last = n ? ev[n - 1].seq : after;
    char *out = gql_arena_strndup(&f->a, b.data ? b.data : "", b.len);
    gql_buf_free(&b);
    return out;
}

/* The events since the last call (the cursor moves on). */
#define SINCE(f, cursor) events((f), (cursor), NULL, &(cursor))

static int64_t head(ow_fix *f) {
    int64_t h[STORE_STREAM_COUNT];
    store_err err = {0};
    if (store_stream_heads(f->st, h, &err)) fail_msg("heads: %s", err.message);
    return h[STORE_STREAM_WORK_ORDERS];
}

static void a_product_order_walked_to_the_end(void **state) {
    ow_fix *f = *state;
    int64_t cur = 0, root;
    ok_run(f, ow_save(f, (ow_save_args){.ext = "W", .op = "prod_101", .reserved = "SN-W"}, &root, NULL));
    /* the product and its subassembly are CREATED, not work orders */
    assert_string_equal(SINCE(f, cur), "weld:READY");
    /* saving an unstarted order again changes no status */
    ok_run(f, ow_save(f, (ow_save_args){.ext = "W", .op = "prod_101", .reserved = "SN-W"}, NULL, NULL));
    assert_string_equal(SINCE(f, cur), "");
    int64_t sub = ow_child(f, root, "frame_sub");
    /* completed in one step: started, then completed; then the waterfall */
    ow_complete_args weld = {.station = "st_all", .op_name = "Ada", .attrs = (const char *const[]){"frame_sn"},
                             .values = (const char *const[]){"F-1"}, .n = 1};
    ok_run(f, ow_complete(f, ow_child(f, sub, "weld"), weld));
    assert_string_equal(SINCE(f, cur), "weld:IN_PROGRESS,weld:COMPLETED,paint:READY");
    /* a hand-over to another station is a start too: it changes two queues */
    int64_t paint = ow_child(f, sub, "paint");
    ok_run(f, ow_start(f, paint, "st_paint", "Ada"));
    ok_run(f, ow_start(f, paint, "st_all", "Bob"));
    assert_string_equal(SINCE(f, cur), "paint:IN_PROGRESS,paint:IN_PROGRESS");
    /* the subassembly completes with paint: no event of its own */
    ok_run(f, ow_complete(f, paint, (ow_complete_args){0}));
    assert_string_equal(SINCE(f, cur), "paint:COMPLETED,fit_battery:READY");
    ow_complete_args battery = {.station = "st_all", .op_name = "Ada", .attrs = (const char *const[]){"battery_sn"},
                                .values = (const char *const[]){"B-1"}, .n = 1};
    ok_run(f, ow_complete(f, ow_child(f, root, "fit_battery"), battery));
    assert_string_equal(SINCE(f, cur), "fit_battery:IN_PROGRESS,fit_battery:COMPLETED,final_test:READY");
    ok_run(f, ow_complete(f, ow_child(f, root, "final_test"), (ow_complete_args){.station = "st_all",
                                                                                 .op_name = "Ada"}));
    assert_string_equal(SINCE(f, cur), "final_test:IN_PROGRESS,final_test:COMPLETED");
    assert_string_equal(ow_status(f, root), "COMPLETED");
    /* the committed head is the last event, as the listener is told */
    assert_int_equal(head(f), cur);
    assert_int_equal(ow_int(f, "SELECT count(*) FROM work_order_events e JOIN operations k ON k.id = e.operation_id"
                               " WHERE k.kind <> 'PROCESS'"), 0);
}

static void cancel_and_restore(void **state) {
    ow_fix *f = *state;
    int64_t cur = 0, n, paint;
    ok_run(f, ow_save(f, (ow_save_args){.ext = "C", .op = "prod_101"}, NULL, NULL));
    ok_run(f, ow_save(f, (ow_save_args){.ext = "C", .op = "paint"}, &paint, NULL));
    assert_string_equal(SINCE(f, cur), "weld:READY,paint:READY");
    ok_run(f, ow_cancel(f, "C", "prod_101", 0, &n));
    assert_int_equal(n, 3);   /* three orders, one of them a work order */
    assert_string_equal(SINCE(f, cur), "weld:CANCELED");
    ok_run(f, ow_cancel(f, "C", "prod_101", 0, &n));
    assert_int_equal(n, 0);
    assert_string_equal(SINCE(f, cur), "");
    /* saving it again restores the tree: its work order is READY again */
    ok_run(f, ow_save(f, (ow_save_args){.ext = "C", .op = "prod_101"}, NULL, NULL));
    assert_string_equal(SINCE(f, cur), "weld:READY");
    ok_run(f, ow_cancel(f, "C", "paint", -1, &n));
    assert_string_equal(SINCE(f, cur), "paint:CANCELED");
    ok_run(f, ow_save(f, (ow_save_args){.ext = "C", .op = "paint"}, NULL, NULL));
    assert_string_equal(SINCE(f, cur), "paint:READY");
    /* a started order is not canceled: no event */
    ok_run(f, ow_start(f, paint, "st_paint", "Ada"));
    ok_run(f, ow_cancel(f, "C", "paint", -1, &n));
    assert_int_equal(n, 0);
    assert_string_equal(SINCE(f, cur), "paint:IN_PROGRESS");
}

static void refusals_append_nothing(void **state) {
    ow_fix *f = *state;
    int64_t cur = 0, bat;
    ok_run(f, ow_save(f, (ow_save_args){.ext = "R", .op = "fit_battery"}, &bat, NULL));
    assert_string_equal(SINCE(f, cur), "fit_battery:READY");
    /* completing a READY order starts it first: the refusal rolls the start back too */
    assert_string_equal(ow_complete(f, bat, (ow_complete_args){.station = "st_all", .op_name = "Ada"}),
                        "MISSING_SERIAL");
    assert_string_equal(ow_start(f, bat, "st_paint", "Ada"), "WRONG_STATION");
    assert_string_equal(ow_save(f, (ow_save_args){.ext = "R", .op = "only_opt"}, NULL, NULL), "BAD_INPUT");
    assert_string_equal(SINCE(f, cur), "");
    assert_int_equal(head(f), cur);
    assert_string_equal(ow_status(f, bat), "READY");
}

/* mes_work_order_filter's filter for args (JSON), run on the log. */
static const char *at_station(ow_fix *f, const char *args, const char **code) {
    const store_filter *where = NULL;
    const char *msg = NULL;
    *code = NULL;
    if (!mes_work_order_filter(f->st, &f->a, test_json(&f->a, args), &where, code, &msg)) return msg;
    return events(f, 0, where, NULL);
}

static void the_station_filter(void **state) {
    ow_fix *f = *state;
    ok_run(f, ow_save(f, (ow_save_args){.ext = "S", .op = "prod_101"}, NULL, NULL));
    ok_run(f, ow_save(f, (ow_save_args){.ext = "S", .op = "paint"}, NULL, NULL));
    ok_run(f, ow_save(f, (ow_save_args){.ext = "S", .op = "fit_light"}, NULL, NULL));
    const char *code;
    /* ids are lower-cased; st_paint can do paint only */
    assert_string_equal(at_station(f, "{\"stationId\": \"ST_PAINT\"}", &code), "paint:READY");
    assert_null(code);
    assert_string_equal(at_station(f, "{\"stationId\": \"st_all\"}", &code), "weld:READY,paint:READY,fit_light:READY");
    assert_string_equal(at_station(f, "{}", &code), "weld:READY,paint:READY,fit_light:READY");
    assert_string_equal(at_station(f, "{\"stationId\": null}", &code), "weld:READY,paint:READY,fit_light:READY");
    /* an unknown station is not an empty stream */
    assert_string_equal(at_station(f, "{\"stationId\": \"st_nope\"}", &code), "Unknown station \"st_nope\".");
    assert_string_equal(code, "NOT_FOUND");
}

typedef struct hook_job { store_webhook w; bool replaced; } hook_job;
static int put_hook(store_tx *tx, void *arg, store_err *err) {
    hook_job *j = arg;
    return store_tx_webhook_put(tx, &j->w, &j->replaced, err);
}

static int append_payload_event(store_tx *tx, void *arg, store_err *err) {
    (void)arg;
    return store_tx_append_event(tx, STORE_STREAM_WORK_ORDERS, "1", "{}", NULL, err);
}

static void no_webhook_outbox_for_the_stream(void **state) {
    ow_fix *f = *state;
    /* webhooks cannot name the stream: a fragment is on one of Pico's four types */
    assert_null(store_stream_name(STORE_STREAM_WORK_ORDERS));
    store_err err = {0};
    hook_job bad = {.w = {.id = "wo", .stream = STORE_STREAM_WORK_ORDERS, .response_fragment = "fragment F on X { a }",
                          .url = "http://127.0.0.1:9/", .secret = "s"}};
    assert_int_equal(store_exec_sync(f->st, put_hook, &bad, &err), STORE_EINPUT);
    hook_job ok = {.w = {.id = "done", .stream = STORE_STREAM_COMPLETES, .response_fragment = "fragment F on X { a }",
                         .url = "http://127.0.0.1:9/", .secret = "s"}};
    assert_int_equal(store_exec_sync(f->st, put_hook, &ok, &err), STORE_OK);
    int64_t paint;
    ok_run(f, ow_save(f, (ow_save_args){.ext = "H", .op = "paint"}, &paint, NULL));
    ok_run(f, ow_complete(f, paint, (ow_complete_args){.station = "st_paint", .op_name = "Ada"}));
    /* three work-order events, one completion: the outbox holds the completion only */
    assert_int_equal(head(f), 3);
    assert_int_equal(ow_int(f, "SELECT count(*) FROM webhook_outbox"), 1);
    assert_int_equal(ow_int(f, "SELECT seq FROM webhook_outbox WHERE subscription_id = 'done'"), 1);
    /* the append of completions and notes (which fills the outbox) refuses this stream */
    assert_int_equal(store_exec_sync(f->st, append_payload_event, NULL, &err), STORE_EINPUT);
    assert_int_equal(head(f), 3);
}

/* ---- through the API ---- */

static int api_setup(void **state) {
    *state = test_mes_new_prepared(ow_factory);
    return 0;
}

static void has(const char *json, const char *part) {
    if (!strstr(json, part)) fail_msg("expected %s in\n  %s", part, json);
}

static const mes_principal erp = {.role = MES_ROLE_ERP, .token_id = "erp"};
static const mes_principal op = {.role = MES_ROLE_OPERATOR, .token_id = "op", .station_id = "st_paint"};

static const char SAVE[] = "mutation ($op: String!, $ext: String, $i: Int) { operationOrderSave(input: {operationId:"
                           " $op, externalOrderId: $ext, orderIndex: $i}) { message } }";
static const char COMPLETE_PAINT[] = "mutation ($id: ID!) { workOrderComplete(input: {operationOrderId: $id,"
                                     " stationId: \"st_paint\", operatorName: \"Ada\"}) { status } }";

static void api_stream_query_and_station(void **state) {
    test_mes *t = *state;
    test_sink paint = {0}, all = {0};
    test_subscribe(t, &paint, "subscription { workOrderEventsStream(stationId: \"ST_PAINT\") { seq status"
                              " workOrder { id status operation { id } station { id } } } }", NULL);
    test_subscribe(t, &all, "subscription ($s: ID) { workOrderEventsStream(stationId: $s) { seq status } }", "{}");
    has(test_api(t, &erp, SAVE, "{\"op\": \"prod_101\", \"ext\": \"A\"}"), "created");   /* orders 1-3, weld is 3 */
    has(test_api(t, &erp, SAVE, "{\"op\": \"paint\", \"ext\": \"A\"}"), "created");      /* order 4 */
    has(test_api(t, &op, COMPLETE_PAINT, "{\"id\": \"4\"}"), "COMPLETED");
    TEST_RUN_UNTIL(t, paint.count >= 3 && all.count >= 4);
    for (int i = 0; i < 50; i++) uv_run(&t->loop, UV_RUN_NOWAIT);
    assert_int_equal(paint.count, 3);
    assert_int_equal(all.count, 4);
    assert_string_equal(paint.msgs[0], "{\"data\":{\"workOrderEventsStream\":{\"seq\":2,\"status\":\"READY\","
                                       "\"workOrder\":{\"id\":\"4\",\"status\":\"READY\",\"operation\":{\"id\":"
                                       "\"paint\"},\"station\":null}}}}");
    has(paint.msgs[1], "\"seq\":3,\"status\":\"IN_PROGRESS\"");
    has(paint.msgs[2], "\"seq\":4,\"status\":\"COMPLETED\"");
    assert_string_equal(all.msgs[0], "{\"data\":{\"workOrderEventsStream\":{\"seq\":1,\"status\":\"READY\"}}}");
    /* an event keeps the status it gave; its order is shown as it is now */
    assert_string_equal(test_api(t, &op, "{ workOrderEvents(afterSeq: 1, limit: 1) { seq status workOrder { status"
                                         " station { id } } } }", NULL),
                        "{\"data\":{\"workOrderEvents\":[{\"seq\":2,\"status\":\"READY\",\"workOrder\":"
                        "{\"status\":\"COMPLETED\",\"station\":{\"id\":\"st_paint\"}}}]}}");
    /* the query reads the same log, with the same filter, and pages with afterSeq */
    assert_string_equal(test_api(t, &op, "{ workOrderEvents(stationId: \"st_paint\", afterSeq: 2) { seq status"
                                         " workOrder { id } } }", NULL),
                        "{\"data\":{\"workOrderEvents\":[{\"seq\":3,\"status\":\"IN_PROGRESS\",\"workOrder\":{\"id\":"
                        "\"4\"}},{\"seq\":4,\"status\":\"COMPLETED\",\"workOrder\":{\"id\":\"4\"}}]}}");
    assert_string_equal(test_api(t, &erp, "{ workOrderEvents(limit: 1) { seq workOrder { operation { id } } } }",
                                 NULL),
                        "{\"data\":{\"workOrderEvents\":[{\"seq\":1,\"workOrder\":{\"operation\":"
                        "{\"id\":\"weld\"}}}]}}");
    const char *r = test_api(t, &erp, "{ workOrderEvents(stationId: \"nowhere\") { seq } }", NULL);
    has(r, "Unknown station \\\"nowhere\\\".");
    has(r, "\"code\":\"NOT_FOUND\"");
    has(test_api(t, &erp, "{ workOrderEvents(afterSeq: -1) { seq } }", NULL), "\"code\":\"BAD_INPUT\"");
    has(test_api(t, &erp, "{ workOrderEvents(limit: -1) { seq } }", NULL), "\"code\":\"BAD_INPUT\"");
    mes_unsubscribe(paint.sub);
    mes_unsubscribe(all.sub);
    test_sink_clear(&paint);
    test_sink_clear(&all);
}

static void api_unknown_station_refuses_the_subscription(void **state) {
    test_mes *t = *state;
    mes_doc *d = test_doc(t->m, "subscription { workOrderEventsStream(stationId: \"nowhere\") { seq } }");
    gql_buf err;
    gql_buf_init(&err);
    test_sink s = {0};
    assert_null(mes_subscribe(t->m, &test_admin, d, NULL, NULL, &test_sink_fns, &s, &err));
    gql_buf_putc(&err, 0);
    has(err.data, "Unknown station \\\"nowhere\\\".");
    has(err.data, "\"code\":\"NOT_FOUND\"");
    gql_buf_free(&err);
    mes_doc_release(d);
}

static uint64_t reads(test_mes *t) {
    store_metrics m;
    store_get_metrics(t->st, &m);
    return m.read_statements;
}

/* The orders of a page of events load with one statement, and what they
 * point to with one more each: the same count for 3 events and for 30. */
static void api_orders_load_once_per_page(void **state) {
    test_mes *t = *state;
    static const char query[] = "{ workOrderEvents { status workOrder { id status operation { id }"
                                " station { id } operator { name } } } }";
    char vars[128];
    for (int i = 0; i < 3; i++) {
        snprintf(vars, sizeof vars, "{\"op\": \"paint\", \"ext\": \"B\", \"i\": %d}", i);
        has(test_api(t, &erp, SAVE, vars), "created");
    }
    uint64_t before = reads(t);
    has(test_api(t, &erp, query, NULL), "\"status\":\"READY\"");
    uint64_t few = reads(t) - before;
    for (int i = 3; i < 30; i++) {
        snprintf(vars, sizeof vars, "{\"op\": \"paint\", \"ext\": \"B\", \"i\": %d}", i);
        has(test_api(t, &erp, SAVE, vars), "created");
    }
    for (int id = 1; id <= 10; id++) {
        snprintf(vars, sizeof vars, "{\"id\": \"%d\"}", id);
        has(test_api(t, &op, COMPLETE_PAINT, vars), "COMPLETED");
    }
    before = reads(t);
    const char *r = test_api(t, &erp, query, NULL);
    has(r, "\"operator\":{\"name\":\"Ada\"}");
    assert_int_equal(reads(t) - before, few);
    int events = 0;
    for (const char *p = r; (p = strstr(p, "\"workOrder\"")); p++) events++;
    assert_int_equal(events, 30 + 2 * 10);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_product_order_walked_to_the_end, ow_setup, ow_teardown),
        cmocka_unit_test_setup_teardown(cancel_and_restore, ow_setup, ow_teardown),
        cmocka_unit_test_setup_teardown(refusals_append_nothing, ow_setup, ow_teardown),
        cmocka_unit_test_setup_teardown(the_station_filter, ow_setup, ow_teardown),
        cmocka_unit_test_setup_teardown(no_webhook_outbox_for_the_stream, ow_setup, ow_teardown),
        cmocka_unit_test_setup_teardown(api_stream_query_and_station, api_setup, test_mes_teardown),
        cmocka_unit_test_setup_teardown(api_unknown_station_refuses_the_subscription, api_setup, test_mes_teardown),
        cmocka_unit_test_setup_teardown(api_orders_load_once_per_page, api_setup, test_mes_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
