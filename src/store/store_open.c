/*
 * store_open.c: opening a SQLite database (the --db URL, both connections
 * and their pragmas), applying the embedded migrations, and closing. The
 * writer thread itself is store_writer.c; a postgres:// URL goes to
 * store_pg_open.c.
 *
 * Must never: open a database whose schema is newer than this binary, or
 * leave a half-applied migration (each runs in one transaction).
 */
#include <stdlib.h>
#include <string.h>
#include "store_internal.h"

int store_schema_version_known(void) {
    return store_migrations[store_migrations_count - 1].version;
}

int sq_schema_version(store *s) { return s->version; }

/* "sqlite:PATH" -> PATH (malloc'd). */
static char *parse_url(const char *url, store_err *err) {
    if (!url || !*url) url = STORE_DEFAULT_URL;
    if (strncmp(url, "sqlite:", 7) == 0) {
        const char *p = url + 7;
        if (strncmp(p, "//", 2) == 0) p += 2;   /* sqlite://PATH reads the same */
        if (!*p) { store_set_err(err, STORE_EURL, "--db %s: no file name after sqlite:", url); return NULL; }
        if (p[0] == ':' && strcmp(p, ":memory:") == 0) {
            /* two connections would see two different databases */
            store_set_err(err, STORE_EURL, "--db %s: an in-memory database is not supported", url);
            return NULL;
        }
        char *path = strdup(p);
        if (!path) abort();
        return path;
    }
    store_set_err(err, STORE_EURL, "--db %s: expected sqlite:PATH or postgres://…", url);
    return NULL;
}

static sqlite3 *open_conn(const char *path, bool writer, store_err *err) {
    sqlite3 *db = NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path, &db, flags, NULL);
    if (rc != SQLITE_OK) {
        store_set_err(err, STORE_EIO, "cannot open database %s: %s", path,
                      db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, 5000);
    /* synchronous=FULL: a commit returns only once the WAL is fsynced, so
     * acknowledging after commit means acknowledging a durable write.
     * case_sensitive_like: `_like` compares as PostgreSQL's LIKE does. */
    const char *pragmas = "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; PRAGMA trusted_schema=OFF;"
                          "PRAGMA case_sensitive_like=ON;";
    if (store_exec(db, pragmas, err) != STORE_OK) goto fail;
    if (writer) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &st, NULL) != SQLITE_OK ||
            sqlite3_step(st) != SQLITE_ROW || strcmp((const char *)sqlite3_column_text(st, 0), "wal") != 0) {
            store_set_err(err, STORE_EIO, "cannot put database %s in WAL mode: %s", path, sqlite3_errmsg(db));
            sqlite3_finalize(st);
            goto fail;
        }
        sqlite3_finalize(st);
    }
    return db;
fail:
    if (err->code == STORE_OK) err->code = STORE_EIO;
    sqlite3_close(db);
    return NULL;
}

static int read_version(sqlite3 *db, int *version, store_err *err) {
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT coalesce(max(version), 0) FROM schema_version", -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        store_sqlite_err(err, db, rc, "reading the schema version");
        sqlite3_finalize(st);
        return err->code;
    }
    *version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return STORE_OK;
}

static int refuse_newer(int version, store_err *err) {
    return store_set_err(err, STORE_EVERSION, "database schema version %d is newer than this mesd (%d); upgrade mesd",
                         version, store_schema_version_known());
}

/* Applies each missing migration in its own transaction. BEGIN IMMEDIATE
 * and re-reading the version inside it make two processes migrating the
 * same file at once safe: the second finds the work done. */
static int migrate(sqlite3 *db, int *version_out, store_err *err) {
    if (store_exec(db,
                   "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                   " applied_at INTEGER NOT NULL) STRICT",
                   err))
        return err->code;
    int version = 0;
    if (read_version(db, &version, err)) return err->code;
    if (version > store_schema_version_known()) return refuse_newer(version, err);
    for (size_t i = 0; i < store_migrations_count; i++) {
        const store_migration *m = &store_migrations[i];
        if (m->version <= version) continue;
        if (store_exec(db, "BEGIN IMMEDIATE", err)) return err->code;
        int now = 0;
        if (read_version(db, &now, err)) goto rollback;
        if (now > store_schema_version_known()) { refuse_newer(now, err); goto rollback; }
        if (now >= m->version) { store_exec(db, "ROLLBACK", NULL); version = now; continue; }
        if (store_exec(db, m->sql, err)) {
            char what[64 + sizeof err->message];
            snprintf(what, sizeof what, "migration %s: %s", m->name, err->message);
            store_set_err(err, STORE_EIO, "%s", what);
            goto rollback;
        }
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(db, "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                                    -1, &st, NULL);
        if (rc == SQLITE_OK) {
            sqlite3_bind_int(st, 1, m->version);
            sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 3, store_now_ms());
            rc = sqlite3_step(st);
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) { store_sqlite_err(err, db, rc, "recording a migration"); goto rollback; }
        if (store_exec(db, "COMMIT", err)) goto rollback;
        version = m->version;
    }
    *version_out = version;
    return STORE_OK;
rollback:
    store_exec(db, "ROLLBACK", NULL);
    return err->code;
}

int store_writer_start(store *s, store_err *err);   /* store_writer.c */
void store_writer_stop(store *s);

store *store_open(const char *url, uv_loop_t *loop, store_err *err) {
    store_err local;
    if (!err) err = &local;
    err->code = STORE_OK;
    err->message[0] = 0;
    if (store_url_pg(url)) return store_pg_open(url, loop, err);
    if (!sqlite3_threadsafe()) {
        store_set_err(err, STORE_EIO, "this SQLite library is built without thread support");
        return NULL;
    }
    char *path = parse_url(url, err);
    if (!path) return NULL;
    store *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->be = &store_sqlite_backend;
    s->path = path;
    s->wdb = open_conn(path, true, err);
    if (!s->wdb) goto fail;
    if (migrate(s->wdb, &s->version, err)) goto fail;
    s->rdb = open_conn(path, false, err);
    if (!s->rdb) goto fail;
    /* the read connection can never write, whatever a bug asks of it */
    if (store_exec(s->rdb, "PRAGMA query_only=ON", err)) goto fail;
    stmt_cache_init(&s->rcache, s->rdb);
    stmt_cache_init(&s->wcache, s->wdb);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cond, NULL);
    if (store_stream_heads_db(s->wdb, &s->wcache, s->committed_head, err)) goto fail_caches;
    s->loop = loop;
    if (loop && store_writer_start(s, err)) goto fail_caches;
    return s;
fail_caches:
    stmt_cache_free(&s->rcache);
    stmt_cache_free(&s->wcache);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cond);
fail:
    sqlite3_close(s->rdb);
    sqlite3_close(s->wdb);
    free(s->path);
    free(s);
    return NULL;
}

static void free_store(store *s) {
    stmt_cache_free(&s->rcache);
    stmt_cache_free(&s->wcache);
    sqlite3_close(s->rdb);
    sqlite3_close(s->wdb);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cond);
    free(s->path);
    free(s);
}

static void on_async_closed(uv_handle_t *h) { free_store(h->data); }

void sq_close(store *s) {
    if (!s) return;
    if (s->has_writer) {
        store_writer_stop(s);   /* runs what is queued and delivers every callback */
        uv_close((uv_handle_t *)&s->async, on_async_closed);
        return;
    }
    free_store(s);
}

void store_set_listener(store *s, store_listener_fn fn, void *ctx) {
    s->listener = fn;
    s->listener_ctx = ctx;
}

void store_get_metrics(store *s, store_metrics *out) {
    memset(out, 0, sizeof *out);
    out->queue_depth = atomic_load(&s->m_depth);
    out->commits = atomic_load(&s->m_commits);
    out->jobs = atomic_load(&s->m_jobs);
    out->job_errors = atomic_load(&s->m_job_errors);
    out->commit_errors = atomic_load(&s->m_commit_errors);
    for (int i = 0; i < STORE_BATCH_BUCKETS; i++) out->batch_hist[i] = atomic_load(&s->m_batch[i]);
    out->read_statements = atomic_load(&s->rcache.executions);
}
