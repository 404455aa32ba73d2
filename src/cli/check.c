/*
 * check: may an account use a permission on another account? The answer
 * and the reason come from acct_check_explain(), the same policy every
 * other caller of libacct gets. Exit 0 allowed, 1 denied, 3 no answer.
 */
#include <stdio.h>
#include "acctctl.h"

static const char *const deny_kinds[] = { "none", "session", "disabled", "object", "method", "rule" };

static int answer(cli *c, int allowed, int kind, const char *why, const acct_account *target)
{
	acct_account *admin = NULL;
	json_t *o;

	if (!c->json) {
		printf(allowed ? "allowed\n" : "denied: %s\n", why);
		return allowed ? CLI_OK : CLI_FAILED;
	}
	o = jobj();
	jset_bool(o, "allowed", allowed);
	if (!c->as_login)
		acct_account_lookup(&admin, c->admin, 1);
	jset_str(o, "actor", admin ? acct_account_get(admin, ACCT_FIELD_LOGIN) : c->as_login);
	acct_account_free(admin);
	jset_str(o, "permission", c->args[0]);
	jset_str(o, "target", acct_account_get(target, ACCT_FIELD_LOGIN));
	jset_str(o, "deny_kind", kind >= 0 && kind <= ACCT_DENY_RULE ? deny_kinds[kind] : "unknown");
	jset_int(o, "plesk_code", acct_deny_plesk_code(kind));
	jset_int(o, "partner_code", acct_deny_partner_code(kind));
	jset_str(o, "explanation", why);
	out_json(o);
	return allowed ? CLI_OK : CLI_FAILED;
}

/* The actor: the admin, or --as. A disabled actor is a denial (rule 2 of the policy), not an error. */
static int open_actor(cli *c, acct_session **actor, int *disabled)
{
	int rc;

	*actor = NULL;
	*disabled = 0;
	if (!c->as_login) {
		*actor = c->admin;
		return 0;
	}
	rc = store_session_as(c, actor, c->as_login);
	*disabled = rc == ACCT_EDISABLED;
	return *disabled ? 0 : rc;
}

int cmd_check(cli *c)
{
	acct_buf why = ACCT_BUF_INIT;
	acct_session *actor;
	acct_account *target;
	char reason[512] = "";
	int allowed = 0, kind = ACCT_DENY_DISABLED, disabled, rc;

	/* The admin names the target: whether the actor can see it is part of the question. */
	if (account_load(&target, c->admin, c->args[1], 0) < 0)
		return fail(c);
	if ((rc = open_actor(c, &actor, &disabled)) == 0 && !disabled)
		rc = acct_check_explain(&allowed, &kind, &why, actor, c->args[0], acct_account_id(target));
	snprintf(reason, sizeof(reason), "%s", disabled ? acct_error_last()->message : why.ptr ? why.ptr : "");
	rc = rc < 0 ? fail(c) : answer(c, allowed, kind, reason, target);
	if (actor != c->admin)
		acct_session_free(actor);
	acct_buf_dispose(&why);
	acct_account_free(target);
	return rc;
}
