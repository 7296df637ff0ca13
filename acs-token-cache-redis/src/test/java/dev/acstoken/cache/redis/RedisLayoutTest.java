package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenLifetime;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.MutableClock;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisServerExtension.class)
class RedisLayoutTest {

  final MutableClock clock = Fleet.clock();
  final GatedAcs acs = new GatedAcs(clock);

  @AfterEach
  void stop() {
    acs.close();
  }

  @Test
  void getToken_sharedRecord_expiresWithTokenLessMarginAndLeaseIsReleased(RedisServer redis) {
    TokenRequest request =
        TokenRequest.of(GatedAcs.identity(5), Scope.CHAT, Scope.VOIP)
            .withLifetime(TokenLifetime.ofMinutes(90));
    KeyLayout.RequestKeys keys = new KeyLayout("acs-token", null).keys(request);
    try (Fleet fleet = new Fleet(1, redis.uri(), acs, clock, UnaryOperator.identity());
        RawRedis raw = new RawRedis(redis.uri())) {
      fleet.awaitConnected();

      fleet.get(0).getToken(request);

      long ttl = raw.sync().pttl(keys.token());
      long expected = Duration.ofMinutes(90).minus(Duration.ofMinutes(5)).toMillis();
      assertThat(ttl).isBetween(expected - Duration.ofMinutes(1).toMillis(), expected);
      assertThat(raw.sync().exists(keys.lease())).isZero();
      assertThat(
              raw.sync().smembers(keys.index()).stream()
                  .map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8)))
          .containsExactly(keys.token());
      assertThat(keys.token())
          .startsWith("acs-token:2dee53b4-368b-45b4-ab52-8493fb117652:{")
          .endsWith(":t:chat+voip:90");
    }
  }

  @Test
  void keys_ofOneIdentity_shareOneClusterSlotAndResourceNamespace() {
    KeyLayout layout = new KeyLayout("p", null);
    KeyLayout.RequestKeys a = layout.keys(TokenRequest.of(GatedAcs.identity(1), Scope.CHAT));
    KeyLayout.RequestKeys b = layout.keys(TokenRequest.of(GatedAcs.identity(1), Scope.VOIP));
    KeyLayout.RequestKeys other = layout.keys(TokenRequest.of(GatedAcs.identity(2), Scope.CHAT));
    KeyLayout.RequestKeys teams =
        new KeyLayout("p", "contoso.communication.azure.com")
            .keys(TokenRequest.of(IdentityId.of("8:orgid:abc"), Scope.CHAT));

    assertThat(tag(a.token())).isEqualTo(tag(b.lease())).isEqualTo(tag(a.epoch()));
    assertThat(tag(other.token())).isNotEqualTo(tag(a.token()));
    assertThat(a.token()).isNotEqualTo(b.token());
    assertThat(teams.token()).startsWith("p:contoso.communication.azure.com:{");
    assertThat(new KeyLayout("p", null).keys(IdentityId.of("8:orgid:abc")).index())
        .startsWith("p:_:{");
  }

  private static String tag(String key) {
    return key.substring(key.indexOf('{'), key.indexOf('}') + 1);
  }
}
