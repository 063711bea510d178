/*
 * completion.c: the completion event of an order, built in the completing
 * transaction and appended to the completions stream (api.md "Completion
 * events"; the payload's format is fixed in mes_internal.h and rendered as
 * is by the OperationOrderComplete resolvers).
 *
 * What it reports is read from the subtree inside the same transaction:
 * the first start, the last completed process (endState), every serial
 * captured. Must never append for an order that is not completed, or
 * change a payload's format without the read side (resolve_*.c) knowing.
 */
#include <stdio.h>
#include <string.h>
#include "orders.h"

/* Payload members, written one by one (the payloads are flat enough that
 * a tree would only cost allocations). */
void mes_put_key(gql_buf *b, const char *key) {
    if (b->len && b->data[b->len - 1] != '{') gql_buf_putc(b, ',');   /* members follow '{' or a value */
    gql_json_write_string(b, key, strlen(key));
    gql_buf_putc(b, ':');
}
void mes_put_str(gql_buf *b, const char *key, const char *v) {
    mes_put_key(b, key);
    if (v) gql_json_write_string(b, v, strlen(v));
    else gql_buf_puts(b, "null");
}
void mes_put_int(gql_buf *b, const char *key, int64_t v, bool present) {
    mes_put_key(b, key);
    if (present) gql_json_write_int(b, v);
    else gql_buf_puts(b, "null");
}
/* An id the API shows as a string (orders, operators). */
void mes_put_id(gql_buf *b, const char *key, int64_t id) {
    char s[24];
    snprintf(s, sizeof s, "%lld", (long long)id);
    mes_put_str(b, key, s);
}

static void put_end_state(gql_buf *b, const store_order_summary *sum) {
    mes_put_key(b, "endState");
    if (!sum->has_end) {
        gql_buf_puts(b, "null");
        return;
    }
    gql_buf_putc(b, '{');
    mes_put_str(b, "producedSerial", sum->end_produced_serial);
    mes_put_int(b, "at", sum->end_at, true);
    mes_put_key(b, "station");
    if (sum->end_station_id) {
        gql_buf_putc(b, '{');
        mes_put_str(b, "id", sum->end_station_id);
        mes_put_str(b, "name", sum->end_station_name);
        gql_buf_putc(b, '}');
    } else {
        gql_buf_puts(b, "null");
    }
    mes_put_key(b, "operator");
    if (sum->end_operator_id) {
        gql_buf_putc(b, '{');
        mes_put_id(b, "id", sum->end_operator_id);
        mes_put_str(b, "name", sum->end_operator_name);
        gql_buf_putc(b, '}');
    } else {
        gql_buf_puts(b, "null");
    }
    gql_buf_putc(b, '}');
}

int mes_completion_append(store_tx *tx, gql_arena *a, const store_order *order, bool leaf, store_err *err) {
    store_order_summary sum;
    if (store_tx_order_summary(tx, order->id, leaf, a, &sum, err)) return err->code;
    int64_t at = order->completed_at ? order->completed_at : store_tx_now(tx);
    gql_buf b;
    gql_buf_init(&b);
    gql_buf_putc(&b, '{');
    mes_put_id(&b, "orderId", order->id);
    mes_put_str(&b, "operationId", order->operation_id);
    mes_put_str(&b, "externalOrderId", order->external_order_id);
    mes_put_str(&b, "secondaryExternalOrderId", order->secondary_external_order_id);
    mes_put_int(&b, "orderIndex", order->order_index, true);
    mes_put_key(&b, "wip");
    gql_buf_puts(&b, order->parent_id ? "true" : "false");
    mes_put_str(&b, "reservedSerialNumber", order->reserved_serial_number);
    mes_put_int(&b, "at", at, true);
    mes_put_int(&b, "startedAt", sum.started_at, sum.started_at != 0);
    /* whole seconds from the first start, as Pico's cycleTime */
    mes_put_int(&b, "cycleTime", (at - sum.started_at) / 1000, sum.started_at != 0);
    mes_put_key(&b, "consumedSerials");
    gql_buf_putc(&b, '[');
    for (size_t i = 0; i < sum.nconsumed; i++) {
        if (i) gql_buf_putc(&b, ',');
        gql_buf_putc(&b, '{');
        mes_put_str(&b, "id", sum.consumed[i].attribute_id);
        mes_put_str(&b, "name", sum.consumed[i].name);
        mes_put_str(&b, "externalId", sum.consumed[i].external_id);
        mes_put_str(&b, "value", sum.consumed[i].value);
        gql_buf_putc(&b, '}');
    }
    gql_buf_putc(&b, ']');
    put_end_state(&b, &sum);
    gql_buf_putc(&b, '}');
    gql_buf_putc(&b, '\0');
    char ref[24];
    snprintf(ref, sizeof ref, "%lld", (long long)order->id);
    int rc = store_tx_append_event(tx, STORE_STREAM_COMPLETES, ref, b.data, NULL, err);
    gql_buf_free(&b);
    return rc;
}
