/*
 * store_filter_orders.c: the filter tables of the entities that live in a
 * stored event's payload: OperationOrderComplete (and its OperationSummary,
 * State, and the State's Station and Operator) and NoteEvent (NoteType,
 * NoteState, its Station and Operator). store_filter.c compiles them like
 * its own tables (store_filter_payload_entity is its hook).
 *
 * A field is an expression on the payload (`payload ->> 'a.b'`, SQLite's
 * JSON operator: the path '$.a.b'); an object inside the payload is an
 * entity without a table (the same row); `operation` and `operationOrder`
 * join the operation and the order as they are now, through the id the
 * payload names. The payload formats are fixed in mes_internal.h.
 *
 * On PostgreSQL the payload is jsonb: `#>>` with the same path split at
 * its dots gives text, cast where SQLite's `->>` gives a number (a JSON
 * boolean is SQLite's 1 or 0).
 *
 * Ids the payload holds as text but another writer might hold as a number
 * (operator, note type) are compared as text; the order id joins as an
 * integer. Must never: name anything but a constant path (values are bound
 * by the compiler), or disagree with the payload format of mes_internal.h.
 */
#include "store_internal.h"

/* A payload field: SQLite's expression, and PostgreSQL's (field_def.pg),
 * cast by the field's type to what SQLite's ->> gives. */
#define PG_AT(path) "$.payload #>> string_to_array('" path "', '.')"
#define PG_CAST_FT_STRING ""
#define PG_CAST_FT_ID ""
#define PG_CAST_FT_INT "::numeric"
#define PG_CAST_FT_TIME "::numeric"
#define PG_CAST_FT_BOOL "::boolean::int"
#define PAYLOAD(name, path, type) {name, "($.payload ->> '" path "')", type, 0, "((" PG_AT(path) ")" PG_CAST_##type ")"}
/* an id compared as text whatever JSON type holds it */
#define PAYLOAD_TEXT(name, path) \
    {name, "(CAST($.payload ->> '" path "' AS TEXT))", FT_STRING, 0, "(" PG_AT(path) ")"}
/* an object joined through the id the payload names (text, or an integer) */
#define PAYLOAD_OBJECT(name, path, e) {name, "($.payload ->> '" path "')", FT_OBJECT, e, "(" PG_AT(path) ")"}
#define PAYLOAD_INT_OBJECT(name, path, e) \
    {name, "(CAST($.payload ->> '" path "' AS INTEGER))", FT_OBJECT, e, "((" PG_AT(path) ")::bigint)"}

static const field_def complete_fields[] = {
    {"seq", "seq", FT_INT, 0, NULL},
    PAYLOAD("externalOrderId", "externalOrderId", FT_STRING),
    PAYLOAD("secondaryExternalOrderId", "secondaryExternalOrderId", FT_STRING),
    PAYLOAD_OBJECT("operation", "operationId", STORE_E_OPERATION),
    PAYLOAD("orderIndex", "orderIndex", FT_INT),
    PAYLOAD("wip", "wip", FT_BOOL),
    PAYLOAD("at", "at", FT_TIME),
    {"operationSummary", NULL, FT_OBJECT, STORE_E_OPERATION_SUMMARY, NULL},
    {"endState", NULL, FT_OBJECT, STORE_E_STATE, NULL},
    PAYLOAD("reservedSerialNumber", "reservedSerialNumber", FT_STRING),
    {NULL, NULL, 0, 0, NULL}};
/* the summary's fields are the payload's top level; its endState is the same */
static const field_def summary_fields[] = {
    PAYLOAD("startedAt", "startedAt", FT_TIME),
    PAYLOAD("cycleTime", "cycleTime", FT_INT),
    {"endState", NULL, FT_OBJECT, STORE_E_STATE, NULL},
    {NULL, NULL, 0, 0, NULL}};
static const field_def state_fields[] = {
    PAYLOAD("producedSerial", "endState.producedSerial", FT_STRING),
    PAYLOAD("at", "endState.at", FT_TIME),
    {"station", NULL, FT_OBJECT, STORE_E_STATE_STATION, NULL},
    {"operator", NULL, FT_OBJECT, STORE_E_STATE_OPERATOR, NULL},
    {NULL, NULL, 0, 0, NULL}};
static const field_def state_station_fields[] = {
    PAYLOAD("id", "endState.station.id", FT_ID),
    PAYLOAD("name", "endState.station.name", FT_STRING),
    {NULL, NULL, 0, 0, NULL}};
static const field_def state_operator_fields[] = {
    PAYLOAD_TEXT("id", "endState.operator.id"),
    PAYLOAD("name", "endState.operator.name", FT_STRING),
    {NULL, NULL, 0, 0, NULL}};

static const field_def note_fields[] = {
    {"seq", "seq", FT_INT, 0, NULL},
    PAYLOAD("at", "at", FT_TIME),
    PAYLOAD("id", "id", FT_STRING),
    PAYLOAD("externalId", "externalId", FT_STRING),
    PAYLOAD("text", "text", FT_STRING),
    PAYLOAD("eventType", "eventType", FT_STRING),
    {"type", NULL, FT_OBJECT, STORE_E_NOTE_TYPE, NULL},
    {"state", NULL, FT_OBJECT, STORE_E_NOTE_STATE, NULL},
    {NULL, NULL, 0, 0, NULL}};
static const field_def note_type_fields[] = {
    PAYLOAD_TEXT("id", "type.id"),
    PAYLOAD("name", "type.name", FT_STRING),
    {NULL, NULL, 0, 0, NULL}};
static const field_def note_state_fields[] = {
    PAYLOAD_INT_OBJECT("operationOrder", "orderId", STORE_E_OPERATION_ORDER),
    PAYLOAD_OBJECT("operation", "operationId", STORE_E_OPERATION),
    {"station", NULL, FT_OBJECT, STORE_E_NOTE_STATION, NULL},
    {"operator", NULL, FT_OBJECT, STORE_E_NOTE_OPERATOR, NULL},
    {NULL, NULL, 0, 0, NULL}};
static const field_def note_station_fields[] = {
    PAYLOAD("id", "stationId", FT_ID),
    PAYLOAD("name", "stationName", FT_STRING),
    {NULL, NULL, 0, 0, NULL}};
static const field_def note_operator_fields[] = {
    PAYLOAD_TEXT("id", "operatorId"),
    PAYLOAD("name", "operatorName", FT_STRING),
    {NULL, NULL, 0, 0, NULL}};

/* The roots are the event tables (never the target of an object field);
 * the rest are parts of the same row: no table. */
static const entity_def payload_entities[STORE_E_COUNT] = {
    [STORE_E_OPERATION_ORDER_COMPLETE] = {"operation_order_complete_events", "seq", complete_fields},
    [STORE_E_OPERATION_SUMMARY] = {NULL, NULL, summary_fields},
    [STORE_E_STATE] = {NULL, NULL, state_fields},
    [STORE_E_STATE_STATION] = {NULL, NULL, state_station_fields},
    [STORE_E_STATE_OPERATOR] = {NULL, NULL, state_operator_fields},
    [STORE_E_NOTE_EVENT] = {"note_events", "seq", note_fields},
    [STORE_E_NOTE_TYPE] = {NULL, NULL, note_type_fields},
    [STORE_E_NOTE_STATE] = {NULL, NULL, note_state_fields},
    [STORE_E_NOTE_STATION] = {NULL, NULL, note_station_fields},
    [STORE_E_NOTE_OPERATOR] = {NULL, NULL, note_operator_fields},
};

const entity_def *store_filter_payload_entity(store_entity e) {
    if ((unsigned)e >= STORE_E_COUNT || !payload_entities[e].fields) return NULL;
    return &payload_entities[e];
}
