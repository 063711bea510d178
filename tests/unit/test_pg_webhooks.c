/* test_pg_webhooks.c: webhook subscriptions and their outbox on PostgreSQL
 * against SQLite (differential): the same puts, deletes, events, deliveries
 * and failures give the same answers (codes, messages, lists, due rows,
 * heads, counts) and the same rows underneath. Then what only several
 * writers can show: a subscription registered while another transaction
 * appends to its stream misses nothing and gets nothing twice, and a
 * subscription's deliveries are claimed by one instance at a time, with a
 * lease another instance takes over when it runs out. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <pthread.h>
#include <cmocka.h>
#include "pg_events.h"
#include "store_internal.h"
#include "test_pg_diff.h"

#define FAR 4000000000000LL   /* ms: after any clock this test runs under */

/* ---- jobs ---- */

typedef struct put_job {
    store_webhook w;
    bool replaced;
} put_job;
static int run_put(store_tx *tx, void *arg, store_err *err) {
    put_job *j = arg;
    return store_tx_webhook_put(tx, &j->w, &j->replaced, err);
}

typedef struct del_job {
    const char *id;
    bool found;
} del_job;
static int run_del(store_tx *tx, void *arg, store_err *err) {
    del_job *j = arg;
    return store_tx_webhook_delete(tx, j->id, &j->found, err);
}

/* A completion or note event: PostgreSQL's through pg_tx_append_event,
 * whose outbox rows are under test here. */
typedef struct append_job {
    store_stream stream;
    const char *ref, *payload;
    bool fail_after;
} append_job;
static int run_append(store_tx *tx, void *arg, store_err *err) {
    append_job *j = arg;
    int rc = tx->pg ? pg_tx_append_event(tx->pg, j->stream, j->ref, j->payload, NULL, err)
                    : store_tx_append_event(tx, j->stream, j->ref, j->payload, NULL, err);
    if (rc == STORE_OK && j->fail_after) return store_set_err(err, STORE_EUSER, "failing on purpose");
    return rc;
}

/* A delivery's record: a 2xx (failed false) or a failure. */
typedef struct record_job {
    bool failed;
    int64_t outbox_id, seq, next_at, failing_before;
    const char *sub_id, *error;
} record_job;
static int run_record(store_tx *tx, void *arg, store_err *err) {
    record_job *j = arg;
    if (!j->failed) return store_tx_webhook_delivered(tx, j->outbox_id, j->sub_id, j->seq, err);
    return store_tx_webhook_failed(tx, j->outbox_id, j->sub_id, j->seq, j->next_at, j->error, j->failing_before,
                                   err);
}

static void put_both(diff_pair *p, const char *id, store_stream stream, const char *headers, int want_rc,
                     bool want_replaced) {
    put_job j = {.w = {.id = id, .stream = stream, .response_fragment = "fragment F on Operation { id }",
                       .url = "http://127.0.0.1:9/hook", .headers_json = headers, .secret = "s3cret"}};
    put_job js[DIFF_N] = {j, j};
    void *args[DIFF_N] = {&js[DIFF_SQ], &js[DIFF_PG]};
    assert_int_equal(diff_exec(p, run_put, args), want_rc);
    assert_int_equal(js[DIFF_SQ].replaced, want_replaced);
    assert_int_equal(js[DIFF_PG].replaced, want_replaced);
}

static void del_both(diff_pair *p, const char *id, bool want_found) {
    del_job js[DIFF_N] = {{.id = id}, {.id = id}};
    void *args[DIFF_N] = {&js[DIFF_SQ], &js[DIFF_PG]};
    assert_int_equal(diff_exec(p, run_del, args), STORE_OK);
    assert_int_equal(js[DIFF_SQ].found, want_found);
    assert_int_equal(js[DIFF_PG].found, want_found);
}

static int append_both(diff_pair *p, append_job j) {
    append_job js[DIFF_N] = {j, j};
    void *args[DIFF_N] = {&js[DIFF_SQ], &js[DIFF_PG]};
    return diff_exec(p, run_append, args);
}

/* ---- comparing answers ---- */

static bool same_str(const char *a, const char *b) { return a == b || (a && b && strcmp(a, b) == 0); }

static void same_webhook(const store_webhook *a, const store_webhook *b) {
    assert_true(same_str(a->id, b->id));
    assert_true(same_str(a->response_fragment, b->response_fragment));
    assert_true(same_str(a->url, b->url));
    assert_true(same_str(a->headers_json, b->headers_json));
    assert_true(same_str(a->secret, b->secret));
    assert_int_equal(a->stream, b->stream);
    assert_int_equal(a->failing, b->failing);
}

/* Both lists, field by field (created_at: each store's own clock); the
 * number of subscriptions. */
static size_t same_list(diff_pair *p) {
    gql_arena a;
    gql_arena_init(&a, 0);
    store_webhook *w[DIFF_N];
    size_t n[DIFF_N];
    store_err err = {0};
    for (int i = 0; i < DIFF_N; i++) assert_int_equal(store_webhooks_list(p->s[i], &a, &w[i], &n[i], &err), STORE_OK);
    assert_int_equal(n[DIFF_SQ], n[DIFF_PG]);
    for (size_t k = 0; k < n[DIFF_SQ]; k++) {
        const store_webhook *x = &w[DIFF_SQ][k], *y = &w[DIFF_PG][k];
        same_webhook(x, y);
        assert_int_equal(x->last_delivered_seq, y->last_delivered_seq);
        assert_int_equal(x->pending, y->pending);
        assert_true(x->created_at > 0 && y->created_at > 0);
    }
    gql_arena_free(&a);
    return n[DIFF_SQ];
}

/* One store's due subscriptions at now, in order, as "id id …" (on
 * PostgreSQL: claiming them). */
static const char *due_of(store *s, int64_t now, char out[256]) {
    gql_arena a;
    gql_arena_init(&a, 0);
    store_webhook_due_sub *d;
    size_t n;
    store_err err = {0};
    assert_int_equal(store_webhooks_due(s, now, &a, &d, &n, &err), STORE_OK);
    out[0] = 0;
    for (size_t k = 0; k < n; k++) {
        assert_string_equal(d[k].url, "http://127.0.0.1:9/hook");
        snprintf(out + strlen(out), 256 - strlen(out), "%s%s", k ? " " : "", d[k].id);
    }
    gql_arena_free(&a);
    return out;
}

static void same_due(diff_pair *p, int64_t now, const char *want) {
    char got[256];
    assert_string_equal(due_of(p->s[DIFF_SQ], now, got), want);
    assert_string_equal(due_of(p->s[DIFF_PG], now, got), want);
}

/* Both heads of sub; out[i]: backend i's (outbox ids are each store's own).
 * false when there is none (on both). */
static bool same_head(diff_pair *p, const char *sub, gql_arena *a, store_webhook_due out[DIFF_N]) {
    bool found[DIFF_N];
    for (int i = 0; i < DIFF_N; i++) {
        store_err err = {0};
        assert_int_equal(store_webhook_head(p->s[i], sub, a, &out[i], &found[i], &err), STORE_OK);
    }
    assert_int_equal(found[DIFF_SQ], found[DIFF_PG]);
    if (!found[DIFF_SQ]) return false;
    const store_webhook_due *x = &out[DIFF_SQ], *y = &out[DIFF_PG];
    assert_int_equal(x->seq, y->seq);
    assert_int_equal(x->attempts, y->attempts);
    /* due at once (its creation) until a failure sets the next try */
    assert_int_equal(x->next_attempt_at == x->created_at, y->next_attempt_at == y->created_at);
    if (x->next_attempt_at != x->created_at) assert_int_equal(x->next_attempt_at, y->next_attempt_at);
    same_webhook(&x->w, &y->w);
    return true;
}

static void same_counts(diff_pair *p, int64_t want_pending, int64_t want_failing) {
    for (int i = 0; i < DIFF_N; i++) {
        int64_t pending = -1, failing = -1;
        store_err err = {0};
        assert_int_equal(store_webhooks_counts(p->s[i], &pending, &failing, &err), STORE_OK);
        assert_int_equal(pending, want_pending);
        assert_int_equal(failing, want_failing);
    }
}

/* Every subscription and outbox row underneath (times as relations). */
static void same_rows(diff_pair *p) {
    diff_rows(p,
              "SELECT id, stream, response_fragment, url, headers, secret, last_delivered_seq, failing"
              " FROM webhook_subscriptions ORDER BY id",
              NULL, -1);
    diff_rows(p,
              "SELECT subscription_id, seq, attempts, CASE WHEN next_attempt_at = created_at THEN 'now'"
              " ELSE CAST(next_attempt_at AS text) END, last_error,"
              " CASE WHEN first_failed_at IS NULL THEN 0 ELSE 1 END FROM webhook_outbox ORDER BY subscription_id, seq",
              NULL, -1);
}

/* ---- subscriptions ---- */

static void subscriptions(void **state) {
    (void)state;
    diff_pair p;
    diff_open(&p, "t_hooks_subscriptions");
    diff_process(&p, "p1");
    put_both(&p, "ops", STORE_STREAM_OPERATIONS, "{\"X-A\":\"1\"}", STORE_OK, false);
    put_both(&p, "subs", STORE_STREAM_SUB_OPERATIONS, NULL, STORE_OK, false);
    put_both(&p, "wo", STORE_STREAM_WORK_ORDERS, NULL, STORE_EINPUT, false);
    put_both(&p, "bad", (store_stream)42, NULL, STORE_EINPUT, false);
    assert_int_equal(same_list(&p), 2);
    /* it starts at the stream's head: p1's event is not delivered */
    diff_rows(&p, "SELECT id, last_delivered_seq FROM webhook_subscriptions ORDER BY id", NULL, 2);
    assert_int_equal(diff_int(&p, "SELECT last_delivered_seq FROM webhook_subscriptions WHERE id = 'ops'"), 1);
    same_counts(&p, 0, 0);

    /* each event gets one row per subscription of its stream, stamped with
     * the event's time, in the event's transaction */
    diff_process(&p, "p2");
    store_component_in comps[] = {{"p1", NULL, false}, {"p2", "g", true}};
    store_product_in prod = {.id = "prod", .name = "Prod", .kind = STORE_KIND_PRODUCT, .components = comps,
                             .ncomponents = 2};
    deploy_job dj[DIFF_N] = {{.product = &prod}, {.product = &prod}};
    void *dargs[DIFF_N] = {&dj[DIFF_SQ], &dj[DIFF_PG]};
    assert_int_equal(diff_exec(&p, run_deploy, dargs), STORE_OK);
    same_rows(&p);
    diff_rows(&p, "SELECT seq FROM webhook_outbox WHERE subscription_id = 'ops'", NULL, 2);
    diff_rows(&p, "SELECT seq FROM webhook_outbox WHERE subscription_id = 'subs'", NULL, 2);
    diff_rows(&p,
              "SELECT o.seq FROM webhook_outbox o JOIN operation_events e ON e.seq = o.seq"
              " WHERE o.subscription_id = 'ops' AND o.created_at = e.at",
              NULL, 2);
    same_counts(&p, 4, 0);
    assert_int_equal(same_list(&p), 2);

    /* a job that appends and then fails leaves no outbox row */
    dj[DIFF_SQ] = dj[DIFF_PG] = (deploy_job){.process = &(store_process_in){.id = "p3", .name = "P3"},
                                             .fail_after = STORE_EUSER};
    assert_int_equal(diff_exec(&p, run_deploy, dargs), STORE_EUSER);
    same_counts(&p, 4, 0);

    /* replaced: its outbox goes, and it starts again at the head */
    put_both(&p, "ops", STORE_STREAM_OPERATIONS, NULL, STORE_OK, true);
    assert_int_equal(diff_int(&p, "SELECT last_delivered_seq FROM webhook_subscriptions WHERE id = 'ops'"), 3);
    same_counts(&p, 2, 0);
    del_both(&p, "subs", true);
    del_both(&p, "subs", false);
    del_both(&p, "nope", false);
    same_counts(&p, 0, 0);
    assert_int_equal(same_list(&p), 1);
    same_rows(&p);
    diff_close(&p);
}

/* Completions and notes: the outbox rows written with the event by
 * pg_tx_append_event's one statement. */
static void appended_events(void **state) {
    (void)state;
    diff_pair p;
    diff_open(&p, "t_hooks_appended");
    put_both(&p, "c", STORE_STREAM_COMPLETES, NULL, STORE_OK, false);
    put_both(&p, "n1", STORE_STREAM_NOTES, NULL, STORE_OK, false);
    put_both(&p, "n2", STORE_STREAM_NOTES, NULL, STORE_OK, false);
    assert_int_equal(append_both(&p, (append_job){STORE_STREAM_COMPLETES, "7", "{\"a\":1}", false}), STORE_OK);
    assert_int_equal(append_both(&p, (append_job){STORE_STREAM_NOTES, "n-1", "{\"b\":2}", false}), STORE_OK);
    assert_int_equal(append_both(&p, (append_job){STORE_STREAM_NOTES, "n-2", "{}", true}), STORE_EUSER);
    assert_int_equal(append_both(&p, (append_job){STORE_STREAM_NOTES, "n-3", "{}", false}), STORE_OK);
    same_rows(&p);
    diff_rows(&p, "SELECT subscription_id, seq FROM webhook_outbox ORDER BY subscription_id, seq", NULL, 5);
    diff_rows(&p,
              "SELECT o.subscription_id, o.seq FROM webhook_outbox o JOIN note_events e ON e.seq = o.seq"
              " WHERE o.created_at = e.at ORDER BY o.subscription_id, o.seq",
              NULL, 4);
    /* no subscription of a stream: its events get none */
    del_both(&p, "c", true);
    assert_int_equal(append_both(&p, (append_job){STORE_STREAM_COMPLETES, "8", "{}", false}), STORE_OK);
    same_counts(&p, 4, 0);
    diff_close(&p);
}

/* ---- delivery ---- */

static void record_both(diff_pair *p, record_job j, const store_webhook_due head[DIFF_N]) {
    record_job js[DIFF_N] = {j, j};
    for (int i = 0; i < DIFF_N; i++)
        if (head) js[i].outbox_id = head[i].outbox_id, js[i].seq = head[i].seq;
    void *args[DIFF_N] = {&js[DIFF_SQ], &js[DIFF_PG]};
    assert_int_equal(diff_exec(p, run_record, args), STORE_OK);
}

static void delivery(void **state) {
    (void)state;
    diff_pair p;
    diff_open(&p, "t_hooks_delivery");
    put_both(&p, "b", STORE_STREAM_OPERATIONS, NULL, STORE_OK, false);
    put_both(&p, "a", STORE_STREAM_OPERATIONS, NULL, STORE_OK, false);
    put_both(&p, "n", STORE_STREAM_NOTES, NULL, STORE_OK, false);
    diff_process(&p, "p1");
    diff_process(&p, "p2");
    same_counts(&p, 4, 0);
    /* one event's rows are due at once: ties by id */
    same_due(&p, FAR, "a b");
    same_due(&p, 0, "");
    gql_arena ar;
    gql_arena_init(&ar, 0);
    store_webhook_due h[DIFF_N];
    assert_false(same_head(&p, "n", &ar, h));      /* empty outbox */
    assert_false(same_head(&p, "nope", &ar, h));   /* no subscription */
    assert_true(same_head(&p, "a", &ar, h));
    assert_int_equal(h[DIFF_SQ].seq, 1);
    assert_int_equal(h[DIFF_SQ].attempts, 0);

    /* a failure: the next try later, not failing yet (first failure now) */
    record_both(&p, (record_job){.failed = true, .sub_id = "a", .next_at = FAR, .error = "HTTP 500"}, h);
    same_rows(&p);
    same_counts(&p, 4, 0);
    same_due(&p, FAR - 1, "b");   /* a's head waits: its next row does not overtake it */
    same_due(&p, FAR, "b a");
    assert_true(same_head(&p, "a", &ar, h));
    assert_int_equal(h[DIFF_SQ].attempts, 1);
    assert_int_equal(h[DIFF_SQ].seq, 1);
    /* failing once the first failure is older than failing_before */
    record_both(&p,
                (record_job){.failed = true, .sub_id = "a", .next_at = FAR + 1, .error = "timeout",
                             .failing_before = FAR},
                h);
    same_rows(&p);
    same_counts(&p, 4, 1);
    same_list(&p);
    assert_true(same_head(&p, "a", &ar, h));
    assert_true(h[DIFF_SQ].w.failing);
    assert_int_equal(h[DIFF_SQ].attempts, 2);

    /* answers for a row that is not (or no longer) there change nothing */
    record_job stale = {.sub_id = "a", .outbox_id = h[DIFF_SQ].outbox_id, .seq = 2};
    store_webhook_due wrong[DIFF_N] = {h[DIFF_SQ], h[DIFF_PG]};
    wrong[DIFF_SQ].seq = wrong[DIFF_PG].seq = 2;
    record_both(&p, stale, wrong);
    stale.failed = true, stale.failing_before = FAR, stale.error = "x";
    record_both(&p, stale, wrong);
    stale.sub_id = "b";
    record_both(&p, stale, h);
    same_rows(&p);
    same_counts(&p, 4, 1);

    /* delivered: the row goes, the subscription moves on and is not failing */
    record_both(&p, (record_job){.sub_id = "a"}, h);
    same_rows(&p);
    same_counts(&p, 3, 0);
    assert_int_equal(diff_int(&p, "SELECT last_delivered_seq FROM webhook_subscriptions WHERE id = 'a'"), 1);
    assert_true(same_head(&p, "a", &ar, h));
    assert_int_equal(h[DIFF_SQ].seq, 2);
    for (int k = 0; k < 2; k++) {
        assert_true(same_head(&p, "b", &ar, h));
        record_both(&p, (record_job){.sub_id = "b"}, h);
    }
    assert_false(same_head(&p, "b", &ar, h));
    assert_int_equal(diff_int(&p, "SELECT last_delivered_seq FROM webhook_subscriptions WHERE id = 'b'"), 2);
    same_due(&p, FAR, "a");
    same_counts(&p, 1, 0);
    same_list(&p);
    same_rows(&p);
    gql_arena_free(&ar);
    diff_close(&p);
}

/* ---- several instances (PostgreSQL only) ---- */

/* Whether store s may send sub's head row now; its head in *out. */
static bool head_of(store *s, const char *sub, gql_arena *a, store_webhook_due *out) {
    bool found = false;
    store_err err = {0};
    assert_int_equal(store_webhook_head(s, sub, a, out, &found, &err), STORE_OK);
    return found;
}

static void claims_across_instances(void **state) {
    (void)state;
    diff_pair p;
    diff_open(&p, "t_hooks_claims");
    store_err err = {0};
    store *a = p.s[DIFF_PG], *b = store_open(p.pgurl, NULL, &err);   /* two instances */
    if (!b) fail_msg("%s", err.message);
    put_both(&p, "x", STORE_STREAM_OPERATIONS, NULL, STORE_OK, false);
    put_both(&p, "y", STORE_STREAM_OPERATIONS, NULL, STORE_OK, false);
    diff_process(&p, "p1");
    char due[256];
    gql_arena ar;
    gql_arena_init(&ar, 0);
    store_webhook_due h;

    /* the first scan claims both; the other instance gets neither, and may
     * not start them on its own */
    assert_string_equal(due_of(a, FAR, due), "x y");
    assert_string_equal(due_of(b, FAR, due), "");
    assert_false(head_of(b, "x", &ar, &h));
    assert_true(head_of(a, "x", &ar, &h));
    assert_string_equal(due_of(a, FAR, due), "x y");   /* its own: renewed */

    /* x's last row delivered: its claim is given up, y's kept */
    record_job rj = {.sub_id = "x", .outbox_id = h.outbox_id, .seq = h.seq};
    assert_int_equal(store_exec_sync(a, run_record, &rj, &err), STORE_OK);
    assert_int_equal(pg_test_int(p.pgdb, "SELECT count(*) FROM webhook_subscriptions WHERE claimed_by IS NULL"
                                         " AND claim_until IS NULL AND id = 'x'"),
                     1);
    diff_process(&p, "p2");
    assert_string_equal(due_of(b, FAR, due), "x");
    assert_false(head_of(a, "x", &ar, &h));
    assert_true(head_of(b, "x", &ar, &h));
    assert_int_equal(h.seq, 2);

    /* a stops renewing (it died): once y's lease has run out, b takes it
     * over from its head row */
    assert_string_equal(due_of(b, FAR, due), "x");
    pg_test_exec(p.pgdb, "UPDATE webhook_subscriptions SET claim_until = claim_until - 31000 WHERE id = 'y'", NULL);
    assert_string_equal(due_of(b, FAR, due), "y x");   /* y's head (seq 1) is the older row */
    assert_false(head_of(a, "y", &ar, &h));
    assert_true(head_of(b, "y", &ar, &h));
    assert_int_equal(h.seq, 1);

    /* a subscription another instance is claiming at this moment (its row
     * locked) is skipped, not waited for */
    pg_test_exec(p.pgdb, "UPDATE webhook_subscriptions SET claim_until = 0", NULL);
    pg_test_exec(p.pgdb, "BEGIN", NULL);
    pg_test_exec(p.pgdb, "SELECT 1 FROM webhook_subscriptions WHERE id = 'x' FOR UPDATE", NULL);
    assert_string_equal(due_of(a, FAR, due), "y");
    pg_test_exec(p.pgdb, "COMMIT", NULL);
    assert_string_equal(due_of(a, FAR, due), "y x");
    assert_string_equal(due_of(b, FAR, due), "");
    gql_arena_free(&ar);
    store_close(b);
    diff_close(&p);
}

/* ---- several writers (PostgreSQL only) ---- */

typedef struct sync_call {
    store *s;
    store_job_fn run;
    void *arg;
    int rc;
    store_err err;
} sync_call;
static void *sync_thread(void *arg) {
    sync_call *c = arg;
    c->rc = store_exec_sync(c->s, c->run, c->arg, &c->err);
    return NULL;
}

/* Waits until a backend waits for a row lock (the statement under test
 * blocked as it must), failing after 10 s. */
static void await_lock_wait(PGconn *c) {
    for (int i = 0; i < 1000; i++) {
        if (pg_test_int(c, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                           " AND datname = current_database()") > 0)
            return;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    fail_msg("no statement waited for the stream's head");
}

/* A job that puts a subscription and then waits (its transaction open,
 * holding what put took) until told to finish. */
typedef struct held_put {
    put_job put;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    bool put_done, release;
} held_put;
static int run_held_put(store_tx *tx, void *arg, store_err *err) {
    held_put *h = arg;
    if (run_put(tx, &h->put, err)) return err->code;
    pthread_mutex_lock(&h->mu);
    h->put_done = true;
    pthread_cond_broadcast(&h->cond);
    while (!h->release) pthread_cond_wait(&h->cond, &h->mu);
    pthread_mutex_unlock(&h->mu);
    return STORE_OK;
}

static void put_while_appending(void **state) {
    (void)state;
    diff_pair p;
    diff_open(&p, "t_hooks_concurrent");
    store *s = p.s[DIFF_PG];
    diff_process(&p, "p1");

    /* 1. another instance's transaction has taken seq 2 and not committed:
     * the put waits for it and starts after it (its event was filled
     * without the subscription, so it must not count as owed) */
    pg_test_exec(p.pgdb, "BEGIN", NULL);
    pg_test_exec(p.pgdb, "UPDATE stream_heads SET head = head + 1 WHERE stream = 'operations'", NULL);
    pg_test_exec(p.pgdb, "INSERT INTO operation_events (seq, operation_id, at) VALUES (2, 'p1', 1)", NULL);
    put_job pj = {.w = {.id = "late", .stream = STORE_STREAM_OPERATIONS, .response_fragment = "fragment F on Operation { id }",
                        .url = "http://127.0.0.1:9/hook", .secret = "s"}};
    sync_call call = {.s = s, .run = run_put, .arg = &pj};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, sync_thread, &call), 0);
    PGconn *watch = pg_test_connect(p.conninfo);
    await_lock_wait(watch);
    pg_test_exec(p.pgdb, "COMMIT", NULL);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(call.rc, STORE_OK);
    assert_int_equal(pg_test_int(p.pgdb, "SELECT last_delivered_seq FROM webhook_subscriptions WHERE id = 'late'"), 2);
    assert_int_equal(pg_test_int(p.pgdb, "SELECT count(*) FROM webhook_outbox"), 0);

    /* 2. a put not committed yet: an append on another instance waits for
     * it, and its outbox fill sees the subscription */
    store_err err = {0};
    store *other = store_open(p.pgurl, NULL, &err);   /* a second instance's writer */
    if (!other) fail_msg("%s", err.message);
    held_put hp = {.put = {.w = pj.w}};
    hp.put.w.id = "early";
    pthread_mutex_init(&hp.mu, NULL);
    pthread_cond_init(&hp.cond, NULL);
    sync_call put_call = {.s = s, .run = run_held_put, .arg = &hp};
    assert_int_equal(pthread_create(&th, NULL, sync_thread, &put_call), 0);
    pthread_mutex_lock(&hp.mu);
    while (!hp.put_done) pthread_cond_wait(&hp.cond, &hp.mu);
    pthread_mutex_unlock(&hp.mu);
    store_process_in p2 = {.id = "p2", .name = "P2"};
    deploy_job dj = {.process = &p2};
    sync_call dep_call = {.s = other, .run = run_deploy, .arg = &dj};
    pthread_t th2;
    assert_int_equal(pthread_create(&th2, NULL, sync_thread, &dep_call), 0);
    await_lock_wait(watch);
    pthread_mutex_lock(&hp.mu);
    hp.release = true;
    pthread_cond_broadcast(&hp.cond);
    pthread_mutex_unlock(&hp.mu);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(pthread_join(th2, NULL), 0);
    assert_int_equal(put_call.rc, STORE_OK);
    assert_int_equal(dep_call.rc, STORE_OK);
    assert_int_equal(pg_test_int(p.pgdb, "SELECT last_delivered_seq FROM webhook_subscriptions WHERE id = 'early'"), 2);
    /* p2's event (seq 3) is owed to both subscriptions, once each */
    assert_int_equal(pg_test_int(p.pgdb, "SELECT count(*) FROM webhook_outbox WHERE seq = 3"), 2);
    assert_int_equal(pg_test_int(p.pgdb, "SELECT count(*) FROM webhook_outbox"), 2);
    pthread_cond_destroy(&hp.cond);
    pthread_mutex_destroy(&hp.mu);
    PQfinish(watch);
    store_close(other);
    diff_close(&p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(subscriptions),
        cmocka_unit_test(appended_events),
        cmocka_unit_test(delivery),
        cmocka_unit_test(claims_across_instances),
        cmocka_unit_test(put_while_appending),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
