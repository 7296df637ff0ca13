package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.core.AccessToken;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecordCipherTest {

  static final Instant NOW = Instant.parse("2026-11-24T08:00:00.123456789Z");
  final RecordCipher cipher = new RecordCipher(EncryptionKeys.of("k1", Fleet.KEY));
  final TokenRecord record =
      new TokenRecord(AccessToken.of("eyJhbGciOi.payload.signature", NOW.plusSeconds(3600)), NOW);

  @Test
  void decrypt_ofEncryptedRecord_givesItBack() {
    byte[] sealed = cipher.encrypt(record, "key");

    TokenRecord back = cipher.decrypt(sealed, "key");

    assertThat(back).isNotNull();
    assertThat(back.token()).isEqualTo(record.token());
    assertThat(back.fetchedAt()).isEqualTo(NOW.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
  }

  @Test
  void encrypt_sameRecordTwice_givesDifferentBytes() {
    assertThat(cipher.encrypt(record, "key")).isNotEqualTo(cipher.encrypt(record, "key"));
  }

  @Test
  void decrypt_tamperedTruncatedOrGarbage_isNull() {
    byte[] sealed = cipher.encrypt(record, "key");
    byte[] tampered = sealed.clone();
    tampered[tampered.length - 1] ^= 1;

    assertThat(cipher.decrypt(tampered, "key")).isNull();
    assertThat(cipher.decrypt(java.util.Arrays.copyOf(sealed, 20), "key")).isNull();
    assertThat(cipher.decrypt(new byte[0], "key")).isNull();
    assertThat(
            cipher.decrypt("plain text".getBytes(java.nio.charset.StandardCharsets.UTF_8), "key"))
        .isNull();
    assertThat(cipher.decrypt(sealed, "another key")).isNull();
  }

  @Test
  void isFresh_beforeAndAfterRefreshPoint_judgedOnLifetimeFraction() {
    Duration margin = Duration.ofMinutes(5);

    assertThat(record.isFresh(NOW.plusSeconds(1439), 0.4, margin)).isTrue();
    assertThat(record.isFresh(NOW.plusSeconds(1440), 0.4, margin)).isFalse();
    assertThat(record.isUsable(NOW.plusSeconds(3600 - 301), margin)).isTrue();
    assertThat(record.isUsable(NOW.plusSeconds(3600 - 300), margin)).isFalse();
  }
}
