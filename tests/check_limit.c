/*
 * check_limit.c - limits, the reseller resource policy, IP pools and custom
 * buttons (acct/limit.h, spec/policy.md sections 4 and 6).
 *
 * Interpretations used where the headers leave a choice (spec/policy.md wins):
 * - a refusal by the sum rule or max_cl is ACCT_ELIMIT whoever asks (the
 *   admin included) and names the limit in its message; a reseller lowering
 *   below what its customers already hold is refused too ("enforced when
 *   limits change");
 * - "expiration" is a date, not an amount: customers' expirations are not
 *   added up against their reseller's;
 * - turning overselling off while oversold is refused (ACCT_ELIMIT) and the
 *   policy stays as it was;
 * - change owner refused because an address of the customer is not in the
 *   new owner's pool is ACCT_EDENIED or ACCT_EINVALID (the header of
 *   acct_ip_add() uses EINVALID for "not in the owner's pool");
 * - IPv6 canonical form is RFC 5952 (inet_ntop's: lower case, longest run
 *   of zeros compressed);
 * - an exclusive address is in no other branch of the tree, either way
 *   round, but passes down its own: a reseller's exclusive address may go to
 *   that reseller's customers (their addresses must come from its pool).
 */
#include "testutil.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------------ */
/* The tree                                                                 */
/* ------------------------------------------------------------------------ */

/*
 *   admin
 *   +-- R1 (reseller)
 *   |   +-- C1 (customer) +-- U1 (user)
 *   |   +-- C1B (customer)
 *   +-- R2 (reseller)
 *   |   +-- C2 (customer)
 *   +-- R3 (reseller, no customers)
 *   +-- CA (customer)
 */
enum { ADMIN, R1, C1, U1, C1B, R2, C2, R3, CA, N_NODES };

static const test_node nodes[N_NODES] = {
	[ADMIN] = { "admin", ACCT_TYPE_ADMIN, -1 },
	[R1] = { "r1", ACCT_TYPE_RESELLER, ADMIN },
	[C1] = { "c1", ACCT_TYPE_CUSTOMER, R1 },
	[U1] = { "u1", ACCT_TYPE_USER, C1 },
	[C1B] = { "c1b", ACCT_TYPE_CUSTOMER, R1 },
	[R2] = { "r2", ACCT_TYPE_RESELLER, ADMIN },
	[C2] = { "c2", ACCT_TYPE_CUSTOMER, R2 },
	[R3] = { "r3", ACCT_TYPE_RESELLER, ADMIN },
	[CA] = { "ca", ACCT_TYPE_CUSTOMER, ADMIN },
};

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

static void limit_ok(acct_session *s, acct_id target, const char *name, int64_t value)
{
	int rc = acct_limit_set(s, target, name, value);

	ck_assert_msg(rc == 0, "setting %s=%" PRId64 " on %" PRId64 " as %" PRId64 " returned %d (%s): %s", name, value,
	              target, acct_session_account(s), rc, acct_strerror(rc), acct_error_last()->message);
}

/* The limit as stored: asserts the read works; @p is_set receives whether it was set. */
static int64_t limit_of(acct_session *s, acct_id target, const char *name, int *is_set)
{
	int64_t v = -77;
	int set = -1, rc = acct_limit_get(&v, &set, s, target, name);

	ck_assert_msg(rc == 0, "acct_limit_get(%" PRId64 ", %s) returned %d (%s): %s", target, name, rc, acct_strerror(rc),
	              acct_error_last()->message);
	ck_assert_msg(set == 0 || set == 1, "is_set is %d", set);
	if (is_set)
		*is_set = set;
	return v;
}

/* The call returned ACCT_ELIMIT with a message naming @p limit; the store did not change. */
static void expect_elimit(test_tree *t, int rc, const test_bytes *before, const char *limit, const char *what)
{
	test_bytes after = TEST_BYTES_INIT;
	char msg[512];

	test_last_message(msg, sizeof msg);
	ck_assert_msg(rc == ACCT_ELIMIT, "%s: returned %d (%s), expected ACCT_ELIMIT; message '%s'", what, rc,
	              acct_strerror(rc), msg);
	test_assert_last_error(ACCT_ELIMIT, limit, what);
	ck_assert_int_eq(acct_error_last()->plesk_code, 1024);
	ck_assert_ok(test_dump_store(&after, t->store));
	ck_assert_msg(test_bytes_equal(before, &after), "%s: refused, but the store changed", what);
	test_bytes_free(&after);
}

static int check_limit(acct_session *s, acct_id target, const char *name, int64_t in_use)
{
	int allowed = -1, rc = acct_limit_check(&allowed, s, target, name, in_use);

	ck_assert_msg(rc == 0, "acct_limit_check(%" PRId64 ", %s, %" PRId64 ") returned %d (%s): %s", target, name,
	              in_use, rc, acct_strerror(rc), acct_error_last()->message);
	ck_assert_msg(allowed == 0 || allowed == 1, "acct_limit_check gave %d", allowed);
	return allowed;
}

/* ------------------------------------------------------------------------ */
/* Names, values, unknown names                                             */
/* ------------------------------------------------------------------------ */

static const char *const limit_names[] = {
	"max_cl", "max_dom", "max_subdom", "max_dom_aliases", "disk_space", "max_traffic", "max_wu",
	"max_db", "max_box", "mbox_quota", "max_maillists", "max_webapps", "expiration",
};

START_TEST(test_limit_names)
{
	size_t i, j;

	ck_assert_uint_eq(acct_limit_count(), N_ELEMS(limit_names));
	for (i = 0; i < N_ELEMS(limit_names); i++) {
		const char *n = acct_limit_name(i);
		int found = 0;

		ck_assert_msg(n != NULL, "limit %zu has no name", i);
		for (j = 0; j < N_ELEMS(limit_names); j++)
			found += strcmp(n, limit_names[j]) == 0;
		ck_assert_msg(found == 1, "limit %zu is '%s', not a name of spec/policy.md section 6", i, n);
		for (j = 0; j < i; j++)
			ck_assert_msg(strcmp(n, acct_limit_name(j)) != 0, "'%s' is listed twice", n);
	}
	ck_assert_ptr_null(acct_limit_name(N_ELEMS(limit_names)));
	ck_assert_ptr_null(acct_limit_name((size_t)-1));
	ck_assert_int_eq(ACCT_UNLIMITED, -1);
}
END_TEST

START_TEST(test_limit_values)
{
	test_tree t;
	int set = -1;
	size_t i;

	open_tree(&t, nodes, N_NODES);
	/* Never set: unlimited, and says so. */
	for (i = 0; i < N_ELEMS(limit_names); i++) {
		ck_assert_msg(limit_of(t.admin, t.id[C1], limit_names[i], &set) == -1 && set == 0,
		              "%s of a new customer is not unset and unlimited", limit_names[i]);
	}
	limit_ok(t.admin, t.id[C1], "max_dom", 12);
	ck_assert_int_eq(limit_of(t.admin, t.id[C1], "max_dom", &set), 12);
	ck_assert_int_eq(set, 1);
	/* The reseller and the customer itself read it. */
	ck_assert_int_eq(limit_of(tree_session(&t, R1), t.id[C1], "max_dom", NULL), 12);
	ck_assert_int_eq(limit_of(tree_session(&t, C1), t.id[C1], "max_dom", NULL), 12);
	/* -1 set explicitly: unlimited but set. */
	limit_ok(t.admin, t.id[C1], "max_dom", ACCT_UNLIMITED);
	ck_assert_int_eq(limit_of(t.admin, t.id[C1], "max_dom", &set), -1);
	ck_assert_int_eq(set, 1);
	limit_ok(t.admin, t.id[C1], "disk_space", INT64_C(1) << 40);
	ck_assert_int_eq(limit_of(t.admin, t.id[C1], "disk_space", NULL), INT64_C(1) << 40);
	limit_ok(t.admin, t.id[C1], "max_db", 0);
	ck_assert_int_eq(limit_of(t.admin, t.id[C1], "max_db", &set), 0);
	ck_assert_int_eq(set, 1);
	/* Below -1: invalid, nothing stored. */
	ck_assert_rc(acct_limit_set(t.admin, t.id[C1], "max_db", -2), ACCT_EINVALID);
	ck_assert_rc(acct_limit_set(t.admin, t.id[C1], "max_db", INT64_MIN), ACCT_EINVALID);
	ck_assert_int_eq(limit_of(t.admin, t.id[C1], "max_db", NULL), 0);
	/* Unset: unlimited and no longer set. */
	ck_assert_ok(acct_limit_unset(t.admin, t.id[C1], "max_db"));
	ck_assert_int_eq(limit_of(t.admin, t.id[C1], "max_db", &set), -1);
	ck_assert_int_eq(set, 0);
	/* Limits are stored: another lookup path (a fresh session) sees them. */
	{
		acct_session *again = open_session(t.ctx, 1);
		ck_assert_int_eq(limit_of(again, t.id[C1], "disk_space", NULL), INT64_C(1) << 40);
		acct_session_free(again);
	}
	close_tree(&t);
}
END_TEST

START_TEST(test_limit_unknown_names)
{
	static const char *const bad[] = { "max_foo", "", "MAX_DOM", "max_dom ", "maxdom" };
	test_tree t;
	test_bytes before = TEST_BYTES_INIT, after = TEST_BYTES_INIT;
	int64_t v = 5;
	int allowed = 1, set = 1;
	size_t i;

	open_tree(&t, nodes, N_NODES);
	ck_assert_ok(test_dump_store(&before, t.store));
	for (i = 0; i < N_ELEMS(bad); i++) {
		ck_assert_msg(acct_limit_set(t.admin, t.id[C1], bad[i], 1) == ACCT_EINVALID, "set '%s' was not refused", bad[i]);
		ck_assert_msg(acct_limit_unset(t.admin, t.id[C1], bad[i]) == ACCT_EINVALID, "unset '%s' was not refused",
		              bad[i]);
		ck_assert_msg(acct_limit_get(&v, &set, t.admin, t.id[C1], bad[i]) == ACCT_EINVALID,
		              "get '%s' was not refused", bad[i]);
		allowed = 1;
		ck_assert_msg(acct_limit_check(&allowed, t.admin, t.id[C1], bad[i], 0) == ACCT_EINVALID && allowed == 0,
		              "check '%s' was not refused (allowed=%d)", bad[i], allowed);
	}
	ck_assert_rc(acct_limit_set(t.admin, t.id[C1], NULL, 1), ACCT_EINVALID);
	allowed = 1;
	ck_assert_rc(acct_limit_check(&allowed, t.admin, t.id[C1], NULL, 0), ACCT_EINVALID);
	ck_assert_int_eq(allowed, 0);
	ck_assert_rc(acct_limit_get(NULL, NULL, t.admin, t.id[C1], "max_dom"), ACCT_EINVALID);
	ck_assert_rc(acct_limit_check(NULL, t.admin, t.id[C1], "max_dom", 0), ACCT_EINVALID);
	ck_assert_ok(test_dump_store(&after, t.store));
	ck_assert_msg(test_bytes_equal(&before, &after), "refused limit calls changed the store");
	test_bytes_free(&before);
	test_bytes_free(&after);
	close_tree(&t);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Who sets which limits                                                    */
/* ------------------------------------------------------------------------ */

START_TEST(test_max_cl_resellers_only)
{
	test_tree t;
	int set = 1;

	open_tree(&t, nodes, N_NODES);
	limit_ok(t.admin, t.id[R1], "max_cl", 5);
	ck_assert_int_eq(limit_of(t.admin, t.id[R1], "max_cl", NULL), 5);
	ck_assert_rc(acct_limit_set(t.admin, t.id[CA], "max_cl", 5), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, "max_cl", "max_cl on the admin's customer");
	ck_assert_rc(acct_limit_set(t.admin, t.id[C1], "max_cl", 1), ACCT_EINVALID);
	ck_assert_rc(acct_limit_set(tree_session(&t, R1), t.id[C1], "max_cl", 1), ACCT_EINVALID);
	ck_assert_int_eq(limit_of(t.admin, t.id[C1], "max_cl", &set), -1);
	ck_assert_int_eq(set, 0);
	/* Users carry no limits at all. */
	ck_assert_rc(acct_limit_set(t.admin, t.id[U1], "max_dom", 1), ACCT_EINVALID);
	close_tree(&t);
}
END_TEST

START_TEST(test_nobody_sets_its_own)
{
	test_tree t;
	int rc;

	open_tree(&t, nodes, N_NODES);
	ck_assert_rc(acct_limit_set(tree_session(&t, R1), t.id[R1], "max_dom", 100), ACCT_EDENIED);
	ck_assert_int_eq(acct_error_last()->deny_kind, ACCT_DENY_RULE);
	ck_assert_rc(acct_limit_unset(tree_session(&t, R1), t.id[R1], "max_dom"), ACCT_EDENIED);
	ck_assert_rc(acct_limit_set(tree_session(&t, R1), t.id[R1], "max_cl", 100), ACCT_EDENIED);
	ck_assert_rc(acct_limit_set(tree_session(&t, C1), t.id[C1], "max_dom", 100), ACCT_EDENIED);
	ck_assert_rc(acct_limit_set(tree_session(&t, U1), t.id[U1], "max_dom", 100), ACCT_EDENIED);
	rc = acct_limit_set(t.admin, 1, "max_dom", 100);
	ck_assert_msg(rc == ACCT_EDENIED || rc == ACCT_EINVALID, "the admin set its own limit: %d (%s)", rc,
	              acct_strerror(rc));
	/* What the admin set stays. */
	limit_ok(t.admin, t.id[R1], "max_dom", 3);
	ck_assert_rc(acct_limit_set(tree_session(&t, R1), t.id[R1], "max_dom", 100), ACCT_EDENIED);
	ck_assert_int_eq(limit_of(t.admin, t.id[R1], "max_dom", NULL), 3);
	close_tree(&t);
}
END_TEST

START_TEST(test_reseller_sets_only_its_customers)
{
	test_tree t;

	open_tree(&t, nodes, N_NODES);
	limit_ok(tree_session(&t, R1), t.id[C1], "max_dom", 4);
	ck_assert_int_eq(limit_of(t.admin, t.id[C1], "max_dom", NULL), 4);
	limit_ok(tree_session(&t, R1), t.id[C1B], "mbox_quota", 1000);
	ck_assert_ok(acct_limit_unset(tree_session(&t, R1), t.id[C1], "max_dom"));
	/* Not another reseller's customer, not the admin's, not a sibling reseller. */
	ck_assert_rc(acct_limit_set(tree_session(&t, R1), t.id[C2], "max_dom", 4), ACCT_ENOTFOUND);
	ck_assert_int_eq(acct_error_last()->deny_kind, ACCT_DENY_OBJECT);
	ck_assert_rc(acct_limit_set(tree_session(&t, R1), t.id[CA], "max_dom", 4), ACCT_ENOTFOUND);
	ck_assert_rc(acct_limit_set(tree_session(&t, R1), t.id[R2], "max_dom", 4), ACCT_ENOTFOUND);
	ck_assert_rc(acct_limit_set(tree_session(&t, R1), 1, "max_dom", 4), ACCT_ENOTFOUND);
	ck_assert_rc(acct_limit_set(tree_session(&t, R1), 999999, "max_dom", 4), ACCT_ENOTFOUND);
	ck_assert_int_eq(limit_of(t.admin, t.id[C2], "max_dom", NULL), -1);
	/* Its customers' users have no limits. */
	ck_assert_rc(acct_limit_set(tree_session(&t, R1), t.id[U1], "max_dom", 4), ACCT_EINVALID);
	/* A customer sets none, not even its users'. */
	ck_assert_rc(acct_limit_set(tree_session(&t, C1), t.id[U1], "max_dom", 4), ACCT_EDENIED);
	ck_assert_int_eq(acct_error_last()->deny_kind, ACCT_DENY_METHOD);
	/* Reads follow scope. */
	{
		int64_t v = 0;
		ck_assert_rc(acct_limit_get(&v, NULL, tree_session(&t, R1), t.id[C2], "max_dom"), ACCT_ENOTFOUND);
		ck_assert_rc(acct_limit_get(&v, NULL, tree_session(&t, C1), t.id[C1B], "max_dom"), ACCT_ENOTFOUND);
	}
	close_tree(&t);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* max_cl                                                                   */
/* ------------------------------------------------------------------------ */

START_TEST(test_max_cl_on_create)
{
	test_tree t;
	test_bytes before = TEST_BYTES_INIT;
	acct_id id = 0;
	int rc;

	open_tree(&t, nodes, N_NODES);
	/* R1 owns two customers: a max_cl of 2 leaves no room. */
	limit_ok(t.admin, t.id[R1], "max_cl", 2);
	ck_assert_ok(test_dump_store(&before, t.store));
	rc = try_add_account(&id, tree_session(&t, R1), t.id[R1], ACCT_TYPE_CUSTOMER, "third", NULL);
	expect_elimit(&t, rc, &before, "max_cl", "r1 creating a third customer with max_cl 2");
	ck_assert_int_eq(acct_error_last()->deny_kind, ACCT_DENY_RULE);
	ck_assert_int_eq(id, 0);
	/* The admin is held to it too. */
	rc = try_add_account(&id, t.admin, t.id[R1], ACCT_TYPE_CUSTOMER, "third", NULL);
	expect_elimit(&t, rc, &before, "max_cl", "the admin creating a third customer for r1 with max_cl 2");
	/* Users do not count. */
	add_user(tree_session(&t, R1), t.id[R1], "r1-staff", NULL);
	/* Room again: one more, then full. */
	limit_ok(t.admin, t.id[R1], "max_cl", 3);
	add_customer(tree_session(&t, R1), t.id[R1], "third", NULL);
	test_bytes_free(&before);
	ck_assert_ok(test_dump_store(&before, t.store));
	rc = try_add_account(&id, tree_session(&t, R1), t.id[R1], ACCT_TYPE_CUSTOMER, "fourth", NULL);
	expect_elimit(&t, rc, &before, "max_cl", "r1 creating a fourth customer with max_cl 3");
	/* Unlimited. */
	limit_ok(t.admin, t.id[R1], "max_cl", ACCT_UNLIMITED);
	add_customer(tree_session(&t, R1), t.id[R1], "fourth", NULL);
	add_customer(tree_session(&t, R1), t.id[R1], "fifth", NULL);
	/* max_cl 0 on an empty reseller: none at all; a deleted customer frees a place. */
	limit_ok(t.admin, t.id[R3], "max_cl", 0);
	test_bytes_free(&before);
	ck_assert_ok(test_dump_store(&before, t.store));
	rc = try_add_account(&id, t.admin, t.id[R3], ACCT_TYPE_CUSTOMER, "r3-first", NULL);
	expect_elimit(&t, rc, &before, "max_cl", "a customer for r3 with max_cl 0");
	limit_ok(t.admin, t.id[R3], "max_cl", 1);
	id = add_customer(t.admin, t.id[R3], "r3-first", NULL);
	ck_assert_rc(try_add_account(NULL, t.admin, t.id[R3], ACCT_TYPE_CUSTOMER, "r3-second", NULL), ACCT_ELIMIT);
	ck_assert_ok(acct_account_delete(t.admin, id));
	add_customer(t.admin, t.id[R3], "r3-second", NULL);
	test_bytes_free(&before);
	close_tree(&t);
}
END_TEST

START_TEST(test_max_cl_on_change_owner)
{
	test_tree t;
	test_bytes before = TEST_BYTES_INIT;
	int rc;

	open_tree(&t, nodes, N_NODES);
	/* R2 owns C2: max_cl 1 is full. */
	limit_ok(t.admin, t.id[R2], "max_cl", 1);
	ck_assert_ok(test_dump_store(&before, t.store));
	rc = acct_account_change_owner(t.admin, t.id[CA], t.id[R2]);
	expect_elimit(&t, rc, &before, "max_cl", "moving the admin's customer to a full r2");
	ck_assert_int_eq(owner_of(t.admin, t.id[CA]), 1);
	rc = acct_account_change_owner(t.admin, t.id[C1], t.id[R2]);
	expect_elimit(&t, rc, &before, "max_cl", "moving r1's customer to a full r2");
	ck_assert_int_eq(owner_of(t.admin, t.id[C1]), t.id[R1]);
	ck_assert_int_eq(owner_of(t.admin, t.id[U1]), t.id[C1]);
	/* Room for one. */
	limit_ok(t.admin, t.id[R2], "max_cl", 2);
	ck_assert_ok(acct_account_change_owner(t.admin, t.id[CA], t.id[R2]));
	ck_assert_int_eq(owner_of(t.admin, t.id[CA]), t.id[R2]);
	ck_assert_rc(acct_account_change_owner(t.admin, t.id[C1], t.id[R2]), ACCT_ELIMIT);
	/* Moving out frees a place: back to the admin, then C1 fits. */
	ck_assert_ok(acct_account_change_owner(t.admin, t.id[CA], 1));
	ck_assert_ok(acct_account_change_owner(t.admin, t.id[C1], t.id[R2]));
	ck_assert_int_eq(owner_of(t.admin, t.id[C1]), t.id[R2]);
	test_bytes_free(&before);
	close_tree(&t);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* The sum rule and overselling                                             */
/* ------------------------------------------------------------------------ */

START_TEST(test_sum_rule)
{
	test_tree t;
	test_bytes before = TEST_BYTES_INIT;
	int rc;

	open_tree(&t, nodes, N_NODES);
	limit_ok(t.admin, t.id[R1], "max_dom", 10);
	limit_ok(tree_session(&t, R1), t.id[C1], "max_dom", 6);
	ck_assert_ok(test_dump_store(&before, t.store));
	rc = acct_limit_set(tree_session(&t, R1), t.id[C1B], "max_dom", 5);
	expect_elimit(&t, rc, &before, "max_dom", "6 + 5 under r1's 10");
	ck_assert_int_eq(acct_error_last()->deny_kind, ACCT_DENY_RULE);
	/* The admin is held to it too. */
	rc = acct_limit_set(t.admin, t.id[C1B], "max_dom", 5);
	expect_elimit(&t, rc, &before, "max_dom", "the admin setting 6 + 5 under r1's 10");
	/* Exactly the reseller's own: fine. */
	limit_ok(tree_session(&t, R1), t.id[C1B], "max_dom", 4);
	/* Unlimited counts as infinite. */
	test_bytes_free(&before);
	ck_assert_ok(test_dump_store(&before, t.store));
	rc = acct_limit_set(tree_session(&t, R1), t.id[C1], "max_dom", ACCT_UNLIMITED);
	expect_elimit(&t, rc, &before, "max_dom", "an unlimited customer under r1's 10");
	/* A limit never set (or unset) does not count. */
	ck_assert_ok(acct_limit_unset(tree_session(&t, R1), t.id[C1], "max_dom"));
	limit_ok(tree_session(&t, R1), t.id[C1B], "max_dom", 10);
	/* Other limits are independent; limits the reseller has no bound on are free. */
	limit_ok(tree_session(&t, R1), t.id[C1], "max_db", 1000);
	limit_ok(tree_session(&t, R1), t.id[C1B], "max_db", ACCT_UNLIMITED);
	/* Lowering the reseller's own below what its customers hold is refused. */
	test_bytes_free(&before);
	ck_assert_ok(test_dump_store(&before, t.store));
	rc = acct_limit_set(t.admin, t.id[R1], "max_dom", 9);
	expect_elimit(&t, rc, &before, "max_dom", "lowering r1's max_dom below its customers' 10");
	ck_assert_int_eq(limit_of(t.admin, t.id[R1], "max_dom", NULL), 10);
	limit_ok(t.admin, t.id[R1], "max_dom", 11);
	/* Finite again over an unlimited customer: refused. */
	test_bytes_free(&before);
	ck_assert_ok(test_dump_store(&before, t.store));
	rc = acct_limit_set(t.admin, t.id[R1], "max_db", 5000);
	expect_elimit(&t, rc, &before, "max_db", "a finite max_db over a customer with an unlimited one");
	/* The admin's own customers are bound by nothing. */
	limit_ok(t.admin, t.id[CA], "max_dom", ACCT_UNLIMITED);
	test_bytes_free(&before);
	close_tree(&t);
}
END_TEST

START_TEST(test_sum_rule_on_change_owner)
{
	test_tree t;
	test_bytes before = TEST_BYTES_INIT;
	int rc;

	open_tree(&t, nodes, N_NODES);
	limit_ok(t.admin, t.id[R2], "max_dom", 5);
	limit_ok(tree_session(&t, R2), t.id[C2], "max_dom", 3);
	limit_ok(t.admin, t.id[CA], "max_dom", 3);
	ck_assert_ok(test_dump_store(&before, t.store));
	rc = acct_account_change_owner(t.admin, t.id[CA], t.id[R2]);
	expect_elimit(&t, rc, &before, "max_dom", "moving a customer with 3 under r2 (5, 3 used)");
	ck_assert_int_eq(owner_of(t.admin, t.id[CA]), 1);
	limit_ok(t.admin, t.id[CA], "max_dom", 2);
	ck_assert_ok(acct_account_change_owner(t.admin, t.id[CA], t.id[R2]));
	/* An unlimited customer cannot join a reseller with a finite bound. */
	limit_ok(t.admin, t.id[C1], "max_dom", ACCT_UNLIMITED);
	test_bytes_free(&before);
	ck_assert_ok(test_dump_store(&before, t.store));
	rc = acct_account_change_owner(t.admin, t.id[C1], t.id[R2]);
	expect_elimit(&t, rc, &before, "max_dom", "moving an unlimited customer under r2");
	test_bytes_free(&before);
	close_tree(&t);
}
END_TEST

/* expiration is a date: a customer's is never added to its siblings'. */
START_TEST(test_expiration_not_summed)
{
	test_tree t;
	int64_t now = TEST_CLOCK_START;

	open_tree(&t, nodes, N_NODES);
	limit_ok(t.admin, t.id[R1], "expiration", now + 100000);
	limit_ok(tree_session(&t, R1), t.id[C1], "expiration", now + 1000);
	limit_ok(tree_session(&t, R1), t.id[C1B], "expiration", now + 2000);
	ck_assert_int_eq(limit_of(t.admin, t.id[C1B], "expiration", NULL), now + 2000);
	close_tree(&t);
}
END_TEST

START_TEST(test_oversell)
{
	test_tree t;
	test_bytes before = TEST_BYTES_INIT;
	int oversell = -1, overuse = -1, rc;

	open_tree(&t, nodes, N_NODES);
	/* Defaults. */
	ck_assert_ok(acct_reseller_policy_get(&oversell, &overuse, t.admin, t.id[R1]));
	ck_assert_int_eq(oversell, 0);
	ck_assert_int_eq(overuse, ACCT_OVERUSE_NORMAL);
	ck_assert_ok(acct_reseller_policy_get(&oversell, &overuse, tree_session(&t, R1), t.id[R1]));

	limit_ok(t.admin, t.id[R1], "max_dom", 10);
	limit_ok(tree_session(&t, R1), t.id[C1], "max_dom", 8);
	ck_assert_rc(acct_limit_set(tree_session(&t, R1), t.id[C1B], "max_dom", 8), ACCT_ELIMIT);
	/* Overselling on: the sum may pass the reseller's own. */
	ck_assert_ok(acct_reseller_policy_set(t.admin, t.id[R1], 1, ACCT_OVERUSE_NOT_SUSPEND_NOTIFY));
	ck_assert_ok(acct_reseller_policy_get(&oversell, &overuse, t.admin, t.id[R1]));
	ck_assert_int_eq(oversell, 1);
	ck_assert_int_eq(overuse, ACCT_OVERUSE_NOT_SUSPEND_NOTIFY);
	limit_ok(tree_session(&t, R1), t.id[C1B], "max_dom", 8);
	limit_ok(tree_session(&t, R1), t.id[C1], "max_dom", ACCT_UNLIMITED);
	/* Turning it off while oversold: refused, and the policy stays. */
	ck_assert_ok(test_dump_store(&before, t.store));
	rc = acct_reseller_policy_set(t.admin, t.id[R1], 0, ACCT_OVERUSE_BLOCK);
	expect_elimit(&t, rc, &before, "max_dom", "turning overselling off while r1 is oversold");
	ck_assert_ok(acct_reseller_policy_get(&oversell, &overuse, t.admin, t.id[R1]));
	ck_assert_int_eq(oversell, 1);
	ck_assert_int_eq(overuse, ACCT_OVERUSE_NOT_SUSPEND_NOTIFY);
	/* Back within bounds: now it may go off. */
	limit_ok(tree_session(&t, R1), t.id[C1], "max_dom", 3); /* 3 + 8 > 10: still oversold */
	ck_assert_rc(acct_reseller_policy_set(t.admin, t.id[R1], 0, ACCT_OVERUSE_BLOCK), ACCT_ELIMIT);
	limit_ok(tree_session(&t, R1), t.id[C1B], "max_dom", 7); /* 3 + 7 = 10 */
	ck_assert_ok(acct_reseller_policy_set(t.admin, t.id[R1], 0, ACCT_OVERUSE_BLOCK));
	ck_assert_ok(acct_reseller_policy_get(&oversell, &overuse, t.admin, t.id[R1]));
	ck_assert_int_eq(oversell, 0);
	ck_assert_int_eq(overuse, ACCT_OVERUSE_BLOCK);
	ck_assert_rc(acct_limit_set(tree_session(&t, R1), t.id[C1], "max_dom", 4), ACCT_ELIMIT);

	/* Only the admin sets it, only on resellers, only known overuse values. */
	ck_assert_rc(acct_reseller_policy_set(tree_session(&t, R1), t.id[R1], 1, ACCT_OVERUSE_NORMAL), ACCT_EDENIED);
	ck_assert_rc(acct_reseller_policy_set(tree_session(&t, C1), t.id[C1], 1, ACCT_OVERUSE_NORMAL), ACCT_EDENIED);
	ck_assert_rc(acct_reseller_policy_set(t.admin, t.id[CA], 1, ACCT_OVERUSE_NORMAL), ACCT_EINVALID);
	ck_assert_rc(acct_reseller_policy_set(t.admin, t.id[R1], 1, 0), ACCT_EINVALID);
	ck_assert_rc(acct_reseller_policy_set(t.admin, t.id[R1], 1, 6), ACCT_EINVALID);
	ck_assert_rc(acct_reseller_policy_get(&oversell, &overuse, t.admin, t.id[CA]), ACCT_EINVALID);
	ck_assert_rc(acct_reseller_policy_get(&oversell, &overuse, tree_session(&t, R1), t.id[R2]), ACCT_ENOTFOUND);
	ck_assert_ok(acct_reseller_policy_get(&oversell, NULL, t.admin, t.id[R1]));
	ck_assert_int_eq(oversell, 0);
	test_bytes_free(&before);
	close_tree(&t);
}
END_TEST

START_TEST(test_overuse_names)
{
	ck_assert_str_eq(acct_overuse_name(ACCT_OVERUSE_BLOCK), "block");
	ck_assert_str_eq(acct_overuse_name(ACCT_OVERUSE_NOTIFY), "notify");
	ck_assert_str_eq(acct_overuse_name(ACCT_OVERUSE_NORMAL), "normal");
	ck_assert_str_eq(acct_overuse_name(ACCT_OVERUSE_NOT_SUSPEND), "not_suspend");
	ck_assert_str_eq(acct_overuse_name(ACCT_OVERUSE_NOT_SUSPEND_NOTIFY), "not_suspend_notify");
	ck_assert_ptr_null(acct_overuse_name(0));
	ck_assert_ptr_null(acct_overuse_name(6));
	ck_assert_ptr_null(acct_overuse_name(-1));
}
END_TEST

/* ------------------------------------------------------------------------ */
/* acct_limit_check                                                         */
/* ------------------------------------------------------------------------ */

START_TEST(test_limit_check)
{
	test_tree t;
	int allowed = 1;

	open_tree(&t, nodes, N_NODES);
	limit_ok(t.admin, t.id[C1], "max_dom", 5);
	ck_assert_int_eq(check_limit(tree_session(&t, C1), t.id[C1], "max_dom", 0), 1);
	ck_assert_int_eq(check_limit(tree_session(&t, C1), t.id[C1], "max_dom", 5), 1);
	ck_assert_int_eq(check_limit(tree_session(&t, C1), t.id[C1], "max_dom", 6), 0);
	ck_assert_int_eq(check_limit(tree_session(&t, R1), t.id[C1], "max_dom", 6), 0);
	ck_assert_int_eq(check_limit(t.admin, t.id[C1], "max_dom", 5), 1);
	/* Never set, or -1: anything. */
	ck_assert_int_eq(check_limit(tree_session(&t, C1), t.id[C1], "max_db", INT64_C(1) << 50), 1);
	limit_ok(t.admin, t.id[C1], "max_db", ACCT_UNLIMITED);
	ck_assert_int_eq(check_limit(tree_session(&t, C1), t.id[C1], "max_db", INT64_C(1) << 50), 1);
	/* 0: nothing but 0. */
	limit_ok(t.admin, t.id[C1], "max_box", 0);
	ck_assert_int_eq(check_limit(tree_session(&t, C1), t.id[C1], "max_box", 0), 1);
	ck_assert_int_eq(check_limit(tree_session(&t, C1), t.id[C1], "max_box", 1), 0);
	/* Out of scope: not found, fail closed. */
	ck_assert_rc(acct_limit_check(&allowed, tree_session(&t, C1), t.id[C1B], "max_dom", 0), ACCT_ENOTFOUND);
	ck_assert_int_eq(allowed, 0);
	allowed = 1;
	ck_assert_rc(acct_limit_check(&allowed, tree_session(&t, R1), t.id[C2], "max_dom", 0), ACCT_ENOTFOUND);
	ck_assert_int_eq(allowed, 0);
	close_tree(&t);
}
END_TEST

START_TEST(test_limit_check_expiration)
{
	test_tree t;
	int64_t now = TEST_CLOCK_START;

	open_tree(&t, nodes, N_NODES);
	/* No expiration anywhere: any time. */
	ck_assert_int_eq(check_limit(tree_session(&t, C1), t.id[C1], "expiration", now + 999999), 1);
	/* The reseller's expiration binds its customer that has none, and that customer's user. */
	limit_ok(t.admin, t.id[R1], "expiration", now + 1000);
	ck_assert_int_eq(check_limit(tree_session(&t, C1), t.id[C1], "expiration", now + 999), 1);
	ck_assert_int_eq(check_limit(tree_session(&t, C1), t.id[C1], "expiration", now + 1000), 0);
	ck_assert_int_eq(check_limit(tree_session(&t, C1), t.id[C1], "expiration", now + 5000), 0);
	ck_assert_int_eq(check_limit(tree_session(&t, C1), t.id[U1], "expiration", now + 500), 1);
	ck_assert_int_eq(check_limit(tree_session(&t, C1), t.id[U1], "expiration", now + 5000), 0);
	ck_assert_int_eq(check_limit(tree_session(&t, U1), t.id[U1], "expiration", now + 5000), 0);
	/* Its own, earlier one binds first. */
	limit_ok(tree_session(&t, R1), t.id[C1], "expiration", now + 100);
	ck_assert_int_eq(check_limit(tree_session(&t, C1), t.id[C1], "expiration", now + 99), 1);
	ck_assert_int_eq(check_limit(tree_session(&t, C1), t.id[C1], "expiration", now + 500), 0);
	ck_assert_int_eq(check_limit(tree_session(&t, C1), t.id[U1], "expiration", now + 500), 0);
	/* Other resellers' customers are untouched. */
	ck_assert_int_eq(check_limit(t.admin, t.id[C2], "expiration", now + 5000), 1);
	/* The admin's customer with its own expiration. */
	limit_ok(t.admin, t.id[CA], "expiration", now + 10);
	ck_assert_int_eq(check_limit(t.admin, t.id[CA], "expiration", now + 9), 1);
	ck_assert_int_eq(check_limit(t.admin, t.id[CA], "expiration", now + 10), 0);
	close_tree(&t);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Convert keeps limits                                                     */
/* ------------------------------------------------------------------------ */

START_TEST(test_convert_keeps_limits)
{
	test_tree t;
	int set = 0;

	open_tree(&t, nodes, N_NODES);
	limit_ok(t.admin, t.id[CA], "max_dom", 7);
	limit_ok(t.admin, t.id[CA], "disk_space", 1000000);
	limit_ok(t.admin, t.id[CA], "max_db", ACCT_UNLIMITED);
	ck_assert_ok(acct_perm_grant(t.admin, t.id[CA], "manage_dns", 1));
	ck_assert_ok(acct_account_convert(t.admin, t.id[CA], ACCT_TYPE_RESELLER));
	ck_assert_int_eq(type_of(t.admin, t.id[CA]), ACCT_TYPE_RESELLER);
	ck_assert_int_eq(limit_of(t.admin, t.id[CA], "max_dom", &set), 7);
	ck_assert_int_eq(set, 1);
	ck_assert_int_eq(limit_of(t.admin, t.id[CA], "disk_space", NULL), 1000000);
	ck_assert_int_eq(limit_of(t.admin, t.id[CA], "max_db", &set), -1);
	ck_assert_int_eq(set, 1);
	ck_assert_int_eq(limit_of(t.admin, t.id[CA], "max_box", &set), -1);
	ck_assert_int_eq(set, 0);
	/* Now a reseller: max_cl applies, and its limits bind its new customers. */
	limit_ok(t.admin, t.id[CA], "max_cl", 1);
	{
		acct_session *cs = open_session(t.ctx, t.id[CA]);
		acct_id c = add_customer(cs, t.id[CA], "ca-customer", NULL);

		limit_ok(cs, c, "max_dom", 7);
		ck_assert_rc(acct_limit_set(cs, c, "max_dom", 8), ACCT_ELIMIT);
		ck_assert_rc(try_add_account(NULL, cs, t.id[CA], ACCT_TYPE_CUSTOMER, "ca-customer2", NULL), ACCT_ELIMIT);
		ck_assert_ok(acct_account_delete(cs, c));
		acct_session_free(cs);
	}
	/* And back: a customer again keeps its limits, but not what only resellers have. */
	ck_assert_ok(acct_reseller_policy_set(t.admin, t.id[CA], 1, ACCT_OVERUSE_BLOCK));
	ck_assert_ok(acct_account_convert(t.admin, t.id[CA], ACCT_TYPE_CUSTOMER));
	ck_assert_int_eq(limit_of(t.admin, t.id[CA], "max_dom", NULL), 7);
	ck_assert_int_eq(limit_of(t.admin, t.id[CA], "disk_space", NULL), 1000000);
	ck_assert_int_eq(limit_of(t.admin, t.id[CA], "max_cl", &set), -1);
	ck_assert_int_eq(set, 0);
	close_tree(&t);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* IP pools                                                                 */
/* ------------------------------------------------------------------------ */

typedef struct ip_entry {
	char ip[48];
	int type;
} ip_entry;

/* The pool of @p account as @p s sees it. */
static size_t pool_of(ip_entry *out, size_t max, acct_session *s, acct_id account)
{
	acct_ip_iterator *it = NULL;
	const char *ip;
	size_t n = 0;
	int type, rc;

	rc = acct_ip_iterator_new(&it, s, account);
	ck_assert_msg(rc == 0 && it, "acct_ip_iterator_new(%" PRId64 ") returned %d (%s): %s", account, rc,
	              acct_strerror(rc), acct_error_last()->message);
	while ((rc = acct_ip_iterator_next(&ip, &type, it)) == 0) {
		ck_assert_msg(n < max, "the pool has more than %zu addresses", max);
		ck_assert_ptr_nonnull(ip);
		snprintf(out[n].ip, sizeof out[n].ip, "%s", ip);
		out[n].type = type;
		n++;
	}
	ck_assert_rc(rc, ACCT_ITEROVER);
	acct_ip_iterator_free(it);
	return n;
}

static void ip_ok(acct_session *s, acct_id account, const char *ip, int type)
{
	int rc = acct_ip_add(s, account, ip, type);

	ck_assert_msg(rc == 0, "adding %s to the pool of %" PRId64 " as %" PRId64 " returned %d (%s): %s", ip, account,
	              acct_session_account(s), rc, acct_strerror(rc), acct_error_last()->message);
}

START_TEST(test_ip_validation_and_canonical_form)
{
	static const char *const bad[] = {
		"", "not-an-ip", "256.1.1.1", "192.0.2", "1.2.3.4.5", "192.0.2.1/24", " 192.0.2.1",
		"2001:db8:::1", "gggg::1", "2001:db8::1::2", "fe80::1%eth0", "12345::1",
	};
	static const struct {
		const char *in, *canon;
	} good[] = {
		{ "192.0.2.10", "192.0.2.10" },
		{ "2001:db8::0:1", "2001:db8::1" },
		{ "2001:DB8:0:0:0:0:0:2", "2001:db8::2" },
		{ "2001:0db8:0000:0000:0001:0000:0000:0003", "2001:db8::1:0:0:3" },
		{ "::1", "::1" },
	};
	test_tree t;
	ip_entry pool[16];
	size_t i, n;
	int rc;

	open_tree(&t, nodes, N_NODES);
	for (i = 0; i < N_ELEMS(bad); i++) {
		rc = acct_ip_add(t.admin, 1, bad[i], ACCT_IP_SHARED);
		ck_assert_msg(rc == ACCT_EINVALID, "'%s' was accepted as an address: %d", bad[i], rc);
	}
	ck_assert_rc(acct_ip_add(t.admin, 1, NULL, ACCT_IP_SHARED), ACCT_EINVALID);
	ck_assert_rc(acct_ip_add(t.admin, 1, "192.0.2.10", 0), ACCT_EINVALID);
	ck_assert_rc(acct_ip_add(t.admin, 1, "192.0.2.10", 3), ACCT_EINVALID);
	ck_assert_uint_eq(pool_of(pool, N_ELEMS(pool), t.admin, 1), 0);

	for (i = 0; i < N_ELEMS(good); i++)
		ip_ok(t.admin, 1, good[i].in, ACCT_IP_SHARED);
	n = pool_of(pool, N_ELEMS(pool), t.admin, 1);
	ck_assert_uint_eq(n, N_ELEMS(good));
	for (i = 0; i < n; i++) {
		ck_assert_msg(strcmp(pool[i].ip, good[i].canon) == 0, "'%s' was stored as '%s', expected '%s'", good[i].in,
		              pool[i].ip, good[i].canon);
		ck_assert_int_eq(pool[i].type, ACCT_IP_SHARED);
	}
	/* Already there, in any spelling. */
	ck_assert_rc(acct_ip_add(t.admin, 1, "2001:db8:0::1", ACCT_IP_SHARED), ACCT_EEXISTS);
	ck_assert_rc(acct_ip_add(t.admin, 1, "192.0.2.10", ACCT_IP_EXCLUSIVE), ACCT_EEXISTS);
	/* Removal and type changes find it in any spelling too. */
	ck_assert_ok(acct_ip_set_type(t.admin, 1, "2001:DB8::1", ACCT_IP_EXCLUSIVE));
	ck_assert_ok(acct_ip_remove(t.admin, 1, "2001:db8:0:0::2"));
	ck_assert_rc(acct_ip_remove(t.admin, 1, "2001:db8::2"), ACCT_ENOTFOUND);
	ck_assert_rc(acct_ip_set_type(t.admin, 1, "198.51.100.1", ACCT_IP_SHARED), ACCT_ENOTFOUND);
	ck_assert_rc(acct_ip_remove(t.admin, 1, "bogus"), ACCT_EINVALID);
	n = pool_of(pool, N_ELEMS(pool), t.admin, 1);
	ck_assert_uint_eq(n, N_ELEMS(good) - 1);
	ck_assert_str_eq(pool[1].ip, "2001:db8::1");
	ck_assert_int_eq(pool[1].type, ACCT_IP_EXCLUSIVE);
	close_tree(&t);
}
END_TEST

START_TEST(test_ip_iterator_order)
{
	static const char *const order[] = { "198.51.100.7", "2001:db8::7", "192.0.2.1", "203.0.113.9", "2001:db8::1" };
	test_tree t;
	ip_entry pool[8];
	acct_ip_iterator *it = NULL;
	const char *ip = NULL;
	size_t i, n;

	open_tree(&t, nodes, N_NODES);
	for (i = 0; i < N_ELEMS(order); i++)
		ip_ok(t.admin, 1, order[i], i % 2 ? ACCT_IP_EXCLUSIVE : ACCT_IP_SHARED);
	n = pool_of(pool, N_ELEMS(pool), t.admin, 1);
	ck_assert_uint_eq(n, N_ELEMS(order));
	for (i = 0; i < n; i++) {
		ck_assert_msg(strcmp(pool[i].ip, order[i]) == 0, "address %zu is %s, expected %s (the order added)", i,
		              pool[i].ip, order[i]);
		ck_assert_int_eq(pool[i].type, i % 2 ? ACCT_IP_EXCLUSIVE : ACCT_IP_SHARED);
	}
	/* A snapshot: later changes are not in it. */
	ck_assert_ok(acct_ip_iterator_new(&it, t.admin, 1));
	ip_ok(t.admin, 1, "192.0.2.200", ACCT_IP_SHARED);
	ck_assert_ok(acct_ip_remove(t.admin, 1, order[0]));
	for (i = 0; acct_ip_iterator_next(&ip, NULL, it) == 0; i++)
		ck_assert_msg(i < N_ELEMS(order) && strcmp(ip, order[i]) == 0, "the snapshot changed at %zu", i);
	ck_assert_uint_eq(i, N_ELEMS(order));
	ck_assert_rc(acct_ip_iterator_next(&ip, NULL, it), ACCT_ITEROVER);
	acct_ip_iterator_free(it);
	/* Scope. */
	it = NULL;
	ck_assert_rc(acct_ip_iterator_new(&it, tree_session(&t, R1), 1), ACCT_ENOTFOUND);
	ck_assert_rc(acct_ip_iterator_new(&it, tree_session(&t, C1), t.id[C1B]), ACCT_ENOTFOUND);
	ck_assert_ptr_null(it);
	ck_assert_uint_eq(pool_of(pool, N_ELEMS(pool), tree_session(&t, C1), t.id[C1]), 0);
	close_tree(&t);
}
END_TEST

START_TEST(test_ip_exclusive)
{
	test_tree t;
	ip_entry pool[8];

	open_tree(&t, nodes, N_NODES);
	ip_ok(t.admin, 1, "192.0.2.10", ACCT_IP_SHARED);
	ip_ok(t.admin, 1, "192.0.2.11", ACCT_IP_SHARED);
	ip_ok(t.admin, 1, "2001:db8::10", ACCT_IP_SHARED);
	/* Exclusive first, then anyone else: refused. */
	ip_ok(t.admin, t.id[R1], "192.0.2.10", ACCT_IP_EXCLUSIVE);
	ck_assert_rc(acct_ip_add(t.admin, t.id[R2], "192.0.2.10", ACCT_IP_SHARED), ACCT_EEXISTS);
	test_assert_last_error(ACCT_EEXISTS, "192.0.2.10", "a shared add of r1's exclusive address");
	ck_assert_rc(acct_ip_add(t.admin, t.id[R2], "192.0.2.10", ACCT_IP_EXCLUSIVE), ACCT_EEXISTS);
	ck_assert_rc(acct_ip_add(t.admin, t.id[CA], "192.0.2.10", ACCT_IP_SHARED), ACCT_EEXISTS);
	/* Shared first, then exclusive elsewhere: refused too. */
	ip_ok(t.admin, t.id[R2], "192.0.2.11", ACCT_IP_SHARED);
	ck_assert_rc(acct_ip_add(t.admin, t.id[R1], "192.0.2.11", ACCT_IP_EXCLUSIVE), ACCT_EEXISTS);
	test_assert_last_error(ACCT_EEXISTS, "192.0.2.11", "an exclusive add of r2's shared address");
	/* Shared with shared: fine. */
	ip_ok(t.admin, t.id[R1], "192.0.2.11", ACCT_IP_SHARED);
	ip_ok(t.admin, t.id[R3], "192.0.2.11", ACCT_IP_SHARED);
	/* Turning a shared address exclusive while another pool has it: refused. */
	ck_assert_rc(acct_ip_set_type(t.admin, t.id[R1], "192.0.2.11", ACCT_IP_EXCLUSIVE), ACCT_EEXISTS);
	ck_assert_uint_eq(pool_of(pool, N_ELEMS(pool), t.admin, t.id[R1]), 2);
	ck_assert_int_eq(pool[1].type, ACCT_IP_SHARED);
	/* IPv6, written differently: the same address. */
	ip_ok(t.admin, t.id[R3], "2001:db8::10", ACCT_IP_EXCLUSIVE);
	ck_assert_rc(acct_ip_add(t.admin, t.id[R2], "2001:DB8:0::10", ACCT_IP_SHARED), ACCT_EEXISTS);
	/* An exclusive address passes down its own branch: r1's customer may use it (it must
	 * come from r1's pool), another reseller's customer may not. */
	ip_ok(tree_session(&t, R1), t.id[C1], "192.0.2.10", ACCT_IP_SHARED);
	ck_assert_rc(acct_ip_add(tree_session(&t, R2), t.id[C2], "192.0.2.10", ACCT_IP_SHARED), ACCT_EINVALID);
	ck_assert_ok(acct_ip_remove(tree_session(&t, R1), t.id[C1], "192.0.2.10"));
	/* Once released, it is free again. */
	ck_assert_ok(acct_ip_remove(t.admin, t.id[R1], "192.0.2.10"));
	ip_ok(t.admin, t.id[R2], "192.0.2.10", ACCT_IP_EXCLUSIVE);
	/* And once an exclusive owner is deleted, too. */
	ck_assert_ok(acct_account_delete(t.admin, t.id[R3]));
	ip_ok(t.admin, t.id[R2], "2001:db8::10", ACCT_IP_SHARED);
	close_tree(&t);
}
END_TEST

START_TEST(test_ip_owner_pool)
{
	test_tree t;
	ip_entry pool[8];
	int rc;

	open_tree(&t, nodes, N_NODES);
	/* The admin's pool is the server's list; a reseller's must come from it. */
	rc = acct_ip_add(t.admin, t.id[R1], "192.0.2.20", ACCT_IP_SHARED);
	ck_assert_msg(rc == ACCT_EINVALID, "an address the server does not have went to r1: %d", rc);
	ip_ok(t.admin, 1, "192.0.2.20", ACCT_IP_SHARED);
	ip_ok(t.admin, 1, "192.0.2.21", ACCT_IP_SHARED);
	ip_ok(t.admin, t.id[R1], "192.0.2.20", ACCT_IP_SHARED);
	/* A customer's must come from its owner's. */
	ck_assert_rc(acct_ip_add(tree_session(&t, R1), t.id[C1], "192.0.2.21", ACCT_IP_SHARED), ACCT_EINVALID);
	ck_assert_rc(acct_ip_add(t.admin, t.id[C1], "192.0.2.21", ACCT_IP_SHARED), ACCT_EINVALID);
	ip_ok(tree_session(&t, R1), t.id[C1], "192.0.2.20", ACCT_IP_SHARED);
	ck_assert_uint_eq(pool_of(pool, N_ELEMS(pool), tree_session(&t, C1), t.id[C1]), 1);
	ck_assert_str_eq(pool[0].ip, "192.0.2.20");
	/* The admin's customers draw from the admin's pool. */
	ip_ok(t.admin, t.id[CA], "192.0.2.21", ACCT_IP_SHARED);
	/* Only the owner or the admin changes a pool. */
	ck_assert_rc(acct_ip_add(tree_session(&t, R1), t.id[R1], "192.0.2.21", ACCT_IP_SHARED), ACCT_EDENIED);
	ck_assert_rc(acct_ip_add(tree_session(&t, C1), t.id[C1], "192.0.2.20", ACCT_IP_SHARED), ACCT_EDENIED);
	ck_assert_rc(acct_ip_remove(tree_session(&t, C1), t.id[C1], "192.0.2.20"), ACCT_EDENIED);
	ck_assert_rc(acct_ip_add(tree_session(&t, R1), t.id[C2], "192.0.2.20", ACCT_IP_SHARED), ACCT_ENOTFOUND);
	ck_assert_rc(acct_ip_add(tree_session(&t, R1), 1, "192.0.2.20", ACCT_IP_SHARED), ACCT_ENOTFOUND);
	/* Users have no pool. */
	ck_assert_rc(acct_ip_add(t.admin, t.id[U1], "192.0.2.20", ACCT_IP_SHARED), ACCT_EINVALID);
	close_tree(&t);
}
END_TEST

START_TEST(test_ip_remove_while_used)
{
	test_tree t;
	ip_entry pool[8];

	open_tree(&t, nodes, N_NODES);
	ip_ok(t.admin, 1, "192.0.2.30", ACCT_IP_SHARED);
	ip_ok(t.admin, t.id[R1], "192.0.2.30", ACCT_IP_SHARED);
	ip_ok(tree_session(&t, R1), t.id[C1], "192.0.2.30", ACCT_IP_SHARED);
	/* R1's customer still has it. */
	ck_assert_rc(acct_ip_remove(t.admin, t.id[R1], "192.0.2.30"), ACCT_EDENIED);
	test_assert_last_error(ACCT_EDENIED, "192.0.2.30", "removing an address r1's customer uses");
	/* The admin's pool: R1 still has it. */
	ck_assert_rc(acct_ip_remove(t.admin, 1, "192.0.2.30"), ACCT_EDENIED);
	ck_assert_uint_eq(pool_of(pool, N_ELEMS(pool), t.admin, t.id[R1]), 1);
	/* Released from the bottom up. */
	ck_assert_ok(acct_ip_remove(tree_session(&t, R1), t.id[C1], "192.0.2.30"));
	ck_assert_ok(acct_ip_remove(t.admin, t.id[R1], "192.0.2.30"));
	ck_assert_ok(acct_ip_remove(t.admin, 1, "192.0.2.30"));
	ck_assert_uint_eq(pool_of(pool, N_ELEMS(pool), t.admin, 1), 0);
	close_tree(&t);
}
END_TEST

START_TEST(test_change_owner_needs_ip_in_new_pool)
{
	test_tree t;
	test_bytes before = TEST_BYTES_INIT, after = TEST_BYTES_INIT;
	int rc;

	open_tree(&t, nodes, N_NODES);
	ip_ok(t.admin, 1, "192.0.2.40", ACCT_IP_SHARED);
	ip_ok(t.admin, 1, "2001:db8::40", ACCT_IP_SHARED);
	ip_ok(t.admin, t.id[R1], "192.0.2.40", ACCT_IP_SHARED);
	ip_ok(t.admin, t.id[R1], "2001:db8::40", ACCT_IP_SHARED);
	ip_ok(tree_session(&t, R1), t.id[C1], "192.0.2.40", ACCT_IP_SHARED);
	ip_ok(tree_session(&t, R1), t.id[C1], "2001:db8::40", ACCT_IP_SHARED);
	/* R2 has neither. */
	ck_assert_ok(test_dump_store(&before, t.store));
	rc = acct_account_change_owner(t.admin, t.id[C1], t.id[R2]);
	ck_assert_msg(rc == ACCT_EDENIED || rc == ACCT_EINVALID,
	              "moving c1 to r2, which lacks c1's addresses, returned %d (%s)", rc, acct_strerror(rc));
	test_assert_last_error(rc, NULL, "moving c1 to r2 without its addresses");
	ck_assert_ok(test_dump_store(&after, t.store));
	ck_assert_msg(test_bytes_equal(&before, &after), "the refused move changed the store");
	ck_assert_int_eq(owner_of(t.admin, t.id[C1]), t.id[R1]);
	/* One of the two is not enough. */
	ip_ok(t.admin, t.id[R2], "192.0.2.40", ACCT_IP_SHARED);
	rc = acct_account_change_owner(t.admin, t.id[C1], t.id[R2]);
	ck_assert_msg(rc == ACCT_EDENIED || rc == ACCT_EINVALID, "moving c1 with one address missing: %d", rc);
	/* Both: fine; the admin's pool has everything, so moving to the admin is fine too. */
	ip_ok(t.admin, t.id[R2], "2001:db8::40", ACCT_IP_SHARED);
	ck_assert_ok(acct_account_change_owner(t.admin, t.id[C1], t.id[R2]));
	ck_assert_ok(acct_account_change_owner(t.admin, t.id[C1], 1));
	ck_assert_int_eq(owner_of(t.admin, t.id[C1]), 1);
	test_bytes_free(&before);
	test_bytes_free(&after);
	close_tree(&t);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Custom buttons                                                           */
/* ------------------------------------------------------------------------ */

typedef struct button {
	int64_t id;
	char label[64];
	char url[256];
} button;

static size_t buttons_of(button *out, size_t max, acct_session *s, acct_id account)
{
	acct_button_iterator *it = NULL;
	const char *label, *url;
	int64_t id;
	size_t n = 0;
	int rc = acct_button_iterator_new(&it, s, account);

	ck_assert_msg(rc == 0 && it, "acct_button_iterator_new(%" PRId64 ") returned %d (%s)", account, rc,
	              acct_strerror(rc));
	while ((rc = acct_button_iterator_next(&id, &label, &url, it)) == 0) {
		ck_assert_msg(n < max, "more than %zu buttons", max);
		out[n].id = id;
		snprintf(out[n].label, sizeof out[n].label, "%s", label);
		snprintf(out[n].url, sizeof out[n].url, "%s", url);
		n++;
	}
	ck_assert_rc(rc, ACCT_ITEROVER);
	acct_button_iterator_free(it);
	return n;
}

START_TEST(test_buttons)
{
	test_tree t;
	button b[8];
	acct_button_iterator *it = NULL;
	int64_t id1 = 0, id2 = 0, id3 = 0, id4 = 0;
	size_t n;

	open_tree(&t, nodes, N_NODES);
	ck_assert_uint_eq(buttons_of(b, N_ELEMS(b), t.admin, t.id[C1]), 0);
	/* Whoever may edit the account: its reseller, itself, the admin. */
	ck_assert_ok(acct_button_add(&id1, tree_session(&t, R1), t.id[C1], "Billing", "https://billing.example.com/c1"));
	ck_assert_ok(acct_button_add(&id2, tree_session(&t, C1), t.id[C1], "Support", "http://support.example.com/?q=1&x=y"));
	ck_assert_ok(acct_button_add(&id3, t.admin, t.id[C1], "Docs", "https://docs.example.com"));
	ck_assert_msg(id1 > 0 && id1 < id2 && id2 < id3, "button ids %" PRId64 ", %" PRId64 ", %" PRId64, id1, id2, id3);
	n = buttons_of(b, N_ELEMS(b), tree_session(&t, C1), t.id[C1]);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(b[0].id, id1);
	ck_assert_str_eq(b[0].label, "Billing");
	ck_assert_str_eq(b[0].url, "https://billing.example.com/c1");
	ck_assert_int_eq(b[1].id, id2);
	ck_assert_str_eq(b[1].label, "Support");
	ck_assert_str_eq(b[1].url, "http://support.example.com/?q=1&x=y");
	ck_assert_int_eq(b[2].id, id3);
	/* Buttons belong to their account. */
	ck_assert_uint_eq(buttons_of(b, N_ELEMS(b), t.admin, t.id[C1B]), 0);
	ck_assert_ok(acct_button_add(&id4, t.admin, t.id[C1B], "Other", "https://other.example.com"));
	ck_assert_rc(acct_button_remove(t.admin, t.id[C1B], id4 + 100), ACCT_ENOTFOUND);
	ck_assert_uint_eq(buttons_of(b, N_ELEMS(b), t.admin, t.id[C1]), 3);

	/* Remove: gone from the list; twice is not found. */
	ck_assert_ok(acct_button_remove(tree_session(&t, R1), t.id[C1], id1));
	n = buttons_of(b, N_ELEMS(b), t.admin, t.id[C1]);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(b[0].id, id2);
	ck_assert_int_eq(b[1].id, id3);
	ck_assert_rc(acct_button_remove(tree_session(&t, R1), t.id[C1], id1), ACCT_ENOTFOUND);
	ck_assert_rc(acct_button_remove(t.admin, t.id[C1], 999), ACCT_ENOTFOUND);

	/* Scope: out of it is not found. */
	ck_assert_rc(acct_button_add(&id4, tree_session(&t, C1B), t.id[C1], "Intruder", "https://x.example.com"),
	             ACCT_ENOTFOUND);
	ck_assert_rc(acct_button_add(&id4, tree_session(&t, C1), t.id[R1], "Up", "https://x.example.com"), ACCT_ENOTFOUND);
	ck_assert_rc(acct_button_remove(tree_session(&t, C1B), t.id[C1], id2), ACCT_ENOTFOUND);
	ck_assert_rc(acct_button_iterator_new(&it, tree_session(&t, C1B), t.id[C1]), ACCT_ENOTFOUND);
	ck_assert_ptr_null(it);
	ck_assert_uint_eq(buttons_of(b, N_ELEMS(b), t.admin, t.id[C1]), 2);
	/* A snapshot. */
	ck_assert_ok(acct_button_iterator_new(&it, t.admin, t.id[C1]));
	ck_assert_ok(acct_button_remove(t.admin, t.id[C1], id2));
	{
		int64_t id = 0;
		size_t k = 0;
		while (acct_button_iterator_next(&id, NULL, NULL, it) == 0)
			k++;
		ck_assert_uint_eq(k, 2);
	}
	acct_button_iterator_free(it);
	close_tree(&t);
}
END_TEST

START_TEST(test_button_validation)
{
	static const char *const bad_urls[] = {
		"", "http://", "ftp://example.com/", "javascript:alert(1)", "example.com",
		"http://exa mple.com/", "https://example.com/\nx", "//example.com/",
		"file:///etc/passwd", "data:text/html,hi",
	};
	test_tree t;
	button b[4];
	char long_label[80];
	int64_t id = 0;
	size_t i;

	open_tree(&t, nodes, N_NODES);
	for (i = 0; i < N_ELEMS(bad_urls); i++) {
		int rc = acct_button_add(&id, t.admin, t.id[C1], "Label", bad_urls[i]);
		ck_assert_msg(rc == ACCT_EINVALID, "the URL '%s' was accepted: %d", bad_urls[i], rc);
	}
	ck_assert_rc(acct_button_add(&id, t.admin, t.id[C1], "Label", NULL), ACCT_EINVALID);
	ck_assert_rc(acct_button_add(&id, t.admin, t.id[C1], "", "https://example.com"), ACCT_EINVALID);
	ck_assert_rc(acct_button_add(&id, t.admin, t.id[C1], NULL, "https://example.com"), ACCT_EINVALID);
	memset(long_label, 'L', sizeof long_label - 1);
	long_label[sizeof long_label - 1] = '\0';
	ck_assert_rc(acct_button_add(&id, t.admin, t.id[C1], long_label, "https://example.com"), ACCT_EINVALID);
	ck_assert_rc(acct_button_add(&id, t.admin, t.id[C1], "Bad \xff", "https://example.com"), ACCT_EINVALID);
	ck_assert_uint_eq(buttons_of(b, N_ELEMS(b), t.admin, t.id[C1]), 0);
	/* Good ones. */
	ck_assert_ok(acct_button_add(&id, t.admin, t.id[C1], "Panel", "https://panel.example.com:8443/path?a=b#frag"));
	ck_assert_ok(acct_button_add(&id, t.admin, t.id[C1], "Plain", "http://x.example"));
	ck_assert_uint_eq(buttons_of(b, N_ELEMS(b), t.admin, t.id[C1]), 2);
	close_tree(&t);
}
END_TEST

/* Malformed http(s) URLs: no host (the scheme alone), or white space other than ' '. */
START_TEST(test_button_url_malformed)
{
	static const char *const malformed[] = { "https://", "http:///", "https:///path", "http://exa\tmple.com/" };
	test_tree t;
	test_bytes fails = TEST_BYTES_INIT;
	int64_t id = 0;
	size_t i;

	open_tree(&t, nodes, N_NODES);
	for (i = 0; i < N_ELEMS(malformed); i++) {
		int rc = acct_button_add(&id, t.admin, t.id[C1], "Label", malformed[i]);
		if (rc != ACCT_EINVALID)
			test_bytes_printf(&fails, " '%s' gave %d;", malformed[i], rc);
	}
	ck_assert_msg(fails.len == 0, "malformed URLs accepted:%s", fails.data);
	test_bytes_free(&fails);
	close_tree(&t);
}
END_TEST

static Suite *limit_suite(void)
{
	Suite *s = suite_create("limit");
	TCase *tc;

	tc = tcase_create("limits");
	tcase_add_test(tc, test_limit_names);
	tcase_add_test(tc, test_limit_values);
	tcase_add_test(tc, test_limit_unknown_names);
	tcase_add_test(tc, test_max_cl_resellers_only);
	tcase_add_test(tc, test_nobody_sets_its_own);
	tcase_add_test(tc, test_reseller_sets_only_its_customers);
	suite_add_tcase(s, tc);

	tc = tcase_create("quotas");
	tcase_add_test(tc, test_max_cl_on_create);
	tcase_add_test(tc, test_max_cl_on_change_owner);
	tcase_add_test(tc, test_sum_rule);
	tcase_add_test(tc, test_sum_rule_on_change_owner);
	tcase_add_test(tc, test_expiration_not_summed);
	tcase_add_test(tc, test_oversell);
	tcase_add_test(tc, test_overuse_names);
	tcase_add_test(tc, test_convert_keeps_limits);
	suite_add_tcase(s, tc);

	tc = tcase_create("check");
	tcase_add_test(tc, test_limit_check);
	tcase_add_test(tc, test_limit_check_expiration);
	suite_add_tcase(s, tc);

	tc = tcase_create("ip");
	tcase_add_test(tc, test_ip_validation_and_canonical_form);
	tcase_add_test(tc, test_ip_iterator_order);
	tcase_add_test(tc, test_ip_exclusive);
	tcase_add_test(tc, test_ip_owner_pool);
	tcase_add_test(tc, test_ip_remove_while_used);
	tcase_add_test(tc, test_change_owner_needs_ip_in_new_pool);
	suite_add_tcase(s, tc);

	tc = tcase_create("buttons");
	tcase_add_test(tc, test_buttons);
	tcase_add_test(tc, test_button_validation);
	tcase_add_test(tc, test_button_url_malformed);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	return test_run_suite(limit_suite(), 1);
}
