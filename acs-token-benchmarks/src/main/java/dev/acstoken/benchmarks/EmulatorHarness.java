package dev.acstoken.benchmarks;

import com.azure.communication.identity.CommunicationIdentityClient;
import com.azure.communication.identity.models.CommunicationTokenScope;
import dev.acstoken.testkit.AcsEmulator;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Issue 7, item 7: the emulator's start to first token (start, build the SDK client, create a user
 * with a token), the first time in a fresh JVM and after; and the requests per second it serves to
 * the real SDK client (JDK HTTP client, HTTPS) from 1, 8 and 64 client threads in the same JVM.
 */
public final class EmulatorHarness {

  private EmulatorHarness() {}

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    int starts = o.pick(5, 20);
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
      for (int threads : new int[] {1, 8, 64}) {
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
    start.print();
    rate.print();
    // the anchors leave non-daemon threads (Reactor schedulers, timers) behind
    System.exit(0);
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
