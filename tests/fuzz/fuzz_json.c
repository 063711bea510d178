/*
 * fuzz_json.c: libFuzzer target for the JSON parser and writer. Parses the
 * input; a value must write as valid JSON that parses back to an equal value
 * and writes the same text again (write(parse(text)) is a fixpoint), and
 * inspect must not fail. The input is also written as a JSON string (any bytes:
 * invalid UTF-8 is replaced) which must parse back to a string, and, when it
 * has 8 bytes or more, read as a double whose JavaScript form must read back as
 * the same double.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "value.h"

#include "fuzz_util.h"

/* Infinity writes as null, so such a value is not expected to read back equal. */
static bool has_non_finite(const gql_val *v) {
    switch (v->kind) {
    case GQL_V_FLOAT: return !isfinite(v->u.f);
    case GQL_V_LIST:
        for (uint32_t i = 0; i < v->u.list.count; i++)
            if (has_non_finite(v->u.list.items[i])) return true;
        return false;
    case GQL_V_OBJECT:
        for (uint32_t i = 0; i < v->u.obj.count; i++)
            if (has_non_finite(v->u.obj.members[i].value)) return true;
        return false;
    default: return false;
    }
}

static void check_utf8(const char *s, size_t len) {
    for (size_t i = 0; i < len;) {
        int32_t cp;
        i += gql_utf8_next(s + i, len - i, &cp);
        CHECK(cp >= 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *src = (const char *)data;
    gql_arena a;
    gql_arena_init(&a, 0);
    const char *err = NULL;
    gql_val *v = gql_json_parse(&a, src, size, size % 7 == 0 ? 4 : 0, &err);
    if (v) {
        CHECK(err == NULL);
        gql_buf b1, b2;
        gql_buf_init(&b1);
        gql_buf_init(&b2);
        gql_json_write_val(&b1, v);
        check_utf8(b1.data, b1.len);
        gql_val *again = gql_json_parse(&a, b1.data, b1.len, 0, &err);
        CHECK(again != NULL);
        if (!has_non_finite(v)) CHECK(gql_val_equal(v, again));
        gql_json_write_val(&b2, again);
        CHECK(b1.len == b2.len && memcmp(b1.data, b2.data, b1.len) == 0);
        gql_buf_free(&b1);
        gql_buf_free(&b2);
        char *s = gql_inspect(&a, v);
        CHECK(s != NULL);
    } else {
        CHECK(err != NULL && strncmp(err, "Invalid JSON at line ", 21) == 0);
    }

    gql_buf b;
    gql_buf_init(&b);
    gql_json_write_string(&b, src, size);
    check_utf8(b.data, b.len);
    gql_val *s = gql_json_parse(&a, b.data, b.len, 0, &err);
    CHECK(s && s->kind == GQL_V_STRING && s->u.str.len <= size * 3);
    gql_buf_free(&b);

    if (size >= 8) {
        double d;
        memcpy(&d, data, sizeof d);
        char out[GQL_JS_NUMBER_MAX];
        size_t n = gql_js_number_str(out, d);
        CHECK(n < GQL_JS_NUMBER_MAX && strlen(out) == n);
        if (isfinite(d)) CHECK(strtod(out, NULL) == d);
        int64_t i;
        memcpy(&i, data, sizeof i);
        n = gql_js_int_str(out, i);
        CHECK(n < GQL_JS_NUMBER_MAX && strtod(out, NULL) == (double)i);
    }
    gql_arena_free(&a);
    return 0;
}
