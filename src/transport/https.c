/*
 * The HTTPS transport (libcurl): POST to /enterprise/control/agent.php with
 * the Plesk headers (spec section 2). One easy handle per transport keeps
 * the connection alive between requests; a mutex lets threads share it.
 * Certificate checks are on unless the host asks for insecure mode.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "acct.h"
#include "acct/sys/transport.h"
#include "util/util.h"

int acct_https_options_init(acct_https_options *opts, unsigned int version)
{
	static const acct_https_options init = ACCT_HTTPS_OPTIONS_INIT;

	if (opts == NULL || version == 0 || version > ACCT_HTTPS_OPTIONS_VERSION)
		return acct__error_set(ACCT_EINVALID, "acct_https_options version %u is not supported (this is %d)", version,
		                       ACCT_HTTPS_OPTIONS_VERSION);
	*opts = init;
	return 0;
}

#ifndef HAVE_CURL

int acct_transport_https_new(acct_transport **out, const acct_https_options *opts)
{
	(void)opts;
	if (out != NULL)
		*out = NULL;
	return acct__error_set(ACCT_ENOTSUPPORTED, "this libacct was built without libcurl: no HTTPS transport");
}

#else

#include <curl/curl.h>

typedef struct https {
	pthread_mutex_t mu;
	CURL *curl;
	char *url, *ca_file;
	int insecure;
	long connect_ms, timeout_ms;
	char errbuf[CURL_ERROR_SIZE];
} https;

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

/* libcurl's global state is the host's; libacct initialises it once and never tears it down. */
static void init_curl(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* Replies past this are refused: the reply parser would refuse them anyway. */
#define MAX_REPLY ((size_t)64 << 20)

static size_t collect(char *data, size_t size, size_t n, void *arg)
{
	acct_buf *b = arg;
	size_t len = size * n;

	if (len > MAX_REPLY - b->size)
		return 0; /* libcurl stops with CURLE_WRITE_ERROR */
	return acct__buf_put(b, data, len) == 0 ? len : 0;
}

/* Credentials as Plesk's headers; values with line breaks would split headers. */
static int add_header(struct curl_slist **h, const char *name, const char *value)
{
	char line[1024];
	struct curl_slist *n;

	if (strpbrk(value, "\r\n") != NULL)
		return acct__error_set(ACCT_EINVALID, "the %s credential contains a line break", name);
	if ((size_t)snprintf(line, sizeof line, "%s: %s", name, value) >= sizeof line)
		return acct__error_set(ACCT_EINVALID, "the %s credential is too long", name);
	n = curl_slist_append(*h, line);
	if (n == NULL)
		return acct__error_oom();
	*h = n;
	return 0;
}

static int headers_for(struct curl_slist **h, const acct_credentials *cred)
{
	int rc;

	*h = NULL;
	if ((rc = add_header(h, "Content-Type", "text/xml")) != 0)
		return rc;
	if (cred == NULL || cred->kind == ACCT_CRED_NONE)
		return 0;
	if (cred->kind == ACCT_CRED_PASSWORD && cred->login != NULL && cred->password != NULL) {
		if ((rc = add_header(h, "HTTP_AUTH_LOGIN", cred->login)) != 0)
			return rc;
		return add_header(h, "HTTP_AUTH_PASSWD", cred->password);
	}
	if (cred->kind == ACCT_CRED_KEY && cred->secret_key != NULL)
		return add_header(h, "KEY", cred->secret_key);
	return acct__error_set(ACCT_EINVALID, "the HTTPS transport sends a login and password or a secret key, "
	                                      "not a session");
}

static void free_headers(struct curl_slist *h)
{
	/* The list holds the password: clear it before it goes back to the heap. */
	for (struct curl_slist *n = h; n != NULL; n = n->next)
		memset(n->data, 0, strlen(n->data));
	curl_slist_free_all(h);
}

static int https_send(acct_transport *t, const char *request, size_t len, const acct_credentials *cred,
                      acct_buf *response)
{
	https *h = t->payload;
	struct curl_slist *headers = NULL;
	acct_buf body = ACCT_BUF_INIT;
	long status = 0;
	CURLcode cc;
	int rc;

	if ((rc = headers_for(&headers, cred)) != 0) {
		free_headers(headers);
		return rc;
	}
	pthread_mutex_lock(&h->mu);
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, request);
	curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, &body);
	h->errbuf[0] = '\0';
	cc = curl_easy_perform(h->curl);
	if (cc == CURLE_OK)
		curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
	if (cc == CURLE_WRITE_ERROR && body.size + CURL_MAX_WRITE_SIZE > MAX_REPLY)
		rc = acct__error_set(ACCT_ENETWORK, "%s: the reply is larger than 64 MiB", h->url);
	else if (cc != CURLE_OK)
		rc = acct__error_set(ACCT_ENETWORK, "%s: %s", h->url, h->errbuf[0] ? h->errbuf : curl_easy_strerror(cc));
	else if (status != 200)
		rc = acct__error_set(ACCT_ENETWORK, "%s answered HTTP %ld, not 200", h->url, status);
	pthread_mutex_unlock(&h->mu);
	free_headers(headers);
	if (rc == 0)
		rc = acct_buf_set(response, body.ptr, body.size);
	acct_buf_dispose(&body);
	return rc;
}

static void https_free(acct_transport *t)
{
	https *h = t->payload;

	curl_easy_cleanup(h->curl);
	pthread_mutex_destroy(&h->mu);
	acct__free(h->url);
	acct__free(h->ca_file);
	acct__free(h);
	acct__free(t);
}

/* "https://host:8443" gets Plesk's path; a URL with a path is kept. */
static char *agent_url(const char *url)
{
	static const char path[] = "/enterprise/control/agent.php";
	const char *rest = strstr(url, "://");
	size_t n = strlen(url);
	char *full;

	if (rest != NULL && strchr(rest + 3, '/') != NULL && url[n - 1] != '/')
		return acct__strdup(url);
	if (n > 0 && url[n - 1] == '/')
		n--;
	full = acct__malloc(n + sizeof path);
	if (full != NULL) {
		memcpy(full, url, n);
		memcpy(full + n, path, sizeof path);
	}
	return full;
}

static int setup(https *h)
{
	CURL *c = h->curl;

	curl_easy_setopt(c, CURLOPT_URL, h->url);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->errbuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, h->connect_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, h->timeout_ms);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)MAX_REPLY);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "libacct/" PACKAGE_VERSION);
	if (h->ca_file != NULL)
		curl_easy_setopt(c, CURLOPT_CAINFO, h->ca_file);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, h->insecure ? 0L : 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, h->insecure ? 0L : 2L);
	return 0;
}

int acct_transport_https_new(acct_transport **out, const acct_https_options *opts)
{
	acct_transport *t;
	https *h;

	if (out == NULL || opts == NULL)
		return acct__error_set(ACCT_EINVALID, "acct_transport_https_new: NULL argument");
	*out = NULL;
	if (opts->version == 0 || opts->version > ACCT_HTTPS_OPTIONS_VERSION)
		return acct__error_set(ACCT_EINVALID, "acct_https_options version %u is not supported (this is %d)",
		                       opts->version, ACCT_HTTPS_OPTIONS_VERSION);
	if (opts->url == NULL || (strncmp(opts->url, "https://", 8) != 0 && strncmp(opts->url, "http://", 7) != 0))
		return acct__error_set(ACCT_EINVALID, "the agent URL must start with https:// (or http://), not '%s'",
		                       opts->url != NULL ? opts->url : "");
	if (opts->connect_timeout_ms < 0 || opts->timeout_ms < 0)
		return acct__error_set(ACCT_EINVALID, "timeouts must be positive (or 0 for the defaults)");
	pthread_once(&curl_once, init_curl);
	if (curl_init_rc != CURLE_OK)
		return acct__error_set(ACCT_ENETWORK, "libcurl could not start: %s", curl_easy_strerror(curl_init_rc));
	t = acct__calloc(1, sizeof *t);
	h = acct__calloc(1, sizeof *h);
	if (t == NULL || h == NULL || (h->url = agent_url(opts->url)) == NULL ||
	    (opts->ca_file != NULL && (h->ca_file = acct__strdup(opts->ca_file)) == NULL)) {
		if (h != NULL) {
			acct__free(h->url);
			acct__free(h);
		}
		acct__free(t);
		return acct__error_oom();
	}
	h->insecure = opts->insecure;
	h->connect_ms = opts->connect_timeout_ms ? opts->connect_timeout_ms : 10000;
	h->timeout_ms = opts->timeout_ms ? opts->timeout_ms : 60000;
	h->curl = curl_easy_init();
	if (h->curl == NULL || pthread_mutex_init(&h->mu, NULL) != 0) {
		if (h->curl != NULL)
			curl_easy_cleanup(h->curl);
		acct__free(h->url);
		acct__free(h->ca_file);
		acct__free(h);
		acct__free(t);
		return acct__error_set(ACCT_ENOMEM, "libcurl could not create a handle");
	}
	setup(h);
	t->version = ACCT_TRANSPORT_VERSION;
	t->payload = h;
	t->send = https_send;
	t->free = https_free;
	*out = t;
	return 0;
}

#endif
