/*
 * pg_writer.h: the PostgreSQL writer thread (issue 7): the counterpart of
 * store_writer.c's group commit, on its own blocking connection.
 *
 * The loop queues jobs; the thread takes every queued job (up to
 * PG_WRITER_BATCH_MAX) and runs them in one transaction, each in its own
 * SAVEPOINT (a failing job rolls back only itself), sends NOTIFY mesd_commit
 * inside the transaction (delivered to every instance's listener only if it
 * commits), commits, and only then hands the results back to the loop
 * (uv_async_send), where each job's callback runs once. A lost connection
 * fails the jobs of its batch with "database unavailable: …" (never
 * reported committed, even when the COMMIT's own answer is what was lost)
 * and the thread reconnects with backoff (100 ms doubling to 5 s).
 *
 * Must never: run on the loop thread, call a callback before the commit or
 * twice, or touch a job's arg after handing it back.
 */
#ifndef MESD_PG_WRITER_H
#define MESD_PG_WRITER_H
#include <libpq-fe.h>
#include <stdint.h>
#include <uv.h>
#include "store.h"

#define PG_WRITER_BATCH_MAX 128
#define PG_WRITER_QUEUE_MAX 10000
#define PG_NOTIFY_CHANNEL "mesd_commit"

typedef struct pg_writer pg_writer;
typedef struct pg_tx pg_tx;   /* the writer's connection inside one job */

/* The port will make these store_job_fn / store_done_fn (store_tx becoming
 * a backend-neutral handle); until then a PostgreSQL job has its own type. */
typedef int (*pg_job_fn)(pg_tx *tx, void *arg, store_err *err);   /* writer thread; 0 = ok */
typedef void (*pg_done_fn)(void *arg, const store_err *err);      /* loop thread */

/* Starts the thread; it connects at once and again whenever needed (a
 * database that is down fails jobs, not the start). NULL with err set when
 * the thread cannot start. */
pg_writer *pg_writer_start(uv_loop_t *loop, const char *conninfo, store_err *err);

/* Loop thread. STORE_OK (done will be called exactly once), STORE_EBUSY
 * (queue full) or STORE_ECLOSED; done is not called then. */
int pg_writer_submit(pg_writer *w, pg_job_fn run, pg_done_fn done, void *arg);

/* Runs every job still queued, delivers every callback, stops the thread;
 * the memory goes on the loop's next turn. */
void pg_writer_stop(pg_writer *w);

uint64_t pg_writer_commits(pg_writer *w);   /* transactions committed */

/* With fn set (before the first submit), the writer reads every stream's
 * head inside each transaction, just before COMMIT: its own appends, under
 * their row locks, and whatever other transactions had committed. Once the
 * transaction has committed, fn gets them on the loop, before the batch's
 * jobs' callbacks (subscribers hear of an event no later than its writer). */
typedef void (*pg_heads_fn)(void *ctx, const int64_t head[STORE_STREAM_COUNT]);
void pg_writer_on_heads(pg_writer *w, pg_heads_fn fn, void *ctx);

/* With fn set (before the first submit), fn runs on the WRITER thread
 * right after each COMMIT, with the number of jobs the transaction held:
 * for counters that must grow before anything of the commit is handed back. */
typedef void (*pg_commit_fn)(void *ctx, size_t jobs);
void pg_writer_on_commit(pg_writer *w, pg_commit_fn fn, void *ctx);

/* ---- inside a job (writer thread) ---- */

/* Runs a statement, prepared by name once per connection (and again after a
 * reconnect); name NULL runs sql unprepared. The result (PQclear it) or NULL
 * with err set. */
PGresult *pg_tx_query(pg_tx *tx, const char *name, const char *sql, int nparams, const char *const *params,
                      store_err *err);
int64_t pg_tx_now(pg_tx *tx);   /* the job's time (ms): one clock read per job */

/* Savepoints inside a job, as store_tx_savepoint's: they nest, and each is
 * ended by exactly one release or rollback. */
int pg_tx_savepoint(pg_tx *tx, store_err *err);
int pg_tx_release(pg_tx *tx, store_err *err);
int pg_tx_rollback(pg_tx *tx, store_err *err);

#endif
