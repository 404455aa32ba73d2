/*
 * role (user roles) and perm (account permissions and the catalogs).
 *
 * Roles are named by name within their owner's set (the built-in ones and
 * the owner's own), or by #ID. Commands that change several permissions
 * check every name first, so a typo changes nothing.
 */
#include <string.h>
#include "acctctl.h"

static const char *const catalog_names[] = { NULL, "account", "role", "partner" };
static const char *const catalog_kinds[] = { NULL, "an account permission", "a role permission",
	                                         "a Partner API operation" };
#define NCATALOGS 3

/* ---- naming roles ---- */

static void append(char *buf, size_t size, const char *word)
{
	size_t len = strlen(buf);

	if (len + strlen(word) + 3 < size)
		snprintf(buf + len, size - len, "%s%s", len ? ", " : "", word);
}

/* "a, b, c", for confirmations. */
static void join(char *buf, size_t size, const char *const *words, int n)
{
	int i;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		append(buf, size, words[i]);
}

static int role_search(cli *c, acct_role_id *out, acct_id owner, const char *name, char *known, size_t size)
{
	acct_role_iterator *it;
	acct_buf b = ACCT_BUF_INIT;
	acct_role_id id;
	int rc;

	*out = 0;
	if ((rc = acct_role_iterator_new(&it, c->s, owner)) < 0)
		return rc;
	while (!*out && (rc = acct_role_iterator_next(&id, it)) == 0) {
		if ((rc = acct_role_info(&b, NULL, NULL, c->s, id)) < 0)
			break;
		if (strcmp(b.ptr, name) == 0)
			*out = id;
		append(known, size, b.ptr);
	}
	acct_role_iterator_free(it);
	acct_buf_dispose(&b);
	return rc == ACCT_ITEROVER ? 0 : rc;
}

int role_resolve(cli *c, acct_role_id *out, acct_id owner, const char *name)
{
	char known[512] = "";
	json_t *logins;
	int rc;

	if (name[0] == '#')
		return parse_id(out, name) ? 0 : seterr(ACCT_EINVALID, "'%s' is not a role id (#ID)", name);
	if ((rc = role_search(c, out, owner, name, known, sizeof(known))) < 0 || *out)
		return rc;
	logins = jobj();
	rc = seterr(ACCT_ENOTFOUND, "no role '%s' for the users of '%s' (there are: %s)", name, login_of(c, logins, owner),
	            known);
	json_decref(logins);
	return rc;
}

/* The owner whose roles a command works on: --owner, or the acting account's. */
static int role_owner(cli *c, acct_id *owner)
{
	const char *name = opt_str(c, "owner");

	*owner = acting_owner(c);
	return name ? account_resolve(c, owner, name, 0) : 0;
}

/* ---- describing roles ---- */

static json_t *role_perms(cli *c, acct_role_id role)
{
	json_t *names = jarr();
	acct_perm_desc d = ACCT_PERM_DESC_INIT;
	int i, n = acct_perm_count(c->ctx, ACCT_CATALOG_ROLE), granted;

	for (i = 0; i < n; i++) {
		if (acct_perm_describe(&d, c->ctx, ACCT_CATALOG_ROLE, (size_t)i) == 0 &&
		    acct_role_get_permission(&granted, c->s, role, d.name) == 0 && granted)
			jpush(names, jstr(d.name));
	}
	return names;
}

static json_t *role_json(cli *c, acct_role_id role, json_t *logins)
{
	acct_buf name = ACCT_BUF_INIT;
	acct_id owner;
	int editable;
	json_t *o;

	if (acct_role_info(&name, &owner, &editable, c->s, role) < 0)
		return NULL;
	o = jobj();
	jset_int(o, "id", role);
	jset_str(o, "name", name.ptr);
	jset_str(o, "owner", login_of(c, logins, owner));
	jset_bool(o, "editable", editable);
	jset(o, "permissions", role_perms(c, role));
	acct_buf_dispose(&name);
	return o;
}

static int show_role(cli *c, acct_role_id role)
{
	json_t *logins = jobj(), *o = role_json(c, role, logins);

	json_decref(logins);
	return o ? out_fields(c, o) : fail(c);
}

json_t *user_role_names(cli *c, acct_id user)
{
	acct_role_iterator *it;
	acct_buf b = ACCT_BUF_INIT;
	acct_role_id id;
	json_t *names;

	if (acct_role_iterator_new_user(&it, c->s, user) < 0)
		return json_null();
	names = jarr();
	while (acct_role_iterator_next(&id, it) == 0)
		if (acct_role_info(&b, NULL, NULL, c->s, id) == 0)
			jpush(names, jstr(b.ptr));
	acct_role_iterator_free(it);
	acct_buf_dispose(&b);
	return names;
}

/* ---- role commands ---- */

static const out_col role_cols[] = {
	{ "id", "ID" }, { "name", "NAME" }, { "owner", "OWNER" }, { "editable", "EDITABLE" },
	{ "permissions", "PERMISSIONS" }, { NULL, NULL }
};

static int cmd_role_list(cli *c)
{
	acct_role_iterator *it;
	json_t *rows, *logins, *o;
	acct_role_id id;
	acct_id owner;

	if (role_owner(c, &owner) < 0 || acct_role_iterator_new(&it, c->s, owner) < 0)
		return fail(c);
	rows = jarr();
	logins = jobj();
	while (acct_role_iterator_next(&id, it) == 0)
		if ((o = role_json(c, id, logins)) != NULL)
			jpush(rows, o);
	acct_role_iterator_free(it);
	json_decref(logins);
	return out_table(c, rows, role_cols);
}

static int named_role(cli *c, acct_role_id *role)
{
	acct_id owner;

	return role_owner(c, &owner) < 0 || role_resolve(c, role, owner, c->args[0]) < 0 ? fail(c) : CLI_OK;
}

static int cmd_role_show(cli *c)
{
	acct_role_id role;

	return named_role(c, &role) != CLI_OK ? c->fail : show_role(c, role);
}

/* Every name must be a permission of catalog, before anything changes. */
static int check_perms(cli *c, const char *const *names, int n, int catalog)
{
	acct_perm_desc d = ACCT_PERM_DESC_INIT;
	int i;

	for (i = 0; i < n; i++) {
		if (acct_perm_lookup(&d, c->ctx, names[i]) < 0)
			return seterr(ACCT_ENOTFOUND, "unknown permission '%s' (see 'acctctl perm list --catalog %s')", names[i],
			              catalog_names[catalog]);
		if (d.catalog != catalog)
			return seterr(ACCT_EINVALID, "'%s' is %s, not %s", names[i],
			              d.catalog >= 1 && d.catalog <= NCATALOGS ? catalog_kinds[d.catalog] : "a host permission",
			              catalog_kinds[catalog]);
	}
	return 0;
}

static int set_role_perms(cli *c, acct_role_id role, const char *const *names, int n, int granted)
{
	int i, rc = check_perms(c, names, n, ACCT_CATALOG_ROLE);

	for (i = 0; i < n && rc == 0; i++)
		rc = acct_role_set_permission(c->s, role, names[i], granted);
	return rc;
}

/* A role is created whole with its permissions, or not at all. */
static int create_role(cli *c, acct_role_id *role)
{
	const cli_values *perms = opt_values(c, "perm");
	char msg[512];
	acct_id owner;
	int rc, code;

	if ((rc = role_owner(c, &owner)) < 0 || (rc = check_perms(c, perms->v, perms->n, ACCT_CATALOG_ROLE)) < 0 ||
	    (rc = acct_role_create(role, c->s, owner, c->args[0])) < 0)
		return rc;
	if ((rc = set_role_perms(c, *role, perms->v, perms->n, 1)) == 0)
		return 0;
	code = acct_error_last()->code;
	snprintf(msg, sizeof(msg), "%s", acct_error_last()->message);
	acct_role_delete(c->s, *role);
	return seterr(code, "%s; role '%s' was not created", msg, c->args[0]);
}

static int cmd_role_create(cli *c)
{
	acct_role_id role;

	if (create_role(c, &role) < 0)
		return fail(c);
	note(c, "created role '%s' (id %lld)", c->args[0], (long long)role);
	return c->json ? show_role(c, role) : CLI_OK;
}

static int cmd_role_delete(cli *c)
{
	acct_role_id role;
	json_t *o;

	if (named_role(c, &role) != CLI_OK)
		return c->fail;
	if (acct_role_delete(c->s, role) < 0)
		return fail(c);
	o = jobj();
	jset_int(o, "id", role);
	jset_str(o, "name", c->args[0]);
	return out_done(c, o, "deleted role '%s'", c->args[0]);
}

static int change_role_perms(cli *c, int granted)
{
	acct_role_id role;
	char names[512];

	if (named_role(c, &role) != CLI_OK)
		return c->fail;
	if (set_role_perms(c, role, c->args + 1, c->nargs - 1, granted) < 0)
		return fail(c);
	join(names, sizeof(names), c->args + 1, c->nargs - 1);
	note(c, "%s %s %s role '%s'", granted ? "granted" : "revoked", names, granted ? "to" : "from", c->args[0]);
	return c->json ? show_role(c, role) : CLI_OK;
}

static int cmd_role_grant(cli *c) { return change_role_perms(c, 1); }
static int cmd_role_revoke(cli *c) { return change_role_perms(c, 0); }

static int change_user_roles(cli *c, int assigned)
{
	acct_account *user;
	acct_role_id role;
	char names[512];
	json_t *o;
	int i, rc = 0;

	if (account_load(&user, c->s, c->args[0], ACCT_TYPE_USER) < 0)
		return fail(c);
	for (i = 1; i < c->nargs && rc == 0; i++) {
		rc = role_resolve(c, &role, acct_account_owner(user), c->args[i]);
		if (rc == 0)
			rc = acct_user_set_role(c->s, acct_account_id(user), role, assigned);
	}
	if (rc < 0) {
		acct_account_free(user);
		return fail(c);
	}
	o = jobj();
	jset_str(o, "user", c->args[0]);
	jset(o, "roles", user_role_names(c, acct_account_id(user)));
	acct_account_free(user);
	join(names, sizeof(names), c->args + 1, c->nargs - 1);
	return out_done(c, o, "%s %s %s user '%s'", assigned ? "gave" : "took", names, assigned ? "to" : "from",
	                c->args[0]);
}

static int cmd_role_assign(cli *c) { return change_user_roles(c, 1); }
static int cmd_role_unassign(cli *c) { return change_user_roles(c, 0); }

/* ---- perm commands ---- */

static int catalog_of(cli *c, int *catalog)
{
	const char *name = opt_str(c, "catalog");
	int i;

	*catalog = 0;
	for (i = 1; name && i <= NCATALOGS; i++)
		if (strcmp(name, catalog_names[i]) == 0)
			*catalog = i;
	return name && !*catalog ? usage(c, "unknown catalog '%s': use account, role or partner", name) : CLI_OK;
}

static json_t *perm_row(const acct_perm_desc *d)
{
	json_t *o = jobj();

	jset_str(o, "name", d->name);
	jset_str(o, "catalog", catalog_names[d->catalog]);
	jset_bool(o, "default", d->default_value);
	jset_bool(o, "reseller_only", d->reseller_only);
	jset_str(o, "label", d->label);
	return o;
}

static const out_col catalog_cols[] = {
	{ "name", "NAME" }, { "catalog", "CATALOG" }, { "default", "DEFAULT" }, { "label", "LABEL" }, { NULL, NULL }
};

static int list_catalogs(cli *c, int only)
{
	acct_perm_desc d = ACCT_PERM_DESC_INIT;
	json_t *rows = jarr();
	int cat, i, n;

	for (cat = 1; cat <= NCATALOGS; cat++) {
		n = only && only != cat ? 0 : acct_perm_count(c->ctx, cat);
		for (i = 0; i < n; i++)
			if (acct_perm_describe(&d, c->ctx, cat, (size_t)i) == 0)
				jpush(rows, perm_row(&d));
	}
	return out_table(c, rows, catalog_cols);
}

/* Does any role of user hold permission? (What its owner holds cuts this further when it is used.) */
static int user_holds(cli *c, acct_id user, const char *permission)
{
	acct_role_iterator *it;
	acct_role_id role;
	int held = 0, granted;

	if (acct_role_iterator_new_user(&it, c->s, user) < 0)
		return 0;
	while (!held && acct_role_iterator_next(&role, it) == 0)
		held = acct_role_get_permission(&granted, c->s, role, permission) == 0 && granted;
	acct_role_iterator_free(it);
	return held;
}

static const out_col grant_cols[] = {
	{ "name", "NAME" }, { "granted", "GRANTED" }, { "label", "LABEL" }, { NULL, NULL }
};

static int list_grants(cli *c, const char *name)
{
	acct_perm_desc d = ACCT_PERM_DESC_INIT;
	acct_account *a;
	json_t *rows, *o;
	int i, n, cat, granted;

	if (account_load(&a, c->s, name, 0) < 0)
		return fail(c);
	cat = acct_account_type(a) == ACCT_TYPE_USER ? ACCT_CATALOG_ROLE : ACCT_CATALOG_ACCOUNT;
	n = acct_perm_count(c->ctx, cat);
	rows = jarr();
	for (i = 0; i < n; i++) {
		if (acct_perm_describe(&d, c->ctx, cat, (size_t)i) < 0)
			continue;
		if (cat == ACCT_CATALOG_ROLE)
			granted = user_holds(c, acct_account_id(a), d.name);
		else if (acct_perm_get(&granted, c->s, acct_account_id(a), d.name) < 0)
			continue;
		o = jobj();
		jset_str(o, "name", d.name);
		jset_bool(o, "granted", granted);
		jset_str(o, "label", d.label);
		jpush(rows, o);
	}
	acct_account_free(a);
	return out_table(c, rows, grant_cols);
}

static int cmd_perm_list(cli *c)
{
	int catalog, rc = catalog_of(c, &catalog);

	if (rc != CLI_OK)
		return rc;
	if (c->nargs && catalog)
		return usage(c, "give either LOGIN or --catalog");
	return c->nargs ? list_grants(c, c->args[0]) : list_catalogs(c, catalog);
}

static int change_grants(cli *c, int granted)
{
	const char *const *names = c->args + 1;
	acct_account *a;
	char joined[512];
	json_t *o, *list;
	int i, n = c->nargs - 1, rc;

	if (account_load(&a, c->s, c->args[0], 0) < 0)
		return fail(c);
	rc = check_perms(c, names, n, ACCT_CATALOG_ACCOUNT);
	for (i = 0; i < n && rc == 0; i++)
		rc = acct_perm_grant(c->s, acct_account_id(a), names[i], granted);
	if (rc < 0) {
		acct_account_free(a);
		return fail(c);
	}
	o = jobj();
	list = jarr();
	for (i = 0; i < n; i++)
		jpush(list, jstr(names[i]));
	jset_str(o, "account", c->args[0]);
	jset(o, granted ? "granted" : "revoked", list);
	join(joined, sizeof(joined), names, n);
	rc = out_done(c, o, "%s %s %s %s '%s'", granted ? "granted" : "revoked", joined, granted ? "to" : "from",
	              acct_account_type_name(acct_account_type(a)), acct_account_get(a, ACCT_FIELD_LOGIN));
	acct_account_free(a);
	return rc;
}

static int cmd_perm_grant(cli *c) { return change_grants(c, 1); }
static int cmd_perm_revoke(cli *c) { return change_grants(c, 0); }

/* ---- the command tables ---- */

static const cli_opt owner_opts[] = {
	{ "owner", 0, "LOGIN", 0, 0, "the account whose roles these are; default: yours (a user's: its owner's)" },
	OPT_END
};
static const cli_opt create_opts[] = {
	{ "owner", 0, "LOGIN", 0, 0, "the account whose users get the role; default: you (a user: its owner)" },
	{ "perm", 0, "PERMISSION", OPT_REPEAT, 0, "a role permission to put in it" },
	OPT_END
};
static const cli_opt perm_list_opts[] = {
	{ "catalog", 0, "NAME", 0, 0, "list one catalog: account, role or partner" },
	OPT_END
};

#define ROLE_NAMED "ROLE is a role name (quote names with spaces) or #ID."

#define ROLE_CMD(n, a, lo, hi, sum, o, fn) \
	{ .name = n, .args = a, .min_args = lo, .max_args = hi, .summary = sum, .help = ROLE_NAMED, .opts = o, \
	  .flags = CMD_STORE, .run = fn }

const cli_cmd cli_role_cmds[] = {
	ROLE_CMD("list", NULL, 0, 0, "List the roles users may be given", owner_opts, cmd_role_list),
	ROLE_CMD("show", "ROLE", 1, 1, "Show a role and its permissions", owner_opts, cmd_role_show),
	{ .name = "create", .args = "NAME", .min_args = 1, .max_args = 1, .summary = "Create a role",
	  .help = "See 'acctctl perm list --catalog role' for the permissions.", .opts = create_opts,
	  .flags = CMD_STORE, .run = cmd_role_create },
	{ .name = "delete", .alias = "del", .args = "ROLE", .min_args = 1, .max_args = 1,
	  .summary = "Delete a role that no user has", .help = ROLE_NAMED, .opts = owner_opts, .flags = CMD_STORE,
	  .run = cmd_role_delete },
	ROLE_CMD("grant", "ROLE PERMISSION...", 2, -1, "Put permissions into a role", owner_opts, cmd_role_grant),
	ROLE_CMD("revoke", "ROLE PERMISSION...", 2, -1, "Take permissions out of a role", owner_opts, cmd_role_revoke),
	ROLE_CMD("assign", "USER ROLE...", 2, -1, "Give roles to a user", NULL, cmd_role_assign),
	ROLE_CMD("unassign", "USER ROLE...", 2, -1, "Take roles from a user", NULL, cmd_role_unassign),
	CMD_END
};

const cli_cmd cli_perm_cmds[] = {
	{ .name = "list", .args = "[LOGIN]", .max_args = 1,
	  .summary = "List the permission catalogs, or what an account holds",
	  .help = "With LOGIN: the account permissions of a reseller or customer, or for a user\n"
	          "the role permissions its roles give it.",
	  .opts = perm_list_opts, .flags = CMD_STORE, .run = cmd_perm_list },
	{ .name = "grant", .args = "LOGIN PERMISSION...", .min_args = 2, .max_args = -1,
	  .summary = "Grant account permissions to a reseller or customer", .flags = CMD_STORE, .run = cmd_perm_grant },
	{ .name = "revoke", .args = "LOGIN PERMISSION...", .min_args = 2, .max_args = -1,
	  .summary = "Revoke account permissions", .flags = CMD_STORE, .run = cmd_perm_revoke },
	CMD_END
};
