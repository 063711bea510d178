/* test_json.c: the JSON parser (valid input, every kind of invalid input,
 * UTF-8, nesting, numbers) and writer (escaping as JSON.stringify, numbers as
 * JavaScript prints them; expected outputs obtained from node, see the tables). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "value.h"

static gql_arena A;
static int setup(void **state) { (void)state; gql_arena_init(&A, 0); return 0; }
static int teardown(void **state) { (void)state; gql_arena_free(&A); return 0; }

static gql_val *parse_ok(const char *text, size_t len) {
    const char *err = NULL;
    gql_val *v = gql_json_parse(&A, text, len, 0, &err);
    if (!v) fail_msg("parse %s: %s", text, err);
    assert_null(err);
    return v;
}
#define P(text) parse_ok(text, sizeof(text) - 1)

static const char *parse_err(const char *text, size_t len, uint32_t depth) {
    const char *err = NULL;
    gql_val *v = gql_json_parse(&A, text, len, depth, &err);
    if (v) fail_msg("accepted invalid JSON: %s", text);
    assert_non_null(err);
    return err;
}
#define E(text) parse_err(text, sizeof(text) - 1, 0)

static const char *write(const gql_val *v) {
    gql_buf b;
    gql_buf_init(&b);
    gql_json_write_val(&b, v);
    char *s = gql_arena_strndup(&A, b.data, b.len);
    gql_buf_free(&b);
    return s;
}

/* ---- parsing ------------------------------------------------------------------- */

static void parses_values(void **state) {
    (void)state;
    gql_val *v = P(" {\"a\" : [1, -2.5, \"x\", true, false, null, {}, []] ,\n\t\"b\":{\"c\":\"\"}} \r\n");
    assert_int_equal(v->kind, GQL_V_OBJECT);
    gql_val *a = gql_val_get(v, "a", 1);
    assert_int_equal(a->kind, GQL_V_LIST);
    assert_int_equal(a->u.list.count, 8);
    assert_int_equal(a->u.list.items[0]->kind, GQL_V_INT);
    assert_true(a->u.list.items[1]->u.f == -2.5);
    assert_string_equal(a->u.list.items[2]->u.str.s, "x");
    assert_true(a->u.list.items[3]->u.b);
    assert_false(a->u.list.items[4]->u.b);
    assert_int_equal(a->u.list.items[5]->kind, GQL_V_NULL);
    assert_int_equal(a->u.list.items[6]->u.obj.count, 0);
    assert_int_equal(a->u.list.items[7]->u.list.count, 0);
    assert_int_equal(gql_val_get(gql_val_get(v, "b", 1), "c", 1)->u.str.len, 0);
    assert_int_equal(P("\"top\"")->kind, GQL_V_STRING);
    assert_int_equal(P("7")->u.i, 7);
    /* a buffer that is not NUL-terminated */
    char digits[3] = {'1', '2', '3'};
    assert_int_equal(parse_ok(digits, 2)->u.i, 12);
}

static void parses_numbers(void **state) {
    (void)state;
    gql_val *v = P("9223372036854775807");
    assert_int_equal(v->kind, GQL_V_INT);
    assert_true(v->u.i == INT64_MAX);
    v = P("-9223372036854775808");
    assert_int_equal(v->kind, GQL_V_INT);
    assert_true(v->u.i == INT64_MIN);
    v = P("9223372036854775808");   /* past int64: a double, as JavaScript holds every number */
    assert_int_equal(v->kind, GQL_V_FLOAT);
    assert_true(v->u.f == 9223372036854775808.0);
    v = P("-0");
    assert_int_equal(v->kind, GQL_V_INT);
    assert_true(v->u.i == 0);
    v = P("1.0");
    assert_int_equal(v->kind, GQL_V_FLOAT);
    assert_true(v->u.f == 1.0);
    assert_true(P("1e3")->u.f == 1000.0);
    assert_true(P("1E+3")->u.f == 1000.0);
    assert_true(P("25e-1")->u.f == 2.5);
    assert_true(P("0.1")->u.f == 0.1);
    assert_true(isinf(P("1e400")->u.f));   /* JSON.parse gives Infinity too */
    assert_true(P("-1e-400")->u.f == 0.0);
    char long_num[400];
    memset(long_num, '1', sizeof long_num);
    long_num[0] = '0';
    long_num[1] = '.';
    assert_true(fabs(parse_ok(long_num, sizeof long_num)->u.f - 0.1111111111111111) < 1e-16);
}

static void parses_strings(void **state) {
    (void)state;
    gql_val *v = P("\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\u20AC\\ud83d\\ude00\\u0000z\"");
    static const char want[] = "a\"\\/\b\f\n\r\tA\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\0z";
    assert_int_equal(v->u.str.len, sizeof want - 1);
    assert_memory_equal(v->u.str.s, want, sizeof want);
    v = P("\"\xC3\xA9\xF0\x9F\x98\x80\xE2\x80\xA8\x7F\"");   /* raw UTF-8, U+2028 and DEL are fine */
    assert_int_equal(v->u.str.len, 10);
}

static void duplicate_keys_and_big_objects(void **state) {
    (void)state;
    gql_val *v = P("{\"a\":1,\"b\":2,\"a\":3}");
    assert_int_equal(v->u.obj.count, 2);
    assert_string_equal(v->u.obj.members[0].key, "a");
    assert_int_equal(v->u.obj.members[0].value->u.i, 3);
    /* many keys, with duplicates: the hashed path */
    gql_buf b;
    gql_buf_init(&b);
    gql_buf_putc(&b, '{');
    for (int i = 0; i < 500; i++) gql_buf_printf(&b, "%s\"k%d\":%d", i ? "," : "", i % 300, i);
    gql_buf_putc(&b, '}');
    v = parse_ok(b.data, b.len);
    gql_buf_free(&b);
    assert_int_equal(v->u.obj.count, 300);
    assert_int_equal(gql_val_get(v, "k5", 2)->u.i, 305);
    assert_int_equal(gql_val_get(v, "k299", 4)->u.i, 299);
    assert_string_equal(v->u.obj.members[5].key, "k5");
}

static void nesting_limit(void **state) {
    (void)state;
    char deep[2000];
    for (int i = 0; i < 512; i++) deep[i] = '[', deep[1024 - 1 - i] = ']';
    assert_non_null(parse_ok(deep, 1024));   /* 512 levels: the default limit */
    for (int i = 0; i < 513; i++) deep[i] = '[', deep[1026 - 1 - i] = ']';
    assert_string_equal(parse_err(deep, 1026, 0), "Invalid JSON at line 1, column 513: nesting deeper than 512 levels.");
    assert_non_null(parse_err("[[{\"a\":[]}]]", 12, 3));
    assert_non_null(gql_json_parse(&A, "[[{\"a\":1}]]", 11, 3, NULL));
    /* far beyond any limit: refused without deep recursion */
    size_t n = 200000;
    char *huge = malloc(n);
    memset(huge, '[', n);
    assert_non_null(parse_err(huge, n, 1000000));
    free(huge);
}

static void rejects_invalid(void **state) {
    (void)state;
    /* messages */
    assert_string_equal(E(""), "Invalid JSON at line 1, column 1: expected a value, found end of input.");
    assert_string_equal(E("  \n  }"), "Invalid JSON at line 2, column 3: expected a value, found \"}\".");
    assert_string_equal(E("[1,]"), "Invalid JSON at line 1, column 4: expected a value, found \"]\".");
    assert_string_equal(E("{\"a\":1,}"), "Invalid JSON at line 1, column 8: expected a string key, found \"}\".");
    assert_string_equal(E("{\"a\" 1}"), "Invalid JSON at line 1, column 6: expected \":\", found \"1\".");
    assert_string_equal(E("[1 2]"), "Invalid JSON at line 1, column 4: expected \",\" or \"]\", found \"2\".");
    assert_string_equal(E("{\"a\":1 \"b\":2}"), "Invalid JSON at line 1, column 8: expected \",\" or \"}\", found \"\"\".");
    assert_string_equal(E("1 2"), "Invalid JSON at line 1, column 3: expected end of input, found \"2\".");
    assert_string_equal(E("01"), "Invalid JSON at line 1, column 2: expected end of input, found \"1\".");
    assert_string_equal(E("1."), "Invalid JSON at line 1, column 3: expected a digit after the decimal point, found end of input.");
    assert_string_equal(E("1e+"), "Invalid JSON at line 1, column 4: expected a digit in the exponent, found end of input.");
    assert_string_equal(E("-x"), "Invalid JSON at line 1, column 2: expected a digit, found \"x\".");
    assert_string_equal(E("\"abc"), "Invalid JSON at line 1, column 1: unterminated string.");
    assert_string_equal(E("\"a\nb\""), "Invalid JSON at line 1, column 3: control character in string (must be escaped).");
    assert_string_equal(E("\"\\x\""), "Invalid JSON at line 1, column 2: invalid escape sequence.");
    assert_string_equal(E("\"\\u12G4\""), "Invalid JSON at line 1, column 2: invalid \\u escape (four hex digits expected).");
    assert_string_equal(E("\"\\ud800\""), "Invalid JSON at line 1, column 2: lone high surrogate escape.");
    assert_string_equal(E("\"\\ud800\\u0041\""), "Invalid JSON at line 1, column 2: lone high surrogate escape.");
    assert_string_equal(E("\"\\udc00\""), "Invalid JSON at line 1, column 2: lone low surrogate escape.");
    assert_string_equal(E("\"\xC3\xA9\xFF\""), "Invalid JSON at line 1, column 3: invalid UTF-8 in string.");
    assert_string_equal(E("\xC3\xA9"), "Invalid JSON at line 1, column 1: expected a value, found \"\xC3\xA9\".");
    assert_string_equal(E("\x01"), "Invalid JSON at line 1, column 1: expected a value, found U+0001.");
    assert_string_equal(E("\xFF"), "Invalid JSON at line 1, column 1: expected a value, found byte 0xFF.");
    /* the rest of what JSON.parse refuses */
    const char *bad[] = {"[", "{", "{\"a\"", "{\"a\":", "[1,", "tru", "nul", "True", "NaN", "Infinity", "-Infinity",
                         "+1", ".5", "0x10", "1.e3", "'a'", "{a:1}", "//c\n1", "/*c*/1", "[1]]", "{}}", "\"\\\"",
                         "\"\\u00\"", "\"\t\"", "\"\x7F\x80\"", "\"\xC0\xAF\"", "\"\xED\xA0\x80\"", "\"\xF4\x90\x80\x80\"",
                         "\"\xE2\x82\"", "\xEF\xBB\xBF{}", "1\v", "\f1", "[1,,2]", "[,1]", "{,}", "{\"a\":1,,\"b\":2}",
                         "\"a\\", "-", "--1", "1e", "00", "-01", "\"\\U0041\""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) parse_err(bad[i], strlen(bad[i]), 0);
    /* a NUL byte is not whitespace */
    parse_err("1\0", 2, 0);
    parse_err("\"a\0\"", 4, 0);
}

/* ---- writing ----------------------------------------------------------------- */

/* [input bytes, JSON.stringify(new TextDecoder().decode(bytes))] */
static const struct { const char *in; size_t in_len; const char *out; } string_cases[] = {
    {"", 0, "\"\""},
    {"A", 1, "\"A\""},
    {"\"", 1, "\"\\\"\""},
    {"\\", 1, "\"\\\\\""},
    {"/", 1, "\"/\""},
    {"\177", 1, "\"\177\""},
    {"\000", 1, "\"\\u0000\""},
    {"\001", 1, "\"\\u0001\""},
    {"\010", 1, "\"\\b\""},
    {"\011", 1, "\"\\t\""},
    {"\n", 1, "\"\\n\""},
    {"\013", 1, "\"\\u000b\""},
    {"\014", 1, "\"\\f\""},
    {"\015", 1, "\"\\r\""},
    {"\033", 1, "\"\\u001b\""},
    {"\037", 1, "\"\\u001f\""},
    {" ", 1, "\" \""},
    {"\342\200\250", 3, "\"\342\200\250\""},
    {"\342\200\251", 3, "\"\342\200\251\""},
    {"\303\251", 2, "\"\303\251\""},
    {"\360\237\230\200", 4, "\"\360\237\230\200\""},
    {"\357\277\277", 3, "\"\357\277\277\""},
    {"\377", 1, "\"\357\277\275\""},
    {"\376", 1, "\"\357\277\275\""},
    {"\300\257", 2, "\"\357\277\275\357\277\275\""},
    {"\301\277", 2, "\"\357\277\275\357\277\275\""},
    {"\302", 1, "\"\357\277\275\""},
    {"\342\202", 2, "\"\357\277\275\""},
    {"\342", 1, "\"\357\277\275\""},
    {"\360\237\230", 3, "\"\357\277\275\""},
    {"\355\240\200", 3, "\"\357\277\275\357\277\275\357\277\275\""},
    {"\355\277\277", 3, "\"\357\277\275\357\277\275\357\277\275\""},
    {"\355\240\275\355\270\200", 6, "\"\357\277\275\357\277\275\357\277\275\357\277\275\357\277\275\357\277\275\""},
    {"\364\220\200\200", 4, "\"\357\277\275\357\277\275\357\277\275\357\277\275\""},
    {"\365\200\200\200", 4, "\"\357\277\275\357\277\275\357\277\275\357\277\275\""},
    {"\200", 1, "\"\357\277\275\""},
    {"\277A", 2, "\"\357\277\275A\""},
    {"\340\200\200A", 4, "\"\357\277\275\357\277\275\357\277\275A\""},
    {"\360\200\200\200", 4, "\"\357\277\275\357\277\275\357\277\275\357\277\275\""},
    {"\302\303\251", 3, "\"\357\277\275\303\251\""},
    {"A\377B", 3, "\"A\357\277\275B\""},
    {"\342\202\237", 3, "\"\342\202\237\""},
    {"\360\237\230AA", 5, "\"\357\277\275AA\""},
};

static void writes_strings_as_json_stringify(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof string_cases / sizeof *string_cases; i++) {
        gql_buf b;
        gql_buf_init(&b);
        gql_json_write_string(&b, string_cases[i].in, string_cases[i].in_len);
        assert_int_equal(b.len, strlen(string_cases[i].out));
        assert_memory_equal(b.data, string_cases[i].out, b.len);
        /* the output is always valid JSON that reads back */
        const char *err = NULL;
        assert_non_null(gql_json_parse(&A, b.data, b.len, 0, &err));
        gql_buf_free(&b);
    }
}

/* The writer tests 16, 8 or 4 bytes at a time, with a last load that overlaps
 * bytes already seen: every special sequence at every position of strings of
 * every length up to 40 (with others before it) is escaped as byte by byte. */
static void escapes_at_every_position(void **state) {
    (void)state;
    static const struct { const char *in, *out; } specials[] = {
        {"\"", "\\\""}, {"\\", "\\\\"}, {"\n", "\\n"}, {"\001", "\\u0001"}, {"\037", "\\u001f"},
        {"\303\251", "\303\251"}, {"\377", "\357\277\275"}, {"\177", "\177"}, {" ", " "},
    };
    for (size_t len = 1; len <= 40; len++)
        for (size_t at = 0; at < len; at++)
            for (size_t k = 0; k < sizeof specials / sizeof *specials; k++) {
                /* 'a's with the special at `at`, and a quote at `at / 2` when that is before it */
                char in[64], want[256];
                size_t n = 0, w = 0, sl = strlen(specials[k].in);
                want[w++] = '"';
                for (size_t i = 0; i < len; i++) {
                    if (i == at) {
                        memcpy(in + n, specials[k].in, sl), n += sl;
                        w += (size_t)sprintf(want + w, "%s", specials[k].out);
                    } else if (i == at / 2 && i < at && k % 2) {
                        in[n++] = '"';
                        w += (size_t)sprintf(want + w, "\\\"");
                    } else {
                        in[n++] = 'a';
                        want[w++] = 'a';
                    }
                }
                want[w++] = '"';
                gql_buf b;
                gql_buf_init(&b);
                gql_json_write_string(&b, in, n);
                assert_int_equal(b.len, w);
                assert_memory_equal(b.data, want, w);
                assert_int_equal(b.data[b.len], 0);
                gql_buf_free(&b);
            }
}

/* [bits of a double, String(x) in node] */
static const struct { uint64_t bits; const char *js; } double_cases[] = {
    {0x0000000000000000ull, "0"},
    {0x8000000000000000ull, "0"},
    {0x3ff0000000000000ull, "1"},
    {0xbff0000000000000ull, "-1"},
    {0x3fb999999999999aull, "0.1"},
    {0x3fc999999999999aull, "0.2"},
    {0x3fd3333333333334ull, "0.30000000000000004"},
    {0x3ff8000000000000ull, "1.5"},
    {0x4059000000000000ull, "100"},
    {0x444b1ae4d6e2ef50ull, "1e+21"},
    {0x4415af1d78b58c40ull, "100000000000000000000"},
    {0x441ac53a7e04bcdaull, "123456789012345680000"},
    {0x3e7ad7f29abcaf48ull, "1e-7"},
    {0x3eb0c6f7a0b5ed8dull, "0.000001"},
    {0x3eb0c6f7a0b5ed8dull, "0.000001"},
    {0x7e41eb2d66005835ull, "1.5e+300"},
    {0x7fefffffffffffffull, "1.7976931348623157e+308"},
    {0x0000000000000001ull, "5e-324"},
    {0x0010000000000000ull, "2.2250738585072014e-308"},
    {0x000fffffffffffffull, "2.225073858507201e-308"},
    {0x4340000000000000ull, "9007199254740992"},
    {0x4340000000000000ull, "9007199254740992"},
    {0x4340000000000001ull, "9007199254740994"},
    {0x43e0000000000000ull, "9223372036854776000"},
    {0x43f0000000000000ull, "18446744073709552000"},
    {0x3fd5555555555555ull, "0.3333333333333333"},
    {0x3fe5555555555555ull, "0.6666666666666666"},
    {0x4040aaaaaaaaaaabull, "33.333333333333336"},
    {0x4011666666666666ull, "4.35"},
    {0x3fe0000000000000ull, "0.5"},
    {0x54b249ad2594c37dull, "1e+100"},
    {0x3de0f782bf7cc83full, "1.2345e-10"},
    {0x3c36b082c2148b8eull, "1.23e-18"},
    {0x4480f0cf064dd592ull, "1e+22"},
    {0x444b1ae4d6e2ef4full, "999999999999999900000"},
    {0x3ee9e3abe16fc70dull, "0.000012345"},
    {0xbe7ad7f29abcaf48ull, "-1e-7"},
    {0x400921f9f01b866eull, "3.14159"},
    {0x4132d68720000000ull, "1234567.125"},
    {0x41efffffffe00000ull, "4294967295"},
    {0x41e0000000000000ull, "2147483648"},
    {0xc1e0000000200000ull, "-2147483649"},
    {0x3ff0000000000001ull, "1.0000000000000002"},
    {0x3fefffffffffffffull, "0.9999999999999999"},
    {0x44dfe185ca57c517ull, "6.02214076e+23"},
    {0x01a56e1fc2f8f359ull, "1e-300"},
    {0x0000000000000002ull, "1e-323"},
    {0x0000000000000001ull, "5e-324"},
    {0x400000000000007eull, "2.000000000000056"},
    {0x0040000000000000ull, "1.7800590868057611e-307"},
    {0x0000400000008040ull, "3.4766779055396e-310"},
    {0x0000000000000000ull, "0"},
    {0x0000000080808040ull, "1.0651586397e-314"},
    {0x0000000000000040ull, "3.16e-322"},
    {0x0000000000400040ull, "2.072293e-317"},
    {0x0040003800000000ull, "1.7801541522171964e-307"},
    {0x0000004000000038ull, "1.358077306494e-312"},
    {0x0000000038000000ull, "4.641865793e-315"},
    {0x3800000040000000ull, "5.877473155409902e-39"},
    {0x0000000000000000ull, "0"},
    {0x4000000000004000ull, "2.000000000007276"},
    {0x4000000080804000ull, "2.0000009574068827"},
    {0x0000000038000000ull, "4.641865793e-315"},
    {0x0000003800000000ull, "1.18831764294e-312"},
    {0x0040000000000000ull, "1.7800590868057611e-307"},
    {0x0000000000000040ull, "3.16e-322"},
    {0x0000000000004000ull, "8.095e-320"},
    {0x0038000040000000ull, "1.3350445273039e-307"},
    {0x00000000c0804000ull, "1.595649461e-314"},
    {0x0000400000004000ull, "3.476677904727e-310"},
    {0x0000000000004000ull, "8.095e-320"},
    {0x0000000000000000ull, "0"},
    {0x0000000080400040ull, "1.0630701886e-314"},
    {0x0000000000000000ull, "0"},
    {0x0000400000000000ull, "3.4766779039175e-310"},
    {0x0000400000400000ull, "3.47667811114365e-310"},
    {0x0000000000000000ull, "0"},
    {0x3800004000000000ull, "5.877830486518305e-39"},
    {0x4000000000000000ull, "2"},
    {0x000000000000c080ull, "2.43476e-319"},
    {0x8040000000400000ull, "-1.7800590884635703e-307"},
    {0x00004000000000c0ull, "3.476677903927e-310"},
    {0x0000000080804000ull, "1.0651505133e-314"},
    {0x0040000000000040ull, "1.7800590868057864e-307"},
    {0x4000000040000000ull, "2.000000476837158"},
    {0x0000000000000080ull, "6.3e-322"},
    {0x4000000000000000ull, "2"},
    {0x0000203800000080ull, "1.7502221283945e-310"},
    {0x0000000000000000ull, "0"},
    {0x4000000000000040ull, "2.0000000000000284"},
    {0x0040000000804000ull, "1.7800590901278553e-307"},
    {0x0040000000000000ull, "1.7800590868057611e-307"},
    {0x4000000000007840ull, "2.000000000013671"},
    {0x4000004000000080ull, "2.000122070312557"},
    {0x400000400000c080ull, "2.0001220703343847"},
    {0x0000400038000000ull, "3.47672432257543e-310"},
    {0x0000380040004000ull, "3.04214621663207e-310"},
    {0x0040008040000000ull, "1.780276803573914e-307"},
    {0x000000c080400000ull, "4.084862620223e-312"},
    {0x0000000000400000ull, "2.0722615e-317"},
    {0x0000000000400000ull, "2.0722615e-317"},
    {0x0000000000004000ull, "8.095e-320"},
    {0x0000000000000000ull, "0"},
    {0x4000000000400000ull, "2.000000001862645"},
    {0x0078400080400000ull, "2.1583223231168858e-306"},
    {0x4000400000400000ull, "2.031250001862645"},
    {0x0000000000000000ull, "0"},
    {0x0040000000400000ull, "1.7800590884635703e-307"},
    {0x0040000000000000ull, "1.7800590868057611e-307"},
    {0x0000004000007840ull, "1.35807745831e-312"},
    {0x0038003800380000ull, "1.33509184853533e-307"},
    {0x0000000080804000ull, "1.0651505133e-314"},
    {0x0000000000004000ull, "8.095e-320"},
    {0x0038000000400000ull, "1.3350443159332254e-307"},
    {0x0000000080400000ull, "1.063070157e-314"},
    {0x0040000040004000ull, "1.780059511211395e-307"},
    {0x0000000040000000ull, "5.304989477e-315"},
    {0x4000000000380000ull, "2.0000000016298145"},
    {0x004000000000c080ull, "1.780059086825239e-307"},
    {0x0000000000000000ull, "0"},
    {0x3800000000400000ull, "5.87747175958526e-39"},
    {0x0000400000000000ull, "3.4766779039175e-310"},
    {0x0040003800000000ull, "1.7801541522171964e-307"},
    {0x0000000000000000ull, "0"},
    {0x0000000000004000ull, "8.095e-320"},
    {0x0000004000000000ull, "1.35807730622e-312"},
    {0x0000000000004000ull, "8.095e-320"},
    {0x0000400000000040ull, "3.47667790392066e-310"},
    {0x4000004000004000ull, "2.000122070319776"},
    {0x0000000000000000ull, "0"},
    {0x0000004000400000ull, "1.358098028833e-312"},
    {0xc080400000000000ull, "-520"},
    {0x0000000000000000ull, "0"},
    {0x0078400000400000ull, "2.1583216440782327e-306"},
    {0x0000000000000000ull, "0"},
    {0x0000113800000000ull, "9.353757446575e-311"},
    {0x4000000080400040ull, "2.00000095553699"},
    {0x0000380000400000ull, "3.04209337315397e-310"},
    {0x0000004000000000ull, "1.35807730622e-312"},
    {0x0040000000000000ull, "1.7800590868057611e-307"},
    {0x4000400040000000ull, "2.031250476837158"},
    {0x0040000038004000ull, "1.7800594581615003e-307"},
    {0x3800004000004000ull, "5.877830486539687e-39"},
    {0x0080804000000000ull, "2.937271327124702e-306"},
    {0x0000000000000040ull, "3.16e-322"},
    {0x0040006078400040ull, "1.7802228534887634e-307"},
    {0x0000000040007c39ull, "5.305146595e-315"},
    {0x4000400040000000ull, "2.031250476837158"},
    {0x0000007840000000ull, "2.551699938636e-312"},
    {0x0000000000000040ull, "3.16e-322"},
    {0x0000004000004000ull, "1.358077387165e-312"},
    {0x0000400000000000ull, "3.4766779039175e-310"},
    {0x00c0804000004000ull, "4.699634123416101e-305"},
    {0x0080400000000000ull, "2.892596016059362e-306"},
    {0x0000000040000000ull, "5.304989477e-315"},
    {0x0000000000000038ull, "2.77e-322"},
    {0x0000000040008040ull, "5.30515169e-315"},
    {0x00004000c0203800ull, "3.4768371579232e-310"},
    {0x8080400000000000ull, "-2.892596016059362e-306"},
    {0x0020380040004000ull, "4.510990641347044e-308"},
    {0x0000000000000000ull, "0"},
    {0x0000004000000000ull, "1.35807730622e-312"},
    {0x0000004000000040ull, "1.358077306534e-312"},
    {0x0000000000000000ull, "0"},
    {0x4000400000400000ull, "2.031250001862645"},
    {0x0040000040000000ull, "1.7800595112049193e-307"},
    {0xc080400000000000ull, "-520"},
    {0x0000000000004000ull, "8.095e-320"},
    {0x0000000000004000ull, "8.095e-320"},
    {0x3800008080400000ull, "5.878192026995923e-39"},
    {0x0040000000003800ull, "1.7800590868114274e-307"},
    {0x0000000000000000ull, "0"},
    {0x0000400000400000ull, "3.47667811114365e-310"},
    {0x0000000000000040ull, "3.16e-322"},
    {0x4000000000000000ull, "2"},
    {0x3800007940000000ull, "5.878151383866635e-39"},
    {0x0000400000000000ull, "3.4766779039175e-310"},
    {0x0000000040000000ull, "5.304989477e-315"},
    {0x40000000c0804000ull, "2.000001434244041"},
    {0x4000400039000000ull, "2.031250424683094"},
    {0x0040000000000080ull, "1.7800590868058117e-307"},
    {0x8040004000000000ull, "-1.7801677329902585e-307"},
    {0x00000000000000c0ull, "9.5e-322"},
    {0x0000000000000000ull, "0"},
    {0x0000000080804000ull, "1.0651505133e-314"},
    {0x0040000000000040ull, "1.7800590868057864e-307"},
    {0x0000000000000040ull, "3.16e-322"},
    {0x4000400000000000ull, "2.03125"},
    {0x0000000000400000ull, "2.0722615e-317"},
    {0x8040000040000000ull, "-1.7800595112049193e-307"},
    {0x3800000000004000ull, "5.87747175413282e-39"},
    {0x8040000000000000ull, "-1.7800590868057611e-307"},
    {0x38004000004000c0ull, "5.969307255743501e-39"},
    {0x0000003800000000ull, "1.18831764294e-312"},
    {0x0000004000000000ull, "1.35807730622e-312"},
    {0x8040000000004000ull, "-1.780059086812237e-307"},
    {0x0000000040000000ull, "5.304989477e-315"},
    {0x0000003800400039ull, "1.188338365837e-312"},
    {0x3eeb6a04feb1ea25ull, "0.00001307208"},
    {0x3d97dd27c91d857bull, "5.42602e-12"},
    {0x3cdfb7559b80dd74ull, "1.7606000000000002e-15"},
    {0x416122cac0000000ull, "8984150"},
    {0x4515cc9784c5a30bull, "6.5884e+24"},
    {0x3db1d231036cfd0cull, "1.620816e-11"},
    {0x44b4c4b1c0f2abd2ull, "9.80757e+22"},
    {0x4172d4fdc0000000ull, "19746780"},
    {0x42b04402280e0000ull, "17884280000000"},
    {0x3c0179f56b8a6c8bull, "1.184247e-19"},
    {0x45971c554e9aea22ull, "1.788102e+27"},
    {0x3e65866c240a35cdull, "4.00936e-8"},
    {0x3f7febf8e1fe8d39ull, "0.0077934"},
    {0x40277a38327674d1ull, "11.73871"},
    {0x3dd5460c58062ec0ull, "7.7393e-11"},
    {0x4577f9966675bfb1ull, "4.63743e+26"},
    {0x3e4393306d778ad7ull, "9.1153e-9"},
    {0x40419978d4fdf3b6ull, "35.199"},
    {0x459209180859c90cull, "1.395431e+27"},
    {0x409fb74083126e98ull, "2029.813"},
    {0x4574b15eda86154bull, "4.00258e+26"},
    {0x3f5e80ccccaa70b6ull, "0.0018617630000000002"},
    {0x4234965e2c200000ull, "88422100000"},
    {0x3d41389b2971ea96ull, "1.223634e-13"},
    {0x3d3c4c93ab1c7d44ull, "1.005387e-13"},
    {0x41babfe680000000ull, "448784000"},
    {0x3e65e96b71a9bf2dull, "4.08139e-8"},
    {0x42f1080f345b2000ull, "299621000000000"},
    {0x41dae1ef64000000ull, "1804058000"},
    {0x4596efdfb9afd1f7ull, "1.774665e+27"},
    {0x40dccfa666666667ull, "29502.600000000002"},
    {0x417302a180000000ull, "19933720"},
    {0x4244d9adec400000ull, "179102800000"},
    {0x421f17021a800000ull, "33382500000"},
    {0x42ac52d10a290000ull, "15571010000000"},
    {0x43dbf766e6dc8808ull, "8060770000000000000"},
    {0x3db6dba80eb3a9a0ull, "2.078926e-11"},
    {0x3d468a62084d9cc9ull, "1.601603e-13"},
    {0x458115143325a19dull, "6.60841e+26"},
    {0x45234d664e462d75ull, "1.166755e+25"},
    {0x3c66369edf1ed94eull, "9.633510000000002e-18"},
    {0x40d6d36ccccccccdull, "23373.7"},
    {0x3cd6e35284401919ull, "1.270538e-15"},
    {0x3c6f57f02c29acafull, "1.3593080000000001e-17"},
    {0x4446ee7884c94f8aull, "846024000000000000000"},
    {0x3f43f7fbf1f5c891ull, "0.000609396"},
    {0x40e371c666666667ull, "39822.200000000004"},
    {0x4377041c3a6a8580ull, "103655100000000000"},
    {0x442bf33fa5497fa7ull, "257795000000000000000"},
    {0x3d2705c378503f62ull, "4.08962e-14"},
    {0x430933bad815b000ull, "886719000000000"},
    {0x441c3239dc3e6660ull, "130032000000000000000"},
    {0x45d35adfb86ae4e9ull, "2.39603e+28"},
    {0x45f04de826ccaae5ull, "8.07351e+28"},
    {0x43f29ce405312458ull, "21459160000000000000"},
    {0x3c711917f6c1a2afull, "1.4830170000000002e-17"},
    {0x3ddcac7591a9d716ull, "1.043142e-10"},
    {0x443bd0788b908086ull, "513084000000000000000"},
    {0x4380b5e0650ca600ull, "150514400000000000"},
    {0x4233e2d21f400000ull, "85409800000"},
};

static void writes_doubles_as_javascript(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof double_cases / sizeof *double_cases; i++) {
        double d;
        memcpy(&d, &double_cases[i].bits, sizeof d);
        char out[GQL_JS_NUMBER_MAX];
        size_t n = gql_js_number_str(out, d);
        if (strcmp(out, double_cases[i].js) != 0)
            fail_msg("%.17g: got %s, JavaScript prints %s", d, out, double_cases[i].js);
        assert_int_equal(n, strlen(out));
        assert_true(strtod(out, NULL) == d);   /* round-trips */
    }
    char out[GQL_JS_NUMBER_MAX];
    gql_js_number_str(out, NAN);
    assert_string_equal(out, "NaN");
    gql_js_number_str(out, -INFINITY);
    assert_string_equal(out, "-Infinity");
    gql_js_int_str(out, 9007199254740993LL);   /* what JSON.parse would have made of it */
    assert_string_equal(out, "9007199254740992");
    gql_js_int_str(out, -9007199254740992LL);
    assert_string_equal(out, "-9007199254740992");
    gql_js_int_str(out, INT64_MIN);
    assert_string_equal(out, "-9223372036854776000");
    gql_buf b;
    gql_buf_init(&b);
    gql_json_write_double(&b, INFINITY);
    gql_buf_putc(&b, ',');
    gql_json_write_double(&b, NAN);
    gql_buf_putc(&b, ',');
    gql_json_write_double(&b, 1e21);
    gql_buf_putc(&b, ',');
    gql_json_write_int(&b, INT64_MIN);
    assert_string_equal(b.data, "null,null,1e+21,-9223372036854775808");
    gql_buf_free(&b);
}

static void writes_values(void **state) {
    (void)state;
    assert_string_equal(write(P(" { \"a\" : [ 1 , 2.50 , \"\\u00e9\" , true , null , { } , [ ] ] , \"1\" : -0.0 } ")),
                        "{\"1\":0,\"a\":[1,2.5,\"\xC3\xA9\",true,null,{},[]]}");
    assert_string_equal(write(NULL), "null");
    gql_val *l = gql_val_list(&A, 2);   /* undefined items are null, undefined members left out */
    l->u.list.items[1] = gql_val_object(&A, 0);
    gql_val_object_set(&A, l->u.list.items[1], "gone", 4, NULL);
    gql_val_object_set(&A, l->u.list.items[1], "x", 1, gql_val_int(&A, 1));
    assert_string_equal(write(l), "[null,{\"x\":1}]");
    gql_val *e = gql_val_string(&A, "RED", 3);
    e->kind = GQL_V_ENUM;
    assert_string_equal(write(e), "\"RED\"");
}

/* write(parse(x)) is a fixed point, and parse(write(v)) equals v */
static void round_trips(void **state) {
    (void)state;
    const char *docs[] = {"{\"a\":[1,2.5,-1e-7,1e+300,\"x\\u0000y\",{\"b\":null}],\"c\":false}", "[]", "\"\xF0\x9F\x98\x80\"",
                          "[0.1,0.2,0.30000000000000004,123456789012345680000,5e-324]"};
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        gql_val *v = parse_ok(docs[i], strlen(docs[i]));
        const char *w = write(v);
        assert_string_equal(w, docs[i]);
        assert_true(gql_val_equal(v, parse_ok(w, strlen(w))));
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(parses_values, setup, teardown),
        cmocka_unit_test_setup_teardown(parses_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(parses_strings, setup, teardown),
        cmocka_unit_test_setup_teardown(duplicate_keys_and_big_objects, setup, teardown),
        cmocka_unit_test_setup_teardown(nesting_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(rejects_invalid, setup, teardown),
        cmocka_unit_test_setup_teardown(writes_strings_as_json_stringify, setup, teardown),
        cmocka_unit_test_setup_teardown(escapes_at_every_position, setup, teardown),
        cmocka_unit_test_setup_teardown(writes_doubles_as_javascript, setup, teardown),
        cmocka_unit_test_setup_teardown(writes_values, setup, teardown),
        cmocka_unit_test_setup_teardown(round_trips, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
