/*
 * crash_sqlite.c - crash safety of the SQLite store: a writer process is
 * killed with SIGKILL at 50 random points of a stream of mixed operations,
 * and after every kill the store must open, hold together, and contain every
 * operation whose call had returned.
 *
 * The driver (the test) forks a writer per round. The writer opens its own
 * ctx over the store, reads what is there,
 * and runs add / update / status / move / delete operations as the admin, for
 * ever (synchronous FULL, the default, in even rounds; NORMAL in odd ones).
 * Around every operation it writes one line to a pipe with write(2)
 * (unbuffered, one line per call, so a line is either whole or absent):
 *
 *     B <op> <args>      before the call
 *     D <op> <args>      after the call returned 0
 *
 * The driver reads the pipe, kills the writer after a random delay, then
 * opens the store with a fresh ctx and checks:
 *
 *   - it opens (acct_ctx_new over a new backend instance);
 *   - every account's owner exists and may own it; iterating descendants from
 *     the admin, parents before children, reaches exactly
 *     acct_ctx_account_count() - 1 accounts;
 *   - the indexes agree with the records: each login and GUID is unique and
 *     looking it up gives the account it belongs to;
 *   - the store is exactly the state of the previous round with every
 *     completed operation ("D" line) applied, plus, for the one operation in
 *     flight ("B" without "D"), either all of it or nothing of it;
 *   - the generation is consistent: it never goes down, and it moved by
 *     exactly the number of completed operations, plus one when the store
 *     shows that the in-flight operation committed;
 *   - PRAGMA integrity_check says "ok".
 *
 * ACCT_CRASH_SEED=<n> replays one run (the seed is printed on failure);
 * ACCT_CRASH_DEBUG=1 prints what each round did.
 * Exits 77 (SKIP) when libacct was built without SQLite.
 */
#include "testutil.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_SQLITE
#include <sqlite3.h>
#endif

#define KILLS 50
#define MAX_DELAY_MS 80    /* a writer runs 0..MAX_DELAY_MS ms of operations before the kill */
#define MAX_ACCOUNTS 4096  /* the writer keeps the tree below this size */

static char dir_path[PATH_MAX - 64];
static char db_path[PATH_MAX];
static unsigned long seed;

/* ------------------------------------------------------------------------ */
/* A model of the store: the accounts below the admin                       */
/* ------------------------------------------------------------------------ */

typedef struct acc {
	acct_id id;
	int type;
	acct_id owner;
	unsigned int status;
	char login[64];
	char name[64];
	char guid[64];
} acc;

typedef struct state {
	acc a[MAX_ACCOUNTS + 64];
	size_t n;
} state;

static acc *find(state *st, acct_id id)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (st->a[i].id == id)
			return &st->a[i];
	return NULL;
}

static void remove_subtree(state *st, acct_id id)
{
	size_t i;
	int again = 1;

	for (i = 0; i < st->n; i++)
		if (st->a[i].id == id)
			st->a[i].id = -st->a[i].id; /* mark */
	/* Mark every account whose owner is marked, until nothing changes. */
	while (again) {
		again = 0;
		for (i = 0; i < st->n; i++) {
			acc *o;
			if (st->a[i].id <= 0)
				continue;
			o = NULL;
			{
				size_t j;
				for (j = 0; j < st->n; j++)
					if (st->a[j].id == -st->a[i].owner)
						o = &st->a[j];
			}
			if (o) {
				st->a[i].id = -st->a[i].id;
				again = 1;
			}
		}
	}
	for (i = 0; i < st->n;) {
		if (st->a[i].id <= 0)
			st->a[i] = st->a[--st->n];
		else
			i++;
	}
}

/* Read the whole store through @p admin (an admin session of a fresh ctx). */
static int read_state(state *st, acct_session *admin, char *err, size_t errlen)
{
	acct_account_iterator *it = NULL;
	acct_id id;
	int rc;

	st->n = 0;
	if ((rc = acct_account_iterator_new(&it, admin, 1, ACCT_ITER_DESCENDANTS)) != 0) {
		snprintf(err, errlen, "iterator_new: %s", acct_error_last()->message);
		return rc;
	}
	while ((rc = acct_account_iterator_next(&id, it)) == 0) {
		acct_account *a = NULL;
		acc *x;
		if (st->n >= MAX_ACCOUNTS + 64) {
			snprintf(err, errlen, "more than %d accounts", MAX_ACCOUNTS + 64);
			rc = ACCT_ELIMIT;
			break;
		}
		if ((rc = acct_account_lookup(&a, admin, id)) != 0) {
			snprintf(err, errlen, "lookup of %" PRId64 " (reached by the iterator): %s", id,
			         acct_error_last()->message);
			break;
		}
		x = &st->a[st->n++];
		x->id = id;
		x->type = acct_account_type(a);
		x->owner = acct_account_owner(a);
		x->status = acct_account_status(a);
		snprintf(x->login, sizeof x->login, "%s", acct_account_get(a, ACCT_FIELD_LOGIN));
		snprintf(x->name, sizeof x->name, "%s", acct_account_get(a, ACCT_FIELD_NAME));
		snprintf(x->guid, sizeof x->guid, "%s", acct_account_get(a, ACCT_FIELD_GUID));
		acct_account_free(a);
	}
	acct_account_iterator_free(it);
	if (rc == ACCT_ITEROVER)
		return 0;
	if (!err[0])
		snprintf(err, errlen, "iterator_next: %s", acct_error_last()->message);
	return rc;
}

/* ------------------------------------------------------------------------ */
/* The writer (a child process; no check assertions here)                    */
/* ------------------------------------------------------------------------ */

static int out_fd = -1;

static void emit(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || n > (int)sizeof line - 2)
		n = (int)sizeof line - 2;
	line[n++] = '\n';
	/* One write per line: lines shorter than PIPE_BUF are never split. */
	if (write(out_fd, line, (size_t)n) != n)
		_exit(4);
}

static void writer_die(const char *what, int rc)
{
	emit("E %s failed: %d (%s): %s", what, rc, acct_strerror(rc), acct_error_last()->message);
	_exit(3);
}

static uint64_t wrng_state;
static uint64_t wrng(void)
{
	wrng_state ^= wrng_state >> 12;
	wrng_state ^= wrng_state << 25;
	wrng_state ^= wrng_state >> 27;
	return wrng_state * 0x2545f4914f6cdd1dULL;
}

/* A random account of the model (not the admin), optionally of one type; NULL if none. */
static acc *pick(state *st, int type)
{
	size_t tries;

	if (st->n == 0)
		return NULL;
	for (tries = 0; tries < 32; tries++) {
		acc *a = &st->a[wrng() % st->n];
		if (!type || a->type == type)
			return a;
	}
	return NULL;
}

static void writer(int round)
{
	static state st;
	acct_sqlite_options sq = ACCT_SQLITE_OPTIONS_INIT;
	acct_ctx_options opts;
	acct_storage *storage = NULL;
	acct_session *admin = NULL;
	acct_ctx *ctx = NULL;
	char err[256] = "";
	unsigned long seq = 0;
	int rc;

	wrng_state = (uint64_t)seed * 0x9e3779b97f4a7c15ULL + (uint64_t)round + 1;
	test_ctx_options(&opts, NULL);
	/* Odd rounds use synchronous NORMAL: with WAL it, too, must keep every
	 * returned commit through a crash of the program (not of the machine);
	 * and commits without fsync leave the kill more places to land. */
	sq.synchronous = round % 2 ? ACCT_SQLITE_SYNC_NORMAL : ACCT_SQLITE_SYNC_FULL;
	if ((rc = acct_storage_sqlite_new(&storage, db_path, &sq)) != 0)
		writer_die("acct_storage_sqlite_new", rc);
	if ((rc = acct_ctx_new(&ctx, storage, &opts)) != 0)
		writer_die("acct_ctx_new", rc);
	if ((rc = acct_session_open_as(&admin, ctx, 1)) != 0)
		writer_die("acct_session_open_as", rc);
	if ((rc = read_state(&st, admin, err, sizeof err)) != 0)
		writer_die(err, rc);
	emit("S");
	for (;;) {
		unsigned r = (unsigned)(wrng() % 100);
		unsigned deletes = st.n > 300 ? 35 : 12;
		acc *a;

		seq++;
		if (r < deletes && (a = pick(&st, 0)) != NULL) {
			acct_id id = a->id;
			emit("B del %" PRId64, id);
			if ((rc = acct_account_delete(admin, id)) != 0)
				writer_die("delete", rc);
			remove_subtree(&st, id);
			emit("D del %" PRId64, id);
		} else if (r < deletes + 15 && (a = pick(&st, 0)) != NULL) {
			acct_account *x = NULL;
			char name[64];
			snprintf(name, sizeof name, "N%dx%lu", round, seq);
			emit("B upd %" PRId64 " %s", a->id, name);
			if ((rc = acct_account_lookup(&x, admin, a->id)) != 0 ||
			    (rc = acct_account_set(x, ACCT_FIELD_NAME, name)) != 0 || (rc = acct_account_update(admin, x)) != 0)
				writer_die("update", rc);
			acct_account_free(x);
			snprintf(a->name, sizeof a->name, "%s", name);
			emit("D upd %" PRId64 " %s", a->id, name);
		} else if (r < deletes + 27 && (a = pick(&st, 0)) != NULL) {
			unsigned int status = a->status ^ ACCT_STATUS_BY_ADMIN;
			emit("B st %" PRId64 " %u", a->id, status);
			if ((rc = acct_account_set_status(admin, a->id, status)) != 0)
				writer_die("set_status", rc);
			a->status = status;
			emit("D st %" PRId64 " %u", a->id, status);
		} else if (r < deletes + 37 && (a = pick(&st, ACCT_TYPE_CUSTOMER)) != NULL) {
			acc *to = pick(&st, ACCT_TYPE_RESELLER);
			acct_id owner = to && to->id != a->owner ? to->id : (a->owner == 1 ? 0 : 1);
			if (owner == 0)
				continue;
			emit("B mv %" PRId64 " %" PRId64, a->id, owner);
			if ((rc = acct_account_change_owner(admin, a->id, owner)) != 0)
				writer_die("change_owner", rc);
			a->owner = owner;
			emit("D mv %" PRId64 " %" PRId64, a->id, owner);
		} else if (st.n < MAX_ACCOUNTS) {
			acct_account *x = NULL;
			acct_id id = 0, owner = 1;
			int type;
			char login[64];
			unsigned t = (unsigned)(wrng() % 10);
			acc *o;

			if (t < 2) {
				type = ACCT_TYPE_RESELLER;
			} else if (t < 6) {
				type = ACCT_TYPE_CUSTOMER;
				if ((o = pick(&st, ACCT_TYPE_RESELLER)) != NULL && wrng() % 3)
					owner = o->id;
			} else {
				type = ACCT_TYPE_USER;
				if ((o = pick(&st, 0)) != NULL && o->type != ACCT_TYPE_USER)
					owner = o->id;
			}
			snprintf(login, sizeof login, "w%dx%lu", round, seq);
			emit("B add %s %d %" PRId64, login, type, owner);
			if ((rc = acct_account_new(&x, type)) != 0 || (rc = acct_account_set(x, ACCT_FIELD_LOGIN, login)) != 0 ||
			    (rc = acct_account_set(x, ACCT_FIELD_NAME, login)) != 0 ||
			    (rc = acct_account_add(&id, admin, owner, x)) != 0)
				writer_die("add", rc);
			acct_account_free(x);
			a = &st.a[st.n++];
			memset(a, 0, sizeof *a);
			a->id = id;
			a->type = type;
			a->owner = owner;
			snprintf(a->login, sizeof a->login, "%s", login);
			snprintf(a->name, sizeof a->name, "%s", login);
			emit("D add %s %d %" PRId64 " %" PRId64, login, type, owner, id);
		}
	}
}

/* ------------------------------------------------------------------------ */
/* The driver                                                               */
/* ------------------------------------------------------------------------ */

typedef struct op {
	char kind[8];
	char s[64];   /* login (add) or name (upd) */
	acct_id id;   /* account (upd, st, mv, del) or the new id (add, from its D line) */
	acct_id arg;  /* owner (add, mv) */
	long num;     /* type (add) or status (st) */
} op;

/* Parse "<kind> <args>" after the B/D letter. */
static int parse_op(op *o, const char *p)
{
	memset(o, 0, sizeof *o);
	if (sscanf(p, "%7s", o->kind) != 1)
		return -1;
	p += strlen(o->kind);
	if (strcmp(o->kind, "add") == 0) /* B: login type owner; D: the same and the new id */
		return sscanf(p, " %63s %ld %" SCNd64 " %" SCNd64, o->s, &o->num, &o->arg, &o->id) >= 3 ? 0 : -1;
	if (strcmp(o->kind, "upd") == 0)
		return sscanf(p, " %" SCNd64 " %63s", &o->id, o->s) == 2 ? 0 : -1;
	if (strcmp(o->kind, "st") == 0)
		return sscanf(p, " %" SCNd64 " %ld", &o->id, &o->num) == 2 ? 0 : -1;
	if (strcmp(o->kind, "mv") == 0)
		return sscanf(p, " %" SCNd64 " %" SCNd64, &o->id, &o->arg) == 2 ? 0 : -1;
	if (strcmp(o->kind, "del") == 0)
		return sscanf(p, " %" SCNd64, &o->id) == 1 ? 0 : -1;
	return -1;
}

/* Apply @p o to the model; for an add, @p new_id is its id. */
static void apply(state *st, const op *o, acct_id new_id)
{
	acc *a;

	if (strcmp(o->kind, "add") == 0) {
		a = &st->a[st->n++];
		memset(a, 0, sizeof *a);
		a->id = new_id;
		a->type = (int)o->num;
		a->owner = o->arg;
		snprintf(a->login, sizeof a->login, "%s", o->s);
		snprintf(a->name, sizeof a->name, "%s", o->s);
	} else if (strcmp(o->kind, "del") == 0) {
		remove_subtree(st, o->id);
	} else if ((a = find(st, o->id)) != NULL) {
		if (strcmp(o->kind, "upd") == 0)
			snprintf(a->name, sizeof a->name, "%s", o->s);
		else if (strcmp(o->kind, "st") == 0)
			a->status = (unsigned int)o->num;
		else if (strcmp(o->kind, "mv") == 0)
			a->owner = o->arg;
	}
}

static int acc_cmp(const void *x, const void *y)
{
	const acc *a = x, *b = y;

	return a->id < b->id ? -1 : a->id > b->id;
}

/* Do two states hold the same accounts (GUIDs are not modelled)? Describes the first difference. */
static int same_state(state *want, state *got, char *why, size_t len)
{
	size_t i;

	qsort(want->a, want->n, sizeof(acc), acc_cmp);
	qsort(got->a, got->n, sizeof(acc), acc_cmp);
	for (i = 0; i < want->n && i < got->n; i++) {
		const acc *w = &want->a[i], *g = &got->a[i];
		if (w->id != g->id) {
			snprintf(why, len, "expected account %" PRId64 " (%s), found %" PRId64 " (%s)", w->id, w->login, g->id,
			         g->login);
			return 0;
		}
		if (w->type != g->type || w->owner != g->owner || w->status != g->status || strcmp(w->login, g->login) ||
		    strcmp(w->name, g->name)) {
			snprintf(why, len,
			         "account %" PRId64 ": expected type %d owner %" PRId64 " status %u login %s name %s; "
			         "found type %d owner %" PRId64 " status %u login %s name %s",
			         w->id, w->type, w->owner, w->status, w->login, w->name, g->type, g->owner, g->status,
			         g->login, g->name);
			return 0;
		}
	}
	if (want->n != got->n) {
		const acc *x = want->n > got->n ? &want->a[i] : &got->a[i];
		snprintf(why, len, "%zu accounts expected, %zu found; first difference: %s account %" PRId64 " (%s)",
		         want->n, got->n, want->n > got->n ? "missing" : "unexpected", x->id, x->login);
		return 0;
	}
	return 1;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Lines read from one writer. */
typedef struct lines {
	char *buf;
	size_t len, cap;
} lines;

static void lines_add(lines *l, const char *p, size_t n)
{
	if (l->len + n + 1 > l->cap) {
		l->cap = (l->len + n + 1) * 2;
		l->buf = realloc(l->buf, l->cap);
		ck_assert(l->buf != NULL);
	}
	memcpy(l->buf + l->len, p, n);
	l->len += n;
	l->buf[l->len] = '\0';
}

/* Read from @p fd until @p deadline_ms (-1: until EOF). Returns 1 at EOF, 0 at the deadline. */
static int pump(int fd, lines *l, int64_t deadline_ms)
{
	char chunk[4096];

	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		int timeout = -1, r;
		ssize_t n;

		if (deadline_ms >= 0) {
			int64_t left = deadline_ms - now_ms();
			if (left <= 0)
				return 0;
			timeout = (int)left;
		}
		r = poll(&p, 1, timeout);
		if (r < 0 && errno == EINTR)
			continue;
		ck_assert_msg(r >= 0, "poll failed: %s", strerror(errno));
		if (r == 0)
			return 0;
		n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		ck_assert_msg(n >= 0, "read failed: %s", strerror(errno));
		if (n == 0)
			return 1;
		lines_add(l, chunk, (size_t)n);
	}
}

static void integrity_check(void)
{
#ifdef HAVE_SQLITE
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	const char *res;

	ck_assert_int_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	res = (const char *)sqlite3_column_text(st, 0);
	ck_assert_msg(res && strcmp(res, "ok") == 0, "seed %lu: PRAGMA integrity_check: %s", seed, res ? res : "(null)");
	sqlite3_finalize(st);
	sqlite3_close(db);
#endif
}

/* Open a fresh ctx and check every invariant; fill @p got and @p gen. */
static void verify(state *got, uint64_t *gen, int round)
{
	acct_storage *storage = NULL;
	acct_ctx_options opts;
	acct_session *admin = NULL;
	acct_ctx *ctx = NULL;
	char err[256] = "";
	size_t i, j;
	int rc;

	test_ctx_options(&opts, NULL);
	rc = acct_storage_sqlite_new(&storage, db_path, NULL);
	ck_assert_msg(rc == 0, "seed %lu round %d: the store does not open: %s", seed, round, acct_error_last()->message);
	rc = acct_ctx_new(&ctx, storage, &opts);
	ck_assert_msg(rc == 0, "seed %lu round %d: acct_ctx_new failed after the kill: %s", seed, round,
	              acct_error_last()->message);
	*gen = acct_ctx_generation(ctx);
	admin = open_session(ctx, 1);
	rc = read_state(got, admin, err, sizeof err);
	ck_assert_msg(rc == 0, "seed %lu round %d: reading the store: %s", seed, round, err);

	/* Everything is reachable from the admin, and nothing else is in the index. */
	ck_assert_msg(got->n + 1 == acct_ctx_account_count(ctx),
	              "seed %lu round %d: %zu accounts below the admin, but acct_ctx_account_count is %zu", seed, round,
	              got->n, acct_ctx_account_count(ctx));
	for (i = 0; i < got->n; i++) {
		const acc *a = &got->a[i];
		int owner_type = a->owner == 1 ? ACCT_TYPE_ADMIN : 0;
		acct_account *x = NULL;

		/* Depth first, parents first: the owner was reached before. */
		for (j = 0; j < i && !owner_type; j++)
			if (got->a[j].id == a->owner)
				owner_type = got->a[j].type;
		if (owner_type == 0)
			ck_abort_msg("seed %lu round %d: account %" PRId64 " (%s) has owner %" PRId64
			             ", which does not exist (or comes after it)", seed, round, a->id, a->login, a->owner);
		if (a->type == ACCT_TYPE_RESELLER ? owner_type != ACCT_TYPE_ADMIN
		    : a->type == ACCT_TYPE_CUSTOMER ? owner_type != ACCT_TYPE_ADMIN && owner_type != ACCT_TYPE_RESELLER
		    : a->type == ACCT_TYPE_USER ? owner_type == ACCT_TYPE_USER : 1)
			ck_abort_msg("seed %lu round %d: account %" PRId64 " of type %d is owned by a type %d", seed, round,
			             a->id, a->type, owner_type);
		/* The login and GUID indexes agree with the record. */
		rc = acct_account_lookup_login(&x, admin, a->login);
		if (rc != 0 || acct_account_id(x) != a->id)
			ck_abort_msg("seed %lu round %d: login %s does not lead to %" PRId64, seed, round, a->login, a->id);
		acct_account_free(x);
		rc = acct_account_lookup_guid(&x, admin, a->guid);
		if (rc != 0 || acct_account_id(x) != a->id)
			ck_abort_msg("seed %lu round %d: GUID %s does not lead to %" PRId64, seed, round, a->guid, a->id);
		acct_account_free(x);
		/* (Plain ifs in the hot loops: every ck_assert costs check a write(2).) */
		for (j = 0; j < i; j++) {
			if (strcasecmp(got->a[j].login, a->login) == 0)
				ck_abort_msg("seed %lu round %d: login %s twice", seed, round, a->login);
			if (strcmp(got->a[j].guid, a->guid) == 0)
				ck_abort_msg("seed %lu round %d: GUID %s twice", seed, round, a->guid);
		}
	}
	acct_session_free(admin);
	acct_ctx_free(ctx);
	integrity_check();
}

static void remove_store(void)
{
	const char *suffix[] = { "", "-wal", "-shm", "-journal" };
	char p[PATH_MAX + 16];
	size_t i;

	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(p, sizeof p, "%s%s", db_path, suffix[i]);
		unlink(p);
	}
	rmdir(dir_path);
}

/* The id of the account with @p login in @p st, or 0. */
static acct_id id_of_login(const state *st, const char *login)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (strcmp(st->a[i].login, login) == 0)
			return st->a[i].id;
	return 0;
}

START_TEST(test_crash_sqlite)
{
	/* Large: static, so the test's stack stays small. */
	static state model, got, with;
	const char *tmp = getenv("TMPDIR"), *s = getenv("ACCT_CRASH_SEED");
	acct_storage *storage = NULL;
	acct_ctx *ctx = NULL;
	acct_ctx_options opts;
	uint64_t gen, prev_gen;
	unsigned long completed_total = 0, inflight_committed = 0, inflight_lost = 0, opened = 0;
	int round;

	seed = s && *s ? strtoul(s, NULL, 10) : ((unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16));
	srand((unsigned)seed);
	snprintf(dir_path, sizeof dir_path, "%s/acct-crash-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_msg(mkdtemp(dir_path) != NULL, "mkdtemp failed: %s", strerror(errno));
	snprintf(db_path, sizeof db_path, "%s/store.sqlite", dir_path);

	/* Create the store (and its admin) first. */
	test_ctx_options(&opts, NULL);
	ck_assert_ok(acct_storage_sqlite_new(&storage, db_path, NULL));
	ck_assert_ok(acct_ctx_new(&ctx, storage, &opts));
	acct_ctx_free(ctx);
	verify(&model, &prev_gen, -1);

	for (round = 0; round < KILLS; round++) {
		lines out = { NULL, 0, 0 };
		int fds[2], wstatus = 0, delay, have_inflight = 0;
		unsigned long completed = 0;
		op inflight, o;
		char *line, *save = NULL, why[512], why_with[512];
		pid_t pid;

		memset(&inflight, 0, sizeof inflight);
		ck_assert_int_eq(pipe(fds), 0);
		fflush(NULL);
		pid = fork();
		ck_assert_msg(pid >= 0, "fork failed: %s", strerror(errno));
		if (pid == 0) {
			close(fds[0]);
			out_fd = fds[1];
			writer(round);
			_exit(0);
		}
		close(fds[1]);
		/* In one round of ten, while the writer is still opening the store;
		 * otherwise anywhere in its stream of operations. */
		if (round % 10 == 3) {
			delay = rand() % 4;
			pump(fds[0], &out, now_ms() + delay);
		} else {
			int64_t give_up = now_ms() + 30000;
			int eof = 0;
			while (!eof && (!out.buf || out.buf[0] != 'S') && now_ms() < give_up)
				eof = pump(fds[0], &out, now_ms() + 10);
			delay = rand() % (MAX_DELAY_MS + 1);
			pump(fds[0], &out, now_ms() + delay);
		}
		kill(pid, SIGKILL);
		ck_assert_int_eq(waitpid(pid, &wstatus, 0), pid);
		pump(fds[0], &out, -1); /* what the writer wrote before it died */
		close(fds[0]);
		if (out.buf && (out.buf[0] == 'E' || strstr(out.buf, "\nE ")))
			ck_abort_msg("seed %lu round %d: the writer failed: %s", seed, round,
			             out.buf[0] == 'E' ? out.buf : strstr(out.buf, "\nE ") + 1);
		ck_assert_msg(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL,
		              "seed %lu round %d: the writer ended on its own (status %d)", seed, round, wstatus);

		/* Replay every completed operation on the model. */
		for (line = out.buf ? strtok_r(out.buf, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
			if (strcmp(line, "S") == 0) { /* the writer had opened the store */
				opened++;
				continue;
			}
			ck_assert_msg((line[0] == 'B' || line[0] == 'D') && line[1] == ' ' && parse_op(&o, line + 2) == 0,
			              "seed %lu round %d: bad line '%s'", seed, round, line);
			if (line[0] == 'B') {
				ck_assert_msg(!have_inflight, "seed %lu round %d: two operations in flight", seed, round);
				inflight = o;
				have_inflight = 1;
				continue;
			}
			ck_assert_msg(have_inflight && strcmp(inflight.kind, o.kind) == 0,
			              "seed %lu round %d: '%s' ends an operation that did not begin", seed, round, line);
			apply(&model, &o, o.id);
			have_inflight = 0;
			completed++;
		}
		if (getenv("ACCT_CRASH_DEBUG"))
			printf("round %d: delay %d ms, %lu completed, %s\n", round, delay, completed,
			       have_inflight ? inflight.kind : "nothing in flight");
		free(out.buf);

		/* After the kill: every invariant, and the model with or without the operation in flight. */
		verify(&got, &gen, round);
		ck_assert_msg(gen >= prev_gen, "seed %lu round %d: the generation went down from %" PRIu64 " to %" PRIu64,
		              seed, round, prev_gen, gen);
		if (same_state(&model, &got, why, sizeof why)) {
			ck_assert_msg(gen == prev_gen + completed,
			              "seed %lu round %d: %lu operations completed, but the generation moved from %" PRIu64
			              " to %" PRIu64, seed, round, completed, prev_gen, gen);
			if (have_inflight)
				inflight_lost++;
		} else {
			ck_assert_msg(have_inflight, "seed %lu round %d: a completed operation is missing or wrong: %s", seed,
			              round, why);
			with = model;
			apply(&with, &inflight, id_of_login(&got, inflight.s));
			ck_assert_msg(same_state(&with, &got, why_with, sizeof why_with),
			              "seed %lu round %d: the store is neither before nor after the operation in flight (%s %s "
			              "%" PRId64 "): without it: %s; with it: %s", seed, round, inflight.kind, inflight.s,
			              inflight.id, why, why_with);
			ck_assert_msg(gen == prev_gen + completed + 1,
			              "seed %lu round %d: %lu operations completed and the one in flight committed, but the "
			              "generation moved from %" PRIu64 " to %" PRIu64, seed, round, completed, prev_gen, gen);
			inflight_committed++;
		}
		completed_total += completed;
		prev_gen = gen;
		model = got;
	}
	remove_store();
	printf("crash_sqlite: seed %lu: %d kills; writers opened the store %lu times; %lu operations completed; "
	       "in flight at the kill: %lu committed, %lu not\n",
	       seed, KILLS, opened, completed_total, inflight_committed, inflight_lost);
}
END_TEST

int main(void)
{
	Suite *s;
	TCase *tc;

#ifndef HAVE_SQLITE
	printf("crash_sqlite: SKIP (libacct was built without SQLite)\n");
	return 77;
#endif
	s = suite_create("crash_sqlite");
	tc = tcase_create("kill");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_crash_sqlite);
	suite_add_tcase(s, tc);
	return test_run_suite(s, 1);
}
