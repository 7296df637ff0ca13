package dev.acstoken.cache;

import static dev.acstoken.cache.Harness.identity;
import static dev.acstoken.cache.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InvalidationTest {

  @Test
  void invalidate_identity_dropsEveryTokenOfThatIdentityOnly() {
    try (Harness h = new Harness()) {
      TokenRequest chat = TokenRequest.of(identity(1), Scope.CHAT);
      CachingTokenProviderTest.fill(h, chat);
      CachingTokenProviderTest.fill(h, request(1));
      CachingTokenProviderTest.fill(h, request(2));
      h.cache.invalidate(identity(1));
      assertThat(h.cache.estimatedSize()).isEqualTo(1);
      assertThat(h.cache.getTokenAsync(chat)).isNotDone();
      assertThat(h.cache.getTokenAsync(request(1))).isNotDone();
      assertThat(h.cache.getTokenAsync(request(2))).isDone();
      assertThat(h.listener.invalidations.get()).isEqualTo(2);
    }
  }

  @Test
  void invalidate_duringRefresh_waitersGetATokenRequestedAfterIt() {
    try (Harness h = new Harness()) {
      h.backend.hold();
      CompletableFuture<AccessToken> waiter = h.cache.getTokenAsync(request(1));
      h.scheduler.runDue();
      assertThat(h.backend.pendingCalls()).isEqualTo(1);
      h.cache.invalidate(identity(1)); // e.g. revoked while the call was on the wire
      h.scheduler.runDue();
      assertThat(h.backend.calls()).isEqualTo(2);
      assertThat(waiter).isNotDone();
      h.backend.completeNext(); // the answer of the call from before the revocation
      assertThat(waiter).as("a pre-revocation answer is discarded").isNotDone();
      AccessToken after = h.backend.completeNext();
      assertThat(waiter.join()).isEqualTo(after);
      assertThat(h.cache.getToken(request(1))).isEqualTo(after);
    }
  }

  @Test
  void invalidateIfCurrent_reportedByManyCallers_refreshesOnce() throws InterruptedException {
    try (Harness h = new Harness()) {
      AccessToken rejected = CachingTokenProviderTest.fill(h, request(1));
      int n = 32;
      AtomicInteger dropped = new AtomicInteger();
      CountDownLatch go = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(n);
      for (int i = 0; i < n; i++) {
        ThreadMode.PLATFORM.start(
            () -> {
              try {
                go.await();
                if (h.cache.invalidateIfCurrent(request(1), rejected)) {
                  dropped.incrementAndGet();
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                done.countDown();
              }
            });
      }
      go.countDown();
      assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(dropped.get()).isEqualTo(1);
      CompletableFuture<AccessToken> next = h.cache.getTokenAsync(request(1));
      assertThat(next).as("the rejected token is not served again").isNotDone();
      h.scheduler.runDue();
      assertThat(next.join()).isNotEqualTo(rejected);
      assertThat(h.backend.calls()).isEqualTo(2);
      assertThat(h.cache.invalidateIfCurrent(request(1), rejected))
          .as("a late report of the old token")
          .isFalse();
      h.scheduler.runDue();
      assertThat(h.backend.calls()).isEqualTo(2);
    }
  }

  @Test
  void invalidateIfCurrent_unknownKey_returnsFalse() {
    try (Harness h = new Harness()) {
      AccessToken t = FakeBackend.token(Harness.START.plusSeconds(3600), 1);
      assertThat(h.cache.invalidateIfCurrent(request(9), t)).isFalse();
    }
  }

  @Test
  void invalidatingOperations_revokeAndDelete_invalidateThatIdentity() {
    try (Harness h = new Harness()) {
      StubIdentityOperations stub = new StubIdentityOperations();
      IdentityOperations ops = h.cache.invalidatingOperations(stub);
      CachingTokenProviderTest.fill(h, request(1));
      CachingTokenProviderTest.fill(h, request(2));
      ops.revokeTokens(identity(1));
      assertThat(h.cache.getTokenAsync(request(1))).isNotDone();
      assertThat(h.cache.getTokenAsync(request(2))).isDone();
      h.scheduler.runDue();
      ops.deleteIdentityAsync(identity(2)).join();
      assertThat(h.cache.getTokenAsync(request(2))).isNotDone();
      assertThat(stub.calls).containsExactly("revoke " + identity(1), "deleteAsync " + identity(2));
    }
  }

  @Test
  void invalidatingOperations_whenRevokeFails_stillInvalidates() {
    try (Harness h = new Harness()) {
      StubIdentityOperations stub = new StubIdentityOperations();
      stub.failure = FailureTest.outage(); // a timed-out revoke may have taken effect
      IdentityOperations ops = h.cache.invalidatingOperations(stub);
      CachingTokenProviderTest.fill(h, request(1));
      assertThatThrownBy(() -> ops.revokeTokens(identity(1))).isSameAs(stub.failure);
      assertThat(h.cache.getTokenAsync(request(1))).isNotDone();
    }
  }

  @Test
  void eviction_duringRefresh_stillAnswersTheWaiters() {
    try (Harness h =
        new Harness(
            b ->
                b.expireAfterIdle(Duration.ofMinutes(1))
                    .callTimeout(Duration.ofMinutes(10))
                    .waitTimeout(Duration.ofMinutes(10)))) {
      h.backend.hold();
      CompletableFuture<AccessToken> waiter = h.cache.getTokenAsync(request(1));
      h.scheduler.runDue();
      h.time.advance(Duration.ofMinutes(2));
      h.cache.cleanUp();
      assertThat(h.listener.evictions.get()).isEqualTo(1);
      AccessToken t = h.backend.completeNext();
      assertThat(waiter.join()).isEqualTo(t);
      CompletableFuture<AccessToken> later = h.cache.getTokenAsync(request(1));
      assertThat(later).as("the evicted entry's token is not stored").isNotDone();
    }
  }

  @Test
  void idleEviction_runsOnTheScheduler_andSparesKeysThatAreRead() {
    try (Harness h =
        new Harness(
            b ->
                b.expireAfterIdle(Duration.ofHours(1))
                    .refreshFraction(0.9)
                    .minRefreshLead(Duration.ofMinutes(10)))) {
      CachingTokenProviderTest.fill(h, request(1));
      CachingTokenProviderTest.fill(h, request(2));
      for (int minute = 0; minute < 90; minute += 5) {
        h.time.advance(Duration.ofMinutes(5));
        h.cache.getToken(request(1)); // read every 5 minutes
        h.scheduler.runDue();
      }
      assertThat(h.listener.evictions.get()).as("only the idle key").isEqualTo(1);
      assertThat(h.cache.estimatedSize()).isEqualTo(1);
      assertThat(h.cache.getTokenAsync(request(1))).isDone();
    }
  }

  @Test
  void eviction_bySize_keepsTheBound() {
    try (Harness h = new Harness(b -> b.maximumSize(10))) {
      for (int i = 0; i < 100; i++) {
        CachingTokenProviderTest.fill(h, request(i));
      }
      h.cache.cleanUp();
      assertThat(h.cache.estimatedSize()).isLessThanOrEqualTo(10);
      assertThat(h.listener.evictions.get()).isGreaterThanOrEqualTo(90);
    }
  }

  @Test
  void eviction_bySize_evictsTheKeyReadLeastRecently() {
    try (Harness h = new Harness(b -> b.maximumSize(2).expireAfterIdle(Duration.ofHours(1)))) {
      CachingTokenProviderTest.fill(h, request(1));
      CachingTokenProviderTest.fill(h, request(2));
      h.time.advance(Duration.ofMinutes(10)); // past the read-time granularity (an eighth of 1 h)
      h.cache.getToken(request(1));
      CachingTokenProviderTest.fill(h, request(3));
      assertThat(h.cache.estimatedSize()).isEqualTo(2);
      assertThat(h.listener.evictions.get()).isEqualTo(1);
      int calls = h.backend.calls();
      assertThat(h.cache.getTokenAsync(request(1))).as("read 10 minutes ago: kept").isDone();
      assertThat(h.cache.getTokenAsync(request(3))).as("just added: kept").isDone();
      assertThat(h.backend.calls()).isEqualTo(calls);
      h.cache.getTokenAsync(request(2));
      h.scheduler.runDue();
      assertThat(h.backend.calls())
          .as("key 2, never read, was the one evicted")
          .isEqualTo(calls + 1);
    }
  }

  @Test
  void close_duringRefresh_failsTheWaitersAndIgnoresTheLateAnswer() {
    Harness h = new Harness();
    h.backend.hold();
    CompletableFuture<AccessToken> waiter = h.cache.getTokenAsync(request(1));
    h.scheduler.runDue();
    h.cache.close();
    assertThatThrownBy(waiter::join)
        .cause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("CachingTokenProvider is closed");
    assertThat(h.backend.peekPending().future).isCancelled();
    assertThatThrownBy(() -> h.cache.getToken(request(1)))
        .isInstanceOf(IllegalStateException.class);
    h.cache.close(); // idempotent
    assertThat(h.scheduler.isShutdown()).as("a scheduler given to the builder stays up").isFalse();
  }

  @Test
  void close_whileRefreshQueuedByRateLimit_failsTheWaiters() {
    Harness h = new Harness(b -> b.refreshRateLimit(1, Duration.ofMinutes(1)).coldRateLimit(1));
    CachingTokenProviderTest.fill(h, request(1));
    CompletableFuture<AccessToken> queued = h.cache.getTokenAsync(request(2));
    h.scheduler.runDue();
    assertThat(h.backend.calls()).isEqualTo(1);
    h.cache.close();
    assertThat(queued).isCompletedExceptionally();
    h.scheduler.advance(Duration.ofMinutes(2));
    assertThat(h.backend.calls()).isEqualTo(1);
  }
}
