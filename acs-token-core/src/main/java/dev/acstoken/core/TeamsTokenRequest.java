package dev.acstoken.core;

import java.util.regex.Pattern;

/**
 * A request to exchange a Teams user's Microsoft Entra token for an ACS token: the Entra token, the
 * Entra application (client) id it was issued to, and the Teams user's object id.
 *
 * <p>The ids must be GUIDs; the token must not be blank. The Entra token is a secret: {@code
 * toString} shows it redacted. Immutable and thread-safe.
 */
public final class TeamsTokenRequest {

  private static final Pattern GUID =
      Pattern.compile(
          "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

  private final String entraToken;
  private final String appId;
  private final String userId;

  private TeamsTokenRequest(String entraToken, String appId, String userId) {
    this.entraToken = entraToken;
    this.appId = appId;
    this.userId = userId;
  }

  /**
   * Returns an exchange request.
   *
   * @param entraToken the Teams user's Entra access token
   * @param appId the Entra application (client) id, a GUID
   * @param userId the Teams user's Entra object id, a GUID
   * @return the request
   * @throws IllegalArgumentException if the token is null or blank, or an id is not a GUID
   */
  public static TeamsTokenRequest of(String entraToken, String appId, String userId) {
    if (entraToken == null || entraToken.isBlank()) {
      throw new IllegalArgumentException("the Entra token must not be null or blank");
    }
    requireGuid("appId", appId);
    requireGuid("userId", userId);
    return new TeamsTokenRequest(entraToken.trim(), appId.trim(), userId.trim());
  }

  private static void requireGuid(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be null or blank; expected a GUID");
    }
    if (!GUID.matcher(value.trim()).matches()) {
      // the value is not echoed: swapped arguments would put the Entra token in the message
      throw new IllegalArgumentException(
          name
              + " is not a GUID (a value of "
              + value.trim().length()
              + " characters); expected 8-4-4-4-12 hex digits");
    }
  }

  /** {@return the Entra token; a secret, never log it} */
  public String entraToken() {
    return entraToken;
  }

  /** {@return the Entra application (client) id} */
  public String appId() {
    return appId;
  }

  /** {@return the Teams user's Entra object id} */
  public String userId() {
    return userId;
  }

  @Override
  public String toString() {
    return "TeamsTokenRequest[token="
        + AccessToken.redact(entraToken)
        + ", appId="
        + appId
        + ", userId="
        + userId
        + "]";
  }
}
