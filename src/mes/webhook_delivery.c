/*
 * webhook_delivery.c: webhook delivery (api.md "Webhooks"): signing, the
 * retry schedule, the receiver allow-list, and the engine that POSTs the
 * outbox rows with libcurl's multi interface on the loop.
 *
 * Must never: send seq N+1 of a subscription before N got a 2xx, have two
 * deliveries of one subscription in flight, drop an outbox row that did not
 * get a 2xx, follow a redirect, sign anything but "<timestamp>.<body>"
 * exactly as sent, retry sooner than the schedule says (a receiver that is
 * down must not be hammered), or block the loop on the network.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "core.h"
#include "webhooks.h"

bool mes_webhook_sign(const char *secret, int64_t timestamp, const char *body, size_t len,
                      char out[MES_WEBHOOK_SIG_LEN + 1]) {
    char ts[24];
    int tl = snprintf(ts, sizeof ts, "%lld.", (long long)timestamp);
    /* one buffer: HMAC() is the one-shot call OpenSSL 3 keeps undeprecated */
    unsigned char *msg = malloc((size_t)tl + len + 1);
    if (!msg) return false;
    memcpy(msg, ts, (size_t)tl);
    if (len) memcpy(msg + tl, body, len);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int maclen = 0;
    bool ok = HMAC(EVP_sha256(), secret, (int)strlen(secret), msg, (size_t)tl + len, mac, &maclen) && maclen == 32;
    free(msg);
    if (!ok) return false;
    memcpy(out, "sha256=", 7);
    for (unsigned i = 0; i < 32; i++) snprintf(out + 7 + 2 * i, 3, "%02x", mac[i]);
    return true;
}

int64_t mes_webhook_backoff_ms(int attempt, double rnd) {
    const int64_t cap = 10 * 60 * 1000;
    int64_t base = 1000;
    for (int i = 1; i < attempt && base < cap; i++) base *= 2;
    if (base > cap) base = cap;
    if (rnd < 0) rnd = 0;
    if (rnd >= 1) rnd = 0.999999;
    /* "equal jitter": never sooner than half the step, so the doubling still
       spaces the retries out */
    return base / 2 + (int64_t)((double)(base / 2) * rnd);
}

/* ---- the delivery engine ----

   A scan timer reads the due head row of each subscription (the store
   query keeps seq order: N+1 is not due while N is in the outbox) and
   starts a POST for each one not already in flight, within the per-host
   limit. libcurl's multi interface runs on the loop: its sockets are
   uv_poll handles, its timeout a uv_timer. An answer is recorded through a
   write job; the subscription stays "in flight" until that job is back, so
   a row is never sent twice at once. Once a 2xx is recorded, the
   subscription's next row is read by one index probe and sent at once:
   a busy subscription runs at one round trip plus one (group) commit per
   event, with no scan in between. */

/* One --webhook-allow entry: a host name, or a network (an address is a
 * network of one). */
typedef struct allow_entry {
    char name[256];          /* "" for a network */
    int family;              /* AF_INET, AF_INET6 */
    unsigned char addr[16];
    int bits;
} allow_entry;
struct mes_webhook_allow {
    size_t n;
    allow_entry e[];
};

typedef struct delivery delivery;
struct mes_hooks {
    mes_webhook_allow *allow;   /* NULL: any receiver */
    mes *m;
    store *st;
    uv_loop_t *loop;
    mes_hooks_config cfg;
    CURLM *multi;
    uv_timer_t curl_timer, scan_timer;
    delivery *flight;          /* sent or recording: one per subscription at most */
    struct hook_poll *polls;   /* libcurl's sockets being watched */
    int refs;                  /* open handles + store jobs out: freed at 0 after stop */
    bool stopping;
    uint64_t delivered, failed;
    bool host_waiting;         /* the last scan left a due row for want of a slot at its host */
    bool scanning, scan_again; /* a scan's reads are out; another scan was asked for meanwhile */
    bool counting;             /* a count's reads are out */
    int64_t last_pending, last_failing;   /* the outbox's counts, as last read */
    struct hook_doc *docs;     /* prepared documents by fragment */
    size_t ndocs;
    gql_arena arena;           /* a scan's and a render's scratch */
};

/* A fragment's subscription document, parsed and validated once: every
 * delivery of a subscription executes the same one. */
typedef struct hook_doc {
    struct hook_doc *next;
    store_stream stream;
    char *fragment;
    gql_prepared *p;
} hook_doc;
#define HOOK_DOCS_MAX 256   /* more distinct fragments than this: the cache starts over */

struct delivery {
    delivery *next;
    mes_hooks *h;
    CURL *easy;
    struct curl_slist *headers;
    char *body;
    char sub_id[65];
    char host[256];
    int64_t outbox_id, seq, attempts, created_at;
    long status;
    bool ok, denied;   /* denied: the allow-list refused the receiver */
    bool retry_record; /* answered, but its record failed: submitted again at the next scan */
    char error[CURL_ERROR_SIZE];
    /* rendering in read passes: the row (copied: the scan's arena is gone
       when a fetch comes back) and the session; rendering while a fetch is
       out (then only that fetch's callback frees it) */
    gql_arena due_arena;
    store_webhook_due due;
    store_reads reads;
    bool rendering;
};

typedef struct hook_poll { uv_poll_t poll; mes_hooks *h; curl_socket_t fd; struct hook_poll *next; } hook_poll;

static void curl_init(void) { curl_global_init(CURL_GLOBAL_ALL); }

/* The outbox's clock: wall time in ms, as the store stamps rows. */
static int64_t wall_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void docs_free(mes_hooks *h) {
    for (hook_doc *d = h->docs, *next; d; d = next) {
        next = d->next;
        gql_prepared_free(d->p);
        free(d->fragment);
        free(d);
    }
    h->docs = NULL;
    h->ndocs = 0;
}

/* The prepared subscription document of fragment, or NULL if it no longer
 * prepares (it was checked at subscribe time, so only a schema change could). */
static gql_prepared *doc_of(mes_hooks *h, store_stream stream, const char *fragment, gql_arena *a) {
    for (hook_doc *d = h->docs; d; d = d->next)
        if (d->stream == stream && strcmp(d->fragment, fragment) == 0) return d->p;
    char *src = mes_webhook_document(fragment, stream);
    if (!src) return NULL;
    gql_errors errs;
    gql_errors_init(&errs, a);
    bool syntax;
    gql_prepare_options po = {.parse = {.max_tokens = 10000}};
    gql_prepared *p = gql_prepare(mes_schema(h->m), src, strlen(src), &po, &errs, &syntax);
    free(src);
    if (!p) return NULL;
    if (h->ndocs >= HOOK_DOCS_MAX) docs_free(h);
    hook_doc *d = calloc(1, sizeof *d);
    if (!d || !(d->fragment = strdup(fragment))) abort();
    d->stream = stream;
    d->p = p;
    d->next = h->docs;
    h->docs = d;
    h->ndocs++;
    return p;
}

static void unref(mes_hooks *h) {
    if (--h->refs > 0 || !h->stopping) return;
    docs_free(h);
    mes_webhook_allow_free(h->allow);
    gql_arena_free(&h->arena);
    free(h);
}
static void on_handle_closed(uv_handle_t *hd) {
    mes_hooks *h = hd->data;
    if (hd->type == UV_POLL) free(hd);
    unref(h);
}

static void delivery_free(delivery *d) {
    if (d->easy) {
        curl_multi_remove_handle(d->h->multi, d->easy);
        curl_easy_cleanup(d->easy);
    }
    curl_slist_free_all(d->headers);
    free(d->body);
    store_reads_free(&d->reads);
    gql_arena_free(&d->due_arena);
    free(d);
}

static void flight_remove(mes_hooks *h, delivery *d) {
    for (delivery **p = &h->flight; *p; p = &(*p)->next)
        if (*p == d) {
            *p = d->next;
            return;
        }
}

/* ---- recording the answer ---- */

static int record_run(store_tx *tx, void *arg, store_err *err) {
    delivery *d = arg;
    if (d->ok) return store_tx_webhook_delivered(tx, d->outbox_id, d->sub_id, d->seq, err);
    double rnd = (double)(random() % 1000000) / 1000000.0;
    int64_t now = store_tx_now(tx);
    return store_tx_webhook_failed(tx, d->outbox_id, d->sub_id, d->seq,
                                   now + mes_webhook_backoff_ms((int)d->attempts + 1, rnd), d->error,
                                   now - 3600 * 1000, err);
}

static void on_scan(uv_timer_t *t);
static void start_next(mes_hooks *h, const char *sub_id, const char *host);

static void record_done(void *arg, const store_err *err);

/* Hands d's answer to the writer; a full queue keeps it for the next scan. */
static void submit_record(mes_hooks *h, delivery *d) {
    d->retry_record = false;
    h->refs++;
    if (store_submit(h->st, record_run, record_done, d) == STORE_OK) return;
    h->refs--;
    d->retry_record = true;
}

static void record_done(void *arg, const store_err *err) {
    delivery *d = arg;
    mes_hooks *h = d->h;
    if (err && err->code && !h->stopping) {
        /* The answer is not recorded: the row is as it was. Sending it again
           now would repeat a delivery (after a 2xx) or skip its backoff, so
           the delivery stays in flight and only its record is tried again,
           at the next scan. */
        d->retry_record = true;
        unref(h);
        return;
    }
    bool next = d->ok && !h->stopping;
    char sub_id[sizeof d->sub_id], host[sizeof d->host];
    memcpy(sub_id, d->sub_id, sizeof sub_id);
    memcpy(host, d->host, sizeof host);
    flight_remove(h, d);
    delivery_free(d);
    /* The acknowledged row is gone for good: the subscription's next one may
       go now, not at the next tick. When other subscriptions wait for a slot
       at their host, a scan (oldest due first) shares the freed slot fairly
       instead. */
    if (next && h->host_waiting) uv_timer_start(&h->scan_timer, on_scan, 0, h->cfg.scan_ms);
    else if (next) start_next(h, sub_id, host);
    unref(h);
}

static void finish(delivery *d, bool ok) {
    mes_hooks *h = d->h;
    d->ok = ok;
    if (ok) h->delivered++;
    else h->failed++;
    curl_multi_remove_handle(h->multi, d->easy);
    curl_easy_cleanup(d->easy);
    d->easy = NULL;
    if (h->stopping) {
        flight_remove(h, d);
        delivery_free(d);
        return;
    }
    submit_record(h, d);
}

static void check_done(mes_hooks *h) {
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(h->multi, &left))) {
        if (msg->msg != CURLMSG_DONE) continue;
        delivery *d;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&d);
        curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &d->status);
        bool ok = msg->data.result == CURLE_OK && d->status >= 200 && d->status < 300;
        if (d->denied) {
            snprintf(d->error, sizeof d->error, "receiver %.200s is not in --webhook-allow", d->host);
        } else if (msg->data.result != CURLE_OK) {
            if (!d->error[0]) snprintf(d->error, sizeof d->error, "%s", curl_easy_strerror(msg->data.result));
        } else if (!ok) {
            snprintf(d->error, sizeof d->error, "HTTP %ld", d->status);
        }
        finish(d, ok);
    }
}

/* ---- libcurl on the loop ---- */

static void poll_close(mes_hooks *h, hook_poll *hp) {
    for (hook_poll **p = &h->polls; *p; p = &(*p)->next)
        if (*p == hp) {
            *p = hp->next;
            break;
        }
    uv_poll_stop(&hp->poll);
    uv_close((uv_handle_t *)&hp->poll, on_handle_closed);
}

static void on_poll(uv_poll_t *p, int status, int events) {
    hook_poll *hp = (hook_poll *)p;
    int flags = status < 0 ? CURL_CSELECT_ERR : 0;
    if (events & UV_READABLE) flags |= CURL_CSELECT_IN;
    if (events & UV_WRITABLE) flags |= CURL_CSELECT_OUT;
    int running;
    curl_multi_socket_action(hp->h->multi, hp->fd, flags, &running);
    check_done(hp->h);
}

static int on_socket(CURL *e, curl_socket_t s, int what, void *userp, void *socketp) {
    (void)e;
    mes_hooks *h = userp;
    hook_poll *hp = socketp;
    if (what == CURL_POLL_REMOVE) {
        if (hp) {
            poll_close(h, hp);
            curl_multi_assign(h->multi, s, NULL);
        }
        return 0;
    }
    if (!hp) {
        hp = calloc(1, sizeof *hp);
        if (!hp) abort();
        hp->h = h;
        hp->fd = s;
        uv_poll_init_socket(h->loop, &hp->poll, s);
        hp->poll.data = h;
        h->refs++;
        hp->next = h->polls;
        h->polls = hp;
        curl_multi_assign(h->multi, s, hp);
    }
    int ev = (what & CURL_POLL_IN ? UV_READABLE : 0) | (what & CURL_POLL_OUT ? UV_WRITABLE : 0);
    uv_poll_start(&hp->poll, ev, on_poll);
    return 0;
}

static void on_curl_timer(uv_timer_t *t) {
    mes_hooks *h = t->data;
    int running;
    curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    check_done(h);
}

static int on_timer(CURLM *multi, long ms, void *userp) {
    (void)multi;
    mes_hooks *h = userp;
    if (ms < 0) uv_timer_stop(&h->curl_timer);
    else uv_timer_start(&h->curl_timer, on_curl_timer, (uint64_t)ms, 0);
    return 0;
}

/* ---- rendering and sending ---- */

/* {"subscriptionID":…,"seq":…,"data":<the fragment's fields>} (malloc'd), or
 * NULL. One read pass in reads: with *pending set, the NULL is no failure
 * but reads to fetch first. */
static char *render_pass(mes_hooks *h, const store_webhook_due *due, gql_arena *a) {
    store_event *evs;
    size_t n;
    store_err err = {0};
    if (store_stream_read(h->st, due->w.stream, due->seq - 1, 1, NULL, a, &evs, &n, &err) || n != 1 ||
        evs[0].seq != due->seq)
        return NULL;
    gql_prepared *p = doc_of(h, due->w.stream, due->w.response_fragment, a);
    if (!p) return NULL;
    /* the subscription was made by erp or admin: render as admin (read only) */
    mes_principal who = {.role = MES_ROLE_ADMIN};
    mes_ctx ctx = {.m = h->m, .st = h->st, .who = &who, .arena = a};
    gql_exec_request req = {.doc = p, .context = &ctx, .arena = a};
    gql_subscription sub;
    gql_buf out;
    gql_buf_init(&out);
    char *body = NULL;
    if (gql_subscribe(&req, &sub, &out) == GQL_EXEC_OK) {
        gql_rv value = mes_event_value(&ctx, due->w.stream, &evs[0]);
        out.len = 0;
        gql_execute_event(&req, &sub, &value, &out);
        const char *perr = NULL;
        gql_val *resp = gql_json_parse(a, out.data, out.len, 0, &perr);
        const gql_val *data = resp ? gql_val_get(resp, "data", 4) : NULL;
        const char *field = mes_webhook_stream_of(due->w.stream)->field;
        const gql_val *fields = data && data->kind == GQL_V_OBJECT ? gql_val_get(data, field, strlen(field)) : NULL;
        gql_buf b;
        gql_buf_init(&b);
        gql_buf_puts(&b, "{\"subscriptionID\":");
        gql_json_write_string(&b, due->w.id, strlen(due->w.id));
        char num[40];
        snprintf(num, sizeof num, ",\"seq\":%lld,\"data\":", (long long)due->seq);
        gql_buf_puts(&b, num);
        if (fields) gql_json_write_val(&b, fields);
        else gql_buf_puts(&b, "null");
        gql_buf_puts(&b, "}");
        body = strndup(b.data, b.len);
        gql_buf_free(&b);
    }
    gql_buf_free(&out);
    return body;
}

static char *render(mes_hooks *h, const store_webhook_due *due, gql_arena *a, store_reads *reads, bool *pending) {
    size_t misses = store_reads_misses(reads);
    store_reads_begin(h->st, reads);
    char *body = render_pass(h, due, a);
    store_reads_end(h->st, reads);
    *pending = store_reads_misses(reads) > misses;
    if (*pending) free(body);
    return *pending ? NULL : body;
}

void mes_webhook_host_normalize(char *host) {
    size_t n = strlen(host);
    if (n > 2 && host[0] == '[' && host[n - 1] == ']') {
        memmove(host, host + 1, n - 2);
        host[n -= 2] = 0;
    }
    while (n > 1 && host[n - 1] == '.') host[--n] = 0;
    for (char *p = host; *p; p++) *p = (char)tolower((unsigned char)*p);
}

/* The URL's host as the per-host limit and the allow-list compare it
 * (mes_webhook_host_normalize). */
static bool host_of(const char *url, char *host, size_t cap) {
    CURLU *u = curl_url();
    char *hs = NULL;
    bool ok = u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
              curl_url_get(u, CURLUPART_HOST, &hs, 0) == CURLUE_OK;
    if (ok) {
        snprintf(host, cap, "%s", hs);
        mes_webhook_host_normalize(host);
    }
    curl_free(hs);
    curl_url_cleanup(u);
    return ok;
}

static bool in_flight(mes_hooks *h, const char *sub_id, const char *host, uint32_t *same_host) {
    *same_host = 0;
    bool found = false;
    for (delivery *d = h->flight; d; d = d->next) {
        if (strcmp(d->sub_id, sub_id) == 0) found = true;
        if (strcmp(d->host, host) == 0) (*same_host)++;
    }
    return found;
}

static void add_header(delivery *d, const char *name, const char *value) {
    size_t n = strlen(name) + strlen(value) + 3;
    char *line = malloc(n);
    if (!line) abort();
    snprintf(line, n, "%s: %s", name, value);
    struct curl_slist *l = curl_slist_append(d->headers, line);
    free(line);
    if (!l) abort();
    d->headers = l;
}

void mes_webhook_allow_free(mes_webhook_allow *a) { free(a); }

static bool parse_entries(mes_webhook_allow *a, const char *list, char *err, size_t errlen) {
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        char item[256];
        if (n == 0 || n >= sizeof item) {
            snprintf(err, errlen, "--webhook-allow: an empty or too long entry");
            return false;
        }
        memcpy(item, p, n);
        item[n] = 0;
        p += n + (p[n] == ',');
        allow_entry *e = &a->e[a->n++];
        char *slash = strchr(item, '/');
        if (slash) *slash = 0;
        if (inet_pton(AF_INET, item, e->addr) == 1) e->family = AF_INET, e->bits = 32;
        else if (inet_pton(AF_INET6, item, e->addr) == 1) e->family = AF_INET6, e->bits = 128;
        if (slash) {
            char *end;
            long bits = strtol(slash + 1, &end, 10);
            if (!e->family || *end || end == slash + 1 || bits < 0 || bits > e->bits) {
                snprintf(err, errlen, "--webhook-allow: '%s/%s' is not a network", item, slash + 1);
                return false;
            }
            e->bits = (int)bits;
        }
        if (!e->family) {
            snprintf(e->name, sizeof e->name, "%s", item);
            mes_webhook_host_normalize(e->name);
        }
    }
    return true;
}

bool mes_webhook_allow_parse(const char *list, mes_webhook_allow **out, char *err, size_t errlen) {
    *out = NULL;
    if (!list || !*list) return true;
    size_t cap = 1;
    for (const char *p = list; *p; p++) cap += *p == ',';
    mes_webhook_allow *a = calloc(1, sizeof *a + cap * sizeof a->e[0]);
    if (!a) abort();
    if (!parse_entries(a, list, err, errlen)) {
        free(a);
        return false;
    }
    *out = a;
    return true;
}

static bool in_network(const allow_entry *e, const unsigned char *a) {
    int full = e->bits / 8, rest = e->bits % 8;
    if (memcmp(e->addr, a, (size_t)full) != 0) return false;
    return rest == 0 || ((e->addr[full] ^ a[full]) & (0xff << (8 - rest))) == 0;
}

/* The receiver is allowed by name, or by the address connected to. */
bool mes_webhook_allowed(const mes_webhook_allow *al, const char *host, const char *ip) {
    if (!al) return true;
    unsigned char a[16];
    int fam = ip && inet_pton(AF_INET, ip, a) == 1 ? AF_INET : ip && inet_pton(AF_INET6, ip, a) == 1 ? AF_INET6 : 0;
    /* an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is that IPv4 address */
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (fam == AF_INET6 && memcmp(a, mapped, sizeof mapped) == 0) {
        memmove(a, a + 12, 4);
        fam = AF_INET;
    }
    for (size_t i = 0; i < al->n; i++) {
        const allow_entry *e = &al->e[i];
        if (e->name[0] ? strcasecmp(e->name, host) == 0 : fam == e->family && in_network(e, a)) return true;
    }
    return false;
}

bool mes_webhook_url_allowed(mes *m, const char *url, char *msg, size_t msglen) {
    const mes_webhook_allow *al = m->hooks ? m->hooks->allow : NULL;
    char host[256];
    if (!al || !url || !host_of(url, host, sizeof host)) return true;   /* the URL scalar already checked its form */
    unsigned char addr[16];
    bool literal = inet_pton(AF_INET, host, addr) == 1 || inet_pton(AF_INET6, host, addr) == 1;
    bool networks = false;
    for (size_t i = 0; i < al->n; i++) networks |= !al->e[i].name[0];
    if (mes_webhook_allowed(al, host, literal ? host : NULL) || (!literal && networks)) return true;
    snprintf(msg, msglen, "webhookUrl: the receiver \"%.200s\" is not in mesd's --webhook-allow list.", host);
    return false;
}

/* Called once connected, before the request is sent. */
static int on_prereq(void *user, char *ip, char *local_ip, int remote_port, int local_port) {
    (void)local_ip, (void)remote_port, (void)local_port;
    delivery *d = user;
    if (mes_webhook_allowed(d->h->allow, d->host, ip)) return CURL_PREREQFUNC_OK;
    d->denied = true;
    return CURL_PREREQFUNC_ABORT;
}

static size_t discard_body(char *data, size_t size, size_t n, void *user) {
    (void)data, (void)user;
    return size * n;
}

static void render_and_send(delivery *d);

static const char *dup_or_null(gql_arena *a, const char *s) { return s ? gql_arena_strdup(a, s) : NULL; }

static void start_one(mes_hooks *h, const store_webhook_due *due, const char *host) {
    delivery *d = calloc(1, sizeof *d);
    if (!d) abort();
    d->h = h;
    snprintf(d->sub_id, sizeof d->sub_id, "%s", due->w.id);
    snprintf(d->host, sizeof d->host, "%s", host);
    d->outbox_id = due->outbox_id;
    d->seq = due->seq;
    d->attempts = due->attempts;
    d->created_at = due->created_at;
    gql_arena_init(&d->due_arena, 0);
    store_reads_init(&d->reads);
    d->due = *due;
    store_webhook *w = &d->due.w;
    w->id = d->sub_id;
    w->response_fragment = dup_or_null(&d->due_arena, w->response_fragment);
    w->url = dup_or_null(&d->due_arena, w->url);
    w->headers_json = dup_or_null(&d->due_arena, w->headers_json);
    w->secret = dup_or_null(&d->due_arena, w->secret);
    d->next = h->flight;
    h->flight = d;
    render_and_send(d);
}

static void render_fetched(void *arg, const store_err *err) {
    delivery *d = arg;
    mes_hooks *h = d->h;
    d->rendering = false;
    if (h->stopping) {   /* the row stays and goes after a restart */
        flight_remove(h, d);
        delivery_free(d);
    } else if (err->code != STORE_OK) {
        snprintf(d->error, sizeof d->error, "reading the event failed: %.200s", err->message);
        h->failed++;
        submit_record(h, d);
    } else {
        render_and_send(d);
    }
    unref(h);
}

/* Renders d's event and POSTs it; a render whose reads pend waits for
 * them (the subscription stays in flight: its next row cannot overtake). */
static void render_and_send(delivery *d) {
    mes_hooks *h = d->h;
    const store_webhook_due *due = &d->due;
    gql_arena_reset(&h->arena);
    bool pending;
    d->body = render(h, due, &h->arena, &d->reads, &pending);
    if (pending && d->reads.passes < h->m->cfg.max_read_passes) {
        d->rendering = true;
        h->refs++;
        if (store_reads_fetch(h->st, &d->reads, render_fetched, d) != STORE_OK) abort();   /* none was out */
        return;
    }
    if (!d->body) {
        snprintf(d->error, sizeof d->error, "the event could not be rendered");
        h->failed++;
        submit_record(h, d);
        return;
    }
    /* the receiver's own headers first: ours come last and are the ones that count */
    const char *perr = NULL;
    const gql_val *hv = due->w.headers_json ? gql_json_parse(&h->arena, due->w.headers_json,
                                                             strlen(due->w.headers_json), 0, &perr)
                                            : NULL;
    for (uint32_t i = 0; hv && hv->kind == GQL_V_OBJECT && i < hv->u.obj.count; i++)
        if (hv->u.obj.members[i].value->kind == GQL_V_STRING)
            add_header(d, hv->u.obj.members[i].key, hv->u.obj.members[i].value->u.str.s);
    int64_t ts = (int64_t)time(NULL);
    char tsbuf[24], sig[MES_WEBHOOK_SIG_LEN + 1], id[80];
    snprintf(tsbuf, sizeof tsbuf, "%lld", (long long)ts);
    /* one delivery id per (subscription, seq): a retry is the same delivery */
    snprintf(id, sizeof id, "%s-%lld", d->sub_id, (long long)d->seq);
    mes_webhook_sign(due->w.secret, ts, d->body, strlen(d->body), sig);
    add_header(d, "Content-Type", "application/json");
    add_header(d, "X-Mesd-Delivery", id);
    add_header(d, "X-Mesd-Timestamp", tsbuf);
    add_header(d, "X-Mesd-Signature", sig);
    add_header(d, "Expect", "");
    CURL *e = d->easy = curl_easy_init();
    if (!e) abort();
    curl_easy_setopt(e, CURLOPT_URL, due->w.url);   /* copied by libcurl */
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, d->body);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(d->body));
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, d->headers);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PRIVATE, d);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, d->error);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "mesd-webhooks");
    /* the receiver's body is not ours to print: without this, libcurl would
       fwrite it to stdout, on the loop */
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard_body);
    /* straight to the receiver: an http_proxy in the environment would make
       the allow-list check the proxy's address instead of the receiver's */
    curl_easy_setopt(e, CURLOPT_PROXY, "");
    if (h->allow) {
        curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, on_prereq);
        curl_easy_setopt(e, CURLOPT_PREREQDATA, d);
    }
    curl_multi_add_handle(h->multi, e);
}

/* Starts the subscription's next row if it is due and not already out;
 * false when its host has no free slot. */
static bool try_start(mes_hooks *h, const char *sub_id, const char *host) {
    uint32_t same;
    if (in_flight(h, sub_id, host, &same)) return true;
    if (same >= h->cfg.max_per_host) return false;
    gql_arena a;
    gql_arena_init(&a, 0);
    store_webhook_due due;
    bool found;
    store_err err = {0};
    /* a row waiting out its backoff is left to the scan that finds it due */
    if (store_webhook_head(h->st, sub_id, &a, &due, &found, &err) == STORE_OK && found &&
        due.next_attempt_at <= wall_ms())
        start_one(h, &due, host);
    gql_arena_free(&a);
    return true;
}

/* ---- steps that read: in read passes -------------------------------------
 * The scan, starting a subscription's next row, and counting the outbox read
 * the store from the loop outside any request, so each runs as a step in a
 * read session of its own: on PostgreSQL a read may pend, the step's reads
 * are fetched, and the step runs again (on SQLite it runs once). Running a
 * step again is harmless: a subscription already in flight is skipped. */
typedef enum { STEP_SCAN, STEP_NEXT, STEP_COUNT } step_kind;
typedef struct hook_step {
    mes_hooks *h;
    step_kind kind;
    store_reads reads;
    char sub_id[65], host[256];
} hook_step;
#define STEP_PASSES_MAX 16

static void scan_now(mes_hooks *h) {
    gql_arena a;
    gql_arena_init(&a, 0);
    store_webhook_due_sub *due;
    size_t n;
    store_err err = {0};
    if (store_webhooks_due(h->st, wall_ms(), &a, &due, &n, &err) == STORE_OK) {
        h->host_waiting = false;
        for (size_t i = 0; i < n; i++) {
            char host[256];
            if (!host_of(due[i].url, host, sizeof host)) snprintf(host, sizeof host, "?");
            if (!try_start(h, due[i].id, host)) h->host_waiting = true;
        }
    }
    gql_arena_free(&a);
}

static void count_now(mes_hooks *h) {
    int64_t pending = 0, failing = 0;
    store_err err = {0};
    if (store_webhooks_counts(h->st, &pending, &failing, &err) == STORE_OK) {
        h->last_pending = pending;
        h->last_failing = failing;
    }
}

static void step_run(hook_step *st);

static void step_fetched(void *arg, const store_err *err) {
    (void)err;   /* a failed read fails in the next pass, which then ends the step */
    step_run(arg);
}

static void step_end(hook_step *st) {
    mes_hooks *h = st->h;
    if (st->kind == STEP_SCAN) h->scanning = false;
    if (st->kind == STEP_COUNT) h->counting = false;
    bool again = st->kind == STEP_SCAN && h->scan_again && !h->stopping;
    store_reads_free(&st->reads);
    free(st);
    if (again) {
        h->scan_again = false;
        uv_timer_start(&h->scan_timer, on_scan, 0, h->cfg.scan_ms);
    }
    unref(h);
}

static void step_run(hook_step *st) {
    mes_hooks *h = st->h;
    if (h->stopping) return step_end(st);
    store_reads_begin(h->st, &st->reads);
    if (st->kind == STEP_SCAN) scan_now(h);
    else if (st->kind == STEP_COUNT) count_now(h);
    else if (!try_start(h, st->sub_id, st->host)) h->host_waiting = true;
    store_reads_end(h->st, &st->reads);
    if (store_reads_pending(&st->reads) && st->reads.passes < STEP_PASSES_MAX &&
        store_reads_fetch(h->st, &st->reads, step_fetched, st) == STORE_OK)
        return;
    step_end(st);
}

static void step_start(mes_hooks *h, step_kind kind, const char *sub_id, const char *host) {
    hook_step *st = calloc(1, sizeof *st);
    if (!st) abort();
    st->h = h;
    st->kind = kind;
    store_reads_init(&st->reads);
    if (sub_id) snprintf(st->sub_id, sizeof st->sub_id, "%s", sub_id);
    if (host) snprintf(st->host, sizeof st->host, "%s", host);
    h->refs++;
    step_run(st);
}

static void on_scan(uv_timer_t *t) {
    mes_hooks *h = t->data;
    for (delivery *d = h->flight; d; d = d->next)
        if (d->retry_record) submit_record(h, d);
    if (h->scanning) {
        h->scan_again = true;   /* after the one whose reads are out */
        return;
    }
    h->scanning = true;
    step_start(h, STEP_SCAN, NULL, NULL);
}

void mes_hooks_poke(mes_hooks *h) {
    if (h && !h->stopping) uv_timer_start(&h->scan_timer, on_scan, 0, h->cfg.scan_ms);
}

/* The subscription's next row, after its previous one (to host) was acknowledged. */
static void start_next(mes_hooks *h, const char *sub_id, const char *host) {
    step_start(h, STEP_NEXT, sub_id, host);
}

mes_hooks *mes_hooks_start(mes *m, uv_loop_t *loop, const mes_hooks_config *cfg, char *err, size_t errlen) {
    static uv_once_t once = UV_ONCE_INIT;
    uv_once(&once, curl_init);
    mes_hooks *h = calloc(1, sizeof *h);
    if (!h) abort();
    h->m = m;
    h->st = mes_store(m);
    h->loop = loop;
    if (cfg) h->cfg = *cfg;
    if (!h->cfg.max_per_host) h->cfg.max_per_host = 8;
    if (!h->cfg.scan_ms) h->cfg.scan_ms = 100;
    gql_arena_init(&h->arena, 0);
    if (!mes_webhook_allow_parse(h->cfg.allow, &h->allow, err, errlen)) {
        gql_arena_free(&h->arena);
        free(h);
        return NULL;
    }
    if (!(h->multi = curl_multi_init())) {
        mes_webhook_allow_free(h->allow);
        snprintf(err, errlen, "libcurl: cannot make a multi handle");
        gql_arena_free(&h->arena);
        free(h);
        return NULL;
    }
    curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
    curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
    curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, on_timer);
    curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
    uv_timer_init(loop, &h->curl_timer);
    uv_timer_init(loop, &h->scan_timer);
    h->curl_timer.data = h->scan_timer.data = h;
    h->refs = 2;
    uv_timer_start(&h->scan_timer, on_scan, 0, h->cfg.scan_ms);
    mes_set_hooks(m, h);
    return h;
}

void mes_hooks_stop(mes_hooks *h) {
    if (!h || h->stopping) return;
    h->stopping = true;
    mes_set_hooks(h->m, NULL);
    /* in flight, or answered with a record to retry: dropped, the rows stay
       and go again after a restart; those waiting for their record job are
       freed by it */
    for (delivery *d = h->flight, *next; d; d = next) {
        next = d->next;
        if (d->easy || d->retry_record) {
            flight_remove(h, d);
            delivery_free(d);
        }
    }
    uv_timer_stop(&h->scan_timer);
    uv_timer_stop(&h->curl_timer);
    h->refs++;   /* the cleanup below may close polls: keep h until it is done */
    curl_multi_cleanup(h->multi);
    h->multi = NULL;
    while (h->polls) poll_close(h, h->polls);   /* sockets libcurl did not hand back */
    uv_close((uv_handle_t *)&h->curl_timer, on_handle_closed);
    uv_close((uv_handle_t *)&h->scan_timer, on_handle_closed);
    unref(h);
}

void mes_hooks_fill_metrics(mes_hooks *h, store *st, mes_metrics *out) {
    if (!h) {
        int64_t pending = 0, failing = 0;
        store_err err = {0};
        if (store_webhooks_counts(st, &pending, &failing, &err) == STORE_OK) {
            out->webhook_pending = (uint64_t)pending;
            out->webhook_failing = (uint64_t)failing;
        }
        return;
    }
    out->webhook_delivered = h->delivered;
    out->webhook_failed = h->failed;
    /* the counts as of now (SQLite), or as last read while this read is out
     * (PostgreSQL: /metrics does not wait for the database) */
    if (!h->counting && !h->stopping) {
        h->counting = true;
        step_start(h, STEP_COUNT, NULL, NULL);
    }
    out->webhook_pending = (uint64_t)h->last_pending;
    out->webhook_failing = (uint64_t)h->last_failing;
}
