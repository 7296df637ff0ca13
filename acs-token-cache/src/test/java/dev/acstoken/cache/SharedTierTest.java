package dev.acstoken.cache;

import static dev.acstoken.cache.Harness.identity;
import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.ManualScheduler;
import dev.acstoken.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A simulated fleet: four caches on one clock and one scheduler, sharing an in-memory tier in front
 * of one backend. The cache decides everything; the tier only stores and leases.
 */
class SharedTierTest {

  private static final int INSTANCES = 4;

  private static final class Fleet implements AutoCloseable {
    final MutableClock clock = MutableClock.at(Harness.START);
    final ManualScheduler scheduler = ManualScheduler.on(clock);
    final FakeBackend backend = new FakeBackend(clock);
    final InMemorySharedTier.Store store = new InMemorySharedTier.Store(clock);
    final List<CachingTokenProvider> caches = new ArrayList<>();
    final List<InMemorySharedTier> tiers = new ArrayList<>();
    int errors;

    Fleet() {
      for (int i = 0; i < INSTANCES; i++) {
        InMemorySharedTier tier = store.connect();
        tiers.add(tier);
        caches.add(
            CachingTokenProvider.builder(backend)
                .timeSource(clock)
                .scheduler(scheduler)
                .sharedTier(tier)
                .recordStats()
                .build());
      }
    }

    /** Every instance reads every key {@code times} times (as that many threads would). */
    List<AccessToken> readAll(List<TokenRequest> keys, int times) {
      List<CompletableFuture<AccessToken>> reads = new ArrayList<>();
      for (CachingTokenProvider c : caches) {
        for (int t = 0; t < times; t++) {
          for (TokenRequest k : keys) {
            reads.add(c.getTokenAsync(k));
          }
        }
      }
      for (int i = 0; i < 100 && reads.stream().anyMatch(r -> !r.isDone()); i++) {
        scheduler.advance(Duration.ofMillis(100));
      }
      List<AccessToken> tokens = new ArrayList<>();
      for (CompletableFuture<AccessToken> r : reads) {
        if (!r.isDone() || r.isCompletedExceptionally()) {
          errors++;
        } else {
          tokens.add(r.join());
        }
      }
      return tokens;
    }

    /** One more instance on the fleet's tier, with a cold limit of 20 and 10 per 30 s. */
    CachingTokenProvider slowLimitInstance() {
      return CachingTokenProvider.builder(backend)
          .timeSource(clock)
          .scheduler(scheduler)
          .sharedTier(store.connect())
          .refreshRateLimit(10, Duration.ofSeconds(30))
          .coldRateLimit(20)
          .recordStats()
          .build();
    }

    @Override
    public void close() {
      caches.forEach(CachingTokenProvider::close);
    }
  }

  private static List<TokenRequest> keys(int n) {
    List<TokenRequest> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(Harness.request(i));
    }
    return keys;
  }

  @Test
  void coldStart_fourInstancesSixteenReadersEach_oneBackendCallPerKey() {
    try (Fleet fleet = new Fleet()) {
      List<TokenRequest> keys = keys(50);
      List<AccessToken> tokens = fleet.readAll(keys, 16);

      assertThat(fleet.errors).isZero();
      assertThat(tokens).hasSize(INSTANCES * 16 * 50);
      assertThat(fleet.backend.calls()).isEqualTo(50);
      for (TokenRequest k : keys) {
        assertThat(fleet.backend.calls(k)).isEqualTo(1);
      }
    }
  }

  @Test
  void refreshes_overThreeHours_oneBackendCallPerKeyPerRefresh() {
    try (Fleet fleet = new Fleet()) {
      List<TokenRequest> keys = keys(20);
      for (int minute = 0; minute < 180; minute++) {
        fleet.readAll(keys, 1);
        fleet.scheduler.advance(Duration.ofMinutes(1));
      }
      assertThat(fleet.errors).isZero();
      // 60-minute tokens refresh at half-life: 30 min, so 6 tokens per key in 3 hours (+1 cold)
      for (TokenRequest k : keys) {
        assertThat(fleet.backend.calls(k)).isBetween(6, 7);
      }
      long sharedHits = fleet.caches.stream().mapToLong(c -> c.stats().sharedTierHits()).sum();
      assertThat(sharedHits).as("the other instances took the shared tokens").isPositive();
    }
  }

  @Test
  void restartIntoAFleet_moreKeysThanTheColdLimit_fillsFromTheTierWithoutWaitingForTheLimit() {
    try (Fleet fleet = new Fleet()) {
      List<TokenRequest> keys = keys(300);
      fleet.readAll(keys, 1);
      int callsBefore = fleet.backend.calls();
      // a new instance whose cold limit is far below the keys the fleet already holds
      try (CachingTokenProvider restarted = fleet.slowLimitInstance()) {
        List<CompletableFuture<AccessToken>> reads = new ArrayList<>();
        for (TokenRequest k : keys) {
          reads.add(restarted.getTokenAsync(k));
        }
        // far less than one rate window: at the service's pace, 20 keys per 30 s, this would
        // take 7 minutes
        fleet.scheduler.advance(Duration.ofSeconds(1));

        assertThat(reads).allMatch(r -> r.isDone() && !r.isCompletedExceptionally());
        assertThat(fleet.backend.calls()).as("no backend call").isEqualTo(callsBefore);
        assertThat(restarted.stats().sharedTierHits()).isEqualTo(300);
      }
    }
  }

  @Test
  void restartIntoAFleet_keysTheTierDoesNotHave_waitForTheColdLimit() {
    try (Fleet fleet = new Fleet()) {
      try (CachingTokenProvider fresh = fleet.slowLimitInstance()) {
        List<CompletableFuture<AccessToken>> reads = new ArrayList<>();
        for (TokenRequest k : keys(30)) {
          reads.add(fresh.getTokenAsync(k));
        }
        fleet.scheduler.advance(Duration.ofSeconds(1));

        assertThat(fleet.backend.calls()).as("the cold limit still holds").isEqualTo(20);
        assertThat(reads.stream().filter(CompletableFuture::isDone)).hasSize(20);
        // the ten held back outlive the wait timeout (15 s), but their refreshes go on
        fleet.scheduler.advance(Duration.ofSeconds(30));
        assertThat(fleet.backend.calls()).isEqualTo(30);
        List<CompletableFuture<AccessToken>> again = new ArrayList<>();
        for (TokenRequest k : keys(30)) {
          again.add(fresh.getTokenAsync(k));
        }
        assertThat(again).allMatch(r -> r.isDone() && !r.isCompletedExceptionally());
        assertThat(fleet.backend.calls()).isEqualTo(30);
      }
    }
  }

  @Test
  void tierHangs_readsAndInvalidationsGoOnAfterTheSharedTierTimeout() {
    try (Fleet fleet = new Fleet()) {
      fleet.store.hanging = true;
      TokenRequest key = Harness.request(1);
      CachingTokenProvider cache = fleet.caches.get(0);
      CompletableFuture<AccessToken> read = cache.getTokenAsync(key);
      CompletableFuture<Void> invalidated = cache.invalidateAsync(key.identity());
      fleet.scheduler.advance(Duration.ofMillis(999));
      assertThat(read).isNotDone();
      assertThat(invalidated).as("waits for the tier up to its timeout").isNotDone();

      fleet.scheduler.advance(Duration.ofMillis(1));
      assertThat(invalidated).isCompletedWithValue(null);
      fleet.scheduler.runDue();
      assertThat(read.join()).as("the backend's token, after the tier's timeout").isNotNull();
      assertThat(fleet.backend.calls()).isEqualTo(1);
    }
  }

  @Test
  void tierDown_everyCallGoesToTheBackend_noCallerError() {
    try (Fleet fleet = new Fleet()) {
      fleet.store.failing = true;
      List<TokenRequest> keys = keys(5);
      fleet.readAll(keys, 4);
      assertThat(fleet.errors).isZero();
      assertThat(fleet.backend.calls()).as("each instance on its own").isEqualTo(5 * INSTANCES);
      fleet.store.failing = false;
      fleet.scheduler.advance(Duration.ofMinutes(31));
      fleet.readAll(keys, 1);
      fleet.scheduler.advance(Duration.ofSeconds(1));
      assertThat(fleet.errors).isZero();
    }
  }

  @Test
  void tierStoreRefused_whenAnotherInstanceStoredATokenThatExpiresLater() {
    try (Fleet fleet = new Fleet()) {
      TokenRequest key = Harness.request(1);
      fleet.readAll(List.of(key), 1);
      AccessToken shared = fleet.store.record(key);
      // a later token already in the tier: a late writer with an older token is refused
      AccessToken newer = FakeBackend.token(Harness.START.plus(Duration.ofHours(3)), 999);
      fleet.store.put(key, newer);
      InMemorySharedTier tier = fleet.tiers.get(0);
      SharedTier.Claim lease = tier.claim(key, newer.expiresAt(), Duration.ofSeconds(15)).join();
      assertThat(lease.isLeased()).isTrue();
      assertThat(tier.store(key, lease, shared).join()).isFalse();
      assertThat(fleet.store.record(key)).isEqualTo(newer);
    }
  }

  @Test
  void revokeThroughOneInstance_noInstanceServesTheOldTokenAfterwards() {
    try (Fleet fleet = new Fleet()) {
      TokenRequest key = Harness.request(1);
      List<AccessToken> before = fleet.readAll(List.of(key), 1);
      AccessToken old = before.get(0);
      IdentityId id = key.identity();
      fleet.caches.get(0).invalidatingOperations(new StubIdentityOperations()).revokeTokens(id);
      assertThat(fleet.store.record(key)).as("gone from the tier").isNull();
      List<AccessToken> after = fleet.readAll(List.of(key), 1);
      assertThat(after).hasSize(INSTANCES).doesNotContain(old);
      assertThat(fleet.backend.calls(key)).as("one new token for the fleet").isEqualTo(2);
    }
  }

  @Test
  void close_closesTheTier() {
    Fleet fleet = new Fleet();
    fleet.close();
    assertThat(fleet.tiers).allMatch(InMemorySharedTier::isClosed);
  }

  @Test
  void invalidateIfCurrent_refreshDoesNotTakeTheRejectedTokenBackFromTheTier() {
    try (Fleet fleet = new Fleet()) {
      TokenRequest key = Harness.request(1);
      AccessToken rejected = fleet.readAll(List.of(key), 1).get(0);
      CachingTokenProvider a = fleet.caches.get(0);
      assertThat(a.invalidateIfCurrent(key, rejected)).isTrue();
      fleet.scheduler.runDue();
      CompletableFuture<AccessToken> next = a.getTokenAsync(key);
      fleet.scheduler.advance(Duration.ofMillis(100));
      assertThat(next.join()).isNotEqualTo(rejected);
      assertThat(fleet.store.record(key)).isNotEqualTo(rejected);
      assertThat(identity(1)).isEqualTo(key.identity());
    }
  }

  @Test
  void tierFailsWhileWaitingForAnotherInstance_theWaiterAsksTheBackend_neverTakesAnOldToken() {
    try (Fleet fleet = new Fleet()) {
      TokenRequest key = Harness.request(1);
      fleet.backend.hold();
      // instance 0 takes the lease and its backend call hangs
      CompletableFuture<AccessToken> a = fleet.caches.get(0).getTokenAsync(key);
      fleet.scheduler.runDue();
      // instance 1 finds the lease taken and polls
      CompletableFuture<AccessToken> b = fleet.caches.get(1).getTokenAsync(key);
      fleet.scheduler.runDue();
      assertThat(b).isNotDone();
      // Redis fails during the wait: the waiter goes to the backend itself
      fleet.store.failing = true;
      fleet.scheduler.advance(Duration.ofMillis(100));
      assertThat(fleet.backend.calls()).isEqualTo(2);
      AccessToken first = fleet.backend.completeNext();
      AccessToken second = fleet.backend.completeNext();
      fleet.scheduler.runDue();
      assertThat(a.join()).isEqualTo(first);
      assertThat(b).isDone();
      assertThat(b.join()).as("a token from the backend, not a shared one").isEqualTo(second);
    }
  }
}
