/*
 * resolve_query.c: the Query root fields of step 1 (operations, operation,
 * subOperations, stations) and mes_bind_domain, which binds every resolver,
 * scalar and planner of the domain.
 *
 * Each root list is one filtered, paged store read wrapped in a batch
 * (domain.h), so whatever is selected below it costs one statement per
 * level. Must never run a query the role may not (every role reads), nor
 * turn a refused `where`, `limit` or `offset` into anything but a BAD_INPUT
 * field error.
 */
#include <stdio.h>
#include <string.h>
#include "domain.h"
#include "webhooks.h"

bool mes_list_args(gql_resolve_info *info, const gql_val *args, store_entity e, const store_filter **where,
                   int64_t *limit, int64_t *offset, gql_rv *error) {
    const char *msg = NULL;
    if (!mes_where_filter(info->arena, e, gql_val_get(args, "where", 5), where, &msg) ||
        !mes_page_args(info->arena, args, limit, offset, &msg)) {
        *error = gql_rv_error(msg, "BAD_INPUT");
        return false;
    }
    return true;
}

static gql_rv q_operations(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src;
    mes_ctx *c = mes_ctx_of(info);
    const store_filter *where;
    int64_t limit, offset;
    gql_rv e;
    if (!mes_list_args(info, args, STORE_E_OPERATION, &where, &limit, &offset, &e)) return e;
    store_operation *rows;
    size_t n;
    store_err err = {0};
    if (store_operations_list(c->st, where, limit, offset, info->arena, &rows, &n, &err))
        return mes_read_error(info->arena, &err);
    return mes_op_batch_list(mes_op_batch_new(c, rows, n), 0, n);
}

static gql_rv q_operation(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src;
    mes_ctx *c = mes_ctx_of(info);
    const gql_val *id = gql_val_get(args, "id", 2);
    if (!id || id->kind != GQL_V_STRING) return gql_rv_null();
    store_operation *op;
    store_err err = {0};
    if (store_operation_get(c->st, mes_lower(info->arena, id->u.str.s, id->u.str.len), info->arena, &op, &err))
        return mes_read_error(info->arena, &err);
    return op ? mes_domain_operations_one(c, op) : gql_rv_null();
}

static gql_rv q_sub_operations(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src;
    mes_ctx *c = mes_ctx_of(info);
    const store_filter *where;
    int64_t limit, offset;
    gql_rv e;
    if (!mes_list_args(info, args, STORE_E_SUB_OPERATION, &where, &limit, &offset, &e)) return e;
    store_sub_operation *rows;
    size_t n;
    store_err err = {0};
    if (store_sub_operations_list(c->st, where, limit, offset, info->arena, &rows, &n, &err))
        return mes_read_error(info->arena, &err);
    return mes_sub_batch_list(mes_sub_batch_new(c, rows, n), 0, n);
}

static gql_rv q_stations(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src;
    mes_ctx *c = mes_ctx_of(info);
    const store_filter *where;
    int64_t limit, offset;
    gql_rv e;
    if (!mes_list_args(info, args, STORE_E_STATION, &where, &limit, &offset, &e)) return e;
    store_station *rows;
    size_t n;
    store_err err = {0};
    if (store_stations_list(c->st, where, limit, offset, info->arena, &rows, &n, &err))
        return mes_read_error(info->arena, &err);
    return mes_station_list(c, rows, n);
}

bool mes_bind_query(gql_schema *s, char *err, size_t errlen) {
    static const mes_binding query[] = {
        {"operations", q_operations, 0},
        {"operation", q_operation, 0},
        {"subOperations", q_sub_operations, 0},
        {"stations", q_stations, 0},
    };
    return mes_bind_all(s, "Query", query, sizeof query / sizeof query[0], err, errlen);
}

bool mes_bind_domain(mes *m, gql_schema *s, char *err, size_t errlen) {
    if (err && errlen) err[0] = 0;
    return mes_bind_scalars(s, err, errlen) && mes_bind_operations(s, err, errlen) &&
           mes_bind_stations(s, err, errlen) && mes_bind_viewer(s, err, errlen) && mes_bind_query(s, err, errlen) &&
           mes_bind_orders(s, err, errlen) && mes_bind_completes(s, err, errlen) && mes_bind_notes(s, err, errlen) &&
           mes_bind_work_order_events(s, err, errlen) && mes_bind_deploy(m, s, err, errlen) &&
           mes_bind_order_writes(m, s, err, errlen) && mes_bind_webhooks(m, s, err, errlen);
}
