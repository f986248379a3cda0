// Which functions of one file call which, for deciding what to simulate again
// after an edit. A caller's result depends on its callees' summaries, and a
// static callee's entry assumptions come from its call sites, so both
// directions matter. The engine's FunctionAnalysis carries no call list yet, so
// calls are read from the text: every identifier that names a function of the
// same file, called or passed on (a release callback given to kref_put() runs on
// one of its outcomes, so the caller's summary depends on it). That
// over-approximates, which only costs an extra simulation.

const CALL = /\b([A-Za-z_]\w*)\b/g;

/** Identifiers in `text` that are among `known`: functions it calls or passes on. */
export function calledNames(text: string, known: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const match of text.matchAll(CALL)) {
    const name = match[1]!;
    if (known.has(name)) out.add(name);
  }
  return out;
}

/**
 * The functions to simulate again when `changed` changed: the changed ones, the
 * functions they call directly (their entry contexts may differ), and every
 * transitive caller of those (their summaries feed the callers).
 */
export function affectedFunctions(changed: Iterable<string>, calls: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  const callers = new Map<string, Set<string>>();
  for (const [caller, callees] of calls) {
    for (const callee of callees) {
      let set = callers.get(callee);
      if (!set) callers.set(callee, (set = new Set()));
      set.add(caller);
    }
  }
  const affected = new Set<string>();
  const work: string[] = [];
  const add = (name: string): void => {
    if (!affected.has(name)) {
      affected.add(name);
      work.push(name);
    }
  };
  for (const name of changed) {
    add(name);
    for (const callee of calls.get(name) ?? []) add(callee);
  }
  while (work.length > 0) {
    const name = work.pop()!;
    for (const caller of callers.get(name) ?? []) add(caller);
  }
  return affected;
}
