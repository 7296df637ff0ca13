package dev.acstoken.cache;

import dev.acstoken.core.TimeSource;
import java.time.Duration;
import java.time.Instant;

/**
 * A time source the test moves: {@link #advance} moves both clocks, {@link #jumpWall} only the wall
 * clock (an NTP step, a VM resumed), as a real clock jump does.
 */
final class FakeTime implements TimeSource {

  static final Instant START = Instant.parse("2026-11-24T08:00:00Z");

  private volatile Instant wall = START;
  private volatile long nanos = 1_000_000_000_000L;

  @Override
  public Instant now() {
    return wall;
  }

  @Override
  public long nanoTime() {
    return nanos;
  }

  synchronized void advance(Duration d) {
    advanceNanos(d.toNanos());
  }

  synchronized void advanceNanos(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("time only moves forward: " + n);
    }
    nanos += n;
    wall = wall.plusNanos(n);
  }

  synchronized void jumpWall(Duration d) {
    wall = wall.plus(d);
  }
}
