/*
 * Output: every command builds its result as JSON values, and this file
 * prints them either as JSON (-o json) or as aligned text. Data goes to
 * standard output; confirmations, progress and errors to standard error, so
 * a pipe only ever carries data.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <acct/sys/errors.h>
#include "acctctl.h"

/* A command-line tool has nothing sensible to do without memory but stop. */
void die_oom(void)
{
	fputs("acctctl: out of memory\n", stderr);
	exit(CLI_FAILED);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die_oom();
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

static json_t *checked(json_t *v)
{
	if (!v)
		die_oom();
	return v;
}

json_t *jobj(void) { return checked(json_object()); }
json_t *jarr(void) { return checked(json_array()); }

/* libacct validates UTF-8 on every text it stores, so json_string() only fails for memory. */
json_t *jstr(const char *s) { return s ? checked(json_string(s)) : json_null(); }

void jset(json_t *obj, const char *key, json_t *value)
{
	if (json_object_set_new(obj, key, checked(value)) < 0)
		die_oom();
}

void jset_str(json_t *obj, const char *key, const char *s) { jset(obj, key, jstr(s)); }
void jset_int(json_t *obj, const char *key, long long v) { jset(obj, key, json_integer((json_int_t)v)); }
void jset_bool(json_t *obj, const char *key, int v) { jset(obj, key, json_boolean(v)); }

void jpush(json_t *arr, json_t *value)
{
	if (json_array_append_new(arr, checked(value)) < 0)
		die_oom();
}

/* ---- text rendering ---- */

/* Characters, not bytes, so names in UTF-8 line up. */
static size_t text_width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static char *cell_text(const json_t *v);

static char *join_text(const json_t *arr)
{
	size_t i, len = 0;
	char *out, *part;

	if (json_array_size(arr) == 0)
		return xstrdup("-");
	out = xstrdup("");
	for (i = 0; i < json_array_size(arr); i++) {
		part = cell_text(json_array_get(arr, i));
		out = realloc(out, len + strlen(part) + 3);
		if (!out)
			die_oom();
		len += (size_t)sprintf(out + len, "%s%s", i ? ", " : "", part);
		free(part);
	}
	return out;
}

/* A value as a person reads it: yes/no for booleans, "-" for nothing, lists joined. */
static char *cell_text(const json_t *v)
{
	char num[32];

	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING:
		return xstrdup(json_string_value(v));
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return xstrdup(num);
	case JSON_TRUE:
		return xstrdup("yes");
	case JSON_FALSE:
		return xstrdup("no");
	case JSON_ARRAY:
		return join_text(v);
	default:
		return xstrdup("-");
	}
}

static void print_cells(char **cells, const size_t *width, size_t ncols)
{
	size_t j;

	for (j = 0; j < ncols; j++) {
		if (j + 1 < ncols)
			printf("%s%*s", cells[j], (int)(width[j] - text_width(cells[j]) + 2), "");
		else
			printf("%s\n", cells[j]);
	}
}

int out_json(json_t *v)
{
	json_dumpf(v, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
	json_decref(v);
	return CLI_OK;
}

int out_table(cli *c, json_t *rows, const out_col *cols)
{
	size_t ncols = 0, nrows = json_array_size(rows), i, j, *width;
	char **cells;

	if (c->json)
		return out_json(rows);
	while (cols[ncols].key)
		ncols++;
	width = xmalloc(ncols * sizeof(*width));
	cells = xmalloc((nrows + 1) * ncols * sizeof(*cells));
	for (j = 0; j < ncols; j++) {
		cells[j] = xstrdup(cols[j].header);
		width[j] = text_width(cells[j]);
	}
	for (i = 1; i <= nrows; i++) {
		for (j = 0; j < ncols; j++) {
			char *t = cell_text(json_object_get(json_array_get(rows, i - 1), cols[j].key));
			cells[i * ncols + j] = t;
			if (text_width(t) > width[j])
				width[j] = text_width(t);
		}
	}
	for (i = 0; i <= nrows; i++)
		print_cells(cells + i * ncols, width, ncols);
	for (i = 0; i < (nrows + 1) * ncols; i++)
		free(cells[i]);
	free(cells);
	free(width);
	json_decref(rows);
	return CLI_OK;
}

int out_fields(cli *c, json_t *obj)
{
	const char *key;
	json_t *v;
	size_t width = 0;

	if (c->json)
		return out_json(obj);
	json_object_foreach(obj, key, v) {
		if (strlen(key) > width)
			width = strlen(key);
	}
	json_object_foreach(obj, key, v) {
		char *t = cell_text(v);
		printf("%s:%*s%s\n", key, (int)(width - strlen(key) + 2), "", t);
		free(t);
	}
	json_decref(obj);
	return CLI_OK;
}

static void vnote(cli *c, const char *fmt, va_list ap)
{
	if (c->quiet)
		return;
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void note(cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vnote(c, fmt, ap);
	va_end(ap);
}

int out_done(cli *c, json_t *obj, const char *fmt, ...)
{
	va_list ap;

	if (c->json)
		return out_json(obj);
	json_decref(obj);
	va_start(ap, fmt);
	vnote(c, fmt, ap);
	va_end(ap);
	return CLI_OK;
}

/*
 * A secret is printed once: alone on standard output, so `$(acctctl ...)`
 * captures it, or as obj[key] in JSON. No copy of it outlives the call.
 */
int out_secret(cli *c, json_t *obj, const char *key, const char *secret, const char *fmt, ...)
{
	json_t *v;
	va_list ap;

	if (!c->json) {
		printf("%s\n", secret);
		fflush(stdout);
		json_decref(obj);
		va_start(ap, fmt);
		vnote(c, fmt, ap);
		va_end(ap);
		return CLI_OK;
	}
	jset_str(obj, key, secret);
	json_dumpf(obj, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
	fflush(stdout);
	v = json_object_get(obj, key);
	wipe((char *)json_string_value(v), json_string_length(v)); /* jansson's own copy */
	json_decref(obj);
	return CLI_OK;
}

/* ---- progress ---- */

static int bar_percent = -1; /* of the bar on screen, or -1 when none is */

/* End a bar cut short, so a message does not land on its line. */
static void progress_break(void)
{
	if (bar_percent >= 0)
		fputc('\n', stderr);
	bar_percent = -1;
}

/* A bar on standard error, only for a person watching a terminal. */
void progress(cli *c, const char *label, size_t done, size_t total)
{
	enum { BAR = 30 };
	int pct, fill;

	if (c->quiet || total == 0 || !isatty(STDERR_FILENO))
		return;
	pct = (int)(done * 100 / total);
	if (pct == bar_percent && done < total)
		return;
	bar_percent = pct;
	fill = (int)(done * BAR / total);
	fprintf(stderr, "\r%s [%.*s%*s] %3d%% %zu/%zu", label, fill, "==============================", BAR - fill, "",
	        pct, done, total);
	if (done >= total)
		progress_break();
}

/* ---- errors ---- */

/* Report a failure of the tool's own the way libacct reports its own, so fail() prints both alike. */
int seterr(int code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return acct_error_set_str(code, msg);
}

int fail(cli *c)
{
	const acct_error *e = acct_error_last();
	const char *msg = e->message[0] ? e->message : acct_strerror(e->code);
	size_t len = strlen(msg);

	while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		len--; /* libpq's messages end with a newline */
	progress_break();
	fprintf(stderr, "acctctl: %.*s\n", (int)len, msg);
	return c->fail;
}

int failf(cli *c, const char *fmt, ...)
{
	va_list ap;

	progress_break();
	fputs("acctctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return c->fail;
}

int usage(cli *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "acctctl: %s%s", c->path, c->path[0] ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'acctctl %s%s--help'.\n", c->path, c->path[0] ? " " : "");
	return CLI_USAGE;
}

