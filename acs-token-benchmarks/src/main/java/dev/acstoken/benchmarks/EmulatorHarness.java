package dev.acstoken.benchmarks;

import com.azure.communication.identity.CommunicationIdentityClient;
import com.azure.communication.identity.models.CommunicationTokenScope;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import dev.acstoken.testkit.AcsEmulator;
import dev.acstoken.testkit.EmulatorTrust;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import reactor.core.publisher.Mono;

/**
 * Issue 7, item 7: the emulator's start to first token (start, build the SDK client, create a user
 * with a token), the first time in a fresh JVM and after; and the requests per second it serves to
 * the real SDK client (JDK HTTP client, HTTPS) from 1, 8 and 64 client threads in the same JVM.
 *
 * <p>Issue 16: 1,000 clients at once, each a thread that creates an identity and issues it a token
 * through the real SDK, all released by one latch; once with one SDK client on the emulator's
 * shared {@code httpClient()} (what tests get from {@code identityClientBuilder()}: one JDK
 * connection pool, which opens a connection per request in flight), once with an SDK client and a
 * JDK {@code HttpClient} per client (a suite whose test classes each build their own). A policy
 * counts every HTTP attempt the SDK makes, retries included, and those that ended in an exception
 * (a refused or reset connection, a timeout). A last table times the parts of a call one at a time
 * (a kept-alive createUser and getToken, an RS256 signature alone, a new TLS connection), wall and
 * CPU, so that the burst's CPU can be told apart. {@code -Dacstoken.emulator.burstOnly=true} skips
 * the other tables (for a profiler's recording of the burst alone).
 */
public final class EmulatorHarness {

  private static final int CLIENTS = 1_000;
  private static final CommunicationTokenScope VOIP = CommunicationTokenScope.VOIP;

  private EmulatorHarness() {}

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    boolean burstOnly = Boolean.getBoolean("acstoken.emulator.burstOnly");
    int starts = burstOnly ? 2 : o.pick(5, 20);
    Duration run = o.pick(Duration.ofSeconds(5), Duration.ofSeconds(20));
    Options.machine();
    long[] startNanos = new long[starts];
    for (int i = 0; i < starts; i++) {
      long t0 = System.nanoTime();
      try (AcsEmulator emulator = AcsEmulator.start()) {
        CommunicationIdentityClient sdk = emulator.identityClientBuilder().buildClient();
        sdk.createUserAndToken(List.of(CommunicationTokenScope.VOIP));
        startNanos[i] = System.nanoTime() - t0;
      }
    }
    long[] later = Arrays.copyOfRange(startNanos, 1, starts);
    Arrays.sort(later);
    Table start =
        new Table(
            "Emulator: start to first token (start, SDK client, createUserAndToken)",
            "measure",
            "value");
    start.row("first in a fresh JVM", Histogram.format(startNanos[0]));
    start.row("median of the next " + later.length, Histogram.format(later[later.length / 2]));
    start.row("worst of the next " + later.length, Histogram.format(later[later.length - 1]));

    Table rate =
        new Table(
            "Emulator: getToken requests served per second (HTTPS, real SDK client, same JVM)",
            "client threads",
            "requests/s",
            "p50",
            "p99",
            "errors");
    try (AcsEmulator emulator = AcsEmulator.start()) {
      CommunicationIdentityClient sdk = emulator.identityClientBuilder().buildClient();
      var user = sdk.createUser();
      List<CommunicationTokenScope> scopes = List.of(CommunicationTokenScope.VOIP);
      for (int threads : burstOnly ? new int[0] : new int[] {1, 8, 64}) {
        measure(() -> sdk.getToken(user, scopes), threads, Duration.ofSeconds(2));
        Readers.Result r = measure(() -> sdk.getToken(user, scopes), threads, run);
        rate.row(
            threads,
            String.format(java.util.Locale.ROOT, "%.0f", r.reads / (run.toNanos() / 1e9)),
            Histogram.format(r.latency.percentile(0.5)),
            Histogram.format(r.latency.percentile(0.99)),
            r.errors);
      }
    }
    Table costs =
        new Table(
            "Emulator: what one operation costs, one thread, client and server in this JVM",
            "operation",
            "wall",
            "CPU (client and server)");
    if (!burstOnly) {
      costs(costs, o.pick(500, 2000));
    }

    Table burst =
        new Table(
            "Emulator: 1,000 concurrent clients, each createUser then getToken (real SDK, HTTPS,"
                + " same JVM), started together",
            "clients",
            "connections",
            "p50",
            "p99",
            "max",
            "wall",
            "CPU (client and server)",
            "errors",
            "HTTP attempts",
            "failed attempts",
            "load average (1 min) before → after");
    for (boolean shared : new boolean[] {true, false}) {
      try (AcsEmulator emulator = AcsEmulator.start()) {
        // warm the server's and the client's code paths once, outside the measurement
        emulator.identityClientBuilder().buildClient().createUserAndToken(List.of(VOIP));
        Burst b = Burst.run(emulator, CLIENTS, shared);
        burst.row(
            CLIENTS,
            shared
                ? "one SDK client, the emulator's httpClient() (one JDK pool)"
                : "an SDK client and a JDK HttpClient each (1,000 pools)",
            Histogram.format(b.latency.percentile(0.5)),
            Histogram.format(b.latency.percentile(0.99)),
            Histogram.format(b.latency.max()),
            Histogram.format(b.wallNanos),
            Histogram.format(b.cpuNanos),
            b.errors,
            b.attempts.sum(),
            b.failedAttempts.sum(),
            b.loadBefore + " → " + Burst.loadAverage());
        // what the failed clients saw, for the reader of the run (stderr: not part of the table)
        b.why.forEach((k, v) -> System.err.println("  " + v + " × " + k));
      }
    }
    start.print();
    rate.print();
    costs.print();
    burst.print();
    // the anchors leave non-daemon threads (Reactor schedulers, timers) behind
    System.exit(0);
  }

  /** One burst of clients: their latencies (latch to token), errors and the SDK's attempts. */
  private static final class Burst {
    final Histogram latency = new Histogram();
    final LongAdder attempts = new LongAdder();
    final LongAdder failedAttempts = new LongAdder();
    final String loadBefore = loadAverage();
    final java.util.Map<String, Integer> why = new java.util.concurrent.ConcurrentHashMap<>();
    int errors;
    long wallNanos;
    long cpuNanos;

    private static String rootCause(Throwable e) {
      Throwable t = e;
      while (t.getCause() != null && t.getCause() != t) {
        t = t.getCause();
      }
      return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    static Burst run(AcsEmulator emulator, int clients, boolean shared)
        throws InterruptedException {
      Burst b = new Burst();
      HttpPipelinePolicy counting = b.countingPolicy();
      CommunicationIdentityClient one =
          shared ? emulator.identityClientBuilder().addPolicy(counting).buildClient() : null;
      CountDownLatch ready = new CountDownLatch(clients);
      CountDownLatch go = new CountDownLatch(1);
      long[] took = new long[clients];
      // latency runs from the release of the latch, so waking 1,000 threads on 2 cores counts
      long[] released = new long[1];
      boolean[] failed = new boolean[clients];
      List<Thread> threads = new ArrayList<>(clients);
      for (int i = 0; i < clients; i++) {
        int n = i;
        Thread t =
            new Thread(
                () -> {
                  CommunicationIdentityClient sdk =
                      one != null
                          ? one
                          : emulator
                              .identityClientBuilder()
                              // a connection pool of its own
                              .httpClient(
                                  EmulatorTrust.fromPem(emulator.certificatePem()).httpClient())
                              .addPolicy(counting)
                              .buildClient();
                  ready.countDown();
                  try {
                    go.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                  try {
                    sdk.getToken(sdk.createUser(), List.of(VOIP));
                  } catch (RuntimeException e) {
                    failed[n] = true;
                    b.why.merge(rootCause(e), 1, Integer::sum);
                  }
                  took[n] = System.nanoTime() - released[0];
                },
                "client-" + i);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
      ready.await();
      long cpu0 = processCpuNanos();
      long t0 = System.nanoTime();
      released[0] = t0;
      go.countDown();
      for (Thread t : threads) {
        t.join(Duration.ofMinutes(5).toMillis());
      }
      b.wallNanos = System.nanoTime() - t0;
      b.cpuNanos = processCpuNanos() - cpu0;
      for (int i = 0; i < clients; i++) {
        b.latency.record(took[i]);
        if (failed[i] || took[i] == 0) {
          b.errors++;
        }
      }
      return b;
    }

    private HttpPipelinePolicy countingPolicy() {
      return new HttpPipelinePolicy() {
        @Override
        public Mono<HttpResponse> process(
            HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
          attempts.increment();
          return next.process().doOnError(e -> failedAttempts.increment());
        }

        @Override
        public HttpResponse processSync(
            HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
          attempts.increment();
          try {
            return next.processSync();
          } catch (RuntimeException e) {
            failedAttempts.increment();
            throw e;
          }
        }
      };
    }

    /** {@return the CPU time this JVM has used, every thread together} */
    static long processCpuNanos() {
      return ((com.sun.management.OperatingSystemMXBean)
              java.lang.management.ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime();
    }

    /** {@return the 1-minute load average of the machine, or "?" where there is none} */
    static String loadAverage() {
      try {
        return Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).split(" ")[0];
      } catch (IOException | RuntimeException e) {
        return "?";
      }
    }
  }

  /** The cost of each part of a call, one at a time: where the CPU of a burst goes. */
  private static void costs(Table costs, int n) throws GeneralSecurityException {
    try (AcsEmulator emulator = AcsEmulator.start()) {
      CommunicationIdentityClient sdk = emulator.identityClientBuilder().buildClient();
      var user = sdk.createUser();
      cost(costs, "createUser, kept-alive connection", n, sdk::createUser);
      cost(costs, "getToken, kept-alive connection", n, () -> sdk.getToken(user, List.of(VOIP)));
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      PrivateKey key = g.generateKeyPair().getPrivate();
      byte[] payload = new byte[400];
      cost(
          costs,
          "RS256 signature alone (2048-bit RSA, JDK)",
          n,
          () -> {
            try {
              Signature sig = Signature.getInstance("SHA256withRSA");
              sig.initSign(key);
              sig.update(payload);
              sig.sign();
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException(e);
            }
          });
      // a new connection each time, its session invalidated so that none is resumed: in a burst
      // every connection is new and there is no session yet to resume
      SSLContext ctx = emulator.sslContext();
      cost(
          costs,
          "new TLS connection: connect and full handshake",
          n / 5,
          () -> {
            try (SSLSocket socket =
                (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", emulator.port())) {
              socket.startHandshake();
              socket.getSession().invalidate();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
  }

  /** Times an operation n times after n/4 warm-up calls; a row of wall and CPU time per call. */
  private static void cost(Table t, String what, int n, Runnable op) {
    for (int i = 0; i < n / 4; i++) {
      op.run();
    }
    long cpu0 = Burst.processCpuNanos();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      op.run();
    }
    t.row(
        what,
        Histogram.format((System.nanoTime() - t0) / n),
        Histogram.format((Burst.processCpuNanos() - cpu0) / n));
  }

  private static Readers.Result measure(Runnable call, int threads, Duration d)
      throws InterruptedException {
    return NetworkHarness.measure(
        () -> {
          call.run();
          return null;
        },
        threads,
        d);
  }
}
