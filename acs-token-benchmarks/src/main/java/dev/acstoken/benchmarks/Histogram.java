package dev.acstoken.benchmarks;

/**
 * A log-linear latency histogram in nanoseconds: 32 linear sub-buckets per power of two, so a
 * reported percentile is within about 3 % of the true value; the maximum is exact. One per thread
 * (not thread-safe), merged at the end; recording does not allocate.
 */
final class Histogram {

  private static final int SUB_BITS = 5;
  private static final int SUB = 1 << SUB_BITS;
  private final long[] counts = new long[64 * SUB];
  private long total;
  private long max;

  void record(long nanos) {
    long v = Math.max(0, nanos);
    counts[index(v)]++;
    total++;
    if (v > max) {
      max = v;
    }
  }

  void add(Histogram other) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
    max = Math.max(max, other.max);
  }

  long count() {
    return total;
  }

  long max() {
    return max;
  }

  /** Counts the values at or above the threshold (to bucket precision: buckets starting there). */
  long countAtLeast(long nanos) {
    long n = 0;
    for (int i = index(nanos); i < counts.length; i++) {
      n += counts[i];
    }
    return n;
  }

  /** Returns the value at the quantile (0..1): the upper bound of its bucket, capped by the max. */
  long percentile(double q) {
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(q * total);
    if (rank < 1) {
      rank = 1;
    }
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(upper(i), max);
      }
    }
    return max;
  }

  static int index(long v) {
    if (v < SUB) {
      return (int) v;
    }
    int exp = 63 - Long.numberOfLeadingZeros(v); // >= SUB_BITS
    int shift = exp - SUB_BITS;
    int sub = (int) (v >>> shift) - SUB; // 0..SUB-1
    return (shift + 1) * SUB + sub;
  }

  static long upper(int index) {
    if (index < SUB) {
      return index;
    }
    int shift = index / SUB - 1;
    long sub = index % SUB;
    return ((SUB + sub + 1) << shift) - 1;
  }

  /** Formats nanoseconds for a table: ns, µs, ms or s, with three significant digits. */
  static String format(long nanos) {
    if (nanos < 1_000) {
      return nanos + " ns";
    }
    if (nanos < 1_000_000) {
      return three(nanos / 1e3) + " µs";
    }
    if (nanos < 10_000_000_000L) {
      return three(nanos / 1e6) + " ms";
    }
    return three(nanos / 1e9) + " s";
  }

  private static String three(double v) {
    String f = v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f";
    return String.format(java.util.Locale.ROOT, f, v);
  }
}
