package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.acstoken.cache.CachingTokenProvider;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TimeSource;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

/** The two tiers wired as the README says: CachingTokenProvider, then RedisTokenTier, then ACS. */
@ExtendWith(RedisServerExtension.class)
class TwoTierIntegrationTest {

  static final int INSTANCES = 4;
  static final int THREADS = 16;
  static final int KEYS = 5;

  final MutableClock clock = Fleet.clock();
  final GatedAcs acs = new GatedAcs(clock);
  final ExecutorService threads = Executors.newFixedThreadPool(INSTANCES * THREADS);
  final List<TokenRequest> requests = new ArrayList<>();
  final List<CachingTokenProvider> locals = new ArrayList<>();

  @BeforeEach
  void keys() {
    for (int i = 0; i < KEYS; i++) {
      requests.add(TokenRequest.of(GatedAcs.identity(20 + i), Scope.CHAT));
    }
  }

  @AfterEach
  void stop() {
    locals.forEach(CachingTokenProvider::close);
    acs.close();
    threads.shutdownNow();
  }

  /** The wiring of one service instance. */
  CachingTokenProvider instance(RedisTokenTier tier) {
    CachingTokenProvider local =
        CachingTokenProvider.builder(tier).timeSource(TimeSource.of(clock)).build();
    // remote revocations reach the local tier
    tier.onInvalidation(local::invalidate);
    locals.add(local);
    return local;
  }

  @Test
  void getToken_fourServiceInstancesBothTiers_oneBackendCallPerKeyPerRefresh(RedisServer redis)
      throws Exception {
    try (Fleet fleet = new Fleet(INSTANCES, redis.uri(), acs, clock, UnaryOperator.identity())) {
      fleet.tiers.forEach(this::instance);
      fleet.awaitConnected();

      Set<AccessToken> first = round();
      assertThat(acs.calls()).isEqualTo(KEYS);
      assertThat(first).hasSize(KEYS);

      // past the local refresh point (half-life less jitter): every local cache serves its stale
      // token and refreshes it in the background through the tier; the fleet refreshes once
      clock.advance(Duration.ofHours(12).plusMinutes(1));
      round();
      await("every instance has the refreshed tokens")
          .atMost(Duration.ofSeconds(30))
          .until(() -> round().stream().noneMatch(first::contains));

      assertThat(acs.calls()).isEqualTo(2 * KEYS);
      for (TokenRequest r : requests) {
        assertThat(acs.calls(r)).isEqualTo(2);
      }
    }
  }

  @Test
  void revokeTokens_throughOneInstance_noLocalCacheServesRevokedToken(RedisServer redis) {
    try (Fleet fleet = new Fleet(INSTANCES, redis.uri(), acs, clock, UnaryOperator.identity())) {
      fleet.tiers.forEach(this::instance);
      fleet.awaitConnected();
      TokenRequest r = requests.get(0);
      AccessToken before = locals.get(0).getToken(r);
      for (CachingTokenProvider local : locals) {
        assertThat(local.getToken(r)).isEqualTo(before);
      }
      IdentityOperations identities = fleet.get(2).identityOperations(acs);

      identities.revokeTokens(r.identity());

      assertThat(acs.isRevoked(locals.get(2).getToken(r))).isFalse();
      await()
          .atMost(Duration.ofSeconds(1))
          .until(() -> locals.stream().noneMatch(l -> l.getToken(r).equals(before)));
      for (CachingTokenProvider local : locals) {
        assertThat(acs.isRevoked(local.getToken(r))).isFalse();
      }
    }
  }

  /** Every thread of every instance reads every key once; returns the tokens seen. */
  Set<AccessToken> round() throws Exception {
    Set<AccessToken> seen = ConcurrentHashMap.newKeySet();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (CachingTokenProvider local : locals) {
      for (int t = 0; t < THREADS; t++) {
        int offset = t;
        done.add(
            threads.submit(
                () -> {
                  start.await();
                  for (int k = 0; k < KEYS; k++) {
                    seen.add(local.getToken(requests.get((k + offset) % KEYS)));
                  }
                  return null;
                }));
      }
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    return seen;
  }
}
