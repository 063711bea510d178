/* test_orders_read.c: the read side of orders, completions and notes over a
 * real SQLite store with the demo factory: OperationOrder and its links
 * with one statement per level, the shop-floor queue, operators, every
 * `where` of orders, completions and notes (on the queries and in
 * store_stream_read), the payload rendering (the guide's NewOpCompletions
 * with its aliases), mes_order_value, and a subscription replaying with a
 * `where` through the bus. Test data are written with SQL in a store job
 * (the writer side has its own tests). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain.h"
#include "mes_schema.h"
#include "store_internal.h"
#include "test_mes_util.h"
#include "test_util.h"

/* ---- test data ---- */

/* Orders: 1 prod_101 (SALES-1) > 2 sub_scanner_core > 3 board (done at
 * bench_1 by Ada), 4 battery (in progress at bench_1, Bob); 5 prod_205
 * (SALES-2) > 6 cradle READY; 7 a final-assembly order older than all;
 * 8 label_and_pack with a secondary id and a reservation; 9 canceled;
 * 11 a cradle in progress at bench_2. */
static const char *seed_sql =
    "INSERT INTO operators (id, name, created_at) VALUES (1, 'Ada', 1), (2, 'Bob', 2);"
    "INSERT INTO operation_orders (id, external_order_id, operation_id, order_index, status,"
    " reserved_serial_number, secondary_external_order_id, parent_id, station_id, operator_id,"
    " created_at, updated_at, started_at, completed_at) VALUES"
    " (1, 'SALES-1', 'prod_101', 0, 'IN_PROGRESS', NULL, NULL, NULL, NULL, NULL, 1000, 1000, 1100, NULL),"
    " (2, 'SALES-1', 'sub_scanner_core', 0, 'IN_PROGRESS', NULL, NULL, 1, NULL, NULL, 1001, 1001, 1100, NULL),"
    " (3, 'SALES-1', 'scanner_board_assembly', 0, 'COMPLETED', NULL, NULL, 2, 'bench_1', 1, 1002, 1200, 1100, 1200),"
    " (4, 'SALES-1', 'battery_pack_install', 0, 'IN_PROGRESS', NULL, NULL, 2, 'bench_1', 2, 1003, 1300, 1300, NULL),"
    " (5, 'SALES-2', 'prod_205', 1, 'CREATED', NULL, NULL, NULL, NULL, NULL, 1004, 1004, NULL, NULL),"
    " (6, 'SALES-2', 'cradle_assembly', 1, 'READY', NULL, NULL, 5, NULL, NULL, 1005, 1005, NULL, NULL),"
    " (7, 'SALES-3', 'scanner_final_assembly', 0, 'READY', NULL, NULL, NULL, NULL, NULL, 900, 900, NULL, NULL),"
    " (8, 'SALES-4', 'label_and_pack', 0, 'READY', 'SN-X', 'PO-9', NULL, NULL, NULL, 1006, 1006, NULL, NULL),"
    " (9, 'SALES-5', 'battery_pack_install', 0, 'CANCELED', NULL, NULL, NULL, NULL, NULL, 1007, 1007, NULL, NULL),"
    " (11, 'SALES-6', 'cradle_assembly', 0, 'IN_PROGRESS', NULL, NULL, NULL, 'bench_2', 1, 1008, 1400, 1400, NULL);";

#define STATION_1 "\"station\":{\"id\":\"bench_1\",\"name\":\"Bench 1: electronics\"}"
#define STATION_2 "\"station\":{\"id\":\"bench_2\",\"name\":\"Bench 2: final assembly and test\"}"
/* Completions in the format of mes_internal.h: 1 board (wip), 2 battery
 * (wip), 3 the scanner (root, with a produced serial), 4 a cradle without
 * end state nor external order id, with an operator id written as a number. */
static const char *completes[] = {
    "{\"orderId\":\"3\",\"operationId\":\"scanner_board_assembly\",\"externalOrderId\":\"SALES-1\","
    "\"secondaryExternalOrderId\":null,\"orderIndex\":0,\"wip\":true,\"reservedSerialNumber\":null,"
    "\"at\":1200,\"startedAt\":1100,\"cycleTime\":0,"
    "\"consumedSerials\":[{\"id\":\"main_board_sn\",\"name\":\"Main board serial\",\"externalId\":\"PCB-4410\","
    "\"value\":\"MB-1\"}],"
    "\"endState\":{\"producedSerial\":null,\"at\":1200," STATION_1 ",\"operator\":{\"id\":\"1\",\"name\":\"Ada\"}}}",
    "{\"orderId\":\"4\",\"operationId\":\"battery_pack_install\",\"externalOrderId\":\"SALES-1\","
    "\"secondaryExternalOrderId\":null,\"orderIndex\":0,\"wip\":true,\"reservedSerialNumber\":null,"
    "\"at\":1500,\"startedAt\":1300,\"cycleTime\":0,"
    "\"consumedSerials\":[{\"id\":\"battery_pack_sn\",\"name\":\"Battery pack serial\",\"externalId\":\"BAT-3400\","
    "\"value\":\"B-1\"}],"
    "\"endState\":{\"producedSerial\":null,\"at\":1500," STATION_1 ",\"operator\":{\"id\":\"2\",\"name\":\"Bob\"}}}",
    "{\"orderId\":\"1\",\"operationId\":\"prod_101\",\"externalOrderId\":\"SALES-1\","
    "\"secondaryExternalOrderId\":\"PO-1\",\"orderIndex\":0,\"wip\":false,\"reservedSerialNumber\":\"SN-1\","
    "\"at\":61100,\"startedAt\":1100,\"cycleTime\":60,"
    "\"consumedSerials\":[{\"id\":\"main_board_sn\",\"name\":\"Main board serial\",\"externalId\":\"PCB-4410\","
    "\"value\":\"MB-1\"},{\"id\":\"battery_pack_sn\",\"name\":\"Battery pack serial\",\"externalId\":\"BAT-3400\","
    "\"value\":\"B-1\"}],"
    "\"endState\":{\"producedSerial\":\"SN-1\",\"at\":61100," STATION_2 ",\"operator\":{\"id\":\"1\",\"name\":\"Ada\"}}}",
    "{\"orderId\":\"6\",\"operationId\":\"cradle_assembly\",\"externalOrderId\":null,"
    "\"secondaryExternalOrderId\":null,\"orderIndex\":1,\"wip\":true,\"reservedSerialNumber\":null,"
    "\"at\":70000,\"startedAt\":null,\"cycleTime\":null,\"consumedSerials\":[],\"endState\":null}",
};
static const char *notes[] = {
    "{\"id\":\"n1\",\"externalId\":\"ext-1\",\"text\":\"Scratched housing\",\"metadata\":{\"k\":[1,2]},"
    "\"images\":[\"a.png\",\"b.png\"],\"eventType\":\"created\",\"type\":{\"id\":\"1\",\"name\":\"Quality\"},"
    "\"at\":2000,\"orderId\":\"4\",\"operationId\":\"battery_pack_install\",\"stationId\":\"bench_1\","
    "\"stationName\":\"Bench 1: electronics\",\"operatorId\":\"2\",\"operatorName\":\"Bob\"}",
    "{\"id\":\"n2\",\"externalId\":\"ext-2\",\"text\":null,\"metadata\":null,\"images\":null,"
    "\"eventType\":\"created\",\"type\":null,\"at\":3000,\"orderId\":6,\"operationId\":\"cradle_assembly\","
    "\"stationId\":null,\"stationName\":null,\"operatorId\":null,\"operatorName\":null}",
};

typedef struct seed_job {
    const char *sql;
    const char *const *payloads;
    size_t npayloads;
    store_stream stream;
    bool done;
} seed_job;

static int seed_run(store_tx *tx, void *arg, store_err *err) {
    seed_job *j = arg;
    if (j->sql && store_exec(tx->db, j->sql, err)) return err->code;
    for (size_t i = 0; i < j->npayloads; i++) {
        char ref[24];
        snprintf(ref, sizeof ref, "%zu", i + 1);
        int64_t seq;
        if (store_tx_append_event(tx, j->stream, ref, j->payloads[i], &seq, err)) return err->code;
    }
    return STORE_OK;
}

static void seed(store *st, const char *sql, store_stream stream, const char *const *payloads, size_t n) {
    seed_job j = {sql, payloads, n, stream, false};
    store_err err = {0};
    if (store_exec_sync(st, seed_run, &j, &err)) fail_msg("seeding: %s", err.message);
}

static void seed_all(store *st) {
    seed(st, seed_sql, STORE_STREAM_COMPLETES, completes, sizeof completes / sizeof completes[0]);
    seed(st, NULL, STORE_STREAM_NOTES, notes, sizeof notes / sizeof notes[0]);
}

/* ---- the fixture: the demo, the data, the API's schema with the read side bound ---- */

typedef struct fixture {
    test_db db;
    store *st;
    gql_schema *schema;
    mes_principal who;
} fixture;

static gql_schema *read_schema(void) {
    gql_schema *s = test_build_schema((const char *)mes_schema_sdl, mes_schema_sdl_len);
    char err[256];
    if (!mes_bind_scalars(s, err, sizeof err) || !mes_bind_operations(s, err, sizeof err) ||
        !mes_bind_stations(s, err, sizeof err) || !mes_bind_query(s, err, sizeof err) ||
        !mes_bind_orders(s, err, sizeof err) || !mes_bind_completes(s, err, sizeof err) ||
        !mes_bind_notes(s, err, sizeof err))
        fail_msg("binding: %s", err);
    return s;
}

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    test_db_make(&f->db);
    f->st = test_open(&f->db, NULL);
    f->schema = read_schema();
    f->who.role = MES_ROLE_ADMIN;
    store_err err = {0};
    bool loaded = false;
    assert_int_equal(mes_demo_load(f->st, &loaded, &err), 0);
    seed_all(f->st);
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    gql_schema_free(f->schema);
    store_close(f->st);
    test_db_remove(&f->db);
    free(f);
    return 0;
}

/* Runs a document; the response (or the validation errors), malloc'ed. */
static char *run(fixture *f, const char *query) {
    gql_arena a;
    gql_arena_init(&a, 0);
    gql_errors errs;
    gql_errors_init(&errs, &a);
    bool syntax = false;
    gql_prepared *p = gql_prepare(f->schema, query, strlen(query), NULL, &errs, &syntax);
    if (!p) {
        char *r = strdup(errs.head ? errs.head->message : "?");
        gql_arena_free(&a);
        return r;
    }
    mes_ctx ctx = {.st = f->st, .who = &f->who, .arena = &a};
    gql_exec_request req = {.doc = p, .context = &ctx, .arena = &a};
    gql_buf out;
    gql_buf_init(&out);
    gql_execute(&req, &out);
    char *r = strndup(out.data, out.len);
    gql_buf_free(&out);
    gql_prepared_free(p);
    gql_arena_free(&a);
    return r;
}

static void expect(fixture *f, const char *query, const char *want) {
    char *got = run(f, query);
    if (strcmp(got, want) != 0) fail_msg("%s\n  got:  %s\n  want: %s", query, got, want);
    free(got);
}

static void expect_has(fixture *f, const char *query, const char *part) {
    char *got = run(f, query);
    if (!strstr(got, part)) fail_msg("%s\n  got:  %s\n  want a part: %s", query, got, part);
    free(got);
}

static uint64_t reads(fixture *f) {
    store_metrics m;
    store_get_metrics(f->st, &m);
    return m.read_statements;
}

/* ---- orders ---- */

static void order_fields(void **state) {
    fixture *f = *state;
    expect(f,
           "{ operationOrders(where: { id: { _eq: \"3\" } }) { id externalOrderId secondaryExternalOrderId "
           "orderIndex status reservedSerialNumber operation { id kind } parent { id parent { id parent { id } } } "
           "children { id } station { id name processes { id } } operator { id name } "
           "createdAt updatedAt startedAt completedAt } }",
           "{\"data\":{\"operationOrders\":[{\"id\":\"3\",\"externalOrderId\":\"SALES-1\","
           "\"secondaryExternalOrderId\":null,\"orderIndex\":0,\"status\":\"COMPLETED\",\"reservedSerialNumber\":null,"
           "\"operation\":{\"id\":\"scanner_board_assembly\",\"kind\":\"PROCESS\"},"
           "\"parent\":{\"id\":\"2\",\"parent\":{\"id\":\"1\",\"parent\":null}},\"children\":[],"
           "\"station\":{\"id\":\"bench_1\",\"name\":\"Bench 1: electronics\",\"processes\":[{\"id\":"
           "\"scanner_board_assembly\"},{\"id\":\"battery_pack_install\"}]},\"operator\":{\"id\":\"1\",\"name\":\"Ada\"},"
           "\"createdAt\":\"1970-01-01T00:00:01.002Z\",\"updatedAt\":\"1970-01-01T00:00:01.200Z\","
           "\"startedAt\":\"1970-01-01T00:00:01.100Z\",\"completedAt\":\"1970-01-01T00:00:01.200Z\"}]}}");
    /* siblings share their parent: loaded once, each sees it whole */
    expect(f, "{ operationOrders(where: { parent: { id: { _eq: \"2\" } } }) { id parent { id children { id } } } }",
           "{\"data\":{\"operationOrders\":[{\"id\":\"3\",\"parent\":{\"id\":\"2\",\"children\":[{\"id\":\"3\"},"
           "{\"id\":\"4\"}]}},{\"id\":\"4\",\"parent\":{\"id\":\"2\",\"children\":[{\"id\":\"3\"},{\"id\":\"4\"}]}}]}}");
    /* the waterfall down, in creation order; unset links are null */
    expect(f,
           "{ operationOrders(where: { id: { _in: [\"1\", \"5\", \"8\"] } }) { id status secondaryExternalOrderId "
           "reservedSerialNumber station { id } operator { id } startedAt children { id operation { id } "
           "children { id } } } }",
           "{\"data\":{\"operationOrders\":["
           "{\"id\":\"1\",\"status\":\"IN_PROGRESS\",\"secondaryExternalOrderId\":null,\"reservedSerialNumber\":null,"
           "\"station\":null,\"operator\":null,\"startedAt\":\"1970-01-01T00:00:01.100Z\",\"children\":[{\"id\":\"2\","
           "\"operation\":{\"id\":\"sub_scanner_core\"},\"children\":[{\"id\":\"3\"},{\"id\":\"4\"}]}]},"
           "{\"id\":\"5\",\"status\":\"CREATED\",\"secondaryExternalOrderId\":null,\"reservedSerialNumber\":null,"
           "\"station\":null,\"operator\":null,\"startedAt\":null,\"children\":[{\"id\":\"6\","
           "\"operation\":{\"id\":\"cradle_assembly\"},\"children\":[]}]},"
           "{\"id\":\"8\",\"status\":\"READY\",\"secondaryExternalOrderId\":\"PO-9\",\"reservedSerialNumber\":\"SN-X\","
           "\"station\":null,\"operator\":null,\"startedAt\":null,\"children\":[]}]}}");
}

static void order_filters(void **state) {
    fixture *f = *state;
    static const struct { const char *where, *ids; } cases[] = {
        {"{}", "1,2,3,4,5,6,7,8,9,11"},
        {"{ externalOrderId: { _eq: \"SALES-2\" } }", "5,6"},
        {"{ operation: { externalId: { _eq: \"PROD-101\" } } }", "1"},
        {"{ operation: { kind: { _eq: PROCESS } }, status: { _in: [READY, IN_PROGRESS] } }", "4,6,7,8,11"},
        {"{ status: { _nin: [READY, IN_PROGRESS, CREATED] } }", "3,9"},
        {"{ parent: { operation: { id: { _eq: \"SUB_SCANNER_CORE\" } } } }", "3,4"},
        {"{ parent: { parent: { externalOrderId: { _like: \"SALES-%\" } } } }", "3,4"},
        {"{ station: { name: { _like: \"Bench 2%\" } } }", "11"},
        {"{ operator: { name: { _eq: \"Ada\" } } }", "3,11"},
        {"{ operator: { id: { _eq: \"2\" } } }", "4"},
        {"{ id: { _gt: \"8\" } }", "9,11"},
        {"{ orderIndex: { _gte: 1 } }", "5,6"},
        {"{ secondaryExternalOrderId: { _is_null: false } }", "8"},
        {"{ reservedSerialNumber: { _eq: \"SN-X\" } }", "8"},
        {"{ startedAt: { _is_null: false }, completedAt: { _is_null: true } }", "1,2,4,11"},
        {"{ createdAt: { _lt: \"1970-01-01T00:00:01.000Z\" } }", "7"},
        {"{ updatedAt: { _gte: \"1970-01-01T00:00:01.300Z\" } }", "4,11"},
        {"{ _or: [{ id: { _eq: \"7\" } }, { _not: { status: { _neq: CANCELED } } }] }", "7,9"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char q[512], want[256] = "{\"data\":{\"operationOrders\":[";
        snprintf(q, sizeof q, "{ operationOrders(where: %s) { id } }", cases[i].where);
        const char *p = cases[i].ids;
        while (*p) {
            size_t len = strcspn(p, ",");
            snprintf(want + strlen(want), sizeof want - strlen(want), "%s{\"id\":\"%.*s\"}",
                     p == cases[i].ids ? "" : ",", (int)len, p);
            p += len + (p[len] == ',');
        }
        strcat(want, "]}}");
        expect(f, q, want);
    }
    /* limit and offset page in creation order */
    expect(f, "{ operationOrders(limit: 2, offset: 3) { id } }",
           "{\"data\":{\"operationOrders\":[{\"id\":\"4\"},{\"id\":\"5\"}]}}");
    expect_has(f, "{ operationOrders(offset: -1) { id } }", "\"offset\\\" must not be negative");
    expect_has(f, "{ operationOrders(where: { status: { _eq: null } }) { id } }", "\"BAD_INPUT\"");
}

static void work_order_queue(void **state) {
    fixture *f = *state;
    /* process orders, READY and IN_PROGRESS, oldest first, at every station */
    expect(f, "{ workOrders { id status } }",
           "{\"data\":{\"workOrders\":[{\"id\":\"7\",\"status\":\"READY\"},{\"id\":\"4\",\"status\":\"IN_PROGRESS\"},"
           "{\"id\":\"6\",\"status\":\"READY\"},{\"id\":\"8\",\"status\":\"READY\"},"
           "{\"id\":\"11\",\"status\":\"IN_PROGRESS\"}]}}");
    /* a station: what it can do; ids case-insensitive */
    expect(f, "{ workOrders(stationId: \"BENCH_1\") { id } }", "{\"data\":{\"workOrders\":[{\"id\":\"4\"}]}}");
    expect(f, "{ workOrders(stationId: \"bench_2\") { id operation { id } } }",
           "{\"data\":{\"workOrders\":[{\"id\":\"7\",\"operation\":{\"id\":\"scanner_final_assembly\"}},"
           "{\"id\":\"6\",\"operation\":{\"id\":\"cradle_assembly\"}},"
           "{\"id\":\"11\",\"operation\":{\"id\":\"cradle_assembly\"}}]}}");
    expect(f, "{ workOrders(stationId: \"packing\") { id } }", "{\"data\":{\"workOrders\":[{\"id\":\"8\"}]}}");
    /* statuses */
    expect(f, "{ workOrders(status: [CANCELED]) { id } }", "{\"data\":{\"workOrders\":[{\"id\":\"9\"}]}}");
    expect(f, "{ workOrders(stationId: \"bench_1\", status: [COMPLETED, READY, COMPLETED]) { id } }",
           "{\"data\":{\"workOrders\":[{\"id\":\"3\"}]}}");
    expect(f, "{ workOrders(stationId: \"bench_2\", status: [COMPLETED]) { id } }",
           "{\"data\":{\"workOrders\":[]}}");
    expect(f, "{ workOrders(status: []) { id } }", "{\"data\":{\"workOrders\":[]}}");
    expect(f, "{ workOrders(status: CREATED) { id } }", "{\"data\":{\"workOrders\":[]}}");   /* products are not work */
    /* a second station that can build cradles: the READY one is in its queue,
     * the one started at bench_2 is not */
    const char *procs[] = {"cradle_assembly"};
    store_station_in s3 = {"bench_3", "Bench 3", procs, 1};
    store_err err = {0};
    assert_int_equal(deploy_station(f->st, &s3, NULL, &err), 0);
    expect(f, "{ workOrders(stationId: \"bench_3\") { id } }", "{\"data\":{\"workOrders\":[{\"id\":\"6\"}]}}");
    /* an unknown station */
    expect(f, "{ workOrders(stationId: \"nope\") { id } }",
           "{\"errors\":[{\"message\":\"Unknown station \\\"nope\\\".\",\"locations\":[{\"line\":1,\"column\":3}],"
           "\"path\":[\"workOrders\"],\"extensions\":{\"code\":\"NOT_FOUND\"}}],\"data\":null}");
}

static void operators_list(void **state) {
    fixture *f = *state;
    expect(f, "{ operators { id name } }",
           "{\"data\":{\"operators\":[{\"id\":\"1\",\"name\":\"Ada\"},{\"id\":\"2\",\"name\":\"Bob\"}]}}");
}

/* Nested order queries cost a fixed number of statements, whatever the number of orders. */
static void orders_one_statement_per_level(void **state) {
    fixture *f = *state;
    const char *q = "{ operationOrders(where: { id: { _in: %s } }) { id operation { id consumedSerials { id } "
                    "steps { actions { id } } } parent { id operation { id } parent { id } } children { id "
                    "children { id operator { name } } operation { name } } station { id processes { id } } "
                    "operator { name } } workOrders { id station { name } parent { id } } }";
    char doc[1024];
    uint64_t cost[2];
    const char *sets[2] = {"[\"1\", \"3\", \"5\"]", "[\"1\", \"2\", \"3\", \"4\", \"5\", \"6\", \"7\", \"8\", \"9\", \"11\"]"};
    for (int round = 0; round < 2; round++) {
        snprintf(doc, sizeof doc, q, sets[round]);
        uint64_t before = reads(f);
        char *r = run(f, doc);
        cost[round] = reads(f) - before;
        assert_null(strstr(r, "\"errors\""));
        if (round == 1)
            assert_non_null(strstr(r, "{\"id\":\"2\",\"operation\":{\"id\":\"sub_scanner_core\",\"consumedSerials\":"));
        free(r);
    }
    assert_int_equal(cost[0], cost[1]);
}

static void order_value(void **state) {
    fixture *f = *state;
    gql_arena a;
    gql_arena_init(&a, 0);
    mes_ctx ctx = {.st = f->st, .who = &f->who, .arena = &a};
    assert_int_equal(mes_order_value(&ctx, 999).kind, GQL_RV_NULL);
    gql_rv v = mes_order_value(&ctx, 4);
    assert_int_equal(v.kind, GQL_RV_OBJECT);
    /* the source the OperationOrder resolvers take: the order as it is now */
    const store_order *row = *(const store_order *const *)v.u.object.obj;
    assert_int_equal(row->id, 4);
    assert_int_equal(row->parent_id, 2);
    assert_string_equal(row->operation_id, "battery_pack_install");
    assert_int_equal(row->status, STORE_ORDER_IN_PROGRESS);
    assert_string_equal(row->station_id, "bench_1");
    assert_int_equal(row->operator_id, 2);
    assert_int_equal(row->started_at, 1300);
    assert_int_equal(row->completed_at, 0);
    gql_arena_free(&a);
}

/* ---- completions ---- */

static const char *new_op_completions =
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

/* The guide's subscription, executed on the scanner's completion event. */
static void guide_subscription_renders(void **state) {
    fixture *f = *state;
    gql_arena a;
    gql_arena_init(&a, 0);
    store_event *ev;
    size_t n;
    store_err err = {0};
    assert_int_equal(store_stream_read(f->st, STORE_STREAM_COMPLETES, 2, 1, NULL, &a, &ev, &n, &err), 0);
    assert_int_equal(n, 1);
    gql_errors errs;
    gql_errors_init(&errs, &a);
    bool syntax;
    gql_prepared *p = gql_prepare(f->schema, new_op_completions, strlen(new_op_completions), NULL, &errs, &syntax);
    assert_non_null(p);
    mes_ctx ctx = {.st = f->st, .who = &f->who, .arena = &a};
    gql_exec_request req = {.doc = p, .context = &ctx, .arena = &a};
    gql_subscription sub;
    gql_buf out;
    gql_buf_init(&out);
    assert_int_equal(gql_subscribe(&req, &sub, &out), GQL_EXEC_OK);
    store_stream stream;
    store_entity entity;
    assert_true(mes_stream_of_field(sub.field->name, &stream, &entity));
    assert_int_equal(stream, STORE_STREAM_COMPLETES);
    assert_int_equal(entity, STORE_E_OPERATION_ORDER_COMPLETE);
    gql_rv v = mes_event_value(&ctx, STORE_STREAM_COMPLETES, &ev[0]);
    assert_int_equal(gql_execute_event(&req, &sub, &v, &out), GQL_EXEC_OK);
    assert_string_equal(out.data,
                        "{\"data\":{\"operationOrderCompletesStream\":{\"order\":\"SALES-1\",\"operation\":{"
                        "\"id\":\"prod_101\",\"partNo\":\"PROD-101\",\"name\":\"Handheld scanner\"},"
                        "\"operationSummary\":{\"endState\":{\"producedSerial\":\"SN-1\","
                        "\"at\":\"1970-01-01T00:01:01.100Z\"},\"consumedSerials\":["
                        "{\"id\":\"main_board_sn\",\"partNo\":\"PCB-4410\",\"serial\":\"MB-1\"},"
                        "{\"id\":\"battery_pack_sn\",\"partNo\":\"BAT-3400\",\"serial\":\"B-1\"}]}}}}");
    gql_buf_free(&out);
    gql_prepared_free(p);
    gql_arena_free(&a);
}

static void complete_fields(void **state) {
    fixture *f = *state;
    expect(f,
           "{ operationOrderCompletes { seq externalOrderId secondaryExternalOrderId orderIndex wip at "
           "reservedSerialNumber operation { id steps { id } } operationSummary { startedAt cycleTime "
           "consumedSerials { id name externalId value } endState { producedSerial } } "
           "endState { producedSerial at station { id name processes { id } } operator { id name } } } }",
           "{\"data\":{\"operationOrderCompletes\":["
           "{\"seq\":1,\"externalOrderId\":\"SALES-1\",\"secondaryExternalOrderId\":null,\"orderIndex\":0,\"wip\":true,"
           "\"at\":\"1970-01-01T00:00:01.200Z\",\"reservedSerialNumber\":null,\"operation\":{\"id\":"
           "\"scanner_board_assembly\",\"steps\":[{\"id\":\"prepare_esd\"},{\"id\":\"fit_scan_engine\"}]},"
           "\"operationSummary\":{\"startedAt\":\"1970-01-01T00:00:01.100Z\",\"cycleTime\":0,\"consumedSerials\":["
           "{\"id\":\"main_board_sn\",\"name\":\"Main board serial\",\"externalId\":\"PCB-4410\",\"value\":\"MB-1\"}],"
           "\"endState\":{\"producedSerial\":null}},\"endState\":{\"producedSerial\":null,"
           "\"at\":\"1970-01-01T00:00:01.200Z\",\"station\":{\"id\":\"bench_1\",\"name\":\"Bench 1: electronics\","
           "\"processes\":[{\"id\":\"scanner_board_assembly\"},{\"id\":\"battery_pack_install\"}]},"
           "\"operator\":{\"id\":\"1\",\"name\":\"Ada\"}}},"
           "{\"seq\":2,\"externalOrderId\":\"SALES-1\",\"secondaryExternalOrderId\":null,\"orderIndex\":0,\"wip\":true,"
           "\"at\":\"1970-01-01T00:00:01.500Z\",\"reservedSerialNumber\":null,\"operation\":{\"id\":"
           "\"battery_pack_install\",\"steps\":[{\"id\":\"inspect_pack\"},{\"id\":\"fit_pack\"}]},"
           "\"operationSummary\":{\"startedAt\":\"1970-01-01T00:00:01.300Z\",\"cycleTime\":0,\"consumedSerials\":["
           "{\"id\":\"battery_pack_sn\",\"name\":\"Battery pack serial\",\"externalId\":\"BAT-3400\",\"value\":\"B-1\"}],"
           "\"endState\":{\"producedSerial\":null}},\"endState\":{\"producedSerial\":null,"
           "\"at\":\"1970-01-01T00:00:01.500Z\",\"station\":{\"id\":\"bench_1\",\"name\":\"Bench 1: electronics\","
           "\"processes\":[{\"id\":\"scanner_board_assembly\"},{\"id\":\"battery_pack_install\"}]},"
           "\"operator\":{\"id\":\"2\",\"name\":\"Bob\"}}},"
           "{\"seq\":3,\"externalOrderId\":\"SALES-1\",\"secondaryExternalOrderId\":\"PO-1\",\"orderIndex\":0,"
           "\"wip\":false,\"at\":\"1970-01-01T00:01:01.100Z\",\"reservedSerialNumber\":\"SN-1\",\"operation\":{\"id\":"
           "\"prod_101\",\"steps\":[]},\"operationSummary\":{\"startedAt\":\"1970-01-01T00:00:01.100Z\","
           "\"cycleTime\":60,\"consumedSerials\":[{\"id\":\"main_board_sn\",\"name\":\"Main board serial\","
           "\"externalId\":\"PCB-4410\",\"value\":\"MB-1\"},{\"id\":\"battery_pack_sn\",\"name\":\"Battery pack "
           "serial\",\"externalId\":\"BAT-3400\",\"value\":\"B-1\"}],\"endState\":{\"producedSerial\":\"SN-1\"}},"
           "\"endState\":{\"producedSerial\":\"SN-1\",\"at\":\"1970-01-01T00:01:01.100Z\",\"station\":{\"id\":"
           "\"bench_2\",\"name\":\"Bench 2: final assembly and test\",\"processes\":[{\"id\":"
           "\"scanner_final_assembly\"},{\"id\":\"cradle_assembly\"}]},\"operator\":{\"id\":\"1\",\"name\":\"Ada\"}}},"
           "{\"seq\":4,\"externalOrderId\":\"\",\"secondaryExternalOrderId\":null,\"orderIndex\":1,\"wip\":true,"
           "\"at\":\"1970-01-01T00:01:10.000Z\",\"reservedSerialNumber\":null,\"operation\":{\"id\":"
           "\"cradle_assembly\",\"steps\":[{\"id\":\"assemble_cradle\"}]},\"operationSummary\":{\"startedAt\":null,"
           "\"cycleTime\":null,\"consumedSerials\":[],\"endState\":null},\"endState\":null}]}}");
}

/* The seqs a where selects, through the query and through store_stream_read. */
static void expect_completes(fixture *f, const char *where, const char *seqs) {
    char q[768], want[256] = "{\"data\":{\"operationOrderCompletes\":[";
    snprintf(q, sizeof q, "{ operationOrderCompletes(where: %s) { seq } }", where);
    for (const char *p = seqs; *p; p++)
        if (*p != ',') snprintf(want + strlen(want), sizeof want - strlen(want), "%s{\"seq\":%c}",
                                p == seqs ? "" : ",", *p);
    strcat(want, "]}}");
    expect(f, q, want);
}

static void complete_filters(void **state) {
    fixture *f = *state;
    static const struct { const char *where, *seqs; } cases[] = {
        {"{ operation: { externalId: { _eq: \"PROD-101\" } } }", "3"},
        {"{ operation: { kind: { _eq: PROCESS }, producesSerial: { _eq: true } } }", "4"},
        {"{ externalOrderId: { _eq: \"SALES-1\" } }", "1,2,3"},
        {"{ externalOrderId: { _is_null: true } }", "4"},
        {"{ secondaryExternalOrderId: { _is_null: false } }", "3"},
        {"{ orderIndex: { _eq: 1 } }", "4"},
        {"{ wip: { _eq: false } }", "3"},
        {"{ _not: { wip: { _eq: false } } }", "1,2,4"},
        {"{ at: { _gt: \"1970-01-01T00:00:01.200Z\" } }", "2,3,4"},
        {"{ seq: { _in: [2, 4] } }", "2,4"},
        {"{ reservedSerialNumber: { _like: \"SN-%\" } }", "3"},
        {"{ operationSummary: { cycleTime: { _gte: 10 } } }", "3"},
        {"{ operationSummary: { startedAt: { _lte: \"1970-01-01T00:00:01.100Z\" } } }", "1,3"},
        {"{ operationSummary: { endState: { producedSerial: { _eq: \"SN-1\" } } } }", "3"},
        {"{ endState: { station: { id: { _eq: \"BENCH_1\" } } } }", "1,2"},
        {"{ endState: { station: { name: { _like: \"%final%\" } } } }", "3"},
        {"{ endState: { operator: { name: { _eq: \"Bob\" } } } }", "2"},
        {"{ endState: { operator: { id: { _eq: \"1\" } } } }", "1,3"},
        {"{ endState: { at: { _is_null: false } } }", "1,2,3"},
        {"{ _or: [{ seq: { _eq: 1 } }, { operation: { id: { _eq: \"cradle_assembly\" } } }] }", "1,4"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) expect_completes(f, cases[i].where, cases[i].seqs);
    /* afterSeq and limit read the log in seq order */
    expect(f, "{ operationOrderCompletes(afterSeq: 1, limit: 2) { seq } }",
           "{\"data\":{\"operationOrderCompletes\":[{\"seq\":2},{\"seq\":3}]}}");
    expect(f, "{ operationOrderCompletes(where: { wip: { _eq: true } }, afterSeq: 1) { seq } }",
           "{\"data\":{\"operationOrderCompletes\":[{\"seq\":2},{\"seq\":4}]}}");
    expect_has(f, "{ operationOrderCompletes(afterSeq: -1) { seq } }", "afterSeq must be 0 or more.");
    expect_has(f, "{ operationOrderCompletes(limit: -1) { seq } }", "\"BAD_INPUT\"");
    expect_has(f, "{ operationOrderCompletes(where: { wip: { _eq: null } }) { seq } }", "\"BAD_INPUT\"");
}

/* store_stream_read with a where (what the bus reads for subscriptions) */
static void stream_read_with_where(void **state) {
    fixture *f = *state;
    gql_arena a;
    gql_arena_init(&a, 0);
    const char *err_msg = NULL;
    const store_filter *where;
    const char *text = "{\"operation\":{\"externalId\":{\"_eq\":\"PROD-101\"}}}";
    const char *jerr;
    const gql_val *w = gql_json_parse(&a, text, strlen(text), 0, &jerr);
    assert_true(mes_where_filter(&a, STORE_E_OPERATION_ORDER_COMPLETE, w, &where, &err_msg));
    store_event *ev;
    size_t n;
    store_err err = {0};
    assert_int_equal(store_stream_read(f->st, STORE_STREAM_COMPLETES, 0, -1, where, &a, &ev, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(ev[0].seq, 3);
    assert_string_equal(ev[0].ref, "3");
    assert_non_null(strstr(ev[0].payload, "\"producedSerial\":\"SN-1\""));
    assert_int_equal(store_stream_read(f->st, STORE_STREAM_COMPLETES, 3, -1, where, &a, &ev, &n, &err), 0);
    assert_int_equal(n, 0);
    /* notes */
    text = "{\"state\":{\"operationOrder\":{\"externalOrderId\":{\"_eq\":\"SALES-2\"}}}}";
    w = gql_json_parse(&a, text, strlen(text), 0, &jerr);
    assert_true(mes_where_filter(&a, STORE_E_NOTE_EVENT, w, &where, &err_msg));
    assert_int_equal(store_stream_read(f->st, STORE_STREAM_NOTES, 0, 10, where, &a, &ev, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(ev[0].seq, 2);
    /* a filter of another type is refused by the store */
    text = "{\"kind\":{\"_eq\":\"PROCESS\"}}";
    w = gql_json_parse(&a, text, strlen(text), 0, &jerr);
    assert_true(mes_where_filter(&a, STORE_E_OPERATION, w, &where, &err_msg));
    assert_int_equal(store_stream_read(f->st, STORE_STREAM_NOTES, 0, 10, where, &a, &ev, &n, &err), STORE_EINPUT);
    gql_arena_free(&a);
}

/* Every field of the payload types' bool_exp is known to the store, objects as objects. */
static void bool_exp_fields_all_supported(void **state) {
    (void)state;
    gql_schema *s = read_schema();
    static const struct { const char *type; store_entity e; } types[] = {
        {"OperationOrderComplete_bool_exp", STORE_E_OPERATION_ORDER_COMPLETE},
        {"OperationSummary_bool_exp", STORE_E_OPERATION_SUMMARY},
        {"State_bool_exp", STORE_E_STATE},
        {"NoteEvent_bool_exp", STORE_E_NOTE_EVENT},
        {"NoteType_bool_exp", STORE_E_NOTE_TYPE},
        {"NoteState_bool_exp", STORE_E_NOTE_STATE},
        {"Station_bool_exp", STORE_E_STATE_STATION},
        {"Station_bool_exp", STORE_E_NOTE_STATION},
        {"Operator_bool_exp", STORE_E_STATE_OPERATOR},
        {"Operator_bool_exp", STORE_E_NOTE_OPERATOR},
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        const gql_type *t = gql_schema_type(s, types[i].type);
        assert_non_null(t);
        for (uint32_t k = 0; k < t->input_field_count; k++) {
            const char *name = t->input_fields[k].name;
            if (name[0] == '_') continue;
            store_filter_field fi;
            if (!store_filter_field_info(types[i].e, name, &fi)) fail_msg("%s.%s is not filterable", types[i].type, name);
            const gql_type *ft = gql_named_type(t->input_fields[k].type);
            assert_int_equal(fi.object, strstr(ft->name, "_bool_exp") != NULL);
        }
    }
    gql_schema_free(s);
}

/* ---- notes ---- */

static void note_fields(void **state) {
    fixture *f = *state;
    expect(f,
           "{ noteEvents { seq at id externalId text metadata images eventType type { id name } "
           "state { operationOrder { id externalOrderId } operation { id } station { id name processes { id } } "
           "operator { id name } } } }",
           "{\"data\":{\"noteEvents\":["
           "{\"seq\":1,\"at\":\"1970-01-01T00:00:02.000Z\",\"id\":\"n1\",\"externalId\":\"ext-1\","
           "\"text\":\"Scratched housing\",\"metadata\":{\"k\":[1,2]},\"images\":[\"a.png\",\"b.png\"],"
           "\"eventType\":\"created\",\"type\":{\"id\":\"1\",\"name\":\"Quality\"},\"state\":{\"operationOrder\":{"
           "\"id\":\"4\",\"externalOrderId\":\"SALES-1\"},\"operation\":{\"id\":\"battery_pack_install\"},"
           "\"station\":{\"id\":\"bench_1\",\"name\":\"Bench 1: electronics\",\"processes\":[{\"id\":"
           "\"scanner_board_assembly\"},{\"id\":\"battery_pack_install\"}]},\"operator\":{\"id\":\"2\","
           "\"name\":\"Bob\"}}},"
           "{\"seq\":2,\"at\":\"1970-01-01T00:00:03.000Z\",\"id\":\"n2\",\"externalId\":\"ext-2\",\"text\":null,"
           "\"metadata\":null,\"images\":null,\"eventType\":\"created\",\"type\":null,\"state\":{\"operationOrder\":{"
           "\"id\":\"6\",\"externalOrderId\":\"SALES-2\"},\"operation\":{\"id\":\"cradle_assembly\"},"
           "\"station\":null,\"operator\":null}}]}}");
}

static void note_filters(void **state) {
    fixture *f = *state;
    static const struct { const char *where, *want; } cases[] = {
        {"{ type: { name: { _eq: \"Quality\" } } }", "[{\"seq\":1}]"},
        {"{ type: { id: { _eq: \"1\" } } }", "[{\"seq\":1}]"},
        {"{ state: { operationOrder: { externalOrderId: { _eq: \"SALES-2\" } } } }", "[{\"seq\":2}]"},
        {"{ state: { operationOrder: { operation: { externalId: { _eq: \"PRC-110-2\" } } } } }", "[{\"seq\":1}]"},
        {"{ state: { operation: { id: { _eq: \"CRADLE_ASSEMBLY\" } } } }", "[{\"seq\":2}]"},
        {"{ state: { station: { id: { _eq: \"bench_1\" } } } }", "[{\"seq\":1}]"},
        {"{ state: { station: { id: { _is_null: true } } } }", "[{\"seq\":2}]"},
        {"{ state: { operator: { name: { _eq: \"Bob\" } } } }", "[{\"seq\":1}]"},
        {"{ state: { operator: { id: { _eq: \"2\" } } } }", "[{\"seq\":1}]"},
        {"{ text: { _like: \"%housing\" } }", "[{\"seq\":1}]"},
        {"{ text: { _is_null: true } }", "[{\"seq\":2}]"},
        {"{ id: { _eq: \"n2\" } }", "[{\"seq\":2}]"},
        {"{ externalId: { _in: [\"ext-1\", \"ext-2\"] } }", "[{\"seq\":1},{\"seq\":2}]"},
        {"{ eventType: { _neq: \"created\" } }", "[]"},
        {"{ seq: { _gt: 1 } }", "[{\"seq\":2}]"},
        {"{ at: { _lt: \"1970-01-01T00:00:03.000Z\" } }", "[{\"seq\":1}]"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char q[512], want[256];
        snprintf(q, sizeof q, "{ noteEvents(where: %s) { seq } }", cases[i].where);
        snprintf(want, sizeof want, "{\"data\":{\"noteEvents\":%s}}", cases[i].want);
        expect(f, q, want);
    }
    expect(f, "{ noteEvents(afterSeq: 1) { seq } }", "{\"data\":{\"noteEvents\":[{\"seq\":2}]}}");
    expect(f, "{ noteEvents(limit: 1) { seq } }", "{\"data\":{\"noteEvents\":[{\"seq\":1}]}}");
}

/* Lists of completions and notes: their operations, orders and stations load once for all. */
static void events_one_statement_per_level(void **state) {
    fixture *f = *state;
    const char *q[2] = {"{ operationOrderCompletes(%s) { operation { id steps { id } } endState { station { "
                        "processes { id } } } } noteEvents(%s) { state { operationOrder { id parent { id } } "
                        "operation { id } station { processes { id } } } } }"};
    char doc[512];
    uint64_t cost[2];
    const char *args[2] = {"limit: 1", "limit: 100"};
    for (int round = 0; round < 2; round++) {
        snprintf(doc, sizeof doc, q[0], args[round], args[round]);
        uint64_t before = reads(f);
        char *r = run(f, doc);
        cost[round] = reads(f) - before;
        assert_null(strstr(r, "\"errors\""));
        free(r);
    }
    assert_int_equal(cost[0], cost[1]);
}

/* ---- a subscription with a where, replaying and then live, through the bus ---- */

typedef struct append_job { test_mes *t; const char *payload; int *done; } append_job;

static int append_run(store_tx *tx, void *arg, store_err *err) {
    append_job *j = arg;
    int64_t seq;
    return store_tx_append_event(tx, STORE_STREAM_COMPLETES, "1", j->payload, &seq, err);
}
static void append_done(void *arg, const store_err *err) {
    append_job *j = arg;
    assert_int_equal(err->code, STORE_OK);
    (*j->done)++;
}

static void subscription_replays_with_where(void **state) {
    (void)state;
    test_mes t;
    test_mes_open(&t, NULL);
    store_err err = {0};
    bool loaded;
    assert_int_equal(mes_demo_load(t.st, &loaded, &err), 0);
    seed_all(t.st);
    static test_sink s;
    memset(&s, 0, sizeof s);
    test_subscribe(&t, &s,
                   "subscription($after: Int) { operationOrderCompletesStream(where: { operation: { externalId: "
                   "{ _eq: \"PROD-101\" } } }, afterSeq: $after) { seq order: externalOrderId "
                   "operationSummary { endState { producedSerial } } } }",
                   "{\"after\": 0}");
    /* live completions while the replay runs: one matches, one does not */
    int done = 0;
    append_job j1 = {&t, completes[2], &done}, j2 = {&t, completes[0], &done};
    assert_int_equal(store_submit(t.st, append_run, append_done, &j1), STORE_OK);
    assert_int_equal(store_submit(t.st, append_run, append_done, &j2), STORE_OK);
    TEST_RUN_UNTIL(&t, done == 2 && s.count == 2);
    for (int i = 0; i < 200; i++) uv_run(&t.loop, UV_RUN_NOWAIT);   /* nothing more comes */
    assert_int_equal(s.count, 2);
    assert_string_equal(s.msgs[0], "{\"data\":{\"operationOrderCompletesStream\":{\"seq\":3,\"order\":\"SALES-1\","
                                   "\"operationSummary\":{\"endState\":{\"producedSerial\":\"SN-1\"}}}}}");
    assert_string_equal(s.msgs[1], "{\"data\":{\"operationOrderCompletesStream\":{\"seq\":5,\"order\":\"SALES-1\","
                                   "\"operationSummary\":{\"endState\":{\"producedSerial\":\"SN-1\"}}}}}");
    /* a refused where is a request error */
    mes_doc *d = test_doc(t.m, "subscription { noteEventsStream(where: { text: { _eq: null } }) { seq } }");
    gql_buf eb;
    gql_buf_init(&eb);
    static test_sink s2;
    memset(&s2, 0, sizeof s2);
    assert_null(mes_subscribe(t.m, &test_admin, d, NULL, NULL, &test_sink_fns, &s2, &eb));
    assert_non_null(strstr(eb.data, "BAD_INPUT"));
    gql_buf_free(&eb);
    mes_doc_release(d);
    test_sink_clear(&s);
    mes_unsubscribe(s.sub);
    test_mes_close(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(order_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(order_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(work_order_queue, setup, teardown),
        cmocka_unit_test_setup_teardown(operators_list, setup, teardown),
        cmocka_unit_test_setup_teardown(orders_one_statement_per_level, setup, teardown),
        cmocka_unit_test_setup_teardown(order_value, setup, teardown),
        cmocka_unit_test_setup_teardown(guide_subscription_renders, setup, teardown),
        cmocka_unit_test_setup_teardown(complete_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(complete_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(stream_read_with_where, setup, teardown),
        cmocka_unit_test(bool_exp_fields_all_supported),
        cmocka_unit_test_setup_teardown(note_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(note_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(events_one_statement_per_level, setup, teardown),
        cmocka_unit_test(subscription_replays_with_where),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
