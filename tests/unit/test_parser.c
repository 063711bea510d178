/* test_parser.c: documents, locations, limits and every class of syntax error.
 * The error table was produced by graphql-js 16.15 (parse() on the same
 * bytes, decoded as Node's TextDecoder does). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ast.h"

static const struct {
    const char *src;
    size_t len;
    const char *message;
    uint32_t line, column;
} syntax_errors[] = {
    {"\"d\" { a }", 9, "Syntax Error: Unexpected description, descriptions are not supported on shorthand queries.", 1, 1},
    {"\"d\" extend type A @x", 20, "Syntax Error: Unexpected description, only GraphQL definitions support descriptions.", 1, 1},
    {"extend type A", 13, "Syntax Error: Unexpected <EOF>.", 1, 14},
    {"extend schema", 13, "Syntax Error: Unexpected <EOF>.", 1, 14},
    {"type T implements A B { f: Int }", 32, "Syntax Error: Unexpected Name \"B\".", 1, 21},
    {"enum E { true }", 15, "Syntax Error: Name \"true\" is reserved and cannot be used for an enum value.", 1, 10},
    {"enum E { \"x\" null }", 19, "Syntax Error: Name \"null\" is reserved and cannot be used for an enum value.", 1, 14},
    {"enum E { \"true\" }", 17, "Syntax Error: Expected Name, found \"}\".", 1, 17},
    {"directive @d on FOO", 19, "Syntax Error: Unexpected Name \"FOO\".", 1, 17},
    {"extend scalar S", 15, "Syntax Error: Unexpected <EOF>.", 1, 16},
    {"extend interface I", 18, "Syntax Error: Unexpected <EOF>.", 1, 19},
    {"extend union U", 14, "Syntax Error: Unexpected <EOF>.", 1, 15},
    {"extend enum E", 13, "Syntax Error: Unexpected <EOF>.", 1, 14},
    {"extend input I", 14, "Syntax Error: Unexpected <EOF>.", 1, 15},
    {"extend directive @d on FIELD", 28, "Syntax Error: Unexpected Name \"directive\".", 1, 8},
    {"extend foo", 10, "Syntax Error: Unexpected Name \"foo\".", 1, 8},
    {"extend \"x\"", 10, "Syntax Error: Unexpected String \"x\".", 1, 8},
    {"", 0, "Syntax Error: Unexpected <EOF>.", 1, 1},
    {" ", 1, "Syntax Error: Unexpected <EOF>.", 1, 2},
    {"# comment", 9, "Syntax Error: Unexpected <EOF>.", 1, 10},
    {"{", 1, "Syntax Error: Expected Name, found <EOF>.", 1, 2},
    {"{}", 2, "Syntax Error: Expected Name, found \"}\".", 1, 2},
    {"{ a", 3, "Syntax Error: Expected Name, found <EOF>.", 1, 4},
    {"{ a(", 4, "Syntax Error: Expected Name, found <EOF>.", 1, 5},
    {"{ a(b) }", 8, "Syntax Error: Expected \":\", found \")\".", 1, 6},
    {"{ a(b:) }", 9, "Syntax Error: Unexpected \")\".", 1, 7},
    {"{ ...on }", 9, "Syntax Error: Expected Name, found \"}\".", 1, 9},
    {"{ ... on }", 10, "Syntax Error: Expected Name, found \"}\".", 1, 10},
    {"fragment on on T { a }", 22, "Syntax Error: Unexpected Name \"on\".", 1, 10},
    {"fragment \"on\" on T { a }", 24, "Syntax Error: Unexpected String \"on\".", 1, 10},
    {"fragment F T { a }", 18, "Syntax Error: Expected \"on\", found Name \"T\".", 1, 12},
    {"query ($a: Int = $b) { a }", 26, "Syntax Error: Unexpected variable \"$b\" in constant value.", 1, 18},
    {"query ($a: Int = $) { a }", 25, "Syntax Error: Unexpected \"$\".", 1, 18},
    {"query ($a: Int @d(x: $v)) { a }", 31, "Syntax Error: Unexpected variable \"$v\" in constant value.", 1, 22},
    {"type T { f(a: Int = $v): Int }", 30, "Syntax Error: Unexpected variable \"$v\" in constant value.", 1, 21},
    {"{ a(x: $) }", 11, "Syntax Error: Expected Name, found \")\".", 1, 9},
    {"\000", 1, "Syntax Error: Unexpected character: U+0000.", 1, 1},
    {"\001", 1, "Syntax Error: Unexpected character: U+0001.", 1, 1},
    {"?", 1, "Syntax Error: Unexpected character: \"?\".", 1, 1},
    {"'", 1, "Syntax Error: Unexpected single quote character ('), did you mean to use a double quote (\")?", 1, 1},
    {".", 1, "Syntax Error: Unexpected character: \".\".", 1, 1},
    {"..", 2, "Syntax Error: Unexpected character: \".\".", 1, 1},
    {"...", 3, "Syntax Error: Unexpected \"...\".", 1, 1},
    {"{ a } }", 7, "Syntax Error: Unexpected \"}\".", 1, 7},
    {"{ a }\n}", 7, "Syntax Error: Unexpected \"}\".", 2, 1},
    {"query", 5, "Syntax Error: Expected \"{\", found <EOF>.", 1, 6},
    {"query Q", 7, "Syntax Error: Expected \"{\", found <EOF>.", 1, 8},
    {"query Q (", 9, "Syntax Error: Expected \"$\", found <EOF>.", 1, 10},
    {"foo", 3, "Syntax Error: Unexpected Name \"foo\".", 1, 1},
    {"\"d\" foo", 7, "Syntax Error: Unexpected description, only GraphQL definitions support descriptions.", 1, 1},
    {"\"d\" \"e\"", 7, "Syntax Error: Unexpected String \"e\".", 1, 5},
    {"\"d\"", 3, "Syntax Error: Unexpected <EOF>.", 1, 4},
    {"scalar", 6, "Syntax Error: Expected Name, found <EOF>.", 1, 7},
    {"type", 4, "Syntax Error: Expected Name, found <EOF>.", 1, 5},
    {"type T implements", 17, "Syntax Error: Expected Name, found <EOF>.", 1, 18},
    {"type T implements &", 19, "Syntax Error: Expected Name, found <EOF>.", 1, 20},
    {"1", 1, "Syntax Error: Unexpected Int \"1\".", 1, 1},
    {"-", 1, "Syntax Error: Invalid number, expected digit but got: <EOF>.", 1, 2},
    {"-1", 2, "Syntax Error: Unexpected Int \"-1\".", 1, 1},
    {"01", 2, "Syntax Error: Invalid number, unexpected digit after 0: \"1\".", 1, 2},
    {"1.", 2, "Syntax Error: Invalid number, expected digit but got: <EOF>.", 1, 3},
    {"1.a", 3, "Syntax Error: Invalid number, expected digit but got: \"a\".", 1, 3},
    {"1e", 2, "Syntax Error: Invalid number, expected digit but got: <EOF>.", 1, 3},
    {"1e+", 3, "Syntax Error: Invalid number, expected digit but got: <EOF>.", 1, 4},
    {"1ea", 3, "Syntax Error: Invalid number, expected digit but got: \"a\".", 1, 3},
    {"1.2.3", 5, "Syntax Error: Invalid number, expected digit but got: \".\".", 1, 4},
    {"0x1", 3, "Syntax Error: Invalid number, expected digit but got: \"x\".", 1, 2},
    {"1_", 2, "Syntax Error: Invalid number, expected digit but got: \"_\".", 1, 2},
    {"123abc", 6, "Syntax Error: Invalid number, expected digit but got: \"a\".", 1, 4},
    {"-0", 2, "Syntax Error: Unexpected Int \"-0\".", 1, 1},
    {"00", 2, "Syntax Error: Invalid number, unexpected digit after 0: \"0\".", 1, 2},
    {"1.0e-5", 6, "Syntax Error: Unexpected Float \"1.0e-5\".", 1, 1},
    {"\"abc", 4, "Syntax Error: Unterminated string.", 1, 5},
    {"\"abc\n\"", 6, "Syntax Error: Unterminated string.", 1, 5},
    {"\"a\\x\"", 5, "Syntax Error: Invalid character escape sequence: \"\\x\".", 1, 3},
    {"\"\\u12\"", 6, "Syntax Error: Invalid Unicode escape sequence: \"\\u12\"\".", 1, 2},
    {"\"\\u{}\"", 6, "Syntax Error: Invalid Unicode escape sequence: \"\\u{}\".", 1, 2},
    {"\"\\u{110000}\"", 12, "Syntax Error: Invalid Unicode escape sequence: \"\\u{110000}\".", 1, 2},
    {"\"\\u{10FFFF}\"", 12, "Syntax Error: Unexpected <EOF>.", 1, 13},
    {"\"\\u{1F600}\"", 11, "Syntax Error: Unexpected <EOF>.", 1, 12},
    {"\"\\uD83D\\uDE00\"", 14, "Syntax Error: Unexpected <EOF>.", 1, 15},
    {"\"\\uD83D\"", 8, "Syntax Error: Invalid Unicode escape sequence: \"\\uD83D\".", 1, 2},
    {"\"\\uDE00\"", 8, "Syntax Error: Invalid Unicode escape sequence: \"\\uDE00\".", 1, 2},
    {"\"\\uD83Dx\"", 9, "Syntax Error: Invalid Unicode escape sequence: \"\\uD83D\".", 1, 2},
    {"\"\\uD83D\\u0041\"", 14, "Syntax Error: Invalid Unicode escape sequence: \"\\uD83D\".", 1, 2},
    {"\"\\u{00000041}\"", 14, "Syntax Error: Unexpected <EOF>.", 1, 15},
    {"\"\\u{000000041}\"", 15, "Syntax Error: Invalid Unicode escape sequence: \"\\u{000000041\".", 1, 2},
    {"\"\\u{FFFFFFFF}\"", 14, "Syntax Error: Invalid Unicode escape sequence: \"\\u{FFFFFFFF\".", 1, 2},
    {"\"\\u{8000000}\"", 13, "Syntax Error: Invalid Unicode escape sequence: \"\\u{8000000}\".", 1, 2},
    {"\"\\u{D800}\"", 10, "Syntax Error: Invalid Unicode escape sequence: \"\\u{D800}\".", 1, 2},
    {"\"\\", 2, "Syntax Error: Invalid character escape sequence: \"\\\".", 1, 2},
    {"\"\\u", 3, "Syntax Error: Invalid Unicode escape sequence: \"\\u\".", 1, 2},
    {"\"\\u{", 4, "Syntax Error: Invalid Unicode escape sequence: \"\\u{\".", 1, 2},
    {"\"\\u{1", 5, "Syntax Error: Invalid Unicode escape sequence: \"\\u{1\".", 1, 2},
    {"\"\\uZZZZ\"", 8, "Syntax Error: Invalid Unicode escape sequence: \"\\uZZZZ\".", 1, 2},
    {"\"\"\"abc", 6, "Syntax Error: Unterminated string.", 1, 7},
    {"\"\"\"  a\n    b\n  c\n\"\"\"", 20, "Syntax Error: Unexpected <EOF>.", 4, 4},
    {"\"\"\"\n\n  a\n\n\"\"\"", 13, "Syntax Error: Unexpected <EOF>.", 5, 4},
    {"\"\"\"\\\"\"\"x\"\"\"", 11, "Syntax Error: Unexpected <EOF>.", 1, 12},
    {"\"\"\"a\r\nb\rc\"\"\"", 12, "Syntax Error: Unexpected <EOF>.", 3, 5},
    {"\"\"\"   \"\"\"", 9, "Syntax Error: Unexpected <EOF>.", 1, 10},
    {"\"\"\"\t\n \n\"\"\"", 10, "Syntax Error: Unexpected <EOF>.", 3, 4},
    {"{ a(x: {a}) }", 13, "Syntax Error: Expected \":\", found \"}\".", 1, 10},
    {"{ a(x: {a:}) }", 14, "Syntax Error: Unexpected \"}\".", 1, 11},
    {"{ a(x: [1 2 3) }", 16, "Syntax Error: Unexpected \")\".", 1, 14},
    {"{ a }\r\n{", 8, "Syntax Error: Expected Name, found <EOF>.", 2, 2},
    {"{ a }\r{", 7, "Syntax Error: Expected Name, found <EOF>.", 2, 2},
    {"{ a }\n\r{", 8, "Syntax Error: Expected Name, found <EOF>.", 3, 2},
    {"{ \"\303\251\" }", 8, "Syntax Error: Expected Name, found String \"\303\251\".", 1, 3},
    {"{ a(x: \"\303\251\360\237\230\200\") b(", 19, "Syntax Error: Expected Name, found <EOF>.", 1, 17},
    {"{ a(x: \"\303\251\360\237\230\200\") b(y: \"\\u{1F600}\") c(", 37, "Syntax Error: Expected Name, found <EOF>.", 1, 35},
    {"\360\237\230\200", 4, "Syntax Error: Unexpected character: U+1F600.", 1, 1},
    {"\303\251", 2, "Syntax Error: Unexpected character: U+00E9.", 1, 1},
    {"\302\240", 2, "Syntax Error: Unexpected character: U+00A0.", 1, 1},
    {"\342\200\250", 3, "Syntax Error: Unexpected character: U+2028.", 1, 1},
    {"# \303\251\360\237\230\200\n{ a b(", 15, "Syntax Error: Expected Name, found <EOF>.", 2, 7},
    {"\"\"\"\303\251\360\237\230\200\n\360\237\230\200 x\"\"\" {", 21, "Syntax Error: Unexpected description, descriptions are not supported on shorthand queries.", 1, 1},
    {"\"\"\"\303\251\n\360\237\230\200\360\237\230\200\"\"\" x", 19, "Syntax Error: Unexpected description, only GraphQL definitions support descriptions.", 1, 1},
    {"\t\t{ a }\t?", 9, "Syntax Error: Unexpected character: \"?\".", 1, 9},
    {"query Q($a: [Int) { a }", 23, "Syntax Error: Expected \"]\", found \")\".", 1, 17},
    {"query Q($a: Int!!) { a }", 24, "Syntax Error: Expected \"$\", found \"!\".", 1, 17},
    {"query Q($a) { a }", 17, "Syntax Error: Expected \":\", found \")\".", 1, 11},
    {"query Q($a: ) { a }", 19, "Syntax Error: Expected Name, found \")\".", 1, 13},
    {"{ a @ }", 7, "Syntax Error: Expected Name, found \"}\".", 1, 7},
    {"{ a @d( }", 9, "Syntax Error: Expected Name, found \"}\".", 1, 9},
    {"{ a: b: c }", 11, "Syntax Error: Expected Name, found \":\".", 1, 7},
    {"{ a: }", 6, "Syntax Error: Expected Name, found \"}\".", 1, 6},
    {"schema {}", 9, "Syntax Error: Expected Name, found \"}\".", 1, 9},
    {"schema { foo: Q }", 17, "Syntax Error: Unexpected Name \"foo\".", 1, 10},
    {"schema { query Q }", 18, "Syntax Error: Expected \":\", found Name \"Q\".", 1, 16},
    {"enum E {}", 9, "Syntax Error: Expected Name, found \"}\".", 1, 9},
    {"type T {}", 9, "Syntax Error: Expected Name, found \"}\".", 1, 9},
    {"input I {}", 10, "Syntax Error: Expected Name, found \"}\".", 1, 10},
    {"type T { f(): Int }", 19, "Syntax Error: Expected Name, found \")\".", 1, 12},
    {"directive @d() on FIELD", 23, "Syntax Error: Expected Name, found \")\".", 1, 14},
    {"directive d on FIELD", 20, "Syntax Error: Expected \"@\", found Name \"d\".", 1, 11},
    {"directive @d FIELD", 18, "Syntax Error: Expected \"on\", found Name \"FIELD\".", 1, 14},
    {"directive @d repeatable FIELD", 29, "Syntax Error: Expected \"on\", found Name \"FIELD\".", 1, 25},
    {"{ a }\n\n  ?", 10, "Syntax Error: Unexpected character: \"?\".", 3, 3},
    {"{\n  a(x: \"\\u{D800}\")\n}", 22, "Syntax Error: Invalid Unicode escape sequence: \"\\u{D800}\".", 2, 9},
    {"\"\303\251\" ?", 6, "Syntax Error: Unexpected character: \"?\".", 1, 5},
    {"\"\360\237\230\200\" ?", 8, "Syntax Error: Unexpected character: \"?\".", 1, 6},
    {"\"\"\"\n\360\237\230\200\n\"\"\" ?", 14, "Syntax Error: Unexpected character: \"?\".", 3, 5},
    {"{ a(x: 1)\n  b(x: 1.)\n}", 22, "Syntax Error: Invalid number, expected digit but got: \")\".", 2, 10},
    {"query Q($v: Int = $w) { a }", 27, "Syntax Error: Unexpected variable \"$w\" in constant value.", 1, 19},
    {"type T { f: Int } ?", 19, "Syntax Error: Unexpected character: \"?\".", 1, 19},
    {"{ a(x: \"\\q\") }", 14, "Syntax Error: Invalid character escape sequence: \"\\q\".", 1, 9},
    {"{ \377 }", 5, "Syntax Error: Unexpected character: U+FFFD.", 1, 3},
    {"\"\355\240\200\" ?", 7, "Syntax Error: Unexpected character: \"?\".", 1, 7},
    {"\"\360\237\230\" ?", 7, "Syntax Error: Unexpected character: \"?\".", 1, 5},
    {"\303(", 2, "Syntax Error: Unexpected character: U+FFFD.", 1, 1},
};

static void test_syntax_errors(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof syntax_errors / sizeof *syntax_errors; i++) {
        gql_syntax_error *err = NULL;
        gql_document *doc = gql_parse(syntax_errors[i].src, syntax_errors[i].len, NULL, &err);
        if (doc) fail_msg("parsed without error: case %zu", i);
        assert_non_null(err);
        if (strcmp(err->message, syntax_errors[i].message) != 0)
            fail_msg("case %zu: got '%s', want '%s'", i, err->message, syntax_errors[i].message);
        if (err->line != syntax_errors[i].line || err->column != syntax_errors[i].column)
            fail_msg("case %zu (%s): at %u:%u, want %u:%u", i, err->message, err->line, err->column,
                     syntax_errors[i].line, syntax_errors[i].column);
        gql_syntax_error_free(err);
    }
}

static gql_document *parse_ok(const char *src) {
    gql_syntax_error *err = NULL;
    gql_document *doc = gql_parse(src, strlen(src), NULL, &err);
    if (!doc) fail_msg("syntax error: %s", err->message);
    assert_null(err);
    return doc;
}

static void assert_name(const gql_name *n, const char *v) {
    assert_string_equal(n->value, v);
    assert_int_equal(n->len, strlen(v));
}

static void assert_loc(gql_loc l, uint32_t start, uint32_t end, uint32_t line, uint32_t column) {
    assert_int_equal(l.start, start);
    assert_int_equal(l.end, end);
    assert_int_equal(l.line, line);
    assert_int_equal(l.column, column);
}

/* Locations checked against graphql-js's loc.start/loc.end and getLocation(). */
static void test_executable_document(void **state) {
    (void)state;
    const char *src = "query Q($v: [Int!]! = [1]) {\n  al: f(x: $v) @d(a: {b: 1}) { g }\n  ... on T { h }\n  ...F\n}";
    gql_document *doc = parse_ok(src);
    assert_loc(doc->loc, 0, 89, 1, 1);
    assert_int_equal(doc->source_len, strlen(src));
    assert_memory_equal(doc->source, src, strlen(src));
    assert_int_equal(doc->definition_count, 1);
    const gql_definition *op = &doc->definitions[0];
    assert_int_equal(op->kind, GQL_OPERATION_DEFINITION);
    assert_int_equal(op->operation, GQL_OP_QUERY);
    assert_true(op->has_name);
    assert_name(&op->name, "Q");
    assert_loc(op->loc, 0, 89, 1, 1);

    assert_int_equal(op->variable_count, 1);
    const gql_variable_definition *v = &op->variables[0];
    assert_loc(v->loc, 8, 25, 1, 9);
    assert_int_equal(v->variable->kind, GQL_VARIABLE);
    assert_loc(v->variable->loc, 8, 10, 1, 9);        /* starts at '$' */
    assert_name(&v->variable->name, "v");
    assert_loc(v->variable->name.loc, 9, 10, 1, 10);  /* the name alone */
    assert_int_equal(v->type->kind, GQL_NON_NULL_TYPE);
    assert_loc(v->type->loc, 12, 19, 1, 13);
    assert_int_equal(v->type->of->kind, GQL_LIST_TYPE);
    assert_loc(v->type->of->loc, 12, 18, 1, 13);
    assert_int_equal(v->type->of->of->kind, GQL_NON_NULL_TYPE);
    assert_loc(v->type->of->of->loc, 13, 17, 1, 14);
    assert_name(&v->type->of->of->of->name, "Int");
    assert_int_equal(v->default_value->kind, GQL_LIST_VALUE);
    assert_loc(v->default_value->loc, 22, 25, 1, 23);
    assert_int_equal(v->default_value->item_count, 1);
    assert_name(&v->default_value->items[0]->name, "1");

    const gql_selection_set *ss = op->selection_set;
    assert_loc(ss->loc, 27, 89, 1, 28);
    assert_int_equal(ss->count, 3);
    const gql_selection *f = &ss->items[0];
    assert_int_equal(f->kind, GQL_FIELD);
    assert_loc(f->loc, 31, 63, 2, 3);   /* starts at the alias */
    assert_true(f->has_alias);
    assert_name(&f->alias, "al");
    assert_loc(f->alias.loc, 31, 33, 2, 3);
    assert_name(&f->name, "f");
    assert_loc(f->name.loc, 35, 36, 2, 7);
    assert_int_equal(f->arg_count, 1);
    assert_loc(f->args[0].loc, 37, 42, 2, 9);
    assert_int_equal(f->args[0].value->kind, GQL_VARIABLE);
    assert_loc(f->args[0].value->loc, 40, 42, 2, 12);
    assert_int_equal(f->directive_count, 1);
    assert_loc(f->directives[0].loc, 44, 57, 2, 16);
    const gql_value_node *obj = f->directives[0].args[0].value;
    assert_int_equal(obj->kind, GQL_OBJECT_VALUE);
    assert_loc(obj->loc, 50, 56, 2, 22);
    assert_int_equal(obj->field_count, 1);
    assert_loc(obj->fields[0].loc, 51, 55, 2, 23);
    assert_name(&obj->fields[0].name, "b");
    assert_int_equal(obj->fields[0].value->kind, GQL_INT_VALUE);
    assert_loc(f->selection_set->loc, 58, 63, 2, 30);
    assert_int_equal(f->selection_set->count, 1);
    const gql_selection *g = &f->selection_set->items[0];
    assert_false(g->has_alias);
    assert_ptr_equal(g->alias.value, g->name.value);   /* alias = name when absent */
    assert_null(g->selection_set);

    const gql_selection *inl = &ss->items[1];
    assert_int_equal(inl->kind, GQL_INLINE_FRAGMENT);
    assert_loc(inl->loc, 66, 80, 3, 3);
    assert_loc(inl->type_condition->loc, 73, 74, 3, 10);
    assert_name(&inl->type_condition->name, "T");
    const gql_selection *spread = &ss->items[2];
    assert_int_equal(spread->kind, GQL_FRAGMENT_SPREAD);
    assert_loc(spread->loc, 83, 87, 4, 3);
    assert_name(&spread->name, "F");

    /* Unique ids 0..count-1. */
    assert_int_equal(doc->selection_count, 5);
    bool seen[5] = {0};
    const gql_selection *all[] = {&ss->items[0], &ss->items[1], &ss->items[2], g, &inl->selection_set->items[0]};
    for (size_t i = 0; i < 5; i++) {
        assert_true(all[i]->id < 5);
        assert_false(seen[all[i]->id]);
        seen[all[i]->id] = true;
    }
    gql_document_free(doc);
}

static void test_operations_and_fragments(void **state) {
    (void)state;
    gql_document *doc = parse_ok("{ a } mutation M @x { b } subscription { c } \"d\" query ($a: Int = 1 @k) { d }\n"
                                 "\"fd\" fragment F on T @y { ... @i { e } ...G @z }");
    assert_int_equal(doc->definition_count, 5);
    const gql_definition *d = doc->definitions;
    assert_int_equal(d[0].operation, GQL_OP_QUERY);
    assert_false(d[0].has_name);
    assert_int_equal(d[1].operation, GQL_OP_MUTATION);
    assert_int_equal(d[1].directive_count, 1);
    assert_name(&d[1].directives[0].name, "x");
    assert_int_equal(d[2].operation, GQL_OP_SUBSCRIPTION);
    assert_string_equal(d[3].description->name.value, "d");
    assert_int_equal(d[3].variable_count, 1);
    assert_int_equal(d[3].variables[0].directive_count, 1);
    assert_name(&d[3].variables[0].default_value->name, "1");
    assert_int_equal(d[4].kind, GQL_FRAGMENT_DEFINITION);
    assert_string_equal(d[4].description->name.value, "fd");
    assert_name(&d[4].name, "F");
    assert_name(&d[4].type_condition->name, "T");
    const gql_selection *s = d[4].selection_set->items;
    assert_int_equal(s[0].kind, GQL_INLINE_FRAGMENT);
    assert_null(s[0].type_condition);
    assert_int_equal(s[0].directive_count, 1);
    assert_int_equal(s[1].kind, GQL_FRAGMENT_SPREAD);
    assert_name(&s[1].name, "G");
    assert_int_equal(s[1].directive_count, 1);
    gql_document_free(doc);
}

static void test_values(void **state) {
    (void)state;
    gql_document *doc = parse_ok("{ f(a: 1, b: -2.5e3, c: \"s\\n\", d: \"\"\"  x\n  y\"\"\", e: true, g: false, h: null, i: RED, j: $v, "
                                 "k: [], l: {}, m: [1, [2]], n: {x: {y: 1}}) }");
    const gql_selection *f = &doc->definitions[0].selection_set->items[0];
    assert_int_equal(f->arg_count, 13);
    const gql_value_node *v[13];
    for (int i = 0; i < 13; i++) v[i] = f->args[i].value;
    assert_int_equal(v[0]->kind, GQL_INT_VALUE);
    assert_name(&v[0]->name, "1");
    assert_int_equal(v[1]->kind, GQL_FLOAT_VALUE);
    assert_name(&v[1]->name, "-2.5e3");
    assert_int_equal(v[2]->kind, GQL_STRING_VALUE);
    assert_false(v[2]->block);
    assert_name(&v[2]->name, "s\n");
    assert_true(v[3]->block);
    assert_name(&v[3]->name, "  x\ny");
    assert_int_equal(v[4]->kind, GQL_BOOLEAN_VALUE);
    assert_true(v[4]->boolean);
    assert_false(v[5]->boolean);
    assert_int_equal(v[6]->kind, GQL_NULL_VALUE);
    assert_int_equal(v[7]->kind, GQL_ENUM_VALUE);
    assert_name(&v[7]->name, "RED");
    assert_int_equal(v[8]->kind, GQL_VARIABLE);
    assert_name(&v[8]->name, "v");
    assert_int_equal(v[9]->kind, GQL_LIST_VALUE);
    assert_int_equal(v[9]->item_count, 0);
    assert_int_equal(v[10]->kind, GQL_OBJECT_VALUE);
    assert_int_equal(v[10]->field_count, 0);
    assert_int_equal(v[11]->items[1]->items[0]->kind, GQL_INT_VALUE);
    assert_name(&v[12]->fields[0].value->fields[0].name, "y");
    gql_document_free(doc);
}

static void test_type_system_document(void **state) {
    (void)state;
    gql_document *doc = parse_ok(
        "\"\"\"\n  Schema\n\"\"\"\nschema @a { query: Q mutation: M subscription: S }\n"
        "\"s\" scalar Date @specifiedBy(url: \"u\")\n"
        "type T implements & A & B @k { \"fd\" f(\"ad\" a: Int = 1 @x, b: [T!]): String! @deprecated g: T }\n"
        "interface I implements J { f: I }\n"
        "union U @d = | A | B\n"
        "enum E { A \"b\" B @x }\n"
        "input In { a: Int = 1 @d, b: [In] }\n"
        "directive @dd(a: Int) repeatable on FIELD | QUERY | DIRECTIVE_DEFINITION\n"
        "directive @e on | SCHEMA\n"
        "extend schema @b { mutation: M }\n"
        "extend scalar Date @c\n"
        "extend type T implements C { h: Int }\n"
        "extend interface I @i\n"
        "extend union U = C\n"
        "extend enum E { C }\n"
        "extend input In { c: Int }\n");
    assert_int_equal(doc->definition_count, 16);
    const gql_definition *d = doc->definitions;
    assert_int_equal(doc->selection_count, 0);

    assert_int_equal(d[0].kind, GQL_SCHEMA_DEFINITION);
    assert_string_equal(d[0].description->name.value, "Schema");
    assert_true(d[0].description->block);
    assert_loc(d[0].loc, 0, 67, 1, 1);   /* starts at the description */
    assert_int_equal(d[0].directive_count, 1);
    assert_int_equal(d[0].operation_type_count, 3);
    assert_int_equal(d[0].operation_types[1].operation, GQL_OP_MUTATION);
    assert_name(&d[0].operation_types[2].type->name, "S");

    assert_int_equal(d[1].kind, GQL_SCALAR_TYPE_DEFINITION);
    assert_name(&d[1].name, "Date");
    assert_int_equal(d[1].directive_count, 1);

    assert_int_equal(d[2].kind, GQL_OBJECT_TYPE_DEFINITION);
    assert_int_equal(d[2].interface_count, 2);
    assert_name(&d[2].interfaces[0]->name, "A");
    assert_name(&d[2].interfaces[1]->name, "B");
    assert_int_equal(d[2].field_count, 2);
    const gql_field_def *fd = &d[2].fields[0];
    assert_string_equal(fd->description->name.value, "fd");
    assert_int_equal(fd->arg_count, 2);
    assert_string_equal(fd->args[0].description->name.value, "ad");
    assert_name(&fd->args[0].default_value->name, "1");
    assert_int_equal(fd->args[0].directive_count, 1);
    assert_int_equal(fd->args[1].type->kind, GQL_LIST_TYPE);
    assert_int_equal(fd->type->kind, GQL_NON_NULL_TYPE);
    assert_int_equal(fd->directive_count, 1);

    assert_int_equal(d[3].kind, GQL_INTERFACE_TYPE_DEFINITION);
    assert_int_equal(d[3].interface_count, 1);
    assert_int_equal(d[4].kind, GQL_UNION_TYPE_DEFINITION);
    assert_int_equal(d[4].type_count, 2);
    assert_int_equal(d[4].directive_count, 1);
    assert_int_equal(d[5].kind, GQL_ENUM_TYPE_DEFINITION);
    assert_int_equal(d[5].value_count, 2);
    assert_string_equal(d[5].values[1].description->name.value, "b");
    assert_int_equal(d[5].values[1].directive_count, 1);
    assert_int_equal(d[6].kind, GQL_INPUT_OBJECT_TYPE_DEFINITION);
    assert_int_equal(d[6].input_field_count, 2);
    assert_int_equal(d[7].kind, GQL_DIRECTIVE_DEFINITION);
    assert_name(&d[7].name, "dd");
    assert_true(d[7].repeatable);
    assert_int_equal(d[7].arg_count, 1);
    assert_int_equal(d[7].location_count, 3);
    assert_name(&d[7].locations[2], "DIRECTIVE_DEFINITION");
    assert_false(d[8].repeatable);
    assert_int_equal(d[8].location_count, 1);

    static const gql_kind ext[] = {GQL_SCHEMA_EXTENSION,    GQL_SCALAR_TYPE_EXTENSION, GQL_OBJECT_TYPE_EXTENSION,
                                   GQL_INTERFACE_TYPE_EXTENSION, GQL_UNION_TYPE_EXTENSION, GQL_ENUM_TYPE_EXTENSION,
                                   GQL_INPUT_OBJECT_TYPE_EXTENSION};
    for (int i = 0; i < 7; i++) {
        assert_int_equal(d[9 + i].kind, ext[i]);
        assert_null(d[9 + i].description);
        assert_true(gql_kind_is_type_extension(d[9 + i].kind));
        assert_true(gql_kind_is_type_system(d[9 + i].kind));
    }
    assert_int_equal(d[9].operation_type_count, 1);
    assert_int_equal(d[11].interface_count, 1);
    assert_int_equal(d[11].field_count, 1);
    assert_int_equal(d[13].type_count, 1);
    assert_int_equal(d[14].value_count, 1);
    assert_int_equal(d[15].input_field_count, 1);
    for (int i = 0; i < 9; i++) {
        assert_true(gql_kind_is_type_system(d[i].kind));
        assert_false(gql_kind_is_type_extension(d[i].kind));
    }
    gql_document_free(doc);
}

static void test_max_tokens(void **state) {
    (void)state;
    gql_parse_options opts = {.max_tokens = 3};
    gql_syntax_error *err;
    assert_null(gql_parse("{ a b c d }", 11, &opts, &err));
    /* graphql-js's wording, "that" included */
    assert_string_equal(err->message, "Syntax Error: Document contains more that 3 tokens. Parsing aborted.");
    assert_int_equal(err->line, 1);
    assert_int_equal(err->column, 7);
    gql_syntax_error_free(err);
    opts.max_tokens = 4;   /* "{ a b }" is 4 tokens; EOF does not count */
    gql_document *doc = gql_parse("{ a b }", 7, &opts, &err);
    assert_non_null(doc);
    gql_document_free(doc);
}

/* Builds `prefix` x n, then `middle`, then `suffix` x n. */
static char *nest(const char *prefix, const char *middle, const char *suffix, int n) {
    size_t lp = strlen(prefix), lm = strlen(middle), ls = strlen(suffix);
    char *s = malloc(lp * n + lm + ls * n + 1), *o = s;
    for (int i = 0; i < n; i++, o += lp) memcpy(o, prefix, lp);
    memcpy(o, middle, lm);
    o += lm;
    for (int i = 0; i < n; i++, o += ls) memcpy(o, suffix, ls);
    *o = 0;
    return s;
}

static void test_depth_limit(void **state) {
    (void)state;
    gql_syntax_error *err;
    gql_document *doc;
    /* 1000 nested selection sets parse; 1001 do not. */
    char *s = nest("a{", "b", "}", 999);   /* "{a{a{...b}}}" with 1000 selection sets */
    char *src = malloc(strlen(s) + 3);
    sprintf(src, "{%s}", s);
    free(s);
    doc = gql_parse(src, strlen(src), NULL, &err);
    if (!doc) fail_msg("%s", err->message);
    gql_document_free(doc);
    free(src);

    s = nest("a{", "b", "}", 1000);   /* 1001 selection sets */
    src = malloc(strlen(s) + 3);
    sprintf(src, "{%s}", s);
    free(s);
    assert_null(gql_parse(src, strlen(src), NULL, &err));
    assert_string_equal(err->message, "Syntax Error: Document exceeds the maximum nesting depth of 1000.");
    assert_int_equal(err->line, 1);
    assert_int_equal(err->column, 1 + 1000 * 2);   /* the 1001st '{' */
    gql_syntax_error_free(err);
    free(src);

    /* Values and list types count too; a smaller limit applies. */
    gql_parse_options opts = {.max_depth = 3};
    assert_null(gql_parse("{ f(a: [[{b: 1}]]) }", 20, &opts, &err));
    assert_string_equal(err->message, "Syntax Error: Document exceeds the maximum nesting depth of 3.");
    assert_int_equal(err->column, 10);
    gql_syntax_error_free(err);
    assert_null(gql_parse("query ($a: [[[[Int]]]]) { f }", 29, &opts, &err));
    assert_int_equal(err->column, 15);
    gql_syntax_error_free(err);
    doc = gql_parse("query ($a: [[Int]]) { f(a: [1]) }", 33, &opts, &err);
    assert_non_null(doc);
    gql_document_free(doc);

    /* Very deep input fails cleanly instead of exhausting the stack. */
    s = nest("[", "1", "]", 200000);
    src = malloc(strlen(s) + 16);
    sprintf(src, "{ f(a: %s) }", s);
    free(s);
    assert_null(gql_parse(src, strlen(src), NULL, &err));
    assert_string_equal(err->message, "Syntax Error: Document exceeds the maximum nesting depth of 1000.");
    gql_syntax_error_free(err);
    free(src);
}

static void test_parse_value_and_type(void **state) {
    (void)state;
    gql_arena a;
    gql_arena_init(&a, 0);
    gql_syntax_error *err;
    gql_value_node *v = gql_parse_value(&a, "{a: [1, $x], b: \"s\"}", 20, &err);
    assert_non_null(v);
    assert_null(err);
    assert_int_equal(v->kind, GQL_OBJECT_VALUE);
    assert_int_equal(v->fields[0].value->items[1]->kind, GQL_VARIABLE);
    assert_null(gql_parse_value(&a, "1 2", 3, &err));
    assert_string_equal(err->message, "Syntax Error: Expected <EOF>, found Int \"2\".");
    assert_int_equal(err->column, 3);
    gql_syntax_error_free(err);
    assert_null(gql_parse_value(&a, "", 0, &err));
    assert_string_equal(err->message, "Syntax Error: Unexpected <EOF>.");
    gql_syntax_error_free(err);

    gql_type_node *t = gql_parse_type(&a, "[Int!]!", 7, &err);
    assert_non_null(t);
    assert_int_equal(t->kind, GQL_NON_NULL_TYPE);
    assert_int_equal(t->of->kind, GQL_LIST_TYPE);
    assert_name(&t->of->of->of->name, "Int");
    assert_null(gql_parse_type(&a, "Int!!", 5, &err));
    assert_string_equal(err->message, "Syntax Error: Expected <EOF>, found \"!\".");
    assert_int_equal(err->column, 5);
    gql_syntax_error_free(err);
    assert_null(gql_parse_type(&a, "[Int", 4, &err));
    assert_string_equal(err->message, "Syntax Error: Expected \"]\", found <EOF>.");
    gql_syntax_error_free(err);
    gql_arena_free(&a);
}

static void test_source_is_copied(void **state) {
    (void)state;
    /* Not NUL-terminated: only len bytes are read. */
    char buf[8];
    memcpy(buf, "{ abc }X", 8);
    gql_syntax_error *err;
    gql_document *doc = gql_parse(buf, 7, NULL, &err);
    assert_non_null(doc);
    memset(buf, 'z', sizeof buf);
    assert_string_equal(doc->source, "{ abc }");
    assert_name(&doc->definitions[0].selection_set->items[0].name, "abc");
    gql_document_free(doc);

    /* A NUL byte inside a string is kept, with the length. */
    doc = gql_parse("{ f(a: \"x\0y\") }", 15, NULL, &err);
    assert_non_null(doc);
    const gql_value_node *v = doc->definitions[0].selection_set->items[0].args[0].value;
    assert_int_equal(v->name.len, 3);
    assert_memory_equal(v->name.value, "x\0y", 3);
    gql_document_free(doc);
}

static void test_kind_names(void **state) {
    (void)state;
    assert_string_equal(gql_kind_name(GQL_OPERATION_DEFINITION), "OperationDefinition");
    assert_string_equal(gql_kind_name(GQL_INPUT_OBJECT_TYPE_EXTENSION), "InputObjectTypeExtension");
    assert_string_equal(gql_kind_name(GQL_NON_NULL_TYPE), "NonNullType");
    for (int k = 0; k < GQL_KIND_COUNT; k++) assert_non_null(gql_kind_name((gql_kind)k));
    assert_false(gql_kind_is_type_system(GQL_OPERATION_DEFINITION));
    assert_false(gql_kind_is_type_system(GQL_FRAGMENT_DEFINITION));
    assert_false(gql_kind_is_type_system(GQL_FIELD_DEFINITION));
    assert_true(gql_kind_is_type_system(GQL_DIRECTIVE_DEFINITION));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_executable_document),
        cmocka_unit_test(test_operations_and_fragments),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_type_system_document),
        cmocka_unit_test(test_max_tokens),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_parse_value_and_type),
        cmocka_unit_test(test_source_is_copied),
        cmocka_unit_test(test_kind_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
