/*
 * The request decoder: a parsed packet to typed operations. It is strict as
 * Plesk's schema validation is (spec section 1: order matters, unknown
 * elements are errors) and words its errors the way libxml2's validator
 * does in Plesk's replies, with the line, so a typo is found at once.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>
#include "packet/packet.h"
#include "util/util.h"

typedef struct dctx {
	const acct__opinfo *oi;
	acct__reqop *o;
	uint32_t version;
} dctx;

static const char *nm(xmlNodePtr n)
{
	return (const char *)n->name;
}

static int is_blank(const xmlChar *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

static int bad(xmlNodePtr n, const char *fmt, ...) ACCT__PRINTF(2, 3);
static int bad(xmlNodePtr n, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return acct__error_set(ACCT_EPARSE, "Request is invalid. Error in line %ld: %s", n != NULL ? xmlGetLineNo(n) : 0L,
	                       msg);
}

/* The next element at or after `n`; text other than whitespace is an error. */
static int skip(xmlNodePtr *n)
{
	for (; *n != NULL; *n = (*n)->next) {
		if ((*n)->type == XML_ELEMENT_NODE && (*n)->ns != NULL)
			return bad(*n, "Element '{%s}%s': This element is not expected (packet elements have no namespace).",
			           (const char *)(*n)->ns->href, nm(*n));
		if ((*n)->type == XML_ELEMENT_NODE)
			return 0;
		if ((*n)->type == XML_TEXT_NODE && !is_blank((*n)->content))
			return bad((*n)->parent, "Element '%s': Character content other than whitespace is not allowed "
			                         "because the content type is 'element-only'.", nm((*n)->parent));
	}
	return 0;
}

static int first(xmlNodePtr parent, xmlNodePtr *out)
{
	*out = parent->children;
	return skip(out);
}

static int next(xmlNodePtr *n)
{
	*n = (*n)->next;
	return skip(n);
}

static int is(xmlNodePtr n, const char *name)
{
	return n != NULL && name != NULL && strcmp(nm(n), name) == 0;
}

static int unexpected(xmlNodePtr n, const char *expected)
{
	if (expected != NULL)
		return bad(n, "Element '%s': This element is not expected. Expected is ( %s ).", nm(n), expected);
	return bad(n, "Element '%s': This element is not expected.", nm(n));
}

static int missing_child(xmlNodePtr parent, const char *expected)
{
	return bad(parent, "Element '%s': Missing child element(s). Expected is ( %s ).", nm(parent), expected);
}

/* The text of a simple element: its text children joined; no child elements. */
static int text_of(xmlNodePtr n, const char **out, xmlChar **owned)
{
	*owned = NULL;
	for (xmlNodePtr c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return bad(n, "Element '%s': Element content is not allowed, because the content type is a simple "
			              "type definition.", nm(n));
	if (n->children == NULL) {
		*out = "";
	} else if (n->children->next == NULL && n->children->type == XML_TEXT_NODE) {
		*out = (const char *)n->children->content;
	} else {
		*owned = xmlNodeGetContent(n);
		if (*owned == NULL)
			return acct__error_oom();
		*out = (const char *)*owned;
	}
	return 0;
}

/* Whitespace-collapsed copy bounds for typed values. */
static void trimmed(const char *s, const char **b, size_t *len)
{
	const char *e = s + strlen(s);

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		e--;
	*b = s;
	*len = (size_t)(e - s);
}

static int parse_long(const char *s, size_t len, int64_t *out)
{
	char buf[32];
	char *end;
	long long v;

	if (len == 0 || len >= sizeof buf)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (buf[0] == '+' || buf[0] == ' ')
		return -1;
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

/* Values with a schema type are checked here, so the agent sees only sound numbers. */
static int typed(xmlNodePtr n, int field, const char *v, const char **norm, size_t *len)
{
	int64_t x;

	switch (field) {
	case ACCT_PFIELD_OWNER_ID:
	case ACCT_PFIELD_ACCOUNT_ID:
	case ACCT_FIELD_SUBSCRIPTION:
		trimmed(v, norm, len);
		if (parse_long(*norm, *len, &x) != 0 || x <= 0 || x > INT32_MAX)
			return bad(n, "Element '%s': '%s' is not a valid value of the atomic type 'int'.", nm(n), v);
		return 0;
	case ACCT_PFIELD_POWER_USER:
	case ACCT_PFIELD_OVERSELL:
		trimmed(v, norm, len);
		if (!((*len == 4 && memcmp(*norm, "true", 4) == 0) || (*len == 5 && memcmp(*norm, "false", 5) == 0) ||
		      (*len == 1 && (**norm == '0' || **norm == '1'))))
			return bad(n, "Element '%s': '%s' is not a valid value of the atomic type 'xs:boolean'.", nm(n), v);
		return 0;
	case ACCT_PFIELD_IP_TYPE:
		trimmed(v, norm, len);
		if (!((*len == 6 && memcmp(*norm, "shared", 6) == 0) || (*len == 9 && memcmp(*norm, "exclusive", 9) == 0)))
			return bad(n, "Element '%s': [facet 'enumeration'] The value '%s' is not an element of the set "
			              "{'shared', 'exclusive'}.", nm(n), v);
		return 0;
	default:
		*norm = v;
		*len = strlen(v);
		return 0;
	}
}

static int set_field(dctx *d, xmlNodePtr n, int field)
{
	const char *v, *norm;
	xmlChar *owned;
	size_t len;
	int rc;

	if ((rc = text_of(n, &v, &owned)) != 0)
		return rc;
	if (field == ACCT_PFIELD_STATUS) {
		/* Customers: an unsignedInt bit set; users: 0, 1, enabled, disabled (spec section 10, 7). */
		trimmed(v, &norm, &len);
		if (d->oi->style == ACCT__STYLE_USER) {
			if (!((len == 1 && (*norm == '0' || *norm == '1')) || (len == 7 && memcmp(norm, "enabled", 7) == 0) ||
			      (len == 8 && memcmp(norm, "disabled", 8) == 0)))
				rc = bad(n, "Element 'status': '%s' is not one of 0, 1, enabled, disabled.", v);
		} else {
			int64_t x;
			if (parse_long(norm, len, &x) != 0 || x < 0 || x > INT32_MAX)
				rc = bad(n, "Element 'status': '%s' is not a valid value of the atomic type 'int'.", v);
		}
	} else {
		rc = typed(n, field, v, &norm, &len);
	}
	if (rc == 0)
		rc = acct__reqop_set(d->o, field, norm, len);
	xmlFree(owned);
	return rc;
}

/* A gen-info block against its table: a sequence of optional elements, with
 * the owner choice and (users) a contact-info block inside. */
static int decode_gen(dctx *d, xmlNodePtr gen, int purpose, int in_contact)
{
	size_t n, pos = 0;
	const acct__gfield *g = acct__gen_fields(d->oi->style, purpose, &n);
	int owners = 0, rc;
	xmlNodePtr c;

	if ((rc = first(gen, &c)) != 0)
		return rc;
	for (; c != NULL; rc = next(&c)) {
		size_t i;

		if (rc != 0)
			return rc;
		if (!in_contact && is(c, "contact-info") && d->oi->style == ACCT__STYLE_USER) {
			for (i = pos; i < n && !(g[i].flags & ACCT__GF_CONTACT); i++)
				;
			if (i == n || !(g[i].flags & (unsigned)purpose))
				return unexpected(c, NULL);
			if ((rc = decode_gen(d, c, purpose, 1)) != 0)
				return rc;
			while (i < n && (g[i].flags & ACCT__GF_CONTACT))
				i++;
			pos = i;
			continue;
		}
		for (i = pos; i < n; i++)
			if ((g[i].flags & (unsigned)purpose) && !!(g[i].flags & ACCT__GF_CONTACT) == in_contact &&
			    strcmp(g[i].name, nm(c)) == 0)
				break;
		if (i == n) {
			for (i = pos; i < n; i++)
				if ((g[i].flags & (unsigned)purpose) && !!(g[i].flags & ACCT__GF_CONTACT) == in_contact)
					break;
			return unexpected(c, i < n ? g[i].name : NULL);
		}
		if (g[i].field == ACCT_PFIELD_OWNER_ID || g[i].field == ACCT_PFIELD_OWNER_LOGIN ||
		    g[i].field == ACCT_PFIELD_OWNER_EXTERNAL_ID || g[i].field == ACCT_PFIELD_OWNER_GUID) {
			if (owners++)
				return bad(c, "Element '%s': only one owner element (owner-id, owner-login, owner-guid or "
				              "owner-external-id) may be given.", nm(c));
		}
		if (g[i].field == 0) {
			/* im, imtype: accepted when empty; libacct has nowhere to keep a value. */
			const char *v;
			xmlChar *owned;
			if ((rc = text_of(c, &v, &owned)) != 0)
				return rc;
			if (!is_blank((const xmlChar *)v) && d->o->reject_code == 0) {
				d->o->reject_code = 1019;
				d->o->reject_text = acct__strdup("libacct does not store instant messenger details (im, imtype)");
			}
			xmlFree(owned);
		} else if ((rc = set_field(d, c, g[i].field)) != 0) {
			return rc;
		}
		pos = i + 1;
	}
	if (purpose == ACCT__GF_ADD && !in_contact) {
		for (size_t i = 0; i < n; i++)
			if ((g[i].flags & ACCT__GF_REQUIRED) && d->o->f[acct__slot(g[i].field)] == NULL)
				return missing_child(gen, g[i].name);
	}
	return 0;
}

static int decode_filter(dctx *d, xmlNodePtr f)
{
	xmlNodePtr c;
	int rc;

	if ((rc = first(f, &c)) != 0)
		return rc;
	if (c == NULL || is(c, "all")) {
		if (!(d->oi->filters & (1u << ACCT_FILTER_ALL)))
			return missing_child(f, "a filter value");
		if (c != NULL) {
			if ((rc = next(&c)) != 0)
				return rc;
			if (c != NULL)
				return unexpected(c, NULL);
		}
		d->o->filter_kind = ACCT_FILTER_ALL;
		return 0;
	}
	for (; c != NULL; rc = next(&c)) {
		int kind = acct__filter_kind(nm(c));
		const char *v, *norm;
		xmlChar *owned;
		size_t len;

		if (rc != 0)
			return rc;
		if (kind <= 0 || !(d->oi->filters & (1u << kind)))
			return unexpected(c, NULL);
		if (d->o->filter_kind > 0 && d->o->filter_kind != kind)
			return bad(c, "Element '%s': a filter holds one kind of value (here '%s'); use another operation "
			              "for another kind.", nm(c), acct__filter_name(d->o->filter_kind));
		d->o->filter_kind = kind;
		if ((rc = text_of(c, &v, &owned)) != 0)
			return rc;
		if (kind == ACCT_FILTER_ID || kind == ACCT_FILTER_OWNER_ID)
			rc = typed(c, ACCT_PFIELD_OWNER_ID, v, &norm, &len);
		else
			norm = v, len = strlen(v);
		if (rc == 0)
			rc = acct__reqop_filter(d->o, norm, len);
		xmlFree(owned);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* Dataset elements (inside <dataset>, or directly in server get), in schema order. */
static int decode_datasets(dctx *d, xmlNodePtr *c)
{
	size_t pos = 0;
	int rc = 0;

	for (; *c != NULL; rc = next(c)) {
		size_t i;

		if (rc != 0)
			return rc;
		for (i = pos; acct__dataset_order[i] != 0; i++)
			if ((d->oi->datasets & acct__dataset_order[i]) &&
			    strcmp(acct__dataset_name(d->oi->style, acct__dataset_order[i]), nm(*c)) == 0)
				break;
		if (acct__dataset_order[i] == 0)
			return 0;
		if ((*c)->children != NULL) {
			xmlNodePtr inner;
			if ((rc = first(*c, &inner)) != 0)
				return rc;
			if (inner != NULL)
				return unexpected(inner, NULL);
		}
		d->o->datasets |= acct__dataset_order[i];
		pos = i + 1;
	}
	return 0;
}

static int item_text(dctx *d, xmlNodePtr n, int kind, const char *name, int field)
{
	const char *v, *norm;
	xmlChar *owned;
	size_t len;
	int rc;
	char *copy;

	if ((rc = text_of(n, &v, &owned)) != 0)
		return rc;
	rc = typed(n, field, v, &norm, &len);
	if (rc == 0) {
		copy = acct__strndup(norm, len);
		rc = copy == NULL ? acct__error_oom() : acct__reqop_item(d->o, kind, name != NULL ? name : copy, name != NULL ? copy : NULL);
		acct__free(copy);
	}
	xmlFree(owned);
	return rc;
}

/* <name>N</name><value>V</value> of a limit or permission. */
static int decode_pair(dctx *d, xmlNodePtr item, int kind)
{
	xmlNodePtr c;
	const char *name, *value, *norm;
	xmlChar *on = NULL, *ov = NULL;
	size_t len;
	int64_t x;
	int rc;

	if ((rc = first(item, &c)) != 0)
		return rc;
	if (!is(c, "name"))
		return c != NULL ? unexpected(c, "name") : missing_child(item, "name");
	if ((rc = text_of(c, &name, &on)) != 0)
		return rc;
	if ((rc = next(&c)) != 0)
		goto out;
	if (!is(c, "value")) {
		rc = c != NULL ? unexpected(c, "value") : missing_child(item, "value");
		goto out;
	}
	if ((rc = text_of(c, &value, &ov)) != 0)
		goto out;
	if ((rc = next(&c)) != 0)
		goto out;
	if (c != NULL) {
		rc = unexpected(c, NULL);
		goto out;
	}
	trimmed(value, &norm, &len);
	if (kind == ACCT_ITEM_LIMIT && parse_long(norm, len, &x) != 0) {
		rc = bad(item, "Element 'value': '%s' is not a valid value of the atomic type 'long'.", value);
		goto out;
	}
	if (kind == ACCT_ITEM_PERMISSION &&
	    !((len == 4 && memcmp(norm, "true", 4) == 0) || (len == 5 && memcmp(norm, "false", 5) == 0))) {
		rc = bad(item, "Element 'value': '%s' is not a valid value of the atomic type 'xs:boolean'.", value);
		goto out;
	}
	{
		char *copy = acct__strndup(norm, len);
		rc = copy == NULL ? acct__error_oom() : acct__reqop_item(d->o, kind, name, copy);
		acct__free(copy);
	}
out:
	xmlFree(on);
	xmlFree(ov);
	return rc;
}

/* <max_dom>10</max_dom>, <create_domains>true</create_domains> of a legacy
 * client: the value is checked as in the name/value form, so a typo is not
 * taken for "false". */
static int decode_legacy(dctx *d, xmlNodePtr c, int kind)
{
	const char *v, *norm;
	xmlChar *owned;
	size_t len;
	int64_t x;
	char *copy;
	int rc;

	if ((rc = text_of(c, &v, &owned)) != 0)
		return rc;
	trimmed(v, &norm, &len);
	if (kind == ACCT_ITEM_LIMIT && parse_long(norm, len, &x) != 0)
		rc = bad(c, "Element '%s': '%s' is not a valid value of the atomic type 'long'.", nm(c), v);
	else if (kind == ACCT_ITEM_PERMISSION &&
	         !((len == 4 && memcmp(norm, "true", 4) == 0) || (len == 5 && memcmp(norm, "false", 5) == 0)))
		rc = bad(c, "Element '%s': '%s' is not a valid value of the atomic type 'xs:boolean'.", nm(c), v);
	else if ((copy = acct__strndup(norm, len)) == NULL)
		rc = acct__error_oom();
	else {
		rc = acct__reqop_item(d->o, kind, nm(c), copy);
		acct__free(copy);
	}
	xmlFree(owned);
	return rc;
}

/* <limits> or <permissions>: name/value items, or (legacy clients) one element per name. */
static int decode_list(dctx *d, xmlNodePtr list, int kind)
{
	const char *item = kind == ACCT_ITEM_LIMIT ? "limit" : "permission";
	xmlNodePtr c;
	int rc, seen_item = 0;

	if (kind == ACCT_ITEM_LIMIT)
		d->o->has_limits = 1;
	else
		d->o->has_permissions = 1;
	if ((rc = first(list, &c)) != 0)
		return rc;
	for (; c != NULL; rc = next(&c)) {
		if (rc != 0)
			return rc;
		if (kind == ACCT_ITEM_LIMIT && is(c, "resource-policy") && !seen_item) {
			xmlNodePtr p;
			if ((rc = first(c, &p)) != 0)
				return rc;
			if (is(p, "oversell")) {
				if ((rc = set_field(d, p, ACCT_PFIELD_OVERSELL)) != 0 || (rc = next(&p)) != 0)
					return rc;
			}
			if (is(p, "overuse")) {
				if ((rc = set_field(d, p, ACCT_PFIELD_OVERUSE)) != 0 || (rc = next(&p)) != 0)
					return rc;
			}
			if (p != NULL)
				return unexpected(p, NULL);
			continue;
		}
		seen_item = 1;
		if (is(c, item)) {
			rc = decode_pair(d, c, kind);
		} else if (d->oi->style == ACCT__STYLE_CLIENT) {
			rc = decode_legacy(d, c, kind);
		} else {
			rc = unexpected(c, item);
		}
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int decode_roles(dctx *d, xmlNodePtr roles)
{
	xmlNodePtr c;
	int rc;

	d->o->has_roles = 1;
	if ((rc = first(roles, &c)) != 0)
		return rc;
	for (; c != NULL; rc = next(&c)) {
		if (rc != 0)
			return rc;
		if (!is(c, "name"))
			return unexpected(c, "name");
		if ((rc = item_text(d, c, ACCT_ITEM_ROLE, NULL, 0)) != 0)
			return rc;
	}
	return 0;
}

/* <ip><ip-address/><ip-type/>?</ip> of ippool-add-ip. */
static int decode_ip(dctx *d, xmlNodePtr ip)
{
	xmlNodePtr c;
	const char *addr, *type = NULL, *norm;
	xmlChar *oa = NULL, *ot = NULL;
	size_t len;
	int rc;

	if ((rc = first(ip, &c)) != 0)
		return rc;
	if (!is(c, "ip-address"))
		return c != NULL ? unexpected(c, "ip-address") : missing_child(ip, "ip-address");
	if ((rc = text_of(c, &addr, &oa)) != 0)
		return rc;
	if ((rc = next(&c)) != 0)
		goto out;
	if (is(c, "ip-type")) {
		if ((rc = text_of(c, &type, &ot)) != 0 || (rc = typed(c, ACCT_PFIELD_IP_TYPE, type, &norm, &len)) != 0 ||
		    (rc = next(&c)) != 0)
			goto out;
		type = strncmp(norm, "shared", len) == 0 ? "shared" : "exclusive";
	}
	if (c != NULL) {
		rc = unexpected(c, NULL);
		goto out;
	}
	rc = acct__reqop_item(d->o, ACCT_ITEM_IP, addr, type);
out:
	xmlFree(oa);
	xmlFree(ot);
	return rc;
}

static int decode_session_data(dctx *d, xmlNodePtr data)
{
	xmlNodePtr c;
	int rc;

	if ((rc = first(data, &c)) != 0)
		return rc;
	for (; c != NULL; rc = next(&c)) {
		if (rc != 0)
			return rc;
		if (is(c, "user_ip")) {
			const char *v;
			xmlChar *owned;
			acct_buf ip = ACCT_BUF_INIT;
			if ((rc = text_of(c, &v, &owned)) != 0)
				return rc;
			rc = acct__base64_decode(&ip, v, strlen(v));
			xmlFree(owned);
			if (rc == ACCT_EINVALID)
				rc = bad(c, "Element 'user_ip': the value is not base64.");
			if (rc == 0)
				rc = acct__reqop_set(d->o, ACCT_PFIELD_IP_ADDRESS, ip.ptr, ip.size);
			acct_buf_dispose(&ip);
			if (rc != 0)
				return rc;
		} else if (!is(c, "source_server")) {
			return unexpected(c, "user_ip");
		}
	}
	return 0;
}

/* The children of `parent` against parts up to END (or the terminator). */
static int decode_parts(dctx *d, xmlNodePtr parent, const acct__part **pp)
{
	const acct__part *p = *pp;
	xmlNodePtr c;
	int rc;

	if ((rc = first(parent, &c)) != 0)
		return rc;
	for (; p->kind != 0 && p->kind != ACCT__P_END; p++) {
		switch (p->kind) {
		case ACCT__P_FILTER:
			if (is(c, "filter")) {
				if ((rc = decode_filter(d, c)) != 0 || (rc = next(&c)) != 0)
					return rc;
			} else if (p->flags & ACCT__PART_REQUIRED) {
				return c != NULL ? unexpected(c, "filter") : missing_child(parent, "filter");
			}
			break;
		case ACCT__P_DATASET:
			if (is(c, "dataset")) {
				xmlNodePtr inner;
				if ((rc = first(c, &inner)) != 0 || (rc = decode_datasets(d, &inner)) != 0)
					return rc;
				if (inner != NULL)
					return unexpected(inner, NULL);
				if ((rc = next(&c)) != 0)
					return rc;
			}
			break;
		case ACCT__P_SERVER_DATASETS:
			if ((rc = decode_datasets(d, &c)) != 0)
				return rc;
			break;
		case ACCT__P_GEN:
			if (is(c, acct__gen_name(d->oi->style))) {
				if ((rc = decode_gen(d, c, p->field, 0)) != 0 || (rc = next(&c)) != 0)
					return rc;
			} else if (p->flags & ACCT__PART_REQUIRED) {
				return c != NULL ? unexpected(c, acct__gen_name(d->oi->style))
				                 : missing_child(parent, acct__gen_name(d->oi->style));
			}
			break;
		case ACCT__P_VALUES:
			if (is(c, "values")) {
				const acct__part *inner = p + 1;
				if ((rc = decode_parts(d, c, &inner)) != 0 || (rc = next(&c)) != 0)
					return rc;
				p = inner;
			} else {
				if (p->flags & ACCT__PART_REQUIRED)
					return c != NULL ? unexpected(c, "values") : missing_child(parent, "values");
				while (p->kind != ACCT__P_END)
					p++;
			}
			break;
		case ACCT__P_FIELD:
			if (is(c, p->name)) {
				if ((rc = set_field(d, c, p->field)) != 0 || (rc = next(&c)) != 0)
					return rc;
				if (p->flags & ACCT__PART_CHOICE)
					p++;
			} else if (p->flags & ACCT__PART_CHOICE) {
				p++;
				if (!is(c, p->name))
					return c != NULL ? unexpected(c, (p - 1)->name) : missing_child(parent, (p - 1)->name);
				if ((rc = set_field(d, c, p->field)) != 0 || (rc = next(&c)) != 0)
					return rc;
			} else if (p->flags & ACCT__PART_REQUIRED) {
				return c != NULL ? unexpected(c, p->name) : missing_child(parent, p->name);
			}
			break;
		case ACCT__P_LIMITS:
		case ACCT__P_PERMISSIONS:
			if (is(c, p->name)) {
				if ((rc = decode_list(d, c, p->kind == ACCT__P_LIMITS ? ACCT_ITEM_LIMIT : ACCT_ITEM_PERMISSION)) != 0 ||
				    (rc = next(&c)) != 0)
					return rc;
			}
			break;
		case ACCT__P_ROLES:
			if (is(c, p->name)) {
				if ((rc = decode_roles(d, c)) != 0 || (rc = next(&c)) != 0)
					return rc;
			}
			break;
		case ACCT__P_IPS: {
			int n = 0;
			while (is(c, p->name)) {
				if (strcmp(p->name, "ip") == 0)
					rc = decode_ip(d, c);
				else
					rc = item_text(d, c, ACCT_ITEM_IP, NULL, 0);
				if (rc != 0 || (rc = next(&c)) != 0)
					return rc;
				n++;
			}
			if (n == 0 && (p->flags & ACCT__PART_REQUIRED))
				return c != NULL ? unexpected(c, p->name) : missing_child(parent, p->name);
			break;
		}
		case ACCT__P_SESSION_DATA:
			if (is(c, p->name)) {
				if ((rc = decode_session_data(d, c)) != 0 || (rc = next(&c)) != 0)
					return rc;
			}
			break;
		default:
			break;
		}
	}
	*pp = p;
	if (c != NULL)
		return unexpected(c, NULL);
	return 0;
}

static int add_op(acct_request *req, const acct__opinfo *oi, xmlNodePtr el, size_t group, acct__reqop **out)
{
	acct__reqop *o;

	if (acct__grow((void **)&req->ops, &req->cap, req->n + 1, sizeof *req->ops) != 0)
		return acct__error_oom();
	o = &req->ops[req->n++];
	memset(o, 0, sizeof *o);
	o->op = oi != NULL ? oi->op : 0;
	o->group = group;
	o->filter_kind = -1;
	o->line = xmlGetLineNo(el);
	*out = o;
	return 0;
}

static int reject(acct__reqop *o, int code, const char *fmt, const char *a, const char *b)
{
	char msg[300];

	snprintf(msg, sizeof msg, fmt, a, b);
	o->reject_code = code;
	o->reject_text = acct__strdup(msg);
	return o->reject_text == NULL ? acct__error_oom() : 0;
}

static int decode_operator(acct_request *req, xmlNodePtr opel, uint32_t version, const acct__plimits *lim)
{
	size_t group = req->groups++;
	xmlNodePtr c;
	int rc;

	if ((rc = first(opel, &c)) != 0)
		return rc;
	if (c == NULL)
		return missing_child(opel, "an operation");
	for (; c != NULL; rc = next(&c)) {
		const acct__opinfo *oi;
		acct__reqop *o = NULL;
		dctx d;

		if (rc != 0)
			return rc;
		if (req->n >= lim->max_operations)
			return bad(c, "the packet has more than %u operations.", lim->max_operations);
		oi = acct__op_find(nm(opel), nm(c));
		if (oi == NULL && !acct__operation_unsupported(nm(opel), nm(c)))
			return bad(c, "Element '%s': This element is not expected (no operation '%s' in '%s').", nm(c), nm(c),
			           nm(opel));
		if ((rc = add_op(req, oi, c, group, &o)) != 0)
			return rc;
		if (oi == NULL) {
			/* A Plesk operation libacct does not implement: answered 1017, element names echoed. */
			if ((rc = reject(o, 1017, "operation '%s %s' is not supported by libacct", nm(opel), nm(c))) != 0)
				return rc;
			o->operator_name = acct__op_operator_name(nm(opel));
			if ((o->operation_name = acct__strdup(nm(c))) == NULL)
				return acct__error_oom();
			continue;
		}
		if (!acct__op_in_version(oi, version)) {
			if ((rc = reject(o, 1017, "operation '%s' is not part of protocol version %s", acct_op_name(oi->op),
			                 req->version)) != 0)
				return rc;
			continue;
		}
		d.oi = oi;
		d.o = o;
		d.version = version;
		{
			const acct__part *p = acct__op_shape(oi->op);
			if ((rc = decode_parts(&d, c, &p)) != 0)
				return rc;
		}
	}
	return 0;
}

int acct__request_decode(acct_request **req_out, uint32_t *version_out, char version_text[48], const char *xml,
                         size_t len, const acct__plimits *lim)
{
	acct__xmldoc doc;
	acct_request *req = NULL;
	xmlNodePtr root, c;
	xmlChar *vattr;
	uint32_t version = 0;
	int rc;

	*req_out = NULL;
	*version_out = 0;
	version_text[0] = '\0';
	if ((rc = acct__xml_parse(&doc, xml, len, lim)) != 0)
		return rc;
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !is(root, "packet") || root->ns != NULL) {
		rc = bad(root, "the root element is '%s%s%s%s', not 'packet'.", root != NULL && root->ns != NULL ? "{" : "",
		         root != NULL && root->ns != NULL ? (const char *)root->ns->href : "",
		         root != NULL && root->ns != NULL ? "}" : "", root != NULL ? nm(root) : "");
		goto out;
	}
	vattr = xmlGetProp(root, (const xmlChar *)"version");
	if (vattr != NULL) {
		version = acct__version_parse((const char *)vattr);
		if (version != 0 && version <= ACCT__V_NEWEST)
			snprintf(version_text, 48, "%s", (const char *)vattr);
		if (version == 0 || version > ACCT__V_NEWEST || version < ACCT__V(1, 0, 0, 0)) {
			rc = acct__error_set(ACCT_EVERSION, "XML API protocol version '%.40s' is not supported "
			                                    "(libacct speaks 1.0.0.0 to %s).", (const char *)vattr,
			                     acct_agent_protocol_version());
			xmlFree(vattr);
			goto out;
		}
	}
	req = acct__calloc(1, sizeof *req);
	if (req == NULL || (vattr != NULL && (req->version = acct__strdup((const char *)vattr)) == NULL)) {
		xmlFree(vattr);
		rc = acct__error_oom();
		goto out;
	}
	xmlFree(vattr);
	if ((rc = first(root, &c)) != 0)
		goto out;
	if (is(c, "request-settings") && (rc = next(&c)) != 0)
		goto out;
	if (c == NULL) {
		rc = missing_child(root, "an operator");
		goto out;
	}
	for (; c != NULL; rc = next(&c)) {
		if (rc != 0)
			goto out;
		if (!acct__operator_known(nm(c))) {
			rc = bad(c, "Element '%s': This element is not expected (no operator '%s').", nm(c), nm(c));
			goto out;
		}
		if ((rc = decode_operator(req, c, version, lim)) != 0)
			goto out;
	}
out:
	acct__xml_free(doc);
	if (rc != 0) {
		acct_request_free(req);
		return rc;
	}
	*req_out = req;
	*version_out = version;
	return 0;
}
