package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.acstoken.cache.SharedTier;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Four service instances, each a real {@code CachingTokenProvider} with its own {@link
 * RedisSharedTier}, on one clock, over one fake ACS and one real Redis; 16 threads ask every
 * instance for every key at once. ACS calls are counted at the fake.
 */
@ExtendWith(RedisServerExtension.class)
class FleetTest extends FleetScenario {

  static final int INSTANCES = 4;
  static final int THREADS = 16;
  static final int KEYS = 10;

  FleetTest() {
    super(THREADS, KEYS);
  }

  @Test
  void getToken_coldStartAndEachRefresh_oneBackendCallPerKey(RedisServer redis) throws Exception {
    try (CacheFleet fleet = new CacheFleet(INSTANCES, redis.uri(), acs, clock)) {
      fleet.awaitConnected();

      List<CompletableFuture<AccessToken>> cold = readEverywhere(fleet);

      assertThat(cold).allSatisfy(f -> assertThat(f).isCompleted());
      assertThat(issued()).isEqualTo(KEYS);
      assertSameTokenEverywhere(fleet);

      for (int refresh = 1; refresh <= 3; refresh++) {
        // past every instance's refresh point of the 24-hour tokens, not past their expiry
        Instant before = clock.instant();
        clock.advance(Duration.ofHours(13));
        List<CompletableFuture<AccessToken>> reads = readEverywhere(fleet);
        awaitEverywhere(fleet, t -> t.expiresAt().isAfter(before.plus(Duration.ofHours(24))));

        assertThat(reads).allSatisfy(f -> assertThat(f).isCompleted());
        assertThat(issued()).isEqualTo((long) KEYS * (refresh + 1));
        assertSameTokenEverywhere(fleet);
      }
      assertThat(fleet.expiredServed.sum()).as("expired tokens served").isZero();
    }
  }

  @Test
  void store_leaseHolderSlowerThanItsLease_neverReplacesTheNewerToken(RedisServer redis) {
    TokenRequest key = keys.get(0);
    KeyLayout.RequestKeys redisKeys = new KeyLayout("acs-token", null).keys(key);
    CountDownLatch storeHeld = new CountDownLatch(1);
    CountDownLatch letStore = new CountDownLatch(1);
    try (CacheFleet fleet =
            new CacheFleet(
                INSTANCES,
                redis.uri(),
                i -> acs,
                clock,
                tier -> new StoreHoldingTier(tier, storeHeld, letStore),
                b ->
                    b.callTimeout(Duration.ofMillis(500))
                        .sharedTierTimeout(Duration.ofMillis(500))
                        .leaseTime(Duration.ofMillis(1500)));
        RawRedis raw = new RawRedis(redis.uri())) {
      fleet.awaitConnected();
      // instance 0 gets the lease and its token, then stalls before it stores (a long GC pause)
      ((StoreHoldingTier) fleet.shared.get(0)).holdNextStore();
      AccessToken older = fleet.read(0, key);
      await().atMost(Duration.ofSeconds(10)).until(() -> storeHeld.getCount() == 0);
      // its lease runs out in Redis; a minute later instance 1 refreshes the key under a new lease
      await().atMost(Duration.ofSeconds(10)).until(() -> raw.sync().exists(redisKeys.lease()) == 0);
      clock.advance(Duration.ofMinutes(1));
      AccessToken newer = fleet.read(1, key);
      assertThat(newer.expiresAt()).isAfter(older.expiresAt());

      letStore.countDown();

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> fleet.tiers.get(0).stats().storesRefused() == 1);
      assertThat(fleet.tiers.get(0).read(key, Instant.EPOCH).join()).isEqualTo(newer);
      assertThat(fleet.read(2, key)).isEqualTo(newer);
      assertThat(issued()).isEqualTo(2);
    }
  }

  @Test
  void getToken_redisKilledMidRunAndRestarted_noCallerErrors() throws Exception {
    try (RedisServer redis = RedisServer.start();
        CacheFleet fleet = new CacheFleet(INSTANCES, redis.uri(), acs, clock)) {
      fleet.awaitConnected();
      List<CompletableFuture<AccessToken>> reads = new ArrayList<>(readEverywhere(fleet));

      // killed while reads are in flight, across a refresh point and past the first expiry
      clock.advance(Duration.ofHours(13));
      List<CompletableFuture<AccessToken>> during = startReads(fleet);
      redis.stop();
      fleet.drive(during);
      reads.addAll(during);
      fleet.driveUntilNoBackendCall();
      clock.advance(Duration.ofHours(12));
      reads.addAll(readEverywhere(fleet));
      // back, empty: every instance reconnects by itself and sharing resumes
      redis.startAgain();
      fleet.awaitConnected();
      long storedBefore = stored(fleet);
      clock.advance(Duration.ofHours(13));
      long issuedBefore = issued();
      reads.addAll(readEverywhere(fleet));
      awaitEverywhere(fleet, t -> t.expiresAt().isAfter(clock.instant().plusSeconds(23 * 3600)));

      assertThat(reads).allSatisfy(f -> assertThat(f).isCompleted());
      assertThat(fleet.tiers).allSatisfy(t -> assertThat(t.stats().redisFailures()).isPositive());
      assertThat(issued() - issuedBefore).as("ACS calls once Redis was back").isEqualTo(KEYS);
      System.out.printf(
          "single: Redis killed across a refresh and an expiry, then restarted: %d ACS calls"
              + " for %d keys in all, %d once it was back; %d expired tokens served%n",
          issued(), KEYS, issued() - issuedBefore, fleet.expiredServed.sum());
      assertThat(stored(fleet) - storedBefore).isEqualTo(KEYS);
      assertThat(fleet.expiredServed.sum()).as("expired tokens served").isZero();
    }
  }

  @Test
  void revokeTokens_throughOneInstance_reachesEveryOtherInstance(RedisServer redis) {
    TokenRequest key = keys.get(0);
    try (CacheFleet fleet = new CacheFleet(INSTANCES, redis.uri(), acs, clock)) {
      fleet.awaitConnected();
      AccessToken before = fleet.read(0, key);
      for (int i = 0; i < INSTANCES; i++) {
        assertThat(fleet.read(i, key)).isEqualTo(before);
      }
      IdentityOperations identities = fleet.get(0).invalidatingOperations(acs);
      clock.advance(Duration.ofMinutes(1)); // a token issued after the revocation differs

      CompletableFuture<Void> revoked = identities.revokeTokensAsync(key.identity());
      fleet.drive(List.of(revoked));

      assertThat(acs.isValid(before)).isFalse();
      AccessToken after = fleet.read(0, key);
      assertThat(after).isNotEqualTo(before);
      for (int i = 1; i < INSTANCES; i++) {
        int instance = i;
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> fleet.read(instance, key), t -> !t.equals(before));
        assertThat(fleet.read(i, key)).isEqualTo(after);
      }
      assertThat(acs.isValid(after)).isTrue();
      assertThat(issued()).as("the token before, and one after for the fleet").isEqualTo(2);
    }
  }

  // ---------------------------------------------------------------------------------- helpers

  private long issued() {
    return acs.callCount(Operation.ISSUE_TOKEN);
  }

  private static long stored(CacheFleet fleet) {
    return fleet.tiers.stream().mapToLong(t -> t.stats().tokensStored()).sum();
  }

  /** 16 threads ask every instance for every key at once; then the fleet runs until all answer. */
  private List<CompletableFuture<AccessToken>> readEverywhere(CacheFleet fleet) throws Exception {
    return fleet.readEverywhere(threads, THREADS, keys);
  }

  private List<CompletableFuture<AccessToken>> startReads(CacheFleet fleet) throws Exception {
    return fleet.startReads(threads, THREADS, keys);
  }

  private void awaitEverywhere(CacheFleet fleet, java.util.function.Predicate<AccessToken> test) {
    fleet.awaitEverywhere(keys, test);
  }

  private void assertSameTokenEverywhere(CacheFleet fleet) {
    assertThat(fleet.sameTokenEverywhere(keys)).isTrue();
  }

  /**
   * A shared tier whose next store, once armed, waits until the test lets it go, as an instance
   * paused between its backend answer and its store would.
   */
  static final class StoreHoldingTier implements SharedTier {

    private final RedisSharedTier tier;
    private final CountDownLatch held;
    private final CountDownLatch release;
    private final AtomicBoolean armed = new AtomicBoolean();

    StoreHoldingTier(RedisSharedTier tier, CountDownLatch held, CountDownLatch release) {
      this.tier = tier;
      this.held = held;
      this.release = release;
    }

    void holdNextStore() {
      armed.set(true);
    }

    @Override
    public CompletableFuture<Claim> claim(TokenRequest key, Instant minExpiry, Duration leaseTime) {
      return tier.claim(key, minExpiry, leaseTime);
    }

    @Override
    public CompletableFuture<@Nullable AccessToken> read(TokenRequest key, Instant minExpiry) {
      return tier.read(key, minExpiry);
    }

    @Override
    public CompletableFuture<Boolean> store(TokenRequest key, Claim lease, AccessToken token) {
      if (!armed.compareAndSet(true, false)) {
        return tier.store(key, lease, token);
      }
      held.countDown();
      return CompletableFuture.runAsync(
              () -> {
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              })
          .thenCompose(v -> tier.store(key, lease, token));
    }

    @Override
    public CompletableFuture<Void> release(TokenRequest key, Claim lease) {
      return tier.release(key, lease);
    }

    @Override
    public CompletableFuture<Void> invalidate(IdentityId identity) {
      return tier.invalidate(identity);
    }

    @Override
    public CompletableFuture<Boolean> invalidateIfCurrent(TokenRequest key, AccessToken rejected) {
      return tier.invalidateIfCurrent(key, rejected);
    }

    @Override
    public void subscribe(Consumer<IdentityId> subscriber) {
      tier.subscribe(subscriber);
    }

    @Override
    public void close() {
      tier.close();
    }
  }
}
