// The one kind of key Secret Server can use as its Managed HSM master key: a 256-bit AES key that
// lives only in the HSM and can wrap and unwrap Secret Server's encryption key (A256KW). Anything
// else — another size, an exportable key, extra operations — either fails at Secret Server's next
// start or widens what a leaked app credential could do.

export const secretServerKeySpec = {
  keyType: 'oct-HSM',
  keySize: 256,
  keyOps: ['wrapKey', 'unwrapKey'],
  exportable: false,
  wrapAlgorithm: 'A256KW',
} as const;
