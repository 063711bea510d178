/*
 * domain.h: what the domain files of src/mes (resolve_*.c, where.c,
 * scalars.c, deploy.c, events.c, demo.c) share. Never included by the
 * service core: the core sees the domain only through mes_internal.h.
 */
#ifndef MES_DOMAIN_H
#define MES_DOMAIN_H
#include "mes_internal.h"

/* A single operation (or sub-operation) as a resolver value: a batch of one,
 * so its nested fields load the way a list's do. */
gql_rv mes_domain_operations_one(mes_ctx *c, const store_operation *op);
gql_rv mes_domain_sub_operations_one(mes_ctx *c, const store_sub_operation *so);

/* Binders, one per file; each returns false with a message in err. */
bool mes_bind_scalars(gql_schema *s, char *err, size_t errlen);
bool mes_bind_operations(gql_schema *s, char *err, size_t errlen);
bool mes_bind_stations(gql_schema *s, char *err, size_t errlen);
bool mes_bind_deploy(mes *m, gql_schema *s, char *err, size_t errlen);

#endif
