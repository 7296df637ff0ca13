package dev.acstoken.core;

import java.time.Instant;

/** The system clocks. Stateless and thread-safe. */
final class SystemTimeSource implements TimeSource {

  static final SystemTimeSource INSTANCE = new SystemTimeSource();

  private SystemTimeSource() {}

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public long wallMillis() {
    return System.currentTimeMillis();
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public String toString() {
    return "TimeSource.system()";
  }
}
