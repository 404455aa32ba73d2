/*
 * bench_agent.c - the agent round trip (DESIGN.md section 8): `customer get`
 * by id with gen_info through acct_agent_handle() on the memory store, one
 * thread. Targets: >= 100,000 packets/s, and <= 2x the time libxml2 alone
 * needs to parse the request and serialize the response.
 *
 * The store: the admin and 10,000 customers of the admin, each with a full
 * gen_info (company, name, login, phone, e-mail, address, city, postal code,
 * country, locale, external id; no password, so building needs no hashing).
 * The requests: 1,024 packets, built before timing, each a
 * <customer><get><filter><id>N</id></filter><dataset><gen_info/></dataset>
 * for an id spread over the whole store; the phases cycle through them.
 *
 * Phases, each warmed up (0.3 s) and then run for PHASE_SECONDS (2.5 s):
 *  1. agent: acct_agent_handle() from a trusted admin session
 *     (ACCT_CRED_SESSION: password authentication is scrypt and would measure
 *     hashing), the reply into one reused acct_buf, as a host would; every
 *     reply is checked to be exactly one result with status ok for the id
 *     asked (exit 1 otherwise).
 *  2. libxml2 parse: xmlReadMemory() of the same requests with the agent's
 *     options (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
 *     XML_PARSE_NOCDATA), then xmlFreeDoc().
 *  3. libxml2 serialize: the agent's replies to those requests, parsed once
 *     before timing, then xmlDocDumpMemory() + xmlFree() of each in turn.
 *
 * libxml2_only = 1 / (time per parse + time per serialization);
 * overhead_ratio = time per agent packet / (time per parse + time per
 * serialization). The targets are printed, never enforced.
 *
 * Usage: bench_agent [customers] (default 10000). The last line is exactly
 *   packets=N packets_per_s=N libxml2_only_per_s=N overhead_ratio=X.XX
 */
#include <acct.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_CUSTOMERS 10000L
#define NREQ 1024
#define WARMUP_SECONDS 0.3
#define PHASE_SECONDS 2.5
#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA)

typedef struct packet {
	char *xml;
	size_t len;
	acct_id id;
	char *prefix;      /* what the reply must start with */
	size_t prefix_len;
} packet;

static packet reqs[NREQ];
static xmlDocPtr replies[NREQ];

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "bench_agent: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, ": %s\n", acct_error_last()->message);
	va_end(ap);
	exit(EXIT_FAILURE);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *format(size_t *len, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !(s = malloc((size_t)n + 1)))
		die("out of memory");
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	if (len)
		*len = (size_t)n;
	return s;
}

static acct_ctx *build_store(long customers, acct_id **ids_out)
{
	acct_ctx_options opts = ACCT_CTX_OPTIONS_INIT;
	acct_storage *st = NULL;
	acct_ctx *ctx = NULL;
	acct_session *admin = NULL;
	acct_id *ids = malloc((size_t)customers * sizeof(*ids));
	char v[64];
	double t0 = now_s();

	opts.admin_login = "admin";
	opts.admin_password = "adminpass1";
	opts.password_cost = 1;
	if (!ids)
		die("out of memory");
	if (acct_storage_memory_new(&st) != 0)
		die("acct_storage_memory_new");
	if (acct_ctx_new(&ctx, st, &opts) != 0)
		die("acct_ctx_new");
	if (acct_session_open_as(&admin, ctx, 1) != 0)
		die("acct_session_open_as");
	for (long i = 0; i < customers; i++) {
		acct_account *a = NULL;
		int rc = acct_account_new(&a, ACCT_TYPE_CUSTOMER);

#define SET(field, ...) \
	do { \
		snprintf(v, sizeof v, __VA_ARGS__); \
		if (rc == 0) \
			rc = acct_account_set(a, field, v); \
	} while (0)
		SET(ACCT_FIELD_LOGIN, "customer%ld", i);
		SET(ACCT_FIELD_NAME, "Customer Number %ld", i);
		SET(ACCT_FIELD_COMPANY, "Company %ld & Sons", i);
		SET(ACCT_FIELD_PHONE, "+1 416 907 %04ld", i % 10000);
		SET(ACCT_FIELD_EMAIL, "customer%ld@example.com", i);
		SET(ACCT_FIELD_ADDRESS, "%ld Main Street", i + 1);
		SET(ACCT_FIELD_CITY, "Toronto");
		SET(ACCT_FIELD_POSTAL_CODE, "M5V 2T6");
		SET(ACCT_FIELD_COUNTRY, "CA");
		SET(ACCT_FIELD_LOCALE, "en-US");
		SET(ACCT_FIELD_EXTERNAL_ID, "crm-%ld", i);
#undef SET
		if (rc != 0 || acct_account_add(&ids[i], admin, 1, a) != 0)
			die("adding customer %ld", i);
		acct_account_free(a);
	}
	acct_session_free(admin);
	printf("memory store: the admin and %ld customers, built in %.2f s\n", customers, now_s() - t0);
	*ids_out = ids;
	return ctx;
}

static void build_requests(const acct_id *ids, long customers)
{
	for (size_t i = 0; i < NREQ; i++) {
		/* spread over the store: a stride coprime with nothing in particular */
		acct_id id = ids[(long)((i * 7919u) % (size_t)customers)];

		reqs[i].id = id;
		reqs[i].xml = format(&reqs[i].len,
		                     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		                     "<packet version=\"1.6.9.1\"><customer><get><filter><id>%lld</id></filter>"
		                     "<dataset><gen_info/></dataset></get></customer></packet>",
		                     (long long)id);
		reqs[i].prefix = format(&reqs[i].prefix_len,
		                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		                        "<packet version=\"1.6.9.1\"><customer><get><result><status>ok</status>"
		                        "<filter-id>%lld</filter-id><id>%lld</id><data><gen_info>",
		                        (long long)id, (long long)id);
	}
}

/* Exactly one result, status ok, for the id asked, and a complete packet. */
static void check_reply(const acct_buf *reply, const packet *p)
{
	static const char tail[] = "</gen_info></data></result></get></customer></packet>";

	if (reply->size < p->prefix_len + sizeof tail - 1 || memcmp(reply->ptr, p->prefix, p->prefix_len) != 0 ||
	    memcmp(reply->ptr + reply->size - (sizeof tail - 1) - 1, tail, sizeof tail - 1) != 0) {
		fprintf(stderr, "bench_agent: unexpected reply to customer get %lld:\n%.*s\n", (long long)p->id,
		        (int)(reply->size < 2000 ? reply->size : 2000), reply->ptr != NULL ? reply->ptr : "");
		exit(EXIT_FAILURE);
	}
}

/* ---- the three phases: each runs `n` iterations from index `*k` ---- */

static acct_ctx *g_ctx;
static acct_credentials g_cred = ACCT_CREDENTIALS_INIT;
static acct_buf g_reply = ACCT_BUF_INIT;

static void run_agent(long n, size_t *k)
{
	for (long i = 0; i < n; i++) {
		const packet *p = &reqs[*k];
		if (acct_agent_handle(g_ctx, &g_cred, p->xml, p->len, &g_reply) != 0)
			die("acct_agent_handle");
		check_reply(&g_reply, p);
		*k = (*k + 1) % NREQ;
	}
}

static void run_parse(long n, size_t *k)
{
	for (long i = 0; i < n; i++) {
		xmlDocPtr doc = xmlReadMemory(reqs[*k].xml, (int)reqs[*k].len, NULL, NULL, XML_OPTIONS);
		if (doc == NULL) {
			fprintf(stderr, "bench_agent: libxml2 did not parse request %zu\n", *k);
			exit(EXIT_FAILURE);
		}
		xmlFreeDoc(doc);
		*k = (*k + 1) % NREQ;
	}
}

static void run_serialize(long n, size_t *k)
{
	for (long i = 0; i < n; i++) {
		xmlChar *mem = NULL;
		int size = 0;

		xmlDocDumpMemory(replies[*k], &mem, &size);
		if (mem == NULL || size <= 0) {
			fprintf(stderr, "bench_agent: libxml2 did not serialize reply %zu\n", *k);
			exit(EXIT_FAILURE);
		}
		xmlFree(mem);
		*k = (*k + 1) % NREQ;
	}
}

/* Warm up, then run for PHASE_SECONDS; returns seconds per iteration. */
static double timed(const char *what, void (*run)(long, size_t *), long *count)
{
	size_t k = 0;
	long batch = 256, n = 0;
	double t0 = now_s(), t;

	while (now_s() - t0 < WARMUP_SECONDS)
		run(batch, &k);
	k = 0;
	t0 = now_s();
	do {
		run(batch, &k);
		n += batch;
		t = now_s() - t0;
	} while (t < PHASE_SECONDS);
	printf("%-18s %9ld in %.2f s: %8.0f per s, %7.3f us each\n", what, n, t, n / t, t / n * 1e6);
	if (count)
		*count = n;
	return t / n;
}

int main(int argc, char **argv)
{
	long customers = argc > 1 ? atol(argv[1]) : DEFAULT_CUSTOMERS, packets = 0;
	acct_session *admin = NULL;
	acct_id *ids = NULL;
	double t_agent, t_parse, t_ser, t_xml;

	if (customers < 1) {
		fprintf(stderr, "usage: bench_agent [customers >= 1]\n");
		return 2;
	}
	if (acct_global_init() < 1)
		die("acct_global_init");
	g_ctx = build_store(customers, &ids);
	build_requests(ids, customers);
	if (acct_session_open_as(&admin, g_ctx, 1) != 0)
		die("acct_session_open_as");
	g_cred.kind = ACCT_CRED_SESSION;
	g_cred.session = admin;
	g_cred.client_ip = "127.0.0.1";

	/* The replies libxml2 serializes: the agent's own, parsed once. */
	for (size_t i = 0; i < NREQ; i++) {
		if (acct_agent_handle(g_ctx, &g_cred, reqs[i].xml, reqs[i].len, &g_reply) != 0)
			die("acct_agent_handle");
		check_reply(&g_reply, &reqs[i]);
		replies[i] = xmlReadMemory(g_reply.ptr, (int)g_reply.size, NULL, NULL, XML_OPTIONS);
		if (replies[i] == NULL) {
			fprintf(stderr, "bench_agent: libxml2 did not parse the agent's reply:\n%s\n", g_reply.ptr);
			return EXIT_FAILURE;
		}
	}
	printf("request %zu bytes, reply %zu bytes (customer get %lld, gen_info)\n", reqs[0].len, g_reply.size,
	       (long long)reqs[NREQ - 1].id);

	t_agent = timed("agent round trip", run_agent, &packets);
	t_parse = timed("libxml2 parse", run_parse, NULL);
	t_ser = timed("libxml2 serialize", run_serialize, NULL);
	t_xml = t_parse + t_ser;

	printf("targets: packets_per_s >= 100000 (%s), overhead_ratio <= 2.00 (%s)\n",
	       1.0 / t_agent >= 100000 ? "met" : "MISSED", t_agent / t_xml <= 2.0 ? "met" : "MISSED");

	for (size_t i = 0; i < NREQ; i++) {
		xmlFreeDoc(replies[i]);
		free(reqs[i].xml);
		free(reqs[i].prefix);
	}
	acct_buf_dispose(&g_reply);
	acct_session_free(admin);
	acct_ctx_free(g_ctx);
	free(ids);
	acct_global_shutdown();
	printf("packets=%ld packets_per_s=%.0f libxml2_only_per_s=%.0f overhead_ratio=%.2f\n", packets, 1.0 / t_agent,
	       1.0 / t_xml, t_agent / t_xml);
	return 0;
}
