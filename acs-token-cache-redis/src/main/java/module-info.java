/**
 * acs-token-cache-redis: the fleet tier. {@link dev.acstoken.cache.redis.RedisSharedTier} is a
 * {@link dev.acstoken.cache.SharedTier} on Redis that the cache consults, so that every instance of
 * a service shares one token per key, refreshed by one instance at a time, encrypted at rest,
 * revoked everywhere.
 *
 * <p>Lettuce's configuration types ({@code RedisURI}, {@code ClientOptions}, {@code
 * ClientResources}) are handed through the builder, so the module reads Lettuce transitively.
 */
module dev.acstoken.cache.redis {
  requires transitive dev.acstoken.core;
  requires transitive dev.acstoken.cache;
  requires transitive lettuce.core;
  requires org.slf4j;

  exports dev.acstoken.cache.redis;
}
