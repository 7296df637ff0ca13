package dev.acstoken.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A scheduler on virtual time for the fleet simulation (adapted from acs-token-cache's test
 * FakeScheduler): tasks run only when the harness calls {@link #runDue()} or {@link #advance}, on
 * the harness's thread, in order of their due time. Thread-safe: any thread may schedule.
 */
final class VirtualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

  private final VirtualTime time;
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private long sequence;
  private boolean shutdown;
  private long ran;

  VirtualScheduler(VirtualTime time) {
    this.time = time;
  }

  /** Runs every task due now, including tasks those tasks schedule for now. */
  void runDue() {
    while (true) {
      Task t;
      synchronized (this) {
        t = queue.peek();
        if (t == null || t.due - time.nanoTime() > 0) {
          return;
        }
        queue.poll();
        ran++;
      }
      t.run();
    }
  }

  /** Moves time forward, running each task at its due time. */
  void advance(Duration d) {
    long target = time.nanoTime() + d.toNanos();
    while (true) {
      long next;
      synchronized (this) {
        Task t = queue.peek();
        next = t == null ? Long.MAX_VALUE : t.due;
      }
      if (next == Long.MAX_VALUE || next - target > 0) {
        break;
      }
      long step = next - time.nanoTime();
      if (step > 0) {
        time.advanceNanos(step);
      }
      runDue();
    }
    long rest = target - time.nanoTime();
    if (rest > 0) {
      time.advanceNanos(rest);
    }
    runDue();
  }

  synchronized int pending() {
    int n = 0;
    for (Task t : queue) {
      if (!t.isCancelled()) {
        n++;
      }
    }
    return n;
  }

  synchronized long tasksRun() {
    return ran;
  }

  private synchronized Task add(Callable<?> c, long delayNanos) {
    if (shutdown) {
      throw new RejectedExecutionException("virtual scheduler is shut down");
    }
    Task t = new Task(c, time.nanoTime() + Math.max(0, delayNanos), sequence++);
    queue.add(t);
    return t;
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(
        () -> {
          command.run();
          return null;
        },
        unit.toNanos(delay));
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    @SuppressWarnings("unchecked") // the task returns what the callable returns
    ScheduledFuture<V> f = (ScheduledFuture<V>) add(callable, unit.toNanos(delay));
    return f;
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    throw new UnsupportedOperationException("not used by the cache");
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("not used by the cache");
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> left = new ArrayList<>(queue);
    queue.clear();
    return left;
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public synchronized boolean isTerminated() {
    return shutdown && queue.isEmpty();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isTerminated();
  }

  /** A task on fake time; get() does not block, the test runs tasks itself. */
  private static final class Task implements ScheduledFuture<Object>, Runnable {
    private final Callable<?> callable;
    final long due;
    private final long seq;
    private volatile int state; // 0 pending, 1 done, 2 cancelled
    private volatile @Nullable Object result;

    Task(Callable<?> callable, long due, long seq) {
      this.callable = callable;
      this.due = due;
      this.seq = seq;
    }

    @Override
    public void run() {
      if (state != 0) {
        return;
      }
      try {
        result = callable.call();
      } catch (Exception e) {
        throw new IllegalStateException("scheduled task failed", e);
      } finally {
        state = state == 2 ? 2 : 1;
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(due, TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      Task t = (Task) o;
      int c = Long.compare(due - t.due, 0);
      return c != 0 ? c : Long.compare(seq, t.seq);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      if (state == 0) {
        state = 2;
        return true;
      }
      return false;
    }

    @Override
    public boolean isCancelled() {
      return state == 2;
    }

    @Override
    public boolean isDone() {
      return state != 0;
    }

    @Override
    public @Nullable Object get() {
      if (state != 1) {
        throw new IllegalStateException("task has not run");
      }
      return result;
    }

    @Override
    public @Nullable Object get(long timeout, TimeUnit unit) {
      return get();
    }
  }
}
