package dev.acstoken.core;

import java.time.Clock;
import java.time.Instant;

/** Both clocks read from one {@link Clock}. As thread-safe as the clock. */
final class ClockTimeSource implements TimeSource {

  private final Clock clock;

  ClockTimeSource(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Instant now() {
    return clock.instant();
  }

  @Override
  public long nanoTime() {
    Instant now = clock.instant();
    // nanoseconds since the epoch fit a long until the year 2262
    return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
  }

  @Override
  public String toString() {
    return "TimeSource.of(" + clock + ")";
  }
}
