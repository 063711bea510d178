/*
 * exec.c: running queries and mutations (mes_execute), and the two-pass
 * mutation of mes_internal.h.
 *
 * A query runs at once, in an arena the service reuses, unless the answer
 * cache (cache.c) has its answer. A mutation is
 * planned on the loop (each root field's planner turns its coerced
 * arguments into a write), its writes run as ONE store job on the writer
 * thread (each in its own savepoint, in root field order), and after the
 * commit it is executed for its answer, each resolver taking its write back
 * with mes_ctx_write. A mutation has its own arena, which the loop leaves
 * alone while the job runs.
 *
 * When the write queue is full (store_submit says EBUSY) every planned write
 * fails with extensions.code "BUSY" and the mutation is answered at once, as
 * a field error of each field that wanted to write: nothing was written, the
 * client can see which fields to retry, and the answer keeps the shape any
 * other failed write has.
 *
 * Must never: call into the engine on the writer thread (a prepared document
 * is not thread safe), answer a mutation before its commit, or let the
 * document go while a mutation still needs it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core.h"

/* ---- values ------------------------------------------------------------- */

gql_val *mes_val_copy(gql_arena *a, const gql_val *v) {
    if (!v) return NULL;
    gql_val *c = gql_arena_alloc(a, sizeof *c);
    *c = *v;
    switch (v->kind) {
    case GQL_V_STRING:
    case GQL_V_ENUM: c->u.str.s = gql_arena_strndup(a, v->u.str.s, v->u.str.len); break;
    case GQL_V_LIST:
        c->u.list.items = gql_arena_alloc(a, (v->u.list.count + 1) * sizeof *c->u.list.items);
        for (uint32_t i = 0; i < v->u.list.count; i++) c->u.list.items[i] = mes_val_copy(a, v->u.list.items[i]);
        break;
    case GQL_V_OBJECT:
        c->u.obj.cap = v->u.obj.count;
        c->u.obj.members = gql_arena_alloc(a, (v->u.obj.count + 1) * sizeof *c->u.obj.members);
        for (uint32_t i = 0; i < v->u.obj.count; i++) {
            const gql_member *m = &v->u.obj.members[i];
            c->u.obj.members[i] = (gql_member){gql_arena_strndup(a, m->key, m->key_len), m->key_len,
                                               mes_val_copy(a, m->value)};
        }
        break;
    default: break;
    }
    return c;
}

/* ---- writes: the domain's side ----------------------------------------- */

bool mes_bind_mutation(mes *m, const char *field, mes_plan_fn plan) {
    const gql_type *t = m->schema->mutation;
    const gql_field *f = t ? gql_type_field(t, field, strlen(field)) : NULL;
    if (!f) return false;
    m->planners[f->index] = plan;
    return true;
}

static mes_plan_fn planner_of(mes *m, const gql_field *f) {
    return f->parent == m->schema->mutation ? m->planners[f->index] : NULL;
}

void mes_write_fail(mes_write *w, const char *code, const char *fmt, ...) {
    w->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->message, sizeof w->message, fmt, ap);
    va_end(ap);
}

void mes_write_ext(mes_write *w, gql_arena *a, const char *key, const char *value) {
    if (!value) return;
    if (!w->ext) w->ext = gql_val_object(a, 2);
    gql_val_object_set(a, w->ext, key, strlen(key), gql_val_string(a, value, strlen(value)));
}

void mes_write_fail_store(mes_write *w, const store_err *err) {
    mes_write_fail(w, mes_store_code(err->code), "%s", err->message[0] ? err->message : "the write failed");
}

mes_write *mes_ctx_write(mes_ctx *c, const gql_resolve_info *info) {
    if (!c->writes || !info->path || info->path->prev) return NULL;   /* root fields only */
    for (uint32_t i = 0; i < c->nwrites; i++)
        if (strcmp(c->writes[i].response_key, info->path->key) == 0) return &c->writes[i];
    return NULL;
}

gql_rv mes_write_error(mes_ctx *c, const mes_write *w) {
    if (w && w->code) return gql_rv_error_ext(gql_arena_strdup(c->arena, w->message), w->code, w->ext);
    if (w && w->skipped) return gql_rv_error("Not written: an earlier field of this mutation failed.", "INTERNAL");
    return gql_rv_error("The write did not run.", "INTERNAL");
}

/* ---- requests ------------------------------------------------------------ */

#define QUERY_OUT_KEEP (256u << 10)   /* the reused query buffer is given back past this */

typedef struct mes_req {
    mes *m;
    gql_arena arena;
    mes_ctx ctx;
    mes_principal who;
    mes_doc *doc;
    const char *op_name;
    const gql_val *vars;
    mes_done_fn done;
    void *user;
    bool *stops;      /* per write: its failure ends the mutation (a non-null field) */
    /* passes: the read session, and for a query a pass arena (reset each
       pass: a pass's output is thrown away) and the cache's commit count at
       its lookup (a commit since then: the answer is not kept) */
    store_reads reads;
    bool query, counted;   /* counted: in m->in_flight */
    bool cacheable;        /* a query operation (its answer may be kept) */
    gql_arena pass_arena;
    uint64_t cache_commits;
} mes_req;

static gql_exec_request request_of(mes_req *r) {
    return (gql_exec_request){.doc = mes_doc_prepared(r->doc), .operation_name = r->op_name,
                              .variables = r->vars, .context = &r->ctx, .arena = r->ctx.arena};
}

/* One pass: the whole execution inside a read session. */
static gql_exec_status run_pass(mes *m, store_reads *reads, const gql_exec_request *req, gql_buf *out) {
    m->read_passes++;
    store_reads_begin(m->st, reads);
    gql_exec_status st = gql_execute(req, out);
    store_reads_end(m->st, reads);
    return st;
}

static void request_free(mes_req *r) {
    mes *m = r->m;
    bool counted = r->counted;
    store_reads_free(&r->reads);
    mes_doc_release(r->doc);
    if (r->query) gql_arena_free(&r->pass_arena);
    gql_arena_free(&r->arena);
    free(r);
    if (counted && --m->in_flight == 0 && m->closed) mes_free(m);
}

static void pass_fetched(void *arg, const store_err *err);

/* After a pass that wanted reads: they are fetched, and the request runs
 * again from scratch once they are in (pass_fetched). false: the request
 * may not take another pass (the message is in out). */
static bool fetch_more(mes_req *r, gql_buf *out) {
    if (r->reads.passes >= r->m->cfg.max_read_passes) {
        out->len = 0;
        gql_buf_printf(out, "{\"errors\":[{\"message\":\"Internal error: the request needed more than %u read "
                            "passes.\",\"extensions\":{\"code\":\"INTERNAL\"}}],\"data\":null}",
                       r->m->cfg.max_read_passes);
        return false;
    }
    if (!r->counted) {   /* the service must outlive the fetch */
        r->counted = true;
        r->m->in_flight++;
    }
    if (store_reads_fetch(r->m->st, &r->reads, pass_fetched, r) != STORE_OK) abort();   /* one fetch at a time */
    return true;
}

/* The answer pass (a mutation's, or a query's after its first pass
 * pended), then the end of the request; or a fetch and another pass. */
static void answer(mes_req *r) {
    if (r->query) {
        gql_arena_reset(&r->pass_arena);
        r->ctx.arena = &r->pass_arena;
    }
    gql_exec_request req = request_of(r);
    gql_buf out;
    gql_buf_init(&out);
    gql_exec_status st = run_pass(r->m, &r->reads, &req, &out);
    if (store_reads_pending(&r->reads)) {
        if (fetch_more(r, &out)) {
            gql_buf_free(&out);
            return;
        }
        st = GQL_EXEC_FIELD_ERRORS;
    } else if (r->cacheable && st == GQL_EXEC_OK) {
        mes_answers_rekey(r->m, r->doc, &r->who, r->op_name, r->vars, r->cache_commits);
        mes_answers_put(r->m, out.data, out.len);
    }
    if (!r->query && st != GQL_EXEC_OK) r->m->mutation_errors++;
    mes_result res = {.status = st, .json = out.data, .len = out.len};
    r->done(r->user, &res);
    gql_buf_free(&out);
    request_free(r);
}

static void pass_fetched(void *arg, const store_err *err) {
    mes_req *r = arg;
    /* closed: the store may be gone before this runs, so nothing more is read */
    if (err->code == STORE_OK && !r->m->closed) {
        answer(r);
        return;
    }
    const char *why = err->code != STORE_OK ? err->message : "The server is shutting down.";
    gql_buf out;
    gql_buf_init(&out);
    gql_buf_puts(&out, "{\"errors\":[{\"message\":");
    gql_json_write_string(&out, why, strlen(why));
    gql_buf_puts(&out, ",\"extensions\":{\"code\":\"INTERNAL\"}}],\"data\":null}");
    mes_result res = {.status = GQL_EXEC_FIELD_ERRORS, .json = out.data, .len = out.len};
    r->done(r->user, &res);
    gql_buf_free(&out);
    request_free(r);
}

static mes_req *request_new(mes *m, const mes_principal *who, mes_doc *doc, const char *op_name,
                            const gql_val *variables, mes_done_fn done, void *user) {
    mes_req *r = calloc(1, sizeof *r);
    if (!r) abort();
    r->m = m;
    gql_arena_init(&r->arena, 4096);
    r->who = *who;
    r->ctx = (mes_ctx){.m = m, .st = m->st, .who = &r->who, .arena = &r->arena};
    r->doc = doc;
    mes_doc_retain(doc);
    r->op_name = op_name ? gql_arena_strdup(&r->arena, op_name) : NULL;
    r->vars = mes_val_copy(&r->arena, variables);
    r->done = done;
    r->user = user;
    store_reads_init(&r->reads);
    return r;
}

/* Writer thread: every planned write in order, each in its own savepoint. */
static int run_writes(store_tx *tx, void *arg, store_err *err) {
    mes_req *r = arg;
    bool stopped = false;
    for (uint32_t i = 0; i < r->ctx.nwrites; i++) {
        mes_write *w = &r->ctx.writes[i];
        if (stopped) {
            w->skipped = w->run != NULL;
            continue;
        }
        if (w->run) {
            store_savepoint sp;
            if (store_tx_savepoint(tx, &sp, err)) return err->code;
            store_err e = {0};
            int rc = w->run(tx, w->arg, &e);
            if (rc != STORE_OK && e.code == STORE_OK) store_set_err(&e, rc, "the write failed");
            w->ran = true;
            if (e.code != STORE_OK) {
                if (store_tx_rollback(tx, &sp, err)) return err->code;
                /* a run that refused with its own code (ORDER_LOCKED, MISSING_SERIAL, …) keeps it */
                if (!w->code) mes_write_fail_store(w, &e);
            } else if (store_tx_release(tx, err)) {
                return err->code;
            }
        }
        if (w->code && r->stops[i]) stopped = true;
    }
    return STORE_OK;
}

/* Loop thread, after the commit (or the failure of the whole transaction:
 * then no write of it is durable, and each says so). */
static void writes_done(void *arg, const store_err *err) {
    mes_req *r = arg;
    mes *m = r->m;
    /* the transaction failed: no write of it is durable, those that ran and
       those it never reached (its BEGIN failed: PostgreSQL unreachable) */
    if (err->code != STORE_OK)
        for (uint32_t i = 0; i < r->ctx.nwrites; i++) {
            mes_write *w = &r->ctx.writes[i];
            if ((w->ran || (w->run && !w->skipped)) && !w->code) mes_write_fail_store(w, err);
        }
    (void)m;
    answer(r);   /* the request counts in m->in_flight until it ends */
}

static void run_mutation(mes *m, mes_req *r) {
    m->mutations++;
    gql_exec_request req = request_of(r);
    gql_root_field_list roots;
    if (gql_root_fields(&req, &roots, NULL) != GQL_EXEC_OK) {
        answer(r);   /* execution gives the same request error */
        return;
    }
    mes_write *writes = gql_arena_calloc(&r->arena, (roots.count + 1) * sizeof *writes);
    r->stops = gql_arena_calloc(&r->arena, roots.count + 1);
    uint32_t planned = 0, n = 0;
    while (n < roots.count) {
        const gql_root_field *f = &roots.fields[n];
        mes_write *w = &writes[n];
        bool non_null = f->field->type->kind == GQL_T_NON_NULL;
        r->stops[n++] = non_null;
        w->field = f->field;
        w->response_key = f->response_key;
        /* arguments that do not coerce: execution reports it */
        if (!f->args) {
            if (non_null) break;   /* graphql-js stops at this field: plan nothing after it */
            continue;
        }
        mes_plan_fn plan = planner_of(m, f->field);
        if (plan) plan(&r->ctx, f->args, w);
        if (w->code) {
            w->run = NULL;
            if (non_null) break;
        }
        if (w->run) planned++;
    }
    r->ctx.writes = writes;
    r->ctx.nwrites = n;
    if (planned == 0) {
        answer(r);
        return;
    }
    int rc = store_submit(m->st, run_writes, writes_done, r);
    if (rc == STORE_OK) {
        m->in_flight++;
        r->counted = true;
        return;
    }
    store_err e;
    if (rc == STORE_EBUSY) store_set_err(&e, rc, "The server is busy: too many writes are waiting. Try again.");
    else store_set_err(&e, rc, "The server is shutting down.");
    for (uint32_t i = 0; i < n; i++)
        if (writes[i].run) {
            writes[i].run = NULL;
            mes_write_fail_store(&writes[i], &e);
        }
    answer(r);
}

static void release_query_buffers(mes *m, bool reused, gql_arena *a, gql_buf *out) {
    if (reused) {
        gql_arena_reset(a);
        /* keep the buffer for the next query unless one answer made it huge */
        if (out->cap > QUERY_OUT_KEEP) gql_buf_free(out);
        m->query_arena_busy = false;
    } else {
        gql_arena_free(a);
        gql_buf_free(out);
    }
}

void mes_execute(mes *m, const mes_principal *who, mes_doc *doc, const char *op_name, const gql_val *variables,
                 mes_done_fn done, void *user) {
    gql_prepared *p = mes_doc_prepared(doc);
    const char *err;
    const gql_definition *op = gql_select_operation(p, op_name, &m->query_arena, &err);
    if (op && op->operation == GQL_OP_MUTATION) {
        run_mutation(m, request_new(m, who, doc, op_name, variables, done, user));
        return;
    }
    /* a query: from the answer cache when it holds one */
    mes_answer *hit = op && op->operation == GQL_OP_QUERY ? mes_answers_get(m, doc, who, op_name, variables) : NULL;
    if (hit) {
        mes_result res = {.status = GQL_EXEC_OK};
        res.json = mes_answer_json(hit, &res.len);
        done(user, &res);
        mes_answer_unpin(m, hit);
        return;
    }
    /* (or a request error execution reports): at once, in the reused arena
       and buffer unless a query is already running in them */
    gql_arena own_arena, *a = &m->query_arena;
    gql_buf own_out, *out = &m->query_out;
    bool reused = !m->query_arena_busy;
    if (reused) {
        m->query_arena_busy = true;
    } else {
        gql_arena_init(a = &own_arena, 4096);
        gql_buf_init(out = &own_out);
    }
    mes_ctx ctx = {.m = m, .st = m->st, .who = who, .arena = a};
    gql_exec_request req = {.doc = p, .operation_name = op_name, .variables = variables, .context = &ctx, .arena = a};
    out->len = 0;
    store_reads reads;
    store_reads_init(&reads);
    gql_exec_status st = run_pass(m, &reads, &req, out);
    if (store_reads_pending(&reads)) {
        /* reads to wait for: the request continues on its own, from scratch */
        mes_req *r = request_new(m, who, doc, op_name, variables, done, user);
        r->query = true;
        r->cacheable = op && op->operation == GQL_OP_QUERY;
        gql_arena_init(&r->pass_arena, 4096);
        r->reads = reads;   /* moved: no fetch is out and the session has ended */
        r->cache_commits = m->answers.key_commits;
        gql_buf discard;
        gql_buf_init(&discard);
        bool more = fetch_more(r, &discard);
        release_query_buffers(m, reused, a, out);
        if (!more) {
            mes_result res = {.status = GQL_EXEC_FIELD_ERRORS, .json = discard.data, .len = discard.len};
            done(user, &res);
            request_free(r);
        }
        gql_buf_free(&discard);
        return;
    }
    store_reads_free(&reads);
    /* kept before done runs: done may run another query, which takes the key */
    if (st == GQL_EXEC_OK && op && op->operation == GQL_OP_QUERY) mes_answers_put(m, out->data, out->len);
    mes_result res = {.status = st, .json = out->data, .len = out->len};
    done(user, &res);
    release_query_buffers(m, reused, a, out);
}
