/*
 * bus.c: the event bus, which feeds subscriptions from the store's streams.
 *
 * Groups. Subscribers with the same document, operation, variables and
 * principal share a group: per event the group executes the selection set
 * once and hands the same bytes to every live member. A group keeps a cursor,
 * the last seq it has dealt with; while it has live members that cursor is
 * the bus's head for its stream after every listener call.
 *
 * Live. The store's listener tells the bus the new heads after each commit
 * (on the loop). For each group of an advanced stream the bus reads the new
 * events (store_stream_read after the group's cursor, with its `where`) in
 * pages, trimmed at the new head: events committed after it come with the
 * next listener call. Groups without `where` at the same cursor share one
 * read of a page.
 *
 * Replay (afterSeq). The subscriber reads the log itself, one page per loop
 * turn (a uv_idle handle, so I/O runs between pages; paused while its
 * connection has much unsent), trimmed at its group's cursor. When it has
 * nothing left up to the cursor it joins the group at the cursor: what the
 * group delivers next is exactly what follows. So replay meets live with no
 * gap and no duplicate; a per-subscriber last seq guards it besides.
 *
 * Read passes (store_reads; PostgreSQL, or --debug-read-passes). A page read
 * or an event's execution may pend: its output is dropped and the group (or
 * replayer) waits where it is, its cursor (or last) unmoved, so nothing is
 * skipped or delivered twice and no later event goes first. The bus holds
 * one session: whatever any group or replayer wanted is fetched at once, and
 * when it is in every waiter resumes at once, where it stopped (a group up
 * to the highest head it was told of while waiting). The session is
 * forgotten once nobody waits. Without pending reads nothing waits.
 *
 * Callbacks (next, end) may unsubscribe anything: while the bus is delivering
 * (busy) a subscription is only marked dead, and freed by the sweep once the
 * bus is out of every callback.
 *
 * Must never: call a sink inside mes_subscribe, deliver an event before its
 * commit, twice, or out of seq order to one subscriber, or free a
 * subscription or group while a callback may still reach it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core.h"

#define BUS_PAGE 256              /* events read at a time */
#define BUS_PAUSED_RETRY_MS 10    /* every replayer is waiting for its connection to drain */

typedef struct sub_group sub_group;

struct mes_sub {
    mes_bus *bus;
    sub_group *g;
    mes_sink sink;
    void *user;
    int64_t last;             /* the last seq this subscriber has had (or chose to skip) */
    bool live;                /* in g's members (fed by the group); else in the bus's replay list */
    bool dead;                /* unsubscribed or ended: no callback any more */
    bool waiting;             /* replaying: its next step waits for the bus's fetch */
    int64_t page_after, page_upto;   /* replaying: the page it waits for (page_upto 0: none) */
    mes_sub *prev, *next;     /* in g->members or bus->replaying */
    mes_sub *dead_next;       /* in bus->dead */
};

struct sub_group {
    mes_bus *bus;
    sub_group *chain;         /* hash bucket */
    sub_group *prev, *next;   /* in bus->groups[stream] */
    uint64_t hash;
    const char *key;          /* principal, operation name and coerced variables */
    size_t key_len;
    mes_doc *doc;
    gql_arena arena;          /* everything below lives in it */
    const char *op_name;
    gql_subscription sub;
    mes_principal who;
    store_stream stream;
    const store_filter *where;
    int64_t cursor;
    bool waiting;             /* its next event (or page) waits for the bus's fetch */
    int64_t target;           /* waiting: the head to advance to once it is in */
    int64_t page_after, page_upto;   /* the page it waits for (page_upto 0: none): kept
                                        while it waits, so the page it asked for, and
                                        fetched, is the one it reads */
    mes_sub *members;         /* live */
    uint32_t nlive, nall;     /* nall: live and replaying */
};

/* The last page read without a filter: groups without `where` at the same
 * cursor (after a commit, every live group's cursor is the previous head)
 * take it instead of reading it again. Valid within one listener call. */
typedef struct bus_page {
    bool valid;
    store_stream stream;
    int64_t after, upto;
    uint64_t round;
    store_event *evs;
    size_t n;
} bus_page;

struct mes_bus {
    mes *m;
    int64_t head[STORE_STREAM_COUNT];
    sub_group **table;
    size_t table_size, ngroups;
    sub_group *groups[STORE_STREAM_COUNT];
    mes_sub *replaying;
    mes_sub *dead;
    uint32_t busy;
    uint64_t nsubs;
    uv_idle_t *idle;
    uv_timer_t *timer;
    gql_arena page_arena, event_arena;
    bus_page shared;
    gql_buf out;
    uint64_t published[STORE_STREAM_COUNT], dropped_slow, executions;
    store_reads reads;        /* every group's and replayer's passes */
    uint32_t waiting;         /* groups and replayers waiting for the fetch */
    bool fetching, closed;    /* closed while fetching: freed when the fetch is back */
};

static void sweep(mes_bus *b);
static void bus_fetch(mes_bus *b);

/* ---- lists ---------------------------------------------------------------- */

static void list_push(mes_sub **head, mes_sub *s) {
    s->prev = NULL;
    s->next = *head;
    if (*head) (*head)->prev = s;
    *head = s;
}

static void list_remove(mes_sub **head, mes_sub *s) {
    if (s->prev) s->prev->next = s->next;
    else *head = s->next;
    if (s->next) s->next->prev = s->prev;
    s->prev = s->next = NULL;
}

/* ---- groups ------------------------------------------------------------------ */

static sub_group *group_find(mes_bus *b, const mes_doc *doc, uint64_t h, const char *key, size_t n) {
    for (sub_group *g = b->table[h & (b->table_size - 1)]; g; g = g->chain)
        if (g->hash == h && g->doc == doc && g->key_len == n && memcmp(g->key, key, n) == 0) return g;
    return NULL;
}

static void group_free(sub_group *g) {
    mes_bus *b = g->bus;
    sub_group **pp = &b->table[g->hash & (b->table_size - 1)];
    while (*pp != g) pp = &(*pp)->chain;
    *pp = g->chain;
    if (g->prev) g->prev->next = g->next;
    else b->groups[g->stream] = g->next;
    if (g->next) g->next->prev = g->prev;
    b->ngroups--;
    if (g->waiting) b->waiting--;
    mes_doc_release(g->doc);
    gql_arena arena = g->arena;   /* g lives in it */
    gql_arena_free(&arena);
}

/* ---- ending and freeing -------------------------------------------------------- */

/* No callback reaches s after this; the sweep frees it. */
static void kill_sub(mes_sub *s) {
    s->dead = true;
    s->bus->nsubs--;
    s->dead_next = s->bus->dead;
    s->bus->dead = s;
}

static void end_sub(mes_sub *s, const char *reason) {
    if (s->dead) return;
    mes_bus *b = s->bus;
    kill_sub(s);
    b->busy++;
    if (s->sink.end) s->sink.end(s->user, reason);
    b->busy--;
}

static void sweep(mes_bus *b) {
    if (b->busy) return;
    while (b->dead) {
        mes_sub *s = b->dead;
        b->dead = s->dead_next;
        sub_group *g = s->g;
        if (s->live) {
            list_remove(&g->members, s);
            g->nlive--;
        } else {
            list_remove(&b->replaying, s);
        }
        if (s->waiting) b->waiting--;
        free(s);
        if (--g->nall == 0) group_free(g);
    }
}

static size_t pending_of(const mes_sub *s) { return s->sink.pending ? s->sink.pending(s->user) : 0; }

/* A subscriber that does not read its events is ended, not buffered for. */
static void check_slow(mes_sub *s) {
    if (s->dead || pending_of(s) <= s->bus->m->cfg.sub_max_pending) return;
    s->bus->dropped_slow++;
    end_sub(s, "subscriber too slow; resume with afterSeq");
}

/* ---- executing an event ----------------------------------------------------------- */

/* The group's selection set on one event, into b->out, in one read pass;
 * false when a read of it pended (b->out is then nothing to deliver). */
static bool execute_event(sub_group *g, const store_event *ev, uint64_t floor) {
    mes_bus *b = g->bus;
    gql_arena_reset(&b->event_arena);
    mes_ctx ctx = {.m = b->m, .st = b->m->st, .who = &g->who, .arena = &b->event_arena};
    size_t misses = store_reads_misses(&b->reads);
    /* objects no older than the page that named the event (PostgreSQL keeps
       a session's results; a later event of the same order must not show it
       as an earlier one left it) */
    store_reads_set_floor(&b->reads, floor);
    store_reads_begin(b->m->st, &b->reads);
    gql_rv value = mes_event_value(&ctx, g->stream, ev);
    gql_exec_request req = {.doc = mes_doc_prepared(g->doc), .operation_name = g->op_name, .context = &ctx,
                            .arena = &b->event_arena};
    b->out.len = 0;
    gql_execute_event(&req, &g->sub, &value, &b->out);
    store_reads_end(b->m->st, &b->reads);
    store_reads_set_floor(&b->reads, 0);
    if (store_reads_misses(&b->reads) > misses) return false;
    b->executions++;
    return true;
}

static void deliver_to(mes_sub *s, const store_event *ev, const gql_buf *out) {
    s->last = ev->seq;
    s->sink.next(s->user, out->data, out->len);
    check_slow(s);
}

/* One event to every live member that has not had it; executed only when
 * one wants it. false: its execution pended, nothing delivered, the cursor
 * unmoved. */
static bool group_deliver(sub_group *g, const store_event *ev, uint64_t floor) {
    bool wanted = false;
    for (mes_sub *s = g->members; s && !wanted; s = s->next) wanted = !s->dead && ev->seq > s->last;
    if (wanted && !execute_event(g, ev, floor)) return false;
    g->cursor = ev->seq;   /* before any callback: a member joining in one starts after it */
    if (!wanted) return true;
    for (mes_sub *s = g->members; s; s = s->next) {
        if (s->dead || ev->seq <= s->last) continue;
        deliver_to(s, ev, &g->bus->out);
    }
    return true;
}

static void end_members(sub_group *g, const char *reason) {
    for (mes_sub *s = g->members; s; s = s->next) end_sub(s, reason);
}

/* The end reason for a stream read that failed (a database error: the
 * client can resume where it was). */
#define READ_FAILED_MAX (sizeof ((store_err *)0)->message + 64)
static const char *read_failed(char *buf, const store_err *err) {
    snprintf(buf, READ_FAILED_MAX, "reading the stream failed (%s); resume with afterSeq", err->message);
    return buf;
}

/* Brings a group up to head: every event in (cursor, head] matching where. */
/* A page of g's stream after `after` with g's filter, in the page arena
 * (which it resets, unless the shared page serves). share: a listener call,
 * where an unfiltered page may serve the next group. */
static int read_page(mes_bus *b, const sub_group *g, int64_t after, int64_t upto, bool share, store_event **evs,
                     size_t *n, uint64_t *round, store_err *err) {
    bus_page *p = &b->shared;
    if (share && !g->where && p->valid && p->stream == g->stream && p->after == after && p->upto == upto) {
        *evs = p->evs;
        *n = p->n;
        *round = p->round;
        return STORE_OK;
    }
    p->valid = false;
    gql_arena_reset(&b->page_arena);
    store_reads_begin(b->m->st, &b->reads);
    /* bounded by the head it goes to: a read session keeps results, and a
       page read before a later commit must not pass for one that reached
       the newer head (its short length would skip the events between) */
    int rc = store_stream_read_upto(b->m->st, g->stream, after, upto, BUS_PAGE, g->where, &b->page_arena, evs, n,
                                    err);
    store_reads_end(b->m->st, &b->reads);
    *round = store_reads_round(&b->reads);
    if (rc == STORE_OK && share && !g->where) *p = (bus_page){true, g->stream, after, upto, *round, *evs, *n};
    return rc;
}

/* g waits for the bus's fetch; then it goes on up to head. */
static void group_wait(sub_group *g, int64_t head) {
    g->waiting = true;
    g->target = head;
    g->bus->waiting++;
}

static void group_advance(sub_group *g, int64_t head) {
    mes_bus *b = g->bus;
    if (g->waiting) {   /* it goes on from where it stopped, to the newest head */
        if (head > g->target) g->target = head;
        return;
    }
    if (g->nlive == 0) {
        /* replayers trim at the cursor and join at it */
        g->cursor = head;
        return;
    }
    while (g->cursor < head) {
        store_event *evs = NULL;
        size_t n = 0;
        store_err err = {0};
        int64_t after = g->page_upto ? g->page_after : g->cursor;
        int64_t upto = g->page_upto ? g->page_upto : head;
        uint64_t round = 0;
        int rc = read_page(b, g, after, upto, true, &evs, &n, &round, &err);
        if (rc == STORE_PENDING) {
            g->page_after = after;
            g->page_upto = upto;
            group_wait(g, head);
            return;
        }
        g->page_upto = 0;
        if (rc == STORE_EUNAVAILABLE) return;   /* the database is away: tried again at the next heads (a reconnect tells them) */
        if (rc) {
            char reason[READ_FAILED_MAX];
            end_members(g, read_failed(reason, &err));
            g->cursor = head;
            return;
        }
        bool done = n < BUS_PAGE;
        for (size_t i = 0; i < n; i++) {
            if (evs[i].seq <= g->cursor) continue;   /* delivered before the page's last wait */
            if (!group_deliver(g, &evs[i], round)) {
                g->page_after = after;
                g->page_upto = upto;
                group_wait(g, head);
                return;
            }
        }
        if (done) g->cursor = upto;   /* nothing more matched in (cursor, upto] */
    }
}

static void on_heads(void *ctx, const int64_t head[STORE_STREAM_COUNT]) {
    mes_bus *b = ctx;
    b->busy++;
    b->shared.valid = false;   /* a commit since: the log has grown */
    for (int s = 0; s < STORE_STREAM_COUNT; s++) {
        if (head[s] > b->head[s]) {
            b->published[s] += (uint64_t)(head[s] - b->head[s]);
            b->head[s] = head[s];
        }
        /* every group behind, also one left behind by a read that failed
           while the database was away */
        for (sub_group *g = b->groups[s]; g; g = g->next)
            if (g->cursor < b->head[s]) group_advance(g, b->head[s]);
    }
    b->shared.valid = false;
    b->busy--;
    sweep(b);
    bus_fetch(b);
    /* the same commit filled the webhook outbox: deliver without waiting for a tick */
    mes_hooks_poke(b->m->hooks);
}

/* ---- replay ----------------------------------------------------------------- */

static void join(mes_sub *s) {
    mes_bus *b = s->bus;
    list_remove(&b->replaying, s);
    s->live = true;
    list_push(&s->g->members, s);
    s->g->nlive++;
}

static void sub_wait(mes_sub *s) {
    s->waiting = true;
    s->bus->waiting++;
}

/* One page of s's replay, up to its group's cursor; joins the group when
 * there is nothing more up to it. */
static void replay_page(mes_sub *s) {
    mes_bus *b = s->bus;
    sub_group *g = s->g;
    /* up to the group's cursor, or the bound of the page it waited for */
    int64_t target = s->page_upto ? s->page_upto : g->cursor;
    int64_t after = s->page_upto ? s->page_after : s->last;
    s->page_upto = 0;
    if (s->last >= target) {
        if (s->last >= g->cursor) join(s);
        return;
    }
    store_event *evs = NULL;
    size_t n = 0;
    store_err err = {0};
    uint64_t round = 0;
    int rc = read_page(b, g, after, target, false, &evs, &n, &round, &err);
    if (rc == STORE_PENDING) {
        s->page_after = after;
        s->page_upto = target;
        sub_wait(s);
        return;
    }
    if (rc) {
        char reason[READ_FAILED_MAX];
        end_sub(s, read_failed(reason, &err));
        return;
    }
    bool caught_up = n < BUS_PAGE;
    for (size_t i = 0; i < n && !s->dead; i++) {
        if (evs[i].seq > target) {
            caught_up = true;
            break;
        }
        if (evs[i].seq <= s->last) continue;   /* had before the page's last wait */
        if (!execute_event(g, &evs[i], round)) {
            s->page_after = after;
            s->page_upto = target;
            sub_wait(s);   /* s->last is the event before: it goes on from there */
            return;
        }
        deliver_to(s, &evs[i], &b->out);
    }
    if (caught_up && !s->dead) {
        s->last = target;   /* nothing matched in (last, target] */
        if (s->last >= g->cursor) join(s);   /* else the next page goes on to the group's cursor */
    }
}

static void pump_schedule(mes_bus *b, bool now);

static void on_idle(uv_idle_t *h) {
    mes_bus *b = h->data;
    size_t pause_at = b->m->cfg.sub_max_pending / 4;
    bool progressed = false;
    b->busy++;
    for (mes_sub *s = b->replaying, *next; s; s = next) {
        next = s->next;
        if (s->dead || s->waiting) continue;
        if (pending_of(s) > pause_at) continue;   /* let its connection drain first */
        replay_page(s);
        progressed = true;
    }
    b->busy--;
    sweep(b);
    bus_fetch(b);
    pump_schedule(b, progressed);
}

static void on_timer(uv_timer_t *h) { pump_schedule(h->data, true); }

/* Runs the replay pump on the next loop turn (now) or after a pause. */
static void pump_schedule(mes_bus *b, bool now) {
    bool any = false;
    for (mes_sub *s = b->replaying; s && !any; s = s->next) any = !s->dead && !s->waiting;
    if (!any || !now) uv_idle_stop(b->idle);
    if (!any) {
        uv_timer_stop(b->timer);
        return;
    }
    if (now) uv_idle_start(b->idle, on_idle);
    else uv_timer_start(b->timer, on_timer, BUS_PAUSED_RETRY_MS, 0);
}

/* ---- waiting for reads ----------------------------------------------------- */

static void bus_free(mes_bus *b) {
    store_reads_free(&b->reads);
    free(b);
}

/* The fetch is in: every waiter resumes where it stopped. */
static void bus_fetched(void *arg, const store_err *err) {
    mes_bus *b = arg;
    b->fetching = false;
    if (b->closed) {
        bus_free(b);
        return;
    }
    b->busy++;
    b->shared.valid = false;
    char reason[READ_FAILED_MAX];
    for (int st = 0; st < STORE_STREAM_COUNT; st++)
        for (sub_group *g = b->groups[st]; g; g = g->next) {
            if (!g->waiting) continue;
            g->waiting = false;
            b->waiting--;
            if (err->code == STORE_OK) {
                group_advance(g, g->target);
            } else {
                end_members(g, read_failed(reason, err));
                g->cursor = g->target;
            }
        }
    for (mes_sub *s = b->replaying, *next; s; s = next) {
        next = s->next;   /* s may join its group */
        if (!s->waiting) continue;
        s->waiting = false;
        b->waiting--;
        if (s->dead) continue;
        if (err->code == STORE_OK) replay_page(s);
        else end_sub(s, read_failed(reason, err));
    }
    b->busy--;
    sweep(b);
    if (!b->waiting) {   /* nobody waits: what was fetched is not needed again */
        store_reads_free(&b->reads);
        store_reads_init(&b->reads);
    }
    bus_fetch(b);
    pump_schedule(b, true);
}

/* Fetches what the waiters wanted, unless a fetch is already out (its
 * waiters resume first; what they still want goes in the next one). */
static void bus_fetch(mes_bus *b) {
    if (b->fetching || !b->waiting || b->closed) return;
    b->fetching = true;
    if (store_reads_fetch(b->m->st, &b->reads, bus_fetched, b) != STORE_OK) abort();   /* none was out */
}

/* ---- subscribing --------------------------------------------------------------- */

static mes_sub *request_error(gql_arena *a, const gql_selection *at, const char *code, const char *message,
                              gql_buf *errors_out) {
    gql_errors errs;
    gql_errors_init(&errs, a);
    gql_error *e = gql_errors_add_msg(&errs, message);
    e->code = code;
    if (at) gql_error_add_loc(&errs, e, at->loc);
    mes_write_errors(errors_out, &errs);
    gql_arena_free(a);
    return NULL;
}

mes_sub *mes_subscribe(mes *m, const mes_principal *who, mes_doc *doc, const char *op_name,
                       const gql_val *variables, const mes_sink *sink, void *user, gql_buf *errors_out) {
    mes_bus *b = m->bus;
    gql_arena a;
    gql_arena_init(&a, 4096);
    /* coerced values may point into the variables: the group keeps its own copy */
    gql_exec_request req = {.doc = mes_doc_prepared(doc), .operation_name = op_name,
                            .variables = mes_val_copy(&a, variables), .arena = &a};
    gql_subscription sub;
    if (gql_subscribe(&req, &sub, errors_out) != GQL_EXEC_OK) {
        gql_arena_free(&a);
        return NULL;
    }
    store_stream stream;
    if (!mes_stream_of_field(sub.field->name, &stream, NULL)) {
        char msg[200];
        snprintf(msg, sizeof msg, "The subscription field \"%s\" is not a stream.", sub.field->name);
        return request_error(&a, sub.field_node, "BAD_INPUT", msg, errors_out);
    }
    const gql_val *after = gql_val_get(sub.args, "afterSeq", 8);
    bool replay = after && after->kind == GQL_V_INT;
    int64_t after_seq = replay ? after->u.i : 0;   /* `a` may be gone below */
    if (after_seq < 0)
        return request_error(&a, sub.field_node, "BAD_INPUT", "afterSeq must be 0 or more.", errors_out);

    /* the group's key: principal, operation name, coerced variables (in the
       order of their definitions: canonical for one document) */
    gql_buf key;
    gql_buf_init(&key);
    gql_buf_printf(&key, "%d\x1f%s\x1f%s\x1f", (int)who->role, who->station_id, op_name ? op_name : "");
    if (sub.variables) gql_json_write_val(&key, sub.variables);
    uint64_t h = mes_hash(key.data, key.len, (uint64_t)(uintptr_t)doc);
    sub_group *g = group_find(b, doc, h, key.data, key.len);
    if (g) {
        gql_arena_free(&a);
    } else {
        const store_filter *where = NULL;
        const char *code = "BAD_INPUT", *msg = NULL;
        if (!mes_stream_filter(m->st, &a, stream, sub.args, &where, &code, &msg)) {
            gql_buf_free(&key);
            return request_error(&a, sub.field_node, code, msg ? msg : "Invalid where.", errors_out);
        }
        g = gql_arena_calloc(&a, sizeof *g);
        g->bus = b;
        g->hash = h;
        g->key = gql_arena_strndup(&a, key.data, key.len);
        g->key_len = key.len;
        g->doc = doc;
        mes_doc_retain(doc);
        g->op_name = op_name ? gql_arena_strdup(&a, op_name) : NULL;
        g->sub = sub;
        g->who = *who;
        g->stream = stream;
        g->where = where;
        g->cursor = b->head[stream];
        g->arena = a;   /* the arena's blocks move to the group; `a` is not used again */
        sub_group **bucket = &b->table[h & (b->table_size - 1)];
        g->chain = *bucket;
        *bucket = g;
        g->next = b->groups[stream];
        if (g->next) g->next->prev = g;
        b->groups[stream] = g;
        b->ngroups++;
    }
    gql_buf_free(&key);

    mes_sub *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->bus = b;
    s->g = g;
    s->sink = *sink;
    s->user = user;
    g->nall++;
    b->nsubs++;
    if (replay) {
        s->last = after_seq;
        list_push(&b->replaying, s);
        pump_schedule(b, true);   /* the first page comes on the next loop turn */
    } else {
        /* a waiting group is behind the head: a new subscriber starts at it */
        s->last = g->waiting ? b->head[stream] : g->cursor;
        s->live = true;
        list_push(&g->members, s);
        g->nlive++;
    }
    return s;
}

void mes_unsubscribe(mes_sub *s) {
    if (!s || s->dead) return;
    kill_sub(s);
    sweep(s->bus);
}

/* ---- the bus's life ----------------------------------------------------------- */

static void free_handle(uv_handle_t *h) { free(h); }

mes_bus *mes_bus_open(mes *m, char *err, size_t errlen) {
    mes_bus *b = calloc(1, sizeof *b);
    if (!b) abort();
    b->m = m;
    store_reads_init(&b->reads);
    store_err serr = {0};
    if (store_stream_heads(m->st, b->head, &serr)) {
        snprintf(err, errlen, "cannot read the streams' heads: %s", serr.message);
        free(b);
        return NULL;
    }
    b->table_size = 1024;
    b->table = calloc(b->table_size, sizeof *b->table);
    b->idle = malloc(sizeof *b->idle);
    b->timer = malloc(sizeof *b->timer);
    if (!b->table || !b->idle || !b->timer) abort();
    uv_idle_init(m->loop, b->idle);
    uv_timer_init(m->loop, b->timer);
    b->idle->data = b->timer->data = b;
    /* neither keeps the loop alive by itself: subscribers' connections do */
    uv_unref((uv_handle_t *)b->timer);
    gql_arena_init(&b->page_arena, 65536);
    gql_arena_init(&b->event_arena, 16384);
    gql_buf_init(&b->out);
    store_set_listener(m->st, on_heads, b);
    return b;
}

void mes_bus_close(mes_bus *b) {
    store_set_listener(b->m->st, NULL, NULL);
    b->busy++;
    for (int st = 0; st < STORE_STREAM_COUNT; st++)
        for (sub_group *g = b->groups[st]; g; g = g->next) end_members(g, "server shutting down");
    for (mes_sub *s = b->replaying; s; s = s->next) end_sub(s, "server shutting down");
    b->busy--;
    sweep(b);
    uv_close((uv_handle_t *)b->idle, free_handle);
    uv_close((uv_handle_t *)b->timer, free_handle);
    gql_arena_free(&b->page_arena);
    gql_arena_free(&b->event_arena);
    gql_buf_free(&b->out);
    free(b->table);
    b->closed = true;
    if (!b->fetching) bus_free(b);   /* else the fetch's callback frees it */
}

void mes_bus_metrics(mes_bus *b, mes_metrics *out) {
    out->subscriptions = b->nsubs;
    out->subscription_groups = b->ngroups;
    memcpy(out->events_published, b->published, sizeof out->events_published);
    out->subscribers_dropped_slow = b->dropped_slow;
    out->event_executions = b->executions;
}
