/* test_store_writer.c: the writer thread with a real libuv loop: group
 * commit, one callback per job with its own result, a failing job alone
 * rolled back, the listener, draining on close, and a write acknowledged
 * before a SIGKILL being on disk. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/wait.h>
#include "test_store_util.h"

#define NJOBS 600

typedef struct batch_test {
    store *s;
    sem_t gate;               /* job 0 waits here until every job is queued */
    int callbacks[NJOBS];
    int codes[NJOBS];
    int results[NJOBS];
    int listener_calls;
    int64_t last_head;
} batch_test;

typedef struct one_job {
    batch_test *bt;
    int index;
    char id[32];
    store_attr_in attr;
    store_process_in p;
} one_job;

static int run_one(store_tx *tx, void *arg, store_err *err) {
    one_job *j = arg;
    if (j->index == 0) sem_wait(&j->bt->gate);
    store_deploy_result r;
    if (store_tx_deploy_process(tx, &j->p, &r, err)) return err->code;
    j->bt->results[j->index] = r.events;
    /* every seventh job fails after writing: only it must roll back */
    if (j->index % 7 == 3) return store_set_err(err, STORE_EUSER + 1, "job %d fails", j->index);
    return STORE_OK;
}

static void done_one(void *arg, const store_err *err) {
    one_job *j = arg;
    j->bt->callbacks[j->index]++;
    j->bt->codes[j->index] = err->code;
}

static void on_heads(void *ctx, const int64_t head[STORE_STREAM_COUNT]) {
    batch_test *bt = ctx;
    assert_true(head[STORE_STREAM_OPERATIONS] > bt->last_head);   /* only ever grows */
    bt->last_head = head[STORE_STREAM_OPERATIONS];
    bt->listener_calls++;
}

static void group_commit(void **state) {
    (void)state;
    test_db t;
    test_db_make(&t);
    uv_loop_t loop;
    uv_loop_init(&loop);
    static batch_test bt;
    memset(&bt, 0, sizeof bt);
    sem_init(&bt.gate, 0, 0);
    store *s = test_open(&t, &loop);
    bt.s = s;
    store_set_listener(s, on_heads, &bt);
    static one_job jobs[NJOBS];
    for (int i = 0; i < NJOBS; i++) {
        one_job *j = &jobs[i];
        j->bt = &bt;
        j->index = i;
        snprintf(j->id, sizeof j->id, "proc_%04d", i);
        j->attr = (store_attr_in){"sn", "Serial", "PN"};
        j->p = (store_process_in){j->id, "P", NULL, NULL, NULL, false, &j->attr, 1, NULL, 0};
        assert_int_equal(store_submit(s, run_one, done_one, j), STORE_OK);
    }
    store_metrics m;
    store_get_metrics(s, &m);
    assert_true(m.queue_depth >= NJOBS - 256);   /* the writer holds at most one batch */
    sem_post(&bt.gate);
    /* run the loop until every callback came */
    for (;;) {
        int all = 1;
        for (int i = 0; i < NJOBS; i++) all &= bt.callbacks[i] == 1;
        if (all) break;
        uv_run(&loop, UV_RUN_ONCE);
    }
    int ok = 0;
    for (int i = 0; i < NJOBS; i++) {
        assert_int_equal(bt.callbacks[i], 1);
        if (i % 7 == 3) assert_int_equal(bt.codes[i], STORE_EUSER + 1);
        else { assert_int_equal(bt.codes[i], 0); assert_int_equal(bt.results[i], 1); ok++; }
    }
    store_get_metrics(s, &m);
    assert_int_equal(m.jobs, NJOBS);
    assert_int_equal(m.job_errors, NJOBS - ok);
    /* job 0 alone, then the other 599 in batches of at most 256 */
    assert_true(m.commits <= 4);
    uint64_t batches = 0;
    for (int i = 0; i < STORE_BATCH_BUCKETS; i++) batches += m.batch_hist[i];
    assert_int_equal(batches, m.commits);
    assert_true(m.batch_hist[STORE_BATCH_BUCKETS - 1] >= 2);   /* batches of 128 or more */
    assert_int_equal(m.queue_depth, 0);
    assert_int_equal(bt.last_head, ok);
    assert_true(bt.listener_calls >= 1);
    store_close(s);
    uv_run(&loop, UV_RUN_DEFAULT);
    assert_int_equal(uv_loop_close(&loop), 0);
    /* the failed jobs left nothing; the seqs have no gap */
    assert_int_equal(test_sql_int(&t, "SELECT count(*) FROM operations"), ok);
    assert_int_equal(test_sql_int(&t, "SELECT count(*) FROM consumed_serial_attrs"), ok);
    assert_int_equal(test_sql_int(&t, "SELECT max(seq) FROM operation_events"), ok);
    assert_int_equal(test_sql_int(&t, "SELECT count(DISTINCT seq) FROM operation_events"), ok);
    sem_destroy(&bt.gate);
    test_db_remove(&t);
}

/* ---- close drains, exec_sync beside a running writer ---- */
static int counter;
static void count_done(void *arg, const store_err *err) {
    (void)arg;
    assert_int_equal(err->code, 0);
    counter++;
}
static int noop(store_tx *tx, void *arg, store_err *err) {
    (void)arg;
    return store_tx_append_event(tx, STORE_STREAM_COMPLETES, "1", "{}", NULL, err);
}

static void close_drains_the_queue(void **state) {
    (void)state;
    test_db t;
    test_db_make(&t);
    uv_loop_t loop;
    uv_loop_init(&loop);
    store *s = test_open(&t, &loop);
    store_err err;
    assert_int_equal(store_exec_sync(s, noop, NULL, &err), 0);   /* with the writer running */
    counter = 0;
    for (int i = 0; i < 50; i++) assert_int_equal(store_submit(s, noop, count_done, NULL), STORE_OK);
    store_close(s);   /* every queued job runs and is answered */
    assert_int_equal(counter, 50);
    uv_run(&loop, UV_RUN_DEFAULT);
    assert_int_equal(uv_loop_close(&loop), 0);
    assert_int_equal(test_sql_int(&t, "SELECT count(*) FROM operation_order_complete_events"), 51);
    test_db_remove(&t);
}

/* ---- crash safety ---- */
static int ack_fd;
static void ack(void *arg, const store_err *err) {
    (void)arg;
    if (err->code == 0 && write(ack_fd, "k", 1) != 1) _exit(3);
}
static int write_marker(store_tx *tx, void *arg, store_err *err) {
    (void)arg;
    return store_tx_append_event(tx, STORE_STREAM_NOTES, "marker", "{\"acked\":true}", NULL, err);
}

static void acknowledged_write_survives_sigkill(void **state) {
    (void)state;
    test_db t;
    test_db_make(&t);
    store_close(test_open(&t, NULL));
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        ack_fd = fds[1];
        uv_loop_t loop;
        uv_loop_init(&loop);
        store_err err;
        store *s = store_open(t.url, &loop, &err);
        if (!s) _exit(2);
        for (int i = 0; i < 20; i++) store_submit(s, write_marker, ack, NULL);
        uv_run(&loop, UV_RUN_DEFAULT);   /* the writer keeps the loop alive: wait to be killed */
        _exit(0);
    }
    close(fds[1]);
    char c;
    int acked = 0;
    while (acked < 20 && read(fds[0], &c, 1) == 1) acked++;
    assert_int_equal(acked, 20);
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFSIGNALED(status));
    close(fds[0]);
    store *s = test_open(&t, NULL);
    int64_t head[STORE_STREAM_COUNT];
    store_err err;
    assert_int_equal(store_stream_heads(s, head, &err), 0);
    assert_int_equal(head[STORE_STREAM_NOTES], 20);
    store_close(s);
    test_db_remove(&t);
}

static void submit_without_writer_is_refused(void **state) {
    (void)state;
    test_db t;
    test_db_make(&t);
    store *s = test_open(&t, NULL);
    assert_int_equal(store_submit(s, noop, count_done, NULL), STORE_ECLOSED);
    store_close(s);
    test_db_remove(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(group_commit),
        cmocka_unit_test(close_drains_the_queue),
        cmocka_unit_test(acknowledged_write_survives_sigkill),
        cmocka_unit_test(submit_without_writer_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
