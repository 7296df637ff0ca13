package dev.acstoken.core.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.acstoken.core.stub.StubAcsServer.error;
import static dev.acstoken.core.stub.StubAcsServer.identityPath;
import static dev.acstoken.core.stub.StubAcsServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityWithToken;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TeamsTokenRequest;
import dev.acstoken.core.TokenLifetime;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.stub.StubAcsServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A full run of every operation, succeeding and failing, with DEBUG logging on for everything on
 * the client side (this library, the Azure SDK, Reactor, the JDK HTTP client's bridge): no token,
 * access key or connection string may appear in any log line, exception message or {@code
 * toString}. The WireMock server's own loggers stay at WARN: it is the service side of the wire.
 */
class NoSecretsInLogsTest {

  static final String APP = "8c9d6a1e-7a6b-4d3a-9b2c-1e2f3a4b5c6d";
  static final String TEAMS_USER = "45ab2481-1c1c-4005-be24-0ffb879b1130";

  final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  final Map<String, Level> savedLevels = new HashMap<>();
  Logger root;

  @BeforeEach
  void captureEverything() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    for (String name :
        new String[] {org.slf4j.Logger.ROOT_LOGGER_NAME, "com.azure", "reactor", "dev.acstoken"}) {
      Logger logger = context.getLogger(name);
      savedLevels.put(name, logger.getLevel());
      logger.setLevel(Level.DEBUG);
    }
    appender.setContext(context);
    appender.start();
    root.addAppender(appender);
  }

  @AfterEach
  void restoreLevels() {
    root.detachAppender(appender);
    appender.stop();
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    savedLevels.forEach((name, level) -> context.getLogger(name).setLevel(level));
  }

  @Test
  void fullRun_everyOperationAndEveryFailure_noSecretInAnyLogLineMessageOrToString() {
    List<String> texts = new ArrayList<>();
    List<String> secrets = new ArrayList<>();
    try (StubAcsServer acs = StubAcsServer.start()) {
      String identity = StubAcsServer.newIdentityId();
      IdentityId user = IdentityId.of(identity);
      List<String> tokens = acs.stubEveryOperation(identity);
      String entra =
          StubAcsServer.jwt(
              identity, "voip", java.time.Instant.now(), java.time.Instant.now().plusSeconds(600));
      secrets.addAll(tokens);
      secrets.add(entra);
      secrets.add(acs.accessKey());
      secrets.add(acs.connectionString());
      ConnectionString parsed = ConnectionString.parse(acs.connectionString());
      texts.add(parsed.toString());

      AcsIdentityClient client = acs.clientBuilder().build();
      texts.add(client.toString());

      // every operation, succeeding, sync and async
      IdentityId created = client.createIdentity();
      texts.add(created.toString());
      IdentityWithToken withToken =
          client.createIdentityWithToken(EnumSet.of(Scope.CHAT, Scope.VOIP), TokenLifetime.MIN);
      texts.add(withToken.toString());
      texts.add(withToken.token().claims().toString());
      AccessToken issued =
          client.getToken(
              TokenRequest.of(user, Scope.VOIP).withLifetime(TokenLifetime.ofMinutes(90)));
      texts.add(issued.toString());
      texts.add(issued.redacted());
      texts.add(join(client.getTokenAsync(TokenRequest.of(user, Scope.VOIP))).toString());
      TeamsTokenRequest teamsRequest = TeamsTokenRequest.of(entra, APP, TEAMS_USER);
      texts.add(teamsRequest.toString());
      texts.add(client.exchangeTeamsToken(teamsRequest).toString());
      client.revokeTokens(user);
      client.deleteIdentity(user);
      join(client.revokeTokensAsync(user));
      join(client.deleteIdentityAsync(user));
      join(client.createIdentityAsync());
      join(client.createIdentityWithTokenAsync(EnumSet.of(Scope.CHAT), null));
      join(client.exchangeTeamsTokenAsync(teamsRequest));

      // every failure
      String issuePath = identityPath(identity) + "/:issueAccessToken";
      acs.wireMock()
          .stubFor(
              post(urlPathEqualTo(issuePath))
                  .willReturn(
                      error(
                          400,
                          "ValidationError",
                          "Scopes: The Scopes field is required.",
                          "Scopes")));
      texts.addAll(failure(() -> client.getToken(TokenRequest.of(user, Scope.CHAT))));
      acs.wireMock()
          .stubFor(
              post(urlPathEqualTo("/teamsUser/:exchangeAccessToken"))
                  .willReturn(
                      error(
                          401, "InvalidAccessToken", "Provided access token is not valid.", null)));
      texts.addAll(failure(() -> client.exchangeTeamsToken(teamsRequest)));
      acs.wireMock()
          .stubFor(
              post(urlPathEqualTo(identityPath(identity) + "/:revokeAccessTokens"))
                  .willReturn(
                      error(
                          401,
                          "IdentityNotOwned",
                          "Provided identity doesn't belong to the resource.",
                          null)));
      texts.addAll(failure(() -> client.revokeTokens(user)));
      acs.wireMock()
          .stubFor(
              delete(urlPathEqualTo(identityPath(identity)))
                  .willReturn(error(404, "IdentityNotFound", "Identity not found.", null)));
      texts.addAll(failure(() -> client.deleteIdentity(user)));
      acs.wireMock()
          .stubFor(
              post(urlPathEqualTo(issuePath))
                  .willReturn(
                      error(429, "TooManyRequests", "Rate limit exceeded.", null)
                          .withHeader("Retry-After", "30")));
      AcsIdentityClient noRetries =
          acs.clientBuilder()
              .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ofMillis(1))))
              .build();
      texts.addAll(failure(() -> noRetries.getToken(TokenRequest.of(user, Scope.VOIP))));
      acs.wireMock()
          .stubFor(
              post(urlPathEqualTo(issuePath))
                  .willReturn(
                      aResponse()
                          .withStatus(503)
                          .withHeader("Content-Type", "text/html")
                          .withBody("<html><body>Service Unavailable</body></html>")));
      texts.addAll(failure(() -> client.getToken(TokenRequest.of(user, Scope.VOIP))));
      acs.wireMock()
          .stubFor(
              post(urlPathEqualTo("/identities"))
                  .willReturn(
                      json(201, "{\"identity\":{\"id\":\"" + identity + "\"}}")
                          .withFixedDelay(2_000)));
      AcsIdentityClient impatient = acs.clientBuilder().timeout(Duration.ofMillis(150)).build();
      texts.addAll(failure(impatient::createIdentity));
      acs.wireMock()
          .stubFor(
              post(urlPathEqualTo(issuePath))
                  .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
      texts.addAll(failure(() -> client.getToken(TokenRequest.of(user, Scope.VOIP))));
      texts.addAll(failure(() -> join(client.getTokenAsync(TokenRequest.of(user, Scope.VOIP)))));

      // invalid configuration
      texts.addAll(
          failure(() -> ConnectionString.parse(acs.connectionString().replace("https", "http"))));
      texts.addAll(failure(() -> ConnectionString.parse(acs.connectionString().replace(";", ","))));
      texts.addAll(
          failure(() -> ConnectionString.parse(acs.connectionString().replace("accesskey=", ""))));
      texts.addAll(failure(() -> AcsIdentityClient.builder().accessKey(acs.accessKey() + "!")));
      texts.addAll(failure(() -> dev.acstoken.core.TokenClaims.decode(entra + ".extra")));
    }

    List<String> logLines = logLines();
    assertThat(logLines)
        .as("the run must have been logged, ours and the SDK's, at debug")
        .anyMatch(
            l ->
                l.contains("dev.acstoken.core.azure.AcsIdentityClient") && l.contains("issueToken"))
        .anyMatch(
            l ->
                l.startsWith("DEBUG com.azure")
                    || l.startsWith("INFO com.azure")
                    || l.startsWith("WARN com.azure"));
    assertThat(logLines)
        .as("no line of ours at ERROR for a failure the caller is told about")
        .noneMatch(l -> l.startsWith("ERROR reactor"));
    assertThat(logLines)
        .as("no WARN per request about headers the JDK client ignores")
        .noneMatch(l -> l.contains("The header is restricted"));
    List<String> everything = new ArrayList<>(texts);
    everything.addAll(logLines);
    for (String secret : secrets) {
      String signatureOrSecret =
          secret.chars().filter(c -> c == '.').count() == 2
              ? secret.substring(secret.lastIndexOf('.') + 1)
              : secret;
      String unpadded = secret.replace("=", "");
      for (String text : everything) {
        assertThat(text)
            .doesNotContain(secret)
            .doesNotContain(unpadded)
            .doesNotContain(signatureOrSecret);
      }
    }
  }

  private List<String> logLines() {
    List<String> lines = new ArrayList<>();
    for (ILoggingEvent event : appender.list) {
      StringBuilder line =
          new StringBuilder()
              .append(event.getLevel())
              .append(' ')
              .append(event.getLoggerName())
              .append(' ')
              .append(event.getFormattedMessage())
              .append(' ')
              .append(event.getMDCPropertyMap())
              .append(' ')
              .append(event.getKeyValuePairs());
      for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
        line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
        for (IThrowableProxy s : t.getSuppressed()) {
          line.append(" | suppressed ")
              .append(s.getClassName())
              .append(": ")
              .append(s.getMessage());
        }
        for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
          line.append(' ').append(frame.getSTEAsString());
        }
      }
      lines.add(line.toString());
    }
    return lines;
  }

  /** Runs an action that must fail and returns every message and toString of the failure. */
  private static List<String> failure(Supplier<?> action) {
    try {
      action.get();
    } catch (RuntimeException e) {
      return describe(e);
    }
    throw new AssertionError("expected a failure");
  }

  private static List<String> failure(Runnable action) {
    return failure(
        () -> {
          action.run();
          return null;
        });
  }

  private static List<String> describe(Throwable e) {
    List<String> out = new ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      out.add(String.valueOf(t.getMessage()));
      out.add(t.toString());
      out.add(String.valueOf(t.getLocalizedMessage()));
      for (Throwable s : t.getSuppressed()) {
        out.addAll(describe(s));
      }
      if (t.getCause() == t) {
        break;
      }
    }
    java.io.StringWriter trace = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(trace));
    out.add(trace.toString());
    return out;
  }

  private static <T> T join(java.util.concurrent.CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw (RuntimeException) e.getCause();
    }
  }
}
