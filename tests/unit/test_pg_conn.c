/* test_pg_conn.c: the loop's PostgreSQL connection against a real server:
 * pipelined queries answered in order, a failing statement that does not
 * break the next, prepared statements, LISTEN/NOTIFY, and losing the
 * connection (queued queries fail with "database unavailable", it
 * reconnects, re-prepares, listens again and says so). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "pg_conn.h"
#include "test_pg_util.h"

#define NQ 200

typedef struct conn_test {
    pg_conn *c;
    int ups, downs;
    volatile int up, down;           /* the latest transition, for run_until */
    char down_why[512];
    int refused_while_down;          /* pg_conn_query's answer inside the down callback */
    int answered, order_ok;
    long long values[NQ];
    char errors[NQ][512];
    bool unavailable[NQ];
    volatile int all_answered;
    int notifies;
    volatile int notified;
    char payload[64];
} conn_test;

static void on_state(void *ctx, bool up, const char *why) {
    conn_test *t = ctx;
    if (up) {
        t->ups++;
        t->up = 1;
        t->down = 0;
        return;
    }
    t->downs++;
    t->down = 1;
    t->up = 0;
    snprintf(t->down_why, sizeof t->down_why, "%s", why);
    t->refused_while_down = pg_conn_query(t->c, "add", 0, NULL, NULL, NULL);
}

typedef struct q { conn_test *t; int i; } q;
static q qs[NQ];
static int expected;

static void on_reply(void *arg, const pg_reply *r) {
    q *x = arg;
    conn_test *t = x->t;
    if (x->i != t->answered) t->order_ok = 0;   /* answers come in the order asked */
    t->answered++;
    if (r->error) {
        snprintf(t->errors[x->i], sizeof t->errors[x->i], "%s", r->error);
        t->unavailable[x->i] = r->unavailable;
    } else {
        t->errors[x->i][0] = 0;
        assert_non_null(r->res);
        t->values[x->i] = strtoll(PQgetvalue(r->res, 0, 0), NULL, 10);
    }
    if (t->answered == expected) t->all_answered = 1;
}

static void on_notify(void *ctx, const char *channel, const char *payload) {
    conn_test *t = ctx;
    assert_string_equal(channel, "mesd_commit");
    snprintf(t->payload, sizeof t->payload, "%s", payload);
    t->notifies++;
    t->notified = 1;
}

static void start(conn_test *t, uv_loop_t *loop, const char *db) {
    char conninfo[512];
    pg_test_fresh_db(db, conninfo, sizeof conninfo);
    memset(t, 0, sizeof *t);
    t->order_ok = 1;
    uv_loop_init(loop);
    t->c = pg_conn_open(loop, conninfo, on_state, t);
}

static void ask(conn_test *t, int from, int to, const char *name, const char *sql) {
    t->all_answered = 0;
    t->answered = from;
    expected = to;
    for (int i = from; i < to; i++) {
        qs[i] = (q){t, i};
        char a[16], b[16];
        snprintf(a, sizeof a, "%d", i);
        snprintf(b, sizeof b, "%d", 1000);
        const char *params[] = {a, b};
        int rc = name ? pg_conn_query(t->c, name, 2, params, on_reply, &qs[i])
                      : pg_conn_exec(t->c, sql, 0, NULL, on_reply, &qs[i]);
        assert_int_equal(rc, PG_CONN_OK);
    }
}

static void pipelined_in_order(void **state) {
    (void)state;
    uv_loop_t loop;
    static conn_test t;
    start(&t, &loop, "t_conn_pipeline");
    assert_int_equal(pg_conn_prepare(t.c, "add", "SELECT $1::int + $2::int"), PG_CONN_OK);
    assert_int_equal(pg_conn_prepare(t.c, "add", "SELECT 1"), PG_CONN_EINPUT);   /* names are unique */
    /* queued while connecting: sent as one pipeline behind the PREPARE */
    ask(&t, 0, NQ, "add", NULL);
    pg_test_run_until(&loop, &t.all_answered, 20);
    assert_true(t.order_ok);
    assert_int_equal(t.ups, 1);
    for (int i = 0; i < NQ; i++) {
        assert_string_equal(t.errors[i], "");
        assert_int_equal(t.values[i], i + 1000);
    }
    /* and while up: sent at once */
    ask(&t, 0, NQ, "add", NULL);
    pg_test_run_until(&loop, &t.all_answered, 20);
    assert_true(t.order_ok);
    assert_int_equal(t.values[NQ - 1], NQ - 1 + 1000);
    assert_int_equal(pg_conn_query(t.c, "nope", 0, NULL, on_reply, NULL), PG_CONN_EINPUT);
    pg_conn_close(t.c);
    pg_test_loop_done(&loop);
}

static void error_does_not_break_next(void **state) {
    (void)state;
    uv_loop_t loop;
    static conn_test t;
    start(&t, &loop, "t_conn_errors");
    assert_int_equal(pg_conn_prepare(t.c, "div", "SELECT 10 / $1::int + $2::int * 0"), PG_CONN_OK);
    pg_test_run_until(&loop, &t.up, 20);
    expected = 3;
    t.all_answered = 0;
    const char *zero[] = {"0", "0"}, *two[] = {"2", "0"};
    qs[0] = (q){&t, 0}, qs[1] = (q){&t, 1}, qs[2] = (q){&t, 2};
    assert_int_equal(pg_conn_query(t.c, "div", 2, two, on_reply, &qs[0]), PG_CONN_OK);
    assert_int_equal(pg_conn_query(t.c, "div", 2, zero, on_reply, &qs[1]), PG_CONN_OK);
    assert_int_equal(pg_conn_query(t.c, "div", 2, two, on_reply, &qs[2]), PG_CONN_OK);
    pg_test_run_until(&loop, &t.all_answered, 20);
    assert_int_equal(t.values[0], 5);
    assert_string_equal(t.errors[1], "database: division by zero");
    assert_false(t.unavailable[1]);   /* the statement failed, not the connection */
    assert_string_equal(t.errors[2], "");
    assert_int_equal(t.values[2], 5);
    /* a syntax error in an unprepared statement, then a good one */
    ask(&t, 0, 1, NULL, "SELEC 1");
    ask(&t, 1, 2, NULL, "SELECT 3");
    t.answered = 0;
    pg_test_run_until(&loop, &t.all_answered, 20);
    assert_non_null(strstr(t.errors[0], "syntax error"));
    assert_string_equal(t.errors[1], "");
    assert_int_equal(t.values[1], 3);
    pg_conn_close(t.c);
    pg_test_loop_done(&loop);
}

/* the number of prepared statements named `name` on the connection */
static void count_prepared(conn_test *t, uv_loop_t *loop, const char *name) {
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM pg_prepared_statements WHERE name = '%s'", name);
    memset(t->errors, 0, sizeof t->errors);
    ask(t, 0, 1, NULL, sql);
    pg_test_run_until(loop, &t->all_answered, 20);
    assert_string_equal(t->errors[0], "");
}

static void prepared_once_per_connection(void **state) {
    (void)state;
    uv_loop_t loop;
    static conn_test t;
    start(&t, &loop, "t_conn_prepared");
    assert_int_equal(pg_conn_prepare(t.c, "add", "SELECT $1::int + $2::int"), PG_CONN_OK);
    pg_test_run_until(&loop, &t.up, 20);
    count_prepared(&t, &loop, "add");
    assert_int_equal(t.values[0], 1);
    /* registered while up: prepared at once, before the query behind it */
    assert_int_equal(pg_conn_prepare(t.c, "mul", "SELECT $1::int * $2::int"), PG_CONN_OK);
    ask(&t, 0, 3, "mul", NULL);
    pg_test_run_until(&loop, &t.all_answered, 20);
    assert_int_equal(t.values[2], 2000);
    count_prepared(&t, &loop, "mul");
    assert_int_equal(t.values[0], 1);
    pg_conn_close(t.c);
    pg_test_loop_done(&loop);
}

static void notify_other(const char *conninfo, const char *payload) {
    PGconn *o = pg_test_connect(conninfo);
    char sql[128];
    snprintf(sql, sizeof sql, "NOTIFY mesd_commit, '%s'", payload);
    pg_test_exec(o, sql, NULL);
    PQfinish(o);
}

static void listen_wakes(void **state) {
    (void)state;
    uv_loop_t loop;
    static conn_test t;
    start(&t, &loop, "t_conn_listen");
    char conninfo[512];
    pg_test_conninfo("t_conn_listen", conninfo, sizeof conninfo);
    assert_int_equal(pg_conn_listen(t.c, "mesd commit", on_notify, &t), PG_CONN_EINPUT);
    assert_int_equal(pg_conn_listen(t.c, "mesd_commit", on_notify, &t), PG_CONN_OK);
    pg_test_run_until(&loop, &t.up, 20);   /* up: the LISTEN is in place */
    notify_other(conninfo, "first");
    pg_test_run_until(&loop, &t.notified, 20);
    assert_string_equal(t.payload, "first");
    t.notified = 0;
    notify_other(conninfo, "second");
    pg_test_run_until(&loop, &t.notified, 20);
    assert_string_equal(t.payload, "second");
    assert_int_equal(t.notifies, 2);
    pg_conn_close(t.c);
    pg_test_loop_done(&loop);
}

static void connection_lost_and_back(void **state) {
    (void)state;
    uv_loop_t loop;
    static conn_test t;
    start(&t, &loop, "t_conn_lost");
    char conninfo[512];
    pg_test_conninfo("t_conn_lost", conninfo, sizeof conninfo);
    assert_int_equal(pg_conn_prepare(t.c, "add", "SELECT $1::int + $2::int"), PG_CONN_OK);
    assert_int_equal(pg_conn_listen(t.c, "mesd_commit", on_notify, &t), PG_CONN_OK);
    pg_test_run_until(&loop, &t.up, 20);
    int pid = pg_conn_backend_pid(t.c);
    assert_true(pid > 0);

    /* one statement running and more queued behind it when the session ends */
    ask(&t, 0, 1, NULL, "SELECT pg_sleep(30)");
    ask(&t, 1, 4, "add", NULL);
    t.answered = 0;
    expected = 4;
    uv_run(&loop, UV_RUN_NOWAIT);   /* sent */
    pg_test_terminate(conninfo, pid);
    pg_test_run_until(&loop, &t.down, 20);
    pg_test_run_until(&loop, &t.all_answered, 20);
    for (int i = 0; i < 4; i++) {
        assert_true(t.unavailable[i]);
        assert_memory_equal(t.errors[i], "database unavailable: ", 22);
    }
    assert_memory_equal(t.down_why, "database unavailable: ", 22);
    assert_int_equal(t.refused_while_down, PG_CONN_EDOWN);   /* refused, not queued, while down */
    assert_int_equal(t.downs, 1);

    /* back by itself (backoff), with its statement and its LISTEN */
    pg_test_run_until(&loop, &t.up, 20);
    assert_int_equal(t.ups, 2);
    assert_true(pg_conn_backend_pid(t.c) != pid);
    memset(t.errors, 0, sizeof t.errors);
    ask(&t, 0, 2, "add", NULL);
    pg_test_run_until(&loop, &t.all_answered, 20);
    assert_string_equal(t.errors[1], "");
    assert_int_equal(t.values[1], 1001);
    notify_other(conninfo, "after");
    pg_test_run_until(&loop, &t.notified, 20);
    assert_string_equal(t.payload, "after");
    pg_conn_close(t.c);
    pg_test_loop_done(&loop);
}

static void unreachable_database(void **state) {
    (void)state;
    uv_loop_t loop;
    uv_loop_init(&loop);
    static conn_test t;
    memset(&t, 0, sizeof t);
    t.order_ok = 1;
    t.c = pg_conn_open(&loop, "host=/nonexistent-mesd-dir dbname=x", on_state, &t);
    assert_int_equal(pg_conn_prepare(t.c, "add", "SELECT $1::int + $2::int"), PG_CONN_OK);
    ask(&t, 0, 2, "add", NULL);   /* accepted while connecting */
    pg_test_run_until(&loop, &t.all_answered, 20);
    assert_true(t.down);
    assert_int_equal(t.ups, 0);
    assert_non_null(strstr(t.down_why, "database unavailable: connection to server on socket"));
    assert_string_equal(t.errors[0], t.down_why);
    assert_true(t.unavailable[1]);
    assert_int_equal(pg_conn_query(t.c, "add", 0, NULL, on_reply, NULL), PG_CONN_EDOWN);
    assert_string_equal(pg_conn_error(t.c), t.down_why);
    pg_conn_close(t.c);
    pg_test_loop_done(&loop);
}

/* closing with queries queued answers each once; a callback may close too */
static void on_reply_close(void *arg, const pg_reply *r) {
    on_reply(arg, r);
    pg_conn_close(((q *)arg)->t->c);
}

static void close_answers_everything(void **state) {
    (void)state;
    uv_loop_t loop;
    static conn_test t;
    start(&t, &loop, "t_conn_close");
    pg_test_run_until(&loop, &t.up, 20);
    expected = 3;
    t.answered = 0;
    t.all_answered = 0;
    for (int i = 0; i < 3; i++) {
        qs[i] = (q){&t, i};
        assert_int_equal(pg_conn_exec(t.c, "SELECT 7", 0, NULL, i == 0 ? on_reply_close : on_reply, &qs[i]),
                         PG_CONN_OK);
    }
    pg_test_run_until(&loop, &t.all_answered, 20);
    assert_int_equal(t.values[0], 7);
    assert_string_equal(t.errors[1], "database unavailable: the connection is closed");
    assert_string_equal(t.errors[2], "database unavailable: the connection is closed");
    assert_int_equal(t.answered, 3);
    pg_test_loop_done(&loop);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pipelined_in_order),       cmocka_unit_test(error_does_not_break_next),
        cmocka_unit_test(prepared_once_per_connection), cmocka_unit_test(listen_wakes),
        cmocka_unit_test(connection_lost_and_back), cmocka_unit_test(unreachable_database),
        cmocka_unit_test(close_answers_everything),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
