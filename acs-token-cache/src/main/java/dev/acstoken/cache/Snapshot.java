package dev.acstoken.cache;

import dev.acstoken.core.AccessToken;

/**
 * A cached token and its deadlines: before {@code refreshAtNanos} (monotonic, and its image on the
 * wall clock) the key is FRESH; it stays usable while both the monotonic deadline {@code
 * usableUntilNanos} and the wall-clock deadline {@code usableUntilWallMillis} hold; after either it
 * is EXPIRED.
 *
 * <p>Two clocks, because each fails in its own way: a suspended process does not see its monotonic
 * clock move (Linux stops it in suspend), and a wall clock can be stepped either way by NTP. A
 * token is served only while both say it is usable. The wall-clock deadline is in the local clock's
 * frame, computed from the token's time left as corrected for the skew measured on its arrival.
 *
 * <p>Immutable, so that the hit path reads it with one volatile read and no lock. Four fields and
 * nothing else (40 bytes): one is held per cached key.
 */
final class Snapshot {

  final AccessToken token;
  final long refreshAtNanos;
  final long usableUntilNanos;
  final long usableUntilWallMillis;

  Snapshot(
      AccessToken token, long refreshAtNanos, long usableUntilNanos, long usableUntilWallMillis) {
    this.token = token;
    this.refreshAtNanos = refreshAtNanos;
    this.usableUntilNanos = usableUntilNanos;
    this.usableUntilWallMillis = usableUntilWallMillis;
  }

  /**
   * Returns whether the token is FRESH now: before its refresh point on both clocks. On the wall
   * clock the refresh point is the wall deadline less the refresh lead ({@code usableUntilNanos -
   * refreshAtNanos}), so that a process suspended past the refresh point refreshes at once rather
   * than at expiry; the lead is divided by 2<sup>20</sup> rather than 10<sup>6</sup>, 5 % short,
   * which moves the point a little later and costs a shift instead of a division on the hit path.
   *
   * @param nowNanos the monotonic clock
   * @param wallMillis the wall clock
   * @return whether no refresh is due
   */
  boolean isFresh(long nowNanos, long wallMillis) {
    return nowNanos - refreshAtNanos < 0
        && wallMillis < usableUntilWallMillis - ((usableUntilNanos - refreshAtNanos) >> 20);
  }

  /** {@return whether the token may be handed out now (FRESH or STALE)} */
  boolean isUsable(long nowNanos, long wallMillis) {
    return nowNanos - usableUntilNanos < 0 && wallMillis < usableUntilWallMillis;
  }

  /**
   * Returns this snapshot with its wall-clock deadline moved back, after the wall clock was stepped
   * back by as much: the deadline is in the frame of the clock when the token arrived.
   *
   * @param millis how far the wall clock went back
   * @return the moved snapshot
   */
  Snapshot wallClockSteppedBack(long millis) {
    return new Snapshot(token, refreshAtNanos, usableUntilNanos, usableUntilWallMillis - millis);
  }

  @Override
  public String toString() {
    return "Snapshot[" + token + "]";
  }
}
