/*
 * key (secret keys) and apilogin (Partner API logins). libacct generates
 * every secret; acctctl prints it once and wipes its copy.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "acctctl.h"

/* Print the secret in b once, then wipe and release it. */
static int show_secret(cli *c, acct_buf *b, json_t *o, const char *key, const char *msg)
{
	int rc = out_secret(c, o, key, b->ptr, "%s", msg);

	wipe(b->ptr, b->size);
	acct_buf_dispose(b);
	return rc;
}

/* ---- secret keys ---- */

static json_t *key_row(cli *c, acct_id key, json_t *logins)
{
	acct_buf ips = ACCT_BUF_INIT, desc = ACCT_BUF_INIT;
	acct_id account;
	json_t *o = NULL;

	if (acct_key_info(&account, &ips, &desc, c->s, key) == 0) {
		o = jobj();
		jset_int(o, "id", key);
		jset_str(o, "account", login_of(c, logins, account));
		jset_str(o, "ips", ips.ptr);
		jset_str(o, "description", desc.ptr && desc.ptr[0] ? desc.ptr : NULL);
	}
	acct_buf_dispose(&ips);
	acct_buf_dispose(&desc);
	return o;
}

/* The addresses, each --ip a list of its own (commas or spaces), joined for libacct. */
static char *ip_list(cli *c)
{
	const cli_values *ips = opt_values(c, "ip");
	size_t len = 1;
	char *list;
	int i;

	for (i = 0; i < ips->n; i++)
		len += strlen(ips->v[i]) + 1;
	list = xmalloc(len);
	list[0] = '\0';
	for (i = 0; i < ips->n; i++) {
		strcat(list, i ? "," : "");
		strcat(list, ips->v[i]);
	}
	return list;
}

static int cmd_key_create(cli *c)
{
	acct_buf secret = ACCT_BUF_INIT;
	json_t *logins, *o;
	acct_id account, key;
	char *ips = ip_list(c), msg[160];
	int rc = account_resolve(c, &account, c->args[0], 0);

	if (rc == 0)
		rc = acct_key_create(&secret, &key, c->s, account, ips, opt_str(c, "description"));
	free(ips);
	if (rc < 0)
		return fail(c);
	logins = jobj();
	o = key_row(c, key, logins);
	json_decref(logins);
	snprintf(msg, sizeof(msg), "created key %lld for '%s'; the key is printed once, keep it now", (long long)key,
	         c->args[0]);
	return show_secret(c, &secret, o ? o : jobj(), "secret", msg);
}

static const out_col key_cols[] = {
	{ "id", "ID" }, { "account", "ACCOUNT" }, { "ips", "IPS" }, { "description", "DESCRIPTION" }, { NULL, NULL }
};

static int cmd_key_list(cli *c)
{
	acct_key_iterator *it;
	acct_id account = 0, key;
	json_t *rows, *logins, *o;

	if ((c->nargs && account_resolve(c, &account, c->args[0], 0) < 0) ||
	    acct_key_iterator_new(&it, c->s, account) < 0)
		return fail(c);
	rows = jarr();
	logins = jobj();
	while (acct_key_iterator_next(&key, it) == 0)
		if ((o = key_row(c, key, logins)) != NULL)
			jpush(rows, o);
	acct_key_iterator_free(it);
	json_decref(logins);
	return out_table(c, rows, key_cols);
}

static int cmd_key_delete(cli *c)
{
	acct_id key;
	json_t *o;

	if (!parse_id(&key, c->args[0]))
		return usage(c, "'%s' is not a key id (see 'acctctl key list')", c->args[0]);
	if (acct_key_delete(c->s, key) < 0)
		return fail(c);
	o = jobj();
	jset_int(o, "deleted", key);
	return out_done(c, o, "deleted key %lld", (long long)key);
}

/* ---- Partner API logins ---- */

/* "Standard Commands for Reseller" -> "standard-reseller". */
static void role_slug(char *buf, size_t size, const char *name)
{
	const char *last = strrchr(name, ' ');
	size_t first = strcspn(name, " "), i;

	snprintf(buf, size, "%.*s-%s", (int)first, name, last ? last + 1 : "");
	for (i = 0; buf[i]; i++)
		if (buf[i] >= 'A' && buf[i] <= 'Z')
			buf[i] = (char)(buf[i] - 'A' + 'a');
}

static int parse_partner_role(cli *c, int *role, const char *text)
{
	char slug[64];
	acct_id n;
	int r;

	if (parse_id(&n, text) && n <= ACCT_PARTNER_LIMITED_RESELLER) {
		*role = (int)n;
		return CLI_OK;
	}
	for (r = ACCT_PARTNER_ALL_CLIENT; r <= ACCT_PARTNER_LIMITED_RESELLER; r++) {
		role_slug(slug, sizeof(slug), acct_partner_role_name(r));
		if (strcasecmp(text, acct_partner_role_name(r)) == 0 || strcasecmp(text, slug) == 0) {
			*role = r;
			return CLI_OK;
		}
	}
	return usage(c, "unknown Partner API role '%s': use all-client, advanced-client, standard-client, "
	                "limited-client, all-reseller, advanced-reseller, standard-reseller or limited-reseller",
	             text);
}

static int apilogin_id(cli *c, acct_id *id, const char *name)
{
	if (name[0] == '#')
		return parse_id(id, name) ? 0 : seterr(ACCT_EINVALID, "'%s' is not an API login id (#ID)", name);
	return acct_apilogin_lookup(id, c->s, name);
}

static json_t *apilogin_row(cli *c, acct_id id, json_t *logins)
{
	acct_buf name = ACCT_BUF_INIT;
	acct_id account;
	int role, enabled;
	char slug[64];
	json_t *o;

	if (acct_apilogin_info(&name, &account, &role, &enabled, c->s, id) < 0)
		return NULL;
	role_slug(slug, sizeof(slug), acct_partner_role_name(role));
	o = jobj();
	jset_int(o, "id", id);
	jset_str(o, "login", name.ptr);
	jset_str(o, "account", login_of(c, logins, account));
	jset_str(o, "role", slug);
	jset_str(o, "role_name", acct_partner_role_name(role));
	jset_bool(o, "enabled", enabled);
	acct_buf_dispose(&name);
	return o;
}

static json_t *apilogin_json(cli *c, acct_id id)
{
	json_t *logins = jobj(), *o = apilogin_row(c, id, logins);

	json_decref(logins);
	return o ? o : jobj();
}

static int cmd_apilogin_add(cli *c)
{
	acct_buf pw = ACCT_BUF_INIT;
	acct_id account, id;
	char msg[160];
	int role, rc;

	if ((rc = parse_partner_role(c, &role, opt_str(c, "role"))) != CLI_OK)
		return rc;
	if (account_resolve(c, &account, opt_str(c, "account"), 0) < 0 ||
	    acct_apilogin_create(&pw, &id, c->s, account, c->args[0], role) < 0)
		return fail(c);
	snprintf(msg, sizeof(msg), "created API login '%s'; its password is printed once, keep it now", c->args[0]);
	return show_secret(c, &pw, apilogin_json(c, id), "password", msg);
}

static const out_col apilogin_cols[] = {
	{ "id", "ID" }, { "login", "LOGIN" }, { "account", "ACCOUNT" }, { "role", "ROLE" }, { "enabled", "ENABLED" },
	{ NULL, NULL }
};

static int cmd_apilogin_list(cli *c)
{
	acct_apilogin_iterator *it;
	acct_id account = 0, id;
	json_t *rows, *logins, *o;

	if ((c->nargs && account_resolve(c, &account, c->args[0], 0) < 0) ||
	    acct_apilogin_iterator_new(&it, c->s, account) < 0)
		return fail(c);
	rows = jarr();
	logins = jobj();
	while (acct_apilogin_iterator_next(&id, it) == 0)
		if ((o = apilogin_row(c, id, logins)) != NULL)
			jpush(rows, o);
	acct_apilogin_iterator_free(it);
	json_decref(logins);
	return out_table(c, rows, apilogin_cols);
}

static json_t *role_operations(cli *c, int role)
{
	acct_perm_desc d = ACCT_PERM_DESC_INIT;
	json_t *ops = jarr();
	int i, n = acct_perm_count(c->ctx, ACCT_CATALOG_PARTNER);

	for (i = 0; i < n; i++)
		if (acct_perm_describe(&d, c->ctx, ACCT_CATALOG_PARTNER, (size_t)i) == 0 &&
		    acct_partner_role_permits(role, d.name) == 1)
			jpush(ops, jstr(d.name));
	return ops;
}

static int cmd_apilogin_show(cli *c)
{
	acct_id id;
	int role;
	json_t *o;

	if (apilogin_id(c, &id, c->args[0]) < 0 || acct_apilogin_info(NULL, NULL, &role, NULL, c->s, id) < 0)
		return fail(c);
	o = apilogin_json(c, id);
	jset(o, "operations", role_operations(c, role));
	return out_fields(c, o);
}

static int cmd_apilogin_passwd(cli *c)
{
	acct_buf pw = ACCT_BUF_INIT;
	acct_id id;
	char msg[160];

	if (apilogin_id(c, &id, c->args[0]) < 0 || acct_apilogin_new_password(&pw, c->s, id) < 0)
		return fail(c);
	snprintf(msg, sizeof(msg), "new password for API login '%s', printed once: keep it now", c->args[0]);
	return show_secret(c, &pw, apilogin_json(c, id), "password", msg);
}

static int set_enabled(cli *c, int enabled)
{
	acct_id id;

	if (apilogin_id(c, &id, c->args[0]) < 0 || acct_apilogin_set_enabled(c->s, id, enabled) < 0)
		return fail(c);
	return out_done(c, apilogin_json(c, id), "%s API login '%s'", enabled ? "enabled" : "disabled", c->args[0]);
}

static int cmd_apilogin_enable(cli *c) { return set_enabled(c, 1); }
static int cmd_apilogin_disable(cli *c) { return set_enabled(c, 0); }

static int cmd_apilogin_role(cli *c)
{
	acct_id id;
	int role, rc;

	if ((rc = parse_partner_role(c, &role, c->args[1])) != CLI_OK)
		return rc;
	if (apilogin_id(c, &id, c->args[0]) < 0 || acct_apilogin_set_role(c->s, id, role) < 0)
		return fail(c);
	return out_done(c, apilogin_json(c, id), "API login '%s' now has the role %s", c->args[0],
	                acct_partner_role_name(role));
}

static int cmd_apilogin_del(cli *c)
{
	acct_id id;
	json_t *o;

	if (apilogin_id(c, &id, c->args[0]) < 0 || acct_apilogin_delete(c->s, id) < 0)
		return fail(c);
	o = jobj();
	jset_int(o, "id", id);
	jset_str(o, "login", c->args[0]);
	return out_done(c, o, "deleted API login '%s'", c->args[0]);
}

/* ---- the command tables ---- */

static const cli_opt key_create_opts[] = {
	{ "ip", 0, "ADDRESSES", OPT_REQUIRED | OPT_REPEAT, 0, "client addresses the key works from (commas or spaces)" },
	{ "description", 0, "TEXT", 0, 0, "what the key is for" },
	OPT_END
};
static const cli_opt apilogin_add_opts[] = {
	{ "account", 0, "LOGIN", OPT_REQUIRED, 0, "the reseller or customer it acts for" },
	{ "role", 0, "ROLE", OPT_REQUIRED, 0, "its Partner API role (see 'acctctl apilogin add --help')" },
	OPT_END
};

#define PARTNER_ROLES \
	"ROLE: all-client, advanced-client, standard-client, limited-client, all-reseller,\n" \
	"advanced-reseller, standard-reseller, limited-reseller (or the full name, or 1..8).\n" \
	"Reseller roles need a reseller account. The password is generated and printed once."
#define APILOGIN_NAMED "NAME is the API login's name or #ID."

#define APILOGIN_CMD(n, a, lo, sum, fn) \
	{ .name = n, .args = a, .min_args = lo, .max_args = lo, .summary = sum, .help = APILOGIN_NAMED, \
	  .flags = CMD_STORE, .run = fn }

const cli_cmd cli_key_cmds[] = {
	{ .name = "create", .args = "LOGIN", .min_args = 1, .max_args = 1,
	  .summary = "Create a secret key for an account (printed once)", .opts = key_create_opts,
	  .flags = CMD_STORE, .run = cmd_key_create },
	{ .name = "list", .args = "[LOGIN]", .max_args = 1, .summary = "List secret keys (never the secrets)",
	  .flags = CMD_STORE, .run = cmd_key_list },
	{ .name = "delete", .alias = "del", .args = "ID", .min_args = 1, .max_args = 1,
	  .summary = "Delete a secret key", .flags = CMD_STORE, .run = cmd_key_delete },
	CMD_END
};

const cli_cmd cli_apilogin_cmds[] = {
	{ .name = "add", .args = "NAME", .min_args = 1, .max_args = 1,
	  .summary = "Create a Partner API login (its password is printed once)", .help = PARTNER_ROLES,
	  .opts = apilogin_add_opts, .flags = CMD_STORE, .run = cmd_apilogin_add },
	{ .name = "list", .args = "[ACCOUNT]", .max_args = 1, .summary = "List API logins", .flags = CMD_STORE,
	  .run = cmd_apilogin_list },
	APILOGIN_CMD("show", "NAME", 1, "Show an API login and the operations its role permits", cmd_apilogin_show),
	APILOGIN_CMD("passwd", "NAME", 1, "Generate a new password (printed once)", cmd_apilogin_passwd),
	APILOGIN_CMD("enable", "NAME", 1, "Enable an API login", cmd_apilogin_enable),
	APILOGIN_CMD("disable", "NAME", 1, "Disable an API login (its sessions stop at once)", cmd_apilogin_disable),
	{ .name = "role", .args = "NAME ROLE", .min_args = 2, .max_args = 2,
	  .summary = "Give an API login another Partner API role", .help = PARTNER_ROLES, .flags = CMD_STORE,
	  .run = cmd_apilogin_role },
	{ .name = "del", .alias = "delete", .args = "NAME", .min_args = 1, .max_args = 1,
	  .summary = "Delete an API login", .help = APILOGIN_NAMED, .flags = CMD_STORE, .run = cmd_apilogin_del },
	CMD_END
};
