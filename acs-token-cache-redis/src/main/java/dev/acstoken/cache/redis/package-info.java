/**
 * The Redis tier of the token cache: {@link dev.acstoken.cache.redis.RedisSharedTier} plugs into
 * {@link dev.acstoken.cache.CachingTokenProvider} through its {@link dev.acstoken.cache.SharedTier}
 * SPI, so that a fleet of instances shares one token per key. The cache decides everything (when a
 * token is fresh, who waits, how long, what to do when Redis fails); the tier stores tokens
 * encrypted ({@link dev.acstoken.cache.redis.EncryptionKeys}), hands out one refresh lease per key,
 * fences late writes, and carries invalidations between instances by pub/sub.
 *
 * <p>{@link dev.acstoken.cache.redis.RedisTierListener} and {@link
 * dev.acstoken.cache.redis.RedisTierStats} say when Redis is unreachable, which records could not
 * be read and which invalidations could not be shared. Implementations are package-private.
 */
@NullMarked
package dev.acstoken.cache.redis;

import org.jspecify.annotations.NullMarked;
