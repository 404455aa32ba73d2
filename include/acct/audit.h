/**
 * @file acct/audit.h
 * @brief The audit hook: every mutating operation and every denial.
 */
#ifndef ACCT_AUDIT_H
#define ACCT_AUDIT_H

#include "common.h"
#include "ctx.h"

ACCT_BEGIN_DECL

/**
 * One audited event, borrowed by the callback for the duration of the call.
 * Secrets (passwords, keys, tokens) never appear in it. Fields may be
 * appended (libacct allocates it, never the caller).
 */
typedef struct acct_audit_event {
	unsigned int version;  /**< ACCT_AUDIT_EVENT_VERSION */
	int64_t time;          /**< seconds since the Unix epoch, from the context's clock */
	acct_id actor;         /**< the acting account (0 when there is none, e.g. a failed login) */
	const char *operation; /**< e.g. "account.add", "perm.grant", "check", "session.open" */
	acct_id target;        /**< the account acted on (0 when none) */
	int result;            /**< 0 or the ACCT_E* code returned */
	const char *text;      /**< why it failed, as the caller was told ("" on success) */
	const char *detail;    /**< what, e.g. the permission checked or the login tried ("" when none) */
} acct_audit_event;

#define ACCT_AUDIT_EVENT_VERSION 1

/**
 * The audit callback. Called on the thread that ran the operation, after
 * the operation finished and with no libacct lock held, so it may call
 * libacct itself. It must be thread-safe if the context is shared.
 */
typedef void (*acct_audit_fn)(const acct_audit_event *event, void *payload);

/**
 * Install (or with NULL remove) the audit callback of @p ctx. Events cover
 * every operation that writes, once its session and arguments have passed
 * the first checks (successful or not), every refused account lookup, every
 * denied acct_check() (which then formats its explanation, costing time),
 * and opening a session with a password, a secret key or an API login.
 * @return 0, ACCT_EINVALID
 */
ACCT_EXTERN(int) acct_ctx_set_audit(acct_ctx *ctx, acct_audit_fn cb, void *payload);

ACCT_END_DECL

#endif
