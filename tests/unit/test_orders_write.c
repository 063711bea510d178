/* test_orders_write.c: the rules of operationOrderSave, operationOrderCancel,
 * workOrderStart, workOrderComplete and noteCreate, run as real write jobs
 * against a real SQLite store: every answer, and every refusal with its
 * code and NOTHING changed (rows, serials, operators, stream heads). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "test_orders_util.h"
#include "test_mes_util.h"

static int setup(void **state) {
    *state = ow_open();
    return 0;
}
static int teardown(void **state) {
    ow_close(*state);
    return 0;
}

/* Asserts a refusal with its code, and that nothing changed. */
#define REFUSED(f, code, call)                                                                                  \
    do {                                                                                                        \
        const char *before_ = ow_fingerprint(f);                                                                \
        const char *got_ = (call);                                                                              \
        if (!got_ || strcmp(got_, code) != 0) fail_msg("expected %s, got %s (%s)", code, got_ ? got_ : "ok",    \
                                                       (f)->msg);                                               \
        assert_string_equal(ow_fingerprint(f), before_);                                                        \
    } while (0)
#define OK(f, call)                                                                                             \
    do {                                                                                                        \
        const char *got_ = (call);                                                                              \
        if (got_) fail_msg("refused %s: %s", got_, (f)->msg);                                                   \
    } while (0)

static const char *const BATTERY[] = {"battery_sn"};
static const char *const FRAME[] = {"frame_sn"};

/* ---- operationOrderSave ---- */

static void save_creates_then_updates_one_order(void **state) {
    ow_fix *f = *state;
    int64_t id, id2, id3;
    bool created;
    OK(f, ow_save(f, (ow_save_args){.ext = "SALES-1", .op = "weld"}, &id, &created));
    assert_true(created);
    assert_string_equal(ow_status(f, id), "READY");   /* a process order is a work order: READY at once */
    OK(f, ow_save(f, (ow_save_args){.ext = "SALES-1", .op = "weld", .secondary = "PO-7"}, &id2, &created));
    assert_false(created);
    assert_int_equal(id2, id);
    assert_string_equal(ow_text(f, "SELECT secondary_external_order_id FROM operation_orders WHERE id = %lld",
                                (long long)id), "PO-7");
    OK(f, ow_save(f, (ow_save_args){.ext = "SALES-1", .op = "weld", .index = 1}, &id3, &created));
    assert_true(created);
    assert_true(id3 != id);
    /* no externalOrderId is a key too: saved twice, one order */
    OK(f, ow_save(f, (ow_save_args){.op = "paint"}, &id, &created));
    assert_true(created);
    OK(f, ow_save(f, (ow_save_args){.op = "paint"}, &id2, &created));
    assert_false(created);
    assert_int_equal(id, id2);
    assert_int_equal(ow_int(f, "SELECT count(*) FROM operation_orders"), 3);
}

static void save_product_makes_its_first_step(void **state) {
    ow_fix *f = *state;
    int64_t root;
    OK(f, ow_save(f, (ow_save_args){.ext = "SALES-2", .op = "prod_101", .reserved = "SN-1", .secondary = "S2"},
                  &root, NULL));
    assert_string_equal(ow_status(f, root), "CREATED");
    int64_t sub = ow_child(f, root, "frame_sub");
    assert_true(sub > 0);
    assert_string_equal(ow_status(f, sub), "CREATED");
    int64_t weld = ow_child(f, sub, "weld");
    assert_true(weld > 0);
    assert_string_equal(ow_status(f, weld), "READY");
    assert_int_equal(ow_int(f, "SELECT count(*) FROM operation_orders"), 3);   /* lazily: nothing else yet */
    /* children inherit the root's ids, index and reservation */
    assert_int_equal(ow_int(f, "SELECT count(*) FROM operation_orders WHERE external_order_id = 'SALES-2'"
                               " AND secondary_external_order_id = 'S2' AND reserved_serial_number = 'SN-1'"
                               " AND order_index = 0"), 3);
}

static void save_refusals_change_nothing(void **state) {
    ow_fix *f = *state;
    REFUSED(f, "NOT_FOUND", ow_save(f, (ow_save_args){.ext = "X", .op = "no_such_op"}, NULL, NULL));
    static const char *const not_optional[] = {"paint"};
    REFUSED(f, "BAD_INPUT", ow_save(f, (ow_save_args){.ext = "X", .op = "prod_101", .opts = not_optional,
                                                      .nopts = 1}, NULL, NULL));
    REFUSED(f, "BAD_INPUT", ow_save(f, (ow_save_args){.ext = "X", .op = "only_opt"}, NULL, NULL));
    assert_int_equal(ow_int(f, "SELECT count(*) FROM operation_orders"), 0);
    /* selected, the optional component is built */
    static const char *const light[] = {"fit_light"};
    int64_t root;
    OK(f, ow_save(f, (ow_save_args){.ext = "X", .op = "only_opt", .opts = light, .nopts = 1}, &root, NULL));
    assert_string_equal(ow_status(f, ow_child(f, root, "fit_light")), "READY");
}

static void save_locks_started_and_completed_orders(void **state) {
    ow_fix *f = *state;
    int64_t id;
    OK(f, ow_save(f, (ow_save_args){.ext = "L", .op = "paint"}, &id, NULL));
    OK(f, ow_start(f, id, "st_paint", "Ada"));
    REFUSED(f, "ORDER_LOCKED", ow_save(f, (ow_save_args){.ext = "L", .op = "paint", .reserved = "R"}, NULL, NULL));
    assert_non_null(strstr(f->msg, "in progress"));
    OK(f, ow_complete(f, id, (ow_complete_args){0}));
    REFUSED(f, "ORDER_LOCKED", ow_save(f, (ow_save_args){.ext = "L", .op = "paint"}, NULL, NULL));
    assert_non_null(strstr(f->msg, "completed"));
    /* a product whose child started is locked too */
    int64_t root;
    OK(f, ow_save(f, (ow_save_args){.ext = "L", .op = "prod_101"}, &root, NULL));
    OK(f, ow_start(f, ow_child(f, ow_child(f, root, "frame_sub"), "weld"), "st_all", "Ada"));
    assert_string_equal(ow_status(f, root), "IN_PROGRESS");
    REFUSED(f, "ORDER_LOCKED", ow_save(f, (ow_save_args){.ext = "L", .op = "prod_101"}, NULL, NULL));
}

static void save_restores_a_canceled_order(void **state) {
    ow_fix *f = *state;
    int64_t root, again;
    bool created;
    OK(f, ow_save(f, (ow_save_args){.ext = "R", .op = "prod_101"}, &root, NULL));
    int64_t n;
    OK(f, ow_cancel(f, "R", "prod_101", 0, &n));
    assert_int_equal(n, 3);
    assert_int_equal(ow_int(f, "SELECT count(*) FROM operation_orders WHERE status = 'CANCELED'"), 3);
    OK(f, ow_save(f, (ow_save_args){.ext = "R", .op = "prod_101", .reserved = "SN-R"}, &again, &created));
    assert_false(created);
    assert_int_equal(again, root);
    int64_t sub = ow_child(f, root, "frame_sub");
    assert_string_equal(ow_status(f, root), "CREATED");
    assert_string_equal(ow_status(f, sub), "CREATED");
    assert_string_equal(ow_status(f, ow_child(f, sub, "weld")), "READY");
    assert_int_equal(ow_int(f, "SELECT count(*) FROM operation_orders"), 3);   /* restored, not remade */
    assert_int_equal(ow_int(f, "SELECT count(*) FROM operation_orders WHERE reserved_serial_number = 'SN-R'"), 3);
}

static void save_keeps_fields_left_out(void **state) {
    ow_fix *f = *state;
    int64_t id;
    OK(f, ow_save(f, (ow_save_args){.ext = "K", .op = "final_test", .reserved = "SN-K"}, &id, NULL));
    OK(f, ow_save(f, (ow_save_args){.ext = "K", .op = "final_test", .keep_reserved = true}, NULL, NULL));
    assert_string_equal(ow_text(f, "SELECT reserved_serial_number FROM operation_orders WHERE id = %lld",
                                (long long)id), "SN-K");
    OK(f, ow_save(f, (ow_save_args){.ext = "K", .op = "final_test"}, NULL, NULL));   /* an explicit null clears */
    assert_string_equal(ow_text(f, "SELECT reserved_serial_number FROM operation_orders WHERE id = %lld",
                                (long long)id), "(null)");
}

/* ---- operationOrderCancel ---- */

static void cancel_by_index_all_and_nothing(void **state) {
    ow_fix *f = *state;
    int64_t ids[3], n;
    for (int i = 0; i < 3; i++) OK(f, ow_save(f, (ow_save_args){.ext = "C", .op = "weld", .index = i}, &ids[i], NULL));
    OK(f, ow_cancel(f, "C", "weld", 1, &n));
    assert_int_equal(n, 1);
    assert_string_equal(ow_status(f, ids[1]), "CANCELED");
    assert_string_equal(ow_status(f, ids[0]), "READY");
    OK(f, ow_start(f, ids[2], "st_all", "Bob"));
    OK(f, ow_cancel(f, "C", "weld", -1, &n));   /* cancelAll: the unstarted ones only */
    assert_int_equal(n, 1);
    assert_string_equal(ow_status(f, ids[0]), "CANCELED");
    assert_string_equal(ow_status(f, ids[2]), "IN_PROGRESS");
    OK(f, ow_cancel(f, "C", "weld", -1, &n));
    assert_int_equal(n, 0);
    OK(f, ow_cancel(f, "C", "weld", 2, &n));   /* started: nothing to cancel */
    assert_int_equal(n, 0);
    OK(f, ow_cancel(f, "NOPE", "weld", 0, &n));
    assert_int_equal(n, 0);
    REFUSED(f, "NOT_FOUND", ow_cancel(f, "C", "no_such_op", 0, &n));
}

/* ---- workOrderStart ---- */

static void start_rules(void **state) {
    ow_fix *f = *state;
    int64_t root;
    OK(f, ow_save(f, (ow_save_args){.ext = "S", .op = "prod_101"}, &root, NULL));
    int64_t sub = ow_child(f, root, "frame_sub"), weld = ow_child(f, sub, "weld");
    REFUSED(f, "NOT_FOUND", ow_start(f, 999999, "st_all", "Ada"));
    REFUSED(f, "NOT_FOUND", ow_start(f, weld, "no_station", "Ada"));
    REFUSED(f, "WRONG_STATION", ow_start(f, weld, "st_paint", "Ada"));
    REFUSED(f, "NOT_READY", ow_start(f, root, "st_all", "Ada"));   /* a product order is not a work order */
    OK(f, ow_start(f, weld, "st_all", "Ada"));
    assert_string_equal(ow_status(f, weld), "IN_PROGRESS");
    assert_string_equal(ow_status(f, sub), "IN_PROGRESS");
    assert_string_equal(ow_status(f, root), "IN_PROGRESS");
    assert_int_equal(ow_int(f, "SELECT count(*) FROM operation_orders WHERE id IN (%lld, %lld) AND started_at IS"
                               " NOT NULL", (long long)root, (long long)sub), 2);
    assert_string_equal(ow_text(f, "SELECT o.name || '@' || w.station_id FROM operation_orders w JOIN operators o"
                                   " ON o.id = w.operator_id WHERE w.id = %lld", (long long)weld), "Ada@st_all");
    long long started = ow_int(f, "SELECT started_at FROM operation_orders WHERE id = %lld", (long long)weld);
    OK(f, ow_start(f, weld, "st_all", "Bob"));   /* a hand-over keeps the start */
    assert_int_equal(ow_int(f, "SELECT started_at FROM operation_orders WHERE id = %lld", (long long)weld), started);
    OK(f, ow_start(f, weld, "st_all", "Ada"));   /* operators are found by name */
    assert_int_equal(ow_int(f, "SELECT count(*) FROM operators"), 2);
    OK(f, ow_complete(f, weld, (ow_complete_args){.attrs = FRAME, .values = (const char *const[]){"F-1"}, .n = 1}));
    REFUSED(f, "NOT_READY", ow_start(f, weld, "st_all", "Ada"));
}

/* ---- workOrderComplete ---- */

static void complete_refusals_change_nothing(void **state) {
    ow_fix *f = *state;
    int64_t bat, fin, fin2, paint;
    OK(f, ow_save(f, (ow_save_args){.ext = "P", .op = "fit_battery"}, &bat, NULL));
    OK(f, ow_save(f, (ow_save_args){.ext = "P", .op = "final_test"}, &fin, NULL));
    OK(f, ow_save(f, (ow_save_args){.ext = "P", .op = "final_test", .index = 1, .reserved = "SN-5"}, &fin2, NULL));
    OK(f, ow_save(f, (ow_save_args){.ext = "P", .op = "paint"}, &paint, NULL));
    REFUSED(f, "NOT_FOUND", ow_complete(f, 424242, (ow_complete_args){.station = "st_all", .op_name = "Ada"}));
    /* a READY order is started by its completion: station and operator needed */
    REFUSED(f, "BAD_INPUT", ow_complete(f, bat, (ow_complete_args){.attrs = BATTERY,
                                                                  .values = (const char *const[]){"B-1"}, .n = 1}));
    /* every consumed serial needs a value (the start it implies is rolled back too) */
    REFUSED(f, "MISSING_SERIAL", ow_complete(f, bat, (ow_complete_args){.station = "st_all", .op_name = "Ada"}));
    REFUSED(f, "MISSING_SERIAL", ow_complete(f, bat, (ow_complete_args){.station = "st_all", .op_name = "Ada",
                                                                       .attrs = BATTERY,
                                                                       .values = (const char *const[]){""}, .n = 1}));
    REFUSED(f, "BAD_INPUT", ow_complete(f, bat, (ow_complete_args){.station = "st_all", .op_name = "Ada",
                                                                  .attrs = (const char *const[]){"nope"},
                                                                  .values = (const char *const[]){"x"}, .n = 1}));
    REFUSED(f, "WRONG_STATION", ow_complete(f, bat, (ow_complete_args){.station = "st_paint", .op_name = "Ada",
                                                                      .attrs = BATTERY,
                                                                      .values = (const char *const[]){"B-1"},
                                                                      .n = 1}));
    /* a produced serial where the process produces one: given, or the reservation */
    REFUSED(f, "MISSING_SERIAL", ow_complete(f, fin, (ow_complete_args){.station = "st_all", .op_name = "Ada"}));
    REFUSED(f, "BAD_INPUT", ow_complete(f, paint, (ow_complete_args){.station = "st_paint", .op_name = "Ada",
                                                                    .produced = "SN-X"}));
    OK(f, ow_complete(f, fin2, (ow_complete_args){.station = "st_all", .op_name = "Ada"}));
    assert_string_equal(ow_text(f, "SELECT part_number || '/' || value FROM produced_serials WHERE order_id = %lld",
                                (long long)fin2), "PN-101/SN-5");
    REFUSED(f, "DUPLICATE_PRODUCED_SERIAL", ow_complete(f, fin, (ow_complete_args){.station = "st_all",
                                                                                  .op_name = "Ada",
                                                                                  .produced = "SN-5"}));
    OK(f, ow_complete(f, fin, (ow_complete_args){.station = "st_all", .op_name = "Ada", .produced = "SN-6"}));
    /* a component serial is consumed once across all orders */
    OK(f, ow_complete(f, bat, (ow_complete_args){.station = "st_all", .op_name = "Ada", .attrs = BATTERY,
                                                 .values = (const char *const[]){"B-1"}, .n = 1}));
    int64_t bat2;
    OK(f, ow_save(f, (ow_save_args){.ext = "P", .op = "fit_battery", .index = 1}, &bat2, NULL));
    REFUSED(f, "SERIAL_ALREADY_CONSUMED", ow_complete(f, bat2, (ow_complete_args){.station = "st_all",
                                                                                 .op_name = "Bob",
                                                                                 .attrs = BATTERY,
                                                                                 .values = (const char *const[]){"B-1"},
                                                                                 .n = 1}));
    assert_string_equal(ow_status(f, bat2), "READY");
    /* completed: not again */
    REFUSED(f, "NOT_READY", ow_complete(f, bat, (ow_complete_args){.station = "st_all", .op_name = "Ada",
                                                                  .attrs = BATTERY,
                                                                  .values = (const char *const[]){"B-2"}, .n = 1}));
    /* canceled: not at all */
    int64_t n;
    OK(f, ow_cancel(f, "P", "fit_battery", 1, &n));
    REFUSED(f, "NOT_READY", ow_complete(f, bat2, (ow_complete_args){.station = "st_all", .op_name = "Ada",
                                                                   .attrs = BATTERY,
                                                                   .values = (const char *const[]){"B-3"}, .n = 1}));
}

static void complete_in_progress_at_its_station(void **state) {
    ow_fix *f = *state;
    int64_t id, root;
    OK(f, ow_save(f, (ow_save_args){.ext = "W", .op = "paint"}, &id, NULL));
    OK(f, ow_start(f, id, "st_paint", "Ada"));
    REFUSED(f, "WRONG_STATION", ow_complete(f, id, (ow_complete_args){.station = "st_all"}));
    /* an operator token bound to another station */
    REFUSED(f, "WRONG_STATION", ow_complete(f, id, (ow_complete_args){.bound = "st_all"}));
    OK(f, ow_complete(f, id, (ow_complete_args){.bound = "st_paint", .op_name = "Cy"}));
    assert_string_equal(ow_text(f, "SELECT w.status || '/' || o.name || '/' || w.station_id FROM operation_orders w"
                                   " JOIN operators o ON o.id = w.operator_id WHERE w.id = %lld", (long long)id),
                        "COMPLETED/Cy/st_paint");
    /* a product order is completed by its last child, never directly */
    OK(f, ow_save(f, (ow_save_args){.ext = "W", .op = "prod_101"}, &root, NULL));
    REFUSED(f, "BAD_INPUT", ow_complete(f, root, (ow_complete_args){.station = "st_all", .op_name = "Ada"}));
}

/* ---- noteCreate ---- */

static const char *ow_note(ow_fix *f, int64_t order, const char *text, const char *type, mes_note_job *j) {
    memset(j, 0, sizeof *j);
    j->j.order_id = order;
    j->text = text;
    j->type_name = type;
    j->metadata_json = "{\"k\":1}";
    static int made;
    snprintf(j->id, sizeof j->id, "note-%d", ++made);
    j->external_id = j->id;
    return ow_run(f, mes_note_create_run, &j->j);
}

static void note_create_appends_its_event(void **state) {
    ow_fix *f = *state;
    int64_t id;
    mes_note_job j;
    OK(f, ow_save(f, (ow_save_args){.ext = "N", .op = "paint"}, &id, NULL));
    OK(f, ow_start(f, id, "st_paint", "Ada"));
    OK(f, ow_note(f, id, "scratch on the left side", "Quality", &j));
    assert_int_equal(j.seq, 1);
    const char *perr = NULL;
    const gql_val *p = gql_json_parse(&f->a, j.payload, strlen(j.payload), 0, &perr);
    assert_non_null(p);
    assert_string_equal(ow_str(p, "text"), "scratch on the left side");
    assert_string_equal(ow_str(p, "eventType"), "created");
    assert_string_equal(ow_str(p, "type.name"), "Quality");
    assert_string_equal(ow_str(p, "orderId"), ow_text(f, "SELECT '%lld'", (long long)id));
    assert_string_equal(ow_str(p, "stationName"), "Paint booth");
    assert_string_equal(ow_str(p, "operatorName"), "Ada");
    assert_int_equal(ow_num(p, "metadata.k"), 1);
    assert_int_equal(ow_int(f, "SELECT count(*) FROM notes WHERE order_id = %lld", (long long)id), 1);
    mes_note_job j2;
    OK(f, ow_note(f, id, "again", "Quality", &j2));   /* a second note: the next seq, the type reused */
    assert_int_equal(j2.seq, 2);
    assert_int_equal(ow_int(f, "SELECT count(*) FROM note_types"), 1);
    REFUSED(f, "NOT_FOUND", ow_note(f, 777777, "x", NULL, &j));
}


/* ---- through the API: real GraphQL documents run by mes_execute ---- */

static int api_setup(void **state) {
    *state = test_mes_new_prepared(ow_factory);   /* the factory first, as `serve --demo` loads its own */
    return 0;
}
static int api_teardown(void **state) {
    test_mes_close(*state);
    free(*state);
    return 0;
}

/* Runs a document as who (test_mes_util.h's runner). */
static const char *api(test_mes *t, const mes_principal *who, const char *text, const char *vars) {
    return test_api(t, who, text, vars);
}

#define HAS(json, part)                                                                                         \
    do {                                                                                                        \
        if (!strstr((json), (part))) fail_msg("expected %s in\n  %s", (part), (json));                          \
    } while (0)

static const mes_principal erp = {.role = MES_ROLE_ERP, .token_id = "erp"};
static const mes_principal op = {.role = MES_ROLE_OPERATOR, .token_id = "op"};
static const mes_principal op_paint = {.role = MES_ROLE_OPERATOR, .token_id = "op2", .station_id = "ST_PAINT"};

/* The integration guide's mutation, verbatim, with its variables. */
static const char GUIDE_SAVE[] =
    "mutation saveOperation($opId: String!, $order: String!) {\n"
    "operationOrderSave(input: {operationId: $opId, externalOrderId: $order}) {\n"
    "message\n"
    "}\n"
    "}\n";

static void api_the_guide_saves_created_then_updated(void **state) {
    test_mes *t = *state;
    const char *vars = "{\"opId\": \"PROD_101\", \"order\": \"SALES-123\"}";   /* ids are case-insensitive */
    assert_string_equal(api(t, &erp, GUIDE_SAVE, vars), "{\"data\":{\"operationOrderSave\":{\"message\":\"created\"}}}");
    assert_string_equal(api(t, &erp, GUIDE_SAVE, vars), "{\"data\":{\"operationOrderSave\":{\"message\":\"updated\"}}}");
    assert_string_equal(
        api(t, &erp,
            "mutation { operationOrderSave(input: {operationId: \"prod_101\", externalOrderId: \"SALES-123\"}) {"
            " message operationOrder { id externalOrderId orderIndex status parent { id } children { status"
            " operation { id } children { status operation { id } } } } } }",
            NULL),
        "{\"data\":{\"operationOrderSave\":{\"message\":\"updated\",\"operationOrder\":{\"id\":\"1\","
        "\"externalOrderId\":\"SALES-123\",\"orderIndex\":0,\"status\":\"CREATED\",\"parent\":null,\"children\":"
        "[{\"status\":\"CREATED\",\"operation\":{\"id\":\"frame_sub\"},\"children\":[{\"status\":\"READY\","
        "\"operation\":{\"id\":\"weld\"}}]}]}}}}");
}

static void api_both_names_of_renamed_fields(void **state) {
    test_mes *t = *state;
    const char *r = api(t, &erp,
                        "mutation { operationOrderSave(input: {operationId: \"prod_101\", externalOrderId: \"R\","
                        " operationIndex: 2, selectGroupOperations: [\"FIT_LIGHT\"], reservedSerialNumber: \"SN-R\","
                        " secondaryExternalOrderId: \"PO-9\"}) { message operationOrder { orderIndex"
                        " reservedSerialNumber secondaryExternalOrderId } } }",
                        NULL);
    assert_string_equal(r, "{\"data\":{\"operationOrderSave\":{\"message\":\"created\",\"operationOrder\":"
                           "{\"orderIndex\":2,\"reservedSerialNumber\":\"SN-R\",\"secondaryExternalOrderId\":"
                           "\"PO-9\"}}}}");
    /* the new names find the same order */
    HAS(api(t, &erp,
            "mutation { operationOrderSave(input: {operationId: \"prod_101\", externalOrderId: \"R\", orderIndex: 2,"
            " selectOptionalOperationIds: [\"fit_light\"]}) { message } }",
            NULL),
        "\"message\":\"updated\"");
    r = api(t, &erp,
            "mutation { operationOrderSave(input: {operationId: \"prod_101\", orderIndex: 1, operationIndex: 2}) {"
            " message } }",
            NULL);
    HAS(r, "\"code\":\"BAD_INPUT\"");
    HAS(r, "\"data\":null");
}

static void api_roles_and_stations(void **state) {
    test_mes *t = *state;
    const char *r = api(t, &op, GUIDE_SAVE, "{\"opId\": \"weld\", \"order\": \"X\"}");
    HAS(r, "Forbidden: the operator role may not use Mutation.operationOrderSave.");
    HAS(r, "\"code\":\"FORBIDDEN\"");
    HAS(api(t, &erp, GUIDE_SAVE, "{\"opId\": \"weld\", \"order\": \"X\"}"), "created");
    HAS(api(t, &erp, "mutation { workOrderStart(input: {operationOrderId: \"1\", stationId: \"st_all\","
                     " operatorName: \"Ada\"}) { id } }", NULL),
        "Forbidden: the erp role may not use Mutation.workOrderStart.");
    /* an operator token bound to a station works there only */
    HAS(api(t, &op_paint, "mutation { workOrderStart(input: {operationOrderId: \"1\", stationId: \"st_all\","
                          " operatorName: \"Ada\"}) { id } }", NULL),
        "\"code\":\"WRONG_STATION\"");
    assert_string_equal(api(t, &op, "mutation { workOrderStart(input: {operationOrderId: \"1\", stationId: \"ST_ALL\","
                                    " operatorName: \" Ada \"}) { id status station { id } operator { name } } }",
                            NULL),
                        "{\"data\":{\"workOrderStart\":{\"id\":\"1\",\"status\":\"IN_PROGRESS\",\"station\":{\"id\":"
                        "\"st_all\"},\"operator\":{\"name\":\"Ada\"}}}}");
    HAS(api(t, &erp, GUIDE_SAVE, "{\"opId\": \"weld\", \"order\": \"X\"}"), "\"code\":\"ORDER_LOCKED\"");
    HAS(api(t, &op, "mutation { workOrderStart(input: {operationOrderId: \"abc\", stationId: \"st_all\","
                    " operatorName: \"Ada\"}) { id } }", NULL),
        "\"code\":\"NOT_FOUND\"");
    HAS(api(t, &erp, GUIDE_SAVE, "{\"opId\": \"no such id\", \"order\": \"X\"}"), "\"code\":\"BAD_INPUT\"");
    HAS(api(t, &erp, GUIDE_SAVE, "{\"opId\": \"no_such_id\", \"order\": \"X\"}"), "\"code\":\"NOT_FOUND\"");
}

static void api_cancel_messages(void **state) {
    test_mes *t = *state;
    HAS(api(t, &erp, GUIDE_SAVE, "{\"opId\": \"prod_101\", \"order\": \"C\"}"), "created");
    const char *cancel = "mutation { operationOrderCancel(input: {operationId: \"prod_101\", externalOrderId: \"C\","
                         " cancelAll: true}) { message canceledCount } }";
    assert_string_equal(api(t, &erp, cancel, NULL),
                        "{\"data\":{\"operationOrderCancel\":{\"message\":\"canceled\",\"canceledCount\":3}}}");
    assert_string_equal(api(t, &erp, cancel, NULL), "{\"data\":{\"operationOrderCancel\":{\"message\":"
                                                    "\"nothing to cancel\",\"canceledCount\":0}}}");
    HAS(api(t, &op, cancel, NULL), "\"code\":\"FORBIDDEN\"");
}

/* The guide's completion subscription, verbatim. */
static const char GUIDE_COMPLETIONS[] =
    "subscription NewOpCompletions {\n"
    "operationOrderCompletesStream {\n"
    "order: externalOrderId\n"
    "operation {\n"
    "id\n"
    "partNo: externalId\n"
    "name\n"
    "}\n"
    "operationSummary {\n"
    "endState {\n"
    "producedSerial\n"
    "at\n"
    "}\n"
    "consumedSerials {\n"
    "id\n"
    "partNo: externalId\n"
    "serial: value\n"
    "}\n"
    "}\n"
    "}\n"
    "}\n";

static const char COMPLETE[] =
    "mutation ($id: ID!, $cs: [SerialInput!], $p: String) { workOrderComplete(input: {operationOrderId: $id,"
    " stationId: \"st_all\", operatorName: \"Ada\", consumedSerials: $cs, producedSerial: $p}) { id status } }";

static void api_completions_reach_the_guide_subscription(void **state) {
    test_mes *t = *state;
    test_sink sink = {0};
    test_subscribe(t, &sink, GUIDE_COMPLETIONS, NULL);
    HAS(api(t, &erp, "mutation { operationOrderSave(input: {operationId: \"prod_101\", externalOrderId: \"SALES-1\","
                     " reservedSerialNumber: \"SN-1\"}) { message } }", NULL),
        "created");
    /* orders 1 root, 2 frame_sub, 3 weld; then paint 4, fit_battery 5, final_test 6 as they come */
    assert_string_equal(api(t, &op, COMPLETE, "{\"id\": \"3\", \"cs\": [{\"attributeId\": \"frame_sn\", \"value\":"
                                              " \"F-1\"}]}"),
                        "{\"data\":{\"workOrderComplete\":{\"id\":\"3\",\"status\":\"COMPLETED\"}}}");
    HAS(api(t, &op, COMPLETE, "{\"id\": \"4\"}"), "COMPLETED");
    /* a refusal reaches nobody */
    HAS(api(t, &op, COMPLETE, "{\"id\": \"5\"}"), "\"code\":\"MISSING_SERIAL\"");
    HAS(api(t, &op, COMPLETE, "{\"id\": \"5\", \"cs\": [{\"attributeId\": \"battery_sn\", \"value\": \"B-1\"}]}"),
        "COMPLETED");
    HAS(api(t, &op, COMPLETE, "{\"id\": \"6\"}"), "COMPLETED");
    TEST_RUN_UNTIL(t, sink.count >= 6);
    for (int i = 0; i < 50; i++) uv_run(&t->loop, UV_RUN_NOWAIT);
    assert_int_equal(sink.count, 6);
    const char *order[] = {"\"id\":\"weld\"", "\"id\":\"paint\"", "\"id\":\"frame_sub\"", "\"id\":\"fit_battery\"",
                           "\"id\":\"final_test\"", "\"id\":\"prod_101\""};
    for (int i = 0; i < 6; i++) {
        HAS(sink.msgs[i], order[i]);
        HAS(sink.msgs[i], "\"order\":\"SALES-1\"");
    }
    const char *root = sink.msgs[5];
    HAS(root, "\"operation\":{\"id\":\"prod_101\",\"partNo\":\"PROD-101\",\"name\":\"Scooter\"}");
    HAS(root, "\"endState\":{\"producedSerial\":\"SN-1\",\"at\":\"");
    HAS(root, "\"consumedSerials\":[{\"id\":\"frame_sn\",\"partNo\":\"FRAME-1\",\"serial\":\"F-1\"},"
              "{\"id\":\"battery_sn\",\"partNo\":\"BAT-3400\",\"serial\":\"B-1\"}]");
    HAS(sink.msgs[2], "\"consumedSerials\":[{\"id\":\"frame_sn\",\"partNo\":\"FRAME-1\",\"serial\":\"F-1\"}]");
    mes_unsubscribe(sink.sub);
    test_sink_clear(&sink);
}

static void api_note_create_answers_its_event(void **state) {
    test_mes *t = *state;
    HAS(api(t, &erp, GUIDE_SAVE, "{\"opId\": \"paint\", \"order\": \"N\"}"), "created");
    const char *r = api(t, &op,
                        "mutation { noteCreate(input: {operationOrderId: \"1\", text: \"dent\", externalId: \"ext-1\","
                        " typeName: \"Quality\", metadata: {k: [1, 2]}, images: [\"a.png\"]}) { seq externalId text"
                        " metadata images eventType type { name } state { operationOrder { id } operation { id } } } }",
                        NULL);
    assert_string_equal(r, "{\"data\":{\"noteCreate\":{\"seq\":1,\"externalId\":\"ext-1\",\"text\":\"dent\","
                           "\"metadata\":{\"k\":[1,2]},\"images\":[\"a.png\"],\"eventType\":\"created\",\"type\":"
                           "{\"name\":\"Quality\"},\"state\":{\"operationOrder\":{\"id\":\"1\"},\"operation\":"
                           "{\"id\":\"paint\"}}}}}");
    HAS(api(t, &erp, "mutation { noteCreate(input: {operationOrderId: \"1\", text: \"x\"}) { seq } }", NULL),
        "\"code\":\"FORBIDDEN\"");
    HAS(api(t, &op, "mutation { noteCreate(input: {operationOrderId: \"99\", text: \"x\"}) { seq } }", NULL),
        "\"code\":\"NOT_FOUND\"");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(save_creates_then_updates_one_order, setup, teardown),
        cmocka_unit_test_setup_teardown(save_product_makes_its_first_step, setup, teardown),
        cmocka_unit_test_setup_teardown(save_refusals_change_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(save_locks_started_and_completed_orders, setup, teardown),
        cmocka_unit_test_setup_teardown(save_restores_a_canceled_order, setup, teardown),
        cmocka_unit_test_setup_teardown(save_keeps_fields_left_out, setup, teardown),
        cmocka_unit_test_setup_teardown(cancel_by_index_all_and_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(start_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(complete_refusals_change_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(complete_in_progress_at_its_station, setup, teardown),
        cmocka_unit_test_setup_teardown(note_create_appends_its_event, setup, teardown),
        cmocka_unit_test_setup_teardown(api_the_guide_saves_created_then_updated, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(api_both_names_of_renamed_fields, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(api_roles_and_stations, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(api_cancel_messages, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(api_completions_reach_the_guide_subscription, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(api_note_create_answers_its_event, api_setup, api_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
