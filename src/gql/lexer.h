/*
 * lexer.h: the GraphQL lexer, a port of graphql-js 16's language/lexer.js.
 *
 * The source is UTF-8 bytes. graphql-js works on the UTF-16 string Node's
 * TextDecoder would make of them: an invalid UTF-8 sequence (each maximal
 * subpart, as the WHATWG decoder cuts it) reads as U+FFFD, and columns count
 * UTF-16 code units. The lexer reproduces both, so token columns and error
 * messages are the ones graphql-js gives.
 *
 * Comments are skipped (the parser never sees them, as in graphql-js, whose
 * lookahead() steps over COMMENT tokens).
 */
#ifndef GQL_LEXER_H
#define GQL_LEXER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "arena.h"
#include "ast.h"

typedef enum gql_tok_kind {
    GQL_TOK_SOF,
    GQL_TOK_EOF,
    GQL_TOK_BANG,
    GQL_TOK_DOLLAR,
    GQL_TOK_AMP,
    GQL_TOK_PAREN_L,
    GQL_TOK_PAREN_R,
    GQL_TOK_SPREAD,
    GQL_TOK_COLON,
    GQL_TOK_EQUALS,
    GQL_TOK_AT,
    GQL_TOK_BRACKET_L,
    GQL_TOK_BRACKET_R,
    GQL_TOK_BRACE_L,
    GQL_TOK_PIPE,
    GQL_TOK_BRACE_R,
    GQL_TOK_NAME,
    GQL_TOK_INT,
    GQL_TOK_FLOAT,
    GQL_TOK_STRING,
    GQL_TOK_BLOCK_STRING,
    GQL_TOK_KIND_COUNT
} gql_tok_kind;

typedef struct gql_token {
    gql_tok_kind kind;
    union {
        struct {
            uint32_t start, end;     /* byte offsets, end exclusive */
            uint32_t line, column;   /* of start; column in UTF-16 code units */
        };
        gql_loc loc;   /* the same four, as the AST stores them */
    };
    /* NAME, INT, FLOAT: the token's text in the source (not NUL-terminated).
     * STRING, BLOCK_STRING: the decoded value, NUL-terminated, in the arena.
     * Other kinds: NULL. */
    const char *value;
    uint32_t len;
} gql_token;

typedef struct gql_lexer {
    const unsigned char *src;
    uint32_t len;
    uint32_t pos;          /* where the next token is looked for */
    uint32_t line;         /* line of pos, 1-based */
    /* The column of a byte offset p on that line is p - col_base: col_base is
     * the line's start, plus the bytes in excess of UTF-16 units before p
     * (multi-byte characters, a BOM), minus one (modulo 2^32). */
    uint32_t col_base;
    gql_arena *arena;      /* string values go here */
    /* Reused buffers for strings with escapes and for block strings. */
    char *scratch;
    size_t scratch_len, scratch_cap;
    uint32_t *lines;
    size_t line_count, line_cap;
    /* Set when gql_lexer_next returns false. */
    uint32_t err_pos;      /* byte offset of the error */
    char err_msg[128];     /* without the "Syntax Error: " prefix */
} gql_lexer;

/* src[len] must be a readable NUL byte: it ends the scans without a bounds
 * check per character. src may contain other NUL bytes. */
void gql_lexer_init(gql_lexer *lx, const char *src, uint32_t len, gql_arena *arena);
void gql_lexer_free(gql_lexer *lx);
/* Reads the next token. False on a lexical error (err_pos, err_msg set). */
bool gql_lexer_next(gql_lexer *lx, gql_token *t);
/*
 * Reads up to max tokens into out, stopping after <EOF>: the same tokens as
 * that many gql_lexer_next calls, in one loop that keeps the lexer's state in
 * registers (the parser's way). Returns how many were read; sets *failed when
 * it stopped at a lexical error (err_pos, err_msg set), which the caller
 * reports only once it reaches that point (graphql-js lexes on demand).
 */
uint32_t gql_lexer_next_batch(gql_lexer *lx, gql_token *out, uint32_t max, bool *failed);

/* graphql-js's TokenKind string: "<EOF>", "{", "Name", "BlockString", ... */
const char *gql_tok_kind_name(gql_tok_kind k);
bool gql_tok_is_punctuator(gql_tok_kind k);

/* graphql-js's getLocation(): 1-based line and UTF-16 column of a byte offset. */
void gql_source_location(const char *src, uint32_t len, uint32_t pos, uint32_t *line, uint32_t *column);

/*
 * Decodes one code point as Node's TextDecoder would: returns the number of
 * bytes consumed (>= 1 when at < len) and the code point, U+FFFD for each
 * maximal ill-formed subpart.
 */
uint32_t gql_utf8_decode(const unsigned char *s, uint32_t len, uint32_t at, uint32_t *cp);

#endif
