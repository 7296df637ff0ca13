package dev.acstoken.cache;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.TimeSource;
import dev.acstoken.core.TokenLifetime;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.TokenRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A working token backend on fake time: issues JWT-shaped tokens (with an {@code exp} claim the
 * Azure credential can read) that expire after the requested lifetime. It answers at once, or holds
 * every call until the test completes or fails it; scripted failures come first. Records every
 * call. Thread-safe.
 */
final class FakeBackend implements TokenProvider {

  /** A call the test has not answered yet. */
  static final class PendingCall {
    final TokenRequest request;
    final CompletableFuture<AccessToken> future;

    PendingCall(TokenRequest request, CompletableFuture<AccessToken> future) {
      this.request = request;
      this.future = future;
    }
  }

  private final TimeSource time;
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger serial = new AtomicInteger();
  private final Map<TokenRequest, AtomicInteger> callsByKey = new ConcurrentHashMap<>();
  private final List<Long> callNanos = new ArrayList<>();
  private final List<TokenRequest> callOrder = new ArrayList<>();
  private final Deque<RuntimeException> failures = new ArrayDeque<>();
  private final Deque<PendingCall> pending = new ArrayDeque<>();
  private volatile boolean hold;
  private volatile @Nullable Function<TokenRequest, Duration> lifetimeOf;

  FakeBackend(TimeSource time) {
    this.time = time;
  }

  /** Holds every later call until the test answers it. */
  FakeBackend hold() {
    hold = true;
    return this;
  }

  /** Answers every later call at once. */
  FakeBackend answerAtOnce() {
    hold = false;
    return this;
  }

  /** Overrides the lifetime of issued tokens (default: the requested one, or 24 hours). */
  FakeBackend lifetime(Function<TokenRequest, Duration> lifetime) {
    this.lifetimeOf = lifetime;
    return this;
  }

  /** Makes the next call fail with the given error (failures queue up, first in first out). */
  synchronized FakeBackend failNext(RuntimeException error) {
    failures.add(error);
    return this;
  }

  @Override
  public AccessToken getToken(TokenRequest request) {
    return getTokenAsync(request).join();
  }

  @Override
  public CompletableFuture<AccessToken> getTokenAsync(TokenRequest request) {
    RuntimeException failure;
    CompletableFuture<AccessToken> f = new CompletableFuture<>();
    synchronized (this) {
      calls.incrementAndGet();
      callsByKey.computeIfAbsent(request, k -> new AtomicInteger()).incrementAndGet();
      callNanos.add(time.nanoTime());
      callOrder.add(request);
      failure = failures.poll();
      if (failure == null && hold) {
        pending.add(new PendingCall(request, f));
        return f;
      }
    }
    if (failure != null) {
      f.completeExceptionally(failure);
    } else {
      f.complete(issue(request));
    }
    return f;
  }

  /** Issues a token for the request now, without counting a call. */
  AccessToken issue(TokenRequest request) {
    Function<TokenRequest, Duration> l = lifetimeOf;
    Duration lifetime =
        l != null
            ? l.apply(request)
            : request.lifetime().orElse(TokenLifetime.DEFAULT).toDuration();
    AccessToken fixed = fixedToken;
    if (fixed != null) {
      return fixed;
    }
    Instant now = time.now();
    return token(now, now.plus(lifetime), serial.incrementAndGet());
  }

  private volatile @Nullable AccessToken fixedToken;

  /**
   * Answers every call with the same token from now on, as a Teams exchange does until its Entra
   * token changes.
   */
  FakeBackend alwaysAnswer(AccessToken token) {
    this.fixedToken = token;
    return this;
  }

  /** Returns a JWT-shaped token issued at {@code issuedAt} (its {@code iat} claim). */
  static AccessToken token(Instant issuedAt, Instant expiresAt, int serial) {
    return token(expiresAt, serial, ",\"iat\":" + issuedAt.getEpochSecond());
  }

  /** Returns a JWT-shaped token; its {@code exp} claim is the expiry in whole seconds. */
  static AccessToken token(Instant expiresAt, int serial) {
    return token(expiresAt, serial, "");
  }

  private static AccessToken token(Instant expiresAt, int serial, String moreClaims) {
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(UTF8));
    String payload =
        b64.encodeToString(
            ("{\"exp\":" + expiresAt.getEpochSecond() + ",\"n\":" + serial + moreClaims + "}")
                .getBytes(UTF8));
    // whole seconds, as the exp claim the Azure credential reads
    return AccessToken.of(
        header + "." + payload + ".c2lnbmF0dXJl" + serial,
        Instant.ofEpochSecond(expiresAt.getEpochSecond()));
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  /** Completes the oldest held call with a fresh token; returns it. */
  AccessToken completeNext() {
    PendingCall c = nextPending();
    AccessToken t = issue(c.request);
    c.future.complete(t);
    return t;
  }

  /** Fails the oldest held call. */
  /** Completes the oldest held call with the given token (issued whenever the test says). */
  void completeNextWith(AccessToken token) {
    nextPending().future.complete(token);
  }

  void failNextPending(RuntimeException error) {
    nextPending().future.completeExceptionally(error);
  }

  private synchronized PendingCall nextPending() {
    PendingCall c = pending.poll();
    if (c == null) {
      throw new IllegalStateException("no held call");
    }
    return c;
  }

  synchronized int pendingCalls() {
    return pending.size();
  }

  synchronized @Nullable PendingCall peekPending() {
    return pending.peek();
  }

  int calls() {
    return calls.get();
  }

  int calls(TokenRequest request) {
    AtomicInteger n = callsByKey.get(request);
    return n == null ? 0 : n.get();
  }

  synchronized List<TokenRequest> callOrder() {
    return new ArrayList<>(callOrder);
  }

  synchronized List<Long> callNanos() {
    return new ArrayList<>(callNanos);
  }
}
