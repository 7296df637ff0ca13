package dev.acstoken.cache.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.cache.CachingTokenProvider;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.MutableClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MicrometerCacheListenerTest {

  // one time for the backend that stamps the tokens and the cache that judges them
  private final MutableClock clock = MutableClock.at(Instant.parse("2026-12-01T10:00:00Z"));

  /** Canned backend: a new token per call, valid for one hour of the test's clock. */
  static final class StubBackend implements TokenProvider {
    final AtomicInteger calls = new AtomicInteger();
    final MutableClock clock;

    StubBackend(MutableClock clock) {
      this.clock = clock;
    }

    @Override
    public AccessToken getToken(TokenRequest request) {
      return getTokenAsync(request).join();
    }

    @Override
    public CompletableFuture<AccessToken> getTokenAsync(TokenRequest request) {
      return CompletableFuture.completedFuture(
          AccessToken.of(
              "eyJ0eXAiOiJKV1QifQ.e30.c2ln" + calls.incrementAndGet(),
              clock.instant().plusSeconds(3600)));
    }
  }

  @Test
  void bind_oneLine_recordsGetsAndRefreshes() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TokenRequest key =
        TokenRequest.of(
            IdentityId.of(
                "8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_00000000-0000-0000-0000-000000000001"),
            Scope.CHAT);
    try (CachingTokenProvider cache =
        CachingTokenProvider.builder(new StubBackend(clock))
            .timeSource(clock)
            .listener(MicrometerCacheListener.bind(registry, Tags.of("cache", "chat")))
            .build()) {
      cache.getToken(key);
      cache.getToken(key);
      cache.getToken(key);
    }
    assertThat(registry.get("acs.token.cache.gets").tag("result", "hit").counter().count())
        .isEqualTo(2);
    assertThat(registry.get("acs.token.cache.gets").tag("result", "miss").counter().count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("acs.token.cache.refreshes.started")
                .tag("cache", "chat")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(registry.get("acs.token.cache.refreshes").tag("outcome", "success").timer().count())
        .isEqualTo(1);
    assertThat(registry.get("acs.token.cache.waits").timer().count()).isEqualTo(1);
  }
}
