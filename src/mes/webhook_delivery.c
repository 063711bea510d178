/*
 * webhook_delivery.c: how a webhook delivery is signed and when a failed
 * one is retried (api.md "Webhooks").
 *
 * Must never: sign anything but "<timestamp>.<body>" exactly as sent, or
 * retry sooner than the schedule says (a receiver that is down must not be
 * hammered).
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "webhooks.h"

bool mes_webhook_sign(const char *secret, int64_t timestamp, const char *body, size_t len,
                      char out[MES_WEBHOOK_SIG_LEN + 1]) {
    char ts[24];
    int tl = snprintf(ts, sizeof ts, "%lld.", (long long)timestamp);
    /* one buffer: HMAC() is the one-shot call OpenSSL 3 keeps undeprecated */
    unsigned char *msg = malloc((size_t)tl + len + 1);
    if (!msg) return false;
    memcpy(msg, ts, (size_t)tl);
    if (len) memcpy(msg + tl, body, len);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int maclen = 0;
    bool ok = HMAC(EVP_sha256(), secret, (int)strlen(secret), msg, (size_t)tl + len, mac, &maclen) && maclen == 32;
    free(msg);
    if (!ok) return false;
    memcpy(out, "sha256=", 7);
    for (unsigned i = 0; i < 32; i++) snprintf(out + 7 + 2 * i, 3, "%02x", mac[i]);
    return true;
}

int64_t mes_webhook_backoff_ms(int attempt, double rnd) {
    const int64_t cap = 10 * 60 * 1000;
    int64_t base = 1000;
    for (int i = 1; i < attempt && base < cap; i++) base *= 2;
    if (base > cap) base = cap;
    if (rnd < 0) rnd = 0;
    if (rnd >= 1) rnd = 0.999999;
    /* "equal jitter": never sooner than half the step, so the doubling still
       spaces the retries out */
    return base / 2 + (int64_t)((double)(base / 2) * rnd);
}
