/*
 * check_agent.c - the Plesk XML API agent (acct/agent.h), server side.
 *
 * Two halves:
 *
 * 1. Golden fixtures (tests/fixtures/agent, see its README): every request
 *    file is answered by acct_agent_handle() on a deterministic context (the
 *    memory store, a fixed clock, password_cost 4, the seed store below) and
 *    the reply must equal the reply file byte for byte after
 *    canonicalisation (UUIDs -> GUID, 32-hex session ids -> SESSIONID,
 *    whitespace between elements removed). Fixtures that share a group name
 *    run in order on one context. ACCT_FIXTURES_UPDATE=1 rewrites the reply
 *    files instead; every kept reply has been read against
 *    spec/plesk-protocol.md.
 *
 * 2. Assertions in C on what fixtures cannot pin down or should state
 *    explicitly: authentication (1029, 1001, 1012, 1011, 11003, 1006),
 *    version gating (1005, 1017), parser errors with their line (1014),
 *    several operations per packet in order, filters, legacy client
 *    encodings, user status style, and hostile inputs (XXE, entity
 *    expansion, deep nesting, a 64 MiB packet, invalid UTF-8, NUL bytes,
 *    out-of-range numbers, overlong strings), each answered with a message,
 *    in bounded time and memory.
 */
#include "testutil.h"
#include "agent_seed.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#ifndef FIXTURES_DIR
#error "FIXTURES_DIR must name tests/fixtures/agent"
#endif

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))


/* ------------------------------------------------------------------------ */
/* A counting allocator for libacct's own memory (installed in main)        */
/* ------------------------------------------------------------------------ */

typedef struct mem_stats {
	size_t current;
	size_t peak;
} mem_stats;

static mem_stats mem;

#define MEM_HEADER 16

static void mem_note(size_t add, size_t sub)
{
	size_t now = __atomic_add_fetch(&mem.current, add, __ATOMIC_RELAXED);

	now = __atomic_sub_fetch(&mem.current, sub, __ATOMIC_RELAXED);
	if (now > __atomic_load_n(&mem.peak, __ATOMIC_RELAXED))
		__atomic_store_n(&mem.peak, now, __ATOMIC_RELAXED);
}

static void *mem_malloc(void *payload, size_t size)
{
	unsigned char *p = malloc(size + MEM_HEADER);

	(void)payload;
	if (p == NULL)
		return NULL;
	memcpy(p, &size, sizeof size);
	mem_note(size, 0);
	return p + MEM_HEADER;
}

static void mem_free(void *payload, void *ptr)
{
	unsigned char *p = ptr;
	size_t size;

	(void)payload;
	if (p == NULL)
		return;
	p -= MEM_HEADER;
	memcpy(&size, p, sizeof size);
	mem_note(0, size);
	free(p);
}

static void *mem_realloc(void *payload, void *ptr, size_t size)
{
	unsigned char *p = ptr, *q;
	size_t old = 0;

	(void)payload;
	if (p == NULL)
		return mem_malloc(payload, size);
	p -= MEM_HEADER;
	memcpy(&old, p, sizeof old);
	q = realloc(p, size + MEM_HEADER);
	if (q == NULL)
		return NULL;
	memcpy(q, &size, sizeof size);
	mem_note(size, old);
	return q + MEM_HEADER;
}

/* The process's resident high-water mark, in KiB. */
static long max_rss_kib(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return ru.ru_maxrss;
}

static int under_valgrind(void)
{
	const char *p = getenv("LD_PRELOAD");
	return p != NULL && strstr(p, "vgpreload") != NULL;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------------ */
/* Talking to the agent                                                     */
/* ------------------------------------------------------------------------ */

static void cred_password(acct_credentials *c, const char *login, const char *password)
{
	ck_assert_ok(acct_credentials_init(c, ACCT_CREDENTIALS_VERSION));
	c->kind = ACCT_CRED_PASSWORD;
	c->login = login;
	c->password = password;
	c->client_ip = CLIENT_IP;
}

/* The reply to `len` bytes of `xml` (malloc'd, NUL-terminated); asserts a reply was written. */
static char *handle_n(seed *sd, const acct_credentials *c, const char *xml, size_t len)
{
	acct_buf out = ACCT_BUF_INIT;
	char *copy;
	int rc = acct_agent_handle(sd->ctx, c, xml, len, &out);

	ck_assert_msg(rc == 0, "acct_agent_handle returned %d (%s): %s", rc, acct_strerror(rc),
	              acct_error_last()->message);
	ck_assert_msg(out.ptr != NULL && out.size > 0, "acct_agent_handle wrote no reply");
	ck_assert_msg(strlen(out.ptr) == out.size, "the reply holds a NUL byte");
	copy = strdup(out.ptr);
	ck_assert_ptr_nonnull(copy);
	acct_buf_dispose(&out);
	return copy;
}

static char *handle(seed *sd, const acct_credentials *c, const char *xml)
{
	return handle_n(sd, c, xml, strlen(xml));
}

static char *as_login(seed *sd, const char *login, const char *xml)
{
	acct_credentials c;

	cred_password(&c, login, strcmp(login, TEST_ADMIN_LOGIN) == 0 ? TEST_ADMIN_PASSWORD : TEST_PASSWORD);
	return handle(sd, &c, xml);
}

static char *as_admin(seed *sd, const char *xml)
{
	return as_login(sd, TEST_ADMIN_LOGIN, xml);
}

static acct_response *parse_reply(const char *reply)
{
	acct_response *r = NULL;
	int rc = acct_response_parse(&r, reply, strlen(reply));

	ck_assert_msg(rc == 0 && r != NULL, "the agent's reply does not parse (%s): %s", acct_error_last()->message,
	              reply);
	return r;
}

/* Assert that `reply` is a <system> error `code` whose errtext contains `needle`. */
static void assert_system(const char *reply, int code, const char *needle)
{
	acct_response *r = parse_reply(reply);
	const char *text = NULL;
	int got = 0;

	ck_assert_msg(acct_response_system_error(&got, &text, r), "expected system error %d, got: %s", code, reply);
	ck_assert_msg(got == code, "expected system error %d, got %d: %s", code, got, reply);
	ck_assert_msg(text != NULL && text[0] != '\0', "system error %d has no errtext", code);
	if (needle != NULL)
		ck_assert_msg(strstr(text, needle) != NULL, "errtext '%s' does not contain '%s'", text, needle);
	ck_assert_msg(acct_response_count(r) == 0, "a system error reply also has results");
	acct_response_free(r);
}

/* Assert that result `i` of `r` is ok (code 0) or failed with `code` and `needle` in its errtext. */
static void assert_result(const acct_response *r, size_t i, int code, const char *needle)
{
	const acct_result *res = acct_response_result(r, i);

	ck_assert_msg(res != NULL, "no result %zu (the reply has %zu)", i, acct_response_count(r));
	if (code == 0) {
		ck_assert_msg(acct_result_ok(res), "result %zu failed: %d %s", i, acct_result_errcode(res),
		              acct_result_errtext(res));
		return;
	}
	ck_assert_msg(!acct_result_ok(res), "result %zu is ok, expected error %d", i, code);
	ck_assert_msg(acct_result_errcode(res) == code, "result %zu: errcode %d, expected %d (%s)", i,
	              acct_result_errcode(res), code, acct_result_errtext(res));
	ck_assert_msg(acct_result_errtext(res)[0] != '\0', "result %zu has no errtext", i);
	if (needle != NULL)
		ck_assert_msg(strstr(acct_result_errtext(res), needle) != NULL, "result %zu: errtext '%s' lacks '%s'", i,
		              acct_result_errtext(res), needle);
}

/* A reply that is not a system error, parsed; asserts `n` results. */
static acct_response *results(const char *reply, size_t n)
{
	acct_response *r = parse_reply(reply);
	int code = 0;
	const char *text = NULL;

	ck_assert_msg(!acct_response_system_error(&code, &text, r), "unexpected system error %d: %s", code, text);
	ck_assert_msg(acct_response_count(r) == n, "%zu results, expected %zu: %s", acct_response_count(r), n, reply);
	return r;
}

/* ------------------------------------------------------------------------ */
/* Canonicalisation                                                         */
/* ------------------------------------------------------------------------ */

static int hexdig(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int word_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_';
}

static int is_uuid_at(const char *s)
{
	static const int groups[] = { 8, 4, 4, 4, 12 };

	for (size_t g = 0; g < N_ELEMS(groups); g++) {
		for (int i = 0; i < groups[g]; i++)
			if (!hexdig(*s++))
				return 0;
		if (g + 1 < N_ELEMS(groups) && *s++ != '-')
			return 0;
	}
	return !word_char(*s);
}

static int is_sessionid_at(const char *s)
{
	for (int i = 0; i < 32; i++)
		if (!hexdig(s[i]))
			return 0;
	return !word_char(s[32]);
}

/*
 * Replace UUIDs with GUID and 32-hex session ids with SESSIONID; with
 * `strip`, also drop whitespace between elements (and around the document).
 * Returns a malloc'd string.
 */
static char *canonical(const char *in, int strip)
{
	size_t n = strlen(in), o = 0;
	char *out = malloc(n + 1);

	ck_assert_ptr_nonnull(out);
	for (size_t i = 0; i < n;) {
		int boundary = i == 0 || !word_char(in[i - 1]);
		if (boundary && n - i >= 36 && is_uuid_at(in + i)) {
			memcpy(out + o, "GUID", 4);
			o += 4;
			i += 36;
		} else if (boundary && n - i >= 32 && is_sessionid_at(in + i)) {
			memcpy(out + o, "SESSIONID", 9);
			o += 9;
			i += 32;
		} else {
			out[o++] = in[i++];
		}
	}
	out[o] = '\0';
	if (strip) {
		size_t w = 0;
		for (size_t i = 0; i < o;) {
			if (isspace((unsigned char)out[i])) {
				size_t j = i;
				while (j < o && isspace((unsigned char)out[j]))
					j++;
				/* between two tags, or at either end of the document */
				if ((w == 0 || out[w - 1] == '>') && (j == o || out[j] == '<')) {
					i = j;
					continue;
				}
				while (i < j)
					out[w++] = out[i++];
				continue;
			}
			out[w++] = out[i++];
		}
		out[w] = '\0';
	}
	return out;
}

/* ------------------------------------------------------------------------ */
/* Files                                                                    */
/* ------------------------------------------------------------------------ */

static char *read_file(const char *path, size_t *len_out)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	buf = malloc((size_t)len + 1);
	ck_assert_ptr_nonnull(buf);
	if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[len] = '\0';
	if (len_out != NULL)
		*len_out = (size_t)len;
	return buf;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	ck_assert_msg(f != NULL, "cannot write %s: %s", path, strerror(errno));
	ck_assert_msg(fwrite(text, 1, strlen(text), f) == strlen(text), "cannot write %s", path);
	ck_assert_msg(fclose(f) == 0, "cannot write %s", path);
}

/* ------------------------------------------------------------------------ */
/* Fixtures                                                                 */
/* ------------------------------------------------------------------------ */

#define MAX_FIXTURES 512
#define REQUEST_SUFFIX ".request.xml"
#define REPLY_SUFFIX ".reply.xml"

static char *fixture_names[MAX_FIXTURES]; /* sorted, without suffix */
static size_t n_fixtures;
static size_t group_start[MAX_FIXTURES + 1]; /* group g is fixtures [group_start[g], group_start[g + 1]) */
static size_t n_groups;
static char *orphan_replies[MAX_FIXTURES];
static size_t n_orphans;

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The group of a fixture name: what comes before "-NN-". */
static size_t group_len(const char *name)
{
	for (const char *p = name; *p; p++)
		if (p[0] == '-' && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2]) && p[3] == '-')
			return (size_t)(p - name);
	return strlen(name);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n > m && strcmp(s + n - m, suffix) == 0;
}

/* Called from main: list the fixture directory (no check assertions there). */
static void scan_fixtures(void)
{
	DIR *d = opendir(FIXTURES_DIR);
	struct dirent *e;
	char *replies[MAX_FIXTURES];
	size_t n_replies = 0;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (ends_with(e->d_name, REQUEST_SUFFIX) && n_fixtures < MAX_FIXTURES)
			fixture_names[n_fixtures++] = strndup(e->d_name, n - strlen(REQUEST_SUFFIX));
		else if (ends_with(e->d_name, REPLY_SUFFIX) && n_replies < MAX_FIXTURES)
			replies[n_replies++] = strndup(e->d_name, n - strlen(REPLY_SUFFIX));
	}
	closedir(d);
	qsort(fixture_names, n_fixtures, sizeof *fixture_names, cmp_names);
	for (size_t i = 0; i < n_fixtures; i++) {
		if (i == 0 || group_len(fixture_names[i]) != group_len(fixture_names[i - 1]) ||
		    strncmp(fixture_names[i], fixture_names[i - 1], group_len(fixture_names[i])) != 0)
			group_start[n_groups++] = i;
	}
	group_start[n_groups] = n_fixtures;
	for (size_t i = 0; i < n_replies; i++) {
		if (bsearch(&replies[i], fixture_names, n_fixtures, sizeof *fixture_names, cmp_names) == NULL)
			orphan_replies[n_orphans++] = replies[i];
		else
			free(replies[i]);
	}
}

static void free_fixture_names(void)
{
	for (size_t i = 0; i < n_fixtures; i++)
		free(fixture_names[i]);
	for (size_t i = 0; i < n_orphans; i++)
		free(orphan_replies[i]);
}

static int updating(void)
{
	const char *u = getenv("ACCT_FIXTURES_UPDATE");
	return u != NULL && strcmp(u, "1") == 0;
}

/* The credentials a request names in a comment: <!-- as: LOGIN [PASSWORD] -->, "none", or the admin. */
static void fixture_credentials(acct_credentials *c, char login[64], char password[64], const char *request)
{
	const char *as = strstr(request, "<!-- as: ");
	int n;

	snprintf(login, 64, "%s", TEST_ADMIN_LOGIN);
	password[0] = '\0';
	if (as != NULL) {
		n = sscanf(as + 9, "%63s %63s", login, password);
		ck_assert_msg(n >= 1, "a malformed as: comment");
		if (n == 2 && strcmp(password, "-->") == 0)
			password[0] = '\0';
	}
	if (password[0] == '\0')
		snprintf(password, 64, "%s", strcmp(login, TEST_ADMIN_LOGIN) == 0 ? TEST_ADMIN_PASSWORD : TEST_PASSWORD);
	cred_password(c, login, password);
	if (strcmp(login, "none") == 0)
		c->kind = ACCT_CRED_NONE;
}

/* Where the canonical forms first differ, with some context, for the failure message. */
static void describe_difference(char *msg, size_t size, const char *got, const char *want)
{
	size_t i = 0, from;

	while (got[i] != '\0' && got[i] == want[i])
		i++;
	from = i > 60 ? i - 60 : 0;
	snprintf(msg, size, "first difference at offset %zu:\n  got:  ...%.160s\n  want: ...%.160s", i, got + from,
	         want + from);
}

/*
 * Values a fixture cannot know in advance, taken from the replies before it
 * in its group: @SESSIONID@ in a request becomes the last session id a
 * create_session gave, @KEY@ the last secret key a create gave.
 */
typedef struct fixture_memory {
	char session[40];
	char key[40];
} fixture_memory;

static void remember(fixture_memory *m, const char *reply)
{
	for (const char *p = reply; (p = strstr(p, "<id>")) != NULL; p++)
		if (is_sessionid_at(p + 4) && p[36] == '<')
			snprintf(m->session, sizeof m->session, "%.32s", p + 4);
	for (const char *p = reply; (p = strstr(p, "<key>")) != NULL; p++)
		if (is_uuid_at(p + 5) && p[41] == '<')
			snprintf(m->key, sizeof m->key, "%.36s", p + 5);
}

/* `request` with the tokens replaced (malloc'd); *len_io is updated. */
static char *recall(const fixture_memory *m, const char *name, const char *request, size_t *len_io)
{
	static const struct {
		const char *token;
		size_t off;
	} tokens[] = { { "@SESSIONID@", offsetof(fixture_memory, session) }, { "@KEY@", offsetof(fixture_memory, key) } };
	test_bytes out = TEST_BYTES_INIT;
	const char *p = request;
	char *copy;

	while (*p != '\0') {
		size_t t;
		for (t = 0; t < N_ELEMS(tokens); t++)
			if (strncmp(p, tokens[t].token, strlen(tokens[t].token)) == 0)
				break;
		if (t == N_ELEMS(tokens)) {
			test_bytes_append(&out, p++, 1);
			continue;
		}
		{
			const char *value = (const char *)m + tokens[t].off;
			ck_assert_msg(value[0] != '\0', "fixture %s uses %s before a reply gave one", name, tokens[t].token);
			test_bytes_append(&out, value, strlen(value));
			p += strlen(tokens[t].token);
		}
	}
	test_bytes_append(&out, "", 1);
	copy = strdup((const char *)out.data);
	ck_assert_ptr_nonnull(copy);
	*len_io = out.len - 1;
	test_bytes_free(&out);
	return copy;
}

START_TEST(fixture_group)
{
	size_t g = (size_t)_i;
	int update = updating();
	fixture_memory memory;
	seed sd;

	memset(&memory, 0, sizeof memory);

	ck_assert_msg(g < n_groups, "no fixture group %zu", g);
	seed_open(&sd, 1);
	for (size_t f = group_start[g]; f < group_start[g + 1]; f++) {
		const char *name = fixture_names[f];
		char path[1024], login[64], password[64];
		acct_credentials c;
		char *request, *reply, *got, *want_raw, *want;
		size_t len;

		snprintf(path, sizeof path, "%s/%s%s", FIXTURES_DIR, name, REQUEST_SUFFIX);
		request = read_file(path, &len);
		ck_assert_msg(request != NULL, "cannot read %s", path);
		if (strchr(request, '@') != NULL) {
			char *filled = recall(&memory, name, request, &len);
			free(request);
			request = filled;
		}
		fixture_credentials(&c, login, password, request);
		reply = handle_n(&sd, &c, request, len);
		remember(&memory, reply);

		snprintf(path, sizeof path, "%s/%s%s", FIXTURES_DIR, name, REPLY_SUFFIX);
		if (update) {
			char *pretty = canonical(reply, 0);
			write_file(path, pretty);
			free(pretty);
		} else {
			want_raw = read_file(path, NULL);
			ck_assert_msg(want_raw != NULL, "fixture %s has no reply file (run with ACCT_FIXTURES_UPDATE=1 to "
			                                "write it, then read it against the spec)", name);
			got = canonical(reply, 1);
			want = canonical(want_raw, 1);
			if (strcmp(got, want) != 0) {
				char diff[600];
				describe_difference(diff, sizeof diff, got, want);
				ck_abort_msg("fixture %s: the reply differs from %s%s\n%s\nfull reply:\n%s", name, name,
				             REPLY_SUFFIX, diff, reply);
			}
			free(got);
			free(want);
			free(want_raw);
		}
		free(reply);
		free(request);
	}
	seed_close(&sd);
}
END_TEST

START_TEST(fixtures_complete)
{
	/* A missing directory or a lost file must not pass silently. */
	ck_assert_msg(n_fixtures >= 100, "only %zu fixtures found in %s", n_fixtures, FIXTURES_DIR);
	ck_assert_msg(n_groups >= 9, "only %zu fixture groups", n_groups);
	ck_assert_msg(n_orphans == 0, "reply %s%s has no request", n_orphans ? orphan_replies[0] : "", REPLY_SUFFIX);
	for (size_t i = 0; i < n_fixtures; i++) {
		size_t gl = group_len(fixture_names[i]);
		ck_assert_msg(gl < strlen(fixture_names[i]), "fixture %s is not named GROUP-NN-what", fixture_names[i]);
	}
}
END_TEST

/* The canonical form itself: what is replaced and what is kept. */
START_TEST(canonical_form)
{
	char *c = canonical("<a>\n  <guid>5C0E7D2A-1234-4abc-8def-0123456789ab</guid>\n  <id>0123456789abcdef0123456789abcdef</id>"
	                    "\n  <t>two  words </t> <x>x0123456789abcdef0123456789abcdef</x>\n</a>\n",
	                    1);

	ck_assert_str_eq(c, "<a><guid>GUID</guid><id>SESSIONID</id><t>two  words </t>"
	                    "<x>x0123456789abcdef0123456789abcdef</x></a>");
	free(c);
}
END_TEST

/* Replies are the same whether indented or not, once canonical. */
START_TEST(pretty_and_compact_agree)
{
	static const char req[] = "<packet><reseller><get><filter><id>2</id></filter>"
	                          "<dataset><gen-info/><limits/><ippool/></dataset></get></reseller></packet>";
	acct_agent_options ao = ACCT_AGENT_OPTIONS_INIT;
	char *pretty, *compact, *a, *b;
	seed sd;

	seed_open(&sd, 1);
	pretty = as_admin(&sd, req);
	ao.server_name = SERVER_NAME;
	ck_assert_ok(acct_agent_configure(sd.ctx, &ao));
	compact = as_admin(&sd, req);
	ck_assert_msg(strstr(compact, "\n  <") == NULL, "the compact reply is indented: %s", compact);
	ck_assert_msg(strstr(pretty, "\n  <reseller>") != NULL, "the pretty reply is not indented: %s", pretty);
	a = canonical(pretty, 1);
	b = canonical(compact, 1);
	ck_assert_str_eq(a, b);
	/* the reply is UTF-8 with the declaration first */
	ck_assert_msg(strncmp(compact, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 38) == 0, "%s", compact);
	free(a);
	free(b);
	free(pretty);
	free(compact);
	seed_close(&sd);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Authentication                                                           */
/* ------------------------------------------------------------------------ */

static const char protos_req[] = "<packet><server><get_protos/></server></packet>";

START_TEST(auth_missing_credentials)
{
	acct_credentials c;
	char *r;
	seed sd;

	seed_open(&sd, 1);
	r = handle(&sd, NULL, protos_req);
	assert_system(r, 1029, "Authentication method is not specified");
	free(r);

	ck_assert_ok(acct_credentials_init(&c, ACCT_CREDENTIALS_VERSION));
	r = handle(&sd, &c, protos_req);
	assert_system(r, 1029, "HTTP_AUTH_LOGIN");
	free(r);

	cred_password(&c, "admin", NULL);
	r = handle(&sd, &c, protos_req);
	assert_system(r, 1029, NULL);
	free(r);

	cred_password(&c, NULL, TEST_ADMIN_PASSWORD);
	r = handle(&sd, &c, protos_req);
	assert_system(r, 1029, NULL);
	free(r);

	c.kind = ACCT_CRED_KEY; /* no key given */
	r = handle(&sd, &c, protos_req);
	assert_system(r, 1029, NULL);
	free(r);

	c.kind = ACCT_CRED_SESSION; /* no session given */
	r = handle(&sd, &c, protos_req);
	assert_system(r, 1029, NULL);
	free(r);

	cred_password(&c, "admin", TEST_ADMIN_PASSWORD);
	c.version = 0;
	r = handle(&sd, &c, protos_req);
	assert_system(r, 1029, NULL);
	free(r);

	/* A stranger's broken packet learns nothing about the parser: still 1029. */
	r = handle(&sd, NULL, "<packet><customer>");
	assert_system(r, 1029, NULL);
	free(r);
	seed_close(&sd);
}
END_TEST

START_TEST(auth_wrong_password)
{
	acct_credentials c;
	char *r, *r2;
	seed sd;

	seed_open(&sd, 1);
	cred_password(&c, "admin", "not-the-password");
	r = handle(&sd, &c, protos_req);
	assert_system(r, 1001, NULL);
	cred_password(&c, "no-such-login", "not-the-password");
	r2 = handle(&sd, &c, protos_req);
	assert_system(r2, 1001, NULL);
	/* an unknown login and a wrong password are not told apart */
	{
		acct_response *a = parse_reply(r), *b = parse_reply(r2);
		const char *ta = NULL, *tb = NULL;
		acct_response_system_error(NULL, &ta, a);
		acct_response_system_error(NULL, &tb, b);
		ck_assert_str_eq(ta, tb);
		acct_response_free(a);
		acct_response_free(b);
	}
	free(r);
	free(r2);
	/* a bad packet with bad credentials: the credentials are reported */
	cred_password(&c, "admin", "not-the-password");
	r = handle(&sd, &c, "<packet><nope/></packet>");
	assert_system(r, 1001, NULL);
	free(r);
	seed_close(&sd);
}
END_TEST

START_TEST(auth_lockout)
{
	acct_credentials c;
	char *r;
	seed sd;

	seed_open(&sd, 1);
	for (int i = 0; i < 5; i++) {
		cred_password(&c, "res1", "wrong-password");
		r = handle(&sd, &c, protos_req);
		assert_system(r, 1001, NULL);
		free(r);
	}
	/* locked now: even the right password gets 1012 */
	cred_password(&c, "res1", TEST_PASSWORD);
	r = handle(&sd, &c, protos_req);
	assert_system(r, 1012, NULL);
	free(r);
	/* other logins are not affected */
	r = as_admin(&sd, protos_req);
	acct_response_free(results(r, 1));
	free(r);
	/* after the lock's duration (900 s by default) the login works again */
	seed_clock.now += 901;
	r = handle(&sd, &c, protos_req);
	acct_response_free(results(r, 1));
	free(r);
	seed_close(&sd);
}
END_TEST

START_TEST(auth_disabled)
{
	acct_credentials c;
	char *r;
	seed sd;

	seed_open(&sd, 1);
	cred_password(&c, "cust-off", TEST_PASSWORD);
	r = handle(&sd, &c, protos_req);
	assert_system(r, 1011, NULL);
	free(r);
	/* a suspended reseller's customers are disabled with it */
	ck_assert_ok(acct_account_suspend(sd.admin, sd.res1));
	cred_password(&c, "cust2", TEST_PASSWORD);
	r = handle(&sd, &c, protos_req);
	assert_system(r, 1011, NULL);
	free(r);
	ck_assert_ok(acct_account_activate(sd.admin, sd.res1));
	r = handle(&sd, &c, protos_req);
	acct_response_free(results(r, 1));
	free(r);
	seed_close(&sd);
}
END_TEST

START_TEST(auth_secret_key)
{
	acct_credentials c;
	acct_response *resp;
	char *r, *bad_key, *bad_ip;
	const char *t1 = NULL, *t2 = NULL;
	seed sd;

	seed_open(&sd, 1);
	ck_assert_ok(acct_credentials_init(&c, ACCT_CREDENTIALS_VERSION));
	c.kind = ACCT_CRED_KEY;
	c.secret_key = sd.key;
	c.client_ip = CLIENT_IP;
	r = handle(&sd, &c, "<packet><customer><get><filter><login>cust1</login></filter></get></customer></packet>");
	resp = results(r, 1);
	assert_result(resp, 0, 0, NULL);
	ck_assert_int_eq(acct_result_id(acct_response_result(resp, 0)), sd.cust1);
	acct_response_free(resp);
	free(r);

	c.client_ip = "192.0.2.51"; /* not the key's address */
	bad_ip = handle(&sd, &c, protos_req);
	assert_system(bad_ip, 11003, NULL);

	c.client_ip = CLIENT_IP;
	c.secret_key = "00000000-0000-4000-8000-000000000000";
	bad_key = handle(&sd, &c, protos_req);
	assert_system(bad_key, 11003, NULL);
	{
		acct_response *a = parse_reply(bad_ip), *b = parse_reply(bad_key);
		acct_response_system_error(NULL, &t1, a);
		acct_response_system_error(NULL, &t2, b);
		ck_assert_msg(strcmp(t1, t2) == 0, "a wrong address and a wrong key are told apart: '%s' / '%s'", t1, t2);
		acct_response_free(a);
		acct_response_free(b);
	}
	free(bad_ip);
	free(bad_key);

	c.secret_key = sd.key;
	c.client_ip = NULL; /* the host did not say where the request came from */
	r = handle(&sd, &c, protos_req);
	assert_system(r, 11003, NULL);
	free(r);

	/* a good key of a disabled account: 1011 */
	{
		acct_buf secret = ACCT_BUF_INIT;
		ck_assert_ok(acct_key_create(&secret, NULL, sd.admin, sd.off, CLIENT_IP, NULL));
		c.secret_key = secret.ptr;
		c.client_ip = CLIENT_IP;
		r = handle(&sd, &c, protos_req);
		assert_system(r, 1011, "cust-off");
		free(r);
		acct_buf_dispose(&secret);
	}
	seed_close(&sd);
}
END_TEST

START_TEST(auth_remote_access_interface)
{
	acct_credentials c;
	char *r;
	seed sd;

	seed_open(&sd, 1);
	cred_password(&c, "res2", TEST_PASSWORD);
	r = handle(&sd, &c, protos_req);
	assert_system(r, 1006, "remote_access_interface");
	free(r);
	/* customers need it too */
	cred_password(&c, "cust3", TEST_PASSWORD);
	r = handle(&sd, &c, protos_req);
	assert_system(r, 1006, "remote_access_interface");
	free(r);
	/* granted, the same reseller gets through */
	ck_assert_ok(acct_perm_grant(sd.admin, sd.res2, "remote_access_interface", 1));
	cred_password(&c, "res2", TEST_PASSWORD);
	r = handle(&sd, &c, protos_req);
	acct_response_free(results(r, 1));
	free(r);
	seed_close(&sd);
}
END_TEST

START_TEST(auth_host_session)
{
	acct_credentials c;
	acct_session *other_s = NULL;
	acct_ctx *other = NULL;
	acct_response *resp;
	char *r;
	seed sd;

	seed_open(&sd, 1);
	ck_assert_ok(acct_credentials_init(&c, ACCT_CREDENTIALS_VERSION));
	c.kind = ACCT_CRED_SESSION;
	c.session = sd.admin;
	r = handle(&sd, &c, "<packet><reseller><get><filter><login>res2</login></filter></get></reseller></packet>");
	resp = results(r, 1);
	assert_result(resp, 0, 0, NULL);
	acct_response_free(resp);
	free(r);
	/* the session must belong to the agent's context */
	other = open_ctx();
	other_s = open_session(other, 1);
	c.session = other_s;
	r = handle(&sd, &c, protos_req);
	assert_system(r, 1029, NULL);
	free(r);
	acct_session_free(other_s);
	acct_ctx_free(other);
	seed_close(&sd);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Versions                                                                 */
/* ------------------------------------------------------------------------ */

static void assert_reply_version(const char *reply, const char *version)
{
	acct_response *r = parse_reply(reply);
	ck_assert_str_eq(acct_response_version(r), version);
	acct_response_free(r);
}

START_TEST(version_newest_without_attribute)
{
	acct_response *resp;
	char *r;
	seed sd;

	seed_open(&sd, 1);
	ck_assert_str_eq(acct_agent_protocol_version(), "1.6.9.1");
	/* no version: every operator libacct knows, user included; the reply carries the newest */
	r = as_admin(&sd, "<packet><user><get><filter><all/></filter></get></user>"
	                  "<secret_key><get_info><filter/></get_info></secret_key>"
	                  "<customer><get><filter><id>4</id></filter></get></customer></packet>");
	assert_reply_version(r, "1.6.9.1");
	resp = results(r, 3);
	for (size_t i = 0; i < 3; i++)
		assert_result(resp, i, 0, NULL);
	acct_response_free(resp);
	free(r);
	seed_close(&sd);
}
END_TEST

START_TEST(version_partial_accepted)
{
	acct_response *resp;
	char *r;
	seed sd;

	seed_open(&sd, 1);
	r = as_admin(&sd, "<packet version=\"1.6.5\"><customer><get><filter><id>4</id></filter></get></customer></packet>");
	assert_reply_version(r, "1.6.5");
	resp = results(r, 1);
	assert_result(resp, 0, 0, NULL);
	acct_response_free(resp);
	free(r);

	r = as_admin(&sd, "<packet version=\"1.6\"><server><get_protos/></server></packet>");
	assert_reply_version(r, "1.6");
	resp = results(r, 1);
	assert_result(resp, 0, 0, NULL);
	acct_response_free(resp);
	free(r);

	/* "1.6" is 1.6.0.0: before customer (1.6.3.0) */
	r = as_admin(&sd, "<packet version=\"1.6\"><customer><get><filter><id>4</id></filter></get></customer></packet>");
	resp = results(r, 1);
	assert_result(resp, 0, 1017, "1.6");
	acct_response_free(resp);
	free(r);
	seed_close(&sd);
}
END_TEST

START_TEST(version_unsupported)
{
	static const char *const bad[] = { "100.0.0", "1.7.0.0", "2.0", "1", "1.6.x", "", "1.6.9.1.1", "0.9",
		                           "1.6.256.0" };
	char req[128], *r;
	seed sd;

	seed_open(&sd, 1);
	for (size_t i = 0; i < N_ELEMS(bad); i++) {
		snprintf(req, sizeof req, "<packet version=\"%s\"><server><get_protos/></server></packet>", bad[i]);
		r = as_admin(&sd, req);
		assert_system(r, 1005, "not supported");
		/* the reply cannot carry a version libacct does not speak */
		assert_reply_version(r, "1.6.9.1");
		free(r);
	}
	seed_close(&sd);
}
END_TEST

START_TEST(version_every_proto_answers)
{
	acct_response *protos;
	char *r;
	size_t n;
	seed sd;

	seed_open(&sd, 1);
	r = as_admin(&sd, protos_req);
	protos = results(r, 1);
	free(r);
	n = acct_result_item_count(acct_response_result(protos, 0), ACCT_ITEM_PROTO);
	ck_assert_uint_eq(n, 33);
	for (size_t i = 0; i < n; i++) {
		const char *v = NULL;
		char req[160];
		acct_response *resp;
		ck_assert_ok(acct_result_item(&v, NULL, acct_response_result(protos, 0), ACCT_ITEM_PROTO, i));
		snprintf(req, sizeof req, "<packet version=\"%s\"><server><get_protos/></server></packet>", v);
		r = as_admin(&sd, req);
		assert_reply_version(r, v);
		resp = results(r, 1);
		assert_result(resp, 0, 0, NULL);
		acct_response_free(resp);
		free(r);
	}
	acct_response_free(protos);
	seed_close(&sd);
}
END_TEST

static void assert_gated(seed *sd, const char *version, const char *body, int code)
{
	char req[1024], *r;
	acct_response *resp;

	snprintf(req, sizeof req, "<packet version=\"%s\">%s</packet>", version, body);
	r = as_admin(sd, req);
	assert_reply_version(r, version);
	resp = results(r, 1);
	assert_result(resp, 0, code, code == 1017 ? version : NULL);
	if (code == 1017)
		ck_assert_msg(strstr(acct_result_errtext(acct_response_result(resp, 0)), "not part of protocol version") !=
		              NULL, "%s", acct_result_errtext(acct_response_result(resp, 0)));
	acct_response_free(resp);
	free(r);
}

START_TEST(version_gating)
{
	static const char client_get[] = "<client><get><filter><id>4</id></filter></get></client>";
	static const char user_get[] = "<user><get><filter><all/></filter></get></user>";
	static const char key_info[] = "<secret_key><get_info><filter/></get_info></secret_key>";
	static const char customer_get[] = "<customer><get><filter><id>4</id></filter></get></customer>";
	static const char reseller_get[] = "<reseller><get><filter><id>2</id></filter></get></reseller>";
	seed sd;

	seed_open(&sd, 1);
	/* client: before 1.6.3.0 only */
	assert_gated(&sd, "1.6.9.1", client_get, 1017);
	assert_gated(&sd, "1.6.3.0", client_get, 1017);
	assert_gated(&sd, "1.6.0.2", client_get, 0);
	assert_gated(&sd, "1.0.0.0", client_get, 0);
	/* customer and reseller: from 1.6.3.0 */
	assert_gated(&sd, "1.6.0.2", customer_get, 1017);
	assert_gated(&sd, "1.6.0.2", reseller_get, 1017);
	assert_gated(&sd, "1.6.3.0", customer_get, 0);
	assert_gated(&sd, "1.6.3.0", reseller_get, 0);
	/* user: 1.6.3.0 to 1.6.9.0 */
	assert_gated(&sd, "1.6.9.1", user_get, 1017);
	assert_gated(&sd, "1.6.9.0", user_get, 0);
	assert_gated(&sd, "1.6.3.0", user_get, 0);
	assert_gated(&sd, "1.6.0.2", user_get, 1017);
	/* secret_key: from 1.6.6.0 */
	assert_gated(&sd, "1.6.5.0", key_info, 1017);
	assert_gated(&sd, "1.6.6.0", key_info, 0);
	assert_gated(&sd, "1.6.9.1", key_info, 0);
	seed_close(&sd);
}
END_TEST

/* A gated operation is not carried out, even when it is well-formed. */
START_TEST(version_gated_does_nothing)
{
	acct_account *a = NULL;
	char *r;
	seed sd;

	seed_open(&sd, 1);
	r = as_admin(&sd, "<packet version=\"1.6.9.1\"><client><del><filter><id>4</id></filter></del></client></packet>");
	acct_response_free(results(r, 1));
	free(r);
	ck_assert_ok(acct_account_lookup(&a, sd.admin, sd.cust1));
	acct_account_free(a);
	seed_close(&sd);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Parser errors: 1014 with the element and its line                         */
/* ------------------------------------------------------------------------ */

START_TEST(parse_errors_name_the_line)
{
	static const struct {
		const char *req, *needle1, *needle2;
	} cases[] = {
		{ "<packet>\n<customer>\n<get><filter/></get>\n</customer>\n<domain>\n<get/>\n</domain>\n</packet>",
		  "Error in line 5", "'domain'" },
		{ "<packet>\n<customer>\n<list/>\n</customer>\n</packet>", "Error in line 3", "'list'" },
		{ "<packet>\n<customer>\n<get>\n<filter>\n<id>4</id>\n<nickname>x</nickname>\n</filter>\n</get>\n</customer>\n</packet>",
		  "Error in line 6", "'nickname'" },
		{ "<packet>\n<customer>\n<get>\n<dataset><gen_info/></dataset>\n<filter/>\n</get>\n</customer>\n</packet>",
		  "Error in line 4", "Expected is ( filter )" },
		{ "<packet>\n<customer>\n<add>\n<gen_info>\n<login>x</login>\n<pname>X</pname>\n</gen_info>\n</add>\n</customer>\n</packet>",
		  "Error in line 6", "'pname'" },
		{ "<packet>\n<reseller>\n<add>\n<gen_info><pname>X</pname></gen_info>\n</add>\n</reseller>\n</packet>",
		  "Error in line 4", "gen-info" },
		{ "<packet>\n<customer>\n<get><filter></get>\n</customer>\n</packet>", "Error in line 3", NULL },
		{ "<packet>\n<customer>\n<get>\n<filter><owner-id>abc</owner-id></filter>\n</get>\n</customer>\n</packet>",
		  "Error in line 4", "'abc'" },
		{ "<packet>\n\n<customer><add><gen_info><pname>X</pname><login>x</login><passwd>Secret-pass1</passwd>"
		  "<status>active</status></gen_info></add></customer></packet>",
		  "Error in line 3", "'active'" },
	};
	seed sd;

	seed_open(&sd, 1);
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char *r = as_admin(&sd, cases[i].req);
		assert_system(r, 1014, cases[i].needle1);
		if (cases[i].needle2 != NULL)
			assert_system(r, 1014, cases[i].needle2);
		assert_reply_version(r, "1.6.9.1");
		free(r);
	}
	/* the error reply carries the version the request asked for */
	{
		char *r = as_admin(&sd, "<packet version=\"1.6.3.0\">\n<bogus/>\n</packet>");
		assert_system(r, 1014, "Error in line 2: Element 'bogus'");
		assert_reply_version(r, "1.6.3.0");
		free(r);
	}
	seed_close(&sd);
}
END_TEST

/* A packet with a parser error runs none of its operations, not even the valid ones before it. */
START_TEST(parse_error_runs_nothing)
{
	acct_account *a = NULL;
	char *r;
	seed sd;

	seed_open(&sd, 1);
	r = as_admin(&sd, "<packet><customer><del><filter><id>4</id></filter></del></customer><bogus/></packet>");
	assert_system(r, 1014, "'bogus'");
	free(r);
	ck_assert_ok(acct_account_lookup(&a, sd.admin, sd.cust1));
	acct_account_free(a);
	seed_close(&sd);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Several operators and operations in one packet                           */
/* ------------------------------------------------------------------------ */

START_TEST(multi_in_order)
{
	acct_response *resp;
	acct_account *a = NULL;
	char *r;
	seed sd;

	seed_open(&sd, 1);
	r = as_admin(&sd,
	             "<packet>"
	             "<customer><get><filter><id>4</id></filter></get>"
	             "<add><gen_info><pname>Dup</pname><login>cust1</login><passwd>Dup-pass-1</passwd></gen_info></add>"
	             "<add><gen_info><pname>New</pname><login>newone</login><passwd>New-pass-1</passwd></gen_info></add></customer>"
	             "<reseller><del><filter><login>nobody</login></filter></del></reseller>"
	             "<server><get_protos/></server>"
	             "<customer><del><filter><login>newone</login></filter></del></customer>"
	             "</packet>");
	resp = results(r, 6);
	{
		static const int ops[] = { ACCT_OP_CUSTOMER_GET, ACCT_OP_CUSTOMER_ADD, ACCT_OP_CUSTOMER_ADD,
			                   ACCT_OP_RESELLER_DEL, ACCT_OP_SERVER_GET_PROTOS, ACCT_OP_CUSTOMER_DEL };
		for (size_t i = 0; i < N_ELEMS(ops); i++) {
			const acct_result *res = acct_response_result(resp, i);
			ck_assert_int_eq(acct_result_op(res), ops[i]);
			ck_assert_uint_eq(acct_result_operation(res), i);
		}
	}
	assert_result(resp, 0, 0, NULL);
	assert_result(resp, 1, 1007, "cust1");
	assert_result(resp, 2, 0, NULL); /* the failed add did not stop this one */
	assert_result(resp, 3, 1013, "nobody");
	assert_result(resp, 4, 0, NULL);
	assert_result(resp, 5, 0, NULL); /* and the account added two operations earlier is there to delete */
	ck_assert_int_eq(acct_result_id(acct_response_result(resp, 2)), acct_result_id(acct_response_result(resp, 5)));
	acct_response_free(resp);
	free(r);
	/* the reply repeats the operator elements as the request had them: customer, reseller, server, customer */
	r = as_admin(&sd, "<packet><customer><get><filter><id>4</id></filter></get></customer>"
	                  "<customer><get><filter><id>5</id></filter></get></customer></packet>");
	{
		char *c = canonical(r, 1);
		ck_assert_msg(strstr(c, "</get></customer><customer><get>") != NULL, "operators merged: %s", c);
		free(c);
	}
	free(r);
	ck_assert_rc(acct_account_lookup_login(&a, sd.admin, "newone"), ACCT_ENOTFOUND);
	seed_close(&sd);
}
END_TEST

START_TEST(multi_operation_limit)
{
	acct_agent_options ao = ACCT_AGENT_OPTIONS_INIT;
	test_bytes req = TEST_BYTES_INIT;
	acct_response *resp;
	char *r;
	seed sd;

	seed_open(&sd, 1);
	test_bytes_printf(&req, "<packet><server>");
	for (int i = 0; i < 501; i++)
		test_bytes_printf(&req, "<get_protos/>");
	test_bytes_printf(&req, "</server></packet>");
	test_bytes_append(&req, "", 1);
	r = as_admin(&sd, (const char *)req.data);
	assert_system(r, 1014, "more than 500 operations");
	free(r);
	/* the host may lower it */
	ao.max_operations = 2;
	ck_assert_ok(acct_agent_configure(sd.ctx, &ao));
	r = as_admin(&sd, "<packet><server><get_protos/><get_protos/><get_protos/></server></packet>");
	assert_system(r, 1014, "more than 2 operations");
	free(r);
	r = as_admin(&sd, "<packet><server><get_protos/><get_protos/></server></packet>");
	resp = results(r, 2);
	acct_response_free(resp);
	free(r);
	test_bytes_free(&req);
	seed_close(&sd);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Filters                                                                  */
/* ------------------------------------------------------------------------ */

typedef struct want_result {
	int code;          /* 0: ok */
	const char *filter_id;
	acct_id id;        /* 0: no id */
} want_result;

static void assert_results(const char *reply, const want_result *want, size_t n)
{
	acct_response *resp = results(reply, n);

	for (size_t i = 0; i < n; i++) {
		const acct_result *res = acct_response_result(resp, i);
		assert_result(resp, i, want[i].code, NULL);
		if (want[i].filter_id == NULL)
			ck_assert_msg(acct_result_filter_id(res) == NULL, "result %zu has filter-id %s", i,
			              acct_result_filter_id(res));
		else
			ck_assert_msg(acct_result_filter_id(res) != NULL &&
			                  strcmp(acct_result_filter_id(res), want[i].filter_id) == 0,
			              "result %zu: filter-id %s, expected %s", i,
			              acct_result_filter_id(res) ? acct_result_filter_id(res) : "(none)", want[i].filter_id);
		ck_assert_msg(acct_result_id(res) == want[i].id, "result %zu: id %" PRId64 ", expected %" PRId64, i,
		              acct_result_id(res), want[i].id);
	}
	acct_response_free(resp);
}

#define CUSTOMER_GET(filter) "<packet><customer><get><filter>" filter "</filter></get></customer></packet>"

START_TEST(filters_every_kind)
{
	char *r;
	seed sd;

	seed_open(&sd, 1);
	{
		/* several values: several results, in request order, filter-id echoing each */
		static const want_result w[] = { { 0, "6", 6 }, { 1013, "99", 0 }, { 0, "4", 4 }, { 1013, "2", 0 } };
		r = as_admin(&sd, CUSTOMER_GET("<id>6</id><id>99</id><id>4</id><id>2</id>"));
		assert_results(r, w, N_ELEMS(w));
		free(r);
	}
	{
		static const want_result w[] = { { 0, "cust2", 5 }, { 0, "cust1", 4 } };
		r = as_admin(&sd, CUSTOMER_GET("<login>cust2</login><login>cust1</login>"));
		assert_results(r, w, N_ELEMS(w));
		free(r);
	}
	{
		static const want_result w[] = { { 0, GUID_CUST1, 4 } };
		r = as_admin(&sd, CUSTOMER_GET("<guid>" GUID_CUST1 "</guid>"));
		assert_results(r, w, N_ELEMS(w));
		free(r);
	}
	{
		/* owner filters: every child, then an empty match (one ok result, no id, no data) */
		static const want_result w[] = { { 0, "2", 5 }, { 0, "2", 6 }, { 0, "3", 0 } };
		r = as_admin(&sd, CUSTOMER_GET("<owner-id>2</owner-id><owner-id>3</owner-id>"));
		assert_results(r, w, N_ELEMS(w));
		ck_assert_msg(strstr(r, "<data") == NULL, "an empty match carries data: %s", r);
		free(r);
	}
	{
		static const want_result w[] = { { 0, "res1", 5 }, { 0, "res1", 6 }, { 1013, "nobody", 0 } };
		r = as_admin(&sd, CUSTOMER_GET("<owner-login>res1</owner-login><owner-login>nobody</owner-login>"));
		assert_results(r, w, N_ELEMS(w));
		free(r);
	}
	{
		static const want_result w[] = { { 0, "ext-cust2", 5 }, { 1013, "ext-nope", 0 } };
		r = as_admin(&sd, CUSTOMER_GET("<external-id>ext-cust2</external-id><external-id>ext-nope</external-id>"));
		assert_results(r, w, N_ELEMS(w));
		free(r);
	}
	{
		/* empty filter: everything the caller sees, no filter-id */
		static const want_result w[] = { { 0, NULL, 5 }, { 0, NULL, 6 }, { 0, NULL, 4 }, { 0, NULL, 7 } };
		r = as_admin(&sd, "<packet><customer><get><filter/></get></customer></packet>");
		assert_results(r, w, N_ELEMS(w));
		free(r);
	}
	{
		static const want_result w[] = { { 0, NULL, 2 }, { 0, NULL, 3 } };
		r = as_admin(&sd, "<packet><reseller><get><filter><all/></filter></get></reseller></packet>");
		assert_results(r, w, N_ELEMS(w));
		free(r);
	}
	{
		/* an empty match over everything: a single ok result, nothing else */
		static const want_result w[] = { { 0, NULL, 0 } };
		r = as_login(&sd, "res1", "<packet><user><get><filter><all/></filter><dataset><gen-info/></dataset>"
		                          "</get></user></packet>");
		assert_results(r, w, N_ELEMS(w));
		ck_assert_msg(strstr(r, "<data") == NULL, "an empty match carries data: %s", r);
		free(r);
	}
	{
		/* the reseller sees its own customers; others are "not found" */
		static const want_result w[] = { { 1013, "4", 0 }, { 0, "5", 5 } };
		r = as_login(&sd, "res1", CUSTOMER_GET("<id>4</id><id>5</id>"));
		assert_results(r, w, N_ELEMS(w));
		free(r);
	}
	{
		/* filter-id echoes the value exactly as given */
		static const want_result w[] = { { 0, "CUST1", 4 } };
		r = as_admin(&sd, CUSTOMER_GET("<login>CUST1</login>"));
		assert_results(r, w, N_ELEMS(w));
		free(r);
	}
	/* one kind per filter */
	r = as_admin(&sd, CUSTOMER_GET("<id>4</id><login>cust1</login>"));
	assert_system(r, 1014, "one kind");
	free(r);
	/* a kind the operator does not have */
	r = as_admin(&sd, "<packet><reseller><get><filter><owner-id>1</owner-id></filter></get></reseller></packet>");
	assert_system(r, 1014, "'owner-id'");
	free(r);
	seed_close(&sd);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Legacy client encodings                                                  */
/* ------------------------------------------------------------------------ */

START_TEST(legacy_limits_permissions)
{
	acct_agent_options ao = ACCT_AGENT_OPTIONS_INIT;
	int64_t v = 0;
	int granted = 0;
	char *r;
	seed sd;

	seed_open(&sd, 1);
	ck_assert_ok(acct_agent_configure(sd.ctx, &ao)); /* compact replies */
	/* below 1.5: one element per name, in requests and replies */
	r = as_admin(&sd, "<packet version=\"1.4.2.0\"><client><set><filter><id>4</id></filter><values>"
	                  "<limits><max_dom>7</max_dom></limits><permissions><manage_dns>true</manage_dns></permissions>"
	                  "</values></set></client></packet>");
	acct_response_free(results(r, 1));
	free(r);
	ck_assert_ok(acct_limit_get(&v, NULL, sd.admin, sd.cust1, "max_dom"));
	ck_assert_int_eq(v, 7);
	ck_assert_ok(acct_perm_get(&granted, sd.admin, sd.cust1, "manage_dns"));
	ck_assert_int_eq(granted, 1);
	r = as_admin(&sd, "<packet version=\"1.4.2.0\"><client><get><filter><id>4</id></filter><dataset>"
	                  "<permissions/><limits/></dataset></get></client></packet>");
	ck_assert_msg(strstr(r, "<limits><max_dom>7</max_dom>") != NULL, "%s", r);
	ck_assert_msg(strstr(r, "<manage_dns>true</manage_dns>") != NULL, "%s", r);
	ck_assert_msg(strstr(r, "<limit>") == NULL && strstr(r, "<permission>") == NULL, "%s", r);
	free(r);

	/* from 1.5: name/value pairs */
	r = as_admin(&sd, "<packet version=\"1.5.0.0\"><client><set><filter><id>4</id></filter><values>"
	                  "<limits><limit><name>max_dom</name><value>8</value></limit></limits>"
	                  "<permissions><permission><name>manage_dns</name><value>false</value></permission></permissions>"
	                  "</values></set></client></packet>");
	acct_response_free(results(r, 1));
	free(r);
	ck_assert_ok(acct_limit_get(&v, NULL, sd.admin, sd.cust1, "max_dom"));
	ck_assert_int_eq(v, 8);
	ck_assert_ok(acct_perm_get(&granted, sd.admin, sd.cust1, "manage_dns"));
	ck_assert_int_eq(granted, 0);
	r = as_admin(&sd, "<packet version=\"1.5.0.0\"><client><get><filter><id>4</id></filter><dataset>"
	                  "<permissions/><limits/></dataset></get></client></packet>");
	ck_assert_msg(strstr(r, "<limit><name>max_dom</name><value>8</value></limit>") != NULL, "%s", r);
	ck_assert_msg(strstr(r, "<permission><name>manage_dns</name><value>false</value></permission>") != NULL, "%s", r);
	ck_assert_msg(strstr(r, "<max_dom>") == NULL, "%s", r);
	free(r);

	/* the element-per-name form is the legacy client's only: resellers refuse it */
	r = as_admin(&sd, "<packet><reseller><set><filter><id>2</id></filter><values>"
	                  "<limits><max_dom>7</max_dom></limits></values></set></reseller></packet>");
	assert_system(r, 1014, "'max_dom'");
	free(r);
	/* values are checked in both forms: a limit that is not a number, a
	 * permission that is not a boolean (never taken for "false") */
	r = as_admin(&sd, "<packet version=\"1.4.2.0\"><client><set><filter><id>4</id></filter><values>"
	                  "<limits><max_dom>many</max_dom></limits></values></set></client></packet>");
	assert_system(r, 1014, "Element 'max_dom': 'many' is not a valid value of the atomic type 'long'");
	free(r);
	ck_assert_ok(acct_perm_grant(sd.admin, sd.cust1, "manage_dns", 1));
	r = as_admin(&sd, "<packet version=\"1.4.2.0\"><client><set><filter><id>4</id></filter><values>"
	                  "<permissions><manage_dns>maybe</manage_dns></permissions></values></set></client></packet>");
	assert_system(r, 1014, "Element 'manage_dns': 'maybe' is not a valid value of the atomic type 'xs:boolean'");
	free(r);
	ck_assert_ok(acct_perm_get(&granted, sd.admin, sd.cust1, "manage_dns"));
	ck_assert_int_eq(granted, 1);
	r = as_admin(&sd, "<packet version=\"1.5.0.0\"><client><set><filter><id>4</id></filter><values>"
	                  "<permissions><permission><name>manage_dns</name><value>yes</value></permission></permissions>"
	                  "</values></set></client></packet>");
	assert_system(r, 1014, "'yes' is not a valid value of the atomic type 'xs:boolean'");
	free(r);
	seed_close(&sd);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* User status style                                                        */
/* ------------------------------------------------------------------------ */

static void set_user_status(seed *sd, const char *value, unsigned int want_effective, const char *want_out)
{
	char req[512], *r;
	unsigned int st = 99;

	snprintf(req, sizeof req, "<packet><user><set><filter><guid>" GUID_USER1 "</guid></filter><values><gen-info>"
	                          "<status>%s</status></gen-info></values></set></user></packet>", value);
	r = as_admin(sd, req);
	{
		acct_response *resp = results(r, 1);
		assert_result(resp, 0, 0, NULL);
		acct_response_free(resp);
	}
	free(r);
	ck_assert_ok(acct_account_effective_status(&st, sd->admin, sd->user1));
	ck_assert_msg((st != 0) == (want_effective != 0), "status '%s': effective status %u", value, st);
	r = as_admin(sd, "<packet><user><get><filter><guid>" GUID_USER1 "</guid></filter><dataset><gen-info/>"
	                 "</dataset></get></user></packet>");
	{
		acct_response *resp = results(r, 1);
		ck_assert_str_eq(acct_result_get(acct_response_result(resp, 0), ACCT_PFIELD_STATUS), want_out);
		acct_response_free(resp);
	}
	free(r);
}

START_TEST(user_status_style)
{
	char *r;
	seed sd;

	seed_open(&sd, 1);
	set_user_status(&sd, "0", 1, "disabled");
	set_user_status(&sd, "1", 0, "enabled");
	set_user_status(&sd, "disabled", 1, "disabled");
	set_user_status(&sd, "enabled", 0, "enabled");
	set_user_status(&sd, " disabled ", 1, "disabled");
	set_user_status(&sd, "1", 0, "enabled");
	r = as_admin(&sd, "<packet><user><set><filter><guid>" GUID_USER1 "</guid></filter><values><gen-info>"
	                  "<status>16</status></gen-info></values></set></user></packet>");
	assert_system(r, 1014, "'16'");
	free(r);
	/* adding a user with status 0 adds it disabled */
	r = as_admin(&sd, "<packet><user><add><gen-info><login>u0</login><passwd>U0-pass-1</passwd><owner-guid>" GUID_CUST1
	                  "</owner-guid><name>U0</name><status>0</status></gen-info></add></user></packet>");
	{
		acct_response *resp = results(r, 1);
		unsigned int st = 0;
		assert_result(resp, 0, 0, NULL);
		ck_assert_ok(acct_account_effective_status(&st, sd.admin, acct_result_id(acct_response_result(resp, 0))));
		ck_assert_uint_ne(st, 0);
		acct_response_free(resp);
	}
	free(r);
	/* customers keep Plesk's numbers: 16 in, 16 out; never "enabled" */
	r = as_admin(&sd, "<packet><customer><set><filter><id>4</id></filter><values><gen_info><status>16</status>"
	                  "</gen_info></values></set><get><filter><id>4</id></filter><dataset><gen_info/></dataset></get>"
	                  "</customer></packet>");
	{
		acct_response *resp = results(r, 2);
		ck_assert_str_eq(acct_result_get(acct_response_result(resp, 1), ACCT_PFIELD_STATUS), "16");
		acct_response_free(resp);
	}
	free(r);
	r = as_admin(&sd, "<packet><customer><set><filter><id>4</id></filter><values><gen_info><status>enabled</status>"
	                  "</gen_info></values></set></customer></packet>");
	assert_system(r, 1014, "'enabled'");
	free(r);
	seed_close(&sd);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Secret keys and login sessions: state fixtures cannot name               */
/* ------------------------------------------------------------------------ */

START_TEST(secret_key_by_secret)
{
	acct_response *resp;
	char req[512], key[64], *r;
	seed sd;

	seed_open(&sd, 1);
	r = as_admin(&sd, "<packet><secret_key><create><ip_address>192.0.2.70</ip_address><description>mine</description>"
	                  "</create></secret_key></packet>");
	resp = results(r, 1);
	ck_assert_ptr_nonnull(acct_result_get(acct_response_result(resp, 0), ACCT_PFIELD_KEY));
	snprintf(key, sizeof key, "%s", acct_result_get(acct_response_result(resp, 0), ACCT_PFIELD_KEY));
	ck_assert_uint_eq(strlen(key), 36);
	acct_response_free(resp);
	free(r);
	/* get_info by the secret itself: echoed as given, with its address and description */
	snprintf(req, sizeof req, "<packet><secret_key><get_info><filter><key>%s</key></filter></get_info>"
	                          "</secret_key></packet>", key);
	r = as_admin(&sd, req);
	resp = results(r, 1);
	{
		const acct_result *res = acct_response_result(resp, 0);
		const char *k = NULL, *ip = NULL;
		ck_assert_uint_eq(acct_result_item_count(res, ACCT_ITEM_KEY_INFO), 1);
		ck_assert_ok(acct_result_item(&k, &ip, res, ACCT_ITEM_KEY_INFO, 0));
		ck_assert_str_eq(k, key);
		ck_assert_str_eq(ip, "192.0.2.70");
		ck_assert_str_eq(acct_result_item_get(res, ACCT_ITEM_KEY_INFO, 0, "description"), "mine");
		ck_assert_str_eq(acct_result_item_get(res, ACCT_ITEM_KEY_INFO, 0, "login"), "admin");
	}
	acct_response_free(resp);
	free(r);
	/* the secret never appears in a listing */
	r = as_admin(&sd, "<packet><secret_key><get_info><filter/></get_info></secret_key></packet>");
	ck_assert_msg(strstr(r, key) == NULL && strstr(r, sd.key) == NULL, "a listing shows a secret: %s", r);
	free(r);
	/* the key works from its address */
	{
		acct_credentials c;
		ck_assert_ok(acct_credentials_init(&c, ACCT_CREDENTIALS_VERSION));
		c.kind = ACCT_CRED_KEY;
		c.secret_key = key;
		c.client_ip = "192.0.2.70";
		r = handle(&sd, &c, protos_req);
		acct_response_free(results(r, 1));
		free(r);
	}
	/* delete by the secret; then it is gone (1013, as the PHP client's test expects) */
	snprintf(req, sizeof req, "<packet><secret_key><delete><filter><key>%s</key></filter></delete>"
	                          "<get_info><filter><key>%s</key></filter></get_info></secret_key></packet>", key, key);
	r = as_admin(&sd, req);
	resp = results(r, 2);
	assert_result(resp, 0, 0, NULL);
	ck_assert_str_eq(acct_result_get(acct_response_result(resp, 0), ACCT_PFIELD_KEY), key);
	assert_result(resp, 1, 1013, NULL);
	acct_response_free(resp);
	free(r);
	seed_close(&sd);
}
END_TEST

START_TEST(login_sessions)
{
	acct_response *resp;
	char req[512], id[40], *r;
	seed sd;

	seed_open(&sd, 1);
	/* without <data>, the session records the request's client address */
	r = as_admin(&sd, "<packet><server><create_session><login>res1</login></create_session></server></packet>");
	resp = results(r, 1);
	assert_result(resp, 0, 0, NULL);
	ck_assert_ptr_nonnull(acct_result_get(acct_response_result(resp, 0), ACCT_PFIELD_SESSION_ID));
	snprintf(id, sizeof id, "%s", acct_result_get(acct_response_result(resp, 0), ACCT_PFIELD_SESSION_ID));
	ck_assert_uint_eq(strlen(id), 32);
	acct_response_free(resp);
	free(r);
	r = as_admin(&sd, "<packet><session><get/></session></packet>");
	resp = results(r, 1);
	{
		const acct_result *res = acct_response_result(resp, 0);
		const char *sid = NULL, *login = NULL;
		ck_assert_uint_eq(acct_result_item_count(res, ACCT_ITEM_SESSION), 1);
		ck_assert_ok(acct_result_item(&sid, &login, res, ACCT_ITEM_SESSION, 0));
		ck_assert_str_eq(sid, id);
		ck_assert_str_eq(login, "res1");
		ck_assert_str_eq(acct_result_item_get(res, ACCT_ITEM_SESSION, 0, "ip-address"), CLIENT_IP);
		ck_assert_str_eq(acct_result_item_get(res, ACCT_ITEM_SESSION, 0, "login-time"), "2024-03-05T12:00:00Z");
	}
	acct_response_free(resp);
	free(r);
	/* idle time follows the clock */
	seed_clock.now += 90;
	r = as_admin(&sd, "<packet><session><get/></session></packet>");
	resp = results(r, 1);
	ck_assert_str_eq(acct_result_item_get(acct_response_result(resp, 0), ACCT_ITEM_SESSION, 0, "idle"), "90");
	acct_response_free(resp);
	free(r);
	/* a customer of another reseller cannot see or end it */
	snprintf(req, sizeof req, "<packet><session><get/><terminate><session-id>%s</session-id></terminate></session>"
	                          "</packet>", id);
	r = as_login(&sd, "cust2", req);
	resp = results(r, 2);
	assert_result(resp, 0, 0, NULL);
	ck_assert_uint_eq(acct_result_item_count(acct_response_result(resp, 0), ACCT_ITEM_SESSION), 0);
	assert_result(resp, 1, 1013, NULL);
	acct_response_free(resp);
	free(r);
	/* the admin ends it */
	r = as_admin(&sd, req);
	resp = results(r, 2);
	assert_result(resp, 1, 0, NULL);
	acct_response_free(resp);
	free(r);
	r = as_admin(&sd, "<packet><session><get/></session></packet>");
	resp = results(r, 1);
	ck_assert_uint_eq(acct_result_item_count(acct_response_result(resp, 0), ACCT_ITEM_SESSION), 0);
	acct_response_free(resp);
	free(r);
	seed_close(&sd);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Hostile inputs                                                           */
/* ------------------------------------------------------------------------ */

typedef struct hostile_case {
	const char *what;
	int system;        /* 1: a <system> error; 0: a per-result error */
	int code;
	const char *needle;
} hostile_case;

/*
 * Send `len` bytes as the admin; assert the error, a message, and that the
 * agent stayed within bounds: a few seconds, and at most 8 MiB of libacct's
 * own memory and 32 MiB more resident memory than before the call.
 */
static void assert_hostile(seed *sd, const hostile_case *hc, const char *xml, size_t len)
{
	const double limit = under_valgrind() ? 120.0 : 5.0;
	acct_credentials c;
	long rss_before = max_rss_kib(), rss_after;
	size_t base;
	double t0, t1;
	char *r;

	cred_password(&c, TEST_ADMIN_LOGIN, TEST_ADMIN_PASSWORD);
	base = __atomic_load_n(&mem.current, __ATOMIC_RELAXED);
	__atomic_store_n(&mem.peak, base, __ATOMIC_RELAXED);
	t0 = now_seconds();
	r = handle_n(sd, &c, xml, len);
	t1 = now_seconds();
	rss_after = max_rss_kib();
	ck_assert_msg(t1 - t0 < limit, "%s: %.2f s", hc->what, t1 - t0);
	ck_assert_msg(mem.peak - base < (size_t)8 << 20, "%s: libacct used %zu bytes", hc->what, mem.peak - base);
	if (!under_valgrind())
		ck_assert_msg(rss_after - rss_before < 32 * 1024, "%s: resident memory grew by %ld KiB", hc->what,
		              rss_after - rss_before);
	if (hc->system) {
		assert_system(r, hc->code, hc->needle);
	} else {
		acct_response *resp = results(r, 1);
		assert_result(resp, 0, hc->code, hc->needle);
		acct_response_free(resp);
	}
	free(r);
}

static void assert_hostile_str(seed *sd, const hostile_case *hc, const char *xml)
{
	assert_hostile(sd, hc, xml, strlen(xml));
}

START_TEST(hostile_xxe)
{
	static const hostile_case hc[] = {
		{ "external entity", 1, 1014, "DOCTYPE" },
		{ "external DTD", 1, 1014, "DOCTYPE" },
		{ "parameter entity", 1, 1014, "DOCTYPE" },
		{ "undeclared entity", 1, 1014, "lol" },
	};
	seed sd;

	seed_open(&sd, 1);
	assert_hostile_str(&sd, &hc[0],
	                   "<?xml version=\"1.0\"?>\n<!DOCTYPE packet [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
	                   "<packet><customer><get><filter><login>&xxe;</login></filter></get></customer></packet>");
	assert_hostile_str(&sd, &hc[1],
	                   "<?xml version=\"1.0\"?>\n<!DOCTYPE packet SYSTEM \"http://192.0.2.1/evil.dtd\">\n"
	                   "<packet><server><get_protos/></server></packet>");
	assert_hostile_str(&sd, &hc[2],
	                   "<!DOCTYPE packet [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]>"
	                   "<packet><server><get_protos/></server></packet>");
	assert_hostile_str(&sd, &hc[3], "<packet><customer><get><filter><login>&lol;</login></filter></get></customer></packet>");
	seed_close(&sd);
}
END_TEST

START_TEST(hostile_billion_laughs)
{
	static const hostile_case hc = { "billion laughs", 1, 1014, "DOCTYPE" };
	test_bytes req = TEST_BYTES_INIT;
	seed sd;

	seed_open(&sd, 1);
	test_bytes_printf(&req, "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol0 \"lol\">\n");
	for (int i = 1; i <= 9; i++) {
		test_bytes_printf(&req, "<!ENTITY lol%d \"", i);
		for (int j = 0; j < 10; j++)
			test_bytes_printf(&req, "&lol%d;", i - 1);
		test_bytes_printf(&req, "\">\n");
	}
	test_bytes_printf(&req, "]>\n<packet><customer><get><filter><login>&lol9;</login></filter></get></customer></packet>");
	assert_hostile(&sd, &hc, (const char *)req.data, req.len);
	/* the quadratic blow-up: one large entity referenced many times */
	test_bytes_free(&req);
	test_bytes_printf(&req, "<!DOCTYPE packet [<!ENTITY a \"");
	for (int i = 0; i < 50000; i++)
		test_bytes_printf(&req, "a");
	test_bytes_printf(&req, "\">]><packet><customer><get><filter><login>");
	for (int i = 0; i < 10000; i++)
		test_bytes_printf(&req, "&a;");
	test_bytes_printf(&req, "</login></filter></get></customer></packet>");
	assert_hostile(&sd, &hc, (const char *)req.data, req.len);
	test_bytes_free(&req);
	seed_close(&sd);
}
END_TEST

START_TEST(hostile_deep_nesting)
{
	static const hostile_case deep = { "100,000 levels", 1, 1014, "line 1" };
	static const hostile_case agent_cap = { "33 levels", 1, 1014, "nested deeper than 32 levels" };
	acct_agent_options ao = ACCT_AGENT_OPTIONS_INIT;
	test_bytes req = TEST_BYTES_INIT;
	seed sd;

	seed_open(&sd, 1);
	test_bytes_printf(&req, "<packet>");
	for (int i = 0; i < 100000; i++)
		test_bytes_append(&req, "<a>", 3);
	for (int i = 0; i < 100000; i++)
		test_bytes_append(&req, "</a>", 4);
	test_bytes_printf(&req, "</packet>");
	ck_assert_uint_lt(req.len, 1u << 20); /* under the size limit: the depth is what stops it */
	assert_hostile(&sd, &deep, (const char *)req.data, req.len);
	test_bytes_free(&req);

	/* libxml2 stops at 256; the agent's own cap (32 by default) is lower */
	test_bytes_printf(&req, "<packet><customer><get><filter><login>");
	for (int i = 0; i < 29; i++)
		test_bytes_append(&req, "<b>", 3);
	for (int i = 0; i < 29; i++)
		test_bytes_append(&req, "</b>", 4);
	test_bytes_printf(&req, "</login></filter></get></customer></packet>");
	assert_hostile(&sd, &agent_cap, (const char *)req.data, req.len);
	/* and the host may set it */
	ao.max_depth = 300;
	ck_assert_rc(acct_agent_configure(sd.ctx, &ao), ACCT_EINVALID);
	ao.max_depth = 256;
	ck_assert_ok(acct_agent_configure(sd.ctx, &ao));
	{
		/* 34 levels now pass the depth check and fail as a schema error instead */
		char *r = as_admin(&sd, (const char *)req.data);
		assert_system(r, 1014, "Element 'login': Element content is not allowed");
		free(r);
	}
	test_bytes_free(&req);
	seed_close(&sd);
}
END_TEST

START_TEST(hostile_huge_packet)
{
	static const hostile_case hc = { "64 MiB", 1, 1014, "67108864 bytes, more than the limit of 1048576" };
	static const hostile_case small = { "1 MiB + 1", 1, 1014, "1048577 bytes" };
	const size_t size = (size_t)64 << 20;
	static const char head[] = "<packet><customer><get><filter><login>";
	char *big = malloc(size);
	seed sd;

	ck_assert_ptr_nonnull(big);
	seed_open(&sd, 1);
	memset(big, 'a', size);
	memcpy(big, head, sizeof head - 1);
	assert_hostile(&sd, &hc, big, size);
	assert_hostile(&sd, &small, big, (1u << 20) + 1);
	free(big);
	seed_close(&sd);
}
END_TEST

START_TEST(hostile_encoding)
{
	static const hostile_case utf8 = { "invalid UTF-8", 1, 1014, "UTF-8" };
	static const hostile_case nul = { "NUL byte", 1, 1014, "NUL byte at offset 43" };
	static const char bad_utf8[] = "<packet><customer><get><filter><login>caf\xc3\x28</login></filter></get></customer></packet>";
	static const char overlong[] = "<packet><customer><get><filter><login>\xc0\xafx</login></filter></get></customer></packet>";
	static const char surrogate[] = "<packet><customer><get><filter><login>\xed\xa0\x80</login></filter></get></customer></packet>";
	static const char nul_req[] = "<packet><customer><get><filter><login>cust1\0</login></filter></get></customer></packet>";
	static const char ctrl[] = "<packet><customer><get><filter><login>a\x01</login></filter></get></customer></packet>";
	static const char charref[] = "<packet><customer><get><filter><login>a&#0;</login></filter></get></customer></packet>";
	seed sd;

	seed_open(&sd, 1);
	assert_hostile_str(&sd, &utf8, bad_utf8);
	assert_hostile_str(&sd, &utf8, overlong);
	{
		static const hostile_case c = { "UTF-8 surrogate", 1, 1014, "0xD800" };
		assert_hostile_str(&sd, &c, surrogate);
	}
	assert_hostile(&sd, &nul, nul_req, sizeof nul_req - 1);
	{
		static const hostile_case c = { "control character", 1, 1014, NULL };
		assert_hostile_str(&sd, &c, ctrl);
		assert_hostile_str(&sd, &c, charref);
	}
	{
		/* a declared encoding is honoured: é in Latin-1 is a valid name (not found, 1013) */
		static const hostile_case nf = { "Latin-1 login", 0, 1013, "caf\xc3\xa9" };
		assert_hostile_str(&sd, &nf, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><packet><customer><get><filter>"
		                             "<login>caf\xe9</login></filter></get></customer></packet>");
	}
	seed_close(&sd);
}
END_TEST

START_TEST(hostile_numbers)
{
	static const struct {
		hostile_case hc;
		const char *req;
	} cases[] = {
		{ { "id 2^64", 1, 1014, "'18446744073709551616'" }, CUSTOMER_GET("<id>18446744073709551616</id>") },
		{ { "id 2^31", 1, 1014, "'2147483648'" }, CUSTOMER_GET("<id>2147483648</id>") },
		{ { "id 0", 1, 1014, "'0'" }, CUSTOMER_GET("<id>0</id>") },
		{ { "id -1", 1, 1014, "'-1'" }, CUSTOMER_GET("<id>-1</id>") },
		{ { "id hex", 1, 1014, "'0x10'" }, CUSTOMER_GET("<id>0x10</id>") },
		{ { "owner-id 2^40", 1, 1014, "'1099511627776'" }, CUSTOMER_GET("<owner-id>1099511627776</owner-id>") },
		{ { "status 2^40", 1, 1014, "'1099511627776'" },
		  "<packet><customer><set><filter><id>4</id></filter><values><gen_info><status>1099511627776</status>"
		  "</gen_info></values></set></customer></packet>" },
		{ { "status -16", 1, 1014, "'-16'" },
		  "<packet><customer><set><filter><id>4</id></filter><values><gen_info><status>-16</status>"
		  "</gen_info></values></set></customer></packet>" },
		{ { "limit 2^70", 1, 1014, "'1180591620717411303424'" },
		  "<packet><reseller><set><filter><id>2</id></filter><values><limits><limit><name>max_dom</name>"
		  "<value>1180591620717411303424</value></limit></limits></values></set></reseller></packet>" },
		{ { "limit -2", 0, 1019, NULL },
		  "<packet><reseller><set><filter><id>2</id></filter><values><limits><limit><name>max_dom</name>"
		  "<value>-2</value></limit></limits></values></set></reseller></packet>" },
		{ { "reseller-id 2^63", 1, 1014, "'9223372036854775808'" },
		  "<packet><reseller><ippool-add-ip><reseller-id>9223372036854775808</reseller-id><ip><ip-address>"
		  "192.0.2.12</ip-address></ip></ippool-add-ip></reseller></packet>" },
		{ { "client_id 2^32", 1, 1014, "'4294967296'" },
		  "<packet version=\"1.0.0.0\"><client><ippool_add_ip><client_id>4294967296</client_id>"
		  "<ip_address>192.0.2.10</ip_address></ippool_add_ip></client></packet>" },
		{ { "status 3", 0, 1025, NULL },
		  "<packet><customer><set><filter><id>4</id></filter><values><gen_info><status>3</status>"
		  "</gen_info></values></set></customer></packet>" },
	};
	seed sd;

	seed_open(&sd, 1);
	for (size_t i = 0; i < N_ELEMS(cases); i++)
		assert_hostile_str(&sd, &cases[i].hc, cases[i].req);
	seed_close(&sd);
}
END_TEST

START_TEST(hostile_overlong_strings)
{
	test_bytes req = TEST_BYTES_INIT;
	char name[200];
	seed sd;

	seed_open(&sd, 1);
	/* over the agent's text limit (64 KiB): a system error before anything runs */
	{
		static const hostile_case hc = { "100 KiB description", 1, 1014, "longer than 65536 bytes" };
		test_bytes_printf(&req, "<packet><customer><set><filter><id>4</id></filter><values><gen_info><description>");
		for (int i = 0; i < 100 * 1024; i++)
			test_bytes_append(&req, "d", 1);
		test_bytes_printf(&req, "</description></gen_info></values></set></customer></packet>");
		assert_hostile(&sd, &hc, (const char *)req.data, req.len);
		test_bytes_free(&req);
	}
	/* within the text limit but over a field's own: that result fails with 1019 and names the field */
	{
		static const hostile_case login = { "61-character login", 0, 1019, "login" };
		static const hostile_case pname = { "61-character pname", 0, 1019, "name" };
		static const hostile_case email = { "300-character email", 0, 1019, "mail" };
		static const hostile_case filter = { "60 KiB filter value", 0, 1013, NULL };
		memset(name, 'a', 61);
		name[61] = '\0';
		test_bytes_printf(&req, "<packet><customer><add><gen_info><pname>P</pname><login>%s</login>"
		                        "<passwd>Secret-pass1</passwd></gen_info></add></customer></packet>", name);
		test_bytes_append(&req, "", 1);
		assert_hostile_str(&sd, &login, (const char *)req.data);
		test_bytes_free(&req);
		test_bytes_printf(&req, "<packet><customer><add><gen_info><pname>%s</pname><login>okname</login>"
		                        "<passwd>Secret-pass1</passwd></gen_info></add></customer></packet>", name);
		test_bytes_append(&req, "", 1);
		assert_hostile_str(&sd, &pname, (const char *)req.data);
		test_bytes_free(&req);
		test_bytes_printf(&req, "<packet><customer><set><filter><id>4</id></filter><values><gen_info><email>");
		for (int i = 0; i < 300; i++)
			test_bytes_append(&req, "m", 1);
		test_bytes_printf(&req, "@example.com</email></gen_info></values></set></customer></packet>");
		test_bytes_append(&req, "", 1);
		assert_hostile_str(&sd, &email, (const char *)req.data);
		test_bytes_free(&req);
		test_bytes_printf(&req, "<packet><customer><get><filter><login>");
		for (int i = 0; i < 60 * 1024; i++)
			test_bytes_append(&req, "l", 1);
		test_bytes_printf(&req, "</login></filter></get></customer></packet>");
		test_bytes_append(&req, "", 1);
		assert_hostile_str(&sd, &filter, (const char *)req.data);
		test_bytes_free(&req);
	}
	/* a text value split by comments is still one text value */
	{
		static const hostile_case hc = { "split 80 KiB login", 1, 1014, "longer than 65536 bytes" };
		test_bytes_printf(&req, "<packet><customer><get><filter><login>");
		for (int i = 0; i < 40 * 1024; i++)
			test_bytes_append(&req, "a", 1);
		test_bytes_printf(&req, "<!-- -->");
		for (int i = 0; i < 40 * 1024; i++)
			test_bytes_append(&req, "a", 1);
		test_bytes_printf(&req, "</login></filter></get></customer></packet>");
		assert_hostile(&sd, &hc, (const char *)req.data, req.len);
		test_bytes_free(&req);
	}
	/* while indentation between elements is not a text value, however much there is */
	{
		acct_response *resp;
		char *r;
		test_bytes_printf(&req, "<packet><customer><get><filter>");
		for (int i = 0; i < 9000; i++)
			test_bytes_printf(&req, "\n          <id>4</id>");
		test_bytes_printf(&req, "\n</filter></get></customer></packet>");
		test_bytes_append(&req, "", 1);
		r = as_admin(&sd, (const char *)req.data);
		resp = results(r, 9000);
		ck_assert_int_eq(acct_result_id(acct_response_result(resp, 8999)), 4);
		acct_response_free(resp);
		free(r);
		test_bytes_free(&req);
	}
	/* many elements */
	{
		static const hostile_case hc = { "30,000 elements", 1, 1014, "more than 20000 elements" };
		test_bytes_printf(&req, "<packet><customer><get><filter>");
		for (int i = 0; i < 30000; i++)
			test_bytes_printf(&req, "<id>4</id>");
		test_bytes_printf(&req, "</filter></get></customer></packet>");
		assert_hostile(&sd, &hc, (const char *)req.data, req.len);
		test_bytes_free(&req);
	}
	seed_close(&sd);
}
END_TEST

START_TEST(hostile_odd_documents)
{
	static const struct {
		hostile_case hc;
		const char *req;
	} cases[] = {
		{ { "empty", 1, 1014, "empty" }, "" },
		{ { "text only", 1, 1014, NULL }, "hello" },
		{ { "two roots", 1, 1014, NULL }, "<packet><server><get_protos/></server></packet><packet/>" },
		{ { "processing instruction", 1, 1014, NULL }, "<?php system('id'); ?>" },
		{ { "namespaced root", 1, 1014, "'{urn:x}packet'" },
		  "<x:packet xmlns:x=\"urn:x\"><server><get_protos/></server></x:packet>" },
		{ { "default namespace", 1, 1014, "'{urn:x}packet'" }, "<packet xmlns=\"urn:x\"><server><get_protos/></server></packet>" },
		{ { "namespaced operator", 1, 1014, "'{urn:x}server'" },
		  "<packet xmlns:x=\"urn:x\"><x:server><get_protos/></x:server></packet>" },
		{ { "CDATA login", 0, 1013, "<x>" },
		  "<packet><customer><get><filter><login><![CDATA[<x>]]></login></filter></get></customer></packet>" },
		{ { "comments and PIs are no content", 0, 0, NULL },
		  "<?xml version=\"1.0\"?><!-- c --><packet><!-- c --><server><?pi x?><get_protos/></server></packet>" },
	};
	seed sd;

	seed_open(&sd, 1);
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		if (cases[i].hc.code == 0) {
			char *r = as_admin(&sd, cases[i].req);
			acct_response_free(results(r, 1));
			free(r);
			continue;
		}
		assert_hostile_str(&sd, &cases[i].hc, cases[i].req);
	}
	seed_close(&sd);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Arguments and options                                                    */
/* ------------------------------------------------------------------------ */

START_TEST(handle_arguments)
{
	acct_agent_options ao;
	acct_credentials c;
	acct_buf out = ACCT_BUF_INIT;
	seed sd;

	seed_open(&sd, 1);
	cred_password(&c, TEST_ADMIN_LOGIN, TEST_ADMIN_PASSWORD);
	ck_assert_rc(acct_agent_handle(NULL, &c, protos_req, strlen(protos_req), &out), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, "NULL", "acct_agent_handle(NULL ctx)");
	ck_assert_rc(acct_agent_handle(sd.ctx, &c, protos_req, strlen(protos_req), NULL), ACCT_EINVALID);
	ck_assert_rc(acct_agent_handle(sd.ctx, &c, NULL, 5, &out), ACCT_EINVALID);
	ck_assert_ptr_null(out.ptr);
	/* NULL with length 0 is an empty packet: a reply all the same */
	ck_assert_ok(acct_agent_handle(sd.ctx, &c, NULL, 0, &out));
	assert_system(out.ptr, 1014, "empty");
	acct_buf_dispose(&out);

	ck_assert_rc(acct_credentials_init(&c, 2), ACCT_EINVALID);
	ck_assert_rc(acct_credentials_init(NULL, ACCT_CREDENTIALS_VERSION), ACCT_EINVALID);
	ck_assert_rc(acct_agent_options_init(&ao, 0), ACCT_EINVALID);
	ck_assert_ok(acct_agent_options_init(&ao, ACCT_AGENT_OPTIONS_VERSION));
	ck_assert_rc(acct_agent_configure(NULL, &ao), ACCT_EINVALID);
	ck_assert_rc(acct_agent_configure(sd.ctx, NULL), ACCT_EINVALID);
	ao.version = 2;
	ck_assert_rc(acct_agent_configure(sd.ctx, &ao), ACCT_EINVALID);
	ao.version = ACCT_AGENT_OPTIONS_VERSION;
	ao.max_packet_bytes = 50;
	ck_assert_ok(acct_agent_configure(sd.ctx, &ao));
	{
		char *r = as_admin(&sd, "<packet><customer><get><filter><login>cust1</login></filter></get></customer></packet>");
		assert_system(r, 1014, "bytes, more than the limit of 50.");
		free(r);
	}
	ao.max_packet_bytes = 0;
	ao.max_text_bytes = 4;
	ck_assert_ok(acct_agent_configure(sd.ctx, &ao));
	{
		char *r = as_admin(&sd, "<packet><customer><get><filter><login>cust1</login></filter></get></customer></packet>");
		assert_system(r, 1014, "longer than 4 bytes");
		free(r);
	}
	seed_close(&sd);
}
END_TEST

/* The same packet on the same state gives the same reply (canonically): no hidden randomness. */
START_TEST(deterministic_replies)
{
	static const char req[] = "<packet><customer><get><filter/><dataset><gen_info/><stat/></dataset></get></customer>"
	                          "<reseller><get><filter/><dataset><gen-info/><permissions/><limits/><ippool/></dataset>"
	                          "</get></reseller><user><get><filter><all/></filter><dataset><gen-info/><roles/>"
	                          "</dataset></get></user><server><get><key/><gen_info/></get></server></packet>";
	char *a, *b, *ca, *cb;
	seed s1, s2;

	seed_open(&s1, 1);
	a = as_admin(&s1, req);
	seed_close(&s1);
	seed_open(&s2, 1);
	b = as_admin(&s2, req);
	seed_close(&s2);
	ca = canonical(a, 1);
	cb = canonical(b, 1);
	ck_assert_str_eq(ca, cb);
	free(a);
	free(b);
	free(ca);
	free(cb);
}
END_TEST

/* ------------------------------------------------------------------------ */

static Suite *agent_suite(void)
{
	Suite *s = suite_create("agent");
	TCase *tc;

	tc = tcase_create("fixtures");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, fixtures_complete);
	tcase_add_test(tc, canonical_form);
	tcase_add_test(tc, pretty_and_compact_agree);
	tcase_add_test(tc, deterministic_replies);
	if (n_groups > 0)
		tcase_add_loop_test(tc, fixture_group, 0, (int)n_groups);
	suite_add_tcase(s, tc);

	tc = tcase_create("auth");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, auth_missing_credentials);
	tcase_add_test(tc, auth_wrong_password);
	tcase_add_test(tc, auth_lockout);
	tcase_add_test(tc, auth_disabled);
	tcase_add_test(tc, auth_secret_key);
	tcase_add_test(tc, auth_remote_access_interface);
	tcase_add_test(tc, auth_host_session);
	suite_add_tcase(s, tc);

	tc = tcase_create("versions");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, version_newest_without_attribute);
	tcase_add_test(tc, version_partial_accepted);
	tcase_add_test(tc, version_unsupported);
	tcase_add_test(tc, version_every_proto_answers);
	tcase_add_test(tc, version_gating);
	tcase_add_test(tc, version_gated_does_nothing);
	suite_add_tcase(s, tc);

	tc = tcase_create("packets");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, parse_errors_name_the_line);
	tcase_add_test(tc, parse_error_runs_nothing);
	tcase_add_test(tc, multi_in_order);
	tcase_add_test(tc, multi_operation_limit);
	tcase_add_test(tc, filters_every_kind);
	tcase_add_test(tc, legacy_limits_permissions);
	tcase_add_test(tc, user_status_style);
	tcase_add_test(tc, secret_key_by_secret);
	tcase_add_test(tc, login_sessions);
	tcase_add_test(tc, handle_arguments);
	suite_add_tcase(s, tc);

	tc = tcase_create("hostile");
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, hostile_xxe);
	tcase_add_test(tc, hostile_billion_laughs);
	tcase_add_test(tc, hostile_deep_nesting);
	tcase_add_test(tc, hostile_huge_packet);
	tcase_add_test(tc, hostile_encoding);
	tcase_add_test(tc, hostile_numbers);
	tcase_add_test(tc, hostile_overlong_strings);
	tcase_add_test(tc, hostile_odd_documents);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	acct_allocator a = ACCT_ALLOCATOR_INIT;
	int rc;

	a.malloc = mem_malloc;
	a.realloc = mem_realloc;
	a.free = mem_free;
	if (acct_global_set_allocator(&a) != 0) {
		fprintf(stderr, "acct_global_set_allocator: %s\n", acct_error_last()->message);
		return EXIT_FAILURE;
	}
	scan_fixtures();
	rc = test_run_suite(agent_suite(), 1);
	free_fixture_names();
	acct_global_set_allocator(NULL);
	return rc;
}
