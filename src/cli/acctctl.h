/*
 * acctctl: declarations shared by the files of the command-line tool.
 *
 * The tool uses libacct's public API only (<acct.h>, and <acct/sys/storage.h>
 * for export and import). Each file holds one concern: main.c the command
 * table and global options, args.c parsing and help, store.c opening stores
 * and `init`, output.c tables and JSON, prompt.c passwords, and one file per
 * group of commands.
 */
#ifndef ACCTCTL_H
#define ACCTCTL_H

#include <stddef.h>
#include <stdio.h>
#include <jansson.h>
#include <acct.h>

/* Exit statuses (docs/acctctl.md, "Exit status"). */
#define CLI_OK 0     /* done; for `check`: allowed */
#define CLI_FAILED 1 /* refused or failed; for `check`: denied */
#define CLI_USAGE 2  /* bad command line */
#define CLI_ERROR 3  /* `check` only: no answer could be given */

/* Room for a password and its NUL: libacct accepts 5..255 characters. */
#define PASSWORD_SIZE 257

typedef struct cli cli;

/* cli_opt.flags */
#define OPT_REQUIRED 1u /* the command refuses to run without it */
#define OPT_REPEAT 2u   /* may be given more than once; every value is kept */
#define OPT_FIELD 4u    /* an account field: key is its acct_field */
#define OPT_STOP 8u     /* ends parsing at once (--help, --version) */

/* An option of a command, or a global option. */
typedef struct cli_opt {
	const char *name;   /* long name, without "--" */
	int letter;         /* short form (-o), or 0 */
	const char *arg;    /* placeholder of its value, or NULL for a flag */
	unsigned int flags; /* OPT_* */
	int key;            /* for the command's own use */
	const char *help;
} cli_opt;

/* cli_cmd.flags */
#define CMD_STORE 1u /* open the store and the acting session before running */
#define CMD_YESNO 2u /* exit 1 means "no"; failures exit CLI_ERROR */
#define CMD_OWN_SESSION 4u /* with CMD_STORE: the command opens the --as session itself */
#define CMD_REMOTE_OK 8u   /* with --remote the command needs no local store */
#define CMD_SERVE 16u      /* the server: logins are remembered (auth_cache_seconds) */

/*
 * A command, or a group of subcommands (subs set, run NULL). Tables are
 * written with designated initializers, so fields can be added, and end
 * with CMD_END. Groups that talk to a remote agent or serve one slot in
 * beside the local ones: they are entries like any other.
 */
typedef struct cli_cmd {
	const char *name;
	const char *args;   /* positional arguments for the usage line, or NULL */
	int min_args;
	int max_args;       /* -1: no limit */
	const char *summary;
	const char *help;   /* more for --help, or NULL */
	const cli_opt *opts; /* NULL for none */
	unsigned int flags;  /* CMD_* */
	int key;             /* for the run function (an account type, ...) */
	int (*run)(cli *c);
	const struct cli_cmd *subs;
	const char *alias;   /* another name it answers to, or NULL */
} cli_cmd;

#define CMD_END { .name = NULL }
#define OPT_END { NULL, 0, NULL, 0, 0, NULL }

/* The values given for one option. */
typedef struct cli_values {
	const char **v;
	int n;
} cli_values;

/* Everything one run of acctctl knows. */
struct cli {
	/* global options (main.c) */
	const char *store_uri;  /* --store, $ACCT_STORE or "sqlite:./acct.db" */
	int store_given;        /* --store was on the command line */
	const char *as_login;   /* --as, or NULL for the administrator */
	int json;               /* -o json */
	int quiet;              /* -q: no confirmations or progress */
	const char *audit_path; /* --audit */
	int password_cost;      /* $ACCT_PASSWORD_COST, 0 for libacct's default */
	int auth_cache_seconds; /* serve: remember verified logins this long (acct_ctx_options) */

	/* the command line (args.c) */
	const cli_cmd *cmd;
	char path[96];          /* the command's words, e.g. "customer add" */
	cli_values *vals;       /* one per entry of cmd->opts */
	cli_values *gvals;      /* one per global option */
	const char **args;
	int nargs;
	int stopped;            /* an OPT_STOP option ended parsing */
	int fail;               /* exit status of a failure: CLI_FAILED or CLI_ERROR */

	/* opened by store.c */
	acct_storage *store;    /* a backend that no context owns yet */
	const char *new_file;   /* an SQLite file this run created, removed if the run fails */
	acct_ctx *ctx;
	acct_session *admin;    /* the administrator */
	acct_session *s;        /* the acting account: admin, or --as */
	FILE *audit;
};

/* ---- args.c ---- */
int args_parse(cli *c, const cli_cmd *root, const cli_opt *globals, int argc, char **argv);
void args_free(cli *c, const cli_opt *globals);
void args_help(FILE *f, const cli_cmd *cmd, const char *path, const cli_opt *globals);
const cli_cmd *args_find(const cli_cmd *root, const char *const *words, int n, char *path, size_t size);
/* The last value of option @name, or NULL when not given (or not declared). */
const char *opt_str(const cli *c, const char *name);
/* Does the command have option @name? */
int opt_declared(const cli *c, const char *name);
/* How many times option @name was given. */
int opt_count(const cli *c, const char *name);
/* Every value of option @name. */
const cli_values *opt_values(const cli *c, const char *name);

/* ---- output.c ---- */
typedef struct out_col {
	const char *key;    /* key in each row object */
	const char *header; /* column title */
} out_col;

json_t *jobj(void);
json_t *jarr(void);
json_t *jstr(const char *s); /* NULL gives null */
void jset(json_t *obj, const char *key, json_t *value); /* steals value */
void jset_str(json_t *obj, const char *key, const char *s);
void jset_int(json_t *obj, const char *key, long long v);
void jset_bool(json_t *obj, const char *key, int v);
void jpush(json_t *arr, json_t *value); /* steals value */
void die_oom(void);
void *xmalloc(size_t n);

int out_table(cli *c, json_t *rows, const out_col *cols); /* steals rows */
int out_fields(cli *c, json_t *obj);                      /* steals obj */
int out_json(json_t *v);                                   /* steals v */
int out_done(cli *c, json_t *obj, const char *fmt, ...);  /* steals obj */
int out_secret(cli *c, json_t *obj, const char *key, const char *secret, const char *fmt, ...); /* steals obj */
void note(cli *c, const char *fmt, ...);
int seterr(int code, const char *fmt, ...);
int fail(cli *c);
int failf(cli *c, const char *fmt, ...);
int usage(cli *c, const char *fmt, ...);
void progress(cli *c, const char *label, size_t done, size_t total);

/* ---- prompt.c ---- */
void wipe(void *p, size_t n);
int read_password(cli *c, char *buf, const char *option, const char *what, int ask);
int generate_password(cli *c, char *buf);

/* ---- store.c ---- */
const char *store_name(const cli *c);
int store_not_initialised(cli *c);
int store_backend(cli *c, int create);
int store_probe(cli *c, int *empty);
int store_check_empty(cli *c, const char *refusal);
int store_attach(cli *c, const char *admin_login, const char *admin_password);
int store_open(cli *c, int with_as);
int store_session_as(cli *c, acct_session **out, const char *login);
void store_close(cli *c);
void store_discard(cli *c);
int cmd_init(cli *c);

/*
 * ---- accounts.c ----
 * Accounts are named by login or "#ID". Functions returning int below give 0
 * or an ACCT_E* code with the reason in acct_error_last(), for fail().
 */
int parse_id(acct_id *out, const char *text);
int account_load(acct_account **out, acct_session *s, const char *name, int type);
int account_resolve(cli *c, acct_id *out, const char *name, int type);
const char *login_of(cli *c, json_t *cache, acct_id id);
acct_id acting_owner(cli *c);

extern const cli_cmd cli_reseller_cmds[];
extern const cli_cmd cli_customer_cmds[];
extern const cli_cmd cli_user_cmds[];

/* ---- roles.c ---- */
int role_resolve(cli *c, acct_role_id *out, acct_id owner, const char *name);
json_t *user_role_names(cli *c, acct_id user);

/* ---- limits.c, credentials.c, check.c, transfer.c ---- */
extern const cli_cmd cli_role_cmds[];
extern const cli_cmd cli_perm_cmds[];
extern const cli_cmd cli_limit_cmds[];
extern const cli_cmd cli_ip_cmds[];
extern const cli_cmd cli_key_cmds[];
extern const cli_cmd cli_apilogin_cmds[];
int cmd_check(cli *c);
int cmd_export(cli *c);
int cmd_import(cli *c);

/* ---- packet.c, serve.c, partner_cmd.c ---- */
extern const cli_opt cli_packet_opts[];
extern const cli_opt cli_serve_opts[];
extern const cli_cmd cli_partner_cmds[];
int cmd_packet(cli *c);
int cmd_serve(cli *c);

/* ---- base64.c ---- */
char *base64_encode(const unsigned char *data, size_t len);
int base64_decode(unsigned char **out, size_t *out_len, const char *text);

#endif
