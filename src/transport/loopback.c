/*
 * The loopback transport: each request goes to acct_agent_handle() on a
 * context in this process, with the same credentials an HTTP server would
 * pass on. It makes every client path testable without a network.
 */
#include "acct.h"
#include "acct/sys/transport.h"
#include "util/util.h"

static int loopback_send(acct_transport *t, const char *request, size_t len, const acct_credentials *cred,
                         acct_buf *response)
{
	return acct_agent_handle(t->payload, cred, request, len, response);
}

static void loopback_free(acct_transport *t)
{
	acct__free(t);
}

int acct_transport_loopback_new(acct_transport **out, acct_ctx *ctx)
{
	acct_transport *t;

	if (out == NULL || ctx == NULL)
		return acct__error_set(ACCT_EINVALID, "acct_transport_loopback_new: NULL argument");
	*out = NULL;
	t = acct__calloc(1, sizeof *t);
	if (t == NULL)
		return acct__error_oom();
	t->version = ACCT_TRANSPORT_VERSION;
	t->payload = ctx;
	t->send = loopback_send;
	t->free = loopback_free;
	*out = t;
	return 0;
}
