/*
 * The built-in permission catalogs and roles (spec/policy.md section 5,
 * spec/partner-apis.md section 1). Records store permission names, never
 * bit numbers, so catalogs can grow without rewriting stores.
 */
#include "util/util.h"
#include "acct/perm.h"
#include "model.h"

#define ADMIN ACCT_WRITABLE_BY_ADMIN
#define RESELLER ACCT_WRITABLE_BY_RESELLER
#define CUSTOMER ACCT_WRITABLE_BY_CUSTOMER

static const acct__perm_builtin account_perms[] = {
	{ "create_clients", "Create customers", ACCT_TYPE_RESELLER, ADMIN, 1, NULL },
	{ "allow_oversell", "Allow overselling", 0, ADMIN, 1, NULL },
	{ "create_domains", "Create domains", 0, ADMIN | RESELLER, 0, NULL },
	{ "manage_phosting", "Manage hosting settings", 0, ADMIN | RESELLER, 0, NULL },
	{ "manage_dns", "Manage DNS", 0, ADMIN | RESELLER, 0, NULL },
	{ "manage_subdomains", "Manage subdomains", 0, ADMIN | RESELLER, 0, NULL },
	{ "manage_domain_aliases", "Manage domain aliases", 0, ADMIN | RESELLER, 0, NULL },
	{ "manage_log", "Manage log rotation", 0, ADMIN | RESELLER, 0, NULL },
	{ "manage_crontab", "Manage scheduled tasks", 0, ADMIN | RESELLER, 0, NULL },
	{ "manage_anonftp", "Manage anonymous FTP", 0, ADMIN | RESELLER, 0, NULL },
	{ "manage_subftp", "Manage additional FTP accounts", 0, ADMIN | RESELLER, 0, NULL },
	{ "manage_webapps", "Manage web applications", 0, ADMIN | RESELLER, 0, NULL },
	{ "manage_maillists", "Manage mailing lists", 0, ADMIN | RESELLER, 0, NULL },
	{ "manage_spamfilter", "Manage spam filter", 0, ADMIN | RESELLER, 0, NULL },
	{ "manage_virusfilter", "Manage antivirus", 0, ADMIN | RESELLER, 0, NULL },
	{ "manage_webstat", "Manage web statistics", 0, ADMIN | RESELLER, 0, NULL },
	{ "manage_quota", "Manage disk quota", 0, ADMIN | RESELLER, 0, NULL },
	{ "manage_sh_access", "Manage shell access", 0, ADMIN | RESELLER, 0, NULL },
	{ "manage_not_chroot_shell", "Manage non-chrooted shell", 0, ADMIN | RESELLER, 0, NULL },
	{ "manage_protected_dirs", "Manage password-protected directories", 0, ADMIN | RESELLER, 0, NULL },
	{ "manage_mail_settings", "Manage mail settings", 0, ADMIN | RESELLER, 0, NULL },
	{ "manage_php_settings", "Manage PHP settings", 0, ADMIN | RESELLER, 0, NULL },
	{ "manage_performance", "Manage hosting performance settings", 0, ADMIN | RESELLER, 0, NULL },
	{ "change_limits", "Change limits", 0, ADMIN | RESELLER, 0, NULL },
	{ "select_db_server", "Select database server", 0, ADMIN | RESELLER, 0, NULL },
	{ "site_builder", "Use the site builder", 0, ADMIN | RESELLER, 0, NULL },
	{ "allow_local_backups", "Back up to the server", 0, ADMIN | RESELLER, 0, NULL },
	{ "allow_ftp_backups", "Back up to FTP", 0, ADMIN | RESELLER, 0, NULL },
	{ "access_appcatalog", "Access the application catalog", 0, ADMIN | RESELLER, 0, NULL },
	{ "cp_access", "Access the control panel", 0, ADMIN | RESELLER, 0, NULL },
	{ "remote_access_interface", "Use the remote API", 0, ADMIN | RESELLER, 0, NULL },
};

/*
 * User role permissions. `needs` ties one to the account permission its
 * owner must hold for the user to hold it ("within what the owner holds").
 */
static const acct__perm_builtin role_perms[] = {
	{ "userManagement", "Manage users and roles", 0, ADMIN | RESELLER | CUSTOMER, 0, NULL },
	{ "webSitesAndDomainsManagement", "Manage websites and domains", 0, ADMIN | RESELLER | CUSTOMER, 0, "create_domains" },
	{ "logRotationManagement", "Manage log rotation", 0, ADMIN | RESELLER | CUSTOMER, 0, "manage_log" },
	{ "anonymousFtpManagement", "Manage anonymous FTP", 0, ADMIN | RESELLER | CUSTOMER, 0, "manage_anonftp" },
	{ "scheduledTasksManagement", "Manage scheduled tasks", 0, ADMIN | RESELLER | CUSTOMER, 0, "manage_crontab" },
	{ "spamfilterManagement", "Manage spam filter", 0, ADMIN | RESELLER | CUSTOMER, 0, "manage_spamfilter" },
	{ "antivirusManagement", "Manage antivirus", 0, ADMIN | RESELLER | CUSTOMER, 0, "manage_virusfilter" },
	{ "databasesManagement", "Manage databases", 0, ADMIN | RESELLER | CUSTOMER, 0, NULL },
	{ "backupRestoreManagement", "Back up and restore", 0, ADMIN | RESELLER | CUSTOMER, 0, "allow_local_backups" },
	{ "browseStats", "View statistics", 0, ADMIN | RESELLER | CUSTOMER, 0, NULL },
	{ "applicationsManagement", "Install and manage applications", 0, ADMIN | RESELLER | CUSTOMER, 0, "manage_webapps" },
	{ "sitebuilderManagement", "Use the site builder", 0, ADMIN | RESELLER | CUSTOMER, 0, "site_builder" },
	{ "filesManagement", "Manage files", 0, ADMIN | RESELLER | CUSTOMER, 0, NULL },
	{ "ftpAccountsManagement", "Manage FTP accounts", 0, ADMIN | RESELLER | CUSTOMER, 0, "manage_subftp" },
	{ "dnsManagement", "Manage DNS", 0, ADMIN | RESELLER | CUSTOMER, 0, "manage_dns" },
	{ "mailManagement", "Manage mail", 0, ADMIN | RESELLER | CUSTOMER, 0, NULL },
	{ "mailListsManagement", "Manage mailing lists", 0, ADMIN | RESELLER | CUSTOMER, 0, "manage_maillists" },
};

static const acct__perm_builtin partner_ops[] = {
	{ "license.search", "Search licenses", 0, ADMIN, 0, NULL },
	{ "license.modify", "Modify licenses (activate, notes, binding, terminate, ...)", 0, ADMIN, 0, NULL },
	{ "license.assign_configuration", "Assign a product configuration", 0, ADMIN, 0, NULL },
	{ "license.create", "Create licenses", 0, ADMIN, 0, NULL },
	{ "license.upgrade", "Upgrade licenses", 0, ADMIN, 0, NULL },
	{ "license.downgrade", "Downgrade licenses", 0, ADMIN, 0, NULL },
	{ "license.suspend", "Suspend licenses", 0, ADMIN, 0, NULL },
	{ "customer.search", "Search customers", 0, ADMIN, 0, NULL },
	{ "customer.create", "Create customers", 0, ADMIN, 0, NULL },
	{ "customer.modify", "Modify customers", 0, ADMIN, 0, NULL },
};

const acct__perm_builtin *acct__perm_builtins(int catalog, size_t *n)
{
	switch (catalog) {
	case ACCT_CATALOG_ACCOUNT: *n = ACCT__ARRAY_LEN(account_perms); return account_perms;
	case ACCT_CATALOG_ROLE: *n = ACCT__ARRAY_LEN(role_perms); return role_perms;
	case ACCT_CATALOG_PARTNER: *n = ACCT__ARRAY_LEN(partner_ops); return partner_ops;
	default: *n = 0; return NULL;
	}
}

static const char *const accountant[] = { "browseStats", NULL };
static const char *const application_user[] = { "applicationsManagement", NULL };
static const char *const webmaster[] = {
	"webSitesAndDomainsManagement", "logRotationManagement", "anonymousFtpManagement",
	"scheduledTasksManagement", "spamfilterManagement", "antivirusManagement", "databasesManagement",
	"backupRestoreManagement", "browseStats", "applicationsManagement", "sitebuilderManagement",
	"filesManagement", "ftpAccountsManagement", "dnsManagement", "mailManagement", "mailListsManagement", NULL,
};

static const acct__role_builtin roles[] = {
	{ "Admin", 0, NULL },
	{ "Accountant", 0, accountant },
	{ "Webmaster", 1, webmaster },
	{ "Application User", 1, application_user },
};

const acct__role_builtin *acct__role_builtins(size_t *n)
{
	*n = ACCT__ARRAY_LEN(roles);
	return roles;
}

/* spec/partner-apis.md section 1: the eight roles, client ones first. */
static const char *const p_all_client[] = { "license.search", "license.modify", "license.assign_configuration",
	"license.create", "license.upgrade", "license.downgrade", "license.suspend", NULL };
static const char *const p_adv_client[] = { "license.search", "license.modify", "license.assign_configuration",
	"license.create", "license.upgrade", "license.downgrade", NULL };
static const char *const p_std_client[] = { "license.search", "license.modify", "license.assign_configuration",
	"license.create", "license.upgrade", NULL };
static const char *const p_lim_client[] = { "license.search", "license.modify", NULL };
static const char *const p_all_reseller[] = { "license.search", "license.modify", "license.assign_configuration",
	"license.create", "license.upgrade", "license.downgrade", "license.suspend", "customer.search",
	"customer.create", "customer.modify", NULL };
static const char *const p_adv_reseller[] = { "license.search", "license.modify", "license.assign_configuration",
	"license.create", "license.upgrade", "license.downgrade", "customer.search", "customer.create", NULL };
static const char *const p_std_reseller[] = { "license.search", "license.modify", "license.assign_configuration",
	"license.create", "license.upgrade", "customer.search", "customer.create", NULL };
static const char *const p_lim_reseller[] = { "license.search", "license.modify", "customer.search", NULL };

static const acct__role_builtin partner_roles[] = {
	{ "All Commands for Client", 0, p_all_client },
	{ "Advanced Commands for Client", 0, p_adv_client },
	{ "Standard Commands for Client", 0, p_std_client },
	{ "Limited Commands for Client", 0, p_lim_client },
	{ "All Commands for Reseller", 0, p_all_reseller },
	{ "Advanced Commands for Reseller", 0, p_adv_reseller },
	{ "Standard Commands for Reseller", 0, p_std_reseller },
	{ "Limited Commands for Reseller", 0, p_lim_reseller },
};

const acct__role_builtin *acct__partner_roles(size_t *n)
{
	*n = ACCT__ARRAY_LEN(partner_roles);
	return partner_roles;
}
