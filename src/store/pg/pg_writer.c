/*
 * pg_writer.c: the PostgreSQL writer thread and its group commit (contract
 * in pg_writer.h). Blocking libpq on purpose: this thread is not the loop,
 * and a job is sequential code that reads what it has just written.
 *
 * Must never: report a job committed unless COMMIT answered "COMMIT", let a
 * job that failed (or whose statement failed unnoticed) leave a trace, or
 * hold the queue's mutex while talking to the database.
 */
#include "pg_writer.h"
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "pg_events.h"
#include "pg_util.h"

#define BACKOFF_FIRST_MS 100
#define BACKOFF_MAX_MS 5000

typedef struct pg_job {
    struct pg_job *next;
    pg_job_fn run;
    pg_done_fn done;
    void *arg;
    store_err err;
} pg_job;

typedef struct prepared {
    struct prepared *next;
    char *name;
} prepared;

struct pg_tx {
    pg_writer *w;
    PGconn *db;
    int64_t now;
};

struct pg_writer {
    uv_loop_t *loop;
    uv_async_t async;
    char *conninfo;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cond;           /* on CLOCK_MONOTONIC: waits for jobs, or for the next reconnect */
    pg_job *queue_head, *queue_tail;
    size_t queue_len;
    pg_job *done_head, *done_tail; /* handed back, for the loop */
    bool closing;
    atomic_uint_fast64_t commits;
    pg_heads_fn on_heads;
    void *heads_ctx;
    pg_commit_fn on_commit;
    void *commit_ctx;
    int64_t heads[STORE_STREAM_COUNT];   /* the last committed batch's (under mu) */
    bool heads_new;
    /* the writer thread's own */
    PGconn *db;
    prepared *prepared;            /* statements prepared on db */
    unsigned backoff_ms;
    int64_t retry_at;              /* monotonic ms: no connect attempt before */
    store_err down;                /* why db is NULL */
};

static int64_t mono_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t wall_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the connection ---- */

static void disconnect(pg_writer *w) {
    PQfinish(w->db);
    w->db = NULL;
    for (prepared *p = w->prepared, *n; p; p = n) {
        n = p->next;
        free(p->name);
        free(p);
    }
    w->prepared = NULL;
}

/* A usable connection, connecting when none is and the backoff allows
 * (now: a connection just found lost, not a failed attempt, goes at once). */
static bool ensure_conn(pg_writer *w, bool now) {
    if (w->db && PQstatus(w->db) == CONNECTION_OK) return true;
    if (w->db) disconnect(w);
    if (!now && mono_ms() < w->retry_at) return false;
    w->db = pg_connect(w->conninfo, &w->down);
    if (w->db) {
        w->backoff_ms = BACKOFF_FIRST_MS;
        return true;
    }
    w->retry_at = mono_ms() + w->backoff_ms;
    w->backoff_ms = w->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : w->backoff_ms * 2;
    return false;
}

/* ---- inside a job ---- */

PGresult *pg_tx_query(pg_tx *tx, const char *name, const char *sql, int nparams, const char *const *params,
                      store_err *err) {
    if (!name) return pg_exec(tx->db, sql, nparams, params, err);
    bool ready = false;
    for (prepared *p = tx->w->prepared; p && !ready; p = p->next) ready = strcmp(p->name, name) == 0;
    if (!ready) {
        /* a prepared statement outlives a rollback: once per connection */
        PGresult *r = PQprepare(tx->db, name, sql, 0, NULL);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            pg_result_err(tx->db, r, err);
            PQclear(r);
            return NULL;
        }
        PQclear(r);
        prepared *p = calloc(1, sizeof *p);
        if (!p || !(p->name = strdup(name))) abort();
        p->next = tx->w->prepared;
        tx->w->prepared = p;
    }
    PGresult *r = PQexecPrepared(tx->db, name, nparams, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(r);
    if (r && (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)) return r;
    pg_result_err(tx->db, r, err);
    PQclear(r);
    return NULL;
}

int64_t pg_tx_now(pg_tx *tx) { return tx->now; }

/* One name for every level: PostgreSQL, like SQLite, resolves it to the
 * innermost savepoint that has it; apart from the writer's own "job". */
int pg_tx_savepoint(pg_tx *tx, store_err *err) { return pg_exec_cmd(tx->db, "SAVEPOINT w", err); }
int pg_tx_release(pg_tx *tx, store_err *err) { return pg_exec_cmd(tx->db, "RELEASE SAVEPOINT w", err); }
int pg_tx_rollback(pg_tx *tx, store_err *err) {
    if (pg_exec_cmd(tx->db, "ROLLBACK TO SAVEPOINT w", err)) return err->code;
    return pg_exec_cmd(tx->db, "RELEASE SAVEPOINT w", err);
}

/* ---- running a batch ---- */

static int run_job(pg_tx *tx, pg_job *j) {
    j->err = (store_err){0};
    tx->now = wall_ms();
    int rc = j->run(tx, j->arg, &j->err);
    if (rc != STORE_OK && j->err.code == STORE_OK) store_set_err(&j->err, rc, "write failed");
    if (rc == STORE_OK && j->err.code != STORE_OK) rc = j->err.code;
    if (rc == STORE_OK && PQstatus(tx->db) == CONNECTION_OK && PQtransactionStatus(tx->db) == PQTRANS_INERROR)
        rc = store_set_err(&j->err, STORE_EIO, "a statement of the write failed");
    return rc;
}

/* Fails the jobs that had not failed on their own: their transaction is gone. */
static void fail_ok(pg_job **jobs, size_t n, const store_err *why) {
    for (size_t i = 0; i < n; i++)
        if (jobs[i]->err.code == STORE_OK) jobs[i]->err = *why;
}

static int begin(pg_writer *w, store_err *e) {
    if (!ensure_conn(w, false)) {
        *e = w->down;
        return e->code;
    }
    if (pg_exec_cmd(w->db, "BEGIN", e) == STORE_OK) return STORE_OK;
    if (PQstatus(w->db) == CONNECTION_OK) return e->code;
    /* lost while idle: nothing of the batch has run, so a new connection
     * can take it as is */
    if (!ensure_conn(w, true)) {
        *e = w->down;
        return e->code;
    }
    return pg_exec_cmd(w->db, "BEGIN", e);
}

static void lost(pg_writer *w, pg_job **jobs, size_t n, store_err *e) {
    if (PQstatus(w->db) == CONNECTION_OK) PQclear(PQexec(w->db, "ROLLBACK"));
    else pg_result_err(w->db, NULL, e);   /* "database unavailable: …" */
    fail_ok(jobs, n, e);
    if (PQstatus(w->db) != CONNECTION_OK) {
        disconnect(w);
        w->retry_at = 0;   /* the next batch tries a new connection at once */
    }
}

/* Every stream's head as this transaction sees it (see pg_writer_on_heads). */
static int read_heads(pg_writer *w, int64_t heads[STORE_STREAM_COUNT], store_err *e) {
    PGresult *r = pg_exec(w->db, PG_HEADS_SQL, 0, NULL, e);
    if (!r) return e->code;
    pg_heads_parse(r, heads);
    PQclear(r);
    return STORE_OK;
}

static void run_batch(pg_writer *w, pg_job **jobs, size_t n) {
    store_err e = {0};
    for (size_t i = 0; i < n; i++) jobs[i]->err = (store_err){0};
    if (begin(w, &e)) {
        fail_ok(jobs, n, &e);
        return;
    }
    pg_tx tx = {.w = w, .db = w->db};
    bool any_ok = false;
    for (size_t i = 0; i < n; i++) {
        if (pg_exec_cmd(w->db, "SAVEPOINT job", &e)) return lost(w, jobs, n, &e);
        int rc = run_job(&tx, jobs[i]);
        if (PQstatus(w->db) != CONNECTION_OK) return lost(w, jobs, n, &e);
        if (rc != STORE_OK && pg_exec_cmd(w->db, "ROLLBACK TO SAVEPOINT job", &e)) return lost(w, jobs, n, &e);
        if (pg_exec_cmd(w->db, "RELEASE SAVEPOINT job", &e)) return lost(w, jobs, n, &e);
        any_ok |= rc == STORE_OK;
    }
    if (!any_ok) {   /* nothing to commit, and nobody to wake */
        if (pg_exec_cmd(w->db, "ROLLBACK", &e)) lost(w, jobs, n, &e);
        return;
    }
    int64_t heads[STORE_STREAM_COUNT];
    if (w->on_heads && read_heads(w, heads, &e)) return lost(w, jobs, n, &e);
    /* delivered to the listeners only if the transaction commits */
    if (pg_exec_cmd(w->db, "NOTIFY " PG_NOTIFY_CHANNEL, &e)) return lost(w, jobs, n, &e);
    PGresult *r = PQexec(w->db, "COMMIT");
    bool committed = PQresultStatus(r) == PGRES_COMMAND_OK && strcmp(PQcmdStatus(r), "COMMIT") == 0;
    if (!committed) {
        if (PQstatus(w->db) != CONNECTION_OK) {
            /* the answer was lost, not necessarily the commit: still a
             * failure, never an acknowledgement of what may not be there */
            char why[sizeof e.message];
            pg_one_line(why, sizeof why, "database unavailable: the commit's outcome is unknown",
                        PQerrorMessage(w->db));
            store_set_err(&e, STORE_EIO, "%s", why);
            PQclear(r);
            fail_ok(jobs, n, &e);
            disconnect(w);
            w->retry_at = 0;
            return;
        }
        if (PQresultStatus(r) == PGRES_COMMAND_OK) store_set_err(&e, STORE_EIO, "the transaction was rolled back");
        else pg_result_err(w->db, r, &e);   /* e.g. a deferred constraint */
        PQclear(r);
        fail_ok(jobs, n, &e);
        return;
    }
    PQclear(r);
    atomic_fetch_add(&w->commits, 1);
    if (w->on_commit) w->on_commit(w->commit_ctx, n);
    if (w->on_heads) {
        pthread_mutex_lock(&w->mu);
        memcpy(w->heads, heads, sizeof heads);
        w->heads_new = true;
        pthread_mutex_unlock(&w->mu);
    }
}

/* ---- the thread and the hand-over ---- */

static void hand_back(pg_writer *w, pg_job **jobs, size_t n) {
    pthread_mutex_lock(&w->mu);
    for (size_t i = 0; i < n; i++) {
        jobs[i]->next = NULL;
        if (w->done_tail) w->done_tail->next = jobs[i];
        else w->done_head = jobs[i];
        w->done_tail = jobs[i];
    }
    pthread_mutex_unlock(&w->mu);
    uv_async_send(&w->async);
}

static void *writer_main(void *arg) {
    pg_writer *w = arg;
    pg_job *batch[PG_WRITER_BATCH_MAX];
    ensure_conn(w, true);
    for (;;) {
        pthread_mutex_lock(&w->mu);
        bool retry = false;
        while (!w->queue_head && !w->closing && !retry) {
            if (w->db) {
                pthread_cond_wait(&w->cond, &w->mu);
                continue;
            }
            /* down and idle: reconnect when the backoff says, so the next job
             * need not wait for it */
            int64_t at = w->retry_at;
            struct timespec ts = {.tv_sec = at / 1000, .tv_nsec = (at % 1000) * 1000000};
            retry = pthread_cond_timedwait(&w->cond, &w->mu, &ts) == ETIMEDOUT;
        }
        if (!w->queue_head) {
            bool stop = w->closing;
            pthread_mutex_unlock(&w->mu);
            if (stop) break;
            ensure_conn(w, false);
            continue;
        }
        size_t n = 0;
        while (w->queue_head && n < PG_WRITER_BATCH_MAX) {
            batch[n++] = w->queue_head;
            w->queue_head = w->queue_head->next;
        }
        if (!w->queue_head) w->queue_tail = NULL;
        w->queue_len -= n;
        pthread_mutex_unlock(&w->mu);
        run_batch(w, batch, n);
        hand_back(w, batch, n);
    }
    disconnect(w);
    return NULL;
}

static void deliver(pg_writer *w) {
    pthread_mutex_lock(&w->mu);
    pg_job *list = w->done_head;
    w->done_head = w->done_tail = NULL;
    int64_t heads[STORE_STREAM_COUNT];
    bool heads_new = w->heads_new;
    memcpy(heads, w->heads, sizeof heads);
    w->heads_new = false;
    pthread_mutex_unlock(&w->mu);
    if (heads_new) w->on_heads(w->heads_ctx, heads);
    while (list) {
        pg_job *next = list->next;
        if (list->done) list->done(list->arg, &list->err);
        free(list);
        list = next;
    }
}

static void on_async(uv_async_t *h) { deliver(h->data); }

static void on_closed(uv_handle_t *h);

pg_writer *pg_writer_start(uv_loop_t *loop, const char *conninfo, store_err *err) {
    pg_writer *w = calloc(1, sizeof *w);
    if (!w || !(w->conninfo = strdup(conninfo))) abort();
    w->loop = loop;
    w->backoff_ms = BACKOFF_FIRST_MS;
    pthread_mutex_init(&w->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w->cond, &ca);
    pthread_condattr_destroy(&ca);
    if (uv_async_init(loop, &w->async, on_async) != 0) {
        store_set_err(err, STORE_EIO, "cannot create the PostgreSQL writer's async handle");
        on_closed((uv_handle_t *)&(uv_async_t){.data = w});
        return NULL;
    }
    w->async.data = w;
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        store_set_err(err, STORE_EIO, "cannot start the PostgreSQL writer thread");
        uv_close((uv_handle_t *)&w->async, on_closed);   /* frees w on the loop's next turn */
        return NULL;
    }
    return w;
}

void pg_writer_on_heads(pg_writer *w, pg_heads_fn fn, void *ctx) {
    w->on_heads = fn;
    w->heads_ctx = ctx;
}

void pg_writer_on_commit(pg_writer *w, pg_commit_fn fn, void *ctx) {
    w->on_commit = fn;
    w->commit_ctx = ctx;
}

int pg_writer_submit(pg_writer *w, pg_job_fn run, pg_done_fn done, void *arg) {
    pg_job *j = calloc(1, sizeof *j);
    if (!j) abort();
    j->run = run;
    j->done = done;
    j->arg = arg;
    pthread_mutex_lock(&w->mu);
    int rc = w->closing ? STORE_ECLOSED : w->queue_len >= PG_WRITER_QUEUE_MAX ? STORE_EBUSY : STORE_OK;
    if (rc == STORE_OK) {
        if (w->queue_tail) w->queue_tail->next = j;
        else w->queue_head = j;
        w->queue_tail = j;
        w->queue_len++;
        pthread_cond_broadcast(&w->cond);
    }
    pthread_mutex_unlock(&w->mu);
    if (rc != STORE_OK) free(j);
    return rc;
}

uint64_t pg_writer_commits(pg_writer *w) { return atomic_load(&w->commits); }

static void on_closed(uv_handle_t *h) {
    pg_writer *w = h->data;
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cond);
    free(w->conninfo);
    free(w);
}

void pg_writer_stop(pg_writer *w) {
    pthread_mutex_lock(&w->mu);
    w->closing = true;
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    deliver(w);   /* what finished after the loop's last turn */
    uv_close((uv_handle_t *)&w->async, on_closed);
}
