/*
 * print.c: graphql-js 16's print() for value literals and type references,
 * with printString.js and blockString.js's printBlockString. Nesting is that
 * of parsed nodes, which the parser bounds.
 */
#include "print.h"
#include <string.h>

/* printString's escape table: C0 controls, '"', '\\', DEL and the C1 controls. */
static const char *escape_for(unsigned c, char tmp[8]) {
    switch (c) {
    case '\b': return "\\b";
    case '\t': return "\\t";
    case '\n': return "\\n";
    case '\f': return "\\f";
    case '\r': return "\\r";
    case '"': return "\\\"";
    case '\\': return "\\\\";
    default: {
        static const char hex[] = "0123456789ABCDEF";
        memcpy(tmp, "\\u00", 4);
        tmp[4] = hex[(c >> 4) & 0xF];
        tmp[5] = hex[c & 0xF];
        tmp[6] = 0;
        return tmp;
    }
    }
}

void gql_print_string(gql_buf *b, const char *s, size_t len) {
    const unsigned char *u = (const unsigned char *)s;
    size_t chunk = 0;
    gql_buf_putc(b, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned c = u[i];
        size_t size = 1;
        if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7F) {
            /* U+0080..U+009F are C2 80..C2 9F in UTF-8. */
            if (c != 0xC2 || i + 1 >= len || u[i + 1] < 0x80 || u[i + 1] > 0x9F) continue;
            c = u[i + 1];
            size = 2;
        }
        char tmp[8];
        gql_buf_append(b, s + chunk, i - chunk);
        gql_buf_puts(b, escape_for(c, tmp));
        i += size - 1;
        chunk = i + 1;
    }
    gql_buf_append(b, s + chunk, len - chunk);
    gql_buf_putc(b, '"');
}

static bool is_white_space(int c) { return c == ' ' || c == '\t'; }

/* JavaScript's string length: UTF-16 code units of (valid) UTF-8. */
static size_t utf16_length(const char *s, size_t len) {
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned c = (unsigned char)s[i];
        if ((c & 0xC0) != 0x80) n += c >= 0xF0 ? 2 : 1;
    }
    return n;
}

static bool ends_with(const char *s, size_t len, const char *suffix) {
    size_t n = strlen(suffix);
    return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

/* printBlockString(value) without options (print() uses none). */
static void print_block_string(gql_buf *b, const char *value, size_t len) {
    gql_buf esc;
    gql_buf_init(&esc);
    for (size_t i = 0; i < len; i++) {   /* value.replace(/"""/g, '\\"""') */
        if (value[i] == '"' && i + 2 < len && value[i + 1] == '"' && value[i + 2] == '"') {
            gql_buf_append(&esc, "\\\"\"\"", 4);
            i += 2;
        } else {
            gql_buf_putc(&esc, value[i]);
        }
    }
    const char *e = esc.data ? esc.data : "";
    size_t elen = esc.len;

    /* lines = escapedValue.split(/\r\n|[\n\r]/g); every line after the first
     * must be empty or start with white space to force a leading newline. */
    size_t line_count = 1;
    bool all_indented = true;
    for (size_t i = 0; i < elen; i++) {
        if (e[i] != '\n' && e[i] != '\r') continue;
        if (e[i] == '\r' && i + 1 < elen && e[i + 1] == '\n') i++;
        line_count++;
        if (i + 1 < elen && e[i + 1] != '\n' && e[i + 1] != '\r' && !is_white_space(e[i + 1])) all_indented = false;
    }
    bool is_single_line = line_count == 1;
    bool force_leading_newline = line_count > 1 && all_indented;
    bool has_trailing_triple_quotes = ends_with(e, elen, "\\\"\"\"");
    bool has_trailing_quote = ends_with(value, len, "\"") && !has_trailing_triple_quotes;
    bool has_trailing_slash = ends_with(value, len, "\\");
    bool force_trailing_newline = has_trailing_quote || has_trailing_slash;
    bool print_as_multiple_lines = !is_single_line || utf16_length(value, len) > 70 || force_trailing_newline ||
                                   force_leading_newline || has_trailing_triple_quotes;
    bool skip_leading_newline = is_single_line && len > 0 && is_white_space(value[0]);

    gql_buf_puts(b, "\"\"\"");
    if ((print_as_multiple_lines && !skip_leading_newline) || force_leading_newline) gql_buf_putc(b, '\n');
    gql_buf_append(b, e, elen);
    if (print_as_multiple_lines || force_trailing_newline) gql_buf_putc(b, '\n');
    gql_buf_puts(b, "\"\"\"");
    gql_buf_free(&esc);
}

static void put_name(gql_buf *b, const gql_name *n) { gql_buf_append(b, n->value, n->len); }

void gql_print_value_node(gql_buf *b, const gql_value_node *v) {
    switch (v->kind) {
    case GQL_VARIABLE:
        gql_buf_putc(b, '$');
        put_name(b, &v->name);
        break;
    case GQL_INT_VALUE:
    case GQL_FLOAT_VALUE:
    case GQL_ENUM_VALUE:
        put_name(b, &v->name);
        break;
    case GQL_STRING_VALUE:
        if (v->block) print_block_string(b, v->name.value, v->name.len);
        else gql_print_string(b, v->name.value, v->name.len);
        break;
    case GQL_BOOLEAN_VALUE:
        gql_buf_puts(b, v->boolean ? "true" : "false");
        break;
    case GQL_NULL_VALUE:
        gql_buf_puts(b, "null");
        break;
    case GQL_LIST_VALUE:
        gql_buf_putc(b, '[');
        for (uint32_t i = 0; i < v->item_count; i++) {
            if (i) gql_buf_puts(b, ", ");
            gql_print_value_node(b, v->items[i]);
        }
        gql_buf_putc(b, ']');
        break;
    case GQL_OBJECT_VALUE:
        gql_buf_putc(b, '{');
        for (uint32_t i = 0; i < v->field_count; i++) {
            if (i) gql_buf_puts(b, ", ");
            put_name(b, &v->fields[i].name);
            gql_buf_puts(b, ": ");
            gql_print_value_node(b, v->fields[i].value);
        }
        gql_buf_putc(b, '}');
        break;
    default:
        break;
    }
}

const char *gql_print_value_node_str(gql_arena *a, const gql_value_node *v) {
    gql_buf b;
    gql_buf_init(&b);
    gql_print_value_node(&b, v);
    char *s = gql_arena_strndup(a, b.data ? b.data : "", b.len);
    gql_buf_free(&b);
    return s;
}

void gql_print_type_node(gql_buf *b, const gql_type_node *t) {
    switch (t->kind) {
    case GQL_LIST_TYPE:
        gql_buf_putc(b, '[');
        gql_print_type_node(b, t->of);
        gql_buf_putc(b, ']');
        break;
    case GQL_NON_NULL_TYPE:
        gql_print_type_node(b, t->of);
        gql_buf_putc(b, '!');
        break;
    default:
        put_name(b, &t->name);
        break;
    }
}
