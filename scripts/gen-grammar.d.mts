// Types of scripts/gen-grammar.mjs for TypeScript callers (the unit tests).
export type PrimitiveClass = 'acquire' | 'release' | 'refGet' | 'refPut' | 'other';
export interface InjectionGrammar {
  scopeName: string;
  injectionSelector: string;
  patterns: { comment: string; match: string; name: string }[];
}
export const DEFAULT_OUT: string;
export const INJECTION_SCOPE: string;
export const CLASS_SCOPES: Record<PrimitiveClass, string>;
export function classify(contract: unknown): PrimitiveClass;
export function buildInjectionGrammar(contracts: unknown[]): InjectionGrammar;
export function loadBuiltinContracts(): Promise<{ name: string }[]>;
