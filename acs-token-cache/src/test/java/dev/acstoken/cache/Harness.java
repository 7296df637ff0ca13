package dev.acstoken.cache;

import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenLifetime;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.ManualScheduler;
import dev.acstoken.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;

/** A cache on fake time with a fake backend and a recording listener; jitter off by default. */
final class Harness implements AutoCloseable {

  static final Instant START = Instant.parse("2026-11-24T08:00:00Z");

  static final String RESOURCE = "2dee53b4-368b-45b4-ab52-8493fb117652";

  final MutableClock time = MutableClock.at(Harness.START);
  final ManualScheduler scheduler = ManualScheduler.on(time);
  final FakeBackend backend = new FakeBackend(time);
  final RecordingListener listener = new RecordingListener();
  final CachingTokenProvider cache;

  Harness() {
    this(b -> b);
  }

  Harness(UnaryOperator<CachingTokenProviderBuilder> options) {
    cache =
        options
            .apply(
                CachingTokenProvider.builder(backend)
                    .timeSource(time)
                    .scheduler(scheduler)
                    .listener(listener)
                    .refreshJitter(Duration.ZERO)
                    .backoffJitter(0)
                    .recordStats())
            .build();
  }

  static IdentityId identity(int n) {
    return IdentityId.of(String.format("8:acs:%s_00000000-0000-0000-0000-%012d", RESOURCE, n));
  }

  /** A request for a one-hour voip token: refresh point at 30 min, usable until 55 min. */
  static TokenRequest request(int n) {
    return TokenRequest.of(identity(n), Scope.VOIP).withLifetime(TokenLifetime.ofMinutes(60));
  }

  @Override
  public void close() {
    cache.close();
  }
}
