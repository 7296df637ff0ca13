package dev.acstoken.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until a test moves it, so that a simulated day runs in
 * milliseconds and no test needs {@code Thread.sleep}.
 *
 * <p>Thread-safe: {@link #advance} and {@link #set} are atomic, and every thread sees the new
 * instant at once. The zone is UTC; {@link #withZone} returns a view in another zone that shares
 * this clock's instant.
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.systemStart();
 * FakeAcs acs = FakeAcs.builder().clock(clock).build();
 * clock.advance(Duration.ofHours(25)); // every token issued so far has expired
 * }</pre>
 */
public final class MutableClock extends Clock {

  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /**
   * Returns a clock that starts at the given instant.
   *
   * @param start the first instant the clock shows
   * @return the clock
   * @throws IllegalArgumentException if {@code start} is null
   */
  public static MutableClock at(Instant start) {
    if (start == null) {
      throw new IllegalArgumentException("start instant must not be null");
    }
    return new MutableClock(new AtomicReference<>(start), ZoneOffset.UTC);
  }

  /**
   * Returns a clock that starts at the current system time and then moves only when told.
   *
   * @return the clock
   */
  public static MutableClock systemStart() {
    return at(Instant.now());
  }

  /**
   * Moves the clock forward (or back, for a negative duration).
   *
   * @param duration how far
   * @throws IllegalArgumentException if {@code duration} is null
   */
  public void advance(Duration duration) {
    if (duration == null) {
      throw new IllegalArgumentException("duration must not be null");
    }
    now.updateAndGet(i -> i.plus(duration));
  }

  /**
   * Sets the clock to an instant.
   *
   * @param instant the instant the clock shows from now on
   * @throws IllegalArgumentException if {@code instant} is null
   */
  public void set(Instant instant) {
    if (instant == null) {
      throw new IllegalArgumentException("instant must not be null");
    }
    now.set(instant);
  }

  /** {@return the instant the clock shows} */
  @Override
  public Instant instant() {
    return now.get();
  }

  /**
   * Returns the current instant as nanoseconds since the epoch: a ticker for code that keeps
   * deadlines on a monotonic time source ({@code System::nanoTime} in production), so that one
   * {@link #advance} moves both. Monotonic as long as the clock is only advanced.
   *
   * @return nanoseconds since 1970-01-01T00:00Z
   */
  public long nanoTime() {
    Instant i = now.get();
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
  }

  /** {@return the zone of this clock: UTC, unless this is a view made by {@link #withZone}} */
  @Override
  public ZoneId getZone() {
    return zone;
  }

  /**
   * Returns a view of this clock in another zone; the view moves when this clock moves.
   *
   * @param zone the zone
   * @return the view
   */
  @Override
  public MutableClock withZone(ZoneId zone) {
    if (zone == null) {
      throw new IllegalArgumentException("zone must not be null");
    }
    return zone.equals(this.zone) ? this : new MutableClock(now, zone);
  }

  @Override
  public String toString() {
    return "MutableClock[" + now.get() + ", " + zone + "]";
  }
}
