package dev.acstoken.cache.redis;

/** Where a {@link RedisTokenTier} found the token it returned: which tier served. */
public enum TokenSource {
  /** A fresh token shared in Redis, stored by this or another instance. */
  REDIS,
  /**
   * A token from Redis past its shared refresh point but still valid beyond the safety margin,
   * served because another instance holds the refresh lease and did not finish within the wait
   * timeout, or because Redis failed in the middle of a refresh.
   */
  REDIS_STALE,
  /** Issued by the delegate to this instance under the fleet's refresh lease, and shared. */
  DELEGATE_SHARED,
  /**
   * Issued by the delegate without the lease and not shared: Redis was unavailable, or the instance
   * holding the lease did not finish within the wait timeout.
   */
  DELEGATE_FALLBACK
}
