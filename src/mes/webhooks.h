/*
 * webhooks.h: what the webhook files share (webhooks.c: the mutations and
 * the query; webhook_delivery.c: signing, the retry schedule, delivery),
 * and what the unit tests reach. Private to src/mes.
 */
#ifndef MES_WEBHOOKS_H
#define MES_WEBHOOKS_H
#include "domain.h"

/* The four streams a responseFragment may pick, by its type condition. */
typedef struct mes_webhook_stream {
    const char *type;    /* "Operation" … */
    const char *field;   /* "operationsStream" … */
    store_stream stream;
} mes_webhook_stream;
const mes_webhook_stream *mes_webhook_stream_of_type(const char *type);
const mes_webhook_stream *mes_webhook_stream_of(store_stream s);

/* Checks a responseFragment: exactly one fragment definition, on one of the
 * four event types, valid against the schema as the selection of its
 * stream's subscription field. true with *stream set; false with the
 * engine's (or our) message in msg. */
bool mes_webhook_fragment_check(gql_schema *s, const char *fragment, store_stream *stream, char *msg,
                                size_t msglen);
/* The subscription document a delivery executes for fragment (malloc'd):
 * "<fragment>\nsubscription { <field> { ...<name> } }". NULL if the
 * fragment does not parse to one fragment. */
char *mes_webhook_document(const char *fragment, store_stream stream);

/* subscriptionID: ^[A-Za-z0-9_-]{1,64}$ */
bool mes_webhook_id_valid(const char *id);

/* X-Mesd-Signature's value: "sha256=" + hex HMAC-SHA256 of
 * "<timestamp>.<body>" under secret. out holds 7 + 64 + 1 bytes. */
#define MES_WEBHOOK_SIG_LEN (7 + 64)
bool mes_webhook_sign(const char *secret, int64_t timestamp, const char *body, size_t len,
                      char out[MES_WEBHOOK_SIG_LEN + 1]);
/* The delay (ms) before retry number attempt (1: after the first failure):
 * 1 s doubling up to 10 min, then jittered by rnd in [0, 1): the result is
 * in [base / 2, base]. */
int64_t mes_webhook_backoff_ms(int attempt, double rnd);

/* --webhook-allow: comma-separated host names, IP addresses and CIDR
 * networks. An empty or NULL list is *out NULL (any receiver); false with a
 * message for an entry that is not one of those. */
typedef struct mes_webhook_allow mes_webhook_allow;
bool mes_webhook_allow_parse(const char *list, mes_webhook_allow **out, char *err, size_t errlen);
void mes_webhook_allow_free(mes_webhook_allow *a);
/* A URL's host as mesd compares it: lower case, without trailing dots, an
 * IPv6 literal without its brackets ("EXAMPLE.com." is "example.com"). */
void mes_webhook_host_normalize(char *host);
/* host: the URL's host, normalized; ip: the address connected to (may be
 * NULL; an IPv4-mapped IPv6 address counts as its IPv4 address). */
bool mes_webhook_allowed(const mes_webhook_allow *a, const char *host, const char *ip);

/* At subscribe time: false with a message when the running engine's
 * --webhook-allow can never let url's host through (a host name not listed
 * while the list has no network a name could resolve into, or an address
 * outside every listed network). A name that may resolve into a listed
 * network passes here and is checked again at each delivery, against the
 * address connected to. true when no engine runs or the list is empty. */
bool mes_webhook_url_allowed(mes *m, const char *url, char *msg, size_t msglen);

bool mes_bind_webhooks(mes *m, gql_schema *s, char *err, size_t errlen);

#endif
