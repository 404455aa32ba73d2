/*
 * check_account.c - account fields and their validation, add / lookup /
 * update, ids, GUIDs, creation dates, uniqueness, descriptions, the admin,
 * and persistence across contexts over one store.
 */
#include "testutil.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

static acct_account *new_account(int type)
{
	acct_account *a = NULL;

	ck_assert_ok(acct_account_new(&a, type));
	ck_assert_ptr_nonnull(a);
	return a;
}

/* A string of @p n copies of @p c (static buffer, one at a time). */
static const char *repeat(char c, size_t n)
{
	static char buf[1024];

	ck_assert_uint_lt(n, sizeof buf);
	memset(buf, c, n);
	buf[n] = '\0';
	return buf;
}

/* Whether @p message names @p field (its acct_field_name, '_' may be a space). */
static int mentions_field(const char *message, int field)
{
	const char *name = acct_field_name(field);
	char spaced[64];
	size_t i;

	if (!name || !message)
		return 0;
	if (test_strcasestr(message, name))
		return 1;
	snprintf(spaced, sizeof spaced, "%s", name);
	for (i = 0; spaced[i]; i++) {
		if (spaced[i] == '_')
			spaced[i] = ' ';
	}
	return test_strcasestr(message, spaced) != NULL;
}

/* Setting @p value on @p field is accepted and reads back unchanged. */
static void expect_set_ok(acct_account *a, int field, const char *value)
{
	const char *got;
	int rc = acct_account_set(a, field, value);

	ck_assert_msg(rc == 0, "%s = '%s' was refused: %d (%s): %s", acct_field_name(field), value,
	              rc, acct_strerror(rc), acct_error_last()->message);
	got = acct_account_get(a, field);
	ck_assert_msg(got != NULL && strcmp(got, value) == 0, "%s = '%s' reads back as '%s'",
	              acct_field_name(field), value, got ? got : "(null)");
}

/*
 * Setting @p value on @p field is refused with ACCT_EINVALID, a message that
 * names the field, and the previous value kept.
 */
static void expect_set_invalid(acct_account *a, int field, const char *value, const char *why)
{
	const char *before = acct_account_get(a, field);
	char *saved = before ? strdup(before) : NULL;
	const char *after;
	int rc = acct_account_set(a, field, value);
	const acct_error *e = acct_error_last();

	ck_assert_msg(rc == ACCT_EINVALID, "%s = '%s' (%s): got %d (%s), expected ACCT_EINVALID",
	              acct_field_name(field), value ? value : "(null)", why, rc, acct_strerror(rc));
	ck_assert_msg(e->code == ACCT_EINVALID, "%s (%s): acct_error_last()->code is %d",
	              acct_field_name(field), why, e->code);
	ck_assert_msg(e->message[0] != '\0', "%s (%s): empty message", acct_field_name(field), why);
	ck_assert_msg(mentions_field(e->message, field), "%s (%s): the message '%s' does not name the field",
	              acct_field_name(field), why, e->message);
	after = acct_account_get(a, field);
	ck_assert_msg((saved == NULL && after == NULL) ||
	              (saved != NULL && after != NULL && strcmp(saved, after) == 0),
	              "%s (%s): a refused value replaced '%s' with '%s'", acct_field_name(field), why,
	              saved ? saved : "(null)", after ? after : "(null)");
	free(saved);
}

/* 8-4-4-4-12 lower-case hex, version nibble 4, variant 8, 9, a or b. */
static int is_uuid_v4(const char *s)
{
	size_t i;

	if (!s || strlen(s) != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!(isdigit((unsigned char)s[i]) || (s[i] >= 'a' && s[i] <= 'f'))) {
			return 0;
		}
	}
	return s[14] == '4' && strchr("89ab", s[19]) != NULL;
}

static int is_date(const char *s)
{
	size_t i;

	if (!s || strlen(s) != 10)
		return 0;
	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return 0;
		} else if (!isdigit((unsigned char)s[i])) {
			return 0;
		}
	}
	return 1;
}

/* ------------------------------------------------------------------------ */
/* Names and new objects                                                    */
/* ------------------------------------------------------------------------ */

START_TEST(test_type_and_field_names)
{
	int f, g;

	ck_assert_str_eq(acct_account_type_name(ACCT_TYPE_ADMIN), "admin");
	ck_assert_str_eq(acct_account_type_name(ACCT_TYPE_RESELLER), "reseller");
	ck_assert_str_eq(acct_account_type_name(ACCT_TYPE_CUSTOMER), "customer");
	ck_assert_str_eq(acct_account_type_name(ACCT_TYPE_USER), "user");
	ck_assert_str_eq(acct_account_type_name(0), "unknown");
	ck_assert_str_eq(acct_account_type_name(5), "unknown");

	ck_assert_str_eq(acct_field_name(ACCT_FIELD_LOGIN), "login");
	ck_assert_str_eq(acct_field_name(ACCT_FIELD_NAME), "name");
	ck_assert_ptr_null(acct_field_name(0));
	ck_assert_ptr_null(acct_field_name(ACCT_FIELD_LAST + 1));
	for (f = ACCT_FIELD_FIRST; f <= ACCT_FIELD_LAST; f++) {
		const char *n = acct_field_name(f);

		ck_assert_msg(n != NULL && n[0] != '\0', "field %d has no name", f);
		for (g = ACCT_FIELD_FIRST; g < f; g++)
			ck_assert_msg(strcmp(n, acct_field_name(g)) != 0, "fields %d and %d are both '%s'", g, f, n);
	}
}
END_TEST

START_TEST(test_new_account)
{
	static const int types[] = { ACCT_TYPE_RESELLER, ACCT_TYPE_CUSTOMER, ACCT_TYPE_USER };
	acct_account *a = NULL;
	size_t i;
	int f;

	for (i = 0; i < 3; i++) {
		a = new_account(types[i]);
		ck_assert_int_eq(acct_account_type(a), types[i]);
		ck_assert_int_eq(acct_account_id(a), 0);
		ck_assert_int_eq(acct_account_owner(a), 0);
		ck_assert_uint_eq(acct_account_status(a), 0);
		ck_assert_int_eq(acct_account_created(a), 0);
		for (f = ACCT_FIELD_FIRST; f <= ACCT_FIELD_LAST; f++) {
			if (f == ACCT_FIELD_GUID)
				continue; /* a new account may already carry its GUID */
			ck_assert_msg(acct_account_get(a, f) == NULL, "new %s has %s = '%s'",
			              acct_account_type_name(types[i]), acct_field_name(f), acct_account_get(a, f));
		}
		acct_account_free(a);
	}
	a = NULL;
	ck_assert_rc(acct_account_new(&a, ACCT_TYPE_ADMIN), ACCT_EINVALID);
	ck_assert_rc(acct_account_new(&a, 0), ACCT_EINVALID);
	ck_assert_rc(acct_account_new(&a, 5), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, NULL, "acct_account_new(5)");
	acct_account_free(NULL);
}
END_TEST

START_TEST(test_unknown_fields)
{
	acct_account *a = new_account(ACCT_TYPE_CUSTOMER);

	ck_assert_ptr_null(acct_account_get(a, 0));
	ck_assert_ptr_null(acct_account_get(a, ACCT_FIELD_LAST + 1));
	ck_assert_ptr_null(acct_account_get(a, -3));
	ck_assert_rc(acct_account_set(a, 0, "x"), ACCT_EINVALID);
	ck_assert_rc(acct_account_set(a, ACCT_FIELD_LAST + 1, "x"), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, NULL, "set of an unknown field");
	acct_account_free(a);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Field validation                                                         */
/* ------------------------------------------------------------------------ */

START_TEST(test_login_valid)
{
	acct_account *a = new_account(ACCT_TYPE_CUSTOMER);

	expect_set_ok(a, ACCT_FIELD_LOGIN, "a");
	expect_set_ok(a, ACCT_FIELD_LOGIN, "bob");
	expect_set_ok(a, ACCT_FIELD_LOGIN, "Bob.Smith_1-2");
	expect_set_ok(a, ACCT_FIELD_LOGIN, "0123456789");
	expect_set_ok(a, ACCT_FIELD_LOGIN, repeat('a', 60));
	expect_set_ok(a, ACCT_FIELD_LOGIN, "bob@example.com");
	expect_set_ok(a, ACCT_FIELD_LOGIN, "first.last@sub.example.org");
	acct_account_free(a);
}
END_TEST

START_TEST(test_login_invalid)
{
	acct_account *a = new_account(ACCT_TYPE_CUSTOMER);
	char long_mail[80];

	expect_set_ok(a, ACCT_FIELD_LOGIN, "keep-me");
	expect_set_invalid(a, ACCT_FIELD_LOGIN, repeat('a', 61), "61 characters");
	expect_set_invalid(a, ACCT_FIELD_LOGIN, "bob smith", "a space");
	expect_set_invalid(a, ACCT_FIELD_LOGIN, " bob", "a leading space");
	expect_set_invalid(a, ACCT_FIELD_LOGIN, "bob!", "'!'");
	expect_set_invalid(a, ACCT_FIELD_LOGIN, "bob/x", "'/'");
	expect_set_invalid(a, ACCT_FIELD_LOGIN, "b\xc3\xa9" "b", "a non-ASCII letter");
	expect_set_invalid(a, ACCT_FIELD_LOGIN, "bob\n", "a newline");
	expect_set_invalid(a, ACCT_FIELD_LOGIN, "bob@", "an e-mail without domain");
	expect_set_invalid(a, ACCT_FIELD_LOGIN, "@example.com", "an e-mail without local part");
	expect_set_invalid(a, ACCT_FIELD_LOGIN, "bob@@example.com", "two @");
	expect_set_invalid(a, ACCT_FIELD_LOGIN, "bob@exa mple.com", "a space in the domain");
	memset(long_mail, 'm', 49);
	memcpy(long_mail + 49, "@example.com", sizeof "@example.com"); /* 61 chars */
	expect_set_invalid(a, ACCT_FIELD_LOGIN, long_mail, "a 61-character e-mail");
	ck_assert_str_eq(acct_account_get(a, ACCT_FIELD_LOGIN), "keep-me");
	acct_account_free(a);
}
END_TEST

/* @p local_len 'a's, '@', and a 253-character domain: labels of 63, 63, 63 and 61. */
static void make_mail(char *out, size_t local_len)
{
	static const size_t labels[] = { 63, 63, 63, 61 };
	size_t i, len = local_len;

	memset(out, 'a', local_len);
	out[len++] = '@';
	for (i = 0; i < 4; i++) {
		if (i)
			out[len++] = '.';
		memset(out + len, (int)('b' + i), labels[i]);
		len += labels[i];
	}
	out[len] = '\0';
}

START_TEST(test_email)
{
	acct_account *a = new_account(ACCT_TYPE_CUSTOMER);
	char mail[300];

	expect_set_ok(a, ACCT_FIELD_EMAIL, "a@example.com");
	expect_set_ok(a, ACCT_FIELD_EMAIL, "first.last+tag@sub.example.org");
	expect_set_ok(a, ACCT_FIELD_EMAIL, "x_y-z@ex-ample.co.uk");
	expect_set_invalid(a, ACCT_FIELD_EMAIL, "plain", "no @");
	expect_set_invalid(a, ACCT_FIELD_EMAIL, "a@", "no domain");
	expect_set_invalid(a, ACCT_FIELD_EMAIL, "@b.com", "no local part");
	expect_set_invalid(a, ACCT_FIELD_EMAIL, "a b@c.com", "a space");
	expect_set_invalid(a, ACCT_FIELD_EMAIL, "a@b@c.com", "two @");
	expect_set_invalid(a, ACCT_FIELD_EMAIL, "a@b c.com", "a space in the domain");

	/* 255 characters: "a@" and a 253-character domain of labels <= 63. */
	make_mail(mail, 1);
	ck_assert_uint_eq(strlen(mail), 255);
	expect_set_ok(a, ACCT_FIELD_EMAIL, mail);
	/* 256 characters. */
	make_mail(mail, 2);
	ck_assert_uint_eq(strlen(mail), 256);
	expect_set_invalid(a, ACCT_FIELD_EMAIL, mail, "256 characters");

	/* "" and NULL clear the optional field. */
	expect_set_ok(a, ACCT_FIELD_EMAIL, "a@example.com");
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_EMAIL, ""));
	ck_assert_ptr_null(acct_account_get(a, ACCT_FIELD_EMAIL));
	expect_set_ok(a, ACCT_FIELD_EMAIL, "a@example.com");
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_EMAIL, NULL));
	ck_assert_ptr_null(acct_account_get(a, ACCT_FIELD_EMAIL));
	acct_account_free(a);
}
END_TEST

START_TEST(test_country)
{
	acct_account *a = new_account(ACCT_TYPE_CUSTOMER);

	expect_set_ok(a, ACCT_FIELD_COUNTRY, "US");
	expect_set_ok(a, ACCT_FIELD_COUNTRY, "DE");
	expect_set_ok(a, ACCT_FIELD_COUNTRY, "GB");
	expect_set_ok(a, ACCT_FIELD_COUNTRY, "JP");
	expect_set_ok(a, ACCT_FIELD_COUNTRY, "US");
	expect_set_invalid(a, ACCT_FIELD_COUNTRY, "XX", "not an ISO 3166-1 code");
	expect_set_invalid(a, ACCT_FIELD_COUNTRY, "ZZ", "not an ISO 3166-1 code");
	expect_set_invalid(a, ACCT_FIELD_COUNTRY, "usa", "three letters");
	expect_set_invalid(a, ACCT_FIELD_COUNTRY, "USA", "alpha-3");
	expect_set_invalid(a, ACCT_FIELD_COUNTRY, "u", "one letter");
	expect_set_invalid(a, ACCT_FIELD_COUNTRY, "12", "digits");
	ck_assert_str_eq(acct_account_get(a, ACCT_FIELD_COUNTRY), "US");
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_COUNTRY, ""));
	ck_assert_ptr_null(acct_account_get(a, ACCT_FIELD_COUNTRY));
	acct_account_free(a);
}
END_TEST

START_TEST(test_locale)
{
	acct_account *a = new_account(ACCT_TYPE_CUSTOMER);

	expect_set_ok(a, ACCT_FIELD_LOCALE, "en");
	expect_set_ok(a, ACCT_FIELD_LOCALE, "en-US");
	expect_set_ok(a, ACCT_FIELD_LOCALE, "de-DE");
	acct_account_free(a);
}
END_TEST

/* Maximum lengths from acct/account.h, and a character every such field takes. */
static const struct {
	int field;
	size_t max;
	char fill;
} limits[] = {
	{ ACCT_FIELD_NAME, 60, 'n' },
	{ ACCT_FIELD_COMPANY, 60, 'c' },
	{ ACCT_FIELD_PHONE, 30, '5' },
	{ ACCT_FIELD_FAX, 30, '6' },
	{ ACCT_FIELD_ADDRESS, 255, 'a' },
	{ ACCT_FIELD_CITY, 255, 'c' },
	{ ACCT_FIELD_STATE, 255, 's' },
	{ ACCT_FIELD_POSTAL_CODE, 16, '1' },
	{ ACCT_FIELD_EXTERNAL_ID, 255, 'x' },
};

START_TEST(test_field_lengths)
{
	acct_account *a = new_account(ACCT_TYPE_CUSTOMER);
	char why[64];

	expect_set_ok(a, limits[_i].field, repeat(limits[_i].fill, limits[_i].max));
	snprintf(why, sizeof why, "%zu characters, max %zu", limits[_i].max + 1, limits[_i].max);
	expect_set_invalid(a, limits[_i].field, repeat(limits[_i].fill, limits[_i].max + 1), why);
	acct_account_free(a);
}
END_TEST

static const int text_fields[] = {
	ACCT_FIELD_NAME, ACCT_FIELD_COMPANY, ACCT_FIELD_ADDRESS, ACCT_FIELD_CITY, ACCT_FIELD_STATE,
};

START_TEST(test_invalid_utf8)
{
	static const struct {
		const char *bytes;
		const char *why;
	} bad[] = {
		{ "\xff", "byte 0xff" },
		{ "ab\xc3", "a truncated sequence" },
		{ "\xc0\xaf", "an overlong sequence" },
		{ "x\xed\xa0\x80y", "a UTF-16 surrogate" },
		{ "\xf8\x88\x80\x80\x80", "a 5-byte sequence" },
		{ "\x80" "abc", "a lone continuation byte" },
	};
	acct_account *a = new_account(ACCT_TYPE_CUSTOMER);
	int field = text_fields[_i];
	size_t j;

	expect_set_ok(a, field, "Zo\xc3\xab M\xc3\xbcller \xce\xa9");
	for (j = 0; j < sizeof bad / sizeof bad[0]; j++)
		expect_set_invalid(a, field, bad[j].bytes, bad[j].why);
	acct_account_free(a);
}
END_TEST

START_TEST(test_created_read_only)
{
	acct_account *a = new_account(ACCT_TYPE_CUSTOMER);

	expect_set_invalid(a, ACCT_FIELD_CREATED, "2020-01-01", "read-only");
	ck_assert_ptr_null(acct_account_get(a, ACCT_FIELD_CREATED));
	acct_account_free(a);
}
END_TEST

START_TEST(test_guid_given_on_new_account)
{
	acct_account *a = new_account(ACCT_TYPE_CUSTOMER);

	expect_set_ok(a, ACCT_FIELD_GUID, "0f8fad5b-d9cb-469f-a165-70867728950e");
	expect_set_invalid(a, ACCT_FIELD_GUID, "not-a-guid", "not a UUID");
	expect_set_invalid(a, ACCT_FIELD_GUID, "0f8fad5b-d9cb-469f-a165-70867728950", "too short");
	expect_set_invalid(a, ACCT_FIELD_GUID, "0f8fad5bxd9cb-469f-a165-70867728950e", "no dash");
	acct_account_free(a);
}
END_TEST

START_TEST(test_password_write_only)
{
	acct_ctx *ctx = open_ctx();
	acct_session *admin = open_session(ctx, 1), *s;
	acct_account *a = new_account(ACCT_TYPE_CUSTOMER);
	acct_id id = 0;

	ck_assert_ok(acct_account_set(a, ACCT_FIELD_LOGIN, "pw-owner"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_NAME, "Password Owner"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_PASSWORD, "Another-secret9"));
	ck_assert_ptr_null(acct_account_get(a, ACCT_FIELD_PASSWORD));
	ck_assert_ok(acct_account_add(&id, admin, 1, a));
	ck_assert_ptr_null(acct_account_get(a, ACCT_FIELD_PASSWORD));
	acct_account_free(a);

	a = lookup_ok(admin, id);
	ck_assert_ptr_null(acct_account_get(a, ACCT_FIELD_PASSWORD));
	acct_account_free(a);

	s = open_session_pw(ctx, "pw-owner", "Another-secret9");
	ck_assert_int_eq(acct_session_account(s), id);
	acct_session_free(s);
	acct_session_free(admin);
	acct_ctx_free(ctx);
}
END_TEST

/* Passwords are 5..255 characters; being write-only, only acceptance can be seen. */
START_TEST(test_password_length)
{
	acct_account *a = new_account(ACCT_TYPE_USER);
	int rc;

	ck_assert_ok(acct_account_set(a, ACCT_FIELD_PASSWORD, "abcde"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_PASSWORD, repeat('p', 255)));
	rc = acct_account_set(a, ACCT_FIELD_PASSWORD, "abcd");
	ck_assert_msg(rc == ACCT_EINVALID, "a 4-character password gave %d", rc);
	ck_assert_msg(mentions_field(acct_error_last()->message, ACCT_FIELD_PASSWORD),
	              "the message '%s' does not name the password", acct_error_last()->message);
	rc = acct_account_set(a, ACCT_FIELD_PASSWORD, repeat('p', 256));
	ck_assert_msg(rc == ACCT_EINVALID, "a 256-character password gave %d", rc);
	ck_assert_ptr_null(acct_account_get(a, ACCT_FIELD_PASSWORD));
	acct_account_free(a);
}
END_TEST

/* An account without a password exists, but cannot log in with one. */
START_TEST(test_no_password_no_login)
{
	acct_ctx *ctx = open_ctx();
	acct_session *admin = open_session(ctx, 1), *s = NULL;
	acct_account *a = new_account(ACCT_TYPE_CUSTOMER);
	acct_id id = 0;

	ck_assert_ok(acct_account_set(a, ACCT_FIELD_LOGIN, "nopass"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_NAME, "No Password"));
	ck_assert_ok(acct_account_add(&id, admin, 1, a));
	acct_account_free(a);
	ck_assert_rc(acct_session_open(&s, ctx, "nopass", ""), ACCT_EAUTH);
	ck_assert_rc(acct_session_open(&s, ctx, "nopass", "anything"), ACCT_EAUTH);
	ck_assert_ptr_null(s);
	s = open_session(ctx, id);
	acct_session_free(s);
	acct_session_free(admin);
	acct_ctx_free(ctx);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Add                                                                      */
/* ------------------------------------------------------------------------ */

START_TEST(test_add_assigns_id_guid_owner_created)
{
	acct_ctx *ctx = open_ctx();
	acct_session *admin = open_session(ctx, 1);
	acct_account *a = new_account(ACCT_TYPE_CUSTOMER), *b;
	acct_id id = 0;
	char guid[40];

	ck_assert_ok(acct_account_set(a, ACCT_FIELD_LOGIN, "carol"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_NAME, "Carol"));
	ck_assert_ok(acct_account_add(&id, admin, 1, a));
	ck_assert_int_gt(id, 1);
	ck_assert_int_eq(acct_account_id(a), id);
	ck_assert_int_eq(acct_account_owner(a), 1);
	ck_assert_int_eq(acct_account_type(a), ACCT_TYPE_CUSTOMER);
	ck_assert_msg(is_uuid_v4(acct_account_get(a, ACCT_FIELD_GUID)), "GUID '%s' is not a lower-case UUID v4",
	              acct_account_get(a, ACCT_FIELD_GUID) ? acct_account_get(a, ACCT_FIELD_GUID) : "(null)");
	snprintf(guid, sizeof guid, "%s", acct_account_get(a, ACCT_FIELD_GUID));
	ck_assert_int_eq(acct_account_created(a), TEST_CLOCK_START);
	ck_assert_msg(is_date(acct_account_get(a, ACCT_FIELD_CREATED)), "created is '%s'",
	              acct_account_get(a, ACCT_FIELD_CREATED) ? acct_account_get(a, ACCT_FIELD_CREATED) : "(null)");
	ck_assert_str_eq(acct_account_get(a, ACCT_FIELD_CREATED), TEST_CLOCK_START_DATE);
	/* id_out may be NULL. */
	acct_account_free(a);

	b = lookup_ok(admin, id);
	ck_assert_str_eq(acct_account_get(b, ACCT_FIELD_LOGIN), "carol");
	ck_assert_str_eq(acct_account_get(b, ACCT_FIELD_NAME), "Carol");
	ck_assert_str_eq(acct_account_get(b, ACCT_FIELD_GUID), guid);
	ck_assert_str_eq(acct_account_get(b, ACCT_FIELD_CREATED), TEST_CLOCK_START_DATE);
	ck_assert_int_eq(acct_account_created(b), TEST_CLOCK_START);
	ck_assert_int_eq(acct_account_owner(b), 1);
	ck_assert_uint_eq(acct_account_status(b), 0);
	ck_assert_msg(acct_account_set(b, ACCT_FIELD_GUID, "0f8fad5b-d9cb-469f-a165-70867728950e") == ACCT_EINVALID,
	              "the GUID of a saved account could be changed");
	ck_assert_msg(mentions_field(acct_error_last()->message, ACCT_FIELD_GUID),
	              "the message '%s' does not name the GUID", acct_error_last()->message);
	ck_assert_str_eq(acct_account_get(b, ACCT_FIELD_GUID), guid);
	expect_set_invalid(b, ACCT_FIELD_CREATED, "2000-01-01", "read-only");
	acct_account_free(b);

	a = new_account(ACCT_TYPE_CUSTOMER);
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_LOGIN, "no-id-out"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_NAME, "No Id Out"));
	ck_assert_ok(acct_account_add(NULL, admin, 1, a));
	ck_assert_int_gt(acct_account_id(a), id);
	acct_account_free(a);

	acct_session_free(admin);
	acct_ctx_free(ctx);
}
END_TEST

START_TEST(test_created_follows_clock)
{
	acct_ctx *ctx = open_ctx();
	acct_session *admin = open_session(ctx, 1);
	acct_account *a;
	acct_id x, y;

	test_default_clock.now = INT64_C(1735689599); /* 2024-12-31 23:59:59 UTC */
	x = add_customer(admin, 1, "new-years-eve", NULL);
	test_default_clock.now = INT64_C(1735689600); /* 2025-01-01 00:00:00 UTC */
	y = add_customer(admin, 1, "new-year", NULL);
	a = lookup_ok(admin, x);
	ck_assert_str_eq(acct_account_get(a, ACCT_FIELD_CREATED), "2024-12-31");
	ck_assert_int_eq(acct_account_created(a), INT64_C(1735689599));
	acct_account_free(a);
	a = lookup_ok(admin, y);
	ck_assert_str_eq(acct_account_get(a, ACCT_FIELD_CREATED), "2025-01-01");
	acct_account_free(a);
	acct_session_free(admin);
	acct_ctx_free(ctx);
}
END_TEST

START_TEST(test_guids_unique)
{
	acct_ctx *ctx = open_ctx();
	acct_session *admin = open_session(ctx, 1);
	char guids[20][40], login[16];
	acct_id ids[20];
	int i, j;

	for (i = 0; i < 20; i++) {
		acct_account *a;

		snprintf(login, sizeof login, "g%d", i);
		ids[i] = add_account(admin, 1, i % 2 ? ACCT_TYPE_USER : ACCT_TYPE_CUSTOMER, login, NULL);
		a = lookup_ok(admin, ids[i]);
		ck_assert_msg(is_uuid_v4(acct_account_get(a, ACCT_FIELD_GUID)), "account %d: GUID '%s'", i,
		              acct_account_get(a, ACCT_FIELD_GUID) ? acct_account_get(a, ACCT_FIELD_GUID) : "(null)");
		snprintf(guids[i], sizeof guids[i], "%s", acct_account_get(a, ACCT_FIELD_GUID));
		acct_account_free(a);
		for (j = 0; j < i; j++)
			ck_assert_msg(strcmp(guids[i], guids[j]) != 0, "accounts %d and %d share GUID %s", j, i, guids[i]);
	}
	/* The admin has one too. */
	{
		acct_account *a = lookup_ok(admin, 1);

		ck_assert(is_uuid_v4(acct_account_get(a, ACCT_FIELD_GUID)));
		acct_account_free(a);
	}
	acct_session_free(admin);
	acct_ctx_free(ctx);
}
END_TEST

START_TEST(test_given_guid_kept_and_unique)
{
	static const char *guid = "0f8fad5b-d9cb-469f-a165-70867728950e";
	acct_ctx *ctx = open_ctx();
	acct_session *admin = open_session(ctx, 1);
	acct_account *a = new_account(ACCT_TYPE_CUSTOMER), *b = NULL;
	acct_id id = 0, id2 = 0;
	size_t count;

	ck_assert_ok(acct_account_set(a, ACCT_FIELD_LOGIN, "given"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_NAME, "Given"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_GUID, guid));
	ck_assert_ok(acct_account_add(&id, admin, 1, a));
	ck_assert_str_eq(acct_account_get(a, ACCT_FIELD_GUID), guid);
	acct_account_free(a);
	ck_assert_ok(acct_account_lookup_guid(&b, admin, guid));
	ck_assert_int_eq(acct_account_id(b), id);
	acct_account_free(b);

	count = acct_ctx_account_count(ctx);
	a = new_account(ACCT_TYPE_CUSTOMER);
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_LOGIN, "given2"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_NAME, "Given Again"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_GUID, guid));
	ck_assert_rc(acct_account_add(&id2, admin, 1, a), ACCT_EEXISTS);
	test_assert_last_error(ACCT_EEXISTS, NULL, "a second account with the same GUID");
	ck_assert_uint_eq(acct_ctx_account_count(ctx), count);
	acct_account_free(a);
	acct_session_free(admin);
	acct_ctx_free(ctx);
}
END_TEST

START_TEST(test_ids_never_reused)
{
	acct_ctx *ctx = open_ctx();
	acct_session *admin = open_session(ctx, 1);
	acct_id a, b, c, d, e;

	a = add_customer(admin, 1, "a", NULL);
	b = add_customer(admin, 1, "b", NULL);
	ck_assert_int_gt(b, a);
	ck_assert_ok(acct_account_delete(admin, b));  /* the highest id */
	c = add_customer(admin, 1, "c", NULL);
	ck_assert_msg(c > b, "id %" PRId64 " of a deleted account was given again", c);
	ck_assert_ok(acct_account_delete(admin, c));
	ck_assert_ok(acct_account_delete(admin, a));
	d = add_customer(admin, 1, "d", NULL);
	ck_assert_msg(d > c, "new id %" PRId64 " is not above every earlier id (%" PRId64 ")", d, c);
	/* The login of a deleted account is free again, under a new id. */
	e = add_customer(admin, 1, "b", NULL);
	ck_assert_int_gt(e, d);
	acct_session_free(admin);
	acct_ctx_free(ctx);
}
END_TEST

START_TEST(test_login_unique_case_insensitive)
{
	acct_ctx *ctx = open_ctx();
	acct_session *admin = open_session(ctx, 1);
	acct_id r, id = 0;
	size_t count;

	r = add_reseller(admin, 1, "r1", NULL);
	add_customer(admin, r, "alice", NULL);
	count = acct_ctx_account_count(ctx);
	ck_assert_rc(try_add_account(&id, admin, 1, ACCT_TYPE_CUSTOMER, "alice", NULL), ACCT_EEXISTS);
	test_assert_last_error(ACCT_EEXISTS, "login", "duplicate login");
	ck_assert_rc(try_add_account(&id, admin, 1, ACCT_TYPE_USER, "ALICE", NULL), ACCT_EEXISTS);
	ck_assert_rc(try_add_account(&id, admin, r, ACCT_TYPE_CUSTOMER, "Alice", NULL), ACCT_EEXISTS);
	ck_assert_rc(try_add_account(&id, admin, 1, ACCT_TYPE_RESELLER, "Admin", NULL), ACCT_EEXISTS);
	ck_assert_uint_eq(acct_ctx_account_count(ctx), count);
	acct_session_free(admin);
	acct_ctx_free(ctx);
}
END_TEST

START_TEST(test_external_id_unique)
{
	acct_ctx *ctx = open_ctx();
	acct_session *admin = open_session(ctx, 1);
	acct_account *a;
	acct_id x, id = 0;
	size_t count;

	a = new_account(ACCT_TYPE_CUSTOMER);
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_LOGIN, "ext1"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_NAME, "Ext One"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_EXTERNAL_ID, "crm-42"));
	ck_assert_ok(acct_account_add(&x, admin, 1, a));
	acct_account_free(a);

	/* Accounts without an external id never conflict. */
	add_customer(admin, 1, "noext1", NULL);
	add_customer(admin, 1, "noext2", NULL);

	count = acct_ctx_account_count(ctx);
	a = new_account(ACCT_TYPE_CUSTOMER);
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_LOGIN, "ext2"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_NAME, "Ext Two"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_EXTERNAL_ID, "crm-42"));
	ck_assert_rc(acct_account_add(&id, admin, 1, a), ACCT_EEXISTS);
	test_assert_last_error(ACCT_EEXISTS, NULL, "duplicate external id");
	ck_assert_uint_eq(acct_ctx_account_count(ctx), count);
	acct_account_free(a);
	a = NULL;
	ck_assert_rc(acct_account_lookup_login(&a, admin, "ext2"), ACCT_ENOTFOUND);
	ck_assert_ptr_null(a);
	ck_assert_ok(acct_account_lookup_external_id(&a, admin, "crm-42"));
	ck_assert_int_eq(acct_account_id(a), x);
	acct_account_free(a);
	acct_session_free(admin);
	acct_ctx_free(ctx);
}
END_TEST

START_TEST(test_lookups)
{
	acct_ctx *ctx = open_ctx();
	acct_session *admin = open_session(ctx, 1);
	acct_account *a = new_account(ACCT_TYPE_CUSTOMER), *b = NULL;
	acct_id id = 0;
	char guid[40];
	int rc;

	ck_assert_ok(acct_account_set(a, ACCT_FIELD_LOGIN, "Dave.Miller"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_NAME, "Dave"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_EXTERNAL_ID, "ext-dave"));
	ck_assert_ok(acct_account_add(&id, admin, 1, a));
	snprintf(guid, sizeof guid, "%s", acct_account_get(a, ACCT_FIELD_GUID));
	acct_account_free(a);

	ck_assert_ok(acct_account_lookup(&b, admin, id));
	ck_assert_str_eq(acct_account_get(b, ACCT_FIELD_LOGIN), "Dave.Miller");
	acct_account_free(b);
	b = NULL;
	ck_assert_ok(acct_account_lookup_login(&b, admin, "Dave.Miller"));
	ck_assert_int_eq(acct_account_id(b), id);
	acct_account_free(b);
	b = NULL;
	ck_assert_ok(acct_account_lookup_login(&b, admin, "dave.MILLER"));
	ck_assert_int_eq(acct_account_id(b), id);
	acct_account_free(b);
	b = NULL;
	ck_assert_ok(acct_account_lookup_guid(&b, admin, guid));
	ck_assert_int_eq(acct_account_id(b), id);
	acct_account_free(b);
	b = NULL;
	ck_assert_ok(acct_account_lookup_external_id(&b, admin, "ext-dave"));
	ck_assert_int_eq(acct_account_id(b), id);
	acct_account_free(b);

	b = NULL;
	ck_assert_rc(acct_account_lookup(&b, admin, id + 1000), ACCT_ENOTFOUND);
	test_assert_last_error(ACCT_ENOTFOUND, NULL, "lookup of an unknown id");
	ck_assert_rc(acct_account_lookup_login(&b, admin, "nobody"), ACCT_ENOTFOUND);
	ck_assert_rc(acct_account_lookup_guid(&b, admin, "6ba7b810-9dad-41d1-80b4-00c04fd430c8"), ACCT_ENOTFOUND);
	ck_assert_rc(acct_account_lookup_external_id(&b, admin, "ext-nobody"), ACCT_ENOTFOUND);
	rc = acct_account_lookup(&b, admin, 0);
	ck_assert_msg(rc == ACCT_ENOTFOUND || rc == ACCT_EINVALID, "lookup of id 0 gave %d", rc);
	rc = acct_account_lookup(&b, admin, -1);
	ck_assert_msg(rc == ACCT_ENOTFOUND || rc == ACCT_EINVALID, "lookup of id -1 gave %d", rc);
	acct_session_free(admin);
	acct_ctx_free(ctx);
}
END_TEST

START_TEST(test_add_requires_login_and_name)
{
	acct_ctx *ctx = open_ctx();
	acct_session *admin = open_session(ctx, 1);
	acct_account *a;
	acct_id id = 0;
	int rc;

	a = new_account(ACCT_TYPE_CUSTOMER);
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_NAME, "Person X"));
	ck_assert_rc(acct_account_add(&id, admin, 1, a), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, "login", "add without login");
	ck_assert_int_eq(acct_account_id(a), 0);
	acct_account_free(a);

	a = new_account(ACCT_TYPE_CUSTOMER);
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_LOGIN, "px2"));
	ck_assert_rc(acct_account_add(&id, admin, 1, a), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, "name", "add without name");
	acct_account_free(a);

	/* An empty login or name is refused either when set or when added. */
	a = new_account(ACCT_TYPE_CUSTOMER);
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_NAME, "Empty Login"));
	rc = acct_account_set(a, ACCT_FIELD_LOGIN, "");
	if (rc == 0)
		rc = acct_account_add(&id, admin, 1, a);
	ck_assert_msg(rc == ACCT_EINVALID, "an empty login gave %d", rc);
	acct_account_free(a);
	a = new_account(ACCT_TYPE_CUSTOMER);
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_LOGIN, "emptyname"));
	rc = acct_account_set(a, ACCT_FIELD_NAME, "");
	if (rc == 0)
		rc = acct_account_add(&id, admin, 1, a);
	ck_assert_msg(rc == ACCT_EINVALID, "an empty name gave %d", rc);
	acct_account_free(a);

	ck_assert_uint_eq(acct_ctx_account_count(ctx), 1);
	acct_session_free(admin);
	acct_ctx_free(ctx);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Update                                                                   */
/* ------------------------------------------------------------------------ */

START_TEST(test_update_writes_only_changed_fields)
{
	acct_ctx *ctx = open_ctx();
	acct_session *admin = open_session(ctx, 1);
	acct_account *a1, *a2, *b;
	acct_id id = add_customer(admin, 1, "erin", "Erin");

	a1 = lookup_ok(admin, id);
	a2 = lookup_ok(admin, id);
	ck_assert_ok(acct_account_set(a1, ACCT_FIELD_PHONE, "5550101"));
	ck_assert_ok(acct_account_update(admin, a1));
	ck_assert_ok(acct_account_set(a2, ACCT_FIELD_CITY, "Springfield"));
	ck_assert_ok(acct_account_update(admin, a2)); /* a2 never saw the phone */

	b = lookup_ok(admin, id);
	ck_assert_msg(acct_account_get(b, ACCT_FIELD_PHONE) != NULL, "the second update erased the phone");
	ck_assert_str_eq(acct_account_get(b, ACCT_FIELD_PHONE), "5550101");
	ck_assert_str_eq(acct_account_get(b, ACCT_FIELD_CITY), "Springfield");
	ck_assert_str_eq(acct_account_get(b, ACCT_FIELD_NAME), "Erin");
	ck_assert_str_eq(acct_account_get(b, ACCT_FIELD_LOGIN), "erin");
	acct_account_free(b);

	/* Clearing a field is a change too. */
	ck_assert_ok(acct_account_set(a1, ACCT_FIELD_PHONE, NULL));
	ck_assert_ok(acct_account_update(admin, a1));
	b = lookup_ok(admin, id);
	ck_assert_ptr_null(acct_account_get(b, ACCT_FIELD_PHONE));
	ck_assert_str_eq(acct_account_get(b, ACCT_FIELD_CITY), "Springfield");
	acct_account_free(b);

	/* Nothing changed: succeeds and changes nothing. */
	b = lookup_ok(admin, id);
	ck_assert_ok(acct_account_update(admin, b));
	acct_account_free(b);
	b = lookup_ok(admin, id);
	ck_assert_str_eq(acct_account_get(b, ACCT_FIELD_CITY), "Springfield");
	acct_account_free(b);

	acct_account_free(a1);
	acct_account_free(a2);
	acct_session_free(admin);
	acct_ctx_free(ctx);
}
END_TEST

START_TEST(test_update_login_and_external_id)
{
	acct_ctx *ctx = open_ctx();
	acct_session *admin = open_session(ctx, 1);
	acct_account *a, *b = NULL;
	acct_id f, g;

	f = add_customer(admin, 1, "frank", NULL);
	g = add_customer(admin, 1, "grace", NULL);

	/* Rename: the old login is free, the new one finds the account. */
	a = lookup_ok(admin, f);
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_LOGIN, "franklin"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_EXTERNAL_ID, "ext-f"));
	ck_assert_ok(acct_account_update(admin, a));
	acct_account_free(a);
	ck_assert_rc(acct_account_lookup_login(&b, admin, "frank"), ACCT_ENOTFOUND);
	ck_assert_ok(acct_account_lookup_login(&b, admin, "FRANKLIN"));
	ck_assert_int_eq(acct_account_id(b), f);
	acct_account_free(b);
	b = NULL;
	ck_assert_ok(acct_account_lookup_external_id(&b, admin, "ext-f"));
	ck_assert_int_eq(acct_account_id(b), f);
	acct_account_free(b);

	/* Taking another account's login (any case) or external id fails, and
	 * nothing of that update is stored. */
	a = lookup_ok(admin, g);
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_LOGIN, "Franklin"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_PHONE, "5550102"));
	ck_assert_rc(acct_account_update(admin, a), ACCT_EEXISTS);
	test_assert_last_error(ACCT_EEXISTS, "login", "rename to a taken login");
	acct_account_free(a);
	a = lookup_ok(admin, g);
	ck_assert_str_eq(acct_account_get(a, ACCT_FIELD_LOGIN), "grace");
	ck_assert_ptr_null(acct_account_get(a, ACCT_FIELD_PHONE));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_EXTERNAL_ID, "ext-f"));
	ck_assert_rc(acct_account_update(admin, a), ACCT_EEXISTS);
	acct_account_free(a);
	b = NULL;
	ck_assert_ok(acct_account_lookup_external_id(&b, admin, "ext-f"));
	ck_assert_int_eq(acct_account_id(b), f);
	acct_account_free(b);

	/* The old external id is free after a change. */
	a = lookup_ok(admin, f);
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_EXTERNAL_ID, "ext-f2"));
	ck_assert_ok(acct_account_update(admin, a));
	acct_account_free(a);
	b = NULL;
	ck_assert_rc(acct_account_lookup_external_id(&b, admin, "ext-f"), ACCT_ENOTFOUND);
	a = lookup_ok(admin, g);
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_EXTERNAL_ID, "ext-f"));
	ck_assert_ok(acct_account_update(admin, a));
	acct_account_free(a);

	acct_session_free(admin);
	acct_ctx_free(ctx);
}
END_TEST

START_TEST(test_update_deleted_account)
{
	acct_ctx *ctx = open_ctx();
	acct_session *admin = open_session(ctx, 1);
	acct_id h = add_customer(admin, 1, "heidi", NULL);
	acct_account *a = lookup_ok(admin, h);

	ck_assert_ok(acct_account_delete(admin, h));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_PHONE, "5550103"));
	ck_assert_rc(acct_account_update(admin, a), ACCT_ENOTFOUND);
	ck_assert_uint_eq(acct_ctx_account_count(ctx), 1);
	acct_account_free(a);
	acct_session_free(admin);
	acct_ctx_free(ctx);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Descriptions                                                             */
/* ------------------------------------------------------------------------ */

START_TEST(test_descriptions_per_author)
{
	acct_ctx *ctx = open_ctx();
	acct_session *admin = open_session(ctx, 1), *rs;
	acct_account *a;
	acct_id r, c = 0;
	int rc;

	r = add_reseller(admin, 1, "r1", NULL);
	a = new_account(ACCT_TYPE_CUSTOMER);
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_LOGIN, "ivan"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_NAME, "Ivan"));
	ck_assert_ok(acct_account_set_description(a, 1, "admin note"));
	ck_assert_ok(acct_account_set_description(a, r, "reseller note"));
	ck_assert_str_eq(acct_account_description(a, 1), "admin note");
	ck_assert_str_eq(acct_account_description(a, r), "reseller note");
	ck_assert_rc(acct_account_set_description(a, 0, "x"), ACCT_EINVALID);
	ck_assert_rc(acct_account_set_description(a, -2, "x"), ACCT_EINVALID);
	ck_assert_rc(acct_account_set_description(a, 1, "bad \xff utf-8"), ACCT_EINVALID);
	ck_assert_str_eq(acct_account_description(a, 1), "admin note");
	ck_assert_ok(acct_account_add(&c, admin, r, a)); /* the admin may write any author's */
	acct_account_free(a);

	a = lookup_ok(admin, c);
	ck_assert_str_eq(acct_account_description(a, 1), "admin note");
	ck_assert_str_eq(acct_account_description(a, r), "reseller note");
	ck_assert_ptr_null(acct_account_description(a, c));
	ck_assert_ptr_null(acct_account_description(a, 999));
	acct_account_free(a);

	/* The reseller changes its own description; the admin's stays. */
	rs = open_session(ctx, r);
	a = lookup_ok(rs, c);
	ck_assert_ok(acct_account_set_description(a, r, "changed by the reseller"));
	ck_assert_ok(acct_account_update(rs, a));
	acct_account_free(a);
	a = lookup_ok(admin, c);
	ck_assert_str_eq(acct_account_description(a, r), "changed by the reseller");
	ck_assert_str_eq(acct_account_description(a, 1), "admin note");
	acct_account_free(a);

	/* The reseller cannot write the admin's description. */
	a = lookup_ok(rs, c);
	ck_assert_ok(acct_account_set_description(a, 1, "forged admin note"));
	rc = acct_account_update(rs, a);
	ck_assert_msg(rc == ACCT_EDENIED || rc == ACCT_EINVALID,
	              "a reseller saved the admin's description: %d (%s)", rc, acct_strerror(rc));
	ck_assert_str_ne(acct_error_last()->message, "");
	acct_account_free(a);
	a = lookup_ok(admin, c);
	ck_assert_str_eq(acct_account_description(a, 1), "admin note");

	/* Removing: NULL or "". */
	ck_assert_ok(acct_account_set_description(a, r, NULL));
	ck_assert_ptr_null(acct_account_description(a, r));
	ck_assert_ok(acct_account_set_description(a, 1, ""));
	ck_assert_ptr_null(acct_account_description(a, 1));
	ck_assert_ok(acct_account_update(admin, a));
	acct_account_free(a);
	a = lookup_ok(admin, c);
	ck_assert_ptr_null(acct_account_description(a, r));
	ck_assert_ptr_null(acct_account_description(a, 1));
	acct_account_free(a);

	acct_session_free(rs);
	acct_session_free(admin);
	acct_ctx_free(ctx);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* The admin and opening a store                                            */
/* ------------------------------------------------------------------------ */

START_TEST(test_admin_exists)
{
	acct_ctx *ctx = open_ctx();
	acct_session *admin, *s;
	acct_account *a = NULL;

	ck_assert_uint_eq(acct_ctx_account_count(ctx), 1);
	admin = open_session(ctx, 1);
	a = lookup_ok(admin, 1);
	ck_assert_int_eq(acct_account_type(a), ACCT_TYPE_ADMIN);
	ck_assert_int_eq(acct_account_owner(a), 0);
	ck_assert_uint_eq(acct_account_status(a), 0);
	ck_assert_str_eq(acct_account_get(a, ACCT_FIELD_LOGIN), TEST_ADMIN_LOGIN);
	ck_assert_ptr_null(acct_account_get(a, ACCT_FIELD_PASSWORD));
	ck_assert_str_eq(acct_account_get(a, ACCT_FIELD_CREATED), TEST_CLOCK_START_DATE);
	acct_account_free(a);
	a = NULL;
	ck_assert_ok(acct_account_lookup_login(&a, admin, "ADMIN"));
	ck_assert_int_eq(acct_account_id(a), 1);
	acct_account_free(a);

	s = open_session_pw(ctx, TEST_ADMIN_LOGIN, TEST_ADMIN_PASSWORD);
	ck_assert_int_eq(acct_session_account(s), 1);
	acct_session_free(s);
	acct_session_free(admin);
	acct_ctx_free(ctx);
}
END_TEST

/* acct_ctx_new over a new memory store (wrapped, to count frees) must fail with EINVALID. */
static void expect_open_refused(const acct_ctx_options *opts, const char *what)
{
	test_storage st;
	acct_storage *w = NULL;
	acct_ctx *ctx = NULL;
	acct_storage *inner = NULL;
	int rc;

	ck_assert_ok(acct_storage_memory_new(&inner));
	test_storage_setup(&st, inner, 1);
	ck_assert_ok(test_storage_wrap(&w, &st));
	rc = acct_ctx_new(&ctx, w, opts);
	ck_assert_msg(rc == ACCT_EINVALID, "%s: acct_ctx_new gave %d (%s)", what, rc, acct_strerror(rc));
	test_assert_last_error(ACCT_EINVALID, NULL, what);
	ck_assert_msg(ctx == NULL, "%s: *out set on failure", what);
	ck_assert_msg(st.free_calls == 0, "%s: the library freed a backend it did not take", what);
	acct_storage_free(w);
	ck_assert_int_eq(st.free_calls, 1);
}

START_TEST(test_open_empty_store_needs_admin)
{
	acct_ctx_options opts;

	test_ctx_options(&opts, NULL);
	opts.admin_login = NULL;
	expect_open_refused(&opts, "an empty store without admin_login");
	test_ctx_options(&opts, NULL);
	opts.admin_password = NULL;
	expect_open_refused(&opts, "an empty store without admin_password");
	test_ctx_options(&opts, NULL);
	opts.admin_login = "not a login!";
	expect_open_refused(&opts, "an invalid admin_login");
	expect_open_refused(NULL, "an empty store with NULL options");
}
END_TEST

START_TEST(test_open_bad_options)
{
	acct_ctx_options opts;

	test_ctx_options(&opts, NULL);
	opts.version = 0;
	expect_open_refused(&opts, "options version 0");
	test_ctx_options(&opts, NULL);
	opts.version = ACCT_CTX_OPTIONS_VERSION + 1;
	expect_open_refused(&opts, "options version CURRENT + 1");
	test_ctx_options(&opts, NULL);
	opts.password_cost = 21;
	expect_open_refused(&opts, "password_cost 21");
	test_ctx_options(&opts, NULL);
	opts.password_cost = -1;
	expect_open_refused(&opts, "password_cost -1");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Two contexts over one store (the memory store outlives a ctx when it is   */
/* attached through a wrapper that does not own it)                         */
/* ------------------------------------------------------------------------ */

struct shared {
	acct_storage *inner;
	test_storage st[2];
	acct_ctx *ctx[2];
	acct_session *admin[2];
};

/* Open context @p i over the shared store (the first one initialises it). */
static void shared_open(struct shared *sh, int i)
{
	acct_storage *w = NULL;
	acct_ctx_options opts;

	if (!sh->inner)
		ck_assert_ok(acct_storage_memory_new(&sh->inner));
	test_storage_setup(&sh->st[i], sh->inner, 0);
	ck_assert_ok(test_storage_wrap(&w, &sh->st[i]));
	test_ctx_options(&opts, &test_default_clock);
	if (i > 0) {
		/* Not empty any more: no admin needed. */
		opts.admin_login = NULL;
		opts.admin_password = NULL;
	}
	ck_assert_ok(acct_ctx_new(&sh->ctx[i], w, &opts));
	sh->admin[i] = open_session(sh->ctx[i], 1);
}

static void shared_close(struct shared *sh, int i)
{
	acct_session_free(sh->admin[i]);
	acct_ctx_free(sh->ctx[i]);
	ck_assert_int_eq(sh->st[i].free_calls, 1);
	ck_assert_msg(sh->st[i].violations == 0, "ctx %d broke the storage contract: %s", i, sh->st[i].violation);
	sh->ctx[i] = NULL;
	sh->admin[i] = NULL;
}

static void shared_done(struct shared *sh)
{
	acct_storage_free(sh->inner);
	sh->inner = NULL;
}

START_TEST(test_reopen_keeps_everything)
{
	struct shared sh;
	acct_session *rs;
	acct_account *a;
	acct_id r, c, u, t, n;
	test_bytes v0 = TEST_BYTES_INIT, v1 = TEST_BYTES_INIT;
	unsigned int eff = 0;
	char guid[40];

	memset(&sh, 0, sizeof sh);
	test_default_clock.now = TEST_CLOCK_START;
	shared_open(&sh, 0);
	r = add_reseller(sh.admin[0], 1, "r1", "Reseller One");
	c = add_customer(sh.admin[0], r, "c1", "Customer One");
	u = add_user(sh.admin[0], c, "u1", "User One");
	a = lookup_ok(sh.admin[0], c);
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_EMAIL, "c1@example.com"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_COUNTRY, "DE"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_EXTERNAL_ID, "ext-c1"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_COMPANY, "Zo\xc3\xab GmbH"));
	ck_assert_ok(acct_account_set_description(a, 1, "admin's words"));
	ck_assert_ok(acct_account_set_description(a, c, "own words"));
	ck_assert_ok(acct_account_update(sh.admin[0], a));
	snprintf(guid, sizeof guid, "%s", acct_account_get(a, ACCT_FIELD_GUID));
	acct_account_free(a);
	rs = open_session(sh.ctx[0], r);
	ck_assert_ok(acct_account_suspend(rs, c));
	acct_session_free(rs);
	t = add_customer(sh.admin[0], 1, "temp", NULL);
	ck_assert_ok(acct_account_delete(sh.admin[0], t));
	ck_assert_ok(test_view(&v0, sh.admin[0]));

	shared_open(&sh, 1);
	ck_assert_ok(test_view(&v1, sh.admin[1]));
	ck_assert_msg(test_bytes_equal(&v0, &v1), "a reopened store shows\n%s\ninstead of\n%s",
	              (const char *)v1.data, (const char *)v0.data);
	ck_assert_uint_eq(acct_ctx_account_count(sh.ctx[1]), 4);
	a = NULL;
	ck_assert_ok(acct_account_lookup_guid(&a, sh.admin[1], guid));
	ck_assert_int_eq(acct_account_id(a), c);
	acct_account_free(a);
	a = NULL;
	ck_assert_ok(acct_account_lookup_external_id(&a, sh.admin[1], "ext-c1"));
	ck_assert_int_eq(acct_account_id(a), c);
	acct_account_free(a);
	a = NULL;
	ck_assert_ok(acct_account_lookup_login(&a, sh.admin[1], "U1"));
	ck_assert_int_eq(acct_account_id(a), u);
	acct_account_free(a);
	ck_assert_uint_eq(status_of(sh.admin[1], c), ACCT_STATUS_BY_RESELLER);
	ck_assert_ok(acct_account_effective_status(&eff, sh.admin[1], u));
	ck_assert_uint_eq(eff, ACCT_STATUS_BY_RESELLER);
	/* Passwords were stored (hashed): logins work in the new ctx. */
	rs = open_session_pw(sh.ctx[1], "r1", TEST_PASSWORD);
	acct_session_free(rs);
	rs = open_session_pw(sh.ctx[1], TEST_ADMIN_LOGIN, TEST_ADMIN_PASSWORD);
	acct_session_free(rs);
	/* Ids are never reused, even by another ctx. */
	n = add_customer(sh.admin[1], 1, "after-reopen", NULL);
	ck_assert_msg(n > t, "the reopened store gave id %" PRId64 " again (deleted %" PRId64 ")", n, t);

	shared_close(&sh, 1);
	shared_close(&sh, 0);
	shared_done(&sh);
	test_bytes_free(&v0);
	test_bytes_free(&v1);
}
END_TEST

START_TEST(test_refresh_sees_other_ctx)
{
	struct shared sh;
	acct_account *a = NULL;
	acct_id x;
	uint64_t g0;
	test_bytes v0 = TEST_BYTES_INIT, v1 = TEST_BYTES_INIT;

	memset(&sh, 0, sizeof sh);
	shared_open(&sh, 0);
	shared_open(&sh, 1);
	g0 = acct_ctx_generation(sh.ctx[0]);
	x = add_reseller(sh.admin[1], 1, "from-ctx1", NULL);
	ck_assert_uint_gt(acct_ctx_generation(sh.ctx[1]), g0);

	ck_assert_ok(acct_ctx_refresh(sh.ctx[0]));
	ck_assert_uint_eq(acct_ctx_generation(sh.ctx[0]), acct_ctx_generation(sh.ctx[1]));
	ck_assert_uint_eq(acct_ctx_account_count(sh.ctx[0]), 2);
	ck_assert_ok(acct_account_lookup_login(&a, sh.admin[0], "from-ctx1"));
	ck_assert_int_eq(acct_account_id(a), x);
	acct_account_free(a);
	ck_assert_ok(test_view(&v0, sh.admin[0]));
	ck_assert_ok(test_view(&v1, sh.admin[1]));
	ck_assert_msg(test_bytes_equal(&v0, &v1), "after refresh the contexts disagree:\n%s\nvs\n%s",
	              (const char *)v0.data, (const char *)v1.data);
	/* Nothing changed since: refresh is a no-op. */
	ck_assert_ok(acct_ctx_refresh(sh.ctx[0]));
	ck_assert_uint_eq(acct_ctx_account_count(sh.ctx[0]), 2);

	shared_close(&sh, 0);
	shared_close(&sh, 1);
	shared_done(&sh);
	test_bytes_free(&v0);
	test_bytes_free(&v1);
}
END_TEST

START_TEST(test_writes_refresh_first)
{
	struct shared sh;
	acct_account *a = NULL;
	acct_id y1, y0, id = 0;

	memset(&sh, 0, sizeof sh);
	shared_open(&sh, 0);
	shared_open(&sh, 1);

	/* ctx1 adds; ctx0 adds without refreshing: no id is given twice. */
	y1 = add_customer(sh.admin[1], 1, "y1", NULL);
	y0 = add_customer(sh.admin[0], 1, "y0", NULL);
	ck_assert_msg(y0 > y1, "ctx0 gave id %" PRId64 " after ctx1 gave %" PRId64, y0, y1);
	ck_assert_ok(acct_account_lookup_login(&a, sh.admin[0], "y1"));
	ck_assert_int_eq(acct_account_id(a), y1);
	acct_account_free(a);

	/* Uniqueness holds across contexts. */
	add_customer(sh.admin[1], 1, "shared-login", NULL);
	ck_assert_rc(try_add_account(&id, sh.admin[0], 1, ACCT_TYPE_CUSTOMER, "SHARED-LOGIN", NULL), ACCT_EEXISTS);
	a = new_account(ACCT_TYPE_CUSTOMER);
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_LOGIN, "ext-a"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_NAME, "Ext A"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_EXTERNAL_ID, "shared-ext"));
	ck_assert_ok(acct_account_add(&id, sh.admin[1], 1, a));
	acct_account_free(a);
	a = new_account(ACCT_TYPE_CUSTOMER);
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_LOGIN, "ext-b"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_NAME, "Ext B"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_EXTERNAL_ID, "shared-ext"));
	ck_assert_rc(acct_account_add(&id, sh.admin[0], 1, a), ACCT_EEXISTS);
	acct_account_free(a);

	/* A delete in one ctx is seen by the other's next write. */
	ck_assert_ok(acct_account_delete(sh.admin[1], y0));
	a = lookup_ok(sh.admin[0], y1);
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_PHONE, "5550104"));
	ck_assert_ok(acct_account_update(sh.admin[0], a));
	acct_account_free(a);
	a = NULL;
	ck_assert_rc(acct_account_lookup(&a, sh.admin[0], y0), ACCT_ENOTFOUND);
	ck_assert_uint_eq(acct_ctx_account_count(sh.ctx[0]), acct_ctx_account_count(sh.ctx[1]) );

	shared_close(&sh, 0);
	shared_close(&sh, 1);
	shared_done(&sh);
}
END_TEST

static Suite *account_suite(void)
{
	Suite *s = suite_create("account");
	TCase *tc;

	tc = tcase_create("fields");
	tcase_add_test(tc, test_type_and_field_names);
	tcase_add_test(tc, test_new_account);
	tcase_add_test(tc, test_unknown_fields);
	tcase_add_test(tc, test_login_valid);
	tcase_add_test(tc, test_login_invalid);
	tcase_add_test(tc, test_email);
	tcase_add_test(tc, test_country);
	tcase_add_test(tc, test_locale);
	tcase_add_loop_test(tc, test_field_lengths, 0, (int)(sizeof limits / sizeof limits[0]));
	tcase_add_loop_test(tc, test_invalid_utf8, 0, (int)(sizeof text_fields / sizeof text_fields[0]));
	tcase_add_test(tc, test_created_read_only);
	tcase_add_test(tc, test_guid_given_on_new_account);
	tcase_add_test(tc, test_password_write_only);
	tcase_add_test(tc, test_password_length);
	tcase_add_test(tc, test_no_password_no_login);
	suite_add_tcase(s, tc);

	tc = tcase_create("add");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_add_assigns_id_guid_owner_created);
	tcase_add_test(tc, test_created_follows_clock);
	tcase_add_test(tc, test_guids_unique);
	tcase_add_test(tc, test_given_guid_kept_and_unique);
	tcase_add_test(tc, test_ids_never_reused);
	tcase_add_test(tc, test_login_unique_case_insensitive);
	tcase_add_test(tc, test_external_id_unique);
	tcase_add_test(tc, test_lookups);
	tcase_add_test(tc, test_add_requires_login_and_name);
	suite_add_tcase(s, tc);

	tc = tcase_create("update");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_update_writes_only_changed_fields);
	tcase_add_test(tc, test_update_login_and_external_id);
	tcase_add_test(tc, test_update_deleted_account);
	tcase_add_test(tc, test_descriptions_per_author);
	suite_add_tcase(s, tc);

	tc = tcase_create("store");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_admin_exists);
	tcase_add_test(tc, test_open_empty_store_needs_admin);
	tcase_add_test(tc, test_open_bad_options);
	tcase_add_test(tc, test_reopen_keeps_everything);
	tcase_add_test(tc, test_refresh_sees_other_ctx);
	tcase_add_test(tc, test_writes_refresh_first);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	return test_run_suite(account_suite(), 1);
}
