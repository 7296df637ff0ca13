package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.acstoken.core.AccessToken;
import dev.acstoken.testkit.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The fleet on a Sentinel-managed Redis (one primary, one replica, one sentinel, started by the
 * test; skipped where {@code redis-cli} is missing): four real caches, each with its own {@link
 * RedisSharedTier} configured with the {@code redis-sentinel://} URI only.
 */
class RedisSentinelTest extends FleetScenario {

  static final int INSTANCES = 4;
  static final int THREADS = 8;
  static final int KEYS = 10;

  RedisSentinelTest() {
    super(THREADS, KEYS);
  }

  @Test
  void getToken_primaryKilledWhileFourInstancesRead_noCallerErrorsAndSharingResumes()
      throws Exception {
    try (RedisSentinel redis = RedisSentinel.start();
        CacheFleet fleet =
            new CacheFleet(
                INSTANCES,
                i -> Fleet.builder(redis.uri()),
                redis::primaryUris,
                acs,
                clock,
                UnaryOperator.identity())) {
      fleet.awaitConnected();
      int firstPrimary = redis.primaryPort();
      List<CompletableFuture<AccessToken>> reads =
          new ArrayList<>(fleet.readEverywhere(threads, THREADS, keys));
      assertThat(issued()).as("cold start, shared").isEqualTo(KEYS);

      long issuedBeforeFailover = issued();
      // the primary dies while reads are in flight, across a refresh point ...
      clock.advance(Duration.ofHours(13));
      List<CompletableFuture<AccessToken>> during = fleet.startReads(threads, THREADS, keys);
      redis.primary.stop();
      fleet.drive(during);
      reads.addAll(during);
      fleet.driveUntilNoBackendCall();
      // ... and past the first tokens' expiry, before the sentinel has promoted the replica
      clock.advance(Duration.ofHours(12));
      reads.addAll(fleet.readEverywhere(threads, THREADS, keys));

      await("the sentinel promotes the replica")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> redis.primaryPort() != firstPrimary);
      assertThat(redis.primaryPort()).isEqualTo(redis.replica.port());
      fleet.awaitConnected();
      long issuedDuringFailover = issued() - issuedBeforeFailover;
      clock.advance(Duration.ofHours(13));
      long issuedBefore = issued();
      reads.addAll(fleet.readEverywhere(threads, THREADS, keys));
      fleet.awaitEverywhere(
          keys, t -> t.expiresAt().isAfter(clock.instant().plus(Duration.ofHours(23))));

      assertThat(reads).as("no caller error").allSatisfy(f -> assertThat(f).isCompleted());
      assertThat(issued() - issuedBefore)
          .as("ACS calls once the replica is primary: shared again")
          .isEqualTo(KEYS);
      assertThat(fleet.sameTokenEverywhere(keys)).isTrue();
      System.out.printf(
          "sentinel: %d keys, %d instances; cold start %d ACS calls; primary killed across a"
              + " refresh and an expiry: %d ACS calls until failover; after failover %d;"
              + " %d expired tokens served%n",
          KEYS,
          INSTANCES,
          issuedBeforeFailover,
          issuedDuringFailover,
          issued() - issuedBefore,
          fleet.expiredServed.sum());
      assertThat(fleet.expiredServed.sum()).as("expired tokens served").isZero();
    }
  }

  private long issued() {
    return acs.callCount(Operation.ISSUE_TOKEN);
  }
}
