package dev.acstoken.core;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.json.JsonToken;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The claims an ACS access token carries, decoded from the JWT without a network call.
 *
 * <p>The signature is not checked: claims tell what a token says about itself, for display and
 * scheduling, not whether it is genuine. Immutable and thread-safe; holds no secret (the signature
 * is dropped).
 */
public final class TokenClaims {

  private final @Nullable IdentityId identity;
  private final Set<Scope> scopes;
  private final List<String> scopeNames;
  private final @Nullable Instant issuedAt;
  private final Instant expiresAt;
  private final @Nullable String resourceId;
  private final @Nullable String resourceLocation;

  private TokenClaims(
      @Nullable IdentityId identity,
      Set<Scope> scopes,
      List<String> scopeNames,
      @Nullable Instant issuedAt,
      Instant expiresAt,
      @Nullable String resourceId,
      @Nullable String resourceLocation) {
    this.identity = identity;
    this.scopes = scopes;
    this.scopeNames = scopeNames;
    this.issuedAt = issuedAt;
    this.expiresAt = expiresAt;
    this.resourceId = resourceId;
    this.resourceLocation = resourceLocation;
  }

  /**
   * Decodes the claims of a JWT.
   *
   * @param jwt the token
   * @return the claims
   * @throws IllegalArgumentException if the value is not three dot-separated base64url parts, the
   *     payload is not a JSON object, or it has no numeric {@code exp}; the message never contains
   *     the token
   */
  public static TokenClaims decode(String jwt) {
    if (jwt == null || jwt.isBlank()) {
      throw new IllegalArgumentException("token must not be null or blank");
    }
    String[] parts = jwt.trim().split("\\.", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException(
          "malformed token: a JWT has 3 dot-separated parts, this one has " + parts.length);
    }
    byte[] payload;
    try {
      payload = Base64.getUrlDecoder().decode(stripPadding(parts[1]));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed token: the payload is not base64url", null);
    }
    String skypeId = null;
    String acsScope = null;
    Long exp = null;
    Long iat = null;
    String resourceId = null;
    String resourceLocation = null;
    try (JsonReader reader = JsonProviders.createReader(payload)) {
      if (reader.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("malformed token: the payload is not a JSON object");
      }
      while (reader.nextToken() != JsonToken.END_OBJECT) {
        String name = reader.getFieldName();
        JsonToken t = reader.nextToken();
        switch (name) {
          case "skypeid":
            skypeId = t == JsonToken.STRING ? reader.getString() : null;
            break;
          case "acsScope":
            acsScope = t == JsonToken.STRING ? reader.getString() : null;
            break;
          case "exp":
            exp = t == JsonToken.NUMBER ? reader.getLong() : null;
            break;
          case "iat":
            iat = t == JsonToken.NUMBER ? reader.getLong() : null;
            break;
          case "resourceId":
            resourceId = t == JsonToken.STRING ? reader.getString() : null;
            break;
          case "resourceLocation":
            resourceLocation = t == JsonToken.STRING ? reader.getString() : null;
            break;
          default:
            reader.skipChildren();
        }
      }
    } catch (IOException | IllegalStateException e) {
      throw new IllegalArgumentException("malformed token: the payload is not valid JSON", null);
    }
    if (exp == null) {
      throw new IllegalArgumentException("malformed token: the payload has no numeric 'exp' claim");
    }
    IdentityId identity = null;
    if (skypeId != null && !skypeId.isBlank()) {
      try {
        identity = IdentityId.of(skypeId.startsWith("8:") ? skypeId : "8:" + skypeId);
      } catch (IllegalArgumentException e) {
        identity = null;
      }
    }
    EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
    List<String> names = new ArrayList<>();
    if (acsScope != null) {
      for (String s : acsScope.split(",")) {
        String n = s.trim().toLowerCase(Locale.ROOT);
        if (n.isEmpty()) {
          continue;
        }
        names.add(n);
        for (Scope scope : Scope.values()) {
          if (scope.wireName().equals(n)) {
            scopes.add(scope);
          }
        }
      }
    }
    return new TokenClaims(
        identity,
        Collections.unmodifiableSet(scopes),
        List.copyOf(names),
        iat == null ? null : instant("iat", iat),
        instant("exp", exp),
        resourceId,
        resourceLocation);
  }

  private static Instant instant(String claim, long seconds) {
    try {
      return Instant.ofEpochSecond(seconds);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "malformed token: the '" + claim + "' claim " + seconds + " is not a representable time",
          null);
    }
  }

  private static String stripPadding(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '=') {
      end--;
    }
    return s.substring(0, end);
  }

  /** {@return the identity the token was issued to ({@code skypeid}, prefixed with {@code 8:})} */
  public Optional<IdentityId> identity() {
    return Optional.ofNullable(identity);
  }

  /** {@return the scopes of the token that this library knows ({@code acsScope})} */
  public Set<Scope> scopes() {
    return scopes;
  }

  /** {@return every scope name in {@code acsScope}, known or not, in token order} */
  public List<String> scopeNames() {
    return scopeNames;
  }

  /** {@return when the token was issued ({@code iat}), if it says} */
  public Optional<Instant> issuedAt() {
    return Optional.ofNullable(issuedAt);
  }

  /** {@return when the token expires ({@code exp})} */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** {@return the GUID of the ACS resource that issued the token ({@code resourceId}), if given} */
  public Optional<String> resourceId() {
    return Optional.ofNullable(resourceId);
  }

  /** {@return the data location of the resource ({@code resourceLocation}), if given} */
  public Optional<String> resourceLocation() {
    return Optional.ofNullable(resourceLocation);
  }

  @Override
  public String toString() {
    return "TokenClaims[identity="
        + identity
        + ", scopes="
        + scopeNames
        + ", issuedAt="
        + issuedAt
        + ", expiresAt="
        + expiresAt
        + ", resourceId="
        + resourceId
        + "]";
  }
}
