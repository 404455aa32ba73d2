/*
 * check_structinit.c - every public struct's _INIT macro equals its _init()
 * function, member by member, byte for byte; every version 1..CURRENT is
 * accepted; 0 and CURRENT+1 are rejected with ACCT_EINVALID.
 *
 * The function's side starts from memory filled with 0xAA, so a member the
 * function forgets to write shows up. The macro's side is a static object
 * (zero padding). Members are compared one by one: padding bytes carry no
 * value and C leaves them unspecified, so they are not compared. Each
 * comparison also checks that the listed members end exactly at sizeof(T),
 * so a member appended to the struct without a line here fails the test.
 */
#include "testutil.h"

#include <string.h>

/* Compare member M of two objects of type T byte for byte. */
#define SAME_MEMBER(T, M, macro_side, func_side)                                      \
	ck_assert_msg(same_bytes((macro_side), (func_side), offsetof(T, M), sizeof(((T *)0)->M)), \
	              #T "." #M " differs between the _INIT macro and the _init function")

static int same_bytes(const void *a, const void *b, size_t offset, size_t len)
{
	return memcmp((const unsigned char *)a + offset, (const unsigned char *)b + offset, len) == 0;
}

/*
 * The last member listed must end the struct, up to trailing padding (so a
 * member appended without a line here fails, unless it hides in padding).
 */
#define LAST_MEMBER(T, M)                                                              \
	ck_assert_msg(round_up(offsetof(T, M) + sizeof(((T *)0)->M), _Alignof(T)) == sizeof(T), \
	              #T " has members after ." #M ": list them in check_structinit.c")

static size_t round_up(size_t n, size_t align)
{
	return (n + align - 1) / align * align;
}

START_TEST(test_init_buf)
{
	static const acct_buf macro = ACCT_BUF_INIT;
	acct_buf func;

	memset(&func, 0xAA, sizeof func);
	acct_buf_init(&func);
	SAME_MEMBER(acct_buf, ptr, &macro, &func);
	SAME_MEMBER(acct_buf, reserved, &macro, &func);
	SAME_MEMBER(acct_buf, size, &macro, &func);
	LAST_MEMBER(acct_buf, size);
}
END_TEST

START_TEST(test_init_allocator)
{
	static const acct_allocator macro = ACCT_ALLOCATOR_INIT;
	acct_allocator func;

	memset(&func, 0xAA, sizeof func);
	ck_assert_ok(acct_allocator_init(&func, ACCT_ALLOCATOR_VERSION));
	ck_assert_uint_eq(macro.version, ACCT_ALLOCATOR_VERSION);
	SAME_MEMBER(acct_allocator, version, &macro, &func);
	SAME_MEMBER(acct_allocator, payload, &macro, &func);
	SAME_MEMBER(acct_allocator, malloc, &macro, &func);
	SAME_MEMBER(acct_allocator, realloc, &macro, &func);
	SAME_MEMBER(acct_allocator, free, &macro, &func);
	LAST_MEMBER(acct_allocator, free);
}
END_TEST

START_TEST(test_init_storage)
{
	static const acct_storage macro = ACCT_STORAGE_INIT;
	acct_storage func;

	memset(&func, 0xAA, sizeof func);
	ck_assert_ok(acct_storage_init(&func, ACCT_STORAGE_VERSION));
	ck_assert_uint_eq(macro.version, ACCT_STORAGE_VERSION);
	SAME_MEMBER(acct_storage, version, &macro, &func);
	SAME_MEMBER(acct_storage, payload, &macro, &func);
	SAME_MEMBER(acct_storage, begin, &macro, &func);
	SAME_MEMBER(acct_storage, commit, &macro, &func);
	SAME_MEMBER(acct_storage, rollback, &macro, &func);
	SAME_MEMBER(acct_storage, get, &macro, &func);
	SAME_MEMBER(acct_storage, put, &macro, &func);
	SAME_MEMBER(acct_storage, del, &macro, &func);
	SAME_MEMBER(acct_storage, iterate, &macro, &func);
	SAME_MEMBER(acct_storage, free, &macro, &func);
	LAST_MEMBER(acct_storage, free);
}
END_TEST

START_TEST(test_init_storage_iterator)
{
	static const acct_storage_iterator macro = ACCT_STORAGE_ITERATOR_INIT;
	acct_storage_iterator func;

	memset(&func, 0xAA, sizeof func);
	ck_assert_ok(acct_storage_iterator_init(&func, ACCT_STORAGE_ITERATOR_VERSION));
	ck_assert_uint_eq(macro.version, ACCT_STORAGE_ITERATOR_VERSION);
	SAME_MEMBER(acct_storage_iterator, version, &macro, &func);
	SAME_MEMBER(acct_storage_iterator, payload, &macro, &func);
	SAME_MEMBER(acct_storage_iterator, next, &macro, &func);
	SAME_MEMBER(acct_storage_iterator, free, &macro, &func);
	LAST_MEMBER(acct_storage_iterator, free);
}
END_TEST

START_TEST(test_init_ctx_options)
{
	static const acct_ctx_options macro = ACCT_CTX_OPTIONS_INIT;
	acct_ctx_options func;

	memset(&func, 0xAA, sizeof func);
	ck_assert_ok(acct_ctx_options_init(&func, ACCT_CTX_OPTIONS_VERSION));
	ck_assert_uint_eq(macro.version, ACCT_CTX_OPTIONS_VERSION);
	SAME_MEMBER(acct_ctx_options, version, &macro, &func);
	SAME_MEMBER(acct_ctx_options, admin_login, &macro, &func);
	SAME_MEMBER(acct_ctx_options, admin_password, &macro, &func);
	SAME_MEMBER(acct_ctx_options, password_cost, &macro, &func);
	SAME_MEMBER(acct_ctx_options, clock, &macro, &func);
	SAME_MEMBER(acct_ctx_options, clock_payload, &macro, &func);
	SAME_MEMBER(acct_ctx_options, lockout_attempts, &macro, &func);
	SAME_MEMBER(acct_ctx_options, lockout_window, &macro, &func);
	SAME_MEMBER(acct_ctx_options, lockout_duration, &macro, &func);
	LAST_MEMBER(acct_ctx_options, lockout_duration);
}
END_TEST

/*
 * Versions: each struct's init function for 1..CURRENT (accepted, and the
 * version member says which) and for 0 and CURRENT+1 (ACCT_EINVALID).
 */
#define CHECK_VERSIONS(T, init_fn, CURRENT)                                                  \
	do {                                                                                     \
		T obj_;                                                                              \
		unsigned int v_;                                                                     \
		for (v_ = 1; v_ <= (CURRENT); v_++) {                                                \
			memset(&obj_, 0xAA, sizeof obj_);                                                \
			ck_assert_msg(init_fn(&obj_, v_) == 0, #init_fn "(%u) was refused: %s", v_,      \
			              acct_error_last()->message);                                       \
			ck_assert_msg(obj_.version == v_, #init_fn "(%u) set version %u", v_, obj_.version); \
		}                                                                                    \
		ck_assert_msg(init_fn(&obj_, 0) == ACCT_EINVALID, #init_fn "(0) was not refused");    \
		test_assert_last_error(ACCT_EINVALID, NULL, #init_fn "(0)");                         \
		ck_assert_msg(init_fn(&obj_, (CURRENT) + 1) == ACCT_EINVALID,                        \
		              #init_fn "(CURRENT + 1) was not refused");                             \
		test_assert_last_error(ACCT_EINVALID, NULL, #init_fn "(CURRENT + 1)");               \
		ck_assert_msg(init_fn(&obj_, 0xFFFFFFFFu) == ACCT_EINVALID,                         \
		              #init_fn "(UINT_MAX) was not refused");                                \
	} while (0)

START_TEST(test_allocator_versions)
{
	CHECK_VERSIONS(acct_allocator, acct_allocator_init, ACCT_ALLOCATOR_VERSION);
}
END_TEST

START_TEST(test_storage_versions)
{
	CHECK_VERSIONS(acct_storage, acct_storage_init, ACCT_STORAGE_VERSION);
}
END_TEST

START_TEST(test_storage_iterator_versions)
{
	CHECK_VERSIONS(acct_storage_iterator, acct_storage_iterator_init, ACCT_STORAGE_ITERATOR_VERSION);
}
END_TEST

START_TEST(test_ctx_options_versions)
{
	CHECK_VERSIONS(acct_ctx_options, acct_ctx_options_init, ACCT_CTX_OPTIONS_VERSION);
}
END_TEST

/* The version member stays first in every versioned struct (acct/sys/storage.h). */
START_TEST(test_version_first)
{
	ck_assert_uint_eq(offsetof(acct_allocator, version), 0);
	ck_assert_uint_eq(offsetof(acct_storage, version), 0);
	ck_assert_uint_eq(offsetof(acct_storage_iterator, version), 0);
	ck_assert_uint_eq(offsetof(acct_ctx_options, version), 0);
}
END_TEST

static Suite *structinit_suite(void)
{
	Suite *s = suite_create("structinit");
	TCase *tc;

	tc = tcase_create("macro_equals_function");
	tcase_add_test(tc, test_init_buf);
	tcase_add_test(tc, test_init_allocator);
	tcase_add_test(tc, test_init_storage);
	tcase_add_test(tc, test_init_storage_iterator);
	tcase_add_test(tc, test_init_ctx_options);
	suite_add_tcase(s, tc);

	tc = tcase_create("versions");
	tcase_add_test(tc, test_allocator_versions);
	tcase_add_test(tc, test_storage_versions);
	tcase_add_test(tc, test_storage_iterator_versions);
	tcase_add_test(tc, test_ctx_options_versions);
	tcase_add_test(tc, test_version_first);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	return test_run_suite(structinit_suite(), 0);
}
