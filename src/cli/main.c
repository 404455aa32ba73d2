/*
 * acctctl: the command table, the global options and the dispatch.
 *
 *   acctctl [global options] COMMAND [SUBCOMMAND] [options] [arguments]
 *
 * Every command is an entry of a table (here and in the file of its group);
 * args.c parses the command line and writes --help from the same tables.
 * Local commands open the store named by --store and act as the
 * administrator, or as --as LOGIN.
 */
#include <stdlib.h>
#include <string.h>
#include "acctctl.h"

#define DEFAULT_STORE "sqlite:./acct.db"

static const cli_opt globals[] = {
	{ "store", 's', "URI", 0, 0, "sqlite:PATH, postgresql://..., or memory: (default: $ACCT_STORE, " DEFAULT_STORE ")" },
	{ "as", 0, "LOGIN", 0, 0, "act as this account (default: the administrator)" },
	{ "output", 'o', "FORMAT", 0, 0, "table (the default) or json" },
	{ "quiet", 'q', NULL, 0, 0, "no confirmations or progress on standard error" },
	{ "audit", 0, "FILE", 0, 0, "append libacct's audit events to FILE, one JSON object per line" },
	{ "help", 'h', NULL, OPT_STOP, 0, "show help and exit" },
	{ "version", 'V', NULL, OPT_STOP, 0, "show the version and exit" },
	OPT_END
};

static const cli_opt init_opts[] = {
	{ "admin-login", 0, "LOGIN", OPT_REQUIRED, 0, "login of the administrator" },
	{ "admin-password", 0, "PASSWORD", 0, 0, "its password; '-' asks, or reads a line of standard input" },
	{ "generate-password", 0, NULL, 0, 0, "generate its password and print it once" },
	OPT_END
};

static int cmd_help(cli *c);

static const cli_cmd commands[] = {
	{ .name = "init", .summary = "Create a store and its administrator", .opts = init_opts, .run = cmd_init,
	  .help = "Without --admin-password or --generate-password, acctctl asks for the password\n"
	          "twice on the terminal. A store that holds anything is refused." },
	{ .name = "reseller", .summary = "Resellers: accounts the admin owns, which own customers",
	  .subs = cli_reseller_cmds },
	{ .name = "customer", .summary = "Customers (Plesk clients) of the admin or of a reseller",
	  .subs = cli_customer_cmds },
	{ .name = "user", .summary = "Additional users of the admin, a reseller or a customer", .subs = cli_user_cmds },
	{ .name = "role", .summary = "User roles and their permissions", .subs = cli_role_cmds },
	{ .name = "perm", .summary = "Account permissions and the permission catalogs", .subs = cli_perm_cmds },
	{ .name = "limit", .summary = "Limits and reseller resource policies", .subs = cli_limit_cmds },
	{ .name = "ip", .summary = "IP address pools", .subs = cli_ip_cmds },
	{ .name = "key", .summary = "Secret keys (Plesk secret_key)", .subs = cli_key_cmds },
	{ .name = "apilogin", .summary = "Partner API logins", .subs = cli_apilogin_cmds },
	{ .name = "check", .args = "PERMISSION TARGET", .min_args = 2, .max_args = 2,
	  .summary = "May the acting account (--as) use PERMISSION on TARGET?",
	  .help = "Prints 'allowed', or 'denied: ' and the reason. Exit status: 0 allowed, 1 denied,\n"
	          "2 usage error, 3 no answer (e.g. an unknown permission or target).",
	  .flags = CMD_STORE | CMD_YESNO | CMD_OWN_SESSION, .run = cmd_check },
	{ .name = "export", .args = "[FILE|-]", .max_args = 1, .summary = "Write the whole store as one JSON document",
	  .help = "Records are copied byte for byte (passwords only as hashes), so 'export | import'\n"
	          "moves a store between backends. FILE is replaced only once the export is complete.",
	  .run = cmd_export },
	{ .name = "import", .args = "[FILE|-]", .max_args = 1, .summary = "Load an export into an empty store",
	  .help = "All records go in one transaction; the store is then opened to check every record.\n"
	          "A store that holds anything is refused.",
	  .run = cmd_import },
	{ .name = "packet", .args = "[FILE|-]", .max_args = 1, .opts = cli_packet_opts,
	  .summary = "Run a Plesk XML API request packet and print the reply",
	  .help = "Locally the packet runs as the acting account (--as) against the store. With\n"
	          "--remote it goes to any Plesk-compatible agent over HTTPS, with --login and\n"
	          "--password (HTTP_AUTH_LOGIN/HTTP_AUTH_PASSWD) or --key (KEY). The reply goes to\n"
	          "standard output; exit 1 when it holds an error.",
	  .flags = CMD_STORE | CMD_REMOTE_OK, .run = cmd_packet },
	{ .name = "serve", .opts = cli_serve_opts, .summary = "Serve the Plesk XML API and the partner accounts API over HTTPS",
	  .help = "POST /enterprise/control/agent.php   the Plesk agent (HTTP_AUTH_LOGIN/HTTP_AUTH_PASSWD or KEY)\n"
	          "GET|POST /1.3/partner/accounts        UpCloud-style partner accounts (HTTP Basic auth, JSON)\n"
	          "Without --cert and --key a self-signed certificate for localhost is generated\n"
	          "beside the store on first run. SIGTERM or SIGINT stops it gracefully.",
	  .flags = CMD_STORE | CMD_SERVE, .run = cmd_serve },
	{ .name = "partner", .summary = "UpCloud-style partner accounts, as the partner (--as)", .subs = cli_partner_cmds,
	  .alias = "pr" },
	{ .name = "help", .args = "[COMMAND [SUBCOMMAND]]", .max_args = 2, .summary = "Show help for a command",
	  .run = cmd_help },
	CMD_END
};

static const cli_cmd root = {
	.name = "acctctl",
	.summary = "Manage a libacct store: accounts, roles, permissions, limits and credentials.",
	.help = "Accounts are named by login or by '#ID' (quoted, since # starts a shell comment).\n"
	        "\n"
	        "Environment:\n"
	        "  ACCT_STORE           the store when --store is not given\n"
	        "  ACCT_PASSWORD_COST   scrypt cost (log2 N) of new password hashes, 1..20 (default 15)\n"
	        "\n"
	        "Exit status: 0 done; 1 refused or failed (check: denied); 2 usage error;\n"
	        "3 check could not answer.",
	.subs = commands,
};

static int cmd_help(cli *c)
{
	char path[sizeof(c->path)];
	const cli_cmd *cmd = args_find(&root, c->args, c->nargs, path, sizeof(path));

	if (!cmd)
		return usage(c, "no command '%s'; see 'acctctl --help'", c->args[c->nargs - 1]);
	args_help(stdout, cmd, path, globals);
	return CLI_OK;
}

/* ---- global options ---- */

static const char *global(const cli *c, const char *name)
{
	int i;

	for (i = 0; globals[i].name; i++)
		if (strcmp(globals[i].name, name) == 0)
			return c->gvals[i].n ? c->gvals[i].v[c->gvals[i].n - 1] : NULL;
	return NULL;
}

static int password_cost(cli *c)
{
	const char *v = getenv("ACCT_PASSWORD_COST");
	char *end;
	long n;

	if (!v || !v[0])
		return CLI_OK;
	n = strtol(v, &end, 10);
	if (*end || n < 1 || n > 20)
		return usage(c, "ACCT_PASSWORD_COST must be a number from 1 to 20, not '%s'", v);
	c->password_cost = (int)n;
	return CLI_OK;
}

static int apply_globals(cli *c)
{
	const char *env = getenv("ACCT_STORE"), *output = global(c, "output");

	c->store_uri = global(c, "store");
	c->store_given = c->store_uri != NULL;
	if (!c->store_uri)
		c->store_uri = env && env[0] ? env : DEFAULT_STORE;
	c->as_login = global(c, "as");
	c->quiet = global(c, "quiet") != NULL;
	c->audit_path = global(c, "audit");
	if (output && strcmp(output, "json") != 0 && strcmp(output, "table") != 0)
		return usage(c, "unknown output format '%s': use table or json", output);
	c->json = output && strcmp(output, "json") == 0;
	return password_cost(c);
}

/* ---- dispatch ---- */

static int run(cli *c)
{
	int rc;

	if (global(c, "help")) {
		args_help(stdout, c->cmd, c->path, globals);
		return CLI_OK;
	}
	if (global(c, "version")) {
		printf("acctctl %s (libacct %s, jansson %s)\n", ACCT_VERSION, acct_version(NULL, NULL, NULL),
		       JANSSON_VERSION);
		return CLI_OK;
	}
	if ((rc = apply_globals(c)) != CLI_OK)
		return rc;
	if (c->cmd->flags & CMD_YESNO)
		c->fail = CLI_ERROR;
	/* serve remembers verified logins, so keep-alive clients are not re-hashed per request. */
	if (c->cmd->flags & CMD_SERVE)
		c->auth_cache_seconds = 300;
	/* packet --remote talks to another server: no local store. */
	if ((c->cmd->flags & CMD_REMOTE_OK) && opt_str(c, "remote") != NULL)
		return c->cmd->run(c);
	if ((c->cmd->flags & CMD_STORE) && (rc = store_open(c, !(c->cmd->flags & CMD_OWN_SESSION))) != CLI_OK)
		return rc;
	return c->cmd->run(c);
}

int main(int argc, char **argv)
{
	cli c;
	int rc;

	memset(&c, 0, sizeof(c));
	c.fail = CLI_FAILED;
	if (acct_global_init() < 0) {
		fprintf(stderr, "acctctl: %s\n", acct_error_last()->message);
		return CLI_FAILED;
	}
	rc = args_parse(&c, &root, globals, argc, argv);
	if (rc == CLI_OK)
		rc = run(&c);
	store_close(&c);
	args_free(&c, globals);
	acct_global_shutdown();
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fputs("acctctl: cannot write to standard output\n", stderr);
		return CLI_FAILED;
	}
	return rc;
}
