package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.FakeAcs;
import dev.acstoken.testkit.MutableClock;
import dev.acstoken.testkit.Operation;
import io.lettuce.core.MigrateArgs;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fleet on a real Redis Cluster of three primaries, started for this class (skipped where
 * {@code redis-cli} is missing): four real caches, each with its own {@link RedisSharedTier} on
 * Lettuce's cluster client, over one fake ACS, keys spread over the three nodes.
 */
class RedisClusterTest {

  static final int INSTANCES = 4;
  static final int THREADS = 8;
  static final int KEYS = 12;

  static RedisCluster cluster;

  final MutableClock clock = Fleet.clock();
  final FakeAcs acs = FakeAcs.builder().clock(clock).build();
  final ExecutorService threads = Executors.newFixedThreadPool(THREADS);
  final List<TokenRequest> keys = new ArrayList<>();

  @BeforeAll
  static void startCluster() {
    cluster = RedisCluster.start();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void identities() {
    for (RedisServer node : cluster.nodes) {
      RedisCluster.cli(node.port(), "flushall");
    }
    for (int i = 0; i < KEYS; i++) {
      keys.add(TokenRequest.of(acs.createIdentity(), Scope.VOIP));
    }
  }

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  @Test
  void keyLayout_keysOfTheTest_spreadOverEveryNode() {
    KeyLayout layout = new KeyLayout("acs-token", null);
    Set<String> owners = new HashSet<>();
    for (TokenRequest key : keys) {
      int slot = SlotHash.getSlot(layout.keys(key).record());
      owners.add(ownerOf(slot));
    }
    assertThat(owners).hasSize(RedisCluster.PRIMARIES);
  }

  @Test
  void getToken_coldStartAndEachRefreshOnCluster_oneBackendCallPerKey() throws Exception {
    try (CacheFleet fleet = fleet(UnaryOperator.identity())) {
      fleet.awaitConnected();

      List<CompletableFuture<AccessToken>> reads = fleet.readEverywhere(threads, THREADS, keys);
      assertThat(issued()).isEqualTo(KEYS);
      assertThat(fleet.sameTokenEverywhere(keys)).isTrue();

      for (int refresh = 1; refresh <= 2; refresh++) {
        Instant before = clock.instant();
        clock.advance(Duration.ofHours(13));
        reads.addAll(fleet.readEverywhere(threads, THREADS, keys));
        fleet.awaitEverywhere(keys, t -> t.expiresAt().isAfter(before.plus(Duration.ofHours(24))));
        assertThat(issued()).isEqualTo((long) KEYS * (refresh + 1));
        assertThat(fleet.sameTokenEverywhere(keys)).isTrue();
      }
      assertThat(reads).allSatisfy(f -> assertThat(f).isCompleted());
      assertThat(fleet.tiers).allSatisfy(t -> assertThat(t.stats().redisFailures()).isZero());
      assertThat(fleet.expiredServed.sum()).as("expired tokens served").isZero();
    }
  }

  @Test
  void invalidate_throughOneInstanceOnCluster_reachesEveryOtherInstance() {
    TokenRequest key = keys.get(0);
    try (CacheFleet fleet = fleet(UnaryOperator.identity())) {
      fleet.awaitConnected();
      AccessToken before = fleet.read(0, key);
      for (int i = 1; i < INSTANCES; i++) {
        assertThat(fleet.read(i, key)).isEqualTo(before);
      }
      clock.advance(Duration.ofMinutes(1));

      CompletableFuture<Void> revoked =
          fleet.get(0).invalidatingOperations(acs).revokeTokensAsync(key.identity());
      fleet.drive(List.of(revoked));

      for (int i = 1; i < INSTANCES; i++) {
        RedisSharedTier tier = fleet.tiers.get(i);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> tier.stats().invalidationsReceived() == 1);
      }
      AccessToken after = fleet.read(0, key);
      assertThat(after).isNotEqualTo(before);
      for (int i = 1; i < INSTANCES; i++) {
        assertThat(fleet.read(i, key)).isEqualTo(after);
      }
      assertThat(issued()).as("the token before, and one after for the fleet").isEqualTo(2);
    }
  }

  @Test
  void getToken_slotsOfTheKeysMigratedDuringARefresh_noCallerErrorsAndAboutOneCallPerKey()
      throws Exception {
    List<RawRedis> nodes = cluster.uris().stream().map(RawRedis::new).toList();
    try (CacheFleet fleet = fleet(UnaryOperator.identity())) {
      fleet.awaitConnected();
      List<CompletableFuture<AccessToken>> reads = fleet.readEverywhere(threads, THREADS, keys);
      Set<Integer> slots = new HashSet<>();
      Set<String> ownersBefore = new HashSet<>();
      KeyLayout layout = new KeyLayout("acs-token", null);
      // every slot in use that the first node does not serve moves to it, as `redis-cli --cluster
      // reshard --cluster-to <first node>` does (one target: no two nodes bump their config epoch
      // at once)
      String target = Integer.toString(cluster.nodes.get(0).port());
      for (TokenRequest key : keys) {
        int slot = SlotHash.getSlot(layout.keys(key).record());
        String owner = ownerOf(slot);
        if (!owner.equals(target)) {
          slots.add(slot);
          ownersBefore.add(slot + "@" + owner);
        }
      }
      assertThat(slots).isNotEmpty();

      int refreshes = 3;
      for (int refresh = 1; refresh <= refreshes; refresh++) {
        Instant before = clock.instant();
        clock.advance(Duration.ofHours(13));
        CompletableFuture<Void> migration = CompletableFuture.completedFuture(null);
        if (refresh == 1) {
          // those slots are migrating when the fleet refreshes, and finish moving while the
          // refreshes run
          List<Move> moves = slots.stream().map(slot -> begin(nodes, slot)).toList();
          migration = CompletableFuture.runAsync(() -> moves.forEach(m -> finish(nodes, m)));
        }
        List<CompletableFuture<AccessToken>> during = fleet.startReads(threads, THREADS, keys);
        fleet.drive(during);
        reads.addAll(during);
        fleet.awaitEverywhere(keys, t -> t.expiresAt().isAfter(before.plus(Duration.ofHours(24))));
        migration.join();
      }

      // the nodes' gossip may show an older owner for a moment after the move
      await("every slot in use served by its new node")
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                Set<String> ownersAfter = new HashSet<>();
                slots.forEach(slot -> ownersAfter.add(slot + "@" + ownerOf(slot)));
                return ownersAfter.stream().noneMatch(ownersBefore::contains);
              });
      assertThat(reads).as("no caller error").allSatisfy(f -> assertThat(f).isCompleted());
      double perKeyPerRefresh = (double) issued() / (KEYS * (refreshes + 1));
      System.out.printf(
          "cluster, slots migrated during a refresh: %d ACS calls for %d keys x %d refreshes"
              + " (%.3f per key per refresh), %d Redis failures%n",
          issued(),
          KEYS,
          refreshes + 1,
          perKeyPerRefresh,
          fleet.tiers.stream().mapToLong(t -> t.stats().redisFailures()).sum());
      assertThat(perKeyPerRefresh).isLessThanOrEqualTo(1.05);
      assertThat(fleet.expiredServed.sum()).as("expired tokens served").isZero();
      assertThat(fleet.sameTokenEverywhere(keys)).isTrue();
    } finally {
      nodes.forEach(RawRedis::close);
    }
  }

  // ---------------------------------------------------------------------------------- helpers

  /** A hash slot on its way from one node to another. */
  record Move(int slot, int from, int to, String targetId) {}

  /**
   * Starts moving one hash slot from the node that serves it to the first node, the way {@code
   * redis-cli --cluster reshard} does: IMPORTING on the target, MIGRATING on the source. Until
   * {@link #finish} the source answers for keys it still holds, ASK for the others, and TRYAGAIN
   * for a script whose keys are on both. One connection per node, as redis-cli has.
   */
  static Move begin(List<RawRedis> nodes, int slot) {
    String sourcePort = ownerOf(slot);
    int from = -1;
    for (int i = 0; i < cluster.nodes.size(); i++) {
      if (Integer.toString(cluster.nodes.get(i).port()).equals(sourcePort)) {
        from = i;
      }
    }
    int to = 0;
    String sourceId = nodes.get(from).sync().clusterMyId();
    String targetId = nodes.get(to).sync().clusterMyId();
    nodes.get(to).sync().clusterSetSlotImporting(slot, sourceId);
    nodes.get(from).sync().clusterSetSlotMigrating(slot, targetId);
    return new Move(slot, from, to, targetId);
  }

  /** MIGRATE of the slot's keys, then the new owner told to every node. */
  static void finish(List<RawRedis> nodes, Move move) {
    RawRedis src = nodes.get(move.from());
    List<String> inSlot;
    while (!(inSlot = src.sync().clusterGetKeysInSlot(move.slot(), 100)).isEmpty()) {
      src.sync()
          .migrate(
              "127.0.0.1",
              cluster.nodes.get(move.to()).port(),
              0,
              5000,
              MigrateArgs.Builder.keys(inSlot).replace());
    }
    nodes.get(move.to()).sync().clusterSetSlotNode(move.slot(), move.targetId());
    src.sync().clusterSetSlotNode(move.slot(), move.targetId());
    for (int i = 0; i < nodes.size(); i++) {
      if (i != move.from() && i != move.to()) {
        nodes.get(i).sync().clusterSetSlotNode(move.slot(), move.targetId());
      }
    }
  }

  CacheFleet fleet(UnaryOperator<RedisSharedTierBuilder> config) {
    String[] seeds = cluster.uris().toArray(String[]::new);
    return new CacheFleet(
        INSTANCES,
        i ->
            config.apply(
                RedisSharedTier.builder()
                    .redisCluster(seeds)
                    .encryptionKeys(EncryptionKeys.of("k1", Fleet.KEY))),
        cluster::uris,
        acs,
        clock,
        UnaryOperator.identity());
  }

  private long issued() {
    return acs.callCount(Operation.ISSUE_TOKEN);
  }

  /** {@return the port of the node that serves the slot, as {@code CLUSTER SLOTS} says} */
  static String ownerOf(int slot) {
    String slots = RedisCluster.cli(cluster.nodes.get(0).port(), "cluster", "slots");
    // lines: start, end, host, port, id, then the next range
    String[] lines = slots.strip().split("\\R");
    for (int i = 0; i + 3 < lines.length; i++) {
      try {
        int start = Integer.parseInt(lines[i].strip());
        int end = Integer.parseInt(lines[i + 1].strip());
        if (slot >= start && slot <= end && lines[i + 2].strip().equals("127.0.0.1")) {
          return lines[i + 3].strip();
        }
      } catch (NumberFormatException e) {
        // not the start of a range
      }
    }
    throw new IllegalStateException("no node serves slot " + slot);
  }
}
