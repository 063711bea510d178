/*
 * parser.c: recursive descent parser, a port of graphql-js 16's parser.js with
 * its default options (no legacy fragment variables, no experimental syntax).
 *
 * Errors unwind with longjmp, as graphql-js throws: everything the parse
 * allocates is in the arena or in the parser struct, so nothing leaks. Lists
 * are collected on one byte stack shared by all nesting levels and copied into
 * the arena, exactly sized, when complete. Nesting (selection sets, list and
 * object values, list types) is bounded by max_depth, so the recursion is too.
 *
 * Speed: tokens are lexed in batches into a small buffer (the lexer's state
 * stays in registers, and advance() is an increment); nodes are bumped from
 * chunks taken from the arena; fields are written straight into their list
 * slot; the list stack starts in the parser struct itself, so a typical parse
 * makes one malloc (the arena's first block, sized to hold the whole AST).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ast.h"
#include "lexer.h"

#define DEFAULT_MAX_DEPTH 1000
#define STK_INLINE 4096   /* bytes of list stack inside the parser struct */
#define TOK_BATCH 64      /* tokens lexed at a time (2.5 KiB: they stay in L1) */

typedef struct parser {
    gql_lexer lx;
    /* The current token, in toks; tok_end is past the last one lexed. A token
     * pointer is valid until the next advance() or lookahead(). */
    gql_token *tok, *tok_end;
    bool lex_failed;    /* the lexer stopped at an error, at tok_end */
    uint32_t last_end;  /* end of the previous token: node locations end there */
    bool count_tokens;  /* max_tokens is set */
    uint32_t token_count, max_tokens;
    uint32_t depth, max_depth;
    uint32_t selection_count;
    char *names;        /* writable copy of the source that name values point into */
    unsigned char *bump, *bump_end;   /* node memory: a chunk taken from the arena */
    size_t chunk;       /* size of the next chunk */
    unsigned char *stk;  /* list items being collected: stk_buf, or malloc'd once it outgrows it */
    size_t stk_len, stk_cap;
    gql_arena *arena;
    const char *src;
    uint32_t len;
    gql_syntax_error *err;
    jmp_buf jb;
    gql_token toks[TOK_BATCH];
    _Alignas(16) unsigned char stk_buf[STK_INLINE];
} parser;

/* Where a node starts: its first token. */
typedef gql_loc mark;   /* end unused */

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

__attribute__((noinline, cold)) static _Noreturn void lex_failed(parser *p) {
    fail(p, p->lx.err_pos, "%s", p->lx.err_msg);
}

/* maxTokens: graphql-js counts every token but <EOF>. */
__attribute__((noinline)) static void count_token(parser *p) {
    if (p->tok->kind != GQL_TOK_EOF && ++p->token_count > p->max_tokens) {
        /* graphql-js's wording, typo included. */
        fail(p, p->tok->start, "Document contains more that %u tokens. Parsing aborted.", p->max_tokens);
    }
}

/*
 * Lexes the next batch of tokens after the last one lexed, which is kept as
 * toks[0]; returns where that token now is. Past <EOF> nothing is lexed: the
 * parser stays at <EOF>, as graphql-js's lexer does. A lexical error is
 * thrown when the parser reaches it.
 */
__attribute__((noinline)) static gql_token *lex_more(parser *p) {
    gql_token *last = p->tok_end - 1;
    if (last->kind == GQL_TOK_EOF) return last;
    if (p->lex_failed) lex_failed(p);
    p->toks[0] = *last;
    uint32_t n = gql_lexer_next_batch(&p->lx, p->toks + 1, TOK_BATCH - 1, &p->lex_failed);
    p->tok_end = p->toks + 1 + n;
    if (n == 0) lex_failed(p);
    return p->toks;
}

/* Moves to the next token. */
static inline void advance(parser *p) {
    p->last_end = p->tok->end;
    if (__builtin_expect(++p->tok == p->tok_end, 0)) {
        p->tok = lex_more(p);
        if (p->tok->kind != GQL_TOK_EOF) p->tok++;
    }
    if (__builtin_expect(p->count_tokens, 0)) count_token(p);
}

/* The token after the current one (lookahead is rare: descriptions and
 * "extend"). Lexical errors are thrown here, as graphql-js does. */
static const gql_token *lookahead(parser *p) {
    if (p->tok->kind == GQL_TOK_EOF) return p->tok;
    if (p->tok + 1 == p->tok_end) p->tok = lex_more(p);
    return p->tok + 1;
}

static inline bool peek(const parser *p, gql_tok_kind k) { return p->tok->kind == k; }

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
    sb_token_desc(&b, p->tok);
    sb_puts(&b, ".");
    fail_sb(p, p->tok->start, &b);
}

static inline void expect(parser *p, gql_tok_kind k) {
    if (p->tok->kind != k) expect_failed(p, k);
    advance(p);
}

static bool expect_optional(parser *p, gql_tok_kind k) {
    if (p->tok->kind != k) return false;
    advance(p);
    return true;
}

static void expect_keyword(parser *p, const char *kw) {
    if (is_keyword(p->tok, kw)) {
        advance(p);
        return;
    }
    sbuf b = {0};
    sb_puts(&b, "Syntax Error: Expected \"");
    sb_puts(&b, kw);
    sb_puts(&b, "\", found ");
    sb_token_desc(&b, p->tok);
    sb_puts(&b, ".");
    fail_sb(p, p->tok->start, &b);
}

static bool expect_optional_keyword(parser *p, const char *kw) {
    if (!is_keyword(p->tok, kw)) return false;
    advance(p);
    return true;
}

static void enter(parser *p) {
    if (++p->depth > p->max_depth)
        fail(p, p->tok->start, "Document exceeds the maximum nesting depth of %u.", p->max_depth);
}

static inline void leave(parser *p) { p->depth--; }

/* ------------------------------------------------------------------------- */
/* Nodes. */

static inline mark mark_here(const parser *p) { return p->tok->loc; }

/* A node's location: from its first token to the end of the previous token. */
static inline gql_loc loc_from(const parser *p, mark m) {
    m.end = p->last_end;
    return m;
}

static inline void set_loc(const parser *p, gql_loc *loc, mark m) {
    *loc = m;
    loc->end = p->last_end;
}

static inline gql_loc tok_loc(const gql_token *t) { return t->loc; }

/* Memory for n bytes (a multiple of 8 after rounding) from the arena: large
 * requests straight from the arena, the others from a new chunk. */
__attribute__((noinline)) static void *bump_refill(parser *p, size_t n) {
    if (n > p->chunk / 4) return gql_arena_alloc(p->arena, n);
    p->bump = gql_arena_alloc(p->arena, p->chunk);
    p->bump_end = p->bump + p->chunk;
    void *r = p->bump;
    p->bump += n;
    return r;
}

/* Uninitialised memory for a node or a list; callers set every field. */
static inline void *bump_alloc(parser *p, size_t n) {
    n = (n + 7) & ~(size_t)7;
    if (__builtin_expect((size_t)(p->bump_end - p->bump) < n, 0)) return bump_refill(p, n);
    void *r = p->bump;
    p->bump += n;
    return r;
}

/* A zeroed node. */
static inline void *node_alloc(parser *p, size_t n) { return memset(bump_alloc(p, n), 0, n); }

static size_t stk_mark(const parser *p) { return p->stk_len; }

__attribute__((noinline)) static void stk_grow(parser *p, size_t n) {
    size_t cap = p->stk_cap * 2;
    while (cap < p->stk_len + n) cap *= 2;
    unsigned char *s;
    if (p->stk == p->stk_buf) {
        s = xmalloc(cap);
        memcpy(s, p->stk, p->stk_len);
    } else {
        s = realloc(p->stk, cap);
        if (!s) {
            fputs("mesd: out of memory\n", stderr);
            abort();
        }
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

/* Room for one item on the stack, for the caller to fill before it pushes or
 * parses anything else. */
static inline void *stk_slot(parser *p, size_t n) {
    if (p->stk_len + n > p->stk_cap) stk_grow(p, n);
    void *r = p->stk + p->stk_len;
    p->stk_len += n;
    return r;
}

/* Moves the items pushed since m into an exactly sized arena array. */
static void *stk_take(parser *p, size_t m, size_t elem, uint32_t *count) {
    size_t bytes = p->stk_len - m;
    *count = (uint32_t)(bytes / elem);
    p->stk_len = m;
    if (!bytes) return NULL;
    void *out = bump_alloc(p, bytes);
    memcpy(out, p->stk + m, bytes);
    return out;
}

/*
 * A Name token's value, NUL-terminated without an allocation: it points into
 * p->names, a copy of the source, where the byte after the name is replaced by
 * NUL. That byte is never part of another name (it would have continued this
 * one), and only names use p->names.
 */
static inline void set_name(parser *p, gql_name *n, const gql_token *t) {
    p->names[t->end] = 0;
    n->value = p->names + t->start;
    n->len = t->len;
    n->loc = t->loc;
}

static gql_name name_of(parser *p, const gql_token *t) {
    gql_name n;
    set_name(p, &n, t);
    return n;
}

/* parseName() into *n. */
static inline __attribute__((always_inline)) void take_name(parser *p, gql_name *n) {
    if (p->tok->kind != GQL_TOK_NAME) expect_failed(p, GQL_TOK_NAME);
    set_name(p, n, p->tok);
    advance(p);
}

static gql_name parse_name(parser *p) {
    gql_name n;
    take_name(p, &n);
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
    gql_token t = *p->tok;
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
    take_name(p, &v->name);
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
        take_name(p, &f.name);
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
    gql_token t = *p->tok;
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
            if (p->tok->kind == GQL_TOK_NAME) {
                sbuf b = {0};
                sb_puts(&b, "Syntax Error: Unexpected variable \"$");
                sb_put(&b, p->tok->value, p->tok->len);
                sb_puts(&b, "\" in constant value.");
                fail_sb(p, t.start, &b);
            }
            unexpected(p, &t);
        }
        return parse_variable(p);
    default:
        unexpected(p, p->tok);
    }
}

/* ------------------------------------------------------------------------- */
/* Arguments, directives, types. */

/* Most fields and definitions have neither arguments nor directives: the
 * check is inline, the lists are parsed out of line. */
__attribute__((noinline)) static gql_argument *parse_argument_list(parser *p, bool is_const, uint32_t *count) {
    advance(p);   /* ( */
    size_t sm = stk_mark(p);
    do {
        gql_argument a;
        mark m = mark_here(p);
        take_name(p, &a.name);
        expect(p, GQL_TOK_COLON);
        a.value = parse_value(p, is_const);
        a.loc = loc_from(p, m);
        stk_push(p, &a, sizeof a);
    } while (!expect_optional(p, GQL_TOK_PAREN_R));
    return stk_take(p, sm, sizeof(gql_argument), count);
}

static inline gql_argument *parse_arguments(parser *p, bool is_const, uint32_t *count) {
    *count = 0;
    return peek(p, GQL_TOK_PAREN_L) ? parse_argument_list(p, is_const, count) : NULL;
}

__attribute__((noinline)) static gql_directive_node *parse_directive_list(parser *p, bool is_const, uint32_t *count) {
    size_t sm = stk_mark(p);
    while (peek(p, GQL_TOK_AT)) {
        gql_directive_node d;
        mark m = mark_here(p);
        expect(p, GQL_TOK_AT);
        take_name(p, &d.name);
        d.args = parse_arguments(p, is_const, &d.arg_count);
        d.loc = loc_from(p, m);
        stk_push(p, &d, sizeof d);
    }
    return stk_take(p, sm, sizeof(gql_directive_node), count);
}

static inline gql_directive_node *parse_directives(parser *p, bool is_const, uint32_t *count) {
    *count = 0;
    return peek(p, GQL_TOK_AT) ? parse_directive_list(p, is_const, count) : NULL;
}

static gql_type_node *parse_named_type(parser *p) {
    gql_type_node *t = node_alloc(p, sizeof *t);
    t->kind = GQL_NAMED_TYPE;
    take_name(p, &t->name);
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
    if (tok_value_is(p->tok, "on")) unexpected(p, p->tok);
    return parse_name(p);
}

/* A field is written straight into its stack slot. What is nested in it is
 * pushed after the slot and popped before it returns, but may move the stack:
 * the slot is found again by its offset after each nested list. */
static void parse_field(parser *p, uint32_t id) {
    size_t off = p->stk_len;
    gql_selection *s = stk_slot(p, sizeof *s);
#define SLOT ((gql_selection *)(p->stk + off))
    mark m = mark_here(p);
    s->kind = GQL_FIELD;
    s->id = id;
    s->type_condition = NULL;
    take_name(p, &s->alias);
    if (peek(p, GQL_TOK_COLON)) {
        advance(p);
        s->has_alias = true;
        take_name(p, &s->name);
    } else {
        s->has_alias = false;
        s->name = s->alias;
    }
    s->args = NULL;
    s->arg_count = 0;
    s->directives = NULL;
    s->directive_count = 0;
    s->selection_set = NULL;
    if (peek(p, GQL_TOK_PAREN_L)) {
        uint32_t n;
        gql_argument *args = parse_argument_list(p, false, &n);
        SLOT->args = args;
        SLOT->arg_count = n;
    }
    if (peek(p, GQL_TOK_AT)) {
        uint32_t n;
        gql_directive_node *directives = parse_directive_list(p, false, &n);
        SLOT->directives = directives;
        SLOT->directive_count = n;
    }
    if (peek(p, GQL_TOK_BRACE_L)) {
        gql_selection_set *set = parse_selection_set(p);
        SLOT->selection_set = set;
    }
    set_loc(p, &SLOT->loc, m);
#undef SLOT
}

static void parse_fragment(parser *p, uint32_t id) {
    mark m = mark_here(p);
    expect(p, GQL_TOK_SPREAD);
    bool has_type_condition = expect_optional_keyword(p, "on");
    gql_selection s = {.id = id};
    if (!has_type_condition && peek(p, GQL_TOK_NAME)) {
        s.kind = GQL_FRAGMENT_SPREAD;
        s.name = parse_fragment_name(p);
        s.directives = parse_directives(p, false, &s.directive_count);
    } else {
        s.kind = GQL_INLINE_FRAGMENT;
        if (has_type_condition) s.type_condition = parse_named_type(p);
        s.directives = parse_directives(p, false, &s.directive_count);
        s.selection_set = parse_selection_set(p);
    }
    set_loc(p, &s.loc, m);
    stk_push(p, &s, sizeof s);
}

static gql_selection_set *parse_selection_set(parser *p) {
    mark m = mark_here(p);
    enter(p);
    expect(p, GQL_TOK_BRACE_L);
    size_t sm = stk_mark(p);
    do {
        uint32_t id = p->selection_count++;
        if (peek(p, GQL_TOK_SPREAD)) parse_fragment(p, id);
        else parse_field(p, id);
    } while (!expect_optional(p, GQL_TOK_BRACE_R));
    leave(p);
    gql_selection_set *set = bump_alloc(p, sizeof *set);
    set->items = stk_take(p, sm, sizeof(gql_selection), &set->count);
    set_loc(p, &set->loc, m);
    return set;
}

static gql_op_type parse_operation_type(parser *p) {
    gql_token t = *p->tok;
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
        take_name(p, &d->name);
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
    take_name(p, &v->name);
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
        take_name(p, &f.name);
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
        if (tok_value_is(p->tok, "true") || tok_value_is(p->tok, "false") || tok_value_is(p->tok, "null")) {
            sbuf b = {0};
            sb_puts(&b, "Syntax Error: ");
            sb_token_desc(&b, p->tok);
            sb_puts(&b, " is reserved and cannot be used for an enum value.");
            fail_sb(p, p->tok->start, &b);
        }
        take_name(p, &v.name);
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
        gql_token start = *p->tok;
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
    take_name(p, &d->name);
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
        take_name(p, &d->name);
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
        if (!d->directive_count && !d->operation_type_count) unexpected(p, p->tok);
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
    take_name(p, &d->name);
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
    if (empty) unexpected(p, p->tok);
    d->loc = loc_from(p, m);
}

static void parse_definition(parser *p, gql_definition *d) {
    memset(d, 0, sizeof *d);
    if (peek(p, GQL_TOK_BRACE_L)) {
        parse_operation_definition(p, d);
        return;
    }
    bool has_description = peek(p, GQL_TOK_STRING) || peek(p, GQL_TOK_BLOCK_STRING);
    const gql_token *kw = has_description ? lookahead(p) : p->tok;
    if (has_description && kw->kind == GQL_TOK_BRACE_L)
        fail(p, p->tok->start, "Unexpected description, descriptions are not supported on shorthand queries.");
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
            fail(p, p->tok->start, "Unexpected description, only GraphQL definitions support descriptions.");
        if (tok_value_is(kw, "extend")) {
            parse_type_system_extension(p, d);
            return;
        }
    }
    unexpected(p, kw);
}

/* ------------------------------------------------------------------------- */
/* Entry points. */

/* chunk: how much node memory to take from the arena at a time. */
static void parser_init(parser *p, gql_arena *a, const char *src, uint32_t len, uint32_t max_tokens,
                        uint32_t max_depth, size_t chunk) {
    /* Not memset: stk_buf needs no zeroing. */
    gql_lexer_init(&p->lx, src, len, a);
    p->toks[0] = (gql_token){.kind = GQL_TOK_SOF, .line = 1, .column = 1};
    p->tok = p->toks;
    p->tok_end = p->toks + 1;
    p->lex_failed = false;
    p->last_end = 0;
    p->count_tokens = max_tokens != 0;
    p->token_count = 0;
    p->max_tokens = max_tokens;
    p->depth = 0;
    p->max_depth = max_depth ? max_depth : DEFAULT_MAX_DEPTH;
    p->selection_count = 0;
    p->names = gql_arena_strndup(a, src, len);
    p->bump = p->bump_end = NULL;
    p->chunk = chunk;
    p->stk = p->stk_buf;
    p->stk_len = 0;
    p->stk_cap = STK_INLINE;
    p->arena = a;
    p->src = src;
    p->len = len;
    p->err = NULL;
}

static void parser_free(parser *p) {
    gql_lexer_free(&p->lx);
    if (p->stk != p->stk_buf) free(p->stk);
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
    /* The source, its copy for names and the AST: about 16 bytes per source
     * byte, so the first block usually holds the whole document. */
    size_t first = 4096;
    while (first < len * 16 && first < ((size_t)1 << 20)) first *= 2;
    gql_arena a;
    gql_arena_init(&a, first);
    gql_document *doc = gql_arena_calloc(&a, sizeof *doc);
    doc->arena = a;   /* from here on only doc->arena is used */
    char *copy = gql_arena_strndup(&doc->arena, src ? src : "", len);
    doc->source = copy;
    doc->source_len = (uint32_t)len;

    parser p;
    parser_init(&p, &doc->arena, copy, (uint32_t)len, opts ? opts->max_tokens : 0, opts ? opts->max_depth : 0, 2048);
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
    parser_init(&p, a, gql_arena_strndup(a, src ? src : "", len), (uint32_t)len, 0, 0, 256);
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
    parser_init(&p, a, gql_arena_strndup(a, src ? src : "", len), (uint32_t)len, 0, 0, 256);
    bool ok = run(&p, RUN_TYPE, &t);
    parser_free(&p);
    if (!ok) {
        *err = p.err;
        return NULL;
    }
    return t;
}
