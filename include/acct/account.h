/**
 * @file acct/account.h
 * @brief Accounts, their fields, and the hierarchy operations.
 *
 * An acct_account object is a detached copy of one account record: reading it
 * never touches the store, and changing it changes nothing until
 * acct_account_add() or acct_account_update(). Every operation that touches
 * the store takes a session and is decided by the policy (spec/policy.md).
 * Targets outside the session's scope are reported as ACCT_ENOTFOUND, so
 * existence does not leak.
 *
 * Every function taking a session may also return ACCT_EAUTH (the session's
 * account was deleted) or ACCT_EDISABLED (it is disabled, itself or through
 * an ancestor), and ACCT_EINVALID for NULL arguments. On failure, out
 * parameters are set to NULL or 0 and the details are in acct_error_last().
 */
#ifndef ACCT_ACCOUNT_H
#define ACCT_ACCOUNT_H

#include "common.h"
#include "session.h"

ACCT_BEGIN_DECL

typedef struct acct_account acct_account;

/** Account types. Append-only. */
typedef enum {
	ACCT_TYPE_ADMIN = 1,    /**< exactly one, id 1, owns everyone */
	ACCT_TYPE_RESELLER = 2, /**< owned by the admin */
	ACCT_TYPE_CUSTOMER = 3, /**< owned by the admin or a reseller ("client") */
	ACCT_TYPE_USER = 4      /**< an additional user of the admin, a reseller or a customer */
} acct_type;

/** Status bits (Plesk values). 0 is active. Append-only. */
typedef enum {
	ACCT_STATUS_ACTIVE = 0,
	ACCT_STATUS_BACKUP = 4,        /**< under backup/restore */
	ACCT_STATUS_BY_ADMIN = 16,     /**< disabled by the administrator */
	ACCT_STATUS_BY_RESELLER = 32,  /**< disabled by a reseller */
	ACCT_STATUS_BY_CUSTOMER = 64,  /**< disabled by a customer (its users) */
	ACCT_STATUS_EXPIRED = 256      /**< expired */
} acct_status_bit;

/**
 * Text fields of an account, read with acct_account_get() and written with
 * acct_account_set(). Append-only: new fields never add symbols.
 */
typedef enum {
	ACCT_FIELD_LOGIN = 1,       /**< unique; an e-mail address or [A-Za-z0-9._-], 1..60 */
	ACCT_FIELD_PASSWORD = 2,    /**< write-only, 5..255: reads give NULL; hashed on save */
	ACCT_FIELD_NAME = 3,        /**< personal name (Plesk pname), 1..60 */
	ACCT_FIELD_COMPANY = 4,     /**< company name (Plesk cname), 0..60 */
	ACCT_FIELD_PHONE = 5,       /**< 0..30 */
	ACCT_FIELD_FAX = 6,         /**< 0..30 */
	ACCT_FIELD_EMAIL = 7,       /**< an e-mail address, 0..255 */
	ACCT_FIELD_ADDRESS = 8,     /**< 0..255 */
	ACCT_FIELD_CITY = 9,        /**< 0..255 */
	ACCT_FIELD_STATE = 10,      /**< 0..255 */
	ACCT_FIELD_POSTAL_CODE = 11,/**< Plesk pcode, 0..16 */
	ACCT_FIELD_COUNTRY = 12,    /**< ISO 3166-1 alpha-2, upper case, e.g. "US" */
	ACCT_FIELD_LOCALE = 13,     /**< e.g. "en" or "en-US" */
	ACCT_FIELD_EXTERNAL_ID = 14,/**< the host's own id; unique when set, 0..255 */
	ACCT_FIELD_GUID = 15,       /**< UUID v4; assigned by libacct, may be given on a new account */
	ACCT_FIELD_CREATED = 16,    /**< read-only creation date, "YYYY-MM-DD" (UTC) */
	ACCT_FIELD_SUBSCRIPTION = 17,/**< users only: the subscription (domain) they are restricted to */
	ACCT_FIELD_VAT_NUMBER = 18  /**< a VAT number (UpCloud partner accounts), 0..32 */
} acct_field;

/** The lowest and highest acct_field values of this version (for loops in bindings). */
#define ACCT_FIELD_FIRST ACCT_FIELD_LOGIN
#define ACCT_FIELD_LAST ACCT_FIELD_VAT_NUMBER

/** A static name for a type ("admin", "reseller", "customer", "user"), or "unknown". */
ACCT_EXTERN(const char *) acct_account_type_name(int type);

/** A static name for a field ("login", "name", ...), or NULL for an unknown field. */
ACCT_EXTERN(const char *) acct_field_name(int field);

/**
 * Create a new, unsaved account of @p type (reseller, customer or user).
 * @param out  receives the account (owned; release with acct_account_free())
 * @return 0, ACCT_EINVALID (admin or unknown type), ACCT_ENOMEM
 */
ACCT_EXTERN(int) acct_account_new(acct_account **out, int type);

/** Free an account object. Accepts NULL. */
ACCT_EXTERN(void) acct_account_free(acct_account *a);

/** The id (0 while unsaved). */
ACCT_EXTERN(acct_id) acct_account_id(const acct_account *a);
/** The type (ACCT_TYPE_*). */
ACCT_EXTERN(int) acct_account_type(const acct_account *a);
/** The owner's id (0 for the admin and unsaved accounts). */
ACCT_EXTERN(acct_id) acct_account_owner(const acct_account *a);
/** The account's own status bits (not those inherited from ancestors). */
ACCT_EXTERN(unsigned int) acct_account_status(const acct_account *a);
/** Creation time, seconds since the Unix epoch (0 while unsaved). */
ACCT_EXTERN(int64_t) acct_account_created(const acct_account *a);

/**
 * Read a text field.
 * @return the value, borrowed from @p a (valid until @p a is changed or freed),
 *         or NULL when unset, write-only (password) or unknown
 */
ACCT_EXTERN(const char *) acct_account_get(const acct_account *a, int field);

/**
 * Set a text field on the object (the value is copied and validated now; the
 * store changes only on acct_account_add()/acct_account_update()).
 * NULL or "" clears an optional field.
 * @return 0; ACCT_EINVALID with a message naming the field and the rule
 *         (read-only field, bad login, e-mail, country, length, UTF-8); ACCT_ENOMEM
 */
ACCT_EXTERN(int) acct_account_set(acct_account *a, int field, const char *value);

/**
 * The description written by account @p author (descriptions are kept per
 * author, as in Plesk). Borrowed from @p a; NULL when none.
 */
ACCT_EXTERN(const char *) acct_account_description(const acct_account *a, acct_id author);

/**
 * Set (or, with NULL or "", remove) the description written by @p author on
 * the object. On save the author must be the session's account or, for the
 * admin, any account.
 * @return 0, ACCT_EINVALID (too long, bad UTF-8, author <= 0), ACCT_ENOMEM
 */
ACCT_EXTERN(int) acct_account_set_description(acct_account *a, acct_id author, const char *text);

/**
 * Store a new account under @p owner.
 *
 * The policy decides (create reseller / customer / user rows of
 * spec/policy.md section 4); owner type rules apply (resellers under the
 * admin; customers under the admin or a reseller; users under anyone but a
 * user). Login and name are required. On success @p a receives its id, GUID,
 * owner and creation date, and @p id_out (may be NULL) the id.
 *
 * @return 0; ACCT_EINVALID (missing or bad field), ACCT_EEXISTS (login,
 *         GUID or external id taken), ACCT_EOWNER (the owner cannot own this
 *         type), ACCT_ENOTFOUND (owner outside scope), ACCT_EDENIED,
 *         ACCT_ESTORAGE/ACCT_EUSER, ACCT_ENOMEM. Nothing is stored on failure.
 */
ACCT_EXTERN(int) acct_account_add(acct_id *id_out, acct_session *s, acct_id owner, acct_account *a);

/**
 * Load account @p id.
 * @param out  receives a copy (owned; release with acct_account_free())
 * @return 0, ACCT_ENOTFOUND (absent or outside scope), ACCT_ENOMEM, storage errors
 */
ACCT_EXTERN(int) acct_account_lookup(acct_account **out, acct_session *s, acct_id id);

/** As acct_account_lookup(), by login (compared without regard to ASCII case). */
ACCT_EXTERN(int) acct_account_lookup_login(acct_account **out, acct_session *s, const char *login);

/** As acct_account_lookup(), by GUID. */
ACCT_EXTERN(int) acct_account_lookup_guid(acct_account **out, acct_session *s, const char *guid);

/** As acct_account_lookup(), by external id. */
ACCT_EXTERN(int) acct_account_lookup_external_id(acct_account **out, acct_session *s, const char *external_id);

/**
 * Write the fields changed on @p a (loaded by a lookup) back to the store.
 * Only changed fields are written; others keep what the store holds.
 * @return 0, ACCT_EDENIED (e.g. a user changing its own login), ACCT_EEXISTS,
 *         ACCT_ENOTFOUND, storage errors. Nothing is stored on failure.
 */
ACCT_EXTERN(int) acct_account_update(acct_session *s, acct_account *a);

/**
 * Delete account @p id and its whole subtree, in one transaction.
 * @return 0, ACCT_ENOTFOUND, ACCT_EDENIED (the admin, or not allowed), storage errors
 */
ACCT_EXTERN(int) acct_account_delete(acct_session *s, acct_id id);

/**
 * Set the status bits of account @p id to @p status. Every bit that changes
 * must be one the acting account may set and clear (spec/policy.md section 2):
 * 16 the admin only; 32 the admin or a reseller in its subtree; 64 a customer
 * on its own users; 4 and 256 the admin. The admin is never disabled.
 * @return 0, ACCT_ESTATUS (unknown bits), ACCT_EDENIED, ACCT_ENOTFOUND, storage errors
 */
ACCT_EXTERN(int) acct_account_set_status(acct_session *s, acct_id id, unsigned int status);

/** Set the acting account's own disable bit (16, 32 or 64) on @p id. */
ACCT_EXTERN(int) acct_account_suspend(acct_session *s, acct_id id);

/**
 * Clear the acting account's own disable bit (16, 32 or 64) on @p id; other
 * bits stay, so the admin's activate leaves a reseller's suspension in place.
 * Refused with ACCT_EDENIED when a disable bit the actor may not clear would
 * remain: a customer the admin disabled cannot be re-enabled by its
 * reseller, and the call does not pretend to succeed.
 */
ACCT_EXTERN(int) acct_account_activate(acct_session *s, acct_id id);

/**
 * The effective status of @p id: its own bits OR those of every ancestor.
 * Non-zero means effectively disabled. Reads only the in-memory index: in a
 * store shared by several processes, call acct_ctx_refresh() first.
 * @return 0, ACCT_ENOTFOUND
 */
ACCT_EXTERN(int) acct_account_effective_status(unsigned int *status_out, acct_session *s, acct_id id);

/**
 * Move account @p id (a customer, or a user) under @p new_owner with its
 * subtree. Admin only: a customer goes to the admin or any reseller; a user
 * stays within its reseller-level tree (the admin's or one reseller's: that
 * reseller and its customers). Refuses any move that would make a cycle.
 * @return 0, ACCT_EDENIED, ACCT_EOWNER (@p new_owner absent or unable to
 *         own the account), ACCT_ENOTFOUND, storage errors
 */
ACCT_EXTERN(int) acct_account_change_owner(acct_session *s, acct_id id, acct_id new_owner);

/**
 * Convert account @p id to type @p to: a customer owned by the admin to a
 * reseller (its users stay its users), or a reseller that owns no customers
 * to a customer. Admin only.
 * @return 0, ACCT_EDENIED, ACCT_EINVALID, ACCT_ENOTFOUND, storage errors
 */
ACCT_EXTERN(int) acct_account_convert(acct_session *s, acct_id id, int to);

/** Iteration modes. */
typedef enum {
	ACCT_ITER_CHILDREN = 0,   /**< direct children, by ascending id */
	ACCT_ITER_DESCENDANTS = 1 /**< the whole subtree below, depth first, children by id */
} acct_iter_mode;

typedef struct acct_account_iterator acct_account_iterator;

/**
 * Iterate over the accounts below @p parent that the session may see.
 * The iterator works on a snapshot of ids taken now: later writes neither
 * invalidate it nor show up in it (an id deleted since then gives
 * ACCT_ENOTFOUND when looked up).
 * @param out  receives the iterator (owned; release with acct_account_iterator_free())
 * @return 0, ACCT_ENOTFOUND (parent outside scope), ACCT_EINVALID, ACCT_ENOMEM
 */
ACCT_EXTERN(int) acct_account_iterator_new(acct_account_iterator **out, acct_session *s, acct_id parent, int mode);

/**
 * The next account id.
 * @return 0 with @p id_out set, or ACCT_ITEROVER at the end
 */
ACCT_EXTERN(int) acct_account_iterator_next(acct_id *id_out, acct_account_iterator *it);

/** Free an iterator. Accepts NULL. */
ACCT_EXTERN(void) acct_account_iterator_free(acct_account_iterator *it);

/** Called by acct_account_foreach(); a non-zero return stops the walk. */
typedef int (*acct_account_foreach_cb)(acct_id id, void *payload);

/**
 * Call @p cb for each account acct_account_iterator_new() would give.
 * @return 0, the callback's non-zero value unchanged, or an error
 */
ACCT_EXTERN(int) acct_account_foreach(acct_session *s, acct_id parent, int mode, acct_account_foreach_cb cb, void *payload);

ACCT_END_DECL

#endif
