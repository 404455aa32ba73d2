/**
 * @file acct/agent.h
 * @brief The Plesk XML API agent: a request packet in, a reply packet out
 *        (spec/plesk-protocol.md, docs/protocol.md).
 *
 * The agent authenticates, decodes the packet, runs every operation through
 * the same engine calls as the C API, in document order, and encodes the
 * reply in schema order. It holds no rule of its own: every refusal comes
 * from the policy, with its message as errtext.
 */
#ifndef ACCT_AGENT_H
#define ACCT_AGENT_H

#include "common.h"
#include "buf.h"
#include "ctx.h"
#include "session.h"

ACCT_BEGIN_DECL

/** How a request authenticates. Append-only. */
typedef enum {
	ACCT_CRED_NONE = 0,     /**< none given: the agent answers 1029 */
	ACCT_CRED_PASSWORD = 1, /**< login + password (HTTP_AUTH_LOGIN / HTTP_AUTH_PASSWD) */
	ACCT_CRED_KEY = 2,      /**< secret key + the client's address (KEY) */
	ACCT_CRED_SESSION = 3   /**< a session the host already trusts */
} acct_cred_kind;

/**
 * Credentials of one request. Start from ACCT_CREDENTIALS_INIT or
 * acct_credentials_init(); fields are only ever appended. All strings are
 * borrowed for the call.
 */
typedef struct acct_credentials {
	unsigned int version;    /**< ACCT_CREDENTIALS_VERSION */
	int kind;                /**< an acct_cred_kind */
	const char *login;       /**< ACCT_CRED_PASSWORD */
	const char *password;    /**< ACCT_CRED_PASSWORD */
	const char *secret_key;  /**< ACCT_CRED_KEY */
	const char *client_ip;   /**< ACCT_CRED_KEY: required; others: recorded by create_session */
	acct_session *session;   /**< ACCT_CRED_SESSION: borrowed */
} acct_credentials;

#define ACCT_CREDENTIALS_VERSION 1
#define ACCT_CREDENTIALS_INIT { ACCT_CREDENTIALS_VERSION, ACCT_CRED_NONE, NULL, NULL, NULL, NULL, NULL }

/**
 * Initialise @p cred as ACCT_CREDENTIALS_INIT does, for @p version.
 * @return 0, or ACCT_EINVALID for an unknown version
 */
ACCT_EXTERN(int) acct_credentials_init(acct_credentials *cred, unsigned int version);

/**
 * Limits and settings of the agent on one context. Start from
 * ACCT_AGENT_OPTIONS_INIT or acct_agent_options_init(); 0 means the default
 * in every numeric field; fields are only ever appended.
 */
typedef struct acct_agent_options {
	unsigned int version;     /**< ACCT_AGENT_OPTIONS_VERSION */
	size_t max_packet_bytes;  /**< larger packets get 1014 unread (default 1 MiB) */
	unsigned int max_depth;   /**< element nesting (default 32; at most 256, libxml2's own cap) */
	size_t max_elements;      /**< elements per packet (default 20,000) */
	unsigned int max_operations; /**< operation elements per packet (default 500) */
	size_t max_text_bytes;    /**< bytes of one element's text (default 65,536) */
	/** server get gen_info: the server name (copied; NULL: the host name). */
	const char *server_name;
	/** Indent replies (as HTTP_PRETTY_PRINT asks); 0 gives compact replies. */
	int pretty;
} acct_agent_options;

#define ACCT_AGENT_OPTIONS_VERSION 1
#define ACCT_AGENT_OPTIONS_INIT { ACCT_AGENT_OPTIONS_VERSION, 0, 0, 0, 0, 0, NULL, 0 }

/**
 * Initialise @p opts as ACCT_AGENT_OPTIONS_INIT does, for @p version.
 * @return 0, or ACCT_EINVALID for an unknown version
 */
ACCT_EXTERN(int) acct_agent_options_init(acct_agent_options *opts, unsigned int version);

/**
 * Set the agent options of @p ctx (copied). Safe while other threads handle
 * packets: each packet uses the options in force when it started.
 * @return 0, ACCT_EINVALID (unknown version, max_depth above 256), ACCT_ENOMEM
 */
ACCT_EXTERN(int) acct_agent_configure(acct_ctx *ctx, const acct_agent_options *opts);

/**
 * Answer one request packet.
 *
 * Check-up failures replace the whole reply with a <system> error:
 * 1029 no credentials, 1001 wrong login or password, 1012 locked login,
 * 1011 disabled account, 11003 a bad secret key or client address, 1006 no
 * remote_access_interface permission, 1005 an unsupported version, 1014 a
 * packet that is too large, not well-formed, has a DTD or breaks the schema
 * (with the line). Otherwise every operation gets its own results, in
 * document order; one failing operation does not stop the next.
 *
 * @param response  filled with the reply (dispose with acct_buf_dispose()),
 *                  also for every error above
 * @return 0 whenever a reply was written (errors included);
 *         ACCT_EINVALID (NULL arguments) or ACCT_ENOMEM when none could be
 */
ACCT_EXTERN(int) acct_agent_handle(acct_ctx *ctx, const acct_credentials *cred, const char *request, size_t len,
                                   acct_buf *response);

/** The newest protocol version libacct speaks, e.g. "1.6.9.1" (static). */
ACCT_EXTERN(const char *) acct_agent_protocol_version(void);

ACCT_END_DECL

#endif
