/*
 * bench_check.c - acct_check() throughput on 1,000,000 accounts in the memory
 * store, one thread (DESIGN.md section 8: >= 5,000,000 checks/s, and the
 * hierarchy index <= 128 bytes per account).
 *
 * The store: 1 admin, 1,000 resellers, 199,000 customers (199 per reseller)
 * and 799,999 users (so the total is exactly 1,000,000; users go round-robin
 * over the customers, 4 or 5 each), every user with one built-in role
 * (Webmaster, Accountant, Application User in turn). Accounts have no
 * password, so building needs no hashing. manage_dns is granted to every
 * other customer (and revoked from the rest if it is a default).
 *
 * The checks: sessions for the admin and 1,000 random resellers, customers
 * and users; a fixed-seed table of 2^20 queries (actor, permission, target)
 * is drawn first and replayed, so only acct_check() is timed. An actor asks
 * mostly for what its type uses (resellers create_clients and manage_dns,
 * customers manage_dns, users dnsManagement and browseStats), sometimes any
 * of the five; the target is itself (55%), a child - for a user, a sibling -
 * (30%) or a random account (15%, almost always out of scope).
 *
 * Usage: bench_check [accounts [checks]] (defaults 1000000 10000000).
 * The last line is
 *   accounts=N checks=N checks_per_s=N ns_per_check=N index_bytes_per_account=N
 */
#include <acct.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_ACCOUNTS 1000000L
#define DEFAULT_CHECKS 10000000L
#define CUSTOMERS_PER_RESELLER 199
#define SAMPLE_PER_TYPE 1000
#define QUERY_BITS 20
#define N_QUERIES (1UL << QUERY_BITS)
#define SEED UINT64_C(0x5eedf00dcafe1234)

static const char *const perms[] = { "manage_dns", "create_clients", "dnsManagement", "browseStats",
	                             "userManagement" };
enum { P_MANAGE_DNS, P_CREATE_CLIENTS, P_DNS_MANAGEMENT, P_BROWSE_STATS, P_USER_MANAGEMENT, N_PERMS };

typedef struct actor {
	acct_session *s;
	acct_id self;
	int type;
	long idx; /* index among accounts of its type */
} actor;

typedef struct query {
	acct_session *s;
	const char *perm;
	acct_id target;
} query;

static long n_resellers, n_customers, n_users;
static acct_id *reseller_ids, *customer_ids, *user_ids;
static acct_id max_id;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "bench_check: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, ": %s\n", acct_error_last()->message);
	va_end(ap);
	exit(EXIT_FAILURE);
}

static uint64_t rng_state = SEED;

/* splitmix64 */
static uint64_t rng(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static long rnd(long n)
{
	return (long)(rng() % (uint64_t)n);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static acct_id add(acct_session *admin, int type, acct_id owner, const char *login)
{
	acct_account *a = NULL;
	acct_id id = 0;

	if (acct_account_new(&a, type) != 0 || acct_account_set(a, ACCT_FIELD_LOGIN, login) != 0 ||
	    acct_account_set(a, ACCT_FIELD_NAME, login) != 0 || acct_account_add(&id, admin, owner, a) != 0)
		die("adding '%s'", login);
	acct_account_free(a);
	if (id > max_id)
		max_id = id;
	return id;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (!p) {
		fprintf(stderr, "bench_check: out of memory\n");
		exit(EXIT_FAILURE);
	}
	return p;
}

/* Users of customer @p c are c, c + NC, c + 2 NC, ... (round-robin). */
static long users_of(long c)
{
	return c < n_users ? (n_users - c + n_customers - 1) / n_customers : 0;
}

/* A target that is a child of @p a (for a user: a sibling; itself when it has none). */
static acct_id child_of(const actor *a)
{
	long c, k, n;

	switch (a->type) {
	case ACCT_TYPE_ADMIN:
		return reseller_ids[rnd(n_resellers)];
	case ACCT_TYPE_RESELLER:
		return customer_ids[a->idx * CUSTOMERS_PER_RESELLER + rnd(CUSTOMERS_PER_RESELLER)];
	case ACCT_TYPE_CUSTOMER:
		n = users_of(a->idx);
		return n > 0 ? user_ids[a->idx + rnd(n) * n_customers] : a->self;
	default:
		c = a->idx % n_customers;
		n = users_of(c);
		if (n < 2)
			return a->self;
		do
			k = c + rnd(n) * n_customers;
		while (k == a->idx);
		return user_ids[k];
	}
}

static int natural_perm(int type)
{
	switch (type) {
	case ACCT_TYPE_RESELLER: return rnd(2) ? P_CREATE_CLIENTS : P_MANAGE_DNS;
	case ACCT_TYPE_CUSTOMER: return P_MANAGE_DNS;
	case ACCT_TYPE_USER: return rnd(2) ? P_DNS_MANAGEMENT : P_BROWSE_STATS;
	default: return (int)rnd(N_PERMS);
	}
}

/* Pick @p k distinct indexes of [0, n) into @p out (partial Fisher-Yates). */
static void sample(long *out, long k, long n)
{
	long *all = xcalloc((size_t)n, sizeof *all);
	long i;

	for (i = 0; i < n; i++)
		all[i] = i;
	for (i = 0; i < k && i < n; i++) {
		long j = i + rnd(n - i), t = all[i];

		all[i] = all[j];
		all[j] = t;
		out[i] = all[i];
	}
	free(all);
}

int main(int argc, char **argv)
{
	long n_accounts = argc > 1 ? atol(argv[1]) : DEFAULT_ACCOUNTS;
	long n_checks = argc > 2 ? atol(argv[2]) : DEFAULT_CHECKS;
	acct_ctx_options opts = ACCT_CTX_OPTIONS_INIT;
	acct_storage *storage = NULL;
	acct_ctx *ctx = NULL;
	acct_session *admin = NULL;
	acct_perm_desc dns = ACCT_PERM_DESC_INIT;
	static const acct_role_id roles[] = { ACCT_ROLE_WEBMASTER, ACCT_ROLE_ACCOUNTANT, ACCT_ROLE_APPLICATION_USER };
	actor *actors;
	query *queries;
	long n_actors, i, k, *pick, allowed = 0, errors = 0, grants = 0;
	double t0, t_accounts, t_roles, t_grants, elapsed;
	size_t count, index_bytes;
	char login[32];

	if (n_accounts < 10000 || n_checks < 1) {
		fprintf(stderr, "usage: bench_check [accounts >= 10000 [checks]]\n");
		return EXIT_FAILURE;
	}
	n_resellers = n_accounts / 1000;
	n_customers = n_resellers * CUSTOMERS_PER_RESELLER;
	n_users = n_accounts - 1 - n_resellers - n_customers;

	if (acct_global_init() < 1)
		die("acct_global_init");
	opts.admin_login = "admin";
	opts.admin_password = "adminpass1";
	opts.password_cost = 1;
	if (acct_storage_memory_new(&storage) != 0)
		die("acct_storage_memory_new");
	if (acct_ctx_new(&ctx, storage, &opts) != 0)
		die("acct_ctx_new");
	if (acct_session_open_as(&admin, ctx, 1) != 0)
		die("acct_session_open_as(admin)");

	/* Build. */
	reseller_ids = xcalloc((size_t)n_resellers, sizeof *reseller_ids);
	customer_ids = xcalloc((size_t)n_customers, sizeof *customer_ids);
	user_ids = xcalloc((size_t)n_users, sizeof *user_ids);
	t0 = now_s();
	for (i = 0; i < n_resellers; i++) {
		snprintf(login, sizeof login, "r%ld", i);
		reseller_ids[i] = add(admin, ACCT_TYPE_RESELLER, 1, login);
	}
	for (i = 0; i < n_customers; i++) {
		snprintf(login, sizeof login, "c%ld", i);
		customer_ids[i] = add(admin, ACCT_TYPE_CUSTOMER, reseller_ids[i / CUSTOMERS_PER_RESELLER], login);
	}
	for (i = 0; i < n_users; i++) {
		snprintf(login, sizeof login, "u%ld", i);
		user_ids[i] = add(admin, ACCT_TYPE_USER, customer_ids[i % n_customers], login);
	}
	t_accounts = now_s() - t0;

	t0 = now_s();
	for (i = 0; i < n_users; i++) {
		if (acct_user_set_role(admin, user_ids[i], roles[i % 3], 1) != 0)
			die("giving user %" PRId64 " role %" PRId64, user_ids[i], roles[i % 3]);
	}
	t_roles = now_s() - t0;

	if (acct_perm_lookup(&dns, ctx, "manage_dns") != 0)
		die("looking up manage_dns");
	t0 = now_s();
	for (i = 0; i < n_customers; i++) {
		int on = (i % 2) == 0;

		if (!on && !dns.default_value)
			continue;
		if (acct_perm_grant(admin, customer_ids[i], "manage_dns", on) != 0)
			die("%s manage_dns on %" PRId64, on ? "granting" : "revoking", customer_ids[i]);
		grants++;
	}
	t_grants = now_s() - t0;

	count = acct_ctx_account_count(ctx);
	index_bytes = acct_ctx_index_bytes(ctx);
	printf("build: %zu accounts (1 admin, %ld resellers, %ld customers, %ld users) in %.2f s (%.0f adds/s)\n",
	       count, n_resellers, n_customers, n_users, t_accounts, (double)(count - 1) / t_accounts);
	printf("build: %ld roles given in %.2f s, %ld manage_dns grants in %.2f s; index %zu bytes\n", n_users,
	       t_roles, grants, t_grants, index_bytes);

	/* Actors: the admin and SAMPLE_PER_TYPE random accounts of each other type. */
	n_actors = 1 + 3L * SAMPLE_PER_TYPE;
	actors = xcalloc((size_t)n_actors, sizeof *actors);
	pick = xcalloc(SAMPLE_PER_TYPE, sizeof *pick);
	actors[0].self = 1;
	actors[0].type = ACCT_TYPE_ADMIN;
	k = 1;
	sample(pick, SAMPLE_PER_TYPE, n_resellers);
	for (i = 0; i < SAMPLE_PER_TYPE && i < n_resellers; i++, k++) {
		actors[k].type = ACCT_TYPE_RESELLER;
		actors[k].idx = pick[i];
		actors[k].self = reseller_ids[pick[i]];
	}
	sample(pick, SAMPLE_PER_TYPE, n_customers);
	for (i = 0; i < SAMPLE_PER_TYPE; i++, k++) {
		actors[k].type = ACCT_TYPE_CUSTOMER;
		actors[k].idx = pick[i];
		actors[k].self = customer_ids[pick[i]];
	}
	sample(pick, SAMPLE_PER_TYPE, n_users);
	for (i = 0; i < SAMPLE_PER_TYPE; i++, k++) {
		actors[k].type = ACCT_TYPE_USER;
		actors[k].idx = pick[i];
		actors[k].self = user_ids[pick[i]];
	}
	n_actors = k;
	free(pick);
	for (i = 0; i < n_actors; i++) {
		if (acct_session_open_as(&actors[i].s, ctx, actors[i].self) != 0)
			die("opening a session as %" PRId64, actors[i].self);
	}

	/* The queries. */
	queries = xcalloc(N_QUERIES, sizeof *queries);
	for (i = 0; i < (long)N_QUERIES; i++) {
		const actor *a = &actors[rnd(n_actors)];
		long r = rnd(100);

		queries[i].s = a->s;
		queries[i].perm = perms[rnd(4) ? natural_perm(a->type) : (int)rnd(N_PERMS)];
		queries[i].target = r < 55 ? a->self : r < 85 ? child_of(a) : 1 + (acct_id)rnd((long)max_id);
	}

	/* The timed loop. */
	t0 = now_s();
	for (i = 0; i < n_checks; i++) {
		const query *q = &queries[(unsigned long)i & (N_QUERIES - 1)];
		int ok = 0;

		if (acct_check(&ok, q->s, q->perm, q->target) != 0)
			errors++;
		allowed += ok;
	}
	elapsed = now_s() - t0;

	printf("checks: %ld actors (1 admin, %d resellers, %d customers, %d users), %lu distinct queries\n",
	       n_actors, (int)(n_resellers < SAMPLE_PER_TYPE ? n_resellers : SAMPLE_PER_TYPE), SAMPLE_PER_TYPE,
	       SAMPLE_PER_TYPE, N_QUERIES);
	printf("checks: allowed=%ld (%.1f%%) denied=%ld errors=%ld in %.3f s\n", allowed,
	       100.0 * (double)allowed / (double)n_checks, n_checks - allowed - errors, errors, elapsed);
	if (errors)
		fprintf(stderr, "bench_check: %ld checks returned an error: %s\n", errors, acct_error_last()->message);
	printf("accounts=%zu checks=%ld checks_per_s=%.0f ns_per_check=%.0f index_bytes_per_account=%zu\n", count,
	       n_checks, (double)n_checks / elapsed, elapsed * 1e9 / (double)n_checks, count ? index_bytes / count : 0);
	fflush(stdout);

	for (i = 0; i < n_actors; i++)
		acct_session_free(actors[i].s);
	free(actors);
	free(queries);
	free(reseller_ids);
	free(customer_ids);
	free(user_ids);
	acct_session_free(admin);
	acct_ctx_free(ctx);
	acct_global_shutdown();
	return errors ? EXIT_FAILURE : EXIT_SUCCESS;
}
