package dev.acstoken.cache.redis;

import dev.acstoken.core.AccessToken;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.jspecify.annotations.Nullable;

/**
 * Encrypts tokens for Redis with AES-GCM and reads them back.
 *
 * <p>Layout: {@code version(1) | keyIdLength(1) | keyId | iv(12) | ciphertext+tag(16)}. The
 * plaintext is {@code expiresAtSeconds(8) | expiresAtNanos(4) | token UTF-8}: the expiry is
 * authenticated with the token, and only this copy of it is trusted when a record is read. The
 * associated data binds the header and the Redis key, so a record copied under another key (of
 * another identity) fails authentication. Thread-safe: a cipher per call, one shared {@link
 * SecureRandom}.
 */
final class RecordCipher {

  // 1 was a string record with a fetch time; such records no longer decrypt (a miss)
  private static final byte VERSION = 2;
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";

  private final EncryptionKeys keys;
  private final SecureRandom random = new SecureRandom();

  RecordCipher(EncryptionKeys keys) {
    this.keys = keys;
  }

  byte[] encrypt(AccessToken accessToken, String redisKey) {
    byte[] keyId = keys.writeKeyId().getBytes(StandardCharsets.US_ASCII);
    byte[] header = header(keyId);
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    byte[] token = accessToken.value().getBytes(StandardCharsets.UTF_8);
    ByteBuffer plain = ByteBuffer.allocate(8 + 4 + token.length);
    plain.putLong(accessToken.expiresAt().getEpochSecond());
    plain.putInt(accessToken.expiresAt().getNano());
    plain.put(token);
    java.util.Arrays.fill(token, (byte) 0);
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, keys.writeKey(), new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(header);
      cipher.updateAAD(redisKey.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plain.array());
      return ByteBuffer.allocate(header.length + IV_BYTES + sealed.length)
          .put(header)
          .put(iv)
          .put(sealed)
          .array();
    } catch (GeneralSecurityException e) {
      // AES-GCM is required of every JDK; this means a broken security provider
      throw new IllegalStateException("AES-GCM encryption failed: " + e.getClass().getName(), e);
    } finally {
      java.util.Arrays.fill(plain.array(), (byte) 0);
    }
  }

  /**
   * Returns the token with its authenticated expiry, or null if the bytes are not a record this
   * cipher can read: unknown version or key id, wrong key, tampered with, or stored under another
   * key.
   */
  @Nullable AccessToken decrypt(byte[] bytes, String redisKey) {
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      if (in.remaining() < 2 || in.get() != VERSION) {
        return null;
      }
      int keyIdLength = in.get() & 0xff;
      if (in.remaining() < keyIdLength + IV_BYTES + TAG_BITS / 8) {
        return null;
      }
      byte[] keyId = new byte[keyIdLength];
      in.get(keyId);
      SecretKey key = keys.readKey(new String(keyId, StandardCharsets.US_ASCII));
      if (key == null) {
        return null;
      }
      byte[] iv = new byte[IV_BYTES];
      in.get(iv);
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(header(keyId));
      cipher.updateAAD(redisKey.getBytes(StandardCharsets.UTF_8));
      byte[] plain =
          cipher.doFinal(bytes, in.position(), in.remaining()); // throws on a wrong key or tamper
      try {
        ByteBuffer p = ByteBuffer.wrap(plain);
        if (p.remaining() <= 12) {
          return null;
        }
        Instant expiresAt = Instant.ofEpochSecond(p.getLong(), p.getInt());
        String token = new String(plain, p.position(), p.remaining(), StandardCharsets.UTF_8);
        return AccessToken.of(token, expiresAt);
      } finally {
        java.util.Arrays.fill(plain, (byte) 0);
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      // any failure to read is a miss: the caller fetches a new token and overwrites the record
      return null;
    }
  }

  private static byte[] header(byte[] keyId) {
    byte[] header = new byte[2 + keyId.length];
    header[0] = VERSION;
    header[1] = (byte) keyId.length;
    System.arraycopy(keyId, 0, header, 2, keyId.length);
    return header;
  }
}
