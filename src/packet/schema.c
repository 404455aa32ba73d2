/*
 * The protocol's tables: operators and operations with their versions,
 * filters and datasets, and the gen-info sequences of every operator in
 * schema order (spec/plesk-protocol.md sections 4 to 9). Encoders and the
 * decoder both walk these, so the two directions cannot drift apart.
 */
#include <stdlib.h>
#include <string.h>
#include "packet/packet.h"

/* Every version get_protos lists (spec section 1, "Protocol versions"). */
const char *const acct__protos[] = {
	"1.0.0.0", "1.1.0.0", "1.2.0.0", "1.3.0.0", "1.3.1.0", "1.3.2.0", "1.3.3.0", "1.3.4.0", "1.3.5.0",
	"1.4.0.0", "1.4.1.0", "1.4.1.1", "1.4.1.2", "1.4.2.0", "1.5.0.0", "1.5.1.0", "1.5.2.0", "1.6.0.0",
	"1.6.0.1", "1.6.0.2", "1.6.3.0", "1.6.3.1", "1.6.3.2", "1.6.3.3", "1.6.3.4", "1.6.3.5", "1.6.4.0",
	"1.6.5.0", "1.6.6.0", "1.6.7.0", "1.6.8.0", "1.6.9.0", "1.6.9.1", NULL
};

uint32_t acct__version_parse(const char *s)
{
	uint32_t v = 0;
	int parts = 0;

	if (s == NULL || *s == '\0')
		return 0;
	while (parts < 4) {
		unsigned long n = 0;
		const char *start = s;

		while (*s >= '0' && *s <= '9' && s - start < 4)
			n = n * 10 + (unsigned long)(*s++ - '0');
		if (s == start || n > 255)
			return 0;
		v |= (uint32_t)n << (24 - 8 * parts);
		parts++;
		if (*s == '\0')
			break;
		if (*s++ != '.')
			return 0;
	}
	if (*s != '\0')
		return 0;
	/* "1.6" and "1.6.5" are accepted (spec section 1); a bare "1" is not. */
	return parts >= 2 ? v : 0;
}

#define F(k) (1u << (k))
#define CUSTOMER_FILTERS (F(ACCT_FILTER_ALL) | F(ACCT_FILTER_ID) | F(ACCT_FILTER_LOGIN) | F(ACCT_FILTER_OWNER_ID) | \
                          F(ACCT_FILTER_OWNER_LOGIN) | F(ACCT_FILTER_GUID) | F(ACCT_FILTER_EXTERNAL_ID))
#define RESELLER_FILTERS (F(ACCT_FILTER_ALL) | F(ACCT_FILTER_ID) | F(ACCT_FILTER_LOGIN) | F(ACCT_FILTER_GUID) | \
                          F(ACCT_FILTER_EXTERNAL_ID))
#define CLIENT_FILTERS (F(ACCT_FILTER_ALL) | F(ACCT_FILTER_ID) | F(ACCT_FILTER_LOGIN) | F(ACCT_FILTER_GUID))
#define USER_FILTERS (F(ACCT_FILTER_ALL) | F(ACCT_FILTER_GUID) | F(ACCT_FILTER_OWNER_GUID) | \
                      F(ACCT_FILTER_EXTERNAL_ID) | F(ACCT_FILTER_OWNER_EXTERNAL_ID))
#define KEY_FILTERS (F(ACCT_FILTER_ALL) | F(ACCT_FILTER_KEY))

#define V1630 ACCT__V(1, 6, 3, 0)
#define BEFORE1630 ACCT__V(1, 6, 2, 255)
#define V1660 ACCT__V(1, 6, 6, 0)
#define V1690 ACCT__V(1, 6, 9, 0)

enum { C = ACCT__STYLE_CUSTOMER, R = ACCT__STYLE_RESELLER, L = ACCT__STYLE_CLIENT, U = ACCT__STYLE_USER,
       O = ACCT__STYLE_OTHER };
enum { GI = ACCT_DATASET_GEN_INFO, ST = ACCT_DATASET_STAT, PE = ACCT_DATASET_PERMISSIONS, LI = ACCT_DATASET_LIMITS,
       IP = ACCT_DATASET_IPPOOL, RO = ACCT_DATASET_ROLES, KE = ACCT_DATASET_KEY };

static const acct__opinfo ops[] = {
	{ ACCT_OP_CUSTOMER_ADD, "customer", "add", V1630, 0, 0, 0, C },
	{ ACCT_OP_CUSTOMER_GET, "customer", "get", V1630, 0, CUSTOMER_FILTERS, GI | ST, C },
	{ ACCT_OP_CUSTOMER_SET, "customer", "set", V1630, 0, CUSTOMER_FILTERS, 0, C },
	{ ACCT_OP_CUSTOMER_DEL, "customer", "del", V1630, 0, CUSTOMER_FILTERS, 0, C },
	{ ACCT_OP_CUSTOMER_CONVERT_TO_RESELLER, "customer", "convert-to-reseller", V1630, 0, CUSTOMER_FILTERS, 0, C },
	{ ACCT_OP_CUSTOMER_CHANGE_OWNER, "customer", "change-owner", V1630, 0, CUSTOMER_FILTERS, 0, C },
	{ ACCT_OP_CUSTOMER_GET_DOMAIN_LIST, "customer", "get-domain-list", V1630, 0, CUSTOMER_FILTERS, 0, C },

	{ ACCT_OP_RESELLER_ADD, "reseller", "add", V1630, 0, 0, 0, R },
	{ ACCT_OP_RESELLER_GET, "reseller", "get", V1630, 0, RESELLER_FILTERS, GI | ST | PE | LI | IP, R },
	{ ACCT_OP_RESELLER_SET, "reseller", "set", V1630, 0, RESELLER_FILTERS, 0, R },
	{ ACCT_OP_RESELLER_DEL, "reseller", "del", V1630, 0, RESELLER_FILTERS, 0, R },
	{ ACCT_OP_RESELLER_IPPOOL_ADD_IP, "reseller", "ippool-add-ip", V1630, 0, 0, 0, R },
	{ ACCT_OP_RESELLER_IPPOOL_DEL_IP, "reseller", "ippool-del-ip", V1630, 0, 0, 0, R },
	{ ACCT_OP_RESELLER_IPPOOL_SET_IP, "reseller", "ippool-set-ip", V1630, 0, F(ACCT_FILTER_IP_ADDRESS), 0, R },
	{ ACCT_OP_RESELLER_CFORM_BUTTONS_LIST, "reseller", "cform-buttons-list", V1630, 0, RESELLER_FILTERS, 0, R },
	{ ACCT_OP_RESELLER_GET_LIMIT_DESCRIPTOR, "reseller", "get-limit-descriptor", V1630, 0, RESELLER_FILTERS, 0, R },
	{ ACCT_OP_RESELLER_GET_PERMISSION_DESCRIPTOR, "reseller", "get-permission-descriptor", V1630, 0, RESELLER_FILTERS,
	  0, R },
	{ ACCT_OP_RESELLER_CONVERT_TO_CUSTOMER, "reseller", "convert-to-customer", V1630, 0, RESELLER_FILTERS, 0, R },

	{ ACCT_OP_CLIENT_ADD, "client", "add", 0, BEFORE1630, 0, 0, L },
	{ ACCT_OP_CLIENT_GET, "client", "get", 0, BEFORE1630, CLIENT_FILTERS, GI | ST | PE | LI | IP, L },
	{ ACCT_OP_CLIENT_SET, "client", "set", 0, BEFORE1630, CLIENT_FILTERS, 0, L },
	{ ACCT_OP_CLIENT_DEL, "client", "del", 0, BEFORE1630, CLIENT_FILTERS, 0, L },
	{ ACCT_OP_CLIENT_IPPOOL_ADD_IP, "client", "ippool_add_ip", 0, BEFORE1630, 0, 0, L },
	{ ACCT_OP_CLIENT_IPPOOL_DEL_IP, "client", "ippool_del_ip", 0, BEFORE1630, 0, 0, L },
	{ ACCT_OP_CLIENT_CFORM_BUTTONS_LIST, "client", "cform_buttons_list", 0, BEFORE1630, CLIENT_FILTERS, 0, L },
	{ ACCT_OP_CLIENT_GET_LIMIT_DESCRIPTOR, "client", "get-limit-descriptor", 0, BEFORE1630, CLIENT_FILTERS, 0, L },
	{ ACCT_OP_CLIENT_GET_PERMISSION_DESCRIPTOR, "client", "get-permission-descriptor", 0, BEFORE1630, CLIENT_FILTERS,
	  0, L },
	{ ACCT_OP_CLIENT_CONVERT_TO_RESELLER, "client", "convert-to-reseller", 0, BEFORE1630, CLIENT_FILTERS, 0, L },
	{ ACCT_OP_CLIENT_CHANGE_OWNER, "client", "change-owner", 0, BEFORE1630, CLIENT_FILTERS, 0, L },

	{ ACCT_OP_USER_ADD, "user", "add", V1630, V1690, 0, 0, U },
	{ ACCT_OP_USER_GET, "user", "get", V1630, V1690, USER_FILTERS, GI | RO, U },
	{ ACCT_OP_USER_SET, "user", "set", V1630, V1690, USER_FILTERS, 0, U },
	{ ACCT_OP_USER_DEL, "user", "del", V1630, V1690, USER_FILTERS, 0, U },

	{ ACCT_OP_SECRET_KEY_CREATE, "secret_key", "create", V1660, 0, 0, 0, O },
	{ ACCT_OP_SECRET_KEY_GET_INFO, "secret_key", "get_info", V1660, 0, KEY_FILTERS, 0, O },
	{ ACCT_OP_SECRET_KEY_DELETE, "secret_key", "delete", V1660, 0, KEY_FILTERS, 0, O },

	{ ACCT_OP_SERVER_GET_PROTOS, "server", "get_protos", 0, 0, 0, 0, O },
	{ ACCT_OP_SERVER_GET, "server", "get", 0, 0, 0, GI | KE, O },
	{ ACCT_OP_SERVER_CREATE_SESSION, "server", "create_session", 0, 0, 0, 0, O },

	{ ACCT_OP_SESSION_GET, "session", "get", 0, 0, 0, 0, O },
	{ ACCT_OP_SESSION_TERMINATE, "session", "terminate", 0, 0, 0, 0, O },
};

#define NOPS (sizeof ops / sizeof ops[0])

const acct__opinfo *acct__op_info(int op)
{
	for (size_t i = 0; i < NOPS; i++)
		if (ops[i].op == op)
			return &ops[i];
	return NULL;
}

const acct__opinfo *acct__op_find(const char *operator_name, const char *operation)
{
	for (size_t i = 0; i < NOPS; i++)
		if (strcmp(ops[i].operator_name, operator_name) == 0 && strcmp(ops[i].operation, operation) == 0)
			return &ops[i];
	return NULL;
}

const char *acct__op_operator_name(const char *operator_name)
{
	for (size_t i = 0; i < NOPS; i++)
		if (strcmp(ops[i].operator_name, operator_name) == 0)
			return ops[i].operator_name;
	return NULL;
}

int acct__operator_known(const char *operator_name)
{
	return acct__op_operator_name(operator_name) != NULL;
}

/* Operations Plesk has on these operators that libacct does not implement:
 * they are answered 1017 rather than rejected as typos. */
static const char *const unsupported[] = {
	"customer set-billing-info", "customer add-packages-to-customer-pool",
	"reseller switch-subscription", "reseller sync-subscription", "reseller add-package",
	"reseller remove-package", "reseller enable-aps-filter", "reseller disable-aps-filter",
	"reseller get-domain-list", "user add-billing", "user set-billing", "user del-billing",
	"server set", "server get_additional_key", "server set_additional_key", "server enable",
	"server disable", "server reboot", "server shutdown", "server lic_install", NULL
};

int acct__operation_unsupported(const char *operator_name, const char *operation)
{
	size_t ol = strlen(operator_name);

	for (size_t i = 0; unsupported[i] != NULL; i++)
		if (strncmp(unsupported[i], operator_name, ol) == 0 && unsupported[i][ol] == ' ' &&
		    strcmp(unsupported[i] + ol + 1, operation) == 0)
			return 1;
	return 0;
}

int acct__op_in_version(const acct__opinfo *oi, uint32_t version)
{
	if (version == 0)
		return 1;
	return version >= oi->since && (oi->until == 0 || version <= oi->until);
}

const char *acct_op_name(int op)
{
	static const char *const names[] = {
#define N(op, s) [op - 100] = s
		N(ACCT_OP_CUSTOMER_ADD, "customer add"),
		N(ACCT_OP_CUSTOMER_GET, "customer get"),
		N(ACCT_OP_CUSTOMER_SET, "customer set"),
		N(ACCT_OP_CUSTOMER_DEL, "customer del"),
		N(ACCT_OP_CUSTOMER_CONVERT_TO_RESELLER, "customer convert-to-reseller"),
		N(ACCT_OP_CUSTOMER_CHANGE_OWNER, "customer change-owner"),
		N(ACCT_OP_CUSTOMER_GET_DOMAIN_LIST, "customer get-domain-list"),
		N(ACCT_OP_RESELLER_ADD, "reseller add"),
		N(ACCT_OP_RESELLER_GET, "reseller get"),
		N(ACCT_OP_RESELLER_SET, "reseller set"),
		N(ACCT_OP_RESELLER_DEL, "reseller del"),
		N(ACCT_OP_RESELLER_IPPOOL_ADD_IP, "reseller ippool-add-ip"),
		N(ACCT_OP_RESELLER_IPPOOL_DEL_IP, "reseller ippool-del-ip"),
		N(ACCT_OP_RESELLER_IPPOOL_SET_IP, "reseller ippool-set-ip"),
		N(ACCT_OP_RESELLER_CFORM_BUTTONS_LIST, "reseller cform-buttons-list"),
		N(ACCT_OP_RESELLER_GET_LIMIT_DESCRIPTOR, "reseller get-limit-descriptor"),
		N(ACCT_OP_RESELLER_GET_PERMISSION_DESCRIPTOR, "reseller get-permission-descriptor"),
		N(ACCT_OP_RESELLER_CONVERT_TO_CUSTOMER, "reseller convert-to-customer"),
		N(ACCT_OP_CLIENT_ADD, "client add"),
		N(ACCT_OP_CLIENT_GET, "client get"),
		N(ACCT_OP_CLIENT_SET, "client set"),
		N(ACCT_OP_CLIENT_DEL, "client del"),
		N(ACCT_OP_CLIENT_IPPOOL_ADD_IP, "client ippool_add_ip"),
		N(ACCT_OP_CLIENT_IPPOOL_DEL_IP, "client ippool_del_ip"),
		N(ACCT_OP_CLIENT_CFORM_BUTTONS_LIST, "client cform_buttons_list"),
		N(ACCT_OP_CLIENT_GET_LIMIT_DESCRIPTOR, "client get-limit-descriptor"),
		N(ACCT_OP_CLIENT_GET_PERMISSION_DESCRIPTOR, "client get-permission-descriptor"),
		N(ACCT_OP_CLIENT_CONVERT_TO_RESELLER, "client convert-to-reseller"),
		N(ACCT_OP_CLIENT_CHANGE_OWNER, "client change-owner"),
		N(ACCT_OP_USER_ADD, "user add"),
		N(ACCT_OP_USER_GET, "user get"),
		N(ACCT_OP_USER_SET, "user set"),
		N(ACCT_OP_USER_DEL, "user del"),
		N(ACCT_OP_SECRET_KEY_CREATE, "secret_key create"),
		N(ACCT_OP_SECRET_KEY_GET_INFO, "secret_key get_info"),
		N(ACCT_OP_SECRET_KEY_DELETE, "secret_key delete"),
		N(ACCT_OP_SERVER_GET_PROTOS, "server get_protos"),
		N(ACCT_OP_SERVER_GET, "server get"),
		N(ACCT_OP_SERVER_CREATE_SESSION, "server create_session"),
		N(ACCT_OP_SESSION_GET, "session get"),
		N(ACCT_OP_SESSION_TERMINATE, "session terminate"),
#undef N
	};
	if (op < 100 || op - 100 >= (int)(sizeof names / sizeof names[0]))
		return NULL;
	return names[op - 100];
}

/* ---- gen-info sequences ---- */

enum { A = ACCT__GF_ADD, S = ACCT__GF_SET, G = ACCT__GF_GET, Q = ACCT__GF_REQUIRED, W = ACCT__GF_ALWAYS,
       K = ACCT__GF_CONTACT };

/* customer gen_info (and the legacy client's): one sequence that holds the
 * add, set and get orders of spec section 4.1 to 4.3 at once. */
static const acct__gfield customer_fields[] = {
	{ "cr_date", ACCT_FIELD_CREATED, G | W },
	{ "cname", ACCT_FIELD_COMPANY, A | S | G | W },
	{ "pname", ACCT_FIELD_NAME, A | S | G | Q | W },
	{ "login", ACCT_FIELD_LOGIN, A | S | G | Q | W },
	{ "passwd", ACCT_FIELD_PASSWORD, A | S | Q },
	{ "status", ACCT_PFIELD_STATUS, A | S | G | W },
	{ "phone", ACCT_FIELD_PHONE, A | S | G | W },
	{ "fax", ACCT_FIELD_FAX, A | S | G | W },
	{ "email", ACCT_FIELD_EMAIL, A | S | G | W },
	{ "address", ACCT_FIELD_ADDRESS, A | S | G | W },
	{ "city", ACCT_FIELD_CITY, A | S | G | W },
	{ "state", ACCT_FIELD_STATE, A | S | G | W },
	{ "pcode", ACCT_FIELD_POSTAL_CODE, A | S | G | W },
	{ "country", ACCT_FIELD_COUNTRY, A | S | G | W },
	{ "locale", ACCT_FIELD_LOCALE, A | S | G | W },
	{ "guid", ACCT_FIELD_GUID, S | G },
	{ "owner-id", ACCT_PFIELD_OWNER_ID, A | G },
	{ "owner-login", ACCT_PFIELD_OWNER_LOGIN, A | G },
	{ "owner-external-id", ACCT_PFIELD_OWNER_EXTERNAL_ID, A },
	{ "external-id", ACCT_FIELD_EXTERNAL_ID, A | S | G | W },
	{ "description", ACCT_PFIELD_DESCRIPTION, A | S | G | W },
};

/* reseller gen-info (spec section 5): no owner fields, dashed names. */
static const acct__gfield reseller_fields[] = {
	{ "cr-date", ACCT_FIELD_CREATED, G | W },
	{ "cname", ACCT_FIELD_COMPANY, A | S | G | W },
	{ "pname", ACCT_FIELD_NAME, A | S | G | Q | W },
	{ "login", ACCT_FIELD_LOGIN, A | S | G | Q | W },
	{ "passwd", ACCT_FIELD_PASSWORD, A | S | Q },
	{ "status", ACCT_PFIELD_STATUS, A | S | G | W },
	{ "phone", ACCT_FIELD_PHONE, A | S | G | W },
	{ "fax", ACCT_FIELD_FAX, A | S | G | W },
	{ "email", ACCT_FIELD_EMAIL, A | S | G | W },
	{ "address", ACCT_FIELD_ADDRESS, A | S | G | W },
	{ "city", ACCT_FIELD_CITY, A | S | G | W },
	{ "state", ACCT_FIELD_STATE, A | S | G | W },
	{ "pcode", ACCT_FIELD_POSTAL_CODE, A | S | G | W },
	{ "country", ACCT_FIELD_COUNTRY, A | S | G | W },
	{ "locale", ACCT_FIELD_LOCALE, A | S | G | W },
	{ "guid", ACCT_FIELD_GUID, S | G },
	{ "external-id", ACCT_FIELD_EXTERNAL_ID, A | S | G | W },
	{ "description", ACCT_PFIELD_DESCRIPTION, A | S | G | W },
	{ "power-user", ACCT_PFIELD_POWER_USER, A | S | G | W },
};

/* user gen-info (spec section 7): the add, set and get orders differ
 * (login moves), so each has its own table. Field 0: accepted only empty,
 * since libacct has nowhere to keep it (im, imtype). */
static const acct__gfield user_add_fields[] = {
	{ "login", ACCT_FIELD_LOGIN, A | Q },
	{ "passwd", ACCT_FIELD_PASSWORD, A | Q },
	{ "owner-guid", ACCT_PFIELD_OWNER_GUID, A },
	{ "owner-external-id", ACCT_PFIELD_OWNER_EXTERNAL_ID, A },
	{ "name", ACCT_FIELD_NAME, A | Q },
	{ "company", ACCT_FIELD_COMPANY, A | K },
	{ "phone", ACCT_FIELD_PHONE, A | K },
	{ "fax", ACCT_FIELD_FAX, A | K },
	{ "address", ACCT_FIELD_ADDRESS, A | K },
	{ "city", ACCT_FIELD_CITY, A | K },
	{ "state", ACCT_FIELD_STATE, A | K },
	{ "zip", ACCT_FIELD_POSTAL_CODE, A | K },
	{ "country", ACCT_FIELD_COUNTRY, A | K },
	{ "im", 0, A | K },
	{ "imtype", 0, A | K },
	{ "comment", ACCT_PFIELD_DESCRIPTION, A | K },
	{ "locale", ACCT_FIELD_LOCALE, A | K },
	{ "status", ACCT_PFIELD_STATUS, A },
	{ "external-id", ACCT_FIELD_EXTERNAL_ID, A },
	{ "subscription-domain-id", ACCT_FIELD_SUBSCRIPTION, A },
	{ "email", ACCT_FIELD_EMAIL, A },
};

static const acct__gfield user_set_fields[] = {
	{ "passwd", ACCT_FIELD_PASSWORD, S },
	{ "name", ACCT_FIELD_NAME, S },
	{ "company", ACCT_FIELD_COMPANY, S | K },
	{ "phone", ACCT_FIELD_PHONE, S | K },
	{ "fax", ACCT_FIELD_FAX, S | K },
	{ "address", ACCT_FIELD_ADDRESS, S | K },
	{ "city", ACCT_FIELD_CITY, S | K },
	{ "state", ACCT_FIELD_STATE, S | K },
	{ "zip", ACCT_FIELD_POSTAL_CODE, S | K },
	{ "country", ACCT_FIELD_COUNTRY, S | K },
	{ "im", 0, S | K },
	{ "imtype", 0, S | K },
	{ "comment", ACCT_PFIELD_DESCRIPTION, S | K },
	{ "locale", ACCT_FIELD_LOCALE, S | K },
	{ "status", ACCT_PFIELD_STATUS, S },
	{ "external-id", ACCT_FIELD_EXTERNAL_ID, S },
	{ "login", ACCT_FIELD_LOGIN, S },
	{ "subscription-domain-id", ACCT_FIELD_SUBSCRIPTION, S },
	{ "email", ACCT_FIELD_EMAIL, S },
};

static const acct__gfield user_get_fields[] = {
	{ "login", ACCT_FIELD_LOGIN, G | W },
	{ "name", ACCT_FIELD_NAME, G | W },
	{ "owner-guid", ACCT_PFIELD_OWNER_GUID, G | W },
	{ "status", ACCT_PFIELD_STATUS, G | W },
	{ "guid", ACCT_FIELD_GUID, G | W },
	{ "is-built-in", ACCT_PFIELD_IS_BUILT_IN, G | W },
	{ "company", ACCT_FIELD_COMPANY, G | K | W },
	{ "phone", ACCT_FIELD_PHONE, G | K | W },
	{ "fax", ACCT_FIELD_FAX, G | K | W },
	{ "address", ACCT_FIELD_ADDRESS, G | K | W },
	{ "city", ACCT_FIELD_CITY, G | K | W },
	{ "state", ACCT_FIELD_STATE, G | K | W },
	{ "zip", ACCT_FIELD_POSTAL_CODE, G | K | W },
	{ "country", ACCT_FIELD_COUNTRY, G | K | W },
	{ "comment", ACCT_PFIELD_DESCRIPTION, G | K | W },
	{ "locale", ACCT_FIELD_LOCALE, G | K | W },
	{ "external-id", ACCT_FIELD_EXTERNAL_ID, G | W },
	{ "subscription-domain-id", ACCT_FIELD_SUBSCRIPTION, G },
	{ "email", ACCT_FIELD_EMAIL, G | W },
};

/* server get gen_info. */
static const acct__gfield server_fields[] = {
	{ "server_name", ACCT_PFIELD_SERVER_NAME, G | W },
	{ "server_guid", ACCT_FIELD_GUID, G | W },
};

#define ARRAY(a, n) (*(n) = sizeof(a) / sizeof((a)[0]), (a))

const acct__gfield *acct__gen_fields(int style, int purpose, size_t *n)
{
	switch (style) {
	case ACCT__STYLE_CUSTOMER:
	case ACCT__STYLE_CLIENT:
		return ARRAY(customer_fields, n);
	case ACCT__STYLE_RESELLER:
		return ARRAY(reseller_fields, n);
	case ACCT__STYLE_USER:
		if (purpose == ACCT__GF_ADD)
			return ARRAY(user_add_fields, n);
		if (purpose == ACCT__GF_SET)
			return ARRAY(user_set_fields, n);
		return ARRAY(user_get_fields, n);
	default:
		return ARRAY(server_fields, n);
	}
}

const char *acct__gen_name(int style)
{
	return style == ACCT__STYLE_RESELLER || style == ACCT__STYLE_USER ? "gen-info" : "gen_info";
}

static const char *const filter_names[] = {
	[ACCT_FILTER_ALL] = "all",
	[ACCT_FILTER_ID] = "id",
	[ACCT_FILTER_LOGIN] = "login",
	[ACCT_FILTER_GUID] = "guid",
	[ACCT_FILTER_OWNER_ID] = "owner-id",
	[ACCT_FILTER_OWNER_LOGIN] = "owner-login",
	[ACCT_FILTER_EXTERNAL_ID] = "external-id",
	[ACCT_FILTER_OWNER_GUID] = "owner-guid",
	[ACCT_FILTER_OWNER_EXTERNAL_ID] = "owner-external-id",
	[ACCT_FILTER_KEY] = "key",
	[ACCT_FILTER_IP_ADDRESS] = "ip-address",
};

const char *acct__filter_name(int kind)
{
	if (kind < 0 || kind >= (int)(sizeof filter_names / sizeof filter_names[0]))
		return NULL;
	return filter_names[kind];
}

int acct__filter_kind(const char *name)
{
	for (size_t i = 0; i < sizeof filter_names / sizeof filter_names[0]; i++)
		if (strcmp(filter_names[i], name) == 0)
			return (int)i;
	return -1;
}

const char *acct__dataset_name(int style, unsigned int dataset)
{
	switch (dataset) {
	case ACCT_DATASET_GEN_INFO:
		return style == ACCT__STYLE_RESELLER || style == ACCT__STYLE_USER ? "gen-info" : "gen_info";
	case ACCT_DATASET_STAT:
		return "stat";
	case ACCT_DATASET_PERMISSIONS:
		return "permissions";
	case ACCT_DATASET_LIMITS:
		return "limits";
	case ACCT_DATASET_IPPOOL:
		return "ippool";
	case ACCT_DATASET_ROLES:
		return "roles";
	case ACCT_DATASET_KEY:
		return "key";
	default:
		return NULL;
	}
}

/* The dataset bits in the schema's order of <dataset> children. */
const unsigned int acct__dataset_order[] = {
	ACCT_DATASET_KEY, ACCT_DATASET_GEN_INFO, ACCT_DATASET_STAT, ACCT_DATASET_PERMISSIONS, ACCT_DATASET_LIMITS,
	ACCT_DATASET_IPPOOL, ACCT_DATASET_ROLES, 0
};

/* ---- the shape of every request operation: its children in schema order ---- */

#define REQ ACCT__PART_REQUIRED
#define FIELD(name, f, fl) { ACCT__P_FIELD, name, f, fl }
#define FILTER { ACCT__P_FILTER, "filter", 0, REQ }
#define FILTER_OPT { ACCT__P_FILTER, "filter", 0, 0 }
#define DATASET { ACCT__P_DATASET, "dataset", 0, 0 }
#define GEN(purpose, fl) { ACCT__P_GEN, NULL, purpose, fl }
#define VALUES { ACCT__P_VALUES, "values", 0, 0 }
#define VALUES_REQ { ACCT__P_VALUES, "values", 0, REQ }
#define END { ACCT__P_END, NULL, 0, 0 }
#define LIMITS { ACCT__P_LIMITS, "limits", 0, 0 }
#define PERMS { ACCT__P_PERMISSIONS, "permissions", 0, 0 }
#define DONE { 0, NULL, 0, 0 }

static const acct__part p_add[] = { GEN(ACCT__GF_ADD, REQ), DONE };
static const acct__part p_get[] = { FILTER, DATASET, DONE };
static const acct__part p_filter[] = { FILTER, DONE };
static const acct__part p_filter_opt[] = { FILTER_OPT, DONE };
static const acct__part p_customer_set[] = { FILTER, VALUES, GEN(ACCT__GF_SET, 0), END, DONE };
static const acct__part p_to_reseller[] = { FILTER, FIELD("reseller-plan-name", ACCT_PFIELD_PLAN_NAME, 0), DONE };
static const acct__part p_change_owner[] = {
	FILTER, FIELD("new-owner-login", ACCT_PFIELD_NEW_OWNER_LOGIN, REQ),
	{ ACCT__P_IPS, "ipV4-address", 4, ACCT__PART_REPEAT }, { ACCT__P_IPS, "ipV6-address", 6, ACCT__PART_REPEAT },
	FIELD("plan-name", ACCT_PFIELD_PLAN_NAME, 0), DONE
};
static const acct__part p_reseller_add[] = { GEN(ACCT__GF_ADD, REQ), LIMITS, PERMS,
	                                     FIELD("plan-name", ACCT_PFIELD_PLAN_NAME, 0), DONE };
static const acct__part p_account_set[] = { FILTER, VALUES, GEN(ACCT__GF_SET, 0), LIMITS, PERMS, END, DONE };
static const acct__part p_ippool_add[] = {
	FIELD("reseller-id", ACCT_PFIELD_ACCOUNT_ID, ACCT__PART_CHOICE), FIELD("external-id", ACCT_FIELD_EXTERNAL_ID, 0),
	{ ACCT__P_IPS, "ip", 0, REQ | ACCT__PART_REPEAT }, DONE
};
static const acct__part p_ippool_del[] = {
	FIELD("reseller-id", ACCT_PFIELD_ACCOUNT_ID, ACCT__PART_CHOICE), FIELD("external-id", ACCT_FIELD_EXTERNAL_ID, 0),
	{ ACCT__P_IPS, "ip-address", 0, REQ | ACCT__PART_REPEAT }, DONE
};
static const acct__part p_ippool_set[] = {
	FIELD("reseller-id", ACCT_PFIELD_ACCOUNT_ID, ACCT__PART_CHOICE), FIELD("external-id", ACCT_FIELD_EXTERNAL_ID, 0),
	FILTER, VALUES_REQ, FIELD("ip-type", ACCT_PFIELD_IP_TYPE, REQ), END, DONE
};
static const acct__part p_to_customer[] = { FILTER, FIELD("plan-name", ACCT_PFIELD_PLAN_NAME, 0), DONE };
static const acct__part p_client_add[] = { GEN(ACCT__GF_ADD, REQ), FIELD("template-name", ACCT_PFIELD_PLAN_NAME, 0),
	                                   DONE };
static const acct__part p_client_ippool[] = { FIELD("client_id", ACCT_PFIELD_ACCOUNT_ID, REQ),
	                                      FIELD("ip_address", ACCT_PFIELD_IP_ADDRESS, REQ), DONE };
static const acct__part p_user_add[] = { GEN(ACCT__GF_ADD, REQ), { ACCT__P_ROLES, "roles", 0, 0 }, DONE };
static const acct__part p_user_set[] = { FILTER, VALUES, GEN(ACCT__GF_SET, 0), { ACCT__P_ROLES, "roles", 0, 0 }, END,
	                                 DONE };
static const acct__part p_key_create[] = { FIELD("ip_address", ACCT_PFIELD_IP_ADDRESS, 0),
	                                   FIELD("description", ACCT_PFIELD_DESCRIPTION, 0),
	                                   FIELD("login", ACCT_FIELD_LOGIN, 0), DONE };
static const acct__part p_none[] = { DONE };
static const acct__part p_server_get[] = { { ACCT__P_SERVER_DATASETS, NULL, 0, 0 }, DONE };
static const acct__part p_create_session[] = { FIELD("login", ACCT_FIELD_LOGIN, REQ),
	                                       { ACCT__P_SESSION_DATA, "data", 0, 0 }, DONE };
static const acct__part p_terminate[] = { FIELD("session-id", ACCT_PFIELD_SESSION_ID, REQ), DONE };

const acct__part *acct__op_shape(int op)
{
	switch (op) {
	case ACCT_OP_CUSTOMER_ADD: return p_add;
	case ACCT_OP_CUSTOMER_GET:
	case ACCT_OP_RESELLER_GET:
	case ACCT_OP_CLIENT_GET:
	case ACCT_OP_USER_GET: return p_get;
	case ACCT_OP_CUSTOMER_SET: return p_customer_set;
	case ACCT_OP_CUSTOMER_DEL:
	case ACCT_OP_CUSTOMER_GET_DOMAIN_LIST:
	case ACCT_OP_RESELLER_DEL:
	case ACCT_OP_RESELLER_CFORM_BUTTONS_LIST:
	case ACCT_OP_RESELLER_GET_LIMIT_DESCRIPTOR:
	case ACCT_OP_RESELLER_GET_PERMISSION_DESCRIPTOR:
	case ACCT_OP_CLIENT_DEL:
	case ACCT_OP_CLIENT_CFORM_BUTTONS_LIST:
	case ACCT_OP_USER_DEL:
	case ACCT_OP_SECRET_KEY_GET_INFO:
	case ACCT_OP_SECRET_KEY_DELETE: return p_filter;
	case ACCT_OP_CLIENT_GET_LIMIT_DESCRIPTOR:
	case ACCT_OP_CLIENT_GET_PERMISSION_DESCRIPTOR: return p_filter_opt;
	case ACCT_OP_CUSTOMER_CONVERT_TO_RESELLER:
	case ACCT_OP_CLIENT_CONVERT_TO_RESELLER: return p_to_reseller;
	case ACCT_OP_CUSTOMER_CHANGE_OWNER:
	case ACCT_OP_CLIENT_CHANGE_OWNER: return p_change_owner;
	case ACCT_OP_RESELLER_ADD: return p_reseller_add;
	case ACCT_OP_RESELLER_SET:
	case ACCT_OP_CLIENT_SET: return p_account_set;
	case ACCT_OP_RESELLER_IPPOOL_ADD_IP: return p_ippool_add;
	case ACCT_OP_RESELLER_IPPOOL_DEL_IP: return p_ippool_del;
	case ACCT_OP_RESELLER_IPPOOL_SET_IP: return p_ippool_set;
	case ACCT_OP_RESELLER_CONVERT_TO_CUSTOMER: return p_to_customer;
	case ACCT_OP_CLIENT_ADD: return p_client_add;
	case ACCT_OP_CLIENT_IPPOOL_ADD_IP:
	case ACCT_OP_CLIENT_IPPOOL_DEL_IP: return p_client_ippool;
	case ACCT_OP_USER_ADD: return p_user_add;
	case ACCT_OP_USER_SET: return p_user_set;
	case ACCT_OP_SECRET_KEY_CREATE: return p_key_create;
	case ACCT_OP_SERVER_GET: return p_server_get;
	case ACCT_OP_SERVER_CREATE_SESSION: return p_create_session;
	case ACCT_OP_SESSION_TERMINATE: return p_terminate;
	default: return p_none;
	}
}
