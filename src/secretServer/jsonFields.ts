// Secret Server's wire models are only partly specified (secret-server-api.md §0): fields may be
// absent, null, or a number sent as a string. Mapping reads them through these, so an unexpected
// shape degrades to "unknown" instead of a crash.

export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/** A non-empty string, or undefined for absent, null, blank or non-string values. */
export function stringField(obj: JsonObject | undefined, name: string): string | undefined {
  const v = obj?.[name];
  if (typeof v === 'string') return v.trim() === '' ? undefined : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

export function numberField(obj: JsonObject | undefined, name: string): number | undefined {
  const v = obj?.[name];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

export function booleanField(obj: JsonObject | undefined, name: string): boolean | undefined {
  const v = obj?.[name];
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'True') return true;
  if (v === 'false' || v === 'False') return false;
  return undefined;
}

/** Reads the first of several candidate names, for fields whose spelling is not confirmed. */
export function firstString(obj: JsonObject | undefined, names: readonly string[]): string | undefined {
  for (const n of names) {
    const v = stringField(obj, n);
    if (v !== undefined) return v;
  }
  return undefined;
}
