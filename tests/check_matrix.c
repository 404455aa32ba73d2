/*
 * check_matrix.c - the complete matrix of spec/policy.md section 4 for the
 * current version (permissions, roles, limits and credentials included):
 * every operation x every kind of actor x every target relation, each case
 * on a fresh tree, asserting allowed or refused AND the refusal's kind
 * (acct_error_last()->deny_kind, an acct_deny_kind) or, for API login
 * sessions, acct_check_explain()'s kind.
 *
 * check_policy.c keeps the older matrix of the account operations for the
 * four account types without permissions (codes only); this one adds the
 * denial kind, the reseller with and without create_clients, a user under
 * each built-in role, grants, limits, roles and keys, and the eight Partner
 * API roles.
 *
 * Interpretations used (spec/policy.md sections 3-5; "the first failing
 * rule" of section 5 is what deny_kind reports):
 * - ACCT_DENY_OBJECT: the target (for a create, the owner) is absent or
 *   outside the actor's scope, answered ACCT_ENOTFOUND;
 * - ACCT_DENY_METHOD: the actor lacks the right to the operation entirely
 *   (a reseller creating resellers, a customer granting, a user without
 *   userManagement deleting or managing roles, any non-admin changing owners
 *   or converting, users and keys). For creates this is decided before scope
 *   (docs/policy.md section 4: it reveals nothing about other accounts);
 *   otherwise scope comes first, so out-of-scope targets are OBJECT;
 * - ACCT_DENY_RULE: the actor has the right, but the operation's own rule
 *   refuses this target (nobody suspends, deletes, grants to or sets limits
 *   on itself; the admin is never disabled or deleted; the owner cannot own
 *   that type (ACCT_EOWNER); users receive no account permissions, limits or
 *   roles (ACCT_EINVALID); a reseller manages only its own roles; a customer
 *   only its own keys; ...);
 * - a user's scope is itself, plus its sibling users with userManagement;
 *   a user with userManagement creates users and roles for its owner (the
 *   owner is otherwise out of its scope);
 * - an API login session: an operation its Partner role lacks is METHOD
 *   (Partner 201) whatever the target, as a create's method denial is: it
 *   depends on the role only and reveals nothing about the target; an
 *   operation the role has, on anything but the login's objects, is OBJECT
 *   (Partner 202). A client role's objects are its own account only, a
 *   reseller role's the reseller and its own customers (spec/partner-apis.md).
 *   (Strictly by the order of spec/policy.md section 5, scope before
 *   permission, a non-object would be OBJECT even for an operation the role
 *   lacks; api_expected_kind() is the one place to change if that is wanted.)
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
 *   +-- R1 (reseller; holds manage_dns)
 *   |   +-- C1 (customer) +-- U1, U1B (users)
 *   |   +-- C1B (customer) +-- U1C (user)
 *   |   +-- UR1 (user)
 *   +-- R2 (reseller)
 *   |   +-- C2 (customer) +-- U2 (user)
 *   +-- CA (customer) +-- UA (user)
 */
enum { ADMIN, R1, C1, U1, U1B, C1B, U1C, UR1, R2, C2, U2, CA, UA, N_NODES };

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
	[CA] = { "ca", ACCT_TYPE_CUSTOMER, ADMIN },
	[UA] = { "ua", ACCT_TYPE_USER, CA },
};

/*
 * For change owner: where the admin may move each customer or user (a
 * customer: another reseller or the admin; a user: within its reseller-level
 * tree). The admin and resellers are never moved; theirs is some reseller.
 */
static const int move_to[N_NODES] = {
	[ADMIN] = R1, [R1] = R2, [C1] = R2, [U1] = C1B, [U1B] = C1B, [C1B] = R2, [U1C] = C1,
	[UR1] = C1, [R2] = R1, [C2] = R1, [U2] = R2, [CA] = R1, [UA] = ADMIN,
};

/* ------------------------------------------------------------------------ */
/* Actors                                                                   */
/* ------------------------------------------------------------------------ */

enum actor {
	A_ADMIN,
	A_RESELLER,       /* r1, holding create_clients (the default) */
	A_RESELLER_NOCC,  /* r1, create_clients revoked by the admin */
	A_CUSTOMER,       /* c1 */
	A_USER_ADMIN,     /* u1 with the built-in Admin role */
	A_USER_ACCOUNTANT,
	A_USER_WEBMASTER,
	A_USER_APPUSER,
	A_API_FIRST,      /* + acct_partner_role - 1: an API login session */
	N_ACTORS = A_API_FIRST + 8
};

static const char *const actor_names[A_API_FIRST] = {
	"admin",
	"reseller r1 (with create_clients)",
	"reseller r1 (create_clients revoked)",
	"customer c1",
	"user u1 (role Admin)",
	"user u1 (role Accountant)",
	"user u1 (role Webmaster)",
	"user u1 (role Application User)",
};

static const acct_role_id user_role_of[A_API_FIRST] = {
	[A_USER_ADMIN] = ACCT_ROLE_ADMIN,
	[A_USER_ACCOUNTANT] = ACCT_ROLE_ACCOUNTANT,
	[A_USER_WEBMASTER] = ACCT_ROLE_WEBMASTER,
	[A_USER_APPUSER] = ACCT_ROLE_APPLICATION_USER,
};

#define API_LOGIN "partner-api"

typedef struct tree {
	acct_ctx *ctx;
	acct_storage *store; /* owned by ctx; for dumps */
	acct_session *admin;
	acct_session *actor;
	acct_id id[N_NODES];
} tree;

static int is_reseller_role(int role)
{
	return role >= ACCT_PARTNER_ALL_RESELLER;
}

/* The account an actor acts as. */
static int actor_node(int actor)
{
	if (actor >= A_API_FIRST)
		return is_reseller_role(actor - A_API_FIRST + 1) ? R1 : C1;
	switch (actor) {
	case A_ADMIN: return ADMIN;
	case A_RESELLER:
	case A_RESELLER_NOCC: return R1;
	case A_CUSTOMER: return C1;
	default: return U1;
	}
}

static void format_actor(char *buf, size_t size, int actor)
{
	if (actor >= A_API_FIRST)
		snprintf(buf, size, "API login of %s '%s' (%s)", is_reseller_role(actor - A_API_FIRST + 1) ? "reseller" : "customer",
		         nodes[actor_node(actor)].login, acct_partner_role_name(actor - A_API_FIRST + 1));
	else
		snprintf(buf, size, "%s", actor_names[actor]);
}

/* A fresh tree, and a session for @p actor set up as the actor table says. */
static void tree_build(tree *t, int actor)
{
	memset(t, 0, sizeof *t);
	t->ctx = open_ctx_with_storage(&t->store);
	t->admin = open_session(t->ctx, 1);
	add_tree(t->id, t->admin, nodes, N_NODES);
	/* r1 may pass manage_dns on (a reseller grants only what it holds). */
	ck_assert_ok(acct_perm_grant(t->admin, t->id[R1], "manage_dns", 1));
	if (actor == A_RESELLER_NOCC)
		ck_assert_ok(acct_perm_grant(t->admin, t->id[R1], "create_clients", 0));
	if (actor < A_API_FIRST && user_role_of[actor])
		ck_assert_ok(acct_user_set_role(t->admin, t->id[U1], user_role_of[actor], 1));

	if (actor >= A_API_FIRST) {
		acct_buf pw = ACCT_BUF_INIT;
		int role = actor - A_API_FIRST + 1;

		ck_assert_ok(acct_apilogin_create(&pw, NULL, t->admin, t->id[actor_node(actor)], API_LOGIN, role));
		ck_assert_ok(acct_session_open_api(&t->actor, t->ctx, API_LOGIN, pw.ptr));
		ck_assert_int_eq(acct_session_api_role(t->actor), role);
		acct_buf_dispose(&pw);
	} else {
		t->actor = open_session(t->ctx, t->id[actor_node(actor)]);
	}
}

static void tree_free(tree *t)
{
	acct_session_free(t->actor);
	acct_session_free(t->admin);
	acct_ctx_free(t->ctx);
}

/* ------------------------------------------------------------------------ */
/* Expectations                                                             */
/* ------------------------------------------------------------------------ */

/*
 *   Y   allowed (0)
 *   O   ACCT_ENOTFOUND, kind OBJECT (outside scope)
 *   M   ACCT_EDENIED, kind METHOD (the actor lacks the right entirely)
 *   R   ACCT_EDENIED, kind RULE (the operation's own rule)
 *   RO  ACCT_EOWNER, kind RULE (the owner cannot own that type)
 *   RI  ACCT_EINVALID, kind RULE (the operation does not apply to that type)
 *   RX  ACCT_EDENIED or ACCT_EINVALID, kind RULE (the admin granting to or
 *       limiting itself: "nobody sets its own" and "only resellers and
 *       customers" both refuse it; the spec does not order them)
 */
enum expect { Y, O, M, R, RO, RI, RX };

static const char *expect_name(int e)
{
	static const char *const names[] = {
		"allowed (0)",
		"ACCT_ENOTFOUND, kind OBJECT",
		"ACCT_EDENIED, kind METHOD",
		"ACCT_EDENIED, kind RULE",
		"ACCT_EOWNER, kind RULE",
		"ACCT_EINVALID, kind RULE",
		"ACCT_EDENIED or ACCT_EINVALID, kind RULE",
	};
	return names[e];
}

static const char *kind_name(int kind)
{
	switch (kind) {
	case ACCT_DENY_NONE: return "NONE";
	case ACCT_DENY_SESSION: return "SESSION";
	case ACCT_DENY_DISABLED: return "DISABLED";
	case ACCT_DENY_OBJECT: return "OBJECT";
	case ACCT_DENY_METHOD: return "METHOD";
	case ACCT_DENY_RULE: return "RULE";
	}
	return "(not a kind)";
}

static int expect_matches(int e, int rc, int kind)
{
	switch (e) {
	case Y: return rc == 0;
	case O: return rc == ACCT_ENOTFOUND && kind == ACCT_DENY_OBJECT;
	case M: return rc == ACCT_EDENIED && kind == ACCT_DENY_METHOD;
	case R: return rc == ACCT_EDENIED && kind == ACCT_DENY_RULE;
	case RO: return rc == ACCT_EOWNER && kind == ACCT_DENY_RULE;
	case RI: return rc == ACCT_EINVALID && kind == ACCT_DENY_RULE;
	case RX: return (rc == ACCT_EDENIED || rc == ACCT_EINVALID) && kind == ACCT_DENY_RULE;
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Operations                                                               */
/* ------------------------------------------------------------------------ */

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
	OP_CONVERT,         /* customer -> reseller, anything else -> customer */
	OP_GRANT,           /* acct_perm_grant(target, "manage_dns", 1) */
	OP_LIMIT,           /* acct_limit_set(target, "max_dom", 10) */
	OP_ROLE,            /* acct_role_create for the target */
	OP_KEY,             /* acct_key_create for the target, "192.0.2.1" */
	N_OPS
};

static const char *const op_names[N_OPS] = {
	"create reseller", "create customer", "create user", "read", "edit contact", "edit login",
	"set status (suspend)", "delete", "change owner", "convert", "grant manage_dns",
	"set limit max_dom", "manage roles (role create)", "manage keys (key create)",
};

typedef struct outcome {
	acct_id new_id;      /* created account */
	acct_role_id role;   /* created role */
	acct_id key;         /* created key */
	size_t secret_len;
} outcome;

static int convert_to(int target_type)
{
	return target_type == ACCT_TYPE_CUSTOMER ? ACCT_TYPE_RESELLER : ACCT_TYPE_CUSTOMER;
}

static unsigned int own_bit(int actor_type)
{
	switch (actor_type) {
	case ACCT_TYPE_ADMIN: return ACCT_STATUS_BY_ADMIN;
	case ACCT_TYPE_RESELLER: return ACCT_STATUS_BY_RESELLER;
	default: return ACCT_STATUS_BY_CUSTOMER;
	}
}

static int run_op(tree *t, int op, int target, outcome *out)
{
	acct_session *s = t->actor;
	acct_id tid = t->id[target];
	acct_account *a = NULL;
	acct_buf secret = ACCT_BUF_INIT;
	int rc;

	switch (op) {
	case OP_CREATE_RESELLER:
		return try_add_account(&out->new_id, s, tid, ACCT_TYPE_RESELLER, "newcomer", NULL);
	case OP_CREATE_CUSTOMER:
		return try_add_account(&out->new_id, s, tid, ACCT_TYPE_CUSTOMER, "newcomer", NULL);
	case OP_CREATE_USER:
		return try_add_account(&out->new_id, s, tid, ACCT_TYPE_USER, "newcomer", NULL);
	case OP_READ:
		rc = acct_account_lookup(&a, s, tid);
		if (rc == 0 && acct_account_id(a) != tid)
			rc = ACCT_ERROR;
		acct_account_free(a);
		return rc;
	case OP_EDIT_CONTACT:
	case OP_EDIT_LOGIN:
		/* Loaded by the admin, saved by the actor: update itself must decide. */
		a = lookup_ok(t->admin, tid);
		ck_assert_ok(acct_account_set(a, op == OP_EDIT_CONTACT ? ACCT_FIELD_PHONE : ACCT_FIELD_LOGIN,
		                              op == OP_EDIT_CONTACT ? "5550199" : "renamed"));
		acct_error_clear();
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
	case OP_GRANT:
		return acct_perm_grant(s, tid, "manage_dns", 1);
	case OP_LIMIT:
		return acct_limit_set(s, tid, "max_dom", 10);
	case OP_ROLE:
		return acct_role_create(&out->role, s, tid, "Matrix role");
	case OP_KEY:
		rc = acct_key_create(&secret, &out->key, s, tid, "192.0.2.1", "matrix");
		out->secret_len = secret.size;
		acct_buf_dispose(&secret);
		return rc;
	}
	return ACCT_ERROR;
}

/* After an allowed operation: its effect, as the admin sees it. NULL when right. */
static const char *effect_problem(tree *t, int op, int actor, int target, const outcome *o)
{
	static char why[160];
	acct_id tid = t->id[target];
	acct_account *a = NULL;
	const char *problem = NULL;
	int64_t v = 0;
	int g = 0, set = 0;
	acct_id owner = 0;

	switch (op) {
	case OP_CREATE_RESELLER:
	case OP_CREATE_CUSTOMER:
	case OP_CREATE_USER:
		if (o->new_id <= 0 || acct_account_lookup(&a, t->admin, o->new_id) != 0)
			problem = "the new account is not there";
		else if (acct_account_owner(a) != tid)
			problem = "the new account has another owner";
		break;
	case OP_READ:
		break;
	case OP_EDIT_CONTACT:
		if (acct_account_lookup(&a, t->admin, tid) != 0 || !acct_account_get(a, ACCT_FIELD_PHONE) ||
		    strcmp(acct_account_get(a, ACCT_FIELD_PHONE), "5550199") != 0)
			problem = "the phone was not saved";
		break;
	case OP_EDIT_LOGIN:
		if (acct_account_lookup_login(&a, t->admin, "renamed") != 0 || acct_account_id(a) != tid)
			problem = "the new login is not the target's";
		break;
	case OP_SUSPEND:
		if (acct_account_lookup(&a, t->admin, tid) != 0 ||
		    acct_account_status(a) != own_bit(nodes[actor_node(actor)].type))
			problem = "the status is not the actor's bit";
		break;
	case OP_DELETE:
		if (acct_account_lookup(&a, t->admin, tid) != ACCT_ENOTFOUND)
			problem = "the target is still there";
		break;
	case OP_CHANGE_OWNER:
		if (acct_account_lookup(&a, t->admin, tid) != 0 || acct_account_owner(a) != t->id[move_to[target]])
			problem = "the owner did not change";
		break;
	case OP_CONVERT:
		if (acct_account_lookup(&a, t->admin, tid) != 0 || acct_account_type(a) != convert_to(nodes[target].type))
			problem = "the type did not change";
		break;
	case OP_GRANT:
		if (acct_perm_get(&g, t->admin, tid, "manage_dns") != 0 || g != 1)
			problem = "manage_dns is not granted";
		break;
	case OP_LIMIT:
		if (acct_limit_get(&v, &set, t->admin, tid, "max_dom") != 0 || v != 10 || !set)
			problem = "max_dom is not 10";
		break;
	case OP_ROLE:
		if (o->role <= 0 || acct_role_info(NULL, &owner, NULL, t->admin, o->role) != 0 || owner != tid)
			problem = "the role is not the target's";
		break;
	case OP_KEY:
		if (o->secret_len != 36)
			problem = "the secret is not 36 characters";
		else if (o->key <= 0 || acct_key_info(&owner, NULL, NULL, t->admin, o->key) != 0 || owner != tid)
			problem = "the key is not the target's";
		break;
	}
	acct_account_free(a);
	if (problem) {
		snprintf(why, sizeof why, "%s", problem);
		return why;
	}
	return NULL;
}

/* ------------------------------------------------------------------------ */
/* The account-operation matrix                                             */
/* ------------------------------------------------------------------------ */

static const struct row {
	int actor;
	const char *relation;
	int target;
	signed char expect[N_OPS];
} rows[] = {
	/*                                              crR crC crU read edC edL susp del own conv grant limit role key */
	{ A_ADMIN, "self",                     ADMIN, { Y,  Y,  Y,  Y,   Y,  Y,  R,   R,  R,  RI,  RX,   RX,   Y,   Y } },
	{ A_ADMIN, "child reseller",           R1,    { RO, Y,  Y,  Y,   Y,  Y,  Y,   Y,  R,  R,   Y,    Y,    Y,   Y } },
	{ A_ADMIN, "child customer",           CA,    { RO, RO, Y,  Y,   Y,  Y,  Y,   Y,  Y,  Y,   Y,    Y,    Y,   Y } },
	{ A_ADMIN, "grandchild customer",      C1,    { RO, RO, Y,  Y,   Y,  Y,  Y,   Y,  Y,  R,   Y,    Y,    Y,   Y } },
	{ A_ADMIN, "great-grandchild user",    U1,    { RO, RO, RO, Y,   Y,  Y,  Y,   Y,  Y,  RI,  RI,   RI,   RI,  Y } },

	{ A_RESELLER, "self",                  R1,    { M,  Y,  Y,  Y,   Y,  Y,  R,   R,  M,  M,   R,    R,    Y,   Y } },
	{ A_RESELLER, "child customer",        C1,    { M,  RO, Y,  Y,   Y,  Y,  Y,   Y,  M,  M,   Y,    Y,    R,   Y } },
	{ A_RESELLER, "child user",            UR1,   { M,  RO, RO, Y,   Y,  Y,  Y,   Y,  M,  M,   RI,   RI,   RI,  Y } },
	{ A_RESELLER, "grandchild user",       U1,    { M,  RO, RO, Y,   Y,  Y,  Y,   Y,  M,  M,   RI,   RI,   RI,  Y } },
	{ A_RESELLER, "sibling reseller",      R2,    { M,  O,  O,  O,   O,  O,  O,   O,  O,  O,   O,    O,    O,   O } },
	{ A_RESELLER, "other subtree customer", C2,   { M,  O,  O,  O,   O,  O,  O,   O,  O,  O,   O,    O,    O,   O } },
	{ A_RESELLER, "admin",                 ADMIN, { M,  O,  O,  O,   O,  O,  O,   O,  O,  O,   O,    O,    O,   O } },

	{ A_RESELLER_NOCC, "self",             R1,    { M,  M,  Y,  Y,   Y,  Y,  R,   R,  M,  M,   R,    R,    Y,   Y } },
	{ A_RESELLER_NOCC, "child customer",   C1,    { M,  M,  Y,  Y,   Y,  Y,  Y,   Y,  M,  M,   Y,    Y,    R,   Y } },
	{ A_RESELLER_NOCC, "child user",       UR1,   { M,  M,  RO, Y,   Y,  Y,  Y,   Y,  M,  M,   RI,   RI,   RI,  Y } },
	{ A_RESELLER_NOCC, "grandchild user",  U1,    { M,  M,  RO, Y,   Y,  Y,  Y,   Y,  M,  M,   RI,   RI,   RI,  Y } },
	{ A_RESELLER_NOCC, "sibling reseller", R2,    { M,  M,  O,  O,   O,  O,  O,   O,  O,  O,   O,    O,    O,   O } },
	{ A_RESELLER_NOCC, "other subtree customer", C2, { M, M, O, O,   O,  O,  O,   O,  O,  O,   O,    O,    O,   O } },
	{ A_RESELLER_NOCC, "admin",            ADMIN, { M,  M,  O,  O,   O,  O,  O,   O,  O,  O,   O,    O,    O,   O } },

	{ A_CUSTOMER, "self",                  C1,    { M,  M,  Y,  Y,   Y,  Y,  R,   R,  M,  M,   M,    M,    Y,   Y } },
	{ A_CUSTOMER, "child user",            U1,    { M,  M,  RO, Y,   Y,  Y,  Y,   Y,  M,  M,   M,    M,    RI,  R } },
	{ A_CUSTOMER, "sibling customer",      C1B,   { M,  M,  O,  O,   O,  O,  O,   O,  O,  O,   O,    O,    O,   O } },
	{ A_CUSTOMER, "owner reseller",        R1,    { M,  M,  O,  O,   O,  O,  O,   O,  O,  O,   O,    O,    O,   O } },
	{ A_CUSTOMER, "other subtree customer", C2,   { M,  M,  O,  O,   O,  O,  O,   O,  O,  O,   O,    O,    O,   O } },
	{ A_CUSTOMER, "admin",                 ADMIN, { M,  M,  O,  O,   O,  O,  O,   O,  O,  O,   O,    O,    O,   O } },

	/* With userManagement: its sibling users are in scope; it creates users and roles for its owner. */
	{ A_USER_ADMIN, "self",                U1,    { M,  M,  RO, Y,   Y,  R,  M,   R,  M,  M,   M,    M,    RI,  M } },
	{ A_USER_ADMIN, "sibling user",        U1B,   { M,  M,  RO, Y,   Y,  Y,  M,   Y,  M,  M,   M,    M,    RI,  M } },
	{ A_USER_ADMIN, "owner customer",      C1,    { M,  M,  Y,  O,   O,  O,  O,   O,  O,  O,   O,    O,    Y,   O } },
	{ A_USER_ADMIN, "other subtree user",  U2,    { M,  M,  O,  O,   O,  O,  O,   O,  O,  O,   O,    O,    O,   O } },
	{ A_USER_ADMIN, "admin",               ADMIN, { M,  M,  O,  O,   O,  O,  O,   O,  O,  O,   O,    O,    O,   O } },

	/* Without userManagement: itself only; no delete, no roles, no creates at all. */
#define PLAIN_USER_ROWS(A)                                                                                          \
	{ A, "self",                       U1,    { M,  M,  M,  Y,   Y,  R,  M,   M,  M,  M,   M,    M,    M,   M } }, \
	{ A, "sibling user",               U1B,   { M,  M,  M,  O,   O,  O,  O,   O,  O,  O,   O,    O,    O,   O } }, \
	{ A, "owner customer",             C1,    { M,  M,  M,  O,   O,  O,  O,   O,  O,  O,   O,    O,    M,   O } }, \
	{ A, "other subtree user",         U2,    { M,  M,  M,  O,   O,  O,  O,   O,  O,  O,   O,    O,    O,   O } }, \
	{ A, "admin",                      ADMIN, { M,  M,  M,  O,   O,  O,  O,   O,  O,  O,   O,    O,    O,   O } }
	PLAIN_USER_ROWS(A_USER_ACCOUNTANT),
	PLAIN_USER_ROWS(A_USER_WEBMASTER),
	PLAIN_USER_ROWS(A_USER_APPUSER),
#undef PLAIN_USER_ROWS
};

#define N_ROWS ((int)N_ELEMS(rows))

/* One case: a fresh tree, one operation. Appends a line to @p fails when wrong. */
static void run_account_case(const struct row *row, int op, test_bytes *fails)
{
	int expect = row->expect[op];
	tree t;
	outcome o;
	test_bytes before = TEST_BYTES_INIT, after = TEST_BYTES_INIT;
	char actor[96], msg[512];
	const acct_error *e;
	int rc, kind, code;

	memset(&o, 0, sizeof o);
	format_actor(actor, sizeof actor, row->actor);
	tree_build(&t, row->actor);
	ck_assert_msg(test_dump_store(&before, t.store) == 0, "dump failed");

	acct_error_clear();
	rc = run_op(&t, op, row->target, &o);
	e = acct_error_last();
	kind = e->deny_kind;
	code = e->code;
	test_last_message(msg, sizeof msg);

	if (!expect_matches(expect, rc, kind)) {
		test_bytes_printf(fails, "\n  %s -> %s %s: %s: got %d (%s), kind %s; expected %s; message: '%s'", actor,
		                  row->relation, nodes[row->target].login, op_names[op], rc, acct_strerror(rc),
		                  rc ? kind_name(kind) : "-", expect_name(expect), msg);
	} else if (rc == 0) {
		const char *problem = effect_problem(&t, op, row->actor, row->target, &o);

		if (problem)
			test_bytes_printf(fails, "\n  %s -> %s %s: %s: allowed, but %s", actor, row->relation,
			                  nodes[row->target].login, op_names[op], problem);
	} else {
		if (code != rc || msg[0] == '\0')
			test_bytes_printf(fails, "\n  %s -> %s %s: %s: refused with %d, but acct_error_last() says %d, '%s'",
			                  actor, row->relation, nodes[row->target].login, op_names[op], rc, code, msg);
		ck_assert_msg(test_dump_store(&after, t.store) == 0, "dump failed");
		if (!test_bytes_equal(&before, &after))
			test_bytes_printf(fails, "\n  %s -> %s %s: %s: refused, but the store changed", actor, row->relation,
			                  nodes[row->target].login, op_names[op]);
	}
	test_bytes_free(&before);
	test_bytes_free(&after);
	tree_free(&t);
}

/* One row: every operation, each on its own fresh tree; all failures reported together. */
START_TEST(test_account_matrix)
{
	const struct row *row = &rows[_i];
	test_bytes fails = TEST_BYTES_INIT;
	int op;

	for (op = 0; op < N_OPS; op++)
		run_account_case(row, op, &fails);
	ck_assert_msg(fails.len == 0, "%zu byte report:%s", fails.len, fails.data);
	test_bytes_free(&fails);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* The Partner API matrix: acct_check of the ten operations                 */
/* ------------------------------------------------------------------------ */

static const char *const partner_ops[] = {
	"license.search", "license.modify", "license.assign_configuration", "license.create",
	"license.upgrade", "license.downgrade", "license.suspend", "customer.search",
	"customer.create", "customer.modify",
};

#define N_PARTNER_OPS ((int)N_ELEMS(partner_ops))

/* spec/partner-apis.md section 1, one character per entry of partner_ops. */
static const char *const partner_permits[9] = {
	NULL,
	/* ACCT_PARTNER_ALL_CLIENT */ "xxxxxxx...",
	/* ACCT_PARTNER_ADVANCED_CLIENT */ "xxxxxx....",
	/* ACCT_PARTNER_STANDARD_CLIENT */ "xxxxx.....",
	/* ACCT_PARTNER_LIMITED_CLIENT */ "xx........",
	/* ACCT_PARTNER_ALL_RESELLER */ "xxxxxxxxxx",
	/* ACCT_PARTNER_ADVANCED_RESELLER */ "xxxxxx.xx.",
	/* ACCT_PARTNER_STANDARD_RESELLER */ "xxxxx..xx.",
	/* ACCT_PARTNER_LIMITED_RESELLER */ "xx.....x..",
};

/* Targets of an API login: is it one of the login's objects? */
static const struct api_target {
	const char *relation;
	int target;
	int object;
} reseller_api_targets[] = {
	{ "self", R1, 1 },
	{ "child customer", C1, 1 },
	{ "child user", UR1, 0 },
	{ "grandchild user", U1, 0 },
	{ "sibling reseller", R2, 0 },
	{ "other subtree customer", C2, 0 },
	{ "admin", ADMIN, 0 },
}, client_api_targets[] = {
	{ "self", C1, 1 },
	{ "child user", U1, 0 },
	{ "sibling customer", C1B, 0 },
	{ "owner reseller", R1, 0 },
	{ "other subtree customer", C2, 0 },
	{ "admin", ADMIN, 0 },
};

#define N_RESELLER_API ((int)N_ELEMS(reseller_api_targets))
#define N_CLIENT_API ((int)N_ELEMS(client_api_targets))
/* Rows: the four client roles x their targets, then the four reseller roles x theirs. */
#define N_API_ROWS (4 * N_CLIENT_API + 4 * N_RESELLER_API)

static void api_row(int i, int *role, const struct api_target **tg)
{
	if (i < 4 * N_CLIENT_API) {
		*role = ACCT_PARTNER_ALL_CLIENT + i / N_CLIENT_API;
		*tg = &client_api_targets[i % N_CLIENT_API];
	} else {
		i -= 4 * N_CLIENT_API;
		*role = ACCT_PARTNER_ALL_RESELLER + i / N_RESELLER_API;
		*tg = &reseller_api_targets[i % N_RESELLER_API];
	}
}

/* The kind acct_check_explain must give an API login of @p role for operation @p op on a target. */
static int api_expected_kind(int role, int op, int object)
{
	if (partner_permits[role][op] != 'x')
		return ACCT_DENY_METHOD;
	return object ? ACCT_DENY_NONE : ACCT_DENY_OBJECT;
}

static void run_api_case(int role, const struct api_target *tg, int op, test_bytes *fails)
{
	int want = api_expected_kind(role, op, tg->object);
	acct_buf text = ACCT_BUF_INIT;
	char actor[128];
	tree t;
	int allowed = -1, plain = -1, kind = -1, rc;

	format_actor(actor, sizeof actor, A_API_FIRST + role - 1);
	tree_build(&t, A_API_FIRST + role - 1);
	rc = acct_check_explain(&allowed, &kind, &text, t.actor, partner_ops[op], t.id[tg->target]);
	if (rc != 0) {
		test_bytes_printf(fails, "\n  %s -> %s %s: check %s: acct_check_explain returned %d (%s)", actor,
		                  tg->relation, nodes[tg->target].login, partner_ops[op], rc, acct_strerror(rc));
	} else if (kind != want || allowed != (want == ACCT_DENY_NONE)) {
		test_bytes_printf(fails, "\n  %s -> %s %s: check %s: got allowed=%d kind %s, expected kind %s; text: '%s'",
		                  actor, tg->relation, nodes[tg->target].login, partner_ops[op], allowed, kind_name(kind),
		                  kind_name(want), text.ptr ? text.ptr : "");
	} else if (want != ACCT_DENY_NONE && (!text.ptr || !text.ptr[0])) {
		test_bytes_printf(fails, "\n  %s -> %s %s: check %s: denied without a text", actor, tg->relation,
		                  nodes[tg->target].login, partner_ops[op]);
	}
	acct_buf_dispose(&text);
	/* The fast path agrees. */
	rc = acct_check(&plain, t.actor, partner_ops[op], t.id[tg->target]);
	if (rc != 0 || plain != (want == ACCT_DENY_NONE))
		test_bytes_printf(fails, "\n  %s -> %s %s: check %s: acct_check gave %d (rc %d), expected %d", actor,
		                  tg->relation, nodes[tg->target].login, partner_ops[op], plain, rc, want == ACCT_DENY_NONE);
	tree_free(&t);
}

START_TEST(test_api_matrix)
{
	const struct api_target *tg;
	test_bytes fails = TEST_BYTES_INIT;
	int role, op;

	api_row(_i, &role, &tg);
	for (op = 0; op < N_PARTNER_OPS; op++)
		run_api_case(role, tg, op, &fails);
	ck_assert_msg(fails.len == 0, "%zu byte report:%s", fails.len, fails.data);
	test_bytes_free(&fails);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* What an API login session holds besides its Partner operations           */
/* ------------------------------------------------------------------------ */

/*
 * spec/partner-apis.md: an API login is a credential of its own that cannot
 * be used as the account's UI login; acct/credential.h: "Such a session holds
 * only its role's Partner API operations: a client role on its own account,
 * a reseller role on the reseller and its own customers".
 *
 * So account and role permissions are METHOD denials, and every account
 * operation no Partner operation covers (suspend, delete, users, grants,
 * limits, roles, keys, API logins) is refused and changes nothing, whatever
 * the role. Reading and editing its objects and creating customers may be
 * read as customer.search / customer.modify / customer.create: allowed only
 * when the role has that operation and the target is one of its objects;
 * refused otherwise.
 */

/* Refused: EDENIED (METHOD), or ENOTFOUND (OBJECT) for what is not an object of the login. */
static int refused(int rc, int kind)
{
	return (rc == ACCT_EDENIED && kind == ACCT_DENY_METHOD) || (rc == ACCT_ENOTFOUND && kind == ACCT_DENY_OBJECT);
}

START_TEST(test_api_session_holds_only_partner_ops)
{
	static const char *const other_perms[] = { "manage_dns", "create_clients", "userManagement", "browseStats" };
	int role = ACCT_PARTNER_ALL_CLIENT + _i;
	int actor = A_API_FIRST + role - 1;
	int self = actor_node(actor);
	int reseller = is_reseller_role(role);
	int child = reseller ? C1 : U1; /* a reseller role's object; a client role's non-object */
	test_bytes fails = TEST_BYTES_INIT, before = TEST_BYTES_INIT, after = TEST_BYTES_INIT;
	acct_buf buf = ACCT_BUF_INIT;
	acct_account *a = NULL;
	acct_role_id rid = 0;
	acct_id id = 0;
	char name[128];
	tree t;
	size_t i;
	int allowed, kind, rc;

	format_actor(name, sizeof name, actor);
	tree_build(&t, actor);
	for (i = 0; i < N_ELEMS(other_perms); i++) {
		allowed = -1;
		kind = -1;
		rc = acct_check_explain(&allowed, &kind, NULL, t.actor, other_perms[i], t.id[self]);
		if (rc != 0 || allowed != 0 || kind != ACCT_DENY_METHOD)
			test_bytes_printf(&fails, "\n  check %s on itself: rc %d allowed=%d kind %s, expected METHOD",
			                  other_perms[i], rc, allowed, kind_name(kind));
	}

	/* Never allowed: nothing changes. */
	ck_assert_ok(test_dump_store(&before, t.store));
#define EXPECT_REFUSED(what, call)                                                                           \
	do {                                                                                                     \
		acct_error_clear();                                                                                  \
		rc = (call);                                                                                         \
		kind = acct_error_last()->deny_kind;                                                                 \
		if (!refused(rc, kind))                                                                              \
			test_bytes_printf(&fails, "\n  %s: got %d (%s) kind %s, expected a METHOD (or OBJECT) refusal", \
			                  what, rc, acct_strerror(rc), rc ? kind_name(kind) : "-");                     \
	} while (0)

	EXPECT_REFUSED("suspend its child", acct_account_suspend(t.actor, t.id[child]));
	EXPECT_REFUSED("delete its child", acct_account_delete(t.actor, t.id[child]));
	EXPECT_REFUSED("create a user", try_add_account(&id, t.actor, t.id[self], ACCT_TYPE_USER, "via-api", NULL));
	EXPECT_REFUSED("revoke manage_dns from its child", acct_perm_grant(t.actor, t.id[child], "manage_dns", 0));
	EXPECT_REFUSED("set a limit of its child", acct_limit_set(t.actor, t.id[child], "max_dom", 3));
	EXPECT_REFUSED("create a role", acct_role_create(&rid, t.actor, t.id[self], "Via API"));
	EXPECT_REFUSED("create a secret key", acct_key_create(&buf, NULL, t.actor, t.id[self], "192.0.2.1", NULL));
	acct_buf_dispose(&buf);
	EXPECT_REFUSED("create another API login",
	               acct_apilogin_create(&buf, NULL, t.actor, t.id[self], "second-api", ACCT_PARTNER_LIMITED_CLIENT));
	acct_buf_dispose(&buf);
	EXPECT_REFUSED("give itself a new password", acct_apilogin_new_password(&buf, t.actor, 1));
	acct_buf_dispose(&buf);
	if (!reseller)
		EXPECT_REFUSED("create a customer",
		               try_add_account(&id, t.actor, t.id[self], ACCT_TYPE_CUSTOMER, "via-api-c", NULL));
	ck_assert_ok(test_dump_store(&after, t.store));
	if (!test_bytes_equal(&before, &after))
		test_bytes_printf(&fails, "\n  refused operations changed the store");

	/* Covered by a Partner operation: allowed only with it, on an object of the login. */
#define EXPECT_ONLY_WITH(op, what, call)                                                                     \
	do {                                                                                                     \
		int may_ = reseller && acct_partner_role_permits(role, op) == 1;                                     \
		acct_error_clear();                                                                                  \
		rc = (call);                                                                                         \
		kind = acct_error_last()->deny_kind;                                                                 \
		if (!(rc == 0 && may_) && !refused(rc, kind))                                                        \
			test_bytes_printf(&fails, "\n  %s: got %d (%s) kind %s; %s", what, rc, acct_strerror(rc),       \
			                  rc ? kind_name(kind) : "-",                                                    \
			                  may_ ? "expected allowed (" op ") or refused" : "expected a refusal (no " op ")"); \
	} while (0)

	EXPECT_ONLY_WITH("customer.search", "read its child", acct_account_lookup(&a, t.actor, t.id[child]));
	acct_account_free(a);
	a = lookup_ok(t.admin, t.id[child]);
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_PHONE, "5550100"));
	EXPECT_ONLY_WITH("customer.modify", "edit its child", acct_account_update(t.actor, a));
	acct_account_free(a);
	if (reseller)
		EXPECT_ONLY_WITH("customer.create", "create a customer",
		                 try_add_account(&id, t.actor, t.id[self], ACCT_TYPE_CUSTOMER, "via-api-c", NULL));
	/* Out of its objects, whatever the role. */
	a = NULL;
	EXPECT_REFUSED("read another reseller's customer", acct_account_lookup(&a, t.actor, t.id[C2]));
	acct_account_free(a);
	if (reseller) {
		a = NULL;
		EXPECT_REFUSED("read its customer's user", acct_account_lookup(&a, t.actor, t.id[U1]));
		acct_account_free(a);
	}
#undef EXPECT_ONLY_WITH
#undef EXPECT_REFUSED

	ck_assert_msg(fails.len == 0, "%s:%s", name, fails.data);
	test_bytes_free(&fails);
	test_bytes_free(&before);
	test_bytes_free(&after);
	tree_free(&t);
}
END_TEST

/* The table sizes the loops above rely on. */
START_TEST(test_matrix_shape)
{
	size_t i;
	int r;

	ck_assert_int_eq(N_ROWS, 5 + 7 + 7 + 6 + 5 * 4);
	for (i = 0; i < N_ELEMS(rows); i++)
		ck_assert_msg(rows[i].actor >= 0 && rows[i].actor < A_API_FIRST, "row %zu: bad actor", i);
	for (r = 1; r <= 8; r++) {
		ck_assert_int_eq(strlen(partner_permits[r]), N_PARTNER_OPS);
		for (i = 0; i < (size_t)N_PARTNER_OPS; i++)
			ck_assert_msg(acct_partner_role_permits(r, partner_ops[i]) == (partner_permits[r][i] == 'x'),
			              "%s: %s disagrees with spec/partner-apis.md", acct_partner_role_name(r), partner_ops[i]);
	}
}
END_TEST

static Suite *matrix_suite(void)
{
	Suite *s = suite_create("matrix");
	TCase *tc;

	tc = tcase_create("shape");
	tcase_add_test(tc, test_matrix_shape);
	suite_add_tcase(s, tc);

	tc = tcase_create("accounts");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_account_matrix, 0, N_ROWS);
	suite_add_tcase(s, tc);

	tc = tcase_create("partner");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_api_matrix, 0, N_API_ROWS);
	suite_add_tcase(s, tc);

	tc = tcase_create("api_sessions");
	tcase_add_loop_test(tc, test_api_session_holds_only_partner_ops, 0, 8);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	return test_run_suite(matrix_suite(), 1);
}
