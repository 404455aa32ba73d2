/*
 * Opening stores: --store URIs, the backends, the "is it initialised?"
 * probe, the context and the acting session; and `init`, which creates a
 * store.
 *
 * The probe reads the backend through its vtable (acct/sys/storage.h) before
 * any context takes it, so a command on an empty store can say so instead of
 * failing, and nothing but `init` and `import` ever writes a new store.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <acct/sys/storage.h>
#include "acctctl.h"

enum { STORE_UNKNOWN, STORE_SQLITE, STORE_POSTGRES, STORE_MEMORY };

/* Which backend a URI names; *arg receives what its constructor takes. */
static int store_kind(const char *uri, const char **arg)
{
	*arg = uri;
	if (strncmp(uri, "sqlite:", 7) == 0) {
		*arg = uri + 7;
		return STORE_SQLITE;
	}
	if (strncmp(uri, "postgresql://", 13) == 0 || strncmp(uri, "postgres://", 11) == 0)
		return STORE_POSTGRES; /* a libpq URI, passed whole */
	if (strncmp(uri, "postgresql:", 11) == 0 || strncmp(uri, "postgres:", 9) == 0) {
		*arg = strchr(uri, ':') + 1; /* a libpq "key=value ..." string */
		return STORE_POSTGRES;
	}
	if (strcmp(uri, "memory:") == 0)
		return STORE_MEMORY;
	return strchr(uri, ':') ? STORE_UNKNOWN : STORE_SQLITE; /* a bare file name */
}

/* Replace the text at `from`, up to the first byte of `stops` (or the end), with "***". */
static void mask(char *from, const char *stops)
{
	size_t keep = strcspn(from, stops);

	memmove(from + 3, from + keep, strlen(from + keep) + 1);
	memcpy(from, "***", 3);
}

/* The URI for messages, with any PostgreSQL password hidden: messages end up in logs. */
const char *store_name(const cli *c)
{
	static char name[512 + 8]; /* each mask may grow the text by up to 3 bytes */
	char *slashes, *at, *colon, *pw;
	const char *arg;

	snprintf(name, 512, "%s", c->store_uri);
	if (store_kind(name, &arg) != STORE_POSTGRES)
		return name;
	if ((slashes = strstr(name, "//")) != NULL && (at = strchr(slashes, '@')) != NULL &&
	    (colon = strchr(slashes, ':')) != NULL && colon < at)
		mask(colon + 1, "@"); /* postgresql://user:PASSWORD@host */
	if ((pw = strstr(name, "password=")) != NULL)
		mask(pw + 9, "& "); /* ?password=... or password=... */
	return name;
}

int store_not_initialised(cli *c)
{
	const char *quote;

	if (strcmp(c->store_uri, "memory:") == 0)
		return failf(c, "store 'memory:' is not initialised: a memory store starts empty each time acctctl runs, "
		                "so only 'init' and 'import' can use it");
	/* The hint is for copying into a shell: quote what the shell would split. */
	quote = c->store_given && strpbrk(store_name(c), " &?;|<>()$`\\\"'*") ? "\"" : "";
	return failf(c, "store '%s' is not initialised; run 'acctctl %s%s%s%s%sinit --admin-login LOGIN'", store_name(c),
	             c->store_given ? "--store " : "", quote, c->store_given ? store_name(c) : "", quote,
	             c->store_given ? " " : "");
}

static int file_exists(cli *c, const char *path, int *exists)
{
	struct stat st;

	*exists = stat(path, &st) == 0;
	if (!*exists && errno != ENOENT)
		return failf(c, "cannot use '%s': %s", path, strerror(errno));
	return CLI_OK;
}

int store_backend(cli *c, int create)
{
	const char *arg;
	int rc = 0, exists;

	switch (store_kind(c->store_uri, &arg)) {
	case STORE_SQLITE:
		if (!arg[0])
			return usage(c, "store 'sqlite:' names no file (sqlite:PATH)");
		if ((rc = file_exists(c, arg, &exists)) != CLI_OK)
			return rc;
		if (!exists && !create)
			return store_not_initialised(c);
		if ((rc = acct_storage_sqlite_new(&c->store, arg, NULL)) == 0 && !exists)
			c->new_file = arg;
		break;
	case STORE_POSTGRES:
		rc = acct_storage_postgres_new(&c->store, arg);
		break;
	case STORE_MEMORY:
		rc = acct_storage_memory_new(&c->store);
		break;
	default:
		return usage(c, "unknown store '%s': use sqlite:PATH, postgresql://... or memory:", store_name(c));
	}
	return rc < 0 ? fail(c) : CLI_OK;
}

int store_probe(cli *c, int *empty)
{
	acct_storage *st = c->store;
	acct_storage_iterator *it = NULL;
	acct_buf key = ACCT_BUF_INIT, value = ACCT_BUF_INIT;
	int rc;

	*empty = 0;
	if (st->begin(st, 0) < 0)
		return fail(c);
	if ((rc = st->iterate(&it, st, NULL, 0)) == 0) {
		rc = it->next(it, &key, &value);
		it->free(it);
	}
	acct_buf_dispose(&key);
	acct_buf_dispose(&value);
	*empty = rc == ACCT_ITEROVER;
	if (rc == 0 || rc == ACCT_ITEROVER)
		rc = st->commit(st);
	if (rc < 0) {
		rc = fail(c); /* before rollback, which may replace the message */
		st->rollback(st);
	}
	return rc;
}

/* Refuse a store that holds anything, without creating one that does not exist. */
int store_check_empty(cli *c, const char *refusal)
{
	const char *arg;
	int rc, empty = 1, exists = 1;

	if (store_kind(c->store_uri, &arg) == STORE_SQLITE && arg[0] && (rc = file_exists(c, arg, &exists)) != CLI_OK)
		return rc;
	if (!exists)
		return CLI_OK;
	if ((rc = store_backend(c, 0)) == CLI_OK)
		rc = store_probe(c, &empty);
	acct_storage_free(c->store);
	c->store = NULL;
	if (rc == CLI_OK && !empty)
		return failf(c, "store '%s' %s", store_name(c), refusal);
	return rc;
}

/* ---- the context ---- */

/* --audit: one JSON object per line, flushed, so `tail -f` follows it. */
static void audit_line(const acct_audit_event *e, void *payload)
{
	FILE *f = payload;
	json_t *o = jobj();

	jset_int(o, "time", e->time);
	jset_int(o, "actor", e->actor);
	jset_str(o, "operation", e->operation);
	jset_int(o, "target", e->target);
	jset_int(o, "result", e->result);
	jset_str(o, "text", e->text);
	jset_str(o, "detail", e->detail);
	/* serve calls this from several threads: one whole line at a time. */
	flockfile(f);
	json_dumpf(o, f, JSON_COMPACT);
	fputc('\n', f);
	fflush(f);
	funlockfile(f);
	json_decref(o);
}

static int audit_open(cli *c)
{
	if (!c->audit_path)
		return CLI_OK;
	if (!(c->audit = fopen(c->audit_path, "a")))
		return failf(c, "cannot open audit file '%s': %s", c->audit_path, strerror(errno));
	return acct_ctx_set_audit(c->ctx, audit_line, c->audit) < 0 ? fail(c) : CLI_OK;
}

int store_attach(cli *c, const char *admin_login, const char *admin_password)
{
	acct_ctx_options o = ACCT_CTX_OPTIONS_INIT;
	int rc;

	o.admin_login = admin_login;
	o.admin_password = admin_password;
	o.password_cost = c->password_cost;
	o.auth_cache_seconds = c->auth_cache_seconds;
	if (acct_ctx_new(&c->ctx, c->store, &o) < 0)
		return fail(c);
	c->store = NULL; /* the context owns it now */
	if ((rc = audit_open(c)) != CLI_OK)
		return rc;
	return acct_session_open_as(&c->admin, c->ctx, 1) < 0 ? fail(c) : CLI_OK;
}

/* Returns 0 or an ACCT_E* code with the reason in acct_error_last(). */
int store_session_as(cli *c, acct_session **out, const char *login)
{
	acct_account *a = NULL;
	int rc = account_load(&a, c->admin, login, 0);

	if (rc == 0)
		rc = acct_session_open_as(out, c->ctx, acct_account_id(a));
	acct_account_free(a);
	return rc;
}

int store_open(cli *c, int with_as)
{
	int rc, empty;

	if ((rc = store_backend(c, 0)) != CLI_OK || (rc = store_probe(c, &empty)) != CLI_OK)
		return rc;
	if (empty)
		return store_not_initialised(c);
	if ((rc = store_attach(c, NULL, NULL)) != CLI_OK)
		return rc;
	if (!with_as || !c->as_login) {
		c->s = with_as ? c->admin : NULL;
		return CLI_OK;
	}
	return store_session_as(c, &c->s, c->as_login) < 0 ? fail(c) : CLI_OK;
}

void store_close(cli *c)
{
	if (c->s != c->admin)
		acct_session_free(c->s);
	acct_session_free(c->admin);
	c->s = c->admin = NULL;
	acct_ctx_free(c->ctx);
	c->ctx = NULL;
	acct_storage_free(c->store);
	c->store = NULL;
	if (c->audit)
		fclose(c->audit);
	c->audit = NULL;
}

/* After a failed init or import: a file this run created goes, with SQLite's side files. */
void store_discard(cli *c)
{
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
	char path[4096];
	size_t i;

	store_close(c);
	for (i = 0; c->new_file && i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", c->new_file, suffixes[i]);
		unlink(path);
	}
	c->new_file = NULL;
}

/* ---- init ---- */

static int init_report(cli *c, const char *login, const char *generated)
{
	json_t *o = jobj();

	jset_str(o, "store", store_name(c));
	jset_int(o, "id", 1);
	jset_str(o, "login", login);
	if (generated[0])
		return out_secret(c, o, "password", generated,
		                  "initialised store '%s'; administrator '%s' (id 1), whose password is printed once",
		                  store_name(c), login);
	return out_done(c, o, "initialised store '%s'; administrator '%s' (id 1)", store_name(c), login);
}

int cmd_init(cli *c)
{
	const char *login = opt_str(c, "admin-login");
	char pw[PASSWORD_SIZE];
	int rc, empty;

	/* Refuse before asking for a password, and ask before creating anything. */
	if ((rc = store_check_empty(c, "is already initialised")) != CLI_OK)
		return rc;
	if ((rc = read_password(c, pw, "admin-password", "Administrator password", 1)) != CLI_OK)
		return rc;
	if ((rc = store_backend(c, 1)) == CLI_OK && (rc = store_probe(c, &empty)) == CLI_OK && !empty)
		rc = failf(c, "store '%s' is already initialised", store_name(c)); /* by another process meanwhile */
	if (rc == CLI_OK)
		rc = store_attach(c, login, pw);
	if (rc == CLI_OK)
		rc = init_report(c, login, opt_count(c, "generate-password") ? pw : "");
	else
		store_discard(c);
	wipe(pw, sizeof(pw));
	return rc;
}
