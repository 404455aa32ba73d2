/*
 * Command-line parsing and help, driven by the command tables.
 *
 * Global options are accepted anywhere; a command's own options only after
 * its name. Help text is generated from the same tables the parser reads, so
 * the two never disagree.
 */
#include <stdlib.h>
#include <string.h>
#include "acctctl.h"

static int count_opts(const cli_opt *opts)
{
	int n = 0;

	while (opts && opts[n].name)
		n++;
	return n;
}

static cli_values *values_new(const cli_opt *opts)
{
	cli_values *v = calloc((size_t)count_opts(opts) + 1, sizeof(*v));

	if (!v)
		die_oom();
	return v;
}

static void values_free(cli_values *vals, const cli_opt *opts)
{
	int i, n = count_opts(opts);

	for (i = 0; vals && i < n; i++)
		free(vals[i].v);
	free(vals);
}

/* By long name (the first len bytes of name) or, when letter is set, by letter. */
static int opt_index(const cli_opt *opts, const char *name, size_t len, int letter)
{
	int i;

	for (i = 0; opts && opts[i].name; i++) {
		if (letter ? opts[i].letter == letter
		           : strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0)
			return i;
	}
	return -1;
}

static const cli_cmd *find_sub(const cli_cmd *group, const char *name)
{
	const cli_cmd *sub;

	for (sub = group->subs; sub && sub->name; sub++)
		if (strcmp(sub->name, name) == 0 || (sub->alias && strcmp(sub->alias, name) == 0))
			return sub;
	return NULL;
}

static void path_add(char *path, size_t size, const char *word)
{
	size_t len = strlen(path);

	if (len + 1 + strlen(word) < size)
		snprintf(path + len, size - len, "%s%s", len ? " " : "", word);
}

/* A negative number is an argument (`limit set c1 max_dom -1`), not an option. */
static int is_option(const char *a)
{
	return a[0] == '-' && a[1] && !(a[1] >= '0' && a[1] <= '9');
}

static int store_value(cli_values *vals, const cli_opt *opt, const char *value, int argc)
{
	if (!vals->v)
		vals->v = xmalloc((size_t)argc * sizeof(*vals->v));
	if (!(opt->flags & OPT_REPEAT))
		vals->n = 0; /* given twice: the last one counts, as with getopt */
	vals->v[vals->n++] = value;
	return CLI_OK;
}

static int take_option(cli *c, const cli_opt *globals, int argc, char **argv, int *i)
{
	const char *a = argv[*i], *name, *value = NULL;
	const cli_opt *opt;
	cli_values *vals;
	size_t len;
	int letter = 0, k;

	if (a[1] == '-') {
		name = a + 2;
		value = strchr(name, '=');
		len = value ? (size_t)(value - name) : strlen(name);
		if (value)
			value++;
	} else {
		name = a + 1;
		len = 1;
		letter = (unsigned char)a[1];
		value = a[2] ? a + 2 : NULL;
	}
	if ((k = opt_index(c->cmd->opts, name, len, letter)) >= 0) {
		opt = &c->cmd->opts[k];
		vals = &c->vals[k];
	} else if ((k = opt_index(globals, name, len, letter)) >= 0) {
		opt = &globals[k];
		vals = &c->gvals[k];
	} else {
		return usage(c, "unknown option '%.*s'", (int)(name - a + len), a);
	}
	if (!opt->arg && value)
		return usage(c, "option --%s takes no value", opt->name);
	if (opt->arg && !value) {
		if (*i + 1 >= argc)
			return usage(c, "option --%s needs a value (%s)", opt->name, opt->arg);
		value = argv[++*i];
	}
	if (opt->flags & OPT_STOP)
		c->stopped = 1;
	return store_value(vals, opt, value ? value : "", argc);
}

static int select_sub(cli *c, const char *word)
{
	const cli_cmd *sub = find_sub(c->cmd, word);

	if (!sub)
		return usage(c, "unknown command '%s%s%s'", c->path, c->path[0] ? " " : "", word);
	values_free(c->vals, c->cmd->opts);
	c->cmd = sub;
	c->vals = values_new(sub->opts);
	path_add(c->path, sizeof(c->path), word);
	return CLI_OK;
}

static int check_required(cli *c)
{
	char missing[256] = "";
	int i, n = 0;

	for (i = 0; c->cmd->opts && c->cmd->opts[i].name; i++) {
		if ((c->cmd->opts[i].flags & OPT_REQUIRED) && c->vals[i].n == 0) {
			size_t len = strlen(missing);
			snprintf(missing + len, sizeof(missing) - len, "%s--%s", n++ ? ", " : "", c->cmd->opts[i].name);
		}
	}
	if (n)
		return usage(c, "required option%s %s not given", n > 1 ? "s" : "", missing);
	return CLI_OK;
}

static int check_args(cli *c, const cli_opt *globals)
{
	const cli_cmd *cmd = c->cmd;

	if (cmd->subs) {
		if (c->path[0])
			fprintf(stderr, "acctctl: %s: a command is needed\n\n", c->path);
		args_help(stderr, cmd, c->path, globals);
		return CLI_USAGE;
	}
	if (c->nargs < cmd->min_args)
		return usage(c, "missing argument%s: %s", cmd->min_args - c->nargs > 1 ? "s" : "",
		             cmd->args ? cmd->args : "?");
	if (cmd->max_args >= 0 && c->nargs > cmd->max_args)
		return usage(c, "unexpected argument '%s'", c->args[cmd->max_args]);
	return check_required(c);
}

int args_parse(cli *c, const cli_cmd *root, const cli_opt *globals, int argc, char **argv)
{
	int i, rc, only_args = 0;

	c->cmd = root;
	c->path[0] = '\0';
	c->vals = values_new(root->opts);
	c->gvals = values_new(globals);
	c->args = xmalloc((size_t)argc * sizeof(*c->args));
	c->nargs = 0;
	for (i = 1; i < argc && !c->stopped; i++) {
		const char *a = argv[i];

		rc = CLI_OK;
		if (!only_args && strcmp(a, "--") == 0)
			only_args = 1;
		else if (!only_args && is_option(a))
			rc = take_option(c, globals, argc, argv, &i);
		else if (c->cmd->subs && c->nargs == 0)
			rc = select_sub(c, a);
		else
			c->args[c->nargs++] = a;
		if (rc != CLI_OK)
			return rc;
	}
	return c->stopped ? CLI_OK : check_args(c, globals);
}

void args_free(cli *c, const cli_opt *globals)
{
	values_free(c->vals, c->cmd ? c->cmd->opts : NULL);
	values_free(c->gvals, globals);
	c->vals = c->gvals = NULL;
	free(c->args);
	c->args = NULL;
}

const cli_cmd *args_find(const cli_cmd *root, const char *const *words, int n, char *path, size_t size)
{
	const cli_cmd *cmd = root;
	int i;

	path[0] = '\0';
	for (i = 0; i < n; i++) {
		if (!(cmd = find_sub(cmd, words[i])))
			return NULL;
		path_add(path, size, words[i]);
	}
	return cmd;
}

/* ---- values ---- */

const cli_values *opt_values(const cli *c, const char *name)
{
	static const cli_values none = { NULL, 0 };
	int k = opt_index(c->cmd->opts, name, strlen(name), 0);

	return k >= 0 ? &c->vals[k] : &none;
}

const char *opt_str(const cli *c, const char *name)
{
	const cli_values *v = opt_values(c, name);

	return v->n ? v->v[v->n - 1] : NULL;
}

int opt_declared(const cli *c, const char *name)
{
	return opt_index(c->cmd->opts, name, strlen(name), 0) >= 0;
}

int opt_count(const cli *c, const char *name)
{
	return opt_values(c, name)->n;
}

/* ---- help ---- */

static void opt_label(char *buf, size_t size, const cli_opt *o)
{
	snprintf(buf, size, "%c%c%c --%s%s%s", o->letter ? '-' : ' ', o->letter ? o->letter : ' ', o->letter ? ',' : ' ',
	         o->name, o->arg ? " " : "", o->arg ? o->arg : "");
}

static void print_opts(FILE *f, const char *title, const cli_opt *opts)
{
	char label[96];
	size_t width = 0;
	int i;

	for (i = 0; opts[i].name; i++) {
		opt_label(label, sizeof(label), &opts[i]);
		if (strlen(label) > width)
			width = strlen(label);
	}
	fprintf(f, "\n%s:\n", title);
	for (i = 0; opts[i].name; i++) {
		opt_label(label, sizeof(label), &opts[i]);
		fprintf(f, "  %-*s  %s%s%s\n", (int)width, label, opts[i].help,
		        opts[i].flags & OPT_REQUIRED ? " (required)" : "",
		        opts[i].flags & OPT_REPEAT ? " (repeatable)" : "");
	}
}

static void sub_label(char *buf, size_t size, const cli_cmd *sub)
{
	snprintf(buf, size, "%s%s%s", sub->name, sub->alias ? ", " : "", sub->alias ? sub->alias : "");
}

static void print_subs(FILE *f, const cli_cmd *subs)
{
	char label[64];
	size_t width = 0;
	int i;

	for (i = 0; subs[i].name; i++) {
		sub_label(label, sizeof(label), &subs[i]);
		if (strlen(label) > width)
			width = strlen(label);
	}
	fprintf(f, "\nCommands:\n");
	for (i = 0; subs[i].name; i++) {
		sub_label(label, sizeof(label), &subs[i]);
		fprintf(f, "  %-*s  %s\n", (int)width, label, subs[i].summary);
	}
}

static void print_usage(FILE *f, const cli_cmd *cmd, const char *path)
{
	int i, optional = 0;

	fprintf(f, "Usage: acctctl [global options]%s%s", path[0] ? " " : "", path);
	if (cmd->subs) {
		fprintf(f, " COMMAND%s ...\n", path[0] ? "" : " [SUBCOMMAND]");
		return;
	}
	for (i = 0; cmd->opts && cmd->opts[i].name; i++) {
		if (cmd->opts[i].flags & OPT_REQUIRED)
			fprintf(f, " --%s %s", cmd->opts[i].name, cmd->opts[i].arg ? cmd->opts[i].arg : "");
		else
			optional = 1;
	}
	fprintf(f, "%s%s%s\n", optional ? " [options]" : "", cmd->args ? " " : "", cmd->args ? cmd->args : "");
}

/* Usage, summary, commands or options, then the notes: the order of man pages and git. */
void args_help(FILE *f, const cli_cmd *cmd, const char *path, const cli_opt *globals)
{
	print_usage(f, cmd, path);
	fprintf(f, "\n%s\n", cmd->summary);
	if (cmd->subs)
		print_subs(f, cmd->subs);
	if (cmd->opts && cmd->opts[0].name)
		print_opts(f, "Options", cmd->opts);
	if (!path[0])
		print_opts(f, "Global options (before or after the command)", globals);
	if (cmd->help)
		fprintf(f, "\n%s\n", cmd->help);
	if (!path[0]) {
		fprintf(f, "\nRun 'acctctl COMMAND --help' or 'acctctl help COMMAND [SUBCOMMAND]' for more.\n");
	} else if (cmd->subs) {
		fprintf(f, "\nRun 'acctctl %s COMMAND --help' for the options of a command.\n", path);
	} else {
		fprintf(f, "\nGlobal options (--store, --as, -o, -q, --audit) work here too; see 'acctctl --help'.\n");
	}
}
