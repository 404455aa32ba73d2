/*
 * custom_storage.c - a storage backend written by a host: libacct's data in
 * one plain file.
 *
 * libacct stores everything through a small vtable (acct/sys/storage.h,
 * docs/storage.md): an ordered key-value store with transactions. This file
 * implements that vtable the way a host would, using only the public headers
 * (acct.h and acct/sys/storage.h) and POSIX:
 *
 *   - the data lives in memory as a sorted array of (key, value) pairs, a
 *     cache of the file;
 *   - commit() writes the whole array to FILE.tmp, fsync()s it, and rename()s
 *     it over FILE (then fsync()s the directory): a reader or a crash sees
 *     either the old file or the new one, never half of one;
 *   - rollback() throws the cache away; the next begin() reads the file
 *     again, which still holds the last commit;
 *   - writers (in this process or another) take turns with flock() on
 *     FILE.lock, and every begin() reloads the cache when another writer has
 *     committed since (the file's header carries a serial number), so several
 *     contexts, even in several processes, can share one file.
 *
 * Rewriting the whole file on every commit is fine for thousands of accounts
 * and keeps this example short; a host with millions would put the same
 * vtable over a real database (see the SQLite backend, src/storage/sqlite.c).
 *
 * What a backend author should take from it:
 *   1. the vtable starts from ACCT_STORAGE_INIT (its version comes first),
 *      then the payload and every version 1 method are filled in;
 *   2. data goes back to libacct only through acct_buf_set();
 *   3. host failures are reported with acct_error_set_str(ACCT_EUSER, ...)
 *      (ACCT_ENOMEM for memory), with a sentence a person can act on;
 *   4. an iterator is a small versioned vtable of its own, started from
 *      ACCT_STORAGE_ITERATOR_INIT;
 *   5. keys and values are opaque bytes (0x00 and 0xFF included), compared
 *      like memcmp(), the shorter key first on a tie.
 *
 * Build the program (after `make install`):
 *     cc -std=c99 -Wall -Wextra custom_storage.c $(pkg-config --cflags --libs libacct)
 * Use it:
 *     ./custom_storage accounts.db add alice "Alice Liddell"
 *     ./custom_storage accounts.db
 * Define CUSTOM_STORAGE_NO_MAIN to compile only the backend into another
 * program (the conformance tests, tests/check_conformance.c, do).
 */
#define _DEFAULT_SOURCE /* flock(), fsync() */

#include <acct.h>
#include <acct/sys/storage.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * The public constructor: open (or create on the first commit) the store in
 * file @p path. On success *out is a backend for acct_ctx_new(); until a
 * context takes it, release it with acct_storage_free().
 * Returns 0, ACCT_EINVALID, ACCT_ENOMEM or ACCT_EUSER (with a message).
 */
int custom_storage_new(acct_storage **out, const char *path);

/* ------------------------------------------------------------------------ */
/* The store: a sorted array, the cache of the file                          */
/* ------------------------------------------------------------------------ */

struct entry {
	unsigned char *key;
	size_t key_len;
	unsigned char *value;
	size_t value_len;
};

struct file_store {
	char *path;      /* the data file */
	char *tmp_path;  /* path + ".tmp": each new version is written here first */
	char *lock_path; /* path + ".lock": writers flock() it */
	int lock_fd;

	struct entry *entries; /* sorted by key */
	size_t count, cap;
	int cached;      /* entries hold the file's version `serial` */
	uint64_t serial; /* bumped by every commit; 0 while the file does not exist */

	int in_txn;      /* a transaction is open */
	int write;       /* ... and it is a write transaction (we hold the lock) */
	int dirty;       /* ... and it changed something */
};

/* The file: a header, then each pair. Numbers are big-endian. */
static const char MAGIC[8] = { 'A', 'C', 'C', 'T', 'K', 'V', '1', '\n' };
#define HEADER_SIZE 24 /* magic, serial (8 bytes), count (8 bytes) */

/* Report a failed system call as libacct wants it: a code and a sentence. */
static int fail_errno(const char *what, const char *path)
{
	char msg[512];
	int err = errno;

	if (err == ENOMEM)
		return acct_error_set_str(ACCT_ENOMEM, "file store: out of memory");
	snprintf(msg, sizeof msg, "file store: cannot %s '%s': %s", what, path, strerror(err));
	return acct_error_set_str(ACCT_EUSER, msg);
}

static int fail_corrupt(const char *path, const char *why)
{
	char msg[512];

	snprintf(msg, sizeof msg, "file store: '%s' is not a valid store (%s)", path, why);
	return acct_error_set_str(ACCT_EUSER, msg);
}

static int fail_nomem(void)
{
	return acct_error_set_str(ACCT_ENOMEM, "file store: out of memory");
}

/* The key order libacct requires: unsigned bytes, the shorter key first on a tie. */
static int key_cmp(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/* The index of the first entry whose key is >= @p key; *found when equal. */
static size_t lower_bound(const struct file_store *fs, const unsigned char *key, size_t key_len, int *found)
{
	size_t lo = 0, hi = fs->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct entry *e = &fs->entries[mid];

		if (key_cmp(e->key, e->key_len, key, key_len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (found)
		*found = lo < fs->count &&
		         key_cmp(fs->entries[lo].key, fs->entries[lo].key_len, key, key_len) == 0;
	return lo;
}

static void clear_entries(struct file_store *fs)
{
	size_t i;

	for (i = 0; i < fs->count; i++) {
		free(fs->entries[i].key);
		free(fs->entries[i].value);
	}
	free(fs->entries);
	fs->entries = NULL;
	fs->count = fs->cap = 0;
	fs->cached = 0;
}

/* A copy of @p n bytes (never NULL, even for n == 0). */
static unsigned char *copy_bytes(const unsigned char *p, size_t n)
{
	unsigned char *c = malloc(n ? n : 1);

	if (c && n)
		memcpy(c, p, n);
	return c;
}

/* path + suffix, newly allocated. */
static char *path_with(const char *path, const char *suffix)
{
	size_t a = strlen(path), b = strlen(suffix);
	char *p = malloc(a + b + 1);

	if (p) {
		memcpy(p, path, a);
		memcpy(p + a, suffix, b + 1);
	}
	return p;
}

/* ------------------------------------------------------------------------ */
/* Reading and writing the file                                              */
/* ------------------------------------------------------------------------ */

static void put_be(unsigned char *out, uint64_t v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		out[i] = (unsigned char)(v >> (8 * (bytes - 1 - i)));
}

static uint64_t get_be(const unsigned char *in, int bytes)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < bytes; i++)
		v = v << 8 | in[i];
	return v;
}

/* Read exactly @p n bytes; 1 on success, 0 at a premature end or on an error (errno set). */
static int read_exact(FILE *f, void *buf, size_t n)
{
	if (n == 0 || fread(buf, 1, n, f) == n)
		return 1;
	if (!ferror(f))
		errno = 0; /* a short file, not a system error */
	return 0;
}

/* Read one length-prefixed byte string. */
static int read_field(struct file_store *fs, FILE *f, unsigned char **out, size_t *len)
{
	unsigned char be[4];

	if (!read_exact(f, be, 4))
		return errno ? fail_errno("read", fs->path) : fail_corrupt(fs->path, "truncated");
	*len = (size_t)get_be(be, 4);
	if (!(*out = malloc(*len ? *len : 1)))
		return fail_nomem();
	if (!read_exact(f, *out, *len)) {
		free(*out);
		*out = NULL;
		return errno ? fail_errno("read", fs->path) : fail_corrupt(fs->path, "truncated");
	}
	return 0;
}

/*
 * Bring the cache up to date with the file: nothing to do when the file's
 * serial is the one cached; otherwise load every pair. A missing file is an
 * empty store. rename() replaces the file in one step, so the file opened
 * here is always one complete version.
 */
static int load(struct file_store *fs)
{
	unsigned char header[HEADER_SIZE];
	uint64_t serial, count, i;
	FILE *f = fopen(fs->path, "rb");
	int rc = 0;

	if (!f) {
		if (errno != ENOENT)
			return fail_errno("open", fs->path);
		clear_entries(fs); /* no file yet: an empty store */
		fs->serial = 0;
		fs->cached = 1;
		return 0;
	}
	if (!read_exact(f, header, HEADER_SIZE)) {
		rc = errno ? fail_errno("read", fs->path) : fail_corrupt(fs->path, "truncated header");
		fclose(f);
		return rc;
	}
	if (memcmp(header, MAGIC, sizeof MAGIC) != 0) {
		fclose(f);
		return fail_corrupt(fs->path, "bad magic");
	}
	serial = get_be(header + 8, 8);
	count = get_be(header + 16, 8);
	if (fs->cached && serial == fs->serial) {
		fclose(f); /* nobody committed since we last looked */
		return 0;
	}
	clear_entries(fs);
	if (count > SIZE_MAX / sizeof(struct entry)) {
		fclose(f);
		return fail_corrupt(fs->path, "impossible count");
	}
	if (count && !(fs->entries = malloc((size_t)count * sizeof(struct entry)))) {
		fclose(f);
		return fail_nomem();
	}
	fs->cap = (size_t)count;
	for (i = 0; rc == 0 && i < count; i++) {
		struct entry e = { NULL, 0, NULL, 0 };

		rc = read_field(fs, f, &e.key, &e.key_len);
		if (rc == 0 && (rc = read_field(fs, f, &e.value, &e.value_len)) < 0)
			free(e.key);
		if (rc == 0 && fs->count &&
		    key_cmp(fs->entries[fs->count - 1].key, fs->entries[fs->count - 1].key_len, e.key, e.key_len) >= 0) {
			free(e.key);
			free(e.value);
			rc = fail_corrupt(fs->path, "keys out of order");
		}
		if (rc == 0)
			fs->entries[fs->count++] = e;
	}
	fclose(f);
	if (rc < 0) {
		clear_entries(fs);
		return rc;
	}
	fs->serial = serial;
	fs->cached = 1;
	return 0;
}

static int write_field(FILE *f, const unsigned char *p, size_t n)
{
	unsigned char be[4];

	put_be(be, n, 4);
	return fwrite(be, 1, 4, f) == 4 && (n == 0 || fwrite(p, 1, n, f) == n);
}

/* fsync() the directory holding @p path, so that a rename() in it survives a
 * power cut. Returns 0 or -1 (errno set). */
static int sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd, rc;

	if (!slash)
		dir = path_with(".", "");
	else if (slash == path)
		dir = path_with("/", "");
	else if ((dir = malloc((size_t)(slash - path) + 1)) != NULL) {
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
	}
	if (!dir)
		return -1;
	fd = open(dir, O_RDONLY);
	rc = fd >= 0 && fsync(fd) == 0 ? 0 : -1;
	if (fd >= 0)
		close(fd);
	free(dir);
	return rc;
}

/*
 * Write the cache as the next version of the file: to FILE.tmp, fsync(),
 * rename() over FILE, fsync() the directory. On failure FILE is untouched.
 */
static int save(struct file_store *fs)
{
	unsigned char header[HEADER_SIZE];
	size_t i;
	int ok, fd;
	FILE *f;

	fd = open(fs->tmp_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return fail_errno("create", fs->tmp_path);
	if (!(f = fdopen(fd, "wb"))) {
		int rc = fail_errno("write", fs->tmp_path);
		close(fd);
		unlink(fs->tmp_path);
		return rc;
	}
	memcpy(header, MAGIC, sizeof MAGIC);
	put_be(header + 8, fs->serial + 1, 8);
	put_be(header + 16, fs->count, 8);
	ok = fwrite(header, 1, HEADER_SIZE, f) == HEADER_SIZE;
	for (i = 0; ok && i < fs->count; i++)
		ok = write_field(f, fs->entries[i].key, fs->entries[i].key_len) &&
		     write_field(f, fs->entries[i].value, fs->entries[i].value_len);
	ok = ok && fflush(f) == 0 && fsync(fileno(f)) == 0;
	if (!ok) {
		int rc = fail_errno("write", fs->tmp_path);
		fclose(f);
		unlink(fs->tmp_path);
		return rc;
	}
	if (fclose(f) != 0) {
		int rc = fail_errno("write", fs->tmp_path);
		unlink(fs->tmp_path);
		return rc;
	}
	if (rename(fs->tmp_path, fs->path) != 0) {
		int rc = fail_errno("replace", fs->path);
		unlink(fs->tmp_path);
		return rc;
	}
	/* From here on the new version is the store: every reader already sees
	 * it, so the transaction has committed and cannot be taken back. The
	 * directory sync only makes the rename itself survive a power cut; if it
	 * fails (rare: an I/O error) we cannot honestly report "nothing was
	 * written", so the commit stands. A host that must know would log it. */
	fs->serial++;
	(void)sync_dir(fs->path);
	return 0;
}

/* ------------------------------------------------------------------------ */
/* The vtable                                                               */
/* ------------------------------------------------------------------------ */

/* flock() waits for the other writers; a signal may interrupt the wait. */
static int lock_exclusive(struct file_store *fs)
{
	while (flock(fs->lock_fd, LOCK_EX) != 0) {
		if (errno != EINTR)
			return fail_errno("lock", fs->lock_path);
	}
	return 0;
}

static void unlock(struct file_store *fs)
{
	flock(fs->lock_fd, LOCK_UN);
}

static int fs_begin(acct_storage *s, int write)
{
	struct file_store *fs = s->payload;
	int rc;

	if (fs->in_txn)
		return acct_error_set_str(ACCT_EUSER, "file store: a transaction is already open");
	/* A writer holds the lock from begin to commit or rollback, so the file
	 * cannot change under it; a reader only needs one complete version. */
	if (write && (rc = lock_exclusive(fs)) < 0)
		return rc;
	if ((rc = load(fs)) < 0) {
		if (write)
			unlock(fs);
		return rc;
	}
	fs->in_txn = 1;
	fs->write = write;
	fs->dirty = 0;
	return 0;
}

static void end_txn(struct file_store *fs)
{
	if (fs->write)
		unlock(fs);
	fs->in_txn = fs->write = fs->dirty = 0;
}

static int fs_commit(acct_storage *s)
{
	struct file_store *fs = s->payload;
	int rc = 0;

	if (!fs->in_txn)
		return acct_error_set_str(ACCT_EUSER, "file store: commit without a transaction");
	/* A failed commit must leave the store as it was before begin(): the file
	 * was not replaced, so dropping the cache is enough (the next begin()
	 * reads the file again). */
	if (fs->dirty && (rc = save(fs)) < 0)
		clear_entries(fs);
	end_txn(fs);
	return rc;
}

static int fs_rollback(acct_storage *s)
{
	struct file_store *fs = s->payload;

	/* libacct also calls rollback after a failed commit, which already ended
	 * the transaction: that must be harmless. */
	if (!fs->in_txn)
		return 0;
	if (fs->dirty)
		clear_entries(fs); /* the file still holds the last commit: reload it next time */
	end_txn(fs);
	return 0;
}

static int fs_get(acct_storage *s, const unsigned char *key, size_t key_len, acct_buf *value)
{
	struct file_store *fs = s->payload;
	int found;
	size_t i = lower_bound(fs, key, key_len, &found);

	if (!found)
		return ACCT_ENOTFOUND;
	/* Data goes back through acct_buf_set(): libacct's allocator, not ours. */
	return acct_buf_set(value, fs->entries[i].value, fs->entries[i].value_len);
}

static int fs_put(acct_storage *s, const unsigned char *key, size_t key_len, const unsigned char *value,
                  size_t value_len)
{
	struct file_store *fs = s->payload;
	int found;
	size_t i = lower_bound(fs, key, key_len, &found);
	unsigned char *v;

	if (!fs->write)
		return acct_error_set_str(ACCT_EUSER, "file store: put outside a write transaction");
	if (key_len > UINT32_MAX || value_len > UINT32_MAX) /* the file stores 4-byte lengths */
		return acct_error_set_str(ACCT_EUSER, "file store: a key or value longer than 4 GiB");
	/* key and value are only borrowed for this call: keep copies. */
	if (!(v = copy_bytes(value, value_len)))
		return fail_nomem();
	if (found) {
		free(fs->entries[i].value);
		fs->entries[i].value = v;
		fs->entries[i].value_len = value_len;
	} else {
		unsigned char *k = copy_bytes(key, key_len);

		if (!k) {
			free(v);
			return fail_nomem();
		}
		if (fs->count == fs->cap) {
			size_t cap = fs->cap ? fs->cap * 2 : 64;
			struct entry *e = realloc(fs->entries, cap * sizeof(*e));

			if (!e) {
				free(k);
				free(v);
				return fail_nomem();
			}
			fs->entries = e;
			fs->cap = cap;
		}
		memmove(&fs->entries[i + 1], &fs->entries[i], (fs->count - i) * sizeof(struct entry));
		fs->entries[i].key = k;
		fs->entries[i].key_len = key_len;
		fs->entries[i].value = v;
		fs->entries[i].value_len = value_len;
		fs->count++;
	}
	fs->dirty = 1;
	return 0;
}

static int fs_del(acct_storage *s, const unsigned char *key, size_t key_len)
{
	struct file_store *fs = s->payload;
	int found;
	size_t i = lower_bound(fs, key, key_len, &found);

	if (!fs->write)
		return acct_error_set_str(ACCT_EUSER, "file store: del outside a write transaction");
	if (!found)
		return 0; /* removing an absent key succeeds */
	free(fs->entries[i].key);
	free(fs->entries[i].value);
	memmove(&fs->entries[i], &fs->entries[i + 1], (fs->count - i - 1) * sizeof(struct entry));
	fs->count--;
	fs->dirty = 1;
	return 0;
}

/* The iterator: a position in the sorted array. No write happens while it is
 * open (the contract), so the array cannot move under it. */
struct file_iter {
	acct_storage_iterator base; /* first, so &it->base can be handed to libacct */
	const struct file_store *fs;
	size_t pos;
	unsigned char *prefix;
	size_t prefix_len;
};

static int iter_next(acct_storage_iterator *base, acct_buf *key, acct_buf *value)
{
	struct file_iter *it = base->payload;
	const struct entry *e;
	int rc;

	if (it->pos >= it->fs->count)
		return ACCT_ITEROVER;
	e = &it->fs->entries[it->pos];
	/* The keys with a prefix sit next to each other: stop at the first without it. */
	if (e->key_len < it->prefix_len || memcmp(e->key, it->prefix, it->prefix_len) != 0)
		return ACCT_ITEROVER;
	if ((rc = acct_buf_set(key, e->key, e->key_len)) < 0 || (rc = acct_buf_set(value, e->value, e->value_len)) < 0)
		return rc;
	it->pos++;
	return 0;
}

static void iter_free(acct_storage_iterator *base)
{
	struct file_iter *it = base->payload;

	free(it->prefix);
	free(it);
}

static int fs_iterate(acct_storage_iterator **out, acct_storage *s, const unsigned char *prefix, size_t prefix_len)
{
	struct file_store *fs = s->payload;
	acct_storage_iterator vt = ACCT_STORAGE_ITERATOR_INIT; /* version first */
	struct file_iter *it = malloc(sizeof(*it));

	if (!it || !(it->prefix = copy_bytes(prefix, prefix_len))) {
		free(it);
		return fail_nomem();
	}
	it->fs = fs;
	it->prefix_len = prefix_len;
	/* The first key with the prefix is the first key >= the prefix. */
	it->pos = lower_bound(fs, it->prefix, prefix_len, NULL); /* (prefix may be NULL when empty) */
	vt.payload = it;
	vt.next = iter_next;
	vt.free = iter_free;
	it->base = vt;
	*out = &it->base;
	return 0;
}

static void fs_free(acct_storage *s)
{
	struct file_store *fs = s->payload;

	if (fs->in_txn)
		fs_rollback(s);
	clear_entries(fs);
	if (fs->lock_fd >= 0)
		close(fs->lock_fd);
	free(fs->path);
	free(fs->tmp_path);
	free(fs->lock_path);
	free(fs);
	free(s);
}

int custom_storage_new(acct_storage **out, const char *path)
{
	acct_storage vt = ACCT_STORAGE_INIT; /* version first, every method NULL */
	struct file_store *fs;
	acct_storage *s;
	int rc;

	if (out)
		*out = NULL;
	if (!out || !path || !*path)
		return acct_error_set_str(ACCT_EINVALID, "custom_storage_new needs out and a file name");
	s = malloc(sizeof(*s));
	fs = calloc(1, sizeof(*fs));
	if (!s || !fs) {
		free(s);
		free(fs);
		return fail_nomem();
	}
	fs->lock_fd = -1;
	fs->path = path_with(path, "");
	fs->tmp_path = path_with(path, ".tmp");
	fs->lock_path = path_with(path, ".lock");
	vt.payload = fs;
	vt.begin = fs_begin;
	vt.commit = fs_commit;
	vt.rollback = fs_rollback;
	vt.get = fs_get;
	vt.put = fs_put;
	vt.del = fs_del;
	vt.iterate = fs_iterate;
	vt.free = fs_free;
	*s = vt;
	if (!fs->path || !fs->tmp_path || !fs->lock_path) {
		fs_free(s);
		return fail_nomem();
	}
	fs->lock_fd = open(fs->lock_path, O_RDWR | O_CREAT, 0600);
	if (fs->lock_fd < 0) {
		rc = fail_errno("open", fs->lock_path);
		fs_free(s);
		return rc;
	}
	/* Read the file now, so a bad file is reported here rather than later. */
	if ((rc = load(fs)) < 0) {
		fs_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* A small program over the backend                                         */
/* ------------------------------------------------------------------------ */

#ifndef CUSTOM_STORAGE_NO_MAIN

/* The administrator created with a new store. A real host asks for it. */
#define DEMO_ADMIN_LOGIN "admin"
#define DEMO_ADMIN_PASSWORD "change-me-now"

static int die(const char *what, int rc)
{
	fprintf(stderr, "custom_storage: %s failed: %s (%s)\n", what, acct_error_last()->message, acct_strerror(rc));
	return EXIT_FAILURE;
}

static int usage(void)
{
	fprintf(stderr,
	        "usage: custom_storage FILE                  list the accounts in FILE\n"
	        "       custom_storage FILE add LOGIN [NAME]  add a customer owned by the admin\n"
	        "A new FILE starts with the administrator '" DEMO_ADMIN_LOGIN "'.\n");
	return 2;
}

static int list(acct_session *s)
{
	acct_account_iterator *it = NULL;
	acct_id id;
	int rc;

	printf("%-6s %-9s %-6s %s\n", "id", "type", "owner", "login");
	if ((rc = acct_account_iterator_new(&it, s, acct_session_account(s), ACCT_ITER_DESCENDANTS)) < 0)
		return die("acct_account_iterator_new", rc);
	while ((rc = acct_account_iterator_next(&id, it)) == 0) {
		acct_account *a = NULL;

		if ((rc = acct_account_lookup(&a, s, id)) < 0) {
			acct_account_iterator_free(it);
			return die("acct_account_lookup", rc);
		}
		printf("%-6lld %-9s %-6lld %s\n", (long long)id, acct_account_type_name(acct_account_type(a)),
		       (long long)acct_account_owner(a), acct_account_get(a, ACCT_FIELD_LOGIN));
		acct_account_free(a);
	}
	acct_account_iterator_free(it);
	return rc == ACCT_ITEROVER ? EXIT_SUCCESS : die("acct_account_iterator_next", rc);
}

static int add(acct_session *s, const char *login, const char *name)
{
	acct_account *a = NULL;
	acct_id id = 0;
	int rc;

	if ((rc = acct_account_new(&a, ACCT_TYPE_CUSTOMER)) == 0 &&
	    (rc = acct_account_set(a, ACCT_FIELD_LOGIN, login)) == 0 &&
	    (rc = acct_account_set(a, ACCT_FIELD_NAME, name)) == 0)
		rc = acct_account_add(&id, s, 1, a);
	acct_account_free(a);
	if (rc < 0)
		return die("adding the customer", rc);
	printf("added customer %s with id %lld\n", login, (long long)id);
	return EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	acct_ctx_options opts = ACCT_CTX_OPTIONS_INIT;
	acct_storage *storage = NULL;
	acct_session *s = NULL;
	acct_ctx *ctx = NULL;
	int rc, status;

	if (argc != 2 && !(argc >= 4 && argc <= 5 && strcmp(argv[2], "add") == 0))
		return usage();
	if (acct_global_init() < 1)
		return die("acct_global_init", ACCT_ERROR);
	if ((rc = custom_storage_new(&storage, argv[1])) < 0)
		return die("opening the file store", rc);
	opts.admin_login = DEMO_ADMIN_LOGIN;
	opts.admin_password = DEMO_ADMIN_PASSWORD;
	if ((rc = acct_ctx_new(&ctx, storage, &opts)) < 0) {
		acct_storage_free(storage); /* still ours: the context did not take it */
		return die("acct_ctx_new", rc);
	}
	/* The host decides who acts; here the administrator (account 1). */
	if ((rc = acct_session_open_as(&s, ctx, 1)) < 0) {
		acct_ctx_free(ctx);
		return die("acct_session_open_as", rc);
	}
	if (argc == 2)
		status = list(s);
	else
		status = add(s, argv[3], argc == 5 ? argv[4] : argv[3]);
	acct_session_free(s);
	acct_ctx_free(ctx); /* also frees the backend */
	acct_global_shutdown();
	return status;
}

#endif /* CUSTOM_STORAGE_NO_MAIN */
