/**
 * A refresh-before-expiry cache of ACS user access tokens: {@link
 * dev.acstoken.cache.CachingTokenProvider} decorates any {@link dev.acstoken.core.TokenProvider}.
 *
 * <p>Each key (identity, canonical scope set, requested lifetime) is FRESH (its token is served),
 * STALE (its token is served and exactly one background refresh runs) or EXPIRED (callers join the
 * one refresh and wait for it, with a timeout). No reader waits while a valid token exists. Failing
 * refreshes back off exponentially while the valid token keeps being served; terminal errors drop
 * the entry. Refreshes per ACS resource are rate limited, earliest expiry first.
 *
 * <p>Time comes from a {@link dev.acstoken.core.TimeSource} and work runs on one scheduler thread,
 * both replaceable so that tests run a simulated day in milliseconds. Events reach a {@link
 * dev.acstoken.cache.CacheListener}; {@code dev.acstoken.cache.micrometer} turns them into
 * Micrometer meters. {@link
 * dev.acstoken.cache.CachingTokenProvider#credential(dev.acstoken.core.TokenRequest)} hands a
 * {@code CommunicationTokenCredential} backed by the cache to the Azure chat and calling clients.
 */
@NullMarked
package dev.acstoken.cache;

import org.jspecify.annotations.NullMarked;
