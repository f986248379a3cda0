// Objects reached from a global read by name: `current->mm`, `&current->sighand->siglock`.
// Every function on a call chain reads the same global by that name, so such an object is
// one the caller can name (in a summary) and one whose lock state the caller may own.

import type { SimContext } from './context';
import type { PathState, Sym } from './state';

const IDENT = /^[A-Za-z_]\w*$/;

/** The global's name (`&name` for its address) and the fields (`&f` for the address of field
 *  f) leading to the object, or undefined when the object is not reached that way (within
 *  `depth` steps). */
export function namedGlobalPath(cx: SimContext, s: PathState, obj: Sym, depth = 4): { name: string; path: string[] } | undefined {
  const r = s.rep(obj);
  const info = cx.info(r);
  if (info.origin === 'global' && info.addrOf === undefined && IDENT.test(info.label)) return { name: info.label, path: [] };
  // The address of a global (`&hugetlb_lock`) is the same in every function that names it.
  if (info.origin === 'global' && info.addrOf !== undefined && IDENT.test(info.addrOf)) return { name: `&${info.addrOf}`, path: [] };
  if (depth === 0) return undefined;
  if (info.addrField !== undefined && info.from?.length) {
    const base = namedGlobalPath(cx, s, info.from[0], depth - 1);
    return base ? { name: base.name, path: [...base.path, `&${info.addrField}`] } : undefined;
  }
  if (info.origin !== 'field' || !info.from?.length) return undefined;
  const b = s.rep(info.from[0]);
  for (const [key, v] of s.fields) {
    if (s.rep(v) !== r || !key.startsWith(`${b}.`)) continue;
    const field = key.slice(key.indexOf('.') + 1);
    if (!IDENT.test(field)) continue;
    const base = namedGlobalPath(cx, s, b, depth - 1);
    return base ? { name: base.name, path: [...base.path, field] } : undefined;
  }
  return undefined;
}
