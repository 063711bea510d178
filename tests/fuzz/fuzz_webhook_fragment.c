/*
 * fuzz_webhook_fragment.c: libFuzzer target for webhookSubscribe's
 * responseFragment check (src/mes/webhooks.c) against the real API schema.
 * The input is the fragment's text. Whatever it is, the check must answer
 * without crashing; when it accepts, the stream must be the one of the
 * fragment's type condition, and the subscription document a delivery
 * builds from it must exist and prepare (parse and validate) cleanly: an
 * accepted fragment that could not be rendered would leave its outbox
 * stuck. When it refuses, it must say why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "gql.h"
#include "mes_schema.h"
#include "webhooks.h"

#include "fuzz_util.h"

static gql_schema *schema;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    schema = fuzz_schema_or_die((const char *)mes_schema_sdl, mes_schema_sdl_len);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 4096) return 0;
    char *fragment = malloc(size + 1);
    CHECK(fragment);
    memcpy(fragment, data, size);
    fragment[size] = 0;   /* the mutation's String: no NUL inside (JSON escapes aside) */
    store_stream stream = STORE_STREAM_COUNT;
    char msg[512] = "";
    if (mes_webhook_fragment_check(schema, fragment, &stream, msg, sizeof msg)) {
        const mes_webhook_stream *ws = mes_webhook_stream_of(stream);
        CHECK(ws != NULL);
        /* the type condition named in the text is the stream's type */
        CHECK(strstr(fragment, ws->type) != NULL);
        char *src = mes_webhook_document(fragment, stream);
        CHECK(src != NULL);
        gql_arena a;
        gql_arena_init(&a, 0);
        gql_errors errs;
        gql_errors_init(&errs, &a);
        bool syntax = false;
        gql_prepare_options po = {.parse = {.max_tokens = 10000}};
        gql_prepared *p = gql_prepare(schema, src, strlen(src), &po, &errs, &syntax);
        CHECK(p != NULL);
        gql_prepared_free(p);
        gql_arena_free(&a);
        free(src);
    } else {
        CHECK(msg[0] != 0);
    }
    free(fragment);
    return 0;
}
