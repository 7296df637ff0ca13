package dev.acstoken.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Issue 7, item 3: the backend fails for 10 s while the token is still valid (and past its refresh
 * point), then recovers. 16 readers hammer the key throughout. Counts backend calls during the
 * failure and after it, and the errors callers saw.
 *
 * <p>Failing calls fail at once (a fast 503); successful calls take 200 ms. The refresh point is
 * one second after the failure starts, as in {@link RefreshHarness}.
 */
public final class FailureHarness {

  static final int READERS = 16;
  static final Duration FAILURE = Duration.ofSeconds(10);

  private FailureHarness() {}

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    Duration after = o.pick(Duration.ofSeconds(2), Duration.ofSeconds(5));
    Options.machine();
    Table table =
        new Table(
            "Failure: backend fails "
                + FAILURE.toSeconds()
                + " s while the token is valid, then recovers ("
                + after.toSeconds()
                + " s more); "
                + READERS
                + " readers",
            "cache",
            "backend calls while failing",
            "backend calls after recovery",
            "reads",
            "errors seen by callers",
            "backend calls on a reader's thread",
            "expired tokens handed out",
            "max read latency");
    for (Subject.Kind kind : Subject.Kind.values()) {
      RefreshHarness.warmUp(kind, Duration.ofSeconds(1));
      Backend backend = new Backend().latency(RefreshHarness.BACKEND);
      backend.lifetime(Subject.firstLifetime(kind, Duration.ofSeconds(1)));
      try (Subject s = Subject.create(kind, backend, false)) {
        backend.lifetime(Duration.ofHours(24));
        Thread.sleep(kind.settle.toMillis());
        s.armRefresh(Duration.ofSeconds(1));
        backend.failing(true);
        backend.resetCounts();
        long[] whileFailing = new long[1];
        Readers.Result r =
            Readers.run(
                s,
                backend,
                READERS,
                FAILURE.plus(after).toNanos(),
                () -> {
                  try {
                    TimeUnit.NANOSECONDS.sleep(FAILURE.toNanos());
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  whileFailing[0] = backend.calls();
                  backend.failing(false);
                });
        table.row(
            kind.label,
            whileFailing[0],
            backend.calls() - whileFailing[0],
            r.reads,
            r.errors,
            backend.readerCalls(),
            r.expired,
            Histogram.format(r.latency.max()));
      }
    }
    table.print();
    // the anchors leave non-daemon threads (Reactor schedulers, timers) behind
    System.exit(0);
  }
}
