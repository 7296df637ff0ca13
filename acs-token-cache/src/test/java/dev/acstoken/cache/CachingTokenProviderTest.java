package dev.acstoken.cache;

import static dev.acstoken.cache.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.error.RequestTimeoutException;
import dev.acstoken.testkit.ManualScheduler;
import dev.acstoken.testkit.MutableClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class CachingTokenProviderTest {

  @Test
  void getToken_whenCold_callsBackendOnceAndCaches() {
    try (Harness h = new Harness()) {
      CompletableFuture<AccessToken> first = h.cache.getTokenAsync(request(1));
      assertThat(first).isNotDone();
      h.scheduler.runDue();
      assertThat(first).isCompleted();
      assertThat(h.cache.getToken(request(1))).isEqualTo(first.join());
      assertThat(h.backend.calls()).isEqualTo(1);
      assertThat(h.cache.estimatedSize()).isEqualTo(1);
    }
  }

  @Test
  void getToken_whenFresh_servesCachedWithoutBackendCall() {
    try (Harness h = new Harness()) {
      AccessToken token = fill(h, request(1));
      h.time.advance(Duration.ofMinutes(29));
      for (int i = 0; i < 100; i++) {
        assertThat(h.cache.getToken(request(1))).isSameAs(token);
      }
      h.scheduler.runDue();
      assertThat(h.backend.calls()).isEqualTo(1);
      assertThat(h.cache.stats().hits()).isEqualTo(100);
    }
  }

  @Test
  void getToken_whenStale_servesCachedAndRefreshesOnce() {
    try (Harness h = new Harness()) {
      AccessToken old = fill(h, request(1));
      h.time.advance(Duration.ofMinutes(30)); // half-life of a one-hour token
      for (int i = 0; i < 50; i++) {
        assertThat(h.cache.getToken(request(1))).isSameAs(old);
      }
      assertThat(h.backend.calls()).as("the refresh runs on the scheduler").isEqualTo(1);
      h.scheduler.runDue();
      assertThat(h.backend.calls()).isEqualTo(2);
      AccessToken fresh = h.cache.getToken(request(1));
      assertThat(fresh).isNotEqualTo(old);
      assertThat(fresh.expiresAt()).isEqualTo(Harness.START.plus(Duration.ofMinutes(90)));
      assertThat(h.listener.waits.get()).as("only the cold fill waited").isEqualTo(1);
    }
  }

  @Test
  void getToken_whenStaleAndBackendHeld_neverBlocksAnyReader() {
    try (Harness h = new Harness()) {
      AccessToken old = fill(h, request(1));
      h.backend.hold();
      h.time.advance(Duration.ofMinutes(31));
      assertThat(h.cache.getToken(request(1))).isSameAs(old);
      h.scheduler.runDue();
      assertThat(h.backend.pendingCalls()).isEqualTo(1);
      for (int i = 0; i < 1000; i++) {
        assertThat(h.cache.getToken(request(1))).isSameAs(old);
      }
      assertThat(h.backend.calls()).isEqualTo(2);
      AccessToken fresh = h.backend.completeNext();
      assertThat(h.cache.getToken(request(1))).isEqualTo(fresh);
      assertThat(h.listener.waits.get()).as("only the cold fill waited").isEqualTo(1);
    }
  }

  @Test
  void getToken_pastUsableDeadline_waitsForTheRefresh() {
    try (Harness h = new Harness()) {
      AccessToken old = fill(h, request(1));
      h.time.advance(Duration.ofMinutes(55)); // expiry 60 min minus the 5 min safety margin
      CompletableFuture<AccessToken> waiting = h.cache.getTokenAsync(request(1));
      assertThat(waiting).isNotDone();
      h.scheduler.runDue();
      assertThat(waiting.join()).isNotEqualTo(old);
      assertThat(h.listener.waits.get()).as("the cold fill and this caller").isEqualTo(2);
    }
  }

  @Test
  void getToken_justBeforeUsableDeadline_servesTheStaleToken() {
    try (Harness h = new Harness()) {
      AccessToken old = fill(h, request(1));
      h.time.advance(Duration.ofMinutes(55).minusNanos(1));
      assertThat(h.cache.getTokenAsync(request(1))).isCompletedWithValue(old);
    }
  }

  @Test
  void refreshPoint_ofLongToken_isHalfLife() {
    TokenRequest day = TokenRequest.of(Harness.identity(1), Scope.CHAT);
    try (Harness h = new Harness(b -> b.expireAfterIdle(Duration.ofDays(1)))) {
      AccessToken token = fill(h, day);
      h.time.advance(Duration.ofHours(12).minusSeconds(1));
      assertThat(h.cache.getToken(day)).isSameAs(token);
      h.scheduler.runDue();
      assertThat(h.backend.calls()).isEqualTo(1);
      h.time.advance(Duration.ofSeconds(1));
      assertThat(h.cache.getToken(day)).isSameAs(token);
      h.scheduler.runDue();
      assertThat(h.backend.calls()).isEqualTo(2);
    }
  }

  @Test
  void refreshPoint_ofShortToken_keepsTheMinimumLead() {
    try (Harness h = new Harness()) {
      h.backend.lifetime(r -> Duration.ofMinutes(16));
      AccessToken token = fill(h, request(1));
      // half-life would be 8 min; 10 min lead before expiry means 6 min
      h.time.advance(Duration.ofMinutes(6).minusSeconds(1));
      assertThat(h.cache.getToken(request(1))).isSameAs(token);
      h.scheduler.runDue();
      assertThat(h.backend.calls()).isEqualTo(1);
      h.time.advance(Duration.ofSeconds(1));
      h.cache.getToken(request(1));
      h.scheduler.runDue();
      assertThat(h.backend.calls()).isEqualTo(2);
    }
  }

  @Test
  void refreshJitter_spreadsKeysFilledTogether() {
    try (Harness h = new Harness(b -> b.refreshJitter(Duration.ofMinutes(5)))) {
      for (int i = 0; i < 100; i++) {
        fill(h, request(i));
      }
      h.time.advance(Duration.ofMinutes(25).plusSeconds(30));
      for (int i = 0; i < 100; i++) {
        h.cache.getToken(request(i));
      }
      h.scheduler.runDue();
      int early = h.backend.calls() - 100;
      assertThat(early)
          .as("about a tenth of the keys are within 30 s of the earliest")
          .isBetween(1, 30);
    }
  }

  @Test
  void getToken_afterWallClockJumpsBack_stillStopsAtTheMonotonicDeadline() {
    try (Harness h = new Harness()) {
      AccessToken old = fill(h, request(1));
      h.time.stepWallClock(Duration.ofHours(-3));
      h.time.advance(Duration.ofMinutes(56));
      CompletableFuture<AccessToken> f = h.cache.getTokenAsync(request(1));
      assertThat(f).isNotDone();
      h.scheduler.runDue();
      assertThat(f.join()).isNotEqualTo(old);
    }
  }

  @Test
  void getToken_afterWallClockJumpsForwardPastExpiry_neverServesTheToken() {
    try (Harness h = new Harness()) {
      // a suspended process: its monotonic clock stood still, the wall clock moved on 5 hours
      AccessToken token = fill(h, request(1));
      h.time.stepWallClock(Duration.ofHours(5));
      CompletableFuture<AccessToken> f = h.cache.getTokenAsync(request(1));
      assertThat(f).as("the caller waits for a new token").isNotDone();
      h.scheduler.runDue();
      assertThat(f.join()).isNotEqualTo(token);
      assertThat(h.backend.calls()).isEqualTo(2);
    }
  }

  @Test
  void getToken_afterSmallWallClockStep_keepsServingTheFreshToken() {
    try (Harness h = new Harness()) {
      AccessToken token = fill(h, request(1));
      h.time.stepWallClock(Duration.ofMinutes(2));
      assertThat(h.cache.getToken(request(1))).isSameAs(token);
      h.scheduler.runDue();
      assertThat(h.backend.calls()).isEqualTo(1);
    }
  }

  @Test
  void getTokenAsync_cancelledByOneCaller_doesNotCancelTheRefreshForOthers() {
    try (Harness h = new Harness()) {
      CompletableFuture<AccessToken> a = h.cache.getTokenAsync(request(1));
      CompletableFuture<AccessToken> b = h.cache.getTokenAsync(request(1));
      a.cancel(true);
      h.scheduler.runDue();
      assertThat(b).isCompleted();
      assertThat(h.backend.calls()).isEqualTo(1);
    }
  }

  @Test
  void getTokenAsync_pastWaitTimeout_failsWithTimeoutAndRefreshGoesOn() {
    try (Harness h =
        new Harness(
            b -> b.waitTimeout(Duration.ofSeconds(15)).callTimeout(Duration.ofMinutes(1)))) {
      h.backend.hold();
      CompletableFuture<AccessToken> f = h.cache.getTokenAsync(request(1));
      h.scheduler.runDue();
      h.scheduler.advance(Duration.ofSeconds(15));
      assertThat(f).isCompletedExceptionally();
      assertThatThrownBy(f::get)
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(RequestTimeoutException.class)
          .hasMessageContaining("wait timeout of PT15S");
      AccessToken t = h.backend.completeNext();
      assertThat(h.cache.getToken(request(1))).isEqualTo(t);
      assertThat(h.backend.calls()).isEqualTo(1);
    }
  }

  @Test
  void getToken_whenBackendCallExceedsCallTimeout_failsRetryablyAndIgnoresTheLateAnswer() {
    try (Harness h = new Harness(b -> b.callTimeout(Duration.ofSeconds(10)))) {
      h.backend.hold();
      CompletableFuture<AccessToken> f = h.cache.getTokenAsync(request(1));
      h.scheduler.runDue();
      h.scheduler.advance(Duration.ofSeconds(10));
      assertThatThrownBy(f::join)
          .cause()
          .isInstanceOf(RequestTimeoutException.class)
          .hasMessageContaining("call timeout of PT10S");
      assertThat(h.backend.peekPending().future).isCancelled();
      assertThat(h.listener.terminal).containsExactly(false);
    }
  }

  @Test
  void getToken_whenBackendReturnsTokenInsideSafetyMargin_treatsItAsRetryableFailure() {
    try (Harness h = new Harness()) {
      h.backend.lifetime(r -> Duration.ofMinutes(4));
      CompletableFuture<AccessToken> f = h.cache.getTokenAsync(request(1));
      h.scheduler.runDue();
      assertThatThrownBy(f::join)
          .cause()
          .hasMessageContaining("within the safety margin of PT5M")
          .hasMessageNotContaining("eyJ");
      assertThat(h.listener.terminal).containsExactly(false);
    }
  }

  @Test
  void getToken_whenBackendThrowsUnexpectedError_wrapsItAsRetryable() {
    try (Harness h = new Harness()) {
      h.backend.failNext(new IllegalStateException("bug in the backend"));
      CompletableFuture<AccessToken> f = h.cache.getTokenAsync(request(1));
      h.scheduler.runDue();
      assertThatThrownBy(f::join)
          .cause()
          .isInstanceOf(dev.acstoken.core.error.AcsException.class)
          .hasMessageContaining("IllegalStateException")
          .hasRootCauseInstanceOf(IllegalStateException.class);
      assertThat(h.listener.terminal).containsExactly(false);
    }
  }

  @Test
  void toString_neverShowsTheTokenValue() {
    try (Harness h = new Harness()) {
      AccessToken t = fill(h, request(1));
      assertThat(h.cache.toString()).doesNotContain(t.value()).contains("entries=1");
    }
  }

  @Test
  void getToken_nullRequest_isRejectedWithMessage() {
    try (Harness h = new Harness()) {
      assertThatThrownBy(() -> h.cache.getToken(null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("request must not be null");
    }
  }

  @Test
  void stats_countHitsMissesAndRefreshes() {
    try (Harness h = new Harness()) {
      fill(h, request(1));
      h.cache.getToken(request(1));
      CacheStats s = h.cache.stats();
      assertThat(s.misses()).isEqualTo(1);
      assertThat(s.hits()).isEqualTo(1);
      assertThat(s.refreshes()).isEqualTo(1);
      assertThat(s.refreshSuccesses()).isEqualTo(1);
      assertThat(s.waits()).isEqualTo(1);
      assertThat(s.toString()).contains("hits=1");
    }
  }

  @Test
  void listener_thatThrows_neverBreaksTheCache() {
    MutableClock time = MutableClock.at(Harness.START);
    ManualScheduler scheduler = ManualScheduler.on(time);
    CacheListener broken =
        new CacheListener() {
          @Override
          public void onHit(TokenRequest request) {
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void onMiss(TokenRequest request) {
            throw new IllegalStateException("listener bug");
          }
        };
    try (CachingTokenProvider cache =
        CachingTokenProvider.builder(new FakeBackend(time))
            .timeSource(time)
            .scheduler(scheduler)
            .listener(broken)
            .build()) {
      CompletableFuture<AccessToken> f = cache.getTokenAsync(request(1));
      scheduler.runDue();
      assertThat(cache.getToken(request(1))).isEqualTo(f.join());
    }
  }

  @Test
  void differentScopesOrLifetimes_areDifferentKeys() {
    IdentityId id = Harness.identity(1);
    try (Harness h = new Harness()) {
      fill(h, TokenRequest.of(id, Scope.CHAT));
      fill(h, TokenRequest.of(id, Scope.VOIP, Scope.CHAT));
      fill(h, TokenRequest.of(id, Scope.CHAT, Scope.VOIP));
      assertThat(h.backend.calls()).isEqualTo(2);
    }
  }

  static AccessToken fill(Harness h, TokenRequest request) {
    CompletableFuture<AccessToken> f = h.cache.getTokenAsync(request);
    h.scheduler.runDue();
    return f.join();
  }
}
