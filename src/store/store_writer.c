/*
 * store_writer.c: the one writer thread and group commit.
 *
 * The loop thread queues jobs; the writer takes every queued job (up to
 * STORE_BATCH_MAX), runs each in its own SAVEPOINT of one transaction (a
 * failing job rolls back only itself), commits once (one fsync for the
 * batch), and only then passes the results back to the loop with
 * uv_async_send. The loop tells the listener the new stream heads, then
 * calls each job's callback.
 *
 * Must never: call a job's callback before its commit is durable, call it
 * twice or not at all, or touch a job's arg after handing it back.
 */
#include <stdlib.h>
#include <string.h>
#include "store_internal.h"

const char *const store_stream_tables[STORE_STREAM_COUNT] = {
    "operation_events", "sub_operation_events", "operation_order_complete_events", "note_events",
    "work_order_events"};

int store_stream_heads_db(sqlite3 *db, stmt_cache *c, int64_t head[STORE_STREAM_COUNT], store_err *err) {
    (void)db;
    sqlite3_stmt *st = stmt_get(c,
                                "SELECT (SELECT coalesce(max(seq), 0) FROM operation_events),"
                                " (SELECT coalesce(max(seq), 0) FROM sub_operation_events),"
                                " (SELECT coalesce(max(seq), 0) FROM operation_order_complete_events),"
                                " (SELECT coalesce(max(seq), 0) FROM note_events),"
                                " (SELECT coalesce(max(seq), 0) FROM work_order_events)",
                                err);
    if (!st) return err->code;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        store_sqlite_err(err, c->db, rc, "reading stream heads");
        stmt_put(c, st);
        return err->code;
    }
    for (int i = 0; i < STORE_STREAM_COUNT; i++) head[i] = sqlite3_column_int64(st, i);
    stmt_put(c, st);
    return STORE_OK;
}

int sq_stream_heads(store *s, int64_t head[STORE_STREAM_COUNT], store_err *err) {
    return store_stream_heads_db(s->rdb, &s->rcache, head, err);
}

int64_t store_tx_now(store_tx *tx) { return tx->now; }

/* m_commits grows in run_batch right after COMMIT, before hand_back. */
uint64_t store_commit_count(store *s) { return atomic_load(&s->m_commits); }

/* Named apart from the writer's own "job" savepoint; SQLite resolves a name
 * to the innermost savepoint that has it, so one name nests. */
int sq_tx_savepoint(store_tx *tx, store_savepoint *sp, store_err *err) {
    memcpy(sp->head, tx->head, sizeof sp->head);
    sp->appended = tx->appended;
    return store_exec(tx->db, "SAVEPOINT w", err);
}

int sq_tx_release(store_tx *tx, store_err *err) { return store_exec(tx->db, "RELEASE w", err); }

int sq_tx_rollback(store_tx *tx, const store_savepoint *sp, store_err *err) {
    int rc = store_exec(tx->db, "ROLLBACK TO w", err);
    if (rc == STORE_OK) rc = store_exec(tx->db, "RELEASE w", err);
    if (rc != STORE_OK) return rc;
    memcpy(tx->head, sp->head, sizeof tx->head);
    tx->appended = sp->appended;
    return STORE_OK;
}

int sq_tx_append_event(store_tx *tx, store_stream stream, const char *ref, const char *payload_json,
                       int64_t *seq_out, store_err *err) {
    static const char *const sql[STORE_STREAM_COUNT] = {
        NULL, NULL,
        "INSERT INTO operation_order_complete_events (ref, payload, at) VALUES (?, ?, ?) RETURNING seq",
        "INSERT INTO note_events (ref, payload, at) VALUES (?, ?, ?) RETURNING seq"};
    if ((unsigned)stream >= STORE_STREAM_COUNT || !sql[stream] || !ref || !payload_json)
        return store_set_err(err, STORE_EINPUT, "store_tx_append_event: completions and notes only, with a payload");
    sqlite3_stmt *st = stmt_get(tx->cache, sql[stream], err);
    if (!st) return err->code;
    bind_text(st, 1, ref);
    bind_text(st, 2, payload_json);
    sqlite3_bind_int64(st, 3, tx->now);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        store_sqlite_err(err, tx->db, rc, "appending an event");
        stmt_put(tx->cache, st);
        return err->code;
    }
    int64_t seq = sqlite3_column_int64(st, 0);
    stmt_put(tx->cache, st);
    if (store_tx_webhook_outbox_fill(tx, stream, seq, err)) return err->code;
    tx->head[stream] = seq;
    tx->appended = true;
    if (seq_out) *seq_out = seq;
    return STORE_OK;
}

/* ---- running jobs ---- */

static int run_job(store_tx *tx, store_job *j) {
    j->err.code = STORE_OK;
    j->err.message[0] = 0;
    tx->now = store_now_ms();
    int rc = j->run(tx, j->arg, &j->err);
    if (rc != STORE_OK && j->err.code == STORE_OK) store_set_err(&j->err, rc, "write failed");
    if (rc == STORE_OK && j->err.code != STORE_OK) rc = j->err.code;
    return rc;
}

/* Fails jobs[from..to) that had succeeded: their transaction is gone. */
static void fail_range(store_job **jobs, size_t from, size_t to, const store_err *why) {
    for (size_t i = from; i < to; i++)
        if (jobs[i]->err.code == STORE_OK) jobs[i]->err = *why;
}

static void run_batch(store *s, store_job **jobs, size_t n) {
    store_tx tx = {.s = s, .db = s->wdb, .cache = &s->wcache};
    memcpy(tx.head, s->committed_head, sizeof tx.head);
    store_err e = {0};
    size_t from = 0;   /* first job of the current transaction */
    if (store_exec(s->wdb, "BEGIN IMMEDIATE", &e)) {
        fail_range(jobs, 0, n, &e);
        atomic_fetch_add(&s->m_commit_errors, 1);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        int64_t saved[STORE_STREAM_COUNT];
        memcpy(saved, tx.head, sizeof saved);
        store_exec(s->wdb, "SAVEPOINT job", NULL);
        int rc = run_job(&tx, jobs[i]);
        atomic_fetch_add(&s->m_jobs, 1);
        if (sqlite3_get_autocommit(s->wdb)) {
            /* SQLite rolled the whole transaction back (disk full, I/O
             * error): every job of it failed; start again for the rest. */
            store_err gone;
            store_set_err(&gone, STORE_EIO, "the transaction was rolled back: %s", sqlite3_errmsg(s->wdb));
            if (rc == STORE_OK) jobs[i]->err = gone;
            fail_range(jobs, from, i, &gone);
            atomic_fetch_add(&s->m_job_errors, 1);
            memcpy(tx.head, s->committed_head, sizeof tx.head);
            from = i + 1;
            if (store_exec(s->wdb, "BEGIN IMMEDIATE", &e)) { fail_range(jobs, from, n, &e); return; }
            continue;
        }
        if (rc != STORE_OK) {
            store_exec(s->wdb, "ROLLBACK TO job", NULL);
            memcpy(tx.head, saved, sizeof saved);
            atomic_fetch_add(&s->m_job_errors, 1);
        }
        store_exec(s->wdb, "RELEASE job", NULL);
    }
    if (store_exec(s->wdb, "COMMIT", &e)) {
        if (!sqlite3_get_autocommit(s->wdb)) store_exec(s->wdb, "ROLLBACK", NULL);
        fail_range(jobs, from, n, &e);
        atomic_fetch_add(&s->m_commit_errors, 1);
        return;
    }
    atomic_fetch_add(&s->m_commits, 1);
    store_count_batch(s, n - from);
    if (memcmp(tx.head, s->committed_head, sizeof tx.head) != 0) {
        memcpy(s->committed_head, tx.head, sizeof tx.head);
        pthread_mutex_lock(&s->mu);
        memcpy(s->done_head_seq, tx.head, sizeof tx.head);
        s->heads_changed = true;
        pthread_mutex_unlock(&s->mu);
    }
}

static void hand_back(store *s, store_job **jobs, size_t n) {
    bool async = false;
    pthread_mutex_lock(&s->mu);
    for (size_t i = 0; i < n; i++) {
        store_job *j = jobs[i];
        if (j->sync) {
            j->finished = true;   /* the waiter owns j from here on */
            continue;
        }
        j->next = NULL;
        if (s->done_tail) s->done_tail->next = j;
        else s->done_head = j;
        s->done_tail = j;
        async = true;
    }
    if (s->heads_changed) async = true;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->mu);
    if (async) uv_async_send(&s->async);
}

static void *writer_main(void *arg) {
    store *s = arg;
    store_job *batch[STORE_BATCH_MAX];
    for (;;) {
        pthread_mutex_lock(&s->mu);
        while (!s->queue_head && !s->closing) pthread_cond_wait(&s->cond, &s->mu);
        if (!s->queue_head) { pthread_mutex_unlock(&s->mu); break; }
        size_t n = 0;
        while (s->queue_head && n < STORE_BATCH_MAX) {
            batch[n++] = s->queue_head;
            s->queue_head = s->queue_head->next;
        }
        if (!s->queue_head) s->queue_tail = NULL;
        s->queue_len -= n;
        atomic_store(&s->m_depth, s->queue_len);
        pthread_mutex_unlock(&s->mu);
        run_batch(s, batch, n);
        hand_back(s, batch, n);
    }
    return NULL;
}

/* Loop thread: the listener first (so subscribers hear of an event no later
 * than the client whose mutation caused it), then each job's callback. */
static void deliver(store *s) {
    pthread_mutex_lock(&s->mu);
    store_job *list = s->done_head;
    s->done_head = s->done_tail = NULL;
    bool changed = s->heads_changed;
    int64_t head[STORE_STREAM_COUNT];
    memcpy(head, s->done_head_seq, sizeof head);
    s->heads_changed = false;
    pthread_mutex_unlock(&s->mu);
    if (changed && s->listener) s->listener(s->listener_ctx, head);
    while (list) {
        store_job *next = list->next;
        if (list->done) list->done(list->arg, &list->err);
        free(list);
        list = next;
    }
}

static void on_async(uv_async_t *h) { deliver(h->data); }

int store_writer_start(store *s, store_err *err) {
    if (uv_async_init(s->loop, &s->async, on_async) != 0)
        return store_set_err(err, STORE_EIO, "cannot create the writer's async handle");
    s->async.data = s;
    if (pthread_create(&s->writer, NULL, writer_main, s) != 0) {
        uv_close((uv_handle_t *)&s->async, NULL);
        return store_set_err(err, STORE_EIO, "cannot start the writer thread");
    }
    s->has_writer = true;
    return STORE_OK;
}

void store_writer_stop(store *s) {
    pthread_mutex_lock(&s->mu);
    s->closing = true;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->writer, NULL);
    s->has_writer = false;
    deliver(s);   /* what finished after the loop's last turn */
}

static void enqueue(store *s, store_job *j) {
    j->next = NULL;
    if (s->queue_tail) s->queue_tail->next = j;
    else s->queue_head = j;
    s->queue_tail = j;
    s->queue_len++;
    atomic_store(&s->m_depth, s->queue_len);
    pthread_cond_broadcast(&s->cond);
}

int sq_submit(store *s, store_job_fn run, store_done_fn done, void *arg) {
    if (!s->has_writer) return STORE_ECLOSED;
    store_job *j = calloc(1, sizeof *j);
    if (!j) abort();
    j->run = run;
    j->done = done;
    j->arg = arg;
    pthread_mutex_lock(&s->mu);
    int rc = s->closing ? STORE_ECLOSED : s->queue_len >= STORE_QUEUE_MAX ? STORE_EBUSY : STORE_OK;
    if (rc == STORE_OK) enqueue(s, j);
    pthread_mutex_unlock(&s->mu);
    if (rc != STORE_OK) free(j);
    return rc;
}

int sq_exec_sync(store *s, store_job_fn run, void *arg, store_err *err) {
    store_err local;
    if (!err) err = &local;
    store_job j = {.run = run, .arg = arg, .sync = true};
    if (s->has_writer) {
        pthread_mutex_lock(&s->mu);
        if (s->closing) {
            pthread_mutex_unlock(&s->mu);
            return store_set_err(err, STORE_ECLOSED, "the store is closing");
        }
        enqueue(s, &j);
        while (!j.finished) pthread_cond_wait(&s->cond, &s->mu);
        pthread_mutex_unlock(&s->mu);
        *err = j.err;
        return err->code;
    }
    /* no writer thread (command-line use): the caller's thread is the writer */
    store_job *one = &j;
    run_batch(s, &one, 1);
    *err = j.err;
    return err->code;
}
