/*
 * execute_subscribe.c: graphql-js's createSourceEventStream without the I/O
 * (operation, variables, root field and its arguments), the execution of
 * the subscription's selection on one event, and the same look at the root
 * fields of any operation (gql_root_fields: a mutation's writes are planned
 * from them before it executes).
 *
 * Must never: collect root fields differently from execution (both use the
 * plan of execute_collect.c), or report an argument error itself (execution
 * reports it where graphql-js does).
 */
#include <string.h>
#include "coerce.h"
#include "execute_internal.h"

static gql_exec_status request_error(exec_ctx *c, gql_buf *err_out) {
    gql_exec_write_request_errors(&c->errs, err_out);
    return GQL_EXEC_REQUEST_ERROR;
}

gql_exec_status gql_subscribe(const gql_exec_request *req, gql_subscription *sub, gql_buf *err_out) {
    exec_ctx c;
    gql_exec_ctx_init(&c, req, NULL);
    memset(sub, 0, sizeof *sub);
    if (!gql_exec_select(&c, req)) return request_error(&c, err_out);
    const gql_type *root_type = c.schema->subscription;
    if (!root_type) {
        gql_error *e = gql_errors_add_msg(&c.errs, "Schema is not configured to execute subscription operation.");
        gql_error_add_loc(&c.errs, e, c.op->loc);
        return request_error(&c, err_out);
    }
    exec_plan *plan = gql_exec_root_plan(&c, root_type);
    if (!plan) return request_error(&c, err_out);
    if (plan->count == 0) {
        /* graphql-js destructures the first root field, which is not there: a
         * TypeError, not a GraphQLError, but still no response can be made */
        gql_errors_add_msg(&c.errs, "undefined is not iterable (cannot read property Symbol(Symbol.iterator))");
        return request_error(&c, err_out);
    }
    exec_field *f = &plan->fields[0];
    if (!f->def) {
        gql_error *e = gql_errors_add(&c.errs, "The subscription field \"%s\" is not defined.", f->nodes[0]->name.value);
        for (uint32_t i = 0; i < f->node_count; i++) gql_error_add_loc(&c.errs, e, f->nodes[i]->loc);
        return request_error(&c, err_out);
    }
    const gql_selection *node = f->nodes[0];
    gql_val *args = gql_argument_values(req->arena, f->def->args, f->def->arg_count, node->args, node->arg_count,
                                        node->loc, c.vars, &c.errs);
    if (!args) {
        gql_path path = {.prev = NULL, .key = f->key, .index = 0};
        gql_exec_set_path(&c, c.errs.tail, &path);
        return request_error(&c, err_out);
    }
    sub->operation = c.op;
    sub->field = f->def;
    sub->field_node = node;
    sub->response_key = f->key;
    sub->args = args;
    sub->variables = c.vars;
    sub->root = f;
    return GQL_EXEC_OK;
}

gql_exec_status gql_execute_event(const gql_exec_request *req, const gql_subscription *sub, const gql_rv *event,
                                  gql_buf *out) {
    exec_ctx c;
    gql_exec_ctx_init(&c, req, out);
    c.op = sub->operation;
    c.vars = sub->variables;
    exec_field *f = (exec_field *)sub->root;
    if (f->per_request) {
        /* the sub-plans of a per-request entry go into this event's arena: do
         * not hang them on the subscription's entry, which outlives it */
        exec_field *copy = gql_arena_alloc(c.arena, sizeof *copy);
        *copy = *f;
        copy->subs = NULL;
        f = copy;
    }
    size_t base = out->len;
    gql_buf_append(out, "{\"data\":", 8);
    size_t data_start = out->len;
    gql_buf_putc(out, '{');
    gql_buf_append(out, f->key_json + 1, f->key_json_len - 1);
    gql_path path = {.prev = NULL, .key = f->key, .index = 0};
    if (gql_exec_field(&c, c.schema->subscription, c.root, f, &path, event) == EXEC_THROW) {
        gql_buf_truncate(out, data_start);
        gql_buf_append(out, "null", 4);
    } else {
        gql_buf_putc(out, '}');
    }
    gql_buf_putc(out, '}');
    return gql_exec_finish(&c, base);
}

gql_exec_status gql_root_fields(const gql_exec_request *req, gql_root_field_list *out, gql_buf *err_out) {
    exec_ctx c;
    gql_exec_ctx_init(&c, req, NULL);
    memset(out, 0, sizeof *out);
    const gql_type *root_type = NULL;
    exec_plan *plan = NULL;
    if (!gql_exec_select(&c, req) || !(root_type = gql_exec_root_type(&c)) ||
        !(plan = gql_exec_root_plan(&c, root_type))) {
        if (err_out) gql_exec_write_request_errors(&c.errs, err_out);
        return GQL_EXEC_REQUEST_ERROR;
    }
    out->operation = c.op;
    out->variables = c.vars;
    out->fields = gql_arena_calloc(req->arena, (plan->count + 1) * sizeof *out->fields);
    /* argument errors belong to execution: collect them aside and drop them */
    gql_errors scratch;
    gql_errors_init(&scratch, req->arena);
    for (uint32_t i = 0; i < plan->count; i++) {
        const exec_field *f = &plan->fields[i];
        if (!f->def) continue;
        const gql_selection *node = f->nodes[0];
        gql_root_field *r = &out->fields[out->count++];
        r->field = f->def;
        r->response_key = f->key;
        r->field_node = node;
        r->args = gql_argument_values(req->arena, f->def->args, f->def->arg_count, node->args, node->arg_count,
                                      node->loc, c.vars, &scratch);
    }
    return GQL_EXEC_OK;
}

const gql_definition *gql_select_operation(const gql_prepared *p, const char *name, gql_arena *a,
                                           const char **err) {
    return gql_exec_operation(p, name, a, err);
}

int gql_prepared_fragment_index(const gql_prepared *p, const char *name, uint32_t len) {
    return gql_exec_fragment_index(p, name, len);
}
