/**
 * @file acct/credential.h
 * @brief Credentials beyond passwords: secret keys, Partner API logins and
 *        password reset tokens (spec/policy.md section 7).
 *
 * Secrets (keys, generated passwords, tokens) come from OpenSSL's random
 * generator, are returned once in an acct_buf the caller disposes (wipe it
 * when done), and are stored only as hashes. Listings never show them.
 *
 * Who manages them: the admin any account's; a reseller its own and those of
 * accounts in its scope; a customer its own; users none. Deleting an account
 * deletes its keys, API logins and reset tokens.
 */
#ifndef ACCT_CREDENTIAL_H
#define ACCT_CREDENTIAL_H

#include "common.h"
#include "buf.h"
#include "ctx.h"
#include "session.h"

ACCT_BEGIN_DECL

/* ---- secret keys (Plesk secret_key) ---- */

/**
 * Create a secret key for @p account, usable only from the client addresses
 * in @p ip_list (IPv4 or IPv6, separated by commas or spaces; at least one).
 * @param secret_out   receives the key, a UUID, shown this once (required)
 * @param key_id_out   receives the key's id, used to list and delete it (may be NULL)
 * @param description  free text (copied; may be NULL)
 * @return 0, ACCT_EINVALID (bad address, empty list), ACCT_EDENIED,
 *         ACCT_ENOTFOUND, storage errors
 */
ACCT_EXTERN(int) acct_key_create(acct_buf *secret_out, acct_id *key_id_out, acct_session *s, acct_id account,
                                 const char *ip_list, const char *description);

/** Delete secret key @p key_id. @return 0, ACCT_ENOTFOUND, ACCT_EDENIED, storage errors */
ACCT_EXTERN(int) acct_key_delete(acct_session *s, acct_id key_id);

/**
 * Find the id of the key whose secret is @p secret (Plesk get_info by key).
 * @return 0, ACCT_ENOTFOUND (no such key, or not the session's to see)
 */
ACCT_EXTERN(int) acct_key_find(acct_id *key_id_out, acct_session *s, const char *secret);

/**
 * Describe key @p key_id: its account, its client addresses (comma-separated,
 * copied into @p ips_out) and its description (copied into @p description_out).
 * Any out parameter may be NULL.
 * @return 0, ACCT_ENOTFOUND
 */
ACCT_EXTERN(int) acct_key_info(acct_id *account_out, acct_buf *ips_out, acct_buf *description_out, acct_session *s,
                               acct_id key_id);

typedef struct acct_key_iterator acct_key_iterator;

/**
 * Iterate over the ids of the keys of @p account, or with 0 of every key
 * the session may see, by id (a snapshot).
 */
ACCT_EXTERN(int) acct_key_iterator_new(acct_key_iterator **out, acct_session *s, acct_id account);
/** The next key id; 0 or ACCT_ITEROVER. */
ACCT_EXTERN(int) acct_key_iterator_next(acct_id *key_id_out, acct_key_iterator *it);
/** Free a key iterator. Accepts NULL. */
ACCT_EXTERN(void) acct_key_iterator_free(acct_key_iterator *it);

/**
 * Open a session with a secret key from client address @p client_ip.
 * @return 0; ACCT_EKEY [11003] for an unknown key or an address it is not
 *         bound to (the two are not told apart); ACCT_EDISABLED [1011]
 */
ACCT_EXTERN(int) acct_session_open_key(acct_session **out, acct_ctx *ctx, const char *secret, const char *client_ip);

/* ---- Partner API logins ---- */

/**
 * Create API login @p login (unique among API logins; the account login
 * rules apply) for @p account with Partner API role @p role (acct_partner_role
 * in acct/role.h). Reseller roles need a reseller account; client roles a
 * reseller or customer. The server generates the password.
 * @param password_out  receives the password, shown this once (required)
 * @param id_out        receives the API login's id (may be NULL)
 * @return 0, ACCT_EEXISTS, ACCT_EINVALID, ACCT_EDENIED, ACCT_ENOTFOUND, storage errors
 */
ACCT_EXTERN(int) acct_apilogin_create(acct_buf *password_out, acct_id *id_out, acct_session *s, acct_id account,
                                      const char *login, int role);

/** Generate a new password for API login @p id, shown this once. */
ACCT_EXTERN(int) acct_apilogin_new_password(acct_buf *password_out, acct_session *s, acct_id id);

/** Enable (@p enabled != 0) or disable API login @p id; its open sessions stop at once when disabled. */
ACCT_EXTERN(int) acct_apilogin_set_enabled(acct_session *s, acct_id id, int enabled);

/** Give API login @p id another Partner API role (the same account rules as create). */
ACCT_EXTERN(int) acct_apilogin_set_role(acct_session *s, acct_id id, int role);

/** Delete API login @p id; its open sessions stop at once. */
ACCT_EXTERN(int) acct_apilogin_delete(acct_session *s, acct_id id);

/**
 * Describe API login @p id. Any out parameter may be NULL.
 * The operations its role permits come from acct_partner_role_permits().
 * @return 0, ACCT_ENOTFOUND
 */
ACCT_EXTERN(int) acct_apilogin_info(acct_buf *login_out, acct_id *account_out, int *role_out, int *enabled_out,
                                    acct_session *s, acct_id id);

/** Find API login @p login. @return 0, ACCT_ENOTFOUND */
ACCT_EXTERN(int) acct_apilogin_lookup(acct_id *id_out, acct_session *s, const char *login);

typedef struct acct_apilogin_iterator acct_apilogin_iterator;

/** Iterate over the API logins of @p account, or with 0 of all the session may see, by id. */
ACCT_EXTERN(int) acct_apilogin_iterator_new(acct_apilogin_iterator **out, acct_session *s, acct_id account);
/** The next API login id; 0 or ACCT_ITEROVER. */
ACCT_EXTERN(int) acct_apilogin_iterator_next(acct_id *id_out, acct_apilogin_iterator *it);
/** Free an API login iterator. Accepts NULL. */
ACCT_EXTERN(void) acct_apilogin_iterator_free(acct_apilogin_iterator *it);

/**
 * Open a session with an API login. Such a session acts only through its
 * role, read each time it is used (a role change applies at once): checks
 * of its Partner API operations, and reading, creating and changing
 * customers as customer.search, customer.create and customer.modify allow;
 * a client role on its own account, a reseller role on the reseller and its
 * own customers. Everything else is refused. Login lockout applies.
 * @return 0; ACCT_EAUTH [1001]; ACCT_ELOCKED [1012]; ACCT_EDISABLED [1011]
 *         when the API login or its account is disabled
 */
ACCT_EXTERN(int) acct_session_open_api(acct_session **out, acct_ctx *ctx, const char *login, const char *password);

/** The Partner API role of an API login session, or 0 for any other session. */
ACCT_EXTERN(int) acct_session_api_role(const acct_session *s);

/* ---- password reset ---- */

/**
 * Create a one-time password reset token for @p account, valid for
 * @p ttl_seconds (<= 0: one hour). Only an account's owner (or an ancestor)
 * creates one; nothing is sent anywhere: the host delivers it.
 * @param token_out  receives the token, shown this once (required)
 * @return 0, ACCT_EDENIED, ACCT_ENOTFOUND, storage errors
 */
ACCT_EXTERN(int) acct_reset_token_create(acct_buf *token_out, acct_session *s, acct_id account, int64_t ttl_seconds);

/**
 * Redeem @p token: set the account's password to @p new_password and
 * invalidate the token. No session is needed: the token is the credential.
 * @return 0; ACCT_EAUTH [1001] for an unknown, used or expired token;
 *         ACCT_EINVALID for a password that breaks the rules; storage errors
 */
ACCT_EXTERN(int) acct_reset_token_redeem(acct_ctx *ctx, const char *token, const char *new_password);

ACCT_END_DECL

#endif
