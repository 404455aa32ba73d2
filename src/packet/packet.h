/*
 * Packets: the Plesk XML API codec. It knows XML and the protocol, nothing
 * of storage or rules. Requests and responses are typed models shared by
 * both directions: the client encodes requests and decodes responses, the
 * agent decodes requests and encodes responses, through the same tables.
 */
#ifndef ACCT_PACKET_INTERNAL_H
#define ACCT_PACKET_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "acct.h"

/* ---- field slots: every acct_field and acct_pfield value in one array ---- */
#define ACCT__PF_FIRST 100
#define ACCT__PF_LAST ACCT_PFIELD_SERVER_NAME
#define ACCT__NSLOTS (ACCT_FIELD_LAST + 1 + (ACCT__PF_LAST - ACCT__PF_FIRST + 1))

static inline int acct__slot(int field)
{
	if (field >= ACCT_FIELD_FIRST && field <= ACCT_FIELD_LAST)
		return field;
	if (field >= ACCT__PF_FIRST && field <= ACCT__PF_LAST)
		return ACCT_FIELD_LAST + 1 + (field - ACCT__PF_FIRST);
	return -1;
}

/* ---- protocol versions ---- */
/* A version as one number, 1.6.9.1 -> 0x01060901; 0 when malformed. */
uint32_t acct__version_parse(const char *s);
#define ACCT__V(a, b, c, d) ((uint32_t)(((a) << 24) | ((b) << 16) | ((c) << 8) | (d)))
#define ACCT__V_NEWEST ACCT__V(1, 6, 9, 1)
extern const char *const acct__protos[];   /* every version libacct answers to, NULL-terminated */

/* ---- the schema tables (schema.c) ---- */
enum { ACCT__STYLE_CUSTOMER, ACCT__STYLE_RESELLER, ACCT__STYLE_CLIENT, ACCT__STYLE_USER, ACCT__STYLE_OTHER };

typedef struct acct__opinfo {
	int op;
	const char *operator_name;
	const char *operation;
	uint32_t since, until;   /* version range (until 0: still current) */
	unsigned int filters;    /* bits (1 << acct_filter_kind) of the filter kinds taken; 0: no filter */
	unsigned int datasets;   /* datasets of a get */
	int style;
} acct__opinfo;

const acct__opinfo *acct__op_info(int op);
const acct__opinfo *acct__op_find(const char *operator_name, const char *operation);
/* Is `operator_name` an operator libacct knows? Is `operation` one Plesk has that libacct does not? */
int acct__operator_known(const char *operator_name);
/* The table's own (static) spelling of a known operator, or NULL. */
const char *acct__op_operator_name(const char *operator_name);
int acct__operation_unsupported(const char *operator_name, const char *operation);
/* Is operator `name` (or op) available at `version` (0: unversioned, always)? */
int acct__op_in_version(const acct__opinfo *oi, uint32_t version);

/* One element of a gen-info block: its name, the field, where it may appear. */
enum {
	ACCT__GF_ADD = 1,        /* in add requests */
	ACCT__GF_SET = 2,        /* in set requests */
	ACCT__GF_GET = 4,        /* in get replies */
	ACCT__GF_REQUIRED = 8,   /* required in add requests */
	ACCT__GF_ALWAYS = 16,    /* emitted in get replies even when empty */
	ACCT__GF_CONTACT = 32    /* users: inside contact-info */
};
typedef struct acct__gfield {
	const char *name;
	int field;
	unsigned int flags;
} acct__gfield;

/* The gen-info table of a style for a purpose (ACCT__GF_ADD, _SET or _GET), in
 * schema order; customer and reseller tables serve all three purposes. */
const acct__gfield *acct__gen_fields(int style, int purpose, size_t *n);
/* The element name of the gen-info block: gen_info or gen-info. */
const char *acct__gen_name(int style);
const char *acct__filter_name(int kind);
int acct__filter_kind(const char *name);
const char *acct__dataset_name(int style, unsigned int dataset);
extern const unsigned int acct__dataset_order[];  /* schema order of <dataset> children, 0-terminated */

/*
 * The shape of a request operation: its children in schema order. VALUES
 * opens <values>, END closes it. IPS parts carry IP items (field: 4 or 6 to
 * take only that family; 0 any); their name is the item element.
 */
enum {
	ACCT__P_FILTER = 1, ACCT__P_DATASET, ACCT__P_GEN, ACCT__P_VALUES, ACCT__P_END, ACCT__P_FIELD, ACCT__P_LIMITS,
	ACCT__P_PERMISSIONS, ACCT__P_ROLES, ACCT__P_IPS, ACCT__P_SERVER_DATASETS, ACCT__P_SESSION_DATA
};
enum {
	ACCT__PART_REQUIRED = 1,
	ACCT__PART_REPEAT = 2,
	ACCT__PART_CHOICE = 4    /* this field or the next one, exactly one (reseller-id | external-id) */
};
typedef struct acct__part {
	int kind;
	const char *name;
	int field;               /* FIELD: the field; GEN: the purpose; IPS: the family */
	unsigned int flags;
} acct__part;
/* Terminated by a part of kind 0. */
const acct__part *acct__op_shape(int op);

/* ---- typed requests (request.c builds and encodes, decode.c parses) ---- */
typedef struct acct__ritem {
	int kind;
	char *name, *value;
} acct__ritem;

typedef struct acct__reqop {
	int op;
	size_t group;            /* index of its operator element */
	long line;               /* where it was read (decoded requests) */
	int filter_kind;         /* -1: no filter element */
	char **filter;
	size_t nfilter, capfilter;
	unsigned int datasets;
	char *f[ACCT__NSLOTS];   /* field values; NULL unset */
	acct__ritem *items;
	size_t nitems, capitems;
	int has_limits, has_permissions, has_roles; /* the element was present (maybe empty) */
	/* decoded only: a request the agent must refuse with 1017 or 1019 */
	int reject_code;
	char *reject_text;
	/* decoded only: an operation libacct does not implement (op 0), echoed by name */
	const char *operator_name;
	char *operation_name;
} acct__reqop;

struct acct_request {
	char *version;
	acct__reqop *ops;
	size_t n, cap;
	size_t groups;
	int pretty;
};

void acct__reqop_clear(acct__reqop *o);
int acct__reqop_set(acct__reqop *o, int field, const char *value, size_t len);
int acct__reqop_item(acct__reqop *o, int kind, const char *name, const char *value);
int acct__reqop_filter(acct__reqop *o, const char *value, size_t len);

/* Limits on one packet (the agent's options, resolved). */
typedef struct acct__plimits {
	size_t max_bytes, max_elements, max_text;
	unsigned int max_depth, max_operations;
} acct__plimits;
void acct__plimits_default(acct__plimits *l);

/*
 * Decode a request packet; `version_text` receives the packet's version
 * attribute when it is one libacct speaks, even when decoding fails later
 * (error replies echo it). On a system error (1005, 1014) returns the
 * ACCT_E* code with the message set and `*req_out` NULL; operations that
 * are well-formed but unsupported at the packet's version come back with
 * reject_code set, to be answered per result.
 */
int acct__request_decode(acct_request **req_out, uint32_t *version_out, char version_text[48], const char *xml,
                         size_t len, const acct__plimits *lim);

/* ---- typed responses (response.c) ---- */
typedef struct acct__pair {
	const char *el, *val;
} acct__pair;

typedef struct acct__item {
	int kind;
	size_t p0, np;           /* its pairs in the response's pair array */
} acct__item;

struct acct_result {
	int op;
	size_t operation;
	int ok, errcode;
	const char *errtext, *filter_id;
	acct_id id;
	unsigned int data;       /* datasets present in <data> (emitted even when empty) */
	int no_data;             /* an empty match: status only */
	const char *f[ACCT__NSLOTS];
	size_t i0, ni;           /* its items in the response's item array */
	const struct acct_response *resp;
};

typedef struct acct__chunk acct__chunk;

typedef struct acct__respop {
	int op;
	size_t group;
	char *operator_name, *operation; /* as read (client side; unknown operations too) */
} acct__respop;

struct acct_response {
	char *version;
	int sys_code;
	const char *sys_text;
	acct__respop *ops;
	size_t nops, capops;
	acct_result *r;
	size_t n, cap;
	acct__item *items;
	size_t nitems, capitems;
	acct__pair *pairs;
	size_t npairs, cappairs;
	acct__chunk *arena;
	uint32_t wire_version;   /* the version replies are encoded for (legacy spellings) */
};

/* Building (the agent). Strings are copied into the response's arena. */
int acct__response_init(acct_response *r, const char *version);
void acct__response_dispose(acct_response *r);
int acct__response_op(acct_response *r, int op, size_t group);
acct_result *acct__response_result(acct_response *r, const char *filter_id);
int acct__result_fail(acct_response *r, acct_result *res, int code, const char *text);
int acct__result_failed_last(acct_response *r, acct_result *res);  /* from acct_error_last() */
int acct__result_set(acct_response *r, acct_result *res, int field, const char *value);
int acct__result_setn(acct_response *r, acct_result *res, int field, int64_t value);
/* Start an item; its pairs follow with acct__item_pair. */
int acct__item_begin(acct_response *r, acct_result *res, int kind);
int acct__item_pair(acct_response *r, const char *el, const char *val);
const char *acct__response_strdup(acct_response *r, const char *s, size_t len);
/* Encode (system error or results) as a reply packet. */
int acct__response_encode(acct_buf *out, const acct_response *r, int pretty);
/* Encode a system error without a response model. */
int acct__system_error_encode(acct_buf *out, const char *version, int errcode, const char *text, int pretty);

/* ---- XML (xml.c): the hardened parser and the writer ---- */
typedef struct _xmlDoc *acct__xmldoc;
typedef struct _xmlNode *acct__xmlnode;
/* Parse with no DTD, no entities, no network, and the limits; ACCT_EPARSE with line and reason. */
int acct__xml_parse(acct__xmldoc *doc_out, const char *xml, size_t len, const acct__plimits *lim);
void acct__xml_free(acct__xmldoc doc);

typedef struct acct__xw {
	acct_buf *out;
	int pretty, depth, err;
} acct__xw;
void acct__xw_open(acct__xw *w, const char *name);
void acct__xw_close(acct__xw *w, const char *name);
void acct__xw_empty(acct__xw *w, const char *name);
void acct__xw_text(acct__xw *w, const char *name, const char *text);  /* <name>escaped</name> */
void acct__xw_raw(acct__xw *w, const char *s);
void acct__xw_header(acct__xw *w, const char *version);
int acct__xw_finish(acct__xw *w);
/*
 * A gen-info block named `name`: the fields of table `g` flagged for
 * `purpose`, with their values from `f` (by slot), in table order; users'
 * contact fields inside <contact-info>. With `always`, the block is written
 * even when empty and fields flagged ACCT__GF_ALWAYS are written empty when
 * unset (replies); without, only set fields are, and nothing at all when
 * none is (requests). Returns how many fields were written.
 */
size_t acct__gen_encode(acct__xw *w, const char *name, const acct__gfield *g, size_t n, unsigned int purpose,
                        const char *const *f, int always);

/* Base64 (create_session carries the user's address in it). Decoding
 * returns ACCT_EINVALID for anything that is not base64. */
int acct__base64_encode(acct_buf *out, const void *data, size_t len);
int acct__base64_decode(acct_buf *out, const char *text, size_t len);

#endif
