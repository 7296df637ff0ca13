package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisServerExtension.class)
class FleetSharingTest {

  static final int INSTANCES = 4;
  static final int THREADS = 16;
  static final int KEYS = 5;

  final MutableClock clock = Fleet.clock();
  final GatedAcs acs = new GatedAcs(clock);
  final ExecutorService threads = Executors.newFixedThreadPool(INSTANCES * THREADS);
  final List<TokenRequest> requests = new ArrayList<>();

  @BeforeEach
  void keys() {
    for (int i = 0; i < KEYS; i++) {
      requests.add(TokenRequest.of(GatedAcs.identity(i), Scope.VOIP));
    }
  }

  @AfterEach
  void stop() {
    acs.close();
    threads.shutdownNow();
  }

  @Test
  void getToken_fourInstancesSixteenThreadsEach_oneBackendCallPerKeyPerRefresh(RedisServer redis)
      throws Exception {
    try (Fleet fleet = new Fleet(INSTANCES, redis.uri(), acs, clock, UnaryOperator.identity())) {
      fleet.awaitConnected();
      for (int refresh = 1; refresh <= 3; refresh++) {
        Map<TokenRequest, Set<AccessToken>> seen = runRound(fleet);

        assertThat(acs.calls()).isEqualTo(KEYS * refresh);
        for (TokenRequest r : requests) {
          assertThat(acs.calls(r)).isEqualTo(refresh);
          assertThat(seen.get(r)).as("one token per key across the fleet").hasSize(1);
        }
        // past the shared refresh point (40 % of 24 h), well before expiry
        clock.advance(Duration.ofHours(10));
      }
      long shared = fleet.tiers.stream().mapToLong(t -> t.stats().sharedRefreshes()).sum();
      long fallbacks = fleet.tiers.stream().mapToLong(t -> t.stats().fallbacks()).sum();
      assertThat(shared).isEqualTo(KEYS * 3);
      assertThat(fallbacks).isZero();
    }
  }

  @Test
  void getToken_freshRecordOfAnotherInstance_servedFromRedisWithoutBackendCall(RedisServer redis) {
    try (Fleet fleet = new Fleet(2, redis.uri(), acs, clock, UnaryOperator.identity())) {
      fleet.awaitConnected();
      AccessToken first = fleet.get(0).getToken(requests.get(0));
      clock.advance(Duration.ofHours(9)); // 37.5 % of the lifetime: still fresh

      AccessToken second = fleet.get(1).getToken(requests.get(0));

      assertThat(second).isEqualTo(first);
      assertThat(acs.calls()).isEqualTo(1);
      assertThat(fleet.listeners.get(0).served(TokenSource.DELEGATE_SHARED)).isEqualTo(1);
      assertThat(fleet.listeners.get(1).served(TokenSource.REDIS)).isEqualTo(1);
    }
  }

  @Test
  void getToken_staleRecordAndLeaseHeldPastWaitTimeout_servesStaleToken(RedisServer redis) {
    UnaryOperator<RedisTokenTier.Builder> shortWait =
        b -> b.waitTimeout(Duration.ofMillis(200)).leaseTime(Duration.ofMinutes(1));
    try (Fleet fleet = new Fleet(2, redis.uri(), acs, clock, shortWait)) {
      fleet.awaitConnected();
      AccessToken first = fleet.get(0).getToken(requests.get(0));
      clock.advance(Duration.ofHours(12));
      acs.closeGate();
      var holder = fleet.get(0).getTokenAsync(requests.get(0)); // takes the lease, then waits
      await().until(() -> acs.calls() == 2);

      AccessToken served = fleet.get(1).getToken(requests.get(0));

      assertThat(served).isEqualTo(first);
      assertThat(fleet.listeners.get(1).served(TokenSource.REDIS_STALE)).isEqualTo(1);
      assertThat(acs.calls()).isEqualTo(2);
      acs.openGate();
      assertThat(holder.join()).isNotEqualTo(first);
    }
  }

  @Test
  void getTokenAsync_manyCallersOfOneInstance_shareOneLookup(RedisServer redis) throws Exception {
    try (Fleet fleet = new Fleet(1, redis.uri(), acs, clock, UnaryOperator.identity())) {
      fleet.awaitConnected();
      acs.closeGate();
      List<java.util.concurrent.CompletableFuture<AccessToken>> futures = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        futures.add(fleet.get(0).getTokenAsync(requests.get(0)));
      }
      await().until(() -> acs.calls() == 1);
      acs.openGate();

      Set<AccessToken> tokens = ConcurrentHashMap.newKeySet();
      for (var f : futures) {
        tokens.add(f.get(30, TimeUnit.SECONDS));
      }
      assertThat(tokens).hasSize(1);
      assertThat(acs.calls()).isEqualTo(1);
    }
  }

  /**
   * Every thread of every instance asks for every key, starting together; the backend holds the
   * first call of each key until every other instance waits on that key's lease, so the race is
   * real. Returns the tokens seen per key.
   */
  Map<TokenRequest, Set<AccessToken>> runRound(Fleet fleet) throws Exception {
    Map<TokenRequest, Set<AccessToken>> seen = new ConcurrentHashMap<>();
    long waitsBefore = fleet.leaseWaits();
    CountDownLatch start = new CountDownLatch(1);
    acs.closeGate();
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      RedisTokenTier tier = fleet.get(i);
      for (int t = 0; t < THREADS; t++) {
        int offset = t;
        done.add(
            threads.submit(
                () -> {
                  start.await();
                  for (int k = 0; k < KEYS; k++) {
                    TokenRequest r = requests.get((k + offset) % KEYS);
                    seen.computeIfAbsent(r, x -> ConcurrentHashMap.newKeySet())
                        .add(tier.getToken(r));
                  }
                  return null;
                }));
      }
    }
    start.countDown();
    // each key: one instance holds the lease (in the backend), the 3 others wait on it
    await("every other instance waits on every key's lease")
        .atMost(Duration.ofSeconds(30))
        .until(() -> fleet.leaseWaits() - waitsBefore >= (long) (INSTANCES - 1) * KEYS);
    acs.openGate();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    return seen;
  }
}
