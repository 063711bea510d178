/*
 * prepare.c: prepared documents (parse + validate once, execute many times),
 * operation selection as graphql-js's buildExecutionContext does it, and the
 * set-up of an execution context shared by gql_execute and gql_subscribe.
 */
#include <string.h>
#include "coerce.h"
#include "execute_internal.h"
#include "validate.h"

static uint32_t name_hash(const char *s, uint32_t len) {
    uint32_t h = 2166136261u;   /* FNV-1a */
    for (uint32_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

bool gql_exec_value_has_variable(const gql_value_node *v) {
    switch (v->kind) {
    case GQL_VARIABLE: return true;
    case GQL_LIST_VALUE:
        for (uint32_t i = 0; i < v->item_count; i++)
            if (gql_exec_value_has_variable(v->items[i])) return true;
        return false;
    case GQL_OBJECT_VALUE:
        for (uint32_t i = 0; i < v->field_count; i++)
            if (gql_exec_value_has_variable(v->fields[i].value)) return true;
        return false;
    default: return false;
    }
}

static void index_document(gql_prepared *p) {
    gql_document *doc = p->doc;
    gql_arena *a = &doc->arena;
    uint32_t nops = 0, nfrags = 0;
    for (uint32_t i = 0; i < doc->definition_count; i++) {
        const gql_definition *d = &doc->definitions[i];
        if (d->kind == GQL_OPERATION_DEFINITION) nops++;
        else if (d->kind == GQL_FRAGMENT_DEFINITION) nfrags++;
    }
    p->operations = gql_arena_calloc(a, (nops + 1) * sizeof *p->operations);
    p->fragments = gql_arena_calloc(a, (nfrags + 1) * sizeof *p->fragments);
    for (uint32_t i = 0; i < doc->definition_count; i++) {
        const gql_definition *d = &doc->definitions[i];
        if (d->kind == GQL_OPERATION_DEFINITION) p->operations[p->operation_count++] = d;
        else if (d->kind == GQL_FRAGMENT_DEFINITION) p->fragments[p->fragment_count++] = d;
    }

    gql_prepared_impl *impl = gql_arena_calloc(a, sizeof *impl);
    impl->root_plans = gql_arena_calloc(a, (nops + 1) * sizeof *impl->root_plans);
    impl->plans = gql_arena_calloc(a, (doc->selection_count + 1) * sizeof *impl->plans);
    uint32_t size = 8;
    while (size < nfrags * 2) size *= 2;
    impl->frag_table_size = size;
    impl->frag_table = gql_arena_calloc(a, size * sizeof *impl->frag_table);
    for (uint32_t i = 0; i < nfrags; i++) {
        const gql_name *n = &p->fragments[i]->name;
        uint32_t h = name_hash(n->value, n->len) & (size - 1);
        /* a later fragment of the same name wins, as graphql-js's fragments map */
        while (impl->frag_table[h]) {
            const gql_name *o = &p->fragments[impl->frag_table[h] - 1]->name;
            if (o->len == n->len && memcmp(o->value, n->value, n->len) == 0) break;
            h = (h + 1) & (size - 1);
        }
        impl->frag_table[h] = i + 1;
    }
    p->impl = impl;
}

int gql_exec_fragment_index(const gql_prepared *p, const char *name, uint32_t len) {
    const gql_prepared_impl *impl = p->impl;
    uint32_t mask = impl->frag_table_size - 1;
    for (uint32_t h = name_hash(name, len) & mask; impl->frag_table[h]; h = (h + 1) & mask) {
        uint32_t i = impl->frag_table[h] - 1;
        const gql_name *n = &p->fragments[i]->name;
        if (n->len == len && memcmp(n->value, name, len) == 0) return (int)i;
    }
    return -1;
}

gql_prepared *gql_prepare(gql_schema *s, const char *src, size_t len, const gql_prepare_options *opts,
                          gql_errors *errs, bool *syntax_error) {
    if (syntax_error) *syntax_error = false;
    gql_syntax_error *serr = NULL;
    gql_document *doc = gql_parse(src, len, opts ? &opts->parse : NULL, &serr);
    if (!doc) {
        if (serr) {
            gql_error *e = gql_errors_add_msg(errs, serr->message);
            gql_error_add_srcloc(errs, e, serr->line, serr->column);
            gql_syntax_error_free(serr);
        }
        if (syntax_error) *syntax_error = true;
        return NULL;
    }
    gql_validate_options vopts = {.max_errors = opts ? opts->max_validation_errors : 0};
    if (gql_validate(s, doc, &vopts, errs) > 0) {
        gql_document_free(doc);
        return NULL;
    }
    gql_prepared *p = gql_arena_calloc(&doc->arena, sizeof *p);
    p->schema = s;
    p->doc = doc;
    index_document(p);
    return p;
}

void gql_prepared_free(gql_prepared *p) {
    if (p) gql_document_free(p->doc);   /* p lives in the document's arena */
}

const gql_definition *gql_exec_operation(const gql_prepared *p, const char *name, gql_arena *a,
                                         const char **err) {
    *err = NULL;
    if (!name) {
        if (p->operation_count == 1) return p->operations[0];
        *err = p->operation_count ? "Must provide operation name if query contains multiple operations."
                                  : "Must provide an operation.";
        return NULL;
    }
    const gql_definition *found = NULL;
    for (uint32_t i = 0; i < p->operation_count; i++) {
        const gql_definition *d = p->operations[i];
        if (d->has_name && strcmp(d->name.value, name) == 0) found = d;   /* the last one wins */
    }
    if (!found) *err = gql_arena_printf(a, "Unknown operation named \"%s\".", name);
    return found;
}

void gql_exec_ctx_init(exec_ctx *c, const gql_exec_request *req, gql_buf *out) {
    memset(c, 0, sizeof *c);
    c->doc = req->doc;
    c->schema = req->doc->schema;
    c->arena = req->arena;
    c->context = req->context;
    c->root = &req->root;
    c->out = out;
    c->doc_arena = &req->doc->doc->arena;
    gql_errors_init(&c->errs, req->arena);
    c->request_info = (gql_resolve_info){.doc = c->doc, .schema = c->schema, .context = c->context, .arena = c->arena};
}

const gql_definition *gql_prepared_operation(const gql_prepared *p, const char *name, const char **err) {
    return gql_exec_operation(p, name, &p->doc->arena, err);
}

bool gql_exec_select(exec_ctx *c, const gql_exec_request *req) {
    const char *err;
    c->op = gql_exec_operation(req->doc, req->operation_name, req->arena, &err);
    if (!c->op) {
        gql_errors_add_msg(&c->errs, err);
        return false;
    }
    c->vars = gql_coerce_variables(req->arena, c->schema, c->op, req->variables, req->max_variable_errors,
                                   &c->errs);
    return c->vars != NULL;
}
