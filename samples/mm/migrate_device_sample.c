// SPDX-License-Identifier: GPL-2.0
/*
 * Folio Lens sample: collecting pages for device migration.
 *
 * Written for Folio Lens in the style of mm/migrate_device.c (it is not kernel
 * code). It holds three defects, each marked on its line with an
 * "expect: <rule>" comment, next to correct idioms that a checker must leave
 * alone. As in the migrate-device code of recent kernels, the folio of a
 * fault_page parameter is locked and referenced by the caller for the whole
 * operation.
 */
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/pagewalk.h>
#include <linux/rmap.h>
#include <linux/swapops.h>

#define SAMPLE_BATCH	16

struct sample_collect {
	struct vm_area_struct *vma;
	struct page *fault_page;
	struct folio *folios[SAMPLE_BATCH];
	unsigned int nr_folios;
	unsigned long nr_skipped;
};

/*
 * sample_split_for_migration() - split a large folio met during collection
 * @folio: the large folio, referenced by the caller
 * @fault_page: the page whose CPU fault started this migration, or NULL
 *
 * Pins and locks @folio unless the fault handler already holds it, splits
 * it, and then tries to leave the folio that now holds @fault_page locked and
 * pinned, as the fault handler expects.
 */
static int sample_split_for_migration(struct folio *folio,
				      struct page *fault_page)
{
	struct folio *fault_folio = fault_page ? page_folio(fault_page) : NULL;
	struct folio *after;
	int err;

	if (folio != fault_folio) {
		folio_get(folio);
		folio_lock(folio);
	}

	err = split_folio(folio);
	if (err) {
		if (folio != fault_folio) {
			folio_unlock(folio);
			folio_put(folio);
		}
		return err;
	}

	after = fault_page ? page_folio(fault_page) : NULL;
	if (!after) {
		folio_unlock(folio);
		folio_put(folio);
	} else if (after != folio) {
		/*
		 * Wrong when @folio was not the fault folio: then the fault
		 * page did not move, "after" is the fault folio, and its lock
		 * is already held by the fault handler.
		 */
		folio_get(after);
		folio_lock(after);	/* expect: double-lock */
		folio_unlock(folio);
		folio_put(folio);
	}
	return 0;
}

/*
 * sample_mark_dirty() - mark folios dirty under their lock. The fault folio is
 * locked by the fault handler already, so it is used as it is and left locked.
 * Correct: nothing to report.
 */
static void sample_mark_dirty(struct folio **folios, unsigned int nr,
			      struct page *fault_page)
{
	struct folio *fault_folio = fault_page ? page_folio(fault_page) : NULL;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		struct folio *folio = folios[i];

		if (fault_folio == folio || folio_trylock(folio)) {
			folio_mark_dirty(folio);
			if (fault_folio != folio)
				folio_unlock(folio);
		}
	}
}

/*
 * sample_collect_pmd() - walk the PTEs under one PMD and take small,
 * lockable folios for migration.
 */
static int sample_collect_pmd(pmd_t *pmdp, unsigned long start,
			      unsigned long end, struct mm_walk *walk)
{
	struct sample_collect *sc = walk->private;
	struct vm_area_struct *vma = walk->vma;
	struct mm_struct *mm = vma->vm_mm;
	unsigned long addr = start;
	spinlock_t *ptl;
	pte_t *ptep;

again:
	ptep = pte_offset_map_lock(mm, pmdp, addr, &ptl);
	if (!ptep)
		goto again;
	arch_enter_lazy_mmu_mode();

	for (; addr < end; addr += PAGE_SIZE, ptep++) {
		pte_t pte = ptep_get(ptep);
		struct folio *folio;

		if (!pte_present(pte))
			continue;
		folio = vm_normal_folio(vma, addr, pte);
		if (!folio || folio_is_zone_device(folio))
			continue;

		if (folio_test_large(folio)) {
			/*
			 * Meant to split and rescan, but only lazy-MMU mode is
			 * left: the table is still mapped and locked when the
			 * walk starts over and locks it again.
			 */
			arch_leave_lazy_mmu_mode();
			goto again;	/* expect: retry-with-lock-held */
		}

		if (sc->nr_folios == SAMPLE_BATCH) {
			sc->nr_skipped++;
			continue;
		}

		/* Pin the folio while the table lock still keeps it alive. */
		folio_get(folio);
		if (!folio_trylock(folio)) {
			folio_put(folio);
			sc->nr_skipped++;
			continue;
		}
		/* Locked and referenced: the batch owns both from here on. */
		sc->folios[sc->nr_folios++] = folio;
	}

	arch_leave_lazy_mmu_mode();
	pte_unmap_unlock(ptep - 1, ptl);
	return 0;
}

/*
 * sample_split_mapped() - split the large folio mapped at @addr so that its
 * pages can migrate one by one; when the split fails, age the entry so that
 * the next scan looks elsewhere first.
 */
static int sample_split_mapped(struct vm_area_struct *vma, pmd_t *pmdp,
			       unsigned long addr)
{
	struct mm_struct *mm = vma->vm_mm;
	struct folio *folio;
	spinlock_t *ptl;
	pte_t *ptep;
	pte_t orig;
	int err;

	ptep = pte_offset_map_lock(mm, pmdp, addr, &ptl);
	if (!ptep)
		return -EAGAIN;
	orig = ptep_get(ptep);
	folio = vm_normal_folio(vma, addr, orig);
	if (!folio || !folio_test_large(folio) || !folio_trylock(folio)) {
		pte_unmap_unlock(ptep, ptl);
		return 0;
	}
	/* Locked under the table lock; pin it before the lock goes. */
	folio_get(folio);
	pte_unmap_unlock(ptep, ptl);

	err = split_folio(folio);
	folio_unlock(folio);
	folio_put(folio);
	if (!err)
		return 0;

	/*
	 * The table was unlocked while the split ran and may have been freed
	 * and replaced: the pointer must be checked before it is used.
	 */
	ptep = pte_offset_map_lock(mm, pmdp, addr, &ptl);
	set_pte_at(mm, addr, ptep, pte_mkold(orig));	/* expect: pte-map-unchecked */
	pte_unmap_unlock(ptep, ptl);
	return err;
}
