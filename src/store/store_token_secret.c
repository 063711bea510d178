/*
 * store_token_secret.c: drawing, hashing and checking token secrets, the
 * same for every backend (store_token_secret.h).
 */
#include "store_token_secret.h"
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/* n uniform letters/digits: rejection sampling keeps the 62 symbols equally likely. */
static int random_chars(char *out, size_t n) {
    unsigned char buf[64];
    size_t have = 0, used = sizeof buf;
    while (have < n) {
        if (used == sizeof buf) {
            if (RAND_bytes(buf, sizeof buf) != 1) return -1;
            used = 0;
        }
        unsigned char b = buf[used++];
        if (b >= 248) continue;   /* 248 = 4 * 62 */
        out[have++] = alphabet[b % 62];
    }
    out[n] = 0;
    return 0;
}

static void sha256(const char *s, size_t n, unsigned char out[STORE_TOKEN_HASH_LEN]) {
    unsigned int len = STORE_TOKEN_HASH_LEN;
    EVP_Digest(s, n, out, &len, EVP_sha256(), NULL);
}

static bool valid_role(const char *r) {
    return r && (strcmp(r, "admin") == 0 || strcmp(r, "erp") == 0 || strcmp(r, "operator") == 0);
}

int store_token_new(const char *role, char id[STORE_TOKEN_ID_LEN + 1], char secret[STORE_TOKEN_SECRET_LEN + 1],
                    unsigned char hash[STORE_TOKEN_HASH_LEN], store_err *err) {
    if (!valid_role(role))
        return store_set_err(err, STORE_EINPUT, "role must be admin, erp or operator, not \"%s\"", role ? role : "");
    if (random_chars(id, STORE_TOKEN_ID_LEN) || random_chars(secret, STORE_TOKEN_SECRET_LEN))
        return store_set_err(err, STORE_EIO, "the random number generator failed");
    sha256(secret, STORE_TOKEN_SECRET_LEN, hash);
    return STORE_OK;
}

void store_token_hand_out(const char id[STORE_TOKEN_ID_LEN + 1], char secret[STORE_TOKEN_SECRET_LEN + 1],
                          char token_out[STORE_TOKEN_MAX], char id_out[STORE_TOKEN_ID_LEN + 1]) {
    snprintf(token_out, STORE_TOKEN_MAX, "mesd_%s_%s", id, secret);
    memcpy(id_out, id, STORE_TOKEN_ID_LEN + 1);
    OPENSSL_cleanse(secret, STORE_TOKEN_SECRET_LEN + 1);
}

bool store_token_parse(const char *token, char id[STORE_TOKEN_ID_LEN + 1], unsigned char hash[STORE_TOKEN_HASH_LEN]) {
    if (!token || strncmp(token, "mesd_", 5) != 0) return false;
    const char *start = token + 5, *us = strchr(start, '_');
    if (!us || us - start != STORE_TOKEN_ID_LEN) return false;
    const char *secret = us + 1;
    size_t slen = strlen(secret);
    if (slen != STORE_TOKEN_SECRET_LEN) return false;
    memcpy(id, start, STORE_TOKEN_ID_LEN);
    id[STORE_TOKEN_ID_LEN] = 0;
    sha256(secret, slen, hash);
    return true;
}

bool store_token_hash_matches(const unsigned char presented[STORE_TOKEN_HASH_LEN], const void *stored, size_t len) {
    return len == STORE_TOKEN_HASH_LEN && CRYPTO_memcmp(presented, stored, STORE_TOKEN_HASH_LEN) == 0;
}
