package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.acstoken.cache.SharedTier.Claim;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.MutableClock;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The Lettuce URI's password and ACL user reach Redis; a wrong one fails every call. */
class RedisAuthenticationTest {

  static final String PASSWORD = "default-pass-8f3a";
  static final String USER_PASSWORD = "tier-pass-51c7";

  static final Duration LEASE = Duration.ofSeconds(20);

  final MutableClock clock = Fleet.clock();
  final TokenRequest request = TokenRequest.of(Fleet.identity(11), Scope.VOIP);

  RedisSharedTier tier(RedisServer redis, RedisURI.Builder uri, RecordingListener listener) {
    return RedisSharedTier.builder()
        .redisUri(uri.withHost("127.0.0.1").withPort(redis.port()).build())
        .encryptionKeys(EncryptionKeys.of("k1", Fleet.KEY))
        .listener(listener)
        .build();
  }

  @Test
  void claim_passwordAndAclUserFromUri_shareThroughProtectedRedis() {
    try (RedisServer redis =
            RedisServer.start(
                List.of(
                    "--requirepass",
                    PASSWORD,
                    "--user",
                    "tier",
                    "on",
                    ">" + USER_PASSWORD,
                    "~acs-token:*",
                    "&acs-token:*",
                    "+@all"));
        RedisSharedTier withPassword =
            tier(
                redis,
                RedisURI.builder().withPassword(PASSWORD.toCharArray()),
                new RecordingListener());
        RedisSharedTier withAclUser =
            tier(
                redis,
                RedisURI.builder().withAuthentication("tier", USER_PASSWORD),
                new RecordingListener())) {
      await().until(() -> withPassword.checkRedis().join() && withAclUser.checkRedis().join());
      Instant now = clock.instant();
      AccessToken shared = Fleet.token(clock, Duration.ofHours(1));

      withPassword.store(request, withPassword.claim(request, now, LEASE).join(), shared).join();
      AccessToken read = withAclUser.claim(request, now, LEASE).join().token();

      assertThat(read).isEqualTo(shared);
      assertThat(withAclUser.stats().tokensFound()).isEqualTo(1);
    }
  }

  @Test
  void claim_wrongPassword_failsWithoutShowingAPassword() {
    RecordingListener listener = new RecordingListener();
    try (RedisServer redis = RedisServer.start(List.of("--requirepass", PASSWORD));
        RedisSharedTier wrong =
            tier(redis, RedisURI.builder().withPassword("not-it".toCharArray()), listener)) {
      CompletableFuture<Claim> claim = wrong.claim(request, clock.instant(), LEASE);

      assertThat(claim).failsWithin(Duration.ofSeconds(5));
      assertThat(wrong.stats().redisAvailable()).isFalse();
      assertThat(wrong.checkRedis().join()).isFalse();
      assertThat(String.valueOf(claim.handle((c, e) -> e).join()))
          .doesNotContain("not-it", PASSWORD);
      assertThat(listener.unavailable)
          .allSatisfy(t -> assertThat(String.valueOf(t)).doesNotContain("not-it", PASSWORD));
    }
  }
}
