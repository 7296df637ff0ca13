package dev.acstoken.cache;

import dev.acstoken.core.TimeSource;

/**
 * Notices the wall clock being stepped back against the monotonic clock: an NTP correction of a
 * clock that ran fast, an operator setting the time. The cached tokens' wall-clock deadlines are in
 * the local clock's frame of the moment each token arrived (corrected by the skew measured then); a
 * step back leaves them that much too late, and a suspend after it (the monotonic clock stands
 * still) would leave no deadline that holds. The cache looks once a second on its scheduler and on
 * every refresh, and moves every cached deadline back by the step.
 *
 * <p>It compares the clocks' offset (wall minus monotonic) with the last one it saw: a fall of a
 * second or more is a step back; a rise is a suspend or a step forward, which needs nothing (the
 * wall-clock deadlines then end tokens early, never late). A slew (at most 0.5 ms per second under
 * NTP) adds up across looks and counts once it reaches a second. What no look can tell is a step
 * back followed by a suspend between two looks: the two cancel in the offset, and the five-minute
 * safety margin is all that is left. Thread-safe (the monitor guards the last offset).
 */
final class ClockWatch {

  /** Smaller changes of the offset are jitter between the two reads, or slew not yet summed. */
  static final long TOLERANCE_MILLIS = 1_000;

  private final TimeSource time;
  private long lastOffsetMillis;

  ClockWatch(TimeSource time) {
    this.time = time;
    this.lastOffsetMillis = offsetMillis();
  }

  /**
   * Looks at the clocks now.
   *
   * @return by how many milliseconds the wall clock was stepped back since the last look, or 0
   */
  synchronized long look() {
    long offset = offsetMillis();
    long back = lastOffsetMillis - offset;
    if (back >= TOLERANCE_MILLIS || -back >= TOLERANCE_MILLIS) {
      lastOffsetMillis = offset;
    }
    return back >= TOLERANCE_MILLIS ? back : 0;
  }

  private long offsetMillis() {
    return time.wallMillis() - time.nanoTime() / 1_000_000;
  }
}
