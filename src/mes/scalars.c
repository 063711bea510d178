/*
 * scalars.c: the API's custom scalars, Time, JSON and URL, bound to the
 * engine (gql_schema_bind_scalar).
 *
 * Time: results are int64 milliseconds since the Unix epoch (UTC), written
 *   as RFC 3339 in UTC with milliseconds ("2026-11-26T20:03:50.123Z");
 *   inputs are any RFC 3339 date-time (an offset, any number of fraction
 *   digits), normalized to milliseconds (a GQL_V_INT): finer fractions are
 *   truncated, never rounded up into the next millisecond.
 * JSON: any value, passed through both ways.
 * URL: an absolute http or https URL with a host, passed through as given.
 *
 * Must never accept an input it cannot represent exactly as documented (a
 * leap second, a date that does not exist, a year outside 0000-9999): a
 * refused input is a coercion error with a message saying what is expected.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "domain.h"
#include "time_util.h"

/* ---- Time ---------------------------------------------------------------- */

static const char *time_expect(gql_arena *a, const gql_val *in) {
    return gql_arena_printf(a,
                            "Time cannot represent value: %s; expected an RFC 3339 date-time such as "
                            "\"2026-11-26T20:03:50.123Z\"",
                            gql_inspect(a, in));
}

static gql_val *time_parse(const gql_val *in, gql_arena *a, const char **err, void *ud) {
    (void)ud;
    int64_t ms;
    if (in->kind != GQL_V_STRING || !mes_time_parse(in->u.str.s, in->u.str.len, &ms)) {
        *err = time_expect(a, in);
        return NULL;
    }
    return gql_val_int(a, ms);
}

static const char *time_serialize(const gql_rv *v, gql_buf *out, gql_arena *a, void *ud) {
    (void)ud;
    int64_t ms = 0;
    bool ok = false;
    const gql_val *j = v->kind == GQL_RV_JSON ? v->u.json : NULL;
    if (v->kind == GQL_RV_INT) ms = v->u.i, ok = true;
    else if (j && j->kind == GQL_V_INT) ms = j->u.i, ok = true;
    /* stored payloads (issue 4) may carry a Time already as text */
    else if (v->kind == GQL_RV_STRING) ok = mes_time_parse(v->u.str.s, v->u.str.len, &ms);
    else if (j && j->kind == GQL_V_STRING) ok = mes_time_parse(j->u.str.s, j->u.str.len, &ms);
    char text[MES_TIME_TEXT_MAX];
    if (!ok || !mes_time_format(ms, text)) return "Time cannot represent this value";
    gql_buf_putc(out, '"');
    gql_buf_append(out, text, strlen(text));
    gql_buf_putc(out, '"');
    (void)a;
    return NULL;
}

/* ---- URL ----------------------------------------------------------------- */

/* An absolute http(s) URL: the scheme (any case), "://", a non-empty host,
 * and no whitespace or control character anywhere. */
static bool url_ok(const char *s, size_t len) {
    size_t skip;
    if (len >= 7 && strncasecmp(s, "http://", 7) == 0) skip = 7;
    else if (len >= 8 && strncasecmp(s, "https://", 8) == 0) skip = 8;
    else return false;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f) return false;
    /* the authority ends at the first '/', '?' or '#'; the host is what
     * follows any userinfo and precedes any port */
    size_t end = skip;
    while (end < len && s[end] != '/' && s[end] != '?' && s[end] != '#') end++;
    size_t host = skip;
    for (size_t i = skip; i < end; i++)
        if (s[i] == '@') host = i + 1;
    return host < end && s[host] != ':';
}

static gql_val *url_parse(const gql_val *in, gql_arena *a, const char **err, void *ud) {
    (void)ud;
    if (in->kind != GQL_V_STRING || !url_ok(in->u.str.s, in->u.str.len)) {
        *err = gql_arena_printf(a, "URL cannot represent value: %s; expected an absolute http or https URL",
                                gql_inspect(a, in));
        return NULL;
    }
    return (gql_val *)in;
}

static const char *url_serialize(const gql_rv *v, gql_buf *out, gql_arena *a, void *ud) {
    (void)a, (void)ud;
    const gql_val *j = v->kind == GQL_RV_JSON ? v->u.json : NULL;
    if (v->kind == GQL_RV_STRING) gql_json_write_string(out, v->u.str.s, v->u.str.len);
    else if (j && j->kind == GQL_V_STRING) gql_json_write_string(out, j->u.str.s, j->u.str.len);
    else return "URL cannot represent a non-string value";
    return NULL;
}

bool mes_bind_scalars(gql_schema *s, char *err, size_t errlen) {
    /* JSON: both hooks NULL is the engine's pass-through */
    if (gql_schema_bind_scalar(s, "Time", time_serialize, time_parse, NULL) &&
        gql_schema_bind_scalar(s, "JSON", NULL, NULL, NULL) &&
        gql_schema_bind_scalar(s, "URL", url_serialize, url_parse, NULL))
        return true;
    snprintf(err, errlen, "binding the scalars Time, JSON and URL failed");
    return false;
}
