/*
 * check_credential.c - credentials beyond passwords (acct/credential.h,
 * spec/policy.md section 7): secret keys, Partner API logins, password reset
 * tokens, and what deleting an account does to them.
 *
 * Interpretations used where the headers leave a choice (spec/policy.md wins):
 * - a secret is a UUID in its 36-character text form; it is returned once
 *   and never appears in the store (only a hash does), nor do generated API
 *   login passwords and reset tokens;
 * - key addresses are stored and compared in canonical form, so a client
 *   address in another spelling of the same IPv6 address matches;
 * - a disabled API login: its open sessions' checks are denied with kind
 *   SESSION (its credential is not valid) or DISABLED (as the
 *   ACCT_EDISABLED [1011] a new login with it gets); enabled again, both
 *   work; a deleted one: SESSION and ACCT_EAUTH;
 * - a new role given to an API login applies to its open sessions at once
 *   (like disabling it, and like a user's roles); reseller roles need a
 *   reseller, also after a conversion to customer;
 * - who manages credentials: the admin any account's; a reseller its own and
 *   those of accounts in its scope; a customer its own (ACCT_EDENIED for its
 *   users'); users none (ACCT_EDENIED); outside scope ACCT_ENOTFOUND;
 * - reset tokens are created by an owner above the account, never by the
 *   account itself (ACCT_EDENIED); a used, unknown, altered or expired
 *   token is ACCT_EAUTH, and a refused password leaves the token usable.
 */
#include "testutil.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/*
 *   admin
 *   +-- R1 (reseller)
 *   |   +-- C1 (customer) +-- U1 (user)
 *   |   +-- C1B (customer)
 *   +-- R2 (reseller)
 *       +-- C2 (customer)
 */
enum { ADMIN, R1, C1, U1, C1B, R2, C2, N_NODES };

static const test_node nodes[N_NODES] = {
	[ADMIN] = { "admin", ACCT_TYPE_ADMIN, -1 },
	[R1] = { "r1", ACCT_TYPE_RESELLER, ADMIN },
	[C1] = { "c1", ACCT_TYPE_CUSTOMER, R1 },
	[U1] = { "u1", ACCT_TYPE_USER, C1 },
	[C1B] = { "c1b", ACCT_TYPE_CUSTOMER, R1 },
	[R2] = { "r2", ACCT_TYPE_RESELLER, ADMIN },
	[C2] = { "c2", ACCT_TYPE_CUSTOMER, R2 },
};

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

static int bytes_contain(const test_bytes *b, const char *needle)
{
	size_t n = strlen(needle), i;

	if (n == 0 || b->len < n)
		return 0;
	for (i = 0; i + n <= b->len; i++)
		if (memcmp(b->data + i, needle, n) == 0)
			return 1;
	return 0;
}

/* The store (every key and value) holds no copy of @p secret. */
static void assert_not_stored(test_tree *t, const char *secret, const char *what)
{
	test_bytes dump = TEST_BYTES_INIT;

	ck_assert_ok(test_dump_store(&dump, t->store));
	ck_assert_msg(!bytes_contain(&dump, secret), "%s ('%s') is in the store", what, secret);
	test_bytes_free(&dump);
}

static int is_uuid(const char *s)
{
	size_t i;

	if (!s || strlen(s) != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)s[i])) {
			return 0;
		}
	}
	return 1;
}

/* Create a key, asserting success; the secret is copied into @p secret (37 bytes). */
static acct_id key_ok(acct_session *s, acct_id account, const char *ips, const char *description, char *secret)
{
	acct_buf buf = ACCT_BUF_INIT;
	acct_id id = 0;
	int rc = acct_key_create(&buf, &id, s, account, ips, description);

	ck_assert_msg(rc == 0, "acct_key_create(%" PRId64 ", '%s') as %" PRId64 " returned %d (%s): %s", account, ips,
	              acct_session_account(s), rc, acct_strerror(rc), acct_error_last()->message);
	ck_assert_msg(id > 0, "the key got id %" PRId64, id);
	ck_assert_msg(buf.size == 36 && is_uuid(buf.ptr), "the secret '%s' (%zu bytes) is not a UUID",
	              buf.ptr ? buf.ptr : "(null)", buf.size);
	snprintf(secret, 37, "%s", buf.ptr);
	acct_buf_dispose(&buf);
	return id;
}

/* Create an API login, asserting success; the password is copied into @p pw (at most 127 bytes). */
static acct_id apilogin_ok(acct_session *s, acct_id account, const char *login, int role, char pw[128])
{
	acct_buf buf = ACCT_BUF_INIT;
	acct_id id = 0;
	int rc = acct_apilogin_create(&buf, &id, s, account, login, role);

	ck_assert_msg(rc == 0, "acct_apilogin_create('%s', role %d) for %" PRId64 " as %" PRId64 " returned %d (%s): %s",
	              login, role, account, acct_session_account(s), rc, acct_strerror(rc), acct_error_last()->message);
	ck_assert_msg(id > 0, "the API login got id %" PRId64, id);
	ck_assert_msg(buf.ptr && buf.size > 0 && buf.size < 128 && strlen(buf.ptr) == buf.size,
	              "the generated password is empty or odd (%zu bytes)", buf.size);
	snprintf(pw, 128, "%s", buf.ptr);
	acct_buf_dispose(&buf);
	return id;
}

static acct_session *open_api_ok(acct_ctx *ctx, const char *login, const char *pw)
{
	acct_session *s = NULL;
	int rc = acct_session_open_api(&s, ctx, login, pw);

	ck_assert_msg(rc == 0 && s, "acct_session_open_api('%s') returned %d (%s): %s", login, rc, acct_strerror(rc),
	              acct_error_last()->message);
	return s;
}

static void token_ok(acct_session *s, acct_id account, int64_t ttl, char token[256])
{
	acct_buf buf = ACCT_BUF_INIT;
	int rc = acct_reset_token_create(&buf, s, account, ttl);

	ck_assert_msg(rc == 0, "acct_reset_token_create(%" PRId64 ") as %" PRId64 " returned %d (%s): %s", account,
	              acct_session_account(s), rc, acct_strerror(rc), acct_error_last()->message);
	ck_assert_msg(buf.ptr && buf.size >= 16 && buf.size < 256 && strlen(buf.ptr) == buf.size,
	              "the token is empty, short or odd (%zu bytes)", buf.size);
	snprintf(token, 256, "%s", buf.ptr);
	acct_buf_dispose(&buf);
}

/* acct_check_explain as @p s: returns the kind (ACCT_DENY_NONE when allowed). */
static int check_kind(acct_session *s, const char *perm, acct_id target)
{
	int allowed = -1, kind = -1;
	int rc = acct_check_explain(&allowed, &kind, NULL, s, perm, target);

	ck_assert_msg(rc == 0, "acct_check_explain(%s) returned %d (%s)", perm, rc, acct_strerror(rc));
	ck_assert_msg(allowed == (kind == ACCT_DENY_NONE), "allowed=%d with kind %d", allowed, kind);
	return kind;
}

static int key_ids(acct_id *out, size_t max, acct_session *s, acct_id account, int *rc_out)
{
	acct_key_iterator *it = NULL;
	acct_id id;
	int n = 0, rc = acct_key_iterator_new(&it, s, account);

	*rc_out = rc;
	if (rc != 0)
		return 0;
	while ((rc = acct_key_iterator_next(&id, it)) == 0)
		if ((size_t)n < max)
			out[n++] = id;
	ck_assert_rc(rc, ACCT_ITEROVER);
	acct_key_iterator_free(it);
	return n;
}

static int contains_id(const acct_id *ids, int n, acct_id id)
{
	int i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Secret keys                                                              */
/* ------------------------------------------------------------------------ */

START_TEST(test_key_create_once)
{
	test_tree t;
	char secret[37], secret2[37];
	acct_buf ips = ACCT_BUF_INIT, desc = ACCT_BUF_INIT;
	acct_id id, id2, found = 0, account = 0, ids[8];
	int n, rc;

	open_tree(&t, nodes, N_NODES);
	id = key_ok(t.admin, t.id[C1], "192.0.2.1, 2001:db8::0:1", "billing system", secret);
	id2 = key_ok(t.admin, t.id[C1], "192.0.2.1", NULL, secret2);
	ck_assert_msg(id2 != id, "two keys share id %" PRId64, id);
	ck_assert_msg(strcmp(secret, secret2) != 0, "two keys share a secret");
	/* The store keeps a hash, never the secret (nor its hex without dashes). */
	assert_not_stored(&t, secret, "a key's secret");
	assert_not_stored(&t, secret2, "a key's secret");
	{
		char undashed[33];
		size_t i, j = 0;

		for (i = 0; secret[i]; i++)
			if (secret[i] != '-')
				undashed[j++] = secret[i];
		undashed[j] = '\0';
		assert_not_stored(&t, undashed, "a key's secret without dashes");
	}

	/* Find by secret; info; list. */
	ck_assert_ok(acct_key_find(&found, t.admin, secret));
	ck_assert_int_eq(found, id);
	ck_assert_ok(acct_key_find(&found, tree_session(&t, C1), secret2));
	ck_assert_int_eq(found, id2);
	ck_assert_ok(acct_key_info(&account, &ips, &desc, t.admin, id));
	ck_assert_int_eq(account, t.id[C1]);
	ck_assert_str_eq(ips.ptr, "192.0.2.1,2001:db8::1");
	ck_assert_str_eq(desc.ptr, "billing system");
	ck_assert_ok(acct_key_info(&account, &ips, &desc, tree_session(&t, C1), id2));
	ck_assert_str_eq(ips.ptr, "192.0.2.1");
	ck_assert_msg(desc.size == 0, "a key without a description has '%s'", desc.ptr);
	ck_assert_ok(acct_key_info(NULL, NULL, NULL, tree_session(&t, R1), id));
	n = key_ids(ids, N_ELEMS(ids), t.admin, t.id[C1], &rc);
	ck_assert_ok(rc);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(ids[0], id);
	ck_assert_int_eq(ids[1], id2);
	n = key_ids(ids, N_ELEMS(ids), tree_session(&t, C1), 0, &rc);
	ck_assert_ok(rc);
	ck_assert_int_eq(n, 2);
	n = key_ids(ids, N_ELEMS(ids), t.admin, t.id[C1B], &rc);
	ck_assert_ok(rc);
	ck_assert_int_eq(n, 0);

	/* Misses. */
	ck_assert_rc(acct_key_find(&found, t.admin, "00000000-0000-4000-8000-000000000000"), ACCT_ENOTFOUND);
	ck_assert_int_eq(found, 0);
	ck_assert_rc(acct_key_find(&found, t.admin, ""), ACCT_ENOTFOUND);
	ck_assert_rc(acct_key_info(NULL, NULL, NULL, t.admin, 999999), ACCT_ENOTFOUND);
	acct_buf_dispose(&ips);
	acct_buf_dispose(&desc);
	close_tree(&t);
}
END_TEST

START_TEST(test_key_validation)
{
	static const char *const bad_lists[] = { "", " , ", "192.0.2.300", "192.0.2.1, nope", "host.example.com",
		                                     "2001:db8:::1" };
	test_tree t;
	acct_buf secret = ACCT_BUF_INIT;
	test_bytes before = TEST_BYTES_INIT, after = TEST_BYTES_INIT;
	acct_id id = 7;
	size_t i;

	open_tree(&t, nodes, N_NODES);
	ck_assert_ok(test_dump_store(&before, t.store));
	for (i = 0; i < N_ELEMS(bad_lists); i++) {
		int rc = acct_key_create(&secret, &id, t.admin, t.id[C1], bad_lists[i], NULL);
		ck_assert_msg(rc == ACCT_EINVALID, "the address list '%s' was accepted: %d", bad_lists[i], rc);
		ck_assert_msg(secret.size == 0, "a refused key still gave a secret");
	}
	ck_assert_rc(acct_key_create(&secret, &id, t.admin, t.id[C1], NULL, NULL), ACCT_EINVALID);
	ck_assert_rc(acct_key_create(NULL, &id, t.admin, t.id[C1], "192.0.2.1", NULL), ACCT_EINVALID);
	ck_assert_rc(acct_key_create(&secret, &id, t.admin, 999999, "192.0.2.1", NULL), ACCT_ENOTFOUND);
	ck_assert_ok(test_dump_store(&after, t.store));
	ck_assert_msg(test_bytes_equal(&before, &after), "refused key creations changed the store");
	acct_buf_dispose(&secret);
	test_bytes_free(&before);
	test_bytes_free(&after);
	close_tree(&t);
}
END_TEST

START_TEST(test_key_session)
{
	test_tree t;
	acct_session *s = NULL;
	acct_account *a = NULL;
	char secret[37], v6secret[37];

	open_tree(&t, nodes, N_NODES);
	key_ok(tree_session(&t, R1), t.id[C1], "192.0.2.1 198.51.100.7", NULL, secret);
	/* From a listed address: a session acting as the key's account. */
	ck_assert_ok(acct_session_open_key(&s, t.ctx, secret, "192.0.2.1"));
	ck_assert_int_eq(acct_session_account(s), t.id[C1]);
	a = lookup_ok(s, t.id[U1]);
	acct_account_free(a);
	acct_session_free(s);
	s = NULL;
	ck_assert_ok(acct_session_open_key(&s, t.ctx, secret, "198.51.100.7"));
	acct_session_free(s);
	s = NULL;
	/* From anywhere else: ACCT_EKEY, Plesk 11003. */
	ck_assert_rc(acct_session_open_key(&s, t.ctx, secret, "192.0.2.2"), ACCT_EKEY);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(acct_error_last()->plesk_code, 11003);
	ck_assert_int_eq(acct_error_plesk_code(ACCT_EKEY), 11003);
	test_assert_last_error(ACCT_EKEY, NULL, "a key from an unlisted address");
	ck_assert_rc(acct_session_open_key(&s, t.ctx, secret, "192.0.2.10"), ACCT_EKEY);
	ck_assert_rc(acct_session_open_key(&s, t.ctx, secret, "not an address"), ACCT_EKEY);
	ck_assert_rc(acct_session_open_key(&s, t.ctx, secret, ""), ACCT_EKEY);
	/* An unknown key looks the same. */
	ck_assert_rc(acct_session_open_key(&s, t.ctx, "00000000-0000-4000-8000-000000000000", "192.0.2.1"), ACCT_EKEY);
	ck_assert_int_eq(acct_error_last()->plesk_code, 11003);
	/* An altered secret (another case) is another key. */
	{
		char upper[37];
		size_t i;
		for (i = 0; i < 37; i++)
			upper[i] = (char)toupper((unsigned char)secret[i]);
		if (strcmp(upper, secret) != 0)
			ck_assert_rc(acct_session_open_key(&s, t.ctx, upper, "192.0.2.1"), ACCT_EKEY);
	}
	ck_assert_rc(acct_session_open_key(&s, t.ctx, NULL, "192.0.2.1"), ACCT_EINVALID);
	ck_assert_rc(acct_session_open_key(&s, t.ctx, secret, NULL), ACCT_EINVALID);

	/* IPv6: any spelling of the address matches, another address does not. */
	key_ok(t.admin, t.id[C1B], "2001:DB8:0:0::0:1", NULL, v6secret);
	ck_assert_ok(acct_session_open_key(&s, t.ctx, v6secret, "2001:db8::1"));
	acct_session_free(s);
	s = NULL;
	ck_assert_ok(acct_session_open_key(&s, t.ctx, v6secret, "2001:0db8:0000:0000:0000:0000:0000:0001"));
	ck_assert_int_eq(acct_session_account(s), t.id[C1B]);
	acct_session_free(s);
	s = NULL;
	ck_assert_rc(acct_session_open_key(&s, t.ctx, v6secret, "2001:db8::2"), ACCT_EKEY);
	ck_assert_rc(acct_session_open_key(&s, t.ctx, v6secret, "2001:db8::10"), ACCT_EKEY);

	/* A disabled account: ACCT_EDISABLED, even with the right key and address. */
	ck_assert_ok(acct_account_suspend(t.admin, t.id[R1]));
	ck_assert_rc(acct_session_open_key(&s, t.ctx, secret, "192.0.2.1"), ACCT_EDISABLED);
	ck_assert_ok(acct_account_activate(t.admin, t.id[R1]));
	ck_assert_ok(acct_session_open_key(&s, t.ctx, secret, "192.0.2.1"));
	acct_session_free(s);
	close_tree(&t);
}
END_TEST

START_TEST(test_key_delete)
{
	test_tree t;
	acct_session *s = NULL;
	acct_id id, keep, found = 0, ids[4];
	char secret[37], kept[37];
	int n, rc;

	open_tree(&t, nodes, N_NODES);
	id = key_ok(tree_session(&t, C1), t.id[C1], "192.0.2.1", NULL, secret);
	keep = key_ok(tree_session(&t, C1), t.id[C1], "192.0.2.1", NULL, kept);
	ck_assert_ok(acct_key_delete(tree_session(&t, C1), id));
	ck_assert_rc(acct_session_open_key(&s, t.ctx, secret, "192.0.2.1"), ACCT_EKEY);
	ck_assert_rc(acct_key_find(&found, t.admin, secret), ACCT_ENOTFOUND);
	ck_assert_rc(acct_key_info(NULL, NULL, NULL, t.admin, id), ACCT_ENOTFOUND);
	ck_assert_rc(acct_key_delete(tree_session(&t, C1), id), ACCT_ENOTFOUND);
	ck_assert_rc(acct_key_delete(t.admin, 999999), ACCT_ENOTFOUND);
	n = key_ids(ids, N_ELEMS(ids), t.admin, t.id[C1], &rc);
	ck_assert_ok(rc);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(ids[0], keep);
	/* The other key still works. */
	ck_assert_ok(acct_session_open_key(&s, t.ctx, kept, "192.0.2.1"));
	acct_session_free(s);
	close_tree(&t);
}
END_TEST

START_TEST(test_key_who_manages)
{
	test_tree t;
	acct_buf buf = ACCT_BUF_INIT;
	acct_key_iterator *it = NULL;
	acct_id c1key, r1key, r2key, adminkey, found = 0, ids[16];
	char s1[37], s2[37], s3[37], s4[37];
	int n, rc;

	open_tree(&t, nodes, N_NODES);
	/* A reseller: its own and those of accounts in its scope. */
	r1key = key_ok(tree_session(&t, R1), t.id[R1], "192.0.2.1", NULL, s1);
	c1key = key_ok(tree_session(&t, R1), t.id[C1], "192.0.2.1", NULL, s2);
	r2key = key_ok(tree_session(&t, R2), t.id[R2], "192.0.2.1", NULL, s3);
	adminkey = key_ok(t.admin, 1, "192.0.2.1", NULL, s4);
	ck_assert_rc(acct_key_create(&buf, NULL, tree_session(&t, R1), t.id[C2], "192.0.2.1", NULL), ACCT_ENOTFOUND);
	ck_assert_rc(acct_key_create(&buf, NULL, tree_session(&t, R1), 1, "192.0.2.1", NULL), ACCT_ENOTFOUND);
	/* A customer: its own only. */
	ck_assert_ok(acct_key_info(NULL, NULL, NULL, tree_session(&t, C1), c1key));
	ck_assert_rc(acct_key_create(&buf, NULL, tree_session(&t, C1), t.id[U1], "192.0.2.1", NULL), ACCT_EDENIED);
	ck_assert_rc(acct_key_create(&buf, NULL, tree_session(&t, C1), t.id[C1B], "192.0.2.1", NULL), ACCT_ENOTFOUND);
	ck_assert_rc(acct_key_info(NULL, NULL, NULL, tree_session(&t, C1), r1key), ACCT_ENOTFOUND);
	ck_assert_rc(acct_key_delete(tree_session(&t, C1), r1key), ACCT_ENOTFOUND);
	ck_assert_rc(acct_key_find(&found, tree_session(&t, C1), s1), ACCT_ENOTFOUND);
	ck_assert_rc(acct_key_find(&found, tree_session(&t, C1B), s2), ACCT_ENOTFOUND);
	ck_assert_rc(acct_key_info(NULL, NULL, NULL, tree_session(&t, R1), r2key), ACCT_ENOTFOUND);
	ck_assert_rc(acct_key_delete(tree_session(&t, R1), r2key), ACCT_ENOTFOUND);
	ck_assert_rc(acct_key_info(NULL, NULL, NULL, tree_session(&t, R1), adminkey), ACCT_ENOTFOUND);
	/* Listing everything: only what the session may manage. */
	n = key_ids(ids, N_ELEMS(ids), tree_session(&t, R1), 0, &rc);
	ck_assert_ok(rc);
	ck_assert_int_eq(n, 2);
	ck_assert_msg(contains_id(ids, n, r1key) && contains_id(ids, n, c1key), "r1's listing lacks its keys");
	n = key_ids(ids, N_ELEMS(ids), tree_session(&t, C1), 0, &rc);
	ck_assert_ok(rc);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(ids[0], c1key);
	n = key_ids(ids, N_ELEMS(ids), t.admin, 0, &rc);
	ck_assert_ok(rc);
	ck_assert_int_eq(n, 4);
	ck_assert_rc(acct_key_iterator_new(&it, tree_session(&t, R1), t.id[R2]), ACCT_ENOTFOUND);
	ck_assert_ptr_null(it);

	/* Users manage no keys, not even their own. */
	ck_assert_rc(acct_key_create(&buf, NULL, tree_session(&t, U1), t.id[U1], "192.0.2.1", NULL), ACCT_EDENIED);
	ck_assert_int_eq(acct_error_last()->deny_kind, ACCT_DENY_METHOD);
	rc = acct_key_create(&buf, NULL, tree_session(&t, U1), t.id[C1], "192.0.2.1", NULL);
	ck_assert_msg(rc == ACCT_EDENIED || rc == ACCT_ENOTFOUND, "a user made a key for its owner: %d", rc);
	rc = acct_key_delete(tree_session(&t, U1), c1key);
	ck_assert_msg(rc == ACCT_EDENIED || rc == ACCT_ENOTFOUND, "a user deleted its owner's key: %d", rc);
	rc = acct_key_info(NULL, NULL, NULL, tree_session(&t, U1), c1key);
	ck_assert_msg(rc == ACCT_EDENIED || rc == ACCT_ENOTFOUND, "a user read its owner's key: %d", rc);
	rc = acct_key_find(&found, tree_session(&t, U1), s2);
	ck_assert_msg(rc == ACCT_EDENIED || rc == ACCT_ENOTFOUND, "a user found its owner's key: %d", rc);
	rc = acct_key_iterator_new(&it, tree_session(&t, U1), t.id[U1]);
	ck_assert_msg(rc == ACCT_EDENIED, "a user listed its keys: %d", rc);
	ck_assert_ptr_null(it);
	ck_assert_msg(buf.size == 0, "a refused key still gave a secret");
	/* The admin: anyone's. */
	ck_assert_ok(acct_key_delete(t.admin, r2key));
	ck_assert_ok(acct_key_delete(t.admin, c1key));
	acct_buf_dispose(&buf);
	close_tree(&t);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* API logins                                                               */
/* ------------------------------------------------------------------------ */

START_TEST(test_apilogin_create_and_use)
{
	test_tree t;
	acct_session *s = NULL, *api;
	acct_buf login = ACCT_BUF_INIT, pw2 = ACCT_BUF_INIT;
	acct_apilogin_iterator *it = NULL;
	acct_id id, found = 0, account = 0, next = 0;
	char pw[128];
	int role = 0, enabled = -1, rc;

	open_tree(&t, nodes, N_NODES);
	id = apilogin_ok(t.admin, t.id[R1], "partner1", ACCT_PARTNER_ALL_RESELLER, pw);
	assert_not_stored(&t, pw, "an API login's generated password");
	/* Lookup (any case) and info. */
	ck_assert_ok(acct_apilogin_lookup(&found, t.admin, "partner1"));
	ck_assert_int_eq(found, id);
	ck_assert_ok(acct_apilogin_lookup(&found, tree_session(&t, R1), "PARTNER1"));
	ck_assert_int_eq(found, id);
	ck_assert_ok(acct_apilogin_info(&login, &account, &role, &enabled, tree_session(&t, R1), id));
	ck_assert_str_eq(login.ptr, "partner1");
	ck_assert_int_eq(account, t.id[R1]);
	ck_assert_int_eq(role, ACCT_PARTNER_ALL_RESELLER);
	ck_assert_int_eq(enabled, 1);
	ck_assert_ok(acct_apilogin_info(NULL, NULL, NULL, NULL, t.admin, id));
	ck_assert_rc(acct_apilogin_lookup(&found, t.admin, "partner2"), ACCT_ENOTFOUND);
	ck_assert_rc(acct_apilogin_info(NULL, NULL, NULL, NULL, t.admin, 999999), ACCT_ENOTFOUND);
	/* Listed by account, and in "everything I may see". */
	ck_assert_ok(acct_apilogin_iterator_new(&it, tree_session(&t, R1), t.id[R1]));
	ck_assert_ok(acct_apilogin_iterator_next(&next, it));
	ck_assert_int_eq(next, id);
	ck_assert_rc(acct_apilogin_iterator_next(&next, it), ACCT_ITEROVER);
	acct_apilogin_iterator_free(it);
	it = NULL;
	ck_assert_ok(acct_apilogin_iterator_new(&it, tree_session(&t, C1), 0));
	ck_assert_rc(acct_apilogin_iterator_next(&next, it), ACCT_ITEROVER);
	acct_apilogin_iterator_free(it);

	/* The password, shown once, works: a session with the role. */
	api = open_api_ok(t.ctx, "partner1", pw);
	ck_assert_int_eq(acct_session_account(api), t.id[R1]);
	ck_assert_int_eq(acct_session_api_role(api), ACCT_PARTNER_ALL_RESELLER);
	ck_assert_int_eq(check_kind(api, "customer.create", t.id[R1]), ACCT_DENY_NONE);
	ck_assert_int_eq(check_kind(api, "license.upgrade", t.id[C1]), ACCT_DENY_NONE);
	/* Other sessions have no Partner role. */
	ck_assert_int_eq(acct_session_api_role(tree_session(&t, R1)), 0);
	ck_assert_int_eq(acct_session_api_role(NULL), 0);
	/* Wrong passwords, other names. */
	ck_assert_rc(acct_session_open_api(&s, t.ctx, "partner1", "wrong-password"), ACCT_EAUTH);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(acct_error_last()->plesk_code, 1001);
	ck_assert_rc(acct_session_open_api(&s, t.ctx, "nobody", pw), ACCT_EAUTH);
	/* It is not a UI login, and the account's password is not its password. */
	ck_assert_rc(acct_session_open(&s, t.ctx, "partner1", pw), ACCT_EAUTH);
	ck_assert_rc(acct_session_open_api(&s, t.ctx, "r1", TEST_PASSWORD), ACCT_EAUTH);
	ck_assert_rc(acct_session_open_api(&s, t.ctx, "partner1", TEST_PASSWORD), ACCT_EAUTH);

	/* Names: unique among API logins (any case), account login rules. */
	ck_assert_rc(acct_apilogin_create(&pw2, NULL, t.admin, t.id[R2], "PARTNER1", ACCT_PARTNER_ALL_RESELLER),
	             ACCT_EEXISTS);
	ck_assert_rc(acct_apilogin_create(&pw2, NULL, t.admin, t.id[R2], "bad login", ACCT_PARTNER_ALL_RESELLER),
	             ACCT_EINVALID);
	ck_assert_rc(acct_apilogin_create(&pw2, NULL, t.admin, t.id[R2], "", ACCT_PARTNER_ALL_RESELLER), ACCT_EINVALID);
	ck_assert_rc(acct_apilogin_create(&pw2, NULL, t.admin, t.id[R2], NULL, ACCT_PARTNER_ALL_RESELLER), ACCT_EINVALID);
	ck_assert_rc(acct_apilogin_create(NULL, NULL, t.admin, t.id[R2], "partner9", ACCT_PARTNER_ALL_RESELLER),
	             ACCT_EINVALID);
	ck_assert_msg(pw2.size == 0, "a refused API login still gave a password");
	/* Every generated password differs. */
	{
		char pwb[128];
		apilogin_ok(t.admin, t.id[R2], "partner2", ACCT_PARTNER_LIMITED_RESELLER, pwb);
		ck_assert_msg(strcmp(pw, pwb) != 0, "two API logins got the same password");
	}
	acct_session_free(api);
	acct_buf_dispose(&login);
	acct_buf_dispose(&pw2);
	(void)rc;
	close_tree(&t);
}
END_TEST

START_TEST(test_apilogin_role_rules)
{
	static const int reseller_roles[] = { ACCT_PARTNER_ALL_RESELLER, ACCT_PARTNER_ADVANCED_RESELLER,
		                                  ACCT_PARTNER_STANDARD_RESELLER, ACCT_PARTNER_LIMITED_RESELLER };
	static const int client_roles[] = { ACCT_PARTNER_ALL_CLIENT, ACCT_PARTNER_ADVANCED_CLIENT,
		                                ACCT_PARTNER_STANDARD_CLIENT, ACCT_PARTNER_LIMITED_CLIENT };
	test_tree t;
	acct_buf pw = ACCT_BUF_INIT;
	char login[32], pwc[128];
	acct_id id;
	size_t i;
	int role = 0, rc;

	open_tree(&t, nodes, N_NODES);
	for (i = 0; i < 4; i++) {
		/* Reseller roles need a reseller. */
		snprintf(login, sizeof login, "on-customer-%zu", i);
		rc = acct_apilogin_create(&pw, NULL, t.admin, t.id[C1], login, reseller_roles[i]);
		ck_assert_msg(rc == ACCT_EINVALID || rc == ACCT_EDENIED, "%s was given to a customer: %d",
		              acct_partner_role_name(reseller_roles[i]), rc);
		snprintf(login, sizeof login, "on-reseller-%zu", i);
		apilogin_ok(t.admin, t.id[R1], login, reseller_roles[i], pwc);
		/* Client roles: a reseller or a customer. */
		snprintf(login, sizeof login, "client-c-%zu", i);
		apilogin_ok(t.admin, t.id[C1], login, client_roles[i], pwc);
		snprintf(login, sizeof login, "client-r-%zu", i);
		apilogin_ok(t.admin, t.id[R1], login, client_roles[i], pwc);
		/* Neither for users or the admin. */
		snprintf(login, sizeof login, "on-user-%zu", i);
		rc = acct_apilogin_create(&pw, NULL, t.admin, t.id[U1], login, client_roles[i]);
		ck_assert_msg(rc == ACCT_EINVALID || rc == ACCT_EDENIED, "an API login for a user: %d", rc);
		rc = acct_apilogin_create(&pw, NULL, t.admin, 1, login, reseller_roles[i]);
		ck_assert_msg(rc == ACCT_EINVALID || rc == ACCT_EDENIED, "an API login for the admin: %d", rc);
	}
	ck_assert_rc(acct_apilogin_create(&pw, NULL, t.admin, t.id[R1], "role-zero", 0), ACCT_EINVALID);
	ck_assert_rc(acct_apilogin_create(&pw, NULL, t.admin, t.id[R1], "role-nine", 9), ACCT_EINVALID);

	/* set_role follows the same rules. */
	id = apilogin_ok(t.admin, t.id[C1], "c1-api", ACCT_PARTNER_LIMITED_CLIENT, pwc);
	ck_assert_ok(acct_apilogin_set_role(tree_session(&t, C1), id, ACCT_PARTNER_ALL_CLIENT));
	ck_assert_ok(acct_apilogin_info(NULL, NULL, &role, NULL, t.admin, id));
	ck_assert_int_eq(role, ACCT_PARTNER_ALL_CLIENT);
	rc = acct_apilogin_set_role(t.admin, id, ACCT_PARTNER_ALL_RESELLER);
	ck_assert_msg(rc == ACCT_EINVALID || rc == ACCT_EDENIED, "a customer's API login got a reseller role: %d", rc);
	ck_assert_rc(acct_apilogin_set_role(t.admin, id, 0), ACCT_EINVALID);
	ck_assert_rc(acct_apilogin_set_role(t.admin, id, 9), ACCT_EINVALID);
	ck_assert_ok(acct_apilogin_info(NULL, NULL, &role, NULL, t.admin, id));
	ck_assert_int_eq(role, ACCT_PARTNER_ALL_CLIENT);

	/* Who manages them: as keys. */
	apilogin_ok(tree_session(&t, R1), t.id[C1], "by-reseller", ACCT_PARTNER_STANDARD_CLIENT, pwc);
	apilogin_ok(tree_session(&t, C1), t.id[C1], "by-customer", ACCT_PARTNER_STANDARD_CLIENT, pwc);
	ck_assert_rc(acct_apilogin_create(&pw, NULL, tree_session(&t, C1), t.id[C1B], "not-mine", ACCT_PARTNER_ALL_CLIENT),
	             ACCT_ENOTFOUND);
	ck_assert_rc(acct_apilogin_create(&pw, NULL, tree_session(&t, R1), t.id[C2], "not-mine", ACCT_PARTNER_ALL_CLIENT),
	             ACCT_ENOTFOUND);
	ck_assert_rc(acct_apilogin_create(&pw, NULL, tree_session(&t, U1), t.id[U1], "by-user", ACCT_PARTNER_ALL_CLIENT),
	             ACCT_EDENIED);
	rc = acct_apilogin_create(&pw, NULL, tree_session(&t, U1), t.id[C1], "by-user", ACCT_PARTNER_ALL_CLIENT);
	ck_assert_msg(rc == ACCT_EDENIED || rc == ACCT_ENOTFOUND, "a user made an API login for its owner: %d", rc);
	rc = acct_apilogin_set_enabled(tree_session(&t, U1), id, 0);
	ck_assert_msg(rc == ACCT_EDENIED || rc == ACCT_ENOTFOUND, "a user disabled its owner's API login: %d", rc);
	ck_assert_rc(acct_apilogin_info(NULL, NULL, NULL, NULL, tree_session(&t, C1B), id), ACCT_ENOTFOUND);
	ck_assert_rc(acct_apilogin_set_role(tree_session(&t, R2), id, ACCT_PARTNER_LIMITED_CLIENT), ACCT_ENOTFOUND);
	{
		acct_id f = 0;
		ck_assert_rc(acct_apilogin_lookup(&f, tree_session(&t, C1B), "c1-api"), ACCT_ENOTFOUND);
	}
	acct_buf_dispose(&pw);
	close_tree(&t);
}
END_TEST

START_TEST(test_apilogin_disable_enable)
{
	test_tree t;
	acct_session *api, *s = NULL;
	acct_id id;
	char pw[128];
	int enabled = -1, kind;

	open_tree(&t, nodes, N_NODES);
	id = apilogin_ok(tree_session(&t, R1), t.id[R1], "partner1", ACCT_PARTNER_STANDARD_RESELLER, pw);
	api = open_api_ok(t.ctx, "partner1", pw);
	ck_assert_int_eq(check_kind(api, "license.search", t.id[C1]), ACCT_DENY_NONE);

	ck_assert_ok(acct_apilogin_set_enabled(tree_session(&t, R1), id, 0));
	ck_assert_ok(acct_apilogin_info(NULL, NULL, NULL, &enabled, t.admin, id));
	ck_assert_int_eq(enabled, 0);
	/* The open session stops at once: its credential is no longer valid. */
	kind = check_kind(api, "license.search", t.id[C1]);
	ck_assert_msg(kind == ACCT_DENY_SESSION || kind == ACCT_DENY_DISABLED,
	              "a disabled API login's session: kind %d, expected SESSION or DISABLED", kind);
	ck_assert_int_eq(check_kind(api, "license.search", t.id[R1]), kind);
	ck_assert_int_eq(check_kind(api, "customer.create", 999999), kind);
	/* New logins: disabled (after the password is checked). */
	ck_assert_rc(acct_session_open_api(&s, t.ctx, "partner1", pw), ACCT_EDISABLED);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(acct_error_last()->plesk_code, 1011);
	ck_assert_rc(acct_session_open_api(&s, t.ctx, "partner1", "wrong-password"), ACCT_EAUTH);
	/* The account is untouched. */
	ck_assert_uint_eq(status_of(t.admin, t.id[R1]), 0);
	s = open_session_pw(t.ctx, "r1", TEST_PASSWORD);
	acct_session_free(s);
	s = NULL;

	/* Enabled again: both work. */
	ck_assert_ok(acct_apilogin_set_enabled(tree_session(&t, R1), id, 1));
	ck_assert_int_eq(check_kind(api, "license.search", t.id[C1]), ACCT_DENY_NONE);
	s = open_api_ok(t.ctx, "partner1", pw);
	ck_assert_int_eq(check_kind(s, "customer.create", t.id[R1]), ACCT_DENY_NONE);
	acct_session_free(s);
	s = NULL;

	/* A disabled account disables its API logins' sessions too. */
	ck_assert_ok(acct_account_suspend(t.admin, t.id[R1]));
	ck_assert_int_eq(check_kind(api, "license.search", t.id[C1]), ACCT_DENY_DISABLED);
	ck_assert_rc(acct_session_open_api(&s, t.ctx, "partner1", pw), ACCT_EDISABLED);
	acct_session_free(api);
	close_tree(&t);
}
END_TEST

/* A new role reaches the login's open sessions at once. */
START_TEST(test_apilogin_role_change_reaches_sessions)
{
	test_tree t;
	acct_session *api, *fresh;
	acct_id id;
	char pw[128];

	open_tree(&t, nodes, N_NODES);
	id = apilogin_ok(t.admin, t.id[R1], "partner1", ACCT_PARTNER_ALL_RESELLER, pw);
	api = open_api_ok(t.ctx, "partner1", pw);
	ck_assert_int_eq(check_kind(api, "license.suspend", t.id[C1]), ACCT_DENY_NONE);
	ck_assert_ok(acct_apilogin_set_role(t.admin, id, ACCT_PARTNER_LIMITED_RESELLER));
	fresh = open_api_ok(t.ctx, "partner1", pw);
	ck_assert_int_eq(acct_session_api_role(fresh), ACCT_PARTNER_LIMITED_RESELLER);
	ck_assert_int_eq(check_kind(fresh, "license.suspend", t.id[C1]), ACCT_DENY_METHOD);
	ck_assert_int_eq(check_kind(fresh, "customer.search", t.id[C1]), ACCT_DENY_NONE);
	/* The session opened before the change. */
	ck_assert_int_eq(acct_session_api_role(api), ACCT_PARTNER_LIMITED_RESELLER);
	ck_assert_int_eq(check_kind(api, "license.suspend", t.id[C1]), ACCT_DENY_METHOD);
	acct_session_free(fresh);
	acct_session_free(api);
	close_tree(&t);
}
END_TEST

/*
 * Reseller roles need a reseller: converting a reseller to a customer must
 * not leave one of its API logins holding a reseller role. Either the
 * conversion is refused, or the login no longer acts as a reseller role
 * (its role changed, or it is disabled or gone): customer.create, which a
 * customer may not do, is not allowed to its session.
 */
START_TEST(test_apilogin_survives_convert)
{
	test_tree t;
	acct_session *api;
	acct_id r3, id;
	char pw[128];
	int rc, role = 0, enabled = 0, kind;

	open_tree(&t, nodes, N_NODES);
	r3 = add_reseller(t.admin, 1, "r3", NULL);
	id = apilogin_ok(t.admin, r3, "r3-api", ACCT_PARTNER_ALL_RESELLER, pw);
	api = open_api_ok(t.ctx, "r3-api", pw);
	ck_assert_int_eq(check_kind(api, "customer.create", r3), ACCT_DENY_NONE);
	rc = acct_account_convert(t.admin, r3, ACCT_TYPE_CUSTOMER);
	if (rc == 0) {
		ck_assert_int_eq(type_of(t.admin, r3), ACCT_TYPE_CUSTOMER);
		kind = check_kind(api, "customer.create", r3);
		ck_assert_msg(kind != ACCT_DENY_NONE,
		              "r3 is a customer now, but its API login's session may still customer.create");
		rc = acct_apilogin_info(NULL, NULL, &role, &enabled, t.admin, id);
		ck_assert_msg(rc == ACCT_ENOTFOUND || !enabled || role < ACCT_PARTNER_ALL_RESELLER,
		              "r3 is a customer now, but its API login still has the reseller role %d (enabled=%d)", role,
		              enabled);
	} else {
		ck_assert_msg(rc == ACCT_EDENIED || rc == ACCT_EINVALID, "converting r3 returned %d (%s)", rc,
		              acct_strerror(rc));
		ck_assert_int_eq(type_of(t.admin, r3), ACCT_TYPE_RESELLER);
	}
	acct_session_free(api);
	close_tree(&t);
}
END_TEST

START_TEST(test_apilogin_new_password)
{
	test_tree t;
	acct_session *s = NULL;
	acct_buf pw2 = ACCT_BUF_INIT;
	acct_id id;
	char pw[128];

	open_tree(&t, nodes, N_NODES);
	id = apilogin_ok(t.admin, t.id[C1], "c1-api", ACCT_PARTNER_LIMITED_CLIENT, pw);
	ck_assert_ok(acct_apilogin_new_password(&pw2, tree_session(&t, C1), id));
	ck_assert_msg(pw2.ptr && pw2.size > 0 && strcmp(pw2.ptr, pw) != 0, "the new password is empty or the old one");
	assert_not_stored(&t, pw2.ptr, "a regenerated API login password");
	ck_assert_rc(acct_session_open_api(&s, t.ctx, "c1-api", pw), ACCT_EAUTH);
	s = open_api_ok(t.ctx, "c1-api", pw2.ptr);
	ck_assert_int_eq(acct_session_account(s), t.id[C1]);
	acct_session_free(s);
	s = NULL;
	ck_assert_rc(acct_apilogin_new_password(&pw2, tree_session(&t, C1B), id), ACCT_ENOTFOUND);
	ck_assert_rc(acct_apilogin_new_password(&pw2, t.admin, 999999), ACCT_ENOTFOUND);
	ck_assert_rc(acct_apilogin_new_password(NULL, t.admin, id), ACCT_EINVALID);
	acct_buf_dispose(&pw2);
	close_tree(&t);
}
END_TEST

START_TEST(test_apilogin_delete)
{
	test_tree t;
	acct_session *api, *s = NULL;
	acct_id id, found = 0;
	char pw[128];

	open_tree(&t, nodes, N_NODES);
	id = apilogin_ok(tree_session(&t, C1), t.id[C1], "c1-api", ACCT_PARTNER_ALL_CLIENT, pw);
	api = open_api_ok(t.ctx, "c1-api", pw);
	ck_assert_int_eq(check_kind(api, "license.create", t.id[C1]), ACCT_DENY_NONE);
	ck_assert_ok(acct_apilogin_delete(tree_session(&t, C1), id));
	ck_assert_rc(acct_apilogin_lookup(&found, t.admin, "c1-api"), ACCT_ENOTFOUND);
	ck_assert_rc(acct_apilogin_info(NULL, NULL, NULL, NULL, t.admin, id), ACCT_ENOTFOUND);
	ck_assert_rc(acct_session_open_api(&s, t.ctx, "c1-api", pw), ACCT_EAUTH);
	ck_assert_int_eq(check_kind(api, "license.create", t.id[C1]), ACCT_DENY_SESSION);
	ck_assert_rc(acct_apilogin_delete(tree_session(&t, C1), id), ACCT_ENOTFOUND);
	/* The name is free again. */
	apilogin_ok(tree_session(&t, C1), t.id[C1], "c1-api", ACCT_PARTNER_ALL_CLIENT, pw);
	acct_session_free(api);
	close_tree(&t);
}
END_TEST

START_TEST(test_apilogin_lockout)
{
	test_tree t;
	acct_session *s = NULL;
	char pw[128];
	int i;

	open_tree(&t, nodes, N_NODES);
	apilogin_ok(t.admin, t.id[R1], "partner1", ACCT_PARTNER_ALL_RESELLER, pw);
	for (i = 0; i < 5; i++)
		ck_assert_rc(acct_session_open_api(&s, t.ctx, "partner1", "wrong-password"), ACCT_EAUTH);
	ck_assert_rc(acct_session_open_api(&s, t.ctx, "partner1", pw), ACCT_ELOCKED);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(acct_error_last()->plesk_code, 1012);
	ck_assert_rc(acct_session_open_api(&s, t.ctx, "PARTNER1", pw), ACCT_ELOCKED);
	/* The account's own UI login is a different login. */
	s = open_session_pw(t.ctx, "r1", TEST_PASSWORD);
	acct_session_free(s);
	s = NULL;
	/* After the lockout duration (900 s by default). */
	test_default_clock.now += 901;
	s = open_api_ok(t.ctx, "partner1", pw);
	acct_session_free(s);
	close_tree(&t);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Password reset tokens                                                    */
/* ------------------------------------------------------------------------ */

START_TEST(test_reset_token)
{
	test_tree t;
	acct_session *s = NULL;
	char token[256], token2[256];

	open_tree(&t, nodes, N_NODES);
	token_ok(tree_session(&t, R1), t.id[C1], 0, token);
	assert_not_stored(&t, token, "a reset token");
	/* The random part alone is not stored either. */
	if (strchr(token, '.') && strlen(strchr(token, '.') + 1) >= 16)
		assert_not_stored(&t, strchr(token, '.') + 1, "a reset token's random part");
	token_ok(tree_session(&t, R1), t.id[C1], 0, token2);
	ck_assert_msg(strcmp(token, token2) != 0, "two tokens are the same");

	ck_assert_ok(acct_reset_token_redeem(t.ctx, token, "Brand-new-pass1"));
	s = open_session_pw(t.ctx, "c1", "Brand-new-pass1");
	ck_assert_int_eq(acct_session_account(s), t.id[C1]);
	acct_session_free(s);
	s = NULL;
	ck_assert_rc(acct_session_open(&s, t.ctx, "c1", TEST_PASSWORD), ACCT_EAUTH);
	/* Used: never again. */
	ck_assert_rc(acct_reset_token_redeem(t.ctx, token, "Another-pass2"), ACCT_EAUTH);
	ck_assert_int_eq(acct_error_last()->plesk_code, 1001);
	s = open_session_pw(t.ctx, "c1", "Brand-new-pass1");
	acct_session_free(s);
	/* The other token is still good (until used). */
	ck_assert_ok(acct_reset_token_redeem(t.ctx, token2, "Second-pass3"));
	s = open_session_pw(t.ctx, "c1", "Second-pass3");
	acct_session_free(s);
	ck_assert_rc(acct_reset_token_redeem(t.ctx, token2, "Second-pass3"), ACCT_EAUTH);
	close_tree(&t);
}
END_TEST

START_TEST(test_reset_token_expiry)
{
	test_tree t;
	acct_session *s = NULL;
	char token[256], token2[256];

	open_tree(&t, nodes, N_NODES);
	token_ok(t.admin, t.id[C1], 60, token);
	token_ok(t.admin, t.id[C1B], 0, token2); /* one hour */
	test_default_clock.now += 61;
	ck_assert_rc(acct_reset_token_redeem(t.ctx, token, "Too-late-pass1"), ACCT_EAUTH);
	ck_assert_rc(acct_session_open(&s, t.ctx, "c1", "Too-late-pass1"), ACCT_EAUTH);
	s = open_session_pw(t.ctx, "c1", TEST_PASSWORD);
	acct_session_free(s);
	s = NULL;
	/* Expired stays expired, even with the clock turned back. */
	test_default_clock.now -= 30;
	ck_assert_rc(acct_reset_token_redeem(t.ctx, token, "Too-late-pass1"), ACCT_EAUTH);
	/* The one-hour default: over after an hour. */
	test_default_clock.now += 3600;
	ck_assert_rc(acct_reset_token_redeem(t.ctx, token2, "Too-late-pass2"), ACCT_EAUTH);
	s = open_session_pw(t.ctx, "c1b", TEST_PASSWORD);
	acct_session_free(s);
	close_tree(&t);
}
END_TEST

START_TEST(test_reset_token_valid_until_expiry)
{
	test_tree t;
	acct_session *s;
	char token[256];

	open_tree(&t, nodes, N_NODES);
	token_ok(t.admin, t.id[C1], 60, token);
	test_default_clock.now += 59;
	ck_assert_ok(acct_reset_token_redeem(t.ctx, token, "In-time-pass1"));
	s = open_session_pw(t.ctx, "c1", "In-time-pass1");
	acct_session_free(s);
	close_tree(&t);
}
END_TEST

START_TEST(test_reset_token_who)
{
	test_tree t;
	acct_buf tok = ACCT_BUF_INIT;
	char token[256];

	open_tree(&t, nodes, N_NODES);
	/* Not for itself. */
	ck_assert_rc(acct_reset_token_create(&tok, tree_session(&t, C1), t.id[C1], 0), ACCT_EDENIED);
	ck_assert_rc(acct_reset_token_create(&tok, tree_session(&t, R1), t.id[R1], 0), ACCT_EDENIED);
	ck_assert_rc(acct_reset_token_create(&tok, t.admin, 1, 0), ACCT_EDENIED);
	ck_assert_rc(acct_reset_token_create(&tok, tree_session(&t, U1), t.id[U1], 0), ACCT_EDENIED);
	ck_assert_msg(tok.size == 0, "a refused token was still given");
	/* Owners above it: yes. */
	token_ok(tree_session(&t, C1), t.id[U1], 0, token);
	token_ok(tree_session(&t, R1), t.id[U1], 0, token);
	token_ok(tree_session(&t, R1), t.id[C1], 0, token);
	token_ok(t.admin, t.id[R1], 0, token);
	/* Outside scope: not found. */
	ck_assert_rc(acct_reset_token_create(&tok, tree_session(&t, R1), t.id[C2], 0), ACCT_ENOTFOUND);
	ck_assert_rc(acct_reset_token_create(&tok, tree_session(&t, C1), t.id[C1B], 0), ACCT_ENOTFOUND);
	ck_assert_rc(acct_reset_token_create(&tok, tree_session(&t, C1), t.id[R1], 0), ACCT_ENOTFOUND);
	ck_assert_rc(acct_reset_token_create(&tok, t.admin, 999999, 0), ACCT_ENOTFOUND);
	ck_assert_rc(acct_reset_token_create(NULL, t.admin, t.id[C1], 0), ACCT_EINVALID);
	acct_buf_dispose(&tok);
	close_tree(&t);
}
END_TEST

START_TEST(test_reset_token_bad_input)
{
	test_tree t;
	acct_session *s;
	char token[256], altered[256];
	size_t n;

	open_tree(&t, nodes, N_NODES);
	token_ok(t.admin, t.id[C1], 0, token);
	/* A password that breaks the rules: refused, and the token still works. */
	ck_assert_rc(acct_reset_token_redeem(t.ctx, token, "abc"), ACCT_EINVALID);
	ck_assert_rc(acct_reset_token_redeem(t.ctx, token, ""), ACCT_EINVALID);
	/* Garbage and altered tokens. */
	ck_assert_rc(acct_reset_token_redeem(t.ctx, "", "Good-pass-123"), ACCT_EAUTH);
	ck_assert_rc(acct_reset_token_redeem(t.ctx, "garbage", "Good-pass-123"), ACCT_EAUTH);
	ck_assert_rc(acct_reset_token_redeem(t.ctx, "1.deadbeef", "Good-pass-123"), ACCT_EAUTH);
	snprintf(altered, sizeof altered, "%s", token);
	n = strlen(altered);
	altered[n - 1] = altered[n - 1] == '0' ? '1' : '0';
	ck_assert_rc(acct_reset_token_redeem(t.ctx, altered, "Good-pass-123"), ACCT_EAUTH);
	altered[n - 1] = '\0';
	ck_assert_rc(acct_reset_token_redeem(t.ctx, altered, "Good-pass-123"), ACCT_EAUTH);
	ck_assert_rc(acct_reset_token_redeem(t.ctx, NULL, "Good-pass-123"), ACCT_EINVALID);
	ck_assert_rc(acct_reset_token_redeem(NULL, token, "Good-pass-123"), ACCT_EINVALID);
	s = open_session_pw(t.ctx, "c1", TEST_PASSWORD);
	acct_session_free(s);
	ck_assert_ok(acct_reset_token_redeem(t.ctx, token, "Good-pass-123"));
	s = open_session_pw(t.ctx, "c1", "Good-pass-123");
	acct_session_free(s);
	close_tree(&t);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Deleting an account deletes its credentials                               */
/* ------------------------------------------------------------------------ */

START_TEST(test_delete_account_deletes_credentials)
{
	test_tree t;
	acct_session *s = NULL, *api;
	acct_id found = 0, ids[8], keepkey;
	char c1key[37], u1key[37], r1key[37], c1bkey[37], keep[37], pw[128], pwr[128], tok[256], utok[256];
	int n, rc;

	open_tree(&t, nodes, N_NODES);
	key_ok(t.admin, t.id[C1], "192.0.2.1", NULL, c1key);
	key_ok(t.admin, t.id[U1], "192.0.2.1", NULL, u1key);
	key_ok(t.admin, t.id[R1], "192.0.2.1", NULL, r1key);
	key_ok(t.admin, t.id[C1B], "192.0.2.1", NULL, c1bkey);
	keepkey = key_ok(t.admin, t.id[C2], "192.0.2.1", NULL, keep);
	apilogin_ok(t.admin, t.id[C1], "c1-api", ACCT_PARTNER_ALL_CLIENT, pw);
	apilogin_ok(t.admin, t.id[R1], "r1-api", ACCT_PARTNER_ALL_RESELLER, pwr);
	token_ok(t.admin, t.id[C1], 0, tok);
	token_ok(t.admin, t.id[U1], 0, utok);
	api = open_api_ok(t.ctx, "c1-api", pw);

	/* The customer goes, with its user. */
	ck_assert_ok(acct_account_delete(tree_session(&t, R1), t.id[C1]));
	ck_assert_rc(acct_session_open_key(&s, t.ctx, c1key, "192.0.2.1"), ACCT_EKEY);
	ck_assert_rc(acct_session_open_key(&s, t.ctx, u1key, "192.0.2.1"), ACCT_EKEY);
	ck_assert_rc(acct_key_find(&found, t.admin, c1key), ACCT_ENOTFOUND);
	ck_assert_rc(acct_apilogin_lookup(&found, t.admin, "c1-api"), ACCT_ENOTFOUND);
	ck_assert_rc(acct_session_open_api(&s, t.ctx, "c1-api", pw), ACCT_EAUTH);
	ck_assert_int_eq(check_kind(api, "license.search", t.id[C1]), ACCT_DENY_SESSION);
	ck_assert_rc(acct_reset_token_redeem(t.ctx, tok, "Ghost-pass-123"), ACCT_EAUTH);
	ck_assert_rc(acct_reset_token_redeem(t.ctx, utok, "Ghost-pass-123"), ACCT_EAUTH);
	/* Others' credentials stay. */
	ck_assert_ok(acct_session_open_key(&s, t.ctx, r1key, "192.0.2.1"));
	acct_session_free(s);
	s = NULL;
	ck_assert_ok(acct_apilogin_lookup(&found, t.admin, "r1-api"));
	n = key_ids(ids, N_ELEMS(ids), t.admin, 0, &rc);
	ck_assert_ok(rc);
	ck_assert_int_eq(n, 3);
	/* The name of the deleted login is free again. */
	apilogin_ok(t.admin, t.id[C1B], "c1-api", ACCT_PARTNER_ALL_CLIENT, pw);

	/* A reseller goes with everything below it. */
	ck_assert_ok(acct_account_delete(t.admin, t.id[R1]));
	ck_assert_rc(acct_session_open_key(&s, t.ctx, r1key, "192.0.2.1"), ACCT_EKEY);
	ck_assert_rc(acct_session_open_key(&s, t.ctx, c1bkey, "192.0.2.1"), ACCT_EKEY);
	ck_assert_rc(acct_apilogin_lookup(&found, t.admin, "r1-api"), ACCT_ENOTFOUND);
	ck_assert_rc(acct_apilogin_lookup(&found, t.admin, "c1-api"), ACCT_ENOTFOUND);
	ck_assert_rc(acct_session_open_api(&s, t.ctx, "r1-api", pwr), ACCT_EAUTH);
	n = key_ids(ids, N_ELEMS(ids), t.admin, 0, &rc);
	ck_assert_ok(rc);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(ids[0], keepkey);
	ck_assert_ok(acct_session_open_key(&s, t.ctx, keep, "192.0.2.1"));
	acct_session_free(s);
	acct_session_free(api);
	/* And in the store: reopened over the same data, nothing comes back. */
	close_tree(&t);
}
END_TEST

/* Credentials are stored: another context over the same store knows them. */
START_TEST(test_credentials_persist)
{
	acct_storage *inner = NULL, *w0 = NULL, *w1 = NULL;
	test_storage st0, st1;
	acct_ctx_options opts;
	acct_ctx *ctx0 = NULL, *ctx1 = NULL;
	acct_session *a0, *s = NULL;
	acct_id r, c, kid, aid, found = 0;
	char secret[37], pw[128], tok[256];
	int role = 0, enabled = -1;

	ck_assert_ok(acct_storage_memory_new(&inner));
	test_storage_setup(&st0, inner, 0);
	ck_assert_ok(test_storage_wrap(&w0, &st0));
	test_default_clock.now = TEST_CLOCK_START;
	test_ctx_options(&opts, &test_default_clock);
	ck_assert_ok(acct_ctx_new(&ctx0, w0, &opts));
	a0 = open_session(ctx0, 1);
	r = add_reseller(a0, 1, "r1", NULL);
	c = add_customer(a0, r, "c1", NULL);
	kid = key_ok(a0, c, "192.0.2.1", "kept", secret);
	aid = apilogin_ok(a0, r, "partner1", ACCT_PARTNER_STANDARD_RESELLER, pw);
	ck_assert_ok(acct_apilogin_set_enabled(a0, aid, 0));
	token_ok(a0, c, 0, tok);
	acct_session_free(a0);
	acct_ctx_free(ctx0);

	test_storage_setup(&st1, inner, 0);
	ck_assert_ok(test_storage_wrap(&w1, &st1));
	opts.admin_login = NULL;
	opts.admin_password = NULL;
	ck_assert_ok(acct_ctx_new(&ctx1, w1, &opts));
	ck_assert_ok(acct_session_open_key(&s, ctx1, secret, "192.0.2.1"));
	ck_assert_int_eq(acct_session_account(s), c);
	ck_assert_ok(acct_key_find(&found, s, secret));
	ck_assert_int_eq(found, kid);
	acct_session_free(s);
	s = open_session(ctx1, 1);
	ck_assert_ok(acct_apilogin_info(NULL, NULL, &role, &enabled, s, aid));
	ck_assert_int_eq(role, ACCT_PARTNER_STANDARD_RESELLER);
	ck_assert_int_eq(enabled, 0);
	acct_session_free(s);
	s = NULL;
	ck_assert_rc(acct_session_open_api(&s, ctx1, "partner1", pw), ACCT_EDISABLED);
	ck_assert_ok(acct_reset_token_redeem(ctx1, tok, "Reopened-pass1"));
	s = open_session_pw(ctx1, "c1", "Reopened-pass1");
	acct_session_free(s);
	acct_ctx_free(ctx1);
	acct_storage_free(inner);
}
END_TEST

static Suite *credential_suite(void)
{
	Suite *s = suite_create("credential");
	TCase *tc;

	tc = tcase_create("keys");
	tcase_add_test(tc, test_key_create_once);
	tcase_add_test(tc, test_key_validation);
	tcase_add_test(tc, test_key_session);
	tcase_add_test(tc, test_key_delete);
	tcase_add_test(tc, test_key_who_manages);
	suite_add_tcase(s, tc);

	tc = tcase_create("apilogins");
	tcase_add_test(tc, test_apilogin_create_and_use);
	tcase_add_test(tc, test_apilogin_role_rules);
	tcase_add_test(tc, test_apilogin_disable_enable);
	tcase_add_test(tc, test_apilogin_role_change_reaches_sessions);
	tcase_add_test(tc, test_apilogin_survives_convert);
	tcase_add_test(tc, test_apilogin_new_password);
	tcase_add_test(tc, test_apilogin_delete);
	tcase_add_test(tc, test_apilogin_lockout);
	suite_add_tcase(s, tc);

	tc = tcase_create("reset");
	tcase_add_test(tc, test_reset_token);
	tcase_add_test(tc, test_reset_token_expiry);
	tcase_add_test(tc, test_reset_token_valid_until_expiry);
	tcase_add_test(tc, test_reset_token_who);
	tcase_add_test(tc, test_reset_token_bad_input);
	suite_add_tcase(s, tc);

	tc = tcase_create("delete");
	tcase_add_test(tc, test_delete_account_deletes_credentials);
	tcase_add_test(tc, test_credentials_persist);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	return test_run_suite(credential_suite(), 1);
}
