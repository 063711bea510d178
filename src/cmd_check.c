/*
 * cmd_check.c: `mesd check`, the GraphQL engine on its own (docs/cli.md).
 * Loads a schema from SDL, then parses, validates and (with --root) executes
 * one document with default resolvers over a JSON root value. Prints one JSON
 * object; exit 0 valid/ok, 1 document errors, 2 schema or usage errors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "gql.h"

enum { EXIT_OK = 0, EXIT_DOC = 1, EXIT_SCHEMA = 2 };

/* Prints {"errors":[{"message":…}]} for an error that has no GraphQL location. */
static int fail_message(int code, const char *fmt, const char *arg, const char *detail) {
    gql_buf b;
    gql_buf_init(&b);
    char msg[1024];
    snprintf(msg, sizeof msg, fmt, arg, detail);
    gql_buf_puts(&b, "{\"errors\":[{\"message\":");
    gql_json_write_string(&b, msg, strlen(msg));
    gql_buf_puts(&b, "}]}\n");
    fwrite(b.data, 1, b.len, stdout);
    gql_buf_free(&b);
    return code;
}

static int print_errors(int code, const gql_errors *errs) {
    gql_buf b;
    gql_buf_init(&b);
    gql_buf_puts(&b, "{\"errors\":");
    gql_errors_write_json(&b, errs);
    gql_buf_puts(&b, "}\n");
    fwrite(b.data, 1, b.len, stdout);
    gql_buf_free(&b);
    return code;
}

static int print_valid(void) {
    fputs("{\"valid\":true}\n", stdout);
    return EXIT_OK;
}

/* Reads a JSON document given inline or as @FILE. */
static gql_val *read_json_arg(gql_arena *a, const char *arg, bool is_file, const char *what, int *rc) {
    size_t len = 0;
    char *text = NULL;
    const char *src = arg;
    if (is_file || arg[0] == '@') {
        const char *path = is_file ? arg : arg + 1;
        text = cli_read_file(path, &len);
        if (!text) {
            *rc = fail_message(EXIT_DOC, "Cannot read %s: %s", path, strerror(errno));
            return NULL;
        }
        src = text;
    } else {
        len = strlen(arg);
    }
    const char *err = NULL;
    gql_val *v = gql_json_parse(a, src, len, 0, &err);
    free(text);
    if (!v) *rc = fail_message(EXIT_DOC, "%s is not valid JSON: %s", what, err ? err : "parse error");
    return v;
}

int cmd_check(int argc, char **argv) {
    cli_flag flags[] = {
        {"schema", true, NULL, false},    {"query", true, NULL, false}, {"variables", true, NULL, false},
        {"operation", true, NULL, false}, {"root", true, NULL, false},
    };
    const size_t nf = sizeof flags / sizeof flags[0];
    const char *pos[1];
    if (cli_parse_flags(argc, argv, 2, flags, nf, pos, 0) < 0) return EXIT_SCHEMA;
    const char *schema_path = cli_flag_value(flags, nf, "schema");
    const char *query_path = cli_flag_value(flags, nf, "query");
    const char *vars_arg = cli_flag_value(flags, nf, "variables");
    const char *op_name = cli_flag_value(flags, nf, "operation");
    const char *root_path = cli_flag_value(flags, nf, "root");
    if (!schema_path) {
        fprintf(stderr, "usage: mesd check --schema FILE [--query FILE] [--variables JSON] [--operation NAME] [--root FILE]\n");
        return EXIT_SCHEMA;
    }

    int rc = EXIT_OK;
    gql_arena arena;
    gql_arena_init(&arena, 1 << 16);
    gql_errors errs;
    gql_errors_init(&errs, &arena);
    gql_schema *schema = NULL;
    gql_prepared *prep = NULL;

    size_t sdl_len;
    char *sdl = cli_read_file(schema_path, &sdl_len);
    if (!sdl) {
        rc = fail_message(EXIT_SCHEMA, "Cannot read schema %s: %s", schema_path, strerror(errno));
        goto out;
    }
    schema = gql_schema_build(sdl, sdl_len, &errs);
    free(sdl);
    if (!schema) {
        rc = print_errors(EXIT_SCHEMA, &errs);
        goto out;
    }
    if (!query_path) {
        rc = print_valid();
        goto out;
    }

    size_t q_len;
    char *query = cli_read_file(query_path, &q_len);
    if (!query) {
        rc = fail_message(EXIT_DOC, "Cannot read query %s: %s", query_path, strerror(errno));
        goto out;
    }
    bool syntax = false;
    prep = gql_prepare(schema, query, q_len, NULL, &errs, &syntax);
    free(query);
    if (!prep) {
        rc = print_errors(EXIT_DOC, &errs);
        goto out;
    }

    gql_val *vars = NULL;
    if (vars_arg) {
        vars = read_json_arg(&arena, vars_arg, false, "--variables", &rc);
        if (!vars) goto out;
        if (vars->kind != GQL_V_OBJECT) {
            rc = fail_message(EXIT_DOC, "%s must be a JSON object%s", "--variables", "");
            goto out;
        }
    }

    gql_exec_request req = {.doc = prep, .operation_name = op_name, .variables = vars, .arena = &arena};
    gql_buf out;
    gql_buf_init(&out);
    if (!root_path) {
        /* No execution: still choose the operation and coerce the variables,
         * which is where a document meets its inputs. */
        const char *op_err = NULL;
        const gql_definition *op = gql_prepared_operation(prep, op_name, &op_err);
        if (!op) {
            gql_errors_add_msg(&errs, op_err);
            rc = print_errors(EXIT_DOC, &errs);
        } else if (!gql_coerce_variables(&arena, schema, op, vars, 0, &errs)) {
            rc = print_errors(EXIT_DOC, &errs);
        } else {
            rc = print_valid();
        }
    } else {
        gql_val *root = read_json_arg(&arena, root_path, true, "--root", &rc);
        if (root) {
            req.root = gql_rv_json(root);
            gql_exec_status st = gql_execute(&req, &out);
            gql_buf_putc(&out, '\n');
            fwrite(out.data, 1, out.len, stdout);
            rc = st == GQL_EXEC_OK ? EXIT_OK : EXIT_DOC;
        }
    }
    gql_buf_free(&out);

out:
    if (prep) gql_prepared_free(prep);
    if (schema) gql_schema_free(schema);
    gql_arena_free(&arena);
    return rc;
}
