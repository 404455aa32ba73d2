/*
 * The account record: the in-memory object behind acct_account, its versioned
 * tag-length-value codec, and the permission catalog names the index uses.
 */
#ifndef ACCT_MODEL_H
#define ACCT_MODEL_H

#include <stdint.h>
#include "acct/account.h"
#include "acct/buf.h"

#define ACCT__FIELD_SLOTS (ACCT_FIELD_LAST + 1)

typedef struct acct__desc {
	acct_id author;
	char *text;
} acct__desc;

typedef struct acct__limit {
	char name[24];
	int64_t value;
} acct__limit;

typedef struct acct__ip {
	int type;                /* ACCT_IP_* */
	char addr[48];           /* canonical text form */
} acct__ip;

typedef struct acct__button {
	int64_t id;
	char *label;
	char *url;
} acct__button;

struct acct_account {
	acct_id id;
	int type;
	acct_id owner;
	unsigned int status;
	int64_t created;
	uint8_t guid[16];
	int has_guid;
	char guid_str[37];
	char created_str[11];
	/* Text fields by acct_field; the PASSWORD slot holds a new clear-text
	 * password until it is saved (wiped on free), never a stored one. */
	char *fields[ACCT__FIELD_SLOTS];
	char *password_hash;
	acct__desc *desc;
	size_t ndesc;
	acct_buf perms;          /* granted permission names, each NUL-terminated */
	acct_buf roles;          /* users: role ids, 8 bytes big-endian each */
	acct__limit *limits;     /* limits set explicitly */
	size_t nlimits;
	acct__ip *ips;           /* the IP pool, in the order added */
	size_t nips;
	acct__button *buttons;
	size_t nbuttons;
	int64_t next_button;     /* the id the next button gets (0: not yet used) */
	int oversell, overuse;   /* resellers' resource policy; overuse 0 = not set */
	uint32_t changed;        /* bit per acct_field changed since load */
	int desc_changed;
	int guid_changed;
	acct_buf unknown;        /* TLVs of tags this version does not know, kept verbatim */
};

/* Record format version written by this libacct. */
#define ACCT__RECORD_VERSION 1

/* account.c */
acct_account *acct__account_alloc(int type);
int acct__account_set_guid(acct_account *a, const uint8_t guid[16]);
void acct__account_set_created(acct_account *a, int64_t t);
/* Copy the fields marked changed on src into dst (which came from the store). */
int acct__account_apply(acct_account *dst, const acct_account *src);
int acct__desc_set(acct_account *a, acct_id author, const char *text);

/* record.c: encode the whole object; decode into a new object. */
int acct__record_encode(acct_buf *out, const acct_account *a);
int acct__record_decode(acct_account **out, const unsigned char *data, size_t len);

/* What the hierarchy index needs from a record, without allocating. */
typedef struct acct__record_summary {
	int type;
	uint64_t owner;
	unsigned int status;
	const char *login;
	size_t login_len;
	const char *external_id;
	size_t external_id_len;
	const uint8_t *guid;
	/* Each permission name and role id is reported through these, when set. */
	void (*perm)(void *arg, const char *name, size_t len);
	void (*role)(void *arg, uint64_t role_id);
	void (*ip)(void *arg, const char *addr, int type);
	void *arg;
} acct__record_summary;
/* Fill `sum` (its callbacks and arg are kept) from a record, without allocating. */
int acct__record_scan(acct__record_summary *sum, const unsigned char *data, size_t len);

/* The TLV framing shared by every record kind: a format-version byte, then
 * tag (varint), length (varint), value. */
typedef int (*acct__tlv_fn)(void *arg, uint64_t tag, const unsigned char *v, size_t len,
                            const unsigned char *raw, size_t raw_len);
int acct__tlv_walk(const unsigned char *data, size_t len, acct__tlv_fn fn, void *arg);
int acct__tlv_put(acct_buf *b, unsigned tag, const void *v, size_t len);
int acct__tlv_put_uint(acct_buf *b, unsigned tag, uint64_t v);
int acct__tlv_uint(uint64_t *out, const unsigned char *v, size_t len);

/* A role record: name, owner and permission names. */
typedef struct acct__role_record {
	uint64_t owner;
	char *name;
	acct_buf perms;
	acct_buf unknown;
} acct__role_record;
int acct__role_encode(acct_buf *out, const acct__role_record *r);
int acct__role_decode(acct__role_record *r, const unsigned char *data, size_t len);
void acct__role_clear(acct__role_record *r);

/* Limits, IPs and buttons of an account object (account.c). */
const acct__limit *acct__limit_find(const acct_account *a, const char *name);
int acct__limit_put(acct_account *a, const char *name, int64_t value);
void acct__limit_del(acct_account *a, const char *name);
const acct__ip *acct__ip_find(const acct_account *a, const char *addr);
int acct__ip_put(acct_account *a, const char *addr, int type);
void acct__ip_del(acct_account *a, const char *addr);
int acct__button_put(acct_account *a, int64_t id, const char *label, const char *url);
int acct__button_del(acct_account *a, int64_t id);
/* The known limit names (limit.c in util would do; kept with the model). */
int acct__limit_known(const char *name);
/* Parse and canonicalise an IPv4 or IPv6 address into out[48]; 0 or ACCT_EINVALID (no message). */
int acct__ip_canonical(char out[48], const char *in);

/* A set of names in an acct_buf, each NUL-terminated (account.c). */
int acct__names_has(const acct_buf *set, const char *name);
int acct__names_add(acct_buf *set, const char *name);
void acct__names_remove(acct_buf *set, const char *name);
/* Iterate: start with *pos = 0; NULL at the end. */
const char *acct__names_next(const acct_buf *set, size_t *pos);

/* Role ids of a user (account.c). */
int acct__roles_has(const acct_buf *set, uint64_t id);
int acct__roles_add(acct_buf *set, uint64_t id);
void acct__roles_remove(acct_buf *set, uint64_t id);
uint64_t acct__roles_at(const acct_buf *set, size_t i);
size_t acct__roles_count(const acct_buf *set);

/* perm.c: the built-in permission catalogs (spec/policy.md section 5). */
typedef struct acct__perm_builtin {
	const char *name;
	const char *label;
	int default_for;          /* account type that gets it on creation, or 0 */
	unsigned int writable_by; /* ACCT_WRITABLE_BY_* bits */
	int reseller_only;
	const char *needs;        /* role permissions: the account permission the owner must hold, or NULL */
} acct__perm_builtin;

/* The built-in table of a catalog (1 account, 2 role, 3 partner), or NULL. */
const acct__perm_builtin *acct__perm_builtins(int catalog, size_t *n);

/* Built-in roles (ids 1..4) and Partner API roles (1..8): name and permission names. */
typedef struct acct__role_builtin {
	const char *name;
	int editable;
	const char *const *perms; /* NULL-terminated; NULL perms = every permission of the catalog */
} acct__role_builtin;
const acct__role_builtin *acct__role_builtins(size_t *n);
const acct__role_builtin *acct__partner_roles(size_t *n);

#endif
