package dev.acstoken.cli;

import java.util.ArrayList;
import java.util.List;

/** Collects every output of every CLI run of the test suite, for the secret scan. */
final class OutputScan {
  private static final List<String> OUTPUTS = new ArrayList<>();

  private OutputScan() {}

  static synchronized void record(String output) {
    OUTPUTS.add(output);
  }

  static synchronized List<String> outputs() {
    return new ArrayList<>(OUTPUTS);
  }
}
