/*
 * store.h: mesd's persistence, behind one interface: SQLite, and PostgreSQL
 * behind the same functions (store_backend.h; so far what mesd migrate and
 * mesd token need, docs/postgres.md).
 *
 * The contract
 * - The interface speaks in DOMAIN operations (deploy a process, create a
 *   token, list operations matching a filter, read a stream after seq N),
 *   never in SQL. Every SQL text, pragma, type mapping and dialect trick
 *   (json_each for "children of many parents", RETURNING, AUTOINCREMENT)
 *   lives in the backend files (store_*.c). A PostgreSQL backend implements
 *   these same functions; the callers do not change.
 * - Filters (`where`) are a small backend-neutral expression tree
 *   (store_filter: and/or/not, comparisons on the API's field names, nested
 *   object filters). The backend compiles it to SQL with bound parameters;
 *   values are never spliced into SQL text.
 * - Threads. A store has two connections. READS run on the caller's thread
 *   (the event loop) through a read connection with a cache of prepared
 *   statements: they take microseconds and never wait for writes (WAL).
 *   WRITES are jobs: a C function run on ONE writer thread that owns the
 *   write connection (store_tx). The writer takes every queued job (up to a
 *   batch cap), runs each inside its own SAVEPOINT of one transaction (a
 *   failing job rolls back only itself), commits once (one fsync:
 *   synchronous=FULL), and only then hands each job's result back to the
 *   loop thread (uv_async_send), where its completion callback runs. So a
 *   mutation is answered only once it is durable.
 * - The event log: one table per stream (enum store_stream); seq starts at 1,
 *   grows by one per event, is never reused. An event is written by the same
 *   job (same transaction) as the change causing it. After each commit the
 *   listener (store_set_listener; the event bus) learns the new highest seq
 *   of every stream, on the loop thread, before the jobs' callbacks run.
 * - Ids given to the store are already validated and lower-cased by the MES
 *   layer. Times are int64 milliseconds since the Unix epoch (UTC); 0 in a
 *   `*_at` field of a result means null.
 * - Results of reads are allocated in the caller's arena (gql_arena: a plain
 *   bump allocator, no GraphQL knowledge) and live as long as it does.
 * - Every error a caller or user can cause is a value (store_err), never an
 *   abort. Out of memory aborts (as in the arena).
 *
 * What it must never do: run SQL on the loop thread that waits for a lock
 * (reads only), answer a write before its commit, or let a failed job leave
 * any trace (rows or events).
 */
#ifndef MESD_STORE_H
#define MESD_STORE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>
#include "arena.h"

typedef struct store store;
typedef struct store_tx store_tx;   /* the write connection inside one job */

#define STORE_DEFAULT_URL "sqlite:./mesd.db"

/* ---- errors ---- */
enum {
    STORE_OK = 0,
    STORE_ENOTFOUND,   /* an id that does not exist */
    STORE_EINPUT,      /* input that breaks a rule (self-containing product, bad filter, …) */
    STORE_ECONFLICT,   /* a uniqueness rule (e.g. a serial already captured) */
    STORE_EBUSY,       /* the write queue is full, or the database stayed locked */
    STORE_EVERSION,    /* the database's schema is newer than this mesd */
    STORE_EURL,        /* --db URL not understood or not supported */
    STORE_ECLOSED,     /* the store is closing */
    STORE_EIO,         /* anything else the database reported */
    STORE_PENDING,     /* a read of a pass whose result is not there yet (store_reads) */
    STORE_EUNAVAILABLE, /* the database cannot be reached (PostgreSQL): nothing was changed, try again */
    STORE_EUSER = 100  /* jobs may use codes >= STORE_EUSER for their own errors */
};
typedef struct store_err {
    int code;
    char message[256];
} store_err;
/* Sets err (if not NULL) and returns code: `return store_set_err(err, …);` */
int store_set_err(store_err *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- opening, migrations, closing ---- */

/* Opens the database named by url (NULL: STORE_DEFAULT_URL; "sqlite:PATH";
 * "postgres://…": only without a loop so far, see store_url_pg),
 * creating it, and applies every migration this binary knows that it lacks
 * (in order, one transaction each). Refuses a database whose schema version
 * is newer ("database schema version N is newer than this mesd (M); upgrade
 * mesd"). With loop != NULL a writer thread is started and write jobs are
 * submitted with store_submit; results come back on that loop. With loop ==
 * NULL (command-line use) only store_exec_sync writes. NULL on error. */
store *store_open(const char *url, uv_loop_t *loop, store_err *err);
/* Whether url names PostgreSQL (postgres://… or postgresql://…). So far a
 * PostgreSQL store opens only without a loop (mesd migrate, mesd token);
 * with one it is STORE_EURL. */
bool store_url_pg(const char *url);

/* Drains the write queue (every queued job still runs and its callback is
 * called), stops the writer, closes the connections. With a loop, the store's
 * async handle is closed and the memory freed on the next loop iteration. */
void store_close(store *s);

int store_schema_version(store *s);          /* applied version */
int store_schema_version_known(void);        /* highest version this binary has */

/* ---- writes ---- */

typedef int (*store_job_fn)(store_tx *tx, void *arg, store_err *err); /* writer thread; 0 = ok */
typedef void (*store_done_fn)(void *arg, const store_err *err);        /* loop thread; err->code 0 = ok */

/* Queues a job (loop thread). run() executes on the writer thread inside its
 * own savepoint; if it returns non-zero (or sets err->code) everything it
 * wrote is rolled back. done() runs on the loop thread after the commit (or
 * the failure), exactly once. Returns STORE_OK, STORE_EBUSY when the queue
 * is full (done is then NOT called), STORE_ECLOSED when closing. */
int store_submit(store *s, store_job_fn run, store_done_fn done, void *arg);

/* Runs one job in its own committed transaction and waits for it (any
 * thread but the loop's own when a writer thread exists: it blocks). */
int store_exec_sync(store *s, store_job_fn run, void *arg, store_err *err);

/* Current time (ms) of the job running in tx: one clock read per job. */
int64_t store_tx_now(store_tx *tx);

/* ---- streams and the listener ---- */
typedef enum store_stream {
    STORE_STREAM_OPERATIONS,
    STORE_STREAM_SUB_OPERATIONS,
    STORE_STREAM_COMPLETES,
    STORE_STREAM_NOTES,
    STORE_STREAM_WORK_ORDERS,   /* mesd's own: status changes of process orders (004) */
    STORE_STREAM_COUNT
} store_stream;

/* Called on the loop thread after each commit that appended events, with the
 * highest committed seq of every stream. */
typedef void (*store_listener_fn)(void *ctx, const int64_t head[STORE_STREAM_COUNT]);
void store_set_listener(store *s, store_listener_fn fn, void *ctx);

/* Transactions this store has committed (group commits of the writer,
 * store_exec_sync's), read from any thread. It grows once a commit is
 * durable and before anything of it is handed back (the listener, the jobs'
 * callbacks), and for every commit, also one that appended no event (a
 * station deploy): a cache on the loop that finds it unchanged has not been
 * told of any newer commit. */
uint64_t store_commit_count(store *s);

/* Highest committed seq per stream (0: empty). One read. */
int store_stream_heads(store *s, int64_t head[STORE_STREAM_COUNT], store_err *err);

/* Appends a completion or note event whose payload (JSON the subscriber
 * renders as is: these never change) the MES layer built. ref is the order id
 * (completions) or the note id (notes). */
int store_tx_append_event(store_tx *tx, store_stream stream, const char *ref, const char *payload_json,
                          int64_t *seq_out, store_err *err);

/* Savepoints inside a job, for a job made of independent writes (a
 * mutation's root fields): one write rolls back without the others. They
 * nest; each savepoint is ended by exactly one release or rollback. A
 * rollback also forgets the events appended since the savepoint. An error
 * (the transaction is gone: I/O, disk full) means the job must fail. */
typedef struct store_savepoint {
    int64_t head[STORE_STREAM_COUNT];
    bool appended;
} store_savepoint;
int store_tx_savepoint(store_tx *tx, store_savepoint *sp, store_err *err);
int store_tx_release(store_tx *tx, store_err *err);
int store_tx_rollback(store_tx *tx, const store_savepoint *sp, store_err *err);

/* ---- metrics ---- */
#define STORE_BATCH_BUCKETS 8   /* batch sizes 1, 2-3, 4-7, …, 64-127, >=128 */
typedef struct store_metrics {
    uint64_t queue_depth;        /* jobs waiting now */
    uint64_t commits;            /* transactions committed by the writer */
    uint64_t jobs;               /* jobs run */
    uint64_t job_errors;         /* jobs that failed (rolled back alone) */
    uint64_t commit_errors;      /* commits that failed (every job of the batch failed) */
    uint64_t batch_hist[STORE_BATCH_BUCKETS];
    uint64_t read_statements;    /* statements executed on the read connection */
} store_metrics;
void store_get_metrics(store *s, store_metrics *out);

/* ---- tokens ---- */
#define STORE_TOKEN_ID_LEN 12
#define STORE_TOKEN_SECRET_LEN 43    /* 43 letters/digits: 256 bits of entropy */
#define STORE_TOKEN_MAX (5 + STORE_TOKEN_ID_LEN + 1 + STORE_TOKEN_SECRET_LEN + 1)

typedef struct store_token {
    const char *id, *role, *name, *station_id;   /* name, station_id may be NULL */
    int64_t created_at, revoked_at;              /* revoked_at 0: active */
} store_token;

/* Creates a token; writes "mesd_<id>_<secret>" (NUL-terminated) to token_out
 * and the id to id_out. role is "admin", "erp" or "operator". */
int store_tx_token_create(store_tx *tx, const char *role, const char *name, const char *station_id,
                          char token_out[STORE_TOKEN_MAX], char id_out[STORE_TOKEN_ID_LEN + 1], store_err *err);
int store_tx_token_revoke(store_tx *tx, const char *id, store_err *err);  /* ENOTFOUND if unknown */
/* Verifies a presented token (read connection; constant-time hash compare).
 * Returns true and fills *out (in arena) when it is known and not revoked. */
bool store_token_verify(store *s, const char *token, gql_arena *a, store_token *out);
int store_tokens_list(store *s, gql_arena *a, store_token **out, size_t *n, store_err *err);
int store_tokens_empty(store *s, bool *empty, store_err *err);  /* no token at all, revoked included */

/* ---- read passes (store_reads.c) ----
 * A read on the loop may have no result yet (PostgreSQL sends it and the
 * answer comes later). A request then runs in passes: between
 * store_reads_begin and store_reads_end (one synchronous pass on the loop)
 * a read whose result is not in the session records itself as wanted and
 * fails with STORE_PENDING; the caller throws the pass's output away,
 * store_reads_fetch makes the wanted reads available, and the request runs
 * again. Without a session, or on SQLite (unless simulating), every read
 * runs at once as before. Writer-thread reads (store_tx_*) never pend. */
typedef struct store_reads {
    uint64_t *fetched;           /* keys (function + parameters) available: an open-addressed set */
    size_t nfetched, cap;
    uint64_t *wanted;            /* keys recorded by the current pass */
    size_t nwanted, capw;
    uint32_t passes;             /* store_reads_begin calls */
    bool fetching;               /* a fetch is out: done not called yet */
    struct store_reads *outer;   /* the session begun before this one (restored by end) */
    struct pgs_session *pg;      /* PostgreSQL: statements wanted and results fetched */
} store_reads;
void store_reads_init(store_reads *r);
void store_reads_free(store_reads *r);   /* not while fetching */
void store_reads_begin(store *s, store_reads *r);
void store_reads_end(store *s, store_reads *r);
/* Reads wanted since the last fetch (a session may hold several passes'
 * wants: the event bus fetches for every group at once). */
bool store_reads_pending(const store_reads *r);
/* A count that grows with every read the session answered "pending" (also
 * a second read of one statement already wanted): a pass that moved it
 * read something it does not have. */
size_t store_reads_misses(const store_reads *r);
/* PostgreSQL keeps a session's results, each with the fetch (its round,
 * counting from 1) it came in. store_reads_round: the round of the result
 * the session's last read was answered from (0: none, or SQLite, whose
 * reads are always fresh). store_reads_set_floor: until set again (0:
 * none), a result of an earlier round counts as not there and is read
 * again. The event bus executes an event with the floor at the round of the
 * page that named it, so no object shows a state older than its event. */
uint64_t store_reads_round(const store_reads *r);
void store_reads_set_floor(store_reads *r, uint64_t round);
/* Makes the wanted reads available and calls done later on the loop (never
 * from inside this call). STORE_EINPUT when a fetch is already out (done
 * not called then). */
int store_reads_fetch(store *s, store_reads *r, store_done_fn done, void *arg);
/* Simulation (SQLite, for tests: `mesd serve --debug-read-passes`): inside
 * a session every read whose key was not fetched in it pends. */
void store_set_read_passes(store *s, bool simulate);

/* ---- the data model (reads) ---- */
typedef enum store_kind { STORE_KIND_PRODUCT, STORE_KIND_SUBASSEMBLY, STORE_KIND_PROCESS } store_kind;
const char *store_kind_name(store_kind k);   /* "PRODUCT", … */

typedef struct store_operation {
    const char *id, *external_id, *revision, *name, *description, *template_id, *variant_name;
    store_kind kind;
    bool produces_serial;
    int64_t seq, updated_at, archived_at;
} store_operation;
typedef struct store_sub_operation {
    const char *parent_id, *sub_id, *sub_group;
    int64_t position;
    bool optional;
    int64_t seq, updated_at, archived_at;
} store_sub_operation;
typedef struct store_attribute { const char *operation_id, *id, *name, *part_number; } store_attribute;
typedef struct store_step {
    int64_t key;                  /* the store's key for store_actions_of */
    const char *operation_id, *id, *name, *instruction_text;
} store_step;
typedef struct store_action { int64_t step_key; const char *id, *description; } store_action;
typedef struct store_station { const char *id, *name; int64_t updated_at; } store_station;

/* A page of children of many parents, loaded with one statement: the
 * children of parent i are items[first[i] .. first[i+1]). */
#define STORE_CHILDREN(T) struct { T *items; size_t count; size_t *first; }
typedef STORE_CHILDREN(store_attribute) store_attributes;
typedef STORE_CHILDREN(store_sub_operation) store_sub_operations;
typedef STORE_CHILDREN(store_step) store_steps;
typedef STORE_CHILDREN(store_action) store_actions;
typedef STORE_CHILDREN(store_operation) store_operations;

/* ---- filters ---- */
typedef enum store_filter_kind {
    STORE_F_AND,     /* children (none: true) */
    STORE_F_OR,      /* children (none: false) */
    STORE_F_NOT,     /* children[0] */
    STORE_F_CMP,     /* field op values */
    STORE_F_OBJECT   /* field names an object field; children[0] filters that object */
} store_filter_kind;
typedef enum store_cmp {
    STORE_EQ, STORE_NEQ, STORE_IN, STORE_NIN, STORE_GT, STORE_GTE, STORE_LT, STORE_LTE,
    STORE_IS_NULL,   /* values[0] is a bool: true = is null, false = is not null */
    STORE_LIKE       /* strings only; case-sensitive, % and _ as in SQL */
} store_cmp;
typedef enum store_value_kind { STORE_V_STRING, STORE_V_INT, STORE_V_BOOL, STORE_V_TIME } store_value_kind;
typedef struct store_value {
    store_value_kind kind;
    const char *s;      /* STRING (ids, enums and strings alike) */
    int64_t i;          /* INT, BOOL (0/1), TIME (ms) */
} store_value;
typedef struct store_filter {
    store_filter_kind kind;
    const char *field;              /* CMP, OBJECT: the API's field name ("externalId", "operation") */
    store_cmp op;
    const store_value *values;      /* CMP: one value, or any number for IN/NIN */
    size_t nvalues;
    struct store_filter *const *children;
    size_t nchildren;
} store_filter;
/* Which type a filter applies to (the type's `<Type>_bool_exp`). */
typedef enum store_entity {
    STORE_E_OPERATION, STORE_E_SUB_OPERATION, STORE_E_STATION, STORE_E_OPERATOR, STORE_E_OPERATION_ORDER,
    /* filtered on a completion's or note's stored payload (issue 4) */
    STORE_E_OPERATION_ORDER_COMPLETE, STORE_E_OPERATION_SUMMARY, STORE_E_STATE,
    STORE_E_NOTE_EVENT, STORE_E_NOTE_TYPE, STORE_E_NOTE_STATE,
    /* Station and Operator as a payload holds them (same fields as
     * STORE_E_STATION and STORE_E_OPERATOR; the payload's copy, which never
     * changes): in a completion's State, in a note's NoteState */
    STORE_E_STATE_STATION, STORE_E_STATE_OPERATOR, STORE_E_NOTE_STATION, STORE_E_NOTE_OPERATOR,
    /* a work-order event, and the stations that can do its process (object
     * field "stations", compared on "stationId"): no GraphQL `where` names
     * them; the stream's stationId argument is this filter */
    STORE_E_WORK_ORDER_EVENT, STORE_E_STATION_PROCESS,
    STORE_E_COUNT
} store_entity;
/* What a field name is in entity e's filter, from the same table the
 * backend compiles with (so the MES layer keeps no copy of it): a comparable
 * field whose values have `kind` (id: a text id, lower-cased like every id
 * the MES layer receives), or an object field that nests entity `nested`.
 * false when e has no such field. */
typedef struct store_filter_field {
    bool object;
    store_entity nested;     /* object */
    store_value_kind kind;   /* comparable */
    bool id;
} store_filter_field;
bool store_filter_field_info(store_entity e, const char *name, store_filter_field *out);
/* Checks that a filter compiles for entity (names, value kinds, operators). */
int store_filter_check(store_entity e, const store_filter *f, store_err *err);

#define STORE_PAGE_MAX 10000    /* most rows one list returns */

/* Lists. where may be NULL; limit < 0: STORE_PAGE_MAX; ordered by id
 * (operations, stations) or by (parent, position) (sub-operations). */
int store_operations_list(store *s, const store_filter *where, int64_t limit, int64_t offset, gql_arena *a,
                          store_operation **out, size_t *n, store_err *err);
int store_sub_operations_list(store *s, const store_filter *where, int64_t limit, int64_t offset, gql_arena *a,
                              store_sub_operation **out, size_t *n, store_err *err);
int store_stations_list(store *s, const store_filter *where, int64_t limit, int64_t offset, gql_arena *a,
                        store_station **out, size_t *n, store_err *err);
/* By id: *out NULL when there is none. */
int store_operation_get(store *s, const char *id, gql_arena *a, store_operation **out, store_err *err);
int store_station_get(store *s, const char *id, gql_arena *a, store_station **out, store_err *err);

/* Children of many parents, ONE statement each (the N+1 rule). */
int store_operations_by_ids(store *s, const char *const *ids, size_t n, gql_arena *a, store_operations *out,
                            store_err *err);   /* per id: zero or one */
int store_consumed_attrs_of(store *s, const char *const *op_ids, size_t n, gql_arena *a, store_attributes *out,
                            store_err *err);   /* the operation's own attributes, in order */
/* Every attribute of every process in each operation's tree (routing order,
 * each attribute once): a product's consumedSerials. */
int store_tree_attrs_of(store *s, const char *const *op_ids, size_t n, gql_arena *a, store_attributes *out,
                        store_err *err);
/* producesSerial of each operation: a process's own flag; a product's (or
 * subassembly's) is its last process's in routing order (through its
 * children, archived links left out), false when its tree has no process.
 * out[i] answers op_ids[i]. One statement. */
int store_tree_produces_serial_of(store *s, const char *const *op_ids, size_t n, bool *out, store_err *err);
int store_sub_operations_of(store *s, const char *const *parent_ids, size_t n, bool with_archived, gql_arena *a,
                            store_sub_operations *out, store_err *err);   /* routing order */
int store_steps_of(store *s, const char *const *op_ids, size_t n, gql_arena *a, store_steps *out, store_err *err);
int store_actions_of(store *s, const int64_t *step_keys, size_t n, gql_arena *a, store_actions *out,
                     store_err *err);
int store_station_processes_of(store *s, const char *const *station_ids, size_t n, gql_arena *a,
                               store_operations *out, store_err *err);

/* Optional read snapshot: reads between begin and end see one committed state. */
int store_snapshot_begin(store *s, store_err *err);
void store_snapshot_end(store *s);

/* ---- stream reads (replay) ---- */
typedef struct store_event {
    int64_t seq, at;
    store_operation *operation;          /* OPERATIONS: the operation as it is now */
    store_sub_operation *sub_operation;  /* SUB_OPERATIONS: the link as it is now */
    const char *ref;                     /* COMPLETES: order id; NOTES: note id */
    const char *payload;                 /* COMPLETES, NOTES: the JSON stored with the event */
    int64_t order_id;                    /* WORK_ORDERS: the order (shown as it is now) */
    const char *status;                  /* WORK_ORDERS: the status the change gave it ("READY", …) */
} store_event;
/* Events with seq > after_seq in seq order, at most limit (<0 or >max:
 * STORE_PAGE_MAX). where (OPERATIONS: an Operation filter, SUB_OPERATIONS: a
 * SubOperation filter) filters on the object's current state; (COMPLETES:
 * an OperationOrderComplete filter, NOTES: a NoteEvent filter) on the
 * stored payload, joined to the operation (and order) as they are now;
 * (WORK_ORDERS: a STORE_E_WORK_ORDER_EVENT filter) on the event's status
 * and the stations that can do its process now. */
int store_stream_read(store *s, store_stream stream, int64_t after_seq, int64_t limit, const store_filter *where,
                      gql_arena *a, store_event **out, size_t *n, store_err *err);
/* The same, bounded: events with after_seq < seq <= upto_seq only. Every
 * such event is committed and never changes once upto_seq is a head the
 * store reported, so the answer does not depend on when the read runs: the
 * event bus reads its pages this way (a read session keeps results, and a
 * page kept from before a later commit must not pass for one that reached
 * the newer head). */
int store_stream_read_upto(store *s, store_stream stream, int64_t after_seq, int64_t upto_seq, int64_t limit,
                           const store_filter *where, gql_arena *a, store_event **out, size_t *n, store_err *err);

/* ---- deploys (write jobs' building blocks) ---- */
typedef struct store_attr_in { const char *id, *name, *part_number; } store_attr_in;
typedef struct store_action_in { const char *id, *description; } store_action_in;
typedef struct store_step_in {
    const char *id, *name, *instruction_text;
    const store_action_in *actions;
    size_t nactions;
} store_step_in;
typedef struct store_process_in {
    const char *id, *name, *description, *part_number, *revision;
    bool produces_serial;
    const store_attr_in *attrs;
    size_t nattrs;
    const store_step_in *steps;
    size_t nsteps;
} store_process_in;
typedef struct store_component_in { const char *operation_id, *group; bool optional; } store_component_in;
typedef struct store_product_in {
    const char *id, *name, *part_number, *revision;
    store_kind kind;                     /* PRODUCT or SUBASSEMBLY */
    const store_component_in *components;   /* routing order */
    size_t ncomponents;
} store_product_in;
typedef struct store_station_in {
    const char *id, *name;
    const char *const *process_ids;
    size_t nprocesses;
} store_station_in;
/* What a deploy did: changed is false when nothing differed (and nothing
 * was appended). */
typedef struct store_deploy_result {
    bool created, changed;
    int events;          /* events appended (operations and sub-operations) */
} store_deploy_result;

/* Upserts; each appends events only for what changed. A process id already
 * used by a product (or the reverse) is STORE_EINPUT; an unknown component or
 * station process is STORE_ENOTFOUND; a product containing itself (directly
 * or through its children) or a component listed twice is STORE_EINPUT. */
int store_tx_deploy_process(store_tx *tx, const store_process_in *in, store_deploy_result *res, store_err *err);
int store_tx_deploy_product(store_tx *tx, const store_product_in *in, store_deploy_result *res, store_err *err);
int store_tx_deploy_station(store_tx *tx, const store_station_in *in, store_deploy_result *res, store_err *err);

/* ---- orders (issue 4): shared row types ----
 * Orders are rows of operation_orders; their API id is the decimal integer
 * id. A root order (parent_id 0) is what the ERP saved; children are created
 * by the waterfall and inherit the root's external ids, index and
 * reservation. */
typedef enum store_order_status {
    STORE_ORDER_CREATED, STORE_ORDER_READY, STORE_ORDER_IN_PROGRESS, STORE_ORDER_COMPLETED, STORE_ORDER_CANCELED
} store_order_status;
const char *store_order_status_name(store_order_status s);   /* "CREATED", … */
typedef struct store_order {
    int64_t id, parent_id;                 /* parent_id 0: a root order */
    const char *external_order_id, *secondary_external_order_id, *operation_id, *reserved_serial_number;
    int64_t order_index;
    store_order_status status;
    const char *station_id;                /* NULL until started */
    int64_t operator_id;                   /* 0 until started */
    int64_t created_at, updated_at, started_at, completed_at;   /* 0: null */
} store_order;
typedef struct store_operator { int64_t id; const char *name; } store_operator;
typedef STORE_CHILDREN(store_order) store_orders;

/* ---- orders: writes (store_orders_write.c; the ORDERS-WRITE helper) ---- */

/* The work-order stream is written here, not by the MES layer: every
 * function below that changes a PROCESS order's status appends one
 * STORE_STREAM_WORK_ORDERS event per order it changed, in the same
 * statement order (a start before its completion, a completion before the
 * waterfall's next READY). Product and subassembly orders get none. */

/* The building blocks of the order mutations, run inside a write job: the
 * rules (orders.c, floor.c, waterfall.c) decide on what the transaction
 * sees, never on a read made outside it. Strings of results go to arena a
 * (the job's; the loop does not touch it while the job runs). */

/* The operation by id as the transaction sees it; *out NULL when none. */
int store_tx_operation_get(store_tx *tx, const char *id, gql_arena *a, store_operation **out, store_err *err);
/* A process's consumed-serial attributes, in order. */
int store_tx_process_attrs(store_tx *tx, const char *op_id, gql_arena *a, store_attribute **out, size_t *n,
                           store_err *err);
/* A product's (or subassembly's) current components in routing order
 * (archived links left out), each with its operation's kind. */
typedef struct store_component {
    const char *operation_id, *group;
    bool optional;
    store_kind kind;
} store_component;
int store_tx_components(store_tx *tx, const char *op_id, gql_arena *a, store_component **out, size_t *n,
                        store_err *err);
/* Whether the station exists, and whether it can do the process. */
int store_tx_station_can(store_tx *tx, const char *station_id, const char *op_id, bool *station_found, bool *can,
                         store_err *err);

/* An order by id; *out NULL when none. */
int store_tx_order_get(store_tx *tx, int64_t id, gql_arena *a, store_order **out, store_err *err);
/* The root order of an idempotency key (externalOrderId NULL and "" are the
 * same key); *out NULL when none. */
int store_tx_order_find_root(store_tx *tx, const char *external_order_id, const char *operation_id,
                             int64_t order_index, gql_arena *a, store_order **out, store_err *err);
/* Inserts an order (id, times, station and operator of `in` are ignored:
 * created_at = updated_at = now); its id in *id_out. A process order's
 * READY is a work-order event. */
int store_tx_order_insert(store_tx *tx, const store_order *in, int64_t *id_out, store_err *err);
/* An order's children (every status), in creation order. */
int store_tx_order_children(store_tx *tx, int64_t parent_id, gql_arena *a, store_order **out, size_t *n,
                            store_err *err);
/* Saving an unstarted root again: its whole tree takes the new inherited
 * fields, and canceled orders of the tree are restored (READY for a
 * process, CREATED for a product or subassembly): a READY event per
 * restored process order. */
int store_tx_order_tree_save(store_tx *tx, int64_t root_id, const char *secondary_external_order_id,
                             const char *reserved_serial_number, store_err *err);
/* The root's selected optional components (replaced as a whole), and the
 * selection that applies to any order of its tree. */
int store_tx_order_set_optionals(store_tx *tx, int64_t root_id, const char *const *op_ids, size_t n,
                                 store_err *err);
int store_tx_order_optionals(store_tx *tx, int64_t order_id, gql_arena *a, const char ***out, size_t *n,
                             store_err *err);
/* The optional components anywhere in an operation's tree (each once). */
int store_tx_tree_optionals(store_tx *tx, const char *op_id, gql_arena *a, const char ***out, size_t *n,
                            store_err *err);
/* Cancels the unstarted roots of (externalOrderId, operationId) with their
 * trees: index >= 0 names one root, -1 all of them. *count: every order
 * canceled, children included. A CANCELED event per process order. */
int store_tx_orders_cancel(store_tx *tx, const char *external_order_id, const char *operation_id, int64_t index,
                           int64_t *count, store_err *err);
/* READY/IN_PROGRESS → IN_PROGRESS at a station by an operator (started_at
 * kept if set), and (with_ancestors: the order has a parent) every CREATED
 * or READY ancestor IN_PROGRESS. One IN_PROGRESS event for the order, a
 * hand-over (already IN_PROGRESS) too: it changes the station's queue. */
int store_tx_order_start(store_tx *tx, int64_t id, const char *station_id, int64_t operator_id, bool with_ancestors,
                         store_err *err);
/* → COMPLETED now; station_id NULL / operator_id 0 keep the order's. A
 * COMPLETED event when it is a process order. */
int store_tx_order_complete(store_tx *tx, int64_t id, const char *station_id, int64_t operator_id,
                            store_err *err);
/* The operator with this name, created if new. */
int store_tx_operator_find_or_create(store_tx *tx, const char *name, int64_t *id, store_err *err);
/* The names of a station and an operator (either may be NULL / 0). */
int store_tx_names(store_tx *tx, const char *station_id, int64_t operator_id, gql_arena *a,
                   const char **station_name, const char **operator_name, store_err *err);

/* Serials. A consumed serial is the pair (key, value), consumed once; key
 * is the component's part number (the attribute id when it has none). A
 * produced serial is (the process's part number, or its id, value),
 * produced once. *taken: the pair was already there (nothing written). */
typedef struct store_serial_in {
    int64_t order_id;
    const char *attribute_id, *attribute_name, *external_id, *key, *value;
} store_serial_in;
int store_tx_serial_consume(store_tx *tx, const store_serial_in *in, bool *taken, store_err *err);
int store_tx_serial_produce(store_tx *tx, int64_t order_id, const char *key, const char *value, bool *taken,
                            store_err *err);

/* What a completion reports about an order's subtree (the order and every
 * descendant): the first start, the last completed process (its produced
 * serial, time, station and operator), every serial captured, in capture
 * order. */
typedef struct store_captured_serial { const char *attribute_id, *name, *external_id, *value; } store_captured_serial;
typedef struct store_order_summary {
    int64_t started_at;                          /* 0: never started */
    bool has_end;
    int64_t end_at, end_operator_id;
    const char *end_produced_serial, *end_station_id, *end_station_name, *end_operator_name;
    store_captured_serial *consumed;
    size_t nconsumed;
} store_order_summary;
/* leaf: the order has no children (a process order), so its subtree is
 * itself and plain lookups answer (no walk of a tree). */
int store_tx_order_summary(store_tx *tx, int64_t order_id, bool leaf, gql_arena *a, store_order_summary *out,
                           store_err *err);

/* Notes: the type with this name (created if new), and the note row. */
int store_tx_note_type(store_tx *tx, const char *name, int64_t *id, store_err *err);
typedef struct store_note_in {
    const char *id, *external_id, *text, *metadata_json, *images_json;
    int64_t order_id, type_id;             /* type_id 0: none */
} store_note_in;
int store_tx_note_insert(store_tx *tx, const store_note_in *in, store_err *err);


/* ---- orders: reads (store_orders_read.c; the ORDERS-READ helper) ---- */
/* ---- orders: reads (store_orders_read.c; the ORDERS-READ helper) ----
 * Loop thread, read connection, one statement per call (the N+1 rule). */
typedef STORE_CHILDREN(store_operator) store_operators;
typedef STORE_CHILDREN(store_station) store_stations;
/* Orders matching an OperationOrder filter (where may be NULL), in creation
 * order; limit < 0: STORE_PAGE_MAX. */
int store_orders_list(store *s, const store_filter *where, int64_t limit, int64_t offset, gql_arena *a,
                      store_order **out, size_t *n, store_err *err);
/* Per id zero or one order. */
int store_orders_by_ids(store *s, const int64_t *ids, size_t n, gql_arena *a, store_orders *out, store_err *err);
/* The waterfall children of each order, in creation order. */
int store_orders_children_of(store *s, const int64_t *parent_ids, size_t n, gql_arena *a, store_orders *out,
                             store_err *err);
/* The shop-floor queue: orders of processes with one of the statuses
 * (statuses NULL: READY and IN_PROGRESS; nstatuses 0 with a non-NULL
 * statuses: none), oldest first. With station_id: the processes that
 * station can do, and of the orders started somewhere, only those started
 * there; NULL: every station. At most STORE_PAGE_MAX. */
int store_work_orders(store *s, const char *station_id, const store_order_status *statuses, size_t nstatuses,
                      gql_arena *a, store_order **out, size_t *n, store_err *err);
/* Every operator, ordered by id. */
int store_operators_list(store *s, gql_arena *a, store_operator **out, size_t *n, store_err *err);
/* Per id zero or one. */
int store_operators_by_ids(store *s, const int64_t *ids, size_t n, gql_arena *a, store_operators *out,
                           store_err *err);
int store_stations_by_ids(store *s, const char *const *ids, size_t n, gql_arena *a, store_stations *out,
                          store_err *err);

/* ---- webhooks (store_webhooks.c; the HOOK helper) ----
   A subscription of one stream and its outbox: one row per event of that
   stream not yet acknowledged by a 2xx, written in the event's own
   transaction (store_tx_webhook_outbox_fill, called wherever an event is
   appended), so an event committed is an event that will be delivered. */
typedef struct store_webhook {
    const char *id, *response_fragment, *url, *headers_json, *secret;
    store_stream stream;
    int64_t created_at;
    int64_t last_delivered_seq;   /* -1: none yet */
    int64_t pending;              /* rows in its outbox */
    bool failing;
} store_webhook;
/* "operations", "sub_operations", "completes", "notes" (the table's names);
 * NULL for STORE_STREAM_WORK_ORDERS: no webhook can name that stream (a
 * fragment is on one of the four Pico types), so it has no outbox. */
const char *store_stream_name(store_stream s);
/* One outbox row per subscription of stream for the event seq, due now. */
int store_tx_webhook_outbox_fill(store_tx *tx, store_stream stream, int64_t seq, store_err *err);
/* Registers w (id, stream, response_fragment, url, headers_json, secret),
 * replacing a subscription with that id and dropping its outbox; it starts
 * at the stream's current head (nothing already written is delivered).
 * *replaced says whether one existed. */
int store_tx_webhook_put(store_tx *tx, const store_webhook *w, bool *replaced, store_err *err);
/* Removes the subscription and its outbox; *found false if there was none. */
int store_tx_webhook_delete(store_tx *tx, const char *id, bool *found, store_err *err);
/* Every subscription, by id, with its pending count. */
int store_webhooks_list(store *s, gql_arena *a, store_webhook **out, size_t *n, store_err *err);

/* ---- webhooks: delivery (webhook_delivery.c's reads and writes) ---- */
typedef struct store_webhook_due {
    int64_t outbox_id, seq, attempts, created_at, next_attempt_at;
    store_webhook w;   /* pending and last_delivered_seq unset */
} store_webhook_due;
/* The subscriptions whose oldest outbox row is due at now, oldest due
 * first: what the delivery scan may start (each its next row only, strict
 * seq order). Every one is listed, at one index probe each. */
typedef struct store_webhook_due_sub {
    const char *id, *url;
} store_webhook_due_sub;
int store_webhooks_due(store *s, int64_t now, gql_arena *a, store_webhook_due_sub **out, size_t *n,
                       store_err *err);
/* The oldest outbox row of one subscription, due or not (*found false when
 * its outbox is empty or it does not exist): what a subscription sends next
 * once its previous delivery is acknowledged. */
int store_webhook_head(store *s, const char *sub_id, gql_arena *a, store_webhook_due *out, bool *found,
                       store_err *err);
/* A 2xx: the row goes, the subscription's last_delivered_seq moves on and
 * it is no longer failing. */
int store_tx_webhook_delivered(store_tx *tx, int64_t outbox_id, const char *sub_id, int64_t seq, store_err *err);
/* A failure: attempts + 1, next try at next_at, and the subscription is
 * failing when the row's first failure was before failing_before. Both
 * calls name the row by (outbox_id, sub_id, seq) and do nothing when it is
 * gone (the subscription was removed or replaced while it was out). */
int store_tx_webhook_failed(store_tx *tx, int64_t outbox_id, const char *sub_id, int64_t seq, int64_t next_at,
                            const char *error, int64_t failing_before, store_err *err);
/* Rows in every outbox, and subscriptions marked failing. */
int store_webhooks_counts(store *s, int64_t *pending, int64_t *failing, store_err *err);

#endif
