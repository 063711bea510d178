/*
 * demo.c: the demo factory `mesd serve --demo` loads into a database that
 * has no operation yet: a handheld scanner (PROD-101 rev A, with a scanner
 * core subassembly) and a charging cradle (PROD-205 rev B), built by five
 * processes with work instructions and serial captures, at three stations.
 *
 * The data are constants, deployed in one transaction through the same
 * store calls as the deploy mutations, so the demo is exactly what an ERP
 * could have deployed itself (and its ids follow the id rule).
 *
 * Must never touch a database that already has operations (the demo is for
 * empty databases only), or depend on anything but its constants.
 */
#include <stdio.h>
#include "domain.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- 1. main board assembly ---- */
static const store_attr_in board_attrs[] = {
    {"main_board_sn", "Main board serial", "PCB-4410"},
    {"scan_engine_sn", "Scan engine serial", "SE-4710"},
};
static const store_action_in board_prep_actions[] = {
    {"wrist_strap", "Test the wrist strap at the tester: the green lamp must light."},
    {"mat_ground", "Check the ESD mat's ground lead is clipped to the bench rail."},
};
static const store_action_in board_fit_actions[] = {
    {"scan_board", "Scan the main board's serial label (on the back, next to J1)."},
    {"seat_engine", "Seat the scan engine on connector J3 until both latches click."},
    {"torque_screws", "Fasten the two M2 screws to 0.25 N·m with the blue driver."},
    {"scan_engine", "Scan the scan engine's serial label."},
};
static const store_step_in board_steps[] = {
    {"prepare_esd", "Prepare the workstation",
     "Work only on the grounded ESD mat. Boards must stay in their shielding bag until this step is done.",
     board_prep_actions, N(board_prep_actions)},
    {"fit_scan_engine", "Fit the scan engine",
     "Hold the board by its edges. Align the engine's flex cable with J3; never bend the flex more than 90°.",
     board_fit_actions, N(board_fit_actions)},
};

/* ---- 2. battery pack install ---- */
static const store_attr_in battery_attrs[] = {
    {"battery_pack_sn", "Battery pack serial", "BAT-3400"},
};
static const store_action_in battery_inspect_actions[] = {
    {"check_swelling", "Lay the pack on the flat gauge: it must not rock. Reject swollen or dented packs."},
    {"check_date", "Read the date code: packs older than 12 months go back to stores."},
};
static const store_action_in battery_fit_actions[] = {
    {"scan_pack", "Scan the battery pack's serial label."},
    {"plug_connector", "Plug the pack's connector into J7, red wire towards the board edge."},
    {"close_latch", "Press the pack into the bay and slide the latch until it clicks."},
};
static const store_step_in battery_steps[] = {
    {"inspect_pack", "Inspect the battery pack", "Check every pack before fitting it.", battery_inspect_actions,
     N(battery_inspect_actions)},
    {"fit_pack", "Fit and latch the pack", "Never force the connector: if it does not slide in, check the key.",
     battery_fit_actions, N(battery_fit_actions)},
};

/* ---- 3. final assembly and test (produces the scanner's serial) ---- */
static const store_attr_in final_attrs[] = {
    {"trigger_board_sn", "Trigger board serial", "TRG-120"},
};
static const store_action_in final_close_actions[] = {
    {"scan_trigger", "Scan the trigger board's serial label."},
    {"fit_trigger", "Fit the trigger board in the handle and route its cable under the clip."},
    {"close_housing", "Close the housing and fasten the four T6 screws in a cross pattern."},
};
static const store_action_in final_test_actions[] = {
    {"power_on", "Hold the trigger for 3 s: the LED must turn green."},
    {"scan_near", "Scan the test card at 10 cm: one beep within one second."},
    {"scan_far", "Scan the test card at 40 cm: one beep within one second."},
    {"label_serial", "Print the serial label and stick it in the recess under the battery bay."},
};
static const store_step_in final_steps[] = {
    {"close_housing", "Close the housing", "Check that no cable is pinched between the housing halves.",
     final_close_actions, N(final_close_actions)},
    {"functional_test", "Functional test", "A scanner that fails any check goes to the red rework tray.",
     final_test_actions, N(final_test_actions)},
};

/* ---- 4. label and pack ---- */
static const store_attr_in pack_attrs[] = {
    {"carton_sscc", "Shipping carton SSCC", "PKG-CARTON"},
};
static const store_action_in pack_actions[] = {
    {"insert_manual", "Put the quick-start guide on top of the foam insert."},
    {"close_carton", "Close the carton and seal it with one strip of branded tape."},
    {"scan_carton", "Scan the carton's SSCC label."},
};
static const store_step_in pack_steps[] = {
    {"pack_unit", "Pack the unit", "Place the unit in the foam insert, logo up.", pack_actions, N(pack_actions)},
};

/* ---- 5. cradle assembly (produces the cradle's serial) ---- */
static const store_attr_in cradle_attrs[] = {
    {"psu_sn", "Power supply serial", "PSU-12V-2A"},
};
static const store_action_in cradle_actions[] = {
    {"scan_psu", "Scan the power supply's serial label."},
    {"fit_contacts", "Press the charging contacts into the cradle until flush."},
    {"test_charge", "Drop in the test scanner: the charge LED must turn amber within 2 s."},
};
static const store_step_in cradle_steps[] = {
    {"assemble_cradle", "Assemble and test the cradle", "Use the cradle fixture; the contacts face the front.",
     cradle_actions, N(cradle_actions)},
};

static const store_process_in processes[] = {
    {"scanner_board_assembly", "Main board assembly", "Scan engine onto the main board", "PRC-110-1", "A", false,
     board_attrs, N(board_attrs), board_steps, N(board_steps)},
    {"battery_pack_install", "Battery pack install", "Battery pack into the scanner core", "PRC-110-2", "A", false,
     battery_attrs, N(battery_attrs), battery_steps, N(battery_steps)},
    {"scanner_final_assembly", "Final assembly and test", "Housing, trigger and functional test", "PRC-101-3", "A",
     true, final_attrs, N(final_attrs), final_steps, N(final_steps)},
    {"label_and_pack", "Label and pack", "Carton packing for shipment", "PRC-900", "C", false, pack_attrs,
     N(pack_attrs), pack_steps, N(pack_steps)},
    {"cradle_assembly", "Cradle assembly", "Charging cradle assembly and charge test", "PRC-205-1", "B", true,
     cradle_attrs, N(cradle_attrs), cradle_steps, N(cradle_steps)},
};

/* the board and the battery share a group: either may be built first */
static const store_component_in core_components[] = {
    {"scanner_board_assembly", "core", false},
    {"battery_pack_install", "core", false},
};
/* the final test is the last process: the scanner's serial is produced there */
static const store_component_in scanner_components[] = {
    {"sub_scanner_core", NULL, false},
    {"scanner_final_assembly", NULL, false},
};
static const store_component_in cradle_components[] = {
    {"cradle_assembly", NULL, false},
    {"label_and_pack", NULL, true},   /* only when the order asks for retail packing */
};
static const store_product_in products[] = {
    {"sub_scanner_core", "Scanner core module", "SUB-110", "A", STORE_KIND_SUBASSEMBLY, core_components,
     N(core_components)},
    {"prod_101", "Handheld scanner", "PROD-101", "A", STORE_KIND_PRODUCT, scanner_components,
     N(scanner_components)},
    {"prod_205", "Charging cradle", "PROD-205", "B", STORE_KIND_PRODUCT, cradle_components, N(cradle_components)},
};

static const char *const bench1_processes[] = {"scanner_board_assembly", "battery_pack_install"};
static const char *const bench2_processes[] = {"scanner_final_assembly", "cradle_assembly"};
static const char *const packing_processes[] = {"label_and_pack"};
static const store_station_in stations[] = {
    {"bench_1", "Bench 1: electronics", bench1_processes, N(bench1_processes)},
    {"bench_2", "Bench 2: final assembly and test", bench2_processes, N(bench2_processes)},
    {"packing", "Packing", packing_processes, N(packing_processes)},
};

static int demo_run(store_tx *tx, void *arg, store_err *err) {
    (void)arg;
    store_deploy_result res;
    for (size_t i = 0; i < N(processes); i++)
        if (store_tx_deploy_process(tx, &processes[i], &res, err)) return err->code;
    for (size_t i = 0; i < N(products); i++)
        if (store_tx_deploy_product(tx, &products[i], &res, err)) return err->code;
    for (size_t i = 0; i < N(stations); i++)
        if (store_tx_deploy_station(tx, &stations[i], &res, err)) return err->code;
    return STORE_OK;
}

int mes_demo_load(store *st, bool *loaded, store_err *err) {
    store_err local = {0};
    if (!err) err = &local;
    if (loaded) *loaded = false;
    gql_arena a;
    gql_arena_init(&a, 1024);
    store_operation *ops;
    size_t n = 0;
    int rc = store_operations_list(st, NULL, 1, 0, &a, &ops, &n, err);
    gql_arena_free(&a);
    if (rc) return rc;
    if (n) return STORE_OK;   /* not an empty factory: leave it alone */
    rc = store_exec_sync(st, demo_run, NULL, err);
    if (rc == STORE_OK && loaded) *loaded = true;
    return rc;
}
