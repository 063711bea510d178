/*
 * execute.c: graphql-js 16's execute() for synchronous resolvers: executeField,
 * completeValue (non-null, lists, leaves, abstract types, objects) and the
 * response, streamed as JSON into a gql_buf.
 *
 * graphql-js throws a field error up to the nearest nullable position, where
 * it is recorded and the value becomes null; with synchronous resolvers nothing
 * runs between the throw and that catch, so the error is recorded when it is
 * raised (same order) and EXEC_THROW travels up; the catch truncates the output
 * back to where the nullable value started and writes null there.
 */
#include <string.h>
#include "coerce.h"
#include "execute_internal.h"

static exec_result complete_value(exec_ctx *c, const gql_type *type, exec_field *f, gql_resolve_info *info,
                                  const gql_path *path, const gql_rv *rv);

/* ---- errors ---------------------------------------------------------------- */

void gql_exec_set_path(exec_ctx *c, gql_error *e, const gql_path *path) {
    if (!e) return;
    uint32_t n = 0;
    for (const gql_path *p = path; p; p = p->prev) n++;
    if (!n) return;
    gql_path_seg *segs = gql_arena_alloc(c->arena, n * sizeof *segs);
    uint32_t i = n;
    for (const gql_path *p = path; p; p = p->prev) segs[--i] = (gql_path_seg){.key = p->key, .index = p->index};
    e->path = segs;
    e->path_len = n;
}

/* locatedError(error, fieldNodes, path) */
gql_error *gql_exec_error(exec_ctx *c, const exec_field *f, const gql_path *path, const char *msg) {
    gql_error *e = gql_errors_add_msg(&c->errs, msg);
    for (uint32_t i = 0; i < f->node_count; i++) gql_error_add_loc(&c->errs, e, f->nodes[i]->loc);
    gql_exec_set_path(c, e, path);
    return e;
}

/* handleFieldError: a non-null position passes the error on; a nullable one
 * becomes null. */
static exec_result handle_field_error(exec_ctx *c, const gql_type *type, size_t start) {
    if (type->kind == GQL_T_NON_NULL) return EXEC_THROW;
    gql_buf_truncate(c->out, start);
    gql_buf_append(c->out, "null", 4);
    return EXEC_NULL;
}

void gql_exec_write_request_errors(const gql_errors *errs, gql_buf *out) {
    gql_buf_append(out, "{\"errors\":", 10);
    gql_errors_write_json(out, errs);
    gql_buf_putc(out, '}');
}

gql_exec_status gql_exec_finish(exec_ctx *c, size_t response_start) {
    if (!c->errs.count) return GQL_EXEC_OK;
    /* graphql-js builds { errors, data }: the errors go in front of the data,
     * which is rare enough that moving the data once is fine */
    gql_buf pre;
    gql_buf_init(&pre);
    gql_buf_append(&pre, "{\"errors\":", 10);
    gql_errors_write_json(&pre, &c->errs);
    gql_buf_append(&pre, ",\"data\":", 8);
    gql_buf *out = c->out;
    size_t old_head = 8;   /* {"data": */
    size_t grow = pre.len - old_head;
    gql_buf_reserve(out, grow);
    char *at = out->data + response_start;
    memmove(at + pre.len, at + old_head, out->len - response_start - old_head);
    memcpy(at, pre.data, pre.len);
    out->len += grow;
    gql_buf_free(&pre);
    return GQL_EXEC_FIELD_ERRORS;
}

/* ---- resolving ------------------------------------------------------------- */

static bool rv_is_null(const gql_rv *v) {
    return v->kind == GQL_RV_NULL || (v->kind == GQL_RV_JSON && (!v->u.json || v->u.json->kind == GQL_V_NULL));
}

static const void *source_pointer(const gql_rv *v) {
    if (v->kind == GQL_RV_OBJECT) return v->u.object.obj;
    if (v->kind == GQL_RV_JSON) return v->u.json;
    return NULL;
}

/* defaultFieldResolver on a JSON source: source[fieldName]. A JSON object has
 * Object.prototype's methods, which graphql-js calls as (args, context, info). */
static gql_rv default_resolve(const gql_rv *source, const exec_field *f, const gql_val *args) {
    if (source->kind != GQL_RV_JSON || !source->u.json) return gql_rv_null();
    const gql_val *v = source->u.json;
    const char *name = f->def->name;
    if (v->kind == GQL_V_LIST) {
        if (strcmp(name, "length") == 0) return gql_rv_int(v->u.list.count);
        return gql_rv_null();
    }
    if (v->kind != GQL_V_OBJECT) return gql_rv_null();   /* not object-like */
    const gql_val *p = gql_val_get(v, name, f->nodes[0]->name.len);   /* the node names the field */
    if (p) return gql_rv_json(p);
    if (strcmp(name, "toString") == 0 || strcmp(name, "toLocaleString") == 0)
        return gql_rv_str("[object Object]", 15);
    if (strcmp(name, "valueOf") == 0) return gql_rv_json(v);
    if (strcmp(name, "constructor") == 0) return gql_rv_json(args);   /* Object(args) */
    if (strcmp(name, "hasOwnProperty") == 0 || strcmp(name, "propertyIsEnumerable") == 0)
        return gql_rv_bool(gql_val_get(v, "[object Object]", 15) != NULL);   /* String(args) */
    if (strcmp(name, "isPrototypeOf") == 0) return gql_rv_bool(false);
    return gql_rv_null();
}

/* ---- completing values ------------------------------------------------------ */

static exec_result throw_error(exec_ctx *c, exec_field *f, const gql_path *path, const char *msg) {
    gql_exec_error(c, f, path, msg);
    return EXEC_THROW;
}

static bool fits_int32(int64_t i) { return i >= INT32_MIN && i <= INT32_MAX; }

static exec_result complete_leaf(exec_ctx *c, const gql_type *type, exec_field *f, const gql_path *path,
                                 const gql_rv *rv) {
    gql_schema *s = c->schema;
    gql_buf *out = c->out;
    /* the common cases, without the general serializer */
    if (rv->kind == GQL_RV_STRING && (type == s->t_string || type == s->t_id)) {
        gql_json_write_string(out, rv->u.str.s, rv->u.str.len);
        return EXEC_VALUE;
    }
    if (rv->kind == GQL_RV_BOOL && type == s->t_boolean) {
        if (rv->u.b) gql_buf_append(out, "true", 4);
        else gql_buf_append(out, "false", 5);
        return EXEC_VALUE;
    }
    if (rv->kind == GQL_RV_INT && type == s->t_int && fits_int32(rv->u.i)) {
        gql_json_write_int(out, rv->u.i);
        return EXEC_VALUE;
    }
    if (rv->kind == GQL_RV_JSON) {
        const gql_val *v = rv->u.json;
        if (v->kind == GQL_V_STRING && (type == s->t_string || type == s->t_id)) {
            gql_json_write_string(out, v->u.str.s, v->u.str.len);
            return EXEC_VALUE;
        }
        if (v->kind == GQL_V_INT && type == s->t_int && fits_int32(v->u.i)) {
            gql_json_write_int(out, v->u.i);
            return EXEC_VALUE;
        }
        if (v->kind == GQL_V_BOOL && type == s->t_boolean) {
            gql_json_write_val(out, v);
            return EXEC_VALUE;
        }
    }
    size_t start = out->len;
    const char *msg = gql_serialize_leaf(c->arena, type, rv, out);
    if (msg) {
        gql_buf_truncate(out, start);
        return throw_error(c, f, path, msg);
    }
    return EXEC_VALUE;
}

static exec_result complete_list(exec_ctx *c, const gql_type *type, exec_field *f, gql_resolve_info *info,
                                 const gql_path *path, const gql_rv *rv) {
    const gql_rv *items = NULL;
    gql_val *const *json_items = NULL;
    uint32_t n;
    if (rv->kind == GQL_RV_LIST) {
        items = rv->u.list.items;
        n = rv->u.list.count;
    } else if (rv->kind == GQL_RV_JSON && rv->u.json->kind == GQL_V_LIST) {
        json_items = rv->u.json->u.list.items;
        n = rv->u.json->u.list.count;
    } else {
        return throw_error(c, f, path,
                           gql_arena_printf(c->arena, "Expected Iterable, but did not find one for field \"%s.%s\".",
                                            info->parent_type->name, f->def->name));
    }
    const gql_type *item_type = type->of_type;
    gql_buf *out = c->out;
    gql_buf_putc(out, '[');
    for (uint32_t i = 0; i < n; i++) {
        if (i) gql_buf_putc(out, ',');
        gql_path item_path = {.prev = path, .key = NULL, .index = i};
        gql_rv json_item;
        const gql_rv *item = &json_item;
        if (items) item = &items[i];
        else json_item = gql_rv_json(json_items[i]);
        size_t start = out->len;
        if (complete_value(c, item_type, f, info, &item_path, item) == EXEC_THROW &&
            handle_field_error(c, item_type, start) == EXEC_THROW)
            return EXEC_THROW;
    }
    gql_buf_putc(out, ']');
    return EXEC_VALUE;
}

static exec_result complete_object(exec_ctx *c, const gql_type *type, exec_field *f, const gql_path *path,
                                   const gql_rv *rv) {
    exec_plan *plan = gql_exec_sub_plan(c, f, type);   /* collectSubfields, memoized */
    if (!plan) {
        gql_exec_set_path(c, c->errs.tail, path);
        return EXEC_THROW;
    }
    return gql_exec_fields(c, plan, rv, path);
}

/* completeAbstractValue + ensureValidRuntimeType. The runtime type comes from
 * the value (GQL_RV_OBJECT's type), else the abstract type's resolve_type hook,
 * else defaultTypeResolver: a JSON object's __typename. */
static exec_result complete_abstract(exec_ctx *c, const gql_type *type, exec_field *f, gql_resolve_info *info,
                                     const gql_path *path, const gql_rv *rv) {
    gql_arena *a = c->arena;
    const gql_type *rt = NULL;
    if (rv->kind == GQL_RV_OBJECT && rv->u.object.type) {
        rt = rv->u.object.type;
    } else if (type->resolve_type) {
        rt = type->resolve_type(rv, type, info);
    } else if (rv->kind == GQL_RV_JSON && rv->u.json->kind == GQL_V_OBJECT) {
        const gql_val *tn = gql_val_get(rv->u.json, "__typename", 10);
        if (tn && tn->kind == GQL_V_STRING) {
            rt = gql_schema_type_n(c->schema, tn->u.str.s, tn->u.str.len);
            if (!rt)
                return throw_error(c, f, path,
                                   gql_arena_printf(a,
                                                    "Abstract type \"%s\" was resolved to a type \"%s\" that does "
                                                    "not exist inside the schema.",
                                                    type->name, tn->u.str.s));
        }
    }
    if (!rt)
        return throw_error(c, f, path,
                           gql_arena_printf(a,
                                            "Abstract type \"%s\" must resolve to an Object type at runtime for "
                                            "field \"%s.%s\". Either the \"%s\" type should provide a "
                                            "\"resolveType\" function or each possible type should provide an "
                                            "\"isTypeOf\" function.",
                                            type->name, info->parent_type->name, f->def->name, type->name));
    if (rt->kind != GQL_T_OBJECT)
        return throw_error(c, f, path,
                           gql_arena_printf(a, "Abstract type \"%s\" was resolved to a non-object type \"%s\".",
                                            type->name, gql_type_str(a, rt)));
    if (!gql_is_sub_type(type, rt))
        return throw_error(c, f, path,
                           gql_arena_printf(a, "Runtime Object type \"%s\" is not a possible type for \"%s\".",
                                            rt->name, type->name));
    return complete_object(c, rt, f, path, rv);
}

static exec_result complete_value(exec_ctx *c, const gql_type *type, exec_field *f, gql_resolve_info *info,
                                  const gql_path *path, const gql_rv *rv) {
    if (rv->kind == GQL_RV_ERROR) {
        gql_error *e = gql_exec_error(c, f, path, rv->u.error.message ? rv->u.error.message : "");
        e->code = rv->u.error.code;
        return EXEC_THROW;
    }
    if (type->kind == GQL_T_NON_NULL) {
        exec_result r = complete_value(c, type->of_type, f, info, path, rv);
        if (r == EXEC_NULL)
            return throw_error(c, f, path,
                               gql_arena_printf(c->arena, "Cannot return null for non-nullable field %s.%s.",
                                                info->parent_type->name, f->def->name));
        return r;
    }
    if (rv_is_null(rv)) {
        gql_buf_append(c->out, "null", 4);
        return EXEC_NULL;
    }
    switch (type->kind) {
    case GQL_T_LIST: return complete_list(c, type, f, info, path, rv);
    case GQL_T_SCALAR:
    case GQL_T_ENUM: return complete_leaf(c, type, f, path, rv);
    case GQL_T_INTERFACE:
    case GQL_T_UNION: return complete_abstract(c, type, f, info, path, rv);
    case GQL_T_OBJECT: return complete_object(c, type, f, path, rv);
    default:   /* an input type: the schema builder does not let one be a field's type */
        return throw_error(c, f, path, "Cannot complete value of unexpected output type.");
    }
}

/* ---- executing fields ------------------------------------------------------- */

exec_result gql_exec_field(exec_ctx *c, const gql_type *parent_type, const gql_rv *source, exec_field *f,
                           const gql_path *path, const gql_rv *value) {
    gql_buf *out = c->out;
    if (f->is_typename) {
        gql_buf_append(out, f->typename_json, f->typename_json_len);
        return EXEC_VALUE;
    }
    const gql_field *def = f->def;
    size_t start = out->len;
    gql_resolve_info info = {
        .field = def,
        .source = source,
        .parent_type = parent_type,
        .return_type = def->type,
        .field_node = f->nodes[0],
        .field_nodes = f->nodes,
        .field_node_count = f->node_count,
        .path = path,
        .doc = c->doc,
        .operation = c->op,
        .variables = c->vars,
        .schema = c->schema,
        .context = c->context,
        .arena = c->arena,
    };
    gql_rv rv;
    if (value) {
        rv = *value;
    } else {
        const gql_val *args = f->args;
        if (!args) {
            const gql_selection *node = f->nodes[0];
            args = gql_argument_values(f->args_cacheable && !f->per_request ? c->doc_arena : c->arena, def->args, def->arg_count,
                                       node->args, node->arg_count, node->loc, c->vars, &c->errs);
            if (!args) {
                gql_exec_set_path(c, c->errs.tail, path);
                return handle_field_error(c, def->type, start);
            }
            if (f->args_cacheable) f->args = args;
        }
        rv = f->resolve ? f->resolve(source_pointer(source), args, &info) : default_resolve(source, f, args);
    }
    exec_result r = complete_value(c, def->type, f, &info, path, &rv);
    if (r == EXEC_THROW) return handle_field_error(c, def->type, start);
    return r;
}

/* executeFields (and executeFieldsSerially: with synchronous resolvers both run
 * the fields one after the other, in order). */
exec_result gql_exec_fields(exec_ctx *c, exec_plan *plan, const gql_rv *source, const gql_path *path) {
    gql_buf *out = c->out;
    gql_buf_putc(out, '{');
    bool first = true;
    for (uint32_t i = 0; i < plan->count; i++) {
        exec_field *f = &plan->fields[i];
        if (!f->def) continue;
        if (!first) gql_buf_putc(out, ',');
        first = false;
        gql_buf_append(out, f->key_json, f->key_json_len);
        gql_path field_path = {.prev = path, .key = f->key, .index = 0};
        if (gql_exec_field(c, plan->type, source, f, &field_path, NULL) == EXEC_THROW) return EXEC_THROW;
    }
    gql_buf_putc(out, '}');
    return EXEC_VALUE;
}

static const char *const op_names[] = {"query", "mutation", "subscription"};

gql_exec_status gql_execute(const gql_exec_request *req, gql_buf *out) {
    exec_ctx c;
    gql_exec_ctx_init(&c, req, out);
    if (!gql_exec_select(&c, req)) {
        gql_exec_write_request_errors(&c.errs, out);
        return GQL_EXEC_REQUEST_ERROR;
    }
    size_t base = out->len;
    gql_buf_append(out, "{\"data\":", 8);
    size_t data_start = out->len;
    gql_schema *s = c.schema;
    const gql_type *root_type = c.op->operation == GQL_OP_QUERY      ? s->query
                                : c.op->operation == GQL_OP_MUTATION ? s->mutation
                                                                     : s->subscription;
    exec_result r = EXEC_THROW;
    if (!root_type) {
        gql_error *e = gql_errors_add(&c.errs, "Schema is not configured to execute %s operation.",
                                      op_names[c.op->operation]);
        gql_error_add_loc(&c.errs, e, c.op->loc);
    } else {
        exec_plan *plan = gql_exec_root_plan(&c, root_type);
        if (plan) r = gql_exec_fields(&c, plan, c.root, NULL);
    }
    if (r == EXEC_THROW) {
        gql_buf_truncate(out, data_start);
        gql_buf_append(out, "null", 4);
    }
    gql_buf_putc(out, '}');
    return gql_exec_finish(&c, base);
}
