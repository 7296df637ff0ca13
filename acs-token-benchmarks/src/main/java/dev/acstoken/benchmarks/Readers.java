package dev.acstoken.benchmarks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reader threads that hammer one subject for a while: every read timed, every token checked against
 * its real expiry, every exception counted.
 */
final class Readers {

  /** What the readers saw. */
  static final class Result {
    final Histogram latency = new Histogram();
    long reads;
    long errors;
    long expired;
    long slow;
    final java.util.List<long[]> slowReads = new java.util.ArrayList<>();

    /**
     * Counts the slow reads that were released by the end of a backend call: they began before it
     * ended and returned within 50 ms after it. A reader that the OS merely descheduled rarely fits
     * that window; one that waited for the refresh always does.
     */
    long blockedOn(java.util.List<long[]> calls) {
      long n = 0;
      for (long[] r : slowReads) {
        for (long[] c : calls) {
          if (r[0] - c[0] >= -5_000_000L
              && r[0] < c[1]
              && r[1] >= c[1]
              && r[1] - c[1] <= 20_000_000L) {
            n++;
            break;
          }
        }
      }
      return n;
    }
  }

  /** A read that took at least this long counts as having waited (half the 200 ms backend). */
  static final long SLOW_NANOS = 100_000_000L;

  /** The name prefix of reader threads, by which the backend knows a call made on one. */
  static final String THREAD_PREFIX = "reader-";

  private Readers() {}

  static Result run(Subject subject, Backend backend, int threads, long durationNanos)
      throws InterruptedException {
    return run(subject, backend, threads, durationNanos, null);
  }

  /**
   * Runs {@code threads} readers for the duration; {@code midway}, if given, runs on the calling
   * thread while they read (it changes the backend), and the readers stop when both it returned and
   * the duration passed.
   */
  static Result run(
      Subject subject, Backend backend, int threads, long durationNanos, Runnable midway)
      throws InterruptedException {
    CountDownLatch start = new CountDownLatch(1);
    long[] deadline = new long[1];
    List<Thread> list = new ArrayList<>();
    List<Result> results = new ArrayList<>();
    AtomicLong stop = new AtomicLong(Long.MAX_VALUE);
    for (int i = 0; i < threads; i++) {
      Result r = new Result();
      results.add(r);
      Thread t =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                while (true) {
                  long t0 = System.nanoTime();
                  if (t0 - stop.get() >= 0) {
                    break;
                  }
                  String v = null;
                  try {
                    v = subject.get();
                  } catch (Exception | Error e) {
                    r.errors++;
                  }
                  long t1 = System.nanoTime();
                  r.latency.record(t1 - t0);
                  if (t1 - t0 >= SLOW_NANOS) {
                    r.slow++;
                    r.slowReads.add(new long[] {t0, t1});
                  }
                  r.reads++;
                  if (v != null && backend.isExpired(v, Instant.now())) {
                    r.expired++;
                  }
                }
              },
              THREAD_PREFIX + i);
      t.setDaemon(true);
      list.add(t);
      t.start();
    }
    deadline[0] = System.nanoTime() + durationNanos;
    stop.set(deadline[0]);
    start.countDown();
    if (midway != null) {
      midway.run();
    }
    for (Thread t : list) {
      t.join();
    }
    Result all = new Result();
    for (Result r : results) {
      all.latency.add(r.latency);
      all.reads += r.reads;
      all.errors += r.errors;
      all.expired += r.expired;
      all.slow += r.slow;
      all.slowReads.addAll(r.slowReads);
    }
    return all;
  }
}
