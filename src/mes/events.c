/*
 * events.c: stream events as subscription root values, and which stream
 * each subscription root field reads.
 *
 * An operation or sub-operation event is wrapped exactly as the list
 * resolvers wrap a row (a batch of one), so every nested field resolves the
 * same way in a subscription as in a query. It must never read anything the
 * event does not name, nor keep state between events.
 */
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
    case STORE_STREAM_COMPLETES:
    case STORE_STREAM_NOTES:
    case STORE_STREAM_COUNT:
        break;
    }
    /* Completions and notes arrive with issue 4 (their payload is stored
     * JSON the subscriber renders as is); until then there is no value. */
    return gql_rv_null();
}

bool mes_stream_of_field(const char *field_name, store_stream *stream, store_entity *entity) {
    /* Completions and notes have no store entity: their where is applied by
     * the MES layer to the stored payload (issue 4), so entity is
     * STORE_E_COUNT for them. */
    static const struct { const char *field; store_stream stream; store_entity entity; } map[] = {
        {"operationsStream", STORE_STREAM_OPERATIONS, STORE_E_OPERATION},
        {"subOperationsStream", STORE_STREAM_SUB_OPERATIONS, STORE_E_SUB_OPERATION},
        {"operationOrderCompletesStream", STORE_STREAM_COMPLETES, STORE_E_COUNT},
        {"noteEventsStream", STORE_STREAM_NOTES, STORE_E_COUNT},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (field_name && strcmp(field_name, map[i].field) == 0) {
            if (stream) *stream = map[i].stream;
            if (entity) *entity = map[i].entity;
            return true;
        }
    return false;
}
