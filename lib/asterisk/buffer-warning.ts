// ari-client (and the swagger client under it) call the deprecated Buffer() constructor on every
// request. Node answers each such call from node_modules by capturing a stack trace to decide whether
// to warn (up to 10,000 times): about 20 µs a call under tsx's source maps, the first thousands of
// requests of a run. Called once from here, outside node_modules, with deprecation warnings muted for
// that call, the warning counts as given and every later call costs nothing.
export function settleBufferDeprecation(): void {
  const was = process.noDeprecation;
  process.noDeprecation = true;
  try {
    // the one call that settles the warning (new Buffer(0) is the deprecated form ari-client uses)
    void new (Buffer as unknown as new (size: number) => Buffer)(0);
  } finally {
    process.noDeprecation = was;
  }
}
