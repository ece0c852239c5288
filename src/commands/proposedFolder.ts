import { promises as fs } from 'node:fs';
import * as path from 'node:path';

// VS Code's own file dialog (VS Code for the web, remote windows) only accepts a folder that
// exists, so a proposal that does not exist yet would be a dead end for "Save Here".

/**
 * Creates `folder` (owner-only) so a dialog can offer it; the returned function removes what was
 * created again unless `kept` is inside it, and only while it is still empty.
 */
export async function createProposedFolder(folder: string): Promise<(kept: string | undefined) => Promise<void>> {
  let created: string | undefined;
  try {
    created = await fs.mkdir(folder, { recursive: true, mode: 0o700 });
  } catch {
    // Not creatable (read-only home): the dialog still opens near it and the person picks another.
  }
  return async (kept) => {
    if (!created) return;
    if (kept && !path.relative(folder, kept).startsWith('..') && !path.isAbsolute(path.relative(folder, kept))) return;
    // From the proposal up to the first folder mkdir created; rmdir refuses anything non-empty.
    for (let dir = folder; ; dir = path.dirname(dir)) {
      try {
        await fs.rmdir(dir);
      } catch {
        return;
      }
      if (dir === created || path.dirname(dir) === dir) return;
    }
  };
}
