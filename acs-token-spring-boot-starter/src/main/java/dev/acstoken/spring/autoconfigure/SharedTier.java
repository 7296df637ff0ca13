package dev.acstoken.spring.autoconfigure;

/**
 * The fleet tier as the auto-configuration sees it, free of Redis types so that the main
 * configuration loads without acs-token-cache-redis. Implemented over {@code RedisSharedTier} by
 * {@link AcsSharedTierConfiguration}; closed with the context.
 */
interface SharedTier extends AutoCloseable {

  /** {@return the cache's shared-tier SPI, handed to the cache builder} */
  dev.acstoken.cache.SharedTier tier();

  /** {@return whether Redis answers now} */
  boolean redisAvailable();

  @Override
  void close();
}
