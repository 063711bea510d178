/*
 * mes_internal.h: what the files of src/mes share, never included outside
 * it. Two halves meet here:
 * - the service core (mes.c, docs.c, exec.c, bus.c, auth.c): documents,
 *   execution, the two-pass mutation, the event bus;
 * - the domain (resolve_*.c, where.c, scalars.c, deploy.c, demo.c): the
 *   resolvers of the API's types and the writes of its mutations.
 *
 * The seams between them are the request context (mes_ctx), the mutation
 * write (mes_write, planned by the domain, run by the core), the event
 * value (mes_event_value: a stream event as the root value of a
 * subscription) and the stream filter (mes_stream_filter, built on the
 * `where` converter mes_where_filter).
 */
#ifndef MES_INTERNAL_H
#define MES_INTERNAL_H
#include "mes.h"

/* ---- the request context (gql_exec_request.context) ------------------- */

typedef struct mes_write mes_write;

typedef struct mes_ctx {
    mes *m;
    store *st;
    const mes_principal *who;
    gql_arena *arena;           /* the request's arena (= gql_resolve_info.arena) */
    /* A mutation's answer pass: the writes planned for its root fields, in
     * the order the root fields execute. NULL for queries and events. */
    mes_write *writes;
    uint32_t nwrites;
} mes_ctx;

/* ---- roles (api.md "Roles") ------------------------------------------- */

typedef enum mes_perm {
    MES_PERM_READ,      /* every role: queries, subscriptions */
    MES_PERM_ORDER,     /* erp, admin: order save/cancel, webhooks */
    MES_PERM_DEPLOY,    /* admin: processCreate, productCreate, stationCreate */
    MES_PERM_FLOOR      /* operator, admin: workOrderStart/Complete, noteCreate */
} mes_perm;
bool mes_may(const mes_principal *who, mes_perm p);
/* The FORBIDDEN field error: "Forbidden: the <role> role may not use <Type.field>." */
gql_rv mes_forbidden(const mes_ctx *c, const gql_resolve_info *info);

/* ---- mutations: planned on the loop, run by the writer, answered after commit

   For every root field of a mutation, in execution order (the engine's
   collected root fields, gql_root_fields):
   1. PLAN (loop thread): the field's planner, registered with
      mes_bind_mutation, gets the coerced arguments and fills a mes_write:
      run + arg for a write, or code + message for an error (no write).
      A field whose arguments do not coerce, or that has no planner, plans
      nothing; the answer pass reports it as the engine does.
   2. RUN (writer thread): one store job runs every planned write in order,
      each in its own savepoint. A write that fails rolls back alone. As
      graphql-js stops a mutation at the first error of a non-null root
      field, writes after a failed write of a non-null field are skipped.
   3. ANSWER (loop thread, after the commit): the mutation is executed with
      gql_execute; each root field's resolver takes its write back with
      mes_ctx_write and returns the result (or mes_write_error).
   The arg and the result live in the request arena; the loop does not
   touch that arena while the job runs. */
struct mes_write {
    const gql_field *field;     /* the root field (set by the core) */
    const char *response_key;   /* its response key (set by the core) */
    store_job_fn run;           /* set by the planner; NULL: nothing to run */
    void *arg;                  /* the planner's, given to run as its arg */
    const char *code;           /* failure: extensions.code ("BAD_INPUT", "NOT_FOUND", …) */
    char message[256];          /* failure: the message */
    gql_val *ext;               /* failure: more extensions members (which input it concerns), or NULL */
    bool ran, skipped;          /* set by the core */
};
typedef void (*mes_plan_fn)(mes_ctx *c, const gql_val *args, mes_write *w);
/* Registers Mutation.<field>'s planner (the field's resolver is bound with
 * gql_schema_bind as usual). */
bool mes_bind_mutation(mes *m, const char *field, mes_plan_fn plan);
/* Sets w->code and w->message: `return mes_write_fail(w, "BAD_INPUT", …);` */
void mes_write_fail(mes_write *w, const char *code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Adds extensions.<key>: value (a string, copied into a) to w's failure, so
 * a client can tell which input the refusal concerns without reading the
 * message: `mes_write_ext(w, a, "attributeId", id)`. value NULL: nothing. */
void mes_write_ext(mes_write *w, gql_arena *a, const char *key, const char *value);
/* Maps a store error to a write failure: ENOTFOUND → NOT_FOUND, EINPUT →
 * BAD_INPUT, ECONFLICT → CONFLICT, EBUSY → BUSY, anything else → INTERNAL. */
/* The GraphQL error code of a store error ("NOT_FOUND", "DATABASE_UNAVAILABLE", …). */
const char *mes_store_code(int code);
void mes_write_fail_store(mes_write *w, const store_err *err);
/* In the answer pass: the write planned for the root field being resolved
 * (matched by response key); NULL when none was planned. */
mes_write *mes_ctx_write(mes_ctx *c, const gql_resolve_info *info);
/* The field error for a failed write. */
gql_rv mes_write_error(mes_ctx *c, const mes_write *w);

/* ---- webhooks: the engine the service reports in its metrics ---- */
void mes_set_hooks(mes *m, mes_hooks *h);
/* A commit appended events: the engine looks for due deliveries now rather
 * than at its next scan tick (the bus calls it; h may be NULL). */
void mes_hooks_poke(mes_hooks *h);
/* Fills the webhook_* fields of out (h may be NULL: pending and failing
 * are read from the store all the same). */
void mes_hooks_fill_metrics(mes_hooks *h, store *st, mes_metrics *out);
/* Counts the webhook outbox (in read passes); done when the count is in:
 * at once on SQLite, after the database answers on PostgreSQL. */
void mes_hooks_count(mes_hooks *h, void (*done)(void *arg), void *arg);

/* ---- the domain's entry points the core calls ------------------------- */

/* Binds every resolver, scalar and mutation planner of the API (resolve_*.c,
 * scalars.c, deploy.c). false with a message on a binding that failed. */
bool mes_bind_domain(mes *m, gql_schema *s, char *err, size_t errlen);

/* A stream event as the value of its subscription's root field (an
 * Operation, a SubOperation, an OperationOrderComplete, a NoteEvent, a
 * WorkOrderEvent), allocated in c->arena. */
gql_rv mes_event_value(mes_ctx *c, store_stream stream, const store_event *ev);

/* The store filter for a `where` argument of a <Type>_bool_exp (already
 * coerced by the engine). *out NULL when where is absent or null. Returns
 * false with a message (an input error: BAD_INPUT) for a comparison with a
 * null value other than _is_null, and the like. */
bool mes_where_filter(gql_arena *a, store_entity e, const gql_val *where, const store_filter **out,
                      const char **message);

/* The store filter a stream's root field (subscription or query) asks for
 * with its coerced arguments: `where` on the four Pico streams, `stationId`
 * on the work-order stream (lower-cased; an unknown station is NOT_FOUND,
 * as in workOrders). *out NULL: every event. false: *code ("BAD_INPUT",
 * "NOT_FOUND", …) and *message say why. */
bool mes_stream_filter(store *st, gql_arena *a, store_stream stream, const gql_val *args, const store_filter **out,
                       const char **code, const char **message);

/* The stream a subscription root field reads ("operationsStream" →
 * STORE_STREAM_OPERATIONS …) and the entity its where filters; false if the
 * field is not a stream. */
bool mes_stream_of_field(const char *field_name, store_stream *stream, store_entity *entity);

/* ---- orders (issue 4): the seam between writes and reads ----

   The completion event's payload (store_tx_append_event on
   STORE_STREAM_COMPLETES, ref = the order id) is written by the completing
   transaction (ORDERS-WRITE) and rendered by the OperationOrderComplete
   resolvers (ORDERS-READ). It never changes. Times are integer ms since the
   epoch, absent values are null:
   {"orderId":"42","operationId":"prod_101","externalOrderId":"SALES-123",
    "secondaryExternalOrderId":null,"orderIndex":0,"wip":false,
    "reservedSerialNumber":null,"at":1764180000123,
    "startedAt":1764179000000,"cycleTime":1000,
    "consumedSerials":[{"id":"battery_pack_sn","name":"Battery pack serial",
                        "externalId":"BAT-3400","value":"B-0001"}],
    "endState":{"producedSerial":"SN-1","at":1764180000123,
                "station":{"id":"st_1","name":"Station 1"},
                "operator":{"id":"3","name":"Ada"}}}
   The note event's payload (STORE_STREAM_NOTES, ref = the note id):
   {"id":"…","externalId":"…","text":…,"metadata":…,"images":[…]|null,
    "eventType":"created","type":{"id":"1","name":"…"}|null,"at":…,
    "orderId":"42"|null,"operationId":…|null,"stationId":…|null,
    "stationName":…|null,"operatorId":…|null,"operatorName":…|null} */

/* An OperationOrder value for the order with this id, read now on the loop
 * (ORDERS-READ): what the shop-floor mutations answer after their commit.
 * A null value when there is no such order. */
gql_rv mes_order_value(mes_ctx *c, int64_t order_id);

#endif
