package dev.acstoken.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 7, item 4: 256 callers ask for one key at once; no token yet; the backend takes 1 s. Counts
 * backend calls and errors; reports the worst wait.
 */
public final class StampedeHarness {

  static final int CALLERS = 256;
  static final Duration BACKEND = Duration.ofSeconds(1);

  private StampedeHarness() {}

  public static void main(String[] args) throws Exception {
    Options.parse(args);
    Options.machine();
    Table table =
        new Table(
            "Cold stampede: " + CALLERS + " callers, no token yet, backend " + "1 s",
            "cache",
            "backend calls",
            "errors",
            "worst wait",
            "median wait");
    for (Subject.Kind kind : Subject.Kind.values()) {
      Backend backend = new Backend().latency(BACKEND);
      try (Subject s = Subject.create(kind, backend, true)) {
        long created = backend.calls(); // a constructor that fetches counts too
        CountDownLatch ready = new CountDownLatch(CALLERS);
        CountDownLatch go = new CountDownLatch(1);
        AtomicLong errors = new AtomicLong();
        long[] waits = new long[CALLERS];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
          int n = i;
          Thread t =
              new Thread(
                  () -> {
                    ready.countDown();
                    try {
                      go.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    long t0 = System.nanoTime();
                    try {
                      s.get();
                    } catch (Exception | Error e) {
                      errors.incrementAndGet();
                    }
                    waits[n] = System.nanoTime() - t0;
                  });
          t.setDaemon(true);
          threads.add(t);
          t.start();
        }
        ready.await();
        go.countDown();
        for (Thread t : threads) {
          t.join();
        }
        Histogram h = new Histogram();
        for (long w : waits) {
          h.record(w);
        }
        table.row(
            kind.label,
            backend.calls() + (created > 0 ? " (" + created + " at construction)" : ""),
            errors.get(),
            Histogram.format(h.max()),
            Histogram.format(h.percentile(0.5)));
      }
    }
    table.print();
    // the anchors leave non-daemon threads (Reactor schedulers, timers) behind
    System.exit(0);
  }
}
