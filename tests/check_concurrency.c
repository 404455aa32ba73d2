/*
 * check_concurrency.c - concurrency over a SQLite store, for a bounded time.
 *
 *   threads    4 threads share one ctx over one SQLite file and run mixed
 *              operations (adds, lookups, iteration, checks, updates,
 *              suspend/activate, moves, cascading deletes, refreshes) for
 *              ~3 s; afterwards the counts match what they did, every
 *              invariant holds, and a fresh ctx over a new backend instance
 *              sees exactly the same accounts and generation.
 *   processes  2 processes (fork), each with its own ctx and backend
 *              instance on one SQLite file, run mixed writes for ~3 s, and
 *              race for the same logins ("race-0", "race-1", ...): each of
 *              them must exist exactly once, won by one process. Afterwards
 *              the store holds exactly what both did, and every invariant
 *              holds.
 *
 * Invariants (as in tests/crash_sqlite.c): the store opens; every account's
 * owner exists and may own it; descendants of the admin are exactly
 * acct_ctx_account_count() - 1 accounts; logins and GUIDs are unique and
 * looking them up gives their account; generations never go down.
 *
 * ACCT_CONCURRENCY_SECONDS changes the duration of each part (default 3).
 * Workers never call check's assertions (only the test's own thread may):
 * they record their first problem and the test asserts on it.
 * Exits 77 (SKIP) when libacct was built without SQLite.
 */
#include "testutil.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define N_THREADS 4
#define N_PROCS 2
#define MAX_CUST 20000 /* per worker; far more than ~3 s allows, even unsanitized */

static char dir_path[PATH_MAX - 64];
static char db_path[PATH_MAX];

static double seconds(void)
{
	const char *s = getenv("ACCT_CONCURRENCY_SECONDS");
	double d = s && *s ? atof(s) : 3.0;

	return d > 0 ? d : 3.0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void setup(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir_path, sizeof dir_path, "%s/acct-concurrency-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_msg(mkdtemp(dir_path) != NULL, "mkdtemp failed: %s", strerror(errno));
	snprintf(db_path, sizeof db_path, "%s/store.sqlite", dir_path);
}

static void teardown(void)
{
	const char *suffix[] = { "", "-wal", "-shm", "-journal" };
	char p[PATH_MAX + 16];
	size_t i;

	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(p, sizeof p, "%s%s", db_path, suffix[i]);
		unlink(p);
	}
	rmdir(dir_path);
}

/* A new SQLite backend instance on the test's file, or NULL (the error is in acct_error_last()). */
static acct_storage *sqlite_instance(void)
{
	acct_storage *s = NULL;

	return acct_storage_sqlite_new(&s, db_path, NULL) == 0 ? s : NULL;
}

static acct_ctx *open_sqlite_ctx(void)
{
	acct_storage *s = sqlite_instance();

	ck_assert_msg(s != NULL, "cannot open the SQLite store: %s", acct_error_last()->message);
	return open_ctx_over(s, NULL);
}

/* ------------------------------------------------------------------------ */
/* Invariants                                                               */
/* ------------------------------------------------------------------------ */

typedef struct seen {
	acct_id id;
	int type;
	char login[64];
	char guid[64];
} seen;

static int seen_cmp_login(const void *x, const void *y)
{
	return strcasecmp(((const seen *)x)->login, ((const seen *)y)->login);
}

static int seen_cmp_guid(const void *x, const void *y)
{
	return strcmp(((const seen *)x)->guid, ((const seen *)y)->guid);
}

/*
 * Check every invariant through @p ctx (a fresh one) and return the number of
 * accounts below the admin. Loops use plain ifs: each ck_assert costs check a
 * write(2), too many for thousands of accounts under valgrind.
 */
static size_t check_invariants(acct_ctx *ctx, const char *what)
{
	acct_session *admin = open_session(ctx, 1);
	acct_account_iterator *it = NULL;
	size_t n = 0, cap = 1024, i;
	seen *all = malloc(cap * sizeof(seen));
	acct_id id;
	int rc;

	ck_assert(all != NULL);
	ck_assert_ok(acct_account_iterator_new(&it, admin, 1, ACCT_ITER_DESCENDANTS));
	while ((rc = acct_account_iterator_next(&id, it)) == 0) {
		acct_account *a = NULL, *o = NULL, *x = NULL;
		seen *s;

		if (n == cap) {
			cap *= 2;
			all = realloc(all, cap * sizeof(seen));
			ck_assert(all != NULL);
		}
		if ((rc = acct_account_lookup(&a, admin, id)) != 0)
			ck_abort_msg("%s: account %" PRId64 " is reached by the iterator but its lookup gives %d: %s", what, id,
			             rc, acct_error_last()->message);
		if ((rc = acct_account_lookup(&o, admin, acct_account_owner(a))) != 0)
			ck_abort_msg("%s: account %" PRId64 " has owner %" PRId64 ", which does not exist", what, id,
			             acct_account_owner(a));
		if (!test_may_own(acct_account_type(o), acct_account_type(a)))
			ck_abort_msg("%s: account %" PRId64 " (%s) is owned by %" PRId64 " (%s)", what, id,
			             acct_account_type_name(acct_account_type(a)), acct_account_id(o),
			             acct_account_type_name(acct_account_type(o)));
		s = &all[n++];
		s->id = id;
		s->type = acct_account_type(a);
		snprintf(s->login, sizeof s->login, "%s", acct_account_get(a, ACCT_FIELD_LOGIN));
		snprintf(s->guid, sizeof s->guid, "%s", acct_account_get(a, ACCT_FIELD_GUID));
		if (acct_account_lookup_login(&x, admin, s->login) != 0 || acct_account_id(x) != id)
			ck_abort_msg("%s: login %s does not lead to account %" PRId64, what, s->login, id);
		acct_account_free(x);
		x = NULL;
		if (acct_account_lookup_guid(&x, admin, s->guid) != 0 || acct_account_id(x) != id)
			ck_abort_msg("%s: GUID %s does not lead to account %" PRId64, what, s->guid, id);
		acct_account_free(x);
		acct_account_free(o);
		acct_account_free(a);
	}
	ck_assert_int_eq(rc, ACCT_ITEROVER);
	acct_account_iterator_free(it);
	ck_assert_msg(n + 1 == acct_ctx_account_count(ctx), "%s: %zu accounts below the admin, but the count is %zu", what,
	              n, acct_ctx_account_count(ctx));
	qsort(all, n, sizeof(seen), seen_cmp_login);
	for (i = 1; i < n; i++)
		if (strcasecmp(all[i - 1].login, all[i].login) == 0)
			ck_abort_msg("%s: login %s is used twice", what, all[i].login);
	qsort(all, n, sizeof(seen), seen_cmp_guid);
	for (i = 1; i < n; i++)
		if (strcmp(all[i - 1].guid, all[i].guid) == 0)
			ck_abort_msg("%s: GUID %s is used twice", what, all[i].guid);
	free(all);
	acct_session_free(admin);
	return n;
}

/* ------------------------------------------------------------------------ */
/* Workers                                                                  */
/* ------------------------------------------------------------------------ */

struct worker {
	pthread_t thread;
	int index;
	acct_ctx *ctx;
	acct_id reseller;       /* this worker's own reseller */
	acct_id shared;         /* a reseller every worker moves customers to */
	acct_id other_reseller; /* another worker's */
	double deadline;
	int race;               /* processes: also race for "race-<k>" logins */
	int pause;              /* after each round, sleep as long as it took (see child()) */
	test_customer *cust;    /* MAX_CUST */
	int n_cust;
	/* results */
	long created, deleted, ops, race_wins, race_tried;
	uint64_t last_gen;
	test_worker_log log;
};

static void note_generation(struct worker *w)
{
	uint64_t g = acct_ctx_generation(w->ctx);

	if (g < w->last_gen)
		test_problem(&w->log, "the generation went down from %" PRIu64 " to %" PRIu64, w->last_gen, g);
	w->last_gen = g;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	acct_session *admin = NULL, *rs = NULL;
	acct_account *a = NULL;
	char login[48];
	int k, rc;

	if (acct_session_open_as(&admin, w->ctx, 1) != 0 || acct_session_open_as(&rs, w->ctx, w->reseller) != 0) {
		test_problem(&w->log, "cannot open sessions: %s", acct_error_last()->message);
		goto out;
	}
	for (k = 0; k < MAX_CUST && now_s() < w->deadline; k++) {
		test_customer *c = &w->cust[k];
		acct_id uid = 0, ids[8];
		size_t n = 0;
		int allowed = 0;
		double round_start = now_s();

		w->n_cust = k + 1;
		w->ops++;
		/* Write: a customer under the worker's reseller, as that reseller. */
		snprintf(login, sizeof login, "w%d-c%d", w->index, k);
		rc = try_add_account(&c->id, rs, w->reseller, ACCT_TYPE_CUSTOMER, login, NULL);
		if (rc != 0) {
			test_problem(&w->log, "add %s: %d: %s", login, rc, acct_error_last()->message);
			continue;
		}
		c->owner = w->reseller;
		c->alive = 1;
		w->created++;
		note_generation(w);

		/* Write: every other customer gets a user. */
		if (k % 2 == 0) {
			snprintf(login, sizeof login, "w%d-u%d", w->index, k);
			rc = try_add_account(&uid, rs, c->id, ACCT_TYPE_USER, login, NULL);
			if (rc != 0) {
				test_problem(&w->log, "add %s: %d: %s", login, rc, acct_error_last()->message);
			} else {
				c->user = uid;
				w->created++;
			}
		}

		/* Processes: race the other process for one login. */
		if (w->race) {
			acct_id rid = 0;

			snprintf(login, sizeof login, "race-%ld", w->race_tried);
			rc = try_add_account(&rid, admin, 1, ACCT_TYPE_CUSTOMER, login, NULL);
			if (rc == 0)
				w->race_wins++;
			else if (rc != ACCT_EEXISTS)
				test_problem(&w->log, "racing for %s: %d: %s", login, rc, acct_error_last()->message);
			w->race_tried++;
		}

		/* Reads: by id, by login (any case), another's reseller, iteration, a check. */
		test_worker_check_owner(&w->log, admin, c->id, w->reseller, "new customer");
		snprintf(login, sizeof login, "W%d-C%d", w->index, k);
		rc = acct_account_lookup_login(&a, rs, login);
		if (rc != 0 || acct_account_id(a) != c->id)
			test_problem(&w->log, "lookup of login %s gave %d", login, rc);
		acct_account_free(a);
		a = NULL;
		rc = acct_account_lookup(&a, rs, w->other_reseller);
		if (rc != ACCT_ENOTFOUND)
			test_problem(&w->log, "a reseller saw another reseller: %d", rc);
		else if (acct_error_last()->code != ACCT_ENOTFOUND)
			test_problem(&w->log, "the last error is %d, not this thread's ACCT_ENOTFOUND",
			             acct_error_last()->code);
		acct_account_free(a);
		a = NULL;
		if (k % 4 == 0) {
			rc = collect_ids(ids, 8, &n, admin, 1, ACCT_ITER_DESCENDANTS);
			if (rc != 0 || n < 3)
				test_problem(&w->log, "iterating the tree gave %d with %zu accounts", rc, n);
		}
		rc = collect_ids(ids, 8, &n, rs, w->reseller, ACCT_ITER_CHILDREN);
		if (rc != 0)
			test_problem(&w->log, "iterating its reseller gave %d", rc);
		rc = acct_check(&allowed, rs, "manage_dns", c->id);
		if (rc != 0)
			test_problem(&w->log, "acct_check gave %d: %s", rc, acct_error_last()->message);
		/* Any account, possibly one another worker is deleting: found or not, never an error. */
		rc = acct_account_lookup(&a, admin, (acct_id)(1 + k % 64));
		if (rc != 0 && rc != ACCT_ENOTFOUND)
			test_problem(&w->log, "lookup of a random id gave %d: %s", rc, acct_error_last()->message);
		acct_account_free(a);
		a = NULL;

		/* Write: update the phone. */
		rc = acct_account_lookup(&a, admin, c->id);
		if (rc == 0) {
			snprintf(login, sizeof login, "555%04d", k % 10000);
			rc = acct_account_set(a, ACCT_FIELD_PHONE, login);
			if (rc == 0)
				rc = acct_account_update(admin, a);
		}
		if (rc != 0)
			test_problem(&w->log, "update: %d: %s", rc, acct_error_last()->message);
		acct_account_free(a);
		a = NULL;

		/* Write: suspend and activate, as the reseller. */
		if (k % 3 == 1)
			test_worker_suspend_activate(&w->log, admin, rs, c->id);

		/* Write: move a customer to the shared reseller and, later, back. */
		if (k % 4 == 3)
			test_worker_move(&w->log, admin, c, w->shared, "change owner");
		if (k % 8 == 7 && w->cust[k - 4].alive && w->cust[k - 4].owner == w->shared)
			test_worker_move(&w->log, admin, &w->cust[k - 4], w->reseller, "change owner back");

		/* Write: delete an older customer (with its user). */
		if (k % 5 == 4 && w->cust[k - 2].alive)
			w->deleted += test_worker_delete(&w->log, admin, &w->cust[k - 2]);

		/* Now and then, an explicit refresh. */
		if (k % 16 == 15) {
			if ((rc = acct_ctx_refresh(w->ctx)) != 0)
				test_problem(&w->log, "refresh: %d: %s", rc, acct_error_last()->message);
		}
		note_generation(w);
		if (w->pause) {
			double took = now_s() - round_start;
			usleep((useconds_t)(took * 1e6));
		}
	}
	/* Each customer is where this worker left it; deleted ones are gone. */
	for (k = 0; k < w->n_cust; k++) {
		test_customer *c = &w->cust[k];

		if (!c->id)
			continue;
		if (c->alive) {
			test_worker_check_owner(&w->log, admin, c->id, c->owner, "at the end");
			if (c->user)
				test_worker_check_owner(&w->log, admin, c->user, c->id, "user at the end");
		} else if (acct_account_lookup(&a, admin, c->id) != ACCT_ENOTFOUND) {
			test_problem(&w->log, "deleted customer %" PRId64 " is still there", c->id);
			acct_account_free(a);
			a = NULL;
		}
	}
out:
	acct_session_free(rs);
	acct_session_free(admin);
	return NULL;
}

static void worker_init(struct worker *w, int index, acct_ctx *ctx, acct_id reseller, acct_id shared, acct_id other,
                        int race)
{
	memset(w, 0, sizeof *w);
	test_worker_log_init(&w->log, "worker", index);
	w->index = index;
	w->ctx = ctx;
	w->reseller = reseller;
	w->shared = shared;
	w->other_reseller = other;
	w->race = race;
	w->cust = calloc(MAX_CUST, sizeof(test_customer));
	ck_assert(w->cust != NULL);
}

/* ------------------------------------------------------------------------ */
/* 4 threads, one ctx                                                       */
/* ------------------------------------------------------------------------ */

START_TEST(test_threads_one_ctx)
{
	struct worker w[N_THREADS];
	acct_ctx *ctx = open_sqlite_ctx(), *ctx2;
	acct_session *admin = open_session(ctx, 1), *admin2;
	acct_id shared, resellers[N_THREADS];
	test_bytes v1 = TEST_BYTES_INIT, v2 = TEST_BYTES_INIT;
	size_t expected = 2 + N_THREADS, n;
	long ops = 0;
	double deadline;
	int t;

	shared = add_reseller(admin, 1, "shared", NULL);
	for (t = 0; t < N_THREADS; t++) {
		char login[16];
		snprintf(login, sizeof login, "r%d", t);
		resellers[t] = add_reseller(admin, 1, login, NULL);
	}
	deadline = now_s() + seconds();
	for (t = 0; t < N_THREADS; t++) {
		worker_init(&w[t], t, ctx, resellers[t], shared, resellers[(t + 1) % N_THREADS], 0);
		w[t].deadline = deadline;
	}
	for (t = 0; t < N_THREADS; t++)
		ck_assert_int_eq(pthread_create(&w[t].thread, NULL, worker_main, &w[t]), 0);
	for (t = 0; t < N_THREADS; t++)
		ck_assert_int_eq(pthread_join(w[t].thread, NULL), 0);
	for (t = 0; t < N_THREADS; t++) {
		ck_assert_msg(w[t].log.problems == 0, "thread %d had %d problems; the first: %s", t, w[t].log.problems,
		              w[t].log.problem);
		ck_assert_msg(w[t].n_cust > 0, "thread %d did nothing", t);
		expected += (size_t)(w[t].created - w[t].deleted);
		ops += w[t].ops;
	}

	/* The count matches what the threads did, and every invariant holds. */
	ck_assert_uint_eq(acct_ctx_account_count(ctx), expected);
	n = check_invariants(ctx, "the shared ctx");
	ck_assert_uint_eq(n, expected - 1);

	/* A fresh ctx over a new backend instance sees the same accounts and generation. */
	ctx2 = open_sqlite_ctx();
	ck_assert_uint_eq(acct_ctx_generation(ctx2), acct_ctx_generation(ctx));
	n = check_invariants(ctx2, "a fresh ctx");
	ck_assert_uint_eq(n, expected - 1);
	admin2 = open_session(ctx2, 1);
	ck_assert_ok(test_view(&v1, admin));
	ck_assert_ok(test_view(&v2, admin2));
	ck_assert_msg(test_bytes_equal(&v1, &v2), "the shared ctx and a fresh ctx over the store disagree");
	printf("threads: %d threads, %ld rounds of mixed operations, %zu accounts, generation %" PRIu64 "\n", N_THREADS,
	       ops, expected, acct_ctx_generation(ctx));

	for (t = 0; t < N_THREADS; t++)
		free(w[t].cust);
	test_bytes_free(&v1);
	test_bytes_free(&v2);
	acct_session_free(admin2);
	acct_ctx_free(ctx2);
	acct_session_free(admin);
	acct_ctx_free(ctx);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* 2 processes, one file                                                    */
/* ------------------------------------------------------------------------ */

/* What a child process reports through its pipe. */
struct report {
	long created, deleted, ops, race_wins, race_tried;
	uint64_t last_gen;
	int problems;
	char problem[256];
};

static void child(int index, acct_id reseller, acct_id other, double deadline, int fd)
{
	struct report r;
	struct worker w;
	acct_ctx_options opts;
	acct_storage *s = sqlite_instance();
	acct_ctx *ctx = NULL;

	memset(&r, 0, sizeof r);
	memset(&w, 0, sizeof w);
	test_ctx_options(&opts, NULL);
	if (!s || acct_ctx_new(&ctx, s, &opts) != 0) {
		r.problems = 1;
		snprintf(r.problem, sizeof r.problem, "process %d: cannot open the store: %s", index,
		         acct_error_last()->message);
		acct_storage_free(s);
	} else {
		test_worker_log_init(&w.log, "worker", index);
		w.index = index;
		w.ctx = ctx;
		w.reseller = reseller;
		w.shared = other; /* moves go to the other process's reseller */
		w.other_reseller = other;
		w.race = 1;
		w.deadline = deadline;
		/*
		 * SQLite does not queue writers: one waiting in BEGIN IMMEDIATE
		 * polls (sleeping 1..100 ms between tries), so a process that
		 * writes back to back can keep the other out for seconds (up to
		 * busy_timeout, then ACCT_ESTORAGE). Resting after each round of
		 * about ten writes as long as the round took (at most half of the
		 * time writing, however slow the build) lets both make progress.
		 */
		w.pause = 1;
		w.cust = calloc(MAX_CUST, sizeof(test_customer));
		if (!w.cust)
			_exit(2);
		worker_main(&w);
		r.created = w.created;
		r.deleted = w.deleted;
		r.ops = w.ops;
		r.race_wins = w.race_wins;
		r.race_tried = w.race_tried;
		r.last_gen = w.last_gen;
		r.problems = w.log.problems;
		memcpy(r.problem, w.log.problem, sizeof r.problem);
		free(w.cust);
		acct_ctx_free(ctx);
	}
	if (write(fd, &r, sizeof r) != (ssize_t)sizeof r)
		_exit(3);
	close(fd);
	acct_global_shutdown();
	_exit(0);
}

START_TEST(test_two_processes_one_file)
{
	acct_ctx *ctx = open_sqlite_ctx();
	acct_session *admin = open_session(ctx, 1);
	acct_id resellers[N_PROCS];
	struct report rep[N_PROCS];
	pid_t pid[N_PROCS];
	int fds[N_PROCS][2], p;
	long wins = 0, tried = 0, k;
	size_t expected = 1 + N_PROCS, n;
	uint64_t gen;
	double deadline;

	resellers[0] = add_reseller(admin, 1, "proc0", NULL);
	resellers[1] = add_reseller(admin, 1, "proc1", NULL);
	gen = acct_ctx_generation(ctx);
	/* No SQLite connection may cross a fork: close ours first. */
	acct_session_free(admin);
	acct_ctx_free(ctx);

	deadline = now_s() + seconds();
	fflush(NULL);
	for (p = 0; p < N_PROCS; p++) {
		ck_assert_int_eq(pipe(fds[p]), 0);
		pid[p] = fork();
		ck_assert_msg(pid[p] >= 0, "fork: %s", strerror(errno));
		if (pid[p] == 0) {
			close(fds[p][0]);
			child(p, resellers[p], resellers[1 - p], deadline, fds[p][1]);
		}
		close(fds[p][1]);
	}
	for (p = 0; p < N_PROCS; p++) {
		int status = 0;
		ssize_t got;

		memset(&rep[p], 0, sizeof rep[p]);
		got = read(fds[p][0], &rep[p], sizeof rep[p]);
		close(fds[p][0]);
		ck_assert_int_eq(waitpid(pid[p], &status, 0), pid[p]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "process %d ended with status %d", p, status);
		ck_assert_msg(got == (ssize_t)sizeof rep[p], "process %d sent no report", p);
		ck_assert_msg(rep[p].problems == 0, "process %d had %d problems; the first: %s", p, rep[p].problems,
		              rep[p].problem);
		ck_assert_msg(rep[p].ops > 0, "process %d did nothing", p);
		ck_assert_msg(rep[p].last_gen > gen, "process %d: its generation did not move", p);
		expected += (size_t)(rep[p].created - rep[p].deleted);
		wins += rep[p].race_wins;
		if (rep[p].race_tried > tried)
			tried = rep[p].race_tried;
	}
	/* Every raced login exists exactly once: one process won each. */
	ck_assert_msg(wins == tried, "%ld race logins were tried, but %ld adds of them succeeded", tried, wins);
	expected += (size_t)wins;

	ctx = open_sqlite_ctx();
	admin = open_session(ctx, 1);
	for (k = 0; k < tried; k++) {
		acct_account *a = NULL;
		char login[32];

		snprintf(login, sizeof login, "race-%ld", k);
		if (acct_account_lookup_login(&a, admin, login) != 0 || acct_account_owner(a) != 1)
			ck_abort_msg("raced login %s is missing", login);
		acct_account_free(a);
	}
	ck_assert_uint_ge(acct_ctx_generation(ctx), rep[0].last_gen);
	ck_assert_uint_ge(acct_ctx_generation(ctx), rep[1].last_gen);
	ck_assert_uint_eq(acct_ctx_account_count(ctx), expected);
	n = check_invariants(ctx, "after two processes");
	ck_assert_uint_eq(n, expected - 1);
	printf("processes: %d processes, %ld + %ld rounds of mixed operations, %ld raced logins (%ld / %ld won), "
	       "%zu accounts\n", N_PROCS, rep[0].ops, rep[1].ops, tried, rep[0].race_wins, rep[1].race_wins, expected);
	acct_session_free(admin);
	acct_ctx_free(ctx);
}
END_TEST

int main(void)
{
	Suite *s;
	TCase *tc;

#ifndef HAVE_SQLITE
	printf("check_concurrency: SKIP (libacct was built without SQLite)\n");
	return 77;
#endif
	s = suite_create("concurrency");
	tc = tcase_create("sqlite");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_threads_one_ctx);
	tcase_add_test(tc, test_two_processes_one_file);
	suite_add_tcase(s, tc);
	return test_run_suite(s, 1);
}
