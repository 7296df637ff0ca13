package dev.acstoken.benchmarks;

import java.util.ArrayList;
import java.util.List;

/** A Markdown table the harnesses print: the header first, then one row per subject. */
final class Table {

  private final List<String[]> rows = new ArrayList<>();
  private final String title;

  Table(String title, String... header) {
    this.title = title;
    rows.add(header);
  }

  void row(Object... cells) {
    String[] r = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      r[i] = String.valueOf(cells[i]);
    }
    rows.add(r);
    // progress while a long harness runs
    System.err.println("  " + String.join(" | ", r));
  }

  String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("### ").append(title).append("\n\n");
    for (int i = 0; i < rows.size(); i++) {
      sb.append("| ").append(String.join(" | ", rows.get(i))).append(" |\n");
      if (i == 0) {
        sb.append("|");
        for (int c = 0; c < rows.get(0).length; c++) {
          sb.append(c == 0 ? "---|" : "---:|");
        }
        sb.append("\n");
      }
    }
    return sb.toString();
  }

  void print() {
    System.out.println(render());
  }
}
