package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.acstoken.cache.CacheStats;
import dev.acstoken.cache.CachingTokenProvider;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.Operation;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The fleet on a real Redis Cluster of three primaries with one replica each, started by the test
 * (skipped where {@code redis-cli} is missing): four real caches, each with its own {@link
 * RedisSharedTier} on Lettuce's cluster client; a primary that serves keys in use is killed and the
 * cluster promotes its replica.
 */
class RedisClusterFailoverTest extends FleetScenario {

  static final int INSTANCES = 4;
  static final int THREADS = 8;
  static final int KEYS = 12;
  static final String CHANNEL = "acs-token:events";

  RedisClusterFailoverTest() {
    super(THREADS, KEYS);
  }

  @Test
  void getToken_clusterPrimaryKilledWhileFourInstancesRead_replicaTakesOverAndSharingResumes()
      throws Exception {
    KeyLayout layout = new KeyLayout("acs-token", null);
    try (RedisCluster cluster = RedisCluster.startWithReplicas();
        CacheFleet fleet = fleet(cluster)) {
      fleet.awaitConnected();
      List<CompletableFuture<AccessToken>> reads =
          new ArrayList<>(fleet.readEverywhere(threads, THREADS, keys));
      assertThat(issued()).as("cold start, shared").isEqualTo(KEYS);

      // the primary to kill: of those that serve keys in use, the one most tiers subscribe on
      // (Lettuce may have subscribed them on a replica: then none of them)
      List<Integer> primariesInUse =
          keys.stream()
              .map(k -> cluster.primaryOf(SlotHash.getSlot(layout.keys(k).record())))
              .distinct()
              .toList();
      int victim =
          primariesInUse.stream()
              .max(Comparator.comparingLong(p -> subscribersOn(cluster.node(p))))
              .orElseThrow();
      int replica = cluster.replicaOf(victim);
      List<TokenRequest> victimKeys =
          keys.stream()
              .filter(k -> cluster.primaryOf(SlotHash.getSlot(layout.keys(k).record())) == victim)
              .toList();
      assertThat(victimKeys).isNotEmpty();

      long issuedBeforeFailover = issued();
      // the primary dies while reads are in flight, across a refresh point ...
      clock.advance(Duration.ofHours(13));
      List<CompletableFuture<AccessToken>> during = fleet.startReads(threads, THREADS, keys);
      cluster.kill(cluster.node(victim));
      fleet.drive(during);
      reads.addAll(during);
      fleet.driveUntilNoBackendCall();
      // a revocation while the killed primary still owns its slots in the tiers' eyes: Redis does
      // not take it, so the tier keeps it and must replay it once the replica serves the slot
      TokenRequest revokedDuringKey = victimKeys.get(victimKeys.size() - 1);
      AccessToken revokedDuring = fleet.read(1, revokedDuringKey);
      List<Long> heardBefore = heard(fleet);
      CompletableFuture<Void> revocation =
          fleet.get(0).invalidatingOperations(acs).revokeTokensAsync(revokedDuringKey.identity());
      fleet.drive(List.of(revocation));
      // ... and past the first tokens' expiry, while the cluster notices and promotes the replica
      clock.advance(Duration.ofHours(12));
      reads.addAll(fleet.readEverywhere(threads, THREADS, keys));
      fleet.driveUntilNoBackendCall();

      await("the cluster promotes the replica")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .until(
              () ->
                  victimKeys.stream()
                          .allMatch(
                              k ->
                                  cluster.primaryOf(SlotHash.getSlot(layout.keys(k).record()))
                                      == replica)
                      && cluster.stateOk());
      fleet.awaitConnected();
      // every tier reaches the slots the replica took over (Lettuce has refreshed its slot map)
      await("every tier reads from the promoted replica")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> fleet.tiers.stream().allMatch(t -> answers(t, victimKeys)));
      for (int i = 1; i < INSTANCES; i++) {
        RedisSharedTier tier = fleet.tiers.get(i);
        long before = heardBefore.get(i);
        await("the revocation made during the failover reaches instance " + i)
            .atMost(Duration.ofSeconds(15))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> heard(tier) > before);
        assertThat(fleet.read(i, revokedDuringKey))
            .as("instance %d after the revocation made during the failover", i)
            .isNotEqualTo(revokedDuring);
      }
      long issuedDuringFailover = issued() - issuedBeforeFailover;
      long sharedHitsBefore = sharedTierHits(fleet);

      // a refresh once the replica is primary: one ACS call per key for the fleet again. Past the
      // expiry of every token of the failover (some were refreshed then, and a refresh point is
      // jittered: 13 h later some would still be fresh and never refreshed on the test's clock)
      // (no call in flight across the jump: it would come back with a token of before it)
      fleet.driveUntilNoBackendCall();
      clock.advance(Duration.ofHours(26));
      long issuedBefore = issued();
      reads.addAll(fleet.readEverywhere(threads, THREADS, keys));
      fleet.awaitEverywhere(
          keys, t -> t.expiresAt().isAfter(clock.instant().plus(Duration.ofHours(23))));
      long issuedAfterFailover = issued() - issuedBefore;
      long sharedHitsAfter = sharedTierHits(fleet) - sharedHitsBefore;

      // a revocation of an identity whose slot moved to the replica reaches every instance
      TokenRequest revokedKey = victimKeys.get(0);
      AccessToken revoked = fleet.read(0, revokedKey);
      List<Long> receivedBefore =
          fleet.tiers.stream().map(t -> t.stats().invalidationsReceived()).toList();
      clock.advance(Duration.ofMinutes(1));
      fleet.drive(
          List.of(
              fleet.get(0).invalidatingOperations(acs).revokeTokensAsync(revokedKey.identity())));
      for (int i = 1; i < INSTANCES; i++) {
        RedisSharedTier tier = fleet.tiers.get(i);
        long before = receivedBefore.get(i);
        await("the invalidation reaches instance " + i)
            .atMost(Duration.ofSeconds(10))
            .until(() -> tier.stats().invalidationsReceived() > before);
      }
      long issuedBeforeRevocation = issued();
      AccessToken fresh = fleet.read(0, revokedKey);
      assertThat(fresh).isNotEqualTo(revoked);
      for (int i = 1; i < INSTANCES; i++) {
        assertThat(fleet.read(i, revokedKey))
            .as("instance %d after the revocation", i)
            .isEqualTo(fresh);
      }

      System.out.printf(
          "cluster failover: %d keys (%d on the killed primary), %d instances; cold start %d ACS"
              + " calls; primary killed across a refresh and an expiry: %d ACS calls until the"
              + " replica took over; after: %d ACS calls, %d shared-tier hits; %d expired tokens"
              + " served%n",
          KEYS,
          victimKeys.size(),
          INSTANCES,
          issuedBeforeFailover,
          issuedDuringFailover,
          issuedAfterFailover,
          sharedHitsAfter,
          fleet.expiredServed.sum());
      assertThat(reads).as("no caller error").allSatisfy(f -> assertThat(f).isCompleted());
      assertThat(fleet.expiredServed.sum()).as("expired tokens served").isZero();
      assertThat(issuedAfterFailover)
          .as("ACS calls at the refresh after the failover: shared again")
          .isEqualTo(KEYS);
      assertThat(sharedHitsAfter)
          .as("refreshes the tier answered after the failover")
          .isGreaterThanOrEqualTo((long) KEYS * (INSTANCES - 1));
      assertThat(issued() - issuedBeforeRevocation)
          .as("one ACS call for the fleet after the revocation")
          .isEqualTo(1);
      assertThat(fleet.sameTokenEverywhere(keys)).isTrue();
    }
  }

  // ---------------------------------------------------------------------------------- helpers

  CacheFleet fleet(RedisCluster cluster) {
    String[] seeds = cluster.uris().toArray(String[]::new);
    return new CacheFleet(
        INSTANCES,
        i ->
            RedisSharedTier.builder()
                .redisCluster(seeds)
                .encryptionKeys(EncryptionKeys.of("k1", Fleet.KEY)),
        cluster::uris,
        acs,
        clock,
        UnaryOperator.identity());
  }

  /** {@return whether the tier answered a read of every key, found or not, without a failure} */
  private boolean answers(RedisSharedTier tier, List<TokenRequest> someKeys) {
    List<CompletableFuture<AccessToken>> reads =
        someKeys.stream().map(k -> tier.read(k, clock.instant())).toList();
    return reads.stream()
        .allMatch(
            r -> {
              try {
                r.join();
                return true;
              } catch (RuntimeException e) {
                return false;
              }
            });
  }

  /** {@return the invalidations each tier heard or caught up with} */
  private static List<Long> heard(CacheFleet fleet) {
    return fleet.tiers.stream().map(RedisClusterFailoverTest::heard).toList();
  }

  private static long heard(RedisSharedTier tier) {
    RedisTierStats stats = tier.stats();
    return stats.invalidationsReceived() + stats.invalidationsCaughtUp();
  }

  private static long subscribersOn(RedisServer node) {
    try (RawRedis raw = new RawRedis(node.uri())) {
      return raw.subscribers(CHANNEL);
    }
  }

  private static long sharedTierHits(CacheFleet fleet) {
    return fleet.caches.stream()
        .map(CachingTokenProvider::stats)
        .mapToLong(CacheStats::sharedTierHits)
        .sum();
  }

  private long issued() {
    return acs.callCount(Operation.ISSUE_TOKEN);
  }
}
