/*
 * check_hierarchy.c - owner type rules, children and descendants, change of
 * owner, conversion, cascading delete, status inheritance and sessions.
 */
#include "testutil.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/*
 * The tree every test starts from. Accounts are created in enum order, so
 * ids ascend in that order; the order is interleaved on purpose so that "by
 * id", "by type", "breadth first" and "depth first" all differ.
 *
 *   admin
 *   +-- R1 (reseller)
 *   |   +-- C1 (customer)   +-- U1, U2 (users)
 *   |   +-- C2 (customer)   +-- U3 (user)
 *   |   +-- UR1 (user)
 *   +-- CA (customer)       +-- UA (user)
 *   +-- UADM (user)
 *   +-- R2 (reseller)
 *       +-- C3 (customer)
 *       +-- UR2 (user)
 */
enum { ADMIN, R1, CA, C1, UADM, U1, R2, C2, U2, UR1, U3, UA, C3, UR2, N_NODES };

static const test_node nodes[N_NODES] = {
	[ADMIN] = { "admin", ACCT_TYPE_ADMIN, -1 },
	[R1] = { "r1", ACCT_TYPE_RESELLER, ADMIN },
	[CA] = { "ca", ACCT_TYPE_CUSTOMER, ADMIN },
	[C1] = { "c1", ACCT_TYPE_CUSTOMER, R1 },
	[UADM] = { "uadm", ACCT_TYPE_USER, ADMIN },
	[U1] = { "u1", ACCT_TYPE_USER, C1 },
	[R2] = { "r2", ACCT_TYPE_RESELLER, ADMIN },
	[C2] = { "c2", ACCT_TYPE_CUSTOMER, R1 },
	[U2] = { "u2", ACCT_TYPE_USER, C1 },
	[UR1] = { "ur1", ACCT_TYPE_USER, R1 },
	[U3] = { "u3", ACCT_TYPE_USER, C2 },
	[UA] = { "ua", ACCT_TYPE_USER, CA },
	[C3] = { "c3", ACCT_TYPE_CUSTOMER, R2 },
	[UR2] = { "ur2", ACCT_TYPE_USER, R2 },
};

static void tree_build(test_tree *t)
{
	open_tree(t, nodes, N_NODES);
	ck_assert_uint_eq(acct_ctx_account_count(t->ctx), N_NODES);
}

/* Ids of the nodes listed (terminated by -1). */
static size_t node_ids(acct_id *out, const test_tree *t, const int *list)
{
	size_t n = 0;

	while (list[n] >= 0) {
		out[n] = t->id[list[n]];
		n++;
	}
	return n;
}

/* Assert that iterating @p parent in @p mode gives exactly the nodes @p want (-1 ends). */
static void expect_iter(const test_tree *t, acct_session *s, int parent, int mode, const int *want, const char *what)
{
	acct_id got[N_NODES + 8], exp[N_NODES + 8];
	size_t n_got = 0, n_exp = node_ids(exp, t, want);

	ck_assert_msg(collect_ids(got, N_NODES + 8, &n_got, s, t->id[parent], mode) == 0,
	              "%s: iteration failed: %s", what, acct_error_last()->message);
	assert_ids(got, n_got, exp, n_exp, what);
}

static int effective(acct_session *s, acct_id id)
{
	unsigned int st = 0xdeadu;

	ck_assert_msg(acct_account_effective_status(&st, s, id) == 0, "effective status of %" PRId64 ": %s",
	              id, acct_error_last()->message);
	return (int)st;
}

static int can_open_as(acct_ctx *ctx, acct_id id)
{
	acct_session *s = NULL;
	int rc = acct_session_open_as(&s, ctx, id);

	acct_session_free(s);
	return rc;
}

/* ------------------------------------------------------------------------ */
/* Owner type rules                                                         */
/* ------------------------------------------------------------------------ */

static const struct {
	int type;
	int owner;
	int ok;
} owner_rules[] = {
	{ ACCT_TYPE_RESELLER, ADMIN, 1 },
	{ ACCT_TYPE_RESELLER, R1, 0 },
	{ ACCT_TYPE_RESELLER, C1, 0 },
	{ ACCT_TYPE_RESELLER, U1, 0 },
	{ ACCT_TYPE_RESELLER, UADM, 0 },
	{ ACCT_TYPE_CUSTOMER, ADMIN, 1 },
	{ ACCT_TYPE_CUSTOMER, R1, 1 },
	{ ACCT_TYPE_CUSTOMER, C1, 0 },
	{ ACCT_TYPE_CUSTOMER, U1, 0 },
	{ ACCT_TYPE_CUSTOMER, UR1, 0 },
	{ ACCT_TYPE_USER, ADMIN, 1 },
	{ ACCT_TYPE_USER, R1, 1 },
	{ ACCT_TYPE_USER, C1, 1 },
	{ ACCT_TYPE_USER, U1, 0 },
	{ ACCT_TYPE_USER, UADM, 0 },
};

START_TEST(test_owner_type_rules)
{
	test_tree t;
	acct_id id = 0;
	int rc, type = owner_rules[_i].type, owner = owner_rules[_i].owner;
	char what[96];
	size_t before;

	tree_build(&t);
	snprintf(what, sizeof what, "a %s under %s %s", acct_account_type_name(type),
	         acct_account_type_name(nodes[owner].type), nodes[owner].login);
	before = acct_ctx_account_count(t.ctx);
	rc = try_add_account(&id, t.admin, t.id[owner], type, "newcomer", NULL);
	if (owner_rules[_i].ok) {
		ck_assert_msg(rc == 0, "%s was refused: %d (%s): %s", what, rc, acct_strerror(rc),
		              acct_error_last()->message);
		ck_assert_int_eq(owner_of(t.admin, id), t.id[owner]);
		ck_assert_int_eq(type_of(t.admin, id), type);
		ck_assert_uint_eq(acct_ctx_account_count(t.ctx), before + 1);
	} else {
		ck_assert_msg(rc == ACCT_EOWNER, "%s: got %d (%s), expected ACCT_EOWNER", what, rc, acct_strerror(rc));
		test_assert_last_error(ACCT_EOWNER, NULL, what);
		ck_assert_int_eq(acct_error_last()->plesk_code, 1015);
		ck_assert_uint_eq(acct_ctx_account_count(t.ctx), before);
	}
	close_tree(&t);
}
END_TEST

START_TEST(test_owner_missing)
{
	test_tree t;
	acct_id id = 0;
	int rc;

	tree_build(&t);
	rc = try_add_account(&id, t.admin, 9999, ACCT_TYPE_CUSTOMER, "orphan", NULL);
	ck_assert_msg(rc == ACCT_EOWNER || rc == ACCT_ENOTFOUND, "a missing owner gave %d (%s)", rc, acct_strerror(rc));
	ck_assert_uint_eq(acct_ctx_account_count(t.ctx), N_NODES);
	close_tree(&t);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Iteration                                                                */
/* ------------------------------------------------------------------------ */

START_TEST(test_children_by_id)
{
	static const int admin_children[] = { R1, CA, UADM, R2, -1 };
	static const int r1_children[] = { C1, C2, UR1, -1 };
	static const int r2_children[] = { C3, UR2, -1 };
	static const int c1_children[] = { U1, U2, -1 };
	static const int none[] = { -1 };
	test_tree t;

	tree_build(&t);
	expect_iter(&t, t.admin, ADMIN, ACCT_ITER_CHILDREN, admin_children, "children of admin");
	expect_iter(&t, t.admin, R1, ACCT_ITER_CHILDREN, r1_children, "children of r1");
	expect_iter(&t, t.admin, R2, ACCT_ITER_CHILDREN, r2_children, "children of r2");
	expect_iter(&t, t.admin, C1, ACCT_ITER_CHILDREN, c1_children, "children of c1");
	expect_iter(&t, t.admin, U1, ACCT_ITER_CHILDREN, none, "children of u1");
	expect_iter(&t, t.admin, C3, ACCT_ITER_CHILDREN, none, "children of c3");
	close_tree(&t);
}
END_TEST

START_TEST(test_descendants_depth_first)
{
	static const int admin_desc[] = { R1, C1, U1, U2, C2, U3, UR1, CA, UA, UADM, R2, C3, UR2, -1 };
	static const int r1_desc[] = { C1, U1, U2, C2, U3, UR1, -1 };
	static const int ca_desc[] = { UA, -1 };
	static const int none[] = { -1 };
	test_tree t;
	acct_session *rs;

	tree_build(&t);
	expect_iter(&t, t.admin, ADMIN, ACCT_ITER_DESCENDANTS, admin_desc, "descendants of admin");
	expect_iter(&t, t.admin, R1, ACCT_ITER_DESCENDANTS, r1_desc, "descendants of r1");
	expect_iter(&t, t.admin, CA, ACCT_ITER_DESCENDANTS, ca_desc, "descendants of ca");
	expect_iter(&t, t.admin, U3, ACCT_ITER_DESCENDANTS, none, "descendants of u3");
	/* The reseller sees the same subtree. */
	rs = open_session(t.ctx, t.id[R1]);
	expect_iter(&t, rs, R1, ACCT_ITER_DESCENDANTS, r1_desc, "descendants of r1, as r1");
	acct_session_free(rs);
	close_tree(&t);
}
END_TEST

START_TEST(test_iterator_errors)
{
	test_tree t;
	acct_account_iterator *it = NULL;
	acct_id id = 0;

	tree_build(&t);
	ck_assert_rc(acct_account_iterator_new(&it, t.admin, 9999, ACCT_ITER_CHILDREN), ACCT_ENOTFOUND);
	ck_assert_rc(acct_account_iterator_new(&it, t.admin, 1, 7), ACCT_EINVALID);
	ck_assert_rc(acct_account_iterator_new(&it, t.admin, 1, -1), ACCT_EINVALID);
	/* An empty iterator ends at once, and stays ended. */
	ck_assert_ok(acct_account_iterator_new(&it, t.admin, t.id[U1], ACCT_ITER_CHILDREN));
	ck_assert_rc(acct_account_iterator_next(&id, it), ACCT_ITEROVER);
	ck_assert_rc(acct_account_iterator_next(&id, it), ACCT_ITEROVER);
	acct_account_iterator_free(it);
	acct_account_iterator_free(NULL);
	close_tree(&t);
}
END_TEST

START_TEST(test_iterator_snapshot)
{
	static const int admin_children[] = { R1, CA, UADM, R2, -1 };
	test_tree t;
	acct_account_iterator *it = NULL;
	acct_id got[16], exp[16], id;
	size_t n = 0, n_exp;
	int rc;

	tree_build(&t);
	n_exp = node_ids(exp, &t, admin_children);
	ck_assert_ok(acct_account_iterator_new(&it, t.admin, 1, ACCT_ITER_CHILDREN));
	ck_assert_ok(acct_account_iterator_next(&got[n++], it));
	/* Writes after the iterator was made: neither seen nor harmful. */
	add_customer(t.admin, 1, "late-comer", NULL);
	ck_assert_ok(acct_account_delete(t.admin, t.id[R2]));
	ck_assert_ok(acct_account_delete(t.admin, t.id[UADM]));
	while ((rc = acct_account_iterator_next(&id, it)) == 0) {
		ck_assert_uint_lt(n, 16);
		got[n++] = id;
	}
	ck_assert_rc(rc, ACCT_ITEROVER);
	acct_account_iterator_free(it);
	assert_ids(got, n, exp, n_exp, "an iterator made before the writes");
	close_tree(&t);
}
END_TEST

struct walk {
	acct_id ids[N_NODES + 4];
	size_t n;
	size_t stop_after; /* 0: never stop */
	int stop_value;
};

static int walk_cb(acct_id id, void *payload)
{
	struct walk *w = payload;

	if (w->n < sizeof w->ids / sizeof w->ids[0])
		w->ids[w->n] = id;
	w->n++;
	return (w->stop_after && w->n == w->stop_after) ? w->stop_value : 0;
}

START_TEST(test_foreach)
{
	test_tree t;
	struct walk w;
	acct_id exp[N_NODES];
	size_t n_exp = 0;
	int rc;

	tree_build(&t);
	ck_assert_ok(collect_ids(exp, N_NODES, &n_exp, t.admin, 1, ACCT_ITER_DESCENDANTS));

	memset(&w, 0, sizeof w);
	ck_assert_ok(acct_account_foreach(t.admin, 1, ACCT_ITER_DESCENDANTS, walk_cb, &w));
	assert_ids(w.ids, w.n, exp, n_exp, "foreach over the descendants of admin");

	/* A non-zero return stops the walk and is returned unchanged. */
	memset(&w, 0, sizeof w);
	w.stop_after = 3;
	w.stop_value = 7;
	rc = acct_account_foreach(t.admin, 1, ACCT_ITER_DESCENDANTS, walk_cb, &w);
	ck_assert_int_eq(rc, 7);
	ck_assert_uint_eq(w.n, 3);
	assert_ids(w.ids, w.n, exp, 3, "foreach stopped after 3");

	memset(&w, 0, sizeof w);
	w.stop_after = 1;
	w.stop_value = -12345;
	ck_assert_int_eq(acct_account_foreach(t.admin, t.id[R1], ACCT_ITER_CHILDREN, walk_cb, &w), -12345);
	ck_assert_uint_eq(w.n, 1);

	ck_assert_rc(acct_account_foreach(t.admin, 9999, ACCT_ITER_CHILDREN, walk_cb, &w), ACCT_ENOTFOUND);
	close_tree(&t);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Change owner                                                             */
/* ------------------------------------------------------------------------ */

START_TEST(test_change_owner_customer_to_reseller)
{
	static const int r2_children[] = { C1, C3, UR2, -1 };
	static const int r2_desc[] = { C1, U1, U2, C3, UR2, -1 };
	static const int r1_desc[] = { C2, U3, UR1, -1 };
	test_tree t;
	acct_session *r2s, *r1s;
	acct_account *a = NULL;

	tree_build(&t);
	ck_assert_ok(acct_account_change_owner(t.admin, t.id[C1], t.id[R2]));
	ck_assert_int_eq(owner_of(t.admin, t.id[C1]), t.id[R2]);
	ck_assert_int_eq(owner_of(t.admin, t.id[U1]), t.id[C1]);
	ck_assert_int_eq(owner_of(t.admin, t.id[U2]), t.id[C1]);
	expect_iter(&t, t.admin, R2, ACCT_ITER_CHILDREN, r2_children, "children of r2 after the move");
	expect_iter(&t, t.admin, R2, ACCT_ITER_DESCENDANTS, r2_desc, "descendants of r2 after the move");
	expect_iter(&t, t.admin, R1, ACCT_ITER_DESCENDANTS, r1_desc, "descendants of r1 after the move");
	ck_assert_uint_eq(acct_ctx_account_count(t.ctx), N_NODES);

	/* Scope follows: r2 now sees u1, r1 no longer does. */
	r2s = open_session(t.ctx, t.id[R2]);
	r1s = open_session(t.ctx, t.id[R1]);
	a = lookup_ok(r2s, t.id[U1]);
	acct_account_free(a);
	a = NULL;
	ck_assert_rc(acct_account_lookup(&a, r1s, t.id[U1]), ACCT_ENOTFOUND);
	ck_assert_rc(acct_account_lookup(&a, r1s, t.id[C1]), ACCT_ENOTFOUND);
	acct_session_free(r1s);
	acct_session_free(r2s);
	close_tree(&t);
}
END_TEST

START_TEST(test_change_owner_customer_to_admin)
{
	static const int admin_children[] = { R1, CA, C1, UADM, R2, -1 };
	test_tree t;

	tree_build(&t);
	ck_assert_ok(acct_account_change_owner(t.admin, t.id[C1], 1));
	ck_assert_int_eq(owner_of(t.admin, t.id[C1]), 1);
	expect_iter(&t, t.admin, ADMIN, ACCT_ITER_CHILDREN, admin_children, "children of admin after the move");
	/* And back under a reseller. */
	ck_assert_ok(acct_account_change_owner(t.admin, t.id[C1], t.id[R1]));
	ck_assert_int_eq(owner_of(t.admin, t.id[C1]), t.id[R1]);
	ck_assert_ok(acct_account_change_owner(t.admin, t.id[CA], t.id[R2]));
	ck_assert_int_eq(owner_of(t.admin, t.id[CA]), t.id[R2]);
	ck_assert_int_eq(owner_of(t.admin, t.id[UA]), t.id[CA]);
	close_tree(&t);
}
END_TEST

START_TEST(test_change_owner_user_within_tree)
{
	test_tree t;

	tree_build(&t);
	/* u1: owner c1, whose reseller-level tree is r1. */
	ck_assert_ok(acct_account_change_owner(t.admin, t.id[U1], t.id[C2]));
	ck_assert_int_eq(owner_of(t.admin, t.id[U1]), t.id[C2]);
	ck_assert_ok(acct_account_change_owner(t.admin, t.id[U1], t.id[R1]));
	ck_assert_int_eq(owner_of(t.admin, t.id[U1]), t.id[R1]);
	ck_assert_ok(acct_account_change_owner(t.admin, t.id[UR1], t.id[C1]));
	ck_assert_int_eq(owner_of(t.admin, t.id[UR1]), t.id[C1]);
	/* ua: owner ca, a customer of the admin: its tree is the admin's. */
	ck_assert_ok(acct_account_change_owner(t.admin, t.id[UADM], t.id[CA]));
	ck_assert_int_eq(owner_of(t.admin, t.id[UADM]), t.id[CA]);
	close_tree(&t);
}
END_TEST

static const struct {
	int node;
	int new_owner;
	const char *why;
} bad_moves[] = {
	{ C1, CA, "a customer under a customer" },
	{ C1, U3, "a customer under a user" },
	{ C1, U1, "a customer under its own user (a cycle)" },
	{ U1, UA, "a user under a user" },
	{ U1, R2, "a user into another reseller's tree" },
	{ U1, C3, "a user into another reseller's customer" },
	{ U1, CA, "a user into the admin's tree from a reseller's" },
	{ UA, C1, "a user from the admin's tree into a reseller's" },
	{ R2, R1, "a reseller under a reseller" },
	{ ADMIN, R1, "the admin under a reseller" },
};

START_TEST(test_change_owner_refused)
{
	test_tree t;
	int node = bad_moves[_i].node, to = bad_moves[_i].new_owner;
	acct_id before;
	int rc;

	tree_build(&t);
	before = owner_of(t.admin, t.id[node]);
	rc = acct_account_change_owner(t.admin, t.id[node], t.id[to]);
	ck_assert_msg(rc == ACCT_EOWNER || rc == ACCT_EDENIED || rc == ACCT_EINVALID,
	              "%s (%s -> %s): got %d (%s)", bad_moves[_i].why, nodes[node].login, nodes[to].login,
	              rc, acct_strerror(rc));
	ck_assert_msg(acct_error_last()->message[0] != '\0', "%s: no message", bad_moves[_i].why);
	ck_assert_int_eq(owner_of(t.admin, t.id[node]), before);
	ck_assert_uint_eq(acct_ctx_account_count(t.ctx), N_NODES);
	close_tree(&t);
}
END_TEST

START_TEST(test_change_owner_missing)
{
	test_tree t;

	tree_build(&t);
	/* docs/policy.md 3: for change owner (admin only) a missing new owner is ACCT_EOWNER. */
	ck_assert_rc(acct_account_change_owner(t.admin, t.id[C1], 9999), ACCT_EOWNER);
	ck_assert_rc(acct_account_change_owner(t.admin, 9999, t.id[R1]), ACCT_ENOTFOUND);
	ck_assert_int_eq(owner_of(t.admin, t.id[C1]), t.id[R1]);
	close_tree(&t);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Convert                                                                  */
/* ------------------------------------------------------------------------ */

START_TEST(test_convert_customer_to_reseller)
{
	static const int ca_children[] = { UA, -1 };
	test_tree t;
	acct_id c;

	tree_build(&t);
	ck_assert_ok(acct_account_convert(t.admin, t.id[CA], ACCT_TYPE_RESELLER));
	ck_assert_int_eq(type_of(t.admin, t.id[CA]), ACCT_TYPE_RESELLER);
	ck_assert_int_eq(owner_of(t.admin, t.id[CA]), 1);
	/* Its users stay its users. */
	ck_assert_int_eq(owner_of(t.admin, t.id[UA]), t.id[CA]);
	ck_assert_int_eq(type_of(t.admin, t.id[UA]), ACCT_TYPE_USER);
	expect_iter(&t, t.admin, CA, ACCT_ITER_CHILDREN, ca_children, "children of the converted account");
	ck_assert_uint_eq(acct_ctx_account_count(t.ctx), N_NODES);
	/* It is a reseller now: it may own customers. */
	c = add_customer(t.admin, t.id[CA], "under-new-reseller", NULL);
	ck_assert_int_eq(owner_of(t.admin, c), t.id[CA]);
	close_tree(&t);
}
END_TEST

START_TEST(test_convert_reseller_to_customer)
{
	static const int r2_children[] = { UR2, -1 };
	test_tree t;
	acct_id id = 0;
	int rc;

	tree_build(&t);
	/* r2 owns c3: refused. */
	rc = acct_account_convert(t.admin, t.id[R2], ACCT_TYPE_CUSTOMER);
	ck_assert_msg(rc == ACCT_EDENIED, "converting a reseller that owns customers gave %d (%s)", rc,
	              acct_strerror(rc));
	test_assert_last_error(ACCT_EDENIED, NULL, "convert a reseller with customers");
	ck_assert_int_eq(type_of(t.admin, t.id[R2]), ACCT_TYPE_RESELLER);

	ck_assert_ok(acct_account_delete(t.admin, t.id[C3]));
	ck_assert_ok(acct_account_convert(t.admin, t.id[R2], ACCT_TYPE_CUSTOMER));
	ck_assert_int_eq(type_of(t.admin, t.id[R2]), ACCT_TYPE_CUSTOMER);
	ck_assert_int_eq(owner_of(t.admin, t.id[R2]), 1);
	ck_assert_int_eq(owner_of(t.admin, t.id[UR2]), t.id[R2]);
	expect_iter(&t, t.admin, R2, ACCT_ITER_CHILDREN, r2_children, "children of the converted reseller");
	/* A customer now: it cannot own customers. */
	ck_assert_rc(try_add_account(&id, t.admin, t.id[R2], ACCT_TYPE_CUSTOMER, "nope", NULL), ACCT_EOWNER);
	close_tree(&t);
}
END_TEST

static const struct {
	int node;
	int to;
	const char *why;
} bad_converts[] = {
	{ C1, ACCT_TYPE_RESELLER, "a customer of a reseller" },
	{ R1, ACCT_TYPE_CUSTOMER, "a reseller that owns customers" },
	{ U1, ACCT_TYPE_CUSTOMER, "a user" },
	{ UADM, ACCT_TYPE_RESELLER, "a user of the admin" },
	{ ADMIN, ACCT_TYPE_CUSTOMER, "the admin" },
	{ CA, ACCT_TYPE_ADMIN, "into an admin" },
	{ CA, ACCT_TYPE_USER, "into a user" },
	{ CA, ACCT_TYPE_CUSTOMER, "into its own type" },
	{ CA, 99, "into an unknown type" },
};

START_TEST(test_convert_refused)
{
	test_tree t;
	int node = bad_converts[_i].node;
	int rc;

	tree_build(&t);
	rc = acct_account_convert(t.admin, t.id[node], bad_converts[_i].to);
	ck_assert_msg(rc == ACCT_EDENIED || rc == ACCT_EINVALID, "converting %s (%s) gave %d (%s)",
	              bad_converts[_i].why, nodes[node].login, rc, acct_strerror(rc));
	ck_assert_msg(acct_error_last()->message[0] != '\0', "%s: no message", bad_converts[_i].why);
	ck_assert_int_eq(type_of(t.admin, t.id[node]), nodes[node].type);
	close_tree(&t);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Delete                                                                   */
/* ------------------------------------------------------------------------ */

START_TEST(test_delete_cascades)
{
	static const int gone[] = { R1, C1, U1, U2, C2, U3, UR1, -1 };
	static const int admin_children[] = { CA, UADM, R2, -1 };
	static const int admin_desc[] = { CA, UA, UADM, R2, C3, UR2, -1 };
	test_tree t;
	acct_account *a = NULL;
	char guids[N_NODES][40];
	unsigned int st = 0;
	int i;

	tree_build(&t);
	for (i = 0; gone[i] >= 0; i++) {
		a = lookup_ok(t.admin, t.id[gone[i]]);
		snprintf(guids[i], sizeof guids[i], "%s", acct_account_get(a, ACCT_FIELD_GUID));
		acct_account_free(a);
	}
	ck_assert_ok(acct_account_delete(t.admin, t.id[R1]));
	for (i = 0; gone[i] >= 0; i++) {
		const char *login = nodes[gone[i]].login;

		a = NULL;
		ck_assert_msg(acct_account_lookup(&a, t.admin, t.id[gone[i]]) == ACCT_ENOTFOUND,
		              "%s is still there by id", login);
		ck_assert_msg(acct_account_lookup_login(&a, t.admin, login) == ACCT_ENOTFOUND,
		              "%s is still there by login", login);
		ck_assert_msg(acct_account_lookup_guid(&a, t.admin, guids[i]) == ACCT_ENOTFOUND,
		              "%s is still there by GUID", login);
		ck_assert_msg(acct_account_effective_status(&st, t.admin, t.id[gone[i]]) == ACCT_ENOTFOUND,
		              "%s still has a status", login);
		ck_assert_msg(can_open_as(t.ctx, t.id[gone[i]]) == ACCT_ENOTFOUND,
		              "a session can still be opened as %s", login);
	}
	ck_assert_uint_eq(acct_ctx_account_count(t.ctx), N_NODES - 7);
	expect_iter(&t, t.admin, ADMIN, ACCT_ITER_CHILDREN, admin_children, "children of admin after the delete");
	expect_iter(&t, t.admin, ADMIN, ACCT_ITER_DESCENDANTS, admin_desc, "descendants of admin after the delete");
	ck_assert_rc(acct_account_delete(t.admin, t.id[R1]), ACCT_ENOTFOUND);
	ck_assert_rc(acct_account_delete(t.admin, t.id[U1]), ACCT_ENOTFOUND);
	close_tree(&t);
}
END_TEST

START_TEST(test_delete_leaf_then_customer)
{
	static const int c1_children[] = { U2, -1 };
	static const int r1_children[] = { C2, UR1, -1 };
	test_tree t;
	acct_account *a = NULL;

	tree_build(&t);
	ck_assert_ok(acct_account_delete(t.admin, t.id[U1]));
	ck_assert_uint_eq(acct_ctx_account_count(t.ctx), N_NODES - 1);
	expect_iter(&t, t.admin, C1, ACCT_ITER_CHILDREN, c1_children, "children of c1 after deleting u1");
	ck_assert_ok(acct_account_delete(t.admin, t.id[C1]));
	ck_assert_uint_eq(acct_ctx_account_count(t.ctx), N_NODES - 3);
	ck_assert_rc(acct_account_lookup(&a, t.admin, t.id[U2]), ACCT_ENOTFOUND);
	expect_iter(&t, t.admin, R1, ACCT_ITER_CHILDREN, r1_children, "children of r1 after deleting c1");
	ck_assert_rc(acct_account_delete(t.admin, 9999), ACCT_ENOTFOUND);
	close_tree(&t);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Status                                                                   */
/* ------------------------------------------------------------------------ */

START_TEST(test_suspend_reseller_disables_subtree)
{
	static const int below[] = { C1, U1, U2, C2, U3, UR1, -1 };
	static const int elsewhere[] = { CA, UA, UADM, R2, C3, UR2, -1 };
	test_tree t;
	acct_session *s = NULL;
	int i, rc;

	tree_build(&t);
	ck_assert_ok(acct_account_suspend(t.admin, t.id[R1]));
	ck_assert_uint_eq(status_of(t.admin, t.id[R1]), ACCT_STATUS_BY_ADMIN);
	ck_assert_int_eq(effective(t.admin, t.id[R1]), ACCT_STATUS_BY_ADMIN);
	for (i = 0; below[i] >= 0; i++) {
		const char *login = nodes[below[i]].login;

		ck_assert_msg(status_of(t.admin, t.id[below[i]]) == 0, "%s's own status was rewritten", login);
		ck_assert_msg(effective(t.admin, t.id[below[i]]) == ACCT_STATUS_BY_ADMIN,
		              "%s is not effectively disabled", login);
		ck_assert_msg(can_open_as(t.ctx, t.id[below[i]]) == ACCT_EDISABLED, "%s can still open a session", login);
		rc = acct_session_open(&s, t.ctx, login, TEST_PASSWORD);
		ck_assert_msg(rc == ACCT_EDISABLED, "%s: password login gave %d, expected ACCT_EDISABLED", login, rc);
		ck_assert_int_eq(acct_error_last()->plesk_code, 1011);
		ck_assert_str_ne(acct_error_last()->message, "");
	}
	ck_assert_rc(acct_session_open(&s, t.ctx, "r1", TEST_PASSWORD), ACCT_EDISABLED);
	for (i = 0; elsewhere[i] >= 0; i++) {
		ck_assert_msg(effective(t.admin, t.id[elsewhere[i]]) == 0, "%s is disabled too",
		              nodes[elsewhere[i]].login);
		ck_assert_msg(can_open_as(t.ctx, t.id[elsewhere[i]]) == 0, "%s cannot open a session",
		              nodes[elsewhere[i]].login);
	}

	ck_assert_ok(acct_account_activate(t.admin, t.id[R1]));
	ck_assert_uint_eq(status_of(t.admin, t.id[R1]), 0);
	for (i = 0; below[i] >= 0; i++) {
		ck_assert_int_eq(effective(t.admin, t.id[below[i]]), 0);
		ck_assert_int_eq(can_open_as(t.ctx, t.id[below[i]]), 0);
	}
	s = open_session_pw(t.ctx, "u3", TEST_PASSWORD);
	acct_session_free(s);
	close_tree(&t);
}
END_TEST

START_TEST(test_activate_restores_exactly)
{
	test_tree t;
	acct_session *r1s, *c1s;
	unsigned int before[N_NODES];
	int i;

	tree_build(&t);
	r1s = open_session(t.ctx, t.id[R1]);
	c1s = open_session(t.ctx, t.id[C1]);
	ck_assert_ok(acct_account_suspend(r1s, t.id[C2]));
	ck_assert_uint_eq(status_of(t.admin, t.id[C2]), ACCT_STATUS_BY_RESELLER);
	ck_assert_ok(acct_account_suspend(c1s, t.id[U1]));
	ck_assert_uint_eq(status_of(t.admin, t.id[U1]), ACCT_STATUS_BY_CUSTOMER);
	acct_session_free(c1s);
	acct_session_free(r1s);
	for (i = 0; i < N_NODES; i++)
		before[i] = status_of(t.admin, t.id[i]);

	ck_assert_ok(acct_account_suspend(t.admin, t.id[R1]));
	ck_assert_int_eq(effective(t.admin, t.id[U1]), ACCT_STATUS_BY_ADMIN | ACCT_STATUS_BY_CUSTOMER);
	ck_assert_int_eq(effective(t.admin, t.id[U3]), ACCT_STATUS_BY_ADMIN | ACCT_STATUS_BY_RESELLER);
	ck_assert_ok(acct_account_activate(t.admin, t.id[R1]));

	for (i = 0; i < N_NODES; i++) {
		ck_assert_msg(status_of(t.admin, t.id[i]) == before[i], "%s: status %u after activate, was %u",
		              nodes[i].login, status_of(t.admin, t.id[i]), before[i]);
	}
	ck_assert_int_eq(effective(t.admin, t.id[U1]), ACCT_STATUS_BY_CUSTOMER);
	ck_assert_int_eq(effective(t.admin, t.id[U3]), ACCT_STATUS_BY_RESELLER);
	ck_assert_int_eq(effective(t.admin, t.id[U2]), 0);
	close_tree(&t);
}
END_TEST

START_TEST(test_status_bits_per_actor)
{
	test_tree t;
	acct_session *r1s, *c1s;

	tree_build(&t);
	r1s = open_session(t.ctx, t.id[R1]);
	c1s = open_session(t.ctx, t.id[C1]);
	ck_assert_ok(acct_account_suspend(c1s, t.id[U1]));
	ck_assert_ok(acct_account_suspend(r1s, t.id[C1]));
	ck_assert_ok(acct_account_suspend(t.admin, t.id[R1]));
	ck_assert_uint_eq(status_of(t.admin, t.id[U1]), ACCT_STATUS_BY_CUSTOMER);
	ck_assert_uint_eq(status_of(t.admin, t.id[C1]), ACCT_STATUS_BY_RESELLER);
	ck_assert_uint_eq(status_of(t.admin, t.id[R1]), ACCT_STATUS_BY_ADMIN);
	ck_assert_int_eq(effective(t.admin, t.id[U1]),
	                 ACCT_STATUS_BY_ADMIN | ACCT_STATUS_BY_RESELLER | ACCT_STATUS_BY_CUSTOMER);
	acct_session_free(c1s);
	acct_session_free(r1s);

	/* The admin also sets 4 and 256; any non-zero status disables. */
	ck_assert_ok(acct_account_set_status(t.admin, t.id[CA], ACCT_STATUS_BACKUP | ACCT_STATUS_EXPIRED));
	ck_assert_uint_eq(status_of(t.admin, t.id[CA]), ACCT_STATUS_BACKUP | ACCT_STATUS_EXPIRED);
	ck_assert_int_eq(can_open_as(t.ctx, t.id[UA]), ACCT_EDISABLED);
	ck_assert_ok(acct_account_set_status(t.admin, t.id[CA], 0));
	ck_assert_int_eq(can_open_as(t.ctx, t.id[UA]), 0);
	close_tree(&t);
}
END_TEST

START_TEST(test_admin_disabled_stays_disabled)
{
	test_tree t;
	acct_session *r1s, *c1s;

	tree_build(&t);
	r1s = open_session(t.ctx, t.id[R1]);
	ck_assert_ok(acct_account_suspend(t.admin, t.id[C1]));
	ck_assert_uint_eq(status_of(t.admin, t.id[C1]), ACCT_STATUS_BY_ADMIN);

	/* The reseller cannot clear the admin's bit, and is told so. */
	ck_assert_rc(acct_account_set_status(r1s, t.id[C1], 0), ACCT_EDENIED);
	test_assert_last_error(ACCT_EDENIED, NULL, "a reseller clearing bit 16");
	ck_assert_rc(acct_account_activate(r1s, t.id[C1]), ACCT_EDENIED);
	test_assert_last_error(ACCT_EDENIED, NULL, "a reseller activating a customer the admin disabled");
	ck_assert_uint_eq(status_of(t.admin, t.id[C1]), ACCT_STATUS_BY_ADMIN);
	ck_assert_int_ne(effective(t.admin, t.id[C1]), 0);
	ck_assert_int_eq(can_open_as(t.ctx, t.id[C1]), ACCT_EDISABLED);

	/* Its own bit on top; still refused (16 would remain), nothing changes. */
	ck_assert_ok(acct_account_suspend(r1s, t.id[C1]));
	ck_assert_uint_eq(status_of(t.admin, t.id[C1]), ACCT_STATUS_BY_ADMIN | ACCT_STATUS_BY_RESELLER);
	ck_assert_rc(acct_account_activate(r1s, t.id[C1]), ACCT_EDENIED);
	ck_assert_uint_eq(status_of(t.admin, t.id[C1]), ACCT_STATUS_BY_ADMIN | ACCT_STATUS_BY_RESELLER);
	/* set_status may still clear the reseller's own bit and keep the admin's. */
	ck_assert_ok(acct_account_set_status(r1s, t.id[C1], ACCT_STATUS_BY_ADMIN));
	ck_assert_uint_eq(status_of(t.admin, t.id[C1]), ACCT_STATUS_BY_ADMIN);
	ck_assert_ok(acct_account_suspend(r1s, t.id[C1]));

	/* The admin's activate clears its own bit and leaves the reseller's. */
	ck_assert_ok(acct_account_activate(t.admin, t.id[C1]));
	ck_assert_uint_eq(status_of(t.admin, t.id[C1]), ACCT_STATUS_BY_RESELLER);
	ck_assert_int_eq(can_open_as(t.ctx, t.id[C1]), ACCT_EDISABLED);
	ck_assert_ok(acct_account_activate(r1s, t.id[C1]));
	ck_assert_uint_eq(status_of(t.admin, t.id[C1]), 0);
	ck_assert_int_eq(can_open_as(t.ctx, t.id[C1]), 0);

	/* Bit 64 on a user: its customer clears it, the reseller may not. */
	c1s = open_session(t.ctx, t.id[C1]);
	ck_assert_ok(acct_account_suspend(c1s, t.id[U1]));
	ck_assert_rc(acct_account_activate(r1s, t.id[U1]), ACCT_EDENIED);
	ck_assert_uint_eq(status_of(t.admin, t.id[U1]), ACCT_STATUS_BY_CUSTOMER);
	ck_assert_ok(acct_account_activate(c1s, t.id[U1]));
	ck_assert_uint_eq(status_of(t.admin, t.id[U1]), 0);
	acct_session_free(c1s);
	acct_session_free(r1s);
	close_tree(&t);
}
END_TEST

/* Activate clears only the actor's own bit: 4 (backup) and 256 (expired) stay. */
START_TEST(test_activate_keeps_other_bits)
{
	test_tree t;

	tree_build(&t);
	ck_assert_ok(acct_account_set_status(t.admin, t.id[C1],
	                                     ACCT_STATUS_BACKUP | ACCT_STATUS_BY_ADMIN | ACCT_STATUS_EXPIRED));
	ck_assert_ok(acct_account_activate(t.admin, t.id[C1]));
	ck_assert_uint_eq(status_of(t.admin, t.id[C1]), ACCT_STATUS_BACKUP | ACCT_STATUS_EXPIRED);
	ck_assert_int_eq(can_open_as(t.ctx, t.id[U1]), ACCT_EDISABLED);
	/* Suspending twice changes nothing the second time. */
	ck_assert_ok(acct_account_set_status(t.admin, t.id[C1], 0));
	ck_assert_ok(acct_account_suspend(t.admin, t.id[C1]));
	ck_assert_ok(acct_account_suspend(t.admin, t.id[C1]));
	ck_assert_uint_eq(status_of(t.admin, t.id[C1]), ACCT_STATUS_BY_ADMIN);
	close_tree(&t);
}
END_TEST

START_TEST(test_admin_cannot_be_disabled_or_deleted)
{
	test_tree t;

	tree_build(&t);
	ck_assert_rc(acct_account_suspend(t.admin, 1), ACCT_EDENIED);
	test_assert_last_error(ACCT_EDENIED, NULL, "suspend the admin");
	ck_assert_rc(acct_account_set_status(t.admin, 1, ACCT_STATUS_BY_ADMIN), ACCT_EDENIED);
	ck_assert_rc(acct_account_set_status(t.admin, 1, ACCT_STATUS_EXPIRED), ACCT_EDENIED);
	ck_assert_rc(acct_account_delete(t.admin, 1), ACCT_EDENIED);
	test_assert_last_error(ACCT_EDENIED, NULL, "delete the admin");
	ck_assert_uint_eq(status_of(t.admin, 1), 0);
	ck_assert_uint_eq(acct_ctx_account_count(t.ctx), N_NODES);
	close_tree(&t);
}
END_TEST

START_TEST(test_status_unknown_bits)
{
	test_tree t;

	tree_build(&t);
	ck_assert_rc(acct_account_set_status(t.admin, t.id[C1], 1), ACCT_ESTATUS);
	test_assert_last_error(ACCT_ESTATUS, NULL, "status 1");
	ck_assert_int_eq(acct_error_last()->plesk_code, 1025);
	ck_assert_rc(acct_account_set_status(t.admin, t.id[C1], 8), ACCT_ESTATUS);
	ck_assert_rc(acct_account_set_status(t.admin, t.id[C1], ACCT_STATUS_BY_ADMIN | 2), ACCT_ESTATUS);
	ck_assert_rc(acct_account_set_status(t.admin, t.id[C1], 1u << 20), ACCT_ESTATUS);
	ck_assert_uint_eq(status_of(t.admin, t.id[C1]), 0);
	close_tree(&t);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Sessions                                                                 */
/* ------------------------------------------------------------------------ */

START_TEST(test_session_password)
{
	test_tree t;
	acct_session *s;

	tree_build(&t);
	s = open_session_pw(t.ctx, "c1", TEST_PASSWORD);
	ck_assert_int_eq(acct_session_account(s), t.id[C1]);
	acct_session_free(s);
	ck_assert_int_eq(acct_session_account(NULL), 0);
	acct_session_free(NULL);
	close_tree(&t);
}
END_TEST

START_TEST(test_session_wrong_password)
{
	test_tree t;
	acct_session *s = NULL;

	tree_build(&t);
	ck_assert_rc(acct_session_open(&s, t.ctx, "c1", "wrong-password"), ACCT_EAUTH);
	test_assert_last_error(ACCT_EAUTH, NULL, "wrong password");
	ck_assert_int_eq(acct_error_last()->plesk_code, 1001);
	ck_assert_ptr_null(s);
	ck_assert_rc(acct_session_open(&s, t.ctx, TEST_ADMIN_LOGIN, ""), ACCT_EAUTH);
	ck_assert_int_eq(acct_error_last()->plesk_code, 1001);
	close_tree(&t);
}
END_TEST

START_TEST(test_session_unknown_login)
{
	test_tree t;
	acct_session *s = NULL;

	tree_build(&t);
	ck_assert_rc(acct_session_open(&s, t.ctx, "nobody", TEST_PASSWORD), ACCT_EAUTH);
	test_assert_last_error(ACCT_EAUTH, NULL, "unknown login");
	ck_assert_int_eq(acct_error_last()->plesk_code, 1001);
	ck_assert_ptr_null(s);
	close_tree(&t);
}
END_TEST

START_TEST(test_session_disabled)
{
	test_tree t;
	acct_session *s = NULL;

	tree_build(&t);
	ck_assert_ok(acct_account_suspend(t.admin, t.id[C1]));
	ck_assert_rc(acct_session_open(&s, t.ctx, "c1", TEST_PASSWORD), ACCT_EDISABLED);
	test_assert_last_error(ACCT_EDISABLED, NULL, "disabled customer");
	ck_assert_int_eq(acct_error_last()->plesk_code, 1011);
	ck_assert_ptr_null(s);
	ck_assert_rc(acct_session_open(&s, t.ctx, "u2", TEST_PASSWORD), ACCT_EDISABLED);
	ck_assert_int_eq(acct_error_last()->plesk_code, 1011);
	ck_assert_rc(acct_session_open_as(&s, t.ctx, t.id[U2]), ACCT_EDISABLED);
	close_tree(&t);
}
END_TEST

START_TEST(test_session_bad_arguments)
{
	test_tree t;
	acct_session *s = NULL;

	tree_build(&t);
	ck_assert_rc(acct_session_open(&s, t.ctx, NULL, TEST_PASSWORD), ACCT_EINVALID);
	ck_assert_rc(acct_session_open(&s, t.ctx, "c1", NULL), ACCT_EINVALID);
	ck_assert_rc(acct_session_open(&s, NULL, "c1", TEST_PASSWORD), ACCT_EINVALID);
	ck_assert_rc(acct_session_open_as(&s, t.ctx, 9999), ACCT_ENOTFOUND);
	ck_assert_ptr_null(s);
	close_tree(&t);
}
END_TEST

/* acct_ctx_options: lockout_attempts failures within lockout_window seconds
 * lock a login for lockout_duration seconds (defaults 5, 60, 900). */
START_TEST(test_session_lockout_default)
{
	test_tree t;
	acct_session *s = NULL;
	int i, rc;

	tree_build(&t);
	for (i = 1; i <= 4; i++) {
		rc = acct_session_open(&s, t.ctx, "c2", "wrong-password");
		ck_assert_msg(rc == ACCT_EAUTH, "failure %d gave %d", i, rc);
		test_default_clock.now += 5;
	}
	rc = acct_session_open(&s, t.ctx, "c2", "wrong-password");
	ck_assert_msg(rc == ACCT_EAUTH || rc == ACCT_ELOCKED, "failure 5 gave %d", rc);
	rc = acct_session_open(&s, t.ctx, "C2", TEST_PASSWORD);
	ck_assert_msg(rc == ACCT_ELOCKED, "the right password after 5 failures gave %d (%s), expected ACCT_ELOCKED",
	              rc, acct_strerror(rc));
	test_assert_last_error(ACCT_ELOCKED, NULL, "a locked login");
	ck_assert_int_eq(acct_error_last()->plesk_code, 1012);
	ck_assert_ptr_null(s);
	/* Other logins are not affected. */
	s = open_session_pw(t.ctx, "c1", TEST_PASSWORD);
	acct_session_free(s);
	/* Still locked just before the end, open after it. */
	test_default_clock.now += 890;
	ck_assert_rc(acct_session_open(&s, t.ctx, "c2", TEST_PASSWORD), ACCT_ELOCKED);
	test_default_clock.now += 20;
	s = open_session_pw(t.ctx, "c2", TEST_PASSWORD);
	acct_session_free(s);
	close_tree(&t);
}
END_TEST

/* Failures spread wider than the window never lock. */
START_TEST(test_session_lockout_window)
{
	test_tree t;
	acct_session *s = NULL;
	int i;

	tree_build(&t);
	for (i = 1; i <= 8; i++) {
		ck_assert_rc(acct_session_open(&s, t.ctx, "c2", "wrong-password"), ACCT_EAUTH);
		test_default_clock.now += 20; /* at most 3 failures in any 60 s */
	}
	s = open_session_pw(t.ctx, "c2", TEST_PASSWORD);
	acct_session_free(s);
	close_tree(&t);
}
END_TEST

START_TEST(test_session_lockout_options)
{
	acct_storage *st = NULL;
	acct_ctx_options opts;
	acct_ctx *ctx = NULL;
	acct_session *admin, *s = NULL;
	int i, rc;

	/* Off. */
	test_default_clock.now = TEST_CLOCK_START;
	ck_assert_ok(acct_storage_memory_new(&st));
	test_ctx_options(&opts, &test_default_clock);
	opts.lockout_attempts = -1;
	ck_assert_ok(acct_ctx_new(&ctx, st, &opts));
	for (i = 0; i < 12; i++)
		ck_assert_rc(acct_session_open(&s, ctx, TEST_ADMIN_LOGIN, "wrong-password"), ACCT_EAUTH);
	s = open_session_pw(ctx, TEST_ADMIN_LOGIN, TEST_ADMIN_PASSWORD);
	acct_session_free(s);
	s = NULL;
	acct_ctx_free(ctx);

	/* 2 failures within 10 s lock for 100 s. */
	ctx = NULL;
	ck_assert_ok(acct_storage_memory_new(&st));
	test_ctx_options(&opts, &test_default_clock);
	opts.lockout_attempts = 2;
	opts.lockout_window = 10;
	opts.lockout_duration = 100;
	ck_assert_ok(acct_ctx_new(&ctx, st, &opts));
	admin = open_session(ctx, 1);
	add_customer(admin, 1, "cust", NULL);
	ck_assert_rc(acct_session_open(&s, ctx, "cust", "wrong-password"), ACCT_EAUTH);
	test_default_clock.now += 11;
	ck_assert_rc(acct_session_open(&s, ctx, "cust", "wrong-password"), ACCT_EAUTH);
	s = open_session_pw(ctx, "cust", TEST_PASSWORD); /* the two were 11 s apart */
	acct_session_free(s);
	s = NULL;
	ck_assert_rc(acct_session_open(&s, ctx, "cust", "wrong-password"), ACCT_EAUTH);
	rc = acct_session_open(&s, ctx, "cust", "wrong-password");
	ck_assert_msg(rc == ACCT_EAUTH || rc == ACCT_ELOCKED, "the second quick failure gave %d", rc);
	ck_assert_rc(acct_session_open(&s, ctx, "cust", TEST_PASSWORD), ACCT_ELOCKED);
	test_default_clock.now += 101;
	s = open_session_pw(ctx, "cust", TEST_PASSWORD);
	acct_session_free(s);
	acct_session_free(admin);
	acct_ctx_free(ctx);
}
END_TEST

static Suite *hierarchy_suite(void)
{
	Suite *s = suite_create("hierarchy");
	TCase *tc;

	tc = tcase_create("owner_rules");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_owner_type_rules, 0, (int)(sizeof owner_rules / sizeof owner_rules[0]));
	tcase_add_test(tc, test_owner_missing);
	suite_add_tcase(s, tc);

	tc = tcase_create("iteration");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_children_by_id);
	tcase_add_test(tc, test_descendants_depth_first);
	tcase_add_test(tc, test_iterator_errors);
	tcase_add_test(tc, test_iterator_snapshot);
	tcase_add_test(tc, test_foreach);
	suite_add_tcase(s, tc);

	tc = tcase_create("change_owner");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_change_owner_customer_to_reseller);
	tcase_add_test(tc, test_change_owner_customer_to_admin);
	tcase_add_test(tc, test_change_owner_user_within_tree);
	tcase_add_loop_test(tc, test_change_owner_refused, 0, (int)(sizeof bad_moves / sizeof bad_moves[0]));
	tcase_add_test(tc, test_change_owner_missing);
	suite_add_tcase(s, tc);

	tc = tcase_create("convert");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_convert_customer_to_reseller);
	tcase_add_test(tc, test_convert_reseller_to_customer);
	tcase_add_loop_test(tc, test_convert_refused, 0, (int)(sizeof bad_converts / sizeof bad_converts[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("delete");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_delete_cascades);
	tcase_add_test(tc, test_delete_leaf_then_customer);
	suite_add_tcase(s, tc);

	tc = tcase_create("status");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_suspend_reseller_disables_subtree);
	tcase_add_test(tc, test_activate_restores_exactly);
	tcase_add_test(tc, test_status_bits_per_actor);
	tcase_add_test(tc, test_admin_disabled_stays_disabled);
	tcase_add_test(tc, test_activate_keeps_other_bits);
	tcase_add_test(tc, test_admin_cannot_be_disabled_or_deleted);
	tcase_add_test(tc, test_status_unknown_bits);
	suite_add_tcase(s, tc);

	tc = tcase_create("sessions");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_session_password);
	tcase_add_test(tc, test_session_wrong_password);
	tcase_add_test(tc, test_session_unknown_login);
	tcase_add_test(tc, test_session_disabled);
	tcase_add_test(tc, test_session_bad_arguments);
	tcase_add_test(tc, test_session_lockout_default);
	tcase_add_test(tc, test_session_lockout_window);
	tcase_add_test(tc, test_session_lockout_options);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	return test_run_suite(hierarchy_suite(), 1);
}
