/**
 * @file acct/packet.h
 * @brief Plesk XML API packets for clients: typed request builders and
 *        typed response readers (docs/protocol.md).
 *
 * A C program builds a request without writing XML: acct_request_add()
 * starts an operation (ACCT_OP_*), and the filter, dataset, field and item
 * calls that follow fill it. acct_request_encode() emits the packet with
 * every element in schema order and the operator's own spelling (gen_info
 * or gen-info, ip_address or ip-address). A reply is read back with
 * acct_response_parse(): one acct_result per <result>, in document order,
 * with its status, errcode, errtext, filter-id, id, and every data field
 * under the same field numbers used to build requests.
 *
 * The server side of the same protocol is acct_agent_handle() (acct/agent.h).
 */
#ifndef ACCT_PACKET_H
#define ACCT_PACKET_H

#include "common.h"
#include "buf.h"

ACCT_BEGIN_DECL

/**
 * Operations: operator * 100 + operation. Append-only within each operator.
 * The names in brackets are the element names on the wire.
 */
typedef enum {
	ACCT_OP_CUSTOMER_ADD = 101,                 /**< customer add */
	ACCT_OP_CUSTOMER_GET = 102,                 /**< customer get */
	ACCT_OP_CUSTOMER_SET = 103,                 /**< customer set */
	ACCT_OP_CUSTOMER_DEL = 104,                 /**< customer del */
	ACCT_OP_CUSTOMER_CONVERT_TO_RESELLER = 105, /**< customer convert-to-reseller */
	ACCT_OP_CUSTOMER_CHANGE_OWNER = 106,        /**< customer change-owner */
	ACCT_OP_CUSTOMER_GET_DOMAIN_LIST = 107,     /**< customer get-domain-list */

	ACCT_OP_RESELLER_ADD = 201,                 /**< reseller add */
	ACCT_OP_RESELLER_GET = 202,                 /**< reseller get */
	ACCT_OP_RESELLER_SET = 203,                 /**< reseller set */
	ACCT_OP_RESELLER_DEL = 204,                 /**< reseller del */
	ACCT_OP_RESELLER_IPPOOL_ADD_IP = 205,       /**< reseller ippool-add-ip */
	ACCT_OP_RESELLER_IPPOOL_DEL_IP = 206,       /**< reseller ippool-del-ip */
	ACCT_OP_RESELLER_IPPOOL_SET_IP = 207,       /**< reseller ippool-set-ip */
	ACCT_OP_RESELLER_CFORM_BUTTONS_LIST = 208,  /**< reseller cform-buttons-list */
	ACCT_OP_RESELLER_GET_LIMIT_DESCRIPTOR = 209,/**< reseller get-limit-descriptor */
	ACCT_OP_RESELLER_GET_PERMISSION_DESCRIPTOR = 210, /**< reseller get-permission-descriptor */
	ACCT_OP_RESELLER_CONVERT_TO_CUSTOMER = 211, /**< reseller convert-to-customer */

	ACCT_OP_CLIENT_ADD = 301,                   /**< legacy client add */
	ACCT_OP_CLIENT_GET = 302,                   /**< legacy client get */
	ACCT_OP_CLIENT_SET = 303,                   /**< legacy client set */
	ACCT_OP_CLIENT_DEL = 304,                   /**< legacy client del */
	ACCT_OP_CLIENT_IPPOOL_ADD_IP = 305,         /**< legacy client ippool_add_ip */
	ACCT_OP_CLIENT_IPPOOL_DEL_IP = 306,         /**< legacy client ippool_del_ip */
	ACCT_OP_CLIENT_CFORM_BUTTONS_LIST = 307,    /**< legacy client cform_buttons_list */
	ACCT_OP_CLIENT_GET_LIMIT_DESCRIPTOR = 308,  /**< legacy client get-limit-descriptor */
	ACCT_OP_CLIENT_GET_PERMISSION_DESCRIPTOR = 309, /**< legacy client get-permission-descriptor */
	ACCT_OP_CLIENT_CONVERT_TO_RESELLER = 310,   /**< legacy client convert-to-reseller */
	ACCT_OP_CLIENT_CHANGE_OWNER = 311,          /**< legacy client change-owner */

	ACCT_OP_USER_ADD = 401,                     /**< user add */
	ACCT_OP_USER_GET = 402,                     /**< user get */
	ACCT_OP_USER_SET = 403,                     /**< user set */
	ACCT_OP_USER_DEL = 404,                     /**< user del */

	ACCT_OP_SECRET_KEY_CREATE = 501,            /**< secret_key create */
	ACCT_OP_SECRET_KEY_GET_INFO = 502,          /**< secret_key get_info */
	ACCT_OP_SECRET_KEY_DELETE = 503,            /**< secret_key delete */

	ACCT_OP_SERVER_GET_PROTOS = 601,            /**< server get_protos */
	ACCT_OP_SERVER_GET = 602,                   /**< server get */
	ACCT_OP_SERVER_CREATE_SESSION = 603,        /**< server create_session */

	ACCT_OP_SESSION_GET = 701,                  /**< session get */
	ACCT_OP_SESSION_TERMINATE = 702             /**< session terminate */
} acct_op;

/** A static name such as "customer get" or "reseller ippool-add-ip", or NULL for an unknown operation. */
ACCT_EXTERN(const char *) acct_op_name(int op);

/** Filter kinds (one kind per filter, values repeatable). Append-only. */
typedef enum {
	ACCT_FILTER_ALL = 0,          /**< every object the requester sees: <filter/> (or <all/> where the schema has it) */
	ACCT_FILTER_ID = 1,           /**< <id> */
	ACCT_FILTER_LOGIN = 2,        /**< <login> */
	ACCT_FILTER_GUID = 3,         /**< <guid> */
	ACCT_FILTER_OWNER_ID = 4,     /**< <owner-id> (customer) */
	ACCT_FILTER_OWNER_LOGIN = 5,  /**< <owner-login> (customer) */
	ACCT_FILTER_EXTERNAL_ID = 6,  /**< <external-id> */
	ACCT_FILTER_OWNER_GUID = 7,   /**< <owner-guid> (user) */
	ACCT_FILTER_OWNER_EXTERNAL_ID = 8, /**< <owner-external-id> (user) */
	ACCT_FILTER_KEY = 9,          /**< <key> (secret_key) */
	ACCT_FILTER_IP_ADDRESS = 10   /**< <ip-address> (reseller ippool-set-ip) */
} acct_filter_kind;

/** Datasets of get operations, as bits. Append-only. */
typedef enum {
	ACCT_DATASET_GEN_INFO = 1,    /**< gen_info / gen-info */
	ACCT_DATASET_STAT = 2,        /**< stat */
	ACCT_DATASET_PERMISSIONS = 4, /**< permissions */
	ACCT_DATASET_LIMITS = 8,      /**< limits */
	ACCT_DATASET_IPPOOL = 16,     /**< ippool */
	ACCT_DATASET_ROLES = 32,      /**< roles (user) */
	ACCT_DATASET_KEY = 64         /**< key (server get: license properties) */
} acct_dataset;

/**
 * Packet fields beyond the acct_field values of acct/account.h. Wherever a field number
 * is taken, an acct_field value (ACCT_FIELD_EMAIL, ...) or one of these is
 * accepted. Append-only.
 */
typedef enum {
	ACCT_PFIELD_STATUS = 100,        /**< status: Plesk bits ("0", "16"), or "enabled"/"disabled" for users */
	ACCT_PFIELD_OWNER_ID = 101,      /**< owner-id */
	ACCT_PFIELD_OWNER_LOGIN = 102,   /**< owner-login */
	ACCT_PFIELD_OWNER_GUID = 103,    /**< owner-guid (user) */
	ACCT_PFIELD_OWNER_EXTERNAL_ID = 104, /**< owner-external-id */
	ACCT_PFIELD_DESCRIPTION = 105,   /**< description (an account's, by the requester; a secret key's) */
	ACCT_PFIELD_POWER_USER = 106,    /**< power-user (reseller), "true"/"false" */
	ACCT_PFIELD_IS_BUILT_IN = 107,   /**< is-built-in (user), "true"/"false" */
	ACCT_PFIELD_NEW_OWNER_LOGIN = 108, /**< new-owner-login (change-owner) */
	ACCT_PFIELD_PLAN_NAME = 109,     /**< plan-name / reseller-plan-name */
	ACCT_PFIELD_ACCOUNT_ID = 110,    /**< reseller-id / client_id of the ippool operations */
	ACCT_PFIELD_IP_ADDRESS = 111,    /**< ip_address (secret_key), ip-address (ippool results), the client address of create_session */
	ACCT_PFIELD_IP_TYPE = 112,       /**< ip-type: "shared" or "exclusive" */
	ACCT_PFIELD_KEY = 113,           /**< key: a secret key (secret_key create result) */
	ACCT_PFIELD_SESSION_ID = 114,    /**< session-id (terminate), id of a created session */
	ACCT_PFIELD_OVERSELL = 115,      /**< resource-policy oversell, "true"/"false" */
	ACCT_PFIELD_OVERUSE = 116,       /**< resource-policy overuse: block, notify, normal, not_suspend, not_suspend_notify */
	ACCT_PFIELD_SERVER_NAME = 117    /**< server get gen_info: server_name */
} acct_pfield;

/** Lists inside an operation or a result. Append-only. */
typedef enum {
	ACCT_ITEM_LIMIT = 1,       /**< limit: name, value */
	ACCT_ITEM_PERMISSION = 2,  /**< permission: name, value ("true"/"false") */
	ACCT_ITEM_IP = 3,          /**< IP address: ip-address, ip-type (ippool, change-owner addresses) */
	ACCT_ITEM_ROLE = 4,        /**< role name (user) */
	ACCT_ITEM_BUTTON = 5,      /**< custom button: id, label (more: url) */
	ACCT_ITEM_KEY_INFO = 6,    /**< key_info: key, ip_address (more: description, login) */
	ACCT_ITEM_PROTO = 7,       /**< a protocol version (get_protos) */
	ACCT_ITEM_SESSION = 8,     /**< login session: id, login (more: type, ip-address, login-time, idle) */
	ACCT_ITEM_DOMAIN = 9,      /**< domain: id, name (more: ascii-name, type, main, guid, ...) */
	ACCT_ITEM_PROPERTY = 10,   /**< descriptor property: name, type (more: label, default-value, writable-by) */
	ACCT_ITEM_STAT = 11,       /**< stat counter: name, value */
	ACCT_ITEM_KEY_PROPERTY = 12 /**< server key property: name, value */
} acct_item_kind;

/* ---- requests ---- */

typedef struct acct_request acct_request;

/**
 * Start an empty request packet.
 * @param out      receives the request (owned; release with acct_request_free())
 * @param version  the packet's version attribute (copied), e.g. "1.6.9.1",
 *                 or NULL for none (the server answers with its newest)
 * @return 0, ACCT_EINVALID (a malformed version), ACCT_ENOMEM
 */
ACCT_EXTERN(int) acct_request_new(acct_request **out, const char *version);

/** Free a request. Accepts NULL. */
ACCT_EXTERN(void) acct_request_free(acct_request *req);

/**
 * Append operation @p op to the request; the calls below fill the newest
 * operation. Consecutive operations of one operator share one operator element.
 * @return 0, ACCT_EINVALID (unknown operation), ACCT_ENOMEM
 */
ACCT_EXTERN(int) acct_request_add(acct_request *req, int op);

/**
 * Add a filter value of kind @p kind (an acct_filter_kind) to the current
 * operation. All values of one filter must be of one kind; ACCT_FILTER_ALL
 * takes no value (pass NULL).
 * @return 0, ACCT_EINVALID (no operation yet, a kind this operation does
 *         not filter by, a second kind, a missing value), ACCT_ENOMEM
 */
ACCT_EXTERN(int) acct_request_filter(acct_request *req, int kind, const char *value);

/**
 * Ask for datasets @p datasets (acct_dataset bits) in a get operation.
 * @return 0, ACCT_EINVALID (a dataset this operation does not have)
 */
ACCT_EXTERN(int) acct_request_dataset(acct_request *req, unsigned int datasets);

/**
 * Set field @p field (acct_field or acct_pfield) of the current operation to
 * @p value (copied; "" sends an empty element: for ACCT_FIELD_GUID in a set,
 * "regenerate the GUID"). Values are escaped on encoding.
 * @return 0, ACCT_EINVALID (a field this operation does not carry), ACCT_ENOMEM
 */
ACCT_EXTERN(int) acct_request_set(acct_request *req, int field, const char *value);

/**
 * Append an item of kind @p kind to the current operation: a limit
 * (@p name, @p value a number, "-1" unlimited), a permission (@p name,
 * "true"/"false"), an IP address (@p name the address, @p value its type or
 * NULL), a role (@p name; @p value NULL).
 * @return 0, ACCT_EINVALID, ACCT_ENOMEM
 */
ACCT_EXTERN(int) acct_request_item(acct_request *req, int kind, const char *name, const char *value);

/**
 * Encode the request as an XML packet (UTF-8, schema order).
 * @param out  filled with the packet (dispose with acct_buf_dispose())
 * @return 0, ACCT_EINVALID (an empty request, or an operation missing what
 *         the schema requires, named in the message), ACCT_ENOMEM
 */
ACCT_EXTERN(int) acct_request_encode(acct_buf *out, const acct_request *req);

/* ---- responses ---- */

typedef struct acct_response acct_response;
typedef struct acct_result acct_result;

/**
 * Parse a reply packet (with the same hardened parser as the agent: no DTD,
 * no entities, no network, bounded size and depth).
 * @param out  receives the response (owned; release with acct_response_free())
 * @return 0, ACCT_EPARSE (not a reply packet; the message says where),
 *         ACCT_ENOMEM
 */
ACCT_EXTERN(int) acct_response_parse(acct_response **out, const char *xml, size_t len);

/** Free a response and its results. Accepts NULL. */
ACCT_EXTERN(void) acct_response_free(acct_response *resp);

/** The reply's version attribute, borrowed from @p resp; "" when absent. */
ACCT_EXTERN(const char *) acct_response_version(const acct_response *resp);

/**
 * A system (check-up) error that replaced the whole reply: authentication,
 * version, parser errors.
 * @param errcode_out  receives the Plesk errcode (may be NULL)
 * @param errtext_out  receives the text, borrowed from @p resp (may be NULL)
 * @return 1 when the reply is a system error, else 0
 */
ACCT_EXTERN(int) acct_response_system_error(int *errcode_out, const char **errtext_out, const acct_response *resp);

/** Number of results in the reply (every <result> of every operation, in order). */
ACCT_EXTERN(size_t) acct_response_count(const acct_response *resp);

/** Result @p index, borrowed from @p resp; NULL past the end. */
ACCT_EXTERN(const acct_result *) acct_response_result(const acct_response *resp, size_t index);

/** The operation the result answers (ACCT_OP_*), or 0 for one libacct does not know. */
ACCT_EXTERN(int) acct_result_op(const acct_result *res);

/** Which operation of the packet (0-based, in document order) the result answers. */
ACCT_EXTERN(size_t) acct_result_operation(const acct_result *res);

/** 1 when the result's status is ok, else 0. */
ACCT_EXTERN(int) acct_result_ok(const acct_result *res);

/** The Plesk errcode of a failed result, 0 when ok. */
ACCT_EXTERN(int) acct_result_errcode(const acct_result *res);

/** The error text of a failed result (borrowed), "" when ok. */
ACCT_EXTERN(const char *) acct_result_errtext(const acct_result *res);

/** The filter value that produced the result (borrowed), or NULL when absent. */
ACCT_EXTERN(const char *) acct_result_filter_id(const acct_result *res);

/** The object id of the result, 0 when absent. */
ACCT_EXTERN(acct_id) acct_result_id(const acct_result *res);

/**
 * A data field of the result (acct_field or acct_pfield; ACCT_FIELD_GUID is
 * the result's guid), borrowed from the response; NULL when absent, "" when
 * present and empty.
 */
ACCT_EXTERN(const char *) acct_result_get(const acct_result *res, int field);

/** Number of items of kind @p kind (acct_item_kind) in the result. */
ACCT_EXTERN(size_t) acct_result_item_count(const acct_result *res, int kind);

/**
 * Item @p index of kind @p kind: its two main values (see acct_item_kind),
 * borrowed from the response. Either out parameter may be NULL; a value
 * the item lacks reads as NULL.
 * @return 0, ACCT_ENOTFOUND past the end
 */
ACCT_EXTERN(int) acct_result_item(const char **name_out, const char **value_out, const acct_result *res, int kind,
                                  size_t index);

/**
 * Any child element of item @p index of kind @p kind, by its element name
 * (e.g. "description", "login-time", "label"), borrowed; NULL when absent.
 */
ACCT_EXTERN(const char *) acct_result_item_get(const acct_result *res, int kind, size_t index, const char *element);

ACCT_END_DECL

#endif
