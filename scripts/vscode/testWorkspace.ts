import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './paths';

/**
 * The folder the extension-host suites and the UI tests open: test/e2e/workspace, or
 * MHSM_TEST_WORKSPACE (made from it when missing), so that two suites running side by side
 * (`npm test`) never see each other's files.
 */
export const testWorkspace = process.env.MHSM_TEST_WORKSPACE ? path.resolve(process.env.MHSM_TEST_WORKSPACE) : path.join(repoRoot, 'test', 'e2e', 'workspace');

if (!fs.existsSync(testWorkspace)) fs.cpSync(path.join(repoRoot, 'test', 'e2e', 'workspace'), testWorkspace, { recursive: true });

/** Where runs leave logs and screenshots (git-ignored). */
export const testResultsDir = path.join(repoRoot, 'test-results');
