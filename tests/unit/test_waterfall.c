/* test_waterfall.c: ordering a product builds it through the waterfall:
 * children created as their dependencies complete (routing order, a group's
 * members together, optional components only when selected, subassemblies
 * in turn), parents completing with their last child, and one completion
 * event per completed order, a child's before its parent's, with the
 * payload of mes_internal.h. Real write jobs on a real SQLite store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "test_orders_util.h"

static int setup(void **state) {
    *state = ow_open();
    return 0;
}
static int teardown(void **state) {
    ow_close(*state);
    return 0;
}

#define OK(f, call)                                                                                             \
    do {                                                                                                        \
        const char *got_ = (call);                                                                              \
        if (got_) fail_msg("refused %s: %s", got_, (f)->msg);                                                   \
    } while (0)

static const char *const LIGHT_SEL[] = {"fit_light"};

/* Completes a READY work order at st_all by `who`, with one serial if attr. */
static void work(ow_fix *f, int64_t id, const char *who, const char *attr, const char *value) {
    const char *attrs[] = {attr}, *values[] = {value};
    OK(f, ow_complete(f, id, (ow_complete_args){.station = "st_all", .op_name = who, .attrs = attrs,
                                                .values = values, .n = attr ? 1 : 0}));
}

static long long orders(ow_fix *f) { return ow_int(f, "SELECT count(*) FROM operation_orders"); }

static void the_whole_build_in_routing_order(void **state) {
    ow_fix *f = *state;
    int64_t root;
    OK(f, ow_save(f, (ow_save_args){.ext = "SALES-123", .op = "prod_101", .reserved = "SN-9", .secondary = "PO-1",
                                    .index = 2, .opts = LIGHT_SEL, .nopts = 1}, &root, NULL));
    int64_t sub = ow_child(f, root, "frame_sub"), weld = ow_child(f, sub, "weld");
    assert_int_equal(orders(f), 3);
    work(f, weld, "Ada", "frame_sn", "F-1");
    /* the next component of the subassembly, nothing else */
    int64_t paint = ow_child(f, sub, "paint");
    assert_true(paint > 0);
    assert_int_equal(orders(f), 4);
    assert_string_equal(ow_status(f, sub), "IN_PROGRESS");
    work(f, paint, "Ada", NULL, NULL);
    /* the subassembly completed with its last child; the group "fit" comes
     * next, both members at once (the optional one was selected) */
    assert_string_equal(ow_status(f, sub), "COMPLETED");
    int64_t bat = ow_child(f, root, "fit_battery"), light = ow_child(f, root, "fit_light");
    assert_true(bat > 0 && light > 0);
    assert_int_equal(ow_child(f, root, "final_test"), 0);
    work(f, light, "Bob", "light_sn", "L-1");   /* a group's members in any order */
    assert_int_equal(ow_child(f, root, "final_test"), 0);
    work(f, bat, "Ada", "battery_sn", "B-1");
    int64_t fin = ow_child(f, root, "final_test");
    assert_true(fin > 0);
    assert_string_equal(ow_status(f, root), "IN_PROGRESS");
    work(f, fin, "Cy", NULL, NULL);   /* produces the reserved serial */
    assert_string_equal(ow_status(f, root), "COMPLETED");
    assert_int_equal(orders(f), 7);

    const gql_val *ev[16];
    size_t n = ow_completions(f, 0, ev, 16);
    assert_int_equal(n, 7);
    /* one per completed order, in causal order: a child's before its parent's */
    const int64_t expect[] = {weld, paint, sub, light, bat, fin, root};
    for (size_t i = 0; i < n; i++) {
        char want[24];
        snprintf(want, sizeof want, "%lld", (long long)expect[i]);
        assert_string_equal(ow_str(ev[i], "orderId"), want);
        assert_true(ow_get(ev[i], "wip")->u.b == (expect[i] != root));
        assert_string_equal(ow_str(ev[i], "externalOrderId"), "SALES-123");
        assert_string_equal(ow_str(ev[i], "secondaryExternalOrderId"), "PO-1");
        assert_string_equal(ow_str(ev[i], "reservedSerialNumber"), "SN-9");
        assert_int_equal(ow_num(ev[i], "orderIndex"), 2);
    }
    /* a process order reports itself */
    const gql_val *w0 = ev[0];
    assert_string_equal(ow_str(w0, "operationId"), "weld");
    assert_int_equal(ow_get(w0, "consumedSerials")->u.list.count, 1);
    assert_string_equal(ow_str(ow_get(w0, "consumedSerials")->u.list.items[0], "externalId"), "FRAME-1");
    assert_string_equal(ow_str(w0, "endState.operator.name"), "Ada");
    assert_string_equal(ow_str(w0, "endState.station.name"), "Station all");
    assert_int_equal(ow_num(w0, "startedAt"),
                     ow_int(f, "SELECT started_at FROM operation_orders WHERE id = %lld", (long long)weld));
    assert_int_equal(ow_num(w0, "endState.at"), ow_num(w0, "at"));
    assert_string_equal(ow_str(ev[4], "endState.operator.name"), "Ada");   /* fit_battery, not Bob's fit_light */
    /* the subassembly reports its own subtree only */
    const gql_val *subev = ev[2];
    assert_string_equal(ow_str(subev, "operationId"), "frame_sub");
    assert_int_equal(ow_get(subev, "consumedSerials")->u.list.count, 1);
    assert_string_equal(ow_str(ow_get(subev, "consumedSerials")->u.list.items[0], "value"), "F-1");
    assert_string_equal(ow_str(subev, "endState.producedSerial"), "(null)");
    /* the root: every serial of the tree in capture order, the end state of
     * its last process, the first start, the cycle time */
    const gql_val *r = ev[6], *cs = ow_get(r, "consumedSerials");
    assert_string_equal(ow_str(r, "operationId"), "prod_101");
    assert_int_equal(cs->u.list.count, 3);
    assert_string_equal(ow_str(cs->u.list.items[0], "id"), "frame_sn");
    assert_string_equal(ow_str(cs->u.list.items[0], "name"), "Frame serial");
    assert_string_equal(ow_str(cs->u.list.items[0], "externalId"), "FRAME-1");
    assert_string_equal(ow_str(cs->u.list.items[1], "value"), "L-1");
    assert_string_equal(ow_str(cs->u.list.items[1], "externalId"), "(null)");   /* no part number */
    assert_string_equal(ow_str(cs->u.list.items[2], "externalId"), "BAT-3400");
    assert_string_equal(ow_str(r, "endState.producedSerial"), "SN-9");
    assert_string_equal(ow_str(r, "endState.station.id"), "st_all");
    assert_string_equal(ow_str(r, "endState.station.name"), "Station all");
    assert_string_equal(ow_str(r, "endState.operator.name"), "Cy");
    assert_int_equal(ow_num(r, "endState.at"), ow_num(r, "at"));
    assert_int_equal(ow_num(r, "startedAt"),
                     ow_int(f, "SELECT started_at FROM operation_orders WHERE id = %lld", (long long)weld));
    assert_int_equal(ow_num(r, "cycleTime"), (ow_num(r, "at") - ow_num(r, "startedAt")) / 1000);
    assert_int_equal(ow_num(r, "at"), ow_int(f, "SELECT completed_at FROM operation_orders WHERE id = %lld",
                                            (long long)root));
    /* the rows a later read needs */
    assert_int_equal(ow_int(f, "SELECT count(*) FROM consumed_serials"), 3);
    assert_string_equal(ow_text(f, "SELECT part_number || '/' || value FROM produced_serials"), "PN-101/SN-9");
}

static void an_optional_component_not_selected_is_skipped(void **state) {
    ow_fix *f = *state;
    int64_t root;
    OK(f, ow_save(f, (ow_save_args){.ext = "O", .op = "prod_101"}, &root, NULL));
    int64_t sub = ow_child(f, root, "frame_sub");
    work(f, ow_child(f, sub, "weld"), "Ada", "frame_sn", "F-2");
    work(f, ow_child(f, sub, "paint"), "Ada", NULL, NULL);
    assert_int_equal(ow_child(f, root, "fit_light"), 0);
    work(f, ow_child(f, root, "fit_battery"), "Ada", "battery_sn", "B-2");
    assert_int_equal(ow_child(f, root, "fit_light"), 0);
    int64_t fin = ow_child(f, root, "final_test");
    assert_true(fin > 0);
    OK(f, ow_complete(f, fin, (ow_complete_args){.station = "st_all", .op_name = "Ada", .produced = "SN-O"}));
    assert_string_equal(ow_status(f, root), "COMPLETED");
}

static void saving_again_changes_what_is_not_yet_created(void **state) {
    ow_fix *f = *state;
    int64_t root, again;
    OK(f, ow_save(f, (ow_save_args){.ext = "U", .op = "prod_101"}, &root, NULL));
    int64_t sub = ow_child(f, root, "frame_sub");
    /* select the optional component later, before the tree starts */
    OK(f, ow_save(f, (ow_save_args){.ext = "U", .op = "prod_101", .opts = LIGHT_SEL, .nopts = 1}, &again, NULL));
    assert_int_equal(again, root);
    assert_int_equal(ow_child(f, root, "frame_sub"), sub);   /* existing children kept */
    assert_int_equal(orders(f), 3);
    work(f, ow_child(f, sub, "weld"), "Ada", "frame_sn", "F-3");
    work(f, ow_child(f, sub, "paint"), "Ada", NULL, NULL);
    assert_true(ow_child(f, root, "fit_light") > 0);
    assert_true(ow_child(f, root, "fit_battery") > 0);
}

static void a_group_holds_back_the_steps_after_it(void **state) {
    ow_fix *f = *state;
    /* [paint (g), weld, fit_battery (g)]: the group is the first step,
     * placed where it first appears; weld waits for both members */
    store_component_in comps[] = {{"paint", "g", false}, {"weld", NULL, false}, {"fit_battery", "g", false}};
    store_product_in p = {"grp_prod", "Grouped", "GRP-1", "A", STORE_KIND_PRODUCT, comps, 3};
    store_err err = {0};
    if (deploy_product(f->st, &p, NULL, &err)) fail_msg("deploy: %s", err.message);
    int64_t root;
    OK(f, ow_save(f, (ow_save_args){.ext = "G", .op = "grp_prod"}, &root, NULL));
    int64_t paint = ow_child(f, root, "paint"), bat = ow_child(f, root, "fit_battery");
    assert_true(paint > 0 && bat > 0);
    assert_int_equal(ow_child(f, root, "weld"), 0);
    work(f, paint, "Ada", NULL, NULL);
    assert_int_equal(ow_child(f, root, "weld"), 0);   /* fit_battery, later in routing, still holds it */
    work(f, bat, "Ada", "battery_sn", "B-G");
    int64_t weld = ow_child(f, root, "weld");
    assert_true(weld > 0);
    work(f, weld, "Ada", "frame_sn", "F-G");
    assert_string_equal(ow_status(f, root), "COMPLETED");
    const gql_val *ev[8];
    assert_int_equal(ow_completions(f, 0, ev, 8), 4);
}

static void a_refused_completion_leaves_the_waterfall_alone(void **state) {
    ow_fix *f = *state;
    int64_t a, b;
    OK(f, ow_save(f, (ow_save_args){.ext = "A", .op = "prod_101"}, &a, NULL));
    OK(f, ow_save(f, (ow_save_args){.ext = "B", .op = "prod_101"}, &b, NULL));
    int64_t sa = ow_child(f, a, "frame_sub"), sb = ow_child(f, b, "frame_sub");
    work(f, ow_child(f, sa, "weld"), "Ada", "frame_sn", "F-SAME");
    long long before = orders(f);
    const char *before_fp = ow_fingerprint(f);
    const char *attrs[] = {"frame_sn"}, *values[] = {"F-SAME"};
    const char *code = ow_complete(f, ow_child(f, sb, "weld"), (ow_complete_args){.station = "st_all",
                                   .op_name = "Zed", .attrs = attrs, .values = values, .n = 1});
    assert_non_null(code);
    assert_string_equal(code, "SERIAL_ALREADY_CONSUMED");
    assert_int_equal(orders(f), before);   /* no paint order for b */
    assert_string_equal(ow_fingerprint(f), before_fp);
    assert_string_equal(ow_status(f, b), "CREATED");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(the_whole_build_in_routing_order, setup, teardown),
        cmocka_unit_test_setup_teardown(an_optional_component_not_selected_is_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(saving_again_changes_what_is_not_yet_created, setup, teardown),
        cmocka_unit_test_setup_teardown(a_group_holds_back_the_steps_after_it, setup, teardown),
        cmocka_unit_test_setup_teardown(a_refused_completion_leaves_the_waterfall_alone, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
