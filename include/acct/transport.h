/**
 * @file acct/transport.h
 * @brief Sending packets: the loopback and HTTPS transports and the client
 *        calls on top of them (docs/protocol.md, "Client").
 *
 * A transport (acct/sys/transport.h for writing one) moves request bytes to
 * an agent. acct_client_send() encodes a typed request, sends it and parses
 * the reply, so a C program drives a real Plesk server, or libacct's own
 * agent, without writing XML.
 */
#ifndef ACCT_TRANSPORT_H
#define ACCT_TRANSPORT_H

#include "common.h"
#include "buf.h"
#include "ctx.h"
#include "agent.h"
#include "packet.h"

ACCT_BEGIN_DECL

typedef struct acct_transport acct_transport;

/**
 * A transport that hands each request to acct_agent_handle() on @p ctx, in
 * this process: every client path can be tested without a network.
 * @param out  receives the transport (owned; release with acct_transport_free());
 *             @p ctx must outlive it
 * @return 0, ACCT_EINVALID, ACCT_ENOMEM
 */
ACCT_EXTERN(int) acct_transport_loopback_new(acct_transport **out, acct_ctx *ctx);

/**
 * Options of the HTTPS transport. Start from ACCT_HTTPS_OPTIONS_INIT or
 * acct_https_options_init(); fields are only ever appended. Strings are copied.
 */
typedef struct acct_https_options {
	unsigned int version;   /**< ACCT_HTTPS_OPTIONS_VERSION */
	/**
	 * The server: "https://host:8443" (the path defaults to
	 * /enterprise/control/agent.php) or a full URL. Required. "http://"
	 * is accepted for Plesk's plain port 8880 and sends the credentials in
	 * clear: for trusted networks only.
	 */
	const char *url;
	/** A PEM file of CA certificates to verify the server with (NULL: the system's). */
	const char *ca_file;
	/**
	 * Non-zero turns certificate and host name verification off, for
	 * self-signed test servers only. Verification is on by default.
	 */
	int insecure;
	/** Connect timeout in milliseconds (0: 10,000). */
	long connect_timeout_ms;
	/** Whole-request timeout in milliseconds (0: 60,000). */
	long timeout_ms;
} acct_https_options;

#define ACCT_HTTPS_OPTIONS_VERSION 1
#define ACCT_HTTPS_OPTIONS_INIT { ACCT_HTTPS_OPTIONS_VERSION, NULL, NULL, 0, 0, 0 }

/**
 * Initialise @p opts as ACCT_HTTPS_OPTIONS_INIT does, for @p version.
 * @return 0, or ACCT_EINVALID for an unknown version
 */
ACCT_EXTERN(int) acct_https_options_init(acct_https_options *opts, unsigned int version);

/**
 * A transport that POSTs each request to a Plesk-compatible agent over
 * HTTPS (libcurl): Content-Type text/xml, HTTP_AUTH_LOGIN/HTTP_AUTH_PASSWD
 * or KEY headers, keep-alive between requests.
 * @param out  receives the transport (owned; release with acct_transport_free())
 * @return 0, ACCT_EINVALID (no or bad URL), ACCT_ENOTSUPPORTED (built
 *         without libcurl), ACCT_ENOMEM
 */
ACCT_EXTERN(int) acct_transport_https_new(acct_transport **out, const acct_https_options *opts);

/**
 * Send raw request bytes through @p t.
 * @param response  filled with the reply's bytes (dispose with acct_buf_dispose())
 * @return 0 when a reply arrived (it may hold XML errors);
 *         ACCT_ENETWORK (connection, TLS, timeout, an HTTP status other than 200);
 *         ACCT_EINVALID; errors of the transport
 */
ACCT_EXTERN(int) acct_transport_send(acct_transport *t, const char *request, size_t len,
                                     const acct_credentials *cred, acct_buf *response);

/** Release a transport. Accepts NULL. */
ACCT_EXTERN(void) acct_transport_free(acct_transport *t);

/**
 * Encode @p req, send it through @p t with @p cred and parse the reply.
 * @param out  receives the reply (owned; release with acct_response_free());
 *             check acct_response_system_error() and each result
 * @return 0 when a reply was parsed; errors of acct_request_encode(),
 *         acct_transport_send() and acct_response_parse()
 */
ACCT_EXTERN(int) acct_client_send(acct_response **out, acct_transport *t, const acct_credentials *cred,
                                  const acct_request *req);

ACCT_END_DECL

#endif
