/**
 * @file acct/sys/transport.h
 * @brief The transport vtable, for hosts that carry packets their own way.
 *
 * A transport moves the bytes of one request packet, with its credentials,
 * to an agent and returns the reply's bytes. libacct does all the XML; a
 * transport never looks inside. Built-ins: loopback (an in-process agent)
 * and HTTPS (libcurl, the Plesk conventions), in acct/transport.h.
 *
 * Threads: libacct may call @c send from several threads at once; a
 * transport that cannot take that serializes internally (the built-ins do).
 * Errors: return 0 or a negative ACCT_E* code with acct_error_set_str();
 * a reply that is an XML error is still a success for the transport.
 */
#ifndef ACCT_SYS_TRANSPORT_H
#define ACCT_SYS_TRANSPORT_H

#include "../common.h"
#include "../buf.h"
#include "../agent.h"
#include "../transport.h"
#include "errors.h"

ACCT_BEGIN_DECL

/** A transport (the typedef is in acct/transport.h). Every method of version 1 is mandatory. */
struct acct_transport {
	unsigned int version; /**< ACCT_TRANSPORT_VERSION; stays first */
	void *payload;        /**< the transport's own data */
	/**
	 * Send @p len bytes of @p request with @p cred (borrowed for the call)
	 * and fill @p response (with acct_buf_set()) with the reply's bytes.
	 */
	int (*send)(acct_transport *t, const char *request, size_t len, const acct_credentials *cred,
	            acct_buf *response);
	/** Release the transport: called exactly once, by acct_transport_free(). */
	void (*free)(acct_transport *t);
	/* --- version 1 ends here; append only --- */
};

#define ACCT_TRANSPORT_VERSION 1
#define ACCT_TRANSPORT_INIT { ACCT_TRANSPORT_VERSION, NULL, NULL, NULL }

/**
 * Initialise @p t as ACCT_TRANSPORT_INIT does, for @p version.
 * @return 0, or ACCT_EINVALID for an unknown version
 */
ACCT_EXTERN(int) acct_transport_init(acct_transport *t, unsigned int version);

ACCT_END_DECL

#endif
