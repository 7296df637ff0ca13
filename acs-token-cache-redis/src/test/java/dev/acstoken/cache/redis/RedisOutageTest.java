package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.acstoken.cache.SharedTier.Claim;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.MutableClock;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Redis stopped, restarted, paused or never there: every call fails, fast, and then works again.
 */
class RedisOutageTest {

  static final Duration LEASE = Duration.ofSeconds(20);

  final MutableClock clock = Fleet.clock();
  final Instant now = clock.instant();
  final TokenRequest key = TokenRequest.of(Fleet.identity(1), Scope.CHAT);

  @Test
  void claim_redisStoppedThenRestarted_failsFastThenWorksWithoutNewTier() {
    try (RedisServer redis = RedisServer.start();
        // a backstop far above the test's patience: a failure seen sooner was a fast one
        Fleet fleet = new Fleet(1, redis.uri(), b -> b.commandTimeout(Duration.ofMinutes(1)))) {
      fleet.awaitConnected();
      RedisSharedTier tier = fleet.get(0);
      assertThat(tier.claim(key, now, LEASE).join().isLeased()).isTrue();

      redis.stop();

      CompletableFuture<Claim> failed =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () -> tier.claim(key, now, LEASE),
                  f -> hasFailedWithin(f, Duration.ofSeconds(5)));
      assertThatThrownBy(failed::join)
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(RedisTierException.class);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !fleet.listeners.get(0).unavailable.isEmpty());
      assertThat(tier.stats().redisAvailable()).isFalse();
      assertThat(tier.read(key, now)).failsWithin(Duration.ofSeconds(5));

      redis.startAgain();

      fleet.awaitConnected();
      assertThat(tier.claim(key, now, LEASE).join().isLeased()).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> tier.stats().redisAvailable());
      assertThat(fleet.listeners.get(0).available.get()).isPositive();
    }
  }

  @Test
  void claim_redisNeverReachable_failsAtOnce() {
    int port;
    try (RedisServer unused = RedisServer.start()) {
      port = unused.port();
    } // stopped: nothing listens on the port
    try (Fleet fleet =
        new Fleet(1, "redis://127.0.0.1:" + port, b -> b.commandTimeout(Duration.ofMinutes(1)))) {
      RedisSharedTier tier = fleet.get(0);

      assertThat(tier.claim(key, now, LEASE)).failsWithin(Duration.ofSeconds(5));
      assertThat(tier.invalidate(key.identity())).failsWithin(Duration.ofSeconds(5));
      assertThat(tier.checkRedis().join()).isFalse();
      assertThat(tier.stats().redisAvailable()).isFalse();
    }
  }

  @Test
  void claim_redisSlowerThanCommandTimeout_failsAndTheNextCallStillGoesToRedis() {
    try (RedisServer redis = RedisServer.start();
        Fleet fleet = new Fleet(1, redis.uri(), b -> b.commandTimeout(Duration.ofMillis(200)))) {
      fleet.awaitConnected();
      RedisSharedTier tier = fleet.get(0);
      // every client's commands wait, as on a Redis that hangs for a while
      assertThat(redis.command("CLIENT PAUSE 1500 ALL")).isEqualTo("+OK");

      assertThat(tier.claim(key, now, LEASE)).failsWithin(Duration.ofSeconds(5));

      // no period of skipping Redis: as soon as it answers, calls are served
      Claim claim =
          await()
              .atMost(Duration.ofSeconds(10))
              .ignoreExceptions()
              .until(() -> tier.claim(key, now, LEASE).join(), c -> c != null);
      assertThat(claim.isLeased()).isTrue();
      assertThat(tier.stats().redisFailures()).isPositive();
      assertThat(fleet.listeners.get(0).unavailable).isEmpty();
    }
  }

  @Test
  void invalidate_whileRedisDown_failsAndIsReplayedToOtherInstancesWhenBack() {
    IdentityId revoked = Fleet.identity(7);
    try (RedisServer redis = RedisServer.start();
        Fleet fleet = new Fleet(2, redis.uri(), b -> b.commandTimeout(Duration.ofSeconds(2)))) {
      List<IdentityId> heard = new CopyOnWriteArrayList<>();
      fleet.get(1).subscribe(heard::add);
      fleet.awaitConnected();
      redis.stop();
      await().atMost(Duration.ofSeconds(10)).until(() -> !fleet.get(0).stats().redisAvailable());

      assertThat(fleet.get(0).invalidate(revoked)).failsWithin(Duration.ofSeconds(5));
      assertThat(fleet.listeners.get(0).notShared).containsExactly(revoked);
      assertThat(fleet.get(0).stats().pendingInvalidations()).isEqualTo(1);

      redis.startAgain();

      await().atMost(Duration.ofSeconds(30)).until(() -> heard.contains(revoked));
      assertThat(fleet.get(0).stats().pendingInvalidations()).isZero();
      assertThat(fleet.get(0).stats().invalidationsPublished()).isEqualTo(1);
    }
  }

  @Test
  void builder_redisUri_passesTlsAndAclOptionsThroughToLettuceAndShowsNoSecret() {
    // the URI is Lettuce's own: user, password, TLS and database are its business; no Redis needed
    RedisURI uri =
        RedisURI.builder()
            .withHost("127.0.0.1")
            .withPort(1)
            .withSsl(true)
            .withAuthentication("tier", "s3cret-password".toCharArray())
            .withDatabase(2)
            .build();
    try (RedisSharedTier tier =
        RedisSharedTier.builder()
            .redisUri(uri)
            .encryptionKeys(EncryptionKeys.of("k1", Fleet.KEY))
            .build()) {
      assertThat(tier.claim(key, now, LEASE)).failsWithin(Duration.ofSeconds(5));
      assertThat(tier.toString()).doesNotContain("s3cret").doesNotContain(Fleet.KEY);
    }
  }

  private static boolean hasFailedWithin(CompletableFuture<?> future, Duration wait) {
    try {
      future.get(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
