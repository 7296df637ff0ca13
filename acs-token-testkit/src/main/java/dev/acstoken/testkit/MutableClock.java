package dev.acstoken.testkit;

import dev.acstoken.core.TimeSource;
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
public final class MutableClock extends Clock implements TimeSource {

  /** Both clocks, swapped together so that a reader never sees one moved without the other. */
  private record Reading(Instant wall, long nanos) {}

  private final AtomicReference<Reading> now;
  private final ZoneId zone;

  private MutableClock(AtomicReference<Reading> now, ZoneId zone) {
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
    // the monotonic reading starts at the start instant in nanoseconds since the epoch, so that
    // tests that print it can read it; only differences between readings mean anything
    return new MutableClock(
        new AtomicReference<>(new Reading(start, epochNanos(start))), ZoneOffset.UTC);
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
   * Lets time pass: moves the wall clock and the monotonic clock forward together.
   *
   * @param duration how far; zero or positive
   * @throws IllegalArgumentException if {@code duration} is null or negative (time does not pass
   *     backwards; to step the wall clock back, as NTP may, use {@link #stepWallClock})
   */
  public void advance(Duration duration) {
    if (duration == null) {
      throw new IllegalArgumentException("duration must not be null");
    }
    if (duration.isNegative()) {
      throw new IllegalArgumentException(
          "duration must be zero or positive (use stepWallClock to move the wall clock back); got "
              + duration);
    }
    long nanos = saturatedNanos(duration);
    now.updateAndGet(r -> new Reading(r.wall().plus(duration), r.nanos() + nanos));
  }

  /**
   * Steps the wall clock alone, as an NTP correction or a suspended process sees it: the monotonic
   * clock ({@link #nanoTime()}) does not move. {@code stepWallClock(Duration.ofHours(2))} is a
   * process that was suspended for two hours (Linux's monotonic clock stands still in suspend); a
   * negative step is a wall clock set back.
   *
   * @param step how far the wall clock moves, either way
   * @throws IllegalArgumentException if {@code step} is null
   */
  public void stepWallClock(Duration step) {
    if (step == null) {
      throw new IllegalArgumentException("step must not be null");
    }
    now.updateAndGet(r -> new Reading(r.wall().plus(step), r.nanos()));
  }

  /**
   * Sets the wall clock to an instant. Moving it forward lets that much time pass on the monotonic
   * clock too, as {@link #advance} does; moving it back steps the wall clock alone, as {@link
   * #stepWallClock} does.
   *
   * @param instant the instant the clock shows from now on
   * @throws IllegalArgumentException if {@code instant} is null
   */
  public void set(Instant instant) {
    if (instant == null) {
      throw new IllegalArgumentException("instant must not be null");
    }
    now.updateAndGet(
        r -> {
          Duration d = Duration.between(r.wall(), instant);
          return new Reading(instant, d.isNegative() ? r.nanos() : r.nanos() + saturatedNanos(d));
        });
  }

  /** {@return the instant the wall clock shows} */
  @Override
  public Instant instant() {
    return now.get().wall();
  }

  /** {@return the instant the wall clock shows; the same as {@link #instant()}} */
  @Override
  public Instant now() {
    return now.get().wall();
  }

  /**
   * Returns the monotonic clock, in nanoseconds: it moves with {@link #advance} and with {@link
   * #set} forward, never with {@link #stepWallClock}, and never backwards. It starts at the start
   * instant in nanoseconds since the epoch; as with {@link System#nanoTime()}, only differences
   * mean anything.
   *
   * @return the monotonic time
   */
  @Override
  public long nanoTime() {
    return now.get().nanos();
  }

  private static long epochNanos(Instant i) {
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 4;
    }
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
    return "MutableClock[" + now.get().wall() + ", " + zone + "]";
  }
}
