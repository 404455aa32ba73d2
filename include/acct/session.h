/**
 * @file acct/session.h
 * @brief Sessions: who is acting. Every operation takes one.
 */
#ifndef ACCT_SESSION_H
#define ACCT_SESSION_H

#include "common.h"
#include "ctx.h"

ACCT_BEGIN_DECL

typedef struct acct_session acct_session;

/**
 * Authenticate with a login and password.
 *
 * @param out      receives the session (owned; release with acct_session_free())
 * @param ctx      the context; must outlive the session
 * @param login    the account login (copied)
 * @param password the password in clear (never kept)
 * @return 0; ACCT_EAUTH [1001] for an unknown login or a wrong password (the
 *         two are not told apart); ACCT_ELOCKED [1012] while the login is
 *         locked after repeated failures (see acct_ctx_options), even with
 *         the right password; ACCT_EDISABLED [1011] when the account or an
 *         ancestor is disabled; ACCT_EINVALID for NULL arguments
 */
ACCT_EXTERN(int) acct_session_open(acct_session **out, acct_ctx *ctx, const char *login, const char *password);

/**
 * Open a session as account @p id without a password, for trusted host code
 * that authenticated the person itself.
 * @return 0, ACCT_ENOTFOUND, ACCT_EDISABLED
 */
ACCT_EXTERN(int) acct_session_open_as(acct_session **out, acct_ctx *ctx, acct_id id);

/** The id of the account acting in @p s (0 for NULL). */
ACCT_EXTERN(acct_id) acct_session_account(const acct_session *s);

/** Free a session. Accepts NULL. */
ACCT_EXTERN(void) acct_session_free(acct_session *s);

ACCT_END_DECL

#endif
