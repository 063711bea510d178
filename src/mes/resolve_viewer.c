/*
 * resolve_viewer.c: Query.viewer (a mesd addition): the role of the token
 * a request carries and the station an operator token is bound to, so a
 * station screen signed in with such a token opens that station at once.
 *
 * It shows only what the response cache keys answers by (the principal's
 * role and station: cache.c); it must never show anything else of the
 * token (its id, name or secret), which would let one token's answer be
 * served to another.
 */
#include <string.h>
#include "domain.h"

static gql_rv q_viewer(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)src, (void)args;
    const mes_principal *who = mes_ctx_of(info)->who;
    return who ? gql_rv_obj(who, NULL) : gql_rv_error("No token.", "UNAUTHENTICATED");
}

static gql_rv viewer_role(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args, (void)info;
    const char *s = mes_role_name(((const mes_principal *)src)->role);
    return gql_rv_str(s, (uint32_t)strlen(s));
}

static gql_rv viewer_station(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args;
    const mes_principal *who = src;
    if (!who->station_id[0]) return gql_rv_null();
    mes_ctx *c = mes_ctx_of(info);
    store_station *row;
    store_err err = {0};
    /* token bindings keep the id as given; stations are stored lower-cased */
    const char *id = mes_lower(info->arena, who->station_id, strlen(who->station_id));
    if (store_station_get(c->st, id, info->arena, &row, &err)) return mes_read_error(info->arena, &err);
    if (!row) return gql_rv_null();   /* bound to a station not deployed (yet) */
    return mes_station_batch_item(mes_station_batch_new(c, row, 1), 0);
}

bool mes_bind_viewer(gql_schema *s, char *err, size_t errlen) {
    static const mes_binding query[] = {{"viewer", q_viewer, 0}};
    static const mes_binding viewer[] = {{"role", viewer_role, 0}, {"station", viewer_station, 0}};
    return mes_bind_all(s, "Query", query, 1, err, errlen) && mes_bind_all(s, "Viewer", viewer, 2, err, errlen);
}
