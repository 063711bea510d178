/* test_parser_batch.c: the parser's fast paths. The batch lexer against the
 * one-token lexer; documents long enough to cross token batches, lookahead at
 * every batch boundary, errors found ahead of the parser, list stacks that
 * outgrow the parser struct, indentation of every width around the 16-byte
 * steps. Expected messages and positions are graphql-js 16.15's. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ast.h"
#include "lexer.h"

/* A growable string for building documents. */
typedef struct text {
    char *d;
    size_t len, cap;
} text;

static void put(text *t, const char *s) {
    size_t n = strlen(s);
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->d = realloc(t->d, t->cap);
        assert_non_null(t->d);
    }
    memcpy(t->d + t->len, s, n + 1);
    t->len += n;
}

static void putf(text *t, const char *fmt, ...) {
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    put(t, buf);
}

/* Lexes src with gql_lexer_next one token at a time and with
 * gql_lexer_next_batch in batches of `batch`: same tokens, same error. */
static void check_batch_equals_next(const char *src, size_t len, uint32_t batch) {
    gql_arena a1, a2;
    gql_arena_init(&a1, 0);
    gql_arena_init(&a2, 0);
    gql_lexer one, many;
    gql_lexer_init(&one, src, (uint32_t)len, &a1);
    gql_lexer_init(&many, src, (uint32_t)len, &a2);
    gql_token *buf = malloc(batch * sizeof *buf);
    assert_non_null(buf);
    bool one_ok = true, many_failed = false;
    uint32_t have = 0, used = 0;
    for (uint32_t i = 0;; i++) {
        gql_token t;
        one_ok = gql_lexer_next(&one, &t);
        if (used == have && !many_failed) {
            have = gql_lexer_next_batch(&many, buf, batch, &many_failed);
            used = 0;
        }
        if (!one_ok) {
            /* the batch stopped at the same error */
            assert_true(many_failed);
            assert_int_equal(used, have);
            assert_int_equal(many.err_pos, one.err_pos);
            assert_string_equal(many.err_msg, one.err_msg);
            break;
        }
        if (used == have) fail_msg("token %u of %.*s: the batch lexer stopped early", i, (int)len, src);
        const gql_token *b = &buf[used++];
        assert_int_equal(b->kind, t.kind);
        assert_int_equal(b->start, t.start);
        assert_int_equal(b->end, t.end);
        assert_int_equal(b->line, t.line);
        assert_int_equal(b->column, t.column);
        assert_int_equal(b->len, t.len);
        if (t.value) assert_memory_equal(b->value, t.value, t.len);
        else assert_null(b->value);
        if (t.kind == GQL_TOK_EOF) {
            assert_int_equal(used, have);   /* a batch ends after <EOF> */
            break;
        }
    }
    free(buf);
    gql_lexer_free(&one);
    gql_lexer_free(&many);
    gql_arena_free(&a1);
    gql_arena_free(&a2);
}

static void test_batch_lexer(void **state) {
    (void)state;
    static const char *const sources[] = {
        "",
        " ",
        "{ a }",
        "query Q($v: [Int!]! = [1, -2.5e3]) @d(x: \"s\") { a: b(c: $v) ...F ... on T { d } }",
        "{\n  a\n    b\n\n\n  c\n}",
        "{\r\n  a\r  b\n\r c }",
        "\xEF\xBB\xBF{ a }",
        "{ \"\xC3\xA9\xF0\x9F\x98\x80\" a }",
        "# comment \xF0\x9F\x98\x80\n{ a, b,,, c\t\td }",
        "\"\"\"\n   block\n     string\n\"\"\" type T { f: Int }",
        "{ a ? }",
        "{ a \xFF }",
        "{ a(x: 1.) }",
        "{ a(x: \"unterminated",
        "{ a .. b }",
        "{ a ... b }",
        "{ a }\n\x01",
        "{ a }\n\"\"\"\n",
    };
    static const uint32_t batches[] = {1, 2, 3, 5, 16, 63, 64};
    for (size_t i = 0; i < sizeof sources / sizeof *sources; i++)
        for (size_t b = 0; b < sizeof batches / sizeof *batches; b++)
            check_batch_equals_next(sources[i], strlen(sources[i]), batches[b]);

    /* Indentation and runs of spaces of every width around the 16-byte
     * steps, before names, punctuators and the end of the input. */
    for (int w = 0; w <= 40; w++) {
        for (int trailing = 0; trailing < 2; trailing++) {
            text t = {0};
            for (int k = 0; k < 3; k++) {
                put(&t, "\n");
                for (int s = 0; s < w; s++) put(&t, " ");
                put(&t, k == 1 ? "{" : "name");
                if (k < 2 || trailing)
                    for (int s = 0; s < w; s++) put(&t, " ");
            }
            for (size_t b = 0; b < sizeof batches / sizeof *batches; b++)
                check_batch_equals_next(t.d, t.len, batches[b]);
            free(t.d);
        }
    }
}

/* "{ f0 f1 ... f<n-1> }" followed by more. */
static void fields(text *t, int n) {
    put(t, "{");
    for (int i = 0; i < n; i++) putf(t, " f%d", i);
    put(t, " }");
}

static void test_lookahead_at_batch_boundaries(void **state) {
    (void)state;
    /* A description, then a type: parse_definition looks one token ahead of
     * the description; the prefix moves that token across batch boundaries. */
    for (int n = 1; n < 140; n++) {
        text t = {0};
        fields(&t, n);
        put(&t, " \"desc\" type T { f: Int } extend type T @d");
        gql_syntax_error *err;
        gql_document *doc = gql_parse(t.d, t.len, NULL, &err);
        if (!doc) fail_msg("n=%d: %s", n, err->message);
        assert_int_equal(doc->definition_count, 3);
        assert_int_equal(doc->definitions[0].selection_set->count, (uint32_t)n);
        const gql_definition *d = &doc->definitions[1];
        assert_int_equal(d->kind, GQL_OBJECT_TYPE_DEFINITION);
        assert_non_null(d->description);
        assert_string_equal(d->description->name.value, "desc");
        assert_string_equal(d->name.value, "T");
        assert_int_equal(doc->definitions[2].kind, GQL_OBJECT_TYPE_EXTENSION);
        assert_int_equal(doc->definitions[2].directive_count, 1);
        gql_document_free(doc);
        free(t.d);
    }

    /* The shorthand-query error found by lookahead, past the first batch. */
    text t = {0};
    fields(&t, 70);
    put(&t, " \"d\" {");
    gql_syntax_error *err;
    assert_null(gql_parse(t.d, t.len, NULL, &err));
    assert_string_equal(err->message, "Syntax Error: Unexpected description, descriptions are not supported on shorthand queries.");
    assert_int_equal(err->line, 1);
    assert_int_equal(err->column, 275);
    gql_syntax_error_free(err);
    free(t.d);
}

static void test_errors_found_ahead(void **state) {
    (void)state;
    gql_syntax_error *err;
    /* The lexer reaches "?" before the parser fails at the second "}":
     * the syntax error comes first, as in graphql-js. */
    assert_null(gql_parse("{ a } } ?", 9, NULL, &err));
    assert_string_equal(err->message, "Syntax Error: Unexpected \"}\".");
    assert_int_equal(err->line, 1);
    assert_int_equal(err->column, 7);
    gql_syntax_error_free(err);

    /* A lexical error many batches in. */
    text t = {0};
    put(&t, "{\n");
    for (int i = 0; i < 100; i++) putf(&t, "  f%d\n", i);
    put(&t, "  ?\n}");
    assert_null(gql_parse(t.d, t.len, NULL, &err));
    assert_string_equal(err->message, "Syntax Error: Unexpected character: \"?\".");
    assert_int_equal(err->line, 102);
    assert_int_equal(err->column, 3);
    gql_syntax_error_free(err);
    free(t.d);
}

static void test_max_tokens_across_batches(void **state) {
    (void)state;
    gql_parse_options opts = {.max_tokens = 100};
    gql_syntax_error *err;
    text t = {0};
    fields(&t, 98);   /* 100 tokens and <EOF> */
    gql_document *doc = gql_parse(t.d, t.len, &opts, &err);
    assert_non_null(doc);
    gql_document_free(doc);
    free(t.d);

    t = (text){0};
    fields(&t, 99);
    assert_null(gql_parse(t.d, t.len, &opts, &err));
    assert_string_equal(err->message, "Syntax Error: Document contains more that 100 tokens. Parsing aborted.");
    assert_int_equal(err->line, 1);
    assert_int_equal(err->column, 389);
    gql_syntax_error_free(err);
    free(t.d);
}

/* Selections, arguments and values enough to outgrow the list stack the
 * parser starts with, nested so that a stack move happens while a field's
 * slot is open. */
static void test_large_lists(void **state) {
    (void)state;
    text t = {0};
    put(&t, "{ outer(a: [");
    for (int i = 0; i < 300; i++) putf(&t, "%s{k%d: %d}", i ? ", " : "", i, i);
    put(&t, "]) @x(y: 1) {");
    for (int i = 0; i < 300; i++) putf(&t, " f%d: g%d(n: %d)", i, i, i);
    put(&t, " inner {");
    for (int i = 0; i < 100; i++) putf(&t, " h%d", i);
    put(&t, " } } last }");
    gql_syntax_error *err;
    gql_document *doc = gql_parse(t.d, t.len, NULL, &err);
    if (!doc) fail_msg("%s", err->message);
    const gql_selection_set *top = doc->definitions[0].selection_set;
    assert_int_equal(top->count, 2);
    const gql_selection *outer = &top->items[0];
    assert_string_equal(outer->name.value, "outer");
    assert_int_equal(outer->arg_count, 1);
    assert_int_equal(outer->args[0].value->item_count, 300);
    assert_string_equal(outer->args[0].value->items[299]->fields[0].name.value, "k299");
    assert_string_equal(outer->args[0].value->items[299]->fields[0].value->name.value, "299");
    assert_int_equal(outer->directive_count, 1);
    assert_string_equal(outer->directives[0].name.value, "x");
    assert_int_equal(outer->selection_set->count, 301);
    for (int i = 0; i < 300; i++) {
        const gql_selection *s = &outer->selection_set->items[i];
        char want[16];
        snprintf(want, sizeof want, "f%d", i);
        assert_string_equal(s->alias.value, want);
        assert_true(s->has_alias);
        snprintf(want, sizeof want, "g%d", i);
        assert_string_equal(s->name.value, want);
        assert_int_equal(s->arg_count, 1);
        assert_int_equal(s->id, (uint32_t)i + 1);   /* ids in document order */
    }
    const gql_selection *inner = &outer->selection_set->items[300];
    assert_string_equal(inner->name.value, "inner");
    assert_int_equal(inner->selection_set->count, 100);
    assert_string_equal(inner->selection_set->items[99].name.value, "h99");
    assert_string_equal(top->items[1].name.value, "last");
    assert_int_equal(top->items[1].id, 402);
    assert_int_equal(doc->selection_count, 403);
    /* locations survive the stack moves */
    assert_int_equal(outer->loc.start, 2);
    assert_int_equal(outer->loc.end, (uint32_t)(strstr(t.d, " last") - t.d));
    assert_int_equal(top->items[1].loc.start, (uint32_t)(strstr(t.d, "last") - t.d));
    gql_document_free(doc);
    free(t.d);
}

static void test_indentation_positions(void **state) {
    (void)state;
    /* Every indentation width from 0 to 40, then a field; each field's line
     * and column. */
    text t = {0};
    put(&t, "{");
    for (int w = 0; w <= 40; w++) {
        put(&t, "\n");
        for (int s = 0; s < w; s++) put(&t, " ");
        putf(&t, "f%d", w);
        for (int s = 0; s < w % 5; s++) put(&t, " ");
    }
    put(&t, "\n}");
    gql_syntax_error *err;
    gql_document *doc = gql_parse(t.d, t.len, NULL, &err);
    if (!doc) fail_msg("%s", err->message);
    const gql_selection_set *set = doc->definitions[0].selection_set;
    assert_int_equal(set->count, 41);
    for (uint32_t w = 0; w <= 40; w++) {
        assert_int_equal(set->items[w].loc.line, w + 2);
        assert_int_equal(set->items[w].loc.column, w + 1);
        assert_int_equal(set->items[w].name.len, w < 10 ? 2 : 3);
    }
    assert_int_equal(set->loc.end, (uint32_t)t.len);
    gql_document_free(doc);
    free(t.d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batch_lexer),
        cmocka_unit_test(test_lookahead_at_batch_boundaries),
        cmocka_unit_test(test_errors_found_ahead),
        cmocka_unit_test(test_max_tokens_across_batches),
        cmocka_unit_test(test_large_lists),
        cmocka_unit_test(test_indentation_positions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
