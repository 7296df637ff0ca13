package dev.acstoken.cli;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenClaims;
import dev.acstoken.core.TokenLifetime;
import dev.acstoken.core.TokenRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code acs-token token issue|revoke|inspect}. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Issue, revoke and inspect access tokens.",
    subcommands = {TokenCommand.Issue.class, TokenCommand.Revoke.class, TokenCommand.Inspect.class})
final class TokenCommand implements Callable<Integer> {

  @ParentCommand AcsTokenCommand root;

  @Override
  public Integer call() {
    throw new UsageException("token needs a subcommand: issue, revoke or inspect");
  }

  /** The scopes api-version 2022-10-01 (the one the Azure Java SDK 1.4.10 sends) accepts. */
  static final String SCOPES = "chat, voip";

  static List<Scope> parseScopes(String csv) {
    List<Scope> scopes = new ArrayList<>();
    for (String s : csv.split(",")) {
      if (s.isBlank()) {
        continue;
      }
      Scope scope;
      try {
        scope = Scope.fromWireName(s.trim());
      } catch (IllegalArgumentException e) {
        throw new UsageException("--scopes: unknown scope '" + s.trim() + "'; allowed: " + SCOPES);
      }
      if (scope != Scope.CHAT && scope != Scope.VOIP) {
        throw new UsageException(
            "--scopes: "
                + scope.wireName()
                + " needs api-version 2023-10-01, which the Azure Java SDK this tool runs on"
                + " does not send; allowed: "
                + SCOPES);
      }
      scopes.add(scope);
    }
    if (scopes.isEmpty()) {
      throw new UsageException("--scopes needs at least one scope; allowed: " + SCOPES);
    }
    return scopes;
  }

  /**
   * Returns the id of an ACS user, the only kind of identity the service issues tokens to, revokes
   * or deletes; checked here so that a malformed id is a usage error, not a service call.
   */
  static IdentityId acsUser(String id) {
    IdentityId identity;
    try {
      identity = IdentityId.of(id);
    } catch (IllegalArgumentException e) {
      throw new UsageException("<id>: " + e.getMessage());
    }
    if (identity.isAcsUser()) {
      return identity;
    }
    String expected = "expected 8:acs:<resource guid>_<8-4-4-4-12 hex id>";
    String lower = id.toLowerCase(java.util.Locale.ROOT);
    if (lower.startsWith("8:acs:")
        || lower.startsWith("8:gcch-acs:")
        || lower.startsWith("8:dod-acs:")) {
      throw new UsageException(
          "<id> '" + id + "' is not a valid ACS user id: the prefix is lower case; " + expected);
    }
    throw new UsageException("<id> '" + id + "' is not an ACS user id; " + expected);
  }

  static String scopeList(java.util.Collection<Scope> scopes) {
    return scopes.stream().map(Scope::wireName).collect(Collectors.joining(","));
  }

  /** {@code acs-token token issue <id> --scopes chat,voip [--expires-in 1h] [--show-token]}. */
  @Command(
      name = "issue",
      mixinStandardHelpOptions = true,
      description = "Issue a token to an identity.")
  static final class Issue implements Callable<Integer> {
    @ParentCommand TokenCommand parent;

    @Parameters(paramLabel = "<id>", description = "The identity id")
    String id;

    @Option(
        names = "--scopes",
        required = true,
        paramLabel = "<scopes>",
        description =
            "Comma-separated: chat, voip (the join scopes need api-version 2023-10-01, which the"
                + " Azure Java SDK this tool runs on does not send)")
    String scopes;

    @Option(
        names = "--expires-in",
        paramLabel = "<duration>",
        description = "Token lifetime, 1h to 24h in whole minutes, e.g. 1h, 90m (default: 24h)")
    @Nullable String expiresIn;

    @Option(
        names = "--show-token",
        description = "Print the whole token (for piping); it is a secret")
    boolean showToken;

    static TokenLifetime lifetime(String text) {
      Duration d;
      try {
        d = Durations.parse(text);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--expires-in: " + e.getMessage());
      }
      try {
        return TokenLifetime.of(d); // the one check of the range and the whole minutes
      } catch (IllegalArgumentException e) {
        throw new UsageException("--expires-in " + text.trim() + ": " + e.getMessage());
      }
    }

    @Override
    public Integer call() {
      AcsTokenCommand root = parent.root;
      IdentityId identity = acsUser(id);
      TokenRequest request = TokenRequest.of(identity, parseScopes(scopes));
      if (expiresIn != null) {
        request = request.withLifetime(lifetime(expiresIn));
      }
      TokenRequest r = request;
      AccessToken token = root.call("issuing a token", c -> c.getTokenAsync(r));
      String scopeText = scopeList(request.scopes());
      if (root.json()) {
        root.out.println(
            Json.object()
                .put("identity", identity.value())
                .put(
                    "scopes",
                    request.scopes().stream().map(Scope::wireName).collect(Collectors.toList()))
                .put("expiresOn", token.expiresAt().toString())
                .put("token", showToken ? token.value() : token.redacted()));
        return ExitCode.SUCCESS;
      }
      String line =
          "Issued an access token with '"
              + scopeText
              + "' scope that expires at "
              + token.expiresAt()
              + " for identity with ID: "
              + identity.value();
      if (showToken) {
        // the token alone on standard output, so that $(acs-token token issue ...) is the token
        root.err.println(line);
        root.out.println(token.value());
      } else {
        root.out.println(line);
        root.out.println("Token: " + token.redacted() + " (--show-token prints it whole)");
      }
      return ExitCode.SUCCESS;
    }
  }

  /** {@code acs-token token revoke <id>}. */
  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revoke every token of an identity.")
  static final class Revoke implements Callable<Integer> {
    @ParentCommand TokenCommand parent;

    @Parameters(paramLabel = "<id>", description = "The identity id")
    String id;

    @Override
    public Integer call() {
      AcsTokenCommand root = parent.root;
      IdentityId identity = acsUser(id);
      root.call("revoking tokens", c -> c.revokeTokensAsync(identity));
      root.print(
          Json.object().put("identity", identity.value()).put("revoked", true),
          "Successfully revoked the tokens of identity with ID: " + identity.value());
      return ExitCode.SUCCESS;
    }
  }

  /** {@code acs-token token inspect [<jwt> | -]}. */
  @Command(
      name = "inspect",
      mixinStandardHelpOptions = true,
      description =
          "Decode a token's claims without a network call (the signature is not shown or checked).")
  static final class Inspect implements Callable<Integer> {
    @ParentCommand TokenCommand parent;

    @Parameters(
        paramLabel = "<jwt>",
        arity = "0..1",
        description = "The token, or - (the default) to read it from standard input")
    @Nullable String token;

    @Override
    public Integer call() {
      AcsTokenCommand root = parent.root;
      String jwt = root.valueOrStdin(token, "token");
      TokenClaims claims = TokenClaims.decode(jwt);
      Instant now = Instant.now();
      Duration left = Duration.between(now, claims.expiresAt());
      if (root.json()) {
        root.out.println(
            Json.object()
                .put("identity", claims.identity().map(Object::toString).orElse(null))
                .put("scopes", claims.scopeNames())
                .put("resourceId", claims.resourceId().orElse(null))
                .put("resourceLocation", claims.resourceLocation().orElse(null))
                .put("issuedAt", claims.issuedAt().map(Object::toString).orElse(null))
                .put("expiresAt", claims.expiresAt().toString())
                .put("expired", left.isNegative() || left.isZero())
                .put("secondsLeft", Math.max(0, left.getSeconds())));
        return ExitCode.SUCCESS;
      }
      root.out.println("Identity:  " + claims.identity().map(Object::toString).orElse("(none)"));
      root.out.println("Scopes:    " + String.join(", ", claims.scopeNames()));
      root.out.println(
          "Resource:  "
              + claims.resourceId().orElse("(none)")
              + claims.resourceLocation().map(l -> " (" + l + ")").orElse(""));
      root.out.println("Issued:    " + claims.issuedAt().map(Object::toString).orElse("(unknown)"));
      root.out.println("Expires:   " + claims.expiresAt());
      root.out.println(
          "Time left: " + (left.isNegative() || left.isZero() ? "expired" : human(left)));
      return ExitCode.SUCCESS;
    }

    static String human(Duration d) {
      long h = d.toHours();
      int m = d.toMinutesPart();
      int s = d.toSecondsPart();
      return (h > 0 ? h + "h " : "") + (h > 0 || m > 0 ? m + "m " : "") + s + "s";
    }
  }
}
