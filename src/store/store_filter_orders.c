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
 * Ids the payload holds as text but another writer might hold as a number
 * (operator, note type) are compared as text; the order id joins as an
 * integer. Must never: name anything but a constant path (values are bound
 * by the compiler), or disagree with the payload format of mes_internal.h.
 */
#include "store_internal.h"

#define P(path) "($.payload ->> '" path "')"
#define P_TEXT(path) "(CAST($.payload ->> '" path "' AS TEXT))"
#define P_INT(path) "(CAST($.payload ->> '" path "' AS INTEGER))"

static const field_def complete_fields[] = {
    {"seq", "seq", FT_INT, 0},
    {"externalOrderId", P("externalOrderId"), FT_STRING, 0},
    {"secondaryExternalOrderId", P("secondaryExternalOrderId"), FT_STRING, 0},
    {"operation", P("operationId"), FT_OBJECT, STORE_E_OPERATION},
    {"orderIndex", P("orderIndex"), FT_INT, 0},
    {"wip", P("wip"), FT_BOOL, 0},
    {"at", P("at"), FT_TIME, 0},
    {"operationSummary", NULL, FT_OBJECT, STORE_E_OPERATION_SUMMARY},
    {"endState", NULL, FT_OBJECT, STORE_E_STATE},
    {"reservedSerialNumber", P("reservedSerialNumber"), FT_STRING, 0},
    {NULL, NULL, 0, 0}};
/* the summary's fields are the payload's top level; its endState is the same */
static const field_def summary_fields[] = {
    {"startedAt", P("startedAt"), FT_TIME, 0},
    {"cycleTime", P("cycleTime"), FT_INT, 0},
    {"endState", NULL, FT_OBJECT, STORE_E_STATE},
    {NULL, NULL, 0, 0}};
static const field_def state_fields[] = {
    {"producedSerial", P("endState.producedSerial"), FT_STRING, 0},
    {"at", P("endState.at"), FT_TIME, 0},
    {"station", NULL, FT_OBJECT, STORE_E_STATE_STATION},
    {"operator", NULL, FT_OBJECT, STORE_E_STATE_OPERATOR},
    {NULL, NULL, 0, 0}};
static const field_def state_station_fields[] = {
    {"id", P("endState.station.id"), FT_ID, 0},
    {"name", P("endState.station.name"), FT_STRING, 0},
    {NULL, NULL, 0, 0}};
static const field_def state_operator_fields[] = {
    {"id", P_TEXT("endState.operator.id"), FT_STRING, 0},
    {"name", P("endState.operator.name"), FT_STRING, 0},
    {NULL, NULL, 0, 0}};

static const field_def note_fields[] = {
    {"seq", "seq", FT_INT, 0},
    {"at", P("at"), FT_TIME, 0},
    {"id", P("id"), FT_STRING, 0},
    {"externalId", P("externalId"), FT_STRING, 0},
    {"text", P("text"), FT_STRING, 0},
    {"eventType", P("eventType"), FT_STRING, 0},
    {"type", NULL, FT_OBJECT, STORE_E_NOTE_TYPE},
    {"state", NULL, FT_OBJECT, STORE_E_NOTE_STATE},
    {NULL, NULL, 0, 0}};
static const field_def note_type_fields[] = {
    {"id", P_TEXT("type.id"), FT_STRING, 0},
    {"name", P("type.name"), FT_STRING, 0},
    {NULL, NULL, 0, 0}};
static const field_def note_state_fields[] = {
    {"operationOrder", P_INT("orderId"), FT_OBJECT, STORE_E_OPERATION_ORDER},
    {"operation", P("operationId"), FT_OBJECT, STORE_E_OPERATION},
    {"station", NULL, FT_OBJECT, STORE_E_NOTE_STATION},
    {"operator", NULL, FT_OBJECT, STORE_E_NOTE_OPERATOR},
    {NULL, NULL, 0, 0}};
static const field_def note_station_fields[] = {
    {"id", P("stationId"), FT_ID, 0},
    {"name", P("stationName"), FT_STRING, 0},
    {NULL, NULL, 0, 0}};
static const field_def note_operator_fields[] = {
    {"id", P_TEXT("operatorId"), FT_STRING, 0},
    {"name", P("operatorName"), FT_STRING, 0},
    {NULL, NULL, 0, 0}};

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
