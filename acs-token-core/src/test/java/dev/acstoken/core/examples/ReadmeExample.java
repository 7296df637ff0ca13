package dev.acstoken.core.examples;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.azure.AcsIdentityClient;
import dev.acstoken.core.error.AcsException;
import dev.acstoken.core.error.ThrottledException;
import java.time.Duration;
import java.util.function.Function;

/**
 * The code the README shows, compiled and run by {@code ReadmeExampleTest} against the stub server.
 * The README quotes the regions between the {@code tag::} and {@code end::} comments.
 */
public final class ReadmeExample {

  private ReadmeExample() {}

  /**
   * The quickstart: create an identity, get a {@code voip} token, revoke it, delete the identity.
   *
   * @param connectionString the resource's connection string
   * @param configure lets the test hand in its HTTP client; the README passes {@code b -> b}
   * @return what the quickstart saw, for the test to check
   */
  public static String quickstart(
      String connectionString,
      Function<AcsIdentityClient.Builder, AcsIdentityClient.Builder> configure) {
    StringBuilder out = new StringBuilder();
    // tag::usage[]
    AcsIdentityClient acs =
        configure.apply(AcsIdentityClient.builder().connectionString(connectionString)).build();

    IdentityId user = acs.createIdentity();
    AccessToken token = acs.getToken(TokenRequest.of(user, Scope.VOIP));
    out.append("identity ").append(user).append('\n');
    out.append("token ").append(token).append('\n'); // toString never shows the token itself
    out.append("scopes ").append(token.claims().scopes()).append('\n');

    acs.revokeTokens(user);
    acs.deleteIdentity(user);
    // end::usage[]
    return out.toString();
  }

  /**
   * The error handling: act on what went wrong; retry only what may succeed later.
   *
   * @param acs the client
   * @param request the token to get
   * @return the token, or a line that says why there is none
   */
  public static String errorHandling(AcsIdentityClient acs, TokenRequest request) {
    // tag::errors[]
    try {
      AccessToken token = acs.getToken(request);
      return "token until " + token.expiresAt();
    } catch (ThrottledException e) {
      Duration wait = e.retryAfter().orElse(Duration.ofSeconds(1));
      return "throttled, retry in " + wait; // the service said how long to back off
    } catch (AcsException e) {
      if (e.isRetryable()) {
        return "retry later: " + e.getMessage(); // 5xx, timeout, connection reset
      }
      // invalid request, unauthorized / identity not owned, not found: retrying will not help
      return "failed for good: " + e.errorCode().orElse("HTTP " + e.statusCode());
    }
    // end::errors[]
  }
}
