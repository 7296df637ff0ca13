package dev.acstoken.cache;

import dev.acstoken.core.TimeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The refresh rate limit of one ACS resource: at most {@code permits} backend calls in any window
 * of {@code windowNanos} to refresh tokens that are still valid, and at most {@code coldPermits}
 * (never fewer) when the key has no usable token, handed out earliest deadline first. A caller who
 * has no token waits for it; a still-valid token can wait for a quieter moment.
 *
 * <p>Refreshes of still-valid tokens are also paced: one per {@code windowNanos / permits} at most
 * (one per 100 ms with the defaults), so that keys that came due together are spread out.
 *
 * <p>A sliding-window log: the start times of the last {@code coldPermits} calls sit in a ring, and
 * a call under a limit of {@code n} may start once the {@code n}-th most recent of them is a full
 * window old. Flights wait in a priority queue; when no permit is left, one wake-up is scheduled
 * for the moment the oldest permit frees. Calls are dispatched on the scheduler, never on the
 * thread of the reader that asked for the refresh. Thread-safe; the monitor guards the queue and
 * the ring and is never held while calling out.
 */
final class RefreshLimiter {

  private final int permits;
  private final int coldPermits;
  private final long windowNanos;
  private final TimeSource time;
  private final TokenCache owner;
  private final Consumer<Flight> dispatcher;
  private final Consumer<Flight> heldBack;

  /** The spacing of refreshes of still-valid tokens: one per {@code windowNanos / permits}. */
  private final long paceNanos;

  private long lastWarmStart;
  private boolean warmStarted;
  private final long[] starts;
  private int used;
  private int oldest;
  private final PriorityQueue<Flight> queue = new PriorityQueue<>(Flight::compare);
  private boolean wakeupScheduled;

  RefreshLimiter(
      int permits,
      int coldPermits,
      long windowNanos,
      TimeSource time,
      TokenCache owner,
      Consumer<Flight> dispatcher,
      Consumer<Flight> heldBack) {
    this.permits = permits;
    this.coldPermits = Math.max(permits, coldPermits);
    this.windowNanos = windowNanos;
    this.time = time;
    this.owner = owner;
    this.dispatcher = dispatcher;
    this.heldBack = heldBack;
    this.starts = new long[this.coldPermits];
    this.paceNanos = Math.max(1, windowNanos / permits);
  }

  /**
   * Takes a permit for the flight at once if nothing waits before it and the limit and the pace
   * allow it now; otherwise takes nothing. The caller then runs the flight itself.
   */
  boolean tryTake(Flight flight) {
    synchronized (this) {
      if (!queue.isEmpty()) {
        return false;
      }
      long now = time.nanoTime();
      return admit(isCold(flight, now), now);
    }
  }

  /**
   * Takes a permit if the limit and the pace allow it now; the monitor is held. A cold flight has
   * no usable token left (a caller waits for it).
   */
  private boolean admit(boolean cold, long now) {
    if (!hasPermit(now, cold ? coldPermits : permits) || paceWait(cold, now) > 0) {
      return false;
    }
    take(now);
    if (!cold) {
      lastWarmStart = now;
      warmStarted = true;
    }
    return true;
  }

  private static boolean isCold(Flight flight, long now) {
    return flight.priorityNanos - now <= 0;
  }

  private long paceWait(boolean cold, long now) {
    return cold || !warmStarted ? 0 : lastWarmStart + paceNanos - now;
  }

  /** Queues a flight and asks the scheduler to dispatch what the limit allows. */
  void submit(Flight flight) {
    synchronized (this) {
      queue.add(flight);
    }
    owner.execute(this::drain);
  }

  /** Dispatches queued flights while permits last; schedules one wake-up for the rest. */
  void drain() {
    List<Flight> ready = new ArrayList<>();
    List<Flight> held = new ArrayList<>();
    long wakeupDelay = -1;
    synchronized (this) {
      long now = time.nanoTime();
      while (!queue.isEmpty()) {
        Flight next = queue.peek();
        if (next.cancelled) {
          queue.poll();
          continue;
        }
        // no usable token (a cold key, or a token that expired while queued): the higher limit,
        // and no pacing, since a caller waits; a still-valid token is refreshed at an even pace,
        // so that keys filled together never refresh in a burst
        boolean cold = isCold(next, now);
        if (!admit(cold, now)) {
          int limit = cold ? coldPermits : permits;
          for (Flight f : queue) {
            if (!f.heldBack && !f.cancelled) {
              f.heldBack = true;
              held.add(f);
            }
          }
          if (!wakeupScheduled) {
            wakeupScheduled = true;
            long permitWait =
                hasPermit(now, limit) ? 0 : starts[nthMostRecent(limit)] + windowNanos - now;
            wakeupDelay = Math.max(0, Math.max(permitWait, paceWait(cold, now)));
          }
          break;
        }
        ready.add(queue.poll());
      }
    }
    if (wakeupDelay >= 0) {
      try {
        owner.schedule(this::wakeup, wakeupDelay, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        // the provider is closing: its close() fails every flight still queued
        synchronized (this) {
          wakeupScheduled = false;
        }
      }
    }
    for (Flight f : held) {
      heldBack.accept(f);
    }
    for (Flight f : ready) {
      dispatcher.accept(f);
    }
  }

  private void wakeup() {
    synchronized (this) {
      wakeupScheduled = false;
    }
    drain();
  }

  /** Whether fewer than {@code limit} calls started in the window that ends now. */
  private boolean hasPermit(long now, int limit) {
    return used < limit || now - starts[nthMostRecent(limit)] >= windowNanos;
  }

  /** The ring index of the {@code n}-th most recent start; {@code n <= used}. */
  private int nthMostRecent(int n) {
    return (oldest + used - n) % starts.length;
  }

  private void take(long now) {
    if (used < starts.length) {
      starts[(oldest + used) % starts.length] = now;
      used++;
    } else {
      starts[oldest] = now;
      oldest = (oldest + 1) % starts.length;
    }
  }

  synchronized int queued() {
    return queue.size();
  }
}
