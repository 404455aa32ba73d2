/*
 * check_threads.c - one ctx shared by 4 threads doing mixed reads and writes
 * for a bounded number of iterations; afterwards the hierarchy is intact,
 * the count matches what the threads did, and a fresh ctx over the same
 * store sees exactly the same accounts.
 *
 * check's assertions may only run on the test's own thread: workers record
 * their first problem and the main thread asserts on it.
 */
#include "testutil.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define N_THREADS 4
#define ITERATIONS 40

struct worker {
	pthread_t thread;
	int index;
	acct_ctx *ctx;
	acct_id reseller; /* this thread's own reseller */
	acct_id shared;   /* a reseller every thread moves customers to */
	acct_id other_reseller;
	test_customer cust[ITERATIONS];
	int created;      /* accounts this thread created */
	int deleted;      /* accounts removed by its deletes (cascades counted) */
	test_worker_log log;
};

static int add_plain(acct_id *id, acct_session *s, acct_id owner, int type, const char *login)
{
	return try_add_account(id, s, owner, type, login, NULL);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	acct_session *admin = NULL, *rs = NULL;
	acct_account *a = NULL;
	char login[32];
	int k, rc;

	if (acct_session_open_as(&admin, w->ctx, 1) != 0 || acct_session_open_as(&rs, w->ctx, w->reseller) != 0) {
		test_problem(&w->log, "cannot open sessions: %s", acct_error_last()->message);
		goto out;
	}
	for (k = 0; k < ITERATIONS; k++) {
		test_customer *c = &w->cust[k];
		acct_id uid = 0;
		size_t n = 0;
		acct_id seen[8];

		/* Write: a customer under the thread's reseller, as that reseller. */
		snprintf(login, sizeof login, "t%d-c%d", w->index, k);
		rc = add_plain(&c->id, rs, w->reseller, ACCT_TYPE_CUSTOMER, login);
		if (rc != 0) {
			test_problem(&w->log, "add %s: %d: %s", login, rc, acct_error_last()->message);
			continue;
		}
		c->owner = w->reseller;
		c->alive = 1;
		w->created++;

		/* Write: every other customer gets a user. */
		if (k % 2 == 0) {
			snprintf(login, sizeof login, "t%d-u%d", w->index, k);
			rc = add_plain(&uid, rs, c->id, ACCT_TYPE_USER, login);
			if (rc != 0)
				test_problem(&w->log, "add %s: %d: %s", login, rc, acct_error_last()->message);
			else {
				c->user = uid;
				w->created++;
			}
		}

		/* Reads: by id, by login, another thread's reseller, iteration. */
		test_worker_check_owner(&w->log, admin, c->id, w->reseller, "new customer");
		snprintf(login, sizeof login, "T%d-C%d", w->index, k);
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
		rc = collect_ids(seen, 8, &n, admin, 1, ACCT_ITER_DESCENDANTS);
		if (rc != 0 || n < (size_t)N_THREADS + 1)
			test_problem(&w->log, "iterating the tree gave %d with %zu accounts", rc, n);
		rc = collect_ids(seen, 8, &n, rs, w->reseller, ACCT_ITER_CHILDREN);
		if (rc != 0)
			test_problem(&w->log, "iterating its reseller gave %d", rc);

		/* Write: update the phone. */
		rc = acct_account_lookup(&a, admin, c->id);
		if (rc == 0) {
			snprintf(login, sizeof login, "555%04d", k);
			rc = acct_account_set(a, ACCT_FIELD_PHONE, login);
			if (rc == 0)
				rc = acct_account_update(admin, a);
			if (rc != 0)
				test_problem(&w->log, "update: %d: %s", rc, acct_error_last()->message);
		}
		acct_account_free(a);
		a = NULL;

		/* Write: suspend and activate, as the reseller. */
		if (k % 3 == 1)
			test_worker_suspend_activate(&w->log, admin, rs, c->id);

		/* Write: move a customer to the shared reseller, as the admin. */
		if (k % 4 == 3)
			test_worker_move(&w->log, admin, c, w->shared, "change owner");

		/* Write: delete an older customer (with its user). */
		if (k % 5 == 4 && w->cust[k - 2].alive)
			w->deleted += test_worker_delete(&w->log, admin, &w->cust[k - 2]);
	}
out:
	acct_session_free(rs);
	acct_session_free(admin);
	return NULL;
}

START_TEST(test_shared_ctx)
{
	struct worker w[N_THREADS];
	acct_storage *store = NULL, *w2 = NULL;
	acct_ctx *ctx = open_ctx_with_storage(&store), *ctx2 = NULL;
	acct_session *admin = open_session(ctx, 1), *admin2;
	acct_id shared, all[N_THREADS * ITERATIONS * 2 + 16];
	size_t n = 0, i, expected = 2 + N_THREADS;
	test_storage st2;
	acct_ctx_options opts;
	test_bytes v1 = TEST_BYTES_INIT, v2 = TEST_BYTES_INIT;
	int t, k;

	shared = add_reseller(admin, 1, "shared", NULL);
	memset(w, 0, sizeof w);
	for (t = 0; t < N_THREADS; t++) {
		char login[16];

		snprintf(login, sizeof login, "r%d", t);
		w[t].index = t;
		test_worker_log_init(&w[t].log, "thread", t);
		w[t].ctx = ctx;
		w[t].shared = shared;
		w[t].reseller = add_reseller(admin, 1, login, NULL);
	}
	for (t = 0; t < N_THREADS; t++)
		w[t].other_reseller = w[(t + 1) % N_THREADS].reseller;
	for (t = 0; t < N_THREADS; t++)
		ck_assert_int_eq(pthread_create(&w[t].thread, NULL, worker_main, &w[t]), 0);
	for (t = 0; t < N_THREADS; t++)
		ck_assert_int_eq(pthread_join(w[t].thread, NULL), 0);

	for (t = 0; t < N_THREADS; t++) {
		ck_assert_msg(w[t].log.problems == 0, "thread %d had %d problems; the first: %s", t, w[t].log.problems,
		              w[t].log.problem);
		ck_assert_int_eq(w[t].created, ITERATIONS + ITERATIONS / 2);
		expected += (size_t)(w[t].created - w[t].deleted);
	}

	/* The count matches what the threads did. */
	ck_assert_uint_eq(acct_ctx_account_count(ctx), expected);
	ck_assert_ok(collect_ids(all, sizeof all / sizeof all[0], &n, admin, 1, ACCT_ITER_DESCENDANTS));
	ck_assert_uint_eq(n, expected - 1);

	/* Every account's owner exists and may own it. */
	for (i = 0; i < n; i++) {
		acct_account *a = lookup_ok(admin, all[i]), *o;

		o = lookup_ok(admin, acct_account_owner(a));
		ck_assert_msg(test_may_own(acct_account_type(o), acct_account_type(a)),
		              "%" PRId64 " (%s) is owned by %" PRId64 " (%s)", all[i],
		              acct_account_type_name(acct_account_type(a)), acct_account_id(o),
		              acct_account_type_name(acct_account_type(o)));
		ck_assert_uint_eq(acct_account_status(a), 0);
		acct_account_free(o);
		acct_account_free(a);
	}

	/* Each thread's customers are where it left them; deleted ones are gone. */
	for (t = 0; t < N_THREADS; t++) {
		for (k = 0; k < ITERATIONS; k++) {
			test_customer *c = &w[t].cust[k];
			acct_account *a = NULL;

			if (!c->alive) {
				ck_assert_rc(acct_account_lookup(&a, admin, c->id), ACCT_ENOTFOUND);
				if (c->user)
					ck_assert_rc(acct_account_lookup(&a, admin, c->user), ACCT_ENOTFOUND);
				continue;
			}
			ck_assert_int_eq(owner_of(admin, c->id), c->owner);
			if (c->user)
				ck_assert_int_eq(owner_of(admin, c->user), c->id);
		}
	}

	/* A fresh ctx over the same store sees the same accounts. */
	test_storage_setup(&st2, store, 0);
	ck_assert_ok(test_storage_wrap(&w2, &st2));
	test_ctx_options(&opts, &test_default_clock);
	ck_assert_ok(acct_ctx_new(&ctx2, w2, &opts));
	admin2 = open_session(ctx2, 1);
	ck_assert_ok(test_view(&v1, admin));
	ck_assert_ok(test_view(&v2, admin2));
	ck_assert_msg(test_bytes_equal(&v1, &v2), "the shared ctx and the store disagree");
	acct_session_free(admin2);
	acct_ctx_free(ctx2);
	ck_assert_int_eq(st2.free_calls, 1);

	test_bytes_free(&v1);
	test_bytes_free(&v2);
	acct_session_free(admin);
	acct_ctx_free(ctx);
}
END_TEST

/* Error details stay with the thread that failed. */
struct err_probe {
	acct_ctx *ctx;
	int rounds_ok;
};

static void *error_thread(void *arg)
{
	struct err_probe *p = arg;
	acct_session *s = NULL;
	acct_account *a = NULL;
	int i;

	if (acct_session_open_as(&s, p->ctx, 1) != 0)
		return NULL;
	for (i = 0; i < 200; i++) {
		int rc = acct_account_lookup(&a, s, 424242);

		if (rc == ACCT_ENOTFOUND && acct_error_last()->code == ACCT_ENOTFOUND &&
		    acct_error_last()->message[0] != '\0')
			p->rounds_ok++;
		rc = acct_account_lookup(&a, s, 1);
		if (rc == 0)
			acct_account_free(a);
		a = NULL;
	}
	acct_session_free(s);
	return NULL;
}

START_TEST(test_errors_per_thread)
{
	acct_ctx *ctx = open_ctx();
	struct err_probe p[N_THREADS];
	pthread_t th[N_THREADS];
	acct_account *a = NULL;
	acct_id id = 0;
	acct_session *admin = open_session(ctx, 1);
	int t;

	memset(p, 0, sizeof p);
	ck_assert_rc(try_add_account(&id, admin, 1, ACCT_TYPE_CUSTOMER, "bad login!", NULL), ACCT_EINVALID);
	for (t = 0; t < N_THREADS; t++) {
		p[t].ctx = ctx;
		ck_assert_int_eq(pthread_create(&th[t], NULL, error_thread, &p[t]), 0);
	}
	for (t = 0; t < N_THREADS; t++)
		ck_assert_int_eq(pthread_join(th[t], NULL), 0);
	for (t = 0; t < N_THREADS; t++)
		ck_assert_msg(p[t].rounds_ok == 200, "thread %d saw its own error in %d of 200 rounds", t, p[t].rounds_ok);
	/* The main thread's error is still its own. */
	ck_assert_int_eq(acct_error_last()->code, ACCT_EINVALID);
	ck_assert_rc(acct_account_lookup(&a, admin, 424242), ACCT_ENOTFOUND);
	acct_session_free(admin);
	acct_ctx_free(ctx);
}
END_TEST

static Suite *threads_suite(void)
{
	Suite *s = suite_create("threads");
	TCase *tc = tcase_create("shared_ctx");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_shared_ctx);
	tcase_add_test(tc, test_errors_per_thread);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(threads_suite(), 1);
}
