/*
 * Transport glue: checks on the vtable, the send wrapper (every failure has
 * a message), and the typed client call on top.
 */
#include <string.h>
#include "acct.h"
#include "acct/sys/transport.h"
#include "util/util.h"

int acct_transport_init(acct_transport *t, unsigned int version)
{
	static const acct_transport init = ACCT_TRANSPORT_INIT;

	if (t == NULL || version == 0 || version > ACCT_TRANSPORT_VERSION)
		return acct__error_set(ACCT_EINVALID, "acct_transport version %u is not supported (this is %d)", version,
		                       ACCT_TRANSPORT_VERSION);
	*t = init;
	t->version = version;
	return 0;
}

int acct_transport_send(acct_transport *t, const char *request, size_t len, const acct_credentials *cred,
                        acct_buf *response)
{
	int rc;

	if (t == NULL || response == NULL || (request == NULL && len > 0))
		return acct__error_set(ACCT_EINVALID, "acct_transport_send: NULL argument");
	if (t->version == 0 || t->version > ACCT_TRANSPORT_VERSION || t->send == NULL)
		return acct__error_set(ACCT_EINVALID, "the transport's version (%u) or send method is not valid",
		                       t->version);
	acct_error_clear();
	rc = t->send(t, request != NULL ? request : "", len, cred, response);
	if (rc > 0 || (rc < 0 && acct_error_last()->code == ACCT_OK))
		return acct__error_set(rc < 0 ? rc : ACCT_EUSER, "the transport's send failed without saying why (%d)", rc);
	return rc;
}

void acct_transport_free(acct_transport *t)
{
	if (t != NULL && t->free != NULL)
		t->free(t);
}

int acct_client_send(acct_response **out, acct_transport *t, const acct_credentials *cred, const acct_request *req)
{
	acct_buf request = ACCT_BUF_INIT, reply = ACCT_BUF_INIT;
	int rc;

	if (out == NULL)
		return acct__error_set(ACCT_EINVALID, "acct_client_send: out is NULL");
	*out = NULL;
	rc = acct_request_encode(&request, req);
	if (rc == 0)
		rc = acct_transport_send(t, request.ptr, request.size, cred, &reply);
	if (rc == 0)
		rc = acct_response_parse(out, reply.ptr, reply.size);
	if (request.ptr != NULL)
		memset(request.ptr, 0, request.size); /* it may hold passwords */
	acct_buf_dispose(&request);
	acct_buf_dispose(&reply);
	return rc;
}
