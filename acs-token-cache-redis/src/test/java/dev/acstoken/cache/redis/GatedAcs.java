package dev.acstoken.cache.redis;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.IdentityWithToken;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TeamsTokenRequest;
import dev.acstoken.core.TokenLifetime;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.error.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A working fake of ACS for the tier's tests: issues JWT-shaped tokens that expire with the fake
 * clock, counts calls per request, revokes and deletes, and can hold calls at a gate. A token is
 * issued (and counted) when the call starts, before the gate, as the service would have issued it.
 * Thread-safe.
 */
final class GatedAcs implements TokenProvider, IdentityOperations, AutoCloseable {

  private static final String RESOURCE = "2dee53b4-368b-45b4-ab52-8493fb117652";

  private final Clock clock;
  private final ExecutorService pool = Executors.newCachedThreadPool(daemon());
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicInteger calls = new AtomicInteger();
  private final Map<TokenRequest, AtomicInteger> callsPerRequest = new ConcurrentHashMap<>();
  private final Map<String, Issued> issued = new ConcurrentHashMap<>();
  private final Map<IdentityId, Long> revokedUpTo = new ConcurrentHashMap<>();
  private final Set<IdentityId> deleted = ConcurrentHashMap.newKeySet();
  private final AtomicReference<@Nullable CountDownLatch> gate = new AtomicReference<>();
  private final java.util.List<CountDownLatch> gates =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  private record Issued(IdentityId identity, long sequence) {}

  GatedAcs(Clock clock) {
    this.clock = clock;
  }

  static IdentityId identity(int n) {
    return IdentityId.of(String.format("8:acs:%s_00000000-0000-0000-0000-%012d", RESOURCE, n));
  }

  /** Makes every call from now on wait until {@link #openGate()}. */
  void closeGate() {
    CountDownLatch g = new CountDownLatch(1);
    gates.add(g);
    gate.set(g);
  }

  void openGate() {
    CountDownLatch g = gate.getAndSet(null);
    if (g != null) {
      g.countDown();
    }
  }

  /** Releases the calls held at the first gate closed. */
  void openGateOfFirstCall() {
    gates.get(0).countDown();
  }

  /** Lets new calls through while the calls already at the gate stay held (until closed). */
  void holdWaitingCallsOnly() {
    gate.set(null);
  }

  /** Returns every token value issued so far. */
  java.util.Collection<String> issuedValues() {
    return java.util.List.copyOf(issued.keySet());
  }

  int calls() {
    return calls.get();
  }

  int calls(TokenRequest request) {
    AtomicInteger n = callsPerRequest.get(request);
    return n == null ? 0 : n.get();
  }

  boolean isRevoked(AccessToken token) {
    Issued i = issued.get(token.value());
    if (i == null) {
      throw new IllegalArgumentException("not a token of this fake");
    }
    return deleted.contains(i.identity())
        || i.sequence() <= revokedUpTo.getOrDefault(i.identity(), 0L);
  }

  @Override
  public AccessToken getToken(TokenRequest request) {
    if (deleted.contains(request.identity())) {
      throw new NotFoundException("Identity not found.", "IdentityNotFound", null, null);
    }
    long seq = sequence.incrementAndGet();
    calls.incrementAndGet();
    callsPerRequest.computeIfAbsent(request, r -> new AtomicInteger()).incrementAndGet();
    String payload =
        "{\"skypeid\":\"acs:"
            + request.identity().value().substring(6)
            + "\",\"seq\":"
            + seq
            + ",\"nonce\":\""
            + UUID.randomUUID()
            + "\"}";
    String value =
        "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
            + ".c2lnbmF0dXJl"
            + Long.toHexString(seq);
    AccessToken token =
        AccessToken.of(
            value,
            clock.instant().plus(request.lifetime().orElse(TokenLifetime.DEFAULT).toDuration()));
    issued.put(value, new Issued(request.identity(), seq));
    CountDownLatch g = gate.get();
    if (g != null) {
      try {
        g.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return token;
  }

  @Override
  public CompletableFuture<AccessToken> getTokenAsync(TokenRequest request) {
    return CompletableFuture.supplyAsync(() -> getToken(request), pool);
  }

  @Override
  public IdentityId createIdentity() {
    return identity((int) (1_000_000 + sequence.incrementAndGet()));
  }

  @Override
  public CompletableFuture<IdentityId> createIdentityAsync() {
    return CompletableFuture.completedFuture(createIdentity());
  }

  @Override
  public IdentityWithToken createIdentityWithToken(
      Set<Scope> scopes, @Nullable TokenLifetime lifetime) {
    IdentityId id = createIdentity();
    return IdentityWithToken.of(id, getToken(TokenRequest.of(id, scopes).withLifetime(lifetime)));
  }

  @Override
  public CompletableFuture<IdentityWithToken> createIdentityWithTokenAsync(
      Set<Scope> scopes, @Nullable TokenLifetime lifetime) {
    return CompletableFuture.supplyAsync(() -> createIdentityWithToken(scopes, lifetime), pool);
  }

  @Override
  public void revokeTokens(IdentityId identity) {
    revokedUpTo.put(identity, sequence.get());
  }

  @Override
  public CompletableFuture<Void> revokeTokensAsync(IdentityId identity) {
    return CompletableFuture.runAsync(() -> revokeTokens(identity), pool);
  }

  @Override
  public void deleteIdentity(IdentityId identity) {
    deleted.add(identity);
  }

  @Override
  public CompletableFuture<Void> deleteIdentityAsync(IdentityId identity) {
    return CompletableFuture.runAsync(() -> deleteIdentity(identity), pool);
  }

  @Override
  public AccessToken exchangeTeamsToken(TeamsTokenRequest request) {
    throw new UnsupportedOperationException("not needed by these tests");
  }

  @Override
  public CompletableFuture<AccessToken> exchangeTeamsTokenAsync(TeamsTokenRequest request) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException());
  }

  @Override
  public void close() {
    gates.forEach(CountDownLatch::countDown);
    pool.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return r -> {
      Thread t = new Thread(r, "fake-acs");
      t.setDaemon(true);
      return t;
    };
  }
}
