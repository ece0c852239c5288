import * as l10n from '@vscode/l10n';
// The expiries a new client secret may get. Entra allows up to 24 months; "never" is not offered:
// a secret that never expires is a credential nobody is reminded to replace, and the seed asks for
// a renewal procedure before the expiry instead.

export const clientSecretExpiryMonths = [3, 6, 12, 18, 24] as const;
export const defaultClientSecretExpiryMonths = 12;

/** `months` calendar months after `now`, clamped to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function clientSecretExpiry(now: Date, months: number): Date {
  const target = new Date(now.getTime());
  const day = target.getUTCDate();
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target;
}

export function clientSecretDescriptionProblem(text: string): string | undefined {
  if (text.trim().length === 0) return l10n.t('Give the secret a description, e.g. "Secret Server".');
  if (text.length > 128) return l10n.t('Keep the description to 128 characters or fewer.');
  return undefined;
}
