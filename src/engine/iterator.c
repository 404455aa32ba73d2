/*
 * Account iterators: a snapshot of ids taken under the read lock, so later
 * writes neither invalidate an iterator nor show up in it.
 */
#include <stdlib.h>
#include "util/util.h"
#include "engine.h"

struct acct_account_iterator {
	acct__ids i;
};

int acct__ids_next(acct_id *id_out, acct__ids *it)
{
	if (!id_out || !it)
		return acct__error_set(ACCT_EINVALID, "iterator next needs an out parameter and an iterator");
	if (it->pos >= it->n) {
		*id_out = 0;
		return ACCT_ITEROVER;
	}
	*id_out = it->ids[it->pos++];
	return 0;
}

void acct__ids_free(acct__ids *it)
{
	if (!it)
		return;
	acct__free(it->ids);
	acct__free(it);
}

static int cmp_id(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

typedef struct idvec {
	void *v;
	size_t n, cap;
} idvec;

static int push(idvec *v, uint32_t id)
{
	if (acct__grow(&v->v, &v->cap, v->n + 1, sizeof(uint32_t)) < 0)
		return ACCT_ENOMEM;
	((uint32_t *)v->v)[v->n++] = id;
	return 0;
}

/* Append the visible children of `parent`, by ascending id. */
static int children(idvec *out, const acct_session *s, uint32_t parent)
{
	const acct__index *ix = &s->ctx->ix;
	size_t start = out->n;
	uint32_t c;

	for (c = ix->first_child[parent]; c; c = ix->next_sibling[c])
		if (acct__policy_visible(s, c) && push(out, c) < 0)
			return ACCT_ENOMEM;
	if (out->n > start + 1)
		qsort((uint32_t *)out->v + start, out->n - start, sizeof(uint32_t), cmp_id);
	return 0;
}

static int descendants(idvec *out, const acct_session *s, uint32_t root)
{
	idvec stack = { NULL, 0, 0 }, kids = { NULL, 0, 0 };
	int rc = children(&kids, s, root);
	size_t i;

	/* Depth first: push children in reverse so the smallest id comes out first. */
	for (i = kids.n; rc == 0 && i-- > 0;)
		rc = push(&stack, ((uint32_t *)kids.v)[i]);
	while (rc == 0 && stack.n) {
		uint32_t id = ((uint32_t *)stack.v)[--stack.n];
		rc = push(out, id);
		kids.n = 0;
		if (rc == 0)
			rc = children(&kids, s, id);
		for (i = kids.n; rc == 0 && i-- > 0;)
			rc = push(&stack, ((uint32_t *)kids.v)[i]);
	}
	acct__free(stack.v);
	acct__free(kids.v);
	return rc;
}

int acct_account_iterator_new(acct_account_iterator **out, acct_session *s, acct_id parent, int mode)
{
	acct__request rq = { .op = ACCT__OP_LIST };
	acct__verdict v = { 0, ACCT__DENY_NONE };
	idvec ids = { NULL, 0, 0 };
	acct_account_iterator *it;
	int rc;

	if (!out)
		return acct__error_set(ACCT_EINVALID, "acct_account_iterator_new: out is NULL");
	*out = NULL;
	if ((rc = acct__session_check(s)) < 0)
		return rc;
	if (mode != ACCT_ITER_CHILDREN && mode != ACCT_ITER_DESCENDANTS)
		return acct__error_set(ACCT_EINVALID, "unknown iteration mode %d", mode);
	it = acct__calloc(1, sizeof(*it));
	if (!it)
		return acct__error_oom();
	rq.target = acct__id32(parent);
	pthread_rwlock_rdlock(&s->ctx->lock);
	rc = acct__policy_decide(s, &rq, &v);
	if (rc == 0)
		rc = mode == ACCT_ITER_CHILDREN ? children(&ids, s, rq.target) : descendants(&ids, s, rq.target);
	pthread_rwlock_unlock(&s->ctx->lock);
	if (rc < 0) {
		acct__free(ids.v);
		acct__free(it);
		return rc;
	}
	it->i.ids = ids.v;
	it->i.n = ids.n;
	*out = it;
	return 0;
}

int acct_account_iterator_next(acct_id *id_out, acct_account_iterator *it)
{
	return acct__ids_next(id_out, it ? &it->i : NULL);
}

void acct_account_iterator_free(acct_account_iterator *it)
{
	acct__ids_free(it ? &it->i : NULL);
}

int acct_account_foreach(acct_session *s, acct_id parent, int mode, acct_account_foreach_cb cb, void *payload)
{
	acct_account_iterator *it;
	acct_id id = 0;
	int rc;

	if (!cb)
		return acct__error_set(ACCT_EINVALID, "acct_account_foreach: callback is NULL");
	if ((rc = acct_account_iterator_new(&it, s, parent, mode)) < 0)
		return rc;
	while ((rc = acct_account_iterator_next(&id, it)) == 0)
		if ((rc = cb(id, payload)) != 0)
			break;
	acct_account_iterator_free(it);
	return rc == ACCT_ITEROVER ? 0 : rc;
}
