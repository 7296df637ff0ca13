package dev.acstoken.cache;

import dev.acstoken.core.error.AcsException;

/**
 * The last failed refresh of a key: the error, how many attempts in a row failed, and when the next
 * attempt is due (monotonic). Immutable.
 */
final class Failure {

  final AcsException error;
  final int attempts;
  final long nextAttemptAtNanos;

  /**
   * A terminal error (identity deleted, not owned, unauthorized): no token is kept, and callers get
   * this error at once until {@link #nextAttemptAtNanos}, without a backend call.
   */
  final boolean terminal;

  Failure(AcsException error, int attempts, long nextAttemptAtNanos, boolean terminal) {
    this.error = error;
    this.attempts = attempts;
    this.nextAttemptAtNanos = nextAttemptAtNanos;
    this.terminal = terminal;
  }

  /** {@return whether the next attempt may start now} */
  boolean isDue(long nowNanos) {
    return nowNanos - nextAttemptAtNanos >= 0;
  }
}
