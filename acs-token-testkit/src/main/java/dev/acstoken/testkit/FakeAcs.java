package dev.acstoken.testkit;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.IdentityWithToken;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TeamsTokenRequest;
import dev.acstoken.core.TokenLifetime;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.error.AcsException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory ACS Identity service that implements core's {@link TokenProvider} and {@link
 * IdentityOperations}, for fast unit tests of code that issues, caches, revokes or deletes.
 *
 * <p>It validates like the service and fails like core's {@code AcsIdentityClient}: the same {@link
 * AcsException} subclasses with the service's error codes, messages and targets ({@code
 * ValidationError} for a bad request, {@code IdentityNotOwned} for another resource's identity, a
 * {@link dev.acstoken.core.error.NotFoundException} for a deleted one). It speaks api-version
 * {@code 2022-10-01} by default, as the Java SDK does, so the join scopes are refused unless the
 * builder names {@code 2023-10-01}. Tokens are RS256 JWTs with the service's claims; time comes
 * from the builder's {@link Clock}, so a {@link MutableClock} expires them without waiting.
 *
 * <p>Tests steer it with {@link #failNext(Operation, int, AcsException) fault injection}, a {@link
 * #beforeEachCall hook} that runs before every call (to block a backend call on a latch), and
 * inspect it with {@link #callCount()}, {@link #identities()}, {@link #issuedTokenCount} and {@link
 * #isValid}.
 *
 * <p>Thread-safe. Async methods run on the builder's executor; by default on the calling thread, so
 * that their future is complete when they return.
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.systemStart();
 * FakeAcs acs = FakeAcs.builder().clock(clock).build();
 * IdentityId user = acs.createIdentity();
 * AccessToken token = acs.getToken(TokenRequest.of(user, Scope.VOIP));
 * acs.failNext(Operation.ISSUE_TOKEN, 1, new ServiceUnavailableException("down", 503, null, null, null));
 * }</pre>
 */
public final class FakeAcs implements TokenProvider, IdentityOperations {

  /** The api-version the fake speaks unless told otherwise: the Java SDK 1.4.10's. */
  public static final String DEFAULT_API_VERSION = AcsEngine.V2022_10_01;

  private final AcsEngine engine;
  private final String apiVersion;
  private final Executor executor;
  private final FaultRules<Supplier<? extends AcsException>> faults = new FaultRules<>();
  private volatile @Nullable Consumer<Operation> hook;
  private volatile @Nullable Consumer<Operation> afterHook;

  private FakeAcs(AcsEngine engine, String apiVersion, Executor executor) {
    this.engine = engine;
    this.apiVersion = apiVersion;
    this.executor = executor;
  }

  /** {@return a fake of a new resource with a random id, on the system clock} */
  public static FakeAcs create() {
    return builder().build();
  }

  /** {@return a builder of a fake} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the GUID of the fake resource, the one its identity ids carry} */
  public String resourceId() {
    return engine.resourceId();
  }

  /** {@return the clock the fake runs on} */
  public Clock clock() {
    return engine.clock();
  }

  // ---- TokenProvider

  @Override
  public AccessToken getToken(TokenRequest request) {
    require(request, "token request");
    return call(
            Operation.ISSUE_TOKEN,
            "issueToken",
            request.identity(),
            () ->
                engine.issueToken(
                    request.identity().value(),
                    wireNames(request.scopes()),
                    request.lifetime().map(TokenLifetime::toMinutes).orElse(null),
                    apiVersion))
        .toAccessToken();
  }

  @Override
  public CompletableFuture<AccessToken> getTokenAsync(TokenRequest request) {
    require(request, "token request");
    return async(() -> getToken(request));
  }

  // ---- IdentityOperations

  @Override
  public IdentityId createIdentity() {
    return call(
            Operation.CREATE_IDENTITY,
            "createIdentity",
            null,
            () -> engine.createIdentity(null, null, apiVersion))
        .identity;
  }

  @Override
  public CompletableFuture<IdentityId> createIdentityAsync() {
    return async(this::createIdentity);
  }

  @Override
  public IdentityWithToken createIdentityWithToken(
      Set<Scope> scopes, @Nullable TokenLifetime lifetime) {
    Set<Scope> valid = Scope.canonical(scopes);
    AcsEngine.Created created =
        call(
            Operation.CREATE_IDENTITY,
            "createIdentityWithToken",
            null,
            () ->
                engine.createIdentity(
                    wireNames(valid), lifetime == null ? null : lifetime.toMinutes(), apiVersion));
    IssuedToken token = created.token;
    if (token == null) {
      throw new IllegalStateException("the engine created an identity without its token");
    }
    return IdentityWithToken.of(created.identity, token.toAccessToken());
  }

  @Override
  public CompletableFuture<IdentityWithToken> createIdentityWithTokenAsync(
      Set<Scope> scopes, @Nullable TokenLifetime lifetime) {
    Scope.canonical(scopes);
    return async(() -> createIdentityWithToken(scopes, lifetime));
  }

  @Override
  public void revokeTokens(IdentityId identity) {
    require(identity, "identity");
    call(
        Operation.REVOKE_TOKENS,
        "revokeTokens",
        identity,
        () -> {
          engine.revokeTokens(identity.value());
          return Boolean.TRUE;
        });
  }

  @Override
  public CompletableFuture<Void> revokeTokensAsync(IdentityId identity) {
    require(identity, "identity");
    return async(
        () -> {
          revokeTokens(identity);
          return null;
        });
  }

  @Override
  public void deleteIdentity(IdentityId identity) {
    require(identity, "identity");
    call(
        Operation.DELETE_IDENTITY,
        "deleteIdentity",
        identity,
        () -> {
          engine.deleteIdentity(identity.value());
          return Boolean.TRUE;
        });
  }

  @Override
  public CompletableFuture<Void> deleteIdentityAsync(IdentityId identity) {
    require(identity, "identity");
    return async(
        () -> {
          deleteIdentity(identity);
          return null;
        });
  }

  @Override
  public AccessToken exchangeTeamsToken(TeamsTokenRequest request) {
    require(request, "Teams token request");
    return call(
            Operation.EXCHANGE_TEAMS_TOKEN,
            "exchangeTeamsToken",
            null,
            () ->
                engine.exchangeTeamsToken(request.entraToken(), request.appId(), request.userId()))
        .toAccessToken();
  }

  @Override
  public CompletableFuture<AccessToken> exchangeTeamsTokenAsync(TeamsTokenRequest request) {
    require(request, "Teams token request");
    return async(() -> exchangeTeamsToken(request));
  }

  // ---- inspection

  /** {@return the identities that exist (created and not deleted), oldest first} */
  public List<IdentityId> identities() {
    return engine.identities();
  }

  /** {@return the identities that were deleted, oldest first} */
  public List<IdentityId> deletedIdentities() {
    return engine.deletedIdentities();
  }

  /**
   * Returns how many tokens were issued to an identity, including those of {@link
   * #createIdentityWithToken}.
   *
   * @param identity the identity
   * @return the count; 0 for an unknown identity
   */
  public int issuedTokenCount(IdentityId identity) {
    require(identity, "identity");
    return engine.issuedTokenCount(identity);
  }

  /**
   * Returns how many times the tokens of an identity were revoked.
   *
   * @param identity the identity
   * @return the count; 0 for an unknown identity
   */
  public int revocationCount(IdentityId identity) {
    require(identity, "identity");
    return engine.revocationCount(identity);
  }

  /**
   * Returns the tokens issued to an identity, oldest first.
   *
   * @param identity the identity
   * @return the tokens, valid or not
   */
  public List<IssuedToken> tokens(IdentityId identity) {
    require(identity, "identity");
    return engine.tokens(identity);
  }

  /**
   * Returns whether a token was issued by this fake and is still good: not expired by the fake's
   * clock, not revoked, its identity not deleted.
   *
   * @param token a token value
   * @return whether the service would accept it now
   */
  public boolean isValid(@Nullable String token) {
    return engine.isValid(token);
  }

  /**
   * Returns whether a token is still good; see {@link #isValid(String)}.
   *
   * @param token the token
   * @return whether the service would accept it now
   */
  public boolean isValid(AccessToken token) {
    require(token, "token");
    return engine.isValid(token.value());
  }

  /** {@return how many calls the fake received, of every operation, failed ones included} */
  public long callCount() {
    return engine.calls();
  }

  /**
   * Returns how many calls of an operation the fake received, failed ones included.
   *
   * @param operation the operation
   * @return the count
   */
  public long callCount(Operation operation) {
    require(operation, "operation");
    return engine.calls(operation);
  }

  /** Forgets every identity, token, count, armed failure and hook. */
  public void reset() {
    engine.reset();
    faults.clear();
    hook = null;
  }

  // ---- fault injection

  /**
   * Makes the next {@code n} calls of any operation fail with an exception.
   *
   * @param n how many calls
   * @param error what they throw
   */
  public void failNext(int n, AcsException error) {
    arm(null, null, n, 1.0, error);
  }

  /**
   * Makes the next {@code n} calls of one operation fail with an exception.
   *
   * @param operation which operation
   * @param n how many calls
   * @param error what they throw
   */
  public void failNext(Operation operation, int n, AcsException error) {
    require(operation, "operation");
    arm(operation, null, n, 1.0, error);
  }

  /**
   * Makes the next {@code n} calls of one operation on one identity fail with an exception.
   *
   * @param operation which operation
   * @param identity which identity
   * @param n how many calls
   * @param error what they throw
   */
  public void failNext(Operation operation, IdentityId identity, int n, AcsException error) {
    require(operation, "operation");
    require(identity, "identity");
    arm(operation, identity.value(), n, 1.0, error);
  }

  /**
   * Makes every call of an operation fail with a probability, until {@link #clearFailures()}.
   *
   * @param operation which operation, or null for all
   * @param probability from 0 to 1
   * @param seed the seed of the random choice, so that a test is repeatable
   * @param error what the failing calls throw
   */
  public void failWithProbability(
      @Nullable Operation operation, double probability, long seed, AcsException error) {
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("probability " + probability + " is outside [0, 1]");
    }
    require(error, "error");
    faults.add(operation, null, FaultRules.UNLIMITED, probability, seed, () -> error);
  }

  /** Disarms every failure armed so far. */
  public void clearFailures() {
    faults.clear();
  }

  /**
   * Runs a hook before every call, after it is counted and before any failure or work: a test can
   * block backend calls on a latch, or count threads. The hook runs on the calling thread (or the
   * executor's); an exception it throws fails the call.
   *
   * @param hook the hook, or null to remove it
   */
  public void beforeEachCall(@Nullable Consumer<Operation> hook) {
    this.hook = hook;
  }

  /**
   * Runs a hook after every successful call has done its work at the service and before its answer
   * reaches the caller: the token is issued (and counted, and valid) but the caller does not have
   * it yet, as with an answer that is slow on the way back. A test can hold such an answer on a
   * latch, e.g. to let a refresh lease run out while its holder still waits. The hook runs on the
   * calling thread (or the executor's, for the async methods); an exception it throws fails the
   * call, the work stays done.
   *
   * @param hook the hook, or null to remove it
   */
  public void afterEachCall(@Nullable Consumer<Operation> hook) {
    this.afterHook = hook;
  }

  private void arm(
      @Nullable Operation operation, @Nullable String identity, int n, double p, AcsException e) {
    if (n < 0) {
      throw new IllegalArgumentException("n must not be negative; got " + n);
    }
    require(e, "error");
    faults.add(operation, identity, n, p, null, () -> e);
  }

  @Override
  public String toString() {
    return "FakeAcs[resource=" + engine.resourceId() + ", apiVersion=" + apiVersion + "]";
  }

  // ---- plumbing

  private <T> T call(Operation op, String name, @Nullable IdentityId identity, Supplier<T> work) {
    engine.countCall(op);
    Consumer<Operation> h = hook;
    if (h != null) {
      h.accept(op);
    }
    Supplier<? extends AcsException> fault =
        faults.next(op, identity == null ? null : identity.value());
    if (fault != null) {
      throw fault.get();
    }
    T result;
    try {
      result = work.get();
    } catch (ServiceError e) {
      throw e.toAcsException(name, UUID.randomUUID().toString());
    }
    Consumer<Operation> after = afterHook;
    if (after != null) {
      after.accept(op);
    }
    return result;
  }

  private <T> CompletableFuture<T> async(Supplier<T> work) {
    CompletableFuture<T> f = new CompletableFuture<>();
    try {
      executor.execute(
          () -> {
            try {
              f.complete(work.get());
            } catch (RuntimeException | Error e) {
              f.completeExceptionally(e);
            }
          });
    } catch (RuntimeException rejected) {
      f.completeExceptionally(rejected);
    }
    return f;
  }

  private static List<String> wireNames(Set<Scope> scopes) {
    List<String> out = new ArrayList<>(scopes.size());
    for (Scope s : scopes) {
      out.add(s.wireName());
    }
    return out;
  }

  private static void require(@Nullable Object value, String what) {
    if (value == null) {
      throw new IllegalArgumentException(what + " must not be null");
    }
  }

  /**
   * Builds a {@link FakeAcs}. Not thread-safe; every option has a default, so {@code
   * builder().build()} is {@link #create()}.
   */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private String resourceId = AcsEngine.randomResourceId();
    private String apiVersion = DEFAULT_API_VERSION;
    private boolean serviceLimits;
    private Executor executor = Runnable::run;

    private Builder() {}

    /**
     * Sets the clock tokens are issued and expire by; a {@link MutableClock} lets a test move time.
     * Default: the system clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      require(clock, "clock");
      this.clock = clock;
      return this;
    }

    /**
     * Sets the GUID of the fake resource. Default: random.
     *
     * @param resourceId a GUID
     * @return this builder
     * @throws IllegalArgumentException if it is not a GUID
     */
    public Builder resourceId(String resourceId) {
      AcsEngine.requireGuid("resource id", resourceId);
      this.resourceId = resourceId.toLowerCase(java.util.Locale.ROOT);
      return this;
    }

    /**
     * Sets the api-version whose rules the fake applies; the join scopes exist from {@code
     * 2023-10-01}. Default {@value FakeAcs#DEFAULT_API_VERSION}, the Java SDK's.
     *
     * @param apiVersion one of 2021-03-07, 2022-06-01, 2022-10-01, 2023-10-01
     * @return this builder
     * @throws IllegalArgumentException for another version
     */
    public Builder apiVersion(String apiVersion) {
      if (!AcsEngine.API_VERSIONS.contains(apiVersion)) {
        throw new IllegalArgumentException(
            "api-version '"
                + apiVersion
                + "' is not supported; allowed: "
                + AcsEngine.API_VERSIONS);
      }
      this.apiVersion = apiVersion;
      return this;
    }

    /**
     * Enforces the service's per-resource limits (1,000 token issues and 1,000 identity creations,
     * 500 revocations and 500 deletions per 30 seconds of the fake's clock) with a {@link
     * dev.acstoken.core.error.ThrottledException}. Default: off.
     *
     * @param enforce whether to enforce them
     * @return this builder
     */
    public Builder serviceLimits(boolean enforce) {
      this.serviceLimits = enforce;
      return this;
    }

    /**
     * Sets where async methods run. Default: on the calling thread.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder executor(Executor executor) {
      require(executor, "executor");
      this.executor = executor;
      return this;
    }

    /** {@return the fake} */
    public FakeAcs build() {
      return new FakeAcs(new AcsEngine(clock, resourceId, serviceLimits), apiVersion, executor);
    }
  }
}
