// Which arguments of an iterator macro are its cursors (the variables each iteration
// assigns). The macro's definition is usually in a header the checker does not read, so
// the usual position (the first argument, for list_for_each_entry and most for_each_*)
// is only a default. Many driver iterators put the container first:
// `ice_for_each_vf(pf, bkt, vf)`, `for_each_action_of_desc(desc, action)`,
// `for_each_vma(vmi, vma)`. Treating `pf` or `desc` as reassigned by the loop turns the
// lock taken on `&pf->vfs.table_lock` before the loop and the unlock after it into two
// different locks. The code itself tells which is which: a container has a value before
// the loop (a parameter, an initialised or assigned variable), a cursor is a local that
// nothing wrote before the loop.

import type { SyntaxNode } from '../parse/syntax';
import type { FunctionDef } from '../parse/types';

export class IteratorCursors {
  private params = new Set<string>();
  private readonly locals = new Set<string>();
  /** Local name -> offsets where something writes it (initialiser, assignment, ++, &x). */
  private readonly writes = new Map<string, number[]>();
  private read = false;

  /** The declarations and writes are read on the first iterator met: most functions have
   *  none, and reading them walks the whole body. */
  constructor(private readonly fn: FunctionDef) {}

  private readFunction(): void {
    if (this.read) return;
    this.read = true;
    const fn = this.fn;
    this.params = new Set(fn.params.map((p) => p.name));
    for (const d of fn.body.descendantsOfType('declaration')) {
      if (!d) continue;
      for (const decl of d.childrenForFieldName('declarator')) {
        if (!decl) continue;
        const name = declaredName(decl);
        if (!name) continue;
        this.locals.add(name);
        if (decl.type === 'init_declarator') this.wrote(name, decl.startIndex);
      }
    }
    for (const a of fn.body.descendantsOfType(['assignment_expression', 'update_expression', 'pointer_expression'])) {
      if (!a) continue;
      const target = a.type === 'assignment_expression' ? a.childForFieldName('left') : a.childForFieldName('argument');
      if (a.type === 'pointer_expression' && a.child(0)?.type !== '&') continue;
      if (target?.type === 'identifier') this.wrote(target.text, a.startIndex);
    }
  }

  private wrote(name: string, at: number): void {
    const list = this.writes.get(name);
    if (list) list.push(at);
    else this.writes.set(name, [at]);
  }

  /** Has the variable a value before `at`: a parameter, or a local written earlier in the text. */
  private hasValueBefore(name: string, at: number): boolean {
    return this.params.has(name) || (this.writes.get(name) ?? []).some((w) => w < at);
  }

  /**
   * The cursors of the iterator call at `at`, given the default guess. The default stands
   * unless every variable in it is a container (it has a value before the loop, or it is no
   * plain local at all, like a `VMA_ITERATOR(vmi, ...)` state) while other arguments are
   * locals that nothing wrote before the loop: those are the cursors. An iterator whose
   * usual cursor position holds no variable (`mas_for_each(&mas, vma, max)`) is read the
   * same way.
   */
  choose(defaults: string[], args: SyntaxNode[], at: number): string[] {
    this.readFunction();
    const idents = args.filter((a) => a.type === 'identifier').map((a) => a.text);
    const container = (v: string): boolean => !this.locals.has(v) || this.hasValueBefore(v, at);
    if (!defaults.every(container)) return defaults;
    const unwritten = idents.filter((v) => !defaults.includes(v) && this.locals.has(v) && !this.params.has(v) && !this.hasValueBefore(v, at));
    if (unwritten.length > 0) return unwritten;
    // A default that is not a variable of this function at all (iterator state declared by a
    // macro) next to a local: the local is the cursor even if it was given a value first.
    if (defaults.length > 0 && defaults.every((v) => !this.locals.has(v) && !this.params.has(v))) {
      const locals = idents.filter((v) => !defaults.includes(v) && this.locals.has(v) && !this.params.has(v));
      if (locals.length > 0) return locals;
    }
    return defaults;
  }
}

function declaredName(n: SyntaxNode): string | undefined {
  if (n.type === 'identifier') return n.text;
  const inner = n.childForFieldName('declarator');
  return inner ? declaredName(inner) : undefined;
}
