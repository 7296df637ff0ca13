package dev.acstoken.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HistogramTest {

  @Test
  void percentile_ofUniformValues_isWithinBucketPrecision() {
    Histogram h = new Histogram();
    for (long v = 1; v <= 1_000_000; v++) {
      h.record(v * 1_000);
    }
    assertThat(h.count()).isEqualTo(1_000_000);
    assertThat(h.max()).isEqualTo(1_000_000_000L);
    assertThat((double) h.percentile(0.5))
        .isCloseTo(500_000_000d, org.assertj.core.data.Percentage.withPercentage(4));
    assertThat((double) h.percentile(0.999))
        .isCloseTo(999_000_000d, org.assertj.core.data.Percentage.withPercentage(4));
    assertThat(h.percentile(1.0)).isEqualTo(1_000_000_000L);
  }

  @Test
  void index_andUpper_areConsistentAcrossBucketEdges() {
    for (long v : new long[] {0, 1, 31, 32, 63, 64, 65, 1_000, 123_456_789L, Long.MAX_VALUE / 2}) {
      int i = Histogram.index(v);
      assertThat(Histogram.upper(i)).isGreaterThanOrEqualTo(v);
      if (i > 0) {
        assertThat(Histogram.upper(i - 1)).isLessThan(v);
      }
    }
  }

  @Test
  void add_mergesCountsAndMax() {
    Histogram a = new Histogram();
    Histogram b = new Histogram();
    a.record(10);
    b.record(5_000_000);
    a.add(b);
    assertThat(a.count()).isEqualTo(2);
    assertThat(a.max()).isEqualTo(5_000_000);
    assertThat(a.countAtLeast(1_000_000)).isEqualTo(1);
  }

  @Test
  void format_usesThreeSignificantDigits() {
    assertThat(Histogram.format(999)).isEqualTo("999 ns");
    assertThat(Histogram.format(1_234)).isEqualTo("1.23 µs");
    assertThat(Histogram.format(276_000_000)).isEqualTo("276 ms");
    assertThat(Histogram.format(13_100_000_000L)).isEqualTo("13.1 s");
  }
}
