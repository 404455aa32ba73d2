/*
 * reseller, customer and user: add, list, get, set, suspend, activate, del,
 * move and convert. The three groups share their run functions; the
 * command's key says which account type it works on.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "acctctl.h"

/* ---- naming accounts ---- */

/* "#12" or "12"; accounts take only the first form, since a login may be all digits. */
int parse_id(acct_id *out, const char *text)
{
	char *end;
	long long v;

	if (text[0] == '#')
		text++;
	if (!(text[0] >= '0' && text[0] <= '9'))
		return 0;
	errno = 0;
	v = strtoll(text, &end, 10);
	if (*end || errno || v <= 0)
		return 0;
	*out = v;
	return 1;
}

static const char *type_phrase(int type)
{
	switch (type) {
	case ACCT_TYPE_ADMIN: return "the administrator";
	case ACCT_TYPE_RESELLER: return "a reseller";
	case ACCT_TYPE_CUSTOMER: return "a customer";
	default: return "a user";
	}
}

int account_load(acct_account **out, acct_session *s, const char *name, int type)
{
	acct_id id;
	int rc;

	*out = NULL;
	if (name[0] == '#' && !parse_id(&id, name))
		return seterr(ACCT_EINVALID, "'%s' is not an account id (#ID)", name);
	rc = name[0] == '#' ? acct_account_lookup(out, s, id) : acct_account_lookup_login(out, s, name);
	if (rc == 0 && type && acct_account_type(*out) != type) {
		rc = seterr(ACCT_EINVALID, "'%s' is %s, not %s", name, type_phrase(acct_account_type(*out)), type_phrase(type));
		acct_account_free(*out);
		*out = NULL;
	}
	return rc;
}

int account_resolve(cli *c, acct_id *out, const char *name, int type)
{
	acct_account *a;
	int rc = account_load(&a, c->s, name, type);

	*out = rc == 0 ? acct_account_id(a) : 0;
	acct_account_free(a);
	return rc;
}

/* The login of account id, remembered in cache; "#ID" when the acting account may not see it. */
const char *login_of(cli *c, json_t *cache, acct_id id)
{
	char key[32];
	acct_account *a;
	json_t *v;

	snprintf(key, sizeof(key), "#%lld", (long long)id);
	if (!(v = json_object_get(cache, key))) {
		v = jstr(acct_account_lookup(&a, c->s, id) == 0 ? acct_account_get(a, ACCT_FIELD_LOGIN) : key);
		acct_account_free(a);
		jset(cache, key, v);
	}
	return json_string_value(v);
}

/* Whose roles and users the acting account manages: its own, or for a user its owner's. */
acct_id acting_owner(cli *c)
{
	acct_id id = acct_session_account(c->s), owner = id;
	acct_account *a;

	if (acct_account_lookup(&a, c->s, id) == 0 && acct_account_type(a) == ACCT_TYPE_USER)
		owner = acct_account_owner(a);
	acct_account_free(a);
	return owner;
}

/* ---- describing accounts ---- */

static const struct {
	unsigned int bit;
	const char *word;
} status_words[] = {
	{ ACCT_STATUS_BACKUP, "under backup" },
	{ ACCT_STATUS_BY_ADMIN, "disabled by admin" },
	{ ACCT_STATUS_BY_RESELLER, "disabled by reseller" },
	{ ACCT_STATUS_BY_CUSTOMER, "disabled by customer" },
	{ ACCT_STATUS_EXPIRED, "expired" },
};

/* "active", "disabled by admin", or for bits set only above the account "inherited: disabled by admin". */
static void status_text(char *buf, size_t size, unsigned int own, unsigned int effective)
{
	unsigned int bits = own ? own : effective;
	char words[128] = "";
	size_t i, len;

	for (i = 0; i < sizeof(status_words) / sizeof(status_words[0]); i++) {
		len = strlen(words);
		if (bits & status_words[i].bit)
			snprintf(words + len, sizeof(words) - len, "%s%s", len ? ", " : "", status_words[i].word);
	}
	snprintf(buf, size, "%s%s", !bits ? "active" : own ? "" : "inherited: ", words);
}

static void add_status(cli *c, json_t *o, const acct_account *a)
{
	unsigned int own = acct_account_status(a), effective = own;
	char text[128];

	acct_account_effective_status(&effective, c->s, acct_account_id(a));
	status_text(text, sizeof(text), own, effective);
	jset_int(o, "status", own);
	jset_int(o, "effective_status", effective);
	jset_str(o, "status_text", text);
}

static json_t *account_summary(cli *c, const acct_account *a, json_t *logins)
{
	json_t *o = jobj();

	jset_int(o, "id", acct_account_id(a));
	jset_str(o, "type", acct_account_type_name(acct_account_type(a)));
	jset_str(o, "login", acct_account_get(a, ACCT_FIELD_LOGIN));
	jset_str(o, "name", acct_account_get(a, ACCT_FIELD_NAME));
	jset_str(o, "email", acct_account_get(a, ACCT_FIELD_EMAIL));
	jset_str(o, "owner", acct_account_owner(a) ? login_of(c, logins, acct_account_owner(a)) : NULL);
	add_status(c, o, a);
	return o;
}

/* JSON keys are field names with '_' for ' ' ("postal code" -> "postal_code"). */
static void field_key(char *key, size_t size, int field)
{
	char *p;

	snprintf(key, size, "%s", acct_field_name(field));
	for (p = key; *p; p++)
		if (*p == ' ')
			*p = '_';
}

static json_t *account_full(cli *c, const acct_account *a)
{
	json_t *o = jobj(), *logins = jobj();
	acct_id owner = acct_account_owner(a);
	char key[32];
	int f;

	jset_int(o, "id", acct_account_id(a));
	jset_str(o, "type", acct_account_type_name(acct_account_type(a)));
	for (f = ACCT_FIELD_FIRST; f <= ACCT_FIELD_LAST; f++) {
		if (f == ACCT_FIELD_PASSWORD || (f == ACCT_FIELD_SUBSCRIPTION && acct_account_type(a) != ACCT_TYPE_USER))
			continue; /* write-only; users only */
		field_key(key, sizeof(key), f);
		jset_str(o, key, acct_account_get(a, f));
	}
	jset_str(o, "owner", owner ? login_of(c, logins, owner) : NULL);
	jset_int(o, "owner_id", owner);
	add_status(c, o, a);
	if (acct_account_type(a) == ACCT_TYPE_USER)
		jset(o, "roles", user_role_names(c, acct_account_id(a)));
	jset_str(o, "description", acct_account_description(a, acct_session_account(c->s)));
	json_decref(logins);
	return o;
}

static const char *login(const acct_account *a)
{
	return acct_account_get(a, ACCT_FIELD_LOGIN);
}

static const char *type_name(const acct_account *a)
{
	return acct_account_type_name(acct_account_type(a));
}

/* ---- get and list ---- */

static int cmd_get(cli *c)
{
	acct_account *a;
	int rc;

	if (account_load(&a, c->s, c->args[0], c->cmd->key) < 0)
		return fail(c);
	rc = out_fields(c, account_full(c, a));
	acct_account_free(a);
	return rc;
}

static const out_col list_cols[] = {
	{ "id", "ID" }, { "login", "LOGIN" }, { "name", "NAME" }, { "email", "EMAIL" },
	{ "owner", "OWNER" }, { "status_text", "STATUS" }, { NULL, NULL }
};

static int list_rows(cli *c, json_t *rows, acct_id parent, int mode)
{
	acct_account_iterator *it;
	json_t *logins = jobj();
	acct_account *a;
	acct_id id;
	int rc;

	if ((rc = acct_account_iterator_new(&it, c->s, parent, mode)) < 0)
		return rc;
	while ((rc = acct_account_iterator_next(&id, it)) == 0) {
		if (acct_account_lookup(&a, c->s, id) < 0)
			continue; /* deleted since the iterator's snapshot */
		if (acct_account_type(a) == c->cmd->key)
			jpush(rows, account_summary(c, a, logins));
		acct_account_free(a);
	}
	acct_account_iterator_free(it);
	json_decref(logins);
	return rc == ACCT_ITEROVER ? 0 : rc;
}

static int cmd_list(cli *c)
{
	const char *owner = opt_str(c, "owner");
	acct_id parent = acct_session_account(c->s);
	json_t *rows = jarr();

	if ((owner && account_resolve(c, &parent, owner, 0) < 0) ||
	    list_rows(c, rows, parent, opt_count(c, "all") ? ACCT_ITER_DESCENDANTS : ACCT_ITER_CHILDREN) < 0) {
		json_decref(rows);
		return fail(c);
	}
	return out_table(c, rows, list_cols);
}

/* ---- add and set ---- */

/* Copy the field options given on the command line into a; the number copied, or an ACCT_E* code. */
static int apply_fields(cli *c, acct_account *a)
{
	const cli_opt *o;
	const char *v;
	int n = 0, rc;

	for (o = c->cmd->opts; o->name; o++) {
		if (!(o->flags & OPT_FIELD) || !(v = opt_str(c, o->name)))
			continue;
		if ((rc = acct_account_set(a, o->key, v)) < 0)
			return rc;
		n++;
	}
	if ((v = opt_str(c, "description")) != NULL) {
		if ((rc = acct_account_set_description(a, acct_session_account(c->s), v)) < 0)
			return rc;
		n++;
	}
	return n;
}

static int owner_of_new(cli *c, acct_id *owner)
{
	const char *name = opt_str(c, "owner");

	*owner = c->cmd->key == ACCT_TYPE_RESELLER ? 1 : acct_session_account(c->s);
	return name ? account_resolve(c, owner, name, 0) : 0;
}

/* Give a new user its roles; on failure take the user away again, so add is all or nothing. */
static int assign_roles(cli *c, acct_account *a)
{
	const cli_values *roles = opt_values(c, "role");
	acct_role_id role;
	char msg[512];
	int i, rc = 0, code;

	for (i = 0; i < roles->n && rc == 0; i++) {
		rc = role_resolve(c, &role, acct_account_owner(a), roles->v[i]);
		if (rc == 0)
			rc = acct_user_set_role(c->s, acct_account_id(a), role, 1);
	}
	if (rc == 0)
		return 0;
	code = acct_error_last()->code;
	snprintf(msg, sizeof(msg), "%s", acct_error_last()->message);
	acct_account_delete(c->s, acct_account_id(a));
	return seterr(code, "%s; user '%s' was not added", msg, login(a));
}

/* After add or set: the account as stored, and a generated password printed once. */
static int report(cli *c, acct_account *a, const char *generated, const char *verb)
{
	json_t *o = account_full(c, a);

	if (generated[0])
		return out_secret(c, o, "password", generated, "%s %s '%s' (id %lld); its generated password is printed once",
		                  verb, type_name(a), login(a), (long long)acct_account_id(a));
	return out_done(c, o, "%s %s '%s' (id %lld)", verb, type_name(a), login(a), (long long)acct_account_id(a));
}

static int add_account(cli *c, acct_account *a, char *pw)
{
	char what[128];
	acct_id owner;
	int rc;

	if ((rc = apply_fields(c, a)) < 0 || (rc = owner_of_new(c, &owner)) < 0)
		return fail(c);
	snprintf(what, sizeof(what), "Password for %s '%s'", acct_account_type_name(c->cmd->key), login(a));
	if ((rc = read_password(c, pw, "password", what, 1)) != CLI_OK)
		return rc;
	if ((pw[0] && acct_account_set(a, ACCT_FIELD_PASSWORD, pw) < 0) || acct_account_add(NULL, c->s, owner, a) < 0 ||
	    assign_roles(c, a) < 0)
		return fail(c);
	return report(c, a, opt_count(c, "generate-password") ? pw : "", "added");
}

static int cmd_add(cli *c)
{
	char pw[PASSWORD_SIZE] = "";
	acct_account *a;
	int rc;

	if (acct_account_new(&a, c->cmd->key) < 0)
		return fail(c);
	rc = add_account(c, a, pw);
	wipe(pw, sizeof(pw));
	acct_account_free(a);
	return rc;
}

static int set_account(cli *c, acct_account *a, char *pw)
{
	char what[128];
	int n, rc;

	if ((n = apply_fields(c, a)) < 0)
		return fail(c);
	snprintf(what, sizeof(what), "New password for %s '%s'", type_name(a), login(a));
	if ((rc = read_password(c, pw, "password", what, 0)) != CLI_OK)
		return rc;
	if (n == 0 && !pw[0])
		return usage(c, "nothing to change: give the fields to set (see --help)");
	if ((pw[0] && acct_account_set(a, ACCT_FIELD_PASSWORD, pw) < 0) || acct_account_update(c->s, a) < 0)
		return fail(c);
	return report(c, a, opt_count(c, "generate-password") ? pw : "", "updated");
}

static int cmd_set(cli *c)
{
	char pw[PASSWORD_SIZE] = "";
	acct_account *a;
	int rc;

	if (account_load(&a, c->s, c->args[0], c->cmd->key) < 0)
		return fail(c);
	rc = set_account(c, a, pw);
	wipe(pw, sizeof(pw));
	acct_account_free(a);
	return rc;
}

/* ---- status, delete, move, convert ---- */

static json_t *brief(const acct_account *a)
{
	json_t *o = jobj();

	jset_int(o, "id", acct_account_id(a));
	jset_str(o, "type", type_name(a));
	jset_str(o, "login", login(a));
	return o;
}

/* Load the account named by the first argument, run op on it, and show it as it is afterwards. */
static int act(cli *c, int (*op)(cli *c, acct_id id), const char *verb, const char *tail)
{
	acct_account *before, *after = NULL;
	int rc;

	if (account_load(&before, c->s, c->args[0], c->cmd->key) < 0)
		return fail(c);
	if ((rc = op(c, acct_account_id(before))) == 0)
		rc = acct_account_lookup(&after, c->s, acct_account_id(before));
	if (rc < 0)
		rc = fail(c);
	else
		rc = out_done(c, account_full(c, after), "%s %s '%s'%s", verb, type_name(before), login(before), tail);
	acct_account_free(before);
	acct_account_free(after);
	return rc;
}

static int suspend_op(cli *c, acct_id id) { return acct_account_suspend(c->s, id); }
static int activate_op(cli *c, acct_id id) { return acct_account_activate(c->s, id); }
static int cmd_suspend(cli *c) { return act(c, suspend_op, "suspended", ""); }
static int cmd_activate(cli *c) { return act(c, activate_op, "activated", ""); }

static int convert_op(cli *c, acct_id id)
{
	return acct_account_convert(c->s, id, c->cmd->key == ACCT_TYPE_CUSTOMER ? ACCT_TYPE_RESELLER : ACCT_TYPE_CUSTOMER);
}

static int cmd_convert(cli *c)
{
	return act(c, convert_op, "converted", c->cmd->key == ACCT_TYPE_CUSTOMER ? " to a reseller" : " to a customer");
}

static int move_op(cli *c, acct_id id)
{
	acct_id owner;
	int rc = account_resolve(c, &owner, opt_str(c, "to"), 0);

	return rc < 0 ? rc : acct_account_change_owner(c->s, id, owner);
}

static int cmd_move(cli *c)
{
	char tail[128];

	snprintf(tail, sizeof(tail), " to '%s'", opt_str(c, "to"));
	return act(c, move_op, "moved", tail);
}

/* How many accounts a delete takes with it, for the confirmation. */
static size_t count_below(cli *c, acct_id id)
{
	acct_account_iterator *it;
	acct_id child;
	size_t n = 0;

	if (acct_account_iterator_new(&it, c->s, id, ACCT_ITER_DESCENDANTS) == 0)
		while (acct_account_iterator_next(&child, it) == 0)
			n++;
	acct_account_iterator_free(it);
	return n;
}

static int cmd_del(cli *c)
{
	acct_account *a;
	json_t *o;
	size_t below;
	int rc;

	if (account_load(&a, c->s, c->args[0], c->cmd->key) < 0)
		return fail(c);
	below = count_below(c, acct_account_id(a));
	if (acct_account_delete(c->s, acct_account_id(a)) < 0) {
		rc = fail(c);
	} else {
		o = brief(a);
		jset_int(o, "deleted_below", (long long)below);
		if (below)
			rc = out_done(c, o, "deleted %s '%s' and the %zu account%s below it", type_name(a), login(a), below,
			              below == 1 ? "" : "s");
		else
			rc = out_done(c, o, "deleted %s '%s'", type_name(a), login(a));
	}
	acct_account_free(a);
	return rc;
}

/* ---- the command tables ---- */

#define FIELD_OPT(name, field, arg, flags, help) { name, 0, arg, OPT_FIELD | (flags), field, help }
#define LOGIN_OPT(flags) \
	FIELD_OPT("login", ACCT_FIELD_LOGIN, "LOGIN", flags, "login: an e-mail address, or letters, digits, '-', '.', '_'")
#define NAME_OPT(flags) FIELD_OPT("name", ACCT_FIELD_NAME, "NAME", flags, "personal name (1..60 characters)")
#define CONTACT_OPTS \
	FIELD_OPT("company", ACCT_FIELD_COMPANY, "NAME", 0, "company name"), \
	FIELD_OPT("email", ACCT_FIELD_EMAIL, "ADDRESS", 0, "e-mail address"), \
	FIELD_OPT("phone", ACCT_FIELD_PHONE, "NUMBER", 0, "phone number"), \
	FIELD_OPT("fax", ACCT_FIELD_FAX, "NUMBER", 0, "fax number"), \
	FIELD_OPT("address", ACCT_FIELD_ADDRESS, "TEXT", 0, "street address"), \
	FIELD_OPT("city", ACCT_FIELD_CITY, "CITY", 0, "city"), \
	FIELD_OPT("state", ACCT_FIELD_STATE, "STATE", 0, "state or province"), \
	FIELD_OPT("postal-code", ACCT_FIELD_POSTAL_CODE, "CODE", 0, "postal code"), \
	FIELD_OPT("country", ACCT_FIELD_COUNTRY, "CC", 0, "country: ISO 3166-1 alpha-2 code (US, DE, ...)"), \
	FIELD_OPT("locale", ACCT_FIELD_LOCALE, "LOCALE", 0, "locale, e.g. en or en-US"), \
	FIELD_OPT("vat-number", ACCT_FIELD_VAT_NUMBER, "NUMBER", 0, "VAT number"), \
	FIELD_OPT("external-id", ACCT_FIELD_EXTERNAL_ID, "ID", 0, "your own id for the account (unique)"), \
	{ "description", 0, "TEXT", 0, 0, "your description of the account" }
#define PASSWORD_OPTS \
	{ "password", 0, "PASSWORD", 0, 0, "password (5..255 characters); '-' asks, or reads a line of standard input" }, \
	{ "generate-password", 0, NULL, 0, 0, "generate a password and print it once" }
#define ADD_OPTS \
	LOGIN_OPT(OPT_REQUIRED), NAME_OPT(OPT_REQUIRED), CONTACT_OPTS, \
	FIELD_OPT("guid", ACCT_FIELD_GUID, "UUID", 0, "keep this GUID (e.g. when moving from another panel)"), \
	PASSWORD_OPTS, \
	{ "no-password", 0, NULL, 0, 0, "no password: the account cannot log in with one until it gets one" }

static const cli_opt reseller_add_opts[] = { ADD_OPTS, OPT_END };
static const cli_opt customer_add_opts[] = {
	ADD_OPTS,
	{ "owner", 0, "LOGIN", 0, 0, "the reseller (or the admin) that owns it; default: you" },
	OPT_END
};
static const cli_opt user_add_opts[] = {
	ADD_OPTS,
	{ "owner", 0, "LOGIN", OPT_REQUIRED, 0, "the admin, reseller or customer whose user it is" },
	{ "role", 0, "ROLE", OPT_REPEAT, 0, "a role of the owner's, or a built-in one (Admin, Accountant, ...)" },
	FIELD_OPT("subscription", ACCT_FIELD_SUBSCRIPTION, "DOMAIN", 0, "the one subscription (domain) it may manage"),
	OPT_END
};
static const cli_opt set_opts[] = {
	LOGIN_OPT(0), NAME_OPT(0), CONTACT_OPTS, PASSWORD_OPTS, OPT_END
};
static const cli_opt user_set_opts[] = {
	LOGIN_OPT(0), NAME_OPT(0), CONTACT_OPTS, PASSWORD_OPTS,
	FIELD_OPT("subscription", ACCT_FIELD_SUBSCRIPTION, "DOMAIN", 0, "the one subscription (domain) it may manage"),
	OPT_END
};
static const cli_opt list_opts[] = {
	{ "owner", 0, "LOGIN", 0, 0, "list below LOGIN instead of below you" },
	{ "all", 'a', NULL, 0, 0, "the whole subtree, not only direct children" },
	OPT_END
};
static const cli_opt move_opts[] = {
	{ "to", 0, "LOGIN", OPT_REQUIRED, 0, "the new owner" },
	OPT_END
};

#define NAMED "LOGIN is a login or #ID (quote it: '#12')."
#define ADD_HELP \
	"Without --password, --generate-password or --no-password, acctctl asks for the\n" \
	"password twice on the terminal; without a terminal that is an error."
#define SET_HELP NAMED "\nAn empty value clears a field: --company ''. --password - asks for a new password."

#define ACCOUNT_CMDS(T, TYPE, add_opts, set_opts) \
	{ .name = "add", .summary = "Add a " T, .help = ADD_HELP, .opts = add_opts, \
	  .flags = CMD_STORE, .key = TYPE, .run = cmd_add }, \
	{ .name = "list", .summary = "List the " T "s below you (or below --owner)", .opts = list_opts, \
	  .flags = CMD_STORE, .key = TYPE, .run = cmd_list }, \
	{ .name = "get", .args = "LOGIN", .min_args = 1, .max_args = 1, .summary = "Show every field of a " T, \
	  .help = NAMED, .flags = CMD_STORE, .key = TYPE, .run = cmd_get }, \
	{ .name = "set", .args = "LOGIN", .min_args = 1, .max_args = 1, .summary = "Change fields of a " T, \
	  .help = SET_HELP, .opts = set_opts, .flags = CMD_STORE, .key = TYPE, .run = cmd_set }, \
	{ .name = "suspend", .args = "LOGIN", .min_args = 1, .max_args = 1, \
	  .summary = "Disable a " T " and everything below it", .help = NAMED, .flags = CMD_STORE, .key = TYPE, \
	  .run = cmd_suspend }, \
	{ .name = "activate", .args = "LOGIN", .min_args = 1, .max_args = 1, \
	  .summary = "Clear the disable bit you set on a " T, .help = NAMED, .flags = CMD_STORE, .key = TYPE, \
	  .run = cmd_activate }, \
	{ .name = "del", .alias = "delete", .args = "LOGIN", .min_args = 1, .max_args = 1, \
	  .summary = "Delete a " T " and everything below it", .help = NAMED, .flags = CMD_STORE, .key = TYPE, \
	  .run = cmd_del }

const cli_cmd cli_reseller_cmds[] = {
	ACCOUNT_CMDS("reseller", ACCT_TYPE_RESELLER, reseller_add_opts, set_opts),
	{ .name = "convert", .args = "LOGIN", .min_args = 1, .max_args = 1,
	  .summary = "Turn a reseller that owns no customers into a customer of the admin", .help = NAMED,
	  .flags = CMD_STORE, .key = ACCT_TYPE_RESELLER, .run = cmd_convert },
	CMD_END
};

const cli_cmd cli_customer_cmds[] = {
	ACCOUNT_CMDS("customer", ACCT_TYPE_CUSTOMER, customer_add_opts, set_opts),
	{ .name = "move", .args = "LOGIN", .min_args = 1, .max_args = 1,
	  .summary = "Give a customer (with its users) to the admin or another reseller", .help = NAMED,
	  .opts = move_opts, .flags = CMD_STORE, .key = ACCT_TYPE_CUSTOMER, .run = cmd_move },
	{ .name = "convert", .args = "LOGIN", .min_args = 1, .max_args = 1,
	  .summary = "Turn a customer of the admin into a reseller", .help = NAMED, .flags = CMD_STORE,
	  .key = ACCT_TYPE_CUSTOMER, .run = cmd_convert },
	CMD_END
};

const cli_cmd cli_user_cmds[] = {
	ACCOUNT_CMDS("user", ACCT_TYPE_USER, user_add_opts, user_set_opts),
	{ .name = "move", .args = "LOGIN", .min_args = 1, .max_args = 1,
	  .summary = "Give a user to another owner in the same reseller's tree", .help = NAMED, .opts = move_opts,
	  .flags = CMD_STORE, .key = ACCT_TYPE_USER, .run = cmd_move },
	CMD_END
};
