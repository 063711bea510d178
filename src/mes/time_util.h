/*
 * time_util.h: RFC 3339 text <-> int64 milliseconds since the Unix epoch
 * (UTC), the representation of the Time scalar and of every time the store
 * keeps. Pure functions, no clock, no locale, no time zone database.
 */
#ifndef MES_TIME_UTIL_H
#define MES_TIME_UTIL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MES_TIME_TEXT_MAX 25   /* "YYYY-MM-DDTHH:MM:SS.mmmZ" and its NUL */

/* An RFC 3339 date-time ("2026-11-26T20:03:50.123Z", "…+02:00", any number
 * of fraction digits, 'T'/'t' and 'Z'/'z'), years 0000-9999. false for
 * anything else, a leap second included. */
bool mes_time_parse(const char *s, size_t len, int64_t *ms_out);
/* ms as "YYYY-MM-DDTHH:MM:SS.mmmZ"; false when the year is outside 0000-9999. */
bool mes_time_format(int64_t ms, char out[MES_TIME_TEXT_MAX]);

#endif
