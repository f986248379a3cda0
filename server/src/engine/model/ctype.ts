// C type text in one spelling, so that a declaration and a contract's signature compare
// equal however they were spaced or qualified: `const struct mm_struct*` and
// `struct mm_struct *` are the same parameter type for choosing an API's contract.

const QUALIFIERS = /\b(?:const|volatile|restrict|__rcu|__user|__iomem)\b/g;

export function normalizeCType(type: string): string {
  return type
    .replace(QUALIFIERS, ' ')
    .replace(/\s*\*\s*/g, ' *')
    .replace(/\s+/g, ' ')
    .replace(/\* \*/g, '**')
    .trim();
}
