package dev.acstoken.spring.autoconfigure;

import dev.acstoken.cache.CachingTokenProvider;
import dev.acstoken.cache.CachingTokenProviderBuilder;

/**
 * Changes the builder of the auto-configured {@link CachingTokenProvider} after the {@code
 * acs.cache.*} properties were applied, e.g. to give it a time source or a scheduler. Every bean of
 * this type runs, in {@link org.springframework.core.annotation.Order order}. The starter binds the
 * cache's Micrometer listener through one (order 0); a listener set by a later customizer replaces
 * it.
 */
@FunctionalInterface
public interface CachingTokenProviderBuilderCustomizer {

  /**
   * Customizes the builder.
   *
   * @param builder the cache's builder, with the properties applied
   */
  void customize(CachingTokenProviderBuilder builder);
}
