package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.FakeAcs;
import dev.acstoken.testkit.MutableClock;
import io.lettuce.core.KillArgs;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No invalidation lost: an instance whose pub/sub connection is down while another revokes reads
 * the revocation from Redis's stream of invalidations, and never serves the revoked token once its
 * link is back.
 */
@ExtendWith(RedisServerExtension.class)
class InvalidationCatchUpTest {

  static final String CHANNEL = "acs-token:events";

  final MutableClock clock = Fleet.clock();
  final FakeAcs acs = FakeAcs.builder().clock(clock).build();

  @Test
  void revokeTokens_whileAnotherInstancesSubscriptionIsCut_neverServedThereOnceItIsBack(
      RedisServer redis) {
    TokenRequest key = TokenRequest.of(acs.createIdentity(), Scope.VOIP);
    // instance B (1) reconnects 2 s after it lost a connection, so that the revocation surely
    // falls into the gap; A (0) reconnects as usual
    ClientResources slowReconnect =
        DefaultClientResources.builder()
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(1)
            .reconnectDelay(Delay.constant(Duration.ofSeconds(2)))
            .build();
    try (CacheFleet fleet =
        new CacheFleet(
            2,
            i ->
                i == 1
                    ? Fleet.builder(redis.uri()).clientResources(slowReconnect)
                    : Fleet.builder(redis.uri()),
            () -> List.of(redis.uri()),
            acs,
            clock,
            UnaryOperator.identity())) {
      fleet.awaitConnected();
      AccessToken before = fleet.read(0, key);
      assertThat(fleet.read(1, key)).isEqualTo(before);
      clock.advance(Duration.ofMinutes(1)); // a token issued after the revocation differs

      redis.command("CLIENT KILL TYPE pubsub");
      CompletableFuture<Void> revoked =
          fleet.get(0).invalidatingOperations(acs).revokeTokensAsync(key.identity());
      fleet.drive(List.of(revoked));

      await("B subscribed again")
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> Fleet.subscribers(List.of(redis.uri()), CHANNEL) == 2);

      assertThat(fleet.read(1, key)).isNotEqualTo(before);
      assertThat(acs.isValid(fleet.read(1, key))).isTrue();
      assertThat(fleet.tiers.get(1).stats().invalidationsCaughtUp()).isEqualTo(1);
      assertThat(fleet.tiers.get(1).stats().invalidationsReceived()).isEqualTo(1);
    } finally {
      slowReconnect.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  @Test
  void revokeTokens_whileBothLinksOfAnotherInstanceAreDown_caughtUpOnceItResubscribes(
      RedisServer redis) {
    TokenRequest key = TokenRequest.of(acs.createIdentity(), Scope.VOIP);
    // B (1) loses its command connection too, so it cannot read the stream while unsubscribed:
    // what it missed is read after Lettuce has resubscribed it
    ClientResources slowReconnect =
        DefaultClientResources.builder()
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(1)
            .reconnectDelay(Delay.constant(Duration.ofSeconds(2)))
            .build();
    try (CacheFleet fleet =
            new CacheFleet(
                2,
                i ->
                    i == 1
                        ? Fleet.builder(redis.uri() + "?clientName=tier-b")
                            .clientResources(slowReconnect)
                        : Fleet.builder(redis.uri()),
                () -> List.of(redis.uri()),
                acs,
                clock,
                UnaryOperator.identity());
        RawRedis raw = new RawRedis(redis.uri())) {
      fleet.awaitConnected();
      AccessToken before = fleet.read(0, key);
      assertThat(fleet.read(1, key)).isEqualTo(before);
      clock.advance(Duration.ofMinutes(1));

      for (String client : raw.sync().clientList().split("\\R")) {
        if (client.contains(" name=tier-b ")) {
          String id = client.substring(3, client.indexOf(' '));
          raw.sync().clientKill(KillArgs.Builder.id(Long.parseLong(id)));
        }
      }
      CompletableFuture<Void> revoked =
          fleet.get(0).invalidatingOperations(acs).revokeTokensAsync(key.identity());
      fleet.drive(List.of(revoked));
      assertThat(fleet.tiers.get(1).stats().invalidationsReceived()).isZero();

      await("B caught up after it resubscribed")
          .atMost(Duration.ofSeconds(10))
          .until(() -> fleet.tiers.get(1).stats().invalidationsCaughtUp() == 1);
      assertThat(fleet.read(1, key)).isNotEqualTo(before);
      assertThat(acs.isValid(fleet.read(1, key))).isTrue();
    } finally {
      slowReconnect.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  @Test
  void revokeTokens_whileSubscribed_heardOnceNotCaughtUpAgain(RedisServer redis) {
    TokenRequest key = TokenRequest.of(acs.createIdentity(), Scope.VOIP);
    try (CacheFleet fleet = new CacheFleet(2, redis.uri(), acs, clock)) {
      fleet.awaitConnected();
      AccessToken before = fleet.read(1, key);
      clock.advance(Duration.ofMinutes(1));

      fleet.drive(
          List.of(fleet.get(0).invalidatingOperations(acs).revokeTokensAsync(key.identity())));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> fleet.tiers.get(1).stats().invalidationsReceived() == 1);
      // a lost link afterwards reads the stream again: what was heard is not handed on twice
      redis.command("CLIENT KILL TYPE pubsub");
      fleet.awaitConnected();

      assertThat(fleet.read(1, key)).isNotEqualTo(before);
      assertThat(fleet.tiers.get(1).stats().invalidationsReceived()).isEqualTo(1);
      assertThat(fleet.tiers.get(1).stats().invalidationsCaughtUp()).isZero();
    }
  }
}
