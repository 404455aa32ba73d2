/* The acct_account object: a detached copy of one record, with field validation. */
#include <string.h>
#include <arpa/inet.h>
#include "acct/limit.h"
#include <time.h>
#include "util/util.h"
#include "crypto/crypto.h"
#include "model.h"

static const char *const field_names[ACCT__FIELD_SLOTS] = {
	NULL, "login", "password", "name", "company", "phone", "fax", "email", "address", "city",
	"state", "postal code", "country", "locale", "external id", "guid", "creation date", "subscription",
	"vat number",
};

/* Most fields are free text with a maximum length in characters. */
static const unsigned short field_max[ACCT__FIELD_SLOTS] = {
	0, 60, 255, 60, 60, 30, 30, 255, 255, 255, 255, 16, 2, 17, 255, 36, 10, 255, 32,
};

const char *acct_field_name(int field)
{
	return field >= ACCT_FIELD_FIRST && field <= ACCT_FIELD_LAST ? field_names[field] : NULL;
}

const char *acct_account_type_name(int type)
{
	switch (type) {
	case ACCT_TYPE_ADMIN: return "admin";
	case ACCT_TYPE_RESELLER: return "reseller";
	case ACCT_TYPE_CUSTOMER: return "customer";
	case ACCT_TYPE_USER: return "user";
	default: return "unknown";
	}
}

acct_account *acct__account_alloc(int type)
{
	acct_account *a = acct__calloc(1, sizeof(*a));
	if (a)
		a->type = type;
	return a;
}

int acct_account_new(acct_account **out, int type)
{
	if (!out)
		return acct__error_set(ACCT_EINVALID, "acct_account_new: out is NULL");
	*out = NULL;
	if (type != ACCT_TYPE_RESELLER && type != ACCT_TYPE_CUSTOMER && type != ACCT_TYPE_USER)
		return acct__error_set(ACCT_EINVALID, "cannot create an account of type %d (%s): only resellers, customers and users",
		                       type, acct_account_type_name(type));
	*out = acct__account_alloc(type);
	return *out ? 0 : acct__error_oom();
}

void acct_account_free(acct_account *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < ACCT__FIELD_SLOTS; i++) {
		if (i == ACCT_FIELD_PASSWORD)
			acct__free_secret(a->fields[i]);
		else
			acct__free(a->fields[i]);
	}
	acct__free_secret(a->password_hash);
	for (i = 0; i < a->ndesc; i++)
		acct__free(a->desc[i].text);
	acct__free(a->desc);
	acct_buf_dispose(&a->perms);
	acct_buf_dispose(&a->roles);
	acct__free(a->limits);
	acct__free(a->ips);
	for (i = 0; i < a->nbuttons; i++) {
		acct__free(a->buttons[i].label);
		acct__free(a->buttons[i].url);
	}
	acct__free(a->buttons);
	acct_buf_dispose(&a->unknown);
	acct__free(a);
}

acct_id acct_account_id(const acct_account *a) { return a ? a->id : 0; }
int acct_account_type(const acct_account *a) { return a ? a->type : 0; }
acct_id acct_account_owner(const acct_account *a) { return a ? a->owner : 0; }
unsigned int acct_account_status(const acct_account *a) { return a ? a->status : 0; }
int64_t acct_account_created(const acct_account *a) { return a ? a->created : 0; }

int acct__account_set_guid(acct_account *a, const uint8_t guid[16])
{
	memcpy(a->guid, guid, 16);
	a->has_guid = 1;
	acct__uuid_format(a->guid_str, guid);
	return 0;
}

void acct__account_set_created(acct_account *a, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	a->created = t;
	if (gmtime_r(&tt, &tm))
		strftime(a->created_str, sizeof(a->created_str), "%Y-%m-%d", &tm);
}

const char *acct_account_get(const acct_account *a, int field)
{
	if (!a || field < ACCT_FIELD_FIRST || field > ACCT_FIELD_LAST || field == ACCT_FIELD_PASSWORD)
		return NULL;
	if (field == ACCT_FIELD_GUID)
		return a->has_guid ? a->guid_str : NULL;
	if (field == ACCT_FIELD_CREATED)
		return a->id ? a->created_str : NULL;
	return a->fields[field];
}

static int validate(const acct_account *a, int field, const char *v)
{
	const char *name = field_names[field];

	switch (field) {
	case ACCT_FIELD_LOGIN:
		return acct__validate_login(v);
	case ACCT_FIELD_PASSWORD: {
		size_t n = strlen(v);
		if (n < 5 || n > 255)
			return acct__error_set(ACCT_EINVALID, "password must be 5 to 255 characters long (got %zu)", n);
		return acct__validate_text(name, v, 5, 255);
	}
	case ACCT_FIELD_NAME:
		return acct__validate_text(name, v, 1, field_max[field]);
	case ACCT_FIELD_EMAIL:
		return acct__validate_email("email", v);
	case ACCT_FIELD_COUNTRY:
		return acct__validate_country(v);
	case ACCT_FIELD_LOCALE:
		return acct__validate_locale(v);
	case ACCT_FIELD_SUBSCRIPTION:
		if (a->type != ACCT_TYPE_USER)
			return acct__error_set(ACCT_EINVALID, "subscription can only be set on users, not on a %s",
			                       acct_account_type_name(a->type));
		return acct__validate_text(name, v, 1, field_max[field]);
	default:
		return acct__validate_text(name, v, 0, field_max[field]);
	}
}

int acct_account_set(acct_account *a, int field, const char *value)
{
	char *copy = NULL;

	if (!a)
		return acct__error_set(ACCT_EINVALID, "acct_account_set: account is NULL");
	if (field < ACCT_FIELD_FIRST || field > ACCT_FIELD_LAST)
		return acct__error_set(ACCT_EINVALID, "unknown account field %d", field);
	if (value && !*value)
		value = NULL;
	if (field == ACCT_FIELD_CREATED)
		return acct__error_set(ACCT_EINVALID, "creation date is read-only");
	if (field == ACCT_FIELD_GUID) {
		uint8_t g[16];
		if (a->id)
			return acct__error_set(ACCT_EINVALID, "guid is read-only once the account is stored");
		if (!value) {
			a->has_guid = 0;
			a->guid_changed = 0;
			return 0;
		}
		if (acct__uuid_parse(g, value) < 0)
			return acct__error_set(ACCT_EINVALID, "guid '%.40s' is not a UUID (32 hex digits in groups of 8-4-4-4-12)", value);
		acct__account_set_guid(a, g);
		a->guid_changed = 1;
		return 0;
	}
	if (!value && (field == ACCT_FIELD_LOGIN || field == ACCT_FIELD_NAME || field == ACCT_FIELD_PASSWORD))
		return acct__error_set(ACCT_EINVALID, "%s cannot be empty", field_names[field]);
	if (value) {
		if (validate(a, field, value) < 0)
			return ACCT_EINVALID;
		copy = acct__strdup(value);
		if (!copy)
			return acct__error_oom();
	}
	if (field == ACCT_FIELD_PASSWORD)
		acct__free_secret(a->fields[field]);
	else
		acct__free(a->fields[field]);
	a->fields[field] = copy;
	a->changed |= (uint32_t)1 << field;
	return 0;
}

const char *acct_account_description(const acct_account *a, acct_id author)
{
	size_t i;

	if (!a)
		return NULL;
	for (i = 0; i < a->ndesc; i++)
		if (a->desc[i].author == author)
			return a->desc[i].text;
	return NULL;
}

int acct__desc_set(acct_account *a, acct_id author, const char *text)
{
	size_t i;
	char *copy = NULL;
	acct__desc *d;

	if (text && *text && !(copy = acct__strdup(text)))
		return acct__error_oom();
	for (i = 0; i < a->ndesc; i++) {
		if (a->desc[i].author != author)
			continue;
		acct__free(a->desc[i].text);
		if (copy) {
			a->desc[i].text = copy;
		} else {
			memmove(&a->desc[i], &a->desc[i + 1], (a->ndesc - i - 1) * sizeof(*a->desc));
			a->ndesc--;
		}
		return 0;
	}
	if (!copy)
		return 0;
	d = acct__realloc(a->desc, (a->ndesc + 1) * sizeof(*d));
	if (!d) {
		acct__free(copy);
		return acct__error_oom();
	}
	a->desc = d;
	d[a->ndesc].author = author;
	d[a->ndesc].text = copy;
	a->ndesc++;
	return 0;
}

int acct_account_set_description(acct_account *a, acct_id author, const char *text)
{
	if (!a || author <= 0)
		return acct__error_set(ACCT_EINVALID, "a description needs an account and an author id");
	if (text && acct__validate_text("description", text, 0, 4096) < 0)
		return ACCT_EINVALID;
	if (acct__desc_set(a, author, text) < 0)
		return ACCT_ENOMEM;
	a->desc_changed = 1;
	return 0;
}

int acct__account_apply(acct_account *dst, const acct_account *src)
{
	int f;
	size_t i;

	for (f = ACCT_FIELD_FIRST; f <= ACCT_FIELD_LAST; f++) {
		char *copy = NULL;
		if (f == ACCT_FIELD_PASSWORD || !(src->changed >> f & 1))
			continue;
		if (src->fields[f] && !(copy = acct__strdup(src->fields[f])))
			return acct__error_oom();
		acct__free(dst->fields[f]);
		dst->fields[f] = copy;
	}
	if (src->desc_changed) {
		/* The object's descriptions replace the stored ones wholesale. */
		for (i = 0; i < dst->ndesc; i++)
			acct__free(dst->desc[i].text);
		dst->ndesc = 0;
		for (i = 0; i < src->ndesc; i++)
			if (acct__desc_set(dst, src->desc[i].author, src->desc[i].text) < 0)
				return ACCT_ENOMEM;
	}
	return 0;
}

/* ---- name sets and role id sets ---- */

const char *acct__names_next(const acct_buf *set, size_t *pos)
{
	const char *name;

	if (!set->ptr || *pos >= set->size)
		return NULL;
	name = set->ptr + *pos;
	*pos += strlen(name) + 1;
	return name;
}

int acct__names_has(const acct_buf *set, const char *name)
{
	size_t pos = 0;
	const char *n;

	while ((n = acct__names_next(set, &pos)))
		if (strcmp(n, name) == 0)
			return 1;
	return 0;
}

int acct__names_add(acct_buf *set, const char *name)
{
	if (acct__names_has(set, name))
		return 0;
	return acct__buf_put(set, name, strlen(name) + 1);
}

void acct__names_remove(acct_buf *set, const char *name)
{
	size_t pos = 0, start;
	const char *n;

	for (start = pos; (n = acct__names_next(set, &pos)); start = pos) {
		if (strcmp(n, name) == 0) {
			memmove(set->ptr + start, set->ptr + pos, set->size - pos);
			set->size -= pos - start;
			return;
		}
	}
}

size_t acct__roles_count(const acct_buf *set)
{
	return set->size / 8;
}

uint64_t acct__roles_at(const acct_buf *set, size_t i)
{
	return acct__be64_get((const unsigned char *)set->ptr + i * 8);
}

int acct__roles_has(const acct_buf *set, uint64_t id)
{
	size_t i;

	for (i = 0; i < acct__roles_count(set); i++)
		if (acct__roles_at(set, i) == id)
			return 1;
	return 0;
}

int acct__roles_add(acct_buf *set, uint64_t id)
{
	unsigned char be[8];

	if (acct__roles_has(set, id))
		return 0;
	acct__be64_put(be, id);
	return acct__buf_put(set, be, 8);
}

void acct__roles_remove(acct_buf *set, uint64_t id)
{
	size_t i, n = acct__roles_count(set);

	for (i = 0; i < n; i++) {
		if (acct__roles_at(set, i) == id) {
			memmove(set->ptr + i * 8, set->ptr + (i + 1) * 8, (n - i - 1) * 8);
			set->size -= 8;
			return;
		}
	}
}

/* ---- limits, IP pool, buttons ---- */

static const char *const limit_names[] = {
	"max_cl", "max_dom", "max_subdom", "max_dom_aliases", "disk_space", "max_traffic", "max_wu",
	"max_db", "max_box", "mbox_quota", "max_maillists", "max_webapps", "expiration",
};

size_t acct_limit_count(void)
{
	return ACCT__ARRAY_LEN(limit_names);
}

const char *acct_limit_name(size_t index)
{
	return index < ACCT__ARRAY_LEN(limit_names) ? limit_names[index] : NULL;
}

int acct__limit_known(const char *name)
{
	size_t i;

	for (i = 0; name && i < ACCT__ARRAY_LEN(limit_names); i++)
		if (strcmp(limit_names[i], name) == 0)
			return 1;
	return 0;
}

const acct__limit *acct__limit_find(const acct_account *a, const char *name)
{
	size_t i;

	for (i = 0; i < a->nlimits; i++)
		if (strcmp(a->limits[i].name, name) == 0)
			return &a->limits[i];
	return NULL;
}

int acct__limit_put(acct_account *a, const char *name, int64_t value)
{
	acct__limit *l = (acct__limit *)acct__limit_find(a, name), *arr;

	if (strlen(name) >= sizeof(l->name))
		return acct__error_set(ACCT_EINVALID, "limit name '%s' is too long", name);
	if (!l) {
		arr = acct__realloc(a->limits, (a->nlimits + 1) * sizeof(*arr));
		if (!arr)
			return acct__error_oom();
		a->limits = arr;
		l = &arr[a->nlimits++];
		memset(l, 0, sizeof(*l));
		strcpy(l->name, name);
	}
	l->value = value;
	return 0;
}

void acct__limit_del(acct_account *a, const char *name)
{
	const acct__limit *l = acct__limit_find(a, name);
	size_t i;

	if (!l)
		return;
	i = (size_t)(l - a->limits);
	memmove(&a->limits[i], &a->limits[i + 1], (a->nlimits - i - 1) * sizeof(*a->limits));
	a->nlimits--;
}

int acct__ip_canonical(char out[48], const char *in)
{
	unsigned char bin[16];

	if (!in || strlen(in) >= 48)
		return ACCT_EINVALID;
	if (inet_pton(AF_INET, in, bin) == 1)
		return inet_ntop(AF_INET, bin, out, 48) ? 0 : ACCT_EINVALID;
	if (inet_pton(AF_INET6, in, bin) == 1)
		return inet_ntop(AF_INET6, bin, out, 48) ? 0 : ACCT_EINVALID;
	return ACCT_EINVALID;
}

const acct__ip *acct__ip_find(const acct_account *a, const char *addr)
{
	size_t i;

	for (i = 0; i < a->nips; i++)
		if (strcmp(a->ips[i].addr, addr) == 0)
			return &a->ips[i];
	return NULL;
}

int acct__ip_put(acct_account *a, const char *addr, int type)
{
	acct__ip *ip = (acct__ip *)acct__ip_find(a, addr), *arr;

	if (!ip) {
		if (strlen(addr) >= sizeof(ip->addr))
			return acct__error_set(ACCT_EINVALID, "IP address '%s' is too long", addr);
		arr = acct__realloc(a->ips, (a->nips + 1) * sizeof(*arr));
		if (!arr)
			return acct__error_oom();
		a->ips = arr;
		ip = &arr[a->nips++];
		memset(ip, 0, sizeof(*ip));
		strcpy(ip->addr, addr);
	}
	ip->type = type;
	return 0;
}

void acct__ip_del(acct_account *a, const char *addr)
{
	const acct__ip *ip = acct__ip_find(a, addr);
	size_t i;

	if (!ip)
		return;
	i = (size_t)(ip - a->ips);
	memmove(&a->ips[i], &a->ips[i + 1], (a->nips - i - 1) * sizeof(*a->ips));
	a->nips--;
}

int acct__button_put(acct_account *a, int64_t id, const char *label, const char *url)
{
	acct__button *arr = acct__realloc(a->buttons, (a->nbuttons + 1) * sizeof(*arr));
	char *l, *u;

	if (!arr)
		return acct__error_oom();
	a->buttons = arr;
	l = acct__strdup(label);
	u = acct__strdup(url);
	if (!l || !u) {
		acct__free(l);
		acct__free(u);
		return acct__error_oom();
	}
	arr[a->nbuttons].id = id;
	arr[a->nbuttons].label = l;
	arr[a->nbuttons].url = u;
	a->nbuttons++;
	return 0;
}

int acct__button_del(acct_account *a, int64_t id)
{
	size_t i;

	for (i = 0; i < a->nbuttons; i++) {
		if (a->buttons[i].id != id)
			continue;
		acct__free(a->buttons[i].label);
		acct__free(a->buttons[i].url);
		memmove(&a->buttons[i], &a->buttons[i + 1], (a->nbuttons - i - 1) * sizeof(*a->buttons));
		a->nbuttons--;
		return 0;
	}
	return ACCT_ENOTFOUND;
}
