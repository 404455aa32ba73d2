/*
 * Login lockout (spec/policy.md section 7): N failed password checks for a
 * login within T seconds lock it for L seconds. Kept in memory per context,
 * keyed by the lower-cased login, unknown logins included (so probing is
 * throttled the same way). Expired entries are dropped when the table grows.
 */
#include <string.h>
#include "util/util.h"
#include "engine.h"

int acct__lockout_init(acct__lockout *l, const acct_ctx_options *opts)
{
	memset(l, 0, sizeof(*l));
	l->attempts = opts && opts->lockout_attempts ? opts->lockout_attempts : 5;
	l->window = opts && opts->lockout_window > 0 ? opts->lockout_window : 60;
	l->duration = opts && opts->lockout_duration > 0 ? opts->lockout_duration : 900;
	if (pthread_mutex_init(&l->mu, NULL) != 0)
		return acct__error_set(ACCT_ERROR, "cannot create the lockout lock");
	return 0;
}

void acct__lockout_free(acct__lockout *l)
{
	size_t i;

	for (i = 0; i < l->cap; i++)
		acct__free(l->slots[i].login);
	acct__free(l->slots);
	pthread_mutex_destroy(&l->mu);
}

static size_t slot_of(const acct__lockout *l, const char *login)
{
	size_t i = (size_t)acct__hash_str_nocase(login) & (l->cap - 1);

	while (l->slots[i].login && acct__ascii_casecmp(l->slots[i].login, login) != 0)
		i = (i + 1) & (l->cap - 1);
	return i;
}

static acct__lockout_entry *find(acct__lockout *l, const char *login)
{
	size_t i;

	if (!l->cap)
		return NULL;
	i = slot_of(l, login);
	return l->slots[i].login ? &l->slots[i] : NULL;
}

/* Grow (and drop entries that no longer matter) so one more insert fits. */
static int make_room(acct__lockout *l, int64_t now)
{
	acct__lockout_entry *old = l->slots;
	size_t old_cap = l->cap, i, cap = 16;

	if ((l->used + 1) * 2 <= l->cap)
		return 0;
	while (cap < (l->used + 1) * 4)
		cap *= 2;
	l->slots = acct__calloc(cap, sizeof(*l->slots));
	if (!l->slots) {
		l->slots = old;
		return acct__error_oom();
	}
	l->cap = cap;
	l->used = 0;
	for (i = 0; i < old_cap; i++) {
		acct__lockout_entry *e = &old[i];
		if (!e->login)
			continue;
		if (e->locked_until <= now && e->window_start + l->window <= now) {
			acct__free(e->login);
			continue;
		}
		l->slots[slot_of(l, e->login)] = *e;
		l->used++;
	}
	acct__free(old);
	return 0;
}

int acct__lockout_check(acct__lockout *l, const char *login, int64_t now)
{
	acct__lockout_entry *e;
	int rc = 0;

	if (l->attempts <= 0)
		return 0;
	pthread_mutex_lock(&l->mu);
	e = find(l, login);
	if (e && e->locked_until > now)
		rc = acct__error_set(ACCT_ELOCKED, "login '%s' is locked after %d failed attempts; try again in %lld seconds",
		                     login, l->attempts, (long long)(e->locked_until - now));
	pthread_mutex_unlock(&l->mu);
	return rc;
}

void acct__lockout_record(acct__lockout *l, const char *login, int ok, int64_t now)
{
	acct__lockout_entry *e;

	if (l->attempts <= 0)
		return;
	pthread_mutex_lock(&l->mu);
	e = find(l, login);
	if (ok) {
		if (e) {
			e->failures = 0;
			e->locked_until = 0;
		}
	} else {
		if (!e && make_room(l, now) == 0) {
			/* Out of memory only means this failure is not counted. */
			size_t i = slot_of(l, login);
			if ((l->slots[i].login = acct__strdup(login)) != NULL) {
				e = &l->slots[i];
				e->failures = 0;
				e->window_start = now;
				e->locked_until = 0;
				l->used++;
			}
		}
		if (e) {
			if (now - e->window_start >= l->window) {
				e->window_start = now;
				e->failures = 0;
			}
			if (++e->failures >= l->attempts) {
				e->locked_until = now + l->duration;
				e->failures = 0;
				e->window_start = now;
			}
		}
	}
	pthread_mutex_unlock(&l->mu);
}
