/*
 * store_pg_reads.c: how the PostgreSQL backend's read functions get their
 * rows (pgs_read, store_pg.h): from the read session's fetched results on
 * the loop, or at once on the blocking connection outside one.
 *
 * Must never: block the loop inside a session, hand out a result twice
 * freed, or answer a read from another statement's result.
 */
#include <stdlib.h>
#include <string.h>
#include "pg_util.h"
#include "store_pg.h"

int pgs_read(store *s, const char *sql, int nparams, const char *const *params, const PGresult **out,
             store_err *err) {
    PGresult *r = pg_exec(s->pg->db, sql, nparams, params, err);
    if (!r) return err->code;
    *out = r;
    return STORE_OK;
}

void pgs_read_release(store *s, const PGresult *r) {
    (void)s;
    PQclear((PGresult *)r);
}
