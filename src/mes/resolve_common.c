/*
 * resolve_common.c: what every domain resolver file uses: generic field
 * resolvers reading a member of the source's row, list values, the request
 * context, read errors, paging arguments, distinct ids.
 *
 * Must never read the store: loading is the batches' job (resolve_*.c).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "domain.h"

#define MEMBER(src, info, T) (*(const T *)((const char *)((const mes_row *)(src))->row + \
                                           (size_t)(info)->field->resolve_ud))

gql_rv mes_field_str(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args;
    const char *s = MEMBER(src, info, char *);
    return s ? gql_rv_str(s, (uint32_t)strlen(s)) : gql_rv_null();
}
gql_rv mes_field_int(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args;
    return gql_rv_int(MEMBER(src, info, int64_t));
}
gql_rv mes_field_time(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args;
    int64_t t = MEMBER(src, info, int64_t);
    return t ? gql_rv_int(t) : gql_rv_null();
}
gql_rv mes_field_bool(const void *src, const gql_val *args, gql_resolve_info *info) {
    (void)args;
    return gql_rv_bool(MEMBER(src, info, bool));
}

bool mes_bind_all(gql_schema *s, const char *type, const mes_binding *b, size_t n, char *err, size_t errlen) {
    for (size_t i = 0; i < n; i++)
        if (!gql_schema_bind(s, type, b[i].field, b[i].fn, (void *)b[i].offset)) {
            snprintf(err, errlen, "cannot bind %s.%s", type, b[i].field);
            return false;
        }
    return true;
}

mes_ctx *mes_ctx_of(const gql_resolve_info *info) { return info->context; }

const char *mes_store_code(int code) {
    switch (code) {
    case STORE_ENOTFOUND: return "NOT_FOUND";
    case STORE_EINPUT: return "BAD_INPUT";
    case STORE_ECONFLICT: return "CONFLICT";
    case STORE_EBUSY: return "BUSY";
    case STORE_EUNAVAILABLE: return "DATABASE_UNAVAILABLE";   /* PostgreSQL out of reach: nothing changed, retry */
    default: return "INTERNAL";
    }
}

gql_rv mes_read_error(gql_arena *a, const store_err *err) {
    /* a pass's read that is not there yet: the pass's output is thrown away
       and the request runs again, so this is no failure (nothing logged or
       counted) */
    if (err->code == STORE_PENDING) return gql_rv_error("read pending", "PENDING");
    return gql_rv_error(gql_arena_strdup(a, err->message[0] ? err->message : "reading failed"),
                        err->code == STORE_EINPUT || err->code == STORE_EUNAVAILABLE ? mes_store_code(err->code)
                                                                                      : "INTERNAL");
}

gql_rv mes_list_of(gql_arena *a, const void *refs, size_t size, size_t first, size_t count) {
    gql_rv r = {.kind = GQL_RV_LIST};
    r.u.list.count = (uint32_t)count;
    r.u.list.items = count ? gql_arena_alloc(a, count * sizeof *r.u.list.items) : NULL;
    for (size_t i = 0; i < count; i++) r.u.list.items[i] = gql_rv_obj((const char *)refs + (first + i) * size, NULL);
    return r;
}

char *mes_lower(gql_arena *a, const char *s, size_t len) {
    char *d = gql_arena_strndup(a, s, len);
    for (size_t i = 0; i < len; i++) d[i] = (char)tolower((unsigned char)d[i]);
    return d;
}

static uint64_t hash_str(const char *s) {
    uint64_t h = 1469598103934665603ull;   /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

size_t mes_distinct(gql_arena *a, const char *const *ids, size_t n, const char ***uniq, size_t *map) {
    size_t cap = 16;
    while (cap < 2 * n) cap *= 2;
    size_t *slot = gql_arena_alloc(a, cap * sizeof *slot);   /* index into out + 1; 0: empty */
    memset(slot, 0, cap * sizeof *slot);
    const char **out = gql_arena_alloc(a, (n ? n : 1) * sizeof *out);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const char *id = ids[i] ? ids[i] : "";
        size_t h = hash_str(id) & (cap - 1);
        while (slot[h] && strcmp(out[slot[h] - 1], id) != 0) h = (h + 1) & (cap - 1);
        if (!slot[h]) out[m++] = id, slot[h] = m;
        map[i] = slot[h] - 1;
    }
    *uniq = out;
    return m;
}

static bool page_arg(gql_arena *a, const gql_val *args, const char *name, int64_t absent, int64_t *out,
                     const char **message) {
    const gql_val *v = gql_val_get(args, name, strlen(name));
    if (!v || v->kind != GQL_V_INT) {   /* absent or null */
        *out = absent;
        return true;
    }
    if (v->u.i < 0) {
        *message = gql_arena_printf(a, "\"%s\" must not be negative (got %lld).", name, (long long)v->u.i);
        return false;
    }
    *out = v->u.i;
    return true;
}

bool mes_page_args(gql_arena *a, const gql_val *args, int64_t *limit, int64_t *offset, const char **message) {
    if (!page_arg(a, args, "limit", STORE_PAGE_MAX, limit, message)) return false;
    if (!page_arg(a, args, "offset", 0, offset, message)) return false;
    if (*limit > STORE_PAGE_MAX) *limit = STORE_PAGE_MAX;   /* api.md: at most 10,000 rows a page */
    return true;
}
