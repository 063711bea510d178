/* test_mes_domain.c: the domain of the MES service (src/mes): scalars,
 * `where` filters, the resolvers and their one-statement-per-level batches,
 * deploy planners, roles and the demo factory, run as real GraphQL
 * documents against the API's schema over a real SQLite store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain.h"
#include "mes_schema.h"
#include "test_store_util.h"
#include "test_util.h"
#include "time_util.h"

/* ---- the fixture: a store with the demo factory, the API's schema ---- */

typedef struct fixture {
    test_db db;
    store *st;
    gql_schema *schema;
    mes_principal who;
} fixture;

/* The API's schema with the domain's read side bound (the mutations need a
 * service: test_mes_service.c runs them through mes_open). */
static gql_schema *domain_schema(void) {
    gql_schema *s = test_build_schema((const char *)mes_schema_sdl, mes_schema_sdl_len);
    char err[256];
    if (!mes_bind_scalars(s, err, sizeof err) || !mes_bind_operations(s, err, sizeof err) ||
        !mes_bind_stations(s, err, sizeof err) || !mes_bind_query(s, err, sizeof err))
        fail_msg("binding: %s", err);
    return s;
}

static fixture *fixture_new(bool demo) {
    fixture *f = calloc(1, sizeof *f);
    test_db_make(&f->db);
    f->st = test_open(&f->db, NULL);
    f->schema = domain_schema();
    f->who.role = MES_ROLE_ADMIN;
    if (demo) {
        bool loaded = false;
        store_err err = {0};
        assert_int_equal(mes_demo_load(f->st, &loaded, &err), 0);
        assert_true(loaded);
    }
    return f;
}

static void fixture_free(fixture *f) {
    gql_schema_free(f->schema);
    store_close(f->st);
    test_db_remove(&f->db);
    free(f);
}

/* Runs a query (variables as JSON text or NULL); the response, malloc'ed. */
static char *run(fixture *f, const char *query, const char *vars) {
    gql_arena pa;
    gql_arena_init(&pa, 0);
    gql_errors errs;
    gql_errors_init(&errs, &pa);
    bool syntax = false;
    gql_prepared *p = gql_prepare(f->schema, query, strlen(query), NULL, &errs, &syntax);
    if (!p) {
        /* validation errors as a response, so tests can look at them */
        gql_buf b;
        gql_buf_init(&b);
        gql_buf_puts(&b, "{\"errors\":[");
        for (gql_error *e = errs.head; e; e = e->next) {
            if (e != errs.head) gql_buf_putc(&b, ',');
            gql_json_write_string(&b, e->message, strlen(e->message));
        }
        gql_buf_puts(&b, "]}");
        char *r = strndup(b.data, b.len);
        gql_buf_free(&b);
        gql_arena_free(&pa);
        return r;
    }
    gql_arena a;
    gql_arena_init(&a, 0);
    const gql_val *v = NULL;
    if (vars) {
        const char *jerr = NULL;
        v = gql_json_parse(&a, vars, strlen(vars), 0, &jerr);
        if (!v) fail_msg("bad JSON %s: %s", vars, jerr);
    }
    mes_ctx ctx = {.st = f->st, .who = &f->who, .arena = &a};
    gql_exec_request req = {.doc = p, .variables = v, .context = &ctx, .arena = &a};
    gql_buf out;
    gql_buf_init(&out);
    gql_execute(&req, &out);
    char *r = strndup(out.data, out.len);
    gql_buf_free(&out);
    gql_arena_free(&a);
    gql_prepared_free(p);
    gql_arena_free(&pa);
    return r;
}

static void expect(fixture *f, const char *query, const char *vars, const char *want) {
    char *got = run(f, query, vars);
    if (strcmp(got, want) != 0) fail_msg("%s\n  got:  %s\n  want: %s", query, got, want);
    free(got);
}

/* the response contains `part` */
static void expect_has(fixture *f, const char *query, const char *vars, const char *part) {
    char *got = run(f, query, vars);
    if (!strstr(got, part)) fail_msg("%s\n  got:  %s\n  want a part: %s", query, got, part);
    free(got);
}

static uint64_t reads(fixture *f) {
    store_metrics m;
    store_get_metrics(f->st, &m);
    return m.read_statements;
}

/* ---- Time ---- */

static void time_round_trip(void **state) {
    (void)state;
    int64_t ms;
    char text[MES_TIME_TEXT_MAX];
    assert_true(mes_time_parse("2026-11-26T20:03:50.123Z", 24, &ms));
    assert_int_equal(ms, 1795723430123LL);
    assert_true(mes_time_format(ms, text));
    assert_string_equal(text, "2026-11-26T20:03:50.123Z");
    /* offsets, lower case, fractions of any length (truncated), none */
    static const struct { const char *in, *out; } cases[] = {
        {"2026-11-26T22:03:50.123+02:00", "2026-11-26T20:03:50.123Z"},
        {"2026-11-26t15:33:50.1239999-04:30", "2026-11-26T20:03:50.123Z"},
        {"2026-11-26T20:03:50z", "2026-11-26T20:03:50.000Z"},
        {"2026-11-26T20:03:50.5Z", "2026-11-26T20:03:50.500Z"},
        {"1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000Z"},
        {"1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z"},
        {"2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000Z"},
        {"2000-02-29T23:59:59Z", "2000-02-29T23:59:59.000Z"},
        {"0000-01-01T00:00:00Z", "0000-01-01T00:00:00.000Z"},
        {"9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (!mes_time_parse(cases[i].in, strlen(cases[i].in), &ms)) fail_msg("refused %s", cases[i].in);
        assert_true(mes_time_format(ms, text));
        assert_string_equal(text, cases[i].out);
    }
    static const char *const bad[] = {
        "", "2026-11-26", "2026-11-26T20:03:50", "2026-11-26 20:03:50Z", "2026-13-01T00:00:00Z",
        "2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-11-26T24:00:00Z",
        "2026-11-26T20:60:00Z", "2026-12-31T23:59:60Z", "2026-11-26T20:03:50.Z", "2026-11-26T20:03:50.123",
        "2026-11-26T20:03:50+0200", "2026-11-26T20:03:50+24:00", "2026-11-26T20:03:50Zjunk", "26-11-26T20:03:50Z",
        "2026-1-26T20:03:50Z", "yesterday", "1795723430123",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (mes_time_parse(bad[i], strlen(bad[i]), &ms)) fail_msg("accepted %s", bad[i]);
    assert_false(mes_time_format(253402300800000LL, text));   /* year 10000 */
    assert_false(mes_time_format(-62167219200001LL, text));   /* before year 0 */
}

/* Time, URL and JSON through the engine: literals and variables coerce or are refused. */
static void scalars_in_documents(void **state) {
    fixture *f = *state;
    expect(f, "{ operations(where: { updatedAt: { _lt: \"2000-01-01T00:00:00+01:00\" } }) { id } }", NULL,
           "{\"data\":{\"operations\":[]}}");
    expect_has(f, "{ operations(where: { updatedAt: { _gt: \"2000-01-01T00:00:00Z\" } }, limit: 1) { id } }", NULL,
               "{\"data\":{\"operations\":[{\"id\":\"battery_pack_install\"}]}}");
    expect_has(f, "{ operations(where: { updatedAt: { _gt: \"yesterday\" } }) { id } }", NULL,
               "Expected value of type \\\"Time\\\", found \\\"yesterday\\\"; Time cannot represent value: "
               "\\\"yesterday\\\"; expected an RFC 3339 date-time");
    expect_has(f, "query($t: Time) { operations(where: { updatedAt: { _gt: $t } }) { id } }", "{\"t\": 12}",
               "Variable \\\"$t\\\" got invalid value 12; Expected type \\\"Time\\\". Time cannot represent value: 12");
    /* the output form: RFC 3339 UTC with milliseconds */
    char *got = run(f, "{ operation(id: \"PROD_101\") { updatedAt archivedAt } }", NULL);
    int64_t ms;
    char *at = strstr(got, "\"updatedAt\":\"");
    assert_non_null(at);
    assert_true(mes_time_parse(at + 13, 24, &ms));
    assert_non_null(strstr(got, "\"archivedAt\":null"));
    free(got);
}

static void url_scalar(void **state) {
    (void)state;
    gql_schema *s = domain_schema();
    const gql_type *url = gql_schema_type(s, "URL");
    assert_non_null(url);
    gql_arena a;
    gql_arena_init(&a, 0);
    static const char *const good[] = {"http://erp.example/hook", "HTTPS://erp.example:8443/x?y#z",
                                       "https://user:pw@10.0.0.1/"};
    static const char *const bad[] = {"ftp://x/", "http://", "https:///path", "erp.example/hook", "http://a b/",
                                      "http://:80/", "/relative"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        const char *err = NULL;
        assert_non_null(url->parse(gql_val_string(&a, good[i], strlen(good[i])), &a, &err, url->scalar_ud));
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *err = NULL;
        if (url->parse(gql_val_string(&a, bad[i], strlen(bad[i])), &a, &err, url->scalar_ud))
            fail_msg("accepted %s", bad[i]);
        assert_non_null(strstr(err, "expected an absolute http or https URL"));
    }
    const char *err = NULL;
    assert_null(url->parse(gql_val_int(&a, 3), &a, &err, url->scalar_ud));
    gql_arena_free(&a);
    gql_schema_free(s);
}

/* ---- where ---- */

/* Every field of the SDL's Operation, SubOperation and Station filters is
 * one the store can filter on. */
static void bool_exp_fields_all_supported(void **state) {
    (void)state;
    gql_schema *s = domain_schema();
    static const struct { const char *type; store_entity e; } types[] = {
        {"Operation_bool_exp", STORE_E_OPERATION},
        {"SubOperation_bool_exp", STORE_E_SUB_OPERATION},
        {"Station_bool_exp", STORE_E_STATION},
        {"Operator_bool_exp", STORE_E_OPERATOR},
        {"OperationOrder_bool_exp", STORE_E_OPERATION_ORDER},
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

static void where_operators(void **state) {
    fixture *f = *state;
    static const struct { const char *where, *ids; } cases[] = {
        {"{ id: { _eq: \"PROD_101\" } }", "[{\"id\":\"prod_101\"}]"},
        {"{ id: { _in: [\"prod_101\", \"PROD_205\", \"nope\"] } }", "[{\"id\":\"prod_101\"},{\"id\":\"prod_205\"}]"},
        {"{ kind: { _eq: PRODUCT } }", "[{\"id\":\"prod_101\"},{\"id\":\"prod_205\"}]"},
        {"{ kind: { _neq: PROCESS } }", "[{\"id\":\"prod_101\"},{\"id\":\"prod_205\"},{\"id\":\"sub_scanner_core\"}]"},
        {"{ kind: { _in: [SUBASSEMBLY] } }", "[{\"id\":\"sub_scanner_core\"}]"},
        {"{ kind: { _nin: [PROCESS, PRODUCT] } }", "[{\"id\":\"sub_scanner_core\"}]"},
        {"{ externalId: { _like: \"PROD-%\" } }", "[{\"id\":\"prod_101\"},{\"id\":\"prod_205\"}]"},
        {"{ externalId: { _gt: \"PRC-900\" } }", "[{\"id\":\"prod_101\"},{\"id\":\"prod_205\"},{\"id\":\"sub_scanner_core\"}]"},
        {"{ externalId: { _gte: \"PRC-900\" }, kind: { _eq: PROCESS } }", "[{\"id\":\"label_and_pack\"}]"},
        {"{ externalId: { _lt: \"PRC-110-1\" } }", "[{\"id\":\"scanner_final_assembly\"}]"},
        {"{ externalId: { _lte: \"PRC-110-1\" } }",
         "[{\"id\":\"scanner_board_assembly\"},{\"id\":\"scanner_final_assembly\"}]"},
        /* a product's producesSerial is derived (its last process's), in filters too */
        {"{ producesSerial: { _eq: true } }",
         "[{\"id\":\"cradle_assembly\"},{\"id\":\"prod_101\"},{\"id\":\"scanner_final_assembly\"}]"},
        {"{ producesSerial: { _neq: true }, kind: { _neq: PROCESS } }",
         "[{\"id\":\"prod_205\"},{\"id\":\"sub_scanner_core\"}]"},
        {"{ name: { _nin: [\"Handheld scanner\"] }, kind: { _eq: PRODUCT } }", "[{\"id\":\"prod_205\"}]"},
        {"{ archivedAt: { _is_null: false } }", "[]"},
        {"{ templateID: { _is_null: true }, id: { _eq: \"packing_x\" } }", "[]"},
        {"{ seq: { _lte: 1 } }", "[{\"id\":\"scanner_board_assembly\"}]"},
        {"{ _or: [{ id: { _eq: \"prod_101\" } }, { externalRevision: { _eq: \"B\" } }] }",
         "[{\"id\":\"cradle_assembly\"},{\"id\":\"prod_101\"},{\"id\":\"prod_205\"}]"},
        {"{ _and: [{ kind: { _eq: PROCESS } }, { _not: { producesSerial: { _eq: true } } }, "
         "{ externalRevision: { _neq: \"C\" } }] }",
         "[{\"id\":\"battery_pack_install\"},{\"id\":\"scanner_board_assembly\"}]"},
        {"{ _and: [] }", "[{\"id\":\"battery_pack_install\"},{\"id\":\"cradle_assembly\"},{\"id\":\"label_and_pack\"},"
                         "{\"id\":\"prod_101\"},{\"id\":\"prod_205\"},{\"id\":\"scanner_board_assembly\"},"
                         "{\"id\":\"scanner_final_assembly\"},{\"id\":\"sub_scanner_core\"}]"},
        {"{ _or: [] }", "[]"},
        {"{ _or: { id: { _eq: \"prod_205\" } } }", "[{\"id\":\"prod_205\"}]"},   /* a single item for a list */
    };
    char q[1024], want[1024];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(q, sizeof q, "{ operations(where: %s) { id } }", cases[i].where);
        snprintf(want, sizeof want, "{\"data\":{\"operations\":%s}}", cases[i].ids);
        expect(f, q, NULL, want);
    }
    /* nested object filters on sub-operations, and their comparisons */
    expect(f, "{ subOperations(where: { parent: { externalId: { _eq: \"PROD-205\" } } }) { subId optional } }", NULL,
           "{\"data\":{\"subOperations\":[{\"subId\":\"cradle_assembly\",\"optional\":false},"
           "{\"subId\":\"label_and_pack\",\"optional\":true}]}}");
    expect(f, "{ subOperations(where: { sub: { kind: { _eq: SUBASSEMBLY } }, position: { _eq: 0 } }) { parentId } }",
           NULL, "{\"data\":{\"subOperations\":[{\"parentId\":\"prod_101\"}]}}");
    expect(f, "{ subOperations(where: { subGroup: { _eq: \"core\" }, _not: { position: { _gt: 0 } } }) { subId } }",
           NULL, "{\"data\":{\"subOperations\":[{\"subId\":\"scanner_board_assembly\"}]}}");
    expect(f, "{ subOperations(where: { parent: { _or: [{ id: { _eq: \"prod_205\" } }] }, optional: { _eq: true } }) "
              "{ subId } }",
           NULL, "{\"data\":{\"subOperations\":[{\"subId\":\"label_and_pack\"}]}}");
    expect(f, "{ stations(where: { name: { _like: \"Bench%\" } }) { id } }", NULL,
           "{\"data\":{\"stations\":[{\"id\":\"bench_1\"},{\"id\":\"bench_2\"}]}}");
    /* variables carry filters as well */
    expect(f, "query($w: Operation_bool_exp) { operations(where: $w) { id } }",
           "{\"w\": {\"id\": {\"_eq\": \"PROD_205\"}}}", "{\"data\":{\"operations\":[{\"id\":\"prod_205\"}]}}");
}

static void where_null_is_an_input_error(void **state) {
    fixture *f = *state;
    expect(f, "{ operations(where: { id: { _eq: null } }) { id } }", NULL,
           "{\"errors\":[{\"message\":\"Invalid where: \\\"_eq\\\" on field \\\"id\\\" was given null; only _is_null "
           "tests for null.\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"operations\"],"
           "\"extensions\":{\"code\":\"BAD_INPUT\"}}],\"data\":null}");
    expect_has(f, "query($v: String) { operations(where: { name: { _gt: $v } }) { id } }", "{\"v\": null}",
               "\"code\":\"BAD_INPUT\"");
    /* an absent variable leaves its field out (graphql-js): an empty comparison, true */
    expect_has(f, "query($v: String) { operations(where: { name: { _gt: $v } }) { id } }", "{}", "\"prod_205\"");
    expect_has(f, "{ operations(where: { id: { _in: null } }) { id } }", NULL, "only _is_null tests for null");
    expect_has(f, "{ operations(where: { _not: null }) { id } }", NULL, "\"code\":\"BAD_INPUT\"");
    expect_has(f, "{ operations(where: { _and: null }) { id } }", NULL, "\"code\":\"BAD_INPUT\"");
    expect_has(f, "{ operations(where: { kind: null }) { id } }", NULL, "\"code\":\"BAD_INPUT\"");
    expect_has(f, "{ operations(where: { archivedAt: { _is_null: null } }) { id } }", NULL, "takes true or false");
    expect_has(f, "{ subOperations(where: { parent: { id: { _neq: null } } }) { subId } }", NULL,
               "\"code\":\"BAD_INPUT\"");
    /* `where: null` is no filter at all */
    char *all = run(f, "{ operations { id } }", NULL), *none = run(f, "{ operations(where: null) { id } }", NULL);
    assert_string_equal(all, none);
    free(all);
    free(none);
}

static void where_unit(void **state) {
    (void)state;
    gql_arena a;
    gql_arena_init(&a, 0);
    const char *jerr = NULL, *msg = NULL;
    const store_filter *out = NULL;
    /* nesting deeper than the cap is refused, not recursed into */
    gql_buf b;
    gql_buf_init(&b);
    for (int i = 0; i < 100; i++) gql_buf_puts(&b, "{\"_not\":");
    gql_buf_puts(&b, "{}");
    for (int i = 0; i < 100; i++) gql_buf_putc(&b, '}');
    const gql_val *deep = gql_json_parse(&a, b.data, b.len, 0, &jerr);
    gql_buf_free(&b);
    assert_false(mes_where_filter(&a, STORE_E_OPERATION, deep, &out, &msg));
    assert_non_null(strstr(msg, "nested too deeply"));
    /* an unknown field, an unknown operator */
    const gql_val *v = gql_json_parse(&a, "{\"processes\":{}}", 16, 0, &jerr);
    assert_false(mes_where_filter(&a, STORE_E_STATION, v, &out, &msg));
    assert_non_null(strstr(msg, "not a filterable field"));
    v = gql_json_parse(&a, "{\"id\":{\"_ilike\":\"x\"}}", 21, 0, &jerr);
    assert_false(mes_where_filter(&a, STORE_E_STATION, v, &out, &msg));
    /* the streams without a store entity refuse a filter rather than ignore it */
    v = gql_json_parse(&a, "{}", 2, 0, &jerr);
    assert_false(mes_where_filter(&a, STORE_E_COUNT, v, &out, &msg));
    assert_non_null(strstr(msg, "cannot be filtered"));
    /* absent and null: no filter */
    assert_true(mes_where_filter(&a, STORE_E_STATION, NULL, &out, &msg));
    assert_null(out);
    assert_true(mes_where_filter(&a, STORE_E_STATION, gql_val_null(&a), &out, &msg));
    assert_null(out);
    /* a tree the store accepts: ids are lower-cased, times are TIME values */
    const char *tree = "{\"id\":{\"_eq\":\"AbC\",\"_in\":[\"X\"]},\"updatedAt\":{\"_gt\":5}}";
    v = gql_json_parse(&a, tree, strlen(tree), 0, &jerr);
    assert_non_null(v);
    assert_true(mes_where_filter(&a, STORE_E_OPERATION, v, &out, &msg));
    assert_int_equal(out->kind, STORE_F_AND);
    assert_int_equal(out->nchildren, 2);
    const store_filter *id = out->children[0];
    assert_int_equal(id->kind, STORE_F_AND);
    assert_string_equal(id->children[0]->values[0].s, "abc");
    assert_int_equal(id->children[1]->op, STORE_IN);
    assert_string_equal(id->children[1]->values[0].s, "x");
    assert_int_equal(out->children[1]->values[0].kind, STORE_V_TIME);
    store_err err = {0};
    assert_int_equal(store_filter_check(STORE_E_OPERATION, out, &err), 0);
    gql_arena_free(&a);
}

/* ---- resolvers ---- */

static void operation_fields(void **state) {
    fixture *f = *state;
    expect(f,
           "{ operation(id: \"Prod_101\") { id externalId externalRevision externalCodes name templateID variantName "
           "kind producesSerial seq consumedSerials { id name externalId value } "
           "subOperations { parentId subId subGroup position optional sub { name kind } parent { id } } } }",
           NULL,
           "{\"data\":{\"operation\":{\"id\":\"prod_101\",\"externalId\":\"PROD-101\",\"externalRevision\":\"A\","
           "\"externalCodes\":[\"PROD-101\"],\"name\":\"Handheld scanner\",\"templateID\":null,\"variantName\":null,"
           "\"kind\":\"PRODUCT\",\"producesSerial\":true,\"seq\":7,\"consumedSerials\":["
           "{\"id\":\"main_board_sn\",\"name\":\"Main board serial\",\"externalId\":\"PCB-4410\",\"value\":null},"
           "{\"id\":\"scan_engine_sn\",\"name\":\"Scan engine serial\",\"externalId\":\"SE-4710\",\"value\":null},"
           "{\"id\":\"battery_pack_sn\",\"name\":\"Battery pack serial\",\"externalId\":\"BAT-3400\",\"value\":null},"
           "{\"id\":\"trigger_board_sn\",\"name\":\"Trigger board serial\",\"externalId\":\"TRG-120\",\"value\":null}],"
           "\"subOperations\":["
           "{\"parentId\":\"prod_101\",\"subId\":\"sub_scanner_core\",\"subGroup\":null,\"position\":0,"
           "\"optional\":false,\"sub\":{\"name\":\"Scanner core module\",\"kind\":\"SUBASSEMBLY\"},"
           "\"parent\":{\"id\":\"prod_101\"}},"
           "{\"parentId\":\"prod_101\",\"subId\":\"scanner_final_assembly\",\"subGroup\":null,\"position\":1,"
           "\"optional\":false,\"sub\":{\"name\":\"Final assembly and test\",\"kind\":\"PROCESS\"},"
           "\"parent\":{\"id\":\"prod_101\"}}]}}}");
    /* a product's producesSerial is its last process's, through subassemblies */
    expect(f, "{ operations(where: { kind: { _neq: PROCESS } }) { id producesSerial } }", NULL,
           "{\"data\":{\"operations\":[{\"id\":\"prod_101\",\"producesSerial\":true},"
           "{\"id\":\"prod_205\",\"producesSerial\":false},{\"id\":\"sub_scanner_core\",\"producesSerial\":false}]}}");
    expect(f, "{ operation(id: \"cradle_assembly\") { producesSerial consumedSerials { id } steps { id name "
              "instructionText actions { id description } } } }",
           NULL,
           "{\"data\":{\"operation\":{\"producesSerial\":true,\"consumedSerials\":[{\"id\":\"psu_sn\"}],\"steps\":["
           "{\"id\":\"assemble_cradle\",\"name\":\"Assemble and test the cradle\",\"instructionText\":\"Use the cradle "
           "fixture; the contacts face the front.\",\"actions\":["
           "{\"id\":\"scan_psu\",\"description\":\"Scan the power supply's serial label.\"},"
           "{\"id\":\"fit_contacts\",\"description\":\"Press the charging contacts into the cradle until flush.\"},"
           "{\"id\":\"test_charge\",\"description\":\"Drop in the test scanner: the charge LED must turn amber within "
           "2 s.\"}]}]}}}");
    expect(f, "{ operation(id: \"no_such\") { id } }", NULL, "{\"data\":{\"operation\":null}}");
    expect(f, "{ stations { id name processes { id } } }", NULL,
           "{\"data\":{\"stations\":[{\"id\":\"bench_1\",\"name\":\"Bench 1: electronics\",\"processes\":["
           "{\"id\":\"scanner_board_assembly\"},{\"id\":\"battery_pack_install\"}]},"
           "{\"id\":\"bench_2\",\"name\":\"Bench 2: final assembly and test\",\"processes\":["
           "{\"id\":\"scanner_final_assembly\"},{\"id\":\"cradle_assembly\"}]},"
           "{\"id\":\"packing\",\"name\":\"Packing\",\"processes\":[{\"id\":\"label_and_pack\"}]}]}}");
}

static void external_codes_split(void **state) {
    fixture *f = *state;
    store_process_in p = {"multi_code", "Multi", NULL, "A-1|B-2||C", NULL, false, NULL, 0, NULL, 0};
    store_err err = {0};
    assert_int_equal(deploy_process(f->st, &p, NULL, &err), 0);
    expect(f, "{ operation(id: \"multi_code\") { externalCodes } }", NULL,
           "{\"data\":{\"operation\":{\"externalCodes\":[\"A-1\",\"B-2\",\"\",\"C\"]}}}");
    store_process_in q = {"no_code", "None", NULL, NULL, NULL, false, NULL, 0, NULL, 0};
    assert_int_equal(deploy_process(f->st, &q, NULL, &err), 0);
    expect(f, "{ operation(id: \"no_code\") { externalCodes } }", NULL,
           "{\"data\":{\"operation\":{\"externalCodes\":null}}}");
}

static void limit_and_offset(void **state) {
    fixture *f = *state;
    expect(f, "{ operations(limit: 2, offset: 1) { id } }", NULL,
           "{\"data\":{\"operations\":[{\"id\":\"cradle_assembly\"},{\"id\":\"label_and_pack\"}]}}");
    expect(f, "{ operations(limit: 0) { id } }", NULL, "{\"data\":{\"operations\":[]}}");
    expect(f, "{ operations(offset: 7) { id } }", NULL, "{\"data\":{\"operations\":[{\"id\":\"sub_scanner_core\"}]}}");
    expect(f, "{ stations(limit: 1, offset: 2) { id } }", NULL, "{\"data\":{\"stations\":[{\"id\":\"packing\"}]}}");
    expect(f, "{ subOperations(limit: 1, offset: 1) { parentId subId } }", NULL,
           "{\"data\":{\"subOperations\":[{\"parentId\":\"prod_101\",\"subId\":\"scanner_final_assembly\"}]}}");
    expect_has(f, "{ operations(limit: 2000000000) { id } }", NULL, "\"sub_scanner_core\"");   /* capped, not refused */
    expect(f, "{ operations(limit: -1) { id } }", NULL,
           "{\"errors\":[{\"message\":\"\\\"limit\\\" must not be negative (got -1).\",\"locations\":[{\"line\":1,"
           "\"column\":3}],\"path\":[\"operations\"],\"extensions\":{\"code\":\"BAD_INPUT\"}}],\"data\":null}");
    expect_has(f, "{ subOperations(offset: -5) { subId } }", NULL,
               "\\\"offset\\\" must not be negative (got -5).\",\"locations\"");
    expect_has(f, "{ stations(offset: -1) { id } }", NULL, "\"code\":\"BAD_INPUT\"");
}

/* THE N+1 RULE: the statements a query costs do not grow with its rows. */
static void children_one_statement_per_level(void **state) {
    (void)state;
    fixture *f = fixture_new(false);
    store_err err = {0};
    /* n products, each with two processes of its own (attributes, steps with
     * actions) and a shared one */
    TEST_PROCESS(shared, "shared_proc", "Shared", "PN-S");
    assert_int_equal(deploy_process(f->st, &shared, NULL, &err), 0);
    const char *q = "{ operations { id producesSerial consumedSerials { id } steps { id actions { id } } "
                    "subOperations { sub { name steps { actions { id } } } parent { id } } } "
                    "stations { processes { id steps { id } } } }";
    uint64_t cost[2];
    for (int round = 0; round < 2; round++) {
        int n = round == 0 ? 3 : 40;
        for (int i = round == 0 ? 0 : 3; i < n; i++) {
            char pa[32], pb[32], prod[32], st[32];
            snprintf(pa, sizeof pa, "proc_a_%d", i);
            snprintf(pb, sizeof pb, "proc_b_%d", i);
            snprintf(prod, sizeof prod, "prod_%d", i);
            snprintf(st, sizeof st, "station_%d", i);
            store_attr_in attrs[] = {{"sn", "Serial", "PN"}, {"sn2", "Serial 2", "PN2"}};
            store_action_in acts[] = {{"a1", "one"}, {"a2", "two"}};
            store_step_in steps[] = {{"s1", "Step 1", "t", acts, 2}, {"s2", "Step 2", "t", acts, 1}};
            store_process_in p1 = {pa, "A", NULL, "PN-A", "A", false, attrs, 2, steps, 2};
            store_process_in p2 = {pb, "B", NULL, "PN-B", "A", true, attrs, 1, steps, 1};
            assert_int_equal(deploy_process(f->st, &p1, NULL, &err), 0);
            assert_int_equal(deploy_process(f->st, &p2, NULL, &err), 0);
            store_component_in comps[] = {{pa, NULL, false}, {pb, "g", false}, {"shared_proc", "g", true}};
            store_product_in pr = {prod, "Product", "PROD", "A", STORE_KIND_PRODUCT, comps, 3};
            assert_int_equal(deploy_product(f->st, &pr, NULL, &err), 0);
            const char *sp[] = {pa, pb, "shared_proc"};
            store_station_in s = {st, "Station", sp, 3};
            assert_int_equal(deploy_station(f->st, &s, NULL, &err), 0);
        }
        uint64_t before = reads(f);
        char *r = run(f, q, NULL);
        cost[round] = reads(f) - before;
        assert_null(strstr(r, "\"errors\""));
        if (round == 1) {   /* the answer is complete: every product's three links, every process's steps */
            assert_non_null(strstr(r, "{\"id\":\"prod_39\",\"producesSerial\":false,\"consumedSerials\":[{\"id\":\"sn\"},{\"id\":\"sn2\"},"
                                      "{\"id\":\"sn\"}"));
            assert_non_null(strstr(r, "{\"id\":\"proc_a_39\",\"producesSerial\":false,\"consumedSerials\":[{\"id\":\"sn\"},{\"id\":\"sn2\"}],"
                                      "\"steps\":[{\"id\":\"s1\",\"actions\":[{\"id\":\"a1\"},{\"id\":\"a2\"}]},"
                                      "{\"id\":\"s2\",\"actions\":[{\"id\":\"a1\"}]}]"));
        }
        free(r);
    }
    /* operations, consumed attrs (processes) + tree attrs (products), steps,
     * actions, links, sub, its steps and actions, parent; stations, their
     * processes, those steps: a constant */
    print_message("statements: %llu for 3 products, %llu for 40\n", (unsigned long long)cost[0],
                  (unsigned long long)cost[1]);
    assert_int_equal(cost[0], cost[1]);
    assert_true(cost[1] <= 16);
    fixture_free(f);
}

/* An event's value resolves through the same batches. */
static void event_values(void **state) {
    fixture *f = *state;
    store_stream s;
    store_entity e;
    assert_true(mes_stream_of_field("operationsStream", &s, &e));
    assert_int_equal(s, STORE_STREAM_OPERATIONS);
    assert_int_equal(e, STORE_E_OPERATION);
    assert_true(mes_stream_of_field("subOperationsStream", &s, &e));
    assert_int_equal(s, STORE_STREAM_SUB_OPERATIONS);
    assert_int_equal(e, STORE_E_SUB_OPERATION);
    assert_true(mes_stream_of_field("operationOrderCompletesStream", &s, &e));
    assert_int_equal(s, STORE_STREAM_COMPLETES);
    assert_true(mes_stream_of_field("noteEventsStream", &s, &e));
    assert_int_equal(s, STORE_STREAM_NOTES);
    assert_false(mes_stream_of_field("operations", &s, &e));

    gql_arena a;
    gql_arena_init(&a, 0);
    store_event *ev;
    size_t n;
    store_err err = {0};
    assert_int_equal(store_stream_read(f->st, STORE_STREAM_SUB_OPERATIONS, 0, 1, NULL, &a, &ev, &n, &err), 0);
    assert_int_equal(n, 1);
    const char *doc = "subscription { subOperationsStream { parentId sub { id steps { id } } parent { name } } }";
    gql_arena ea;
    gql_arena_init(&ea, 0);
    gql_errors errs;
    gql_errors_init(&errs, &ea);
    bool syntax;
    gql_prepared *p = gql_prepare(f->schema, doc, strlen(doc), NULL, &errs, &syntax);
    assert_non_null(p);
    mes_ctx ctx = {.st = f->st, .who = &f->who, .arena = &a};
    gql_exec_request req = {.doc = p, .context = &ctx, .arena = &a};
    gql_subscription sub;
    gql_buf out;
    gql_buf_init(&out);
    assert_int_equal(gql_subscribe(&req, &sub, &out), GQL_EXEC_OK);
    gql_rv v = mes_event_value(&ctx, STORE_STREAM_SUB_OPERATIONS, &ev[0]);
    assert_int_equal(gql_execute_event(&req, &sub, &v, &out), GQL_EXEC_OK);
    assert_string_equal(out.data, "{\"data\":{\"subOperationsStream\":{\"parentId\":\"sub_scanner_core\",\"sub\":{"
                                  "\"id\":\"scanner_board_assembly\",\"steps\":[{\"id\":\"prepare_esd\"},"
                                  "{\"id\":\"fit_scan_engine\"}]},\"parent\":{\"name\":\"Scanner core module\"}}}}");
    /* completions and notes have no value until issue 4 */
    store_event none = {0};
    assert_int_equal(mes_event_value(&ctx, STORE_STREAM_NOTES, &none).kind, GQL_RV_NULL);
    assert_int_equal(mes_event_value(&ctx, STORE_STREAM_OPERATIONS, &none).kind, GQL_RV_NULL);
    gql_buf_free(&out);
    gql_prepared_free(p);
    gql_arena_free(&ea);
    gql_arena_free(&a);
}

/* ---- roles ---- */

static void roles(void **state) {
    (void)state;
    mes_principal admin = {.role = MES_ROLE_ADMIN}, erp = {.role = MES_ROLE_ERP}, op = {.role = MES_ROLE_OPERATOR};
    assert_true(mes_may(&admin, MES_PERM_READ) && mes_may(&erp, MES_PERM_READ) && mes_may(&op, MES_PERM_READ));
    assert_true(mes_may(&admin, MES_PERM_ORDER) && mes_may(&erp, MES_PERM_ORDER));
    assert_false(mes_may(&op, MES_PERM_ORDER));
    assert_true(mes_may(&admin, MES_PERM_DEPLOY));
    assert_false(mes_may(&erp, MES_PERM_DEPLOY) || mes_may(&op, MES_PERM_DEPLOY));
    assert_true(mes_may(&admin, MES_PERM_FLOOR) && mes_may(&op, MES_PERM_FLOOR));
    assert_false(mes_may(&erp, MES_PERM_FLOOR));
    assert_false(mes_may(NULL, MES_PERM_READ));
    gql_arena a;
    gql_arena_init(&a, 0);
    assert_string_equal(mes_forbidden_message(&a, &erp, "Mutation", "processCreate"),
                        "Forbidden: the erp role may not use Mutation.processCreate.");
    gql_arena_free(&a);
}

/* ---- deploy planners ---- */

typedef struct planned {
    gql_arena a;
    mes_ctx ctx;
    mes_write w;
    gql_field field;
} planned;

/* Plans one deploy from its arguments' JSON as the core would. */
static void plan(planned *p, fixture *f, const mes_principal *who, void (*fn)(mes_ctx *, const gql_val *, mes_write *),
                 const char *field, const char *args) {
    memset(p, 0, sizeof *p);
    gql_arena_init(&p->a, 0);
    const char *jerr = NULL;
    const gql_val *v = gql_json_parse(&p->a, args, strlen(args), 0, &jerr);
    if (!v) fail_msg("bad JSON %s: %s", args, jerr);
    p->ctx = (mes_ctx){.st = f->st, .who = who, .arena = &p->a};
    p->field.name = field;
    p->w.field = &p->field;
    fn(&p->ctx, v, &p->w);
}

/* Runs a planned write in its own transaction; the store's error code. */
static int run_planned(planned *p, fixture *f, store_err *err) {
    assert_non_null(p->w.run);
    return store_exec_sync(f->st, p->w.run, p->w.arg, err);
}

static void deploy_planners(void **state) {
    fixture *f = *state;
    mes_principal admin = {.role = MES_ROLE_ADMIN}, erp = {.role = MES_ROLE_ERP};
    planned p;
    store_err err = {0};

    /* a process: id lower-cased, rich text unwrapped, producesSerial false by default */
    plan(&p, f, &admin, mes_plan_process, "processCreate",
         "{\"input\":{\"process\":{\"id\":\"Solder_Check\",\"name\":\"Solder check\",\"partNumber\":\"PRC-1\","
         "\"consumedSerials\":[{\"id\":\"Board_SN\",\"name\":\"Board\",\"partNumber\":\"PCB-1\"}],"
         "\"steps\":[{\"id\":\"look\",\"name\":\"Look\",\"instructionText\":{\"text\":\"Use the loupe.\"},"
         "\"actions\":[{\"id\":\"ok\",\"description\":{\"text\":\"All joints shiny\"}}]}]}}}");
    assert_null(p.w.code);
    assert_int_equal(run_planned(&p, f, &err), 0);
    gql_arena_free(&p.a);
    expect(f, "{ operation(id: \"solder_check\") { id kind producesSerial consumedSerials { id externalId } "
              "steps { instructionText actions { description } } } }",
           NULL,
           "{\"data\":{\"operation\":{\"id\":\"solder_check\",\"kind\":\"PROCESS\",\"producesSerial\":false,"
           "\"consumedSerials\":[{\"id\":\"Board_SN\",\"externalId\":\"PCB-1\"}],\"steps\":[{\"instructionText\":"
           "\"Use the loupe.\",\"actions\":[{\"description\":\"All joints shiny\"}]}]}}}");

    /* ids that break the rule, wherever they name an object */
    static const struct { void (*fn)(mes_ctx *, const gql_val *, mes_write *); const char *args, *msg; } bad[] = {
        {mes_plan_process, "{\"input\":{\"process\":{\"id\":\"ab\",\"name\":\"x\"}}}",
         "Invalid process id \"ab\": an id is 3 to 50 characters, each a letter, a digit or an underscore."},
        {mes_plan_process, "{\"input\":{\"process\":{\"id\":\"has-dash\",\"name\":\"x\"}}}", "Invalid process id"},
        {mes_plan_process,
         "{\"input\":{\"process\":{\"id\":\"a23456789012345678901234567890123456789012345678901\",\"name\":\"x\"}}}",
         "Invalid process id"},
        {mes_plan_process, "{\"input\":{\"process\":{\"id\":\"\\u00e9t\\u00e9_1\",\"name\":\"x\"}}}",
         "Invalid process id"},
        {mes_plan_process, "{\"input\":{\"process\":{\"id\":\"okay_id\",\"name\":\"x\",\"steps\":[{\"id\":\"\","
                           "\"name\":\"s\"}]}}}",
         "Invalid step id: it must not be empty."},
        {mes_plan_product, "{\"input\":{\"product\":{\"id\":\"x y z\",\"name\":\"x\",\"components\":[]}}}",
         "Invalid product id"},
        {mes_plan_product,
         "{\"input\":{\"product\":{\"id\":\"prod_9\",\"name\":\"x\",\"components\":[{\"operationId\":\"p!\"}]}}}",
         "Invalid component id \"p!\""},
        {mes_plan_product,
         "{\"input\":{\"product\":{\"id\":\"prod_9\",\"name\":\"x\",\"kind\":\"PROCESS\",\"components\":[]}}}",
         "A product's kind is PRODUCT or SUBASSEMBLY, not PROCESS"},
        {mes_plan_product,
         "{\"input\":{\"product\":{\"id\":\"Prod_9\",\"name\":\"x\",\"components\":[{\"operationId\":\"PROD_9\"}]}}}",
         "Product prod_9 cannot contain itself."},
        {mes_plan_station, "{\"input\":{\"station\":{\"id\":\"st\",\"name\":\"x\"}}}", "Invalid station id"},
        {mes_plan_station, "{\"input\":{\"station\":{\"id\":\"st_1\",\"name\":\"x\",\"processIds\":[\"a.b\"]}}}",
         "Invalid process id \"a.b\""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        plan(&p, f, &admin, bad[i].fn, "deploy", bad[i].args);
        if (!p.w.code || strcmp(p.w.code, "BAD_INPUT") != 0) fail_msg("%s: planned", bad[i].args);
        if (!strstr(p.w.message, bad[i].msg)) fail_msg("%s: %s", bad[i].args, p.w.message);
        assert_null(p.w.run);
        gql_arena_free(&p.a);
    }

    /* only admin deploys */
    plan(&p, f, &erp, mes_plan_station, "stationCreate", "{\"input\":{\"station\":{\"id\":\"st_1\",\"name\":\"x\"}}}");
    assert_string_equal(p.w.code, "FORBIDDEN");
    assert_string_equal(p.w.message, "Forbidden: the erp role may not use Mutation.stationCreate.");
    assert_null(p.w.run);
    gql_arena_free(&p.a);

    /* a product that contains itself through a child: the store refuses it, nothing is written */
    plan(&p, f, &admin, mes_plan_product, "productCreate",
         "{\"input\":{\"product\":{\"id\":\"SUB_SCANNER_CORE\",\"name\":\"Loop\",\"kind\":\"SUBASSEMBLY\","
         "\"components\":[{\"operationId\":\"prod_101\"}]}}}");
    assert_null(p.w.code);
    assert_int_equal(run_planned(&p, f, &err), STORE_EINPUT);
    assert_non_null(strstr(err.message, "contain itself"));
    gql_arena_free(&p.a);
    expect(f, "{ operation(id: \"sub_scanner_core\") { name } }", NULL,
           "{\"data\":{\"operation\":{\"name\":\"Scanner core module\"}}}");

    /* a station with lower-cased process ids, and a product with groups and options */
    plan(&p, f, &admin, mes_plan_station, "stationCreate",
         "{\"input\":{\"station\":{\"id\":\"Rework\",\"name\":\"Rework\",\"processIds\":[\"SOLDER_CHECK\"]}}}");
    assert_int_equal(run_planned(&p, f, &err), 0);
    gql_arena_free(&p.a);
    plan(&p, f, &admin, mes_plan_product, "productCreate",
         "{\"input\":{\"product\":{\"id\":\"kit_1\",\"name\":\"Kit\",\"components\":[{\"operationId\":\"Solder_Check\","
         "\"group\":\"g\",\"optional\":true}]}}}");
    assert_int_equal(run_planned(&p, f, &err), 0);
    gql_arena_free(&p.a);
    expect(f, "{ stations(where: { id: { _eq: \"REWORK\" } }) { processes { id } } "
              "operation(id: \"kit_1\") { kind subOperations { subGroup optional } } }",
           NULL,
           "{\"data\":{\"stations\":[{\"processes\":[{\"id\":\"solder_check\"}]}],\"operation\":{\"kind\":\"PRODUCT\","
           "\"subOperations\":[{\"subGroup\":\"g\",\"optional\":true}]}}}");
    /* an unknown component: the store's NOT_FOUND */
    plan(&p, f, &admin, mes_plan_product, "productCreate",
         "{\"input\":{\"product\":{\"id\":\"kit_2\",\"name\":\"Kit\",\"components\":[{\"operationId\":\"ghost\"}]}}}");
    assert_int_equal(run_planned(&p, f, &err), STORE_ENOTFOUND);
    gql_arena_free(&p.a);
}

/* ---- demo ---- */

static void demo_loads_once(void **state) {
    (void)state;
    fixture *f = fixture_new(true);
    char *first = run(f, "{ operations { id seq updatedAt } stations { id } subOperations { seq } }", NULL);
    bool loaded = true;
    store_err err = {0};
    assert_int_equal(mes_demo_load(f->st, &loaded, &err), 0);
    assert_false(loaded);
    char *second = run(f, "{ operations { id seq updatedAt } stations { id } subOperations { seq } }", NULL);
    assert_string_equal(first, second);
    free(first);
    free(second);
    /* the factory the issue asks for */
    expect(f, "{ operations(where: { kind: { _eq: PROCESS } }) { id } }", NULL,
           "{\"data\":{\"operations\":[{\"id\":\"battery_pack_install\"},{\"id\":\"cradle_assembly\"},"
           "{\"id\":\"label_and_pack\"},{\"id\":\"scanner_board_assembly\"},{\"id\":\"scanner_final_assembly\"}]}}");
    expect(f, "{ operations(where: { externalId: { _eq: \"PROD-101\" } }) { externalRevision name "
              "subOperations { sub { kind } } } }",
           NULL,
           "{\"data\":{\"operations\":[{\"externalRevision\":\"A\",\"name\":\"Handheld scanner\",\"subOperations\":["
           "{\"sub\":{\"kind\":\"SUBASSEMBLY\"}},{\"sub\":{\"kind\":\"PROCESS\"}}]}]}}");
    /* every process has steps with actions and serials to capture; every id follows the rule */
    gql_arena a;
    gql_arena_init(&a, 0);
    store_operation *ops;
    size_t n;
    assert_int_equal(store_operations_list(f->st, NULL, -1, 0, &a, &ops, &n, &err), 0);
    assert_int_equal(n, 8);
    for (size_t i = 0; i < n; i++) {
        assert_true(mes_id_valid(ops[i].id, strlen(ops[i].id)));
        if (ops[i].kind != STORE_KIND_PROCESS) continue;
        store_steps steps;
        store_attributes attrs;
        assert_int_equal(store_steps_of(f->st, &ops[i].id, 1, &a, &steps, &err), 0);
        assert_true(steps.count >= 1);
        assert_int_equal(store_consumed_attrs_of(f->st, &ops[i].id, 1, &a, &attrs, &err), 0);
        assert_true(attrs.count >= 1);
        store_actions acts;
        assert_int_equal(store_actions_of(f->st, &steps.items[0].key, 1, &a, &acts, &err), 0);
        assert_true(acts.count >= 1);
    }
    gql_arena_free(&a);
    fixture_free(f);
}

static int setup_demo(void **state) {
    *state = fixture_new(true);
    return 0;
}
static int teardown(void **state) {
    fixture_free(*state);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(time_round_trip),
        cmocka_unit_test(url_scalar),
        cmocka_unit_test(bool_exp_fields_all_supported),
        cmocka_unit_test(where_unit),
        cmocka_unit_test(roles),
        cmocka_unit_test_setup_teardown(scalars_in_documents, setup_demo, teardown),
        cmocka_unit_test_setup_teardown(where_operators, setup_demo, teardown),
        cmocka_unit_test_setup_teardown(where_null_is_an_input_error, setup_demo, teardown),
        cmocka_unit_test_setup_teardown(operation_fields, setup_demo, teardown),
        cmocka_unit_test_setup_teardown(external_codes_split, setup_demo, teardown),
        cmocka_unit_test_setup_teardown(limit_and_offset, setup_demo, teardown),
        cmocka_unit_test(children_one_statement_per_level),
        cmocka_unit_test_setup_teardown(event_values, setup_demo, teardown),
        cmocka_unit_test_setup_teardown(deploy_planners, setup_demo, teardown),
        cmocka_unit_test(demo_loads_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
