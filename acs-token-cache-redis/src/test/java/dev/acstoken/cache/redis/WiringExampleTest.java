package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.acstoken.cache.CachingTokenProvider;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.FakeAcs;
import dev.acstoken.testkit.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's wiring, compiled and run (the fake stands in for {@code AcsIdentityClient}). */
@ExtendWith(RedisServerExtension.class)
class WiringExampleTest {

  @Test
  void readmeWiring_oneBuilderCall_servesSharesAndRevokes(RedisServer redis) {
    MutableClock clock = Fleet.clock();
    FakeAcs acs = FakeAcs.builder().clock(clock).build();
    IdentityId identity = acs.createIdentity();
    String keyFromConfiguration = Fleet.KEY;

    // README: Wiring
    RedisSharedTier tier =
        RedisSharedTier.builder()
            .redisUri(redis.uri())
            .encryptionKeys(EncryptionKeys.of("2026-11", keyFromConfiguration))
            .build();
    CachingTokenProvider cache =
        CachingTokenProvider.builder(acs)
            .timeSource(clock) // the test's one clock
            .sharedTier(tier)
            .build();
    IdentityOperations identities = cache.invalidatingOperations(acs);
    // end of the README's code

    try (cache) {
      await().until(() -> tier.checkRedis().join());
      AccessToken token = cache.getToken(TokenRequest.of(identity, Scope.VOIP));
      clock.advance(Duration.ofMinutes(1)); // a token issued after the revocation differs
      identities.revokeTokens(identity);
      AccessToken after = cache.getToken(TokenRequest.of(identity, Scope.VOIP));

      assertThat(acs.isValid(token)).isFalse();
      assertThat(acs.isValid(after)).isTrue();
      // the token after is shared too (stored once the caller has it)
      await().until(() -> tier.stats().tokensStored() == 2);
      assertThat(tier.stats().invalidationsPublished()).isEqualTo(1);
    }
    // closing the cache closed the tier
    assertThat(tier.checkRedis().join()).isFalse();
  }
}
