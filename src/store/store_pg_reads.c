/*
 * store_pg_reads.c: how the PostgreSQL backend's read functions get their
 * rows (pgs_read, store_pg.h), and the PostgreSQL part of a read session
 * (store.h "read passes").
 *
 * In a session a read is named by a key, a hash of its SQL and parameters.
 * A pass that reads a key the session has no result for records the
 * statement as wanted and answers STORE_PENDING. store_reads_fetch sends
 * every wanted statement at once on the loop's connection (pipelined; each
 * SQL text prepared once per connection and reused, up to a bound: filter
 * SQL makes the key space open), keeps each result (or its error) under its
 * key, and calls done once all are in. The next pass finds them. Results
 * live as long as the session.
 *
 * Outside a session (the command line, start-up before the loop serves)
 * the statement runs at once on the blocking connection.
 *
 * Must never: block the loop inside a session, answer a read from another
 * statement's result (keys are checked against the SQL and parameters), call
 * done inside store_reads_fetch, or touch a session after its done.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pg_conn.h"
#include "pg_util.h"
#include "store_pg.h"

#define NAMES_MAX 4096   /* SQL texts prepared on the loop's connection */

typedef struct pg_stmt_req {
    uint64_t key;
    char *sql;
    int n;
    char **params;
    PGresult *res;       /* fetched: the result, or NULL with err */
    store_err err;
    uint64_t round;      /* the fetch it was sent in */
    bool fetched, sent;
} pg_stmt_req;

struct pgs_session {
    pg_stmt_req *reqs;   /* wanted and fetched, in the order first wanted */
    size_t n, cap;
    size_t *slots;       /* open addressing: index + 1 into reqs, 0 empty */
    size_t nslots;
    size_t wanted;       /* reqs not sent yet */
    size_t misses;       /* reads answered "pending" (store_reads_misses) */
    uint64_t round;      /* fetches sent so far */
    uint64_t floor;      /* results of earlier rounds count as not there */
    uint64_t last_round; /* the round of the last result answered */
    /* the fetch in flight */
    size_t outstanding;
    store_done_fn done;
    void *arg;
    store_reads *r;
    uv_timer_t *later;   /* done on a later turn when nothing could be sent */
};

/* ---- keys ------------------------------------------------------------------ */

static uint64_t fnv(uint64_t h, const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

static uint64_t key_of(const char *sql, int n, const char *const *params) {
    uint64_t h = fnv(1469598103934665603ull, sql, strlen(sql) + 1);
    for (int i = 0; i < n; i++) h = params[i] ? fnv(h, params[i], strlen(params[i]) + 1) : fnv(h, "\x01", 1);
    return h ? h : 1;
}

static bool same(const pg_stmt_req *q, const char *sql, int n, const char *const *params) {
    if (q->n != n || strcmp(q->sql, sql) != 0) return false;
    for (int i = 0; i < n; i++) {
        if (!q->params[i] != !params[i]) return false;
        if (params[i] && strcmp(q->params[i], params[i]) != 0) return false;
    }
    return true;
}

static pg_stmt_req *find(struct pgs_session *p, uint64_t key, const char *sql, int n, const char *const *params) {
    if (!p || !p->nslots) return NULL;
    for (size_t i = key & (p->nslots - 1); p->slots[i]; i = (i + 1) & (p->nslots - 1)) {
        pg_stmt_req *q = &p->reqs[p->slots[i] - 1];
        if (q->key == key && same(q, sql, n, params)) return q;
    }
    return NULL;
}

static void index_add(struct pgs_session *p, size_t idx) {
    if ((p->n + 1) * 2 > p->nslots) {
        size_t ns = p->nslots ? p->nslots * 2 : 64;
        size_t *t = calloc(ns, sizeof *t);
        if (!t) abort();
        for (size_t i = 0; i < p->nslots; i++)
            if (p->slots[i]) {
                size_t j = p->reqs[p->slots[i] - 1].key & (ns - 1);
                while (t[j]) j = (j + 1) & (ns - 1);
                t[j] = p->slots[i];
            }
        free(p->slots);
        p->slots = t;
        p->nslots = ns;
    }
    size_t j = p->reqs[idx].key & (p->nslots - 1);
    while (p->slots[j]) j = (j + 1) & (p->nslots - 1);
    p->slots[j] = idx + 1;
}

static char *dup(const char *s) {
    if (!s) return NULL;
    char *d = strdup(s);
    if (!d) abort();
    return d;
}

static void want(store_reads *r, uint64_t key, const char *sql, int n, const char *const *params) {
    if (!r->pg && !(r->pg = calloc(1, sizeof *r->pg))) abort();
    struct pgs_session *p = r->pg;
    if (find(p, key, sql, n, params)) return;   /* wanted already (this pass or one not fetched yet) */
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 16;
        /* reqs move: the index holds positions, not pointers */
        p->reqs = realloc(p->reqs, p->cap * sizeof *p->reqs);
        if (!p->reqs) abort();
    }
    pg_stmt_req *q = &p->reqs[p->n];
    *q = (pg_stmt_req){.key = key, .sql = dup(sql), .n = n};
    if (n && !(q->params = calloc((size_t)n, sizeof *q->params))) abort();
    for (int i = 0; i < n; i++) q->params[i] = dup(params[i]);
    index_add(p, p->n);
    p->n++;
    p->wanted++;
}

/* ---- the session's part ------------------------------------------------------ */

void pgs_session_free(struct pgs_session *p) {
    if (!p) return;
    for (size_t i = 0; i < p->n; i++) {
        pg_stmt_req *q = &p->reqs[i];
        for (int k = 0; k < q->n; k++) free(q->params[k]);
        free(q->params);
        free(q->sql);
        PQclear(q->res);
    }
    free(p->reqs);
    free(p->slots);
    free(p);
}

bool pgs_session_pending(const struct pgs_session *p) { return p && p->wanted > 0; }
size_t pgs_session_misses(const struct pgs_session *p) { return p ? p->misses : 0; }
uint64_t pgs_session_round(const struct pgs_session *p) { return p ? p->last_round : 0; }
void pgs_session_set_floor(struct pgs_session *p, uint64_t round) {
    if (p) p->floor = round;
}

static void finish(struct pgs_session *p) {
    store_reads *r = p->r;
    store_done_fn done = p->done;
    void *arg = p->arg;
    p->done = NULL;
    r->fetching = false;
    store_err ok = {0};
    done(arg, &ok);   /* last: it may free the session */
}

static void later_closed(uv_handle_t *h) { free(h); }

static void on_later(uv_timer_t *t) {
    struct pgs_session *p = t->data;
    p->later = NULL;
    uv_close((uv_handle_t *)t, later_closed);
    finish(p);
}

typedef struct reply_ctx {
    struct pgs_session *p;
    size_t idx;
} reply_ctx;

static void got(struct pgs_session *p, size_t idx, const pg_reply *rep) {
    pg_stmt_req *q = &p->reqs[idx];
    q->fetched = true;
    if (!rep->error) q->res = pg_reply_take(rep);
    else store_set_err(&q->err, rep->unavailable ? STORE_EUNAVAILABLE : STORE_EIO, "%s", rep->error);
}

static void on_reply(void *arg, const pg_reply *rep) {
    reply_ctx *c = arg;
    struct pgs_session *p = c->p;
    got(p, c->idx, rep);
    free(c);
    if (--p->outstanding == 0) finish(p);
}

/* The name sql is prepared under on the loop's connection, registering it
 * the first time; NULL past the bound (the statement then goes unprepared). */
static const char *stmt_name(store_pg *pg, const char *sql) {
    uint64_t h = fnv(1469598103934665603ull, sql, strlen(sql));
    for (pgs_name *e = pg->names[h & (PGS_NAME_BUCKETS - 1)]; e; e = e->next)
        if (strcmp(e->sql, sql) == 0) return e->name;
    if (pg->nnames >= NAMES_MAX) return NULL;
    pgs_name *e = calloc(1, sizeof *e);
    if (!e) abort();
    e->sql = dup(sql);
    snprintf(e->name, sizeof e->name, "r%zu", pg->nnames++);
    if (pg_conn_prepare(pg->rc, e->name, sql) != PG_CONN_OK) {
        free(e->sql);
        free(e);
        return NULL;
    }
    e->next = pg->names[h & (PGS_NAME_BUCKETS - 1)];
    pg->names[h & (PGS_NAME_BUCKETS - 1)] = e;
    return e->name;
}

int pgs_session_fetch(store *s, store_reads *r, store_done_fn done, void *arg) {
    if (!r->pg && !(r->pg = calloc(1, sizeof *r->pg))) abort();
    struct pgs_session *p = r->pg;
    p->r = r;
    p->done = done;
    p->arg = arg;
    r->fetching = true;
    store_pg *pg = s->pg;
    p->round++;
    p->outstanding = 1;   /* held while sending: a reply cannot finish the fetch early */
    for (size_t i = 0; i < p->n; i++) {
        pg_stmt_req *q = &p->reqs[i];
        if (q->sent) continue;
        q->sent = true;
        q->round = p->round;
        reply_ctx *c = malloc(sizeof *c);
        if (!c) abort();
        *c = (reply_ctx){p, i};
        const char *const *params = (const char *const *)q->params;
        const char *name = pg->rc ? stmt_name(pg, q->sql) : NULL;
        int rc = !pg->rc ? PG_CONN_EDOWN
                 : name  ? pg_conn_query(pg->rc, name, q->n, params, on_reply, c)
                         : pg_conn_exec(pg->rc, q->sql, q->n, params, on_reply, c);
        if (rc == PG_CONN_OK) {
            p->outstanding++;
            continue;
        }
        free(c);
        q->fetched = true;
        if (rc == PG_CONN_EDOWN)
            store_set_err(&q->err, STORE_EUNAVAILABLE, "%s",
                          pg->rc && *pg_conn_error(pg->rc) ? pg_conn_error(pg->rc) : "database unavailable");
        else
            store_set_err(&q->err, STORE_EIO, "database: the statement could not be sent");
    }
    p->wanted = 0;
    if (--p->outstanding > 0) return STORE_OK;
    /* nothing went out: done on a later turn all the same */
    uv_timer_t *t = malloc(sizeof *t);
    if (!t) abort();
    uv_timer_init(pg->server_loop, t);
    t->data = p;
    p->later = t;
    uv_timer_start(t, on_later, 0, 0);
    return STORE_OK;
}

/* ---- pgs_read ------------------------------------------------------------------ */

int pgs_read(store *s, const char *sql, int nparams, const char *const *params, const PGresult **out,
             store_err *err) {
    store_reads *r = s->session;
    if (!r) {
        /* the blocking connection (the command line; start-up; the one read
           docs/postgres.md lists under known limits): lost, it is opened
           again for the next call */
        PGconn *db = s->pg->db;
        if (PQstatus(db) != CONNECTION_OK) PQreset(db);
        PGresult *res = pg_exec(db, sql, nparams, params, err);
        if (!res) {
            if (PQstatus(db) != CONNECTION_OK) err->code = STORE_EUNAVAILABLE;
            return err->code;
        }
        *out = res;
        return STORE_OK;
    }
    uint64_t key = key_of(sql, nparams, params);
    struct pgs_session *p = r->pg;
    pg_stmt_req *q = find(p, key, sql, nparams, params);
    /* an error is an answer only right after the fetch that got it: a later
       pass (the database may be back) reads it again */
    if (q && q->fetched && q->round >= p->floor && (q->res || q->round == p->round)) {
        p->last_round = q->round;
        if (!q->res) {
            *err = q->err;
            return err->code;
        }
        *out = q->res;
        return STORE_OK;
    }
    if (q && q->fetched) {   /* too old: wanted again, in the next fetch */
        PQclear(q->res);
        q->res = NULL;
        q->err = (store_err){0};
        q->fetched = q->sent = false;
        p->wanted++;
    }
    want(r, key, sql, nparams, params);
    r->pg->misses++;
    return store_set_err(err, STORE_PENDING, "the read is pending");
}

void pgs_read_release(store *s, const PGresult *r) {
    if (!s->session) PQclear((PGresult *)r);   /* a session's results live with it */
}
