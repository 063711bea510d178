/*
 * store_util.c: the SQLite backend's plumbing: the prepared-statement cache
 * (each SQL text is prepared once per connection), errors as values, column
 * and binding helpers, JSON arrays for "children of many parents in one
 * statement", and a growable string. Nothing here knows the data model.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "store_internal.h"

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n);
    if (!q) abort();   /* out of memory is not an error a user can cause */
    return q;
}

/* ---- errors ---- */
int store_set_err(store_err *err, int code, const char *fmt, ...) {
    if (err) {
        err->code = code;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

int store_sqlite_err(store_err *err, sqlite3 *db, int rc, const char *what) {
    int code = STORE_EIO;
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT: code = STORE_ECONFLICT; break;
    case SQLITE_BUSY: case SQLITE_LOCKED: code = STORE_EBUSY; break;
    default: break;
    }
    return store_set_err(err, code, "%s: %s", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

void store_count_batch(store *s, size_t jobs) {
    unsigned b = 0;
    while (jobs > 1 && b < STORE_BATCH_BUCKETS - 1) { jobs >>= 1; b++; }
    atomic_fetch_add(&s->m_batch[b], 1);
}

int64_t store_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int store_exec(sqlite3 *db, const char *sql, store_err *err) {
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        int code = (rc & 0xff) == SQLITE_BUSY ? STORE_EBUSY : STORE_EIO;
        store_set_err(err, code, "%s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return code;
    }
    return STORE_OK;
}

/* ---- statement cache ---- */
static uint32_t hash_str(const char *s) {
    uint32_t h = 2166136261u;   /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

void stmt_cache_init(stmt_cache *c, sqlite3 *db) {
    memset(c, 0, sizeof *c);
    c->db = db;
}

void stmt_cache_free(stmt_cache *c) {
    for (size_t b = 0; b < STMT_BUCKETS; b++) {
        for (stmt_entry *e = c->buckets[b], *n; e; e = n) {
            n = e->next;
            sqlite3_finalize(e->stmt);
            free(e->sql);
            free(e);
        }
        c->buckets[b] = NULL;
    }
    c->count = 0;
}

/* Drops idle entries until the cache is under its cap (statements in use
 * stay: a caller may hold two at once). */
static void stmt_cache_trim(stmt_cache *c) {
    for (size_t b = 0; b < STMT_BUCKETS && c->count >= STMT_CACHE_MAX; b++) {
        stmt_entry **pp = &c->buckets[b];
        while (*pp) {
            stmt_entry *e = *pp;
            if (e->busy) { pp = &e->next; continue; }
            *pp = e->next;
            sqlite3_finalize(e->stmt);
            free(e->sql);
            free(e);
            c->count--;
        }
    }
}

sqlite3_stmt *stmt_get(stmt_cache *c, const char *sql, store_err *err) {
    uint32_t h = hash_str(sql);
    for (stmt_entry *e = c->buckets[h % STMT_BUCKETS]; e; e = e->next) {
        if (e->hash == h && !e->busy && strcmp(e->sql, sql) == 0) {
            e->busy = true;
            atomic_fetch_add(&c->executions, 1);
            return e->stmt;
        }
    }
    if (c->count >= STMT_CACHE_MAX) stmt_cache_trim(c);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        store_sqlite_err(err, c->db, rc, "prepare");
        sqlite3_finalize(st);
        return NULL;
    }
    stmt_entry *e = xrealloc(NULL, sizeof *e);
    e->sql = strdup(sql);
    if (!e->sql) abort();
    e->stmt = st;
    e->hash = h;
    e->busy = true;
    e->next = c->buckets[h % STMT_BUCKETS];
    c->buckets[h % STMT_BUCKETS] = e;
    c->count++;
    atomic_fetch_add(&c->executions, 1);
    return st;
}

void stmt_put(stmt_cache *c, sqlite3_stmt *st) {
    if (!st) return;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    const char *sql = sqlite3_sql(st);
    uint32_t h = hash_str(sql);
    for (stmt_entry *e = c->buckets[h % STMT_BUCKETS]; e; e = e->next)
        if (e->stmt == st) { e->busy = false; return; }
}

/* ---- columns and bindings ---- */
/* sqlite3_column_text is NULL for an SQL NULL (and "" for an empty text):
 * two calls a column rather than three, on every row a read returns. */
const char *col_text(sqlite3_stmt *st, int i, gql_arena *a) {
    const unsigned char *t = sqlite3_column_text(st, i);
    if (!t) return NULL;
    return gql_arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st, i));
}

int64_t col_i64(sqlite3_stmt *st, int i) { return sqlite3_column_int64(st, i); }

int bind_text(sqlite3_stmt *st, int i, const char *s) {
    return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
}

static store_kind kind_from(const char *k) {
    if (k && strcmp(k, "PRODUCT") == 0) return STORE_KIND_PRODUCT;
    if (k && strcmp(k, "SUBASSEMBLY") == 0) return STORE_KIND_SUBASSEMBLY;
    return STORE_KIND_PROCESS;
}

const char *store_kind_name(store_kind k) {
    static const char *const names[] = {"PRODUCT", "SUBASSEMBLY", "PROCESS"};
    return (unsigned)k < 3 ? names[k] : "PROCESS";
}

static const char *const order_status_names[] = {"CREATED", "READY", "IN_PROGRESS", "COMPLETED", "CANCELED"};

const char *store_order_status_name(store_order_status s) {
    return (unsigned)s < sizeof order_status_names / sizeof order_status_names[0] ? order_status_names[s] : "CREATED";
}

static store_order_status order_status_from(const char *name) {
    for (size_t i = 0; name && i < sizeof order_status_names / sizeof order_status_names[0]; i++)
        if (strcmp(order_status_names[i], name) == 0) return (store_order_status)i;
    return STORE_ORDER_CREATED;
}

void read_order(sqlite3_stmt *st, int f, gql_arena *a, store_order *o) {
    o->id = col_i64(st, f);
    o->parent_id = col_i64(st, f + 1);
    o->external_order_id = col_text(st, f + 2, a);
    o->secondary_external_order_id = col_text(st, f + 3, a);
    o->operation_id = col_text(st, f + 4, a);
    o->reserved_serial_number = col_text(st, f + 5, a);
    o->order_index = col_i64(st, f + 6);
    o->status = order_status_from((const char *)sqlite3_column_text(st, f + 7));
    o->station_id = col_text(st, f + 8, a);
    o->operator_id = col_i64(st, f + 9);
    o->created_at = col_i64(st, f + 10);
    o->updated_at = col_i64(st, f + 11);
    o->started_at = col_i64(st, f + 12);
    o->completed_at = col_i64(st, f + 13);
}

void read_operation(sqlite3_stmt *st, int f, gql_arena *a, store_operation *o) {
    o->id = col_text(st, f + 0, a);
    o->kind = kind_from((const char *)sqlite3_column_text(st, f + 1));
    o->external_id = col_text(st, f + 2, a);
    o->revision = col_text(st, f + 3, a);
    o->name = col_text(st, f + 4, a);
    o->description = col_text(st, f + 5, a);
    o->produces_serial = col_i64(st, f + 6) != 0;
    o->template_id = col_text(st, f + 7, a);
    o->variant_name = col_text(st, f + 8, a);
    o->seq = col_i64(st, f + 9);
    o->updated_at = col_i64(st, f + 10);
    o->archived_at = col_i64(st, f + 11);
}

void read_sub_operation(sqlite3_stmt *st, int f, gql_arena *a, store_sub_operation *o) {
    o->parent_id = col_text(st, f + 0, a);
    o->sub_id = col_text(st, f + 1, a);
    o->sub_group = col_text(st, f + 2, a);
    o->position = col_i64(st, f + 3);
    o->optional = col_i64(st, f + 4) != 0;
    o->seq = col_i64(st, f + 5);
    o->updated_at = col_i64(st, f + 6);
    o->archived_at = col_i64(st, f + 7);
}

/* ---- growable string ---- */
void sbuf_addn(sbuf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

void sbuf_add(sbuf *b, const char *s) { sbuf_addn(b, s, strlen(s)); }

void sbuf_addf(sbuf *b, const char *fmt, ...) {
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof tmp) { sbuf_add(b, tmp); return; }
    char *big = xrealloc(NULL, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sbuf_add(b, big);
    free(big);
}

void sbuf_free(sbuf *b) {
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

/* ---- JSON arrays for json_each ---- */
char *json_string_array(const char *const *v, size_t n) {
    sbuf b = {0};
    sbuf_add(&b, "[");
    for (size_t i = 0; i < n; i++) {
        sbuf_add(&b, i ? ",\"" : "\"");
        /* runs of plain bytes at once; ids rarely need escaping */
        const char *p = v[i] ? v[i] : "";
        while (*p) {
            size_t run = 0;
            while (p[run] && p[run] != '"' && p[run] != '\\' && (unsigned char)p[run] >= 0x20) run++;
            if (run) {
                sbuf_addn(&b, p, run);
                p += run;
                continue;
            }
            unsigned char c = (unsigned char)*p++;
            if (c == '"' || c == '\\') sbuf_addf(&b, "\\%c", c);
            else sbuf_addf(&b, "\\u%04x", c);
        }
        sbuf_add(&b, "\"");
    }
    sbuf_add(&b, "]");
    return b.p;
}

char *json_int_array(const int64_t *v, size_t n) {
    sbuf b = {0};
    sbuf_add(&b, "[");
    for (size_t i = 0; i < n; i++) sbuf_addf(&b, i ? ",%lld" : "%lld", (long long)v[i]);
    sbuf_add(&b, "]");
    return b.p;
}
