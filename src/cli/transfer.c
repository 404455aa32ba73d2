/*
 * export and import: the whole store as one JSON document.
 *
 *   {"format": "libacct-export", "version": 1, "libacct": "0.1.0",
 *    "records": [{"key": BASE64, "value": BASE64}, ...],
 *    "accounts": [{"id", "type", "login", "owner", "status", "name", "email"}, ...]}
 *
 * "records" is the exact content of the store, read through the storage
 * vtable (acct/sys/storage.h) in key order: libacct's key layout stays
 * private, fields added later travel unchanged, and the store only ever
 * holds password hashes, so the document never holds a password in clear.
 * "accounts" is a summary for people, read through the public API; import
 * ignores it. Import writes the records into an empty store in one write
 * transaction, then opens a context over it, whose load checks every record.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <acct/sys/storage.h>
#include "acctctl.h"

#define FORMAT_NAME "libacct-export"
#define FORMAT_VERSION 1

/* ---- the output file ---- */

/* Export goes to a temporary file beside FILE, renamed over it only when complete. */
typedef struct sink {
	FILE *f;
	const char *path; /* NULL for standard output */
	char *tmp;
} sink;

static int sink_open(cli *c, sink *k, const char *path)
{
	int fd;

	memset(k, 0, sizeof(*k));
	if (!path || strcmp(path, "-") == 0) {
		k->f = stdout;
		return CLI_OK;
	}
	k->path = path;
	k->tmp = xmalloc(strlen(path) + 8);
	sprintf(k->tmp, "%s.XXXXXX", path);
	/* mkstemp makes it 0600: the document holds password hashes. */
	if ((fd = mkstemp(k->tmp)) < 0 || !(k->f = fdopen(fd, "w"))) {
		int err = errno;
		if (fd >= 0) {
			close(fd);
			unlink(k->tmp);
		}
		free(k->tmp);
		return failf(c, "cannot write '%s': %s", path, strerror(err));
	}
	return CLI_OK;
}

static int sink_close(cli *c, sink *k, int ok)
{
	int err = 0;

	if (fflush(k->f) != 0 || ferror(k->f))
		err = errno ? errno : EIO;
	if (!k->path) {
		if (ok && err)
			return failf(c, "cannot write the export: %s", strerror(err));
		return ok ? CLI_OK : c->fail;
	}
	if (ok && !err && fsync(fileno(k->f)) != 0)
		err = errno;
	if (fclose(k->f) != 0 && !err)
		err = errno;
	if (ok && !err && rename(k->tmp, k->path) != 0)
		err = errno;
	if (!ok || err)
		unlink(k->tmp);
	free(k->tmp);
	if (ok && err)
		return failf(c, "cannot write '%s': %s", k->path, strerror(err));
	return ok ? CLI_OK : c->fail;
}

/* ---- export ---- */

/* Only for the progress bar: a second pass over the keys, in the same snapshot. */
static size_t count_records(cli *c)
{
	acct_storage *st = c->store;
	acct_storage_iterator *it;
	acct_buf k = ACCT_BUF_INIT, v = ACCT_BUF_INIT;
	size_t n = 0;

	if (c->quiet || !isatty(STDERR_FILENO) || st->iterate(&it, st, NULL, 0) < 0)
		return 0;
	while (it->next(it, &k, &v) == 0)
		n++;
	it->free(it);
	acct_buf_dispose(&k);
	acct_buf_dispose(&v);
	return n;
}

static void write_record(FILE *f, const acct_buf *k, const acct_buf *v, size_t n)
{
	char *key = base64_encode((const unsigned char *)k->ptr, k->size);
	char *value = base64_encode((const unsigned char *)v->ptr, v->size);

	fprintf(f, "%s    {\"key\": \"%s\", \"value\": \"%s\"}", n ? ",\n" : "", key, value);
	free(key);
	free(value);
}

static int iterate_records(cli *c, FILE *f, size_t *count)
{
	acct_storage *st = c->store;
	acct_storage_iterator *it;
	acct_buf k = ACCT_BUF_INIT, v = ACCT_BUF_INIT;
	size_t total = count_records(c), n = 0;
	int rc;

	if ((rc = st->iterate(&it, st, NULL, 0)) < 0)
		return rc;
	while ((rc = it->next(it, &k, &v)) == 0) {
		write_record(f, &k, &v, n++);
		progress(c, "exporting records ", n, total > n ? total : n);
	}
	it->free(it);
	acct_buf_dispose(&k);
	acct_buf_dispose(&v);
	*count = n;
	return rc == ACCT_ITEROVER ? 0 : rc;
}

/* Every record in one read transaction, so the document is one consistent snapshot. */
static int write_records(cli *c, FILE *f, size_t *count)
{
	acct_storage *st = c->store;
	int rc;

	if (st->begin(st, 0) < 0)
		return fail(c);
	fputs("  \"records\": [\n", f);
	if ((rc = iterate_records(c, f, count)) == 0)
		rc = st->commit(st);
	if (rc < 0) {
		rc = fail(c); /* before rollback, which may replace the message */
		st->rollback(st);
		return rc;
	}
	fputs("\n  ],\n", f);
	return CLI_OK;
}

static json_t *account_line(cli *c, acct_id id, json_t *logins)
{
	acct_account *a;
	json_t *o;

	if (acct_account_lookup(&a, c->s, id) < 0)
		return NULL;
	o = jobj();
	jset_int(o, "id", id);
	jset_str(o, "type", acct_account_type_name(acct_account_type(a)));
	jset_str(o, "login", acct_account_get(a, ACCT_FIELD_LOGIN));
	jset_str(o, "owner", acct_account_owner(a) ? login_of(c, logins, acct_account_owner(a)) : NULL);
	jset_int(o, "status", acct_account_status(a));
	jset_str(o, "name", acct_account_get(a, ACCT_FIELD_NAME));
	jset_str(o, "email", acct_account_get(a, ACCT_FIELD_EMAIL));
	acct_account_free(a);
	return o;
}

static int write_accounts(cli *c, FILE *f, size_t *count)
{
	acct_account_iterator *it;
	json_t *logins = jobj(), *o;
	size_t total = acct_ctx_account_count(c->ctx), n = 0;
	acct_id id = 1;
	int rc;

	if (acct_account_iterator_new(&it, c->s, 1, ACCT_ITER_DESCENDANTS) < 0) {
		json_decref(logins);
		return fail(c);
	}
	fputs("  \"accounts\": [\n", f);
	do {
		if ((o = account_line(c, id, logins)) != NULL) {
			fputs(n++ ? ",\n    " : "    ", f);
			json_dumpf(o, f, JSON_COMPACT);
			json_decref(o);
			progress(c, "exporting accounts", n, total > n ? total : n);
		}
	} while ((rc = acct_account_iterator_next(&id, it)) == 0);
	fputs("\n  ]\n", f);
	acct_account_iterator_free(it);
	json_decref(logins);
	*count = n;
	return rc == ACCT_ITEROVER ? CLI_OK : fail(c);
}

static int export_to(cli *c, sink *k, size_t *records, size_t *accounts)
{
	int rc;

	fprintf(k->f, "{\n  \"format\": \"%s\",\n  \"version\": %d,\n  \"libacct\": \"%s\",\n", FORMAT_NAME,
	        FORMAT_VERSION, acct_version(NULL, NULL, NULL));
	if ((rc = write_records(c, k->f, records)) != CLI_OK)
		return rc;
	/* A context over the same backend checks the store and reads the summary. */
	if ((rc = store_attach(c, NULL, NULL)) != CLI_OK)
		return rc;
	c->s = c->admin;
	if ((rc = write_accounts(c, k->f, accounts)) == CLI_OK)
		fputs("}\n", k->f);
	return rc;
}

int cmd_export(cli *c)
{
	const char *path = c->nargs ? c->args[0] : "-";
	size_t records = 0, accounts = 0;
	json_t *o;
	sink k;
	int rc, empty;

	if (c->as_login)
		return usage(c, "export reads the whole store as the administrator; --as does not apply");
	if ((rc = store_backend(c, 0)) != CLI_OK || (rc = store_probe(c, &empty)) != CLI_OK)
		return rc;
	if (empty)
		return store_not_initialised(c);
	if ((rc = sink_open(c, &k, path)) != CLI_OK)
		return rc;
	if ((rc = sink_close(c, &k, export_to(c, &k, &records, &accounts) == CLI_OK)) != CLI_OK)
		return rc;
	if (!k.path) {
		note(c, "exported %zu records (%zu accounts) from '%s'", records, accounts, store_name(c));
		return CLI_OK;
	}
	o = jobj();
	jset_str(o, "file", path);
	jset_int(o, "records", (long long)records);
	jset_int(o, "accounts", (long long)accounts);
	return out_done(c, o, "exported %zu records (%zu accounts) from '%s' to '%s'", records, accounts, store_name(c),
	                path);
}

/* ---- import ---- */

static json_t *load_document(cli *c, const char *path)
{
	json_error_t err;
	json_t *doc;
	int stdin_doc = strcmp(path, "-") == 0;

	doc = stdin_doc ? json_loadf(stdin, 0, &err) : json_load_file(path, 0, &err);
	if (!doc)
		failf(c, "%s: %s (line %d, column %d)", stdin_doc ? "standard input" : path, err.text, err.line, err.column);
	return doc;
}

/* The records array of a document this acctctl can read, or NULL after saying why. */
static json_t *document_records(cli *c, json_t *doc, const char *path)
{
	const char *format = json_string_value(json_object_get(doc, "format"));
	json_t *version = json_object_get(doc, "version"), *records = json_object_get(doc, "records");

	if (!format || strcmp(format, FORMAT_NAME) != 0) {
		failf(c, "%s is not a libacct export (no \"format\": \"%s\")", path, FORMAT_NAME);
		return NULL;
	}
	if (!json_is_integer(version)) {
		failf(c, "%s has no export version", path);
		return NULL;
	}
	if (json_integer_value(version) != FORMAT_VERSION) {
		failf(c, "%s has export version %" JSON_INTEGER_FORMAT "; this acctctl reads version %d", path,
		      json_integer_value(version), FORMAT_VERSION);
		return NULL;
	}
	if (!json_is_array(records) || json_array_size(records) == 0) {
		failf(c, "%s holds no records", path);
		return NULL;
	}
	return records;
}

/* Keys must ascend strictly, as export writes them: a repeated key would silently replace another. */
static int key_after(const unsigned char *k, size_t klen, const unsigned char *prev, size_t plen)
{
	size_t n = klen < plen ? klen : plen;
	int cmp = memcmp(k, prev, n);

	return cmp > 0 || (cmp == 0 && klen > plen);
}

static int put_record(cli *c, json_t *rec, size_t i, unsigned char **prev, size_t *plen)
{
	const char *k64 = json_string_value(json_object_get(rec, "key"));
	const char *v64 = json_string_value(json_object_get(rec, "value"));
	unsigned char *k = NULL, *v = NULL;
	size_t klen, vlen;
	int rc;

	if (!k64 || !v64 || base64_decode(&k, &klen, k64) < 0 || base64_decode(&v, &vlen, v64) < 0)
		rc = seterr(ACCT_EPARSE, "record %zu: \"key\" and \"value\" must be base64 strings", i + 1);
	else if (*prev && !key_after(k, klen, *prev, *plen))
		rc = seterr(ACCT_EPARSE, "record %zu: keys are not in ascending order (a repeated or edited record)", i + 1);
	else
		rc = c->store->put(c->store, k, klen, v, vlen);
	free(v);
	free(*prev);
	*prev = k;
	*plen = klen;
	return rc;
}

static int put_records(cli *c, json_t *records)
{
	acct_storage *st = c->store;
	unsigned char *prev = NULL;
	size_t i, n = json_array_size(records), plen = 0;
	int rc;

	if (st->begin(st, 1) < 0)
		return fail(c);
	for (i = 0, rc = 0; i < n && rc == 0; i++) {
		rc = put_record(c, json_array_get(records, i), i, &prev, &plen);
		progress(c, "importing records", i + 1, n);
	}
	free(prev);
	if (rc == 0)
		rc = st->commit(st);
	if (rc < 0) {
		rc = fail(c);
		st->rollback(st);
		return rc;
	}
	return CLI_OK;
}

/* The records went in but do not open as a store: take them out again, so the target is as it was. */
static int undo_import(cli *c, json_t *records)
{
	acct_storage *st = c->store;
	unsigned char *k;
	size_t i, klen;

	if (c->new_file) {
		store_discard(c);
	} else if (st->begin(st, 1) == 0) {
		for (i = 0; i < json_array_size(records); i++) {
			if (base64_decode(&k, &klen, json_string_value(json_object_get(json_array_get(records, i), "key"))) == 0)
				st->del(st, k, klen);
			free(k);
		}
		if (st->commit(st) < 0)
			st->rollback(st);
	}
	return failf(c, "the imported records do not open as a store; nothing was imported");
}

static int import_records(cli *c, json_t *records)
{
	json_t *o;
	int rc, empty;

	if ((rc = store_check_empty(c, "is not empty; import needs an empty store")) != CLI_OK)
		return rc;
	if ((rc = store_backend(c, 1)) != CLI_OK || (rc = store_probe(c, &empty)) != CLI_OK)
		return rc;
	if (!empty)
		return failf(c, "store '%s' is not empty; import needs an empty store", store_name(c));
	if ((rc = put_records(c, records)) != CLI_OK)
		return rc;
	/* Opening a context loads and checks every record; if it fails, the backend is still ours. */
	if ((rc = store_attach(c, NULL, NULL)) != CLI_OK)
		return c->store ? undo_import(c, records) : rc;
	o = jobj();
	jset_str(o, "store", store_name(c));
	jset_int(o, "records", (long long)json_array_size(records));
	jset_int(o, "accounts", (long long)acct_ctx_account_count(c->ctx));
	return out_done(c, o, "imported %zu records (%zu accounts) into '%s'", json_array_size(records),
	                acct_ctx_account_count(c->ctx), store_name(c));
}

int cmd_import(cli *c)
{
	const char *path = c->nargs ? c->args[0] : "-";
	json_t *doc, *records;
	int rc;

	if (c->as_login)
		return usage(c, "import writes the whole store as the administrator; --as does not apply");
	if (!(doc = load_document(c, path)))
		return c->fail;
	if (!(records = document_records(c, doc, strcmp(path, "-") == 0 ? "standard input" : path)))
		rc = c->fail;
	else if ((rc = import_records(c, records)) != CLI_OK)
		store_discard(c);
	json_decref(doc);
	return rc;
}
