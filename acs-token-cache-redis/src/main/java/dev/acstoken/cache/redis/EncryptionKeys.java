package dev.acstoken.cache.redis;

import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The AES keys that encrypt tokens at rest in Redis: one key to write with and any number of older
 * keys still accepted for reading, each under an id that is stored with every record.
 *
 * <p>To rotate: deploy every instance with the new key as an extra {@link Builder#readKey read
 * key}, then make it the {@link Builder#writeKey write key} (keeping the old one as a read key)
 * until records written with the old key have expired (at most the token lifetime, 24 hours), then
 * drop the old key. A record whose key id is unknown, or that fails authentication, reads as a
 * miss.
 *
 * <p>Keys are 128, 192 or 256 bits (16, 24 or 32 bytes). Immutable and thread-safe; {@link
 * #toString()} shows the key ids, never a key.
 */
public final class EncryptionKeys {

  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final String writeKeyId;
  private final Map<String, SecretKey> keys;

  private EncryptionKeys(String writeKeyId, Map<String, SecretKey> keys) {
    this.writeKeyId = writeKeyId;
    this.keys = keys;
  }

  /**
   * Returns the keys of a single AES key, used for writing and reading.
   *
   * @param keyId the key's id, 1 to 64 characters of {@code [A-Za-z0-9._-]}
   * @param base64Key the key, Base64-encoded (16, 24 or 32 bytes once decoded)
   * @return the keys
   * @throws IllegalArgumentException if the id or the key is invalid
   */
  public static EncryptionKeys of(String keyId, String base64Key) {
    return builder().writeKey(keyId, base64Key).build();
  }

  /** {@return a builder to name the write key and any older read keys} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the id of the key new records are encrypted with} */
  public String writeKeyId() {
    return writeKeyId;
  }

  /** {@return the ids of every key accepted for reading, the write key included} */
  public Set<String> keyIds() {
    return Collections.unmodifiableSet(keys.keySet());
  }

  SecretKey writeKey() {
    return keys.get(writeKeyId);
  }

  @Nullable SecretKey readKey(String keyId) {
    return keys.get(keyId);
  }

  /** {@return the key ids, never a key} */
  @Override
  public String toString() {
    return "EncryptionKeys[write=" + writeKeyId + ", read=" + keys.keySet() + "]";
  }

  /**
   * Collects the write key and the read keys. Each method validates its argument at once. Not
   * thread-safe.
   */
  public static final class Builder {

    private @Nullable String writeKeyId;
    private final Map<String, SecretKey> keys = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sets the key that encrypts new records; it is also accepted for reading.
     *
     * @param keyId the key's id, 1 to 64 characters of {@code [A-Za-z0-9._-]}
     * @param key the raw key, 16, 24 or 32 bytes; copied
     * @return this builder
     * @throws IllegalArgumentException if the id or the key is invalid, or a write key or a key of
     *     that id was already set
     */
    public Builder writeKey(String keyId, byte[] key) {
      if (writeKeyId != null) {
        throw new IllegalArgumentException(
            "the write key was already set to key id '" + writeKeyId + "'; there is one");
      }
      add(keyId, key);
      writeKeyId = keyId;
      return this;
    }

    /**
     * Sets the key that encrypts new records, given in Base64.
     *
     * @param keyId the key's id
     * @param base64Key the key, Base64-encoded
     * @return this builder
     * @throws IllegalArgumentException as {@link #writeKey(String, byte[])}, or if the key is not
     *     Base64
     */
    public Builder writeKey(String keyId, String base64Key) {
      return writeKey(keyId, decode(keyId, base64Key));
    }

    /**
     * Adds a key accepted for reading only, e.g. the previous key during a rotation.
     *
     * @param keyId the key's id, 1 to 64 characters of {@code [A-Za-z0-9._-]}
     * @param key the raw key, 16, 24 or 32 bytes; copied
     * @return this builder
     * @throws IllegalArgumentException if the id or the key is invalid, or a key of that id was
     *     already added
     */
    public Builder readKey(String keyId, byte[] key) {
      add(keyId, key);
      return this;
    }

    /**
     * Adds a key accepted for reading only, given in Base64.
     *
     * @param keyId the key's id
     * @param base64Key the key, Base64-encoded
     * @return this builder
     * @throws IllegalArgumentException as {@link #readKey(String, byte[])}, or if the key is not
     *     Base64
     */
    public Builder readKey(String keyId, String base64Key) {
      return readKey(keyId, decode(keyId, base64Key));
    }

    /**
     * Returns the keys.
     *
     * @return the keys
     * @throws IllegalStateException if no write key was set
     */
    public EncryptionKeys build() {
      if (writeKeyId == null) {
        throw new IllegalStateException(
            "a write key is required: call writeKey(id, key); read keys alone cannot encrypt");
      }
      return new EncryptionKeys(writeKeyId, Collections.unmodifiableMap(new LinkedHashMap<>(keys)));
    }

    private void add(String keyId, byte[] key) {
      if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
        throw new IllegalArgumentException(
            "key id must be 1 to 64 characters of [A-Za-z0-9._-]; got "
                + (keyId == null ? "null" : "'" + keyId + "'"));
      }
      if (key == null) {
        throw new IllegalArgumentException("key '" + keyId + "' must not be null");
      }
      if (key.length != 16 && key.length != 24 && key.length != 32) {
        throw new IllegalArgumentException(
            "key '"
                + keyId
                + "' is "
                + key.length
                + " bytes long; AES keys are 16, 24 or 32 bytes (128, 192 or 256 bits)");
      }
      if (keys.containsKey(keyId)) {
        throw new IllegalArgumentException("key id '" + keyId + "' was already added");
      }
      byte[] copy = Arrays.copyOf(key, key.length);
      keys.put(keyId, new SecretKeySpec(copy, "AES"));
      Arrays.fill(copy, (byte) 0);
    }

    private static byte[] decode(String keyId, String base64Key) {
      if (base64Key == null) {
        throw new IllegalArgumentException("key '" + keyId + "' must not be null");
      }
      try {
        return Base64.getDecoder().decode(base64Key.trim());
      } catch (IllegalArgumentException e) {
        // the message of the decoder may quote a character of the key: do not keep it
        throw new IllegalArgumentException("key '" + keyId + "' is not valid Base64", null);
      }
    }
  }
}
