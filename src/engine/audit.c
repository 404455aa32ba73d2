/* The audit hook: one event per operation, delivered with no lock held. */
#include <stdio.h>
#include <string.h>
#include "util/util.h"
#include "engine.h"

int acct_ctx_set_audit(acct_ctx *ctx, acct_audit_fn cb, void *payload)
{
	if (!ctx)
		return acct__error_set(ACCT_EINVALID, "acct_ctx_set_audit: ctx is NULL");
	pthread_rwlock_wrlock(&ctx->lock);
	ctx->audit = cb;
	ctx->audit_payload = payload;
	pthread_rwlock_unlock(&ctx->lock);
	return 0;
}

int acct__audited(acct_ctx *ctx, uint32_t actor, const char *op, acct_id target, const char *detail, int rc)
{
	acct_audit_fn cb;
	void *payload;
	acct_audit_event ev;
	acct__error_saved sv;
	char text[512];

	pthread_rwlock_rdlock(&ctx->lock);
	cb = ctx->audit;
	payload = ctx->audit_payload;
	pthread_rwlock_unlock(&ctx->lock);
	if (!cb)
		return rc;
	/* The callback may call libacct: keep the caller's error for after it. */
	acct__error_save(&sv);
	snprintf(text, sizeof(text), "%s", rc < 0 ? sv.message : "");
	memset(&ev, 0, sizeof(ev));
	ev.version = ACCT_AUDIT_EVENT_VERSION;
	ev.time = acct__now(ctx);
	ev.actor = actor;
	ev.operation = op;
	ev.target = target;
	ev.result = rc;
	ev.text = text;
	ev.detail = detail ? detail : "";
	cb(&ev, payload);
	if (rc < 0)
		acct__error_restore(&sv);
	return rc;
}
