// Every service reads time here, never Date.now(), so that tests can move time forward and watch
// secrets and key versions expire.
export class SandboxClock {
  constructor(private offsetMs: number, private readonly onChange: (offsetMs: number) => void) {}

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  nowIso(): string {
    return new Date(this.nowMs()).toISOString();
  }

  get offset(): number {
    return this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
    this.onChange(this.offsetMs);
  }
}
