/*
 * The agent: decoded requests in, engine calls, typed results out. It holds
 * no rule: every yes or no comes from the engine, with its message.
 */
#ifndef ACCT_AGENT_INTERNAL_H
#define ACCT_AGENT_INTERNAL_H

#include "packet/packet.h"
#include "engine/engine.h"
#include "util/util.h"

typedef struct acct__agent_run {
	acct_ctx *ctx;
	acct_session *s;
	acct_id actor;
	int actor_type;
	const acct_credentials *cred;
	acct_response *resp;
	uint32_t version;
	const acct__agent_conf *conf;
} acct__agent_run;

/* Each answers one operation with one or more results; returns 0, or
 * ACCT_ENOMEM when no reply can be made. */
int acct__agent_accounts(acct__agent_run *run, const acct__reqop *o);  /* customer, reseller, client, user */
int acct__agent_services(acct__agent_run *run, const acct__reqop *o);  /* secret_key, server, session */

/* A result that failed with the thread's last error (its Plesk errcode and message). */
int acct__agent_fail_last(acct__agent_run *run, const char *filter_id);
/* A result that failed with `code` and a message. */
int acct__agent_fail(acct__agent_run *run, const char *filter_id, int code, const char *fmt, ...) ACCT__PRINTF(4, 5);
/* The field value of a decoded operation, or NULL. */
const char *acct__agent_field(const acct__reqop *o, int field);

#endif
