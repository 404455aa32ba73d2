/*
 * check_atomicity.c - every engine operation is one transaction.
 *
 * A host backend (testutil's wrapper, written against acct/sys/storage.h
 * over the memory backend) fails storage call number N (begin, get, put,
 * del, iterate, commit or iterator next; never rollback) with ACCT_EUSER.
 * For N = 1, 2, ... until the operation succeeds:
 *   - the operation reports the failure (with the backend's message),
 *   - the store is byte for byte what it was before,
 *   - the ctx still answers as before, and agrees with a fresh ctx opened
 *     over the same store.
 */
#include "testutil.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define MAX_CALLS 100000ul

/*
 *   admin
 *   +-- R1 (reseller)
 *   |   +-- C1 (customer) +-- U1, U2
 *   |   +-- C2 (customer) +-- U3
 *   |   +-- UR1 (user)
 *   +-- R2 (reseller, no customers) +-- UR2 (user)
 *   +-- CA (customer) +-- UA (user)
 */
enum { ADMIN, R1, C1, U1, U2, C2, U3, UR1, R2, UR2, CA, UA, N_NODES };

static const test_node nodes[N_NODES] = {
	[ADMIN] = { "admin", ACCT_TYPE_ADMIN, -1 },
	[R1] = { "r1", ACCT_TYPE_RESELLER, ADMIN },
	[C1] = { "c1", ACCT_TYPE_CUSTOMER, R1 },
	[U1] = { "u1", ACCT_TYPE_USER, C1 },
	[U2] = { "u2", ACCT_TYPE_USER, C1 },
	[C2] = { "c2", ACCT_TYPE_CUSTOMER, R1 },
	[U3] = { "u3", ACCT_TYPE_USER, C2 },
	[UR1] = { "ur1", ACCT_TYPE_USER, R1 },
	[R2] = { "r2", ACCT_TYPE_RESELLER, ADMIN },
	[UR2] = { "ur2", ACCT_TYPE_USER, R2 },
	[CA] = { "ca", ACCT_TYPE_CUSTOMER, ADMIN },
	[UA] = { "ua", ACCT_TYPE_USER, CA },
};

/* The subtree of R1 (what the delete case removes). */
static const int r1_subtree[] = { R1, C1, U1, U2, C2, U3, UR1, -1 };

typedef struct fixture {
	test_storage st;       /* the faulting wrapper's state; owns the memory store */
	acct_ctx *ctx;
	acct_session *admin;
	acct_id id[N_NODES];
	acct_account *obj;     /* an object prepared before the fault is armed */
	acct_id new_id;
	size_t base_count;
} fixture;

static void fixture_build(fixture *f)
{
	acct_storage *inner = NULL, *w = NULL;

	memset(f, 0, sizeof *f);
	ck_assert_ok(acct_storage_memory_new(&inner));
	test_storage_setup(&f->st, inner, 1);
	ck_assert_ok(test_storage_wrap(&w, &f->st));
	f->ctx = open_ctx_over(w, &test_default_clock);
	f->admin = open_session(f->ctx, 1);
	add_tree(f->id, f->admin, nodes, N_NODES);
	f->base_count = acct_ctx_account_count(f->ctx);
}

static void fixture_free(fixture *f)
{
	acct_account_free(f->obj);
	acct_session_free(f->admin);
	acct_ctx_free(f->ctx);
	ck_assert_int_eq(f->st.free_calls, 1);
}

static int found(fixture *f, acct_id id)
{
	acct_account *a = NULL;
	int rc = acct_account_lookup(&a, f->admin, id);

	acct_account_free(a);
	ck_assert_msg(rc == 0 || rc == ACCT_ENOTFOUND, "lookup of %" PRId64 " gave %d: %s", id, rc,
	              acct_error_last()->message);
	return rc == 0;
}

static acct_id id_by_login(fixture *f, const char *login)
{
	acct_account *a = NULL;
	acct_id id = 0;
	int rc = acct_account_lookup_login(&a, f->admin, login);

	ck_assert_msg(rc == 0 || rc == ACCT_ENOTFOUND, "lookup of '%s' gave %d", login, rc);
	if (rc == 0)
		id = acct_account_id(a);
	acct_account_free(a);
	return id;
}

static acct_id id_by_external_id(fixture *f, const char *ext)
{
	acct_account *a = NULL;
	acct_id id = 0;
	int rc = acct_account_lookup_external_id(&a, f->admin, ext);

	ck_assert_msg(rc == 0 || rc == ACCT_ENOTFOUND, "lookup of external id '%s' gave %d", ext, rc);
	if (rc == 0)
		id = acct_account_id(a);
	acct_account_free(a);
	return id;
}

static void expect_children(fixture *f, int parent, const acct_id *want, size_t n_want, const char *what)
{
	acct_id got[N_NODES + 4];
	size_t n = 0;

	ck_assert_ok(collect_ids(got, N_NODES + 4, &n, f->admin, f->id[parent], ACCT_ITER_CHILDREN));
	assert_ids(got, n, want, n_want, what);
}

/* ------------------------------------------------------------------------ */
/* The operations                                                           */
/* ------------------------------------------------------------------------ */

/* Add a customer under R1, with an external id. */
static void add_prepare(fixture *f)
{
	ck_assert_ok(acct_account_new(&f->obj, ACCT_TYPE_CUSTOMER));
	ck_assert_ok(acct_account_set(f->obj, ACCT_FIELD_LOGIN, "newcust"));
	ck_assert_ok(acct_account_set(f->obj, ACCT_FIELD_NAME, "New Customer"));
	ck_assert_ok(acct_account_set(f->obj, ACCT_FIELD_PASSWORD, TEST_PASSWORD));
	ck_assert_ok(acct_account_set(f->obj, ACCT_FIELD_EXTERNAL_ID, "ext-new"));
	ck_assert_ok(acct_account_set_description(f->obj, 1, "added under fire"));
}

static int add_run(fixture *f)
{
	return acct_account_add(&f->new_id, f->admin, f->id[R1], f->obj);
}

static void add_check(fixture *f, int done)
{
	acct_id kids[4] = { f->id[C1], f->id[C2], f->id[UR1], 0 };
	acct_id id = id_by_login(f, "newcust");

	if (!done) {
		ck_assert_msg(id == 0, "the failed add left login 'newcust' behind");
		ck_assert_msg(id_by_external_id(f, "ext-new") == 0, "the failed add left its external id behind");
		ck_assert_uint_eq(acct_ctx_account_count(f->ctx), f->base_count);
		expect_children(f, R1, kids, 3, "children of r1 after a failed add");
	} else {
		ck_assert_msg(id > 0, "the add is not visible");
		ck_assert_int_eq(id, f->new_id);
		ck_assert_int_eq(id_by_external_id(f, "ext-new"), id);
		ck_assert_int_eq(owner_of(f->admin, id), f->id[R1]);
		ck_assert_uint_eq(acct_ctx_account_count(f->ctx), f->base_count + 1);
		kids[3] = id;
		expect_children(f, R1, kids, 4, "children of r1 after the add");
	}
}

/* Update C1: login, phone, external id and a description. */
static void update_prepare(fixture *f)
{
	f->obj = lookup_ok(f->admin, f->id[C1]);
	ck_assert_ok(acct_account_set(f->obj, ACCT_FIELD_LOGIN, "c1-renamed"));
	ck_assert_ok(acct_account_set(f->obj, ACCT_FIELD_PHONE, "5550111"));
	ck_assert_ok(acct_account_set(f->obj, ACCT_FIELD_EXTERNAL_ID, "ext-c1"));
	ck_assert_ok(acct_account_set_description(f->obj, 1, "updated under fire"));
}

static int update_run(fixture *f)
{
	return acct_account_update(f->admin, f->obj);
}

static void update_check(fixture *f, int done)
{
	acct_account *a = lookup_ok(f->admin, f->id[C1]);
	const char *phone = acct_account_get(a, ACCT_FIELD_PHONE);

	if (!done) {
		ck_assert_str_eq(acct_account_get(a, ACCT_FIELD_LOGIN), "c1");
		ck_assert_msg(phone == NULL, "the failed update left phone '%s'", phone);
		ck_assert_ptr_null(acct_account_description(a, 1));
		ck_assert_int_eq(id_by_login(f, "c1"), f->id[C1]);
		ck_assert_int_eq(id_by_login(f, "c1-renamed"), 0);
		ck_assert_int_eq(id_by_external_id(f, "ext-c1"), 0);
	} else {
		ck_assert_str_eq(acct_account_get(a, ACCT_FIELD_LOGIN), "c1-renamed");
		ck_assert_msg(phone && strcmp(phone, "5550111") == 0, "the phone was not saved");
		ck_assert_str_eq(acct_account_description(a, 1), "updated under fire");
		ck_assert_int_eq(id_by_login(f, "c1"), 0);
		ck_assert_int_eq(id_by_login(f, "c1-renamed"), f->id[C1]);
		ck_assert_int_eq(id_by_external_id(f, "ext-c1"), f->id[C1]);
	}
	acct_account_free(a);
}

/* Disable R1 (and so its subtree). */
static int status_run(fixture *f)
{
	return acct_account_set_status(f->admin, f->id[R1], ACCT_STATUS_BY_ADMIN);
}

static void status_check(fixture *f, int done)
{
	unsigned int eff = 0xdead;
	acct_session *s = NULL;
	int rc;

	ck_assert_ok(acct_account_effective_status(&eff, f->admin, f->id[U1]));
	rc = acct_session_open_as(&s, f->ctx, f->id[U1]);
	acct_session_free(s);
	if (!done) {
		ck_assert_uint_eq(status_of(f->admin, f->id[R1]), 0);
		ck_assert_uint_eq(eff, 0);
		ck_assert_msg(rc == 0, "u1 cannot open a session after a failed suspend: %d", rc);
	} else {
		ck_assert_uint_eq(status_of(f->admin, f->id[R1]), ACCT_STATUS_BY_ADMIN);
		ck_assert_uint_eq(eff, ACCT_STATUS_BY_ADMIN);
		ck_assert_int_eq(rc, ACCT_EDISABLED);
	}
	ck_assert_uint_eq(status_of(f->admin, f->id[U1]), 0);
}

/* Delete R1 with its customers and users. */
static int delete_run(fixture *f)
{
	return acct_account_delete(f->admin, f->id[R1]);
}

static void delete_check(fixture *f, int done)
{
	acct_id desc[N_NODES];
	size_t n = 0;
	int i;

	for (i = 0; r1_subtree[i] >= 0; i++) {
		int present = found(f, f->id[r1_subtree[i]]);

		ck_assert_msg(present == !done, "%s is %s", nodes[r1_subtree[i]].login,
		              present ? "still there after the delete" : "gone after a failed delete");
		ck_assert_msg((id_by_login(f, nodes[r1_subtree[i]].login) != 0) == !done,
		              "login '%s' is wrong after the %s delete", nodes[r1_subtree[i]].login,
		              done ? "successful" : "failed");
	}
	ck_assert_ok(collect_ids(desc, N_NODES, &n, f->admin, 1, ACCT_ITER_DESCENDANTS));
	ck_assert_uint_eq(n, done ? N_NODES - 8 : N_NODES - 1);
	ck_assert_uint_eq(acct_ctx_account_count(f->ctx), done ? f->base_count - 7 : f->base_count);
}

/* Move C1 (with its users) from R1 to R2. */
static int move_run(fixture *f)
{
	return acct_account_change_owner(f->admin, f->id[C1], f->id[R2]);
}

static void move_check(fixture *f, int done)
{
	acct_id r2_before[] = { f->id[UR2] };
	acct_id r2_after[] = { f->id[C1], f->id[UR2] };
	acct_id r1_before[] = { f->id[C1], f->id[C2], f->id[UR1] };
	acct_id r1_after[] = { f->id[C2], f->id[UR1] };

	ck_assert_int_eq(owner_of(f->admin, f->id[C1]), done ? f->id[R2] : f->id[R1]);
	ck_assert_int_eq(owner_of(f->admin, f->id[U1]), f->id[C1]);
	if (!done) {
		expect_children(f, R2, r2_before, 1, "children of r2 after a failed move");
		expect_children(f, R1, r1_before, 3, "children of r1 after a failed move");
	} else {
		expect_children(f, R2, r2_after, 2, "children of r2 after the move");
		expect_children(f, R1, r1_after, 2, "children of r1 after the move");
	}
}

/* Convert CA (the admin's customer) to a reseller. */
static int convert_up_run(fixture *f)
{
	return acct_account_convert(f->admin, f->id[CA], ACCT_TYPE_RESELLER);
}

static void convert_up_check(fixture *f, int done)
{
	ck_assert_int_eq(type_of(f->admin, f->id[CA]), done ? ACCT_TYPE_RESELLER : ACCT_TYPE_CUSTOMER);
	ck_assert_int_eq(owner_of(f->admin, f->id[UA]), f->id[CA]);
	ck_assert_int_eq(type_of(f->admin, f->id[UA]), ACCT_TYPE_USER);
}

/* Convert R2 (no customers) to a customer. */
static int convert_down_run(fixture *f)
{
	return acct_account_convert(f->admin, f->id[R2], ACCT_TYPE_CUSTOMER);
}

static void convert_down_check(fixture *f, int done)
{
	ck_assert_int_eq(type_of(f->admin, f->id[R2]), done ? ACCT_TYPE_CUSTOMER : ACCT_TYPE_RESELLER);
	ck_assert_int_eq(owner_of(f->admin, f->id[UR2]), f->id[R2]);
}

static const struct atomic_case {
	const char *name;
	void (*prepare)(fixture *f);
	int (*run)(fixture *f);
	void (*check)(fixture *f, int done);
} cases[] = {
	{ "add customer", add_prepare, add_run, add_check },
	{ "update", update_prepare, update_run, update_check },
	{ "set status", NULL, status_run, status_check },
	{ "delete subtree", NULL, delete_run, delete_check },
	{ "change owner", NULL, move_run, move_check },
	{ "convert customer to reseller", NULL, convert_up_run, convert_up_check },
	{ "convert reseller to customer", NULL, convert_down_run, convert_down_check },
};

/* ------------------------------------------------------------------------ */
/* The loop                                                                 */
/* ------------------------------------------------------------------------ */

/* A second ctx over the same store must see exactly what @p f's ctx sees. */
static void expect_agrees_with_fresh_ctx(fixture *f, const char *what)
{
	test_storage st2;
	acct_storage *w = NULL;
	acct_ctx *ctx2 = NULL;
	acct_session *admin2;
	acct_ctx_options opts;
	test_bytes v1 = TEST_BYTES_INIT, v2 = TEST_BYTES_INIT;

	test_storage_setup(&st2, f->st.inner, 0);
	ck_assert_ok(test_storage_wrap(&w, &st2));
	test_ctx_options(&opts, &test_default_clock);
	opts.admin_login = NULL;
	opts.admin_password = NULL;
	ck_assert_msg(acct_ctx_new(&ctx2, w, &opts) == 0, "%s: a fresh ctx cannot open the store: %s", what,
	              acct_error_last()->message);
	admin2 = open_session(ctx2, 1);
	ck_assert_ok(test_view(&v1, f->admin));
	ck_assert_ok(test_view(&v2, admin2));
	ck_assert_msg(test_bytes_equal(&v1, &v2), "%s: the ctx shows\n%s\nbut the store holds\n%s", what,
	              (const char *)v1.data, (const char *)v2.data);
	ck_assert_msg(acct_ctx_account_count(f->ctx) == acct_ctx_account_count(ctx2),
	              "%s: the ctx counts %zu accounts, the store holds %zu", what,
	              acct_ctx_account_count(f->ctx), acct_ctx_account_count(ctx2));
	acct_session_free(admin2);
	acct_ctx_free(ctx2);
	ck_assert_int_eq(st2.free_calls, 1);
	test_bytes_free(&v1);
	test_bytes_free(&v2);
}

START_TEST(test_atomic)
{
	const struct atomic_case *c = &cases[_i];
	fixture f;
	test_bytes before = TEST_BYTES_INIT, after = TEST_BYTES_INIT;
	unsigned long n, calls = 0;
	char what[128], msg[512];
	int rc = ACCT_ERROR;
	acct_id later;

	fixture_build(&f);
	for (n = 1; n <= MAX_CALLS; n++) {
		snprintf(what, sizeof what, "%s, storage call %lu failing", c->name, n);
		if (c->prepare)
			c->prepare(&f);
		ck_assert_ok(test_dump_store(&before, f.st.inner));
		f.st.calls = 0;
		f.st.faults = 0;
		f.st.fail_at = n;
		acct_error_clear();
		rc = c->run(&f);
		test_last_message(msg, sizeof msg);
		calls = f.st.calls;
		f.st.fail_at = 0;
		acct_account_free(f.obj);
		f.obj = NULL;
		ck_assert_msg(f.st.violations == 0, "%s: storage contract broken: %s", what, f.st.violation);
		if (rc == 0) {
			ck_assert_msg(f.st.faults == 0, "%s: the operation succeeded although the call failed "
			              "(the backend's error was ignored)", what);
			break;
		}
		ck_assert_msg(f.st.faults == 1, "%s: the operation failed (%d, %s: '%s') although only %lu calls were made",
		              what, rc, acct_strerror(rc), msg, calls);
		ck_assert_msg(rc == ACCT_EUSER || rc == ACCT_ESTORAGE, "%s: the operation returned %d (%s): '%s'",
		              what, rc, acct_strerror(rc), msg);
		ck_assert_msg(test_strcasestr(msg, TEST_FAULT_MESSAGE) != NULL,
		              "%s: the backend's message was lost: '%s'", what, msg);

		ck_assert_ok(test_dump_store(&after, f.st.inner));
		ck_assert_msg(test_bytes_equal(&before, &after), "%s: the store changed", what);
		c->check(&f, 0);
		expect_agrees_with_fresh_ctx(&f, what);
	}
	ck_assert_msg(rc == 0, "%s: still failing after %lu calls", c->name, MAX_CALLS);
	ck_assert_msg(n > 1, "%s: the operation made no storage call at all", c->name);
	snprintf(what, sizeof what, "%s, after success (%lu storage calls)", c->name, calls);
	c->check(&f, 1);
	expect_agrees_with_fresh_ctx(&f, what);

	/* The ctx goes on working. */
	later = add_customer(f.admin, 1, "later", NULL);
	ck_assert_int_eq(id_by_login(&f, "later"), later);
	ck_assert_msg(f.st.violations == 0, "%s: storage contract broken: %s", c->name, f.st.violation);

	fprintf(stderr, "check_atomicity: %s: %lu storage calls; each failure point rolled back\n", c->name, calls);
	test_bytes_free(&before);
	test_bytes_free(&after);
	fixture_free(&f);
}
END_TEST

static Suite *atomicity_suite(void)
{
	Suite *s = suite_create("atomicity");
	TCase *tc = tcase_create("fault_injection");

	tcase_set_timeout(tc, 600);
	tcase_add_loop_test(tc, test_atomic, 0, (int)(sizeof cases / sizeof cases[0]));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(atomicity_suite(), 1);
}
