package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisServerExtension.class)
class EncryptionAtRestTest {

  static final String OTHER_KEY = Base64.getEncoder().encodeToString(filled(32, (byte) 7));

  final MutableClock clock = Fleet.clock();
  final GatedAcs acs = new GatedAcs(clock);
  final TokenRequest request = TokenRequest.of(GatedAcs.identity(3), Scope.CHAT, Scope.VOIP);

  @AfterEach
  void stop() {
    acs.close();
  }

  @Test
  void redisContents_afterSharing_holdNoTokenText(RedisServer redis) {
    List<AccessToken> tokens = new ArrayList<>();
    try (Fleet fleet = new Fleet(1, redis.uri(), acs, clock, UnaryOperator.identity());
        RawRedis raw = new RawRedis(redis.uri())) {
      fleet.awaitConnected();
      for (int i = 0; i < 5; i++) {
        tokens.add(fleet.get(0).getToken(TokenRequest.of(GatedAcs.identity(i), Scope.CHAT)));
      }
      Map<String, byte[]> values = raw.strings("acs-token:");
      List<String> keys = raw.sync().keys("*");

      assertThat(values).hasSizeGreaterThanOrEqualTo(5);
      for (AccessToken token : tokens) {
        String[] parts = token.value().split("\\.");
        for (Map.Entry<String, byte[]> e : values.entrySet()) {
          String raw8859 = new String(e.getValue(), StandardCharsets.ISO_8859_1);
          assertThat(raw8859).doesNotContain(token.value()).doesNotContain(parts[1]);
          assertThat(raw8859).doesNotContain(parts[2]);
        }
        assertThat(keys).noneMatch(k -> k.contains(parts[1]) || k.contains(token.value()));
      }
    }
  }

  @Test
  void getToken_recordOfAnotherKeyWithSameId_readsAsMiss(RedisServer redis) {
    try (Fleet writer = new Fleet(1, redis.uri(), acs, clock, UnaryOperator.identity());
        Fleet reader =
            new Fleet(
                1,
                redis.uri(),
                acs,
                clock,
                b -> b.encryptionKeys(EncryptionKeys.of("k1", OTHER_KEY)))) {
      writer.awaitConnected();
      reader.awaitConnected();
      AccessToken written = writer.get(0).getToken(request);

      AccessToken read = reader.get(0).getToken(request);

      assertThat(read).isNotEqualTo(written);
      assertThat(acs.calls()).isEqualTo(2);
      assertThat(reader.get(0).stats().unreadableRecords()).isEqualTo(1);
      assertThat(reader.listeners.get(0).unreadable.get()).isEqualTo(1);
    }
  }

  @Test
  void getToken_recordOfUnknownKeyId_readsAsMiss(RedisServer redis) {
    try (Fleet writer = new Fleet(1, redis.uri(), acs, clock, UnaryOperator.identity());
        Fleet reader =
            new Fleet(
                1,
                redis.uri(),
                acs,
                clock,
                b -> b.encryptionKeys(EncryptionKeys.of("k2", Fleet.KEY)))) {
      writer.awaitConnected();
      reader.awaitConnected();
      writer.get(0).getToken(request);

      reader.get(0).getToken(request);

      assertThat(acs.calls()).isEqualTo(2);
      assertThat(reader.get(0).stats().unreadableRecords()).isEqualTo(1);
    }
  }

  @Test
  void getToken_rotatedKeys_oldRecordsStillReadWithReadKey(RedisServer redis) {
    EncryptionKeys rotated =
        EncryptionKeys.builder().writeKey("k2", OTHER_KEY).readKey("k1", Fleet.KEY).build();
    try (Fleet old = new Fleet(1, redis.uri(), acs, clock, UnaryOperator.identity());
        Fleet rotatedFleet =
            new Fleet(1, redis.uri(), acs, clock, b -> b.encryptionKeys(rotated))) {
      old.awaitConnected();
      rotatedFleet.awaitConnected();
      AccessToken written = old.get(0).getToken(request);

      AccessToken read = rotatedFleet.get(0).getToken(request);

      assertThat(read).isEqualTo(written);
      assertThat(acs.calls()).isEqualTo(1);
    }
  }

  @Test
  void getToken_recordCopiedUnderAnotherIdentitysKey_readsAsMiss(RedisServer redis) {
    TokenRequest other = TokenRequest.of(GatedAcs.identity(4), Scope.CHAT, Scope.VOIP);
    try (Fleet fleet = new Fleet(1, redis.uri(), acs, clock, UnaryOperator.identity());
        RawRedis raw = new RawRedis(redis.uri())) {
      fleet.awaitConnected();
      AccessToken stolen = fleet.get(0).getToken(request);
      KeyLayout layout = new KeyLayout("acs-token", null);
      byte[] record = raw.sync().get(layout.keys(request).token());
      raw.sync().set(layout.keys(other).token(), record);

      AccessToken served = fleet.get(0).getToken(other);

      assertThat(served).isNotEqualTo(stolen);
      assertThat(fleet.get(0).stats().unreadableRecords()).isEqualTo(1);
    }
  }

  @Test
  void encryptionKeys_toStringAndErrors_neverShowAKey() {
    EncryptionKeys keys =
        EncryptionKeys.builder().writeKey("new", OTHER_KEY).readKey("old", Fleet.KEY).build();

    assertThat(keys.toString()).contains("new", "old").doesNotContain(OTHER_KEY, Fleet.KEY);
    assertThat(keys.keyIds()).containsExactly("new", "old");
    assertThatThrownBy(() -> EncryptionKeys.of("k", "not base64 at all!"))
        .hasMessageContaining("not valid Base64")
        .hasMessageNotContaining("not base64 at all");
    assertThatThrownBy(
            () -> EncryptionKeys.of("k", Base64.getEncoder().encodeToString(new byte[5])))
        .hasMessageContaining("16, 24 or 32 bytes");
    assertThatThrownBy(() -> EncryptionKeys.of("bad id", Fleet.KEY))
        .hasMessageContaining("[A-Za-z0-9._-]");
    assertThatThrownBy(() -> EncryptionKeys.builder().readKey("old", Fleet.KEY).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("write key is required");
    assertThatThrownBy(
            () -> EncryptionKeys.builder().writeKey("a", Fleet.KEY).readKey("a", OTHER_KEY))
        .hasMessageContaining("already added");
  }

  private static byte[] filled(int n, byte b) {
    byte[] bytes = new byte[n];
    java.util.Arrays.fill(bytes, b);
    return bytes;
  }
}
