/*
 * store_deploy_rules.h: what a deploy decides whatever the backend stores it
 * in (store_deploy.c, store_pg_deploy.c): the refusals of input that breaks
 * a rule (with their messages), the digest that answers "changed?" in one
 * compare, and which of a product's links are to be written or archived.
 * One copy, so both backends refuse, stream and skip exactly alike.
 *
 * Must never: touch a database (the callers do), or let two backends'
 * digests of one deploy differ (a database moved between them would see
 * every operation as changed).
 */
#ifndef MESD_STORE_DEPLOY_RULES_H
#define MESD_STORE_DEPLOY_RULES_H
#include <stdbool.h>
#include <stdint.h>
#include "store.h"

#define DEPLOY_DIGEST_LEN 32   /* SHA-256 */

/* Input refusals (STORE_EINPUT with the message the API shows), checked
 * before anything is read. */
int deploy_check_process(const store_process_in *in, store_err *err);
int deploy_check_product(const store_product_in *in, store_err *err);
int deploy_check_station(const store_station_in *in, store_err *err);

/* The digest of everything a deploy sets (length-prefixed fields). */
void deploy_process_digest(const store_process_in *in, unsigned char out[DEPLOY_DIGEST_LEN]);
void deploy_product_digest(const store_product_in *in, unsigned char out[DEPLOY_DIGEST_LEN]);
void deploy_station_digest(const store_station_in *in, unsigned char out[DEPLOY_DIGEST_LEN]);

/* The refusal of a product whose id is a process's (existing_kind: the
 * stored operation's kind), and of a process whose id is a product's or
 * subassembly's; STORE_OK otherwise. */
int deploy_check_kind(const char *id, const char *existing_kind, bool process, store_err *err);

/* A product's stored links, as the backend read them (strings owned). */
typedef struct deploy_link {
    char *sub_id, *group;
    int64_t position;
    bool optional, archived, seen;
} deploy_link;
typedef struct deploy_links {
    deploy_link *v;
    size_t n, cap;
} deploy_links;
/* Appends a copy of one stored link (group may be NULL). */
void deploy_links_push(deploy_links *l, const char *sub_id, const char *group, int64_t position, bool optional,
                       bool archived);
void deploy_links_free(deploy_links *l);

/* Streams each link that is new, changed, re-added (write: component i of
 * in at position i) or removed (archive), in that order, counting one event
 * each in *events; stops at the first error. */
typedef struct deploy_link_ops {
    int (*write)(void *ctx, const store_component_in *c, int64_t position, store_err *err);
    int (*archive)(void *ctx, const char *sub_id, store_err *err);
} deploy_link_ops;
int deploy_links_sync(const store_product_in *in, deploy_links *old, const deploy_link_ops *ops, void *ctx,
                      int *events, store_err *err);

#endif
