/*
 * testutil.c - helpers shared by the check suites (see testutil.h).
 */
#include "testutil.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Fake clock                                                               */
/* ------------------------------------------------------------------------ */

test_clock test_default_clock = { TEST_CLOCK_START };

int64_t test_clock_now(void *payload)
{
	return ((const test_clock *)payload)->now;
}

/* ------------------------------------------------------------------------ */
/* Assertions                                                               */
/* ------------------------------------------------------------------------ */

const char *test_last_message(char *buf, size_t size)
{
	const acct_error *e = acct_error_last();
	const char *m = (e && e->message) ? e->message : "(acct_error_last gave no message)";

	snprintf(buf, size, "%s", m);
	return buf;
}

const char *test_strcasestr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	for (; *haystack; haystack++) {
		size_t i;

		for (i = 0; i < n; i++) {
			if (tolower((unsigned char)haystack[i]) != tolower((unsigned char)needle[i]))
				break;
		}
		if (i == n)
			return haystack;
	}
	return n == 0 ? haystack : NULL;
}

void test_assert_last_error(int code, const char *needle, const char *context)
{
	const acct_error *e = acct_error_last();

	ck_assert_msg(e != NULL, "%s: acct_error_last() returned NULL", context);
	ck_assert_msg(e->code == code, "%s: acct_error_last()->code is %d (%s), expected %d (%s)",
	              context, e->code, acct_strerror(e->code), code, acct_strerror(code));
	ck_assert_msg(e->message != NULL, "%s: acct_error_last()->message is NULL", context);
	ck_assert_msg(e->message[0] != '\0', "%s: acct_error_last()->message is empty", context);
	if (needle) {
		ck_assert_msg(test_strcasestr(e->message, needle) != NULL,
		              "%s: the message '%s' does not mention '%s'", context, e->message, needle);
	}
}

/* ------------------------------------------------------------------------ */
/* Contexts, sessions and accounts                                          */
/* ------------------------------------------------------------------------ */

void test_ctx_options(acct_ctx_options *opts, test_clock *clock)
{
	acct_ctx_options init = ACCT_CTX_OPTIONS_INIT;

	*opts = init;
	opts->admin_login = TEST_ADMIN_LOGIN;
	opts->admin_password = TEST_ADMIN_PASSWORD;
	opts->password_cost = 1;
	if (clock) {
		opts->clock = test_clock_now;
		opts->clock_payload = clock;
	}
}

acct_ctx *open_ctx_over(acct_storage *storage, test_clock *clock)
{
	acct_ctx_options opts;
	acct_ctx *ctx = NULL;

	test_ctx_options(&opts, clock);
	ck_assert_ok(acct_ctx_new(&ctx, storage, &opts));
	ck_assert_msg(ctx != NULL, "acct_ctx_new succeeded but gave no ctx");
	return ctx;
}

acct_ctx *open_ctx_with_storage(acct_storage **storage_out)
{
	acct_storage *storage = NULL;

	test_default_clock.now = TEST_CLOCK_START;
	ck_assert_ok(acct_storage_memory_new(&storage));
	ck_assert_msg(storage != NULL, "acct_storage_memory_new gave no backend");
	if (storage_out)
		*storage_out = storage;
	return open_ctx_over(storage, &test_default_clock);
}

acct_ctx *open_ctx(void)
{
	return open_ctx_with_storage(NULL);
}

acct_session *open_session(acct_ctx *ctx, acct_id id)
{
	acct_session *s = NULL;
	char what[64];

	snprintf(what, sizeof what, "acct_session_open_as(id %" PRId64 ")", id);
	ck_assert_msg(acct_session_open_as(&s, ctx, id) == 0 && s != NULL,
	              "%s failed: %s", what, acct_error_last()->message);
	ck_assert_msg(acct_session_account(s) == id, "%s: the session acts as %" PRId64,
	              what, acct_session_account(s));
	return s;
}

acct_session *open_session_pw(acct_ctx *ctx, const char *login, const char *password)
{
	acct_session *s = NULL;

	ck_assert_msg(acct_session_open(&s, ctx, login, password) == 0 && s != NULL,
	              "acct_session_open('%s') failed: %s", login, acct_error_last()->message);
	return s;
}

int try_add_account(acct_id *id_out, acct_session *s, acct_id owner, int type,
                    const char *login, const char *name)
{
	acct_account *a = NULL;
	int rc;

	if (id_out)
		*id_out = 0;
	rc = acct_account_new(&a, type);
	if (rc == 0)
		rc = acct_account_set(a, ACCT_FIELD_LOGIN, login);
	if (rc == 0)
		rc = acct_account_set(a, ACCT_FIELD_NAME, name ? name : login);
	if (rc == 0)
		rc = acct_account_set(a, ACCT_FIELD_PASSWORD, TEST_PASSWORD);
	if (rc == 0)
		rc = acct_account_add(id_out, s, owner, a);
	acct_account_free(a);
	return rc;
}

acct_id add_account(acct_session *s, acct_id owner, int type, const char *login, const char *name)
{
	acct_id id = 0;
	int rc = try_add_account(&id, s, owner, type, login, name);

	ck_assert_msg(rc == 0, "adding %s '%s' under %" PRId64 " failed: %d (%s): %s",
	              acct_account_type_name(type), login, owner, rc, acct_strerror(rc),
	              acct_error_last()->message);
	ck_assert_msg(id > 0, "adding '%s' gave id %" PRId64, login, id);
	return id;
}

acct_id add_reseller(acct_session *s, acct_id owner, const char *login, const char *name)
{
	return add_account(s, owner, ACCT_TYPE_RESELLER, login, name);
}

acct_id add_customer(acct_session *s, acct_id owner, const char *login, const char *name)
{
	return add_account(s, owner, ACCT_TYPE_CUSTOMER, login, name);
}

acct_id add_user(acct_session *s, acct_id owner, const char *login, const char *name)
{
	return add_account(s, owner, ACCT_TYPE_USER, login, name);
}

void add_tree(acct_id *ids, acct_session *admin, const test_node *nodes, int n)
{
	int i;

	ck_assert_int_eq(nodes[0].type, ACCT_TYPE_ADMIN);
	ids[0] = 1;
	for (i = 1; i < n; i++) {
		ck_assert_msg(nodes[i].owner >= 0 && nodes[i].owner < i, "node %d: its owner must come first", i);
		ids[i] = add_account(admin, ids[nodes[i].owner], nodes[i].type, nodes[i].login, NULL);
	}
}

void open_tree(test_tree *t, const test_node *nodes, int n)
{
	ck_assert_msg(n >= 1 && n <= TEST_TREE_MAX, "a test tree of %d nodes", n);
	memset(t, 0, sizeof *t);
	t->n = n;
	t->ctx = open_ctx_with_storage(&t->store);
	t->admin = open_session(t->ctx, 1);
	add_tree(t->id, t->admin, nodes, n);
}

acct_session *tree_session(test_tree *t, int node)
{
	ck_assert_msg(node >= 0 && node < t->n, "node %d of a tree of %d", node, t->n);
	if (node == 0)
		return t->admin;
	if (!t->s[node])
		t->s[node] = open_session(t->ctx, t->id[node]);
	return t->s[node];
}

void close_tree(test_tree *t)
{
	int i;

	for (i = 0; i < t->n; i++)
		acct_session_free(t->s[i]);
	acct_session_free(t->admin);
	acct_ctx_free(t->ctx);
}

acct_account *lookup_ok(acct_session *s, acct_id id)
{
	acct_account *a = NULL;
	int rc = acct_account_lookup(&a, s, id);

	ck_assert_msg(rc == 0 && a != NULL, "lookup of %" PRId64 " failed: %d (%s): %s",
	              id, rc, acct_strerror(rc), acct_error_last()->message);
	ck_assert_msg(acct_account_id(a) == id, "lookup of %" PRId64 " gave account %" PRId64,
	              id, acct_account_id(a));
	return a;
}

acct_id owner_of(acct_session *s, acct_id id)
{
	acct_account *a = lookup_ok(s, id);
	acct_id owner = acct_account_owner(a);

	acct_account_free(a);
	return owner;
}

int type_of(acct_session *s, acct_id id)
{
	acct_account *a = lookup_ok(s, id);
	int type = acct_account_type(a);

	acct_account_free(a);
	return type;
}

unsigned int status_of(acct_session *s, acct_id id)
{
	acct_account *a = lookup_ok(s, id);
	unsigned int status = acct_account_status(a);

	acct_account_free(a);
	return status;
}

int collect_ids(acct_id *ids, size_t max, size_t *n_out, acct_session *s, acct_id parent, int mode)
{
	acct_account_iterator *it = NULL;
	acct_id id;
	size_t n = 0;
	int rc;

	*n_out = 0;
	rc = acct_account_iterator_new(&it, s, parent, mode);
	if (rc != 0)
		return rc;
	while ((rc = acct_account_iterator_next(&id, it)) == 0) {
		if (n < max)
			ids[n] = id;
		n++;
	}
	acct_account_iterator_free(it);
	*n_out = n;
	return rc == ACCT_ITEROVER ? 0 : rc;
}

static void format_ids(char *buf, size_t size, const acct_id *ids, size_t n)
{
	size_t used = 0, i;

	buf[0] = '\0';
	for (i = 0; i < n && used + 24 < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%" PRId64, i ? " " : "", ids[i]);
	if (i < n)
		snprintf(buf + used, size - used, " ...");
}

void assert_ids(const acct_id *got, size_t n_got, const acct_id *want, size_t n_want, const char *what)
{
	char g[512], w[512];
	int same = n_got == n_want;
	size_t i;

	for (i = 0; same && i < n_got; i++)
		same = got[i] == want[i];
	format_ids(g, sizeof g, got, n_got);
	format_ids(w, sizeof w, want, n_want);
	ck_assert_msg(same, "%s: got [%s], expected [%s]", what, g, w);
}

int test_may_own(int owner_type, int type)
{
	switch (type) {
	case ACCT_TYPE_RESELLER: return owner_type == ACCT_TYPE_ADMIN;
	case ACCT_TYPE_CUSTOMER: return owner_type == ACCT_TYPE_ADMIN || owner_type == ACCT_TYPE_RESELLER;
	case ACCT_TYPE_USER: return owner_type != ACCT_TYPE_USER;
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Workers: threads (or processes) that must not assert                      */
/* ------------------------------------------------------------------------ */

void test_worker_log_init(test_worker_log *log, const char *kind, int index)
{
	memset(log, 0, sizeof *log);
	snprintf(log->who, sizeof log->who, "%s %d", kind, index);
}

void test_problem(test_worker_log *log, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (log->problems++ != 0)
		return;
	n = snprintf(log->problem, sizeof log->problem, "%s: ", log->who);
	if (n < 0 || (size_t)n >= sizeof log->problem)
		return;
	va_start(ap, fmt);
	vsnprintf(log->problem + n, sizeof log->problem - (size_t)n, fmt, ap);
	va_end(ap);
}

void test_worker_check_owner(test_worker_log *log, acct_session *s, acct_id id, acct_id owner, const char *what)
{
	acct_account *a = NULL;
	int rc = acct_account_lookup(&a, s, id);

	if (rc != 0)
		test_problem(log, "%s: lookup of %" PRId64 " gave %d: %s", what, id, rc, acct_error_last()->message);
	else if (acct_account_owner(a) != owner)
		test_problem(log, "%s: %" PRId64 " is owned by %" PRId64 ", expected %" PRId64, what, id,
		             acct_account_owner(a), owner);
	acct_account_free(a);
}

void test_worker_suspend_activate(test_worker_log *log, acct_session *admin, acct_session *rs, acct_id id)
{
	unsigned int eff = 0;
	int rc = acct_account_suspend(rs, id);

	if (rc == 0)
		rc = acct_account_effective_status(&eff, admin, id);
	if (rc != 0 || eff != ACCT_STATUS_BY_RESELLER)
		test_problem(log, "suspend: %d, effective %u", rc, eff);
	rc = acct_account_activate(rs, id);
	if (rc != 0)
		test_problem(log, "activate: %d", rc);
}

void test_worker_move(test_worker_log *log, acct_session *admin, test_customer *c, acct_id to, const char *what)
{
	int rc = acct_account_change_owner(admin, c->id, to);

	if (rc != 0)
		test_problem(log, "%s: %d: %s", what, rc, acct_error_last()->message);
	else
		c->owner = to;
}

int test_worker_delete(test_worker_log *log, acct_session *admin, test_customer *c)
{
	int rc = acct_account_delete(admin, c->id);

	if (rc != 0) {
		test_problem(log, "delete: %d: %s", rc, acct_error_last()->message);
		return 0;
	}
	c->alive = 0;
	return c->user ? 2 : 1;
}

/* ------------------------------------------------------------------------ */
/* Byte strings                                                             */
/* ------------------------------------------------------------------------ */

void test_bytes_append(test_bytes *b, const void *data, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		unsigned char *p;

		while (cap < b->len + len + 1)
			cap *= 2;
		p = realloc(b->data, cap);
		if (!p)
			abort();
		b->data = p;
		b->cap = cap;
	}
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void test_bytes_printf(test_bytes *b, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	if ((size_t)n < sizeof small) {
		test_bytes_append(b, small, (size_t)n);
	} else {
		char *big = malloc((size_t)n + 1);

		if (!big)
			abort();
		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		test_bytes_append(b, big, (size_t)n);
		free(big);
	}
}

void test_bytes_free(test_bytes *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int test_bytes_equal(const test_bytes *a, const test_bytes *b)
{
	return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

static void append_len(test_bytes *b, size_t len)
{
	unsigned char l[4];

	l[0] = (unsigned char)(len >> 24);
	l[1] = (unsigned char)(len >> 16);
	l[2] = (unsigned char)(len >> 8);
	l[3] = (unsigned char)len;
	test_bytes_append(b, l, sizeof l);
}

int test_dump_store(test_bytes *out, acct_storage *st)
{
	acct_storage_iterator *it = NULL;
	acct_buf key = ACCT_BUF_INIT, value = ACCT_BUF_INIT;
	int rc;

	out->len = 0;
	test_bytes_append(out, "", 0);
	rc = st->begin(st, 0);
	if (rc != 0)
		return rc;
	rc = st->iterate(&it, st, (const unsigned char *)"", 0);
	if (rc == 0) {
		while ((rc = it->next(it, &key, &value)) == 0) {
			append_len(out, key.size);
			test_bytes_append(out, key.ptr, key.size);
			append_len(out, value.size);
			test_bytes_append(out, value.ptr, value.size);
		}
		if (rc == ACCT_ITEROVER)
			rc = 0;
		it->free(it);
	}
	acct_buf_dispose(&key);
	acct_buf_dispose(&value);
	if (rc == 0)
		rc = st->commit(st);
	else
		st->rollback(st);
	return rc;
}

static void view_one(test_bytes *out, acct_session *s, acct_id id)
{
	acct_account *a = NULL;
	const char *d;
	int rc = acct_account_lookup(&a, s, id);
	int f;

	if (rc != 0) {
		test_bytes_printf(out, "%" PRId64 ": lookup failed %d\n", id, rc);
		return;
	}
	test_bytes_printf(out, "%" PRId64 ": type=%d owner=%" PRId64 " status=%u created=%" PRId64,
	                  acct_account_id(a), acct_account_type(a), acct_account_owner(a),
	                  acct_account_status(a), acct_account_created(a));
	for (f = ACCT_FIELD_FIRST; f <= ACCT_FIELD_LAST; f++) {
		const char *v = acct_account_get(a, f);

		if (v)
			test_bytes_printf(out, " %s='%s'", acct_field_name(f), v);
	}
	d = acct_account_description(a, id);
	if (d)
		test_bytes_printf(out, " description(self)='%s'", d);
	d = acct_account_description(a, 1);
	if (d)
		test_bytes_printf(out, " description(admin)='%s'", d);
	test_bytes_printf(out, "\n");
	acct_account_free(a);
}

int test_view(test_bytes *out, acct_session *s)
{
	acct_account_iterator *it = NULL;
	acct_id root = acct_session_account(s), id;
	int rc;

	out->len = 0;
	test_bytes_append(out, "", 0);
	view_one(out, s, root);
	rc = acct_account_iterator_new(&it, s, root, ACCT_ITER_DESCENDANTS);
	if (rc != 0)
		return rc;
	while ((rc = acct_account_iterator_next(&id, it)) == 0)
		view_one(out, s, id);
	acct_account_iterator_free(it);
	return rc == ACCT_ITEROVER ? 0 : rc;
}

/* ------------------------------------------------------------------------ */
/* The delegating backend                                                   */
/* ------------------------------------------------------------------------ */

typedef struct wrap_iter {
	acct_storage_iterator *inner;
	test_storage *st;
} wrap_iter;

static void violation(test_storage *st, const char *what)
{
	if (st->violations++ == 0)
		snprintf(st->violation, sizeof st->violation, "%s", what);
}

/* Count a call; non-zero when this call is the one to fail. */
static int fault(test_storage *st)
{
	st->calls++;
	if (st->fail_at != 0 && st->calls == st->fail_at) {
		st->faults++;
		return 1;
	}
	return 0;
}

static int injected(void)
{
	return acct_error_set_str(ACCT_EUSER, TEST_FAULT_MESSAGE);
}

static test_storage *state(acct_storage *s)
{
	return (test_storage *)s->payload;
}

static int w_begin(acct_storage *s, int write)
{
	test_storage *st = state(s);
	int rc;

	if (st->in_txn)
		violation(st, "begin() inside a transaction");
	if (fault(st))
		return injected();
	rc = st->inner->begin(st->inner, write);
	if (rc == 0) {
		st->in_txn = 1;
		st->txn_write = write;
	}
	return rc;
}

static int w_commit(acct_storage *s)
{
	test_storage *st = state(s);
	int rc;

	if (!st->in_txn)
		violation(st, "commit() outside a transaction");
	if (st->open_iterators)
		violation(st, "commit() with an iterator still open");
	if (fault(st)) {
		/* A failed commit leaves the store as it was before begin(). */
		st->inner->rollback(st->inner);
		st->in_txn = 0;
		return injected();
	}
	rc = st->inner->commit(st->inner);
	st->in_txn = 0;
	return rc;
}

static int w_rollback(acct_storage *s)
{
	test_storage *st = state(s);
	int rc;

	if (st->open_iterators)
		violation(st, "rollback() with an iterator still open");
	if (!st->in_txn)
		return 0; /* e.g. after a failed begin or commit: nothing to undo */
	rc = st->inner->rollback(st->inner);
	st->in_txn = 0;
	return rc;
}

static int w_get(acct_storage *s, const unsigned char *key, size_t key_len, acct_buf *value)
{
	test_storage *st = state(s);

	if (!st->in_txn)
		violation(st, "get() outside a transaction");
	if (fault(st))
		return injected();
	return st->inner->get(st->inner, key, key_len, value);
}

static int w_put(acct_storage *s, const unsigned char *key, size_t key_len,
                 const unsigned char *value, size_t value_len)
{
	test_storage *st = state(s);

	if (!st->in_txn)
		violation(st, "put() outside a transaction");
	else if (!st->txn_write)
		violation(st, "put() in a read transaction");
	if (st->open_iterators)
		violation(st, "put() while an iterator is open");
	if (fault(st))
		return injected();
	return st->inner->put(st->inner, key, key_len, value, value_len);
}

static int w_del(acct_storage *s, const unsigned char *key, size_t key_len)
{
	test_storage *st = state(s);

	if (!st->in_txn)
		violation(st, "del() outside a transaction");
	else if (!st->txn_write)
		violation(st, "del() in a read transaction");
	if (st->open_iterators)
		violation(st, "del() while an iterator is open");
	if (fault(st))
		return injected();
	return st->inner->del(st->inner, key, key_len);
}

static int wi_next(acct_storage_iterator *it, acct_buf *key, acct_buf *value)
{
	wrap_iter *wi = (wrap_iter *)it->payload;

	if (fault(wi->st))
		return injected();
	return wi->inner->next(wi->inner, key, value);
}

static void wi_free(acct_storage_iterator *it)
{
	wrap_iter *wi = (wrap_iter *)it->payload;

	wi->st->open_iterators--;
	wi->inner->free(wi->inner);
	free(wi);
	free(it);
}

static int w_iterate(acct_storage_iterator **out, acct_storage *s,
                     const unsigned char *prefix, size_t prefix_len)
{
	test_storage *st = state(s);
	acct_storage_iterator *it;
	wrap_iter *wi;
	int rc;

	if (!st->in_txn)
		violation(st, "iterate() outside a transaction");
	if (fault(st))
		return injected();
	it = malloc(sizeof *it);
	wi = malloc(sizeof *wi);
	if (!it || !wi) {
		free(it);
		free(wi);
		return acct_error_set_str(ACCT_ENOMEM, "test wrapper: out of memory");
	}
	rc = acct_storage_iterator_init(it, ACCT_STORAGE_ITERATOR_VERSION);
	if (rc == 0)
		rc = st->inner->iterate(&wi->inner, st->inner, prefix, prefix_len);
	if (rc != 0) {
		free(it);
		free(wi);
		return rc;
	}
	wi->st = st;
	it->payload = wi;
	it->next = wi_next;
	it->free = wi_free;
	st->open_iterators++;
	*out = it;
	return 0;
}

static void w_free(acct_storage *s)
{
	test_storage *st = state(s);

	st->free_calls++;
	if (st->in_txn)
		violation(st, "free() with a transaction open");
	if (st->open_iterators)
		violation(st, "free() with an iterator open");
	if (st->owns_inner && st->inner) {
		acct_storage_free(st->inner);
		st->inner = NULL;
	}
	free(s);
}

void test_storage_setup(test_storage *st, acct_storage *inner, int owns_inner)
{
	memset(st, 0, sizeof *st);
	st->inner = inner;
	st->owns_inner = owns_inner;
}

int test_storage_wrap(acct_storage **out, test_storage *st)
{
	/* Exactly the version-1 size, filled by hand as an old host would. */
	acct_storage *s = malloc(TEST_STORAGE_V1_SIZE);

	if (!s)
		return ACCT_ENOMEM;
	memset(s, 0, TEST_STORAGE_V1_SIZE);
	s->version = 1;
	s->payload = st;
	s->begin = w_begin;
	s->commit = w_commit;
	s->rollback = w_rollback;
	s->get = w_get;
	s->put = w_put;
	s->del = w_del;
	s->iterate = w_iterate;
	s->free = w_free;
	*out = s;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Running a suite                                                          */
/* ------------------------------------------------------------------------ */

int test_run_suite(Suite *suite, int global_init)
{
	SRunner *sr = srunner_create(suite);
	int failed;

	if (global_init && acct_global_init() < 1) {
		fprintf(stderr, "acct_global_init failed: %s\n", acct_error_last()->message);
		srunner_free(sr);
		return EXIT_FAILURE;
	}
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (global_init)
		acct_global_shutdown();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
