/*
 * roles.c: who may do what (api.md "Roles") and the FORBIDDEN field error.
 *
 * Every role reads; erp and admin order; admin deploys; operator and admin
 * work on the shop floor. It must never look at anything but the role: the
 * station binding of an operator token is checked by the shop-floor
 * mutations themselves (WRONG_STATION), not here.
 */
#include "domain.h"

bool mes_may(const mes_principal *who, mes_perm p) {
    if (!who) return false;
    switch (p) {
    case MES_PERM_READ: return true;
    case MES_PERM_ORDER: return who->role == MES_ROLE_ADMIN || who->role == MES_ROLE_ERP;
    case MES_PERM_DEPLOY: return who->role == MES_ROLE_ADMIN;
    case MES_PERM_FLOOR: return who->role == MES_ROLE_ADMIN || who->role == MES_ROLE_OPERATOR;
    }
    return false;
}

const char *mes_forbidden_message(gql_arena *a, const mes_principal *who, const char *type, const char *field) {
    return gql_arena_printf(a, "Forbidden: the %s role may not use %s.%s.",
                            who ? mes_role_name(who->role) : "anonymous", type, field);
}

gql_rv mes_forbidden(const mes_ctx *c, const gql_resolve_info *info) {
    return gql_rv_error(mes_forbidden_message(info->arena, c ? c->who : NULL, info->parent_type->name,
                                              info->field->name),
                        "FORBIDDEN");
}
