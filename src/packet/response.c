/*
 * Responses: the typed model the agent fills and the client reads, its
 * encoder (schema order, spec sections 3 to 9) and its parser. Strings live
 * in an arena owned by the response, so a reply costs a few allocations,
 * not one per field.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>
#include <openssl/crypto.h>
#include "packet/packet.h"
#include "util/util.h"

struct acct__chunk {
	acct__chunk *next;
	size_t used, cap;
	char data[];
};

const char *acct__response_strdup(acct_response *r, const char *s, size_t len)
{
	acct__chunk *c = r->arena;
	char *p;

	if (s == NULL)
		return NULL;
	if (c == NULL || c->cap - c->used < len + 1) {
		size_t cap = len + 1 > 4000 ? len + 1 : 4000;
		c = acct__malloc(sizeof *c + cap);
		if (c == NULL) {
			acct__error_oom();
			return NULL;
		}
		c->next = r->arena;
		c->used = 0;
		c->cap = cap;
		r->arena = c;
	}
	p = c->data + c->used;
	memcpy(p, s, len);
	p[len] = '\0';
	c->used += len + 1;
	return p;
}

static const char *dup(acct_response *r, const char *s)
{
	return s != NULL ? acct__response_strdup(r, s, strlen(s)) : NULL;
}

int acct__response_init(acct_response *r, const char *version)
{
	memset(r, 0, sizeof *r);
	if (version != NULL && (r->version = acct__strdup(version)) == NULL)
		return acct__error_oom();
	return 0;
}

void acct__response_dispose(acct_response *r)
{
	acct__chunk *c = r->arena;

	while (c != NULL) {
		acct__chunk *next = c->next;
		/* Replies carry new secret keys: wiped before the memory goes back. */
		OPENSSL_cleanse(c->data, c->used);
		acct__free(c);
		c = next;
	}
	for (size_t i = 0; i < r->nops; i++) {
		acct__free(r->ops[i].operator_name);
		acct__free(r->ops[i].operation);
	}
	acct__free(r->ops);
	acct__free(r->r);
	acct__free(r->items);
	acct__free(r->pairs);
	acct__free(r->version);
	memset(r, 0, sizeof *r);
}

int acct__response_op(acct_response *r, int op, size_t group)
{
	acct__respop *o;

	if (acct__grow((void **)&r->ops, &r->capops, r->nops + 1, sizeof *r->ops) != 0)
		return acct__error_oom();
	o = &r->ops[r->nops++];
	memset(o, 0, sizeof *o);
	o->op = op;
	o->group = group;
	return 0;
}

acct_result *acct__response_result(acct_response *r, const char *filter_id)
{
	acct_result *res;

	if (acct__grow((void **)&r->r, &r->cap, r->n + 1, sizeof *r->r) != 0) {
		acct__error_oom();
		return NULL;
	}
	res = &r->r[r->n];
	memset(res, 0, sizeof *res);
	res->ok = 1;
	res->resp = r;
	res->operation = r->nops - 1;
	res->op = r->ops[r->nops - 1].op;
	if (filter_id != NULL && (res->filter_id = dup(r, filter_id)) == NULL)
		return NULL;
	r->n++;
	return res;
}

int acct__result_fail(acct_response *r, acct_result *res, int code, const char *text)
{
	res->ok = 0;
	res->errcode = code;
	res->errtext = dup(r, text != NULL ? text : "");
	res->data = 0;
	return res->errtext == NULL ? ACCT_ENOMEM : 0;
}

int acct__result_failed_last(acct_response *r, acct_result *res)
{
	const acct_error *e = acct_error_last();
	return acct__result_fail(r, res, e->plesk_code != 0 ? e->plesk_code : 1023, e->message);
}

int acct__result_set(acct_response *r, acct_result *res, int field, const char *value)
{
	int slot = acct__slot(field);

	if (slot < 0)
		return acct__error_set(ACCT_EINVALID, "unknown field %d", field);
	res->f[slot] = dup(r, value != NULL ? value : "");
	return res->f[slot] == NULL ? ACCT_ENOMEM : 0;
}

int acct__result_setn(acct_response *r, acct_result *res, int field, int64_t value)
{
	char num[24];

	snprintf(num, sizeof num, "%lld", (long long)value);
	return acct__result_set(r, res, field, num);
}

int acct__item_begin(acct_response *r, acct_result *res, int kind)
{
	acct__item *it;

	if (acct__grow((void **)&r->items, &r->capitems, r->nitems + 1, sizeof *r->items) != 0)
		return acct__error_oom();
	if (res->ni == 0)
		res->i0 = r->nitems;
	it = &r->items[r->nitems++];
	it->kind = kind;
	it->p0 = r->npairs;
	it->np = 0;
	res->ni++;
	return 0;
}

int acct__item_pair(acct_response *r, const char *el, const char *val)
{
	acct__pair *p;

	if (acct__grow((void **)&r->pairs, &r->cappairs, r->npairs + 1, sizeof *r->pairs) != 0)
		return acct__error_oom();
	p = &r->pairs[r->npairs];
	p->el = dup(r, el);
	p->val = dup(r, val != NULL ? val : "");
	if (p->el == NULL || p->val == NULL)
		return ACCT_ENOMEM;
	r->npairs++;
	r->items[r->nitems - 1].np++;
	return 0;
}

/* ---- encoding ---- */

static const char *item_element(int kind)
{
	switch (kind) {
	case ACCT_ITEM_LIMIT: return "limit";
	case ACCT_ITEM_PERMISSION: return "permission";
	case ACCT_ITEM_IP: return "ip";
	case ACCT_ITEM_BUTTON: return "button";
	case ACCT_ITEM_KEY_INFO: return "key_info";
	case ACCT_ITEM_SESSION: return "session";
	case ACCT_ITEM_DOMAIN: return "domain";
	case ACCT_ITEM_PROPERTY:
	case ACCT_ITEM_KEY_PROPERTY: return "property";
	default: return NULL; /* ROLE, PROTO, STAT: one bare element each */
	}
}

static void encode_pair(acct__xw *w, const acct__pair *p)
{
	const char *slash = strchr(p->el, '/');

	if (slash == NULL) {
		acct__xw_text(w, p->el, p->val);
		return;
	}
	/* "extension/shared": a value one level down */
	{
		char outer[64];
		size_t n = (size_t)(slash - p->el);
		if (n >= sizeof outer)
			n = sizeof outer - 1;
		memcpy(outer, p->el, n);
		outer[n] = '\0';
		acct__xw_open(w, outer);
		acct__xw_text(w, slash + 1, p->val);
		acct__xw_close(w, outer);
	}
}

/* Items of `kind` in a result, optionally wrapped; legacy: <name>value</name>. */
static void encode_items(acct__xw *w, const acct_response *r, const acct_result *res, int kind, const char *wrapper,
                         int legacy, int always)
{
	const char *el = item_element(kind);
	int any = 0;

	for (size_t i = res->i0; i < res->i0 + res->ni; i++) {
		const acct__item *it = &r->items[i];
		const acct__pair *p = &r->pairs[it->p0];

		if (it->kind != kind)
			continue;
		if (!any++ && wrapper != NULL)
			acct__xw_open(w, wrapper);
		if (legacy && it->np == 2) {
			acct__xw_text(w, p[0].val, p[1].val);
			continue;
		}
		if (el != NULL)
			acct__xw_open(w, el);
		for (size_t j = 0; j < it->np; j++)
			encode_pair(w, &p[j]);
		if (el != NULL)
			acct__xw_close(w, el);
	}
	if (any && wrapper != NULL)
		acct__xw_close(w, wrapper);
	else if (!any && wrapper != NULL && always)
		acct__xw_empty(w, wrapper);
}

static void encode_gen(acct__xw *w, const acct_result *res, int style, const char *name)
{
	size_t n;
	const acct__gfield *g = acct__gen_fields(style, ACCT__GF_GET, &n);

	acct__gen_encode(w, name, g, n, ACCT__GF_GET, res->f, 1);
}

static void encode_limits(acct__xw *w, const acct_response *r, const acct_result *res, int legacy)
{
	const char *oversell = res->f[acct__slot(ACCT_PFIELD_OVERSELL)];
	const char *overuse = res->f[acct__slot(ACCT_PFIELD_OVERUSE)];

	acct__xw_open(w, "limits");
	if (oversell != NULL || overuse != NULL) {
		acct__xw_open(w, "resource-policy");
		if (oversell != NULL)
			acct__xw_text(w, "oversell", oversell);
		if (overuse != NULL)
			acct__xw_text(w, "overuse", overuse);
		acct__xw_close(w, "resource-policy");
	}
	encode_items(w, r, res, ACCT_ITEM_LIMIT, NULL, legacy, 0);
	acct__xw_close(w, "limits");
}

static void encode_data(acct__xw *w, const acct_response *r, const acct_result *res, int style)
{
	int legacy = style == ACCT__STYLE_CLIENT && r->wire_version != 0 && r->wire_version < ACCT__V(1, 5, 0, 0);

	for (size_t i = 0; acct__dataset_order[i] != 0; i++) {
		unsigned int ds = acct__dataset_order[i];
		const char *name = acct__dataset_name(style, ds);

		if (!(res->data & ds))
			continue;
		switch (ds) {
		case ACCT_DATASET_GEN_INFO: encode_gen(w, res, style, name); break;
		case ACCT_DATASET_STAT: encode_items(w, r, res, ACCT_ITEM_STAT, name, 0, 1); break;
		case ACCT_DATASET_PERMISSIONS: encode_items(w, r, res, ACCT_ITEM_PERMISSION, name, legacy, 1); break;
		case ACCT_DATASET_LIMITS: encode_limits(w, r, res, legacy); break;
		case ACCT_DATASET_IPPOOL: encode_items(w, r, res, ACCT_ITEM_IP, name, 0, 1); break;
		case ACCT_DATASET_ROLES: encode_items(w, r, res, ACCT_ITEM_ROLE, name, 0, 1); break;
		case ACCT_DATASET_KEY: encode_items(w, r, res, ACCT_ITEM_KEY_PROPERTY, name, 0, 1); break;
		default: break;
		}
	}
}

static void text_field(acct__xw *w, const acct_result *res, const char *name, int field)
{
	const char *v = res->f[acct__slot(field)];
	if (v != NULL)
		acct__xw_text(w, name, v);
}

static void encode_result(acct__xw *w, const acct_response *r, const acct_result *res)
{
	const acct__opinfo *oi = acct__op_info(res->op);
	int style = oi != NULL ? oi->style : ACCT__STYLE_OTHER;
	char num[24];

	acct__xw_open(w, "result");
	acct__xw_text(w, "status", res->ok ? "ok" : "error");
	if (!res->ok) {
		snprintf(num, sizeof num, "%d", res->errcode);
		acct__xw_text(w, "errcode", num);
		acct__xw_text(w, "errtext", res->errtext);
	}
	if (res->filter_id != NULL)
		acct__xw_text(w, "filter-id", res->filter_id);
	if (res->op == ACCT_OP_SERVER_CREATE_SESSION) {
		text_field(w, res, "id", ACCT_PFIELD_SESSION_ID);
	} else if (res->id > 0) {
		snprintf(num, sizeof num, "%lld", (long long)res->id);
		acct__xw_text(w, "id", num);
	}
	if (!res->ok || res->no_data) {
		/* A failed address or key still names it, so the caller knows
		 * which of several failed (spec sections 5, 6 and 8). */
		switch (res->op) {
		case ACCT_OP_RESELLER_IPPOOL_ADD_IP:
		case ACCT_OP_RESELLER_IPPOOL_DEL_IP:
		case ACCT_OP_RESELLER_IPPOOL_SET_IP:
			text_field(w, res, "ip-address", ACCT_PFIELD_IP_ADDRESS);
			break;
		case ACCT_OP_CLIENT_IPPOOL_ADD_IP:
		case ACCT_OP_CLIENT_IPPOOL_DEL_IP:
			text_field(w, res, "ip_address", ACCT_PFIELD_IP_ADDRESS);
			break;
		case ACCT_OP_SECRET_KEY_GET_INFO:
		case ACCT_OP_SECRET_KEY_DELETE:
			text_field(w, res, "key", ACCT_PFIELD_KEY);
			break;
		default:
			break;
		}
		acct__xw_close(w, "result");
		return;
	}
	switch (res->op) {
	case ACCT_OP_CUSTOMER_ADD:
	case ACCT_OP_RESELLER_ADD:
	case ACCT_OP_CLIENT_ADD:
	case ACCT_OP_USER_ADD:
		text_field(w, res, "guid", ACCT_FIELD_GUID);
		break;
	case ACCT_OP_SECRET_KEY_CREATE:
	case ACCT_OP_SECRET_KEY_DELETE:
		text_field(w, res, "key", ACCT_PFIELD_KEY);
		break;
	case ACCT_OP_SECRET_KEY_GET_INFO:
		encode_items(w, r, res, ACCT_ITEM_KEY_INFO, NULL, 0, 0);
		break;
	case ACCT_OP_RESELLER_IPPOOL_ADD_IP:
	case ACCT_OP_RESELLER_IPPOOL_DEL_IP:
	case ACCT_OP_RESELLER_IPPOOL_SET_IP:
		text_field(w, res, "ip-address", ACCT_PFIELD_IP_ADDRESS);
		break;
	case ACCT_OP_CLIENT_IPPOOL_ADD_IP:
	case ACCT_OP_CLIENT_IPPOOL_DEL_IP:
		text_field(w, res, "ip_address", ACCT_PFIELD_IP_ADDRESS);
		break;
	case ACCT_OP_RESELLER_CFORM_BUTTONS_LIST:
	case ACCT_OP_CLIENT_CFORM_BUTTONS_LIST:
		encode_items(w, r, res, ACCT_ITEM_BUTTON, NULL, 0, 0);
		break;
	case ACCT_OP_RESELLER_GET_LIMIT_DESCRIPTOR:
	case ACCT_OP_RESELLER_GET_PERMISSION_DESCRIPTOR:
	case ACCT_OP_CLIENT_GET_LIMIT_DESCRIPTOR:
	case ACCT_OP_CLIENT_GET_PERMISSION_DESCRIPTOR:
		encode_items(w, r, res, ACCT_ITEM_PROPERTY, "descriptor", 0, 1);
		break;
	case ACCT_OP_CUSTOMER_GET_DOMAIN_LIST:
		encode_items(w, r, res, ACCT_ITEM_DOMAIN, "domains", 0, 1);
		break;
	case ACCT_OP_SERVER_GET_PROTOS:
		encode_items(w, r, res, ACCT_ITEM_PROTO, "protos", 0, 1);
		break;
	case ACCT_OP_SERVER_GET:
		if (res->data & ACCT_DATASET_KEY)
			encode_items(w, r, res, ACCT_ITEM_KEY_PROPERTY, "key", 0, 1);
		if (res->data & ACCT_DATASET_GEN_INFO)
			encode_gen(w, res, ACCT__STYLE_OTHER, "gen_info");
		break;
	case ACCT_OP_SESSION_GET:
		encode_items(w, r, res, ACCT_ITEM_SESSION, NULL, 0, 0);
		break;
	default:
		if (res->data != 0) {
			acct__xw_open(w, "data");
			encode_data(w, r, res, style);
			acct__xw_close(w, "data");
		}
		break;
	}
	acct__xw_close(w, "result");
}

static const char *reply_version(const acct_response *r)
{
	return r->version != NULL && *r->version != '\0' ? r->version : acct_agent_protocol_version();
}

int acct__system_error_encode(acct_buf *out, const char *version, int errcode, const char *text, int pretty)
{
	acct__xw w = { out, pretty, 0, 0 };
	char num[24];

	acct__buf_clear(out);
	acct__xw_header(&w, version != NULL && *version != '\0' ? version : acct_agent_protocol_version());
	acct__xw_open(&w, "system");
	acct__xw_text(&w, "status", "error");
	snprintf(num, sizeof num, "%d", errcode);
	acct__xw_text(&w, "errcode", num);
	acct__xw_text(&w, "errtext", text);
	acct__xw_close(&w, "system");
	return acct__xw_finish(&w);
}

int acct__response_encode(acct_buf *out, const acct_response *r, int pretty)
{
	acct__xw w = { out, pretty, 0, 0 };
	size_t ri = 0;

	if (r->sys_code != 0)
		return acct__system_error_encode(out, r->version, r->sys_code, r->sys_text, pretty);
	acct__buf_clear(out);
	acct__xw_header(&w, reply_version(r));
	for (size_t i = 0; i < r->nops; i++) {
		const acct__respop *o = &r->ops[i];
		const acct__opinfo *oi = acct__op_info(o->op);
		const char *operator_name = oi != NULL ? oi->operator_name : o->operator_name;
		const char *operation = oi != NULL ? oi->operation : o->operation;

		if (i == 0 || o->group != r->ops[i - 1].group)
			acct__xw_open(&w, operator_name);
		acct__xw_open(&w, operation);
		for (; ri < r->n && r->r[ri].operation == i; ri++)
			encode_result(&w, r, &r->r[ri]);
		acct__xw_close(&w, operation);
		if (i + 1 == r->nops || r->ops[i + 1].group != o->group)
			acct__xw_close(&w, operator_name);
	}
	return acct__xw_finish(&w);
}

/* ---- parsing replies (the client side) ---- */

static const char *nm(xmlNodePtr n)
{
	return (const char *)n->name;
}

static xmlNodePtr elem(xmlNodePtr n)
{
	while (n != NULL && n->type != XML_ELEMENT_NODE)
		n = n->next;
	return n;
}

#define EACH(c, parent) for (xmlNodePtr c = elem((parent)->children); c != NULL; c = elem(c->next))

static int has_elements(xmlNodePtr n)
{
	return elem(n->children) != NULL;
}

/* The text of `n` into the arena ("" for an empty element). */
static const char *text(acct_response *r, xmlNodePtr n)
{
	xmlChar *s = xmlNodeGetContent(n);
	const char *copy;

	if (s == NULL)
		return dup(r, "");
	copy = dup(r, (const char *)s);
	xmlFree(s);
	return copy;
}

static int field_of_gen(int style, const char *name)
{
	size_t n;
	const acct__gfield *g = acct__gen_fields(style, ACCT__GF_GET, &n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(g[i].name, name) == 0 && g[i].field != 0)
			return g[i].field;
	if (strcmp(name, "password") == 0 || strcmp(name, "passwd") == 0)
		return ACCT_FIELD_PASSWORD;
	return 0;
}

static int parse_gen(acct_response *r, acct_result *res, xmlNodePtr gen, int style)
{
	EACH(c, gen) {
		int field;
		if (strcmp(nm(c), "contact-info") == 0) {
			int rc = parse_gen(r, res, c, style);
			if (rc != 0)
				return rc;
			continue;
		}
		field = field_of_gen(style, nm(c));
		/* Fields libacct has no number for (vendor-guid, password_type) are skipped. */
		if (field != 0 && (res->f[acct__slot(field)] = text(r, c)) == NULL)
			return ACCT_ENOMEM;
	}
	return 0;
}

/* An item from an element: its children as pairs, or the element itself when it has none. */
static int parse_item(acct_response *r, acct_result *res, xmlNodePtr n, int kind)
{
	int rc = acct__item_begin(r, res, kind);

	if (rc != 0)
		return rc;
	if (!has_elements(n))
		return acct__item_pair(r, nm(n), text(r, n));
	EACH(c, n) {
		if (has_elements(c)) {
			EACH(cc, c) {
				char el[128];
				snprintf(el, sizeof el, "%s/%s", nm(c), nm(cc));
				if ((rc = acct__item_pair(r, el, text(r, cc))) != 0)
					return rc;
			}
		} else if ((rc = acct__item_pair(r, nm(c), text(r, c))) != 0) {
			return rc;
		}
	}
	return 0;
}

static int parse_items(acct_response *r, acct_result *res, xmlNodePtr wrapper, int kind)
{
	EACH(c, wrapper) {
		int rc;
		if (kind == ACCT_ITEM_LIMIT && strcmp(nm(c), "resource-policy") == 0) {
			EACH(p, c) {
				int f = strcmp(nm(p), "oversell") == 0 ? ACCT_PFIELD_OVERSELL
				        : strcmp(nm(p), "overuse") == 0 ? ACCT_PFIELD_OVERUSE : 0;
				if (f != 0 && (res->f[acct__slot(f)] = text(r, p)) == NULL)
					return ACCT_ENOMEM;
			}
			continue;
		}
		if ((rc = parse_item(r, res, c, kind)) != 0)
			return rc;
	}
	return 0;
}

static int parse_data(acct_response *r, acct_result *res, xmlNodePtr data, int style)
{
	EACH(c, data) {
		const char *n = nm(c);
		int rc = 0;

		if (strcmp(n, "gen_info") == 0 || strcmp(n, "gen-info") == 0) {
			res->data |= ACCT_DATASET_GEN_INFO;
			rc = parse_gen(r, res, c, style);
		} else if (strcmp(n, "stat") == 0) {
			res->data |= ACCT_DATASET_STAT;
			rc = parse_items(r, res, c, ACCT_ITEM_STAT);
		} else if (strcmp(n, "permissions") == 0) {
			res->data |= ACCT_DATASET_PERMISSIONS;
			rc = parse_items(r, res, c, ACCT_ITEM_PERMISSION);
		} else if (strcmp(n, "limits") == 0) {
			res->data |= ACCT_DATASET_LIMITS;
			rc = parse_items(r, res, c, ACCT_ITEM_LIMIT);
		} else if (strcmp(n, "ippool") == 0) {
			res->data |= ACCT_DATASET_IPPOOL;
			rc = parse_items(r, res, c, ACCT_ITEM_IP);
		} else if (strcmp(n, "roles") == 0) {
			res->data |= ACCT_DATASET_ROLES;
			rc = parse_items(r, res, c, ACCT_ITEM_ROLE);
		}
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int parse_result(acct_response *r, xmlNodePtr rn, int style)
{
	acct_result *res = acct__response_result(r, NULL);

	if (res == NULL)
		return ACCT_ENOMEM;
	EACH(c, rn) {
		const char *n = nm(c), *v = NULL;
		int rc = 0;

		if (!has_elements(c) && (v = text(r, c)) == NULL)
			return ACCT_ENOMEM;
		if (strcmp(n, "status") == 0) {
			res->ok = v != NULL && strcmp(v, "ok") == 0;
		} else if (strcmp(n, "errcode") == 0) {
			res->errcode = v != NULL ? atoi(v) : 0;
		} else if (strcmp(n, "errtext") == 0) {
			res->errtext = v;
		} else if (strcmp(n, "filter-id") == 0) {
			res->filter_id = v;
		} else if (strcmp(n, "id") == 0 && v != NULL) {
			char *end = NULL;
			long long id;
			/* create_session's id is a hex token even when it has only digits */
			errno = 0;
			id = res->op == ACCT_OP_SERVER_CREATE_SESSION ? 0 : strtoll(v, &end, 10);
			if (res->op != ACCT_OP_SERVER_CREATE_SESSION && errno == 0 && *v != '\0' && *end == '\0' && id > 0)
				res->id = id;
			else
				res->f[acct__slot(ACCT_PFIELD_SESSION_ID)] = v;
		} else if (strcmp(n, "guid") == 0) {
			res->f[acct__slot(ACCT_FIELD_GUID)] = v;
		} else if (strcmp(n, "key") == 0) {
			if (v != NULL) {
				res->f[acct__slot(ACCT_PFIELD_KEY)] = v;
			} else {
				res->data |= ACCT_DATASET_KEY;
				rc = parse_items(r, res, c, ACCT_ITEM_KEY_PROPERTY);
			}
		} else if (strcmp(n, "ip-address") == 0 || strcmp(n, "ip_address") == 0) {
			res->f[acct__slot(ACCT_PFIELD_IP_ADDRESS)] = v;
		} else if (strcmp(n, "reseller-id") == 0 || strcmp(n, "client_id") == 0) {
			res->f[acct__slot(ACCT_PFIELD_ACCOUNT_ID)] = v;
		} else if (strcmp(n, "data") == 0) {
			rc = parse_data(r, res, c, style);
		} else if (strcmp(n, "gen_info") == 0) {
			res->data |= ACCT_DATASET_GEN_INFO;
			rc = parse_gen(r, res, c, style);
		} else if (strcmp(n, "button") == 0) {
			rc = parse_item(r, res, c, ACCT_ITEM_BUTTON);
		} else if (strcmp(n, "key_info") == 0) {
			rc = parse_item(r, res, c, ACCT_ITEM_KEY_INFO);
		} else if (strcmp(n, "session") == 0) {
			rc = parse_item(r, res, c, ACCT_ITEM_SESSION);
		} else if (strcmp(n, "protos") == 0) {
			rc = parse_items(r, res, c, ACCT_ITEM_PROTO);
		} else if (strcmp(n, "descriptor") == 0) {
			EACH(p, c) {
				if (strcmp(nm(p), "property") == 0 && (rc = parse_item(r, res, p, ACCT_ITEM_PROPERTY)) != 0)
					return rc;
			}
		} else if (strcmp(n, "domains") == 0) {
			rc = parse_items(r, res, c, ACCT_ITEM_DOMAIN);
		}
		if (rc != 0)
			return rc;
	}
	if (res->ok) {
		res->errcode = 0;
		res->errtext = "";
	} else if (res->errtext == NULL) {
		res->errtext = "";
	}
	return 0;
}

static int parse_reply(acct_response *r, xmlNodePtr root)
{
	size_t group = 0;

	EACH(opel, root) {
		if (strcmp(nm(opel), "system") == 0) {
			r->sys_code = 1023;
			r->sys_text = "";
			EACH(c, opel) {
				if (strcmp(nm(c), "errcode") == 0) {
					const char *code = text(r, c);
					if (code == NULL)
						return ACCT_ENOMEM;
					r->sys_code = atoi(code);
				} else if (strcmp(nm(c), "errtext") == 0 && (r->sys_text = text(r, c)) == NULL)
					return ACCT_ENOMEM;
			}
			continue;
		}
		if (strcmp(nm(opel), "output") == 0)
			continue;
		EACH(oper, opel) {
			const acct__opinfo *oi = acct__op_find(nm(opel), nm(oper));
			acct__respop *o;
			int rc;

			if ((rc = acct__response_op(r, oi != NULL ? oi->op : 0, group)) != 0)
				return rc;
			o = &r->ops[r->nops - 1];
			o->operator_name = acct__strdup(nm(opel));
			o->operation = acct__strdup(nm(oper));
			if (o->operator_name == NULL || o->operation == NULL)
				return acct__error_oom();
			EACH(res, oper) {
				if (strcmp(nm(res), "result") == 0 &&
				    (rc = parse_result(r, res, oi != NULL ? oi->style : ACCT__STYLE_OTHER)) != 0)
					return rc;
			}
		}
		group++;
	}
	return 0;
}

int acct_response_parse(acct_response **out, const char *xml, size_t len)
{
	acct__plimits lim;
	acct__xmldoc doc;
	acct_response *r;
	xmlNodePtr root;
	xmlChar *version;
	int rc;

	if (out == NULL || (xml == NULL && len > 0))
		return acct__error_set(ACCT_EINVALID, "acct_response_parse: NULL argument");
	*out = NULL;
	acct__plimits_default(&lim);
	lim.max_bytes = (size_t)64 << 20; /* replies listing every account are large */
	lim.max_elements = (size_t)4 << 20;
	if ((rc = acct__xml_parse(&doc, xml, len, &lim)) != 0) {
		/* The parser words its errors for requests; this is a reply. */
		static const char pre[] = "Request is invalid. ";
		char msg[600];
		snprintf(msg, sizeof msg, "%s", acct_error_last()->message);
		if (strncmp(msg, pre, sizeof pre - 1) == 0)
			return acct__error_set(rc, "The reply is invalid. %s", msg + sizeof pre - 1);
		return rc;
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL || strcmp(nm(root), "packet") != 0) {
		acct__xml_free(doc);
		return acct__error_set(ACCT_EPARSE, "the reply's root element is not <packet>");
	}
	r = acct__malloc(sizeof *r);
	if (r == NULL) {
		acct__xml_free(doc);
		return acct__error_oom();
	}
	version = xmlGetProp(root, (const xmlChar *)"version");
	rc = acct__response_init(r, version != NULL ? (const char *)version : "");
	xmlFree(version);
	if (rc == 0)
		rc = parse_reply(r, root);
	acct__xml_free(doc);
	if (rc != 0) {
		acct_response_free(r);
		return rc == ACCT_ENOMEM ? acct__error_oom() : rc;
	}
	*out = r;
	return 0;
}

void acct_response_free(acct_response *resp)
{
	if (resp == NULL)
		return;
	acct__response_dispose(resp);
	acct__free(resp);
}

const char *acct_response_version(const acct_response *resp)
{
	return resp != NULL && resp->version != NULL ? resp->version : "";
}

int acct_response_system_error(int *errcode_out, const char **errtext_out, const acct_response *resp)
{
	int is_err = resp != NULL && resp->sys_code != 0;

	if (errcode_out != NULL)
		*errcode_out = is_err ? resp->sys_code : 0;
	if (errtext_out != NULL)
		*errtext_out = is_err && resp->sys_text != NULL ? resp->sys_text : "";
	return is_err;
}

size_t acct_response_count(const acct_response *resp)
{
	return resp != NULL ? resp->n : 0;
}

const acct_result *acct_response_result(const acct_response *resp, size_t index)
{
	return resp != NULL && index < resp->n ? &resp->r[index] : NULL;
}

int acct_result_op(const acct_result *res)
{
	return res != NULL ? res->op : 0;
}

size_t acct_result_operation(const acct_result *res)
{
	return res != NULL ? res->operation : 0;
}

int acct_result_ok(const acct_result *res)
{
	return res != NULL && res->ok;
}

int acct_result_errcode(const acct_result *res)
{
	return res != NULL && !res->ok ? res->errcode : 0;
}

const char *acct_result_errtext(const acct_result *res)
{
	return res != NULL && !res->ok && res->errtext != NULL ? res->errtext : "";
}

const char *acct_result_filter_id(const acct_result *res)
{
	return res != NULL ? res->filter_id : NULL;
}

acct_id acct_result_id(const acct_result *res)
{
	return res != NULL ? res->id : 0;
}

const char *acct_result_get(const acct_result *res, int field)
{
	int slot = acct__slot(field);
	return res != NULL && slot >= 0 ? res->f[slot] : NULL;
}

size_t acct_result_item_count(const acct_result *res, int kind)
{
	size_t n = 0;

	if (res == NULL)
		return 0;
	for (size_t i = res->i0; i < res->i0 + res->ni; i++)
		n += res->resp->items[i].kind == kind;
	return n;
}

static const acct__item *nth_item(const acct_result *res, int kind, size_t index)
{
	if (res == NULL)
		return NULL;
	for (size_t i = res->i0; i < res->i0 + res->ni; i++)
		if (res->resp->items[i].kind == kind && index-- == 0)
			return &res->resp->items[i];
	return NULL;
}

static const char *pair_value(const acct_response *r, const acct__item *it, const char *el)
{
	for (size_t j = 0; j < it->np; j++)
		if (strcmp(r->pairs[it->p0 + j].el, el) == 0)
			return r->pairs[it->p0 + j].val;
	return NULL;
}

int acct_result_item(const char **name_out, const char **value_out, const acct_result *res, int kind, size_t index)
{
	static const struct { int kind; const char *a, *a2, *b, *b2; } mains[] = {
		{ ACCT_ITEM_LIMIT, "name", NULL, "value", NULL },
		{ ACCT_ITEM_PERMISSION, "name", NULL, "value", NULL },
		{ ACCT_ITEM_IP, "ip-address", "ip_address", "ip-type", "ip_type" },
		{ ACCT_ITEM_BUTTON, "id", NULL, "label", NULL },
		{ ACCT_ITEM_KEY_INFO, "key", NULL, "ip_address", NULL },
		{ ACCT_ITEM_SESSION, "id", NULL, "login", NULL },
		{ ACCT_ITEM_DOMAIN, "id", NULL, "name", NULL },
		{ ACCT_ITEM_PROPERTY, "name", NULL, "type", NULL },
		{ ACCT_ITEM_KEY_PROPERTY, "name", NULL, "value", NULL },
	};
	const acct__item *it = nth_item(res, kind, index);
	const char *a = NULL, *b = NULL;

	if (name_out != NULL)
		*name_out = NULL;
	if (value_out != NULL)
		*value_out = NULL;
	if (it == NULL)
		return acct__error_set(ACCT_ENOTFOUND, "the result has no item %zu of kind %d", index, kind);
	for (size_t i = 0; i < sizeof mains / sizeof mains[0]; i++) {
		if (mains[i].kind != kind)
			continue;
		a = pair_value(res->resp, it, mains[i].a);
		if (a == NULL && mains[i].a2 != NULL)
			a = pair_value(res->resp, it, mains[i].a2);
		b = pair_value(res->resp, it, mains[i].b);
		if (b == NULL && mains[i].b2 != NULL)
			b = pair_value(res->resp, it, mains[i].b2);
	}
	if (a == NULL && it->np == 1) {
		/* a bare element: <proto>1.6.9.1</proto>, <name>Role</name>, <max_dom>10</max_dom> */
		const acct__pair *p = &res->resp->pairs[it->p0];
		int named = kind == ACCT_ITEM_ROLE || kind == ACCT_ITEM_PROTO;
		a = named ? p->val : p->el;
		b = named ? NULL : p->val;
	}
	if (name_out != NULL)
		*name_out = a;
	if (value_out != NULL)
		*value_out = b;
	return 0;
}

const char *acct_result_item_get(const acct_result *res, int kind, size_t index, const char *element)
{
	const acct__item *it = nth_item(res, kind, index);
	return it != NULL && element != NULL ? pair_value(res->resp, it, element) : NULL;
}
