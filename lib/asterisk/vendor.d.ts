// ari-client and asterisk-manager ship no types: each importer in lib/asterisk/ narrows `unknown` to the part it uses.
declare module 'ari-client' {
  const ari: unknown;
  export default ari;
}
declare module 'asterisk-manager' {
  const AsteriskManager: unknown;
  export default AsteriskManager;
}
