package dev.acstoken.cache.redis;

import dev.acstoken.core.AccessToken;
import java.time.Duration;
import java.time.Instant;

/**
 * A token as shared in Redis: the token and when it was fetched, which places the shared refresh
 * point. Immutable; {@code toString} shows the token redacted.
 */
final class TokenRecord {

  private final AccessToken token;
  private final Instant fetchedAt;

  TokenRecord(AccessToken token, Instant fetchedAt) {
    this.token = token;
    this.fetchedAt = fetchedAt;
  }

  AccessToken token() {
    return token;
  }

  Instant fetchedAt() {
    return fetchedAt;
  }

  /**
   * Returns whether the record is before its shared refresh point: {@code refreshFraction} of the
   * token's lifetime (from fetch to expiry) has not passed yet, and it is valid beyond the margin.
   */
  boolean isFresh(Instant now, double refreshFraction, Duration safetyMargin) {
    if (!isUsable(now, safetyMargin)) {
      return false;
    }
    long lifetimeMillis = Duration.between(fetchedAt, token.expiresAt()).toMillis();
    Instant refreshAt = fetchedAt.plusMillis((long) (lifetimeMillis * refreshFraction));
    return now.isBefore(refreshAt);
  }

  /** {@return whether the token stays valid beyond the safety margin} */
  boolean isUsable(Instant now, Duration safetyMargin) {
    return token.timeLeft(now).compareTo(safetyMargin) > 0;
  }

  @Override
  public String toString() {
    return "TokenRecord[" + token + ", fetchedAt=" + fetchedAt + "]";
  }
}
