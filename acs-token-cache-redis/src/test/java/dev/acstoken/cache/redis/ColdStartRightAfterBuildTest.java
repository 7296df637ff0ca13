package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.cache.CachingTokenProvider;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.FakeAcs;
import dev.acstoken.testkit.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A fleet that reads the moment it is built, as services do at start-up: the tiers connect in the
 * background, and a read that comes before the connection waits for it instead of going to ACS.
 */
@ExtendWith(RedisServerExtension.class)
class ColdStartRightAfterBuildTest {

  @Test
  void getToken_fourInstancesReadingRightAfterBuild_oneAcsCallPerKey(RedisServer redis)
      throws Exception {
    // real time throughout: the caches run their own schedulers, as a service's do
    FakeAcs acs = FakeAcs.create();
    List<TokenRequest> keys = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      IdentityId id = acs.createIdentity();
      keys.add(TokenRequest.of(id, Scope.VOIP));
    }
    List<CachingTokenProvider> fleet = new ArrayList<>();
    try {
      List<CompletableFuture<AccessToken>> reads = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        CachingTokenProvider cache =
            CachingTokenProvider.builder(acs)
                .sharedTier(
                    RedisSharedTier.builder()
                        .redisUri(redis.uri())
                        .encryptionKeys(EncryptionKeys.of("k", Fleet.KEY))
                        .build())
                .build();
        fleet.add(cache);
        for (TokenRequest k : keys) {
          reads.add(cache.getTokenAsync(k)); // no wait for the connection
        }
      }
      CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

      assertThat(acs.callCount(Operation.ISSUE_TOKEN)).isEqualTo(keys.size());
    } finally {
      fleet.forEach(CachingTokenProvider::close);
    }
  }
}
