/*
 * store_pg_sqlite_err.c: a constraint violation on PostgreSQL told in
 * SQLite's words, so a refusal reads the same on both backends (the e2e
 * suite expects one text): SQLite's store_sqlite_err answers every
 * constraint violation STORE_ECONFLICT with "<what>: <sqlite3_errmsg>".
 *
 * pg_tx_query has already cleared the result, so the violation is read
 * back from the message it left ("database: <primary message>"): that is
 * the server's English text (lc_messages must stay C/English for this
 * mapping; another language leaves the server's own words after <what>).
 *
 * Must never: touch an error that is not a constraint violation (a lost
 * connection keeps its "database unavailable: …" for the callers that
 * look for it).
 */
#include <stdio.h>
#include <string.h>
#include "store_pg.h"

/* The quoted word after `after` in msg, into out; false if absent. */
static bool quoted_after(const char *msg, const char *after, char *out, size_t size) {
    const char *p = strstr(msg, after);
    if (!p) return false;
    p += strlen(after);
    size_t n = strcspn(p, "\"");
    if (!p[n] || n >= size) return false;
    memcpy(out, p, n);
    out[n] = 0;
    return true;
}

/* SQLite names a unique violation by its columns ("table.col, …"), or by
 * the index when it is on an expression; PostgreSQL by the constraint. The
 * ones the order and shop-floor writes can meet. */
static const char *unique_text(const char *constraint) {
    static const char *const names[][2] = {
        {"operation_orders_key", "index 'operation_orders_key'"},
        {"operation_orders_pkey", "operation_orders.id"},
        {"notes_pkey", "notes.id"},
        {"operators_name_key", "operators.name"},
        {"note_types_name_key", "note_types.name"},
        {"consumed_serials_part_number_value_key", "consumed_serials.part_number, consumed_serials.value"},
        {"produced_serials_part_number_value_key", "produced_serials.part_number, produced_serials.value"},
        {"order_selected_optionals_pkey", "order_selected_optionals.order_id, order_selected_optionals.operation_id"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i][0], constraint) == 0) return names[i][1];
    return constraint;
}

int pgs_sqlite_err(store_err *err, const char *what) {
    if (err->code != STORE_ECONFLICT && err->code != STORE_EINPUT) return err->code;   /* not a constraint */
    char msg[sizeof err->message], a[128], b[128], text[sizeof err->message + 2 * sizeof a];
    snprintf(msg, sizeof msg, "%s", strncmp(err->message, "database: ", 10) == 0 ? err->message + 10 : err->message);
    if (quoted_after(msg, "violates unique constraint \"", a, sizeof a))
        snprintf(text, sizeof text, "UNIQUE constraint failed: %s", unique_text(a));
    else if (strstr(msg, "violates not-null constraint") && quoted_after(msg, "null value in column \"", a, sizeof a) &&
             quoted_after(msg, "of relation \"", b, sizeof b))
        snprintf(text, sizeof text, "NOT NULL constraint failed: %s.%s", b, a);
    else if (strstr(msg, "violates foreign key constraint"))
        snprintf(text, sizeof text, "FOREIGN KEY constraint failed");
    else if (quoted_after(msg, "violates check constraint \"", a, sizeof a))
        snprintf(text, sizeof text, "CHECK constraint failed: %s", a);
    else
        snprintf(text, sizeof text, "%s", msg);
    return store_set_err(err, STORE_ECONFLICT, "%s: %s", what, text);
}
