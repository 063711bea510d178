/*
 * store_tokens.c: API tokens. A token is "mesd_<id>_<secret>": the id is
 * public (listed, revoked by), the secret is 43 letters and digits drawn
 * uniformly from RAND_bytes (256 bits) and stored only as its SHA-256
 * (drawn and checked in store_token_secret.c, shared with PostgreSQL).
 *
 * Must never: store or log a secret, compare hashes in variable time, or
 * accept a revoked token.
 */
#include <openssl/crypto.h>
#include <string.h>
#include "store_internal.h"
#include "store_token_secret.h"

int sq_tx_token_create(store_tx *tx, const char *role, const char *name, const char *station_id,
                       char token_out[STORE_TOKEN_MAX], char id_out[STORE_TOKEN_ID_LEN + 1], store_err *err) {
    char id[STORE_TOKEN_ID_LEN + 1], secret[STORE_TOKEN_SECRET_LEN + 1];
    unsigned char hash[STORE_TOKEN_HASH_LEN];
    if (store_token_new(role, id, secret, hash, err)) return err->code;
    sqlite3_stmt *st = stmt_get(tx->cache,
                                "INSERT INTO tokens (id, role, name, station_id, secret_hash, created_at)"
                                " VALUES (?, ?, ?, ?, ?, ?)",
                                err);
    if (!st) return err->code;
    bind_text(st, 1, id);
    bind_text(st, 2, role);
    bind_text(st, 3, name);
    bind_text(st, 4, station_id);
    sqlite3_bind_blob(st, 5, hash, sizeof hash, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 6, tx->now);
    int rc = sqlite3_step(st);
    stmt_put(tx->cache, st);
    OPENSSL_cleanse(hash, sizeof hash);
    if (rc != SQLITE_DONE) {
        OPENSSL_cleanse(secret, sizeof secret);
        return store_sqlite_err(err, tx->db, rc, "creating a token");
    }
    store_token_hand_out(id, secret, token_out, id_out);
    return STORE_OK;
}

int sq_tx_token_revoke(store_tx *tx, const char *id, store_err *err) {
    sqlite3_stmt *st = stmt_get(tx->cache, "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                                err);
    if (!st) return err->code;
    sqlite3_bind_int64(st, 1, tx->now);
    bind_text(st, 2, id);
    int rc = sqlite3_step(st);
    stmt_put(tx->cache, st);
    if (rc != SQLITE_DONE) return store_sqlite_err(err, tx->db, rc, "revoking a token");
    if (sqlite3_changes(tx->db) == 1) return STORE_OK;
    /* already revoked is done; unknown is an error */
    st = stmt_get(tx->cache, "SELECT 1 FROM tokens WHERE id = ?", err);
    if (!st) return err->code;
    bind_text(st, 1, id);
    rc = sqlite3_step(st);
    stmt_put(tx->cache, st);
    if (rc == SQLITE_ROW) return STORE_OK;
    return store_set_err(err, STORE_ENOTFOUND, "no token with id %s", id ? id : "");
}

static void read_token(sqlite3_stmt *st, gql_arena *a, store_token *t) {
    t->id = col_text(st, 0, a);
    t->role = col_text(st, 1, a);
    t->name = col_text(st, 2, a);
    t->station_id = col_text(st, 3, a);
    t->created_at = col_i64(st, 4);
    t->revoked_at = col_i64(st, 5);
}

bool sq_token_verify(store *s, const char *token, gql_arena *a, store_token *out) {
    char id[STORE_TOKEN_ID_LEN + 1];
    unsigned char hash[STORE_TOKEN_HASH_LEN];
    if (!store_token_parse(token, id, hash)) return false;
    store_err err;
    sqlite3_stmt *st = stmt_get(&s->rcache,
                                "SELECT id, role, name, station_id, created_at, revoked_at, secret_hash"
                                " FROM tokens WHERE id = ?",
                                &err);
    if (!st) return false;
    bind_text(st, 1, id);
    bool ok = false;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 5) == SQLITE_NULL) {
        ok = store_token_hash_matches(hash, sqlite3_column_blob(st, 6), (size_t)sqlite3_column_bytes(st, 6));
        if (ok && out) read_token(st, a, out);
    }
    stmt_put(&s->rcache, st);
    return ok;
}

int sq_tokens_list(store *s, gql_arena *a, store_token **out, size_t *n, store_err *err) {
    sqlite3_stmt *st = stmt_get(&s->rcache,
                                "SELECT id, role, name, station_id, created_at, revoked_at FROM tokens"
                                " ORDER BY created_at, id",
                                err);
    if (!st) return err->code;
    size_t cap = 8, count = 0;
    store_token *v = gql_arena_alloc(a, cap * sizeof *v);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (count == cap) { v = gql_arena_grow(a, v, cap, cap * 2, sizeof *v); cap *= 2; }
        read_token(st, a, &v[count++]);
    }
    stmt_put(&s->rcache, st);
    if (rc != SQLITE_DONE) return store_sqlite_err(err, s->rdb, rc, "listing tokens");
    *out = v;
    *n = count;
    return STORE_OK;
}

int sq_tokens_empty(store *s, bool *empty, store_err *err) {
    sqlite3_stmt *st = stmt_get(&s->rcache, "SELECT EXISTS (SELECT 1 FROM tokens)", err);
    if (!st) return err->code;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *empty = sqlite3_column_int(st, 0) == 0;
    stmt_put(&s->rcache, st);
    return rc == SQLITE_ROW ? STORE_OK : store_sqlite_err(err, s->rdb, rc, "counting tokens");
}
