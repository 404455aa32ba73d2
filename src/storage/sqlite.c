/*
 * The SQLite backend: one table of (key, value) blobs ordered by key, in WAL
 * mode, through prepared statements only. Writers begin IMMEDIATE so two
 * processes on one file take turns instead of failing at commit. The schema
 * version lives in PRAGMA user_version; migrations run when a file opens.
 */
#include <stdio.h>
#include <string.h>
#include "util/util.h"
#include "acct/sys/storage.h"

int acct_sqlite_options_init(acct_sqlite_options *opts, unsigned int version)
{
	acct_sqlite_options init = ACCT_SQLITE_OPTIONS_INIT;

	if (!opts || version == 0 || version > ACCT_SQLITE_OPTIONS_VERSION)
		return acct_error_set_str(ACCT_EINVALID, "acct_sqlite_options version is not supported");
	*opts = init;
	opts->version = version;
	return 0;
}

#ifndef HAVE_SQLITE

int acct_storage_sqlite_new(acct_storage **out, const char *path, const acct_sqlite_options *opts)
{
	(void)path;
	(void)opts;
	if (out)
		*out = NULL;
	return acct_error_set_str(ACCT_ENOTSUPPORTED, "this libacct was built without SQLite (install libsqlite3-dev and rebuild)");
}

#else

#include <sqlite3.h>

#define SCHEMA_VERSION 1

enum { ST_BEGIN_READ, ST_BEGIN_WRITE, ST_COMMIT, ST_ROLLBACK, ST_GET, ST_PUT, ST_DEL, ST_COUNT };

static const char *const sql[ST_COUNT] = {
	"BEGIN DEFERRED",
	"BEGIN IMMEDIATE",
	"COMMIT",
	"ROLLBACK",
	"SELECT v FROM kv WHERE k = ?1",
	"INSERT INTO kv (k, v) VALUES (?1, ?2) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
	"DELETE FROM kv WHERE k = ?1",
};

/* Migrations: step N takes a file from schema N to N + 1. */
static const char *const migrations[SCHEMA_VERSION] = {
	"CREATE TABLE kv (k BLOB PRIMARY KEY NOT NULL, v BLOB NOT NULL) WITHOUT ROWID",
};

typedef struct lite {
	acct_storage base;
	sqlite3 *db;
	sqlite3_stmt *st[ST_COUNT];
	int in_txn;
} lite;

typedef struct lite_iter {
	acct_storage_iterator base;
	sqlite3_stmt *stmt;
	unsigned char *upper;
	int done;               /* stepping a finished statement would start it again */
} lite_iter;

static int fail(lite *l, int rc, const char *what)
{
	int code = rc == SQLITE_NOMEM ? ACCT_ENOMEM : ACCT_ESTORAGE;
	char msg[400];

	snprintf(msg, sizeof(msg), "SQLite %s failed: %s%s", what, l && l->db ? sqlite3_errmsg(l->db) : sqlite3_errstr(rc),
	         rc == SQLITE_BUSY ? " (another process holds the database; try again)" : "");
	return acct_error_set_str(code, msg);
}

static int run(lite *l, int which)
{
	sqlite3_stmt *s = l->st[which];
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : fail(l, rc, sql[which]);
}

static int lite_begin(acct_storage *s, int write)
{
	lite *l = s->payload;
	int rc;

	if (l->in_txn)
		return acct_error_set_str(ACCT_ESTORAGE, "SQLite store: a transaction is already open");
	if ((rc = run(l, write ? ST_BEGIN_WRITE : ST_BEGIN_READ)) == 0)
		l->in_txn = 1;
	return rc;
}

static int lite_commit(acct_storage *s)
{
	lite *l = s->payload;
	int rc = run(l, ST_COMMIT);

	if (rc == 0)
		l->in_txn = 0;
	return rc;
}

static int lite_rollback(acct_storage *s)
{
	lite *l = s->payload;
	int rc = 0;

	/* After a failed COMMIT SQLite may already have ended the transaction. */
	if (!sqlite3_get_autocommit(l->db))
		rc = run(l, ST_ROLLBACK);
	l->in_txn = 0;
	return rc;
}

static int bind_blob(sqlite3_stmt *st, int i, const void *p, size_t n)
{
	return sqlite3_bind_blob64(st, i, n ? p : "", (sqlite3_uint64)n, SQLITE_STATIC);
}

static int lite_get(acct_storage *s, const unsigned char *k, size_t klen, acct_buf *v)
{
	lite *l = s->payload;
	sqlite3_stmt *st = l->st[ST_GET];
	int rc = bind_blob(st, 1, k, klen), out;

	if (rc != SQLITE_OK)
		return fail(l, rc, "get");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		out = acct_buf_set(v, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0));
	else if (rc == SQLITE_DONE)
		out = ACCT_ENOTFOUND;
	else
		out = fail(l, rc, "get");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return out;
}

static int lite_put(acct_storage *s, const unsigned char *k, size_t klen, const unsigned char *v, size_t vlen)
{
	lite *l = s->payload;
	sqlite3_stmt *st = l->st[ST_PUT];
	int rc;

	if (bind_blob(st, 1, k, klen) != SQLITE_OK || bind_blob(st, 2, v, vlen) != SQLITE_OK)
		return fail(l, SQLITE_ERROR, "put");
	rc = run(l, ST_PUT);
	sqlite3_clear_bindings(st);
	return rc;
}

static int lite_del(acct_storage *s, const unsigned char *k, size_t klen)
{
	lite *l = s->payload;
	sqlite3_stmt *st = l->st[ST_DEL];
	int rc;

	if (bind_blob(st, 1, k, klen) != SQLITE_OK)
		return fail(l, SQLITE_ERROR, "del");
	rc = run(l, ST_DEL);
	sqlite3_clear_bindings(st);
	return rc;
}

static int iter_next(acct_storage_iterator *it, acct_buf *k, acct_buf *v)
{
	lite_iter *li = it->payload;
	int rc;

	if (li->done)
		return ACCT_ITEROVER;
	rc = sqlite3_step(li->stmt);
	if (rc == SQLITE_DONE) {
		li->done = 1;
		return ACCT_ITEROVER;
	}
	if (rc != SQLITE_ROW)
		return fail(NULL, rc, "iterate");
	if (acct_buf_set(k, sqlite3_column_blob(li->stmt, 0), (size_t)sqlite3_column_bytes(li->stmt, 0)) < 0 ||
	    acct_buf_set(v, sqlite3_column_blob(li->stmt, 1), (size_t)sqlite3_column_bytes(li->stmt, 1)) < 0)
		return ACCT_ENOMEM;
	return 0;
}

static void iter_free(acct_storage_iterator *it)
{
	lite_iter *li = it->payload;

	sqlite3_finalize(li->stmt);
	acct__free(li->upper);
	acct__free(li);
}

static int lite_iterate(acct_storage_iterator **out, acct_storage *s, const unsigned char *p, size_t plen)
{
	lite *l = s->payload;
	lite_iter *li = acct__calloc(1, sizeof(*li));
	size_t ulen = plen;
	int rc;

	if (!li)
		return acct_error_set_str(ACCT_ENOMEM, "out of memory");
	/* The keys with prefix p are those in [p, p + 1): the upper bound is p with
	 * its last byte below 0xFF incremented and the rest dropped. */
	if (plen && !(li->upper = acct__malloc(plen))) {
		acct__free(li);
		return acct_error_set_str(ACCT_ENOMEM, "out of memory");
	}
	if (plen)
		memcpy(li->upper, p, plen);
	while (ulen && li->upper[ulen - 1] == 0xFF)
		ulen--;
	if (ulen)
		li->upper[ulen - 1]++;
	rc = sqlite3_prepare_v2(l->db,
	                        ulen ? "SELECT k, v FROM kv WHERE k >= ?1 AND k < ?2 ORDER BY k"
	                             : "SELECT k, v FROM kv WHERE k >= ?1 ORDER BY k",
	                        -1, &li->stmt, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_blob64(li->stmt, 1, plen ? (const void *)p : "", (sqlite3_uint64)plen, SQLITE_TRANSIENT);
	if (rc == SQLITE_OK && ulen)
		rc = sqlite3_bind_blob64(li->stmt, 2, li->upper, (sqlite3_uint64)ulen, SQLITE_STATIC);
	if (rc != SQLITE_OK) {
		rc = fail(l, rc, "iterate");
		sqlite3_finalize(li->stmt);
		acct__free(li->upper);
		acct__free(li);
		return rc;
	}
	acct_storage_iterator_init(&li->base, ACCT_STORAGE_ITERATOR_VERSION);
	li->base.payload = li;
	li->base.next = iter_next;
	li->base.free = iter_free;
	*out = &li->base;
	return 0;
}

static void lite_close(lite *l)
{
	int i;

	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(l->st[i]);
	sqlite3_close(l->db);
	acct__free(l);
}

static void lite_free(acct_storage *s)
{
	lite *l = s->payload;

	if (l->in_txn)
		lite_rollback(s);
	lite_close(l);
}

static int exec(lite *l, const char *q)
{
	char *err = NULL;
	int rc = sqlite3_exec(l->db, q, NULL, NULL, &err);

	if (rc != SQLITE_OK) {
		char msg[400];
		snprintf(msg, sizeof(msg), "SQLite failed to run \"%s\": %s", q, err ? err : sqlite3_errstr(rc));
		sqlite3_free(err);
		return acct_error_set_str(rc == SQLITE_NOMEM ? ACCT_ENOMEM : ACCT_ESTORAGE, msg);
	}
	return 0;
}

static int schema(lite *l)
{
	sqlite3_stmt *st = NULL;
	int version = 0, rc;
	char q[64];

	if (sqlite3_prepare_v2(l->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return fail(l, SQLITE_ERROR, "reading the schema version");
	if (sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version > SCHEMA_VERSION) {
		snprintf(q, sizeof(q), "SQLite store has schema %d; this libacct knows %d", version, SCHEMA_VERSION);
		return acct_error_set_str(ACCT_EVERSION, q);
	}
	if (version == SCHEMA_VERSION)
		return 0;
	if ((rc = exec(l, "BEGIN IMMEDIATE")) < 0)
		return rc;
	/* Read again under the lock: another process may have migrated meanwhile. */
	if (sqlite3_prepare_v2(l->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	for (; rc == 0 && version < SCHEMA_VERSION; version++)
		rc = exec(l, migrations[version]);
	if (rc == 0) {
		snprintf(q, sizeof(q), "PRAGMA user_version = %d", SCHEMA_VERSION);
		rc = exec(l, q);
	}
	if (rc == 0)
		return exec(l, "COMMIT");
	exec(l, "ROLLBACK");
	return rc;
}

int acct_storage_sqlite_new(acct_storage **out, const char *path, const acct_sqlite_options *opts)
{
	acct_sqlite_options o = ACCT_SQLITE_OPTIONS_INIT;
	lite *l;
	char q[64];
	int rc, i;

	if (out)
		*out = NULL;
	if (!out || !path || !*path)
		return acct_error_set_str(ACCT_EINVALID, "acct_storage_sqlite_new needs out and a file name");
	if (opts) {
		if (opts->version == 0 || opts->version > ACCT_SQLITE_OPTIONS_VERSION)
			return acct_error_set_str(ACCT_EINVALID, "acct_sqlite_options version is not supported");
		o = *opts;
	}
	if (o.synchronous < ACCT_SQLITE_SYNC_OFF || o.synchronous > ACCT_SQLITE_SYNC_FULL)
		return acct_error_set_str(ACCT_EINVALID, "synchronous must be ACCT_SQLITE_SYNC_OFF, _NORMAL or _FULL");
	if (o.busy_timeout_ms < 0)
		return acct_error_set_str(ACCT_EINVALID, "busy_timeout_ms must not be negative");
	if (!(l = acct__calloc(1, sizeof(*l))))
		return acct_error_set_str(ACCT_ENOMEM, "out of memory");
	rc = sqlite3_open_v2(path, &l->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL);
	if (rc != SQLITE_OK) {
		char msg[400];
		snprintf(msg, sizeof(msg), "cannot open SQLite store '%.300s': %s", path,
		         l->db ? sqlite3_errmsg(l->db) : sqlite3_errstr(rc));
		lite_close(l);
		return acct_error_set_str(ACCT_ESTORAGE, msg);
	}
	sqlite3_extended_result_codes(l->db, 0);
	sqlite3_busy_timeout(l->db, o.busy_timeout_ms ? o.busy_timeout_ms : 5000);
	snprintf(q, sizeof(q), "PRAGMA synchronous = %d", o.synchronous);
	rc = exec(l, "PRAGMA journal_mode = WAL");
	if (rc == 0)
		rc = exec(l, q);
	if (rc == 0)
		rc = schema(l);
	for (i = 0; rc == 0 && i < ST_COUNT; i++)
		if (sqlite3_prepare_v3(l->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &l->st[i], NULL) != SQLITE_OK)
			rc = fail(l, SQLITE_ERROR, "preparing statements (is this a libacct store?)");
	if (rc < 0) {
		lite_close(l); /* sets no libacct error: the reason stays */
		return rc;
	}
	acct_storage_init(&l->base, ACCT_STORAGE_VERSION);
	l->base.payload = l;
	l->base.begin = lite_begin;
	l->base.commit = lite_commit;
	l->base.rollback = lite_rollback;
	l->base.get = lite_get;
	l->base.put = lite_put;
	l->base.del = lite_del;
	l->base.iterate = lite_iterate;
	l->base.free = lite_free;
	*out = &l->base;
	return 0;
}

#endif
