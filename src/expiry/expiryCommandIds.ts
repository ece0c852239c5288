// Command ids of the expiry watch; package.json `contributes.commands` lists the first three
// (renew and reveal take arguments, so they are hidden from the palette with `when: false`).
export const expiryCommandIds = {
  showItems: 'mhsm.expiry.showItems',
  renewClientSecret: 'mhsm.expiry.renewClientSecret',
  reveal: 'mhsm.expiry.reveal',
  resetNotifications: 'mhsm.expiry.resetNotifications',
} as const;
