/*
 * waterfall.c: ordering a product or subassembly makes its children's
 * orders as their dependencies complete, and a parent completes when its
 * last child does (api.md "Waterfall"; the steps are described in
 * orders.h).
 *
 * One function decides where an order's tree stands: advance() looks at the
 * order's current components and its children, creates the orders of the
 * first step not yet done (a subassembly child waterfalls in turn) and says
 * whether every step is done. Saving and completing both use it, so a save
 * that changed the selection and a completion see the same rule.
 *
 * Must never: run outside the job's transaction, create an order twice for
 * one component, or complete a parent before its last child (a child's
 * completion event always comes before its parent's).
 */
#include <string.h>
#include "orders.h"

store_order_status mes_order_initial_status(store_kind kind) {
    return kind == STORE_KIND_PROCESS ? STORE_ORDER_READY : STORE_ORDER_CREATED;
}

typedef enum wf_state { WF_PENDING, WF_DONE } wf_state;

static bool listed(const char *const *ids, size_t n, const char *id) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(ids[i], id) == 0) return true;
    return false;
}

/* The live (not canceled) child of order for component op, or NULL. */
static const store_order *child_for(const store_order *kids, size_t nkids, const char *op) {
    for (size_t i = 0; i < nkids; i++)
        if (kids[i].status != STORE_ORDER_CANCELED && strcmp(kids[i].operation_id, op) == 0) return &kids[i];
    return NULL;
}

/* The step of component i: the index of the first component of its group
 * (its own index when it has no group). */
static size_t step_of(const store_component *c, size_t i) {
    if (!c[i].group) return i;
    for (size_t k = 0; k < i; k++)
        if (c[k].group && strcmp(c[k].group, c[i].group) == 0) return k;
    return i;
}

static int complete_order(store_tx *tx, gql_arena *a, const store_order *order, bool leaf, const char *station_id,
                          int64_t operator_id, store_err *err);
static int advance(store_tx *tx, gql_arena *a, const store_order *order, wf_state *state, store_err *err);

/* A new child order for component comp of parent; a product or subassembly
 * child waterfalls at once (and completes at once if it has nothing to
 * build, so its parent is not left waiting for it). */
static int create_child(store_tx *tx, gql_arena *a, const store_order *parent, const store_component *comp,
                        store_err *err) {
    store_order child = *parent;
    child.parent_id = parent->id;
    child.operation_id = comp->operation_id;
    child.status = mes_order_initial_status(comp->kind);
    child.station_id = NULL;
    child.operator_id = 0;
    child.started_at = child.completed_at = 0;
    if (store_tx_order_insert(tx, &child, &child.id, err)) return err->code;
    if (comp->kind == STORE_KIND_PROCESS) return STORE_OK;
    wf_state st;
    if (advance(tx, a, &child, &st, err)) return err->code;
    return st == WF_DONE ? complete_order(tx, a, &child, false, NULL, 0, err) : STORE_OK;
}

static int advance(store_tx *tx, gql_arena *a, const store_order *order, wf_state *state, store_err *err) {
    store_component *comps;
    size_t ncomps, nkids, nsel = 0;
    store_order *kids;
    const char **sel = NULL;
    if (store_tx_components(tx, order->operation_id, a, &comps, &ncomps, err)) return err->code;
    /* the root's selection matters only where a component is optional (its
     * read walks up to the root) */
    bool any_optional = false;
    for (size_t i = 0; i < ncomps; i++) any_optional = any_optional || comps[i].optional;
    if (any_optional && store_tx_order_optionals(tx, order->id, a, &sel, &nsel, err)) return err->code;
    for (;;) {
        if (store_tx_order_children(tx, order->id, a, &kids, &nkids, err)) return err->code;
        /* the first step (in routing order) with a component not completed:
         * a group's later member may hold back a step placed earlier */
        size_t pending = ncomps;
        for (size_t i = 0; i < ncomps; i++) {
            const store_order *kid = child_for(kids, nkids, comps[i].operation_id);
            bool takes_part = !comps[i].optional || kid || listed(sel, nsel, comps[i].operation_id);
            size_t step = step_of(comps, i);
            if (takes_part && !(kid && kid->status == STORE_ORDER_COMPLETED) && step < pending) pending = step;
        }
        if (pending == ncomps) {
            *state = WF_DONE;
            return STORE_OK;
        }
        /* create what that step lacks; a child that completed at once may
         * have finished the step: look again */
        bool again = false;
        for (size_t i = pending; i < ncomps; i++) {
            if (step_of(comps, i) != pending || child_for(kids, nkids, comps[i].operation_id)) continue;
            if (comps[i].optional && !listed(sel, nsel, comps[i].operation_id)) continue;
            if (create_child(tx, a, order, &comps[i], err)) return err->code;
            again = again || comps[i].kind != STORE_KIND_PROCESS;
        }
        if (!again) break;
    }
    *state = WF_PENDING;
    return STORE_OK;
}

int mes_waterfall_begin(store_tx *tx, gql_arena *a, const store_order *order, bool *nothing, store_err *err) {
    wf_state st;
    if (advance(tx, a, order, &st, err)) return err->code;
    *nothing = st == WF_DONE;
    return STORE_OK;
}

static int complete_order(store_tx *tx, gql_arena *a, const store_order *order, bool leaf, const char *station_id,
                          int64_t operator_id, store_err *err) {
    if (store_tx_order_complete(tx, order->id, station_id, operator_id, err)) return err->code;
    /* what the payload needs of the row is known: no need to read it back */
    store_order done = *order;
    done.status = STORE_ORDER_COMPLETED;
    done.completed_at = store_tx_now(tx);
    return mes_completion_append(tx, a, &done, leaf, err);
}

int mes_waterfall_complete(store_tx *tx, gql_arena *a, const store_order *order, const char *station_id,
                           int64_t operator_id, store_err *err) {
    if (complete_order(tx, a, order, true, station_id, operator_id, err)) return err->code;
    for (int64_t up = order->parent_id; up;) {
        store_order *parent;
        if (store_tx_order_get(tx, up, a, &parent, err)) return err->code;
        if (!parent) return store_set_err(err, STORE_ENOTFOUND, "order %lld has no parent row", (long long)up);
        wf_state st;
        if (advance(tx, a, parent, &st, err)) return err->code;
        if (st == WF_PENDING) break;
        if (complete_order(tx, a, parent, false, NULL, 0, err)) return err->code;
        up = parent->parent_id;
    }
    return STORE_OK;
}
