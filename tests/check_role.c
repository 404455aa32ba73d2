/*
 * check_role.c - user roles and Partner API roles (acct/role.h): the four
 * built-in roles, custom roles (create, permissions, iterate, assign,
 * delete), what a user with userManagement may do to its siblings and what it
 * may never do (escalation), changes seen at once, and the Partner role table
 * of spec/partner-apis.md section 1.
 *
 * Interpretations used where the headers leave a choice (spec/policy.md wins):
 * - built-in roles are owned by the admin and may be read (info, permissions,
 *   iteration) by anyone; only the admin edits Webmaster and Application User;
 * - a custom role's name is unique among its owner's roles and the built-in
 *   names; other owners may reuse it;
 * - a reseller or customer creates roles for itself only (ACCT_EDENIED for an
 *   account in its scope, ACCT_ENOTFOUND or ACCT_EDENIED outside it); the
 *   roles of another owner are not found;
 * - a user with userManagement has its siblings in scope (read, edit contact
 *   and login, delete, give roles), creates users owned by its owner, and
 *   never sets status; without userManagement its siblings are out of scope
 *   (ACCT_ENOTFOUND) and it may create nobody;
 * - the checks here only make customers put into roles role permissions that
 *   need no account permission (userManagement, browseStats, filesManagement,
 *   mailManagement, databasesManagement), since whether a customer "holds"
 *   e.g. dnsManagement without manage_dns is not settled by the headers.
 */
#include "testutil.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static const char *const role_perm_names[] = {
	"userManagement", "webSitesAndDomainsManagement", "logRotationManagement",
	"anonymousFtpManagement", "scheduledTasksManagement", "spamfilterManagement",
	"antivirusManagement", "databasesManagement", "backupRestoreManagement", "browseStats",
	"applicationsManagement", "sitebuilderManagement", "filesManagement",
	"ftpAccountsManagement", "dnsManagement", "mailManagement", "mailListsManagement",
};

/* ------------------------------------------------------------------------ */
/* A test tree                                                              */
/* ------------------------------------------------------------------------ */

/*
 *   admin
 *   +-- R1 (reseller)
 *   |   +-- C1 (customer) +-- UM, US, UT (users)
 *   |   +-- C1B (customer) +-- UX (user)
 *   +-- R2 (reseller)
 *       +-- C2 (customer) +-- U2 (user)
 */
enum { ADMIN, R1, C1, UM, US, UT, C1B, UX, R2, C2, U2, N_NODES };

static const test_node nodes[N_NODES] = {
	[ADMIN] = { "admin", ACCT_TYPE_ADMIN, -1 },
	[R1] = { "r1", ACCT_TYPE_RESELLER, ADMIN },
	[C1] = { "c1", ACCT_TYPE_CUSTOMER, R1 },
	[UM] = { "um", ACCT_TYPE_USER, C1 },
	[US] = { "us", ACCT_TYPE_USER, C1 },
	[UT] = { "ut", ACCT_TYPE_USER, C1 },
	[C1B] = { "c1b", ACCT_TYPE_CUSTOMER, R1 },
	[UX] = { "ux", ACCT_TYPE_USER, C1B },
	[R2] = { "r2", ACCT_TYPE_RESELLER, ADMIN },
	[C2] = { "c2", ACCT_TYPE_CUSTOMER, R2 },
	[U2] = { "u2", ACCT_TYPE_USER, C2 },
};

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

static acct_role_id role_create_ok(acct_session *s, acct_id owner, const char *name)
{
	acct_role_id id = 0;
	int rc = acct_role_create(&id, s, owner, name);

	ck_assert_msg(rc == 0, "creating role '%s' for %" PRId64 " as %" PRId64 " returned %d (%s): %s", name,
	              owner, acct_session_account(s), rc, acct_strerror(rc), acct_error_last()->message);
	ck_assert_msg(id > ACCT_ROLE_APPLICATION_USER, "role '%s' got id %" PRId64, name, id);
	return id;
}

static void role_set_ok(acct_session *s, acct_role_id role, const char *perm, int on)
{
	int rc = acct_role_set_permission(s, role, perm, on);

	ck_assert_msg(rc == 0, "%s %s in role %" PRId64 " as %" PRId64 " returned %d (%s): %s",
	              on ? "granting" : "revoking", perm, role, acct_session_account(s), rc, acct_strerror(rc),
	              acct_error_last()->message);
}

static int role_has(acct_session *s, acct_role_id role, const char *perm)
{
	int g = -1;
	int rc = acct_role_get_permission(&g, s, role, perm);

	ck_assert_msg(rc == 0, "acct_role_get_permission(%" PRId64 ", %s) returned %d (%s): %s", role, perm, rc,
	              acct_strerror(rc), acct_error_last()->message);
	ck_assert_msg(g == 0 || g == 1, "acct_role_get_permission(%" PRId64 ", %s) gave %d", role, perm, g);
	return g;
}

static void set_role_ok(acct_session *s, acct_id user, acct_role_id role, int on)
{
	int rc = acct_user_set_role(s, user, role, on);

	ck_assert_msg(rc == 0, "acct_user_set_role(user %" PRId64 ", role %" PRId64 ", %d) as %" PRId64
	              " returned %d (%s): %s", user, role, on, acct_session_account(s), rc,
	              acct_strerror(rc), acct_error_last()->message);
}

/* The role ids an iterator gives, into @p ids; returns the first error (0 at a clean end). */
static int drain(acct_role_id *ids, size_t max, size_t *n_out, acct_role_iterator *it)
{
	acct_role_id id;
	size_t n = 0;
	int rc;

	while ((rc = acct_role_iterator_next(&id, it)) == 0) {
		if (n < max)
			ids[n] = id;
		n++;
	}
	*n_out = n;
	return rc == ACCT_ITEROVER ? 0 : rc;
}

static void assert_roles(const acct_role_id *got, size_t n_got, const acct_role_id *want, size_t n_want,
                         const char *what)
{
	char g[256], w[256];
	size_t i, used;

	for (i = 0, used = 0, g[0] = '\0'; i < n_got && used < sizeof g - 24; i++)
		used += (size_t)snprintf(g + used, sizeof g - used, " %" PRId64, got[i]);
	for (i = 0, used = 0, w[0] = '\0'; i < n_want && used < sizeof w - 24; i++)
		used += (size_t)snprintf(w + used, sizeof w - used, " %" PRId64, want[i]);
	ck_assert_msg(n_got == n_want, "%s: got [%s ] (%zu roles), expected [%s ]", what, g, n_got, w);
	for (i = 0; i < n_got; i++)
		ck_assert_msg(got[i] == want[i], "%s: got [%s ], expected [%s ]", what, g, w);
}

/* The roles a user of @p owner may be given, as @p s sees them; asserts they are @p want. */
static void expect_owner_roles(acct_session *s, acct_id owner, const acct_role_id *want, size_t n_want,
                               const char *what)
{
	acct_role_iterator *it = NULL;
	acct_role_id got[32];
	size_t n = 0;
	int rc = acct_role_iterator_new(&it, s, owner);

	ck_assert_msg(rc == 0 && it, "%s: acct_role_iterator_new returned %d (%s): %s", what, rc, acct_strerror(rc),
	              acct_error_last()->message);
	ck_assert_ok(drain(got, N_ELEMS(got), &n, it));
	acct_role_iterator_free(it);
	assert_roles(got, n, want, n_want, what);
}

static void expect_user_roles(acct_session *s, acct_id user, const acct_role_id *want, size_t n_want,
                              const char *what)
{
	acct_role_iterator *it = NULL;
	acct_role_id got[32];
	size_t n = 0;
	int rc = acct_role_iterator_new_user(&it, s, user);

	ck_assert_msg(rc == 0 && it, "%s: acct_role_iterator_new_user returned %d (%s): %s", what, rc,
	              acct_strerror(rc), acct_error_last()->message);
	ck_assert_ok(drain(got, N_ELEMS(got), &n, it));
	acct_role_iterator_free(it);
	assert_roles(got, n, want, n_want, what);
}

/* acct_check of @p perm by @p s on @p target must give @p want (1 allowed, 0 denied). */
static void expect_allowed(acct_session *s, const char *perm, acct_id target, int want, const char *what)
{
	int allowed = -1, kind = -1;
	int rc = acct_check_explain(&allowed, &kind, NULL, s, perm, target);

	ck_assert_msg(rc == 0, "%s: acct_check_explain(%s) returned %d (%s)", what, perm, rc, acct_strerror(rc));
	ck_assert_msg(allowed == want, "%s: %s on %" PRId64 " gave allowed=%d (kind %d), expected %d", what, perm,
	              target, allowed, kind, want);
}

static void expect_denied_with_message(int rc, const char *needle, const char *what)
{
	char msg[512];

	test_last_message(msg, sizeof msg);
	ck_assert_msg(rc == ACCT_EDENIED, "%s: returned %d (%s), expected ACCT_EDENIED; message '%s'", what, rc,
	              acct_strerror(rc), msg);
	test_assert_last_error(ACCT_EDENIED, needle, what);
}

/* ------------------------------------------------------------------------ */
/* Built-in roles                                                           */
/* ------------------------------------------------------------------------ */

static const struct builtin {
	acct_role_id id;
	const char *name;
	int editable;
} builtins[] = {
	{ ACCT_ROLE_ADMIN, "Admin", 0 },
	{ ACCT_ROLE_ACCOUNTANT, "Accountant", 0 },
	{ ACCT_ROLE_WEBMASTER, "Webmaster", 1 },
	{ ACCT_ROLE_APPLICATION_USER, "Application User", 1 },
};

/* Does built-in role @p id hold @p perm (spec/policy.md section 5)? */
static int builtin_has(acct_role_id id, const char *perm)
{
	switch (id) {
	case ACCT_ROLE_ADMIN: return 1;
	case ACCT_ROLE_ACCOUNTANT: return strcmp(perm, "browseStats") == 0;
	case ACCT_ROLE_WEBMASTER: return strcmp(perm, "userManagement") != 0;
	case ACCT_ROLE_APPLICATION_USER: return strcmp(perm, "applicationsManagement") == 0;
	}
	return -1;
}

START_TEST(test_builtin_info)
{
	static const int readers[] = { ADMIN, R1, C1 };
	test_tree t;
	size_t i, r;

	open_tree(&t, nodes, N_NODES);
	ck_assert_int_eq(ACCT_ROLE_ADMIN, 1);
	ck_assert_int_eq(ACCT_ROLE_APPLICATION_USER, 4);
	for (r = 0; r < N_ELEMS(readers); r++) {
		for (i = 0; i < N_ELEMS(builtins); i++) {
			acct_buf name = ACCT_BUF_INIT;
			acct_id owner = -1;
			int editable = -1, rc;

			rc = acct_role_info(&name, &owner, &editable, tree_session(&t, readers[r]), builtins[i].id);
			ck_assert_msg(rc == 0, "%s: acct_role_info(%" PRId64 ") returned %d (%s): %s",
			              nodes[readers[r]].login, builtins[i].id, rc, acct_strerror(rc),
			              acct_error_last()->message);
			ck_assert_msg(name.ptr && strcmp(name.ptr, builtins[i].name) == 0,
			              "role %" PRId64 " is called '%s', expected '%s'", builtins[i].id,
			              name.ptr ? name.ptr : "(null)", builtins[i].name);
			ck_assert_msg(owner == 1, "built-in role %s is owned by %" PRId64, builtins[i].name, owner);
			ck_assert_msg(editable == builtins[i].editable, "built-in role %s: editable=%d, expected %d",
			              builtins[i].name, editable, builtins[i].editable);
			acct_buf_dispose(&name);
		}
	}
	/* Every out parameter is optional. */
	ck_assert_ok(acct_role_info(NULL, NULL, NULL, t.admin, ACCT_ROLE_WEBMASTER));
	/* No such roles. */
	ck_assert_rc(acct_role_info(NULL, NULL, NULL, t.admin, 0), ACCT_ENOTFOUND);
	ck_assert_rc(acct_role_info(NULL, NULL, NULL, t.admin, -1), ACCT_ENOTFOUND);
	ck_assert_rc(acct_role_info(NULL, NULL, NULL, t.admin, 5), ACCT_ENOTFOUND);
	ck_assert_rc(acct_role_info(NULL, NULL, NULL, t.admin, 999999), ACCT_ENOTFOUND);
	close_tree(&t);
}
END_TEST

START_TEST(test_builtin_permissions)
{
	test_tree t;
	size_t i, p;

	open_tree(&t, nodes, N_NODES);
	for (i = 0; i < N_ELEMS(builtins); i++) {
		for (p = 0; p < N_ELEMS(role_perm_names); p++) {
			int want = builtin_has(builtins[i].id, role_perm_names[p]);

			ck_assert_msg(role_has(t.admin, builtins[i].id, role_perm_names[p]) == want,
			              "built-in role %s %s %s", builtins[i].name, want ? "lacks" : "has",
			              role_perm_names[p]);
			ck_assert_msg(role_has(tree_session(&t, C1), builtins[i].id, role_perm_names[p]) == want,
			              "built-in role %s, read by a customer, %s %s", builtins[i].name,
			              want ? "lacks" : "has", role_perm_names[p]);
		}
	}
	close_tree(&t);
}
END_TEST

START_TEST(test_builtin_not_editable)
{
	test_tree t;

	open_tree(&t, nodes, N_NODES);
	expect_denied_with_message(acct_role_set_permission(t.admin, ACCT_ROLE_ADMIN, "browseStats", 0), NULL,
	                           "the admin revoking browseStats from the Admin role");
	expect_denied_with_message(acct_role_set_permission(t.admin, ACCT_ROLE_ADMIN, "userManagement", 1), NULL,
	                           "the admin granting the Admin role what it has");
	expect_denied_with_message(acct_role_set_permission(t.admin, ACCT_ROLE_ACCOUNTANT, "dnsManagement", 1), NULL,
	                           "the admin granting dnsManagement to the Accountant role");
	expect_denied_with_message(acct_role_set_permission(t.admin, ACCT_ROLE_ACCOUNTANT, "browseStats", 0), NULL,
	                           "the admin revoking browseStats from the Accountant role");
	ck_assert_int_eq(role_has(t.admin, ACCT_ROLE_ADMIN, "browseStats"), 1);
	ck_assert_int_eq(role_has(t.admin, ACCT_ROLE_ACCOUNTANT, "dnsManagement"), 0);
	ck_assert_int_eq(role_has(t.admin, ACCT_ROLE_ACCOUNTANT, "browseStats"), 1);
	close_tree(&t);
}
END_TEST

START_TEST(test_builtin_editable_by_admin_only)
{
	test_tree t;
	int rc;

	open_tree(&t, nodes, N_NODES);
	role_set_ok(t.admin, ACCT_ROLE_WEBMASTER, "dnsManagement", 0);
	ck_assert_int_eq(role_has(t.admin, ACCT_ROLE_WEBMASTER, "dnsManagement"), 0);
	role_set_ok(t.admin, ACCT_ROLE_WEBMASTER, "dnsManagement", 1);
	ck_assert_int_eq(role_has(t.admin, ACCT_ROLE_WEBMASTER, "dnsManagement"), 1);
	role_set_ok(t.admin, ACCT_ROLE_APPLICATION_USER, "browseStats", 1);
	ck_assert_int_eq(role_has(t.admin, ACCT_ROLE_APPLICATION_USER, "browseStats"), 1);
	/* Built-in roles are shared by every owner: only the admin edits them. */
	rc = acct_role_set_permission(tree_session(&t, R1), ACCT_ROLE_WEBMASTER, "browseStats", 0);
	expect_denied_with_message(rc, NULL, "a reseller editing the Webmaster role");
	rc = acct_role_set_permission(tree_session(&t, C1), ACCT_ROLE_APPLICATION_USER, "browseStats", 0);
	expect_denied_with_message(rc, NULL, "a customer editing the Application User role");
	ck_assert_int_eq(role_has(t.admin, ACCT_ROLE_WEBMASTER, "browseStats"), 1);
	ck_assert_int_eq(role_has(t.admin, ACCT_ROLE_APPLICATION_USER, "browseStats"), 1);
	close_tree(&t);
}
END_TEST

START_TEST(test_unknown_roles_and_permissions)
{
	test_tree t;
	int g = 5, rc;

	open_tree(&t, nodes, N_NODES);
	ck_assert_rc(acct_role_get_permission(&g, t.admin, ACCT_ROLE_WEBMASTER, "noSuchManagement"), ACCT_ENOTFOUND);
	ck_assert_rc(acct_role_get_permission(&g, t.admin, 999999, "browseStats"), ACCT_ENOTFOUND);
	ck_assert_rc(acct_role_get_permission(&g, t.admin, 0, "browseStats"), ACCT_ENOTFOUND);
	ck_assert_rc(acct_role_set_permission(t.admin, ACCT_ROLE_WEBMASTER, "noSuchManagement", 1), ACCT_ENOTFOUND);
	ck_assert_rc(acct_role_set_permission(t.admin, 999999, "browseStats", 1), ACCT_ENOTFOUND);
	/* Account permissions and Partner operations do not go into user roles. */
	rc = acct_role_set_permission(t.admin, ACCT_ROLE_WEBMASTER, "manage_dns", 1);
	ck_assert_msg(rc == ACCT_ENOTFOUND || rc == ACCT_EINVALID,
	              "an account permission went into the Webmaster role: %d (%s)", rc, acct_strerror(rc));
	rc = acct_role_set_permission(t.admin, ACCT_ROLE_WEBMASTER, "license.upgrade", 1);
	ck_assert_msg(rc == ACCT_ENOTFOUND || rc == ACCT_EINVALID,
	              "a Partner operation went into the Webmaster role: %d (%s)", rc, acct_strerror(rc));
	close_tree(&t);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Custom roles                                                             */
/* ------------------------------------------------------------------------ */

START_TEST(test_custom_create)
{
	test_tree t;
	acct_role_id support, other, id = 0;
	acct_buf name = ACCT_BUF_INIT;
	acct_id owner = 0;
	int editable = 0, rc;
	size_t p;

	open_tree(&t, nodes, N_NODES);
	support = role_create_ok(tree_session(&t, C1), t.id[C1], "Support");
	ck_assert_ok(acct_role_info(&name, &owner, &editable, tree_session(&t, C1), support));
	ck_assert_str_eq(name.ptr, "Support");
	ck_assert_msg(owner == t.id[C1], "the role is owned by %" PRId64, owner);
	ck_assert_int_eq(editable, 1);
	acct_buf_dispose(&name);
	for (p = 0; p < N_ELEMS(role_perm_names); p++)
		ck_assert_msg(role_has(tree_session(&t, C1), support, role_perm_names[p]) == 0, "a new role has %s",
		              role_perm_names[p]);

	/* Names: unique among the owner's roles and the built-in ones. */
	ck_assert_rc(acct_role_create(&id, tree_session(&t, C1), t.id[C1], "Support"), ACCT_EEXISTS);
	ck_assert_rc(acct_role_create(&id, tree_session(&t, C1), t.id[C1], "Webmaster"), ACCT_EEXISTS);
	ck_assert_rc(acct_role_create(&id, tree_session(&t, C1), t.id[C1], "Admin"), ACCT_EEXISTS);
	ck_assert_rc(acct_role_create(&id, t.admin, t.id[C1], "Support"), ACCT_EEXISTS);
	other = role_create_ok(tree_session(&t, C1B), t.id[C1B], "Support");
	ck_assert_msg(other != support, "two roles share id %" PRId64, other);
	ck_assert_rc(acct_role_create(&id, tree_session(&t, C1), t.id[C1], ""), ACCT_EINVALID);
	ck_assert_rc(acct_role_create(&id, tree_session(&t, C1), t.id[C1], NULL), ACCT_EINVALID);
	ck_assert_rc(acct_role_create(NULL, tree_session(&t, C1), t.id[C1], "No id"), ACCT_EINVALID);

	/* Who creates for whom. */
	role_create_ok(tree_session(&t, R1), t.id[R1], "Reseller staff");
	role_create_ok(t.admin, 1, "Admin staff");
	id = role_create_ok(t.admin, t.id[C1], "Made by the admin");
	ck_assert_ok(acct_role_info(NULL, &owner, NULL, tree_session(&t, C1), id));
	ck_assert_msg(owner == t.id[C1], "the admin's role for c1 is owned by %" PRId64, owner);
	expect_denied_with_message(acct_role_create(&id, tree_session(&t, R1), t.id[C1], "For my customer"), NULL,
	                           "a reseller creating a role for its customer");
	rc = acct_role_create(&id, tree_session(&t, C1), t.id[C1B], "Not mine");
	ck_assert_msg(rc == ACCT_ENOTFOUND || rc == ACCT_EDENIED, "c1 created a role for c1b: %d (%s)", rc,
	              acct_strerror(rc));
	rc = acct_role_create(&id, tree_session(&t, R1), t.id[C2], "Not mine");
	ck_assert_msg(rc == ACCT_ENOTFOUND || rc == ACCT_EDENIED, "r1 created a role for c2: %d (%s)", rc,
	              acct_strerror(rc));
	rc = acct_role_create(&id, t.admin, t.id[UM], "A user's role");
	ck_assert_msg(rc == ACCT_EINVALID || rc == ACCT_EDENIED, "a role owned by a user: %d (%s)", rc,
	              acct_strerror(rc));
	rc = acct_role_create(&id, tree_session(&t, US), t.id[C1], "By a plain user");
	expect_denied_with_message(rc, NULL, "a user without userManagement creating a role");
	ck_assert_rc(acct_role_create(&id, t.admin, 999999, "Nobody's"), ACCT_ENOTFOUND);

	/* Another owner's role is not found. */
	ck_assert_rc(acct_role_info(NULL, NULL, NULL, tree_session(&t, C1B), support), ACCT_ENOTFOUND);
	ck_assert_rc(acct_role_info(NULL, NULL, NULL, tree_session(&t, C2), support), ACCT_ENOTFOUND);
	close_tree(&t);
}
END_TEST

START_TEST(test_custom_permissions)
{
	test_tree t;
	acct_role_id role;
	int g = 0, rc;
	size_t p;

	open_tree(&t, nodes, N_NODES);
	role = role_create_ok(tree_session(&t, C1), t.id[C1], "Support");
	role_set_ok(tree_session(&t, C1), role, "browseStats", 1);
	role_set_ok(tree_session(&t, C1), role, "filesManagement", 1);
	role_set_ok(tree_session(&t, C1), role, "mailManagement", 1);
	role_set_ok(tree_session(&t, C1), role, "mailManagement", 1); /* twice: still there */
	for (p = 0; p < N_ELEMS(role_perm_names); p++) {
		const char *n = role_perm_names[p];
		int want = !strcmp(n, "browseStats") || !strcmp(n, "filesManagement") || !strcmp(n, "mailManagement");

		ck_assert_msg(role_has(tree_session(&t, C1), role, n) == want, "Support %s %s", want ? "lacks" : "has", n);
	}
	role_set_ok(tree_session(&t, C1), role, "filesManagement", 0);
	ck_assert_int_eq(role_has(tree_session(&t, C1), role, "filesManagement"), 0);
	ck_assert_int_eq(role_has(tree_session(&t, C1), role, "browseStats"), 1);
	ck_assert_int_eq(role_has(t.admin, role, "browseStats"), 1);

	ck_assert_rc(acct_role_set_permission(tree_session(&t, C1), role, "noSuchManagement", 1), ACCT_ENOTFOUND);
	rc = acct_role_set_permission(tree_session(&t, C1), role, "manage_dns", 1);
	ck_assert_msg(rc == ACCT_ENOTFOUND || rc == ACCT_EINVALID, "an account permission went into a role: %d (%s)",
	              rc, acct_strerror(rc));
	/* Another owner can neither read nor change it. */
	rc = acct_role_set_permission(tree_session(&t, C1B), role, "databasesManagement", 1);
	ck_assert_msg(rc == ACCT_ENOTFOUND || rc == ACCT_EDENIED, "c1b changed c1's role: %d (%s)", rc,
	              acct_strerror(rc));
	ck_assert_rc(acct_role_get_permission(&g, tree_session(&t, C1B), role, "browseStats"), ACCT_ENOTFOUND);
	ck_assert_int_eq(role_has(tree_session(&t, C1), role, "databasesManagement"), 0);
	/* The admin edits anyone's roles. */
	role_set_ok(t.admin, role, "databasesManagement", 1);
	ck_assert_int_eq(role_has(tree_session(&t, C1), role, "databasesManagement"), 1);
	close_tree(&t);
}
END_TEST

START_TEST(test_role_iterator)
{
	test_tree t;
	acct_role_id a, b, c, d, want[8];
	acct_role_iterator *it = NULL;
	acct_role_id got[16], id = 0;
	size_t n = 0;

	open_tree(&t, nodes, N_NODES);
	want[0] = 1, want[1] = 2, want[2] = 3, want[3] = 4;
	expect_owner_roles(tree_session(&t, C1), t.id[C1], want, 4, "c1's roles in a fresh store");
	a = role_create_ok(tree_session(&t, C1), t.id[C1], "A");
	b = role_create_ok(tree_session(&t, C1B), t.id[C1B], "B");
	c = role_create_ok(tree_session(&t, C1), t.id[C1], "C");
	ck_assert_msg(a < b && b < c, "role ids do not ascend: %" PRId64 ", %" PRId64 ", %" PRId64, a, b, c);
	want[4] = a, want[5] = c;
	expect_owner_roles(tree_session(&t, C1), t.id[C1], want, 6, "c1's roles");
	expect_owner_roles(t.admin, t.id[C1], want, 6, "c1's roles, seen by the admin");
	expect_owner_roles(tree_session(&t, R1), t.id[C1], want, 6, "c1's roles, seen by its reseller");
	want[4] = b;
	expect_owner_roles(tree_session(&t, C1B), t.id[C1B], want, 5, "c1b's roles");
	expect_owner_roles(t.admin, 1, want, 4, "the admin's roles");

	/* A snapshot: a role created after the iterator is not in it. */
	ck_assert_ok(acct_role_iterator_new(&it, tree_session(&t, C1), t.id[C1]));
	d = role_create_ok(tree_session(&t, C1), t.id[C1], "D");
	ck_assert_ok(drain(got, N_ELEMS(got), &n, it));
	ck_assert_msg(n == 6, "the snapshot gave %zu roles, expected 6", n);
	ck_assert_rc(acct_role_iterator_next(&id, it), ACCT_ITEROVER);
	acct_role_iterator_free(it);
	want[4] = a, want[5] = c, want[6] = d;
	expect_owner_roles(tree_session(&t, C1), t.id[C1], want, 7, "c1's roles after D");

	/* Out of scope, missing owner. */
	it = NULL;
	ck_assert_rc(acct_role_iterator_new(&it, tree_session(&t, C1), t.id[C1B]), ACCT_ENOTFOUND);
	ck_assert_ptr_null(it);
	ck_assert_rc(acct_role_iterator_new(&it, tree_session(&t, C1), t.id[R1]), ACCT_ENOTFOUND);
	ck_assert_rc(acct_role_iterator_new(&it, t.admin, 999999), ACCT_ENOTFOUND);
	acct_role_iterator_free(NULL);
	close_tree(&t);
}
END_TEST

START_TEST(test_user_roles)
{
	test_tree t;
	acct_role_id support, foreign, want[4];
	acct_role_iterator *it = NULL;
	int rc;

	open_tree(&t, nodes, N_NODES);
	support = role_create_ok(tree_session(&t, C1), t.id[C1], "Support");
	role_set_ok(tree_session(&t, C1), support, "filesManagement", 1);
	foreign = role_create_ok(tree_session(&t, C1B), t.id[C1B], "Foreign");

	expect_user_roles(tree_session(&t, C1), t.id[UM], NULL, 0, "um before any role");
	set_role_ok(tree_session(&t, C1), t.id[UM], support, 1);
	set_role_ok(tree_session(&t, C1), t.id[UM], ACCT_ROLE_ACCOUNTANT, 1);
	want[0] = ACCT_ROLE_ACCOUNTANT, want[1] = support;
	expect_user_roles(tree_session(&t, C1), t.id[UM], want, 2, "um with Accountant and Support");
	expect_user_roles(t.admin, t.id[UM], want, 2, "um's roles seen by the admin");
	expect_user_roles(tree_session(&t, UM), t.id[UM], want, 2, "um's roles seen by itself");
	/* Given twice: still once. */
	rc = acct_user_set_role(tree_session(&t, C1), t.id[UM], support, 1);
	ck_assert_msg(rc == 0 || rc == ACCT_EEXISTS, "giving a role twice: %d (%s)", rc, acct_strerror(rc));
	expect_user_roles(tree_session(&t, C1), t.id[UM], want, 2, "um after Support was given twice");
	/* The assignment is what acct_check uses. */
	expect_allowed(tree_session(&t, UM), "filesManagement", t.id[UM], 1, "um with Support");
	expect_allowed(tree_session(&t, UM), "browseStats", t.id[UM], 1, "um with Accountant");
	set_role_ok(tree_session(&t, C1), t.id[UM], ACCT_ROLE_ACCOUNTANT, 0);
	want[0] = support;
	expect_user_roles(tree_session(&t, C1), t.id[UM], want, 1, "um after losing Accountant");
	expect_allowed(tree_session(&t, UM), "browseStats", t.id[UM], 0, "um without Accountant");

	/* The reseller of the customer may too (it may edit the user). */
	set_role_ok(tree_session(&t, R1), t.id[US], ACCT_ROLE_ACCOUNTANT, 1);
	want[0] = ACCT_ROLE_ACCOUNTANT;
	expect_user_roles(t.admin, t.id[US], want, 1, "us given Accountant by r1");

	/* Wrong targets and roles. */
	rc = acct_user_set_role(t.admin, t.id[UM], foreign, 1);
	ck_assert_msg(rc == ACCT_EINVALID, "the admin gave um a role of c1b: %d (%s)", rc, acct_strerror(rc));
	rc = acct_user_set_role(tree_session(&t, C1), t.id[UM], foreign, 1);
	ck_assert_msg(rc == ACCT_EINVALID || rc == ACCT_ENOTFOUND, "c1 gave um a role of c1b: %d (%s)", rc,
	              acct_strerror(rc));
	ck_assert_rc(acct_user_set_role(t.admin, t.id[C1], ACCT_ROLE_ACCOUNTANT, 1), ACCT_EINVALID);
	ck_assert_rc(acct_user_set_role(t.admin, t.id[UM], 999999, 1), ACCT_ENOTFOUND);
	ck_assert_rc(acct_user_set_role(t.admin, 999999, ACCT_ROLE_ACCOUNTANT, 1), ACCT_ENOTFOUND);
	ck_assert_rc(acct_user_set_role(tree_session(&t, C1B), t.id[UM], ACCT_ROLE_ACCOUNTANT, 1), ACCT_ENOTFOUND);
	ck_assert_rc(acct_user_set_role(tree_session(&t, C2), t.id[UM], ACCT_ROLE_ACCOUNTANT, 1), ACCT_ENOTFOUND);
	want[0] = support;
	expect_user_roles(t.admin, t.id[UM], want, 1, "um after refused changes");

	ck_assert_rc(acct_role_iterator_new_user(&it, t.admin, t.id[C1]), ACCT_EINVALID);
	ck_assert_rc(acct_role_iterator_new_user(&it, t.admin, 999999), ACCT_ENOTFOUND);
	ck_assert_rc(acct_role_iterator_new_user(&it, tree_session(&t, C1B), t.id[UM]), ACCT_ENOTFOUND);
	ck_assert_ptr_null(it);
	close_tree(&t);
}
END_TEST

START_TEST(test_role_delete)
{
	test_tree t;
	acct_role_id temp, later, want[6];
	size_t i;
	int g = 0, rc;

	open_tree(&t, nodes, N_NODES);
	temp = role_create_ok(tree_session(&t, C1), t.id[C1], "Temp");
	role_set_ok(tree_session(&t, C1), temp, "browseStats", 1);
	set_role_ok(tree_session(&t, C1), t.id[UM], temp, 1);

	/* Assigned: refused, and nothing changes. */
	expect_denied_with_message(acct_role_delete(tree_session(&t, C1), temp), NULL, "deleting a role still assigned");
	expect_denied_with_message(acct_role_delete(t.admin, temp), NULL, "the admin deleting a role still assigned");
	ck_assert_ok(acct_role_info(NULL, NULL, NULL, tree_session(&t, C1), temp));
	expect_allowed(tree_session(&t, UM), "browseStats", t.id[UM], 1, "um while Temp stays");

	/* Another owner cannot delete it. */
	set_role_ok(tree_session(&t, C1), t.id[UM], temp, 0);
	rc = acct_role_delete(tree_session(&t, C1B), temp);
	ck_assert_msg(rc == ACCT_ENOTFOUND || rc == ACCT_EDENIED, "c1b deleted c1's role: %d (%s)", rc,
	              acct_strerror(rc));
	ck_assert_ok(acct_role_info(NULL, NULL, NULL, tree_session(&t, C1), temp));

	/* Unassigned: gone. */
	ck_assert_ok(acct_role_delete(tree_session(&t, C1), temp));
	ck_assert_rc(acct_role_info(NULL, NULL, NULL, tree_session(&t, C1), temp), ACCT_ENOTFOUND);
	ck_assert_rc(acct_role_get_permission(&g, tree_session(&t, C1), temp, "browseStats"), ACCT_ENOTFOUND);
	ck_assert_rc(acct_role_set_permission(tree_session(&t, C1), temp, "browseStats", 1), ACCT_ENOTFOUND);
	ck_assert_rc(acct_user_set_role(tree_session(&t, C1), t.id[UM], temp, 1), ACCT_ENOTFOUND);
	ck_assert_rc(acct_role_delete(tree_session(&t, C1), temp), ACCT_ENOTFOUND);
	want[0] = 1, want[1] = 2, want[2] = 3, want[3] = 4;
	expect_owner_roles(tree_session(&t, C1), t.id[C1], want, 4, "c1's roles after the delete");
	/* Its name is free again, its id is never reused. */
	later = role_create_ok(tree_session(&t, C1), t.id[C1], "Temp");
	ck_assert_msg(later > temp, "a new role got id %" PRId64 ", not above the deleted %" PRId64, later, temp);

	/* A deleted user holds no role any more. */
	set_role_ok(tree_session(&t, C1), t.id[US], later, 1);
	ck_assert_ok(acct_account_delete(tree_session(&t, C1), t.id[US]));
	ck_assert_ok(acct_role_delete(tree_session(&t, C1), later));

	/* Built-in roles are never deleted. */
	for (i = 1; i <= 4; i++) {
		char what[64];

		snprintf(what, sizeof what, "the admin deleting built-in role %zu", i);
		expect_denied_with_message(acct_role_delete(t.admin, (acct_role_id)i), NULL, what);
		ck_assert_ok(acct_role_info(NULL, NULL, NULL, t.admin, (acct_role_id)i));
	}
	rc = acct_role_delete(tree_session(&t, C1), ACCT_ROLE_WEBMASTER);
	ck_assert_msg(rc == ACCT_EDENIED, "c1 deleting the Webmaster role: %d (%s)", rc, acct_strerror(rc));
	ck_assert_rc(acct_role_delete(t.admin, 999999), ACCT_ENOTFOUND);
	close_tree(&t);
}
END_TEST

/* Roles, their permissions and assignments are stored; edits of built-in roles too. */
START_TEST(test_roles_persist)
{
	acct_storage *inner = NULL, *w0 = NULL, *w1 = NULL;
	test_storage st0, st1;
	acct_ctx_options opts;
	acct_ctx *ctx0 = NULL, *ctx1 = NULL;
	acct_session *a0, *a1, *cs, *us;
	acct_buf name = ACCT_BUF_INIT;
	acct_id owner = 0, r, c, u;
	acct_role_id support, gone, later, want[2];

	ck_assert_ok(acct_storage_memory_new(&inner));
	test_storage_setup(&st0, inner, 0);
	ck_assert_ok(test_storage_wrap(&w0, &st0));
	test_ctx_options(&opts, &test_default_clock);
	ck_assert_ok(acct_ctx_new(&ctx0, w0, &opts));
	a0 = open_session(ctx0, 1);
	r = add_reseller(a0, 1, "r1", NULL);
	c = add_customer(a0, r, "c1", NULL);
	u = add_user(a0, c, "u1", NULL);
	cs = open_session(ctx0, c);
	support = role_create_ok(cs, c, "Support");
	role_set_ok(cs, support, "browseStats", 1);
	role_set_ok(cs, support, "mailManagement", 1);
	set_role_ok(cs, u, support, 1);
	set_role_ok(a0, u, ACCT_ROLE_WEBMASTER, 1);
	gone = role_create_ok(cs, c, "Gone");
	ck_assert_ok(acct_role_delete(cs, gone));
	role_set_ok(a0, ACCT_ROLE_WEBMASTER, "filesManagement", 0);
	acct_session_free(cs);
	acct_session_free(a0);
	acct_ctx_free(ctx0);

	test_storage_setup(&st1, inner, 0);
	ck_assert_ok(test_storage_wrap(&w1, &st1));
	opts.admin_login = NULL;
	opts.admin_password = NULL;
	ck_assert_ok(acct_ctx_new(&ctx1, w1, &opts));
	a1 = open_session(ctx1, 1);
	ck_assert_ok(acct_role_info(&name, &owner, NULL, a1, support));
	ck_assert_str_eq(name.ptr, "Support");
	ck_assert_msg(owner == c, "the reopened role is owned by %" PRId64, owner);
	acct_buf_dispose(&name);
	ck_assert_int_eq(role_has(a1, support, "browseStats"), 1);
	ck_assert_int_eq(role_has(a1, support, "mailManagement"), 1);
	ck_assert_int_eq(role_has(a1, support, "filesManagement"), 0);
	ck_assert_int_eq(role_has(a1, ACCT_ROLE_WEBMASTER, "filesManagement"), 0);
	ck_assert_int_eq(role_has(a1, ACCT_ROLE_WEBMASTER, "mailManagement"), 1);
	ck_assert_rc(acct_role_info(NULL, NULL, NULL, a1, gone), ACCT_ENOTFOUND);
	want[0] = ACCT_ROLE_WEBMASTER, want[1] = support;
	expect_user_roles(a1, u, want, 2, "u1's roles in the reopened store");
	us = open_session(ctx1, u);
	expect_allowed(us, "browseStats", u, 1, "u1 in the reopened store");
	expect_allowed(us, "filesManagement", u, 0, "u1 after Webmaster lost filesManagement");
	acct_session_free(us);
	cs = open_session(ctx1, c);
	later = role_create_ok(cs, c, "Later");
	ck_assert_msg(later > gone, "after a reopen a role got id %" PRId64 ", not above the deleted %" PRId64, later,
	              gone);
	acct_session_free(cs);
	acct_session_free(a1);
	acct_ctx_free(ctx1);
	acct_storage_free(inner);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* userManagement: what a user may do to its siblings, and never more        */
/* ------------------------------------------------------------------------ */

typedef struct staff {
	test_tree t;
	acct_role_id managers; /* userManagement only */
	acct_role_id viewers;  /* browseStats only */
} staff;

/* UM gets Managers, UT gets Viewers, US gets nothing. */
static void staff_build(staff *f)
{
	open_tree(&f->t, nodes, N_NODES);
	f->managers = role_create_ok(tree_session(&f->t, C1), f->t.id[C1], "Managers");
	role_set_ok(tree_session(&f->t, C1), f->managers, "userManagement", 1);
	f->viewers = role_create_ok(tree_session(&f->t, C1), f->t.id[C1], "Viewers");
	role_set_ok(tree_session(&f->t, C1), f->viewers, "browseStats", 1);
	set_role_ok(tree_session(&f->t, C1), f->t.id[UM], f->managers, 1);
	set_role_ok(tree_session(&f->t, C1), f->t.id[UT], f->viewers, 1);
}

START_TEST(test_escalation_self_admin)
{
	staff f;
	acct_role_id want[1];
	test_tree *t = &f.t;

	staff_build(&f);
	want[0] = f.managers;
	expect_denied_with_message(acct_user_set_role(tree_session(t, UM), t->id[UM], ACCT_ROLE_ADMIN, 1), NULL,
	                           "a user with userManagement giving itself the Admin role");
	expect_denied_with_message(acct_user_set_role(tree_session(t, UM), t->id[UM], ACCT_ROLE_WEBMASTER, 1), NULL,
	                           "a user with userManagement giving itself the Webmaster role");
	expect_denied_with_message(acct_user_set_role(tree_session(t, UM), t->id[UM], f.viewers, 1), NULL,
	                           "a user with userManagement giving itself browseStats through Viewers");
	expect_user_roles(t->admin, t->id[UM], want, 1, "um after trying to raise itself");
	expect_allowed(tree_session(t, UM), "browseStats", t->id[UM], 0, "um after trying to raise itself");
	expect_allowed(tree_session(t, UM), "dnsManagement", t->id[UM], 0, "um after trying to raise itself");
	/* Nor by editing the role it holds. */
	expect_denied_with_message(acct_role_set_permission(tree_session(t, UM), f.managers, "browseStats", 1), "browseStats",
	                           "a user adding browseStats to its own role");
	ck_assert_int_eq(role_has(t->admin, f.managers, "browseStats"), 0);
	/* Nor by editing a built-in role. */
	expect_denied_with_message(acct_role_set_permission(tree_session(t, UM), ACCT_ROLE_APPLICATION_USER,
	                                                    "userManagement", 1),
	                           NULL, "a user editing a built-in role");
	ck_assert_int_eq(role_has(t->admin, ACCT_ROLE_APPLICATION_USER, "userManagement"), 0);
	close_tree(t);
}
END_TEST

START_TEST(test_escalation_sibling_admin)
{
	staff f;
	test_tree *t = &f.t;

	staff_build(&f);
	expect_denied_with_message(acct_user_set_role(tree_session(t, UM), t->id[US], ACCT_ROLE_ADMIN, 1), NULL,
	                           "a user with userManagement giving a sibling the Admin role");
	expect_denied_with_message(acct_user_set_role(tree_session(t, UM), t->id[US], ACCT_ROLE_ACCOUNTANT, 1), NULL,
	                           "a user with userManagement giving a sibling the Accountant role");
	expect_denied_with_message(acct_user_set_role(tree_session(t, UM), t->id[US], f.viewers, 1), NULL,
	                           "a user with userManagement giving a sibling Viewers (browseStats)");
	expect_user_roles(t->admin, t->id[US], NULL, 0, "us after refused role changes");
	expect_allowed(tree_session(t, US), "browseStats", t->id[US], 0, "us after refused role changes");
	close_tree(t);
}
END_TEST

START_TEST(test_user_gives_roles_it_holds)
{
	staff f;
	acct_role_id helpers, id = 0, want[1];
	test_tree *t = &f.t;

	staff_build(&f);
	/* A role whose permissions it holds: allowed, and it may take it away again. */
	set_role_ok(tree_session(t, UM), t->id[US], f.managers, 1);
	want[0] = f.managers;
	expect_user_roles(t->admin, t->id[US], want, 1, "us given Managers by um");
	expect_allowed(tree_session(t, US), "userManagement", t->id[US], 1, "us with Managers");
	set_role_ok(tree_session(t, UM), t->id[US], f.managers, 0);
	expect_user_roles(t->admin, t->id[US], NULL, 0, "us after um took Managers away");

	/* It may define roles for its owner, within what it holds. */
	helpers = role_create_ok(tree_session(t, UM), t->id[C1], "Helpers");
	ck_assert_ok(acct_role_info(NULL, NULL, NULL, tree_session(t, C1), helpers));
	role_set_ok(tree_session(t, UM), helpers, "userManagement", 1);
	expect_denied_with_message(acct_role_set_permission(tree_session(t, UM), helpers, "browseStats", 1), "browseStats",
	                           "a user adding browseStats it lacks to a new role");
	expect_denied_with_message(acct_role_set_permission(tree_session(t, UM), helpers, "dnsManagement", 1), "dnsManagement",
	                           "a user adding dnsManagement it lacks to a new role");
	ck_assert_int_eq(role_has(t->admin, helpers, "browseStats"), 0);
	ck_assert_int_eq(role_has(t->admin, helpers, "userManagement"), 1);
	set_role_ok(tree_session(t, UM), t->id[US], helpers, 1);
	/* Not for anyone else. */
	ck_assert_msg(acct_role_create(&id, tree_session(t, UM), t->id[C1B], "Elsewhere") != 0,
	              "um created a role for another customer");
	ck_assert_msg(acct_role_create(&id, tree_session(t, UM), t->id[UM], "Mine") != 0, "um created a role owned by itself");
	close_tree(t);
}
END_TEST

/* What a user with userManagement may do to accounts. */
START_TEST(test_user_management_account_ops)
{
	staff f;
	test_tree *t = &f.t;
	acct_session *um;
	acct_account *a = NULL;
	acct_id id = 0, made;
	int rc;

	staff_build(&f);
	um = tree_session(t, UM);
	/* Read and edit a sibling. */
	a = lookup_ok(um, t->id[US]);
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_PHONE, "5550111"));
	ck_assert_ok(acct_account_update(um, a));
	acct_account_free(a);
	a = lookup_ok(t->admin, t->id[US]);
	ck_assert_msg(acct_account_get(a, ACCT_FIELD_PHONE) && !strcmp(acct_account_get(a, ACCT_FIELD_PHONE), "5550111"),
	              "um's edit of us was not saved");
	acct_account_free(a);
	a = lookup_ok(um, t->id[UT]);
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_LOGIN, "ut-renamed"));
	ck_assert_ok(acct_account_update(um, a));
	acct_account_free(a);
	a = NULL;
	ck_assert_ok(acct_account_lookup_login(&a, t->admin, "ut-renamed"));
	ck_assert_msg(acct_account_id(a) == t->id[UT], "the renamed login is not ut's");
	acct_account_free(a);

	/* Create a user owned by its owner. */
	made = 0;
	ck_assert_ok(try_add_account(&made, um, t->id[C1], ACCT_TYPE_USER, "made-by-um", NULL));
	ck_assert_msg(owner_of(t->admin, made) == t->id[C1], "the new user is not owned by c1");
	rc = try_add_account(&id, um, t->id[UM], ACCT_TYPE_USER, "owned-by-um", NULL);
	ck_assert_msg(rc == ACCT_EOWNER || rc == ACCT_EDENIED, "a user owning a user: %d (%s)", rc, acct_strerror(rc));
	rc = try_add_account(&id, um, t->id[C1B], ACCT_TYPE_USER, "for-c1b", NULL);
	ck_assert_msg(rc == ACCT_ENOTFOUND || rc == ACCT_EDENIED, "um created a user for c1b: %d (%s)", rc,
	              acct_strerror(rc));
	ck_assert_rc(try_add_account(&id, um, t->id[C1], ACCT_TYPE_CUSTOMER, "customer-by-um", NULL), ACCT_EDENIED);
	ck_assert_rc(try_add_account(&id, um, t->id[R1], ACCT_TYPE_CUSTOMER, "customer-by-um", NULL), ACCT_EDENIED);

	/* Never its owner, nor anything outside its owner's users. */
	a = NULL;
	ck_assert_rc(acct_account_lookup(&a, um, t->id[C1]), ACCT_ENOTFOUND);
	ck_assert_rc(acct_account_lookup(&a, um, t->id[UX]), ACCT_ENOTFOUND);
	ck_assert_rc(acct_account_lookup(&a, um, t->id[R1]), ACCT_ENOTFOUND);
	ck_assert_rc(acct_account_delete(um, t->id[C1]), ACCT_ENOTFOUND);
	ck_assert_rc(acct_account_delete(um, t->id[UX]), ACCT_ENOTFOUND);
	a = lookup_ok(t->admin, t->id[C1]);
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_PHONE, "5550122"));
	ck_assert_rc(acct_account_update(um, a), ACCT_ENOTFOUND);
	acct_account_free(a);

	/* No status changes, no deleting itself. */
	ck_assert_rc(acct_account_suspend(um, t->id[US]), ACCT_EDENIED);
	ck_assert_uint_eq(status_of(t->admin, t->id[US]), 0);
	ck_assert_rc(acct_account_delete(um, t->id[UM]), ACCT_EDENIED);

	/* Delete a sibling, and the user it made. */
	ck_assert_ok(acct_account_delete(um, t->id[US]));
	ck_assert_rc(acct_account_lookup(&a, t->admin, t->id[US]), ACCT_ENOTFOUND);
	ck_assert_ok(acct_account_delete(um, made));
	ck_assert_uint_eq(acct_ctx_account_count(t->ctx), N_NODES - 1);

	/* Losing the role takes all of it away at once. */
	set_role_ok(tree_session(t, C1), t->id[UM], f.managers, 0);
	ck_assert_rc(acct_account_lookup(&a, um, t->id[UT]), ACCT_ENOTFOUND);
	ck_assert_rc(acct_account_delete(um, t->id[UT]), ACCT_ENOTFOUND);
	close_tree(t);
}
END_TEST

/* Without userManagement: siblings are out of reach. */
START_TEST(test_no_user_management_account_ops)
{
	staff f;
	test_tree *t = &f.t;
	acct_session *ut;
	acct_account *a = NULL;
	acct_id id = 0;
	int rc;

	staff_build(&f);
	ut = tree_session(t, UT); /* Viewers: browseStats only */
	ck_assert_rc(acct_account_lookup(&a, ut, t->id[UM]), ACCT_ENOTFOUND);
	ck_assert_ptr_null(a);
	ck_assert_rc(acct_account_lookup(&a, ut, t->id[US]), ACCT_ENOTFOUND);
	a = lookup_ok(t->admin, t->id[US]);
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_PHONE, "5550133"));
	ck_assert_rc(acct_account_update(ut, a), ACCT_ENOTFOUND);
	acct_account_free(a);
	ck_assert_rc(acct_account_delete(ut, t->id[US]), ACCT_ENOTFOUND);
	rc = try_add_account(&id, ut, t->id[C1], ACCT_TYPE_USER, "made-by-ut", NULL);
	ck_assert_msg(rc == ACCT_EDENIED || rc == ACCT_ENOTFOUND, "a user without userManagement created a user: %d (%s)",
	              rc, acct_strerror(rc));
	expect_denied_with_message(acct_user_set_role(ut, t->id[UT], f.managers, 1), NULL,
	                           "a user without userManagement giving itself Managers");
	rc = acct_user_set_role(ut, t->id[US], ACCT_ROLE_ACCOUNTANT, 1);
	ck_assert_msg(rc == ACCT_EDENIED || rc == ACCT_ENOTFOUND, "a user without userManagement gave a sibling a role: "
	              "%d (%s)", rc, acct_strerror(rc));
	ck_assert_uint_eq(acct_ctx_account_count(t->ctx), N_NODES);
	expect_user_roles(t->admin, t->id[US], NULL, 0, "us after ut's attempts");
	/* Itself is still fine. */
	a = lookup_ok(ut, t->id[UT]);
	acct_account_free(a);
	close_tree(t);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* A role change is seen at once                                            */
/* ------------------------------------------------------------------------ */

START_TEST(test_role_change_seen_at_once)
{
	static const int holders[] = { UM, US, UT };
	test_tree t;
	acct_role_id stats;
	size_t i;

	open_tree(&t, nodes, N_NODES);
	stats = role_create_ok(tree_session(&t, C1), t.id[C1], "Stats");
	role_set_ok(tree_session(&t, C1), stats, "browseStats", 1);
	for (i = 0; i < N_ELEMS(holders); i++)
		set_role_ok(tree_session(&t, C1), t.id[holders[i]], stats, 1);
	for (i = 0; i < N_ELEMS(holders); i++)
		expect_allowed(tree_session(&t, holders[i]), "browseStats", t.id[holders[i]], 1, "a Stats holder");
	role_set_ok(tree_session(&t, C1), stats, "browseStats", 0);
	for (i = 0; i < N_ELEMS(holders); i++)
		expect_allowed(tree_session(&t, holders[i]), "browseStats", t.id[holders[i]], 0, "a Stats holder after the revoke");
	role_set_ok(tree_session(&t, C1), stats, "browseStats", 1);
	role_set_ok(tree_session(&t, C1), stats, "filesManagement", 1);
	for (i = 0; i < N_ELEMS(holders); i++) {
		expect_allowed(tree_session(&t, holders[i]), "browseStats", t.id[holders[i]], 1, "a Stats holder, granted again");
		expect_allowed(tree_session(&t, holders[i]), "filesManagement", t.id[holders[i]], 1,
		               "a Stats holder, new permission");
	}
	set_role_ok(tree_session(&t, C1), t.id[US], stats, 0);
	expect_allowed(tree_session(&t, US), "browseStats", t.id[US], 0, "us after losing Stats");
	expect_allowed(tree_session(&t, UM), "browseStats", t.id[UM], 1, "um still holding Stats");

	/* An edit of a built-in role by the admin reaches users of every owner. */
	set_role_ok(t.admin, t.id[UX], ACCT_ROLE_WEBMASTER, 1);
	set_role_ok(t.admin, t.id[U2], ACCT_ROLE_WEBMASTER, 1);
	expect_allowed(tree_session(&t, UX), "filesManagement", t.id[UX], 1, "a Webmaster of c1b");
	expect_allowed(tree_session(&t, U2), "filesManagement", t.id[U2], 1, "a Webmaster of c2");
	role_set_ok(t.admin, ACCT_ROLE_WEBMASTER, "filesManagement", 0);
	expect_allowed(tree_session(&t, UX), "filesManagement", t.id[UX], 0, "a Webmaster of c1b after the edit");
	expect_allowed(tree_session(&t, U2), "filesManagement", t.id[U2], 0, "a Webmaster of c2 after the edit");
	role_set_ok(t.admin, ACCT_ROLE_WEBMASTER, "filesManagement", 1);
	expect_allowed(tree_session(&t, UX), "filesManagement", t.id[UX], 1, "a Webmaster of c1b, restored");
	close_tree(&t);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Partner API roles (spec/partner-apis.md section 1)                        */
/* ------------------------------------------------------------------------ */

static const char *const partner_cols[] = {
	"license.search", "license.modify", "license.assign_configuration", "license.create",
	"license.upgrade", "license.downgrade", "license.suspend", "customer.search",
	"customer.create", "customer.modify",
};

static const struct partner_row {
	int role;
	const char *name;
	const char *allowed; /* one character per column of partner_cols: x or . */
} partner_table[] = {
	{ ACCT_PARTNER_ALL_CLIENT, "All Commands for Client", "xxxxxxx..." },
	{ ACCT_PARTNER_ADVANCED_CLIENT, "Advanced Commands for Client", "xxxxxx...." },
	{ ACCT_PARTNER_STANDARD_CLIENT, "Standard Commands for Client", "xxxxx....." },
	{ ACCT_PARTNER_LIMITED_CLIENT, "Limited Commands for Client", "xx........" },
	{ ACCT_PARTNER_ALL_RESELLER, "All Commands for Reseller", "xxxxxxxxxx" },
	{ ACCT_PARTNER_ADVANCED_RESELLER, "Advanced Commands for Reseller", "xxxxxx.xx." },
	{ ACCT_PARTNER_STANDARD_RESELLER, "Standard Commands for Reseller", "xxxxx..xx." },
	{ ACCT_PARTNER_LIMITED_RESELLER, "Limited Commands for Reseller", "xx.....x.." },
};

START_TEST(test_partner_role_names)
{
	size_t i;

	for (i = 0; i < N_ELEMS(partner_table); i++) {
		const char *n = acct_partner_role_name(partner_table[i].role);

		ck_assert_int_eq(partner_table[i].role, (int)i + 1);
		ck_assert_msg(n && strcmp(n, partner_table[i].name) == 0, "Partner role %d is called '%s', expected '%s'",
		              partner_table[i].role, n ? n : "(null)", partner_table[i].name);
	}
	ck_assert_ptr_null(acct_partner_role_name(0));
	ck_assert_ptr_null(acct_partner_role_name(9));
	ck_assert_ptr_null(acct_partner_role_name(-1));
}
END_TEST

START_TEST(test_partner_role_table)
{
	size_t i, j;
	int rc;

	for (i = 0; i < N_ELEMS(partner_table); i++) {
		ck_assert_int_eq(strlen(partner_table[i].allowed), N_ELEMS(partner_cols));
		for (j = 0; j < N_ELEMS(partner_cols); j++) {
			int want = partner_table[i].allowed[j] == 'x';
			int got = acct_partner_role_permits(partner_table[i].role, partner_cols[j]);

			ck_assert_msg(got == want, "%s %s %s (acct_partner_role_permits gave %d)", partner_table[i].name,
			              want ? "must permit" : "must not permit", partner_cols[j], got);
		}
	}
	ck_assert_rc(acct_partner_role_permits(0, "license.search"), ACCT_ENOTFOUND);
	ck_assert_rc(acct_partner_role_permits(9, "license.search"), ACCT_ENOTFOUND);
	ck_assert_rc(acct_partner_role_permits(ACCT_PARTNER_ALL_RESELLER, "license.delete"), ACCT_ENOTFOUND);
	ck_assert_rc(acct_partner_role_permits(ACCT_PARTNER_ALL_RESELLER, "manage_dns"), ACCT_ENOTFOUND);
	ck_assert_rc(acct_partner_role_permits(ACCT_PARTNER_ALL_RESELLER, "userManagement"), ACCT_ENOTFOUND);
	ck_assert_rc(acct_partner_role_permits(ACCT_PARTNER_ALL_RESELLER, ""), ACCT_ENOTFOUND);
	rc = acct_partner_role_permits(ACCT_PARTNER_ALL_RESELLER, NULL);
	ck_assert_msg(rc == ACCT_ENOTFOUND || rc == ACCT_EINVALID, "a NULL operation gave %d", rc);
}
END_TEST

/* The table's columns are exactly the Partner catalog. */
START_TEST(test_partner_table_matches_catalog)
{
	acct_ctx *ctx = open_ctx();
	size_t i;

	ck_assert_int_eq(acct_perm_count(ctx, ACCT_CATALOG_PARTNER), (int)N_ELEMS(partner_cols));
	for (i = 0; i < N_ELEMS(partner_cols); i++) {
		acct_perm_desc d = ACCT_PERM_DESC_INIT;

		ck_assert_msg(acct_perm_lookup(&d, ctx, partner_cols[i]) == 0 && d.catalog == ACCT_CATALOG_PARTNER,
		              "%s is not in the Partner catalog", partner_cols[i]);
	}
	acct_ctx_free(ctx);
}
END_TEST

static Suite *role_suite(void)
{
	Suite *s = suite_create("role");
	TCase *tc;

	tc = tcase_create("builtin");
	tcase_add_test(tc, test_builtin_info);
	tcase_add_test(tc, test_builtin_permissions);
	tcase_add_test(tc, test_builtin_not_editable);
	tcase_add_test(tc, test_builtin_editable_by_admin_only);
	tcase_add_test(tc, test_unknown_roles_and_permissions);
	suite_add_tcase(s, tc);

	tc = tcase_create("custom");
	tcase_add_test(tc, test_custom_create);
	tcase_add_test(tc, test_custom_permissions);
	tcase_add_test(tc, test_role_iterator);
	tcase_add_test(tc, test_user_roles);
	tcase_add_test(tc, test_role_delete);
	tcase_add_test(tc, test_roles_persist);
	suite_add_tcase(s, tc);

	tc = tcase_create("escalation");
	tcase_add_test(tc, test_escalation_self_admin);
	tcase_add_test(tc, test_escalation_sibling_admin);
	tcase_add_test(tc, test_user_gives_roles_it_holds);
	tcase_add_test(tc, test_user_management_account_ops);
	tcase_add_test(tc, test_no_user_management_account_ops);
	suite_add_tcase(s, tc);

	tc = tcase_create("visibility");
	tcase_add_test(tc, test_role_change_seen_at_once);
	suite_add_tcase(s, tc);

	tc = tcase_create("partner");
	tcase_add_test(tc, test_partner_role_names);
	tcase_add_test(tc, test_partner_role_table);
	tcase_add_test(tc, test_partner_table_matches_catalog);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	return test_run_suite(role_suite(), 1);
}
