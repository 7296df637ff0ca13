package dev.acstoken.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenLifetime;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.ManualScheduler;
import dev.acstoken.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever the lifetime, the clock steps, the wall-clock jumps and the failures: a served token
 * always has more than the safety margin left, measured on the monotonic clock from its issue.
 */
class NeverExpiredPropertyTest {

  @Property(tries = 300)
  void servedToken_alwaysBeforeItsUsableDeadline(
      @ForAll @IntRange(min = 60, max = 1440) int lifetimeMinutes,
      @ForAll @Size(min = 1, max = 80) List<@IntRange(min = 1, max = 4 * 3600) Integer> steps,
      @ForAll @Size(min = 1, max = 20) List<@IntRange(min = -7200, max = 7200) Integer> jumps,
      @ForAll @IntRange(min = 0, max = 6) int failures,
      @ForAll @IntRange(min = 0, max = 600) int jitterSeconds) {
    MutableClock time = MutableClock.at(Harness.START);
    ManualScheduler scheduler = ManualScheduler.on(time);
    FakeBackend backend = new FakeBackend(time);
    for (int i = 0; i < failures; i++) {
      backend.failNext(FailureTest.outage());
    }
    Map<AccessToken, Long> issuedAt = new ConcurrentHashMap<>();
    TokenProvider recording =
        new TokenProvider() {
          @Override
          public AccessToken getToken(TokenRequest request) {
            return getTokenAsync(request).join();
          }

          @Override
          public CompletableFuture<AccessToken> getTokenAsync(TokenRequest request) {
            long at = time.nanoTime();
            return backend.getTokenAsync(request).thenApply(t -> record(t, at));
          }

          private AccessToken record(AccessToken t, long at) {
            issuedAt.put(t, at);
            return t;
          }
        };
    TokenRequest key =
        TokenRequest.of(Harness.identity(1), Scope.CHAT)
            .withLifetime(TokenLifetime.ofMinutes(lifetimeMinutes));
    long lifetime = Duration.ofMinutes(lifetimeMinutes).toNanos();
    long margin = Duration.ofMinutes(5).toNanos();
    try (CachingTokenProvider cache =
        CachingTokenProvider.builder(recording)
            .timeSource(time)
            .scheduler(scheduler)
            .refreshJitter(Duration.ofSeconds(jitterSeconds))
            .expireAfterIdle(Duration.ofDays(2))
            .build()) {
      for (int i = 0; i < steps.size(); i++) {
        time.stepWallClock(Duration.ofSeconds(jumps.get(i % jumps.size())));
        scheduler.advance(Duration.ofSeconds(steps.get(i)));
        CompletableFuture<AccessToken> f = cache.getTokenAsync(key);
        scheduler.runDue();
        if (f.isDone() && !f.isCompletedExceptionally()) {
          AccessToken t = f.join();
          long deadline = issuedAt.get(t) + lifetime - margin;
          assertThat(time.nanoTime()).isLessThan(deadline);
        }
      }
    }
  }
}
