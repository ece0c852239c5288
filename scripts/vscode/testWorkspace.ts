import * as path from 'node:path';
import { repoRoot } from './paths';

/** The folder the extension-host suites and the UI tests open (test/e2e/workspace). */
export const testWorkspace = path.join(repoRoot, 'test', 'e2e', 'workspace');

/** Where runs leave logs and screenshots (git-ignored). */
export const testResultsDir = path.join(repoRoot, 'test-results');
