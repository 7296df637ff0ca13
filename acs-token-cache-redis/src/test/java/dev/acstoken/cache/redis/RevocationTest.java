package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisServerExtension.class)
class RevocationTest {

  final MutableClock clock = Fleet.clock();
  final GatedAcs acs = new GatedAcs(clock);
  final TokenRequest request = TokenRequest.of(GatedAcs.identity(7), Scope.VOIP);
  final TokenRequest otherScopes = TokenRequest.of(GatedAcs.identity(7), Scope.CHAT);

  @AfterEach
  void stop() {
    acs.close();
  }

  @Test
  void revokeTokens_throughOneInstance_noInstanceServesRevokedTokenAfterwards(RedisServer redis) {
    try (Fleet fleet = new Fleet(4, redis.uri(), acs, clock, UnaryOperator.identity())) {
      List<FakeLocalCache> locals = new ArrayList<>();
      for (RedisTokenTier tier : fleet.tiers) {
        FakeLocalCache local = new FakeLocalCache(tier, clock, Duration.ZERO);
        tier.onInvalidation(local::invalidate);
        locals.add(local);
      }
      fleet.awaitConnected();
      AccessToken before = locals.get(0).getToken(request);
      locals.get(0).getToken(otherScopes);
      for (FakeLocalCache local : locals) {
        assertThat(local.getToken(request)).isEqualTo(before);
      }
      IdentityOperations identities = fleet.get(0).identityOperations(acs);

      identities.revokeTokens(request.identity());

      assertThat(acs.isRevoked(before)).isTrue();
      // the calling instance: before the call returned
      assertThat(locals.get(0).holds(request.identity())).isFalse();
      AccessToken after = locals.get(0).getToken(request);
      assertThat(acs.isRevoked(after)).isFalse();
      // every other instance: by pub/sub, within a second
      await()
          .atMost(Duration.ofSeconds(1))
          .until(() -> locals.stream().allMatch(l -> l.invalidations() == 1));
      for (FakeLocalCache local : locals) {
        AccessToken served = local.getToken(request);
        assertThat(acs.isRevoked(served)).isFalse();
        assertThat(served).isEqualTo(after);
        assertThat(acs.isRevoked(local.getToken(otherScopes))).isFalse();
      }
      assertThat(fleet.get(0).stats().invalidationsPublished()).isEqualTo(1);
      assertThat(fleet.get(1).stats().invalidationsReceived()).isEqualTo(1);
    }
  }

  @Test
  void revokeTokensAsync_duringRefreshInFlight_revokedTokenIsNeitherSharedNorServed(
      RedisServer redis) throws Exception {
    try (Fleet fleet = new Fleet(2, redis.uri(), acs, clock, UnaryOperator.identity())) {
      fleet.awaitConnected();
      acs.closeGate();
      // instance 0 is refreshing: the service issued its token, the answer is on its way
      CompletableFuture<AccessToken> refreshing = fleet.get(0).getTokenAsync(request);
      await().until(() -> acs.calls() == 1);
      acs.holdWaitingCallsOnly();

      fleet
          .get(1)
          .identityOperations(acs)
          .revokeTokensAsync(request.identity())
          .get(10, TimeUnit.SECONDS);
      acs.openGateOfFirstCall();

      AccessToken served = refreshing.get(30, TimeUnit.SECONDS);
      assertThat(acs.isRevoked(served)).isFalse();
      assertThat(acs.isRevoked(fleet.get(1).getToken(request))).isFalse();
    }
  }

  @Test
  void deleteIdentity_throughOneInstance_recordsGoneFromRedis(RedisServer redis) {
    try (Fleet fleet = new Fleet(2, redis.uri(), acs, clock, UnaryOperator.identity());
        RawRedis raw = new RawRedis(redis.uri())) {
      fleet.awaitConnected();
      fleet.get(0).getToken(request);
      fleet.get(1).getToken(otherScopes);
      assertThat(raw.strings("acs-token:").keySet()).anyMatch(k -> k.contains(":t:"));

      fleet.get(1).identityOperations(acs).deleteIdentity(request.identity());

      assertThat(raw.strings("acs-token:").keySet()).noneMatch(k -> k.contains(":t:"));
    }
  }

  @Test
  void revokeTokens_redisDown_localHookStillRunsAndNoErrorIsAdded() {
    FakeLocalCache local;
    try (RedisServer redis = RedisServer.start();
        Fleet fleet = new Fleet(1, redis.uri(), acs, clock, UnaryOperator.identity())) {
      fleet.awaitConnected();
      local = new FakeLocalCache(fleet.get(0), clock, Duration.ZERO);
      fleet.get(0).onInvalidation(local::invalidate);
      AccessToken before = local.getToken(request);
      redis.stop();

      fleet.get(0).identityOperations(acs).revokeTokens(request.identity());

      assertThat(local.holds(request.identity())).isFalse();
      assertThat(fleet.listeners.get(0).notShared).containsExactly(request.identity());
      assertThat(local.getToken(request)).isNotEqualTo(before);
    }
  }

  @Test
  void revokeTokens_whileRedisDown_replayedToEveryInstanceWhenRedisIsBack() {
    try (RedisServer redis = RedisServer.start();
        Fleet fleet = new Fleet(2, redis.uri(), acs, clock, UnaryOperator.identity())) {
      List<FakeLocalCache> locals = new ArrayList<>();
      for (RedisTokenTier tier : fleet.tiers) {
        FakeLocalCache local = new FakeLocalCache(tier, clock, Duration.ZERO);
        tier.onInvalidation(local::invalidate);
        locals.add(local);
      }
      fleet.awaitConnected();
      AccessToken before = locals.get(0).getToken(request);
      assertThat(locals.get(1).getToken(request)).isEqualTo(before);
      redis.stop();

      fleet.get(0).identityOperations(acs).revokeTokens(request.identity());

      assertThat(fleet.listeners.get(0).notShared).containsExactly(request.identity());
      assertThat(locals.get(0).holds(request.identity())).isFalse();
      assertThat(locals.get(1).holds(request.identity())).isTrue();
      // Redis back: the revoking instance replays the invalidation, the other instance hears it
      redis.startAgain();
      await().atMost(Duration.ofSeconds(15)).until(() -> locals.get(1).invalidations() >= 1);
      assertThat(acs.isRevoked(locals.get(1).getToken(request))).isFalse();
      assertThat(acs.isRevoked(locals.get(0).getToken(request))).isFalse();
    }
  }

  @Test
  void invalidateIfCurrent_rejectedSharedToken_removedOnlyWhileCurrent(RedisServer redis) {
    try (Fleet fleet = new Fleet(2, redis.uri(), acs, clock, UnaryOperator.identity())) {
      fleet.awaitConnected();
      AccessToken rejected = fleet.get(0).getToken(request);

      assertThat(fleet.get(1).invalidateIfCurrent(request, rejected)).isTrue();
      AccessToken next = fleet.get(1).getToken(request);
      assertThat(next).isNotEqualTo(rejected);
      // the rejected token again (a late 401 on another instance): the newer one stays
      assertThat(fleet.get(0).invalidateIfCurrent(request, rejected)).isFalse();
      assertThat(fleet.get(0).getToken(request)).isEqualTo(next);
      assertThat(acs.calls()).isEqualTo(2);
    }
  }
}
