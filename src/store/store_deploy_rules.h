/*
 * store_deploy_rules.h: a deploy whatever the backend stores it in
 * (store_deploy.c, store_pg_deploy.c give their statements as a deploy_io):
 * the refusals of input that breaks a rule (with their messages), the
 * digest that answers "changed?" in one compare, which of a product's links
 * are to be written or archived, and the order of the writes (so of the
 * events). One copy, so both backends refuse, stream and skip exactly alike.
 *
 * Must never: touch a database but through the deploy_io, or let two
 * backends' digests of one deploy differ (a database moved between them
 * would see every operation as changed).
 */
#ifndef MESD_STORE_DEPLOY_RULES_H
#define MESD_STORE_DEPLOY_RULES_H
#include <stdbool.h>
#include <stdint.h>
#include "store.h"

#define DEPLOY_DIGEST_LEN 32   /* SHA-256 */

/* What a deploy found stored under the id. */
typedef struct deploy_existing {
    bool found, archived;
    bool same;        /* its digest is the deploy's */
    char kind[16];    /* an operation's kind ("" for a station) */
} deploy_existing;

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

/* A backend's statements, each inside the job's transaction. */
typedef const unsigned char deploy_digest[DEPLOY_DIGEST_LEN];
typedef struct deploy_io {
    /* the operation's row, or the station's */
    int (*load_operation)(store_tx *tx, const char *id, deploy_digest dg, deploy_existing *ex, store_err *err);
    int (*load_station)(store_tx *tx, const char *id, deploy_digest dg, deploy_existing *ex, store_err *err);
    /* an operation's row, inserted or updated (un-archived) */
    int (*upsert_operation)(store_tx *tx, const char *id, const char *kind, const char *name, const char *description,
                            const char *part_number, const char *revision, bool produces_serial, deploy_digest dg,
                            store_err *err);
    /* a process's steps, actions and consumed-serial attributes replaced */
    int (*write_process_children)(store_tx *tx, const store_process_in *in, store_err *err);
    /* STORE_ENOTFOUND "component X is not a known operation" for the first
     * unknown one in routing order, else STORE_EINPUT "P would contain
     * itself through its components" when it would */
    int (*check_components)(store_tx *tx, const store_product_in *in, store_err *err);
    /* a product's links, ordered by sub_id (bytes): removed ones are
       archived, and streamed, in this order */
    int (*load_links)(store_tx *tx, const char *parent, deploy_links *out, store_err *err);
    /* a link's row written (un-archived) at position, or archived */
    int (*write_link)(store_tx *tx, const char *parent, const store_component_in *c, int64_t position,
                      store_err *err);
    int (*archive_link)(store_tx *tx, const char *parent, const char *sub_id, store_err *err);
    /* an event appended (with its webhook outbox rows) and its row stamped
       with the seq */
    int (*operation_event)(store_tx *tx, const char *id, store_err *err);
    int (*sub_operation_event)(store_tx *tx, const char *parent, const char *sub_id, store_err *err);
    /* the first process id (in order) that is no operation (STORE_ENOTFOUND
     * "process X is not a known operation") or no process (STORE_EINPUT
     * "operation X is not a process") */
    int (*check_station_processes)(store_tx *tx, const store_station_in *in, store_err *err);
    /* a station's row and its processes (stations have no stream) */
    int (*write_station)(store_tx *tx, const store_station_in *in, deploy_digest dg, store_err *err);
} deploy_io;

/* store_tx_deploy_process, _product, _station on a backend's statements:
 * the refusals (input first, then what the stored rows say), "changed?",
 * and the writes in the order both backends stream them. */
int deploy_process(store_tx *tx, const deploy_io *io, const store_process_in *in, store_deploy_result *res,
                   store_err *err);
int deploy_product(store_tx *tx, const deploy_io *io, const store_product_in *in, store_deploy_result *res,
                   store_err *err);
int deploy_station(store_tx *tx, const deploy_io *io, const store_station_in *in, store_deploy_result *res,
                   store_err *err);

/* A backend file's deploy_io and its three table functions (PREFIX##tx_deploy_…),
 * from static functions it names as deploy_io's members. */
#define DEPLOY_BACKEND(PREFIX)                                                                                  \
    static const deploy_io deploy_io_##PREFIX = {                                                               \
        load_operation, load_station, upsert_operation, write_process_children, check_components, load_links,  \
        write_link,     archive_link, operation_event,  sub_operation_event,    check_station_processes,        \
        write_station};                                                                                         \
    int PREFIX##tx_deploy_process(store_tx *tx, const store_process_in *in, store_deploy_result *res,          \
                                  store_err *err) {                                                             \
        return deploy_process(tx, &deploy_io_##PREFIX, in, res, err);                                           \
    }                                                                                                           \
    int PREFIX##tx_deploy_product(store_tx *tx, const store_product_in *in, store_deploy_result *res,          \
                                  store_err *err) {                                                             \
        return deploy_product(tx, &deploy_io_##PREFIX, in, res, err);                                           \
    }                                                                                                           \
    int PREFIX##tx_deploy_station(store_tx *tx, const store_station_in *in, store_deploy_result *res,          \
                                  store_err *err) {                                                             \
        return deploy_station(tx, &deploy_io_##PREFIX, in, res, err);                                           \
    }

/* The components' operation ids as one JSON array (free it). */
char *deploy_component_ids_json(const store_product_in *in);

#endif
