/*
 * events.c: stream events as subscription root values, which stream each
 * subscription root field reads, and what completions and notes share:
 * their stored payload read back, and the query that reads their log.
 *
 * An operation or sub-operation event is wrapped exactly as the list
 * resolvers wrap a row (a batch of one), so every nested field resolves the
 * same way in a subscription as in a query; a completion or note event is
 * its stored payload (the format of mes_internal.h), which never changes;
 * a work-order event is its status with the order as it is now.
 * It must never read anything the event does not name, nor keep state
 * between events.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "domain.h"

gql_rv mes_event_value(mes_ctx *c, store_stream stream, const store_event *ev) {
    switch (stream) {
    case STORE_STREAM_OPERATIONS:
        if (!ev->operation) return gql_rv_null();
        return mes_domain_operations_one(c, ev->operation);
    case STORE_STREAM_SUB_OPERATIONS:
        if (!ev->sub_operation) return gql_rv_null();
        return mes_domain_sub_operations_one(c, ev->sub_operation);
    case STORE_STREAM_COMPLETES: return mes_complete_value(c, ev);
    case STORE_STREAM_NOTES: return mes_note_value(c, ev);
    case STORE_STREAM_WORK_ORDERS: return mes_work_order_event_value(c, ev);
    case STORE_STREAM_COUNT: break;
    }
    return gql_rv_null();
}

/* the subscription field of each stream, and the type its `where` filters */
static const struct { const char *field; store_stream stream; store_entity entity; } map[] = {
    {"operationsStream", STORE_STREAM_OPERATIONS, STORE_E_OPERATION},
    {"subOperationsStream", STORE_STREAM_SUB_OPERATIONS, STORE_E_SUB_OPERATION},
    {"operationOrderCompletesStream", STORE_STREAM_COMPLETES, STORE_E_OPERATION_ORDER_COMPLETE},
    {"noteEventsStream", STORE_STREAM_NOTES, STORE_E_NOTE_EVENT},
    {"workOrderEventsStream", STORE_STREAM_WORK_ORDERS, STORE_E_WORK_ORDER_EVENT},
};

bool mes_stream_of_field(const char *field_name, store_stream *stream, store_entity *entity) {
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (field_name && strcmp(field_name, map[i].field) == 0) {
            if (stream) *stream = map[i].stream;
            if (entity) *entity = map[i].entity;
            return true;
        }
    return false;
}

bool mes_stream_filter(store *st, gql_arena *a, store_stream stream, const gql_val *args, const store_filter **out,
                       const char **code, const char **message) {
    *out = NULL;
    if (stream == STORE_STREAM_WORK_ORDERS) return mes_work_order_filter(st, a, args, out, code, message);
    store_entity e = STORE_E_COUNT;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (map[i].stream == stream) e = map[i].entity;
    *code = "BAD_INPUT";
    return mes_where_filter(a, e, gql_val_get(args, "where", 5), out, message);
}

/* ---- payloads ---- */

const gql_val *mes_payload(gql_arena *a, const store_event *ev) {
    const char *err = NULL;
    const gql_val *v = ev->payload ? gql_json_parse(a, ev->payload, strlen(ev->payload), 0, &err) : NULL;
    return v && v->kind == GQL_V_OBJECT ? v : gql_val_object(a, 0);
}

const char *mes_payload_str(const gql_val *obj, const char *key) {
    const gql_val *v = gql_val_get(obj, key, strlen(key));
    return v && v->kind == GQL_V_STRING ? v->u.str.s : NULL;
}

bool mes_payload_int(const gql_val *obj, const char *key, int64_t *out) {
    const gql_val *v = gql_val_get(obj, key, strlen(key));
    if (!v || v->kind != GQL_V_INT) return false;
    *out = v->u.i;
    return true;
}

const char *mes_payload_id(gql_arena *a, const gql_val *obj, const char *key) {
    int64_t i;
    if (mes_payload_int(obj, key, &i)) return gql_arena_printf(a, "%" PRId64, i);
    return mes_payload_str(obj, key);
}

/* ---- Query.operationOrderCompletes, Query.noteEvents, Query.workOrderEvents ---- */

bool mes_stream_query(gql_resolve_info *info, const gql_val *args, store_stream stream, store_event **evs,
                      size_t *n, gql_rv *error) {
    mes_ctx *c = mes_ctx_of(info);
    const store_filter *where;
    int64_t limit, offset;   /* these queries have no offset: afterSeq pages them */
    const char *code = "BAD_INPUT", *msg = NULL;
    if (!mes_stream_filter(c->st, info->arena, stream, args, &where, &code, &msg) ||
        !mes_page_args(info->arena, args, &limit, &offset, &msg)) {
        *error = gql_rv_error(msg, code);
        return false;
    }
    const gql_val *after = gql_val_get(args, "afterSeq", 8);
    int64_t after_seq = after && after->kind == GQL_V_INT ? after->u.i : 0;
    if (after_seq < 0) {   /* the subscriptions' wording (bus.c) */
        *error = gql_rv_error("afterSeq must be 0 or more.", "BAD_INPUT");
        return false;
    }
    store_err err = {0};
    if (store_stream_read(c->st, stream, after_seq, limit, where, info->arena, evs, n, &err)) {
        *error = mes_read_error(info->arena, &err);
        return false;
    }
    return true;
}
