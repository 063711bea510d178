/*
 * auth.c: who a presented token is, with a small cache, and the role names.
 *
 * store_token_verify costs a read and a SHA-256; a busy client presents the
 * same token thousands of times a second, so a verified token is trusted for
 * token_cache_ms (default 1000: a revoked token is refused within a second,
 * as cli.md promises). The cache is direct-mapped and fixed in size: a
 * collision only costs a verification. Unknown tokens are never cached, so a
 * token created a moment ago works at once.
 *
 * Must never: compare a presented token with a non-constant-time compare,
 * trust a cache entry past its expiry, or grow with the tokens presented.
 */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core.h"

#define AUTH_SLOTS 1024   /* a power of two */

struct mes_auth_entry {
    uint64_t hash;
    uint64_t expires;      /* uv_hrtime() in ms; 0: empty */
    char token[STORE_TOKEN_MAX];   /* NUL-padded: compared whole */
    mes_principal who;
};

static const char *const role_names[] = {"admin", "erp", "operator"};

const char *mes_role_name(mes_role r) {
    return (unsigned)r < sizeof role_names / sizeof *role_names ? role_names[r] : "unknown";
}

bool mes_role_parse(const char *name, mes_role *out) {
    for (size_t i = 0; name && i < sizeof role_names / sizeof *role_names; i++)
        if (strcmp(name, role_names[i]) == 0) {
            *out = (mes_role)i;
            return true;
        }
    return false;
}

void mes_auth_init(mes_auth *a) {
    a->size = AUTH_SLOTS;
    a->count = 0;
    a->slots = calloc(AUTH_SLOTS, sizeof *a->slots);
    if (!a->slots) abort();
}

void mes_auth_free(mes_auth *a) {
    if (a->slots) OPENSSL_cleanse(a->slots, a->size * sizeof *a->slots);   /* token texts */
    free(a->slots);
    a->slots = NULL;
}

static bool principal_of(const store_token *t, mes_principal *out) {
    memset(out, 0, sizeof *out);
    if (!mes_role_parse(t->role, &out->role)) return false;
    snprintf(out->token_id, sizeof out->token_id, "%s", t->id ? t->id : "");
    if (t->station_id) snprintf(out->station_id, sizeof out->station_id, "%s", t->station_id);
    return true;
}

bool mes_authenticate(mes *m, const char *token, size_t len, mes_principal *out) {
    /* a well-formed token is exactly STORE_TOKEN_MAX - 1 bytes; anything longer
       is refused before it costs a read */
    if (!token || len == 0 || len >= STORE_TOKEN_MAX || memchr(token, 0, len)) return false;
    char padded[STORE_TOKEN_MAX] = {0};
    memcpy(padded, token, len);
    uint64_t h = mes_hash(padded, len, 0);
    /* the clock, not the loop's cached time: a long loop turn must not stretch the cache */
    uint64_t now = uv_hrtime() / 1000000u;
    mes_auth_entry *e = &m->auth.slots[h & (m->auth.size - 1)];
    if (e->expires > now && e->hash == h && CRYPTO_memcmp(e->token, padded, sizeof padded) == 0) {
        *out = e->who;
        return true;
    }
    gql_arena a;
    gql_arena_init(&a, 512);
    store_token t;
    mes_principal who;
    bool ok = store_token_verify(m->st, padded, &a, &t) && principal_of(&t, &who);
    gql_arena_free(&a);
    if (!ok) {
        OPENSSL_cleanse(padded, sizeof padded);
        return false;
    }
    *out = who;
    if (m->cfg.token_cache_ms) {
        memcpy(e->token, padded, sizeof padded);
        e->hash = h;
        e->who = who;
        e->expires = now + m->cfg.token_cache_ms;
    }
    OPENSSL_cleanse(padded, sizeof padded);
    return true;
}
