package dev.acstoken.benchmarks;

import java.util.logging.Level;
import java.util.logging.Logger;

/** The command line of every harness: {@code --short} (default) or {@code --full}. */
final class Options {

  final boolean full;

  private Options(boolean full) {
    this.full = full;
  }

  static Options parse(String[] args) {
    boolean full = false;
    for (String a : args) {
      if (a.equals("--full")) {
        full = true;
      } else if (a.equals("--short")) {
        full = false;
      } else {
        throw new IllegalArgumentException("unknown option '" + a + "'; allowed: --short, --full");
      }
    }
    // Caffeine and Google log refresh failures through java.util.logging: silent while measuring
    Logger.getLogger("").setLevel(Level.OFF);
    for (var h : Logger.getLogger("").getHandlers()) {
      h.setLevel(Level.OFF);
    }
    return new Options(full);
  }

  <T> T pick(T shortValue, T fullValue) {
    return full ? fullValue : shortValue;
  }

  static void machine() {
    Runtime rt = Runtime.getRuntime();
    System.out.println(
        "<!-- "
            + rt.availableProcessors()
            + " CPUs, "
            + System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version")
            + ", max heap "
            + rt.maxMemory() / (1024 * 1024)
            + " MB -->\n");
  }
}
