package dev.acstoken.cache.redis;

/**
 * A snapshot of the counters of one {@link RedisTokenTier} since it was built: tokens served per
 * tier, lease waits, Redis failures, unreadable records and invalidations, and whether Redis is
 * available now.
 *
 * <p>Immutable and thread-safe; counters of different snapshots can be subtracted.
 */
public final class RedisTierStats {

  private final long redisHits;
  private final long staleServed;
  private final long sharedRefreshes;
  private final long fallbacks;
  private final long leaseWaits;
  private final long redisFailures;
  private final long unreadableRecords;
  private final long invalidationsPublished;
  private final long invalidationsReceived;
  private final boolean redisAvailable;

  RedisTierStats(
      long redisHits,
      long staleServed,
      long sharedRefreshes,
      long fallbacks,
      long leaseWaits,
      long redisFailures,
      long unreadableRecords,
      long invalidationsPublished,
      long invalidationsReceived,
      boolean redisAvailable) {
    this.redisHits = redisHits;
    this.staleServed = staleServed;
    this.sharedRefreshes = sharedRefreshes;
    this.fallbacks = fallbacks;
    this.leaseWaits = leaseWaits;
    this.redisFailures = redisFailures;
    this.unreadableRecords = unreadableRecords;
    this.invalidationsPublished = invalidationsPublished;
    this.invalidationsReceived = invalidationsReceived;
    this.redisAvailable = redisAvailable;
  }

  /** {@return how many tokens were served fresh from Redis ({@link TokenSource#REDIS})} */
  public long redisHits() {
    return redisHits;
  }

  /** {@return how many tokens were served stale from Redis ({@link TokenSource#REDIS_STALE})} */
  public long staleServed() {
    return staleServed;
  }

  /**
   * Returns how many tokens this instance fetched from the delegate under the lease and shared
   * ({@link TokenSource#DELEGATE_SHARED}).
   */
  public long sharedRefreshes() {
    return sharedRefreshes;
  }

  /**
   * Returns how many tokens this instance fetched from the delegate without Redis ({@link
   * TokenSource#DELEGATE_FALLBACK}).
   */
  public long fallbacks() {
    return fallbacks;
  }

  /** {@return how many times this instance found the lease held by another and waited} */
  public long leaseWaits() {
    return leaseWaits;
  }

  /** {@return how many Redis calls failed or timed out} */
  public long redisFailures() {
    return redisFailures;
  }

  /** {@return how many records could not be decrypted and were treated as misses} */
  public long unreadableRecords() {
    return unreadableRecords;
  }

  /** {@return how many invalidations this instance wrote to Redis and published} */
  public long invalidationsPublished() {
    return invalidationsPublished;
  }

  /** {@return how many invalidations of other instances this instance heard by pub/sub} */
  public long invalidationsReceived() {
    return invalidationsReceived;
  }

  /** {@return whether Redis answered the last call this instance made (false until it connects)} */
  public boolean redisAvailable() {
    return redisAvailable;
  }

  @Override
  public String toString() {
    return "RedisTierStats[redisHits="
        + redisHits
        + ", staleServed="
        + staleServed
        + ", sharedRefreshes="
        + sharedRefreshes
        + ", fallbacks="
        + fallbacks
        + ", leaseWaits="
        + leaseWaits
        + ", redisFailures="
        + redisFailures
        + ", unreadableRecords="
        + unreadableRecords
        + ", invalidationsPublished="
        + invalidationsPublished
        + ", invalidationsReceived="
        + invalidationsReceived
        + ", redisAvailable="
        + redisAvailable
        + "]";
  }
}
