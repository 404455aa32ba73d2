/**
 * @file acct/limit.h
 * @brief Limits, the reseller resource policy, IP pools and custom buttons.
 *
 * Limits are named int64 values (sizes in bytes; -1 unlimited), as in Plesk:
 * max_cl, max_dom, max_subdom, max_dom_aliases, disk_space, max_traffic,
 * max_wu, max_db, max_box, mbox_quota, max_maillists, max_webapps and
 * expiration (a Unix time). libacct enforces max_cl (customers a reseller may
 * own) and the reseller sum rule; the others are stored and checked on
 * request with acct_limit_check() for hosts that own the resources.
 *
 * The sum rule: for each limit a reseller has set to a finite value, the
 * values its customers have set for that limit (-1 counting as infinite)
 * add up to no more than the reseller's own, unless the reseller's resource
 * policy allows overselling. A limit never set on a customer does not count.
 * It is enforced when limits change and when a customer moves to a reseller.
 */
#ifndef ACCT_LIMIT_H
#define ACCT_LIMIT_H

#include "common.h"
#include "buf.h"
#include "session.h"

ACCT_BEGIN_DECL

/** The value of a limit that has no bound. */
#define ACCT_UNLIMITED ((int64_t)-1)

/** Number of limit names libacct knows. */
ACCT_EXTERN(size_t) acct_limit_count(void);

/**
 * The name of limit number @p index (0-based), e.g. "max_dom"; static,
 * or NULL past the end. Every name applies to resellers and customers;
 * max_cl to resellers only.
 */
ACCT_EXTERN(const char *) acct_limit_name(size_t index);

/**
 * Set limit @p name of reseller or customer @p target to @p value (-1 for
 * unlimited). The admin sets limits in scope; a reseller sets its
 * customers' limits within its own (the sum rule); nobody sets its own.
 * @return 0; ACCT_ELIMIT with the numbers when the sum rule or max_cl would
 *         break; ACCT_EINVALID (unknown name, value < -1, max_cl on a
 *         customer); ACCT_EDENIED; ACCT_ENOTFOUND; storage errors
 */
ACCT_EXTERN(int) acct_limit_set(acct_session *s, acct_id target, const char *name, int64_t value);

/**
 * Remove limit @p name from @p target, so it no longer counts in its
 * owner's sums (and reads as unlimited).
 * @return 0, as acct_limit_set()
 */
ACCT_EXTERN(int) acct_limit_unset(acct_session *s, acct_id target, const char *name);

/**
 * Read limit @p name of @p target.
 * @param value_out  receives the value; -1 when unlimited or never set
 * @param is_set_out receives 1 when the limit was set explicitly (may be NULL)
 * @return 0, ACCT_EINVALID (unknown name), ACCT_ENOTFOUND
 */
ACCT_EXTERN(int) acct_limit_get(int64_t *value_out, int *is_set_out, acct_session *s, acct_id target, const char *name);

/**
 * For a host that owns the resource: may @p target use @p in_use units of
 * @p name? Allowed when the limit is unlimited or @p in_use is at most the
 * limit. For "expiration", @p in_use is a Unix time that must be before the
 * target's expiration and every ancestor's.
 * @param allowed_out  1 or 0; 0 on any error
 * @return 0 whether allowed or not; ACCT_EINVALID, ACCT_ENOTFOUND
 */
ACCT_EXTERN(int) acct_limit_check(int *allowed_out, acct_session *s, acct_id target, const char *name, int64_t in_use);

/** What happens when a reseller uses more than its limits. Append-only. */
typedef enum {
	ACCT_OVERUSE_BLOCK = 1,
	ACCT_OVERUSE_NOTIFY = 2,
	ACCT_OVERUSE_NORMAL = 3,
	ACCT_OVERUSE_NOT_SUSPEND = 4,
	ACCT_OVERUSE_NOT_SUSPEND_NOTIFY = 5
} acct_overuse;

/** Plesk's name for an overuse policy ("block", "not_suspend_notify", ...), or NULL. */
ACCT_EXTERN(const char *) acct_overuse_name(int overuse);

/**
 * Set the resource policy of reseller @p reseller (admin only): @p oversell
 * lets the sum of its customers' limits exceed its own; @p overuse is an
 * acct_overuse value, stored for the host.
 * @return 0, ACCT_EINVALID, ACCT_EDENIED, ACCT_ENOTFOUND, storage errors
 */
ACCT_EXTERN(int) acct_reseller_policy_set(acct_session *s, acct_id reseller, int oversell, int overuse);

/** Read a reseller's resource policy (defaults: no oversell, ACCT_OVERUSE_NORMAL). */
ACCT_EXTERN(int) acct_reseller_policy_get(int *oversell_out, int *overuse_out, acct_session *s, acct_id reseller);

/** IP address types in a pool. Append-only. */
typedef enum {
	ACCT_IP_SHARED = 1,    /**< may also be in other pools */
	ACCT_IP_EXCLUSIVE = 2  /**< in one branch only: its holder's pool and pools below it, no other reseller's or customer's */
} acct_ip_type;

/**
 * Put IPv4 or IPv6 address @p ip (validated, stored in canonical form) into
 * the pool of @p account. The admin's pool is the server's address list;
 * any other account's addresses must be in its owner's pool. Only the
 * account's owner (or the admin) changes a pool.
 * @return 0; ACCT_EEXISTS (already in this pool, or exclusive elsewhere);
 *         ACCT_EINVALID (not an IP address, or not in the owner's pool);
 *         ACCT_EDENIED; ACCT_ENOTFOUND; storage errors
 */
ACCT_EXTERN(int) acct_ip_add(acct_session *s, acct_id account, const char *ip, int type);

/**
 * Change the type of an address in a pool (Plesk ippool-set-ip).
 * @return as acct_ip_add(); ACCT_ENOTFOUND when it is not in the pool
 */
ACCT_EXTERN(int) acct_ip_set_type(acct_session *s, acct_id account, const char *ip, int type);

/**
 * Take @p ip out of the pool of @p account. Refused while an account the
 * pool's owner owns still has it.
 * @return 0, ACCT_ENOTFOUND, ACCT_EDENIED, storage errors
 */
ACCT_EXTERN(int) acct_ip_remove(acct_session *s, acct_id account, const char *ip);

typedef struct acct_ip_iterator acct_ip_iterator;

/**
 * Iterate over the pool of @p account (a snapshot, in the order added).
 * @param out  receives the iterator (owned; release with acct_ip_iterator_free())
 */
ACCT_EXTERN(int) acct_ip_iterator_new(acct_ip_iterator **out, acct_session *s, acct_id account);

/**
 * The next address.
 * @param ip_out    receives the address (borrowed from the iterator; valid until the next call)
 * @param type_out  receives its acct_ip_type value; may be NULL
 * @return 0 or ACCT_ITEROVER
 */
ACCT_EXTERN(int) acct_ip_iterator_next(const char **ip_out, int *type_out, acct_ip_iterator *it);

/** Free an IP iterator. Accepts NULL. */
ACCT_EXTERN(void) acct_ip_iterator_free(acct_ip_iterator *it);

/**
 * Add a custom button (a label and an http or https URL) to @p account.
 * Whoever may edit the account may do this.
 * @param id_out  receives the button's id, unique within the account
 * @return 0, ACCT_EINVALID, ACCT_EDENIED, ACCT_ENOTFOUND, storage errors
 */
ACCT_EXTERN(int) acct_button_add(int64_t *id_out, acct_session *s, acct_id account, const char *label, const char *url);

/** Remove button @p id from @p account. @return 0, ACCT_ENOTFOUND, ... */
ACCT_EXTERN(int) acct_button_remove(acct_session *s, acct_id account, int64_t id);

typedef struct acct_button_iterator acct_button_iterator;

/** Iterate over the buttons of @p account, by id (a snapshot). */
ACCT_EXTERN(int) acct_button_iterator_new(acct_button_iterator **out, acct_session *s, acct_id account);

/**
 * The next button; the strings are borrowed from the iterator and valid
 * until the next call. @return 0 or ACCT_ITEROVER
 */
ACCT_EXTERN(int) acct_button_iterator_next(int64_t *id_out, const char **label_out, const char **url_out,
                                           acct_button_iterator *it);

/** Free a button iterator. Accepts NULL. */
ACCT_EXTERN(void) acct_button_iterator_free(acct_button_iterator *it);

ACCT_END_DECL

#endif
