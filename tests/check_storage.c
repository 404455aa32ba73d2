/*
 * check_storage.c - the memory backend's contract (acct/sys/storage.h), and
 * how a context attaches, uses and frees a backend: version checks,
 * mandatory methods, ownership, and an "old" version-1 backend.
 */
#include "testutil.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Helpers for talking to a backend through its vtable                      */
/* ------------------------------------------------------------------------ */

static acct_storage *memory_store(void)
{
	acct_storage *s = NULL;

	ck_assert_ok(acct_storage_memory_new(&s));
	ck_assert_ptr_nonnull(s);
	return s;
}

static void put_str(acct_storage *s, const char *key, size_t key_len, const char *value, size_t value_len)
{
	ck_assert_msg(s->put(s, (const unsigned char *)key, key_len,
	                     (const unsigned char *)value, value_len) == 0,
	              "put failed: %s", acct_error_last()->message);
}

/* Commit @p n key/value pairs (lengths given) in one write transaction. */
struct kv {
	const char *key;
	size_t key_len;
	const char *value;
	size_t value_len;
};

static void put_all(acct_storage *s, const struct kv *kv, size_t n)
{
	size_t i;

	ck_assert_ok(s->begin(s, 1));
	for (i = 0; i < n; i++)
		put_str(s, kv[i].key, kv[i].key_len, kv[i].value, kv[i].value_len);
	ck_assert_ok(s->commit(s));
}

/* Assert that @p key holds exactly @p value (NULL: absent), in a read transaction. */
static void expect_value(acct_storage *s, const char *key, size_t key_len, const char *value, size_t value_len)
{
	acct_buf v = ACCT_BUF_INIT;
	int rc;

	ck_assert_ok(s->begin(s, 0));
	rc = s->get(s, (const unsigned char *)key, key_len, &v);
	ck_assert_ok(s->commit(s));
	if (!value) {
		ck_assert_msg(rc == ACCT_ENOTFOUND, "key '%.*s' should be absent, get gave %d",
		              (int)key_len, key, rc);
	} else {
		ck_assert_msg(rc == 0, "key '%.*s': get gave %d", (int)key_len, key, rc);
		ck_assert_msg(v.size == value_len && memcmp(v.ptr, value, value_len) == 0,
		              "key '%.*s' holds '%.*s', expected '%.*s'", (int)key_len, key,
		              (int)v.size, v.ptr, (int)value_len, value);
		ck_assert_int_eq(v.ptr[v.size], '\0');
	}
	acct_buf_dispose(&v);
}

/* Iterate @p prefix and compare the keys (and values) with @p want. */
static void expect_iteration(acct_storage *s, const char *prefix, size_t prefix_len,
                             const struct kv *want, size_t n_want)
{
	acct_storage_iterator *it = NULL;
	acct_buf k = ACCT_BUF_INIT, v = ACCT_BUF_INIT;
	size_t n = 0;
	int rc;

	ck_assert_ok(s->begin(s, 0));
	ck_assert_ok(s->iterate(&it, s, (const unsigned char *)prefix, prefix_len));
	ck_assert_ptr_nonnull(it);
	while ((rc = it->next(it, &k, &v)) == 0) {
		ck_assert_msg(n < n_want, "prefix '%.*s': unexpected extra key '%.*s' at position %zu",
		              (int)prefix_len, prefix, (int)k.size, k.ptr, n);
		ck_assert_msg(k.size == want[n].key_len && memcmp(k.ptr, want[n].key, k.size) == 0,
		              "prefix '%.*s': position %zu has key '%.*s' (%zu bytes), expected '%.*s' (%zu bytes)",
		              (int)prefix_len, prefix, n, (int)k.size, k.ptr, k.size,
		              (int)want[n].key_len, want[n].key, want[n].key_len);
		ck_assert_msg(v.size == want[n].value_len && memcmp(v.ptr, want[n].value, v.size) == 0,
		              "prefix '%.*s': key at position %zu has the wrong value", (int)prefix_len, prefix, n);
		n++;
	}
	ck_assert_msg(rc == ACCT_ITEROVER, "iterator next gave %d instead of ACCT_ITEROVER", rc);
	ck_assert_msg(n == n_want, "prefix '%.*s': %zu keys, expected %zu", (int)prefix_len, prefix, n, n_want);
	it->free(it);
	ck_assert_ok(s->commit(s));
	acct_buf_dispose(&k);
	acct_buf_dispose(&v);
}

#define KV(k, v) { k, sizeof(k) - 1, v, sizeof(v) - 1 }

/* ------------------------------------------------------------------------ */
/* The memory backend                                                       */
/* ------------------------------------------------------------------------ */

START_TEST(test_memory_vtable)
{
	acct_storage *s = memory_store();

	ck_assert_msg(s->version >= 1 && s->version <= ACCT_STORAGE_VERSION,
	              "the memory backend has version %u", s->version);
	ck_assert_ptr_nonnull(s->begin);
	ck_assert_ptr_nonnull(s->commit);
	ck_assert_ptr_nonnull(s->rollback);
	ck_assert_ptr_nonnull(s->get);
	ck_assert_ptr_nonnull(s->put);
	ck_assert_ptr_nonnull(s->del);
	ck_assert_ptr_nonnull(s->iterate);
	ck_assert_ptr_nonnull(s->free);
	acct_storage_free(s);
	acct_storage_free(NULL);
}
END_TEST

START_TEST(test_memory_get_put_del)
{
	acct_storage *s = memory_store();
	acct_buf v = ACCT_BUF_INIT;

	expect_value(s, "k1", 2, NULL, 0);

	ck_assert_ok(s->begin(s, 1));
	put_str(s, "k1", 2, "one", 3);
	put_str(s, "k2", 2, "two", 3);
	/* A write transaction reads its own writes. */
	ck_assert_ok(s->get(s, (const unsigned char *)"k1", 2, &v));
	ck_assert_str_eq(v.ptr, "one");
	ck_assert_ok(s->commit(s));
	expect_value(s, "k1", 2, "one", 3);
	expect_value(s, "k2", 2, "two", 3);
	expect_value(s, "k", 1, NULL, 0);
	expect_value(s, "k10", 3, NULL, 0);

	/* Replace, delete, delete an absent key. */
	ck_assert_ok(s->begin(s, 1));
	put_str(s, "k1", 2, "uno", 3);
	ck_assert_ok(s->del(s, (const unsigned char *)"k2", 2));
	ck_assert_ok(s->del(s, (const unsigned char *)"absent", 6));
	ck_assert_rc(s->get(s, (const unsigned char *)"k2", 2, &v), ACCT_ENOTFOUND);
	ck_assert_ok(s->commit(s));
	expect_value(s, "k1", 2, "uno", 3);
	expect_value(s, "k2", 2, NULL, 0);

	acct_buf_dispose(&v);
	acct_storage_free(s);
}
END_TEST

START_TEST(test_memory_binary_keys_and_values)
{
	acct_storage *s = memory_store();
	static const char key[] = { 'a', '\0', 'b', (char)0xff };
	static const char value[] = { '\0', '\0', (char)0x80, 'z', '\0' };

	ck_assert_ok(s->begin(s, 1));
	put_str(s, key, sizeof key, value, sizeof value);
	put_str(s, "empty", 5, "", 0);
	put_str(s, "a", 1, "just a", 6);
	ck_assert_ok(s->commit(s));
	expect_value(s, key, sizeof key, value, sizeof value);
	expect_value(s, key, 1, "just a", 6);           /* "a" only */
	expect_value(s, key, 2, NULL, 0);               /* "a\0" is another key */
	expect_value(s, "empty", 5, "", 0);
	acct_storage_free(s);
}
END_TEST

START_TEST(test_memory_iteration_order)
{
	acct_storage *s = memory_store();
	/* Inserted out of order; values name the keys. */
	static const struct kv insert[] = {
		KV("b", "v-b"),
		KV("a\xff", "v-a-ff"),
		KV("\xff", "v-ff"),
		KV("a", "v-a"),
		KV("ab", "v-ab"),
		KV("a\x00\x01", "v-a-00-01"),
		KV("\x00", "v-00"),
		KV("a\x01", "v-a-01"),
		KV("\xff\xff", "v-ff-ff"),
		KV("a\x00", "v-a-00"),
		KV("\x00\x00", "v-00-00"),
		KV("\x01", "v-01"),
	};
	/* memcmp order as unsigned bytes, a shorter key first on a tie. */
	static const struct kv all[] = {
		KV("\x00", "v-00"),
		KV("\x00\x00", "v-00-00"),
		KV("\x01", "v-01"),
		KV("a", "v-a"),
		KV("a\x00", "v-a-00"),
		KV("a\x00\x01", "v-a-00-01"),
		KV("a\x01", "v-a-01"),
		KV("ab", "v-ab"),
		KV("a\xff", "v-a-ff"),   /* 0xff > 'b': unsigned */
		KV("b", "v-b"),
		KV("\xff", "v-ff"),
		KV("\xff\xff", "v-ff-ff"),
	};

	put_all(s, insert, sizeof insert / sizeof insert[0]);
	expect_iteration(s, "", 0, all, 12);
	expect_iteration(s, "a", 1, all + 3, 6);          /* a .. a\xff */
	expect_iteration(s, "a\x00", 2, all + 4, 2);      /* a\0, a\0\1 */
	expect_iteration(s, "\x00", 1, all, 2);           /* \0, \0\0 */
	expect_iteration(s, "\xff", 1, all + 10, 2);      /* unsigned: 0xff sorts last */
	expect_iteration(s, "b", 1, all + 9, 1);
	expect_iteration(s, "ab", 2, all + 7, 1);
	expect_iteration(s, "a\xff", 2, all + 8, 1);
	expect_iteration(s, "abc", 3, NULL, 0);
	expect_iteration(s, "c", 1, NULL, 0);
	expect_iteration(s, "\x02", 1, NULL, 0);
	acct_storage_free(s);
}
END_TEST

START_TEST(test_memory_iterate_empty_store)
{
	acct_storage *s = memory_store();

	expect_iteration(s, "", 0, NULL, 0);
	expect_iteration(s, "x", 1, NULL, 0);
	acct_storage_free(s);
}
END_TEST

START_TEST(test_memory_rollback_restores)
{
	acct_storage *s = memory_store();
	static const struct kv before[] = {
		KV("keep", "1"),
		KV("replace", "old"),
		KV("remove", "gone?"),
	};
	test_bytes d0 = TEST_BYTES_INIT, d1 = TEST_BYTES_INIT;

	put_all(s, before, 3);
	ck_assert_ok(test_dump_store(&d0, s));

	ck_assert_ok(s->begin(s, 1));
	put_str(s, "replace", 7, "new value", 9);
	put_str(s, "added", 5, "x", 1);
	ck_assert_ok(s->del(s, (const unsigned char *)"remove", 6));
	ck_assert_ok(s->rollback(s));

	ck_assert_ok(test_dump_store(&d1, s));
	ck_assert_msg(test_bytes_equal(&d0, &d1), "rollback did not restore the store");
	expect_value(s, "replace", 7, "old", 3);
	expect_value(s, "remove", 6, "gone?", 5);
	expect_value(s, "added", 5, NULL, 0);

	/* The store still takes writes after a rollback. */
	ck_assert_ok(s->begin(s, 1));
	put_str(s, "after", 5, "y", 1);
	ck_assert_ok(s->commit(s));
	expect_value(s, "after", 5, "y", 1);

	test_bytes_free(&d0);
	test_bytes_free(&d1);
	acct_storage_free(s);
}
END_TEST

START_TEST(test_memory_read_transaction)
{
	acct_storage *s = memory_store();
	acct_storage_iterator *it = NULL;
	acct_buf k = ACCT_BUF_INIT, v = ACCT_BUF_INIT;
	static const struct kv data[] = { KV("x1", "a"), KV("x2", "b") };

	put_all(s, data, 2);

	/* Read, iterate, then end with rollback: nothing changes. */
	ck_assert_ok(s->begin(s, 0));
	ck_assert_ok(s->get(s, (const unsigned char *)"x1", 2, &v));
	ck_assert_str_eq(v.ptr, "a");
	ck_assert_ok(s->iterate(&it, s, (const unsigned char *)"x", 1));
	ck_assert_ok(it->next(it, &k, &v));
	ck_assert_str_eq(k.ptr, "x1");
	it->free(it);
	ck_assert_ok(s->rollback(s));
	expect_iteration(s, "x", 1, data, 2);

	acct_buf_dispose(&k);
	acct_buf_dispose(&v);
	acct_storage_free(s);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Attaching backends to a context                                          */
/* ------------------------------------------------------------------------ */

/* Try to open a ctx over @p w; assert it fails with ACCT_EINVALID and a message. */
static void expect_attach_refused(acct_storage *w, test_storage *st, const char *what)
{
	acct_ctx_options opts;
	acct_ctx *ctx = NULL;
	int rc;

	test_ctx_options(&opts, NULL);
	rc = acct_ctx_new(&ctx, w, &opts);
	ck_assert_msg(rc == ACCT_EINVALID, "%s: acct_ctx_new gave %d (%s), expected ACCT_EINVALID",
	              what, rc, acct_strerror(rc));
	test_assert_last_error(ACCT_EINVALID, NULL, what);
	ck_assert_msg(ctx == NULL, "%s: acct_ctx_new failed but set *out", what);
	ck_assert_msg(st->free_calls == 0, "%s: a refused backend was freed by the library", what);
	ck_assert_msg(st->calls == 0, "%s: a refused backend was called (%lu calls)", what, st->calls);
}

START_TEST(test_attach_rejects_version_0)
{
	test_storage st;
	acct_storage *w = NULL;

	test_storage_setup(&st, memory_store(), 1);
	ck_assert_ok(test_storage_wrap(&w, &st));
	w->version = 0;
	expect_attach_refused(w, &st, "version 0");
	/* The caller still owns it. */
	w->version = 1;
	acct_storage_free(w);
	ck_assert_int_eq(st.free_calls, 1);
}
END_TEST

START_TEST(test_attach_rejects_future_version)
{
	test_storage st;
	acct_storage *w = NULL;

	test_storage_setup(&st, memory_store(), 1);
	ck_assert_ok(test_storage_wrap(&w, &st));
	w->version = ACCT_STORAGE_VERSION + 1;
	expect_attach_refused(w, &st, "version CURRENT + 1");
	w->version = 0xFFFFFFFFu;
	expect_attach_refused(w, &st, "version UINT_MAX");
	w->version = 1;
	acct_storage_free(w);
	ck_assert_int_eq(st.free_calls, 1);
}
END_TEST

/* Each mandatory method, by offset: cleared in turn on a valid backend. */
static const struct {
	const char *name;
	size_t offset;
} methods[] = {
	{ "begin", offsetof(acct_storage, begin) },
	{ "commit", offsetof(acct_storage, commit) },
	{ "rollback", offsetof(acct_storage, rollback) },
	{ "get", offsetof(acct_storage, get) },
	{ "put", offsetof(acct_storage, put) },
	{ "del", offsetof(acct_storage, del) },
	{ "iterate", offsetof(acct_storage, iterate) },
	{ "free", offsetof(acct_storage, free) },
};

START_TEST(test_attach_rejects_missing_method)
{
	test_storage st;
	acct_storage *w = NULL;
	void (*saved)(void);
	char what[64];
	void (**slot)(void);

	test_storage_setup(&st, memory_store(), 1);
	ck_assert_ok(test_storage_wrap(&w, &st));
	slot = (void (**)(void))((char *)w + methods[_i].offset);
	saved = *slot;
	*slot = NULL;
	snprintf(what, sizeof what, "backend without %s", methods[_i].name);
	expect_attach_refused(w, &st, what);
	*slot = saved;
	acct_storage_free(w);
	ck_assert_int_eq(st.free_calls, 1);
}
END_TEST

START_TEST(test_attach_null_storage)
{
	acct_ctx_options opts;
	acct_ctx *ctx = NULL;

	test_ctx_options(&opts, NULL);
	ck_assert_rc(acct_ctx_new(&ctx, NULL, &opts), ACCT_EINVALID);
	ck_assert_ptr_null(ctx);
	acct_ctx_free(NULL);
}
END_TEST

START_TEST(test_attach_backend_failure_keeps_ownership)
{
	test_storage st;
	acct_storage *w = NULL;
	acct_ctx_options opts;
	acct_ctx *ctx = NULL;
	int rc;

	test_storage_setup(&st, memory_store(), 1);
	ck_assert_ok(test_storage_wrap(&w, &st));
	st.fail_at = 1; /* the very first call fails */
	test_ctx_options(&opts, NULL);
	rc = acct_ctx_new(&ctx, w, &opts);
	ck_assert_msg(rc == ACCT_EUSER || rc == ACCT_ESTORAGE,
	              "a failing backend gave %d (%s)", rc, acct_strerror(rc));
	ck_assert_uint_eq(st.faults, 1);
	ck_assert_msg(test_strcasestr(acct_error_last()->message, TEST_FAULT_MESSAGE) != NULL,
	              "the backend's message was not passed on: '%s'", acct_error_last()->message);
	ck_assert_ptr_null(ctx);
	ck_assert_int_eq(st.free_calls, 0);
	ck_assert_msg(st.violations == 0, "contract violation: %s", st.violation);

	/* Still the caller's: it can be attached again, and then it is freed once. */
	st.fail_at = 0;
	ctx = open_ctx_over(w, NULL);
	ck_assert_int_eq(st.free_calls, 0);
	acct_ctx_free(ctx);
	ck_assert_int_eq(st.free_calls, 1);
}
END_TEST

START_TEST(test_ctx_frees_backend_once)
{
	test_storage st;
	acct_storage *w = NULL;
	acct_ctx *ctx;
	acct_session *s;

	test_storage_setup(&st, memory_store(), 1);
	ck_assert_ok(test_storage_wrap(&w, &st));
	ctx = open_ctx_over(w, NULL);
	s = open_session(ctx, 1);
	add_customer(s, 1, "c1", "Customer One");
	acct_session_free(s);
	ck_assert_int_eq(st.free_calls, 0);
	acct_ctx_free(ctx);
	ck_assert_msg(st.free_calls == 1, "the backend was freed %d times", st.free_calls);
	ck_assert_ptr_null(st.inner); /* the wrapper freed the memory store too */
	ck_assert_msg(st.violations == 0, "contract violation: %s", st.violation);
}
END_TEST

/*
 * An old backend: a host written against version 1 allocates exactly the
 * version-1 struct (test_storage_wrap does). The library must never read
 * past it (ASan in CI), and the whole life of a ctx must work over it.
 */
START_TEST(test_old_backend_full_lifecycle)
{
	test_storage st;
	acct_storage *w = NULL;
	acct_ctx *ctx;
	acct_session *admin, *rs;
	acct_account *a;
	acct_id r1, r2, c1, u1, ids[8];
	size_t n;
	unsigned int eff = 0;

	test_storage_setup(&st, memory_store(), 1);
	ck_assert_ok(test_storage_wrap(&w, &st));
	ck_assert_uint_eq(w->version, 1);
	ctx = open_ctx_over(w, &test_default_clock);

	admin = open_session_pw(ctx, TEST_ADMIN_LOGIN, TEST_ADMIN_PASSWORD);
	r1 = add_reseller(admin, 1, "r1", "Reseller One");
	r2 = add_reseller(admin, 1, "r2", "Reseller Two");
	c1 = add_customer(admin, r1, "c1", "Customer One");
	u1 = add_user(admin, c1, "u1", "User One");

	rs = open_session_pw(ctx, "r1", TEST_PASSWORD);
	a = lookup_ok(rs, c1);
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_CITY, "Springfield"));
	ck_assert_ok(acct_account_update(rs, a));
	acct_account_free(a);
	ck_assert_ok(acct_account_suspend(rs, c1));
	ck_assert_ok(acct_account_effective_status(&eff, admin, u1));
	ck_assert_uint_ne(eff, 0);
	ck_assert_ok(acct_account_activate(rs, c1));
	acct_session_free(rs);

	ck_assert_ok(collect_ids(ids, 8, &n, admin, 1, ACCT_ITER_DESCENDANTS));
	ck_assert_uint_eq(n, 4);
	ck_assert_ok(acct_account_change_owner(admin, c1, r2));
	ck_assert_int_eq(owner_of(admin, c1), r2);
	ck_assert_ok(acct_ctx_refresh(ctx));
	ck_assert_ok(acct_account_delete(admin, r2));
	ck_assert_rc(acct_account_lookup(&a, admin, u1), ACCT_ENOTFOUND);
	ck_assert_uint_eq(acct_ctx_account_count(ctx), 2);

	acct_session_free(admin);
	acct_ctx_free(ctx);
	ck_assert_int_eq(st.free_calls, 1);
	ck_assert_msg(st.violations == 0, "contract violation: %s", st.violation);
	ck_assert_msg(st.calls > 0, "the backend was never used");
}
END_TEST

START_TEST(test_generation_and_counts)
{
	acct_ctx *ctx = open_ctx();
	acct_session *admin = open_session(ctx, 1);
	acct_account *a = NULL;
	uint64_t g0, g1, g2;

	ck_assert_uint_eq(acct_ctx_account_count(ctx), 1);
	ck_assert_uint_gt(acct_ctx_index_bytes(ctx), 0);
	g0 = acct_ctx_generation(ctx);
	add_customer(admin, 1, "c1", NULL);
	g1 = acct_ctx_generation(ctx);
	ck_assert_msg(g1 > g0, "a write did not move the generation (%" PRIu64 " -> %" PRIu64 ")", g0, g1);
	ck_assert_uint_eq(acct_ctx_account_count(ctx), 2);

	/* Reads and refused writes leave it alone. */
	a = lookup_ok(admin, 1);
	acct_account_free(a);
	ck_assert_rc(acct_account_delete(admin, 1), ACCT_EDENIED);
	ck_assert_ok(acct_ctx_refresh(ctx));
	g2 = acct_ctx_generation(ctx);
	ck_assert_msg(g2 == g1, "a read or a refused write moved the generation (%" PRIu64 " -> %" PRIu64 ")", g1, g2);

	acct_session_free(admin);
	acct_ctx_free(ctx);
}
END_TEST

static Suite *storage_suite(void)
{
	Suite *s = suite_create("storage");
	TCase *tc;

	tc = tcase_create("memory");
	tcase_add_test(tc, test_memory_vtable);
	tcase_add_test(tc, test_memory_get_put_del);
	tcase_add_test(tc, test_memory_binary_keys_and_values);
	tcase_add_test(tc, test_memory_iteration_order);
	tcase_add_test(tc, test_memory_iterate_empty_store);
	tcase_add_test(tc, test_memory_rollback_restores);
	tcase_add_test(tc, test_memory_read_transaction);
	suite_add_tcase(s, tc);

	tc = tcase_create("attach");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_attach_rejects_version_0);
	tcase_add_test(tc, test_attach_rejects_future_version);
	tcase_add_loop_test(tc, test_attach_rejects_missing_method, 0,
	                    (int)(sizeof methods / sizeof methods[0]));
	tcase_add_test(tc, test_attach_null_storage);
	tcase_add_test(tc, test_attach_backend_failure_keeps_ownership);
	tcase_add_test(tc, test_ctx_frees_backend_once);
	tcase_add_test(tc, test_old_backend_full_lifecycle);
	tcase_add_test(tc, test_generation_and_counts);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	return test_run_suite(storage_suite(), 1);
}
