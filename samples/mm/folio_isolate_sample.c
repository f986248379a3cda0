// SPDX-License-Identifier: GPL-2.0
/*
 * Folio Lens sample: finding, pinning and isolating mapped folios.
 *
 * Written for Folio Lens in the style of mm/ (it is not kernel code). Two
 * defects are marked on their lines with "expect: <rule>" comments; every
 * other function is a correct idiom that a checker must leave alone.
 */
#include <linux/mm.h>
#include <linux/mm_inline.h>
#include <linux/pagemap.h>
#include <linux/swap.h>

/*
 * sample_lock_folio_at() - the folio mapped at @addr, locked and referenced,
 * or NULL. Returns with the lock held on every non-NULL path: a
 * lock-returning helper, not a leak.
 */
static struct folio *sample_lock_folio_at(struct vm_area_struct *vma,
					  pmd_t *pmd, unsigned long addr)
{
	struct folio *folio;
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	if (!pte)
		return NULL;
	folio = vm_normal_folio(vma, addr, ptep_get(pte));
	/* The table lock keeps the folio alive long enough to pin it. */
	if (folio)
		folio_get(folio);
	pte_unmap_unlock(pte, ptl);
	if (!folio)
		return NULL;

	/* Sleeping is allowed again now that the table lock is gone. */
	folio_lock(folio);
	return folio;
}

/* sample_dirty_folio_at() - uses the helper above and undoes what it took. */
static int sample_dirty_folio_at(struct vm_area_struct *vma, pmd_t *pmd,
				 unsigned long addr)
{
	struct folio *folio = sample_lock_folio_at(vma, pmd, addr);

	if (!folio)
		return -ENOENT;
	folio_mark_dirty(folio);
	folio_unlock(folio);
	folio_put(folio);
	return 0;
}

/*
 * sample_wait_mapped() - wait until the folio mapped at @addr is no longer
 * under writeback.
 */
static bool sample_wait_mapped(struct vm_area_struct *vma, pmd_t *pmd,
			       unsigned long addr)
{
	struct folio *folio;
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	if (!pte)
		return false;
	folio = vm_normal_folio(vma, addr, ptep_get(pte));
	if (!folio) {
		pte_unmap_unlock(pte, ptl);
		return false;
	}
	folio_get(folio);
	/* folio_lock() may sleep, and the page-table spinlock is held. */
	folio_lock(folio);	/* expect: sleep-in-atomic */
	pte_unmap_unlock(pte, ptl);

	folio_wait_writeback(folio);
	folio_unlock(folio);
	folio_put(folio);
	return true;
}

/*
 * sample_isolate_at() - take the small folio mapped at @addr off the LRU and
 * queue it on @pagelist for migration.
 */
static int sample_isolate_at(struct vm_area_struct *vma, pmd_t *pmd,
			     unsigned long addr, struct list_head *pagelist)
{
	struct folio *folio;
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	if (!pte)
		return -EAGAIN;
	folio = vm_normal_folio(vma, addr, ptep_get(pte));
	if (!folio || folio_is_zone_device(folio)) {
		pte_unmap_unlock(pte, ptl);
		return -ENOENT;
	}
	folio_get(folio);
	pte_unmap_unlock(pte, ptl);

	if (folio_test_large(folio)) {
		folio_put(folio);
		return -EBUSY;
	}
	/* The reference taken above is not dropped on this return. */
	if (!folio_isolate_lru(folio))
		return -EBUSY;	/* expect: ref-leak */

	/* The isolation reference now belongs to the list. */
	list_add_tail(&folio->lru, pagelist);
	folio_put(folio);
	return 0;
}

/*
 * sample_count_young() - count young entries in [addr, end), giving up early
 * (and dropping the table lock first) when a reschedule is due.
 */
static unsigned long sample_count_young(struct vm_area_struct *vma,
					pmd_t *pmd, unsigned long addr,
					unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long young = 0;
	pte_t *start_pte, *pte;
	spinlock_t *ptl;

	start_pte = pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	if (!start_pte)
		return 0;
	for (; addr < end; pte++, addr += PAGE_SIZE) {
		if (pte_young(ptep_get(pte)))
			young++;
		if (need_resched()) {
			pte_unmap_unlock(start_pte, ptl);
			start_pte = NULL;
			cond_resched();
			break;
		}
	}
	if (start_pte)
		pte_unmap_unlock(start_pte, ptl);
	return young;
}

/*
 * sample_clear_range() - clear @nr entries with both the PMD lock and the PTE
 * table lock held. Without split PTE locks the two are one spinlock, so the
 * inner one is taken only when it differs.
 */
static void sample_clear_range(struct mm_struct *mm, pmd_t *pmd,
			       unsigned long addr, int nr)
{
	spinlock_t *pml, *ptl;
	pte_t *start_pte, *pte;

	pml = pmd_lock(mm, pmd);
	start_pte = pte = pte_offset_map(pmd, addr);
	if (!start_pte) {
		spin_unlock(pml);
		return;
	}
	ptl = pte_lockptr(mm, pmd);
	if (ptl != pml)
		spin_lock(ptl);
	for (; nr > 0; nr--, pte++, addr += PAGE_SIZE)
		ptep_get_and_clear(mm, addr, pte);
	if (ptl != pml)
		spin_unlock(ptl);
	pte_unmap(start_pte);
	spin_unlock(pml);
}

/*
 * sample_abort_folio() - undo a partly done isolation. Callers get here both
 * before and after they locked the folio, so the lock itself is asked.
 */
static void sample_abort_folio(struct folio *folio, unsigned long *nr_failed)
{
	if (folio_test_locked(folio))
		folio_unlock(folio);
	(*nr_failed)++;
}
