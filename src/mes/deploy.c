/*
 * deploy.c: the three deploy mutations of Pico's Work Instructions API,
 * processCreate, productCreate and stationCreate (create or update by id).
 *
 * Each is planned on the loop (role, ids, defaults: arguments turned into
 * the store's deploy input, in the request arena), run by the writer
 * (store_tx_deploy_*), and answered after the commit with the id.
 *
 * Ids. The rule ^[a-z0-9_]{3,50}$ (case-insensitive, then lower-cased)
 * covers every id that names an object of the API: the created process,
 * product or station, and the operations it refers to (a product's
 * components, a station's processIds), since those were created under the
 * same rule. The ids of a process's consumed serials, steps and actions are
 * keys inside their process, chosen by the caller's system: they are kept
 * as given (not lower-cased; they must not be empty), as Pico's rule is
 * about the created object's id.
 *
 * Must never: write anything for a refused input, or let a role other than
 * admin deploy.
 */
#include <stdio.h>
#include <string.h>
#include "domain.h"

bool mes_id_valid(const char *s, size_t len) {
    if (!s || len < 3 || len > 50) return false;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_'))
            return false;
    }
    return true;
}

typedef enum deploy_what { DEPLOY_PROCESS, DEPLOY_PRODUCT, DEPLOY_STATION } deploy_what;
typedef struct deploy_job {
    deploy_what what;
    store_process_in process;
    store_product_in product;
    store_station_in station;
    const char *id;              /* the answer */
    store_deploy_result res;
} deploy_job;

static int deploy_run(store_tx *tx, void *arg, store_err *err) {
    deploy_job *j = arg;
    switch (j->what) {
    case DEPLOY_PROCESS: return store_tx_deploy_process(tx, &j->process, &j->res, err);
    case DEPLOY_PRODUCT: return store_tx_deploy_product(tx, &j->product, &j->res, err);
    case DEPLOY_STATION: return store_tx_deploy_station(tx, &j->station, &j->res, err);
    }
    return store_set_err(err, STORE_EINPUT, "unknown deploy");
}

/* ---- reading the coerced input ---- */

static const gql_val *member(const gql_val *obj, const char *key) {
    const gql_val *v = gql_val_get(obj, key, strlen(key));
    return v && v->kind != GQL_V_NULL ? v : NULL;
}
static const char *str_of(const gql_val *obj, const char *key) {
    const gql_val *v = member(obj, key);
    return v && v->kind == GQL_V_STRING ? v->u.str.s : NULL;
}
static bool bool_of(const gql_val *obj, const char *key) {
    const gql_val *v = member(obj, key);
    return v && v->kind == GQL_V_BOOL && v->u.b;
}
/* RichTextInput { text } → its text */
static const char *rich_of(const gql_val *obj, const char *key) { return str_of(member(obj, key), "text"); }
static uint32_t count_of(const gql_val *list) { return list && list->kind == GQL_V_LIST ? list->u.list.count : 0; }

/* An object id under the rule, lower-cased; NULL with w failed. what: "process", "component", … */
static const char *object_id(mes_ctx *c, mes_write *w, const char *id, const char *what) {
    size_t len = id ? strlen(id) : 0;
    if (!mes_id_valid(id, len)) {
        mes_write_fail(w, "BAD_INPUT",
                       "Invalid %s id \"%.100s\": an id is 3 to 50 characters, each a letter, a digit or an "
                       "underscore.",
                       what, id ? id : "");
        return NULL;
    }
    return mes_lower(c->arena, id, len);
}

/* A key inside a process: kept as given, never empty. */
static bool local_id(mes_write *w, const char *id, const char *what) {
    if (id && *id) return true;
    mes_write_fail(w, "BAD_INPUT", "Invalid %s id: it must not be empty.", what);
    return false;
}

/* The role check every deploy starts with; false with w failed. */
static bool may_deploy(mes_ctx *c, mes_write *w) {
    if (mes_may(c->who, MES_PERM_DEPLOY)) return true;
    mes_write_fail(w, "FORBIDDEN", "%s",
                   mes_forbidden_message(c->arena, c->who, "Mutation", w->field ? w->field->name : "deploy"));
    return false;
}

static deploy_job *job_new(mes_ctx *c, mes_write *w, deploy_what what) {
    deploy_job *j = gql_arena_calloc(c->arena, sizeof *j);
    j->what = what;
    w->run = deploy_run;
    w->arg = j;
    return j;
}

/* ---- planners ---- */

static bool plan_steps(mes_ctx *c, mes_write *w, const gql_val *steps, store_process_in *p) {
    p->nsteps = count_of(steps);
    store_step_in *out = gql_arena_calloc(c->arena, (p->nsteps ? p->nsteps : 1) * sizeof *out);
    for (size_t i = 0; i < p->nsteps; i++) {
        const gql_val *s = steps->u.list.items[i];
        out[i].id = str_of(s, "id");
        if (!local_id(w, out[i].id, "step")) return false;
        out[i].name = str_of(s, "name");
        out[i].instruction_text = rich_of(s, "instructionText");
        const gql_val *acts = member(s, "actions");
        out[i].nactions = count_of(acts);
        store_action_in *a = gql_arena_calloc(c->arena, (out[i].nactions ? out[i].nactions : 1) * sizeof *a);
        for (size_t k = 0; k < out[i].nactions; k++) {
            a[k].id = str_of(acts->u.list.items[k], "id");
            if (!local_id(w, a[k].id, "action")) return false;
            a[k].description = rich_of(acts->u.list.items[k], "description");
        }
        out[i].actions = a;
    }
    p->steps = out;
    return true;
}

void mes_plan_process(mes_ctx *c, const gql_val *args, mes_write *w) {
    if (!may_deploy(c, w)) return;
    const gql_val *in = member(member(args, "input"), "process");
    store_process_in p = {0};
    if (!(p.id = object_id(c, w, str_of(in, "id"), "process"))) return;
    p.name = str_of(in, "name");
    p.description = str_of(in, "description");
    p.part_number = str_of(in, "partNumber");
    p.revision = str_of(in, "revision");
    p.produces_serial = bool_of(in, "producesSerial");   /* default false */
    const gql_val *attrs = member(in, "consumedSerials");
    p.nattrs = count_of(attrs);
    store_attr_in *a = gql_arena_calloc(c->arena, (p.nattrs ? p.nattrs : 1) * sizeof *a);
    for (size_t i = 0; i < p.nattrs; i++) {
        a[i].id = str_of(attrs->u.list.items[i], "id");
        if (!local_id(w, a[i].id, "consumed serial")) return;
        a[i].name = str_of(attrs->u.list.items[i], "name");
        a[i].part_number = str_of(attrs->u.list.items[i], "partNumber");
    }
    p.attrs = a;
    if (!plan_steps(c, w, member(in, "steps"), &p)) return;
    deploy_job *j = job_new(c, w, DEPLOY_PROCESS);
    j->process = p;
    j->id = p.id;
}

void mes_plan_product(mes_ctx *c, const gql_val *args, mes_write *w) {
    if (!may_deploy(c, w)) return;
    const gql_val *in = member(member(args, "input"), "product");
    store_product_in p = {0};
    if (!(p.id = object_id(c, w, str_of(in, "id"), "product"))) return;
    p.name = str_of(in, "name");
    p.part_number = str_of(in, "partNumber");
    p.revision = str_of(in, "revision");
    const char *kind = str_of(in, "kind");
    if (!kind || strcmp(kind, "PRODUCT") == 0) {
        p.kind = STORE_KIND_PRODUCT;   /* the default */
    } else if (strcmp(kind, "SUBASSEMBLY") == 0) {
        p.kind = STORE_KIND_SUBASSEMBLY;
    } else {
        mes_write_fail(w, "BAD_INPUT",
                       "A product's kind is PRODUCT or SUBASSEMBLY, not %s: a process is deployed with processCreate.",
                       kind);
        return;
    }
    const gql_val *comps = member(in, "components");
    p.ncomponents = count_of(comps);
    store_component_in *cs = gql_arena_calloc(c->arena, (p.ncomponents ? p.ncomponents : 1) * sizeof *cs);
    for (size_t i = 0; i < p.ncomponents; i++) {
        const gql_val *ci = comps->u.list.items[i];
        if (!(cs[i].operation_id = object_id(c, w, str_of(ci, "operationId"), "component"))) return;
        if (strcmp(cs[i].operation_id, p.id) == 0) {
            mes_write_fail(w, "BAD_INPUT", "Product %s cannot contain itself.", p.id);
            return;
        }
        cs[i].group = str_of(ci, "group");
        cs[i].optional = bool_of(ci, "optional");
    }
    p.components = cs;
    deploy_job *j = job_new(c, w, DEPLOY_PRODUCT);
    j->product = p;
    j->id = p.id;
}

void mes_plan_station(mes_ctx *c, const gql_val *args, mes_write *w) {
    if (!may_deploy(c, w)) return;
    const gql_val *in = member(member(args, "input"), "station");
    store_station_in s = {0};
    if (!(s.id = object_id(c, w, str_of(in, "id"), "station"))) return;
    s.name = str_of(in, "name");
    const gql_val *procs = member(in, "processIds");
    s.nprocesses = count_of(procs);
    const char **ids = gql_arena_calloc(c->arena, (s.nprocesses ? s.nprocesses : 1) * sizeof *ids);
    for (size_t i = 0; i < s.nprocesses; i++) {
        const gql_val *v = procs->u.list.items[i];
        if (!(ids[i] = object_id(c, w, v && v->kind == GQL_V_STRING ? v->u.str.s : NULL, "process"))) return;
    }
    s.process_ids = ids;
    deploy_job *j = job_new(c, w, DEPLOY_STATION);
    j->station = s;
    j->id = s.id;
}

/* ---- the answer (after the commit) ---- */

static gql_rv deploy_answer(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src, (void)args;
    mes_ctx *c = mes_ctx_of(info);
    mes_write *w = mes_ctx_write(c, info);
    if (!w) return gql_rv_error("This mutation was not planned.", "INTERNAL");
    if (w->code || !w->ran || w->skipped || !w->arg) return mes_write_error(c, w);
    const char *id = ((const deploy_job *)w->arg)->id;
    return gql_rv_str(id, (uint32_t)strlen(id));
}

bool mes_bind_deploy(mes *m, gql_schema *s, char *err, size_t errlen) {
    static const struct { const char *field; mes_plan_fn plan; } deploys[] = {
        {"processCreate", mes_plan_process},
        {"productCreate", mes_plan_product},
        {"stationCreate", mes_plan_station},
    };
    for (size_t i = 0; i < sizeof deploys / sizeof deploys[0]; i++)
        if (!gql_schema_bind(s, "Mutation", deploys[i].field, deploy_answer, NULL) ||
            !mes_bind_mutation(m, deploys[i].field, deploys[i].plan)) {
            snprintf(err, errlen, "cannot bind Mutation.%s", deploys[i].field);
            return false;
        }
    return true;
}
