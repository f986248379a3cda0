// How kernel macros shape control flow. Names only; what the macros do to locks and
// references is the contract table's business, not the CFG's.

export { isIteratorMacroName, isScopedGuardName } from '../parse/rewrite';

/** Calls that end a path without returning. */
const ABORT_CALLS = new Set(['BUG', 'panic', 'unreachable', 'BUILD_BUG', '__builtin_unreachable', 'do_exit', 'make_task_dead']);

export function isAbortCall(name: string): boolean {
  return ABORT_CALLS.has(name);
}

/** `WARN_ON(c)`, `WARN_ON_ONCE(c)`, `WARN(c, fmt...)`, `VM_WARN_ON*(c, ...)`, `WARN_ONCE(c, ...)`: a branch on c, both sides continue. */
export function isWarnMacro(name: string): boolean {
  return /^(WARN|WARN_ON|WARN_ONCE|WARN_ON_ONCE|WARN_TAINT|WARN_TAINT_ONCE|VM_WARN_ON\w*|VM_WARN_ONCE\w*|VM_WARN)$/.test(name);
}

/** `BUG_ON(c)`, `VM_BUG_ON*(c, ...)`: a branch on c whose true side aborts. */
export function isBugMacro(name: string): boolean {
  return /^(BUG_ON|VM_BUG_ON\w*)$/.test(name);
}

/** `ASSERT(c)` (btrfs, xfs): the author states that c holds; a false c is a bug (an
 *  assertion failure with the debug option, undefined otherwise), so the false side aborts. */
export function isAssertMacro(name: string): boolean {
  return name === 'ASSERT';
}

/** Wrappers that are transparent in a condition. */
export function isTransparentConditionWrapper(name: string): boolean {
  return name === 'likely' || name === 'unlikely' || name === '__builtin_expect';
}

/** Statement macros that are no-ops for control flow. */
export function isNoOpStatement(text: string): boolean {
  return text === 'fallthrough' || text === '__fallthrough';
}
