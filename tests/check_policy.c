/*
 * check_policy.c - the authorization matrix of spec/policy.md sections 2-4:
 * actor type x operation x target relation, each case on a fresh tree.
 *
 * Interpretations used (the library's documented decisions for this version):
 * - checks run in the order of docs/policy.md section 4: the actor's account
 *   exists and is enabled; for a create, whether the actor may create that
 *   type at all (ACCT_EDENIED whatever the owner: reveals nothing); then
 *   scope; then the operation's own rule;
 * - scope(actor) = the actor and its descendants; outside scope -> ACCT_ENOTFOUND
 *   (so existence never leaks);
 * - users have no roles yet: a user's scope is itself only (read self, edit
 *   its contact and password but not its login, nothing else);
 * - a customer reads/edits itself and its users, suspends (bit 64) and deletes
 *   its users, creates users owned by itself;
 * - a reseller acts in its scope, creates customers (create_clients is granted
 *   by default) and users owned by itself or its customers, suspends (bit 32)
 *   and deletes in scope but never itself;
 * - nobody changes its own status or deletes itself; the admin is never
 *   disabled or deleted;
 * - change owner and convert are the admin's only: a customer moves to the
 *   admin or any reseller; a user moves only within its reseller-level tree
 *   (root(x) = x for admin/reseller, owner(x) for a customer, and
 *   root(new owner) == root(old owner)); customer -> reseller only for the
 *   admin's own customers; reseller -> customer only without customers.
 */
#include "testutil.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/*
 *   admin
 *   +-- R1 (reseller)
 *   |   +-- C1 (customer) +-- U1, U1B (users)
 *   |   +-- C1B (customer) +-- U1C (user)
 *   |   +-- UR1 (user)
 *   +-- R2 (reseller)
 *   |   +-- C2 (customer) +-- U2 (user)
 *   +-- R3 (reseller, no customers)
 *   |   +-- UR3 (user)
 *   +-- CA (customer) +-- UA (user)
 *   +-- CB (customer)
 *   +-- UADM (user)
 */
enum { ADMIN, R1, C1, U1, U1B, C1B, U1C, UR1, R2, C2, U2, R3, UR3, CA, UA, CB, UADM, N_NODES };

static const test_node nodes[N_NODES] = {
	[ADMIN] = { "admin", ACCT_TYPE_ADMIN, -1 },
	[R1] = { "r1", ACCT_TYPE_RESELLER, ADMIN },
	[C1] = { "c1", ACCT_TYPE_CUSTOMER, R1 },
	[U1] = { "u1", ACCT_TYPE_USER, C1 },
	[U1B] = { "u1b", ACCT_TYPE_USER, C1 },
	[C1B] = { "c1b", ACCT_TYPE_CUSTOMER, R1 },
	[U1C] = { "u1c", ACCT_TYPE_USER, C1B },
	[UR1] = { "ur1", ACCT_TYPE_USER, R1 },
	[R2] = { "r2", ACCT_TYPE_RESELLER, ADMIN },
	[C2] = { "c2", ACCT_TYPE_CUSTOMER, R2 },
	[U2] = { "u2", ACCT_TYPE_USER, C2 },
	[R3] = { "r3", ACCT_TYPE_RESELLER, ADMIN },
	[UR3] = { "ur3", ACCT_TYPE_USER, R3 },
	[CA] = { "ca", ACCT_TYPE_CUSTOMER, ADMIN },
	[UA] = { "ua", ACCT_TYPE_USER, CA },
	[CB] = { "cb", ACCT_TYPE_CUSTOMER, ADMIN },
	[UADM] = { "uadm", ACCT_TYPE_USER, ADMIN },
};

/*
 * For change owner: a destination the admin may move each customer or user
 * to (a customer: another reseller; a user: an account of the same
 * reseller-level tree). The admin and resellers are never moved: theirs is
 * some reseller, and the move must be refused.
 */
static const int move_to[N_NODES] = {
	[ADMIN] = R1,
	[R1] = R2,
	[C1] = R2,
	[U1] = C1B,
	[U1B] = C1B,
	[C1B] = R2,
	[U1C] = C1,
	[UR1] = C1,
	[R2] = R1,
	[C2] = R1,
	[U2] = R2,
	[R3] = R1,
	[UR3] = R3,
	[CA] = R1,
	[UA] = CB,
	[CB] = R2,
	[UADM] = CA,
};

enum op {
	OP_CREATE_RESELLER, /* add a reseller owned by the target */
	OP_CREATE_CUSTOMER, /* add a customer owned by the target */
	OP_CREATE_USER,     /* add a user owned by the target */
	OP_READ,            /* acct_account_lookup */
	OP_EDIT_CONTACT,    /* acct_account_update of the phone */
	OP_EDIT_LOGIN,      /* acct_account_update of the login */
	OP_SUSPEND,         /* acct_account_suspend (the actor's own bit) */
	OP_DELETE,          /* acct_account_delete */
	OP_CHANGE_OWNER,    /* acct_account_change_owner to move_to[target] */
	OP_CONVERT,         /* acct_account_convert: customer -> reseller, else -> customer */
	N_OPS
};

static const char *const op_names[N_OPS] = {
	"create reseller", "create customer", "create user", "read", "edit contact",
	"edit login", "suspend", "delete", "change owner", "convert",
};

/*
 * Expected results:
 *   Y  allowed (0)
 *   D  ACCT_EDENIED (for a create of a type the actor may never create,
 *      whatever the owner: a method denial reveals nothing, docs/policy.md 4)
 *   N  ACCT_ENOTFOUND (target outside the actor's scope)
 *   I  ACCT_EINVALID (a conversion between types that is never allowed)
 *   T  ACCT_EOWNER (allowed by the policy, but the owner cannot own that type)
 *   X  ACCT_EDENIED or ACCT_EOWNER (both the policy and the type rules refuse;
 *      the spec does not order them)
 *   R  ACCT_EDENIED or ACCT_ENOTFOUND (target in scope, but the new owner is
 *      not; either refusal is right)
 *   F  ACCT_EDENIED, ACCT_EINVALID or ACCT_EOWNER (the operation does not
 *      apply to this kind of target: converting a user, moving the admin or a
 *      reseller)
 */
enum expect { Y, D, N, I, T, X, R, F };

static const struct row {
	int actor;
	const char *relation;
	int target;
	signed char expect[N_OPS];
} rows[] = {
	/*                                          crR crC crU read edC edL susp del  own conv */
	{ ADMIN, "self",                  ADMIN, {  Y,  Y,  Y,  Y,   Y,  Y,  D,   D,   F,  I } },
	{ ADMIN, "child reseller",        R1,    {  T,  Y,  Y,  Y,   Y,  Y,  Y,   Y,   F,  D } },
	{ ADMIN, "child reseller w/o customers", R3, { T, Y, Y,  Y,   Y,  Y,  Y,   Y,   F,  Y } },
	{ ADMIN, "child customer",        CA,    {  T,  T,  Y,  Y,   Y,  Y,  Y,   Y,   Y,  Y } },
	{ ADMIN, "child user",            UADM,  {  T,  T,  T,  Y,   Y,  Y,  Y,   Y,   Y,  I } },
	{ ADMIN, "grandchild customer",   C1,    {  T,  T,  Y,  Y,   Y,  Y,  Y,   Y,   Y,  D } },
	{ ADMIN, "grandchild user",       UA,    {  T,  T,  T,  Y,   Y,  Y,  Y,   Y,   Y,  I } },
	{ ADMIN, "great-grandchild user", U1,    {  T,  T,  T,  Y,   Y,  Y,  Y,   Y,   Y,  I } },

	{ R1, "self",                     R1,    {  D,  Y,  Y,  Y,   Y,  Y,  D,   D,   R,  D } },
	{ R1, "child customer",           C1,    {  D,  X,  Y,  Y,   Y,  Y,  Y,   Y,   R,  D } },
	{ R1, "child user",               UR1,   {  D,  X,  X,  Y,   Y,  Y,  Y,   Y,   D,  F } },
	{ R1, "grandchild user",          U1,    {  D,  X,  X,  Y,   Y,  Y,  Y,   Y,   D,  F } },
	{ R1, "sibling reseller",         R2,    {  D,  N,  N,  N,   N,  N,  N,   N,   N,  N } },
	{ R1, "other subtree customer",   C2,    {  D,  N,  N,  N,   N,  N,  N,   N,   N,  N } },
	{ R1, "other subtree user",       U2,    {  D,  N,  N,  N,   N,  N,  N,   N,   N,  N } },
	{ R1, "admin's customer",         CA,    {  D,  N,  N,  N,   N,  N,  N,   N,   N,  N } },
	{ R1, "admin",                    ADMIN, {  D,  N,  N,  N,   N,  N,  N,   N,   N,  N } },

	{ C1, "self",                     C1,    {  D,  D,  Y,  Y,   Y,  Y,  D,   D,   R,  D } },
	{ C1, "child user",               U1,    {  D,  D,  X,  Y,   Y,  Y,  Y,   Y,   R,  F } },
	{ C1, "sibling customer",         C1B,   {  D,  D,  N,  N,   N,  N,  N,   N,   N,  N } },
	{ C1, "sibling's user",           U1C,   {  D,  D,  N,  N,   N,  N,  N,   N,   N,  N } },
	{ C1, "owner reseller",           R1,    {  D,  D,  N,  N,   N,  N,  N,   N,   N,  N } },
	{ C1, "owner's user",             UR1,   {  D,  D,  N,  N,   N,  N,  N,   N,   N,  N } },
	{ C1, "other subtree customer",   C2,    {  D,  D,  N,  N,   N,  N,  N,   N,   N,  N } },
	{ C1, "other subtree user",       U2,    {  D,  D,  N,  N,   N,  N,  N,   N,   N,  N } },
	{ C1, "admin",                    ADMIN, {  D,  D,  N,  N,   N,  N,  N,   N,   N,  N } },

	{ U1, "self",                     U1,    {  D,  D,  D,  Y,   Y,  D,  D,   D,   R,  F } },
	{ U1, "sibling user",             U1B,   {  D,  D,  D,  N,   N,  N,  N,   N,   N,  N } },
	{ U1, "owner customer",           C1,    {  D,  D,  D,  N,   N,  N,  N,   N,   N,  N } },
	{ U1, "cousin user",              U1C,   {  D,  D,  D,  N,   N,  N,  N,   N,   N,  N } },
	{ U1, "owner's reseller",         R1,    {  D,  D,  D,  N,   N,  N,  N,   N,   N,  N } },
	{ U1, "other subtree user",       U2,    {  D,  D,  D,  N,   N,  N,  N,   N,   N,  N } },
	{ U1, "admin",                    ADMIN, {  D,  D,  D,  N,   N,  N,  N,   N,   N,  N } },
};

#define N_ROWS ((int)(sizeof rows / sizeof rows[0]))

static int expect_matches(int expect, int rc)
{
	switch (expect) {
	case Y: return rc == 0;
	case D: return rc == ACCT_EDENIED;
	case N: return rc == ACCT_ENOTFOUND;
	case I: return rc == ACCT_EINVALID;
	case T: return rc == ACCT_EOWNER;
	case X: return rc == ACCT_EDENIED || rc == ACCT_EOWNER;
	case R: return rc == ACCT_EDENIED || rc == ACCT_ENOTFOUND;
	case F: return rc == ACCT_EDENIED || rc == ACCT_EINVALID || rc == ACCT_EOWNER;
	}
	return 0;
}

static const char *expect_name(int expect)
{
	static const char *const names[] = {
		"allow (0)", "ACCT_EDENIED", "ACCT_ENOTFOUND", "ACCT_EINVALID", "ACCT_EOWNER",
		"ACCT_EDENIED or ACCT_EOWNER", "ACCT_EDENIED or ACCT_ENOTFOUND",
		"ACCT_EDENIED, ACCT_EINVALID or ACCT_EOWNER",
	};
	return names[expect];
}

/* The bit the actor's suspend sets. */
static unsigned int own_bit(int actor_type)
{
	switch (actor_type) {
	case ACCT_TYPE_ADMIN: return ACCT_STATUS_BY_ADMIN;
	case ACCT_TYPE_RESELLER: return ACCT_STATUS_BY_RESELLER;
	default: return ACCT_STATUS_BY_CUSTOMER;
	}
}

static int convert_to(int target_type)
{
	return target_type == ACCT_TYPE_CUSTOMER ? ACCT_TYPE_RESELLER : ACCT_TYPE_CUSTOMER;
}

/* Run @p op as @p s on @p target; @p new_id receives a created account's id. */
static int run_op(test_tree *t, acct_session *s, int op, int target, acct_id *new_id)
{
	acct_id tid = t->id[target];
	acct_account *a = NULL;
	int rc;

	switch (op) {
	case OP_CREATE_RESELLER:
		return try_add_account(new_id, s, tid, ACCT_TYPE_RESELLER, "newcomer", NULL);
	case OP_CREATE_CUSTOMER:
		return try_add_account(new_id, s, tid, ACCT_TYPE_CUSTOMER, "newcomer", NULL);
	case OP_CREATE_USER:
		return try_add_account(new_id, s, tid, ACCT_TYPE_USER, "newcomer", NULL);
	case OP_READ:
		rc = acct_account_lookup(&a, s, tid);
		if (rc == 0)
			ck_assert_msg(acct_account_id(a) == tid, "read gave account %" PRId64, acct_account_id(a));
		acct_account_free(a);
		return rc;
	case OP_EDIT_CONTACT:
	case OP_EDIT_LOGIN:
		/* Loaded by the admin, saved by the actor: update itself must decide. */
		a = lookup_ok(t->admin, tid);
		if (op == OP_EDIT_CONTACT)
			ck_assert_ok(acct_account_set(a, ACCT_FIELD_PHONE, "5550199"));
		else
			ck_assert_ok(acct_account_set(a, ACCT_FIELD_LOGIN, "renamed"));
		rc = acct_account_update(s, a);
		acct_account_free(a);
		return rc;
	case OP_SUSPEND:
		return acct_account_suspend(s, tid);
	case OP_DELETE:
		return acct_account_delete(s, tid);
	case OP_CHANGE_OWNER:
		return acct_account_change_owner(s, tid, t->id[move_to[target]]);
	case OP_CONVERT:
		return acct_account_convert(s, tid, convert_to(nodes[target].type));
	}
	return ACCT_ERROR;
}

/* After an allowed operation: its effect is visible to the admin. */
static void check_effect(test_tree *t, int op, int actor, int target, acct_id new_id, const char *name)
{
	acct_id tid = t->id[target];
	acct_account *a = NULL;

	switch (op) {
	case OP_CREATE_RESELLER:
	case OP_CREATE_CUSTOMER:
	case OP_CREATE_USER:
		ck_assert_msg(new_id > 0, "%s: no id", name);
		a = lookup_ok(t->admin, new_id);
		ck_assert_msg(acct_account_owner(a) == tid, "%s: the new account is owned by %" PRId64,
		              name, acct_account_owner(a));
		ck_assert_int_eq(acct_account_type(a), op == OP_CREATE_RESELLER ? ACCT_TYPE_RESELLER :
		                 op == OP_CREATE_CUSTOMER ? ACCT_TYPE_CUSTOMER : ACCT_TYPE_USER);
		break;
	case OP_READ:
		return;
	case OP_EDIT_CONTACT:
		a = lookup_ok(t->admin, tid);
		ck_assert_msg(acct_account_get(a, ACCT_FIELD_PHONE) &&
		              strcmp(acct_account_get(a, ACCT_FIELD_PHONE), "5550199") == 0,
		              "%s: the phone was not saved", name);
		break;
	case OP_EDIT_LOGIN:
		ck_assert_ok(acct_account_lookup_login(&a, t->admin, "renamed"));
		ck_assert_msg(acct_account_id(a) == tid, "%s: the new login is not the target's", name);
		break;
	case OP_SUSPEND:
		a = lookup_ok(t->admin, tid);
		ck_assert_msg(acct_account_status(a) == own_bit(nodes[actor].type),
		              "%s: status %u, expected %u", name, acct_account_status(a), own_bit(nodes[actor].type));
		break;
	case OP_DELETE:
		ck_assert_msg(acct_account_lookup(&a, t->admin, tid) == ACCT_ENOTFOUND, "%s: still there", name);
		break;
	case OP_CHANGE_OWNER:
		a = lookup_ok(t->admin, tid);
		ck_assert_msg(acct_account_owner(a) == t->id[move_to[target]], "%s: owner is %" PRId64,
		              name, acct_account_owner(a));
		break;
	case OP_CONVERT:
		a = lookup_ok(t->admin, tid);
		ck_assert_msg(acct_account_type(a) == convert_to(nodes[target].type), "%s: type is %d",
		              name, acct_account_type(a));
		break;
	}
	acct_account_free(a);
}

START_TEST(test_matrix)
{
	const struct row *row = &rows[_i / N_OPS];
	int op = _i % N_OPS;
	int expect = row->expect[op];
	test_tree t;
	acct_session *s;
	acct_id new_id = 0;
	test_bytes before = TEST_BYTES_INIT, after = TEST_BYTES_INIT;
	char name[160], msg[512];
	int rc;

	snprintf(name, sizeof name, "%s %s -> %s %s: %s", acct_account_type_name(nodes[row->actor].type),
	         nodes[row->actor].login, row->relation, nodes[row->target].login, op_names[op]);
	open_tree(&t, nodes, N_NODES);
	s = open_session(t.ctx, t.id[row->actor]);
	ck_assert_msg(test_dump_store(&before, t.store) == 0, "%s: dump failed", name);

	acct_error_clear();
	rc = run_op(&t, s, op, row->target, &new_id);
	test_last_message(msg, sizeof msg);
	ck_assert_msg(expect_matches(expect, rc), "%s: got %d (%s), expected %s; message: '%s'",
	              name, rc, acct_strerror(rc), expect_name(expect), msg);

	if (rc == 0) {
		check_effect(&t, op, row->actor, row->target, new_id, name);
	} else {
		ck_assert_msg(acct_error_last()->code == rc, "%s: acct_error_last()->code %d, returned %d",
		              name, acct_error_last()->code, rc);
		ck_assert_msg(msg[0] != '\0', "%s: refused without a message", name);
		ck_assert_msg(test_dump_store(&after, t.store) == 0, "%s: dump failed", name);
		ck_assert_msg(test_bytes_equal(&before, &after), "%s: refused, but the store changed", name);
	}
	test_bytes_free(&before);
	test_bytes_free(&after);
	acct_session_free(s);
	close_tree(&t);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* More rules than the matrix shows                                         */
/* ------------------------------------------------------------------------ */

START_TEST(test_user_changes_own_password)
{
	test_tree t;
	acct_session *us, *s;
	acct_account *a;

	open_tree(&t, nodes, N_NODES);
	us = open_session_pw(t.ctx, "u1", TEST_PASSWORD);
	a = lookup_ok(us, t.id[U1]);
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_PASSWORD, "Brand-new-pass7"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_EMAIL, "u1@example.com"));
	ck_assert_ok(acct_account_update(us, a));
	acct_account_free(a);
	s = NULL;
	ck_assert_rc(acct_session_open(&s, t.ctx, "u1", TEST_PASSWORD), ACCT_EAUTH);
	s = open_session_pw(t.ctx, "u1", "Brand-new-pass7");
	acct_session_free(s);
	/* A sibling's password is out of reach. */
	a = lookup_ok(t.admin, t.id[U1B]);
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_PASSWORD, "Hijacked-pass7"));
	ck_assert_rc(acct_account_update(us, a), ACCT_ENOTFOUND);
	acct_account_free(a);
	s = open_session_pw(t.ctx, "u1b", TEST_PASSWORD);
	acct_session_free(s);
	acct_session_free(us);
	close_tree(&t);
}
END_TEST

START_TEST(test_status_bits_by_actor)
{
	test_tree t;
	acct_session *rs, *cs;

	open_tree(&t, nodes, N_NODES);
	rs = open_session(t.ctx, t.id[R1]);
	cs = open_session(t.ctx, t.id[C1]);
	/* A reseller sets only 32, a customer only 64. */
	ck_assert_rc(acct_account_set_status(rs, t.id[C1], ACCT_STATUS_BY_ADMIN), ACCT_EDENIED);
	ck_assert_rc(acct_account_set_status(rs, t.id[C1], ACCT_STATUS_BY_CUSTOMER), ACCT_EDENIED);
	ck_assert_rc(acct_account_set_status(rs, t.id[C1], ACCT_STATUS_EXPIRED), ACCT_EDENIED);
	ck_assert_ok(acct_account_set_status(rs, t.id[C1], ACCT_STATUS_BY_RESELLER));
	ck_assert_uint_eq(status_of(t.admin, t.id[C1]), ACCT_STATUS_BY_RESELLER);
	ck_assert_ok(acct_account_set_status(rs, t.id[C1], 0));
	ck_assert_rc(acct_account_set_status(cs, t.id[U1], ACCT_STATUS_BY_RESELLER), ACCT_EDENIED);
	ck_assert_ok(acct_account_set_status(cs, t.id[U1], ACCT_STATUS_BY_CUSTOMER));
	ck_assert_uint_eq(status_of(t.admin, t.id[U1]), ACCT_STATUS_BY_CUSTOMER);
	/* Nobody sets its own status. */
	ck_assert_rc(acct_account_set_status(cs, t.id[C1], ACCT_STATUS_BY_CUSTOMER), ACCT_EDENIED);
	ck_assert_rc(acct_account_set_status(rs, t.id[R1], ACCT_STATUS_BY_RESELLER), ACCT_EDENIED);
	/* Outside scope: not found. */
	ck_assert_rc(acct_account_set_status(rs, t.id[C2], ACCT_STATUS_BY_RESELLER), ACCT_ENOTFOUND);
	ck_assert_rc(acct_account_activate(cs, t.id[U1C]), ACCT_ENOTFOUND);
	/* A reseller may not lift the customer's bit on that customer's user. */
	ck_assert_rc(acct_account_set_status(rs, t.id[U1], 0), ACCT_EDENIED);
	ck_assert_uint_eq(status_of(t.admin, t.id[U1]), ACCT_STATUS_BY_CUSTOMER);
	acct_session_free(cs);
	acct_session_free(rs);
	close_tree(&t);
}
END_TEST

/* @p login exists, but @p s cannot find it by login. */
static void expect_login_hidden(acct_session *s, const char *actor, const char *login)
{
	acct_account *a = NULL;
	int rc = acct_account_lookup_login(&a, s, login);

	acct_account_free(a);
	ck_assert_msg(rc == ACCT_ENOTFOUND, "%s looked up '%s' by login: %d (%s)", actor, login, rc,
	              acct_strerror(rc));
}

START_TEST(test_scope_of_iterators_and_lookups)
{
	static const char *const outside_r1[] = { "admin", "r2", "c2", "u2", "r3", "ur3", "ca", "ua", "cb", "uadm" };
	static const char *const outside_c1[] = { "admin", "r1", "c1b", "u1c", "ur1", "c2" };
	static const char *const outside_u1[] = { "admin", "r1", "c1", "u1b", "u1c" };
	test_tree t;
	acct_session *rs, *cs, *us;
	acct_account *a, *b = NULL;
	acct_account_iterator *it = NULL;
	acct_id ids[N_NODES], want_c1[2];
	unsigned int st = 0;
	size_t n = 0, i;
	char guid[40];

	open_tree(&t, nodes, N_NODES);
	rs = open_session(t.ctx, t.id[R1]);
	cs = open_session(t.ctx, t.id[C1]);
	us = open_session(t.ctx, t.id[U1]);

	/* Iterating outside scope: not found. */
	ck_assert_rc(acct_account_iterator_new(&it, rs, 1, ACCT_ITER_CHILDREN), ACCT_ENOTFOUND);
	ck_assert_rc(acct_account_iterator_new(&it, rs, t.id[R2], ACCT_ITER_DESCENDANTS), ACCT_ENOTFOUND);
	ck_assert_rc(acct_account_iterator_new(&it, cs, t.id[R1], ACCT_ITER_CHILDREN), ACCT_ENOTFOUND);
	ck_assert_rc(acct_account_iterator_new(&it, us, t.id[C1], ACCT_ITER_CHILDREN), ACCT_ENOTFOUND);
	/* Inside scope. */
	want_c1[0] = t.id[U1];
	want_c1[1] = t.id[U1B];
	ck_assert_ok(collect_ids(ids, N_NODES, &n, cs, t.id[C1], ACCT_ITER_CHILDREN));
	assert_ids(ids, n, want_c1, 2, "c1's children as c1");
	ck_assert_ok(collect_ids(ids, N_NODES, &n, us, t.id[U1], ACCT_ITER_DESCENDANTS));
	ck_assert_uint_eq(n, 0);
	ck_assert_ok(collect_ids(ids, N_NODES, &n, rs, t.id[R1], ACCT_ITER_DESCENDANTS));
	ck_assert_uint_eq(n, 6);

	/* Lookups by login, GUID and external id outside scope: not found. */
	for (i = 0; i < sizeof outside_r1 / sizeof outside_r1[0]; i++)
		expect_login_hidden(rs, "r1", outside_r1[i]);
	for (i = 0; i < sizeof outside_c1 / sizeof outside_c1[0]; i++)
		expect_login_hidden(cs, "c1", outside_c1[i]);
	for (i = 0; i < sizeof outside_u1 / sizeof outside_u1[0]; i++)
		expect_login_hidden(us, "u1", outside_u1[i]);
	a = lookup_ok(t.admin, t.id[C2]);
	snprintf(guid, sizeof guid, "%s", acct_account_get(a, ACCT_FIELD_GUID));
	ck_assert_rc(acct_account_lookup_guid(&b, rs, guid), ACCT_ENOTFOUND);
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_EXTERNAL_ID, "ext-c2"));
	ck_assert_ok(acct_account_update(t.admin, a));
	acct_account_free(a);
	ck_assert_rc(acct_account_lookup_external_id(&b, rs, "ext-c2"), ACCT_ENOTFOUND);
	ck_assert_rc(acct_account_lookup_external_id(&b, cs, "ext-c2"), ACCT_ENOTFOUND);
	ck_assert_rc(acct_account_effective_status(&st, rs, t.id[C2]), ACCT_ENOTFOUND);
	ck_assert_rc(acct_account_effective_status(&st, us, t.id[C1]), ACCT_ENOTFOUND);
	ck_assert_ok(acct_account_effective_status(&st, us, t.id[U1]));

	acct_session_free(us);
	acct_session_free(cs);
	acct_session_free(rs);
	close_tree(&t);
}
END_TEST

START_TEST(test_description_author_is_actor)
{
	test_tree t;
	acct_session *rs;
	acct_account *a;
	int rc;

	open_tree(&t, nodes, N_NODES);
	rs = open_session(t.ctx, t.id[R1]);
	a = lookup_ok(rs, t.id[C1]);
	ck_assert_ok(acct_account_set_description(a, t.id[R1], "mine"));
	ck_assert_ok(acct_account_update(rs, a));
	acct_account_free(a);
	a = lookup_ok(rs, t.id[C1]);
	ck_assert_ok(acct_account_set_description(a, t.id[C1], "written for the customer"));
	rc = acct_account_update(rs, a);
	ck_assert_msg(rc == ACCT_EDENIED || rc == ACCT_EINVALID, "a reseller wrote a description as c1: %d", rc);
	acct_account_free(a);
	a = lookup_ok(t.admin, t.id[C1]);
	ck_assert_str_eq(acct_account_description(a, t.id[R1]), "mine");
	ck_assert_ptr_null(acct_account_description(a, t.id[C1]));
	acct_account_free(a);
	acct_session_free(rs);
	close_tree(&t);
}
END_TEST

/* A disabled actor can do nothing, reads included, even with a session opened before. */
START_TEST(test_disabled_actor_refused)
{
	test_tree t;
	acct_session *rs;
	acct_account *a = NULL;
	acct_id id = 0;
	unsigned int st = 0;

	open_tree(&t, nodes, N_NODES);
	rs = open_session(t.ctx, t.id[R1]);
	ck_assert_ok(acct_account_suspend(t.admin, t.id[R1]));
	ck_assert_rc(try_add_account(&id, rs, t.id[R1], ACCT_TYPE_CUSTOMER, "while-disabled", NULL), ACCT_EDISABLED);
	ck_assert_rc(acct_account_delete(rs, t.id[C1]), ACCT_EDISABLED);
	ck_assert_rc(acct_account_lookup(&a, rs, t.id[C1]), ACCT_EDISABLED);
	ck_assert_ptr_null(a);
	ck_assert_rc(acct_account_effective_status(&st, rs, t.id[R1]), ACCT_EDISABLED);
	ck_assert_rc(acct_account_activate(rs, t.id[C1]), ACCT_EDISABLED);
	test_assert_last_error(ACCT_EDISABLED, NULL, "a disabled reseller's activate");
	ck_assert_uint_eq(acct_ctx_account_count(t.ctx), N_NODES);
	/* Enabled again: the old session works again. */
	ck_assert_ok(acct_account_activate(t.admin, t.id[R1]));
	a = lookup_ok(rs, t.id[C1]);
	acct_account_free(a);
	acct_session_free(rs);
	close_tree(&t);
}
END_TEST

/* A session whose account was deleted is refused everything with ACCT_EAUTH. */
START_TEST(test_deleted_actor_refused)
{
	test_tree t;
	acct_session *cs;
	acct_account *a = NULL;
	acct_id id = 0;

	open_tree(&t, nodes, N_NODES);
	cs = open_session(t.ctx, t.id[C1]);
	ck_assert_ok(acct_account_delete(t.admin, t.id[C1]));
	ck_assert_rc(acct_account_lookup(&a, cs, t.id[C1]), ACCT_EAUTH);
	ck_assert_ptr_null(a);
	ck_assert_rc(try_add_account(&id, cs, t.id[C1], ACCT_TYPE_USER, "ghost-user", NULL), ACCT_EAUTH);
	ck_assert_rc(acct_account_suspend(cs, t.id[U1]), ACCT_EAUTH);
	test_assert_last_error(ACCT_EAUTH, NULL, "a deleted customer's suspend");
	acct_session_free(cs);
	close_tree(&t);
}
END_TEST

static Suite *policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc;

	tc = tcase_create("matrix");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_matrix, 0, N_ROWS * N_OPS);
	suite_add_tcase(s, tc);

	tc = tcase_create("rules");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_user_changes_own_password);
	tcase_add_test(tc, test_status_bits_by_actor);
	tcase_add_test(tc, test_scope_of_iterators_and_lookups);
	tcase_add_test(tc, test_description_author_is_actor);
	tcase_add_test(tc, test_disabled_actor_refused);
	tcase_add_test(tc, test_deleted_actor_refused);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	return test_run_suite(policy_suite(), 1);
}
