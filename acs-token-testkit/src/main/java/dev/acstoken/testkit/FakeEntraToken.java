package dev.acstoken.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Makes Microsoft Entra access tokens of a Teams user that the fake and the emulator accept in a
 * Teams token exchange.
 *
 * <p>Emulator policy: an Entra token is accepted when it is a JWT whose payload names the
 * application ({@code appid}, or {@code azp}), the user ({@code oid}) and an expiry ({@code exp})
 * still in the future by the engine's clock. Its signature is not checked: there is no Entra tenant
 * to check it against. Stateless and thread-safe.
 */
public final class FakeEntraToken {

  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private FakeEntraToken() {}

  /**
   * Returns an Entra token of a Teams user for an application.
   *
   * @param appId the Entra application (client) id, a GUID
   * @param userId the Teams user's object id, a GUID
   * @param expiresAt when it expires; the exchanged ACS token expires then too
   * @return the token, a JWT with an unverifiable signature
   * @throws IllegalArgumentException if an id is not a GUID or the expiry is null
   */
  public static String create(String appId, String userId, Instant expiresAt) {
    AcsEngine.requireGuid("appId", appId);
    AcsEngine.requireGuid("userId", userId);
    if (expiresAt == null) {
      throw new IllegalArgumentException("expiry must not be null");
    }
    String header = "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"kid\":\"fake-entra\"}";
    long exp = expiresAt.getEpochSecond();
    String payload =
        "{\"aud\":\"https://auth.msft.communication.azure.com\",\"iss\":\"https://sts.windows.net/"
            + UUID.nameUUIDFromBytes(appId.getBytes(StandardCharsets.UTF_8))
            + "/\",\"iat\":"
            + (exp - 3600)
            + ",\"exp\":"
            + exp
            + ",\"appid\":\""
            + appId
            + "\",\"oid\":\""
            + userId
            + "\",\"scp\":\"Teams.ManageCalls Teams.ManageChats\"}";
    return B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8))
        + "."
        + B64URL.encodeToString(payload.getBytes(StandardCharsets.UTF_8))
        + "."
        + B64URL.encodeToString("not-a-real-signature".getBytes(StandardCharsets.UTF_8));
  }

  /** The claims the exchange checks. */
  static final class Claims {
    final String appId;
    final String userId;
    final Instant expiresAt;

    Claims(String appId, String userId, Instant expiresAt) {
      this.appId = appId;
      this.userId = userId;
      this.expiresAt = expiresAt;
    }
  }

  /** {@return the claims of an Entra token, or null if it is not one the exchange accepts} */
  static @Nullable Claims parse(String token) {
    String[] parts = token.trim().split("\\.", -1);
    if (parts.length != 3) {
      return null;
    }
    JsonNode payload;
    try {
      payload = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
    if (payload == null || !payload.isObject()) {
      return null;
    }
    JsonNode app = payload.hasNonNull("appid") ? payload.get("appid") : payload.get("azp");
    JsonNode oid = payload.get("oid");
    JsonNode exp = payload.get("exp");
    if (app == null
        || !app.isTextual()
        || oid == null
        || !oid.isTextual()
        || exp == null
        || !exp.canConvertToLong()
        || !exp.isIntegralNumber()) {
      return null;
    }
    return new Claims(app.asText(), oid.asText(), Instant.ofEpochSecond(exp.asLong()));
  }
}
