package dev.acstoken.spring.autoconfigure;

import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.TokenProvider;
import java.util.function.Consumer;

/**
 * The fleet tier as the auto-configuration sees it, free of Redis types so that the main
 * configuration loads without acs-token-cache-redis. Implemented over {@code RedisTokenTier} by
 * {@link AcsSharedTierConfiguration}; closed with the context.
 */
interface SharedTier extends AutoCloseable {

  /** {@return the token provider the cache asks: Redis, then ACS} */
  TokenProvider tokens();

  /**
   * Runs a hook for every invalidation, local or heard from another instance.
   *
   * @param hook e.g. the local cache's invalidate
   */
  void onInvalidation(Consumer<IdentityId> hook);

  /**
   * Decorates identity operations so that revoke and delete invalidate every instance.
   *
   * @param operations the operations to decorate
   * @return the decorated operations
   */
  IdentityOperations invalidating(IdentityOperations operations);

  /** {@return whether Redis answered the last call} */
  boolean redisAvailable();

  @Override
  void close();
}
