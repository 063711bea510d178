/* test_pg_deploy.c: deploys on PostgreSQL against SQLite (differential):
 * the same processes, products and stations deployed on both stores give
 * the same results, the same refusals (code and message), and the same
 * rows and events underneath: an identical deploy appends nothing, a
 * changed one appends exactly what SQLite appends, and a failed job leaves
 * nothing (no row, no seq). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "test_pg_diff.h"

/* Runs the deploy on both; same result required. */
static int deploy_both(diff_pair *p, deploy_job proto, store_deploy_result *res) {
    deploy_job j[DIFF_N] = {proto, proto};
    void *args[DIFF_N] = {&j[DIFF_SQ], &j[DIFF_PG]};
    int rc = diff_exec(p, run_deploy, args);
    assert_int_equal(j[DIFF_SQ].res.created, j[DIFF_PG].res.created);
    assert_int_equal(j[DIFF_SQ].res.changed, j[DIFF_PG].res.changed);
    assert_int_equal(j[DIFF_SQ].res.events, j[DIFF_PG].res.events);
    if (res) *res = j[DIFF_SQ].res;
    return rc;
}

/* Deploys that must be refused alike; the message must be want_msg. */
static void refused(diff_pair *p, deploy_job proto, int want_code, const char *want_msg) {
    deploy_job j[DIFF_N] = {proto, proto};
    void *args[DIFF_N] = {&j[DIFF_SQ], &j[DIFF_PG]};
    store_err err = {0};
    assert_int_equal(diff_exec(p, run_deploy, args), want_code);
    /* diff_exec compared both; this is SQLite's message, checked once more */
    assert_int_equal(store_exec_sync(p->s[DIFF_SQ], run_deploy, &j[DIFF_SQ], &err), want_code);
    assert_string_equal(err.message, want_msg);
}

#define ARCHIVED(col) "CASE WHEN " col " IS NULL THEN 0 ELSE 1 END"

/* Every row a deploy writes, on both databases (times as relations: the
 * two stores read their own clocks). */
static void same_model(diff_pair *p) {
    diff_rows(p,
              "SELECT id, kind, external_id, revision, name, description, produces_serial, template_id, variant_name,"
              " seq, " ARCHIVED("archived_at") ", hex(digest) FROM operations ORDER BY id",
              "SELECT id, kind, external_id, revision, name, description, produces_serial, template_id, variant_name,"
              " seq, " ARCHIVED("archived_at") ", upper(encode(digest, 'hex')) FROM operations ORDER BY id",
              -1);
    diff_rows(p,
              "SELECT o.id, CASE WHEN o.updated_at = e.at THEN 1 ELSE 0 END FROM operations o"
              " JOIN operation_events e ON e.seq = o.seq ORDER BY o.id",
              NULL, (int)diff_int(p, "SELECT count(*) FROM operations"));
    diff_rows(p, "SELECT seq, operation_id FROM operation_events ORDER BY seq", NULL, -1);
    diff_rows(p,
              "SELECT parent_id, sub_id, sub_group, position, optional, seq, " ARCHIVED("archived_at")
              " FROM sub_operations ORDER BY parent_id, sub_id",
              NULL, -1);
    diff_rows(p,
              "SELECT s.parent_id, s.sub_id, CASE WHEN s.updated_at = e.at THEN 1 ELSE 0 END FROM sub_operations s"
              " JOIN sub_operation_events e ON e.seq = s.seq ORDER BY s.parent_id, s.sub_id",
              NULL, (int)diff_int(p, "SELECT count(*) FROM sub_operations"));
    diff_rows(p, "SELECT seq, parent_id, sub_id FROM sub_operation_events ORDER BY seq", NULL, -1);
    diff_rows(p, "SELECT operation_id, id, position, name, instruction_text FROM steps ORDER BY operation_id, position",
              NULL, -1);
    /* step keys are the store's own: actions are compared through their step */
    diff_rows(p,
              "SELECT s.operation_id, s.id, a.id, a.position, a.description FROM actions a"
              " JOIN steps s ON s.key = a.step_key ORDER BY s.operation_id, s.position, a.position",
              NULL, (int)diff_int(p, "SELECT count(*) FROM actions"));
    diff_rows(p,
              "SELECT operation_id, id, position, name, part_number FROM consumed_serial_attrs"
              " ORDER BY operation_id, position",
              NULL, -1);
    diff_rows(p, "SELECT id, name, hex(digest) FROM stations ORDER BY id",
              "SELECT id, name, upper(encode(digest, 'hex')) FROM stations ORDER BY id", -1);
    diff_rows(p, "SELECT station_id, operation_id, position FROM station_processes ORDER BY station_id, position",
              NULL, -1);
    /* PostgreSQL's seq counters are the logs' heads */
    assert_int_equal(pg_test_int(p->pgdb, "SELECT head FROM stream_heads WHERE stream = 'operations'"),
                     diff_int(p, "SELECT coalesce(max(seq), 0) FROM operation_events"));
    assert_int_equal(pg_test_int(p->pgdb, "SELECT head FROM stream_heads WHERE stream = 'sub_operations'"),
                     diff_int(p, "SELECT coalesce(max(seq), 0) FROM sub_operation_events"));
}

/* ---- processes ---- */

static const store_action_in ACTIONS[] = {{"a1", "tighten"}, {"a2", NULL}};
static const store_step_in STEPS[] = {{"s1", "Mount", "mount it", ACTIONS, 2}, {"s2", "Check", NULL, NULL, 0}};
static const store_attr_in ATTRS[] = {{"c1", "Board", "PN-1"}, {"c2", NULL, NULL}};

static void processes(void **state) {
    (void)state;
    diff_pair p;
    diff_open(&p, "t_deploy_processes");
    store_process_in pr = {.id = "p1", .name = "Solder", .description = "by hand", .part_number = "PN-P1",
                           .revision = "A", .produces_serial = true, .attrs = ATTRS, .nattrs = 2,
                           .steps = STEPS, .nsteps = 2};
    store_deploy_result res;
    assert_int_equal(deploy_both(&p, (deploy_job){.process = &pr}, &res), STORE_OK);
    assert_true(res.created && res.changed);
    assert_int_equal(res.events, 1);
    store_process_in p2 = {.id = "p2", .name = "Pack"};
    assert_int_equal(deploy_both(&p, (deploy_job){.process = &p2}, &res), STORE_OK);
    same_model(&p);
    diff_rows(&p, "SELECT id FROM steps", NULL, 2);
    diff_rows(&p, "SELECT id FROM actions", NULL, 2);

    /* the same again: nothing written, nothing appended */
    assert_int_equal(deploy_both(&p, (deploy_job){.process = &pr}, &res), STORE_OK);
    assert_false(res.changed || res.created);
    assert_int_equal(res.events, 0);
    assert_int_equal(diff_int(&p, "SELECT count(*) FROM operation_events"), 2);

    /* changed: children replaced, one event */
    store_step_in steps2[] = {{"s2", "Check twice", NULL, NULL, 0}};
    pr.steps = steps2, pr.nsteps = 1, pr.nattrs = 1, pr.produces_serial = false, pr.description = NULL;
    assert_int_equal(deploy_both(&p, (deploy_job){.process = &pr}, &res), STORE_OK);
    assert_true(res.changed && !res.created);
    assert_int_equal(res.events, 1);
    same_model(&p);
    diff_rows(&p, "SELECT id FROM steps", NULL, 1);
    diff_rows(&p, "SELECT id FROM actions", NULL, 0);

    /* an archived operation deployed as it was comes back, with an event */
    diff_sql(&p, "UPDATE operations SET archived_at = 1 WHERE id = 'p2'");
    assert_int_equal(deploy_both(&p, (deploy_job){.process = &p2}, &res), STORE_OK);
    assert_true(res.changed && !res.created);
    same_model(&p);
    diff_rows(&p, "SELECT id FROM operations WHERE archived_at IS NULL", NULL, 2);

    /* a job that fails after deploying leaves nothing, and gives its seq back */
    store_process_in p3 = {.id = "p3", .name = "Test"};
    assert_int_equal(deploy_both(&p, (deploy_job){.process = &p3, .fail_after = STORE_EUSER}, NULL), STORE_EUSER);
    assert_int_equal(diff_int(&p, "SELECT count(*) FROM operations WHERE id = 'p3'"), 0);
    assert_int_equal(deploy_both(&p, (deploy_job){.process = &p3}, &res), STORE_OK);
    same_model(&p);
    assert_int_equal(diff_int(&p, "SELECT seq FROM operations WHERE id = 'p3'"), 5);
    diff_close(&p);
}

static void process_refusals(void **state) {
    (void)state;
    diff_pair p;
    diff_open(&p, "t_deploy_process_refusals");
    store_process_in ok = {.id = "p1", .name = "P"};
    assert_int_equal(deploy_both(&p, (deploy_job){.process = &ok}, NULL), STORE_OK);
    store_product_in prod = {.id = "prod", .name = "Prod", .kind = STORE_KIND_PRODUCT};
    assert_int_equal(deploy_both(&p, (deploy_job){.product = &prod}, NULL), STORE_OK);

    store_process_in noname = {.id = "x"};
    refused(&p, (deploy_job){.process = &noname}, STORE_EINPUT, "a process needs an id and a name");
    store_attr_in attrs_noid[] = {{NULL, "n", NULL}};
    store_process_in a0 = {.id = "x", .name = "X", .attrs = attrs_noid, .nattrs = 1};
    refused(&p, (deploy_job){.process = &a0}, STORE_EINPUT, "a consumed serial needs an id");
    store_attr_in attrs_dup[] = {{"c", NULL, NULL}, {"d", NULL, NULL}, {"c", "again", NULL}};
    store_process_in a1 = {.id = "x", .name = "X", .attrs = attrs_dup, .nattrs = 3};
    refused(&p, (deploy_job){.process = &a1}, STORE_EINPUT, "consumed serial c is listed twice");
    store_step_in step_noname[] = {{"s", NULL, NULL, NULL, 0}};
    store_process_in s0 = {.id = "x", .name = "X", .steps = step_noname, .nsteps = 1};
    refused(&p, (deploy_job){.process = &s0}, STORE_EINPUT, "a step needs an id and a name");
    store_action_in act_noid[] = {{NULL, "d"}};
    store_step_in step_act_noid[] = {{"s", "S", NULL, act_noid, 1}};
    store_process_in s1 = {.id = "x", .name = "X", .steps = step_act_noid, .nsteps = 1};
    refused(&p, (deploy_job){.process = &s1}, STORE_EINPUT, "an action needs an id");
    store_action_in act_dup[] = {{"a", NULL}, {"a", NULL}};
    store_step_in step_act_dup[] = {{"s", "S", NULL, act_dup, 2}};
    store_process_in s2 = {.id = "x", .name = "X", .steps = step_act_dup, .nsteps = 1};
    refused(&p, (deploy_job){.process = &s2}, STORE_EINPUT, "action a is listed twice in step s");
    store_step_in step_dup[] = {{"s", "S", NULL, NULL, 0}, {"s", "T", NULL, NULL, 0}};
    store_process_in s3 = {.id = "x", .name = "X", .steps = step_dup, .nsteps = 2};
    refused(&p, (deploy_job){.process = &s3}, STORE_EINPUT, "step s is listed twice");
    store_process_in over_product = {.id = "prod", .name = "P"};
    refused(&p, (deploy_job){.process = &over_product}, STORE_EINPUT, "operation prod is a PRODUCT, not a process");
    store_product_in over_process = {.id = "p1", .name = "P", .kind = STORE_KIND_SUBASSEMBLY};
    refused(&p, (deploy_job){.product = &over_process}, STORE_EINPUT, "operation p1 is a process, not a product");
    /* nothing of the refused deploys is there */
    same_model(&p);
    diff_rows(&p, "SELECT id FROM operations", NULL, 2);
    diff_close(&p);
}

/* ---- products ---- */

static void products(void **state) {
    (void)state;
    diff_pair p;
    diff_open(&p, "t_deploy_products");
    diff_process(&p, "pa");
    diff_process(&p, "pb");
    diff_process(&p, "pc");
    store_component_in sub_comps[] = {{"pc", NULL, false}};
    store_product_in sub = {.id = "sub", .name = "Sub", .part_number = "PN-S", .kind = STORE_KIND_SUBASSEMBLY,
                            .components = sub_comps, .ncomponents = 1};
    store_deploy_result res;
    assert_int_equal(deploy_both(&p, (deploy_job){.product = &sub}, &res), STORE_OK);
    assert_int_equal(res.events, 2);   /* the product and its link */
    store_component_in comps[] = {{"pa", "g1", false}, {"sub", NULL, true}, {"pb", "g1", true}};
    store_product_in prod = {.id = "prod", .name = "Prod", .revision = "B", .kind = STORE_KIND_PRODUCT,
                             .components = comps, .ncomponents = 3};
    assert_int_equal(deploy_both(&p, (deploy_job){.product = &prod}, &res), STORE_OK);
    assert_true(res.created && res.changed);
    assert_int_equal(res.events, 4);
    same_model(&p);

    /* the same again: nothing */
    assert_int_equal(deploy_both(&p, (deploy_job){.product = &prod}, &res), STORE_OK);
    assert_false(res.changed);
    assert_int_equal(res.events, 0);

    /* reordered, one link changed, one removed: the product, the moved and
     * changed links, and the removed one (archived) are streamed */
    store_component_in comps2[] = {{"pb", "g2", true}, {"pa", "g1", false}};
    prod.components = comps2, prod.ncomponents = 2;
    assert_int_equal(deploy_both(&p, (deploy_job){.product = &prod}, &res), STORE_OK);
    assert_int_equal(res.events, 4);
    same_model(&p);
    diff_rows(&p, "SELECT sub_id FROM sub_operations WHERE parent_id = 'prod' AND archived_at IS NOT NULL", NULL, 1);

    /* the removed one re-added at the end: un-archived and streamed */
    store_component_in comps3[] = {{"pb", "g2", true}, {"pa", "g1", false}, {"sub", NULL, true}};
    prod.components = comps3, prod.ncomponents = 3;
    assert_int_equal(deploy_both(&p, (deploy_job){.product = &prod}, &res), STORE_OK);
    assert_int_equal(res.events, 2);
    same_model(&p);
    diff_rows(&p, "SELECT sub_id FROM sub_operations WHERE archived_at IS NOT NULL", NULL, 0);

    /* a failed job leaves neither links nor seqs behind */
    store_component_in comps4[] = {{"pc", NULL, false}};
    prod.components = comps4, prod.ncomponents = 1;
    assert_int_equal(deploy_both(&p, (deploy_job){.product = &prod, .fail_after = STORE_EUSER}, NULL), STORE_EUSER);
    same_model(&p);
    assert_int_equal(deploy_both(&p, (deploy_job){.product = &prod}, &res), STORE_OK);
    same_model(&p);
    diff_close(&p);
}

static void product_refusals(void **state) {
    (void)state;
    diff_pair p;
    diff_open(&p, "t_deploy_product_refusals");
    diff_process(&p, "pa");
    store_component_in c_outer[] = {{"inner", NULL, false}};
    store_component_in c_inner[] = {{"pa", NULL, false}};
    store_product_in inner = {.id = "inner", .name = "I", .kind = STORE_KIND_SUBASSEMBLY, .components = c_inner,
                              .ncomponents = 1};
    store_product_in outer = {.id = "outer", .name = "O", .kind = STORE_KIND_PRODUCT, .components = c_outer,
                              .ncomponents = 1};
    assert_int_equal(deploy_both(&p, (deploy_job){.product = &inner}, NULL), STORE_OK);
    assert_int_equal(deploy_both(&p, (deploy_job){.product = &outer}, NULL), STORE_OK);

    store_product_in noname = {.id = "x", .kind = STORE_KIND_PRODUCT};
    refused(&p, (deploy_job){.product = &noname}, STORE_EINPUT, "a product needs an id and a name");
    store_product_in badkind = {.id = "x", .name = "X", .kind = STORE_KIND_PROCESS};
    refused(&p, (deploy_job){.product = &badkind}, STORE_EINPUT, "a product's kind is PRODUCT or SUBASSEMBLY");
    store_component_in c_noid[] = {{NULL, NULL, false}};
    store_product_in noid = {.id = "x", .name = "X", .kind = STORE_KIND_PRODUCT, .components = c_noid,
                             .ncomponents = 1};
    refused(&p, (deploy_job){.product = &noid}, STORE_EINPUT, "a component needs an id");
    store_component_in c_self[] = {{"pa", NULL, false}, {"x", NULL, false}};
    store_product_in self = {.id = "x", .name = "X", .kind = STORE_KIND_PRODUCT, .components = c_self,
                             .ncomponents = 2};
    refused(&p, (deploy_job){.product = &self}, STORE_EINPUT, "x cannot contain itself");
    store_component_in c_dup[] = {{"pa", NULL, false}, {"inner", NULL, false}, {"pa", "g", true}};
    store_product_in dup = {.id = "x", .name = "X", .kind = STORE_KIND_PRODUCT, .components = c_dup,
                            .ncomponents = 3};
    refused(&p, (deploy_job){.product = &dup}, STORE_EINPUT, "component pa is listed twice");
    /* the first unknown component in routing order is named */
    store_component_in c_unknown[] = {{"pa", NULL, false}, {"zz", NULL, false}, {"aa", NULL, false}};
    store_product_in unknown = {.id = "x", .name = "X", .kind = STORE_KIND_PRODUCT, .components = c_unknown,
                                .ncomponents = 3};
    refused(&p, (deploy_job){.product = &unknown}, STORE_ENOTFOUND, "component zz is not a known operation");
    /* inner containing outer, which contains inner */
    store_component_in c_cycle[] = {{"pa", NULL, false}, {"outer", NULL, false}};
    inner.components = c_cycle, inner.ncomponents = 2;
    refused(&p, (deploy_job){.product = &inner}, STORE_EINPUT, "inner would contain itself through its components");
    same_model(&p);
    diff_rows(&p, "SELECT sub_id FROM sub_operations WHERE parent_id = 'inner'", NULL, 1);
    diff_close(&p);
}

/* ---- stations ---- */

static void stations(void **state) {
    (void)state;
    diff_pair p;
    diff_open(&p, "t_deploy_stations");
    diff_process(&p, "pa");
    diff_process(&p, "pb");
    store_product_in prod = {.id = "prod", .name = "Prod", .kind = STORE_KIND_PRODUCT};
    assert_int_equal(deploy_both(&p, (deploy_job){.product = &prod}, NULL), STORE_OK);
    long long op_events = diff_int(&p, "SELECT count(*) FROM operation_events");

    const char *both[] = {"pb", "pa"};
    store_station_in st = {.id = "st1", .name = "Bench", .process_ids = both, .nprocesses = 2};
    store_deploy_result res;
    assert_int_equal(deploy_both(&p, (deploy_job){.station = &st}, &res), STORE_OK);
    assert_true(res.created && res.changed);
    assert_int_equal(res.events, 0);   /* stations have no stream */
    same_model(&p);
    assert_int_equal(deploy_both(&p, (deploy_job){.station = &st}, &res), STORE_OK);
    assert_false(res.changed);
    st.name = "Bench 2", st.nprocesses = 1;
    assert_int_equal(deploy_both(&p, (deploy_job){.station = &st}, &res), STORE_OK);
    assert_true(res.changed && !res.created);
    same_model(&p);
    diff_rows(&p, "SELECT operation_id FROM station_processes", NULL, 1);
    assert_int_equal(diff_int(&p, "SELECT count(*) FROM operation_events"), op_events);

    store_station_in noname = {.id = "x"};
    refused(&p, (deploy_job){.station = &noname}, STORE_EINPUT, "a station needs an id and a name");
    const char *null_id[] = {"pa", NULL};
    store_station_in nullp = {.id = "x", .name = "X", .process_ids = null_id, .nprocesses = 2};
    refused(&p, (deploy_job){.station = &nullp}, STORE_EINPUT, "a station process needs an id");
    const char *dup[] = {"pa", "pb", "pa"};
    store_station_in dupst = {.id = "x", .name = "X", .process_ids = dup, .nprocesses = 3};
    refused(&p, (deploy_job){.station = &dupst}, STORE_EINPUT, "process pa is listed twice");
    const char *unknown[] = {"pa", "zz", "prod"};
    store_station_in unk = {.id = "x", .name = "X", .process_ids = unknown, .nprocesses = 3};
    refused(&p, (deploy_job){.station = &unk}, STORE_ENOTFOUND, "process zz is not a known operation");
    const char *notproc[] = {"pa", "prod", "zz"};
    store_station_in np = {.id = "x", .name = "X", .process_ids = notproc, .nprocesses = 3};
    refused(&p, (deploy_job){.station = &np}, STORE_EINPUT, "operation prod is not a process");
    assert_int_equal(deploy_both(&p, (deploy_job){.station = &st, .fail_after = STORE_EUSER}, NULL), STORE_EUSER);
    same_model(&p);
    diff_rows(&p, "SELECT id FROM stations", NULL, 1);
    diff_close(&p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(processes),         cmocka_unit_test(process_refusals), cmocka_unit_test(products),
        cmocka_unit_test(product_refusals), cmocka_unit_test(stations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
