package dev.acstoken.testkit;

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
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ScheduledExecutorService} on manual time, for deterministic tests of code that schedules
 * work, such as acs-token's {@code CachingTokenProvider} ({@code
 * builder().timeSource(...).scheduler(...)}): a task runs only when the test calls {@link
 * #runDue()} or {@link #advance(Duration)}, on the test's thread, in the order of its due time. A
 * simulated day runs in milliseconds, and no test sleeps.
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.systemStart();
 * ManualScheduler scheduler = ManualScheduler.on(clock);
 * CachingTokenProvider cache = CachingTokenProvider.builder(fake)
 *     .timeSource(clock).scheduler(scheduler).build();
 * scheduler.advance(Duration.ofHours(13));   // runs the refreshes due on the way
 * }</pre>
 *
 * <p>Thread-safe: any thread may schedule. Periodic scheduling is not supported.
 */
public final class ManualScheduler extends AbstractExecutorService
    implements ScheduledExecutorService {

  private final LongSupplier nanoTime;
  private final LongConsumer advanceNanos;
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private long sequence;
  private boolean shutdown;
  private long ran;

  private ManualScheduler(LongSupplier nanoTime, LongConsumer advanceNanos) {
    this.nanoTime = nanoTime;
    this.advanceNanos = advanceNanos;
  }

  /**
   * Returns a scheduler whose delays run on the clock's {@link MutableClock#nanoTime()}; {@link
   * #advance} moves the clock.
   *
   * @param clock the clock
   * @return the scheduler
   * @throws IllegalArgumentException if the clock is null
   */
  public static ManualScheduler on(MutableClock clock) {
    if (clock == null) {
      throw new IllegalArgumentException("clock must not be null");
    }
    return new ManualScheduler(clock::nanoTime, n -> clock.advance(Duration.ofNanos(n)));
  }

  /**
   * Returns a scheduler on any monotonic time the test moves itself.
   *
   * @param nanoTime reads the time, in nanoseconds
   * @param advanceNanos moves the time forward by the given nanoseconds
   * @return the scheduler
   * @throws IllegalArgumentException if an argument is null
   */
  public static ManualScheduler on(LongSupplier nanoTime, LongConsumer advanceNanos) {
    if (nanoTime == null || advanceNanos == null) {
      throw new IllegalArgumentException("time and its advance must not be null");
    }
    return new ManualScheduler(nanoTime, advanceNanos);
  }

  /**
   * Runs every task due now, on the calling thread, including tasks those tasks schedule for now.
   */
  public void runDue() {
    while (true) {
      Task t;
      synchronized (this) {
        t = queue.peek();
        if (t == null || t.due - nanoTime.getAsLong() > 0) {
          return;
        }
        queue.poll();
        ran++;
      }
      t.run();
    }
  }

  /**
   * Moves time forward by the given duration, stopping at each task's due time to run it (and what
   * it schedules within the duration), on the calling thread.
   *
   * @param d how far; not negative
   * @throws IllegalArgumentException if the duration is null or negative
   */
  public void advance(Duration d) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException("time only moves forward; got " + d);
    }
    long target = nanoTime.getAsLong() + d.toNanos();
    while (true) {
      long next;
      synchronized (this) {
        Task t = queue.peek();
        next = t == null ? Long.MAX_VALUE : t.due;
      }
      if (next == Long.MAX_VALUE || next - target > 0) {
        break;
      }
      long step = next - nanoTime.getAsLong();
      if (step > 0) {
        advanceNanos.accept(step);
      }
      runDue();
    }
    long rest = target - nanoTime.getAsLong();
    if (rest > 0) {
      advanceNanos.accept(rest);
    }
    runDue();
  }

  /** {@return how many tasks wait to run (cancelled ones not counted)} */
  public synchronized int pending() {
    int n = 0;
    for (Task t : queue) {
      if (!t.isCancelled()) {
        n++;
      }
    }
    return n;
  }

  /** {@return how many tasks have run} */
  public synchronized long tasksRun() {
    return ran;
  }

  private synchronized Task add(Callable<?> c, long delayNanos) {
    if (shutdown) {
      throw new RejectedExecutionException("manual scheduler is shut down");
    }
    Task t = new Task(c, nanoTime.getAsLong() + Math.max(0, delayNanos), sequence++, nanoTime);
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
    throw new UnsupportedOperationException(
        "periodic tasks are not supported: reschedule from the task instead");
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException(
        "periodic tasks are not supported: reschedule from the task instead");
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

  /** A task on manual time; get() does not block: the test runs tasks itself. */
  private static final class Task implements ScheduledFuture<Object>, Runnable {
    private final Callable<?> callable;
    final long due;
    private final long seq;
    private volatile int state; // 0 pending, 1 done, 2 cancelled
    private volatile @Nullable Object result;
    private final LongSupplier nanoTime;

    Task(Callable<?> callable, long due, long seq, LongSupplier nanoTime) {
      this.callable = callable;
      this.due = due;
      this.seq = seq;
      this.nanoTime = nanoTime;
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
      // the time remaining, as the ScheduledFuture contract says (zero or negative once due)
      return unit.convert(due - nanoTime.getAsLong(), TimeUnit.NANOSECONDS);
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
