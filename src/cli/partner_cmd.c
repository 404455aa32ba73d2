/*
 * acctctl partner account list|create: the partner accounts API on the
 * local store, acting as the partner (--as), with the flags, the
 * required-flag rules and the messages of `upctl partner account`
 * (spec/partner-apis.md section 2.4). Contact details default to the
 * partner's own.
 */
#include <string.h>
#include "acctctl.h"
#include "partner.h"

/* The contact flags, in the order of partner_contact_keys. */
static const char *const contact_flags[11] = {
	"first-name", "last-name", "country", "state", "email", "phone",
	"company", "address", "postal-code", "city", "vat-number",
};

static const cli_opt create_opts[] = {
	{ "username", 0, "USERNAME", 0, 0, "username of the new account (4-64 lower-case letters, digits, _)" },
	{ "password", 0, "PASSWORD", 0, 0, "its password (8-256 characters: lower case, upper case and a digit)" },
	{ "first-name", 0, "NAME", 0, 0, "contact first name" },
	{ "last-name", 0, "NAME", 0, 0, "contact last name" },
	{ "company", 0, "NAME", 0, 0, "contact company" },
	{ "address", 0, "ADDRESS", 0, 0, "contact address" },
	{ "postal-code", 0, "CODE", 0, 0, "contact postal code" },
	{ "city", 0, "CITY", 0, 0, "contact city" },
	{ "state", 0, "STATE", 0, 0, "contact state (required with country USA)" },
	{ "country", 0, "CODE", 0, 0, "contact country, ISO 3166-1 alpha-3 (e.g. FIN)" },
	{ "phone", 0, "NUMBER", 0, 0, "contact phone, +CC.NUMBER (e.g. +358.91234567)" },
	{ "email", 0, "ADDRESS", 0, 0, "contact e-mail" },
	{ "vat-number", 0, "NUMBER", 0, 0, "contact VAT number" },
	OPT_END
};

static int fail_partner(cli *c, const partner_error *err)
{
	return failf(c, "%s (%s)", err->message, err->code);
}

static int cmd_list(cli *c)
{
	static const out_col cols[] = {
		{ "username", "Username" }, { "first_name", "First name" }, { "last_name", "Last name" },
		{ "company", "Company" }, { NULL, NULL }
	};
	partner_error err;
	json_t *list;

	if (partner_list(&err, &list, c->s) != 0)
		return fail_partner(c, &err);
	if (c->json)
		return out_json(list);
	return out_table(c, list, cols);
}

/* upctl's client-side checks, with its messages. */
static int check_flags(cli *c)
{
	static const char *const needed[] = { "first-name", "last-name", "country", "phone", "email" };
	char missing[200] = "";
	int any = 0;

	if (opt_str(c, "username") == NULL || opt_str(c, "password") == NULL) {
		if (opt_str(c, "username") == NULL && opt_str(c, "password") == NULL)
			return usage(c, "required flag(s) \"username\", \"password\" not set");
		return usage(c, "required flag(s) \"%s\" not set", opt_str(c, "username") == NULL ? "username" : "password");
	}
	for (size_t i = 0; i < 11; i++)
		any |= opt_str(c, contact_flags[i]) != NULL;
	if (!any)
		return CLI_OK;
	for (size_t i = 0; i < sizeof needed / sizeof needed[0]; i++) {
		if (opt_str(c, needed[i]) != NULL)
			continue;
		if (missing[0])
			strncat(missing, ", ", sizeof missing - strlen(missing) - 1);
		strncat(missing, "\"", sizeof missing - strlen(missing) - 1);
		strncat(missing, needed[i], sizeof missing - strlen(missing) - 1);
		strncat(missing, "\"", sizeof missing - strlen(missing) - 1);
	}
	if (missing[0])
		return usage(c, "when contact details are given, the following flags are required: %s", missing);
	if (strcmp(opt_str(c, "country"), "USA") == 0 && opt_str(c, "state") == NULL)
		return usage(c, "when contact country is \"USA\", flag \"state\" is also required");
	return CLI_OK;
}

static int cmd_create(cli *c)
{
	partner_contact contact, *cp = NULL;
	partner_error err;
	json_t *account;
	int rc;

	if ((rc = check_flags(c)) != CLI_OK)
		return rc;
	memset(&contact, 0, sizeof contact);
	for (size_t i = 0; i < 11; i++) {
		*partner_contact_slot(&contact, i) = opt_str(c, contact_flags[i]);
		if (opt_str(c, contact_flags[i]) != NULL)
			cp = &contact;
	}
	if (partner_create(&err, &account, c->s, opt_str(c, "username"), opt_str(c, "password"), cp) != 0)
		return fail_partner(c, &err);
	if (c->json)
		return out_json(account);
	printf("\xe2\x9c\x93 Creating partner account %s\n", opt_str(c, "username"));
	json_decref(account);
	return CLI_OK;
}

static const cli_cmd account_cmds[] = {
	{ .name = "list", .summary = "List the partner's accounts (the customers it owns)", .flags = CMD_STORE,
	  .run = cmd_list },
	{ .name = "create", .summary = "Create a partner account", .opts = create_opts, .flags = CMD_STORE,
	  .run = cmd_create,
	  .help = "Without contact flags the account gets the partner's own contact details. With any\n"
	          "of them, --first-name, --last-name, --country, --phone and --email are required,\n"
	          "and --state too when the country is USA. Act as the partner with --as." },
	CMD_END
};

const cli_cmd cli_partner_cmds[] = {
	{ .name = "account", .summary = "Partner accounts (UpCloud partner API)", .subs = account_cmds },
	CMD_END
};
