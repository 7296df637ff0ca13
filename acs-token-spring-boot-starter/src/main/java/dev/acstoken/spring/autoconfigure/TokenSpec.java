package dev.acstoken.spring.autoconfigure;

import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenLifetime;
import dev.acstoken.core.TokenRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The scopes and lifetime of the tokens the endpoint serves, validated once from {@code
 * acs.token-endpoint.scopes} and {@code acs.token-endpoint.expires-in}. Immutable.
 */
final class TokenSpec {

  private final List<Scope> scopes;
  private final @Nullable TokenLifetime lifetime;

  private TokenSpec(List<Scope> scopes, @Nullable TokenLifetime lifetime) {
    this.scopes = List.copyOf(scopes);
    this.lifetime = lifetime;
  }

  /**
   * Parses and checks the options.
   *
   * @param scopes wire names
   * @param expiresIn the lifetime, or null for ACS's default
   * @return the spec
   * @throws IllegalArgumentException naming the property, what is allowed and the value
   */
  static TokenSpec of(List<String> scopes, @Nullable Duration expiresIn) {
    if (scopes == null || scopes.isEmpty()) {
      throw new IllegalArgumentException(
          "acs.token-endpoint.scopes must name at least one scope: chat, voip, chat.join,"
              + " chat.join.limited or voip.join");
    }
    List<Scope> parsed = new ArrayList<>();
    for (String scope : scopes) {
      Settings.apply(
          "acs.token-endpoint.scopes",
          scope == null ? "" : scope.trim(),
          s -> parsed.add(Scope.fromWireName(s)));
    }
    TokenLifetime[] lifetime = {null};
    Settings.apply(
        "acs.token-endpoint.expires-in", expiresIn, d -> lifetime[0] = TokenLifetime.of(d));
    TokenSpec spec = new TokenSpec(parsed, lifetime[0]);
    // the scope combination is checked by TokenRequest: build one to find out now, not per request
    Settings.check(
        "acs.token-endpoint.scopes",
        () ->
            spec.request(
                IdentityId.of(
                    "8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14a2-493b-8a72-5a3a0d000081")));
    return spec;
  }

  TokenRequest request(IdentityId identity) {
    return TokenRequest.of(identity, scopes).withLifetime(lifetime);
  }

  @Override
  public String toString() {
    return "TokenSpec[scopes=" + scopes + ", lifetime=" + lifetime + "]";
  }
}
