/* Error codes, their Plesk errcodes, and the thread-local last error. */
#include <stdio.h>
#include <string.h>
#include "acct/sys/errors.h"
#include "util.h"

struct code_info {
	int code;
	int plesk;
	const char *text;
};

/* One row per code: the static text and the one Plesk errcode it maps to. */
static const struct code_info codes[] = {
	{ ACCT_OK, 0, "success" },
	{ ACCT_ERROR, 1023, "operation failed" },
	{ ACCT_ENOTFOUND, 1013, "object not found" },
	{ ACCT_EEXISTS, 1007, "already exists" },
	{ ACCT_EINVALID, 1019, "invalid value" },
	{ ACCT_ENOMEM, 1023, "out of memory" },
	{ ACCT_EDENIED, 1006, "permission denied" },
	{ ACCT_EPARSE, 1014, "parse error" },
	{ ACCT_ENOTSUPPORTED, 1017, "not supported" },
	{ ACCT_EUSER, 1023, "host callback or backend failed" },
	{ ACCT_ITEROVER, 0, "no more items" },
	{ ACCT_EAUTH, 1001, "authentication failed" },
	{ ACCT_EDISABLED, 1011, "account disabled" },
	{ ACCT_ELOCKED, 1012, "login locked" },
	{ ACCT_ELIMIT, 1024, "limit reached" },
	{ ACCT_ESTATUS, 1025, "wrong status value" },
	{ ACCT_EOWNER, 1015, "owner not found or not allowed" },
	{ ACCT_ESTORAGE, 1023, "storage failure" },
	{ ACCT_EKEY, 11003, "secret key validation failed" },
	{ ACCT_EVERSION, 1005, "version not supported" },
	{ ACCT_ENETWORK, 1023, "network failure" },
};

static const struct code_info *lookup(int code)
{
	size_t i;

	for (i = 0; i < ACCT__ARRAY_LEN(codes); i++)
		if (codes[i].code == code)
			return &codes[i];
	return NULL;
}

const char *acct_strerror(int code)
{
	const struct code_info *ci = lookup(code);
	return ci ? ci->text : "unknown error";
}

int acct_error_plesk_code(int code)
{
	const struct code_info *ci = lookup(code);
	return ci ? ci->plesk : 1023;
}

/* A fixed buffer: reporting ENOMEM must not need memory. */
struct last_error {
	acct_error err;
	char msg[512];
};

static __thread struct last_error tls_error;

static struct last_error *last(void)
{
	struct last_error *le = &tls_error;
	if (!le->err.message)
		le->err.message = le->msg;
	return le;
}

const acct_error *acct_error_last(void)
{
	return &last()->err;
}

void acct_error_clear(void)
{
	struct last_error *le = last();
	le->err.code = ACCT_OK;
	le->err.plesk_code = 0;
	le->err.deny_kind = 0;
	le->msg[0] = '\0';
}

int acct__error_setv(int code, const char *fmt, va_list ap)
{
	struct last_error *le = last();

	le->err.code = code;
	le->err.plesk_code = acct_error_plesk_code(code);
	le->err.deny_kind = 0;
	if (fmt)
		vsnprintf(le->msg, sizeof(le->msg), fmt, ap);
	else
		snprintf(le->msg, sizeof(le->msg), "%s", acct_strerror(code));
	return code;
}

int acct__error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	acct__error_setv(code, fmt, ap);
	va_end(ap);
	return code;
}

void acct__error_save(acct__error_saved *sv)
{
	const acct_error *e = acct_error_last();

	sv->code = e->code;
	sv->deny_kind = e->deny_kind;
	snprintf(sv->message, sizeof(sv->message), "%s", e->message);
}

void acct__error_restore(const acct__error_saved *sv)
{
	acct__error_set(sv->code, "%s", sv->message);
	last()->err.deny_kind = sv->deny_kind;
}

void acct__error_set_deny_kind(int kind)
{
	last()->err.deny_kind = kind;
}

int acct__error_oom(void)
{
	return acct__error_set(ACCT_ENOMEM, "out of memory");
}

void acct__error_prefix(const char *fmt, ...)
{
	struct last_error *le = last();
	char tmp[sizeof(le->msg)];
	size_t n, rest;
	va_list ap;
	int w;

	va_start(ap, fmt);
	w = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= sizeof(tmp) - 3)
		return;
	n = (size_t)w;
	tmp[n++] = ':';
	tmp[n++] = ' ';
	rest = strlen(le->msg);
	if (rest > sizeof(tmp) - 1 - n)
		rest = sizeof(tmp) - 1 - n;
	memcpy(tmp + n, le->msg, rest);
	tmp[n + rest] = '\0';
	memcpy(le->msg, tmp, sizeof(tmp));
}

int acct_error_set_str(int code, const char *message)
{
	if (message)
		return acct__error_set(code, "%s", message);
	return acct__error_set(code, NULL);
}
