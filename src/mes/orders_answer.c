/*
 * orders_answer.c: the answers of the order and shop-floor mutations
 * (operationOrderSave, operationOrderCancel, workOrderStart,
 * workOrderComplete, noteCreate), read after the commit, and the binding of
 * their planners (orders.c, floor.c) and resolvers.
 *
 * An answer only reads what its write left (the job's result) and what is
 * committed (the order, through mes_order_value; the note event, through
 * mes_event_value). Must never: answer a write that did not commit, or
 * read the store for a refused one.
 */
#include <stddef.h>
#include <stdio.h>
#include "orders.h"


/* The write of the root field being answered, if it committed; else NULL
 * and *error says why. */
static mes_write *done_write(gql_resolve_info *info, gql_rv *error) {
    mes_ctx *c = mes_ctx_of(info);
    mes_write *w = mes_ctx_write(c, info);
    if (!w) *error = gql_rv_error("This mutation was not planned.", "INTERNAL");
    else if (w->code || !w->ran || w->skipped || !w->arg) *error = mes_write_error(c, w);
    else return w;
    return NULL;
}

typedef struct order_answer {
    const char *message;
    int64_t order_id, canceled_count;
} order_answer;
typedef struct answer_src { mes_row r; order_answer a; } answer_src;

static gql_rv answer_obj(gql_arena *arena, order_answer a) {
    answer_src *s = gql_arena_alloc(arena, sizeof *s);
    s->a = a;
    s->r.row = &s->a;
    return gql_rv_obj(s, NULL);
}

static gql_rv save_answer(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src, (void)args;
    gql_rv e;
    mes_write *w = done_write(info, &e);
    if (!w) return e;
    const mes_save_job *j = w->arg;
    return answer_obj(info->arena, (order_answer){.message = j->created ? "created" : "updated",
                                                  .order_id = j->j.order_id});
}

static gql_rv cancel_answer(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src, (void)args;
    gql_rv e;
    mes_write *w = done_write(info, &e);
    if (!w) return e;
    const mes_cancel_job *j = w->arg;
    return answer_obj(info->arena, (order_answer){.message = j->canceled ? "canceled" : "nothing to cancel",
                                                  .canceled_count = j->canceled});
}

static gql_rv answer_order(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args;
    const order_answer *a = ((const mes_row *)src)->row;
    return mes_order_value(mes_ctx_of(info), a->order_id);
}

static bool bind_erp(mes *m, gql_schema *s, char *err, size_t errlen) {
    static const mes_binding save[] = {
        {"message", mes_field_str, offsetof(order_answer, message)},
        {"operationOrder", answer_order, 0},
    };
    static const mes_binding cancel[] = {
        {"message", mes_field_str, offsetof(order_answer, message)},
        {"canceledCount", mes_field_int, offsetof(order_answer, canceled_count)},
    };
    if (!mes_bind_all(s, "OperationOrderSaveResponse", save, 2, err, errlen) ||
        !mes_bind_all(s, "OperationOrderCancelResponse", cancel, 2, err, errlen))
        return false;
    if (!gql_schema_bind(s, "Mutation", "operationOrderSave", save_answer, NULL) ||
        !mes_bind_mutation(m, "operationOrderSave", mes_plan_save) ||
        !gql_schema_bind(s, "Mutation", "operationOrderCancel", cancel_answer, NULL) ||
        !mes_bind_mutation(m, "operationOrderCancel", mes_plan_cancel)) {
        snprintf(err, errlen, "cannot bind the order mutations");
        return false;
    }
    return true;
}


static gql_rv work_order_answer(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src, (void)args;
    gql_rv e;
    mes_write *w = done_write(info, &e);
    if (!w) return e;
    return mes_order_value(mes_ctx_of(info), ((const mes_order_job *)w->arg)->order_id);
}

static gql_rv note_answer(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src, (void)args;
    gql_rv e;
    mes_write *w = done_write(info, &e);
    if (!w) return e;
    const mes_note_job *j = w->arg;
    store_event ev = {.seq = j->seq, .at = j->at, .ref = j->id, .payload = j->payload};
    return mes_event_value(mes_ctx_of(info), STORE_STREAM_NOTES, &ev);
}

static bool bind_floor(mes *m, gql_schema *s, char *err, size_t errlen) {
    static const struct { const char *field; gql_resolver_fn answer; mes_plan_fn plan; } fields[] = {
        {"workOrderStart", work_order_answer, mes_plan_start},
        {"workOrderComplete", work_order_answer, mes_plan_complete},
        {"noteCreate", note_answer, mes_plan_note},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (!gql_schema_bind(s, "Mutation", fields[i].field, fields[i].answer, NULL) ||
            !mes_bind_mutation(m, fields[i].field, fields[i].plan)) {
            snprintf(err, errlen, "cannot bind Mutation.%s", fields[i].field);
            return false;
        }
    return true;
}

bool mes_bind_order_writes(mes *m, gql_schema *s, char *err, size_t errlen) {
    return bind_erp(m, s, err, errlen) && bind_floor(m, s, err, errlen);
}
