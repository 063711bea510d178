/*
 * store_internal.h: what the SQLite backend's files share (never included
 * outside src/store). The store, the job queue, the statement cache, a
 * growable string for compiled SQL, and small row helpers.
 */
#ifndef MESD_STORE_INTERNAL_H
#define MESD_STORE_INTERNAL_H
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include "store.h"
#include "store_backend.h"

typedef struct store_migration {
    int version;
    const char *name;
    const char *sql;
} store_migration;
extern const store_migration store_migrations[];
extern const size_t store_migrations_count;

/* ---- prepared-statement cache: one per connection, keyed by SQL text ---- */
typedef struct stmt_entry {
    struct stmt_entry *next;
    char *sql;
    sqlite3_stmt *stmt;
    uint32_t hash;
    bool busy;            /* handed out and not yet put back: never evicted */
} stmt_entry;
#define STMT_BUCKETS 256
#define STMT_CACHE_MAX 512   /* dynamic filter SQL makes the key space open: bound it */
typedef struct stmt_cache {
    sqlite3 *db;
    stmt_entry *buckets[STMT_BUCKETS];
    size_t count;
    atomic_uint_fast64_t executions;
} stmt_cache;
void stmt_cache_init(stmt_cache *c, sqlite3 *db);
void stmt_cache_free(stmt_cache *c);
/* A prepared statement for sql (prepared once, then reused); NULL with err set. */
sqlite3_stmt *stmt_get(stmt_cache *c, const char *sql, store_err *err);
/* Resets it and clears its bindings; it may be handed out again. */
void stmt_put(stmt_cache *c, sqlite3_stmt *st);

/* ---- the write side ---- */
typedef struct store_job {
    struct store_job *next;
    store_job_fn run;
    store_done_fn done;
    void *arg;
    store_err err;
    /* store_exec_sync: the caller waits on this instead of a callback */
    bool sync, finished;
} store_job;

struct store_tx {
    store *s;
    struct pg_tx *pg;          /* PostgreSQL: the writer's transaction (db and cache are NULL) */
    sqlite3 *db;
    stmt_cache *cache;
    int64_t now;
    int64_t head[STORE_STREAM_COUNT];   /* highest seq written, this transaction included */
    bool appended;
};

/* The backend's own state: SQLite's is below (moving it into a struct of
 * its own is left to the port, so this change leaves SQLite's code as it
 * was); PostgreSQL's hangs off pg. */
struct store {
    const store_backend *be;
    struct store_pg *pg;
    char *path;
    sqlite3 *rdb, *wdb;
    stmt_cache rcache, wcache;
    int version;

    uv_loop_t *loop;
    uv_async_t async;          /* writer -> loop: results are ready */
    pthread_t writer;
    bool has_writer, closing;
    pthread_mutex_t mu;
    pthread_cond_t cond;       /* the writer waits for jobs; sync callers wait for theirs */
    store_job *queue_head, *queue_tail;
    size_t queue_len;
    store_job *done_head, *done_tail;   /* finished, waiting for the loop */
    int64_t done_head_seq[STORE_STREAM_COUNT];
    bool heads_changed;
    int64_t committed_head[STORE_STREAM_COUNT];   /* writer thread's view */

    store_listener_fn listener;
    void *listener_ctx;
    store_reads *reads;        /* the loop's current pass (simulation only), else NULL */
    store_reads *session;      /* the loop's current pass, whatever the backend */
    bool simulate_passes;

    atomic_uint_fast64_t m_commits, m_jobs, m_job_errors, m_commit_errors, m_depth;
    atomic_uint_fast64_t m_batch[STORE_BATCH_BUCKETS];
};

#define STORE_QUEUE_MAX 100000
#define STORE_BATCH_MAX 256

/* ---- helpers ---- */
/* err from a SQLite result code on db (ECONFLICT for constraint violations). */
int store_sqlite_err(store_err *err, sqlite3 *db, int rc, const char *what);
int64_t store_now_ms(void);
/* A committed transaction of `jobs` jobs, in the batch-size histogram (any thread). */
void store_count_batch(store *s, size_t jobs);
int store_exec(sqlite3 *db, const char *sql, store_err *err);   /* no rows */
int store_stream_heads_db(sqlite3 *db, stmt_cache *c, int64_t head[STORE_STREAM_COUNT], store_err *err);
extern const char *const store_stream_tables[STORE_STREAM_COUNT];
/* The stream a webhook subscription row names (store_stream_name's
 * inverse); false for any other text. */
bool store_stream_of_name(const char *name, store_stream *out);

/* column helpers: NULL column -> NULL / 0 */
const char *col_text(sqlite3_stmt *st, int i, gql_arena *a);
int64_t col_i64(sqlite3_stmt *st, int i);
/* binds a string, or NULL when s is NULL */
int bind_text(sqlite3_stmt *st, int i, const char *s);
/* A JSON array of strings (for json_each: "many parents in one statement"). */
char *json_string_array(const char *const *v, size_t n);
char *json_int_array(const int64_t *v, size_t n);

/* Row readers shared by lists, by-id reads and streams. */
#define STORE_OP_COLS(t)                                                                                         \
    t ".id, " t ".kind, " t ".external_id, " t ".revision, " t ".name, " t ".description, " t ".produces_serial, " \
    t ".template_id, " t ".variant_name, " t ".seq, " t ".updated_at, " t ".archived_at"
#define STORE_OP_NCOLS 12
void read_operation(sqlite3_stmt *st, int first, gql_arena *a, store_operation *o);
#define STORE_SUB_COLS(t)                                                                                          \
    t ".parent_id, " t ".sub_id, " t ".sub_group, " t ".position, " t ".optional, " t ".seq, " t ".updated_at, " \
    t ".archived_at"
#define STORE_SUB_NCOLS 8
void read_sub_operation(sqlite3_stmt *st, int first, gql_arena *a, store_sub_operation *o);
#define STORE_ORDER_COLS(t)                                                                                    \
    t ".id, " t ".parent_id, " t ".external_order_id, " t ".secondary_external_order_id, " t ".operation_id, " \
    t ".reserved_serial_number, " t ".order_index, " t ".status, " t ".station_id, " t ".operator_id, "       \
    t ".created_at, " t ".updated_at, " t ".started_at, " t ".completed_at"
#define STORE_ORDER_NCOLS 14
void read_order(sqlite3_stmt *st, int first, gql_arena *a, store_order *o);

/* ---- the read helpers of store_read.c, shared with the other read files ---- */
typedef void (*store_row_fn)(sqlite3_stmt *st, int first_col, gql_arena *a, void *item);
/* Steps st to the end, one item per row (columns from first_col on); puts st back. */
int store_read_rows(store *s, sqlite3_stmt *st, int first_col, gql_arena *a, size_t size, store_row_fn fn,
                    void **out, size_t *n, store_err *err);
/* Children of many parents in one statement: sql's one `?` is bound to json
 * (a JSON array of the parents, freed here), its column 0 is the parent's
 * index; parent i's items are items[first[i] .. first[i+1]). */
int store_read_children(store *s, const char *sql, char *json, size_t nparents, gql_arena *a, size_t size,
                        store_row_fn fn, void **items, size_t *count, size_t **first, store_err *err);
/* "select_from [WHERE <where over t0>] ORDER BY order LIMIT ? OFFSET ?" */
int store_read_list(store *s, const char *select_from, store_entity e, const store_filter *where, const char *order,
                    int64_t limit, int64_t offset, gql_arena *a, size_t size, store_row_fn fn, void **out,
                    size_t *n, store_err *err);

/* ---- the work-order stream (store_work_order_events.c) ---- */
/* The head of every append to it: INSERT … SELECT over orders `o` of
 * processes only (the join and the kind test come with it, so no caller can
 * forget them); the caller's SQL goes on with " AND …" and ends with
 * " RETURNING seq". status and at are SQL expressions. */
#define STORE_WO_APPEND(status, at)                                                  \
    "INSERT INTO work_order_events (order_id, operation_id, status, at)"            \
    " SELECT o.id, o.operation_id, " status ", " at " FROM operation_orders o"      \
    " JOIN operations k ON k.id = o.operation_id WHERE k.kind = 'PROCESS'"
/* Steps st, an INSERT INTO work_order_events … RETURNING seq (any number
 * of rows, process orders only), puts it back and moves tx's head. */
int store_wo_append(store_tx *tx, sqlite3_stmt *st, const char *what, store_err *err);
/* The event of one order whose status a write just set (nothing for a
 * product or subassembly order). */
int store_wo_event_of(store_tx *tx, int64_t order_id, store_err *err);

/* ---- read passes (store_reads.c) ---- */
/* Whether a read (fn and its parameters, described by fmt: s string, i
 * int64_t, b bool, S string array + size_t, I int64_t array + size_t, B
 * bytes + size_t length, f store_filter) must pend in the current pass;
 * records it as wanted and sets err when so. */
bool store_reads_gate(store *s, store_err *err, const char *fn, const char *fmt, ...);
/* The first line of every read function the loop calls (store_dispatch.c). */
/* The PostgreSQL part of a session (store_pg_reads.c); NULL-safe. */
struct pgs_session;
void pgs_session_free(struct pgs_session *p);
bool pgs_session_pending(const struct pgs_session *p);
size_t pgs_session_misses(const struct pgs_session *p);
uint64_t pgs_session_round(const struct pgs_session *p);
void pgs_session_set_floor(struct pgs_session *p, uint64_t round);
int pgs_session_fetch(store *s, store_reads *r, store_done_fn done, void *arg);
#define STORE_READ_GATE(s, err, ...)                                                        \
    do {                                                                                  \
        if ((s)->reads && store_reads_gate((s), (err), __func__, __VA_ARGS__)) return STORE_PENDING; \
    } while (0)

/* ---- a growable string (compiled SQL) ---- */
typedef struct sbuf { char *p; size_t len, cap; } sbuf;
void sbuf_add(sbuf *b, const char *s);
void sbuf_addn(sbuf *b, const char *s, size_t n);   /* n bytes of s */
void sbuf_addf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_free(sbuf *b);

/* The recursive step of a walk down operations' trees, tree(k, op, path):
 * path is the zero-padded positions from the root, so ordering by it is
 * routing order and the greatest path is the last process. The depth guard
 * only matters if a cycle ever got in. */
#define STORE_TREE_STEP                                                                     \
    " SELECT t.k, so.sub_id, t.path || printf('%08d.', so.position) FROM tree t"          \
    " JOIN sub_operations so ON so.parent_id = t.op AND so.archived_at IS NULL"             \
    " WHERE length(t.path) < 9 * 64"
/* The same step in PostgreSQL's dialect (the filter's PostgreSQL dialect
 * and store_pg_read.c). STORE_PG_PAD8 is printf('%08d', x) for x >= 0
 * (positions are): lpad, widened as printf is past 8 digits. */
#define STORE_PG_PAD8(x) "lpad((" x ")::text, greatest(8, length((" x ")::text)), '0')"
#define STORE_TREE_STEP_PG                                                                  \
    " SELECT t.k, so.sub_id, t.path || " STORE_PG_PAD8("so.position") " || '.' FROM tree t" \
    " JOIN sub_operations so ON so.parent_id = t.op AND so.archived_at IS NULL"             \
    " WHERE length(t.path) < 9 * 64"

/* ---- filters compiled to SQL ---- */
/* An entity's filterable fields. A column starting with '(' is a derived
 * field: an SQL expression in which '$' stands for the row's alias. An
 * FT_OBJECT field's column (or expression) joins to its entity's key; an
 * entity without a table is a part of the same row (a payload's object). */
typedef enum ftype { FT_STRING, FT_ID, FT_INT_ID, FT_INT, FT_BOOL, FT_TIME, FT_ENUM, FT_OBJECT } ftype;
typedef struct field_def {
    const char *name, *column;
    ftype type;
    store_entity object;        /* FT_OBJECT: the nested type */
    const char *pg;             /* PostgreSQL's expression where it differs from column; NULL: the same */
} field_def;
typedef struct entity_def {
    const char *table, *key;    /* the key an object field's column refers to */
    const field_def *fields;
} entity_def;
/* The entities filtered on a stored event's payload (store_filter_orders.c);
 * NULL for any other. */
const entity_def *store_filter_payload_entity(store_entity e);
/* The SQL a filter compiles to: SQLite's (`?` placeholders) or
 * PostgreSQL's ($n from first_param on; each field's pg expression). */
typedef enum store_dialect { STORE_DIALECT_SQLITE, STORE_DIALECT_PG } store_dialect;
typedef struct store_sql_filter {
    sbuf sql;                     /* a boolean SQL expression over alias t0 */
    store_value *params;          /* in placeholder order (strings point into the filter) */
    size_t nparams, cap;
    store_dialect dialect;        /* set before compiling ({0}: SQLite) */
    int first_param;              /* PostgreSQL: the number of the first placeholder */
} store_sql_filter;
/* Appends the SQL of f (over the row aliased `alias`) to out. */
int store_filter_compile(store_entity e, const store_filter *f, const char *alias, store_sql_filter *out,
                         store_err *err);
void store_sql_filter_free(store_sql_filter *f);
/* Binds the filter's parameters from index first on; returns the next index. */
int store_sql_filter_bind(sqlite3_stmt *st, const store_sql_filter *f, int first);

#endif
