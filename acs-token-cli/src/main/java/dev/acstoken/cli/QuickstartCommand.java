package dev.acstoken.cli;

import dev.acstoken.cache.CacheListener;
import dev.acstoken.cache.CachingTokenProvider;
import dev.acstoken.cache.CachingTokenProviderBuilder;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.azure.AcsIdentityClient;
import dev.acstoken.directory.jdbc.JdbcIdentityDirectory;
import dev.acstoken.testkit.AcsEmulator;
import dev.acstoken.testkit.MutableClock;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code acs-token quickstart}: the ACS access-token quickstart, end to end, plus what the cache
 * adds. Against the embedded emulator unless a connection string is configured.
 */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    description = {
      "Run the ACS access-token quickstart end to end.",
      "Creates an app user's identity through the identity directory (H2 in memory), issues a",
      "'voip' token, serves it from the cache, refreshes it before expiry, revokes it and forgets",
      "the user (the identity is deleted). Runs against an embedded emulator unless a connection",
      "string is configured. With -o json, prints one JSON object of what happened."
    })
final class QuickstartCommand implements Callable<Integer> {

  /** How far the emulator's clock moves between two reads of the token. */
  static final Duration STEP = Duration.ofMinutes(30);

  /** The application's id of the quickstart's user, as a sign-in would give it. */
  static final String APP_USER = "alice@contoso.example";

  @ParentCommand AcsTokenCommand root;

  /** With {@code -o json}: what happened, printed as one object at the end. */
  private final Json result = Json.object();

  @Override
  public Integer call() throws Exception {
    // with -o json the narration is dropped and the result object is printed instead
    PrintStream out =
        root.json()
            ? new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8)
            : root.out;
    boolean real = root.hasConnectionString();
    MutableClock clock = null;
    AcsEmulator emulator = null;
    AcsIdentityClient client;
    if (real) {
      client = root.client();
    } else {
      clock = MutableClock.at(Instant.now());
      emulator = AcsEmulator.builder().clock(clock).start();
      client = emulator.acsIdentityClientBuilder().timeout(root.timeout()).build();
    }
    try {
      out.println("Azure Communication Services - Access Tokens Quickstart");
      out.println();
      out.println(
          real
              ? "Running against the ACS resource at " + client.endpoint()
              : "Running against the embedded ACS emulator at "
                  + client.endpoint()
                  + " (set ACS_CONNECTION_STRING to use a real resource)");
      out.println();
      result
          .put("target", real ? "resource" : "emulator")
          .put("endpoint", String.valueOf(client.endpoint()));
      run(out, client, clock, emulator);
      if (root.json()) {
        root.out.println(result);
      }
      return ExitCode.SUCCESS;
    } finally {
      if (emulator != null) {
        emulator.close();
      }
    }
  }

  private void run(
      PrintStream out,
      AcsIdentityClient client,
      @Nullable MutableClock clock,
      @Nullable AcsEmulator emulator)
      throws Exception {
    CountingTokenProvider counting = new CountingTokenProvider(client);
    Semaphore refreshesStarted = new Semaphore(0);
    Semaphore refreshesDone = new Semaphore(0);
    CachingTokenProviderBuilder cacheBuilder =
        CachingTokenProvider.builder(counting)
            .listener(
                new CacheListener() {
                  @Override
                  public void onRefreshStarted(TokenRequest request) {
                    refreshesStarted.release();
                  }

                  @Override
                  public void onRefreshSucceeded(TokenRequest request, Duration latency) {
                    refreshesDone.release();
                  }
                });
    if (clock != null) {
      cacheBuilder.timeSource(clock);
    }
    try (CachingTokenProvider cache = cacheBuilder.build()) {
      IdentityOperations ops = cache.invalidatingOperations(client);

      // the identity directory: the app's user gets one identity, created on first use and kept
      JdbcIdentityDirectory.Builder directoryBuilder = JdbcIdentityDirectory.builder();
      if (clock != null) {
        directoryBuilder.timeSource(clock);
      }
      JdbcIdentityDirectory directory =
          directoryBuilder
              .dataSource(
                  new DirectoryCommand.UrlDataSource(
                      "jdbc:h2:mem:quickstart-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                      null,
                      null))
              .identityOperations(ops)
              .build();
      IdentityId user = directory.identityFor(APP_USER);
      out.println(
          "Created an identity: "
              + user
              + " for app user '"
              + APP_USER
              + "', recorded in the identity directory (H2 in memory)");
      out.println(
          "Asked the directory again: "
              + (directory.identityFor(APP_USER).equals(user)
                  ? "the same identity, read from the store without a service call"
                  : "a different identity (unexpected)"));
      result.put("identity", user.value());

      TokenRequest voip = TokenRequest.of(user, Scope.VOIP);
      AccessToken token = cache.getToken(voip);
      out.println(
          "Issued an access token with 'voip' scope that expires at "
              + token.expiresAt()
              + " for identity with ID: "
              + user);
      out.println(token.redacted());
      out.println();
      result.put(
          "token",
          Json.object()
              .put("scopes", java.util.List.of(Scope.VOIP.wireName()))
              .put("expiresOn", token.expiresAt().toString())
              .put("token", token.redacted()));

      AccessToken again = cache.getToken(voip);
      out.println(
          "Asked for the same token again: "
              + (again.equals(token) ? "served from the cache" : "a different token (unexpected)")
              + ", no service call (token requests sent to the service so far: "
              + counting.calls()
              + ")");
      result.put("servedFromCache", again.equals(token));

      if (clock != null) {
        // a service keeps reading its token while time passes: half an hour at a time
        Duration moved = Duration.ZERO;
        refreshesStarted.drainPermits();
        refreshesDone.drainPermits();
        boolean servedOld = true;
        boolean started = false;
        while (!started && moved.compareTo(Duration.ofHours(24)) < 0) {
          clock.advance(STEP);
          moved = moved.plus(STEP);
          servedOld &= cache.getToken(voip).equals(token);
          // the refresh runs on the cache's own thread: give it a moment to start
          started = refreshesStarted.tryAcquire(60, TimeUnit.MILLISECONDS);
        }
        out.println(
            "Moved the emulator's clock forward half an hour at a time, reading the token each time: after "
                + human(moved)
                + " the token passed its refresh point; the cache "
                + (servedOld
                    ? "kept serving the still-valid token at once"
                    : "did NOT serve the valid token (unexpected)")
                + " and refreshed it in the background");
        AccessToken refreshed = awaitRefreshed(cache, voip, refreshesDone);
        out.println(
            "Refreshed before expiry: the new token expires at "
                + refreshed.expiresAt()
                + "; the old one still had "
                + human(token.timeLeft(clock.instant()))
                + " left (token requests sent to the service so far: "
                + counting.calls()
                + ")");
        result.put(
            "refresh",
            Json.object()
                .put("after", Durations.format(moved))
                .put("validTokenServedMeanwhile", servedOld)
                .put("newExpiresOn", refreshed.expiresAt().toString())
                .put("oldTokenLeft", Durations.format(token.timeLeft(clock.instant()))));
        token = refreshed;
      } else {
        out.println(
            "Refresh before expiry is shown against the emulator, whose clock can be moved; a real resource's cannot.");
      }
      out.println();

      result.put("serviceCallsBeforeRevoke", counting.calls());
      ops.revokeTokens(user);
      out.println("Successfully revoked the tokens of identity with ID: " + user);
      if (clock != null) {
        // the emulator signs deterministically: a token issued in the same instant of its frozen
        // clock would be byte-identical to the revoked one; a minute passes, as it would
        clock.advance(Duration.ofMinutes(1));
      }
      AccessToken afterRevoke = cache.getToken(voip);
      String validity =
          emulator == null
              ? ""
              : "; the emulator now rejects the revoked one: " + !emulator.isValid(token.value());
      out.println(
          "The revoked token is no longer served: the cache "
              + (afterRevoke.equals(token) ? "STILL served it (unexpected)" : "fetched a new one")
              + validity);

      result.put("revoked", true).put("revokedTokenServed", afterRevoke.equals(token));
      if (emulator != null) {
        result.put("emulatorRejectsRevokedToken", !emulator.isValid(token.value()));
      }

      directory.forget(APP_USER);
      directory.close();
      out.println(
          "Deleted the identity with ID: "
              + user
              + " by forgetting app user '"
              + APP_USER
              + "' in the directory (tokens revoked, identity deleted, mapping removed)");
      result.put("deleted", true);
    }
  }

  /** Waits, in real time, for the background refresh the cache started, then reads the token. */
  private static AccessToken awaitRefreshed(
      TokenProvider cache, TokenRequest request, Semaphore refreshesDone)
      throws InterruptedException {
    if (!refreshesDone.tryAcquire(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the cache did not refresh the token within 30 seconds");
    }
    return cache.getToken(request);
  }

  static String human(Duration d) {
    long h = d.toHours();
    int m = d.toMinutesPart();
    return h == 0 ? m + " minutes" : (m == 0 ? h + " hours" : h + " hours " + m + " minutes");
  }

  /** Counts the token requests that reach the service. */
  static final class CountingTokenProvider implements TokenProvider {
    private final TokenProvider delegate;
    private final AtomicInteger calls = new AtomicInteger();

    CountingTokenProvider(TokenProvider delegate) {
      this.delegate = delegate;
    }

    int calls() {
      return calls.get();
    }

    @Override
    public AccessToken getToken(TokenRequest request) {
      calls.incrementAndGet();
      return delegate.getToken(request);
    }

    @Override
    public CompletableFuture<AccessToken> getTokenAsync(TokenRequest request) {
      calls.incrementAndGet();
      return delegate.getTokenAsync(request);
    }
  }
}
