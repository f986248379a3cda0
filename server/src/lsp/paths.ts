// URIs and file paths: only file: URIs have a path on disk (for the kernel
// version's Makefile); untitled and virtual documents have none.

import { fileURLToPath, pathToFileURL } from 'node:url';

export function uriToFilePath(uri: string): string | null {
  if (!uri.startsWith('file:')) return null;
  try {
    return fileURLToPath(uri);
  } catch {
    return null;
  }
}

export function filePathToUri(filePath: string): string {
  return pathToFileURL(filePath).href;
}
