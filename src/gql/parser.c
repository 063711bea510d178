/*
 * parser.c: recursive descent parser, a port of graphql-js 16's parser.js with
 * its default options (no legacy fragment variables, no experimental syntax).
 *
 * Errors unwind with longjmp, as graphql-js throws: everything the parse
 * allocates is in the arena or in the parser struct, so nothing leaks. Lists
 * are collected on one byte stack shared by all nesting levels and copied into
 * the arena, exactly sized, when complete. Nesting (selection sets, list and
 * object values, list types) is bounded by max_depth, so the recursion is too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ast.h"
#include "lexer.h"

#define DEFAULT_MAX_DEPTH 1000

typedef struct parser {
    gql_lexer lx;
    gql_arena *arena;
    const char *src;
    uint32_t len;
    gql_token tok;      /* current token */
    uint32_t last_end;  /* end of the previous token: node locations end there */
    char *names;        /* writable copy of the source that name values point into */
    gql_token ahead;    /* one token of lookahead, when has_ahead */
    bool has_ahead;
    uint32_t token_count, max_tokens;
    uint32_t depth, max_depth;
    uint32_t selection_count;
    unsigned char *stk;  /* list items being collected */
    size_t stk_len, stk_cap;
    gql_syntax_error *err;
    jmp_buf jb;
} parser;

/* Where a node starts: its first token. */
typedef struct mark {
    uint32_t start, line, column;
} mark;

static void *xmalloc(size_t n) {
    void *p = malloc(n);
    if (!p) {
        fputs("mesd: out of memory\n", stderr);
        abort();
    }
    return p;
}

/* ------------------------------------------------------------------------- */
/* Error messages. They are built with explicit lengths because a string
 * token's value may contain U+0000. */

typedef struct sbuf {
    char *d;
    size_t len, cap;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 128;
        while (cap < b->len + n + 1) cap *= 2;
        char *d = realloc(b->d, cap);
        if (!d) {
            fputs("mesd: out of memory\n", stderr);
            abort();
        }
        b->d = d;
        b->cap = cap;
    }
    memcpy(b->d + b->len, s, n);
    b->len += n;
    b->d[b->len] = 0;
}

static void sb_puts(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

/* getTokenKindDesc(): punctuators quoted, the others bare. */
static void sb_kind_desc(sbuf *b, gql_tok_kind k) {
    if (gql_tok_is_punctuator(k)) sb_puts(b, "\"");
    sb_puts(b, gql_tok_kind_name(k));
    if (gql_tok_is_punctuator(k)) sb_puts(b, "\"");
}

/* getTokenDesc(): the kind, then the value in quotes when the token has one. */
static void sb_token_desc(sbuf *b, const gql_token *t) {
    sb_kind_desc(b, t->kind);
    if (t->value) {
        sb_puts(b, " \"");
        sb_put(b, t->value, t->len);
        sb_puts(b, "\"");
    }
}

static _Noreturn void fail_sb(parser *p, uint32_t pos, sbuf *msg) {
    gql_syntax_error *e = xmalloc(sizeof *e);
    e->message = msg->d;
    gql_source_location(p->src, p->len, pos, &e->line, &e->column);
    p->err = e;
    longjmp(p->jb, 1);
}

static _Noreturn void fail(parser *p, uint32_t pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static _Noreturn void fail(parser *p, uint32_t pos, const char *fmt, ...) {
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    sbuf b = {0};
    sb_puts(&b, "Syntax Error: ");
    sb_puts(&b, tmp);
    fail_sb(p, pos, &b);
}

static _Noreturn void unexpected(parser *p, const gql_token *t) {
    sbuf b = {0};
    sb_puts(&b, "Syntax Error: Unexpected ");
    sb_token_desc(&b, t);
    sb_puts(&b, ".");
    fail_sb(p, t->start, &b);
}

/* ------------------------------------------------------------------------- */
/* Tokens. */

static void lex(parser *p, gql_token *t) {
    if (!gql_lexer_next(&p->lx, t)) fail(p, p->lx.err_pos, "%s", p->lx.err_msg);
}

static inline void advance(parser *p) {
    p->last_end = p->tok.end;
    if (p->has_ahead) {
        p->tok = p->ahead;
        p->has_ahead = false;
    } else if (p->tok.kind != GQL_TOK_EOF) {
        lex(p, &p->tok);
    }
    if (p->max_tokens && p->tok.kind != GQL_TOK_EOF && ++p->token_count > p->max_tokens) {
        /* graphql-js's wording, typo included. */
        fail(p, p->tok.start, "Document contains more that %u tokens. Parsing aborted.", p->max_tokens);
    }
}

static const gql_token *lookahead(parser *p) {
    if (p->tok.kind == GQL_TOK_EOF) return &p->tok;
    if (!p->has_ahead) {
        lex(p, &p->ahead);
        p->has_ahead = true;
    }
    return &p->ahead;
}

static inline bool peek(const parser *p, gql_tok_kind k) { return p->tok.kind == k; }

static bool tok_value_is(const gql_token *t, const char *s) {
    size_t n = strlen(s);
    return t->value && t->len == n && memcmp(t->value, s, n) == 0;
}

static inline bool is_keyword(const gql_token *t, const char *s) {
    return t->kind == GQL_TOK_NAME && tok_value_is(t, s);
}

__attribute__((noinline)) static _Noreturn void expect_failed(parser *p, gql_tok_kind k) {
    sbuf b = {0};
    sb_puts(&b, "Syntax Error: Expected ");
    sb_kind_desc(&b, k);
    sb_puts(&b, ", found ");
    sb_token_desc(&b, &p->tok);
    sb_puts(&b, ".");
    fail_sb(p, p->tok.start, &b);
}

static inline void expect(parser *p, gql_tok_kind k) {
    if (p->tok.kind != k) expect_failed(p, k);
    advance(p);
}

static bool expect_optional(parser *p, gql_tok_kind k) {
    if (p->tok.kind != k) return false;
    advance(p);
    return true;
}

static void expect_keyword(parser *p, const char *kw) {
    if (is_keyword(&p->tok, kw)) {
        advance(p);
        return;
    }
    sbuf b = {0};
    sb_puts(&b, "Syntax Error: Expected \"");
    sb_puts(&b, kw);
    sb_puts(&b, "\", found ");
    sb_token_desc(&b, &p->tok);
    sb_puts(&b, ".");
    fail_sb(p, p->tok.start, &b);
}

static bool expect_optional_keyword(parser *p, const char *kw) {
    if (!is_keyword(&p->tok, kw)) return false;
    advance(p);
    return true;
}

static void enter(parser *p) {
    if (++p->depth > p->max_depth)
        fail(p, p->tok.start, "Document exceeds the maximum nesting depth of %u.", p->max_depth);
}

static inline void leave(parser *p) { p->depth--; }

/* ------------------------------------------------------------------------- */
/* Nodes. */

static inline mark mark_here(const parser *p) { return (mark){p->tok.start, p->tok.line, p->tok.column}; }

static inline gql_loc loc_from(const parser *p, mark m) {
    return (gql_loc){m.start, p->last_end, m.line, m.column};
}

static inline gql_loc tok_loc(const gql_token *t) { return (gql_loc){t->start, t->end, t->line, t->column}; }

static void *node_alloc(parser *p, size_t n) { return gql_arena_calloc(p->arena, n); }

static size_t stk_mark(const parser *p) { return p->stk_len; }

__attribute__((noinline)) static void stk_grow(parser *p, size_t n) {
    size_t cap = p->stk_cap ? p->stk_cap : 4096;
    while (cap < p->stk_len + n) cap *= 2;
    unsigned char *s = realloc(p->stk, cap);
    if (!s) {
        fputs("mesd: out of memory\n", stderr);
        abort();
    }
    p->stk = s;
    p->stk_cap = cap;
}

/* Inline so the copy has a constant size. */
static inline void stk_push(parser *p, const void *item, size_t n) {
    if (p->stk_len + n > p->stk_cap) stk_grow(p, n);
    memcpy(p->stk + p->stk_len, item, n);
    p->stk_len += n;
}

/* Moves the items pushed since m into an exactly sized arena array. */
static void *stk_take(parser *p, size_t m, size_t elem, uint32_t *count) {
    size_t bytes = p->stk_len - m;
    *count = (uint32_t)(bytes / elem);
    p->stk_len = m;
    if (!bytes) return NULL;
    void *out = gql_arena_alloc(p->arena, bytes);
    memcpy(out, p->stk + m, bytes);
    return out;
}

/*
 * A Name token's value, NUL-terminated without an allocation: it points into
 * p->names, a copy of the source, where the byte after the name is replaced by
 * NUL. That byte is never part of another name (it would have continued this
 * one), and only names use p->names.
 */
static gql_name name_of(parser *p, const gql_token *t) {
    gql_name n;
    p->names[t->end] = 0;
    n.value = p->names + t->start;
    n.len = t->len;
    n.loc = tok_loc(t);
    return n;
}

static gql_name parse_name(parser *p) {
    if (p->tok.kind != GQL_TOK_NAME) expect_failed(p, GQL_TOK_NAME);
    gql_name n = name_of(p, &p->tok);
    advance(p);
    return n;
}

/* ------------------------------------------------------------------------- */
/* Values. */

static gql_value_node *parse_value(parser *p, bool is_const);

/* A value node made of one Name, Int or Float token. */
static gql_value_node *token_value(parser *p, gql_kind kind, const gql_token *t) {
    gql_value_node *v = node_alloc(p, sizeof *v);
    v->kind = kind;
    v->loc = tok_loc(t);
    if (t->kind == GQL_TOK_NAME) {
        v->name = name_of(p, t);
    } else {
        /* A number may start right where a name ends ("[a-1]"), so it cannot
         * share p->names. */
        v->name.value = gql_arena_strndup(p->arena, t->value, t->len);
        v->name.len = t->len;
        v->name.loc = v->loc;
    }
    return v;
}

static gql_value_node *parse_string_literal(parser *p) {
    gql_token t = p->tok;
    advance(p);
    gql_value_node *v = node_alloc(p, sizeof *v);
    v->kind = GQL_STRING_VALUE;
    v->loc = tok_loc(&t);
    v->name.value = t.value;   /* already decoded into the arena */
    v->name.len = t.len;
    v->name.loc = v->loc;
    v->block = t.kind == GQL_TOK_BLOCK_STRING;
    return v;
}

static gql_value_node *parse_variable(parser *p) {
    mark m = mark_here(p);
    expect(p, GQL_TOK_DOLLAR);
    gql_value_node *v = node_alloc(p, sizeof *v);
    v->kind = GQL_VARIABLE;
    v->name = parse_name(p);
    v->loc = loc_from(p, m);
    return v;
}

static gql_value_node *parse_list(parser *p, bool is_const) {
    mark m = mark_here(p);
    enter(p);
    expect(p, GQL_TOK_BRACKET_L);
    size_t sm = stk_mark(p);
    while (!expect_optional(p, GQL_TOK_BRACKET_R)) {
        gql_value_node *item = parse_value(p, is_const);
        stk_push(p, &item, sizeof item);
    }
    leave(p);
    gql_value_node *v = node_alloc(p, sizeof *v);
    v->kind = GQL_LIST_VALUE;
    v->items = stk_take(p, sm, sizeof(gql_value_node *), &v->item_count);
    v->loc = loc_from(p, m);
    return v;
}

static gql_value_node *parse_object(parser *p, bool is_const) {
    mark m = mark_here(p);
    enter(p);
    expect(p, GQL_TOK_BRACE_L);
    size_t sm = stk_mark(p);
    while (!expect_optional(p, GQL_TOK_BRACE_R)) {
        gql_object_field f;
        mark fm = mark_here(p);
        f.name = parse_name(p);
        expect(p, GQL_TOK_COLON);
        f.value = parse_value(p, is_const);
        f.loc = loc_from(p, fm);
        stk_push(p, &f, sizeof f);
    }
    leave(p);
    gql_value_node *v = node_alloc(p, sizeof *v);
    v->kind = GQL_OBJECT_VALUE;
    v->fields = stk_take(p, sm, sizeof(gql_object_field), &v->field_count);
    v->loc = loc_from(p, m);
    return v;
}

static gql_value_node *parse_value(parser *p, bool is_const) {
    gql_token t = p->tok;
    switch (t.kind) {
    case GQL_TOK_BRACKET_L:
        return parse_list(p, is_const);
    case GQL_TOK_BRACE_L:
        return parse_object(p, is_const);
    case GQL_TOK_INT:
        advance(p);
        return token_value(p, GQL_INT_VALUE, &t);
    case GQL_TOK_FLOAT:
        advance(p);
        return token_value(p, GQL_FLOAT_VALUE, &t);
    case GQL_TOK_STRING:
    case GQL_TOK_BLOCK_STRING:
        return parse_string_literal(p);
    case GQL_TOK_NAME: {
        advance(p);
        if (tok_value_is(&t, "true") || tok_value_is(&t, "false")) {
            gql_value_node *v = token_value(p, GQL_BOOLEAN_VALUE, &t);
            v->boolean = t.len == 4;
            return v;
        }
        return token_value(p, tok_value_is(&t, "null") ? GQL_NULL_VALUE : GQL_ENUM_VALUE, &t);
    }
    case GQL_TOK_DOLLAR:
        if (is_const) {
            expect(p, GQL_TOK_DOLLAR);
            if (p->tok.kind == GQL_TOK_NAME) {
                sbuf b = {0};
                sb_puts(&b, "Syntax Error: Unexpected variable \"$");
                sb_put(&b, p->tok.value, p->tok.len);
                sb_puts(&b, "\" in constant value.");
                fail_sb(p, t.start, &b);
            }
            unexpected(p, &t);
        }
        return parse_variable(p);
    default:
        unexpected(p, &p->tok);
    }
}

/* ------------------------------------------------------------------------- */
/* Arguments, directives, types. */

static gql_argument *parse_arguments(parser *p, bool is_const, uint32_t *count) {
    *count = 0;
    if (!expect_optional(p, GQL_TOK_PAREN_L)) return NULL;
    size_t sm = stk_mark(p);
    do {
        gql_argument a;
        mark m = mark_here(p);
        a.name = parse_name(p);
        expect(p, GQL_TOK_COLON);
        a.value = parse_value(p, is_const);
        a.loc = loc_from(p, m);
        stk_push(p, &a, sizeof a);
    } while (!expect_optional(p, GQL_TOK_PAREN_R));
    return stk_take(p, sm, sizeof(gql_argument), count);
}

static gql_directive_node *parse_directives(parser *p, bool is_const, uint32_t *count) {
    size_t sm = stk_mark(p);
    while (peek(p, GQL_TOK_AT)) {
        gql_directive_node d;
        mark m = mark_here(p);
        expect(p, GQL_TOK_AT);
        d.name = parse_name(p);
        d.args = parse_arguments(p, is_const, &d.arg_count);
        d.loc = loc_from(p, m);
        stk_push(p, &d, sizeof d);
    }
    return stk_take(p, sm, sizeof(gql_directive_node), count);
}

static gql_type_node *parse_named_type(parser *p) {
    gql_type_node *t = node_alloc(p, sizeof *t);
    t->kind = GQL_NAMED_TYPE;
    t->name = parse_name(p);
    t->loc = t->name.loc;
    return t;
}

static gql_type_node *parse_type_reference(parser *p) {
    mark m = mark_here(p);
    gql_type_node *type;
    if (peek(p, GQL_TOK_BRACKET_L)) {
        enter(p);
        advance(p);
        gql_type_node *inner = parse_type_reference(p);
        expect(p, GQL_TOK_BRACKET_R);
        leave(p);
        type = node_alloc(p, sizeof *type);
        type->kind = GQL_LIST_TYPE;
        type->of = inner;
        type->loc = loc_from(p, m);
    } else {
        type = parse_named_type(p);
    }
    if (expect_optional(p, GQL_TOK_BANG)) {
        gql_type_node *nn = node_alloc(p, sizeof *nn);
        nn->kind = GQL_NON_NULL_TYPE;
        nn->of = type;
        nn->loc = loc_from(p, m);
        return nn;
    }
    return type;
}

/* ------------------------------------------------------------------------- */
/* Operations and fragments. */

static gql_selection_set *parse_selection_set(parser *p);

/* parseFragmentName(): any token whose value is "on" is refused, as in
 * graphql-js (which compares the value whatever the token kind). */
static gql_name parse_fragment_name(parser *p) {
    if (tok_value_is(&p->tok, "on")) unexpected(p, &p->tok);
    return parse_name(p);
}

static void parse_field(parser *p, gql_selection *s) {
    mark m = mark_here(p);
    s->kind = GQL_FIELD;
    gql_name first = parse_name(p);
    if (expect_optional(p, GQL_TOK_COLON)) {
        s->has_alias = true;
        s->alias = first;
        s->name = parse_name(p);
    } else {
        s->alias = first;
        s->name = first;
    }
    s->args = parse_arguments(p, false, &s->arg_count);
    s->directives = parse_directives(p, false, &s->directive_count);
    if (peek(p, GQL_TOK_BRACE_L)) s->selection_set = parse_selection_set(p);
    s->loc = loc_from(p, m);
}

static void parse_fragment(parser *p, gql_selection *s) {
    mark m = mark_here(p);
    expect(p, GQL_TOK_SPREAD);
    bool has_type_condition = expect_optional_keyword(p, "on");
    if (!has_type_condition && peek(p, GQL_TOK_NAME)) {
        s->kind = GQL_FRAGMENT_SPREAD;
        s->name = parse_fragment_name(p);
        s->directives = parse_directives(p, false, &s->directive_count);
    } else {
        s->kind = GQL_INLINE_FRAGMENT;
        if (has_type_condition) s->type_condition = parse_named_type(p);
        s->directives = parse_directives(p, false, &s->directive_count);
        s->selection_set = parse_selection_set(p);
    }
    s->loc = loc_from(p, m);
}

static gql_selection_set *parse_selection_set(parser *p) {
    mark m = mark_here(p);
    enter(p);
    expect(p, GQL_TOK_BRACE_L);
    size_t sm = stk_mark(p);
    do {
        /* Copying a zero struct is much cheaper here than memset's rep stos. */
        static const gql_selection zero;
        gql_selection s = zero;
        s.id = p->selection_count++;
        if (peek(p, GQL_TOK_SPREAD)) parse_fragment(p, &s);
        else parse_field(p, &s);
        stk_push(p, &s, sizeof s);
    } while (!expect_optional(p, GQL_TOK_BRACE_R));
    leave(p);
    gql_selection_set *set = node_alloc(p, sizeof *set);
    set->items = stk_take(p, sm, sizeof(gql_selection), &set->count);
    set->loc = loc_from(p, m);
    return set;
}

static gql_op_type parse_operation_type(parser *p) {
    gql_token t = p->tok;
    expect(p, GQL_TOK_NAME);
    if (tok_value_is(&t, "query")) return GQL_OP_QUERY;
    if (tok_value_is(&t, "mutation")) return GQL_OP_MUTATION;
    if (tok_value_is(&t, "subscription")) return GQL_OP_SUBSCRIPTION;
    unexpected(p, &t);
}

static gql_value_node *parse_description(parser *p) {
    if (peek(p, GQL_TOK_STRING) || peek(p, GQL_TOK_BLOCK_STRING)) return parse_string_literal(p);
    return NULL;
}

static gql_variable_definition *parse_variable_definitions(parser *p, uint32_t *count) {
    *count = 0;
    if (!expect_optional(p, GQL_TOK_PAREN_L)) return NULL;
    size_t sm = stk_mark(p);
    do {
        gql_variable_definition v;
        mark m = mark_here(p);
        /* graphql-js 16.15 accepts a description here; the AST has no place
         * for it and nothing uses it. */
        parse_description(p);
        v.variable = parse_variable(p);
        expect(p, GQL_TOK_COLON);
        v.type = parse_type_reference(p);
        v.default_value = expect_optional(p, GQL_TOK_EQUALS) ? parse_value(p, true) : NULL;
        v.directives = parse_directives(p, true, &v.directive_count);
        v.loc = loc_from(p, m);
        stk_push(p, &v, sizeof v);
    } while (!expect_optional(p, GQL_TOK_PAREN_R));
    return stk_take(p, sm, sizeof(gql_variable_definition), count);
}

static void parse_operation_definition(parser *p, gql_definition *d) {
    mark m = mark_here(p);
    d->kind = GQL_OPERATION_DEFINITION;
    if (peek(p, GQL_TOK_BRACE_L)) {
        d->operation = GQL_OP_QUERY;
        d->selection_set = parse_selection_set(p);
        d->loc = loc_from(p, m);
        return;
    }
    d->description = parse_description(p);
    d->operation = parse_operation_type(p);
    if (peek(p, GQL_TOK_NAME)) {
        d->has_name = true;
        d->name = parse_name(p);
    }
    d->variables = parse_variable_definitions(p, &d->variable_count);
    d->directives = parse_directives(p, false, &d->directive_count);
    d->selection_set = parse_selection_set(p);
    d->loc = loc_from(p, m);
}

static void parse_fragment_definition(parser *p, gql_definition *d) {
    mark m = mark_here(p);
    d->kind = GQL_FRAGMENT_DEFINITION;
    d->description = parse_description(p);
    expect_keyword(p, "fragment");
    d->has_name = true;
    d->name = parse_fragment_name(p);
    expect_keyword(p, "on");
    d->type_condition = parse_named_type(p);
    d->directives = parse_directives(p, false, &d->directive_count);
    d->selection_set = parse_selection_set(p);
    d->loc = loc_from(p, m);
}

/* ------------------------------------------------------------------------- */
/* Type system. */

/* delimitedMany(delimiter, parseNamedType) */
static gql_type_node **parse_named_type_list(parser *p, gql_tok_kind delim, uint32_t *count) {
    size_t sm = stk_mark(p);
    expect_optional(p, delim);
    do {
        gql_type_node *t = parse_named_type(p);
        stk_push(p, &t, sizeof t);
    } while (expect_optional(p, delim));
    return stk_take(p, sm, sizeof(gql_type_node *), count);
}

static void parse_implements_interfaces(parser *p, gql_definition *d) {
    if (expect_optional_keyword(p, "implements"))
        d->interfaces = parse_named_type_list(p, GQL_TOK_AMP, &d->interface_count);
}

static void parse_union_member_types(parser *p, gql_definition *d) {
    if (expect_optional(p, GQL_TOK_EQUALS)) d->types = parse_named_type_list(p, GQL_TOK_PIPE, &d->type_count);
}

static void parse_input_value_def(parser *p, gql_input_value_def *v) {
    mark m = mark_here(p);
    v->description = parse_description(p);
    v->name = parse_name(p);
    expect(p, GQL_TOK_COLON);
    v->type = parse_type_reference(p);
    v->default_value = expect_optional(p, GQL_TOK_EQUALS) ? parse_value(p, true) : NULL;
    v->directives = parse_directives(p, true, &v->directive_count);
    v->loc = loc_from(p, m);
}

/* optionalMany(open, parseInputValueDef, close): arguments and input fields. */
static gql_input_value_def *parse_input_value_defs(parser *p, gql_tok_kind open, gql_tok_kind close, uint32_t *count) {
    *count = 0;
    if (!expect_optional(p, open)) return NULL;
    size_t sm = stk_mark(p);
    do {
        gql_input_value_def v;
        parse_input_value_def(p, &v);
        stk_push(p, &v, sizeof v);
    } while (!expect_optional(p, close));
    return stk_take(p, sm, sizeof(gql_input_value_def), count);
}

static void parse_fields_definition(parser *p, gql_definition *d) {
    if (!expect_optional(p, GQL_TOK_BRACE_L)) return;
    size_t sm = stk_mark(p);
    do {
        gql_field_def f;
        mark m = mark_here(p);
        f.description = parse_description(p);
        f.name = parse_name(p);
        f.args = parse_input_value_defs(p, GQL_TOK_PAREN_L, GQL_TOK_PAREN_R, &f.arg_count);
        expect(p, GQL_TOK_COLON);
        f.type = parse_type_reference(p);
        f.directives = parse_directives(p, true, &f.directive_count);
        f.loc = loc_from(p, m);
        stk_push(p, &f, sizeof f);
    } while (!expect_optional(p, GQL_TOK_BRACE_R));
    d->fields = stk_take(p, sm, sizeof(gql_field_def), &d->field_count);
}

static void parse_enum_values_definition(parser *p, gql_definition *d) {
    if (!expect_optional(p, GQL_TOK_BRACE_L)) return;
    size_t sm = stk_mark(p);
    do {
        gql_enum_value_def v;
        mark m = mark_here(p);
        v.description = parse_description(p);
        /* parseEnumValueName(): compares the value whatever the token kind. */
        if (tok_value_is(&p->tok, "true") || tok_value_is(&p->tok, "false") || tok_value_is(&p->tok, "null")) {
            sbuf b = {0};
            sb_puts(&b, "Syntax Error: ");
            sb_token_desc(&b, &p->tok);
            sb_puts(&b, " is reserved and cannot be used for an enum value.");
            fail_sb(p, p->tok.start, &b);
        }
        v.name = parse_name(p);
        v.directives = parse_directives(p, true, &v.directive_count);
        v.loc = loc_from(p, m);
        stk_push(p, &v, sizeof v);
    } while (!expect_optional(p, GQL_TOK_BRACE_R));
    d->values = stk_take(p, sm, sizeof(gql_enum_value_def), &d->value_count);
}

static gql_operation_type_def *parse_operation_type_defs(parser *p, uint32_t *count) {
    size_t sm = stk_mark(p);
    do {
        gql_operation_type_def o;
        mark m = mark_here(p);
        o.operation = parse_operation_type(p);
        expect(p, GQL_TOK_COLON);
        o.type = parse_named_type(p);
        o.loc = loc_from(p, m);
        stk_push(p, &o, sizeof o);
    } while (!expect_optional(p, GQL_TOK_BRACE_R));
    return stk_take(p, sm, sizeof(gql_operation_type_def), count);
}

static const char *const directive_locations[] = {
    "QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD",
    "INLINE_FRAGMENT", "VARIABLE_DEFINITION", "SCHEMA", "SCALAR", "OBJECT", "FIELD_DEFINITION",
    "ARGUMENT_DEFINITION", "INTERFACE", "UNION", "ENUM", "ENUM_VALUE", "INPUT_OBJECT",
    "INPUT_FIELD_DEFINITION", "DIRECTIVE_DEFINITION",
};

static void parse_directive_locations(parser *p, gql_definition *d) {
    size_t sm = stk_mark(p);
    expect_optional(p, GQL_TOK_PIPE);
    do {
        gql_token start = p->tok;
        gql_name n = parse_name(p);
        bool known = false;
        for (size_t i = 0; i < sizeof directive_locations / sizeof *directive_locations; i++)
            if (strcmp(n.value, directive_locations[i]) == 0) known = true;
        if (!known) unexpected(p, &start);
        stk_push(p, &n, sizeof n);
    } while (expect_optional(p, GQL_TOK_PIPE));
    d->locations = stk_take(p, sm, sizeof(gql_name), &d->location_count);
}

/* The definitions that start with an optional description and a keyword:
 * parses description, keyword and name. */
static void parse_type_def_head(parser *p, gql_definition *d, gql_kind kind, const char *keyword) {
    d->kind = kind;
    d->description = parse_description(p);
    expect_keyword(p, keyword);
    d->has_name = true;
    d->name = parse_name(p);
}

static void parse_type_system_definition(parser *p, gql_definition *d, const gql_token *kw) {
    mark m = mark_here(p);
    if (is_keyword(kw, "schema")) {
        d->kind = GQL_SCHEMA_DEFINITION;
        d->description = parse_description(p);
        expect_keyword(p, "schema");
        d->directives = parse_directives(p, true, &d->directive_count);
        expect(p, GQL_TOK_BRACE_L);
        d->operation_types = parse_operation_type_defs(p, &d->operation_type_count);
    } else if (is_keyword(kw, "scalar")) {
        parse_type_def_head(p, d, GQL_SCALAR_TYPE_DEFINITION, "scalar");
        d->directives = parse_directives(p, true, &d->directive_count);
    } else if (is_keyword(kw, "type") || is_keyword(kw, "interface")) {
        bool object = is_keyword(kw, "type");
        parse_type_def_head(p, d, object ? GQL_OBJECT_TYPE_DEFINITION : GQL_INTERFACE_TYPE_DEFINITION,
                            object ? "type" : "interface");
        parse_implements_interfaces(p, d);
        d->directives = parse_directives(p, true, &d->directive_count);
        parse_fields_definition(p, d);
    } else if (is_keyword(kw, "union")) {
        parse_type_def_head(p, d, GQL_UNION_TYPE_DEFINITION, "union");
        d->directives = parse_directives(p, true, &d->directive_count);
        parse_union_member_types(p, d);
    } else if (is_keyword(kw, "enum")) {
        parse_type_def_head(p, d, GQL_ENUM_TYPE_DEFINITION, "enum");
        d->directives = parse_directives(p, true, &d->directive_count);
        parse_enum_values_definition(p, d);
    } else if (is_keyword(kw, "input")) {
        parse_type_def_head(p, d, GQL_INPUT_OBJECT_TYPE_DEFINITION, "input");
        d->directives = parse_directives(p, true, &d->directive_count);
        d->input_fields = parse_input_value_defs(p, GQL_TOK_BRACE_L, GQL_TOK_BRACE_R, &d->input_field_count);
    } else {   /* directive */
        d->kind = GQL_DIRECTIVE_DEFINITION;
        d->description = parse_description(p);
        expect_keyword(p, "directive");
        expect(p, GQL_TOK_AT);
        d->has_name = true;
        d->name = parse_name(p);
        d->args = parse_input_value_defs(p, GQL_TOK_PAREN_L, GQL_TOK_PAREN_R, &d->arg_count);
        d->repeatable = expect_optional_keyword(p, "repeatable");
        expect_keyword(p, "on");
        parse_directive_locations(p, d);
    }
    d->loc = loc_from(p, m);
}

static void parse_type_system_extension(parser *p, gql_definition *d) {
    const gql_token *kw = lookahead(p);
    if (kw->kind != GQL_TOK_NAME) unexpected(p, kw);
    mark m = mark_here(p);
    if (is_keyword(kw, "schema")) {
        d->kind = GQL_SCHEMA_EXTENSION;
        expect_keyword(p, "extend");
        expect_keyword(p, "schema");
        d->directives = parse_directives(p, true, &d->directive_count);
        if (expect_optional(p, GQL_TOK_BRACE_L))
            d->operation_types = parse_operation_type_defs(p, &d->operation_type_count);
        if (!d->directive_count && !d->operation_type_count) unexpected(p, &p->tok);
        d->loc = loc_from(p, m);
        return;
    }
    static const struct {
        const char *keyword;
        gql_kind kind;
    } kinds[] = {
        {"scalar", GQL_SCALAR_TYPE_EXTENSION}, {"type", GQL_OBJECT_TYPE_EXTENSION},
        {"interface", GQL_INTERFACE_TYPE_EXTENSION}, {"union", GQL_UNION_TYPE_EXTENSION},
        {"enum", GQL_ENUM_TYPE_EXTENSION}, {"input", GQL_INPUT_OBJECT_TYPE_EXTENSION},
    };
    size_t i = 0;
    while (i < sizeof kinds / sizeof *kinds && !is_keyword(kw, kinds[i].keyword)) i++;
    if (i == sizeof kinds / sizeof *kinds) unexpected(p, kw);   /* "directive" included: experimental */
    d->kind = kinds[i].kind;
    expect_keyword(p, "extend");
    expect_keyword(p, kinds[i].keyword);
    d->has_name = true;
    d->name = parse_name(p);
    bool empty;
    switch (d->kind) {
    case GQL_SCALAR_TYPE_EXTENSION:
        d->directives = parse_directives(p, true, &d->directive_count);
        empty = !d->directive_count;
        break;
    case GQL_OBJECT_TYPE_EXTENSION:
    case GQL_INTERFACE_TYPE_EXTENSION:
        parse_implements_interfaces(p, d);
        d->directives = parse_directives(p, true, &d->directive_count);
        parse_fields_definition(p, d);
        empty = !d->interface_count && !d->directive_count && !d->field_count;
        break;
    case GQL_UNION_TYPE_EXTENSION:
        d->directives = parse_directives(p, true, &d->directive_count);
        parse_union_member_types(p, d);
        empty = !d->directive_count && !d->type_count;
        break;
    case GQL_ENUM_TYPE_EXTENSION:
        d->directives = parse_directives(p, true, &d->directive_count);
        parse_enum_values_definition(p, d);
        empty = !d->directive_count && !d->value_count;
        break;
    default:   /* GQL_INPUT_OBJECT_TYPE_EXTENSION */
        d->directives = parse_directives(p, true, &d->directive_count);
        d->input_fields = parse_input_value_defs(p, GQL_TOK_BRACE_L, GQL_TOK_BRACE_R, &d->input_field_count);
        empty = !d->directive_count && !d->input_field_count;
        break;
    }
    if (empty) unexpected(p, &p->tok);
    d->loc = loc_from(p, m);
}

static void parse_definition(parser *p, gql_definition *d) {
    memset(d, 0, sizeof *d);
    if (peek(p, GQL_TOK_BRACE_L)) {
        parse_operation_definition(p, d);
        return;
    }
    bool has_description = peek(p, GQL_TOK_STRING) || peek(p, GQL_TOK_BLOCK_STRING);
    const gql_token *kw = has_description ? lookahead(p) : &p->tok;
    if (has_description && kw->kind == GQL_TOK_BRACE_L)
        fail(p, p->tok.start, "Unexpected description, descriptions are not supported on shorthand queries.");
    if (kw->kind == GQL_TOK_NAME) {
        static const char *const type_system[] = {"schema", "scalar", "type", "interface",
                                                  "union", "enum", "input", "directive"};
        for (size_t i = 0; i < sizeof type_system / sizeof *type_system; i++) {
            if (tok_value_is(kw, type_system[i])) {
                parse_type_system_definition(p, d, kw);
                return;
            }
        }
        if (tok_value_is(kw, "query") || tok_value_is(kw, "mutation") || tok_value_is(kw, "subscription")) {
            parse_operation_definition(p, d);
            return;
        }
        if (tok_value_is(kw, "fragment")) {
            parse_fragment_definition(p, d);
            return;
        }
        if (has_description)
            fail(p, p->tok.start, "Unexpected description, only GraphQL definitions support descriptions.");
        if (tok_value_is(kw, "extend")) {
            parse_type_system_extension(p, d);
            return;
        }
    }
    unexpected(p, kw);
}

/* ------------------------------------------------------------------------- */
/* Entry points. */

static void parser_init(parser *p, gql_arena *a, const char *src, uint32_t len, uint32_t max_tokens,
                        uint32_t max_depth) {
    memset(p, 0, sizeof *p);
    gql_lexer_init(&p->lx, src, len, a);
    p->arena = a;
    p->src = src;
    p->len = len;
    p->names = gql_arena_strndup(a, src, len);
    p->tok.kind = GQL_TOK_SOF;
    p->tok.line = 1;
    p->tok.column = 1;
    p->max_tokens = max_tokens;
    p->max_depth = max_depth ? max_depth : DEFAULT_MAX_DEPTH;
}

static void parser_free(parser *p) {
    gql_lexer_free(&p->lx);
    free(p->stk);
}

static void parse_document(parser *p, gql_document *doc) {
    mark m = mark_here(p);
    expect(p, GQL_TOK_SOF);
    size_t sm = stk_mark(p);
    do {
        gql_definition d;
        parse_definition(p, &d);
        stk_push(p, &d, sizeof d);
    } while (!expect_optional(p, GQL_TOK_EOF));
    doc->definitions = stk_take(p, sm, sizeof(gql_definition), &doc->definition_count);
    doc->loc = loc_from(p, m);
    doc->selection_count = p->selection_count;
}

/* Runs one parse under setjmp; kept apart so no local of the caller lives
 * across the longjmp. */
typedef enum { RUN_DOCUMENT, RUN_VALUE, RUN_TYPE } run_kind;

static bool run(parser *p, run_kind kind, void *out) {
    if (setjmp(p->jb)) return false;
    switch (kind) {
    case RUN_DOCUMENT:
        parse_document(p, out);
        break;
    case RUN_VALUE:
        expect(p, GQL_TOK_SOF);
        *(gql_value_node **)out = parse_value(p, false);
        expect(p, GQL_TOK_EOF);
        break;
    case RUN_TYPE:
        expect(p, GQL_TOK_SOF);
        *(gql_type_node **)out = parse_type_reference(p);
        expect(p, GQL_TOK_EOF);
        break;
    }
    return true;
}

static gql_syntax_error *too_large(void) {
    gql_syntax_error *e = xmalloc(sizeof *e);
    const char *msg = "Syntax Error: Document is too large.";
    e->message = xmalloc(strlen(msg) + 1);
    strcpy(e->message, msg);
    e->line = 1;
    e->column = 1;
    return e;
}

gql_document *gql_parse(const char *src, size_t len, const gql_parse_options *opts, gql_syntax_error **err) {
    *err = NULL;
    if (len >= UINT32_MAX) {
        *err = too_large();
        return NULL;
    }
    size_t first = 4096;
    while (first < len * 4 && first < ((size_t)1 << 20)) first *= 2;
    gql_arena a;
    gql_arena_init(&a, first);
    gql_document *doc = gql_arena_calloc(&a, sizeof *doc);
    doc->arena = a;   /* from here on only doc->arena is used */
    char *copy = gql_arena_strndup(&doc->arena, src ? src : "", len);
    doc->source = copy;
    doc->source_len = (uint32_t)len;

    parser p;
    parser_init(&p, &doc->arena, copy, (uint32_t)len, opts ? opts->max_tokens : 0, opts ? opts->max_depth : 0);
    bool ok = run(&p, RUN_DOCUMENT, doc);
    parser_free(&p);
    if (!ok) {
        *err = p.err;
        gql_document_free(doc);
        return NULL;
    }
    return doc;
}

gql_value_node *gql_parse_value(gql_arena *a, const char *src, size_t len, gql_syntax_error **err) {
    *err = NULL;
    if (len >= UINT32_MAX) {
        *err = too_large();
        return NULL;
    }
    parser p;
    gql_value_node *v = NULL;
    /* The lexer needs a NUL after the text. */
    parser_init(&p, a, gql_arena_strndup(a, src ? src : "", len), (uint32_t)len, 0, 0);
    bool ok = run(&p, RUN_VALUE, &v);
    parser_free(&p);
    if (!ok) {
        *err = p.err;
        return NULL;
    }
    return v;
}

gql_type_node *gql_parse_type(gql_arena *a, const char *src, size_t len, gql_syntax_error **err) {
    *err = NULL;
    if (len >= UINT32_MAX) {
        *err = too_large();
        return NULL;
    }
    parser p;
    gql_type_node *t = NULL;
    /* The lexer needs a NUL after the text. */
    parser_init(&p, a, gql_arena_strndup(a, src ? src : "", len), (uint32_t)len, 0, 0);
    bool ok = run(&p, RUN_TYPE, &t);
    parser_free(&p);
    if (!ok) {
        *err = p.err;
        return NULL;
    }
    return t;
}
