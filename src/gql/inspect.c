/*
 * inspect.c: graphql-js's jsutils/inspect.js for JSON values, the way values
 * appear in its error messages. A NULL value is JavaScript's undefined.
 */
#include <string.h>
#include "value.h"

enum { MAX_ARRAY_LENGTH = 10, MAX_RECURSIVE_DEPTH = 2 };

/* seen: how many enclosing lists and objects (inspect's seenValues). */
static void format_value(gql_buf *b, const gql_val *v, unsigned seen) {
    char num[GQL_JS_NUMBER_MAX];
    if (!v) {
        gql_buf_append(b, "undefined", 9);
        return;
    }
    switch (v->kind) {
    case GQL_V_NULL: gql_buf_append(b, "null", 4); return;
    case GQL_V_BOOL: gql_buf_puts(b, v->u.b ? "true" : "false"); return;
    case GQL_V_INT: gql_buf_append(b, num, gql_js_int_str(num, v->u.i)); return;
    case GQL_V_FLOAT: gql_buf_append(b, num, gql_js_number_str(num, v->u.f)); return;
    case GQL_V_STRING:
    case GQL_V_ENUM: gql_json_write_string(b, v->u.str.s, v->u.str.len); return;
    case GQL_V_LIST: {
        uint32_t n = v->u.list.count;
        if (n == 0) {
            gql_buf_append(b, "[]", 2);
            return;
        }
        if (seen + 1 > MAX_RECURSIVE_DEPTH) {
            gql_buf_append(b, "[Array]", 7);
            return;
        }
        uint32_t shown = n < MAX_ARRAY_LENGTH ? n : MAX_ARRAY_LENGTH;
        gql_buf_putc(b, '[');
        for (uint32_t i = 0; i < shown; i++) {
            if (i) gql_buf_append(b, ", ", 2);
            format_value(b, v->u.list.items[i], seen + 1);
        }
        if (n - shown == 1) gql_buf_puts(b, ", ... 1 more item");
        else if (n > shown) gql_buf_printf(b, ", ... %u more items", n - shown);
        gql_buf_putc(b, ']');
        return;
    }
    case GQL_V_OBJECT: {
        uint32_t n = v->u.obj.count;
        if (n == 0) {
            gql_buf_append(b, "{}", 2);
            return;
        }
        if (seen + 1 > MAX_RECURSIVE_DEPTH) {
            gql_buf_append(b, "[Object]", 8);
            return;
        }
        gql_buf_append(b, "{ ", 2);
        for (uint32_t i = 0; i < n; i++) {
            const gql_member *m = &v->u.obj.members[i];
            if (i) gql_buf_append(b, ", ", 2);
            gql_buf_append(b, m->key, m->key_len);
            gql_buf_append(b, ": ", 2);
            format_value(b, m->value, seen + 1);
        }
        gql_buf_append(b, " }", 2);
        return;
    }
    }
}

void gql_inspect_buf(gql_buf *b, const gql_val *v) { format_value(b, v, 0); }

char *gql_inspect(gql_arena *a, const gql_val *v) {
    gql_buf b;
    gql_buf_init(&b);
    format_value(&b, v, 0);
    char *r = gql_arena_strndup(a, b.data ? b.data : "", b.len);
    gql_buf_free(&b);
    return r;
}
