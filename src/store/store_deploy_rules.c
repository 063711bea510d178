/*
 * store_deploy_rules.c: a deploy's refusals, digests and link changes,
 * shared by both backends (store_deploy_rules.h).
 */
#include "store_deploy_rules.h"
#include "store_internal.h"
#include <openssl/evp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---- the digest of a deploy ---- */
typedef struct digest { EVP_MD_CTX *ctx; } digest;

static void dg_init(digest *d) {
    d->ctx = EVP_MD_CTX_new();
    if (!d->ctx || EVP_DigestInit_ex(d->ctx, EVP_sha256(), NULL) != 1) abort();
}
static void dg_int(digest *d, int64_t v) {
    unsigned char b[8];
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)((uint64_t)v >> (8 * i));
    EVP_DigestUpdate(d->ctx, b, sizeof b);
}
/* NULL and "" differ: a tag, then the length, then the bytes */
static void dg_str(digest *d, const char *s) {
    dg_int(d, s ? (int64_t)strlen(s) : -1);
    if (s) EVP_DigestUpdate(d->ctx, s, strlen(s));
}
static void dg_final(digest *d, unsigned char out[DEPLOY_DIGEST_LEN]) {
    unsigned int len = DEPLOY_DIGEST_LEN;
    EVP_DigestFinal_ex(d->ctx, out, &len);
    EVP_MD_CTX_free(d->ctx);
}

static bool same(const char *a, const char *b) { return a == b || (a && b && strcmp(a, b) == 0); }

/* Index of the first repeated id among n, or -1. */
#define FIRST_DUP(arr, n, field)                                                                                  \
    ({                                                                                                            \
        ptrdiff_t dup_ = -1;                                                                                      \
        for (size_t i_ = 0; i_ < (n) && dup_ < 0; i_++)                                                           \
            for (size_t j_ = 0; j_ < i_; j_++)                                                                    \
                if (same((arr)[i_] field, (arr)[j_] field)) { dup_ = (ptrdiff_t)i_; break; }                      \
        dup_;                                                                                                     \
    })

/* ---- refusals ---- */

static int deploy_check_process(const store_process_in *in, store_err *err) {
    if (!in->id || !in->name) return store_set_err(err, STORE_EINPUT, "a process needs an id and a name");
    ptrdiff_t d;
    for (size_t i = 0; i < in->nattrs; i++)
        if (!in->attrs[i].id) return store_set_err(err, STORE_EINPUT, "a consumed serial needs an id");
    if ((d = FIRST_DUP(in->attrs, in->nattrs, .id)) >= 0)
        return store_set_err(err, STORE_EINPUT, "consumed serial %s is listed twice", in->attrs[d].id);
    for (size_t i = 0; i < in->nsteps; i++) {
        const store_step_in *s = &in->steps[i];
        if (!s->id || !s->name) return store_set_err(err, STORE_EINPUT, "a step needs an id and a name");
        for (size_t k = 0; k < s->nactions; k++)
            if (!s->actions[k].id) return store_set_err(err, STORE_EINPUT, "an action needs an id");
        if ((d = FIRST_DUP(s->actions, s->nactions, .id)) >= 0)
            return store_set_err(err, STORE_EINPUT, "action %s is listed twice in step %s", s->actions[d].id, s->id);
    }
    if ((d = FIRST_DUP(in->steps, in->nsteps, .id)) >= 0)
        return store_set_err(err, STORE_EINPUT, "step %s is listed twice", in->steps[d].id);
    return STORE_OK;
}

static int deploy_check_product(const store_product_in *in, store_err *err) {
    if (!in->id || !in->name) return store_set_err(err, STORE_EINPUT, "a product needs an id and a name");
    if (in->kind != STORE_KIND_PRODUCT && in->kind != STORE_KIND_SUBASSEMBLY)
        return store_set_err(err, STORE_EINPUT, "a product's kind is PRODUCT or SUBASSEMBLY");
    for (size_t i = 0; i < in->ncomponents; i++) {
        if (!in->components[i].operation_id) return store_set_err(err, STORE_EINPUT, "a component needs an id");
        if (strcmp(in->components[i].operation_id, in->id) == 0)
            return store_set_err(err, STORE_EINPUT, "%s cannot contain itself", in->id);
    }
    ptrdiff_t d = FIRST_DUP(in->components, in->ncomponents, .operation_id);
    if (d >= 0)
        return store_set_err(err, STORE_EINPUT, "component %s is listed twice", in->components[d].operation_id);
    return STORE_OK;
}

static int deploy_check_station(const store_station_in *in, store_err *err) {
    if (!in->id || !in->name) return store_set_err(err, STORE_EINPUT, "a station needs an id and a name");
    for (size_t i = 0; i < in->nprocesses; i++)
        if (!in->process_ids[i]) return store_set_err(err, STORE_EINPUT, "a station process needs an id");
    ptrdiff_t d = FIRST_DUP(in->process_ids, in->nprocesses, );
    if (d >= 0) return store_set_err(err, STORE_EINPUT, "process %s is listed twice", in->process_ids[d]);
    return STORE_OK;
}

static int deploy_check_kind(const char *id, const char *existing_kind, bool process, store_err *err) {
    if (!existing_kind) return STORE_OK;
    bool is_process = strcmp(existing_kind, "PROCESS") == 0;
    if (process && !is_process)
        return store_set_err(err, STORE_EINPUT, "operation %s is a %s, not a process", id, existing_kind);
    if (!process && is_process)
        return store_set_err(err, STORE_EINPUT, "operation %s is a process, not a product", id);
    return STORE_OK;
}

/* ---- digests ---- */

static void deploy_process_digest(const store_process_in *in, unsigned char out[DEPLOY_DIGEST_LEN]) {
    digest d;
    dg_init(&d);
    dg_str(&d, "PROCESS");
    dg_str(&d, in->name);
    dg_str(&d, in->description);
    dg_str(&d, in->part_number);
    dg_str(&d, in->revision);
    dg_int(&d, in->produces_serial);
    dg_int(&d, (int64_t)in->nattrs);
    for (size_t i = 0; i < in->nattrs; i++) {
        dg_str(&d, in->attrs[i].id);
        dg_str(&d, in->attrs[i].name);
        dg_str(&d, in->attrs[i].part_number);
    }
    dg_int(&d, (int64_t)in->nsteps);
    for (size_t i = 0; i < in->nsteps; i++) {
        const store_step_in *s = &in->steps[i];
        dg_str(&d, s->id);
        dg_str(&d, s->name);
        dg_str(&d, s->instruction_text);
        dg_int(&d, (int64_t)s->nactions);
        for (size_t k = 0; k < s->nactions; k++) {
            dg_str(&d, s->actions[k].id);
            dg_str(&d, s->actions[k].description);
        }
    }
    dg_final(&d, out);
}

static void deploy_product_digest(const store_product_in *in, unsigned char out[DEPLOY_DIGEST_LEN]) {
    digest d;
    dg_init(&d);
    dg_str(&d, store_kind_name(in->kind));
    dg_str(&d, in->name);
    dg_str(&d, in->part_number);
    dg_str(&d, in->revision);
    dg_int(&d, (int64_t)in->ncomponents);
    for (size_t i = 0; i < in->ncomponents; i++) {
        dg_str(&d, in->components[i].operation_id);
        dg_str(&d, in->components[i].group);
        dg_int(&d, in->components[i].optional);
    }
    dg_final(&d, out);
}

static void deploy_station_digest(const store_station_in *in, unsigned char out[DEPLOY_DIGEST_LEN]) {
    digest d;
    dg_init(&d);
    dg_str(&d, in->name);
    dg_int(&d, (int64_t)in->nprocesses);
    for (size_t i = 0; i < in->nprocesses; i++) dg_str(&d, in->process_ids[i]);
    dg_final(&d, out);
}

/* ---- a product's links ---- */

static char *dup_or_null(const char *s) {
    if (!s) return NULL;
    char *c = strdup(s);
    if (!c) abort();
    return c;
}

void deploy_links_push(deploy_links *l, const char *sub_id, const char *group, int64_t position, bool optional,
                       bool archived) {
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        if (!(l->v = realloc(l->v, l->cap * sizeof *l->v))) abort();
    }
    l->v[l->n++] = (deploy_link){.sub_id = dup_or_null(sub_id ? sub_id : ""), .group = dup_or_null(group),
                                 .position = position, .optional = optional, .archived = archived};
}

static void deploy_links_free(deploy_links *l) {
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].sub_id);
        free(l->v[i].group);
    }
    free(l->v);
    *l = (deploy_links){0};
}

/* Streams each link that is new, changed, re-added (written at its
 * position) or removed (archived), counting one event each. */
static int sync_links(store_tx *tx, const deploy_io *io, const store_product_in *in, int *events, store_err *err) {
    deploy_links old = {0};
    int rc = io->load_links(tx, in->id, &old, err);
    for (size_t i = 0; i < in->ncomponents && rc == STORE_OK; i++) {
        const store_component_in *c = &in->components[i];
        deploy_link *l = NULL;
        for (size_t k = 0; k < old.n && !l; k++)
            if (strcmp(old.v[k].sub_id, c->operation_id) == 0) l = &old.v[k];
        if (l) l->seen = true;
        if (l && !l->archived && l->position == (int64_t)i && l->optional == c->optional && same(l->group, c->group))
            continue;
        if (!(rc = io->write_link(tx, in->id, c, (int64_t)i, err)))
            rc = io->sub_operation_event(tx, in->id, c->operation_id, err);
        (*events)++;
    }
    for (size_t k = 0; k < old.n && rc == STORE_OK; k++) {
        if (old.v[k].seen || old.v[k].archived) continue;
        if (!(rc = io->archive_link(tx, in->id, old.v[k].sub_id, err)))
            rc = io->sub_operation_event(tx, in->id, old.v[k].sub_id, err);
        (*events)++;
    }
    deploy_links_free(&old);
    return rc;
}

char *deploy_component_ids_json(const store_product_in *in) {
    const char **ids = malloc((in->ncomponents + 1) * sizeof *ids);
    if (!ids) abort();
    for (size_t i = 0; i < in->ncomponents; i++) ids[i] = in->components[i].operation_id;
    char *json = json_string_array(ids, in->ncomponents);
    free(ids);
    return json;
}

/* ---- the deploys ---- */

int deploy_process(store_tx *tx, const deploy_io *io, const store_process_in *in, store_deploy_result *res,
                   store_err *err) {
    store_deploy_result r = {0};
    if (deploy_check_process(in, err)) return err->code;
    unsigned char dg[DEPLOY_DIGEST_LEN];
    deploy_process_digest(in, dg);
    deploy_existing ex;
    if (io->load_operation(tx, in->id, dg, &ex, err) ||
        deploy_check_kind(in->id, ex.found ? ex.kind : NULL, true, err))
        return err->code;
    if (!ex.found || ex.archived || !ex.same) {
        if (io->upsert_operation(tx, in->id, "PROCESS", in->name, in->description, in->part_number, in->revision,
                                 in->produces_serial, dg, err) ||
            io->write_process_children(tx, in, err) || io->operation_event(tx, in->id, err))
            return err->code;
        r = (store_deploy_result){.created = !ex.found, .changed = true, .events = 1};
    }
    if (res) *res = r;
    return STORE_OK;
}

int deploy_product(store_tx *tx, const deploy_io *io, const store_product_in *in, store_deploy_result *res,
                   store_err *err) {
    store_deploy_result r = {0};
    if (deploy_check_product(in, err)) return err->code;
    deploy_existing ex;
    unsigned char dg[DEPLOY_DIGEST_LEN];
    deploy_product_digest(in, dg);
    if (io->load_operation(tx, in->id, dg, &ex, err) ||
        deploy_check_kind(in->id, ex.found ? ex.kind : NULL, false, err) || io->check_components(tx, in, err))
        return err->code;
    if (!ex.found || ex.archived || !ex.same) {
        /* the product's event first: its links' events follow it */
        r = (store_deploy_result){.created = !ex.found, .changed = true, .events = 1};
        if (io->upsert_operation(tx, in->id, store_kind_name(in->kind), in->name, NULL, in->part_number, in->revision,
                                 false, dg, err) ||
            io->operation_event(tx, in->id, err) || sync_links(tx, io, in, &r.events, err))
            return err->code;
    }
    if (res) *res = r;
    return STORE_OK;
}

int deploy_station(store_tx *tx, const deploy_io *io, const store_station_in *in, store_deploy_result *res,
                   store_err *err) {
    store_deploy_result r = {0};
    if (deploy_check_station(in, err) || io->check_station_processes(tx, in, err)) return err->code;
    unsigned char dg[DEPLOY_DIGEST_LEN];
    deploy_station_digest(in, dg);
    deploy_existing ex;
    if (io->load_station(tx, in->id, dg, &ex, err)) return err->code;
    if (!ex.found || !ex.same) {
        if (io->write_station(tx, in, dg, err)) return err->code;
        r = (store_deploy_result){.created = !ex.found, .changed = true};
    }
    if (res) *res = r;
    return STORE_OK;
}
