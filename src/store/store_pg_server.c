/*
 * store_pg_server.c: the PostgreSQL store as the server uses it (a store
 * opened with a loop): writes through the writer thread, the loop's
 * connection that LISTENs, the stream heads every instance's commits move,
 * and the tokens kept in memory.
 *
 * Live events on every instance (docs/postgres.md): each commit, on
 * any instance, sends NOTIFY mesd_commit. A notification is only a wake-up:
 * this instance then reads stream_heads and tells the listener (the event
 * bus) of every head that moved; the bus reads the log from its own last
 * seq. The payload is never trusted. When the connection comes back after a
 * loss, the heads are read again, so what committed meanwhile is found.
 * This instance's own commits tell the listener sooner: the writer reads
 * the heads inside the transaction (pg_writer_on_heads).
 *
 * Tokens: store_token_verify runs before every request, outside any read
 * session, so it must answer at once: the tokens are read into memory at
 * start and again on NOTIFY mesd_tokens (sent by every token write, on any
 * instance or from `mesd token`) and after a reconnect.
 *
 * Must never: block the loop once it serves (only pgs_server_start reads
 * with the blocking connection), tell the listener a head lower than one it
 * was told, or keep a revoked token once its notification arrived.
 */
#include <stdlib.h>
#include <string.h>
#include "pg_conn.h"
#include "pg_events.h"
#include "pg_util.h"
#include "store_pg.h"

#define TOKENS_SQL "SELECT id, role, name, station_id, created_at, revoked_at, secret_hash FROM tokens"
#define TOKENS_CHANNEL "mesd_tokens"

/* ---- heads ------------------------------------------------------------------- */

/* Raises the known heads to `head` where higher; tells the listener if any
 * moved, or anyway after a reconnect (what failed to read while the
 * database was away is read again). */
static void heads_seen(store *s, const int64_t head[STORE_STREAM_COUNT]) {
    store_pg *p = s->pg;
    bool moved = p->heads_force;
    p->heads_force = false;
    for (int k = 0; k < STORE_STREAM_COUNT; k++)
        if (head[k] > p->heads[k]) {
            p->heads[k] = head[k];
            moved = true;
        }
    if (moved && s->listener) s->listener(s->listener_ctx, p->heads);
}

static void heads_read(store *s);

static void on_heads_reply(void *arg, const pg_reply *rep) {
    store *s = arg;
    store_pg *p = s->pg;
    p->heads_reading = false;
    if (!rep->error) {
        int64_t head[STORE_STREAM_COUNT];
        pg_heads_parse(rep->res, head);
        heads_seen(s, head);
    }
    /* a failure needs no retry here: the connection's "up" reads them again */
    if (p->heads_again && !rep->unavailable) {
        p->heads_again = false;
        heads_read(s);
    }
}

static void heads_read(store *s) {
    store_pg *p = s->pg;
    if (p->heads_reading) {
        p->heads_again = true;   /* one more read after this one: a commit may have come after it was sent */
        return;
    }
    if (pg_conn_exec(p->rc, PG_HEADS_SQL, 0, NULL, on_heads_reply, s) == PG_CONN_OK) p->heads_reading = true;
}

static void on_writer_heads(void *ctx, const int64_t head[STORE_STREAM_COUNT]) { heads_seen(ctx, head); }

/* Writer thread, after each commit: before anything of it is handed back,
 * so the answer cache on the loop never keeps what this commit outdated. */
static void on_writer_commit(void *ctx, size_t jobs) {
    store *s = ctx;
    atomic_fetch_add(&s->m_commits, 1);
    store_count_batch(s, jobs);
}

/* ---- tokens ------------------------------------------------------------------ */

static void tokens_free(pgs_token *v, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free((char *)v[i].t.id);
        free((char *)v[i].t.role);
        free((char *)v[i].t.name);
        free((char *)v[i].t.station_id);
    }
    free(v);
}

static char *dup_or_null(const PGresult *r, int row, int col) {
    if (PQgetisnull(r, row, col)) return NULL;
    char *d = strdup(PQgetvalue(r, row, col));
    if (!d) abort();
    return d;
}

/* Replaces the tokens in memory with the rows of r (TOKENS_SQL's). */
static void tokens_take(store_pg *p, const PGresult *r) {
    size_t n = (size_t)PQntuples(r);
    pgs_token *v = calloc(n ? n : 1, sizeof *v);
    if (!v) abort();
    for (size_t i = 0; i < n; i++) {
        int row = (int)i;
        v[i].t.id = dup_or_null(r, row, 0);
        v[i].t.role = dup_or_null(r, row, 1);
        v[i].t.name = dup_or_null(r, row, 2);
        v[i].t.station_id = dup_or_null(r, row, 3);
        v[i].t.created_at = pg_i64(r, row, 4);
        v[i].t.revoked_at = pg_i64(r, row, 5);
        size_t len = 0;
        unsigned char *h = PQunescapeBytea((const unsigned char *)PQgetvalue(r, row, 6), &len);
        if (h && len == STORE_TOKEN_HASH_LEN) memcpy(v[i].hash, h, len);
        else v[i].t.revoked_at = v[i].t.revoked_at ? v[i].t.revoked_at : 1;   /* unreadable: never matches */
        PQfreemem(h);
    }
    tokens_free(p->tokens, p->ntokens);
    p->tokens = v;
    p->ntokens = n;
}

static void tokens_read(store *s);

static void on_tokens_reply(void *arg, const pg_reply *rep) {
    store *s = arg;
    store_pg *p = s->pg;
    p->tokens_reading = false;
    if (!rep->error) tokens_take(p, rep->res);
    if (p->tokens_again && !rep->unavailable) {
        p->tokens_again = false;
        tokens_read(s);
    }
}

static void tokens_read(store *s) {
    store_pg *p = s->pg;
    if (p->tokens_reading) {
        p->tokens_again = true;
        return;
    }
    if (pg_conn_exec(p->rc, TOKENS_SQL, 0, NULL, on_tokens_reply, s) == PG_CONN_OK) p->tokens_reading = true;
}

bool pgs_server_token_verify(store *s, const char *token, gql_arena *a, store_token *out) {
    char id[STORE_TOKEN_ID_LEN + 1];
    unsigned char hash[STORE_TOKEN_HASH_LEN];
    if (!store_token_parse(token, id, hash)) return false;
    store_pg *p = s->pg;
    for (size_t i = 0; i < p->ntokens; i++) {
        const pgs_token *t = &p->tokens[i];
        if (!t->t.id || strcmp(t->t.id, id) != 0) continue;
        if (t->t.revoked_at || !store_token_hash_matches(hash, t->hash, sizeof t->hash)) return false;
        if (out) {
            *out = t->t;
            out->id = gql_arena_strdup(a, t->t.id);
            out->role = t->t.role ? gql_arena_strdup(a, t->t.role) : NULL;
            out->name = t->t.name ? gql_arena_strdup(a, t->t.name) : NULL;
            out->station_id = t->t.station_id ? gql_arena_strdup(a, t->t.station_id) : NULL;
        }
        return true;
    }
    return false;
}

/* ---- the loop's connection ---------------------------------------------------- */

static void on_notify(void *ctx, const char *channel, const char *payload) {
    (void)payload;   /* a wake-up only */
    store *s = ctx;
    if (strcmp(channel, TOKENS_CHANNEL) == 0) {
        tokens_read(s);
        return;
    }
    atomic_fetch_add(&s->m_commits, 1);   /* another instance's commit: cached answers may be stale */
    heads_read(s);
}

static void on_state(void *ctx, bool up, const char *why) {
    (void)why;
    store *s = ctx;
    s->pg->rc_down = !up;
    if (!up) return;   /* reads fail meanwhile with "database unavailable" */
    s->pg->heads_force = true;
    /* whatever committed while the connection was down: read it now */
    atomic_fetch_add(&s->m_commits, 1);
    tokens_read(s);
    heads_read(s);
}

int pgs_server_start(store *s, uv_loop_t *loop, store_err *err) {
    store_pg *p = s->pg;
    p->server_loop = loop;
    PGresult *r = pg_exec(p->db, TOKENS_SQL, 0, NULL, err);
    if (!r) return err->code;
    tokens_take(p, r);
    PQclear(r);
    if (!(r = pg_exec(p->db, PG_HEADS_SQL, 0, NULL, err))) return err->code;
    pg_heads_parse(r, p->heads);
    PQclear(r);
    if (!(p->w = pg_writer_start(loop, p->conninfo, err))) return err->code;
    pg_writer_on_heads(p->w, on_writer_heads, s);
    pg_writer_on_commit(p->w, on_writer_commit, s);
    p->rc = pg_conn_open(loop, p->conninfo, on_state, s);
    pg_conn_listen(p->rc, PG_NOTIFY_CHANNEL, on_notify, s);
    pg_conn_listen(p->rc, TOKENS_CHANNEL, on_notify, s);
    return STORE_OK;
}

void pgs_server_stop(store *s) {
    store_pg *p = s->pg;
    if (p->w) pg_writer_stop(p->w);   /* delivers every callback */
    p->w = NULL;
    if (p->rc) pg_conn_close(p->rc);
    p->rc = NULL;
    for (size_t b = 0; b < PGS_NAME_BUCKETS; b++)
        for (pgs_name *e = p->names[b], *n; e; e = n) {
            n = e->next;
            free(e->sql);
            free(e);
        }
    memset(p->names, 0, sizeof p->names);
    tokens_free(p->tokens, p->ntokens);
    p->tokens = NULL;
    p->ntokens = 0;
}

/* ---- writes ------------------------------------------------------------------- */

typedef struct server_job {
    store *s;
    store_job_fn run;
    store_done_fn done;
    void *arg;
} server_job;

/* Writer thread: the job sees a store_tx over the writer's transaction. */
static int run_server_job(pg_tx *ptx, void *arg, store_err *err) {
    server_job *j = arg;
    store_tx tx = {.s = j->s, .pg = ptx, .now = pg_tx_now(ptx)};
    return j->run(&tx, j->arg, err);
}

static void server_job_done(void *arg, const store_err *err) {
    server_job *j = arg;
    store_err e = *err;
    if (e.code == STORE_EIO && strncmp(e.message, "database unavailable", 20) == 0) e.code = STORE_EUNAVAILABLE;
    atomic_fetch_sub(&j->s->m_depth, 1);
    if (e.code) atomic_fetch_add(&j->s->m_job_errors, 1);
    atomic_fetch_add(&j->s->m_jobs, 1);
    store_done_fn done = j->done;
    void *a = j->arg;
    free(j);
    done(a, &e);
}

int pgs_submit(store *s, store_job_fn run, store_done_fn done, void *arg) {
    store_pg *p = s->pg;
    if (!p->server_loop) return STORE_EIO;   /* the command line: store_exec_sync only */
    if (!p->w) return STORE_ECLOSED;
    server_job *j = malloc(sizeof *j);
    if (!j) abort();
    *j = (server_job){s, run, done, arg};
    int rc = pg_writer_submit(p->w, run_server_job, server_job_done, j);
    if (rc != STORE_OK) free(j);
    else atomic_fetch_add(&s->m_depth, 1);
    return rc;
}

/* ---- heads for the bus and /readyz -------------------------------------------- */

int pgs_stream_heads(store *s, int64_t head[STORE_STREAM_COUNT], store_err *err) {
    store_pg *p = s->pg;
    if (p->rc) {
        /* the server: what the notifications told; no read on the loop */
        if (p->rc_down)
            return store_set_err(err, STORE_EUNAVAILABLE, "%s",
                                 *pg_conn_error(p->rc) ? pg_conn_error(p->rc) : "database unavailable: connecting");
        memcpy(head, p->heads, sizeof p->heads);
        return STORE_OK;
    }
    PGresult *r = pg_exec(p->db, PG_HEADS_SQL, 0, NULL, err);
    if (!r) return err->code;
    pg_heads_parse(r, head);
    PQclear(r);
    return STORE_OK;
}

/* ---- savepoints and events inside a job ----------------------------------------- */

int pgs_tx_savepoint(store_tx *tx, store_savepoint *sp, store_err *err) {
    if (sp) *sp = (store_savepoint){0};   /* the writer reads the heads at commit: nothing to keep */
    return pg_tx_savepoint(tx->pg, err);
}

int pgs_tx_release(store_tx *tx, store_err *err) { return pg_tx_release(tx->pg, err); }

int pgs_tx_rollback(store_tx *tx, const store_savepoint *sp, store_err *err) {
    (void)sp;
    return pg_tx_rollback(tx->pg, err);
}

int pgs_tx_append_event(store_tx *tx, store_stream stream, const char *ref, const char *payload_json,
                        int64_t *seq_out, store_err *err) {
    return pg_tx_append_event(tx->pg, stream, ref, payload_json, seq_out, err);
}
