/*
 * test_execute.c: execution against graphql-js's answers. The table of
 * data/execute_expected.json (inputs in data/execute_cases.cjs, answers made by
 * data/gen_execute_cases.cjs with graphql-js) runs over a JSON root value with
 * a few resolvers bound in C (the same ones the generator binds in JS); the
 * other tests cover C resolvers with opaque objects, subscriptions, prepared
 * documents and the plan cache.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gql.h"
#include "test_util.h"

/* ---- helpers ------------------------------------------------------------------ */

static gql_prepared *prepare(gql_schema *s, const char *query) {
    gql_arena a;
    gql_arena_init(&a, 0);
    gql_errors errs;
    gql_errors_init(&errs, &a);
    bool syntax = false;
    gql_prepared *p = gql_prepare(s, query, strlen(query), NULL, &errs, &syntax);
    if (!p) {
        for (gql_error *e = errs.head; e; e = e->next) fprintf(stderr, "prepare: %s\n", e->message);
        fail_msg("cannot prepare %s", query);
    }
    gql_arena_free(&a);
    return p;
}

static const gql_val *json(gql_arena *a, const char *text) {
    if (!text) return NULL;
    const char *err = NULL;
    const gql_val *v = gql_json_parse(a, text, strlen(text), 0, &err);
    if (!v) fail_msg("bad JSON %s: %s", text, err);
    return v;
}

/* Execute and return the response (malloc'ed) and the status. The prepared
 * document is executed three times (each time with a fresh arena, and a
 * counter context reset): what it caches in itself must not change the answer. */
static char *run(gql_schema *s, const char *query, const char *op, const char *vars, gql_rv root, void *context,
                 gql_exec_status *status) {
    gql_prepared *p = prepare(s, query);
    char *first = NULL;
    for (int round = 0; round < 3; round++) {
        gql_arena a;
        gql_arena_init(&a, 0);
        if (context) *(int *)context = 0;
        gql_exec_request req = {.doc = p, .operation_name = op, .variables = json(&a, vars), .root = root,
                                .context = context, .arena = &a};
        gql_buf out;
        gql_buf_init(&out);
        gql_exec_status st = gql_execute(&req, &out);
        if (status) *status = st;
        assert_true(out.data && out.data[out.len] == 0);   /* the response is NUL-terminated */
        char *r = strndup(out.data, out.len);
        gql_buf_free(&out);
        gql_arena_free(&a);
        if (!first) {
            first = r;
        } else {
            if (strcmp(r, first) != 0) fprintf(stderr, "round %d of %s:\n  got:  %s\n  first: %s\n", round, query, r, first);
            assert_string_equal(r, first);
            free(r);
        }
    }
    gql_prepared_free(p);
    return first;
}

/* ---- the table against graphql-js ---------------------------------------------- */

static gql_rv echo_args(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src;
    gql_buf b;
    gql_buf_init(&b);
    gql_json_write_val(&b, args);
    char *s = gql_arena_strndup(info->arena, b.data, b.len);
    gql_buf_free(&b);
    return gql_rv_str(s, (uint32_t)strlen(s));
}
static gql_rv fail_boom(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src, (void)args, (void)info;
    return gql_rv_error("boom", "BOOM");
}
static gql_rv fail_list(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src, (void)args;
    gql_rv r = {.kind = GQL_RV_LIST};
    r.u.list.items = gql_arena_alloc(info->arena, 3 * sizeof(gql_rv));
    r.u.list.items[0] = gql_rv_str("a", 1);
    r.u.list.items[1] = gql_rv_error("item", NULL);
    r.u.list.items[2] = gql_rv_str("c", 1);
    r.u.list.count = 3;
    return r;
}
static gql_rv mutation_inc(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src, (void)args;
    int *counter = info->context;
    return gql_rv_int(++*counter);
}
static gql_rv mutation_fail(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src, (void)args, (void)info;
    return gql_rv_error("mutation failed", NULL);
}

static gql_schema *execute_schema(void) {
    char *sdl = test_read_data("execute_schema.graphql", NULL);
    gql_schema *s = test_build_schema(sdl, strlen(sdl));
    free(sdl);
    assert_true(gql_schema_bind(s, "Query", "echo", echo_args, NULL));
    assert_true(gql_schema_bind(s, "Query", "echoNN", echo_args, NULL));
    assert_true(gql_schema_bind(s, "Query", "fail", fail_boom, NULL));
    assert_true(gql_schema_bind(s, "Query", "failNN", fail_boom, NULL));
    assert_true(gql_schema_bind(s, "Query", "failList", fail_list, NULL));
    assert_true(gql_schema_bind(s, "Mutation", "inc", mutation_inc, NULL));
    assert_true(gql_schema_bind(s, "Mutation", "fail", mutation_fail, NULL));
    return s;
}

static const char *member_str(const gql_val *o, const char *key) {
    const gql_val *v = gql_val_get(o, key, strlen(key));
    return v && v->kind == GQL_V_STRING ? v->u.str.s : NULL;
}

static void test_graphql_js_cases(void **state) {
    (void)state;
    gql_schema *s = execute_schema();
    gql_arena a;
    gql_arena_init(&a, 0);
    char *root_text = test_read_data("execute_root.json", NULL);
    const gql_val *default_root = json(&a, root_text);
    char *cases_text = test_read_data("execute_expected.json", NULL);
    const gql_val *cases = json(&a, cases_text);
    assert_int_equal(cases->kind, GQL_V_LIST);
    assert_true(cases->u.list.count >= 30);
    int failures = 0;
    for (uint32_t i = 0; i < cases->u.list.count; i++) {
        const gql_val *c = cases->u.list.items[i];
        const char *name = member_str(c, "name"), *expected = member_str(c, "expected");
        const char *root = member_str(c, "root");
        int counter = 0;
        gql_exec_status st;
        char *got = run(s, member_str(c, "query"), member_str(c, "op"), member_str(c, "vars"),
                        gql_rv_json(root ? json(&a, root) : default_root), &counter, &st);
        gql_exec_status want = strncmp(expected, "{\"data\"", 7) == 0 ? GQL_EXEC_OK
                               : strstr(expected, "\"data\":") ? GQL_EXEC_FIELD_ERRORS
                                                               : GQL_EXEC_REQUEST_ERROR;
        if (strcmp(got, expected) != 0 || st != want) {
            fprintf(stderr, "case \"%s\" (status %d, want %d)\n  got:  %s\n  want: %s\n", name, st, want, got,
                    expected);
            failures++;
        }
        free(got);
    }
    assert_int_equal(failures, 0);
    free(root_text);
    free(cases_text);
    gql_arena_free(&a);
    gql_schema_free(s);
}

/* ---- resolvers in C over opaque objects ------------------------------------- */

typedef struct animal {
    const char *kind;   /* "dog", "cat", or anything else */
    const char *name;
} animal;

static const animal rex = {"dog", "Rex"}, tom = {"cat", "Tom"}, nemo = {"fish", "Nemo"};

static gql_rv q_pet(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src, (void)args;
    assert_string_equal(info->field->name, "pet");
    assert_string_equal(info->parent_type->name, "Query");
    assert_string_equal(info->path->key, "myPet");   /* the response key */
    assert_null(info->path->prev);
    assert_int_equal(info->field_node_count, 1);
    return gql_rv_obj(&rex, NULL);
}
static gql_rv q_pets(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src, (void)args;
    gql_rv r = {.kind = GQL_RV_LIST};
    r.u.list.items = gql_arena_alloc(info->arena, 3 * sizeof(gql_rv));
    r.u.list.items[0] = gql_rv_obj(&tom, gql_schema_type(info->schema, "Cat"));   /* typed by the resolver */
    r.u.list.items[1] = gql_rv_obj(&rex, NULL);                                   /* typed by the hook */
    r.u.list.items[2] = gql_rv_obj(&nemo, NULL);                                  /* the hook gives up */
    r.u.list.count = 3;
    return r;
}
static gql_rv animal_name(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args;
    assert_ptr_equal(info->source->u.object.obj, src);
    const animal *a = src;
    return gql_rv_str(a->name, (uint32_t)strlen(a->name));
}
static gql_rv q_count(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src;
    const gql_val *n = gql_val_get(args, "n", 1);
    assert_non_null(n);
    gql_rv r = {.kind = GQL_RV_LIST};
    r.u.list.items = gql_arena_alloc(info->arena, (size_t)(n->u.i + 1) * sizeof(gql_rv));
    for (int64_t i = 0; i < n->u.i; i++) r.u.list.items[i] = gql_rv_int(i * i);
    r.u.list.count = (uint32_t)n->u.i;
    return r;
}
static gql_rv q_secret(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src, (void)args, (void)info;
    return gql_rv_error("denied", "FORBIDDEN");
}
/* an error that says which input it concerns: extensions members after code */
static gql_rv q_refused(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src, (void)args;
    gql_val *ext = gql_val_object(info->arena, 2);
    gql_val_object_set(info->arena, ext, "attributeId", 11, gql_val_string(info->arena, "sn_1", 4));
    gql_val_object_set(info->arena, ext, "serial", 6, gql_val_string(info->arena, "A\"1", 3));
    return gql_rv_error_ext("taken", "SERIAL_ALREADY_CONSUMED", ext);
}
static const gql_type *pet_type(const gql_rv *value, const gql_type *abstract, gql_resolve_info *info) {
    assert_string_equal(abstract->name, "Pet");
    const animal *a = value->u.object.obj;
    if (strcmp(a->kind, "dog") == 0) return gql_schema_type(info->schema, "Dog");
    if (strcmp(a->kind, "cat") == 0) return gql_schema_type(info->schema, "Cat");
    return NULL;
}

static void test_c_resolvers(void **state) {
    (void)state;
    static const char sdl[] = "type Query { pet: Pet pets: [Pet!] count(n: Int!): [Int!]! secret: String refused: String\n"
                                 "  name: String }\n"
                                 "interface Pet { name: String! }\n"
                                 "type Dog implements Pet { name: String! barks: Boolean }\n"
                                 "type Cat implements Pet { name: String! }\n";
    gql_schema *s = test_build_schema(sdl, sizeof sdl - 1);
    assert_true(gql_schema_bind(s, "Query", "pet", q_pet, NULL));
    assert_true(gql_schema_bind(s, "Query", "pets", q_pets, NULL));
    assert_true(gql_schema_bind(s, "Query", "count", q_count, NULL));
    assert_true(gql_schema_bind(s, "Query", "secret", q_secret, NULL));
    assert_true(gql_schema_bind(s, "Query", "refused", q_refused, NULL));
    assert_true(gql_schema_bind(s, "Dog", "name", animal_name, NULL));
    assert_true(gql_schema_bind(s, "Cat", "name", animal_name, NULL));
    assert_true(gql_schema_bind_type_resolver(s, "Pet", pet_type));
    assert_false(gql_schema_bind(s, "Query", "nope", q_pet, NULL));

    gql_exec_status st;
    /* an opaque root without resolvers: null; Dog.barks has none either */
    char *r = run(s, "{ myPet: pet { __typename name ... on Dog { barks } } count(n: 4) name }", NULL, NULL,
                  gql_rv_obj(&rex, NULL), NULL, &st);
    assert_string_equal(r, "{\"data\":{\"myPet\":{\"__typename\":\"Dog\",\"name\":\"Rex\",\"barks\":null},"
                           "\"count\":[0,1,4,9],\"name\":null}}");
    assert_int_equal(st, GQL_EXEC_OK);
    free(r);

    /* the third pet has no type: its non-null position makes the list null */
    r = run(s, "{ pets { name } }", NULL, NULL, gql_rv_null(), NULL, &st);
    assert_string_equal(r, "{\"errors\":[{\"message\":\"Abstract type \\\"Pet\\\" must resolve to an Object type at "
                           "runtime for field \\\"Query.pets\\\". Either the \\\"Pet\\\" type should provide a "
                           "\\\"resolveType\\\" function or each possible type should provide an \\\"isTypeOf\\\" "
                           "function.\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"pets\",2]}],"
                           "\"data\":{\"pets\":null}}");
    assert_int_equal(st, GQL_EXEC_FIELD_ERRORS);
    free(r);

    r = run(s, "{ secret name }", NULL, NULL, gql_rv_null(), NULL, &st);
    assert_string_equal(r, "{\"errors\":[{\"message\":\"denied\",\"locations\":[{\"line\":1,\"column\":3}],"
                           "\"path\":[\"secret\"],\"extensions\":{\"code\":\"FORBIDDEN\"}}],"
                           "\"data\":{\"secret\":null,\"name\":null}}");
    free(r);

    r = run(s, "{ refused }", NULL, NULL, gql_rv_null(), NULL, &st);
    assert_string_equal(r, "{\"errors\":[{\"message\":\"taken\",\"locations\":[{\"line\":1,\"column\":3}],"
                           "\"path\":[\"refused\"],\"extensions\":{\"code\":\"SERIAL_ALREADY_CONSUMED\","
                           "\"attributeId\":\"sn_1\",\"serial\":\"A\\\"1\"}}],\"data\":{\"refused\":null}}");
    free(r);
    gql_schema_free(s);
}

/* ---- subscriptions -------------------------------------------------------------- */

/* Subscribe, then run each event (JSON texts) and compare with graphql-js's answers. */
static void check_subscription(gql_schema *s, const char *query, const char *vars, const char *const *events,
                               const char *const *want, size_t n) {
    gql_prepared *p = prepare(s, query);
    gql_arena a;
    gql_arena_init(&a, 0);
    gql_exec_request req = {.doc = p, .variables = json(&a, vars), .arena = &a};
    gql_subscription sub;
    gql_buf out;
    gql_buf_init(&out);
    assert_int_equal(gql_subscribe(&req, &sub, &out), GQL_EXEC_OK);
    assert_int_equal(out.len, 0);
    for (size_t i = 0; i < n; i++) {
        gql_arena ea;   /* a fresh arena per event, as the event bus will do */
        gql_arena_init(&ea, 0);
        gql_exec_request ereq = {.doc = p, .arena = &ea};
        gql_rv ev = gql_rv_json(json(&ea, events[i]));
        gql_buf_truncate(&out, 0);
        gql_execute_event(&ereq, &sub, &ev, &out);
        gql_buf_putc(&out, 0);
        assert_string_equal(out.data, want[i]);
        gql_arena_free(&ea);
    }
    gql_buf_free(&out);
    gql_arena_free(&a);
    gql_prepared_free(p);
}

static void check_subscribe_error(gql_schema *s, const char *query, const char *vars, const char *want) {
    gql_prepared *p = prepare(s, query);
    gql_arena a;
    gql_arena_init(&a, 0);
    gql_exec_request req = {.doc = p, .variables = json(&a, vars), .arena = &a};
    gql_subscription sub;
    gql_buf out;
    gql_buf_init(&out);
    assert_int_equal(gql_subscribe(&req, &sub, &out), GQL_EXEC_REQUEST_ERROR);
    gql_buf_putc(&out, 0);
    assert_string_equal(out.data, want);
    gql_buf_free(&out);
    gql_arena_free(&a);
    gql_prepared_free(p);
}

static void test_subscriptions(void **state) {
    (void)state;
    gql_schema *s = execute_schema();
    {
        const char *ev[] = {"{\"a\":\"e1\",\"b\":1}", "{\"a\":\"e2\",\"b\":null}", "null"};
        const char *want[] = {
            "{\"data\":{\"alias\":{\"a\":\"e1\",\"b\":1}}}",
            ("{\"errors\":[{\"message\":\"Cannot return null for non-nullable field Obj.b.\",\"locations\":"
             "[{\"line\":1,\"column\":49}],\"path\":[\"alias\",\"b\"]}],\"data\":{\"alias\":null}}"),
            "{\"data\":{\"alias\":null}}"};
        check_subscription(s, "subscription S($k: Int!) { alias: ev(k: $k) { a b } }", "{\"k\":1}", ev, want, 3);
    }
    {   /* a variable in @include makes the plans per request: sub-plans go to each event's arena */
        const char *ev[] = {"{\"a\":\"e1\",\"b\":1,\"c\":{\"b\":null}}", "{\"a\":\"e2\",\"b\":null}"};
        const char *want[] = {
            ("{\"errors\":[{\"message\":\"Cannot return null for non-nullable field Obj.b.\",\"locations\":"
             "[{\"line\":1,\"column\":69}],\"path\":[\"evNN\",\"c\",\"b\"]}],\"data\":{\"evNN\":{\"a\":\"e1\","
             "\"b\":1,\"c\":null}}}"),
            ("{\"errors\":[{\"message\":\"Cannot return null for non-nullable field Obj.b.\",\"locations\":"
             "[{\"line\":1,\"column\":63}],\"path\":[\"evNN\",\"b\"]}],\"data\":null}")};
        check_subscription(s, "subscription ($t: Boolean = true) { evNN { a @include(if: $t) b c { b } } }", NULL,
                           ev, want, 2);
    }
    check_subscribe_error(s, "subscription ($k: Int = 1) { ev(k: $k) { a } }", "{\"k\":null}",
                          "{\"errors\":[{\"message\":\"Argument \\\"k\\\" of non-null type \\\"Int!\\\" must not be "
                          "null.\",\"locations\":[{\"line\":1,\"column\":36}],\"path\":[\"ev\"]}]}");
    /* graphql-js's subscribe() does not look at the operation's type */
    check_subscribe_error(s, "query { hello }", NULL,
                          "{\"errors\":[{\"message\":\"The subscription field \\\"hello\\\" is not defined.\","
                          "\"locations\":[{\"line\":1,\"column\":9}]}]}");
    check_subscribe_error(s, "subscription ($k: Int!) { ev(k: $k) { a } }", NULL,
                          "{\"errors\":[{\"message\":\"Variable \\\"$k\\\" of required type \\\"Int!\\\" was not "
                          "provided.\",\"locations\":[{\"line\":1,\"column\":15}]}]}");
    gql_schema_free(s);

    gql_schema *plain = test_build_schema("type Query { a: Int }", sizeof "type Query { a: Int }" - 1);
    check_subscribe_error(plain, "subscription { a }", NULL,
                          "{\"errors\":[{\"message\":\"Schema is not configured to execute subscription "
                          "operation.\",\"locations\":[{\"line\":1,\"column\":1}]}]}");
    gql_exec_status st;
    char *r = run(plain, "mutation { a }", NULL, NULL, gql_rv_null(), NULL, &st);
    assert_string_equal(r, "{\"errors\":[{\"message\":\"Schema is not configured to execute mutation operation.\","
                           "\"locations\":[{\"line\":1,\"column\":1}]}],\"data\":null}");
    assert_int_equal(st, GQL_EXEC_FIELD_ERRORS);
    free(r);
    gql_schema_free(plain);
}

/* ---- prepared documents ------------------------------------------------------ */

static void test_prepare(void **state) {
    (void)state;
    gql_schema *s = execute_schema();
    gql_arena a;
    gql_arena_init(&a, 0);
    gql_errors errs;
    gql_errors_init(&errs, &a);
    bool syntax = false;
    assert_null(gql_prepare(s, "{ hello", 7, NULL, &errs, &syntax));
    assert_true(syntax);
    assert_int_equal(errs.count, 1);
    assert_string_equal(errs.head->message, "Syntax Error: Expected Name, found <EOF>.");
    assert_int_equal(errs.head->locations[0].column, 8);

    gql_errors_init(&errs, &a);
    assert_null(gql_prepare(s, "{ nope hello { x } }", 20, NULL, &errs, &syntax));
    assert_false(syntax);
    assert_int_equal(errs.count, 2);
    assert_string_equal(errs.head->message, "Cannot query field \"nope\" on type \"Query\". Did you mean \"node\"?");

    gql_prepared *p = prepare(s, "query A { hello } fragment F on Query { int } query B { ...F }");
    assert_int_equal(p->operation_count, 2);
    assert_int_equal(p->fragment_count, 1);
    const char *err;
    assert_ptr_equal(gql_prepared_operation(p, "B", &err), p->operations[1]);
    assert_null(err);
    assert_null(gql_prepared_operation(p, NULL, &err));
    assert_string_equal(err, "Must provide operation name if query contains multiple operations.");
    assert_null(gql_prepared_operation(p, "Zed", &err));
    assert_string_equal(err, "Unknown operation named \"Zed\".");
    gql_prepared_free(p);
    gql_arena_free(&a);
    gql_schema_free(s);
}

/* One prepared document executed several times, with static plans (cached in
 * the document) and with plans that depend on the variables, answers as a
 * freshly prepared document does. */
static char *execute_prepared(gql_prepared *p, const char *vars, const gql_val *root) {
    gql_arena a;
    gql_arena_init(&a, 0);
    gql_exec_request req = {.doc = p, .variables = json(&a, vars), .root = gql_rv_json(root), .arena = &a};
    gql_buf out;
    gql_buf_init(&out);
    gql_execute(&req, &out);
    char *r = strndup(out.data, out.len);
    gql_buf_free(&out);
    gql_arena_free(&a);
    return r;
}

static void test_plan_cache(void **state) {
    (void)state;
    gql_schema *s = execute_schema();
    gql_arena ra;
    gql_arena_init(&ra, 0);
    char *root_text = test_read_data("execute_root.json", NULL);
    const gql_val *root = json(&ra, root_text);
    const char *queries[] = {
        "query ($i: Int) { e: echo(i: $i) obj { a ... on Obj { b } } pets { ... on Cat { lives } } }",
        "query ($i: Int, $t: Boolean!) { e: echo(i: $i) obj { a ... on Obj @include(if: $t) { b } } "
        "pets { ... on Cat { lives } ... @skip(if: $t) { name } } }",
    };
    for (int q = 0; q < 2; q++) {
        gql_prepared *p = prepare(s, queries[q]);
        for (int round = 0; round < 4; round++) {
            char vars[64];
            snprintf(vars, sizeof vars, "{\"i\":%d,\"t\":%s}", round, round % 2 ? "false" : "true");
            char *got = execute_prepared(p, vars, root);
            gql_prepared *fresh = prepare(s, queries[q]);
            char *want = execute_prepared(fresh, vars, root);
            gql_prepared_free(fresh);
            assert_string_equal(got, want);
            char echo[32];
            snprintf(echo, sizeof echo, "\"e\":\"{\\\"i\\\":%d}\"", round);
            assert_non_null(strstr(got, echo));
            /* b is skipped exactly when the document says so */
            assert_true((strstr(got, "\"a\":\"A\",\"b\":1") != NULL) == !(q && round % 2));
            free(got);
            free(want);
        }
        gql_prepared_free(p);
    }
    free(root_text);
    gql_arena_free(&ra);
    gql_schema_free(s);
}

/* Plans kept under @skip/@include conditions and the hints the executor keeps
 * from one value to the next (where a member was, which enum value came last):
 * the same prepared document over roots of different shapes and every
 * combination of the variables answers as a fresh one. */
static void test_plan_reuse(void **state) {
    (void)state;
    gql_schema *s = execute_schema();
    gql_arena ra;
    gql_arena_init(&ra, 0);
    const gql_val *roots[] = {
        json(&ra, "{\"hello\":\"w\",\"color\":\"RED\",\"obj\":{\"a\":\"A\",\"b\":1,\"color\":\"BLUE\","
                  "\"c\":{\"a\":\"x\",\"b\":2}},\"objs\":[{\"a\":\"o0\",\"b\":0,\"color\":\"RED\"},"
                  "{\"b\":5,\"a\":\"o1\",\"color\":\"GREEN\"},{\"a\":\"o2\"}]}"),
        json(&ra, "{\"objs\":[{\"color\":\"BLUE\",\"b\":1,\"a\":\"p\"},{\"a\":\"q\",\"b\":null,"
                  "\"c\":{\"b\":3,\"a\":\"r\"}}],\"obj\":{\"b\":9,\"a\":\"Z\",\"color\":\"nope\"},"
                  "\"hello\":7,\"color\":\"GREEN\"}"),
        json(&ra, "{\"obj\":{\"c\":null,\"b\":3,\"valueOf\":1},\"objs\":[],\"hello\":null}"),
    };
    const char *query =
        "query ($x: Boolean!, $y: Boolean = true) { hello color ...F @include(if: $x) "
        "obj { a ... @skip(if: $y) { b c { a b } } color } "
        "objs { ... on Obj @include(if: $y) { a color ...G @skip(if: $x) } b } }\n"
        "fragment F on Query { obj { b a } }\n"
        "fragment G on Obj { c { b } }";
    gql_prepared *p = prepare(s, query);
    const char *vars[] = {"{\"x\":true}", "{\"x\":false,\"y\":false}", "{\"x\":true,\"y\":false}",
                          "{\"x\":false}", "{\"x\":true,\"y\":true}"};
    for (int round = 0; round < 30; round++) {
        const char *v = vars[round % 5];
        const gql_val *root = roots[round % 3];
        char *got = execute_prepared(p, v, root);
        gql_prepared *fresh = prepare(s, query);
        char *want = execute_prepared(fresh, v, root);
        gql_prepared_free(fresh);
        assert_string_equal(got, want);
        free(got);
        free(want);
    }
    gql_prepared_free(p);
    gql_arena_free(&ra);
    gql_schema_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_graphql_js_cases),
        cmocka_unit_test(test_c_resolvers),
        cmocka_unit_test(test_subscriptions),
        cmocka_unit_test(test_prepare),
        cmocka_unit_test(test_plan_cache),
        cmocka_unit_test(test_plan_reuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
