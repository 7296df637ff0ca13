package dev.acstoken.core;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The id of a communication identity, as the service returns it, e.g. {@code
 * 8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14a2-493b-8a72-5a3a0d000081}.
 *
 * <p>Ids of ACS users ({@code 8:acs:}, and the sovereign clouds' {@code 8:gcch-acs:} and {@code
 * 8:dod-acs:}) are validated: a resource GUID, an underscore and an 8-4-4-4-12 hex id. Other ids
 * the service uses ({@code 8:spool:}, {@code 8:orgid:}, ...) are accepted as opaque strings without
 * blanks. Immutable and thread-safe; an id is not a secret.
 */
public final class IdentityId implements Comparable<IdentityId> {

  private static final int MAX_LENGTH = 512;
  private static final String GUID =
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
  private static final Pattern ACS_PREFIX = Pattern.compile("^8:(acs|gcch-acs|dod-acs):");
  private static final Pattern ACS_ID =
      Pattern.compile("^8:(?:acs|gcch-acs|dod-acs):(" + GUID + ")_(" + GUID + ")$");

  private final String value;
  private final @Nullable String resourceId;

  private IdentityId(String value, @Nullable String resourceId) {
    this.value = value;
    this.resourceId = resourceId;
  }

  /**
   * Returns the identity id of a string.
   *
   * @param value the id as the service returns it
   * @return the id
   * @throws IllegalArgumentException if the value is null, blank, contains whitespace or control
   *     characters, is longer than 512 characters, or starts like an ACS user id ({@code 8:acs:})
   *     without the {@code <resource guid>_<8-4-4-4-12 hex>} form that follows
   */
  public static IdentityId of(String value) {
    if (value == null) {
      throw new IllegalArgumentException("identity id must not be null");
    }
    if (value.isBlank()) {
      throw new IllegalArgumentException("identity id must not be blank");
    }
    if (value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "identity id is "
              + value.length()
              + " characters long; at most "
              + MAX_LENGTH
              + " allowed");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new IllegalArgumentException(
            "identity id must not contain whitespace or control characters (at index " + i + ")");
      }
    }
    if (ACS_PREFIX.matcher(value).find()) {
      Matcher m = ACS_ID.matcher(value);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "identity id '"
                + value
                + "' is not a valid ACS user id; expected 8:acs:<resource guid>_<8-4-4-4-12 hex id>");
      }
      return new IdentityId(value, m.group(1).toLowerCase(java.util.Locale.ROOT));
    }
    return new IdentityId(value, null);
  }

  /** {@return the id as the service spells it} */
  public String value() {
    return value;
  }

  /**
   * Returns the GUID of the ACS resource that owns this identity, for ACS user ids; empty for other
   * kinds of id.
   *
   * @return the resource GUID, in lower case
   */
  public Optional<String> resourceId() {
    return Optional.ofNullable(resourceId);
  }

  /** {@return whether this is the id of an ACS user ({@code 8:acs:} and its sovereign forms)} */
  public boolean isAcsUser() {
    return resourceId != null;
  }

  @Override
  public int compareTo(IdentityId other) {
    return value.compareTo(other.value);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof IdentityId && ((IdentityId) o).value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  /** {@return the id itself: an identity id is not a secret} */
  @Override
  public String toString() {
    return value;
  }
}
