/**
 * Micrometer meters for {@link dev.acstoken.cache.CachingTokenProvider}, turned on with one line:
 *
 * <pre>{@code
 * CachingTokenProvider cache =
 *     CachingTokenProvider.builder(client).listener(MicrometerCacheListener.bind(registry)).build();
 * }</pre>
 *
 * <p>Micrometer is an optional dependency of acs-token-cache: this package is the only one that
 * uses it, and nothing loads it unless an application calls it.
 */
@NullMarked
package dev.acstoken.cache.micrometer;

import org.jspecify.annotations.NullMarked;
