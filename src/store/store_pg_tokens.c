/*
 * store_pg_tokens.c: API tokens on PostgreSQL, the counterpart of
 * store_tokens.c: the same token, the same columns (secret_hash is bytea,
 * sent and read in libpq's hex form), the same answers.
 *
 * Must never: store or log a secret, compare hashes in variable time, or
 * accept a revoked token.
 */
#include <inttypes.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pg_util.h"
#include "store_pg.h"
#include "store_token_secret.h"

/* bytea's text input: "\x" and two hex digits a byte. */
static void bytea_hex(const unsigned char *b, size_t n, char *out) {
    static const char hex[] = "0123456789abcdef";
    *out++ = '\\', *out++ = 'x';
    for (size_t i = 0; i < n; i++) *out++ = hex[b[i] >> 4], *out++ = hex[b[i] & 15];
    *out = 0;
}

/* Every server reloads its tokens when the transaction commits
 * (store_pg_server.c): a revoked token is refused on every instance. */
static int notify_tokens(store_tx *tx, store_err *err) {
    PGresult *r = pg_tx_query(tx->pg, NULL, "NOTIFY mesd_tokens", 0, NULL, err);
    if (!r) return err->code;
    PQclear(r);
    return STORE_OK;
}

int pgs_tx_token_create(store_tx *tx, const char *role, const char *name, const char *station_id,
                        char token_out[STORE_TOKEN_MAX], char id_out[STORE_TOKEN_ID_LEN + 1], store_err *err) {
    char id[STORE_TOKEN_ID_LEN + 1], secret[STORE_TOKEN_SECRET_LEN + 1];
    unsigned char hash[STORE_TOKEN_HASH_LEN];
    if (store_token_new(role, id, secret, hash, err)) return err->code;
    char hash_hex[3 + 2 * STORE_TOKEN_HASH_LEN], now[24];
    bytea_hex(hash, sizeof hash, hash_hex);
    snprintf(now, sizeof now, "%" PRId64, tx->now);
    const char *params[] = {id, role, name, station_id, hash_hex, now};
    PGresult *r = pg_tx_query(tx->pg, "token_create",
                              "INSERT INTO tokens (id, role, name, station_id, secret_hash, created_at)"
                              " VALUES ($1, $2, $3, $4, $5::bytea, $6::bigint)",
                              6, params, err);
    OPENSSL_cleanse(hash, sizeof hash);
    OPENSSL_cleanse(hash_hex, sizeof hash_hex);
    if (!r) {
        OPENSSL_cleanse(secret, sizeof secret);
        return err->code;
    }
    PQclear(r);
    if (notify_tokens(tx, err)) {
        OPENSSL_cleanse(secret, sizeof secret);
        return err->code;
    }
    store_token_hand_out(id, secret, token_out, id_out);
    return STORE_OK;
}

int pgs_tx_token_revoke(store_tx *tx, const char *id, store_err *err) {
    char now[24];
    snprintf(now, sizeof now, "%" PRId64, tx->now);
    const char *params[] = {now, id};
    PGresult *r = pg_tx_query(tx->pg, "token_revoke",
                              "UPDATE tokens SET revoked_at = $1::bigint WHERE id = $2 AND revoked_at IS NULL", 2,
                              params, err);
    if (!r) return err->code;
    bool changed = strcmp(PQcmdTuples(r), "1") == 0;
    PQclear(r);
    if (changed) return notify_tokens(tx, err);
    /* already revoked is done; unknown is an error */
    r = pg_tx_query(tx->pg, "token_exists", "SELECT 1 FROM tokens WHERE id = $1", 1, params + 1, err);
    if (!r) return err->code;
    bool found = PQntuples(r) == 1;
    PQclear(r);
    if (found) return STORE_OK;
    return store_set_err(err, STORE_ENOTFOUND, "no token with id %s", id ? id : "");
}

/* ---- reads: the store's blocking connection (command line only) ---- */

#define TOKEN_COLS "id, role, name, station_id, created_at, revoked_at"

static void read_token(const PGresult *r, int row, gql_arena *a, store_token *t) {
    t->id = pg_text(r, row, 0, a);
    t->role = pg_text(r, row, 1, a);
    t->name = pg_text(r, row, 2, a);
    t->station_id = pg_text(r, row, 3, a);
    t->created_at = pg_i64(r, row, 4);
    t->revoked_at = pg_i64(r, row, 5);
}

bool pgs_token_verify(store *s, const char *token, gql_arena *a, store_token *out) {
    if (s->pg->server_loop) return pgs_server_token_verify(s, token, a, out);
    char id[STORE_TOKEN_ID_LEN + 1];
    unsigned char hash[STORE_TOKEN_HASH_LEN];
    if (!store_token_parse(token, id, hash)) return false;
    store_err err;
    const char *params[] = {id};
    PGresult *r = pg_exec(s->pg->db, "SELECT " TOKEN_COLS ", secret_hash FROM tokens WHERE id = $1", 1, params, &err);
    if (!r) return false;
    bool ok = false;
    if (PQntuples(r) == 1 && PQgetisnull(r, 0, 5)) {
        size_t len = 0;
        unsigned char *stored = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 6), &len);
        ok = stored && store_token_hash_matches(hash, stored, len);
        PQfreemem(stored);
        if (ok && out) read_token(r, 0, a, out);
    }
    PQclear(r);
    return ok;
}

int pgs_tokens_list(store *s, gql_arena *a, store_token **out, size_t *n, store_err *err) {
    PGresult *r = pg_exec(s->pg->db, "SELECT " TOKEN_COLS " FROM tokens ORDER BY created_at, id", 0, NULL, err);
    if (!r) return err->code;
    size_t count = (size_t)PQntuples(r);
    store_token *v = gql_arena_alloc(a, (count ? count : 1) * sizeof *v);
    for (size_t i = 0; i < count; i++) read_token(r, (int)i, a, &v[i]);
    PQclear(r);
    *out = v;
    *n = count;
    return STORE_OK;
}

int pgs_tokens_empty(store *s, bool *empty, store_err *err) {
    PGresult *r = pg_exec(s->pg->db, "SELECT EXISTS (SELECT 1 FROM tokens)", 0, NULL, err);
    if (!r) return err->code;
    *empty = strcmp(PQgetvalue(r, 0, 0), "f") == 0;
    PQclear(r);
    return STORE_OK;
}
