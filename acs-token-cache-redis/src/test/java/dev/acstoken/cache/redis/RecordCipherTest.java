package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.core.AccessToken;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RecordCipherTest {

  static final Instant EXPIRY = Instant.parse("2026-11-24T09:00:00.123456789Z");
  final RecordCipher cipher = new RecordCipher(EncryptionKeys.of("k1", Fleet.KEY));
  final AccessToken token = AccessToken.of("eyJhbGciOi.payload.signature", EXPIRY);

  @Test
  void decrypt_ofEncryptedToken_givesItBackWithItsExactExpiry() {
    byte[] sealed = cipher.encrypt(token, "key");

    AccessToken back = cipher.decrypt(sealed, "key");

    assertThat(back).isEqualTo(token);
    assertThat(back.expiresAt()).isEqualTo(EXPIRY);
  }

  @Test
  void encrypt_sameTokenTwice_givesDifferentBytesWithoutTheTokenText() {
    byte[] sealed = cipher.encrypt(token, "key");

    assertThat(sealed).isNotEqualTo(cipher.encrypt(token, "key"));
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("payload");
  }

  @Test
  void decrypt_tamperedTruncatedGarbageOrOtherKey_isNull() {
    byte[] sealed = cipher.encrypt(token, "key");
    byte[] tampered = sealed.clone();
    tampered[tampered.length - 1] ^= 1;
    byte[] otherVersion = sealed.clone();
    otherVersion[0] = 1;

    assertThat(cipher.decrypt(tampered, "key")).isNull();
    assertThat(cipher.decrypt(Arrays.copyOf(sealed, 20), "key")).isNull();
    assertThat(cipher.decrypt(new byte[0], "key")).isNull();
    assertThat(cipher.decrypt("plain text".getBytes(StandardCharsets.UTF_8), "key")).isNull();
    assertThat(cipher.decrypt(otherVersion, "key")).isNull();
    assertThat(cipher.decrypt(sealed, "another key")).isNull();
  }
}
