// Loads a --contracts file through the engine's loader and validator. The engine's errors
// name the file and the JSON path of each problem; they are passed through unchanged.
// The validated table is what AnalyzeOptions.extraContracts carries (one table per file).

import { loadContractFile } from '../engine';

export type LoadedContracts = { ok: true; tables: unknown[] } | { ok: false; errors: string[] };

export function loadExtraContracts(file: string): LoadedContracts {
  let loaded;
  try {
    loaded = loadContractFile(file);
  } catch (err) {
    return { ok: false, errors: [`${file}: ${err instanceof Error ? err.message : String(err)}`] };
  }
  if (loaded.errors.length > 0 || !loaded.table) {
    return { ok: false, errors: loaded.errors.length > 0 ? loaded.errors : [`${file}: no contracts`] };
  }
  return { ok: true, tables: [loaded.table] };
}
