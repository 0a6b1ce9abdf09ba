// ari-client ships no types: the bench's minimal app and baseline, and the simulator's conformance
// tests, narrow `unknown` to the part they use (the controller itself talks ARI over ari-rest.ts and
// ari-socket.ts).
declare module 'ari-client' {
  const ari: unknown;
  export default ari;
}
