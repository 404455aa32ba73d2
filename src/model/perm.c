/*
 * The account permission catalog (spec/policy.md section 5.1), Plesk names.
 * Bit numbers are internal to the index: records store names, so the catalog
 * can grow or be reordered without rewriting stores.
 */
#include <string.h>
#include "util/util.h"
#include "model.h"

static const char *const names[] = {
	"create_clients", "allow_oversell", "create_domains", "manage_phosting", "manage_dns",
	"manage_subdomains", "manage_domain_aliases", "manage_log", "manage_crontab", "manage_anonftp",
	"manage_subftp", "manage_webapps", "manage_maillists", "manage_spamfilter", "manage_virusfilter",
	"manage_webstat", "manage_quota", "manage_sh_access", "manage_not_chroot_shell",
	"manage_protected_dirs", "manage_mail_settings", "manage_php_settings", "manage_performance",
	"change_limits", "select_db_server", "site_builder", "allow_local_backups", "allow_ftp_backups",
	"access_appcatalog", "cp_access", "remote_access_interface",
};

int acct__perm_count(void)
{
	return (int)ACCT__ARRAY_LEN(names);
}

int acct__perm_bit(const char *name)
{
	size_t i;

	for (i = 0; i < ACCT__ARRAY_LEN(names); i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
}

const char *acct__perm_name(int bit)
{
	return bit >= 0 && (size_t)bit < ACCT__ARRAY_LEN(names) ? names[bit] : NULL;
}

uint64_t acct__perm_defaults(int type)
{
	/* Plesk gives a new reseller the right to create customers. */
	return type == ACCT_TYPE_RESELLER ? (uint64_t)1 << ACCT__PERM_CREATE_CLIENTS : 0;
}
