package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.acstoken.cache.SharedTier.Claim;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The SharedTier contract on a real Redis: claim, read, fenced store, release, invalidation. */
@ExtendWith(RedisServerExtension.class)
class RedisSharedTierTest {

  static final Duration LEASE = Duration.ofSeconds(20);

  final MutableClock clock = Fleet.clock();
  final TokenRequest key = TokenRequest.of(Fleet.identity(1), Scope.VOIP);
  final Instant now = clock.instant();
  final Instant far = now.plus(Duration.ofDays(3650));

  @Test
  void claim_emptyKey_leasesThenOthersAreBusy(RedisServer redis) {
    try (Fleet fleet = new Fleet(2, redis.uri(), UnaryOperator.identity())) {
      fleet.awaitConnected();

      Claim first = fleet.get(0).claim(key, now, LEASE).join();
      Claim second = fleet.get(1).claim(key, now, LEASE).join();
      Claim again = fleet.get(0).claim(key, now, LEASE).join();

      assertThat(first.isLeased()).isTrue();
      assertThat(first.token()).isNull();
      assertThat(second.isLeased()).isFalse();
      assertThat(second.token()).isNull();
      assertThat(again.toString()).isEqualTo("Claim[BUSY]");
      assertThat(fleet.get(1).stats().busyClaims()).isEqualTo(1);
    }
  }

  @Test
  void claim_fourInstancesAtOnce_exactlyOneLeases(RedisServer redis) {
    try (Fleet fleet = new Fleet(4, redis.uri(), UnaryOperator.identity())) {
      fleet.awaitConnected();
      List<java.util.concurrent.CompletableFuture<Claim>> claims = new java.util.ArrayList<>();
      for (int round = 0; round < 16; round++) {
        for (RedisSharedTier tier : fleet.tiers) {
          claims.add(tier.claim(key, now, LEASE));
        }
      }

      long leased =
          claims.stream()
              .map(java.util.concurrent.CompletableFuture::join)
              .filter(Claim::isLeased)
              .count();

      assertThat(leased).isOne();
    }
  }

  @Test
  void claim_completesOnTheConfiguredExecutor_notOnLettucesThreads(RedisServer redis) {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newSingleThreadExecutor(r -> new Thread(r, "test-executor"));
    try (Fleet fleet = new Fleet(1, redis.uri(), b -> b.executor(pool))) {
      fleet.awaitConnected();
      java.util.concurrent.CompletableFuture<Claim> claim = fleet.get(0).claim(key, now, LEASE);
      java.util.concurrent.CompletableFuture<String> thread =
          claim.thenApply(c -> Thread.currentThread().getName());

      assertThat(claim.join().isLeased()).isTrue();
      assertThat(thread.join()).isIn("test-executor", Thread.currentThread().getName());
      assertThat(thread.join()).doesNotContain("lettuce");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void claim_afterStore_returnsTokenToEveryInstance(RedisServer redis) {
    try (Fleet fleet = new Fleet(2, redis.uri(), UnaryOperator.identity())) {
      fleet.awaitConnected();
      AccessToken token = Fleet.token(clock, Duration.ofHours(1));
      Claim lease = fleet.get(0).claim(key, now, LEASE).join();

      boolean stored = fleet.get(0).store(key, lease, token).join();
      Claim found = fleet.get(1).claim(key, now.plus(Duration.ofMinutes(30)), LEASE).join();

      assertThat(stored).isTrue();
      assertThat(found.token()).isEqualTo(token);
      assertThat(found.token().expiresAt()).isEqualTo(token.expiresAt());
      assertThat(fleet.get(1).read(key, now).join()).isEqualTo(token);
      assertThat(fleet.get(1).stats().tokensFound()).isEqualTo(2);
    }
  }

  @Test
  void claim_storedTokenNotBeatingMinExpiry_leasesInstead(RedisServer redis) {
    try (Fleet fleet = new Fleet(2, redis.uri(), UnaryOperator.identity())) {
      fleet.awaitConnected();
      AccessToken token = Fleet.token(clock, Duration.ofHours(1));
      fleet.get(0).store(key, fleet.get(0).claim(key, now, LEASE).join(), token).join();

      Claim claim = fleet.get(1).claim(key, token.expiresAt(), LEASE).join();

      assertThat(claim.isLeased()).isTrue();
      assertThat(fleet.get(1).read(key, token.expiresAt()).join()).isNull();
      assertThat(fleet.get(1).read(key, token.expiresAt().minusMillis(1)).join()).isEqualTo(token);
    }
  }

  @Test
  void store_lateHolderWithShorterToken_isRefusedAndNeverReplacesNewer(RedisServer redis) {
    try (Fleet fleet = new Fleet(2, redis.uri(), UnaryOperator.identity())) {
      fleet.awaitConnected();
      Claim slow = fleet.get(0).claim(key, now, Duration.ofMillis(50)).join();
      // the slow holder's lease runs out; another instance takes it and stores a newer token
      Claim fast =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> fleet.get(1).claim(key, now, LEASE).join(), Claim::isLeased);
      AccessToken older = Fleet.token(clock, Duration.ofMinutes(60));
      AccessToken newer = Fleet.token(clock, Duration.ofMinutes(61));
      assertThat(fleet.get(1).store(key, fast, newer).join()).isTrue();

      boolean late = fleet.get(0).store(key, slow, older).join();

      assertThat(late).isFalse();
      assertThat(fleet.get(0).read(key, now).join()).isEqualTo(newer);
      assertThat(fleet.get(0).stats().storesRefused()).isEqualTo(1);
    }
  }

  @Test
  void store_sameExpiryAsStored_isRefused(RedisServer redis) {
    try (Fleet fleet = new Fleet(1, redis.uri(), UnaryOperator.identity())) {
      fleet.awaitConnected();
      RedisSharedTier tier = fleet.get(0);
      AccessToken first = Fleet.token(clock, Duration.ofHours(1));
      AccessToken sameExpiry = AccessToken.of(first.value() + "x", first.expiresAt());
      AccessToken later = Fleet.token(clock, Duration.ofHours(2));
      tier.store(key, tier.claim(key, now, LEASE).join(), first).join();

      boolean same =
          tier.store(key, tier.claim(key, first.expiresAt(), LEASE).join(), sameExpiry).join();
      boolean longer =
          tier.store(key, tier.claim(key, first.expiresAt(), LEASE).join(), later).join();

      assertThat(same).isFalse();
      assertThat(longer).isTrue();
      assertThat(tier.read(key, now).join()).isEqualTo(later);
    }
  }

  @Test
  void store_afterInvalidationOfTheIdentity_isRefused(RedisServer redis) {
    try (Fleet fleet = new Fleet(2, redis.uri(), UnaryOperator.identity())) {
      fleet.awaitConnected();
      Claim lease = fleet.get(0).claim(key, now, LEASE).join();
      // the token the holder is fetching may predate this revocation
      fleet.get(1).invalidate(key.identity()).join();

      boolean stored =
          fleet.get(0).store(key, lease, Fleet.token(clock, Duration.ofHours(1))).join();

      assertThat(stored).isFalse();
      assertThat(fleet.get(0).read(key, now).join()).isNull();
      // the refused store released the lease: the next claim takes it, with the new epoch
      Claim next = fleet.get(1).claim(key, now, LEASE).join();
      assertThat(next.isLeased()).isTrue();
      assertThat(fleet.get(1).store(key, next, Fleet.token(clock, Duration.ofHours(1))).join())
          .isTrue();
    }
  }

  @Test
  void store_releasesTheLease_andReleaseLeavesATakenOverLeaseAlone(RedisServer redis) {
    KeyLayout.RequestKeys keys = new KeyLayout("acs-token", null).keys(key);
    try (Fleet fleet = new Fleet(2, redis.uri(), UnaryOperator.identity());
        RawRedis raw = new RawRedis(redis.uri())) {
      fleet.awaitConnected();
      fleet.get(0).store(key, fleet.get(0).claim(key, now, LEASE).join(), token()).join();
      assertThat(raw.sync().exists(keys.lease())).isZero();

      Claim stale = fleet.get(0).claim(key, far, Duration.ofMillis(50)).join();
      Claim current =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> fleet.get(1).claim(key, far, LEASE).join(), Claim::isLeased);
      fleet.get(0).release(key, stale).join();
      assertThat(raw.sync().exists(keys.lease())).isOne();

      fleet.get(1).release(key, current).join();
      assertThat(raw.sync().exists(keys.lease())).isZero();
      assertThat(fleet.get(0).claim(key, far, LEASE).join().isLeased()).isTrue();
    }
  }

  @Test
  void claim_leaseOfACrashedHolderExpires_nextClaimTakesIt(RedisServer redis) {
    try (Fleet fleet = new Fleet(2, redis.uri(), UnaryOperator.identity())) {
      fleet.awaitConnected();
      assertThat(fleet.get(0).claim(key, now, Duration.ofMillis(100)).join().isLeased()).isTrue();
      fleet.get(0).close(); // crashed: never stores nor releases

      Claim taken =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> fleet.get(1).claim(key, now, LEASE).join(), Claim::isLeased);

      assertThat(fleet.get(1).store(key, taken, token()).join()).isTrue();
    }
  }

  @Test
  void invalidate_deletesEveryRecordOfTheIdentityAndReachesOtherInstances(RedisServer redis) {
    TokenRequest otherScopes = TokenRequest.of(key.identity(), Scope.CHAT);
    TokenRequest otherIdentity = TokenRequest.of(Fleet.identity(2), Scope.VOIP);
    try (Fleet fleet = new Fleet(3, redis.uri(), UnaryOperator.identity())) {
      List<IdentityId> heardBy1 = new CopyOnWriteArrayList<>();
      List<IdentityId> heardBy0 = new CopyOnWriteArrayList<>();
      fleet.get(1).subscribe(heardBy1::add);
      fleet.get(0).subscribe(heardBy0::add);
      fleet.awaitConnected();
      for (TokenRequest r : List.of(key, otherScopes, otherIdentity)) {
        fleet.get(0).store(r, fleet.get(0).claim(r, now, LEASE).join(), token()).join();
      }

      fleet.get(0).invalidate(key.identity()).join();

      assertThat(fleet.get(2).read(key, now).join()).isNull();
      assertThat(fleet.get(2).read(otherScopes, now).join()).isNull();
      assertThat(fleet.get(2).read(otherIdentity, now).join()).isNotNull();
      await().atMost(Duration.ofSeconds(5)).until(() -> heardBy1.contains(key.identity()));
      assertThat(fleet.listeners.get(2).received).containsExactly(key.identity());
      // the invalidating instance's cache invalidated itself: it is not told again
      assertThat(heardBy0).isEmpty();
      assertThat(fleet.get(0).stats().invalidationsPublished()).isEqualTo(1);
      assertThat(fleet.get(1).stats().invalidationsReceived()).isEqualTo(1);
    }
  }

  @Test
  void invalidateIfCurrent_deletesOnlyTheRejectedToken(RedisServer redis) {
    try (Fleet fleet = new Fleet(1, redis.uri(), UnaryOperator.identity())) {
      fleet.awaitConnected();
      RedisSharedTier tier = fleet.get(0);
      AccessToken rejected = token();
      tier.store(key, tier.claim(key, now, LEASE).join(), rejected).join();
      AccessToken newer = Fleet.token(clock, Duration.ofHours(2));
      tier.store(key, tier.claim(key, rejected.expiresAt(), LEASE).join(), newer).join();

      assertThat(tier.invalidateIfCurrent(key, rejected).join()).isFalse();
      assertThat(tier.read(key, now).join()).isEqualTo(newer);
      assertThat(tier.invalidateIfCurrent(key, newer).join()).isTrue();
      assertThat(tier.read(key, now).join()).isNull();
      assertThat(tier.invalidateIfCurrent(key, newer).join()).isFalse();
    }
  }

  @Test
  void store_tokenExpiredByRedisClock_isRefused(RedisServer redis) {
    try (Fleet fleet = new Fleet(1, redis.uri(), UnaryOperator.identity())) {
      fleet.awaitConnected();
      RedisSharedTier tier = fleet.get(0);
      AccessToken expired = AccessToken.of("a.b.c", now.minus(Duration.ofMinutes(1)));

      boolean stored = tier.store(key, tier.claim(key, now, LEASE).join(), expired).join();

      assertThat(stored).isFalse();
      assertThat(tier.claim(key, Instant.EPOCH, LEASE).join().isLeased()).isTrue();
    }
  }

  @Test
  void storeAndRelease_withAClaimThatHoldsNoLease_areRefusedAtOnce(RedisServer redis) {
    try (Fleet fleet = new Fleet(1, redis.uri(), UnaryOperator.identity())) {
      RedisSharedTier tier = fleet.get(0);

      assertThatThrownBy(() -> tier.store(key, Claim.busy(), token()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("lease must be a leased claim of this tier; got Claim[BUSY]");
      assertThatThrownBy(() -> tier.release(key, Claim.leased("someone else's")))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> tier.claim(key, now, Duration.ZERO))
          .hasMessage("leaseTime must be at least 1 ms; got PT0S");
    }
  }

  private AccessToken token() {
    return Fleet.token(clock, Duration.ofHours(1));
  }
}
