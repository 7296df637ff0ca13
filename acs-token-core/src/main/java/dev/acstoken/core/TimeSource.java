package dev.acstoken.core;

import java.time.Clock;
import java.time.Instant;

/**
 * The library's one source of time: the wall clock, to read a token's expiry against, and a
 * monotonic nanosecond counter for every deadline, so that neither a wall-clock jump nor a
 * suspended process can make a component hand out an expired token. Every component that judges
 * time takes one (default {@link #system()}); nothing in the library reads {@code
 * System.nanoTime()}, {@code Instant.now()} or a {@code Clock} of its own.
 *
 * <p>Tests hand every component the same fake one (the testkit's {@code MutableClock}), so that one
 * call moves every component's time together and no test depends on the real date. Implementations
 * must be thread-safe and cheap: {@link #nanoTime()} and {@link #wallMillis()} are read on every
 * cache hit.
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
   * Returns the wall clock in milliseconds since the epoch: {@link #now()} without the allocation,
   * for checks on a hot path.
   *
   * @return the current wall-clock time, in epoch milliseconds
   */
  default long wallMillis() {
    return now().toEpochMilli();
  }

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
