package dev.acstoken.cache;

import dev.acstoken.core.AccessToken;

/**
 * A cached token and its two deadlines on the monotonic clock: before {@code refreshAtNanos} the
 * key is FRESH, before {@code usableUntilNanos} STALE, after it EXPIRED. Immutable, so that the hit
 * path reads it with one volatile read and no lock.
 */
final class Snapshot {

  final AccessToken token;
  final long refreshAtNanos;
  final long usableUntilNanos;

  Snapshot(AccessToken token, long refreshAtNanos, long usableUntilNanos) {
    this.token = token;
    this.refreshAtNanos = refreshAtNanos;
    this.usableUntilNanos = usableUntilNanos;
  }

  @Override
  public String toString() {
    return "Snapshot[" + token + "]";
  }
}
