/**
 * The Redis tier of the token cache: {@link dev.acstoken.cache.redis.RedisTokenTier} sits between
 * each instance's local cache and ACS, so that a fleet of instances behaves like one cache. The
 * read path is local cache, then Redis, then ACS; one instance at a time refreshes a key, under a
 * lease in Redis; tokens are stored encrypted ({@link dev.acstoken.cache.redis.EncryptionKeys});
 * revocations travel by Redis pub/sub; when Redis is unreachable every call falls back to ACS.
 *
 * <p>{@link dev.acstoken.cache.redis.RedisTierListener} and {@link
 * dev.acstoken.cache.redis.RedisTierStats} say which tier served each token ({@link
 * dev.acstoken.cache.redis.TokenSource}) and when Redis is down. Implementations are
 * package-private.
 */
@NullMarked
package dev.acstoken.cache.redis;

import org.jspecify.annotations.NullMarked;
