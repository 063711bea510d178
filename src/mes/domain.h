/*
 * domain.h: what the domain files of src/mes (resolve_*.c, where.c,
 * scalars.c, deploy.c, events.c, demo.c) share. Never included by the
 * service core: the core sees the domain only through mes_internal.h.
 *
 * Sources. Every object a domain resolver receives as its source starts
 * with a pointer to its store row (mes_row), so one set of generic field
 * resolvers (mes_field_*, the row member's offset as user data) serves
 * every type.
 *
 * Batches (the N+1 rule). A list of rows is wrapped as refs {row, batch,
 * index} sharing one batch in the request arena. The first resolver of a
 * child list to run for any ref loads that list for EVERY ref of the batch
 * with one store statement, and each ref takes its slice. The children form
 * a batch of their own, so each level costs one statement however many rows
 * the level above has.
 *
 * Decisions where api.md leaves room (kept here so they are found):
 * - Ids: the rule ^[a-z0-9_]{3,50}$ (then lower-cased) covers ids naming API
 *   objects: created processes, products, stations, and the operations they
 *   refer to. Attribute, step and action ids are keys inside their process:
 *   kept as given, never empty (deploy.c).
 * - where: `{ _eq: null }` and every other null (a field, `_and`, `_not`,
 *   `_is_null: null`) is BAD_INPUT; an absent variable leaves its field out
 *   (graphql-js), so `{ name: { _gt: $unset } }` is an empty comparison:
 *   true. `_and: []` is true, `_or: []` false. Ids in comparisons are
 *   lower-cased. Completions and notes are filtered on their stored payload
 *   (what the event shows, which never changes), their `operation` and
 *   `operationOrder` on those objects as they are now.
 * - Operation.subOperations is the current routing (archived links left
 *   out); Query.subOperations lists archived links too, with archivedAt.
 * - A product's producesSerial is its last process's in routing order
 *   (through subassemblies), in results and in filters alike.
 * - limit/offset: negative is BAD_INPUT; a limit over 10,000 is 10,000.
 * - workOrders: an order started at a station is in that station's queue
 *   only, an unstarted one at every station that can do its process; an
 *   unknown stationId is NOT_FOUND. A completion whose order has no
 *   externalOrderId shows "" (String! in Pico's schema).
 */
#ifndef MES_DOMAIN_H
#define MES_DOMAIN_H
#include <stddef.h>
#include "mes_internal.h"

typedef struct mes_row { const void *row; } mes_row;

/* ---- generic field resolvers: info->field->resolve_ud is the offset of the
 *      member in the row ---- */
gql_rv mes_field_str(const void *src, const gql_val *args, gql_resolve_info *info);   /* const char *; NULL: null */
gql_rv mes_field_int(const void *src, const gql_val *args, gql_resolve_info *info);   /* int64_t */
gql_rv mes_field_time(const void *src, const gql_val *args, gql_resolve_info *info);  /* int64_t ms; 0: null */
gql_rv mes_field_bool(const void *src, const gql_val *args, gql_resolve_info *info);  /* bool */

typedef struct mes_binding {
    const char *field;
    gql_resolver_fn fn;
    size_t offset;   /* for mes_field_*: the member's offset in the row */
} mes_binding;
/* Binds type's fields; false with a message naming the first that failed. */
bool mes_bind_all(gql_schema *s, const char *type, const mes_binding *b, size_t n, char *err, size_t errlen);

/* ---- helpers ---- */
mes_ctx *mes_ctx_of(const gql_resolve_info *info);
/* A failed read as a field error (BAD_INPUT for input the store refused, else INTERNAL). */
gql_rv mes_read_error(gql_arena *a, const store_err *err);
/* A list value of count sources: refs + (first + i) * size. */
gql_rv mes_list_of(gql_arena *a, const void *refs, size_t size, size_t first, size_t count);
/* A lower-cased copy in a. */
char *mes_lower(gql_arena *a, const char *s, size_t len);
/* Distinct strings: *uniq gets each once (first-seen order), map[i] the
 * index in *uniq of ids[i]. Returns the number of distinct strings. */
size_t mes_distinct(gql_arena *a, const char *const *ids, size_t n, const char ***uniq, size_t *map);
/* `where`, `limit` and `offset` of a list field, checked (resolve_query.c);
 * false: *error holds the BAD_INPUT field error. */
bool mes_list_args(gql_resolve_info *info, const gql_val *args, store_entity e, const store_filter **where,
                   int64_t *limit, int64_t *offset, gql_rv *error);
/* `limit` and `offset` of a list field: BAD_INPUT (false, message set) when
 * negative; limit absent: the store's page maximum; more is capped to it. */
bool mes_page_args(gql_arena *a, const gql_val *args, int64_t *limit, int64_t *offset, const char **message);
/* "Forbidden: the <role> role may not use <Type>.<field>." */
const char *mes_forbidden_message(gql_arena *a, const mes_principal *who, const char *type, const char *field);

/* ---- operations and sub-operations (resolve_operations.c) ---- */
typedef struct mes_op_batch mes_op_batch;
/* A batch over rows[0..n) (contiguous, as the store returns them). */
mes_op_batch *mes_op_batch_new(mes_ctx *c, const store_operation *rows, size_t n);
/* The list value of rows [first, first + count) of the batch. */
gql_rv mes_op_batch_list(mes_op_batch *b, size_t first, size_t count);
/* One row of the batch as an object value. */
gql_rv mes_op_batch_item(mes_op_batch *b, size_t i);
typedef struct mes_sub_batch mes_sub_batch;
mes_sub_batch *mes_sub_batch_new(mes_ctx *c, const store_sub_operation *rows, size_t n);
gql_rv mes_sub_batch_list(mes_sub_batch *b, size_t first, size_t count);

/* A captured serial (a completion's consumedSerials) is an Attribute with a
 * value; an operation's attributes have none (value NULL). */
typedef struct mes_attr_ref { const store_attribute *row; const char *value; } mes_attr_ref;

/* ---- stations (resolve_stations.c) ---- */
gql_rv mes_station_list(mes_ctx *c, const store_station *rows, size_t n);
/* A batch of stations (their processes load in one statement) and one of
 * them as a value. */
typedef struct mes_station_batch mes_station_batch;
mes_station_batch *mes_station_batch_new(mes_ctx *c, const store_station *rows, size_t n);
gql_rv mes_station_batch_item(mes_station_batch *b, size_t i);

/* ---- orders and operators (resolve_orders.c) ---- */
typedef struct mes_order_batch mes_order_batch;
mes_order_batch *mes_order_batch_new(mes_ctx *c, const store_order *rows, size_t n);
gql_rv mes_order_batch_list(mes_order_batch *b, size_t first, size_t count);
gql_rv mes_order_batch_item(mes_order_batch *b, size_t i);
/* An Operator's source: the store's row with its id as text, or a payload's copy. */
typedef struct mes_operator { const char *id, *name; } mes_operator;
typedef struct mes_operator_ref { const mes_operator *row; } mes_operator_ref;
gql_rv mes_operator_value(gql_arena *a, const char *id, const char *name);   /* null when id is NULL */
/* Distinct integers: as mes_distinct. */
size_t mes_distinct_int(gql_arena *a, const int64_t *ids, size_t n, int64_t **uniq, size_t *map);
/* A link loaded for every item of a batch at once: l->of[i] is item i's
 * target in the batch loaded with it (*out), SIZE_MAX for none. One
 * statement for all n keys (repeated keys, NULL and 0 allowed); false with
 * l->error (a field error) when the read failed. */
typedef struct mes_link { bool done; gql_rv error; size_t *of; } mes_link;
bool mes_link_operations(mes_ctx *c, const char *const *ids, size_t n, mes_link *l, mes_op_batch **out);
bool mes_link_orders(mes_ctx *c, const int64_t *ids, size_t n, mes_link *l, mes_order_batch **out);
/* A batch's link as a resolver's value for ref `index`: refs are n objects
 * of ref_size bytes, each starting with its row pointer (mes_row); the key
 * is the row member at `offset` (const char *: an operation id; int64_t: an
 * order id). The link loads for every ref on first use. */
gql_rv mes_link_operation_item(mes_ctx *c, mes_link *l, mes_op_batch **ops, const void *refs, size_t ref_size,
                               size_t n, size_t offset, size_t index);
gql_rv mes_link_order_item(mes_ctx *c, mes_link *l, mes_order_batch **orders, const void *refs, size_t ref_size,
                           size_t n, size_t offset, size_t index);

/* ---- completions (resolve_completes.c) and notes (resolve_notes.c): the
 *      stored payloads as values ---- */
/* The values of stream events as one batch (their operations, orders and
 * stations load once for all of them). */
gql_rv mes_completes_list(mes_ctx *c, const store_event *evs, size_t n);
gql_rv mes_complete_value(mes_ctx *c, const store_event *ev);
gql_rv mes_notes_list(mes_ctx *c, const store_event *evs, size_t n);
gql_rv mes_note_value(mes_ctx *c, const store_event *ev);

/* ---- work-order events (resolve_work_order_events.c) ---- */
/* An event of the work-order stream: its status and its order as it is now
 * (the orders of a list load with one statement). */
gql_rv mes_work_order_event_value(mes_ctx *c, const store_event *ev);
/* The filter of `stationId` (absent or null: *out NULL), as
 * mes_stream_filter says. */
bool mes_work_order_filter(store *st, gql_arena *a, const gql_val *args, const store_filter **out, const char **code,
                           const char **message);

/* ---- stream events (events.c) ---- */
/* An event's stored payload parsed (in a); an empty object when it does not
 * parse (it is the writer's own JSON: that would be a bug, not an input). */
const gql_val *mes_payload(gql_arena *a, const store_event *ev);
/* A payload member: a string (NULL when absent, null or not a string), an
 * integer (false when absent or not one). An id written as a number is
 * given as text by mes_payload_id. */
const char *mes_payload_str(const gql_val *obj, const char *key);
bool mes_payload_int(const gql_val *obj, const char *key, int64_t *out);
const char *mes_payload_id(gql_arena *a, const gql_val *obj, const char *key);
/* Query.operationOrderCompletes, Query.noteEvents and Query.workOrderEvents:
 * the stream's filter (mes_stream_filter), `afterSeq`, `limit` read from
 * the stream's log; false: *error holds the field error. */
bool mes_stream_query(gql_resolve_info *info, const gql_val *args, store_stream stream, store_event **evs,
                      size_t *n, gql_rv *error);

/* A single operation (or sub-operation) as a resolver value: a batch of one,
 * so its nested fields load the way a list's do. */
gql_rv mes_domain_operations_one(mes_ctx *c, const store_operation *op);
gql_rv mes_domain_sub_operations_one(mes_ctx *c, const store_sub_operation *so);

/* ---- binders, one per file; each returns false with a message in err ---- */
bool mes_bind_scalars(gql_schema *s, char *err, size_t errlen);
bool mes_bind_operations(gql_schema *s, char *err, size_t errlen);
bool mes_bind_stations(gql_schema *s, char *err, size_t errlen);
bool mes_bind_viewer(gql_schema *s, char *err, size_t errlen);   /* resolve_viewer.c */
bool mes_bind_query(gql_schema *s, char *err, size_t errlen);
bool mes_bind_deploy(mes *m, gql_schema *s, char *err, size_t errlen);
bool mes_bind_orders(gql_schema *s, char *err, size_t errlen);
bool mes_bind_completes(gql_schema *s, char *err, size_t errlen);
bool mes_bind_notes(gql_schema *s, char *err, size_t errlen);
bool mes_bind_work_order_events(gql_schema *s, char *err, size_t errlen);

/* ---- ids (deploy.c) ---- */
/* The id rule of deployed objects: ^[a-z0-9_]{3,50}$, case-insensitive. */
bool mes_id_valid(const char *s, size_t len);
/* The planners of processCreate, productCreate, stationCreate. */
void mes_plan_process(mes_ctx *c, const gql_val *args, mes_write *w);
void mes_plan_product(mes_ctx *c, const gql_val *args, mes_write *w);
void mes_plan_station(mes_ctx *c, const gql_val *args, mes_write *w);

/* ---- the order and shop-floor mutations (orders.c, floor.c) ---- */
/* Their planners and answers (orders_answer.c). */
bool mes_bind_order_writes(mes *m, gql_schema *s, char *err, size_t errlen);

#endif
