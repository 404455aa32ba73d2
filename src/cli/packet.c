/*
 * acctctl packet: run a request packet against the local store (as the
 * acting account, a trusted session), or send it to any Plesk-compatible
 * agent with --remote through libacct's HTTPS transport. The reply is
 * printed as it came; its system error or any failed result sets exit 1.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "acctctl.h"

const cli_opt cli_packet_opts[] = {
	{ "remote", 0, "URL", 0, 0, "send to this agent (https://host:8443) instead of the local store" },
	{ "login", 0, "LOGIN", 0, 0, "--remote: HTTP_AUTH_LOGIN" },
	{ "password", 0, "PASSWORD", 0, 0, "--remote: HTTP_AUTH_PASSWD ('-' or absent with --login: ask)" },
	{ "key", 0, "SECRET", 0, 0, "--remote: a secret key (KEY header) instead of a login" },
	{ "ca-file", 0, "FILE", 0, 0, "--remote: PEM certificates to verify the server with" },
	{ "insecure", 'k', NULL, 0, 0, "--remote: do not verify the server's certificate (test servers only)" },
	{ "timeout", 0, "SECONDS", 0, 0, "--remote: give up after this long (default 60)" },
	OPT_END
};

static int read_all(cli *c, const char *path, char **out, size_t *len)
{
	FILE *f = path == NULL || strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = 65536, n = 0;
	char *buf;

	if (f == NULL)
		return failf(c, "cannot open %s: %s", path, strerror(errno));
	buf = xmalloc(cap);
	for (;;) {
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
		if (n == cap) {
			char *bigger;
			if (cap >= (size_t)64 << 20) {
				free(buf);
				if (f != stdin)
					fclose(f);
				return failf(c, "the packet is larger than 64 MiB");
			}
			bigger = realloc(buf, cap *= 2);
			if (bigger == NULL)
				die_oom();
			buf = bigger;
		}
	}
	if (ferror(f)) {
		free(buf);
		if (f != stdin)
			fclose(f);
		return failf(c, "cannot read %s: %s", path != NULL ? path : "standard input", strerror(errno));
	}
	if (f != stdin)
		fclose(f);
	*out = buf;
	*len = n;
	return CLI_OK;
}

/* Did the reply fail anywhere (a system error, or a result with an error)? */
static int reply_failed(const acct_buf *reply)
{
	acct_response *r = NULL;
	int failed = 0, code;
	const char *text;

	if (acct_response_parse(&r, reply->ptr, reply->size) != 0)
		return 1;
	if (acct_response_system_error(&code, &text, r)) {
		fprintf(stderr, "acctctl: error %d: %s\n", code, text);
		failed = 1;
	}
	for (size_t i = 0; i < acct_response_count(r); i++) {
		const acct_result *res = acct_response_result(r, i);
		if (!acct_result_ok(res)) {
			fprintf(stderr, "acctctl: %s: error %d: %s\n", acct_op_name(acct_result_op(res)) != NULL
			        ? acct_op_name(acct_result_op(res)) : "operation", acct_result_errcode(res),
			        acct_result_errtext(res));
			failed = 1;
		}
	}
	acct_response_free(r);
	return failed;
}

static int send_remote(cli *c, const char *request, size_t len, acct_buf *reply)
{
	acct_https_options o = ACCT_HTTPS_OPTIONS_INIT;
	acct_credentials cred = ACCT_CREDENTIALS_INIT;
	acct_transport *t = NULL;
	char password[PASSWORD_SIZE] = "";
	const char *timeout = opt_str(c, "timeout");
	int rc;

	o.url = opt_str(c, "remote");
	o.ca_file = opt_str(c, "ca-file");
	o.insecure = opt_str(c, "insecure") != NULL;
	o.timeout_ms = timeout != NULL ? atol(timeout) * 1000 : 0;
	if (opt_str(c, "key") != NULL) {
		cred.kind = ACCT_CRED_KEY;
		cred.secret_key = opt_str(c, "key");
	} else if (opt_str(c, "login") != NULL) {
		if ((rc = read_password(c, password, "password", "password", 1)) != CLI_OK)
			return rc;
		cred.kind = ACCT_CRED_PASSWORD;
		cred.login = opt_str(c, "login");
		cred.password = password;
	} else {
		return usage(c, "--remote needs --login (and --password) or --key");
	}
	rc = acct_transport_https_new(&t, &o);
	if (rc == 0)
		rc = acct_transport_send(t, request, len, &cred, reply);
	wipe(password, sizeof password);
	acct_transport_free(t);
	return rc != 0 ? fail(c) : CLI_OK;
}

int cmd_packet(cli *c)
{
	acct_buf reply = ACCT_BUF_INIT;
	char *request = NULL;
	size_t len = 0;
	int rc;

	if (opt_str(c, "remote") == NULL && (opt_str(c, "login") || opt_str(c, "key") || opt_str(c, "insecure")))
		return usage(c, "--login, --key and --insecure go with --remote");
	if ((rc = read_all(c, c->nargs > 0 ? c->args[0] : NULL, &request, &len)) != CLI_OK)
		return rc;
	if (opt_str(c, "remote") != NULL) {
		rc = send_remote(c, request, len, &reply);
	} else {
		acct_credentials cred = ACCT_CREDENTIALS_INIT;
		cred.kind = ACCT_CRED_SESSION;
		cred.session = c->s;
		rc = acct_agent_handle(c->ctx, &cred, request, len, &reply) != 0 ? fail(c) : CLI_OK;
	}
	free(request);
	if (rc == CLI_OK) {
		fwrite(reply.ptr, 1, reply.size, stdout);
		if (reply_failed(&reply))
			rc = CLI_FAILED;
	}
	acct_buf_dispose(&reply);
	return rc;
}
