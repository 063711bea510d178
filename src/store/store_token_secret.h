/*
 * store_token_secret.h: what a token is, whatever the backend stores it in
 * (store_tokens.c, store_pg_tokens.c): "mesd_<id>_<secret>", the id drawn
 * from 12 and the secret from 43 uniform letters and digits, the secret
 * kept only as its SHA-256 and compared in constant time.
 *
 * Must never: keep a secret in memory longer than the call that made it.
 */
#ifndef MESD_STORE_TOKEN_SECRET_H
#define MESD_STORE_TOKEN_SECRET_H
#include <stdbool.h>
#include "store.h"

#define STORE_TOKEN_HASH_LEN 32

/* A new token of role (admin, erp or operator: STORE_EINPUT otherwise): its
 * id, its secret and the secret's hash. The caller cleanses secret. */
int store_token_new(const char *role, char id[STORE_TOKEN_ID_LEN + 1], char secret[STORE_TOKEN_SECRET_LEN + 1],
                    unsigned char hash[STORE_TOKEN_HASH_LEN], store_err *err);

/* "mesd_<id>_<secret>" into token_out and the id into id_out; cleanses
 * secret. */
void store_token_hand_out(const char id[STORE_TOKEN_ID_LEN + 1], char secret[STORE_TOKEN_SECRET_LEN + 1],
                          char token_out[STORE_TOKEN_MAX], char id_out[STORE_TOKEN_ID_LEN + 1]);

/* A presented token's id (copied) and the hash of its secret; false when it
 * is not of the token's shape. */
bool store_token_parse(const char *token, char id[STORE_TOKEN_ID_LEN + 1], unsigned char hash[STORE_TOKEN_HASH_LEN]);

/* Whether a stored hash (len bytes) is the presented one: constant time. */
bool store_token_hash_matches(const unsigned char presented[STORE_TOKEN_HASH_LEN], const void *stored, size_t len);

#endif
