package dev.acstoken.core;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How long an issued token stays valid: whole minutes from 60 (1 hour) to 1440 (24 hours), the
 * range the service accepts. When a request names no lifetime, the service issues tokens for {@link
 * #DEFAULT 24 hours}.
 *
 * <p>Immutable and thread-safe.
 */
public final class TokenLifetime implements Comparable<TokenLifetime> {

  /** The shortest lifetime the service accepts: 60 minutes. */
  public static final TokenLifetime MIN = new TokenLifetime(60);

  /** The longest lifetime the service accepts: 1440 minutes (24 hours). */
  public static final TokenLifetime MAX = new TokenLifetime(1440);

  /** The lifetime the service uses when a request names none: 24 hours. */
  public static final TokenLifetime DEFAULT = MAX;

  private final int minutes;

  private TokenLifetime(int minutes) {
    this.minutes = minutes;
  }

  /**
   * Returns a lifetime of whole minutes.
   *
   * @param minutes from 60 to 1440
   * @return the lifetime
   * @throws IllegalArgumentException if minutes is outside [60, 1440]
   */
  public static TokenLifetime ofMinutes(long minutes) {
    if (minutes < MIN.minutes || minutes > MAX.minutes) {
      throw new IllegalArgumentException(
          "token lifetime of "
              + minutes
              + " minutes is out of range; allowed: 60 to 1440 minutes (1 to 24 hours)");
    }
    return new TokenLifetime((int) minutes);
  }

  /**
   * Returns a lifetime of a duration that is a whole number of minutes.
   *
   * @param duration from 1 hour to 24 hours, whole minutes
   * @return the lifetime
   * @throws IllegalArgumentException if the duration is null, has seconds or a fraction of a second
   *     (the service counts whole minutes; the Azure SDK would silently truncate), or lies outside
   *     1 to 24 hours
   */
  public static TokenLifetime of(Duration duration) {
    if (duration == null) {
      throw new IllegalArgumentException("token lifetime must not be null");
    }
    if (duration.toSecondsPart() != 0 || duration.toNanosPart() != 0) {
      throw new IllegalArgumentException(
          "token lifetime "
              + duration
              + " is not a whole number of minutes; the service accepts whole minutes from 60 to 1440");
    }
    return ofMinutes(duration.toMinutes());
  }

  /** {@return the lifetime in minutes, as the service's {@code expiresInMinutes} field takes it} */
  public int toMinutes() {
    return minutes;
  }

  /** {@return the lifetime as a duration} */
  public Duration toDuration() {
    return Duration.ofMinutes(minutes);
  }

  @Override
  public int compareTo(TokenLifetime other) {
    return Integer.compare(minutes, other.minutes);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof TokenLifetime && ((TokenLifetime) o).minutes == minutes;
  }

  @Override
  public int hashCode() {
    return minutes;
  }

  /** {@return the lifetime as an ISO-8601 duration, e.g. {@code PT1H30M}} */
  @Override
  public String toString() {
    return toDuration().toString();
  }
}
