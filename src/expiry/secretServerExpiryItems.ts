import type { WatchedItem } from '../core/expiry/watchedItem';
import type { KeyManagementState } from '../views/secretServer/secretServerModel';
import { clientSecretItems, keyItem, keyVersionItems, type ConnectionUse } from './watchedItemsFrom';

// What one Secret Server connection's loaded key management contributes to the watch: the client
// secrets of the app it signs in with and the key version it wraps with, each marked as used by
// the connection so their trouble shows on the connection too.

export function connectionUseOf(connectionId: string, state: KeyManagementState): ConnectionUse {
  const hsm = state.config.provider === 'azureManagedHsm' ? state.config.azureManagedHsm : undefined;
  return { connectionId, principalId: hsm?.principalId, keyUrl: hsm?.keyUrl };
}

export function secretServerExpiryItems(connectionId: string, state: KeyManagementState): WatchedItem[] {
  const uses = [connectionUseOf(connectionId, state)];
  const items: WatchedItem[] = [];
  if (state.app?.ok) {
    const app = state.app.value;
    items.push(...clientSecretItems({ id: app.objectId, appId: app.appId, displayName: app.displayName, secrets: app.secrets }, uses));
  }
  if (state.key?.ok) {
    const key = state.key.value.key;
    items.push(keyItem(key, false, uses), ...keyVersionItems([key], uses));
  }
  return items;
}
