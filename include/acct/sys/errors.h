/**
 * @file acct/sys/errors.h
 * @brief Report failures from a backend or callback.
 */
#ifndef ACCT_SYS_ERRORS_H
#define ACCT_SYS_ERRORS_H

#include "../errors.h"

ACCT_BEGIN_DECL

/**
 * Set the calling thread's last error to @p code with @p message (copied;
 * NULL gives acct_strerror(code)). A backend reports a host failure with
 * `return acct_error_set_str(ACCT_EUSER, "disk full");` and libacct passes
 * the message on to the caller.
 * @return @p code, for use in a return statement
 */
ACCT_EXTERN(int) acct_error_set_str(int code, const char *message);

ACCT_END_DECL

#endif
