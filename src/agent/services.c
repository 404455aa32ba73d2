/*
 * The other operators: secret_key (spec section 8), server (get_protos, get
 * with key and gen_info, create_session) and session (get, terminate).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "agent/agent_internal.h"
#include "util/util.h"

static const char *F(const acct__reqop *o, int field)
{
	return acct__agent_field(o, field);
}

static int key_info(acct__agent_run *run, size_t index, acct_id key, const char *shown)
{
	acct_buf ips = ACCT_BUF_INIT, desc = ACCT_BUF_INIT;
	acct_response *r = run->resp;
	acct_id account = 0;
	char login[256] = "";
	int rc = acct_key_info(&account, &ips, &desc, run->s, key);

	if (rc == 0) {
		acct__account_ident(run->ctx, account, NULL, login, NULL);
		rc = acct__item_begin(r, &r->r[index], ACCT_ITEM_KEY_INFO);
		if (rc == 0)
			rc = acct__item_pair(r, "key", shown);
		if (rc == 0)
			rc = acct__item_pair(r, "ip_address", ips.ptr != NULL ? ips.ptr : "");
		if (rc == 0)
			rc = acct__item_pair(r, "description", desc.ptr != NULL ? desc.ptr : "");
		if (rc == 0)
			rc = acct__item_pair(r, "login", login);
	}
	acct_buf_dispose(&ips);
	acct_buf_dispose(&desc);
	return rc;
}

/* A key named in a filter: the secret itself, or the id listings show
 * (libacct stores only hashes, so a listing cannot show the secret). */
static int find_key(acct__agent_run *run, const char *v, acct_id *id)
{
	char *end;
	long long n = strtoll(v, &end, 10);

	if (*v != '\0' && *end == '\0' && n > 0) {
		acct_id account;
		if (acct_key_info(&account, NULL, NULL, run->s, n) == 0) {
			*id = n;
			return 0;
		}
		return acct__error_set(ACCT_ENOTFOUND, "secret key %s was not found", v);
	}
	if (acct_key_find(id, run->s, v) != 0)
		return acct__error_set(ACCT_ENOTFOUND, "secret key '%s' was not found", v);
	return 0;
}

static int op_key_create(acct__agent_run *run, const acct__reqop *o)
{
	const char *ip = F(o, ACCT_PFIELD_IP_ADDRESS), *login = F(o, ACCT_FIELD_LOGIN);
	acct_buf secret = ACCT_BUF_INIT;
	acct_id account = run->actor;
	acct_result *res;
	int rc;

	/* Bound to the given addresses, or to the creator's own (spec section 2). */
	if (ip == NULL || *ip == '\0')
		ip = run->cred != NULL ? run->cred->client_ip : NULL;
	if (ip == NULL)
		return acct__agent_fail(run, NULL, 1019, "ip_address is required: the request's client address is unknown");
	if (login != NULL && *login != '\0') {
		acct_account *a = NULL;
		if (acct_account_lookup_login(&a, run->s, login) != 0)
			return acct__agent_fail(run, NULL, 1013, "login '%s' was not found", login);
		account = acct_account_id(a);
		acct_account_free(a);
	}
	rc = acct_key_create(&secret, NULL, run->s, account, ip, F(o, ACCT_PFIELD_DESCRIPTION));
	if (rc != 0)
		return acct__agent_fail_last(run, NULL);
	res = acct__response_result(run->resp, NULL);
	rc = res != NULL ? acct__result_set(run->resp, res, ACCT_PFIELD_KEY, secret.ptr) : ACCT_ENOMEM;
	acct__free_secret(secret.ptr);
	return rc;
}

static int op_key_get_info(acct__agent_run *run, const acct__reqop *o)
{
	int rc = 0;

	if (o->filter_kind <= ACCT_FILTER_ALL) {
		acct_key_iterator *it = NULL;
		acct_result *res = acct__response_result(run->resp, NULL);
		size_t index = run->resp->n - 1;
		acct_id key;

		if (res == NULL)
			return ACCT_ENOMEM;
		if (acct_key_iterator_new(&it, run->s, 0) != 0)
			return acct__result_failed_last(run->resp, res);
		while (rc == 0 && acct_key_iterator_next(&key, it) == 0) {
			char shown[24];
			snprintf(shown, sizeof shown, "%lld", (long long)key);
			rc = key_info(run, index, key, shown);
		}
		acct_key_iterator_free(it);
		if (rc == 0 && run->resp->r[index].ni == 0)
			run->resp->r[index].no_data = 1;
		return rc;
	}
	for (size_t i = 0; i < o->nfilter && rc == 0; i++) {
		acct_id key;
		if (find_key(run, o->filter[i], &key) != 0) {
			rc = acct__agent_fail_last(run, NULL);
			if (rc == 0) /* the failed result names the key it was given */
				rc = acct__result_set(run->resp, &run->resp->r[run->resp->n - 1], ACCT_PFIELD_KEY, o->filter[i]);
			continue;
		}
		if (acct__response_result(run->resp, NULL) == NULL)
			return ACCT_ENOMEM;
		rc = key_info(run, run->resp->n - 1, key, o->filter[i]);
	}
	return rc;
}

static int op_key_delete(acct__agent_run *run, const acct__reqop *o)
{
	int rc = 0;

	if (o->filter_kind <= ACCT_FILTER_ALL)
		return acct__agent_fail(run, NULL, 1019, "name the keys to delete: <filter><key>...</key></filter>");
	for (size_t i = 0; i < o->nfilter && rc == 0; i++) {
		acct_result *res;
		acct_id key;
		if (find_key(run, o->filter[i], &key) != 0 || acct_key_delete(run->s, key) != 0) {
			rc = acct__agent_fail_last(run, NULL);
			if (rc == 0)
				rc = acct__result_set(run->resp, &run->resp->r[run->resp->n - 1], ACCT_PFIELD_KEY, o->filter[i]);
			continue;
		}
		res = acct__response_result(run->resp, NULL);
		rc = res != NULL ? acct__result_set(run->resp, res, ACCT_PFIELD_KEY, o->filter[i]) : ACCT_ENOMEM;
	}
	return rc;
}

static int op_get_protos(acct__agent_run *run)
{
	acct_result *res = acct__response_result(run->resp, NULL);
	size_t index = run->resp->n - 1;
	int rc = 0;

	if (res == NULL)
		return ACCT_ENOMEM;
	for (size_t i = 0; acct__protos[i] != NULL && rc == 0; i++) {
		rc = acct__item_begin(run->resp, &run->resp->r[index], ACCT_ITEM_PROTO);
		if (rc == 0)
			rc = acct__item_pair(run->resp, "proto", acct__protos[i]);
	}
	return rc;
}

static int key_property(acct__agent_run *run, size_t index, const char *name, const char *value)
{
	int rc = acct__item_begin(run->resp, &run->resp->r[index], ACCT_ITEM_KEY_PROPERTY);

	if (rc == 0)
		rc = acct__item_pair(run->resp, "name", name);
	if (rc == 0)
		rc = acct__item_pair(run->resp, "value", value);
	return rc;
}

/* server get: <key> holds what libacct's configuration says the caller may
 * do (there is no license); <gen_info> names the server. */
static int op_server_get(acct__agent_run *run, const acct__reqop *o)
{
	acct_result *res = acct__response_result(run->resp, NULL);
	size_t index = run->resp->n - 1;
	char admin_guid[37] = "", num[24], host[256];
	int rc = 0;

	if (res == NULL)
		return ACCT_ENOMEM;
	res->data = o->datasets;
	acct__account_ident(run->ctx, 1, NULL, NULL, admin_guid);
	if (o->datasets & ACCT_DATASET_KEY) {
		int64_t lim_cl = -1;
		int can_customers = 0;

		if (run->actor_type == ACCT_TYPE_RESELLER)
			acct_limit_get(&lim_cl, NULL, run->s, run->actor, "max_cl");
		can_customers = run->actor_type == ACCT_TYPE_ADMIN ||
		                (acct_check(&can_customers, run->s, "create_clients", run->actor) == 0 && can_customers);
		snprintf(num, sizeof num, "%lld", (long long)lim_cl);
		rc = key_property(run, index, "plesk_key_id", admin_guid);
		if (rc == 0)
			rc = key_property(run, index, "lim_date", "none");
		if (rc == 0)
			rc = key_property(run, index, "lim_cl", num);
		if (rc == 0)
			rc = key_property(run, index, "lim_dom", "-1");
		if (rc == 0)
			rc = key_property(run, index, "can-manage-customers", can_customers ? "true" : "false");
		if (rc == 0)
			rc = key_property(run, index, "can-manage-resellers",
			                  run->actor_type == ACCT_TYPE_ADMIN ? "true" : "false");
	}
	if (rc == 0 && (o->datasets & ACCT_DATASET_GEN_INFO)) {
		const char *name = run->conf->server_name;
		if (*name == '\0') {
			if (gethostname(host, sizeof host) != 0)
				snprintf(host, sizeof host, "localhost");
			host[sizeof host - 1] = '\0';
			name = host;
		}
		rc = acct__result_set(run->resp, &run->resp->r[index], ACCT_PFIELD_SERVER_NAME, name);
		if (rc == 0)
			rc = acct__result_set(run->resp, &run->resp->r[index], ACCT_FIELD_GUID, admin_guid);
	}
	return rc;
}

static int op_create_session(acct__agent_run *run, const acct__reqop *o)
{
	const char *ip = F(o, ACCT_PFIELD_IP_ADDRESS);
	acct_result *res;
	char id[33];

	if (ip == NULL && run->cred != NULL)
		ip = run->cred->client_ip;
	if (acct__login_session_create(id, run->s, F(o, ACCT_FIELD_LOGIN), ip) != 0)
		return acct__agent_fail_last(run, NULL);
	res = acct__response_result(run->resp, NULL);
	return res != NULL ? acct__result_set(run->resp, res, ACCT_PFIELD_SESSION_ID, id) : ACCT_ENOMEM;
}

static int op_session_get(acct__agent_run *run)
{
	acct__login_session *list = NULL;
	acct_result *res;
	size_t n = 0, index;
	int64_t now = acct__now(run->ctx);
	int rc;

	if (acct__login_session_list(&list, &n, run->s) != 0)
		return acct__agent_fail_last(run, NULL);
	res = acct__response_result(run->resp, NULL);
	index = run->resp->n - 1;
	rc = res != NULL ? 0 : ACCT_ENOMEM;
	if (rc == 0 && n == 0)
		res->no_data = 1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		acct_response *r = run->resp;
		char created[32], idle[24];
		time_t t = (time_t)list[i].created;
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
		snprintf(idle, sizeof idle, "%lld", (long long)(now - list[i].created));
		rc = acct__item_begin(r, &r->r[index], ACCT_ITEM_SESSION);
		if (rc == 0)
			rc = acct__item_pair(r, "id", list[i].id);
		if (rc == 0)
			rc = acct__item_pair(r, "type", "CP");
		if (rc == 0)
			rc = acct__item_pair(r, "ip-address", list[i].ip);
		if (rc == 0)
			rc = acct__item_pair(r, "login", list[i].login);
		if (rc == 0)
			rc = acct__item_pair(r, "login-time", created);
		if (rc == 0)
			rc = acct__item_pair(r, "idle", idle);
	}
	acct__free(list);
	return rc;
}

static int op_session_terminate(acct__agent_run *run, const acct__reqop *o)
{
	const char *id = F(o, ACCT_PFIELD_SESSION_ID);

	if (acct__login_session_terminate(run->s, id) != 0)
		return acct__agent_fail_last(run, NULL);
	return acct__response_result(run->resp, NULL) != NULL ? 0 : ACCT_ENOMEM;
}

int acct__agent_services(acct__agent_run *run, const acct__reqop *o)
{
	switch (o->op) {
	case ACCT_OP_SECRET_KEY_CREATE: return op_key_create(run, o);
	case ACCT_OP_SECRET_KEY_GET_INFO: return op_key_get_info(run, o);
	case ACCT_OP_SECRET_KEY_DELETE: return op_key_delete(run, o);
	case ACCT_OP_SERVER_GET_PROTOS: return op_get_protos(run);
	case ACCT_OP_SERVER_GET: return op_server_get(run, o);
	case ACCT_OP_SERVER_CREATE_SESSION: return op_create_session(run, o);
	case ACCT_OP_SESSION_GET: return op_session_get(run);
	case ACCT_OP_SESSION_TERMINATE: return op_session_terminate(run, o);
	default: return acct__agent_fail(run, NULL, 1017, "operation %d is not supported", o->op);
	}
}
