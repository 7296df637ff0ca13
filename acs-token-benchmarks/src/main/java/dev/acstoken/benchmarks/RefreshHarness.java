package dev.acstoken.benchmarks;

import java.time.Duration;

/**
 * Issue 7, item 2: 16 readers hammer one key while it crosses its refresh point; the backend takes
 * 200 ms per call. Counts backend calls during the read phase, reads that waited at least 100 ms
 * (half the backend latency), expired tokens handed out, errors; read latency p50 / p99.9 / max.
 *
 * <p>Each subject is configured as its users configure it; its first token is issued with a
 * lifetime that puts its own refresh point one second after the readers start (Caffeine, which does
 * not look at the token, has its ticker moved instead). Before each measured run, a separate
 * instance of the same subject is read for a moment so the JIT has compiled the read path.
 */
public final class RefreshHarness {

  static final int READERS = 16;
  static final Duration BACKEND = Duration.ofMillis(200);

  private RefreshHarness() {}

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    Duration read = o.pick(Duration.ofSeconds(3), Duration.ofSeconds(10));
    Duration warm = o.pick(Duration.ofSeconds(1), Duration.ofSeconds(3));
    Options.machine();
    Table table =
        new Table(
            "Refresh: "
                + READERS
                + " readers, one key crossing its refresh point, backend "
                + BACKEND.toMillis()
                + " ms, "
                + read.toSeconds()
                + " s of reads",
            "cache",
            "backend calls",
            "reads",
            "reads ≥ 100 ms (any cause)",
            "reads released by a backend call's end",
            "backend calls on a reader's thread",
            "expired tokens handed out",
            "errors",
            "p50",
            "p99.9",
            "max");
    for (Subject.Kind kind : Subject.Kind.values()) {
      warmUp(kind, warm);
      Backend backend = new Backend().latency(BACKEND);
      backend.lifetime(Subject.firstLifetime(kind, Duration.ofSeconds(1)));
      try (Subject s = Subject.create(kind, backend, false)) {
        backend.lifetime(Duration.ofHours(24));
        Thread.sleep(kind.settle.toMillis());
        s.armRefresh(Duration.ofSeconds(1));
        backend.resetCounts();
        Readers.Result r = Readers.run(s, backend, READERS, read.toNanos());
        table.row(
            kind.label,
            backend.calls(),
            r.reads,
            r.slow,
            r.blockedOn(backend.finishedCalls()),
            backend.readerCalls(),
            r.expired,
            r.errors,
            Histogram.format(r.latency.percentile(0.5)),
            Histogram.format(r.latency.percentile(0.999)),
            Histogram.format(r.latency.max()));
      }
    }
    Backend none = new Backend();
    try (Subject floor = Subject.floor(none)) {
      Readers.Result r = Readers.run(floor, none, READERS, read.toNanos());
      table.row(
          "no cache: a volatile read (the machine's noise)",
          0,
          r.reads,
          r.slow,
          0,
          0,
          r.expired,
          r.errors,
          Histogram.format(r.latency.percentile(0.5)),
          Histogram.format(r.latency.percentile(0.999)),
          Histogram.format(r.latency.max()));
    }
    table.print();
    // the anchors leave non-daemon threads (Reactor schedulers, timers) behind
    System.exit(0);
  }

  static void warmUp(Subject.Kind kind, Duration d) throws InterruptedException {
    Backend b = new Backend();
    try (Subject s = Subject.create(kind, b, false)) {
      Readers.run(s, b, READERS, d.toNanos());
    }
  }
}
