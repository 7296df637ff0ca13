package dev.acstoken.cache;

/**
 * Completes the flight of an invalidated entry: its waiters do not take the answer of a call that
 * may have started before a revocation, they look the key up afresh. Never reaches a caller.
 */
final class Superseded extends RuntimeException {

  private static final long serialVersionUID = 1L;

  static final Superseded INSTANCE = new Superseded();

  private Superseded() {
    super("superseded by an invalidation", null, false, false);
  }
}
