/** Vitest's global set-up: builds the test bundles (test-bundles.ts) for the run's workers. */
import type { TestProject } from 'vitest/node';
import { buildTestBundles, removeTestBundles } from './test-bundles';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder of this run's test bundles. */
    testBundles: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = await buildTestBundles();
  project.provide('testBundles', dir);
  return () => removeTestBundles(dir);
}
