/*
 * check_audit.c - the audit hook (acct/audit.h, spec/policy.md section 8):
 * one event per mutating operation with the right operation name, actor,
 * target and result; events for refused operations and denied checks; no
 * secret in any field; a callback that calls libacct; the caller's
 * acct_error_last() kept across the callback.
 *
 * Interpretations used where the header leaves a choice:
 * - operation names start with the module's prefix: "account." (add,
 *   update, status, delete, change owner, convert, refused reads), "perm."
 *   (grants), "role." or "user." (roles and giving them to users),
 *   "limit." or "reseller." (limits, resource policies), "ip.", "button.",
 *   "key.", "apilogin.", "reset.", "session." and "check";
 * - the target of an add is its owner or the new account; of a role
 *   operation the role's owner or 0 (roles are not accounts); of a
 *   credential operation the credential's account; a redeemed token has no
 *   session, so its actor is 0 or the token's account;
 * - "every operation that writes, once its session and arguments have
 *   passed the first checks (successful or not)": policy refusals and
 *   refusals by the rules (ELIMIT, ...) are events; writes refused for a
 *   malformed argument before that need not be;
 * - text is "" on success and, on failure, exactly what acct_error_last()
 *   tells the caller afterwards.
 */
#include "testutil.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------------ */
/* The recorder                                                             */
/* ------------------------------------------------------------------------ */

#define MAX_EVENTS 64

typedef struct rec_event {
	unsigned int version;
	int64_t time;
	acct_id actor, target;
	int result;
	int null_field; /* operation, text or detail was NULL */
	char op[64];
	char text[600];
	char detail[256];
} rec_event;

typedef struct recorder {
	rec_event ev[MAX_EVENTS];
	int n;       /* events seen (may exceed MAX_EVENTS) */
	test_bytes all; /* every string of every event, for secret searches */
} recorder;

static void copy_field(char *dst, size_t size, const char *src, int *null_field)
{
	if (!src) {
		*null_field = 1;
		dst[0] = '\0';
		return;
	}
	snprintf(dst, size, "%s", src);
}

static void record(const acct_audit_event *e, void *payload)
{
	recorder *r = payload;
	rec_event *x;

	test_bytes_printf(&r->all, "%s\n%s\n%s\n", e->operation ? e->operation : "", e->text ? e->text : "",
	                  e->detail ? e->detail : "");
	if (r->n++ >= MAX_EVENTS)
		return;
	x = &r->ev[r->n - 1];
	memset(x, 0, sizeof *x);
	x->version = e->version;
	x->time = e->time;
	x->actor = e->actor;
	x->target = e->target;
	x->result = e->result;
	copy_field(x->op, sizeof x->op, e->operation, &x->null_field);
	copy_field(x->text, sizeof x->text, e->text, &x->null_field);
	copy_field(x->detail, sizeof x->detail, e->detail, &x->null_field);
}

static void recorder_reset(recorder *r)
{
	r->n = 0;
}

/* ------------------------------------------------------------------------ */
/* The tree                                                                 */
/* ------------------------------------------------------------------------ */

/*
 *   admin
 *   +-- R1 (reseller)
 *   |   +-- C1 (customer) +-- U1 (user)
 *   |   +-- C1B (customer)
 *   +-- R2 (reseller)
 *   |   +-- C2 (customer)
 *   +-- CA, CB (customers)
 */
enum { ADMIN, R1, C1, U1, C1B, R2, C2, CA, CB, N_NODES };

static const test_node nodes[N_NODES] = {
	[ADMIN] = { "admin", ACCT_TYPE_ADMIN, -1 },
	[R1] = { "r1", ACCT_TYPE_RESELLER, ADMIN },
	[C1] = { "c1", ACCT_TYPE_CUSTOMER, R1 },
	[U1] = { "u1", ACCT_TYPE_USER, C1 },
	[C1B] = { "c1b", ACCT_TYPE_CUSTOMER, R1 },
	[R2] = { "r2", ACCT_TYPE_RESELLER, ADMIN },
	[C2] = { "c2", ACCT_TYPE_CUSTOMER, R2 },
	[CA] = { "ca", ACCT_TYPE_CUSTOMER, ADMIN },
	[CB] = { "cb", ACCT_TYPE_CUSTOMER, ADMIN },
};

/* What the hook of the test's tree recorded (one tree per test). */
static recorder rec;

/* A tree built without the hook; then the recorder (reset) is installed. */
static void tree_build(test_tree *t)
{
	open_tree(t, nodes, N_NODES);
	memset(&rec, 0, sizeof rec);
	ck_assert_ok(acct_ctx_set_audit(t->ctx, record, &rec));
}

static void tree_free(test_tree *t)
{
	ck_assert_ok(acct_ctx_set_audit(t->ctx, NULL, NULL));
	close_tree(t);
	test_bytes_free(&rec.all);
}

/* ------------------------------------------------------------------------ */
/* Expectations                                                             */
/* ------------------------------------------------------------------------ */

static int has_prefix(const char *s, const char *prefixes)
{
	/* prefixes: '|'-separated */
	const char *p = prefixes;

	while (*p) {
		size_t n = strcspn(p, "|");
		if (strncmp(s, p, n) == 0)
			return 1;
		p += n;
		if (*p == '|')
			p++;
	}
	return 0;
}

/*
 * Exactly one event was recorded since the last reset, for a call that
 * returned @p rc: operation starting with one of @p prefixes, @p actor, a
 * target of @p target or @p alt_target, result @p rc, the context's clock,
 * "" text on success and the caller's message on failure. Resets.
 */
static void expect_one(int rc, const char *prefixes, acct_id actor, acct_id target, acct_id alt_target,
                       const char *what)
{
	recorder *r = &rec;
	const rec_event *e = &r->ev[0];
	char msg[512];

	test_last_message(msg, sizeof msg);
	ck_assert_msg(r->n == 1, "%s (returned %d): %d audit events, expected exactly one%s%s", what, rc, r->n,
	              r->n > 1 ? "; the second is " : "", r->n > 1 ? r->ev[1].op : "");
	ck_assert_msg(e->version == ACCT_AUDIT_EVENT_VERSION, "%s: event version %u", what, e->version);
	ck_assert_msg(!e->null_field, "%s: an event string is NULL", what);
	ck_assert_msg(has_prefix(e->op, prefixes), "%s: operation '%s', expected one starting with %s", what, e->op,
	              prefixes);
	ck_assert_msg(e->actor == actor, "%s (%s): actor %" PRId64 ", expected %" PRId64, what, e->op, e->actor, actor);
	ck_assert_msg(e->target == target || e->target == alt_target,
	              "%s (%s): target %" PRId64 ", expected %" PRId64 " (or %" PRId64 ")", what, e->op, e->target, target,
	              alt_target);
	ck_assert_msg(e->result == rc, "%s (%s): result %d, but the call returned %d", what, e->op, e->result, rc);
	ck_assert_msg(e->time == test_default_clock.now, "%s (%s): time %" PRId64 ", the clock says %" PRId64, what,
	              e->op, e->time, test_default_clock.now);
	if (rc == 0) {
		ck_assert_msg(e->text[0] == '\0', "%s (%s): succeeded, but the text is '%s'", what, e->op, e->text);
	} else {
		ck_assert_msg(rc < 0, "%s: returned %d", what, rc);
		ck_assert_msg(e->text[0] != '\0', "%s (%s): failed without a text", what, e->op);
		ck_assert_msg(strcmp(e->text, msg) == 0, "%s (%s): the event says '%s', the caller was told '%s'", what,
		              e->op, e->text, msg);
	}
	recorder_reset(r);
}

#define EXPECT_OK_ONE(call, prefixes, actor, target, alt)                                  \
	do {                                                                                   \
		int rc_;                                                                           \
		recorder_reset(&rec);                                                              \
		rc_ = (call);                                                                      \
		ck_assert_msg(rc_ == 0, "%s returned %d (%s): %s", #call, rc_, acct_strerror(rc_), \
		              acct_error_last()->message);                                         \
		expect_one(rc_, (prefixes), (actor), (target), (alt), #call);                      \
	} while (0)

#define EXPECT_FAIL_ONE(call, want_rc, prefixes, actor, target, alt)                    \
	do {                                                                                \
		int rc_;                                                                        \
		recorder_reset(&rec);                                                           \
		rc_ = (call);                                                                   \
		ck_assert_msg(rc_ == (want_rc), "%s returned %d (%s), expected %d", #call, rc_, \
		              acct_strerror(rc_), (want_rc));                                   \
		expect_one(rc_, (prefixes), (actor), (target), (alt), #call);                   \
	} while (0)

/* ------------------------------------------------------------------------ */
/* One event per write                                                      */
/* ------------------------------------------------------------------------ */

static int add_as(acct_id *id, acct_session *s, acct_id owner, int type, const char *login)
{
	return try_add_account(id, s, owner, type, login, NULL);
}

static int update_phone(acct_session *s, acct_session *admin, acct_id id, const char *phone, const char *password)
{
	acct_account *a = lookup_ok(admin, id);
	int rc;

	ck_assert_ok(acct_account_set(a, ACCT_FIELD_PHONE, phone));
	if (password)
		ck_assert_ok(acct_account_set(a, ACCT_FIELD_PASSWORD, password));
	acct_error_clear();
	rc = acct_account_update(s, a);
	acct_account_free(a);
	return rc;
}

START_TEST(test_account_writes)
{
	test_tree t;
	acct_id id = 0, r1 = 0, c1 = 0, c1b = 0;

	tree_build(&t);
	r1 = t.id[R1];
	c1 = t.id[C1];
	c1b = t.id[C1B];
	test_default_clock.now += 77; /* events carry the context's clock */
	recorder_reset(&rec);
	ck_assert_ok(add_as(&id, t.admin, 1, ACCT_TYPE_RESELLER, "r-new"));
	expect_one(0, "account.", 1, 1, id, "the admin adding a reseller");
	ck_assert_ok(add_as(&id, tree_session(&t, R1), r1, ACCT_TYPE_CUSTOMER, "c-new"));
	expect_one(0, "account.", r1, r1, id, "r1 adding a customer");
	EXPECT_OK_ONE(update_phone(tree_session(&t, R1), t.admin, c1, "5550001", NULL), "account.", r1, c1, c1);
	EXPECT_OK_ONE(update_phone(tree_session(&t, C1), t.admin, c1, "5550002", "Changed-pass-77"), "account.", c1, c1, c1);
	EXPECT_OK_ONE(acct_account_set_status(tree_session(&t, R1), c1, ACCT_STATUS_BY_RESELLER), "account.", r1, c1, c1);
	EXPECT_OK_ONE(acct_account_activate(tree_session(&t, R1), c1), "account.", r1, c1, c1);
	EXPECT_OK_ONE(acct_account_suspend(t.admin, c1b), "account.", 1, c1b, c1b);
	EXPECT_OK_ONE(acct_account_change_owner(t.admin, t.id[CA], r1), "account.", 1, t.id[CA], t.id[CA]);
	EXPECT_OK_ONE(acct_account_convert(t.admin, t.id[CB], ACCT_TYPE_RESELLER), "account.", 1, t.id[CB], t.id[CB]);
	EXPECT_OK_ONE(acct_account_convert(t.admin, t.id[CB], ACCT_TYPE_CUSTOMER), "account.", 1, t.id[CB], t.id[CB]);
	/* A delete is one event, however many accounts go. */
	EXPECT_OK_ONE(acct_account_delete(t.admin, r1), "account.", 1, r1, r1);
	tree_free(&t);
}
END_TEST

START_TEST(test_perm_and_role_writes)
{
	test_tree t;
	acct_role_id role = 0;
	acct_id c1;

	tree_build(&t);
	c1 = t.id[C1];
	EXPECT_OK_ONE(acct_perm_grant(t.admin, c1, "manage_dns", 1), "perm.", 1, c1, c1);
	EXPECT_OK_ONE(acct_perm_grant(t.admin, c1, "manage_dns", 0), "perm.", 1, c1, c1);
	recorder_reset(&rec);
	ck_assert_ok(acct_role_create(&role, tree_session(&t, C1), c1, "Support"));
	expect_one(0, "role.", c1, c1, c1, "c1 creating a role");
	EXPECT_OK_ONE(acct_role_set_permission(tree_session(&t, C1), role, "browseStats", 1), "role.", c1, c1, 0);
	EXPECT_OK_ONE(acct_user_set_role(tree_session(&t, C1), t.id[U1], role, 1), "role.|user.", c1, t.id[U1], t.id[U1]);
	EXPECT_OK_ONE(acct_user_set_role(tree_session(&t, C1), t.id[U1], role, 0), "role.|user.", c1, t.id[U1], t.id[U1]);
	EXPECT_OK_ONE(acct_role_delete(tree_session(&t, C1), role), "role.", c1, c1, 0);
	tree_free(&t);
}
END_TEST

START_TEST(test_limit_ip_button_writes)
{
	test_tree t;
	int64_t button = 0;
	acct_id r1, c1;

	tree_build(&t);
	r1 = t.id[R1];
	c1 = t.id[C1];
	EXPECT_OK_ONE(acct_limit_set(t.admin, r1, "max_dom", 10), "limit.", 1, r1, r1);
	EXPECT_OK_ONE(acct_limit_set(tree_session(&t, R1), c1, "max_dom", 4), "limit.", r1, c1, c1);
	EXPECT_OK_ONE(acct_limit_unset(tree_session(&t, R1), c1, "max_dom"), "limit.", r1, c1, c1);
	EXPECT_OK_ONE(acct_reseller_policy_set(t.admin, r1, 1, ACCT_OVERUSE_BLOCK), "reseller.|limit.", 1, r1, r1);
	EXPECT_OK_ONE(acct_ip_add(t.admin, 1, "192.0.2.5", ACCT_IP_SHARED), "ip.", 1, 1, 1);
	EXPECT_OK_ONE(acct_ip_add(t.admin, r1, "192.0.2.5", ACCT_IP_SHARED), "ip.", 1, r1, r1);
	EXPECT_OK_ONE(acct_ip_set_type(t.admin, r1, "192.0.2.5", ACCT_IP_EXCLUSIVE), "ip.", 1, r1, r1);
	EXPECT_OK_ONE(acct_ip_remove(t.admin, r1, "192.0.2.5"), "ip.", 1, r1, r1);
	recorder_reset(&rec);
	ck_assert_ok(acct_button_add(&button, tree_session(&t, R1), c1, "Billing", "https://billing.example.com"));
	expect_one(0, "button.", r1, c1, c1, "r1 adding a button");
	EXPECT_OK_ONE(acct_button_remove(tree_session(&t, R1), c1, button), "button.", r1, c1, c1);
	tree_free(&t);
}
END_TEST

START_TEST(test_credential_writes)
{
	test_tree t;
	acct_buf secret = ACCT_BUF_INIT, pw = ACCT_BUF_INIT, tok = ACCT_BUF_INIT;
	acct_id key = 0, api = 0, r1, c1;

	tree_build(&t);
	r1 = t.id[R1];
	c1 = t.id[C1];
	EXPECT_OK_ONE(acct_key_create(&secret, &key, tree_session(&t, R1), c1, "192.0.2.1", "k"), "key.", r1, c1, c1);
	EXPECT_OK_ONE(acct_key_delete(tree_session(&t, R1), key), "key.", r1, c1, c1);
	EXPECT_OK_ONE(acct_apilogin_create(&pw, &api, t.admin, r1, "partner1", ACCT_PARTNER_ALL_RESELLER), "apilogin.",
	              1, r1, r1);
	EXPECT_OK_ONE(acct_apilogin_new_password(&pw, tree_session(&t, R1), api), "apilogin.", r1, r1, r1);
	EXPECT_OK_ONE(acct_apilogin_set_enabled(tree_session(&t, R1), api, 0), "apilogin.", r1, r1, r1);
	EXPECT_OK_ONE(acct_apilogin_set_enabled(tree_session(&t, R1), api, 1), "apilogin.", r1, r1, r1);
	EXPECT_OK_ONE(acct_apilogin_set_role(t.admin, api, ACCT_PARTNER_LIMITED_RESELLER), "apilogin.", 1, r1, r1);
	EXPECT_OK_ONE(acct_apilogin_delete(t.admin, api), "apilogin.", 1, r1, r1);
	EXPECT_OK_ONE(acct_reset_token_create(&tok, tree_session(&t, R1), c1, 0), "reset.", r1, c1, c1);
	recorder_reset(&rec);
	ck_assert_ok(acct_reset_token_redeem(t.ctx, tok.ptr, "Redeemed-pass1"));
	ck_assert_msg(rec.n == 1, "a redeem gave %d events", rec.n);
	ck_assert_msg(rec.ev[0].actor == 0 || rec.ev[0].actor == c1, "a redeem's actor is %" PRId64,
	              rec.ev[0].actor);
	expect_one(0, "reset.", rec.ev[0].actor, c1, c1, "redeeming a token");
	acct_buf_dispose(&secret);
	acct_buf_dispose(&pw);
	acct_buf_dispose(&tok);
	tree_free(&t);
}
END_TEST

/* Session opening is audited too: who, and on failure nobody. */
START_TEST(test_session_events)
{
	test_tree t;
	acct_session *s = NULL;
	int rc;

	tree_build(&t);
	recorder_reset(&rec);
	s = open_session_pw(t.ctx, "c1", TEST_PASSWORD);
	expect_one(0, "session.", t.id[C1], t.id[C1], t.id[C1], "c1 logging in");
	acct_session_free(s);
	s = NULL;
	rc = acct_session_open(&s, t.ctx, "c1", "Wrong-pass-1");
	ck_assert_rc(rc, ACCT_EAUTH);
	ck_assert_int_eq(rec.n, 1);
	ck_assert_str_eq(rec.ev[0].detail, "c1");
	expect_one(rc, "session.", 0, 0, t.id[C1], "a wrong password");
	tree_free(&t);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Denials                                                                  */
/* ------------------------------------------------------------------------ */

START_TEST(test_denials)
{
	test_tree t;
	acct_account *a = NULL;
	acct_buf text = ACCT_BUF_INIT;
	int allowed = -1, kind = -1;
	acct_id c1, c2, r1;

	tree_build(&t);
	c1 = t.id[C1];
	c2 = t.id[C2];
	r1 = t.id[R1];
	/* Refused writes. */
	EXPECT_FAIL_ONE(add_as(NULL, tree_session(&t, R1), r1, ACCT_TYPE_RESELLER, "nope"), ACCT_EDENIED, "account.", r1, r1, 1);
	EXPECT_FAIL_ONE(acct_account_delete(tree_session(&t, C1), c2), ACCT_ENOTFOUND, "account.", c1, c2, c2);
	EXPECT_FAIL_ONE(acct_perm_grant(tree_session(&t, C1), c1, "manage_dns", 1), ACCT_EDENIED, "perm.", c1, c1, c1);
	EXPECT_FAIL_ONE(acct_limit_set(tree_session(&t, R1), r1, "max_dom", 5), ACCT_EDENIED, "limit.", r1, r1, r1);
	ck_assert_ok(acct_limit_set(t.admin, r1, "max_cl", 2));
	EXPECT_FAIL_ONE(add_as(NULL, tree_session(&t, R1), r1, ACCT_TYPE_CUSTOMER, "third"), ACCT_ELIMIT, "account.", r1, r1,
	                r1);
	EXPECT_FAIL_ONE(acct_account_suspend(tree_session(&t, U1), t.id[U1]), ACCT_EDENIED, "account.", t.id[U1], t.id[U1],
	                t.id[U1]);
	/* A refused read. */
	EXPECT_FAIL_ONE(acct_account_lookup(&a, tree_session(&t, C1), c2), ACCT_ENOTFOUND, "account.", c1, c2, c2);
	ck_assert_ptr_null(a);
	/* Denied checks, through the fast path and with an explanation. */
	recorder_reset(&rec);
	ck_assert_ok(acct_check(&allowed, tree_session(&t, C1), "manage_dns", c1));
	ck_assert_int_eq(allowed, 0);
	ck_assert_msg(rec.n == 1, "a denied acct_check gave %d events", rec.n);
	ck_assert_str_eq(rec.ev[0].op, "check");
	ck_assert_int_eq(rec.ev[0].actor, c1);
	ck_assert_int_eq(rec.ev[0].target, c1);
	ck_assert_msg(rec.ev[0].result < 0, "a denied check has result %d", rec.ev[0].result);
	ck_assert_msg(rec.ev[0].text[0] != '\0', "a denied check's event has no text");
	ck_assert_str_eq(rec.ev[0].detail, "manage_dns");
	recorder_reset(&rec);
	ck_assert_ok(acct_check_explain(&allowed, &kind, &text, tree_session(&t, C1), "manage_dns", c2));
	ck_assert_int_eq(kind, ACCT_DENY_OBJECT);
	ck_assert_msg(rec.n == 1, "a denied acct_check_explain gave %d events", rec.n);
	ck_assert_str_eq(rec.ev[0].op, "check");
	ck_assert_int_eq(rec.ev[0].target, c2);
	ck_assert_msg(rec.ev[0].result == ACCT_ENOTFOUND, "an out-of-scope check has result %d", rec.ev[0].result);
	ck_assert_str_eq(rec.ev[0].text, text.ptr);
	/* A check denied because the actor is disabled. */
	ck_assert_ok(acct_account_suspend(t.admin, c1));
	recorder_reset(&rec);
	ck_assert_ok(acct_check(&allowed, tree_session(&t, C1), "manage_dns", c1));
	ck_assert_msg(rec.n == 1 && rec.ev[0].result < 0 && rec.ev[0].text[0],
	              "a disabled actor's check: %d events", rec.n);
	acct_buf_dispose(&text);
	tree_free(&t);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* No secrets                                                               */
/* ------------------------------------------------------------------------ */

static int contains(const test_bytes *b, const char *needle)
{
	size_t n = strlen(needle), i;

	if (!n || b->len < n)
		return 0;
	for (i = 0; i + n <= b->len; i++)
		if (memcmp(b->data + i, needle, n) == 0)
			return 1;
	return 0;
}

START_TEST(test_no_secrets_in_events)
{
	test_tree t;
	acct_session *s = NULL;
	acct_buf key = ACCT_BUF_INIT, pw = ACCT_BUF_INIT, pw2 = ACCT_BUF_INIT, tok = ACCT_BUF_INIT;
	acct_id api = 0, id = 0;
	char secrets[12][256];
	int nsecrets = 0, i;
	acct_account *a;

	tree_build(&t);
	snprintf(secrets[nsecrets++], 256, "%s", TEST_PASSWORD);
	snprintf(secrets[nsecrets++], 256, "%s", TEST_ADMIN_PASSWORD);
	/* Account passwords: on add, on update, at login, wrong ones. */
	ck_assert_ok(acct_account_new(&a, ACCT_TYPE_CUSTOMER));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_LOGIN, "secretive"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_NAME, "Secretive"));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_PASSWORD, "Added-Secret-p4ss"));
	ck_assert_ok(acct_account_add(&id, tree_session(&t, R1), t.id[R1], a));
	acct_account_free(a);
	snprintf(secrets[nsecrets++], 256, "Added-Secret-p4ss");
	ck_assert_ok(update_phone(tree_session(&t, R1), t.admin, id, "5550000", "Updated-Secret-p4ss"));
	snprintf(secrets[nsecrets++], 256, "Updated-Secret-p4ss");
	s = open_session_pw(t.ctx, "secretive", "Updated-Secret-p4ss");
	acct_session_free(s);
	s = NULL;
	ck_assert_rc(acct_session_open(&s, t.ctx, "secretive", "Wrong-Secret-p4ss"), ACCT_EAUTH);
	snprintf(secrets[nsecrets++], 256, "Wrong-Secret-p4ss");
	/* A secret key, used well and from the wrong address. */
	ck_assert_ok(acct_key_create(&key, NULL, tree_session(&t, R1), t.id[C1], "192.0.2.1", "desc"));
	snprintf(secrets[nsecrets++], 256, "%s", key.ptr);
	ck_assert_ok(acct_session_open_key(&s, t.ctx, key.ptr, "192.0.2.1"));
	acct_session_free(s);
	s = NULL;
	ck_assert_rc(acct_session_open_key(&s, t.ctx, key.ptr, "192.0.2.99"), ACCT_EKEY);
	/* An API login: generated passwords, logins with them, a wrong one. */
	ck_assert_ok(acct_apilogin_create(&pw, &api, t.admin, t.id[R1], "partner1", ACCT_PARTNER_ALL_RESELLER));
	snprintf(secrets[nsecrets++], 256, "%s", pw.ptr);
	ck_assert_ok(acct_session_open_api(&s, t.ctx, "partner1", pw.ptr));
	acct_session_free(s);
	s = NULL;
	ck_assert_ok(acct_apilogin_new_password(&pw2, t.admin, api));
	snprintf(secrets[nsecrets++], 256, "%s", pw2.ptr);
	ck_assert_rc(acct_session_open_api(&s, t.ctx, "partner1", pw.ptr), ACCT_EAUTH);
	ck_assert_ok(acct_session_open_api(&s, t.ctx, "partner1", pw2.ptr));
	acct_session_free(s);
	s = NULL;
	/* A reset token: created, redeemed, replayed, with a refused password. */
	ck_assert_ok(acct_reset_token_create(&tok, tree_session(&t, R1), t.id[C1], 0));
	snprintf(secrets[nsecrets++], 256, "%s", tok.ptr);
	ck_assert_rc(acct_reset_token_redeem(t.ctx, tok.ptr, "abc"), ACCT_EINVALID);
	ck_assert_ok(acct_reset_token_redeem(t.ctx, tok.ptr, "Reset-Secret-p4ss"));
	snprintf(secrets[nsecrets++], 256, "Reset-Secret-p4ss");
	ck_assert_rc(acct_reset_token_redeem(t.ctx, tok.ptr, "Reset-Again-p4ss"), ACCT_EAUTH);
	snprintf(secrets[nsecrets++], 256, "Reset-Again-p4ss");
	if (strchr(tok.ptr, '.') && strlen(strchr(tok.ptr, '.') + 1) >= 16)
		snprintf(secrets[nsecrets++], 256, "%s", strchr(tok.ptr, '.') + 1);
	ck_assert_msg(rec.n >= 12, "only %d events for all that", rec.n);
	for (i = 0; i < nsecrets; i++)
		ck_assert_msg(!contains(&rec.all, secrets[i]), "secret '%s' appears in an audit event", secrets[i]);
	acct_buf_dispose(&key);
	acct_buf_dispose(&pw);
	acct_buf_dispose(&pw2);
	acct_buf_dispose(&tok);
	tree_free(&t);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* The callback calls libacct                                               */
/* ------------------------------------------------------------------------ */

typedef struct reentrant {
	acct_ctx *ctx;
	int calls;
	int lookups_ok;      /* lookups of an existing target that worked */
	int errors_seen;     /* failing events where acct_error_last() was readable */
	int bad;             /* something went wrong inside */
	int clobber;         /* make a failing call and clear the error before returning */
	int depth;           /* the callback's own failing calls are audited too: */
	int nested;          /* ... those events are only counted */
} reentrant;

static void reenter(const acct_audit_event *e, void *payload)
{
	reentrant *r = payload;
	acct_session *own = NULL;
	acct_account *a = NULL;
	const acct_error *err = acct_error_last();
	int allowed = -1;

	if (r->depth) {
		r->nested++;
		return;
	}
	r->depth++;
	r->calls++;
	if (!err || !err->message)
		r->bad++;
	else if (e->result < 0)
		r->errors_seen++;
	if (acct_session_open_as(&own, r->ctx, 1) != 0) {
		r->bad++;
		r->depth--;
		return;
	}
	if (e->target > 0 && acct_account_lookup(&a, own, e->target) == 0)
		r->lookups_ok++;
	acct_account_free(a);
	if (acct_check(&allowed, own, "manage_dns", 1) != 0 || allowed != 1)
		r->bad++;
	if (r->clobber) {
		a = NULL;
		(void)acct_account_lookup(&a, own, 999999); /* fails: ENOTFOUND */
		acct_account_free(a);
		acct_error_clear();
	}
	acct_session_free(own);
	r->depth--;
}

START_TEST(test_callback_calls_libacct)
{
	test_tree t;
	reentrant r;
	acct_session *s = NULL;
	acct_buf key = ACCT_BUF_INIT;
	acct_id id = 0;
	int allowed = -1;

	tree_build(&t);
	memset(&r, 0, sizeof r);
	r.ctx = t.ctx;
	ck_assert_ok(acct_ctx_set_audit(t.ctx, reenter, &r));
	ck_assert_ok(add_as(&id, tree_session(&t, R1), t.id[R1], ACCT_TYPE_CUSTOMER, "c-new"));
	ck_assert_rc(add_as(NULL, tree_session(&t, R1), t.id[R1], ACCT_TYPE_RESELLER, "nope"), ACCT_EDENIED);
	ck_assert_ok(update_phone(tree_session(&t, C1), t.admin, t.id[C1], "5550003", NULL));
	ck_assert_ok(acct_check(&allowed, tree_session(&t, C1), "manage_dns", t.id[C2]));
	ck_assert_ok(acct_limit_set(t.admin, t.id[R1], "max_dom", 3));
	ck_assert_ok(acct_key_create(&key, NULL, t.admin, t.id[C1], "192.0.2.1", NULL));
	ck_assert_rc(acct_session_open(&s, t.ctx, "c1", "Wrong-pass-1"), ACCT_EAUTH);
	ck_assert_ok(acct_account_delete(t.admin, id));
	ck_assert_int_eq(r.calls, 8);
	ck_assert_int_eq(r.bad, 0);
	ck_assert_msg(r.lookups_ok >= 5, "only %d lookups inside the callback worked", r.lookups_ok);
	ck_assert_int_eq(r.errors_seen, 3);
	/* Everything still works after. */
	ck_assert_ok(acct_ctx_set_audit(t.ctx, record, &rec));
	EXPECT_OK_ONE(acct_account_suspend(t.admin, t.id[C1B]), "account.", 1, t.id[C1B], t.id[C1B]);
	acct_buf_dispose(&key);
	tree_free(&t);
}
END_TEST

/* After a failing call, acct_error_last() is what the call set, whatever the callback did. */
typedef struct saved_error {
	int code, plesk_code, deny_kind;
	char message[512];
} saved_error;

static void save_error(saved_error *e)
{
	const acct_error *x = acct_error_last();

	e->code = x->code;
	e->plesk_code = x->plesk_code;
	e->deny_kind = x->deny_kind;
	snprintf(e->message, sizeof e->message, "%s", x->message);
}

typedef int (*failing_fn)(test_tree *t);

static int f_create_reseller(test_tree *t) { return add_as(NULL, tree_session(t, R1), t->id[R1], ACCT_TYPE_RESELLER, "nope"); }
static int f_out_of_scope(test_tree *t) { return acct_account_delete(tree_session(t, C1), t->id[C2]); }
static int f_own_limit(test_tree *t) { return acct_limit_set(tree_session(t, R1), t->id[R1], "max_dom", 1); }
static int f_wrong_password(test_tree *t)
{
	acct_session *s = NULL;
	return acct_session_open(&s, t->ctx, "c1", "Wrong-pass-1");
}
static int f_bad_key(test_tree *t)
{
	acct_session *s = NULL;
	return acct_session_open_key(&s, t->ctx, "00000000-0000-4000-8000-000000000000", "192.0.2.1");
}
static int f_grant_user(test_tree *t) { return acct_perm_grant(t->admin, t->id[U1], "manage_dns", 1); }

START_TEST(test_caller_error_unchanged)
{
	static const struct {
		const char *what;
		failing_fn fn;
	} cases[] = {
		{ "a reseller creating a reseller", f_create_reseller },
		{ "a delete out of scope", f_out_of_scope },
		{ "a reseller setting its own limit", f_own_limit },
		{ "a wrong password", f_wrong_password },
		{ "an unknown key", f_bad_key },
		{ "a grant to a user", f_grant_user },
	};
	test_tree t;
	reentrant r;
	size_t i;

	tree_build(&t);
	memset(&r, 0, sizeof r);
	r.ctx = t.ctx;
	r.clobber = 1;
	for (i = 0; i < N_ELEMS(cases); i++) {
		saved_error plain, hooked;
		int rc1, rc2;

		ck_assert_ok(acct_ctx_set_audit(t.ctx, NULL, NULL));
		acct_error_clear();
		rc1 = cases[i].fn(&t);
		save_error(&plain);
		ck_assert_ok(acct_ctx_set_audit(t.ctx, reenter, &r));
		acct_error_clear();
		rc2 = cases[i].fn(&t);
		save_error(&hooked);
		ck_assert_msg(rc1 < 0 && rc1 == rc2, "%s: returned %d without the hook, %d with it", cases[i].what, rc1, rc2);
		ck_assert_msg(hooked.code == rc2, "%s: acct_error_last()->code is %d after the callback, the call returned %d",
		              cases[i].what, hooked.code, rc2);
		ck_assert_msg(hooked.plesk_code == plain.plesk_code, "%s: plesk_code %d with the hook, %d without",
		              cases[i].what, hooked.plesk_code, plain.plesk_code);
		ck_assert_msg(hooked.deny_kind == plain.deny_kind, "%s: deny_kind %d with the hook, %d without", cases[i].what,
		              hooked.deny_kind, plain.deny_kind);
		ck_assert_msg(strcmp(hooked.message, plain.message) == 0,
		              "%s: the message is '%s' with the hook, '%s' without", cases[i].what, hooked.message,
		              plain.message);
	}
	ck_assert_int_eq(r.bad, 0);
	ck_assert_int_eq(r.calls, (int)N_ELEMS(cases));
	tree_free(&t);
}
END_TEST

START_TEST(test_hook_install_remove)
{
	test_tree t;
	acct_id id = 0;

	tree_build(&t);
	ck_assert_rc(acct_ctx_set_audit(NULL, record, &rec), ACCT_EINVALID);
	ck_assert_ok(acct_ctx_set_audit(t.ctx, NULL, NULL));
	recorder_reset(&rec);
	ck_assert_ok(add_as(&id, t.admin, 1, ACCT_TYPE_CUSTOMER, "quiet"));
	ck_assert_rc(add_as(NULL, tree_session(&t, C1), t.id[C1], ACCT_TYPE_CUSTOMER, "quiet2"), ACCT_EDENIED);
	ck_assert_int_eq(rec.n, 0);
	ck_assert_ok(acct_ctx_set_audit(t.ctx, record, &rec));
	EXPECT_OK_ONE(acct_account_delete(t.admin, id), "account.", 1, id, id);
	tree_free(&t);
}
END_TEST

static Suite *audit_suite(void)
{
	Suite *s = suite_create("audit");
	TCase *tc;

	tc = tcase_create("writes");
	tcase_add_test(tc, test_account_writes);
	tcase_add_test(tc, test_perm_and_role_writes);
	tcase_add_test(tc, test_limit_ip_button_writes);
	tcase_add_test(tc, test_credential_writes);
	tcase_add_test(tc, test_session_events);
	suite_add_tcase(s, tc);

	tc = tcase_create("denials");
	tcase_add_test(tc, test_denials);
	suite_add_tcase(s, tc);

	tc = tcase_create("secrets");
	tcase_add_test(tc, test_no_secrets_in_events);
	suite_add_tcase(s, tc);

	tc = tcase_create("callback");
	tcase_add_test(tc, test_callback_calls_libacct);
	tcase_add_test(tc, test_caller_error_unchanged);
	tcase_add_test(tc, test_hook_install_remove);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	return test_run_suite(audit_suite(), 1);
}
