package dev.acstoken.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A token service for the harnesses: counts its calls, takes a set latency, fails while told to,
 * and remembers the expiry of every token it issued so a harness can tell an expired token handed
 * out by a cache.
 *
 * <p>Token values are JWT-shaped (unsigned) with an {@code exp} claim in seconds, because ACS's
 * {@code CommunicationTokenCredential} reads the expiry from the token itself. Expiries are whole
 * seconds for the same reason. Thread-safe.
 */
final class Backend {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final String HEADER =
      B64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

  /** What the backend hands out. */
  record Token(String value, Instant expiresAt) {}

  /** The backend's failure, thrown while {@link #failing} is set. */
  static final class BackendException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BackendException() {
      super("backend unavailable (simulated 503)", null, false, false);
    }
  }

  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong failedCalls = new AtomicLong();
  private final AtomicLong readerCalls = new AtomicLong();
  private final AtomicLong sequence = new AtomicLong();
  private final ConcurrentHashMap<String, Instant> expiries = new ConcurrentHashMap<>();
  private volatile long latencyNanos;
  private volatile boolean failing;
  private volatile Duration lifetime = Duration.ofHours(24);
  private final java.util.List<long[]> finished = new java.util.ArrayList<>();
  private volatile Runnable onIssue = () -> {};

  Backend latency(Duration latency) {
    this.latencyNanos = latency.toNanos();
    return this;
  }

  Backend lifetime(Duration lifetime) {
    this.lifetime = lifetime;
    return this;
  }

  Backend failing(boolean failing) {
    this.failing = failing;
    return this;
  }

  long calls() {
    return calls.get();
  }

  /** Calls made on a reader's own thread: that reader waited for the whole call. */
  long readerCalls() {
    return readerCalls.get();
  }

  long failedCalls() {
    return failedCalls.get();
  }

  /** Zeroes the call counters and the call log (after a fill, before the measured phase). */
  void resetCounts() {
    calls.set(0);
    failedCalls.set(0);
    readerCalls.set(0);
    synchronized (finished) {
      finished.clear();
    }
  }

  /** Runs after every token issued (a subject's clock goes back to real time, say). */
  Backend onIssue(Runnable hook) {
    this.onIssue = hook;
    return this;
  }

  /** The {start, end} System.nanoTime of every call finished since the last reset. */
  java.util.List<long[]> finishedCalls() {
    synchronized (finished) {
      return new java.util.ArrayList<>(finished);
    }
  }

  private void finished(long start) {
    long end = System.nanoTime();
    synchronized (finished) {
      finished.add(new long[] {start, end});
    }
  }

  /** A blocking call, as a user's own token fetcher makes it: waits the latency, then answers. */
  Token issue() {
    long start = System.nanoTime();
    boolean fail = begin();
    long latency = latencyNanos;
    if (latency > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(latency);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    try {
      return answer(fail);
    } finally {
      finished(start);
    }
  }

  /** A non-blocking call: the answer arrives after the latency on a timer. */
  CompletableFuture<Token> issueAsync() {
    long start = System.nanoTime();
    boolean fail = begin();
    long latency = latencyNanos;
    if (latency <= 0) {
      try {
        return CompletableFuture.completedFuture(answer(fail));
      } catch (BackendException e) {
        return CompletableFuture.failedFuture(e);
      } finally {
        finished(start);
      }
    }
    Executor later = CompletableFuture.delayedExecutor(latency, TimeUnit.NANOSECONDS);
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return answer(fail);
          } finally {
            finished(start);
          }
        },
        later);
  }

  private boolean begin() {
    calls.incrementAndGet();
    if (Thread.currentThread().getName().startsWith(Readers.THREAD_PREFIX)) {
      readerCalls.incrementAndGet();
    }
    boolean fail = failing;
    if (fail) {
      failedCalls.incrementAndGet();
    }
    return fail;
  }

  private Token answer(boolean fail) {
    if (fail) {
      throw new BackendException();
    }
    Token t = mint(Instant.now().plus(lifetime));
    onIssue.run();
    return t;
  }

  /** A token expiring at the given instant, rounded up to a whole second; not counted as a call. */
  Token mint(Instant expiry) {
    Instant exp = Instant.ofEpochSecond(expiry.getEpochSecond() + (expiry.getNano() == 0 ? 0 : 1));
    String payload =
        "{\"exp\":" + exp.getEpochSecond() + ",\"n\":" + sequence.incrementAndGet() + "}";
    String value =
        HEADER + "." + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    expiries.put(value, exp);
    return new Token(value, exp);
  }

  /** Whether a token value this backend issued is expired at the instant (unknown: true). */
  boolean isExpired(String value, Instant now) {
    Instant exp = expiries.get(value);
    return exp == null || !now.isBefore(exp);
  }
}
