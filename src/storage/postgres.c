/*
 * The PostgreSQL backend (libpq): one table of (key, value) bytea rows. Every
 * statement is prepared and takes parameters in binary. Writers take a
 * transaction-scoped advisory lock first, so writes from all nodes run one at
 * a time: uniqueness (logins, external ids) holds across nodes and a write can
 * never fail with a serialization error at commit. Readers get a consistent
 * snapshot. Iteration goes through a server-side cursor, a batch at a time.
 */
#include <stdio.h>
#include <string.h>
#include "util/util.h"
#include "acct/sys/storage.h"

#ifndef HAVE_POSTGRES

int acct_storage_postgres_new(acct_storage **out, const char *conninfo)
{
	(void)conninfo;
	if (out)
		*out = NULL;
	return acct_error_set_str(ACCT_ENOTSUPPORTED, "this libacct was built without PostgreSQL (install libpq-dev and rebuild)");
}

#else

#include <libpq-fe.h>

/* The advisory lock every writer takes: "acct" in ASCII. */
#define WRITE_LOCK "1633903476"
#define BATCH "1000"

typedef struct pg {
	acct_storage base;
	PGconn *conn;
	int in_txn;
	unsigned long cursors; /* names each cursor uniquely within the session */
} pg;

typedef struct pg_iter {
	acct_storage_iterator base;
	pg *p;
	char name[32];
	PGresult *batch;
	int row, done;
} pg_iter;

static int fail(pg *p, PGresult *r, const char *what)
{
	char msg[480];
	const char *detail = r ? PQresultErrorMessage(r) : PQerrorMessage(p->conn);
	size_t n;

	snprintf(msg, sizeof(msg), "PostgreSQL %s failed: %s", what, detail && *detail ? detail : "unknown error");
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	if (r)
		PQclear(r);
	return acct_error_set_str(ACCT_ESTORAGE, msg);
}

/* Run a statement without parameters. `state` (may be NULL) receives whether
 * it failed with a transient error: a serialization failure or a deadlock. */
static int exec_state(pg *p, const char *q, int *transient)
{
	PGresult *r = PQexec(p->conn, q);
	ExecStatusType st = PQresultStatus(r);
	const char *state;

	if (transient)
		*transient = 0;
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		PQclear(r);
		return 0;
	}
	state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	if (transient && state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0))
		*transient = 1;
	return fail(p, r, q);
}

static int exec_simple(pg *p, const char *q)
{
	return exec_state(p, q, NULL);
}

static PGresult *exec_params(pg *p, const char *stmt, int n, const void *const *vals, const int *lens)
{
	static const int formats[3] = { 1, 1, 1 };

	return PQexecPrepared(p->conn, stmt, n, (const char *const *)vals, lens, formats, 1);
}

static int pg_begin(acct_storage *s, int write)
{
	pg *p = s->payload;
	int rc;

	if (p->in_txn)
		return acct_error_set_str(ACCT_ESTORAGE, "PostgreSQL store: a transaction is already open");
	if (write) {
		/* A deadlock while waiting for the lock aborts the transaction: start
		 * it again, a few times. Nothing was written yet, so this is safe;
		 * statements after the lock are never retried. */
		int attempt, transient = 0;
		for (attempt = 0; attempt < 3; attempt++) {
			rc = exec_simple(p, "BEGIN ISOLATION LEVEL READ COMMITTED");
			if (rc == 0 && (rc = exec_state(p, "SELECT pg_advisory_xact_lock(" WRITE_LOCK ")", &transient)) < 0)
				exec_simple(p, "ROLLBACK");
			if (rc == 0 || !transient)
				break;
		}
	} else {
		rc = exec_simple(p, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	}
	if (rc == 0)
		p->in_txn = 1;
	return rc;
}

static int pg_commit(acct_storage *s)
{
	pg *p = s->payload;
	int rc = exec_simple(p, "COMMIT");

	if (rc == 0)
		p->in_txn = 0;
	return rc;
}

static int pg_rollback(acct_storage *s)
{
	pg *p = s->payload;
	int rc = 0;

	if (PQtransactionStatus(p->conn) != PQTRANS_IDLE)
		rc = exec_simple(p, "ROLLBACK");
	p->in_txn = 0;
	return rc;
}

static int pg_get(acct_storage *s, const unsigned char *k, size_t klen, acct_buf *v)
{
	pg *p = s->payload;
	const void *vals[1] = { k };
	int lens[1] = { (int)klen }, rc;
	PGresult *r = exec_params(p, "acct_get", 1, vals, lens);

	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		return fail(p, r, "get");
	if (PQntuples(r) == 0)
		rc = ACCT_ENOTFOUND;
	else
		rc = acct_buf_set(v, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
	PQclear(r);
	return rc;
}

static int pg_put(acct_storage *s, const unsigned char *k, size_t klen, const unsigned char *v, size_t vlen)
{
	pg *p = s->payload;
	const void *vals[2] = { k, vlen ? (const void *)v : "" };
	int lens[2] = { (int)klen, (int)vlen };
	PGresult *r = exec_params(p, "acct_put", 2, vals, lens);

	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		return fail(p, r, "put");
	PQclear(r);
	return 0;
}

static int pg_del(acct_storage *s, const unsigned char *k, size_t klen)
{
	pg *p = s->payload;
	const void *vals[1] = { k };
	int lens[1] = { (int)klen };
	PGresult *r = exec_params(p, "acct_del", 1, vals, lens);

	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		return fail(p, r, "del");
	PQclear(r);
	return 0;
}

static int iter_fetch(pg_iter *it)
{
	char q[64];

	if (it->batch)
		PQclear(it->batch);
	snprintf(q, sizeof(q), "FETCH " BATCH " FROM %s", it->name);
	it->batch = PQexecParams(it->p->conn, q, 0, NULL, NULL, NULL, NULL, 1);
	it->row = 0;
	if (PQresultStatus(it->batch) != PGRES_TUPLES_OK) {
		PGresult *r = it->batch;
		it->batch = NULL;
		return fail(it->p, r, "iterate");
	}
	it->done = PQntuples(it->batch) == 0;
	return 0;
}

static int iter_next(acct_storage_iterator *base, acct_buf *k, acct_buf *v)
{
	pg_iter *it = base->payload;
	int rc;

	if (!it->done && (!it->batch || it->row >= PQntuples(it->batch)) && (rc = iter_fetch(it)) < 0)
		return rc;
	if (it->done)
		return ACCT_ITEROVER;
	if (acct_buf_set(k, PQgetvalue(it->batch, it->row, 0), (size_t)PQgetlength(it->batch, it->row, 0)) < 0 ||
	    acct_buf_set(v, PQgetvalue(it->batch, it->row, 1), (size_t)PQgetlength(it->batch, it->row, 1)) < 0)
		return ACCT_ENOMEM;
	it->row++;
	return 0;
}

static void iter_free(acct_storage_iterator *base)
{
	pg_iter *it = base->payload;
	char q[64];

	if (it->batch)
		PQclear(it->batch);
	snprintf(q, sizeof(q), "CLOSE %s", it->name);
	PQclear(PQexec(it->p->conn, q));
	acct__free(it);
}

static int pg_iterate(acct_storage_iterator **out, acct_storage *s, const unsigned char *prefix, size_t plen)
{
	static const int formats[2] = { 1, 1 };
	pg *p = s->payload;
	pg_iter *it = acct__calloc(1, sizeof(*it));
	unsigned char *upper = plen ? acct__malloc(plen) : NULL;
	size_t ulen = plen;
	const void *vals[2];
	int lens[2];
	char q[160];
	PGresult *r;

	if (!it || (plen && !upper)) {
		acct__free(it);
		acct__free(upper);
		return acct_error_set_str(ACCT_ENOMEM, "out of memory");
	}
	/* Keys with the prefix are those in [prefix, prefix + 1). */
	if (plen)
		memcpy(upper, prefix, plen);
	while (ulen && upper[ulen - 1] == 0xFF)
		ulen--;
	if (ulen)
		upper[ulen - 1]++;
	it->p = p;
	snprintf(it->name, sizeof(it->name), "acct_cur_%lu", ++p->cursors);
	snprintf(q, sizeof(q), "DECLARE %s NO SCROLL CURSOR FOR SELECT k, v FROM acct_kv WHERE k >= $1%s ORDER BY k",
	         it->name, ulen ? " AND k < $2" : "");
	vals[0] = plen ? (const void *)prefix : "";
	lens[0] = (int)plen;
	vals[1] = upper;
	lens[1] = (int)ulen;
	r = PQexecParams(p->conn, q, ulen ? 2 : 1, NULL, (const char *const *)vals, lens, formats, 1);
	acct__free(upper);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		acct__free(it);
		return fail(p, r, "iterate");
	}
	PQclear(r);
	acct_storage_iterator_init(&it->base, ACCT_STORAGE_ITERATOR_VERSION);
	it->base.payload = it;
	it->base.next = iter_next;
	it->base.free = iter_free;
	*out = &it->base;
	return 0;
}

static void pg_free(acct_storage *s)
{
	pg *p = s->payload;

	if (p->in_txn)
		pg_rollback(s);
	PQfinish(p->conn);
	acct__free(p);
}

/* Server notices ("relation already exists, skipping") are not the host's business. */
static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static int prepare(pg *p, const char *name, const char *q, int n)
{
	PGresult *r = PQprepare(p->conn, name, q, n, NULL);

	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		return fail(p, r, "preparing statements");
	PQclear(r);
	return 0;
}

int acct_storage_postgres_new(acct_storage **out, const char *conninfo)
{
	pg *p;
	int rc;

	if (out)
		*out = NULL;
	if (!out || !conninfo)
		return acct_error_set_str(ACCT_EINVALID, "acct_storage_postgres_new needs out and a connection string");
	if (!(p = acct__calloc(1, sizeof(*p))))
		return acct_error_set_str(ACCT_ENOMEM, "out of memory");
	p->conn = PQconnectdb(conninfo);
	if (!p->conn || PQstatus(p->conn) != CONNECTION_OK) {
		char msg[480];
		snprintf(msg, sizeof(msg), "cannot connect to PostgreSQL: %s",
		         p->conn ? PQerrorMessage(p->conn) : "out of memory");
		PQfinish(p->conn);
		acct__free(p);
		return acct_error_set_str(ACCT_ESTORAGE, msg);
	}
	PQsetNoticeProcessor(p->conn, quiet, NULL);
	/* The table is created under the write lock, so two nodes starting at once agree. */
	rc = exec_simple(p, "BEGIN");
	if (rc == 0)
		rc = exec_simple(p, "SELECT pg_advisory_xact_lock(" WRITE_LOCK ")");
	if (rc == 0)
		rc = exec_simple(p, "CREATE TABLE IF NOT EXISTS acct_kv (k bytea PRIMARY KEY, v bytea NOT NULL)");
	rc = rc == 0 ? exec_simple(p, "COMMIT") : (exec_simple(p, "ROLLBACK"), rc);
	if (rc == 0)
		rc = prepare(p, "acct_get", "SELECT v FROM acct_kv WHERE k = $1", 1);
	if (rc == 0)
		rc = prepare(p, "acct_put",
		             "INSERT INTO acct_kv (k, v) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v", 2);
	if (rc == 0)
		rc = prepare(p, "acct_del", "DELETE FROM acct_kv WHERE k = $1", 1);
	if (rc < 0) {
		PQfinish(p->conn);
		acct__free(p);
		return rc;
	}
	acct_storage_init(&p->base, ACCT_STORAGE_VERSION);
	p->base.payload = p;
	p->base.begin = pg_begin;
	p->base.commit = pg_commit;
	p->base.rollback = pg_rollback;
	p->base.get = pg_get;
	p->base.put = pg_put;
	p->base.del = pg_del;
	p->base.iterate = pg_iterate;
	p->base.free = pg_free;
	*out = &p->base;
	return 0;
}

#endif
