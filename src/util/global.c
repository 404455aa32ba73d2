/* Library start-up: a reference count, libxml2's parser init, the version. */
#include <pthread.h>
#include <libxml/parser.h>
#include "util.h"

static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static int init_count;

const char *acct_version(int *major_out, int *minor_out, int *patch_out)
{
	if (major_out)
		*major_out = ACCT_VERSION_MAJOR;
	if (minor_out)
		*minor_out = ACCT_VERSION_MINOR;
	if (patch_out)
		*patch_out = ACCT_VERSION_PATCH;
	return ACCT_VERSION;
}

int acct_global_init(void)
{
	int n;

	pthread_mutex_lock(&init_lock);
	/* libxml2 wants its parser initialised once, from one thread. libacct never
	 * calls xmlCleanupParser(): the host may use libxml2 too. */
	if (init_count == 0)
		xmlInitParser();
	n = ++init_count;
	pthread_mutex_unlock(&init_lock);
	return n;
}

int acct_global_shutdown(void)
{
	int n;

	pthread_mutex_lock(&init_lock);
	if (init_count == 0) {
		pthread_mutex_unlock(&init_lock);
		return acct__error_set(ACCT_ERROR, "acct_global_shutdown called more often than acct_global_init");
	}
	n = --init_count;
	pthread_mutex_unlock(&init_lock);
	return n;
}

int acct__global_initialized(void)
{
	int n;

	pthread_mutex_lock(&init_lock);
	n = init_count;
	pthread_mutex_unlock(&init_lock);
	return n > 0;
}
