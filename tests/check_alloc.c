/*
 * check_alloc.c - the allocator hook (acct/sys/alloc.h) and allocation
 * failures: allocation number N fails, for N = 1, 2, ... until a whole run
 * (init, ctx, session, add, lookup, update, iterate, delete, shutdown)
 * passes without hitting the failure. Every step either succeeds or returns
 * ACCT_ENOMEM; a step that failed is retried and must then succeed (the
 * library is still consistent); at the end nothing allocated is still live.
 *
 * main() does not call acct_global_init(): the allocator must be installed
 * before it.
 */
#include "testutil.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ALLOCATIONS 200000ul

/* ------------------------------------------------------------------------ */
/* A counting allocator that fails allocation number fail_at                */
/* ------------------------------------------------------------------------ */

static struct {
	pthread_mutex_t mu;
	unsigned long count;   /* malloc and realloc calls */
	unsigned long fail_at; /* 1-based; 0: never fail */
	unsigned long failed;  /* failures injected */
	long live;             /* blocks handed out and not freed */
	int bad_payload;       /* a call came with another payload */
} A = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0, 0 };

static char payload_tag;

static int next_fails(void *payload)
{
	int fail;

	pthread_mutex_lock(&A.mu);
	if (payload != &payload_tag)
		A.bad_payload = 1;
	A.count++;
	fail = A.fail_at != 0 && A.count == A.fail_at;
	if (fail)
		A.failed++;
	pthread_mutex_unlock(&A.mu);
	return fail;
}

static void *c_malloc(void *payload, size_t size)
{
	void *p;

	if (next_fails(payload))
		return NULL;
	p = malloc(size ? size : 1);
	if (p) {
		pthread_mutex_lock(&A.mu);
		A.live++;
		pthread_mutex_unlock(&A.mu);
	}
	return p;
}

static void *c_realloc(void *payload, void *ptr, size_t size)
{
	if (!ptr)
		return c_malloc(payload, size);
	if (next_fails(payload))
		return NULL;
	return realloc(ptr, size ? size : 1);
}

static void c_free(void *payload, void *ptr)
{
	if (payload != &payload_tag)
		A.bad_payload = 1;
	if (!ptr)
		return;
	pthread_mutex_lock(&A.mu);
	A.live--;
	pthread_mutex_unlock(&A.mu);
	free(ptr);
}

static void counting_allocator(acct_allocator *a)
{
	ck_assert_ok(acct_allocator_init(a, ACCT_ALLOCATOR_VERSION));
	a->payload = &payload_tag;
	a->malloc = c_malloc;
	a->realloc = c_realloc;
	a->free = c_free;
}

static void reset_counts(unsigned long fail_at)
{
	pthread_mutex_lock(&A.mu);
	A.count = 0;
	A.fail_at = fail_at;
	A.failed = 0;
	A.live = 0;
	A.bad_payload = 0;
	pthread_mutex_unlock(&A.mu);
}

/* ------------------------------------------------------------------------ */
/* Installing allocators                                                    */
/* ------------------------------------------------------------------------ */

START_TEST(test_set_allocator_rules)
{
	acct_allocator a;

	/* Missing functions, bad versions. */
	ck_assert_ok(acct_allocator_init(&a, ACCT_ALLOCATOR_VERSION));
	ck_assert_rc(acct_global_set_allocator(&a), ACCT_EINVALID);
	counting_allocator(&a);
	a.free = NULL;
	ck_assert_rc(acct_global_set_allocator(&a), ACCT_EINVALID);
	counting_allocator(&a);
	a.realloc = NULL;
	ck_assert_rc(acct_global_set_allocator(&a), ACCT_EINVALID);
	counting_allocator(&a);
	a.version = 0;
	ck_assert_rc(acct_global_set_allocator(&a), ACCT_EINVALID);
	counting_allocator(&a);
	a.version = ACCT_ALLOCATOR_VERSION + 1;
	ck_assert_rc(acct_global_set_allocator(&a), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, NULL, "allocator of a future version");

	/* Allowed before init and after the last shutdown, never in between. */
	counting_allocator(&a);
	ck_assert_ok(acct_global_set_allocator(&a));
	ck_assert_int_eq(acct_global_init(), 1);
	ck_assert_rc(acct_global_set_allocator(NULL), ACCT_EINVALID);
	ck_assert_rc(acct_global_set_allocator(&a), ACCT_EINVALID);
	ck_assert_int_eq(acct_global_init(), 2);
	ck_assert_int_eq(acct_global_shutdown(), 1);
	ck_assert_rc(acct_global_set_allocator(NULL), ACCT_EINVALID);
	ck_assert_int_eq(acct_global_shutdown(), 0);
	ck_assert_ok(acct_global_set_allocator(NULL));
}
END_TEST

START_TEST(test_allocator_is_used)
{
	acct_allocator a;
	acct_buf b = ACCT_BUF_INIT;
	acct_ctx *ctx;
	long live_with_buf;

	counting_allocator(&a);
	reset_counts(0);
	ck_assert_ok(acct_global_set_allocator(&a));
	ck_assert_int_eq(acct_global_init(), 1);

	ck_assert_ok(acct_buf_set(&b, "hello", 5));
	live_with_buf = A.live;
	ck_assert_msg(live_with_buf >= 1, "acct_buf_set did not use the installed allocator");
	acct_buf_dispose(&b);
	ck_assert_int_eq(A.live, live_with_buf - 1);

	ctx = open_ctx();
	ck_assert_msg(A.count > 1, "a ctx was built without the installed allocator");
	acct_ctx_free(ctx);

	acct_error_clear();
	ck_assert_int_eq(acct_global_shutdown(), 0);
	ck_assert_msg(A.live == 0, "%ld blocks are still live after shutdown", A.live);
	ck_assert_msg(!A.bad_payload, "the allocator's payload was not passed through");
	ck_assert_ok(acct_global_set_allocator(NULL));
}
END_TEST

/* ------------------------------------------------------------------------ */
/* The failure loop                                                         */
/* ------------------------------------------------------------------------ */

struct run {
	unsigned long n;        /* the failing allocation */
	int enomem_steps;       /* steps that returned ACCT_ENOMEM */
	const char *failed_step;
};

/*
 * Run EXPR; if it fails with ACCT_ENOMEM (which must come from the injected
 * failure, with the error details set), run it again: it must then succeed.
 * Any other failure fails the test.
 */
#define STEP(r, name, expr)                                                                    \
	do {                                                                                       \
		unsigned long failed_before_ = A.failed;                                               \
		int rc_ = (expr);                                                                      \
		if (rc_ == ACCT_ENOMEM) {                                                              \
			const acct_error *e_ = acct_error_last();                                          \
			ck_assert_msg(A.failed > failed_before_,                                           \
			              "allocation %lu: %s returned ACCT_ENOMEM without a failed allocation", \
			              (r)->n, name);                                                       \
			ck_assert_msg(e_ != NULL && e_->code == ACCT_ENOMEM && e_->message != NULL,       \
			              "allocation %lu: %s: ACCT_ENOMEM without the error details", (r)->n, name); \
			(r)->enomem_steps++;                                                               \
			(r)->failed_step = name;                                                           \
			rc_ = (expr);                                                                      \
		}                                                                                      \
		ck_assert_msg(rc_ == 0, "allocation %lu failing: %s returned %d (%s): %s", (r)->n, name, \
		              rc_, acct_strerror(rc_), acct_error_last()->message);                   \
	} while (0)

static int init_rc(void)
{
	int rc = acct_global_init();

	return rc >= 1 ? 0 : rc;
}

static int iterate_all(acct_session *s, size_t *count)
{
	acct_account_iterator *it = NULL;
	acct_id id;
	int rc = acct_account_iterator_new(&it, s, 1, ACCT_ITER_DESCENDANTS);

	*count = 0;
	if (rc != 0)
		return rc;
	while ((rc = acct_account_iterator_next(&id, it)) == 0)
		(*count)++;
	acct_account_iterator_free(it);
	return rc == ACCT_ITEROVER ? 0 : rc;
}

static int count_cb(acct_id id, void *payload)
{
	(void)id;
	(*(size_t *)payload)++;
	return 0;
}

static void scenario(struct run *r)
{
	acct_allocator alloc;
	acct_ctx_options opts;
	acct_storage *st = NULL;
	acct_ctx *ctx = NULL;
	acct_session *s = NULL;
	acct_account *a = NULL, *b = NULL, *c = NULL;
	acct_id id = 0, uid = 0;
	size_t n = 0;

	counting_allocator(&alloc);
	ck_assert_ok(acct_global_set_allocator(&alloc));
	STEP(r, "acct_global_init", init_rc());
	STEP(r, "acct_storage_memory_new", acct_storage_memory_new(&st));
	test_ctx_options(&opts, &test_default_clock);
	STEP(r, "acct_ctx_new", acct_ctx_new(&ctx, st, &opts)); /* on failure st is still ours */
	STEP(r, "acct_session_open", acct_session_open(&s, ctx, TEST_ADMIN_LOGIN, TEST_ADMIN_PASSWORD));

	STEP(r, "acct_account_new", acct_account_new(&a, ACCT_TYPE_CUSTOMER));
	STEP(r, "set login", acct_account_set(a, ACCT_FIELD_LOGIN, "alloc-cust"));
	STEP(r, "set name", acct_account_set(a, ACCT_FIELD_NAME, "Alloc Customer"));
	STEP(r, "set email", acct_account_set(a, ACCT_FIELD_EMAIL, "alloc@example.com"));
	STEP(r, "set country", acct_account_set(a, ACCT_FIELD_COUNTRY, "NL"));
	STEP(r, "set description", acct_account_set_description(a, 1, "made while allocations fail"));
	STEP(r, "acct_account_add", acct_account_add(&id, s, 1, a));
	STEP(r, "acct_account_new (user)", acct_account_new(&c, ACCT_TYPE_USER));
	STEP(r, "set user login", acct_account_set(c, ACCT_FIELD_LOGIN, "alloc-user"));
	STEP(r, "set user name", acct_account_set(c, ACCT_FIELD_NAME, "Alloc User"));
	STEP(r, "acct_account_add (user)", acct_account_add(&uid, s, id, c));

	STEP(r, "acct_account_lookup", acct_account_lookup(&b, s, id));
	ck_assert_str_eq(acct_account_get(b, ACCT_FIELD_LOGIN), "alloc-cust");
	STEP(r, "set phone", acct_account_set(b, ACCT_FIELD_PHONE, "5550123"));
	STEP(r, "acct_account_update", acct_account_update(s, b));
	acct_account_free(b);
	b = NULL;
	STEP(r, "acct_account_lookup_login", acct_account_lookup_login(&b, s, "ALLOC-CUST"));
	ck_assert_str_eq(acct_account_get(b, ACCT_FIELD_PHONE), "5550123");

	STEP(r, "iterate", iterate_all(s, &n));
	ck_assert_uint_eq(n, 2);
	n = 0;
	STEP(r, "acct_account_foreach", (n = 0, acct_account_foreach(s, 1, ACCT_ITER_DESCENDANTS, count_cb, &n)));
	ck_assert_uint_eq(n, 2);
	STEP(r, "acct_account_suspend", acct_account_suspend(s, id));
	STEP(r, "acct_account_activate", acct_account_activate(s, id));
	STEP(r, "acct_account_delete", acct_account_delete(s, id));
	ck_assert_uint_eq(acct_ctx_account_count(ctx), 1);

	acct_account_free(a);
	acct_account_free(b);
	acct_account_free(c);
	acct_session_free(s);
	acct_ctx_free(ctx);
	acct_error_clear();
	ck_assert_int_eq(acct_global_shutdown(), 0);
	ck_assert_msg(A.live == 0, "allocation %lu failing (first failed step: %s): %ld blocks leaked",
	              r->n, r->failed_step ? r->failed_step : "none", A.live);
	ck_assert_msg(!A.bad_payload, "allocation %lu: the allocator's payload was not passed through", r->n);
	ck_assert_ok(acct_global_set_allocator(NULL));
}

START_TEST(test_allocation_failures)
{
	struct run r;
	unsigned long n, total = 0;
	int with_enomem = 0;

	for (n = 1; n <= MAX_ALLOCATIONS; n++) {
		memset(&r, 0, sizeof r);
		r.n = n;
		reset_counts(n);
		scenario(&r);
		if (r.enomem_steps)
			with_enomem++;
		if (A.failed == 0) {
			total = A.count;
			break;
		}
	}
	ck_assert_msg(n <= MAX_ALLOCATIONS, "the run never completed without a failure");
	ck_assert_msg(total > 0, "the scenario allocated nothing through the hook");
	ck_assert_msg(with_enomem > 0, "no allocation failure was ever reported as ACCT_ENOMEM (%lu allocations)",
	              total);
	fprintf(stderr, "check_alloc: %lu allocations per run; %d of %lu failure points reported ACCT_ENOMEM\n",
	        total, with_enomem, n - 1);
}
END_TEST

static Suite *alloc_suite(void)
{
	Suite *s = suite_create("alloc");
	TCase *tc;

	tc = tcase_create("hook");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_set_allocator_rules);
	tcase_add_test(tc, test_allocator_is_used);
	suite_add_tcase(s, tc);

	tc = tcase_create("failures");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, test_allocation_failures);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(alloc_suite(), 0);
}
