import type { Context } from 'mocha';

// The tests of a UI file that build on each other, as a person's session does (sign in, then
// create, then use). A test names the earlier tests it needs; when one of them did not pass, it
// fails at once with a message naming that test, instead of timing out on a prompt that never
// comes and hiding where the run really broke.

export class StepChain {
  private readonly outcomes = new Map<string, string>();

  /** Call from the file's afterEach: remembers how each test ended. */
  record(ctx: Context): void {
    const test = ctx.currentTest;
    if (test) this.outcomes.set(test.title, test.state ?? 'not finished');
  }

  /** Throws unless every earlier test named (its whole title, or the start of it, e.g. "3.") passed. */
  needs(...earlier: string[]): void {
    for (const name of earlier) {
      const match = [...this.outcomes.entries()].find(([title]) => title === name || title.startsWith(name));
      if (match?.[1] === 'passed') continue;
      const why = match ? `"${match[0]}", which ${match[1] === 'failed' ? 'failed' : `ended ${match[1]}`}` : `"${name}", which did not run`;
      throw new Error(`This step builds on the earlier step ${why}: see that failure first.`);
    }
  }
}
