package dev.acstoken.benchmarks;

import dev.acstoken.core.TimeSource;
import java.time.Instant;

/** Virtual time for the fleet simulation: moves only when the harness advances it. */
final class VirtualTime implements TimeSource {

  static final Instant START = Instant.parse("2026-11-24T08:00:00Z");

  private volatile Instant wall = START;
  private volatile long nanos = 1_000_000_000_000L;
  private final long startNanos = nanos;

  @Override
  public Instant now() {
    return wall;
  }

  @Override
  public long nanoTime() {
    return nanos;
  }

  /** Nanoseconds since the start of the simulation. */
  long elapsedNanos() {
    return nanos - startNanos;
  }

  synchronized void advanceNanos(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("time only moves forward: " + n);
    }
    nanos += n;
    wall = wall.plusNanos(n);
  }
}
