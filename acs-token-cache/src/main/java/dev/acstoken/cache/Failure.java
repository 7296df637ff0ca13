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

  Failure(AcsException error, int attempts, long nextAttemptAtNanos) {
    this.error = error;
    this.attempts = attempts;
    this.nextAttemptAtNanos = nextAttemptAtNanos;
  }
}
