/*
 * fuzz_parse.c: libFuzzer target for the lexer, parser and value printer.
 * Parses the input as a document, as a value and as a type; checks node
 * locations and selection ids, and that printing a parsed value or type and
 * parsing the result again prints the same text (print() is a fixpoint).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ast.h"
#include "print.h"

#include "fuzz_util.h"

static size_t input_size;

static void check_loc(gql_loc l) {
    CHECK(l.start <= l.end && l.end <= input_size);
    CHECK(l.line >= 1 && l.column >= 1);
}

static void check_value(const gql_value_node *v) {
    check_loc(v->loc);
    CHECK(v->name.value == NULL || v->name.value[v->name.len] == 0);
    for (uint32_t i = 0; i < v->item_count; i++) check_value(v->items[i]);
    for (uint32_t i = 0; i < v->field_count; i++) check_value(v->fields[i].value);
}

static void check_selections(const gql_document *doc, const gql_selection_set *s) {
    if (!s) return;
    check_loc(s->loc);
    for (uint32_t i = 0; i < s->count; i++) {
        const gql_selection *x = &s->items[i];
        CHECK(x->id < doc->selection_count);
        check_loc(x->loc);
        for (uint32_t j = 0; j < x->arg_count; j++) check_value(x->args[j].value);
        check_selections(doc, x->selection_set);
    }
}

static void check_printed_value(const gql_value_node *v) {
    gql_buf b1, b2;
    gql_buf_init(&b1);
    gql_buf_init(&b2);
    gql_print_value_node(&b1, v);
    gql_arena a;
    gql_arena_init(&a, 0);
    gql_syntax_error *err;
    gql_value_node *again = gql_parse_value(&a, b1.data, b1.len, &err);
    CHECK(again != NULL);
    gql_print_value_node(&b2, again);
    CHECK(b1.len == b2.len && memcmp(b1.data, b2.data, b1.len) == 0);
    gql_arena_free(&a);
    gql_buf_free(&b1);
    gql_buf_free(&b2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *src = (const char *)data;
    input_size = size;
    gql_syntax_error *err = NULL;

    gql_document *doc = gql_parse(src, size, NULL, &err);
    if (doc) {
        CHECK(err == NULL && doc->definition_count > 0);
        for (uint32_t i = 0; i < doc->definition_count; i++) {
            const gql_definition *d = &doc->definitions[i];
            check_loc(d->loc);
            check_selections(doc, d->selection_set);
            for (uint32_t j = 0; j < d->variable_count; j++)
                if (d->variables[j].default_value) check_value(d->variables[j].default_value);
        }
        gql_document_free(doc);
    } else {
        CHECK(err && err->message && strncmp(err->message, "Syntax Error: ", 14) == 0);
        CHECK(err->line >= 1 && err->column >= 1);
        gql_syntax_error_free(err);
    }

    gql_parse_options small = {.max_tokens = 50, .max_depth = 8};
    doc = gql_parse(src, size, &small, &err);
    if (doc) gql_document_free(doc);
    else gql_syntax_error_free(err);

    gql_arena a;
    gql_arena_init(&a, 0);
    gql_value_node *v = gql_parse_value(&a, src, size, &err);
    if (v) {
        check_value(v);
        check_printed_value(v);
    } else {
        gql_syntax_error_free(err);
    }
    gql_type_node *t = gql_parse_type(&a, src, size, &err);
    if (t) {
        gql_buf b;
        gql_buf_init(&b);
        gql_print_type_node(&b, t);
        CHECK(b.len > 0);
        gql_buf_free(&b);
    } else {
        gql_syntax_error_free(err);
    }
    gql_arena_free(&a);
    return 0;
}
