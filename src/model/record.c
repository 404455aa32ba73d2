/*
 * The account record codec. A record is one format-version byte followed by
 * TLVs: tag (varint), length (varint), value. Tags this version does not know
 * are kept verbatim and written back, so an older libacct never drops what a
 * newer one stored.
 */
#include <string.h>
#include "util/util.h"
#include "model.h"

enum {
	TAG_TYPE = 1,
	TAG_OWNER = 2,
	TAG_STATUS = 3,
	TAG_CREATED = 4,
	TAG_GUID = 5,
	TAG_PASSWORD_HASH = 6,
	TAG_DESCRIPTION = 7,
	TAG_PERMISSION = 8,
	TAG_ROLE = 9,
	TAG_LIMIT = 10,      /* 8-byte big-endian value, then the name */
	TAG_OVERSELL = 11,
	TAG_OVERUSE = 12,
	TAG_IP = 13,         /* 1-byte type, then the address */
	TAG_BUTTON = 14,     /* varint id, varint label length, label, url */
	TAG_NEXT_BUTTON = 15,
	TAG_FIELD_BASE = 32 /* + acct_field */
};

static size_t varint(unsigned char out[10], uint64_t v)
{
	size_t n = 0;

	do {
		out[n] = (unsigned char)(v & 0x7F);
		v >>= 7;
		if (v)
			out[n] |= 0x80;
		n++;
	} while (v);
	return n;
}

static int put_varint(acct_buf *b, uint64_t v)
{
	unsigned char tmp[10];
	return acct__buf_put(b, tmp, varint(tmp, v));
}

static int get_varint(uint64_t *v, const unsigned char **p, const unsigned char *end)
{
	uint64_t r = 0;
	unsigned shift = 0;

	while (*p < end && shift < 64) {
		unsigned char c = *(*p)++;
		r |= (uint64_t)(c & 0x7F) << shift;
		if (!(c & 0x80)) {
			*v = r;
			return 0;
		}
		shift += 7;
	}
	return -1;
}

int acct__tlv_put(acct_buf *b, unsigned tag, const void *v, size_t len)
{
	if (put_varint(b, tag) < 0 || put_varint(b, len) < 0)
		return ACCT_ENOMEM;
	return acct__buf_put(b, v, len);
}

/* A number TLV: the value is itself a varint. */
int acct__tlv_put_uint(acct_buf *b, unsigned tag, uint64_t v)
{
	unsigned char raw[10];
	return acct__tlv_put(b, tag, raw, varint(raw, v));
}

int acct__record_encode(acct_buf *out, const acct_account *a)
{
	unsigned char ver = ACCT__RECORD_VERSION, be[8];
	uint64_t created = (uint64_t)a->created;
	size_t i, pos;
	const char *name;
	int f;

	acct__buf_clear(out);
	if (acct__buf_put(out, &ver, 1) < 0 || acct__tlv_put_uint(out, TAG_TYPE, (uint64_t)a->type) < 0 ||
	    acct__tlv_put_uint(out, TAG_OWNER, (uint64_t)a->owner) < 0 || acct__tlv_put_uint(out, TAG_STATUS, a->status) < 0)
		return ACCT_ENOMEM;
	acct__be64_put(be, created);
	if (acct__tlv_put(out, TAG_CREATED, be, 8) < 0 || (a->has_guid && acct__tlv_put(out, TAG_GUID, a->guid, 16) < 0))
		return ACCT_ENOMEM;
	if (a->password_hash && acct__tlv_put(out, TAG_PASSWORD_HASH, a->password_hash, strlen(a->password_hash)) < 0)
		return ACCT_ENOMEM;
	for (i = 0; i < a->ndesc; i++) {
		acct_buf d = ACCT_BUF_INIT;
		int rc = put_varint(&d, (uint64_t)a->desc[i].author);
		if (rc == 0)
			rc = acct__buf_puts(&d, a->desc[i].text);
		if (rc == 0)
			rc = acct__tlv_put(out, TAG_DESCRIPTION, d.ptr, d.size);
		acct_buf_dispose(&d);
		if (rc < 0)
			return ACCT_ENOMEM;
	}
	pos = 0;
	while ((name = acct__names_next(&a->perms, &pos)))
		if (acct__tlv_put(out, TAG_PERMISSION, name, strlen(name)) < 0)
			return ACCT_ENOMEM;
	for (i = 0; i < acct__roles_count(&a->roles); i++)
		if (acct__tlv_put(out, TAG_ROLE, a->roles.ptr + i * 8, 8) < 0)
			return ACCT_ENOMEM;
	for (i = 0; i < a->nlimits; i++) {
		unsigned char v[8 + sizeof(a->limits[i].name)];
		size_t nl = strlen(a->limits[i].name);
		acct__be64_put(v, (uint64_t)a->limits[i].value);
		memcpy(v + 8, a->limits[i].name, nl);
		if (acct__tlv_put(out, TAG_LIMIT, v, 8 + nl) < 0)
			return ACCT_ENOMEM;
	}
	if (a->next_button > 0 && acct__tlv_put_uint(out, TAG_NEXT_BUTTON, (uint64_t)a->next_button) < 0)
		return ACCT_ENOMEM;
	if (a->oversell && acct__tlv_put_uint(out, TAG_OVERSELL, 1) < 0)
		return ACCT_ENOMEM;
	if (a->overuse && acct__tlv_put_uint(out, TAG_OVERUSE, (uint64_t)a->overuse) < 0)
		return ACCT_ENOMEM;
	for (i = 0; i < a->nips; i++) {
		unsigned char v[1 + sizeof(a->ips[i].addr)];
		size_t na = strlen(a->ips[i].addr);
		v[0] = (unsigned char)a->ips[i].type;
		memcpy(v + 1, a->ips[i].addr, na);
		if (acct__tlv_put(out, TAG_IP, v, 1 + na) < 0)
			return ACCT_ENOMEM;
	}
	for (i = 0; i < a->nbuttons; i++) {
		acct_buf b = ACCT_BUF_INIT;
		int rc = put_varint(&b, (uint64_t)a->buttons[i].id);
		if (rc == 0)
			rc = put_varint(&b, strlen(a->buttons[i].label));
		if (rc == 0)
			rc = acct__buf_puts(&b, a->buttons[i].label);
		if (rc == 0)
			rc = acct__buf_puts(&b, a->buttons[i].url);
		if (rc == 0)
			rc = acct__tlv_put(out, TAG_BUTTON, b.ptr, b.size);
		acct_buf_dispose(&b);
		if (rc < 0)
			return ACCT_ENOMEM;
	}
	for (f = ACCT_FIELD_FIRST; f <= ACCT_FIELD_LAST; f++) {
		if (f == ACCT_FIELD_PASSWORD || f == ACCT_FIELD_GUID || f == ACCT_FIELD_CREATED || !a->fields[f])
			continue;
		if (acct__tlv_put(out, (unsigned)(TAG_FIELD_BASE + f), a->fields[f], strlen(a->fields[f])) < 0)
			return ACCT_ENOMEM;
	}
	if (a->unknown.size && acct__buf_put(out, a->unknown.ptr, a->unknown.size) < 0)
		return ACCT_ENOMEM;
	return 0;
}

int acct__tlv_walk(const unsigned char *data, size_t len, acct__tlv_fn fn, void *arg)
{
	const unsigned char *p = data, *end = data + len;

	if (len < 1)
		return acct__error_set(ACCT_EPARSE, "a stored record is empty");
	if (data[0] != ACCT__RECORD_VERSION)
		return acct__error_set(ACCT_EVERSION, "a stored record has format version %u; this libacct reads %u",
		                       data[0], ACCT__RECORD_VERSION);
	p++;
	while (p < end) {
		const unsigned char *start = p;
		uint64_t tag, vlen;
		int rc;

		if (get_varint(&tag, &p, end) < 0 || get_varint(&vlen, &p, end) < 0 || vlen > (uint64_t)(end - p))
			return acct__error_set(ACCT_EPARSE, "a stored record is truncated or corrupt");
		rc = fn(arg, tag, p, (size_t)vlen, start, (size_t)(p - start) + (size_t)vlen);
		if (rc < 0)
			return rc;
		p += vlen;
	}
	return 0;
}

int acct__tlv_uint(uint64_t *out, const unsigned char *v, size_t len)
{
	const unsigned char *p = v;

	if (get_varint(out, &p, v + len) < 0 || p != v + len)
		return acct__error_set(ACCT_EPARSE, "a stored record has a corrupt number");
	return 0;
}

static int decode_tlv(void *arg, uint64_t tag, const unsigned char *v, size_t len,
                      const unsigned char *raw, size_t raw_len)
{
	acct_account *a = arg;
	uint64_t n;

	switch (tag) {
	case TAG_TYPE:
		if (acct__tlv_uint(&n, v, len) < 0)
			return ACCT_EPARSE;
		a->type = (int)n;
		return 0;
	case TAG_OWNER:
		if (acct__tlv_uint(&n, v, len) < 0)
			return ACCT_EPARSE;
		a->owner = (acct_id)n;
		return 0;
	case TAG_STATUS:
		if (acct__tlv_uint(&n, v, len) < 0)
			return ACCT_EPARSE;
		a->status = (unsigned int)n;
		return 0;
	case TAG_CREATED:
		if (len != 8)
			return acct__error_set(ACCT_EPARSE, "account record has a corrupt creation date");
		acct__account_set_created(a, (int64_t)acct__be64_get(v));
		return 0;
	case TAG_GUID:
		if (len != 16)
			return acct__error_set(ACCT_EPARSE, "account record has a corrupt GUID");
		return acct__account_set_guid(a, v);
	case TAG_PASSWORD_HASH:
		acct__free_secret(a->password_hash);
		a->password_hash = acct__strndup((const char *)v, len);
		return a->password_hash ? 0 : acct__error_oom();
	case TAG_DESCRIPTION: {
		const unsigned char *p = v;
		char *text;
		int rc;
		if (get_varint(&n, &p, v + len) < 0)
			return acct__error_set(ACCT_EPARSE, "account record has a corrupt description");
		text = acct__strndup((const char *)p, (size_t)(v + len - p));
		if (!text)
			return acct__error_oom();
		rc = acct__desc_set(a, (acct_id)n, text);
		acct__free(text);
		return rc;
	}
	case TAG_PERMISSION:
		if (len == 0 || len > 255 || memchr(v, 0, len))
			return acct__error_set(ACCT_EPARSE, "account record has a corrupt permission name");
		if (acct__buf_put(&a->perms, v, len) < 0 || acct__buf_put(&a->perms, "", 1) < 0)
			return ACCT_ENOMEM;
		return 0;
	case TAG_ROLE:
		if (len != 8)
			return acct__error_set(ACCT_EPARSE, "account record has a corrupt role id");
		return acct__buf_put(&a->roles, v, 8);
	case TAG_LIMIT: {
		char name[24];
		int64_t value;
		if (len <= 8 || len - 8 >= sizeof(name))
			return acct__error_set(ACCT_EPARSE, "account record has a corrupt limit");
		value = (int64_t)acct__be64_get(v);
		memcpy(name, v + 8, len - 8);
		name[len - 8] = '\0';
		return acct__limit_put(a, name, value);
	}
	case TAG_NEXT_BUTTON:
		if (acct__tlv_uint(&n, v, len) < 0)
			return ACCT_EPARSE;
		a->next_button = (int64_t)n;
		return 0;
	case TAG_OVERSELL:
		if (acct__tlv_uint(&n, v, len) < 0)
			return ACCT_EPARSE;
		a->oversell = n != 0;
		return 0;
	case TAG_OVERUSE:
		if (acct__tlv_uint(&n, v, len) < 0)
			return ACCT_EPARSE;
		a->overuse = (int)n;
		return 0;
	case TAG_IP: {
		char addr[48];
		if (len < 2 || len - 1 >= sizeof(addr))
			return acct__error_set(ACCT_EPARSE, "account record has a corrupt IP address");
		memcpy(addr, v + 1, len - 1);
		addr[len - 1] = '\0';
		return acct__ip_put(a, addr, v[0]);
	}
	case TAG_BUTTON: {
		const unsigned char *p = v, *end = v + len;
		uint64_t id, llen;
		char *label, *url;
		int rc;
		if (get_varint(&id, &p, end) < 0 || get_varint(&llen, &p, end) < 0 || llen > (uint64_t)(end - p))
			return acct__error_set(ACCT_EPARSE, "account record has a corrupt button");
		label = acct__strndup((const char *)p, (size_t)llen);
		url = acct__strndup((const char *)p + llen, (size_t)(end - p - (ptrdiff_t)llen));
		rc = label && url ? acct__button_put(a, (int64_t)id, label, url) : acct__error_oom();
		acct__free(label);
		acct__free(url);
		return rc;
	}
	default:
		if (tag > TAG_FIELD_BASE && tag <= TAG_FIELD_BASE + ACCT_FIELD_LAST) {
			int f = (int)(tag - TAG_FIELD_BASE);
			if (f == ACCT_FIELD_PASSWORD || f == ACCT_FIELD_GUID || f == ACCT_FIELD_CREATED)
				return acct__error_set(ACCT_EPARSE, "account record stores a derived field");
			acct__free(a->fields[f]);
			a->fields[f] = acct__strndup((const char *)v, len);
			return a->fields[f] ? 0 : acct__error_oom();
		}
		break;
	}
	return acct__buf_put(&a->unknown, raw, raw_len);
}

int acct__record_decode(acct_account **out, const unsigned char *data, size_t len)
{
	acct_account *a = acct__account_alloc(0);
	int rc;

	*out = NULL;
	if (!a)
		return acct__error_oom();
	rc = acct__tlv_walk(data, len, decode_tlv, a);
	if (rc == 0 && (a->type < ACCT_TYPE_ADMIN || a->type > ACCT_TYPE_USER))
		rc = acct__error_set(ACCT_EPARSE, "account record has an unknown account type %d", a->type);
	if (rc < 0) {
		acct_account_free(a);
		return rc;
	}
	*out = a;
	return 0;
}

static int scan_tlv(void *arg, uint64_t tag, const unsigned char *v, size_t len,
                    const unsigned char *raw, size_t raw_len)
{
	acct__record_summary *s = arg;
	uint64_t n;

	(void)raw;
	(void)raw_len;
	switch (tag) {
	case TAG_TYPE:
		if (acct__tlv_uint(&n, v, len) < 0)
			return ACCT_EPARSE;
		s->type = (int)n;
		break;
	case TAG_OWNER:
		return acct__tlv_uint(&s->owner, v, len);
	case TAG_STATUS:
		if (acct__tlv_uint(&n, v, len) < 0)
			return ACCT_EPARSE;
		s->status = (unsigned int)n;
		break;
	case TAG_GUID:
		if (len != 16)
			return acct__error_set(ACCT_EPARSE, "account record has a corrupt GUID");
		s->guid = v;
		break;
	case TAG_PERMISSION:
		if (len == 0 || len > 255 || memchr(v, 0, len))
			return acct__error_set(ACCT_EPARSE, "account record has a corrupt permission name");
		if (s->perm)
			s->perm(s->arg, (const char *)v, len);
		break;
	case TAG_ROLE: {
		uint64_t id = 0;
		size_t i;
		if (len != 8)
			return acct__error_set(ACCT_EPARSE, "account record has a corrupt role id");
		for (i = 0; i < 8; i++)
			id = id << 8 | v[i];
		if (s->role)
			s->role(s->arg, id);
		break;
	}
	case TAG_IP:
		if (len >= 2 && len - 1 < 48 && s->ip) {
			char addr[48];
			memcpy(addr, v + 1, len - 1);
			addr[len - 1] = '\0';
			s->ip(s->arg, addr, v[0]);
		}
		break;
	case TAG_FIELD_BASE + ACCT_FIELD_LOGIN:
		s->login = (const char *)v;
		s->login_len = len;
		break;
	case TAG_FIELD_BASE + ACCT_FIELD_EXTERNAL_ID:
		s->external_id = (const char *)v;
		s->external_id_len = len;
		break;
	default:
		break;
	}
	return 0;
}

int acct__record_scan(acct__record_summary *sum, const unsigned char *data, size_t len)
{
	void (*perm)(void *, const char *, size_t) = sum->perm;
	void (*role)(void *, uint64_t) = sum->role;
	void (*ip)(void *, const char *, int) = sum->ip;
	void *arg = sum->arg;

	memset(sum, 0, sizeof(*sum));
	sum->perm = perm;
	sum->role = role;
	sum->ip = ip;
	sum->arg = arg;
	return acct__tlv_walk(data, len, scan_tlv, sum);
}

/* ---- role records: the same framing, their own tags ---- */

enum { RTAG_NAME = 1, RTAG_OWNER = 2, RTAG_PERMISSION = 3 };

int acct__role_encode(acct_buf *out, const acct__role_record *r)
{
	unsigned char ver = ACCT__RECORD_VERSION;
	size_t pos = 0;
	const char *name;

	acct__buf_clear(out);
	if (acct__buf_put(out, &ver, 1) < 0 || acct__tlv_put(out, RTAG_NAME, r->name, strlen(r->name)) < 0 ||
	    acct__tlv_put_uint(out, RTAG_OWNER, r->owner) < 0)
		return ACCT_ENOMEM;
	while ((name = acct__names_next(&r->perms, &pos)))
		if (acct__tlv_put(out, RTAG_PERMISSION, name, strlen(name)) < 0)
			return ACCT_ENOMEM;
	if (r->unknown.size && acct__buf_put(out, r->unknown.ptr, r->unknown.size) < 0)
		return ACCT_ENOMEM;
	return 0;
}

static int role_tlv(void *arg, uint64_t tag, const unsigned char *v, size_t len, const unsigned char *raw,
                    size_t raw_len)
{
	acct__role_record *r = arg;

	switch (tag) {
	case RTAG_NAME:
		acct__free(r->name);
		r->name = acct__strndup((const char *)v, len);
		return r->name ? 0 : acct__error_oom();
	case RTAG_OWNER:
		return acct__tlv_uint(&r->owner, v, len);
	case RTAG_PERMISSION:
		if (len == 0 || len > 255 || memchr(v, 0, len))
			return acct__error_set(ACCT_EPARSE, "role record has a corrupt permission name");
		if (acct__buf_put(&r->perms, v, len) < 0 || acct__buf_put(&r->perms, "", 1) < 0)
			return ACCT_ENOMEM;
		return 0;
	default:
		return acct__buf_put(&r->unknown, raw, raw_len);
	}
}

int acct__role_decode(acct__role_record *r, const unsigned char *data, size_t len)
{
	int rc;

	memset(r, 0, sizeof(*r));
	rc = acct__tlv_walk(data, len, role_tlv, r);
	if (rc == 0 && !r->name)
		rc = acct__error_set(ACCT_EPARSE, "role record has no name");
	if (rc < 0)
		acct__role_clear(r);
	return rc;
}

void acct__role_clear(acct__role_record *r)
{
	acct__free(r->name);
	acct_buf_dispose(&r->perms);
	acct_buf_dispose(&r->unknown);
	memset(r, 0, sizeof(*r));
}
