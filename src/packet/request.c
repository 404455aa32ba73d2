/*
 * Requests: the typed model, its builder (the public acct_request_* calls)
 * and its encoder, which walks the operation's shape (schema.c) so every
 * element comes out in schema order with the operator's own spelling.
 */
#include <string.h>
#include "packet/packet.h"
#include "util/util.h"

void acct__reqop_clear(acct__reqop *o)
{
	for (size_t i = 0; i < o->nfilter; i++)
		acct__free(o->filter[i]);
	acct__free(o->filter);
	for (size_t i = 0; i < ACCT__NSLOTS; i++)
		acct__free_secret(o->f[i]);
	for (size_t i = 0; i < o->nitems; i++) {
		acct__free(o->items[i].name);
		acct__free(o->items[i].value);
	}
	acct__free(o->items);
	acct__free(o->reject_text);
	acct__free(o->operation_name);
	memset(o, 0, sizeof *o);
}

int acct__reqop_set(acct__reqop *o, int field, const char *value, size_t len)
{
	int slot = acct__slot(field);
	char *copy;

	if (slot < 0)
		return acct__error_set(ACCT_EINVALID, "unknown field %d", field);
	copy = acct__strndup(value, len);
	if (copy == NULL)
		return acct__error_oom();
	acct__free_secret(o->f[slot]);
	o->f[slot] = copy;
	return 0;
}

int acct__reqop_item(acct__reqop *o, int kind, const char *name, const char *value)
{
	acct__ritem *it;

	if (acct__grow((void **)&o->items, &o->capitems, o->nitems + 1, sizeof *o->items) != 0)
		return acct__error_oom();
	it = &o->items[o->nitems];
	it->kind = kind;
	it->name = acct__strdup(name);
	it->value = value != NULL ? acct__strdup(value) : NULL;
	if (it->name == NULL || (value != NULL && it->value == NULL)) {
		acct__free(it->name);
		acct__free(it->value);
		return acct__error_oom();
	}
	o->nitems++;
	return 0;
}

int acct__reqop_filter(acct__reqop *o, const char *value, size_t len)
{
	char *copy;

	if (acct__grow((void **)&o->filter, &o->capfilter, o->nfilter + 1, sizeof *o->filter) != 0)
		return acct__error_oom();
	copy = acct__strndup(value, len);
	if (copy == NULL)
		return acct__error_oom();
	o->filter[o->nfilter++] = copy;
	return 0;
}

/* ---- the builder ---- */

int acct_request_new(acct_request **out, const char *version)
{
	acct_request *r;

	if (out == NULL)
		return acct__error_set(ACCT_EINVALID, "acct_request_new: out is NULL");
	*out = NULL;
	if (version != NULL && acct__version_parse(version) == 0)
		return acct__error_set(ACCT_EINVALID, "'%s' is not a protocol version (e.g. 1.6.9.1)", version);
	r = acct__calloc(1, sizeof *r);
	if (r == NULL)
		return acct__error_oom();
	if (version != NULL && (r->version = acct__strdup(version)) == NULL) {
		acct__free(r);
		return acct__error_oom();
	}
	*out = r;
	return 0;
}

void acct_request_free(acct_request *req)
{
	if (req == NULL)
		return;
	for (size_t i = 0; i < req->n; i++)
		acct__reqop_clear(&req->ops[i]);
	acct__free(req->ops);
	acct__free(req->version);
	acct__free(req);
}

int acct_request_add(acct_request *req, int op)
{
	const acct__opinfo *oi = acct__op_info(op);
	acct__reqop *o;

	if (req == NULL)
		return acct__error_set(ACCT_EINVALID, "acct_request_add: request is NULL");
	if (oi == NULL)
		return acct__error_set(ACCT_EINVALID, "unknown operation %d", op);
	if (acct__grow((void **)&req->ops, &req->cap, req->n + 1, sizeof *req->ops) != 0)
		return acct__error_oom();
	o = &req->ops[req->n];
	memset(o, 0, sizeof *o);
	o->op = op;
	o->filter_kind = -1;
	/* Operations of one operator share its element, as the PHP client sends them. */
	if (req->n > 0 && acct__op_info(req->ops[req->n - 1].op)->operator_name == oi->operator_name)
		o->group = req->ops[req->n - 1].group;
	else
		o->group = req->groups++;
	req->n++;
	return 0;
}

static acct__reqop *current(acct_request *req, const char *fn)
{
	if (req == NULL || req->n == 0) {
		acct__error_set(ACCT_EINVALID, "%s: start an operation with acct_request_add() first", fn);
		return NULL;
	}
	return &req->ops[req->n - 1];
}

/* Values go into XML text: UTF-8 without control characters other than tab and newlines. */
static int check_text(const char *what, const char *value)
{
	if (!acct__utf8_valid(value, strlen(value)))
		return acct__error_set(ACCT_EINVALID, "%s is not valid UTF-8", what);
	for (const unsigned char *p = (const unsigned char *)value; *p != '\0'; p++)
		if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
			return acct__error_set(ACCT_EINVALID, "%s contains control character 0x%02x", what, *p);
	return 0;
}

int acct_request_filter(acct_request *req, int kind, const char *value)
{
	acct__reqop *o = current(req, "acct_request_filter");
	const acct__opinfo *oi;
	int rc;

	if (o == NULL)
		return ACCT_EINVALID;
	oi = acct__op_info(o->op);
	if (kind < 0 || kind > 31 || !(oi->filters & (1u << kind)))
		return acct__error_set(ACCT_EINVALID, "%s does not filter by %s", acct_op_name(o->op),
		                       acct__filter_name(kind) != NULL ? acct__filter_name(kind) : "that kind");
	if (o->filter_kind >= 0 && o->filter_kind != kind)
		return acct__error_set(ACCT_EINVALID, "a filter holds one kind of value: %s already, not %s",
		                       acct__filter_name(o->filter_kind), acct__filter_name(kind));
	if (kind == ACCT_FILTER_ALL) {
		o->filter_kind = kind;
		return 0;
	}
	if (value == NULL)
		return acct__error_set(ACCT_EINVALID, "a %s filter needs a value", acct__filter_name(kind));
	if ((rc = check_text("the filter value", value)) != 0)
		return rc;
	if ((rc = acct__reqop_filter(o, value, strlen(value))) != 0)
		return rc;
	o->filter_kind = kind;
	return 0;
}

int acct_request_dataset(acct_request *req, unsigned int datasets)
{
	acct__reqop *o = current(req, "acct_request_dataset");

	if (o == NULL)
		return ACCT_EINVALID;
	if ((datasets & ~acct__op_info(o->op)->datasets) != 0 || datasets == 0)
		return acct__error_set(ACCT_EINVALID, "%s has no such dataset (0x%x)", acct_op_name(o->op), datasets);
	o->datasets |= datasets;
	return 0;
}

/* Does the operation's shape carry `field` anywhere? */
static int shape_has_field(int op, int field)
{
	const acct__opinfo *oi = acct__op_info(op);

	for (const acct__part *p = acct__op_shape(op); p->kind != 0; p++) {
		if (p->kind == ACCT__P_FIELD && p->field == field)
			return 1;
		if (p->kind == ACCT__P_GEN) {
			size_t n;
			const acct__gfield *g = acct__gen_fields(oi->style, p->field, &n);
			for (size_t i = 0; i < n; i++)
				if (g[i].field == field && (g[i].flags & (unsigned)p->field))
					return 1;
		}
		if ((p->kind == ACCT__P_LIMITS && (field == ACCT_PFIELD_OVERSELL || field == ACCT_PFIELD_OVERUSE)) ||
		    (p->kind == ACCT__P_SESSION_DATA && field == ACCT_PFIELD_IP_ADDRESS))
			return 1;
	}
	return 0;
}

int acct_request_set(acct_request *req, int field, const char *value)
{
	acct__reqop *o = current(req, "acct_request_set");
	int rc;

	if (o == NULL)
		return ACCT_EINVALID;
	if (acct__slot(field) < 0 || !shape_has_field(o->op, field))
		return acct__error_set(ACCT_EINVALID, "%s carries no field %d", acct_op_name(o->op), field);
	if (value == NULL)
		value = "";
	if ((rc = check_text("the value", value)) != 0)
		return rc;
	return acct__reqop_set(o, field, value, strlen(value));
}

int acct_request_item(acct_request *req, int kind, const char *name, const char *value)
{
	acct__reqop *o = current(req, "acct_request_item");
	int want, rc;

	if (o == NULL)
		return ACCT_EINVALID;
	switch (kind) {
	case ACCT_ITEM_LIMIT: want = ACCT__P_LIMITS; break;
	case ACCT_ITEM_PERMISSION: want = ACCT__P_PERMISSIONS; break;
	case ACCT_ITEM_IP: want = ACCT__P_IPS; break;
	case ACCT_ITEM_ROLE: want = ACCT__P_ROLES; break;
	default: want = 0; break;
	}
	for (const acct__part *p = acct__op_shape(o->op); want != 0 && p->kind != 0; p++)
		if (p->kind == want)
			goto found;
	return acct__error_set(ACCT_EINVALID, "%s carries no items of kind %d", acct_op_name(o->op), kind);
found:
	if (name == NULL || *name == '\0')
		return acct__error_set(ACCT_EINVALID, "an item needs a name");
	if ((rc = check_text("the item name", name)) != 0 || (value != NULL && (rc = check_text("the item value", value)) != 0))
		return rc;
	if ((kind == ACCT_ITEM_LIMIT || kind == ACCT_ITEM_PERMISSION) && value == NULL)
		return acct__error_set(ACCT_EINVALID, "a %s needs a value", kind == ACCT_ITEM_LIMIT ? "limit" : "permission");
	/* Legacy clients send these names as element names: they must be XML names. */
	if (kind == ACCT_ITEM_LIMIT || kind == ACCT_ITEM_PERMISSION) {
		const char *p = name;
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_'))
			return acct__error_set(ACCT_EINVALID, "'%s' is not a %s name", name,
			                       kind == ACCT_ITEM_LIMIT ? "limit" : "permission");
		for (; *p != '\0'; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' ||
			      *p == '-' || *p == '.'))
				return acct__error_set(ACCT_EINVALID, "'%s' is not a %s name", name,
				                       kind == ACCT_ITEM_LIMIT ? "limit" : "permission");
	}
	return acct__reqop_item(o, kind, name, value);
}

/* ---- the encoder ---- */

static const char *field_of(const acct__reqop *o, int field)
{
	int slot = acct__slot(field);
	return slot >= 0 ? o->f[slot] : NULL;
}

static void encode_gen(acct__xw *w, const acct__reqop *o, int style, int purpose)
{
	size_t n;
	const acct__gfield *g = acct__gen_fields(style, purpose, &n);

	/* An add always carries its gen-info element, even when empty. */
	if (acct__gen_encode(w, acct__gen_name(style), g, n, (unsigned)purpose, (const char *const *)o->f, 0) == 0 &&
	    purpose == ACCT__GF_ADD)
		acct__xw_empty(w, acct__gen_name(style));
}

static void encode_filter(acct__xw *w, const acct__reqop *o, int style)
{
	if (o->filter_kind <= ACCT_FILTER_ALL) {
		if (style == ACCT__STYLE_USER) {
			acct__xw_open(w, "filter");
			acct__xw_empty(w, "all");
			acct__xw_close(w, "filter");
		} else {
			acct__xw_empty(w, "filter");
		}
		return;
	}
	acct__xw_open(w, "filter");
	for (size_t i = 0; i < o->nfilter; i++)
		acct__xw_text(w, acct__filter_name(o->filter_kind), o->filter[i]);
	acct__xw_close(w, "filter");
}

static void encode_datasets(acct__xw *w, const acct__reqop *o, int style)
{
	for (size_t i = 0; acct__dataset_order[i] != 0; i++)
		if (o->datasets & acct__dataset_order[i])
			acct__xw_empty(w, acct__dataset_name(style, acct__dataset_order[i]));
}

/* Limits and permissions: name/value pairs, or one element per name for
 * legacy clients below protocol 1.5 (spec section 6). */
static void encode_pairs(acct__xw *w, const acct__reqop *o, int kind, const char *wrapper, int legacy)
{
	const char *item = kind == ACCT_ITEM_LIMIT ? "limit" : "permission";
	const char *oversell = field_of(o, ACCT_PFIELD_OVERSELL), *overuse = field_of(o, ACCT_PFIELD_OVERUSE);
	int any = kind == ACCT_ITEM_LIMIT && (oversell != NULL || overuse != NULL);

	for (size_t i = 0; i < o->nitems && !any; i++)
		any = o->items[i].kind == kind;
	if (!any)
		return;
	acct__xw_open(w, wrapper);
	if (kind == ACCT_ITEM_LIMIT && (oversell != NULL || overuse != NULL)) {
		acct__xw_open(w, "resource-policy");
		if (oversell != NULL)
			acct__xw_text(w, "oversell", oversell);
		if (overuse != NULL)
			acct__xw_text(w, "overuse", overuse);
		acct__xw_close(w, "resource-policy");
	}
	for (size_t i = 0; i < o->nitems; i++) {
		if (o->items[i].kind != kind)
			continue;
		if (legacy) {
			acct__xw_text(w, o->items[i].name, o->items[i].value);
			continue;
		}
		acct__xw_open(w, item);
		acct__xw_text(w, "name", o->items[i].name);
		acct__xw_text(w, "value", o->items[i].value);
		acct__xw_close(w, item);
	}
	acct__xw_close(w, wrapper);
}

static void encode_ips(acct__xw *w, const acct__reqop *o, const acct__part *p)
{
	for (size_t i = 0; i < o->nitems; i++) {
		const acct__ritem *it = &o->items[i];
		int v6;

		if (it->kind != ACCT_ITEM_IP)
			continue;
		v6 = strchr(it->name, ':') != NULL;
		if ((p->field == 4 && v6) || (p->field == 6 && !v6))
			continue;
		if (strcmp(p->name, "ip") == 0) {
			acct__xw_open(w, "ip");
			acct__xw_text(w, "ip-address", it->name);
			if (it->value != NULL)
				acct__xw_text(w, "ip-type", it->value);
			acct__xw_close(w, "ip");
		} else {
			acct__xw_text(w, p->name, it->name);
		}
	}
}

static int has_values(const acct__reqop *o, const acct__part *p)
{
	/* Anything set inside <values> ... END? */
	for (p++; p->kind != ACCT__P_END; p++) {
		if (p->kind == ACCT__P_FIELD && field_of(o, p->field) != NULL)
			return 1;
		if (p->kind == ACCT__P_GEN) {
			for (int i = 1; i < ACCT__NSLOTS; i++)
				if (o->f[i] != NULL)
					return 1;
		}
		if (p->kind == ACCT__P_LIMITS || p->kind == ACCT__P_PERMISSIONS || p->kind == ACCT__P_ROLES)
			if (o->nitems > 0)
				return 1;
	}
	return 0;
}

static int missing(const acct__reqop *o, const char *what)
{
	return acct__error_set(ACCT_EINVALID, "%s needs %s", acct_op_name(o->op), what);
}

static int encode_op(acct__xw *w, const acct__reqop *o, uint32_t version)
{
	const acct__opinfo *oi = acct__op_info(o->op);
	int legacy = oi->style == ACCT__STYLE_CLIENT && version != 0 && version < ACCT__V(1, 5, 0, 0);

	if (acct__op_shape(o->op)->kind == 0) {
		acct__xw_empty(w, oi->operation);
		return 0;
	}
	acct__xw_open(w, oi->operation);
	for (const acct__part *p = acct__op_shape(o->op); p->kind != 0; p++) {
		switch (p->kind) {
		case ACCT__P_FILTER:
			if (o->filter_kind < 0 && (p->flags & ACCT__PART_REQUIRED))
				return missing(o, "a filter (acct_request_filter)");
			if (o->filter_kind >= 0)
				encode_filter(w, o, oi->style);
			break;
		case ACCT__P_DATASET:
			acct__xw_open(w, "dataset");
			encode_datasets(w, o, oi->style);
			acct__xw_close(w, "dataset");
			break;
		case ACCT__P_SERVER_DATASETS:
			encode_datasets(w, o, oi->style);
			break;
		case ACCT__P_GEN:
			if (p->field == ACCT__GF_ADD) {
				size_t n;
				const acct__gfield *g = acct__gen_fields(oi->style, ACCT__GF_ADD, &n);
				for (size_t i = 0; i < n; i++)
					if ((g[i].flags & ACCT__GF_REQUIRED) && field_of(o, g[i].field) == NULL)
						return missing(o, g[i].name);
				/* the owner is a choice: two would be a packet the schema refuses */
				if ((field_of(o, ACCT_PFIELD_OWNER_ID) != NULL) + (field_of(o, ACCT_PFIELD_OWNER_LOGIN) != NULL) +
				        (field_of(o, ACCT_PFIELD_OWNER_GUID) != NULL) +
				        (field_of(o, ACCT_PFIELD_OWNER_EXTERNAL_ID) != NULL) > 1)
					return acct__error_set(ACCT_EINVALID, "%s takes one owner: set only one of owner-id, "
					                       "owner-login, owner-guid and owner-external-id", acct_op_name(o->op));
			}
			encode_gen(w, o, oi->style, p->field);
			break;
		case ACCT__P_VALUES:
			if (!has_values(o, p)) {
				if (p->flags & ACCT__PART_REQUIRED)
					return missing(o, "a value to set");
				while (p->kind != ACCT__P_END)
					p++;
				break;
			}
			acct__xw_open(w, "values");
			break;
		case ACCT__P_END:
			acct__xw_close(w, "values");
			break;
		case ACCT__P_FIELD: {
			const char *v = field_of(o, p->field);
			if (p->flags & ACCT__PART_CHOICE) {
				/* reseller-id | external-id: the first one given */
				if (v == NULL) {
					p++;
					v = field_of(o, p->field);
				} else {
					acct__xw_text(w, p->name, v);
					p++;
					break;
				}
				if (v == NULL)
					return missing(o, "reseller-id or external-id (ACCT_PFIELD_ACCOUNT_ID, ACCT_FIELD_EXTERNAL_ID)");
			} else if (v == NULL && (p->flags & ACCT__PART_REQUIRED)) {
				return missing(o, p->name);
			}
			if (v != NULL)
				acct__xw_text(w, p->name, v);
			break;
		}
		case ACCT__P_LIMITS:
			encode_pairs(w, o, ACCT_ITEM_LIMIT, "limits", legacy);
			break;
		case ACCT__P_PERMISSIONS:
			encode_pairs(w, o, ACCT_ITEM_PERMISSION, "permissions", legacy);
			break;
		case ACCT__P_ROLES: {
			int any = 0;
			for (size_t i = 0; i < o->nitems; i++) {
				if (o->items[i].kind != ACCT_ITEM_ROLE)
					continue;
				if (!any++)
					acct__xw_open(w, "roles");
				acct__xw_text(w, "name", o->items[i].name);
			}
			if (any)
				acct__xw_close(w, "roles");
			break;
		}
		case ACCT__P_IPS:
			encode_ips(w, o, p);
			break;
		case ACCT__P_SESSION_DATA: {
			const char *ip = field_of(o, ACCT_PFIELD_IP_ADDRESS);
			acct_buf b64 = ACCT_BUF_INIT;
			acct__xw_open(w, "data");
			if (ip != NULL && acct__base64_encode(&b64, ip, strlen(ip)) == 0)
				acct__xw_text(w, "user_ip", b64.ptr);
			else if (ip != NULL)
				w->err = ACCT_ENOMEM;
			acct_buf_dispose(&b64);
			acct__xw_empty(w, "source_server");
			acct__xw_close(w, "data");
			break;
		}
		default:
			break;
		}
	}
	acct__xw_close(w, oi->operation);
	return 0;
}

int acct_request_encode(acct_buf *out, const acct_request *req)
{
	acct__xw w = { NULL, 0, 0, 0 };
	acct_buf tmp = ACCT_BUF_INIT;
	uint32_t version;
	int rc = 0;

	if (out == NULL || req == NULL)
		return acct__error_set(ACCT_EINVALID, "acct_request_encode: NULL argument");
	if (req->n == 0)
		return acct__error_set(ACCT_EINVALID, "the request has no operation (acct_request_add)");
	version = req->version != NULL ? acct__version_parse(req->version) : 0;
	w.out = &tmp;
	w.pretty = 1;
	acct__xw_header(&w, req->version);
	for (size_t i = 0; i < req->n && rc == 0; i++) {
		const char *operator_name = acct__op_info(req->ops[i].op)->operator_name;
		if (i == 0 || req->ops[i].group != req->ops[i - 1].group)
			acct__xw_open(&w, operator_name);
		rc = encode_op(&w, &req->ops[i], version);
		if (rc == 0 && (i + 1 == req->n || req->ops[i + 1].group != req->ops[i].group))
			acct__xw_close(&w, operator_name);
	}
	if (rc == 0)
		rc = acct__xw_finish(&w);
	if (rc != 0) {
		acct_buf_dispose(&tmp);
		return rc;
	}
	acct_buf_dispose(out);
	*out = tmp;
	return 0;
}
