/*
 * The account operators: customer, reseller, legacy client and user. Each
 * operation resolves its filter to accounts the session can see (one result
 * per account, in request order, filter-id echoing the value) and calls the
 * same public engine functions a C host calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "agent/agent_internal.h"
#include "util/util.h"

typedef int (*target_fn)(acct__agent_run *run, const acct__reqop *o, const char *filter_id, acct_account *a);

static const char *F(const acct__reqop *o, int field)
{
	return acct__agent_field(o, field);
}

static int type_of(const acct__opinfo *oi)
{
	switch (oi->style) {
	case ACCT__STYLE_RESELLER: return ACCT_TYPE_RESELLER;
	case ACCT__STYLE_USER: return ACCT_TYPE_USER;
	default: return ACCT_TYPE_CUSTOMER;
	}
}

static const char *noun(const acct__opinfo *oi)
{
	return oi->style == ACCT__STYLE_CLIENT ? "client" : acct_account_type_name(type_of(oi));
}

static acct_result *result_for(acct__agent_run *run, const char *filter_id, const acct_account *a)
{
	acct_result *res = acct__response_result(run->resp, filter_id);

	if (res != NULL && a != NULL)
		res->id = acct_account_id(a);
	return res;
}

/* An empty match: one ok result with no data (spec section 3). */
static int empty_match(acct__agent_run *run, const char *filter_id)
{
	acct_result *res = acct__response_result(run->resp, filter_id);

	if (res == NULL)
		return ACCT_ENOMEM;
	res->no_data = 1;
	return 0;
}

/* Look an account up by a filter kind; ACCT_ENOTFOUND covers out-of-scope. */
static int lookup(acct_account **out, acct_session *s, int kind, const char *v)
{
	switch (kind) {
	case ACCT_FILTER_ID:
	case ACCT_FILTER_OWNER_ID:
		return acct_account_lookup(out, s, strtoll(v, NULL, 10));
	case ACCT_FILTER_LOGIN:
	case ACCT_FILTER_OWNER_LOGIN:
		return acct_account_lookup_login(out, s, v);
	case ACCT_FILTER_GUID:
	case ACCT_FILTER_OWNER_GUID:
		return acct_account_lookup_guid(out, s, v);
	default:
		return acct_account_lookup_external_id(out, s, v);
	}
}

/* Call fn for every account below (or equal to) `root` of `type`, in id order. */
static int each_below(acct__agent_run *run, const acct__reqop *o, acct_id root, int mode, int type,
                      const char *filter_id, int include_root, target_fn fn)
{
	acct_account_iterator *it = NULL;
	acct_id id;
	int rc, found = 0;

	if (include_root) {
		acct_account *a = NULL;
		if (acct_account_lookup(&a, run->s, root) == 0 && acct_account_type(a) == type) {
			found++;
			rc = fn(run, o, filter_id, a);
			acct_account_free(a);
			if (rc != 0)
				return rc;
		} else {
			acct_account_free(a);
		}
	}
	if ((rc = acct_account_iterator_new(&it, run->s, root, mode)) != 0)
		return acct__agent_fail_last(run, filter_id);
	while ((rc = acct_account_iterator_next(&id, it)) == 0) {
		acct_account *a = NULL;
		if (acct_account_lookup(&a, run->s, id) != 0)
			continue; /* deleted since the snapshot */
		if (acct_account_type(a) == type) {
			found++;
			rc = fn(run, o, filter_id, a);
		}
		acct_account_free(a);
		if (rc != 0)
			break;
	}
	acct_account_iterator_free(it);
	if (rc == ACCT_ITEROVER)
		rc = 0;
	if (rc == 0 && found == 0)
		return empty_match(run, filter_id);
	return rc;
}

static int each_target(acct__agent_run *run, const acct__reqop *o, target_fn fn)
{
	const acct__opinfo *oi = acct__op_info(o->op);
	int type = type_of(oi), rc = 0;

	if (o->filter_kind == ACCT_FILTER_ALL || o->filter_kind < 0)
		return each_below(run, o, run->actor, ACCT_ITER_DESCENDANTS, type, NULL, 1, fn);
	for (size_t i = 0; i < o->nfilter && rc == 0; i++) {
		const char *v = o->filter[i];
		const char *fname = acct__filter_name(o->filter_kind);
		int kind = o->filter_kind;
		acct_account *a = NULL;

		if (kind == ACCT_FILTER_OWNER_ID || kind == ACCT_FILTER_OWNER_LOGIN || kind == ACCT_FILTER_OWNER_GUID ||
		    kind == ACCT_FILTER_OWNER_EXTERNAL_ID) {
			if (lookup(&a, run->s, kind, v) != 0) {
				rc = acct__agent_fail(run, v, 1013, "owner with %s '%s' was not found", fname + 6, v);
				continue;
			}
			rc = each_below(run, o, acct_account_id(a), ACCT_ITER_CHILDREN, type, v, 0, fn);
			acct_account_free(a);
			continue;
		}
		if (lookup(&a, run->s, kind, v) != 0 || acct_account_type(a) != type) {
			acct_account_free(a);
			rc = acct__agent_fail(run, v, 1013, "%s with %s '%s' was not found", noun(oi), fname, v);
			continue;
		}
		rc = fn(run, o, v, a);
		acct_account_free(a);
	}
	return rc;
}

/* ---- get ---- */

static int put_status(acct__agent_run *run, acct_result *res, const acct_account *a, int style)
{
	unsigned int st = acct_account_status(a);

	if (style == ACCT__STYLE_USER)
		return acct__result_set(run->resp, res, ACCT_PFIELD_STATUS, st == 0 ? "enabled" : "disabled");
	return acct__result_setn(run->resp, res, ACCT_PFIELD_STATUS, st);
}

static int fill_gen(acct__agent_run *run, acct_result *res, const acct_account *a, int style)
{
	acct_response *r = run->resp;
	acct_id owner = acct_account_owner(a);
	char login[256], guid[37];
	const char *desc;
	int rc = 0;

	for (int f = ACCT_FIELD_FIRST; f <= ACCT_FIELD_LAST && rc == 0; f++) {
		const char *v = acct_account_get(a, f);
		if (v != NULL)
			rc = acct__result_set(r, res, f, v);
	}
	if (rc == 0)
		rc = put_status(run, res, a, style);
	if (rc == 0 && owner > 0 && acct__account_ident(run->ctx, owner, NULL, login, guid) == 0) {
		if ((rc = acct__result_setn(r, res, ACCT_PFIELD_OWNER_ID, owner)) == 0 &&
		    (rc = acct__result_set(r, res, ACCT_PFIELD_OWNER_LOGIN, login)) == 0)
			rc = acct__result_set(r, res, ACCT_PFIELD_OWNER_GUID, guid);
	}
	desc = acct_account_description(a, run->actor);
	if (rc == 0 && desc != NULL)
		rc = acct__result_set(r, res, ACCT_PFIELD_DESCRIPTION, desc);
	if (rc == 0 && style == ACCT__STYLE_RESELLER)
		rc = acct__result_set(r, res, ACCT_PFIELD_POWER_USER, "false");
	if (rc == 0 && style == ACCT__STYLE_USER)
		rc = acct__result_set(r, res, ACCT_PFIELD_IS_BUILT_IN, "false");
	return rc;
}

static int item2(acct_response *r, acct_result *res, int kind, const char *a, const char *av, const char *b,
                 const char *bv)
{
	int rc = acct__item_begin(r, res, kind);

	if (rc == 0)
		rc = acct__item_pair(r, a, av);
	if (rc == 0 && b != NULL)
		rc = acct__item_pair(r, b, bv);
	return rc;
}

/* libacct owns no domains, mail or databases: those counters are 0; a
 * reseller's customer counts are real. */
static int fill_stat(acct__agent_run *run, acct_result *res, const acct_account *a, int style)
{
	static const char *const customer_stat[] = {
		"active_domains", "subdomains", "disk_space", "postboxs", "redirects", "mail_groups", "mail_resps",
		"mail_lists", "web_users", "data_bases", "traffic", "traffic_prevday", NULL
	};
	static const char *const reseller_stat[] = {
		"active-clients", "active-domains", "clients", "domains", "subdomains", "domain-aliases", "disk-space",
		"web-users", "data-bases", "postboxs", "mbox-quota", "redirects", "mail-groups", "mail-resps",
		"mail-lists", "mssql-data-bases", "traffic", "traffic-prevday", NULL
	};
	long long clients = 0, active = 0;
	int rc = 0;

	if (style == ACCT__STYLE_RESELLER) {
		acct_account_iterator *it = NULL;
		acct_id id;
		if (acct_account_iterator_new(&it, run->s, acct_account_id(a), ACCT_ITER_CHILDREN) == 0) {
			while (acct_account_iterator_next(&id, it) == 0) {
				int type = 0;
				unsigned int st = 1;
				if (acct__account_ident(run->ctx, id, &type, NULL, NULL) != 0 || type != ACCT_TYPE_CUSTOMER)
					continue;
				clients++;
				if (acct_account_effective_status(&st, run->s, id) == 0 && st == 0)
					active++;
			}
		}
		acct_account_iterator_free(it);
	}
	for (const char *const *n = style == ACCT__STYLE_RESELLER ? reseller_stat : customer_stat; *n && rc == 0; n++) {
		char v[24];
		snprintf(v, sizeof v, "%lld", strcmp(*n, "clients") == 0 ? clients
		                              : strcmp(*n, "active-clients") == 0 ? active : 0LL);
		rc = item2(run->resp, res, ACCT_ITEM_STAT, *n, v, NULL, NULL);
	}
	return rc;
}

static int fill_permissions(acct__agent_run *run, acct_result *res, const acct_account *a)
{
	int n = acct_perm_count(run->ctx, ACCT_CATALOG_ACCOUNT), rc = 0;

	for (int i = 0; i < n && rc == 0; i++) {
		acct_perm_desc d;
		int granted = 0;
		if (acct_perm_describe(&d, run->ctx, ACCT_CATALOG_ACCOUNT, (size_t)i) != 0)
			continue;
		if (d.reseller_only && acct_account_type(a) != ACCT_TYPE_RESELLER)
			continue;
		if (acct_perm_get(&granted, run->s, acct_account_id(a), d.name) != 0)
			continue;
		rc = item2(run->resp, res, ACCT_ITEM_PERMISSION, "name", d.name, "value", granted ? "true" : "false");
	}
	return rc;
}

static int fill_limits(acct__agent_run *run, acct_result *res, const acct_account *a)
{
	acct_id id = acct_account_id(a);
	int rc = 0;

	if (acct_account_type(a) == ACCT_TYPE_RESELLER) {
		int oversell = 0, overuse = 0;
		if (acct_reseller_policy_get(&oversell, &overuse, run->s, id) == 0) {
			rc = acct__result_set(run->resp, res, ACCT_PFIELD_OVERSELL, oversell ? "true" : "false");
			if (rc == 0 && acct_overuse_name(overuse) != NULL)
				rc = acct__result_set(run->resp, res, ACCT_PFIELD_OVERUSE, acct_overuse_name(overuse));
		}
	}
	for (size_t i = 0; i < acct_limit_count() && rc == 0; i++) {
		const char *name = acct_limit_name(i);
		int64_t v = 0;
		char num[24];
		if (strcmp(name, "max_cl") == 0 && acct_account_type(a) != ACCT_TYPE_RESELLER)
			continue;
		if (acct_limit_get(&v, NULL, run->s, id, name) != 0)
			continue;
		snprintf(num, sizeof num, "%lld", (long long)v);
		rc = item2(run->resp, res, ACCT_ITEM_LIMIT, "name", name, "value", num);
	}
	return rc;
}

static int fill_ippool(acct__agent_run *run, acct_result *res, const acct_account *a, int style)
{
	acct_ip_iterator *it = NULL;
	const char *ip;
	int type, rc;
	int dashes = style != ACCT__STYLE_CLIENT;

	if (acct_ip_iterator_new(&it, run->s, acct_account_id(a)) != 0)
		return 0;
	while ((rc = acct_ip_iterator_next(&ip, &type, it)) == 0) {
		rc = item2(run->resp, res, ACCT_ITEM_IP, dashes ? "ip-address" : "ip_address", ip,
		           dashes ? "ip-type" : "ip_type", type == ACCT_IP_EXCLUSIVE ? "exclusive" : "shared");
		if (rc != 0)
			break;
	}
	acct_ip_iterator_free(it);
	return rc == ACCT_ITEROVER ? 0 : rc;
}

static int fill_roles(acct__agent_run *run, acct_result *res, const acct_account *a)
{
	acct_role_iterator *it = NULL;
	acct_role_id role;
	int rc;

	if (acct_role_iterator_new_user(&it, run->s, acct_account_id(a)) != 0)
		return 0;
	while ((rc = acct_role_iterator_next(&role, it)) == 0) {
		acct_buf name = ACCT_BUF_INIT;
		if (acct_role_info(&name, NULL, NULL, run->s, role) == 0)
			rc = item2(run->resp, res, ACCT_ITEM_ROLE, "name", name.ptr, NULL, NULL);
		acct_buf_dispose(&name);
		if (rc != 0)
			break;
	}
	acct_role_iterator_free(it);
	return rc == ACCT_ITEROVER ? 0 : rc;
}

static int on_get(acct__agent_run *run, const acct__reqop *o, const char *filter_id, acct_account *a)
{
	const acct__opinfo *oi = acct__op_info(o->op);
	acct_result *res = result_for(run, filter_id, a);
	size_t index = run->resp->n - 1;
	unsigned int ds = o->datasets;
	int rc = 0;

	if (res == NULL)
		return ACCT_ENOMEM;
	res->data = ds;
	/* Fillers add results' items and strings; `res` is re-read since arrays may move. */
	if (ds & ACCT_DATASET_GEN_INFO)
		rc = fill_gen(run, &run->resp->r[index], a, oi->style);
	if (rc == 0 && (ds & ACCT_DATASET_STAT))
		rc = fill_stat(run, &run->resp->r[index], a, oi->style);
	if (rc == 0 && (ds & ACCT_DATASET_PERMISSIONS))
		rc = fill_permissions(run, &run->resp->r[index], a);
	if (rc == 0 && (ds & ACCT_DATASET_LIMITS))
		rc = fill_limits(run, &run->resp->r[index], a);
	if (rc == 0 && (ds & ACCT_DATASET_IPPOOL))
		rc = fill_ippool(run, &run->resp->r[index], a, oi->style);
	if (rc == 0 && (ds & ACCT_DATASET_ROLES))
		rc = fill_roles(run, &run->resp->r[index], a);
	return rc;
}

/* ---- writes ---- */

static int ok_result(acct__agent_run *run, const char *filter_id, const acct_account *a)
{
	return result_for(run, filter_id, a) != NULL ? 0 : ACCT_ENOMEM;
}

static int done(acct__agent_run *run, const char *filter_id, const acct_account *a, int rc)
{
	if (rc != 0)
		return acct__agent_fail_last(run, filter_id);
	return ok_result(run, filter_id, a);
}

static int is_true(const char *v)
{
	return v != NULL && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
}

/* Text fields of a decoded gen-info onto an account object (validated now). */
static int apply_fields(acct__agent_run *run, const acct__reqop *o, acct_account *a)
{
	const char *desc = F(o, ACCT_PFIELD_DESCRIPTION);
	int rc;

	if (F(o, ACCT_FIELD_GUID) != NULL)
		return acct__error_set(ACCT_ENOTSUPPORTED, "libacct does not regenerate GUIDs (<guid/> in set)");
	if (is_true(F(o, ACCT_PFIELD_POWER_USER)))
		return acct__error_set(ACCT_EINVALID, "power-user mode is not supported by libacct");
	for (int f = ACCT_FIELD_FIRST; f <= ACCT_FIELD_LAST; f++) {
		const char *v = F(o, f);
		if (v != NULL && f != ACCT_FIELD_GUID && (rc = acct_account_set(a, f, v)) != 0)
			return rc;
	}
	if (desc != NULL && (rc = acct_account_set_description(a, run->actor, desc)) != 0)
		return rc;
	return 0;
}

static int changes_fields(const acct__reqop *o)
{
	for (int f = ACCT_FIELD_FIRST; f <= ACCT_FIELD_LAST; f++)
		if (F(o, f) != NULL)
			return 1;
	return F(o, ACCT_PFIELD_DESCRIPTION) != NULL;
}

/* The requested status: Plesk bits, or the user style (1/enabled, 0/disabled). */
static int apply_status(acct__agent_run *run, const acct__reqop *o, acct_id id, int style)
{
	const char *v = F(o, ACCT_PFIELD_STATUS);

	if (v == NULL)
		return 0;
	if (style == ACCT__STYLE_USER) {
		int enable = strcmp(v, "1") == 0 || strcmp(v, "enabled") == 0;
		unsigned int st = 0;
		if (acct_account_effective_status(&st, run->s, id) == 0 && (st == 0) == enable)
			return 0;
		return enable ? acct_account_activate(run->s, id) : acct_account_suspend(run->s, id);
	}
	return acct_account_set_status(run->s, id, (unsigned int)strtoul(v, NULL, 10));
}

static int apply_limits_perms(acct__agent_run *run, const acct__reqop *o, acct_id id)
{
	const char *oversell = F(o, ACCT_PFIELD_OVERSELL), *overuse = F(o, ACCT_PFIELD_OVERUSE);
	int rc = 0;

	if (oversell != NULL || overuse != NULL) {
		int cur_oversell = 0, cur_overuse = ACCT_OVERUSE_NORMAL, ov = 0;
		if ((rc = acct_reseller_policy_get(&cur_oversell, &cur_overuse, run->s, id)) != 0)
			return rc;
		if (overuse != NULL) {
			for (int i = 1; acct_overuse_name(i) != NULL; i++)
				if (strcmp(acct_overuse_name(i), overuse) == 0)
					ov = i;
			if (ov == 0)
				return acct__error_set(ACCT_EINVALID, "overuse '%s' is not one of block, notify, normal, "
				                                      "not_suspend, not_suspend_notify", overuse);
		}
		rc = acct_reseller_policy_set(run->s, id, oversell != NULL ? is_true(oversell) : cur_oversell,
		                              ov != 0 ? ov : cur_overuse);
	}
	for (size_t i = 0; i < o->nitems && rc == 0; i++) {
		const acct__ritem *it = &o->items[i];
		if (it->kind == ACCT_ITEM_LIMIT) {
			char *end;
			long long v = strtoll(it->value, &end, 10);
			if (*it->value == '\0' || *end != '\0')
				rc = acct__error_set(ACCT_EINVALID, "limit %s: '%s' is not a number", it->name, it->value);
			else
				rc = acct_limit_set(run->s, id, it->name, v);
		} else if (it->kind == ACCT_ITEM_PERMISSION) {
			rc = acct_perm_grant(run->s, id, it->name, is_true(it->value));
		}
	}
	return rc;
}

/* Roles by name among those the user's owner may give. */
static int find_role(acct__agent_run *run, acct_id owner, const char *name, acct_role_id *out)
{
	acct_role_iterator *it = NULL;
	acct_role_id role;
	int rc;

	if ((rc = acct_role_iterator_new(&it, run->s, owner)) != 0)
		return rc;
	while ((rc = acct_role_iterator_next(&role, it)) == 0) {
		acct_buf n = ACCT_BUF_INIT;
		int same = acct_role_info(&n, NULL, NULL, run->s, role) == 0 && strcmp(n.ptr, name) == 0;
		acct_buf_dispose(&n);
		if (same) {
			*out = role;
			break;
		}
	}
	acct_role_iterator_free(it);
	if (rc == ACCT_ITEROVER)
		return acct__error_set(ACCT_ENOTFOUND, "role '%s' not found", name);
	return rc;
}

/* Make the user's roles exactly the named ones. */
static int apply_roles(acct__agent_run *run, const acct__reqop *o, acct_id user, acct_id owner)
{
	acct_role_iterator *it = NULL;
	acct_role_id role, wanted[64];
	size_t nwanted = 0;
	int rc = 0;

	if (!o->has_roles)
		return 0;
	for (size_t i = 0; i < o->nitems && rc == 0; i++) {
		if (o->items[i].kind != ACCT_ITEM_ROLE)
			continue;
		if (nwanted == sizeof wanted / sizeof wanted[0])
			return acct__error_set(ACCT_EINVALID, "a user may be given at most 64 roles in one request");
		rc = find_role(run, owner, o->items[i].name, &wanted[nwanted++]);
	}
	if (rc != 0)
		return rc;
	if ((rc = acct_role_iterator_new_user(&it, run->s, user)) != 0)
		return rc;
	while ((rc = acct_role_iterator_next(&role, it)) == 0) {
		size_t i;
		for (i = 0; i < nwanted && wanted[i] != role; i++)
			;
		if (i == nwanted && (rc = acct_user_set_role(run->s, user, role, 0)) != 0)
			break;
	}
	acct_role_iterator_free(it);
	if (rc != ACCT_ITEROVER && rc != 0)
		return rc;
	rc = 0;
	for (size_t i = 0; i < nwanted && rc == 0; i++)
		rc = acct_user_set_role(run->s, user, wanted[i], 1);
	return rc;
}

/* The owner of a new account: the one named, or the actor (a user's owner for users). */
static int new_owner(acct__agent_run *run, const acct__reqop *o, acct_id *owner)
{
	static const struct { int field, kind; } by[] = {
		{ ACCT_PFIELD_OWNER_ID, ACCT_FILTER_ID }, { ACCT_PFIELD_OWNER_LOGIN, ACCT_FILTER_LOGIN },
		{ ACCT_PFIELD_OWNER_GUID, ACCT_FILTER_GUID }, { ACCT_PFIELD_OWNER_EXTERNAL_ID, ACCT_FILTER_EXTERNAL_ID },
	};
	for (size_t i = 0; i < sizeof by / sizeof by[0]; i++) {
		const char *v = F(o, by[i].field);
		acct_account *a = NULL;
		if (v == NULL)
			continue;
		if (lookup(&a, run->s, by[i].kind, v) != 0)
			return acct__error_set(ACCT_EOWNER, "owner '%s' was not found", v);
		*owner = acct_account_id(a);
		acct_account_free(a);
		return 0;
	}
	*owner = run->actor;
	if (run->actor_type == ACCT_TYPE_USER) {
		acct_account *me = NULL;
		if (acct_account_lookup(&me, run->s, run->actor) == 0)
			*owner = acct_account_owner(me);
		acct_account_free(me);
	}
	return 0;
}

static int op_add(acct__agent_run *run, const acct__reqop *o)
{
	const acct__opinfo *oi = acct__op_info(o->op);
	acct_account *a = NULL;
	acct_id owner = 0, id = 0;
	acct_result *res;
	int rc;

	if (F(o, ACCT_PFIELD_PLAN_NAME) != NULL)
		return acct__agent_fail(run, NULL, 1017, "libacct has no service plans ('%s'): send limits and "
		                        "permissions instead", F(o, ACCT_PFIELD_PLAN_NAME));
	rc = acct_account_new(&a, type_of(oi));
	if (rc == 0)
		rc = apply_fields(run, o, a);
	if (rc == 0)
		rc = new_owner(run, o, &owner);
	if (rc == 0)
		rc = acct_account_add(&id, run->s, owner, a);
	if (rc == 0) {
		/* Status, limits, permissions and roles follow the add; if one is
		 * refused the account is removed again, so the add is all or nothing. */
		rc = apply_status(run, o, id, oi->style);
		if (rc == 0)
			rc = apply_limits_perms(run, o, id);
		if (rc == 0)
			rc = apply_roles(run, o, id, owner);
		if (rc != 0) {
			acct__error_saved sv;
			char why[300];
			acct__error_save(&sv);
			if (acct_account_delete(run->s, id) != 0) {
				/* Say so: the account stays, and the caller must know. */
				snprintf(why, sizeof why, "%s", acct_error_last()->message);
				acct__error_restore(&sv);
				acct__error_set(acct_error_last()->code, "%s; the account (id %lld) was created but could not be "
				                "removed again: %s", acct_error_last()->message, (long long)id, why);
			} else {
				acct__error_restore(&sv);
			}
		}
	}
	if (rc != 0) {
		acct_account_free(a);
		return acct__agent_fail_last(run, NULL);
	}
	res = acct__response_result(run->resp, NULL);
	if (res != NULL) {
		res->id = id;
		rc = acct__result_set(run->resp, res, ACCT_FIELD_GUID, acct_account_get(a, ACCT_FIELD_GUID));
	} else {
		rc = ACCT_ENOMEM;
	}
	acct_account_free(a);
	return rc;
}

static int on_set(acct__agent_run *run, const acct__reqop *o, const char *filter_id, acct_account *a)
{
	const acct__opinfo *oi = acct__op_info(o->op);
	acct_id id = acct_account_id(a);
	unsigned int old_status = acct_account_status(a);
	int rc = apply_fields(run, o, a);

	/* Fields are validated on the object before the store changes; a status
	 * change is undone when the fields it came with are refused. */
	if (rc == 0)
		rc = apply_status(run, o, id, oi->style);
	if (rc == 0 && changes_fields(o) && (rc = acct_account_update(run->s, a)) != 0 &&
	    F(o, ACCT_PFIELD_STATUS) != NULL) {
		acct__error_saved sv;
		acct__error_save(&sv);
		acct_account_set_status(run->s, id, old_status);
		acct__error_restore(&sv);
	}
	if (rc == 0)
		rc = apply_limits_perms(run, o, id);
	if (rc == 0 && oi->style == ACCT__STYLE_USER)
		rc = apply_roles(run, o, id, acct_account_owner(a));
	return done(run, filter_id, a, rc);
}

static int on_del(acct__agent_run *run, const acct__reqop *o, const char *filter_id, acct_account *a)
{
	(void)o;
	return done(run, filter_id, a, acct_account_delete(run->s, acct_account_id(a)));
}

static int on_convert(acct__agent_run *run, const acct__reqop *o, const char *filter_id, acct_account *a)
{
	int to = acct__op_info(o->op)->style == ACCT__STYLE_RESELLER ? ACCT_TYPE_CUSTOMER : ACCT_TYPE_RESELLER;

	if (F(o, ACCT_PFIELD_PLAN_NAME) != NULL)
		return acct__agent_fail(run, filter_id, 1017, "libacct has no service plans ('%s'); convert without one: "
		                        "the account keeps its permissions and limits", F(o, ACCT_PFIELD_PLAN_NAME));
	return done(run, filter_id, a, acct_account_convert(run->s, acct_account_id(a), to));
}

static int in_pool(acct__agent_run *run, acct_id account, const char *ip)
{
	acct_ip_iterator *it = NULL;
	const char *have;
	int found = 0;

	if (acct_ip_iterator_new(&it, run->s, account) != 0)
		return 0;
	while (!found && acct_ip_iterator_next(&have, NULL, it) == 0)
		found = strcmp(have, ip) == 0;
	acct_ip_iterator_free(it);
	return found;
}

static int on_change_owner(acct__agent_run *run, const acct__reqop *o, const char *filter_id, acct_account *a)
{
	const char *login = F(o, ACCT_PFIELD_NEW_OWNER_LOGIN);
	acct_account *to = NULL;
	acct_id owner;

	if (F(o, ACCT_PFIELD_PLAN_NAME) != NULL)
		return acct__agent_fail(run, filter_id, 1017, "libacct has no service plans ('%s')",
		                        F(o, ACCT_PFIELD_PLAN_NAME));
	if (acct_account_lookup_login(&to, run->s, login) != 0)
		return acct__agent_fail(run, filter_id, 1015, "new owner '%s' was not found", login);
	owner = acct_account_id(to);
	acct_account_free(to);
	for (size_t i = 0; i < o->nitems; i++)
		if (o->items[i].kind == ACCT_ITEM_IP && !in_pool(run, owner, o->items[i].name))
			return acct__agent_fail(run, filter_id, 1018, "IP address %s is not in the pool of '%s'",
			                        o->items[i].name, login);
	return done(run, filter_id, a, acct_account_change_owner(run->s, acct_account_id(a), owner));
}

static int on_domains(acct__agent_run *run, const acct__reqop *o, const char *filter_id, acct_account *a)
{
	(void)o;
	return ok_result(run, filter_id, a); /* libacct owns no domains: <domains/> */
}

static int on_buttons(acct__agent_run *run, const acct__reqop *o, const char *filter_id, acct_account *a)
{
	acct_button_iterator *it = NULL;
	acct_result *res = result_for(run, filter_id, a);
	size_t index = run->resp->n - 1;
	const char *label, *url;
	int64_t bid;
	int rc;

	(void)o;
	if (res == NULL)
		return ACCT_ENOMEM;
	if (acct_button_iterator_new(&it, run->s, acct_account_id(a)) != 0)
		return acct__result_failed_last(run->resp, res);
	while ((rc = acct_button_iterator_next(&bid, &label, &url, it)) == 0) {
		char num[24];
		snprintf(num, sizeof num, "%lld", (long long)bid);
		rc = item2(run->resp, &run->resp->r[index], ACCT_ITEM_BUTTON, "id", num, "label", label);
		if (rc == 0)
			rc = acct__item_pair(run->resp, "url", url);
		if (rc != 0)
			break;
	}
	acct_button_iterator_free(it);
	return rc == ACCT_ITEROVER ? 0 : rc;
}

static const char *writers(unsigned int bits, int i)
{
	static const struct { unsigned int bit; const char *name; } w[] = {
		{ ACCT_WRITABLE_BY_ADMIN, "admin" }, { ACCT_WRITABLE_BY_RESELLER, "reseller" },
		{ ACCT_WRITABLE_BY_CUSTOMER, "client" },
	};
	return (bits & w[i].bit) ? w[i].name : NULL;
}

static int describe(acct__agent_run *run, const acct__reqop *o, const char *filter_id, acct_account *a)
{
	int limits = o->op == ACCT_OP_RESELLER_GET_LIMIT_DESCRIPTOR || o->op == ACCT_OP_CLIENT_GET_LIMIT_DESCRIPTOR;
	int type = a != NULL ? acct_account_type(a) : type_of(acct__op_info(o->op));
	acct_result *res = result_for(run, filter_id, a);
	acct_response *r = run->resp;
	size_t index = r->n - 1;
	int rc = 0;

	if (res == NULL)
		return ACCT_ENOMEM;
	if (limits) {
		for (size_t i = 0; i < acct_limit_count() && rc == 0; i++) {
			const char *name = acct_limit_name(i);
			char label[80];
			if (strcmp(name, "max_cl") == 0 && type != ACCT_TYPE_RESELLER)
				continue;
			snprintf(label, sizeof label, "limit__%s", name);
			rc = item2(r, &r->r[index], ACCT_ITEM_PROPERTY, "name", name, "type", "int");
			if (rc == 0)
				rc = acct__item_pair(r, "default-value", "-1");
			if (rc == 0)
				rc = acct__item_pair(r, "writable-by", "admin");
			if (rc == 0 && type == ACCT_TYPE_CUSTOMER)
				rc = acct__item_pair(r, "writable-by", "reseller");
			if (rc == 0)
				rc = acct__item_pair(r, "label", label);
			if (rc == 0)
				rc = acct__item_pair(r, "extension/shared", "false");
		}
		return rc;
	}
	for (int i = 0, n = acct_perm_count(run->ctx, ACCT_CATALOG_ACCOUNT); i < n && rc == 0; i++) {
		acct_perm_desc d;
		if (acct_perm_describe(&d, run->ctx, ACCT_CATALOG_ACCOUNT, (size_t)i) != 0 ||
		    (d.reseller_only && type != ACCT_TYPE_RESELLER))
			continue;
		rc = item2(r, &r->r[index], ACCT_ITEM_PROPERTY, "name", d.name, "type", "boolean");
		if (rc == 0)
			rc = acct__item_pair(r, "default-value", d.default_value ? "true" : "false");
		for (int w = 0; w < 3 && rc == 0; w++)
			if (writers(d.writable_by, w) != NULL)
				rc = acct__item_pair(r, "writable-by", writers(d.writable_by, w));
		if (rc == 0)
			rc = acct__item_pair(r, "label", d.label != NULL ? d.label : d.name);
		if (rc == 0 && d.reseller_only)
			rc = acct__item_pair(r, "extension/level", "reseller");
	}
	return rc;
}

/* ---- IP pools ---- */

static int pool_owner(acct__agent_run *run, const acct__reqop *o, int type, acct_id *id)
{
	const char *v = F(o, ACCT_PFIELD_ACCOUNT_ID);
	acct_account *a = NULL;
	int rc = v != NULL ? acct_account_lookup(&a, run->s, strtoll(v, NULL, 10))
	                   : acct_account_lookup_external_id(&a, run->s, F(o, ACCT_FIELD_EXTERNAL_ID));

	if (rc != 0 || acct_account_type(a) != type) {
		acct_account_free(a);
		return acct__error_set(ACCT_ENOTFOUND, "%s %s '%s' was not found", acct_account_type_name(type),
		                       v != NULL ? "with id" : "with external-id",
		                       v != NULL ? v : F(o, ACCT_FIELD_EXTERNAL_ID));
	}
	*id = acct_account_id(a);
	acct_account_free(a);
	return 0;
}

static int ip_result(acct__agent_run *run, const char *ip, int rc)
{
	acct_result *res;

	if (rc != 0) {
		/* the failed result names its address, as a successful one does */
		if ((rc = acct__agent_fail_last(run, NULL)) != 0)
			return rc;
		return acct__result_set(run->resp, &run->resp->r[run->resp->n - 1], ACCT_PFIELD_IP_ADDRESS, ip);
	}
	res = acct__response_result(run->resp, NULL);
	if (res == NULL)
		return ACCT_ENOMEM;
	return acct__result_set(run->resp, res, ACCT_PFIELD_IP_ADDRESS, ip);
}

static int op_ippool(acct__agent_run *run, const acct__reqop *o)
{
	int legacy = acct__op_info(o->op)->style == ACCT__STYLE_CLIENT;
	acct_id id = 0;
	int rc = 0;

	if (pool_owner(run, o, legacy ? ACCT_TYPE_CUSTOMER : ACCT_TYPE_RESELLER, &id) != 0)
		return acct__agent_fail_last(run, NULL);
	if (legacy) {
		const char *ip = F(o, ACCT_PFIELD_IP_ADDRESS);
		return ip_result(run, ip, o->op == ACCT_OP_CLIENT_IPPOOL_ADD_IP ? acct_ip_add(run->s, id, ip, ACCT_IP_SHARED)
		                                                               : acct_ip_remove(run->s, id, ip));
	}
	if (o->op == ACCT_OP_RESELLER_IPPOOL_SET_IP) {
		int type = strcmp(F(o, ACCT_PFIELD_IP_TYPE), "exclusive") == 0 ? ACCT_IP_EXCLUSIVE : ACCT_IP_SHARED;
		for (size_t i = 0; i < o->nfilter && rc == 0; i++)
			rc = ip_result(run, o->filter[i], acct_ip_set_type(run->s, id, o->filter[i], type));
		return rc;
	}
	for (size_t i = 0; i < o->nitems && rc == 0; i++) {
		const acct__ritem *it = &o->items[i];
		if (it->kind != ACCT_ITEM_IP)
			continue;
		if (o->op == ACCT_OP_RESELLER_IPPOOL_ADD_IP)
			rc = ip_result(run, it->name,
			               acct_ip_add(run->s, id, it->name,
			                           it->value != NULL && strcmp(it->value, "exclusive") == 0 ? ACCT_IP_EXCLUSIVE
			                                                                                   : ACCT_IP_SHARED));
		else
			rc = ip_result(run, it->name, acct_ip_remove(run->s, id, it->name));
	}
	return rc;
}

int acct__agent_accounts(acct__agent_run *run, const acct__reqop *o)
{
	switch (o->op) {
	case ACCT_OP_CUSTOMER_ADD:
	case ACCT_OP_RESELLER_ADD:
	case ACCT_OP_CLIENT_ADD:
	case ACCT_OP_USER_ADD:
		return op_add(run, o);
	case ACCT_OP_CUSTOMER_GET:
	case ACCT_OP_RESELLER_GET:
	case ACCT_OP_CLIENT_GET:
	case ACCT_OP_USER_GET:
		return each_target(run, o, on_get);
	case ACCT_OP_CUSTOMER_SET:
	case ACCT_OP_RESELLER_SET:
	case ACCT_OP_CLIENT_SET:
	case ACCT_OP_USER_SET:
		return each_target(run, o, on_set);
	case ACCT_OP_CUSTOMER_DEL:
	case ACCT_OP_RESELLER_DEL:
	case ACCT_OP_CLIENT_DEL:
	case ACCT_OP_USER_DEL:
		return each_target(run, o, on_del);
	case ACCT_OP_CUSTOMER_CONVERT_TO_RESELLER:
	case ACCT_OP_CLIENT_CONVERT_TO_RESELLER:
	case ACCT_OP_RESELLER_CONVERT_TO_CUSTOMER:
		return each_target(run, o, on_convert);
	case ACCT_OP_CUSTOMER_CHANGE_OWNER:
	case ACCT_OP_CLIENT_CHANGE_OWNER:
		return each_target(run, o, on_change_owner);
	case ACCT_OP_CUSTOMER_GET_DOMAIN_LIST:
		return each_target(run, o, on_domains);
	case ACCT_OP_RESELLER_CFORM_BUTTONS_LIST:
	case ACCT_OP_CLIENT_CFORM_BUTTONS_LIST:
		return each_target(run, o, on_buttons);
	case ACCT_OP_RESELLER_GET_LIMIT_DESCRIPTOR:
	case ACCT_OP_RESELLER_GET_PERMISSION_DESCRIPTOR:
	case ACCT_OP_CLIENT_GET_LIMIT_DESCRIPTOR:
	case ACCT_OP_CLIENT_GET_PERMISSION_DESCRIPTOR:
		/* The legacy client may leave the filter out: the server-level descriptor. */
		if (o->filter_kind < 0)
			return describe(run, o, NULL, NULL);
		return each_target(run, o, describe);
	case ACCT_OP_RESELLER_IPPOOL_ADD_IP:
	case ACCT_OP_RESELLER_IPPOOL_DEL_IP:
	case ACCT_OP_RESELLER_IPPOOL_SET_IP:
	case ACCT_OP_CLIENT_IPPOOL_ADD_IP:
	case ACCT_OP_CLIENT_IPPOOL_DEL_IP:
		return op_ippool(run, o);
	default:
		return acct__agent_fail(run, NULL, 1017, "operation %d is not supported", o->op);
	}
}
