package dev.acstoken.cache;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Starts test threads as platform or virtual threads. Virtual threads exist from Java 21; the
 * library targets 17, so they are created by reflection and the test is skipped on older runtimes.
 */
enum ThreadMode {
  PLATFORM,
  VIRTUAL;

  void assumeAvailable() {
    if (this == VIRTUAL) {
      assumeTrue(Runtime.version().feature() >= 21, "virtual threads need Java 21");
    }
  }

  Thread start(Runnable task) {
    if (this == PLATFORM) {
      Thread t = new Thread(task);
      t.start();
      return t;
    }
    try {
      Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
      Class<?> builderType = Class.forName("java.lang.Thread$Builder");
      return (Thread) builderType.getMethod("start", Runnable.class).invoke(builder, task);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot start a virtual thread", e);
    }
  }
}
