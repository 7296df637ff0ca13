package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.acstoken.cache.CachingTokenProvider;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.MutableClock;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's wiring, compiled and run (the fake stands in for {@code AcsIdentityClient}). */
@ExtendWith(RedisServerExtension.class)
class WiringExampleTest {

  @Test
  void readmeWiring_localCacheThenTierThenAcs_servesAndRevokes(RedisServer redis) {
    MutableClock clock = Fleet.clock();
    try (GatedAcs acs = new GatedAcs(clock)) {
      IdentityId identity = GatedAcs.identity(42);
      String keyFromConfiguration = Fleet.KEY;

      // README: Wiring
      RedisTokenTier tier =
          RedisTokenTier.builder()
              .delegate(acs)
              .redisUri(RedisURI.builder().withHost("127.0.0.1").withPort(redis.port()).build())
              .encryptionKeys(EncryptionKeys.of("2026-11", keyFromConfiguration))
              .clock(clock) // the test's one clock, for every component
              .build();
      CachingTokenProvider local = CachingTokenProvider.builder(tier).timeSource(clock).build();
      tier.onInvalidation(local::invalidate);
      IdentityOperations identities = tier.identityOperations(acs);
      // end of the README's code

      try (tier;
          local) {
        await().until(() -> tier.checkRedis().join());
        AccessToken token = local.getToken(TokenRequest.of(identity, Scope.VOIP));
        identities.revokeTokens(identity);
        AccessToken after = local.getToken(TokenRequest.of(identity, Scope.VOIP));

        assertThat(acs.isRevoked(token)).isTrue();
        assertThat(acs.isRevoked(after)).isFalse();
      }
    }
  }
}
