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
	uint64_t perms;          /* account permission bits (model/perm.c) */
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
	uint64_t perms;
} acct__record_summary;
int acct__record_scan(acct__record_summary *sum, const unsigned char *data, size_t len);

/* perm.c: the account permission catalog (names <-> bits). */
int acct__perm_bit(const char *name);          /* bit number or -1 */
const char *acct__perm_name(int bit);          /* NULL past the end */
int acct__perm_count(void);
uint64_t acct__perm_defaults(int type);        /* granted on creation */
#define ACCT__PERM_CREATE_CLIENTS 0

#endif
