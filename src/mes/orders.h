/*
 * orders.h: what the writer side of orders shares (orders.c, floor.c,
 * waterfall.c, completion.c): the runs of the order and shop-floor
 * mutations, the waterfall and the completion event. Private to src/mes.
 *
 * A run executes on the writer thread inside the job's transaction and
 * makes every decision of its rule there (never on a read made on the loop:
 * another request may commit in between). A refusal is a value: the run
 * sets its write's code and message (mes_write_fail) and everything it
 * wrote is rolled back (mes_orders_guard), so a refused mutation changes
 * nothing, events included.
 *
 * Decisions where api.md leaves room:
 * - A process order is READY when created; a product or subassembly order
 *   is CREATED (it is not a work order: nothing is done at it) and becomes
 *   IN_PROGRESS when any order of its tree starts, COMPLETED when its last
 *   child completes.
 * - The waterfall's steps: components in routing order; a component
 *   without a group is a step of its own, a group's members form one step
 *   placed where the group first appears. A component takes part when it is
 *   not optional, when the root's selection names it, or when it already
 *   has an order (saving again keeps existing children).
 * - Saving an unstarted order again updates its secondaryExternalOrderId,
 *   reservedSerialNumber and selection (a field left out keeps its value,
 *   an explicit null clears it), and the inherited fields of every child
 *   already created; it restores a canceled tree. A selection naming
 *   an operation that is not an optional component of the tree is
 *   BAD_INPUT, and so is a product with nothing to build. Both names of a
 *   renamed field may be given only with the same value.
 * - Cancel names a root by (externalOrderId, operationId, orderIndex);
 *   started or completed roots are left as they are (the message then says
 *   "nothing to cancel" when nothing else was canceled). cancelAll: true
 *   wins over an orderIndex given with it.
 * - Starting an IN_PROGRESS order again hands it over (station, operator)
 *   and keeps its start time. Completing an IN_PROGRESS order at another
 *   station than the one it started at is WRONG_STATION; operatorName, when
 *   given, names who completed it. A product order is never completed
 *   directly (BAD_INPUT): its last child completes it.
 * - A consumed serial's identity key is its attribute's part number, or
 *   the attribute id when it has none; a produced serial's is the process's
 *   part number, or its id. An empty value counts as missing. A serial for
 *   an attribute the process does not have, the same attribute twice, or a
 *   produced serial for a process that produces none is BAD_INPUT.
 */
#ifndef MES_ORDERS_H
#define MES_ORDERS_H
#include "domain.h"

/* The fields of a run's arg every rule has: its write (for refusals) and
 * the arena its reads allocate in (the request's; the loop leaves it alone
 * while the job runs). */
typedef struct mes_order_job {
    mes_write *w;
    gql_arena *arena;
    int64_t order_id;        /* the answer: the order saved, started or completed */
} mes_order_job;

/* Runs fn(tx, arg, err) in its own savepoint. A refusal (fn set w->code)
 * rolls it back and returns STORE_OK, so the write keeps its own code (the
 * core would map a failing run's store error to a generic one); a store
 * error rolls back and is returned. */
int mes_orders_guard(store_tx *tx, mes_write *w, store_job_fn fn, void *arg, store_err *err);
/* A refusal from inside a run: sets the write's code and message and
 * returns STORE_EUSER (non-zero: the run stops). */
int mes_orders_refuse(mes_write *w, const char *code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- the runs (each a store_job_fn over its own arg) ---- */

typedef struct mes_save_job {
    mes_order_job j;
    const char *external_order_id, *secondary_external_order_id, *reserved_serial_number, *operation_id;
    int64_t order_index;
    bool has_secondary, has_reserved, has_optionals;   /* given (else kept on update) */
    const char *const *optionals;   /* lower-cased ids */
    size_t noptionals;
    bool created;                   /* the answer: "created" or "updated" */
} mes_save_job;
int mes_order_save_run(store_tx *tx, void *arg, store_err *err);

typedef struct mes_cancel_job {
    mes_order_job j;
    const char *external_order_id, *operation_id;
    int64_t order_index;            /* -1: cancelAll */
    int64_t canceled;               /* the answer */
} mes_cancel_job;
int mes_order_cancel_run(store_tx *tx, void *arg, store_err *err);

typedef struct mes_floor_job {
    mes_order_job j;
    const char *station_id;         /* lower-cased; NULL when not given */
    const char *bound_station;      /* an operator token's station, or NULL */
    const char *operator_name;      /* NULL when not given */
    const char *produced_serial;    /* complete: NULL when not given */
    const char *const *attr_ids;    /* complete: the consumed serials given */
    const char *const *values;
    size_t nserials;
} mes_floor_job;
int mes_work_order_start_run(store_tx *tx, void *arg, store_err *err);
int mes_work_order_complete_run(store_tx *tx, void *arg, store_err *err);

typedef struct mes_note_job {
    mes_order_job j;
    const char *text, *external_id, *type_name, *metadata_json, *images_json;
    char id[40];                    /* the note's id, made by the planner */
    int64_t seq, at;                /* the answer: the note event */
    const char *payload;
} mes_note_job;
int mes_note_create_run(store_tx *tx, void *arg, store_err *err);

/* ---- the waterfall (waterfall.c) ---- */

/* The status a new order of this kind starts in. */
store_order_status mes_order_initial_status(store_kind kind);
/* Creates the first step of a new product or subassembly order's children
 * (and theirs, down the tree). *nothing: it has nothing to build. */
int mes_waterfall_begin(store_tx *tx, gql_arena *a, const store_order *order, bool *nothing, store_err *err);
/* Completes a process order (already checked and its serials captured):
 * marks it COMPLETED and appends its completion, then walks up: each parent
 * gets its next step's orders, or completes (with its completion event) when
 * every child is done, and so on to the root. One transaction: the job's. */
int mes_waterfall_complete(store_tx *tx, gql_arena *a, const store_order *order, const char *station_id,
                           int64_t operator_id, store_err *err);

/* ---- completion events (completion.c) ---- */

/* Appends the completion event of an order just marked COMPLETED, in the
 * payload format of mes_internal.h. leaf: the order has no children. */
int mes_completion_append(store_tx *tx, gql_arena *a, const store_order *order, bool leaf, store_err *err);
/* Writing a payload's members (the comma is added when needed); NULL
 * strings and absent ints are null. An id is an integer shown as a string. */
void mes_put_key(gql_buf *b, const char *key);
void mes_put_str(gql_buf *b, const char *key, const char *v);
void mes_put_int(gql_buf *b, const char *key, int64_t v, bool present);
void mes_put_id(gql_buf *b, const char *key, int64_t id);

/* ---- planners (orders.c, floor.c); mes_bind_order_writes (domain.h) ---- */
void mes_plan_save(mes_ctx *c, const gql_val *args, mes_write *w);
void mes_plan_cancel(mes_ctx *c, const gql_val *args, mes_write *w);
void mes_plan_start(mes_ctx *c, const gql_val *args, mes_write *w);
void mes_plan_complete(mes_ctx *c, const gql_val *args, mes_write *w);
void mes_plan_note(mes_ctx *c, const gql_val *args, mes_write *w);

/* The lower-cased operation or station id under the id rule (deploy.c);
 * NULL with w failed (BAD_INPUT). what: "operation", "station". */
const char *mes_orders_object_id(mes_ctx *c, mes_write *w, const char *id, const char *what);
/* An order id of the API (a decimal integer); 0 when it cannot be one. */
int64_t mes_orders_parse_id(const char *id);

#endif
