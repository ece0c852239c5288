import { parseSwitchRecord, type KeyVersionSwitchRecord } from '../core/expiry/waitingPeriod';
import type { ExpiryStateStore } from './expiryDeps';

// The key-version switch records (waiting periods) in globalState: key ids, connection ids,
// versions and a timestamp — nothing secret. One record per key and connection; a newer switch
// replaces the older one.

export const switchRecordsKey = 'mhsm.keyRotation.switches';
const maxRecords = 200;

export class SwitchRecordStore {
  constructor(private readonly state: ExpiryStateStore) {}

  list(): KeyVersionSwitchRecord[] {
    const raw = this.state.get(switchRecordsKey);
    if (!Array.isArray(raw)) return [];
    return raw.slice(0, maxRecords).map(parseSwitchRecord).filter((r): r is KeyVersionSwitchRecord => r !== undefined);
  }

  find(keyId: string, connectionId?: string): KeyVersionSwitchRecord | undefined {
    return this.list().find((r) => sameKey(r, keyId) && (connectionId === undefined || r.connectionId === connectionId));
  }

  async put(record: KeyVersionSwitchRecord): Promise<void> {
    const rest = this.list().filter((r) => !(sameKey(r, record.keyId) && r.connectionId === record.connectionId));
    await this.state.update(switchRecordsKey, [record, ...rest].slice(0, maxRecords));
  }

  async remove(record: KeyVersionSwitchRecord): Promise<void> {
    await this.state.update(switchRecordsKey, this.list().filter((r) => !(sameKey(r, record.keyId) && r.connectionId === record.connectionId)));
  }
}

function sameKey(r: KeyVersionSwitchRecord, keyId: string): boolean {
  return r.keyId.toLowerCase() === keyId.toLowerCase();
}
