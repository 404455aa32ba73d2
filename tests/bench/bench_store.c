/*
 * bench_store.c - durable storage throughput (DESIGN.md section 8; issue 5):
 * account adds in transactions of 1,000 and single durable adds on SQLite,
 * then the time to open a 1,000,000-account SQLite store and answer a first
 * acct_check(). Targets: batched_adds_per_s >= 20000, open_1m_s <= 2.00.
 *
 * Batching. The C API has no way to group operations: every engine operation
 * (acct_account_add() included) is one storage transaction, begin() to
 * commit(). "Adds in transactions of 1,000" is therefore measured honestly
 * with host code, as a host would do it: a thin wrapper backend, written
 * against acct/sys/storage.h like any host backend, passes every call to the
 * SQLite backend but lets only every 1,000th engine write transaction reach
 * SQLite's begin/commit; in between, the engine's transactions run inside
 * one open SQLite transaction. The cost is the usual one of batching: a crash
 * loses up to 999 operations, and a failed operation would roll the whole
 * batch back (none fails here). SQLite runs with the default options
 * (synchronous FULL), so each batch commit is durable.
 *
 * Single durable adds: no wrapper, synchronous FULL (the default): every add
 * is one SQLite transaction, on disk when acct_account_add() returns.
 *
 * The 1,000,000-account store: 1 admin, 1,000 resellers, 199,000 customers
 * and 799,999 users, without passwords, built as fast as the API allows
 * (the batching wrapper with 10,000 engine transactions per SQLite
 * transaction, synchronous OFF); then closed. open_1m_s is the time, in a
 * fresh backend and ctx, of acct_storage_sqlite_new() + acct_ctx_new()
 * (which loads the hierarchy index) + acct_session_open_as() of a reseller
 * + the first acct_check() ("create_clients" on one of its customers). The
 * file was just written, so the OS page cache is warm.
 *
 * With ACCT_TEST_PG set (a libpq connection string to a SCRATCH database:
 * its acct_kv table is emptied first), the same batched and single adds run
 * on PostgreSQL too; their figures are printed before the last line.
 *
 * Usage: bench_store [accounts] (default 1000000). The files live in a
 * temporary directory under $TMPDIR (default /tmp), removed at the end.
 * The last line is exactly
 *   batched_adds_per_s=N single_adds_per_s=N open_1m_s=X.XX
 */
#include <acct.h>
#include <acct/sys/storage.h>

#include <dirent.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BATCH 1000
#define BUILD_BATCH 10000
#define BATCHED_ADDS 100000L
#define SINGLE_ADDS_MAX 20000L
#define SINGLE_SECONDS 3.0
#define PG_BATCHED_ADDS 20000L
#define PG_SINGLE_ADDS_MAX 2000L

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "bench_store: ");
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

/* ------------------------------------------------------------------------ */
/* The batching wrapper: host code over the public vtable                    */
/* ------------------------------------------------------------------------ */

typedef struct batcher {
	acct_storage *inner;
	long every;        /* engine write transactions per inner transaction */
	long pending;      /* engine write transactions in the open inner one */
	int inner_open;    /* an inner transaction is open */
	int inner_write;   /* ... and it is a write transaction */
	int engine_write;  /* the engine's current transaction is a write */
	long inner_commits;
} batcher;

static int b_begin(acct_storage *s, int write)
{
	batcher *b = s->payload;
	int rc;

	b->engine_write = write;
	if (b->inner_open) {
		if (b->inner_write)
			return 0; /* inside the batch: reads and writes see the batch */
		/* a read transaction left open cannot happen: reads end at commit */
	}
	if ((rc = b->inner->begin(b->inner, write)) != 0)
		return rc;
	b->inner_open = 1;
	b->inner_write = write;
	return 0;
}

static int b_flush(batcher *b)
{
	int rc;

	if (!b->inner_open)
		return 0;
	rc = b->inner->commit(b->inner);
	if (rc != 0) {
		b->inner->rollback(b->inner);
	}
	if (b->inner_write)
		b->inner_commits++;
	b->inner_open = b->inner_write = 0;
	b->pending = 0;
	return rc;
}

static int b_commit(acct_storage *s)
{
	batcher *b = s->payload;

	if (!b->inner_write) /* a read transaction of its own */
		return b_flush(b);
	if (!b->engine_write) /* a read inside the batch */
		return 0;
	if (++b->pending < b->every)
		return 0;
	return b_flush(b);
}

static int b_rollback(acct_storage *s)
{
	batcher *b = s->payload;

	if (b->inner_write && !b->engine_write)
		return 0; /* a read inside the batch: nothing to undo */
	/* A failed write takes the whole batch with it (the price of batching). */
	if (b->inner_open)
		b->inner->rollback(b->inner);
	b->inner_open = b->inner_write = 0;
	b->pending = 0;
	return 0;
}

static int b_get(acct_storage *s, const unsigned char *k, size_t kl, acct_buf *v)
{
	batcher *b = s->payload;
	return b->inner->get(b->inner, k, kl, v);
}

static int b_put(acct_storage *s, const unsigned char *k, size_t kl, const unsigned char *v, size_t vl)
{
	batcher *b = s->payload;
	return b->inner->put(b->inner, k, kl, v, vl);
}

static int b_del(acct_storage *s, const unsigned char *k, size_t kl)
{
	batcher *b = s->payload;
	return b->inner->del(b->inner, k, kl);
}

static int b_iterate(acct_storage_iterator **out, acct_storage *s, const unsigned char *p, size_t pl)
{
	batcher *b = s->payload;
	return b->inner->iterate(out, b->inner, p, pl);
}

static void b_free(acct_storage *s)
{
	batcher *b = s->payload;

	if (b_flush(b) != 0) /* whatever is pending is committed, not lost */
		fprintf(stderr, "bench_store: the last batch failed to commit: %s\n", acct_error_last()->message);
	b->inner->free(b->inner);
	free(b);
	free(s);
}

/* Wrap @p inner; *bp receives the state (valid until the ctx frees the wrapper). */
static acct_storage *batching(acct_storage *inner, long every, batcher **bp)
{
	acct_storage vt = ACCT_STORAGE_INIT, *s = malloc(sizeof(*s));
	batcher *b = calloc(1, sizeof(*b));

	if (!s || !b) {
		fprintf(stderr, "bench_store: out of memory\n");
		exit(EXIT_FAILURE);
	}
	b->inner = inner;
	b->every = every;
	vt.payload = b;
	vt.begin = b_begin;
	vt.commit = b_commit;
	vt.rollback = b_rollback;
	vt.get = b_get;
	vt.put = b_put;
	vt.del = b_del;
	vt.iterate = b_iterate;
	vt.free = b_free;
	*s = vt;
	if (bp)
		*bp = b;
	return s;
}

/* ------------------------------------------------------------------------ */
/* Stores                                                                   */
/* ------------------------------------------------------------------------ */

static char dir_path[PATH_MAX - 64];

static void file_in_dir(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", dir_path, name);
}

static void remove_dir(void)
{
	DIR *d = opendir(dir_path);
	struct dirent *e;
	char p[PATH_MAX + 256];

	if (d) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
				snprintf(p, sizeof p, "%s/%s", dir_path, e->d_name);
				unlink(p);
			}
		}
		closedir(d);
	}
	rmdir(dir_path);
}

static acct_storage *sqlite_store(const char *name, int synchronous)
{
	acct_sqlite_options o = ACCT_SQLITE_OPTIONS_INIT;
	acct_storage *s = NULL;
	char path[PATH_MAX];

	file_in_dir(path, sizeof path, name);
	o.synchronous = synchronous;
	if (acct_storage_sqlite_new(&s, path, &o) != 0)
		die("opening SQLite store %s", path);
	return s;
}

/* Empty a PostgreSQL store through the vtable (a scratch database). */
static void clear_store(acct_storage *s)
{
	acct_storage_iterator *it = NULL;
	acct_buf k = ACCT_BUF_INIT, v = ACCT_BUF_INIT;
	int rc;

	/* Collect the keys first: no writes while an iterator is open. */
	unsigned char **keys = NULL;
	size_t *lens = NULL, n = 0, cap = 0, i;

	if (s->begin(s, 1) != 0 || s->iterate(&it, s, (const unsigned char *)"", 0) != 0)
		die("emptying the PostgreSQL store");
	while ((rc = it->next(it, &k, &v)) == 0) {
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			keys = realloc(keys, cap * sizeof(*keys));
			lens = realloc(lens, cap * sizeof(*lens));
			if (!keys || !lens)
				die("out of memory");
		}
		if (!(keys[n] = malloc(k.size ? k.size : 1)))
			die("out of memory");
		memcpy(keys[n], k.ptr, k.size);
		lens[n++] = k.size;
	}
	it->free(it);
	for (i = 0; rc == ACCT_ITEROVER && i < n; i++)
		if (s->del(s, keys[i], lens[i]) != 0)
			die("emptying the PostgreSQL store");
	for (i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	free(lens);
	acct_buf_dispose(&k);
	acct_buf_dispose(&v);
	if (rc != ACCT_ITEROVER || s->commit(s) != 0)
		die("emptying the PostgreSQL store");
}

static acct_ctx *ctx_over(acct_storage *s)
{
	acct_ctx_options opts = ACCT_CTX_OPTIONS_INIT;
	acct_ctx *ctx = NULL;

	opts.admin_login = "admin";
	opts.admin_password = "adminpass1";
	opts.password_cost = 1;
	if (acct_ctx_new(&ctx, s, &opts) != 0)
		die("acct_ctx_new");
	return ctx;
}

static acct_id add(acct_session *admin, int type, acct_id owner, const char *login)
{
	acct_account *a = NULL;
	acct_id id = 0;

	if (acct_account_new(&a, type) != 0 || acct_account_set(a, ACCT_FIELD_LOGIN, login) != 0 ||
	    acct_account_set(a, ACCT_FIELD_NAME, login) != 0 || acct_account_add(&id, admin, owner, a) != 0)
		die("adding '%s'", login);
	acct_account_free(a);
	return id;
}

/* Add @p n customers (no passwords) through @p ctx; returns adds per second. */
static double timed_adds(acct_ctx *ctx, long n, double max_seconds, long *done, const char *prefix)
{
	acct_session *admin = NULL;
	char login[32];
	double t0, t;
	long i;

	if (acct_session_open_as(&admin, ctx, 1) != 0)
		die("acct_session_open_as");
	t0 = now_s();
	for (i = 0; i < n; i++) {
		snprintf(login, sizeof login, "%s%ld", prefix, i);
		add(admin, ACCT_TYPE_CUSTOMER, 1, login);
		if (max_seconds > 0 && (i & 15) == 15 && now_s() - t0 > max_seconds) {
			i++;
			break;
		}
	}
	t = now_s() - t0;
	acct_session_free(admin);
	*done = i;
	return (double)i / t;
}

/* Batched adds over @p inner; the last batch is committed inside the timing. */
static double batched(acct_storage *inner, long n, const char *what)
{
	batcher *b = NULL;
	acct_ctx *ctx = ctx_over(batching(inner, BATCH, &b));
	acct_session *admin = NULL;
	char login[32];
	double t0, t;
	long i;

	if (acct_session_open_as(&admin, ctx, 1) != 0)
		die("acct_session_open_as");
	t0 = now_s();
	for (i = 0; i < n; i++) {
		snprintf(login, sizeof login, "batch%ld", i);
		add(admin, ACCT_TYPE_CUSTOMER, 1, login);
	}
	if (b_flush(b) != 0)
		die("committing the last batch");
	t = now_s() - t0;
	printf("%s batched adds: %ld adds in %.2f s, %ld %s commits of %d: %.0f adds/s\n", what, n, t, b->inner_commits,
	       what, BATCH, n / t);
	acct_session_free(admin);
	acct_ctx_free(ctx);
	return n / t;
}

static double single(acct_storage *s, long max, double seconds, const char *what)
{
	acct_ctx *ctx = ctx_over(s);
	long done = 0;
	double rate = timed_adds(ctx, max, seconds, &done, "single");

	printf("%s single durable adds: %ld adds, one transaction each: %.0f adds/s\n", what, done, rate);
	acct_ctx_free(ctx);
	return rate;
}

/* Build the big store; returns the id of a reseller and of one of its customers. */
static void build_big(long total, acct_id *reseller, acct_id *customer)
{
	long n_resellers = total >= 2000 ? 1000 : 1, n_customers, n_users, i;
	batcher *b = NULL;
	acct_ctx *ctx = ctx_over(batching(sqlite_store("big.sqlite", ACCT_SQLITE_SYNC_OFF), BUILD_BATCH, &b));
	acct_session *admin = NULL;
	acct_id *rid, *cid;
	char login[32];
	double t0 = now_s(), t;

	n_customers = (total - 1 - n_resellers) / 5;
	n_users = total - 1 - n_resellers - n_customers;
	rid = calloc((size_t)n_resellers, sizeof(acct_id));
	cid = calloc((size_t)(n_customers ? n_customers : 1), sizeof(acct_id));
	if (!rid || !cid || acct_session_open_as(&admin, ctx, 1) != 0)
		die("setting up the big store");
	for (i = 0; i < n_resellers; i++) {
		snprintf(login, sizeof login, "r%ld", i);
		rid[i] = add(admin, ACCT_TYPE_RESELLER, 1, login);
	}
	for (i = 0; i < n_customers; i++) {
		snprintf(login, sizeof login, "c%ld", i);
		cid[i] = add(admin, ACCT_TYPE_CUSTOMER, rid[i % n_resellers], login);
	}
	for (i = 0; i < n_users; i++) {
		snprintf(login, sizeof login, "u%ld", i);
		add(admin, ACCT_TYPE_USER, n_customers ? cid[i % n_customers] : rid[0], login);
	}
	if (b_flush(b) != 0)
		die("committing the last batch");
	t = now_s() - t0;
	printf("built a %zu-account SQLite store in %.1f s (%.0f adds/s; batches of %d, synchronous OFF)\n",
	       acct_ctx_account_count(ctx), t, (total - 1) / t, BUILD_BATCH);
	*reseller = rid[0];
	*customer = n_customers ? cid[0] : rid[0];
	free(rid);
	free(cid);
	acct_session_free(admin);
	acct_ctx_free(ctx);
}

static double open_big(acct_id reseller, acct_id customer, size_t *count)
{
	acct_storage *s;
	acct_ctx *ctx;
	acct_session *rs = NULL;
	int allowed = 0;
	double t0 = now_s(), t;

	s = sqlite_store("big.sqlite", ACCT_SQLITE_SYNC_FULL);
	ctx = ctx_over(s);
	if (acct_session_open_as(&rs, ctx, reseller) != 0)
		die("acct_session_open_as(%" PRId64 ")", reseller);
	if (acct_check(&allowed, rs, "create_clients", customer) != 0)
		die("acct_check");
	t = now_s() - t0;
	*count = acct_ctx_account_count(ctx);
	printf("opened the %zu-account store and answered a first acct_check (%s) in %.2f s\n", *count,
	       allowed ? "allowed" : "denied", t);
	acct_session_free(rs);
	acct_ctx_free(ctx);
	return t;
}

int main(int argc, char **argv)
{
	const char *tmp = getenv("TMPDIR"), *pg = getenv("ACCT_TEST_PG");
	long total = argc > 1 ? atol(argv[1]) : 1000000L;
	double batched_rate, single_rate, open_s;
	acct_id reseller = 0, customer = 0;
	size_t count = 0;

	if (total < 10) {
		fprintf(stderr, "usage: bench_store [accounts >= 10]\n");
		return 2;
	}
	if (acct_global_init() < 1)
		die("acct_global_init");
	snprintf(dir_path, sizeof dir_path, "%s/acct-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir_path)) {
		perror("bench_store: mkdtemp");
		return EXIT_FAILURE;
	}
	printf("SQLite store in %s; batching: engine write transactions grouped %d per SQLite transaction by a\n"
	       "wrapper backend (the C API has no way to group operations itself)\n", dir_path, BATCH);

	batched_rate = batched(sqlite_store("batched.sqlite", ACCT_SQLITE_SYNC_FULL), BATCHED_ADDS, "SQLite");
	single_rate = single(sqlite_store("single.sqlite", ACCT_SQLITE_SYNC_FULL), SINGLE_ADDS_MAX, SINGLE_SECONDS,
	                     "SQLite");
	build_big(total, &reseller, &customer);
	open_s = open_big(reseller, customer, &count);

	if (pg && *pg) {
		acct_storage *s = NULL;

		if (acct_storage_postgres_new(&s, pg) != 0) {
			printf("PostgreSQL: not measured: %s\n", acct_error_last()->message);
		} else {
			double pb, ps;
			clear_store(s);
			pb = batched(s, PG_BATCHED_ADDS, "PostgreSQL");
			if (acct_storage_postgres_new(&s, pg) != 0)
				die("acct_storage_postgres_new");
			clear_store(s);
			ps = single(s, PG_SINGLE_ADDS_MAX, SINGLE_SECONDS, "PostgreSQL");
			if (acct_storage_postgres_new(&s, pg) == 0) {
				clear_store(s);
				acct_storage_free(s);
			}
			printf("pg_batched_adds_per_s=%.0f pg_single_adds_per_s=%.0f\n", pb, ps);
		}
	} else {
		printf("PostgreSQL: not measured (set ACCT_TEST_PG to a scratch database)\n");
	}
	remove_dir();
	printf("targets: batched_adds_per_s >= 20000 (%s), open_1m_s <= 2.00 (%s%s)\n",
	       batched_rate >= 20000 ? "met" : "MISSED", open_s <= 2.0 ? "met" : "MISSED",
	       count == 1000000 ? "" : ", but the store is not 1,000,000 accounts");
	acct_global_shutdown();
	printf("batched_adds_per_s=%.0f single_adds_per_s=%.0f open_1m_s=%.2f\n", batched_rate, single_rate, open_s);
	return 0;
}
