package dev.acstoken.testkit;

import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Faults armed for upcoming calls, by operation and identity, for the next N calls or with a
 * probability. Thread-safe: a rule's remaining count is decremented atomically, so N concurrent
 * calls see exactly N faults.
 *
 * @param <T> what a fault is (an exception for the fake, an HTTP answer for the emulator)
 */
final class FaultRules<T> {

  /** Marks a rule that never runs out. */
  static final int UNLIMITED = -1;

  private final CopyOnWriteArrayList<Rule<T>> rules = new CopyOnWriteArrayList<>();

  void add(
      @Nullable Operation operation,
      @Nullable String identity,
      int times,
      double probability,
      @Nullable Long seed,
      T fault) {
    if (times == 0) {
      return;
    }
    rules.add(
        new Rule<>(
            operation,
            identity,
            times,
            probability,
            seed == null ? new Random() : new Random(seed),
            fault));
  }

  /** {@return the fault for this call, consuming one of its count, or null for none} */
  @Nullable T next(Operation operation, @Nullable String identity) {
    for (Rule<T> r : rules) {
      if (r.operation != null && r.operation != operation) {
        continue;
      }
      if (r.identity != null && !r.identity.equalsIgnoreCase(identity)) {
        continue;
      }
      if (r.probability < 1.0) {
        boolean hit;
        synchronized (r.random) {
          hit = r.random.nextDouble() < r.probability;
        }
        if (!hit) {
          continue;
        }
      }
      if (r.remaining.get() == UNLIMITED) {
        return r.fault;
      }
      int left = r.remaining.getAndUpdate(n -> n > 0 ? n - 1 : n);
      if (left > 0) {
        if (left == 1) {
          rules.remove(r);
        }
        return r.fault;
      }
    }
    return null;
  }

  boolean isEmpty() {
    return rules.isEmpty();
  }

  void clear() {
    rules.clear();
  }

  private static final class Rule<T> {
    final @Nullable Operation operation;
    final @Nullable String identity;
    final AtomicInteger remaining;
    final double probability;
    final Random random;
    final T fault;

    Rule(
        @Nullable Operation operation,
        @Nullable String identity,
        int times,
        double probability,
        Random random,
        T fault) {
      this.operation = operation;
      this.identity = identity;
      this.remaining = new AtomicInteger(times);
      this.probability = probability;
      this.random = random;
      this.fault = fault;
    }
  }
}
