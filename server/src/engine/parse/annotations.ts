// Kernel annotations: read the lock contracts (__acquires/__releases/__must_hold/
// __cond_acquires), then blank every annotation token that breaks the C grammar with
// spaces of the same length. Only code is touched: never strings, comments or #lines.

import type { LockAnnotation } from './types';
import { CODE, type ScannedText, isIdentPart, isIdentStart, matchParen, nextSignificant, splitArgs } from './scan';
import type { SameLengthEdits } from './edits';

/** Bare annotation words (include/linux/compiler_types.h, init.h, cache.h and what mm/ uses). */
const BARE_ANNOTATIONS = new Set([
  '__init', '__exit', '__meminit', '__meminitdata', '__meminitconst', '__ref', '__refdata', '__refconst',
  '__read_mostly', '__weak', '__always_inline', 'noinline', '__noinline', 'noinline_for_stack',
  '__must_check', '__maybe_unused', '__always_unused', '__cold', '__hot', '__sched', 'notrace',
  '__latent_entropy', '__initdata', '__initconst', '__ro_after_init', '__cpuinit', '__cpuinitdata',
  '__user', '__kernel', '__iomem', '__rcu', '__percpu', '__force', '__bitwise', '__private', '__nocast',
  '__safe', '__visible', 'asmlinkage', '__noreturn', '__init_memblock', '__initdata_memblock',
  '__exitdata', '__devinit', '__fastpath_inline', '__pure', '__malloc', '__used', '__packed',
  '__cacheline_aligned', '__cacheline_aligned_in_smp', '____cacheline_aligned',
  '____cacheline_aligned_in_smp', '____cacheline_internodealigned_in_smp', '__page_aligned_bss',
  '__page_aligned_data', '__randomize_layout', '__no_randomize_layout', '__nocfi', '__noclone',
  '__no_kasan_or_inline', '__no_sanitize_address', '__no_kcsan', '__no_sanitize_thread',
  '__no_sanitize_memory', '__no_sanitize_or_inline', '__noinstr', 'noinstr', '__flatten',
  '__gnu_inline', '__inline_maybe_unused', '__init_or_module', '__initdata_or_module',
  '__kprobes', 'nokprobe_inline', '__irq_entry', '__softirq_entry', '__cpuidle', '__ksym',
  '__attribute_const__', '__mustcheck', '__nonstring', '__unused', '__deprecated', '__lockfunc',
  '__init_or_acpilib', '__net_init', '__net_exit', '__always_used', '__used_on_init',
  '__noscs', '__noinline_for_stack', '__no_stack_protector', '__no_profile', '__ro_after_init_scoped',
]);

/** Annotations with a parenthesised argument list; the whole call is blanked. */
const CALL_ANNOTATIONS = new Set([
  '__attribute__', '__attribute', '__printf', '__scanf', '__section', '__aligned', '__alloc_size',
  '__assume_aligned', '__counted_by', '__diagnose_as', '__cond_acquires', '__cond_releases',
  '__acquires', '__releases', '__must_hold', '__acquire_ret', '__releases_shared', '__acquires_shared',
  '__must_hold_shared', '__no_sanitize_or_inline', '__malloc_like', '__realloc_size', '__nonnull',
  '__designated_init', '__cleanup', '__free', '__no_context_analysis', '__guarded_by', '__pt_guarded_by',
]);

const LOCK_KINDS: Record<string, LockAnnotation['kind']> = {
  __acquires: 'acquires',
  __releases: 'releases',
  __must_hold: 'must_hold',
  __cond_acquires: 'cond_acquires',
};

/** A lock annotation and where it was in the text. */
export interface LockAnnotationSite {
  start: number;
  end: number;
  annotation: LockAnnotation;
}

function collapseSpaces(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * Reads lock annotations and records blanking edits for every annotation token in code.
 * Returns the lock annotations in source order.
 */
export function blankAnnotations(scan: ScannedText, edits: SameLengthEdits): LockAnnotationSite[] {
  const { text, kind } = scan;
  const sites: LockAnnotationSite[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (kind[i] !== CODE || !isIdentStart(c) || (i > 0 && isIdentPart(text.charCodeAt(i - 1)))) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && isIdentPart(text.charCodeAt(j))) j++;
    // Cheap filter: every annotation starts with '_' or one of a few letters.
    if (c !== 0x5f && c !== 0x6e /* n */ && c !== 0x61 /* a */) {
      i = j;
      continue;
    }
    const word = text.slice(i, j);
    if (BARE_ANNOTATIONS.has(word)) {
      edits.blank(i, j);
      i = j;
      continue;
    }
    if (CALL_ANNOTATIONS.has(word)) {
      const open = nextSignificant(scan, j);
      if (open < n && text.charCodeAt(open) === 0x28) {
        const close = matchParen(scan, open);
        if (close > 0) {
          const lockKind = LOCK_KINDS[word];
          if (lockKind) {
            const args = splitArgs(scan, open, close)
              .map(([a, b]) => collapseSpaces(text.slice(a, b)))
              .filter((a) => a.length > 0);
            sites.push({ start: i, end: close + 1, annotation: { kind: lockKind, args } });
          }
          edits.blank(i, close + 1);
          i = close + 1;
          continue;
        }
      } else if (LOCK_KINDS[word] === undefined && word !== '__attribute__' && word !== '__attribute') {
        // e.g. `__aligned` used bare in a #define-less context: harmless to blank too.
        edits.blank(i, j);
      }
    }
    i = j;
  }
  return sites;
}
