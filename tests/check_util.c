/*
 * check_util.c - acct_buf, error codes and messages, the thread-local last
 * error, library version and global init.
 *
 * This suite runs without acct_global_init(): errors and buffers must work
 * before it (acct/errors.h).
 */
#include "testutil.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every code of acct_error_code with the Plesk errcode acct/errors.h gives it. */
static const struct {
	int code;
	const char *name;
	int plesk;
} codes[] = {
	{ ACCT_OK, "ACCT_OK", 0 },
	{ ACCT_ERROR, "ACCT_ERROR", 1023 },
	{ ACCT_ENOTFOUND, "ACCT_ENOTFOUND", 1013 },
	{ ACCT_EEXISTS, "ACCT_EEXISTS", 1007 },
	{ ACCT_EINVALID, "ACCT_EINVALID", 1019 },
	{ ACCT_ENOMEM, "ACCT_ENOMEM", 1023 },
	{ ACCT_EDENIED, "ACCT_EDENIED", 1006 },
	{ ACCT_EPARSE, "ACCT_EPARSE", 1014 },
	{ ACCT_ENOTSUPPORTED, "ACCT_ENOTSUPPORTED", 1017 },
	{ ACCT_EUSER, "ACCT_EUSER", 1023 },
	{ ACCT_ITEROVER, "ACCT_ITEROVER", 0 },
	{ ACCT_EAUTH, "ACCT_EAUTH", 1001 },
	{ ACCT_EDISABLED, "ACCT_EDISABLED", 1011 },
	{ ACCT_ELOCKED, "ACCT_ELOCKED", 1012 },
	{ ACCT_ELIMIT, "ACCT_ELIMIT", 1024 },
	{ ACCT_ESTATUS, "ACCT_ESTATUS", 1025 },
	{ ACCT_EOWNER, "ACCT_EOWNER", 1015 },
	{ ACCT_ESTORAGE, "ACCT_ESTORAGE", 1023 },
	{ ACCT_EKEY, "ACCT_EKEY", 11003 },
	{ ACCT_EVERSION, "ACCT_EVERSION", 1005 },
};
#define N_CODES (sizeof codes / sizeof codes[0])

/* Codes no version of libacct defines (the enum only grows downwards from -19). */
static const int unknown_codes[] = { 1, 42, -1000, -2147483647 - 1, 2147483647 };
#define N_UNKNOWN (sizeof unknown_codes / sizeof unknown_codes[0])

/* ------------------------------------------------------------------------ */
/* acct_buf                                                                 */
/* ------------------------------------------------------------------------ */

START_TEST(test_buf_init)
{
	acct_buf a = ACCT_BUF_INIT, b;

	memset(&b, 0xAA, sizeof b);
	acct_buf_init(&b);
	ck_assert_ptr_null(a.ptr);
	ck_assert_uint_eq(a.size, 0);
	ck_assert_uint_eq(a.reserved, 0);
	ck_assert_ptr_null(b.ptr);
	ck_assert_uint_eq(b.size, 0);
	ck_assert_uint_eq(b.reserved, 0);
}
END_TEST

START_TEST(test_buf_set_text)
{
	acct_buf b = ACCT_BUF_INIT;

	ck_assert_ok(acct_buf_set(&b, "hello", 5));
	ck_assert_ptr_nonnull(b.ptr);
	ck_assert_uint_eq(b.size, 5);
	ck_assert_uint_ge(b.reserved, 6);
	ck_assert_str_eq(b.ptr, "hello");
	ck_assert_int_eq(b.ptr[5], '\0');
	acct_buf_dispose(&b);
	ck_assert_ptr_null(b.ptr);
	ck_assert_uint_eq(b.size, 0);
	ck_assert_uint_eq(b.reserved, 0);
}
END_TEST

START_TEST(test_buf_set_binary)
{
	static const unsigned char data[] = { 0x00, 0xff, 0x00, 0x41, 0x80 };
	acct_buf b = ACCT_BUF_INIT;

	ck_assert_ok(acct_buf_set(&b, data, sizeof data));
	ck_assert_uint_eq(b.size, sizeof data);
	ck_assert_mem_eq(b.ptr, data, sizeof data);
	ck_assert_int_eq(b.ptr[sizeof data], '\0');
	acct_buf_dispose(&b);
}
END_TEST

START_TEST(test_buf_set_replaces)
{
	char big[1000];
	acct_buf b = ACCT_BUF_INIT;

	memset(big, 'x', sizeof big);
	ck_assert_ok(acct_buf_set(&b, "first value", 11));
	ck_assert_ok(acct_buf_set(&b, "ab", 2));
	ck_assert_uint_eq(b.size, 2);
	ck_assert_str_eq(b.ptr, "ab");
	ck_assert_ok(acct_buf_set(&b, big, sizeof big));
	ck_assert_uint_eq(b.size, sizeof big);
	ck_assert_mem_eq(b.ptr, big, sizeof big);
	ck_assert_int_eq(b.ptr[sizeof big], '\0');
	ck_assert_ok(acct_buf_set(&b, "c", 1));
	ck_assert_uint_eq(b.size, 1);
	ck_assert_str_eq(b.ptr, "c");
	acct_buf_dispose(&b);
}
END_TEST

START_TEST(test_buf_set_empty)
{
	acct_buf b = ACCT_BUF_INIT;

	ck_assert_ok(acct_buf_set(&b, NULL, 0));
	ck_assert_uint_eq(b.size, 0);
	ck_assert_msg(b.ptr != NULL, "an empty fill must still give a NUL-terminated string");
	ck_assert_int_eq(b.ptr[0], '\0');
	ck_assert_ok(acct_buf_set(&b, "abc", 3));
	ck_assert_ok(acct_buf_set(&b, "", 0));
	ck_assert_uint_eq(b.size, 0);
	ck_assert_str_eq(b.ptr, "");
	acct_buf_dispose(&b);
}
END_TEST

START_TEST(test_buf_dispose_twice_and_null)
{
	acct_buf b = ACCT_BUF_INIT;

	acct_buf_dispose(NULL);
	acct_buf_dispose(&b); /* never filled */
	ck_assert_ok(acct_buf_set(&b, "x", 1));
	acct_buf_dispose(&b);
	acct_buf_dispose(&b); /* already disposed */
	ck_assert_ptr_null(b.ptr);
	ck_assert_uint_eq(b.size, 0);
	ck_assert_uint_eq(b.reserved, 0);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Codes and messages                                                       */
/* ------------------------------------------------------------------------ */

START_TEST(test_strerror_every_code)
{
	const char *unknown = acct_strerror(unknown_codes[0]);
	size_t i, j;

	ck_assert_ptr_nonnull(unknown);
	ck_assert_str_eq(unknown, "unknown error");
	for (i = 0; i < N_CODES; i++) {
		const char *m = acct_strerror(codes[i].code);

		ck_assert_msg(m != NULL, "acct_strerror(%s) is NULL", codes[i].name);
		ck_assert_msg(m[0] != '\0', "acct_strerror(%s) is empty", codes[i].name);
		ck_assert_msg(strcmp(m, "unknown error") != 0,
		              "acct_strerror(%s) says 'unknown error'", codes[i].name);
		ck_assert_msg(strcmp(m, acct_strerror(codes[i].code)) == 0,
		              "acct_strerror(%s) is not stable", codes[i].name);
		for (j = 0; j < i; j++) {
			ck_assert_msg(strcmp(m, acct_strerror(codes[j].code)) != 0,
			              "%s and %s have the same description '%s'",
			              codes[i].name, codes[j].name, m);
		}
	}
}
END_TEST

START_TEST(test_strerror_unknown_codes)
{
	size_t i;

	for (i = 0; i < N_UNKNOWN; i++) {
		const char *m = acct_strerror(unknown_codes[i]);

		ck_assert_msg(m != NULL && strcmp(m, "unknown error") == 0,
		              "acct_strerror(%d) gave '%s', expected 'unknown error'",
		              unknown_codes[i], m ? m : "(null)");
	}
}
END_TEST

START_TEST(test_plesk_codes)
{
	size_t i;

	for (i = 0; i < N_CODES; i++) {
		int p = acct_error_plesk_code(codes[i].code);

		ck_assert_msg(p == codes[i].plesk, "acct_error_plesk_code(%s) = %d, expected %d",
		              codes[i].name, p, codes[i].plesk);
	}
	for (i = 0; i < N_UNKNOWN; i++) {
		int p = acct_error_plesk_code(unknown_codes[i]);

		ck_assert_msg(p == 1023, "acct_error_plesk_code(%d) = %d, expected 1023 for an unknown code",
		              unknown_codes[i], p);
	}
}
END_TEST

/* ------------------------------------------------------------------------ */
/* The last error                                                           */
/* ------------------------------------------------------------------------ */

START_TEST(test_error_last_never_null)
{
	const acct_error *e = acct_error_last();

	/* (The state of a thread that never failed: see test_error_thread_local.) */
	ck_assert_ptr_nonnull(e);
	ck_assert_ptr_nonnull(e->message);
	acct_error_clear();
	e = acct_error_last();
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->code, ACCT_OK);
	ck_assert_int_eq(e->plesk_code, 0);
	ck_assert_ptr_nonnull(e->message);
	ck_assert_str_eq(e->message, "");
	acct_error_set_str(ACCT_EPARSE, "bad input");
	ck_assert_ptr_nonnull(acct_error_last());
	acct_error_clear();
	ck_assert_ptr_nonnull(acct_error_last());
	ck_assert_ptr_nonnull(acct_error_last()->message);
}
END_TEST

START_TEST(test_error_set_and_clear)
{
	const acct_error *e;

	ck_assert_int_eq(acct_error_set_str(ACCT_EDENIED, "nope: not yours"), ACCT_EDENIED);
	e = acct_error_last();
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->code, ACCT_EDENIED);
	ck_assert_int_eq(e->plesk_code, 1006);
	ck_assert_str_eq(e->message, "nope: not yours");

	acct_error_clear();
	e = acct_error_last();
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->code, ACCT_OK);
	ck_assert_int_eq(e->plesk_code, 0);
	ck_assert_ptr_nonnull(e->message);
	ck_assert_str_eq(e->message, "");
}
END_TEST

START_TEST(test_error_set_copies_message)
{
	char msg[32];
	const acct_error *e;

	snprintf(msg, sizeof msg, "disk full");
	acct_error_set_str(ACCT_EUSER, msg);
	memset(msg, 'X', sizeof msg - 1);
	e = acct_error_last();
	ck_assert_str_eq(e->message, "disk full");
	ck_assert_int_eq(e->code, ACCT_EUSER);
	ck_assert_int_eq(e->plesk_code, 1023);
}
END_TEST

START_TEST(test_error_set_null_message)
{
	const acct_error *e;

	ck_assert_int_eq(acct_error_set_str(ACCT_ENOTFOUND, NULL), ACCT_ENOTFOUND);
	e = acct_error_last();
	ck_assert_int_eq(e->code, ACCT_ENOTFOUND);
	ck_assert_int_eq(e->plesk_code, 1013);
	ck_assert_ptr_nonnull(e->message);
	ck_assert_str_eq(e->message, acct_strerror(ACCT_ENOTFOUND));
}
END_TEST

START_TEST(test_error_from_failed_call)
{
	acct_account *a = NULL;

	acct_error_clear();
	ck_assert_rc(acct_account_new(&a, ACCT_TYPE_ADMIN), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, NULL, "acct_account_new(admin)");
	ck_assert_int_eq(acct_error_last()->plesk_code, 1019);
	acct_account_free(a);
}
END_TEST

struct thread_probe {
	int fresh_code;
	int fresh_message_empty;
	int own_code;
	char own_message[64];
};

static void *probe_thread(void *arg)
{
	struct thread_probe *p = arg;
	const acct_error *e = acct_error_last();

	p->fresh_code = e ? e->code : 12345;
	p->fresh_message_empty = e && e->message && e->message[0] == '\0';
	acct_error_set_str(ACCT_EDENIED, "set by the other thread");
	e = acct_error_last();
	p->own_code = e->code;
	snprintf(p->own_message, sizeof p->own_message, "%s", e->message);
	return NULL;
}

START_TEST(test_error_thread_local)
{
	struct thread_probe p;
	pthread_t t;
	const acct_error *e;

	memset(&p, 0, sizeof p);
	acct_error_set_str(ACCT_ENOTFOUND, "set by the main thread");
	ck_assert_int_eq(pthread_create(&t, NULL, probe_thread, &p), 0);
	ck_assert_int_eq(pthread_join(t, NULL), 0);

	ck_assert_msg(p.fresh_code == ACCT_OK,
	              "a new thread sees error %d, not its own (empty) state", p.fresh_code);
	ck_assert_msg(p.fresh_message_empty, "a new thread sees a non-empty message");
	ck_assert_int_eq(p.own_code, ACCT_EDENIED);
	ck_assert_str_eq(p.own_message, "set by the other thread");

	e = acct_error_last();
	ck_assert_int_eq(e->code, ACCT_ENOTFOUND);
	ck_assert_str_eq(e->message, "set by the main thread");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Version and global init                                                  */
/* ------------------------------------------------------------------------ */

START_TEST(test_version)
{
	int major = -1, minor = -1, patch = -1;
	char expect[32];
	const char *v = acct_version(&major, &minor, &patch);

	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(v, ACCT_VERSION);
	ck_assert_int_eq(major, ACCT_VERSION_MAJOR);
	ck_assert_int_eq(minor, ACCT_VERSION_MINOR);
	ck_assert_int_eq(patch, ACCT_VERSION_PATCH);
	snprintf(expect, sizeof expect, "%d.%d.%d", major, minor, patch);
	ck_assert_str_eq(v, expect);
	/* Every out-parameter may be NULL. */
	ck_assert_str_eq(acct_version(NULL, NULL, NULL), v);
	major = -1;
	ck_assert_str_eq(acct_version(&major, NULL, NULL), v);
	ck_assert_int_eq(major, ACCT_VERSION_MAJOR);
}
END_TEST

START_TEST(test_global_init_refcount)
{
	ck_assert_int_eq(acct_global_init(), 1);
	ck_assert_int_eq(acct_global_init(), 2);
	ck_assert_int_eq(acct_global_shutdown(), 1);
	ck_assert_int_eq(acct_global_init(), 2);
	ck_assert_int_eq(acct_global_shutdown(), 1);
	ck_assert_int_eq(acct_global_shutdown(), 0);
	ck_assert_rc(acct_global_shutdown(), ACCT_ERROR);
	/* And it starts again. */
	ck_assert_int_eq(acct_global_init(), 1);
	ck_assert_int_eq(acct_global_shutdown(), 0);
}
END_TEST

static Suite *util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc;

	tc = tcase_create("buf");
	tcase_add_test(tc, test_buf_init);
	tcase_add_test(tc, test_buf_set_text);
	tcase_add_test(tc, test_buf_set_binary);
	tcase_add_test(tc, test_buf_set_replaces);
	tcase_add_test(tc, test_buf_set_empty);
	tcase_add_test(tc, test_buf_dispose_twice_and_null);
	suite_add_tcase(s, tc);

	tc = tcase_create("codes");
	tcase_add_test(tc, test_strerror_every_code);
	tcase_add_test(tc, test_strerror_unknown_codes);
	tcase_add_test(tc, test_plesk_codes);
	suite_add_tcase(s, tc);

	tc = tcase_create("last_error");
	tcase_add_test(tc, test_error_last_never_null);
	tcase_add_test(tc, test_error_set_and_clear);
	tcase_add_test(tc, test_error_set_copies_message);
	tcase_add_test(tc, test_error_set_null_message);
	tcase_add_test(tc, test_error_from_failed_call);
	tcase_add_test(tc, test_error_thread_local);
	suite_add_tcase(s, tc);

	tc = tcase_create("version");
	tcase_add_test(tc, test_version);
	tcase_add_test(tc, test_global_init_refcount);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	return test_run_suite(util_suite(), 0);
}
