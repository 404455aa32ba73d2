/* The seed store of the agent's tests: see agent_seed.h. */
#include "agent_seed.h"

#include <string.h>

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

test_clock seed_clock;

static acct_id seed_add(acct_session *s, acct_id owner, int type, const char *login, const char *name,
                        const char *guid, const char *external_id)
{
	acct_account *a = NULL;
	acct_id id = 0;

	ck_assert_ok(acct_account_new(&a, type));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_LOGIN, login));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_NAME, name));
	ck_assert_ok(acct_account_set(a, ACCT_FIELD_PASSWORD, TEST_PASSWORD));
	if (guid != NULL)
		ck_assert_ok(acct_account_set(a, ACCT_FIELD_GUID, guid));
	if (external_id != NULL)
		ck_assert_ok(acct_account_set(a, ACCT_FIELD_EXTERNAL_ID, external_id));
	if (strcmp(login, "cust1") == 0) {
		ck_assert_ok(acct_account_set(a, ACCT_FIELD_COMPANY, "Acme Ltd"));
		ck_assert_ok(acct_account_set(a, ACCT_FIELD_PHONE, "+1 555 0000"));
		ck_assert_ok(acct_account_set(a, ACCT_FIELD_EMAIL, "cust1@example.com"));
		ck_assert_ok(acct_account_set(a, ACCT_FIELD_COUNTRY, "US"));
		ck_assert_ok(acct_account_set(a, ACCT_FIELD_LOCALE, "en-US"));
		ck_assert_ok(acct_account_set_description(a, 1, "seeded by the admin"));
	}
	ck_assert_ok(acct_account_add(&id, s, owner, a));
	acct_account_free(a);
	return id;
}

void seed_open(seed *sd, int pretty)
{
	acct_ctx_options opts = ACCT_CTX_OPTIONS_INIT;
	acct_agent_options ao = ACCT_AGENT_OPTIONS_INIT;
	acct_storage *st = NULL;
	acct_session *s;
	acct_buf secret = ACCT_BUF_INIT;
	int64_t button;
	static const char *const admin_pool[] = { "192.0.2.10", "192.0.2.11", "192.0.2.12", "192.0.2.13" };

	memset(sd, 0, sizeof *sd);
	seed_clock.now = TEST_CLOCK_START;
	opts.admin_login = TEST_ADMIN_LOGIN;
	opts.admin_password = TEST_ADMIN_PASSWORD;
	opts.password_cost = 4;
	opts.clock = test_clock_now;
	opts.clock_payload = &seed_clock;
	ck_assert_ok(acct_storage_memory_new(&st));
	ck_assert_ok(acct_ctx_new(&sd->ctx, st, &opts));
	ck_assert_ok(acct_session_open(&sd->admin, sd->ctx, TEST_ADMIN_LOGIN, TEST_ADMIN_PASSWORD));
	s = sd->admin;

	sd->res1 = seed_add(s, 1, ACCT_TYPE_RESELLER, "res1", "Reseller One", GUID_RES1, "ext-res1");
	sd->res2 = seed_add(s, 1, ACCT_TYPE_RESELLER, "res2", "Reseller Two", NULL, NULL);
	ck_assert_ok(acct_perm_grant(s, sd->res1, "remote_access_interface", 1));
	ck_assert_ok(acct_limit_set(s, sd->res1, "max_cl", 10));
	for (size_t i = 0; i < N_ELEMS(admin_pool); i++)
		ck_assert_ok(acct_ip_add(s, 1, admin_pool[i], ACCT_IP_SHARED));
	ck_assert_ok(acct_ip_add(s, sd->res1, "192.0.2.10", ACCT_IP_SHARED));
	ck_assert_ok(acct_ip_add(s, sd->res1, "192.0.2.11", ACCT_IP_EXCLUSIVE));
	ck_assert_ok(acct_button_add(&button, s, sd->res1, "Help", "https://help.example/"));

	sd->cust1 = seed_add(s, 1, ACCT_TYPE_CUSTOMER, "cust1", "Customer One", GUID_CUST1, "ext-cust1");
	sd->cust2 = seed_add(s, sd->res1, ACCT_TYPE_CUSTOMER, "cust2", "Customer Two", NULL, "ext-cust2");
	sd->cust3 = seed_add(s, sd->res1, ACCT_TYPE_CUSTOMER, "cust3", "Customer Three", NULL, NULL);
	sd->off = seed_add(s, 1, ACCT_TYPE_CUSTOMER, "cust-off", "Customer Off", NULL, NULL);
	ck_assert_ok(acct_perm_grant(s, sd->cust2, "remote_access_interface", 1));
	ck_assert_ok(acct_account_set_status(s, sd->off, ACCT_STATUS_BY_ADMIN));

	sd->user1 = seed_add(s, sd->cust1, ACCT_TYPE_USER, "user1", "User One", GUID_USER1, "ext-user1");
	ck_assert_ok(acct_role_create(&sd->role, s, sd->cust1, "Support"));
	ck_assert_ok(acct_role_set_permission(s, sd->role, "browseStats", 1));
	ck_assert_ok(acct_user_set_role(s, sd->user1, sd->role, 1));

	ck_assert_ok(acct_key_create(&secret, &sd->key_id, s, 1, CLIENT_IP, "seed key"));
	ck_assert_msg(secret.size > 0 && secret.size < sizeof sd->key, "the seed key is %zu bytes", secret.size);
	memcpy(sd->key, secret.ptr, secret.size + 1);
	acct_buf_dispose(&secret);

	ck_assert_int_eq(sd->res1, 2);
	ck_assert_int_eq(sd->user1, 8);
	ck_assert_int_eq(sd->key_id, 1);

	ao.server_name = SERVER_NAME;
	ao.pretty = pretty;
	ck_assert_ok(acct_agent_configure(sd->ctx, &ao));
}

void seed_close(seed *sd)
{
	acct_session_free(sd->admin);
	acct_ctx_free(sd->ctx);
	memset(sd, 0, sizeof *sd);
}

