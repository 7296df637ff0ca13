package dev.acstoken.cache;

import dev.acstoken.core.TokenRequest;
import java.util.Collection;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Where the cache keeps its entries, and how it bounds them: a plain map, so that a hit is one
 * lookup and no bookkeeping (no read buffer, no frequency sketch, no access-order node per entry);
 * the size bound is a sampled approximate LRU run by the thread that adds a key, and the idle
 * timeout a sweep on the cache's scheduler. An entry's last read is noted coarsely: a read writes
 * only when the last note is an eighth of the idle timeout old.
 *
 * <p>Thread-safe. What happens to an entry taken out for size or idleness (its lifecycle, the
 * listener) is the owner's, through the {@code evicted} callback; it runs on the thread that
 * evicts.
 */
final class EntryTable {

  /** How many entries the size eviction compares to pick one. */
  static final int EVICTION_SAMPLE = 8;

  private final ConcurrentHashMap<TokenRequest, Entry> entries = new ConcurrentHashMap<>();
  private final long maximumSize;
  private final long idleNanos;
  private final long touchNanos;
  private final Consumer<Entry> evicted;

  /** Guards {@link #hand}. */
  private final Object handLock = new Object();

  /** Where the size eviction is in its round of the map. */
  private @Nullable Iterator<Entry> hand;

  EntryTable(long maximumSize, long idleNanos, Consumer<Entry> evicted) {
    this.maximumSize = maximumSize;
    this.idleNanos = idleNanos;
    this.touchNanos = Math.max(1, idleNanos / 8);
    this.evicted = evicted;
  }

  /** {@return the key's entry, or null} */
  @Nullable Entry get(TokenRequest key) {
    return entries.get(key);
  }

  /** The key's entry, made and stored if absent; a new one may evict another for the size. */
  Entry getOrCreate(TokenRequest key, long nowNanos) {
    Entry e = entries.get(key);
    if (e != null) {
      return e;
    }
    Entry created = new Entry(key, nowNanos);
    e = entries.putIfAbsent(key, created);
    if (e != null) {
      return e;
    }
    if (entries.mappingCount() > maximumSize) {
      evictForSize(created);
    }
    return created;
  }

  /** Takes the entry out if it is still the key's; not an eviction (no callback). */
  void remove(Entry e) {
    entries.remove(e.key, e);
  }

  /** {@return a live view of the entries} */
  Collection<Entry> values() {
    return entries.values();
  }

  /** {@return the number of entries} */
  long size() {
    return entries.mappingCount();
  }

  /** Forgets every entry, and where the eviction hand was (it may point at a token). */
  void clear() {
    entries.clear();
    synchronized (handLock) {
      hand = null;
    }
  }

  /** Notes a read of the entry, writing only when the last note is a fraction of idleNanos old. */
  void touch(Entry e, long nowNanos) {
    if (nowNanos - e.lastReadNanos >= touchNanos) {
      e.lastReadNanos = nowNanos;
    }
  }

  /** {@return how often the idle sweep should run, in nanoseconds} */
  long sweepPeriodNanos() {
    return Math.max(touchNanos, 1_000_000_000L);
  }

  /** Evicts the entries nobody read for the idle timeout, pinned ones aside. */
  void sweepIdle(long nowNanos) {
    for (Entry e : entries.values()) {
      if (!e.isPinned() && nowNanos - e.lastReadNanos >= idleNanos && entries.remove(e.key, e)) {
        evicted.accept(e);
      }
    }
  }

  /**
   * Evicts entries until the map holds at most the maximum size: each victim is the least recently
   * read (unpinned first) of the next {@value #EVICTION_SAMPLE} entries under a hand that goes
   * round the map, an approximate LRU without per-read bookkeeping. {@code spared} (the entry just
   * added) is never the victim.
   */
  void evictForSize(@Nullable Entry spared) {
    while (entries.mappingCount() > maximumSize) {
      Entry victim = null;
      synchronized (handLock) {
        for (int i = 0; i < EVICTION_SAMPLE; i++) {
          Iterator<Entry> h = hand;
          if (h == null || !h.hasNext()) {
            h = entries.values().iterator();
            hand = h;
            if (!h.hasNext()) {
              break;
            }
          }
          Entry c = h.next();
          if (c != spared && (victim == null || evictsBefore(c, victim))) {
            victim = c;
          }
        }
      }
      if (victim == null) {
        return; // nothing but the spared entry: a concurrent removal made room
      }
      if (entries.remove(victim.key, victim)) {
        evicted.accept(victim);
      }
    }
  }

  private static boolean evictsBefore(Entry a, Entry b) {
    boolean pinnedA = a.isPinned();
    if (pinnedA != b.isPinned()) {
      return !pinnedA;
    }
    return a.lastReadNanos - b.lastReadNanos < 0;
  }
}
