package dev.acstoken.cache;

import java.time.Clock;
import java.time.Instant;

/**
 * The cache's two clocks: wall time, to read a token's expiry against, and a monotonic nanosecond
 * counter for every deadline the cache keeps, so that a wall-clock jump cannot make it hand out an
 * expired token.
 *
 * <p>Tests replace it to move time without sleeping. Implementations must be thread-safe and cheap:
 * {@link #nanoTime()} is read on every cache hit.
 */
public interface TimeSource {

  /**
   * Returns the current wall-clock instant; read once when a token arrives, to learn how long it
   * has left.
   *
   * @return the current instant
   */
  Instant now();

  /**
   * Returns a monotonic time in nanoseconds, with the meaning of {@link System#nanoTime()}: only
   * differences between two readings mean anything.
   *
   * @return the current monotonic time
   */
  long nanoTime();

  /**
   * Returns the system's clocks: {@link Instant#now()} and {@link System#nanoTime()}.
   *
   * @return the system time source
   */
  static TimeSource system() {
    return SystemTimeSource.INSTANCE;
  }

  /**
   * Returns a time source that reads both its clocks from one {@link Clock}: the wall time is
   * {@code clock.instant()}, the monotonic time the same instant in nanoseconds since the epoch.
   *
   * <p>Meant for tests and emulators: a test clock drives the cache's expiry checks and deadlines
   * together. Monotonic only as far as the clock is: a clock stepped backwards moves the deadlines
   * too. To test a wall-clock jump that the monotonic time does not see, implement this interface
   * directly.
   *
   * @param clock the clock to read
   * @return the time source
   * @throws IllegalArgumentException if the clock is null
   */
  static TimeSource of(Clock clock) {
    if (clock == null) {
      throw new IllegalArgumentException("clock must not be null");
    }
    return new ClockTimeSource(clock);
  }
}
