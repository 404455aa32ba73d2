/*
 * acct_agent_handle: the check-ups of spec section 1 in Plesk's order
 * (version, credentials, remote_access_interface, packet validity), then
 * every operation in document order, each answered on its own.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "agent/agent_internal.h"
#include "util/util.h"

const char *acct_agent_protocol_version(void)
{
	return "1.6.9.1";
}

int acct_credentials_init(acct_credentials *cred, unsigned int version)
{
	static const acct_credentials init = ACCT_CREDENTIALS_INIT;

	if (cred == NULL || version != ACCT_CREDENTIALS_VERSION)
		return acct__error_set(ACCT_EINVALID, "acct_credentials version %u is not supported (this is %d)", version,
		                       ACCT_CREDENTIALS_VERSION);
	*cred = init;
	return 0;
}

int acct_agent_options_init(acct_agent_options *opts, unsigned int version)
{
	static const acct_agent_options init = ACCT_AGENT_OPTIONS_INIT;

	if (opts == NULL || version != ACCT_AGENT_OPTIONS_VERSION)
		return acct__error_set(ACCT_EINVALID, "acct_agent_options version %u is not supported (this is %d)", version,
		                       ACCT_AGENT_OPTIONS_VERSION);
	*opts = init;
	return 0;
}

int acct_agent_configure(acct_ctx *ctx, const acct_agent_options *opts)
{
	acct__agent_conf c;

	if (ctx == NULL || opts == NULL)
		return acct__error_set(ACCT_EINVALID, "acct_agent_configure: NULL argument");
	if (opts->version == 0 || opts->version > ACCT_AGENT_OPTIONS_VERSION)
		return acct__error_set(ACCT_EINVALID, "acct_agent_options version %u is not supported (this is %d)",
		                       opts->version, ACCT_AGENT_OPTIONS_VERSION);
	if (opts->max_depth > 256)
		return acct__error_set(ACCT_EINVALID, "max_depth %u is above 256, libxml2's own limit", opts->max_depth);
	if (opts->server_name != NULL && strlen(opts->server_name) >= sizeof c.server_name)
		return acct__error_set(ACCT_EINVALID, "server_name is longer than %zu bytes", sizeof c.server_name - 1);
	memset(&c, 0, sizeof c);
	c.max_packet_bytes = opts->max_packet_bytes;
	c.max_elements = opts->max_elements;
	c.max_text = opts->max_text_bytes;
	c.max_depth = opts->max_depth;
	c.max_operations = opts->max_operations;
	c.pretty = opts->pretty;
	if (opts->server_name != NULL)
		snprintf(c.server_name, sizeof c.server_name, "%s", opts->server_name);
	pthread_mutex_lock(&ctx->agent_mu);
	ctx->agent = c;
	pthread_mutex_unlock(&ctx->agent_mu);
	return 0;
}

const char *acct__agent_field(const acct__reqop *o, int field)
{
	int slot = acct__slot(field);
	return slot >= 0 ? o->f[slot] : NULL;
}

int acct__agent_fail_last(acct__agent_run *run, const char *filter_id)
{
	acct_result *res = acct__response_result(run->resp, filter_id);

	if (res == NULL)
		return ACCT_ENOMEM;
	return acct__result_failed_last(run->resp, res);
}

int acct__agent_fail(acct__agent_run *run, const char *filter_id, int code, const char *fmt, ...)
{
	acct_result *res = acct__response_result(run->resp, filter_id);
	char msg[512];
	va_list ap;

	if (res == NULL)
		return ACCT_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return acct__result_fail(run->resp, res, code, msg);
}

static void limits_of(acct__plimits *lim, const acct__agent_conf *c)
{
	acct__plimits_default(lim);
	if (c->max_packet_bytes)
		lim->max_bytes = c->max_packet_bytes;
	if (c->max_elements)
		lim->max_elements = c->max_elements;
	if (c->max_text)
		lim->max_text = c->max_text;
	if (c->max_depth)
		lim->max_depth = c->max_depth;
	if (c->max_operations)
		lim->max_operations = c->max_operations;
}

/* A check-up failure: the whole reply is one <system> error. */
static int system_error(acct_buf *out, const char *version, int code, const char *text, int pretty)
{
	int rc = acct__system_error_encode(out, version, code, text, pretty);
	return rc == 0 ? 0 : acct__error_oom();
}

static int system_error_last(acct_buf *out, const char *version, int pretty)
{
	const acct_error *e = acct_error_last();
	return system_error(out, version, e->plesk_code != 0 ? e->plesk_code : 1023, e->message, pretty);
}

/* Credentials to a session (owned unless the host passed one in). */
static int authenticate(acct_session **out, int *owned, acct_ctx *ctx, const acct_credentials *cred)
{
	*out = NULL;
	*owned = 1;
	if (cred == NULL || cred->version == 0 || cred->version > ACCT_CREDENTIALS_VERSION)
		return acct__error_set(ACCT_EINVALID, "Authentication method is not specified.");
	switch (cred->kind) {
	case ACCT_CRED_PASSWORD:
		if (cred->login == NULL || cred->password == NULL)
			break;
		return acct_session_open(out, ctx, cred->login, cred->password);
	case ACCT_CRED_KEY:
		if (cred->secret_key == NULL)
			break;
		if (cred->client_ip == NULL)
			return acct__error_set(ACCT_EKEY, "secret key validation failed: the client address is unknown");
		return acct_session_open_key(out, ctx, cred->secret_key, cred->client_ip);
	case ACCT_CRED_SESSION:
		if (cred->session == NULL || cred->session->ctx != ctx)
			break;
		*out = cred->session;
		*owned = 0;
		return 0;
	default:
		break;
	}
	return acct__error_set(ACCT_EINVALID, "Authentication method is not specified: send HTTP_AUTH_LOGIN and "
	                                      "HTTP_AUTH_PASSWD, or KEY.");
}

static int dispatch(acct__agent_run *run, const acct__reqop *o)
{
	const acct__opinfo *oi = acct__op_info(o->op);
	acct__respop *ro;
	int rc;

	if ((rc = acct__response_op(run->resp, o->op, o->group)) != 0)
		return rc;
	ro = &run->resp->ops[run->resp->nops - 1];
	if (oi == NULL) {
		ro->operator_name = acct__strdup(o->operator_name);
		ro->operation = acct__strdup(o->operation_name);
		if (ro->operator_name == NULL || ro->operation == NULL)
			return acct__error_oom();
	}
	if (o->reject_code != 0)
		return acct__agent_fail(run, NULL, o->reject_code, "%s", o->reject_text != NULL ? o->reject_text : "");
	rc = oi->style == ACCT__STYLE_OTHER ? acct__agent_services(run, o) : acct__agent_accounts(run, o);
	/* Only running out of memory loses the reply; any other failure part way
	 * (a storage error in an iteration) becomes this operation's result. */
	if (rc != 0 && rc != ACCT_ENOMEM)
		rc = acct__agent_fail_last(run, NULL);
	return rc;
}

static int run_packet(acct_buf *response, acct__agent_run *run, const acct_request *req, int pretty)
{
	acct_response resp;
	int rc;

	if ((rc = acct__response_init(&resp, req->version)) != 0)
		return rc;
	resp.wire_version = run->version;
	run->resp = &resp;
	for (size_t i = 0; i < req->n && rc == 0; i++)
		rc = dispatch(run, &req->ops[i]);
	if (rc == 0)
		rc = acct__response_encode(response, &resp, pretty);
	acct__response_dispose(&resp);
	return rc;
}

int acct_agent_handle(acct_ctx *ctx, const acct_credentials *cred, const char *request, size_t len,
                      acct_buf *response)
{
	acct__agent_conf conf;
	acct__plimits lim;
	acct_request *req = NULL;
	acct_session *s = NULL;
	acct__agent_run run;
	acct__error_saved parse_error;
	uint32_t version = 0;
	int decode_rc, rc, owned = 0;
	char version_text[48] = "";

	if (ctx == NULL || response == NULL || (request == NULL && len > 0))
		return acct__error_set(ACCT_EINVALID, "acct_agent_handle: NULL argument");
	pthread_mutex_lock(&ctx->agent_mu);
	conf = ctx->agent;
	pthread_mutex_unlock(&ctx->agent_mu);
	limits_of(&lim, &conf);

	/* Decode first to learn the version; a packet error is reported only after
	 * authentication, as Plesk does, so strangers learn nothing from it. */
	decode_rc = acct__request_decode(&req, &version, version_text, request != NULL ? request : "", len, &lim);
	if (decode_rc == ACCT_EVERSION)
		return system_error_last(response, NULL, conf.pretty);
	if (decode_rc == ACCT_ENOMEM)
		return decode_rc;
	acct__error_save(&parse_error);
	rc = authenticate(&s, &owned, ctx, cred);
	if (rc == ACCT_EINVALID) {
		rc = system_error(response, version_text, 1029, acct_error_last()->message, conf.pretty);
		goto out;
	}
	if (rc != 0) {
		rc = system_error_last(response, version_text, conf.pretty);
		goto out;
	}
	memset(&run, 0, sizeof run);
	run.ctx = ctx;
	run.s = s;
	run.actor = acct_session_account(s);
	run.cred = cred;
	run.version = version;
	run.conf = &conf;
	{
		int allowed = 0, kind = 0;
		acct_buf why = ACCT_BUF_INIT;

		if ((rc = acct__account_ident(ctx, run.actor, &run.actor_type, NULL, NULL)) != 0) {
			rc = system_error(response, version_text, 1001, "the session's account no longer exists", conf.pretty);
			goto out;
		}
		/* Resellers and customers need "Ability to use XML API" (spec section 2). */
		if (run.actor_type != ACCT_TYPE_ADMIN) {
			/* acct_check is the fast path; the explanation is only built for a refusal. */
			rc = acct_check(&allowed, s, "remote_access_interface", run.actor);
			if (rc == 0 && !allowed)
				rc = acct_check_explain(&allowed, &kind, &why, s, "remote_access_interface", run.actor);
			if (rc == 0 && !allowed) {
				rc = system_error(response, version_text, 1006, why.size ? why.ptr : "permission denied",
				                  conf.pretty);
				acct_buf_dispose(&why);
				goto out;
			}
			acct_buf_dispose(&why);
			if (rc != 0) {
				rc = system_error_last(response, version_text, conf.pretty);
				goto out;
			}
		}
	}
	/* Packet validity is the last check-up (spec section 1). */
	if (decode_rc != 0) {
		acct__error_restore(&parse_error);
		rc = system_error(response, version_text, 1014, acct_error_last()->message, conf.pretty);
		goto out;
	}
	rc = run_packet(response, &run, req, conf.pretty);
	if (rc != 0)
		rc = acct__error_oom();
out:
	if (owned)
		acct_session_free(s);
	acct_request_free(req);
	if (rc == 0)
		acct_error_clear();
	return rc;
}
