/*
 * orders.c: the ERP's order mutations, operationOrderSave and
 * operationOrderCancel (api.md "Ordering"), and what the order runs share:
 * the savepoint guard that makes a refusal change nothing, refusals, ids.
 *
 * Planned on the loop (role, ids, the renamed fields, defaults), run by the
 * writer (every decision on what the transaction sees), answered after the
 * commit (orders_answer.c). Must never: make two orders for one key, change a started or
 * completed order, or cancel an order that has started.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "orders.h"

/* ---- what the runs share ---- */

int mes_orders_guard(store_tx *tx, mes_write *w, store_job_fn fn, void *arg, store_err *err) {
    store_savepoint sp;
    if (store_tx_savepoint(tx, &sp, err)) return err->code;
    int rc = fn(tx, arg, err);
    if (w->code || rc != STORE_OK || err->code != STORE_OK) {
        store_err e = {0};
        if (store_tx_rollback(tx, &sp, &e)) {
            *err = e;
            return e.code;
        }
        if (w->code) {
            err->code = STORE_OK;   /* a refusal: the write says why */
            return STORE_OK;
        }
        return rc != STORE_OK ? rc : err->code;
    }
    return store_tx_release(tx, err);
}

int mes_orders_refuse(mes_write *w, const char *code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char msg[sizeof w->message];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    mes_write_fail(w, code, "%s", msg);
    return STORE_EUSER;
}

const char *mes_orders_object_id(mes_ctx *c, mes_write *w, const char *id, const char *what) {
    size_t len = id ? strlen(id) : 0;
    if (mes_id_valid(id, len)) return mes_lower(c->arena, id, len);
    mes_write_fail(w, "BAD_INPUT",
                   "Invalid %s id \"%.100s\": an id is 3 to 50 characters, each a letter, a digit or an underscore.",
                   what, id ? id : "");
    return NULL;
}

int64_t mes_orders_parse_id(const char *id) {
    if (!id || !*id || strlen(id) > 18) return 0;
    int64_t v = 0;
    for (const char *p = id; *p; p++) {
        if (*p < '0' || *p > '9') return 0;
        v = v * 10 + (*p - '0');
    }
    return v;
}

/* ---- reading the coerced input ---- */

static const gql_val *member(const gql_val *obj, const char *key) {
    return obj && obj->kind == GQL_V_OBJECT ? gql_val_get(obj, key, strlen(key)) : NULL;   /* absent: NULL */
}
static const char *str_or_null(const gql_val *v) { return v && v->kind == GQL_V_STRING ? v->u.str.s : NULL; }

/* One of two names of a field (api.md: both are accepted): the value of
 * whichever is given; both given with different values is BAD_INPUT. */
static bool renamed(mes_write *w, const gql_val *in, const char *name, const char *old, const gql_val **out) {
    const gql_val *a = member(in, name), *b = member(in, old);
    if (a && b && !gql_val_equal(a, b)) {
        mes_write_fail(w, "BAD_INPUT", "%s and %s are two names of one field: give one of them, or the same value.",
                       name, old);
        return false;
    }
    *out = a ? a : b;
    return true;
}

/* orderIndex: absent or null is 0; negative is BAD_INPUT */
static bool index_of(mes_write *w, const gql_val *v, int64_t *out) {
    *out = v && v->kind == GQL_V_INT ? v->u.i : 0;
    if (*out >= 0) return true;
    mes_write_fail(w, "BAD_INPUT", "orderIndex must be 0 or more, not %lld.", (long long)*out);
    return false;
}

static bool may_order(mes_ctx *c, mes_write *w) {
    if (mes_may(c->who, MES_PERM_ORDER)) return true;
    mes_write_fail(w, "FORBIDDEN", "%s", mes_forbidden_message(c->arena, c->who, "Mutation", w->field->name));
    return false;
}

/* ---- operationOrderSave ---- */

static int save_rule(store_tx *tx, void *arg, store_err *err) {
    mes_save_job *j = arg;
    mes_write *w = j->j.w;
    gql_arena *a = j->j.arena;
    store_operation *op;
    if (store_tx_operation_get(tx, j->operation_id, a, &op, err)) return err->code;
    if (!op) return mes_orders_refuse(w, "NOT_FOUND", "Operation %s not found.", j->operation_id);
    if (j->noptionals) {
        const char **opts;
        size_t nopts;
        if (store_tx_tree_optionals(tx, op->id, a, &opts, &nopts, err)) return err->code;
        for (size_t i = 0; i < j->noptionals; i++) {
            bool found = false;
            for (size_t k = 0; k < nopts && !found; k++) found = strcmp(opts[k], j->optionals[i]) == 0;
            if (!found)
                return mes_orders_refuse(w, "BAD_INPUT", "Operation %s is not an optional component of %s.",
                                         j->optionals[i], op->id);
        }
    }
    store_order *root;
    if (store_tx_order_find_root(tx, j->external_order_id, op->id, j->order_index, a, &root, err)) return err->code;
    if (!root) {
        store_order in = {.external_order_id = j->external_order_id,
                          .secondary_external_order_id = j->secondary_external_order_id,
                          .operation_id = op->id,
                          .reserved_serial_number = j->reserved_serial_number,
                          .order_index = j->order_index,
                          .status = mes_order_initial_status(op->kind)};
        if (store_tx_order_insert(tx, &in, &in.id, err)) return err->code;
        root = gql_arena_alloc(a, sizeof *root);
        *root = in;
        j->created = true;
    } else {
        if (root->status == STORE_ORDER_IN_PROGRESS || root->status == STORE_ORDER_COMPLETED)
            return mes_orders_refuse(w, "ORDER_LOCKED", "Order %lld of %s is %s: it cannot be changed.",
                                     (long long)root->id, op->id,
                                     root->status == STORE_ORDER_COMPLETED ? "completed" : "in progress");
        if (j->has_secondary) root->secondary_external_order_id = j->secondary_external_order_id;
        if (j->has_reserved) root->reserved_serial_number = j->reserved_serial_number;
        if (store_tx_order_tree_save(tx, root->id, root->secondary_external_order_id, root->reserved_serial_number,
                                     err))
            return err->code;
    }
    j->j.order_id = root->id;
    if ((j->created || j->has_optionals) &&
        store_tx_order_set_optionals(tx, root->id, j->optionals, j->noptionals, err))
        return err->code;
    if (op->kind == STORE_KIND_PROCESS) return STORE_OK;
    bool nothing;
    if (mes_waterfall_begin(tx, a, root, &nothing, err)) return err->code;
    if (nothing)
        return mes_orders_refuse(w, "BAD_INPUT", "%s has nothing to build: every component is optional and none "
                                 "is selected.", op->id);
    return STORE_OK;
}

int mes_order_save_run(store_tx *tx, void *arg, store_err *err) {
    mes_save_job *j = arg;
    return mes_orders_guard(tx, j->j.w, save_rule, j, err);
}

void mes_plan_save(mes_ctx *c, const gql_val *args, mes_write *w) {
    if (!may_order(c, w)) return;
    const gql_val *in = member(args, "input"), *index, *select;
    mes_save_job *j = gql_arena_calloc(c->arena, sizeof *j);
    j->j.w = w;
    j->j.arena = c->arena;
    if (!(j->operation_id = mes_orders_object_id(c, w, str_or_null(member(in, "operationId")), "operation")))
        return;
    if (!renamed(w, in, "orderIndex", "operationIndex", &index) || !index_of(w, index, &j->order_index) ||
        !renamed(w, in, "selectOptionalOperationIds", "selectGroupOperations", &select))
        return;
    j->external_order_id = str_or_null(member(in, "externalOrderId"));
    const gql_val *v;
    if ((j->has_secondary = (v = member(in, "secondaryExternalOrderId")) != NULL))
        j->secondary_external_order_id = str_or_null(v);
    if ((j->has_reserved = (v = member(in, "reservedSerialNumber")) != NULL))
        j->reserved_serial_number = str_or_null(v);
    j->has_optionals = select != NULL;
    if (select && select->kind == GQL_V_LIST) {
        const char **ids = gql_arena_calloc(c->arena, (select->u.list.count + 1) * sizeof *ids);
        for (uint32_t i = 0; i < select->u.list.count; i++)
            if (!(ids[i] = mes_orders_object_id(c, w, str_or_null(select->u.list.items[i]), "optional component")))
                return;
        j->optionals = ids;
        j->noptionals = select->u.list.count;
    }
    w->run = mes_order_save_run;
    w->arg = j;
}

/* ---- operationOrderCancel ---- */

static int cancel_rule(store_tx *tx, void *arg, store_err *err) {
    mes_cancel_job *j = arg;
    store_operation *op;
    if (store_tx_operation_get(tx, j->operation_id, j->j.arena, &op, err)) return err->code;
    if (!op) return mes_orders_refuse(j->j.w, "NOT_FOUND", "Operation %s not found.", j->operation_id);
    return store_tx_orders_cancel(tx, j->external_order_id, op->id, j->order_index, &j->canceled, err);
}

int mes_order_cancel_run(store_tx *tx, void *arg, store_err *err) {
    mes_cancel_job *j = arg;
    return mes_orders_guard(tx, j->j.w, cancel_rule, j, err);
}

void mes_plan_cancel(mes_ctx *c, const gql_val *args, mes_write *w) {
    if (!may_order(c, w)) return;
    const gql_val *in = member(args, "input");
    mes_cancel_job *j = gql_arena_calloc(c->arena, sizeof *j);
    j->j.w = w;
    j->j.arena = c->arena;
    if (!(j->operation_id = mes_orders_object_id(c, w, str_or_null(member(in, "operationId")), "operation")))
        return;
    if (!index_of(w, member(in, "orderIndex"), &j->order_index)) return;
    const gql_val *all = member(in, "cancelAll");
    if (all && all->kind == GQL_V_BOOL && all->u.b) j->order_index = -1;
    j->external_order_id = str_or_null(member(in, "externalOrderId"));
    w->run = mes_order_cancel_run;
    w->arg = j;
}
