/*
 * The engine: context, hierarchy index, sessions, policy, operations.
 * It knows rules and storage, nothing of XML.
 */
#ifndef ACCT_ENGINE_H
#define ACCT_ENGINE_H

#include <pthread.h>
#include <stdint.h>
#include "acct.h"
#include "acct/audit.h"
#include "acct/credential.h"
#include "acct/sys/storage.h"
#include "util/strmap.h"
#include "model/model.h"

/*
 * The hierarchy index: dense arrays by id, loaded when a context opens and
 * kept current by every write. Permission checks and scope tests read only
 * this. type[id] == 0 means no such account.
 */
typedef struct acct__index {
	uint32_t cap;            /* array length; ids are < cap */
	uint32_t next_id;        /* the next id to assign (never reused) */
	size_t count;            /* live accounts */
	uint8_t *type;
	uint16_t *status;        /* own bits (all Plesk bits fit in 16) */
	uint32_t *owner;
	uint32_t *first_child, *next_sibling, *prev_sibling;
	uint32_t *login;         /* offset into strings */
	uint32_t *external_id;   /* offset into strings, 0 = none */
	uint8_t (*guid)[16];
	uint64_t *perms;         /* account permission bits */
	char *strings;           /* NUL-terminated strings; offset 0 is "" */
	size_t strings_len, strings_cap;
	acct__idmap by_login, by_guid, by_external_id;
} acct__index;

int acct__index_init(acct__index *ix);
void acct__index_free(acct__index *ix);
/* Make room so that ids up to `max_id`, `str_bytes` of strings and `n_new`
 * table entries can be added without failing: applying a committed change
 * never runs out of memory. */
int acct__index_reserve(acct__index *ix, uint32_t max_id, size_t str_bytes, size_t n_new);
/* Add a new account's entry (after reserve). Linking to the owner is separate. */
void acct__index_put(acct__index *ix, uint32_t id, const acct__record_summary *s, uint64_t perms);
void acct__index_link(acct__index *ix, uint32_t id, uint32_t owner);
void acct__index_unlink(acct__index *ix, uint32_t id);
void acct__index_remove(acct__index *ix, uint32_t id);
void acct__index_set_login(acct__index *ix, uint32_t id, const char *login);
void acct__index_set_external_id(acct__index *ix, uint32_t id, const char *ext);
uint32_t acct__index_find_login(const acct__index *ix, const char *login);
uint32_t acct__index_find_guid(const acct__index *ix, const uint8_t guid[16]);
uint32_t acct__index_find_external_id(const acct__index *ix, const char *ext);
size_t acct__index_bytes(const acct__index *ix);

/* An acct_id as the index's 32-bit id; 0 (never an account) when out of range. */
static inline uint32_t acct__id32(acct_id id)
{
	return id > 0 && id < (acct_id)UINT32_MAX - 1 ? (uint32_t)id : 0;
}

static inline int acct__index_has(const acct__index *ix, acct_id id)
{
	return id > 0 && id < (acct_id)ix->cap && ix->type[id] != 0;
}
static inline const char *acct__index_login(const acct__index *ix, uint32_t id)
{
	return ix->strings + ix->login[id];
}
/* Own status OR the status of every ancestor. */
unsigned int acct__index_effective_status(const acct__index *ix, uint32_t id);
/* Is `id` equal to `root` or below it? */
int acct__index_in_subtree(const acct__index *ix, uint32_t root, uint32_t id);

/* catalog.c: every permission name a context knows, built-in or registered,
 * with the bit it has in the index. Bit spaces: account permissions (granted
 * to resellers and customers), role permissions (users), partner operations. */
enum { ACCT__SPACE_ACCOUNT = 0, ACCT__SPACE_ROLE = 1, ACCT__SPACE_PARTNER = 2 };
/* Built-in names take bits in the order of their tables (model/perm.c). */
#define ACCT__BIT_CREATE_CLIENTS 0
#define ACCT__BIT_USER_MANAGEMENT 0

typedef struct acct__perm {
	char *name;
	char *label;
	int catalog;           /* ACCT_CATALOG_* or a host catalog; 0 = seen in the store, not registered */
	int space, bit;
	unsigned int writable_by;
	int reseller_only;
	int needs;             /* role space: the account bit the owner must hold, or -1 */
} acct__perm;

typedef struct acct__catalogs {
	acct__perm *perms;
	size_t n, cap;
	uint32_t *slots;       /* hash of names: index + 1, 0 empty */
	size_t nslots;
	char **host;           /* host catalog names; catalog id = 4 + index */
	size_t nhost;
	int used[3];           /* bits used per space */
	uint64_t role_needs[64]; /* per role bit: the account bit its owner needs (0 = none) */
	uint64_t defaults[5];  /* per account type: account bits granted on creation (built-in or registered) */
} acct__catalogs;

int acct__catalogs_init(acct__catalogs *c);
void acct__catalogs_free(acct__catalogs *c);
const acct__perm *acct__perm_find(const acct__catalogs *c, const char *name);
/* The bit for a name read from the store, adding an unregistered entry when
 * new: -1 (and nothing added) when the space is full or memory is short. */
int acct__perm_bit_seen(acct__catalogs *c, const char *name, size_t len, int space);
/* Bits of `names` (a name set) in `space`; new names are added as seen. */
int acct__perm_bits(acct__catalogs *c, const acct_buf *names, int space, uint64_t *bits);

/* roles.c: the role table, loaded with the index. */
typedef struct acct__role {
	uint32_t id;
	uint32_t owner;
	char *name;
	uint64_t bits;         /* role-space bits */
	int builtin, editable;
} acct__role;

typedef struct acct__roles {
	acct__role *v;         /* sorted by id */
	size_t n, cap;
	uint32_t next_id;
} acct__roles;

void acct__roles_free(acct__roles *r);
const acct__role *acct__role_get(const acct__roles *r, uint32_t id);
struct acct_ctx;
int acct__role_entry(struct acct_ctx *ctx, acct__role *e, uint32_t id, const acct__role_record *rec);
int acct__roles_insert(acct__roles *r, const acct__role *e);
void acct__roles_erase(acct__roles *r, uint32_t id);
/* Load every role (inside a transaction); write the built-in ones into a new store. */
int acct__roles_load(struct acct_ctx *ctx, acct__roles *out);
int acct__roles_init_store(struct acct_ctx *ctx);

/* Addresses in the pools of accounts other than the admin, to keep exclusive
 * ones exclusive without reading every record. Loaded with the index. */
typedef struct acct__ipuse {
	char addr[48];
	uint32_t account;
	int type;
} acct__ipuse;

typedef struct acct__ipuses {
	acct__ipuse *v;
	size_t n, cap;
} acct__ipuses;

/* A limit a change would reach, for the policy to weigh. */
typedef struct acct__quota {
	const char *limit;
	uint32_t holder;          /* the reseller whose limit it is */
	int64_t cap;              /* its value */
	int64_t total;            /* the total after the change; -1 = infinite */
	int oversell;             /* the holder may oversell (never for max_cl) */
} acct__quota;

/* credential_ops.c: secret keys, API logins and reset tokens, all in memory
 * (there are few) and in the store under "c" + 8-byte id; "w" is the next id. */
enum { ACCT__CRED_KEY = 1, ACCT__CRED_APILOGIN = 2, ACCT__CRED_TOKEN = 3 };

typedef struct acct__cred {
	uint32_t id, account;
	int kind;
	uint8_t hash[32];      /* keys and tokens: SHA-256 of the secret */
	char *text;            /* keys: client addresses, comma-separated; API logins: the login */
	char *description;     /* keys */
	char *pw_hash;         /* API logins: scrypt of the password */
	int role, enabled;     /* API logins */
	int64_t expires;       /* tokens */
	acct_buf unknown;      /* TLVs of a newer libacct, kept */
} acct__cred;

typedef struct acct__creds {
	acct__cred *v;         /* sorted by id */
	size_t n, cap;
	uint32_t next_id;
} acct__creds;

void acct__creds_free(acct__creds *c);
const acct__cred *acct__cred_get(const acct__creds *c, uint32_t id);
int acct__creds_load(struct acct_ctx *ctx, acct__creds *out);
/* Delete (inside a write transaction) the credentials of the accounts in ids[]. */
int acct__creds_delete_accounts(struct acct_ctx *ctx, const uint32_t *ids, size_t n);
/* After that commit: forget them in memory. */
void acct__creds_forget_accounts(acct__creds *c, const acct__index *ix);

/* lockout.c: failed password checks per login, in memory. */
typedef struct acct__lockout_entry {
	char *login;            /* lower-cased; NULL = free slot */
	int failures;
	int64_t window_start;
	int64_t locked_until;
} acct__lockout_entry;

typedef struct acct__lockout {
	pthread_mutex_t mu;
	acct__lockout_entry *slots;
	size_t cap, used;
	int attempts, window, duration; /* attempts <= 0: off */
} acct__lockout;

int acct__lockout_init(acct__lockout *l, const acct_ctx_options *opts);
void acct__lockout_free(acct__lockout *l);
/* ACCT_ELOCKED (with a message) while `login` is locked at `now`, else 0. */
int acct__lockout_check(acct__lockout *l, const char *login, int64_t now);
/* Record the outcome of a password check. */
void acct__lockout_record(acct__lockout *l, const char *login, int ok, int64_t now);

/* session.c: verified logins remembered for auth_cache_seconds (off by
 * default). A slot holds a keyed SHA-256 of login and password, the account
 * and the store generation it was verified at; any write forgets it. */
typedef struct acct__authcache_entry {
	uint8_t digest[32];
	uint32_t id;
	uint64_t gen;
	int64_t expires;
} acct__authcache_entry;

typedef struct acct__authcache {
	pthread_mutex_t mu;
	int ttl;                     /* 0: off */
	int ready;                   /* mu was initialised */
	int64_t refreshed;           /* when the store generation was last read */
	uint8_t key[32];
	acct__authcache_entry slots[256];
} acct__authcache;

int acct__authcache_init(acct__authcache *c, int ttl);
void acct__authcache_free(acct__authcache *c);

/* The agent's settings on a context (acct_agent_configure), copied by each
 * packet under agent_mu so a change never tears a packet's view. */
typedef struct acct__agent_conf {
	size_t max_packet_bytes, max_elements, max_text;
	unsigned int max_depth, max_operations;
	int pretty;
	char server_name[256];   /* "" = the host name */
} acct__agent_conf;

struct acct_ctx {
	acct_storage *st;
	pthread_rwlock_t lock;      /* index: readers in parallel, writers alone */
	pthread_mutex_t st_lock;    /* readers take turns on the backend */
	acct__index ix;
	acct__roles roles;          /* loaded and swapped together with ix */
	acct__ipuses ipuse;         /* likewise */
	acct__creds creds;          /* likewise */
	acct_audit_fn audit;        /* the host's audit callback, or NULL */
	void *audit_payload;
	acct__catalogs cat;
	uint64_t gen;               /* the store generation the index reflects */
	int password_cost;
	acct_clock_fn clock;
	void *clock_payload;
	char *dummy_hash;           /* verified for unknown logins, so timing does not tell */
	acct__lockout lockout;
	pthread_mutex_t agent_mu;
	acct__agent_conf agent;     /* zeros: the defaults */
	acct__authcache authcache;
};

struct acct_session {
	acct_ctx *ctx;
	uint32_t actor;
	uint32_t apilogin;          /* API login sessions: the credential's id (its role is read when used) */
};

/* ctx.c */
int64_t acct__now(const acct_ctx *ctx);
/* Load the whole index from the store inside an open transaction. */
int acct__ctx_load(acct_ctx *ctx);
/* Read the store generation inside an open transaction. */
int acct__ctx_read_gen(acct_ctx *ctx, uint64_t *gen);
/* Store keys of records: one prefix byte ('a' accounts, 'r' roles,
 * 'c' credentials) and the id in 8 bytes big-endian, so keys sort by id. */
void acct__key(unsigned char key[9], char prefix, uint64_t id);
/* The id of a record key; ACCT_EPARSE when it is not one. */
int acct__key_id(uint64_t *id, const acct_buf *key);
/* 8-byte counters under one-byte keys ("g", "n", "q", "w"); absent reads as 0. */
int acct__counter_get(acct_ctx *ctx, const unsigned char *key, uint64_t *v);
int acct__counter_put(acct_ctx *ctx, const unsigned char *key, uint64_t v);
/* Write transaction bracket: takes the write lock, begins, brings the index up to
 * date, bumps the generation. end() commits (rc == 0) or rolls back, and unlocks. */
int acct__write_begin(acct_ctx *ctx);
int acct__write_end(acct_ctx *ctx, int rc);
/* Take the next id and advance the stored counter (inside a write transaction). */
int acct__write_next_id(acct_ctx *ctx, uint32_t *id);
int acct__write_next_role_id(acct_ctx *ctx, uint32_t *id);
/* Release the write lock taken by acct__write_begin(). */
void acct__write_unlock(acct_ctx *ctx);
/* Read bracket for operations that read records: read lock + backend turn. */
int acct__read_begin(acct_ctx *ctx);
void acct__read_end(acct_ctx *ctx);
/* Load one record inside a transaction. */
int acct__load_record(acct_ctx *ctx, uint32_t id, acct_account **out);
int acct__store_record(acct_ctx *ctx, const acct_account *a);

/* policy.c: the one place that says yes or no. */
typedef enum {
	ACCT__OP_READ = 1,
	ACCT__OP_CREATE,      /* target = the new account's owner, type = its type */
	ACCT__OP_EDIT,        /* contact data, password, descriptions */
	ACCT__OP_EDIT_LOGIN,  /* login, external id */
	ACCT__OP_STATUS,      /* status_from -> status_to */
	ACCT__OP_DELETE,
	ACCT__OP_CHANGE_OWNER,/* new_owner */
	ACCT__OP_CONVERT,     /* type = the type to convert to */
	ACCT__OP_DESCRIBE,    /* write the description by `author` */
	ACCT__OP_CHECK,       /* use `perm` on target */
	ACCT__OP_GRANT,       /* grant or revoke account permission `perm` on target */
	ACCT__OP_ROLE_CREATE, /* target = the role's owner */
	ACCT__OP_ROLE_DELETE, /* role; target = its owner */
	ACCT__OP_ROLE_PERMISSION, /* set `perm` in role; target = its owner */
	ACCT__OP_ROLE_READ,   /* role; target = its owner */
	ACCT__OP_ROLE_ASSIGN, /* give or take `role` to user target */
	ACCT__OP_LIMIT,       /* set `limit` of target */
	ACCT__OP_RESOURCE_POLICY, /* set a reseller's resource policy */
	ACCT__OP_IP_ADD,      /* `ip` into target's pool */
	ACCT__OP_IP_REMOVE,   /* `ip` out of target's pool */
	ACCT__OP_CREDENTIAL,  /* manage target's keys and API logins; type = a Partner role being given, or 0 */
	ACCT__OP_RESET,       /* create a password reset token for target */
	ACCT__OP_LIST         /* list the children of target */
} acct__op;

/* Why a request was refused: the first failing rule of spec/policy.md section 5.
 * The values are those of the public acct_deny_kind (acct/perm.h). */
typedef enum {
	ACCT__DENY_NONE = 0,
	ACCT__DENY_SESSION = 1,   /* the actor's session or credential is not valid */
	ACCT__DENY_DISABLED = 2,  /* the actor is effectively disabled */
	ACCT__DENY_OBJECT = 3,    /* the target is absent or outside scope */
	ACCT__DENY_METHOD = 4,    /* the actor does not hold the permission */
	ACCT__DENY_RULE = 5       /* the operation's own rule */
} acct__deny;

typedef struct acct__request {
	acct__op op;
	uint32_t target;
	int type;
	uint32_t new_owner;
	unsigned int status_from, status_to;
	uint32_t author;
	int activating;           /* STATUS: an activate, which must leave no disable bit behind */
	const acct__perm *perm;   /* CHECK, GRANT, ROLE_PERMISSION */
	int granted;              /* GRANT, ROLE_PERMISSION, ROLE_ASSIGN: 1 give, 0 take away */
	const acct__role *role;   /* ROLE_*: the role acted on (NULL for ROLE_CREATE) */
	const acct__quota *quotas;/* CREATE, CHANGE_OWNER, LIMIT: limits the change reaches */
	size_t nquotas;
	const char *missing_ip;   /* CHANGE_OWNER: an address of the account not in the new owner's pool */
	const char *ip;           /* IP: the address */
	int ip_in_owner_pool;     /* IP add: the address is in the pool owner's owner's pool */
	uint32_t ip_conflict;     /* IP add: another account holding it against exclusivity, or 0 */
	uint32_t ip_child;        /* IP remove: an account below still holding it, or 0 */
	size_t role_users;        /* ROLE_DELETE: users the role is still given to */
	size_t reseller_logins;   /* CONVERT: API logins of the account with a reseller role */
	const char *limit;        /* LIMIT: the name */
	int64_t limit_value;
} acct__request;

/* How decisions are reported: a message only when someone will read it. */
typedef struct acct__verdict {
	int quiet;                /* no message: acct_check's fast path */
	acct__deny why;
} acct__verdict;

/* 0 when allowed; otherwise an ACCT_E* code (with the message unless quiet). */
int acct__policy_decide(const acct_session *s, const acct__request *rq, acct__verdict *v);
/* May the session see `target` at all (scope)? Used to filter listings. */
int acct__policy_visible(const acct_session *s, uint32_t target);
/* May an account of `owner_type` own one of `type` (the owner type rules)? */
int acct__policy_may_own(int owner_type, int type);
/* May account `id` open a session (exists, not effectively disabled)? 0 or an error with a message. */
int acct__policy_login(const acct__index *ix, uint32_t id);
/* The status bit an actor uses to suspend (16, 32 or 64), or 0. */
unsigned int acct__policy_suspend_bit(const acct__index *ix, uint32_t actor);
/* The status bits `actor` may set and clear on `target`. */
unsigned int acct__policy_status_bits(const acct__index *ix, uint32_t actor, uint32_t target);
/* Role-space bits account `id` holds (users: roles within the owner's; others: by account permissions). */
uint64_t acct__policy_role_bits(const acct_ctx *ctx, uint32_t id);

/* Is `in_use` within `value` for limit `name` (expiration: a time before it)? */
int acct__policy_limit_allows(const char *name, int64_t value, int64_t in_use);

/* limit_ops.c: facts the policy weighs for creates and moves. */
void acct__ipuses_free(acct__ipuses *u);
int acct__ipuses_add(acct__ipuses *u, const char *addr, uint32_t account, int type);
void acct__ipuses_drop_account(acct__ipuses *u, uint32_t account);
/* Quotas a new customer (or a moved one, `moved` != NULL) brings to reseller `holder`. */
int acct__quotas_for(acct_ctx *ctx, uint32_t holder, const acct_account *moved, acct__quota *q, size_t *n);
/* The quotas of reseller `holder` as the store holds them now (inside the transaction). */
int acct__quotas_now(acct_ctx *ctx, uint32_t holder, acct__quota *q, size_t *n);

/* audit.c: report an operation's outcome to the host; returns rc. Call with no lock held. */
int acct__audited(acct_ctx *ctx, uint32_t actor, const char *op, acct_id target, const char *detail, int rc);
#define ACCT__AUDIT(s, op, target, rc) acct__audited((s)->ctx, (s)->actor, (op), (target), NULL, (rc))

/* iterator.c: the snapshot of ids behind every id iterator (accounts, roles,
 * keys, API logins); each public iterator struct is exactly one of these. */
typedef struct acct__ids {
	uint32_t *ids;
	size_t n, pos;
} acct__ids;
int acct__ids_next(acct_id *id_out, acct__ids *it);
void acct__ids_free(acct__ids *it);

/* account_ops.c: ask the policy with a message for the caller. */
int acct__decide(acct_session *s, acct__request *rq);

/* session.c */
int acct__session_check(acct_session *s);
/* The type, login and GUID of any account, whatever the session's scope (the
 * agent shows an owner's login and GUID). Either out may be NULL. */
int acct__account_ident(acct_ctx *ctx, acct_id id, int *type, char login[256], char guid[37]);

/* login_session.c: panel login sessions (Plesk server create_session and the
 * session operator), stored under "l" + 8 bytes of their random id. */
typedef struct acct__login_session {
	char id[33];              /* 32 hex digits */
	acct_id account;
	char login[256];
	char ip[48];
	int64_t created;
} acct__login_session;

int acct__login_session_create(char id_out[33], acct_session *s, const char *login, const char *ip);
/* Every session of an account the session may manage, oldest first. Free *out with acct__free. */
int acct__login_session_list(acct__login_session **out, size_t *n, acct_session *s);
int acct__login_session_terminate(acct_session *s, const char *id);

#endif
