/**
 * @file acct/perm.h
 * @brief Permissions: catalogs and descriptors, checks with explanations,
 *        grants to resellers and customers.
 *
 * A permission is a name. Three catalogs are built in (spec/policy.md
 * section 5): account permissions granted to resellers and customers
 * (Plesk names such as "create_clients", "manage_dns"), user role
 * permissions ("userManagement", ...) and Partner API operations
 * ("license.upgrade", ...). Hosts add catalogs and names of their own.
 */
#ifndef ACCT_PERM_H
#define ACCT_PERM_H

#include "common.h"
#include "buf.h"
#include "session.h"

ACCT_BEGIN_DECL

/** The built-in catalogs. Host catalogs get ids from acct_catalog_register(). Append-only. */
typedef enum {
	ACCT_CATALOG_ACCOUNT = 1, /**< granted to resellers and customers (Plesk permissions) */
	ACCT_CATALOG_ROLE = 2,    /**< held by users through their roles */
	ACCT_CATALOG_PARTNER = 3  /**< Partner API operations, held by API logins through their role */
} acct_catalog;

/** Value types of a permission. Append-only. */
typedef enum {
	ACCT_PERM_BOOL = 1 /**< granted or not */
} acct_perm_type;

/** Bits of acct_perm_desc.writable_by: which account types may grant it. */
#define ACCT_WRITABLE_BY_ADMIN (1u << ACCT_TYPE_ADMIN)
#define ACCT_WRITABLE_BY_RESELLER (1u << ACCT_TYPE_RESELLER)
#define ACCT_WRITABLE_BY_CUSTOMER (1u << ACCT_TYPE_CUSTOMER)

/**
 * A permission descriptor (Plesk's permission descriptor property).
 * Filled by acct_perm_describe(); to register a host permission, fill one
 * from ACCT_PERM_DESC_INIT. Strings are borrowed from the context and live
 * as long as it does.
 */
typedef struct acct_perm_desc {
	unsigned int version;     /**< ACCT_PERM_DESC_VERSION */
	int catalog;              /**< ACCT_CATALOG_* or a host catalog id */
	const char *name;         /**< e.g. "manage_dns" */
	const char *label;        /**< a short text for people */
	int type;                 /**< ACCT_PERM_BOOL */
	int default_value;        /**< granted on creation when non-zero */
	unsigned int writable_by; /**< ACCT_WRITABLE_BY_* bits */
	int reseller_only;        /**< non-zero: only resellers may hold it (create_clients) */
} acct_perm_desc;

#define ACCT_PERM_DESC_VERSION 1
#define ACCT_PERM_DESC_INIT { ACCT_PERM_DESC_VERSION, 0, NULL, NULL, ACCT_PERM_BOOL, 0, ACCT_WRITABLE_BY_ADMIN, 0 }

/**
 * Initialise @p desc as ACCT_PERM_DESC_INIT does, for @p version.
 * @return 0, or ACCT_EINVALID for an unknown version
 */
ACCT_EXTERN(int) acct_perm_desc_init(acct_perm_desc *desc, unsigned int version);

/**
 * Number of permissions in @p catalog (built-in or registered on @p ctx).
 * @return the count, or a negative ACCT_E* code (ACCT_ENOTFOUND: no such catalog)
 */
ACCT_EXTERN(int) acct_perm_count(acct_ctx *ctx, int catalog);

/**
 * Describe permission number @p index (0-based) of @p catalog.
 * @param out  filled with borrowed strings (see acct_perm_desc)
 * @return 0, ACCT_ENOTFOUND (no such catalog or index)
 */
ACCT_EXTERN(int) acct_perm_describe(acct_perm_desc *out, acct_ctx *ctx, int catalog, size_t index);

/**
 * Describe the permission called @p name, in whichever catalog holds it.
 * @return 0, ACCT_ENOTFOUND
 */
ACCT_EXTERN(int) acct_perm_lookup(acct_perm_desc *out, acct_ctx *ctx, const char *name);

/**
 * Register a host catalog called @p name (copied) on @p ctx.
 * @param catalog_out  receives its id (> 3); required
 * @return 0, ACCT_EEXISTS (name taken), ACCT_EINVALID, ACCT_ENOMEM
 */
ACCT_EXTERN(int) acct_catalog_register(int *catalog_out, acct_ctx *ctx, const char *name);

/**
 * Register a host permission on @p ctx (the descriptor's strings are
 * copied). Host permissions of ACCT_CATALOG_ACCOUNT or of a host catalog
 * are granted to resellers and customers like Plesk's own; in
 * ACCT_CATALOG_ROLE they can go into roles. Names are unique across all
 * catalogs and registration lasts as long as the context (not stored):
 * register the same names each time a context is opened. A non-zero
 * @c default_value grants it to resellers (and, unless @c reseller_only, to
 * customers) created from then on.
 * @return 0, ACCT_EEXISTS, ACCT_EINVALID (bad name, type or catalog),
 *         ACCT_ELIMIT (full: at most 64 account permissions, built-in ones
 *         included, and 64 role permissions), ACCT_ENOMEM
 */
ACCT_EXTERN(int) acct_perm_register(acct_ctx *ctx, const acct_perm_desc *desc);

/**
 * May the session's account use @p permission on account @p target?
 *
 * Rules, in order (spec/policy.md section 5): the session is valid; its
 * account is not effectively disabled; @p target exists and is in its scope;
 * it holds the permission (the admin holds all; resellers and customers what
 * is granted to them; users their roles' permissions within what their owner
 * holds; an API login its Partner role's operations); the permission's own
 * rule (a Partner "Client" role acts on its own account only, a "Reseller"
 * role on the reseller and its own customers).
 *
 * Fast: reads only the in-memory index; formats no message.
 *
 * @param allowed_out  1 allowed, 0 denied; left 0 on any error (fail closed)
 * @return 0 whether allowed or denied; ACCT_ENOTFOUND for an unknown
 *         permission name; ACCT_EINVALID for NULL arguments
 */
ACCT_EXTERN(int) acct_check(int *allowed_out, acct_session *s, const char *permission, acct_id target);

/** Why a check was denied: the first failing rule. Append-only. */
typedef enum {
	ACCT_DENY_NONE = 0,     /**< allowed */
	ACCT_DENY_SESSION = 1,  /**< the session or its credential is not valid (Plesk 1001, Partner 200) */
	ACCT_DENY_DISABLED = 2, /**< the actor is effectively disabled (Plesk 1011, Partner 200) */
	ACCT_DENY_OBJECT = 3,   /**< the target is absent or outside scope (Plesk 1013, Partner 202) */
	ACCT_DENY_METHOD = 4,   /**< the actor does not hold the permission (Plesk 1006, Partner 201) */
	ACCT_DENY_RULE = 5      /**< the operation's own rule (Plesk 1006, Partner 201) */
} acct_deny_kind;

/**
 * As acct_check(), and say why.
 * @param kind_out  receives an acct_deny_kind value; may be NULL
 * @param text      receives the sentence a user would read, e.g.
 *                  "permission manage_dns is not granted to customer 'c1'"
 *                  (may be NULL; empty when allowed)
 * @return as acct_check()
 */
ACCT_EXTERN(int) acct_check_explain(int *allowed_out, int *kind_out, acct_buf *text, acct_session *s,
                                    const char *permission, acct_id target);

/** The Partner API result code for a denial kind: 200, 201, 202 (0 for ACCT_DENY_NONE). */
ACCT_EXTERN(int) acct_deny_partner_code(int kind);

/** The Plesk errcode for a denial kind: 1001, 1011, 1013, 1006 (0 for ACCT_DENY_NONE). */
ACCT_EXTERN(int) acct_deny_plesk_code(int kind);

/**
 * Grant (@p granted != 0) or revoke an account permission (account or host
 * catalog) on reseller or customer @p target. The admin grants anything in
 * scope; a reseller grants its own customers only what it holds itself;
 * reseller-only permissions go to resellers only.
 * @return 0, ACCT_ENOTFOUND (permission or target), ACCT_EDENIED, ACCT_EINVALID
 */
ACCT_EXTERN(int) acct_perm_grant(acct_session *s, acct_id target, const char *permission, int granted);

/**
 * Is account permission @p permission granted to @p target (as stored,
 * not counting disabled status)? The admin holds every permission.
 * @return 0 with @p granted_out set, ACCT_ENOTFOUND
 */
ACCT_EXTERN(int) acct_perm_get(int *granted_out, acct_session *s, acct_id target, const char *permission);

ACCT_END_DECL

#endif
