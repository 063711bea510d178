/* test_pg_writer.c: the PostgreSQL writer thread against a real server:
 * each job in its own savepoint (a failing job, or one that ignored a
 * failed statement, rolls back alone; nested savepoints), NOTIFY only for a
 * committed batch, a failed COMMIT failing every job of its batch, losing
 * the connection in the middle of a batch (its jobs fail with "database
 * unavailable", the next job runs on a new connection), and a database that
 * cannot be reached. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <semaphore.h>
#include "pg_conn.h"
#include "pg_writer.h"
#include "test_pg_util.h"

enum kind { INSERT, INSERT_THEN_FAIL, NESTED, IGNORES_ERROR, BLOCK, PID };

typedef struct wjob {
    enum kind kind;
    int x;                  /* the value inserted */
    sem_t *inside, *gate;   /* BLOCK: posts inside after its first insert, then waits for gate */
    int calls;              /* run() calls */
    int done;               /* done() calls */
    int code;
    char msg[256];
    int pid;
} wjob;

typedef struct wtest {
    uv_loop_t loop;
    pg_writer *w;
    pg_conn *listener;
    volatile int listening, notifies, answered;
    char conninfo[512];
    int pending;            /* jobs whose done() has not come */
    volatile int all_done;
} wtest;
static wtest T;

static int insert(pg_tx *tx, const char *table, int x, store_err *err) {
    char v[16], sql[64];
    snprintf(v, sizeof v, "%d", x);
    snprintf(sql, sizeof sql, "INSERT INTO %s (x) VALUES ($1)", table);
    const char *params[] = {v};
    PGresult *r = pg_tx_query(tx, table[0] == 't' ? "ins_t" : "ins_d", sql, 1, params, err);
    if (!r) return err->code;
    PQclear(r);
    return STORE_OK;
}

static int run(pg_tx *tx, void *arg, store_err *err) {
    wjob *j = arg;
    j->calls++;
    switch (j->kind) {
    case INSERT: return insert(tx, j->x >= 1000 ? "d" : "t", j->x % 1000, err);
    case INSERT_THEN_FAIL:
        if (insert(tx, "t", j->x, err)) return err->code;
        return store_set_err(err, STORE_EUSER + 1, "job %d changed its mind", j->x);
    case NESTED:   /* x, then x + 1 in a savepoint rolled back, then x + 2 */
        if (insert(tx, "t", j->x, err) || pg_tx_savepoint(tx, err) || insert(tx, "t", j->x + 1, err) ||
            pg_tx_rollback(tx, err) || insert(tx, "t", j->x + 2, err))
            return err->code;
        return STORE_OK;
    case IGNORES_ERROR: {
        if (insert(tx, "t", j->x, err)) return err->code;
        store_err ignored;
        PQclear(pg_tx_query(tx, NULL, "SELECT 1 / 0", 0, NULL, &ignored));
        return STORE_OK;   /* as if nothing happened: the writer must see through it */
    }
    case BLOCK:
        if (insert(tx, "t", j->x, err)) return err->code;
        sem_post(j->inside);
        sem_wait(j->gate);
        return insert(tx, "t", j->x + 1, err);
    case PID: {
        PGresult *r = pg_tx_query(tx, NULL, "SELECT pg_backend_pid()", 0, NULL, err);
        if (!r) return err->code;
        j->pid = atoi(PQgetvalue(r, 0, 0));
        PQclear(r);
        return insert(tx, "t", j->x, err);
    }
    }
    return STORE_OK;
}

static void done(void *arg, const store_err *err) {
    wjob *j = arg;
    j->done++;
    j->code = err->code;
    snprintf(j->msg, sizeof j->msg, "%s", err->message);
    if (--T.pending == 0) T.all_done = 1;
}

static void submit(wjob *j) {
    T.pending++;
    T.all_done = 0;
    assert_int_equal(pg_writer_submit(T.w, run, done, j), STORE_OK);
}

static void on_state(void *ctx, bool up, const char *why) {
    (void)ctx, (void)why;
    if (up) T.listening = 1;
}
static void on_notify(void *ctx, const char *channel, const char *payload) {
    (void)ctx, (void)payload;
    assert_string_equal(channel, PG_NOTIFY_CHANNEL);
    T.notifies++;
}
static void on_answer(void *arg, const pg_reply *r) {
    (void)arg;
    assert_null(r->error);
    T.answered = 1;
}

/* Notifications come in commit order before a later query's answer: after
 * this, every notification of what has committed so far has been counted. */
static void sync_listener(void) {
    T.answered = 0;
    assert_int_equal(pg_conn_exec(T.listener, "SELECT 1", 0, NULL, on_answer, NULL), PG_CONN_OK);
    pg_test_run_until(&T.loop, &T.answered, 20);
}

static void setup(const char *db) {
    memset(&T, 0, sizeof T);
    pg_test_fresh_db(db, T.conninfo, sizeof T.conninfo);
    PGconn *c = pg_test_connect(T.conninfo);
    pg_test_exec(c, "CREATE TABLE t (x int UNIQUE)", NULL);
    pg_test_exec(c, "CREATE TABLE d (x int, UNIQUE (x) DEFERRABLE INITIALLY DEFERRED)", NULL);
    PQfinish(c);
    uv_loop_init(&T.loop);
    T.listener = pg_conn_open(&T.loop, T.conninfo, on_state, NULL);
    assert_int_equal(pg_conn_listen(T.listener, PG_NOTIFY_CHANNEL, on_notify, NULL), PG_CONN_OK);
    pg_test_run_until(&T.loop, &T.listening, 20);
    store_err err = {0};
    T.w = pg_writer_start(&T.loop, T.conninfo, &err);
    assert_non_null(T.w);
}

static void teardown(void) {
    pg_writer_stop(T.w);
    pg_conn_close(T.listener);
    pg_test_loop_done(&T.loop);
}

static char *values(const char *table) {
    static char out[256];
    PGconn *c = pg_test_connect(T.conninfo);
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT coalesce(string_agg(x::text, ',' ORDER BY x), '') FROM %s", table);
    PGresult *r;
    pg_test_exec(c, sql, &r);
    snprintf(out, sizeof out, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    PQfinish(c);
    return out;
}

static void each_job_alone(void **state) {
    (void)state;
    setup("t_writer_jobs");
    static wjob a = {.kind = INSERT, .x = 1}, b = {.kind = INSERT_THEN_FAIL, .x = 2}, c = {.kind = NESTED, .x = 3}, d = {.kind = INSERT, .x = 1}, e = {.kind = IGNORES_ERROR, .x = 7};
    submit(&a), submit(&b), submit(&c), submit(&d), submit(&e);
    pg_test_run_until(&T.loop, &T.all_done, 20);
    wjob *all[] = {&a, &b, &c, &d, &e};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(all[i]->calls, 1);
        assert_int_equal(all[i]->done, 1);
    }
    assert_int_equal(a.code, STORE_OK);
    assert_int_equal(b.code, STORE_EUSER + 1);
    assert_string_equal(b.msg, "job 2 changed its mind");
    assert_int_equal(c.code, STORE_OK);
    assert_int_equal(d.code, STORE_ECONFLICT);   /* the unique key: a's 1 */
    assert_non_null(strstr(d.msg, "duplicate key"));
    assert_int_equal(e.code, STORE_EIO);
    assert_string_equal(e.msg, "a statement of the write failed");
    /* a's, and c's first and third: nothing of b, d, e, nor c's rolled-back 4 */
    assert_string_equal(values("t"), "1,3,5");
    assert_true(pg_writer_commits(T.w) >= 1);
    sync_listener();
    assert_int_equal(T.notifies, (int)pg_writer_commits(T.w));   /* one wake-up per commit */
    teardown();
}

static void failed_commit_fails_its_batch(void **state) {
    (void)state;
    setup("t_writer_commit");
    sem_t inside, gate;
    sem_init(&inside, 0, 0);
    sem_init(&gate, 0, 0);
    static wjob blocker;
    blocker = (wjob){.kind = BLOCK, .x = 100, .inside = &inside, .gate = &gate};
    submit(&blocker);
    sem_wait(&inside);   /* the writer is in the blocker's batch: the next three queue as one */
    static wjob x1 = {.kind = INSERT, .x = 1010}, x2 = {.kind = INSERT, .x = 1010}, x3 = {.kind = INSERT, .x = 1011};
    submit(&x1), submit(&x2), submit(&x3);   /* d's deferred key fails only at COMMIT */
    sem_post(&gate);
    pg_test_run_until(&T.loop, &T.all_done, 20);
    assert_int_equal(blocker.code, STORE_OK);
    assert_int_equal(pg_writer_commits(T.w), 1);
    wjob *batch[] = {&x1, &x2, &x3};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(batch[i]->calls, 1);   /* each ran and succeeded */
        assert_int_not_equal(batch[i]->code, STORE_OK);   /* and none is reported committed */
        assert_non_null(strstr(batch[i]->msg, "duplicate key"));
    }
    assert_string_equal(values("d"), "");
    assert_string_equal(values("t"), "100,101");
    /* the connection goes on; no wake-up was sent for the failed batch */
    static wjob after = {.kind = INSERT, .x = 1020};
    submit(&after);
    pg_test_run_until(&T.loop, &T.all_done, 20);
    assert_int_equal(after.code, STORE_OK);
    sync_listener();
    assert_int_equal(T.notifies, 2);
    sem_destroy(&inside);
    sem_destroy(&gate);
    teardown();
}

static void lost_in_the_middle_of_a_batch(void **state) {
    (void)state;
    setup("t_writer_lost");
    static wjob pid = {.kind = PID, .x = 1};
    submit(&pid);
    pg_test_run_until(&T.loop, &T.all_done, 20);
    assert_int_equal(pid.code, STORE_OK);
    assert_true(pid.pid > 0);

    sem_t in0, gate0, in1, gate1;
    sem_init(&in0, 0, 0), sem_init(&gate0, 0, 0), sem_init(&in1, 0, 0), sem_init(&gate1, 0, 0);
    static wjob first, victim, behind;
    first = (wjob){.kind = BLOCK, .x = 10, .inside = &in0, .gate = &gate0};
    victim = (wjob){.kind = BLOCK, .x = 20, .inside = &in1, .gate = &gate1};
    behind = (wjob){.kind = INSERT, .x = 30};
    submit(&first);
    sem_wait(&in0);
    submit(&victim), submit(&behind);   /* one batch, after first's */
    sem_post(&gate0);
    sem_wait(&in1);                     /* victim has written 20 and waits */
    pg_test_terminate(T.conninfo, pid.pid);
    sem_post(&gate1);
    pg_test_run_until(&T.loop, &T.all_done, 20);
    assert_int_equal(first.code, STORE_OK);
    assert_memory_equal(victim.msg, "database unavailable: ", 22);
    assert_memory_equal(behind.msg, "database unavailable: ", 22);
    assert_int_not_equal(behind.code, STORE_OK);
    assert_int_equal(behind.calls, 0);   /* never ran: its transaction was gone */

    static wjob next = {.kind = PID, .x = 40};
    submit(&next);
    pg_test_run_until(&T.loop, &T.all_done, 20);
    assert_int_equal(next.code, STORE_OK);
    assert_true(next.pid != pid.pid);   /* a new connection */
    assert_string_equal(values("t"), "1,10,11,40");
    sem_destroy(&in0), sem_destroy(&gate0), sem_destroy(&in1), sem_destroy(&gate1);
    teardown();
}

static void unreachable_database(void **state) {
    (void)state;
    memset(&T, 0, sizeof T);
    uv_loop_init(&T.loop);
    store_err err = {0};
    T.w = pg_writer_start(&T.loop, "host=/nonexistent-mesd-dir dbname=x", &err);
    assert_non_null(T.w);
    static wjob a = {.kind = INSERT, .x = 1}, b = {.kind = INSERT, .x = 2};
    submit(&a), submit(&b);
    pg_test_run_until(&T.loop, &T.all_done, 20);
    assert_int_equal(a.calls + b.calls, 0);
    assert_int_equal(a.code, STORE_EIO);
    assert_non_null(strstr(a.msg, "database unavailable: connection to server on socket"));
    assert_string_equal(b.msg, a.msg);
    pg_writer_stop(T.w);
    pg_test_loop_done(&T.loop);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_job_alone),
        cmocka_unit_test(failed_commit_fails_its_batch),
        cmocka_unit_test(lost_in_the_middle_of_a_batch),
        cmocka_unit_test(unreachable_database),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
