/*
 * check_packet.c - Plesk XML API packets, client side (acct/packet.h).
 *
 * - The typed request builders: what they accept and refuse (with the
 *   message), and what they encode (schema order, each operator's spelling,
 *   escaping, legacy encodings by version).
 * - Every ACCT_OP_* round-tripped: built with acct_request_*, encoded,
 *   answered by acct_agent_handle() on a seeded context, parsed with
 *   acct_response_parse(), read with acct_result_*, and checked against the
 *   store through the C API. Success and failure cases.
 * - The response parser on hand-written replies (system errors, several
 *   operators, legacy forms, unknown operations, entities, hostile or
 *   malformed replies) and on every golden fixture reply.
 * - NULL and invalid arguments everywhere, and the messages they give.
 */
#include "testutil.h"
#include "agent_seed.h"

#include <ctype.h>
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FIXTURES_DIR
#error "FIXTURES_DIR must name tests/fixtures/agent"
#endif

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

#define NO_KEY "00000000-0000-4000-8000-000000000000"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

/* The agent's reply (malloc'd) to `xml`, as the admin. */
static char *agent(seed *sd, const char *xml, size_t len)
{
	acct_credentials c;
	acct_buf out = ACCT_BUF_INIT;
	char *copy;

	ck_assert_ok(acct_credentials_init(&c, ACCT_CREDENTIALS_VERSION));
	c.kind = ACCT_CRED_PASSWORD;
	c.login = TEST_ADMIN_LOGIN;
	c.password = TEST_ADMIN_PASSWORD;
	c.client_ip = CLIENT_IP;
	ck_assert_ok(acct_agent_handle(sd->ctx, &c, xml, len, &out));
	copy = strdup(out.ptr);
	ck_assert_ptr_nonnull(copy);
	acct_buf_dispose(&out);
	return copy;
}

static acct_response *parse(const char *xml)
{
	acct_response *r = NULL;
	ck_assert_msg(acct_response_parse(&r, xml, strlen(xml)) == 0 && r != NULL, "parse failed (%s): %s",
	              acct_error_last()->message, xml);
	return r;
}

/* Encode `req`, send it to the agent, parse the reply; asserts it is no system error. */
static acct_response *send_request(seed *sd, const acct_request *req, char **encoded_out)
{
	acct_buf enc = ACCT_BUF_INIT;
	acct_response *resp;
	const char *text = NULL;
	char *reply;
	int code = 0;

	ck_assert_msg(acct_request_encode(&enc, req) == 0, "encode: %s", acct_error_last()->message);
	ck_assert_ptr_nonnull(enc.ptr);
	ck_assert_uint_eq(strlen(enc.ptr), enc.size);
	reply = agent(sd, enc.ptr, enc.size);
	resp = parse(reply);
	ck_assert_msg(!acct_response_system_error(&code, &text, resp), "system error %d (%s) for request:\n%s", code,
	              text, enc.ptr);
	if (encoded_out != NULL)
		*encoded_out = strdup(enc.ptr);
	acct_buf_dispose(&enc);
	free(reply);
	return resp;
}

static const acct_result *result(const acct_response *r, size_t i)
{
	const acct_result *res = acct_response_result(r, i);
	ck_assert_msg(res != NULL, "no result %zu (of %zu)", i, acct_response_count(r));
	return res;
}

static void assert_ok(const acct_response *r, size_t i)
{
	const acct_result *res = result(r, i);
	ck_assert_msg(acct_result_ok(res), "result %zu failed: %d %s", i, acct_result_errcode(res),
	              acct_result_errtext(res));
	ck_assert_int_eq(acct_result_errcode(res), 0);
	ck_assert_str_eq(acct_result_errtext(res), "");
}

static void assert_fail(const acct_response *r, size_t i, int code, const char *needle)
{
	const acct_result *res = result(r, i);
	ck_assert_msg(!acct_result_ok(res), "result %zu is ok, expected %d", i, code);
	ck_assert_msg(acct_result_errcode(res) == code, "result %zu: %d (%s), expected %d", i, acct_result_errcode(res),
	              acct_result_errtext(res), code);
	ck_assert_msg(acct_result_errtext(res)[0] != '\0', "result %zu has no errtext", i);
	if (needle != NULL)
		ck_assert_msg(strstr(acct_result_errtext(res), needle) != NULL, "result %zu: '%s' lacks '%s'", i,
		              acct_result_errtext(res), needle);
}

static void assert_field(const acct_result *res, int field, const char *want)
{
	const char *got = acct_result_get(res, field);

	if (want == NULL) {
		ck_assert_msg(got == NULL, "field %d is '%s', expected absent", field, got);
		return;
	}
	ck_assert_msg(got != NULL, "field %d is absent, expected '%s'", field, want);
	ck_assert_msg(strcmp(got, want) == 0, "field %d is '%s', expected '%s'", field, got, want);
}

static int is_uuid(const char *s)
{
	if (s == NULL || strlen(s) != 36)
		return 0;
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)s[i])) {
			return 0;
		}
	}
	return 1;
}

/* The value of item `name` (first value) among the items of `kind`, or NULL. */
static const char *item_value(const acct_result *res, int kind, const char *name)
{
	for (size_t i = 0; i < acct_result_item_count(res, kind); i++) {
		const char *n = NULL, *v = NULL;
		ck_assert_ok(acct_result_item(&n, &v, res, kind, i));
		if (n != NULL && strcmp(n, name) == 0)
			return v;
	}
	return NULL;
}

static acct_account *lookup(seed *sd, acct_id id)
{
	acct_account *a = NULL;
	ck_assert_msg(acct_account_lookup(&a, sd->admin, id) == 0, "account %" PRId64 " not found: %s", id,
	              acct_error_last()->message);
	return a;
}

static void assert_gone(seed *sd, acct_id id)
{
	acct_account *a = NULL;
	ck_assert_rc(acct_account_lookup(&a, sd->admin, id), ACCT_ENOTFOUND);
}

static void assert_account_field(seed *sd, acct_id id, int field, const char *want)
{
	acct_account *a = lookup(sd, id);
	const char *got = acct_account_get(a, field);
	ck_assert_msg(got != NULL && strcmp(got, want) == 0, "account %" PRId64 " field %d is '%s', expected '%s'", id,
	              field, got ? got : "(null)", want);
	acct_account_free(a);
}

static int ip_type_of(seed *sd, acct_id account, const char *ip)
{
	acct_ip_iterator *it = NULL;
	const char *have;
	int type = 0, found = 0;

	ck_assert_ok(acct_ip_iterator_new(&it, sd->admin, account));
	while (!found && acct_ip_iterator_next(&have, &type, it) == 0)
		found = strcmp(have, ip) == 0;
	acct_ip_iterator_free(it);
	return found ? type : 0;
}

static void req_ok(int rc)
{
	ck_assert_msg(rc == 0, "builder call returned %d (%s): %s", rc, acct_strerror(rc), acct_error_last()->message);
}

/* Create a login session for cust1 through the agent; its id into `id` (33 bytes). */
static void make_login_session(seed *sd, char id[40])
{
	static const char req[] = "<packet><server><create_session><login>cust1</login><data><user_ip>"
	                          "MTkyLjAuMi45OQ==</user_ip></data></create_session></server></packet>";
	char *reply = agent(sd, req, sizeof req - 1);
	acct_response *r = parse(reply);

	assert_ok(r, 0);
	snprintf(id, 40, "%s", acct_result_get(result(r, 0), ACCT_PFIELD_SESSION_ID));
	ck_assert_uint_eq(strlen(id), 32);
	acct_response_free(r);
	free(reply);
}

/* ------------------------------------------------------------------------ */
/* Round trips: every operation                                             */
/* ------------------------------------------------------------------------ */

typedef struct rt_case {
	const char *name;
	int op;
	const char *version;   /* the request's version; NULL: none */
	size_t nresults;
	void (*build)(acct_request *req, seed *sd);
	void (*check)(const acct_response *r, seed *sd);
} rt_case;

#define B(name) static void build_##name(acct_request *req, seed *sd)
#define C(name) static void check_##name(const acct_response *r, seed *sd)

/* -- customer -- */

B(customer_add)
{
	(void)sd;
	/* set out of schema order on purpose: the encoder sorts */
	req_ok(acct_request_set(req, ACCT_PFIELD_DESCRIPTION, "round <trip> & back"));
	req_ok(acct_request_set(req, ACCT_FIELD_EXTERNAL_ID, "ext-rt"));
	req_ok(acct_request_set(req, ACCT_PFIELD_OWNER_LOGIN, "res1"));
	req_ok(acct_request_set(req, ACCT_FIELD_COUNTRY, "DE"));
	req_ok(acct_request_set(req, ACCT_FIELD_EMAIL, "rt@example.com"));
	req_ok(acct_request_set(req, ACCT_PFIELD_STATUS, "16"));
	req_ok(acct_request_set(req, ACCT_FIELD_PASSWORD, "Rt-pass-1&<>"));
	req_ok(acct_request_set(req, ACCT_FIELD_LOGIN, "rt-cust"));
	req_ok(acct_request_set(req, ACCT_FIELD_NAME, "RT Customer"));
	req_ok(acct_request_set(req, ACCT_FIELD_COMPANY, "R&D \"Labs\" <GmbH>"));
}
C(customer_add)
{
	const acct_result *res = result(r, 0);
	acct_account *a;
	acct_session *s = NULL;

	assert_ok(r, 0);
	ck_assert_int_eq(acct_result_id(res), 9);
	ck_assert_ptr_null(acct_result_filter_id(res));
	ck_assert_msg(is_uuid(acct_result_get(res, ACCT_FIELD_GUID)), "guid %s", acct_result_get(res, ACCT_FIELD_GUID));
	a = lookup(sd, 9);
	ck_assert_str_eq(acct_account_get(a, ACCT_FIELD_LOGIN), "rt-cust");
	ck_assert_str_eq(acct_account_get(a, ACCT_FIELD_COMPANY), "R&D \"Labs\" <GmbH>");
	ck_assert_str_eq(acct_account_get(a, ACCT_FIELD_GUID), acct_result_get(res, ACCT_FIELD_GUID));
	ck_assert_str_eq(acct_account_description(a, 1), "round <trip> & back");
	ck_assert_int_eq(acct_account_owner(a), sd->res1);
	ck_assert_uint_eq(acct_account_status(a), 16);
	acct_account_free(a);
	/* the password arrived intact (escaped on the wire): a disabled account is 1011, not 1001 */
	ck_assert_rc(acct_session_open(&s, sd->ctx, "rt-cust", "Rt-pass-1&<>"), ACCT_EDISABLED);
	ck_assert_rc(acct_session_open(&s, sd->ctx, "rt-cust", "Rt-pass-1"), ACCT_EAUTH);
}

B(customer_add_dup)
{
	(void)sd;
	req_ok(acct_request_set(req, ACCT_FIELD_LOGIN, "cust1"));
	req_ok(acct_request_set(req, ACCT_FIELD_NAME, "Dup"));
	req_ok(acct_request_set(req, ACCT_FIELD_PASSWORD, TEST_PASSWORD));
}
C(customer_add_dup)
{
	(void)sd;
	assert_fail(r, 0, 1007, "cust1");
	ck_assert_int_eq(acct_result_id(result(r, 0)), 0);
	assert_field(result(r, 0), ACCT_FIELD_GUID, NULL);
}

B(customer_get)
{
	(void)sd;
	req_ok(acct_request_filter(req, ACCT_FILTER_LOGIN, "cust1"));
	req_ok(acct_request_filter(req, ACCT_FILTER_LOGIN, "nobody"));
	req_ok(acct_request_filter(req, ACCT_FILTER_LOGIN, "cust2"));
	req_ok(acct_request_dataset(req, ACCT_DATASET_STAT));
	req_ok(acct_request_dataset(req, ACCT_DATASET_GEN_INFO));
}
C(customer_get)
{
	const acct_result *res = result(r, 0);
	const char *n = NULL, *v = NULL;

	(void)sd;
	assert_ok(r, 0);
	ck_assert_str_eq(acct_result_filter_id(res), "cust1");
	ck_assert_int_eq(acct_result_id(res), 4);
	assert_field(res, ACCT_FIELD_CREATED, TEST_CLOCK_START_DATE);
	assert_field(res, ACCT_FIELD_LOGIN, "cust1");
	assert_field(res, ACCT_FIELD_NAME, "Customer One");
	assert_field(res, ACCT_FIELD_COMPANY, "Acme Ltd");
	assert_field(res, ACCT_FIELD_PHONE, "+1 555 0000");
	assert_field(res, ACCT_FIELD_FAX, "");
	assert_field(res, ACCT_FIELD_EMAIL, "cust1@example.com");
	assert_field(res, ACCT_FIELD_COUNTRY, "US");
	assert_field(res, ACCT_FIELD_LOCALE, "en-US");
	assert_field(res, ACCT_FIELD_GUID, GUID_CUST1);
	assert_field(res, ACCT_FIELD_EXTERNAL_ID, "ext-cust1");
	assert_field(res, ACCT_FIELD_PASSWORD, NULL);
	assert_field(res, ACCT_PFIELD_STATUS, "0");
	assert_field(res, ACCT_PFIELD_OWNER_ID, "1");
	assert_field(res, ACCT_PFIELD_OWNER_LOGIN, "admin");
	assert_field(res, ACCT_PFIELD_DESCRIPTION, "seeded by the admin");
	ck_assert_uint_eq(acct_result_item_count(res, ACCT_ITEM_STAT), 12);
	ck_assert_ok(acct_result_item(&n, &v, res, ACCT_ITEM_STAT, 2));
	ck_assert_str_eq(n, "disk_space");
	ck_assert_str_eq(v, "0");
	assert_fail(r, 1, 1013, "nobody");
	ck_assert_str_eq(acct_result_filter_id(result(r, 1)), "nobody");
	assert_field(result(r, 1), ACCT_FIELD_LOGIN, NULL);
	assert_ok(r, 2);
	assert_field(result(r, 2), ACCT_PFIELD_OWNER_LOGIN, "res1");
	assert_field(result(r, 2), ACCT_PFIELD_OWNER_ID, "2");
}

B(customer_get_empty)
{
	(void)sd;
	req_ok(acct_request_filter(req, ACCT_FILTER_OWNER_LOGIN, "res2"));
	req_ok(acct_request_dataset(req, ACCT_DATASET_GEN_INFO));
}
C(customer_get_empty)
{
	const acct_result *res = result(r, 0);
	(void)sd;
	assert_ok(r, 0);
	ck_assert_str_eq(acct_result_filter_id(res), "res2");
	ck_assert_int_eq(acct_result_id(res), 0);
	assert_field(res, ACCT_FIELD_LOGIN, NULL);
}

B(customer_set)
{
	(void)sd;
	req_ok(acct_request_filter(req, ACCT_FILTER_ID, "4"));
	req_ok(acct_request_set(req, ACCT_PFIELD_DESCRIPTION, "changed"));
	req_ok(acct_request_set(req, ACCT_FIELD_EMAIL, "new@example.com"));
	req_ok(acct_request_set(req, ACCT_PFIELD_STATUS, "16"));
	req_ok(acct_request_set(req, ACCT_FIELD_PHONE, ""));
}
C(customer_set)
{
	acct_account *a;

	assert_ok(r, 0);
	ck_assert_str_eq(acct_result_filter_id(result(r, 0)), "4");
	ck_assert_int_eq(acct_result_id(result(r, 0)), 4);
	a = lookup(sd, sd->cust1);
	ck_assert_str_eq(acct_account_get(a, ACCT_FIELD_EMAIL), "new@example.com");
	ck_assert_msg(acct_account_get(a, ACCT_FIELD_PHONE) == NULL || acct_account_get(a, ACCT_FIELD_PHONE)[0] == '\0',
	              "phone not cleared");
	ck_assert_str_eq(acct_account_description(a, 1), "changed");
	ck_assert_uint_eq(acct_account_status(a), 16);
	acct_account_free(a);
}

B(customer_set_status)
{
	(void)sd;
	req_ok(acct_request_filter(req, ACCT_FILTER_EXTERNAL_ID, "ext-cust2"));
	req_ok(acct_request_set(req, ACCT_PFIELD_STATUS, "1"));
}
C(customer_set_status)
{
	assert_fail(r, 0, 1025, NULL);
	ck_assert_str_eq(acct_result_filter_id(result(r, 0)), "ext-cust2");
	ck_assert_uint_eq(status_of(sd->admin, sd->cust2), 0);
}

B(customer_del)
{
	(void)sd;
	req_ok(acct_request_filter(req, ACCT_FILTER_GUID, GUID_CUST1));
	req_ok(acct_request_filter(req, ACCT_FILTER_GUID, NO_KEY));
}
C(customer_del)
{
	assert_ok(r, 0);
	ck_assert_int_eq(acct_result_id(result(r, 0)), 4);
	assert_fail(r, 1, 1013, NULL);
	ck_assert_str_eq(acct_result_filter_id(result(r, 1)), NO_KEY);
	assert_gone(sd, sd->cust1);
	assert_gone(sd, sd->user1); /* the cascade */
}

B(customer_to_reseller)
{
	(void)sd;
	req_ok(acct_request_filter(req, ACCT_FILTER_EXTERNAL_ID, "ext-cust1"));
	req_ok(acct_request_filter(req, ACCT_FILTER_EXTERNAL_ID, "ext-cust2"));
}
C(customer_to_reseller)
{
	assert_ok(r, 0);
	ck_assert_int_eq(acct_result_id(result(r, 0)), 4);
	ck_assert_int_eq(type_of(sd->admin, sd->cust1), ACCT_TYPE_RESELLER);
	ck_assert_int_eq(owner_of(sd->admin, sd->user1), sd->cust1); /* its users stay its users */
	assert_fail(r, 1, 1006, "cust2");
	ck_assert_int_eq(type_of(sd->admin, sd->cust2), ACCT_TYPE_CUSTOMER);
}

B(customer_change_owner)
{
	(void)sd;
	req_ok(acct_request_filter(req, ACCT_FILTER_LOGIN, "cust-off"));
	req_ok(acct_request_set(req, ACCT_PFIELD_NEW_OWNER_LOGIN, "res1"));
	req_ok(acct_request_item(req, ACCT_ITEM_IP, "192.0.2.10", NULL));
}
C(customer_change_owner)
{
	assert_ok(r, 0);
	ck_assert_int_eq(acct_result_id(result(r, 0)), 7);
	ck_assert_int_eq(owner_of(sd->admin, sd->off), sd->res1);
}

B(customer_change_owner_bad)
{
	(void)sd;
	req_ok(acct_request_filter(req, ACCT_FILTER_ID, "7"));
	req_ok(acct_request_set(req, ACCT_PFIELD_NEW_OWNER_LOGIN, "res2"));
	req_ok(acct_request_item(req, ACCT_ITEM_IP, "192.0.2.10", NULL));
}
C(customer_change_owner_bad)
{
	assert_fail(r, 0, 1018, "192.0.2.10");
	ck_assert_int_eq(owner_of(sd->admin, sd->off), 1);
}

B(customer_domains)
{
	(void)sd;
	req_ok(acct_request_filter(req, ACCT_FILTER_OWNER_ID, "2"));
}
C(customer_domains)
{
	(void)sd;
	for (size_t i = 0; i < 2; i++) {
		assert_ok(r, i);
		ck_assert_str_eq(acct_result_filter_id(result(r, i)), "2");
		ck_assert_uint_eq(acct_result_item_count(result(r, i), ACCT_ITEM_DOMAIN), 0);
	}
	ck_assert_int_eq(acct_result_id(result(r, 0)), 5);
	ck_assert_int_eq(acct_result_id(result(r, 1)), 6);
}

/* -- reseller -- */

B(reseller_add)
{
	(void)sd;
	req_ok(acct_request_item(req, ACCT_ITEM_PERMISSION, "create_domains", "true"));
	req_ok(acct_request_item(req, ACCT_ITEM_LIMIT, "max_cl", "3"));
	req_ok(acct_request_item(req, ACCT_ITEM_LIMIT, "disk_space", "-1"));
	req_ok(acct_request_item(req, ACCT_ITEM_PERMISSION, "remote_access_interface", "true"));
	req_ok(acct_request_set(req, ACCT_PFIELD_OVERSELL, "true"));
	req_ok(acct_request_set(req, ACCT_PFIELD_OVERUSE, "notify"));
	req_ok(acct_request_set(req, ACCT_PFIELD_POWER_USER, "false"));
	req_ok(acct_request_set(req, ACCT_FIELD_LOGIN, "rt-res"));
	req_ok(acct_request_set(req, ACCT_FIELD_NAME, "RT Reseller"));
	req_ok(acct_request_set(req, ACCT_FIELD_PASSWORD, TEST_PASSWORD));
	req_ok(acct_request_set(req, ACCT_FIELD_EXTERNAL_ID, "whmcs_1"));
}
C(reseller_add)
{
	int64_t v = 0;
	int granted = 0, oversell = 0, overuse = 0;

	assert_ok(r, 0);
	ck_assert_int_eq(acct_result_id(result(r, 0)), 9);
	ck_assert(is_uuid(acct_result_get(result(r, 0), ACCT_FIELD_GUID)));
	ck_assert_int_eq(type_of(sd->admin, 9), ACCT_TYPE_RESELLER);
	ck_assert_ok(acct_limit_get(&v, NULL, sd->admin, 9, "max_cl"));
	ck_assert_int_eq(v, 3);
	ck_assert_ok(acct_perm_get(&granted, sd->admin, 9, "create_domains"));
	ck_assert_int_eq(granted, 1);
	ck_assert_ok(acct_perm_get(&granted, sd->admin, 9, "remote_access_interface"));
	ck_assert_int_eq(granted, 1);
	ck_assert_ok(acct_reseller_policy_get(&oversell, &overuse, sd->admin, 9));
	ck_assert_int_eq(oversell, 1);
	ck_assert_int_eq(overuse, ACCT_OVERUSE_NOTIFY);
	assert_account_field(sd, 9, ACCT_FIELD_EXTERNAL_ID, "whmcs_1");
}

B(reseller_add_power)
{
	(void)sd;
	req_ok(acct_request_set(req, ACCT_FIELD_LOGIN, "power"));
	req_ok(acct_request_set(req, ACCT_FIELD_NAME, "Power"));
	req_ok(acct_request_set(req, ACCT_FIELD_PASSWORD, TEST_PASSWORD));
	req_ok(acct_request_set(req, ACCT_PFIELD_POWER_USER, "true"));
}
C(reseller_add_power)
{
	acct_account *a = NULL;
	assert_fail(r, 0, 1019, "power-user");
	ck_assert_rc(acct_account_lookup_login(&a, sd->admin, "power"), ACCT_ENOTFOUND);
}

B(reseller_get)
{
	(void)sd;
	req_ok(acct_request_filter(req, ACCT_FILTER_ID, "2"));
	req_ok(acct_request_dataset(req, ACCT_DATASET_GEN_INFO | ACCT_DATASET_STAT | ACCT_DATASET_PERMISSIONS |
	                                     ACCT_DATASET_LIMITS | ACCT_DATASET_IPPOOL));
}
C(reseller_get)
{
	const acct_result *res = result(r, 0);
	const char *ip = NULL, *type = NULL;

	(void)sd;
	assert_ok(r, 0);
	assert_field(res, ACCT_FIELD_LOGIN, "res1");
	assert_field(res, ACCT_FIELD_NAME, "Reseller One");
	assert_field(res, ACCT_FIELD_GUID, GUID_RES1);
	assert_field(res, ACCT_FIELD_EXTERNAL_ID, "ext-res1");
	assert_field(res, ACCT_FIELD_CREATED, TEST_CLOCK_START_DATE);
	assert_field(res, ACCT_PFIELD_POWER_USER, "false");
	assert_field(res, ACCT_PFIELD_STATUS, "0");
	assert_field(res, ACCT_PFIELD_OWNER_LOGIN, NULL); /* resellers have no owner fields */
	assert_field(res, ACCT_PFIELD_OVERSELL, "false");
	assert_field(res, ACCT_PFIELD_OVERUSE, "normal");
	ck_assert_str_eq(item_value(res, ACCT_ITEM_PERMISSION, "remote_access_interface"), "true");
	ck_assert_str_eq(item_value(res, ACCT_ITEM_PERMISSION, "create_clients"), "true");
	ck_assert_str_eq(item_value(res, ACCT_ITEM_PERMISSION, "manage_dns"), "false");
	ck_assert_str_eq(item_value(res, ACCT_ITEM_LIMIT, "max_cl"), "10");
	ck_assert_str_eq(item_value(res, ACCT_ITEM_LIMIT, "max_dom"), "-1");
	ck_assert_uint_eq(acct_result_item_count(res, ACCT_ITEM_LIMIT), acct_limit_count());
	ck_assert_str_eq(item_value(res, ACCT_ITEM_STAT, "clients"), "2");
	ck_assert_str_eq(item_value(res, ACCT_ITEM_STAT, "active-clients"), "2");
	ck_assert_uint_eq(acct_result_item_count(res, ACCT_ITEM_IP), 2);
	ck_assert_ok(acct_result_item(&ip, &type, res, ACCT_ITEM_IP, 1));
	ck_assert_str_eq(ip, "192.0.2.11");
	ck_assert_str_eq(type, "exclusive");
}

B(reseller_set)
{
	(void)sd;
	req_ok(acct_request_filter(req, ACCT_FILTER_LOGIN, "res2"));
	req_ok(acct_request_set(req, ACCT_FIELD_NAME, "Reseller 2"));
	req_ok(acct_request_item(req, ACCT_ITEM_LIMIT, "max_cl", "4"));
	req_ok(acct_request_item(req, ACCT_ITEM_PERMISSION, "cp_access", "true"));
	req_ok(acct_request_set(req, ACCT_PFIELD_OVERUSE, "block"));
}
C(reseller_set)
{
	int64_t v = 0;
	int granted = 0, oversell = 1, overuse = 0;

	assert_ok(r, 0);
	ck_assert_int_eq(acct_result_id(result(r, 0)), 3);
	assert_account_field(sd, sd->res2, ACCT_FIELD_NAME, "Reseller 2");
	ck_assert_ok(acct_limit_get(&v, NULL, sd->admin, sd->res2, "max_cl"));
	ck_assert_int_eq(v, 4);
	ck_assert_ok(acct_perm_get(&granted, sd->admin, sd->res2, "cp_access"));
	ck_assert_int_eq(granted, 1);
	ck_assert_ok(acct_reseller_policy_get(&oversell, &overuse, sd->admin, sd->res2));
	ck_assert_int_eq(oversell, 0);
	ck_assert_int_eq(overuse, ACCT_OVERUSE_BLOCK);
}

B(reseller_set_limit)
{
	(void)sd;
	req_ok(acct_request_filter(req, ACCT_FILTER_GUID, GUID_RES1));
	req_ok(acct_request_item(req, ACCT_ITEM_LIMIT, "max_cl", "1"));
}
C(reseller_set_limit)
{
	int64_t v = 0;
	assert_fail(r, 0, 1024, "max_cl");
	ck_assert_ok(acct_limit_get(&v, NULL, sd->admin, sd->res1, "max_cl"));
	ck_assert_int_eq(v, 10);
}

B(reseller_del)
{
	(void)sd;
	req_ok(acct_request_filter(req, ACCT_FILTER_LOGIN, "res1"));
}
C(reseller_del)
{
	assert_ok(r, 0);
	assert_gone(sd, sd->res1);
	assert_gone(sd, sd->cust2); /* the subtree goes with it */
	assert_gone(sd, sd->cust3);
}

B(reseller_ippool_add)
{
	(void)sd;
	req_ok(acct_request_set(req, ACCT_PFIELD_ACCOUNT_ID, "3"));
	req_ok(acct_request_item(req, ACCT_ITEM_IP, "192.0.2.12", "exclusive"));
	req_ok(acct_request_item(req, ACCT_ITEM_IP, "192.0.2.11", NULL));
	req_ok(acct_request_item(req, ACCT_ITEM_IP, "192.0.2.13", "shared"));
}
C(reseller_ippool_add)
{
	assert_ok(r, 0);
	assert_field(result(r, 0), ACCT_PFIELD_IP_ADDRESS, "192.0.2.12");
	/* the failed address is named in its result */
	assert_fail(r, 1, 1007, "exclusive");
	assert_field(result(r, 1), ACCT_PFIELD_IP_ADDRESS, "192.0.2.11");
	assert_ok(r, 2);
	assert_field(result(r, 2), ACCT_PFIELD_IP_ADDRESS, "192.0.2.13");
	ck_assert_int_eq(ip_type_of(sd, sd->res2, "192.0.2.12"), ACCT_IP_EXCLUSIVE);
	ck_assert_int_eq(ip_type_of(sd, sd->res2, "192.0.2.13"), ACCT_IP_SHARED);
	ck_assert_int_eq(ip_type_of(sd, sd->res2, "192.0.2.11"), 0);
}

B(reseller_ippool_add_customer)
{
	(void)sd;
	req_ok(acct_request_set(req, ACCT_FIELD_EXTERNAL_ID, "ext-cust1"));
	req_ok(acct_request_item(req, ACCT_ITEM_IP, "192.0.2.12", NULL));
}
C(reseller_ippool_add_customer)
{
	(void)sd;
	assert_fail(r, 0, 1013, "ext-cust1");
}

B(reseller_ippool_del)
{
	(void)sd;
	req_ok(acct_request_set(req, ACCT_PFIELD_ACCOUNT_ID, "2"));
	req_ok(acct_request_item(req, ACCT_ITEM_IP, "192.0.2.99", NULL));
	req_ok(acct_request_item(req, ACCT_ITEM_IP, "192.0.2.10", NULL));
}
C(reseller_ippool_del)
{
	assert_fail(r, 0, 1013, "192.0.2.99");
	assert_field(result(r, 0), ACCT_PFIELD_IP_ADDRESS, "192.0.2.99");
	assert_ok(r, 1);
	assert_field(result(r, 1), ACCT_PFIELD_IP_ADDRESS, "192.0.2.10");
	ck_assert_int_eq(ip_type_of(sd, sd->res1, "192.0.2.10"), 0);
}

B(reseller_ippool_set)
{
	(void)sd;
	req_ok(acct_request_set(req, ACCT_FIELD_EXTERNAL_ID, "ext-res1"));
	req_ok(acct_request_filter(req, ACCT_FILTER_IP_ADDRESS, "192.0.2.10"));
	req_ok(acct_request_set(req, ACCT_PFIELD_IP_TYPE, "exclusive"));
}
C(reseller_ippool_set)
{
	assert_ok(r, 0);
	assert_field(result(r, 0), ACCT_PFIELD_IP_ADDRESS, "192.0.2.10");
	ck_assert_int_eq(ip_type_of(sd, sd->res1, "192.0.2.10"), ACCT_IP_EXCLUSIVE);
}

B(reseller_buttons)
{
	(void)sd;
	req_ok(acct_request_filter(req, ACCT_FILTER_ID, "2"));
	req_ok(acct_request_filter(req, ACCT_FILTER_ID, "3"));
}
C(reseller_buttons)
{
	const acct_result *res = result(r, 0);
	const char *id = NULL, *label = NULL;

	(void)sd;
	assert_ok(r, 0);
	ck_assert_uint_eq(acct_result_item_count(res, ACCT_ITEM_BUTTON), 1);
	ck_assert_ok(acct_result_item(&id, &label, res, ACCT_ITEM_BUTTON, 0));
	ck_assert_str_eq(id, "1");
	ck_assert_str_eq(label, "Help");
	ck_assert_str_eq(acct_result_item_get(res, ACCT_ITEM_BUTTON, 0, "url"), "https://help.example/");
	assert_ok(r, 1);
	ck_assert_uint_eq(acct_result_item_count(result(r, 1), ACCT_ITEM_BUTTON), 0);
}

B(reseller_limit_descriptor)
{
	(void)sd;
	req_ok(acct_request_filter(req, ACCT_FILTER_ID, "2"));
}
C(reseller_limit_descriptor)
{
	const acct_result *res = result(r, 0);
	const char *name = NULL, *type = NULL;

	(void)sd;
	assert_ok(r, 0);
	ck_assert_uint_eq(acct_result_item_count(res, ACCT_ITEM_PROPERTY), acct_limit_count());
	ck_assert_ok(acct_result_item(&name, &type, res, ACCT_ITEM_PROPERTY, 0));
	ck_assert_str_eq(name, "max_cl");
	ck_assert_str_eq(type, "int");
	ck_assert_str_eq(acct_result_item_get(res, ACCT_ITEM_PROPERTY, 0, "label"), "limit__max_cl");
	ck_assert_str_eq(acct_result_item_get(res, ACCT_ITEM_PROPERTY, 0, "default-value"), "-1");
	ck_assert_str_eq(acct_result_item_get(res, ACCT_ITEM_PROPERTY, 0, "writable-by"), "admin");
	ck_assert_str_eq(acct_result_item_get(res, ACCT_ITEM_PROPERTY, 0, "extension/shared"), "false");
}

B(reseller_perm_descriptor)
{
	(void)sd;
	req_ok(acct_request_filter(req, ACCT_FILTER_ALL, NULL));
}
C(reseller_perm_descriptor)
{
	const acct_result *res = result(r, 0);
	const char *name = NULL, *type = NULL;
	int n = acct_perm_count(sd->ctx, ACCT_CATALOG_ACCOUNT);

	assert_ok(r, 0);
	assert_ok(r, 1);
	ck_assert_ptr_null(acct_result_filter_id(res));
	ck_assert_int_eq(acct_result_id(res), 2);
	ck_assert_int_eq(acct_result_id(result(r, 1)), 3);
	ck_assert_int_gt(n, 0);
	ck_assert_uint_eq(acct_result_item_count(res, ACCT_ITEM_PROPERTY), (size_t)n);
	ck_assert_ok(acct_result_item(&name, &type, res, ACCT_ITEM_PROPERTY, 0));
	ck_assert_str_eq(name, "create_clients");
	ck_assert_str_eq(type, "boolean");
	ck_assert_str_eq(acct_result_item_get(res, ACCT_ITEM_PROPERTY, 0, "extension/level"), "reseller");
	ck_assert_str_eq(acct_result_item_get(res, ACCT_ITEM_PROPERTY, 0, "default-value"), "true");
}

B(reseller_to_customer)
{
	(void)sd;
	req_ok(acct_request_filter(req, ACCT_FILTER_LOGIN, "res2"));
	req_ok(acct_request_filter(req, ACCT_FILTER_LOGIN, "res1"));
}
C(reseller_to_customer)
{
	assert_ok(r, 0);
	ck_assert_int_eq(type_of(sd->admin, sd->res2), ACCT_TYPE_CUSTOMER);
	assert_fail(r, 1, 1006, "res1");
	ck_assert_int_eq(type_of(sd->admin, sd->res1), ACCT_TYPE_RESELLER);
}

/* -- legacy client -- */

B(client_add)
{
	(void)sd;
	req_ok(acct_request_set(req, ACCT_FIELD_LOGIN, "legacy"));
	req_ok(acct_request_set(req, ACCT_FIELD_NAME, "Legacy Client"));
	req_ok(acct_request_set(req, ACCT_FIELD_PASSWORD, TEST_PASSWORD));
	req_ok(acct_request_set(req, ACCT_FIELD_COMPANY, "Old Co"));
}
C(client_add)
{
	assert_ok(r, 0);
	ck_assert_int_eq(acct_result_id(result(r, 0)), 9);
	ck_assert_int_eq(type_of(sd->admin, 9), ACCT_TYPE_CUSTOMER);
	assert_account_field(sd, 9, ACCT_FIELD_COMPANY, "Old Co");
}

B(client_get_14)
{
	ck_assert_ok(acct_limit_set(sd->admin, sd->cust1, "max_dom", 12));
	req_ok(acct_request_filter(req, ACCT_FILTER_ID, "4"));
	req_ok(acct_request_dataset(req, ACCT_DATASET_GEN_INFO | ACCT_DATASET_PERMISSIONS | ACCT_DATASET_LIMITS |
	                                     ACCT_DATASET_IPPOOL));
}
C(client_get_14)
{
	const acct_result *res = result(r, 0);

	(void)sd;
	assert_ok(r, 0);
	assert_field(res, ACCT_FIELD_LOGIN, "cust1");
	assert_field(res, ACCT_FIELD_GUID, GUID_CUST1);
	/* element-per-name items read back as (name, value) */
	ck_assert_str_eq(item_value(res, ACCT_ITEM_LIMIT, "max_dom"), "12");
	ck_assert_str_eq(item_value(res, ACCT_ITEM_PERMISSION, "create_domains"), "false");
	ck_assert_ptr_null(item_value(res, ACCT_ITEM_PERMISSION, "create_clients")); /* reseller-only */
	ck_assert_uint_eq(acct_result_item_count(res, ACCT_ITEM_IP), 0);
}

C(client_get_15)
{
	const acct_result *res = result(r, 0);
	(void)sd;
	assert_ok(r, 0);
	ck_assert_str_eq(item_value(res, ACCT_ITEM_LIMIT, "max_dom"), "12");
	ck_assert_str_eq(item_value(res, ACCT_ITEM_PERMISSION, "remote_access_interface"), "false");
}

B(client_set)
{
	(void)sd;
	req_ok(acct_request_filter(req, ACCT_FILTER_LOGIN, "cust1"));
	req_ok(acct_request_item(req, ACCT_ITEM_LIMIT, "max_dom", "5"));
	req_ok(acct_request_item(req, ACCT_ITEM_PERMISSION, "manage_dns", "true"));
	req_ok(acct_request_set(req, ACCT_PFIELD_STATUS, "16"));
}
C(client_set)
{
	int64_t v = 0;
	int granted = 0;

	assert_ok(r, 0);
	ck_assert_ok(acct_limit_get(&v, NULL, sd->admin, sd->cust1, "max_dom"));
	ck_assert_int_eq(v, 5);
	ck_assert_ok(acct_perm_get(&granted, sd->admin, sd->cust1, "manage_dns"));
	ck_assert_int_eq(granted, 1);
	ck_assert_uint_eq(status_of(sd->admin, sd->cust1), 16);
}

B(client_del)
{
	(void)sd;
	req_ok(acct_request_filter(req, ACCT_FILTER_ID, "7"));
	req_ok(acct_request_filter(req, ACCT_FILTER_ID, "2"));
}
C(client_del)
{
	assert_ok(r, 0);
	assert_gone(sd, sd->off);
	assert_fail(r, 1, 1013, "client");
}

B(client_ippool_add)
{
	(void)sd;
	req_ok(acct_request_set(req, ACCT_PFIELD_ACCOUNT_ID, "5"));
	req_ok(acct_request_set(req, ACCT_PFIELD_IP_ADDRESS, "192.0.2.10"));
}
C(client_ippool_add)
{
	assert_ok(r, 0);
	assert_field(result(r, 0), ACCT_PFIELD_IP_ADDRESS, "192.0.2.10");
	ck_assert_int_eq(ip_type_of(sd, sd->cust2, "192.0.2.10"), ACCT_IP_SHARED);
}

B(client_ippool_add_exclusive)
{
	(void)sd;
	req_ok(acct_request_set(req, ACCT_PFIELD_ACCOUNT_ID, "4"));
	req_ok(acct_request_set(req, ACCT_PFIELD_IP_ADDRESS, "192.0.2.11"));
}
C(client_ippool_add_exclusive)
{
	assert_fail(r, 0, 1007, "exclusive");
	assert_field(result(r, 0), ACCT_PFIELD_IP_ADDRESS, "192.0.2.11");
	ck_assert_int_eq(ip_type_of(sd, sd->cust1, "192.0.2.11"), 0);
}

B(client_ippool_del)
{
	ck_assert_ok(acct_ip_add(sd->admin, sd->cust2, "192.0.2.10", ACCT_IP_SHARED));
	req_ok(acct_request_set(req, ACCT_PFIELD_ACCOUNT_ID, "5"));
	req_ok(acct_request_set(req, ACCT_PFIELD_IP_ADDRESS, "192.0.2.10"));
}
C(client_ippool_del)
{
	assert_ok(r, 0);
	assert_field(result(r, 0), ACCT_PFIELD_IP_ADDRESS, "192.0.2.10");
	ck_assert_int_eq(ip_type_of(sd, sd->cust2, "192.0.2.10"), 0);
}

B(client_buttons)
{
	int64_t id = 0;
	ck_assert_ok(acct_button_add(&id, sd->admin, sd->cust1, "Docs", "https://docs.example/?a=1&b=2"));
	req_ok(acct_request_filter(req, ACCT_FILTER_LOGIN, "cust1"));
}
C(client_buttons)
{
	(void)sd;
	assert_ok(r, 0);
	ck_assert_uint_eq(acct_result_item_count(result(r, 0), ACCT_ITEM_BUTTON), 1);
	ck_assert_str_eq(acct_result_item_get(result(r, 0), ACCT_ITEM_BUTTON, 0, "label"), "Docs");
	ck_assert_str_eq(acct_result_item_get(result(r, 0), ACCT_ITEM_BUTTON, 0, "url"), "https://docs.example/?a=1&b=2");
}

C(client_limit_descriptor)
{
	const acct_result *res = result(r, 0);
	(void)sd;
	assert_ok(r, 0);
	ck_assert_ptr_null(acct_result_filter_id(res));
	ck_assert_int_eq(acct_result_id(res), 0);
	/* max_cl is a reseller's limit */
	ck_assert_uint_eq(acct_result_item_count(res, ACCT_ITEM_PROPERTY), acct_limit_count() - 1);
}

B(client_perm_descriptor)
{
	(void)sd;
	req_ok(acct_request_filter(req, ACCT_FILTER_ID, "4"));
}
C(client_perm_descriptor)
{
	const acct_result *res = result(r, 0);
	const char *name = NULL;

	(void)sd;
	assert_ok(r, 0);
	ck_assert_uint_gt(acct_result_item_count(res, ACCT_ITEM_PROPERTY), 20);
	for (size_t i = 0; i < acct_result_item_count(res, ACCT_ITEM_PROPERTY); i++) {
		ck_assert_ok(acct_result_item(&name, NULL, res, ACCT_ITEM_PROPERTY, i));
		ck_assert_msg(strcmp(name, "create_clients") != 0, "a customer's descriptor has create_clients");
	}
}

B(client_to_reseller)
{
	(void)sd;
	req_ok(acct_request_filter(req, ACCT_FILTER_LOGIN, "cust1"));
}
C(client_to_reseller)
{
	assert_ok(r, 0);
	ck_assert_int_eq(type_of(sd->admin, sd->cust1), ACCT_TYPE_RESELLER);
}

B(client_change_owner)
{
	(void)sd;
	req_ok(acct_request_filter(req, ACCT_FILTER_ID, "5"));
	req_ok(acct_request_set(req, ACCT_PFIELD_NEW_OWNER_LOGIN, "admin"));
}
C(client_change_owner)
{
	assert_ok(r, 0);
	ck_assert_int_eq(owner_of(sd->admin, sd->cust2), 1);
}

/* -- user -- */

B(user_add)
{
	(void)sd;
	req_ok(acct_request_set(req, ACCT_FIELD_EMAIL, "u@example.com"));
	req_ok(acct_request_set(req, ACCT_FIELD_CITY, "Oslo"));
	req_ok(acct_request_set(req, ACCT_FIELD_COMPANY, "Acme"));
	req_ok(acct_request_set(req, ACCT_PFIELD_STATUS, "0")); /* users: 0 is disabled */
	req_ok(acct_request_set(req, ACCT_FIELD_LOGIN, "rt-user"));
	req_ok(acct_request_set(req, ACCT_FIELD_PASSWORD, TEST_PASSWORD));
	req_ok(acct_request_set(req, ACCT_FIELD_NAME, "RT User"));
	req_ok(acct_request_set(req, ACCT_PFIELD_OWNER_GUID, GUID_CUST1));
	req_ok(acct_request_set(req, ACCT_FIELD_EXTERNAL_ID, "ext-rt-user"));
	req_ok(acct_request_item(req, ACCT_ITEM_ROLE, "Support", NULL));
	req_ok(acct_request_item(req, ACCT_ITEM_ROLE, "Accountant", NULL));
}
C(user_add)
{
	acct_role_iterator *it = NULL;
	acct_role_id role;
	unsigned int st = 0;
	int n = 0;

	assert_ok(r, 0);
	ck_assert_int_eq(acct_result_id(result(r, 0)), 9);
	ck_assert(is_uuid(acct_result_get(result(r, 0), ACCT_FIELD_GUID)));
	ck_assert_int_eq(owner_of(sd->admin, 9), sd->cust1);
	ck_assert_int_eq(type_of(sd->admin, 9), ACCT_TYPE_USER);
	ck_assert_ok(acct_account_effective_status(&st, sd->admin, 9));
	ck_assert_uint_ne(st, 0);
	assert_account_field(sd, 9, ACCT_FIELD_CITY, "Oslo");
	assert_account_field(sd, 9, ACCT_FIELD_EMAIL, "u@example.com");
	ck_assert_ok(acct_role_iterator_new_user(&it, sd->admin, 9));
	while (acct_role_iterator_next(&role, it) == 0)
		n++;
	acct_role_iterator_free(it);
	ck_assert_int_eq(n, 2);
}

B(user_add_role)
{
	(void)sd;
	req_ok(acct_request_set(req, ACCT_FIELD_LOGIN, "rt-user"));
	req_ok(acct_request_set(req, ACCT_FIELD_PASSWORD, TEST_PASSWORD));
	req_ok(acct_request_set(req, ACCT_FIELD_NAME, "RT User"));
	req_ok(acct_request_set(req, ACCT_PFIELD_OWNER_EXTERNAL_ID, "ext-cust1"));
	req_ok(acct_request_item(req, ACCT_ITEM_ROLE, "No Such Role", NULL));
}
C(user_add_role)
{
	acct_account *a = NULL;
	assert_fail(r, 0, 1013, "No Such Role");
	/* all or nothing: the user is not left behind */
	ck_assert_rc(acct_account_lookup_login(&a, sd->admin, "rt-user"), ACCT_ENOTFOUND);
}

B(user_get)
{
	(void)sd;
	req_ok(acct_request_filter(req, ACCT_FILTER_OWNER_GUID, GUID_CUST1));
	req_ok(acct_request_dataset(req, ACCT_DATASET_GEN_INFO | ACCT_DATASET_ROLES));
}
C(user_get)
{
	const acct_result *res = result(r, 0);
	const char *role = NULL;

	(void)sd;
	assert_ok(r, 0);
	ck_assert_str_eq(acct_result_filter_id(res), GUID_CUST1);
	ck_assert_int_eq(acct_result_id(res), 8);
	assert_field(res, ACCT_FIELD_LOGIN, "user1");
	assert_field(res, ACCT_FIELD_NAME, "User One");
	assert_field(res, ACCT_PFIELD_OWNER_GUID, GUID_CUST1);
	assert_field(res, ACCT_PFIELD_STATUS, "enabled");
	assert_field(res, ACCT_FIELD_GUID, GUID_USER1);
	assert_field(res, ACCT_PFIELD_IS_BUILT_IN, "false");
	assert_field(res, ACCT_FIELD_EXTERNAL_ID, "ext-user1");
	assert_field(res, ACCT_FIELD_CITY, ""); /* inside contact-info */
	ck_assert_uint_eq(acct_result_item_count(res, ACCT_ITEM_ROLE), 1);
	ck_assert_ok(acct_result_item(&role, NULL, res, ACCT_ITEM_ROLE, 0));
	ck_assert_str_eq(role, "Support");
}

B(user_set)
{
	(void)sd;
	req_ok(acct_request_filter(req, ACCT_FILTER_EXTERNAL_ID, "ext-user1"));
	req_ok(acct_request_set(req, ACCT_PFIELD_STATUS, "disabled"));
	req_ok(acct_request_set(req, ACCT_FIELD_CITY, "Bergen"));
	req_ok(acct_request_set(req, ACCT_FIELD_LOGIN, "user-one"));
	req_ok(acct_request_item(req, ACCT_ITEM_ROLE, "Accountant", NULL));
}
C(user_set)
{
	acct_role_iterator *it = NULL;
	acct_role_id role;
	acct_buf name = ACCT_BUF_INIT;
	unsigned int st = 0;

	assert_ok(r, 0);
	ck_assert_ok(acct_account_effective_status(&st, sd->admin, sd->user1));
	ck_assert_uint_ne(st, 0);
	assert_account_field(sd, sd->user1, ACCT_FIELD_CITY, "Bergen");
	assert_account_field(sd, sd->user1, ACCT_FIELD_LOGIN, "user-one");
	ck_assert_ok(acct_role_iterator_new_user(&it, sd->admin, sd->user1));
	ck_assert_ok(acct_role_iterator_next(&role, it));
	ck_assert_ok(acct_role_info(&name, NULL, NULL, sd->admin, role));
	ck_assert_str_eq(name.ptr, "Accountant");
	ck_assert_rc(acct_role_iterator_next(&role, it), ACCT_ITEROVER);
	acct_role_iterator_free(it);
	acct_buf_dispose(&name);
}

B(user_del)
{
	(void)sd;
	req_ok(acct_request_filter(req, ACCT_FILTER_GUID, GUID_USER1));
}
C(user_del)
{
	assert_ok(r, 0);
	assert_gone(sd, sd->user1);
}

C(gated)
{
	(void)sd;
	assert_fail(r, 0, 1017, "not part of protocol version");
}

/* -- secret_key -- */

B(key_create)
{
	(void)sd;
	req_ok(acct_request_set(req, ACCT_FIELD_LOGIN, "res1"));
	req_ok(acct_request_set(req, ACCT_PFIELD_DESCRIPTION, "rt key"));
	req_ok(acct_request_set(req, ACCT_PFIELD_IP_ADDRESS, "192.0.2.77"));
}
C(key_create)
{
	const char *key = acct_result_get(result(r, 0), ACCT_PFIELD_KEY);
	acct_session *s = NULL;

	assert_ok(r, 0);
	ck_assert_msg(is_uuid(key), "key %s", key ? key : "(none)");
	ck_assert_ok(acct_session_open_key(&s, sd->ctx, key, "192.0.2.77"));
	ck_assert_int_eq(acct_session_account(s), sd->res1);
	acct_session_free(s);
	ck_assert_rc(acct_session_open_key(&s, sd->ctx, key, CLIENT_IP), ACCT_EKEY);
}

B(key_get_info)
{
	req_ok(acct_request_filter(req, ACCT_FILTER_KEY, sd->key));
	req_ok(acct_request_filter(req, ACCT_FILTER_KEY, NO_KEY));
}
C(key_get_info)
{
	const acct_result *res = result(r, 0);
	const char *key = NULL, *ip = NULL;

	assert_ok(r, 0);
	ck_assert_uint_eq(acct_result_item_count(res, ACCT_ITEM_KEY_INFO), 1);
	ck_assert_ok(acct_result_item(&key, &ip, res, ACCT_ITEM_KEY_INFO, 0));
	ck_assert_str_eq(key, sd->key);
	ck_assert_str_eq(ip, CLIENT_IP);
	ck_assert_str_eq(acct_result_item_get(res, ACCT_ITEM_KEY_INFO, 0, "description"), "seed key");
	ck_assert_str_eq(acct_result_item_get(res, ACCT_ITEM_KEY_INFO, 0, "login"), "admin");
	assert_fail(r, 1, 1013, NULL);
	assert_field(result(r, 1), ACCT_PFIELD_KEY, NO_KEY);
}

B(key_delete)
{
	req_ok(acct_request_filter(req, ACCT_FILTER_KEY, NO_KEY));
	req_ok(acct_request_filter(req, ACCT_FILTER_KEY, sd->key));
}
C(key_delete)
{
	acct_session *s = NULL;

	assert_fail(r, 0, 1013, NULL);
	assert_field(result(r, 0), ACCT_PFIELD_KEY, NO_KEY);
	assert_ok(r, 1);
	assert_field(result(r, 1), ACCT_PFIELD_KEY, sd->key);
	ck_assert_rc(acct_session_open_key(&s, sd->ctx, sd->key, CLIENT_IP), ACCT_EKEY);
}

/* -- server and session -- */

B(none)
{
	(void)req;
	(void)sd;
}
C(get_protos)
{
	const acct_result *res = result(r, 0);
	size_t n = acct_result_item_count(res, ACCT_ITEM_PROTO);
	const char *v = NULL;

	(void)sd;
	assert_ok(r, 0);
	ck_assert_uint_eq(n, 33);
	/* what the PHP client's tests expect */
	ck_assert_ok(acct_result_item(&v, NULL, res, ACCT_ITEM_PROTO, 20));
	ck_assert_str_eq(v, "1.6.3.0");
	ck_assert_ok(acct_result_item(&v, NULL, res, ACCT_ITEM_PROTO, 28));
	ck_assert_str_eq(v, "1.6.6.0");
	ck_assert_ok(acct_result_item(&v, NULL, res, ACCT_ITEM_PROTO, n - 1));
	ck_assert_str_eq(v, acct_agent_protocol_version());
	ck_assert_rc(acct_result_item(&v, NULL, res, ACCT_ITEM_PROTO, n), ACCT_ENOTFOUND);
	ck_assert_ptr_null(v);
}

B(server_get)
{
	(void)sd;
	req_ok(acct_request_dataset(req, ACCT_DATASET_GEN_INFO));
	req_ok(acct_request_dataset(req, ACCT_DATASET_KEY));
}
C(server_get)
{
	const acct_result *res = result(r, 0);
	(void)sd;
	assert_ok(r, 0);
	assert_field(res, ACCT_PFIELD_SERVER_NAME, SERVER_NAME);
	ck_assert(is_uuid(acct_result_get(res, ACCT_FIELD_GUID)));
	ck_assert_uint_eq(acct_result_item_count(res, ACCT_ITEM_KEY_PROPERTY), 6);
	ck_assert_str_eq(item_value(res, ACCT_ITEM_KEY_PROPERTY, "lim_cl"), "-1");
	ck_assert_str_eq(item_value(res, ACCT_ITEM_KEY_PROPERTY, "can-manage-resellers"), "true");
	ck_assert_str_eq(item_value(res, ACCT_ITEM_KEY_PROPERTY, "plesk_key_id"), acct_result_get(res, ACCT_FIELD_GUID));
}

B(create_session)
{
	(void)sd;
	req_ok(acct_request_set(req, ACCT_FIELD_LOGIN, "cust2"));
	req_ok(acct_request_set(req, ACCT_PFIELD_IP_ADDRESS, "2001:db8::7"));
}
C(create_session)
{
	const acct_result *res = result(r, 0);
	const char *id = acct_result_get(res, ACCT_PFIELD_SESSION_ID);
	char *reply;
	acct_response *list;

	assert_ok(r, 0);
	ck_assert_int_eq(acct_result_id(res), 0);
	ck_assert_msg(id != NULL && strlen(id) == 32, "session id %s", id ? id : "(none)");
	reply = agent(sd, "<packet><session><get/></session></packet>", 42);
	list = parse(reply);
	ck_assert_str_eq(acct_result_item_get(result(list, 0), ACCT_ITEM_SESSION, 0, "id"), id);
	ck_assert_str_eq(acct_result_item_get(result(list, 0), ACCT_ITEM_SESSION, 0, "ip-address"), "2001:db8::7");
	acct_response_free(list);
	free(reply);
}

B(create_session_disabled)
{
	(void)sd;
	req_ok(acct_request_set(req, ACCT_FIELD_LOGIN, "cust-off"));
}
C(create_session_disabled)
{
	(void)sd;
	assert_fail(r, 0, 1011, "cust-off");
	assert_field(result(r, 0), ACCT_PFIELD_SESSION_ID, NULL);
}

static char made_session[40];

B(session_get)
{
	(void)req;
	make_login_session(sd, made_session);
}
C(session_get)
{
	const acct_result *res = result(r, 0);
	const char *id = NULL, *login = NULL;

	(void)sd;
	assert_ok(r, 0);
	ck_assert_uint_eq(acct_result_item_count(res, ACCT_ITEM_SESSION), 1);
	ck_assert_ok(acct_result_item(&id, &login, res, ACCT_ITEM_SESSION, 0));
	ck_assert_str_eq(id, made_session);
	ck_assert_str_eq(login, "cust1");
	ck_assert_str_eq(acct_result_item_get(res, ACCT_ITEM_SESSION, 0, "ip-address"), "192.0.2.99");
	ck_assert_str_eq(acct_result_item_get(res, ACCT_ITEM_SESSION, 0, "type"), "CP");
	ck_assert_ptr_null(acct_result_item_get(res, ACCT_ITEM_SESSION, 0, "nonexistent"));
}

B(session_terminate)
{
	make_login_session(sd, made_session);
	req_ok(acct_request_set(req, ACCT_PFIELD_SESSION_ID, made_session));
}
C(session_terminate)
{
	char *reply;
	acct_response *list;

	assert_ok(r, 0);
	reply = agent(sd, "<packet><session><get/></session></packet>", 42);
	list = parse(reply);
	ck_assert_uint_eq(acct_result_item_count(result(list, 0), ACCT_ITEM_SESSION), 0);
	acct_response_free(list);
	free(reply);
}

B(session_terminate_unknown)
{
	(void)sd;
	req_ok(acct_request_set(req, ACCT_PFIELD_SESSION_ID, "0123456789abcdef0123456789abcdef"));
}
C(session_terminate_unknown)
{
	(void)sd;
	assert_fail(r, 0, 1013, "0123456789abcdef0123456789abcdef");
}

#define RT(name, op, version, n, b, c) { name, op, version, n, build_##b, check_##c }

static const rt_case rt_cases[] = {
	RT("customer add", ACCT_OP_CUSTOMER_ADD, NULL, 1, customer_add, customer_add),
	RT("customer add: duplicate", ACCT_OP_CUSTOMER_ADD, "1.6.3.0", 1, customer_add_dup, customer_add_dup),
	RT("customer get", ACCT_OP_CUSTOMER_GET, NULL, 3, customer_get, customer_get),
	RT("customer get: empty match", ACCT_OP_CUSTOMER_GET, "1.6.9.1", 1, customer_get_empty, customer_get_empty),
	RT("customer set", ACCT_OP_CUSTOMER_SET, NULL, 1, customer_set, customer_set),
	RT("customer set: status 1", ACCT_OP_CUSTOMER_SET, NULL, 1, customer_set_status, customer_set_status),
	RT("customer del", ACCT_OP_CUSTOMER_DEL, NULL, 2, customer_del, customer_del),
	RT("customer convert-to-reseller", ACCT_OP_CUSTOMER_CONVERT_TO_RESELLER, NULL, 2, customer_to_reseller,
	   customer_to_reseller),
	RT("customer change-owner", ACCT_OP_CUSTOMER_CHANGE_OWNER, NULL, 1, customer_change_owner, customer_change_owner),
	RT("customer change-owner: IP not in pool", ACCT_OP_CUSTOMER_CHANGE_OWNER, NULL, 1, customer_change_owner_bad,
	   customer_change_owner_bad),
	RT("customer get-domain-list", ACCT_OP_CUSTOMER_GET_DOMAIN_LIST, NULL, 2, customer_domains, customer_domains),

	RT("reseller add", ACCT_OP_RESELLER_ADD, "1.6.6.0", 1, reseller_add, reseller_add),
	RT("reseller add: power user", ACCT_OP_RESELLER_ADD, NULL, 1, reseller_add_power, reseller_add_power),
	RT("reseller get", ACCT_OP_RESELLER_GET, NULL, 1, reseller_get, reseller_get),
	RT("reseller set", ACCT_OP_RESELLER_SET, NULL, 1, reseller_set, reseller_set),
	RT("reseller set: max_cl below use", ACCT_OP_RESELLER_SET, NULL, 1, reseller_set_limit, reseller_set_limit),
	RT("reseller del", ACCT_OP_RESELLER_DEL, NULL, 1, reseller_del, reseller_del),
	RT("reseller ippool-add-ip", ACCT_OP_RESELLER_IPPOOL_ADD_IP, NULL, 3, reseller_ippool_add, reseller_ippool_add),
	RT("reseller ippool-add-ip: not a reseller", ACCT_OP_RESELLER_IPPOOL_ADD_IP, NULL, 1, reseller_ippool_add_customer,
	   reseller_ippool_add_customer),
	RT("reseller ippool-del-ip", ACCT_OP_RESELLER_IPPOOL_DEL_IP, NULL, 2, reseller_ippool_del, reseller_ippool_del),
	RT("reseller ippool-set-ip", ACCT_OP_RESELLER_IPPOOL_SET_IP, NULL, 1, reseller_ippool_set, reseller_ippool_set),
	RT("reseller cform-buttons-list", ACCT_OP_RESELLER_CFORM_BUTTONS_LIST, NULL, 2, reseller_buttons,
	   reseller_buttons),
	RT("reseller get-limit-descriptor", ACCT_OP_RESELLER_GET_LIMIT_DESCRIPTOR, NULL, 1, reseller_limit_descriptor,
	   reseller_limit_descriptor),
	RT("reseller get-permission-descriptor", ACCT_OP_RESELLER_GET_PERMISSION_DESCRIPTOR, NULL, 2,
	   reseller_perm_descriptor, reseller_perm_descriptor),
	RT("reseller convert-to-customer", ACCT_OP_RESELLER_CONVERT_TO_CUSTOMER, NULL, 2, reseller_to_customer,
	   reseller_to_customer),

	RT("client add", ACCT_OP_CLIENT_ADD, "1.4.2.0", 1, client_add, client_add),
	RT("client get (1.4)", ACCT_OP_CLIENT_GET, "1.4.2.0", 1, client_get_14, client_get_14),
	RT("client get (1.5)", ACCT_OP_CLIENT_GET, "1.5.2.0", 1, client_get_14, client_get_15),
	RT("client get: at 1.6.9.1", ACCT_OP_CLIENT_GET, "1.6.9.1", 1, client_get_14, gated),
	RT("client set (1.4)", ACCT_OP_CLIENT_SET, "1.4.2.0", 1, client_set, client_set),
	RT("client set (1.5)", ACCT_OP_CLIENT_SET, "1.5.0.0", 1, client_set, client_set),
	RT("client del", ACCT_OP_CLIENT_DEL, "1.6.0.0", 2, client_del, client_del),
	RT("client ippool_add_ip", ACCT_OP_CLIENT_IPPOOL_ADD_IP, "1.0.0.0", 1, client_ippool_add, client_ippool_add),
	RT("client ippool_add_ip: exclusive elsewhere", ACCT_OP_CLIENT_IPPOOL_ADD_IP, "1.0.0.0", 1,
	   client_ippool_add_exclusive, client_ippool_add_exclusive),
	RT("client ippool_del_ip", ACCT_OP_CLIENT_IPPOOL_DEL_IP, "1.3.4.0", 1, client_ippool_del, client_ippool_del),
	RT("client cform_buttons_list", ACCT_OP_CLIENT_CFORM_BUTTONS_LIST, "1.4.1.0", 1, client_buttons, client_buttons),
	/* no filter: the server-level descriptor */
	RT("client get-limit-descriptor", ACCT_OP_CLIENT_GET_LIMIT_DESCRIPTOR, "1.5.0.0", 1, none,
	   client_limit_descriptor),
	RT("client get-permission-descriptor", ACCT_OP_CLIENT_GET_PERMISSION_DESCRIPTOR, "1.5.0.0", 1,
	   client_perm_descriptor, client_perm_descriptor),
	RT("client convert-to-reseller", ACCT_OP_CLIENT_CONVERT_TO_RESELLER, "1.6.0.0", 1, client_to_reseller,
	   client_to_reseller),
	RT("client change-owner", ACCT_OP_CLIENT_CHANGE_OWNER, "1.6.0.0", 1, client_change_owner, client_change_owner),

	RT("user add", ACCT_OP_USER_ADD, NULL, 1, user_add, user_add),
	RT("user add: unknown role", ACCT_OP_USER_ADD, "1.6.9.0", 1, user_add_role, user_add_role),
	RT("user get", ACCT_OP_USER_GET, "1.6.3.0", 1, user_get, user_get),
	RT("user get: at 1.6.9.1", ACCT_OP_USER_GET, "1.6.9.1", 1, user_get, gated),
	RT("user set", ACCT_OP_USER_SET, NULL, 1, user_set, user_set),
	RT("user del", ACCT_OP_USER_DEL, NULL, 1, user_del, user_del),

	RT("secret_key create", ACCT_OP_SECRET_KEY_CREATE, "1.6.6.0", 1, key_create, key_create),
	RT("secret_key create: at 1.6.5.0", ACCT_OP_SECRET_KEY_CREATE, "1.6.5.0", 1, key_create, gated),
	RT("secret_key get_info", ACCT_OP_SECRET_KEY_GET_INFO, NULL, 2, key_get_info, key_get_info),
	RT("secret_key delete", ACCT_OP_SECRET_KEY_DELETE, NULL, 2, key_delete, key_delete),

	RT("server get_protos", ACCT_OP_SERVER_GET_PROTOS, NULL, 1, none, get_protos),
	RT("server get", ACCT_OP_SERVER_GET, NULL, 1, server_get, server_get),
	RT("server create_session", ACCT_OP_SERVER_CREATE_SESSION, NULL, 1, create_session, create_session),
	RT("server create_session: disabled", ACCT_OP_SERVER_CREATE_SESSION, NULL, 1, create_session_disabled,
	   create_session_disabled),
	RT("session get", ACCT_OP_SESSION_GET, NULL, 1, session_get, session_get),
	RT("session terminate", ACCT_OP_SESSION_TERMINATE, NULL, 1, session_terminate, session_terminate),
	RT("session terminate: unknown", ACCT_OP_SESSION_TERMINATE, NULL, 1, session_terminate_unknown,
	   session_terminate_unknown),
};

START_TEST(roundtrip)
{
	const rt_case *c = &rt_cases[_i];
	acct_request *req = NULL;
	acct_response *resp;
	char *encoded = NULL;
	seed sd;

	seed_open(&sd, 0);
	ck_assert_msg(acct_request_new(&req, c->version) == 0, "%s: %s", c->name, acct_error_last()->message);
	req_ok(acct_request_add(req, c->op));
	c->build(req, &sd);
	resp = send_request(&sd, req, &encoded);
	/* the encoded packet is the operator's own spelling */
	{
		char operation[96];
		const char *name = acct_op_name(c->op), *sp = strchr(name, ' ');
		snprintf(operation, sizeof operation, "<%.*s>", (int)(sp - name), name);
		ck_assert_msg(strstr(encoded, operation) != NULL, "%s: no %s in\n%s", c->name, operation, encoded);
	}
	if (c->version != NULL)
		ck_assert_str_eq(acct_response_version(resp), c->version);
	else
		ck_assert_str_eq(acct_response_version(resp), acct_agent_protocol_version());
	ck_assert_msg(acct_response_count(resp) == c->nresults, "%s: %zu results, expected %zu", c->name,
	              acct_response_count(resp), c->nresults);
	for (size_t i = 0; i < acct_response_count(resp); i++) {
		ck_assert_msg(acct_result_op(result(resp, i)) == c->op, "%s: result %zu answers op %d", c->name, i,
		              acct_result_op(result(resp, i)));
		ck_assert_uint_eq(acct_result_operation(result(resp, i)), 0);
	}
	c->check(resp, &sd);
	acct_response_free(resp);
	acct_request_free(req);
	free(encoded);
	seed_close(&sd);
}
END_TEST

/* Every operation has a round trip, and every name is right. */
START_TEST(roundtrip_covers_every_op)
{
	static const struct {
		int op;
		const char *name;
	} all[] = {
		{ ACCT_OP_CUSTOMER_ADD, "customer add" },
		{ ACCT_OP_CUSTOMER_GET, "customer get" },
		{ ACCT_OP_CUSTOMER_SET, "customer set" },
		{ ACCT_OP_CUSTOMER_DEL, "customer del" },
		{ ACCT_OP_CUSTOMER_CONVERT_TO_RESELLER, "customer convert-to-reseller" },
		{ ACCT_OP_CUSTOMER_CHANGE_OWNER, "customer change-owner" },
		{ ACCT_OP_CUSTOMER_GET_DOMAIN_LIST, "customer get-domain-list" },
		{ ACCT_OP_RESELLER_ADD, "reseller add" },
		{ ACCT_OP_RESELLER_GET, "reseller get" },
		{ ACCT_OP_RESELLER_SET, "reseller set" },
		{ ACCT_OP_RESELLER_DEL, "reseller del" },
		{ ACCT_OP_RESELLER_IPPOOL_ADD_IP, "reseller ippool-add-ip" },
		{ ACCT_OP_RESELLER_IPPOOL_DEL_IP, "reseller ippool-del-ip" },
		{ ACCT_OP_RESELLER_IPPOOL_SET_IP, "reseller ippool-set-ip" },
		{ ACCT_OP_RESELLER_CFORM_BUTTONS_LIST, "reseller cform-buttons-list" },
		{ ACCT_OP_RESELLER_GET_LIMIT_DESCRIPTOR, "reseller get-limit-descriptor" },
		{ ACCT_OP_RESELLER_GET_PERMISSION_DESCRIPTOR, "reseller get-permission-descriptor" },
		{ ACCT_OP_RESELLER_CONVERT_TO_CUSTOMER, "reseller convert-to-customer" },
		{ ACCT_OP_CLIENT_ADD, "client add" },
		{ ACCT_OP_CLIENT_GET, "client get" },
		{ ACCT_OP_CLIENT_SET, "client set" },
		{ ACCT_OP_CLIENT_DEL, "client del" },
		{ ACCT_OP_CLIENT_IPPOOL_ADD_IP, "client ippool_add_ip" },
		{ ACCT_OP_CLIENT_IPPOOL_DEL_IP, "client ippool_del_ip" },
		{ ACCT_OP_CLIENT_CFORM_BUTTONS_LIST, "client cform_buttons_list" },
		{ ACCT_OP_CLIENT_GET_LIMIT_DESCRIPTOR, "client get-limit-descriptor" },
		{ ACCT_OP_CLIENT_GET_PERMISSION_DESCRIPTOR, "client get-permission-descriptor" },
		{ ACCT_OP_CLIENT_CONVERT_TO_RESELLER, "client convert-to-reseller" },
		{ ACCT_OP_CLIENT_CHANGE_OWNER, "client change-owner" },
		{ ACCT_OP_USER_ADD, "user add" },
		{ ACCT_OP_USER_GET, "user get" },
		{ ACCT_OP_USER_SET, "user set" },
		{ ACCT_OP_USER_DEL, "user del" },
		{ ACCT_OP_SECRET_KEY_CREATE, "secret_key create" },
		{ ACCT_OP_SECRET_KEY_GET_INFO, "secret_key get_info" },
		{ ACCT_OP_SECRET_KEY_DELETE, "secret_key delete" },
		{ ACCT_OP_SERVER_GET_PROTOS, "server get_protos" },
		{ ACCT_OP_SERVER_GET, "server get" },
		{ ACCT_OP_SERVER_CREATE_SESSION, "server create_session" },
		{ ACCT_OP_SESSION_GET, "session get" },
		{ ACCT_OP_SESSION_TERMINATE, "session terminate" },
	};
	acct_request *req = NULL;
	int known = 0;

	for (size_t i = 0; i < N_ELEMS(all); i++) {
		int ok_case = 0;
		ck_assert_msg(acct_op_name(all[i].op) != NULL, "op %d has no name", all[i].op);
		ck_assert_str_eq(acct_op_name(all[i].op), all[i].name);
		for (size_t j = 0; j < N_ELEMS(rt_cases); j++) {
			const char *n = rt_cases[j].name;
			if (rt_cases[j].op == all[i].op && rt_cases[j].check != check_gated && strchr(n, ':') == NULL)
				ok_case = 1;
		}
		ck_assert_msg(ok_case, "op %s has no successful round trip", all[i].name);
	}
	/* and no operation outside the list: every other number is unknown */
	ck_assert_ok(acct_request_new(&req, NULL));
	for (int op = -5; op < 1000; op++) {
		if (acct_op_name(op) != NULL) {
			known++;
			ck_assert_ok(acct_request_add(req, op));
		} else {
			ck_assert_rc(acct_request_add(req, op), ACCT_EINVALID);
		}
	}
	ck_assert_int_eq(known, (int)N_ELEMS(all));
	acct_request_free(req);
}
END_TEST

/* Several operations in one request: one operator element per run, results in order. */
START_TEST(roundtrip_several)
{
	acct_request *req = NULL;
	acct_response *resp;
	char *encoded = NULL;
	seed sd;

	seed_open(&sd, 0);
	req_ok(acct_request_new(&req, NULL));
	req_ok(acct_request_add(req, ACCT_OP_CUSTOMER_GET));
	req_ok(acct_request_filter(req, ACCT_FILTER_ID, "4"));
	req_ok(acct_request_add(req, ACCT_OP_CUSTOMER_ADD));
	req_ok(acct_request_set(req, ACCT_FIELD_LOGIN, "cust1"));
	req_ok(acct_request_set(req, ACCT_FIELD_NAME, "Dup"));
	req_ok(acct_request_set(req, ACCT_FIELD_PASSWORD, TEST_PASSWORD));
	req_ok(acct_request_add(req, ACCT_OP_SERVER_GET_PROTOS));
	req_ok(acct_request_add(req, ACCT_OP_CUSTOMER_DEL));
	req_ok(acct_request_filter(req, ACCT_FILTER_LOGIN, "cust3"));
	resp = send_request(&sd, req, &encoded);
	ck_assert_msg(strstr(encoded, "</get>\n    <add>") != NULL, "consecutive operations share <customer>:\n%s",
	              encoded);
	ck_assert_msg(strstr(encoded, "</server>\n  <customer>\n    <del>") != NULL, "%s", encoded);
	ck_assert_uint_eq(acct_response_count(resp), 4);
	ck_assert_int_eq(acct_result_op(result(resp, 0)), ACCT_OP_CUSTOMER_GET);
	ck_assert_int_eq(acct_result_op(result(resp, 1)), ACCT_OP_CUSTOMER_ADD);
	ck_assert_int_eq(acct_result_op(result(resp, 2)), ACCT_OP_SERVER_GET_PROTOS);
	ck_assert_int_eq(acct_result_op(result(resp, 3)), ACCT_OP_CUSTOMER_DEL);
	for (size_t i = 0; i < 4; i++)
		ck_assert_uint_eq(acct_result_operation(result(resp, i)), i);
	assert_ok(resp, 0);
	assert_fail(resp, 1, 1007, NULL);
	assert_ok(resp, 2);
	assert_ok(resp, 3);
	assert_gone(&sd, sd.cust3);
	acct_response_free(resp);
	acct_request_free(req);
	free(encoded);
	seed_close(&sd);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* The encoder: exact packets                                               */
/* ------------------------------------------------------------------------ */

static char *encode(const acct_request *req)
{
	acct_buf b = ACCT_BUF_INIT;
	char *s;

	ck_assert_msg(acct_request_encode(&b, req) == 0, "encode: %s", acct_error_last()->message);
	s = strdup(b.ptr);
	acct_buf_dispose(&b);
	return s;
}

/* The same text without indentation (whitespace between tags dropped). */
static char *compact(const char *in)
{
	char *out = malloc(strlen(in) + 1);
	size_t o = 0;

	for (const char *p = in; *p;) {
		if (*p == '\n') {
			while (*p == '\n' || *p == ' ')
				p++;
			continue;
		}
		out[o++] = *p++;
	}
	out[o] = '\0';
	return out;
}

static void assert_encodes(const acct_request *req, const char *want_compact)
{
	char *got = encode(req), *c = compact(got);
	ck_assert_msg(strcmp(c, want_compact) == 0, "encoded:\n%s\nexpected:\n%s", c, want_compact);
	free(got);
	free(c);
}

START_TEST(encode_customer_add_sample)
{
	acct_request *req = NULL;

	ck_assert_ok(acct_request_new(&req, NULL));
	ck_assert_ok(acct_request_add(req, ACCT_OP_CUSTOMER_ADD));
	/* in the reverse of the schema's order */
	ck_assert_ok(acct_request_set(req, ACCT_PFIELD_DESCRIPTION, "Good guy"));
	ck_assert_ok(acct_request_set(req, ACCT_FIELD_EXTERNAL_ID, "link:12345"));
	ck_assert_ok(acct_request_set(req, ACCT_FIELD_EMAIL, "john@smith.com"));
	ck_assert_ok(acct_request_set(req, ACCT_FIELD_PASSWORD, "test-&PWD*1@42!13#"));
	ck_assert_ok(acct_request_set(req, ACCT_FIELD_LOGIN, "john-unit-test"));
	ck_assert_ok(acct_request_set(req, ACCT_FIELD_NAME, "John Smith"));
	ck_assert_ok(acct_request_set(req, ACCT_FIELD_COMPANY, "Plesk"));
	assert_encodes(req, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><packet><customer><add><gen_info>"
	                    "<cname>Plesk</cname><pname>John Smith</pname><login>john-unit-test</login>"
	                    "<passwd>test-&amp;PWD*1@42!13#</passwd><email>john@smith.com</email>"
	                    "<external-id>link:12345</external-id><description>Good guy</description>"
	                    "</gen_info></add></customer></packet>");
	acct_request_free(req);
}
END_TEST

START_TEST(encode_spellings)
{
	acct_request *req = NULL;

	/* reseller: gen-info, dashes, limits before permissions, resource-policy first */
	ck_assert_ok(acct_request_new(&req, "1.6.6.0"));
	ck_assert_ok(acct_request_add(req, ACCT_OP_RESELLER_ADD));
	ck_assert_ok(acct_request_item(req, ACCT_ITEM_PERMISSION, "create_domains", "true"));
	ck_assert_ok(acct_request_item(req, ACCT_ITEM_LIMIT, "max_db", "100"));
	ck_assert_ok(acct_request_set(req, ACCT_PFIELD_OVERUSE, "block"));
	ck_assert_ok(acct_request_set(req, ACCT_PFIELD_POWER_USER, "false"));
	ck_assert_ok(acct_request_set(req, ACCT_FIELD_PASSWORD, "secret"));
	ck_assert_ok(acct_request_set(req, ACCT_FIELD_LOGIN, "reseller-a"));
	ck_assert_ok(acct_request_set(req, ACCT_FIELD_NAME, "John Reseller"));
	assert_encodes(req, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><packet version=\"1.6.6.0\"><reseller><add>"
	                    "<gen-info><pname>John Reseller</pname><login>reseller-a</login><passwd>secret</passwd>"
	                    "<power-user>false</power-user></gen-info><limits><resource-policy><overuse>block</overuse>"
	                    "</resource-policy><limit><name>max_db</name><value>100</value></limit></limits>"
	                    "<permissions><permission><name>create_domains</name><value>true</value></permission>"
	                    "</permissions></add></reseller></packet>");
	acct_request_free(req);

	/* reseller ippool: reseller-id, ip/ip-address/ip-type; set-ip: filter then values */
	ck_assert_ok(acct_request_new(&req, NULL));
	ck_assert_ok(acct_request_add(req, ACCT_OP_RESELLER_IPPOOL_ADD_IP));
	ck_assert_ok(acct_request_item(req, ACCT_ITEM_IP, "192.0.2.122", NULL));
	ck_assert_ok(acct_request_set(req, ACCT_PFIELD_ACCOUNT_ID, "12"));
	ck_assert_ok(acct_request_add(req, ACCT_OP_RESELLER_IPPOOL_SET_IP));
	ck_assert_ok(acct_request_set(req, ACCT_PFIELD_IP_TYPE, "exclusive"));
	ck_assert_ok(acct_request_filter(req, ACCT_FILTER_IP_ADDRESS, "192.0.2.122"));
	ck_assert_ok(acct_request_set(req, ACCT_FIELD_EXTERNAL_ID, "x-1"));
	assert_encodes(req, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><packet><reseller><ippool-add-ip>"
	                    "<reseller-id>12</reseller-id><ip><ip-address>192.0.2.122</ip-address></ip></ippool-add-ip>"
	                    "<ippool-set-ip><external-id>x-1</external-id><filter><ip-address>192.0.2.122</ip-address>"
	                    "</filter><values><ip-type>exclusive</ip-type></values></ippool-set-ip></reseller></packet>");
	acct_request_free(req);

	/* legacy client: ippool_add_ip with client_id/ip_address (spec section 12) */
	ck_assert_ok(acct_request_new(&req, "1.0.0.0"));
	ck_assert_ok(acct_request_add(req, ACCT_OP_CLIENT_IPPOOL_ADD_IP));
	ck_assert_ok(acct_request_set(req, ACCT_PFIELD_IP_ADDRESS, "192.0.2.45"));
	ck_assert_ok(acct_request_set(req, ACCT_PFIELD_ACCOUNT_ID, "17"));
	assert_encodes(req, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><packet version=\"1.0.0.0\"><client>"
	                    "<ippool_add_ip><client_id>17</client_id><ip_address>192.0.2.45</ip_address></ippool_add_ip>"
	                    "</client></packet>");
	acct_request_free(req);

	/* secret_key: underscores; user: gen-info with contact-info, roles; <all/> filter */
	ck_assert_ok(acct_request_new(&req, NULL));
	ck_assert_ok(acct_request_add(req, ACCT_OP_SECRET_KEY_CREATE));
	ck_assert_ok(acct_request_set(req, ACCT_PFIELD_DESCRIPTION, "test key"));
	ck_assert_ok(acct_request_set(req, ACCT_PFIELD_IP_ADDRESS, "192.168.0.1"));
	ck_assert_ok(acct_request_add(req, ACCT_OP_SECRET_KEY_GET_INFO));
	ck_assert_ok(acct_request_filter(req, ACCT_FILTER_ALL, NULL));
	ck_assert_ok(acct_request_add(req, ACCT_OP_USER_ADD));
	ck_assert_ok(acct_request_item(req, ACCT_ITEM_ROLE, "Application User", NULL));
	ck_assert_ok(acct_request_set(req, ACCT_FIELD_EMAIL, "mike@example.com"));
	ck_assert_ok(acct_request_set(req, ACCT_FIELD_CITY, "Boston"));
	ck_assert_ok(acct_request_set(req, ACCT_FIELD_NAME, "Mike Black"));
	ck_assert_ok(acct_request_set(req, ACCT_PFIELD_OWNER_GUID, GUID_CUST1));
	ck_assert_ok(acct_request_set(req, ACCT_FIELD_PASSWORD, "simple-password"));
	ck_assert_ok(acct_request_set(req, ACCT_FIELD_LOGIN, "mike-test"));
	ck_assert_ok(acct_request_add(req, ACCT_OP_USER_GET));
	ck_assert_ok(acct_request_filter(req, ACCT_FILTER_ALL, NULL));
	ck_assert_ok(acct_request_dataset(req, ACCT_DATASET_ROLES | ACCT_DATASET_GEN_INFO));
	assert_encodes(req, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><packet><secret_key><create>"
	                    "<ip_address>192.168.0.1</ip_address><description>test key</description></create>"
	                    "<get_info><filter/></get_info></secret_key><user><add><gen-info><login>mike-test</login>"
	                    "<passwd>simple-password</passwd><owner-guid>" GUID_CUST1 "</owner-guid><name>Mike Black</name>"
	                    "<contact-info><city>Boston</city></contact-info><email>mike@example.com</email></gen-info>"
	                    "<roles><name>Application User</name></roles></add><get><filter><all/></filter><dataset>"
	                    "<gen-info/><roles/></dataset></get></user></packet>");
	acct_request_free(req);

	/* customer: change-owner ipV4 before ipV6; get: filter, dataset gen_info then stat */
	ck_assert_ok(acct_request_new(&req, NULL));
	ck_assert_ok(acct_request_add(req, ACCT_OP_CUSTOMER_CHANGE_OWNER));
	ck_assert_ok(acct_request_item(req, ACCT_ITEM_IP, "2001:db8::1", NULL));
	ck_assert_ok(acct_request_set(req, ACCT_PFIELD_PLAN_NAME, "Default Domain"));
	ck_assert_ok(acct_request_item(req, ACCT_ITEM_IP, "192.0.2.10", NULL));
	ck_assert_ok(acct_request_set(req, ACCT_PFIELD_NEW_OWNER_LOGIN, "res1"));
	ck_assert_ok(acct_request_filter(req, ACCT_FILTER_ID, "7"));
	ck_assert_ok(acct_request_add(req, ACCT_OP_CUSTOMER_GET));
	ck_assert_ok(acct_request_dataset(req, ACCT_DATASET_STAT));
	ck_assert_ok(acct_request_dataset(req, ACCT_DATASET_GEN_INFO));
	ck_assert_ok(acct_request_filter(req, ACCT_FILTER_OWNER_LOGIN, "res1"));
	ck_assert_ok(acct_request_filter(req, ACCT_FILTER_OWNER_LOGIN, "res2"));
	assert_encodes(req, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><packet><customer><change-owner><filter>"
	                    "<id>7</id></filter><new-owner-login>res1</new-owner-login><ipV4-address>192.0.2.10"
	                    "</ipV4-address><ipV6-address>2001:db8::1</ipV6-address><plan-name>Default Domain</plan-name>"
	                    "</change-owner><get><filter><owner-login>res1</owner-login><owner-login>res2</owner-login>"
	                    "</filter><dataset><gen_info/><stat/></dataset></get></customer></packet>");
	acct_request_free(req);

	/* server get (datasets directly, key first) and create_session (user_ip in base64) */
	ck_assert_ok(acct_request_new(&req, NULL));
	ck_assert_ok(acct_request_add(req, ACCT_OP_SERVER_GET));
	ck_assert_ok(acct_request_dataset(req, ACCT_DATASET_GEN_INFO | ACCT_DATASET_KEY));
	ck_assert_ok(acct_request_add(req, ACCT_OP_SERVER_CREATE_SESSION));
	ck_assert_ok(acct_request_set(req, ACCT_PFIELD_IP_ADDRESS, "192.0.2.99"));
	ck_assert_ok(acct_request_set(req, ACCT_FIELD_LOGIN, "cust1"));
	ck_assert_ok(acct_request_add(req, ACCT_OP_SESSION_TERMINATE));
	ck_assert_ok(acct_request_set(req, ACCT_PFIELD_SESSION_ID, "abc"));
	assert_encodes(req, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><packet><server><get><key/><gen_info/></get>"
	                    "<create_session><login>cust1</login><data><user_ip>MTkyLjAuMi45OQ==</user_ip>"
	                    "<source_server/></data></create_session></server><session><terminate><session-id>abc"
	                    "</session-id></terminate></session></packet>");
	acct_request_free(req);

	/* set with <guid/>: the empty element asks to regenerate it */
	ck_assert_ok(acct_request_new(&req, NULL));
	ck_assert_ok(acct_request_add(req, ACCT_OP_CUSTOMER_SET));
	ck_assert_ok(acct_request_filter(req, ACCT_FILTER_ID, "4"));
	ck_assert_ok(acct_request_set(req, ACCT_FIELD_GUID, ""));
	ck_assert_ok(acct_request_set(req, ACCT_PFIELD_STATUS, "16"));
	assert_encodes(req, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><packet><customer><set><filter><id>4</id>"
	                    "</filter><values><gen_info><status>16</status><guid/></gen_info></values></set></customer>"
	                    "</packet>");
	acct_request_free(req);
}
END_TEST

START_TEST(encode_legacy_by_version)
{
	static const struct {
		const char *version;
		const char *want;
	} cases[] = {
		{ "1.4.2.0", "<values><gen_info><status>16</status></gen_info><limits><max_dom>10</max_dom></limits>"
		             "<permissions><create_domains>true</create_domains></permissions></values>" },
		{ "1.0.0.0", "<values><gen_info><status>16</status></gen_info><limits><max_dom>10</max_dom></limits>"
		             "<permissions><create_domains>true</create_domains></permissions></values>" },
		{ "1.5.0.0", "<values><gen_info><status>16</status></gen_info><limits><limit><name>max_dom</name>"
		             "<value>10</value></limit></limits><permissions><permission><name>create_domains</name>"
		             "<value>true</value></permission></permissions></values>" },
		{ "1.6.0.2", "<limits><limit><name>max_dom</name>" },
		{ NULL, "<limits><limit><name>max_dom</name>" },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		acct_request *req = NULL;
		char *got, *c;
		ck_assert_ok(acct_request_new(&req, cases[i].version));
		ck_assert_ok(acct_request_add(req, ACCT_OP_CLIENT_SET));
		ck_assert_ok(acct_request_filter(req, ACCT_FILTER_LOGIN, "c"));
		ck_assert_ok(acct_request_item(req, ACCT_ITEM_LIMIT, "max_dom", "10"));
		ck_assert_ok(acct_request_item(req, ACCT_ITEM_PERMISSION, "create_domains", "true"));
		ck_assert_ok(acct_request_set(req, ACCT_PFIELD_STATUS, "16"));
		got = encode(req);
		c = compact(got);
		ck_assert_msg(strstr(c, cases[i].want) != NULL, "version %s:\n%s", cases[i].version ? cases[i].version : "none",
		              c);
		free(got);
		free(c);
		acct_request_free(req);
	}
}
END_TEST

START_TEST(encode_escapes)
{
	acct_request *req = NULL;
	char *got;

	ck_assert_ok(acct_request_new(&req, NULL));
	ck_assert_ok(acct_request_add(req, ACCT_OP_CUSTOMER_SET));
	ck_assert_ok(acct_request_filter(req, ACCT_FILTER_LOGIN, "a<b&c>d"));
	ck_assert_ok(acct_request_set(req, ACCT_FIELD_ADDRESS, "line1\r\nline2\t\"quoted\" 'single' \xc3\xa9"));
	got = encode(req);
	ck_assert_msg(strstr(got, "<login>a&lt;b&amp;c&gt;d</login>") != NULL, "%s", got);
	ck_assert_msg(strstr(got, "<address>line1&#13;\nline2\t\"quoted\" 'single' \xc3\xa9</address>") != NULL, "%s", got);
	free(got);
	acct_request_free(req);
}
END_TEST

/* What the encoder sends, the agent reads back unchanged (escapes, CR, UTF-8). */
START_TEST(roundtrip_text_values)
{
	static const char *const values[] = {
		"a & b < c > d", "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x99\x82",
		"]]> in text", "'\"'", "  spaces kept  ",
	};
	seed sd;

	seed_open(&sd, 0);
	for (size_t i = 0; i < N_ELEMS(values); i++) {
		acct_request *req = NULL;
		acct_response *resp;
		acct_account *a;
		ck_assert_ok(acct_request_new(&req, NULL));
		ck_assert_ok(acct_request_add(req, ACCT_OP_CUSTOMER_SET));
		ck_assert_ok(acct_request_filter(req, ACCT_FILTER_ID, "4"));
		ck_assert_ok(acct_request_set(req, ACCT_FIELD_ADDRESS, values[i]));
		ck_assert_ok(acct_request_set(req, ACCT_PFIELD_DESCRIPTION, values[i]));
		ck_assert_ok(acct_request_add(req, ACCT_OP_CUSTOMER_GET));
		ck_assert_ok(acct_request_filter(req, ACCT_FILTER_ID, "4"));
		ck_assert_ok(acct_request_dataset(req, ACCT_DATASET_GEN_INFO));
		resp = send_request(&sd, req, NULL);
		assert_ok(resp, 0);
		a = lookup(&sd, sd.cust1);
		ck_assert_msg(strcmp(acct_account_get(a, ACCT_FIELD_ADDRESS), values[i]) == 0, "stored '%s', sent '%s'",
		              acct_account_get(a, ACCT_FIELD_ADDRESS), values[i]);
		acct_account_free(a);
		/* and the reply carries it back */
		assert_field(result(resp, 1), ACCT_FIELD_ADDRESS, values[i]);
		assert_field(result(resp, 1), ACCT_PFIELD_DESCRIPTION, values[i]);
		acct_response_free(resp);
		acct_request_free(req);
	}
	seed_close(&sd);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* The builder: refusals and messages                                       */
/* ------------------------------------------------------------------------ */

START_TEST(builder_new)
{
	static const char *const bad[] = { "", "1", "abc", "1.6.x", "1.6.9.1.0", "256.0", "1..6", "1.6.", ".1.6", "-1.6",
		                           "1.6.9.1 " };
	static const char *const good[] = { "1.6", "1.6.5", "1.6.9.1", "1.0.0.0", "100.0.0" };
	acct_request *req = (acct_request *)&req;

	ck_assert_rc(acct_request_new(NULL, NULL), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, "out is NULL", "acct_request_new(NULL)");
	for (size_t i = 0; i < N_ELEMS(bad); i++) {
		char ctx[64];
		req = (acct_request *)&req;
		ck_assert_rc(acct_request_new(&req, bad[i]), ACCT_EINVALID);
		ck_assert_ptr_null(req);
		snprintf(ctx, sizeof ctx, "version '%s'", bad[i]);
		test_assert_last_error(ACCT_EINVALID, "is not a protocol version", ctx);
	}
	/* the client may ask for any well-formed version; the server decides what it speaks */
	for (size_t i = 0; i < N_ELEMS(good); i++) {
		ck_assert_ok(acct_request_new(&req, good[i]));
		ck_assert_ptr_nonnull(req);
		acct_request_free(req);
	}
	acct_request_free(NULL);
}
END_TEST

START_TEST(builder_refusals)
{
	acct_request *req = NULL;
	acct_buf b = ACCT_BUF_INIT;

	ck_assert_rc(acct_request_add(NULL, ACCT_OP_CUSTOMER_GET), ACCT_EINVALID);
	ck_assert_rc(acct_request_filter(NULL, ACCT_FILTER_ID, "1"), ACCT_EINVALID);
	ck_assert_rc(acct_request_dataset(NULL, ACCT_DATASET_GEN_INFO), ACCT_EINVALID);
	ck_assert_rc(acct_request_set(NULL, ACCT_FIELD_LOGIN, "x"), ACCT_EINVALID);
	ck_assert_rc(acct_request_item(NULL, ACCT_ITEM_LIMIT, "max_dom", "1"), ACCT_EINVALID);
	ck_assert_rc(acct_request_encode(NULL, NULL), ACCT_EINVALID);
	ck_assert_ok(acct_request_new(&req, NULL));

	/* nothing to fill yet */
	ck_assert_rc(acct_request_filter(req, ACCT_FILTER_ID, "1"), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, "acct_request_add() first", "filter before add");
	ck_assert_rc(acct_request_set(req, ACCT_FIELD_LOGIN, "x"), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, "acct_request_add() first", "set before add");
	ck_assert_rc(acct_request_encode(&b, req), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, "no operation", "empty request");
	ck_assert_ptr_null(b.ptr);
	ck_assert_rc(acct_request_encode(NULL, req), ACCT_EINVALID);
	ck_assert_rc(acct_request_add(req, 0), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, "unknown operation 0", "op 0");
	ck_assert_rc(acct_request_add(req, 108), ACCT_EINVALID);

	/* filters */
	ck_assert_ok(acct_request_add(req, ACCT_OP_CUSTOMER_ADD));
	ck_assert_rc(acct_request_filter(req, ACCT_FILTER_ID, "1"), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, "customer add does not filter by id", "add with a filter");
	ck_assert_ok(acct_request_add(req, ACCT_OP_RESELLER_GET));
	ck_assert_rc(acct_request_filter(req, ACCT_FILTER_OWNER_ID, "1"), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, "reseller get does not filter by owner-id", "reseller owner-id");
	ck_assert_rc(acct_request_filter(req, -1, "1"), ACCT_EINVALID);
	ck_assert_rc(acct_request_filter(req, 32, "1"), ACCT_EINVALID);
	ck_assert_rc(acct_request_filter(req, 99, "1"), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, "does not filter by that kind", "kind 99");
	ck_assert_rc(acct_request_filter(req, ACCT_FILTER_LOGIN, NULL), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, "a login filter needs a value", "NULL value");
	ck_assert_ok(acct_request_filter(req, ACCT_FILTER_LOGIN, "a"));
	ck_assert_rc(acct_request_filter(req, ACCT_FILTER_ID, "1"), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, "a filter holds one kind of value: login already, not id", "two kinds");
	ck_assert_rc(acct_request_filter(req, ACCT_FILTER_ALL, NULL), ACCT_EINVALID);
	ck_assert_rc(acct_request_filter(req, ACCT_FILTER_LOGIN, "bad\xff"), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, "not valid UTF-8", "filter UTF-8");
	ck_assert_rc(acct_request_filter(req, ACCT_FILTER_LOGIN, "bad\x01"), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, "control character 0x01", "filter control");

	/* datasets */
	ck_assert_rc(acct_request_dataset(req, ACCT_DATASET_ROLES), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, "reseller get has no such dataset", "reseller roles");
	ck_assert_rc(acct_request_dataset(req, 0), ACCT_EINVALID);
	ck_assert_rc(acct_request_dataset(req, 1u << 20), ACCT_EINVALID);
	ck_assert_ok(acct_request_dataset(req, ACCT_DATASET_IPPOOL | ACCT_DATASET_STAT));

	/* fields */
	ck_assert_rc(acct_request_set(req, ACCT_FIELD_LOGIN, "x"), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, "reseller get carries no field 1", "get with a field");
	ck_assert_ok(acct_request_add(req, ACCT_OP_CUSTOMER_ADD));
	ck_assert_rc(acct_request_set(req, 0, "x"), ACCT_EINVALID);
	ck_assert_rc(acct_request_set(req, 18, "x"), ACCT_EINVALID);
	ck_assert_rc(acct_request_set(req, 99, "x"), ACCT_EINVALID);
	ck_assert_rc(acct_request_set(req, 118, "x"), ACCT_EINVALID);
	ck_assert_rc(acct_request_set(req, ACCT_FIELD_GUID, "x"), ACCT_EINVALID);       /* not in add */
	ck_assert_rc(acct_request_set(req, ACCT_FIELD_CREATED, "x"), ACCT_EINVALID);    /* read-only */
	ck_assert_rc(acct_request_set(req, ACCT_PFIELD_POWER_USER, "x"), ACCT_EINVALID); /* a reseller's */
	ck_assert_rc(acct_request_set(req, ACCT_PFIELD_OWNER_GUID, "x"), ACCT_EINVALID); /* a user's */
	ck_assert_rc(acct_request_set(req, ACCT_FIELD_NAME, "caf\xc3"), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, "the value is not valid UTF-8", "truncated UTF-8");
	ck_assert_rc(acct_request_set(req, ACCT_FIELD_NAME, "\xc0\xaf"), ACCT_EINVALID);
	ck_assert_rc(acct_request_set(req, ACCT_FIELD_NAME, "a\x1b[31m"), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, "control character 0x1b", "escape");
	ck_assert_ok(acct_request_set(req, ACCT_FIELD_NAME, NULL)); /* an empty element */

	/* items */
	ck_assert_rc(acct_request_item(req, ACCT_ITEM_LIMIT, "max_dom", "1"), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, "customer add carries no items of kind 1", "customer limits");
	ck_assert_ok(acct_request_add(req, ACCT_OP_RESELLER_SET));
	ck_assert_rc(acct_request_item(req, ACCT_ITEM_ROLE, "Admin", NULL), ACCT_EINVALID);
	ck_assert_rc(acct_request_item(req, ACCT_ITEM_LIMIT, NULL, "1"), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, "an item needs a name", "unnamed");
	ck_assert_rc(acct_request_item(req, ACCT_ITEM_LIMIT, "", "1"), ACCT_EINVALID);
	ck_assert_rc(acct_request_item(req, ACCT_ITEM_LIMIT, "max_dom", NULL), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, "a limit needs a value", "limit without value");
	ck_assert_rc(acct_request_item(req, ACCT_ITEM_PERMISSION, "manage_dns", NULL), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, "a permission needs a value", "permission without value");
	ck_assert_rc(acct_request_item(req, ACCT_ITEM_PERMISSION, "manage_dns", "\xff"), ACCT_EINVALID);
	ck_assert_rc(acct_request_item(req, 0, "x", "1"), ACCT_EINVALID);
	ck_assert_rc(acct_request_item(req, ACCT_ITEM_BUTTON, "x", "1"), ACCT_EINVALID);

	acct_request_free(req);
}
END_TEST

/* The encoder names what the schema requires and is missing. */
START_TEST(builder_encode_missing)
{
	static const struct {
		int op;
		const char *needle;
	} cases[] = {
		{ ACCT_OP_CUSTOMER_ADD, "customer add needs pname" },
		{ ACCT_OP_CUSTOMER_GET, "customer get needs a filter" },
		{ ACCT_OP_CUSTOMER_DEL, "customer del needs a filter" },
		{ ACCT_OP_CUSTOMER_CHANGE_OWNER, "needs a filter" },
		{ ACCT_OP_RESELLER_ADD, "reseller add needs pname" },
		{ ACCT_OP_RESELLER_IPPOOL_ADD_IP, "reseller-id or external-id" },
		{ ACCT_OP_RESELLER_IPPOOL_DEL_IP, "reseller-id or external-id" },
		{ ACCT_OP_RESELLER_IPPOOL_SET_IP, "reseller-id or external-id" },
		{ ACCT_OP_CLIENT_IPPOOL_ADD_IP, "client ippool_add_ip needs client_id" },
		{ ACCT_OP_USER_ADD, "user add needs login" },
		{ ACCT_OP_USER_SET, "user set needs a filter" },
		{ ACCT_OP_SECRET_KEY_DELETE, "secret_key delete needs a filter" },
		{ ACCT_OP_SERVER_CREATE_SESSION, "server create_session needs login" },
		{ ACCT_OP_SESSION_TERMINATE, "session terminate needs session-id" },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		acct_request *req = NULL;
		acct_buf b = ACCT_BUF_INIT;
		ck_assert_ok(acct_request_new(&req, NULL));
		ck_assert_ok(acct_request_add(req, cases[i].op));
		ck_assert_rc(acct_request_encode(&b, req), ACCT_EINVALID);
		test_assert_last_error(ACCT_EINVALID, cases[i].needle, acct_op_name(cases[i].op));
		ck_assert_ptr_null(b.ptr);
		acct_request_free(req);
	}
	/* an owner is a choice of one */
	{
		acct_request *req = NULL;
		acct_buf b = ACCT_BUF_INIT;
		ck_assert_ok(acct_request_new(&req, NULL));
		ck_assert_ok(acct_request_add(req, ACCT_OP_CUSTOMER_ADD));
		ck_assert_ok(acct_request_set(req, ACCT_FIELD_LOGIN, "x"));
		ck_assert_ok(acct_request_set(req, ACCT_FIELD_NAME, "X"));
		ck_assert_ok(acct_request_set(req, ACCT_FIELD_PASSWORD, TEST_PASSWORD));
		ck_assert_ok(acct_request_set(req, ACCT_PFIELD_OWNER_ID, "2"));
		ck_assert_ok(acct_request_encode(&b, req));
		acct_buf_dispose(&b);
		ck_assert_ok(acct_request_set(req, ACCT_PFIELD_OWNER_LOGIN, "res1"));
		ck_assert_rc(acct_request_encode(&b, req), ACCT_EINVALID);
		test_assert_last_error(ACCT_EINVALID, "customer add takes one owner", "two owners");
		acct_request_free(req);
		ck_assert_ok(acct_request_new(&req, NULL));
		ck_assert_ok(acct_request_add(req, ACCT_OP_USER_ADD));
		ck_assert_ok(acct_request_set(req, ACCT_FIELD_LOGIN, "x"));
		ck_assert_ok(acct_request_set(req, ACCT_FIELD_NAME, "X"));
		ck_assert_ok(acct_request_set(req, ACCT_FIELD_PASSWORD, TEST_PASSWORD));
		ck_assert_ok(acct_request_set(req, ACCT_PFIELD_OWNER_GUID, GUID_CUST1));
		ck_assert_ok(acct_request_set(req, ACCT_PFIELD_OWNER_EXTERNAL_ID, "ext-cust1"));
		ck_assert_rc(acct_request_encode(&b, req), ACCT_EINVALID);
		test_assert_last_error(ACCT_EINVALID, "user add takes one owner", "two user owners");
		acct_request_free(req);
	}
	/* with the first part present, the next missing one is named */
	{
		acct_request *req = NULL;
		acct_buf b = ACCT_BUF_INIT;
		ck_assert_ok(acct_request_new(&req, NULL));
		ck_assert_ok(acct_request_add(req, ACCT_OP_RESELLER_IPPOOL_SET_IP));
		ck_assert_ok(acct_request_set(req, ACCT_PFIELD_ACCOUNT_ID, "2"));
		ck_assert_ok(acct_request_filter(req, ACCT_FILTER_IP_ADDRESS, "192.0.2.1"));
		ck_assert_rc(acct_request_encode(&b, req), ACCT_EINVALID);
		test_assert_last_error(ACCT_EINVALID, "needs a value to set", "ippool-set-ip without ip-type");
		acct_request_free(req);
		/* an encode that fails leaves the caller's buffer alone */
		ck_assert_ok(acct_request_new(&req, NULL));
		ck_assert_ok(acct_request_add(req, ACCT_OP_SERVER_GET_PROTOS));
		ck_assert_ok(acct_request_encode(&b, req));
		ck_assert_ptr_nonnull(b.ptr);
		ck_assert_ok(acct_request_add(req, ACCT_OP_SESSION_TERMINATE));
		ck_assert_rc(acct_request_encode(&b, req), ACCT_EINVALID);
		ck_assert_msg(b.ptr != NULL && strstr(b.ptr, "<get_protos/>") != NULL, "the old packet was lost");
		acct_buf_dispose(&b);
		acct_request_free(req);
	}
}
END_TEST

/* ------------------------------------------------------------------------ */
/* The response parser on hand-written replies                              */
/* ------------------------------------------------------------------------ */

START_TEST(parse_system_error)
{
	static const char reply[] = "<?xml version=\"1.0\"?>\n<packet version=\"1.6.9.1\">\n<system>\n"
	                            "<status>error</status><errcode>1005</errcode>"
	                            "<errtext>XML API protocol version not supported.</errtext>\n</system>\n"
	                            "<output>stderr text</output>\n</packet>";
	acct_response *r = parse(reply);
	const char *text = NULL;
	int code = 0;

	ck_assert_int_eq(acct_response_system_error(&code, &text, r), 1);
	ck_assert_int_eq(code, 1005);
	ck_assert_str_eq(text, "XML API protocol version not supported.");
	ck_assert_int_eq(acct_response_system_error(NULL, NULL, r), 1);
	ck_assert_str_eq(acct_response_version(r), "1.6.9.1");
	ck_assert_uint_eq(acct_response_count(r), 0);
	ck_assert_ptr_null(acct_response_result(r, 0));
	acct_response_free(r);

	/* the 1029 an unauthenticated request gets (plesk/api-examples issue #7) */
	r = parse("<packet version=\"1.6.9.1\"><system><status>error</status><errcode>1029</errcode>"
	          "<errtext>Authentication method is not specified</errtext></system></packet>");
	ck_assert_int_eq(acct_response_system_error(&code, &text, r), 1);
	ck_assert_int_eq(code, 1029);
	acct_response_free(r);

	/* a <system> without errcode is still an error */
	r = parse("<packet><system><status>error</status></system></packet>");
	ck_assert_int_eq(acct_response_system_error(&code, &text, r), 1);
	ck_assert_int_eq(code, 1023);
	ck_assert_str_eq(text, "");
	ck_assert_str_eq(acct_response_version(r), "");
	acct_response_free(r);

	/* no system error: outputs are cleared */
	r = parse("<packet><server><get_protos><result><status>ok</status></result></get_protos></server></packet>");
	code = 7;
	text = "x";
	ck_assert_int_eq(acct_response_system_error(&code, &text, r), 0);
	ck_assert_int_eq(code, 0);
	ck_assert_str_eq(text, "");
	acct_response_free(r);
}
END_TEST

START_TEST(parse_results_and_order)
{
	static const char reply[] =
		"<packet version=\"1.6.7.0\">"
		"<customer>"
		"<del><result><status>ok</status><filter-id>1324</filter-id><id>1324</id></result>"
		"<result><status>error</status><errcode>1013</errcode><errtext>client does not exist &amp; never did"
		"</errtext><filter-id>1325</filter-id></result></del>"
		"<get><result><status>ok</status><filter-id>3</filter-id><id>3</id><data><gen_info>"
		"<cr_date>2015-12-02</cr_date><cname>LogicSoft Ltd.</cname><pname>Stephen Lowell</pname>"
		"<login>stevelow</login><status>0</status><phone>416 907 9944</phone><fax/>"
		"<email>host@logicsoft.net</email><address/><city/><state/><pcode/><country>CA</country>"
		"<locale>en-US</locale><password>x</password><password_type>crypt</password_type>"
		"<guid>5c0e7d2a-0000-4000-8000-000000000000</guid><owner-id>1</owner-id>"
		"<owner-login>admin</owner-login><vendor-guid>v</vendor-guid><external-id/><description/></gen_info>"
		"<stat><active_domains>2</active_domains><disk_space>1024</disk_space></stat></data></result></get>"
		"</customer>"
		"<reseller><add><result><status>ok</status><id>5</id><guid>g-5</guid></result></add></reseller>"
		"<domain><get><result><status>ok</status><id>77</id></result></get></domain>"
		"<customer><set><result><status>error</status><errcode>1006</errcode><errtext>denied</errtext></result></set>"
		"</customer>"
		"</packet>";
	acct_response *r = parse(reply);
	const acct_result *res;
	const char *n = NULL, *v = NULL;

	ck_assert_str_eq(acct_response_version(r), "1.6.7.0");
	ck_assert_int_eq(acct_response_system_error(NULL, NULL, r), 0);
	ck_assert_uint_eq(acct_response_count(r), 6);

	res = result(r, 0);
	ck_assert_int_eq(acct_result_op(res), ACCT_OP_CUSTOMER_DEL);
	ck_assert_uint_eq(acct_result_operation(res), 0);
	ck_assert(acct_result_ok(res));
	ck_assert_str_eq(acct_result_filter_id(res), "1324");
	ck_assert_int_eq(acct_result_id(res), 1324);

	res = result(r, 1);
	ck_assert_int_eq(acct_result_op(res), ACCT_OP_CUSTOMER_DEL);
	ck_assert_uint_eq(acct_result_operation(res), 0);
	ck_assert(!acct_result_ok(res));
	ck_assert_int_eq(acct_result_errcode(res), 1013);
	ck_assert_str_eq(acct_result_errtext(res), "client does not exist & never did");
	ck_assert_int_eq(acct_result_id(res), 0);

	res = result(r, 2);
	ck_assert_int_eq(acct_result_op(res), ACCT_OP_CUSTOMER_GET);
	ck_assert_uint_eq(acct_result_operation(res), 1);
	assert_field(res, ACCT_FIELD_CREATED, "2015-12-02");
	assert_field(res, ACCT_FIELD_COMPANY, "LogicSoft Ltd.");
	assert_field(res, ACCT_FIELD_NAME, "Stephen Lowell");
	assert_field(res, ACCT_FIELD_FAX, "");
	assert_field(res, ACCT_FIELD_POSTAL_CODE, "");
	assert_field(res, ACCT_FIELD_COUNTRY, "CA");
	assert_field(res, ACCT_FIELD_PASSWORD, "x");
	assert_field(res, ACCT_PFIELD_OWNER_ID, "1");
	assert_field(res, ACCT_PFIELD_DESCRIPTION, "");
	assert_field(res, ACCT_FIELD_SUBSCRIPTION, NULL);
	assert_field(res, ACCT_PFIELD_POWER_USER, NULL);
	ck_assert_uint_eq(acct_result_item_count(res, ACCT_ITEM_STAT), 2);
	ck_assert_ok(acct_result_item(&n, &v, res, ACCT_ITEM_STAT, 1));
	ck_assert_str_eq(n, "disk_space");
	ck_assert_str_eq(v, "1024");

	res = result(r, 3);
	ck_assert_int_eq(acct_result_op(res), ACCT_OP_RESELLER_ADD);
	ck_assert_uint_eq(acct_result_operation(res), 2);
	ck_assert_int_eq(acct_result_id(res), 5);
	assert_field(res, ACCT_FIELD_GUID, "g-5");

	/* an operation libacct does not know: op 0, still read */
	res = result(r, 4);
	ck_assert_int_eq(acct_result_op(res), 0);
	ck_assert_uint_eq(acct_result_operation(res), 3);
	ck_assert(acct_result_ok(res));
	ck_assert_int_eq(acct_result_id(res), 77);

	res = result(r, 5);
	ck_assert_int_eq(acct_result_op(res), ACCT_OP_CUSTOMER_SET);
	ck_assert_uint_eq(acct_result_operation(res), 4);
	ck_assert_int_eq(acct_result_errcode(res), 1006);
	ck_assert_ptr_null(acct_response_result(r, 6));
	acct_response_free(r);
}
END_TEST

START_TEST(parse_spellings_and_items)
{
	static const char reply[] =
		"<packet>"
		"<reseller><get><result><status>ok</status><id>5</id><data>"
		"<gen-info><cr-date>2024-01-01</cr-date><pname>John</pname><login>reseller-a</login><status>0</status>"
		"<password-type>crypt</password-type><power-user>false</power-user></gen-info>"
		"<permissions><permission><name>create_clients</name><value>true</value></permission></permissions>"
		"<limits><resource-policy><oversell>true</oversell><overuse>block</overuse></resource-policy>"
		"<limit><name>max_cl</name><value>10</value></limit></limits>"
		"<ippool><ip><ip-address>192.0.2.1</ip-address><ip-type>shared</ip-type></ip></ippool>"
		"</data></result>"
		"</get><ippool-add-ip><result><status>ok</status><ip-address>192.0.2.122</ip-address></result>"
		"<result><status>error</status><errcode>1007</errcode><errtext>x</errtext><ip-address>192.0.2.1</ip-address>"
		"</result></ippool-add-ip></reseller>"
		"<client><ippool_add_ip><result><status>ok</status><ip_address>192.0.2.45</ip_address></result>"
		"</ippool_add_ip><get><result><status>ok</status><id>17</id><data><limits><max_dom>10</max_dom></limits>"
		"<permissions><create_domains>true</create_domains></permissions>"
		"<ippool><ip><ip_address>192.0.2.45</ip_address><ip_type>exclusive</ip_type></ip></ippool></data></result>"
		"</get></client>"
		"<user><get><result><status>ok</status><id>21</id><data><gen-info><login>mike</login><name>Mike</name>"
		"<owner-guid>og</owner-guid><status>disabled</status><guid>ug</guid><is-built-in>false</is-built-in>"
		"<contact-info><company>Acme</company><zip>02101</zip><comment>hi</comment></contact-info>"
		"<subscription-domain-id>3</subscription-domain-id><email>m@e</email></gen-info>"
		"<roles><name>Application User</name><name>Webmaster</name></roles></data></result></get></user>"
		"<secret_key><create><result><status>ok</status><key>0f1e2d3c-aaaa-4bbb-8ccc-000000000000</key></result>"
		"</create><get_info><result><status>ok</status><key_info><key>k1</key><ip_address>192.168.0.1</ip_address>"
		"<description/><login>admin</login></key_info><key_info><key>k2</key><ip_address>1.2.3.4</ip_address>"
		"<description>two</description></key_info></result></get_info></secret_key>"
		"<server><get><result><status>ok</status><key><property><name>lim_cl</name><value>-1</value></property>"
		"</key><gen_info><server_name>host</server_name></gen_info></result></get>"
		"<create_session><result><status>ok</status><id>12345678901234567890123456789012</id></result>"
		"</create_session></server>"
		"<session><get><result><status>ok</status><session><id>s1</id><login>bob</login></session></result></get>"
		"</session>"
		"</packet>";
	acct_response *r = parse(reply);
	const acct_result *res;
	const char *a = NULL, *b = NULL;

	ck_assert_uint_eq(acct_response_count(r), 11);
	res = result(r, 0); /* reseller get */
	assert_field(res, ACCT_FIELD_CREATED, "2024-01-01");
	assert_field(res, ACCT_FIELD_LOGIN, "reseller-a");
	assert_field(res, ACCT_PFIELD_POWER_USER, "false");
	assert_field(res, ACCT_PFIELD_OVERSELL, "true");
	assert_field(res, ACCT_PFIELD_OVERUSE, "block");
	ck_assert_str_eq(item_value(res, ACCT_ITEM_PERMISSION, "create_clients"), "true");
	ck_assert_str_eq(item_value(res, ACCT_ITEM_LIMIT, "max_cl"), "10");
	ck_assert_uint_eq(acct_result_item_count(res, ACCT_ITEM_LIMIT), 1);
	ck_assert_ok(acct_result_item(&a, &b, res, ACCT_ITEM_IP, 0));
	ck_assert_str_eq(a, "192.0.2.1");
	ck_assert_str_eq(b, "shared");

	assert_field(result(r, 1), ACCT_PFIELD_IP_ADDRESS, "192.0.2.122");
	ck_assert_int_eq(acct_result_op(result(r, 1)), ACCT_OP_RESELLER_IPPOOL_ADD_IP);
	assert_field(result(r, 2), ACCT_PFIELD_IP_ADDRESS, "192.0.2.1"); /* named in a failed result too */
	ck_assert_int_eq(acct_result_op(result(r, 3)), ACCT_OP_CLIENT_IPPOOL_ADD_IP);
	assert_field(result(r, 3), ACCT_PFIELD_IP_ADDRESS, "192.0.2.45");

	res = result(r, 4); /* legacy client get */
	ck_assert_int_eq(acct_result_op(res), ACCT_OP_CLIENT_GET);
	ck_assert_ok(acct_result_item(&a, &b, res, ACCT_ITEM_LIMIT, 0));
	ck_assert_str_eq(a, "max_dom");
	ck_assert_str_eq(b, "10");
	ck_assert_ok(acct_result_item(&a, &b, res, ACCT_ITEM_PERMISSION, 0));
	ck_assert_str_eq(a, "create_domains");
	ck_assert_str_eq(b, "true");
	ck_assert_ok(acct_result_item(&a, &b, res, ACCT_ITEM_IP, 0)); /* underscore spellings */
	ck_assert_str_eq(a, "192.0.2.45");
	ck_assert_str_eq(b, "exclusive");

	res = result(r, 5); /* user get */
	assert_field(res, ACCT_FIELD_LOGIN, "mike");
	assert_field(res, ACCT_FIELD_NAME, "Mike");
	assert_field(res, ACCT_PFIELD_OWNER_GUID, "og");
	assert_field(res, ACCT_PFIELD_STATUS, "disabled");
	assert_field(res, ACCT_FIELD_GUID, "ug");
	assert_field(res, ACCT_PFIELD_IS_BUILT_IN, "false");
	assert_field(res, ACCT_FIELD_COMPANY, "Acme");
	assert_field(res, ACCT_FIELD_POSTAL_CODE, "02101");
	assert_field(res, ACCT_PFIELD_DESCRIPTION, "hi");
	assert_field(res, ACCT_FIELD_SUBSCRIPTION, "3");
	assert_field(res, ACCT_FIELD_EMAIL, "m@e");
	ck_assert_uint_eq(acct_result_item_count(res, ACCT_ITEM_ROLE), 2);
	ck_assert_ok(acct_result_item(&a, &b, res, ACCT_ITEM_ROLE, 1));
	ck_assert_str_eq(a, "Webmaster");
	ck_assert_ptr_null(b);

	assert_field(result(r, 6), ACCT_PFIELD_KEY, "0f1e2d3c-aaaa-4bbb-8ccc-000000000000");
	res = result(r, 7); /* get_info: one result, several key_info */
	ck_assert_uint_eq(acct_result_item_count(res, ACCT_ITEM_KEY_INFO), 2);
	ck_assert_ok(acct_result_item(&a, &b, res, ACCT_ITEM_KEY_INFO, 1));
	ck_assert_str_eq(a, "k2");
	ck_assert_str_eq(b, "1.2.3.4");
	ck_assert_str_eq(acct_result_item_get(res, ACCT_ITEM_KEY_INFO, 1, "description"), "two");
	ck_assert_str_eq(acct_result_item_get(res, ACCT_ITEM_KEY_INFO, 0, "description"), "");
	ck_assert_ptr_null(acct_result_item_get(res, ACCT_ITEM_KEY_INFO, 1, "login"));
	ck_assert_ptr_null(acct_result_item_get(res, ACCT_ITEM_KEY_INFO, 2, "key"));
	ck_assert_ptr_null(acct_result_item_get(res, ACCT_ITEM_KEY_INFO, 0, NULL));

	res = result(r, 8); /* server get */
	assert_field(res, ACCT_PFIELD_SERVER_NAME, "host");
	ck_assert_str_eq(item_value(res, ACCT_ITEM_KEY_PROPERTY, "lim_cl"), "-1");
	assert_field(res, ACCT_PFIELD_KEY, NULL);

	/* a session id of digits only is still a session id, not a number */
	res = result(r, 9);
	ck_assert_int_eq(acct_result_op(res), ACCT_OP_SERVER_CREATE_SESSION);
	ck_assert_int_eq(acct_result_id(res), 0);
	assert_field(res, ACCT_PFIELD_SESSION_ID, "12345678901234567890123456789012");
	acct_response_free(r);

	r = parse("<packet><session><get><result><status>ok</status><session><id>s1</id><login>bob</login></session>"
	          "</result></get></session></packet>");
	ck_assert_ok(acct_result_item(&a, &b, result(r, 0), ACCT_ITEM_SESSION, 0));
	ck_assert_str_eq(a, "s1");
	ck_assert_str_eq(b, "bob");
	ck_assert_rc(acct_result_item(&a, &b, result(r, 0), ACCT_ITEM_SESSION, 1), ACCT_ENOTFOUND);
	test_assert_last_error(ACCT_ENOTFOUND, "no item 1", "past the end");
	ck_assert_ptr_null(a);
	ck_assert_ptr_null(b);
	ck_assert_rc(acct_result_item(NULL, NULL, result(r, 0), ACCT_ITEM_DOMAIN, 0), ACCT_ENOTFOUND);
	ck_assert_ok(acct_result_item(NULL, NULL, result(r, 0), ACCT_ITEM_SESSION, 0));
	acct_response_free(r);
}
END_TEST

START_TEST(parse_refuses)
{
	static const struct {
		const char *xml;
		const char *needle;
	} bad[] = {
		{ "", "empty" },
		{ "not xml", "The reply is invalid" },
		{ "<packet><customer>", "The reply is invalid" },
		{ "<reply><system/></reply>", "not <packet>" },
		{ "<?xml version=\"1.0\"?><!DOCTYPE packet [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><packet>&x;</packet>",
		  "DOCTYPE" },
		{ "<packet><customer><get><result><status>ok</status><id>&amp</id></result></get></customer></packet>",
		  "The reply is invalid" },
		{ "<packet>\xff</packet>", "The reply is invalid" },
	};
	acct_response *r = (acct_response *)&r;

	for (size_t i = 0; i < N_ELEMS(bad); i++) {
		r = (acct_response *)&r;
		ck_assert_rc(acct_response_parse(&r, bad[i].xml, strlen(bad[i].xml)), ACCT_EPARSE);
		ck_assert_ptr_null(r);
		test_assert_last_error(ACCT_EPARSE, bad[i].needle, bad[i].xml);
		ck_assert_msg(strstr(acct_error_last()->message, "Request") == NULL,
		              "a reply's error speaks of a request: %s", acct_error_last()->message);
	}
	ck_assert_rc(acct_response_parse(&r, "<packet/>\0x", 11), ACCT_EPARSE);
	test_assert_last_error(ACCT_EPARSE, "NUL byte at offset 9", "NUL");
	ck_assert_rc(acct_response_parse(NULL, "<packet/>", 9), ACCT_EINVALID);
	ck_assert_rc(acct_response_parse(&r, NULL, 5), ACCT_EINVALID);
	test_assert_last_error(ACCT_EINVALID, "NULL", "NULL xml");
	ck_assert_rc(acct_response_parse(&r, NULL, 0), ACCT_EPARSE);
	/* an empty packet is a reply with nothing in it */
	r = parse("<packet version=\"1.6.9.1\"/>");
	ck_assert_uint_eq(acct_response_count(r), 0);
	ck_assert_int_eq(acct_response_system_error(NULL, NULL, r), 0);
	acct_response_free(r);
}
END_TEST

/* Replies listing every account are larger than any request may be. */
START_TEST(parse_large_reply)
{
	test_bytes b = TEST_BYTES_INIT;
	acct_response *r;
	const size_t n = 40000;

	test_bytes_printf(&b, "<packet version=\"1.6.9.1\"><customer><get>");
	for (size_t i = 1; i <= n; i++)
		test_bytes_printf(&b, "<result><status>ok</status><id>%zu</id><data><gen_info><login>c%zu</login>"
		                      "</gen_info></data></result>", i, i);
	test_bytes_printf(&b, "</get></customer></packet>");
	ck_assert_uint_gt(b.len, (size_t)2 << 20);
	ck_assert_ok(acct_response_parse(&r, (const char *)b.data, b.len));
	ck_assert_uint_eq(acct_response_count(r), n);
	ck_assert_int_eq(acct_result_id(result(r, n - 1)), (acct_id)n);
	assert_field(result(r, n - 1), ACCT_FIELD_LOGIN, "c40000");
	acct_response_free(r);
	test_bytes_free(&b);
}
END_TEST

START_TEST(accessors_accept_null)
{
	const char *text = "x";
	int code = 5;

	acct_response_free(NULL);
	ck_assert_str_eq(acct_response_version(NULL), "");
	ck_assert_int_eq(acct_response_system_error(&code, &text, NULL), 0);
	ck_assert_int_eq(code, 0);
	ck_assert_str_eq(text, "");
	ck_assert_uint_eq(acct_response_count(NULL), 0);
	ck_assert_ptr_null(acct_response_result(NULL, 0));
	ck_assert_int_eq(acct_result_op(NULL), 0);
	ck_assert_uint_eq(acct_result_operation(NULL), 0);
	ck_assert_int_eq(acct_result_ok(NULL), 0);
	ck_assert_int_eq(acct_result_errcode(NULL), 0);
	ck_assert_str_eq(acct_result_errtext(NULL), "");
	ck_assert_ptr_null(acct_result_filter_id(NULL));
	ck_assert_int_eq(acct_result_id(NULL), 0);
	ck_assert_ptr_null(acct_result_get(NULL, ACCT_FIELD_LOGIN));
	ck_assert_uint_eq(acct_result_item_count(NULL, ACCT_ITEM_LIMIT), 0);
	ck_assert_rc(acct_result_item(NULL, NULL, NULL, ACCT_ITEM_LIMIT, 0), ACCT_ENOTFOUND);
	ck_assert_ptr_null(acct_result_item_get(NULL, ACCT_ITEM_LIMIT, 0, "name"));
	ck_assert_ptr_null(acct_op_name(0));
	ck_assert_ptr_null(acct_op_name(-1));
	ck_assert_ptr_null(acct_op_name(100));
	ck_assert_ptr_null(acct_op_name(199));
	ck_assert_ptr_null(acct_op_name(703));
	ck_assert_ptr_null(acct_op_name(1 << 30));
	{
		acct_response *r = parse("<packet><customer><get><result><status>ok</status><id>4</id></result></get>"
		                         "</customer></packet>");
		ck_assert_ptr_null(acct_result_get(result(r, 0), 0));
		ck_assert_ptr_null(acct_result_get(result(r, 0), 99));
		ck_assert_ptr_null(acct_result_get(result(r, 0), 118));
		ck_assert_ptr_null(acct_result_get(result(r, 0), -3));
		ck_assert_ptr_null(acct_result_filter_id(result(r, 0)));
		ck_assert_str_eq(acct_result_errtext(result(r, 0)), "");
		acct_response_free(r);
	}
}
END_TEST

/* Every golden fixture reply parses, with as many results as it has <result> elements. */
START_TEST(parse_every_fixture_reply)
{
	DIR *d = opendir(FIXTURES_DIR);
	struct dirent *e;
	int seen = 0;

	ck_assert_msg(d != NULL, "cannot open %s", FIXTURES_DIR);
	while ((e = readdir(d)) != NULL) {
		char path[1024], *text;
		size_t n = strlen(e->d_name), results = 0;
		acct_response *r = NULL;
		FILE *f;
		long len;

		if (n < 10 || strcmp(e->d_name + n - 10, ".reply.xml") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", FIXTURES_DIR, e->d_name);
		f = fopen(path, "rb");
		ck_assert_ptr_nonnull(f);
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		fseek(f, 0, SEEK_SET);
		text = malloc((size_t)len + 1);
		ck_assert_uint_eq(fread(text, 1, (size_t)len, f), (size_t)len);
		text[len] = '\0';
		fclose(f);
		for (const char *p = text; (p = strstr(p, "<result>")) != NULL; p++)
			results++;
		ck_assert_msg(acct_response_parse(&r, text, (size_t)len) == 0, "%s: %s", e->d_name,
		              acct_error_last()->message);
		ck_assert_msg(acct_response_count(r) == results, "%s: %zu results, %zu <result>", e->d_name,
		              acct_response_count(r), results);
		ck_assert_int_eq(acct_response_system_error(NULL, NULL, r), strstr(text, "<system>") != NULL);
		acct_response_free(r);
		free(text);
		seen++;
	}
	closedir(d);
	ck_assert_int_ge(seen, 100);
}
END_TEST

/* ------------------------------------------------------------------------ */

static Suite *packet_suite(void)
{
	Suite *s = suite_create("packet");
	TCase *tc;

	tc = tcase_create("roundtrip");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, roundtrip, 0, (int)N_ELEMS(rt_cases));
	tcase_add_test(tc, roundtrip_covers_every_op);
	tcase_add_test(tc, roundtrip_several);
	tcase_add_test(tc, roundtrip_text_values);
	suite_add_tcase(s, tc);

	tc = tcase_create("encode");
	tcase_add_test(tc, encode_customer_add_sample);
	tcase_add_test(tc, encode_spellings);
	tcase_add_test(tc, encode_legacy_by_version);
	tcase_add_test(tc, encode_escapes);
	tcase_add_test(tc, builder_new);
	tcase_add_test(tc, builder_refusals);
	tcase_add_test(tc, builder_encode_missing);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, parse_system_error);
	tcase_add_test(tc, parse_results_and_order);
	tcase_add_test(tc, parse_spellings_and_items);
	tcase_add_test(tc, parse_refuses);
	tcase_add_test(tc, parse_large_reply);
	tcase_add_test(tc, accessors_accept_null);
	tcase_add_test(tc, parse_every_fixture_reply);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(packet_suite(), 1);
}
