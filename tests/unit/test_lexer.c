/* test_lexer.c: tokens, values, positions and UTF-8 handling of the lexer.
 * Expected columns are graphql-js's (UTF-16 code units). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "lexer.h"

typedef struct lexfix {
    gql_arena arena;
    gql_lexer lx;
} lexfix;

static void lex_start(lexfix *f, const char *src, size_t len) {
    gql_arena_init(&f->arena, 0);
    gql_lexer_init(&f->lx, src, (uint32_t)len, &f->arena);
}

static void lex_end(lexfix *f) {
    gql_lexer_free(&f->lx);
    gql_arena_free(&f->arena);
}

static gql_token next_ok(lexfix *f) {
    gql_token t;
    bool ok = gql_lexer_next(&f->lx, &t);
    if (!ok) fail_msg("lex error: %s", f->lx.err_msg);
    return t;
}

static void assert_value(const gql_token *t, const char *v, size_t n) {
    assert_int_equal(t->len, n);
    assert_memory_equal(t->value, v, n);
}

static void test_punctuators(void **state) {
    (void)state;
    lexfix f;
    const char *src = "! $ & ( ) ... : = @ [ ] { | }";
    static const gql_tok_kind kinds[] = {GQL_TOK_BANG,      GQL_TOK_DOLLAR,    GQL_TOK_AMP,   GQL_TOK_PAREN_L,
                                         GQL_TOK_PAREN_R,   GQL_TOK_SPREAD,    GQL_TOK_COLON, GQL_TOK_EQUALS,
                                         GQL_TOK_AT,        GQL_TOK_BRACKET_L, GQL_TOK_BRACKET_R,
                                         GQL_TOK_BRACE_L,   GQL_TOK_PIPE,      GQL_TOK_BRACE_R};
    static const uint32_t cols[] = {1, 3, 5, 7, 9, 11, 15, 17, 19, 21, 23, 25, 27, 29};
    lex_start(&f, src, strlen(src));
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        gql_token t = next_ok(&f);
        assert_int_equal(t.kind, kinds[i]);
        assert_int_equal(t.column, cols[i]);
        assert_int_equal(t.start, cols[i] - 1);
        assert_null(t.value);
    }
    gql_token t = next_ok(&f);
    assert_int_equal(t.kind, GQL_TOK_EOF);
    assert_int_equal(t.start, strlen(src));
    /* EOF repeats */
    t = next_ok(&f);
    assert_int_equal(t.kind, GQL_TOK_EOF);
    lex_end(&f);
}

static void test_names_and_numbers(void **state) {
    (void)state;
    lexfix f;
    const char *src = "_a1B query 0 -12 3.25 -1.5e+3 4E-2 7e9";
    lex_start(&f, src, strlen(src));
    gql_token t = next_ok(&f);
    assert_int_equal(t.kind, GQL_TOK_NAME);
    assert_value(&t, "_a1B", 4);
    t = next_ok(&f);
    assert_value(&t, "query", 5);
    struct {
        gql_tok_kind k;
        const char *v;
    } nums[] = {{GQL_TOK_INT, "0"},     {GQL_TOK_INT, "-12"},   {GQL_TOK_FLOAT, "3.25"},
                {GQL_TOK_FLOAT, "-1.5e+3"}, {GQL_TOK_FLOAT, "4E-2"}, {GQL_TOK_FLOAT, "7e9"}};
    for (size_t i = 0; i < 6; i++) {
        t = next_ok(&f);
        assert_int_equal(t.kind, nums[i].k);
        assert_value(&t, nums[i].v, strlen(nums[i].v));
    }
    lex_end(&f);
}

static void test_strings_and_escapes(void **state) {
    (void)state;
    lexfix f;
    const char *src = "\"\" \"plain\" \"q\\\"\\\\\\/\\b\\f\\n\\r\\t\" \"\\u0041\\u{1F600}\\uD83D\\uDE00\" \"nul\\u0000x\" \"\\u{10FFFF}\"";
    lex_start(&f, src, strlen(src));
    gql_token t = next_ok(&f);
    assert_int_equal(t.kind, GQL_TOK_STRING);
    assert_value(&t, "", 0);
    t = next_ok(&f);
    assert_value(&t, "plain", 5);
    assert_int_equal(t.value[5], 0);   /* NUL-terminated */
    t = next_ok(&f);
    assert_value(&t, "q\"\\/\b\f\n\r\t", 9);
    t = next_ok(&f);
    assert_value(&t, "A\xF0\x9F\x98\x80\xF0\x9F\x98\x80", 9);
    t = next_ok(&f);
    assert_value(&t, "nul\0x", 5);
    t = next_ok(&f);
    assert_value(&t, "\xF4\x8F\xBF\xBF", 4);
    lex_end(&f);
}

static void test_block_strings(void **state) {
    (void)state;
    lexfix f;
    const char *src = "\"\"\"\n    hello\n      world\n    \"\"\" \"\"\"  first\n  second\"\"\" \"\"\"a \\\"\"\" b\"\"\" \"\"\"\n \n\"\"\" x";
    lex_start(&f, src, strlen(src));
    gql_token t = next_ok(&f);
    assert_int_equal(t.kind, GQL_TOK_BLOCK_STRING);
    assert_value(&t, "hello\n  world", 13);
    assert_int_equal(t.line, 1);
    t = next_ok(&f);   /* the first line keeps its indentation */
    assert_value(&t, "  first\nsecond", 14);
    assert_int_equal(t.line, 4);
    assert_int_equal(t.column, 9);
    t = next_ok(&f);
    assert_value(&t, "a \"\"\" b", 7);
    assert_int_equal(t.line, 5);
    t = next_ok(&f);   /* only blank lines: empty */
    assert_value(&t, "", 0);
    t = next_ok(&f);
    assert_int_equal(t.kind, GQL_TOK_NAME);
    assert_int_equal(t.line, 7);
    assert_int_equal(t.column, 5);
    lex_end(&f);
}

static void test_line_terminators_comments_bom(void **state) {
    (void)state;
    lexfix f;
    const char *src = "\xEF\xBB\xBF" "a # comment \xF0\x9F\x98\x80 }\r\n  b\r  c\n\t,d";
    lex_start(&f, src, strlen(src));
    gql_token t = next_ok(&f);
    assert_value(&t, "a", 1);
    assert_int_equal(t.start, 3);
    assert_int_equal(t.column, 2);   /* the BOM is one UTF-16 unit */
    t = next_ok(&f);
    assert_value(&t, "b", 1);
    assert_int_equal(t.line, 2);
    assert_int_equal(t.column, 3);
    t = next_ok(&f);
    assert_int_equal(t.line, 3);
    assert_int_equal(t.column, 3);
    t = next_ok(&f);
    assert_value(&t, "d", 1);
    assert_int_equal(t.line, 4);
    assert_int_equal(t.column, 3);
    lex_end(&f);
}

static void test_utf16_columns(void **state) {
    (void)state;
    lexfix f;
    /* é is 2 bytes and 1 unit, 😀 4 bytes and 2 units. */
    const char *src = "\"\xC3\xA9\xF0\x9F\x98\x80\" a \"\"\"\xC3\xA9\n\xF0\x9F\x98\x80\"\"\" b";
    lex_start(&f, src, strlen(src));
    gql_token t = next_ok(&f);
    assert_value(&t, "\xC3\xA9\xF0\x9F\x98\x80", 6);
    t = next_ok(&f);
    assert_int_equal(t.start, 9);
    assert_int_equal(t.column, 7);
    t = next_ok(&f);
    assert_int_equal(t.column, 9);
    t = next_ok(&f);
    assert_value(&t, "b", 1);
    assert_int_equal(t.line, 2);
    assert_int_equal(t.column, 7);
    lex_end(&f);
}

static void test_invalid_utf8_in_strings(void **state) {
    (void)state;
    lexfix f;
    /* ED A0 80 (an encoded surrogate) is three maximal subparts; F0 9F 98 is one. */
    const char *src = "\"a\xED\xA0\x80" "b\xF0\x9F\x98\" c \"\"\"\xFF\"\"\"";
    lex_start(&f, src, strlen(src));
    gql_token t = next_ok(&f);
    assert_value(&t, "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "b\xEF\xBF\xBD", 14);
    t = next_ok(&f);
    assert_value(&t, "c", 1);
    assert_int_equal(t.column, 10);
    t = next_ok(&f);
    assert_value(&t, "\xEF\xBF\xBD", 3);
    lex_end(&f);
}

static void test_errors(void **state) {
    (void)state;
    struct {
        const char *src;
        const char *msg;
        uint32_t pos;
    } cases[] = {
        {"\x01", "Unexpected character: U+0001.", 0},
        {"'", "Unexpected single quote character ('), did you mean to use a double quote (\")?", 0},
        {"..", "Unexpected character: \".\".", 0},
        {"\xFF", "Unexpected character: U+FFFD.", 0},
        {"\xF0\x9F\x98\x80", "Unexpected character: U+1F600.", 0},
        {"01", "Invalid number, unexpected digit after 0: \"1\".", 1},
        {"1.", "Invalid number, expected digit but got: <EOF>.", 2},
        {"1e\"", "Invalid number, expected digit but got: '\"'.", 2},
        {"12a", "Invalid number, expected digit but got: \"a\".", 2},
        {"\"abc", "Unterminated string.", 4},
        {"\"a\nb\"", "Unterminated string.", 2},
        {"\"\\x\"", "Invalid character escape sequence: \"\\x\".", 1},
        {"\"\\u{110000}\"", "Invalid Unicode escape sequence: \"\\u{110000}\".", 1},
        {"\"\\uD800x\"", "Invalid Unicode escape sequence: \"\\uD800\".", 1},
        {"\"\\u\xC3\xA9\"", "Invalid Unicode escape sequence: \"\\u\xC3\xA9\"\".", 1},
        {"\"\"\"abc", "Unterminated string.", 6},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        lexfix f;
        gql_token t;
        lex_start(&f, cases[i].src, strlen(cases[i].src));
        bool ok = gql_lexer_next(&f.lx, &t);
        if (ok) fail_msg("no error for case %zu", i);
        assert_string_equal(f.lx.err_msg, cases[i].msg);
        assert_int_equal(f.lx.err_pos, cases[i].pos);
        lex_end(&f);
    }
}

static void test_utf8_decode(void **state) {
    (void)state;
    uint32_t cp;
    const unsigned char s1[] = {0xED, 0xA0, 0x80};
    assert_int_equal(gql_utf8_decode(s1, 3, 0, &cp), 1);
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(gql_utf8_decode(s1, 3, 1, &cp), 1);
    const unsigned char s2[] = {0xF0, 0x9F, 0x98, 'a'};
    assert_int_equal(gql_utf8_decode(s2, 4, 0, &cp), 3);
    assert_int_equal(cp, 0xFFFD);
    const unsigned char s3[] = {0xE2, 0x82};
    assert_int_equal(gql_utf8_decode(s3, 2, 0, &cp), 2);
    const unsigned char s4[] = {0xE2, 0x82, 0xAC};
    assert_int_equal(gql_utf8_decode(s4, 3, 0, &cp), 3);
    assert_int_equal(cp, 0x20AC);
    const unsigned char s5[] = {0xC0, 0xAF};
    assert_int_equal(gql_utf8_decode(s5, 2, 0, &cp), 1);
    assert_int_equal(cp, 0xFFFD);
    const unsigned char s6[] = {0xF4, 0x90, 0x80, 0x80};
    assert_int_equal(gql_utf8_decode(s6, 4, 0, &cp), 1);
}

static void test_source_location(void **state) {
    (void)state;
    const char *src = "ab\r\ncd\n\xF0\x9F\x98\x80x\rz";
    uint32_t line, col;
    gql_source_location(src, (uint32_t)strlen(src), 1, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 2);
    gql_source_location(src, (uint32_t)strlen(src), 5, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 2);
    gql_source_location(src, (uint32_t)strlen(src), 11, &line, &col);   /* x after 😀 */
    assert_int_equal(line, 3);
    assert_int_equal(col, 3);
    gql_source_location(src, (uint32_t)strlen(src), 13, &line, &col);
    assert_int_equal(line, 4);
    assert_int_equal(col, 1);
}

static void test_kind_names(void **state) {
    (void)state;
    assert_string_equal(gql_tok_kind_name(GQL_TOK_EOF), "<EOF>");
    assert_string_equal(gql_tok_kind_name(GQL_TOK_SPREAD), "...");
    assert_string_equal(gql_tok_kind_name(GQL_TOK_BLOCK_STRING), "BlockString");
    assert_true(gql_tok_is_punctuator(GQL_TOK_BANG));
    assert_true(gql_tok_is_punctuator(GQL_TOK_BRACE_R));
    assert_false(gql_tok_is_punctuator(GQL_TOK_NAME));
    assert_false(gql_tok_is_punctuator(GQL_TOK_EOF));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_punctuators),
        cmocka_unit_test(test_names_and_numbers),
        cmocka_unit_test(test_strings_and_escapes),
        cmocka_unit_test(test_block_strings),
        cmocka_unit_test(test_line_terminators_comments_bom),
        cmocka_unit_test(test_utf16_columns),
        cmocka_unit_test(test_invalid_utf8_in_strings),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_utf8_decode),
        cmocka_unit_test(test_source_location),
        cmocka_unit_test(test_kind_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
