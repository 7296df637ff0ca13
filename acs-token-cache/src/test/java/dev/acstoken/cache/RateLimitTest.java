package dev.acstoken.cache;

import static dev.acstoken.cache.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenLifetime;
import dev.acstoken.core.TokenRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RateLimitTest {

  static final long WINDOW = Duration.ofSeconds(30).toNanos();

  static int maxInWindow(List<Long> nanos, long window) {
    int max = 0;
    int lo = 0;
    for (int hi = 0; hi < nanos.size(); hi++) {
      while (nanos.get(hi) - nanos.get(lo) >= window) {
        lo++;
      }
      max = Math.max(max, hi - lo + 1);
    }
    return max;
  }

  @Test
  void refreshes_ofKeysFilledTogether_neverExceedTheLimit() {
    try (Harness h =
        new Harness(
            b ->
                b.refreshRateLimit(10, Duration.ofSeconds(30))
                    .coldRateLimit(10)
                    .waitTimeout(Duration.ofHours(1)))) {
      List<CompletableFuture<AccessToken>> fills = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        fills.add(h.cache.getTokenAsync(request(i)));
      }
      h.scheduler.runDue();
      assertThat(h.backend.calls()).isEqualTo(10);
      h.scheduler.advance(Duration.ofMinutes(5));
      assertThat(fills).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
      // then every key comes due for refresh, roughly together
      for (int m = 0; m < 60; m++) {
        for (int i = 0; i < 100; i++) {
          assertThat(h.cache.getTokenAsync(request(i))).isCompleted();
        }
        h.scheduler.advance(Duration.ofSeconds(30));
      }
      assertThat(h.backend.calls()).isEqualTo(200);
      assertThat(maxInWindow(h.backend.callNanos(), WINDOW)).isLessThanOrEqualTo(10);
      assertThat(h.listener.rateLimited.get()).isGreaterThan(0);
    }
  }

  @Test
  void coldKeys_useTheColdLimit_whileRefreshesOfValidTokensStayUnderTheRefreshLimit() {
    try (Harness h =
        new Harness(
            b ->
                b.refreshRateLimit(10, Duration.ofSeconds(30))
                    .coldRateLimit(50)
                    .waitTimeout(Duration.ofHours(1)))) {
      List<CompletableFuture<AccessToken>> fills = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        fills.add(h.cache.getTokenAsync(request(i)));
      }
      h.scheduler.runDue();
      assertThat(h.backend.calls()).as("cold keys go up to the cold limit at once").isEqualTo(50);
      h.scheduler.advance(Duration.ofMinutes(5));
      assertThat(fills).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
      int afterFill = h.backend.calls();
      for (int m = 0; m < 60; m++) {
        for (int i = 0; i < 100; i++) {
          assertThat(h.cache.getTokenAsync(request(i))).isCompleted();
        }
        h.scheduler.advance(Duration.ofSeconds(30));
      }
      List<Long> nanos = h.backend.callNanos();
      assertThat(nanos.size() - afterFill).as("every key refreshed once").isEqualTo(100);
      assertThat(maxInWindow(nanos.subList(afterFill, nanos.size()), WINDOW))
          .as("refreshes of valid tokens")
          .isLessThanOrEqualTo(10);
    }
  }

  @Test
  void coldKey_isNotHeldBehindRefreshesThatUsedUpTheRefreshLimit() {
    try (Harness h = new Harness(b -> b.refreshRateLimit(1, Duration.ofMinutes(10)))) {
      CachingTokenProviderTest.fill(h, request(1)); // the refresh limit's one permit is used
      CompletableFuture<AccessToken> cold = h.cache.getTokenAsync(request(2));
      h.scheduler.runDue();
      assertThat(h.backend.calls())
          .as("dispatched at once, not after the 10 min window")
          .isEqualTo(2);
      assertThat(cold).isCompleted();
    }
  }

  @Test
  void refreshes_heldBack_goEarliestDeadlineFirst() {
    try (Harness h = new Harness(b -> b.refreshRateLimit(1, Duration.ofMinutes(10)))) {
      TokenRequest a = request(1);
      TokenRequest b = request(2);
      TokenRequest c = request(3);
      CachingTokenProviderTest.fill(h, a); // t = 0, usable until 55 min
      h.scheduler.advance(Duration.ofMinutes(10));
      CachingTokenProviderTest.fill(h, b); // t = 10 min, usable until 65 min
      h.scheduler.advance(Duration.ofMinutes(30)); // t = 40 min
      h.cache.getTokenAsync(c); // a cold key takes the permit
      h.scheduler.runDue();
      h.time.advance(Duration.ofMinutes(1));
      h.cache.getToken(b); // b asks first, but a dies first
      h.cache.getToken(a);
      h.scheduler.runDue();
      h.scheduler.advance(Duration.ofMinutes(20));
      assertThat(h.backend.callOrder()).containsExactly(a, b, c, a, b);
    }
  }

  @Test
  void rateLimit_isPerResource() {
    try (Harness h = new Harness(b -> b.refreshRateLimit(1, Duration.ofMinutes(10)))) {
      IdentityId other =
          IdentityId.of(
              "8:acs:11111111-2222-3333-4444-555555555555_00000000-0000-0000-0000-000000000001");
      CachingTokenProviderTest.fill(h, request(1));
      CompletableFuture<AccessToken> f =
          h.cache.getTokenAsync(
              TokenRequest.of(other, Scope.CHAT).withLifetime(TokenLifetime.ofMinutes(60)));
      h.scheduler.runDue();
      assertThat(f).isCompleted();
      assertThat(h.backend.calls()).isEqualTo(2);
    }
  }
}
