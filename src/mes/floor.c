/*
 * floor.c: the shop-floor mutations, workOrderStart, workOrderComplete and
 * noteCreate (api.md "Shop floor"; the decisions api.md leaves open are in
 * orders.h).
 *
 * The planner checks what needs no database (role, ids, an operator token's
 * station, the shape of the serials); the run decides everything else in
 * the transaction, in the order api.md lists the rules, so the first rule
 * broken is the one reported. A completion captures the serials, completes
 * the order and lets the waterfall advance and complete parents, with one
 * completion event per completed order, all in the job's transaction. The
 * answers are in orders_answer.c.
 *
 * Must never: change anything for a refused request, let an operator token
 * work at another station than its own, or consume a serial twice.
 */
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "orders.h"

/* ---- planning ---- */

/* Which input a refused completion concerns, as extensions members
 * (api.md: an addition): field "consumedSerials" with the attributeId, or
 * "producedSerial"; serial: the value refused, when one was given. An
 * operator's screen shows the refusal next to that input. */
static void serial_ext(mes_write *w, gql_arena *a, const char *attribute_id, const char *serial) {
    mes_write_ext(w, a, "field", attribute_id ? "consumedSerials" : "producedSerial");
    mes_write_ext(w, a, "attributeId", attribute_id);
    mes_write_ext(w, a, "serial", serial);
}

static const gql_val *member(const gql_val *obj, const char *key) {
    const gql_val *v = obj && obj->kind == GQL_V_OBJECT ? gql_val_get(obj, key, strlen(key)) : NULL;
    return v && v->kind != GQL_V_NULL ? v : NULL;
}
static const char *str_of(const gql_val *obj, const char *key) {
    const gql_val *v = member(obj, key);
    return v && v->kind == GQL_V_STRING ? v->u.str.s : NULL;
}

/* The role check, and the order id (one that cannot exist is NOT_FOUND). */
static bool plan_common(mes_ctx *c, mes_write *w, const gql_val *in, mes_order_job *j) {
    if (!mes_may(c->who, MES_PERM_FLOOR)) {
        mes_write_fail(w, "FORBIDDEN", "%s", mes_forbidden_message(c->arena, c->who, "Mutation", w->field->name));
        return false;
    }
    const char *id = str_of(in, "operationOrderId");
    j->w = w;
    j->arena = c->arena;
    if (!(j->order_id = mes_orders_parse_id(id))) {
        mes_write_fail(w, "NOT_FOUND", "Order %.60s not found.", id ? id : "");
        return false;
    }
    return true;
}

/* An operator name: surrounding blanks dropped, never empty. NULL when
 * absent; false (w failed) when blank. */
static bool operator_name(mes_ctx *c, mes_write *w, const char *name, const char **out) {
    *out = NULL;
    if (!name) return true;
    while (*name == ' ' || *name == '\t') name++;
    size_t len = strlen(name);
    while (len && (name[len - 1] == ' ' || name[len - 1] == '\t')) len--;
    if (!len) {
        mes_write_fail(w, "BAD_INPUT", "operatorName must not be empty.");
        return false;
    }
    *out = gql_arena_strndup(c->arena, name, len);
    return true;
}

/* The station part: stationId under the id rule, and the token's own
 * station (an operator token bound to a station works there only). */
static bool plan_station(mes_ctx *c, mes_write *w, const gql_val *in, mes_floor_job *j) {
    const char *sid = str_of(in, "stationId");
    if (sid && !(j->station_id = mes_orders_object_id(c, w, sid, "station"))) return false;
    if (c->who->station_id[0]) {
        j->bound_station = mes_lower(c->arena, c->who->station_id, strlen(c->who->station_id));
        if (j->station_id && strcmp(j->station_id, j->bound_station) != 0) {
            mes_write_fail(w, "WRONG_STATION", "This token works at station %s only, not at %s.", j->bound_station,
                           j->station_id);
            return false;
        }
    }
    return true;
}

void mes_plan_start(mes_ctx *c, const gql_val *args, mes_write *w) {
    const gql_val *in = member(args, "input");
    mes_floor_job *j = gql_arena_calloc(c->arena, sizeof *j);
    if (!plan_common(c, w, in, &j->j) || !plan_station(c, w, in, j) ||
        !operator_name(c, w, str_of(in, "operatorName"), &j->operator_name))
        return;
    w->run = mes_work_order_start_run;
    w->arg = j;
}

void mes_plan_complete(mes_ctx *c, const gql_val *args, mes_write *w) {
    const gql_val *in = member(args, "input");
    mes_floor_job *j = gql_arena_calloc(c->arena, sizeof *j);
    if (!plan_common(c, w, in, &j->j) || !plan_station(c, w, in, j) ||
        !operator_name(c, w, str_of(in, "operatorName"), &j->operator_name))
        return;
    j->produced_serial = str_of(in, "producedSerial");
    const gql_val *list = member(in, "consumedSerials");
    uint32_t n = list && list->kind == GQL_V_LIST ? list->u.list.count : 0;
    const char **ids = gql_arena_calloc(c->arena, (n + 1) * sizeof *ids);
    const char **values = gql_arena_calloc(c->arena, (n + 1) * sizeof *values);
    for (uint32_t i = 0; i < n; i++) {
        ids[i] = str_of(list->u.list.items[i], "attributeId");
        values[i] = str_of(list->u.list.items[i], "value");
        if (!ids[i] || !values[i]) {
            mes_write_fail(w, "BAD_INPUT", "A consumed serial needs an attributeId and a value.");
            return;
        }
        for (uint32_t k = 0; k < i; k++)
            if (strcmp(ids[k], ids[i]) == 0) {
                mes_write_fail(w, "BAD_INPUT", "Consumed serial %.100s is given twice.", ids[i]);
                serial_ext(w, c->arena, ids[i], NULL);
                return;
            }
    }
    j->attr_ids = ids;
    j->values = values;
    j->nserials = n;
    w->run = mes_work_order_complete_run;
    w->arg = j;
}

/* ---- the rules (writer thread) ---- */

/* The order and its operation; refuses an unknown order. */
static int load(store_tx *tx, mes_floor_job *j, store_order **order, store_operation **op, store_err *err) {
    if (store_tx_order_get(tx, j->j.order_id, j->j.arena, order, err)) return err->code;
    if (!*order) return mes_orders_refuse(j->j.w, "NOT_FOUND", "Order %lld not found.", (long long)j->j.order_id);
    if (store_tx_operation_get(tx, (*order)->operation_id, j->j.arena, op, err)) return err->code;
    if (!*op) return store_set_err(err, STORE_ENOTFOUND, "operation %s vanished", (*order)->operation_id);
    return STORE_OK;
}

static int refuse_not_ready(mes_write *w, const store_order *o, const store_operation *op, const char *what) {
    if (op->kind != STORE_KIND_PROCESS)
        return mes_orders_refuse(w, "NOT_READY",
                                 "Order %lld is for %s, not a process: it is built through its process orders.",
                                 (long long)o->id, op->id);
    return mes_orders_refuse(w, "NOT_READY", "Order %lld cannot be %s: it is %s.", (long long)o->id, what,
                             store_order_status_name(o->status));
}

/* Starts a READY (or hands over an IN_PROGRESS) order at j's station. */
static int start(store_tx *tx, mes_floor_job *j, const store_order *o, const store_operation *op, int64_t *who,
                 store_err *err) {
    bool found, can;
    if (store_tx_station_can(tx, j->station_id, op->id, &found, &can, err)) return err->code;
    if (!found) return mes_orders_refuse(j->j.w, "NOT_FOUND", "Station %s not found.", j->station_id);
    if (!can)
        return mes_orders_refuse(j->j.w, "WRONG_STATION", "Station %s cannot do process %s.", j->station_id, op->id);
    if (store_tx_operator_find_or_create(tx, j->operator_name, who, err)) return err->code;
    return store_tx_order_start(tx, o->id, j->station_id, *who, o->parent_id != 0, err);
}

static int start_rule(store_tx *tx, void *arg, store_err *err) {
    mes_floor_job *j = arg;
    store_order *o;
    store_operation *op;
    if (load(tx, j, &o, &op, err)) return err->code;
    if (op->kind != STORE_KIND_PROCESS ||
        (o->status != STORE_ORDER_READY && o->status != STORE_ORDER_IN_PROGRESS))
        return refuse_not_ready(j->j.w, o, op, "started");
    int64_t who;
    return start(tx, j, o, op, &who, err);
}

int mes_work_order_start_run(store_tx *tx, void *arg, store_err *err) {
    mes_floor_job *j = arg;
    return mes_orders_guard(tx, j->j.w, start_rule, j, err);
}

/* The value given for attribute id, or NULL. */
static const char *given(const mes_floor_job *j, const char *id) {
    for (size_t i = 0; i < j->nserials; i++)
        if (strcmp(j->attr_ids[i], id) == 0) return j->values[i];
    return NULL;
}

/* Every consumed serial of the process, and its produced serial: checked,
 * then captured (a pair already taken refuses the whole completion). */
static int capture(store_tx *tx, mes_floor_job *j, const store_order *o, const store_operation *op,
                   store_err *err) {
    mes_write *w = j->j.w;
    store_attribute *attrs;
    size_t n;
    if (store_tx_process_attrs(tx, op->id, j->j.arena, &attrs, &n, err)) return err->code;
    for (size_t i = 0; i < j->nserials; i++) {
        bool known = false;
        for (size_t k = 0; k < n && !known; k++) known = strcmp(attrs[k].id, j->attr_ids[i]) == 0;
        if (!known) {
            serial_ext(w, j->j.arena, j->attr_ids[i], NULL);
            return mes_orders_refuse(w, "BAD_INPUT", "Process %s has no consumed serial %.100s.", op->id,
                                     j->attr_ids[i]);
        }
    }
    for (size_t k = 0; k < n; k++) {
        const char *v = given(j, attrs[k].id);
        if (!v || !*v) {
            serial_ext(w, j->j.arena, attrs[k].id, NULL);
            return mes_orders_refuse(w, "MISSING_SERIAL", "Order %lld needs a value for consumed serial %s%s%s%s.",
                                     (long long)o->id, attrs[k].id, attrs[k].name ? " (" : "",
                                     attrs[k].name ? attrs[k].name : "", attrs[k].name ? ")" : "");
        }
    }
    const char *produced = j->produced_serial ? j->produced_serial : o->reserved_serial_number;
    if (!op->produces_serial && j->produced_serial) {
        serial_ext(w, j->j.arena, NULL, j->produced_serial);
        return mes_orders_refuse(w, "BAD_INPUT", "Process %s produces no serial: producedSerial must be left out.",
                                 op->id);
    }
    if (op->produces_serial && (!produced || !*produced)) {
        serial_ext(w, j->j.arena, NULL, NULL);
        return mes_orders_refuse(w, "MISSING_SERIAL",
                                 "Order %lld needs a produced serial: process %s produces one and the order "
                                 "reserves none.",
                                 (long long)o->id, op->id);
    }
    for (size_t k = 0; k < n; k++) {
        store_serial_in s = {.order_id = o->id,
                             .attribute_id = attrs[k].id,
                             .attribute_name = attrs[k].name,
                             .external_id = attrs[k].part_number,
                             .key = attrs[k].part_number ? attrs[k].part_number : attrs[k].id,
                             .value = given(j, attrs[k].id)};
        bool taken;
        if (store_tx_serial_consume(tx, &s, &taken, err)) return err->code;
        if (taken) {
            serial_ext(w, j->j.arena, attrs[k].id, s.value);
            return mes_orders_refuse(w, "SERIAL_ALREADY_CONSUMED", "Serial %.100s of %s was already consumed.",
                                     s.value, s.key);
        }
    }
    if (op->produces_serial) {
        const char *key = op->external_id ? op->external_id : op->id;
        bool taken;
        if (store_tx_serial_produce(tx, o->id, key, produced, &taken, err)) return err->code;
        if (taken) {
            serial_ext(w, j->j.arena, NULL, produced);
            return mes_orders_refuse(w, "DUPLICATE_PRODUCED_SERIAL", "Serial %.100s of %s was already produced.",
                                     produced, key);
        }
    }
    return STORE_OK;
}

static int complete_rule(store_tx *tx, void *arg, store_err *err) {
    mes_floor_job *j = arg;
    mes_write *w = j->j.w;
    store_order *o;
    store_operation *op;
    if (load(tx, j, &o, &op, err)) return err->code;
    if (op->kind != STORE_KIND_PROCESS)
        return mes_orders_refuse(w, "BAD_INPUT", "Order %lld is for %s, not a process: it completes when its last "
                                 "child completes.", (long long)o->id, op->id);
    int64_t who = 0;
    if (o->status == STORE_ORDER_READY) {
        if (!j->station_id || !j->operator_name)
            return mes_orders_refuse(w, "BAD_INPUT", "Order %lld has not started: completing it starts it too, so "
                                     "stationId and operatorName are required.", (long long)o->id);
        if (start(tx, j, o, op, &who, err)) return err->code;
    } else if (o->status == STORE_ORDER_IN_PROGRESS) {
        const char *at = o->station_id ? o->station_id : "";
        if ((j->station_id && strcmp(j->station_id, at) != 0) || (j->bound_station && strcmp(j->bound_station, at) != 0))
            return mes_orders_refuse(w, "WRONG_STATION", "Order %lld is in progress at station %s, not at %s.",
                                     (long long)o->id, at, j->station_id ? j->station_id : j->bound_station);
        if (j->operator_name && store_tx_operator_find_or_create(tx, j->operator_name, &who, err)) return err->code;
    } else {
        return refuse_not_ready(w, o, op, "completed");
    }
    if (capture(tx, j, o, op, err)) return err->code;
    return mes_waterfall_complete(tx, j->j.arena, o, NULL, who, err);
}

int mes_work_order_complete_run(store_tx *tx, void *arg, store_err *err) {
    mes_floor_job *j = arg;
    return mes_orders_guard(tx, j->j.w, complete_rule, j, err);
}

/* ---- noteCreate ---- */

void mes_plan_note(mes_ctx *c, const gql_val *args, mes_write *w) {
    const gql_val *in = member(args, "input");
    mes_note_job *j = gql_arena_calloc(c->arena, sizeof *j);
    if (!plan_common(c, w, in, &j->j)) return;
    j->text = str_of(in, "text");
    j->external_id = str_of(in, "externalId");
    j->type_name = str_of(in, "typeName");
    if (j->type_name && !*j->type_name) j->type_name = NULL;
    gql_buf b;
    const gql_val *meta = member(in, "metadata"), *images = member(in, "images");
    if (meta) {
        gql_buf_init(&b);
        gql_json_write_val(&b, meta);
        j->metadata_json = gql_arena_strndup(c->arena, b.data, b.len);
        gql_buf_free(&b);
    }
    if (images) {
        gql_buf_init(&b);
        gql_json_write_val(&b, images);
        j->images_json = gql_arena_strndup(c->arena, b.data, b.len);
        gql_buf_free(&b);
    }
    /* a random id (RFC 4122 version 4 layout): notes are made on many
     * stations and must never collide */
    unsigned char r[16];
    if (RAND_bytes(r, sizeof r) != 1) {
        mes_write_fail(w, "INTERNAL", "No randomness for a note id.");
        return;
    }
    r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
    r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
    snprintf(j->id, sizeof j->id, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", r[0], r[1],
             r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15]);
    if (!j->external_id) j->external_id = j->id;
    w->run = mes_note_create_run;
    w->arg = j;
}

static int note_rule(store_tx *tx, void *arg, store_err *err) {
    mes_note_job *j = arg;
    gql_arena *a = j->j.arena;
    store_order *o;
    if (store_tx_order_get(tx, j->j.order_id, a, &o, err)) return err->code;
    if (!o) return mes_orders_refuse(j->j.w, "NOT_FOUND", "Order %lld not found.", (long long)j->j.order_id);
    int64_t type_id = 0;
    if (j->type_name && store_tx_note_type(tx, j->type_name, &type_id, err)) return err->code;
    store_note_in note = {.id = j->id, .external_id = j->external_id, .text = j->text,
                          .metadata_json = j->metadata_json, .images_json = j->images_json,
                          .order_id = o->id, .type_id = type_id};
    if (store_tx_note_insert(tx, &note, err)) return err->code;
    const char *station_name = NULL, *operator_name = NULL;
    if (store_tx_names(tx, o->station_id, o->operator_id, a, &station_name, &operator_name, err)) return err->code;
    j->at = store_tx_now(tx);
    gql_buf b;
    gql_buf_init(&b);
    gql_buf_putc(&b, '{');
    mes_put_str(&b, "id", j->id);
    mes_put_str(&b, "externalId", j->external_id);
    mes_put_str(&b, "text", j->text);
    mes_put_key(&b, "metadata");
    gql_buf_puts(&b, j->metadata_json ? j->metadata_json : "null");
    mes_put_key(&b, "images");
    gql_buf_puts(&b, j->images_json ? j->images_json : "null");
    mes_put_str(&b, "eventType", "created");
    mes_put_key(&b, "type");
    if (type_id) {
        gql_buf_putc(&b, '{');
        mes_put_id(&b, "id", type_id);
        mes_put_str(&b, "name", j->type_name);
        gql_buf_putc(&b, '}');
    } else {
        gql_buf_puts(&b, "null");
    }
    mes_put_int(&b, "at", j->at, true);
    mes_put_id(&b, "orderId", o->id);
    mes_put_str(&b, "operationId", o->operation_id);
    mes_put_str(&b, "stationId", o->station_id);
    mes_put_str(&b, "stationName", station_name);
    if (o->operator_id) mes_put_id(&b, "operatorId", o->operator_id);
    else mes_put_str(&b, "operatorId", NULL);
    mes_put_str(&b, "operatorName", operator_name);
    gql_buf_putc(&b, '}');
    j->payload = gql_arena_strndup(a, b.data, b.len);
    gql_buf_free(&b);
    return store_tx_append_event(tx, STORE_STREAM_NOTES, j->id, j->payload, &j->seq, err);
}

int mes_note_create_run(store_tx *tx, void *arg, store_err *err) {
    mes_note_job *j = arg;
    return mes_orders_guard(tx, j->j.w, note_rule, j, err);
}
