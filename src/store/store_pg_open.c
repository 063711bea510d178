/*
 * store_pg_open.c: opening a PostgreSQL store (a postgres:// URL), applying
 * its migrations, running a write job in a transaction, and closing
 * (store_pg.h). The SQLite counterpart is store_open.c.
 *
 * Must never: print the URL (it may hold a password), or report a job
 * done before the writer has committed it.
 */
#include <stdlib.h>
#include <string.h>
#include "pg_migrate.h"
#include "pg_util.h"
#include "store_pg.h"

bool store_url_pg(const char *url) {
    return url && (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0);
}

/* A URL libpq cannot read is the user's mistake, not an unavailable server. */
static int check_url(const char *url, store_err *err) {
    char *why = NULL;
    PQconninfoOption *opts = PQconninfoParse(url, &why);
    if (opts) {
        PQconninfoFree(opts);
        return STORE_OK;
    }
    char msg[sizeof err->message];
    pg_one_line(msg, sizeof msg, "--db: not a PostgreSQL URL", why ? why : "out of memory");
    PQfreemem(why);
    return store_set_err(err, STORE_EURL, "%s", msg);
}

store *store_pg_open(const char *url, uv_loop_t *loop, store_err *err) {
    if (check_url(url, err)) return NULL;
    PGconn *db = pg_connect(url, err);
    if (!db) return NULL;
    int version = 0;
    if (pg_migrate(db, &version, err)) {
        PQfinish(db);
        return NULL;
    }
    store *s = calloc(1, sizeof *s);
    store_pg *p = calloc(1, sizeof *p);
    if (!s || !p || !(p->conninfo = strdup(url))) abort();
    p->db = db;
    p->version = version;
    s->be = &store_pg_backend;
    s->pg = p;
    s->loop = loop;
    if (loop && pgs_server_start(s, loop, err)) {
        pgs_close(s);
        return NULL;
    }
    return s;
}

int pgs_schema_version(store *s) { return s->pg->version; }

void pgs_close(store *s) {
    store_pg *p = s->pg;
    if (p->server_loop) pgs_server_stop(s);   /* the caller's loop frees what it closes */
    if (p->w) pg_writer_stop(p->w);   /* nothing is queued: exec_sync waits for its job */
    if (p->loop_ready) {
        uv_run(&p->loop, UV_RUN_DEFAULT);   /* the writer's handle closes and frees it */
        uv_loop_close(&p->loop);
    }
    PQfinish(p->db);
    free(p->conninfo);
    free(p);
    free(s);
}

/* ---- store_exec_sync: one job through the writer ---- */

typedef struct sync_job {
    store *s;
    store_job_fn run;
    void *arg;
    bool finished;
    store_err err;
} sync_job;

/* Writer thread: the job sees a store_tx like SQLite's, over the writer's
 * transaction. */
static int run_sync(pg_tx *ptx, void *arg, store_err *err) {
    sync_job *j = arg;
    store_tx tx = {.s = j->s, .pg = ptx, .now = pg_tx_now(ptx)};
    return j->run(&tx, j->arg, err);
}

static void sync_done(void *arg, const store_err *err) {
    sync_job *j = arg;
    j->err = *err;
    j->finished = true;
}

int pgs_exec_sync(store *s, store_job_fn run, void *arg, store_err *err) {
    store_err local;
    if (!err) err = &local;
    store_pg *p = s->pg;
    if (!p->loop_ready) {
        if (uv_loop_init(&p->loop) != 0) return store_set_err(err, STORE_EIO, "cannot create a libuv loop");
        p->loop_ready = true;
    }
    if (!p->w && !(p->w = pg_writer_start(&p->loop, p->conninfo, err))) return err->code;
    sync_job j = {.s = s, .run = run, .arg = arg};
    int rc = pg_writer_submit(p->w, run_sync, sync_done, &j);
    if (rc != STORE_OK) return store_set_err(err, rc, "the PostgreSQL writer did not take the job");
    while (!j.finished) uv_run(&p->loop, UV_RUN_ONCE);
    *err = j.err;
    if (j.err.code == STORE_OK) atomic_fetch_add(&s->m_commits, 1);
    return j.err.code;
}
