/*
 * pg_conn.c: one PostgreSQL connection on the loop (contract in pg_conn.h).
 *
 * States: CONNECTING (PQconnectPoll steps; queries wait in `pending`), UP
 * (queries are sent at once and wait in `inflight`, in the order libpq will
 * answer them), BROKEN (a send failed: the loss is handled on the next loop
 * turn, never inside the caller's pg_conn_query), DOWN (waiting for the
 * backoff timer; queries are refused), CLOSED.
 *
 * Must never: call PQgetResult while PQisBusy (it would block), call a
 * callback from inside pg_conn_query/exec, or touch libpq after a callback
 * closed the connection.
 */
#include "pg_conn.h"
#include "pg_util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BACKOFF_FIRST_MS 100
#define BACKOFF_MAX_MS 5000
#define MAX_PARAMS 1000

typedef enum { ST_CONNECTING, ST_UP, ST_BROKEN, ST_DOWN, ST_CLOSED } conn_state;
typedef enum { IT_PREPARE, IT_LISTEN, IT_QUERY, IT_EXEC } item_kind;

typedef struct pg_stmt {
    struct pg_stmt *next;
    char *name, *sql;
} pg_stmt;

typedef struct pg_listen {
    struct pg_listen *next;
    char *channel;
    pg_notify_fn fn;
    void *ctx;
} pg_listen;

typedef struct pg_item {
    struct pg_item *next;
    item_kind kind;
    const pg_stmt *stmt;       /* PREPARE, QUERY */
    const pg_listen *listen;   /* LISTEN */
    char *sql;                 /* EXEC (owned) */
    int nparams;
    char **params;             /* owned copies */
    pg_reply_fn fn;
    void *arg;
    PGresult *res;             /* the statement's result, once in */
    bool ended;                /* PQgetResult gave its NULL: only the Sync is left */
    bool setup;                /* part of a (re)connection's set-up */
} pg_item;

typedef struct item_list { pg_item *head, *tail; } item_list;

struct pg_conn {
    uv_loop_t *loop;
    char *conninfo;
    pg_state_fn on_state;
    void *ctx;
    conn_state state;
    PGconn *pg;
    uv_poll_t *poll;           /* malloc'd: replaced when libpq's socket changes */
    int poll_events;
    uv_timer_t timer;          /* backoff, and the deferred handling of a broken send */
    int handles;               /* open libuv handles; the struct goes when 0 after close */
    unsigned backoff_ms;
    int announced;             /* 0 nothing yet, 1 up, -1 down */
    int setup_left;            /* set-up items of this connection still unanswered */
    pg_stmt *stmts;
    pg_listen *listens;
    item_list pending, inflight;
    char error[512];
};

static void on_poll(uv_poll_t *p, int status, int events);
static void on_timer(uv_timer_t *t);

/* ---- small helpers ---- */

static char *dup_or_die(const char *s) {
    char *d = strdup(s);
    if (!d) abort();
    return d;
}

static void list_push(item_list *l, pg_item *it) {
    it->next = NULL;
    if (l->tail) l->tail->next = it;
    else l->head = it;
    l->tail = it;
}

static pg_item *list_pop(item_list *l) {
    pg_item *it = l->head;
    if (it) {
        l->head = it->next;
        if (!l->head) l->tail = NULL;
    }
    return it;
}

static void item_free(pg_item *it) {
    for (int i = 0; i < it->nparams; i++) free(it->params[i]);
    free(it->params);
    free(it->sql);
    PQclear(it->res);
    free(it);
}

static void set_error(pg_conn *c, const char *why) {
    pg_one_line(c->error, sizeof c->error, "database unavailable", why && *why ? why : "connection lost");
}

static void maybe_free(pg_conn *c) {
    if (c->state != ST_CLOSED || c->handles > 0) return;
    for (pg_stmt *s = c->stmts, *n; s; s = n) {
        n = s->next;
        free(s->name);
        free(s->sql);
        free(s);
    }
    for (pg_listen *l = c->listens, *n; l; l = n) {
        n = l->next;
        free(l->channel);
        free(l);
    }
    free(c->conninfo);
    free(c);
}

static void on_handle_closed(uv_handle_t *h) {
    pg_conn *c = h->data;
    if ((void *)h != (void *)&c->timer) free(h);
    c->handles--;
    maybe_free(c);
}

static void drop_poll(pg_conn *c) {
    if (!c->poll) return;
    uv_close((uv_handle_t *)c->poll, on_handle_closed);
    c->poll = NULL;
}

/* Watches libpq's current socket. During connection set-up libpq may open a
 * new socket under the same number, so the handle is made anew (fresh). */
static void watch(pg_conn *c, int events, bool fresh) {
    if (fresh) drop_poll(c);
    if (!c->poll) {
        c->poll = malloc(sizeof *c->poll);
        if (!c->poll) abort();
        if (uv_poll_init_socket(c->loop, c->poll, PQsocket(c->pg)) != 0) abort();
        c->poll->data = c;
        c->handles++;
        c->poll_events = 0;
    }
    if (events != c->poll_events) {
        uv_poll_start(c->poll, events, on_poll);
        c->poll_events = events;
    }
}

/* ---- completing items ---- */

static void reply(pg_item *it, const char *error, bool unavailable) {
    if (!it->fn) return;
    pg_reply r = {.res = it->res, .error = error, .unavailable = unavailable, .item = it};
    it->fn(it->arg, &r);
}

PGresult *pg_reply_take(const pg_reply *r) {
    pg_item *it = r->item;
    PGresult *res = it->res;
    it->res = NULL;
    return res;
}

/* Fails every item of both lists (detached first: a callback may queue more,
 * which is refused, or close the connection). */
static void fail_all(pg_conn *c, const char *error) {
    item_list lists[2] = {c->inflight, c->pending};
    c->inflight = (item_list){0};
    c->pending = (item_list){0};
    for (int i = 0; i < 2; i++)
        for (pg_item *it; (it = list_pop(&lists[i]));) {
            reply(it, error, true);
            item_free(it);
        }
}

static void announce(pg_conn *c, bool up) {
    int want = up ? 1 : -1;
    if (c->announced == want) return;
    c->announced = want;
    if (c->on_state) c->on_state(c->ctx, up, up ? NULL : c->error);
}

/* why NULL: c->error already says it. */
static void go_down(pg_conn *c, const char *why) {
    if (why) set_error(c, why);
    drop_poll(c);   /* before PQfinish closes the socket it watches */
    if (c->pg) PQfinish(c->pg);
    c->pg = NULL;
    c->state = ST_DOWN;
    fail_all(c, c->error);
    if (c->state != ST_DOWN) return;   /* a callback closed it */
    announce(c, false);
    if (c->state != ST_DOWN) return;
    uv_timer_start(&c->timer, on_timer, c->backoff_ms, 0);
    c->backoff_ms = c->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : c->backoff_ms * 2;
}

static void complete(pg_conn *c, pg_item *it) {
    const char *error = NULL;
    ExecStatusType st = it->res ? PQresultStatus(it->res) : PGRES_FATAL_ERROR;
    char msg[512];
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        pg_result_message(msg, sizeof msg, it->res);
        error = msg;
    }
    if (it->setup) c->setup_left--;
    reply(it, error, false);
    item_free(it);
    if (c->state == ST_UP && c->setup_left == 0) announce(c, true);
}

/* ---- sending ---- */

static void flush(pg_conn *c) {
    int f = PQflush(c->pg);
    if (f < 0) {
        set_error(c, PQerrorMessage(c->pg));
        c->state = ST_BROKEN;
        uv_timer_start(&c->timer, on_timer, 0, 0);
        return;
    }
    watch(c, UV_READABLE | (f ? UV_WRITABLE : 0), false);
}

/* Sends one item and its Sync; the item joins `inflight` whatever happens,
 * so a failed send is answered by the loss handling like the others. */
static void send_item(pg_conn *c, pg_item *it) {
    list_push(&c->inflight, it);
    if (c->state != ST_UP) return;
    int ok = 0;
    const char *const *params = (const char *const *)it->params;
    switch (it->kind) {
    case IT_PREPARE: ok = PQsendPrepare(c->pg, it->stmt->name, it->stmt->sql, 0, NULL); break;
    case IT_QUERY: ok = PQsendQueryPrepared(c->pg, it->stmt->name, it->nparams, params, NULL, NULL, 0); break;
    case IT_EXEC: ok = PQsendQueryParams(c->pg, it->sql, it->nparams, NULL, params, NULL, NULL, 0); break;
    case IT_LISTEN: {
        char sql[128];
        snprintf(sql, sizeof sql, "LISTEN %s", it->listen->channel);   /* checked: [a-z0-9_]+ */
        ok = PQsendQueryParams(c->pg, sql, 0, NULL, NULL, NULL, NULL, 0);
        break;
    }
    }
    if (ok) ok = PQpipelineSync(c->pg);
    if (!ok) {
        set_error(c, PQerrorMessage(c->pg));
        c->state = ST_BROKEN;
        uv_timer_start(&c->timer, on_timer, 0, 0);
        return;
    }
    flush(c);
}

static pg_item *new_item(item_kind kind, int nparams, const char *const *params, pg_reply_fn fn, void *arg) {
    pg_item *it = calloc(1, sizeof *it);
    if (!it) abort();
    it->kind = kind;
    it->fn = fn;
    it->arg = arg;
    if (nparams > 0) {
        it->params = calloc((size_t)nparams, sizeof *it->params);
        if (!it->params) abort();
        for (int i = 0; i < nparams; i++) it->params[i] = params[i] ? dup_or_die(params[i]) : NULL;
        it->nparams = nparams;
    }
    return it;
}

/* A PREPARE of s or a LISTEN of l, the connection's own (no callback);
 * setup: part of a (re)connection, which is up once these are answered. */
static void send_internal(pg_conn *c, const pg_stmt *s, const pg_listen *l, bool setup) {
    pg_item *it = new_item(s ? IT_PREPARE : IT_LISTEN, 0, NULL, NULL, NULL);
    it->stmt = s;
    it->listen = l;
    it->setup = setup;
    c->setup_left += setup;
    send_item(c, it);
}

/* Sends when up, queues while connecting. */
static void submit(pg_conn *c, pg_item *it) {
    if (c->state == ST_UP) send_item(c, it);
    else list_push(&c->pending, it);
}

/* ---- receiving ---- */

static void deliver_notifies(pg_conn *c) {
    for (PGnotify *n; c->state == ST_UP && (n = PQnotifies(c->pg));) {
        for (pg_listen *l = c->listens; l; l = l->next)
            if (strcmp(l->channel, n->relname) == 0) {
                l->fn(l->ctx, n->relname, n->extra);
                break;
            }
        PQfreemem(n);
    }
}

/* Takes every result libpq can give without blocking; each item's results
 * end with a NULL, then its Sync's PGRES_PIPELINE_SYNC. */
static void read_results(pg_conn *c) {
    while (c->state == ST_UP && c->inflight.head && PQstatus(c->pg) == CONNECTION_OK && !PQisBusy(c->pg)) {
        pg_item *it = c->inflight.head;
        PGresult *r = PQgetResult(c->pg);
        if (!r) {
            if (it->ended) break;   /* nothing more until more input arrives */
            it->ended = true;
            continue;
        }
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            list_pop(&c->inflight);
            complete(c, it);
            continue;
        }
        it->ended = false;
        if (it->res) PQclear(r);   /* one statement, one result: keep the first */
        else it->res = r;
    }
}

static void on_poll_up(pg_conn *c, int status, int events) {
    if (status < 0) {
        go_down(c, uv_strerror(status));
        return;
    }
    if (events & UV_WRITABLE) {
        flush(c);
        if (c->state != ST_UP) return;
    }
    if ((events & UV_READABLE) && !PQconsumeInput(c->pg)) {
        go_down(c, PQerrorMessage(c->pg));
        return;
    }
    read_results(c);
    if (c->state != ST_UP) return;
    deliver_notifies(c);
    if (c->state != ST_UP) return;
    if (PQstatus(c->pg) != CONNECTION_OK) go_down(c, PQerrorMessage(c->pg));
}

/* ---- connecting ---- */

static void connected(pg_conn *c) {
    if (PQsetnonblocking(c->pg, 1) != 0 || !PQenterPipelineMode(c->pg)) {
        go_down(c, PQerrorMessage(c->pg));
        return;
    }
    c->state = ST_UP;
    c->backoff_ms = BACKOFF_FIRST_MS;
    c->error[0] = 0;
    watch(c, UV_READABLE, true);
    /* set-up first: the queries waiting behind it may use the statements */
    item_list waiting = c->pending;
    c->pending = (item_list){0};
    c->setup_left = 0;
    for (pg_stmt *s = c->stmts; s && c->state == ST_UP; s = s->next) send_internal(c, s, NULL, true);
    for (pg_listen *l = c->listens; l && c->state == ST_UP; l = l->next) send_internal(c, NULL, l, true);
    for (pg_item *it; (it = list_pop(&waiting));) send_item(c, it);
    if (c->state == ST_UP && c->setup_left == 0) announce(c, true);
}

static void connect_step(pg_conn *c) {
    switch (PQconnectPoll(c->pg)) {
    case PGRES_POLLING_READING: watch(c, UV_READABLE, true); break;
    case PGRES_POLLING_WRITING: watch(c, UV_WRITABLE, true); break;
    case PGRES_POLLING_OK: connected(c); break;
    default: go_down(c, PQerrorMessage(c->pg)); break;
    }
}

static void start_connect(pg_conn *c) {
    const char *keys[PG_CONN_PARAMS + 1], *values[PG_CONN_PARAMS + 1];
    pg_conn_params(c->conninfo, keys, values);
    c->pg = PQconnectStartParams(keys, values, 1);
    if (!c->pg) abort();   /* out of memory */
    c->state = ST_CONNECTING;
    if (PQstatus(c->pg) == CONNECTION_BAD) {
        /* handled on the next turn: this may be pg_conn_open, and the
         * owner's callbacks must not run before it has the handle */
        set_error(c, PQerrorMessage(c->pg));
        c->state = ST_BROKEN;
        uv_timer_start(&c->timer, on_timer, 0, 0);
        return;
    }
    watch(c, UV_WRITABLE, true);   /* libpq: behave as if PQconnectPoll said WRITING */
}

static void on_poll(uv_poll_t *p, int status, int events) {
    pg_conn *c = p->data;
    if (p != c->poll) return;   /* an old socket's handle, being closed */
    if (c->state == ST_CONNECTING) connect_step(c);
    else if (c->state == ST_UP) on_poll_up(c, status, events);
}

static void on_timer(uv_timer_t *t) {
    pg_conn *c = t->data;
    if (c->state == ST_BROKEN) go_down(c, NULL);
    else if (c->state == ST_DOWN) start_connect(c);
}

/* ---- the interface ---- */

pg_conn *pg_conn_open(uv_loop_t *loop, const char *conninfo, pg_state_fn on_state, void *ctx) {
    pg_conn *c = calloc(1, sizeof *c);
    if (!c) abort();
    c->loop = loop;
    c->conninfo = dup_or_die(conninfo);
    c->on_state = on_state;
    c->ctx = ctx;
    c->backoff_ms = BACKOFF_FIRST_MS;
    uv_timer_init(loop, &c->timer);
    c->timer.data = c;
    c->handles = 1;
    start_connect(c);
    return c;
}

static pg_stmt *find_stmt(pg_conn *c, const char *name) {
    for (pg_stmt *s = c->stmts; s; s = s->next)
        if (strcmp(s->name, name) == 0) return s;
    return NULL;
}

int pg_conn_prepare(pg_conn *c, const char *name, const char *sql) {
    if (c->state == ST_CLOSED) return PG_CONN_EDOWN;
    if (!name || !*name || !sql || find_stmt(c, name)) return PG_CONN_EINPUT;
    pg_stmt *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->name = dup_or_die(name);
    s->sql = dup_or_die(sql);
    pg_stmt **tail = &c->stmts;
    while (*tail) tail = &(*tail)->next;
    *tail = s;
    /* connecting: connected() prepares it with the others */
    if (c->state == ST_UP) send_internal(c, s, NULL, false);
    return PG_CONN_OK;
}

/* BROKEN too: the loss is not told yet, and the query fails with the rest. */
static bool accepting(const pg_conn *c) { return c->state != ST_DOWN && c->state != ST_CLOSED; }

int pg_conn_query(pg_conn *c, const char *name, int nparams, const char *const *params, pg_reply_fn fn,
                  void *arg) {
    if (!accepting(c)) return PG_CONN_EDOWN;
    const pg_stmt *s = name ? find_stmt(c, name) : NULL;
    if (!s || nparams < 0 || nparams > MAX_PARAMS) return PG_CONN_EINPUT;
    pg_item *it = new_item(IT_QUERY, nparams, params, fn, arg);
    it->stmt = s;
    submit(c, it);
    return PG_CONN_OK;
}

int pg_conn_exec(pg_conn *c, const char *sql, int nparams, const char *const *params, pg_reply_fn fn, void *arg) {
    if (!accepting(c)) return PG_CONN_EDOWN;
    if (!sql || nparams < 0 || nparams > MAX_PARAMS) return PG_CONN_EINPUT;
    pg_item *it = new_item(IT_EXEC, nparams, params, fn, arg);
    it->sql = dup_or_die(sql);
    submit(c, it);
    return PG_CONN_OK;
}

static bool channel_ok(const char *s) {
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_')) return false;
    return n > 0 && n < 64 && !(s[0] >= '0' && s[0] <= '9');
}

int pg_conn_listen(pg_conn *c, const char *channel, pg_notify_fn fn, void *ctx) {
    if (c->state == ST_CLOSED) return PG_CONN_EDOWN;
    if (!channel || !channel_ok(channel) || !fn) return PG_CONN_EINPUT;
    pg_listen *l = calloc(1, sizeof *l);
    if (!l) abort();
    l->channel = dup_or_die(channel);
    l->fn = fn;
    l->ctx = ctx;
    l->next = c->listens;
    c->listens = l;
    if (c->state == ST_UP) send_internal(c, NULL, l, false);
    return PG_CONN_OK;
}

bool pg_conn_is_up(const pg_conn *c) { return c->state == ST_UP && c->announced == 1; }

const char *pg_conn_error(const pg_conn *c) {
    if (c->state == ST_CLOSED) return "database unavailable: the connection is closed";
    return c->error;
}

int pg_conn_backend_pid(const pg_conn *c) { return c->state == ST_UP ? PQbackendPID(c->pg) : 0; }

void pg_conn_close(pg_conn *c) {
    if (!c || c->state == ST_CLOSED) return;
    c->state = ST_CLOSED;
    fail_all(c, "database unavailable: the connection is closed");
    drop_poll(c);
    if (c->pg) PQfinish(c->pg);
    c->pg = NULL;
    uv_timer_stop(&c->timer);
    uv_close((uv_handle_t *)&c->timer, on_handle_closed);
}
