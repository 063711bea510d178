/*
 * error.c: the error list, and its JSON as graphql-js's GraphQLError.toJSON()
 * writes it: message, locations, path, extensions, each left out when empty.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "error.h"

void gql_errors_init(gql_errors *e, gql_arena *a) {
    e->arena = a;
    e->head = e->tail = NULL;
    e->count = 0;
}

static gql_error *append(gql_errors *e, const char *message) {
    gql_error *err = gql_arena_calloc(e->arena, sizeof *err);
    err->message = message;
    if (e->tail) e->tail->next = err;
    else e->head = err;
    e->tail = err;
    e->count++;
    return err;
}

gql_error *gql_errors_add(gql_errors *e, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *msg = gql_arena_alloc(e->arena, n > 0 ? (size_t)n + 1 : 1);
    msg[0] = 0;
    if (n > 0) {
        va_start(ap, fmt);
        vsnprintf(msg, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return append(e, msg);
}

gql_error *gql_errors_add_msg(gql_errors *e, const char *message) {
    return append(e, gql_arena_strdup(e->arena, message ? message : ""));
}

void gql_error_add_srcloc(gql_errors *e, gql_error *err, uint32_t line, uint32_t column) {
    gql_srcloc *locs = gql_arena_grow(e->arena, err->locations, err->location_count, err->location_count + 1,
                                      sizeof *locs);
    locs[err->location_count++] = (gql_srcloc){line, column};
    err->locations = locs;
}

void gql_error_add_loc(gql_errors *e, gql_error *err, gql_loc loc) {
    gql_error_add_srcloc(e, err, loc.line, loc.column);
}

void gql_error_write_json(gql_buf *b, const gql_error *err) {
    gql_buf_append(b, "{\"message\":", 11);
    const char *msg = err->message ? err->message : "";
    gql_json_write_string(b, msg, strlen(msg));
    if (err->location_count) {
        gql_buf_puts(b, ",\"locations\":[");
        for (uint32_t i = 0; i < err->location_count; i++)
            gql_buf_printf(b, "%s{\"line\":%u,\"column\":%u}", i ? "," : "", err->locations[i].line,
                           err->locations[i].column);
        gql_buf_putc(b, ']');
    }
    if (err->path_len) {
        gql_buf_puts(b, ",\"path\":[");
        for (uint32_t i = 0; i < err->path_len; i++) {
            if (i) gql_buf_putc(b, ',');
            const gql_path_seg *s = &err->path[i];
            if (s->key) gql_json_write_string(b, s->key, strlen(s->key));
            else gql_buf_printf(b, "%u", s->index);
        }
        gql_buf_putc(b, ']');
    }
    bool ext = err->ext && err->ext->kind == GQL_V_OBJECT && err->ext->u.obj.count;
    if (err->code || ext) {
        gql_buf_puts(b, ",\"extensions\":{");
        if (err->code) {
            gql_buf_puts(b, "\"code\":");
            gql_json_write_string(b, err->code, strlen(err->code));
        }
        for (uint32_t i = 0; ext && i < err->ext->u.obj.count; i++) {
            const gql_member *m = &err->ext->u.obj.members[i];
            if (i || err->code) gql_buf_putc(b, ',');
            gql_json_write_string(b, m->key, strlen(m->key));
            gql_buf_putc(b, ':');
            gql_json_write_val(b, m->value);
        }
        gql_buf_putc(b, '}');
    }
    gql_buf_putc(b, '}');
}

void gql_errors_write_json(gql_buf *b, const gql_errors *e) {
    gql_buf_putc(b, '[');
    for (const gql_error *err = e->head; err; err = err->next) {
        if (err != e->head) gql_buf_putc(b, ',');
        gql_error_write_json(b, err);
    }
    gql_buf_putc(b, ']');
}
