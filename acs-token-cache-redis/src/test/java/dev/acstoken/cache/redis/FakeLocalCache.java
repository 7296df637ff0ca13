package dev.acstoken.cache.redis;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.TokenRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A working stand-in for an instance's local cache, in front of the tier: serves a token until half
 * of the lifetime it had when received (less a per-instance offset) has passed, then asks its
 * delegate once; {@link #invalidate} drops an identity's tokens. Thread-safe.
 */
final class FakeLocalCache implements TokenProvider {

  private record Entry(AccessToken token, Instant refreshAt) {}

  private final TokenProvider delegate;
  private final Clock clock;
  private final Duration jitter;
  private final ConcurrentHashMap<TokenRequest, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicInteger invalidations = new AtomicInteger();

  FakeLocalCache(TokenProvider delegate, Clock clock, Duration jitter) {
    this.delegate = delegate;
    this.clock = clock;
    this.jitter = jitter;
  }

  @Override
  public AccessToken getToken(TokenRequest request) {
    Entry e = entries.get(request);
    if (e != null && clock.instant().isBefore(e.refreshAt())) {
      return e.token();
    }
    return entries
        .compute(
            request,
            (r, old) -> {
              Instant now = clock.instant();
              if (old != null && now.isBefore(old.refreshAt())) {
                return old;
              }
              AccessToken t = delegate.getToken(r);
              Duration half = t.timeLeft(now).dividedBy(2);
              return new Entry(t, now.plus(half).minus(jitter));
            })
        .token();
  }

  @Override
  public CompletableFuture<AccessToken> getTokenAsync(TokenRequest request) {
    return CompletableFuture.supplyAsync(() -> getToken(request));
  }

  void invalidate(IdentityId identity) {
    invalidations.incrementAndGet();
    entries.keySet().removeIf(r -> r.identity().equals(identity));
  }

  int invalidations() {
    return invalidations.get();
  }

  boolean holds(IdentityId identity) {
    return entries.keySet().stream().anyMatch(r -> r.identity().equals(identity));
  }
}
