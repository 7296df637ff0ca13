package dev.acstoken.cache.redis;

/**
 * A snapshot of the counters of one {@link RedisSharedTier} since it was built, and whether Redis
 * is reachable now.
 *
 * @param tokensFound claims and reads that found a shared token that beat the caller's
 * @param leasesTaken claims that took a key's refresh lease
 * @param busyClaims claims that found the lease held by another instance
 * @param tokensStored tokens stored under a lease
 * @param storesRefused stores the fence refused: the identity was invalidated since the claim, or
 *     the shared token expires at or after the new one
 * @param redisFailures Redis calls that failed: not connected, timed out, or an error reply
 * @param unreadableRecords records that could not be decrypted and were treated as absent
 * @param invalidationsPublished invalidations this instance stored in Redis and published
 * @param invalidationsReceived invalidations of other instances heard by pub/sub, or caught up
 * @param invalidationsCaughtUp of those, invalidations read from Redis's stream of invalidations
 *     because they were published while this instance's pub/sub connection was down
 * @param pendingInvalidations invalidations kept to replay when Redis answers again
 * @param redisAvailable whether the command connection is up and answered last
 */
public record RedisTierStats(
    long tokensFound,
    long leasesTaken,
    long busyClaims,
    long tokensStored,
    long storesRefused,
    long redisFailures,
    long unreadableRecords,
    long invalidationsPublished,
    long invalidationsReceived,
    long invalidationsCaughtUp,
    int pendingInvalidations,
    boolean redisAvailable) {}
