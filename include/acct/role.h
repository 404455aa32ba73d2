/**
 * @file acct/role.h
 * @brief User roles (Plesk additional-user roles) and the Partner API roles.
 *
 * A user's effective permissions are the union of its roles' permissions,
 * intersected with what its owner holds (spec/policy.md section 5). Four
 * roles are built in and exist in every store: Admin (every role
 * permission; not editable), Accountant (browseStats; not editable),
 * Webmaster (everything but userManagement) and Application User
 * (applicationsManagement); the last two are editable by the administrator.
 * Any admin, reseller or customer defines roles of its own for its users.
 */
#ifndef ACCT_ROLE_H
#define ACCT_ROLE_H

#include "common.h"
#include "buf.h"
#include "session.h"

ACCT_BEGIN_DECL

/** A role id: positive, assigned by libacct, never reused. */
typedef int64_t acct_role_id;

/** The built-in user roles; their ids are the same in every store. Append-only. */
typedef enum {
	ACCT_ROLE_ADMIN = 1,
	ACCT_ROLE_ACCOUNTANT = 2,
	ACCT_ROLE_WEBMASTER = 3,
	ACCT_ROLE_APPLICATION_USER = 4
} acct_builtin_role;

/** The eight Partner API roles (spec/partner-apis.md section 1). Append-only. */
typedef enum {
	ACCT_PARTNER_ALL_CLIENT = 1,
	ACCT_PARTNER_ADVANCED_CLIENT = 2,
	ACCT_PARTNER_STANDARD_CLIENT = 3,
	ACCT_PARTNER_LIMITED_CLIENT = 4,
	ACCT_PARTNER_ALL_RESELLER = 5,
	ACCT_PARTNER_ADVANCED_RESELLER = 6,
	ACCT_PARTNER_STANDARD_RESELLER = 7,
	ACCT_PARTNER_LIMITED_RESELLER = 8
} acct_partner_role;

/** A static name such as "Standard Commands for Reseller", or NULL for an unknown role. */
ACCT_EXTERN(const char *) acct_partner_role_name(int role);

/**
 * Does Partner API role @p role permit @p operation (e.g. "license.upgrade")?
 * @return 1 or 0; ACCT_ENOTFOUND for an unknown role or operation
 */
ACCT_EXTERN(int) acct_partner_role_permits(int role, const char *operation);

/**
 * Create a role called @p name (copied; unique among @p owner's roles and the
 * built-in ones) whose users are @p owner's users. It starts with no
 * permissions. The admin creates roles for anyone; a reseller or customer
 * for itself; a user with userManagement for its owner.
 * @param id_out  receives the role's id; required
 * @return 0, ACCT_EEXISTS, ACCT_EINVALID, ACCT_EDENIED, ACCT_ENOTFOUND, storage errors
 */
ACCT_EXTERN(int) acct_role_create(acct_role_id *id_out, acct_session *s, acct_id owner, const char *name);

/**
 * Delete a custom role. Refused for built-in roles and for roles still
 * assigned to a user.
 * @return 0, ACCT_EDENIED, ACCT_ENOTFOUND, storage errors
 */
ACCT_EXTERN(int) acct_role_delete(acct_session *s, acct_role_id role);

/**
 * Grant (@p granted != 0) or revoke role permission @p permission in @p role.
 * Refused for the Admin and Accountant roles, and when the acting account
 * is a user that does not hold the permission itself (a user never grants
 * beyond its own). An admin, reseller or customer may name any role
 * permission: what its users get is cut to what it holds when they use it.
 * Every user holding the role sees the change at once.
 * @return 0, ACCT_EDENIED, ACCT_ENOTFOUND (role or permission), storage errors
 */
ACCT_EXTERN(int) acct_role_set_permission(acct_session *s, acct_role_id role, const char *permission, int granted);

/**
 * Does @p role contain @p permission?
 * @return 0 with @p granted_out set, ACCT_ENOTFOUND
 */
ACCT_EXTERN(int) acct_role_get_permission(int *granted_out, acct_session *s, acct_role_id role, const char *permission);

/**
 * Describe @p role.
 * @param name_out      receives the name (copied into the caller's buffer; may be NULL)
 * @param owner_out     receives the owner (the admin for built-in roles; may be NULL)
 * @param editable_out  receives 1 when its permissions may be changed (may be NULL)
 * @return 0, ACCT_ENOTFOUND
 */
ACCT_EXTERN(int) acct_role_info(acct_buf *name_out, acct_id *owner_out, int *editable_out, acct_session *s,
                                acct_role_id role);

typedef struct acct_role_iterator acct_role_iterator;

/**
 * Iterate over the roles a user of @p owner may be given: the built-in ones,
 * then @p owner's own, by id. A snapshot, like account iterators.
 * @param out  receives the iterator (owned; release with acct_role_iterator_free())
 * @return 0, ACCT_ENOTFOUND, ACCT_ENOMEM
 */
ACCT_EXTERN(int) acct_role_iterator_new(acct_role_iterator **out, acct_session *s, acct_id owner);

/**
 * Iterate over the roles assigned to user @p user, by id.
 * @return 0, ACCT_ENOTFOUND, ACCT_EINVALID (not a user), ACCT_ENOMEM
 */
ACCT_EXTERN(int) acct_role_iterator_new_user(acct_role_iterator **out, acct_session *s, acct_id user);

/** The next role id; 0 or ACCT_ITEROVER. */
ACCT_EXTERN(int) acct_role_iterator_next(acct_role_id *id_out, acct_role_iterator *it);

/** Free a role iterator. Accepts NULL. */
ACCT_EXTERN(void) acct_role_iterator_free(acct_role_iterator *it);

/**
 * Give (@p assigned != 0) or take away @p role from user @p user. The role
 * must be built in or belong to the user's owner. Whoever may edit the user
 * may do this, but never to give a role with a permission it does not hold
 * itself: a user with userManagement cannot make itself or a sibling Admin.
 * @return 0, ACCT_EDENIED, ACCT_ENOTFOUND, ACCT_EINVALID (not a user, or a
 *         role of another owner), storage errors
 */
ACCT_EXTERN(int) acct_user_set_role(acct_session *s, acct_id user, acct_role_id role, int assigned);

ACCT_END_DECL

#endif
