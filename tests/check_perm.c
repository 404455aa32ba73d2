/*
 * check_perm.c - permissions (acct/perm.h): the three built-in catalogs and
 * their descriptors, host catalogs and host permissions, grants to resellers
 * and customers, acct_check() and its explanations, and what users hold
 * through their roles (spec/policy.md sections 3-5).
 *
 * Interpretations used where the headers leave a choice (spec/policy.md wins):
 * - the order of names inside a catalog is not part of the contract: catalogs
 *   are compared as sets;
 * - writable_by of a built-in account permission has the admin bit, never the
 *   customer bit (customers cannot grant), and the reseller bit exactly when
 *   the permission is not reseller-only (a reseller grants its customers what
 *   it holds; reseller-only permissions go to resellers, so only the admin
 *   grants them);
 * - acct_check() returns 0 for every denial, including a session whose
 *   account was deleted (kind ACCT_DENY_SESSION); "left 0 on any error" means
 *   *allowed_out is written 0 even when it held 1 before the call;
 * - rules are reported in the order of spec/policy.md section 5: session,
 *   disabled, scope (object), permission (method);
 * - a user holds a role permission when one of its roles has it and its owner
 *   holds the account permission it needs (the table below); a user never
 *   holds account-catalog permissions or Partner operations;
 * - a user's scope is itself; its siblings (same owner) only with
 *   userManagement; never its owner;
 * - a host permission registered in ACCT_CATALOG_ROLE needs no account
 *   permission of the owner.
 */
#include "testutil.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------------ */
/* The built-in catalogs, as spec/policy.md section 5 lists them             */
/* ------------------------------------------------------------------------ */

static const char *const account_perms[] = {
	"create_clients", "allow_oversell", "create_domains", "manage_phosting", "manage_dns",
	"manage_subdomains", "manage_domain_aliases", "manage_log", "manage_crontab",
	"manage_anonftp", "manage_subftp", "manage_webapps", "manage_maillists",
	"manage_spamfilter", "manage_virusfilter", "manage_webstat", "manage_quota",
	"manage_sh_access", "manage_not_chroot_shell", "manage_protected_dirs",
	"manage_mail_settings", "manage_php_settings", "manage_performance", "change_limits",
	"select_db_server", "site_builder", "allow_local_backups", "allow_ftp_backups",
	"access_appcatalog", "cp_access", "remote_access_interface",
};

static const char *const reseller_only_perms[] = { "create_clients", "allow_oversell" };

/* Each role permission and the account permission the user's owner must hold (NULL: none). */
static const struct role_perm {
	const char *name;
	const char *needs;
} role_perms[] = {
	{ "userManagement", NULL },
	{ "webSitesAndDomainsManagement", "create_domains" },
	{ "logRotationManagement", "manage_log" },
	{ "anonymousFtpManagement", "manage_anonftp" },
	{ "scheduledTasksManagement", "manage_crontab" },
	{ "spamfilterManagement", "manage_spamfilter" },
	{ "antivirusManagement", "manage_virusfilter" },
	{ "databasesManagement", NULL },
	{ "backupRestoreManagement", "allow_local_backups" },
	{ "browseStats", NULL },
	{ "applicationsManagement", "manage_webapps" },
	{ "sitebuilderManagement", "site_builder" },
	{ "filesManagement", NULL },
	{ "ftpAccountsManagement", "manage_subftp" },
	{ "dnsManagement", "manage_dns" },
	{ "mailManagement", NULL },
	{ "mailListsManagement", "manage_maillists" },
};

static const char *const partner_ops[] = {
	"license.search", "license.modify", "license.create", "license.upgrade",
	"license.downgrade", "license.suspend", "license.assign_configuration",
	"customer.search", "customer.create", "customer.modify",
};

/* ------------------------------------------------------------------------ */
/* A test tree                                                              */
/* ------------------------------------------------------------------------ */

/*
 *   admin
 *   +-- R1 (reseller)
 *   |   +-- C1 (customer) +-- U1, U1B (users)
 *   |   +-- C1B (customer) +-- U1C (user)
 *   |   +-- UR1 (user)
 *   +-- R2 (reseller)
 *   |   +-- C2 (customer) +-- U2 (user)
 *   +-- CA (customer) +-- UA (user)
 *   +-- UADM (user)
 */
enum { ADMIN, R1, C1, U1, U1B, C1B, U1C, UR1, R2, C2, U2, CA, UA, UADM, N_NODES };

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
	[UADM] = { "uadm", ACCT_TYPE_USER, ADMIN },
};

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

static const char *kind_name(int kind)
{
	switch (kind) {
	case ACCT_DENY_NONE: return "NONE (allowed)";
	case ACCT_DENY_SESSION: return "SESSION";
	case ACCT_DENY_DISABLED: return "DISABLED";
	case ACCT_DENY_OBJECT: return "OBJECT";
	case ACCT_DENY_METHOD: return "METHOD";
	case ACCT_DENY_RULE: return "RULE";
	}
	return "(not a kind)";
}

/*
 * acct_check_explain() as @p s on @p target must answer @p want_kind
 * (ACCT_DENY_NONE: allowed) with return code 0, and acct_check() must agree.
 * A denial comes with a non-empty text (for METHOD, naming the permission);
 * an allowed check with an empty one.
 */
static void expect_check(acct_session *s, const char *perm, acct_id target, int want_kind, const char *what)
{
	acct_buf text = ACCT_BUF_INIT;
	int allowed = -1, plain = -1, kind = -1, rc;
	int want_allowed = want_kind == ACCT_DENY_NONE;

	rc = acct_check_explain(&allowed, &kind, &text, s, perm, target);
	ck_assert_msg(rc == 0, "%s: acct_check_explain(%s, %" PRId64 ") returned %d (%s): %s", what, perm,
	              target, rc, acct_strerror(rc), acct_error_last()->message);
	ck_assert_msg(allowed == want_allowed && kind == want_kind,
	              "%s: %s on %" PRId64 " gave allowed=%d kind=%s, expected allowed=%d kind=%s; text: '%s'",
	              what, perm, target, allowed, kind_name(kind), want_allowed, kind_name(want_kind),
	              text.ptr ? text.ptr : "(null)");
	if (want_allowed) {
		ck_assert_msg(text.size == 0, "%s: allowed, but the text says '%s'", what, text.ptr);
	} else {
		ck_assert_msg(text.size > 0 && text.ptr && text.ptr[0], "%s: denied without a text", what);
		ck_assert_msg(strlen(text.ptr) == text.size, "%s: text size %zu, strlen %zu", what, text.size,
		              strlen(text.ptr));
		if (want_kind == ACCT_DENY_METHOD)
			ck_assert_msg(strstr(text.ptr, perm) != NULL,
			              "%s: the METHOD text '%s' does not name the permission %s", what, text.ptr, perm);
	}
	acct_buf_dispose(&text);

	rc = acct_check(&plain, s, perm, target);
	ck_assert_msg(rc == 0, "%s: acct_check(%s, %" PRId64 ") returned %d (%s)", what, perm, target, rc,
	              acct_strerror(rc));
	ck_assert_msg(plain == want_allowed, "%s: acct_check(%s, %" PRId64 ") gave %d, acct_check_explain %d",
	              what, perm, target, plain, allowed);
}

/* The stored grant of account permission @p perm on @p target, read with @p s. */
static int granted(acct_session *s, acct_id target, const char *perm)
{
	int g = -1;
	int rc = acct_perm_get(&g, s, target, perm);

	ck_assert_msg(rc == 0, "acct_perm_get(%" PRId64 ", %s) returned %d (%s): %s", target, perm, rc,
	              acct_strerror(rc), acct_error_last()->message);
	ck_assert_msg(g == 0 || g == 1, "acct_perm_get(%" PRId64 ", %s) gave %d, not 0 or 1", target, perm, g);
	return g;
}

static void grant_ok(acct_session *s, acct_id target, const char *perm, int on)
{
	int rc = acct_perm_grant(s, target, perm, on);

	ck_assert_msg(rc == 0, "%s %s on %" PRId64 " as %" PRId64 " returned %d (%s): %s",
	              on ? "granting" : "revoking", perm, target, acct_session_account(s), rc,
	              acct_strerror(rc), acct_error_last()->message);
}

static void set_role_ok(acct_session *s, acct_id user, acct_role_id role, int on)
{
	int rc = acct_user_set_role(s, user, role, on);

	ck_assert_msg(rc == 0, "acct_user_set_role(user %" PRId64 ", role %" PRId64 ", %d) as %" PRId64
	              " returned %d (%s): %s", user, role, on, acct_session_account(s), rc,
	              acct_strerror(rc), acct_error_last()->message);
}

/* Index of @p name in @p list, or -1. */
static int find_name(const char *const *list, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(list[i], name) == 0)
			return (int)i;
	}
	return -1;
}

static int is_reseller_only(const char *name)
{
	return find_name(reseller_only_perms, N_ELEMS(reseller_only_perms), name) >= 0;
}

/*
 * Describe every entry of @p catalog and check that the names are exactly
 * @p names (as a set), with sane descriptors that acct_perm_lookup() agrees with.
 */
static void check_catalog(acct_ctx *ctx, int catalog, const char *const *names, size_t n, const char *what)
{
	char seen[64];
	size_t i;
	int count = acct_perm_count(ctx, catalog);

	ck_assert_msg(n <= sizeof seen, "test table too big");
	ck_assert_msg(count == (int)n, "%s: acct_perm_count gave %d, expected %zu", what, count, n);
	memset(seen, 0, sizeof seen);
	for (i = 0; i < n; i++) {
		acct_perm_desc d = ACCT_PERM_DESC_INIT, l = ACCT_PERM_DESC_INIT;
		int k, rc;

		rc = acct_perm_describe(&d, ctx, catalog, i);
		ck_assert_msg(rc == 0, "%s: describe(%zu) returned %d (%s)", what, i, rc, acct_strerror(rc));
		ck_assert_msg(d.name != NULL && d.name[0] != '\0', "%s: entry %zu has no name", what, i);
		k = find_name(names, n, d.name);
		ck_assert_msg(k >= 0, "%s: entry %zu is '%s', which the spec does not list", what, i, d.name);
		ck_assert_msg(!seen[k], "%s: '%s' is listed twice", what, d.name);
		seen[k] = 1;
		ck_assert_msg(d.catalog == catalog, "%s: '%s' says catalog %d", what, d.name, d.catalog);
		ck_assert_msg(d.label != NULL && d.label[0] != '\0', "%s: '%s' has no label", what, d.name);
		ck_assert_msg(d.type == ACCT_PERM_BOOL, "%s: '%s' has type %d", what, d.name, d.type);
		ck_assert_msg(d.writable_by != 0, "%s: '%s' is writable by nobody", what, d.name);
		ck_assert_msg((d.writable_by & ~(ACCT_WRITABLE_BY_ADMIN | ACCT_WRITABLE_BY_RESELLER |
		                                 ACCT_WRITABLE_BY_CUSTOMER)) == 0,
		              "%s: '%s' has unknown writable_by bits %#x", what, d.name, d.writable_by);
		ck_assert_msg(d.writable_by & ACCT_WRITABLE_BY_ADMIN, "%s: the admin may not write '%s'", what,
		              d.name);
		if (catalog == ACCT_CATALOG_ACCOUNT) {
			int ro = is_reseller_only(d.name);

			ck_assert_msg(!!d.reseller_only == ro, "%s: '%s' reseller_only is %d, expected %d", what,
			              d.name, d.reseller_only, ro);
			ck_assert_msg(!(d.writable_by & ACCT_WRITABLE_BY_CUSTOMER),
			              "%s: customers may grant '%s'", what, d.name);
			ck_assert_msg(!!(d.writable_by & ACCT_WRITABLE_BY_RESELLER) == !ro,
			              "%s: '%s' writable_by %#x: resellers grant their customers every permission "
			              "but the reseller-only ones", what, d.name, d.writable_by);
		} else {
			ck_assert_msg(d.reseller_only == 0, "%s: '%s' is marked reseller_only", what, d.name);
		}

		rc = acct_perm_lookup(&l, ctx, d.name);
		ck_assert_msg(rc == 0, "%s: lookup('%s') returned %d (%s)", what, d.name, rc, acct_strerror(rc));
		ck_assert_msg(l.catalog == catalog && l.name && strcmp(l.name, d.name) == 0 &&
		              l.reseller_only == d.reseller_only && l.writable_by == d.writable_by &&
		              l.default_value == d.default_value && l.type == d.type,
		              "%s: lookup('%s') and describe(%zu) disagree", what, d.name, i);
	}
	for (i = 0; i < n; i++)
		ck_assert_msg(seen[i], "%s: '%s' is missing", what, names[i]);
}

/* ------------------------------------------------------------------------ */
/* Catalogs                                                                 */
/* ------------------------------------------------------------------------ */

START_TEST(test_catalog_counts)
{
	acct_ctx *ctx = open_ctx();

	ck_assert_int_eq(N_ELEMS(account_perms), 31);
	ck_assert_int_eq(N_ELEMS(role_perms), 17);
	ck_assert_int_eq(N_ELEMS(partner_ops), 10);
	ck_assert_int_eq(acct_perm_count(ctx, ACCT_CATALOG_ACCOUNT), 31);
	ck_assert_int_eq(acct_perm_count(ctx, ACCT_CATALOG_ROLE), 17);
	ck_assert_int_eq(acct_perm_count(ctx, ACCT_CATALOG_PARTNER), 10);
	ck_assert_rc(acct_perm_count(ctx, 0), ACCT_ENOTFOUND);
	ck_assert_rc(acct_perm_count(ctx, 4), ACCT_ENOTFOUND);
	ck_assert_rc(acct_perm_count(ctx, -1), ACCT_ENOTFOUND);
	acct_ctx_free(ctx);
}
END_TEST

START_TEST(test_catalog_account)
{
	acct_ctx *ctx = open_ctx();
	acct_perm_desc d = ACCT_PERM_DESC_INIT;

	check_catalog(ctx, ACCT_CATALOG_ACCOUNT, account_perms, N_ELEMS(account_perms), "account catalog");
	/* Resellers hold create_clients by default. */
	ck_assert_ok(acct_perm_lookup(&d, ctx, "create_clients"));
	ck_assert_msg(d.default_value != 0, "create_clients is not granted on creation");
	ck_assert_msg(d.reseller_only, "create_clients is not reseller-only");
	ck_assert_ok(acct_perm_lookup(&d, ctx, "allow_oversell"));
	ck_assert_msg(d.reseller_only, "allow_oversell is not reseller-only");
	ck_assert_ok(acct_perm_lookup(&d, ctx, "manage_dns"));
	ck_assert_msg(!d.reseller_only, "manage_dns is reseller-only");
	acct_ctx_free(ctx);
}
END_TEST

START_TEST(test_catalog_role)
{
	acct_ctx *ctx = open_ctx();
	const char *names[N_ELEMS(role_perms)];
	size_t i;

	for (i = 0; i < N_ELEMS(role_perms); i++)
		names[i] = role_perms[i].name;
	check_catalog(ctx, ACCT_CATALOG_ROLE, names, N_ELEMS(names), "role catalog");
	acct_ctx_free(ctx);
}
END_TEST

START_TEST(test_catalog_partner)
{
	acct_ctx *ctx = open_ctx();

	check_catalog(ctx, ACCT_CATALOG_PARTNER, partner_ops, N_ELEMS(partner_ops), "partner catalog");
	acct_ctx_free(ctx);
}
END_TEST

START_TEST(test_describe_and_lookup_misses)
{
	acct_ctx *ctx = open_ctx();
	acct_perm_desc d = ACCT_PERM_DESC_INIT;

	ck_assert_rc(acct_perm_describe(&d, ctx, ACCT_CATALOG_ACCOUNT, 31), ACCT_ENOTFOUND);
	ck_assert_rc(acct_perm_describe(&d, ctx, ACCT_CATALOG_ROLE, 17), ACCT_ENOTFOUND);
	ck_assert_rc(acct_perm_describe(&d, ctx, ACCT_CATALOG_PARTNER, 10), ACCT_ENOTFOUND);
	ck_assert_rc(acct_perm_describe(&d, ctx, ACCT_CATALOG_ACCOUNT, (size_t)-1), ACCT_ENOTFOUND);
	ck_assert_rc(acct_perm_describe(&d, ctx, 0, 0), ACCT_ENOTFOUND);
	ck_assert_rc(acct_perm_describe(&d, ctx, 4, 0), ACCT_ENOTFOUND);

	ck_assert_ok(acct_perm_lookup(&d, ctx, "manage_dns"));
	ck_assert_int_eq(d.catalog, ACCT_CATALOG_ACCOUNT);
	ck_assert_str_eq(d.name, "manage_dns");
	ck_assert_ok(acct_perm_lookup(&d, ctx, "dnsManagement"));
	ck_assert_int_eq(d.catalog, ACCT_CATALOG_ROLE);
	ck_assert_str_eq(d.name, "dnsManagement");
	ck_assert_ok(acct_perm_lookup(&d, ctx, "license.upgrade"));
	ck_assert_int_eq(d.catalog, ACCT_CATALOG_PARTNER);
	ck_assert_str_eq(d.name, "license.upgrade");

	ck_assert_rc(acct_perm_lookup(&d, ctx, "no_such_permission"), ACCT_ENOTFOUND);
	ck_assert_rc(acct_perm_lookup(&d, ctx, ""), ACCT_ENOTFOUND);
	ck_assert_rc(acct_perm_lookup(&d, ctx, "manage_dns "), ACCT_ENOTFOUND);
	ck_assert_rc(acct_perm_lookup(&d, ctx, "license"), ACCT_ENOTFOUND);
	acct_ctx_free(ctx);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* acct_perm_desc_init equals ACCT_PERM_DESC_INIT (as check_structinit.c)    */
/* ------------------------------------------------------------------------ */

#define SAME_MEMBER(T, M, macro_side, func_side)                                                  \
	ck_assert_msg(memcmp((const unsigned char *)(macro_side) + offsetof(T, M),                    \
	                     (const unsigned char *)(func_side) + offsetof(T, M),                     \
	                     sizeof(((T *)0)->M)) == 0,                                               \
	              #T "." #M " differs between the _INIT macro and the _init function")

#define LAST_MEMBER(T, M)                                                                         \
	ck_assert_msg((offsetof(T, M) + sizeof(((T *)0)->M) + _Alignof(T) - 1) / _Alignof(T) *        \
	                  _Alignof(T) == sizeof(T),                                                   \
	              #T " has members after ." #M ": list them in check_perm.c")

START_TEST(test_perm_desc_init)
{
	static const acct_perm_desc macro = ACCT_PERM_DESC_INIT;
	acct_perm_desc func;

	memset(&func, 0xAA, sizeof func);
	ck_assert_ok(acct_perm_desc_init(&func, ACCT_PERM_DESC_VERSION));
	ck_assert_uint_eq(macro.version, ACCT_PERM_DESC_VERSION);
	SAME_MEMBER(acct_perm_desc, version, &macro, &func);
	SAME_MEMBER(acct_perm_desc, catalog, &macro, &func);
	SAME_MEMBER(acct_perm_desc, name, &macro, &func);
	SAME_MEMBER(acct_perm_desc, label, &macro, &func);
	SAME_MEMBER(acct_perm_desc, type, &macro, &func);
	SAME_MEMBER(acct_perm_desc, default_value, &macro, &func);
	SAME_MEMBER(acct_perm_desc, writable_by, &macro, &func);
	SAME_MEMBER(acct_perm_desc, reseller_only, &macro, &func);
	LAST_MEMBER(acct_perm_desc, reseller_only);
	ck_assert_uint_eq(offsetof(acct_perm_desc, version), 0);
}
END_TEST

START_TEST(test_perm_desc_versions)
{
	acct_perm_desc d;
	unsigned int v;

	for (v = 1; v <= ACCT_PERM_DESC_VERSION; v++) {
		memset(&d, 0xAA, sizeof d);
		ck_assert_msg(acct_perm_desc_init(&d, v) == 0, "acct_perm_desc_init(%u) was refused: %s", v,
		              acct_error_last()->message);
		ck_assert_msg(d.version == v, "acct_perm_desc_init(%u) set version %u", v, d.version);
	}
	ck_assert_msg(acct_perm_desc_init(&d, 0) == ACCT_EINVALID, "acct_perm_desc_init(0) was not refused");
	test_assert_last_error(ACCT_EINVALID, NULL, "acct_perm_desc_init(0)");
	ck_assert_msg(acct_perm_desc_init(&d, ACCT_PERM_DESC_VERSION + 1) == ACCT_EINVALID,
	              "acct_perm_desc_init(CURRENT + 1) was not refused");
	test_assert_last_error(ACCT_EINVALID, NULL, "acct_perm_desc_init(CURRENT + 1)");
	ck_assert_msg(acct_perm_desc_init(&d, 0xFFFFFFFFu) == ACCT_EINVALID,
	              "acct_perm_desc_init(UINT_MAX) was not refused");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Host catalogs and host permissions                                       */
/* ------------------------------------------------------------------------ */

static int register_perm(acct_ctx *ctx, int catalog, const char *name, unsigned int writable_by,
                         int default_value, int reseller_only)
{
	acct_perm_desc d = ACCT_PERM_DESC_INIT;

	d.catalog = catalog;
	d.name = name;
	d.label = "A host permission";
	d.writable_by = writable_by;
	d.default_value = default_value;
	d.reseller_only = reseller_only;
	return acct_perm_register(ctx, &d);
}

START_TEST(test_catalog_register)
{
	acct_ctx *ctx = open_ctx();
	int cat = 0, cat2 = 0, other = 0;
	char name[32];

	snprintf(name, sizeof name, "%s", "panel-extras");
	ck_assert_ok(acct_catalog_register(&cat, ctx, name));
	ck_assert_msg(cat > 3, "a host catalog got id %d", cat);
	memset(name, 'x', sizeof name - 1); /* the name was copied */
	ck_assert_int_eq(acct_perm_count(ctx, cat), 0);
	ck_assert_rc(acct_catalog_register(&other, ctx, "panel-extras"), ACCT_EEXISTS);
	ck_assert_ok(acct_catalog_register(&cat2, ctx, "billing"));
	ck_assert_msg(cat2 > 3 && cat2 != cat, "the second host catalog got id %d (first: %d)", cat2, cat);
	ck_assert_rc(acct_catalog_register(&other, ctx, NULL), ACCT_EINVALID);
	ck_assert_rc(acct_catalog_register(&other, ctx, ""), ACCT_EINVALID);
	ck_assert_rc(acct_catalog_register(NULL, ctx, "third"), ACCT_EINVALID);
	/* The built-in catalogs are untouched. */
	ck_assert_int_eq(acct_perm_count(ctx, ACCT_CATALOG_ACCOUNT), 31);
	acct_ctx_free(ctx);
}
END_TEST

START_TEST(test_perm_register)
{
	acct_ctx *ctx = open_ctx(), *ctx2;
	acct_perm_desc d = ACCT_PERM_DESC_INIT;
	int cat = 0;
	char name[32];

	ck_assert_ok(acct_catalog_register(&cat, ctx, "panel-extras"));
	/* Into the host catalog; the name is copied. */
	snprintf(name, sizeof name, "%s", "manage_docker");
	ck_assert_ok(register_perm(ctx, cat, name, ACCT_WRITABLE_BY_ADMIN | ACCT_WRITABLE_BY_RESELLER, 0, 0));
	memset(name, 'x', sizeof name - 1);
	ck_assert_int_eq(acct_perm_count(ctx, cat), 1);
	ck_assert_ok(acct_perm_describe(&d, ctx, cat, 0));
	ck_assert_str_eq(d.name, "manage_docker");
	ck_assert_str_eq(d.label, "A host permission");
	ck_assert_int_eq(d.catalog, cat);
	ck_assert_uint_eq(d.writable_by, ACCT_WRITABLE_BY_ADMIN | ACCT_WRITABLE_BY_RESELLER);
	ck_assert_ok(acct_perm_lookup(&d, ctx, "manage_docker"));
	ck_assert_int_eq(d.catalog, cat);

	/* Into the built-in account catalog. */
	ck_assert_ok(register_perm(ctx, ACCT_CATALOG_ACCOUNT, "manage_k8s", ACCT_WRITABLE_BY_ADMIN, 0, 0));
	ck_assert_int_eq(acct_perm_count(ctx, ACCT_CATALOG_ACCOUNT), 32);
	ck_assert_ok(acct_perm_lookup(&d, ctx, "manage_k8s"));
	ck_assert_int_eq(d.catalog, ACCT_CATALOG_ACCOUNT);

	/* Names are unique across every catalog. */
	ck_assert_rc(register_perm(ctx, cat, "manage_docker", ACCT_WRITABLE_BY_ADMIN, 0, 0), ACCT_EEXISTS);
	ck_assert_rc(register_perm(ctx, ACCT_CATALOG_ACCOUNT, "manage_docker", ACCT_WRITABLE_BY_ADMIN, 0, 0),
	             ACCT_EEXISTS);
	ck_assert_rc(register_perm(ctx, ACCT_CATALOG_ACCOUNT, "manage_k8s", ACCT_WRITABLE_BY_ADMIN, 0, 0),
	             ACCT_EEXISTS);
	ck_assert_rc(register_perm(ctx, cat, "manage_dns", ACCT_WRITABLE_BY_ADMIN, 0, 0), ACCT_EEXISTS);
	ck_assert_rc(register_perm(ctx, cat, "dnsManagement", ACCT_WRITABLE_BY_ADMIN, 0, 0), ACCT_EEXISTS);
	ck_assert_rc(register_perm(ctx, ACCT_CATALOG_ACCOUNT, "license.upgrade", ACCT_WRITABLE_BY_ADMIN, 0, 0),
	             ACCT_EEXISTS);
	ck_assert_int_eq(acct_perm_count(ctx, cat), 1);
	ck_assert_int_eq(acct_perm_count(ctx, ACCT_CATALOG_ACCOUNT), 32);

	/* Bad descriptors. */
	ck_assert_rc(register_perm(ctx, cat + 1, "unknown_catalog", ACCT_WRITABLE_BY_ADMIN, 0, 0), ACCT_EINVALID);
	ck_assert_rc(register_perm(ctx, 0, "catalog_zero", ACCT_WRITABLE_BY_ADMIN, 0, 0), ACCT_EINVALID);
	ck_assert_rc(register_perm(ctx, cat, NULL, ACCT_WRITABLE_BY_ADMIN, 0, 0), ACCT_EINVALID);
	ck_assert_rc(register_perm(ctx, cat, "", ACCT_WRITABLE_BY_ADMIN, 0, 0), ACCT_EINVALID);
	ck_assert_rc(acct_perm_register(ctx, NULL), ACCT_EINVALID);
	d = (acct_perm_desc)ACCT_PERM_DESC_INIT;
	d.catalog = cat;
	d.name = "bad_version";
	d.version = 0;
	ck_assert_rc(acct_perm_register(ctx, &d), ACCT_EINVALID);
	ck_assert_int_eq(acct_perm_count(ctx, cat), 1);

	/* Registration belongs to the context. */
	ctx2 = open_ctx();
	ck_assert_int_eq(acct_perm_count(ctx2, ACCT_CATALOG_ACCOUNT), 31);
	ck_assert_rc(acct_perm_lookup(&d, ctx2, "manage_k8s"), ACCT_ENOTFOUND);
	ck_assert_rc(acct_perm_count(ctx2, cat), ACCT_ENOTFOUND);
	acct_ctx_free(ctx2);
	acct_ctx_free(ctx);
}
END_TEST

/*
 * At most 64 account permissions (the account catalog's 31 built-in ones
 * and every host catalog's together) and 64 role permissions (17 built in):
 * the next one is ACCT_ELIMIT and changes nothing.
 */
START_TEST(test_perm_register_full)
{
	acct_ctx *ctx = open_ctx();
	acct_perm_desc d = ACCT_PERM_DESC_INIT;
	int cat = 0, i;
	char name[32];

	ck_assert_ok(acct_catalog_register(&cat, ctx, "big"));
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof name, "ext_perm_%02d", i);
		ck_assert_msg(register_perm(ctx, cat, name, ACCT_WRITABLE_BY_ADMIN, 0, 0) == 0,
		              "registering host-catalog name %d failed: %s", i + 1, acct_error_last()->message);
	}
	for (i = 0; i < 13; i++) {
		snprintf(name, sizeof name, "acct_ext_%02d", i);
		ck_assert_msg(register_perm(ctx, ACCT_CATALOG_ACCOUNT, name, ACCT_WRITABLE_BY_ADMIN, 0, 0) == 0,
		              "registering account-catalog name %d failed: %s", i + 1, acct_error_last()->message);
	}
	ck_assert_int_eq(acct_perm_count(ctx, cat), 20);
	ck_assert_int_eq(acct_perm_count(ctx, ACCT_CATALOG_ACCOUNT), 31 + 13);
	/* 31 + 20 + 13 = 64: full, whichever catalog is asked. */
	ck_assert_rc(register_perm(ctx, cat, "one_too_many", ACCT_WRITABLE_BY_ADMIN, 0, 0), ACCT_ELIMIT);
	test_assert_last_error(ACCT_ELIMIT, "one_too_many", "the 65th account permission");
	ck_assert_rc(register_perm(ctx, ACCT_CATALOG_ACCOUNT, "one_too_many", ACCT_WRITABLE_BY_ADMIN, 0, 0),
	             ACCT_ELIMIT);
	ck_assert_int_eq(acct_perm_count(ctx, cat), 20);
	ck_assert_int_eq(acct_perm_count(ctx, ACCT_CATALOG_ACCOUNT), 44);
	ck_assert_rc(acct_perm_lookup(&d, ctx, "one_too_many"), ACCT_ENOTFOUND);

	/* Role permissions count apart: 17 built in, 47 more. */
	for (i = 0; i < 47; i++) {
		snprintf(name, sizeof name, "roleExt%02d", i);
		ck_assert_msg(register_perm(ctx, ACCT_CATALOG_ROLE, name, ACCT_WRITABLE_BY_ADMIN, 0, 0) == 0,
		              "registering role name %d of 47 failed: %s", i + 1, acct_error_last()->message);
	}
	ck_assert_int_eq(acct_perm_count(ctx, ACCT_CATALOG_ROLE), 64);
	ck_assert_rc(register_perm(ctx, ACCT_CATALOG_ROLE, "roleExtTooMany", ACCT_WRITABLE_BY_ADMIN, 0, 0), ACCT_ELIMIT);
	ck_assert_int_eq(acct_perm_count(ctx, ACCT_CATALOG_ROLE), 64);
	acct_ctx_free(ctx);
}
END_TEST

/* A host permission is granted and checked like Plesk's own. */
START_TEST(test_host_perm_grant_and_check)
{
	test_tree t;
	int cat = 0, rc, allowed = 1;

	open_tree(&t, nodes, N_NODES);
	/* Unknown before registration. */
	ck_assert_rc(acct_check(&allowed, t.admin, "manage_k8s", t.id[C1]), ACCT_ENOTFOUND);
	ck_assert_int_eq(allowed, 0);
	ck_assert_rc(acct_perm_grant(t.admin, t.id[C1], "manage_k8s", 1), ACCT_ENOTFOUND);

	ck_assert_ok(acct_catalog_register(&cat, t.ctx, "panel-extras"));
	ck_assert_ok(register_perm(t.ctx, ACCT_CATALOG_ACCOUNT, "manage_k8s",
	                           ACCT_WRITABLE_BY_ADMIN | ACCT_WRITABLE_BY_RESELLER, 0, 0));
	ck_assert_ok(register_perm(t.ctx, cat, "manage_docker", ACCT_WRITABLE_BY_ADMIN | ACCT_WRITABLE_BY_RESELLER,
	                           0, 0));
	ck_assert_ok(register_perm(t.ctx, cat, "admin_granted_only", ACCT_WRITABLE_BY_ADMIN, 0, 0));
	ck_assert_ok(register_perm(t.ctx, cat, "reseller_thing", ACCT_WRITABLE_BY_ADMIN, 0, 1));

	/* Account-catalog host permission: the admin grants it to C1. */
	ck_assert_int_eq(granted(t.admin, t.id[C1], "manage_k8s"), 0);
	expect_check(tree_session(&t, C1), "manage_k8s", t.id[C1], ACCT_DENY_METHOD, "c1 before the grant");
	grant_ok(t.admin, t.id[C1], "manage_k8s", 1);
	ck_assert_int_eq(granted(t.admin, t.id[C1], "manage_k8s"), 1);
	expect_check(tree_session(&t, C1), "manage_k8s", t.id[C1], ACCT_DENY_NONE, "c1 after the grant");
	expect_check(tree_session(&t, C1), "manage_k8s", t.id[U1], ACCT_DENY_NONE, "c1 on its user");
	expect_check(tree_session(&t, C1B), "manage_k8s", t.id[C1B], ACCT_DENY_METHOD, "c1b, never granted");
	expect_check(t.admin, "manage_k8s", t.id[C1B], ACCT_DENY_NONE, "the admin holds host permissions");

	/* Host-catalog permission, granted through the reseller. */
	ck_assert_rc(acct_perm_grant(tree_session(&t, R1), t.id[C1], "manage_docker", 1), ACCT_EDENIED);
	test_assert_last_error(ACCT_EDENIED, "manage_docker", "r1 granting manage_docker it lacks");
	ck_assert_int_eq(granted(t.admin, t.id[C1], "manage_docker"), 0);
	grant_ok(t.admin, t.id[R1], "manage_docker", 1);
	grant_ok(tree_session(&t, R1), t.id[C1], "manage_docker", 1);
	ck_assert_int_eq(granted(tree_session(&t, R1), t.id[C1], "manage_docker"), 1);
	expect_check(tree_session(&t, C1), "manage_docker", t.id[C1], ACCT_DENY_NONE, "c1 with manage_docker");

	/* writable_by without the reseller bit: the reseller holds it, but may not pass it on. */
	grant_ok(t.admin, t.id[R1], "admin_granted_only", 1);
	expect_check(tree_session(&t, R1), "admin_granted_only", t.id[R1], ACCT_DENY_NONE, "r1 with admin_granted_only");
	ck_assert_rc(acct_perm_grant(tree_session(&t, R1), t.id[C1], "admin_granted_only", 1), ACCT_EDENIED);
	ck_assert_int_eq(granted(t.admin, t.id[C1], "admin_granted_only"), 0);
	grant_ok(t.admin, t.id[C1], "admin_granted_only", 1);

	/* A reseller-only host permission goes to resellers only. */
	grant_ok(t.admin, t.id[R2], "reseller_thing", 1);
	ck_assert_int_eq(granted(t.admin, t.id[R2], "reseller_thing"), 1);
	rc = acct_perm_grant(t.admin, t.id[CA], "reseller_thing", 1);
	ck_assert_msg(rc == ACCT_EINVALID || rc == ACCT_EDENIED,
	              "the admin granted a reseller-only host permission to a customer: %d (%s)", rc,
	              acct_strerror(rc));
	ck_assert_int_eq(granted(t.admin, t.id[CA], "reseller_thing"), 0);
	close_tree(&t);
}
END_TEST

/* default_value: a host permission registered as granted on creation. */
START_TEST(test_host_perm_default_on_creation)
{
	test_tree t;
	acct_id c, r;

	open_tree(&t, nodes, N_NODES);
	ck_assert_ok(register_perm(t.ctx, ACCT_CATALOG_ACCOUNT, "manage_backup_ext",
	                           ACCT_WRITABLE_BY_ADMIN | ACCT_WRITABLE_BY_RESELLER, 1, 0));
	ck_assert_ok(register_perm(t.ctx, ACCT_CATALOG_ACCOUNT, "manage_off_ext",
	                           ACCT_WRITABLE_BY_ADMIN | ACCT_WRITABLE_BY_RESELLER, 0, 0));
	ck_assert_ok(register_perm(t.ctx, ACCT_CATALOG_ACCOUNT, "resell_ext", ACCT_WRITABLE_BY_ADMIN, 1, 1));
	c = add_customer(t.admin, 1, "fresh-customer", NULL);
	r = add_reseller(t.admin, 1, "fresh-reseller", NULL);
	ck_assert_msg(granted(t.admin, c, "manage_backup_ext") == 1, "a default host permission: new customer lacks it");
	ck_assert_msg(granted(t.admin, r, "manage_backup_ext") == 1, "a default host permission: new reseller lacks it");
	ck_assert_int_eq(granted(t.admin, c, "manage_off_ext"), 0);
	ck_assert_int_eq(granted(t.admin, r, "manage_off_ext"), 0);
	ck_assert_msg(granted(t.admin, r, "resell_ext") == 1, "a default reseller-only permission: new reseller lacks it");
	ck_assert_msg(granted(t.admin, c, "resell_ext") == 0, "a default reseller-only permission went to a customer");
	/* Accounts created before the registration are not changed. */
	ck_assert_int_eq(granted(t.admin, t.id[C1], "manage_backup_ext"), 0);
	close_tree(&t);
}
END_TEST

/* A host permission in the role catalog goes into roles and is held by users. */
START_TEST(test_host_role_perm)
{
	test_tree t;
	acct_role_id role = 0;
	int g = -1;

	open_tree(&t, nodes, N_NODES);
	ck_assert_ok(register_perm(t.ctx, ACCT_CATALOG_ROLE, "dockerManagement",
	                           ACCT_WRITABLE_BY_ADMIN | ACCT_WRITABLE_BY_RESELLER | ACCT_WRITABLE_BY_CUSTOMER,
	                           0, 0));
	ck_assert_int_eq(acct_perm_count(t.ctx, ACCT_CATALOG_ROLE), 18);
	ck_assert_ok(acct_role_create(&role, t.admin, t.id[C1], "Docker"));
	ck_assert_ok(acct_role_set_permission(t.admin, role, "dockerManagement", 1));
	ck_assert_ok(acct_role_get_permission(&g, t.admin, role, "dockerManagement"));
	ck_assert_int_eq(g, 1);
	expect_check(tree_session(&t, U1), "dockerManagement", t.id[U1], ACCT_DENY_METHOD, "u1 without the role");
	set_role_ok(t.admin, t.id[U1], role, 1);
	expect_check(tree_session(&t, U1), "dockerManagement", t.id[U1], ACCT_DENY_NONE, "u1 with the Docker role");
	close_tree(&t);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Grants                                                                   */
/* ------------------------------------------------------------------------ */

START_TEST(test_admin_holds_all)
{
	test_tree t;
	size_t i;
	int n;

	open_tree(&t, nodes, N_NODES);
	for (i = 0; i < N_ELEMS(account_perms); i++)
		ck_assert_msg(granted(t.admin, 1, account_perms[i]) == 1, "the admin lacks %s", account_perms[i]);
	for (n = 0; n < N_NODES; n++) {
		char what[96];

		snprintf(what, sizeof what, "the admin on %s", nodes[n].login);
		for (i = 0; i < N_ELEMS(account_perms); i++)
			expect_check(t.admin, account_perms[i], t.id[n], ACCT_DENY_NONE, what);
		for (i = 0; i < N_ELEMS(role_perms); i++)
			expect_check(t.admin, role_perms[i].name, t.id[n], ACCT_DENY_NONE, what);
		for (i = 0; i < N_ELEMS(partner_ops); i++)
			expect_check(t.admin, partner_ops[i], t.id[n], ACCT_DENY_NONE, what);
	}
	close_tree(&t);
}
END_TEST

START_TEST(test_reseller_default_create_clients)
{
	test_tree t;
	acct_id r;

	open_tree(&t, nodes, N_NODES);
	ck_assert_int_eq(granted(t.admin, t.id[R1], "create_clients"), 1);
	ck_assert_int_eq(granted(tree_session(&t, R1), t.id[R1], "create_clients"), 1);
	r = add_reseller(t.admin, 1, "r-new", NULL);
	ck_assert_int_eq(granted(t.admin, r, "create_clients"), 1);
	ck_assert_int_eq(granted(t.admin, t.id[C1], "create_clients"), 0);
	ck_assert_int_eq(granted(t.admin, t.id[CA], "create_clients"), 0);
	expect_check(tree_session(&t, R1), "create_clients", t.id[R1], ACCT_DENY_NONE, "r1 create_clients on itself");
	expect_check(tree_session(&t, R1), "create_clients", t.id[C1], ACCT_DENY_NONE, "r1 create_clients on its customer");
	expect_check(tree_session(&t, C1), "create_clients", t.id[C1], ACCT_DENY_METHOD, "c1 create_clients");
	/* Revoked, it is gone from the check too. */
	grant_ok(t.admin, t.id[R1], "create_clients", 0);
	ck_assert_int_eq(granted(t.admin, t.id[R1], "create_clients"), 0);
	expect_check(tree_session(&t, R1), "create_clients", t.id[R1], ACCT_DENY_METHOD, "r1 after the revoke");
	close_tree(&t);
}
END_TEST

/* acct_perm_get and acct_check agree for every account permission of a fresh customer. */
START_TEST(test_get_and_check_agree)
{
	test_tree t;
	size_t i;

	open_tree(&t, nodes, N_NODES);
	for (i = 0; i < N_ELEMS(account_perms); i++) {
		int g = granted(t.admin, t.id[C1], account_perms[i]);

		if (is_reseller_only(account_perms[i]))
			ck_assert_msg(g == 0, "a new customer holds reseller-only %s", account_perms[i]);
		expect_check(tree_session(&t, C1), account_perms[i], t.id[C1], g ? ACCT_DENY_NONE : ACCT_DENY_METHOD,
		             "c1 on itself (as acct_perm_get says)");
		ck_assert_int_eq(granted(tree_session(&t, C1), t.id[C1], account_perms[i]), g);
	}
	close_tree(&t);
}
END_TEST

START_TEST(test_admin_grants)
{
	test_tree t;
	int rc, g = 7;

	open_tree(&t, nodes, N_NODES);
	grant_ok(t.admin, t.id[C1], "manage_dns", 0); /* a known start, whatever the defaults */
	ck_assert_int_eq(granted(t.admin, t.id[C1], "manage_dns"), 0);
	grant_ok(t.admin, t.id[C1], "manage_dns", 1);
	ck_assert_int_eq(granted(t.admin, t.id[C1], "manage_dns"), 1);
	grant_ok(t.admin, t.id[C1], "manage_dns", 1); /* twice: still granted */
	ck_assert_int_eq(granted(t.admin, t.id[C1], "manage_dns"), 1);
	grant_ok(t.admin, t.id[C1], "manage_dns", 0);
	ck_assert_int_eq(granted(t.admin, t.id[C1], "manage_dns"), 0);
	/* Anywhere in scope, resellers too. */
	grant_ok(t.admin, t.id[R1], "manage_dns", 1);
	ck_assert_int_eq(granted(t.admin, t.id[R1], "manage_dns"), 1);
	grant_ok(t.admin, t.id[C2], "manage_log", 1);
	ck_assert_int_eq(granted(t.admin, t.id[C2], "manage_log"), 1);
	grant_ok(t.admin, t.id[R2], "allow_oversell", 1);
	ck_assert_int_eq(granted(t.admin, t.id[R2], "allow_oversell"), 1);

	/* Reseller-only permissions never go to customers. */
	rc = acct_perm_grant(t.admin, t.id[CA], "create_clients", 1);
	ck_assert_msg(rc == ACCT_EINVALID || rc == ACCT_EDENIED,
	              "create_clients was granted to a customer: %d (%s)", rc, acct_strerror(rc));
	ck_assert_int_eq(granted(t.admin, t.id[CA], "create_clients"), 0);
	rc = acct_perm_grant(t.admin, t.id[C1], "allow_oversell", 1);
	ck_assert_msg(rc == ACCT_EINVALID || rc == ACCT_EDENIED,
	              "allow_oversell was granted to a customer: %d (%s)", rc, acct_strerror(rc));
	ck_assert_int_eq(granted(t.admin, t.id[C1], "allow_oversell"), 0);

	/* Only resellers and customers receive account permissions. */
	rc = acct_perm_grant(t.admin, t.id[U1], "manage_dns", 1);
	ck_assert_msg(rc == ACCT_EINVALID || rc == ACCT_EDENIED, "manage_dns was granted to a user: %d (%s)", rc,
	              acct_strerror(rc));
	/* Not account permissions. */
	rc = acct_perm_grant(t.admin, t.id[C1], "dnsManagement", 1);
	ck_assert_msg(rc == ACCT_EINVALID || rc == ACCT_ENOTFOUND,
	              "a role permission was granted as an account permission: %d (%s)", rc, acct_strerror(rc));
	rc = acct_perm_grant(t.admin, t.id[C1], "license.upgrade", 1);
	ck_assert_msg(rc == ACCT_EINVALID || rc == ACCT_ENOTFOUND,
	              "a Partner operation was granted as an account permission: %d (%s)", rc, acct_strerror(rc));
	/* Unknown names and targets. */
	ck_assert_rc(acct_perm_grant(t.admin, t.id[C1], "manage_everything", 1), ACCT_ENOTFOUND);
	ck_assert_rc(acct_perm_get(&g, t.admin, t.id[C1], "manage_everything"), ACCT_ENOTFOUND);
	ck_assert_rc(acct_perm_grant(t.admin, 999999, "manage_dns", 1), ACCT_ENOTFOUND);
	ck_assert_rc(acct_perm_get(&g, t.admin, 999999, "manage_dns"), ACCT_ENOTFOUND);
	ck_assert_rc(acct_perm_grant(NULL, t.id[C1], "manage_dns", 1), ACCT_EINVALID);
	ck_assert_rc(acct_perm_grant(t.admin, t.id[C1], NULL, 1), ACCT_EINVALID);
	ck_assert_int_eq(granted(t.admin, t.id[C1], "manage_dns"), 0);
	close_tree(&t);
}
END_TEST

START_TEST(test_reseller_grants)
{
	test_tree t;
	acct_session *rs;
	int rc, g = 0;

	open_tree(&t, nodes, N_NODES);
	rs = tree_session(&t, R1);
	grant_ok(t.admin, t.id[R1], "manage_dns", 0);
	grant_ok(t.admin, t.id[C1], "manage_dns", 0);
	grant_ok(t.admin, t.id[C1B], "manage_dns", 0);
	grant_ok(t.admin, t.id[C2], "manage_dns", 0);

	/* Escalation: it does not hold manage_dns, so it cannot pass it on. */
	ck_assert_rc(acct_perm_grant(rs, t.id[C1], "manage_dns", 1), ACCT_EDENIED);
	test_assert_last_error(ACCT_EDENIED, "manage_dns", "r1 granting manage_dns it lacks");
	ck_assert_int_eq(granted(t.admin, t.id[C1], "manage_dns"), 0);
	/* Nor grant it to itself. */
	ck_assert_rc(acct_perm_grant(rs, t.id[R1], "manage_dns", 1), ACCT_EDENIED);
	ck_assert_int_eq(granted(t.admin, t.id[R1], "manage_dns"), 0);

	/* Once it holds it, it may grant and revoke it on its own customers. */
	grant_ok(t.admin, t.id[R1], "manage_dns", 1);
	grant_ok(rs, t.id[C1], "manage_dns", 1);
	ck_assert_int_eq(granted(rs, t.id[C1], "manage_dns"), 1);
	ck_assert_int_eq(granted(t.admin, t.id[C1], "manage_dns"), 1);
	ck_assert_msg(granted(t.admin, t.id[C1B], "manage_dns") == 0, "a grant to c1 reached c1b");
	grant_ok(rs, t.id[C1], "manage_dns", 0);
	ck_assert_int_eq(granted(t.admin, t.id[C1], "manage_dns"), 0);

	/* Reseller-only permissions never go to customers, even from a reseller holding them. */
	rc = acct_perm_grant(rs, t.id[C1], "create_clients", 1);
	ck_assert_msg(rc == ACCT_EINVALID || rc == ACCT_EDENIED,
	              "r1 granted create_clients to a customer: %d (%s)", rc, acct_strerror(rc));
	ck_assert_int_eq(granted(t.admin, t.id[C1], "create_clients"), 0);

	/* Outside its scope: not found. */
	ck_assert_rc(acct_perm_grant(rs, t.id[C2], "manage_dns", 1), ACCT_ENOTFOUND);
	ck_assert_rc(acct_perm_grant(rs, t.id[CA], "manage_dns", 1), ACCT_ENOTFOUND);
	ck_assert_rc(acct_perm_grant(rs, t.id[R2], "manage_dns", 1), ACCT_ENOTFOUND);
	ck_assert_rc(acct_perm_grant(rs, 1, "manage_dns", 1), ACCT_ENOTFOUND);
	ck_assert_rc(acct_perm_get(&g, rs, t.id[C2], "manage_dns"), ACCT_ENOTFOUND);
	ck_assert_msg(granted(t.admin, t.id[C2], "manage_dns") == 0, "r1 granted manage_dns outside its scope");
	close_tree(&t);
}
END_TEST

START_TEST(test_customers_and_users_cannot_grant)
{
	test_tree t;
	int rc;

	open_tree(&t, nodes, N_NODES);
	grant_ok(t.admin, t.id[C1], "manage_dns", 1);
	grant_ok(t.admin, t.id[C1], "manage_log", 0);
	/* Not even what it holds, not even to itself. */
	ck_assert_rc(acct_perm_grant(tree_session(&t, C1), t.id[C1], "manage_log", 1), ACCT_EDENIED);
	test_assert_last_error(ACCT_EDENIED, NULL, "c1 granting itself manage_log");
	ck_assert_rc(acct_perm_grant(tree_session(&t, C1), t.id[C1], "manage_dns", 0), ACCT_EDENIED);
	ck_assert_int_eq(granted(t.admin, t.id[C1], "manage_log"), 0);
	ck_assert_int_eq(granted(t.admin, t.id[C1], "manage_dns"), 1);
	rc = acct_perm_grant(tree_session(&t, C1), t.id[C1B], "manage_dns", 1);
	ck_assert_msg(rc == ACCT_EDENIED || rc == ACCT_ENOTFOUND, "c1 granting c1b: %d (%s)", rc,
	              acct_strerror(rc));
	/* A user neither. */
	rc = acct_perm_grant(tree_session(&t, U1), t.id[C1], "manage_log", 1);
	ck_assert_msg(rc == ACCT_EDENIED || rc == ACCT_ENOTFOUND, "u1 granting its owner: %d (%s)", rc,
	              acct_strerror(rc));
	ck_assert_int_eq(granted(t.admin, t.id[C1], "manage_log"), 0);
	close_tree(&t);
}
END_TEST

/* Grants are stored: another context over the same store sees them. */
START_TEST(test_grants_persist)
{
	acct_storage *inner = NULL, *w0 = NULL, *w1 = NULL;
	test_storage st0, st1;
	acct_ctx_options opts;
	acct_ctx *ctx0 = NULL, *ctx1 = NULL;
	acct_session *a0, *a1, *cs;
	acct_id r, c, c2;

	ck_assert_ok(acct_storage_memory_new(&inner));
	test_storage_setup(&st0, inner, 0);
	ck_assert_ok(test_storage_wrap(&w0, &st0));
	test_ctx_options(&opts, &test_default_clock);
	ck_assert_ok(acct_ctx_new(&ctx0, w0, &opts));
	a0 = open_session(ctx0, 1);
	r = add_reseller(a0, 1, "r1", NULL);
	c = add_customer(a0, r, "c1", NULL);
	c2 = add_customer(a0, r, "c2", NULL);
	grant_ok(a0, r, "create_clients", 0);
	grant_ok(a0, c, "manage_dns", 1);
	grant_ok(a0, c2, "manage_dns", 0);
	grant_ok(a0, c2, "manage_log", 1);
	acct_session_free(a0);
	acct_ctx_free(ctx0);

	test_storage_setup(&st1, inner, 0);
	ck_assert_ok(test_storage_wrap(&w1, &st1));
	opts.admin_login = NULL;
	opts.admin_password = NULL;
	ck_assert_ok(acct_ctx_new(&ctx1, w1, &opts));
	a1 = open_session(ctx1, 1);
	ck_assert_int_eq(granted(a1, r, "create_clients"), 0);
	ck_assert_int_eq(granted(a1, c, "manage_dns"), 1);
	ck_assert_int_eq(granted(a1, c2, "manage_dns"), 0);
	ck_assert_int_eq(granted(a1, c2, "manage_log"), 1);
	cs = open_session(ctx1, c);
	expect_check(cs, "manage_dns", c, ACCT_DENY_NONE, "c1 in the reopened store");
	acct_session_free(cs);
	acct_session_free(a1);
	acct_ctx_free(ctx1);
	acct_storage_free(inner);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* acct_check: scope, method, disabled, session, errors                      */
/* ------------------------------------------------------------------------ */

START_TEST(test_check_scope)
{
	test_tree t;

	open_tree(&t, nodes, N_NODES);
	grant_ok(t.admin, t.id[R1], "manage_dns", 1);
	grant_ok(t.admin, t.id[C1], "manage_dns", 1);

	/* Reseller: itself and its subtree. */
	expect_check(tree_session(&t, R1), "manage_dns", t.id[R1], ACCT_DENY_NONE, "r1 on itself");
	expect_check(tree_session(&t, R1), "manage_dns", t.id[C1], ACCT_DENY_NONE, "r1 on its customer");
	expect_check(tree_session(&t, R1), "manage_dns", t.id[C1B], ACCT_DENY_NONE, "r1 on its other customer");
	expect_check(tree_session(&t, R1), "manage_dns", t.id[U1], ACCT_DENY_NONE, "r1 on its customer's user");
	expect_check(tree_session(&t, R1), "manage_dns", t.id[UR1], ACCT_DENY_NONE, "r1 on its own user");
	expect_check(tree_session(&t, R1), "manage_dns", t.id[R2], ACCT_DENY_OBJECT, "r1 on a sibling reseller");
	expect_check(tree_session(&t, R1), "manage_dns", t.id[C2], ACCT_DENY_OBJECT, "r1 on another reseller's customer");
	expect_check(tree_session(&t, R1), "manage_dns", t.id[U2], ACCT_DENY_OBJECT, "r1 on another reseller's user");
	expect_check(tree_session(&t, R1), "manage_dns", t.id[CA], ACCT_DENY_OBJECT, "r1 on the admin's customer");
	expect_check(tree_session(&t, R1), "manage_dns", 1, ACCT_DENY_OBJECT, "r1 on the admin");

	/* Customer: itself and its users. */
	expect_check(tree_session(&t, C1), "manage_dns", t.id[C1], ACCT_DENY_NONE, "c1 on itself");
	expect_check(tree_session(&t, C1), "manage_dns", t.id[U1], ACCT_DENY_NONE, "c1 on its user");
	expect_check(tree_session(&t, C1), "manage_dns", t.id[U1B], ACCT_DENY_NONE, "c1 on its other user");
	expect_check(tree_session(&t, C1), "manage_dns", t.id[C1B], ACCT_DENY_OBJECT, "c1 on a sibling customer");
	expect_check(tree_session(&t, C1), "manage_dns", t.id[U1C], ACCT_DENY_OBJECT, "c1 on a sibling's user");
	expect_check(tree_session(&t, C1), "manage_dns", t.id[R1], ACCT_DENY_OBJECT, "c1 on its reseller");
	expect_check(tree_session(&t, C1), "manage_dns", t.id[UR1], ACCT_DENY_OBJECT, "c1 on its reseller's user");
	expect_check(tree_session(&t, C1), "manage_dns", 1, ACCT_DENY_OBJECT, "c1 on the admin");

	/* Accounts that do not exist look like accounts out of scope. */
	expect_check(tree_session(&t, C1), "manage_dns", 999999, ACCT_DENY_OBJECT, "c1 on a missing id");
	expect_check(t.admin, "manage_dns", 999999, ACCT_DENY_OBJECT, "the admin on a missing id");
	close_tree(&t);
}
END_TEST

START_TEST(test_check_method)
{
	test_tree t;

	open_tree(&t, nodes, N_NODES);
	grant_ok(t.admin, t.id[C1], "manage_dns", 0);
	grant_ok(t.admin, t.id[R1], "manage_dns", 0);
	expect_check(tree_session(&t, C1), "manage_dns", t.id[C1], ACCT_DENY_METHOD, "c1 without manage_dns");
	expect_check(tree_session(&t, C1), "manage_dns", t.id[U1], ACCT_DENY_METHOD, "c1 without manage_dns, on its user");
	expect_check(tree_session(&t, R1), "manage_dns", t.id[C1], ACCT_DENY_METHOD, "r1 without manage_dns");
	/* Scope comes before the permission. */
	expect_check(tree_session(&t, C1), "manage_dns", t.id[C2], ACCT_DENY_OBJECT, "c1 without manage_dns, out of scope");
	expect_check(tree_session(&t, C1), "manage_dns", 999999, ACCT_DENY_OBJECT, "c1 without manage_dns, missing id");
	/* Granted: allowed at once; revoked: denied at once. */
	grant_ok(t.admin, t.id[C1], "manage_dns", 1);
	expect_check(tree_session(&t, C1), "manage_dns", t.id[C1], ACCT_DENY_NONE, "c1 just granted manage_dns");
	grant_ok(t.admin, t.id[C1], "manage_dns", 0);
	expect_check(tree_session(&t, C1), "manage_dns", t.id[C1], ACCT_DENY_METHOD, "c1 just revoked manage_dns");
	/* A grant to the reseller does not give it to the customer. */
	grant_ok(t.admin, t.id[R1], "manage_dns", 1);
	expect_check(tree_session(&t, C1), "manage_dns", t.id[C1], ACCT_DENY_METHOD, "c1 when only r1 holds manage_dns");
	close_tree(&t);
}
END_TEST

/* The explanation text when denied for a method names the account, as docs say. */
START_TEST(test_check_explain_text)
{
	test_tree t;
	acct_buf text = ACCT_BUF_INIT;
	int allowed = 1, kind = -1;

	open_tree(&t, nodes, N_NODES);
	grant_ok(t.admin, t.id[C1], "manage_dns", 0);
	ck_assert_ok(acct_check_explain(&allowed, &kind, &text, tree_session(&t, C1), "manage_dns", t.id[C1]));
	ck_assert_int_eq(allowed, 0);
	ck_assert_int_eq(kind, ACCT_DENY_METHOD);
	ck_assert_msg(text.ptr && strstr(text.ptr, "manage_dns") && strstr(text.ptr, "c1"),
	              "the text '%s' names neither the permission nor the account", text.ptr ? text.ptr : "");
	/* The buffer is reused: an allowed check empties it. */
	grant_ok(t.admin, t.id[C1], "manage_dns", 1);
	ck_assert_ok(acct_check_explain(&allowed, &kind, &text, tree_session(&t, C1), "manage_dns", t.id[C1]));
	ck_assert_int_eq(allowed, 1);
	ck_assert_int_eq(kind, ACCT_DENY_NONE);
	ck_assert_msg(text.size == 0 && (text.ptr == NULL || text.ptr[0] == '\0'),
	              "allowed, but the text still says '%s'", text.ptr);
	acct_buf_dispose(&text);
	/* kind and text are optional. */
	allowed = -1;
	ck_assert_ok(acct_check_explain(&allowed, NULL, NULL, tree_session(&t, C1), "manage_dns", t.id[C1B]));
	ck_assert_int_eq(allowed, 0);
	allowed = -1;
	ck_assert_ok(acct_check_explain(&allowed, NULL, NULL, tree_session(&t, C1), "manage_dns", t.id[C1]));
	ck_assert_int_eq(allowed, 1);
	close_tree(&t);
}
END_TEST

START_TEST(test_check_disabled)
{
	test_tree t;

	open_tree(&t, nodes, N_NODES);
	grant_ok(t.admin, t.id[C1], "manage_dns", 1);
	grant_ok(t.admin, t.id[R1], "manage_dns", 1);
	set_role_ok(t.admin, t.id[U1], ACCT_ROLE_ACCOUNTANT, 1);
	/* Open the sessions while enabled. */
	expect_check(tree_session(&t, C1), "manage_dns", t.id[C1], ACCT_DENY_NONE, "c1 enabled");
	expect_check(tree_session(&t, U1), "browseStats", t.id[U1], ACCT_DENY_NONE, "u1 enabled");
	expect_check(tree_session(&t, R1), "manage_dns", t.id[C1B], ACCT_DENY_NONE, "r1 enabled");

	ck_assert_ok(acct_account_suspend(t.admin, t.id[C1]));
	expect_check(tree_session(&t, C1), "manage_dns", t.id[C1], ACCT_DENY_DISABLED, "c1 disabled");
	/* Disabled comes before scope and method. */
	expect_check(tree_session(&t, C1), "manage_dns", t.id[C2], ACCT_DENY_DISABLED, "c1 disabled, out of scope");
	expect_check(tree_session(&t, C1), "manage_log", t.id[C1], ACCT_DENY_DISABLED, "c1 disabled, without the permission");
	/* Its users are disabled through it. */
	expect_check(tree_session(&t, U1), "browseStats", t.id[U1], ACCT_DENY_DISABLED, "u1 under a disabled customer");
	/* Others are not; a disabled target is still a target (the rules are about the actor). */
	expect_check(tree_session(&t, R1), "manage_dns", t.id[C1B], ACCT_DENY_NONE, "r1 while c1 is disabled");
	expect_check(tree_session(&t, R1), "manage_dns", t.id[C1], ACCT_DENY_NONE, "r1 on the disabled c1");
	ck_assert_ok(acct_account_activate(t.admin, t.id[C1]));
	expect_check(tree_session(&t, C1), "manage_dns", t.id[C1], ACCT_DENY_NONE, "c1 enabled again");
	expect_check(tree_session(&t, U1), "browseStats", t.id[U1], ACCT_DENY_NONE, "u1 enabled again");

	/* A suspended reseller takes its subtree with it. */
	ck_assert_ok(acct_account_suspend(t.admin, t.id[R1]));
	expect_check(tree_session(&t, R1), "manage_dns", t.id[R1], ACCT_DENY_DISABLED, "r1 disabled");
	expect_check(tree_session(&t, C1), "manage_dns", t.id[C1], ACCT_DENY_DISABLED, "c1 under a disabled reseller");
	expect_check(tree_session(&t, U1), "browseStats", t.id[U1], ACCT_DENY_DISABLED, "u1 under a disabled reseller");
	/* A user disabled by its customer. */
	ck_assert_ok(acct_account_activate(t.admin, t.id[R1]));
	ck_assert_ok(acct_account_suspend(tree_session(&t, C1), t.id[U1]));
	expect_check(tree_session(&t, U1), "browseStats", t.id[U1], ACCT_DENY_DISABLED, "u1 disabled by c1");
	expect_check(tree_session(&t, C1), "manage_dns", t.id[C1], ACCT_DENY_NONE, "c1 after suspending its user");
	close_tree(&t);
}
END_TEST

START_TEST(test_check_deleted_session)
{
	test_tree t;
	acct_session *s;

	open_tree(&t, nodes, N_NODES);
	s = tree_session(&t, C1B);
	grant_ok(t.admin, t.id[C1B], "manage_dns", 1);
	expect_check(s, "manage_dns", t.id[C1B], ACCT_DENY_NONE, "c1b before the delete");
	ck_assert_ok(acct_account_delete(t.admin, t.id[C1B]));
	expect_check(s, "manage_dns", t.id[C1B], ACCT_DENY_SESSION, "c1b after its account was deleted");
	expect_check(s, "manage_dns", t.id[U1C], ACCT_DENY_SESSION, "c1b's session on its deleted user");
	close_tree(&t);
}
END_TEST

START_TEST(test_check_errors)
{
	test_tree t;
	int allowed, kind;

	open_tree(&t, nodes, N_NODES);
	/* Unknown permission: ENOTFOUND, and fail closed. */
	allowed = 1;
	ck_assert_rc(acct_check(&allowed, t.admin, "manage_everything", t.id[C1]), ACCT_ENOTFOUND);
	ck_assert_msg(allowed == 0, "an unknown permission left allowed=%d", allowed);
	allowed = 1;
	ck_assert_rc(acct_check(&allowed, tree_session(&t, C1), "manage_everything", t.id[C1]), ACCT_ENOTFOUND);
	ck_assert_int_eq(allowed, 0);
	allowed = 1;
	ck_assert_rc(acct_check(&allowed, t.admin, "", t.id[C1]), ACCT_ENOTFOUND);
	ck_assert_int_eq(allowed, 0);
	allowed = 1;
	kind = -1;
	ck_assert_rc(acct_check_explain(&allowed, &kind, NULL, t.admin, "manage_everything", t.id[C1]),
	             ACCT_ENOTFOUND);
	ck_assert_int_eq(allowed, 0);
	/* Unknown is unknown whatever the target. */
	allowed = 1;
	ck_assert_rc(acct_check(&allowed, tree_session(&t, C1), "manage_everything", t.id[C2]), ACCT_ENOTFOUND);
	ck_assert_int_eq(allowed, 0);

	/* NULL arguments. */
	allowed = 1;
	ck_assert_rc(acct_check(&allowed, NULL, "manage_dns", t.id[C1]), ACCT_EINVALID);
	ck_assert_int_eq(allowed, 0);
	allowed = 1;
	ck_assert_rc(acct_check(&allowed, t.admin, NULL, t.id[C1]), ACCT_EINVALID);
	ck_assert_int_eq(allowed, 0);
	ck_assert_rc(acct_check(NULL, t.admin, "manage_dns", t.id[C1]), ACCT_EINVALID);
	allowed = 1;
	ck_assert_rc(acct_check_explain(&allowed, NULL, NULL, NULL, "manage_dns", t.id[C1]), ACCT_EINVALID);
	ck_assert_int_eq(allowed, 0);
	allowed = 1;
	ck_assert_rc(acct_check_explain(&allowed, NULL, NULL, t.admin, NULL, t.id[C1]), ACCT_EINVALID);
	ck_assert_int_eq(allowed, 0);
	ck_assert_rc(acct_check_explain(NULL, NULL, NULL, t.admin, "manage_dns", t.id[C1]), ACCT_EINVALID);
	close_tree(&t);
}
END_TEST

START_TEST(test_deny_codes)
{
	ck_assert_int_eq(acct_deny_partner_code(ACCT_DENY_NONE), 0);
	ck_assert_int_eq(acct_deny_partner_code(ACCT_DENY_SESSION), 200);
	ck_assert_int_eq(acct_deny_partner_code(ACCT_DENY_DISABLED), 200);
	ck_assert_int_eq(acct_deny_partner_code(ACCT_DENY_OBJECT), 202);
	ck_assert_int_eq(acct_deny_partner_code(ACCT_DENY_METHOD), 201);
	ck_assert_int_eq(acct_deny_partner_code(ACCT_DENY_RULE), 201);

	ck_assert_int_eq(acct_deny_plesk_code(ACCT_DENY_NONE), 0);
	ck_assert_int_eq(acct_deny_plesk_code(ACCT_DENY_SESSION), 1001);
	ck_assert_int_eq(acct_deny_plesk_code(ACCT_DENY_DISABLED), 1011);
	ck_assert_int_eq(acct_deny_plesk_code(ACCT_DENY_OBJECT), 1013);
	ck_assert_int_eq(acct_deny_plesk_code(ACCT_DENY_METHOD), 1006);
	ck_assert_int_eq(acct_deny_plesk_code(ACCT_DENY_RULE), 1006);
}
END_TEST

/* Partner operations: the admin holds them; no reseller, customer or user session does. */
START_TEST(test_check_partner_ops)
{
	static const int actors[] = { R1, C1, U1, UR1, UADM };
	test_tree t;
	size_t i, j;

	open_tree(&t, nodes, N_NODES);
	set_role_ok(t.admin, t.id[U1], ACCT_ROLE_ADMIN, 1);
	set_role_ok(t.admin, t.id[UADM], ACCT_ROLE_ADMIN, 1);
	for (i = 0; i < N_ELEMS(partner_ops); i++) {
		expect_check(t.admin, partner_ops[i], t.id[C1], ACCT_DENY_NONE, "the admin, partner operation");
		for (j = 0; j < N_ELEMS(actors); j++) {
			char what[96];

			snprintf(what, sizeof what, "%s on itself, partner operation", nodes[actors[j]].login);
			expect_check(tree_session(&t, actors[j]), partner_ops[i], t.id[actors[j]], ACCT_DENY_METHOD, what);
		}
	}
	close_tree(&t);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Users: roles within the owner's permissions, and their scope              */
/* ------------------------------------------------------------------------ */

/* Revoke from @p owner every account permission a role permission needs. */
static void revoke_prerequisites(acct_session *admin, acct_id owner)
{
	size_t i;

	for (i = 0; i < N_ELEMS(role_perms); i++) {
		if (role_perms[i].needs)
			grant_ok(admin, owner, role_perms[i].needs, 0);
	}
}

START_TEST(test_user_role_needs_owner_perm)
{
	test_tree t;

	open_tree(&t, nodes, N_NODES);
	revoke_prerequisites(t.admin, t.id[C1]);
	set_role_ok(t.admin, t.id[U1], ACCT_ROLE_WEBMASTER, 1);
	expect_check(tree_session(&t, U1), "dnsManagement", t.id[U1], ACCT_DENY_METHOD, "webmaster u1, c1 without manage_dns");
	expect_check(tree_session(&t, U1), "browseStats", t.id[U1], ACCT_DENY_NONE, "webmaster u1, browseStats");
	grant_ok(t.admin, t.id[C1], "manage_dns", 1);
	expect_check(tree_session(&t, U1), "dnsManagement", t.id[U1], ACCT_DENY_NONE, "webmaster u1, c1 with manage_dns");
	grant_ok(t.admin, t.id[C1], "manage_dns", 0);
	expect_check(tree_session(&t, U1), "dnsManagement", t.id[U1], ACCT_DENY_METHOD, "webmaster u1, manage_dns revoked");
	/* Webmaster has no userManagement. */
	expect_check(tree_session(&t, U1), "userManagement", t.id[U1], ACCT_DENY_METHOD, "webmaster u1, userManagement");
	close_tree(&t);
}
END_TEST

/*
 * A user with the Admin role (all 17): with none of the prerequisites
 * granted to its owner it holds exactly the five that need nothing; each
 * prerequisite granted adds exactly its role permission.
 */
START_TEST(test_user_prerequisite_table)
{
	test_tree t;
	size_t i, j;

	open_tree(&t, nodes, N_NODES);
	revoke_prerequisites(t.admin, t.id[C1]);
	set_role_ok(t.admin, t.id[U1], ACCT_ROLE_ADMIN, 1);
	for (i = 0; i < N_ELEMS(role_perms); i++)
		expect_check(tree_session(&t, U1), role_perms[i].name, t.id[U1],
		             role_perms[i].needs ? ACCT_DENY_METHOD : ACCT_DENY_NONE,
		             "admin-role u1, owner without prerequisites");
	for (i = 0; i < N_ELEMS(role_perms); i++) {
		char what[128];

		if (!role_perms[i].needs)
			continue;
		grant_ok(t.admin, t.id[C1], role_perms[i].needs, 1);
		snprintf(what, sizeof what, "admin-role u1, owner granted only %s", role_perms[i].needs);
		for (j = 0; j < N_ELEMS(role_perms); j++)
			expect_check(tree_session(&t, U1), role_perms[j].name, t.id[U1],
			             (!role_perms[j].needs || j == i) ? ACCT_DENY_NONE : ACCT_DENY_METHOD, what);
		grant_ok(t.admin, t.id[C1], role_perms[i].needs, 0);
	}
	close_tree(&t);
}
END_TEST

/* The role must hold the permission too: the owner's grant alone is not enough. */
START_TEST(test_user_union_of_roles)
{
	test_tree t;
	size_t i;

	open_tree(&t, nodes, N_NODES);
	grant_ok(t.admin, t.id[C1], "manage_dns", 1);
	grant_ok(t.admin, t.id[C1], "manage_webapps", 1);
	/* No role: nothing. */
	for (i = 0; i < N_ELEMS(role_perms); i++)
		expect_check(tree_session(&t, U1B), role_perms[i].name, t.id[U1B], ACCT_DENY_METHOD, "u1b without roles");
	set_role_ok(t.admin, t.id[U1B], ACCT_ROLE_ACCOUNTANT, 1);
	expect_check(tree_session(&t, U1B), "browseStats", t.id[U1B], ACCT_DENY_NONE, "accountant u1b, browseStats");
	expect_check(tree_session(&t, U1B), "dnsManagement", t.id[U1B], ACCT_DENY_METHOD, "accountant u1b, dnsManagement");
	expect_check(tree_session(&t, U1B), "applicationsManagement", t.id[U1B], ACCT_DENY_METHOD,
	             "accountant u1b, applicationsManagement");
	set_role_ok(t.admin, t.id[U1B], ACCT_ROLE_APPLICATION_USER, 1);
	expect_check(tree_session(&t, U1B), "browseStats", t.id[U1B], ACCT_DENY_NONE, "accountant + app user, browseStats");
	expect_check(tree_session(&t, U1B), "applicationsManagement", t.id[U1B], ACCT_DENY_NONE,
	             "accountant + app user, applicationsManagement");
	expect_check(tree_session(&t, U1B), "dnsManagement", t.id[U1B], ACCT_DENY_METHOD,
	             "accountant + app user, dnsManagement");
	set_role_ok(t.admin, t.id[U1B], ACCT_ROLE_ACCOUNTANT, 0);
	expect_check(tree_session(&t, U1B), "browseStats", t.id[U1B], ACCT_DENY_METHOD, "app user only, browseStats");
	expect_check(tree_session(&t, U1B), "applicationsManagement", t.id[U1B], ACCT_DENY_NONE,
	             "app user only, applicationsManagement");
	close_tree(&t);
}
END_TEST

/* Users of the admin (which holds everything) and of a reseller. */
START_TEST(test_user_of_admin_and_reseller)
{
	test_tree t;

	open_tree(&t, nodes, N_NODES);
	set_role_ok(t.admin, t.id[UADM], ACCT_ROLE_WEBMASTER, 1);
	expect_check(tree_session(&t, UADM), "dnsManagement", t.id[UADM], ACCT_DENY_NONE, "webmaster of the admin");
	expect_check(tree_session(&t, UADM), "userManagement", t.id[UADM], ACCT_DENY_METHOD,
	             "webmaster of the admin, userManagement");
	set_role_ok(t.admin, t.id[UR1], ACCT_ROLE_WEBMASTER, 1);
	grant_ok(t.admin, t.id[R1], "manage_dns", 0);
	expect_check(tree_session(&t, UR1), "dnsManagement", t.id[UR1], ACCT_DENY_METHOD,
	             "webmaster of r1 without manage_dns");
	grant_ok(t.admin, t.id[R1], "manage_dns", 1);
	expect_check(tree_session(&t, UR1), "dnsManagement", t.id[UR1], ACCT_DENY_NONE, "webmaster of r1 with manage_dns");
	close_tree(&t);
}
END_TEST

/* A user never holds account-catalog permissions, whatever its roles and its owner hold. */
START_TEST(test_user_account_perms_denied)
{
	test_tree t;
	size_t i;

	open_tree(&t, nodes, N_NODES);
	grant_ok(t.admin, t.id[C1], "manage_dns", 1);
	set_role_ok(t.admin, t.id[U1], ACCT_ROLE_ADMIN, 1);
	set_role_ok(t.admin, t.id[UADM], ACCT_ROLE_ADMIN, 1);
	for (i = 0; i < N_ELEMS(account_perms); i++) {
		expect_check(tree_session(&t, U1), account_perms[i], t.id[U1], ACCT_DENY_METHOD, "admin-role u1, account permission");
		expect_check(tree_session(&t, UADM), account_perms[i], t.id[UADM], ACCT_DENY_METHOD,
		             "admin-role user of the admin, account permission");
	}
	close_tree(&t);
}
END_TEST

START_TEST(test_user_scope)
{
	test_tree t;

	open_tree(&t, nodes, N_NODES);
	set_role_ok(t.admin, t.id[U1], ACCT_ROLE_WEBMASTER, 1);
	/* Without userManagement: itself only. */
	expect_check(tree_session(&t, U1), "browseStats", t.id[U1], ACCT_DENY_NONE, "u1 on itself");
	expect_check(tree_session(&t, U1), "browseStats", t.id[U1B], ACCT_DENY_OBJECT, "u1 on a sibling, no userManagement");
	expect_check(tree_session(&t, U1), "userManagement", t.id[U1B], ACCT_DENY_OBJECT,
	             "u1 on a sibling, asking userManagement it lacks (scope first)");
	expect_check(tree_session(&t, U1), "browseStats", t.id[C1], ACCT_DENY_OBJECT, "u1 on its owner");
	expect_check(tree_session(&t, U1), "browseStats", t.id[U1C], ACCT_DENY_OBJECT, "u1 on a cousin");
	expect_check(tree_session(&t, U1), "browseStats", t.id[R1], ACCT_DENY_OBJECT, "u1 on its owner's reseller");
	expect_check(tree_session(&t, U1), "browseStats", 1, ACCT_DENY_OBJECT, "u1 on the admin");

	/* With userManagement: its siblings too, never its owner. */
	set_role_ok(t.admin, t.id[U1], ACCT_ROLE_ADMIN, 1);
	expect_check(tree_session(&t, U1), "browseStats", t.id[U1B], ACCT_DENY_NONE, "u1 with userManagement on a sibling");
	expect_check(tree_session(&t, U1), "userManagement", t.id[U1B], ACCT_DENY_NONE,
	             "u1 with userManagement, userManagement on a sibling");
	expect_check(tree_session(&t, U1), "browseStats", t.id[C1], ACCT_DENY_OBJECT, "u1 with userManagement on its owner");
	expect_check(tree_session(&t, U1), "userManagement", t.id[C1], ACCT_DENY_OBJECT,
	             "u1 with userManagement, userManagement on its owner");
	expect_check(tree_session(&t, U1), "browseStats", t.id[U1C], ACCT_DENY_OBJECT, "u1 with userManagement on a cousin");
	expect_check(tree_session(&t, U1), "browseStats", t.id[C1B], ACCT_DENY_OBJECT,
	             "u1 with userManagement on its owner's sibling");
	expect_check(tree_session(&t, U1), "browseStats", t.id[R1], ACCT_DENY_OBJECT, "u1 with userManagement on r1");
	/* Taken away again: the sibling is out of scope at once. */
	set_role_ok(t.admin, t.id[U1], ACCT_ROLE_ADMIN, 0);
	expect_check(tree_session(&t, U1), "browseStats", t.id[U1B], ACCT_DENY_OBJECT, "u1 after losing userManagement");
	close_tree(&t);
}
END_TEST

static Suite *perm_suite(void)
{
	Suite *s = suite_create("perm");
	TCase *tc;

	tc = tcase_create("catalogs");
	tcase_add_test(tc, test_catalog_counts);
	tcase_add_test(tc, test_catalog_account);
	tcase_add_test(tc, test_catalog_role);
	tcase_add_test(tc, test_catalog_partner);
	tcase_add_test(tc, test_describe_and_lookup_misses);
	suite_add_tcase(s, tc);

	tc = tcase_create("structinit");
	tcase_add_test(tc, test_perm_desc_init);
	tcase_add_test(tc, test_perm_desc_versions);
	suite_add_tcase(s, tc);

	tc = tcase_create("register");
	tcase_add_test(tc, test_catalog_register);
	tcase_add_test(tc, test_perm_register);
	tcase_add_test(tc, test_perm_register_full);
	tcase_add_test(tc, test_host_perm_grant_and_check);
	tcase_add_test(tc, test_host_perm_default_on_creation);
	tcase_add_test(tc, test_host_role_perm);
	suite_add_tcase(s, tc);

	tc = tcase_create("grants");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_admin_holds_all);
	tcase_add_test(tc, test_reseller_default_create_clients);
	tcase_add_test(tc, test_get_and_check_agree);
	tcase_add_test(tc, test_admin_grants);
	tcase_add_test(tc, test_reseller_grants);
	tcase_add_test(tc, test_customers_and_users_cannot_grant);
	tcase_add_test(tc, test_grants_persist);
	suite_add_tcase(s, tc);

	tc = tcase_create("check");
	tcase_add_test(tc, test_check_scope);
	tcase_add_test(tc, test_check_method);
	tcase_add_test(tc, test_check_explain_text);
	tcase_add_test(tc, test_check_disabled);
	tcase_add_test(tc, test_check_deleted_session);
	tcase_add_test(tc, test_check_errors);
	tcase_add_test(tc, test_deny_codes);
	tcase_add_test(tc, test_check_partner_ops);
	suite_add_tcase(s, tc);

	tc = tcase_create("users");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_user_role_needs_owner_perm);
	tcase_add_test(tc, test_user_prerequisite_table);
	tcase_add_test(tc, test_user_union_of_roles);
	tcase_add_test(tc, test_user_of_admin_and_reseller);
	tcase_add_test(tc, test_user_account_perms_denied);
	tcase_add_test(tc, test_user_scope);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	return test_run_suite(perm_suite(), 1);
}
