/*
 * limit (limits and the reseller resource policy) and ip (IP pools).
 *
 * Values are typed the way people think of them: "unlimited", sizes with
 * K, M, G or T (powers of 1024), and the expiration as a date; they are
 * shown back the same way, and as plain numbers in JSON.
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "acctctl.h"

/* ---- values ---- */

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's algorithm). */
static long long days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void format_date(char *buf, size_t size, long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm))
		strftime(buf, size, "%Y-%m-%d", &tm);
	else
		snprintf(buf, size, "%lld", t);
}

/* YYYY-MM-DD, midnight UTC; a date that does not exist (02-30) is refused. */
static int parse_date(long long *out, const char *text)
{
	int y, m, d, n = 0;
	char back[32];

	if (sscanf(text, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || text[n] || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	*out = days_from_civil(y, m, d) * 86400;
	format_date(back, sizeof(back), *out);
	return strcmp(back, text) == 0;
}

/* A number, optionally with K, M, G or T: powers of 1024, for sizes in bytes. */
static int parse_size(long long *out, const char *text)
{
	static const char units[] = "KMGT";
	const char *unit;
	char *end;
	long long v;
	int n;

	errno = 0;
	v = strtoll(text, &end, 10);
	if (end == text || errno)
		return 0;
	if (*end) {
		if (end[1] || v < 0 || !(unit = strchr(units, toupper((unsigned char)*end))))
			return 0;
		for (n = (int)(unit - units) + 1; n > 0; n--) {
			if (v > INT64_MAX / 1024)
				return 0;
			v *= 1024;
		}
	}
	*out = v;
	return 1;
}

static int parse_limit(cli *c, long long *out, const char *name, const char *text)
{
	if (strcasecmp(text, "unlimited") == 0) {
		*out = ACCT_UNLIMITED;
		return CLI_OK;
	}
	if (strcmp(name, "expiration") == 0 && strchr(text + 1, '-') && parse_date(out, text))
		return CLI_OK;
	if (parse_size(out, text))
		return CLI_OK;
	return usage(c, "'%s' is not a limit value: give a number (K, M, G, T for sizes), 'unlimited'%s", text,
	             strcmp(name, "expiration") == 0 ? " or a date (YYYY-MM-DD)" : "");
}

static void format_limit(char *buf, size_t size, const char *name, long long v)
{
	if (v == ACCT_UNLIMITED)
		snprintf(buf, size, "unlimited");
	else if (strcmp(name, "expiration") == 0)
		format_date(buf, size, v);
	else
		snprintf(buf, size, "%lld", v);
}

/* ---- limit commands ---- */

static json_t *limit_row(cli *c, acct_id target, const char *name)
{
	int64_t v;
	int is_set;
	char shown[32];
	json_t *o;

	if (acct_limit_get(&v, &is_set, c->s, target, name) < 0)
		return NULL;
	format_limit(shown, sizeof(shown), name, v);
	o = jobj();
	jset_str(o, "name", name);
	jset_int(o, "value", v);
	jset_bool(o, "set", is_set);
	jset_str(o, "shown", shown);
	return o;
}

static const out_col limit_cols[] = { { "name", "NAME" }, { "shown", "VALUE" }, { "set", "SET" }, { NULL, NULL } };

/* One limit asked, one row: an object in JSON. */
static int show_limit(cli *c, acct_id target, const char *name)
{
	json_t *o = limit_row(c, target, name), *rows;

	if (!o)
		return fail(c);
	if (c->json)
		return out_json(o);
	rows = jarr();
	jpush(rows, o);
	return out_table(c, rows, limit_cols);
}

static int cmd_limit_get(cli *c)
{
	json_t *rows, *o;
	acct_id target;
	size_t i;

	if (account_resolve(c, &target, c->args[0], 0) < 0)
		return fail(c);
	if (c->nargs > 1)
		return show_limit(c, target, c->args[1]);
	rows = jarr();
	for (i = 0; i < acct_limit_count(); i++) {
		if (!(o = limit_row(c, target, acct_limit_name(i)))) {
			json_decref(rows);
			return fail(c);
		}
		jpush(rows, o);
	}
	return out_table(c, rows, limit_cols);
}

static int cmd_limit_set(cli *c)
{
	const char *name = c->args[1];
	long long v = 0;
	acct_id target;
	int rc;

	if ((rc = parse_limit(c, &v, name, c->args[2])) != CLI_OK)
		return rc;
	if (account_resolve(c, &target, c->args[0], 0) < 0 || acct_limit_set(c->s, target, name, v) < 0)
		return fail(c);
	return out_done(c, limit_row(c, target, name), "set %s of '%s' to %s", name, c->args[0], c->args[2]);
}

static int cmd_limit_unset(cli *c)
{
	acct_id target;

	if (account_resolve(c, &target, c->args[0], 0) < 0 || acct_limit_unset(c->s, target, c->args[1]) < 0)
		return fail(c);
	return out_done(c, limit_row(c, target, c->args[1]), "unset %s of '%s'", c->args[1], c->args[0]);
}

static int parse_overuse(cli *c, int *overuse, const char *text)
{
	int i;

	for (i = ACCT_OVERUSE_BLOCK; i <= ACCT_OVERUSE_NOT_SUSPEND_NOTIFY; i++) {
		if (strcmp(acct_overuse_name(i), text) == 0) {
			*overuse = i;
			return CLI_OK;
		}
	}
	return usage(c, "unknown overuse policy '%s': use block, notify, normal, not_suspend or not_suspend_notify", text);
}

static int parse_yesno(cli *c, int *v, const char *text)
{
	*v = strcmp(text, "yes") == 0 || strcmp(text, "on") == 0;
	if (*v || strcmp(text, "no") == 0 || strcmp(text, "off") == 0)
		return CLI_OK;
	return usage(c, "'%s' is not yes or no", text);
}

static int cmd_limit_policy(cli *c)
{
	const char *oversell = opt_str(c, "oversell"), *overuse = opt_str(c, "overuse");
	acct_id target;
	int os, ou, rc = CLI_OK;
	json_t *o;

	if (account_resolve(c, &target, c->args[0], ACCT_TYPE_RESELLER) < 0 ||
	    acct_reseller_policy_get(&os, &ou, c->s, target) < 0)
		return fail(c);
	if ((oversell && (rc = parse_yesno(c, &os, oversell)) != CLI_OK) ||
	    (overuse && (rc = parse_overuse(c, &ou, overuse)) != CLI_OK))
		return rc;
	if ((oversell || overuse) && acct_reseller_policy_set(c->s, target, os, ou) < 0)
		return fail(c);
	o = jobj();
	jset_str(o, "reseller", c->args[0]);
	jset_bool(o, "oversell", os);
	jset_str(o, "overuse", acct_overuse_name(ou));
	if (!oversell && !overuse)
		return out_fields(c, o);
	return out_done(c, o, "changed the resource policy of reseller '%s'", c->args[0]);
}

/* ---- ip commands ---- */

static int parse_ip_type(cli *c, int *type)
{
	const char *t = opt_str(c, "type");

	*type = t && strcmp(t, "exclusive") == 0 ? ACCT_IP_EXCLUSIVE : ACCT_IP_SHARED;
	if (!t || strcmp(t, "shared") == 0 || *type == ACCT_IP_EXCLUSIVE)
		return CLI_OK;
	return usage(c, "unknown address type '%s': use shared or exclusive", t);
}

static json_t *ip_row(const char *account, const char *ip, int type)
{
	json_t *o = jobj();

	jset_str(o, "account", account);
	jset_str(o, "ip", ip);
	jset_str(o, "type", type == ACCT_IP_EXCLUSIVE ? "exclusive" : "shared");
	return o;
}

static int change_ip(cli *c, int set_type)
{
	acct_id account;
	int type, rc;

	if ((rc = parse_ip_type(c, &type)) != CLI_OK)
		return rc;
	if (account_resolve(c, &account, c->args[0], 0) < 0 ||
	    (set_type ? acct_ip_set_type : acct_ip_add)(c->s, account, c->args[1], type) < 0)
		return fail(c);
	if (set_type)
		return out_done(c, ip_row(c->args[0], c->args[1], type), "%s is now %s in the pool of '%s'", c->args[1],
		                type == ACCT_IP_EXCLUSIVE ? "exclusive" : "shared", c->args[0]);
	return out_done(c, ip_row(c->args[0], c->args[1], type), "added %s to the pool of '%s' (%s)", c->args[1],
	                c->args[0], type == ACCT_IP_EXCLUSIVE ? "exclusive" : "shared");
}

static int cmd_ip_add(cli *c) { return change_ip(c, 0); }
static int cmd_ip_set(cli *c) { return change_ip(c, 1); }

static int cmd_ip_del(cli *c)
{
	acct_id account;
	json_t *o;

	if (account_resolve(c, &account, c->args[0], 0) < 0 || acct_ip_remove(c->s, account, c->args[1]) < 0)
		return fail(c);
	o = jobj();
	jset_str(o, "account", c->args[0]);
	jset_str(o, "removed", c->args[1]);
	return out_done(c, o, "removed %s from the pool of '%s'", c->args[1], c->args[0]);
}

static const out_col ip_cols[] = { { "ip", "IP" }, { "type", "TYPE" }, { NULL, NULL } };

static int cmd_ip_list(cli *c)
{
	acct_ip_iterator *it;
	const char *ip;
	acct_id account;
	json_t *rows;
	int type;

	if (account_resolve(c, &account, c->args[0], 0) < 0 || acct_ip_iterator_new(&it, c->s, account) < 0)
		return fail(c);
	rows = jarr();
	while (acct_ip_iterator_next(&ip, &type, it) == 0)
		jpush(rows, ip_row(c->args[0], ip, type));
	acct_ip_iterator_free(it);
	return out_table(c, rows, ip_cols);
}

/* ---- the command tables ---- */

static const cli_opt policy_opts[] = {
	{ "oversell", 0, "yes|no", 0, 0, "may its customers' limits add up to more than its own?" },
	{ "overuse", 0, "POLICY", 0, 0, "block, notify, normal, not_suspend or not_suspend_notify" },
	OPT_END
};
static const cli_opt ip_type_opts[] = {
	{ "type", 't', "TYPE", 0, 0, "shared (the default) or exclusive" },
	OPT_END
};

#define LIMIT_HELP \
	"Limits: max_cl, max_dom, max_subdom, max_dom_aliases, disk_space, max_traffic,\n" \
	"max_wu, max_db, max_box, mbox_quota, max_maillists, max_webapps, expiration.\n" \
	"VALUE: a number, with K, M, G or T for sizes in bytes (10G), 'unlimited' or -1;\n" \
	"for expiration a date (2030-12-31) or a Unix time."

const cli_cmd cli_limit_cmds[] = {
	{ .name = "get", .args = "LOGIN [NAME]", .min_args = 1, .max_args = 2,
	  .summary = "Show the limits of a reseller or customer", .flags = CMD_STORE, .run = cmd_limit_get },
	{ .name = "set", .args = "LOGIN NAME VALUE", .min_args = 3, .max_args = 3, .summary = "Set a limit",
	  .help = LIMIT_HELP, .flags = CMD_STORE, .run = cmd_limit_set },
	{ .name = "unset", .args = "LOGIN NAME", .min_args = 2, .max_args = 2,
	  .summary = "Remove a limit (it then reads as unlimited and counts in no sum)", .flags = CMD_STORE,
	  .run = cmd_limit_unset },
	{ .name = "policy", .args = "RESELLER", .min_args = 1, .max_args = 1,
	  .summary = "Show or change a reseller's resource policy", .opts = policy_opts, .flags = CMD_STORE,
	  .run = cmd_limit_policy },
	CMD_END
};

const cli_cmd cli_ip_cmds[] = {
	{ .name = "list", .args = "LOGIN", .min_args = 1, .max_args = 1, .summary = "List the IP pool of an account",
	  .flags = CMD_STORE, .run = cmd_ip_list },
	{ .name = "add", .args = "LOGIN IP", .min_args = 2, .max_args = 2,
	  .summary = "Put an address into an account's pool",
	  .help = "The admin's pool is the server's address list; any other account's addresses\n"
	          "must be in its owner's pool.",
	  .opts = ip_type_opts, .flags = CMD_STORE, .run = cmd_ip_add },
	{ .name = "set", .args = "LOGIN IP", .min_args = 2, .max_args = 2,
	  .summary = "Change the type of an address in a pool", .opts = ip_type_opts, .flags = CMD_STORE,
	  .run = cmd_ip_set },
	{ .name = "del", .alias = "delete", .args = "LOGIN IP", .min_args = 2, .max_args = 2,
	  .summary = "Take an address out of a pool", .flags = CMD_STORE, .run = cmd_ip_del },
	CMD_END
};
