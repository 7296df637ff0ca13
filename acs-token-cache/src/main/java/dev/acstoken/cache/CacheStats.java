package dev.acstoken.cache;

/**
 * Counts of what a {@link CachingTokenProvider} did since it was built, when built with {@link
 * CachingTokenProviderBuilder#recordStats()}; all zero otherwise. Immutable and thread-safe; a
 * snapshot taken by {@link CachingTokenProvider#stats()}.
 */
public final class CacheStats {

  private static final CacheStats EMPTY = new CacheStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  private final long hits;
  private final long misses;
  private final long waits;
  private final long refreshes;
  private final long refreshSuccesses;
  private final long refreshFailures;
  private final long rateLimitedRefreshes;
  private final long evictions;
  private final long invalidations;
  private final long sharedTierHits;
  private final long sharedTierFailures;

  private CacheStats(
      long hits,
      long misses,
      long waits,
      long refreshes,
      long refreshSuccesses,
      long refreshFailures,
      long rateLimitedRefreshes,
      long evictions,
      long invalidations,
      long sharedTierHits,
      long sharedTierFailures) {
    this.sharedTierHits = sharedTierHits;
    this.sharedTierFailures = sharedTierFailures;
    this.hits = hits;
    this.misses = misses;
    this.waits = waits;
    this.refreshes = refreshes;
    this.refreshSuccesses = refreshSuccesses;
    this.refreshFailures = refreshFailures;
    this.rateLimitedRefreshes = rateLimitedRefreshes;
    this.evictions = evictions;
    this.invalidations = invalidations;
  }

  /**
   * Returns stats of the given counts.
   *
   * @param hits requests served from the cache
   * @param misses requests that found no usable token
   * @param waits requests that waited for a refresh
   * @param refreshes backend calls started
   * @param refreshSuccesses backend calls that returned a usable token
   * @param refreshFailures backend calls that failed or timed out
   * @param rateLimitedRefreshes refreshes held back by the rate limit
   * @param evictions entries evicted for size or idleness
   * @param invalidations entries invalidated
   * @param sharedTierHits refreshes answered by the shared tier, without a backend call
   * @param sharedTierFailures shared-tier calls that failed or timed out
   * @return the stats
   * @throws IllegalArgumentException if a count is negative
   */
  public static CacheStats of(
      long hits,
      long misses,
      long waits,
      long refreshes,
      long refreshSuccesses,
      long refreshFailures,
      long rateLimitedRefreshes,
      long evictions,
      long invalidations,
      long sharedTierHits,
      long sharedTierFailures) {
    if ((hits
            | misses
            | waits
            | refreshes
            | refreshSuccesses
            | refreshFailures
            | rateLimitedRefreshes
            | evictions
            | invalidations
            | sharedTierHits
            | sharedTierFailures)
        < 0) {
      throw new IllegalArgumentException("cache stats must not be negative");
    }
    return new CacheStats(
        hits,
        misses,
        waits,
        refreshes,
        refreshSuccesses,
        refreshFailures,
        rateLimitedRefreshes,
        evictions,
        invalidations,
        sharedTierHits,
        sharedTierFailures);
  }

  /** {@return stats with every count zero} */
  public static CacheStats empty() {
    return EMPTY;
  }

  /** {@return how many refreshes the shared tier answered, without a backend call} */
  public long sharedTierHits() {
    return sharedTierHits;
  }

  /** {@return how many shared-tier calls failed or timed out (each went to the backend)} */
  public long sharedTierFailures() {
    return sharedTierFailures;
  }

  /** {@return how many requests were served a cached token} */
  public long hits() {
    return hits;
  }

  /** {@return how many requests found no usable token and joined or started a refresh} */
  public long misses() {
    return misses;
  }

  /** {@return how many requests waited for a refresh} */
  public long waits() {
    return waits;
  }

  /** {@return how many backend calls the cache started} */
  public long refreshes() {
    return refreshes;
  }

  /** {@return how many backend calls returned a usable token} */
  public long refreshSuccesses() {
    return refreshSuccesses;
  }

  /** {@return how many backend calls failed or timed out} */
  public long refreshFailures() {
    return refreshFailures;
  }

  /** {@return how many refreshes the rate limit held back} */
  public long rateLimitedRefreshes() {
    return rateLimitedRefreshes;
  }

  /** {@return how many entries were evicted for size or idleness} */
  public long evictions() {
    return evictions;
  }

  /** {@return how many entries were invalidated} */
  public long invalidations() {
    return invalidations;
  }

  @Override
  public boolean equals(@org.jspecify.annotations.Nullable Object o) {
    if (!(o instanceof CacheStats)) {
      return false;
    }
    CacheStats s = (CacheStats) o;
    return hits == s.hits
        && misses == s.misses
        && waits == s.waits
        && refreshes == s.refreshes
        && refreshSuccesses == s.refreshSuccesses
        && refreshFailures == s.refreshFailures
        && rateLimitedRefreshes == s.rateLimitedRefreshes
        && evictions == s.evictions
        && invalidations == s.invalidations
        && sharedTierHits == s.sharedTierHits
        && sharedTierFailures == s.sharedTierFailures;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(
        hits,
        misses,
        waits,
        refreshes,
        refreshSuccesses,
        refreshFailures,
        rateLimitedRefreshes,
        evictions,
        invalidations,
        sharedTierHits,
        sharedTierFailures);
  }

  @Override
  public String toString() {
    return "CacheStats[hits="
        + hits
        + ", misses="
        + misses
        + ", waits="
        + waits
        + ", refreshes="
        + refreshes
        + ", refreshSuccesses="
        + refreshSuccesses
        + ", refreshFailures="
        + refreshFailures
        + ", rateLimitedRefreshes="
        + rateLimitedRefreshes
        + ", evictions="
        + evictions
        + ", invalidations="
        + invalidations
        + ", sharedTierHits="
        + sharedTierHits
        + ", sharedTierFailures="
        + sharedTierFailures
        + "]";
  }
}
